"""Reading the columns of an ERP export: numbers and dates with a known decimal separator and
date order, decided per file from unambiguous values, never guessed silently.

This is the import's one seam onto the reading rules (issue 12 builds on issue 11): every
raw column of an export becomes numbers or dates here and nowhere else. ``decimal`` is
``"point"`` or ``"comma"``, ``date_order`` is ``"DMY"``, ``"MDY"`` or ``"YMD"``; ``None`` means
"decide from the values": :func:`decide_decimal` and :func:`decide_date_order` look at every
value of the file's money (or date) columns and decide only from values that can be read one
way. A value that could be read two ways under an undecided setting is a problem that names
the option to set, and is left unknown.

>>> decide_decimal(["1.234,50", "12,00", "7"])
('comma', "'1.234,50'")
>>> read_numbers(["1.234,50", "(12,00)", "7,5-", "", "abc"], "amount", decimal="comma").values.tolist()
[1234.5, -12.0, -7.5, nan, nan]
>>> read_numbers(["1.234"], "amount", decimal=None).problems.tolist()
["amount: '1.234' could be 1234 or 1.234; set the decimal separator (--decimal point or --decimal comma)"]
>>> decide_date_order(["03/04/2026", "28/11/2026"])
('DMY', "'28/11/2026'")
>>> [str(d)[:10] for d in read_dates(["03/04/2026", "2026年11月28日", "00.00.0000"], "due_date",
...                                   date_order="DMY").values]
['2026-04-03', '2026-11-28', 'NaT']
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import pandas as pd

from xlcredit.engine.errors import describe
from xlcredit.workbook.excel_values import Parsed, is_blank, to_dates, to_numbers

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
]

DateOrder = Literal["DMY", "MDY", "YMD"]
DecimalSeparator = Literal["point", "comma"]
DATE_ORDERS: tuple[str, ...] = ("DMY", "MDY", "YMD")
DECIMALS: tuple[str, ...] = ("point", "comma")

_MARKS = re.compile(r"(?i)(usd|eur|cny|rmb|gbp|jpy|hkd|chf|us\$|hk\$|[$€£¥￥₩₹元])")
_PLAIN = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")
_DMY_TEXT = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{2}|\d{4})(?:[ T].*)?$")
_YMD_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_CHINESE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(19|20)\d{6}$")
_ZERO_DATE = re.compile(r"^0{1,2}[-/.]0{1,2}[-/.]0{2,4}$")
_MONTH_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y",
                  "%d %b %y", "%b %d %Y")  # fmt: skip


def _clean(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).replace("\u2212", "-").replace("\u2013", "-")
    return s.replace("\u00a0", " ").replace("\u202f", " ").strip()


def _core(text: str) -> tuple[str, bool, bool] | None:
    """The digits and separators of a number typed as text, its sign and whether it is a
    percentage; None when it holds anything else."""
    s = _clean(text)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = _MARKS.sub("", s).strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    if s.endswith("-"):
        negative, s = not negative, s[:-1].strip()  # SAP's trailing minus: 1.234,56-
    if s.startswith("-"):
        negative, s = not negative, s[1:].strip()
    elif s.startswith("+"):
        s = s[1:].strip()
    s = s.replace(" ", "").replace("'", "")
    if not s or not re.fullmatch(r"[\d.,]+", s) or not re.search(r"\d", s):
        return None
    return s, negative, percent


def _separator_evidence(core: str) -> str | None:
    """``"point"``, ``"comma"``, ``"ambiguous"`` or None (no separator at all)."""
    has_dot, has_comma = "." in core, "," in core
    if has_dot and has_comma:
        return "point" if core.rfind(".") > core.rfind(",") else "comma"
    if not has_dot and not has_comma:
        return None
    mark = "." if has_dot else ","
    own, other = ("point", "comma") if has_dot else ("comma", "point")
    groups = core.split(mark)
    if len(groups) > 2:  # 1,234,567 or 1.234.567: the mark separates thousands
        return other if all(len(g) == 3 for g in groups[1:]) else "invalid"
    if len(groups[1]) == 3 and 1 <= len(groups[0]) <= 3 and groups[0] != "0":
        return "ambiguous"  # 1,234 or 1.234
    return own


def decide_decimal(values: list[Any]) -> tuple[DecimalSeparator | None, str | None]:
    """The decimal separator the text numbers of a file use, and the first value that shows
    it; ``(None, None)`` when no value decides (or values disagree: then each ambiguous
    value is listed by :func:`read_numbers`).

    >>> decide_decimal(["1,234.50", "99"]), decide_decimal(["1,234", "5"])
    (('point', "'1,234.50'"), (None, None))
    """
    found: dict[str, str] = {}
    for v in pd.unique(pd.Series([v for v in values if isinstance(v, str)], dtype=object)):
        core = _core(str(v))
        if core is None:
            continue
        kind = _separator_evidence(core[0])
        if kind in ("point", "comma"):
            found.setdefault(kind, describe(v))
    if len(found) == 1:
        kind, shown = next(iter(found.items()))
        return kind, shown  # type: ignore[return-value]
    return None, None


def _number(text: str, decimal: DecimalSeparator | None) -> tuple[float | None, str | None]:
    core = _core(text)
    if core is None:
        return None, "not"
    s, negative, percent = core
    kind = _separator_evidence(s)
    if kind == "invalid":
        return None, "not"
    if decimal is None:
        if kind == "ambiguous":
            return None, "ambiguous"
        decimal = "comma" if kind == "comma" else "point"
    thousands, mark = (".", ",") if decimal == "comma" else (",", ".")
    whole, _, fraction = s.partition(mark)
    groups = whole.split(thousands)
    if mark in fraction or thousands in fraction or (
        len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))
    ):
        return None, "convention"  # 7,5 under decimal point; 1.234,50 under decimal point
    s = "".join(groups) + ("." + fraction if mark in s else "")
    if not _PLAIN.match(s):
        return None, "not"
    number = float(s) / (100.0 if percent else 1.0)
    return (-number if negative else number), None


def _by_distinct(values: list[Any], parse: Callable[[list[Any]], Parsed], blank: Any) -> Parsed:
    """Parse each distinct value once (an export repeats dates and amounts) and spread back."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    parsed = parse(list(uniques))
    out = np.append(parsed.values, np.asarray([blank], dtype=parsed.values.dtype))[codes]
    problems = np.append(parsed.problems, np.asarray([None], dtype=object))[codes]
    return Parsed(out, problems)


