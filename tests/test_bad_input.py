"""Bad input, tried for real (issue 6): a corpus of bad workbooks, built by code, each run
through the real command line (``xlcredit refresh``).

For every case the run either completes with the problem listed on the Problems sheet
(sheet, row, column, value, rule) or stops with one line on stderr that says what to fix.
Always: no traceback; a stopped run leaves the input byte-identical (sha256) with no lock
or temporary file beside it; the cells the user typed are the same after the run (every
cell of every sheet that existed before, read with python-calamine); nothing from a cell
is executed (formula-like text stays text: see also tests/test_security.py).

The outcome of every case is collected in ``OUTCOMES`` and summarised by
``test_corpus_summary`` (the figures quoted in docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from xlcredit.cli import main
from xlcredit.workbook import FileWorkbook
from xlcredit.workbook.schema import BUYERS

AS_OF = "2026-11-30"
BUYER_HEADERS = ["Buyer ID", "Name", "Currency", "Total assets", "Total liabilities",
                 "Current assets", "Current liabilities", "Revenue", "Expected annual sales"]
INVOICE_HEADERS = ["Invoice no", "Buyer ID", "Currency", "Amount", "Paid amount",
                   "Invoice date", "Due date", "Paid date", "Disputed"]


def _buyer(i: int, **over: Any) -> list[Any]:
    row: dict[str, Any] = {"Buyer ID": f"B{i:03d}", "Name": f"Buyer {i} Ltd", "Currency": "EUR",
                           "Total assets": 1_000_000.0 + i, "Total liabilities": 600_000.0,
                           "Current assets": 400_000.0, "Current liabilities": 250_000.0,
                           "Revenue": 2_000_000.0, "Expected annual sales": 120_000.0}
    row.update(over)
    return [row[h] for h in BUYER_HEADERS]


def _invoice(i: int, buyer: int, **over: Any) -> list[Any]:
    row: dict[str, Any] = {"Invoice no": f"INV-{i:04d}", "Buyer ID": f"B{buyer:03d}",
                           "Currency": "EUR", "Amount": 1000.0 * (i + 1), "Paid amount": None,
                           "Invoice date": dt.datetime(2026, 9, 1), "Due date": dt.datetime(2026, 10, 1),
                           "Paid date": None, "Disputed": "N"}
    row.update(over)
    return [row[h] for h in INVOICE_HEADERS]


@dataclass
class Book:
    """What a bad workbook is made of; ``build`` writes it with XlsxWriter."""

    buyer_headers: list[str] = field(default_factory=lambda: list(BUYER_HEADERS))
    buyers: list[list[Any]] = field(default_factory=lambda: [_buyer(i) for i in range(1, 5)])
    invoice_headers: list[str] = field(default_factory=lambda: list(INVOICE_HEADERS))
    invoices: list[list[Any]] = field(
        default_factory=lambda: [_invoice(i, 1 + i % 4) for i in range(8)]
    )
    buyers_sheet: str = "Buyers"
    invoices_sheet: str = "Invoices"
    buyers_table: str | None = "tblBuyers"
    invoices_table: str | None = "tblInvoices"
    #: ``edit(workbook, buyers_ws, invoices_ws, formats)`` runs before closing.
    edit: Callable[..., None] | None = None

    def build(self, path: Path) -> Path:
        wb = xlsxwriter.Workbook(
            str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                        "strings_to_urls": False, "nan_inf_to_errors": True}
        )
        date = wb.add_format({"num_format": "yyyy-mm-dd"})
        sheets = []
        for sheet, table, headers, rows in (
            (self.buyers_sheet, self.buyers_table, self.buyer_headers, self.buyers),
            (self.invoices_sheet, self.invoices_table, self.invoice_headers, self.invoices),
        ):
            ws = wb.add_worksheet(sheet)
            sheets.append(ws)
            for c, h in enumerate(headers):
                ws.write_string(0, c, h)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    _write(ws, r, c, value, date)
            if table is not None:
                ws.add_table(0, 0, max(len(rows), 1), len(headers) - 1, {
                    "name": table, "columns": [{"header": h} for h in headers]})
        if self.edit is not None:
            self.edit(wb, sheets[0], sheets[1], {"date": date})
        wb.close()
        return path


def _write(ws: Any, r: int, c: int, value: Any, date: Any) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, date)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, float | int):
        ws.write_number(r, c, value)
    elif isinstance(value, str) and value.startswith("#ERR:"):  # an error cell: formula + error result
        ws.write_formula(r, c, "=1/0" if "DIV" in value else "=NA()", None, value[5:])
    else:
        ws.write_string(r, c, str(value))


# --------------------------------------------------------------------------- running a case
@dataclass
class Result:
    code: int
    out: str
    err: str
    seconds: float


def refresh(path: Path, *extra: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    code = main(["refresh", str(path), "--as-of", AS_OF, *extra], out=out, err=err)
    return Result(code, out.getvalue(), err.getvalue(), time.perf_counter() - started)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def grid(path: Path) -> dict[str, list[list[Any]]]:
    """Every cell of every sheet (python-calamine; error cells read as "")."""
    book = CalamineWorkbook.from_path(str(path))
    try:
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names}
    finally:
        book.close()


def problems(path: Path) -> list[tuple[Any, ...]]:
    with FileWorkbook.open(path, read_only=True) as book:
        rows = [tuple(row) for row in book.read_table("tblProblems").rows]
    return [row for row in rows if any(v not in (None, "") for v in row)]  # an empty table has one blank row


def assert_user_cells_kept(before: dict[str, list[list[Any]]], path: Path) -> int:
    """Every cell of every sheet that existed before is unchanged; return how many were compared."""
    after = grid(path)
    compared = 0
    for sheet, rows in before.items():
        assert sheet in after, f"sheet {sheet} was lost"
        new = after[sheet]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value == "" or value is None:
                    continue
                got = new[r][c] if r < len(new) and c < len(new[r]) else None
                assert got == value, f"{sheet}!R{r + 1}C{c + 1}: {value!r} became {got!r}"
                compared += 1
    return compared


OUTCOMES: dict[str, str] = {}
INTACT: dict[str, int] = {"stopped": 0, "intact": 0, "cells": 0}


def check_stop(name: str, path: Path, digest: str, result: Result, hint: str) -> None:
    assert result.code != 0, result.out
    assert "Traceback" not in result.err
    assert result.err.count("\n") == 1 and result.err.startswith("xlcredit: error: "), result.err
    assert "internal error" not in result.err
    assert hint.lower() in result.err.lower(), result.err
    assert sha256(path) == digest
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no lock, no temp
    INTACT["stopped"] += 1
    INTACT["intact"] += 1
    OUTCOMES[name] = f"stopped (exit {result.code}): {result.err.strip().removeprefix('xlcredit: error: ')}"


def check_done(name: str, path: Path, before: dict[str, list[list[Any]]], result: Result,
               expected: list[tuple[str, str, str]]) -> list[tuple[Any, ...]]:
    """The run completed; each (sheet, column, rule part) is on the Problems sheet."""
    assert result.code == 0, result.err
    assert result.err == "" and "Traceback" not in result.out
    INTACT["cells"] += assert_user_cells_kept(before, path)
    found = problems(path)
    for sheet, column, rule in expected:
        hits = [p for p in found if p[0] == sheet and p[2] == column and rule in str(p[4])]
        assert hits, f"no problem {sheet}/{column}/{rule!r} in {found}"
        assert all(isinstance(p[1], float | int) and p[1] >= 2 for p in hits), hits  # a row number
    OUTCOMES[name] = f"completed, {len(found)} problem(s) listed" + (
        f"; e.g. {found[0][0]} row {found[0][1]:.0f} {found[0][2]}: {found[0][4]}" if found else "")
    return found


def run_book(tmp_path: Path, name: str, book: Book) -> tuple[Path, dict[str, list[list[Any]]], Result]:
    path = book.build(tmp_path / f"{name}.xlsx")
    before = grid(path)
    return path, before, refresh(path)


# --------------------------------------------------------------------------- cases: schema
def test_missing_buyers_table(tmp_path: Path) -> None:
    path = Book(buyers_table=None).build(tmp_path / "no_table.xlsx")
    digest = sha256(path)
    check_stop("missing table tblBuyers", path, digest, refresh(path), "no table named tblBuyers")


def test_missing_required_column(tmp_path: Path) -> None:
    headers = [h for h in INVOICE_HEADERS if h != "Due date"]
    rows = [[v for h, v in zip(INVOICE_HEADERS, r, strict=True) if h != "Due date"]
            for r in Book().invoices]
    path = Book(invoice_headers=headers, invoices=rows).build(tmp_path / "no_due.xlsx")
    digest = sha256(path)
    check_stop("missing required column (due date)", path, digest, refresh(path), "Add the column")


def test_renamed_and_chinese_headers(tmp_path: Path) -> None:
    zh_buyers = [BUYERS.column(BUYERS.match_header(h) or "").zh for h in BUYER_HEADERS]
    erp_invoices = ["Document no", "Customer ID", "Curr", "Gross amount", "Amount paid",
                    "Document date", "Net due date", "Clearing date", "In dispute"]
    book = Book(buyer_headers=zh_buyers, invoice_headers=erp_invoices, buyers_sheet="客户资料")
    path, before, result = run_book(tmp_path, "headers", book)
    check_done("renamed and Chinese headers", path, before, result, [])
    with FileWorkbook.open(path, read_only=True) as wb:
        table = wb.read_table("tblBuyers")
    exposure = [row[table.header.index("Exposure (base ccy)")] for row in table.rows]
    assert sum(exposure) == pytest.approx(sum(1000.0 * (i + 1) for i in range(8)))


# --------------------------------------------------------------------------- cases: cell values
def test_numbers_as_text(tmp_path: Path) -> None:
    buyers = [
        _buyer(1, **{"Total assets": "1,250,000.00", "Revenue": "¥3,000,000"}),
        _buyer(2, **{"Total assets": "$ 980,000", "Revenue": "€1.200.000,50"}),
        _buyer(3, **{"Total assets": "N/A", "Revenue": "-"}),
        _buyer(4, **{"Total assets": "lots", "Revenue": "12%"}),
    ]
    invoices = [_invoice(0, 1, Amount="1,200.50"), _invoice(1, 2, Amount="¥ 3,000"),
                _invoice(2, 3, Amount="€500"), _invoice(3, 4, Amount="$75.25"),
                _invoice(4, 1, Amount="N/A"), _invoice(5, 2, Amount="-"),
                _invoice(6, 3, Amount="twelve")]
    path, before, result = run_book(tmp_path, "text_numbers", Book(buyers=buyers, invoices=invoices))
    found = check_done("numbers as text (1,234 / ¥ $ € / % / N/A / -)", path, before, result, [
        ("Buyers", "Total assets", "is not a number"),
        ("Invoices", "Amount", "is not a number"),
    ])
    rows = {(p[0], int(p[1]), p[2]) for p in found if "is not a number" in str(p[4])}
    # the readable ones are read: B001, B002, INV-0000..0003
    assert ("Buyers", 2, "Total assets") not in rows and ("Buyers", 3, "Total assets") not in rows
    assert not any(p[0] == "Invoices" and int(p[1]) in (2, 3, 4, 5) and p[2] == "Amount"
                   and "is not a number" in str(p[4]) for p in found)
    assert ("Buyers", 5, "Total assets") in rows and ("Invoices", 8, "Amount") in rows
    # issue 11: a sign that contradicts the Currency column (EUR) is listed, never dropped
    signs = {(p[0], int(p[1]), p[2]) for p in found if "but the currency is EUR" in str(p[4])}
    assert signs == {("Buyers", 2, "Revenue"), ("Buyers", 3, "Total assets"),
                     ("Invoices", 3, "Amount"), ("Invoices", 5, "Amount")}, found
    with FileWorkbook.open(path, read_only=True) as wb:
        table = wb.read_table("tblBuyers")
    exposure = dict(zip([r[0] for r in table.rows],
                        [r[table.header.index("Exposure (base ccy)")] for r in table.rows], strict=True))
    assert exposure["B002"] == pytest.approx(3000.0)  # "¥ 3,000", no FX table: same base


def test_excel_error_cells(tmp_path: Path) -> None:
    buyers = [_buyer(1, Revenue="#ERR:#DIV/0!"), _buyer(2, **{"Total assets": "#ERR:#N/A"}),
              _buyer(3), _buyer(4)]
    invoices = [_invoice(0, 1, Amount="#ERR:#N/A"), _invoice(1, 2, **{"Due date": "#ERR:#DIV/0!"}),
                *[_invoice(i, 3) for i in range(2, 5)]]
    path, before, result = run_book(tmp_path, "errors", Book(buyers=buyers, invoices=invoices))
    # issue 11: an error cell is unknown (not zero) and listed as that error, required or not
    check_done("Excel error cells (#DIV/0!, #N/A)", path, before, result, [
        ("Invoices", "Amount", "the error #N/A"), ("Invoices", "Due date", "the error #DIV/0!"),
        ("Buyers", "Revenue", "the error #DIV/0!"), ("Buyers", "Total assets", "the error #N/A")])
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b't="e"' in xml  # the error cells are still there


def test_blank_rows_inside_tables(tmp_path: Path) -> None:
    blank_b = [None] * len(BUYER_HEADERS)
    blank_i = [None] * len(INVOICE_HEADERS)
    placeholder = ["-", None, None, "N/A", None, None, None, None, None]
    book = Book(buyers=[_buyer(1), blank_b, _buyer(2), placeholder, _buyer(3)],
                invoices=[_invoice(0, 1), blank_i, blank_i, _invoice(1, 2), _invoice(2, 3)])
    path, before, result = run_book(tmp_path, "blank_rows", book)
    check_done("blank rows inside tables", path, before, result, [])
    assert "Buyers 3," in result.out
    with FileWorkbook.open(path, read_only=True) as wb:
        table = wb.read_table("tblBuyers")
    bands = [r[table.header.index("Band")] for r in table.rows]
    assert [b is None for b in bands] == [False, True, False, True, False]  # blank rows stay blank


def _add_merges(path: Path, part: str, refs: list[str]) -> None:
    """Merge ranges written straight into the sheet XML (Excel itself refuses merges inside
    a table, other tools and old files do not)."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(part)
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
    xml = xml.replace(b"</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{merges}'
                      "</mergeCells>".encode(), 1)
    _replace_parts(path, {part: xml})


