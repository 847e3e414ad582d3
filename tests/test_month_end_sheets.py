"""The month-end sheets of issue 14, items 4 and 5: Provision (坏账准备) with its history, the
Write-offs log (已核销坏账) and the Forecast (回款预测).

The provision on the sheet is checked against the independent plain-pandas computation of
tests/test_provision.py (the rules of docs/provision.md) on its generated ledger with
write-offs and long delays, here typed into a workbook: invoices in tblInvoices, write-offs
in tblWriteOffs. One answer per fact: a written-off invoice leaves aging, collections, the
forecast and the provision alike; an import that shows it open again is listed and the
write-off wins."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_provision import generated_ledger, independent_provision

from xlcredit.cli import main
from xlcredit.engine.forecast import forecast
from xlcredit.macros import build_forecast, build_provision, refresh_all
from xlcredit.macros.run import _ledger, _open
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.port import TableEdit
from xlcredit.workbook.schema import SHEET_NAMES
from xlcredit.workbook.templates import build_template

AS_OF = dt.date(2026, 11, 30)


def table(path: Path, name: str) -> pd.DataFrame:
    with FileWorkbook.open(path, read_only=True) as book:
        raw = book.read_table(name)
    return pd.DataFrame(raw.rows, columns=raw.header)


def _append(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    with FileWorkbook.open(path) as book:
        raw = book.read_table(name)
        blank = [i for i, r in enumerate(raw.rows) if all(v is None for v in r)]
        updates = {blank[k]: row for k, row in enumerate(rows[:len(blank)])}
        book.edit_table(name, TableEdit(updates=updates, appends=rows[len(blank):]))
        book.save()


def _refresh(path: Path, as_of: dt.date = AS_OF) -> Any:
    with FileWorkbook.open(path) as book:
        summary = refresh_all(book, as_of=as_of)
        book.save()
    return summary


WO = ["Invoice no", "Buyer ID", "Date written off", "Amount written off", "Reason", "Approved by"]


# --------------------------------------------------------------------------- a generated ledger
@pytest.fixture(scope="module")
def generated_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The generated ledger of test_provision typed into an empty English workbook, its
    write-offs in the Write-offs table, refreshed on 30 November 2026."""
    inv = generated_ledger()
    path = build_template(tmp_path_factory.mktemp("gen") / "book.xlsx", as_of=AS_OF)
    buyers = sorted(inv["buyer_id"].unique())
    _append(path, "tblBuyers", [{"Buyer ID": b, "Name": f"Buyer {b}"} for b in buyers])

    def day(v: Any) -> Any:
        return None if pd.isna(v) else pd.Timestamp(v).to_pydatetime()

    _append(path, "tblInvoices", [{
        "Invoice no": r.invoice_no, "Buyer ID": r.buyer_id, "Amount": float(r.amount),
        "Invoice date": day(r.invoice_date), "Due date": day(r.due_date), "Paid date": day(r.paid_date),
    } for r in inv.itertuples()])
    _refresh(path)  # the first refresh adds the empty Write-offs sheet
    off = inv[inv["written_off_date"].notna()]
    _append(path, "tblWriteOffs", [{WO[0]: r.invoice_no, WO[1]: r.buyer_id, WO[2]: day(r.written_off_date),
                                    WO[4]: "no dividend", WO[5]: "CFO"} for r in off.itertuples()])
    _refresh(path)
    return path, inv


