"""Credit-limit engine: need, capacity, insured limit, rounding, decision, authority."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import limit_inputs, scores

from xlcredit.engine.errors import InputError, PolicyError
from xlcredit.engine.limits import DECISIONS, band_of_score, credit_limit, recommend_limits
from xlcredit.engine.policy import DEFAULT_POLICY, Policy

NAN = math.nan


def policy(**limits: object) -> Policy:
    return Policy.from_dict({"limits": limits})


# --------------------------------------------------------------------------- reference values
def test_published_example_issue_2() -> None:
    # Issue 2: band B rule = 35 % of net worth and 5 % of turnover; need 50,000,
    # net worth 80,000, turnover 700,000 -> 28,000 (35 % x 80,000; 5 % x 700,000 = 35,000).
    rule_b = DEFAULT_POLICY.limits.rule("B")
    assert (rule_b.tnw_share, rule_b.revenue_share) == (0.35, 0.05)
    r = recommend_limits(60, 80_000, None, 700_000, requested=50_000)
    assert r.loc[0, "band"] == "B"
    assert r.loc[0, "capacity"] == 28_000
    assert r.loc[0, "limit"] == 28_000
    assert r.loc[0, "decision"] == "approve_reduced"
    assert credit_limit(60, 80_000, None, 700_000, requested=50_000) == 28_000.0


def test_published_example_need_from_sales_and_terms() -> None:
    # Issue 2 again, with the need of 50,000 from sales: 365,000 x (20 + 30 buffer) / 365.
    r = recommend_limits(60, 80_000, None, 700_000, annual_sales=365_000, payment_terms_days=20)
    assert r.loc[0, "need"] == 50_000
    assert r.loc[0, "limit"] == 28_000


def test_need_formula_and_default_terms() -> None:
    # need = annual_sales x (terms + need_buffer_days) / 365; default terms 30, buffer 30.
    r = recommend_limits(80, 1e9, None, None, annual_sales=[240_000, 240_000],
                         payment_terms_days=[NAN, 60])
    assert r["need"].tolist() == [round(240_000 * 60 / 365, 2), round(240_000 * 90 / 365, 2)]
    assert r["limit"].tolist() == [39_000, 59_000]  # rounded down to 1,000


def test_requested_wins_over_sales() -> None:
    r = recommend_limits(80, 1e9, None, None, annual_sales=1e6, requested=12_345)
    assert r.loc[0, "need"] == 12_345
    assert r.loc[0, "limit"] == 12_000
    assert r.loc[0, "decision"] == "approve"  # need rounded the same way: 12,000 >= 12,000


def test_capacity_is_smallest_known_basis() -> None:
    # Band A: 40 % TNW, 40 % working capital, 8 % revenue.
    r = recommend_limits(90, [100_000, 100_000, NAN], [50_000, NAN, NAN], [1e6, 1e6, 1e6])
    assert r["capacity"].tolist() == [20_000, 40_000, 80_000]
    assert "working capital" in r.loc[0, "reason"]


def test_negative_equity_or_working_capital_gives_zero_capacity() -> None:
    # Negative working capital gives no capacity in band C and worse (score 40: band C).
    r = recommend_limits([90, 40], [-10, 100_000], [50_000, -1], [1e6, 1e6], requested=10_000)
    assert r["capacity"].tolist() == [0, 0]
    assert r["limit"].tolist() == [0, 0]
    assert (r["decision"] == "prepayment_or_guarantee").all()
    assert "negative net worth" in r.loc[0, "reason"]
    assert "negative working capital" in r.loc[1, "reason"]


def test_negative_working_capital_is_left_out_in_good_bands() -> None:
    # Issue 10: a profitable band-A retailer with negative working capital keeps its limit.
    # Capacity = min(40 % x 100,000, 8 % x 1,000,000) = 40,000; working capital left out.
    r = recommend_limits([90, 60, 40], 100_000, -1, 1e6, requested=10_000)
    assert r["capacity"].tolist() == [40_000, 35_000, 0]
    strict = Policy.from_dict({"limits": {"negative_wc_ignored_to_band": "none"}})
    assert recommend_limits(90, 100_000, -1, 1e6, policy=strict)["capacity"].tolist() == [0]


def test_no_known_basis_means_capacity_unknown_and_limit_zero() -> None:
    r = recommend_limits(90, None, None, None, requested=10_000)
    assert math.isnan(r.loc[0, "capacity"])
    assert r.loc[0, "limit"] == 0
    assert r.loc[0, "decision"] == "prepayment_or_guarantee"
    assert "capacity unknown" in r.loc[0, "reason"]


def test_unknown_score_is_band_e_cash_in_advance() -> None:
    r = recommend_limits(NAN, 1e6, 1e6, 1e7, requested=10_000, payment_terms_days=30)
    row = r.iloc[0]
    assert row["band"] == "E"
    assert row["limit"] == 0
    assert row["terms_days"] == 0
    assert row["decision"] == "prepayment_or_guarantee"
    assert row["decision_text"] == "Prepayment or guarantee"
    assert "score unknown" in row["reason"]


def test_no_need_given_limit_is_capacity() -> None:
    r = recommend_limits(90, 100_000, None, None)
    assert math.isnan(r.loc[0, "need"])
    assert r.loc[0, "limit"] == 40_000
    assert r.loc[0, "decision"] == "approve"


def test_band_max_limit() -> None:
    p = Policy.from_dict({"limits": {"rules": [
        {**r, "max_limit": m}
        for r, m in zip(DEFAULT_POLICY.to_dict()["limits"]["rules"],
                        [100_000, 50_000, 20_000, 5_000, 0], strict=True)
    ]}})
    r = recommend_limits([90, 60], 1e9, None, None, policy=p)
    assert r["limit"].tolist() == [100_000, 50_000]
    assert "maximum" in r.loc[0, "reason"]


def test_band_max_limit_is_no_capacity_without_a_basis() -> None:
    # Regression: with a finite max_limit, a buyer with no known basis got capacity =
    # max_limit; the documented rule (recommend_limits Notes, docs/limits.md) is capacity
    # unknown and limit 0, ask for statements.
    p = Policy.from_dict({"limits": {"rules": [
        {**r, "max_limit": m}
        for r, m in zip(DEFAULT_POLICY.to_dict()["limits"]["rules"],
                        [100_000, 50_000, 20_000, 5_000, 0], strict=True)
    ]}})
    r = recommend_limits(90, None, None, None, requested=50_000, policy=p)
    row = r.iloc[0]
    assert row["band"] == "A"
    assert math.isnan(row["capacity"])
    assert row["limit"] == 0
    assert row["decision"] == "prepayment_or_guarantee"
    assert "capacity unknown" in row["reason"]
    assert "maximum" not in row["reason"]


# --------------------------------------------------------------------------- bands
@pytest.mark.parametrize(
    ("score", "band"),
    [(100, "A"), (71, "A"), (70.99, "B"), (51, "B"), (50.9, "C"), (30, "C"), (29.99, "D"),
     (1, "D"), (NAN, "E")],
)
def test_band_of_score_boundaries(score: float, band: str) -> None:
    # Creditsafe bands (DESIGN.md 5): A 71-100, B 51-70, C 30-50, D 1-29, E not rated.
    assert band_of_score(score).item() == band


def test_band_of_score_out_of_range_is_none() -> None:
    assert band_of_score([0.5, 101]).tolist() == [None, None]


def test_band_override() -> None:
    r = recommend_limits([90, 90, 90], 1e6, None, None, band=["E", None, " C "])
    assert r["band"].tolist() == ["E", "A", "C"]
    assert r["limit"].tolist() == [0, 400_000, 200_000]
    with pytest.raises(InputError, match="band must be one of A, B, C, D, E"):
        recommend_limits(90, 1e6, None, None, band="Z")


# --------------------------------------------------------------------------- insured limit
def test_insured_limit_extend_cap_ignore() -> None:
    args = dict(score=60, equity=80_000, working_capital=None, revenue=700_000, requested=50_000)
    extend = recommend_limits(**args, insured_limit=[40_000, 90_000, 10_000])
    assert extend["limit"].tolist() == [40_000, 50_000, 28_000]  # never above the need
    assert "extended to the insured limit" in extend.loc[0, "reason"]
    cap = recommend_limits(**args, insured_limit=[40_000, 20_500], policy=policy(insured_limit_rule="cap"))
    assert cap["limit"].tolist() == [28_000, 20_000]
    assert "capped at the insured limit" in cap.loc[1, "reason"]
    ignore = recommend_limits(**args, insured_limit=40_000, policy=policy(insured_limit_rule="ignore"))
    assert ignore.loc[0, "limit"] == 28_000
    assert ignore.loc[0, "insured_limit"] == 40_000


def test_insured_limit_extends_when_capacity_unknown() -> None:
    r = recommend_limits(60, None, None, None, requested=50_000, insured_limit=30_000)
    assert r.loc[0, "limit"] == 30_000


# --------------------------------------------------------------------------- rounding
def test_rounding_down_and_small_amounts_kept() -> None:
    r = recommend_limits(90, 1e9, None, None, requested=[39_999.99, 500, 1_000, 0])
    assert r["limit"].tolist() == [39_000, 500, 1_000, 0]
    exact = recommend_limits(90, 1e9, None, None, requested=39_999.99, policy=policy(round_to=0))
    assert exact.loc[0, "limit"] == 39_999.99
    five = recommend_limits(90, 1e9, None, None, requested=39_999.99, policy=policy(round_to=2_500))
    assert five.loc[0, "limit"] == 37_500


# --------------------------------------------------------------------------- decisions
def test_decisions() -> None:
    r = recommend_limits(
        score=[90, 60, 90, NAN, 60, 60],
        equity=[1e6, 80_000, -1, 1e6, 80_000, -1],
        working_capital=None,
        revenue=None,
        requested=50_000,
        current_exposure=[10_000, 35_000, 0, 5_000, NAN, 1_000],
    )
    assert r["decision"].tolist() == [
        "approve",  # capacity covers the need
        "approve_reduced",  # 28,000 < 50,000; over limit but band B with a limit: not suspended
        "prepayment_or_guarantee",  # limit 0, nothing owed
        "suspend",  # band E (worst) and owes more than its limit of 0
        "approve_reduced",  # exposure unknown
        "suspend",  # limit 0 while it owes 1,000
    ]
    assert r["headroom"].tolist()[:4] == [40_000, -7_000, 0, -5_000]
    assert math.isnan(r.loc[4, "headroom"]) and math.isnan(r.loc[4, "over_limit"])
    assert r["over_limit"].tolist()[:4] == [0, 7_000, 0, 5_000]
    assert set(r["decision_text"]) <= {en for en, _zh in DECISIONS.values()}


def test_no_statements_is_no_reason_to_suspend() -> None:
    # A band-A payer with no financial statements owes 5,000: its limit is 0 for want of a
    # basis, so new deliveries need prepayment or a guarantee, but credit is not suspended.
    r = recommend_limits(90, None, None, None, requested=50_000, current_exposure=5_000)
    assert r.loc[0, "limit"] == 0
    assert r.loc[0, "decision"] == "prepayment_or_guarantee"
    # The same buyer with negative net worth (a known basis giving 0) is suspended.
    r = recommend_limits(90, -1, None, None, requested=50_000, current_exposure=5_000)
    assert r.loc[0, "decision"] == "suspend"


def test_approve_share() -> None:
    # approve_share 0.5: a limit of at least half the need is still "approve".
    r = recommend_limits(60, 80_000, None, 700_000, requested=50_000, policy=policy(approve_share=0.5))
    assert r.loc[0, "decision"] == "approve"


@pytest.mark.parametrize(
    ("requested", "level"),
    [(10_000, "Credit clerk"), (10_001, "Credit manager"), (50_000, "Credit manager"),
     (51_000, "Finance director"), (250_000, "Finance director"), (300_000, "Credit committee"),
     (0, "Credit clerk")],
)
def test_approval_level(requested: float, level: str) -> None:
    # Default authority table: clerk <= 10,000 < manager <= 50,000 < director <= 250,000.
    r = recommend_limits(90, 1e9, None, None, requested=requested, policy=policy(round_to=0))
    assert r.loc[0, "approval_level"] == level


def test_recommended_terms() -> None:
    # Band terms A 60, B 45, C 30, D 15; never longer than offered; 0 when no credit.
    r = recommend_limits([90, 60, 40, 10, 90], 1e6, None, None, requested=[1e3] * 4 + [NAN],
                         payment_terms_days=[NAN, NAN, 14, NAN, 90])
    assert r["terms_days"].tolist() == [60, 45, 14, 15, 60]
    zero = recommend_limits(90, -5, None, None, requested=1e3, payment_terms_days=30)
    assert zero.loc[0, "terms_days"] == 0


def test_chinese_texts() -> None:
    r = recommend_limits([60, NAN], 80_000, None, 700_000, requested=50_000, current_exposure=[0, 10],
                         policy=Policy(language="zh-CN"))
    assert r["decision_text"].tolist() == ["降额批准", "暂停赊销"]
    assert r["approval_level"].tolist() == ["信用经理", "信用专员"]
    assert r.loc[0, "reason"] == "受限于净资产的35%"


# --------------------------------------------------------------------------- bad input
def test_impossible_values_are_nan_with_reason_for_that_buyer_only() -> None:
    r = recommend_limits([150, 60, 60, 60, 60], 80_000, None, [700_000, -5, 700_000, 700_000, math.inf],
                         requested=[50_000, 50_000, -1, 50_000, 50_000],
                         payment_terms_days=[30, 30, 30, -3, 30])
    assert math.isnan(r.loc[0, "limit"]) and r.loc[0, "decision"] is None
    assert r["reason"].tolist()[:4] == [
        "score must be from 1 to 100 (blank if unknown); got 150",
        "revenue must be >= 0; got -5",
        "requested must be >= 0; got -1",
        "payment_terms_days must be >= 0; got -3",
    ]
    assert r.loc[4, "reason"] == "revenue must be a finite number; got inf"
    assert r["limit"].isna().all()
    ok = recommend_limits([150, 60], 80_000, None, 700_000, requested=50_000)
    assert ok.loc[1, "limit"] == 28_000


def test_malformed_arguments_raise_named_errors() -> None:
    with pytest.raises(InputError, match=r"equity must be a number .*got 'abc' \(text\)"):
        recommend_limits(60, "abc", None, None)
    with pytest.raises(InputError, match="same number of rows"):
        recommend_limits([60, 70], [1, 2, 3], None, None)


def test_policy_refuses_a_better_band_with_smaller_shares() -> None:
    rules = DEFAULT_POLICY.to_dict()["limits"]["rules"]
    rules[2]["revenue_share"] = 0.5  # band C above band B's 0.05
    with pytest.raises(PolicyError, match=r"limits.rules\[C\].revenue_share must be <= that of the better band B"):
        policy(rules=rules)


def test_scalars_and_arrays_and_empty() -> None:
    assert isinstance(credit_limit(60, 80_000, None, 700_000), float)
    out = credit_limit([60, 90], 80_000, None, 700_000)
    assert isinstance(out, np.ndarray) and out.tolist() == [28_000, 32_000]
    empty = recommend_limits(np.array([]), np.array([]), None, None)
    assert len(empty) == 0 and list(empty.columns)[:4] == ["band", "need", "capacity", "limit"]


def test_all_blank_raises_no_warning() -> None:
    # pytest turns RuntimeWarning into an error: all-NaN columns must stay silent.
    r = recommend_limits([NAN] * 3, [NAN] * 3, [NAN] * 3, [NAN] * 3, [NAN] * 3, [NAN] * 3,
                         [NAN] * 3, [NAN] * 3, [NAN] * 3)
    assert r["limit"].tolist() == [0, 0, 0]


def test_vectorised_large_column() -> None:
    rng = np.random.default_rng(2)
    n = 200_000
    r = recommend_limits(rng.uniform(1, 100, n), rng.normal(1e6, 5e5, n), rng.normal(2e5, 2e5, n),
                         rng.uniform(0, 1e7, n), rng.uniform(0, 1e6, n), None, None,
                         None, rng.uniform(0, 1e5, n))
    assert len(r) == n and (r["limit"] >= 0).all()


# --------------------------------------------------------------------------- properties
RULES = st.sampled_from(["cap", "extend", "ignore"])
ROUND = st.sampled_from([0.0, 1.0, 1000.0, 2500.0, 0.1])


@settings(max_examples=300, deadline=None)
@given(inputs=limit_inputs(), s1=scores(blank=False), s2=scores(blank=False), rule=RULES, step=ROUND)
def test_better_score_never_lowers_limit(inputs: dict[str, float], s1: float, s2: float,
                                         rule: str, step: float) -> None:
    p = policy(insured_limit_rule=rule, round_to=step)
    lo, hi = sorted((s1, s2))
    r = recommend_limits([lo, hi], **inputs, policy=p)
    assert r.loc[1, "limit"] >= r.loc[0, "limit"]


@settings(max_examples=300, deadline=None)
@given(inputs=limit_inputs(), score=scores(), rule=RULES, step=ROUND)
def test_limit_bounds_and_rounding(inputs: dict[str, float], score: float, rule: str,
                                   step: float) -> None:
    p = policy(insured_limit_rule=rule, round_to=step)
    r = recommend_limits(score, **inputs, policy=p).iloc[0]
    limit, need, capacity, insured = r["limit"], r["need"], r["capacity"], r["insured_limit"]
    assert limit >= 0
    if not math.isnan(need):
        assert limit <= need
    if rule != "extend":
        assert limit <= (0 if math.isnan(capacity) else capacity)
    else:
        cap = 0 if math.isnan(capacity) else capacity
        assert limit <= max(cap, 0 if math.isnan(insured) else insured)
    if rule == "cap" and not math.isnan(insured):
        assert limit <= insured
    unrounded = recommend_limits(score, **inputs, policy=policy(insured_limit_rule=rule, round_to=0))
    assert limit <= unrounded.loc[0, "limit"]  # rounding never raises
    if step and limit >= step:
        assert math.isclose(limit / step, round(limit / step), abs_tol=1e-9)
    assert r["decision"] in DECISIONS
    if limit == 0:
        assert r["decision"] in ("prepayment_or_guarantee", "suspend") and r["terms_days"] == 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(scores(), limit_inputs()), min_size=1, max_size=20))
def test_columns_equal_row_by_row(rows: list[tuple[float, dict[str, float]]]) -> None:
    # One call over a column gives what one call per buyer gives.
    frame = pd.DataFrame([{"score": s, **d} for s, d in rows])
    whole = recommend_limits(**{c: frame[c].to_numpy() for c in frame.columns})
    for i, (s, d) in enumerate(rows):
        one = recommend_limits(s, **d)
        assert one.loc[0, "limit"] == whole.loc[i, "limit"]
        assert one.loc[0, "decision"] == whole.loc[i, "decision"]
        assert one.loc[0, "reason"] == whole.loc[i, "reason"]
