"""Excel functions: payment plans (declarations only; the work is in :mod:`xlcredit.engine.plans`).

``PAYMENT_PLAN`` spills the schedule with a header row ``No | Due date | Payment | Interest
| Principal | Balance`` (DESIGN.md 3.1); ``PLAN_RESCHEDULE`` spills the new schedule after
missed instalments (or, with ``show = "summary"``, a two-column summary); ``PLAN_PAYMENT``
gives the regular instalment alone and takes columns (one instalment per buyer row).

Spill them outside Excel tables (a spill inside a table is ``#SPILL!``) and give the due
date column a date format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import xlwings as xw

from xlcredit.engine.errors import InputError, describe
from xlcredit.engine.plans import installment, payment_plan, reschedule
from xlcredit.engine.policy import PLAN_ALIASES_ZH
from xlcredit.excel.udf.edge import column, guard, rows, say
from xlcredit.messages import Message, text
from xlcredit.workbook.excel_values import as_column, broadcast, to_dates, to_numbers, to_text

__all__ = ["PAYMENT_PLAN", "PLAN_PAYMENT", "PLAN_RESCHEDULE"]

#: The header row's catalogue keys (English: No | Due date | Payment | Interest | Principal | Balance).
HEADER_KEYS = ("func.plan_no", "func.plan_due", "func.plan_payment", "func.plan_interest", "func.plan_principal",
               "func.plan_balance")
#: The English header row (the row spilled where the add-in's language is English).
HEADER = [text(key, "en") for key in HEADER_KEYS]


def _zh(*names: str) -> str:
    """The Chinese word first listed for each choice in the accepted words (policy data), so
    the help names what the engine really reads.

    >>> _zh("annuity", "equal_principal")
    '等额本息, 等额本金'
    """
    first: dict[str, str] = {}
    for word, name in PLAN_ALIASES_ZH.items():
        first.setdefault(name, word)
    return ", ".join(first[n] for n in names)


_DOC_AMOUNT = "What the buyer owes and will pay by instalments (> 0), e.g. the overdue balance."
_DOC_INSTALLMENTS = "Number of instalments: a whole number from 1 to 600."
_DOC_RATE = "Annual interest rate of the plan from 0 to 1: give 8% or 0.08 (not 8). 0 = no interest."
_DOC_FIRST_DUE = "Due date of the first instalment (a date cell, a date serial or text such as 2026-11-30). Later dates keep its day of month; weekends move to Monday."
_DOC_FREQUENCY = ('Optional. "monthly" (default), "weekly", "biweekly" or "quarterly" (also '
                  f'{_zh("monthly", "weekly", "biweekly", "quarterly")}). The annual rate is divided by 12, 52, 26 or 4.')
_ANNUITY, _EQUAL = _zh("annuity"), _zh("equal_principal")
_DOC_METHOD = (f'Optional. "annuity" (default, level instalments, {_ANNUITY}) or "equal_principal" (same '
               f'principal each time plus interest, {_EQUAL}).')
_DOC_DOWN = "Optional. Down payment paid when the plan is agreed (>= 0 and < amount, default 0); the instalments repay amount - down payment."
_DOC_PAID = "Instalments of the original plan paid so far, in order (0 to installments). Unpaid ones due before as_of are arrears."
_DOC_AS_OF = "Date of the new agreement. Late interest on the arrears runs to this date; the new plan starts at the next original due date."
_DOC_MODE = 'Optional. "keep_payment" (default): same instalment, longer term. "keep_term": same end date, higher instalment.'
_DOC_LATE_RATE = "Optional. Annual late-interest rate on arrears (simple, daily), 0 to 1. Default: the policy's (reference rate + 8 points). 0 waives it."
_DOC_SHOW = 'Optional. "plan" (default): the new schedule with a header row. "summary": two columns, label and value (arrears, late interest, new instalment ...).'
_DOC_AMOUNTS = "What each buyer owes and will pay by instalments (> 0): one cell or a column."
_DOC_COUNTS = "Number of instalments, 1 to 600: one cell or a column aligned with amount."
_DOC_RATES = "Annual interest rate from 0 to 1 (give 8% or 0.08): one cell or a column aligned with amount."
_DOC_DOWNS = "Optional. Down payment (>= 0 and < amount, default 0): one cell or a column aligned with amount."

#: The rows of the summary view, in order (labels: ``func.sum_<key>`` in the catalogue).
_SUMMARY_KEYS: tuple[str, ...] = (
    "mode",
    "installments_paid",
    "missed_installments",
    "arrears",
    "late_interest",
    "late_rate",
    "remaining_principal",
    "rescheduled_amount",
    "old_installment",
    "new_installment",
    "old_installments_left",
    "new_installments",
    "first_due_date",
    "last_due_date",
    "total_payments",
    "total_interest",
)


# --------------------------------------------------------------------------- coercion
def _single(value: Any, name: str) -> Any:
    cells = as_column(value, name)
    if len(cells) != 1:
        raise InputError(Message("func.single_cell", {"name": name, "n": len(cells)}))
    return cells[0]


def _number(value: Any, name: str, default: float | None = None) -> float:
    parsed = to_numbers(_single(value, name), name)
    problem = parsed.first_problem()
    if problem is not None:
        raise InputError(problem)
    number = float(parsed.values[0])
    return default if default is not None and number != number else number


def _date(value: Any, name: str) -> dt.date | None:
    parsed = to_dates(_single(value, name), name)
    problem = parsed.first_problem()
    if problem is not None:
        raise InputError(problem)
    stamp = pd.Timestamp(parsed.values[0])
    return None if pd.isna(stamp) else stamp.date()


def _text(value: Any, name: str) -> str | None:
    cell = _single(value, name)
    if cell is not None and not isinstance(cell, str):
        raise InputError(Message("func.must_be_text", {"name": name, "value": describe(cell)}))
    typed = to_text([cell], name).values[0]
    return None if typed is None else str(typed)


def _table(plan: pd.DataFrame) -> list[list[Any]]:
    """Header row plus one row per instalment; due dates as datetime (Excel dates)."""
    body: list[list[Any]] = [
        [int(no), due.to_pydatetime(), pay, interest, principal, balance]
        for no, due, pay, interest, principal, balance in plan.itertuples(index=False)
    ]  # shaping at most 600 rows for the cells
    return [[say(key) for key in HEADER_KEYS], *rows(body)]


# --------------------------------------------------------------------------- functions
@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("amount", err_to_str=True, doc=_DOC_AMOUNT)
@xw.arg("installments", err_to_str=True, doc=_DOC_INSTALLMENTS)
@xw.arg("annual_rate", err_to_str=True, doc=_DOC_RATE)
@xw.arg("first_due_date", err_to_str=True, doc=_DOC_FIRST_DUE)
@xw.arg("frequency", err_to_str=True, doc=_DOC_FREQUENCY)
@xw.arg("method", err_to_str=True, doc=_DOC_METHOD)
@xw.arg("down_payment", err_to_str=True, doc=_DOC_DOWN)
@guard
def PAYMENT_PLAN(
    amount: Any,
    installments: Any,
    annual_rate: Any,
    first_due_date: Any,
    frequency: Any = None,
    method: Any = None,
    down_payment: Any = None,
) -> Any:
    """Payment plan: spills No | Due date | Payment | Interest | Principal | Balance.

    Examples
    --------
    A buyer owes 10,000; what are ten monthly instalments at 8 %, starting on 2 March 2026
    (the date cell arrives as a datetime, the rate as 0.08 from a 8% cell)?

    >>> table = PAYMENT_PLAN(10000.0, 10.0, 0.08, dt.datetime(2026, 3, 2))
    >>> table[0]
    ['No', 'Due date', 'Payment', 'Interest', 'Principal', 'Balance']
    >>> table[1]
    [1, datetime.datetime(2026, 3, 2, 0, 0), 1037.03, 66.67, 970.36, 9029.64]

    The rate typed as 8 instead of 8 % gets a readable error in the cell:

    >>> PAYMENT_PLAN(10000.0, 10.0, 8.0, 46083.0)
    '#VALUE! annual_rate must be a number from 0 to 1 (give 8% or 0.08); got 8.'
    """
    plan = payment_plan(
        _number(amount, "amount"),
        _number(installments, "installments"),
        _number(annual_rate, "annual_rate"),
        _date(first_due_date, "first_due_date"),
        _text(frequency, "frequency"),
        _text(method, "method"),
        _number(down_payment, "down_payment", default=0.0),
    )
    return _table(plan)


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("amount", err_to_str=True, doc=_DOC_AMOUNT)
@xw.arg("installments", err_to_str=True, doc=_DOC_INSTALLMENTS)
@xw.arg("annual_rate", err_to_str=True, doc=_DOC_RATE)
@xw.arg("first_due_date", err_to_str=True, doc=_DOC_FIRST_DUE)
@xw.arg("paid_installments", err_to_str=True, doc=_DOC_PAID)
@xw.arg("as_of", err_to_str=True, doc=_DOC_AS_OF)
@xw.arg("mode", err_to_str=True, doc=_DOC_MODE)
@xw.arg("late_rate", err_to_str=True, doc=_DOC_LATE_RATE)
@xw.arg("frequency", err_to_str=True, doc=_DOC_FREQUENCY)
@xw.arg("method", err_to_str=True, doc=_DOC_METHOD)
@xw.arg("down_payment", err_to_str=True, doc=_DOC_DOWN)
@xw.arg("show", err_to_str=True, doc=_DOC_SHOW)
@guard
def PLAN_RESCHEDULE(
    amount: Any,
    installments: Any,
    annual_rate: Any,
    first_due_date: Any,
    paid_installments: Any,
    as_of: Any,
    mode: Any = None,
    late_rate: Any = None,
    frequency: Any = None,
    method: Any = None,
    down_payment: Any = None,
    show: Any = None,
) -> Any:
    """Reschedule a payment plan after missed instalments: spills the new schedule (or a
    summary), arrears and late interest included.

    Examples
    --------
    The buyer on ten monthly instalments of 1,037.03 from 31 January 2026 paid two and
    missed two; on 15 May 2026 we keep the instalment and extend the term. What does the
    new plan look like?

    >>> PLAN_RESCHEDULE(10000.0, 10.0, 0.08, dt.datetime(2026, 1, 31), 2.0,
    ...                 dt.datetime(2026, 5, 15), None, 0.10, None, None, None, "summary")[:6]
    [['Mode', 'keep_payment'], ['Instalments paid', 2], ['Missed instalments', 2],
     ['Arrears', 2074.06], ['Late interest', 17.05], ['Late interest rate', 0.1]]
    >>> PLAN_RESCHEDULE(10000.0, 10.0, 0.08, dt.datetime(2026, 1, 31), 2.0,
    ...                 dt.datetime(2026, 5, 15), "keep_term", 0.10)[1]
    [1, datetime.datetime(2026, 6, 1, 0, 0), 1393.73, 54.47, 1339.26, 6831.42]
    """
    view = (_text(show, "show") or "plan").lower()
    if view not in ("plan", "summary"):
        raise InputError(Message("func.choice", {"name": "show", "choices": "'plan', 'summary'",
                                                  "value": describe(show)}))
    late = _number(late_rate, "late_rate")
    result = reschedule(
        _number(amount, "amount"),
        _number(installments, "installments"),
        _number(annual_rate, "annual_rate"),
        _date(first_due_date, "first_due_date"),
        _number(paid_installments, "paid_installments", default=0.0),
        _date(as_of, "as_of"),
        _text(mode, "mode") or "keep_payment",
        None if late != late else late,
        _text(frequency, "frequency"),
        _text(method, "method"),
        _number(down_payment, "down_payment", default=0.0),
    )
    if view == "plan":
        return _table(result.plan)
    summary: list[list[Any]] = []
    for key in _SUMMARY_KEYS:  # sixteen labelled values
        label = say(f"func.sum_{key}")
        value = result.summary[key]
        if isinstance(value, dt.date):
            value = dt.datetime(value.year, value.month, value.day)
        summary.append([label, value])
    return rows(summary)


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("amount", err_to_str=True, doc=_DOC_AMOUNTS)
@xw.arg("installments", err_to_str=True, doc=_DOC_COUNTS)
@xw.arg("annual_rate", err_to_str=True, doc=_DOC_RATES)
@xw.arg("frequency", err_to_str=True, doc=_DOC_FREQUENCY)
@xw.arg("method", err_to_str=True, doc=_DOC_METHOD)
@xw.arg("down_payment", err_to_str=True, doc=_DOC_DOWNS)
@guard
def PLAN_PAYMENT(
    amount: Any,
    installments: Any,
    annual_rate: Any,
    frequency: Any = None,
    method: Any = None,
    down_payment: Any = None,
) -> Any:
    """The regular instalment of a payment plan (equal principal: the first, the largest).
    Columns spill one instalment per row.

    Examples
    --------
    What is the monthly instalment on 10,000 over ten months at 8 % (Excel's PMT example)?

    >>> PLAN_PAYMENT(10000.0, 10.0, 0.08)
    1037.03

    Three buyers' balances typed as a column, one currency-formatted, one blank:

    >>> from decimal import Decimal
    >>> PLAN_PAYMENT([10000.0, Decimal("5000"), None], 12.0, "8%")
    [[869.88], [434.94], ['#N/A not enough data']]
    """
    parsed = {
        "amount": to_numbers(amount, "amount"),
        "installments": to_numbers(installments, "installments"),
        "annual_rate": to_numbers(annual_rate, "annual_rate"),
        "down_payment": to_numbers(0.0 if down_payment is None else down_payment, "down_payment"),
    }
    n = broadcast({k: list(p.values) for k, p in parsed.items()})
    problems = np.full(n, None, dtype=object)
    for p in parsed.values():
        problems = np.where(pd.isna(problems), np.broadcast_to(p.problems, (n,)), problems)
    values = {k: np.broadcast_to(p.values, (n,)) for k, p in parsed.items()}
    downs = np.where(np.isnan(values["down_payment"]), 0.0, values["down_payment"])
    result = installment(
        values["amount"], values["installments"], values["annual_rate"],
        _text(frequency, "frequency"), _text(method, "method"), downs,
    )
    return column(result, list(problems))
