"""The engine's one failure policy for the values it is given.

The engine takes clean values: numbers (floats, ints, ``Decimal``), dates (``datetime64``,
``date``/``datetime``/``Timestamp`` objects or ISO text ``2026-11-28``), flags (``bool`` or
1/0) and ``None``/NaN for "not known". Reading what people type in cells (``"1,000"``,
``"28.11.2026"``, Excel serial numbers, ``"是"``) is the edge's job
(:mod:`xlcredit.workbook.excel_values`, used by the Excel functions and the file adapter);
the engine never guesses at it.

Two kinds of bad value, two answers:

- **Malformed** (text where a number is required, a number where a date is required, an
  object of the wrong kind): :class:`~xlcredit.engine.errors.InputError`, whose message
  names the argument, the rule and the value, and says where such cells are read.
- **Impossible** for one element (infinity, a negative total assets, a date outside
  Excel's calendar): NaN for that element plus a reason beside it, worked out by the
  function that knows the rule; the other elements are computed as usual.

Which numbers does the engine accept, and what does it say about text?

>>> floats([1, None, 2.5], "amount").tolist()
[1.0, nan, 2.5]
>>> floats("1,000", "total_assets")
Traceback (most recent call last):
...
xlcredit.engine.errors.InputError: total_assets must be a number (blank for unknown); got '1,000' (text). Read cell values with xlcredit.workbook.excel_values.to_numbers first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, describe
from xlcredit.messages import Message

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "day_numbers",
    "flags",
    "floats",
    "in_calendar",
    "same_rows",
]

#: Day numbers (since 1970-01-01) of the first and last day of Excel's calendar,
#: 1900-01-01 and 9999-12-31: a date outside them is out of range.
FIRST_DAY = -25567
LAST_DAY = 2932896

_UNITS_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000,
                  "us": 86_400_000_000, "ns": 86_400_000_000_000}


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return Message("values.kind_text")
    if isinstance(value, (bool, np.bool_)):
        return "TRUE/FALSE"
    return type(value).__name__


def _refuse(name: str, rule: str, value: Any, reader: str) -> InputError:
    """The refusal of a malformed value; ``rule`` is the ``values.rule_<rule>`` text."""
    if isinstance(value, np.generic):
        value = value.item()
    return InputError(Message("values.refuse", {"name": name, "rule": Message(f"values.rule_{rule}"),
                                                "value": describe(value), "kind": _kind(value), "reader": reader}))


def _is_number(value: Any) -> bool:
    return value is None or (
        isinstance(value, (int, float, Decimal, np.integer, np.floating))
        and not isinstance(value, (bool, np.bool_))
    )


def floats(value: Any, name: str) -> npt.NDArray[np.float64]:
    """Numbers as a float array (NaN where blank); anything else raises :class:`InputError`.

    ``None``, NaN and ``pd.NA`` are "not known". Infinity passes through: the caller's
    rule turns it into NaN with a reason.

    >>> floats(np.array([3, 4]), "x").tolist(), float(floats(None, "x"))
    ([3.0, 4.0], nan)
    >>> floats([1.0, True], "defaults_12m")
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.InputError: defaults_12m must be a number (blank for unknown); got True (TRUE/FALSE). Read cell values with xlcredit.workbook.excel_values.to_numbers first.
    """
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_numpy()
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        return value.astype(np.float64, copy=False)
    arr = np.asarray(value, dtype=object)
    flat = arr.ravel()
    kind = pd.api.types.infer_dtype(flat, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "decimal", "empty"):
        numbers = pd.to_numeric(pd.Series(flat, dtype=object), errors="coerce")
        return numbers.to_numpy(dtype=np.float64, na_value=np.nan).reshape(arr.shape)
    bad = next(v for v in flat if not (_is_number(v) or v is pd.NA or v is pd.NaT))
    raise _refuse(name, "number", bad, "to_numbers")


def flags(value: Any, name: str) -> npt.NDArray[np.bool_]:
    """Flags as a bool array: ``True``/``False`` or 1/0; blank is ``False``.

    >>> flags([True, None, 1, 0.0], "disputed").tolist()
    [True, False, True, False]
    >>> flags(["Y"], "disputed")
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.InputError: disputed must be TRUE/FALSE or 1/0 (blank for no); got 'Y' (text). Read cell values with xlcredit.workbook.excel_values.to_flags first.
    """
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_numpy()
    arr = np.asarray(value, dtype=object) if isinstance(value, list) else np.asarray(value)
    if arr.dtype.kind == "b":
        return arr.astype(bool, copy=False)
    codes, uniques = pd.factorize(arr.ravel(), use_na_sentinel=True)
    truth = []
    for u in uniques:  # a handful of distinct values
        if isinstance(u, (bool, np.bool_)):
            truth.append(bool(u))
        elif _is_number(u) and float(u) in (0.0, 1.0):
            truth.append(float(u) == 1.0)
        else:
            raise _refuse(name, "flag", u, "to_flags")
    table = np.array([*truth, False], dtype=bool)  # code -1 (blank) picks the trailing False
    return table[codes].reshape(arr.shape)


def day_numbers(values: Any, name: str = "date") -> npt.NDArray[np.float64]:
    """Dates as float day numbers since 1970-01-01, NaN where blank.

    Accepts ``datetime64`` arrays, ``date``/``datetime``/``Timestamp`` objects and ISO text
    (``2026-11-28``); a number or any other text raises :class:`InputError` (Excel serial
    numbers and local date text are read at the edge). The time of day is dropped.

    >>> day_numbers(pd.to_datetime(["1970-01-02", None])).tolist()
    [1.0, nan]
    >>> day_numbers(["2026-11-28", dt.date(2026, 11, 28)], "due_date").tolist()
    [20785.0, 20785.0]
    >>> day_numbers([46354.0], "due_date")
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.InputError: due_date must be a date (datetime64, a date, or ISO text such as 2026-11-28); got 46354 (float). Read cell values with xlcredit.workbook.excel_values.to_dates first.
    """
    arr = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.DatetimeTZDtype):
        arr = values.dt.tz_localize(None).to_numpy()  # local dates, time zone dropped
    if arr.dtype.kind == "M":
        per_day = _UNITS_PER_DAY.get(np.datetime_data(arr.dtype)[0])
        if per_day is not None:  # integer arithmetic on the stored ticks: fast and exact
            ticks = arr.view(np.int64)
            whole = (ticks // per_day).astype(float)
            whole[ticks == np.iinfo(np.int64).min] = np.nan  # NaT
            return whole
        days = arr.astype("datetime64[D]")
        out = days.astype(np.int64).astype(float)
        out[np.isnat(days)] = np.nan
        return out
    rule = "date"
    if arr.dtype.kind in "fiu":
        if np.isnan(arr.astype(float)).all():  # a column of blanks
            return arr.astype(float)
        raise _refuse(name, rule, arr.ravel()[~np.isnan(arr.astype(float).ravel())][0],
                      "to_dates")
    # objects or text: each distinct value once (a ledger has few distinct dates)
    codes, uniques = pd.factorize(pd.Series(arr.ravel(), dtype=object), use_na_sentinel=True)
    days_of = np.empty(len(uniques) + 1)
    days_of[-1] = np.nan  # code -1 (blank) picks the trailing NaN
    for i, u in enumerate(uniques):  # distinct values only
        days_of[i] = _one_day(u, name, rule)
    return days_of[codes].reshape(arr.shape)


def _one_day(value: Any, name: str, rule: str) -> float:
    if value is pd.NaT or value is None:
        return np.nan
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return float((pd.Timestamp(value).tz_localize(None) if pd.Timestamp(value).tzinfo
                      else pd.Timestamp(value)).normalize().value // 86_400_000_000_000)
    if isinstance(value, dt.date):
        return float(value.toordinal() - 719163)  # date(1970, 1, 1).toordinal()
    if isinstance(value, np.datetime64):
        return float(day_numbers(np.array([value]), name)[0])
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                return float(dt.date.fromisoformat(text).toordinal() - 719163)
            except ValueError:
                pass
    raise _refuse(name, rule, value, "to_dates")


def same_rows(first: npt.NDArray[Any], first_name: str, second: npt.NDArray[Any], second_name: str) -> None:
    """Raise :class:`InputError` unless two columns have the same number of rows.

    >>> same_rows(np.zeros(2), "amounts", np.zeros(3), "due_dates")
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.InputError: amounts has 2 rows but due_dates has 3; give both the same number of rows.
    """
    if first.shape != second.shape:
        raise InputError(Message("values.same_rows", {"first": first_name, "n_first": first.size,
                                                      "second": second_name, "n_second": second.size}))


def in_calendar(days: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """True where a day number is blank or within Excel's calendar (1900-01-01 .. 9999-12-31).

    >>> in_calendar(np.array([0.0, np.nan, -30000.0])).tolist()
    [True, True, False]
    """
    with np.errstate(invalid="ignore"):
        return np.isnan(days) | ((days >= FIRST_DAY) & (days <= LAST_DAY))
