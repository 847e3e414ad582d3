"""Worksheet XML: cell references, cell values, and editing a few columns of a sheet.

Text is always written as an inline string (``t="inlineStr"``), so the shared-strings part
stays untouched and text that starts with ``=``, ``+``, ``-`` or ``@`` stays text.

Inline rather than shared strings (what Excel writes when it saves) was measured with
``bench/bench_refresh.py``: the 727,692 text cells a refresh of the 20,000-buyer workbook
writes (79,981 distinct; 2026-12-07) take 142.4 MB of XML inline against 109.4 MB as shared
strings (18.1 MB against 16.3 MB deflated). Excel reads both into the same in-memory string
table and writes shared strings at its next save, so opening costs it about 30 % more XML to
parse in the sheets a refresh writes (11 % more to inflate). Shared strings would instead
make every refresh rewrite the workbook's whole sharedStrings part (10 MB on the bench, the
users' text included), keep the indexes of every cell it does not own and grow the table with the
strings of earlier refreshes; inline strings keep a refresh to the parts it owns.

Opening time was measured with ``bench/bench_open.py``: the refreshed 20,000-buyer workbook
(38.4 MB) against a copy whose 727,692 text cells in the parts the refresh wrote (79,981
distinct) are shared strings appended to its string table (36.5 MB); python-calamine reads
both to identical cells. LibreOffice 7.4 headless (UNO load of the whole workbook, best of
3 to 5, the files alternating, 2 shared cores) took 6.28 s inline against 5.76 s shared on
a quiet machine (shared / inline 0.918) and 13.26 s against 13.38 s (1.009) and 11.24 s
against 11.53 s (1.026) under load; python-calamine read every sheet in 4.85 s against
4.76 s (0.981), openpyxl (``read_only=False``, one run each, under load) in 135.8 s against
122.2 s (0.900). Shared strings open at most some 8 % faster, and not in every run: too
little to outweigh the reasons above, so text stays inline; Excel's own times are a
release-checklist step (``docs/excel.md``).

>>> cell_xml("B2", "=HYPERLINK(1)", None)
'<c r="B2" t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(1)</t></is></c>'
>>> cell_xml("C3", 1234.5, 4)
'<c r="C3" s="4"><v>1234.5</v></c>'
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from lxml import etree

from xlcredit.workbook.xlsx_parts import NS

__all__ = [
    "cell_xml",
    "col_letters",
    "col_number",
    "date_system",
    "excel_serial",
    "extend_dimension",
    "parse_ref",
    "plain_value",
    "range_ref",
    "set_columns",
]

_M = NS["m"]
_C = f"{{{_M}}}c"
_ROW = f"{{{_M}}}row"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_CR = {"\r": "&#13;"}  # a raw carriage return would be read back as a line feed
#: Excel's limit on the characters of one cell.
MAX_TEXT = 32767


def col_letters(n: int) -> str:
    """Column letters of a 1-based column number.

    >>> col_letters(1), col_letters(28), col_letters(16384)
    ('A', 'AB', 'XFD')
    """
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def col_number(letters: str) -> int:
    """1-based column number of column letters.

    >>> col_number("AB")
    28
    """
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def parse_ref(ref: str) -> tuple[int, int]:
    """(row, column), 1-based, of a cell reference such as ``"$B$12"``.

    >>> parse_ref("$B$12")
    (12, 2)
    """
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


def range_ref(row1: int, col1: int, row2: int, col2: int, absolute: bool = False) -> str:
    """A1 reference of a range from 1-based corners.

    >>> range_ref(1, 1, 10, 3), range_ref(2, 2, 5, 2, absolute=True)
    ('A1:C10', '$B$2:$B$5')
    """
    d = "$" if absolute else ""
    return f"{d}{col_letters(col1)}{d}{row1}:{d}{col_letters(col2)}{d}{row2}"


_DATE1904: contextvars.ContextVar[bool] = contextvars.ContextVar("date1904", default=False)


@contextlib.contextmanager
def date_system(date1904: bool) -> Iterator[None]:
    """Write dates in the workbook's date system while the block runs.

    >>> with date_system(True):
    ...     excel_serial(dt.date(2026, 11, 28))
    44892.0
    """
    token = _DATE1904.set(date1904)
    try:
        yield
    finally:
        _DATE1904.reset(token)


def excel_serial(value: dt.date, date1904: bool | None = None) -> float:
    """Excel serial number of a date or datetime (1900 date system, or 1904 inside
    :func:`date_system` or with ``date1904``).

    >>> excel_serial(dt.date(2026, 11, 28)), excel_serial(dt.date(2026, 11, 28), True)
    (46354.0, 44892.0)
    """
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if date1904 is None:
        date1904 = _DATE1904.get()
    delta = value - (_EPOCH_1904 if date1904 else _EPOCH)
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


def plain_value(value: Any) -> Any:
    """A cell value as plain Python: None, bool, float, str or datetime.

    >>> plain_value(np.float64(2.5)), plain_value(pd.NaT), plain_value(Decimal("1.10"))
    (2.5, None, 1.1)
    """
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        return None if value != value else value
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    if isinstance(value, int | float | np.integer | np.floating | Decimal):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, dt.date | str):
        return value
    return str(value)


def clean_text(text: str) -> str:
    """Text safe for XML and within Excel's cell limit (control characters escaped).

    >>> clean_text("a\\x01b")
    'a_x0001_b'
    """
    text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text[:MAX_TEXT]


def cell_value(value: Any) -> tuple[str | None, str | None]:
    """(type attribute, text of ``<v>`` or of the inline string) of a cell holding ``value``.

    >>> cell_value(True), cell_value(3.0), cell_value("=1+1"), cell_value(None)
    (('b', '1'), (None, '3'), ('inlineStr', '=1+1'), (None, None))
    >>> cell_value(float("nan"))  # a blank cell, never the text "nan" in a <v> Excel rejects
    (None, None)
    """
    if type(value) is not str and (type(value) is not float or value != value):
        value = plain_value(value)
    if value is None:
        return None, None
    if type(value) is str:
        return "inlineStr", (
            clean_text(value) if len(value) > MAX_TEXT or _ILLEGAL.search(value) else value
        )
    if isinstance(value, bool):
        return "b", str(int(value))
    if isinstance(value, float):
        if math.isinf(value):
            return "e", "#NUM!"
        return None, str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.date):
        return None, repr(excel_serial(value))
    return "inlineStr", clean_text(value)


def cell_xml(ref: str, value: Any, style: int | None, formula: str | None = None) -> str:
    """One ``<c>`` element (a formula keeps ``value`` as its cached result)."""
    kind, text = cell_value(value)
    if text is None:
        inner = ""
    elif kind == "inlineStr":
        inner = f'<is><t xml:space="preserve">{escape(text, _CR)}</t></is>'
    else:
        inner = f"<v>{escape(text)}</v>"
    if formula is not None:
        if kind == "inlineStr":
            kind, inner = "str", f"<v>{escape(text or '', _CR)}</v>"
        inner = f"<f>{escape(formula.lstrip('='))}</f>{inner}"
    s = f' s="{style}"' if style else ""
    t = f' t="{kind}"' if kind else ""
    return f'<c r="{ref}"{s}{t}>{inner}</c>' if inner else f'<c r="{ref}"{s}{t}/>'


@functools.lru_cache(maxsize=16384)
def _letters_number(letters: str) -> int:
    return col_number(letters)


def _cell_col(cell: etree._Element, previous: int) -> int:
    ref = cell.get("r")
    if not ref:
        return previous + 1
    return _letters_number(ref.rstrip("0123456789").lstrip("$"))


_V = f"{{{_M}}}v"
_IS = f"{{{_M}}}is"
_T = f"{{{_M}}}t"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _drop(el: etree._Element, *attrs: str) -> None:
    for attr in attrs:
        if attr in el.attrib:
            del el.attrib[attr]


def _fill_cell(cell: etree._Element, ref: str, value: Any, style: int | None) -> None:
    kind, text = cell_value(value)
    cell.clear()  # old value, formula, type and metadata go; the new ones are set below
    cell.set("r", ref)
    if style:
        cell.set("s", str(style))
    if kind:
        cell.set("t", kind)
    if text is None:
        return
    if kind == "inlineStr":
        t = etree.SubElement(etree.SubElement(cell, _IS), _T)
        t.set(_XML_SPACE, "preserve")
        t.text = text
    else:
        etree.SubElement(cell, _V).text = text


def _check_shared_formula(cell: etree._Element, rows: dict[int, dict[int, Any]]) -> None:
    """Refuse to overwrite the master of a shared formula that other cells still use."""
    f = cell.find(f"{{{_M}}}f")
    if f is None or f.get("t") != "shared" or not f.get("ref"):
        return
    first, _, last = (f.get("ref") or "").partition(":")
    (r1, c1), (r2, c2) = parse_ref(first), parse_ref(last or first)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            if c not in rows.get(r, {}):
                raise SharedFormulaError(
                    f"cell {cell.get('r')} holds a formula that Excel shares with cells outside "
                    f"the output columns ({f.get('ref')}); retype that formula in {cell.get('r')} "
                    "or clear the output column, then refresh again"
                )


class SharedFormulaError(ValueError):
    """An output cell is the master of a shared formula used elsewhere."""


def extend_dimension(sheet: etree._Element, last_row: int, last_col: int) -> None:
    """Grow the sheet's ``<dimension>`` (the used range readers trust) to reach a cell."""
    dim = sheet.find(f"{{{_M}}}dimension")
    if dim is None:
        return
    first, _, last = (dim.get("ref") or "A1").partition(":")
    try:
        (r1, c1), (r2, c2) = parse_ref(first), parse_ref(last or first)
    except ValueError:
        return
    if last_row > r2 or last_col > c2:
        dim.set("ref", range_ref(r1, c1, max(r2, last_row), max(c2, last_col)))