def test_merged_cells(tmp_path: Path) -> None:
    def merge(wb: Any, buyers: Any, invoices: Any, fm: dict[str, Any]) -> None:
        buyers.merge_range(8, 0, 9, 3, "Notes under the table, merged")
        invoices.merge_range(12, 0, 12, 3, "Totals are not in the table")

    book = Book(edit=merge)
    book.buyers[2][1] = None  # a merged cell keeps only the top-left value
    path = book.build(tmp_path / "merged.xlsx")
    _add_merges(path, "xl/worksheets/sheet1.xml", ["B3:B4"])  # Name of B002 and B003
    before = grid(path)
    check_done("merged cells (inside and below the tables)", path, before, refresh(path),
               [("Buyers", "Name", "required")])


def test_merged_cells_where_outputs_go(tmp_path: Path) -> None:
    def merge(wb: Any, buyers: Any, invoices: Any, fm: dict[str, Any]) -> None:
        buyers.merge_range(0, 10, 2, 12, "Comments (merged)")

    path = Book(edit=merge).build(tmp_path / "merged_right.xlsx")
    digest = sha256(path)
    check_stop("merged cells where the output columns go", path, digest, refresh(path),
               "is not empty")


def test_duplicate_ids_unknown_buyers_due_before_invoice_credit_notes(tmp_path: Path) -> None:
    buyers = [_buyer(1), _buyer(2), _buyer(2, Name="Duplicate of B002"), _buyer(3)]
    invoices = [
        _invoice(0, 1), _invoice(0, 2),  # duplicate invoice number
        _invoice(2, 9),  # unknown buyer
        _invoice(3, 1, **{"Invoice date": dt.datetime(2026, 11, 1), "Due date": dt.datetime(2026, 10, 1)}),
        _invoice(4, 3, Amount=-2500.0),  # a credit note
        _invoice(5, 3, Amount=4000.0),
    ]
    path, before, result = run_book(tmp_path, "keys", Book(buyers=buyers, invoices=invoices))
    check_done("duplicate IDs, unknown buyer, due before invoice date, credit note", path, before,
               result, [
                   ("Buyers", "Buyer ID", "more than once"),
                   ("Invoices", "Invoice no", "more than once"),
                   ("Invoices", "Buyer ID", "not in the buyer table"),
                   ("Invoices", "Due date", "is before Invoice date"),
               ])
    with FileWorkbook.open(path, read_only=True) as wb:
        table = wb.read_table("tblBuyers")
    exposure = {r[0]: r[table.header.index("Exposure (base ccy)")] for r in table.rows}
    assert exposure["B003"] == pytest.approx(1500.0)  # the credit note nets off


