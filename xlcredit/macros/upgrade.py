"""``xlcredit upgrade`` and the ribbon's "Upgrade workbook": bring a workbook made from an
older template to the current one, written once against the Workbook port.

The upgrade is generic: no step per version. It compares the workbook with the current
template of its language (built fresh, so whatever the template holds today counts) and
adds what is missing, keeping everything else:

- a column of a template table that the workbook's table lacks is appended to that table,
  blank, with the column's number format (a header the workbook spells with an alias of the
  schema counts as present: a header renamed in the template is never renamed in the
  workbook, where formulas, names, conditional formats, validations and charts may refer to
  it; the old header stays and is read as an alias);
- a Policy setting (a row of ``tblPolicy``) that the workbook lacks is appended with the
  template's default value and description;
- a table whose template sheet the workbook lacks is added on a new sheet of that name, with
  the template's rows; a missing table whose sheet the workbook has (a sheet that is the
  user's) and a missing sheet that holds no missing table (perhaps removed on purpose) are
  reported, not added;
- the version stamp (custom document property and Policy setting ``template_version``) is
  set to the current version.

User rows, user columns, user sheets, charts, comments, names, formulas and everything else
stay as they are: the port's adapters change only the cells and parts they are told to.
Drop-down validations of added columns are not added (the port has no call for them yet).

What would upgrading a workbook made before template versions do?

>>> import tempfile, pathlib, subprocess
>>> from xlcredit.workbook.files import FileWorkbook
>>> from xlcredit.workbook.templates import build_template
>>> path = build_template(pathlib.Path(tempfile.mkdtemp()) / "t.xlsx")
>>> with FileWorkbook.open(path, read_only=True) as book:
...     plan = plan_upgrade(book)
>>> plan.needed, plan.lines("en")[0]
(False, 'Already at the current template version 1; nothing to change.')
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from xlcredit.engine.errors import InputError, SchemaError
from xlcredit.messages import Message, text
from xlcredit.workbook.port import ColumnWrite, RawTable, SheetSpec, TableEdit, TableSpec, Workbook
from xlcredit.workbook.schema import (
    BUYERS,
    NUMBER_FORMATS,
    POLICY,
    TABLES,
    Problem,
    normalise_header,
)
from xlcredit.workbook.versions import (
    CURRENT_VERSION,
    PROPERTY,
    SETTING,
    VersionFound,
    setting_value,
    template_version,
    whole_version,
)

__all__ = ["Change", "TemplateLayout", "UpgradePlan", "apply_upgrade", "book_language", "plan_upgrade",
           "template_layout", "upgrade"]


# --------------------------------------------------------------------------- the template
@dataclass(frozen=True)
class TemplateLayout:
    """What the current template of one language holds: its sheets in order and its tables
    as read (header, rows, position)."""

    language: str
    sheets: tuple[str, ...]
    tables: dict[str, RawTable]


@functools.lru_cache(maxsize=2)
def template_layout(language: str) -> TemplateLayout:
    """The current template of ``language`` ("en" or "zh-CN"), built and read once per run.

    >>> layout = template_layout("zh-CN")
    >>> layout.sheets[0], layout.tables["tblBuyers"].sheet
    ('客户', '客户')
    """
    from xlcredit.workbook.files import FileWorkbook
    from xlcredit.workbook.templates import build_template

    with tempfile.TemporaryDirectory() as folder:
        path = build_template(Path(folder) / "template.xlsx", lang=language)
        with FileWorkbook.open(path, read_only=True) as book:
            tables = {name: book.read_table(name) for name in book.table_names()}
            for raw in tables.values():
                raw.rows  # noqa: B018 - made from the grid now: the rows are enough
                raw.grid = None  # no reference to the closed file
            return TemplateLayout(language, tuple(book.sheet_names()), tables)


def book_language(book: Workbook) -> str:
    """The language of a workbook's headers: decided from the headers of tblBuyers that are
    exactly the English or the Chinese ones (the Policy setting ``language`` when they tie,
    as in a workbook whose headers are all the user's own)."""
    header = [normalise_header(h) for h in book.read_table(BUYERS.name).header]
    counts = {lang: sum(normalise_header(c.header(lang)) in header for c in BUYERS.columns)
              for lang in ("en", "zh-CN")}
    if counts["en"] != counts["zh-CN"]:
        return max(counts, key=lambda k: counts[k])
    from xlcredit.workbook.policy_sheet import load_policy

    return load_policy(book)[0].language


# --------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class Change:
    """One thing the upgrade adds (or, for kind "stamp", sets)."""

    kind: Literal["column", "setting", "table", "stamp"]
    message: Message
    table: str = ""
    header: str = ""
    number_format: str | None = None
    #: For a setting: the tblPolicy row to append ({header: value}); for a table: its sheet.
    row: dict[str, Any] = field(default_factory=dict)


@dataclass
class UpgradePlan:
    """What an upgrade of one workbook would change, and what it leaves alone and why."""

    found: VersionFound
    language: str
    changes: list[Change]
    #: What the upgrade does not change, with the reason (catalogue messages).
    notes: list[Message]
    target: int = CURRENT_VERSION

    @property
    def needed(self) -> bool:
        """True when the upgrade would change anything."""
        return bool(self.changes)

    def lines(self, language: str | None = None) -> list[str]:
        """What the upgrade changes (or would change), one line each, in ``language``
        (default the workbook's)."""
        lang = language or self.language
        if not self.needed:
            return [text("upgrade.current", lang, version=self.target)]
        how = (text("upgrade.how_stamped", lang) if self.found.stamped
               else text("upgrade.how_inferred", lang, evidence=self.found.evidence or ""))
        head = text("upgrade.header", lang, old=self.found.version, new=self.target, how=how)
        return [head, *(c.message.render(lang) for c in self.changes), *(n.render(lang) for n in self.notes)]


def _present(schema_name: str, book_header: list[str], template_header: list[str]) -> tuple[list[int], list[Message]]:
    """Positions in ``template_header`` of the columns the workbook's table lacks, and the
    headers it holds under another (alias) name."""
    schema = TABLES.get(schema_name)
    if schema is None:  # a table no schema describes: its headers are compared as text
        held = {normalise_header(h) for h in book_header}
        return [j for j, h in enumerate(template_header) if normalise_header(h) not in held], []
    book_cols = schema.resolve(book_header)
    missing, aliases = [], []
    template_cols = schema.resolve(template_header)
    for name, j in template_cols.items():
        if name not in book_cols:
            missing.append(j)
        elif normalise_header(book_header[book_cols[name]]) != normalise_header(template_header[j]):
            aliases.append(Message("upgrade.alias", {"table": schema_name, "header": book_header[book_cols[name]],
                                                     "column": template_header[j]}))
    held_text = {normalise_header(h) for h in book_header}
    unresolved = set(range(len(template_header))) - set(template_cols.values())
    missing += [j for j in sorted(unresolved) if normalise_header(template_header[j]) not in held_text]
    return sorted(missing), aliases


def _number_format(table: str, header: str) -> str | None:
    schema = TABLES.get(table)
    if schema is None:
        return None
    for col in schema.columns:
        if normalise_header(header) in {normalise_header(col.header("en")), normalise_header(col.header("zh-CN"))}:
            return NUMBER_FORMATS.get(col.kind) if col.kind not in ("text", "id", "flag") else None
    return None


def _settings(raw: RawTable) -> dict[str, int]:
    """Row index of each setting key of a tblPolicy."""
    found = POLICY.resolve(raw.header)
    if "setting" not in found:
        return {}
    keys = (row[found["setting"]] for row in raw.rows)
    return {str(k).strip(): i for i, k in enumerate(keys) if isinstance(k, str) and k.strip()}


def plan_upgrade(book: Workbook, layout: TemplateLayout | None = None) -> UpgradePlan:
    """Compare ``book`` with the current template (of its language) and list what an upgrade
    adds; nothing is written. SchemaError when the workbook's layout cannot be read as an
    xlcredit workbook; InputError when it is of a newer template than this xlcredit knows."""
    found = template_version(book)
    if found.version > CURRENT_VERSION:
        raise InputError(Message("upgrade.newer", {"book": _name(book), "version": found.version,
                                                   "current": CURRENT_VERSION}))
    lang = book_language(book)
    layout = layout or template_layout(lang)
    tables = {n.casefold(): n for n in book.table_names()}
    sheets = {s.casefold() for s in book.sheet_names()}
    changes: list[Change] = []
    notes: list[Message] = []
    sheets_with_new_tables: dict[str, list[RawTable]] = {}
    for name, tpl in layout.tables.items():
        if name.casefold() not in tables:
            if tpl.sheet.casefold() in sheets:
                notes.append(Message("upgrade.table_not_added", {"table": name, "sheet": tpl.sheet}))
            else:
                sheets_with_new_tables.setdefault(tpl.sheet, []).append(tpl)
            continue
        raw = book.read_table(tables[name.casefold()])
        missing, aliases = _present(name, list(raw.header), list(tpl.header))
        notes.extend(aliases)
        for j in missing:
            header = str(tpl.header[j])
            changes.append(Change("column", Message("upgrade.add_column", {
                "table": raw.name, "sheet": raw.sheet, "column": header}), table=raw.name, header=header,
                number_format=_number_format(name, header)))
        if name == POLICY.name:
            changes.extend(_setting_changes(raw, tpl))
    for sheet, tpls in sheets_with_new_tables.items():
        for tpl in tpls:
            changes.append(Change("table", Message("upgrade.add_table", {"table": tpl.name, "sheet": sheet}),
                                  table=tpl.name, row={"sheet": sheet}))
    for sheet in layout.sheets:
        if sheet.casefold() not in sheets and sheet not in sheets_with_new_tables:
            notes.append(Message("upgrade.sheet_absent", {"sheet": sheet}))
    stamps = (book.document_property(PROPERTY), setting_value(book))
    if any(whole_version(v) != CURRENT_VERSION for v in stamps):  # either one missing or older
        changes.append(Change("stamp", Message("upgrade.stamp", {"version": CURRENT_VERSION})))
    return UpgradePlan(found, lang, changes, notes)


def _default(key: str, template_value: Any) -> Any:
    """The value a new setting row gets: the policy's built-in default (what a blank cell
    means anyway), never the template's example values (its sample company, for one); the
    template's own text for settings the policy does not hold as one value (lists)."""
    from xlcredit.engine.policy import Policy

    defaults = Policy().settings()
    value = defaults.get(key, template_value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return None if value == "" else value


def _setting_changes(raw: RawTable, tpl: RawTable) -> list[Change]:
    held = _settings(raw)
    book_cols = POLICY.resolve(raw.header)
    tpl_cols = POLICY.resolve(tpl.header)
    out = []
    for key, i in _settings(tpl).items():
        if key in held or key == SETTING:  # the stamp is set by the "stamp" change
            continue
        row = {raw.header[j]: tpl.rows[i][tpl_cols[name]] for name, j in book_cols.items() if name in tpl_cols}
        value = _default(key, tpl.rows[i][tpl_cols["value"]] if "value" in tpl_cols else None)
        if "value" in book_cols:
            row[raw.header[book_cols["value"]]] = value
        message = (Message("upgrade.add_setting_blank", {"setting": key}) if value is None
                   else Message("upgrade.add_setting", {"setting": key, "value": value}))
        out.append(Change("setting", message, table=raw.name, header=key, row=row))
    return out


# --------------------------------------------------------------------------- applying it
def apply_upgrade(book: Workbook, plan: UpgradePlan, layout: TemplateLayout | None = None) -> None:
    """Make the changes of ``plan`` (from :func:`plan_upgrade` on the same workbook)."""
    layout = layout or template_layout(plan.language)
    by_table: dict[str, list[Change]] = {}
    for change in plan.changes:
        if change.kind == "column":
            by_table.setdefault(change.table, []).append(change)
    for table, columns in by_table.items():
        n = book.read_table(table).n_rows
        book.write_columns(table, [ColumnWrite(c.header, [None] * n, c.number_format) for c in columns])
    settings = [c.row for c in plan.changes if c.kind == "setting"]
    for change in plan.changes:
        if change.kind == "table":
            tpl = layout.tables[change.table]
            rows = [r for r in tpl.rows if any(v is not None and v != "" for v in r)]
            frame = pd.DataFrame(rows, columns=list(tpl.header), dtype=object)
            formats = {h: f for h in tpl.header if (f := _number_format(tpl.name, str(h)))}
            book.write_sheet(SheetSpec(change.row["sheet"], tables=[TableSpec(
                tpl.name, frame, row=tpl.header_row - 1, col=tpl.first_column - 1, number_formats=formats)]))
    if any(c.kind == "stamp" for c in plan.changes):
        settings += _stamp_setting(book, plan.language)
        book.set_document_property(PROPERTY, CURRENT_VERSION)
    if settings or any(c.kind == "stamp" for c in plan.changes):
        _write_settings(book, settings)


def _stamp_setting(book: Workbook, language: str) -> list[dict[str, Any]]:
    """The tblPolicy row to append for the stamp, or [] when the row exists (then updated)."""
    raw = book.read_table(POLICY.name)
    if SETTING in _settings(raw):
        return []
    from xlcredit.workbook.policy_sheet import describe_setting

    cols = POLICY.resolve(raw.header)
    values = {"setting": SETTING, "value": CURRENT_VERSION, "description": describe_setting(SETTING, language)}
    return [{raw.header[j]: values[name] for name, j in cols.items() if name in values}]


def _write_settings(book: Workbook, appends: list[dict[str, Any]]) -> None:
    raw = book.read_table(POLICY.name)
    updates: dict[int, dict[str, Any]] = {}
    held = _settings(raw)
    cols = POLICY.resolve(raw.header)
    if SETTING in held and "value" in cols:
        updates[held[SETTING]] = {raw.header[cols["value"]]: CURRENT_VERSION}
    book.edit_table(POLICY.name, TableEdit(updates=updates, appends=appends))


def upgrade(book: Workbook, *, dry_run: bool = False) -> UpgradePlan:
    """Plan and (unless ``dry_run``) apply the upgrade of ``book``; the caller saves.

    Examples
    --------
    A workbook whose Policy sheet lost a setting row gets it back, and a second upgrade
    changes nothing:

    >>> import tempfile, pathlib
    >>> from xlcredit.workbook.files import FileWorkbook
    >>> from xlcredit.workbook.templates import build_template
    >>> path = build_template(pathlib.Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> with FileWorkbook.open(path) as book:
    ...     book.edit_table("tblPolicy", TableEdit(updates={0: {"Setting": "no_longer_there"}}))
    ...     plan = upgrade(book)
    ...     again = upgrade(book)
    >>> plan.lines()[1], again.needed
    ('Policy setting language added with its default en', False)
    """
    plan = plan_upgrade(book)
    if plan.needed and not dry_run:
        apply_upgrade(book, plan)
    return plan


def upgrade_problem(book: Workbook, language: str) -> Problem | None:
    """The Problems-sheet line of a refresh when an upgrade is available: from which version
    and what it would change (the first few changes). None for a workbook at the current
    version with nothing missing, and for one whose layout the upgrade cannot read (the
    refresh reports what it cannot read itself)."""
    try:
        found = template_version(book)
        if found.stamped and found.version == CURRENT_VERSION:
            return None  # the usual case, read from the stamp alone: no template is built
        plan = plan_upgrade(book)
    except (SchemaError, InputError):
        return None
    if not plan.needed:
        return None
    shown = [c.message.render(language) for c in plan.changes[:_SHOWN]]
    if len(plan.changes) > _SHOWN:
        shown.append(text("upgrade.more", language, count=len(plan.changes) - _SHOWN))
    rule = text("upgrade.available", language, old=found.version, new=CURRENT_VERSION, changes="; ".join(shown))
    sheet = book.read_table(POLICY.name).sheet  # where the template_version setting is
    return Problem(sheet, None, SETTING, found.version, rule)


#: Changes named on the Problems sheet's upgrade line; the rest are counted.
_SHOWN = 5


def _name(book: Workbook) -> str:
    path = getattr(book, "path", None)
    if path is not None:
        return str(getattr(path, "name", path))
    return str(getattr(getattr(book, "book", None), "name", "the workbook"))
