"""The staged action of each buyer (engine.actions; issue 9, "One answer per fact": the rules
moved out of the macros). Expected codes come from the rules as documented in
``stage_actions`` (Notes), worked out by hand per case or row by row in plain Python."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlcredit.engine.actions import ACTIONS, stage_actions
from xlcredit.engine.limits import DECISIONS
from xlcredit.engine.policy import DEFAULT_POLICY

NAN = math.nan
# One buyer that triggers nothing: band B, approved, within a current limit, score unchanged.
CALM = {"band": "B", "decision": "approve", "over_limit": 0.0, "current_limit": 5_000.0,
        "recommended_limit": 5_000.0, "score_change": 0.0, "dunning_step": 0}


def _one(**changes: object) -> tuple[str, bool]:
    args = {k: [v] for k, v in {**CALM, **changes}.items()}
    out = stage_actions(**args)  # type: ignore[arg-type]
    return str(out["action"].iat[0]), bool(out["collect"].iat[0])


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, "ok"),
    ({"decision": "suspend"}, "suspend"),
    # the worst rated band (D by default) over its limit: suspend although the decision approves
    ({"band": "D", "over_limit": 0.01}, "suspend"),
    ({"band": "D"}, "ok"),
    ({"decision": "prepayment_or_guarantee"}, "prepay"),
    ({"band": "E"}, "not_rated"),  # the not-rated band of the default policy
    ({"decision": "approve_reduced", "current_limit": 6_000.0}, "reduce"),
    ({"decision": "approve_reduced", "current_limit": 5_000.0}, "ok"),  # already at the new limit
    ({"decision": "approve_reduced", "current_limit": NAN}, "ok"),  # no current limit to reduce
    ({"over_limit": 250.0}, "reduce"),
    ({"score_change": -10.0}, "review"),  # exactly the default alert of 10 points
    ({"score_change": -9.99}, "ok"),
    ({"score_change": NAN}, "ok"),  # first score: nothing to compare
    ({"over_limit": NAN}, "ok"),  # no limit known: not over it
    ({"decision": None}, "ok"),  # a rejected row has no decision
])
def test_each_rule(changes: dict[str, object], expected: str) -> None:
    assert _one(**changes) == (expected, False)


@pytest.mark.parametrize(("changes", "expected"), [
    # each earlier rule wins over every later one (Notes: the first that applies)
    ({"decision": "suspend", "band": "E", "over_limit": 5.0, "score_change": -50.0}, "suspend"),
    ({"band": "D", "over_limit": 5.0, "score_change": -50.0}, "suspend"),
    ({"decision": "prepayment_or_guarantee", "band": "E", "score_change": -50.0}, "prepay"),
    ({"band": "E", "over_limit": 5.0, "score_change": -50.0}, "not_rated"),
    ({"over_limit": 5.0, "score_change": -50.0}, "reduce"),
])
def test_the_first_rule_that_applies_wins(changes: dict[str, object], expected: str) -> None:
    assert _one(**changes)[0] == expected


@pytest.mark.parametrize(("step", "collect"), [(0, False), (1, True), (5, True), (NAN, False)])
def test_collect_follows_the_dunning_step_apart_from_the_action(step: float, collect: bool) -> None:
    assert _one(dunning_step=step) == ("ok", collect)
    assert _one(dunning_step=step, decision="suspend") == ("suspend", collect)


def test_the_policy_sets_the_bands_and_the_score_alert() -> None:
    policy = DEFAULT_POLICY.with_overrides({"monitoring": {"score_drop_alert": 20}})
    args = {k: [v] * 2 for k, v in CALM.items()}
    args["score_change"] = [-15.0, -20.0]
    assert stage_actions(**args, policy=policy)["action"].tolist() == ["ok", "review"]  # type: ignore[arg-type]
    assert stage_actions(**args)["action"].tolist() == ["review", "review"]  # type: ignore[arg-type]


def test_scalars_broadcast_against_columns() -> None:
    out = stage_actions(["A", "D", "E"], "approve", [0.0, 10.0, 0.0], 1_000.0, 1_000.0, 0.0, 0)
    assert out["action"].tolist() == ["ok", "suspend", "not_rated"]
    assert out["collect"].tolist() == [False, False, False]


def test_an_empty_book_has_no_actions() -> None:
    out = stage_actions([], [], [], [], [], [], [])
    assert list(out.columns) == ["action", "collect"] and len(out) == 0


def _reference(band: str, decision: str | None, over: float, current: float, recommended: float,
               change: float, step: float) -> tuple[str, bool]:
    """The documented rules for one buyer, in plain Python (NaN compares as False)."""
    worst = DEFAULT_POLICY.score.bands[-1].band
    over_it = not math.isnan(over) and over > 0
    if decision == "suspend" or (band == worst and over_it):
        action = "suspend"
    elif decision == "prepayment_or_guarantee":
        action = "prepay"
    elif band == DEFAULT_POLICY.score.not_rated_band:
        action = "not_rated"
    elif (decision == "approve_reduced" and current > recommended) or over_it:
        action = "reduce"
    elif change <= -DEFAULT_POLICY.monitoring.score_drop_alert:
        action = "review"
    else:
        action = "ok"
    return action, step > 0


_amount = st.one_of(st.just(NAN), st.floats(0, 1e7, allow_nan=False))
_buyer = st.tuples(
    st.sampled_from(DEFAULT_POLICY.score.band_names),
    st.sampled_from([*DECISIONS, None]),
    _amount, _amount, _amount,
    st.one_of(st.just(NAN), st.floats(-99, 99, allow_nan=False)),
    st.one_of(st.just(NAN), st.integers(0, 6).map(float)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_buyer, max_size=40))
def test_the_vectorised_rules_agree_with_the_rules_row_by_row(buyers: list[tuple]) -> None:
    columns = list(zip(*buyers, strict=True)) if buyers else [[]] * 7
    out = stage_actions(*(np.asarray(c, dtype=object if i < 2 else float) for i, c in enumerate(columns)))
    assert set(out["action"]) <= set(ACTIONS)
    assert list(zip(out["action"], out["collect"], strict=True)) == [_reference(*b) for b in buyers]