def test_dates_as_text(tmp_path: Path) -> None:
    invoices = [
        _invoice(0, 1, **{"Due date": "2026/11/28", "Invoice date": "2026/10/29"}),
        _invoice(1, 2, **{"Due date": "28.11.2026", "Invoice date": "29.10.2026"}),
        _invoice(2, 3, **{"Due date": "2026年11月28日", "Invoice date": "2026年10月29日"}),
        _invoice(3, 4, **{"Due date": 46354.0}),  # a serial number in a general cell
        _invoice(4, 1, **{"Due date": "next week"}),
        _invoice(5, 2, **{"Due date": "31.02.2026"}),
    ]
    path, before, result = run_book(tmp_path, "text_dates", Book(invoices=invoices))
    found = check_done("dates as text (2026/11/28, 28.11.2026, 2026年11月28日)", path, before,
                       result, [("Invoices", "Due date", "next week")])
    bad_rows = {int(p[1]) for p in found if p[2] == "Due date"}
    assert bad_rows == {6, 7}, found  # "next week" and 31 February; the three forms are read
    with FileWorkbook.open(path, read_only=True) as wb:
        aging = wb.read_table("tblCollections")
    days = dict(zip([r[aging.header.index("Invoice no")] for r in aging.rows],
                    [r[aging.header.index("Days overdue")] for r in aging.rows], strict=False))
    assert days.get("INV-0000") == 2 and days.get("INV-0001") == 2 and days.get("INV-0002") == 2


