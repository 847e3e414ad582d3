"""Labels of the generated sheets and messages, English and Simplified Chinese."""

from __future__ import annotations

from typing import Any

from xlcredit.messages import text
from xlcredit.workbook.schema import SHEET_NAMES

_CHANNELS_ZH = {"email": "邮件", "phone": "电话", "letter": "信函", "internal": "内部",
                "agency": "催收机构", "legal": "诉讼/仲裁"}


def _l(key: str, lang: str, **fields: Any) -> str:
    return text(f"sheet.{key}", lang, **fields)


def _sheet(role: str, lang: str) -> str:
    return SHEET_NAMES[role]["zh-CN" if lang == "zh-CN" else "en"]
