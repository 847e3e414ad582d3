"""The Policy sheet loads into and saves from the policy object (issue 4)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from xlcredit.engine.policy import Policy
from xlcredit.workbook.policy_sheet import (
    DESCRIPTIONS,
    LIST_SETTINGS,
    describe_setting,
    policy_from_tables,
    policy_tables,
)
from xlcredit.workbook.sample import sample_policy


def _as_sheet(policy: Policy, language: str) -> dict[str, tuple[list[Any], list[list[Any]]]]:
    frames = policy_tables(policy, language)
    return {name: (list(f.columns), f.values.tolist()) for name, f in frames.items()}


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_round_trip(language: str) -> None:
    policy = Policy(
        language=language, base_currency="CNY", as_of=dt.date(2026, 11, 30),
        fx_rates=(("USD", 7.1), ("EUR", 7.8)),
    ).with_overrides({
        "aging": {"bucket_edges": [15, 30, 60, 90, 180]},
        "limits": {"round_to": 5000, "insured_limit_rule": "cap"},
        "insurance": {"enabled": True},
        "monitoring": {"review_months": [["A", 24], ["B", 12], ["C", 6], ["D", 3], ["E", 1]]},
    })
    loaded, problems = policy_from_tables(_as_sheet(policy, language))
    assert problems == []
    assert loaded == policy


def test_sample_policies_round_trip() -> None:
    for language in ("en", "zh-CN"):
        policy = sample_policy(language)
        assert policy_from_tables(_as_sheet(policy, language))[0] == policy


def test_every_setting_has_a_description_in_both_languages() -> None:
    keys = set(Policy().settings()) | set(LIST_SETTINGS)
    missing = sorted(keys - set(DESCRIPTIONS))
    assert missing == [], f"add descriptions for {missing} in xlcredit/workbook/policy_sheet.py"
    for en, zh in DESCRIPTIONS.values():
        assert en.endswith(".") and zh.endswith("。")


def test_blank_values_keep_defaults_and_sheet_cells_are_coerced() -> None:
    rows = [
        ["language", "zh-CN", ""], ["base_currency", " USD ", ""], ["as_of", 46356.0, ""],
        ["limits.round_to", "5,000", ""], ["collections.hold_disputed", "否", ""],
        ["score.min_coverage", "30%", ""], ["aging.bucket_edges", "30，60，90", ""],
        ["limits.approve_share", None, ""], ["insurance.cover_share", "", ""],
        ["input.decimal", "point", ""],
    ]
    p, problems = policy_from_tables({"tblPolicy": (["设置项", "值", "说明"], rows)})
    assert problems == []
    assert (p.language, p.base_currency, p.as_of) == ("zh-CN", "USD", dt.date(2026, 11, 30))
    assert p.limits.round_to == 5000 and p.collections.hold_disputed is False
    assert p.score.min_coverage == pytest.approx(0.30)
    assert p.aging.bucket_edges == (30, 60, 90)
    assert p.limits.approve_share == Policy().limits.approve_share


def test_bad_settings_become_problems_and_keep_defaults() -> None:
    rows = [
        ["limits.round_to", -5, ""],             # row 2: rule broken
        ["base_currency", "euro", ""],          # row 3: not an ISO code
        ["limits.rund_to", 10, ""],             # row 4: typo in the key
        ["aging.bucket_edges", "30, sixty", ""],  # row 5
        ["plans.frequency", "weekly", ""],      # row 6: fine
    ]
    p, problems = policy_from_tables({"tblPolicy": (["Setting", "Value", "Description"], rows)},
                                     header_rows={"tblPolicy": 1})
    assert p.plans.frequency == "weekly"
    assert p.limits.round_to == 1000 and p.base_currency == "EUR"
    assert [q.row for q in problems] == [2, 3, 4, 5]
    assert problems[0].rule == "limits.round_to must be a number >= 0; got -5."
    assert "three-letter ISO currency code" in problems[1].rule
    assert "not a setting xlcredit knows" in problems[2].rule
    assert problems[3].rule.startswith("aging.bucket_edges must be numbers")


def test_list_tables_override_and_blank_means_unlimited() -> None:
    tables = _as_sheet(Policy(), "en")
    header, rows = tables["tblApproval"]
    rows = [[20000.0, "Clerk", "专员"], [None, "Board", "董事会"]]
    tables["tblApproval"] = (header, rows)
    header, rows = tables["tblFX"]
    tables["tblFX"] = (header, [*rows, ["USD", "0.92"]])
    p, problems = policy_from_tables(tables)
    assert problems == []
    assert [a.level_en for a in p.limits.approval_levels] == ["Clerk", "Board"]
    assert math.isinf(p.limits.approval_levels[-1].up_to)
    assert p.fx_rate("USD") == pytest.approx(0.92)


def test_a_broken_list_table_keeps_its_defaults() -> None:
    tables = _as_sheet(Policy(), "en")
    rows = tables["tblBands"][1]
    rows[1][1] = 95  # band B above band A: not ascending
    p, problems = policy_from_tables(tables)
    assert p.score.bands == Policy().score.bands
    assert len(problems) == 1 and "score.bands.min_score" in problems[0].rule


def test_descriptions_fall_back_for_new_settings() -> None:
    assert describe_setting("limits.round_to", "zh-CN").startswith("信用额度向下取整")
    assert describe_setting("x.new_setting") == "x: new setting."


def test_ambiguous_number_on_the_policy_sheet_is_listed_not_guessed() -> None:
    # issue 11: "5,000" could be 5000 or 5; with no input.decimal it is listed, default kept
    rows = [["limits.round_to", "5,000", ""]]
    p, problems = policy_from_tables({"tblPolicy": (["Setting", "Value"], rows)})
    assert p.limits.round_to == Policy().limits.round_to
    assert [(pr.row, pr.column) for pr in problems] == [(2, "limits.round_to")]
    assert "input.decimal" in problems[0].rule
    rows.append(["input.decimal", "comma", ""])
    p, problems = policy_from_tables({"tblPolicy": (["Setting", "Value"], rows)})
    assert (p.limits.round_to, problems) == (5.0, [])


def test_valid_settings_are_checked_together_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: each policy build checks every rule; a Policy sheet whose settings are all
    valid costs one build, not one per row (88 rows cost a refresh about a second). A broken
    row still gets its own problem with its row (test above)."""
    calls = []
    original = Policy.with_overrides

    def counting(self: Policy, overrides: Any) -> Policy:
        calls.append(overrides)
        return original(self, overrides)

    monkeypatch.setattr(Policy, "with_overrides", counting)
    tables = _as_sheet(Policy(base_currency="USD"), "en")
    p, problems = policy_from_tables({"tblPolicy": tables["tblPolicy"]})
    assert problems == [] and p.base_currency == "USD"
    assert len(tables["tblPolicy"][1]) > 50 and len(calls) == 1
