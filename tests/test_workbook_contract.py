"""One contract suite for every Workbook adapter the machine can run (DESIGN.md 2, issue 4).

The file adapter runs everywhere; the Excel adapter (xlwings) only where Excel runs
(Windows), the way xlwings' own ``tests/test_engines`` run per engine. Each test builds its
workbook with XlsxWriter, so the suite needs no fixture files.
"""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlcredit.engine.errors import InputError, SchemaError, WorkbookError
from xlcredit.workbook import (
    CellSpec,
    ChartSeries,
    ChartSpec,
    ColumnWrite,
    ConditionalFormat,
    FileWorkbook,
    SheetSpec,
    TableSpec,
    Workbook,
)

BUYER_HEADER = ["Buyer ID", "名称", "Revenue", "Since", "Insured", "Notes", "Score"]
BUYER_ROWS: list[list[Any]] = [
    [
        "B001",
        "上海贸易有限公司",
        1_200_000.5,
        dt.datetime(2019, 3, 1),
        True,
        "=not a formula",
        None,
    ],
    ["B002", "ACME Ltd", 0.0, None, False, None, None],
    ["B003", None, -15.25, dt.datetime(2024, 12, 31), None, "  spaced  ", 42.0],
]
INVOICE_HEADER = ["Invoice", "Buyer ID", "Amount", "Due"]
INVOICE_ROWS: list[list[Any]] = [
    ["INV-1", "B001", 5000.0, dt.datetime(2026, 10, 1)],
    ["INV-2", "B002", 125.5, dt.datetime(2026, 11, 15)],
]


def _write_row(ws: Any, row: int, col: int, values: list[Any], date_fmt: Any) -> None:
    for j, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, bool):
            ws.write_boolean(row, col + j, value)
        elif isinstance(value, float):
            ws.write_number(row, col + j, value)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(row, col + j, value, date_fmt)
        else:
            ws.write_string(row, col + j, value)


def build_source(path: Path) -> Path:
    """tblBuyers on a Chinese-named sheet (at B3), tblInvoices on an English one, a note sheet."""
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    buyers = wb.add_worksheet("客户")
    buyers.write_string(0, 0, "Buyers typed by the credit team")
    buyers.add_table(
        2,
        1,
        2 + len(BUYER_ROWS),
        len(BUYER_HEADER),
        {"name": "tblBuyers", "columns": [{"header": h} for h in BUYER_HEADER]},
    )
    for i, row in enumerate(BUYER_ROWS):
        _write_row(buyers, 3 + i, 1, row, date_fmt)
    red = wb.add_format({"font_color": "#9C0006"})  # the user's own conditional format
    buyers.conditional_format("D4:D6", {"type": "cell", "criteria": "<", "value": 0, "format": red})
    invoices = wb.add_worksheet("Invoices")
    invoices.add_table(
        0,
        0,
        len(INVOICE_ROWS),
        len(INVOICE_HEADER) - 1,
        {"name": "tblInvoices", "columns": [{"header": h} for h in INVOICE_HEADER]},
    )
    for i, row in enumerate(INVOICE_ROWS):
        _write_row(invoices, 1 + i, 0, row, date_fmt)
    wb.add_worksheet("Notes").write_string(0, 0, "keep me")
    wb.close()
    return path


# -- adapters -----------------------------------------------------------------------------------
class FileHarness:
    """Opens, saves and closes workbooks through the file adapter."""

    def open(self, path: Path, **options: Any) -> Workbook:
        return FileWorkbook.open(path, **options)

    def finish(self, book: Any) -> None:
        book.save()
        book.close()

    def discard(self, book: Any) -> None:
        book.close()

    def rules(self, path: Path, sheet: str) -> list[tuple[str, str, str | None, list[str]]]:
        return _rules(path, sheet)


class FakeExcelHarness:
    """The xlwings adapter on the fake Excel of ``tests/fake_excel.py`` (any system): a
    workbook stays open in the fake until it is discarded, as in a live Excel session."""

    def __init__(self) -> None:
        self.books: dict[Path, Any] = {}

    def open(self, path: Path, **options: Any) -> Workbook:
        from fake_excel import open_book

        from xlcredit.workbook.excel import ExcelWorkbook

        if path not in self.books:
            self.books[path] = open_book(path)
        return ExcelWorkbook(self.books[path])

    def finish(self, book: Any) -> None:
        """Saving is Excel's business: the fake keeps the open workbook."""

    def discard(self, book: Any) -> None:
        self.books = {p: b for p, b in self.books.items() if b is not book.book}

    def rules(self, path: Path, sheet: str) -> list[tuple[str, str, str | None, list[str]]]:
        from fake_excel import condition_summary

        return sorted(condition_summary(c) for c in self.books[path].sheets[sheet].conditions)


class ExcelHarness:  # pragma: no cover - needs Excel
    """Opens workbooks in a hidden Excel instance through the xlwings adapter."""

    def __init__(self) -> None:
        import xlwings as xw

        self.app = xw.App(visible=False, add_book=False)

    def open(self, path: Path, **options: Any) -> Workbook:
        from xlcredit.workbook.excel import ExcelWorkbook

        return ExcelWorkbook(self.app.books.open(str(path)))

    def finish(self, book: Any) -> None:
        book.book.save()
        book.book.close()

    def discard(self, book: Any) -> None:
        book.book.close()

    def rules(self, path: Path, sheet: str) -> list[tuple[str, str, str | None, list[str]]]:
        return _rules(path, sheet)


