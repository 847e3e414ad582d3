"""The Provision sheet (坏账准备) and the Provision history (坏账准备历史): the month-end
bad-debt provision per bucket and per buyer, the expected insurance recovery apart, the
movement against the previous month-end and the invoices written off.

Every figure is the provision engine's (:func:`xlcredit.engine.provision.provision` on the
run's ledger, read once by the ledger reader with the Write-offs table's dates; the movement
is :func:`~xlcredit.engine.provision.provision_movement`); this module only lays them out.

The history is a table refresh adds to: one row per buyer per period (the month of the
as-of date). A refresh changes only the rows of its own period (a second run in the same
month replaces that month's figures, a buyer no longer provided gets zeros); earlier rows,
and any column or edit of the user's, are never written. The opening of the movement is
the latest earlier period in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.ledger import open_amounts
from xlcredit.engine.provision import ProvisionResult, provision, provision_movement
from xlcredit.macros.generated import _DATE, _MONEY, _fit, _frame_cells, _write_generated
from xlcredit.macros.labels import _l, _sheet
from xlcredit.macros.run import (
    _arrays,
    _buyer_names,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _fx,
    _open,
    _read_own,
    _Run,
    _write_off_log,
)
from xlcredit.messages import text
from xlcredit.workbook.port import CellSpec, SheetSpec, TableEdit, TableSpec, Workbook
from xlcredit.workbook.schema import PROVISION_HISTORY, Problem

__all__ = ["MATRIX_TABLE", "PROVISION_TABLE", "ROLL_TABLE", "WRITTEN_OFF_TABLE", "build_provision", "provision_result",
           "update_provision_history"]

#: Excel table names on the Provision sheet (language-independent).
PROVISION_TABLE = "tblProvision"
MATRIX_TABLE = "tblProvisionMatrix"
ROLL_TABLE = "tblRollRates"
WRITTEN_OFF_TABLE = "tblWrittenOff"

_RATE = "0.0%"
_SHARE = "0.0%"


def _t(key: str, lang: str, **fields: Any) -> str:
    return text(f"month_end.{key}", lang, **fields)


def _period(day: dt.date) -> str:
    """The history's period of an as-of date: its month, ``YYYY-MM``."""
    return f"{day.year:04d}-{day.month:02d}"


def _buyer_inputs(run: _Run) -> pd.DataFrame:
    """The Buyers table's provision inputs (insured limit in the base currency)."""
    b = run.buyers.frame
    keep = b["buyer_id"].notna().to_numpy() & ~b["buyer_id"].duplicated().to_numpy()
    out = pd.DataFrame({"buyer_id": b["buyer_id"].to_numpy(dtype=object)})
    for col in ("insolvent", "legal_action", "expected_recovery"):
        if col in b.columns:
            out[col] = b[col].to_numpy()
    if "insured_limit" in b.columns:
        out["insured_limit"] = b["insured_limit"].to_numpy(dtype=float) * _fx(run, b["currency"] if "currency" in b
                                                                              else pd.Series([None] * len(b)))
    return out[keep].reset_index(drop=True)


def provision_result(run: _Run) -> ProvisionResult:
    """The run's provision (computed once per run) on the ledger the other sheets read."""
    if "provision" not in run.cache:
        run.cache["provision"] = provision(_arrays(run), run.as_of, run.policy, _buyer_inputs(run),
                                           language=run.lang)
    return run.cache["provision"]  # type: ignore[no-any-return]


def _history(run: _Run) -> pd.DataFrame:
    """The Provision history as typed when the run began (empty without one), read once."""
    if "provision_history" not in run.cache:
        t = _read_own(run, PROVISION_HISTORY)
        frame = pd.DataFrame(columns=[c.name for c in PROVISION_HISTORY.columns])
        if t is not None:
            run.problems.extend(p for p in t.problems if isinstance(p, Problem))
            frame = t.frame.dropna(subset=["period", "buyer_id"])
        run.cache["provision_history"] = frame
    return run.cache["provision_history"]  # type: ignore[no-any-return]