def test_provision_sheet_is_the_independent_computation_on_a_generated_ledger(
        generated_book: tuple[Path, pd.DataFrame]) -> None:
    path, inv = generated_book
    assert inv["written_off_date"].notna().sum() > 50  # write-offs
    assert ((inv["paid_date"] - inv["due_date"]).dt.days > 180).sum() > 50  # and long delays
    want = independent_provision(inv, pd.Timestamp(AS_OF), edges=[30, 60, 90, 120], loss_days=180,
                                 months=24, factor=1.0)
    matrix = table(path, "tblProvisionMatrix").set_index("Bucket")
    expected = want["matrix"]
    assert isinstance(expected, pd.DataFrame)
    np.testing.assert_allclose(matrix[["Balance (collective)", "Loss rate used", "Provision"]].to_numpy(dtype=float),
                               expected.to_numpy(dtype=float), rtol=1e-9, atol=1e-6)
    history = want["history"]
    assert isinstance(history, dict)
    np.testing.assert_allclose(matrix["Historical loss rate"].to_numpy(dtype=float),
                               [history[b] for b in matrix.index], rtol=1e-9)
    buyers = table(path, "tblProvision").set_index("Buyer ID")
    per_buyer = want["per_buyer"]
    assert isinstance(per_buyer, pd.Series)
    closing = buyers["Gross provision (closing)"].drop(index=[b for b in buyers.index if b is None or b == "Total"],
                                                       errors="ignore")
    pd.testing.assert_series_equal(closing.astype(float).sort_index(), per_buyer.astype(float).sort_index(),
                                   check_names=False, rtol=1e-9)
    written = table(path, "tblWrittenOff")
    assert len(written) == int((inv["written_off_date"] <= pd.Timestamp(AS_OF)).sum())
    assert written["Amount written off (EUR)"].sum() == pytest.approx(want["written_off"], rel=1e-12)
    # the roll rates behind the rates are on the sheet, one row per bucket before the loss state
    assert list(table(path, "tblRollRates")["Bucket"]) == list(matrix.index[:-1])


def test_one_answer_per_fact_for_written_off_invoices(generated_book: tuple[Path, pd.DataFrame]) -> None:
    """The open balance of the provision is the aging's total; no written-off invoice is on
    Collections or in the forecast; the history holds the sheet's figures."""
    path, inv = generated_book
    off = set(inv.loc[inv["written_off_date"] <= pd.Timestamp(AS_OF), "invoice_no"])
    with FileWorkbook.open(path, read_only=True) as book:
        run = _open(book, AS_OF)
        ledger = _ledger(run)
    assert set(ledger.loc[ledger["written_off_date"].notna(), "invoice_no"]) == off
    collections = table(path, "tblCollections")
    assert not off & set(collections["Invoice no"])
    items = table(path, "tblForecastItems")
    assert not off & set(items["Invoice no"])
    want = independent_provision(inv, pd.Timestamp(AS_OF), edges=[30, 60, 90, 120], loss_days=180,
                                 months=24, factor=1.0)
    aging = table(path, "tblAging")
    total_col = next(c for c in aging.columns if c.startswith("Total"))
    assert aging[total_col].sum() == pytest.approx(want["open"], rel=1e-12)
    hist = table(path, "tblProvisionHistory")
    assert set(hist["Period"]) == {"2026-11"}
    assert hist["Gross provision"].sum() == pytest.approx(want["gross"], rel=1e-9)
    problems = table(path, "tblProblems")
    assert not problems["Sheet"].eq("Write-offs").any()  # every write-off row was usable


