"""Accountant-safe reading (issue 11): each misread, typed the accountant's way and typed
plainly, gives the same outputs, or the Problems sheet names the cell; no user column is
ever written."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import xlsxwriter

from xlcredit import macros
from xlcredit.cli import main
from xlcredit.engine.errors import SchemaError, WorkbookLockedError
from xlcredit.engine.policy import Policy
from xlcredit.macros.labels import _l
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.reading import (
    ErrorCell,
    NoCachedValue,
    ReadingRules,
    read_dates,
    read_numbers,
)
from xlcredit.workbook.schema import INVOICES, group_problems, parse_table
from xlcredit.workbook.sheet_cells import cell_markers

AS_OF = dt.date(2026, 11, 30)
BUYER_HEADERS = ["Buyer ID", "Name", "Currency", "Total assets", "Total liabilities", "Current assets",
                 "Current liabilities", "Retained earnings", "EBIT", "Revenue", "Late share"]
INVOICE_HEADERS = ["Invoice no", "Buyer ID", "Currency", "Amount", "Paid amount", "Invoice date",
                   "Due date", "Paid date"]
OUTPUTS = ["Exposure (base ccy)", "Overdue (base ccy)", "Score", "Band", "Recommended limit (base ccy)", "Decision",
           "Action"]


def _d(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d)


PLAIN_BUYERS = [
    ["B1", "Alpha", "EUR", 1_250_000.0, 600_000.0, 500_000.0, 300_000.0, 200_000.0, 90_000.0, 2_000_000.0, 0.125],
    ["B2", "Beta", "EUR", 980_000.0, 700_000.0, 300_000.0, 350_000.0, -20_000.0, 10_000.0, 1_200_000.5, 0.4],
]
PLAIN_INVOICES = [
    ["I1", "B1", "EUR", 1234.56, None, _d(2026, 9, 1), _d(2026, 10, 1), None],
    ["I2", "B1", "EUR", -250.0, None, _d(2026, 9, 3), _d(2026, 10, 3), None],
    ["I3", "B2", "EUR", 5000.0, 5000.0, _d(2026, 3, 4), _d(2026, 4, 3), _d(2026, 4, 28)],
    ["I4", "B2", "EUR", 780.0, None, _d(2026, 11, 2), _d(2026, 11, 28), None],
]


def _book(path: Path, buyers: list[list[Any]], invoices: list[list[Any]], *,
          buyer_headers: list[str] = BUYER_HEADERS, invoice_headers: list[str] = INVOICE_HEADERS,
          date1904: bool = False, invoice_table: str = "tblInvoices") -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "date_1904": date1904})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, sheet, headers, rows in (("tblBuyers", "Buyers", buyer_headers, buyers),
                                       (invoice_table, "Invoices", invoice_headers, invoices)):
        ws = book.add_worksheet(sheet)
        ws.add_table(0, 0, max(len(rows), 1), len(headers) - 1,
                     {"name": name, "columns": [{"header": h} for h in headers]})
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value, date)
                elif value is not None:
                    ws.write(r, c, value)
    book.close()
    return path


def _refresh(path: Path) -> macros.RefreshSummary:
    with FileWorkbook.open(path) as book:
        summary = macros.refresh_all(book, as_of=AS_OF)
        book.save()
    return summary


def _outputs(path: Path) -> dict[str, Any]:
    """What refresh wrote: the Buyers output columns and the Aging and Collections tables."""
    with FileWorkbook.open(path, read_only=True) as book:
        buyers = book.read_table("tblBuyers")
        out: dict[str, Any] = {h: [row[buyers.header.index(h)] for row in buyers.rows] for h in OUTPUTS}
        out["aging"] = book.read_table("tblAging").rows
        out["collections"] = book.read_table("tblCollections").rows
    return out


def _problems(path: Path) -> list[list[Any]]:
    with FileWorkbook.open(path, read_only=True) as book:
        return [row for row in book.read_table("tblProblems").rows if any(v is not None for v in row)]


def _differential(tmp_path: Path, buyers: list[list[Any]], invoices: list[list[Any]], **kw: Any) -> list[list[Any]]:
    plain = _book(tmp_path / "plain.xlsx", PLAIN_BUYERS, PLAIN_INVOICES)
    typed = _book(tmp_path / "typed.xlsx", buyers, invoices, **kw)
    _refresh(plain)
    _refresh(typed)
    assert _outputs(typed) == _outputs(plain)
    return _problems(typed)


def _retype(rows: list[list[Any]], changes: dict[tuple[int, int], Any]) -> list[list[Any]]:
    out = [list(r) for r in rows]
    for (r, c), v in changes.items():
        out[r][c] = v
    return out


# ----------------------------------------------------------------------------- differential
def test_text_numbers_as_accountants_type_them_read_as_typed_plainly(tmp_path: Path) -> None:
    # issue 11: "0.125" as a late share was read as 125; "1,200,000.50", "(250.00)", a
    # Unicode minus, a trailing minus and currency signs matching the Currency column
    buyers = _retype(PLAIN_BUYERS, {(0, 10): "0.125", (0, 3): "1,250,000.00", (1, 9): "€1,200,000.50",
                                    (1, 7): "−20,000", (1, 3): "980 000", (1, 10): "40%"})
    invoices = _retype(PLAIN_INVOICES, {(0, 3): "1,234.56 EUR", (1, 3): "(250.00)", (2, 3): "5000.00",
                                        (3, 3): "780.00"})
    problems = _differential(tmp_path, buyers, invoices)
    assert problems == []


def test_european_decimals_read_as_typed_plainly(tmp_path: Path) -> None:
    # SAP export from Germany: decimal comma shown by "1.234,56"; "250,00-" trailing minus
    invoices = _retype(PLAIN_INVOICES, {(0, 3): "1.234,56", (1, 3): "250,00-", (2, 3): "5.000",
                                        (2, 4): "5.000", (3, 3): "780"})
    assert _differential(tmp_path, PLAIN_BUYERS, invoices) == []


def test_us_text_dates_follow_the_column(tmp_path: Path) -> None:
    # issue 11: text dates were read day-first even in a column of US dates; "03/04/2026"
    # follows "09/03/2026"? no: it follows the column's unambiguous "11/28/2026"
    invoices = _retype(PLAIN_INVOICES, {(0, 5): "09/01/2026", (0, 6): "10/01/2026", (1, 5): "09/03/2026",
                                        (1, 6): "10/03/2026", (2, 5): "03/04/2026", (2, 6): "04/03/2026",
                                        (2, 7): "04/28/2026", (3, 5): "11/02/2026", (3, 6): "11/28/2026"})
    assert _differential(tmp_path, PLAIN_BUYERS, invoices) == []


def test_day_first_text_dates_and_sap_empty_date(tmp_path: Path) -> None:
    invoices = _retype(PLAIN_INVOICES, {(0, 5): "01.09.2026", (0, 6): "01.10.2026", (0, 7): "00.00.0000",
                                        (1, 6): "03.10.2026", (2, 6): "03.04.2026", (2, 7): "28.04.2026",
                                        (3, 6): "28.11.2026", (3, 7): "00.00.0000"})
    assert _differential(tmp_path, PLAIN_BUYERS, invoices) == []  # 00.00.0000 is blank, not a problem


def test_ambiguous_values_are_listed_with_their_cell(tmp_path: Path) -> None:
    # "1,234,56" was read as 123456; "03/04/2026" alone could be either order
    invoices = _retype(PLAIN_INVOICES, {(0, 3): "1,234,56", (2, 7): "03/04/2026"})
    path = _book(tmp_path / "b.xlsx", PLAIN_BUYERS, invoices)
    _refresh(path)
    found = {(p[0], p[1], p[2]): p[4] for p in _problems(path)}
    assert "thousands groups" in found[("Invoices", 2.0, "Amount")]
    assert "input.date_order" in found[("Invoices", 4.0, "Paid date")]


def test_date_order_setting_reads_the_ambiguous_column() -> None:
    rules = ReadingRules(date_order="MDY")
    d = read_dates(["03/04/2026", "28/04/2026"], "due_date", rules)
    assert str(d.values[0])[:10] == "2026-03-04" and d.values[1] != d.values[1]  # NaT
    assert "input.date_order = MDY" in d.problems[1]


def test_year_first_setting_lists_day_and_month_first_dates() -> None:
    """An explicit YMD is checked like DMY and MDY: a date with the day or month first
    contradicts it (two-digit years are read year first)."""
    d = read_dates(["28/11/2026", "03/04/2026", "2026-11-28", "26/11/28"], "due_date", ReadingRules(date_order="YMD"))
    assert [str(v)[:10] for v in d.values] == ["NaT", "NaT", "2026-11-28", "2026-11-28"]
    assert "input.date_order = YMD" in d.problems[0] and "input.date_order = YMD" in d.problems[1]


def test_import_settings_name_the_command_line_options() -> None:
    """The same facts, the fix named where the reader sets it (xlcredit import's options)."""
    cli = ReadingRules(settings="cli")
    assert read_numbers(["1,234"], "amount", cli).problems[0].endswith("(--decimal point or --decimal comma)")
    assert "--date-order DMY or MDY" in read_dates(["03/04/2026"], "due_date", cli).problems[0]
    policy, flag = (read_numbers(["1,234"], "amount", r).problems[0] for r in (ReadingRules(), cli))
    assert policy.split(";")[0].split("(")[0] == flag.split(";")[0].split("(")[0]  # same reading


def test_decimal_setting_reads_the_ambiguous_column() -> None:
    assert read_numbers(["1,234"], "x", ReadingRules(decimal="comma")).values.tolist() == [1.234]
    assert read_numbers(["1,234"], "x", ReadingRules(decimal="point")).values.tolist() == [1234.0]
    # a value that reads only one way and contradicts the setting is listed
    assert "input.decimal = point" in read_numbers(["12,5"], "x", ReadingRules(decimal="point")).problems[0]


def test_currency_signs() -> None:
    r = read_numbers(["¥3,000", "12万元", "USD 1,200.00", "1 200 €"], "amount")
    assert r.values.tolist() == [3000.0, 120000.0, 1200.0, 1200.0]
    assert r.currency_codes.tolist() == ["CNY|JPY", "CNY", "USD", "EUR"]
    t = parse_table(["Invoice no", "Buyer ID", "Currency", "Amount", "Due date"],
                    [["1", "C", None, "¥3,000", "2026-11-01"], ["2", "C", "CNY", "¥3,000", "2026-11-01"],
                     ["3", "C", "USD", "€5", "2026-11-01"]], INVOICES)
    rules = [(p.row, p.rule) for p in t.problems]
    assert rules == [(2, "Amount: '¥3,000' - the sign ¥ could be CNY/JPY; fill the currency column"),
                     (4, "Amount: '€5' is marked € (EUR) but the currency is USD")]


def test_plausible_date_window() -> None:
    rules = ReadingRules(today=AS_OF)
    d = read_dates([dt.datetime(1985, 1, 2), "2040-01-01", "2026-11-28"], "due_date", rules)
    assert [p is not None for p in d.problems] == [True, True, False]
    assert str(d.values[0])[:10] == "1985-01-02"  # kept, and named


# ----------------------------------------------------------------------------- 1904
def test_1904_workbook_reads_and_writes_dates(tmp_path: Path) -> None:
    plain = _book(tmp_path / "plain.xlsx", PLAIN_BUYERS, PLAIN_INVOICES)
    mac = _book(tmp_path / "mac.xlsx", PLAIN_BUYERS, PLAIN_INVOICES, date1904=True)
    _refresh(plain)
    _refresh(mac)
    assert _outputs(mac) == _outputs(plain)
    # a promise date typed on Collections stays where it was, refresh after refresh
    book = openpyxl.load_workbook(mac)
    assert book.epoch == openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = book["Collections"]
    header_row = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Invoice no")
    headers = [c.value for c in ws[header_row]]
    col = headers.index("Promise date") + 1
    ws.cell(header_row + 1, col, dt.datetime(2026, 12, 15)).number_format = "yyyy-mm-dd"
    book.save(mac)
    for _ in range(2):
        _refresh(mac)
        ws = openpyxl.load_workbook(mac)["Collections"]
        dates = [ws.cell(r, col).value for r in range(header_row + 1, ws.max_row + 1)]
        assert dt.datetime(2026, 12, 15) in dates
    # serial numbers typed in a date column count from 1904
    t = parse_table(["Invoice no", "Buyer ID", "Amount", "Due date"], [["1", "C", 1.0, 44892.0]], INVOICES,
                    rules=ReadingRules(date1904=True))
    assert str(t.frame["due_date"][0])[:10] == "2026-11-28"


# ----------------------------------------------------------------------------- headers
def test_alias_never_captures_a_users_column(tmp_path: Path) -> None:
    # issue 11: a user column "Flag" (alias of Action) was overwritten, Action left empty
    headers = [*BUYER_HEADERS, "Flag", "Action"]
    buyers = [[*row, "call Mei", None] for row in PLAIN_BUYERS]
    path = _book(tmp_path / "flag.xlsx", buyers, PLAIN_INVOICES, buyer_headers=headers)
    _refresh(path)
    with FileWorkbook.open(path, read_only=True) as book:
        t = book.read_table("tblBuyers")
    assert [row[t.header.index("Flag")] for row in t.rows] == ["call Mei", "call Mei"]
    assert all(row[t.header.index("Action")] for row in t.rows)
    # "Flag" alone: still the user's; refresh adds its own Action column
    headers = [*BUYER_HEADERS, "Flag"]
    path = _book(tmp_path / "flag_only.xlsx", [[*row, "keep"] for row in PLAIN_BUYERS], PLAIN_INVOICES,
                 buyer_headers=headers)
    _refresh(path)
    with FileWorkbook.open(path, read_only=True) as book:
        t = book.read_table("tblBuyers")
    assert [row[t.header.index("Flag")] for row in t.rows] == ["keep", "keep"]
    assert "Action" in t.header


def test_exact_header_wins_and_two_claimants_are_named() -> None:
    assert INVOICES.resolve(["Due", "Due date"])["due_date"] == 1
    t = parse_table(["Invoice no", "Buyer ID", "Amount", "Due", "Net due date"],
                    [["1", "C", 5.0, "2026-11-01", "2026-12-01"]], INVOICES, sheet="Invoices")
    assert t.problems[0].row == 1 and "'Due' and 'Net due date'" in t.problems[0].rule
    assert str(t.frame["due_date"][0])[:10] == "2026-11-01"


def test_table_names_match_as_excel_does_and_missing_table_lists_found(tmp_path: Path) -> None:
    path = _book(tmp_path / "case.xlsx", PLAIN_BUYERS, PLAIN_INVOICES, invoice_table="TBLINVOICES")
    _refresh(path)
    path = _book(tmp_path / "missing.xlsx", PLAIN_BUYERS, PLAIN_INVOICES, invoice_table="Ledger")
    with pytest.raises(SchemaError, match="tables found: Ledger, tblBuyers"):
        _refresh(path)


# ----------------------------------------------------------------------------- cells
def test_error_cells_and_formulas_without_result() -> None:
    xml = (b'<sheetData><row r="2"><c r="A2" t="e"><v>#REF!</v></c><c r="B2"><f>SUM(C1:C9)</f></c>'
           b'<c r="C2" t="str"><f>IF(1,"","")</f><v></v></c><c r="D2" s="1"><f>1+1</f><v>2</v></c>'
           b'<c r="E2" t="inlineStr"><is><r><rPr><family val="2"/></rPr><t>x</t></r></is></c></row></sheetData>')
    assert cell_markers(xml) == {(2, 1): ErrorCell("#REF!"), (2, 2): NoCachedValue("SUM(C1:C9)")}
    t = parse_table(["Invoice no", "Buyer ID", "Amount", "Due date", "Paid amount"],
                    [["1", "C", NoCachedValue("B2*2"), "2026-11-01", ErrorCell("#N/A")]], INVOICES)
    rules = [p.rule for p in t.problems]
    assert rules[0].startswith("Amount: the formula =B2*2 has no saved result")
    assert rules[1] == "Paid amount: the cell shows the error #N/A; fix the formula or the value it refers to"


def test_formula_written_without_values_is_named(tmp_path: Path) -> None:
    path = tmp_path / "formulas.xlsx"
    book = openpyxl.Workbook()  # openpyxl saves formulas with no result
    ws = book.active
    ws.title = "Invoices"
    ws.append(INVOICE_HEADERS)
    ws.append(["I1", "B1", "EUR", "=100*2", None, None, dt.datetime(2026, 10, 1), None])
    table = openpyxl.worksheet.table.Table(displayName="tblInvoices", ref="A1:H2")
    ws.add_table(table)
    bs = book.create_sheet("Buyers")
    bs.append(BUYER_HEADERS)
    bs.append(PLAIN_BUYERS[0])
    bs.add_table(openpyxl.worksheet.table.Table(displayName="tblBuyers", ref="A1:K2"))
    book.save(path)
    _refresh(path)
    found = [p for p in _problems(path) if p[2] == "Amount"]
    assert found and "=100*2 has no saved result" in found[0][4]


# ----------------------------------------------------------------------------- grouping
def test_problems_are_grouped_and_filed_under_their_column(tmp_path: Path) -> None:
    invoices = [[f"X{i}", "NOPE", "EUR", 10.0, None, None, None if i == 0 else _d(2026, 10, 1), None]
                for i in range(8)]
    invoices.append(["LATE", "B1", "EUR", 5.0, None, _d(2026, 12, 5), _d(2027, 1, 5), None])
    path = _book(tmp_path / "g.xlsx", PLAIN_BUYERS, invoices)
    _refresh(path)
    found = _problems(path)
    unknown = [p for p in found if "NOPE" in str(p[4])]
    assert len(unknown) == 1 and "(8 invoice(s); also rows 3, 4, 5, 6, 7 and 2 more)" in unknown[0][4]
    assert all(p[2] != "Currency" for p in found)  # "no due date" is filed under Due date
    assert any(p[2] == "Due date" and "required" in p[4] for p in found)
    assert any(p[2] == "Invoice date" and "after the as-of date" in p[4] for p in found)
    assert any(p[2] == "Paid date" and "no paid invoices" in p[4] for p in found)  # open items only
    dash = openpyxl.load_workbook(path)["Dashboard"]
    assert str(dash["A3"].value).startswith("Open items only (no paid invoices)")
    figures = {dash.cell(r, 1).value: dash.cell(r, 2).value for r in range(5, 17)}
    assert figures[_l("cei", "en")] == "n/a" and figures[_l("dso", "en")] == "n/a", figures
    many = [p for p in found if "is not a number" in str(p[4])]
    assert many == []


def test_group_problems_keeps_rare_ones() -> None:
    from xlcredit.workbook.schema import Problem

    ps = [Problem("S", r, "Amount", "x", "amount: 'x' is not a number") for r in range(2, 5)]
    assert group_problems(ps) == ps


# ----------------------------------------------------------------------------- files
def test_office_lock_files_stop_a_refresh_unless_forced(tmp_path: Path) -> None:
    path = _book(tmp_path / "book.xlsx", PLAIN_BUYERS, PLAIN_INVOICES)
    for lock_name, content in (("~$book.xlsx", bytes([3]) + b"Mei"),
                               (".~lock.book.xlsx#", b",Mei,pc,07.12.2026 09:00,file:///x;")):
        lock = tmp_path / lock_name
        lock.write_bytes(content)
        before = path.read_bytes()
        with pytest.raises(WorkbookLockedError, match="by Mei"):
            FileWorkbook.open(path)
        assert main(["refresh", str(path), "--as-of", "2026-11-30"]) == 6
        assert path.read_bytes() == before
        assert main(["refresh", str(path), "--as-of", "2026-11-30", "--force"]) == 0
        lock.unlink()


def test_xlsm_to_xlsx_output_is_refused(tmp_path: Path) -> None:
    src = _book(tmp_path / "book.xlsx", PLAIN_BUYERS, PLAIN_INVOICES)
    xlsm = tmp_path / "book.xlsm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(xlsm, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
            zout.writestr(item, data)
    code = main(["refresh", str(xlsm), "--output", str(tmp_path / "report.xlsx")])
    assert code == 2 and not (tmp_path / "report.xlsx").exists()
    assert main(["refresh", str(xlsm), "--output", str(tmp_path / "report.xlsm"), "--as-of", "2026-11-30"]) == 0


def test_udfs_read_text_by_the_same_rules() -> None:
    from xlcredit.workbook.excel_values import to_numbers

    policy_rules = ReadingRules.from_policy(Policy(as_of=AS_OF))
    for column in (["0.128"], ["1,234.56", "1,234"], ["1.234,56", "1.234"], ["1,234"]):
        udf = to_numbers(column, "x")
        table = read_numbers(column, "x", policy_rules)
        assert np.array_equal(udf.values, table.values, equal_nan=True)
        assert udf.problems.tolist() == table.problems.tolist()