@pytest.fixture(
    params=[
        "file",
        "fake-excel",
        pytest.param(
            "excel",
            marks=pytest.mark.skipif(
                sys.platform != "win32", reason="the xlwings adapter needs Excel (Windows)"
            ),
        ),
    ]
)
def harness(request: pytest.FixtureRequest) -> Any:
    if request.param == "file":
        return FileHarness()
    if request.param == "fake-excel":
        return FakeExcelHarness()
    return ExcelHarness()  # pragma: no cover


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return build_source(tmp_path / "book.xlsx")


def aging_sheet(rows: int = 3) -> SheetSpec:
    """A generated sheet with a title, a KPI formula, a formatted table, a CF and a chart."""
    buyers = [f"Buyer {i}" for i in range(rows)]
    frame = pd.DataFrame(
        {
            "Buyer": buyers,
            "Overdue": [100.0 * (i + 1) for i in range(rows)],
            "Share": [1.0 / rows] * rows,
            "Oldest due": [dt.datetime(2026, 1, 1) + dt.timedelta(days=i) for i in range(rows)],
        }
    )
    last = 3 + rows
    return SheetSpec(
        name="Aging",
        cells=[
            CellSpec(0, 0, "Aging by buyer", bold=True, font_size=14),
            CellSpec(1, 0, "Total overdue"),
            CellSpec(
                1,
                1,
                float(frame["Overdue"].sum()),
                number_format="#,##0.00",
                formula=f"=SUM(B4:B{last})",
            ),
        ],
        tables=[
            TableSpec(
                "tblAging",
                frame,
                row=2,
                col=0,
                number_formats={"Overdue": "#,##0.00", "Share": "0.0%", "Oldest due": "yyyy-mm-dd"},
            )
        ],
        conditional_formats=[
            ConditionalFormat(
                f"B4:B{last}", "cell", operator=">", value=150, fill="#FFC7CE", font_color="#9C0006"
            ),
            ConditionalFormat(f"C4:C{last}", "data_bar", color="#5B9BD5"),
        ],
        charts=[
            ChartSpec(
                "bar_stacked",
                "Overdue by buyer",
                f"A4:A{last}",
                [ChartSeries("Overdue", f"B4:B{last}", color="#C00000")],
                anchor="G2",
            ),
        ],
        widths={0: 24, 1: 14},
        freeze=(3, 0),
        tab_color="#1F4E79",
    )


# -- reading --------------------------------------------------------------------------------
def test_finds_tables_and_sheets(harness: Any, source: Path) -> None:
    book = harness.open(source)
    try:
        assert sorted(book.table_names()) == ["tblBuyers", "tblInvoices"]
        assert book.sheet_names() == ["客户", "Invoices", "Notes"]
    finally:
        harness.discard(book)


def test_reads_values_as_excel_delivers_them(harness: Any, source: Path) -> None:
    book = harness.open(source)
    try:
        table = book.read_table("tblBuyers")
        assert (table.name, table.sheet, table.header) == ("tblBuyers", "客户", BUYER_HEADER)
        assert table.rows == BUYER_ROWS
        assert (table.header_row, table.first_column, table.excel_row(0)) == (3, 2, 4)
        assert book.read_table("TBLINVOICES").rows == INVOICE_ROWS  # names are case-blind
    finally:
        harness.discard(book)


def test_missing_table_names_itself(harness: Any, source: Path) -> None:
    book = harness.open(source)
    try:
        with pytest.raises(SchemaError, match=r"Table tblPolicy was not found.*tblBuyers"):
            book.read_table("tblPolicy")
    finally:
        harness.discard(book)


# -- writing output columns -----------------------------------------------------------------
def test_writes_existing_and_new_output_columns(harness: Any, source: Path) -> None:
    book = harness.open(source)
    outputs = [
        ColumnWrite("Score", [71.0, None, 12.5], number_format="0.0"),
        ColumnWrite("Band", ["A", "E", "D"]),
        ColumnWrite("Review due", [dt.datetime(2027, 1, 31)] * 3, number_format="yyyy-mm-dd"),
        ColumnWrite("Reason", ['=HYPERLINK("http://x")', "+1", "@SUM(A1)"]),
    ]
    book.write_columns("tblBuyers", outputs)
    expected_header = [*BUYER_HEADER, "Band", "Review due", "Reason"]
    in_session = book.read_table("tblBuyers")
    harness.finish(book)
    book = harness.open(source)
    try:
        for table in (in_session, book.read_table("tblBuyers")):
            assert table.header == expected_header
            user = [row[:6] for row in table.rows]
            assert user == [row[:6] for row in BUYER_ROWS]  # user-typed cells unchanged
            assert [row[6] for row in table.rows] == [71.0, None, 12.5]
            assert [row[7] for row in table.rows] == ["A", "E", "D"]
            assert [row[8] for row in table.rows] == [dt.datetime(2027, 1, 31)] * 3
            assert [row[9] for row in table.rows] == ['=HYPERLINK("http://x")', "+1", "@SUM(A1)"]
        assert book.read_table("tblInvoices").rows == INVOICE_ROWS
    finally:
        harness.discard(book)


def test_column_length_must_match_rows(harness: Any, source: Path) -> None:
    book = harness.open(source)
    try:
        with pytest.raises(InputError, match="needs 3 values, one per row; got 1"):
            book.write_columns("tblBuyers", [ColumnWrite("Score", [1.0])])
    finally:
        harness.discard(book)


