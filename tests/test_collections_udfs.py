"""Excel functions of collections, fed exactly what xlwings delivers (DESIGN.md section 4):
floats, None for blanks and error cells, Decimal for currency-formatted cells, datetime for
date-formatted cells, serial numbers for other dates, a column as a flat list (or a list of
one-item lists with ndim=2), TRUE/FALSE as bool."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xlcredit.excel.udf.collections as module
from xlcredit.excel.udf.collections import DUNNING_STEP, LATE_INTEREST

DUE = dt.datetime(2026, 10, 29)
AS_OF = dt.datetime(2026, 11, 28)
SERIAL_DUE, SERIAL_AS_OF = 46324.0, 46354.0  # Excel serials of 2026-10-29 and 2026-11-28
EU_EXAMPLE = 10_000 * 0.1015 * 30 / 365 + 40  # Directive 2011/7/EU: (2.15 % + 8) x 30/365, + EUR 40


# --------------------------------------------------------------------------- LATE_INTEREST
def test_late_interest_single_cells() -> None:
    assert LATE_INTEREST(10000.0, DUE, AS_OF) == pytest.approx(EU_EXAMPLE)
    assert LATE_INTEREST(Decimal("10000.00"), SERIAL_DUE, SERIAL_AS_OF) == pytest.approx(EU_EXAMPLE)
    assert LATE_INTEREST(10000.0, DUE, DUE) == 0.0  # paid on the due date


def test_late_interest_rate_and_fee_arguments() -> None:
    # 8 % typed as text with a percent sign, no fixed sum: 10,000 x 0.08 x 30 / 365 = 65.75
    assert LATE_INTEREST(10000.0, DUE, AS_OF, "8%", 0.0) == pytest.approx(65.7534, abs=1e-4)
    assert LATE_INTEREST(10000.0, DUE, AS_OF, 0.08, None) == pytest.approx(65.7534 + 40, abs=1e-4)
    assert LATE_INTEREST(10000.0, DUE, AS_OF, 10.15) == "#VALUE! annual_rate must be <= 1; got 10.15"


def test_late_interest_columns_flat_and_two_dimensional() -> None:
    flat = LATE_INTEREST([10000.0, 5000.0], [DUE, DUE], AS_OF)
    assert flat == [[pytest.approx(EU_EXAMPLE)], [pytest.approx(5000 * 0.1015 * 30 / 365 + 40)]]
    assert LATE_INTEREST([[10000.0], [5000.0]], [[DUE], [DUE]], [[AS_OF], [AS_OF]]) == flat


def test_late_interest_blanks_and_bad_cells_give_readable_errors() -> None:
    out = LATE_INTEREST([10000.0, None, -5.0, "abc", 1.0], [DUE, DUE, DUE, DUE, "soon"], AS_OF)
    assert out[0] == [pytest.approx(EU_EXAMPLE)]
    assert out[1] == ["#N/A amount, due date or payment date missing"]
    assert out[2] == ["#VALUE! amount must be >= 0; got -5"]
    assert out[3] == ["#VALUE! amount: 'abc' is not a number"]
    assert out[4][0].startswith("#VALUE! due_date: 'soon' is not a date")
    assert LATE_INTEREST(True, DUE, AS_OF) == "#VALUE! amount: TRUE is not a number"


def test_late_interest_mismatched_ranges() -> None:
    out = LATE_INTEREST([1.0, 2.0], [DUE, DUE, DUE], AS_OF)
    assert isinstance(out, str) and out.startswith("#VALUE! amount has 2 rows but due_date has 3")


cells = st.one_of(
    st.none(),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.decimals(-1000, 10**6, places=2, allow_nan=False),
    st.booleans(),
    st.text(max_size=6),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2040, 1, 1)),
)


@settings(max_examples=150, deadline=None)
@given(cells, cells, cells, cells, cells)
def test_late_interest_never_blank_never_traceback(a: Any, b: Any, c: Any, d: Any, e: Any) -> None:
    out = LATE_INTEREST(a, b, c, d, e)
    assert (isinstance(out, float) and out == out and out >= 0) or (
        isinstance(out, str) and out.startswith(("#VALUE! ", "#N/A "))
    )
    assert "internal error" not in str(out)


# --------------------------------------------------------------------------- DUNNING_STEP
def test_dunning_step_from_days_overdue() -> None:
    # default ladder (policy.DEFAULT_DUNNING)
    assert DUNNING_STEP(31.0) == "Phone call"
    assert DUNNING_STEP([0.0, 1.0, 15.0, 45.0, 60.0, 90.0]) == [
        ["Not overdue"], ["Friendly reminder"], ["Second reminder"], ["Stop supply"],
        ["Final demand"], ["Collection agency or legal action"],
    ]
    assert DUNNING_STEP(Decimal("75"), None, "zh-CN") == "最后催款函"


def test_dunning_step_from_due_dates_and_as_of() -> None:
    assert DUNNING_STEP(DUE, AS_OF) == "Phone call"  # 30 days
    assert DUNNING_STEP(SERIAL_DUE, SERIAL_AS_OF) == "Phone call"
    assert DUNNING_STEP([[DUE], [AS_OF], [dt.datetime(2026, 12, 5)]], AS_OF) == [
        ["Phone call"], ["Not overdue"], ["Not overdue"],
    ]
    assert DUNNING_STEP([DUE, DUE], [AS_OF, dt.datetime(2026, 11, 1)], "zh") == [["电话催收"], ["友好提醒"]]


def test_dunning_step_blanks_and_errors() -> None:
    assert DUNNING_STEP(None) == "#N/A days overdue or due date missing"
    assert DUNNING_STEP([None, DUE], AS_OF) == [["#N/A days overdue or due date missing"], ["Phone call"]]
    assert DUNNING_STEP("soon", AS_OF).startswith("#VALUE! due_date: 'soon' is not a date")
    assert DUNNING_STEP("lots") == "#VALUE! days_or_due_date: 'lots' is not a number"
    assert DUNNING_STEP(5.0, None, "fr") == "#VALUE! language must be one of en, zh-CN; got 'fr'."


@settings(max_examples=150, deadline=None)
@given(cells, cells)
def test_dunning_step_never_blank_never_traceback(a: Any, b: Any) -> None:
    out = DUNNING_STEP(a, b)
    assert isinstance(out, str) and out
    assert "internal error" not in out


# --------------------------------------------------------------------------- declarations
def test_names_are_not_excel_builtins_or_cell_references() -> None:
    # Excel built-ins near these names: there is no LATE_INTEREST or DUNNING_STEP in Excel's
    # function list (ACCRINT, EFFECT, IPMT are the interest functions).
    for name in module.__all__:
        assert not re.fullmatch(r"[A-Z]{1,3}[0-9]+", name)
        assert name not in {"ACCRINT", "ACCRINTM", "EFFECT", "IPMT", "INTRATE", "DAYS", "STEP"}


def test_reexported_by_the_udf_module() -> None:
    import xlcredit_udfs
    assert {"LATE_INTEREST", "DUNNING_STEP"} <= set(xlcredit_udfs.__all__)
    assert xlcredit_udfs.LATE_INTEREST is LATE_INTEREST