def read_numbers(values: list[Any], field: str, *, decimal: DecimalSeparator | None) -> Parsed:
    """Numbers of one export column; text is read with the given decimal separator.

    Cells that are already numbers (an .xlsx export) are taken as they are.

    >>> read_numbers(["1,234", 5.0, None, "1 234,5"], "amount", decimal="comma").values.tolist()
    [1.234, 5.0, nan, 1234.5]
    >>> read_numbers(["7,5"], "amount", decimal="point").problems.tolist()
    ["amount: '7,5' is not a number with a decimal point (check --decimal, or the decimal setting on the Import sheet)"]
    """
    def parse(uniques: list[Any]) -> Parsed:
        out = np.full(len(uniques), np.nan)
        problems = np.full(len(uniques), None, dtype=object)
        others: list[int] = []
        for i, v in enumerate(uniques):
            if not isinstance(v, str):
                others.append(i)
                continue
            if is_blank(v):
                continue
            number, why = _number(v, decimal)
            if number is not None:
                out[i] = number
            elif why == "ambiguous":
                problems[i] = (
                    f"{field}: {describe(v)} could be {v.replace(',', '').replace('.', '')} or "
                    f"{v.replace(',', '.')}; set the decimal separator (--decimal point or "
                    "--decimal comma)"
                )
            elif why == "convention":
                problems[i] = (f"{field}: {describe(v)} is not a number with a decimal {decimal} "
                               "(check --decimal, or the decimal setting on the Import sheet)")
            else:
                problems[i] = f"{field}: {describe(v)} is not a number"
        if others:  # numbers, Decimals, booleans, dates: the shared cell rules
            rest = to_numbers([uniques[i] for i in others], field)
            out[others] = rest.values
            problems[others] = rest.problems
        return Parsed(out, problems)

    return _by_distinct(values, parse, np.nan)


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(first, second, year) of a d/m/y or m/d/y text date, else None."""
    m = _DMY_TEXT.match(text)
    if not m:
        return None
    year = int(m[3])
    if len(m[3]) == 2:
        year += 2000
    return int(m[1]), int(m[2]), year


def decide_date_order(values: list[Any]) -> tuple[DateOrder | None, str | None]:
    """The order of the text dates of a file (day first or month first), and the first value
    that shows it; ``(None, None)`` when every such date could be read both ways or values
    disagree. ISO and Chinese dates need no decision.

    >>> decide_date_order(["11/28/2026", "01/02/2026"]), decide_date_order(["01/02/2026"])
    (('MDY', "'11/28/2026'"), (None, None))
    """
    found: dict[str, str] = {}
    for v in pd.unique(pd.Series([v for v in values if isinstance(v, str)], dtype=object)):
        parts = _date_parts(_clean(str(v)))
        if parts is None:
            continue
        a, b, _ = parts
        if a > 12 >= b:
            found.setdefault("DMY", describe(v))
        elif b > 12 >= a:
            found.setdefault("MDY", describe(v))
    if len(found) == 1:
        order, shown = next(iter(found.items()))
        return order, shown  # type: ignore[return-value]
    return None, None


def _date(text: str, order: DateOrder | None) -> tuple[pd.Timestamp | None, str | None]:
    s = _clean(text)
    if _ZERO_DATE.match(s):
        return None, "blank"  # SAP's empty date 00.00.0000
    try:
        m = _CHINESE.match(s) or _YMD_TEXT.match(s)
        if m:
            return pd.Timestamp(int(m[1]), int(m[2]), int(m[3])), None
        if _COMPACT.match(s):
            return pd.Timestamp(int(s[:4]), int(s[4:6]), int(s[6:])), None
        parts = _date_parts(s)
        if parts is not None:
            a, b, year = parts
            if order == "YMD":
                return None, "order"
            if order is None:
                if a <= 12 and b <= 12 and a != b:
                    return None, "ambiguous"
                order = "DMY" if a > 12 or a == b else "MDY"
            day, month = (a, b) if order == "DMY" else (b, a)
            return pd.Timestamp(year, month, day), None
        if re.search(r"[A-Za-z]", s):
            for fmt in _MONTH_FORMATS:
                try:
                    return pd.Timestamp(dt.datetime.strptime(s, fmt)), None
                except ValueError:
                    continue
    except (ValueError, OverflowError):
        return None, "not"
    return None, "not"


def parse_date_text(text: str, order: DateOrder | None) -> pd.Timestamp | None:
    """One text date (a report title's "As at 30 November 2026"), or None.

    >>> parse_date_text("30 November 2026", None), parse_date_text("03/04/2026", None)
    (Timestamp('2026-11-30 00:00:00'), None)
    """
    return _date(text, order)[0]


def read_dates(values: list[Any], field: str, *, date_order: DateOrder | None) -> Parsed:
    """Dates of one export column (``datetime64[ns]``, NaT when blank).

    Date cells of an .xlsx export are taken as they are; text dates are read in
    ``date_order`` (ISO ``2026-11-28``, ``2026年11月28日`` and ``20261128`` in any order).

    >>> p = read_dates(["04/03/2026", "28 Nov 2026", "soon"], "due_date", date_order="MDY")
    >>> [str(d)[:10] for d in p.values], p.problems[2]
    (['2026-04-03', '2026-11-28', 'NaT'], "due_date: 'soon' is not a date (use 2026-11-28 or set --date-order)")
    """
    def parse(uniques: list[Any]) -> Parsed:
        out = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
        problems = np.full(len(uniques), None, dtype=object)
        others: list[int] = []
        for i, v in enumerate(uniques):
            if not isinstance(v, str):
                others.append(i)
                continue
            if is_blank(v):
                continue
            stamp, why = _date(v, date_order)
            if stamp is not None:
                out[i] = stamp.as_unit("ns").to_datetime64()
            elif why == "ambiguous":
                day_first = _date(v, "DMY")[0]
                month_first = _date(v, "MDY")[0]
                problems[i] = (
                    f"{field}: {describe(v)} could be {day_first:%Y-%m-%d} or "
                    f"{month_first:%Y-%m-%d}; set the date order (--date-order DMY or MDY)"
                )
            elif why != "blank":
                problems[i] = f"{field}: {describe(v)} is not a date (use 2026-11-28 or set --date-order)"
        if others:
            rest = to_dates([uniques[i] for i in others], field)
            out[others] = rest.values
            problems[others] = rest.problems
        return Parsed(out, problems)

    return _by_distinct(values, parse, np.datetime64("NaT"))
