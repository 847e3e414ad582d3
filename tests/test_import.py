"""`xlcredit import` (issue 12): an ERP export in, month after month.

The done-when tests use the shared real-shaped ledger (tests only, never shipped): imported
with --map flags, its aging matches an independent pandas computation; the same file twice
changes nothing; a later export with clearing dates updates them. Each profile has a small
export in its own layout under tests/data/imports/ (title, group and subtotal rows; Chinese
headers in GB18030 for Kingdee and Yonyou) that imports with no flag but --profile.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from real_data import LEDGER_CSV

from xlcredit import macros
from xlcredit.cli import main
from xlcredit.workbook import FileWorkbook, TableEdit
from xlcredit.workbook.importer import ImportOptions, import_ledger
from xlcredit.workbook.templates import build_template

DATA = Path(__file__).parent / "data" / "imports"
LEDGER = LEDGER_CSV
LEDGER_MAP = ["--map", "invoice_no=invoiceNumber", "--map", "buyer_id=customerID",
              "--map", "invoice_date=InvoiceDate", "--map", "due_date=DueDate",
              "--map", "amount=InvoiceAmount", "--map", "paid_date=SettledDate"]  # fmt: skip
needs_ledger = pytest.mark.skipif(not LEDGER.exists(), reason="shared ledger sample not present")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def rows(path: Path, table: str) -> list[list[Any]]:
    with FileWorkbook.open(path, read_only=True) as book:
        return book.read_table(table).rows


def invoices(path: Path) -> pd.DataFrame:
    with FileWorkbook.open(path, read_only=True) as book:
        raw = book.read_table("tblInvoices")
    return pd.DataFrame(raw.rows, columns=raw.header)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build_template(tmp_path / "book.xlsx")


# --------------------------------------------------------------------------- done when
def _pandas_aging(ledger: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Aging by due date computed straight from the CSV (README: an invoice is open on day D
    when InvoiceDate <= D < SettledDate); buckets not due, 1-30, 31-60, 61-90, 91-120, >120."""
    inv = pd.to_datetime(ledger["InvoiceDate"], format="%d/%m/%Y")
    settled = pd.to_datetime(ledger["SettledDate"], format="%d/%m/%Y")
    due = pd.to_datetime(ledger["DueDate"], format="%d/%m/%Y")
    open_ = (inv <= day) & (day < settled)
    late = (day - due).dt.days[open_]
    bucket = pd.cut(late, [-np.inf, 0, 30, 60, 90, 120, np.inf],
                    labels=["Not due", "1-30", "31-60", "61-90", "91-120", "Over 120"])
    return ledger.loc[open_, "InvoiceAmount"].groupby(bucket, observed=False).sum()


@needs_ledger
def test_real_export_imports_and_ages_like_pandas(book: Path) -> None:
    code, out, err = run("import", str(LEDGER), str(book), *LEDGER_MAP)
    assert code == 0, err
    assert "added 2466, updated 0, unchanged 0, problems 0" in out
    assert "dates DMY (from " in out  # decided from a day over 12, and said so
    day = pd.Timestamp("2013-06-30")
    with FileWorkbook.open(book) as wb:
        macros.refresh_all(wb, as_of=day.date())
        aging = wb.read_table("tblAging")
    frame = pd.DataFrame(aging.rows, columns=aging.header)
    ours = frame[["Not due", "1-30", "31-60", "61-90", "91-120", "Over 120"]].sum()
    theirs = _pandas_aging(pd.read_csv(LEDGER), day)
    assert theirs.sum() > 1000  # the day has open items in several buckets
    np.testing.assert_allclose(ours.to_numpy(float), theirs.to_numpy(float), atol=0.01)
    assert len(rows(book, "tblBuyers")) == pd.read_csv(LEDGER)["customerID"].nunique()


@needs_ledger
def test_same_file_twice_changes_nothing(book: Path) -> None:
    assert run("import", str(LEDGER), str(book), *LEDGER_MAP)[0] == 0
    first = (rows(book, "tblInvoices"), rows(book, "tblBuyers"))
    code, out, _ = run("import", str(LEDGER), str(book))  # no flags: the saved mapping
    assert code == 0
    assert "added 0, updated 0, unchanged 2466" in out and "Changed" not in out
    assert (rows(book, "tblInvoices"), rows(book, "tblBuyers")) == first


