"""Cell XML of whole columns at once: the fast path of :func:`~.sheet_xml.cell_xml`.

A column of values is classified once (``pandas.api.types.infer_dtype``) and encoded with
array operations: numbers through ``repr``/``str`` mapped in C, text escaped on one joined
string, dates as serial numbers computed in numpy. A block of columns is written by laying
the pieces of all its cells in one grid and joining it once (:func:`join_cells`): no
Python function runs per cell, and no string is built per cell besides the value's own. A column this module cannot encode exactly
(mixed types, Decimal, time zones, ``pd.NA``...) is encoded cell by cell with
:func:`~.sheet_xml.cell_value`, so the output is always the one ``cell_xml`` writes:

>>> import numpy as np
>>> refs = np.array(["A2", "A3", "A4"], dtype=object)
>>> cells_xml(refs, [1.5, None, "a<b"], np.array([4, 0, 0])).tolist()
['<c r="A2" s="4"><v>1.5</v></c>', '<c r="A3"/>', '<c r="A4" t="inlineStr"><is><t xml:space="preserve">a&lt;b</t></is></c>']

Text is written as inline strings, as :mod:`~.sheet_xml` does (see that module for why).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from xlcredit.workbook.sheet_xml import (
    _DATE1904,
    _ILLEGAL,
    MAX_TEXT,
    cell_value,
    clean_text,
    plain_value,
)

__all__ = [
    "ColumnBlock",
    "EncodedColumn",
    "assemble",
    "cells_xml",
    "column_refs",
    "encode_column",
    "join_cells",
    "row_numbers",
    "rows_xml",
    "splice_block",
    "splice_pieces",
    "style_attr",
    "write_block",
]

_NUMBER_KINDS = ("floating", "integer", "mixed-integer-float")
_DATE_KINDS = ("datetime", "date", "datetime64")
_EPOCH_US = np.datetime64("1899-12-30T00:00:00", "us").astype(np.int64)
#: Day 0 of a workbook in the 1904 date system (Mac Excel's old default; issue 11).
_EPOCH_1904_US = np.datetime64("1904-01-01T00:00:00", "us").astype(np.int64)
_US_PER_DAY = 86_400_000_000
_PLAIN_TYPES = {str, float, bool, dt.datetime, type(None)}
_IS_OPEN = '<is><t xml:space="preserve">'
_IS_CLOSE = "</t></is>"
_BLANK = "/>"
_V_HEAD, _V_TAIL = "><v>", "</v></c>"
_TEXT_HEAD, _TEXT_TAIL = f' t="inlineStr">{_IS_OPEN}', f"{_IS_CLOSE}</c>"
#: Ends each row (or cell) of a joined block before it is split again; XML text never
#: holds it (cell texts have it escaped as ``_x0000_``).
_CUT = "\x00"


@dataclass
class EncodedColumn:
    """A column of values as the pieces of its ``<c>`` elements, one entry per cell.

    A cell is written ``'<c r="REF"' + style attribute + head + text + tail``: ``head`` holds
    the type attribute and what opens the value (``'><v>'``, ``' t="inlineStr">'`` and the
    inline string's tags, or ``'/>'`` for a blank cell), ``text`` the escaped value, ``tail``
    what closes it (``""`` for a blank cell). Heads and tails are a few shared strings, so a
    column is joined without building a string per cell. ``kind`` is the inferred kind
    (``"floating"``, ``"string"``, ``"date"``, ``"boolean"``, ``"empty"``, or ``"cells"``
    when encoded cell by cell); ``numbers`` the values as floats (NaN where not a number) for
    number columns, else None; ``blank`` where the cell holds no value.
    """

    head: np.ndarray
    text: np.ndarray
    tail: np.ndarray
    kind: str
    blank: np.ndarray
    numbers: np.ndarray | None = None

    def take(self, index: np.ndarray | slice) -> EncodedColumn:
        """The cells at ``index`` (a slice gives views, not copies)."""
        numbers = None if self.numbers is None else self.numbers[index]
        return EncodedColumn(
            self.head[index], self.text[index], self.tail[index], self.kind, self.blank[index], numbers
        )


def _as_objects(values: Sequence[Any] | np.ndarray | pd.Series) -> np.ndarray:
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    out = np.empty(len(values), dtype=object)
    out[:] = list(values) if not isinstance(values, np.ndarray) else values.tolist()
    return out


def _filled(n: int, text: str) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out[:] = text
    return out


def _per_cell(values: np.ndarray) -> EncodedColumn:
    """The exact encoding of any column, one :func:`plain_value` and :func:`cell_value`
    call per cell (the slow path for columns the vectorised path does not cover)."""
    from xml.sax.saxutils import escape

    n = len(values)
    head, text, tail = _filled(n, _BLANK), _filled(n, ""), _filled(n, "")
    blank = np.ones(n, dtype=bool)
    for i, value in enumerate(values.tolist()):
        kind, shown = cell_value(plain_value(value))
        type_attr = f' t="{kind}"' if kind else ""
        if shown is None:
            head[i] = type_attr + _BLANK
            continue
        blank[i] = False
        if kind == "inlineStr":
            head[i], text[i], tail[i] = _TEXT_HEAD, escape(shown, {chr(13): "&#13;"}), _TEXT_TAIL
        else:
            head[i], text[i], tail[i] = type_attr + _V_HEAD, escape(shown), _V_TAIL
    return EncodedColumn(head, text, tail, "cells", blank)


def _number_texts(numbers: np.ndarray) -> np.ndarray:
    """``<v>`` text of finite floats as :func:`cell_value` writes it: whole numbers below
    1e15 as integers, the rest as ``repr`` (the shortest text that reads back the same);
    each distinct number written once (amounts, rates and days repeat down a column: on the
    bench's generated sheets 413,000 distinct among 958,000 numbers).

    >>> _number_texts(np.array([2.0, 0.1, 2.0, -0.0, 1e15])).tolist()
    ['2', '0.1', '2', '0', '1000000000000000.0']
    """
    if len(numbers) > 64:
        codes, distinct = pd.factorize(numbers)
        return _distinct_number_texts(distinct)[codes]
    return _distinct_number_texts(numbers)


def _distinct_number_texts(numbers: np.ndarray) -> np.ndarray:
    out = np.empty(len(numbers), dtype=object)
    whole = (numbers == np.floor(numbers)) & (np.abs(numbers) < 1e15)
    if whole.any():
        out[whole] = list(map(str, numbers[whole].astype(np.int64).tolist()))
    if (~whole).any():
        out[~whole] = list(map(repr, numbers[~whole].tolist()))
    return out


def _encode_numbers(numbers: np.ndarray) -> EncodedColumn:
    n = len(numbers)
    head, text, tail = _filled(n, _BLANK), _filled(n, ""), _filled(n, "")
    finite = np.isfinite(numbers)
    infinite = np.isinf(numbers)
    if finite.any():
        head[finite], tail[finite] = _V_HEAD, _V_TAIL
        text[finite] = _number_texts(numbers[finite])
    if infinite.any():
        head[infinite], text[infinite], tail[infinite] = ' t="e"' + _V_HEAD, "#NUM!", _V_TAIL
    return EncodedColumn(head, text, tail, "floating", ~(finite | infinite), numbers)


def _encode_text(values: np.ndarray, present: np.ndarray) -> EncodedColumn:
    n = len(values)
    head, text, tail = _filled(n, _BLANK), _filled(n, ""), _filled(n, "")
    texts: list[str] = values[present].tolist()
    if texts:
        joined = "".join(texts)
        if _ILLEGAL.search(joined) or max(map(len, texts)) > MAX_TEXT:
            texts = [clean_text(t) for t in texts]  # rare: control characters, huge text
        # one escape over all texts, split back on a separator text cannot hold (NUL was
        # escaped above as _x0000_)
        big = "\x00".join(texts)
        if "&" in big:
            big = big.replace("&", "&amp;")
        if "<" in big:
            big = big.replace("<", "&lt;")
        if ">" in big:
            big = big.replace(">", "&gt;")
        if "\r" in big:
            big = big.replace("\r", "&#13;")
        text[present] = big.split("\x00")
        head[present], tail[present] = _TEXT_HEAD, _TEXT_TAIL
    return EncodedColumn(head, text, tail, "string", ~present)


def _micros(found: np.ndarray) -> np.ndarray:
    """Microseconds since 1970 of naive dates and datetimes: plain ``date`` and ``datetime``
    objects through pandas' converter (some twenty times faster than numpy's cast of
    objects, and exact for them: no nanoseconds), anything else through numpy."""
    if set(map(type, found.tolist())) <= {dt.datetime, dt.date}:
        try:
            converted: np.ndarray = pd.to_datetime(found).as_unit("us").asi8
            return converted
        except (ValueError, TypeError, OverflowError):
            pass  # out of pandas' range: numpy's cast below
    return found.astype("datetime64[us]").astype(np.int64)


def _encode_dates(values: np.ndarray, present: np.ndarray, kind: str) -> EncodedColumn | None:
    found = values[present]
    # aware datetimes keep their wall time: the per-cell path does that (a column mixing
    # datetimes and dates is inferred as "date", so those are looked at too)
    if kind == "datetime" and any(map(operator.attrgetter("tzinfo"), found.tolist())):
        return None
    if kind == "date" and any(getattr(v, "tzinfo", None) is not None for v in found.tolist()):
        return None
    try:
        micros = _micros(found)
    except (ValueError, TypeError, OverflowError):
        return None
    # the workbook's date system, as sheet_xml.excel_serial reads it (sheet_xml.date_system)
    delta = micros - (_EPOCH_1904_US if _DATE1904.get() else _EPOCH_US)
    days = delta // _US_PER_DAY
    rest = delta - days * _US_PER_DAY
    seconds = rest // 1_000_000
    micro = rest - seconds * 1_000_000
    # the same float operations, in the same order, as sheet_xml.excel_serial
    serial = days.astype(np.float64) + seconds / 86400 + micro / 86_400_000_000
    n = len(values)
    head, text, tail = _filled(n, _BLANK), _filled(n, ""), _filled(n, "")
    head[present], tail[present] = _V_HEAD, _V_TAIL
    text[present] = list(map(repr, serial.tolist()))
    return EncodedColumn(head, text, tail, "date", ~present)


def _missing(values: np.ndarray) -> np.ndarray | None:
    """Blank cells (None, NaN, NaT), or None when pd.NA is present (written as text)."""
    missing = np.asarray(pd.isna(values), dtype=bool)
    if missing.any() and id(pd.NA) in set(map(id, values[missing].tolist())):
        return None
    return missing


def encode_column(values: Sequence[Any] | np.ndarray | pd.Series) -> EncodedColumn:
    """Encode a column of cell values (what :func:`~.sheet_xml.cell_value` gives per cell).

    >>> col = encode_column([3.0, 0.1, None, float("inf")])
    >>> col.text.tolist(), col.head.tolist()
    (['3', '0.1', '', '#NUM!'], ['><v>', '><v>', '/>', ' t="e"><v>'])
    >>> encode_column([dt.date(2026, 11, 28), True]).kind  # mixed: cell by cell
    'cells'
    """
    objects = _as_objects(values)
    n = len(objects)
    kind = infer_dtype(objects, skipna=True) if n else "empty"
    missing = _missing(objects)
    if missing is None:
        return _per_cell(objects)
    present = ~missing
    if kind == "empty":
        nothing = _filled(n, "")
        return EncodedColumn(_filled(n, _BLANK), nothing, nothing, "empty", np.ones(n, dtype=bool), np.full(n, np.nan))
    if kind in _NUMBER_KINDS:
        numbers = np.full(n, np.nan)
        try:
            numbers[present] = objects[present].astype(np.float64)
        except (TypeError, ValueError, OverflowError):
            return _per_cell(objects)
        return _encode_numbers(numbers)
    if kind == "string":
        return _encode_text(objects, present)
    if kind == "boolean":
        head, text, tail = _filled(n, _BLANK), _filled(n, ""), _filled(n, "")
        flags = objects[present].astype(bool)
        head[present], tail[present] = ' t="b"' + _V_HEAD, _V_TAIL
        text[present] = np.where(flags, "1", "0").astype(object)
        return EncodedColumn(head, text, tail, "boolean", missing)
    if kind in _DATE_KINDS:
        encoded = _encode_dates(objects, present, kind)
        if encoded is not None:
            return encoded
    return _per_cell(objects)


def plain_values(values: Sequence[Any]) -> list[Any]:
    """``plain_value`` of each value; a list already plain (str, float without NaN, bool,
    datetime, None) is returned as it is, without a Python step per cell.

    >>> plain_values([1, float("nan"), "a"]), plain_values(["a", None])
    ([1.0, None, 'a'], ['a', None])
    """
    values = list(values)
    kinds = set(map(type, values))
    if kinds <= _PLAIN_TYPES:
        if float not in kinds:
            return values
        if kinds <= {float, type(None)}:  # NaN is the one float to blank
            nan = int(np.isnan(np.array(values, dtype=np.float64)).sum())
            if nan == values.count(None):
                return values
    return [None if v is None else plain_value(v) for v in values]


def column_refs(letters: str, rows: np.ndarray) -> np.ndarray:
    """Cell references of one column at 1-based ``rows``.

    >>> column_refs("AB", np.array([2, 10])).tolist()
    ['AB2', 'AB10']
    """
    return letters + row_numbers(rows)


def row_numbers(rows: np.ndarray) -> np.ndarray:
    """The texts of 1-based row numbers, made once and shared by every column of a block.

    >>> row_numbers(np.array([2, 10])).tolist()
    ['2', '10']
    """
    out = np.empty(len(rows), dtype=object)
    out[:] = list(map(str, np.asarray(rows, dtype=np.int64).tolist()))
    return out


def style_attrs(styles: np.ndarray, prefix: str = "") -> np.ndarray:
    """``prefix + ' s="N"'`` per cell (no attribute for style 0, as ``cell_xml`` omits it)."""
    styles = np.asarray(styles, dtype=np.int64)
    out = _filled(len(styles), prefix)
    unique = np.unique(styles)
    for style in unique[unique != 0].tolist():  # one step per distinct style, not per cell
        out[styles == style] = f'{prefix} s="{style}"'
    return out


def style_attr(style: int | None) -> str:
    """What follows a cell's reference for one style: the closing quote and ``s="N"``."""
    return f'" s="{style}"' if style else '"'


#: One column of a block to join: its letters, what follows each reference (closing quote
#: and style attribute, one text for the column or one per cell), its encoded values.
JoinColumn = tuple[str, str | np.ndarray, EncodedColumn]


def join_cells(
    numbers: np.ndarray, columns: Sequence[JoinColumn], *, each_cell: bool = False
) -> np.ndarray:
    """The ``<c>`` elements of adjacent columns, joined per row (or, with ``each_cell``,
    per cell, row after row), at the rows whose texts are ``numbers``.

    All the pieces of all cells are laid in one grid, joined once and cut apart again on a
    character XML text never holds, so no string is built per cell.

    >>> numbers = row_numbers(np.array([2, 3]))
    >>> a, b = encode_column([1.0, None]), encode_column(["x", "y"])
    >>> join_cells(numbers, [("A", style_attr(4), a), ("B", style_attr(0), b)]).tolist()[1]
    '<c r="A3" s="4"/><c r="B3" t="inlineStr"><is><t xml:space="preserve">y</t></is></c>'
    """
    n, k = len(numbers), len(columns)
    out = np.empty(n * k if each_cell else n, dtype=object)
    # a few thousand rows at a time: the grid of pieces, its list and the joined text of a
    # million cells would otherwise be held at once (hundreds of megabytes)
    step = max(1, _PIECES_PER_JOIN // max(7 * k, 1))
    for start in range(0, n, step):
        stop = min(n, start + step)
        part = [
            (letters, style if isinstance(style, str) else style[start:stop], encoded.take(slice(start, stop)))
            for letters, style, encoded in columns
        ]
        cells = _join_rows(numbers[start:stop], part, each_cell)
        if each_cell:
            out[start * k : stop * k] = cells
        else:
            out[start:stop] = cells
    return out


#: Pieces of cell text laid in one grid and joined at once by :func:`join_cells`.
_PIECES_PER_JOIN = 1_000_000


def _join_rows(numbers: np.ndarray, columns: Sequence[JoinColumn], each_cell: bool) -> np.ndarray:
    n, k = len(numbers), len(columns)
    width = 7 * k if each_cell else 6 * k + 1  # a cut after each cell, or after each row
    grid = np.empty((n, width), dtype=object)
    for j, column in enumerate(columns):
        at = 6 * j + (j if each_cell else 0)
        _lay_cells(grid, at, numbers, column)
        if each_cell:
            grid[:, at + 6] = _CUT
    if not each_cell:
        grid[:, width - 1] = _CUT
    count = n * k if each_cell else n
    out = np.empty(count, dtype=object)
    if not count:
        return out
    parts = "".join(grid.ravel().tolist()).split(_CUT)
    if len(parts) == count + 1:
        out[:] = parts[:-1]
    else:  # pragma: no cover - a text holding the cut mark: join each piece apart
        cells = grid.reshape(n * k, -1)[:, :6] if each_cell else grid[:, :-1]
        out[:] = ["".join(pieces) for pieces in cells.tolist()]
    return out


def rows_xml(numbers: np.ndarray, columns: Sequence[JoinColumn]) -> str:
    """The ``<row>`` elements of rows holding only the cells of adjacent ``columns``, at
    the rows whose texts are ``numbers``: one text, joined once.

    >>> rows_xml(row_numbers(np.array([2])), [("A", style_attr(0), encode_column([1.0]))])
    '<row r="2"><c r="A2"><v>1</v></c></row>'
    """
    grid = np.empty((len(numbers), 6 * len(columns) + 4), dtype=object)
    grid[:, 0], grid[:, 1], grid[:, 2], grid[:, -1] = '<row r="', numbers, '">', "</row>"
    for j, column in enumerate(columns):
        _lay_cells(grid, 3 + 6 * j, numbers, column)
    return "".join(grid.ravel().tolist())


def _lay_cells(grid: np.ndarray, at: int, numbers: np.ndarray, column: JoinColumn) -> None:
    """Put the six pieces of each cell of ``column`` in ``grid`` from column ``at``."""
    letters, after_ref, encoded = column
    grid[:, at] = '<c r="' + letters
    grid[:, at + 1] = numbers
    grid[:, at + 2] = after_ref
    grid[:, at + 3] = encoded.head
    grid[:, at + 4] = encoded.text
    grid[:, at + 5] = encoded.tail


def assemble(refs: np.ndarray, styles: np.ndarray, encoded: EncodedColumn) -> np.ndarray:
    """The ``<c>`` elements of a column from references, styles and encoded values."""
    out: np.ndarray = (
        '<c r="' + refs + style_attrs(styles, '"') + encoded.head + encoded.text + encoded.tail
    )
    return out


def cells_xml(
    refs: np.ndarray, values: Sequence[Any] | np.ndarray | pd.Series, styles: np.ndarray
) -> np.ndarray:
    """The ``<c>`` element of each cell of a column (no formulas)."""
    return assemble(refs, styles, encode_column(values))




_GET_S = operator.methodcaller("get", "s")
_GET_R = operator.methodcaller("get", "r")
_TAG = operator.attrgetter("tag")

#: ``style_for(old style id or None for a new cell, number format or None, is a date)``.
StyleFor = Callable[[int | None, str | None, bool], int | None]
#: ``fallback(row, {col: value}, {col: style})``: the cell-by-cell writer of one row.
RowFallback = Callable[[int, dict[int, Any], dict[int, int]], None]


@dataclass
class ColumnBlock:
    """Output columns to write into rows of a sheet: 1-based ``rows`` and, per column, its
    1-based number, its values (one per row) and its number format (None: the cell's own)."""

    rows: np.ndarray
    cols: list[int]
    values: list[Sequence[Any]]
    formats: list[str | None]


def _runs(cols: list[int]) -> list[tuple[int, int]]:
    """(start index, length) of the runs of consecutive numbers in sorted ``cols``.

    >>> _runs([3, 4, 5, 9, 10])
    [(0, 3), (3, 2)]
    """
    runs: list[tuple[int, int]] = []
    for i, c in enumerate(cols):
        if runs and cols[runs[-1][0]] + runs[-1][1] == c:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def _dates(column: EncodedColumn, values: Sequence[Any]) -> np.ndarray:
    """Where a column holds a date (the cell-by-cell path checks ``isinstance`` per cell)."""
    if column.kind == "date":
        return ~column.blank
    if column.kind == "cells":
        return np.array([isinstance(plain_value(v), dt.date) for v in values], dtype=bool)
    return np.zeros(len(column.text), dtype=bool)


def _find_cells(row: Any, refs: list[str], cell_tag: str) -> list[Any] | None:
    """The ``<c>`` elements of ``refs`` in a row, or None when one is missing."""
    wanted = set(refs)
    found = {k.get("r"): k for k in row.iterchildren(cell_tag) if k.get("r") in wanted}
    return [found[ref] for ref in refs] if len(found) == len(refs) else None


def _choose_styles(
    olds: np.ndarray,
    written: np.ndarray,
    formats: list[str | None],
    encoded: list[EncodedColumn],
    values: list[Sequence[Any]],
    style_for: StyleFor,
) -> np.ndarray:
    """The style of each cell (rows x columns): one ``style_for`` call per distinct (old
    style, format, date), in the order the cell-by-cell path meets them (row-major)."""
    fmt_ids = {f: k for k, f in enumerate(dict.fromkeys(formats))}
    n_fmt = len(fmt_ids)
    fmt_of = np.array([fmt_ids[f] for f in formats], dtype=np.int64)
    dates = np.stack([_dates(e, v) for e, v in zip(encoded, values, strict=True)], axis=1)
    keys = ((olds + 1) * n_fmt + fmt_of[None, :]) * 2 + dates.astype(np.int64)
    unique, first = np.unique(keys[written], return_index=True)
    if not len(unique):
        return np.zeros(olds.shape, dtype=np.int64)
    by_format = list(fmt_ids)
    chosen = np.zeros(len(unique), dtype=np.int64)
    for pos in np.argsort(first, kind="stable").tolist():
        key = int(unique[pos])
        old = (key // 2) // n_fmt - 1
        style = style_for(None if old < 0 else old, by_format[(key // 2) % n_fmt], bool(key % 2))
        chosen[pos] = style or 0
    return chosen[np.clip(np.searchsorted(unique, keys), 0, len(unique) - 1)]


def _row_cells(
    letters: list[str],
    rows: np.ndarray,
    styles: np.ndarray,
    encoded: list[EncodedColumn],
    runs: list[tuple[int, int]],
) -> list[np.ndarray]:
    """Per run of adjacent columns, the XML of its cells in each row (one text per row)."""
    numbers = row_numbers(rows)
    return [
        join_cells(
            numbers,
            [(letters[j], style_attrs(styles[:, j], '"'), encoded[j]) for j in range(start, start + length)],
        )
        for start, length in runs
    ]


_ROW_TAG = re.compile(r'<row r="(\d+)"[^>]*>')
#: Text up to the next cell: anything but the start of a ``<c>`` element.
_NO_CELL = r"[^<]*+(?:<(?!c[ >])[^<]*+)*+"
#: The rest of a cell after its style: a self-closing tag or content up to ``</c>``.
_CELL_REST = r"[^>]*+(?:(?<=/)>|>[^<]*+(?:<(?!c[ >]|/c>)[^<]*+)*+</c>)"


@functools.lru_cache(maxsize=64)
def _run_pattern(letters: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching the cells of adjacent columns ``letters`` in one row, side by
    side with nothing else between them: group 1 the row, then each cell's style (None
    when it has none).

    >>> body = '<c r="B2" s="3"/><c r="C2" t="s"><v>1</v></c><c r="D2"/>'
    >>> _run_pattern(("B", "C")).search(body).groups(), _run_pattern(("B", "C")).search(body).end()
    (('2', '3', None), 45)
    """
    rows = [r"(\d+)"] + [r"\1"] * (len(letters) - 1)
    style = r'(?:[^>]*? s="(\d+)")?'
    cells = [f'<c r="{a}{row}"{style}' for a, row in zip(letters, rows, strict=True)]
    return re.compile(_NO_CELL.join(cells) + _CELL_REST)


_SPANS = re.compile(r' spans="[^"]*"')


def _match_at(pattern: re.Pattern[str], body: str, at: int, end: int) -> re.Match[str] | None:
    """``pattern`` matched at ``at`` (None when a search found nothing there: ``at`` < 0)."""
    return pattern.match(body, at, end) if at >= 0 else None


def splice_block(body: str, block: ColumnBlock, style_for: StyleFor) -> str | None:
    """``body`` (the text inside ``<sheetData>``) with ``block`` written into it, or None
    (see :func:`splice_pieces`).

    >>> body = '<row r="2" spans="1:2"><c r="A2" s="1"><v>1</v></c><c r="B2" s="3"/></row>'
    >>> block = ColumnBlock(np.array([2]), [2], [["x"]], [None])
    >>> splice_block(body, block, lambda old, fmt, date: old)
    '<row r="2"><c r="A2" s="1"><v>1</v></c><c r="B2" s="3" t="inlineStr"><is><t xml:space="preserve">x</t></is></c></row>'
    """
    pieces = splice_pieces(body, block, style_for)
    return None if pieces is None else "".join(pieces)


def splice_pieces(
    body: str, block: ColumnBlock, style_for: StyleFor, rows_per_piece: int = 5_000
) -> Iterator[str] | None:
    """``body`` (the text inside ``<sheetData>``) with ``block`` written into it, as texts
    of about ``rows_per_piece`` rows to be joined (or deflated) in order, or None
    when the text is not laid out as Excel and the templates write it (every output cell
    present, rows and cells with ``r`` first, no shared formulas): the caller then parses
    the sheet and uses :func:`write_block`.

    Never parsed as a tree: in each row the first output cell of each run of adjacent
    columns is found by a text search and the run matched by one anchored pattern, which
    checks the cells are there side by side and reads their old styles; the new cells,
    built a column at a time, take their place when the text is joined again, a piece at a time.

    The checks and the new cells are done before the pieces are given, so None comes before
    anything is written; the unchanged text between the new cells is cut out of ``body``
    one piece at a time (a sheet of a million cells is never held twice).

    >>> body = '<row r="2"><c r="A2"/></row><row r="3"><c r="A3"/></row>'
    >>> block = ColumnBlock(np.array([2, 3]), [1], [[1.0, 2.0]], [None])
    >>> pieces = list(splice_pieces(body, block, lambda old, fmt, date: old, rows_per_piece=1))
    >>> len(pieces), "".join(pieces)
    (2, '<row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>')
    """
    if 't="shared"' in body:
        return None
    order = [int(k) for k in np.argsort(np.asarray(block.cols), kind="stable")]
    cols = [block.cols[k] for k in order]
    values = [block.values[k] for k in order]
    formats = [block.formats[k] for k in order]
    rows = np.asarray(block.rows, dtype=np.int64)
    n, w = len(rows), len(cols)
    if not n or not w:
        return iter([body])
    from xlcredit.workbook.sheet_xml import col_letters

    letters = [col_letters(c) for c in cols]
    runs = _runs(cols)
    first_row, last_row = int(rows[0]), int(rows[-1])
    if not np.array_equal(rows, np.arange(first_row, last_row + 1)):
        return None
    spans: list[tuple[int, int, int, int]] = []  # per row: tag start, tag end, row end
    for match in _ROW_TAG.finditer(body):
        r = int(match.group(1))
        if r < first_row:
            continue
        if r > last_row:
            break
        if r != first_row + len(spans) or match.group(0).endswith("/>"):
            return None  # a row missing or empty: the tree path creates cells
        spans.append((match.start(), match.end(), body.find("</row>", match.end()), r))
    if len(spans) != n:
        return None
    # each run's cells in every row: its first cell found by a text search from the row's
    # start, then all of them matched by one pattern (which reads their old styles)
    styles_found: list[list[tuple[str | None, ...]]] = []  # per run, per row: the cells' old styles
    cuts: list[list[tuple[int, int]]] = []  # per run, per row: start and end of its cells
    for start, length in runs:
        pattern = _run_pattern(tuple(letters[start : start + length]))
        first = f'<c r="{letters[start]}'
        matches = [
            _match_at(pattern, body, body.find(f'{first}{r}"', tag_end, row_end), row_end)
            for _, tag_end, row_end, r in spans
        ]
        if not all(matches):
            return None
        cuts.append([m.span() for m in matches])  # type: ignore[union-attr]
        styles_found.append([m.groups()[1:] for m in matches])  # type: ignore[union-attr]
    found = np.concatenate([np.array(run, dtype=object).reshape(n, -1) for run in styles_found], axis=1)
    found[found == None] = "0"  # noqa: E711 - elementwise: no style attribute, style 0
    olds = found.astype(np.int64)
    encoded = [encode_column(v) for v in values]
    styles = _choose_styles(olds, np.ones((n, w), dtype=bool), formats, encoded, values, style_for)
    new = _row_cells(letters, rows, styles, encoded, runs)
    # per row: the text before its tag, the tag without spans, then per run the text
    # before the run's cells and the new cells; the text after the last row at the end
    places = np.empty((n, 2 + 2 * len(runs)), dtype=np.int64)  # where each cut starts
    ends = np.empty_like(places)  # and where the text after it resumes
    places[:, 0], ends[:, 0] = [t[0] for t in spans], [t[1] for t in spans]
    for q, run_cuts in enumerate(cuts):
        places[:, 2 + 2 * q], ends[:, 2 + 2 * q] = np.array(run_cuts, dtype=np.int64).T
    keep_from = np.r_[0, ends[:, ::2].ravel()]
    keep_to = np.r_[places[:, ::2].ravel(), len(body)]
    tags = _SPANS.sub("", _CUT.join(body[a:z] for a, z, _, _ in spans)).split(_CUT)
    inserted = np.empty((n, 1 + len(runs)), dtype=object)
    inserted[:, 0] = tags
    for q, run_new in enumerate(new):
        inserted[:, 1 + q] = run_new
    return _spliced(body, keep_from, keep_to, inserted, rows_per_piece)


def _spliced(
    body: str, keep_from: np.ndarray, keep_to: np.ndarray, inserted: np.ndarray, rows_per_piece: int
) -> Iterator[str]:
    """Row by row, the kept text before each inserted text, then the text after the last
    row; joined ``rows_per_piece`` rows at a time."""
    n, per_row = inserted.shape
    for start in range(0, n, rows_per_piece):
        stop = min(start + rows_per_piece, n)
        k0, k1 = start * per_row, stop * per_row + (1 if stop == n else 0)
        kept = [body[a:z] for a, z in zip(keep_from[k0:k1].tolist(), keep_to[k0:k1].tolist(), strict=True)]
        pieces = np.empty(len(kept) + (stop - start) * per_row, dtype=object)
        pieces[0 : 2 * (stop - start) * per_row : 2] = kept[: (stop - start) * per_row]
        pieces[1 : 2 * (stop - start) * per_row : 2] = inserted[start:stop].ravel()
        if stop == n:
            pieces[-1] = kept[-1]
        yield "".join(pieces.tolist())


def write_block(
    sheet: Any, block: ColumnBlock, style_for: StyleFor, fallback: RowFallback
) -> bool:
    """Write ``block`` into an lxml worksheet a row at a time, with no Python step per cell;
    False (nothing written) when the sheet needs the cell-by-cell path (shared formulas).

    Where a row's output cells exist side by side (as the templates and Excel write them),
    the new cells of all such rows are built per column, parsed in one go and put in place
    with one slice assignment per row. Any other row goes through ``fallback`` with the
    styles chosen here. ``style_for`` is called once per distinct (old style, format,
    date) in the order the cell-by-cell path meets them (rows, then columns), so new cell
    formats get the same ids as there.
    """
    from xlcredit.workbook.sheet_xml import col_letters
    from xlcredit.workbook.xlsx_parts import NS, parse_xml

    m = NS["m"]
    cell_tag, row_tag = f"{{{m}}}c", f"{{{m}}}row"
    data = sheet.find(f"{{{m}}}sheetData")
    if data is None or data.find(f".//{{{m}}}f[@t='shared']") is not None:
        return False  # shared formulas: the cell-by-cell path checks each master
    order = [int(k) for k in np.argsort(np.asarray(block.cols), kind="stable")]
    cols = [block.cols[k] for k in order]
    values = [block.values[k] for k in order]
    formats = [block.formats[k] for k in order]
    encoded = [encode_column(v) for v in values]
    rows = np.asarray(block.rows, dtype=np.int64)
    n, w = len(rows), len(cols)
    if not n or not w:
        return True
    existing: dict[int, Any] = {}
    last = 0
    for found in data.iterchildren(row_tag):
        last = int(found.get("r") or last + 1)
        existing[last] = found
    runs = _runs(cols)
    letters = [col_letters(c) for c in cols]
    present = np.stack([~e.blank for e in encoded], axis=1)
    # pass 1: each row's output cells and their old styles
    olds = np.full((n, w), -1, dtype=np.int64)  # -1: no cell yet
    written = np.ones((n, w), dtype=bool)
    found_cells: dict[int, list[Any]] = {}
    slow: list[int] = []
    flat: list[Any] = []
    for i, r in enumerate(rows.tolist()):
        row = existing.get(r)
        if row is None:  # a row the sheet lacks gets only its non-blank values
            written[i] = present[i]
            slow.append(i)
            continue
        refs = [f"{a}{r}" for a in letters]
        cells: list[Any] = []
        for start, length in runs:
            kids = row[cols[start] - 1 : cols[start] - 1 + length]  # where a dense row has them
            want = refs[start : start + length]
            if list(map(_GET_R, kids)) != want or set(map(_TAG, kids)) != {cell_tag}:
                cells = []
                break
            cells.extend(kids)
        if not cells:
            slow.append(i)
            kept = _find_cells(row, refs, cell_tag)
            if kept is not None:
                olds[i] = [int(k.get("s") or 0) for k in kept]
            else:
                for j, ref in enumerate(refs):
                    one = _find_cells(row, [ref], cell_tag)
                    if one is not None:
                        olds[i, j] = int(one[0].get("s") or 0)
            continue
        found_cells[i] = cells
        flat.extend(cells)
    fast = np.array(sorted(found_cells), dtype=np.int64)
    if len(fast):
        olds[fast] = np.array(
            [int(s) if s else 0 for s in map(_GET_S, flat)], dtype=np.int64
        ).reshape(len(fast), w)
    styles = _choose_styles(olds, written, formats, encoded, values, style_for)
    # pass 2: the new cells of the fast rows, parsed at once, put in place row by row
    if len(fast):
        per_run = _row_cells(letters, rows[fast], styles[fast], [e.take(fast) for e in encoded], runs)
        row_xml = per_run[0]
        for more in per_run[1:]:
            row_xml = row_xml + more
        text = f'<x xmlns="{m}"><r>' + "</r><r>".join(row_xml.tolist()) + "</r></x>"
        wrappers = parse_xml(text.encode("utf-8"), "new cells")
        for i, wrapper in zip(fast.tolist(), list(wrappers), strict=True):
            cells = found_cells[i]
            row = cells[0].getparent()
            row.attrib.pop("spans", None)
            new = list(wrapper)
            for start, length in runs:
                at = row.index(cells[start])
                row[at : at + length] = new[start : start + length]
    for i in slow:
        todo = {cols[j]: plain_value(values[j][i]) for j in range(w) if written[i, j]}
        if todo:
            fallback(int(rows[i]), todo, {cols[j]: int(styles[i, j]) for j in range(w)})
    return True