def _opening(run: _Run) -> tuple[str | None, dt.date | None, pd.Series]:
    """The latest period before this one in the history: its label, as-of day and the gross
    provision per buyer."""
    h = _history(run)
    period = _period(run.as_of)
    earlier = h[h["period"].astype(str) < period]
    if not len(earlier):
        return None, None, pd.Series(dtype=float)
    last = str(earlier["period"].astype(str).max())
    rows = earlier[earlier["period"].astype(str) == last]
    day = pd.to_datetime(rows["date"]).max()
    gross = pd.to_numeric(rows["gross_provision"], errors="coerce").fillna(0.0)
    series = pd.Series(gross.to_numpy(dtype=float), index=rows["buyer_id"].astype(str).to_numpy())
    return last, (None if pd.isna(day) else day.date()), series.groupby(level=0).sum()


def update_provision_history(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Add this period's provision per buyer to the Provision history (replacing this
    period's rows only). Returns the number of rows of this period.

    Does a second refresh in the same month add the rows twice?

    >>> with _example_book(30) as book:
    ...     a = update_provision_history(book)
    ...     b = update_provision_history(book)
    ...     rows = [r for r in book.read_table("tblProvisionHistory").rows if r[0] is not None]
    >>> a == b == len(rows) > 0
    True
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    result = provision_result(run)
    by = result.by_buyer
    names = _buyer_names(run)
    ids = by.index.to_numpy(dtype=object)
    period = _period(run.as_of)
    new = pd.DataFrame({
        "period": period, "date": pd.Timestamp(run.as_of), "buyer_id": ids,
        "name": names.reindex(ids).to_numpy(dtype=object),
        "open_balance": by["open_balance"].to_numpy(), "gross_provision": by["gross_provision"].to_numpy(),
        "insurance_recovery": by["insurance_recovery"].to_numpy(), "net_of_insurance": by["net_of_insurance"].to_numpy(),
    })
    exists = PROVISION_HISTORY.name.casefold() in {n.casefold() for n in workbook.table_names()}
    if exists and _edit_history(run, new, period):
        return len(new)
    if exists:  # written earlier in this same session (a file not yet saved): rebuild it, all ours
        old = _history(run)
        new = pd.concat([old[old["period"].astype(str) != period], new], ignore_index=True)
    headers = {c.name: c.header(lang) for c in PROVISION_HISTORY.columns}
    shown = _frame_cells(new[list(headers)].rename(columns=headers))
    money = {headers[c]: _MONEY for c in ("open_balance", "gross_provision", "insurance_recovery",
                                           "net_of_insurance")}
    spec = SheetSpec(
        _sheet("provision_history", lang),
        cells=[CellSpec(0, 0, _t("history_title", lang), bold=True, font_size=14)],
        tables=[TableSpec(PROVISION_HISTORY.name, shown, row=2,
                          number_formats={**money, headers["date"]: _DATE},
                          text_columns=(headers["period"], headers["buyer_id"], headers["name"]),
                          style="TableStyleLight9")],
        widths=_fit({}, list(headers.values())), freeze=(3, 0), tab_color="#7F7F7F",
        print_title_rows=(2, 2), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return int((new["period"] == period).sum())


def _edit_history(run: _Run, new: pd.DataFrame, period: str) -> bool:
    """Write this period's rows into the existing history table, touching no other row;
    False when the table was generated earlier in this session and must be rebuilt."""
    from xlcredit.engine.errors import WorkbookError

    _history(run)  # its problems listed once
    t = _read_own(run, PROVISION_HISTORY)
    if t is None:  # it cannot be read: on the Problems sheet, and left as it is
        return True
    lang = run.lang
    header = {c.name: t.header(c.name, lang) for c in PROVISION_HISTORY.columns}
    edit = TableEdit(number_formats={header["date"]: _DATE, **{header[c]: _MONEY for c in (
        "open_balance", "gross_provision", "insurance_recovery", "net_of_insurance")}})
    f = t.frame
    mine = f["period"].astype(str).to_numpy() == period
    at = dict(zip(f["buyer_id"].astype(str).to_numpy()[mine], np.asarray(t.data_index)[mine], strict=True))
    cells = _frame_cells(new.drop(columns="period"))
    for rec in cells.to_dict("records"):
        row = {header[str(k)]: v for k, v in rec.items()}
        row[header["period"]] = period
        where = at.pop(str(rec["buyer_id"]), None)
        if where is None:
            edit.appends.append(row)
        else:
            edit.updates[int(where)] = row
    for where in at.values():  # provided earlier this period, not any more: zero, not deleted
        edit.updates[int(where)] = {header["date"]: dt.datetime.combine(run.as_of, dt.time()),
                                    **{header[c]: 0.0 for c in ("open_balance", "gross_provision",
                                                                "insurance_recovery", "net_of_insurance")}}
    try:
        run.workbook.edit_table(PROVISION_HISTORY.name, edit)
    except WorkbookError as exc:
        if "generated in this run" in str(exc):  # the file adapter's refusal of its own fresh table
            return False
        raise
    return True


def _write_off_amount_problems(run: _Run, result: ProvisionResult) -> None:
    """A typed amount written off that is not the invoice's open amount the day before is
    listed (the whole open amount leaves the balance)."""
    t = _write_off_log(run)
    ledger = _arrays(run)
    if t is None or ledger.written_off_day is None or "amount" not in t.frame.columns:
        return
    off = ~np.isnan(ledger.written_off_day)
    if not off.any():
        return
    before = open_amounts(ledger, np.where(off, ledger.written_off_day - 1, 0.0))  # type: ignore[arg-type]
    numbers = ledger.invoice_no.astype(str)
    open_by = pd.Series(before[off], index=numbers[off])
    ccy = pd.Series(ledger.currency[off], index=numbers[off])
    f = t.frame.reset_index(drop=True)
    typed = pd.to_numeric(f["amount"], errors="coerce").to_numpy(dtype=float)
    number = f["invoice_no"].astype(str).to_numpy(dtype=object)
    expected = open_by[~open_by.index.duplicated()].reindex(number).to_numpy(dtype=float)
    bad = ~np.isnan(typed) & ~np.isnan(expected) & (np.abs(typed - expected) > 0.005)
    rows = np.asarray(t.excel_rows)
    for i in np.flatnonzero(bad):  # only the rows in error
        run.problems.append(Problem(t.sheet, int(rows[i]), t.header("amount", run.lang), typed[i],
                                    _t("wo_amount_differs", run.lang, invoice=number[i], typed=f"{typed[i]:,.2f}",
                                       open=f"{expected[i]:,.2f}", ccy=ccy.get(number[i], run.ccy))))


def _buyer_table(run: _Run, result: ProvisionResult, opening: pd.Series, since: dt.date | None,
                 opening_label: str) -> pd.DataFrame:
    lang = run.lang
    move = provision_movement(result, opening, since=since).drop(index="Total")
    move.index = move.index.astype(str)
    by = result.by_buyer.copy()
    by.index = by.index.astype(str)
    bb = result.by_buyer_bucket
    buyer_col = bb.columns[0]
    labels = list(result.matrix.index)
    grid = (bb.assign(_b=bb[buyer_col].astype(str)).pivot_table(index="_b", columns="bucket", values="provision",
                                                                 aggfunc="sum")
            .reindex(columns=labels)) if len(bb) else pd.DataFrame(columns=labels)
    ids = move.index
    names = _buyer_names(run)
    names.index = names.index.astype(str)
    impaired = by["impaired_reason"].reindex(ids).fillna("").astype(str)
    out = pd.DataFrame({_l("buyer_id", lang): ids.to_numpy(dtype=object),
                        _l("name", lang): names[~names.index.duplicated()].reindex(ids).to_numpy(dtype=object)})
    for label in labels:
        out[label] = grid[label].reindex(ids).to_numpy(dtype=float) if label in grid else np.nan
    zero = {c: by[c].reindex(ids).fillna(0.0).to_numpy(dtype=float) for c in (
        "open_balance", "insurance_recovery", "net_of_insurance")}
    out[_t("open_balance", lang)] = zero["open_balance"]
    out[opening_label] = move["opening"].to_numpy()
    out[_t("increase", lang)] = move["increase"].to_numpy()
    out[_t("release", lang)] = move["release"].to_numpy()
    out[_t("closing_gross", lang)] = move["closing"].to_numpy()  # = the engine's gross provision per buyer
    out[_t("recovery", lang)] = zero["insurance_recovery"]
    out[_t("net", lang)] = zero["net_of_insurance"]
    out[_t("impaired", lang)] = impaired.replace("", None).to_numpy(dtype=object)
    out[_t("written_off_period", lang)] = move["written_off"].to_numpy()
    key = out[_t("closing_gross", lang)] + out[opening_label]
    return out.iloc[np.lexsort((ids.to_numpy(dtype=str), -key.to_numpy()))].reset_index(drop=True)


def build_provision(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> float:
    """Rebuild the Provision sheet and add this period to the Provision history; returns the
    gross provision (base currency).

    >>> with _example_book(30) as book:
    ...     gross = build_provision(book)
    ...     t = book.read_table("tblProvision")
    >>> t.header[:2], gross >= 0
    (['Buyer ID', 'Name'], True)
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    ccy = run.ccy
    result = provision_result(run)
    _write_off_amount_problems(run, result)
    previous, since, opening = _opening(run)  # read before this period is written
    policy = run.policy.provision
    totals = result.totals

    cells: list[CellSpec] = [CellSpec(0, 0, _t("provision_title", lang), bold=True, font_size=14),
                             CellSpec(1, 0, _t("provision_note", lang, date=run.as_of.isoformat(), ccy=ccy)),
                             CellSpec(2, 0, _t("provision_rule", lang))]
    source = (_t("rates_policy", lang) if result.rate_source == "policy" else
              _t("rates_history", lang, months=int(policy.history_months), factor=f"{policy.outlook_factor:g}"))
    basis = (_t("basis_due", lang, days=int(policy.loss_days)) if policy.basis == "due_date"
             else _t("basis_invoice", lang))
    cells += [CellSpec(3, 0, source), CellSpec(4, 0, basis), CellSpec(5, 0, _t("insurance_note", lang))]
    r = 7
    cells.append(CellSpec(r, 0, _t("totals", lang), bold=True, font_size=12))
    for k, (key, label) in enumerate((("open_balance", "open_balance"), ("collective_provision", "collective"),
                                      ("individual_provision", "individual"), ("gross_provision", "gross"),
                                      ("insurance_recovery", "recovery"), ("net_of_insurance", "net"),
                                      ("written_off", "written_off_total"))):
        cells.append(CellSpec(r + 1 + k, 0, _t(label, lang), bold=key == "gross_provision"))
        cells.append(CellSpec(r + 1 + k, 1, float(totals[key]), number_format=_MONEY, bold=key == "gross_provision"))
    r += 10

    tables: list[TableSpec] = []
    # the matrix
    m = result.matrix
    matrix = pd.DataFrame({_t("bucket", lang): list(m.index), _t("balance", lang): m["balance"].to_numpy()})
    if result.migration is not None:
        matrix[_t("history_rate", lang)] = result.migration["loss_rate_history"].to_numpy()
    matrix[_t("loss_rate", lang)] = m["loss_rate"].to_numpy()
    matrix[_t("provision", lang)] = m["provision"].to_numpy()
    matrix[_t("in_loss", lang)] = m["in_loss_state"].to_numpy()
    cells.append(CellSpec(r, 0, _t("matrix_title", lang), bold=True, font_size=12))
    tables.append(TableSpec(MATRIX_TABLE, _frame_cells(matrix), row=r + 1, number_formats={
        _t("balance", lang): _MONEY, _t("history_rate", lang): _RATE, _t("loss_rate", lang): _RATE,
        _t("provision", lang): _MONEY, _t("in_loss", lang): _MONEY},
        text_columns=(_t("bucket", lang),), style="TableStyleMedium4"))
    r += len(matrix) + 3
    if result.notes:
        cells.append(CellSpec(r, 0, _t("notes_title", lang), bold=True))
        for k, note in enumerate(result.notes):
            cells.append(CellSpec(r + 1 + k, 0, note))
        r += len(result.notes) + 2
    # the roll rates behind estimated rates
    if result.migration is not None:
        mig = result.migration
        if policy.basis == "due_date":  # the last bucket is the loss state: nothing leaves it
            mig = mig.iloc[:-1]
        shares = [c for c in mig.columns if c not in ("exposure", "loss_rate_history")]
        roll = pd.DataFrame({_t("bucket", lang): list(mig.index), _t("exposure", lang): mig["exposure"].to_numpy()})
        share_headers = []
        for c in shares:
            h = {"loss": _t("to_loss", lang), "paid": _t("paid", lang)}.get(c, f"→ {c}")
            roll[h] = mig[c].to_numpy()
            share_headers.append(h)
        cells.append(CellSpec(r, 0, _t("roll_title", lang), bold=True, font_size=12))
        tables.append(TableSpec(ROLL_TABLE, _frame_cells(roll), row=r + 1,
                                number_formats={_t("exposure", lang): _MONEY, **dict.fromkeys(share_headers, _SHARE)},
                                text_columns=(_t("bucket", lang),), style="TableStyleLight9"))
        r += len(roll) + 3
    # per buyer and bucket, with the movement
    opening_label = _t("opening", lang, period=previous) if previous else _t("opening_none", lang)
    buyers = _buyer_table(run, result, opening, since, opening_label)
    title = (_t("buyers_title", lang, previous=previous) if previous else _t("buyers_title_first", lang))
    cells.append(CellSpec(r, 0, title, bold=True, font_size=12))
    if not len(buyers):
        buyers = pd.DataFrame([[None] * buyers.shape[1]], columns=buyers.columns, dtype=object)
    text_cols = (_l("buyer_id", lang), _l("name", lang), _t("impaired", lang))
    money_cols = [c for c in buyers.columns if c not in text_cols]
    buyer_top = r + 1
    tables.append(TableSpec(PROVISION_TABLE, _frame_cells(buyers), row=buyer_top,
                            number_formats=dict.fromkeys(money_cols, _MONEY), text_columns=text_cols,
                            style="TableStyleMedium2", total_row=True, total_label=_l("total", lang)))
    r = buyer_top + len(buyers) + 4
    # the invoices written off
    wo = result.write_offs
    cells.append(CellSpec(r, 0, _t("wo_title", lang), bold=True, font_size=12))
    written = pd.DataFrame({
        _l("buyer_id", lang): wo.iloc[:, 0].astype(str).to_numpy(dtype=object),
        _t("invoice", lang): wo["invoice_no"].astype(str).to_numpy(dtype=object),
        _t("wo_date", lang): wo["written_off_date"].to_numpy(),
        _t("wo_amount", lang, ccy=ccy): wo["amount_base"].to_numpy(dtype=float),
        _t("wo_paid_after_col", lang): pd.Series(wo["paid_after_write_off"].to_numpy(dtype=bool)).map(
            {True: _t("yes", lang), False: None}).to_numpy(dtype=object),
    })
    if not len(written):
        written = pd.DataFrame([[None] * written.shape[1]], columns=written.columns, dtype=object)
        cells.append(CellSpec(r + 3, 0, _t("wo_none", lang)))
    tables.append(TableSpec(WRITTEN_OFF_TABLE, _frame_cells(written), row=r + 1, number_formats={
        _t("wo_date", lang): _DATE, _t("wo_amount", lang, ccy=ccy): _MONEY},
        text_columns=(_l("buyer_id", lang), _t("invoice", lang), _t("wo_paid_after_col", lang)),
        style="TableStyleLight9"))

    spec = SheetSpec(
        _sheet("provision", lang), cells=cells, tables=tables,
        widths=_fit({0: 30.0, 1: 16.0}, list(buyers.columns), cap=22),
        tab_color="#7030A0", print_title_rows=None, footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    update_provision_history(workbook, _run=run)
    return float(totals["gross_provision"])

