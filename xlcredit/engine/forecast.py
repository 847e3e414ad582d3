"""Cash-collection forecast: when each open invoice is expected to be paid, and the weekly
totals for the next weeks in the base currency. docs/forecast.md gives the method and its
back-test on a real ledger.

Rules (each one a decision a credit controller can check):

- **Open items**: the open amount of :func:`xlcredit.engine.ledger.position` (the ledger reader) on the as-of
  day, in the base currency; only amounts above zero are collections (credit notes offset
  them but bring in no cash). Items without an FX rate or a due date are listed in
  ``set_aside`` with the reason.
- **Expected payment date**: the ``promise_date`` when there is one; else the due date plus
  the buyer's expected delay. Disputed items get no date: their total is shown apart.
- **Expected delay of a buyer**: from its invoices paid on or before the as-of day (not
  disputed), the amount-weighted mean of ``paid_date - due_date`` in days, signed (early
  payment counts as negative), each invoice weighted by ``amount x 0.5 ** (age /
  half_life_days)`` where ``age`` is the days since it was paid (recent history counts
  more). It is blended with the portfolio's delay (the same mean over all buyers):
  ``(n d_buyer + k d_portfolio) / (n + k)`` with ``n`` the buyer's recency-weighted number
  of paid invoices and ``k = prior_invoices``. A buyer without history gets the
  portfolio's delay; a ledger without any paid history gets 0 (the due date), with a note.
- **Weeks**: week ``w`` (1 .. ``weeks``) covers days ``as_of + 7(w-1) + 1`` to
  ``as_of + 7w``. An item whose expected date is on or before the as-of day (already late
  against its expectation) is counted in week 1. Items expected after the last week are
  totalled in ``later``.

Which cash comes in over the next weeks?

>>> import pandas as pd
>>> inv = pd.DataFrame({
...     "buyer_id": ["A", "A", "A", "B", "C"],
...     "amount": [100.0, 100.0, 500.0, 300.0, 50.0],
...     "due_date": pd.to_datetime(["2026-09-30", "2026-10-31", "2026-12-10", "2026-12-01", "2026-11-20"]),
...     "paid_date": pd.to_datetime(["2026-10-10", "2026-11-10", None, None, None]),
...     "disputed": [False, False, False, False, True],
... })
>>> f = forecast(inv, "2026-11-30")
>>> f.items[["buyer_id", "expected_delay", "expected_date", "week"]]
  buyer_id  expected_delay expected_date  week
0        A            10.0    2026-12-20     3
1        B            10.0    2026-12-11     2
>>> f.weekly["expected"].head(3).tolist(), f.disputed
([0.0, 300.0, 500.0], 50.0)
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.ledger import DateLike, LedgerArrays, as_of_day, ledger_arrays, position
from xlcredit.engine.policy import Policy
from xlcredit.messages import text as catalogue_text

__all__ = ["ForecastResult", "buyer_delays", "forecast"]

_TEXT = {
    lang: {key: catalogue_text(f"letters.forecast_{key}", lang) for key in ("no_history", "promise", "buyer", "portfolio")}
    for lang in ("en", "zh-CN")
}


@dataclasses.dataclass(frozen=True)
class _Delays:
    expected: npt.NDArray[np.float64]  # per buyer, days
    own: npt.NDArray[np.float64]  # per buyer, NaN without history
    weight: npt.NDArray[np.float64]  # per buyer, recency-weighted paid invoices
    portfolio: float  # NaN without any history


def _delays(ledger: LedgerArrays, day: int, policy: Policy) -> _Delays:
    """Each buyer's expected delay in days from its paid history up to ``day``."""
    ng = len(ledger.buyers)
    amount = ledger.amount * ledger.rate
    paid = ~np.isnan(ledger.paid_day) & (ledger.paid_day <= day)
    usable = ledger.usable & paid & ~np.isnan(ledger.due_day) & ~ledger.disputed & (amount > 0)
    decay = np.where(usable, 0.5 ** ((day - np.nan_to_num(ledger.paid_day)) / policy.forecast.half_life_days), 0.0)
    w = np.where(usable, np.nan_to_num(amount) * decay, 0.0)
    delay = np.where(usable, ledger.paid_day - ledger.due_day, 0.0)
    codes = ledger.buyer_codes
    wsum = np.bincount(codes, weights=w, minlength=ng)
    dsum = np.bincount(codes, weights=w * delay, minlength=ng)
    n = np.bincount(codes, weights=decay, minlength=ng)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(wsum > 0, dsum / wsum, np.nan)
    total = float(wsum.sum())
    portfolio = float(dsum.sum()) / total if total > 0 else np.nan
    k = policy.forecast.prior_invoices
    prior = 0.0 if np.isnan(portfolio) else portfolio
    with np.errstate(invalid="ignore", divide="ignore"):
        blended = np.where(n + k > 0, (n * np.nan_to_num(own) + k * prior) / (n + k), prior)
    expected = np.where(np.isnan(own), prior, blended)
    return _Delays(expected, own, n.astype(float), portfolio)


