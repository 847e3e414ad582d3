"""Dunning letters (issue 14, item 2): the letter per buyer at its highest step, the items
left out, the team's texts from the Policy sheet, the .eml drafts with the statement
attached, and the Letters log that later runs and refreshes keep."""

from __future__ import annotations

import email
import email.policy
import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from xlcredit.cli import main
from xlcredit.engine.account_statement import statement_lines
from xlcredit.engine.aging import age_invoices
from xlcredit.engine.collections import build_worklist, summarise_by_buyer
from xlcredit.engine.errors import PolicyError
from xlcredit.engine.letters import dunning_letters
from xlcredit.engine.policy import LETTER_FIELDS, Policy
from xlcredit.macros import refresh_all
from xlcredit.macros.letters import write_letters
from xlcredit.macros.run import _open, _worklist
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.policy_sheet import policy_from_tables, policy_tables
from xlcredit.workbook.templates import build_template

AS_OF = "2026-11-28"


def _ledger() -> pd.DataFrame:
    """Buyer A: two overdue EUR items (58 and 28 days), one disputed (38 days) and one under a
    promise not yet due; buyer B: 10 days overdue; buyer C: not due."""
    return pd.DataFrame({
        "invoice_no": ["1", "2", "3", "4", "5", "6"],
        "buyer_id": ["A", "A", "A", "A", "B", "C"],
        "currency": ["EUR"] * 6,
        "amount": [1000.0, 250.0, 300.0, 700.0, 90.0, 500.0],
        "due_date": pd.to_datetime(["2026-10-01", "2026-10-31", "2026-10-21", "2026-10-15", "2026-11-18",
                                    "2026-12-20"]),
        "disputed": [False, False, True, False, False, False],
        "promise_date": pd.to_datetime([None, None, None, "2026-12-05", None, None]),
    })