def test_huge_and_negative_values(tmp_path: Path) -> None:
    buyers = [_buyer(1, **{"Total assets": 1e300, "Revenue": 9.99e307}),
              _buyer(2, **{"Total assets": -5e6, "Total liabilities": -1.0}),
              _buyer(3, **{"Total assets": 0.0, "Total liabilities": 0.0}),
              _buyer(4, **{"Expected annual sales": -1e12})]
    invoices = [_invoice(0, 1, Amount=1e300), _invoice(1, 2, Amount=-1e15),
                _invoice(2, 3, **{"Paid amount": 5e6}), _invoice(3, 4, Amount=1e-300)]
    path, before, result = run_book(tmp_path, "huge", Book(buyers=buyers, invoices=invoices))
    check_done("huge and negative values", path, before, result, [
        ("Buyers", "Expected annual sales", ">= 0"),
        ("Invoices", "Paid amount", "is more than Amount"),
    ])
    # no inf or NaN written as a number anywhere: every output number is finite
    for sheet, rows in grid(path).items():
        for row in rows:
            assert all(not (isinstance(v, float) and v != v) for v in row), sheet


NAMES = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")",
         "Blossom 🌸 Trading", "上海🚢物流有限公司", "Ω-Tech\u200b GmbH", "Ctrl\x01char"]