@needs_ledger
def test_later_export_with_clearing_dates_updates_them(book: Path, tmp_path: Path) -> None:
    ledger = pd.read_csv(LEDGER, dtype=str)
    cut = pd.Timestamp("2013-03-31")
    issued = pd.to_datetime(ledger["InvoiceDate"], format="%d/%m/%Y") <= cut
    settled_later = pd.to_datetime(ledger["SettledDate"], format="%d/%m/%Y") > cut
    march = ledger[issued].copy()
    march.loc[settled_later[issued], "SettledDate"] = ""  # not cleared yet at the end of March
    march_csv = tmp_path / "march.csv"
    march.to_csv(march_csv, index=False)
    assert run("import", str(march_csv), str(book), *LEDGER_MAP)[0] == 0
    code, out, _ = run("import", str(LEDGER), str(book))
    assert code == 0
    n_cleared = int((issued & settled_later).sum())
    assert f"added {int((~issued).sum())}, updated {n_cleared}, unchanged {int(issued.sum()) - n_cleared}" in out
    assert out.count("Paid date: (blank) -> 20") == n_cleared  # every value changed is listed
    got = invoices(book).set_index("Invoice no")["Paid date"]
    want = pd.to_datetime(ledger.set_index("invoiceNumber")["SettledDate"], format="%d/%m/%Y")
    assert (pd.to_datetime(got.loc[want.index]) == want).all()


# --------------------------------------------------------------------------- profiles
def _import_profile(book: Path, name: str, file: str, *extra: str) -> str:
    code, out, err = run("import", str(DATA / file), str(book), "--profile", name, *extra)
    assert code == 0, err
    return out


def _by_no(book: Path) -> pd.DataFrame:
    return invoices(book).set_index("Invoice no")


def test_profile_sap_fbl5n(book: Path) -> None:
    out = _import_profile(book, "sap", "sap_fbl5n.csv")
    assert "added 5" in out and "subtotal 3, title 3" in out and "decimal comma" in out
    f = _by_no(book)
    assert f.loc["1800000101", "Amount"] == 12500.0 and f.loc["1800000103", "Amount"] == -500.0
    assert f.loc["1800000102", "Paid date"] == dt.datetime(2026, 11, 20)
    assert pd.isna(f.loc["1800000101", "Paid date"])  # 00.00.0000 is no date
    assert f.loc["1800000120", "Due date"] == dt.datetime(2026, 12, 17)  # Net 45 from 2 Nov
    assert set(f["Company"]) == {"1000"} and set(f["Currency"]) == {"EUR", "USD"}


def test_profile_odoo_aged_partner_balance(book: Path) -> None:
    out = _import_profile(book, "odoo", "odoo_aged_partner_balance.xlsx")
    assert "added 3" in out and "group 2" in out
    f = _by_no(book)
    assert f.loc["INV/2026/00007", "Buyer ID"] == "Deco Addict"
    assert f.loc["INV/2026/00007", "Amount"] == 2250.5 and f.loc["INV/2026/00007", "Paid amount"] == 0.0
    assert f.loc["INV/2026/00021", "Due date"] == dt.datetime(2026, 12, 10)


def test_profile_erpnext_accounts_receivable(book: Path) -> None:
    out = _import_profile(book, "erpnext", "erpnext_accounts_receivable.csv")
    assert "added 3" in out and "subtotal 1" in out
    f = _by_no(book)
    assert f.loc["ACC-SINV-2026-00041", "Paid amount"] == 1200.0  # 4,200 - 3,000 outstanding
    assert f.loc["ACC-SINV-2026-00041", "Currency"] == "INR"
    names = {r[0]: r[1] for r in rows(book, "tblBuyers")}
    assert names == {"CUST-00012": "Greenfield Foods Ltd", "CUST-00031": "Orbit Traders"}


