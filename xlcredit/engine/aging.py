"""Aging of receivables by due date: which buckets the open balance sits in, per buyer and
in total, in the base currency.

The input is a DataFrame of invoices with the standard column names of
:data:`INVOICE_COLUMNS` (the schema helper maps English and Chinese sheet headers to them).
Only ``buyer_id``, ``amount`` and ``due_date`` are required; the others have defaults.

Rules (each one is a decision a credit controller can check):

- **Open on the as-of day** ``D``: issued (``invoice_date <= D``, or no invoice date) and
  not settled (no ``paid_date``, or ``paid_date > D``). The open amount is
  ``amount - paid_amount`` when there is no paid date (partial payments); when the invoice
  was settled after ``D`` the whole ``amount`` was open on ``D`` (the dates of earlier part
  payments are not known). Credit notes (negative amounts) stay in their bucket and reduce
  it.
- **Days past due** = ``D - due_date`` in days. Bucket 0 is "not due" (days <= 0: an invoice
  due today is not yet overdue); then ``1-30``, ``31-60``, ``61-90``, ``91-120`` and
  ``over 120`` for the default edges ``(30, 60, 90, 120)`` of ``policy.aging.bucket_edges``.
- **Base currency**: each open amount is multiplied by ``policy.fx_rate(currency)`` (value
  of one unit in the base currency). A blank currency means the base currency. An open
  invoice in a currency with no rate, or with no due date, is never dropped silently: it is
  listed in :attr:`AgingResult.unaged` with its original amount and the reason, and left
  out of the buckets (which are in the base currency).
- **Disputed** invoices stay in their bucket (they are still owed) and are also shown apart
  in the ``Disputed`` column ("of which disputed") and the ``disputed`` flag of the items.
- The bucket columns always add up to ``Total``, the open balance in the base currency.

Example: how much does each buyer owe, and how late?

>>> import pandas as pd
>>> inv = pd.DataFrame({
...     "buyer_id": ["ACME", "ACME", "BOLT", "BOLT"],
...     "currency": ["EUR", "USD", "EUR", "EUR"],
...     "amount": [1000.0, 500.0, 800.0, -100.0],
...     "paid_amount": [200.0, 0.0, 0.0, 0.0],
...     "due_date": pd.to_datetime(["2026-11-30", "2026-10-15", "2026-07-01", "2026-08-30"]),
... })
>>> policy = Policy(base_currency="EUR", fx_rates=(("USD", 0.9),))
>>> result = age_invoices(inv, "2026-11-28", policy)
>>> result.by_buyer[["Not due", "31-60", "61-90", "Over 120", "Total"]]
          Not due  31-60  61-90  Over 120   Total
buyer_id
ACME        800.0  450.0    0.0       0.0  1250.0
BOLT          0.0    0.0 -100.0     800.0   700.0
>>> float(result.total["Total"])
1950.0
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, PolicyError, SchemaError, describe
from xlcredit.engine.policy import AgingPolicy, Policy
from xlcredit.workbook.excel_values import to_dates, to_flags

__all__ = [
    "INVOICE_COLUMNS",
    "REQUIRED_COLUMNS",
    "AgingResult",
    "LedgerArrays",
    "age_invoices",
    "aging_bucket",
    "aging_totals",
    "as_of_day",
    "bucket_labels",
    "bucket_numbers",
    "day_numbers",
    "ledger_arrays",
    "open_amounts",
]

#: Standard column names of an invoice table and what each holds. The schema helper maps
#: sheet headers (English and Chinese) to these names.
INVOICE_COLUMNS: dict[str, str] = {
    "buyer_id": "buyer identifier (text or number); required",
    "invoice_no": "invoice number (text); default: the row position",
    "currency": "ISO code of the invoice currency (EUR, USD, CNY); blank: the base currency",
    "amount": "invoice amount in its currency, negative for a credit note; required",
    "paid_amount": "amount paid so far (part payments); blank: 0",
    "invoice_date": "date the invoice was issued; blank: issued before the as-of date",
    "due_date": "date payment is due; required (an open item without one is set aside)",
    "paid_date": "date the invoice was settled in full; blank: not settled",
    "disputed": "TRUE/FALSE, Y/N or 是/否: the buyer disputes the invoice; blank: no",
}

#: Columns without which an invoice table cannot be aged.
REQUIRED_COLUMNS: tuple[str, ...] = ("buyer_id", "amount", "due_date")

_LABELS = {
    "en": {"not_due": "Not due", "over": "Over {0}", "range": "{0}-{1}", "total": "Total",
           "overdue": "Overdue", "disputed": "Disputed"},
    "zh-CN": {"not_due": "未到期", "over": "{0}天以上", "range": "{0}-{1}天", "total": "合计",
              "overdue": "逾期", "disputed": "争议"},
}
#: Days from 1970-01-01 back to Excel's day 0 (1899-12-30).
_EXCEL_OFFSET = 25569
_UNITS_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000,
                  "us": 86_400_000_000, "ns": 86_400_000_000_000}
_NO_FX = {"en": "no FX rate for {0}", "zh-CN": "无{0}汇率"}
_NO_DUE = {"en": "no due date", "zh-CN": "无到期日"}

DateLike = dt.date | dt.datetime | pd.Timestamp | np.datetime64 | str | float


# --------------------------------------------------------------------------- buckets
def _edges(bucket_edges: Sequence[float] | npt.ArrayLike | None, policy: Policy | None) -> tuple[int, ...]:
    if bucket_edges is None:
        return tuple(int(e) for e in (policy.aging if policy else AgingPolicy()).bucket_edges)
    edges = np.atleast_1d(np.asarray(bucket_edges, dtype=float))
    if edges.size == 0:
        raise PolicyError("aging.bucket_edges must list at least one number of days; got none.")
    AgingPolicy(bucket_edges=tuple(float(e) for e in edges)).validate()
    return tuple(int(e) for e in edges)


def _labels(language: str) -> dict[str, str]:
    if language not in _LABELS:
        raise InputError(f"language must be 'en' or 'zh-CN'; got {describe(language)}.")
    return _LABELS[language]


def bucket_labels(bucket_edges: Sequence[float] | None = None, language: str = "en") -> list[str]:
    """Labels of the aging buckets, in order, for bucket edges in days past due.

    Parameters
    ----------
    bucket_edges : sequence of int, optional
        Ascending upper edges in days past due; default ``policy.aging.bucket_edges``
        ``(30, 60, 90, 120)``.
    language : {"en", "zh-CN"}

    Returns
    -------
    list of str
        ``len(bucket_edges) + 2`` labels: not due, one per edge, over the last edge.

    Examples
    --------
    What columns will the aging report have?

    >>> bucket_labels()
    ['Not due', '1-30', '31-60', '61-90', '91-120', 'Over 120']
    >>> bucket_labels([15, 45], "zh-CN")
    ['未到期', '1-15天', '16-45天', '45天以上']
    """
    edges = _edges(bucket_edges, None)
    text = _labels(language)
    out = [text["not_due"]]
    low = 1
    for e in edges:
        out.append(text["range"].format(low, e))
        low = e + 1
    out.append(text["over"].format(edges[-1]))
    return out


def bucket_numbers(days_past_due: npt.ArrayLike, bucket_edges: Sequence[float] | None = None) -> npt.NDArray[np.int64]:
    """Bucket number of each item from its days past due: 0 = not due, 1 = first edge ...

    Unknown days (NaN) give -1, and so do infinite ones (no cell holds infinity).

    Examples
    --------
    Which bucket is an invoice 31 days overdue in?

    >>> bucket_numbers([-5, 0, 1, 30, 31, 120, 121, float("nan")]).tolist()
    [0, 0, 1, 1, 2, 4, 5, -1]
    """
    days = np.asarray(days_past_due, dtype=float)
    out = (days > 0).astype(np.int64)
    for edge in _edges(bucket_edges, None):  # a handful of buckets
        out += days > edge
    return np.where(np.isfinite(days), out, -1)  # np.where: also right for a single value


# --------------------------------------------------------------------------- dates
def day_numbers(values: Any, name: str = "date") -> npt.NDArray[np.float64]:
    """Dates as float day numbers since 1970-01-01 (NaN when blank): datetime64, dates,
    text dates or Excel serial numbers.

    Which day numbers do a date cell and a blank give?

    >>> day_numbers(pd.to_datetime(["1970-01-02", None])).tolist()
    [1.0, nan]
    """
    arr = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if arr.dtype.kind == "M":
        per_day = _UNITS_PER_DAY.get(np.datetime_data(arr.dtype)[0])
        if per_day is not None:  # integer arithmetic on the stored ticks: fast and exact
            ticks = arr.view(np.int64)
            whole = (ticks // per_day).astype(float)
            whole[ticks == np.iinfo(np.int64).min] = np.nan  # NaT
            return whole
        days = arr.astype("datetime64[D]")
        out = days.astype(np.int64).astype(float)
        out[np.isnat(days)] = np.nan
        return out
    if arr.dtype.kind in "fiu":  # Excel serial numbers
        serial = np.floor(arr.astype(float))
        return np.where(serial < 61, serial + 1, serial) - _EXCEL_OFFSET
    # text or objects: parse each distinct value once (a ledger has few distinct dates)
    codes, uniques = pd.factorize(pd.Series(arr.ravel(), dtype=object), use_na_sentinel=True)
    parsed = to_dates(list(uniques), name)
    problem = parsed.first_problem()
    if problem is not None:
        raise InputError(problem)
    days = day_numbers(np.append(parsed.values, np.datetime64("NaT", "ns")), name)
    return days[codes].reshape(arr.shape)  # code -1 (blank) picks the trailing NaT


def as_of_day(as_of: DateLike | None, policy: Policy | None = None) -> int:
    """The as-of date as a day number since 1970-01-01 (default: the policy's, else today).

    Examples
    --------
    Which day number is the aging run on, as text, as an Excel serial or as a date?

    >>> as_of_day("2026-11-28"), as_of_day(46354.0), as_of_day(dt.date(2026, 11, 28))
    (20785, 20785, 20785)
    """
    if as_of is None:
        as_of = (policy or Policy()).as_of_date()
    if isinstance(as_of, str):  # the same text forms as the cells: 28.11.2026, 2026年11月28日
        parsed = to_dates([as_of], "as_of")
        if parsed.problems[0] is not None or np.isnat(parsed.values[0]):
            raise InputError(f"as_of must be a date such as 2026-11-28; got {describe(as_of)}.")
        as_of = parsed.values[0]
    days = day_numbers(np.asarray([as_of]), "as_of")
    if np.isnan(days[0]):
        raise InputError(f"as_of must be a date such as 2026-11-28; got {describe(as_of)}.")
    return int(days[0])


# --------------------------------------------------------------------------- ledger
@dataclasses.dataclass(frozen=True)
class LedgerArrays:
    """An invoice table as aligned numpy arrays (dates as day numbers since 1970-01-01).

    Currencies are held as codes into ``currency_names`` (text is built only when asked
    for, by :attr:`currency`); ``rate`` is NaN where the currency has no FX rate.
    """

    buyer_codes: npt.NDArray[np.intp]
    buyers: pd.Index
    invoice_numbers: pd.Series | None
    currency_codes: npt.NDArray[np.intp]
    currency_names: npt.NDArray[np.object_]
    amount: npt.NDArray[np.float64]
    paid_amount: npt.NDArray[np.float64]
    rate: npt.NDArray[np.float64]
    invoice_day: npt.NDArray[np.float64]
    due_day: npt.NDArray[np.float64]
    paid_day: npt.NDArray[np.float64]
    disputed: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.amount)

    @property
    def currency(self) -> npt.NDArray[np.object_]:
        """ISO code of each invoice's currency (the base currency where blank)."""
        return self.currency_names[self.currency_codes]

    @property
    def invoice_no(self) -> npt.NDArray[Any]:
        """Invoice numbers (row positions when the table has none)."""
        if self.invoice_numbers is None:
            return np.arange(len(self.amount))
        return self.invoice_numbers.to_numpy()


def _blank_as_zero(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """NaN (a blank) as 0; one pass, unlike ``np.nan_to_num`` which also scans for inf."""
    return np.where(np.isnan(values), 0.0, values)


def _numbers(series: pd.Series, name: str) -> npt.NDArray[np.float64]:
    try:
        values = np.asarray(pd.to_numeric(series, errors="raise"), dtype=float)
    except (ValueError, TypeError):
        bad = series[pd.to_numeric(series, errors="coerce").isna() & series.notna()]
        raise InputError(
            f"{name} must hold numbers; got {describe(bad.iloc[0])} in row {bad.index[0]}."
        ) from None
    infinite = np.isinf(values)
    if infinite.any():
        row = series.index[int(np.flatnonzero(infinite)[0])]
        raise InputError(f"{name} must be a finite number; got {values[infinite][0]} in row {row}.")
    return values


def _plain(values: pd.Series) -> Any:
    """What factorizes fastest: categoricals as they are, anything else as a numpy array
    (pandas' string arrays factorize about twice as slowly as their object values)."""
    return values if isinstance(values.dtype, pd.CategoricalDtype) else values.to_numpy()


def _sorted_codes(values: pd.Series) -> tuple[npt.NDArray[np.intp], pd.Index]:
    """Group codes in sorted order of the keys (blank keys last, as their own group)."""
    codes, uniques = pd.factorize(_plain(values))
    index = pd.Index(uniques)
    blank = codes < 0
    if blank.any():  # blank keys form their own group, sorted last
        codes = np.where(blank, len(index), codes)
        index = index.append(pd.Index([None], dtype=object))
    try:
        order = index.argsort()
    except TypeError:  # keys of mixed kinds (numbers and text): sort them as text
        order = pd.Index(index.astype(str)).argsort()
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return rank[codes], index[order]


def ledger_arrays(invoices: pd.DataFrame, policy: Policy | None = None, by: str = "buyer_id") -> LedgerArrays:
    """Check an invoice table and turn it into aligned arrays (the shared first step of
    aging, DSO and payment behaviour).

    Parameters
    ----------
    invoices : DataFrame
        Columns named as in :data:`INVOICE_COLUMNS`.
    policy : Policy, optional
        Base currency and FX rates (default: EUR only).
    by : str
        Column that groups invoices (default ``buyer_id``).

    Examples
    --------
    Does my table have what aging needs?

    >>> ledger_arrays(pd.DataFrame({"buyer_id": ["A"], "amount": [5.0]}))
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.SchemaError: The invoice table has no due_date column; add it (required: buyer_id, amount, due_date).
    """
    policy = policy or Policy()
    required = dict.fromkeys(REQUIRED_COLUMNS)
    required[by] = None
    for col in required:
        if col not in invoices.columns:
            raise SchemaError(
                f"The invoice table has no {col} column; add it (required: "
                f"{', '.join(required)})."
            )
    n = len(invoices)
    codes, buyers = _sorted_codes(invoices[by])
    amount = _numbers(invoices["amount"], "amount")
    paid = (
        _blank_as_zero(_numbers(invoices["paid_amount"], "paid_amount"))
        if "paid_amount" in invoices.columns
        else np.zeros(n)
    )
    if "currency" in invoices.columns:
        cur_codes, cur_uniques = pd.factorize(_plain(invoices["currency"]), use_na_sentinel=True)
        names = [str(c).strip().upper() for c in cur_uniques]
        known = np.array(
            [np.nan if (r := policy.fx_rate(c)) is None else r for c in names] + [1.0], dtype=float
        )
        rate = known[cur_codes]  # code -1 (blank) picks the trailing 1.0: the base currency
        currency_codes = np.where(cur_codes < 0, len(names), cur_codes).astype(np.intp)
        currency_names = np.asarray([*names, policy.base_currency], dtype=object)
    else:
        rate = np.ones(n)
        currency_codes = np.zeros(n, dtype=np.intp)
        currency_names = np.asarray([policy.base_currency], dtype=object)

    def dates(col: str) -> npt.NDArray[np.float64]:
        return day_numbers(invoices[col], col) if col in invoices.columns else np.full(n, np.nan)

    if "disputed" in invoices.columns:
        raw = invoices["disputed"]
        if raw.dtype == bool:
            disputed = raw.to_numpy(dtype=bool)
        else:
            flag_codes, flag_values = pd.factorize(raw, use_na_sentinel=True)
            flags = to_flags(list(flag_values), "disputed")  # each distinct value once
            problem = flags.first_problem()
            if problem is not None:
                raise InputError(problem)
            disputed = np.append(flags.values == 1.0, False)[flag_codes]
    else:
        disputed = np.zeros(n, dtype=bool)
    return LedgerArrays(
        buyer_codes=np.asarray(codes, dtype=np.intp),
        buyers=pd.Index(buyers, name=by),
        invoice_numbers=invoices["invoice_no"] if "invoice_no" in invoices.columns else None,
        currency_codes=currency_codes,
        currency_names=currency_names,
        amount=amount,
        paid_amount=paid,
        rate=rate,
        invoice_day=dates("invoice_date"),
        due_day=dates("due_date"),
        paid_day=dates("paid_date"),
        disputed=disputed,
    )


def open_amounts(ledger: LedgerArrays, day: int | float) -> npt.NDArray[np.float64]:
    """Open amount of each invoice on a day, in its own currency (0 when not open).

    Examples
    --------
    What was still owed on 2026-11-28 (day 20785) of an invoice of 1,000 with 400 paid?

    >>> inv = pd.DataFrame({"buyer_id": ["A", "A"], "amount": [1000.0, 50.0],
    ...                     "paid_amount": [400.0, 0.0], "due_date": ["2026-12-01"] * 2,
    ...                     "paid_date": [None, "2026-11-01"]})
    >>> open_amounts(ledger_arrays(inv), as_of_day("2026-11-28")).tolist()
    [600.0, 0.0]
    """
    out = np.where(
        np.isnan(ledger.paid_day),
        ledger.amount - ledger.paid_amount,  # not settled: what is left after part payments
        ledger.amount * (ledger.paid_day > day),  # settled after the day: all was open
    )
    out[ledger.invoice_day > day] = 0.0  # not issued yet (a blank invoice date counts as issued)
    return _blank_as_zero(out)


# --------------------------------------------------------------------------- aging
class AgingResult:
    """Aging of a ledger on one day.

    Attributes
    ----------
    by_buyer : DataFrame
        One row per buyer with an open item: bucket columns in order, ``Total`` (their sum,
        the open balance in the base currency), ``Overdue`` (Total minus Not due) and
        ``Disputed`` (of which disputed). Labels follow ``language``.
    total : Series
        The same columns for the whole ledger.
    unaged : DataFrame
        Open items left out of the buckets, with their original amount and the reason
        (no FX rate for the currency, or no due date).
    labels : list of str
        Bucket labels in order.
    """

    def __init__(
        self,
        ledger: LedgerArrays,
        day: int,
        edges: tuple[int, ...],
        language: str,
    ) -> None:
        text = _labels(language)
        self.labels = bucket_labels(edges, language)
        self.as_of = pd.Timestamp(day, unit="D")
        self._ledger = ledger
        nb = len(self.labels)
        open_amt = open_amounts(ledger, day)
        dpd = day - ledger.due_day
        self._open = open_amt
        self._dpd = dpd
        is_open = open_amt != 0.0
        bucket = bucket_numbers(dpd, edges)
        aged = is_open & ~np.isnan(ledger.rate) & (bucket >= 0)
        self._bucket = bucket
        self._aged = aged
        self._base = open_amt * _blank_as_zero(ledger.rate)
        # one pass over all rows, no row selection: items not aged go to a spare slot nb
        codes = ledger.buyer_codes
        n_groups = len(ledger.buyers)
        slot = np.where(aged, bucket, nb)
        grid = np.bincount(
            codes * (nb + 1) + slot, weights=self._base, minlength=n_groups * (nb + 1)
        ).reshape(n_groups, nb + 1)[:, :nb]
        disputed = np.bincount(
            codes, weights=np.where(ledger.disputed & aged, self._base, 0.0), minlength=n_groups
        )
        has_open = np.bincount(codes, weights=aged, minlength=n_groups) > 0
        total = grid.sum(axis=1)
        frame = pd.DataFrame(grid, index=ledger.buyers, columns=self.labels)
        frame[text["total"]] = total
        frame[text["overdue"]] = total - grid[:, 0]
        frame[text["disputed"]] = disputed
        self.by_buyer = frame[has_open]
        self.total = frame.sum(axis=0)
        self.total[text["total"]] = float(grid.sum())
        self.total.name = text["total"]
        self._language = language

    @property
    def items(self) -> pd.DataFrame:
        """Every aged open item: buyer, invoice, currency, open amount (original and base),
        days past due, bucket label and disputed flag."""
        ledger, aged = self._ledger, self._aged
        labels = np.asarray(self.labels, dtype=object)
        return pd.DataFrame(
            {
                ledger.buyers.name or "buyer_id": ledger.buyers[ledger.buyer_codes[aged]],
                "invoice_no": ledger.invoice_no[aged],
                "currency": ledger.currency_names[ledger.currency_codes[aged]],
                "open_amount": self._open[aged],
                "open_base": self._base[aged],
                "days_past_due": self._dpd[aged],
                "bucket": labels[self._bucket[aged]],
                "disputed": ledger.disputed[aged],
            }
        )

    def _set_aside(self) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        ledger = self._ledger
        is_open = self._open != 0.0
        no_fx = is_open & np.isnan(ledger.rate)
        return no_fx, no_fx | (is_open & np.isnan(ledger.due_day))

    @property
    def unaged(self) -> pd.DataFrame:
        """Open items not in the buckets, with their original amount and why."""
        ledger = self._ledger
        no_fx, mask = self._set_aside()
        before, after = _NO_FX[self._language].split("{0}")
        codes = ledger.currency_names[ledger.currency_codes[mask]]
        currency = pd.Series(codes, dtype=object).astype(str)
        reason = (before + currency + after).where(no_fx[mask], _NO_DUE[self._language])
        return pd.DataFrame(
            {
                ledger.buyers.name or "buyer_id": ledger.buyers[ledger.buyer_codes[mask]],
                "invoice_no": ledger.invoice_no[mask],
                "currency": codes,
                "open_amount": self._open[mask],
                "days_past_due": self._dpd[mask],
                "disputed": ledger.disputed[mask],
                "reason": reason.to_numpy(dtype=object),
            }
        )

    @property
    def no_fx(self) -> pd.DataFrame:
        """Open items in a currency with no FX rate (original amounts, not in the buckets)."""
        no_fx, mask = self._set_aside()
        return self.unaged[no_fx[mask]].reset_index(drop=True)


def age_invoices(
    invoices: pd.DataFrame,
    as_of: DateLike | None = None,
    policy: Policy | None = None,
    *,
    bucket_edges: Sequence[float] | None = None,
    language: str | None = None,
    by: str = "buyer_id",
) -> AgingResult:
    """Age open invoices by due date, per buyer and in total, in the base currency.

    Parameters
    ----------
    invoices : DataFrame
        Columns as in :data:`INVOICE_COLUMNS`.
    as_of : date, optional
        Day of the aging; default the policy's as-of date, else today.
    policy : Policy, optional
        Bucket edges, base currency, FX rates and language.
    bucket_edges : sequence of int, optional
        Overrides ``policy.aging.bucket_edges``.
    language : {"en", "zh-CN"}, optional
        Labels; default the policy's language.
    by : str
        Grouping column (default ``buyer_id``).

    Returns
    -------
    AgingResult
        ``by_buyer``, ``total``, ``items``, ``unaged`` (and ``no_fx``), ``labels``.

    Notes
    -----
    days past due = as_of - due_date; bucket 0 when <= 0, bucket k when
    edge[k-1] < days <= edge[k] (edge[0] = 0), the last bucket beyond the last edge.
    Open amount = amount - paid_amount (unsettled) or amount (settled after as_of).

    References
    ----------
    Credit Research Foundation, aging of accounts receivable by days past due.

    Examples
    --------
    Which of our invoices in yuan could not be converted?

    >>> inv = pd.DataFrame({"buyer_id": ["A", "B"], "currency": ["EUR", "CNY"],
    ...                     "amount": [100.0, 700.0], "due_date": ["2026-10-01", "2026-10-01"]})
    >>> r = age_invoices(inv, "2026-11-28")
    >>> r.unaged[["buyer_id", "currency", "open_amount", "reason"]]
      buyer_id currency  open_amount             reason
    0        B      CNY        700.0  no FX rate for CNY
    >>> float(r.total["Total"]), float(r.total["31-60"])
    (100.0, 100.0)
    """
    policy = policy or Policy()
    edges = _edges(bucket_edges, policy)
    ledger = ledger_arrays(invoices, policy, by)
    return AgingResult(ledger, as_of_day(as_of, policy), edges, language or policy.language)


# --------------------------------------------------------------------------- Excel shapes
def aging_bucket(
    due_dates: Any,
    as_of: DateLike,
    bucket_edges: Sequence[float] | None = None,
    language: str = "en",
) -> npt.NDArray[np.object_]:
    """Bucket label of each due date on the as-of day (None where the due date is blank).

    Examples
    --------
    Which bucket is an invoice due on 2026-10-15 in at the end of November?

    >>> aging_bucket(pd.to_datetime(["2026-10-15", "2026-12-31"]), "2026-11-30").tolist()
    ['31-60', 'Not due']
    """
    labels = np.asarray([*bucket_labels(bucket_edges, language), None], dtype=object)
    dpd = as_of_day(as_of) - day_numbers(due_dates, "due_date")
    return labels[bucket_numbers(dpd, bucket_edges)]  # -1 picks the trailing None


def aging_totals(
    amounts: npt.ArrayLike,
    due_dates: Any,
    as_of: DateLike,
    bucket_edges: Sequence[float] | None = None,
    language: str = "en",
) -> pd.Series:
    """Total amount per aging bucket, in bucket order, with a last ``Total``.

    Rows with neither an amount nor a due date are skipped (a whole column selected);
    an amount without a due date is an error.

    Examples
    --------
    How are these four invoices spread over the buckets?

    >>> s = aging_totals([100.0, 250.0, 40.0, -20.0],
    ...                  pd.to_datetime(["2026-12-10", "2026-11-01", "2026-06-01", "2026-11-01"]),
    ...                  "2026-11-28")
    >>> s.to_dict()
    {'Not due': 100.0, '1-30': 230.0, '31-60': 0.0, '61-90': 0.0, '91-120': 0.0, 'Over 120': 40.0, 'Total': 370.0}
    """
    labels = bucket_labels(bucket_edges, language)
    amount = np.asarray(amounts, dtype=float).ravel()
    days = day_numbers(due_dates, "due_date").ravel()
    if amount.shape != days.shape:
        raise InputError(
            f"amounts has {amount.size} rows but due_dates has {days.size}; give both the same "
            f"number of rows."
        )
    missing = np.isnan(days) & ~np.isnan(amount) & (amount != 0)
    if missing.any():
        row = int(np.flatnonzero(missing)[0]) + 1
        raise InputError(
            f"due_dates: row {row} has an amount ({amount[row - 1]:g}) but no due date; "
            f"{int(missing.sum())} such row(s). Add the due dates."
        )
    keep = ~np.isnan(days) & ~np.isnan(amount)
    bucket = bucket_numbers(as_of_day(as_of) - days[keep], bucket_edges)
    sums = np.bincount(bucket, weights=amount[keep], minlength=len(labels))
    out = pd.Series(sums, index=labels, dtype=float)
    out[_labels(language)["total"]] = float(sums.sum())
    return out
