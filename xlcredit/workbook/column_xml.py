"""Cell XML of whole columns at once: the fast path of :func:`~.sheet_xml.cell_xml`.

A column of values is classified once (``pandas.api.types.infer_dtype``) and encoded with
array operations: numbers through ``repr``/``str`` mapped in C, text escaped on one joined
string, dates as serial numbers computed in numpy, the ``<c>`` elements assembled by adding
object arrays. No Python function runs per cell. A column this module cannot encode exactly
(mixed types, Decimal, time zones, ``pd.NA``...) is encoded cell by cell with
:func:`~.sheet_xml.cell_value`, so the output is always the one ``cell_xml`` writes:

>>> import numpy as np
>>> refs = np.array(["A2", "A3", "A4"], dtype=object)
>>> cells_xml(refs, [1.5, None, "a<b"], np.array([4, 0, 0])).tolist()
['<c r="A2" s="4"><v>1.5</v></c>', '<c r="A3"/>', '<c r="A4" t="inlineStr"><is><t xml:space="preserve">a&lt;b</t></is></c>']

Text is written as inline strings, as :mod:`~.sheet_xml` does (see that module for why).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from xlcredit.workbook.sheet_xml import _ILLEGAL, MAX_TEXT, cell_value, clean_text

__all__ = ["EncodedColumn", "cells_xml", "column_refs", "encode_column"]

_NUMBER_KINDS = ("floating", "integer", "mixed-integer-float")
_DATE_KINDS = ("datetime", "date", "datetime64")
_EPOCH_US = np.datetime64("1899-12-30T00:00:00", "us").astype(np.int64)
_US_PER_DAY = 86_400_000_000
_IS_OPEN = '<is><t xml:space="preserve">'
_IS_CLOSE = "</t></is>"


@dataclass
class EncodedColumn:
    """A column of values as cell XML pieces, one entry per cell.

    ``type_attr`` holds ``' t="..."'`` or ``""``; ``inner`` the children of ``<c>`` (``""``
    for a blank cell); ``kind`` the inferred kind (``"floating"``, ``"string"``, ``"date"``,
    ``"boolean"``, ``"empty"``, or ``"cells"`` when encoded cell by cell); ``numbers`` the
    values as floats (NaN where not a number) for number columns, else None.
    """

    type_attr: np.ndarray
    inner: np.ndarray
    kind: str
    numbers: np.ndarray | None = None

    @property
    def blank(self) -> np.ndarray:
        """Where the cell holds no value."""
        return self.inner == ""


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
    """The exact encoding of any column, one :func:`cell_value` call per cell (the slow path
    for columns the vectorised path does not cover)."""
    from xml.sax.saxutils import escape

    n = len(values)
    type_attr, inner = _filled(n, ""), _filled(n, "")
    for i, value in enumerate(values.tolist()):
        kind, text = cell_value(value)
        if kind:
            type_attr[i] = f' t="{kind}"'
        if text is None:
            continue
        if kind == "inlineStr":
            inner[i] = f"{_IS_OPEN}{escape(text, {chr(13): '&#13;'})}{_IS_CLOSE}"
        else:
            inner[i] = f"<v>{escape(text)}</v>"
    return EncodedColumn(type_attr, inner, "cells")


def _number_texts(numbers: np.ndarray) -> np.ndarray:
    """``<v>`` text of finite floats as :func:`cell_value` writes it: whole numbers below
    1e15 as integers, the rest as ``repr`` (the shortest text that reads back the same)."""
    out = np.empty(len(numbers), dtype=object)
    whole = (numbers == np.floor(numbers)) & (np.abs(numbers) < 1e15)
    if whole.any():
        out[whole] = list(map(str, numbers[whole].astype(np.int64).tolist()))
    if (~whole).any():
        out[~whole] = list(map(repr, numbers[~whole].tolist()))
    return out


def _encode_numbers(numbers: np.ndarray) -> EncodedColumn:
    n = len(numbers)
    type_attr, inner = _filled(n, ""), _filled(n, "")
    finite = np.isfinite(numbers)
    infinite = np.isinf(numbers)
    if finite.any():
        inner[finite] = "<v>" + _number_texts(numbers[finite]) + "</v>"
    if infinite.any():
        type_attr[infinite] = ' t="e"'
        inner[infinite] = "<v>#NUM!</v>"
    return EncodedColumn(type_attr, inner, "floating", numbers)


def _encode_text(values: np.ndarray, present: np.ndarray) -> EncodedColumn:
    n = len(values)
    type_attr, inner = _filled(n, ""), _filled(n, "")
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
        escaped = np.empty(len(texts), dtype=object)
        escaped[:] = big.split("\x00")
        type_attr[present] = ' t="inlineStr"'
        inner[present] = _IS_OPEN + escaped + _IS_CLOSE
    return EncodedColumn(type_attr, inner, "string")


def _encode_dates(values: np.ndarray, present: np.ndarray, kind: str) -> EncodedColumn | None:
    found = values[present]
    if kind == "datetime" and any(map(operator.attrgetter("tzinfo"), found.tolist())):
        return None  # aware datetimes keep their wall time: the per-cell path does that
    try:
        micros = found.astype("datetime64[us]").astype(np.int64)
    except (ValueError, TypeError, OverflowError):
        return None
    delta = micros - _EPOCH_US
    days = delta // _US_PER_DAY
    rest = delta - days * _US_PER_DAY
    seconds = rest // 1_000_000
    micro = rest - seconds * 1_000_000
    # the same float operations, in the same order, as sheet_xml.excel_serial
    serial = days.astype(np.float64) + seconds / 86400 + micro / 86_400_000_000
    n = len(values)
    type_attr, inner = _filled(n, ""), _filled(n, "")
    inner[present] = "<v>" + np.array(list(map(repr, serial.tolist())), dtype=object) + "</v>"
    return EncodedColumn(type_attr, inner, "date")


def _missing(values: np.ndarray) -> np.ndarray | None:
    """Blank cells (None, NaN, NaT), or None when pd.NA is present (written as text)."""
    missing = np.asarray(pd.isna(values), dtype=bool)
    if missing.any() and id(pd.NA) in set(map(id, values[missing].tolist())):
        return None
    return missing


def encode_column(values: Sequence[Any] | np.ndarray | pd.Series) -> EncodedColumn:
    """Encode a column of cell values (what :func:`~.sheet_xml.cell_value` gives per cell).

    >>> col = encode_column([3.0, 0.1, None, float("inf")])
    >>> col.inner.tolist(), col.type_attr.tolist()
    (['<v>3</v>', '<v>0.1</v>', '', '<v>#NUM!</v>'], ['', '', '', ' t="e"'])
    >>> import datetime as dt
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
        return EncodedColumn(_filled(n, ""), _filled(n, ""), "empty", np.full(n, np.nan))
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
        type_attr, inner = _filled(n, ""), _filled(n, "")
        flags = objects[present].astype(bool)
        type_attr[present] = ' t="b"'
        inner[present] = np.where(flags, "<v>1</v>", "<v>0</v>").astype(object)
        return EncodedColumn(type_attr, inner, "boolean")
    if kind in _DATE_KINDS:
        encoded = _encode_dates(objects, present, kind)
        if encoded is not None:
            return encoded
    return _per_cell(objects)


