"""Payment plans (issue 3): schedules against Excel and numpy-financial, invariants, dates,
errors and rescheduling after missed instalments."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction
from typing import Any

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import plan_terms

from xlcredit.engine.errors import InputError
from xlcredit.engine.plans import (
    COLUMNS,
    FREQUENCIES,
    due_dates,
    installment,
    payment_plan,
    period_rate,
    reschedule,
)
from xlcredit.engine.policy import Policy

NO_WEEKEND_RULE = Policy.from_dict({"plans": {"weekend_rule": "none"}})
SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cents(values: Any) -> np.ndarray:
    """Money column to integer cents (the plan's values are exact cents as floats)."""
    out = np.rint(np.asarray(values, dtype=float) * 100).astype(np.int64)
    assert np.allclose(out / 100, values, atol=1e-9, rtol=0), "not a whole number of cents"
    return out


def financed_cents(terms: dict[str, Any]) -> int:
    return round(terms["amount"] * 100) - round(terms["down_payment"] * 100)


# --------------------------------------------------------------------------- Excel anchors
def test_excel_pmt_documentation_example() -> None:
    # Excel doc, "PMT function": PMT(8%/12, 10, 10000) = -1,037.03
    assert npf.pmt(0.08 / 12, 10, 10000) == pytest.approx(-1037.03, abs=0.005)
    assert installment(10000, 10, 0.08) == 1037.03
    plan = payment_plan(10000, 10, 0.08, dt.date(2026, 1, 31))
    assert list(plan.columns) == list(COLUMNS)
    assert plan.payment.iloc[:-1].eq(1037.03).all()
    # first line: interest 10000 x 8%/12 = 66.67, principal 1037.03 - 66.67
    assert plan.interest.iloc[0] == 66.67
    assert plan.principal.iloc[0] == 970.36


def test_zero_rate_is_amount_over_instalments() -> None:
    # Excel: PMT(0, 3, 10000) = -3,333.33; the last instalment takes the odd cent
    plan = payment_plan(10000, 3, 0, "2026-03-02")
    assert plan.payment.tolist() == [3333.33, 3333.33, 3333.34]
    assert plan.interest.eq(0).all()


def test_period_rate_convention() -> None:
    # The PMT(rate/12, ...) convention: nominal annual rate over periods per year
    assert period_rate(0.08, "monthly") == pytest.approx(0.08 / 12)
    assert period_rate(0.26, "biweekly") == pytest.approx(0.01)
    assert period_rate(0.52, "weekly") == pytest.approx(0.01)
    assert period_rate(0.08, "quarterly") == pytest.approx(0.02)
    for freq, m in FREQUENCIES.items():
        plan = payment_plan(100000, 12, 0.12, "2026-03-02", freq)
        assert plan.interest.iloc[0] == round(100000 * 0.12 / m, 2)


def test_down_payment_is_not_financed() -> None:
    plan = payment_plan(12000, 10, 0.08, "2026-03-02", down_payment=2000)
    assert installment(12000, 10, 0.08, down_payment=2000) == 1037.03
    assert plan.payment.iloc[0] == 1037.03
    assert cents(plan.principal).sum() == 1_000_000


def test_equal_principal_by_hand() -> None:
    # 10,000 over 4 quarters at 8 %: principal 2,500; interest 2 % of the balance before
    plan = payment_plan(10000, 4, 0.08, "2026-03-31", "quarterly", "equal_principal")
    assert plan.principal.tolist() == [2500.0] * 4
    assert plan.interest.tolist() == [200.0, 150.0, 100.0, 50.0]
    assert plan.payment.tolist() == [2700.0, 2650.0, 2600.0, 2550.0]
    assert plan.balance.tolist() == [7500.0, 5000.0, 2500.0, 0.0]


def test_equal_principal_odd_cents_go_first() -> None:
    plan = payment_plan(100, 3, 0, "2026-03-02", method="equal_principal")
    assert plan.principal.tolist() == [33.34, 33.33, 33.33]


def test_chinese_method_and_frequency_names() -> None:
    a = payment_plan(10000, 6, 0.06, "2026-03-02", "每月", "等额本金")
    b = payment_plan(10000, 6, 0.06, "2026-03-02", "monthly", "equal_principal")
    pd.testing.assert_frame_equal(a, b)
    c = payment_plan(10000, 6, 0.06, "2026-03-02", "Quarterly", "等额本息")
    assert c.due_date.iloc[1] == pd.Timestamp("2026-06-02")


# --------------------------------------------------------------------------- numpy-financial
@SLOW
@given(plan_terms())
def test_annuity_agrees_with_numpy_financial(terms: dict[str, Any]) -> None:
    """Each line within one cent of numpy-financial's ipmt / ppmt before the last (which
    absorbs rounding); the instalment is pmt rounded to the cent; sums exact.

    numpy-financial computes balances as P(1+r)^k - A((1+r)^k - 1)/r, which loses digits
    when (1+r)^n is large (e.g. 100 % a year over 300 months); ``slack`` allows for that
    error of the reference (test_exact_interest_where_numpy_financial_loses_digits checks
    our lines against exact fractions in such a case)."""
    terms = {**terms, "method": "annuity"}
    n = terms["installments"]
    financed = financed_cents(terms) / 100
    r = terms["annual_rate"] / FREQUENCIES[terms["frequency"]]
    per = np.arange(1, n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):  # numpy-financial's zero-rate branch
        pmt = -float(npf.pmt(r, n, financed))
        ipmt = -np.asarray(npf.ipmt(r, per, n, financed), dtype=float)
        ppmt = -np.asarray(npf.ppmt(r, per, n, financed), dtype=float)
    # Plans of less than ~2 cents per instalment per line cannot follow pmt to the cent.
    assume(pmt >= 0.02 * n)
    plan = payment_plan(**terms)
    slack = 1e-6 + 64 * np.finfo(float).eps * financed * (1 + r) ** n
    head = slice(0, n - 1)
    # half a cent, plus the float noise allowed at a tie (see plans._cents)
    assert np.all(np.abs(plan.payment.to_numpy()[head] - pmt) <= 0.005 + 1e-13 * pmt + 1e-9)
    assert np.all(np.abs(plan.interest.to_numpy()[head] - ipmt[head]) <= 0.005 + slack)
    assert np.all(np.abs(plan.principal.to_numpy()[head] - ppmt[head]) <= 0.01 + slack)
    # the last line: its interest still within half a cent of ipmt; principal is the rest
    assert abs(plan.interest.iloc[-1] - ipmt[-1]) <= 0.005 + slack
    assert cents(plan.principal).sum() == financed_cents(terms)
    assert plan.balance.iloc[-1] == 0


def test_exact_interest_where_numpy_financial_loses_digits() -> None:
    # 84.80 over 319 months at 100 % a year: exact rational arithmetic as the reference
    p, r, n = Fraction(8480, 100), Fraction(1, 12), 319
    growth = (1 + r) ** n
    pmt = p * r * growth / (growth - 1)
    plan = payment_plan(84.8, n, 1.0, "2026-03-02")
    assert plan.payment.iloc[0] == round(float(pmt), 2)
    for k in range(1, n):
        g = (1 + r) ** (k - 1)
        exact = (p * g - pmt * (g - 1) / r) * r
        assert abs(plan.interest.iloc[k - 1] - float(exact)) <= 0.005 + 1e-9


def test_numpy_financial_side_by_side_excel_example() -> None:
    # Excel doc PMT example, line by line against IPMT / PPMT
    plan = payment_plan(10000, 10, 0.08, "2026-03-02")
    per = np.arange(1, 11)
    ipmt = -npf.ipmt(0.08 / 12, per, 10, 10000)
    ppmt = -npf.ppmt(0.08 / 12, per, 10, 10000)
    np.testing.assert_allclose(plan.interest[:-1], ipmt[:-1], atol=0.005 + 1e-9)
    np.testing.assert_allclose(plan.principal[:-1], ppmt[:-1], atol=0.01 + 1e-9)
    assert plan.payment.iloc[-1] == pytest.approx(-npf.pmt(0.08 / 12, 10, 10000), abs=0.10)


# --------------------------------------------------------------------------- invariants
@SLOW
@given(plan_terms())
def test_plan_invariants(terms: dict[str, Any]) -> None:
    plan = payment_plan(**terms)
    n = terms["installments"]
    assert len(plan) == n and plan.no.tolist() == list(range(1, n + 1))
    payment, interest, principal, balance = (cents(plan[c]) for c in ("payment", "interest", "principal", "balance"))
    financed = financed_cents(terms)
    assert principal.sum() == financed  # principal adds up to amount - down payment, exactly
    assert balance[-1] == 0
    assert np.all(payment == interest + principal)
    assert np.all(balance == financed - np.cumsum(principal))
    assert np.all(np.diff(np.concatenate(([financed], balance))) <= 0)  # never increases
    assert np.all(principal >= 0) and np.all(interest >= 0)
    if terms["method"] == "equal_principal":
        assert np.all(np.diff(payment) <= 0)
        assert principal.max() - principal.min() <= 1
    if terms["annual_rate"] == 0:
        assert interest.sum() == 0


@SLOW
@given(plan_terms(zero_rate=True))
def test_zero_rate_gives_equal_payments(terms: dict[str, Any]) -> None:
    financed = financed_cents(terms)
    n = terms["installments"]
    # At least 3.00 per instalment: below that, n x rounding can exceed the amount itself.
    assume(financed >= 300 * n)
    payment = cents(payment_plan(**terms).payment)
    if terms["method"] == "annuity":
        assert np.all(payment[:-1] == payment[0])
        assert abs(payment[-1] - payment[0]) <= n // 2 + 1
    else:
        assert payment.max() - payment.min() <= 1


@SLOW
@given(plan_terms(max_installments=60), st.sampled_from([Policy(), NO_WEEKEND_RULE]))
def test_due_dates(terms: dict[str, Any], policy: Policy) -> None:
    plan = payment_plan(**terms, policy=policy)
    dates = plan.due_date.dt.date.tolist()
    first: dt.date = terms["first_due_date"]
    assert all(b > a for a, b in itertools.pairwise(dates))
    scheduled = pd.DatetimeIndex(due_dates(first, terms["installments"], terms["frequency"], NO_WEEKEND_RULE))
    shift = (pd.DatetimeIndex(plan.due_date) - scheduled).days
    if policy.plans.weekend_rule == "following":
        assert all(d.weekday() < 5 for d in dates)
        assert np.all((shift >= 0) & (shift <= 2))
    else:
        assert np.all(shift == 0)
    if terms["frequency"] in ("monthly", "quarterly"):
        step = 1 if terms["frequency"] == "monthly" else 3
        for k, d in enumerate(scheduled.date):
            months = first.month - 1 + k * step
            year, month = first.year + months // 12, months % 12 + 1
            last = (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).day
            assert d == dt.date(year, month, min(first.day, last))
    else:
        days = scheduled.to_numpy().astype("datetime64[D]").astype(np.int64)
        assert np.all(np.diff(days) == (7 if terms["frequency"] == "weekly" else 14))


def test_month_end_dates_clamp_and_return() -> None:
    # Jan 31 -> Feb 28/29 -> Mar 31 (the example), no weekend rule
    dates = [str(d) for d in due_dates("2027-01-31", 4, policy=NO_WEEKEND_RULE)]
    assert dates == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
    leap = [str(d) for d in due_dates("2028-01-31", 3, policy=NO_WEEKEND_RULE)]
    assert leap == ["2028-01-31", "2028-02-29", "2028-03-31"]


def test_weekend_rule_following() -> None:
    # 2026-11-28 is a Saturday, 2026-11-29 a Sunday: both move to Monday 2026-11-30
    assert str(due_dates("2026-11-28", 1)[0]) == "2026-11-30"
    assert str(due_dates("2026-11-29", 1)[0]) == "2026-11-30"
    assert str(due_dates("2026-11-28", 1, policy=NO_WEEKEND_RULE)[0]) == "2026-11-28"
    # weekly from a Saturday: every line on the following Monday, still 7 days apart
    dates = due_dates("2026-11-28", 3, "weekly")
    assert [str(d) for d in dates] == ["2026-11-30", "2026-12-07", "2026-12-14"]


def test_large_plan_is_fast_and_exact() -> None:
    plan = payment_plan(123_456_789.01, 600, 0.35, "2026-03-02", "weekly")
    assert cents(plan.principal).sum() == 12_345_678_901
    assert plan.balance.iloc[-1] == 0


def test_vectorised_installment_matches_plans() -> None:
    amounts = np.array([10000.0, 2500.5, 99.99, 1e6])
    counts = np.array([10, 7, 3, 600])
    rates = np.array([0.08, 0.0, 0.15, 1.0])
    for method in ("annuity", "equal_principal"):
        got = installment(amounts, counts, rates, method=method)
        want = [payment_plan(a, n, r, "2026-03-02", method=method).payment.iloc[0] for a, n, r in zip(amounts, counts, rates, strict=True)]
        np.testing.assert_array_equal(got, want)


def test_installment_blank_is_unknown() -> None:
    got = installment([10000.0, np.nan], [10, 10], 0.08)
    assert got[0] == 1037.03 and np.isnan(got[1])


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"installments": 0}, "installments must be an integer from 1 to 600; got 0."),
        ({"installments": 601}, "installments must be an integer from 1 to 600; got 601."),
        ({"installments": 2.5}, "installments must be an integer from 1 to 600; got 2.5."),
        ({"installments": "ten"}, "installments must be an integer from 1 to 600; got 'ten'."),
        ({"annual_rate": 8}, "annual_rate must be a number from 0 to 1 (give 8% or 0.08); got 8."),
        ({"annual_rate": -0.01}, "annual_rate must be a number from 0 to 1 (give 8% or 0.08); got -0.01."),
        ({"amount": -5}, "amount must be > 0; got -5."),
        ({"amount": 0}, "amount must be > 0; got 0."),
        ({"amount": 1e300}, "amount must be below 1e13 (10 trillion); got 1e+300."),
        ({"amount": float("nan")}, "amount must be a number; got blank."),
        ({"down_payment": 10000}, "down_payment must be >= 0 and < amount (10000); got 10000."),
        ({"down_payment": -1}, "down_payment must be >= 0 and < amount (10000); got -1."),
        ({"frequency": "yearly"}, "frequency must be one of 'monthly', 'weekly', 'biweekly', 'quarterly'; got 'yearly'."),
        ({"method": "bullet"}, "method must be one of 'annuity', 'equal_principal'; got 'bullet'."),
        ({"first_due_date": "soon"}, "first_due_date must be a date such as 2026-11-30; got 'soon'."),
        ({"first_due_date": None}, "first_due_date must be a date such as 2026-11-30; got blank."),
        ({"installments": float("nan")}, "installments must be an integer from 1 to 600; got blank."),
    ],
)
def test_clear_errors(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"amount": 10000, "installments": 10, "annual_rate": 0.08, "first_due_date": "2026-03-02"}
    with pytest.raises(InputError) as info:
        payment_plan(**{**args, **kwargs})
    assert str(info.value) == message


