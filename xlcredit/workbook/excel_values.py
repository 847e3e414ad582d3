"""Coercion of raw cell values into engine arrays: the one place that knows what Excel sends.

Shared by the Excel functions (``udfs/``) and the file adapter (``xlcredit.workbook``). What
arrives from a cell (DESIGN.md section 4): floats, ``None`` for blanks and error cells,
``datetime`` for date-formatted cells, serial numbers for other dates, ``decimal.Decimal``
for currency-formatted cells, ``bool`` for TRUE/FALSE, and text typed or pasted by people:
``"1,234.50"``, ``"¥ 12,000"``, ``"15%"``, ``"N/A"``, ``"-"``, ``"2026年11月28日"``, ``"是"``.

Each ``to_*`` function returns a :class:`Parsed`: the values as a numpy array (NaN / NaT
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
import re
import typing
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, describe

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

#: Day 0 of Excel's 1900 date system as pandas counts it (serial 1 = 1900-01-01, with
#: Lotus' phantom 1900-02-29 making every serial from 61 on line up with this epoch).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

_BLANK_TEXT = frozenset(
    {"", "-", "--", "—", "–", "n/a", "na", "#n/a", "none", "null", "nan", "n.a.", "无数据", "不详", "/"}
)
_TRUE_TEXT = frozenset({"true", "t", "y", "yes", "1", "x", "是", "有", "真", "对", "√", "✓"})
_FALSE_TEXT = frozenset({"false", "f", "n", "no", "0", "否", "无", "没有", "假", "错", "×"})
_CURRENCY_MARKS = re.compile(
    r"(?i)(usd|eur|cny|rmb|gbp|jpy|hkd|chf|us\$|hk\$|[$€£¥￥₩₹元])"
)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_EUROPEAN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d{1,2}$")
_CHINESE_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")
_YMD = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:\s.*)?$")
#: Serial numbers accepted as dates: 1900-01-01 .. 2262-04-11, the range numpy's
#: datetime64[ns] holds (Excel itself goes on to 9999-12-31, serial 2958465).
_SERIAL_MIN, _SERIAL_MAX = 1, 132_320


@dataclass(frozen=True)
class Parsed:
    """Values of one field and, element by element, what was wrong with the input."""

    values: npt.NDArray[Any]
    problems: npt.NDArray[np.object_]

    @property
    def ok(self) -> bool:
        """True when no element had a problem."""
        return not any(p is not None for p in self.problems)

    def first_problem(self) -> str | None:
        """The first problem message, or None."""
        for p in self.problems:
            if p is not None:
                return str(p)
        return None


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
        return _normalise_text(value).lower() in _BLANK_TEXT
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
            raise InputError(
                f"{name} must be one column or one row of cells; got {len(rows)} rows x "
                f"{max(widths)} columns. Select a single column."
            )
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
            raise InputError(
                f"{first} has {length} rows but {name} has {n}; give every range the same "
                f"number of rows (or a single cell)"
            )
    return length


def _normalise_text(text: str) -> str:
    # NFKC turns full-width digits and punctuation (１２,３４５．５) into ASCII ones.
    return unicodedata.normalize("NFKC", text).replace("\u00a0", " ").strip()


def _parse_number_text(text: str) -> float | None:
    """Parse a number typed as text; None when it is not one."""
    s = _normalise_text(text)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    scale = 1.0
    if s.endswith("万"):
        scale, s = 1e4, s[:-1].strip()
    elif s.endswith("亿"):
        scale, s = 1e8, s[:-1].strip()
    s = _CURRENCY_MARKS.sub("", s).strip()
    if s.endswith("-") and s[:-1].replace(",", "").replace(".", "").isdigit():
        negative, s = True, s[:-1]  # SAP-style trailing minus: 1,234.00-
    s = s.replace(" ", "").replace("'", "").replace("_", "")
    if _EUROPEAN.match(s) and not re.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", s):
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        return None
    number = float(s) * scale
    if percent:
        number /= 100.0
    return -number if negative else number


def _flatten(values: Any, name: str) -> list[Any]:
    return _as_column(values, name)  # an empty list stays empty here: a table with no rows


def to_numbers(
    values: Any,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    allow_bool: bool = False,
) -> Parsed:
    """Coerce cells to float: numbers, Decimal, numeric text; blanks become NaN.

    Values outside ``[minimum, maximum]`` become NaN with a problem naming the rule.

    >>> to_numbers([Decimal("12.5"), "(1,000)", "1.234,5", "１２"], "x").values.tolist()
    [12.5, -1000.0, 1234.5, 12.0]
    >>> to_numbers([-3.0], "grace_days", minimum=0).problems.tolist()
    ['grace_days must be >= 0; got -3']
    >>> to_numbers([True], "revenue").problems.tolist()
    ['revenue: TRUE is not a number']
    """
    flat = _flatten(values, name)
    out = np.full(len(flat), np.nan)
    problems = np.full(len(flat), None, dtype=object)
    fast = all(type(v) in (float, int) or v is None for v in flat)
    if fast:
        out = np.array(flat, dtype=float)
    else:
        for i, v in enumerate(flat):  # per cell: Python objects of mixed kinds
            if v is None or (isinstance(v, (float, int, Decimal, np.floating, np.integer)) and not isinstance(v, bool)):
                out[i] = np.nan if v is None else float(v)
            elif isinstance(v, (bool, np.bool_)):
                if allow_bool:
                    out[i] = 1.0 if v else 0.0
                else:
                    problems[i] = f"{name}: {'TRUE' if v else 'FALSE'} is not a number"
            elif isinstance(v, str):
                if is_blank(v):
                    continue
                number = _parse_number_text(v)
                if number is None:
                    problems[i] = f"{name}: {describe(v)} is not a number"
                else:
                    out[i] = number
            elif isinstance(v, (dt.date, dt.datetime, pd.Timestamp)):
                problems[i] = f"{name}: {v:%Y-%m-%d} is a date, not a number"
            else:
                problems[i] = f"{name}: {describe(v)} is not a number"
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(out)
    if infinite.any():
        for j in np.flatnonzero(infinite):
            problems[j] = f"{name}: {out[j]} is not a finite number"
        out[infinite] = np.nan
    if minimum is not None:
        _flag_outside(out, problems, out < minimum, f"{name} must be >= {minimum:g}")
    if maximum is not None:
        _flag_outside(out, problems, out > maximum, f"{name} must be <= {maximum:g}")
    return Parsed(out, problems)


def _flag_outside(
    out: npt.NDArray[np.float64], problems: npt.NDArray[np.object_], mask: npt.NDArray[np.bool_], rule: str
) -> None:
    for i in np.flatnonzero(mask):
        problems[i] = f"{rule}; got {out[i]:g}"
    out[mask] = np.nan


def to_flags(values: Any, name: str) -> Parsed:
    """Coerce yes/no cells to 1.0 / 0.0 (NaN when blank): TRUE/FALSE, Y/N, yes/no, 是/否, 1/0.

    >>> to_flags([True, "N", "是", "否", None, 1.0, "maybe"], "negative_news").values.tolist()
    [1.0, 0.0, 1.0, 0.0, nan, 1.0, nan]
    """
    flat = _flatten(values, name)
    out = np.full(len(flat), np.nan)
    problems = np.full(len(flat), None, dtype=object)
    for i, v in enumerate(flat):
        if isinstance(v, (bool, np.bool_)):
            out[i] = 1.0 if v else 0.0
        elif isinstance(v, (int, float, Decimal)) and not (isinstance(v, float) and v != v):
            if float(v) in (0.0, 1.0):
                out[i] = float(v)
            else:
                problems[i] = f"{name} must be TRUE/FALSE, Y/N or 是/否; got {describe(v)}"
        elif isinstance(v, str) and not is_blank(v):
            key = _normalise_text(v).lower()
            if key in _TRUE_TEXT:
                out[i] = 1.0
            elif key in _FALSE_TEXT:
                out[i] = 0.0
            else:
                problems[i] = f"{name} must be TRUE/FALSE, Y/N or 是/否; got {describe(v)}"
    return Parsed(out, problems)


def _parse_date_text(text: str, dayfirst: bool) -> pd.Timestamp | None:
    s = _normalise_text(text)
    m = _CHINESE_DATE.match(s) or _YMD.match(s)
    try:
        if m:
            return pd.Timestamp(int(m[1]), int(m[2]), int(m[3]))
        m = _DMY.match(s)
        if m:
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a > 12:  # only one reading is a real date
                day, month = a, b
            elif b > 12:
                day, month = b, a
            else:
                day, month = (a, b) if dayfirst else (b, a)
            return pd.Timestamp(year, month, day)
        if re.search(r"[A-Za-z]", s):  # 28-Nov-2026, Nov 28, 2026
            stamp = pd.to_datetime(s, errors="coerce", dayfirst=dayfirst, format="mixed")
            return None if pd.isna(stamp) else typing.cast(pd.Timestamp, stamp)
    except (ValueError, OverflowError):
        return None
    return None


def to_dates(values: Any, name: str, *, dayfirst: bool = True) -> Parsed:
    """Coerce cells to dates (``datetime64[ns]``, NaT when blank).

    Accepts datetime and date objects, Excel serial numbers (1900 system), ISO and Chinese
    text (2026-11-28, 2026/11/28, 2026年11月28日) and day-first text (28.11.2026,
    28/11/2026; ``dayfirst=False`` reads 11/28/2026 the US way; a day over 12 settles it).

    >>> p = to_dates([46354.0, "2026年11月28日", "28.11.2026", dt.date(2026, 11, 28), None], "due_date")
    >>> [str(d)[:10] for d in p.values]
    ['2026-11-28', '2026-11-28', '2026-11-28', '2026-11-28', 'NaT']
    >>> to_dates(["soon"], "due_date").problems.tolist()
    ["due_date: 'soon' is not a date (use 2026-11-28, 28/11/2026 or 2026年11月28日)"]
    """
    flat = _flatten(values, name)
    out = np.full(len(flat), np.datetime64("NaT"), dtype="datetime64[ns]")
    problems = np.full(len(flat), None, dtype=object)
    for i, v in enumerate(flat):
        if v is None or is_blank(v):
            continue
        if isinstance(v, (bool, np.bool_)):
            problems[i] = f"{name}: {'TRUE' if v else 'FALSE'} is not a date"
        elif isinstance(v, (dt.datetime, dt.date, pd.Timestamp, np.datetime64)):
            try:
                out[i] = pd.Timestamp(v).normalize().as_unit("ns").to_datetime64()
            except (OverflowError, ValueError):  # pandas' OutOfBoundsDatetime is a ValueError
                problems[i] = f"{name}: {v} is outside the dates xlcredit handles (1900 .. 2262)"
        elif isinstance(v, (int, float, Decimal, np.integer, np.floating)):
            serial = float(v)
            if _SERIAL_MIN <= serial <= _SERIAL_MAX:
                stamp = EXCEL_EPOCH + pd.Timedelta(days=int(serial))
                if serial < 61:  # before Lotus' phantom 1900-02-29 serials are one day later
                    stamp += pd.Timedelta(days=1)
                out[i] = stamp.to_datetime64()
            else:
                problems[i] = (
                    f"{name}: {serial:.10g} is not a date serial number from 1 (1900-01-01) to "
                    f"{_SERIAL_MAX} (2262-04-11)"
                )
        elif isinstance(v, str):
            parsed = _parse_date_text(v, dayfirst)
            if parsed is None:
                problems[i] = (
                    f"{name}: {describe(v)} is not a date (use 2026-11-28, 28/11/2026 or "
                    f"2026年11月28日)"
                )
            elif not pd.Timestamp.min < parsed < pd.Timestamp.max:
                problems[i] = f"{name}: {describe(v)} is outside the dates xlcredit handles (1900 .. 2262)"
            else:
                out[i] = parsed.as_unit("ns").to_datetime64()
        else:
            problems[i] = f"{name}: {describe(v)} is not a date"
    return Parsed(out, problems)


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
        if isinstance(v, (float, Decimal, np.floating)) and float(v).is_integer():
            out[i] = str(int(v))
        elif isinstance(v, (dt.datetime, pd.Timestamp)):
            out[i] = f"{v:%Y-%m-%d}"
        else:
            text = str(v).strip()
            out[i] = text or None
    return Parsed(out, problems)


