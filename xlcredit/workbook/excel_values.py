"""Coercion of raw cell values into engine arrays: the one place that knows what Excel sends.

Shared by the Excel functions (``udfs/``) and the file adapter (``xlcredit.workbook``). What
arrives from a cell (DESIGN.md section 4): floats, ``None`` for blanks and error cells,
``datetime`` for date-formatted cells, serial numbers for other dates, ``decimal.Decimal``
for currency-formatted cells, ``bool`` for TRUE/FALSE, and text typed or pasted by people:
``"1,234.50"``, ``"¥ 12,000"``, ``"15%"``, ``"N/A"``, ``"-"``, ``"2026年11月28日"``, ``"是"``.

The rules for numbers and dates live in :mod:`xlcredit.workbook.reading` (shared with
refresh); this module keeps what only the Excel functions need. Each ``to_*`` function
returns a :class:`Parsed`: the values as a numpy array (NaN / NaT
where unknown) and, aligned with them, a problem message or ``None`` per element. A blank is
unknown, never zero, and never a problem. A problem message names the field, the rule and
the value, e.g. ``"total_assets: 'abc' is not a number"``.

>>> p = to_numbers(["1,200", None, "¥3,000.50", "15%", "abc"], "amount")
>>> p.values.tolist()
[1200.0, nan, 3000.5, 0.15, nan]
>>> p.problems.tolist()
[None, None, None, None, "amount: 'abc' is not a number"]
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.errors import InputError, describe
from xlcredit.messages import Message
from xlcredit.workbook.reading import (
    DEFAULT_RULES,
    EXCEL_EPOCH,
    NumberRead,
    Parsed,
    ReadingRules,
    is_blank_text,
    is_marker,
    normalise_text,
    read_dates,
    read_numbers,
)
from xlcredit.workbook.reading import (
    _marker_problem as _marker_message,
)

__all__ = [
    "EXCEL_EPOCH",
    "Parsed",
    "as_column",
    "broadcast",
    "cell_error",
    "excel_error",
    "is_blank",
    "to_dates",
    "to_flags",
    "to_numbers",
    "to_text",
]

_TRUE_TEXT = frozenset({"true", "t", "y", "yes", "1", "x", "是", "有", "真", "对", "√", "✓"})
_FALSE_TEXT = frozenset({"false", "f", "n", "no", "0", "否", "无", "没有", "假", "错", "×"})


def excel_error(message: str, kind: str = "#VALUE!") -> str:
    """Format a readable error for a cell: Excel shows it as text, so say what to fix.

    >>> excel_error("total_assets must be > 0; got -5")
    '#VALUE! total_assets must be > 0; got -5'
    """
    return f"{kind} {message}"


#: Excel's cell error values (XlCVError) and their texts:
#: https://learn.microsoft.com/en-us/office/vba/excel/concepts/cells-and-ranges/cell-error-values
_CELL_ERRORS = {
    2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?",
    2036: "#NUM!", 2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!", 2046: "#CONNECT!",
    2047: "#BLOCKED!", 2048: "#UNKNOWN!", 2049: "#FIELD!", 2050: "#CALC!",
}  # fmt: skip
#: COM hands an error cell over as the HRESULT 0x800A0000 + the XlCVError value (xlwings
#: turns the first seven into text with ``err_to_str=True``; the newer ones stay numbers).
_HRESULT_BASE = -2146828288
_ERROR_TEXTS = frozenset(_CELL_ERRORS.values())


def cell_error(value: Any) -> str | None:
    """The Excel error an argument value stands for (``"#N/A"``), else None.

    An error cell reaches a function as its text (xlwings' ``err_to_str`` option) or, for
    the error kinds xlwings does not name, as its COM error code.

    >>> cell_error("#N/A"), cell_error(-2146826246), cell_error(-2146826243)
    ('#N/A', '#N/A', '#SPILL!')
    >>> cell_error("#N/A not enough data"), cell_error(0.0), cell_error(None)
    (None, None, None)
    """
    if isinstance(value, str):
        return value if value in _ERROR_TEXTS else None
    if isinstance(value, int) and not isinstance(value, bool):
        return _CELL_ERRORS.get(value - _HRESULT_BASE)
    return None


def is_blank(value: Any) -> bool:
    """True for what a user means as "not known": None, NaN, empty or placeholder text.

    >>> [is_blank(v) for v in (None, float("nan"), "", " N/A ", "-", 0, "0")]
    [True, True, True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    if isinstance(value, str):
        return is_blank_text(value)
    return value is pd.NaT


def as_column(value: Any, name: str = "value") -> list[Any]:
    """Flatten what a UDF receives (a cell, a row, a column, a list of lists) to one list.

    A range of several rows and several columns is an error: each argument is one field.

    >>> as_column(5.0)
    [5.0]
    >>> as_column([[1.0], [2.0], [None]])
    [1.0, 2.0, None]
    >>> as_column([[1.0, 2.0]])
    [1.0, 2.0]

    An empty array (no cell at all) is taken as one blank cell, as Excel passes an empty range:

    >>> as_column([]), as_column([[]])
    ([None], [None])
    """
    return _as_column(value, name) or [None]


def _as_column(value: Any, name: str) -> list[Any]:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, pd.Series):
        return list(value.tolist())
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list):
        return [value]
    if value and all(isinstance(row, (list, tuple)) for row in value):
        rows = [list(row) or [None] for row in value]  # an empty array: one blank cell
        widths = {len(row) for row in rows}
        if len(rows) > 1 and widths != {1}:
            raise InputError(Message("reading.not_one_column", {"name": name, "rows": len(rows),
                                                                "columns": max(widths)}))
        return [cell for row in rows for cell in row]
    return list(value)