def test_installment_error_names_the_row() -> None:
    with pytest.raises(InputError, match=r"installments must be an integer from 1 to 600; got 0 \(row 2\)\."):
        installment([1000, 1000], [10, 0], 0.08)


# --------------------------------------------------------------------------- rescheduling
def test_reschedule_by_hand() -> None:
    # Ten monthly instalments of 1,037.03 from 2026-01-31; lines 1-2 paid; lines 3 and 4
    # (due 2026-03-31 and 2026-04-30) missed; agreement on 2026-05-15, late interest 10 %.
    old = payment_plan(10000, 10, 0.08, "2026-01-31")
    new, s = reschedule(10000, 10, 0.08, "2026-01-31", 2, "2026-05-15", late_rate=0.10)
    assert s["missed_installments"] == 2
    assert s["arrears"] == 2 * 1037.03
    # simple daily interest, 365-day basis: 45 and 15 days late
    assert s["late_interest"] == round(1037.03 * 0.10 * (45 + 15) / 365, 2) == 17.05
    assert s["remaining_principal"] == old.balance.iloc[3] == 6079.57
    assert s["rescheduled_amount"] == round(2074.06 + 17.05 + 6079.57, 2)
    # keep_payment: same instalment, longer term; the new plan starts at line 5's date
    assert s["first_due_date"] == dt.date(2026, 6, 1)
    assert new.payment.iloc[:-1].eq(1037.03).all() and new.payment.iloc[-1] <= 1037.03
    assert s["new_installments"] == len(new) == 9 > s["old_installments_left"] == 6
    assert cents(new.principal).sum() == 817068 and new.balance.iloc[-1] == 0
    assert new.interest.iloc[0] == round(8170.68 * 0.08 / 12, 2)


