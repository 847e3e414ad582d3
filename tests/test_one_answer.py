"""One answer per fact (issue 9): exposure, overdue and the set-aside invoices agree across
the Buyers figures (receivables KPIs), the aging, the collections worklist and the
Dashboard, on random ledgers full of edge cases and on a refreshed workbook.

Before issue 9, buyer C0014 of a refreshed sample with one open invoice without a due date
showed Overdue 71,215 on Buyers and 0 on Aging; currency text "None" was set aside by the
aging but chased as the base currency by the worklist; an infinite amount made the aging
raise and the worklist return inf.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from python_calamine import CalamineWorkbook
from strategies import AGING_FX, edge_frame, edge_ledgers

from xlcredit import macros
from xlcredit.engine.aging import age_invoices
from xlcredit.engine.collections import build_worklist, summarise_by_buyer
from xlcredit.engine.policy import Policy
from xlcredit.engine.receivables import ledger_kpis, receivables_kpis
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.schema import BUYERS
from xlcredit.workbook.templates import build_template

AS_OF = pd.Timestamp("2026-11-28")
POLICY = Policy(fx_rates=AGING_FX)
CLOSE = {"rel": 1e-9, "abs": 1e-6}


def _oracle(frame: pd.DataFrame) -> tuple[dict[str, list[float]], set[str]]:
    """Plain Python, row by row, from the rules in xlcredit/engine/ledger.py's docstring:
    per buyer [exposure, overdue, chased overdue (> 0)], and the invoices set aside."""
    rates = dict(AGING_FX)
    first, last = pd.Timestamp("1900-01-01"), pd.Timestamp("9999-12-31")
    figures: dict[str, list[float]] = {}
    aside: set[str] = set()
    for row in frame.itertuples():
        dates = (row.invoice_date, row.due_date, row.paid_date, row.promise_date)
        text = None if pd.isna(row.currency) else str(row.currency).strip().upper()
        rate = 1.0 if not text else rates.get(text)
        if (not math.isfinite(row.amount) or any(pd.notna(d) and not first <= d <= last for d in dates)
                or rate is None):
            aside.add(row.invoice_no)
            continue
        if pd.notna(row.invoice_date) and row.invoice_date > AS_OF:
            continue
        if pd.isna(row.paid_date):
            open_amount = row.amount - row.paid_amount
        elif row.paid_date > AS_OF:
            open_amount = row.amount
        else:
            continue
        if open_amount == 0:
            continue
        if pd.isna(row.due_date):
            aside.add(row.invoice_no)
            continue
        base = open_amount * rate
        fig = figures.setdefault(row.buyer_id, [0.0, 0.0, 0.0])
        fig[0] += base
        if (AS_OF - row.due_date).days > 0:
            fig[1] += base
            fig[2] += base if base > 0 else 0.0
    return figures, aside


@settings(max_examples=120, deadline=None)
@given(edge_ledgers())
def test_every_buyer_has_one_exposure_and_one_overdue(cols: dict[str, list[object]]) -> None:
    frame = edge_frame(cols, AS_OF)
    expected, aside = _oracle(frame)
    kpis = receivables_kpis(frame, AS_OF, POLICY)  # the Buyers sheet's exposure and overdue
    aged = age_invoices(frame, AS_OF, POLICY)
    worklist = build_worklist(frame, AS_OF, POLICY)
    summary = summarise_by_buyer(worklist, POLICY)
    chased = worklist.groupby("buyer_id")["open_amount_base"].sum()
    for buyer in frame["buyer_id"].unique():
        exposure, overdue, chased_overdue = expected.get(buyer, [0.0, 0.0, 0.0])
        aging_row = aged.by_buyer.loc[buyer] if buyer in aged.by_buyer.index else None
        assert kpis.loc[buyer, "receivables"] == pytest.approx(exposure, **CLOSE)
        assert kpis.loc[buyer, "overdue"] == pytest.approx(overdue, **CLOSE)
        assert (0.0 if aging_row is None else aging_row["Total"]) == pytest.approx(exposure, **CLOSE)
        assert (0.0 if aging_row is None else aging_row["Overdue"]) == pytest.approx(overdue, **CLOSE)
        # the worklist chases the same overdue items less credit notes (they are not chased)
        assert chased.get(buyer, 0.0) == pytest.approx(chased_overdue, **CLOSE)
        got = summary["overdue_total"].get(buyer, 0.0)
        assert got == pytest.approx(chased_overdue, **CLOSE)
    # every invoice left out is listed, once, with a reason; no other is
    listed = aged.unaged
    assert set(listed["invoice_no"]) == aside and len(listed) == len(aside)
    assert listed["reason"].map(bool).all()
    assert not set(worklist["invoice_no"]) & aside
    # the whole book: the Dashboard's receivables and overdue
    whole = ledger_kpis(frame, AS_OF, POLICY)
    assert whole["receivables"] == pytest.approx(sum(f[0] for f in expected.values()), **CLOSE)
    assert whole["overdue"] == pytest.approx(aged.total["Overdue"], **CLOSE)


def test_c0014_open_invoice_without_due_date_is_set_aside_everywhere() -> None:
    # issue 9: Overdue 71,215 on Buyers and 0 on Aging for the same buyer
    frame = pd.DataFrame({
        "invoice_no": ["A", "B"], "buyer_id": ["C0014", "C0014"], "currency": ["EUR", "EUR"],
        "amount": [71_215.0, 1_000.0], "paid_amount": [0.0, 0.0],
        "due_date": pd.to_datetime([None, "2026-10-01"]),
    })
    kpis = receivables_kpis(frame, AS_OF, POLICY)
    aged = age_invoices(frame, AS_OF, POLICY)
    assert kpis.loc["C0014", "overdue"] == aged.by_buyer.loc["C0014", "Overdue"] == 1_000.0
    assert kpis.loc["C0014", "receivables"] == aged.by_buyer.loc["C0014", "Total"] == 1_000.0
    assert aged.unaged[["invoice_no", "reason"]].values.tolist() == [["A", "no due date"]]


# --------------------------------------------------------------------------- a refreshed workbook
def _sheet(path: Path, name: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def _table(rows: list[list[Any]], first: str) -> tuple[list[Any], list[list[Any]]]:
    """The header row starting with ``first`` and the rows below it up to a blank or total."""
    top = next(i for i, r in enumerate(rows) if r and r[0] == first)
    body = []
    for r in rows[top + 1:]:
        if r[0] in ("", None, "Total"):
            break
        body.append(r)
    return rows[top], body  # (Aging and Collections put a title above their table)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``xlcredit new --sample 30``, with edge-case invoices planted, refreshed through the
    file adapter."""
    path = build_template(tmp_path_factory.mktemp("one") / "book.xlsx", sample=30)
    book = openpyxl.load_workbook(path)
    inv = book["Invoices"]
    col = {c.value: i + 1 for i, c in enumerate(inv[1])}
    open_rows = [r for r in range(2, inv.max_row + 1)
                 if inv.cell(r, col["Paid date"]).value is None and inv.cell(r, col["Buyer ID"]).value]
    plant = {  # open invoices: no due date, the text "None", an unknown code, a credit note
        open_rows[0]: {"Due date": None},
        open_rows[1]: {"Currency": "None"},
        open_rows[2]: {"Currency": "XYZ"},
        open_rows[3]: {"Amount": -500.0, "Paid amount": 0.0, "Currency": "EUR",
                       "Due date": dt.datetime(2026, 9, 1)},
    }
    for row, cells in plant.items():
        for header, value in cells.items():
            inv.cell(row, col[header]).value = value
    book.save(path)
    with FileWorkbook.open(path) as wb:
        macros.refresh_all(wb)
        wb.save()
    return path