# -- generated sheets -----------------------------------------------------------------------
def test_writes_then_replaces_a_generated_sheet(harness: Any, source: Path) -> None:
    book = harness.open(source)
    book.write_sheet(aging_sheet(3), before="Notes")
    harness.finish(book)
    book = harness.open(source)
    assert book.sheet_names() == ["客户", "Invoices", "Aging", "Notes"]
    first = book.read_table("tblAging")
    assert first.rows[0] == ["Buyer 0", 100.0, 1 / 3, dt.datetime(2026, 1, 1)]
    assert (first.header_row, first.first_column) == (3, 1)
    book.write_sheet(aging_sheet(2))  # the second refresh: fewer buyers
    harness.finish(book)
    book = harness.open(source)
    try:
        assert book.sheet_names() == ["客户", "Invoices", "Aging", "Notes"]
        assert [row[0] for row in book.read_table("tblAging").rows] == ["Buyer 0", "Buyer 1"]
        assert book.read_table("tblBuyers").rows == BUYER_ROWS
    finally:
        harness.discard(book)


def test_never_overwrites_a_user_sheet(harness: Any, source: Path) -> None:
    book = harness.open(source)
    try:
        with pytest.raises(WorkbookError, match="'Notes' that xlcredit did not create"):
            book.write_sheet(SheetSpec("Notes", cells=[CellSpec(0, 0, "x")]))
        assert book.sheet_names() == ["客户", "Invoices", "Notes"]
    finally:
        harness.discard(book)


def test_generated_table_name_must_be_free(harness: Any, source: Path) -> None:
    book = harness.open(source)
    frame = pd.DataFrame({"a": [1.0]})
    try:
        with pytest.raises(WorkbookError, match="table named tblBuyers already exists"):
            book.write_sheet(SheetSpec("Aging", tables=[TableSpec("tblBuyers", frame)]))
    finally:
        harness.discard(book)


def _rules(path: Path, sheet: str) -> list[tuple[str, str, str | None, list[str]]]:
    import openpyxl

    ws = openpyxl.load_workbook(path)[sheet]
    return sorted(
        (str(cf.sqref), rule.type, rule.operator, list(rule.formula))
        for cf, rules in ws.conditional_formatting._cf_rules.items()
        for rule in rules
    )


def test_conditional_formats_replace_only_xlcredits_own(harness: Any, source: Path) -> None:
    user_rule = ("D4:D6", "cellIs", "lessThan", ["0"])
    for last in (6, 5):  # the second refresh sees one buyer fewer
        book = harness.open(source)
        book.add_conditional_formats(
            "客户",
            [
                ConditionalFormat(f"B4:H{last}", "formula", formula='=$H4="D"', fill="#FFE5E5"),
                ConditionalFormat(f"H4:H{last}", "cell", operator="==", value="A", fill="#C6EFCE"),
                ConditionalFormat(f"D4:D{last}", "cell", operator=">", value=1e6, bold=True),
            ],
        )
        harness.finish(book)
        assert harness.rules(source, "客户") == sorted(
            [
                user_rule,
                (f"B4:H{last}", "expression", None, ['$H4="D"']),
                (f"H4:H{last}", "cellIs", "equal", ['"A"']),
                (f"D4:D{last}", "cellIs", "greaterThan", ["1000000"]),
            ]
        )
    book = harness.open(source)
    try:
        assert book.read_table("tblBuyers").rows == BUYER_ROWS
    finally:
        harness.discard(book)


def test_protected_sheet_is_not_written(harness: Any, tmp_path: Path) -> None:
    path = tmp_path / "protected.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Buyers")
    ws.add_table(
        0, 0, 1, 1, {"name": "tblBuyers", "columns": [{"header": "Buyer"}, {"header": "Score"}]}
    )
    ws.write_string(1, 0, "B001")
    ws.protect()
    wb.close()
    original = path.read_bytes()
    book = harness.open(path)
    try:
        with pytest.raises(WorkbookError, match=r"Sheet Buyers is protected.*Unprotect Sheet"):
            book.write_columns("tblBuyers", [ColumnWrite("Score", [50.0])])
    finally:
        harness.discard(book)
    assert path.read_bytes() == original


def test_progress_reaches_the_callback(source: Path) -> None:
    seen: list[tuple[float, str]] = []
    with FileWorkbook.open(source, progress=lambda f, m: seen.append((f, m))) as book:
        book.progress(0.5, "Scoring buyers")
        book.progress(2.0, "clamped")
    assert seen == [(0.5, "Scoring buyers"), (1.0, "clamped")]


# -- the user: selection, sheets shown, messages (what the ribbon asks of the port; issue 9) ----
def test_no_row_is_selected_outside_a_tables_data(harness: Any, source: Path) -> None:
    # a file has no active cell; a workbook just opened in Excel has A1 active, a title cell
    book = harness.open(source)
    try:
        assert book.selected_row("tblBuyers") is None
        assert book.selected_row("TBLINVOICES") is None
        with pytest.raises(SchemaError, match="tblPolicy"):
            book.selected_row("tblPolicy")
    finally:
        harness.discard(book)


def test_activate_sheet_needs_a_sheet_of_that_name(harness: Any, source: Path) -> None:
    book = harness.open(source)
    try:
        book.activate_sheet("Invoices")
        book.activate_sheet("notes")  # sheet names are case-blind, as in Excel
        with pytest.raises(SchemaError, match="no sheet named 'Policy'"):
            book.activate_sheet("Policy")
        assert book.sheet_names() == ["客户", "Invoices", "Notes"]  # nothing added or removed
    finally:
        harness.discard(book)


def test_file_alerts_reach_the_callback_or_nowhere(source: Path) -> None:
    seen: list[str] = []
    with FileWorkbook.open(source, alert=seen.append) as book:
        book.alert("Select a cell in a buyer's row")
        book.alert("第二条消息")
    assert seen == ["Select a cell in a buyer's row", "第二条消息"]
    with FileWorkbook.open(source) as book:
        book.alert("no one listens")  # no callback: the message goes nowhere, no error
        assert book.sheet_names() == ["客户", "Invoices", "Notes"]