def test_names_with_emoji_or_formula_signs(tmp_path: Path) -> None:
    buyers = [_buyer(i + 1, Name=name) for i, name in enumerate(NAMES)]
    ids = ["=B1", "+1", "-7", "@x", "B005", "🌸", "B007", "B008", "B009"]
    for row, buyer_id in zip(buyers, ids, strict=True):
        row[0] = buyer_id
    invoices = [_invoice(i, 1, **{"Buyer ID": ids[i % len(ids)], "Invoice no": f"=INV{i}"})
                for i in range(12)]
    path, before, result = run_book(tmp_path, "names", Book(buyers=buyers, invoices=invoices))
    check_done("names with emoji or starting with = + - @", path, before, result, [])
    # written into generated sheets (Aging, Collections, Score history) as text only
    with zipfile.ZipFile(path) as z:
        formulas = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"cmd|" in formulas  # the name is there...
    assert b"<f>cmd" not in formulas and b"<f>+SUM" not in formulas and b"<f>@SUM" not in formulas
    with FileWorkbook.open(path, read_only=True) as wb:
        aging = wb.read_table("tblAging")
    assert NAMES[0] in [r[1] for r in aging.rows] or NAMES[0] in [r[0] for r in aging.rows]


def test_totals_row_formulas_and_a_hidden_sheet(tmp_path: Path) -> None:
    """A table with a totals row, a formula typed in an input cell, dates typed as ISO text,
    and the Buyers sheet hidden: all kept, the totals row is not a buyer."""
    path = tmp_path / "totals.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    buyers = wb.add_worksheet("Buyers")
    rows = [_buyer(i) for i in range(1, 4)]
    buyers.add_table(0, 0, len(rows) + 1, len(BUYER_HEADERS) - 1, {
        "name": "tblBuyers", "total_row": True, "data": rows,
        "columns": [{"header": h, **({"total_function": "sum"} if h == "Revenue" else {})}
                    for h in BUYER_HEADERS]})
    invoices = wb.add_worksheet("Invoices")
    data = [[v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime) else v for v in _invoice(i, 1 + i % 3)]
            for i in range(5)]
    invoices.add_table(0, 0, len(data), len(INVOICE_HEADERS) - 1, {
        "name": "tblInvoices", "data": data, "columns": [{"header": h} for h in INVOICE_HEADERS]})
    invoices.write_formula(1, 3, "=500*2", None, 1000)
    buyers.hide()
    wb.add_worksheet("Start").activate()
    wb.close()
    before = grid(path)
    result = refresh(path)
    check_done("totals row, a formula in an input cell, hidden Buyers sheet", path, before, result, [])
    assert "Buyers 3," in result.out
    with zipfile.ZipFile(path) as z:
        sheets = z.read("xl/worksheets/sheet1.xml") + z.read("xl/worksheets/sheet2.xml")
    assert b"SUBTOTAL(109,[Revenue])" in sheets and b"<f>500*2</f>" in sheets  # formulas kept


