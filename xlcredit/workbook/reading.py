"""Reading rules: how a cell becomes a number, a date or nothing, decided per column.

The one place that decides what a value typed by a person means (docs/reading.md lists
each rule with examples). Shared by refresh (through :func:`xlcredit.workbook.schema.parse_table`)
and the Excel functions (through :mod:`xlcredit.workbook.excel_values`).

Never guess silently. Where a text could mean two things, the column decides from its
values that can mean only one thing; what stays ambiguous is unknown (NaN / NaT) with a
problem naming the value and the fix:

* ``"0.128"`` can only be a decimal point (no one groups thousands after a zero) and
  ``"1,234.56"`` / ``"1.234,56"`` show their separator; ``"1,234"`` or ``"1.234"`` alone could
  be a thousand or one, so they follow the column (or the ``input.decimal`` setting).
* ``"28/11/2026"`` can only be day-first and ``"11/28/2026"`` only month-first; ``"03/04/2026"``
  follows the column (or ``input.date_order``). A column never mixes orders.

Each conversion runs once per distinct value (a ledger repeats its texts), never once per
cell, and plain numbers and dates go through numpy whole.

>>> r = read_numbers(["0.128", "1,234.56", "1.234", "(12.50)", "1 200−"], "rate")
>>> r.values.tolist()
[0.128, 1234.56, 1.234, -12.5, -1200.0]
>>> read_numbers(["1,234", "2,500"], "amount").problems.tolist()[0]
"amount: '1,234' could be 1234 or 1.234 (no value in the column shows its decimal separator); set input.decimal to point or comma on the Policy sheet"
>>> d = read_dates(["03/04/2026", "28/04/2026"], "due_date")
>>> [str(v)[:10] for v in d.values]
['2026-04-03', '2026-04-28']
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import describe
from xlcredit.messages import Message, catalogue

__all__ = [
    "CURRENCY_SIGNS",
    "EXCEL_EPOCH",
    "EXCEL_EPOCH_1904",
    "Cells",
    "ErrorCell",
    "NoCachedValue",
    "NumberRead",
    "Parsed",
    "ReadingRules",
    "currency_sign_problems",
    "date_order_decision",
    "decimal_decision",
    "is_marker",
    "message",
    "normalise_text",
    "read_date_text",
    "read_dates",
    "read_numbers",
    "table_date_order",
    "table_decimal",
]

#: Day 0 of Excel's 1900 date system as pandas counts it (serial 1 = 1900-01-01, with
#: Lotus' phantom 1900-02-29 making every serial from 61 on line up with this epoch).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Day 0 of the 1904 date system (Mac Excel before 2011; "Use 1904 date system").
EXCEL_EPOCH_1904 = pd.Timestamp("1904-01-01")

Decimal_ = Literal["auto", "point", "comma"]
DateOrder = Literal["auto", "DMY", "MDY", "YMD"]



def message(key: str, **fields: Any) -> Message:
    """One reading message of the catalogue (``reading.<key>``), rendered where it is shown.

    >>> m = message("not_number", name="amount", value="'abc'")
    >>> m, m.render("zh-CN")
    ("amount: 'abc' is not a number", "amount：'abc' 不是数字")
    """
    return Message(f"reading.{key}", fields)


def _key(key: str, rules: ReadingRules) -> str:
    """The message naming the fix where the rules' reader sets it (``key_cli`` when the
    settings are command-line options and such a wording exists)."""
    if rules.settings == "cli" and f"reading.{key}_cli" in catalogue():
        return f"{key}_cli"
    return key


def _say(key: str, rules: ReadingRules, **fields: Any) -> Message:
    return message(_key(key, rules), **fields)


# --------------------------------------------------------------------------- markers
@dataclass(frozen=True)
class ErrorCell:
    """An error cell as saved in the file (#N/A, #REF!, #VALUE!, #DIV/0!...)."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class NoCachedValue:
    """A formula cell saved without its result (written by a program that does not calculate)."""

    formula: str

    def __str__(self) -> str:
        return f"={self.formula}"


def is_marker(value: Any) -> bool:
    """True for an :class:`ErrorCell` or a :class:`NoCachedValue`.

    >>> is_marker(ErrorCell("#N/A")), is_marker("#N/A")
    (True, False)
    """
    return isinstance(value, (ErrorCell, NoCachedValue))


def _marker_problem(name: Any, value: Any) -> Message:
    if isinstance(value, ErrorCell):
        return message("error_cell", name=name, value=value.code)
    return message("no_cached_value", name=name, value=value.formula)


# --------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class ReadingRules:
    """How a workbook is read: its separators, date order and date system.

    ``decimal`` and ``date_order`` are the Policy settings ``input.decimal`` and
    ``input.date_order`` ("auto": decided per column from unambiguous values). ``date1904``
    is the workbook's date system (``settings`` says where they are set: the messages name
    it). ``today`` anchors the plausible-date window (dates before
    1990 or more than ten years after it are listed); None: no window (Excel functions).
    """

    decimal: str = "auto"
    date_order: str = "auto"
    date1904: bool = False
    today: dt.date | None = None
    base_currency: str | None = None
    language: str = "en"
    #: Where ``decimal`` and ``date_order`` are set, for the messages that name the fix:
    #: "policy" (the Policy sheet's ``input.*``) or "cli" (``xlcredit import --decimal``).
    settings: str = "policy"

    @classmethod
    def from_policy(cls, policy: Any, date1904: bool = False) -> ReadingRules:
        """The rules of a refresh: the Policy's ``input`` settings, the book's date system.

        >>> from xlcredit.engine.policy import Policy
        >>> ReadingRules.from_policy(Policy(as_of=dt.date(2026, 11, 28)), True).date1904
        True
        """
        return cls(
            decimal=policy.input.decimal,
            date_order=policy.input.date_order,
            date1904=date1904,
            today=policy.as_of_date(),
            base_currency=policy.base_currency,
            language=policy.language,
        )

    @property
    def epoch(self) -> pd.Timestamp:
        """Day 0 of the workbook's date system."""
        return EXCEL_EPOCH_1904 if self.date1904 else EXCEL_EPOCH


#: Rules of the Excel functions: nothing known about the workbook, every column decides.
DEFAULT_RULES = ReadingRules()


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


@dataclass(frozen=True)
class NumberRead(Parsed):
    """Numbers of one column, with the currency each text named (None when it named none).

    ``currency`` holds the sign or code as typed ("€", "¥", "USD") and ``currency_codes``
    the ISO codes it can stand for ("EUR", "CNY|JPY").
    """

    currency: npt.NDArray[np.object_] = field(default_factory=lambda: np.empty(0, dtype=object))
    currency_codes: npt.NDArray[np.object_] = field(default_factory=lambda: np.empty(0, dtype=object))


# --------------------------------------------------------------------------- text numbers
_BLANK_TEXT = frozenset(
    {"", "-", "--", "—", "–", "n/a", "na", "#n/a", "none", "null", "nan", "n.a.", "无数据", "不详", "/"}
)
#: What a currency sign or code can stand for. A sign used by several currencies lists them
#: all: the currency column (or the workbook's base currency) settles it, else it is listed.
CURRENCY_SIGNS: dict[str, tuple[str, ...]] = {
    "€": ("EUR",), "£": ("GBP",), "¥": ("CNY", "JPY"), "元": ("CNY",), "₩": ("KRW",),
    "₹": ("INR",), "$": ("USD", "CAD", "AUD", "HKD", "SGD", "NZD", "MXN"), "US$": ("USD",),
    "HK$": ("HKD",), "S$": ("SGD",), "A$": ("AUD",), "C$": ("CAD",), "RMB": ("CNY",),
    "CHF": ("CHF",), "FR.": ("CHF",), "KR": ("SEK", "NOK", "DKK"), "ZŁ": ("PLN",), "ZL": ("PLN",),
}  # fmt: skip
_CODES = ("USD|EUR|CNY|GBP|JPY|HKD|CHF|CAD|AUD|SGD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|KRW|INR|TWD|"
          "MXN|BRL|ZAR|RUB|TRY|AED|SAR|THB|MYR|IDR|PHP|VND|RMB")
# The signs a number may carry come from CURRENCY_SIGNS (one list): longer signs first, so
# "US$" is read whole, then the one-character signs as a class.
_CUR = "(?:{}|{}|[{}])".format(
    _CODES,
    "|".join(re.escape(s) for s in sorted((s for s in CURRENCY_SIGNS if len(s) > 1), key=len, reverse=True)),
    "".join(re.escape(s) for s in CURRENCY_SIGNS if len(s) == 1),
)
_MINUS = "\u2212\u2012\u2013\u2014\u2010\u2011\ufe63\uff0d"  # minus, dashes pasted from PDFs
_NUMBER_TEXT = re.compile(
    rf"^(?P<s1>[-+])?\s*(?P<c1>{_CUR})?\s*(?P<s2>[-+])?\s*"
    r"(?P<num>\d[\d.,' ]*\d|\d|[.,]\d+)\s*(?P<unit>[万亿])?\s*"
    rf"(?P<c2>{_CUR})?\s*(?P<pct>%)?\s*(?P<s3>-)?$",
    re.IGNORECASE,
)
_EXPONENT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:([,.' ])\d{3})(?:\1\d{3})*$")

# per distinct text: (kind, value read with a point, value read with a comma)
_POINT, _COMMA, _EITHER, _PLAIN, _BAD, _BADGROUP = "point", "comma", "either", "plain", "bad", "group"


def normalise_text(text: str) -> str:
    """Text as the reading rules compare it: NFKC (full-width digits, punctuation and ￥
    to ASCII), no-break and thin spaces to spaces, stripped.

    >>> normalise_text("\uff11\uff12\u00a0 ")
    '12'
    """
    # NFKC turns full-width digits and punctuation (１２,３４５．５, ￥) into ASCII ones.
    s = unicodedata.normalize("NFKC", text)
    for ch in "\u00a0\u202f\u2009\u2007":
        s = s.replace(ch, " ")
    return s.strip()


def _split_number(body: str) -> tuple[str, float, float]:
    """Classify the digits of a number: which decimal separators can read it, and the values."""
    body = body.replace("'", " ")
    if " " in body:  # spaces (and apostrophes) only ever group thousands
        head, _, tail = body.partition(",") if "," in body and "." not in body else body.partition(".")
        groups = head.split(" ")
        if not all(g.isdigit() for g in groups) or any(len(g) != 3 for g in groups[1:]) or len(groups[0]) > 3:
            return _BADGROUP, np.nan, np.nan
        digits = "".join(groups)
        if not tail:
            if "," in body or "." in body:  # "1 234," - a separator with nothing after
                return _BAD, np.nan, np.nan
            return _PLAIN, float(digits), float(digits)
        if not tail.isdigit():
            return _BADGROUP, np.nan, np.nan
        value = float(f"{digits}.{tail}")
        return (_COMMA if "," in body else _POINT), value, value
    commas, points = body.count(","), body.count(".")
    if commas == 0 and points == 0:
        return _PLAIN, float(body), float(body)
    if commas and points:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
        grp = "," if dec == "." else "."
        head, _, tail = body.rpartition(dec)
        if grp in tail or dec in head or not _GROUPED.match(head) or not tail.isdigit():
            return _BADGROUP, np.nan, np.nan
        value = float(head.replace(grp, "") + "." + tail)
        return (_POINT if dec == "." else _COMMA), value, value
    sep = "," if commas else "."
    count = commas or points
    head, _, tail = body.partition(sep)
    if count > 1:  # 1,234,567 or 1.234.567: thousands groups, never a decimal
        if _GROUPED.match(body):
            value = float(body.replace(sep, ""))
            return (_POINT if sep == "," else _COMMA), value, value
        return _BADGROUP, np.nan, np.nan
    if not head:  # ".5" / ",5"
        value = float("0." + tail)
        return (_POINT if sep == "." else _COMMA), value, value
    as_decimal = float(f"{head}.{tail}")
    as_thousands = float(head + tail)
    if len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0"):
        # 1,234 / 1.234: a thousand or one; the column decides
        point_value = as_thousands if sep == "," else as_decimal
        comma_value = as_decimal if sep == "," else as_thousands
        return _EITHER, point_value, comma_value
    # 0.128, 12.5, 1234.56: only a decimal separator reads it
    return (_POINT if sep == "." else _COMMA), as_decimal, as_decimal


@dataclass(frozen=True)
class _TextNumber:
    kind: str
    point: float
    comma: float
    currency: str | None
    dash: bool = False


#: Currencies written only with a decimal point where they are used: a text marked with one
#: of them ("¥12,000", "£1,250", "12,000元") shows its separator.
_POINT_CURRENCIES = frozenset({"¥", "元", "£", "RMB", "CNY", "JPY", "GBP", "HKD", "HK$", "₩", "KRW", "₹", "INR"})


@functools.lru_cache(maxsize=65536)
def _parse_text_number(text: str) -> _TextNumber:
    """Read one distinct text (the column decides the ambiguous ones afterwards)."""
    s = normalise_text(text)
    dash = any(ch in s for ch in _MINUS)
    for ch in _MINUS:
        s = s.replace(ch, "-")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if _EXPONENT.match(s):
        v = float(s)
        return _TextNumber(_PLAIN, v, v, None)
    m = _NUMBER_TEXT.match(s)
    if m is None:
        return _TextNumber(_BAD, np.nan, np.nan, None, dash)
    signs = [m["s1"], m["s2"], m["s3"]]
    minus = sum(sg == "-" for sg in signs)
    if sum(sg is not None for sg in signs) > 1 or (m["c1"] and m["c2"]) or (negative and minus):
        return _TextNumber(_BAD, np.nan, np.nan, None, dash)
    kind, point, comma = _split_number(m["num"])
    if kind in (_BAD, _BADGROUP):
        return _TextNumber(kind, np.nan, np.nan, None, dash)
    scale = {"万": 1e4, "亿": 1e8}.get(m["unit"] or "", 1.0)
    if m["pct"]:
        scale /= 100.0
    sign = -1.0 if (negative or minus) else 1.0
    currency = (m["c1"] or m["c2"] or None)
    if kind == _EITHER and (m["unit"] or (currency and currency.upper() in _POINT_CURRENCIES)):
        kind, comma = _POINT, point
    return _TextNumber(kind, sign * point * scale, sign * comma * scale,
                       currency.upper() if currency else None)


class Cells:
    """One column's cells as a 1-D object array, with what the readers ask of them worked
    out once and shared: the types present and the distinct values. A table's reader asks
    for both several times per column (the table's separator and date order, then the
    column's own reading); on a ledger of a million rows each ask is a pass over the cells.

    >>> c = Cells(["b", None, "a", "b"])
    >>> sorted(k.__name__ for k in c.kinds), c.distinct()[0].tolist(), c.distinct()[1].tolist()
    (['str'], [0, -1, 1, 0], ['b', 'a'])
    """

    def __init__(self, values: Any, *, kinds: frozenset[type] | None = None) -> None:
        if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
            self.values: npt.NDArray[np.object_] = values  # a grid's column: no copy
        else:
            self.values = np.fromiter(values, dtype=object, count=len(values))
        self._kinds = kinds  # given when known (a column the sheet lacks: all None)
        self._distinct: tuple[npt.NDArray[np.intp], npt.NDArray[np.object_]] | None = None

    @classmethod
    def of(cls, values: Any) -> Cells:
        """``values`` as :class:`Cells` (themselves when they already are)."""
        return values if isinstance(values, Cells) else cls(values)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def kinds(self) -> frozenset[type]:
        """The exact types of the cells, None left out."""
        if self._kinds is None:
            kinds = set(map(type, self.values))
            kinds.discard(type(None))
            self._kinds = frozenset(kinds)
        return self._kinds

    def distinct(self) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.object_]]:
        """Each cell's code and the distinct values in order of appearance; blanks (None,
        NaN, NaT) get code -1."""
        if self._distinct is None:
            codes, uniques = pd.factorize(self.values, use_na_sentinel=True)
            self._distinct = (codes, uniques)
        return self._distinct


def _distinct(cells: Cells) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """Codes and distinct values (blank None gets code -1)."""
    codes, uniques = cells.distinct()
    return codes, list(uniques)


def _spread(per_unique: npt.NDArray[Any], codes: npt.NDArray[np.intp], blank: Any) -> npt.NDArray[Any]:
    return np.append(per_unique, np.asarray([blank], dtype=per_unique.dtype))[codes]


def is_blank_text(text: str) -> bool:
    """True for a placeholder meaning "not known" ("", "-", "N/A", "无数据").

    >>> is_blank_text(" N/A "), is_blank_text("0")
    (True, False)
    """
    return normalise_text(text).lower() in _BLANK_TEXT


def read_numbers(
    values: list[Any] | Cells,
    name: str,
    rules: ReadingRules = DEFAULT_RULES,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    allow_bool: bool = False,
    table_decimal: str = "auto",
) -> NumberRead:
    """Read one column of cells as numbers (float, NaN when blank or unreadable).

    Numbers and Decimals pass as they are; text is read once per distinct value: thousands
    separators, a decimal point or comma (decided by the column, see the module), a sign
    before or after (``-``, Unicode minus, ``1,234.00-``), parentheses for negatives, currency
    signs and codes before or after (``€1.234,50``, ``1200 USD``, ``¥3,000``, ``12万元``), ``%``.

    >>> r = read_numbers(["1.234,56", "12,5", "1.234", "€ 7", "12万", "3 %"], "amount")
    >>> r.values.tolist(), r.currency.tolist()[3]
    ([1234.56, 12.5, 1234.0, 7.0, 120000.0, 0.03], '€')
    >>> read_numbers(["1,234,56"], "amount").problems.tolist()
    ["amount: '1,234,56' is not a number (thousands groups must have three digits)"]
    """
    cells = Cells.of(values)
    n = len(cells)
    out = np.full(n, np.nan)
    problems = np.full(n, None, dtype=object)
    currency = np.full(n, None, dtype=object)
    if cells.kinds <= {float, int}:
        out = np.array(cells.values, dtype=float)  # None becomes NaN
        return _limits(NumberRead(out, problems, currency, currency.copy()), name, minimum, maximum)
    codes, uniques = _distinct(cells)
    u_out = np.full(len(uniques), np.nan)
    u_problem = np.full(len(uniques), None, dtype=object)
    u_currency = np.full(len(uniques), None, dtype=object)
    texts: dict[int, _TextNumber] = {}
    for i, v in enumerate(uniques):  # once per distinct value
        if isinstance(v, (bool, np.bool_)):
            if allow_bool:
                u_out[i] = 1.0 if v else 0.0
            else:
                u_problem[i] = message("bool_number", name=name, value="TRUE" if v else "FALSE")
        elif isinstance(v, (int, float, Decimal, np.integer, np.floating)):
            u_out[i] = float(v)
        elif isinstance(v, str):
            if is_blank_text(v):
                continue
            parsed = _parse_text_number(v)
            texts[i] = parsed
            u_currency[i] = parsed.currency
            if parsed.kind == _BADGROUP:
                u_problem[i] = message("bad_grouping", name=name, value=describe(v))
            elif parsed.kind == _BAD:
                u_problem[i] = message("minus_hint" if parsed.dash else "not_number", name=name,
                                       value=describe(v))
        elif is_marker(v):
            u_problem[i] = _marker_problem(name, v)
        elif isinstance(v, (dt.date, pd.Timestamp)):
            u_problem[i] = message("date_number", name=name, value=f"{v:%Y-%m-%d}")
        else:
            u_problem[i] = message("not_number", name=name, value=describe(v))
    _decide_decimal(texts, uniques, codes, u_out, u_problem, name, rules, table_decimal)
    out = _spread(u_out, codes, np.nan)
    problems = _spread(u_problem, codes, None)
    currency = _spread(u_currency, codes, None)
    codes_of = np.full(len(uniques), None, dtype=object)
    for i, sign in enumerate(u_currency):
        if sign is not None:
            codes_of[i] = "|".join(CURRENCY_SIGNS.get(sign, (sign,))).replace("RMB", "CNY")
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(out)
    for j in np.flatnonzero(infinite):
        problems[j] = message("infinite", name=name, value=out[j])
    out[infinite] = np.nan
    read = NumberRead(out, problems, currency, _spread(codes_of, codes, None))
    return _limits(read, name, minimum, maximum)


def _decide_decimal(
    texts: dict[int, _TextNumber],
    uniques: list[Any],
    codes: npt.NDArray[np.intp],
    u_out: npt.NDArray[np.float64],
    u_problem: npt.NDArray[np.object_],
    name: str,
    rules: ReadingRules,
    table_decimal: str = "auto",
) -> None:
    """Settle the decimal separator of a column and read its text numbers."""
    setting = rules.decimal
    if setting == "auto":
        setting = _decimal_of({t.kind for t in texts.values()})
        if setting == "auto" and not ({_POINT, _COMMA} & {t.kind for t in texts.values()}):
            setting = table_decimal  # no evidence in the column: the table's other columns
    for i, t in texts.items():
        if t.kind in (_BAD, _BADGROUP):
            continue
        if t.kind == _EITHER:
            if setting == "point":
                u_out[i] = t.point
            elif setting == "comma":
                u_out[i] = t.comma
            else:
                grouped, decimal = sorted((t.point, t.comma), key=abs, reverse=True)  # thousands first
                u_problem[i] = _say("ambiguous_decimal", rules, name=name, value=describe(uniques[i]),
                                    a=f"{grouped:g}", b=f"{decimal:g}")
        elif rules.decimal in ("point", "comma") and t.kind in (_POINT, _COMMA) and t.kind != rules.decimal:
            other = "a decimal point" if t.kind == _POINT else "a decimal comma"
            u_problem[i] = _say("against_decimal", rules, name=name, value=describe(uniques[i]),
                                   setting=rules.decimal, other=other)
        else:
            u_out[i] = t.point


def _decimal_of(kinds: set[str]) -> str:
    has_point, has_comma = _POINT in kinds, _COMMA in kinds
    return "point" if has_point and not has_comma else "comma" if has_comma and not has_point else "auto"


def table_decimal(columns: list[list[Any]] | list[Cells]) -> str:
    """The separator a whole table shows (one export, one locale); "auto" when none or both.

    >>> table_decimal([["1,000,000"], ["400,000"]]), table_decimal([["1,5"], ["2.5"]])
    ('point', 'auto')
    """
    return decimal_decision(columns)[0]


def decimal_decision(columns: list[list[Any]] | list[Cells]) -> tuple[str, str | None]:
    """:func:`table_decimal` and the first value that shows the separator (None when "auto").

    For a reader that decides once for a whole file and says why (``xlcredit import``).

    >>> decimal_decision([["7", "1.234,50"], ["12,00"]]), decimal_decision([["1,234"]])
    (('comma', "'1.234,50'"), ('auto', None))
    """
    return _decision(columns, lambda v: _parse_text_number(v).kind, {_POINT: "point", _COMMA: "comma"})


def _decision(columns: list[list[Any]] | list[Cells], kind_of: Callable[[str], str],
              settles: dict[str, str]) -> tuple[str, str | None]:
    """The one setting the texts of the columns show (``settles``: kind -> setting) and the
    first text showing it; ("auto", None) when none or more than one show."""
    first: dict[str, Any] = {}
    for values in columns:
        cells = Cells.of(values)
        if not any(issubclass(kind, str) for kind in cells.kinds):  # no text: nothing to tell
            continue
        distinct = cells.distinct()[1]  # in order of appearance, hashed in C
        for v in (v for v in distinct if isinstance(v, str)):
            kind = kind_of(v)
            if kind in settles:
                first.setdefault(settles[kind], v)
    if len(first) != 1:
        return "auto", None
    setting, shown = next(iter(first.items()))
    return setting, describe(shown)


def currency_sign_problems(read: NumberRead, raw: list[Any], name: str,
                           currency: npt.NDArray[np.object_],
                           rules: ReadingRules = DEFAULT_RULES) -> list[tuple[int, str]]:
    """Amounts whose currency sign could be two currencies with no currency for the row, or
    contradicts the row's currency (``currency``: ISO code per row, None when unknown).
    The amount is still read; each listed row comes with its message.

    >>> r = read_numbers(["¥1,200", "€5", "$7", "¥3"], "amount")
    >>> currency_sign_problems(r, ["¥1,200", "€5", "$7", "¥3"], "amount",
    ...                        np.array(["JPY", "USD", None, None], dtype=object))
    [(1, "amount: '€5' is marked € (EUR) but the currency is USD"), (2, "amount: '$7' - the sign $ could be USD/CAD/AUD/HKD/SGD/NZD/MXN; fill the currency column"), (3, "amount: '¥3' - the sign ¥ could be CNY/JPY; fill the currency column")]
    """
    out: list[tuple[int, str]] = []
    for i in map(int, np.flatnonzero(pd.notna(read.currency_codes) & pd.isna(read.problems))):
        codes = str(read.currency_codes[i]).split("|")
        sign, ccy = read.currency[i], currency[i]
        fields = {"name": name, "value": describe(raw[i]), "sign": sign, "codes": "/".join(codes)}
        if ccy is None or (isinstance(ccy, float) and ccy != ccy):
            if len(codes) > 1:
                out.append((i, message(_key("currency_ambiguous", rules), **fields)))
        elif ccy not in codes:
            out.append((i, message(_key("currency_contradicts", rules), currency=ccy,
                                   **fields)))
    return out


def _limits(read: NumberRead, name: str, minimum: float | None, maximum: float | None) -> NumberRead:
    out, problems = read.values, read.problems
    for bound, rule, mask_of in (
        (minimum, "below_min", lambda v, b: v < b),
        (maximum, "above_max", lambda v, b: v > b),
    ):
        if bound is None:
            continue
        with np.errstate(invalid="ignore"):
            mask = mask_of(out, bound)
        for i in np.flatnonzero(mask):
            problems[i] = message(rule, name=name, bound=f"{bound:g}", value=f"{out[i]:g}")
        out[mask] = np.nan
    return read


# --------------------------------------------------------------------------- dates
_EMPTY_DATE = re.compile(r"^0{1,4}[-/.]0{1,2}[-/.]0{1,4}$")  # SAP's 00.00.0000
_CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_YMD = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_ABC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(19|20)(\d{2})(\d{2})(\d{2})$")  # 20261128
#: A date written in an export's title rows ("截至 2026年11月30日", "As of 30 Nov 2026").
TITLE_DATE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}|"
    r"\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}"
)
#: The label of a total row in an ERP export, English, German or Chinese (read to skip the row).
TOTAL_ROW = re.compile(
    r"(?i)^\s*((grand\s*)?(sub)?totals?\b|total\s+for\b|sum\b|summe\b|gesamt|"
    r"合\s*计|小\s*计|总\s*计|累\s*计|本页合计)"
)
#: What separates the items of a list typed in one cell: comma, semicolon, Chinese comma.
LIST_SEPARATOR = re.compile(r"[,;，]")
_SERIAL_MIN, _SERIAL_MAX = 1, 132_320