def _letters(policy: Policy, language: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    inv = _ledger()
    wl = build_worklist(inv, AS_OF, policy)
    lines = statement_lines(inv, age_invoices(inv, AS_OF, policy), wl, policy)
    buyers = pd.DataFrame({"buyer_id": ["A", "B", "C"], "name": ["Acme", "Beta", "Gamma"],
                           "contact": ["Ms Li", None, None]})
    return dunning_letters(lines, summarise_by_buyer(wl, policy), wl, buyers, policy, language, AS_OF), wl


def test_one_letter_per_buyer_at_its_highest_step() -> None:
    out, wl = _letters(Policy())
    got = out.set_index("buyer_id")
    assert sorted(got.index) == ["A", "B"]  # C owes nothing overdue
    # default ladder: reminder from 1 day, second reminder 15, call 30, stop supply 45
    assert got.loc["A", "step"] == "stop_supply"  # 58 days: the oldest item decides, account level
    assert got.loc["B", "step"] == "reminder"  # 10 days
    assert (got.loc["A", "items"], got.loc["A", "left_out"]) == (2, 2)  # items 1 and 2; 3 and 4 left out
    assert got.loc["A", "amount"] == "EUR 1,250.00"  # 1000 + 250, by hand
    body = got.loc["A", "body"]
    assert "Not included: 2 invoice(s)" in body and "(4, 3)" in body  # by due date
    assert "oldest fell due" not in body  # stop_supply text; the reminder's sentence is not used
    nxt = wl[(wl["buyer_id"] == "A") & (wl["step_no"] == 4)]["next_step_date"].min()
    assert f"Final demand from {nxt.date().isoformat()}" in body
    assert "Dear Ms Li," in body and "Dear Sir or Madam," in got.loc["B", "body"]


def test_no_merge_field_is_left_unfilled_in_any_default_text() -> None:
    for lang in ("en", "zh-CN"):
        out, _ = _letters(Policy.from_dict({"company": {"name": "Our Co", "contact_name": "Ann"}}), lang)
        for text in list(out["subject"]) + list(out["body"]):
            assert not re.search(r"\{[a-z_]+\}", text), text


def test_interest_is_in_the_letter_only_when_charged() -> None:
    out, _ = _letters(Policy())
    assert "interest" not in out.set_index("buyer_id").loc["A", "body"]
    charged, _ = _letters(Policy.from_dict({"late_interest": {"enabled": True}}))
    body = charged.set_index("buyer_id").loc["A", "body"]
    # EU rules on items 1 and 2 (58 and 28 days at 10.15 %, plus EUR 40 each), by hand
    expected = 1000 * 0.1015 * 58 / 365 + 40 + 250 * 0.1015 * 28 / 365 + 40
    assert f"Late interest and fixed compensation to date: EUR {expected:,.2f}" in body


def test_a_letter_text_with_an_unknown_field_is_refused_by_name() -> None:
    with pytest.raises(PolicyError, match=r"letters\[reminder\]\.body must be merge fields among .*; got '\{amount\}'"):
        Policy.from_dict({"letters": [{"step": "reminder", "language": "en", "subject": "x",
                                       "body": "Pay {amount}"}]})
    with pytest.raises(PolicyError, match=r"letters\[reminder\]\.subject must be text whose braces pair up"):
        Policy.from_dict({"letters": [{"step": "reminder", "language": "en", "subject": "Hi {buyer", "body": "y"}]})
    assert set(LETTER_FIELDS) >= {"buyer", "contact", "overdue_total", "oldest_due_date", "invoice_list",
                                  "interest", "next_step", "our_contact"}


def test_letter_texts_round_trip_through_the_policy_sheet() -> None:
    edited = Policy.from_dict({"letters": [{"step": "reminder", "language": "en", "subject": "Hello {buyer}",
                                            "body": "Line one\nPay {overdue_total}."}]})
    tables = {k: (list(v.columns), v.to_numpy().tolist()) for k, v in policy_tables(edited, "zh-CN").items()}
    back, problems = policy_from_tables(tables)
    assert problems == [] and back.letters == edited.letters
    rows = [["reminder", "中文", "提醒", "请付 {overdue_total}"], ["call", "en", "S", "{nope}"]]
    back, problems = policy_from_tables({"tblLetters": (["Step", "Language", "Subject", "Text"], rows)})
    assert back.letters == Policy().letters  # a bad row: the table's defaults, and the problem named
    assert "'{nope}'" in problems[0].rule


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("letters")
    return {lang: build_template(folder / f"{lang}.xlsx", lang=lang, sample=30) for lang in ("en", "zh-CN")}


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_cli_writes_eml_drafts_with_the_statement(books: dict[str, Path], tmp_path: Path, lang: str) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy(books[lang], book)
    folder = tmp_path / "drafts"
    with FileWorkbook.open(book, read_only=True) as wb:
        run = _open(wb)
        summary = summarise_by_buyer(_worklist(run), run.policy)
    expected = int((summary["highest_step_no"] >= 1).sum())
    code, out, err = _run("letters", str(book), "--out", str(folder))
    assert (code, err) == (0, "")
    if lang == "zh-CN":  # the command speaks the workbook's language (issue 15, item 1)
        assert out == (f"已生成 {expected} 封催款函（`.eml` 邮件草稿，附对账单），保存在 {folder}；"
                       f"已记入 {book} 的函件记录表\n")
    else:
        assert out == (f"Wrote {expected} letters (.eml with the statement attached) to {folder}; "
                       f"logged on the Letters sheet of {book}\n")
    drafts = sorted(folder.glob("*.eml"))
    assert len(drafts) == expected
    msg = email.message_from_bytes(drafts[0].read_bytes(), policy=email.policy.default)
    buyer = drafts[0].name.split()[0]
    assert msg["X-Unsent"] == "1" and msg["To"] == f"accounts.{buyer.lower()}@example.com"
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert ("此致" if lang == "zh-CN" else "Kind regards") in body
    pdf = next(p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf")
    saved = tmp_path / "att.pdf"
    saved.write_bytes(pdf.get_content())
    text = subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True).stdout
    assert ("对账单" if lang == "zh-CN" else "Statement of account") in text
    invoices = re.findall(r"INV-\d+", body)
    assert invoices and all(i in text for i in invoices)  # every invoice asked for is on the statement


def _mark_sent(book: Path, row: int, value: str) -> None:
    """What a user does: type in the Sent column of the log (openpyxl, a test shortcut)."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Letters"]
    ws.cell(5 + row, 8).value = value
    wb.save(book)


def test_log_keeps_sent_marks_and_refresh_keeps_the_log(books: dict[str, Path], tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy(books["en"], book)
    assert _run("letters", str(book), "--out", str(tmp_path / "a"))[0] == 0
    with FileWorkbook.open(book, read_only=True) as wb:
        first = wb.read_table("tblLettersLog")
    _mark_sent(book, 0, "2026-12-01")
    assert _run("letters", str(book), "--out", str(tmp_path / "b"))[0] == 0  # same day again: replaced
    with FileWorkbook.open(book) as wb:
        refresh_all(wb)
        wb.save()
    with FileWorkbook.open(book, read_only=True) as wb:
        log = wb.read_table("tblLettersLog")
        coll = wb.read_table("tblCollections")
    assert len(log.rows) == len(first.rows) and log.rows[0][7] == "2026-12-01"  # kept, not doubled
    assert [r[:7] for r in log.rows] == [r[:7] for r in first.rows]
    last, buyer = coll.header.index("Last reminder"), coll.header.index("Buyer ID")
    shown = {r[buyer]: r[last] for r in coll.rows}
    words = {d.step: d.action_en for d in Policy().dunning}
    b0, step0 = first.rows[0][1], first.rows[0][3]
    assert shown[b0] == f"2026-11-30 {words[step0]} (sent)"
    assert shown[first.rows[1][1]] == f"2026-11-30 {words[first.rows[1][3]]}"  # not marked
    # a month later: new rows added after the old ones; the worklist shows the newest
    assert _run("letters", str(book), "--out", str(tmp_path / "c"), "--as-of", "2026-12-31")[0] == 0
    with FileWorkbook.open(book) as wb:
        refresh_all(wb, as_of=pd.Timestamp("2026-12-31").date())
        wb.save()
    with FileWorkbook.open(book, read_only=True) as wb:
        log = wb.read_table("tblLettersLog")
        coll = wb.read_table("tblCollections")
    n = len(first.rows)
    assert len(log.rows) > n and log.rows[0][7] == "2026-12-01"
    shown = {r[buyer]: r[last] for r in coll.rows}
    assert all(str(shown[r[1]]).startswith("2026-12-31 ") for r in log.rows[n:] if r[1] in shown)


def test_a_step_without_a_text_is_skipped_and_said(books: dict[str, Path], tmp_path: Path) -> None:
    only_reminder = Policy.from_dict({"letters": [{"step": "reminder", "language": "en", "subject": "S",
                                                   "body": "{invoice_list}"}]})
    with FileWorkbook.open(books["en"], read_only=True) as wb:
        run = _open(wb)
        run.policy = only_reminder.with_overrides({"company": run.policy.company.__dict__,
                                                   "as_of": run.as_of.isoformat()})
        result = write_letters(wb, tmp_path, _run=run)
    assert result.skipped and all("no letter text for step" in s and "tblLetters" in s for s in result.skipped)
    assert all(p.name.endswith("reminder.eml") for p in result.paths)


def test_a_text_for_a_step_not_on_the_ladder_is_listed(books: dict[str, Path], tmp_path: Path) -> None:
    with FileWorkbook.open(books["en"], read_only=True) as wb:
        run = _open(wb)
        extra = [{"step": "nudge", "language": "en", "subject": "x", "body": "y"}]
        run.policy = run.policy.with_overrides({"letters": [t.__dict__ for t in run.policy.letters] + extra})
        result = write_letters(wb, tmp_path, _run=run)
    assert result.warnings[0] == ("the letter text for step nudge is not used: no step of the dunning ladder has "
                                  "that name (reminder, second_reminder, call, stop_supply, final_demand, "
                                  "agency_legal)")