def test_profile_quickbooks_ar_aging_detail(book: Path) -> None:
    out = _import_profile(book, "quickbooks", "quickbooks_ar_aging_detail.csv")
    assert "added 4" in out and "group 3, subtotal 4, title 4" in out
    f = _by_no(book)
    assert f.loc["1042", "Due date"] == dt.datetime(2026, 12, 20)  # month first
    assert f.loc["1037", "Paid amount"] == 250.0 and f.loc["1039", "Amount"] == 2000.0
    assert f.loc["1037", "Buyer ID"] == "Amy's Bird Sanctuary"


def test_profile_xero_aged_receivables_due_is_an_amount(book: Path) -> None:
    out = _import_profile(book, "xero", "xero_aged_receivables_detail.csv")
    assert "open_amount <- 'Due'" in out and "added 3" in out
    f = _by_no(book)
    assert f.loc["INV-0027", "Paid amount"] == 200.0  # 1,200 total - 1,000 due (a credit note)
    assert f.loc["INV-0031", "Buyer ID"] == "Bayside Club"  # from the contact heading
    assert f.loc["INV-0012", "Due date"] == dt.datetime(2026, 10, 15)


def test_due_holding_amounts_is_not_taken_as_a_date(book: Path, tmp_path: Path) -> None:
    """Issue 12: the alias "Due" means the due date, but the amount owed in Xero's report."""
    csv = tmp_path / "xero_like.csv"
    csv.write_text("Invoice Number,Contact,Total,Due\nINV-1,Bayside Club,\"1,200.00\",\"1,000.00\"\n",
                   encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))
    assert code == 0 and "'Due' (holds amounts, not dates" in out and "--profile xero" in out
    assert pd.isna(_by_no(book).loc["INV-1", "Due date"])
    csv.write_text("Invoice Number,Contact,Total,Due\nINV-1,Bayside Club,100,2026-12-01\n", encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))
    assert "due_date <- 'Due'" in out  # dates in it: the usual meaning


def test_profile_kingdee_gb18030(book: Path) -> None:
    out = _import_profile(book, "kingdee", "kingdee_ar.csv")
    assert "encoding gb18030" in out and "added 3" in out and "subtotal 1" in out
    f = _by_no(book)
    assert f.loc["AR00000115", "Currency"] == "USD" and f.loc["AR00000101", "Currency"] == "CNY"
    assert f.loc["AR00000101", "Paid amount"] == 5000.0
    assert f.loc["AR00000102", "Due date"] == dt.datetime(2026, 11, 11)  # 票到30天 from 10-12
    names = {r[0]: r[1] for r in rows(book, "tblBuyers")}
    assert names["C0027"] == "宁波远航进出口有限公司"


def test_profile_yonyou_gb18030(book: Path) -> None:
    out = _import_profile(book, "yonyou", "yonyou_ar.csv")
    assert "added 3" in out and "subtotal 3" in out
    f = _by_no(book)
    assert f.loc["0000000245", "Paid amount"] == 1500.0 and f.loc["0000000252", "Currency"] == "HKD"
    assert f.loc["0000000252", "Due date"] == dt.datetime(2027, 1, 11)  # 60天 from 11-12


# --------------------------------------------------------------------------- upsert rules
def test_user_columns_are_never_touched_and_changes_are_listed(book: Path, tmp_path: Path) -> None:
    csv = tmp_path / "ar.csv"
    csv.write_text("Invoice,Customer ID,Amount,Due date\nA-1,C1,100.00,2026-12-01\n", encoding="utf-8")
    assert run("import", str(csv), str(book))[0] == 0
    with FileWorkbook.open(book) as wb:
        wb.edit_table("tblInvoices", TableEdit(updates={0: {"Notes": "called Tue", "Disputed": "Y",
                                                           "Promise date": dt.datetime(2026, 12, 9)}}))
        wb.save()
    csv.write_text("Invoice,Customer ID,Amount,Due date\nA-1,C1,120.00,2026-12-01\n", encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))
    assert code == 0 and "A-1  Amount: 100.00 -> 120.00" in out and "updated 1" in out
    f = _by_no(book)
    assert f.loc["A-1", "Amount"] == 120.0
    assert (f.loc["A-1", "Notes"], f.loc["A-1", "Disputed"]) == ("called Tue", "Y")
    assert f.loc["A-1", "Promise date"] == dt.datetime(2026, 12, 9)