def test_reschedule_keep_term() -> None:
    new, s = reschedule(10000, 10, 0.08, "2026-01-31", 2, "2026-05-15", "keep_term", 0.10)
    same = payment_plan(s["rescheduled_amount"], 6, 0.08, "2026-05-31")
    pd.testing.assert_frame_equal(new, same)
    assert s["new_installments"] == 6 and s["last_due_date"] == dt.date(2026, 11, 2)
    assert s["new_installment"] > s["old_installment"]


def test_reschedule_default_late_rate_is_policy() -> None:
    s = reschedule(10000, 10, 0.08, "2026-01-31", 2, "2026-05-15").summary
    policy = Policy()
    assert s["late_rate"] == policy.late_interest.annual_rate == pytest.approx(0.1015)
    assert s["late_interest"] == round(1037.03 * 0.1015 * 60 / 365, 2)
    assert reschedule(10000, 10, 0.08, "2026-01-31", 2, "2026-05-15", late_rate=0).summary["late_interest"] == 0


def test_reschedule_nothing_missed_keeps_the_plan() -> None:
    # All due instalments paid: keep_term gives back the rest of the plan (to the cent)
    old = payment_plan(10000, 10, 0.08, "2026-01-31")
    new, s = reschedule(10000, 10, 0.08, "2026-01-31", 4, "2026-05-15", "keep_term")
    assert s["missed_installments"] == 0 and s["arrears"] == 0 and s["late_interest"] == 0
    np.testing.assert_allclose(new.payment[:-1], old.payment[4:-1], atol=0.01)
    assert (new.due_date.to_numpy() == old.due_date.to_numpy()[4:]).all()


