"""The Credit hold sheet (issue 14, item 3): exactly the buyers the decision engine holds or
suspends, with the deciding rule, the engine's amount to clear, since when (from dated
evidence only) and the owner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from xlcredit.engine.decisions import DECISIONS, HOLD_DECISIONS, decide_buyers, hold_since
from xlcredit.engine.policy import Policy
from xlcredit.macros import refresh_all
from xlcredit.macros.credit_hold import CREDIT_HOLD_TABLE
from xlcredit.macros.run import _assess, _open
from xlcredit.messages import text
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.schema import BUYERS, INVOICES, SHEET_NAMES, TableSchema
from xlcredit.workbook.templates import build_template

AS_OF = dt.date(2026, 11, 30)  # xlcredit.workbook.sample.SAMPLE_AS_OF


def _table(book: FileWorkbook, name: str) -> pd.DataFrame:
    t = book.read_table(name)
    return pd.DataFrame(t.rows, columns=t.header).dropna(subset=[t.header[0]])


def _check_list_is_the_engines(path: Path, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """Refresh, then compare the Credit hold list with the engine's hold/suspend set and
    with the Decision column the refresh wrote on Buyers."""
    with FileWorkbook.open(path) as book:
        refresh_all(book, as_of=AS_OF)
        book.save()
    with FileWorkbook.open(path) as book:
        run = _open(book, AS_OF)
        result = _assess(run)
        shown = _table(book, CREDIT_HOLD_TABLE)
        buyers_sheet = _table(book, BUYERS.name)
        sheets = book.sheet_names()
    assert SHEET_NAMES["credit_hold"][lang] in sheets
    b = run.buyers.frame
    held = result["decision_code"].isin(HOLD_DECISIONS).to_numpy()
    engine_ids = set(b["buyer_id"][held].astype(str))
    id_h, dec_h = BUYERS.column("buyer_id").header(lang), BUYERS.column("decision").header(lang)
    words = {DECISIONS[d][1 if lang == "zh-CN" else 0] for d in HOLD_DECISIONS}
    on_buyers_sheet = set(buyers_sheet.loc[buyers_sheet[dec_h].isin(words), id_h].astype(str))
    listed = list(shown[id_h].astype(str))
    assert len(listed) == len(set(listed))  # each buyer once
    assert set(listed) == engine_ids == on_buyers_sheet
    expected = pd.DataFrame({"why": result["decision_rule"][held].to_numpy(),
                             "clear": result["to_clear"][held].to_numpy(),
                             "owner": b["owner"][held].to_numpy()},
                            index=b["buyer_id"][held].astype(str).to_numpy())
    rows = shown.set_index(shown[id_h].astype(str))
    cols = list(shown.columns)
    why, clear, owner = cols[3], cols[4], cols[9]
    assert why == BUYERS.column("decision_rule").header(lang)
    assert clear == text("hold.to_clear", lang, ccy=run.ccy)
    assert owner == BUYERS.column("owner").header(lang)
    for buyer, row in expected.iterrows():
        assert rows.loc[buyer, why] == row["why"]
        got = rows.loc[buyer, clear]
        assert (pd.isna(got) and np.isnan(row["clear"])) or got == pytest.approx(row["clear"])
        assert rows.loc[buyer, owner] == row["owner"]
    amounts = pd.to_numeric(rows[clear]).fillna(-1.0).to_numpy()
    assert (amounts[:-1] >= amounts[1:]).all()  # largest amount to clear first, blanks last
    return rows, result.set_index(b["buyer_id"].astype(str).to_numpy()), run


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_list_is_the_decision_engines_holds_on_the_sample(tmp_path: Path, lang: str) -> None:
    path = build_template(tmp_path / "b.xlsx", lang=lang, sample=120)
    rows, result, _run = _check_list_is_the_engines(path, lang)
    assert len(rows) >= 3  # the sample has held and suspended buyers
    assert set(result.loc[rows.index, "decision_code"]) == set(HOLD_DECISIONS)


def _edit(path: Path, schema: TableSchema, key: str, changes: dict[str, dict[str, Any]]) -> None:
    """Type values into table rows found by their key (as a user would in Excel)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if schema.name not in ws.tables:
            continue
        cells = ws[ws.tables[schema.name].ref]
        found = schema.resolve([c.value for c in cells[0]])
        for row in cells[1:]:
            k = row[found[key]].value
            for name, value in changes.get(str(k), {}).items():
                row[found[name]].value = value
    wb.save(path)


