"""``xlcredit import``: an ERP or accounting export upserted into ``tblInvoices``, month after
month (issue 12; docs/import.md).

Written once against the Workbook port, so the command line (file adapter) and the ribbon's
"Import ledger" button (live Excel) run the same code:

1. The export is read (:mod:`~xlcredit.workbook.source`), its header and item rows found and
   its columns mapped (:mod:`~xlcredit.workbook.export_layout`); numbers and dates are read
   by the reading rules (:mod:`~xlcredit.workbook.reading`, through the import's settings in
   :mod:`~xlcredit.workbook.source_values`) with a decimal separator and date order given or
   decided once per file from unambiguous values.
2. Each item is matched to ``tblInvoices`` by invoice number, with its source (the profile,
   or "import") and company where the export has one. A matched row gets the export's values
   in the columns the import owns (those it maps); every value that changes is listed. New
   invoices are appended. The user's own columns (disputed, promise date, notes, anything
   not mapped) are never written. With ``open_items`` an invoice of the same source missing
   from the export is marked paid on the export date and flagged as inferred.
3. Buyers not in ``tblBuyers`` are added with their most frequent name. The mapping and
   options are saved on the Import sheet, so next month's import needs no flags; problems go
   to the Problems sheet. Nothing is written on a dry run; the caller saves (atomically).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.errors import InputError
from xlcredit.messages import Field, Message, labels, text
from xlcredit.messages.core import render
from xlcredit.workbook.currencies import ISO_4217, to_currency_codes
from xlcredit.workbook.excel_values import Parsed, to_text
from xlcredit.workbook.export_layout import Items, Layout, classify_rows, find_layout
from xlcredit.workbook.port import CellSpec, SheetSpec, TableEdit, TableSpec, Workbook
from xlcredit.workbook.profiles import Profile, profile
from xlcredit.workbook.reading import TITLE_DATE, NumberRead
from xlcredit.workbook.schema import (
    BUYERS,
    IMPORT,
    INVOICES,
    NUMBER_FORMATS,
    SHEET_NAMES,
    Problem,
    parse_raw,
    problems_frame,
)
from xlcredit.workbook.source import Source, read_source
from xlcredit.workbook.source_values import (
    DATE_ORDERS,
    DECIMALS,
    DateOrder,
    DecimalSeparator,
    decide_date_order,
    decide_decimal,
    parse_date_text,
    read_dates,
    read_numbers,
    sign_problems,
)
from xlcredit.workbook.terms import due_date_array, parse_terms

__all__ = ["Change", "ImportOptions", "ImportResult", "import_ledger", "read_settings"]

SETTINGS_TABLE = "tblImport"
LOG_TABLE = "tblImportLog"
#: Columns the import adds to tblInvoices, by language.
EXTRA_HEADERS: dict[str, dict[str, str]] = {
    key: {lang: text(f"importer.extra_{key}", lang) for lang in ("en", "zh-CN")} for key in ("source", "company", "inferred")
}
#: tblInvoices columns an import may write (the user's own columns are not among them).
WRITTEN = ("invoice_no", "buyer_id", "currency", "amount", "paid_amount", "invoice_date",
           "due_date", "paid_date")  # fmt: skip
_MONEY = ("amount", "paid_amount", "open_amount")
_DATES = ("invoice_date", "due_date", "paid_date")


def _l(key: str, lang: str) -> str:
    return text(f"importer.{key}", lang)


@dataclass
class ImportOptions:
    """What the user asked for; blank options fall back to the settings saved in the
    workbook, then to the profile, then to what the export shows."""

    mapping: dict[str, str] = field(default_factory=dict)
    profile: str | None = None
    date_order: str | None = None
    decimal: str | None = None
    currency: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    open_items: bool | None = None


@dataclass
class Change:
    """One value an import changed in an existing row."""

    invoice_no: str
    column: str
    before: Any
    after: Any

    def line(self, lang: str = "en") -> str:
        return f"{self.invoice_no}  {self.column}: {_show(self.before, lang)} -> {_show(self.after, lang)}"


@dataclass
class ImportResult:
    """What an import read, decided and changed (the summary the command prints)."""

    source: str
    rows_read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    inferred_paid: list[str] = field(default_factory=list)
    buyers_added: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    export_date: dt.date | None = None
    dry_run: bool = False

    def lines(self, lang: str = "en") -> list[str]:
        """The summary, one line each, in ``lang`` (the command line's --lang)."""

        def say(key: str, /, **fields: Any) -> str:
            return text(f"importer.{key}", lang, **fields)

        def shown(values: list[str]) -> str:
            return ", ".join(str(render(v, lang)) for v in values)

        skipped = sum(self.skipped.values())
        names = labels("importer.skip", sorted(self.skipped), lang)
        kinds = ", ".join(f"{names[k]} {n}" for k, n in sorted(self.skipped.items()))
        decisions = "; ".join(str(render(d, lang)) for d in self.decisions)
        out = [say("s_read_decided", source=self.source, decisions=decisions) if self.decisions
               else say("s_read", source=self.source)]
        out.append(say("s_mapped", mapped=shown(self.mapped)) if self.mapped else say("s_mapped_nothing"))
        if self.ignored:
            out.append(say("s_ignored", ignored=shown(self.ignored)))
        out += [say("s_note", note=render(n, lang)) for n in self.notes]
        out.append(say("s_counts", read=self.rows_read, skipped=skipped,
                       kinds=say("s_kinds", kinds=kinds) if kinds else "",
                       added=self.added, updated=self.updated, unchanged=self.unchanged,
                       problems=len(self.problems),
                       see=say("s_see_problems") if self.problems and not self.dry_run else ""))
        if self.buyers_added:
            extra = len(self.buyers_added) - 20
            out.append(say("s_buyers_added", count=len(self.buyers_added), shown=", ".join(self.buyers_added[:20]),
                           more=say("s_more", count=extra) if extra > 0 else ""))
        if self.inferred_paid:
            out.append(say("s_inferred_paid", date=self.export_date, count=len(self.inferred_paid),
                           shown=", ".join(self.inferred_paid)))
        out += [say("s_changed", line=c.line(lang)) for c in self.changes]
        if self.dry_run:
            out.append(say("s_dry_run"))
        return out


def _show(value: Any, lang: str = "en") -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return text("importer.blank_value", lang)
    if isinstance(value, (dt.date, pd.Timestamp, np.datetime64)):
        return str(pd.Timestamp(value).date())
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


# --------------------------------------------------------------------------- settings
def read_settings(book: Workbook) -> dict[str, str]:
    """The settings the last import saved (``profile``, ``map.amount`` ...), if any."""
    names = {n.casefold() for n in book.table_names()}
    if SETTINGS_TABLE.casefold() not in names:
        return {}
    raw = book.read_table(SETTINGS_TABLE)
    out: dict[str, str] = {}
    for row in raw.rows:
        if len(row) >= 2 and row[0] not in (None, "") and row[1] not in (None, ""):
            value = row[1]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            out[str(row[0]).strip()] = str(value).strip()
    return out


def _merge(options: ImportOptions, saved: dict[str, str]) -> tuple[ImportOptions, dict[str, str]]:
    """Options with saved settings filling what was not given; the saved column mapping
    (dropped when another profile is asked for)."""
    saved_profile = saved.get("profile") or None
    same = options.profile is None or (
        saved_profile is not None and profile(options.profile).name == saved_profile)
    maps = {k[4:]: v for k, v in saved.items() if k.startswith("map.")} if same else {}
    merged = ImportOptions(
        mapping=dict(options.mapping),
        profile=options.profile or saved_profile,
        date_order=options.date_order or (saved.get("date_order") if same else None),
        decimal=options.decimal or (saved.get("decimal") if same else None),
        currency=options.currency or saved.get("currency"),
        encoding=options.encoding or (saved.get("encoding") if same else None),
        sheet=options.sheet or (saved.get("sheet") if same else None),
        open_items=options.open_items if options.open_items is not None else (
            saved.get("open_items", "").upper() in ("TRUE", "Y", "YES", "1")),
    )
    return merged, maps


def _check_options(options: ImportOptions) -> tuple[DateOrder | None, DecimalSeparator | None]:
    order = options.date_order.upper() if options.date_order else None
    if order is not None and order not in DATE_ORDERS:
        raise InputError(Message("importer.bad_date_order", {"value": repr(options.date_order)}))
    decimal = options.decimal.lower() if options.decimal else None
    if decimal is not None and decimal not in DECIMALS:
        raise InputError(Message("importer.bad_decimal", {"value": repr(options.decimal)}))
    if options.currency is not None and options.currency.upper() not in ISO_4217:
        raise InputError(Message("importer.bad_currency", {"value": repr(options.currency)}))
    return order, decimal  # type: ignore[return-value]


# --------------------------------------------------------------------------- the export
@dataclass
class _Export:
    """The export's items as typed columns (canonical names), with their file lines."""

    frame: pd.DataFrame
    lines: np.ndarray
    written: list[str]
    companies: set[str]


def _column(items: Items, layout: Layout, name: str, group_fields: tuple[str, ...]) -> list[Any]:
    if name in layout.columns:
        i = layout.columns[name]
        return [it.cells[i] if i < len(it.cells) else None for it in items.items]
    if name in group_fields:
        return [it.group for it in items.items]
    return [None] * len(items.items)


def _problems(parsed: Parsed, raw: list[Any], lines: np.ndarray, header: str, label: str,
              out: list[Problem]) -> None:
    for i in map(int, np.flatnonzero(pd.notna(parsed.problems))):
        out.append(Problem(label, int(lines[i]), header, raw[i], parsed.problems[i]))  # a Message: rendered where shown


def _decide(what: str, given: str | None, decide: Callable[[list[Any]], tuple[str | None, str | None]],
            result: ImportResult, values: list[Any]) -> str | None:
    """The file's setting (said in the summary): the given one, else the one its values show."""
    if given is not None:
        result.decisions.append(Message(f"importer.d_{what}", {"value": given}))
        return given
    setting, shown = decide(values)
    if setting is not None:
        result.decisions.append(Message(f"importer.d_{what}_from", {"value": setting, "shown": shown}))
    return setting


def _read_export(source: Source, layout: Layout, items: Items, prof: Profile | None,
                 order: DateOrder | None, decimal: DecimalSeparator | None,
                 options: ImportOptions, result: ImportResult) -> _Export:
    groups = prof.group_fields if prof is not None else ()
    present = set(layout.columns) | {g for g in groups if g not in layout.columns and any(
        it.group for it in items.items)}
    lines = np.asarray([it.line for it in items.items], dtype=np.int64)
    raw = {name: _column(items, layout, name, groups) for name in [c.name for c in IMPORT.columns]}
    headers = {name: (layout.header[layout.columns[name]] if name in layout.columns else
                      Message("importer.from_group_rows", {"name": name})) for name in raw}
    label = source.label
    # decided once per file from the values that can be read one way only; an explicit
    # setting is checked against each value instead (a contradiction is listed)
    file_decimal = _decide("decimal", decimal, decide_decimal, result,
                           [v for name in _MONEY if name in present for v in raw[name]])
    file_order = _decide("dates", order, decide_date_order, result,
                         [v for name in _DATES if name in present for v in raw[name]])
    out: dict[str, Any] = {}
    problems = result.problems
    for name in ("invoice_no", "buyer_id", "buyer_name", "company"):
        parsed = to_text(raw[name], name)
        out[name] = parsed.values
    money: dict[str, NumberRead] = {}
    for name in _MONEY:
        money[name] = parsed = read_numbers(raw[name], name, decimal=decimal, file_decimal=file_decimal)
        _problems(parsed, raw[name], lines, headers[name], label, problems)
        out[name] = parsed.values
    for name in _DATES:
        parsed = read_dates(raw[name], name, date_order=order, file_order=file_order)
        _problems(parsed, raw[name], lines, headers[name], label, problems)
        out[name] = parsed.values
    currency = to_currency_codes(raw["currency"])
    _problems(currency, raw["currency"], lines, headers["currency"], label, problems)
    codes = currency.values
    if options.currency:
        blank = pd.isna(pd.Series(codes, dtype=object)).to_numpy() & pd.isna(currency.problems)
        codes = np.where(blank, options.currency.upper(), codes)
    out["currency"] = codes
    for name, read in money.items():  # "$1,250.00": the sign agrees with the row's currency
        for i, rule in sign_problems(read, raw[name], name, codes):
            problems.append(Problem(label, int(lines[i]), headers[name], raw[name][i], rule))
    frame = pd.DataFrame(out)
    written = [n for n in WRITTEN if n in present]
    if "currency" not in written and options.currency:
        written.append("currency")
    if "buyer_id" not in present and "buyer_name" in present:
        frame["buyer_id"] = frame["buyer_name"]
        written.append("buyer_id")
        result.notes.append(Message("importer.n_buyer_from_name", {"header": headers["buyer_name"]}))
    if "amount" not in present and "open_amount" in present:
        frame["amount"] = frame["open_amount"]
        written.append("amount")
        result.notes.append(Message("importer.n_amount_is_open"))
    if "open_amount" in present and "paid_amount" not in present:
        with np.errstate(invalid="ignore"):
            frame["paid_amount"] = np.round(frame["amount"].to_numpy(float) -
                                            frame["open_amount"].to_numpy(float), 2)
        written.append("paid_amount")
        result.notes.append(Message("importer.n_paid_computed"))
    if "terms" in present:
        terms = parse_terms(raw["terms"], headers["terms"])
        due = frame["due_date"].to_numpy(dtype="datetime64[ns]")
        inv = frame["invoice_date"].to_numpy(dtype="datetime64[ns]")
        need = np.isnat(due) & ~np.isnat(inv)
        need_terms = need & np.isnan(terms.days)
        for i in map(int, np.flatnonzero(need_terms & pd.notna(terms.problems))):
            problems.append(Problem(label, int(lines[i]), headers["terms"], raw["terms"][i],
                                    terms.problems[i]))
        fill = need & ~np.isnan(terms.days)
        if fill.any():
            computed = due_date_array(inv, terms.days, terms.end_of_month)
            frame["due_date"] = np.where(fill, computed, due)
            result.notes.append(Message("importer.n_due_from_terms", {"count": int(fill.sum())}))
        if "due_date" not in written:
            written.append("due_date")
    written = [n for n in WRITTEN if n in written]
    companies = set(frame["company"].dropna().tolist()) if "company" in present else set()
    return _Export(frame, lines, written, companies)


def _valid_rows(export: _Export, label: str, result: ImportResult) -> np.ndarray:
    """Rows that can be imported: an invoice number, a buyer and an amount; the first of
    each invoice number (and company)."""
    f = export.frame
    ok = np.ones(len(f), dtype=bool)
    for name in ("invoice_no", "buyer_id", "amount"):
        missing = f[name].isna().to_numpy()
        for i in map(int, np.flatnonzero(missing & ok)):
            result.problems.append(Problem(label, int(export.lines[i]), name, "",
                                           Message(f"importer.blank_{name}", {"column": Field(name)})))
        ok &= ~missing
    keys = pd.Series(list(zip(f["company"].fillna(""), f["invoice_no"].fillna(""), strict=True)))
    dup = keys.duplicated(keep="first").to_numpy() & ok
    for i in map(int, np.flatnonzero(dup)):
        result.problems.append(Problem(label, int(export.lines[i]), "invoice_no", f["invoice_no"].iat[i],
                                       Message("importer.duplicate")))
    ok &= ~dup
    due_missing = f["due_date"].isna().to_numpy() & ok
    for i in map(int, np.flatnonzero(due_missing)):
        result.problems.append(Problem(label, int(export.lines[i]), "due_date", "",
                                       Message("importer.no_due_date", {"column": Field("due_date")})))
    return ok


def _export_date(source: Source, layout: Layout, order: DateOrder | None) -> tuple[dt.date, Message]:
    for row in source.rows[: layout.header_row]:
        for cell in row:
            if isinstance(cell, dt.datetime):
                return cell.date(), Message("importer.date_title_cell", {"date": f"{cell:%Y-%m-%d}"})
            if not isinstance(cell, str):
                continue
            for m in TITLE_DATE.finditer(cell):
                stamp = parse_date_text(m.group(0), order)
                if stamp is not None:
                    return stamp.date(), Message("importer.date_title", {"title": repr(cell.strip())})
    mtime = dt.datetime.fromtimestamp(source.path.stat().st_mtime).date()
    return mtime, Message("importer.date_mtime")


# --------------------------------------------------------------------------- the workbook
def _language(sheet: str) -> str:
    return "zh-CN" if sheet == SHEET_NAMES["invoices"]["zh-CN"] else "en"


def _find(header: list[str], names: dict[str, str]) -> int | None:
    wanted = {n.casefold() for n in names.values()}
    for i, h in enumerate(header):
        if str(h).strip().casefold() in wanted:
            return i
    return None


def _cell(value: Any, kind: str) -> Any:
    """A value as written to a cell: text, float, datetime or None."""
    if value is None or value is pd.NaT:
        return None
    if kind == "date":
        return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()
    if kind == "money":
        number = float(value)
        return None if np.isnan(number) else number
    if isinstance(value, float) and value != value:
        return None
    return str(value)


def _cells(series: pd.Series, kind: str) -> list[Any]:
    """A column's values as cells are written (see :func:`_cell`), all at once."""
    if kind == "date":
        stamps = pd.to_datetime(series)
        return [None if pd.isna(v) else v.to_pydatetime() for v in stamps]
    if kind == "money":
        values = series.to_numpy(dtype=float)
        return [None if v != v else float(v) for v in values.tolist()]
    return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in series.tolist()]


