"""A sheet's cells as python-calamine reads them, turned into what Excel delivers.

calamine gives a blank cell as "", a whole number as int, a date as ``datetime.date``; the
workbook port gives None, float and ``datetime.datetime`` as Excel's object model does. The
conversion is per column (no Python call per cell for the usual columns of numbers, texts
and blanks). A large sheet is read in row chunks straight into a table's block, so its rows
as Python lists are never all held at once (issue 17: a 1,048,576-row refresh must stay near
python-calamine's own peak memory). Error cells and formulas saved without a result, which
calamine reads as "", are found in the sheet's XML (:func:`cell_markers`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.workbook.reading import ErrorCell, NoCachedValue
from xlcredit.workbook.sheet_xml import col_number
from xlcredit.workbook.xlsx_parts import parse_xml

__all__ = [
    "CHUNK_CELLS",
    "KEEP_CELLS",
    "block_of",
    "cell_markers",
    "excel_block",
    "excel_column",
    "excel_value",
    "may_hold_markers",
    "read_block",
]


def excel_value(value: Any) -> Any:
    """A calamine value as Excel delivers it (blank and error cells are None)."""
    if value == "" or value is None:
        return None
    if isinstance(value, bool | str | dt.datetime):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return value


_CONVERT = (int, dt.date, dt.timedelta, dt.time)


def excel_column(column: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """A column of calamine values as Excel delivers them, converted per column: blanks
    ("") become None, numbers float, dates datetime, durations days (no Python call per cell
    for the usual columns of floats, texts and blanks; dates once per distinct value)."""
    kinds = set(map(type, column))
    if str in kinds:
        column = column.copy()
        column[column == ""] = None
    if not any(issubclass(k, _CONVERT) for k in kinds):
        return column
    if bool in kinds and kinds & {int, float}:  # True == 1 would merge in a factorize
        return np.fromiter((excel_value(v) for v in column), dtype=object, count=len(column))
    codes, uniques = pd.factorize(pd.Series(column, dtype=object), use_na_sentinel=True)
    converted = np.empty(len(uniques) + 1, dtype=object)
    converted[:-1] = [excel_value(u) for u in uniques]  # once per distinct value
    return converted[codes]


#: Cells of the sheet XML that calamine reads as "": error cells and formulas saved with no
#: result. Found by searching the bytes for the few cells concerned (no parse of the sheet).
_REF = re.compile(rb'\br="\$?([A-Z]+)\$?(\d+)"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def cell_markers(xml: bytes) -> dict[tuple[int, int], ErrorCell | NoCachedValue]:
    """Error cells and uncalculated formulas of a sheet, by (row, column), 1-based.

    >>> x = b'<sheetData><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C3"><f>A1*2</f></c><c r="D4"><v>1</v></c></sheetData>'
    >>> sorted((k, str(v)) for k, v in cell_markers(x).items())
    [((2, 2), '#DIV/0!'), ((3, 3), '=A1*2')]
    """
    lo = xml.find(b"<sheetData")
    hi = xml.rfind(b"</sheetData>")
    if lo < 0 or hi < 0:
        return {}
    found: dict[tuple[int, int], ErrorCell | NoCachedValue] = {}
    for token in (b't="e"', b"<f"):
        pos = xml.find(token, lo, hi)
        while pos != -1:
            end = xml.find(b"</c>", pos, hi)
            if token == b"<f" and xml[pos + 2 : pos + 3] not in (b">", b" ", b"/"):
                pos = xml.find(token, pos + 2, hi)  # <family> of rich text, not a formula
                continue
            start = xml.rfind(b"<c", lo, pos)
            end = hi if end < 0 else end
            cell = xml[start:end]
            head, _, inner = cell.partition(b">")
            ref = _REF.search(head)
            value = _VALUE.search(inner)
            if ref is not None:
                key = (int(ref[2]), col_number(ref[1].decode()))
                if b't="e"' in head:
                    found[key] = ErrorCell(value[1].decode() if value is not None and value[1] else "#VALUE!")
                elif (value is None or not value[1]) and b't="str"' not in head and key not in found:
                    formula = _FORMULA.search(inner)
                    text = formula[1] if formula is not None and formula[1] else b""
                    found[key] = NoCachedValue(
                        parse_xml(b"<f>" + text + b"</f>", "<f>").text or "(shared formula)"
                    )
            pos = xml.find(token, end, hi)
    return found


#: A sheet of more cells than this is not kept after its tables are read.
KEEP_CELLS = 2_000_000
#: A sheet of more cells than this is read in row chunks (python-calamine's ``to_python``
#: is twice as fast, but holds the whole sheet as Python lists next to its own copy: on the
#: 1,048,576-row case that would take the refresh far above calamine's own peak).
CHUNK_CELLS = 8_000_000
#: Rows converted to Python values at a time when a large sheet is read in chunks.
_CHUNK_ROWS = 20_000


def block_of(lines: list[list[Any]], n_rows: int, first: int, width: int) -> npt.NDArray[np.object_]:
    """Columns ``first`` (0-based) to ``first + width`` of ``lines``, padded with "" to
    ``n_rows`` rows and to the width (a sheet's rows may be shorter than its table).

    >>> block_of([["a", 1.0, 2.0], ["b"]], 3, 1, 2).tolist()
    [[1.0, 2.0], ['', ''], ['', '']]
    >>> block_of([["a", 1.0], ["b", 2.0]], 2, 0, 2).tolist()
    [['a', 1.0], ['b', 2.0]]
    """
    if not lines:
        return np.full((n_rows, width), "", dtype=object)
    try:  # calamine's rows all have the sheet's width: one copy, then a column slice
        whole = np.empty((len(lines), len(lines[0])), dtype=object)
        whole[:] = lines
        if len(lines) == n_rows and first == 0 and whole.shape[1] == width:
            return whole  # the table is the whole sheet below its header: no second copy
        out = np.full((n_rows, width), "", dtype=object)
        part = whole[:, first : first + width]
        out[: len(lines), : part.shape[1]] = part
    except ValueError:  # rows of different widths
        out = np.full((n_rows, width), "", dtype=object)
        for i, line in enumerate(lines):
            cells = line[first : first + width]
            out[i, : len(cells)] = cells
    return out


def read_block(sheet: Any, rows: range, first: int, width: int) -> npt.NDArray[np.object_]:
    """Rows ``rows`` (0-based) and columns ``first`` to ``first + width`` of a calamine
    sheet as Excel delivers them, made into Python values ``_CHUNK_ROWS`` rows at a time
    (the whole sheet's rows as Python lists, and a second copy of its cells, are never
    held). calamine's ``iter_rows`` starts at the sheet's first row but at the first column
    of its used range (``sheet.start``)."""
    out = np.full((len(rows), width), None, dtype=object)
    offset = sheet.start[1] if sheet.height else 0
    lines = sheet.iter_rows()
    for _ in itertools.islice(lines, rows.start):
        pass
    done = 0
    while done < len(rows):
        chunk = list(itertools.islice(lines, min(_CHUNK_ROWS, len(rows) - done)))
        if not chunk:
            break
        if first >= offset:
            block = block_of(chunk, len(chunk), first - offset, width)
        else:  # the table starts left of the used range: its first columns are blank
            block = np.full((len(chunk), width), "", dtype=object)
            if offset - first < width:
                block[:, offset - first :] = block_of(chunk, len(chunk), 0, width - (offset - first))
        out[done : done + len(chunk)] = excel_block(block)
        done += len(chunk)
    return out


def excel_block(block: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """A block of calamine values as Excel delivers them, converted column by column."""
    for j in range(block.shape[1]):
        block[:, j] = excel_column(block[:, j])
    return block


#: What the cells of a sheet holding an error cell or a formula contain somewhere.
_MARKER_TOKENS = (b't="e"', b"<f>", b"<f ", b"<f/")
_END_OF_CELLS = b"</sheetData>"


def may_hold_markers(pieces: Iterable[bytes]) -> bool:
    """Whether a sheet's cells, its text given in pieces, hold a token of an error cell or
    a formula (one split between two pieces included; what follows the cells, such as a
    validation's ``<formula1>``, does not count).

    >>> may_hold_markers([b'<sheetData><c r="B1" t', b'="e"><v>#N/A</v></c></sheetData>'])
    True
    >>> may_hold_markers([b'<sheetData><c r="A1"><v>1</v></c></sheetData>', b'<formula1>"A"</formula1>'])
    False
    """
    keep = max(map(len, (*_MARKER_TOKENS, _END_OF_CELLS))) - 1
    tail = b""
    for piece in pieces:
        window = tail + piece
        end = window.find(_END_OF_CELLS)
        cells = window if end < 0 else window[:end]
        if any(token in cells for token in _MARKER_TOKENS):
            return True
        if end >= 0:
            return False
        tail = window[-keep:]
    return False
