"""Excel functions: collections (declarations only; the work is in ``xlcredit.engine.collections``).

``LATE_INTEREST`` gives the statutory late interest plus the fixed sum of invoices paid late
(or still open); ``DUNNING_STEP`` the action of the dunning ladder an overdue invoice is at.
Both take single cells or whole columns and spill a column; they use the default policy
(EU rate 2.15 % + 8 points, EUR 40; the ladder of ``xlcredit.engine.policy.DEFAULT_DUNNING``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xlwings as xw

from xlcredit.engine.collections import dunning_step_numbers, late_interest, step_actions
from xlcredit.engine.late_payment import preset_interest
from xlcredit.engine.ledger import days_overdue, is_overdue
from xlcredit.engine.policy import DEFAULT_POLICY
from xlcredit.engine.values import day_numbers
from xlcredit.excel.udf.edge import column, guard, language_of
from xlcredit.messages import Message, text
from xlcredit.workbook.excel_values import (
    as_column,
    broadcast,
    is_blank,
    to_dates,
    to_numbers,
    to_text,
)

__all__ = ["DUNNING_STEP", "LATE_INTEREST"]

def _problems(*parsed: Any, n: int) -> list[str | None]:
    """The first problem of each row over several parsed arguments (length 1 broadcast)."""
    out: list[str | None] = [None] * n
    for p in parsed:
        probs = list(p.problems)
        for i in range(n):  # per row of a spill: joining messages, not computing
            msg = probs[0] if len(probs) == 1 else probs[i]
            if out[i] is None and msg is not None:
                out[i] = str(msg)
    return out


def _spread(values: Any, n: int) -> Any:
    return np.broadcast_to(values, (n,)) if len(values) == 1 else values


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("amount", err_to_str=True, doc="Amount paid late or still open (>= 0), in the invoice currency. A cell or a column.")
@xw.arg("due_date", err_to_str=True, doc="Due date of each invoice (a date cell or serial number). A cell or a column.")
@xw.arg("paid_or_as_of", err_to_str=True, doc="Date paid, or the as-of date for an invoice still open. Interest runs from the day after the due date.")
@xw.arg("annual_rate", err_to_str=True, doc="Optional yearly rate as a fraction (10.15% or 0.1015). Blank: the policy's reference rate + 8 points (EU Directive 2011/7/EU).")
@xw.arg("fixed_fee", err_to_str=True, doc="Optional fixed sum per late invoice in the invoice currency. Blank: the policy's (EUR 40). Use 0 for none.")
@xw.arg("preset", err_to_str=True, doc='Optional rule: "eu" (ECB rate per half-year + 8 points, EUR 40), "uk" (BoE base rate + 8 points, GBP 40/70/100), "cn_sme" (0.05% a day), "lpr" (one-year LPR x 1.5), "custom". Blank: as before.')
@guard
def LATE_INTEREST(
    amount: Any, due_date: Any, paid_or_as_of: Any, annual_rate: Any = None, fixed_fee: Any = None,
    preset: Any = None,
) -> Any:
    """Statutory late interest plus the fixed sum: simple, daily, (rate) x days / 365.

    With a ``preset`` the rate and fixed sum come from that rule
    (:func:`xlcredit.engine.late_payment.preset_interest`); a given ``annual_rate`` or
    ``fixed_fee`` still replaces the preset's.

    >>> from datetime import datetime
    >>> round(LATE_INTEREST(10000.0, datetime(2026, 10, 29), datetime(2026, 11, 28)), 2)
    123.42
    >>> LATE_INTEREST(100000.0, datetime(2025, 9, 30), datetime(2025, 11, 14), None, None, "cn_sme")
    2250.0
    """
    if not all(is_blank(v) for v in as_column(preset, "preset")):
        return _preset_interest(amount, due_date, paid_or_as_of, annual_rate, fixed_fee, preset)
    li = DEFAULT_POLICY.late_interest
    cols = {
        "amount": as_column(amount, "amount"),
        "due_date": as_column(due_date, "due_date"),
        "paid_or_as_of": as_column(paid_or_as_of, "paid_or_as_of"),
        "annual_rate": as_column(annual_rate, "annual_rate"),
        "fixed_fee": as_column(fixed_fee, "fixed_fee"),
    }
    n = broadcast(cols)
    amounts = to_numbers(cols["amount"], "amount", minimum=0)
    due = to_dates(cols["due_date"], "due_date")
    paid = to_dates(cols["paid_or_as_of"], "paid_or_as_of")
    rate = to_numbers(cols["annual_rate"], "annual_rate", minimum=0, maximum=1)
    fee = to_numbers(cols["fixed_fee"], "fixed_fee", minimum=0)
    rates = np.where(
        np.array([is_blank(v) for v in cols["annual_rate"]]), li.annual_rate, rate.values
    )
    fees = np.where(np.array([is_blank(v) for v in cols["fixed_fee"]]), li.fixed_fee, fee.values)
    result = late_interest(
        _spread(amounts.values, n), _spread(due.values, n), _spread(paid.values, n),
        _spread(rates, n), _spread(fees, n),
    )
    problems = _problems(amounts, due, paid, rate, fee, n=n)
    return column(np.atleast_1d(result), problems, unknown=Message("func.interest_unknown"))


def _preset_interest(amount: Any, due_date: Any, paid_or_as_of: Any, annual_rate: Any, fixed_fee: Any,
                     preset: Any) -> Any:
    """LATE_INTEREST with a preset: cells read here, the rule in the engine."""
    cols = {
        "amount": as_column(amount, "amount"),
        "due_date": as_column(due_date, "due_date"),
        "paid_or_as_of": as_column(paid_or_as_of, "paid_or_as_of"),
        "annual_rate": as_column(annual_rate, "annual_rate"),
        "fixed_fee": as_column(fixed_fee, "fixed_fee"),
        "preset": as_column(preset, "preset"),
    }
    n = broadcast(cols)
    amounts = to_numbers(cols["amount"], "amount", minimum=0)
    due = to_dates(cols["due_date"], "due_date")
    paid = to_dates(cols["paid_or_as_of"], "paid_or_as_of")
    rate = to_numbers(cols["annual_rate"], "annual_rate", minimum=0, maximum=1)
    fee = to_numbers(cols["fixed_fee"], "fixed_fee", minimum=0)
    names = to_text(cols["preset"], "preset")
    result, reasons = preset_interest(
        _spread(amounts.values, n), _spread(due.values, n), _spread(paid.values, n),
        _spread(names.values, n), annual_rate=_spread(rate.values, n), fixed_fee=_spread(fee.values, n),
        with_reasons=True,
    )
    problems = _problems(amounts, due, paid, rate, fee, names, n=n)
    problems = [p if p is not None else (None if r is None else str(r))
                for p, r in zip(problems, np.atleast_1d(reasons), strict=True)]
    return column(np.atleast_1d(result), problems, unknown=Message("func.interest_unknown"))


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("days_or_due_date", err_to_str=True, doc="Days overdue (when as_of is blank), or the due date of each invoice (when as_of is given). A cell or a column.")
@xw.arg("as_of", err_to_str=True, doc="Optional as-of date: give it to pass due dates in the first argument. Days overdue = as_of - due date.")
@xw.arg("language", err_to_str=True, doc='Optional "en" (default) or "zh-CN" for the action text in Chinese.')
@guard
def DUNNING_STEP(days_or_due_date: Any, as_of: Any = None, language: Any = None) -> Any:
    """The dunning action an overdue invoice is at (default ladder: reminder at 1 day,
    second reminder 15, call 30, stop supply 45, final demand 60, agency or legal 90).

    >>> DUNNING_STEP(31.0)
    'Phone call'
    >>> DUNNING_STEP([0.0, 60.0], None, "zh-CN")
    [['未逾期'], ['最后催款函']]
    """
    lang = language_of(language) or "en"
    first = as_column(days_or_due_date, "days_or_due_date")
    as_of_col = as_column(as_of, "as_of")
    if all(is_blank(v) for v in as_of_col):
        days_p = to_numbers(first, "days_or_due_date")
        days = days_p.values
        problems = _problems(days_p, n=len(first))
    else:
        n = broadcast({"days_or_due_date": first, "as_of": as_of_col})
        due = to_dates(first, "due_date")
        today = to_dates(as_of_col, "as_of")
        days = days_overdue(_spread(day_numbers(due.values, "due_date"), n),
                            _spread(day_numbers(today.values, "as_of"), n))
        problems = _problems(due, today, n=n)
    steps = dunning_step_numbers(days)
    table = step_actions(DEFAULT_POLICY, lang)
    safe = np.nan_to_num(np.atleast_1d(steps), nan=0.0).astype(np.int64)
    known = ~np.isnan(np.atleast_1d(days))
    labels = np.where(known & ~is_overdue(np.atleast_1d(days)), text("func.not_overdue", lang), table[safe])
    labels = labels.astype(object)
    labels[np.isnan(np.atleast_1d(days))] = None  # unknown: #N/A with the reason
    return column(labels, problems, unknown=Message("func.days_unknown"))
