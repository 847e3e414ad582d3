"""Payment plans for delinquent buyers: annuity and equal-principal schedules, rescheduling.

A buyer who cannot settle an overdue balance at once agrees to pay it off in instalments.
:func:`payment_plan` builds the schedule (what is due when, how much of it is interest and
how much pays down the debt); :func:`reschedule` rebuilds it after missed instalments, with
late interest on the arrears; :func:`installment` gives the regular instalment alone, for a
whole column of buyers at once.

Conventions (what Excel users expect from ``PMT(rate/12, n, amount)``):

- The period rate is the annual rate divided by the periods in a year: ``/12`` monthly,
  ``/52`` weekly, ``/26`` biweekly, ``/4`` quarterly. Interest is charged per period, not
  per calendar day, so moving a due date off a weekend does not change the interest.
- Amounts are in cents (integers inside). Principal adds up exactly to ``amount -
  down_payment`` and the last balance is exactly 0: the last instalment absorbs rounding.
- Monthly and quarterly due dates keep the day of month of the first due date, clamped to
  the month end (Jan 31, Feb 28/29, Mar 31, ...). With ``policy.plans.weekend_rule ==
  "following"`` a date on a Saturday or Sunday moves to the next Monday.
- The down payment is paid when the plan is agreed; it is not a line of the schedule.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, describe
from xlcredit.engine.policy import DEFAULT_POLICY, PLAN_ALIASES_ZH, Policy
from xlcredit.engine.values import floats
from xlcredit.messages import Message

__all__ = [
    "COLUMNS",
    "FREQUENCIES",
    "MAX_INSTALLMENTS",
    "METHODS",
    "MODES",
    "Rescheduled",
    "due_dates",
    "installment",
    "payment_plan",
    "period_rate",
    "reschedule",
]

#: Periods per year of each frequency: the divisor of the annual rate.
FREQUENCIES: dict[str, int] = {"monthly": 12, "weekly": 52, "biweekly": 26, "quarterly": 4}
METHODS: tuple[str, ...] = ("annuity", "equal_principal")
MODES: tuple[str, ...] = ("keep_payment", "keep_term")
MAX_INSTALLMENTS = 600
COLUMNS: tuple[str, ...] = ("no", "due_date", "payment", "interest", "principal", "balance")

# Months (or days) between two due dates.
_STEP: dict[str, tuple[str, int]] = {
    "monthly": ("M", 1),
    "quarterly": ("M", 3),
    "weekly": ("D", 7),
    "biweekly": ("D", 14),
}
_ALIASES: dict[str, str] = {
    # English variants
    "month": "monthly", "week": "weekly", "fortnightly": "biweekly", "bi_weekly": "biweekly",
    "quarter": "quarterly", "equal": "equal_principal", "linear": "equal_principal",
    "level": "annuity", "level_payment": "annuity", "keep_instalment": "keep_payment",
    "keep_installment": "keep_payment", "extend_term": "keep_payment",
    "raise_payment": "keep_term", "raise_installment": "keep_term",
    # Simplified Chinese: the terms Chinese lenders use
    **PLAN_ALIASES_ZH,
}


class Rescheduled(NamedTuple):
    """A rescheduled plan: the new schedule and a summary of how it was reached."""

    plan: pd.DataFrame
    summary: dict[str, Any]


# --------------------------------------------------------------------------- validation
def _choice(name: str, value: object, allowed: tuple[str, ...], default: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        key = _ALIASES.get(key, key)
        if key in allowed:
            return key
    raise InputError(Message("plans.choice", {"name": name, "choices": ", ".join(repr(a) for a in allowed),
                                              "value": describe(value)}))


def _shown(value: object) -> str:
    """A value for a message; blanks (None, NaN, NaT) read as "blank"."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return Message("plans.blank")
    return describe(value)


def _number(name: str, value: object) -> float:
    if isinstance(value, (str, bool, np.bool_)):
        floats([value], name)  # text or TRUE/FALSE: the engine's named refusal
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(Message("plans.not_number", {"name": name, "value": _shown(value)}))
    number = float(value)
    if not math.isfinite(number):
        raise InputError(Message("plans.not_number", {"name": name, "value": _shown(number)}))
    return number


