"""The Credit hold sheet (信用冻结名单): for sales and shipping, the buyers who get no
delivery on credit today, why, how much must be paid to clear it, since when, and who owns
the account.

A buyer is on it when the decision engine (:mod:`xlcredit.engine.decisions`, read through
the run's assessment) decides ``hold`` (deliveries held until the overdue is paid) or
``suspend`` (credit suspended). The reason is the deciding rule in words; the amount to
clear is the buyer's overdue balance (base currency, the receivables figures'); "since" is
carried over from the previous Credit hold sheet by buyer ID (the first refresh that put
the buyer on hold), so it survives refreshes and restarts when a buyer comes off the list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.macros.generated import _DATE, _MONEY, _fit, _frame_cells, _write_generated
from xlcredit.macros.run import (
    _assess,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
    _read_own,
    _Run,
)
from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.schema import CREDIT_HOLD, SHEET_NAMES

__all__ = ["HOLD_DECISIONS", "build_credit_hold"]

#: The decisions that stop deliveries on credit.
HOLD_DECISIONS: tuple[str, ...] = ("hold", "suspend")

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Credit hold: no deliveries on credit to these buyers", "信用冻结名单：以下客户暂停赊销发货"),
    "note": ("For sales and shipping. Rebuilt by every refresh from the credit decisions ({date}, amounts in {ccy}). "
             "A buyer leaves the list when the decision changes.",
             "供销售和发货部门使用。每次刷新按授信决定重新生成（{date}，金额单位 {ccy}）。决定改变后客户自动移出名单。"),
    "hold": ("Deliveries held", "暂停发货"),
    "suspend": ("Credit suspended", "暂停赊销"),
    "none": ("No buyer is on hold.", "目前没有被冻结的客户。"),
}


def _t(key: str, lang: str, **fields: Any) -> str:
    en, zh = _TEXT[key]
    return (zh if lang == "zh-CN" else en).format(**fields)


def _previous_since(run: _Run) -> pd.Series:
    """On-hold-since dates of the current Credit hold sheet, by buyer ID."""
    t = _read_own(run, CREDIT_HOLD)
    if t is None:
        return pd.Series(dtype="datetime64[ns]")
    run.problems.extend(t.problems)
    f = t.frame.dropna(subset=["buyer_id", "since"]).drop_duplicates("buyer_id")
    return pd.Series(pd.to_datetime(f["since"]).to_numpy(), index=f["buyer_id"].astype(str).to_numpy())


def build_credit_hold(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Rebuild the Credit hold sheet; returns the number of buyers on it.

    >>> with _example_book(60) as book:
    ...     n = build_credit_hold(book)
    ...     t = book.read_table("tblCreditHold")
    >>> n == len([r for r in t.rows if r[0] is not None]), t.header[:3]
    (True, ['Buyer ID', 'Name', 'Status'])
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    zh = lang == "zh-CN"
    result = _assess(run)
    b = run.buyers.frame
    code = result["decision_code"].to_numpy(dtype=object)
    on = np.isin(code, HOLD_DECISIONS) & b["buyer_id"].notna().to_numpy()
    ids = b["buyer_id"].astype(str).to_numpy(dtype=object)[on]
    since_before = _previous_since(run)
    today = pd.Timestamp(run.as_of)
    since = pd.Series(ids).map(since_before).fillna(today).to_numpy()
    frame = pd.DataFrame({
        "buyer_id": ids,
        "name": b["name"].to_numpy(dtype=object)[on],
        "status": np.where(code[on] == "hold", _t("hold", lang), _t("suspend", lang)),
        "why": result["decision_rule"].to_numpy(dtype=object)[on],
        "to_clear": result["overdue"].to_numpy(dtype=float)[on],
        "exposure": result["exposure"].to_numpy(dtype=float)[on],
        "since": since,
        "owner": b["owner"].to_numpy(dtype=object)[on] if "owner" in b.columns else None,
        "action": result["action"].to_numpy(dtype=object)[on],
    }).sort_values(["to_clear", "buyer_id"], ascending=[False, True], kind="stable")
    headers = {c.name: c.header(lang) for c in CREDIT_HOLD.columns}
    headers["to_clear"] = f"{headers['to_clear']} ({run.ccy})"
    headers["exposure"] = f"{headers['exposure']} ({run.ccy})"
    table = frame.rename(columns=headers)
    top = 3
    spec = SheetSpec(
        SHEET_NAMES["credit_hold"]["zh-CN" if zh else "en"],
        cells=[CellSpec(0, 0, _t("title", lang), bold=True, font_size=14),
               CellSpec(1, 0, _t("note", lang, date=run.as_of.isoformat(), ccy=run.ccy))]
        + ([CellSpec(top + 2, 0, _t("none", lang))] if not len(table) else []),
        tables=[TableSpec(CREDIT_HOLD.name, _frame_cells(table), row=top,
                          number_formats={headers["to_clear"]: _MONEY, headers["exposure"]: _MONEY,
                                          headers["since"]: _DATE},
                          text_columns=(headers["buyer_id"], headers["name"], headers["status"], headers["why"],
                                        headers["owner"], headers["action"]),
                          style="TableStyleMedium3")],
        widths=_fit({i: float(c.width) for i, c in enumerate(CREDIT_HOLD.columns)}, list(table.columns), cap=60),
        freeze=(top + 1, 2), tab_color="#7F0000", print_title_rows=(top, top),
    )
    _write_generated(run, spec)
    return len(table)
