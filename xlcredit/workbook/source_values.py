"""The import's settings onto the reading rules: an ERP export's numbers and dates are read by
:mod:`xlcredit.workbook.reading` (one answer per fact), decided once per file.

``decimal`` is ``"point"`` or ``"comma"``, ``date_order`` is ``"DMY"``, ``"MDY"`` or ``"YMD"``
(``--decimal``, ``--date-order``, the profile or the Import sheet); ``None`` means "decide from
the values": :func:`decide_decimal` and :func:`decide_date_order` look at every value of the
file's money (or date) columns and decide only from values that can be read one way (the
reading rules' :func:`~xlcredit.workbook.reading.decimal_decision`). An explicit setting is
checked against each value, a contradiction listed; a value that could be read two ways
under an undecided setting is a problem naming the option to set, and is left unknown.

>>> decide_decimal(["1.234,50", "12,00", "7"])
('comma', "'1.234,50'")
>>> read_numbers(["1.234,50", "(12,00)", "7,5-", "", "abc"], "amount", decimal="comma").values.tolist()
[1234.5, -12.0, -7.5, nan, nan]
>>> read_numbers(["1.234"], "amount", decimal=None).problems.tolist()
["amount: '1.234' could be 1234 or 1.234 (no value in the file shows its decimal separator); set the decimal separator (--decimal point or --decimal comma)"]
>>> decide_date_order(["03/04/2026", "28/11/2026"])
('DMY', "'28/11/2026'")
>>> [str(d)[:10] for d in read_dates(["03/04/2026", "2026年11月28日", "00.00.0000"], "due_date",
...                                   date_order="DMY").values]
['2026-04-03', '2026-11-28', 'NaT']
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from xlcredit.workbook.reading import (
    NumberRead,
    Parsed,
    ReadingRules,
    currency_sign_problems,
    date_order_decision,
    decimal_decision,
    read_date_text,
)
from xlcredit.workbook.reading import read_dates as _read_dates
from xlcredit.workbook.reading import read_numbers as _read_numbers

__all__ = [
    "DATE_ORDERS",
    "DECIMALS",
    "DateOrder",
    "DecimalSeparator",
    "decide_date_order",
    "decide_decimal",
    "parse_date_text",
    "read_dates",
    "read_numbers",
    "sign_problems",
]

DateOrder = Literal["DMY", "MDY", "YMD"]
DecimalSeparator = Literal["point", "comma"]
DATE_ORDERS: tuple[str, ...] = ("DMY", "MDY", "YMD")
DECIMALS: tuple[str, ...] = ("point", "comma")


def _rules(decimal: str | None = None, date_order: str | None = None) -> ReadingRules:
    """The reading rules of an import: its settings, its messages naming the CLI options."""
    return ReadingRules(decimal=decimal or "auto", date_order=date_order or "auto", settings="cli")


def decide_decimal(values: list[Any]) -> tuple[DecimalSeparator | None, str | None]:
    """The decimal separator the text numbers of a file use, and the first value that shows
    it; ``(None, None)`` when no value decides (or values disagree: then each ambiguous
    value is listed by :func:`read_numbers`).

    >>> decide_decimal(["1,234.50", "99"]), decide_decimal(["1,234", "5"])
    (('point', "'1,234.50'"), (None, None))
    """
    setting, shown = decimal_decision([values])
    return (None, None) if setting == "auto" else (setting, shown)  # type: ignore[return-value]


def decide_date_order(values: list[Any]) -> tuple[DateOrder | None, str | None]:
    """The order of the text dates of a file (day first or month first), and the first value
    that shows it; ``(None, None)`` when every such date could be read both ways or values
    disagree. ISO and Chinese dates need no decision.

    >>> decide_date_order(["11/28/2026", "01/02/2026"]), decide_date_order(["01/02/2026"])
    (('MDY', "'11/28/2026'"), (None, None))
    """
    order, shown = date_order_decision([values])
    return (None, None) if order == "auto" else (order, shown)  # type: ignore[return-value]


def parse_date_text(text: str, order: DateOrder | None) -> pd.Timestamp | None:
    """One text date (a report title's "As at 30 November 2026"), or None.

    >>> parse_date_text("30 November 2026", None), parse_date_text("03/04/2026", None)
    (Timestamp('2026-11-30 00:00:00'), None)
    """
    return read_date_text(text, _rules(date_order=order))


def read_numbers(values: list[Any], field: str, *, decimal: DecimalSeparator | None,
                 file_decimal: str | None = None) -> NumberRead:
    """Numbers of one export column: ``decimal`` is the explicit setting (checked against
    each value), ``file_decimal`` what the file's values decided (used where the column
    shows nothing).

    >>> read_numbers(["1,234", 5.0, None, "1 234,5"], "amount", decimal="comma").values.tolist()
    [1.234, 5.0, nan, 1234.5]
    >>> read_numbers(["7,5"], "amount", decimal="point").problems.tolist()
    ["amount: '7,5' is not a number with a decimal point (it reads only as a decimal comma; check --decimal, or the decimal setting on the Import sheet)"]
    """
    return _read_numbers(values, field, _rules(decimal=decimal), table_decimal=file_decimal or "auto")


def read_dates(values: list[Any], field: str, *, date_order: DateOrder | None,
               file_order: str | None = None) -> Parsed:
    """Dates of one export column (``datetime64[ns]``, NaT when blank): ``date_order`` is the
    explicit setting, ``file_order`` what the file's dates decided.

    >>> p = read_dates(["04/03/2026", "28 Nov 2026", "soon"], "due_date", date_order="MDY")
    >>> [str(d)[:10] for d in p.values], p.problems[2]
    (['2026-04-03', '2026-11-28', 'NaT'], "due_date: 'soon' is not a date (use 2026-11-28 or set --date-order)")
    """
    return _read_dates(values, field, _rules(date_order=date_order), table_order=file_order or "auto")


def sign_problems(read: NumberRead, raw: list[Any], field: str, currency: Any) -> list[tuple[int, str]]:
    """Amounts whose currency sign is ambiguous with no currency for the row, or contradicts
    it (:func:`~xlcredit.workbook.reading.currency_sign_problems`, naming ``--currency``).

    >>> r = read_numbers(["$7", "€5"], "amount", decimal=None)
    >>> [i for i, _ in sign_problems(r, ["$7", "€5"], "amount", [None, "EUR"])]
    [0]
    """
    return currency_sign_problems(read, raw, field, currency, _rules())
