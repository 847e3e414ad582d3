"""The layout of an ERP export: where its header is, which column holds which field, and
which rows are items (not titles, group headings, subtotals or repeated headers).

Columns map in this order (issue 12): ``--map FIELD=HEADER``, then the mapping saved in the
workbook by the last import, then the profile's headers, then the headers and aliases of
:data:`xlcredit.workbook.schema.IMPORT` (a field's own header before an alias; two columns
claiming one field by alias is an error naming both). Report layouts carry title rows above
the header and group and subtotal rows between the items: they are skipped and counted.

>>> rows = [["Aged Receivables", None, None], ["As at 30 November 2026", None, None],
...         ["Invoice Number", "Due Date", "Total"], ["ACME Ltd", None, None],
...         ["INV-1", "2026-12-01", "100.00"], ["Total ACME Ltd", None, "100.00"]]
>>> layout = find_layout(rows, explicit={}, saved={}, profile=None)
>>> layout.header_row, layout.columns
(2, {'invoice_no': 0, 'amount': 2, 'due_date': 1})
>>> items = classify_rows(rows, layout, group_fields=("buyer_id",))
>>> [(i.line, i.group) for i in items.items], dict(items.skipped)
([(5, 'ACME Ltd')], {'title': 2, 'group': 1, 'subtotal': 1})
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from xlcredit.engine.errors import InputError, SchemaError
from xlcredit.messages import Message
from xlcredit.workbook.excel_values import is_blank
from xlcredit.workbook.profiles import Profile
from xlcredit.workbook.reading import TOTAL_ROW
from xlcredit.workbook.schema import IMPORT, normalise_header
from xlcredit.workbook.source_values import read_dates, read_numbers

__all__ = ["Item", "Items", "Layout", "classify_rows", "find_layout"]

#: How many rows from the top are searched for the header.
HEADER_SEARCH = 40
#: Aliases that mean different things in different systems: used only when the column's
#: values agree ("Due" is a date in most exports but the amount owed in Xero's).
_AMBIGUOUS_DATES = {"due"}
_MONEY = ("amount", "paid_amount", "open_amount")
_DATES = ("invoice_date", "due_date", "paid_date")


@dataclass
class Layout:
    """Where the header is and which column (0-based) holds each field."""

    header_row: int
    header: list[str]
    columns: dict[str, int]
    #: How each field was mapped: "--map", "saved", "profile" or "alias".
    how: dict[str, str] = field(default_factory=dict)
    #: Headers not used, with the reason when there is one.
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Item:
    """One item row of the export: its line in the file (1-based), cells and group value."""

    line: int
    cells: list[Any]
    group: str | None = None


@dataclass
class Items:
    """The item rows and what was skipped (title, group, subtotal, blank, header)."""

    items: list[Item]
    skipped: Counter[str]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _candidate_keys(explicit: dict[str, str], saved: dict[str, str], profile: Profile | None) -> set[str]:
    keys: set[str] = set()
    for col in IMPORT.columns:
        keys.update(col.header_keys())
    for header in [*explicit.values(), *saved.values()]:
        keys.add(normalise_header(header))
    if profile is not None:
        for headers in profile.columns.values():
            keys.update(normalise_header(h) for h in headers)
    keys.discard("")
    return keys


def _invoice_keys(explicit: dict[str, str], saved: dict[str, str], profile: Profile | None) -> set[str]:
    keys = set(IMPORT.column("invoice_no").header_keys())
    for source in (explicit, saved):
        if "invoice_no" in source:
            keys.add(normalise_header(source["invoice_no"]))
    if profile is not None:
        keys.update(normalise_header(h) for h in profile.columns.get("invoice_no", ()))
    return keys


def _find_header(rows: list[list[Any]], explicit: dict[str, str], saved: dict[str, str],
                 profile: Profile | None) -> int:
    known = _candidate_keys(explicit, saved, profile)
    invoice = _invoice_keys(explicit, saved, profile)
    best, best_score = -1, 0
    for i, row in enumerate(rows[:HEADER_SEARCH]):
        keys = [normalise_header(v) for v in row if isinstance(v, str)]
        if not any(k in invoice for k in keys):
            continue
        score = sum(k in known for k in keys)
        if score > best_score:
            best, best_score = i, score
    if best < 0 and "invoice_no" in explicit:
        raise SchemaError(Message("importer.map_no_header", {
            "header": explicit["invoice_no"], "quoted": repr(explicit["invoice_no"]), "rows": HEADER_SEARCH}))
    if best < 0:
        looked = ", ".join(IMPORT.column("invoice_no").header_keys()[:6])
        raise SchemaError(Message("importer.no_header_row", {"rows": HEADER_SEARCH, "looked": looked}))
    return best


def _looks_like_amounts(values: list[Any]) -> bool:
    """True when a column's text values read as numbers and not as dates."""
    present = [v for v in values if not is_blank(v)]
    if not present:
        return False
    dates = read_dates(present, "x", date_order=None)
    numbers = read_numbers(present, "x", decimal=None)
    n_dates = int((~_isnat(dates.values)).sum())
    n_numbers = int(sum(v == v for v in numbers.values.tolist()))
    return n_numbers > n_dates


def _isnat(values: Any) -> Any:
    import numpy as np

    return np.isnat(values)


