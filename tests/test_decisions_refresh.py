"""Decisions in the refreshed workbook (issue 10's "Done when"): the demo keeps every
invariant, and a workbook holding only a ledger rates buyers from their payments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from xlcredit import macros
from xlcredit.engine.decisions import ALLOWED, overdue_by_step
from xlcredit.macros.run import _assess, _open, _worklist
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.schema import BUYERS
from xlcredit.workbook.templates import build_template

AS_OF = dt.date(2026, 11, 30)  # xlcredit.workbook.sample.SAMPLE_AS_OF


def test_refreshed_sample_keeps_the_decision_invariants(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=200)
    with FileWorkbook.open(path) as book:
        run = _open(book, AS_OF)
        result = _assess(run)
        worklist = _worklist(run)
        buyers = run.buyers.frame
        policy = run.policy
    code = result["decision_code"].to_numpy(dtype=object)
    for decision, action in zip(code, result["action_code"], strict=True):
        assert action in ALLOWED[decision], (decision, action)
    steps = overdue_by_step(worklist["buyer_id"], worklist["step_no"], worklist["open_amount_base"],
                            worklist["disputed"], worklist["broken_promise"], policy=policy)
    hold = buyers["buyer_id"].map(steps["hold_overdue"]).fillna(0).to_numpy(dtype=float)
    exposure = result["exposure"].to_numpy(dtype=float)
    dp = policy.decisions
    material = (hold >= dp.materiality_amount) & (hold >= dp.materiality_share * exposure) & (hold > 0)
    approve = code == "approve"
    assert material.any()  # the sample has buyers at the stop-supply step or later
    assert not (approve & material).any()
    assert not (approve & (result["band"].to_numpy(dtype=object) == "E")).any()
    # Band D and unrated: never a limit above the security and insured cover held (both in
    # the buyer's currency, as the limit in the buyer's currency is).
    weak = np.isin(result["band"].to_numpy(dtype=object), ["D", "E"])
    assert weak.any()
    ccy_limit = result["recommended_limit_ccy"].to_numpy(dtype=float)
    cover = (np.nan_to_num(buyers["security_amount"].to_numpy(dtype=float))
             + policy.insurance.cover_share * np.nan_to_num(buyers["insured_limit"].to_numpy(dtype=float)))
    assert (ccy_limit[weak] <= cover[weak] + 0.01).all()


def _blank_inputs(path: Path, keep: set[str]) -> None:
    """Leave only a ledger: blank every buyer input but the columns in ``keep``."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if BUYERS.name not in ws.tables:
            continue
        ref = ws.tables[BUYERS.name].ref
        cells = ws[ref]
        header = [c.value for c in cells[0]]
        found = BUYERS.resolve(header)
        for name, idx in found.items():
            col = BUYERS.column(name)
            if col.output or name in keep:
                continue
            for row in cells[1:]:
                row[idx].value = None
    wb.save(path)


def test_ledger_only_workbook_rates_buyers_and_gives_on_time_payers_limits(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=80)
    _blank_inputs(path, {"buyer_id", "name", "country", "industry", "currency", "owner"})
    with FileWorkbook.open(path) as book:
        macros.refresh_all(book, as_of=AS_OF)
        run = _open(book, AS_OF)
        result = _assess(run)
    band = result["band"].to_numpy(dtype=object)
    rated = band != "E"
    assert rated.mean() >= 0.8, rated.mean()  # every sample buyer has 6+ invoices of history
    assert result["pd"].isna().all()  # behaviour only: the PD is not calibrated
    decision = result["decision_code"].to_numpy(dtype=object)
    on_time = (result["dbt_ledger"].to_numpy(dtype=float) <= 5) & ~np.isin(decision, ["hold", "suspend"])
    assert on_time.sum() >= 10
    assert (result["recommended_limit"].to_numpy(dtype=float)[on_time & np.isin(band, ["A", "B", "C"])] > 0).all()
    # No statements and no history: prepayment or guarantee, never suspension without overdue.
    unrated = band == "E"
    owes = result["overdue"].to_numpy(dtype=float) > 0
    assert not (unrated & ~owes & (decision == "suspend")).any()
    assert pd.Series(decision[rated]).isin(["approve", "approve_reduced"]).mean() > 0.5