# per distinct text: which orders read it, and the dates each gives
_DMY, _MDY, _YMD_K, _BOTH, _ONE = "DMY", "MDY", "YMD", "both", "one"


def _stamp(year: int, month: int, day: int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year, month, day)
    except (ValueError, OverflowError):
        return None


def _full_year(yy: int) -> int:
    return 2000 + yy if yy < 30 else 1900 + yy  # Excel's two-digit year rule


@dataclass(frozen=True)
class _TextDate:
    kind: str  # "one" (unambiguous), "DMY"/"MDY" (only that order), "both", "short", "bad", "blank"
    dmy: pd.Timestamp | None = None
    mdy: pd.Timestamp | None = None
    ymd: pd.Timestamp | None = None


@functools.lru_cache(maxsize=65536)
def _parse_text_date_cached(text: str) -> _TextDate:
    return _parse_text_date(text)


def _parse_text_date(text: str) -> _TextDate:
    s = normalise_text(text)
    if not s or s.lower() in _BLANK_TEXT or _EMPTY_DATE.match(s):
        return _TextDate("blank")
    m = _CHINESE_DATE.match(s)
    if m:
        return _TextDate(_ONE, ymd=_stamp(int(m[1]), int(m[2]), int(m[3])))
    m = _YMD.match(s)
    if m:
        return _TextDate(_ONE, ymd=_stamp(int(m[1]), int(m[3]), int(m[4])))
    m = _COMPACT.match(s)
    if m:
        return _TextDate(_ONE, ymd=_stamp(int(m[1] + m[2]), int(m[3]), int(m[4])))
    m = _ABC.match(s)
    if m:
        a, b, c = int(m[1]), int(m[3]), m[4]
        if len(c) == 2:
            yy = int(c)
            return _TextDate("short", dmy=_stamp(_full_year(yy), b, a), mdy=_stamp(_full_year(yy), a, b),
                             ymd=_stamp(_full_year(a), b, yy))
        year = int(c)
        dmy, mdy = _stamp(year, b, a), _stamp(year, a, b)
        if dmy is not None and mdy is not None:
            return _TextDate(_ONE, ymd=dmy) if dmy == mdy else _TextDate(_BOTH, dmy=dmy, mdy=mdy)
        if dmy is not None:
            return _TextDate(_DMY, dmy=dmy)
        if mdy is not None:
            return _TextDate(_MDY, mdy=mdy)
        return _TextDate("bad")
    if re.search(r"[A-Za-z]", s) and re.search(r"\d", s):  # 28-Nov-2026, Nov 28, 2026
        stamp = pd.to_datetime(s, errors="coerce", format="mixed")
        if not pd.isna(stamp):
            return _TextDate(_ONE, ymd=pd.Timestamp(stamp).normalize())
    return _TextDate("bad")