def _xw_book(selection: tuple[str, int, int] | None, book_name: str = "book.xlsx") -> Any:
    """The few xlwings objects the adapter's user methods touch: tblBuyers with its data in
    C4:I6 of sheet 客户 (header row 3), a second sheet, and the selection (sheet, row,
    column) of the active workbook, ``book_name``. Calls are recorded on the objects."""
    from types import SimpleNamespace as O

    def sheet(name: str) -> Any:
        s = O(name=name, tables=[], shown=0)
        s.activate = lambda: setattr(s, "shown", s.shown + 1)
        return s

    buyers, notes = sheet("客户"), sheet("Notes")
    buyers.tables = [O(name="tblBuyers", parent=buyers, data_body_range=O(row=4, column=3, shape=(3, 7)))]
    app = O(alerts=[], status_bar=None, selection=None, refuse_alerts=False)
    if selection is not None:
        name, row, col = selection
        app.selection = O(sheet=O(name=name, book=O(name=book_name)), row=row, column=col)

    def alert(prompt: str, title: str | None = None) -> None:
        if app.refuse_alerts:
            raise OSError("no dialog")  # what pywin32 raises is Windows-only
        app.alerts.append((title, prompt))

    app.alert = alert
    return O(name="book.xlsx", app=app, sheets=[buyers, notes])


@pytest.mark.parametrize(("selection", "expected"), [
    (("客户", 4, 3), 0),  # first cell of the data
    (("客户", 6, 9), 2),  # last cell
    (("客户", 3, 4), None),  # the header row
    (("客户", 7, 4), None),  # below the table
    (("客户", 5, 2), None),  # left of it, on a buyer's row
    (("客户", 5, 10), None),  # right of it
    (("Notes", 5, 4), None),  # same cell, another sheet
    (None, None),  # a chart is selected: xlwings gives no range
])
def test_excel_selected_row_is_the_data_row_of_the_active_cell(
    selection: tuple[str, int, int] | None, expected: int | None
) -> None:
    from xlcredit.workbook.excel import ExcelWorkbook

    assert ExcelWorkbook(_xw_book(selection)).selected_row("tblBuyers") == expected
    other = _xw_book(selection, book_name="other.xlsx")  # the same cell in another workbook
    assert ExcelWorkbook(other).selected_row("tblBuyers") is None
    with pytest.raises(SchemaError, match="tblPolicy"):
        ExcelWorkbook(_xw_book(selection)).selected_row("tblPolicy")


def test_excel_alerts_and_shows_sheets() -> None:
    from xlcredit.workbook.excel import ExcelWorkbook

    xw_book = _xw_book(None)
    book = ExcelWorkbook(xw_book)
    book.alert("Select a cell in a buyer's row")
    assert xw_book.app.alerts == [("xlcredit", "Select a cell in a buyer's row")]
    xw_book.app.refuse_alerts = True  # no dialog can be shown: the status bar says it
    book.alert("Refresh done")
    assert xw_book.app.status_bar == "xlcredit: Refresh done (0%)"
    book.activate_sheet("notes")
    assert [s.shown for s in xw_book.sheets] == [0, 1]
    with pytest.raises(SchemaError, match="no sheet named 'Policy'"):
        book.activate_sheet("Policy")


def test_excel_choose_file_is_excels_open_dialog() -> None:
    """Issue 12: the Import ledger button asks Excel's own dialog; cancel gives None."""
    from types import SimpleNamespace as O

    from xlcredit.workbook.excel import ExcelWorkbook

    asked: list[dict[str, Any]] = []
    answers = iter([r"C:\exports\ar 2026-11.csv", False])

    def dialog(**kwargs: Any) -> Any:
        asked.append(kwargs)
        return next(answers)

    xw_book = _xw_book(None)
    xw_book.app.api = O(GetOpenFilename=dialog)
    book = ExcelWorkbook(xw_book)
    assert book.choose_file("Import ledger", ["*.csv", "*.xlsx"]) == r"C:\exports\ar 2026-11.csv"
    assert book.choose_file("Import ledger", ["*.csv"]) is None  # cancelled: Excel returns False
    assert asked[0]["FileFilter"].startswith("Import ledger (*.csv;*.xlsx),*.csv;*.xlsx,")


def test_file_choose_file_has_no_dialog(source: Path) -> None:
    with FileWorkbook.open(source, read_only=True) as book:
        assert book.choose_file("Import ledger", ["*.csv"]) is None


