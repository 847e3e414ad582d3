"""Excel function: the bad-debt provision of a list of invoices for given loss rates
(declaration only; the work is in :func:`xlcredit.engine.provision.matrix_provision`).

``=PROVISION(B2:B500, C2:C500, TODAY(), {0.005;0.02;0.05;0.1;0.2;0.5;1})`` is the sum of
each amount times the loss rate of its aging bucket. The rates estimated from the ledger's
history (roll rates) need the whole ledger: they are on the Provision sheet, not here.
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

from xlcredit.engine import aging
from xlcredit.engine import provision as pv
from xlcredit.engine.errors import InputError
from xlcredit.excel.udf.edge import guard
from xlcredit.excel.udf.receivables import _as_of, _edges, _first
from xlcredit.messages import Message
from xlcredit.workbook.excel_values import as_column, is_blank, to_dates, to_numbers

__all__ = ["PROVISION"]

_DOC_AMOUNTS = "Open amounts of the invoices (credit notes negative), one per due date. Rows blank in both columns are skipped."
_DOC_DUE = "Due dates of the invoices: a column of dates (date cells, serial numbers or text such as 2026-11-28)."
_DOC_AS_OF = "The date of the provision, e.g. a month-end or =TODAY()."
_DOC_RATES = "Loss rate of each bucket, 0..1 (5% = 0.05), in bucket order: not due, one per edge, over the last edge (7 rates for the default edges)."
_DOC_EDGES = "Optional. Upper edges of the overdue buckets in days, ascending; default {30;60;90;120;180}: not due, 1-30, ..., 121-180, over 180."


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("amounts", err_to_str=True, doc=_DOC_AMOUNTS)
@xw.arg("due_dates", err_to_str=True, doc=_DOC_DUE)
@xw.arg("as_of", err_to_str=True, doc=_DOC_AS_OF)
@xw.arg("rates", err_to_str=True, doc=_DOC_RATES)
@xw.arg("bucket_edges", err_to_str=True, doc=_DOC_EDGES)
@guard
def PROVISION(amounts: Any, due_dates: Any, as_of: Any, rates: Any = None, bucket_edges: Any = None) -> Any:
    """Bad-debt provision: the sum of each amount times the loss rate of its aging bucket.

    >>> PROVISION([1000.0, 400.0], [46387.0, 46326.0], 46356.0, [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0])
    30.0
    """
    edges = _edges(bucket_edges)
    items = [] if rates is None else [v for v in as_column(rates, "rates") if not is_blank(v)]
    if not items:
        labels = aging.bucket_labels(edges if edges is not None else pv.provision_buckets()[0])
        raise InputError(Message("func.rates_per_bucket", {"name": "rates", "n": len(labels), "labels": ", ".join(labels)}))
    parsed_rates = to_numbers(items, "rates")
    _first(parsed_rates.problems)
    parsed = to_numbers(as_column(amounts, "amounts"), "amounts")
    _first(parsed.problems)
    due = to_dates(as_column(due_dates, "due_dates"), "due_dates")
    _first(due.problems)
    totals = pv.matrix_provision(parsed.values, due.values, _as_of(as_of), parsed_rates.values, edges)
    return float(totals.iloc[-1])