def test_open_items_marks_missing_invoices_paid_as_inferred(book: Path, tmp_path: Path) -> None:
    csv = tmp_path / "open.csv"
    head = "Aged receivables\nAs at 31 October 2026\nInvoice,Customer ID,Amount,Due date\n"
    csv.write_text(head + "A-1,C1,100,2026-11-01\nA-2,C1,50,2026-11-15\n", encoding="utf-8")
    assert run("import", str(csv), str(book), "--open-items")[0] == 0
    csv.write_text(head.replace("31 October", "30 November") + "A-2,C1,50,2026-11-15\n", encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))  # --open-items was saved
    assert code == 0 and "Marked paid on 2026-11-30" in out and ": A-1" in out
    f = _by_no(book)
    assert f.loc["A-1", "Paid date"] == dt.datetime(2026, 11, 30) and f.loc["A-1", "Paid inferred"] == "Y"
    assert pd.isna(f.loc["A-2", "Paid date"])
    csv.write_text(head + "A-1,C1,100,2026-11-01\n", encoding="utf-8")  # listed again: not paid
    run("import", str(csv), str(book))
    f = _by_no(book)
    assert pd.isna(f.loc["A-1", "Paid date"]) and pd.isna(f.loc["A-1", "Paid inferred"])


def test_same_number_from_another_source_is_a_problem(book: Path, tmp_path: Path) -> None:
    with FileWorkbook.open(book) as wb:
        wb.edit_table("tblInvoices", TableEdit(updates={0: {"Invoice no": "A-1", "Buyer ID": "C1",
                                                           "Amount": 5.0, "Source": "xero"}}))
        wb.save()
    csv = tmp_path / "ar.csv"
    csv.write_text("Invoice,Customer ID,Amount,Due date\nA-1,C1,100,2026-12-01\n", encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))
    assert code == 0 and "added 0" in out and "problems 1" in out
    problems = rows(book, "tblProblems")
    assert "already in tblInvoices" in problems[0][4] and "xero" in problems[0][4]
    assert len(rows(book, "tblInvoices")) == 1


def test_currency_names_and_blank_currency(book: Path, tmp_path: Path) -> None:
    csv = tmp_path / "ar.csv"
    csv.write_text("单据编号,客户编码,币别,价税合计,到期日\nX1,C1,美元,1,2026-12-01\nX2,C1,RMB,1,2026-12-01\n"
                   "X3,C1,,1,2026-12-01\nX4,C1,¥,1,2026-12-01\n", encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book), "--currency", "EUR")
    assert code == 0 and "problems 1" in out
    f = _by_no(book)
    assert [None if pd.isna(c) else c for c in f["Currency"]] == ["USD", "CNY", "EUR", None]
    assert "could be CNY or JPY" in rows(book, "tblProblems")[0][4]


def test_ambiguous_numbers_and_dates_are_listed_not_guessed(book: Path, tmp_path: Path) -> None:
    csv = tmp_path / "ar.csv"
    csv.write_text("Invoice,Customer ID,Amount,Due date\nA-1,C1,1.234,03/04/2026\n", encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))
    assert code == 0 and "problems 3" in out  # the amount, the date, and so no amount
    rules = [r[4] for r in rows(book, "tblProblems")]
    assert any("could be 1234 or 1.234" in r for r in rules)
    assert any("could be 2026-04-03 or 2026-03-04" in r for r in rules)
    code, out, _ = run("import", str(csv), str(book), "--decimal", "point", "--date-order", "MDY")
    f = _by_no(book)
    assert f.loc["A-1", "Amount"] == 1.234 and f.loc["A-1", "Due date"] == dt.datetime(2026, 3, 4)


def test_dry_run_writes_nothing(book: Path, tmp_path: Path) -> None:
    csv = tmp_path / "ar.csv"
    csv.write_text("Invoice,Customer ID,Amount,Due date\nA-1,C1,100,2026-12-01\n", encoding="utf-8")
    before = book.read_bytes()
    code, out, _ = run("import", str(csv), str(book), "--dry-run")
    assert code == 0 and "added 1" in out and "Dry run: nothing was written." in out
    assert book.read_bytes() == before