def column_refs(letters: str, rows: np.ndarray) -> np.ndarray:
    """Cell references of one column at 1-based ``rows``.

    >>> column_refs("AB", np.array([2, 10])).tolist()
    ['AB2', 'AB10']
    """
    out = np.empty(len(rows), dtype=object)
    out[:] = list(map(str, np.asarray(rows, dtype=np.int64).tolist()))
    return letters + out


def style_attrs(styles: np.ndarray) -> np.ndarray:
    """``' s="N"'`` per cell (``""`` for style 0, as ``cell_xml`` omits it)."""
    styles = np.asarray(styles, dtype=np.int64)
    out = _filled(len(styles), "")
    unique = np.unique(styles)
    for style in unique[unique != 0].tolist():  # one step per distinct style, not per cell
        out[styles == style] = f' s="{style}"'
    return out


def assemble(refs: np.ndarray, styles: np.ndarray, encoded: EncodedColumn) -> np.ndarray:
    """The ``<c>`` elements of a column from references, styles and encoded values."""
    head = '<c r="' + refs + '"' + style_attrs(styles) + encoded.type_attr
    blank = encoded.blank
    out = np.empty(len(refs), dtype=object)
    if blank.any():
        out[blank] = head[blank] + "/>"
    full = ~blank
    if full.any():
        out[full] = head[full] + ">" + encoded.inner[full] + "</c>"
    return out


def cells_xml(
    refs: np.ndarray, values: Sequence[Any] | np.ndarray | pd.Series, styles: np.ndarray
) -> np.ndarray:
    """The ``<c>`` element of each cell of a column (no formulas)."""
    return assemble(refs, styles, encode_column(values))

