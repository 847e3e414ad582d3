"""Bad-debt provision (坏账准备): the IFRS 9 simplified approach for trade receivables.

Lifetime expected credit losses are measured with a *provision matrix*: a loss rate per
aging bucket times the open balance in the bucket (IFRS 9 5.5.15 and B5.5.35). The rates
are either given by the policy (``policy.provision.loss_rates``) or estimated from the
ledger's own history by the roll-rate (migration) method, then multiplied by an outlook
factor. docs/provision.md works an example through by hand.

Rules (each one a decision an auditor can check):

- **Buckets.** ``basis="due_date"`` (default): by days past due on the as-of day, with the
  aging edges below ``loss_days`` and then ``loss_days`` itself, so the last bucket (over
  180 days by default) is the loss state. ``basis="invoice_date"``: by days since the
  invoice date, edges ``invoice_age_edges`` (365, 730, 1095: 1年以内, 1-2年, 2-3年, 3年以上,
  as Chinese accountants age for 坏账准备).
- **Loss state**: an invoice written off (``written_off_date`` on or before the day), or
  more than ``loss_days`` days past due. Once there, the amount counts as lost.
- **Open balance**: the open amount of :func:`xlcredit.engine.ledger.position` (the ledger reader) in the
  base currency (FX as in the aging), less written-off invoices, which leave the open
  balance and are listed in :attr:`ProvisionResult.write_offs` (a later payment date on a
  written-off invoice does not reopen it: the write-off wins). Open items without an FX
  rate, a due date (or, for ``invoice_date``, an invoice date) are listed in ``unprovided``
  with the reason, never dropped silently.
- **Roll rates** (history): at each of the last ``history_months`` month-ends ``t`` before
  the as-of day, each open item not in the loss state is in a bucket ``b``; at the next
  month-end it is paid (not open), in the loss state, or in a bucket ``b' >= b``. Summed
  over all month pairs, amount-weighted (open amount at ``t``), these give the migration
  shares ``Q[b, b']`` and ``R[b]`` (to the loss state). Items only move to older buckets, so
  the probability of ending in the loss state from bucket ``b`` is found backwards:
  ``x[b] = (R[b] + sum over b' > b of Q[b, b'] x[b']) / (1 - Q[b, b])``. With buckets as
  wide as a month this is the textbook chain product of roll rates. The loss rate is
  ``min(1, x[b] x outlook_factor)``; the loss-state bucket is 1. A bucket with no history is
  given the rate of the next older bucket, and a note says so.
- **Credit-impaired buyers** (``insolvent`` or ``legal_action`` flagged in the buyer table,
  or with ``legal_step_impairs`` an open item at the last dunning step) are provided
  individually: balance x (1 - expected recovery), the buyer's ``expected_recovery`` or
  ``impaired_recovery``. They are left out of the collective matrix.
- **Insurance**: a recovery expected from separately bought credit insurance is not part of
  the receivable's terms, so it is not netted: the gross provision and the expected
  recovery are shown apart (IFRS 9 B5.5.55). Expected recovery per buyer = ``cover_share``
  x min(provision on undisputed items, ``insured_limit``) when ``insurance.enabled``.

Example: what provision do these four invoices need at the end of November?

>>> import pandas as pd
>>> inv = pd.DataFrame({
...     "buyer_id": ["ACME", "ACME", "BOLT", "BOLT"],
...     "amount": [1000.0, 500.0, 800.0, 300.0],
...     "due_date": pd.to_datetime(["2026-12-15", "2026-10-15", "2026-05-01", "2026-11-20"]),
... })
>>> policy = Policy().with_overrides({"provision": {"loss_rates": [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]}})
>>> r = provision(inv, "2026-11-30", policy)
>>> r.matrix[["balance", "loss_rate", "provision"]]
          balance  loss_rate  provision
bucket
Not due    1000.0       0.01       10.0
1-30        300.0       0.02        6.0
31-60       500.0       0.05       25.0
61-90         0.0       0.10        0.0
91-120        0.0       0.20        0.0
121-180       0.0       0.50        0.0
Over 180    800.0       1.00      800.0
>>> float(r.totals["gross_provision"])
841.0
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.aging import aging_totals, bucket_labels, bucket_numbers
from xlcredit.engine.collections import dunning_step_numbers
from xlcredit.engine.errors import InputError, describe
from xlcredit.engine.ledger import (
    DateLike,
    LedgerArrays,
    as_of_day,
    ledger_arrays,
    open_amounts,
    position,
)
from xlcredit.engine.policy import Policy
from xlcredit.messages import Message
from xlcredit.messages import text as catalogue_text

__all__ = [
    "BUYER_COLUMNS",
    "ProvisionResult",
    "matrix_provision",
    "provision",
    "provision_buckets",
    "provision_movement",
    "roll_rates",
]

#: Optional columns of the buyer table read here (keyed by ``buyer_id``, column or index).
BUYER_COLUMNS: dict[str, str] = {
    "insolvent": "TRUE when the buyer is insolvent (credit-impaired); clean values (bool)",
    "legal_action": "TRUE when the debt is with a lawyer or collection agency (credit-impaired)",
    "expected_recovery": "share (0-1) of a credit-impaired buyer's balance expected back",
    "insured_limit": "credit-insurance limit of the buyer in the base currency (0: not insured)",
}

#: Labels of invoice-age buckets (first, middle, last) in whole years or in days.
_AGE_LABELS: dict[str, dict[str, tuple[str, str, str]]] = {
    lang: {unit: (catalogue_text(f"provision.{unit}_first", lang), catalogue_text(f"provision.{unit}_middle", lang),
                  catalogue_text(f"provision.{unit}_last", lang)) for unit in ("years", "days")}
    for lang in ("en", "zh-CN")
}
_TEXT: dict[str, dict[str, str]] = {
    lang: {key: catalogue_text(f"provision.{key}", lang) for key in ("no_invoice", "no_history", "no_exit", "last", "no_limit", "insolvent", "legal_action", "legal_step")}
    for lang in ("en", "zh-CN")
}


# --------------------------------------------------------------------------- buckets
def provision_buckets(policy: Policy | None = None, language: str | None = None) -> tuple[tuple[int, ...], list[str]]:
    """Edges and labels of the provision buckets of a policy.

    Examples
    --------
    Which buckets does the provision use by due date, and by invoice date (账龄)?

    >>> provision_buckets()[1]
    ['Not due', '1-30', '31-60', '61-90', '91-120', '121-180', 'Over 180']
    >>> provision_buckets(Policy().with_overrides({"provision": {"basis": "invoice_date"}}), "zh-CN")[1]
    ['1年以内', '1-2年', '2-3年', '3年以上']
    """
    policy = policy or Policy()
    language = language or policy.language
    p = policy.provision
    edges = p.bucket_edges(policy.aging.bucket_edges)
    if p.basis == "due_date":
        return edges, bucket_labels(edges, language)
    years = all(e % 365 == 0 for e in edges)
    first, middle, last = _AGE_LABELS[language]["years" if years else "days"]
    scale = 365 if years else 1
    labels = [first.format(edges[0] // scale)]
    labels += [middle.format(a // scale + (0 if years else 1), b // scale)
               for a, b in itertools.pairwise(edges)]
    labels.append(last.format(edges[-1] // scale))
    return edges, labels


def _buckets(ledger: LedgerArrays, day: Any, edges: tuple[int, ...], basis: str) -> npt.NDArray[np.int64]:
    """Bucket of each item on a day (-1 where its date is blank)."""
    if basis == "due_date":
        return bucket_numbers(day - ledger.due_day, edges)
    b = bucket_numbers(day - ledger.invoice_day, edges)  # 0 = issued that day, 1 = first edge
    return np.where(b > 0, b - 1, b)


def _written_off_day(ledger: LedgerArrays) -> npt.NDArray[np.float64]:
    """The ledger reader's write-off days (NaN where not written off)."""
    if ledger.written_off_day is None:
        return np.full(len(ledger), np.nan)
    return ledger.written_off_day