# --------------------------------------------------------------------------- history
def test_history_appends_months_and_keeps_the_users_edits(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=30, as_of=AS_OF)
    _refresh(path, dt.date(2026, 10, 31))
    october = table(path, "tblProvisionHistory")
    assert set(october["Period"]) == {"2026-10"} and len(october) > 5
    # the user corrects one October figure and adds a column of their own
    target = october.sort_values("Gross provision").index[-1]
    buyer = october.loc[target, "Buyer ID"]
    with FileWorkbook.open(path) as book:
        book.edit_table("tblProvisionHistory", TableEdit(updates={int(target): {"Gross provision": 12345.0,
                                                                                 "Checked by": "auditor"}}))
        book.save()
    _refresh(path)
    _refresh(path)  # the same period again: replaces November, adds nothing
    after = table(path, "tblProvisionHistory")
    old = after[after["Period"] == "2026-10"].reset_index(drop=True)
    assert len(old) == len(october)
    assert old.loc[int(target), "Gross provision"] == 12345.0 and old.loc[int(target), "Checked by"] == "auditor"
    pd.testing.assert_frame_equal(old.drop(columns=["Checked by"]).drop(index=int(target)),
                                  october.drop(index=int(target)), check_dtype=False)
    november = after[after["Period"] == "2026-11"]
    assert len(november) == november["Buyer ID"].nunique() > 5
    # the movement opens from October as typed, and adds up
    sheet = table(path, "tblProvision")
    sheet = sheet[sheet["Buyer ID"].notna()].set_index("Buyer ID")
    opening = next(c for c in sheet.columns if c.startswith("Opening"))
    assert opening == "Opening (2026-10)"
    assert sheet.loc[buyer, opening] == 12345.0
    roll = sheet[opening] + sheet["Increase"] - sheet["Release"]
    np.testing.assert_allclose(roll.to_numpy(dtype=float), sheet["Gross provision (closing)"].to_numpy(dtype=float))
    closing = november.set_index("Buyer ID")["Gross provision"]
    np.testing.assert_allclose(sheet.loc[closing.index, "Gross provision (closing)"].to_numpy(dtype=float),
                               closing.to_numpy(dtype=float))
    # a refresh on another day of November replaces November's rows only
    _refresh(path, dt.date(2026, 11, 20))
    again = table(path, "tblProvisionHistory")
    assert len(again[again["Period"] == "2026-11"]) >= len(november)
    assert set(again.loc[again["Period"] == "2026-11", "As of"]) == {dt.datetime(2026, 11, 20)}
    assert len(again[again["Period"] == "2026-10"]) == len(october)


# --------------------------------------------------------------------------- write-off log
@pytest.fixture
def sample_book(tmp_path: Path) -> Path:
    path = build_template(tmp_path / "book.xlsx", sample=30, as_of=AS_OF)
    _refresh(path)
    return path


def _open_overdue(path: Path) -> pd.DataFrame:
    c = table(path, "tblCollections")
    return c[c["Invoice no"].notna()].sort_values("Invoice no").reset_index(drop=True)


def test_a_write_off_leaves_every_open_balance_and_is_listed(sample_book: Path) -> None:
    before = _open_overdue(sample_book)
    aging_before = table(sample_book, "tblAging")
    forecast_before = table(sample_book, "tblForecastItems")
    pick = before[before["Invoice no"].isin(forecast_before["Invoice no"])].iloc[0]  # not disputed: forecast
    _append(sample_book, "tblWriteOffs", [{WO[0]: pick["Invoice no"], WO[1]: pick["Buyer ID"],
                                           WO[2]: dt.datetime(2026, 11, 25), WO[4]: "insolvent", WO[5]: "CFO"}])
    _refresh(sample_book)
    after = _open_overdue(sample_book)
    assert pick["Invoice no"] not in set(after["Invoice no"])
    assert pick["Invoice no"] not in set(table(sample_book, "tblForecastItems")["Invoice no"])
    written = table(sample_book, "tblWrittenOff")
    assert list(written["Invoice no"]) == [pick["Invoice no"]]
    # the aging total fell by what was written off, the same figure the write-off list shows
    aging_after = table(sample_book, "tblAging")
    total = next(c for c in aging_after.columns if c.startswith("Total"))
    fell = aging_before[total].sum() - aging_after[total].sum()
    assert fell == pytest.approx(written.iloc[0, 3], rel=1e-9)
    provision_open = table(sample_book, "tblProvision")
    provision_open = provision_open[provision_open["Buyer ID"].notna()]
    assert provision_open["Open balance"].sum() == pytest.approx(aging_after[total].sum(), rel=1e-12)