# --------------------------------------------------------------------------- cases: the file
def _sheet_xml_million_rows(data_rows: int) -> bytes:
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<dimension ref="A1:B1048576"/><sheetData>')
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Buyer ID</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>']
    for r in range(2, data_rows + 2):
        rows.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>B{r:03d}</t></is></c>'
                    f'<c r="B{r}" t="inlineStr"><is><t>Buyer {r}</t></is></c></row>')
    # a formatted but empty cell in the very last row: the used range reaches it
    rows.append('<row r="1048576"><c r="B1048576" s="0"/></row>')
    tail = '</sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
    return (head + "".join(rows) + tail).encode()


def _replace_parts(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as z:
        old = {n: z.read(n) for n in z.namelist()}
    old.update(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in old.items():
            z.writestr(name, data)


def test_sheet_of_1048576_rows(tmp_path: Path) -> None:
    """A tblBuyers whose range reaches the last row of a sheet (a whole-column paste):
    cheap to build (the XML is written directly), and the run must stay small and quick."""
    import resource

    book = Book(buyer_headers=["Buyer ID", "Name"], buyers=[["B000", "x"]],
                invoices=[_invoice(i, 2 + i % 3) for i in range(6)])
    path = book.build(tmp_path / "million.xlsx")
    table = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             b'<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" '
             b'name="tblBuyers" displayName="tblBuyers" ref="A1:B1048576">'
             b'<autoFilter ref="A1:B1048576"/><tableColumns count="2">'
             b'<tableColumn id="1" name="Buyer ID"/><tableColumn id="2" name="Name"/>'
             b'</tableColumns><tableStyleInfo name="TableStyleMedium9" showRowStripes="1"/></table>')
    _replace_parts(path, {"xl/worksheets/sheet1.xml": _sheet_xml_million_rows(5),
                          "xl/tables/table1.xml": table})
    before = grid(path)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = refresh(path)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    check_done("a table reaching row 1,048,576", path, before, result, [])
    assert "Buyers 5," in result.out
    assert result.seconds < 60, result.seconds
    assert grown_mb < 3000, grown_mb
    assert path.stat().st_size < 5_000_000  # no million empty output cells written
    OUTCOMES["a table reaching row 1,048,576"] += f" ({result.seconds:.1f} s, peak +{grown_mb:.0f} MB)"


def test_used_range_reaching_row_1048576(tmp_path: Path) -> None:
    """A normal table on a sheet whose used range reaches the last row (a value typed at
    A1048576 of the Invoices sheet, below the table)."""
    path = Book().build(tmp_path / "used_range.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet2.xml")
    last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>end</t></is></c></row>'
    xml = xml.replace(b"</sheetData>", last + b"</sheetData>", 1)
    _replace_parts(path, {"xl/worksheets/sheet2.xml": xml})
    before = grid(path)
    result = refresh(path)
    check_done("a used range reaching row 1,048,576", path, before, result, [])
    assert "Buyers 4," in result.out and result.seconds < 60
    OUTCOMES["a used range reaching row 1,048,576"] += f" ({result.seconds:.1f} s)"


def test_protected_sheet(tmp_path: Path) -> None:
    path = Book(edit=lambda wb, b, i, fm: b.protect("secret")).build(tmp_path / "protected.xlsx")
    digest = sha256(path)
    check_stop("protected Buyers sheet", path, digest, refresh(path), "Unprotect Sheet")


def _ods_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


@pytest.mark.parametrize(("name", "data", "hint"), [
    ("book.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "save it as Excel Workbook (.xlsx)"),
    ("book.csv", b"Buyer ID,Name\nB001,Acme\n", ".xlsx"),
    ("book.ods", _ods_bytes(), ".xlsx"),
    ("xls_renamed.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "Excel 97-2003"),
    ("csv_renamed.xlsx", b"Buyer ID,Name\nB001,Acme\n", "not an Excel workbook"),
    ("ods_renamed.xlsx", _ods_bytes(), "OpenDocument"),
    ("empty.xlsx", b"", "not an Excel workbook"),
])
def test_wrong_kind_of_file(tmp_path: Path, name: str, data: bytes, hint: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    digest = sha256(path)
    check_stop(f"{name} given instead of .xlsx", path, digest, refresh(path), hint)


@pytest.mark.parametrize("how", ["truncated", "flipped bytes", "bad XML", "no workbook part",
                                 "missing sheet part"])
def test_damaged_file(tmp_path: Path, how: str) -> None:
    path = Book().build(tmp_path / "damaged.xlsx")
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) * 2 // 3])
    elif how == "flipped bytes":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 400])
                         + data[middle + 400 :])
    elif how == "bad XML":
        _replace_parts(path, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"})
    elif how == "no workbook part":
        _replace_parts(path, {"_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns='
                              b'"http://schemas.openxmlformats.org/package/2006/relationships"/>'})
    else:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist() if n != "xl/worksheets/sheet2.xml"}
        with zipfile.ZipFile(path, "w") as z:
            for n, d in parts.items():
                z.writestr(n, d)
    digest = sha256(path)
    check_stop(f"corrupted file ({how})", path, digest, refresh(path), "")