def test_encoding_errors_name_the_likely_encoding(book: Path) -> None:
    code, _, err = run("import", str(DATA / "kingdee_ar.csv"), str(book))
    assert code == 2 and "not UTF-8" in err and "--encoding gb18030" in err
    code, out, _ = run("import", str(DATA / "kingdee_ar.csv"), str(book), "--encoding", "gb18030")
    assert code == 0 and "added 3" in out  # the Chinese aliases map without a profile


def test_exit_codes(book: Path, tmp_path: Path) -> None:
    csv = tmp_path / "ar.csv"
    csv.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    assert run("import", str(csv), str(book))[0] == 4  # no invoice column: schema
    assert run("import", str(csv), str(book), "--profile", "nope")[0] == 2
    assert run("import", str(csv), str(tmp_path / "missing.xlsx"))[0] == 5
    code, _, err = run("import", str(csv), str(book), "--map", "invoice_no=Nope")
    assert code == 4 and "'Nope'" in err
    code, _, err = run("import", str(csv), str(book), "--map", "invoice_no=Foo", "--map", "amount=Baz")
    assert code == 2 and "no column 'Baz'" in err


def test_library_call_reports_the_same(book: Path) -> None:
    with FileWorkbook.open(book) as wb:
        result = import_ledger(wb, DATA / "quickbooks_ar_aging_detail.csv",
                               ImportOptions(profile="quickbooks"), dry_run=True)
    assert (result.added, result.skipped["subtotal"], result.buyers_added[0]) == (4, 4, "Cool Cars")


def test_new_with_base_currency(tmp_path: Path) -> None:
    path = tmp_path / "usd.xlsx"
    code, out, _ = run("new", str(path), "--base-currency", "usd")
    assert code == 0 and "base currency USD" in out
    settings = {r[0]: r[1] for r in rows(path, "tblPolicy")}
    assert settings["base_currency"] == "USD"
    fx = {r[0]: r[1] for r in rows(path, "tblFX")}
    assert fx["USD"] == 1.0 and fx["EUR"] == pytest.approx(1 / 0.92, abs=1e-3)  # sample rates restated


# --------------------------------------------------------------------------- properties, language
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from xlcredit.workbook.source_values import read_numbers  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["point", "comma"]), st.booleans())
def test_numbers_read_back_in_either_convention(value: Any, decimal: str, trailing_minus: bool) -> None:
    """Any amount written with thousands separators the way an ERP writes it (1.234.567,89 or
    1,234,567.89; SAP's trailing minus) reads back to the cent under its convention."""
    text = f"{abs(value):,.2f}"
    if decimal == "comma":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if value < 0:
        text = text + "-" if trailing_minus else "-" + text
    got = read_numbers([text], "amount", decimal=decimal).values[0]  # type: ignore[arg-type]
    assert got == pytest.approx(float(value), abs=0.001)


def test_chinese_workbook_gets_chinese_columns_and_sheet(tmp_path: Path) -> None:
    path = build_template(tmp_path / "zh.xlsx", lang="zh-CN")
    code, out, _ = run("import", str(DATA / "kingdee_ar.csv"), str(path), "--profile", "kingdee",
                       "--open-items")
    # the summary speaks the workbook's language, as the rest of the command's output
    assert code == 0 and "导出日期 2026-11-30（取自标题" in out and "export date" not in out
    with FileWorkbook.open(path, read_only=True) as wb:
        header = wb.read_table("tblInvoices").header
        assert {"来源", "公司"} <= set(header) and "导入设置" in wb.sheet_names()
        settings = {r[0]: r[1] for r in wb.read_table("tblImport").rows}
    assert (settings["profile"], settings["map.amount"], settings["open_items"]) == ("kingdee", "价税合计", "TRUE")


