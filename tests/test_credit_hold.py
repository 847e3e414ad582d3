"""The Credit hold sheet (issue 14, item 3): exactly the buyers the decision engine holds or
suspends, with the deciding rule, the amount to clear, since when and the owner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from xlcredit.macros import refresh_all
from xlcredit.macros.credit_hold import HOLD_DECISIONS, build_credit_hold
from xlcredit.macros.run import _assess, _open
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.templates import build_template


def _table(book: FileWorkbook) -> pd.DataFrame:
    t = book.read_table("tblCreditHold")
    return pd.DataFrame(t.rows, columns=t.header).dropna(subset=[t.header[0]])


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_list_is_the_decision_engines_holds(tmp_path: Path, lang: str) -> None:
    path = build_template(tmp_path / "b.xlsx", lang=lang, sample=120)
    with FileWorkbook.open(path) as book:
        refresh_all(book)
        run = _open(book)
        result = _assess(run)
        n = build_credit_hold(book, _run=run)
        got = _table(book)
    b = run.buyers.frame
    held = result["decision_code"].isin(HOLD_DECISIONS).to_numpy()
    assert n == int(held.sum()) > 0
    expected = pd.DataFrame({"id": b["buyer_id"][held].astype(str).to_numpy(),
                             "why": result["decision_rule"][held].to_numpy(),
                             "clear": result["overdue"][held].to_numpy(),
                             "owner": b["owner"][held].to_numpy()}).set_index("id")
    cols = got.columns
    shown = got.set_index(cols[0])
    assert sorted(shown.index) == sorted(expected.index)
    for buyer, row in expected.iterrows():
        assert shown.loc[buyer, cols[3]] == row["why"]  # the deciding rule, as the Buyers sheet words it
        assert shown.loc[buyer, cols[4]] == pytest.approx(row["clear"])  # the Buyers sheet's Overdue
        assert shown.loc[buyer, cols[7]] == row["owner"]
    clear = shown[cols[4]].to_numpy(dtype=float)
    assert (clear[:-1] >= clear[1:]).all()  # largest amount first
    assert cols[2] == ("状态" if lang == "zh-CN" else "Status")


def test_since_is_kept_while_a_buyer_stays_on_hold(tmp_path: Path) -> None:
    path = build_template(tmp_path / "b.xlsx", sample=120)
    first = dt.date(2026, 11, 30)
    with FileWorkbook.open(path) as book:
        refresh_all(book, as_of=first)
        book.save()
    with FileWorkbook.open(path) as book:
        before = _table(book)
        refresh_all(book, as_of=dt.date(2026, 12, 15))
        book.save()
        after = _table(book)
    cols = before.columns
    stayed = set(before[cols[0]]) & set(after[cols[0]])
    new = set(after[cols[0]]) - set(before[cols[0]])
    assert stayed
    since = after.set_index(cols[0])[cols[6]]
    assert all(pd.Timestamp(since[b]).date() == first for b in stayed)
    assert all(pd.Timestamp(since[b]).date() == dt.date(2026, 12, 15) for b in new)
