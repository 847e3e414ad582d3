"""Template versions: which layout of the template a workbook was made from.

Every workbook xlcredit creates carries its template version twice: as the custom document
property :data:`PROPERTY` (File > Info > Properties, where a copy-paste of sheets cannot
take it away) and as the Policy setting :data:`SETTING` (where users see it). One function,
:func:`template_version`, reads it back.

:data:`CHANGES` says, per version, what changed in one line. Version 0 is the templates as
first shipped, before versions existed: those workbooks carry no stamp, so an unstamped
workbook is taken as version 0 when its tables say so (the tables every version has, with
their key columns), and refused when they do not. The number only tells what an upgrade
starts from: ``xlcredit upgrade`` itself compares the workbook's tables, columns, sheets and
settings with the current template and adds what is missing, so it is right whatever the
number says.

Bump the version with ``python scripts/new_template_version.py "what changed"`` (it records
the change here, rebuilds the templates and writes the fixture the upgrade tests start from).

>>> CURRENT_VERSION == max(CHANGES)
True
>>> CHANGES[0][:36]
'Templates as first shipped (before i'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlcredit.engine.errors import SchemaError
from xlcredit.messages import Message
from xlcredit.workbook.port import Workbook
from xlcredit.workbook.schema import BUYERS, INVOICES, POLICY

__all__ = ["CHANGES", "CURRENT_VERSION", "PROPERTY", "SETTING", "VersionFound", "setting_value", "template_version",
           "whole_version"]

#: The version of the templates this xlcredit writes.
CURRENT_VERSION = 1

#: What changed in each version, one line each (kept by scripts/new_template_version.py).
CHANGES: dict[int, str] = {
    0: "Templates as first shipped (before issue 16): Buyers, Invoices, Quick check, Policy and "
       "Read me sheets; no version stamp.",
    1: "Template version stamped: custom document property xlcredit.template_version and Policy "
       "setting template_version. Chinese headers per the glossary (former headers still read); "
       "Buyers: Tax ID, Insolvent, Legal action and Expected recovery columns; Write-offs sheet "
       "(tblWriteOffs); Decisions sheet (tblDecisions); team policy settings team.*; Chinese template texts "
       "from the catalogue (Quick check values, dunning channels, page footers 'Page &P of &N').",
}

#: The custom document property holding the version.
PROPERTY = "xlcredit.template_version"
#: The Policy setting (a row of tblPolicy) holding the version.
SETTING = "template_version"

#: What every version has: how an unstamped workbook is recognised as an xlcredit one.
_EVERY_VERSION = (("tblBuyers", BUYERS, "buyer_id"), ("tblInvoices", INVOICES, "invoice_no"),
                  ("tblPolicy", POLICY, "setting"))


@dataclass(frozen=True)
class VersionFound:
    """A workbook's template version and how it is known."""

    version: int
    #: True when the workbook carries the stamp; False when decided from its tables.
    stamped: bool
    #: Why an unstamped workbook is taken as version 0 (a catalogue message).
    evidence: Message | None = None


def whole_version(value: Any) -> int | None:
    """A stamp value as a whole number >= 0, or None (text "1", 1.0 and 1 are all 1)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 0 else None


def setting_value(book: Workbook) -> Any:
    """The raw Value cell of the ``template_version`` row of tblPolicy (None when absent)."""
    if "tblpolicy" not in {n.casefold() for n in book.table_names()}:
        return None
    raw = book.read_table("tblPolicy")
    found = POLICY.resolve(raw.header)
    if "setting" not in found or "value" not in found:
        return None
    for row in raw.rows:
        key = row[found["setting"]]
        if isinstance(key, str) and key.strip() == SETTING:
            return row[found["value"]]
    return None


def template_version(book: Workbook) -> VersionFound:
    """The template version of ``book`` (a :class:`~xlcredit.workbook.port.Workbook`).

    The stamp when there is one (the lower of the two when the property and the Policy
    setting disagree: an upgrade from the lower adds nothing the workbook already has);
    otherwise version 0, decided from the tables every version has. A workbook without them
    cannot be read as an xlcredit workbook: SchemaError (exit code 4).

    Examples
    --------
    Which template version is a new workbook?

    >>> import tempfile, pathlib
    >>> from xlcredit.workbook.templates import build_template
    >>> from xlcredit.workbook.files import FileWorkbook
    >>> path = build_template(pathlib.Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> with FileWorkbook.open(path, read_only=True) as book:
    ...     template_version(book) == VersionFound(CURRENT_VERSION, stamped=True)
    True
    """
    stamps = [v for v in (whole_version(book.document_property(PROPERTY)), whole_version(setting_value(book)))
              if v is not None]
    if stamps:
        return VersionFound(min(stamps), stamped=True)
    names = {n.casefold(): n for n in book.table_names()}
    held = []
    for table, schema, key in _EVERY_VERSION:
        if table.casefold() not in names:
            raise SchemaError(Message("upgrade.unknown_layout", {"book": _book_name(book), "table": table}))
        if key not in schema.resolve(book.read_table(table).header):
            raise SchemaError(Message("upgrade.unknown_layout", {
                "book": _book_name(book), "table": f"{table}[{schema.column(key).header('en')}]"}))
        held.append(table)
    return VersionFound(0, stamped=False, evidence=Message("upgrade.evidence_v0", {"tables": ", ".join(held)}))


def _book_name(book: Workbook) -> str:
    path = getattr(book, "path", None)
    if path is not None:
        return str(getattr(path, "name", path))
    inner = getattr(book, "book", None)
    return str(getattr(inner, "name", "the workbook"))
