"""The Payment plan sheet: a proposed schedule for one buyer's overdue balance."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from xlcredit.engine.errors import SchemaError
from xlcredit.macros.generated import _DATE, _MONEY, _frame_cells, _write_generated
from xlcredit.macros.labels import _l, _sheet
from xlcredit.macros.run import (
    _assess,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
)
from xlcredit.messages import Message
from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.schema import BUYERS


def build_payment_plan(
    workbook: Workbook,
    buyer_id: str,
    *,
    amount: float | None = None,
    installments: int = 6,
    annual_rate: float | None = None,
    first_due_date: dt.date | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Write a Payment plan sheet for one buyer: by default its overdue balance in six
    instalments at the policy's late-interest rate (0 when late interest is off), the first
    due a month after the as-of date. Returns the schedule.

    Examples
    --------
    How would buyer C0001 pay 1,200 off in four monthly instalments?

    >>> with _example_book() as book:
    ...     plan = build_payment_plan(book, "C0001", amount=1200.0, installments=4)
    >>> float(plan["principal"].sum()), float(plan["balance"].iloc[-1])
    (1200.0, 0.0)
    """
    from xlcredit.engine.plans import payment_plan

    run = _open(workbook, as_of)
    lang = run.lang
    b = run.buyers.frame
    matches = np.flatnonzero((b["buyer_id"] == str(buyer_id)).to_numpy())
    if not matches.size:
        raise SchemaError(Message("statement.not_a_buyer", {"buyer": repr(buyer_id), "table": BUYERS.name}))
    pos = int(matches[0])
    result = _assess(run)
    owed = float(result["overdue"].to_numpy(dtype=float)[pos]) or float(result["exposure"].to_numpy(dtype=float)[pos])
    amount = owed if amount is None else amount
    rate = annual_rate if annual_rate is not None else (
        run.policy.late_interest.annual_rate if run.policy.late_interest.enabled else 0.0)
    first = first_due_date or (run.as_of + dt.timedelta(days=30))
    plan = payment_plan(amount, installments, rate, first, policy=run.policy)
    name = str(b["name"].iat[pos] or buyer_id)
    headers = [_l(k, lang) for k in ("no", "due_date", "payment", "interest", "principal", "balance")]
    table = plan.copy()
    table.columns = headers
    formula = f"=PAYMENT_PLAN({amount:.2f},{installments},{rate:g},DATE({first.year},{first.month},{first.day}))"
    cells = [CellSpec(0, 0, _l("plan_title", lang, name=name), bold=True, font_size=14),
             CellSpec(1, 0, _l("plan_note", lang, f=formula)),
             CellSpec(3, 0, _l("buyer_id", lang)), CellSpec(3, 1, str(buyer_id)),
             CellSpec(4, 0, _l("plan_amount", lang)), CellSpec(4, 1, amount, number_format=_MONEY),
             CellSpec(5, 0, _l("plan_n", lang)), CellSpec(5, 1, float(installments), number_format="0"),
             CellSpec(6, 0, _l("plan_rate", lang)), CellSpec(6, 1, rate, number_format="0.00%"),
             CellSpec(7, 0, _l("plan_first", lang)), CellSpec(7, 1, dt.datetime.combine(first, dt.time()),
                                                              number_format=_DATE)]
    spec = SheetSpec(
        _sheet("plan", lang), cells=cells,
        tables=[TableSpec("tblPaymentPlan", _frame_cells(table), row=9, number_formats={
            headers[1]: _DATE, headers[2]: _MONEY, headers[3]: _MONEY, headers[4]: _MONEY,
            headers[5]: _MONEY, headers[0]: "0"})],
        widths={0: 16, 1: 14, 2: 14, 3: 14, 4: 14, 5: 14}, tab_color="#7030A0",
        landscape=False, print_title_rows=(9, 9), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return plan