# --------------------------------------------------------------------------- roll rates
@dataclasses.dataclass(frozen=True)
class _Estimate:
    rates: npt.NDArray[np.float64]
    migration: pd.DataFrame
    notes: list[str]


def _estimate(
    ledger: LedgerArrays, written_off: npt.NDArray[np.float64], day: int, policy: Policy,
    edges: tuple[int, ...], labels: list[str], language: str,
) -> _Estimate:
    p = policy.provision
    nb = len(labels)
    loss, paid = nb, nb + 1
    stamp = pd.Timestamp(day, unit="D")
    ends = pd.date_range(end=stamp, periods=int(p.history_months) + 1, freq="ME")
    days = (ends.to_numpy().astype("datetime64[D]").astype(np.int64)).astype(float)
    first_issue = np.nanmin(ledger.invoice_day) if np.isfinite(ledger.invoice_day).any() else -np.inf
    days = days[days >= first_issue]
    usable = ledger.usable & ~np.isnan(ledger.due_day)
    if p.basis == "invoice_date":
        usable &= ~np.isnan(ledger.invoice_day)
    counts = np.zeros((nb + 2) * (nb + 2))
    if len(days) >= 2:
        # the loop reads the usable invoices open at some month-end only (one issued after the
        # last or settled before the first moves nothing), their rates read once
        with np.errstate(invalid="ignore"):
            rows = np.flatnonzero(usable & ~(ledger.invoice_day > days[-1]) & ~(ledger.paid_day <= days[0]))
        items, off_day = ledger.take(rows), written_off[rows]
        rate = np.nan_to_num(items.rate)

        def state(t: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
            amount = open_amounts(items, t) * rate
            in_loss = (off_day <= t) | (t - items.due_day > p.loss_days)
            return amount, np.where(in_loss, loss, _buckets(items, t, edges, p.basis))

        before, s0 = state(days[0])
        for t1 in days[1:]:  # a loop over month-ends (24 by default), each one vectorised
            after, s1 = state(t1)
            live = (before > 0) & (s0 != loss) & (s0 >= 0)
            gone = off_day <= t1  # written off: all that was open is lost
            stays = np.where(gone, 0.0, np.minimum(np.maximum(after, 0.0), before))
            moved = np.where(gone, before, stays)
            dest = np.where(gone, loss, s1)
            frm = s0[live] * (nb + 2)
            counts += np.bincount(frm + dest[live], weights=moved[live], minlength=counts.size)
            counts += np.bincount(frm + paid, weights=(before - moved)[live], minlength=counts.size)
            before = np.where(gone, 0.0, after)
            s0 = s1
    grid = counts.reshape(nb + 2, nb + 2)[:nb]
    exposure = grid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = grid / exposure[:, None]
    text = _TEXT[language]
    notes: list[str] = []
    x = np.full(nb, np.nan)
    transient = nb - 1 if p.basis == "due_date" else nb
    if p.basis == "due_date":
        x[nb - 1] = 1.0  # the last bucket is the loss state
    for b in range(transient - 1, -1, -1):  # a handful of buckets, oldest first
        older = next((k for k in range(b + 1, nb) if not np.isnan(x[k])), None)
        stay = share[b, b] if exposure[b] > 0 else np.nan
        if exposure[b] > 0 and stay < 1.0 - 1e-12:
            onward = share[b, b + 1:nb] @ np.nan_to_num(x[b + 1:nb])
            x[b] = (share[b, loss] + onward) / (1.0 - stay)
            continue
        key = "no_history" if exposure[b] <= 0 else "no_exit"
        if older is None:
            x[b] = 1.0
            notes.append(text["last"].format(labels[b]))
        else:
            x[b] = x[older]
            notes.append(text[key].format(labels[b], labels[older]))
    rates = np.minimum(1.0, x * p.outlook_factor)
    if p.basis == "due_date":
        rates[nb - 1] = 1.0
    migration = pd.DataFrame(share, index=pd.Index(labels, name="bucket"),
                             columns=[*labels, "loss", "paid"])
    migration.insert(0, "exposure", exposure)
    migration["loss_rate_history"] = x
    return _Estimate(rates, migration, notes)


def roll_rates(invoices: pd.DataFrame, as_of: DateLike | None = None, policy: Policy | None = None,
               *, language: str | None = None) -> pd.DataFrame:
    """The migration table behind the history-based loss rates: per bucket, the exposure
    summed over the month-ends used, the share that moved to each bucket, to the loss state
    and to paid by the next month-end, and the loss rate before the outlook factor.

    Examples
    --------
    Of what was 1-30 days overdue at a month-end, how much was paid a month later? (Due
    on 31 August, 30 days overdue on 30 September, 61 on 31 October: month-ends are not 30
    days apart, so an item can skip a bucket; the table records where it went.)

    >>> inv = pd.DataFrame({"buyer_id": ["A", "B"], "amount": [100.0, 300.0],
    ...     "invoice_date": pd.to_datetime(["2026-08-01", "2026-08-01"]),
    ...     "due_date": pd.to_datetime(["2026-08-31", "2026-08-31"]),
    ...     "paid_date": pd.to_datetime(["2026-10-15", None])})
    >>> rr = roll_rates(inv, "2026-11-30")
    >>> rr.loc["1-30", ["exposure", "61-90", "paid"]].tolist()
    [400.0, 0.75, 0.25]
    """
    policy = policy or Policy()
    language = language or policy.language
    ledger = ledger_arrays(invoices, policy)
    edges, labels = provision_buckets(policy, language)
    est = _estimate(ledger, _written_off_day(ledger), as_of_day(as_of, policy),
                    policy, edges, labels, language)
    return est.migration


# --------------------------------------------------------------------------- result
@dataclasses.dataclass(frozen=True)
class ProvisionResult:
    """A provision on one day.

    Attributes
    ----------
    as_of : Timestamp
    matrix : DataFrame
        Per bucket (index ``bucket``): ``balance`` (collective, base currency),
        ``loss_rate``, ``provision``, ``in_loss_state`` (of the balance, items already in
        the loss state, provided in full). Buckets in order.
    by_buyer : DataFrame
        Per buyer with an open balance: ``open_balance``, ``collective_provision``,
        ``individual_provision``, ``gross_provision``, ``insurance_recovery``,
        ``net_of_insurance``, ``impaired`` and ``impaired_reason``.
    by_buyer_bucket : DataFrame
        Long table ``buyer_id``, ``bucket``, ``balance``, ``provision`` (rows with a balance).
    items : DataFrame
        Every provided open item: buyer, invoice, open amount (base), days past due, bucket,
        rate, provision, impaired, disputed.
    write_offs : DataFrame
        Invoices written off by the as-of day: buyer, invoice, date, amount (base), and
        ``paid_after_write_off`` (a later payment date: the write-off stands, the payment
        is a recovery to book).
    unprovided : DataFrame
        Open items left out (no FX rate, no due or invoice date), with the reason.
    migration : DataFrame or None
        The roll-rate table when the rates come from history (see :func:`roll_rates`).
    totals : Series
        ``open_balance``, ``collective_provision``, ``individual_provision``,
        ``gross_provision``, ``insurance_recovery``, ``net_of_insurance``, ``written_off``.
    rate_source : str
        "policy" or "history".
    notes : list of str
        What the estimate had to assume (buckets without history).
    """

    as_of: pd.Timestamp
    matrix: pd.DataFrame
    by_buyer: pd.DataFrame
    by_buyer_bucket: pd.DataFrame
    items: pd.DataFrame
    write_offs: pd.DataFrame
    unprovided: pd.DataFrame
    migration: pd.DataFrame | None
    totals: pd.Series
    rate_source: str
    notes: list[str]


def _buyer_table(buyers: pd.DataFrame | None, index: pd.Index) -> pd.DataFrame:
    """Buyer inputs aligned with the ledger's buyers (absent columns: blank)."""
    out = pd.DataFrame(index=index)
    if buyers is None:
        return out
    frame = buyers.set_index("buyer_id") if "buyer_id" in buyers.columns else buyers
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()][0]
        raise InputError(Message("provision.duplicate_buyer", {"value": describe(dup)}))
    for col in BUYER_COLUMNS:
        if col in frame.columns:
            out[col] = frame[col].reindex(index).to_numpy()
    return out


