"""The Collections sheet: the prioritised worklist of overdue invoices, carrying the
user's own columns over by invoice number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.macros.generated import _DATE, _MONEY, _fit, _frame_cells, _write_generated
from xlcredit.macros.labels import _CHANNELS_ZH, _l, _sheet
from xlcredit.macros.run import (
    _buyer_names,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _first_per_buyer,
    _ledger,
    _open,
    _previous_collections,
    _Run,
    _worklist,
)
from xlcredit.messages import pair, text
from xlcredit.workbook.port import (
    CellSpec,
    ConditionalFormat,
    DataValidation,
    SheetSpec,
    TableSpec,
    Workbook,
)
from xlcredit.workbook.sheet_xml import col_letters

#: The drop-down of the Collections sheet's Status column (the user's own column: other
#: wording is allowed with a warning, and is carried over like any value).
_STATUS_KEYS = ("open", "contacted", "promised", "disputed", "paid", "escalated", "written_off")
COLLECTION_STATUSES: dict[str, tuple[str, ...]] = {
    lang: tuple(text(f"sheet.status_{k}", lang) for k in _STATUS_KEYS) for lang in ("en", "zh-CN")
}

#: Headers of the limitation columns (time-barred date, flag).
_LIMITATION_HEADERS: dict[str, tuple[str, str]] = {
    lang: (text("sheet.time_barred_on", lang), text("sheet.limitation", lang)) for lang in ("en", "zh-CN")
}
#: Headers of the SME payment regulation's terms check (longest term allowed, over it).
_STATUTORY_HEADERS: dict[str, tuple[str, str]] = {
    lang: (text("sheet.statutory_terms", lang), text("sheet.terms_over_statutory", lang)) for lang in ("en", "zh-CN")
}

#: Header of the column that shows each buyer's last dunning letter (Letters log).
_LAST_REMINDER = pair("sheet.last_reminder")


def _first_by_invoice(ledger: pd.DataFrame, column: str, invoice: pd.Series) -> np.ndarray:
    """A ledger column's value on the first ledger row of each invoice number (blank where
    the ledger has no such invoice), as ``Series.map`` gives it, the numbers hashed once."""
    numbers = pd.Index(ledger["invoice_no"])
    if not numbers.is_unique:  # an invoice number typed twice: its first row speaks
        first = ledger.drop_duplicates("invoice_no")
        return invoice.map(first.set_index("invoice_no")[column]).to_numpy(dtype=object)
    at = numbers.get_indexer(invoice)  # -1 (not found) is no row label: a blank, as Series.map gives
    return ledger[column].reset_index(drop=True).reindex(at).to_numpy(dtype=object)


def build_collections(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Rebuild the Collections sheet: the prioritised worklist of overdue items with the
    dunning step of each, keeping the user's Status, Promise date, Owner and Notes by invoice
    number (Status offers a drop-down of :data:`COLLECTION_STATUSES`). Returns the number of
    items.

    Examples
    --------
    What does the collector's list hold?

    >>> with _example_book() as book:
    ...     n = build_collections(book)
    ...     t = book.read_table("tblCollections")
    >>> n == len(t.rows), t.header[:3]
    (True, ['Rank', 'Invoice no', 'Buyer ID'])
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    zh = lang == "zh-CN"
    wl = _worklist(run)
    user = _previous_collections(run)
    from xlcredit.engine.collections import (
        INSURANCE_ALERTS_ZH,
        LIMITATION_ALERTS_ZH,
        STATE_LABELS_ZH,
    )

    invoice = wl["invoice_no"]
    owners = _first_per_buyer(run, run.buyers.frame["owner"])
    carried_owner = invoice.map(user["owner"]) if len(user) else pd.Series([None] * len(wl))
    owner = carried_owner.where(carried_owner.notna(), wl["buyer_id"].map(owners))
    state = wl["dunning_state"].map(STATE_LABELS_ZH) if zh else wl["dunning_state"]
    cols: dict[str, Any] = {
        _l("rank", lang): wl["rank"].to_numpy(),
        _l("invoice_no", lang): invoice.to_numpy(dtype=object),
        _l("buyer_id", lang): wl["buyer_id"].to_numpy(dtype=object),
        _l("name", lang): wl["buyer_id"].map(_buyer_names(run)).to_numpy(dtype=object),
        _l("band", lang): wl["buyer_band"].to_numpy(dtype=object),
        _l("currency", lang): wl["currency"].to_numpy(dtype=object),
        _l("open_amount", lang): wl["open_amount"].to_numpy(),
        _l("open_base", lang, ccy=run.ccy): wl["open_amount_base"].to_numpy(),
        _l("due_date", lang): wl["due_date"].to_numpy(),
        _l("days_overdue", lang): wl["days_overdue"].to_numpy(),
        _l("state", lang): state.to_numpy(dtype=object),
        _l("action", lang): wl["action_zh" if zh else "action_en"].to_numpy(dtype=object),
        _l("channel", lang): (wl["channel"].map(lambda c: _CHANNELS_ZH.get(c, c)) if zh
                              else wl["channel"]).to_numpy(dtype=object),
        _l("next_action", lang): wl["next_action_date"].to_numpy(),
        _l("priority", lang): wl["priority"].to_numpy(),
    }
    from xlcredit.macros.letters import last_reminders

    reminders = last_reminders(run)  # the buyer's last letter, from the Letters log
    if len(reminders):
        cols[_LAST_REMINDER[1] if zh else _LAST_REMINDER[0]] = wl["buyer_id"].astype(object).map(
            reminders).to_numpy(dtype=object)
    if run.policy.late_interest.enabled:
        cols[_l("late_total", lang)] = wl["late_total"].to_numpy()
    statutory = wl["statutory_terms_days"]
    if statutory.notna().any():  # the SME payment regulation applies to some buyer
        terms_label = _STATUTORY_HEADERS["zh-CN" if zh else "en"]
        cols[terms_label[0]] = statutory.to_numpy()
        over = wl["terms_over_statutory"].astype(bool)
        cols[terms_label[1]] = np.where(over, text("sheet.yes", lang), "").astype(object)
    barred_label = _LIMITATION_HEADERS["zh-CN" if zh else "en"]
    cols[barred_label[0]] = wl["time_barred_on"].to_numpy()
    lim = wl["limitation_alert"].fillna("")
    cols[barred_label[1]] = (lim.map(LIMITATION_ALERTS_ZH) if zh else lim).to_numpy(dtype=object)
    if run.policy.insurance.enabled:
        alert = wl["insurance_alert"].fillna("")
        cols[_l("insurance", lang)] = (alert.map(INSURANCE_ALERTS_ZH) if zh else alert).to_numpy(dtype=object)
    for key in ("status", "promise_date", "owner", "notes"):
        if key == "owner":
            values = owner.to_numpy(dtype=object)
        elif len(user):
            values = invoice.map(user[key]).to_numpy(dtype=object)
        else:
            values = np.full(len(wl), None, dtype=object)
        if key == "promise_date" and len(wl):
            promised = wl.get("promise_lapse_date")
            values = np.asarray([None if pd.isna(v) else v for v in values], dtype=object)
            if promised is not None and "promise_date" in _ledger(run).columns:
                own = _first_by_invoice(_ledger(run), "promise_date", invoice)
                values = np.where(pd.isna(values), own, values)
        cols[_l(key, lang)] = values
    table = pd.DataFrame(cols)
    headers = list(table.columns)
    formats = {_l("open_amount", lang): _MONEY, _l("open_base", lang, ccy=run.ccy): _MONEY,
               _l("due_date", lang): _DATE, _l("next_action", lang): _DATE,
               _l("promise_date", lang): _DATE, _l("priority", lang): "0", _l("rank", lang): "0",
               _l("days_overdue", lang): "0", _l("late_total", lang): _MONEY,
               _LIMITATION_HEADERS["zh-CN" if zh else "en"][0]: _DATE}
    top = 3
    n = max(len(table), 1)
    days_col = col_letters(headers.index(_l("days_overdue", lang)) + 1)
    state_col = col_letters(headers.index(_l("state", lang)) + 1)
    status_col = col_letters(headers.index(_l("status", lang)) + 1)
    lim_col = col_letters(headers.index(barred_label[1]) + 1)
    lim_flags = [LIMITATION_ALERTS_ZH[k] if zh else k for k in ("time-barred soon", "time-barred")]
    broken = STATE_LABELS_ZH["broken promise"] if zh else "broken promise"
    on_hold = STATE_LABELS_ZH["disputed - on hold"] if zh else "disputed - on hold"
    first, last = top + 2, top + 1 + n
    widths = {i: 12.0 for i in range(len(headers))}
    widths.update({0: 7, 1: 13, 2: 10, 3: 30, 4: 7, 5: 8, 10: 16, 11: 30, 12: 10})
    widths[headers.index(_l("notes", lang))] = 30
    widths[headers.index(_l("status", lang))] = 14
    spec = SheetSpec(
        _sheet("collections", lang),
        cells=[CellSpec(0, 0, _l("coll_title", lang), bold=True, font_size=14),
               CellSpec(1, 0, _l("as_of", lang, date=run.as_of.isoformat(), ccy=run.ccy)),
               CellSpec(2, 0, _l("coll_note", lang))],
        tables=[TableSpec("tblCollections", _frame_cells(table), row=top, number_formats=formats,
                          text_columns=(_l("invoice_no", lang), _l("buyer_id", lang), _l("name", lang),
                                        _LAST_REMINDER[1] if zh else _LAST_REMINDER[0],
                                        _l("notes", lang), _l("status", lang), _l("owner", lang)),
                          style="TableStyleMedium3")],
        conditional_formats=[
            ConditionalFormat(f"{days_col}{first}:{days_col}{last}", "data_bar", color="#F4B183"),
            ConditionalFormat(f"{state_col}{first}:{state_col}{last}", "cell", operator="==",
                              value=broken, font_color="#C00000", bold=True),
            ConditionalFormat(f"{state_col}{first}:{state_col}{last}", "cell", operator="==",
                              value=on_hold, font_color="#7F7F7F"),
            *(ConditionalFormat(f"{lim_col}{first}:{lim_col}{last}", "cell", operator="==",
                                value=flag, font_color="#C00000", bold=True) for flag in lim_flags),
        ],
        validations=[DataValidation(f"{status_col}{first}:{status_col}{last}", list(COLLECTION_STATUSES[
            "zh-CN" if zh else "en"]), prompt=_l("status_prompt", lang), title=_l("status", lang))],
        widths=_fit(widths, headers), freeze=(top + 1, 2), tab_color="#C00000",
        print_title_rows=(top, top), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return len(wl)
