"""Reading an export file into rows of raw cells: a CSV (in a known encoding) or a sheet of an
.xlsx/.xlsm/.xls workbook.

CSV text is decoded as UTF-8 (with or without BOM) or in the encoding asked for; a file that
is not valid in that encoding is refused with the encodings it does decode in, never decoded
with replacement characters. Cells of a CSV stay text (the reading rules decide what they
mean); cells of a workbook keep their types (numbers, dates).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ar.csv"
>>> _ = path.write_bytes("单据编号;价税合计\\nAR-1;1.234,50\\n".encode("gb18030"))
>>> read_source(path).rows  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
xlcredit.engine.errors.InputError: ar.csv is not UTF-8 text (byte 0xb5 at line 1). It reads as gb18030 ('单据编号;价税合计') or big5 (...); run again with --encoding gb18030 (or save the export as UTF-8).
>>> src = read_source(path, encoding="gb18030")
>>> src.rows, src.encoding
([['单据编号', '价税合计'], ['AR-1', '1.234,50']], 'gb18030')
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlcredit.engine.errors import InputError, WorkbookError
from xlcredit.messages import Message

__all__ = ["WORKBOOK_SUFFIXES", "Source", "read_source"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheet formats read only after saving as .xlsx (or exporting CSV).
_OTHER_SHEETS = (".xls", ".xlsb", ".ods", ".et")
#: Encodings offered when a file is not UTF-8, most likely first (Chinese systems, Windows).
_LIKELY = ("gb18030", "big5", "shift_jis", "cp1252")


@dataclass
class Source:
    """An export as read: its rows of raw cells, where it came from and how it was decoded."""

    path: Path
    rows: list[list[Any]]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def label(self) -> str:
        """File name (and sheet) for messages and the Problems sheet."""
        return f"{self.path.name} [{self.sheet}]" if self.sheet else self.path.name


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(Message("importer.bad_encoding", {"value": repr(encoding)})) from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(Message("importer.not_encoded_as", {
                "name": path.name, "encoding": encoding, "byte": f"0x{data[exc.start]:02x}", "line": line,
                "hint": _alternatives(data, exclude=encoding)})) from None
        return text.lstrip("\ufeff"), encoding
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(Message("importer.not_utf8", {
            "name": path.name, "byte": f"0x{data[exc.start]:02x}", "line": line,
            "hint": _alternatives(data, exclude="utf-8")})) from None


def _alternatives(data: bytes, exclude: str) -> Message:
    """'. It reads as gb18030 (sample); run again with --encoding gb18030' or a generic hint."""
    fits = []
    for name in _LIKELY:
        if codecs.lookup(name).name == codecs.lookup(exclude).name:
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        sample = next((line for line in text.splitlines() if any(ord(c) > 127 for c in line)), "")
        fits.append(f"{name} ({sample[:40]!r})")
    if not fits:
        return Message("importer.save_as_utf8")
    first = fits[0].split(" ")[0]
    listed: str = fits[-1]
    for fit in reversed(fits[:-1]):  # "a or b or c", "a 或 b 或 c"
        listed = Message("importer.or", {"first": fit, "last": listed})
    return Message("importer.reads_as", {"fits": listed, "first": first})


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _cell(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def read_source(path: str | Path, *, sheet: str | None = None, encoding: str | None = None,
                fallback_encoding: str | None = None) -> Source:
    """Read an export: every row of a CSV, or of one sheet (``sheet``, default the first).

    ``encoding`` is the user's choice; ``fallback_encoding`` the profile's (used only when the
    file is not UTF-8, and said in the summary).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(Message("importer.no_export_file", {"path": str(path)}))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _read_workbook(path, sheet)
    if path.suffix.lower() in _OTHER_SHEETS:
        raise InputError(Message("importer.other_sheet_kind", {"name": path.name}))
    if sheet is not None:
        raise InputError(Message("importer.sheet_of_text", {"sheet": repr(sheet), "name": path.name}))
    data = path.read_bytes()
    if encoding is None and fallback_encoding is not None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = fallback_encoding
    text, used = _decode(path, data, encoding)
    delimiter = _delimiter(text)
    rows = [[_cell(v.strip()) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Source(path, rows, encoding=used, delimiter=delimiter)


def _read_workbook(path: Path, sheet: str | None) -> Source:
    """A sheet of an .xlsx/.xlsm, through the file adapter (its bounded zip reader first)."""
    from xlcredit.workbook.files import FileWorkbook

    try:
        with FileWorkbook.open(path, read_only=True) as book:
            names = book.sheet_names()
            if not names:
                raise InputError(Message("importer.no_sheets", {"name": path.name}))
            chosen = sheet if sheet is not None else names[0]
            rows = book.read_sheet(chosen)
            found = next(n for n in names if n.casefold() == chosen.casefold())
    except WorkbookError as exc:
        raise InputError(Message("importer.cannot_read_export", {"name": path.name, "value": exc.args[0] if exc.args else str(exc)})) from None
    return Source(path, [[_cell(v) for v in row] for row in rows], sheet=found)