def _flag(table: pd.DataFrame, col: str) -> npt.NDArray[np.bool_]:
    """A TRUE/FALSE column of the buyer table (clean values: bool, 1/0; blank is FALSE)."""
    if col not in table.columns:
        return np.zeros(len(table), dtype=bool)
    values = table[col]
    known = values.notna()
    kept = values[known]
    if pd.api.types.is_numeric_dtype(kept.dtype):  # numbers or flags: one comparison per column
        ok = (kept == 0) | (kept == 1)
    else:  # values of mixed kinds: each decides
        ok = kept.map(lambda v: isinstance(v, (bool, np.bool_)) or (
            isinstance(v, (int, float, np.integer, np.floating)) and v in (0, 1)))
    if not ok.all():
        bad = values[known][~ok.to_numpy(dtype=bool)]
        raise InputError(Message("provision.not_boolean", {
            "name": col, "value": describe(bad.iloc[0]), "buyer": describe(bad.index[0])}))
    return np.asarray(values.where(known, False).astype(bool), dtype=bool)


def _share(table: pd.DataFrame, col: str, default: float) -> npt.NDArray[np.float64]:
    """A number column of the buyer table (clean values; blank takes ``default``)."""
    if col not in table.columns:
        return np.full(len(table), default)
    raw = table[col]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    text = np.isnan(values) & raw.notna().to_numpy()
    if text.any():
        raise InputError(Message("provision.not_number", {
            "name": col, "value": describe(raw[text].iloc[0]), "buyer": describe(table.index[text][0])}))
    top = 1.0 if col == "expected_recovery" else np.inf
    bad = ~np.isnan(values) & ((values < 0) | (values > top))
    if bad.any():
        key = "provision.not_share" if col == "expected_recovery" else "provision.negative"
        raise InputError(Message(key, {
            "name": col, "value": f"{values[bad][0]:g}", "buyer": describe(table.index[bad][0])}))
    return np.where(np.isnan(values), default, values)


