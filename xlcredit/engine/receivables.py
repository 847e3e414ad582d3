"""Receivables KPIs: DSO (standard and countback), best possible DSO, average days
delinquent, collection effectiveness index, percent current, receivables turnover, and the
payment behaviour of buyers (days beyond terms, share paid late).

Two layers:

- **Figures**: :func:`dso`, :func:`dso_best`, :func:`days_delinquent`, :func:`cei`,
  :func:`percent_current`, :func:`receivables_turnover` take numbers or arrays (one element
  per buyer) and broadcast like numpy; :func:`days_beyond_terms` and :func:`late_share`
  take the due dates, paid dates and amounts of invoices.
- **Ledgers**: :func:`receivables_kpis` (per buyer) and :func:`ledger_kpis` (the whole
  ledger) compute all of them from an invoice table (columns of
  :data:`xlcredit.engine.aging.INVOICE_COLUMNS`) on an as-of date; :func:`payment_behaviour` gives
  days beyond terms and the late shares per buyer.

Failure policy: a malformed argument (an unknown method, ``period_days <= 0``) raises
:class:`~xlcredit.engine.errors.InputError`; a figure that cannot be computed for one element
(zero sales, a credit balance, receivables beyond the sales listed in a countback) is NaN,
and ``with_reasons=True`` returns the reason beside it (the Excel functions show it as
``#N/A <reason>``). No numpy warning escapes.

Rounding: results are full precision. DESIGN.md shows them to 2 decimals (76.32, 73.71)
as a cell formatted ``0.00`` does; rounding here would make DSO - DSO_BEST differ from
DAYS_DELINQUENT in a sheet, and Excel's own functions do not round either.

Which is my DSO on 212,000 of receivables after 250,000 of sales in a quarter?

>>> float(dso(212000, 250000, 90))
76.32
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, describe
from xlcredit.engine.ledger import DateLike, LedgerArrays, as_of_day, ledger_arrays, position
from xlcredit.engine.policy import Policy
from xlcredit.engine.values import day_numbers, floats, same_rows
from xlcredit.messages import Message

__all__ = [
    "KPI_COLUMNS",
    "cei",
    "days_beyond_terms",
    "days_delinquent",
    "dso",
    "dso_best",
    "late_share",
    "ledger_kpis",
    "payment_behaviour",
    "percent_current",
    "receivables_kpis",
    "receivables_turnover",
]

Floats = npt.NDArray[np.float64]
Reasons = npt.NDArray[np.object_]
Method = Literal["standard", "countback"]

#: Columns of :func:`receivables_kpis` and :func:`ledger_kpis`, with their meaning.
KPI_COLUMNS: dict[str, str] = {
    "receivables": "open balance on the as-of date, base currency",
    "current": "of which not yet due",
    "overdue": "of which past due",
    "opening": "open balance at the start of the window",
    "sales": "invoiced in the window (credit notes net), base currency",
    "window_days": "days in the window",
    "dso": "DSO, standard method (receivables / sales x days)",
    "dso_countback": "DSO, countback method over the window's periods",
    "dso_best": "best possible DSO (current receivables / sales x days)",
    "days_delinquent": "average days delinquent: dso - dso_best",
    "cei": "collection effectiveness index (a fraction)",
    "percent_current": "current / receivables (a fraction)",
    "turnover": "receivables turnover, annualised: sales x 365 / window days / average receivables",
    "receivables_exceed_sales": "countback could not place all receivables in the window",
    "dso_note": "why dso (else dso_countback) is not known, e.g. no sales in the window",
    "paid_invoices": "invoices paid on or before the as-of date",
    "days_beyond_terms": "amount-weighted paid date - due date, days (negative when early)",
    "days_late": "amount-weighted max(0, paid date - due date), days",
    "late_share": "share of paid invoices paid after the due date, by count",
    "late_share_amount": "the same, by amount",
    "no_fx_invoices": "invoices left out: currency with no FX rate",
}

_TOLERANCE = 1e-9
_EXCEEDS = "receivables exceed the sales listed (countback ran out of periods); list more periods"


# --------------------------------------------------------------------------- helpers
def _floats(value: npt.ArrayLike, name: str) -> Floats:
    return floats(value, name)


def _method(method: str | None) -> Method:
    key = "standard" if method is None else str(method).strip().lower()
    if key in ("", "standard", "std"):
        return "standard"
    if key in ("countback", "count back", "count-back", "cb"):
        return "countback"
    raise InputError(Message("receivables.method", {"method": describe(method)}))


def _known(reasons: Reasons) -> npt.NDArray[np.bool_]:
    """True where no reason is recorded (the value is known)."""
    return np.asarray(pd.isna(reasons), dtype=bool).reshape(reasons.shape)


def _finish(values: Floats, reasons: Reasons, scalar: bool, with_reasons: bool) -> Any:
    # A divisor near 0 (sales of 1e-300) overflows to infinity: no number to show.
    _note(reasons, np.isinf(values), "the result is too large for a number (a divisor is nearly 0)")
    values = np.where(_known(reasons), values, np.nan)
    out: Any = float(values) if scalar else values
    if with_reasons:
        return out, reasons
    return out


def _note(reasons: Reasons, mask: npt.ArrayLike, text: str) -> None:
    """Record a reason where none is recorded yet (the first reason wins)."""
    reasons[np.asarray(mask, dtype=bool) & _known(reasons)] = text


def _note_infinite(reasons: Reasons, values: Floats, name: str) -> None:
    """Record that an element is infinite (no cell holds infinity: impossible input).

    ``values`` may list periods along a last axis that ``reasons`` lacks.
    """
    for mask, got in ((np.isposinf(values), "inf"), (np.isneginf(values), "-inf")):
        if mask.ndim > reasons.ndim:
            mask = np.asarray(mask.any(axis=-1), dtype=bool)
        _note(reasons, mask, f"{name} must be a finite number; got {got}")


def _days(period_days: npt.ArrayLike | None, default: float, shape: tuple[int, ...],
          per: str = "period") -> Floats:
    days = _floats(default if period_days is None else period_days, "period_days")
    bad = ~(days > 0) | ~np.isfinite(days)
    if bad.any():
        raise InputError(
            Message("receivables.period_days_positive", {"value": describe(float(days.ravel()[np.flatnonzero(bad.ravel())[0]]))})
        )
    try:
        return np.broadcast_to(days, shape)
    except ValueError:
        raise InputError(
            Message("receivables.period_days_shape", {"per": per, "value": shape[-1] if shape else 1, "size": days.size})
        ) from None


def _dso_core(
    receivables: npt.ArrayLike,
    sales: npt.ArrayLike,
    period_days: npt.ArrayLike | None,
    method: str | None,
    name: str,
) -> tuple[Floats, Reasons, bool]:
    r = _floats(receivables, name)
    s = _floats(sales, "sales")
    how = _method(method)
    periods = s.ndim == r.ndim + 1
    if not periods:
        try:
            r, s = np.broadcast_arrays(r, s)
        except ValueError:
            raise InputError(
                Message("receivables.sales_values", {"name": name, "size": r.size, "size2": s.size, "name2": name})
            ) from None
        d = _days(period_days, 365.0, r.shape, "row")[..., np.newaxis]
        s = s[..., np.newaxis]
    else:
        if s.shape[-1] == 0:
            raise InputError(Message("receivables.no_periods"))
        if s.shape[:-1] != r.shape:
            raise InputError(
                Message("receivables.sales_shape", {"shape": s.shape[:-1], "name": name, "shape2": r.shape})
            )
        d = _days(period_days, 30.0, s.shape)
    scalar = r.ndim == 0
    reasons: Reasons = np.full(r.shape, None, dtype=object)
    _note(reasons, np.isnan(r), f"{name} missing")
    _note(reasons, np.isnan(s).any(axis=-1), "sales missing")
    _note_infinite(reasons, r, name)
    _note_infinite(reasons, s, "sales")
    _note(reasons, r < 0, f"{name} are negative (a credit balance): DSO is not defined")
    with np.errstate(invalid="ignore"):  # inf - inf: that row has a reason already
        total_s = s.sum(axis=-1)
    total_d = d.sum(axis=-1)
    if how == "standard":
        _note(reasons, ~(total_s > 0), "no sales in the period (sales must be > 0)")
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # see _finish
            out = r / np.where(total_s > 0, total_s, 1.0) * total_d
        return np.asarray(out, dtype=float), reasons, scalar
    # countback: walk back from the newest period, consuming its sales
    _note(reasons, (s < 0).any(axis=-1), "sales of a period are negative; countback needs sales >= 0")
    remaining = np.where(r > 0, r, 0.0)
    # what is left below this is rounding noise (0.1 + 0.2 - 0.3), not receivables
    noise = _TOLERANCE * np.maximum(1.0, remaining)
    out = np.zeros(r.shape)
    for j in range(s.shape[-1] - 1, -1, -1):  # a handful of periods
        sj = np.nan_to_num(s[..., j], nan=0.0, posinf=np.inf, neginf=-np.inf)
        take = np.minimum(remaining, np.maximum(sj, 0.0))
        # inf / inf and inf - inf only where an input is infinite (that row has a reason)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(sj > 0, take / np.where(sj > 0, sj, 1.0), (remaining > 0) * 1.0)
            out = out + share * d[..., j]
            remaining = remaining - take
        remaining = np.where(remaining > noise, remaining, 0.0)
    exceeds = remaining > 0
    _note(reasons, exceeds, _EXCEEDS)
    return np.minimum(out, total_d), reasons, scalar


# --------------------------------------------------------------------------- figures
@overload
def dso(receivables: npt.ArrayLike, sales: npt.ArrayLike, period_days: npt.ArrayLike | None = ...,
        method: str | None = ..., *, with_reasons: Literal[False] = ...) -> Any: ...
@overload
def dso(receivables: npt.ArrayLike, sales: npt.ArrayLike, period_days: npt.ArrayLike | None = ...,
        method: str | None = ..., *, with_reasons: Literal[True]) -> tuple[Any, Reasons]: ...
def dso(
    receivables: npt.ArrayLike,
    sales: npt.ArrayLike,
    period_days: npt.ArrayLike | None = None,
    method: str | None = "standard",
    *,
    with_reasons: bool = False,
) -> Any:
    """Days sales outstanding, standard or countback.

    Parameters
    ----------
    receivables : float or array
        Receivables at the end of the period (one per buyer when an array).
    sales : float or array
        One figure per receivables value (the whole period), or, with one more dimension
        than ``receivables``, the sales of each period listed oldest to newest along the
        last axis (one receivables value with a column of monthly sales).
    period_days : float or array, optional
        One figure: the days of the whole period (default 365). Periods: the days of each
        period, one number or one per period (default 30; give 31, 30, 31 for calendar
        months).
    method : {"standard", "countback"}
        Standard: receivables / total sales x total days. Countback: walk back from the
        newest period, counting its days in full while its sales fit in the receivables
        left, then the fraction of the period that the rest covers.
    with_reasons : bool
        Also return, per element, why the value is NaN (None where it is known).

    Returns
    -------
    float or ndarray
        Days; NaN where not defined (no sales, missing data, a credit balance, or, for
        countback, receivables exceeding all the sales listed).

    Notes
    -----
    Standard: ``DSO = R / sum(S) x sum(days)``. Countback: with ``R_k`` the receivables not
    yet placed before period ``k`` (newest first), each period adds ``days_k`` if
    ``R_k >= S_k`` else ``R_k / S_k x days_k``. Countback never exceeds the days counted;
    when receivables exceed every sale listed it is NaN with the reason
    "receivables exceed the sales listed", because the true figure is higher than any
    number the listed periods can show.

    References
    ----------
    Credit Research Foundation, "Calculating DSO" (standard and countback methods).

    Examples
    --------
    What is my DSO by the countback method with three months of sales, newest last?

    >>> float(dso(212000, [70000, 80000, 100000], 30))  # DESIGN.md 3.1
    76.32
    >>> round(float(dso(212000, [70000, 80000, 100000], 30, "countback")), 2)
    73.71
    >>> dso([50.0, 10.0], [0.0, 100.0], 365, with_reasons=True)[1].tolist()
    ['no sales in the period (sales must be > 0)', None]
    """
    values, reasons, scalar = _dso_core(receivables, sales, period_days, method, "receivables")
    return _finish(values, reasons, scalar, with_reasons)


@overload
def dso_best(current_receivables: npt.ArrayLike, sales: npt.ArrayLike,
             period_days: npt.ArrayLike | None = ..., method: str | None = ..., *,
             with_reasons: Literal[False] = ...) -> Any: ...
@overload
def dso_best(current_receivables: npt.ArrayLike, sales: npt.ArrayLike,
             period_days: npt.ArrayLike | None = ..., method: str | None = ..., *,
             with_reasons: Literal[True]) -> tuple[Any, Reasons]: ...
def dso_best(
    current_receivables: npt.ArrayLike,
    sales: npt.ArrayLike,
    period_days: npt.ArrayLike | None = None,
    method: str | None = "standard",
    *,
    with_reasons: bool = False,
) -> Any:
    """Best possible DSO: the DSO the current (not yet due) receivables alone would give.

    Same arguments and conventions as :func:`dso`, with current receivables.

    Notes
    -----
    ``best possible DSO = current receivables / credit sales x days`` (CRF).

    References
    ----------
    Credit Research Foundation, best possible DSO.

    Examples
    --------
    With 150,000 of 212,000 not yet due, what DSO would a perfect collector have?

    >>> float(dso_best(150000, 250000, 90))
    54.0
    """
    values, reasons, scalar = _dso_core(current_receivables, sales, period_days, method,
                                        "current_receivables")
    return _finish(values, reasons, scalar, with_reasons)


@overload
def days_delinquent(receivables: npt.ArrayLike, current_receivables: npt.ArrayLike,
                    sales: npt.ArrayLike, period_days: npt.ArrayLike | None = ...,
                    method: str | None = ..., *, with_reasons: Literal[False] = ...) -> Any: ...
@overload
def days_delinquent(receivables: npt.ArrayLike, current_receivables: npt.ArrayLike,
                    sales: npt.ArrayLike, period_days: npt.ArrayLike | None = ...,
                    method: str | None = ..., *, with_reasons: Literal[True]) -> tuple[Any, Reasons]: ...
def days_delinquent(
    receivables: npt.ArrayLike,
    current_receivables: npt.ArrayLike,
    sales: npt.ArrayLike,
    period_days: npt.ArrayLike | None = None,
    method: str | None = "standard",
    *,
    with_reasons: bool = False,
) -> Any:
    """Average days delinquent: DSO minus best possible DSO, both by the same method.

    Notes
    -----
    ``ADD = DSO - best possible DSO``; >= 0 whenever current receivables <= receivables.
    Current receivables above the receivables are inconsistent: NaN with that reason.

    References
    ----------
    Credit Research Foundation, average days delinquent.

    Examples
    --------
    How many days, on average, are my customers paying late?

    >>> float(days_delinquent(212000, 150000, 250000, 90))
    22.32
    """
    total, why_total, scalar = _dso_core(receivables, sales, period_days, method, "receivables")
    best, why_best, best_scalar = _dso_core(current_receivables, sales, period_days, method,
                                            "current_receivables")
    scalar = scalar and best_scalar  # a column of current receivables gives a column
    reasons = np.where(_known(why_total), why_best, why_total).astype(object)
    with np.errstate(invalid="ignore"):
        inconsistent = _floats(current_receivables, "current_receivables") > _floats(
            receivables, "receivables") * (1 + _TOLERANCE) + _TOLERANCE
    _note(reasons, np.broadcast_to(inconsistent, reasons.shape),
          "current_receivables exceed receivables")
    with np.errstate(invalid="ignore"):  # inf - inf: that row has a reason already
        add = total - best
    return _finish(add, reasons, scalar, with_reasons)


@overload
def cei(opening_receivables: npt.ArrayLike, credit_sales: npt.ArrayLike,
        closing_receivables: npt.ArrayLike, closing_current: npt.ArrayLike,
        months: npt.ArrayLike = ..., *, with_reasons: Literal[False] = ...) -> Any: ...
@overload
def cei(opening_receivables: npt.ArrayLike, credit_sales: npt.ArrayLike,
        closing_receivables: npt.ArrayLike, closing_current: npt.ArrayLike,
        months: npt.ArrayLike = ..., *, with_reasons: Literal[True]) -> tuple[Any, Reasons]: ...
def cei(
    opening_receivables: npt.ArrayLike,
    credit_sales: npt.ArrayLike,
    closing_receivables: npt.ArrayLike,
    closing_current: npt.ArrayLike,
    months: npt.ArrayLike = 1,
    *,
    with_reasons: bool = False,
) -> Any:
    """Collection effectiveness index: the share of what could be collected that was.

    Parameters
    ----------
    opening_receivables, credit_sales, closing_receivables, closing_current : float or array
        Receivables at the start, credit sales over the period, receivables at the end and,
        of those, the current (not yet due) part.
    months : float or array
        Months in the period (default 1); the sales are divided by it.

    Returns
    -------
    float or ndarray
        A fraction (0.5593 shown as 55.93 % by a percent format); NaN when nothing was
        collectible or the closing current part exceeds the closing receivables.

    Notes
    -----
    ``CEI = (opening + sales / N - closing) / (opening + sales / N - closing current)``.

    References
    ----------
    Credit Research Foundation, collection effectiveness index.

    Examples
    --------
    How well did we collect over the quarter?

    >>> round(float(cei(6200, 10890, 6340, 3590, 3)), 4)  # issue 3, CRF convention
    0.5593
    """
    parts = [_floats(v, n) for v, n in (
        (opening_receivables, "opening_receivables"), (credit_sales, "credit_sales"),
        (closing_receivables, "closing_receivables"), (closing_current, "closing_current"))]
    n = _floats(months, "months")
    for wrong, rule in ((~(n > 0), Message("policy.a_positive_number")), (np.isinf(n), Message("receivables.finite"))):
        if wrong.any():
            raise InputError(Message("receivables.months", {"rule": rule, "value": describe(float(n.ravel()[np.flatnonzero(wrong.ravel())[0]]))}))
    try:
        o, s, c, cc, n = np.broadcast_arrays(*parts, n)
    except ValueError:
        raise InputError(Message("receivables.cei_rows")) from None
    reasons: Reasons = np.full(o.shape, None, dtype=object)
    for arr, name in zip((o, s, c, cc), ("opening_receivables", "credit_sales",
                                         "closing_receivables", "closing_current"), strict=True):
        _note(reasons, np.isnan(arr), f"{name} missing")
        _note_infinite(reasons, arr, name)
    _note(reasons, cc > c * (1 + _TOLERANCE) + _TOLERANCE, "closing_current exceeds closing_receivables")
    with np.errstate(invalid="ignore"):  # inf - inf: that row has a reason already
        base = o + s / n
        top = base - c
        bottom = base - cc
    _note(reasons, ~(bottom > 0), "nothing was collectible (opening + sales/months - closing current <= 0)")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # see _finish
        out = top / np.where(bottom > 0, bottom, 1.0)
    return _finish(np.asarray(out, dtype=float), reasons, o.ndim == 0, with_reasons)


def _ratio(top: npt.ArrayLike, bottom: npt.ArrayLike, names: tuple[str, str],
           with_reasons: bool) -> Any:
    t, b = _floats(top, names[0]), _floats(bottom, names[1])
    try:
        t, b = np.broadcast_arrays(t, b)
    except ValueError:
        raise InputError(Message("receivables.same_rows", {"names": names[0], "names2": names[1]})) from None
    reasons: Reasons = np.full(t.shape, None, dtype=object)
    _note(reasons, np.isnan(t), f"{names[0]} missing")
    _note(reasons, np.isnan(b), f"{names[1]} missing")
    _note_infinite(reasons, t, names[0])
    _note_infinite(reasons, b, names[1])
    _note(reasons, ~(b > 0), f"{names[1]} must be > 0")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # see _finish
        out = t / np.where(b > 0, b, 1.0)
    return _finish(np.asarray(out, dtype=float), reasons, t.ndim == 0, with_reasons)


def percent_current(current_receivables: npt.ArrayLike, receivables: npt.ArrayLike,
                    *, with_reasons: bool = False) -> Any:
    """Share of receivables not yet due (a fraction; NaN when receivables <= 0).

    Can exceed 1 when overdue items are net credit notes.

    Examples
    --------
    How much of the book is still current?

    >>> float(percent_current(150000, 212000))
    0.7075471698113207
    """
    return _ratio(current_receivables, receivables, ("current_receivables", "receivables"),
                  with_reasons)


def receivables_turnover(sales: npt.ArrayLike, average_receivables: npt.ArrayLike,
                         *, with_reasons: bool = False) -> Any:
    """Receivables turnover: credit sales / average receivables (times per period).

    Examples
    --------
    How many times a year do we collect our book, with 1.2 M of sales and 200,000 average?

    >>> float(receivables_turnover(1_200_000, 200_000))
    6.0
    """
    return _ratio(sales, average_receivables, ("sales", "average_receivables"), with_reasons)


# --------------------------------------------------------------------------- payment behaviour
def _paid_days(
    due_dates: Any, paid_dates: Any, amounts: npt.ArrayLike | None
) -> tuple[Floats, Floats]:
    due = day_numbers(due_dates, "due_dates").ravel()
    paid = day_numbers(paid_dates, "paid_dates").ravel()
    same_rows(due, "due_dates", paid, "paid_dates")
    weight = np.ones(due.shape) if amounts is None else _floats(amounts, "amounts").ravel()
    same_rows(weight, "amounts", due, "due_dates")
    usable = ~np.isnan(due) & ~np.isnan(paid) & (weight > 0)
    return np.where(usable, paid - due, 0.0), np.where(usable, weight, 0.0)


def _weighted_over_paid(values: Floats, weight: Floats) -> tuple[float, str | None]:
    """The weight-averaged value over the paid invoices, with the reason when undefined."""
    with np.errstate(invalid="ignore", over="ignore"):  # an infinite amount: no answer
        total = weight.sum()
        value = (values * weight).sum() / total if total > 0 else np.nan
    if not total > 0:
        return float("nan"), "no paid invoice with a due date and an amount > 0"
    if not np.isfinite(value):
        return float("nan"), "amounts must be finite numbers"
    return float(value), None


@overload
def days_beyond_terms(due_dates: Any, paid_dates: Any, amounts: npt.ArrayLike | None = ...,
                      *, with_reasons: Literal[False] = ...) -> float: ...
@overload
def days_beyond_terms(due_dates: Any, paid_dates: Any, amounts: npt.ArrayLike | None = ...,
                      *, with_reasons: Literal[True]) -> tuple[float, str | None]: ...
def days_beyond_terms(
    due_dates: Any,
    paid_dates: Any,
    amounts: npt.ArrayLike | None = None,
    *,
    with_reasons: bool = False,
) -> float | tuple[float, str | None]:
    """Amount-weighted average days between due date and paid date of paid invoices.

    Parameters
    ----------
    due_dates, paid_dates : array of dates
        datetime64, dates or ISO text (cells are read at the edge); a blank paid date means
        not paid (left out).
    amounts : array, optional
        Weights; invoices with an amount <= 0 (credit notes) are left out. Default: equal.

    Returns
    -------
    float
        Days; negative when paid early (PAYDEX convention); NaN when no invoice qualifies.

    Notes
    -----
    ``DBT = sum(a_i (paid_i - due_i)) / sum(a_i)`` over invoices with both dates and a_i > 0.

    References
    ----------
    Dun & Bradstreet, PAYDEX and days beyond terms.

    Examples
    --------
    On average, how late does this buyer pay, weighted by amount?

    >>> days_beyond_terms(["2026-01-31", "2026-02-28", "2026-03-31"],
    ...                   ["2026-02-10", "2026-02-20", None], [1000, 3000, 500])
    -3.5
    """
    delay, weight = _paid_days(due_dates, paid_dates, amounts)
    result = _weighted_over_paid(delay, weight)
    return result if with_reasons else result[0]


@overload
def late_share(due_dates: Any, paid_dates: Any, amounts: npt.ArrayLike | None = ...,
               *, with_reasons: Literal[False] = ...) -> float: ...
@overload
def late_share(due_dates: Any, paid_dates: Any, amounts: npt.ArrayLike | None = ...,
               *, with_reasons: Literal[True]) -> tuple[float, str | None]: ...
def late_share(
    due_dates: Any,
    paid_dates: Any,
    amounts: npt.ArrayLike | None = None,
    *,
    with_reasons: bool = False,
) -> float | tuple[float, str | None]:
    """Share of paid invoices paid after their due date: by count, or by amount if given.

    Examples
    --------
    What share of this buyer's invoices were paid late (for TRADESCORE's late_share)?

    >>> late_share(["2026-01-31", "2026-02-28"], ["2026-02-10", "2026-02-20"])
    0.5
    >>> late_share(["2026-01-31", "2026-02-28"], ["2026-02-10", "2026-02-20"], [1000, 3000])
    0.25
    """
    delay, weight = _paid_days(due_dates, paid_dates, amounts)
    result = _weighted_over_paid((delay > 0).astype(float), weight)  # share paid late
    return result if with_reasons else result[0]


def _group_sum(codes: npt.NDArray[np.intp], weights: Floats, n: int) -> Floats:
    return np.bincount(codes, weights=weights, minlength=n).astype(float)


def _safe_div(top: Floats, bottom: Floats) -> Floats:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def _behaviour(ledger: LedgerArrays, day: float | None) -> pd.DataFrame:
    n = len(ledger.buyers)
    weight = ledger.base_amount  # 0 where the invoice is set aside
    paid_by = ~np.isnan(ledger.paid_day) if day is None else ledger.paid_day <= day
    usable = paid_by & ~np.isnan(ledger.due_day) & (weight > 0)
    codes = ledger.buyer_codes[usable]
    delay = (ledger.paid_day - ledger.due_day)[usable]
    w = weight[usable]
    late = delay > 0
    count = np.bincount(codes, minlength=n).astype(float)
    amount = _group_sum(codes, w, n)
    return pd.DataFrame(
        {
            "paid_invoices": count.astype(np.int64),
            "days_beyond_terms": _safe_div(_group_sum(codes, w * delay, n), amount),
            "days_late": _safe_div(_group_sum(codes, w * np.maximum(delay, 0.0), n), amount),
            "late_share": _safe_div(np.bincount(codes[late], minlength=n).astype(float), count),
            "late_share_amount": _safe_div(_group_sum(codes[late], w[late], n), amount),
        },
        index=ledger.buyers,
    )


def payment_behaviour(
    invoices: pd.DataFrame | LedgerArrays,
    as_of: DateLike | None = None,
    policy: Policy | None = None,
    *,
    by: str = "buyer_id",
) -> pd.DataFrame:
    """Days beyond terms and the share paid late, per buyer, from paid invoices.

    Parameters
    ----------
    invoices : DataFrame
        Columns as in :data:`xlcredit.engine.aging.INVOICE_COLUMNS` (``paid_date`` needed).
    as_of : date, optional
        Only invoices paid on or before it count; default: every paid invoice.
    policy : Policy, optional
        FX rates for the weights (an invoice the ledger reader sets aside, e.g. in a
        currency with no rate, is left out).

    Returns
    -------
    DataFrame
        One row per buyer: ``paid_invoices``, ``days_beyond_terms`` (negative when early),
        ``days_late`` (late days only, as max(0, ...)), ``late_share`` (count) and
        ``late_share_amount``. NaN where a buyer has no paid invoice. These feed
        TRADESCORE's ``days_beyond_terms`` and ``late_share``.

    Examples
    --------
    How do my buyers pay?

    >>> inv = pd.DataFrame({"buyer_id": ["A", "A", "B"], "amount": [100.0, 300.0, 50.0],
    ...     "due_date": pd.to_datetime(["2026-01-31", "2026-02-28", "2026-03-31"]),
    ...     "paid_date": pd.to_datetime(["2026-02-20", "2026-02-27", None])})
    >>> payment_behaviour(inv)[["paid_invoices", "days_beyond_terms", "late_share"]]
              paid_invoices  days_beyond_terms  late_share
    buyer_id
    A                     2                4.25        0.5
    B                     0                 NaN        NaN
    """
    policy = policy or Policy()
    ledger = ledger_arrays(invoices, policy, by)
    day = None if as_of is None else as_of_day(as_of, policy)
    return _behaviour(ledger, day)


# --------------------------------------------------------------------------- ledger KPIs
def _period_edges(day: int, periods: int, period_days: int | None) -> npt.NDArray[np.int64]:
    """Day numbers b_0 < b_1 < ... < b_p = as_of; period k covers (b_k, b_{k+1}]."""
    if period_days is not None:
        return np.asarray([day - period_days * (periods - k) for k in range(periods + 1)])
    end = pd.Timestamp(day, unit="D")
    stamps = [end - pd.DateOffset(months=periods - k) for k in range(periods + 1)]
    if end.is_month_end:  # as of Nov 30: Sep, Oct and Nov, not from Aug 30
        stamps = [s + pd.offsets.MonthEnd(0) for s in stamps]
    return np.asarray([(s - pd.Timestamp(0)).days for s in stamps], dtype=np.int64)


def _kpis(ledger: LedgerArrays, day: int, periods: int, period_days: int | None) -> pd.DataFrame:
    n = len(ledger.buyers)
    codes = ledger.buyer_codes
    edges = _period_edges(day, periods, period_days)
    days = np.diff(edges).astype(float)
    closing = position(ledger, day)
    opening = position(ledger, int(edges[0]))
    opening_total = opening.by_buyer(opening.open_base)
    receivables = closing.by_buyer(closing.open_base)
    overdue = closing.by_buyer(np.where(closing.overdue, closing.open_base, 0.0))
    current = receivables - overdue
    # sales per buyer and period: invoices dated in (b_k, b_k+1]
    inv_day = ledger.invoice_day
    k = np.searchsorted(edges, inv_day, side="left") - 1
    in_window = (inv_day > edges[0]) & (inv_day <= edges[-1]) & ledger.usable
    sales_grid = np.bincount(
        codes[in_window] * periods + k[in_window],
        weights=ledger.base_amount[in_window],
        minlength=n * periods,
    ).reshape(n, periods)
    sales = sales_grid.sum(axis=1)
    window = float(days.sum())
    std, why_std = dso(receivables, sales, window, with_reasons=True)
    countback, why = dso(receivables, sales_grid, days, "countback", with_reasons=True)
    best = dso(current, sales, window)
    best_cb = dso(current, sales_grid, days, "countback")
    average = (opening_total + receivables) / 2.0
    frame = pd.DataFrame(
        {
            "receivables": receivables,
            "current": current,
            "overdue": overdue,
            "opening": opening_total,
            "sales": sales,
            "window_days": window,
            "dso": std,
            "dso_countback": countback,
            "dso_best": best,
            "days_delinquent": std - best,
            "days_delinquent_countback": countback - best_cb,
            "cei": cei(opening_total, sales, receivables, current, periods if period_days is None
                       else window / (365.0 / 12.0)),
            "percent_current": percent_current(current, receivables),
            "turnover": receivables_turnover(sales * 365.0 / window, average),
            "receivables_exceed_sales": np.asarray(why == _EXCEEDS, dtype=bool),
            "dso_note": np.where(_known(why_std), why, why_std).astype(object),
            "no_fx_invoices": np.bincount(codes[np.isnan(ledger.rate)], minlength=n).astype(np.int64),
        },
        index=ledger.buyers,
    )
    behaviour = _behaviour(ledger, day)
    return frame.join(behaviour)


def receivables_kpis(
    invoices: pd.DataFrame | LedgerArrays,
    as_of: DateLike | None = None,
    policy: Policy | None = None,
    *,
    periods: int = 3,
    period_days: int | None = None,
    by: str = "buyer_id",
) -> pd.DataFrame:
    """Every receivables KPI per buyer from an invoice ledger on an as-of date.

    Parameters
    ----------
    invoices : DataFrame
        Columns as in :data:`xlcredit.engine.aging.INVOICE_COLUMNS`.
    as_of : date, optional
        End of the window; default the policy's as-of date, else today.
    policy : Policy, optional
        Base currency and FX rates. Invoices in a currency with no rate are left out and
        counted in ``no_fx_invoices``.
    periods : int
        Number of periods in the window (default 3).
    period_days : int, optional
        None (default): calendar months ending on the as-of date, with their calendar days
        (whole months when the as-of date is a month end);
        a number: fixed periods of that many days (30 for the CRF's 30-day months).
    by : str
        Grouping column.

    Returns
    -------
    DataFrame
        One row per buyer, columns of :data:`KPI_COLUMNS` (plus
        ``days_delinquent_countback``).

    Notes
    -----
    Receivables, overdue and current are the open amounts the ledger reader counts on the
    as-of date (:mod:`xlcredit.engine.ledger`: receivables = the aging's Total, overdue =
    its Overdue, current = its "Not due"; an invoice set aside, e.g. with no due date or
    in a currency with no rate, is in none of them); opening = the same at the start of the
    window; sales = amounts of usable invoices dated in the window (credit notes net). CEI divides the sales by the number of months (calendar periods: ``periods``;
    fixed periods: window days / (365 / 12)).

    Examples
    --------
    What is each buyer's DSO over the last three months?

    >>> inv = pd.DataFrame({"buyer_id": ["A", "A", "A", "B"],
    ...     "amount": [70000.0, 80000.0, 100000.0, 900.0],
    ...     "invoice_date": pd.to_datetime(["2026-09-15", "2026-10-15", "2026-11-15", "2026-11-01"]),
    ...     "due_date": pd.to_datetime(["2026-10-15", "2026-11-14", "2026-12-15", "2026-12-01"]),
    ...     "paid_date": pd.to_datetime(["2026-10-20", None, None, None])})
    >>> k = receivables_kpis(inv, "2026-11-30", period_days=30)
    >>> k[["receivables", "sales", "dso", "dso_countback"]].round(2)
              receivables     sales   dso  dso_countback
    buyer_id
    A            180000.0  250000.0  64.8           60.0
    B               900.0     900.0  90.0           30.0
    """
    policy = policy or Policy()
    _check_window(periods, period_days)
    ledger = ledger_arrays(invoices, policy, by)
    return _kpis(ledger, as_of_day(as_of, policy), periods, period_days)


def ledger_kpis(
    invoices: pd.DataFrame | LedgerArrays,
    as_of: DateLike | None = None,
    policy: Policy | None = None,
    *,
    periods: int = 3,
    period_days: int | None = None,
) -> pd.Series:
    """The receivables KPIs of the whole ledger (the Dashboard figures).

    Same conventions as :func:`receivables_kpis`, over all buyers together. An empty
    ledger gives zero balances and NaN ratios.

    Examples
    --------
    What are the DSO and CEI of the whole book?

    >>> inv = pd.DataFrame({"buyer_id": ["A", "B"], "amount": [600.0, 400.0],
    ...     "invoice_date": pd.to_datetime(["2026-11-01", "2026-10-01"]),
    ...     "due_date": pd.to_datetime(["2026-12-01", "2026-10-31"])})
    >>> s = ledger_kpis(inv, "2026-11-30")
    >>> float(s["receivables"]), float(s["percent_current"])
    (1000.0, 0.6)
    """
    policy = policy or Policy()
    _check_window(periods, period_days)
    ledger = _one_group(ledger_arrays(invoices, policy))
    row = _kpis(ledger, as_of_day(as_of, policy), periods, period_days).iloc[0]
    row.name = "ledger"
    return row


def _one_group(ledger: LedgerArrays) -> LedgerArrays:
    """The whole ledger as one group named "ledger"."""
    return dataclasses.replace(ledger, buyer_codes=np.zeros(len(ledger), dtype=np.intp),
                               buyers=pd.Index(["ledger"], name="_all"))


def _check_window(periods: int, period_days: int | None) -> None:
    if not isinstance(periods, (int, np.integer)) or isinstance(periods, bool) or periods < 1:
        raise InputError(Message("receivables.periods", {"periods": describe(periods)}))
    if period_days is not None and (
        not isinstance(period_days, (int, np.integer)) or isinstance(period_days, bool)
        or period_days < 1
    ):
        raise InputError(Message("receivables.period_days_whole", {"period_days": describe(period_days)}))