def read_dates(
    values: list[Any] | Cells, name: str, rules: ReadingRules = DEFAULT_RULES, *, table_order: str = "auto"
) -> Parsed:
    """Read one column of cells as dates (``datetime64[ns]``, NaT when blank or unreadable).

    Dates pass as they are; numbers are serials of the workbook's date system; text is ISO
    (2026-11-28, 2026/11/28), Chinese (2026年11月28日), compact (20261128), with a month name
    (28-Nov-2026), or day and month in the column's order (28/11/2026, 11/28/2026). SAP's
    ``00.00.0000`` is blank.

    >>> d = read_dates(["11/28/2026", "03/04/2026", "00.00.0000", 46354.0], "due_date")
    >>> [str(v)[:10] for v in d.values]
    ['2026-11-28', '2026-03-04', 'NaT', '2026-11-28']
    >>> print(read_dates(["03/04/2026"], "due_date").problems[0])
    due_date: '03/04/2026' could be 2026-04-03 or 2026-03-04 (no date in the column shows whether the day or the month comes first); set input.date_order to DMY or MDY on the Policy sheet
    """
    cells = Cells.of(values)
    n = len(cells)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    problems = np.full(n, None, dtype=object)
    if n == 0:
        return Parsed(out, problems)
    kinds = cells.kinds
    if kinds and kinds <= {dt.datetime, pd.Timestamp, dt.date}:
        out = _datetime_cells(cells)
        return _window(Parsed(out, problems), cells.values, name, rules)
    codes, uniques = _distinct(cells)
    u_out = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
    u_problem = np.full(len(uniques), None, dtype=object)
    texts: dict[int, _TextDate] = {}
    numeric: list[int] = []
    for i, v in enumerate(uniques):  # once per distinct value
        if isinstance(v, (bool, np.bool_)):
            u_problem[i] = message("bool_date", name=name, value="TRUE" if v else "FALSE")
        elif isinstance(v, (dt.datetime, dt.date, pd.Timestamp, np.datetime64)):
            try:
                u_out[i] = pd.Timestamp(v).normalize().as_unit("ns").to_datetime64()
            except (OverflowError, ValueError):
                u_problem[i] = message("out_of_range", name=name, value=v)
        elif isinstance(v, (int, float, Decimal, np.integer, np.floating)):
            numeric.append(i)
        elif isinstance(v, str):
            texts[i] = _parse_text_date_cached(v)
        elif is_marker(v):
            u_problem[i] = _marker_problem(name, v)
        else:
            u_problem[i] = message("bool_date", name=name, value=describe(v))
    if numeric:
        serial = np.asarray([float(uniques[i]) for i in numeric])
        ok = (serial >= _SERIAL_MIN) & (serial <= _SERIAL_MAX)
        days = np.floor(np.where(ok, serial, 0)).astype("int64")
        if not rules.date1904:
            days = days + (days < 61)  # before Lotus' phantom 1900-02-29 serials are one day later
        from_serial = rules.epoch.to_datetime64() + days.astype("timedelta64[D]")
        for j, i in enumerate(numeric):
            if ok[j]:
                u_out[i] = from_serial[j]
            else:
                u_problem[i] = message("serial_range", name=name, value=f"{serial[j]:.10g}")
    _decide_order(texts, uniques, u_out, u_problem, name, rules, table_order)
    parsed = Parsed(_spread(u_out, codes, np.datetime64("NaT")), _spread(u_problem, codes, None))
    return _window(parsed, values, name, rules)