def _count(name: str, value: object, lo: int, hi: int) -> int:
    def refuse(shown: str) -> InputError:
        return InputError(Message("plans.integer_range", {"name": name, "lo": lo, "hi": hi, "value": shown,
                                                          "where": ""}))

    try:
        number = _number(name, value)
    except InputError:
        raise refuse(_shown(value)) from None
    if not number.is_integer() or not lo <= number <= hi:
        raise refuse(f"{number:g}")
    return int(number)


def _rate(name: str, value: object) -> float:
    def refuse(shown: str) -> InputError:
        return InputError(Message("plans.rate_range", {"name": name, "value": shown, "where": ""}))

    try:
        number = _number(name, value)
    except InputError:
        raise refuse(_shown(value)) from None
    if not 0.0 <= number <= 1.0:
        raise refuse(f"{number:g}")
    return number


def _day(name: str, value: object) -> np.datetime64:
    if isinstance(value, (dt.date, pd.Timestamp, np.datetime64, str)) and not (
        isinstance(value, str) and not value.strip()
    ):
        try:
            stamp = pd.Timestamp(value)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            stamp = None
        if stamp is not None and not pd.isna(stamp):
            return np.datetime64(stamp.date(), "D")
    raise InputError(Message("plans.not_date", {"name": name, "value": _shown(value)}))


def _terms(
    amount: object, installments: object, annual_rate: object, down_payment: object
) -> tuple[int, int, float]:
    """Financed amount in cents, number of instalments and annual rate, all checked."""
    value = _number("amount", amount)
    if value <= 0:
        raise InputError(Message("plans.amount_positive", {"value": f"{value:g}", "where": ""}))
    if value >= 1e13:  # cents must stay exact in float64 arithmetic
        raise InputError(Message("plans.amount_too_large", {"value": f"{value:g}", "where": ""}))
    down = 0.0 if down_payment is None else _number("down_payment", down_payment)
    if not 0 <= down < value:
        raise InputError(Message("plans.down_range", {"amount": f"{value:g}", "value": f"{down:g}", "where": ""}))
    n = _count("installments", installments, 1, MAX_INSTALLMENTS)
    rate = _rate("annual_rate", annual_rate)
    financed = int(_cents(np.float64(value))) - int(_cents(np.float64(down)))
    if financed <= 0:
        raise InputError(Message("plans.down_leaves", {"value": f"{down:g}", "amount": f"{value:g}", "where": ""}))
    return financed, n, rate


