"""Labels of the generated sheets and messages, English and Simplified Chinese."""

from __future__ import annotations

from typing import Any

from xlcredit.messages import text
from xlcredit.workbook.policy_sheet import CHANNELS_ZH as _CHANNELS_ZH  # noqa: F401  one table of channels, used by the sheets
from xlcredit.workbook.schema import SHEET_NAMES


def _l(key: str, lang: str, **fields: Any) -> str:
    return text(f"sheet.{key}", lang, **fields)


def _sheet(role: str, lang: str) -> str:
    return SHEET_NAMES[role]["zh-CN" if lang == "zh-CN" else "en"]
