"""Excel functions: receivables KPIs and aging (declarations only; the work is in
:mod:`xlcredit.engine.receivables` and :mod:`xlcredit.engine.aging`).

Results are full precision (format the cell ``0.00`` or ``0.00%``): ``=DSO(212000,
{70000;80000;100000}, 30, "countback")`` returns 73.714..., shown as 73.71. A figure that
cannot be computed is ``#N/A <why>`` (no sales, a credit balance, receivables beyond the
sales listed); a bad argument is ``#VALUE! <what to fix>``.

``DSO`` and its siblings read their ranges this way:

- one receivables cell and a column (or row) of sales: the sales of each period, oldest to
  newest; ``period_days`` one number or one per period (default 30);
- a column of receivables and a column of sales: one buyer per row, each with the sales of
  the whole period; ``period_days`` one number or one per row (default 365);
- a column of receivables and a block of sales (one row per buyer, one column per period,
  oldest on the left): periods per buyer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import xlwings as xw

from xlcredit.engine import aging
from xlcredit.engine import receivables as rx
from xlcredit.engine.errors import InputError
from xlcredit.excel.udf.edge import Cell, cell, guard, language_of
from xlcredit.messages import Message
from xlcredit.workbook.excel_values import (
    as_column,
    broadcast,
    excel_error,
    is_blank,
    to_dates,
    to_numbers,
)

__all__ = [
    "AGING",
    "AGING_BUCKET",
    "AR_TURNOVER",
    "CEI",
    "DAYS_BEYOND_TERMS",
    "DAYS_DELINQUENT",
    "DSO",
    "DSO_BEST",
    "LATE_SHARE",
    "PCT_CURRENT",
]

_DOC_RECEIVABLES = "Receivables (open invoices) at the end of the period. One cell, or a column with one buyer per row."
_DOC_CURRENT = "Current receivables: the part of the receivables not yet due. One cell or a column aligned with the receivables."
_DOC_SALES = "Credit sales: one figure for the whole period, or a column of periods listed oldest to newest (one receivables cell), or a block with one row per buyer."
_DOC_DAYS = "Optional. One figure of sales: days of the whole period (default 365). Periods: days of each period, one number or one per period (default 30)."
_DOC_METHOD = 'Optional. "standard" (default): receivables / total sales x total days. "countback": walk back from the newest period.'
_DOC_OPENING = "Receivables at the start of the period."
_DOC_CREDIT_SALES = "Credit sales over the whole period."
_DOC_CLOSING = "Receivables at the end of the period."
_DOC_CLOSING_CURRENT = "Of the closing receivables, the part not yet due."
_DOC_MONTHS = "Optional. Months in the period (default 1): the sales are divided by it (CRF convention)."
_DOC_DUE = "Due dates of the invoices: a column of dates (date cells, serial numbers or text such as 2026-11-28)."
_DOC_PAID = "Paid dates, aligned with the due dates. Blank = not paid: left out."
_DOC_AMOUNTS = "Optional. Invoice amounts aligned with the dates, used as weights; amounts <= 0 (credit notes) are left out. Blank: every invoice counts once."
_DOC_AS_OF = "The as-of date of the aging, e.g. =TODAY() or a date cell."
_DOC_EDGES = "Optional. Upper edges of the overdue buckets in days, ascending, e.g. {30;60;90;120} (the default): not due, 1-30, ..., over 120."
_DOC_LANGUAGE = 'Optional. Language of the labels: "en" (default) or "zh-CN" (Simplified Chinese).'
_DOC_AGING_AMOUNTS = "Open amounts of the invoices (credit notes negative), one per due date. Rows blank in both columns are skipped."
_DOC_AVG = "Average receivables over the same period as the sales (e.g. (opening + closing) / 2)."
_DOC_TURN_SALES = "Credit sales over the period (a year for the usual annual turnover)."


# --------------------------------------------------------------------------- helpers
def _shape(values: Any, problems: Any, reasons: Any) -> Cell | list[list[Cell]]:
    """One cell or a spilling column: parse problems as #VALUE!, engine reasons as #N/A."""
    vals = np.atleast_1d(np.asarray(values, dtype=float)).ravel()
    probs = np.broadcast_to(np.asarray(problems, dtype=object), vals.shape)
    why = np.broadcast_to(np.asarray(reasons, dtype=object), vals.shape)
    cells = [
        cell(v, p, w)
        for v, p, w in zip(vals.tolist(), probs.tolist(), why.tolist(), strict=True)
    ]
    return cells[0] if len(cells) == 1 else [[c] for c in cells]