def test_refreshed_sheets_agree(planted: Path) -> None:
    buyers_h, buyers = _table(_sheet(planted, "Buyers"), "Buyer ID")
    exposure = {r[0]: r[buyers_h.index(BUYERS.column("exposure").header("en"))] for r in buyers}
    overdue = {r[0]: r[buyers_h.index(BUYERS.column("overdue").header("en"))] for r in buyers}
    aging_h, aging = _table(_sheet(planted, "Aging"), "Buyer ID")
    aging_total = {r[0]: r[aging_h.index("Total")] for r in aging}
    aging_overdue = {r[0]: r[aging_h.index("Overdue")] for r in aging}
    coll_h, coll = _table(_sheet(planted, "Collections"), "Rank")
    chased: dict[str, float] = {}
    for r in coll:
        buyer = r[coll_h.index("Buyer ID")]
        chased[buyer] = chased.get(buyer, 0.0) + float(r[coll_h.index("Open (EUR)")])
    credit_buyer = _credit_buyer(planted)
    assert overdue[credit_buyer] != pytest.approx(chased.get(credit_buyer, 0.0), abs=0.01)
    for buyer, value in exposure.items():
        assert value == pytest.approx(aging_total.get(buyer, 0.0), abs=0.01), buyer
        assert overdue[buyer] == pytest.approx(aging_overdue.get(buyer, 0.0), abs=0.01), buyer
        # the planted credit note is overdue on Buyers and Aging, and not chased
        credit = 500.0 if buyer == credit_buyer else 0.0
        assert chased.get(buyer, 0.0) - credit == pytest.approx(overdue[buyer], abs=0.01), buyer
    dash = {r[0]: r[1] for r in _sheet(planted, "Dashboard") if r and isinstance(r[0], str)}
    assert dash["Receivables (open balance)"] == pytest.approx(sum(exposure.values()), abs=0.01)
    assert dash["Overdue"] == pytest.approx(sum(overdue.values()), abs=0.01)
    problems = [" ".join(str(c) for c in r) for r in _sheet(planted, "Problems")
                if any("left out of aging" in str(c) for c in r)]
    assert len(problems) == 3, problems
    assert any("no due date" in p for p in problems)
    assert any("no FX rate for NONE" in p for p in problems)
    assert any("no FX rate for XYZ" in p for p in problems)


def _credit_buyer(path: Path) -> str:
    rows = _sheet(path, "Invoices")
    header = rows[0]
    credit = next(r for r in rows[1:] if r[header.index("Amount")] == -500.0)
    return str(credit[header.index("Buyer ID")])


def test_refresh_lists_no_problem_for_an_untouched_sample(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=10)
    with FileWorkbook.open(path) as wb:
        summary = macros.refresh_all(wb)
    assert summary.problems == 0
    assert np.isfinite(summary.receivables)
