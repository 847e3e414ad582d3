"""Statements of account (issue 14, item 1): the lines and totals against a computation by
hand, the agreement with the aging, the PDF drawn to PNG in English and Chinese, the
Statement sheet keeping the rest of the workbook, and the ``xlcredit statements`` command."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from strategies import AGING_FX, edge_frame, edge_ledgers

from xlcredit.cli import main
from xlcredit.engine.account_statement import statement_aging, statement_lines, statement_totals
from xlcredit.engine.aging import age_invoices
from xlcredit.engine.collections import build_worklist
from xlcredit.engine.policy import Policy
from xlcredit.macros.run import _aging, _open
from xlcredit.macros.statement_sheet import build_statement, statement_doc, statement_lines_of
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.templates import build_template

AS_OF = "2026-11-28"
EDGE_AS_OF = pd.Timestamp(AS_OF)


def _ledger() -> pd.DataFrame:
    """Buyer A: a part-paid EUR invoice 58 days overdue, a USD one not due, a disputed EUR one,
    one settled (not on the statement), and a GBP one with no FX rate in the policy. Buyer B:
    one overdue invoice under a promise to pay still honoured."""
    return pd.DataFrame({
        "invoice_no": ["1", "2", "3", "4", "5", "6"],
        "buyer_id": ["A", "A", "A", "A", "A", "B"],
        "currency": ["EUR", "USD", "EUR", "EUR", "GBP", "EUR"],
        "amount": [1000.0, 500.0, 300.0, 800.0, 200.0, 10_000.0],
        "paid_amount": [400.0, 0.0, 0.0, 800.0, 0.0, 0.0],
        "invoice_date": pd.to_datetime(["2026-09-01"] * 6),
        "due_date": pd.to_datetime(["2026-10-01", "2026-12-15", "2026-11-20", "2026-10-01",
                                    "2026-11-18", "2026-10-29"]),
        "paid_date": pd.to_datetime([None, None, None, "2026-10-05", None, None]),
        "disputed": [False, False, True, False, False, False],
        "promise_date": pd.to_datetime([None, None, None, None, None, "2026-12-05"]),
    })


def _lines(policy: Policy) -> pd.DataFrame:
    inv = _ledger()
    return statement_lines(inv, age_invoices(inv, AS_OF, policy), build_worklist(inv, AS_OF, policy), policy)


def test_lines_are_the_open_invoices_with_their_facts() -> None:
    lines = _lines(Policy(fx_rates=(("USD", 0.9),)))
    a = lines[lines["buyer_id"] == "A"].set_index("invoice_no")
    # by hand: settled invoice 4 is not listed; 1000 - 400 open on invoice 1
    assert sorted(a.index) == ["1", "2", "3", "5"]
    assert a.loc["1", "open_amount"] == 600.0 and a.loc["1", "paid_amount"] == 400.0
    assert a.loc["1", "days_overdue"] == 58.0  # 2026-11-28 - 2026-10-01
    assert np.isnan(a.loc["2", "days_overdue"])  # not due yet
    assert a.loc["5", "days_overdue"] == 10.0 and np.isnan(a.loc["5", "open_base"])  # GBP: no rate
    assert a.loc["2", "open_base"] == pytest.approx(450.0)  # 500 USD x 0.9
    assert bool(a.loc["3", "disputed"]) and not bool(a.loc["3", "in_dunning"])
    assert bool(a.loc["1", "in_dunning"]) and not bool(a.loc["2", "in_dunning"])
    b = lines[lines["buyer_id"] == "B"].iloc[0]
    assert bool(b["promised"]) and not bool(b["in_dunning"])
    assert (lines["late_interest"] == 0.0).all()  # the default policy charges none


def test_totals_per_currency_add_up_by_hand() -> None:
    tot = statement_totals(_lines(Policy(fx_rates=(("USD", 0.9),))))
    eur = tot.loc[("A", "EUR")]
    assert (eur["open_amount"], eur["overdue"], eur["disputed"], eur["in_dunning"]) == (900.0, 900.0, 300.0, 600.0)
    assert eur["oldest_due"] == pd.Timestamp("2026-10-01")
    assert tot.loc[("A", "USD"), "overdue"] == 0.0
    assert np.isnan(tot.loc[("A", "GBP"), "open_base"])  # no rate: no base figure, never a guess


def test_aging_line_per_currency_in_the_invoice_currency() -> None:
    policy = Policy(fx_rates=(("USD", 0.9),))
    aging = statement_aging(_lines(policy), "en", policy.aging.bucket_edges)
    assert aging.loc[("A", "EUR")].to_dict() == {"Not due": 0.0, "1-30": 300.0, "31-60": 600.0, "61-90": 0.0,
                                                 "91-120": 0.0, "Over 120": 0.0}
    assert aging.loc[("A", "USD"), "Not due"] == 500.0
    assert aging.loc[("A", "GBP"), "1-30"] == 200.0  # aged though it has no FX rate


def test_late_interest_only_where_the_policy_charges_it() -> None:
    policy = Policy.from_dict({"fx_rates": [["USD", 0.9]], "late_interest": {"enabled": True}})
    b = _lines(policy).set_index("invoice_no").loc["6"]
    # EU rules (Directive 2011/7/EU; engine.collections.late_interest doc): 10,000 EUR 30 days
    # late at 2.15 % + 8 points = 83.42 interest + the EUR 40 fixed sum
    assert b["late_interest"] == pytest.approx(10_000 * 0.1015 * 30 / 365 + 40, abs=0.01)
    a = _lines(policy).set_index("invoice_no")
    assert a.loc["2", "late_interest"] == 0.0  # not due: nothing
    assert np.isnan(a.loc["5", "late_interest"])  # GBP without a rate: not known, not zero


def test_statement_totals_agree_with_the_aging_per_buyer(tmp_path: Path) -> None:
    path = build_template(tmp_path / "s.xlsx", sample=40)
    with FileWorkbook.open(path, read_only=True) as book:
        run = _open(book)
        tot = statement_totals(statement_lines_of(run))
        aging = _aging(run).by_buyer
    base = tot["open_base"].groupby(level="buyer_id").sum()
    common = aging.index.intersection(base.index)
    assert len(common) > 10
    np.testing.assert_allclose(base.loc[common].to_numpy(), aging.loc[common, "Total"].to_numpy(), rtol=1e-9)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("statements")
    return {lang: build_template(folder / f"{lang}.xlsx", lang=lang, sample=30) for lang in ("en", "zh-CN")}


def _png_of_pdf(pdf: Path, out: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(out)], check=True)
    return out.with_suffix(".png")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
@pytest.mark.parametrize(("lang", "title", "font"), [("en", "Statement of account", "Helvetica"),
                                                     ("zh-CN", "对账单", "STSong-Light")])
def test_pdf_draws_to_a_page_with_its_text(books: dict[str, Path], tmp_path: Path, lang: str, title: str,
                                           font: str) -> None:
    from PIL import Image

    code, _, err = _run("statements", str(books[lang]), "--out", str(tmp_path / "pdf"), "--buyers", "C0029")
    assert code == 0, err
    pdf = next((tmp_path / "pdf").glob("C0029*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert title in text and "INV-" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert font in fonts
    if lang == "zh-CN":  # the standard CID font, not embedded (docs/month-end.md says why)
        row = next(line for line in fonts.splitlines() if "STSong-Light" in line)
        assert row.split()[-5] == "no"
    image = Image.open(_png_of_pdf(pdf, tmp_path / "page")).convert("RGB")
    pixels = np.asarray(image)
    assert image.size == (497, 702)  # A4, 210 x 297 mm, at 60 dpi (poppler rounds up)
    ink = pixels.astype(int).sum(axis=2) < 384  # darker than mid-grey: text at 60 dpi is anti-aliased
    assert 0.01 < ink.mean() < 0.2  # text drawn, page not black
    header_blue = (np.abs(pixels.astype(int) - [0x1F, 0x4E, 0x78]).sum(axis=2) < 30).mean()
    assert header_blue > 0.005  # the table header band
    # the title line (top quarter of the page) carries ink: Chinese glyphs were drawn
    assert ink[int(702 * 0.12):int(702 * 0.16), 30:200].mean() > 0.01


def test_statement_sheet_keeps_every_other_part(books: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    shutil.copy(books["en"], path)
    with zipfile.ZipFile(path) as z:
        before = {n: z.read(n) for n in z.namelist()}
    with FileWorkbook.open(path) as book:
        doc = build_statement(book, "C0029")
        book.save()
    with zipfile.ZipFile(path) as z:
        after = {n: z.read(n) for n in z.namelist()}
    owned = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
             "docProps/app.xml"}
    changed = [n for n in before if n not in owned and before[n] != after.get(n)]
    assert changed == []
    with FileWorkbook.open(path, read_only=True) as book:
        assert "Statement" in book.sheet_names()
    assert doc.rows and doc.columns[0] == "Invoice no."


def test_statement_doc_has_company_and_payment_instructions(books: dict[str, Path]) -> None:
    with FileWorkbook.open(books["zh-CN"], read_only=True) as book:
        doc = statement_doc(_open(book), "C0029")
    assert doc.heading[0] == "上海北风精密部件有限公司"
    assert any("请付款至" in n and "6222 0210 0112 3456 789" in n for n in doc.notes)
    assert doc.columns[-1] == "备注" and "逾期利息" not in doc.columns  # not charged in the sample


# --------------------------------------------------------------------------- command line
def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_writes_one_file_per_overdue_buyer(books: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "out"
    code, out, err = _run("statements", str(books["en"]), "--out", str(folder), "--format", "xlsx")
    files = sorted(p.name for p in folder.iterdir())
    with FileWorkbook.open(books["en"], read_only=True) as book:
        lines = statement_lines_of(_open(book))
    overdue = sorted(set(lines.loc[lines["days_overdue"].notna(), "buyer_id"]))
    assert (code, err) == (0, "")
    assert out == f"Wrote {len(overdue)} statements (xlsx) to {folder}\n"
    assert [f.split()[0] for f in files] == overdue and all(f.endswith(".xlsx") for f in files)


def test_cli_as_of_and_listed_buyers(books: dict[str, Path], tmp_path: Path) -> None:
    code, out, _ = _run("statements", str(books["en"]), "--out", str(tmp_path), "--buyers", "C0001,C0002",
                        "--as-of", "2026-11-30")
    assert code == 0 and out == f"Wrote 2 statements (pdf) to {tmp_path}\n"


def test_cli_unknown_buyer_is_an_input_error(books: dict[str, Path], tmp_path: Path) -> None:
    code, out, err = _run("statements", str(books["en"]), "--out", str(tmp_path), "--buyers", "C0001,NOPE")
    assert (code, out) == (2, "")
    assert err == ("xlcredit: error: --buyers names NOPE, not in tblBuyers; give IDs of the Buyers table, "
                   "overdue or all.\n")


def test_cli_missing_book_and_file_as_out(tmp_path: Path) -> None:
    code, _, err = _run("statements", str(tmp_path / "none.xlsx"), "--out", str(tmp_path))
    assert code == 5 and "xlcredit new" in err
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    build_template(tmp_path / "b.xlsx")
    code, _, err = _run("statements", str(tmp_path / "b.xlsx"), "--out", str(blocker))
    assert code == 5 and err == f"xlcredit: error: --out {blocker} is a file; give a folder (it is created if missing).\n"


def test_cli_statements_help() -> None:
    completed = subprocess.run([sys.executable, "-m", "xlcredit", "statements", "--help"], capture_output=True,
                               text=True, cwd=Path(__file__).resolve().parents[1])
    assert completed.returncode == 0 and "usage: xlcredit statements" in completed.stdout
    assert "--buyers" in completed.stdout and "--format {pdf,xlsx}" in completed.stdout


def test_bad_format_is_refused_by_the_parser() -> None:
    with pytest.raises(SystemExit) as stop:
        main(["statements", "x.xlsx", "--out", "d", "--format", "docx"], out=io.StringIO(), err=io.StringIO())
    assert stop.value.code == 2




@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_a_chinese_name_in_an_english_statement_is_drawn(books: dict[str, Path], tmp_path: Path) -> None:
    with FileWorkbook.open(books["en"], read_only=True) as book:
        names = _open(book).buyers.frame[["buyer_id", "name"]]
    chinese = names[names["name"].astype(str).str.contains(r"[\u4e00-\u9fff]")].iloc[0]
    code, _, err = _run("statements", str(books["en"]), "--out", str(tmp_path), "--buyers", chinese["buyer_id"])
    assert code == 0, err
    pdf = next(tmp_path.glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert chinese["name"] in text and "■" not in text  # the CID font for CJK text, Helvetica for the rest


@settings(max_examples=80, deadline=None)
@given(edge_ledgers())
def test_statements_agree_with_aging_and_worklist_on_edge_ledgers(cols: dict[str, list[object]]) -> None:
    """One answer per fact: on ledgers full of edge cases (blank currencies, no due date, credit
    notes, infinite amounts), each buyer's statement adds up, at our rates, to its aging Total,
    and what a letter would ask for is the worklist's active overdue."""
    frame = edge_frame(cols, EDGE_AS_OF)
    policy = Policy(fx_rates=AGING_FX)
    aged = age_invoices(frame, EDGE_AS_OF, policy)
    wl = build_worklist(frame, EDGE_AS_OF, policy)
    lines = statement_lines(frame, aged, wl, policy)
    assert np.isfinite(lines["open_amount"].to_numpy(dtype=float)).all()
    aged_lines = lines[lines["open_base"].notna()]
    base = aged_lines.groupby("buyer_id")["open_base"].sum()
    for buyer, total in aged.by_buyer["Total"].items():
        assert base.get(buyer, 0.0) == pytest.approx(total, rel=1e-9, abs=1e-6)
    active = wl[(wl["dunning_state"].astype(str) == "dunning") | (wl["dunning_state"].astype(str) == "broken promise")]
    asked = aged_lines[aged_lines["in_dunning"]].groupby("buyer_id")["open_base"].sum()
    expected = active.groupby("buyer_id", observed=True)["open_amount_base"].sum()
    for buyer in set(asked.index) | set(expected.index):
        assert asked.get(buyer, 0.0) == pytest.approx(expected.get(buyer, 0.0), rel=1e-9, abs=1e-6)