def test_settings_on_the_import_sheet_are_used_next_time(book: Path, tmp_path: Path) -> None:
    """The mapping is data in the workbook: editing a value there changes the next import."""
    csv = tmp_path / "ar.csv"
    csv.write_text("Beleg,Kunde,Betrag,Fällig\nB-1,K1,\"1.234,50\",28.11.2026\n", encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book), "--map", "invoice_no=Beleg", "--map", "buyer_id=Kunde",
                       "--map", "amount=Betrag", "--map", "due_date=Fällig")
    assert code == 0 and "decimal comma (from '1.234,50')" in out
    with FileWorkbook.open(book) as wb:  # the user edits the saved setting on the Import sheet
        raw = wb.read_table("tblImport")
        at = next(i for i, r in enumerate(raw.rows) if r[0] == "decimal")
        assert raw.rows[at][1] == "comma"
        wb.edit_table("tblImport", TableEdit(updates={at: {raw.header[1]: "point"}}))
        wb.save()
    code, out, _ = run("import", str(csv), str(book), "--dry-run")
    assert "decimal point" in out and "problems 2" in out  # '1.234,50' does not fit: listed
    with FileWorkbook.open(book) as wb:
        wb.edit_table("tblImport", TableEdit(updates={at: {raw.header[1]: "comma"}}))
        wb.save()
    csv.write_text("Beleg,Kunde,Betrag,Fällig\nB-1,K1,\"1.234,50\",28.11.2026\nB-2,K1,\"7,5\",28.11.2026\n",
                   encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))  # no flags at all
    assert code == 0 and "added 1, updated 0, unchanged 1" in out
    assert _by_no(book).loc["B-2", "Amount"] == 7.5


def test_ribbon_import_ledger_runs_the_same_import(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 5: the button asks for the file through the port's dialog and imports it into the
    workbook that pressed it with the saved settings; the summary comes back as an alert."""
    from xlcredit.macros import ribbon

    with FileWorkbook.open(book) as first:  # the settings of a first import by command
        import_ledger(first, DATA / "erpnext_accounts_receivable.csv", ImportOptions(profile="erpnext"))
        first.save()
    alerts: list[str] = []
    chosen = iter([str(DATA / "erpnext_accounts_receivable.csv"), None])
    with FileWorkbook.open(book, alert=alerts.append) as wb:
        monkeypatch.setattr(wb, "choose_file", lambda title, patterns: next(chosen))
        monkeypatch.setattr(ribbon, "_caller", lambda: wb)
        ribbon.ribbon_import_ledger()
        assert "unchanged 3" in alerts[-1] and "profile erpnext" in alerts[-1]
        count = len(alerts)
        ribbon.ribbon_import_ledger()  # cancelled dialog: nothing happens, nothing said
        assert len(alerts) == count


@pytest.mark.parametrize("name,file", [("erpnext", "erpnext_accounts_receivable.csv"),
                                       ("kingdee", "kingdee_ar.csv")])
def test_live_excel_import_gives_the_same_tables(book: Path, tmp_path: Path, name: str, file: str) -> None:
    """The ribbon's import runs on the xlwings adapter (here on the fake Excel of
    tests/fake_excel.py): the same invoices and buyers as the command line's file import."""
    from fake_excel import open_book

    from xlcredit.workbook.excel import ExcelWorkbook

    twin = tmp_path / "twin.xlsx"
    twin.write_bytes(book.read_bytes())
    _import_profile(book, name, file)
    live = ExcelWorkbook(open_book(twin))  # type: ignore[arg-type]
    result = import_ledger(live, DATA / file, ImportOptions(profile=name))
    assert result.added == 3 and not result.problems
    for table in ("tblInvoices", "tblBuyers"):
        assert live.read_table(table).rows == rows(book, table)