def _datetime_cells(cells: Cells) -> npt.NDArray[np.datetime64]:
    """Dates of a column of date and datetime cells: blanks NaT, out-of-range dates NaT."""
    if cells.kinds <= {dt.datetime, dt.date}:
        codes, uniques = cells.distinct()
        if not any(getattr(u, "tzinfo", None) is not None for u in uniques):
            # each distinct date converted once (a ledger has a few hundred); pandas on
            # the whole column would hash them all anyway and then map back its results
            stamps = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce").dt.normalize()
            return _spread(stamps.to_numpy(dtype="datetime64[ns]"), codes, np.datetime64("NaT"))
    # Timestamps (equal to a datetime, their unit may differ) or time zones: pandas decides
    stamps = pd.to_datetime(pd.Series(cells.values, dtype=object), errors="coerce").dt.normalize()
    return stamps.to_numpy(dtype="datetime64[ns]")


def _decide_order(
    texts: dict[int, _TextDate],
    uniques: list[Any],
    u_out: npt.NDArray[Any],
    u_problem: npt.NDArray[np.object_],
    name: str,
    rules: ReadingRules,
    table_order: str = "auto",
) -> None:
    """Settle the day/month order of a column and read its text dates."""
    dmy_seen = [uniques[i] for i, t in texts.items() if t.kind == _DMY]
    mdy_seen = [uniques[i] for i, t in texts.items() if t.kind == _MDY]
    order = rules.date_order
    if order in ("auto", "YMD"):
        order = "DMY" if dmy_seen and not mdy_seen else "MDY" if mdy_seen and not dmy_seen else order
        if order in ("auto", "YMD") and not dmy_seen and not mdy_seen and table_order != "auto":
            order = table_order  # no evidence in the column: the table's other date columns
    for i, t in texts.items():
        value = describe(uniques[i])
        stamp: pd.Timestamp | None = None
        if t.kind == "blank":
            continue
        if rules.date_order == "YMD" and t.kind in (_DMY, _MDY, _BOTH):  # day or month first
            u_problem[i] = _say("against_order", rules, name=name, value=value, setting="YMD")
            continue
        if t.kind == _ONE:
            stamp = t.ymd
        elif t.kind in (_DMY, _MDY):
            if rules.date_order in ("DMY", "MDY") and t.kind != rules.date_order:
                u_problem[i] = _say("against_order", rules, name=name, value=value, setting=rules.date_order)
                continue
            stamp = t.dmy if t.kind == _DMY else t.mdy
        elif t.kind == _BOTH:
            if order in ("DMY", "MDY"):
                stamp = t.dmy if order == "DMY" else t.mdy
            elif dmy_seen and mdy_seen:
                u_problem[i] = _say("mixed_dates", rules, name=name, value=value, a=_day(t.dmy), b=_day(t.mdy),
                                       dmy=describe(dmy_seen[0]), mdy=describe(mdy_seen[0]))
                continue
            else:
                u_problem[i] = _say("ambiguous_date", rules, name=name, value=value, a=_day(t.dmy), b=_day(t.mdy))
                continue
        elif t.kind == "short":
            stamp = {"DMY": t.dmy, "MDY": t.mdy, "YMD": t.ymd}.get(rules.date_order if rules.date_order != "auto" else order)
            if stamp is None and order not in ("DMY", "MDY", "YMD"):
                u_problem[i] = _say("short_year", rules, name=name, value=value)
                continue
        if stamp is None:
            u_problem[i] = _say("not_date", rules, name=name, value=value)
        elif not pd.Timestamp.min < stamp < pd.Timestamp.max:
            u_problem[i] = message("out_of_range", name=name, value=value)
        else:
            u_out[i] = stamp.as_unit("ns").to_datetime64()