# --------------------------------------------------------------------------- arithmetic
def _cents(x: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Round money to whole cents, half away from zero (Excel's ROUND(x, 2)).

    A relative nudge of 1e-13 (a few hundred ulps, far below a cent for any amount under
    1e13) absorbs binary noise, so 1.005 (stored as 1.00499999...) rounds to 1.01 as it
    does in Excel.

    >>> _cents([1.005, 2.675, -0.125, 79531641.41494864]).tolist()
    [101, 268, -13, 7953164141]
    """
    a = np.asarray(x, dtype=float)
    c = np.floor(np.abs(a) * 100.0 * (1.0 + 1e-13) + 0.5)
    return (np.sign(a) * c).astype(np.int64)


def _annuity_factor(rate: float, periods: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Present value of 1 per period for ``periods`` periods: (1 - (1 + r)^-m) / r, or m."""
    if rate == 0:
        return periods.astype(float)
    return -np.expm1(-periods * math.log1p(rate)) / rate


def _pmt(rate: float | npt.NDArray[np.float64], n: Any, pv: Any) -> Any:
    """Exact level payment (positive) that repays ``pv`` in ``n`` periods at ``rate``."""
    rate = np.asarray(rate, dtype=float)
    n = np.asarray(n, dtype=float)
    pv = np.asarray(pv, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(rate == 0, n, -np.expm1(-n * np.log1p(rate)) / np.where(rate == 0, 1.0, rate))
        return pv / factor


def _annuity_lines(
    principal_c: int, rate: float, n: int, pay: float, term: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Payment, interest, principal and balance in cents of a level-payment schedule.

    The exact schedule pays ``pay`` for ``term`` (possibly fractional) periods; its balance
    before line k is ``pay * a(term - k + 1)`` (the present value of what is left, a form
    without cancellation). Each line's interest is that exact interest rounded to cents (as
    ``ROUND(IPMT(...), 2)`` in a sheet), its principal the rounded payment minus the interest;
    the last line pays what is left. All closed form: no loop over lines.
    """
    k = np.arange(1, n + 1, dtype=float)
    balance_before = pay * _annuity_factor(rate, term - k + 1.0)
    interest = _cents(np.maximum(rate * balance_before, 0.0))
    payment = np.full(n, int(_cents(np.float64(pay))), dtype=np.int64)
    principal = payment - interest
    # Balance after each line, never below 0 (only plans of a few cents per line reach 0 early).
    balance = np.maximum(principal_c - np.cumsum(principal), 0)
    before = np.concatenate(([principal_c], balance[:-1]))
    balance[-1] = 0
    principal = before - balance
    interest = np.where(before > 0, interest, 0)
    return principal + interest, interest, principal, balance


def _equal_principal_lines(
    principal_c: int, rate: float, n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Equal principal (the odd cents go to the first lines) plus interest on the balance."""
    share, extra = divmod(principal_c, n)
    principal = np.full(n, share, dtype=np.int64) + (np.arange(n) < extra)
    balance = principal_c - np.cumsum(principal)
    before = balance + principal
    interest = _cents(rate * before / 100.0)
    return principal + interest, interest, principal, balance


def _frame(
    dates: npt.NDArray[np.datetime64],
    lines: tuple[npt.NDArray[np.int64], ...],
    start: int = 1,
) -> pd.DataFrame:
    payment, interest, principal, balance = lines
    return pd.DataFrame(
        {
            "no": np.arange(start, start + len(payment)),
            "due_date": dates.astype("datetime64[s]"),  # any Excel date (ns ends in 2262)
            "payment": payment / 100.0,
            "interest": interest / 100.0,
            "principal": principal / 100.0,
            "balance": balance / 100.0,
        }
    )


# --------------------------------------------------------------------------- public API
def period_rate(annual_rate: float, frequency: str = "monthly") -> float:
    """Interest rate of one period: the annual rate over the periods in a year.

    What rate does a quarterly plan at 8 % a year charge each quarter?

    >>> period_rate(0.08, "quarterly")
    0.02

    Notes
    -----
    ``annual_rate / m`` with m = 12 monthly, 52 weekly, 26 biweekly, 4 quarterly: the
    nominal-rate convention of Excel's ``PMT(rate/12, ...)``.
    """
    freq = _choice("frequency", frequency, tuple(FREQUENCIES), "monthly")
    return _rate("annual_rate", annual_rate) / FREQUENCIES[freq]


def _sequence(
    first: np.datetime64, start: int, count: int, frequency: str, weekend_rule: str
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
    """Due dates number ``start .. start + count - 1`` (0 = the first): as scheduled and
    after the weekend rule."""
    unit, step = _STEP[frequency]
    k = np.arange(start, start + count) * step
    if unit == "D":
        base = first + k.astype("timedelta64[D]")
    else:
        month0 = first.astype("datetime64[M]")
        day = int((first - month0.astype("datetime64[D]")).astype(int)) + 1
        months = month0 + k.astype("timedelta64[M]")
        month_start = months.astype("datetime64[D]")
        month_days = ((months + np.timedelta64(1, "M")).astype("datetime64[D]") - month_start).astype(int)
        base = month_start + (np.minimum(day, month_days) - 1).astype("timedelta64[D]")
    if weekend_rule == "following":
        return base, np.busday_offset(base, 0, roll="forward")
    return base, base


def due_dates(
    first_due_date: Any,
    installments: float,
    frequency: str | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> npt.NDArray[np.datetime64]:
    """Due dates of a plan, with month-end clamping and the policy's weekend rule.

    A plan starts on 31 January 2026: when are the next instalments due?

    >>> [str(d) for d in due_dates("2026-01-31", 4)]
    ['2026-02-02', '2026-03-02', '2026-03-31', '2026-04-30']

    31 January and 28 February 2026 are Saturdays, so those instalments fall due on the
    next Monday; March keeps the 31st.

    Notes
    -----
    Date k (0-based) is ``first + k x 7`` days weekly, ``+ k x 14`` biweekly; monthly and
    quarterly add ``k`` (``3k``) months keeping the first date's day of month, clamped to
    the month end. With ``policy.plans.weekend_rule == "following"`` a Saturday or Sunday
    moves to the next Monday (``numpy.busday_offset(..., roll="forward")``).
    """
    freq = _choice("frequency", frequency, tuple(FREQUENCIES), policy.plans.frequency)
    n = _count("installments", installments, 1, MAX_INSTALLMENTS)
    return _sequence(_day("first_due_date", first_due_date), 0, n, freq, policy.plans.weekend_rule)[1]


def installment(
    amount: npt.ArrayLike,
    installments: npt.ArrayLike,
    annual_rate: npt.ArrayLike,
    frequency: str | None = None,
    method: str | None = None,
    down_payment: npt.ArrayLike = 0.0,
    policy: Policy = DEFAULT_POLICY,
) -> Any:
    """The regular instalment of a plan (the first one for equal principal), in cents.

    A buyer owes 10,000: what is each of ten monthly instalments at 8 %?

    >>> installment(10000, 10, 0.08)
    1037.03

    The same for three buyers at once (a blank amount gives NaN, "not known"):

    >>> installment([10000, 5000, float("nan")], [10, 12, 6], 0.08, method="equal_principal")
    array([1066.67,  450.  ,     nan])

    Notes
    -----
    Annuity: ``ROUND(P x r / (1 - (1 + r)^-n), 2)`` (``P / n`` at zero rate), which is
    ``-PMT(r, n, P)`` rounded as Excel's ROUND does. Equal principal: ``P / n`` rounded up
    to the cent plus ``ROUND(P x r, 2)``. P = amount - down_payment, r = :func:`period_rate`.
    Malformed values raise :class:`~xlcredit.engine.errors.InputError` naming the row; NaN inputs
    give NaN.

    References
    ----------
    Microsoft, "PMT function" (Excel documentation): ``PMT(8%/12, 10, 10000)`` = -1,037.03.
    """
    freq = _choice("frequency", frequency, tuple(FREQUENCIES), policy.plans.frequency)
    how = _choice("method", method, METHODS, policy.plans.method)
    scalar = all(np.ndim(v) == 0 for v in (amount, installments, annual_rate, down_payment))
    columns = [np.atleast_1d(floats(v, k)) for v, k in (
        (amount, "amount"), (installments, "installments"), (annual_rate, "annual_rate"),
        (down_payment, "down_payment"))]
    try:
        p, n, rate, down = np.broadcast_arrays(*columns)
    except ValueError:
        lengths = ", ".join(str(c.size) for c in columns)
        raise InputError(Message("plans.same_length", {"lengths": lengths})) from None
    known = ~(np.isnan(p) | np.isnan(n) | np.isnan(rate) | np.isnan(down))
    with np.errstate(invalid="ignore", over="ignore"):
        financed = np.floor(np.abs(p) * 100.0 * (1.0 + 1e-13) + 0.5) - np.floor(
            np.abs(down) * 100.0 * (1.0 + 1e-13) + 0.5
        )
        checks = (  # whole columns at once; the first broken row is named
            (p <= 0, "plans.amount_positive", lambda i: {"value": f"{p[i]:g}"}),
            (p >= 1e13, "plans.amount_too_large", lambda i: {"value": f"{p[i]:g}"}),
            ((down < 0) | (down >= p), "plans.down_range", lambda i: {"amount": f"{p[i]:g}", "value": f"{down[i]:g}"}),
            (financed < 1, "plans.down_leaves", lambda i: {"value": f"{down[i]:g}", "amount": f"{p[i]:g}"}),
            ((n < 1) | (n > MAX_INSTALLMENTS) | (n != np.floor(n)), "plans.integer_range",
             lambda i: {"name": "installments", "lo": 1, "hi": MAX_INSTALLMENTS, "value": f"{n[i]:g}"}),
            ((rate < 0) | (rate > 1), "plans.rate_range", lambda i: {"name": "annual_rate", "value": f"{rate[i]:g}"}),
        )
    for bad, key, fields in checks:  # six rules, not one pass per row
        bad = bad & known
        if bad.any():
            i = int(np.argmax(bad))
            where = Message("plans.row", {"row": i + 1}) if p.size > 1 else ""
            raise InputError(Message(key, {**fields(i), "where": where}))
    out = np.full(p.shape, np.nan)
    pk, nk, rk = (_cents(p[known]) - _cents(down[known])), n[known], rate[known] / FREQUENCIES[freq]
    if how == "annuity":
        out[known] = _cents(_pmt(rk, nk, pk / 100.0)) / 100.0
    else:
        first = -(-pk // nk.astype(np.int64))
        out[known] = (first + _cents(rk * pk / 100.0)) / 100.0
    return float(out[0]) if scalar else out


def payment_plan(
    amount: float,
    installments: float,
    annual_rate: float,
    first_due_date: Any,
    frequency: str | None = None,
    method: str | None = None,
    down_payment: float = 0.0,
    policy: Policy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """The schedule of a payment plan: one row per instalment.

    A buyer owes 10,000; what are ten monthly instalments at 8 %, the first due on
    31 January 2026?

    >>> plan = payment_plan(10000, 10, 0.08, "2026-01-31")
    >>> plan.head(3)
       no   due_date  payment  interest  principal  balance
    0   1 2026-02-02  1037.03     66.67     970.36  9029.64
    1   2 2026-03-02  1037.03     60.20     976.83  8052.81
    2   3 2026-03-31  1037.03     53.69     983.34  7069.47
    >>> plan.tail(1)
       no   due_date  payment  interest  principal  balance
    9  10 2026-11-02  1037.07      6.87     1030.2      0.0
    >>> round(float(plan.principal.sum()), 2), round(float(plan.payment.sum()), 2)
    (10000.0, 10370.34)

    (31 January and 28 February 2026 fall on a weekend, so those instalments are due on
    the next Monday; the day of month stays the 31st where the month has one.)

    The buyer pays 2,000 down and the rest in equal principal over four quarters:

    >>> payment_plan(10000, 4, 0.08, "2026-03-31", "quarterly", "equal_principal", 2000)
       no   due_date  payment  interest  principal  balance
    0   1 2026-03-31   2160.0     160.0     2000.0   6000.0
    1   2 2026-06-30   2120.0     120.0     2000.0   4000.0
    2   3 2026-09-30   2080.0      80.0     2000.0   2000.0
    3   4 2026-12-31   2040.0      40.0     2000.0      0.0

    Parameters
    ----------
    amount : float
        What the buyer owes, > 0.
    installments : int
        Number of instalments, 1 to 600.
    annual_rate : float
        Nominal annual interest rate from 0 to 1 (0.08 for 8 %).
    first_due_date : date
        Due date of the first instalment (a date, datetime, Timestamp or ISO text).
    frequency : {"monthly", "weekly", "biweekly", "quarterly"}, optional
        Default ``policy.plans.frequency`` (monthly). Chinese 每月/每周/双周/每季 work too.
    method : {"annuity", "equal_principal"}, optional
        Level instalments (等额本息) or equal principal plus interest (等额本金); default
        ``policy.plans.method`` (annuity).
    down_payment : float
        Paid when the plan is agreed, >= 0 and < amount; not a line of the schedule.
    policy : Policy
        Supplies the weekend rule and the defaults.

    Returns
    -------
    DataFrame
        Columns ``no, due_date, payment, interest, principal, balance``; money in cents.

    Notes
    -----
    Period rate r = annual_rate / periods a year (:func:`period_rate`), P = amount -
    down_payment in cents. Annuity: A = ROUND(P r / (1 - (1 + r)^-n), 2); line k pays A with
    interest ROUND(IPMT(r, k, n, -P), 2) and principal A - interest; the last line pays the
    balance left plus its interest, so principal sums to P exactly and the last balance is 0.
    Equal principal: P / n per line (odd cents on the first lines) plus ROUND(r x balance, 2).

    References
    ----------
    Microsoft, "PMT function", "IPMT function", "PPMT function" (Excel documentation);
    numpy-financial ``pmt``, ``ipmt``, ``ppmt``.
    """
    principal_c, n, rate = _terms(amount, installments, annual_rate, down_payment)
    freq = _choice("frequency", frequency, tuple(FREQUENCIES), policy.plans.frequency)
    how = _choice("method", method, METHODS, policy.plans.method)
    first = _day("first_due_date", first_due_date)
    r = rate / FREQUENCIES[freq]
    dates = _sequence(first, 0, n, freq, policy.plans.weekend_rule)[1]
    return _frame(dates, _lines(principal_c, r, n, how))


def _lines(
    principal_c: int, r: float, n: int, how: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    if how == "equal_principal":
        return _equal_principal_lines(principal_c, r, n)
    pay = float(_pmt(r, n, principal_c / 100.0))
    return _annuity_lines(principal_c, r, n, pay, float(n))


def reschedule(
    amount: float,
    installments: float,
    annual_rate: float,
    first_due_date: Any,
    paid_installments: float,
    as_of: Any,
    mode: str = "keep_payment",
    late_rate: float | None = None,
    frequency: str | None = None,
    method: str | None = None,
    down_payment: float = 0.0,
    policy: Policy = DEFAULT_POLICY,
) -> Rescheduled:
    """Rebuild a payment plan after missed instalments.

    A buyer on ten monthly instalments of 1,037.03 (10,000 at 8 %) paid the first two and
    missed the next two. On 15 May 2026 we agree to keep the instalment and extend the term:
    how long does the plan run now, and what do the arrears cost?

    >>> new, summary = reschedule(10000, 10, 0.08, "2026-01-31", 2, "2026-05-15", late_rate=0.10)
    >>> summary["missed_installments"], summary["arrears"], summary["late_interest"]
    (2, 2074.06, 17.05)
    >>> summary["rescheduled_amount"], summary["new_installments"], summary["new_installment"]
    (8170.68, 9, 1037.03)
    >>> new.tail(2)
       no   due_date  payment  interest  principal  balance
    7   8 2026-12-31  1037.03      7.69    1029.34   124.34
    8   9 2027-02-01   125.17      0.83     124.34     0.00

    Or keep the original end date (six instalments left) and raise the instalment:

    >>> reschedule(10000, 10, 0.08, "2026-01-31", 2, "2026-05-15", "keep_term", 0.10).summary["new_installment"]
    1393.73

    Parameters
    ----------
    amount, installments, annual_rate, first_due_date, frequency, method, down_payment
        The terms of the original plan, as given to :func:`payment_plan`.
    paid_installments : int
        Instalments paid so far, in order (0 to ``installments``).
    as_of : date
        The day of the new agreement. Instalments due before it and not paid are arrears.
    mode : {"keep_payment", "keep_term"}
        Keep the instalment and extend the term (equal principal: keep the principal per
        instalment), or keep the remaining term and raise the instalment.
    late_rate : float, optional
        Annual late-interest rate on arrears, 0 to 1; default
        ``policy.late_interest.annual_rate`` (reference rate + 8 points). 0 waives it.

    Returns
    -------
    Rescheduled
        ``plan``: the new schedule (numbered from 1, due dates continuing the original
        sequence from the first due date on or after ``as_of``); ``summary``: a dict with
        mode, installments_paid, missed_installments, arrears, late_interest, late_rate,
        remaining_principal, rescheduled_amount, old_installment, new_installment,
        old_installments_left, new_installments, first_due_date, last_due_date,
        total_payments, total_interest.

    Notes
    -----
    Arrears = the payments (principal and interest) of the missed instalments. Late
    interest = sum of payment x late_rate x days late / ``policy.late_interest.day_basis``
    (simple, daily, from each adjusted due date to ``as_of``), rounded to cents. The
    rescheduled amount = arrears + late interest + principal not yet due, and a new plan at
    the original rate repays it. keep_payment: n = NPER(r, instalment, amount) rounded up (a
    last fraction under 1 % of an instalment joins the line before). keep_term: the
    instalments left in the original plan (at least one). The new plan's first period
    runs from the last due date before ``as_of`` to the next one, at the plan rate on the
    whole rescheduled amount (the arrears are capitalised).

    References
    ----------
    Directive 2011/7/EU on late payment (statutory interest: reference rate + 8 points).
    """
    principal_c, n, rate = _terms(amount, installments, annual_rate, down_payment)
    freq = _choice("frequency", frequency, tuple(FREQUENCIES), policy.plans.frequency)
    how = _choice("method", method, METHODS, policy.plans.method)
    how_new = _choice("mode", mode, MODES, "keep_payment")
    first = _day("first_due_date", first_due_date)
    today = _day("as_of", as_of)
    paid = _count("paid_installments", paid_installments, 0, n)
    late = policy.late_interest.annual_rate if late_rate is None else _rate("late_rate", late_rate)
    r = rate / FREQUENCIES[freq]

    payment, _, _, balance = _lines(principal_c, r, n, how)
    _, dates = _sequence(first, 0, n, freq, policy.plans.weekend_rule)
    due_before = int(np.count_nonzero(dates < today))
    done = max(paid, due_before)
    missed = slice(paid, due_before)
    days_late = (today - dates[missed]).astype(int)
    arrears_c = int(payment[missed].sum())
    late_c = int(_cents(float(np.sum(payment[missed] / 100.0 * late * days_late)) / policy.late_interest.day_basis))
    remaining_c = int(balance[done - 1]) if done > 0 else principal_c
    new_c = arrears_c + late_c + remaining_c
    if new_c <= 0:
        raise InputError(Message("plans.nothing_left", {"paid": paid, "n": n}))

    # The new plan continues the original sequence of due dates from the first one on or
    # after as_of (beyond the original end if need be).
    span = {"monthly": 28, "quarterly": 89, "weekly": 7, "biweekly": 14}[freq]
    horizon = done + int((today - first).astype(int)) // span + 2
    _, extended = _sequence(first, 0, max(horizon, done + 1), freq, policy.plans.weekend_rule)
    start = done + int(np.count_nonzero(extended[done:] < today))
    left = n - done

    if how_new == "keep_term":
        n_new = max(n - start, 1)
        lines = _lines(new_c, r, n_new, how)
        old_installment = int(payment[0])
    elif how == "equal_principal":
        share = int(_equal_principal_lines(principal_c, r, n)[2][0])
        n_new = _fold(new_c / share)
        _check_length(n_new, Message("plans.keeping_principal", {"amount": f"{share / 100:.2f}"}))
        lines = _equal_principal_lines(new_c, r, n_new)
        old_installment = int(payment[0])
    else:
        old_installment = int(payment[0])
        pay = old_installment / 100.0
        if pay <= r * new_c / 100.0:
            raise InputError(Message("plans.keep_payment_too_low", {"interest": f"{r * new_c / 100.0:.2f}",
                                                                    "payment": f"{pay:.2f}"}))
        term = new_c / 100.0 / pay if r == 0 else -math.log1p(-r * new_c / 100.0 / pay) / math.log1p(r)
        n_new = _fold(term)
        _check_length(n_new, Message("plans.keeping_installment", {"amount": f"{pay:.2f}"}))
        lines = _annuity_lines(new_c, r, n_new, pay, term)
        # With instalments of a few cents, rounded interest can end the plan early: drop
        # the empty lines after the balance reaches 0.
        n_new = int(np.argmax(lines[3] == 0)) + 1
        lines = tuple(line[:n_new] for line in lines)  # type: ignore[assignment]

    _, new_dates = _sequence(first, start, n_new, freq, policy.plans.weekend_rule)
    plan = _frame(new_dates, lines)
    summary: dict[str, Any] = {
        "mode": how_new,
        "installments_paid": paid,
        "missed_installments": max(due_before - paid, 0),
        "arrears": arrears_c / 100.0,
        "late_interest": late_c / 100.0,
        "late_rate": late,
        "remaining_principal": remaining_c / 100.0,
        "rescheduled_amount": new_c / 100.0,
        "old_installment": old_installment / 100.0,
        "new_installment": int(lines[0][0]) / 100.0,
        "old_installments_left": left,
        "new_installments": n_new,
        "first_due_date": pd.Timestamp(new_dates[0]).date(),
        "last_due_date": pd.Timestamp(new_dates[-1]).date(),
        "total_payments": int(lines[0].sum()) / 100.0,
        "total_interest": int(lines[1].sum()) / 100.0,
    }
    return Rescheduled(plan, summary)


def _fold(term: float) -> int:
    """Instalments for a (fractional) term; a last fraction under 1 % joins the line before."""
    whole = math.floor(term)
    return max(whole + (1 if term - whole > 0.01 else 0), 1)


def _check_length(n_new: int, what: Message) -> None:
    if n_new > MAX_INSTALLMENTS:
        raise InputError(Message("plans.too_long", {"most": MAX_INSTALLMENTS, "what": what, "n": n_new}))