def provision(
    invoices: pd.DataFrame | LedgerArrays,
    as_of: DateLike | None = None,
    policy: Policy | None = None,
    buyers: pd.DataFrame | None = None,
    *,
    language: str | None = None,
) -> ProvisionResult:
    """The bad-debt provision of a ledger on a day, per bucket, buyer and invoice.

    Parameters
    ----------
    invoices : DataFrame
        The ledger, columns of :data:`xlcredit.engine.ledger.INVOICE_COLUMNS` plus the
        optional ``written_off_date``.
    as_of : date, optional
        Day of the provision (a month-end, usually); default the policy's, else today.
    policy : Policy, optional
        ``provision`` settings, aging edges, dunning ladder, insurance, FX rates.
    buyers : DataFrame, optional
        Buyer inputs, columns of :data:`BUYER_COLUMNS`.
    language : {"en", "zh-CN"}, optional

    Returns
    -------
    ProvisionResult

    Notes
    -----
    provision = sum over collective items of open_base x loss_rate[bucket] (1 for items
    in the loss state) + sum over credit-impaired buyers of balance x (1 - recovery).

    References
    ----------
    IFRS 9 Financial Instruments, 5.5.15 (simplified approach), B5.5.35 (provision matrix),
    B5.5.55 (credit enhancements not part of the contractual terms); 企业会计准则第22号.

    Examples
    --------
    A buyer has gone insolvent: how is it provided?

    >>> inv = pd.DataFrame({"buyer_id": ["A", "B"], "amount": [1000.0, 400.0],
    ...                     "due_date": pd.to_datetime(["2026-12-31", "2026-12-31"])})
    >>> rates = {"provision": {"loss_rates": [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]}}
    >>> r = provision(inv, "2026-11-30", Policy().with_overrides(rates),
    ...               pd.DataFrame({"buyer_id": ["B"], "insolvent": [True], "expected_recovery": [0.25]}))
    >>> print(r.by_buyer[["open_balance", "collective_provision", "individual_provision",
    ...                   "impaired_reason"]].to_string())
              open_balance  collective_provision  individual_provision impaired_reason
    buyer_id
    A               1000.0                  10.0                   0.0
    B                400.0                   0.0                 300.0       insolvent
    """
    policy = policy or Policy()
    language = language or policy.language
    p = policy.provision
    text = _TEXT[language]
    ledger = ledger_arrays(invoices, policy)
    day = as_of_day(as_of, policy)
    written_off = _written_off_day(ledger)
    edges, labels = provision_buckets(policy, language)
    nb = len(labels)

    if p.loss_rates:
        rates = np.asarray(p.loss_rates, dtype=float)
        migration, notes, source = None, [], "policy"
    else:
        est = _estimate(ledger, written_off, day, policy, edges, labels, language)
        rates, migration, notes, source = est.rates, est.migration, list(est.notes), "history"

    # ------------------------------------------------------------ open items today
    pos = position(ledger, day, policy)  # the ledger reader: open amount, base, days overdue
    off = written_off <= day
    open_amt = np.where(off, 0.0, pos.open_amount)
    bucket = _buckets(ledger, day, edges, p.basis)
    no_date = pos.counted & ~off & (bucket < 0)  # invoice-date basis without an invoice date
    keep = pos.counted & ~off & ~no_date
    base = np.where(keep, pos.open_base, 0.0)
    dpd = pos.days_overdue
    in_loss = keep & (dpd > p.loss_days) & (source == "history")
    item_rate = np.where(in_loss, 1.0, rates[np.clip(bucket, 0, nb - 1)])

    # ------------------------------------------------------------ credit-impaired buyers
    ng = len(ledger.buyers)
    table = _buyer_table(buyers, ledger.buyers)
    insolvent = _flag(table, "insolvent")
    legal = _flag(table, "legal_action")
    legal_step = np.zeros(ng, dtype=bool)
    if p.legal_step_impairs:
        at_last = keep & ~ledger.disputed & (dunning_step_numbers(np.nan_to_num(dpd), policy) >= len(policy.dunning))
        legal_step = np.bincount(ledger.buyer_codes[at_last], minlength=ng) > 0
    impaired_buyer = insolvent | legal | legal_step
    recovery = _share(table, "expected_recovery", p.impaired_recovery)
    codes = ledger.buyer_codes
    impaired = keep & impaired_buyer[codes]
    item_rate = np.where(impaired, 1.0 - recovery[codes], item_rate)
    prov = np.where(keep, base * item_rate, 0.0)
    base_kept = np.where(keep, base, 0.0)
    collective = keep & ~impaired

    # ------------------------------------------------------------ matrix and buyers
    slot = np.clip(bucket, 0, nb - 1)
    bal_b = np.bincount(slot[collective], weights=base[collective], minlength=nb)
    prov_b = np.bincount(slot[collective], weights=prov[collective], minlength=nb)
    loss_b = np.bincount(slot[in_loss & collective], weights=base[in_loss & collective], minlength=nb)
    matrix = pd.DataFrame({"balance": bal_b, "loss_rate": rates, "provision": prov_b,
                           "in_loss_state": loss_b}, index=pd.Index(labels, name="bucket"))

    open_g = np.bincount(codes, weights=base_kept, minlength=ng)
    coll_g = np.bincount(codes, weights=np.where(collective, prov, 0.0), minlength=ng)
    ind_g = np.bincount(codes, weights=np.where(impaired, prov, 0.0), minlength=ng)
    gross_g = coll_g + ind_g
    recovery_g = np.zeros(ng)
    if policy.insurance.enabled:
        covered = np.bincount(codes, weights=np.where(~ledger.disputed, prov, 0.0), minlength=ng)
        if "insured_limit" in table.columns:
            limit = _share(table, "insured_limit", 0.0)
        else:
            limit = np.full(ng, np.inf)
            notes.append(text["no_limit"])
        recovery_g = policy.insurance.cover_share * np.minimum(np.maximum(covered, 0.0), limit)
    reason = np.full(ng, "", dtype=object)
    for flag, key in ((legal_step, "legal_step"), (legal, "legal_action"), (insolvent, "insolvent")):
        reason = np.where(flag, text[key], reason)  # the strongest reason last
    by_buyer = pd.DataFrame({
        "open_balance": open_g, "collective_provision": coll_g, "individual_provision": ind_g,
        "gross_provision": gross_g, "insurance_recovery": recovery_g,
        "net_of_insurance": gross_g - recovery_g, "impaired": impaired_buyer,
        "impaired_reason": reason,
    }, index=ledger.buyers)
    has = np.bincount(codes, weights=keep, minlength=ng) > 0
    by_buyer = by_buyer[has]

    cell = codes * nb + slot
    grid_bal = np.bincount(cell[keep], weights=base[keep], minlength=ng * nb).reshape(ng, nb)
    grid_prov = np.bincount(cell[keep], weights=prov[keep], minlength=ng * nb).reshape(ng, nb)
    hit = np.bincount(cell[keep], minlength=ng * nb).reshape(ng, nb) > 0
    gi, bi = np.nonzero(hit)
    buyer_name = ledger.buyers.name or "buyer_id"
    by_buyer_bucket = pd.DataFrame({
        buyer_name: ledger.buyers[gi], "bucket": np.asarray(labels, dtype=object)[bi],
        "balance": grid_bal[gi, bi], "provision": grid_prov[gi, bi],
    })

    label_arr = np.asarray(labels, dtype=object)
    items = pd.DataFrame({
        buyer_name: ledger.buyers[codes[keep]], "invoice_no": ledger.invoice_no[keep],
        "open_base": base[keep], "days_past_due": dpd[keep], "bucket": label_arr[slot[keep]],
        "loss_rate": item_rate[keep], "provision": prov[keep], "impaired": impaired[keep],
        "in_loss_state": in_loss[keep], "disputed": ledger.disputed[keep],
    })
    wo_day = np.where(off, written_off, np.nan)
    wo_amount = open_amounts(ledger, np.where(off, written_off - 1, 0.0))  # type: ignore[arg-type]
    write_offs = pd.DataFrame({
        buyer_name: ledger.buyers[codes[off]], "invoice_no": ledger.invoice_no[off],
        "written_off_date": pd.to_datetime(wo_day[off], unit="D"),
        "amount_base": (wo_amount * ledger.rate)[off],
        # a payment dated after the write-off (an import that reopens it): the write-off
        # stands, and the payment is a recovery of a written-off debt to book
        "paid_after_write_off": (ledger.paid_day > written_off)[off],
    })
    aside = pos.set_aside_items(language)
    aside = aside[~np.isin(aside["invoice_no"].to_numpy(), ledger.invoice_no[off])]
    missing = pd.DataFrame({
        buyer_name: ledger.buyers[codes[no_date]], "invoice_no": ledger.invoice_no[no_date],
        "currency": ledger.currency_names[ledger.currency_codes[no_date]],
        "open_amount": open_amt[no_date], "reason": text["no_invoice"],
    })
    cols = [buyer_name, "invoice_no", "currency", "open_amount", "reason"]
    unprovided = pd.concat([aside[cols], missing], ignore_index=True) if len(missing) else aside[cols].reset_index(drop=True)
    gross = float(gross_g.sum())
    totals = pd.Series({
        "open_balance": float(open_g.sum()), "collective_provision": float(coll_g.sum()),
        "individual_provision": float(ind_g.sum()), "gross_provision": gross,
        "insurance_recovery": float(recovery_g.sum()),
        "net_of_insurance": gross - float(recovery_g.sum()),
        "written_off": float(np.nansum(write_offs["amount_base"])),
    })
    return ProvisionResult(pd.Timestamp(day, unit="D"), matrix, by_buyer, by_buyer_bucket, items,
                           write_offs, unprovided, migration, totals, source, notes)