# -- file adapter specifics -------------------------------------------------------------------
def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_file_generated_sheet_has_native_parts(source: Path) -> None:
    with FileWorkbook.open(source) as book:
        book.write_sheet(aging_sheet(3))
        book.save()
        book.write_sheet(aging_sheet(4))
        book.save()
    parts = _parts(source)
    charts = [p for p in parts if p.startswith("xl/charts/")]
    assert charts == ["xl/charts/chart1.xml"]  # replaced, not piled up
    chart = parts["xl/charts/chart1.xml"].decode()
    assert '<c:barDir val="bar"/><c:grouping val="stacked"/>' in chart
    assert "'Aging'!$B$4:$B$7" in chart and "<c:v>400.0</c:v>" in chart
    import openpyxl

    ws = openpyxl.load_workbook(source)["Aging"]
    assert ws["B2"].value == "=SUM(B4:B7)" and ws["B2"].number_format == "#,##0.00"
    assert ws["C4"].number_format == "0.0%" and ws["D4"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A4" and ws.sheet_properties.tabColor.rgb == "FF1F4E79"
    rules = {
        str(k.sqref): [r.type for r in v] for k, v in ws.conditional_formatting._cf_rules.items()
    }
    assert rules == {"B4:B7": ["cellIs"], "C4:C7": ["dataBar"]}
    workbook_xml = parts["xl/workbook.xml"].decode()
    assert 'fullCalcOnLoad="1"' in workbook_xml
    assert workbook_xml.count("_xlcredit_generated") == 1
    sheet = parts["xl/worksheets/sheet4.xml"].decode()
    assert "<f>SUM(B4:B7)</f><v>1000</v>" in sheet  # formula with its cached value


def test_file_text_is_never_a_formula(source: Path) -> None:
    with FileWorkbook.open(source) as book:
        book.write_columns(
            "tblBuyers",
            [ColumnWrite("Score", ["=1+1", "-2", "@x"]), ColumnWrite("Flag", ["+1", None, "x"])],
        )
        book.save()
    sheet = _parts(source)["xl/worksheets/sheet1.xml"].decode()
    assert '<dimension ref="A1:I6"/>' in sheet  # readers that trust it see the new column
    assert "<f>" not in sheet and '<is><t xml:space="preserve">=1+1</t></is>' in sheet


# -- round trip property ----------------------------------------------------------------------
cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t\r"), max_size=30
    ),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)).map(
        lambda d: dt.datetime(d.year, d.month, d.day)
    ),
)


def _as_read(value: Any) -> Any:
    """What a written value reads back as: blank text is a blank cell (as in Excel)."""
    return None if value == "" else value


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(cell_values, min_size=3, max_size=3))
def test_file_written_values_read_back(values: list[Any], tmp_path_factory: Any) -> None:
    path = build_source(tmp_path_factory.mktemp("prop") / "book.xlsx")
    with FileWorkbook.open(path) as book:
        book.write_columns("tblBuyers", [ColumnWrite("Any", values), ColumnWrite("Score", values)])
        book.save()
    with FileWorkbook.open(path, read_only=True) as book:
        rows = book.read_table("tblBuyers").rows
    assert [row[7] for row in rows] == [_as_read(v) for v in values]
    assert [row[6] for row in rows] == [_as_read(v) for v in values]
    assert [row[:6] for row in rows] == [row[:6] for row in BUYER_ROWS]


@pytest.mark.libreoffice
def test_file_generated_sheet_renders_in_libreoffice(source: Path, tmp_path: Path) -> None:
    """LibreOffice draws the chart (series colour) and the conditional fill of the sheet."""
    import shutil
    import subprocess

    import numpy as np
    from matplotlib.image import imread

    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        pytest.skip("LibreOffice (soffice) or poppler (pdftoppm) is not installed")
    with FileWorkbook.open(source) as book:
        book.write_sheet(aging_sheet(5), before="客户")
        book.save()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    subprocess.run(
        [pdftoppm, "-r", "40", "-png", str(tmp_path / "book.pdf"), str(tmp_path / "pg")],
        check=True,
        timeout=120,
    )

    def pixels(rgb: tuple[int, int, int]) -> int:
        total = 0
        for page in tmp_path.glob("pg-*.png"):
            px = (imread(page)[..., :3] * 255).round().astype(int)
            total += int((np.abs(px - np.array(rgb)).sum(axis=-1) <= 12).sum())
        return total

    assert pixels((0xC0, 0x00, 0x00)) > 200  # the bars of the chart's series
    assert pixels((0xFF, 0xC7, 0xCE)) > 50  # the conditional fill of overdue > 150


def test_file_refuses_to_break_a_shared_formula(source: Path) -> None:
    """Overwriting the master cell of a formula Excel shares with cells outside the output
    column would leave those cells without a formula: refuse, leave the file alone."""
    parts = _parts(source)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    master = '<c r="H6"><f t="shared" ref="H6:I6" si="0">C6*2</f><v>-30.5</v></c>'
    follower = '<c r="I6"><f t="shared" si="0"/><v>0</v></c>'
    start = sheet.index('<c r="H6"')
    end = sheet.index("</c>", start) + len("</c>")
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + master + follower + sheet[end:]).encode()
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    original = source.read_bytes()
    with (
        FileWorkbook.open(source) as book,
        pytest.raises(WorkbookError, match=r"shares with cells.*H6:I6"),
    ):
        book.write_columns("tblBuyers", [ColumnWrite("Score", [1.0, 2.0, 3.0])])
    assert source.read_bytes() == original


def test_file_failed_sheet_leaves_the_workbook_as_it_was(source: Path) -> None:
    with FileWorkbook.open(source) as book:
        book.write_sheet(aging_sheet(3))
        book.save()
    before = _parts(source)
    bad = aging_sheet(2)
    bad.tables[0].name = "A1"  # looks like a cell reference: Excel would refuse the file
    with FileWorkbook.open(source) as book:
        with pytest.raises(InputError, match="table name"):
            book.write_sheet(bad)
        assert book.read_table("tblAging").rows[2][0] == "Buyer 2"
        book.save()
    assert _parts(source).keys() == before.keys()
    assert {n for n, d in _parts(source).items() if d != before[n]} <= {"xl/workbook.xml"}


