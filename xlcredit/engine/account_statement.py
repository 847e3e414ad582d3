"""Statements of account (对账单): each buyer's open invoices on a day, in the invoices' own
currencies, with totals and the aging line per currency.

Every fact comes from where it is computed once: the open amount, days overdue and aging
bucket of each item from the aging (:func:`xlcredit.engine.aging.age_invoices`), the state
of each overdue item (disputed, promised) and its late interest from the collections
worklist (:func:`xlcredit.engine.collections.build_worklist`). This module only selects,
joins and sums them per buyer and currency; it computes no ledger fact of its own.

Rules:

- A line is an invoice open on the day (aged, or set aside by the aging for want of an FX
  rate or a due date: a buyer's statement lists what it owes whatever our rates).
- Amounts are in the invoice currency. ``open_base`` (our base currency) is kept for our
  own sheets; a customer document shows a base-currency total only for a buyer billed in
  more than one currency.
- Late interest is the worklist's (base currency, statutory rules of the policy) divided
  by the item's FX rate: the same figure in the invoice currency; 0 when the policy does
  not charge it, blank when the currency has no rate.
- ``in_dunning``: an item the worklist chases (state "dunning" or "broken promise": overdue,
  not disputed on hold, not under a promise still honoured; credit notes are not chased);
  what a dunning letter asks for. Disputed and promised items stay on the statement,
  marked.

What does buyer A's statement hold on 28 November?

>>> import pandas as pd
>>> from xlcredit.engine.aging import age_invoices
>>> from xlcredit.engine.collections import build_worklist
>>> inv = pd.DataFrame({"invoice_no": ["1", "2", "3"], "buyer_id": ["A", "A", "A"],
...     "currency": ["EUR", "USD", "EUR"], "amount": [1000.0, 500.0, 300.0],
...     "paid_amount": [400.0, 0.0, 0.0], "invoice_date": pd.to_datetime(["2026-09-01"] * 3),
...     "due_date": pd.to_datetime(["2026-10-01", "2026-12-15", "2026-11-20"]),
...     "disputed": [False, False, True]})
>>> from xlcredit.engine.policy import Policy
>>> p = Policy(fx_rates=(("USD", 0.9),))
>>> lines = statement_lines(inv, age_invoices(inv, "2026-11-28", p),
...                         build_worklist(inv, "2026-11-28", p), p)
>>> lines[["invoice_no", "currency", "open_amount", "days_overdue", "disputed", "in_dunning"]]
  invoice_no currency  open_amount  days_overdue  disputed  in_dunning
0          1      EUR        600.0          58.0     False        True
1          3      EUR        300.0           8.0      True       False
2          2      USD        500.0           NaN     False       False
>>> statement_totals(lines)[["open_amount", "overdue", "in_dunning"]]
                   open_amount  overdue  in_dunning
buyer_id currency
A        EUR             900.0    900.0       600.0
         USD             500.0      0.0         0.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.aging import AgingResult, bucket_labels, bucket_numbers
from xlcredit.engine.policy import Policy

__all__ = ["LINE_COLUMNS", "statement_aging", "statement_lines", "statement_totals"]

#: Columns of :func:`statement_lines`, in order.
LINE_COLUMNS: dict[str, str] = {
    "buyer_id": "buyer",
    "invoice_no": "invoice number",
    "invoice_date": "invoice date (NaT when not known)",
    "due_date": "due date (NaT when not known)",
    "currency": "invoice currency",
    "amount": "invoice amount",
    "paid_amount": "paid so far (0 when blank)",
    "open_amount": "open amount on the day, invoice currency (the aging's)",
    "open_base": "open amount in the base currency (NaN: no FX rate)",
    "days_overdue": "days past the due date when > 0, else NaN (not due)",
    "bucket": "aging bucket label ('' without a due date)",
    "disputed": "TRUE while disputed",
    "promised": "TRUE while a promise to pay is honoured",
    "late_interest": "late interest and fixed sum to date, invoice currency (0: not charged)",
    "in_dunning": "chased by the worklist: overdue, not disputed on hold, not under a promise",
    "step_no": "dunning step of the item (0: none or on hold)",
}


def _details(ledger: pd.DataFrame) -> pd.DataFrame:
    keep = [c for c in ("invoice_date", "due_date", "amount", "paid_amount") if c in ledger.columns]
    frame = ledger[["buyer_id", "invoice_no", *keep]].copy()
    for key in ("buyer_id", "invoice_no"):  # an empty ledger's columns are float: join keys as objects
        frame[key] = frame[key].astype(object)
    return frame.drop_duplicates(["buyer_id", "invoice_no"])


def statement_lines(ledger: pd.DataFrame, aging: AgingResult, worklist: pd.DataFrame,
                    policy: Policy) -> pd.DataFrame:
    """Open invoices of every buyer for their statements (columns of :data:`LINE_COLUMNS`),
    sorted by buyer, currency and due date.

    Parameters
    ----------
    ledger : DataFrame
        The invoices the aging and the worklist were built from (``buyer_id``,
        ``invoice_no``, ``amount``, ``paid_amount``, ``invoice_date``, ``due_date``).
    aging : AgingResult
        The aging on the statement day.
    worklist : DataFrame
        The collections worklist on the same day.
    policy : Policy
        Bucket edges (for items the aging set aside) and whether late interest is charged.
    """
    items = aging.items
    aside = aging.unaged
    aside = aside[np.isfinite(aside["open_amount"].to_numpy(dtype=float))
                  & (aside["open_amount"].to_numpy(dtype=float) != 0.0)]
    labels = np.asarray(aging.labels, dtype=object)
    days = aside["days_past_due"].to_numpy(dtype=float)
    numbers = bucket_numbers(days, policy.aging.bucket_edges)
    aside_bucket = np.where(numbers >= 0, labels[np.clip(numbers, 0, len(labels) - 1)], "")
    both = pd.concat([
        items.assign(open_base=items["open_base"].to_numpy(dtype=float)),
        pd.DataFrame({"buyer_id": aside["buyer_id"].to_numpy(dtype=object),
                      "invoice_no": aside["invoice_no"].to_numpy(dtype=object),
                      "currency": aside["currency"].to_numpy(dtype=object),
                      "open_amount": aside["open_amount"].to_numpy(dtype=float),
                      "open_base": np.full(len(aside), np.nan),
                      "days_past_due": days, "bucket": aside_bucket,
                      "disputed": aside["disputed"].to_numpy(dtype=bool)}),
    ], ignore_index=True)
    both["invoice_no"] = both["invoice_no"].astype(object)
    both["buyer_id"] = both["buyer_id"].astype(object)
    lines = both.merge(_details(ledger), on=["buyer_id", "invoice_no"], how="left")
    if "paid_amount" not in lines.columns:
        lines["paid_amount"] = 0.0
    for col in ("invoice_date", "due_date"):
        if col not in lines.columns:
            lines[col] = pd.NaT
        lines[col] = pd.to_datetime(lines[col], errors="coerce")
    lines["paid_amount"] = lines["paid_amount"].astype(float).fillna(0.0)
    dpd = lines["days_past_due"].to_numpy(dtype=float)
    lines["days_overdue"] = np.where(dpd > 0, dpd, np.nan)

    wl = worklist.copy()
    wl["invoice_no"] = wl["invoice_no"].astype(object)
    wl = wl.drop_duplicates(["buyer_id", "invoice_no"]).set_index(["buyer_id", "invoice_no"])
    key = pd.MultiIndex.from_frame(lines[["buyer_id", "invoice_no"]])
    state = pd.Series(wl["dunning_state"].astype(object), index=wl.index).reindex(key).to_numpy(dtype=object)
    charged = policy.late_interest.enabled
    late = (wl["late_total"].to_numpy(dtype=float) / wl["fx_rate"].to_numpy(dtype=float)) if len(wl) else \
        np.zeros(0)
    late_s = pd.Series(late, index=wl.index).reindex(key).to_numpy(dtype=float)
    lines["late_interest"] = np.where(charged, np.nan_to_num(late_s, nan=0.0), 0.0) if charged else 0.0
    if charged:  # a currency without an FX rate: the figure is not known
        no_rate = pd.Series(wl["fx_rate"].to_numpy(dtype=float), index=wl.index).reindex(key).isna().to_numpy()
        overdue_rows = lines["days_overdue"].notna().to_numpy()
        lines.loc[no_rate & overdue_rows, "late_interest"] = np.nan
    lines["promised"] = state == "promised"
    lines["in_dunning"] = np.isin(state, ("dunning", "broken promise"))  # what the worklist chases
    step = pd.Series(wl["step_no"].to_numpy(dtype=float), index=wl.index).reindex(key).to_numpy(dtype=float)
    lines["step_no"] = np.nan_to_num(step, nan=0.0)
    lines["disputed"] = lines["disputed"].astype(bool)
    order = lines.sort_values(["buyer_id", "currency", "due_date", "invoice_no"], kind="stable",
                              key=lambda s: s.astype(str) if s.name != "due_date" else s).index
    return lines.loc[order, list(LINE_COLUMNS)].reset_index(drop=True)


def statement_totals(lines: pd.DataFrame) -> pd.DataFrame:
    """Totals per buyer and currency: ``open_amount``, ``overdue``, ``disputed``,
    ``in_dunning`` (what a letter asks for), ``late_interest``, ``open_base`` (NaN when a
    rate is missing), ``items`` and ``oldest_due`` (of the items in dunning)."""
    overdue = lines["days_overdue"].notna().to_numpy()
    frame = pd.DataFrame({
        "buyer_id": lines["buyer_id"].to_numpy(dtype=object),
        "currency": lines["currency"].to_numpy(dtype=object),
        "open_amount": lines["open_amount"].to_numpy(dtype=float),
        "overdue": np.where(overdue, lines["open_amount"].to_numpy(dtype=float), 0.0),
        "disputed": np.where(lines["disputed"].to_numpy(dtype=bool), lines["open_amount"].to_numpy(dtype=float), 0.0),
        "in_dunning": np.where(lines["in_dunning"].to_numpy(dtype=bool),
                               lines["open_amount"].to_numpy(dtype=float), 0.0),
        "late_interest": lines["late_interest"].to_numpy(dtype=float),
        "open_base": lines["open_base"].to_numpy(dtype=float),
        "items": np.ones(len(lines)),
        "oldest_due": lines["due_date"].where(lines["in_dunning"].astype(bool)),
    })
    grouped = frame.groupby(["buyer_id", "currency"], sort=True)
    out = grouped[["open_amount", "overdue", "disputed", "in_dunning", "late_interest", "items"]].sum()
    out["open_base"] = grouped["open_base"].sum(min_count=1)
    out.loc[grouped["open_base"].apply(lambda s: bool(s.isna().any())), "open_base"] = np.nan
    out["oldest_due"] = grouped["oldest_due"].min()
    return out


def statement_aging(lines: pd.DataFrame, language: str = "en", bucket_edges: Any = None) -> pd.DataFrame:
    """The aging line of each buyer and currency: open amount per bucket, invoice currency
    (buckets as the aging labels them; items without a due date are in no bucket).

    >>> lines = pd.DataFrame({"buyer_id": ["A", "A"], "currency": ["EUR", "EUR"],
    ...     "open_amount": [600.0, 300.0], "bucket": ["31-60", "1-30"]})
    >>> statement_aging(lines).iloc[0].tolist()
    [0.0, 300.0, 600.0, 0.0, 0.0, 0.0]
    """
    labels = bucket_labels(bucket_edges, language)
    table = pd.pivot_table(lines, values="open_amount", index=["buyer_id", "currency"], columns="bucket",
                           aggfunc="sum", fill_value=0.0)
    return table.reindex(columns=labels, fill_value=0.0).astype(float)