# --------------------------------------------------------------------------- movement
def provision_movement(current: ProvisionResult, previous: ProvisionResult | pd.Series | None,
                       *, since: DateLike | None = None) -> pd.DataFrame:
    """Movement of the gross provision per buyer against the previous month's.

    ``previous`` is the earlier :class:`ProvisionResult`, or its ``gross_provision`` per
    buyer as kept in the workbook (a Series indexed by buyer), or None (first month).
    Columns: ``opening``, ``increase``, ``release``, ``closing`` (opening + increase -
    release = closing) and ``written_off`` (write-offs dated after the previous as-of day:
    the result's, else ``since``; all write-offs when neither is known). A last row
    ``Total`` sums them.

    Examples
    --------
    How did the provision move since October?

    >>> prev = pd.Series({"A": 100.0, "B": 50.0})
    >>> inv = pd.DataFrame({"buyer_id": ["A", "C"], "amount": [1000.0, 300.0],
    ...                     "due_date": pd.to_datetime(["2026-12-31", "2026-12-31"])})
    >>> rates = {"provision": {"loss_rates": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1.0]}}
    >>> now = provision(inv, "2026-11-30", Policy().with_overrides(rates))
    >>> provision_movement(now, prev)
           opening  increase  release  closing  written_off
    A        100.0       0.0      0.0    100.0          0.0
    B         50.0       0.0     50.0      0.0          0.0
    C          0.0      30.0      0.0     30.0          0.0
    Total    150.0      30.0     50.0    130.0          0.0
    """
    closing = current.by_buyer["gross_provision"]
    wo = current.write_offs
    if isinstance(previous, ProvisionResult):
        opening = previous.by_buyer["gross_provision"]
        wo = wo[wo["written_off_date"] > previous.as_of]
    elif previous is None:
        opening = pd.Series(dtype=float)
    else:
        opening = pd.to_numeric(previous, errors="raise").astype(float)
    if since is not None and not isinstance(previous, ProvisionResult):
        wo = wo[wo["written_off_date"] > pd.Timestamp(as_of_day(since), unit="D")]
    index = closing.index.union(opening.index)
    o = opening.reindex(index, fill_value=0.0).to_numpy(dtype=float)
    c = closing.reindex(index, fill_value=0.0).to_numpy(dtype=float)
    buyer_col = wo.columns[0]
    w = wo.groupby(buyer_col)["amount_base"].sum().reindex(index, fill_value=0.0).to_numpy(dtype=float)
    change = c - o
    out = pd.DataFrame({"opening": o, "increase": np.maximum(change, 0.0),
                        "release": np.maximum(-change, 0.0), "closing": c, "written_off": w},
                       index=pd.Index(index, dtype=object))
    out.loc["Total"] = out.sum(axis=0)
    return out