def test_zip_bomb(tmp_path: Path) -> None:
    """A real (small) bomb: a 300 MB sheet of zeros deflated to about 300 KB (1000:1 and more),
    refused from the zip directory alone, before anything is inflated."""
    path = Book().build(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for n, d in parts.items():
            z.writestr(n, d)
        with z.open("xl/media/bomb.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    assert path.stat().st_size < 2_000_000
    digest = sha256(path)
    started = time.perf_counter()
    result = refresh(path)
    check_stop("zip bomb (300 MB of zeros in 0.3 MB)", path, digest, result, "zip bomb")
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                  "xl/tables/table1.xml", "[Content_Types].xml"])
def test_xml_external_entity(tmp_path: Path, part: str) -> None:
    (tmp_path / "elsewhere").mkdir()
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.write_text("TOP-SECRET-PAYLOAD", encoding="utf-8")
    (tmp_path / "run").mkdir()
    path = Book().build(tmp_path / "run" / "xxe.xlsx")
    with zipfile.ZipFile(path) as z:
        body = z.read(part).split(b"?>", 1)[1]
    root_tag = body.lstrip()[1:].split(b" ", 1)[0].split(b">", 1)[0]
    payload = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE ' + root_tag
               + b' [<!ENTITY xxe SYSTEM "file://' + str(secret).encode() + b'">]>' + body)
    _replace_parts(path, {part: payload})
    digest = sha256(path)
    result = refresh(path)
    check_stop(f"XML external entity in {part}", path, digest, result, "refuses")
    assert "TOP-SECRET" not in result.err + result.out