def _first(problems: npt.NDArray[np.object_]) -> None:
    for p in problems.ravel():
        if p is not None:
            raise InputError(p if isinstance(p, Message) else str(p))


def _optional_number(value: Any, name: str) -> npt.NDArray[np.float64] | None:
    items = as_column(value, name)
    if all(is_blank(v) for v in items):
        return None
    parsed = to_numbers(items, name)
    _first(parsed.problems)
    return parsed.values


def _text(value: Any, name: str) -> str | None:
    if isinstance(value, list):
        items = as_column(value, name)
        if len(items) != 1:
            raise InputError(Message("func.single_cell_n", {"name": name, "n": len(items)}))
        value = items[0]
    if is_blank(value):
        return None
    return str(value).strip()


def _as_of(value: Any) -> np.datetime64:
    items = as_column(value, "as_of")
    if len(items) != 1 or is_blank(items[0]):
        raise InputError(Message("func.as_of_blank") if len(items) == 1
                         else Message("func.as_of_cells", {"n": len(items)}))
    parsed = to_dates(items, "as_of")
    _first(parsed.problems)
    return np.datetime64(parsed.values[0], "D")


def _edges(value: Any) -> list[float] | None:
    if value is None:
        return None
    items = [v for v in as_column(value, "bucket_edges") if not is_blank(v)]
    if not items:
        return None
    parsed = to_numbers(items, "bucket_edges")
    _first(parsed.problems)
    return [float(v) for v in parsed.values]


def _is_block(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 1
        and all(isinstance(row, (list, tuple)) for row in value)
        and max(len(row) for row in value) > 1
    )


def _dso_inputs(
    amounts: Any, name: str, sales: Any, period_days: Any
) -> tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike | None, npt.NDArray[np.object_]]:
    """Read the DSO ranges (see the module docstring) into engine arrays and row problems."""
    r = to_numbers(as_column(amounts, name), name)
    days = _optional_number(period_days, "period_days")
    if _is_block(sales):
        width = len(sales[0])
        if any(len(row) != width for row in sales):
            raise InputError(Message("func.sales_block", {"name": "sales"}))
        s = to_numbers([c for row in sales for c in row], "sales")
        _first(s.problems)
        grid = s.values.reshape(len(sales), width)
        if r.values.size != grid.shape[0]:
            raise InputError(Message("func.sales_rows", {"name": name, "n": r.values.size, "other": "sales",
                                                         "m": grid.shape[0]}))
        if days is not None and days.size not in (1, width):
            raise InputError(Message("func.period_days_count", {"n": width, "m": days.size}))
        return r.values, grid, days if days is None or days.size > 1 else days[0], r.problems
    s = to_numbers(as_column(sales, "sales"), "sales")
    if r.values.size == 1 and s.values.size > 1:  # one receivables figure, periods of sales
        _first(r.problems)
        _first(s.problems)
        if days is not None and days.size not in (1, s.values.size):
            raise InputError(Message("func.period_days_count", {"n": s.values.size, "m": days.size}))
        return r.values[0], s.values, days if days is None or days.size > 1 else days[0], r.problems
    cols = {name: list(r.values), "sales": list(s.values)}
    if days is not None:
        cols["period_days"] = list(days)
    n = broadcast(cols)
    problems = np.where(
        np.broadcast_to(r.problems, (n,)) != None,  # noqa: E711
        np.broadcast_to(r.problems, (n,)),
        np.broadcast_to(s.problems, (n,)),
    )
    if n == 1:
        return r.values[0], s.values[0], None if days is None else days[0], problems
    return (np.broadcast_to(r.values, (n,)), np.broadcast_to(s.values, (n,)),
            None if days is None else np.broadcast_to(days, (n,)), problems)


