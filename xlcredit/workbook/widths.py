"""Column widths fitted to what a cell shows, as Excel's AutoFit would set them (a file
written headless is never opened by Excel before someone reads it).

A width is in Excel's character units (the width of a digit of the default font). A CJK
character counts double; a number counts as the text its number format shows, and a money
column (a format with a thousands separator) is made wide enough for
:data:`LARGE_AMOUNT` too, so the amounts a large company reaches (1.16 billion in a Chinese
aging total) never show ``###``, even after the user's next import grows them.

How wide must a column of amounts be, and one of Chinese names?

>>> number_text(1_160_000_000.0, "#,##0.00;[Red]-#,##0.00"), number_text(-5.0, '#,##0;[Red]-#,##0;"-"')
('1,160,000,000.00', '-5')
>>> display_width("上海宏达机械有限公司"), display_width("ACME GmbH")
(20.0, 9.0)
>>> money_floor("#,##0.00")
19.0
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import operator
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.workbook.port import SheetSpec

__all__ = ["LARGE_AMOUNT", "TEXT_CAP", "column_widths", "display_width", "money_floor", "number_text"]

#: The largest amount every money column is made wide enough for: just under ten billion
#: (with cents), what a large company's receivables or an aging total reach.
LARGE_AMOUNT = 9_999_999_999.99

#: Text wider than this (characters) is cut at the column's edge instead of widening it.
TEXT_CAP = 60.0

#: Room for the filter button of a table header, and for the cell's margins.
HEADER_PAD = 3.0
CELL_PAD = 2.0

_ROWS = 1000  # rows read per column (AutoFit of a long table looks at what is shown)


def display_width(value: Any) -> float:
    """Width of a text in character units: East Asian wide and full-width characters
    count two.

    >>> display_width("客户编号 ID")
    11.0
    """
    text = "" if value is None else str(value)
    return float(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text))


def _section(fmt: str, value: float) -> tuple[str, bool]:
    """The format section a value is shown with, and whether it shows its own sign."""
    parts = fmt.split(";")
    if value < 0 and len(parts) > 1:
        return parts[1], True
    if value == 0 and len(parts) > 2:
        return parts[2], True
    return parts[0], False


@dataclass(frozen=True)
class _Shown:
    """How a format section shows a number: ``signs + format(x, spec) + suffix``, where x
    is the number (its absolute value when ``own_sign``, times 100 when ``percent``);
    ``spec`` None when the section shows only its literal text (``suffix``)."""

    spec: str | None
    signs: str = ""
    suffix: str = ""
    own_sign: bool = False
    percent: bool = False


def _shown(fmt: str, value: float) -> _Shown:
    """How ``fmt`` (with digits) shows ``value``: the section its sign picks, read."""
    section, own_sign = _section(fmt, value)
    section = re.sub(r"\[[^\]]*\]", "", section)
    literal = "".join(re.findall(r'"([^"]*)"', section))
    body = re.sub(r'"[^"]*"', "", section)
    if not re.search(r"[0#]", body):
        return _Shown(None, suffix=literal)
    decimals = len(re.findall(r"[0#]", body.split(".", 1)[1])) if "." in body else 0
    spec = f",.{decimals}f" if "," in body else f".{decimals}f"
    signs = "".join(ch for ch in body if ch in "-+()")
    percent = "%" in body
    return _Shown(spec, signs, ("%" if percent else "") + literal, own_sign, percent)


def _general(fmt: str | None) -> str:
    """The ``format`` spec of a format without digits (for ``None``, money's), else ``""``."""
    if fmt is None:
        return ",.2f"
    return "g" if fmt in ("General", "@") or not re.search(r"[0#]", fmt) else ""


def number_text(value: float, fmt: str | None) -> str:
    """The text a number shows in a cell of ``fmt`` (the usual accounting formats: digits,
    thousands separator, decimals, percent, quoted literals; colours dropped).

    >>> number_text(0.1234, "0.0%"), number_text(12.5, "0"), number_text(0.0, '#,##0.00;-#,##0.00;"-"')
    ('12.3%', '12', '-')
    """
    general = _general(fmt)
    if general or fmt is None:
        return format(value, general)
    shown = _shown(fmt, value)
    if shown.spec is None:
        return shown.suffix
    x = abs(value) if shown.own_sign else value
    if shown.percent:
        x *= 100.0
    return shown.signs + format(x, shown.spec) + shown.suffix


def _is_money(fmt: str | None) -> bool:
    return bool(fmt) and "," in str(fmt).split(";")[0] and "%" not in str(fmt)


def money_floor(fmt: str) -> float:
    """The width a money column needs for :data:`LARGE_AMOUNT` and its negative."""
    widest = max(len(number_text(LARGE_AMOUNT, fmt)), len(number_text(-LARGE_AMOUNT, fmt)))
    return float(widest) + CELL_PAD


def cell_width(value: Any, fmt: str | None = None) -> float:
    """Width a cell needs to show ``value`` in ``fmt`` (text capped at :data:`TEXT_CAP`).

    >>> cell_width(dt.date(2026, 11, 30), "yyyy-mm-dd"), cell_width(1234.5, "#,##0.00")
    (12.0, 10.0)
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return 0.0
    if isinstance(value, bool):
        return display_width("FALSE") + CELL_PAD
    if isinstance(value, (dt.date, pd.Timestamp)):
        with_time = isinstance(value, dt.datetime) and value.time() != dt.time()
        shown = 16.0 if with_time else 10.0
        if fmt and "yy" in fmt and "h" not in fmt:
            shown = float(len(fmt.replace("yyyy", "2026").replace("yy", "26")))
        return shown + CELL_PAD
    if isinstance(value, (int, float)):
        return len(number_text(float(value), fmt)) + CELL_PAD
    return min(display_width(value), TEXT_CAP) + CELL_PAD


def _widest_text(texts: list[str]) -> float:
    """The largest :func:`display_width` of ``texts``, counted on their characters at once
    (East Asian width looked up once per distinct character, not per cell).

    >>> _widest_text(["ACME GmbH", "上海宏达", ""])
    9.0
    """
    if not texts:
        return 0.0
    joined = "".join(texts)
    if joined.isascii():
        return float(max(map(len, texts)))
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    distinct, where = np.unique(codes, return_inverse=True)
    wide = np.array([unicodedata.east_asian_width(chr(c)) in "WF" for c in distinct.tolist()])
    counted = np.concatenate([[0], np.cumsum(1 + wide[where].astype(np.int64))])
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    starts = np.r_[0, ends[:-1]]
    return float((counted[ends] - counted[starts]).max())


def _widest_number(numbers: np.ndarray, fmt: str | None) -> float:
    """The largest ``len(number_text(x, fmt))`` of finite or infinite ``numbers``: the format
    read once per section, each number formatted by ``format`` (no Python step per cell)."""
    if not len(numbers):
        return 0.0
    general = _general(fmt)
    if general or fmt is None:
        return float(max(map(len, map(format, numbers.tolist(), itertools.repeat(general)))))
    parts = fmt.split(";")
    negative = (numbers < 0) & (len(parts) > 1)
    zero = (numbers == 0) & (len(parts) > 2)
    widest = 0.0
    for where, sample in ((negative, -1.0), (zero, 0.0), (~negative & ~zero, 1.0)):
        if not where.any():
            continue
        shown = _shown(fmt, sample)  # the section of every number in ``where``
        if shown.spec is None:
            widest = max(widest, float(len(shown.suffix)))
            continue
        x = np.abs(numbers[where]) if shown.own_sign else numbers[where]
        if shown.percent:
            x = x * 100.0
        longest = max(map(len, map(format, x.tolist(), itertools.repeat(shown.spec))))
        widest = max(widest, float(len(shown.signs) + longest + len(shown.suffix)))
    return widest


def _widest_cell(values: list[Any], fmt: str | None) -> float:
    """``max(cell_width(v, fmt) for v in values)`` (0 for none), worked out per kind of
    value: each Python type is measured at once."""
    column = np.empty(len(values), dtype=object)
    column[:] = values
    kinds = list(map(type, values))
    kind_ids = np.fromiter(map(id, kinds), dtype=np.int64, count=len(kinds))
    need = 0.0
    for kind in set(kinds):
        found = column[kind_ids == id(kind)]
        if kind is type(None) or kind is type(pd.NaT):
            continue
        if issubclass(kind, bool):
            need = max(need, display_width("FALSE") + CELL_PAD)
        elif issubclass(kind, (dt.date, pd.Timestamp)):
            midnight = dt.time()
            with_time = issubclass(kind, dt.datetime) and any(
                t != midnight for t in map(operator.methodcaller("time"), found.tolist())
            )
            shown = 16.0 if with_time else 10.0
            if fmt and "yy" in fmt and "h" not in fmt:
                shown = float(len(fmt.replace("yyyy", "2026").replace("yy", "26")))
            need = max(need, shown + CELL_PAD)
        elif issubclass(kind, (int, float)):
            numbers = found.astype(np.float64)
            numbers = numbers[~np.isnan(numbers)]
            if len(numbers):
                need = max(need, _widest_number(numbers, fmt) + CELL_PAD)
        else:
            texts = found.tolist() if kind is str else list(map(str, found.tolist()))
            need = max(need, min(_widest_text(texts), TEXT_CAP) + CELL_PAD)
    return need


def _fit(header: Any, values: list[Any], fmt: str | None) -> float:
    need = min(display_width(header), TEXT_CAP) + HEADER_PAD if header is not None else 0.0
    need = max(need, _widest_cell(values, fmt))
    if _is_money(fmt):
        need = max(need, money_floor(str(fmt)))
    return need


def column_widths(spec: SheetSpec) -> dict[int, float]:
    """Widths of a generated sheet's columns: the spec's own as a minimum, widened to fit
    each table column's header (with its filter button), its first 1,000 cells as their
    number formats show them, and, in money columns, :data:`LARGE_AMOUNT`; a column holding
    a single figure fits the figure.

    >>> from xlcredit.workbook.port import TableSpec
    >>> spec = SheetSpec("Aging", tables=[TableSpec("tblAging", pd.DataFrame({"客户名称": ["上海宏达机械有限公司"],
    ...     "合计": [1_160_000_000.0]}), number_formats={"合计": "#,##0.00"})], widths={1: 13})
    >>> column_widths(spec)
    {0: 22.0, 1: 19.0}
    """
    out = {int(k): float(v) for k, v in spec.widths.items()}
    for table in spec.tables:
        frame = table.frame
        for j, header in enumerate(frame.columns):
            col = table.col + j
            fmt = table.number_formats.get(str(header))
            values = frame.iloc[:_ROWS, j].tolist()
            out[col] = max(out.get(col, 0.0), _fit(header, values, fmt))
    for cell in spec.cells:  # figures (a title or a note overflows into the empty cells beside it)
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            out[cell.col] = max(out.get(cell.col, 0.0), _fit(None, [cell.value], cell.number_format))
    return dict(sorted(out.items()))
