"""One failure policy across the engine (issue 9, xlcredit.engine.values).

Malformed input (text where a number or a date is required) raises InputError naming the
argument, the rule and the value; an impossible value for one element (infinity, a
negative amount) gives NaN for that element with a reason, and the other elements are
computed. Before issue 9 these differed: ``trade_score("1,000", ...)`` scored 86,
``credit_limit`` raised an InputError with a fix, ``dso`` one without, ``late_interest`` a
bare ValueError.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from xlcredit.engine.aging import age_invoices, aging_totals
from xlcredit.engine.collections import build_worklist, late_interest
from xlcredit.engine.errors import InputError
from xlcredit.engine.limits import credit_limit, recommend_limits
from xlcredit.engine.plans import payment_plan
from xlcredit.engine.receivables import cei, days_beyond_terms, dso
from xlcredit.engine.scoring import score_buyers, trade_score

SOUND_SCORE = (1000.0, 600.0, 500.0, 250.0, 150.0, 80.0, 1500.0, 50.0)
DUE = pd.to_datetime(["2026-10-01"])

#: name -> (a call with text "1,000" in the named argument, that argument's name)
MALFORMED: dict[str, tuple[Callable[[], Any], str]] = {
    "trade_score": (lambda: trade_score("1,000", *SOUND_SCORE[1:]), "total_assets"),
    "credit_limit": (lambda: credit_limit(60, "1,000", 100.0, 1000.0), "equity"),
    "dso": (lambda: dso("1,000", 250000, 90), "receivables"),
    "late_interest": (lambda: late_interest("1,000", "2026-10-29", "2026-11-28"), "amount"),
    "cei": (lambda: cei(6200, "1,000", 6340, 3590), "credit_sales"),
    "days_beyond_terms": (lambda: days_beyond_terms(DUE, DUE, ["1,000"]), "amounts"),
    "aging_totals": (lambda: aging_totals(["1,000"], DUE, "2026-11-28"), "amounts"),
    "payment_plan": (lambda: payment_plan("1,000", 6, 0.05, "2026-12-01"), "amount"),
    "age_invoices": (lambda: age_invoices(pd.DataFrame({"buyer_id": ["A"], "amount": ["1,000"],
                                                        "due_date": DUE}), "2026-11-28"), "amount"),
    "build_worklist": (lambda: build_worklist(pd.DataFrame({
        "invoice_no": ["1"], "buyer_id": ["A"], "amount": ["1,000"], "due_date": DUE}), "2026-11-28"),
        "amount"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_text_where_a_number_is_required_raises_a_named_input_error(name: str) -> None:
    call, argument = MALFORMED[name]
    with pytest.raises(InputError) as info:
        call()
    message = str(info.value)
    assert message.startswith(argument), message  # the argument
    assert "must be a number" in message  # the rule
    assert "'1,000'" in message  # the value


@pytest.mark.parametrize("call", [
    lambda: late_interest(100.0, "29/10/2026", "2026-11-28"),
    lambda: days_beyond_terms([46354.0], DUE),
    lambda: age_invoices(pd.DataFrame({"buyer_id": ["A"], "amount": [1.0], "due_date": [46354.0]}),
                         "2026-11-28"),
])
def test_dates_the_engine_would_have_to_guess_are_refused_by_name(call: Callable[[], Any]) -> None:
    with pytest.raises(InputError, match=r"must be a date \(datetime64, a date, or ISO text"):
        call()


def test_impossible_values_are_nan_with_a_reason_per_element() -> None:
    # trade_score: the engine's score_buyers says why
    frame = score_buyers({"total_assets": [1000.0, math.inf, -1.0], "total_liabilities": 600.0,
                          "current_assets": 500.0, "current_liabilities": 250.0,
                          "retained_earnings": 150.0, "ebit": 80.0, "revenue": 1500.0})
    assert not math.isnan(frame["score"][0]) and frame["problem"].isna()[0]
    assert frame["score"][1:].isna().all()
    assert frame["problem"][1:].tolist() == ["total_assets must be a finite number; got inf",
                                             "total_assets must be > 0; got -1"]
    # credit_limit: NaN, and recommend_limits gives the reason
    assert np.isnan(credit_limit([60, 60], [1e6, math.inf], 1e5, 1e6)).tolist() == [False, True]
    assert recommend_limits([60, 60], [1e6, math.inf], 1e5, 1e6)["reason"][1] == (
        "equity must be a finite number; got inf")
    # dso
    values, why = dso([100.0, math.inf], 1000.0, 365, with_reasons=True)
    assert values[0] == pytest.approx(36.5) and math.isnan(values[1])
    assert why.tolist() == [None, "receivables must be a finite number; got inf"]
    # late_interest (was a bare ValueError on text; gave no reason for NaN)
    values, why = late_interest([10_000.0, -5.0, math.inf], "2026-10-29", "2026-11-28",
                                with_reasons=True)
    assert values[0] == pytest.approx(123.42, abs=0.005)  # 10,000 x 10.15 % x 30 / 365 + 40
    assert np.isnan(values[1:]).all()
    assert why.tolist() == [None, "amount must be >= 0", "amount must be a finite number"]
    # the ledger: an infinite amount is set aside and listed, the other invoice aged
    aged = age_invoices(pd.DataFrame({"buyer_id": ["A", "A"], "invoice_no": ["1", "2"],
                                      "amount": [math.inf, 70.0],
                                      "due_date": pd.to_datetime(["2026-10-01"] * 2)}), "2026-11-28")
    assert aged.total["Total"] == 70.0
    assert aged.unaged[["invoice_no", "reason"]].values.tolist() == [["1", "amount is not a finite number"]]


def test_every_refusal_says_where_cells_are_read() -> None:
    for call, _ in MALFORMED.values():
        with pytest.raises(InputError) as info:
            call()
        assert re.search(r"xlcredit\.workbook\.excel_values\.to_\w+ first", str(info.value))