# -- editing a table: an import's upsert (issue 12) -----------------------------------------------
def test_edit_table_updates_cells_and_appends_rows(harness: Any, source: Path) -> None:
    from xlcredit.workbook import TableEdit

    book = harness.open(source)
    edit = TableEdit(
        updates={0: {"Amount": 6000.0}},
        appends=[
            {"Invoice": "INV-3", "Buyer ID": "B003", "Amount": 10.5, "Due": dt.datetime(2026, 12, 1),
             "Source": "sap"},
            {"Invoice": "=INV-4", "Buyer ID": "B001", "Amount": -2.0, "Source": "sap"},
        ],
    )
    book.edit_table("tblInvoices", edit)
    expected = [
        ["INV-1", "B001", 6000.0, dt.datetime(2026, 10, 1), None],
        ["INV-2", "B002", 125.5, dt.datetime(2026, 11, 15), None],
        ["INV-3", "B003", 10.5, dt.datetime(2026, 12, 1), "sap"],
        ["=INV-4", "B001", -2.0, None, "sap"],
    ]
    assert book.read_table("tblInvoices").rows == expected  # read back before saving
    harness.finish(book)
    book = harness.open(source)
    try:
        table = book.read_table("tblInvoices")
        assert table.header == [*INVOICE_HEADER, "Source"]
        assert table.rows == expected
        assert book.read_table("tblBuyers").rows == BUYER_ROWS  # the other table untouched
    finally:
        harness.discard(book)


def test_edit_table_refuses_to_grow_over_cells(harness: Any, tmp_path: Path) -> None:
    from xlcredit.workbook import TableEdit

    path = build_source(tmp_path / "below.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Invoices"]["C5"] = "typed below"
    wb.save(path)
    book = harness.open(path)
    try:
        rows = [{"Invoice": f"N{i}", "Buyer ID": "B001", "Amount": 1.0} for i in range(3)]
        with pytest.raises(WorkbookError, match=r"C5 below the table|below the table"):
            book.edit_table("tblInvoices", TableEdit(updates={1: {"Amount": 9.0}}, appends=rows))
        assert book.read_table("tblInvoices").rows == INVOICE_ROWS  # nothing applied
        with pytest.raises(InputError, match="row 7 is not a data row"):
            book.edit_table("tblInvoices", TableEdit(updates={7: {"Amount": 9.0}}))
    finally:
        harness.discard(book)


def test_file_edit_table_moves_the_total_row_and_extends_formulas(tmp_path: Path) -> None:
    """Excel grows a table with a total row and calculated columns by moving the total row
    down and filling the formula into new rows; validations on the column follow."""
    from xlcredit.workbook import TableEdit

    path = tmp_path / "totals.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Invoices")
    ws.add_table(0, 0, 3, 2, {
        "name": "tblInvoices", "total_row": True,
        "columns": [
            {"header": "Invoice", "total_string": "Total"},
            {"header": "Amount", "total_function": "sum"},
            {"header": "Double", "formula": "=[@Amount]*2"},
        ],
    })
    ws.write_row(1, 0, ["A1", 10.0])
    ws.write_row(2, 0, ["A2", 20.0])
    ws.data_validation(1, 1, 2, 1, {"validate": "decimal", "criteria": ">=", "value": 0})
    ws.write_string(8, 0, "note far below")
    wb.close()
    total_formula = openpyxl.load_workbook(path)["Invoices"]["B4"].value
    with FileWorkbook.open(path) as book:
        book.edit_table("tblInvoices", TableEdit(appends=[{"Invoice": "A3", "Amount": 5.0},
                                                          {"Invoice": "A4", "Amount": 7.0}]))
        book.save()
    loaded = openpyxl.load_workbook(path)
    sheet = loaded["Invoices"]
    table = sheet.tables["tblInvoices"]
    assert table.ref == "A1:C6" and table.totalsRowCount == 1
    assert [sheet.cell(r, 1).value for r in range(2, 7)] == ["A1", "A2", "A3", "A4", "Total"]
    assert sheet["B6"].value == total_formula and "SUBTOTAL" in total_formula
    assert sheet["B4"].value == 5.0
    assert sheet["C4"].value == sheet["C2"].value and str(sheet["C4"].value).startswith("=")
    assert sheet["A9"].value == "note far below"
    assert [str(dv.sqref) for dv in sheet.data_validations.dataValidation] == ["B2:B5"]
    with FileWorkbook.open(path, read_only=True) as book:
        assert [r[:2] for r in book.read_table("tblInvoices").rows] == [
            ["A1", 10.0], ["A2", 20.0], ["A3", 5.0], ["A4", 7.0]]

# -- the xlwings adapter on a fake Excel that behaves like the real one (issue 13) --------------
# tests/fake_excel.py models what real Excel does and the documentation does not make obvious
# (each behaviour cites its source there); these tests fail on an adapter that ignores it.
from fake_excel import XL_CALCULATION_AUTOMATIC, XL_R1C1, FakeApp, FakeBook, open_book  # noqa: E402


def _excel(source: Path, app: FakeApp | None = None) -> tuple[Any, FakeBook]:
    from xlcredit.workbook.excel import ExcelWorkbook

    fake = open_book(source, app)
    return ExcelWorkbook(fake), fake  # type: ignore[arg-type]


def _flags(last: int) -> list[ConditionalFormat]:
    return [
        ConditionalFormat(f"B4:H{last}", "formula", formula='=$H4="D"', fill="#FFE5E5"),
        ConditionalFormat(f"H4:H{last}", "cell", operator="==", value="A", fill="#C6EFCE"),
        ConditionalFormat(f"D4:D{last}", "cell", operator=">", value=1e6, bold=True),
    ]