def test_output_to_a_bad_place_leaves_input_alone(tmp_path: Path) -> None:
    path = Book().build(tmp_path / "book.xlsx")
    digest = sha256(path)
    result = refresh(path, "--output", str(tmp_path / "out.csv"))
    check_stop("--output with a .csv name", path, digest, result, ".xlsx")


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    path = Book().build(tmp_path / "book.xlsx")
    digest = sha256(path)
    result = refresh(path, "--output", str(tmp_path / "no" / "such" / "out.xlsx"))
    check_stop("--output into a folder that does not exist", path, digest, result,
               "does not exist; create it")


# --------------------------------------------------------------------------- the real process
def test_every_stop_is_one_line_in_a_real_process(tmp_path: Path) -> None:
    """The same through ``python -m xlcredit`` (what a nightly job runs): exit code, one line,
    no traceback on the real stderr, the file as it was."""
    good = Book().build(tmp_path / "good.xlsx")
    xxe = Book().build(tmp_path / "xxe.xlsx")
    _replace_parts(xxe, {"xl/workbook.xml": b'<!DOCTYPE w [<!ENTITY a "b">]><w>&a;</w>'})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/huge.xml", "w", force_zip64=True) as member:
            for _ in range(64):  # 64 MB of zeros at about 1000:1, above the ratio limit
                member.write(bytes(1024 * 1024))
    cases = {
        "bomb.xlsx": buf.getvalue(),
        "xxe.xlsx": xxe.read_bytes(),
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "half.xlsx": good.read_bytes()[: good.stat().st_size // 2],
    }
    (tmp_path / "run").mkdir()
    for name, data in cases.items():
        path = tmp_path / "run" / name
        path.write_bytes(data)
        done = subprocess.run([sys.executable, "-m", "xlcredit", "refresh", str(path)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 5, (name, done.stderr)
        assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
        assert path.read_bytes() == data
        assert sorted(p.name for p in path.parent.iterdir()) == [name]
        path.unlink()


def test_corpus_summary() -> None:
    """Runs last in this module (pytest keeps file order): the figures for docs/reliability.md
    (printed with ``pytest -s``)."""
    if len(OUTCOMES) < 20:
        pytest.skip("run the whole module to get the summary")
    print(f"\n{len(OUTCOMES)} cases; {INTACT['stopped']} stopped with the input byte-identical; "
          f"{len(OUTCOMES) - INTACT['stopped']} completed with {INTACT['cells']} user cells "
          "compared unchanged")
    print("\n".join(f"- {name}: {outcome}" for name, outcome in OUTCOMES.items()))
    assert INTACT["stopped"] == INTACT["intact"]
    assert not any("internal error" in outcome for outcome in OUTCOMES.values())