def broadcast(columns: dict[str, list[Any]]) -> int:
    """Check that every argument has one value or the same number of rows; return that number.

    >>> broadcast({"a": [1, 2, 3], "b": [0], "c": [4, 5, 6]})
    3
    >>> broadcast({"a": [1, 2], "b": [1, 2, 3]})
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.InputError: a has 2 rows but b has 3; give every range the same number of rows (or a single cell)
    """
    length = 1
    first = ""
    for name, values in columns.items():
        n = len(values)
        if n == 1:
            continue
        if length == 1:
            length, first = n, name
        elif n != length:
            raise InputError(Message("reading.lengths_differ", {"first": first, "length": length,
                                                                "name": name, "n": n}))
    return length


def _flatten(values: Any, name: str) -> list[Any]:
    return _as_column(values, name)  # an empty list stays empty here: a table with no rows


def to_numbers(
    values: Any,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    allow_bool: bool = False,
    rules: ReadingRules = DEFAULT_RULES,
) -> NumberRead:
    """Coerce cells to float: numbers, Decimal, numeric text; blanks become NaN.

    Text is read by :func:`xlcredit.workbook.reading.read_numbers` (the rules refresh uses;
    the argument's own values decide its decimal separator). Values outside
    ``[minimum, maximum]`` become NaN with a problem naming the rule.

    >>> to_numbers([Decimal("12.5"), "(1,000.00)", "１２"], "x").values.tolist()
    [12.5, -1000.0, 12.0]

    One column never mixes separators: with "1.234,5" beside it, "1,000" is one.

    >>> to_numbers(["1.234,5", "1,000"], "x").values.tolist()
    [1234.5, 1.0]
    >>> to_numbers([-3.0], "grace_days", minimum=0).problems.tolist()
    ['grace_days must be >= 0; got -3']
    >>> to_numbers([True], "revenue").problems.tolist()
    ['revenue: TRUE is not a number']
    """
    return read_numbers(
        _flatten(values, name), name, rules, minimum=minimum, maximum=maximum, allow_bool=allow_bool
    )


def to_flags(values: Any, name: str) -> Parsed:
    """Coerce yes/no cells to 1.0 / 0.0 (NaN when blank): TRUE/FALSE, Y/N, yes/no, 是/否, 1/0.

    >>> to_flags([True, "N", "是", "否", None, 1.0, "maybe"], "negative_news").values.tolist()
    [1.0, 0.0, 1.0, 0.0, nan, 1.0, nan]
    """
    flat = _flatten(values, name)
    out = np.full(len(flat), np.nan)
    problems = np.full(len(flat), None, dtype=object)
    for i, v in enumerate(flat):
        if is_marker(v):
            problems[i] = _marker_message(name, v)
        elif isinstance(v, (bool, np.bool_)):
            out[i] = 1.0 if v else 0.0
        elif isinstance(v, (int, float, Decimal)) and not (isinstance(v, float) and v != v):
            if float(v) in (0.0, 1.0):
                out[i] = float(v)
            else:
                problems[i] = Message("reading.not_flag", {"name": name, "value": describe(v)})
        elif isinstance(v, str) and not is_blank(v):
            key = normalise_text(v).lower()
            if key in _TRUE_TEXT:
                out[i] = 1.0
            elif key in _FALSE_TEXT:
                out[i] = 0.0
            else:
                problems[i] = Message("reading.not_flag", {"name": name, "value": describe(v)})
    return Parsed(out, problems)


def to_dates(values: Any, name: str, *, rules: ReadingRules = DEFAULT_RULES) -> Parsed:
    """Coerce cells to dates (``datetime64[ns]``, NaT when blank).

    Accepts datetime and date objects, Excel serial numbers (1900 system unless ``rules``
    say 1904), ISO and Chinese text (2026-11-28, 2026/11/28, 2026年11月28日) and day/month
    text in the order its own values show (28/11/2026 or 11/28/2026; see
    :func:`xlcredit.workbook.reading.read_dates`).

    >>> p = to_dates([46354.0, "2026年11月28日", "28.11.2026", dt.date(2026, 11, 28), None], "due_date")
    >>> [str(d)[:10] for d in p.values]
    ['2026-11-28', '2026-11-28', '2026-11-28', '2026-11-28', 'NaT']
    >>> to_dates(["soon"], "due_date").problems.tolist()
    ["due_date: 'soon' is not a date (use 2026-11-28, 28/11/2026 or 2026年11月28日)"]
    """
    return read_dates(_flatten(values, name), name, rules)


def to_text(values: Any, name: str) -> Parsed:
    """Coerce cells to stripped text (None when blank); whole numbers lose their ``.0``.

    Identifiers such as invoice numbers arrive as floats when typed as numbers.

    >>> to_text([1001.0, " ACME ", None, 12.5], "invoice_no").values.tolist()
    ['1001', 'ACME', None, '12.5']
    """
    flat = _flatten(values, name)
    out = np.full(len(flat), None, dtype=object)
    problems = np.full(len(flat), None, dtype=object)
    for i, v in enumerate(flat):
        if v is None or (isinstance(v, float) and v != v):
            continue
        if is_marker(v):
            problems[i] = _marker_message(name, v)
        elif isinstance(v, (float, Decimal, np.floating)) and float(v).is_integer():
            out[i] = str(int(v))
        elif isinstance(v, (dt.datetime, pd.Timestamp)):
            out[i] = f"{v:%Y-%m-%d}"
        else:
            text = str(v).strip()
            out[i] = text or None
    return Parsed(out, problems)