def table_date_order(columns: list[list[Any]] | list[Cells]) -> str:
    """The day/month order a whole table's text dates show; "auto" when none or both.

    >>> table_date_order([["28/02/2026"], ["03/04/2026"]]), table_date_order([["03/04/2026"]])
    ('DMY', 'auto')
    """
    return date_order_decision(columns)[0]


def date_order_decision(columns: list[list[Any]] | list[Cells]) -> tuple[str, str | None]:
    """:func:`table_date_order` and the first date that shows the order (None when "auto").

    >>> date_order_decision([["01/02/2026"], ["11/28/2026"]])
    ('MDY', "'11/28/2026'")
    """
    return _decision(columns, lambda v: _parse_text_date_cached(v).kind, {_DMY: "DMY", _MDY: "MDY"})


def read_date_text(text: str, rules: ReadingRules = DEFAULT_RULES) -> pd.Timestamp | None:
    """One text date read by the rules of :func:`read_dates` (a report title's "As at 30
    November 2026"), or None when it is not one date.

    >>> read_date_text("30 November 2026"), read_date_text("03/04/2026")
    (Timestamp('2026-11-30 00:00:00'), None)
    """
    parsed = read_dates([text], "", rules)
    return None if parsed.problems[0] is not None or np.isnat(parsed.values[0]) else pd.Timestamp(parsed.values[0])


def _day(stamp: pd.Timestamp | None) -> str:
    return "?" if stamp is None else f"{stamp:%Y-%m-%d}"


def _window(parsed: Parsed, values: Any, name: str, rules: ReadingRules) -> Parsed:
    """List dates outside 1990 .. today + 10 years (the value is kept; the cell is named)."""
    if rules.today is None:
        return parsed
    low = np.datetime64("1990-01-01", "ns")
    high = np.datetime64(dt.date(rules.today.year + 10, 1, 1) if (rules.today.month, rules.today.day) == (2, 29)
                         else rules.today.replace(year=rules.today.year + 10), "ns")
    vals = parsed.values
    odd = ~np.isnat(vals) & ((vals < low) | (vals > high))
    for i in np.flatnonzero(odd):
        if parsed.problems[i] is None:
            parsed.problems[i] = message("implausible_date", name=name, value=_day(pd.Timestamp(vals[i])))
    return parsed


Converter = Callable[[list[Any], str, ReadingRules], Parsed]
