"""Tests of the collections worklist (issue 3, "Collections")."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from real_data import LEDGER_CSV
from strategies import COLLECTIONS_FX, collection_ledgers

from xlcredit.engine.aging import age_invoices
from xlcredit.engine.collections import (
    BUYER_SUMMARY_COLUMNS,
    BUYER_SUMMARY_LABELS_ZH,
    INSURANCE_ALERTS_ZH,
    STATE_LABELS_ZH,
    STATES,
    WORKLIST_COLUMNS,
    WORKLIST_LABELS_ZH,
    build_worklist,
    dunning_step_numbers,
    late_interest,
    summarise_by_buyer,
)
from xlcredit.engine.errors import InputError, PolicyError, SchemaError
from xlcredit.engine.policy import Policy
from xlcredit.workbook.excel_values import to_flags

AS_OF = pd.Timestamp("2026-11-28")


def ledger(**columns: object) -> pd.DataFrame:
    """A small ledger: one row per due date (days before AS_OF), defaults for the rest."""
    due = columns.pop("days", [40])
    assert isinstance(due, list)
    n = len(due)
    frame = pd.DataFrame(
        {
            "invoice_no": [f"INV-{i}" for i in range(n)],
            "buyer_id": ["ACME"] * n,
            "amount": [1000.0] * n,
            "due_date": [AS_OF - pd.Timedelta(days=d) for d in due],
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


# --------------------------------------------------------------------------- ladder
def test_default_ladder_boundaries() -> None:
    # Policy DEFAULT_DUNNING: reminder from day 1, second reminder 15, call 30,
    # stop supply 45, final demand 60, agency/legal 90 (issue 3 lists these steps).
    days = [1, 14, 15, 29, 30, 44, 45, 59, 60, 89, 90, 1000]
    wl = build_worklist(ledger(days=days), AS_OF)
    got = dict(zip(wl["days_overdue"], wl["step"], strict=True))
    assert got == {
        1: "reminder", 14: "reminder", 15: "second_reminder", 29: "second_reminder",
        30: "call", 44: "call", 45: "stop_supply", 59: "stop_supply",
        60: "final_demand", 89: "final_demand", 90: "agency_legal", 1000: "agency_legal",
    }
    row = wl.set_index("days_overdue").loc[30]
    assert (row["action_en"], row["action_zh"], row["channel"]) == ("Phone call", "电话催收", "phone")


def test_not_overdue_paid_and_credit_notes_are_not_listed() -> None:
    frame = ledger(days=[0, -5, 10, 10, 10], amount=[1000.0, 1000.0, -200.0, 500.0, 500.0],
                   paid_amount=[0.0, 0.0, 0.0, 500.0, 600.0])
    # due today (0 days) is not overdue; future; credit note; fully paid; overpaid
    assert build_worklist(frame, AS_OF).empty


def test_part_payment_and_settlement_after_as_of() -> None:
    frame = ledger(days=[20, 20, 20], amount=[1000.0, 1000.0, 1000.0], paid_amount=[400.0, 0.0, 0.0],
                   paid_date=[pd.NaT, AS_OF + pd.Timedelta(days=3), AS_OF - pd.Timedelta(days=1)])
    wl = build_worklist(frame, AS_OF).set_index("invoice_no")
    # open = amount - paid; settled after the as-of day: the whole amount was open (aging rule)
    assert wl["open_amount"].to_dict() == {"INV-0": 600.0, "INV-1": 1000.0}


def test_not_yet_issued_on_as_of_day_is_skipped() -> None:
    frame = ledger(days=[20, 20], invoice_date=[AS_OF - pd.Timedelta(days=50), AS_OF + pd.Timedelta(days=1)])
    assert build_worklist(frame, AS_OF)["invoice_no"].tolist() == ["INV-0"]


def test_dunning_step_numbers_scalar_and_array() -> None:
    assert dunning_step_numbers(31) == 3.0
    assert isinstance(dunning_step_numbers(31), float)
    assert dunning_step_numbers([-3, 0, 90]).tolist() == [0.0, 0.0, 6.0]


def test_ladder_starting_later_leaves_early_items_without_step() -> None:
    policy = Policy.from_dict({"dunning": [
        {"from_days": 10, "step": "mail", "action_en": "Mail", "action_zh": "邮件", "channel": "email"},
        {"from_days": 40, "step": "call", "action_en": "Call", "action_zh": "电话", "channel": "phone"},
    ]})
    wl = build_worklist(ledger(days=[5, 10, 50]), AS_OF, policy).set_index("days_overdue")
    assert wl["step_no"].to_dict() == {5: 0, 10: 1, 50: 2}
    assert wl.loc[5, "step"] == "none"
    # next step date: due + from_days of the next rung (5 days overdue -> day 10 -> in 5 days)
    assert wl.loc[5, "next_step_date"] == AS_OF + pd.Timedelta(days=5)
    assert wl.loc[10, "next_step_date"] == AS_OF + pd.Timedelta(days=30)
    assert pd.isna(wl.loc[50, "next_step_date"])


# --------------------------------------------------------------------------- next action
def test_next_action_is_next_step_or_follow_up() -> None:
    wl = build_worklist(ledger(days=[12, 2, 100]), AS_OF).set_index("days_overdue")
    # 12 days: second reminder on day 15 (in 3 days) comes before the 7-day follow-up
    assert wl.loc[12, "next_step_date"] == AS_OF + pd.Timedelta(days=3)
    assert wl.loc[12, "next_action_date"] == AS_OF + pd.Timedelta(days=3)
    # 2 days: the next step is 13 days away, so the follow-up (7 days) comes first
    assert wl.loc[2, "next_action_date"] == AS_OF + pd.Timedelta(days=7)
    # last step: follow-up only
    assert pd.isna(wl.loc[100, "next_step_date"])
    assert wl.loc[100, "next_action_date"] == AS_OF + pd.Timedelta(days=7)


# --------------------------------------------------------------------------- disputes
def test_disputed_held_out_of_dunning_but_listed() -> None:
    wl = build_worklist(ledger(days=[100, 100], disputed=[True, False]), AS_OF).set_index("invoice_no")
    held = wl.loc["INV-0"]
    assert held["dunning_state"] == "disputed - on hold"
    assert held["step_no"] == 0 and held["ladder_step_no"] == 6
    assert held["action_en"] == "Resolve dispute"
    assert pd.isna(held["next_step_date"])
    assert held["next_action_date"] == AS_OF + pd.Timedelta(days=7)
    assert wl.loc["INV-1", "step"] == "agency_legal"
    # items on hold rank after active ones whatever their priority
    assert wl.loc["INV-1", "rank"] == 1 and held["rank"] == 2


def test_disputed_dunned_when_policy_does_not_hold() -> None:
    policy = Policy.from_dict({"collections": {"hold_disputed": False}})
    row = build_worklist(ledger(days=[100], disputed=[True]), AS_OF, policy).iloc[0]
    assert row["dunning_state"] == "dunning" and row["step"] == "agency_legal" and row["disputed"]


def test_unreadable_dispute_flag_is_refused_by_name() -> None:
    with pytest.raises(InputError, match=r"disputed must be TRUE/FALSE.*'maybe'"):
        build_worklist(ledger(days=[10], disputed=["maybe"]), AS_OF)


# --------------------------------------------------------------------------- promises
def test_promise_honoured_through_grace_then_broken_and_escalated() -> None:
    promise = AS_OF - pd.Timedelta(days=3)  # grace 3 days: honoured up to and including today
    frame = ledger(days=[35], promise_date=[promise])
    row = build_worklist(frame, AS_OF).iloc[0]
    assert row["dunning_state"] == "promised" and row["step_no"] == 0
    assert row["promise_lapse_date"] == AS_OF
    assert row["next_action_date"] == AS_OF + pd.Timedelta(days=1)
    assert not row["broken_promise"]
    row = build_worklist(frame, AS_OF + pd.Timedelta(days=1)).iloc[0]
    # 36 days overdue: ladder says call (3); a broken promise moves one step up: stop supply
    assert row["dunning_state"] == "broken promise" and row["broken_promise"]
    assert (row["ladder_step_no"], row["step_no"], row["step"]) == (3, 4, "stop_supply")


def test_broken_promise_without_extra_step_and_at_top_of_ladder() -> None:
    policy = Policy.from_dict({"collections": {"broken_promise_extra_steps": 0}})
    frame = ledger(days=[35, 200], promise_date=[AS_OF - pd.Timedelta(days=10)] * 2)
    wl = build_worklist(frame, AS_OF, policy).set_index("days_overdue")
    assert wl.loc[35, "step_no"] == 3
    assert build_worklist(frame, AS_OF).set_index("days_overdue").loc[200, "step_no"] == 6


def test_dispute_wins_over_promise_but_broken_promise_still_flagged() -> None:
    frame = ledger(days=[50], disputed=[True], promise_date=[AS_OF - pd.Timedelta(days=30)])
    row = build_worklist(frame, AS_OF).iloc[0]
    assert row["dunning_state"] == "disputed - on hold" and row["broken_promise"]


# --------------------------------------------------------------------------- currency
def test_fx_conversion_and_missing_rate_set_aside_as_by_aging() -> None:
    # issue 9: one rule for a currency with no rate (and for the text "None"): the reader
    # sets the item aside and lists it; the worklist used to keep it (or chase "None" as
    # the base currency) while the aging set it aside.
    policy = Policy(base_currency="CNY", fx_rates=(("USD", 7.1), ("EUR", 7.8)))
    frame = ledger(days=[10, 10, 10, 10, 10], currency=["USD", "JPY", None, " eur ", "None"])
    wl = build_worklist(frame, AS_OF, policy).set_index("invoice_no")
    assert wl.loc["INV-0", "open_amount_base"] == pytest.approx(7100.0)
    assert "INV-1" not in wl.index and "INV-4" not in wl.index
    aside = age_invoices(frame, AS_OF, policy).unaged.set_index("invoice_no")
    assert aside["reason"].to_dict() == {"INV-1": "no FX rate for JPY", "INV-4": "no FX rate for NONE"}
    assert wl.loc["INV-2", "currency"] == "CNY" and wl.loc["INV-2", "open_amount_base"] == 1000.0
    assert wl.loc["INV-3", "open_amount_base"] == pytest.approx(7800.0)


# --------------------------------------------------------------------------- priority
def test_priority_formula_by_hand() -> None:
    # Two items, no buyer_risk (risk component 0.5). Weights 0.5 / 0.3 / 0.2, last step 90 days.
    frame = ledger(days=[45, 90], amount=[99.0, 9999.0])
    wl = build_worklist(frame, AS_OF).set_index("days_overdue")
    top = math.log1p(9999.0)
    small = 100 * (0.5 * math.log1p(99.0) / top + 0.3 * 45 / 90 + 0.2 * 0.5)
    big = 100 * (0.5 * 1.0 + 0.3 * 1.0 + 0.2 * 0.5)
    assert wl.loc[45, "priority"] == pytest.approx(small, abs=0.005)
    assert wl.loc[90, "priority"] == pytest.approx(big, abs=0.005)
    assert wl.loc[90, "rank"] == 1


def test_buyer_risk_precedence_pd_then_score_then_band() -> None:
    frame = ledger(days=[30] * 5)
    frame["buyer_id"] = ["P", "S", "B", "E", "X"]
    risk = pd.DataFrame({
        "buyer_id": ["P", "S", "B", "E"],
        "pd": [0.10, np.nan, np.nan, np.nan],
        "score": [90.0, 20.0, np.nan, np.nan],
        "band": ["A", "A", "C", "E"],
    })
    wl = build_worklist(frame, AS_OF, buyer_risk=risk).set_index("buyer_id")
    base = 100 * (0.5 * 1.0 + 0.3 * 30 / 90)
    # PD 0.10 -> the score the policy's calibration gives it: (logit(0.1) - intercept) / slope
    sp = Policy().score
    score_p = (math.log(0.1 / 0.9) - sp.pd_intercept) / sp.pd_slope
    assert 1 < score_p < 100
    assert wl.loc["P", "priority"] == pytest.approx(base + 20 * (100 - score_p) / 99, abs=0.005)
    assert wl.loc["S", "priority"] == pytest.approx(base + 20 * 80 / 99, abs=0.005)
    # band C runs 30..50: middle 40
    assert wl.loc["B", "priority"] == pytest.approx(base + 20 * 60 / 99, abs=0.005)
    # not rated (E) and unknown buyers: the middle of the scale
    assert wl.loc["E", "priority"] == pytest.approx(base + 20 * 0.5, abs=0.005)
    assert wl.loc["X", "priority"] == pytest.approx(base + 20 * 0.5, abs=0.005)
    assert wl.loc["P", "buyer_pd"] == 0.10 and wl.loc["B", "buyer_band"] == "C"
    assert wl.loc["X", "buyer_band"] == "" and math.isnan(wl.loc["X", "buyer_pd"])


def test_buyer_risk_by_index_and_numeric_ids() -> None:
    frame = ledger(days=[30, 30])
    frame["buyer_id"] = [101, 102]
    risk = pd.DataFrame({"score": [10.0, 95.0]}, index=pd.Index(["101", "102"], name="buyer_id"))
    wl = build_worklist(frame, AS_OF, buyer_risk=risk)
    assert wl["buyer_id"].tolist() == [101, 102]  # riskier buyer first


def test_buyer_risk_errors() -> None:
    frame = ledger(days=[30])
    with pytest.raises(SchemaError, match="pd, score, band"):
        build_worklist(frame, AS_OF, buyer_risk=pd.DataFrame({"buyer_id": ["ACME"], "x": [1]}))
    with pytest.raises(InputError, match="'ACME' appears twice"):
        build_worklist(frame, AS_OF, buyer_risk=pd.DataFrame({"buyer_id": ["ACME", "ACME"], "pd": [0.1, 0.2]}))


# --------------------------------------------------------------------------- late interest
def test_late_interest_eu_directive_worked_example() -> None:
    # Directive 2011/7/EU: Art. 2(6) statutory interest = simple interest at the reference
    # rate + at least 8 points; Art. 6(1) "a fixed sum of 40 [euros]" (quoted in AG Opinion
    # C-287/17), due for each late payment (CJEU C-78/22, 4 May 2023).
    # By hand: ECB main refinancing rate 2.15 % (from 11 June 2025) + 8 = 10.15 % a year;
    # EUR 10,000 paid 30 days late: 10,000 x 0.1015 x 30 / 365 = 83.4247; + 40 = 123.4247.
    assert late_interest(10_000, "2026-10-29", "2026-11-28") == pytest.approx(123.4247, abs=1e-4)
    # Same on a 360-day basis: 10,000 x 0.1015 x 30 / 360 = 84.5833; + 40
    assert late_interest(10_000, "2026-10-29", "2026-11-28", day_basis=360) == pytest.approx(124.5833, abs=1e-4)
    # EUR 2,500 at 8 % + 0 fee for 73 days: 2,500 x 0.08 x 73 / 365 = 40.00 exactly
    assert late_interest(2_500, "2026-01-01", "2026-03-15", 0.08, 0) == pytest.approx(40.0)


def test_late_interest_vectors_unknowns_and_bad_values() -> None:
    out = late_interest([100.0, np.nan, -5.0, 100.0], ["2026-01-01"] * 4,
                        ["2026-01-31", "2026-01-31", "2026-01-31", "2025-12-01"], 0.1, 0.0)
    assert out[0] == pytest.approx(100 * 0.1 * 30 / 365)
    assert math.isnan(out[1]) and math.isnan(out[2]) and out[3] == 0.0
    with pytest.raises(InputError, match="day_basis must be 360 or 365"):
        late_interest(1.0, "2026-01-01", "2026-02-01", day_basis=300)


def test_worklist_late_interest_in_base_currency_with_fee_converted() -> None:
    policy = Policy.from_dict({
        "base_currency": "CNY", "fx_rates": [["EUR", 7.8], ["USD", 7.1]],
        "late_interest": {"enabled": True},
    })
    frame = ledger(days=[30, 30], currency=["USD", "JPY"])
    wl = build_worklist(frame, AS_OF, policy).set_index("invoice_no")
    assert "INV-1" not in wl.index  # no rate: set aside (listed by the reader), not chased
    interest = 7100 * 0.1015 * 30 / 365  # open amount in CNY x rate x days / 365
    assert wl.loc["INV-0", "late_interest"] == pytest.approx(interest)
    assert wl.loc["INV-0", "late_fee"] == pytest.approx(40 * 7.8)  # EUR 40 in CNY
    assert wl.loc["INV-0", "late_total"] == pytest.approx(interest + 312)


def test_late_interest_off_by_default_and_fee_currency_without_rate() -> None:
    wl = build_worklist(ledger(days=[30]), AS_OF)
    assert wl["late_total"].tolist() == [0.0]
    policy = Policy.from_dict({"base_currency": "CNY", "fx_rates": [["USD", 7.1]],
                               "late_interest": {"enabled": True}})
    with pytest.raises(PolicyError, match="Add an FX rate for EUR"):
        build_worklist(ledger(days=[30]), AS_OF, policy)


# --------------------------------------------------------------------------- insurance
def test_insurance_deadlines_and_alerts() -> None:
    # Defaults: notify within 60 days of due, maximum extension 120, claim 30 after; warn 7.
    policy = Policy.from_dict({"insurance": {"enabled": True}})
    days = [10, 55, 61, 115, 125, 145, 151]
    wl = build_worklist(ledger(days=days), AS_OF, policy).set_index("days_overdue")
    due = AS_OF - pd.Timedelta(days=55)
    assert wl.loc[55, "insurance_notify_by"] == due + pd.Timedelta(days=60)
    assert wl.loc[55, "insurance_extension_end"] == due + pd.Timedelta(days=120)
    assert wl.loc[55, "insurance_claim_by"] == due + pd.Timedelta(days=150)
    assert wl["insurance_alert"].to_dict() == {
        10: "",
        55: "notify insurer soon",  # 5 days left
        61: "notification deadline passed",
        115: "extension period ends soon",
        125: "file claim",
        145: "claim deadline soon",
        151: "claim deadline passed",
    }
    off = build_worklist(ledger(days=[61]), AS_OF)
    assert off["insurance_alert"].tolist() == [""] and off["insurance_notify_by"].isna().all()


# --------------------------------------------------------------------------- shape
def test_columns_labels_and_no_user_column_names() -> None:
    wl = build_worklist(ledger(days=[5, 50]), AS_OF)
    assert list(wl.columns) == list(WORKLIST_COLUMNS)
    assert set(WORKLIST_LABELS_ZH) == set(WORKLIST_COLUMNS)
    assert set(STATE_LABELS_ZH) == set(STATES)
    assert "" in INSURANCE_ALERTS_ZH
    assert set(BUYER_SUMMARY_LABELS_ZH) == set(BUYER_SUMMARY_COLUMNS)
    # the Collections sheet's user columns are carried over by invoice_no: never overwritten
    assert not {"status", "promise_date", "owner", "notes"} & set(wl.columns)
    assert wl["rank"].tolist() == [1, 2]


def test_empty_ledger_gives_empty_worklist_with_columns() -> None:
    empty = ledger(days=[])
    wl = build_worklist(empty, AS_OF)
    assert wl.empty and list(wl.columns) == list(WORKLIST_COLUMNS)
    assert summarise_by_buyer(wl).empty


def test_missing_column_and_bad_as_of() -> None:
    with pytest.raises(SchemaError, match="no invoice_no column"):
        build_worklist(ledger(days=[5]).drop(columns="invoice_no"), AS_OF)
    with pytest.raises(InputError, match="as_of must be a date such as 2026-11-28; got 'soon'"):
        build_worklist(ledger(days=[5]), "soon")


def test_text_in_amount_is_refused_by_name() -> None:
    frame = ledger(days=[5, 5], amount=["1000", "abc"])
    with pytest.raises(InputError, match=r"amount must be a number .*got '1000' \(text\)"):
        build_worklist(frame, AS_OF)
    frame = ledger(days=[5, 5], amount=[1000.0, None])
    assert build_worklist(frame, AS_OF)["open_amount"].tolist() == [1000.0]


def test_as_of_from_policy_and_serial_dates_read_at_the_edge() -> None:
    from xlcredit.workbook.excel_values import to_dates

    policy = Policy.from_dict({"as_of": "2026-11-28"})
    frame = ledger(days=[10])
    frame["due_date"] = [46344.0]  # Excel serial of 2026-11-18: the engine does not guess
    with pytest.raises(InputError, match="due_date must be a date"):
        build_worklist(frame, None, policy)
    frame["due_date"] = to_dates([46344.0], "due_date").values
    row = build_worklist(frame, None, policy).iloc[0]
    assert row["days_overdue"] == 10 and row["due_date"] == pd.Timestamp("2026-11-18")


def test_summary_by_buyer_by_hand() -> None:
    frame = ledger(days=[100, 20, 50, 70], amount=[100.0, 200.0, 300.0, 400.0],
                   disputed=[False, False, True, False],
                   promise_date=[pd.NaT, AS_OF, pd.NaT, AS_OF - pd.Timedelta(days=20)])
    frame["buyer_id"] = ["A", "A", "B", "B"]
    s = summarise_by_buyer(build_worklist(frame, AS_OF))
    assert list(s.columns) == list(BUYER_SUMMARY_COLUMNS)
    assert s.index.tolist() == ["B", "A"]  # by overdue total
    assert s.loc["A"].to_dict() == {
        "overdue_items": 2, "overdue_total": 300.0,
        "oldest_days_overdue": 100, "highest_step_no": 6, "highest_step": "agency_legal",
        "highest_action_en": "Collection agency or legal action",
        "highest_action_zh": s.loc["A", "highest_action_zh"],
        "disputed_items": 0, "disputed_total": 0.0, "promised_items": 1,
        "broken_promises": 0, "late_total": 0.0, "top_priority": s.loc["A", "top_priority"],
    }
    b = s.loc["B"]
    assert (b["disputed_items"], b["disputed_total"], b["broken_promises"]) == (1, 300.0, 1)
    # 70 days (final demand, 5) + broken promise -> agency/legal (6)
    assert b["highest_step"] == "agency_legal"


# --------------------------------------------------------------------------- properties
def _frame(data: dict[str, list[object]]) -> pd.DataFrame:
    def day(offset: object) -> pd.Timestamp:
        return pd.NaT if offset is None else AS_OF + pd.Timedelta(days=int(offset))  # type: ignore[call-overload]

    amounts = np.array(data["amount"], dtype=float)
    return pd.DataFrame({
        "invoice_no": data["invoice_no"],
        "buyer_id": data["buyer_id"],
        "currency": data["currency"],
        "amount": amounts,
        "paid_amount": np.round(amounts * np.array(data["paid_share"], dtype=float), 2),
        "due_date": pd.to_datetime([day(d) for d in data["due"]]),
        "paid_date": pd.to_datetime([day(d) for d in data["paid"]]),
        "disputed": data["disputed"],
        "promise_date": pd.to_datetime([day(d) for d in data["promise"]]),
    }, columns=["invoice_no", "buyer_id", "currency", "amount", "paid_amount", "due_date",
                "paid_date", "disputed", "promise_date"])


POLICY = Policy(fx_rates=COLLECTIONS_FX)


@settings(max_examples=80, deadline=None)
@given(collection_ledgers(), st.integers(-30, 30))
def test_worklist_total_equals_overdue_open_balance(data: dict[str, list[object]], shift: int) -> None:
    frame = _frame(data)
    as_of = AS_OF + pd.Timedelta(days=shift)
    wl = build_worklist(frame, as_of, POLICY)
    rates = dict(COLLECTIONS_FX)
    expected, count = 0.0, 0
    for row in frame.itertuples():  # independent, row by row
        rate = rates.get(row.currency or "EUR")
        if rate is None:  # no rate: set aside and listed by the reader (issue 9)
            continue
        if pd.notna(row.paid_date) and row.paid_date <= as_of:
            open_amount = 0.0
        elif pd.notna(row.paid_date):
            open_amount = row.amount
        else:
            open_amount = row.amount - row.paid_amount
        if open_amount > 0 and row.due_date < as_of:
            count += 1
            expected += open_amount * rate
    assert len(wl) == count
    assert wl["open_amount_base"].sum() == pytest.approx(expected, rel=1e-12, abs=1e-6)
    assert wl["rank"].tolist() == list(range(1, count + 1))  # rows come in rank order
    assert wl["priority"].between(0, 100).all()
    held = wl["dunning_state"].isin(["promised", "disputed - on hold"]).to_numpy()
    assert not np.any(held[:-1] & ~held[1:])  # no active item after an item on hold
    for part in (wl[~held], wl[held]):
        assert part["priority"].is_monotonic_decreasing
    assert (wl.loc[wl["dunning_state"] == "promised", "step_no"] == 0).all()
    summary = summarise_by_buyer(wl, POLICY)
    assert summary["overdue_total"].sum() == pytest.approx(expected, rel=1e-12, abs=1e-6)
    assert summary["overdue_items"].sum() == count


@settings(max_examples=60, deadline=None)
@given(collection_ledgers(), st.integers(0, 60), st.integers(1, 120))
def test_step_never_deescalates_and_disputes_never_escalate(
    data: dict[str, list[object]], first: int, later: int
) -> None:
    frame = _frame(data)
    early = build_worklist(frame, AS_OF + pd.Timedelta(days=first), POLICY).set_index("invoice_no")
    late = build_worklist(frame, AS_OF + pd.Timedelta(days=first + later), POLICY).set_index("invoice_no")
    both = early.index.intersection(late.index)
    assert (late.loc[both, "step_no"] >= early.loc[both, "step_no"]).all()
    assert (late.loc[both, "ladder_step_no"] >= early.loc[both, "ladder_step_no"]).all()
    for wl in (early, late):
        held = wl[wl["disputed"]]
        assert (held["step_no"] == 0).all()
        assert (held["dunning_state"] == "disputed - on hold").all()


@given(st.integers(0, 10_000_000).map(lambda c: c / 100),
       st.one_of(st.just(0.0), st.floats(1e-4, 0.5)), st.integers(0, 400),
       st.integers(1, 400), st.sampled_from((360.0, 365.0)))
def test_late_interest_non_negative_and_increasing_in_days(
    amount: float, rate: float, days: int, more: int, basis: float
) -> None:
    due = pd.Timestamp("2026-01-01")
    a = late_interest(amount, due, due + pd.Timedelta(days=days), rate, 40.0, day_basis=basis)
    b = late_interest(amount, due, due + pd.Timedelta(days=days + more), rate, 40.0, day_basis=basis)
    assert a >= 0 and b >= a
    if amount > 0 and (rate > 0 or days == 0):  # the fixed sum is due from the first day late
        assert b > a
    if amount == 0:
        assert a == b == 0


@given(st.lists(st.integers(-10, 2000), min_size=1, max_size=50))
def test_ladder_step_monotone_in_days(days: list[int]) -> None:
    ordered = sorted(days)
    steps = dunning_step_numbers(ordered)
    assert np.all(np.diff(steps) >= 0)


# --------------------------------------------------------------------------- real ledger
@pytest.fixture(scope="module")
def real_ledger() -> pd.DataFrame:
    if not LEDGER_CSV.exists():
        pytest.skip(f"real ledger not available: {LEDGER_CSV} (the shared data folder is absent)")
    raw = pd.read_csv(LEDGER_CSV, dtype={"invoiceNumber": str, "customerID": str})

    def dates(col: str) -> pd.Series:
        return pd.to_datetime(raw[col], format="%d/%m/%Y")

    return pd.DataFrame({
        "invoice_no": raw["invoiceNumber"],
        "buyer_id": raw["customerID"],
        "amount": raw["InvoiceAmount"].astype(float),
        "invoice_date": dates("InvoiceDate"),
        "due_date": dates("DueDate"),
        "paid_date": dates("SettledDate"),
        # Yes/No text as exported, read at the edge as the file adapter does
        "disputed": to_flags(raw["Disputed"].tolist(), "disputed").values == 1.0,
        "disputed_text": raw["Disputed"],
    })


# The ledger holds 5 to 15 overdue items at any month end: check every month end.
@pytest.mark.parametrize("as_of", pd.date_range("2012-02-29", "2013-12-31", freq="ME"))
def test_real_ledger_against_independent_pandas(real_ledger: pd.DataFrame, as_of: pd.Timestamp) -> None:
    inv = real_ledger
    # README: an invoice is open on day D when InvoiceDate <= D < SettledDate
    is_open = (inv["invoice_date"] <= as_of) & (as_of < inv["paid_date"])
    overdue = inv[is_open & (inv["due_date"] < as_of)].copy()
    overdue["days"] = (as_of - overdue["due_date"]).dt.days
    wl = build_worklist(inv, as_of)
    assert len(wl) == len(overdue) > 0
    assert set(wl["invoice_no"]) == set(overdue["invoice_no"])
    assert wl["open_amount_base"].sum() == pytest.approx(overdue["amount"].sum())
    merged = wl.merge(overdue, on="invoice_no", suffixes=("", "_x"), validate="1:1")
    assert (merged["days_overdue"] == merged["days"]).all()
    # ladder by pd.cut (independent of searchsorted): [1,15) reminder ... [90, inf) legal
    cut = pd.cut(merged["days"], [1, 15, 30, 45, 60, 90, np.inf], right=False, labels=False) + 1
    assert (merged["ladder_step_no"] == cut).all()
    disputed = merged["disputed_text"] == "Yes"
    assert (merged["disputed"] == disputed).all()
    assert (merged.loc[disputed, "dunning_state"] == "disputed - on hold").all()
    assert (merged.loc[~disputed, "step_no"] == cut[~disputed]).all()
    # per buyer
    summary = summarise_by_buyer(wl)
    by = overdue.groupby("buyer_id")
    pd.testing.assert_series_equal(
        summary["overdue_total"].sort_index(), by["amount"].sum().sort_index(),
        check_names=False, rtol=1e-12,
    )
    assert (summary["oldest_days_overdue"].sort_index() == by["days"].max().sort_index()).all()
    assert (summary["disputed_items"].sort_index()
            == by["disputed_text"].apply(lambda s: int((s == "Yes").sum())).sort_index()).all()


def test_real_ledger_late_interest_and_insurance(real_ledger: pd.DataFrame) -> None:
    as_of = pd.Timestamp("2013-06-30")
    policy = Policy.from_dict({"late_interest": {"enabled": True}, "insurance": {"enabled": True}})
    wl = build_worklist(real_ledger, as_of, policy)
    days = wl["days_overdue"].to_numpy()
    # EU: (2.15 % + 8) x days / 365 x open amount, + EUR 40 (base currency EUR)
    expected = wl["open_amount"].to_numpy() * 0.1015 * days / 365 + 40
    np.testing.assert_allclose(wl["late_total"].to_numpy(), expected, rtol=1e-12)
    due = wl["due_date"]
    assert (wl["insurance_notify_by"] == due + pd.Timedelta(days=60)).all()
    assert (wl["insurance_claim_by"] == due + pd.Timedelta(days=150)).all()
    notify_soon = (wl["insurance_notify_by"] - as_of).dt.days.between(0, 7)
    assert ((wl["insurance_alert"] == "notify insurer soon") == notify_soon).all()


def test_real_ledger_agrees_with_aging_overdue_total(real_ledger: pd.DataFrame) -> None:
    as_of = pd.Timestamp("2013-06-30")
    result = age_invoices(real_ledger, as_of, Policy())
    wl = build_worklist(real_ledger, as_of)
    # every amount in this ledger is positive, so the worklist holds the whole overdue balance
    assert wl["open_amount_base"].sum() == pytest.approx(float(result.total["Overdue"]))


# --------------------------------------------------------------------------- policy settings
def test_collections_settings_are_validated_by_name() -> None:
    # settings added for this issue: collections.broken_promise_extra_steps and
    # insurance.deadline_warning_days (Policy sheet keys), plus the weights' sum
    with pytest.raises(PolicyError, match=r"collections.broken_promise_extra_steps must be an integer from 0 to 10; got -1"):
        Policy.from_dict({"collections": {"broken_promise_extra_steps": -1}})
    with pytest.raises(PolicyError, match=r"insurance.deadline_warning_days must be a number from 0 to 365"):
        Policy.from_settings({"insurance.deadline_warning_days": "400"})
    with pytest.raises(PolicyError, match="weight_risk must be > 0"):
        Policy.from_dict({"collections": {"weight_amount": 0, "weight_age": 0, "weight_risk": 0}})
    policy = Policy.from_settings({"insurance.deadline_warning_days": "14"})
    assert Policy.from_json(policy.to_json()).insurance.deadline_warning_days == 14.0