def _method(value: Any) -> str | None:
    return _text(value, "method")


# --------------------------------------------------------------------------- DSO family
@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("receivables", err_to_str=True, doc=_DOC_RECEIVABLES)
@xw.arg("sales", err_to_str=True, doc=_DOC_SALES)
@xw.arg("period_days", err_to_str=True, doc=_DOC_DAYS)
@xw.arg("method", err_to_str=True, doc=_DOC_METHOD)
@guard
def DSO(receivables: Any, sales: Any, period_days: Any = None, method: Any = None) -> Any:
    """Days sales outstanding, standard or countback (DESIGN.md 3.1).

    >>> DSO(212000.0, 250000.0, 90.0)
    76.32
    >>> round(DSO(212000.0, [70000.0, 80000.0, 100000.0], 30.0, "countback"), 2)
    73.71
    """
    r, s, d, problems = _dso_inputs(receivables, "receivables", sales, period_days)
    values, reasons = rx.dso(r, s, d, _method(method), with_reasons=True)
    return _shape(values, problems, reasons)


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("current_receivables", err_to_str=True, doc=_DOC_CURRENT)
@xw.arg("sales", err_to_str=True, doc=_DOC_SALES)
@xw.arg("period_days", err_to_str=True, doc=_DOC_DAYS)
@xw.arg("method", err_to_str=True, doc=_DOC_METHOD)
@guard
def DSO_BEST(current_receivables: Any, sales: Any, period_days: Any = None, method: Any = None) -> Any:
    """Best possible DSO: current receivables / credit sales x days (CRF).

    >>> DSO_BEST(150000.0, 250000.0, 90.0)
    54.0
    """
    r, s, d, problems = _dso_inputs(current_receivables, "current_receivables", sales, period_days)
    values, reasons = rx.dso_best(r, s, d, _method(method), with_reasons=True)
    return _shape(values, problems, reasons)


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("receivables", err_to_str=True, doc=_DOC_RECEIVABLES)
@xw.arg("current_receivables", err_to_str=True, doc=_DOC_CURRENT)
@xw.arg("sales", err_to_str=True, doc=_DOC_SALES)
@xw.arg("period_days", err_to_str=True, doc=_DOC_DAYS)
@xw.arg("method", err_to_str=True, doc=_DOC_METHOD)
@guard
def DAYS_DELINQUENT(
    receivables: Any, current_receivables: Any, sales: Any, period_days: Any = None,
    method: Any = None,
) -> Any:
    """Average days delinquent: DSO minus best possible DSO (same method for both).

    >>> DAYS_DELINQUENT(212000.0, 150000.0, 250000.0, 90.0)
    22.32
    """
    r, s, d, problems = _dso_inputs(receivables, "receivables", sales, period_days)
    c = to_numbers(as_column(current_receivables, "current_receivables"), "current_receivables")
    current: npt.ArrayLike = c.values[0] if np.ndim(r) == 0 else c.values
    if np.ndim(r) == 0:
        _first(c.problems)
    elif c.values.size not in (1, np.size(r)):
        raise InputError(Message("func.current_rows", {"name": "current_receivables", "n": c.values.size,
                                                       "other": "receivables", "m": np.size(r)}))
    else:
        problems = np.where(problems != None, problems, c.problems)  # noqa: E711
    values, reasons = rx.days_delinquent(r, current, s, d, _method(method), with_reasons=True)
    return _shape(values, problems, reasons)


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("opening_receivables", err_to_str=True, doc=_DOC_OPENING)
@xw.arg("credit_sales", err_to_str=True, doc=_DOC_CREDIT_SALES)
@xw.arg("closing_receivables", err_to_str=True, doc=_DOC_CLOSING)
@xw.arg("closing_current", err_to_str=True, doc=_DOC_CLOSING_CURRENT)
@xw.arg("months", err_to_str=True, doc=_DOC_MONTHS)
@guard
def CEI(
    opening_receivables: Any, credit_sales: Any, closing_receivables: Any, closing_current: Any,
    months: Any = None,
) -> Any:
    """Collection effectiveness index, a fraction (format the cell as a percentage).

    >>> round(CEI(6200.0, 10890.0, 6340.0, 3590.0, 3.0), 4)  # issue 3, CRF convention
    0.5593
    """
    names = ("opening_receivables", "credit_sales", "closing_receivables", "closing_current")
    parsed = [to_numbers(as_column(v, n), n) for v, n in
              zip((opening_receivables, credit_sales, closing_receivables, closing_current), names,
                  strict=True)]
    m = _optional_number(months, "months")
    cols = {n: list(p.values) for n, p in zip(names, parsed, strict=True)}
    if m is not None:
        cols["months"] = list(m)
    n = broadcast(cols)
    problems = np.full(n, None, dtype=object)
    for p in parsed:
        problems = np.where(problems != None, problems, np.broadcast_to(p.problems, (n,)))  # noqa: E711
    args = [np.broadcast_to(p.values, (n,)) if n > 1 else p.values[0] for p in parsed]
    months_arg: npt.ArrayLike = 1.0 if m is None else (np.broadcast_to(m, (n,)) if n > 1 else m[0])
    values, reasons = rx.cei(args[0], args[1], args[2], args[3], months_arg, with_reasons=True)
    return _shape(values, problems, reasons)