def test_reschedule_after_the_plan_ended() -> None:
    # Nothing paid and the whole term over: keep_term puts all in the next due date
    new, s = reschedule(1200, 3, 0.12, "2026-01-15", 0, "2026-06-20", "keep_term", 0.0)
    assert s["missed_installments"] == 3 and len(new) == 1
    assert new.due_date.iloc[0] == pd.Timestamp("2026-07-15")
    assert new.principal.iloc[0] == s["rescheduled_amount"]


def test_reschedule_keep_payment_impossible() -> None:
    # 0.50 a month cannot pay 1 % a month on 1,000
    with pytest.raises(InputError, match="keep_payment' needs an instalment above the interest"):
        reschedule(1000, 600, 0.12, "2026-01-15", 0, "2030-01-20", late_rate=0.5)


def test_reschedule_equal_principal_keep_payment() -> None:
    new, s = reschedule(12000, 12, 0.06, "2026-01-15", 1, "2026-04-20", method="equal_principal", late_rate=0)
    # 1,000 principal per instalment kept: ceil(rescheduled / 1,000) instalments
    assert s["new_installments"] == int(np.ceil(s["rescheduled_amount"] / 1000 - 0.01))
    assert new.principal.max() <= 1000.0
    assert cents(new.principal).sum() == round(s["rescheduled_amount"] * 100)