def buyer_delays(invoices: pd.DataFrame, as_of: DateLike | None = None, policy: Policy | None = None) -> pd.DataFrame:
    """Each buyer's expected payment delay (days after the due date, negative when early).

    Columns: ``paid_weight`` (recency-weighted number of paid invoices), ``own_delay``
    (amount- and recency-weighted mean delay; NaN without history) and ``expected_delay``
    (blended with the portfolio's delay).

    Examples
    --------
    A pays 10 days late, B 4 days early, C has no history:

    >>> inv = pd.DataFrame({"buyer_id": ["A", "B", "C"], "amount": [100.0, 100.0, 80.0],
    ...     "due_date": pd.to_datetime(["2026-11-01", "2026-11-01", "2026-12-15"]),
    ...     "paid_date": pd.to_datetime(["2026-11-11", "2026-10-28", None])})
    >>> p = Policy().with_overrides({"forecast": {"half_life_days": 3650, "prior_invoices": 1}})
    >>> print(buyer_delays(inv, "2026-11-30", p).round(1).to_string())
              paid_weight  own_delay  expected_delay
    buyer_id
    A                 1.0       10.0             6.5
    B                 1.0       -4.0            -0.5
    C                 0.0        NaN             3.0
    """
    policy = policy or Policy()
    ledger = ledger_arrays(invoices, policy)
    d = _delays(ledger, as_of_day(as_of, policy), policy)
    return pd.DataFrame({"paid_weight": d.weight, "own_delay": d.own, "expected_delay": d.expected},
                        index=ledger.buyers)


@dataclasses.dataclass(frozen=True)
class ForecastResult:
    """A cash-collection forecast on one day.

    Attributes
    ----------
    as_of : Timestamp
    items : DataFrame
        Every open undisputed item with its expected date: buyer, invoice, ``open_base``,
        ``due_date``, ``expected_delay``, ``expected_date``, ``source`` (promise, buyer
        history, portfolio) and ``week`` (0 when after the last week).
    weekly : DataFrame
        One row per week: ``week``, ``start``, ``end``, ``expected`` (base currency) and
        ``items``.
    later : float
        Expected after the last week.
    disputed : float
        Open disputed amount (base currency), not in the weeks.
    disputed_items : DataFrame
    set_aside : DataFrame
        Open items without an FX rate or due date, with the reason.
    portfolio_delay : float
        The portfolio's delay in days (NaN without any paid history).
    notes : list of str
    """

    as_of: pd.Timestamp
    items: pd.DataFrame
    weekly: pd.DataFrame
    later: float
    disputed: float
    disputed_items: pd.DataFrame
    set_aside: pd.DataFrame
    portfolio_delay: float
    notes: list[str]


def forecast(
    invoices: pd.DataFrame,
    as_of: DateLike | None = None,
    policy: Policy | None = None,
    *,
    weeks: int | None = None,
    language: str | None = None,
) -> ForecastResult:
    """Expected payment date of every open invoice and weekly collections (base currency).

    Parameters
    ----------
    invoices : DataFrame
        The ledger, columns of :data:`xlcredit.engine.ledger.INVOICE_COLUMNS` plus the
        optional ``promise_date``.
    as_of : date, optional
        Day of the forecast; default the policy's, else today.
    policy : Policy, optional
        ``forecast`` settings, FX rates.
    weeks : int, optional
        Overrides ``policy.forecast.weeks`` (13).
    language : {"en", "zh-CN"}, optional

    Returns
    -------
    ForecastResult

    Notes
    -----
    expected_date = promise_date, else due_date + expected_delay(buyer);
    week = max(1, ceil((expected_date - as_of) / 7)).
    """
    policy = policy or Policy()
    language = language or policy.language
    text = _TEXT[language]
    n_weeks = int(weeks if weeks is not None else policy.forecast.weeks)
    ledger = ledger_arrays(invoices, policy)
    day = as_of_day(as_of, policy)
    d = _delays(ledger, day, policy)
    notes = [text["no_history"]] if np.isnan(d.portfolio) else []

    pos = position(ledger, day, policy)  # the ledger reader: open amount, base, set aside
    ok = pos.counted & (pos.open_base > 0)
    base = pos.open_base
    promise = ledger.promise_day
    codes = ledger.buyer_codes
    has_own = ~np.isnan(d.own)[codes]
    delay = np.where(np.isnan(promise), d.expected[codes], promise - ledger.due_day)
    expected = np.where(np.isnan(promise), ledger.due_day + delay, promise)
    offset = np.where(np.isfinite(expected), expected - day, 0.0)  # no due date: set aside below
    week = np.maximum(1, np.ceil(offset / 7.0))
    week = np.where(week > n_weeks, 0, week).astype(np.int64)
    source = np.where(~np.isnan(promise), text["promise"], np.where(has_own, text["buyer"], text["portfolio"]))
    live = ok & ~ledger.disputed
    disputed = ok & ledger.disputed

    name = ledger.buyers.name or "buyer_id"
    items = pd.DataFrame({
        name: ledger.buyers[codes[live]], "invoice_no": ledger.invoice_no[live],
        "open_base": base[live], "due_date": pd.to_datetime(ledger.due_day[live], unit="D"),
        "expected_delay": delay[live],
        "expected_date": pd.to_datetime(np.floor(expected[live]), unit="D"),
        "source": source[live].astype(object), "week": week[live],
    })
    sums = np.bincount(week[live], weights=base[live], minlength=n_weeks + 1)
    counts = np.bincount(week[live], minlength=n_weeks + 1)
    start = pd.Timestamp(day + 1, unit="D") + pd.to_timedelta(7 * np.arange(n_weeks), unit="D")
    weekly = pd.DataFrame({"week": np.arange(1, n_weeks + 1), "start": start,
                           "end": start + pd.Timedelta(days=6), "expected": sums[1:],
                           "items": counts[1:]})
    disputed_items = pd.DataFrame({
        name: ledger.buyers[codes[disputed]], "invoice_no": ledger.invoice_no[disputed],
        "open_base": base[disputed], "due_date": pd.to_datetime(ledger.due_day[disputed], unit="D"),
    })
    aside = pos.set_aside_items(language)
    set_aside = aside[[name, "invoice_no", "currency", "open_amount", "reason"]].reset_index(drop=True)
    return ForecastResult(pd.Timestamp(day, unit="D"), items, weekly, float(sums[0]),
                          float(base[disputed].sum()), disputed_items, set_aside, d.portfolio, notes)
