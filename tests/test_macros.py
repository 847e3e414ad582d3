"""The macros end to end on files (issue 4, "Macros"): build a sample workbook, refresh it
through the file adapter, reopen it and check what was written and what was left alone."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xlcredit import macros
from xlcredit.engine.errors import SchemaError, WorkbookError
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.port import RawTable
from xlcredit.workbook.schema import BUYERS, INVOICES
from xlcredit.workbook.templates import build_template

AS_OF = dt.date(2026, 11, 30)  # xlcredit.workbook.sample.SAMPLE_AS_OF


def _refresh(path: Path, as_of: dt.date | None = None) -> macros.RefreshSummary:
    with FileWorkbook.open(path) as book:
        summary = macros.refresh_all(book, as_of=as_of)
        book.save()
    return summary


def _table(path: Path, name: str) -> RawTable:
    with FileWorkbook.open(path, read_only=True) as book:
        return book.read_table(name)


def _column(table: RawTable, header: str) -> list[Any]:
    i = table.header.index(header)
    return [row[i] for row in table.rows]


def _inputs(path: Path, schema: Any, lang: str) -> list[list[Any]]:
    t = _table(path, schema.name)
    keep = [t.header.index(c.header(lang)) for c in schema.inputs]
    return [[row[i] for i in keep] for row in t.rows]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for lang in ("en", "zh-CN"):
        path = build_template(tmp_path_factory.mktemp(lang) / "book.xlsx", lang=lang, sample=40)
        before = (_inputs(path, BUYERS, lang), _inputs(path, INVOICES, lang))
        summary = _refresh(path)
        out[lang] = (path, before, summary)
    return out


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_refresh_writes_outputs_and_keeps_inputs(refreshed: dict[str, Any], lang: str) -> None:
    path, (buyers_before, invoices_before), summary = refreshed[lang]
    assert summary.buyers == 40 and summary.as_of == AS_OF and summary.problems == 0
    assert summary.base_currency == ("CNY" if lang == "zh-CN" else "EUR")
    # user-typed cells are unchanged, cell for cell
    assert _inputs(path, BUYERS, lang) == buyers_before
    assert _inputs(path, INVOICES, lang) == invoices_before
    buyers = _table(path, "tblBuyers")
    scores = _column(buyers, BUYERS.column("score").header(lang))
    bands = _column(buyers, BUYERS.column("band").header(lang))
    assert all(isinstance(s, float) and 1 <= s <= 100 for s in scores)
    assert set(bands) <= {"A", "B", "C", "D", "E"}
    actions = _column(buyers, BUYERS.column("action").header(lang))
    assert all(isinstance(a, str) and a for a in actions)
    with FileWorkbook.open(path, read_only=True) as book:
        names = book.sheet_names()
    expected = (["客户", "发票", "仪表板", "账龄", "催收", "信用冻结", "评分历史", "问题"] if lang == "zh-CN"
                else ["Buyers", "Invoices", "Dashboard", "Aging", "Collections", "Credit hold", "Score history",
                      "Problems"])
    assert names[: len(expected)] == expected


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_aging_buckets_add_up_to_the_open_balance(refreshed: dict[str, Any], lang: str) -> None:
    # STYLE.md 8: aging buckets add up to the open balance
    path, _, summary = refreshed[lang]
    aging = _table(path, "tblAging")
    labels = (["未到期", "1-30天", "31-60天", "61-90天", "91-120天", "120天以上"] if lang == "zh-CN"
              else ["Not due", "1-30", "31-60", "61-90", "91-120", "Over 120"])
    total = "合计" if lang == "zh-CN" else "Total"
    idx = [aging.header.index(label) for label in labels]
    rows = [r for r in aging.rows if r[0] not in (None, "Total")]
    for row in rows:
        assert sum(row[i] or 0.0 for i in idx) == pytest.approx(row[aging.header.index(total)], abs=0.01)
    grand = sum(r[aging.header.index(total)] for r in rows)
    assert grand == pytest.approx(summary.receivables, rel=1e-9)
    exposure = _column(_table(path, "tblBuyers"), BUYERS.column("exposure").header(lang))
    assert sum(exposure) == pytest.approx(grand, rel=1e-9)


def test_collections_user_columns_carry_over(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=30)
    _refresh(path)
    wl = _table(path, "tblCollections")
    chosen = _column(wl, "Invoice no")[:3]
    # the user types in the Collections sheet (openpyxl stands in for Excel here)
    book = openpyxl.load_workbook(path)
    ws = book["Collections"]
    header = [c.value for c in ws[wl.header_row]]
    col = {h: i + 1 for i, h in enumerate(header)}
    for r in range(wl.header_row + 1, wl.header_row + 4):
        ws.cell(r, col["Status"], "called, waiting")
        ws.cell(r, col["Notes"], f"note {ws.cell(r, col['Invoice no']).value}")
        ws.cell(r, col["Owner"], "Zoe")
    book.save(path)
    _refresh(path)
    wl = _table(path, "tblCollections")
    by_invoice = {row[wl.header.index("Invoice no")]: row for row in wl.rows}
    for invoice in chosen:
        row = by_invoice[invoice]
        assert row[wl.header.index("Status")] == "called, waiting"
        assert row[wl.header.index("Notes")] == f"note {invoice}"
        assert row[wl.header.index("Owner")] == "Zoe"
    others = [r for k, r in by_invoice.items() if k not in chosen]
    assert all(r[wl.header.index("Status")] is None for r in others)


def test_score_history_and_score_change(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=15)
    _refresh(path)
    _refresh(path)  # a second run on the same day replaces that day's rows
    history = _table(path, "tblScoreHistory")
    assert len(history.rows) == 15
    # the buyer in row 2 gets worse news; a month later its score falls
    book = openpyxl.load_workbook(path)
    ws = book["Buyers"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Defaults 12m") + 1, 4)
    ws.cell(2, header.index("Negative news") + 1, "Y")
    ws.cell(2, header.index("Management changes 12m") + 1, 3)
    old_score = ws.cell(2, header.index("Score") + 1).value
    book.save(path)
    _refresh(path, as_of=AS_OF + dt.timedelta(days=30))
    history = _table(path, "tblScoreHistory")
    assert len(history.rows) == 30
    assert sorted({r[0] for r in history.rows}) == [dt.datetime(2026, 11, 30), dt.datetime(2026, 12, 30)]
    buyers = _table(path, "tblBuyers")
    row = buyers.rows[0]
    new_score = row[buyers.header.index("Score")]
    assert new_score < old_score
    assert row[buyers.header.index("Score change")] == new_score - old_score
    if old_score - new_score >= 10:
        assert "score fell" in row[buyers.header.index("Action")]


def test_bad_cells_go_to_the_problems_sheet(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=10)
    book = openpyxl.load_workbook(path)
    inv = book["Invoices"]
    header = [c.value for c in inv[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    inv.cell(2, col["Amount"], "abc")
    inv.cell(3, col["Buyer ID"], "X999")
    inv.cell(4, col["Due date"], dt.datetime(2020, 1, 1))
    inv.cell(5, col["Due date"], "soon")
    buyers = book["Buyers"]
    bh = [c.value for c in buyers[1]]
    buyers.cell(3, bh.index("Currency") + 1, "XYZ")
    book.save(path)
    summary = _refresh(path)
    problems = _table(path, "tblProblems")
    found = {(r[0], int(r[1]), r[2]) for r in problems.rows}
    assert {("Invoices", 2, "Amount"), ("Invoices", 3, "Buyer ID"), ("Invoices", 4, "Due date"),
            ("Invoices", 5, "Due date"), ("Buyers", 3, "Currency")} <= found
    assert summary.problems == len(problems.rows)
    scores = _column(_table(path, "tblBuyers"), "Score")
    assert all(isinstance(s, float) for s in scores)  # the run went on for every buyer


def test_missing_required_column_stops_and_leaves_the_file(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=5)
    book = openpyxl.load_workbook(path)
    ws = book["Invoices"]
    for cell in ws[1]:
        if cell.value == "Due date":
            cell.value = "Fällig am"
    book.save(path)
    # the table's own column list must follow the header (as Excel keeps them in step)
    book = openpyxl.load_workbook(path)
    table = book["Invoices"].tables["tblInvoices"]
    for column in table.tableColumns:
        if column.name == "Due date":
            column.name = "Fällig am"
    book.save(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(SchemaError, match=r"tblInvoices .* no column for Due date .*Add the column"):
        _refresh(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_payment_plan_sheet(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=20)
    _refresh(path)
    buyers = _table(path, "tblBuyers")
    overdue = _column(buyers, "Overdue (base ccy)")
    pos = max(range(len(overdue)), key=lambda i: overdue[i])
    buyer = _column(buyers, "Buyer ID")[pos]
    with FileWorkbook.open(path) as book:
        plan = macros.build_payment_plan(book, buyer, installments=4)
        book.save()
    assert len(plan) == 4
    assert round(plan["principal"].sum(), 2) == pytest.approx(round(overdue[pos], 2))  # plans add up to the cent
    table = _table(path, "tblPaymentPlan")
    assert len(table.rows) == 4 and table.rows[-1][-1] == 0.0
    with FileWorkbook.open(path) as book, pytest.raises(SchemaError, match="not in tblBuyers"):
        macros.build_payment_plan(book, "NOPE")


def test_flag_high_risk_sets_conditional_formats(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=20)
    _refresh(path)
    _refresh(path)  # twice: replaced, not stacked
    ws = openpyxl.load_workbook(path)["Buyers"]
    ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert len(ranges) == len(set(ranges))
    band_col = openpyxl.utils.get_column_letter(BUYERS.headers("en").index("Band") + 1)
    assert f"{band_col}2:{band_col}21" in ranges


def test_summary_lines() -> None:
    s = macros.RefreshSummary(buyers=3, high_risk=1, overdue_total=1234.5, dso=float("nan"),
                              problems=2, base_currency="EUR", as_of=AS_OF)
    assert s.lines() == ["Buyers 3, high risk 1", "Overdue 1,234.50 EUR, DSO n/a days",
                         "Problems 2 (see the Problems sheet)"]


@pytest.mark.parametrize("blocked", [False, True])
def test_a_users_own_workbook_with_other_headers(tmp_path: Path, blocked: bool) -> None:
    # Not our template: Chinese and ERP-style headers, no Policy sheet, few columns, numbers
    # as text. Refresh recognises the columns and appends its outputs to the user's table.
    import xlsxwriter

    path = tmp_path / "own.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = book.add_worksheet("客户资料")
    ws.add_table(0, 0, 2, 4, {"name": "tblBuyers", "columns": [
        {"header": "客户代码"}, {"header": "公司名称"}, {"header": "总资产"}, {"header": "总负债"},
        {"header": "营业收入"}],
        "data": [["K1", "甲公司", "1,000,000", "400,000", "2,000,000"],
                 ["K2", "乙公司", "500,000", "490,000", "900,000"]]})
    ws2 = book.add_worksheet("AR")
    ws2.add_table(0, 0, 3, 4, {"name": "tblInvoices", "columns": [
        {"header": "Document no"}, {"header": "Customer ID"}, {"header": "Gross amount"},
        {"header": "Net due date"}, {"header": "Clearing date"}],
        "data": [["D1", "K1", "¥12,000", "2026-10-01", None],
                 ["D2", "K2", "3000", "2026/08/15", None],
                 ["D3", "K2", "800", "2026年11月01日", "2026-11-05"]]})
    if blocked:
        ws.write(0, 7, "keep me")  # a user's cell where the output columns would go
    book.close()
    if blocked:  # never overwritten: a one-line error, and the file is left as it was
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        with pytest.raises(WorkbookError, match="H1 right of the table is not empty"):
            _refresh(path, as_of=AS_OF)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
        return
    summary = _refresh(path, as_of=AS_OF)
    # issue 11: "¥12,000" in a book whose base currency is EUR (no currency column) is read,
    # and listed: the sign says CNY or JPY
    assert summary.buyers == 2 and summary.problems == 1
    problems = _table(path, "tblProblems")
    assert problems.rows[0][1:4] == [2.0, "Gross amount", "¥12,000"], problems.rows
    buyers = _table(path, "tblBuyers")
    assert buyers.header[:5] == ["客户代码", "公司名称", "总资产", "总负债", "营业收入"]
    assert "Exposure (base ccy)" in buyers.header and "Score" in buyers.header  # policy language: en
    exposure = dict(zip(_column(buyers, "客户代码"), _column(buyers, "Exposure (base ccy)"), strict=True))
    assert exposure == {"K1": 12000.0, "K2": 3000.0}


def test_policy_language_switch_reuses_the_output_columns(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=6)
    book = openpyxl.load_workbook(path)
    ws = book["Policy"]
    row = next(r for r in range(1, 60) if ws.cell(r, 1).value == "language")
    ws.cell(row, 2, "zh-CN")
    book.save(path)
    summary = _refresh(path)
    assert summary.language == "zh-CN"
    buyers = _table(path, "tblBuyers")
    assert buyers.header == BUYERS.headers("en")  # no second set of output columns
    actions = _column(buyers, "Action")
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in a) for a in actions)  # texts in Chinese
    with FileWorkbook.open(path, read_only=True) as wb:
        assert {"账龄", "催收", "仪表板", "评分历史", "问题"} <= set(wb.sheet_names())


def test_ribbon_entry_points_take_no_arguments() -> None:
    # the add-in's RunPython calls xlcredit.macros.ribbon_<name>() (issue 5)
    import inspect

    names = ["refresh_all", "refresh_buyers", "flag_high_risk", "build_aging", "build_collections",
             "build_dashboard", "payment_plan", "open_policy", "help", "import_ledger"]
    for name in names:
        func = getattr(macros, f"ribbon_{name}")
        assert not inspect.signature(func).parameters, name
        assert f"ribbon_{name}" in macros.__all__


class _Pointing(FileWorkbook):
    """A file adapter whose user points at one data row of tblBuyers (a file has no selection)."""

    pointed: int | None = None

    def selected_row(self, table: str) -> int | None:
        super().selected_row(table)  # the table must exist
        return self.pointed if table == "tblBuyers" else None


def _press(monkeypatch: pytest.MonkeyPatch, button: Any, book: FileWorkbook) -> None:
    """Press a ribbon button on ``book`` (the ribbon asks the port, never xlwings, for the rest)."""
    from xlcredit.macros import ribbon

    monkeypatch.setattr(ribbon, "_caller", lambda: book)
    button()


def test_ribbon_buttons_talk_through_the_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=8)
    alerts: list[str] = []
    with _Pointing.open(path, alert=alerts.append) as book:
        _press(monkeypatch, macros.ribbon_refresh_all, book)
        assert len(alerts) == 1 and alerts[0].splitlines()[0] == "Buyers 8, high risk " + str(
            sum(band == "D" for band in _column(book.read_table("tblBuyers"), "Band")))
        # Payment plan with no buyer row selected: a message, no sheet
        _press(monkeypatch, macros.ribbon_payment_plan, book)
        assert alerts[-1].startswith("Select a cell in a buyer's row of the Buyers table")
        assert "Payment plan" not in book.sheet_names()
        # with the third buyer's row selected: that buyer's plan
        book.pointed = 2
        third = book.read_table("tblBuyers").rows[2]
        _press(monkeypatch, macros.ribbon_payment_plan, book)
        assert len(alerts) == 2  # no error this time
        plan = book.read_table("tblPaymentPlan")
        assert len(plan.rows) == 6
        # Statement: the same selected buyer's statement of account, a sheet of its own
        _press(monkeypatch, macros.ribbon_statement, book)
        assert len(alerts) == 2 and "Statement" in book.sheet_names()
        book.pointed = None
        _press(monkeypatch, macros.ribbon_statement, book)
        assert alerts[-1] == "Select a cell in a buyer's row of the Buyers table, then press Statement."
        _press(monkeypatch, macros.ribbon_open_policy, book)
        _press(monkeypatch, macros.ribbon_help, book)
        assert len(alerts) == 4 and alerts[-1].startswith("xlcredit ")
        book.save()
    ws = openpyxl.load_workbook(path)["Payment plan"]
    assert ws["B4"].value == third[0] and str(third[1]) in ws["A1"].value  # buyer ID and name
    statement = openpyxl.load_workbook(path)["Statement"]
    texts = [c.value for row in statement.iter_rows() for c in row if isinstance(c.value, str)]
    assert third[0] in texts and str(third[1]) in texts  # customer no. and name


def test_ribbon_reports_errors_as_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xlcredit.macros import ribbon

    path = build_template(tmp_path / "book.xlsx", sample=3)
    alerts: list[str] = []
    with FileWorkbook.open(path, alert=alerts.append) as book:
        monkeypatch.setattr(ribbon, "refresh_buyers", lambda b: 1 / 0)
        _press(monkeypatch, macros.ribbon_refresh_buyers, book)
        assert alerts[-1].startswith("xlcredit internal error: ZeroDivisionError")
    empty = tmp_path / "no_policy.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(empty)
    with FileWorkbook.open(empty, alert=alerts.append) as book:
        _press(monkeypatch, macros.ribbon_open_policy, book)
    assert alerts[-1].startswith("This workbook has no Policy sheet (table tblPolicy)")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_empty_template_refreshes(tmp_path: Path, lang: str) -> None:
    path = build_template(tmp_path / "empty.xlsx", lang=lang)
    summary = _refresh(path, as_of=AS_OF)
    assert (summary.buyers, summary.problems, summary.overdue_total) == (0, 0, 0.0)
    assert summary.dso != summary.dso  # NaN: no sales, no DSO (shown as n/a)
    assert ("n/a" if lang == "en" else "DSO 无法计算") in summary.lines()[1]