def test_write_off_rows_that_cannot_be_trusted_are_listed(sample_book: Path) -> None:
    c = _open_overdue(sample_book)
    a, b = c.iloc[0], c.iloc[1]
    other = c[c["Buyer ID"] != b["Buyer ID"]].iloc[0]["Buyer ID"]
    with FileWorkbook.open(sample_book) as book:
        raw = book.read_table("tblInvoices")
        paid_col, no_col = raw.header.index("Paid date"), raw.header.index("Invoice no")
        row = next(i for i, r in enumerate(raw.rows) if r[no_col] == a["Invoice no"])
        book.edit_table("tblInvoices", TableEdit(updates={row: {"Paid date": dt.datetime(2026, 11, 28)}}))
        book.save()
    assert paid_col >= 0
    _append(sample_book, "tblWriteOffs", [
        {WO[0]: "NO-SUCH-1", WO[2]: dt.datetime(2026, 11, 1)},
        {WO[0]: b["Invoice no"], WO[1]: other, WO[2]: dt.datetime(2026, 11, 1)},
        {WO[0]: a["Invoice no"], WO[2]: dt.datetime(2026, 11, 10), WO[3]: 1.0},
        {WO[0]: a["Invoice no"], WO[2]: dt.datetime(2026, 11, 20)},
    ])
    _refresh(sample_book)
    problems = table(sample_book, "tblProblems")
    mine = problems[problems["Sheet"] == "Write-offs"]["Problem"].tolist()
    assert any("NO-SUCH-1" in p and "not in the Invoices table" in p for p in mine)
    assert any(b["Invoice no"] in p and f"not {other}" in p for p in mine)
    assert any(a["Invoice no"] in p and "twice" in p and "2026-11-10" in p for p in mine)
    assert any(a["Invoice no"] in p and "payment on 2026-11-28" in p and "write-off stands" in p for p in mine)
    assert any(a["Invoice no"] in p and "differs from its open amount" in p for p in mine)
    # the untrusted row is not used: b is still chased; a is written off (the write-off wins)
    after = set(_open_overdue(sample_book)["Invoice no"])
    assert b["Invoice no"] in after and a["Invoice no"] not in after
    written = table(sample_book, "tblWrittenOff")
    assert written.set_index("Invoice no").loc[a["Invoice no"], "Payment dated after the write-off"].startswith("yes")