def test_the_list_is_the_decision_engines_holds_with_planted_cases(tmp_path: Path) -> None:
    path = build_template(tmp_path / "b.xlsx", sample=60)
    with FileWorkbook.open(path) as book:
        run = _open(book, AS_OF)
        before = _assess(run).set_index(run.buyers.frame["buyer_id"].astype(str).to_numpy())
        invoices = run.invoices.frame
    clean = before.index[(before["decision_code"] == "approve") & (before["overdue"] == 0)]
    assert len(clean) >= 4
    step_case, promise_case, override_case, disputed_case = clean[:4]
    first_invoice = invoices.drop_duplicates("buyer_id").set_index(invoices.drop_duplicates("buyer_id")[
        "buyer_id"].astype(str))["invoice_no"]
    due_60 = dt.datetime.combine(AS_OF - dt.timedelta(days=60), dt.time())
    open_item = {"paid_date": None, "paid_amount": None, "disputed": None, "promise_date": None,
                 "invoice_date": due_60 - dt.timedelta(days=30)}
    _edit(path, INVOICES, "invoice_no", {
        # 1,234,567.89 at 60 days: past the stop-supply step (45 days) and material
        str(first_invoice[step_case]): {**open_item, "amount": 1_234_567.89, "due_date": due_60, "currency": None},
        # promised for 10 days ago: broken (3 days' grace), 50,000 still overdue
        str(first_invoice[promise_case]): {**open_item, "amount": 50_000.0, "currency": None,
                                           "due_date": due_60 + dt.timedelta(days=40),
                                           "promise_date": dt.datetime.combine(AS_OF - dt.timedelta(days=10),
                                                                               dt.time())},
        # the same 60 days overdue, but disputed: on hold in collections, so no stop
        str(first_invoice[disputed_case]): {**open_item, "amount": 80_000.0, "due_date": due_60, "currency": None,
                                            "disputed": "Y"},
    })
    _edit(path, BUYERS, "buyer_id", {
        override_case: {"override_decision": "suspend", "override_by": "Li Wei",
                        "override_expiry": dt.datetime(2027, 3, 31)},
        step_case: {"owner": "Zhang San"},
    })
    rows, result, run = _check_list_is_the_engines(path, "en")
    assert {step_case, promise_case, override_case} <= set(rows.index)
    assert disputed_case not in rows.index
    cols = list(rows.columns)
    clear, since, basis = cols[4], cols[7], cols[8]
    # The stop-supply case: since = due date + 45 days (the ladder's stop_supply step)
    assert result.loc[step_case, "rule"] == "hold_step"
    assert pd.Timestamp(rows.loc[step_case, since]).date() == AS_OF - dt.timedelta(days=15)
    assert rows.loc[step_case, basis] == text("hold.basis_step", "en")
    assert rows.loc[step_case, clear] >= 1_234_567.89
    assert rows.loc[step_case, cols[9]] == "Zhang San"
    # The broken promise: since the day after the lapse (promise + 3 days' grace + 1)
    assert pd.Timestamp(rows.loc[promise_case, since]).date() == AS_OF - dt.timedelta(days=6)
    assert rows.loc[promise_case, clear] >= 50_000.0
    # A manual suspension: no amount clears it and its start is not in the workbook
    assert result.loc[override_case, "decision_code"] == "suspend"
    assert pd.isna(rows.loc[override_case, clear])
    assert pd.isna(rows.loc[override_case, since])
    assert rows.loc[override_case, basis] == text("hold.basis_unknown", "en")


