"""Layout for Chinese and large amounts (issue 15, item 5): every column of the generated
sheets and of Buyers is at least as wide as the longest text it shows (a CJK character
counting two) and, for amounts, as the widest amount a large company reaches (1e9 to
1e10), so nothing shows ``###``; Buyers prints landscape, readable, with its header row
and the buyer's ID and name on every page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xlcredit.macros import refresh_all
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.schema import BUYERS, INVOICES, SHEET_NAMES, TableSchema
from xlcredit.workbook.templates import PAGE_CHARS, build_template

#: Issue 15: "Chinese Aging totals of 1.16 billion show ###".
TARGET = 1_160_000_000.0
#: Text longer than this is allowed to stop at the column's edge (xlcredit.workbook.widths.TEXT_CAP).
TEXT_CAP = 60
#: The generated sheets a refresh writes.
ROLES = ("aging", "collections", "dashboard", "credit_hold", "history", "problems")


def _shown(value: Any, fmt: str) -> str:
    """What a cell shows (written apart from xlcredit's code: Python's own formatting for
    the accounting formats the sheets use)."""
    if isinstance(value, bool):
        return "FALSE"
    if isinstance(value, (dt.date, dt.datetime)):
        return "2026-11-30" if fmt == "yyyy-mm-dd" or isinstance(value, dt.date) else str(value)
    if isinstance(value, (int, float)):
        if "0" not in fmt and "#" not in fmt:
            return f"{value:g}"
        first = fmt.split(";")[0]
        decimals = len(first.split(".")[1].rstrip("%").replace("_)", "")) if "." in first else 0
        if "%" in first:
            return f"{value * 100:.{decimals}f}%"
        return f"{value:,.{decimals}f}" if "," in first else f"{value:.{decimals}f}"
    return "" if value is None else str(value)


def _width(text: str) -> int:
    return sum(2 if re.match(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]", ch) else 1
               for ch in text)


def _scale(path: Path, schema: TableSchema, factor: float) -> None:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if schema.name in ws.tables:
            cells = ws[ws.tables[schema.name].ref]
            found = schema.resolve([c.value for c in cells[0]])
            money = [i for n, i in found.items() if schema.column(n).kind == "money" and not schema.column(n).output]
            for row in cells[1:]:
                for i in money:
                    if isinstance(row[i].value, (int, float)):
                        row[i].value = round(row[i].value * factor, 2)
    wb.save(path)


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def large_book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    lang = request.param
    path = build_template(tmp_path_factory.mktemp("layout") / "large.xlsx", lang=lang, sample=60)
    with FileWorkbook.open(path) as book:
        factor = TARGET / refresh_all(book).receivables
    _scale(path, INVOICES, factor)
    _scale(path, BUYERS, factor)
    with FileWorkbook.open(path) as book:
        summary = refresh_all(book)
        book.save()
    assert summary.receivables == pytest.approx(TARGET, rel=1e-6)
    return path, lang


def _widths(ws: Any) -> dict[int, float]:
    """Width of each column (1-based) from the sheet's <col> ranges (openpyxl keys a range
    of equal columns by its first letter)."""
    out: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.width:
            for i in range(dim.min, (dim.max or dim.min) + 1):
                out[i] = dim.width
    return out


def _check_table_widths(ws: Any, table: Any, header_lines: int = 1) -> int:
    """Assert every column of ``table`` fits its longest shown text (a header on up to
    ``header_lines`` lines); return the number of money columns checked against 1e9..1e10."""
    cells = ws[table.ref]
    money = 0
    widths = _widths(ws)
    for j, head in enumerate(cells[0]):
        width = widths.get(head.column, 8.43)
        need = min(_width(str(head.value)) / header_lines, TEXT_CAP) + 2  # the header and its filter button
        fmt = "General"
        for row in cells[1:1001]:
            c = row[j]
            shown = _shown(c.value, c.number_format)
            need = max(need, min(_width(shown), TEXT_CAP) + 1)
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                fmt = c.number_format
        if "#,##0" in fmt:
            money += 1
            for x in (1e9, 1_160_000_000.13, 9_999_999_999.99, -9_999_999_999.99):
                need = max(need, len(_shown(x, fmt) if x > 0 else "-" + _shown(-x, fmt)) + 1)
        assert width >= need, (ws.title, table.name, head.value, width, need)
    return money


def test_generated_sheets_fit_their_content_and_ten_billion(large_book: tuple[Path, str]) -> None:
    path, lang = large_book
    wb = openpyxl.load_workbook(path, data_only=True)  # formulas as their cached values
    money = 0
    for role in ROLES:
        ws = wb[SHEET_NAMES[role][lang]]
        for table in ws.tables.values():
            money += _check_table_widths(ws, table)
    assert money >= 10  # Aging buckets and totals, Collections, Credit hold amounts
    # The total the issue saw as ###: 1.16 billion on the Aging sheet (the cached value of
    # its total), in a column the check above found wide enough.
    aging = wb[SHEET_NAMES["aging"][lang]]
    values = [c.value for row in aging.iter_rows() for c in row if isinstance(c.value, float)]
    assert max(values) == pytest.approx(TARGET, rel=1e-6)


def test_chinese_names_count_double(large_book: tuple[Path, str]) -> None:
    path, lang = large_book
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_NAMES["aging"][lang]]
    table = next(iter(ws.tables.values()))
    cells = ws[table.ref]
    names = [r[1].value for r in cells[1:] if isinstance(r[1].value, str) and re.search(r"[\u4e00-\u9fff]", r[1].value)]
    assert names  # the sample has Chinese buyers in both languages
    width = _widths(ws)[cells[0][1].column]
    assert width >= max(2 * len(n) for n in names) + 1


def test_buyers_money_columns_fit_ten_billion_and_print_readably(large_book: tuple[Path, str]) -> None:
    path, lang = large_book
    wb = openpyxl.load_workbook(path)
    ws = wb[BUYERS.sheet(lang)]
    assert ws.row_dimensions[1].height >= 40  # three lines of 10-pt header text, wrapped
    _check_table_widths(ws, ws.tables[BUYERS.name], header_lines=3)
    ps = ws.page_setup
    assert ps.orientation == "landscape" and ps.paperSize in (9, "9")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ps.fitToHeight in (0, "0")  # as many pages tall as the rows need
    assert ws.print_title_rows == "$1:$1"  # the header row on every page
    assert ws.print_title_cols == "$A:$B"  # Buyer ID and Name on every page
    widths = [_widths(ws)[j + 1] for j in range(len(BUYERS.columns))]
    pages = int(ps.fitToWidth)
    titles = widths[0] + widths[1]
    # Each page holds at most PAGE_CHARS of width (about 90 % of A4 landscape at 10 pt),
    # so the text prints at a readable size; one page wide would shrink it to about 16 %.
    assert (sum(widths) - titles) / pages + titles <= PAGE_CHARS + max(widths)
    assert pages >= 2
    assert "&P" in (ws.oddFooter.center.text or "")
    if lang == "zh-CN":
        assert "页" in ws.oddFooter.center.text