def _pair(top: Any, bottom: Any, names: tuple[str, str]) -> tuple[Any, Any, npt.NDArray[np.object_]]:
    a = to_numbers(as_column(top, names[0]), names[0])
    b = to_numbers(as_column(bottom, names[1]), names[1])
    n = broadcast({names[0]: list(a.values), names[1]: list(b.values)})
    pa, pb = np.broadcast_to(a.problems, (n,)), np.broadcast_to(b.problems, (n,))
    problems = np.where(pa != None, pa, pb)  # noqa: E711
    if n == 1:
        return a.values[0], b.values[0], problems
    return np.broadcast_to(a.values, (n,)), np.broadcast_to(b.values, (n,)), problems


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("current_receivables", err_to_str=True, doc=_DOC_CURRENT)
@xw.arg("receivables", err_to_str=True, doc=_DOC_RECEIVABLES)
@guard
def PCT_CURRENT(current_receivables: Any, receivables: Any) -> Any:
    """Percent current: the share of receivables not yet due (a fraction).

    >>> PCT_CURRENT(150000.0, 200000.0)
    0.75
    """
    c, r, problems = _pair(current_receivables, receivables, ("current_receivables", "receivables"))
    values, reasons = rx.percent_current(c, r, with_reasons=True)
    return _shape(values, problems, reasons)


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("sales", err_to_str=True, doc=_DOC_TURN_SALES)
@xw.arg("average_receivables", err_to_str=True, doc=_DOC_AVG)
@guard
def AR_TURNOVER(sales: Any, average_receivables: Any) -> Any:
    """Receivables turnover: credit sales / average receivables.

    >>> AR_TURNOVER(1200000.0, 200000.0)
    6.0
    """
    s, a, problems = _pair(sales, average_receivables, ("sales", "average_receivables"))
    values, reasons = rx.receivables_turnover(s, a, with_reasons=True)
    return _shape(values, problems, reasons)