@pytest.mark.parametrize("style", ["A1", "R1C1"])
def test_excel_flag_rules_anchor_on_the_first_data_row_wherever_the_active_cell_is(
    source: Path, style: str
) -> None:
    """Issue 13, 1: FormatConditions.Add reads relative references against the active cell
    (KB 895562); Refresh all moves it. The rule must hold $H4 at B4 and must be found and
    replaced on the next refresh, whatever cell or sheet is active then."""
    book, fake = _excel(source)
    if style == "R1C1":
        fake.app.api.ReferenceStyle = XL_R1C1
    buyers = fake.sheets["客户"]
    buyers.select("H20")  # the user clicked a cell further down
    book.add_conditional_formats("客户", _flags(6))
    fake.sheets["Invoices"].activate()  # the next refresh starts from another sheet
    fake.sheets["Invoices"].select("C9")
    book.add_conditional_formats("客户", _flags(5))
    rules = sorted((c.AppliesTo.Address(False, False), c.formulas_at_top_left())
                   for c in buyers.conditions)
    assert rules == [("B4:H5", ['=$H4="D"']), ("D4:D5", ["=1000000"]), ("D4:D6", ["=0"]),  # the user's
                     ("H4:H5", ['="A"'])]


def test_excel_strings_arrive_as_text(source: Path) -> None:
    """Issue 13, 2: Range.Value parses text as typing does ("1-30" a date, "0042" a number)."""
    book, fake = _excel(source)
    book.write_columns("tblBuyers", [ColumnWrite("Bucket", ["1-30", "0042", "TRUE"]),
                                     ColumnWrite("Reason", ["'quoted'", "15%", "2026-11-28"])])
    rows = book.read_table("tblBuyers").rows
    assert [r[7:9] for r in rows] == [["1-30", "'quoted'"], ["0042", "15%"], ["TRUE", "2026-11-28"]]
    frame = pd.DataFrame({"Bucket": ["1-30", "31-60"], "Buyer ID": ["0042", "0043"], "1-30": [1.0, 2.0]})
    sheet = SheetSpec("Aging", cells=[CellSpec(0, 0, "1-30"), CellSpec(0, 1, "0042")],
                      tables=[TableSpec("tblAging", frame, row=2)])
    book.write_sheet(sheet)
    aging = fake.sheets["Aging"]
    assert [aging.cells[(1, 1)], aging.cells[(1, 2)]] == ["1-30", "0042"]
    table = book.read_table("tblAging")
    assert table.header == ["Bucket", "Buyer ID", "1-30"]
    assert table.rows == [["1-30", "0042", 1.0], ["31-60", "0043", 2.0]]


def test_excel_generated_table_name_must_be_free(source: Path) -> None:
    """Issue 13, 6: the same refusal as the file adapter's, before anything is changed."""
    book, _ = _excel(source)
    frame = pd.DataFrame({"a": [1.0]})
    with pytest.raises(WorkbookError, match="table named tblBuyers already exists on sheet 客户"):
        book.write_sheet(SheetSpec("Aging", tables=[TableSpec("tblBuyers", frame)]))
    assert book.sheet_names() == ["客户", "Invoices", "Notes"]  # no half-built sheet
    book.write_sheet(aging_sheet(3))
    with pytest.raises(WorkbookError, match="table named tblInvoices already exists"):
        book.write_sheet(SheetSpec("Aging", tables=[TableSpec("tblInvoices", frame)]))
    assert book.read_table("tblAging").rows[0][0] == "Buyer 0"  # the old sheet is untouched


def test_excel_frozen_panes_ignore_the_scroll_position_and_the_user_stays(source: Path) -> None:
    """Issue 13, 7: SplitRow counts from the top row of the pane; generating a sheet must not
    leave the user on it."""
    book, fake = _excel(source)
    fake.sheets["Notes"].activate()
    book.write_sheet(aging_sheet(3))
    assert fake.active_sheet is fake.sheets["Notes"]
    aging = fake.sheets["Aging"]
    assert aging.view["frozen_at"] == (4, 1)  # rows 1-3 frozen: A4 is the first free cell
    aging.view.update(scroll_row=30, scroll_col=3)  # the user scrolled the Aging sheet
    book.write_sheet(aging_sheet(40))
    assert aging.view["frozen_at"] == (4, 1)
    assert fake.active_sheet is fake.sheets["Notes"]


def test_excel_page_setup_without_a_printer_does_not_stop_the_sheet(source: Path) -> None:
    """Issue 13, 8: on a machine without a printer PageSetup.PaperSize fails."""
    app = FakeApp()
    app.api.has_printer = False
    book, fake = _excel(source, app)
    book.write_sheet(aging_sheet(3))
    assert book.read_table("tblAging").rows[0][0] == "Buyer 0"
    setup = fake.sheets["Aging"].api.PageSetup
    assert (setup.Orientation, setup.FitToPagesWide, setup.PrintTitleRows) == (2, 1, "")
    assert app.api.PrintCommunication is True
    book.progress(1.0, "")  # the run ends: the status bar says what was skipped
    assert "printer refused the print settings PaperSize" in app.status_bar