def test_import_that_reopens_a_written_off_invoice_is_listed_and_the_write_off_wins(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", as_of=AS_OF)
    csv = tmp_path / "ar.csv"
    csv.write_text("Invoice,Customer ID,Amount,Invoice date,Due date\n"
                   "A-1,C1,1000,2026-03-01,2026-03-31\nA-2,C1,500,2026-10-01,2026-10-31\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(csv), str(path)], out=out, err=err) == 0
    _refresh(path)
    _append(path, "tblWriteOffs", [{WO[0]: "A-1", WO[1]: "C1", WO[2]: dt.datetime(2026, 9, 30),
                                    WO[4]: "insolvent", WO[5]: "CFO"}])
    out = io.StringIO()
    assert main(["import", str(csv), str(path)], out=out, err=err) == 0  # next month: A-1 still open in the ERP
    problems = table(path, "tblProblems")["Problem"].tolist()
    assert any("A-1" in p and "written off on 2026-09-30" in p and "write-off stands" in p for p in problems)
    _refresh(path)
    assert set(_open_overdue(path)["Invoice no"]) == {"A-2"}
    assert list(table(path, "tblWrittenOff")["Invoice no"]) == ["A-1"]


# --------------------------------------------------------------------------- forecast
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_forecast_sheet_is_the_engines_weeks_with_a_chart(tmp_path: Path, lang: str) -> None:
    path = build_template(tmp_path / "book.xlsx", lang=lang, sample=30, as_of=AS_OF)
    _refresh(path)
    with FileWorkbook.open(path, read_only=True) as book:
        run = _open(book, AS_OF)
        want = forecast(_ledger(run), AS_OF, run.policy)
        sheets = book.sheet_names()
    weeks = table(path, "tblForecast")
    assert len(weeks) == 13
    np.testing.assert_allclose(weeks.iloc[:, 3].to_numpy(dtype=float), want.weekly["expected"].to_numpy())
    assert SHEET_NAMES["forecast"][lang] in sheets and SHEET_NAMES["provision"][lang] in sheets
    assert SHEET_NAMES["write_offs"][lang] in sheets
    if lang == "zh-CN":
        assert weeks.columns[3] == "预计回款（CNY）" and weeks.iloc[0, 0] == "第1周"
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert any(SHEET_NAMES["forecast"][lang] in z.read(n).decode("utf-8") for n in charts)


def test_forecast_and_provision_through_the_xlwings_adapter(tmp_path: Path) -> None:
    """The ribbon's path (the xlwings adapter, here on the fake Excel) writes the same tables
    as the file adapter."""
    from fake_excel import open_book

    from xlcredit.workbook.excel import ExcelWorkbook

    path = build_template(tmp_path / "book.xlsx", sample=20, as_of=AS_OF)
    _refresh(path)
    live = ExcelWorkbook(open_book(path))  # type: ignore[arg-type]
    build_provision(live, as_of=AS_OF)
    build_forecast(live, as_of=AS_OF)
    for name in ("tblProvisionMatrix", "tblProvision", "tblForecast"):
        got = pd.DataFrame(live.read_table(name).rows, columns=live.read_table(name).header)
        want = table(path, name)
        assert got.shape == want.shape and list(got.columns) == list(want.columns)
        numbers = [c for c in want.columns if pd.api.types.is_float_dtype(want[c])]
        assert numbers
        np.testing.assert_allclose(got[numbers].to_numpy(dtype=float), want[numbers].to_numpy(dtype=float),
                                   rtol=1e-12)
    history = live.read_table("tblProvisionHistory")
    assert len(history.rows) == len(table(path, "tblProvisionHistory"))  # the same period, replaced


def test_policy_rates_are_used_as_given(tmp_path: Path) -> None:
    """With loss rates on the Policy sheet, the matrix shows them and no roll-rate table."""
    path = build_template(tmp_path / "book.xlsx", sample=20, as_of=AS_OF)
    rates = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
    with FileWorkbook.open(path) as book:
        raw = book.read_table("tblPolicy")
        key = raw.header.index("Setting") if "Setting" in raw.header else 0
        val = raw.header.index("Value") if "Value" in raw.header else 1
        row = next(i for i, r in enumerate(raw.rows) if r[key] == "provision.loss_rates")
        book.edit_table("tblPolicy", TableEdit(updates={row: {raw.header[val]: ";".join(map(str, rates))}}))
        book.save()
    _refresh(path)
    matrix = table(path, "tblProvisionMatrix")
    assert matrix["Loss rate used"].tolist() == rates
    assert "Historical loss rate" not in matrix.columns
    with FileWorkbook.open(path, read_only=True) as book:
        assert "tblRollRates" not in book.table_names()


def test_credit_impaired_buyer_is_provided_individually_and_marked(sample_book: Path) -> None:
    """A buyer marked Insolvent on the Buyers sheet, 25 % expected back: provided at 75 % of
    its balance, marked, and out of the matrix (docs/provision.md)."""
    sheet = table(sample_book, "tblProvision")
    sheet = sheet[sheet["Buyer ID"].notna()].set_index("Buyer ID")
    buyer = sheet["Open balance"].idxmax()
    balance = float(sheet.loc[buyer, "Open balance"])
    matrix_before = table(sample_book, "tblProvisionMatrix")["Balance (collective)"].sum()
    with FileWorkbook.open(sample_book) as book:
        raw = book.read_table("tblBuyers")
        row = next(i for i, r in enumerate(raw.rows) if r[raw.header.index("Buyer ID")] == buyer)
        book.edit_table("tblBuyers", TableEdit(updates={row: {"Insolvent": True, "Expected recovery": 0.25}}))
        book.save()
    _refresh(sample_book)
    after = table(sample_book, "tblProvision")
    after = after[after["Buyer ID"].notna()].set_index("Buyer ID")
    assert after.loc[buyer, "Credit-impaired"] == "insolvent"
    assert after.loc[buyer, "Gross provision (closing)"] == pytest.approx(0.75 * balance, rel=1e-12)
    assert after["Credit-impaired"].notna().sum() == 1
    matrix_after = table(sample_book, "tblProvisionMatrix")["Balance (collective)"].sum()
    assert matrix_before - matrix_after == pytest.approx(balance, rel=1e-9)