def test_amount_to_clear_by_hand() -> None:
    # Hand-computed from the definition in decide_buyers' Notes, default policy
    # (materiality 500 and 1 % of exposure).
    r = decide_buyers(
        ["B", "B", "B", "E", "B"], [100_000, 100_000, 100_000, 0, 100_000],
        need=[100_000] * 5, exposure=[150_000, 300_000, 60_000, 9_000, 40_000],
        overdue=[20_000, 20_000, 20_000, 9_000, 0],
        hold_overdue=[20_000, 20_000, 0, 0, 0], suspend_overdue=0,
        broken_promises=[0, 0, 1, 0, 0], disputed=[0, 0, 5_000, 1_000, 0], as_of=AS_OF)
    assert r["rule"].tolist() == ["hold_step", "hold_step", "broken_promise", "unrated_owes", "approve"]
    # 1: max(20,000 at the step, 150,000 - 100,000 over the limit) = 50,000;
    # 2: 300,000 - 100,000 = 200,000; 3: undisputed overdue 20,000 - 5,000 = 15,000 (within the
    # limit); 4: not rated, limit 0: the whole 9,000; 5: not held, no amount.
    assert r["to_clear"].tolist()[:4] == [50_000.0, 200_000.0, 15_000.0, 9_000.0]
    assert np.isnan(r["to_clear"].iloc[4])


def test_since_by_hand_uses_only_dated_evidence() -> None:
    # Default ladder: stop_supply from 45 days, legal (the suspend step) later.
    policy = Policy()
    legal = [s.from_days for s in policy.dunning][-1]
    wl = pd.DataFrame({
        "buyer_id": ["A", "A", "A", "P", "D"],
        "due_date": pd.to_datetime(["2026-06-01", "2026-07-01", "2026-08-01", "2026-10-01", "2026-05-01"]),
        "ladder_step_no": [6, 6, 5, 2, 6], "step_no": [6, 6, 5, 3, 0],
        "disputed": [False, False, False, False, True],
        "promise_lapse_date": pd.to_datetime([None, None, None, "2026-11-13", None]),
        "broken_promise": [False, False, False, True, False],
        "open_amount_base": [200.0, 900.0, 5_000.0, 7_000.0, 99_000.0]})
    r = hold_since(["A", "A", "P", "D", "X"], ["hold_step", "suspend_step", "broken_promise", "hold_step",
                                                 "unrated_owes"], [20_000.0, 20_000.0, 7_000.0, 99_000.0, 0.0],
                   wl, policy)
    # A, hold step: 200 (reached 07-16) + 900 (reached 08-15) = 1,100 >= max(500, 200): 2026-08-15
    # A, suspend step: the same two items at the legal step, reached due + legal days
    # P: lapse 11-13, since 11-14; D: only a disputed item: no evidence; X: unrated: unknown
    assert [str(d.date()) if not pd.isna(d) else None for d in r["since"]] == [
        "2026-08-15", str((pd.Timestamp("2026-07-01") + pd.Timedelta(days=legal)).date()), "2026-11-14", None, None]
    assert r["since_basis"].tolist() == ["step", "step", "promise", "unknown", "unknown"]


def test_user_sheets_survive_and_the_list_is_rebuilt(tmp_path: Path) -> None:
    path = build_template(tmp_path / "b.xlsx", sample=60)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("My notes")["A1"] = "keep me"
    wb.save(path)
    for _ in range(2):
        with FileWorkbook.open(path) as book:
            refresh_all(book, as_of=AS_OF)
            book.save()
    wb = openpyxl.load_workbook(path)
    assert wb["My notes"]["A1"].value == "keep me"
    assert [ws.title for ws in wb.worksheets].count(SHEET_NAMES["credit_hold"]["en"]) == 1
