"""Excel functions PAYMENT_PLAN, PLAN_RESCHEDULE and PLAN_PAYMENT, fed exactly what xlwings
delivers (DESIGN.md section 4): floats, None for blanks, datetime for date cells, serial
numbers for other dates, Decimal for currency cells, text typed by people, flat lists for
one-column ranges and lists of one-item lists with ndim=2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlcredit.engine.plans import payment_plan, reschedule
from xlcredit.excel.udf.plans import HEADER, PAYMENT_PLAN, PLAN_PAYMENT, PLAN_RESCHEDULE

MAR_2_2026 = 46083.0  # Excel serial of 2026-03-02 (46354 = 2026-11-28, see excel_values)


def cents(column: list[Any]) -> int:
    return int(sum(round(v * 100) for v in column))


# --------------------------------------------------------------------------- PAYMENT_PLAN
def test_payment_plan_spills_header_and_rows() -> None:
    # Excel doc PMT example: 10,000 over 10 months at 8 % -> 1,037.03
    table = PAYMENT_PLAN(10000.0, 10.0, 0.08, dt.datetime(2026, 3, 2))
    assert table[0] == ["No", "Due date", "Payment", "Interest", "Principal", "Balance"] == HEADER
    assert len(table) == 11 and all(len(row) == 6 for row in table)
    body = table[1:]
    assert [row[0] for row in body] == list(range(1, 11))
    assert all(type(row[1]) is dt.datetime for row in body)  # xlwings writes dates
    assert all(row[2] == 1037.03 for row in body[:-1])
    assert cents([row[4] for row in body]) == 1_000_000
    assert body[-1][5] == 0.0


def test_payment_plan_same_as_engine() -> None:
    table = PAYMENT_PLAN(12000.0, 8.0, 0.06, MAR_2_2026, "quarterly", "equal_principal", 2000.0)
    plan = payment_plan(12000, 8, 0.06, "2026-03-02", "quarterly", "equal_principal", 2000)
    assert [row[2:] for row in table[1:]] == plan[["payment", "interest", "principal", "balance"]].to_numpy().tolist()
    assert [row[1].date() for row in table[1:]] == list(plan.due_date.dt.date)


@pytest.mark.parametrize(
    "cells",
    [
        (Decimal("10000.00"), 10.0, "8%", MAR_2_2026),  # currency cell, rate typed as text
        ("10,000.00", "10", 0.08, "2026-03-02"),  # numbers and date typed as text
        ([[10000.0]], [[10.0]], [[0.08]], [[dt.datetime(2026, 3, 2)]]),  # ndim=2 single cells
        (10000.0, 10.0, 0.08, "2026年3月2日"),
    ],
)
def test_payment_plan_accepts_what_excel_sends(cells: tuple[Any, ...]) -> None:
    table = PAYMENT_PLAN(*cells)
    assert isinstance(table, list) and table[1][1] == dt.datetime(2026, 3, 2)
    assert table[1][2] == 1037.03


def test_ambiguous_text_number_is_a_named_error_not_a_guess() -> None:
    # issue 11: "10,000" could be 10000 or 10; refresh lists it, the function names it
    result = PAYMENT_PLAN("10,000", 10.0, 0.08, MAR_2_2026)
    assert isinstance(result, str) and result.startswith("#VALUE! amount: '10,000' could be 10000 or 10")


def test_payment_plan_blank_optionals_are_defaults() -> None:
    assert PAYMENT_PLAN(10000.0, 10.0, 0.08, MAR_2_2026, None, None, None) == PAYMENT_PLAN(
        10000.0, 10.0, 0.08, MAR_2_2026, "monthly", "annuity", 0.0)
    assert PAYMENT_PLAN(10000.0, 10.0, 0.08, MAR_2_2026, "", "", "") == PAYMENT_PLAN(
        10000.0, 10.0, 0.08, MAR_2_2026)


def test_payment_plan_chinese_method_names() -> None:
    assert PAYMENT_PLAN(10000.0, 4.0, 0.08, MAR_2_2026, "每季", "等额本金") == PAYMENT_PLAN(
        10000.0, 4.0, 0.08, MAR_2_2026, "quarterly", "equal_principal")


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        ((10000.0, 0.0, 0.08, MAR_2_2026), "#VALUE! installments must be an integer from 1 to 600; got 0."),
        ((10000.0, 12.5, 0.08, MAR_2_2026), "#VALUE! installments must be an integer from 1 to 600; got 12.5."),
        ((10000.0, None, 0.08, MAR_2_2026), "#VALUE! installments must be an integer from 1 to 600; got blank."),
        ((10000.0, 10.0, 8.0, MAR_2_2026), "#VALUE! annual_rate must be a number from 0 to 1 (give 8% or 0.08); got 8."),
        ((-10000.0, 10.0, 0.08, MAR_2_2026), "#VALUE! amount must be > 0; got -10000."),
        ((None, 10.0, 0.08, MAR_2_2026), "#VALUE! amount must be a number; got blank."),
        (("abc", 10.0, 0.08, MAR_2_2026), "#VALUE! amount: 'abc' is not a number"),
        ((True, 10.0, 0.08, MAR_2_2026), "#VALUE! amount: TRUE is not a number"),
        ((10000.0, 10.0, 0.08, None), "#VALUE! first_due_date must be a date such as 2026-11-30; got blank."),
        ((10000.0, 10.0, 0.08, "soon"),
         "#VALUE! first_due_date: 'soon' is not a date (use 2026-11-28, 28/11/2026 or 2026年11月28日)"),
        ((10000.0, 10.0, 0.08, MAR_2_2026, "yearly"),
         "#VALUE! frequency must be one of 'monthly', 'weekly', 'biweekly', 'quarterly'; got 'yearly'."),
        ((10000.0, 10.0, 0.08, MAR_2_2026, None, "balloon"),
         "#VALUE! method must be one of 'annuity', 'equal_principal'; got 'balloon'."),
        ((10000.0, 10.0, 0.08, MAR_2_2026, 12.0), "#VALUE! frequency must be text; got 12."),
        ((10000.0, 10.0, 0.08, MAR_2_2026, None, None, 10000.0),
         "#VALUE! down_payment must be >= 0 and < amount (10000); got 10000."),
        (([10000.0, 5000.0], 10.0, 0.08, MAR_2_2026),
         "#VALUE! amount must be a single cell; got a range of 2 cells."),
    ],
)
def test_payment_plan_errors_are_one_readable_cell(cells: tuple[Any, ...], error: str) -> None:
    assert PAYMENT_PLAN(*cells) == error


excel_cell = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.text(max_size=12),
    st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2100, 1, 1)),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1e9, max_value=1e9),
    st.sampled_from(["8%", "1,234.50", "¥3,000", "monthly", "等额本金", "2026-03-02", "N/A"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(excel_cell, min_size=7, max_size=7))
def test_never_a_traceback(cells: list[Any]) -> None:
    """Whatever the cells hold: a table or one "#VALUE! ..." string, never an internal error."""
    out = PAYMENT_PLAN(*cells)
    if isinstance(out, str):
        assert out.startswith("#VALUE! ") and "internal error" not in out, out
    else:
        assert out[0] == HEADER and out[-1][5] == 0.0
    paid = PLAN_PAYMENT(cells[0], cells[1], cells[2], cells[4], cells[5], cells[6])
    assert not (isinstance(paid, str) and "internal error" in paid), paid


# --------------------------------------------------------------------------- PLAN_RESCHEDULE
ORIGINAL = (10000.0, 10.0, 0.08, dt.datetime(2026, 1, 31))
AS_OF = dt.datetime(2026, 5, 15)


def test_reschedule_plan_and_summary() -> None:
    # Paid 2 of 10, missed lines 3 and 4; agreement on 2026-05-15 with 10 % late interest
    engine = reschedule(10000, 10, 0.08, "2026-01-31", 2, "2026-05-15", "keep_payment", 0.10)
    table = PLAN_RESCHEDULE(*ORIGINAL, 2.0, AS_OF, None, 0.10)
    assert table[0] == HEADER and len(table) == len(engine.plan) + 1
    assert [row[2] for row in table[1:]] == engine.plan.payment.tolist()
    summary = PLAN_RESCHEDULE(*ORIGINAL, 2.0, AS_OF, None, "10%", None, None, None, "summary")
    values = dict((label, value) for label, value in summary)
    assert values["Arrears"] == 2074.06
    assert values["Late interest"] == 17.05
    assert values["Rescheduled amount"] == 8170.68
    assert values["New instalment"] == 1037.03
    assert values["First due date"] == dt.datetime(2026, 6, 1)
    assert all(len(row) == 2 for row in summary) and len(summary) == 16


def test_reschedule_keep_term_and_defaults() -> None:
    table = PLAN_RESCHEDULE(*ORIGINAL, 2.0, 46157.0, "keep_term", 0.10)  # 46157 = 2026-05-15
    assert len(table) == 7 and table[1][2] == 1393.73
    # blank late_rate: the policy's late interest (reference rate + 8 points = 10.15 %)
    summary = dict(PLAN_RESCHEDULE(*ORIGINAL, 2.0, AS_OF, None, None, None, None, None, "summary"))
    assert summary["Late interest rate"] == pytest.approx(0.1015)


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ((11.0, AS_OF), "#VALUE! paid_installments must be an integer from 0 to 10; got 11."),
        ((2.0, None), "#VALUE! as_of must be a date such as 2026-11-30; got blank."),
        ((2.0, AS_OF, "sometime"), "#VALUE! mode must be one of 'keep_payment', 'keep_term'; got 'sometime'."),
        ((2.0, AS_OF, None, 10.0), "#VALUE! late_rate must be a number from 0 to 1 (give 8% or 0.08); got 10."),
        ((2.0, AS_OF, None, None, None, None, None, "chart"),
         "#VALUE! show must be one of 'plan', 'summary'; got 'chart'."),
    ],
)
def test_reschedule_errors(extra: tuple[Any, ...], error: str) -> None:
    assert PLAN_RESCHEDULE(*ORIGINAL, *extra) == error


# --------------------------------------------------------------------------- PLAN_PAYMENT
def test_plan_payment_single_and_column() -> None:
    assert PLAN_PAYMENT(10000.0, 10.0, 0.08) == 1037.03  # Excel doc PMT example
    out = PLAN_PAYMENT([[10000.0], [Decimal("5000")], [None], ["abc"]], 12.0, "8%")
    assert out == [[869.88], [434.94], ["#N/A not enough data"], ["#VALUE! amount: 'abc' is not a number"]]
    col = PLAN_PAYMENT([12000.0, 12000.0], [12.0, 6.0], 0.0, None, "equal_principal", [0.0, 6000.0])
    assert col == [[1000.0], [1000.0]]


def test_plan_payment_errors() -> None:
    assert PLAN_PAYMENT([1000.0, 1000.0], [10.0, 0.0], 0.08) == (
        "#VALUE! installments must be an integer from 1 to 600; got 0 (row 2).")
    assert PLAN_PAYMENT([1000.0, 1000.0], [10.0, 10.0, 10.0], 0.08).startswith(
        "#VALUE! amount has 2 rows but installments has 3")


def test_plan_payment_agrees_with_plans() -> None:
    amounts = [1000.0, 2500.55, 99999.99]
    out = PLAN_PAYMENT(amounts, [12.0, 5.0, 360.0], [0.05, 0.0, 0.2], "weekly")
    want = [payment_plan(a, n, r, "2026-03-02", "weekly").payment.iloc[0]
            for a, n, r in zip(amounts, [12, 5, 360], [0.05, 0.0, 0.2], strict=True)]
    assert np.array(out).ravel().tolist() == want


# --------------------------------------------------------------------------- declarations
def test_reexported_by_udf_module() -> None:
    import xlcredit_udfs

    assert {"PAYMENT_PLAN", "PLAN_RESCHEDULE", "PLAN_PAYMENT"} <= set(xlcredit_udfs.__all__)
    assert xlcredit_udfs.PLAN_PAYMENT(10000.0, 10.0, 0.08) == 1037.03
