"""Labels of the generated sheets and messages, English and Simplified Chinese."""

from __future__ import annotations

from typing import Any

from xlcredit.messages import labels, text
from xlcredit.workbook.schema import SHEET_NAMES

#: Dunning channels (the Policy's codes) as the Chinese sheets show them.
_CHANNELS_ZH = labels("sheet.channel", ("email", "phone", "letter", "internal", "agency", "legal"), "zh-CN")


def _l(key: str, lang: str, **fields: Any) -> str:
    return text(f"sheet.{key}", lang, **fields)


def _sheet(role: str, lang: str) -> str:
    return SHEET_NAMES[role]["zh-CN" if lang == "zh-CN" else "en"]