def cell_is_blank(cell: etree._Element) -> bool:
    """Whether a ``<c>`` element holds no value and no formula."""
    return not any(etree.QName(child).localname in ("v", "f", "is") for child in cell)


def set_columns(
    sheet: etree._Element,
    rows: dict[int, dict[int, Any]],
    style_of: Callable[[int, int, int | None, Any], int | None],
) -> None:
    """Write ``rows[row][col] = value`` (1-based) into a worksheet, touching only those cells.

    ``style_of(row, col, existing_style, value)`` gives the cell format to use (the
    existing one, or a new one with a number format). Missing rows and cells are created in
    order; other cells, rows and attributes are left exactly as they were.
    """
    data = sheet.find(f"{{{_M}}}sheetData")
    if data is None:
        raise ValueError("worksheet without sheetData")
    existing: dict[int, etree._Element] = {}
    numbers: list[int] = []
    last = 0
    for found in data.iterchildren(_ROW):
        last = int(found.get("r") or last + 1)
        existing[last] = found
        numbers.append(last)
    numbers.sort()
    letters = functools.lru_cache(maxsize=None)(col_letters)
    for r in sorted(rows):
        row: etree._Element | None = existing.get(r)
        if row is None:
            row = etree.Element(_ROW, r=str(r))
            pos = bisect.bisect_left(numbers, r)
            if pos < len(numbers):
                existing[numbers[pos]].addprevious(row)
            else:
                data.append(row)
            numbers.insert(pos, r)
            existing[r] = row
        _drop(row, "spans")
        cells: dict[int, etree._Element] = {}
        col = 0
        for el in row.iterchildren(_C):
            col = _cell_col(el, col)
            cells[col] = el
        inserted = len(row) != len(cells)  # a row with non-cell children is re-sorted
        high = col  # cells appended right of the last one keep the row in order
        for c, value in sorted(rows[r].items()):
            cell: etree._Element | None = cells.get(c)
            if cell is None:
                cell = etree.SubElement(row, _C)
                cells[c] = cell
                inserted = inserted or c < high
                high = max(high, c)
                old_style = None
            else:
                old_style = int(cell.get("s", "0"))
                _check_shared_formula(cell, rows)
            _fill_cell(cell, f"{letters(c)}{r}", value, style_of(r, c, old_style, value))
        if inserted:
            others = [child for child in row if child.tag != _C]
            for child in list(row):
                row.remove(child)
            for c in sorted(cells):
                row.append(cells[c])
            for child in others:
                row.append(child)