def test_reschedule_errors() -> None:
    with pytest.raises(InputError, match=r"paid_installments must be an integer from 0 to 10; got 11\."):
        reschedule(10000, 10, 0.08, "2026-01-31", 11, "2026-05-15")
    with pytest.raises(InputError, match=r"mode must be one of 'keep_payment', 'keep_term'; got 'later'\."):
        reschedule(10000, 10, 0.08, "2026-01-31", 1, "2026-05-15", "later")
    with pytest.raises(InputError, match=r"late_rate must be a number from 0 to 1 \(give 8% or 0.08\); got 10\."):
        reschedule(10000, 10, 0.08, "2026-01-31", 1, "2026-05-15", late_rate=10)
    with pytest.raises(InputError, match=r"as_of must be a date"):
        reschedule(10000, 10, 0.08, "2026-01-31", 1, None)
    with pytest.raises(InputError, match="nothing to reschedule"):
        reschedule(10000, 10, 0.08, "2026-01-31", 10, "2026-05-15")


@SLOW
@given(
    plan_terms(max_installments=120),
    st.integers(0, 120),
    st.integers(-60, 4000),
    st.sampled_from(["keep_payment", "keep_term"]),
    st.floats(0, 0.3),
)
def test_reschedule_invariants(terms: dict[str, Any], paid: int, days: int, mode: str, late: float) -> None:
    n = terms["installments"]
    paid = min(paid, n - 1)
    as_of = terms["first_due_date"] + dt.timedelta(days=days)
    old = payment_plan(**terms)
    try:
        new, s = reschedule(**terms, paid_installments=paid, as_of=as_of, mode=mode, late_rate=late)
    except InputError as exc:  # keep_payment can be impossible; a plan can be paid off
        if "nothing to reschedule" in str(exc):  # plans of a few cents end early
            assert paid > 0 and old.balance.iloc[paid - 1] == 0 and old.payment.iloc[paid:].sum() == 0
        else:
            assert mode == "keep_payment" and ("interest of one period" in str(exc) or "at most 600" in str(exc))
        return
    total = round(s["arrears"] * 100) + round(s["late_interest"] * 100) + round(s["remaining_principal"] * 100)
    assert round(s["rescheduled_amount"] * 100) == total
    assert cents(new.principal).sum() == total and new.balance.iloc[-1] == 0
    assert s["arrears"] == pytest.approx(float(old.payment.iloc[paid : paid + s["missed_installments"]].sum()), abs=1e-6)
    assert (new.due_date >= pd.Timestamp(as_of)).all()
    assert new.due_date.is_monotonic_increasing
    if mode == "keep_term":
        due_before = int((old.due_date < pd.Timestamp(as_of)).sum())
        assert len(new) == max(n - max(paid, due_before), 1)
    elif terms["method"] == "annuity":
        assert np.all(new.payment.iloc[:-1] == s["old_installment"])