# --------------------------------------------------------------------------- Excel shape
def matrix_provision(
    amounts: npt.ArrayLike,
    due_dates: Any,
    as_of: DateLike,
    rates: Sequence[float] | npt.ArrayLike,
    bucket_edges: Sequence[float] | None = None,
) -> pd.Series:
    """Provision per aging bucket for given loss rates: sum of amount x rate of its bucket.

    ``rates`` gives one rate (0..1) per bucket: not due, one per edge, over the last edge.
    ``bucket_edges`` default: the provision buckets of the default policy, (30, 60, 90,
    120, 180), so seven rates, as in the provision matrix.
    Rows with neither an amount nor a due date are skipped; an amount without a due date is
    an error. The last entry ``Total`` is the provision (what ``=PROVISION`` returns).

    Examples
    --------
    Three invoices, rates 1 %, 5 % and 50 % for not due, 1-90 and over 90 days:

    >>> s = matrix_provision([1000.0, 400.0, 200.0],
    ...                      pd.to_datetime(["2026-12-31", "2026-10-31", "2026-05-31"]),
    ...                      "2026-11-30", [0.01, 0.05, 0.5], [90])
    >>> s.to_dict()
    {'Not due': 10.0, '1-90': 20.0, 'Over 90': 100.0, 'Total': 130.0}
    """
    if bucket_edges is None:
        bucket_edges = provision_buckets()[0]
    labels = bucket_labels(bucket_edges)
    r = np.asarray(rates, dtype=float).ravel()
    if r.size != len(labels):
        raise InputError(Message("provision.rate_count", {
            "count": len(labels), "buckets": ", ".join(labels), "value": r.size}))
    bad = np.isnan(r) | (r < 0) | (r > 1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InputError(Message("provision.bad_rate", {"value": f"{r[k]:g}", "bucket": labels[k]}))
    balance = aging_totals(amounts, due_dates, as_of, bucket_edges)  # the aging's own buckets
    out = balance.iloc[:-1] * r
    out["Total"] = float(out.sum())
    return out