# --------------------------------------------------------------------------- one set of reading rules
def test_header_rules_are_the_schemas(book: Path, tmp_path: Path) -> None:
    """The import maps headers by the rule refresh reads tables by (TableSchema.resolve): the
    field's own header wins over an alias, and two aliases claiming it are both named."""
    from xlcredit.workbook.schema import IMPORT

    csv = tmp_path / "ar.csv"
    header = ["Invoice", "Customer ID", "Amount", "Net due date", "Due date"]
    csv.write_text(",".join(header) + "\nA-1,C1,100,2026-01-01,2026-12-01\n", encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))
    assert code == 0 and "due_date <- 'Due date'" in out and "'Net due date'" in out.split("Ignored:")[1]
    assert _by_no(book).loc["A-1", "Due date"] == dt.datetime(2026, 12, 1)
    assert IMPORT.resolve(header)["due_date"] == 4  # the schema's own answer for the same header
    csv.write_text("Invoice,Customer ID,Amount,Net due date,Due\nA-2,C1,100,2026-01-01,2026-12-01\n",
                   encoding="utf-8")
    code, _, err = run("import", str(csv), str(book))
    assert code == 2 and "'Net due date' and 'Due'" in err and "--map due_date=HEADER" in err


def test_decimal_is_decided_once_per_file(book: Path, tmp_path: Path) -> None:
    """'1.234' alone could be either; the open amount '0,50' shows the file's decimal comma."""
    csv = tmp_path / "ar.csv"
    csv.write_text('Invoice,Customer ID,Amount,Open amount,Due date\nA-1,C1,1.234,"0,50",2026-12-01\n',
                   encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))
    assert code == 0 and "decimal comma (from '0,50')" in out and "problems 0" in out
    f = _by_no(book)
    assert (f.loc["A-1", "Amount"], f.loc["A-1", "Paid amount"]) == (1234.0, 1233.5)


def test_explicit_date_order_is_checked_against_each_date(book: Path, tmp_path: Path) -> None:
    csv = tmp_path / "ar.csv"
    csv.write_text("Invoice,Customer ID,Amount,Due date\nA-1,C1,100,28/11/2026\nA-2,C1,100,03/04/2026\n",
                   encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book), "--date-order", "MDY", "--dry-run")
    assert code == 0 and "dates MDY" in out and "problems 2" in out  # the date, and so no due date
    code, out, _ = run("import", str(csv), str(book), "--date-order", "MDY")
    problems = [r[4] for r in rows(book, "tblProblems")]
    assert problems[0] == ("due_date: '28/11/2026' is not a date in the order --date-order MDY (check "
                           "--date-order, or the date order on the Import sheet)")
    assert len(problems) == 2 and "due_date is blank" in problems[1]
    assert _by_no(book).loc["A-2", "Due date"] == dt.datetime(2026, 3, 4)
    code, out, _ = run("import", str(csv), str(book), "--date-order", "DMY")
    assert code == 0 and _by_no(book).loc["A-2", "Due date"] == dt.datetime(2026, 4, 3)


def test_currency_signs_in_amounts_agree_with_the_currency(book: Path, tmp_path: Path) -> None:
    """A sign in an amount is checked against the row's currency, as refresh checks it; the
    amount is still read."""
    csv = tmp_path / "ar.csv"
    csv.write_text('Invoice,Customer ID,Currency,Amount,Due date\nA-1,C1,USD,"€1.234,50",2026-12-01\n'
                   'A-2,C1,EUR,"€7,00",2026-12-01\nA-3,C1,,"$5,00",2026-12-01\n', encoding="utf-8")
    code, out, _ = run("import", str(csv), str(book))
    assert code == 0 and "problems 2" in out
    problems = [r[4] for r in rows(book, "tblProblems")]
    assert any("'€1.234,50' is marked € (EUR) but the currency is USD" in p for p in problems)
    assert any("'$5,00' - the sign $ could be USD" in p and "--currency" in p for p in problems)
    f = _by_no(book)
    assert (f.loc["A-1", "Amount"], f.loc["A-2", "Amount"], f.loc["A-3", "Amount"]) == (1234.5, 7.0, 5.0)


def test_an_unreadable_payment_term_is_named_by_its_column_in_both_languages() -> None:
    from xlcredit.workbook.terms import parse_terms

    rule = parse_terms(["ZB01"], "Zahlungsbedingung").problems[0]
    assert str(rule).startswith("Zahlungsbedingung: 'ZB01' is not a payment term")
    assert rule.render("zh-CN").startswith("Zahlungsbedingung：'ZB01' 不是 xlcredit 能识别的付款条件")
