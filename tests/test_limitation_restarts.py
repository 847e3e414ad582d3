"""The limitation period on Collections is restarted only by evidence in the workbook
(issues 14 and 15): a letter marked sent in the Letters log, a promise recorded on the
Collections sheet. 民法典 188 (three years), 195 (a demand or a promise restarts it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from xlcredit.macros import refresh_all
from xlcredit.macros.letters import write_letters
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.schema import BUYERS, INVOICES
from xlcredit.workbook.templates import build_template

AS_OF = dt.date(2026, 11, 30)  # xlcredit.workbook.sample.SAMPLE_AS_OF


def _edit(path: Path, schema: Any, key: str, changes: dict[str, dict[str, Any]]) -> None:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if schema.name in ws.tables:
            cells = ws[ws.tables[schema.name].ref]
            found = schema.resolve([c.value for c in cells[0]])
            for row in cells[1:]:
                for name, value in changes.get(str(row[found[key]].value), {}).items():
                    row[found[name]].value = value
    wb.save(path)


def _set_column(path: Path, table: str, key_header: str, header: str, values: dict[str, Any]) -> None:
    """Type into a generated table's user column by the row's key (what a user does)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if table in ws.tables:
            cells = ws[ws.tables[table].ref]
            head = [c.value for c in cells[0]]
            k, j = head.index(key_header), head.index(header)
            for row in cells[1:]:
                if str(row[k].value) in values:
                    row[j].value = values[str(row[k].value)]
    wb.save(path)


def _barred(path: Path) -> pd.Series:
    with FileWorkbook.open(path, read_only=True) as book:
        t = book.read_table("tblCollections")
    f = pd.DataFrame(t.rows, columns=t.header).dropna(subset=["Invoice no"])
    return pd.Series(pd.to_datetime(f["Time-barred on"]).dt.date.to_numpy(), index=f["Invoice no"].astype(str))


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_letters_marked_sent_and_promises_restart_the_limitation(tmp_path: Path) -> None:
    path = build_template(tmp_path / "b.xlsx", sample=40)
    with FileWorkbook.open(path, read_only=True) as book:
        inv = book.read_table(INVOICES.name)
    f = pd.DataFrame(inv.rows, columns=inv.header)
    first = f.groupby("Buyer ID", sort=True)["Invoice no"].apply(list)
    x, y = first.index[:2]
    x1, x2, x3 = map(str, first[x][:3])
    y1, y2 = map(str, first[y][:2])
    old = {"paid_date": None, "paid_amount": None, "disputed": None, "promise_date": None, "currency": None,
           "amount": 10_000.0, "invoice_date": _day("2023-11-01")}
    # Domestic sales: three years (an international sale of goods has four, 民法典 594).
    _edit(path, BUYERS, "buyer_id", {str(x): {"international": "N"}, str(y): {"international": "N"}})
    _edit(path, INVOICES, "invoice_no", {
        x1: {**old, "due_date": _day("2023-12-15")},  # time-barred on 2026-12-15 without evidence
        x2: {**old, "due_date": _day("2023-12-10"), "disputed": "Y"},  # left out of letters
        x3: {**old, "due_date": _day("2026-11-25")},  # due after the letter went out
        y1: {**old, "due_date": _day("2023-12-20")},
        y2: {**old, "due_date": _day("2023-12-21")},
    })
    with FileWorkbook.open(path) as book:
        refresh_all(book, as_of=AS_OF)
        book.save()
    before = _barred(path)
    # 民法典 188: three years from the due date
    assert (before[x1], before[x2], before[y1]) == (dt.date(2026, 12, 15), dt.date(2026, 12, 10),
                                                     dt.date(2026, 12, 20))
    with FileWorkbook.open(path) as book:
        write_letters(book, tmp_path / "drafts", as_of=dt.date(2026, 11, 20))
        book.save()
    # A letter produced but not marked sent restarts nothing.
    with FileWorkbook.open(path) as book:
        refresh_all(book, as_of=AS_OF)
        book.save()
    assert _barred(path)[x1] == dt.date(2026, 12, 15)
    # The user marks X's letter (dated 20 November) sent with a "Y", and types promises for
    # Y's invoices on Collections.
    _set_column(path, "tblLettersLog", "Buyer ID", "Sent", {str(x): "Y"})
    _set_column(path, "tblCollections", "Invoice no", "Promise date",
                {y1: _day("2026-11-10"), y2: _day("2027-01-31")})
    with FileWorkbook.open(path) as book:
        refresh_all(book, as_of=AS_OF)
        book.save()
    after = _barred(path)
    assert after[x1] == dt.date(2029, 11, 20)  # the letter's day + 3 years (195: runs again in full)
    assert after[x2] == dt.date(2026, 12, 10)  # disputed: not demanded by the letter
    assert after[x3] == before[x3] == dt.date(2029, 11, 25)  # not yet due when the letter went out
    assert after[y1] == dt.date(2029, 11, 10)  # the promise recorded for 10 November
    # A promise to pay on 31 January 2027 was given by the as-of day at the latest: it
    # restarts the period no later than 30 November 2026, never from the future.
    assert after[y2] == dt.date(2029, 11, 30)
    # Marked with the day it went out: that day counts.
    _set_column(path, "tblLettersLog", "Buyer ID", "Sent", {str(x): "2026-11-22"})
    with FileWorkbook.open(path) as book:
        refresh_all(book, as_of=AS_OF)
        book.save()
    assert _barred(path)[x1] == dt.date(2029, 11, 22)
    # A letter marked sent on a date in the future (a typo) is not evidence today.
    _set_column(path, "tblLettersLog", "Buyer ID", "Sent", {str(x): "2027-06-01"})
    with FileWorkbook.open(path) as book:
        refresh_all(book, as_of=AS_OF)
        book.save()
    assert _barred(path)[x1] == dt.date(2026, 12, 15)