@pytest.mark.parametrize(
    "kwargs",
    [{"installments": 0}, {"installments": 2.5}, {"annual_rate": 8}, {"amount": -5},
     {"amount": 1e300}, {"down_payment": 10000}, {"down_payment": -1}, {"down_payment": 9999.999}],
)
def test_installment_errors_match_payment_plan(kwargs: dict[str, Any]) -> None:
    """The vectorised checks of ``installment`` say what ``payment_plan`` says."""
    args: dict[str, Any] = {"amount": 10000, "installments": 10, "annual_rate": 0.08, "down_payment": 0.0}
    args.update(kwargs)
    with pytest.raises(InputError) as plan_error:
        payment_plan(args["amount"], args["installments"], args["annual_rate"], "2026-03-02",
                     down_payment=args["down_payment"])
    with pytest.raises(InputError) as vector_error:
        installment(args["amount"], args["installments"], args["annual_rate"], down_payment=args["down_payment"])
    assert str(vector_error.value) == str(plan_error.value)


def test_plan_errors_render_in_the_language_of_where_they_are_shown() -> None:
    # the engine raises catalogue messages: English as before, Chinese where the workbook is Chinese
    with pytest.raises(InputError) as rate:
        payment_plan(10000, 10, 8, "2026-01-31")
    assert str(rate.value) == "annual_rate must be a number from 0 to 1 (give 8% or 0.08); got 8."
    assert rate.value.render("zh-CN") == "annual_rate 必须是 0 至 1 之间的数（请输入 8% 或 0.08），实际为 8。"
    with pytest.raises(InputError) as row:
        installment([100.0, -5.0], 10, 0.08)
    assert str(row.value) == "amount must be > 0; got -5 (row 2)."
    assert row.value.render("zh-CN") == "amount 必须大于 0，实际为 -5（第 2 行）。"
    with pytest.raises(InputError) as blank:
        payment_plan(10000, None, 0.08, "2026-01-31")
    assert blank.value.render("zh-CN") == "installments 必须是 1 至 600 之间的整数，实际为 空白。"
    with pytest.raises(InputError) as typed:  # the engine's refusal of text (engine.values)
        payment_plan("1,000", 10, 0.08, "2026-01-31")
    assert str(typed.value).startswith("amount must be a number (blank for unknown); got '1,000' (text).")
    assert typed.value.render("zh-CN").startswith("amount 必须是数字（未知时留空），实际为 '1,000'（文本）。")
    with pytest.raises(InputError) as lengths:
        installment([1.0, 2.0], [1.0, 2.0, 3.0], 0.08)
    assert "got lengths 2, 3, 1, 1" in str(lengths.value)