def find_layout(
    rows: list[list[Any]],
    *,
    explicit: dict[str, str],
    saved: dict[str, str],
    profile: Profile | None,
) -> Layout:
    """Find the header row and map the columns (see the module docstring for the order)."""
    for name in explicit:
        if name not in {c.name for c in IMPORT.columns}:
            fields = ", ".join(c.name for c in IMPORT.columns)
            raise InputError(Message("importer.map_not_field", {"name": name, "fields": fields}))
    at = _find_header(rows, explicit, saved, profile)
    header = [_text(v).strip() for v in rows[at]]
    keys = [normalise_header(h) for h in header]
    columns: dict[str, int] = {}
    how: dict[str, str] = {}
    notes: list[str] = []
    for name, wanted in explicit.items():
        key = normalise_header(wanted)
        if key not in keys:
            shown = ", ".join(repr(h) for h in header if h)
            raise InputError(Message("importer.map_no_column", {
                "name": name, "wanted": wanted, "quoted": repr(wanted), "shown": shown}))
        columns[name], how[name] = keys.index(key), "--map"
    for name, wanted in saved.items():
        if name in columns:
            continue
        key = normalise_header(wanted)
        if key in keys:
            columns[name], how[name] = keys.index(key), "saved"
        else:
            notes.append(Message("importer.saved_mapping_stale", {"name": name, "quoted": repr(wanted)}))
    if profile is not None:
        for name, headers in profile.columns.items():
            if name in columns:
                continue
            for h in headers:
                if normalise_header(h) in keys:
                    columns[name], how[name] = keys.index(normalise_header(h)), "profile"
                    break
    taken = set(columns.values())
    ignored: list[str] = []
    # "Due" is the due date in most exports but the amount owed in Xero's: when it would be
    # the due date (no column carries the due date's own header), its values decide
    due_own = set(IMPORT.own_keys("due_date"))
    if "due_date" not in columns and not any(k in due_own for i, k in enumerate(keys) if i not in taken):
        for i in [i for i, k in enumerate(keys) if k in _AMBIGUOUS_DATES and i not in taken]:
            values = [r[i] if i < len(r) else None for r in rows[at + 1 : at + 201]]
            if _looks_like_amounts(values):
                ignored.append(Message("importer.due_holds_amounts", {
                    "quoted": repr(header[i]), "header": header[i], "profile": "xero"}))
                taken.add(i)
    # the rest by the schema's one header rule (own header before alias, see TableSchema.resolve),
    # over the columns not mapped above
    rest = [None if i in taken else h for i, h in enumerate(header)]
    found, conflicts = IMPORT.resolve(rest), IMPORT.resolve_conflicts(rest)
    for col in IMPORT.columns:
        if col.name in columns or col.name not in found:
            continue
        if col.name in conflicts:
            names = [repr(header[i]) for i in conflicts[col.name]]
            both = Message("importer.and", {"first": ", ".join(names[:-1]), "last": names[-1]})
            raise InputError(Message("importer.ambiguous_columns", {"both": both, "name": col.name}))
        columns[col.name], how[col.name] = found[col.name], "alias"
    used = set(columns.values())
    listed = {i for i, h in enumerate(header) if any(s.startswith(repr(h)) for s in ignored)}
    ignored += [repr(h) for i, h in enumerate(header) if h and i not in used and i not in listed]
    ordered = dict(sorted(columns.items(), key=lambda kv: [c.name for c in IMPORT.columns].index(kv[0])))
    return Layout(at, header, ordered, how, ignored, notes)


def _blank(value: Any) -> bool:
    """:func:`is_blank`, quick for the usual cells (None, numbers, longer text)."""
    if value is None:
        return True
    if isinstance(value, str):
        return len(value.strip()) <= 8 and is_blank(value)
    return is_blank(value)


def _is_total(row: list[Any]) -> bool:
    texts = [v for v in row if isinstance(v, str) and v.strip()][:3]
    return any(TOTAL_ROW.match(t) for t in texts)


def classify_rows(rows: list[list[Any]], layout: Layout, *, group_fields: tuple[str, ...] = ()) -> Items:
    """Item rows below the header, and counts of the rows skipped by kind."""
    skipped: Counter[str] = Counter()
    if layout.header_row:
        skipped["title"] = layout.header_row
    inv = layout.columns["invoice_no"]
    money = [layout.columns[f] for f in _MONEY if f in layout.columns]
    dates = [layout.columns[f] for f in _DATES if f in layout.columns]
    header_keys = [normalise_header(h) for h in layout.header]
    inv_header = header_keys[inv]
    group: str | None = None
    items: list[Item] = []
    for offset, row in enumerate(rows[layout.header_row + 1 :]):
        line = layout.header_row + 2 + offset

        def cell(i: int, row: list[Any] = row) -> Any:
            return row[i] if i < len(row) else None

        present = [v for v in row if not _blank(v)]
        if not present:
            skipped["blank"] += 1
            continue
        first = cell(inv)
        if (isinstance(first, str) and normalise_header(first) == inv_header
                and [normalise_header(v) for v in row] == header_keys):
            skipped["repeated header"] += 1
            continue
        if _is_total(row):
            skipped["subtotal"] += 1
            continue
        has_money = any(not _blank(cell(i)) for i in money)
        has_date = any(not _blank(cell(i)) for i in dates)
        if len(present) == 1 and isinstance(present[0], str) and not has_money and not has_date:
            if group_fields:  # a heading such as a contact's name above its invoices
                group = present[0].strip()
            skipped["group"] += 1
            continue
        if _blank(cell(inv)):
            if not has_money:
                texts = [v for v in present if isinstance(v, str)]
                if group_fields and texts:
                    group = texts[0].strip()
                skipped["group"] += 1
                continue
            if not has_date:
                skipped["subtotal"] += 1
                continue
        items.append(Item(line, list(row), group))
    return Items(items, skipped)
