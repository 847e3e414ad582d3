"""The decision log: recording a credit decision someone took (the ribbon's "Record
decision", ``xlcredit decide``), and the Dashboard's list of credit reviews due.

Recording is a user action, not part of refresh: it appends a row to ``tblDecisions`` (the
Decisions sheet, the user's; refresh never writes it) with the buyer's recommendation from
the decision engine (the same one refresh writes on Buyers) and the approver's name, and
types the new ``current_limit`` and ``last_review`` on the buyer's row."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xlcredit.engine.errors import InputError
from xlcredit.engine.ledger import currency_code
from xlcredit.macros.generated import _DATE, _MONEY, _MONEY0, _frame_cells
from xlcredit.macros.run import (
    _assess,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
    _Run,
)
from xlcredit.messages import Message, text
from xlcredit.workbook.port import CellSpec, SheetSpec, TableEdit, TableSpec, Workbook
from xlcredit.workbook.schema import DECISIONS_LOG

__all__ = ["RecordedDecision", "record_decision", "reviews_block"]


@dataclass(frozen=True)
class RecordedDecision:
    """What was recorded (amounts in the buyer's currency)."""

    buyer_id: str
    name: str
    date: dt.date
    currency: str
    old_limit: float | None
    new_limit: float
    decision: str
    approver: str
    note: str
    language: str

    def message(self) -> str:
        """One line for a message box or the command line, in the workbook's language."""
        def money(x: float | None) -> str:
            return text("teams.none", self.language) if x is None else f"{x:,.0f}"

        return text("teams.recorded", self.language, buyer=self.buyer_id, name=self.name,
                    decision=self.decision, old=money(self.old_limit), new=money(self.new_limit),
                    ccy=self.currency, approver=self.approver, date=self.date.isoformat(),
                    sheet=DECISIONS_LOG.sheet(self.language))


def _buyer_position(run: _Run, buyer_id: str) -> int:
    ids = run.buyers.frame["buyer_id"].astype(str).str.strip().to_numpy(dtype=object)
    found = np.flatnonzero((ids == buyer_id.strip()) & run.buyers.frame["buyer_id"].notna().to_numpy())
    if not len(found):
        raise InputError(Message("teams.no_buyer", {"buyer": buyer_id, "sheet": run.buyers.sheet}))
    if len(found) > 1:
        rows = ", ".join(str(int(run.buyers.excel_rows[p])) for p in found)
        raise InputError(Message("teams.buyer_twice", {"buyer": buyer_id, "count": len(found), "rows": rows}))
    return int(found[0])


def record_decision(
    workbook: Workbook,
    buyer_id: str,
    *,
    approver: str | None = None,
    note: str = "",
    limit: float | None = None,
    as_of: dt.date | None = None,
) -> RecordedDecision:
    """Record the decision on ``buyer_id``: the engine's recommendation (or ``limit``, in the
    buyer's currency, when the approver grants another), dated the run's as-of day.

    The row goes into ``tblDecisions`` first (created on a Decisions sheet when an older
    workbook has none); then the buyer's ``current_limit`` and ``last_review`` are typed.
    The caller saves the workbook.

    Examples
    --------
    A credit manager approves the first sample buyer's recommended limit:

    >>> with _example_book() as book:
    ...     done = record_decision(book, "C0001", approver="Li Na", note="annual review")
    ...     log = book.read_table("tblDecisions").rows
    >>> log[-1][1], log[-1][6], done.new_limit == log[-1][4]
    ('C0001', 'Li Na', True)
    """
    run = _open(workbook, as_of)
    lang = run.lang
    pos = _buyer_position(run, buyer_id)
    result = _assess(run)
    b = run.buyers.frame
    ccy_value = b["currency"].iloc[pos]
    ccy = currency_code(ccy_value) if pd.notna(ccy_value) and str(ccy_value).strip() else run.ccy
    if limit is not None and (math.isnan(limit) or limit < 0):
        raise InputError(Message("teams.bad_limit", {"value": limit}))
    recommended = float(result["recommended_limit_ccy"].iloc[pos])
    if limit is None and math.isnan(recommended):
        raise InputError(Message("teams.no_limit", {"buyer": buyer_id, "ccy": ccy}))
    new_limit = float(limit) if limit is not None else recommended
    old = float(b["current_limit"].iloc[pos]) if pd.notna(b["current_limit"].iloc[pos]) else None
    who = (approver or "").strip() or workbook.user_name().strip()
    if not who:
        raise InputError(Message("teams.no_approver", {}))
    name = b["name"].iloc[pos]
    record = RecordedDecision(
        buyer_id=buyer_id.strip(), name="" if pd.isna(name) else str(name), date=run.as_of, currency=ccy,
        old_limit=old, new_limit=new_limit, decision=str(result["decision"].iloc[pos]), approver=who,
        note=note.strip(), language=lang)
    _append_log(run, record)
    day = dt.datetime.combine(run.as_of, dt.time())
    limit_h, review_h = run.buyers.header("current_limit", lang), run.buyers.header("last_review", lang)
    workbook.edit_table(run.buyers.schema.name, TableEdit(
        updates={int(run.buyers.data_index[pos]): {limit_h: new_limit, review_h: day}},
        number_formats={limit_h: _MONEY, review_h: _DATE}))
    return record


def _append_log(run: _Run, record: RecordedDecision) -> None:
    """One row at the end of tblDecisions (into its first blank row: a new template's table
    holds one); a Decisions sheet with the table when the workbook has none."""
    lang = run.lang
    values = {"date": dt.datetime.combine(record.date, dt.time()), "buyer_id": record.buyer_id,
              "currency": record.currency, "old_limit": record.old_limit, "new_limit": record.new_limit,
              "decision": record.decision, "approver": record.approver, "note": record.note or None}
    formats = {"date": _DATE, "old_limit": _MONEY, "new_limit": _MONEY}
    names = {n.casefold(): n for n in run.workbook.table_names()}
    if DECISIONS_LOG.name.casefold() not in names:
        frame = pd.DataFrame([[values[c.name] for c in DECISIONS_LOG.columns]],
                             columns=DECISIONS_LOG.headers(lang), dtype=object)
        headers = dict(zip([c.name for c in DECISIONS_LOG.columns], frame.columns, strict=True))
        spec = SheetSpec(DECISIONS_LOG.sheet(lang), tables=[TableSpec(
            DECISIONS_LOG.name, _frame_cells(frame), number_formats={headers[k]: f for k, f in formats.items()},
            text_columns=tuple(headers[k] for k in ("buyer_id", "currency", "decision", "approver", "note")))],
            widths={j: c.width for j, c in enumerate(DECISIONS_LOG.columns)}, freeze=(1, 0), tab_color="#1F4E78")
        run.workbook.write_sheet(spec)
        return
    raw = run.workbook.read_table(names[DECISIONS_LOG.name.casefold()])
    found = DECISIONS_LOG.resolve(raw.header)
    header = {c.name: (raw.header[found[c.name]] if c.name in found else c.header(lang))
              for c in DECISIONS_LOG.columns}
    row = {header[k]: v for k, v in values.items()}
    blank = next((i for i, r in enumerate(raw.rows) if all(v is None or str(v).strip() == "" for v in r)), None)
    edit = TableEdit(updates={blank: row}) if blank is not None else TableEdit(appends=[row])
    edit.number_formats = {header[k]: f for k, f in formats.items()}
    run.workbook.edit_table(raw.name, edit)


def reviews_block(run: _Run, top: int, shown: int = 25) -> tuple[list[CellSpec], list[TableSpec]]:
    """The Dashboard's credit reviews due from row ``top``: the buyers whose file the
    decision engine says is due (``review_due`` of :func:`~xlcredit.engine.decisions.decide_buyers`:
    next review reached, never reviewed, or a score fall), largest exposures first."""
    lang = run.lang
    result = _assess(run)
    due = result["review_due"].to_numpy(dtype=bool)
    cells = [CellSpec(top, 0, text("teams.reviews_title", lang), bold=True, font_size=12)]
    if not due.any():
        cells.append(CellSpec(top + 1, 0, text("teams.reviews_none", lang)))
        return cells, []
    b = run.buyers.frame
    never = result["never_reviewed"].to_numpy(dtype=bool)
    reached = pd.to_datetime(result["next_review"]).to_numpy() <= np.datetime64(run.as_of)
    why = np.where(never, text("teams.why_never", lang),
                   np.where(reached, text("teams.why_date", lang), text("teams.why_drop", lang)))
    frame = pd.DataFrame({
        text("sheet.buyer_id", lang): b["buyer_id"].to_numpy(dtype=object),
        text("sheet.name", lang): b["name"].to_numpy(dtype=object),
        text("sheet.band", lang): result["band"].to_numpy(dtype=object),
        text("sheet.exposure", lang): result["exposure"].to_numpy(dtype=float),
        text("teams.last_review", lang): pd.to_datetime(b["last_review"]).to_numpy(),
        text("teams.due_on", lang): pd.to_datetime(result["next_review"]).to_numpy(),
        text("teams.why", lang): why,
    })[due]
    frame = frame.sort_values(text("sheet.exposure", lang), ascending=False, kind="stable").head(shown)
    cells.append(CellSpec(top + 1, 0, text("teams.reviews_count", lang, count=int(due.sum()), shown=len(frame))))
    dates = {text("teams.last_review", lang): _DATE, text("teams.due_on", lang): _DATE}
    table = TableSpec("tblReviewsDue", _frame_cells(frame.reset_index(drop=True)), row=top + 2,
                      number_formats={text("sheet.exposure", lang): _MONEY0, **dates},
                      text_columns=(text("sheet.buyer_id", lang), text("sheet.name", lang)), style="TableStyleLight9")
    return cells, [table]