def _equal(a: np.ndarray, b: np.ndarray, kind: str) -> np.ndarray:
    """Element-wise "the same value" of two columns (blank equals blank; money to the cent)."""
    if kind == "money":
        x, y = a.astype(float), b.astype(float)
        with np.errstate(invalid="ignore"):
            return (np.isnan(x) & np.isnan(y)) | (np.abs(x - y) < 0.005)
    if kind == "date":
        x, y = a.astype("datetime64[ns]"), b.astype("datetime64[ns]")
        return (np.isnat(x) & np.isnat(y)) | (x == y)
    left = pd.Series(a, dtype=object).where(pd.notna(pd.Series(a, dtype=object)), None)
    right = pd.Series(b, dtype=object).where(pd.notna(pd.Series(b, dtype=object)), None)
    return np.asarray([x == y for x, y in zip(left.tolist(), right.tolist(), strict=True)], dtype=bool)


def _kind(name: str) -> str:
    return {"money": "money", "date": "date"}.get(INVOICES.column(name).kind, "text")


def import_ledger(
    book: Workbook,
    source_path: str | Path,
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Import an export into ``book`` (see the module docstring); the caller saves.

    Examples
    --------
    Does last month's CSV from the ERP go in, and does the same file twice change nothing?

    >>> import tempfile, pathlib
    >>> from xlcredit.workbook.files import FileWorkbook
    >>> from xlcredit.workbook.templates import build_template
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> book_path = build_template(folder / "book.xlsx")
    >>> csv = folder / "ar.csv"
    >>> _ = csv.write_text("Voucher No,Party,Posting Date,Due Date,Invoiced Amount,Outstanding Amount\\n"
    ...                    "SINV-1,C1,2026-10-01,2026-10-31,1200.00,200.00\\n", encoding="utf-8")
    >>> with FileWorkbook.open(book_path) as book:
    ...     result = import_ledger(book, csv, ImportOptions(profile="erpnext"))
    ...     book.save()
    >>> result.added, result.buyers_added, result.changes
    (1, ['C1'], [])
    >>> with FileWorkbook.open(book_path) as book:
    ...     again = import_ledger(book, csv)
    >>> again.added, again.updated, again.unchanged
    (0, 0, 1)
    """
    options = options or ImportOptions()
    saved = read_settings(book)
    opts, saved_maps = _merge(options, saved)
    order, decimal = _check_options(opts)
    prof = profile(opts.profile) if opts.profile else None
    source = read_source(source_path, sheet=opts.sheet, encoding=opts.encoding,
                         fallback_encoding=prof.encoding if prof else None)
    if prof is not None:
        order = order or prof.date_order
        decimal = decimal or prof.decimal
    result = ImportResult(source=source.label, dry_run=dry_run)
    result.rows_read = len(source.rows)
    if prof is not None:
        result.decisions.append(Message("importer.d_profile", {"name": prof.name}))
    if source.encoding:
        result.decisions.append(Message("importer.d_encoding", {"name": source.encoding}))
    layout = find_layout(source.rows, explicit=opts.mapping, saved=saved_maps, profile=prof)
    if "open_amount" in layout.columns and layout.how.get("paid_amount") == "alias":
        # the open amount decides what is owed; a "Paid" column may leave out credit notes
        i = layout.columns.pop("paid_amount")
        layout.ignored.insert(0, Message("importer.ig_paid", {"header": repr(layout.header[i])}))
    how = {"--map": "--map", "saved": Message("importer.how_saved"), "profile": Message("importer.how_profile")}
    result.mapped = [Message("importer.mapped_how", {"name": name, "header": repr(layout.header[i]),
                                                     "how": how.get(layout.how[name], layout.how[name])})
                     if layout.how.get(name) not in ("alias",)
                     else Message("importer.mapped", {"name": name, "header": repr(layout.header[i])})
                     for name, i in layout.columns.items()]
    result.ignored = layout.ignored
    result.notes += layout.notes
    items = classify_rows(source.rows, layout, group_fields=prof.group_fields if prof else ())
    result.skipped = items.skipped
    book.progress(0.2, Message("importer.p_reading"))
    export = _read_export(source, layout, items, prof, order, decimal, opts, result)
    for name in ("buyer_id", "amount"):
        if name not in export.written:
            raise InputError(Message("importer.no_column", {"name": name}))
    if prof is not None and prof.group_fields:
        for g in prof.group_fields:
            if g not in layout.columns and any(it.group for it in items.items):
                result.notes.append(Message("importer.n_group", {"name": g}))
    ok = _valid_rows(export, source.label, result)
    label = prof.name if prof else (saved.get("source") or "import")
    export_date, date_source = _export_date(source, layout, order)
    if opts.open_items:
        result.export_date = export_date
        result.decisions.append(Message("importer.d_export_date", {"date": export_date, "source": date_source}))
    elif prof is not None and prof.open_items:
        result.notes.append(Message("importer.n_open_items"))
    book.progress(0.4, Message("importer.p_matching"))
    plan = _plan(book, export, ok, label, opts, export_date, result)
    if not dry_run:
        book.progress(0.7, Message("importer.p_writing"))
        _apply(book, plan, result, layout, opts, label, order, decimal, source)
    book.progress(1.0, Message("importer.p_done"))
    return result


@dataclass
class _Plan:
    invoices: TableEdit
    buyers: TableEdit
    lang: str
    invoice_sheet: str


def _plan(book: Workbook, export: _Export, ok: np.ndarray, label: str, opts: ImportOptions,
          export_date: dt.date, result: ImportResult) -> _Plan:
    raw = book.read_table(INVOICES.name)
    lang = _language(raw.sheet)
    table = parse_raw(raw, INVOICES)
    header_of = {name: table.header(name, lang) for name in WRITTEN}
    extra = {k: v[lang] for k, v in EXTRA_HEADERS.items()}
    src_col = _find(raw.header, EXTRA_HEADERS["source"])
    comp_col = _find(raw.header, EXTRA_HEADERS["company"])
    inf_col = _find(raw.header, EXTRA_HEADERS["inferred"])
    if src_col is not None:
        extra["source"] = raw.header[src_col]
    if comp_col is not None:
        extra["company"] = raw.header[comp_col]
    if inf_col is not None:
        extra["inferred"] = raw.header[inf_col]

    def raw_text(col: int | None, r: int) -> str | None:
        if col is None or raw.rows[r][col] in (None, ""):
            return None
        value = raw.rows[r][col]
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()

    frame = table.frame
    row_of = table.data_index  # raw row index of each parsed row
    by_no: dict[str, list[int]] = {}
    for pos, number in enumerate(frame["invoice_no"].tolist()):
        if number is not None:
            by_no.setdefault(str(number), []).append(pos)
    used_company = "company" in export.frame and bool(export.companies)
    free = sorted(set(range(len(raw.rows))) - {int(r) for r in row_of})
    edit = TableEdit(number_formats={header_of[n]: NUMBER_FORMATS[INVOICES.column(n).kind]
                                     for n in export.written if _kind(n) in ("money", "date")})
    matched: set[int] = set()
    seen_keys: set[tuple[str, str]] = set()
    f = export.frame
    numbers = [None if v is None else str(v) for v in f["invoice_no"].tolist()]
    companies = [None if v is None else str(v) for v in f["company"].tolist()]
    sources = [raw_text(src_col, int(r)) for r in row_of]
    owners = [raw_text(comp_col, int(r)) for r in row_of]
    cell_values = {name: _cells(f[name], _kind(name)) for name in export.written}
    pairs: list[tuple[int, int]] = []
    for i in map(int, np.flatnonzero(ok)):
        number = str(numbers[i])
        company = companies[i] if used_company else None
        seen_keys.add((company or "", number))
        cands = [p for p in by_no.get(number, []) if p not in matched]
        exact = [p for p in cands if sources[p] == label and (not used_company or owners[p] == company)]
        adopt = [p for p in cands if sources[p] is None and (not used_company or owners[p] in (None, company))]
        target: int | None = (exact or adopt)[0] if (exact or adopt) else None
        if target is None and cands:
            result.problems.append(Problem(
                result.source, int(export.lines[i]), "invoice_no", number,
                Message("importer.already_there", {"invoice": number, "table": INVOICES.name,
                                                 "row": table.excel_rows[cands[0]],
                                                 "source": sources[cands[0]] or Message("importer.typed")})))
            continue
        if target is None:
            row = {header_of[n]: cell_values[n][i] for n in export.written}
            row[extra["source"]] = label
            if used_company:
                row[extra["company"]] = company
            if free:
                edit.updates[free.pop(0)] = row
            else:
                edit.appends.append(row)
            result.added += 1
            continue
        matched.add(target)
        pairs.append((i, target))
    ei = np.asarray([p[0] for p in pairs], dtype=np.int64)
    ti = np.asarray([p[1] for p in pairs], dtype=np.int64)
    differs = {name: ~_equal(f[name].to_numpy()[ei], frame[name].to_numpy()[ti], _kind(name))
               for name in export.written}
    paid_dates = frame["paid_date"].to_numpy()
    for k, (i, target) in enumerate(pairs):
        number = str(numbers[i])
        company = companies[i] if used_company else None
        r = int(row_of[target])
        cells: dict[str, Any] = {}
        for name in export.written:
            if differs[name][k]:
                cells[header_of[name]] = cell_values[name][i]
                result.changes.append(Change(number, header_of[name], frame[name].iat[target],
                                             f[name].iat[i]))
        if sources[target] != label:
            cells[extra["source"]] = label
            result.changes.append(Change(number, extra["source"], sources[target], label))
        if used_company and owners[target] != company:
            cells[extra["company"]] = company
            result.changes.append(Change(number, extra["company"], owners[target], company))
        if raw_text(inf_col, r) is not None:  # listed again: it was not paid after all
            cells[extra["inferred"]] = None
            result.changes.append(Change(number, extra["inferred"], raw_text(inf_col, r), None))
            if "paid_date" not in export.written and pd.notna(paid_dates[target]):
                cells[header_of["paid_date"]] = None
                result.changes.append(Change(number, header_of["paid_date"], paid_dates[target], None))
        if cells:
            edit.updates[r] = cells
            result.updated += 1
        else:
            result.unchanged += 1
    _reopened_write_offs(book, export, ok, lang, result)
    if opts.open_items:
        _infer_paid(frame, row_of, raw_text, src_col, comp_col, inf_col, label, used_company,
                    export.companies, seen_keys, matched, export_date, header_of, extra, table.has,
                    lang, edit, result)
    buyers = _new_buyers(book, export, ok, lang)
    result.buyers_added = [str(b) for b in buyers[1]]
    return _Plan(edit, buyers[0], lang, raw.sheet)


def _reopened_write_offs(book: Workbook, export: _Export, ok: np.ndarray, lang: str, result: ImportResult) -> None:
    """An invoice of the Write-offs table (tblWriteOffs) that the export shows open (no paid
    date, or one after the write-off) is listed: the write-off stands, whatever the export
    says (the ledger reader keeps it out of the open balance); the user decides."""
    from xlcredit.messages import text
    from xlcredit.workbook.schema import WRITE_OFFS

    if WRITE_OFFS.name.casefold() not in {n.casefold() for n in book.table_names()}:
        return
    raw = book.read_table(WRITE_OFFS.name)
    log = parse_raw(raw, WRITE_OFFS).frame
    log = log.dropna(subset=["invoice_no", "date"])
    if not len(log):
        return
    written = pd.to_datetime(log["date"]).groupby(log["invoice_no"].astype(str).to_numpy()).min()
    f = export.frame
    numbers = f["invoice_no"].astype(str).to_numpy(dtype=object)
    day = pd.Series(pd.to_datetime(written.reindex(numbers).to_numpy()))
    paid = (pd.Series(pd.to_datetime(f["paid_date"]).to_numpy()) if "paid_date" in export.written
            else pd.Series(pd.NaT, index=day.index))
    reopened = ok & day.notna().to_numpy() & (paid.isna() | (paid > day)).to_numpy()
    for i in map(int, np.flatnonzero(reopened)):  # a handful
        result.problems.append(Problem(
            result.source, int(export.lines[i]), "invoice_no", numbers[i],
            text("month_end.wo_reopened", lang, invoice=numbers[i], date=str(day.iat[i])[:10])))


def _infer_paid(frame: pd.DataFrame, row_of: np.ndarray, raw_text: Any, src_col: int | None,
                comp_col: int | None, inf_col: int | None, label: str, used_company: bool,
                companies: set[str], seen: set[tuple[str, str]], matched: set[int],
                export_date: dt.date, header_of: dict[str, str], extra: dict[str, str],
                has: Any, lang: str, edit: TableEdit, result: ImportResult) -> None:
    """Mark invoices of this source missing from an open-items export as paid (inferred)."""
    paid_day = dt.datetime(export_date.year, export_date.month, export_date.day)
    for pos, number in enumerate(frame["invoice_no"].tolist()):
        if number is None or pos in matched:
            continue
        r = int(row_of[pos])
        if raw_text(src_col, r) != label:
            continue
        company = raw_text(comp_col, r)
        if used_company and company not in companies:
            continue  # another company's invoices are not in this export at all
        if ((company or "") if used_company else "", str(number)) in seen:
            continue
        if pd.notna(frame["paid_date"].to_numpy()[pos]) or raw_text(inf_col, r) is not None:
            continue
        cells = edit.updates.setdefault(r, {})
        cells[header_of["paid_date"]] = paid_day
        cells[extra["inferred"]] = _l("yes", lang)
        if has("paid_amount"):
            cells[header_of["paid_amount"]] = _cell(frame["amount"].iat[pos], "money")
        edit.number_formats.setdefault(header_of["paid_date"], NUMBER_FORMATS["date"])
        result.inferred_paid.append(str(number))
        result.changes.append(Change(str(number), header_of["paid_date"], None, paid_day))


def _new_buyers(book: Workbook, export: _Export, ok: np.ndarray, lang: str) -> tuple[TableEdit, list[Any]]:
    raw = book.read_table(BUYERS.name)
    table = parse_raw(raw, BUYERS)
    known = set(table.frame["buyer_id"].dropna().tolist())
    f = export.frame[ok]
    names = f["buyer_name"].where(f["buyer_name"].notna(), None)
    new_ids = [b for b in pd.unique(f["buyer_id"].dropna()) if b not in known]
    id_header, name_header = table.header("buyer_id", lang), table.header("name", lang)
    free = sorted(set(range(len(raw.rows))) - {int(r) for r in table.data_index})
    edit = TableEdit()
    counts = pd.DataFrame({"id": f["buyer_id"], "name": names}).dropna()
    best = (counts.groupby(["id", "name"], sort=False).size().reset_index(name="n")
            .sort_values("n", ascending=False, kind="stable").drop_duplicates("id")
            .set_index("id")["name"])
    for buyer in new_ids:
        row = {id_header: str(buyer), name_header: str(best.get(buyer, buyer))}
        if free:
            edit.updates[free.pop(0)] = row
        else:
            edit.appends.append(row)
    return edit, new_ids


def _apply(book: Workbook, plan: _Plan, result: ImportResult, layout: Layout, opts: ImportOptions,
           label: str, order: DateOrder | None, decimal: DecimalSeparator | None, source: Source) -> None:
    if plan.invoices.updates or plan.invoices.appends:
        book.edit_table(INVOICES.name, plan.invoices)
    if plan.buyers.updates or plan.buyers.appends:
        book.edit_table(BUYERS.name, plan.buyers)
    lang = plan.lang
    decided_order: str | None = order or next(
        (d.split()[1] for d in result.decisions if d.startswith("dates ")), None)
    decided_decimal: str | None = decimal or next(
        (d.split()[1] for d in result.decisions if d.startswith("decimal ")), None)
    settings: list[tuple[str, str]] = [
        ("source", label), ("profile", opts.profile or ""), ("date_order", decided_order or ""),
        ("decimal", decided_decimal or ""), ("currency", (opts.currency or "").upper()),
        ("encoding", opts.encoding or ""), ("sheet", opts.sheet or ""),
        ("open_items", "TRUE" if opts.open_items else "FALSE"),
    ]
    settings += [(f"map.{name}", layout.header[i]) for name, i in layout.columns.items()]
    frame = pd.DataFrame([(k, v) for k, v in settings if v != ""],
                         columns=[_l("setting", lang), _l("value", lang)])
    log = pd.DataFrame([(c.invoice_no, c.column, _show(c.before), _show(c.after)) for c in result.changes],
                       columns=[_l("invoice", lang), _l("column", lang), _l("before", lang), _l("after", lang)])
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    summary = next(line for line in result.lines() if line.startswith("Rows read"))
    cells = [CellSpec(0, 0, _l("title", lang), bold=True, font_size=14),
             CellSpec(1, 0, _l("note", lang)),
             CellSpec(2, 0, f"{_l('last', lang)}: {source.label} ({when}). {summary}")]
    top = 4
    tables = [TableSpec(SETTINGS_TABLE, frame, row=top, col=0, text_columns=tuple(frame.columns),
                        style="TableStyleLight9"),
              TableSpec(LOG_TABLE, log, row=top, col=3, text_columns=tuple(log.columns),
                        style="TableStyleLight9")]
    book.write_sheet(SheetSpec(SHEET_NAMES["import"][lang], cells=cells, tables=tables,
                               widths={0: 22, 1: 30, 3: 16, 4: 18, 5: 18, 6: 18}, freeze=(top + 1, 0),
                               tab_color="#7F7F7F"))
    if result.problems:
        problems = problems_frame(result.problems)
        problems.columns = [_l("sheet", lang), _l("row", lang), _l("column", lang),
                            _l("value", lang), _l("rule", lang)]
        problems[_l("value", lang)] = [None if v is None or v == "" else str(v)
                                       for v in problems[_l("value", lang)]]
        book.write_sheet(SheetSpec(
            SHEET_NAMES["problems"][lang],
            cells=[CellSpec(0, 0, _l("problems_title", lang), bold=True, font_size=14),
                   CellSpec(1, 0, _l("problems_note", lang))],
            tables=[TableSpec("tblProblems", problems, row=3, number_formats={_l("row", lang): "0"},
                              text_columns=(_l("sheet", lang), _l("column", lang), _l("value", lang)),
                              style="TableStyleLight10")],
            widths={0: 14, 1: 7, 2: 22, 3: 24, 4: 90}, freeze=(4, 0), tab_color="#FFC000"))