# --------------------------------------------------------------------------- payment behaviour
def _paid_inputs(due_dates: Any, paid_dates: Any, amounts: Any) -> tuple[Any, Any, Any]:
    due = to_dates(as_column(due_dates, "due_dates"), "due_dates")
    paid = to_dates(as_column(paid_dates, "paid_dates"), "paid_dates")
    _first(due.problems)
    _first(paid.problems)
    weights = None
    if amounts is not None:
        items = as_column(amounts, "amounts")
        if not all(is_blank(v) for v in items):
            parsed = to_numbers(items, "amounts")
            _first(parsed.problems)
            weights = parsed.values
    return due.values, paid.values, weights


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("due_dates", err_to_str=True, doc=_DOC_DUE)
@xw.arg("paid_dates", err_to_str=True, doc=_DOC_PAID)
@xw.arg("amounts", err_to_str=True, doc=_DOC_AMOUNTS)
@guard
def DAYS_BEYOND_TERMS(due_dates: Any, paid_dates: Any, amounts: Any = None) -> Any:
    """Amount-weighted days between due date and paid date (negative when early; PAYDEX).

    >>> DAYS_BEYOND_TERMS([46053.0, 46081.0], [46063.0, 46073.0], [1000.0, 3000.0])
    -3.5
    """
    due, paid, weights = _paid_inputs(due_dates, paid_dates, amounts)
    value, reason = rx.days_beyond_terms(due, paid, weights, with_reasons=True)
    return cell(value, None, reason or "not enough data")


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("due_dates", err_to_str=True, doc=_DOC_DUE)
@xw.arg("paid_dates", err_to_str=True, doc=_DOC_PAID)
@xw.arg("amounts", err_to_str=True, doc="Optional. Invoice amounts aligned with the dates: the share is then by amount. Blank: by number of invoices.")
@guard
def LATE_SHARE(due_dates: Any, paid_dates: Any, amounts: Any = None) -> Any:
    """Share of paid invoices paid after the due date, 0..1 (TRADESCORE's late_share).

    >>> LATE_SHARE([46053.0, 46081.0], [46063.0, 46073.0])
    0.5
    """
    due, paid, weights = _paid_inputs(due_dates, paid_dates, amounts)
    value, reason = rx.late_share(due, paid, weights, with_reasons=True)
    return cell(value, None, reason or "not enough data")


# --------------------------------------------------------------------------- aging
@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("due_date", err_to_str=True, doc=_DOC_DUE)
@xw.arg("as_of", err_to_str=True, doc=_DOC_AS_OF)
@xw.arg("bucket_edges", err_to_str=True, doc=_DOC_EDGES)
@xw.arg("language", err_to_str=True, doc=_DOC_LANGUAGE)
@guard
def AGING_BUCKET(due_date: Any, as_of: Any, bucket_edges: Any = None, language: Any = None) -> Any:
    """The aging bucket label of each due date on the as-of date (spills for a column).

    >>> AGING_BUCKET([46310.0, 46400.0], 46354.0)
    [['31-60'], ['Not due']]
    """
    due = to_dates(as_column(due_date, "due_date"), "due_date")
    labels = aging.aging_bucket(due.values, _as_of(as_of), _edges(bucket_edges), (language_of(language) or "en"))
    problems = due.problems
    cells: list[Cell] = [
        excel_error(p) if p is not None else (lab if lab is not None else excel_error("no due date", "#N/A"))
        for lab, p in zip(labels.tolist(), problems.tolist(), strict=True)
    ]
    return cells[0] if len(cells) == 1 else [[c] for c in cells]


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("amounts", err_to_str=True, doc=_DOC_AGING_AMOUNTS)
@xw.arg("due_dates", err_to_str=True, doc=_DOC_DUE)
@xw.arg("as_of", err_to_str=True, doc=_DOC_AS_OF)
@xw.arg("bucket_edges", err_to_str=True, doc=_DOC_EDGES)
@xw.arg("language", err_to_str=True, doc=_DOC_LANGUAGE)
@guard
def AGING(amounts: Any, due_dates: Any, as_of: Any, bucket_edges: Any = None, language: Any = None) -> Any:
    """Aging totals: two rows, bucket labels over totals, in bucket order, then Total.

    >>> AGING([100.0, 250.0], [46370.0, 46327.0], 46354.0)[1]
    [100.0, 250.0, 0.0, 0.0, 0.0, 0.0, 350.0]
    """
    parsed = to_numbers(as_column(amounts, "amounts"), "amounts")
    _first(parsed.problems)
    due = to_dates(as_column(due_dates, "due_dates"), "due_dates")
    _first(due.problems)
    totals = aging.aging_totals(parsed.values, due.values, _as_of(as_of), _edges(bucket_edges),
                                (language_of(language) or "en"))
    return [list(totals.index), [float(v) for v in totals.to_numpy()]]
