"""The group workbook's own tables: the group policy and group limits head office types,
and the matches it confirms (``xlcredit combine``, issue 16 item 4).

On the first run :func:`create_group_book` writes the two sheets the user owns from then on
(``Group policy``: ``tblPolicy`` with the base currency and language, and ``tblFX``, the
same tables a team's Policy sheet has, so :func:`~xlcredit.workbook.policy_sheet.load_policy`
reads them; ``Group limits``: ``tblGroupLimits``). Later runs read them and never write
them. The generated sheets (group buyers, by team, matches, conflicts, workbooks) are
written through the Workbook port like every generated sheet.

>>> import tempfile, pathlib
>>> from xlcredit.engine.policy import Policy
>>> from xlcredit.workbook.files import FileWorkbook
>>> from xlcredit.workbook.policy_sheet import load_policy
>>> path = pathlib.Path(tempfile.mkdtemp()) / "group.xlsx"
>>> _ = create_group_book(path, Policy(base_currency="USD", fx_rates=(("EUR", 1.09),)), "en")
>>> with FileWorkbook.open(path, read_only=True) as book:
...     policy, problems = load_policy(book)
...     names = book.sheet_names()
>>> policy.base_currency, policy.fx_rate("EUR"), problems, names
('USD', 1.09, [], ['Group policy', 'Group limits'])
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from xlcredit.engine.policy import Policy
from xlcredit.messages import text
from xlcredit.workbook.policy_sheet import describe_setting
from xlcredit.workbook.schema import FX, POLICY, Column, TableSchema

__all__ = ["GROUP_LIMITS", "GROUP_LIMITS_TABLE", "GROUP_MATCHES", "GROUP_MATCHES_TABLE", "create_group_book",
           "group_sheet"]

GROUP_LIMITS_TABLE = "tblGroupLimits"
GROUP_MATCHES_TABLE = "tblGroupMatches"

#: The group policy's settings on its tblPolicy (the rest keep the defaults).
GROUP_SETTINGS = ("base_currency", "language")


def _h(key: str) -> tuple[str, str]:
    return text(f"group.{key}", "en"), text(f"group.{key}", "zh-CN")


def _col(name: str, key: str, kind: str, **kw: object) -> Column:
    en, zh = _h(key)
    return Column(name, en, zh, kind, **kw)  # type: ignore[arg-type]


#: Group limits typed by head office, per group buyer ID (group base currency).
GROUP_LIMITS = TableSchema(GROUP_LIMITS_TABLE, "group limits", (
    _col("group_id", "h_group_id", "id", required=True, width=14),
    _col("group_limit", "h_limit_typed", "money", minimum=0, width=16),
    _col("note", "h_note", "text", width=40),
), key="group_id")

#: What the Matches to confirm sheet is read back for: each pair and the user's answer.
GROUP_MATCHES = TableSchema(GROUP_MATCHES_TABLE, "group matches", (
    _col("buyer_id", "h_buyer_id", "id", required=True),
    _col("other_id", "h_other_id", "id", required=True),
    _col("confirm", "h_confirm", "flag"),
))


def group_sheet(key: str, lang: str) -> str:
    """The name of a sheet of the group workbook in ``lang``.

    >>> group_sheet("matches", "en"), group_sheet("matches", "zh-CN")
    ('Matches to confirm', '待确认匹配')
    """
    return text(f"group.sheet_{key}", lang)


def create_group_book(path: Path, policy: Policy, lang: str) -> Path:
    """Write a new group workbook holding the group policy (base currency, language, FX
    rates of ``policy``) and an empty Group limits table; returns ``path``."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    book.set_properties({"title": text("group.title_buyers", lang), "author": "xlcredit"})
    head = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "text_wrap": True})
    title = book.add_format({"bold": True, "font_size": 14})
    note = book.add_format({"italic": True, "font_color": "#595959"})
    rate = book.add_format({"num_format": "0.0000##"})
    money = book.add_format({"num_format": "#,##0.00"})
    text_fmt = book.add_format({"num_format": "@"})

    ws = book.add_worksheet(group_sheet("policy", lang))
    ws.set_tab_color("#C65911")
    ws.write_string(0, 0, text("group.title_policy", lang), title)
    ws.write_string(1, 0, text("group.note_policy", lang), note)
    settings = {"base_currency": policy.base_currency, "language": lang}
    headers = POLICY.headers(lang)
    ws.add_table(3, 0, 3 + len(settings), 2, {"name": POLICY.name, "style": "TableStyleLight9",
                                              "columns": [{"header": h, "header_format": head} for h in headers]})
    for i, (key, value) in enumerate(settings.items()):
        ws.write_string(4 + i, 0, key)
        ws.write_string(4 + i, 1, value)
        ws.write_string(4 + i, 2, describe_setting(key, lang))
    rates = [(policy.base_currency, 1.0)] + [(c, r) for c, r in policy.fx_rates if c != policy.base_currency]
    top = 4 + len(settings) + 2
    ws.write_string(top - 1, 0, text("group.h_rate", lang, ccy=policy.base_currency), book.add_format({"bold": True}))
    ws.add_table(top, 0, top + len(rates), 1, {"name": FX.name, "style": "TableStyleLight9",
                                               "columns": [{"header": h, "header_format": head}
                                                           for h in FX.headers(lang)]})
    for i, (code, factor) in enumerate(rates):
        ws.write_string(top + 1 + i, 0, code)
        ws.write_number(top + 1 + i, 1, float(factor), rate)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 60)

    ws = book.add_worksheet(group_sheet("limits", lang))
    ws.set_tab_color("#C65911")
    ws.write_string(0, 0, text("group.title_limits", lang), title)
    ws.write_string(1, 0, text("group.note_limits", lang), note)
    columns = GROUP_LIMITS.columns
    ws.add_table(3, 0, 4, len(columns) - 1, {
        "name": GROUP_LIMITS_TABLE, "style": "TableStyleLight9",
        "columns": [{"header": c.header(lang), "header_format": head} for c in columns]})
    ws.set_column(0, 0, 18, text_fmt)
    ws.set_column(1, 1, 22, money)
    ws.set_column(2, 2, 40)
    book.close()
    return path