def test_excel_ribbon_runs_with_calculation_and_events_suspended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13, 9: every write recalculates the workbook (UDFs included) and raises
    Worksheet_Change unless calculation and events are suspended; both come back afterwards,
    also when the run fails."""
    import xlcredit.macros as macros
    import xlcredit.macros.ribbon as ribbon
    from xlcredit.workbook.excel import ExcelWorkbook
    from xlcredit.workbook.templates import build_template

    path = build_template(tmp_path / "book.xlsx", sample=6)
    fake = open_book(path)
    app = fake.app.api
    monkeypatch.setattr(ribbon, "_caller", lambda: ExcelWorkbook(fake))  # type: ignore[arg-type]
    macros.ribbon_refresh_buyers()
    assert fake.app.alerts == []  # no error
    assert (app.recalculations, app.change_events) == (0, 0)
    assert (app.Calculation, app.EnableEvents, app.ScreenUpdating) == (
        XL_CALCULATION_AUTOMATIC, True, True)

    def boom(book: Any) -> None:
        book.write_columns("tblBuyers", [])
        raise RuntimeError("disk full")

    macros.ribbon_help()  # issue 13, 12: Help names the xlwings version the DLL must match
    import xlwings

    assert f"xlwings {xlwings.__version__}" in fake.app.alerts.pop()
    monkeypatch.setattr(ribbon, "refresh_buyers", boom)
    macros.ribbon_refresh_buyers()
    assert "disk full" in fake.app.alerts[-1]
    assert (app.Calculation, app.EnableEvents, app.ScreenUpdating) == (
        XL_CALCULATION_AUTOMATIC, True, True)


def test_excel_refresh_all_twice_keeps_one_set_of_flags_on_the_first_data_row(tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Issue 13, 1 and 7 end to end: Refresh all from a cell far down the buyer table, then
    from another sheet; the band rules stay anchored on the first data row, their number is
    stable, and the user stays on the sheet they were on."""
    import xlcredit.macros as macros
    import xlcredit.macros.ribbon as ribbon
    from xlcredit.workbook.excel import ExcelWorkbook
    from xlcredit.workbook.templates import build_template

    fake = open_book(build_template(tmp_path / "book.xlsx", sample=8))
    monkeypatch.setattr(ribbon, "_caller", lambda: ExcelWorkbook(fake))  # type: ignore[arg-type]
    buyers = fake.sheets["Buyers"]
    first_data_row = ExcelWorkbook(fake).read_table("tblBuyers").header_row + 1  # type: ignore[arg-type]
    buyers.activate()
    buyers.select("K20")
    macros.ribbon_refresh_all()
    before = sorted((c.AppliesTo.Address(False, False), c.formulas_at_top_left()) for c in buyers.conditions)
    fake.sheets["Policy"].activate()
    macros.ribbon_refresh_all()
    after = sorted((c.AppliesTo.Address(False, False), c.formulas_at_top_left()) for c in buyers.conditions)
    assert after == before and len(after) >= 2
    expressions = [f for _, fs in after for f in fs if "$" in f]
    assert expressions and all(f"{first_data_row}=" in f for f in expressions), expressions
    assert fake.active_sheet is fake.sheets["Policy"]
    assert "Buyers 8" in fake.app.alerts[-1]


def test_excel_writes_each_output_block_with_one_range_assignment(tmp_path: Path) -> None:
    """Issue 17: every Range.Value assignment is one COM round trip (and one recalculation
    when calculation is on), so the adapter writes adjacent output columns as one block and
    a generated sheet's loose cells as rectangles, never cell by cell; the values are the
    same as when written one by one."""
    from xlcredit.workbook.excel import ExcelWorkbook

    rows = 400
    fake = open_book(build_source(tmp_path / "book.xlsx"))
    app = fake.app.api
    book = ExcelWorkbook(fake)  # type: ignore[arg-type]
    n = len(book.read_table("tblBuyers").rows)
    outputs = [ColumnWrite("Score", [float(i) for i in range(n)], number_format="0.0"),
               ColumnWrite("Band", ["A"] * n),
               ColumnWrite("Reason", ["1-30"] * n, number_format="@")]
    before = app.value_assignments
    book.write_columns("tblBuyers", outputs)
    assert app.value_assignments - before == 1  # three new columns side by side: one block
    table = book.read_table("tblBuyers")
    assert [row[-3:] for row in table.rows] == [[float(i), "A", "1-30"] for i in range(n)]

    spec = aging_sheet(rows)
    kpis = [CellSpec(4 + rows + i, j, f"k{i}{j}" if j == 0 else float(i)) for i in range(30) for j in (0, 1)]
    spec.cells.extend(kpis)
    before = app.value_assignments
    book.write_sheet(spec)
    # the table (one block), the title + "Total overdue" label (one column of two rows),
    # the 30 KPI rows (one block); the formula cell is written as a formula
    assert app.value_assignments - before == 3
    sheet = fake.sheets["Aging"]
    assert sheet.cells[(1, 1)] == "Aging by buyer" and sheet.cells[(2, 1)] == "Total overdue"
    assert [sheet.cells[(5 + rows + i, 1)] for i in range(30)] == [f"k{i}0" for i in range(30)]
    assert [sheet.cells[(5 + rows + i, 2)] for i in range(30)] == [float(i) for i in range(30)]
    assert sheet.formulas[(2, 2)] == f"=SUM(B4:B{3 + rows})"


# -- document properties (issue 16: the template version stamp) ---------------------------------
def test_document_properties_round_trip_and_keep_the_others(harness: Any, source: Path) -> None:
    book = harness.open(source)
    try:
        assert book.document_property("xlcredit.template_version") is None
        book.set_document_property("Department", "Credit")
        book.set_document_property("xlcredit.template_version", 1)
        book.set_document_property("xlcredit.template_version", 2)  # changed, not added twice
        assert book.document_property("xlcredit.template_version") == 2
        assert book.document_property("Department") == "Credit"
        harness.finish(book)
    except BaseException:
        harness.discard(book)
        raise
    if isinstance(harness, FileHarness):  # Excel's own view of the saved file
        props = {p.name: p.value for p in openpyxl.load_workbook(source).custom_doc_props.props}
        assert props == {"Department": "Credit", "xlcredit.template_version": 2}
        with zipfile.ZipFile(source) as z:
            assert z.read("docProps/custom.xml").count(b"xlcredit.template_version") == 1
