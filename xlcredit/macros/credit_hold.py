"""The Credit hold sheet (信用冻结名单): for sales and shipping, the buyers who get no
delivery on credit today, why, how much must be paid to clear it, since when, and who owns
the account.

Every fact on it is read from the engine, never derived here: a buyer is on it when the
decision engine (:func:`xlcredit.engine.decisions.decide_buyers`, read through the run's
assessment, the Buyers sheet's Decision) decides one of
:data:`~xlcredit.engine.decisions.HOLD_DECISIONS`; the reason is the deciding rule in the
workbook's language; the amount to clear is the engine's ``to_clear``; "since" and how it
is known come from :func:`xlcredit.engine.decisions.hold_since` (the ledger's dated
evidence; "not known" where there is none, never a guessed date); the owner is the Buyers
table's Owner column."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from xlcredit.engine.decisions import HOLD_DECISIONS, hold_since
from xlcredit.macros.generated import _DATE, _MONEY, _fit, _frame_cells, _write_generated
from xlcredit.macros.labels import _l
from xlcredit.macros.run import (
    _assess,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
    _Run,
    _worklist,
)
from xlcredit.messages import text
from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.schema import BUYERS, SHEET_NAMES
from xlcredit.workbook.widths import display_width

__all__ = ["CREDIT_HOLD_TABLE", "build_credit_hold", "credit_hold_frame"]

#: The Excel table name of the list (language-independent, as every table's).
CREDIT_HOLD_TABLE = "tblCreditHold"

#: Columns of the list, in order.
_COLUMNS = ("buyer_id", "name", "decision", "decision_rule", "to_clear", "overdue", "exposure", "since",
            "since_basis", "owner", "action")


def credit_hold_frame(run: _Run) -> pd.DataFrame:
    """The buyers on hold or suspended, largest amount to clear first (canonical column
    names of :data:`_COLUMNS`; ``since`` is NaT where not knowable).

    >>> with _example_book(60) as book:
    ...     run = _open(book)
    ...     f = credit_hold_frame(run)
    >>> set(f["buyer_id"]) == set(run.buyers.frame["buyer_id"][_assess(run)["decision_code"].isin(HOLD_DECISIONS)])
    True
    """
    lang = run.lang
    result = _assess(run)
    b = run.buyers.frame
    on = result["decision_code"].isin(HOLD_DECISIONS).to_numpy() & b["buyer_id"].notna().to_numpy()
    since = hold_since(b["buyer_id"].to_numpy(dtype=object)[on], result["rule"].to_numpy(dtype=object)[on],
                       result["exposure"].to_numpy(dtype=float)[on], _worklist(run), run.policy)
    basis = since["since_basis"].map({k: text(f"hold.basis_{k}", lang) for k in ("step", "promise", "unknown")})
    owner = b["owner"].to_numpy(dtype=object)[on] if "owner" in b.columns else np.full(int(on.sum()), None)
    frame = pd.DataFrame({
        "buyer_id": b["buyer_id"].to_numpy(dtype=object)[on],
        "name": b["name"].to_numpy(dtype=object)[on],
        "decision": result["decision"].to_numpy(dtype=object)[on],
        "decision_rule": result["decision_rule"].to_numpy(dtype=object)[on],
        "to_clear": result["to_clear"].to_numpy(dtype=float)[on],
        "overdue": result["overdue"].to_numpy(dtype=float)[on],
        "exposure": result["exposure"].to_numpy(dtype=float)[on],
        "since": since["since"].to_numpy(),
        "since_basis": basis.to_numpy(dtype=object),
        "owner": owner,
        "action": result["action"].to_numpy(dtype=object)[on],
    })
    frame["_key"] = frame["buyer_id"].astype(str)
    frame = frame.sort_values(["to_clear", "exposure", "_key"], ascending=[False, False, True],
                              na_position="last", kind="stable")
    return frame.drop(columns="_key").reset_index(drop=True)


def _headers(lang: str, ccy: str) -> dict[str, str]:
    """The list's headers: the Buyers sheet's own for the facts it shows too."""
    own = {"to_clear": text("hold.to_clear", lang, ccy=ccy), "since": text("hold.since", lang),
           "since_basis": text("hold.since_basis", lang)}
    return {c: own.get(c) or BUYERS.column(c).header(lang) for c in _COLUMNS}


def _rule_width(table: pd.DataFrame, header: str) -> dict[int, float]:
    """The deciding rule is the list's answer to "why": its column shows the whole text
    (other text columns stop at :data:`~xlcredit.workbook.widths.TEXT_CAP`)."""
    texts = dict.fromkeys(v for v in table[header] if v is not None)  # a few distinct rules, many rows
    longest = max((display_width(v) for v in texts), default=0.0)
    return {list(table.columns).index(header): min(longest + 2.0, 120.0)}


def build_credit_hold(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Rebuild the Credit hold sheet; returns the number of buyers on it.

    >>> with _example_book(60) as book:
    ...     n = build_credit_hold(book)
    ...     t = book.read_table("tblCreditHold")
    >>> n == len([r for r in t.rows if r[0] is not None]), t.header[:3]
    (True, ['Buyer ID', 'Name', 'Decision'])
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    frame = credit_hold_frame(run)
    headers = _headers(lang, run.ccy)
    table = frame.rename(columns=headers)
    if not len(table):  # an empty table keeps its header row and one blank row
        table = pd.DataFrame([[None] * len(headers)], columns=list(headers.values()), dtype=object)
    top = 4
    cells = [CellSpec(0, 0, text("hold.title", lang), bold=True, font_size=14),
             CellSpec(1, 0, text("hold.note", lang, date=run.as_of.isoformat(), ccy=run.ccy)),
             CellSpec(2, 0, text("hold.clear_note", lang))]
    if not len(frame):
        cells.append(CellSpec(top + 3, 0, text("hold.none", lang)))
    money = {headers[c]: _MONEY for c in ("to_clear", "overdue", "exposure")}
    spec = SheetSpec(
        SHEET_NAMES["credit_hold"]["zh-CN" if lang == "zh-CN" else "en"],
        cells=cells,
        tables=[TableSpec(CREDIT_HOLD_TABLE, _frame_cells(table), row=top,
                          number_formats={**money, headers["since"]: _DATE},
                          text_columns=tuple(headers[c] for c in ("buyer_id", "name", "decision", "decision_rule",
                                                                  "since_basis", "owner", "action")),
                          style="TableStyleMedium3")],
        widths=_fit(_rule_width(table, headers["decision_rule"]), list(table.columns), cap=60),
        freeze=(top + 1, 2), tab_color="#7F0000", print_title_rows=(top, top),
        footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return len(frame)
