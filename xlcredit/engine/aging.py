"""Aging of receivables by due date: which buckets the open balance sits in, per buyer and
in total, in the base currency.

The input is a DataFrame of invoices with the standard column names of
:data:`INVOICE_COLUMNS` (the schema helper maps English and Chinese sheet headers to them).
Only ``buyer_id``, ``amount`` and ``due_date`` are required; the others have defaults.

The ledger is read by :mod:`xlcredit.engine.ledger` (the one reader): its rules decide
what is open on the as-of day, in which currency, and what is set aside (no FX rate, no
due date, not a number, a date out of range: listed in :attr:`AgingResult.unaged`, never
in the buckets). Here:

- **Days past due** = ``D - due_date`` in days. Bucket 0 is "not due" (days <= 0: an invoice
  due today is not yet overdue); then ``1-30``, ``31-60``, ``61-90``, ``91-120`` and
  ``over 120`` for the default edges ``(30, 60, 90, 120)`` of ``policy.aging.bucket_edges``.
  Credit notes (negative amounts) stay in their bucket and reduce it.
- **Disputed** invoices stay in their bucket (they are still owed) and are also shown apart
  in the ``Disputed`` column ("of which disputed") and the ``disputed`` flag of the items.
- The bucket columns always add up to ``Total``, the open balance in the base currency
  (the buyer's exposure), and ``Overdue`` is the overdue balance the Buyers sheet shows.

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

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, PolicyError, describe
from xlcredit.engine.ledger import (
    INVOICE_COLUMNS,
    REQUIRED_COLUMNS,
    DateLike,
    LedgerArrays,
    Position,
    as_of_day,
    ledger_arrays,
    position,
)
from xlcredit.engine.policy import AgingPolicy, Policy
from xlcredit.engine.values import day_numbers, floats, same_rows
from xlcredit.messages import Message
from xlcredit.messages import text as catalogue_text

__all__ = [
    "INVOICE_COLUMNS",
    "REQUIRED_COLUMNS",
    "AgingResult",
    "age_invoices",
    "aging_bucket",
    "aging_totals",
    "bucket_labels",
    "bucket_numbers",
]

#: Bucket and total labels by language ({0}, {1}: the bucket's days).
_LABELS = {
    lang: {key: catalogue_text(f"aging.{key}", lang) for key in ("not_due", "over", "range", "total", "overdue", "disputed")}
    for lang in ("en", "zh-CN")
}

# --------------------------------------------------------------------------- buckets
def _edges(bucket_edges: Sequence[float] | npt.ArrayLike | None, policy: Policy | None) -> tuple[int, ...]:
    if bucket_edges is None:
        return tuple(int(e) for e in (policy.aging if policy else AgingPolicy()).bucket_edges)
    edges = np.atleast_1d(floats(bucket_edges, "bucket_edges"))
    if edges.size == 0:
        raise PolicyError(Message("aging.no_edges"))
    AgingPolicy(bucket_edges=tuple(float(e) for e in edges)).validate()
    return tuple(int(e) for e in edges)


def _labels(language: str) -> dict[str, str]:
    if language not in _LABELS:
        raise InputError(Message("aging.language", {"value": describe(language)}))
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
    days = floats(days_past_due, "days_past_due")
    out = (days > 0).astype(np.int64)
    for edge in _edges(bucket_edges, None):  # a handful of buckets
        out += days > edge
    return np.where(np.isfinite(days), out, -1)  # np.where: also right for a single value


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
        Invoices set aside (see :mod:`xlcredit.engine.ledger`: no FX rate, no due date, not
        a number, a date out of range), with their original amount and the reason.
    labels : list of str
        Bucket labels in order.
    position : Position
        The ledger on the as-of day, as the reader placed it.
    """

    def __init__(self, pos: Position, edges: tuple[int, ...], language: str) -> None:
        text = _labels(language)
        self.labels = bucket_labels(edges, language)
        self.as_of = pd.Timestamp(pos.day, unit="D")
        self.position = pos
        ledger = pos.ledger
        nb = len(self.labels)
        # the aged items only (open, usable, with a due date): the rest adds nothing anywhere,
        # and each sum adds the same items in the same order as over all rows
        aged = np.flatnonzero(pos.counted)
        bucket = bucket_numbers(pos.days_overdue[aged], edges)  # >= 0: aged items have a due date
        self._aged_bucket = bucket
        codes = ledger.buyer_codes[aged]
        base = pos.open_base[aged]
        n_groups = len(ledger.buyers)
        # a spare column nb (left empty) keeps the grid the same strided view as before, so
        # numpy's sums of it add in the same order
        grid = np.bincount(codes * (nb + 1) + bucket, weights=base, minlength=n_groups * (nb + 1)
                           ).reshape(n_groups, nb + 1)[:, :nb]
        disputed = np.bincount(codes, weights=np.where(ledger.disputed[aged], base, 0.0), minlength=n_groups)
        has_open = np.bincount(codes, minlength=n_groups) > 0
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
        pos = self.position
        ledger, aged = pos.ledger, pos.counted
        labels = np.asarray(self.labels, dtype=object)
        return pd.DataFrame(
            {
                ledger.buyers.name or "buyer_id": ledger.buyers[ledger.buyer_codes[aged]],
                "invoice_no": ledger.invoice_no[aged],
                "currency": ledger.currency_names[ledger.currency_codes[aged]],
                "open_amount": pos.open_amount[aged],
                "open_base": pos.open_base[aged],
                "days_past_due": pos.days_overdue[aged],
                "bucket": labels[self._aged_bucket],
                "disputed": ledger.disputed[aged],
            }
        )

    @property
    def unaged(self) -> pd.DataFrame:
        """Invoices not in the buckets, with their original amount, the column and why."""
        return self.position.set_aside_items(self._language).rename(
            columns={"days_overdue": "days_past_due"})

    @property
    def no_fx(self) -> pd.DataFrame:
        """Open items in a currency with no FX rate (original amounts, not in the buckets)."""
        unaged = self.unaged
        return unaged[unaged["column"] == "currency"].reset_index(drop=True)


def age_invoices(
    invoices: pd.DataFrame | LedgerArrays,
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
    pos = position(ledger_arrays(invoices, policy, by), as_of, policy)
    return AgingResult(pos, edges, language or policy.language)


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
    amount = floats(amounts, "amounts").ravel()
    days = day_numbers(due_dates, "due_date").ravel()
    same_rows(amount, "amounts", days, "due_dates")
    missing = np.isnan(days) & ~np.isnan(amount) & (amount != 0)
    if missing.any():
        row = int(np.flatnonzero(missing)[0]) + 1
        raise InputError(Message("aging.no_due_date", {
            "row": row, "amount": f"{amount[row - 1]:g}", "count": int(missing.sum())}))
    keep = ~np.isnan(days) & ~np.isnan(amount)
    bucket = bucket_numbers(as_of_day(as_of) - days[keep], bucket_edges)
    sums = np.bincount(bucket, weights=amount[keep], minlength=len(labels))
    out = pd.Series(sums, index=labels, dtype=float)
    out[_labels(language)["total"]] = float(sums.sum())
    return out
