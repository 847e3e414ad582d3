"""The decision log (issue 16, item 5): `xlcredit decide` and the ribbon's "Record decision"
append the engine's recommendation with the approver's name and type current limit and last
review on the buyer's row; refresh never rewrites the log; the Dashboard lists reviews due."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from xlcredit import cli, macros
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.schema import BUYERS, DECISIONS_LOG
from xlcredit.workbook.templates import build_template

AS_OF = dt.date(2026, 11, 30)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return cli.main(list(argv), out, err), out.getvalue(), err.getvalue()


def rows(path: Path, name: str) -> list[dict[str, Any]]:
    """A table's rows by canonical column name (through its schema's headers)."""
    schema = {"tblBuyers": BUYERS, "tblDecisions": DECISIONS_LOG}.get(name)
    with FileWorkbook.open(path, read_only=True) as book:
        raw = book.read_table(name)
    if schema is None:
        return [dict(zip(raw.header, r, strict=True)) for r in raw.rows]
    found = schema.resolve(raw.header)
    return [{k: r[j] for k, j in found.items()} for r in raw.rows]


def buyer(path: Path, buyer_id: str) -> dict[str, Any]:
    return next(r for r in rows(path, "tblBuyers") if r["buyer_id"] == buyer_id)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = build_template(tmp_path / "book.xlsx", sample=20)
    assert run("refresh", str(path), "--as-of", AS_OF.isoformat())[0] == 0
    return path


def test_the_template_has_an_empty_decision_log_in_both_languages(tmp_path: Path) -> None:
    for lang, sheet in (("en", "Decisions"), ("zh-CN", "审批记录")):
        path = build_template(tmp_path / f"{lang}.xlsx", lang=lang)
        with FileWorkbook.open(path, read_only=True) as wb:
            raw = wb.read_table("tblDecisions")
        assert raw.sheet == sheet and raw.header == DECISIONS_LOG.headers(lang)
        assert all(v is None for r in raw.rows for v in r)


def test_decide_records_the_recommendation_and_types_limit_and_review(book: Path) -> None:
    before = buyer(book, "C0003")
    code, out, err = run("decide", str(book), "C0003", "--approver", "Li Na", "--note", "annual review",
                         "--as-of", AS_OF.isoformat())
    assert code == 0, err
    log = rows(book, "tblDecisions")
    assert len(log) == 1  # the template's blank row was used, not left above the entry
    entry = log[0]
    # the recommendation refresh wrote on Buyers (the one decision engine), in the buyer's currency
    assert entry["new_limit"] == before["recommended_limit_ccy"]
    assert entry["decision"] == before["decision"]
    assert entry["old_limit"] == before["current_limit"]
    assert (entry["date"], entry["buyer_id"], entry["currency"], entry["approver"], entry["note"]) == (
        dt.datetime(2026, 11, 30), "C0003", before["currency"], "Li Na", "annual review")
    after = buyer(book, "C0003")
    assert after["current_limit"] == before["recommended_limit_ccy"]
    assert after["last_review"] == dt.datetime(2026, 11, 30)
    assert "C0003" in out and "Li Na" in out
    # a second decision, with a limit the approver sets, goes below the first
    assert run("decide", str(book), "C0005", "--approver", "Wang Fang", "--limit", "12,500",
               "--as-of", AS_OF.isoformat())[0] == 0
    log = rows(book, "tblDecisions")
    assert [r["buyer_id"] for r in log] == ["C0003", "C0005"] and log[1]["new_limit"] == 12_500
    assert buyer(book, "C0005")["current_limit"] == 12_500


def test_refresh_never_rewrites_the_log_nor_the_typed_cells(book: Path) -> None:
    assert run("decide", str(book), "C0002", "--approver", "Li Na", "--as-of", AS_OF.isoformat())[0] == 0
    log = rows(book, "tblDecisions")
    typed = {k: buyer(book, "C0002")[k] for k in ("current_limit", "last_review")}
    assert run("refresh", str(book), "--as-of", "2026-12-31")[0] == 0
    assert rows(book, "tblDecisions") == log
    assert {k: buyer(book, "C0002")[k] for k in ("current_limit", "last_review")} == typed


def test_a_recorded_review_leaves_the_reviews_due_list(book: Path) -> None:
    due = {r["Buyer ID"]: r for r in rows(book, "tblReviewsDue")}
    assert due, "the sample has credit files due for review"
    first = next(iter(due))
    # the list is the engine's answer: the buyers whose action on Buyers is a review, or who
    # are never reviewed / past their review date
    assert run("decide", str(book), first, "--approver", "Li Na", "--as-of", AS_OF.isoformat())[0] == 0
    assert run("refresh", str(book), "--as-of", AS_OF.isoformat())[0] == 0
    after = {r["Buyer ID"] for r in rows(book, "tblReviewsDue")}
    assert first not in after and after == set(due) - {first}


def test_decide_errors_name_the_buyer_and_the_option(book: Path) -> None:
    code, _, err = run("decide", str(book), "NOPE", "--approver", "Li Na")
    assert code == 2 and "NOPE" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as stop:
        cli.build_parser().parse_args(["decide", str(book), "C0001", "--limit", "-5"])
    assert stop.value.code == 2
    assert rows(book, "tblDecisions")[0]["buyer_id"] is None  # nothing recorded


def test_record_decision_button_on_the_fake_excel(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ribbon button on the xlwings adapter (tests/fake_excel.py): the selected row's buyer,
    Excel's user name as the approver."""
    from fake_excel import open_book

    from xlcredit.macros import ribbon
    from xlcredit.workbook.excel import ExcelWorkbook

    fake = open_book(book)
    live = ExcelWorkbook(fake)  # type: ignore[arg-type]
    alerts: list[str] = []
    monkeypatch.setattr(live, "alert", alerts.append)
    monkeypatch.setattr(ribbon, "_caller", lambda: live)
    sheet = fake.sheets["Buyers"]
    sheet.activate()
    sheet.select("A1")  # the header: no buyer selected
    macros.ribbon_record_decision()
    assert alerts[-1].startswith("Select a cell in a buyer's row")
    sheet.select("C5")  # the fourth buyer's row
    expected = live.read_table("tblBuyers").rows[3]
    macros.ribbon_record_decision()
    assert "Li Na" in alerts[-1] and expected[0] in alerts[-1]
    log = live.read_table("tblDecisions")
    found = DECISIONS_LOG.resolve(log.header)
    assert log.rows[0][found["buyer_id"]] == expected[0] and log.rows[0][found["approver"]] == "Li Na"
