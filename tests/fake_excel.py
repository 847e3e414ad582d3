"""A fake Excel behind the xlwings adapter: the xlwings objects it calls (Book, Sheet, Range,
Table) and the COM objects it reaches through ``.api``, enough to run
:class:`xlcredit.workbook.excel.ExcelWorkbook` on Linux (DESIGN.md 4, STYLE.md 18).

It is not a spreadsheet. It models the behaviours of real Excel that bite an adapter written
against the documentation alone, each with its source:

- relative references in ``FormatConditions.Add(Formula1=...)`` and in ``Formula1`` read back
  are taken relative to the *active cell*, not to the range's top-left cell (KB 895562), and in
  the application's reference style (A1 or R1C1);
- ``Range.Value = "text"`` parses the text as if typed: "1-30" becomes a date, "0042" a
  number, unless the cell's number format is text ("@") or the text starts with an apostrophe;
- ``Application.ActiveWorkbook`` is Nothing when no workbook window is open, and a workbook in
  Protected View is not a workbook at all (only ``ActiveProtectedViewWindow``);
- ``Window.SplitRow``/``SplitColumn`` count from the top-left cell of the pane (``ScrollRow``,
  ``ScrollColumn``), and ``Sheets.Add`` activates the new sheet;
- ``PageSetup.PaperSize`` fails where the printer driver refuses it (no printer installed);
- every value written recalculates and raises ``Worksheet_Change`` while ``Calculation`` is
  automatic and ``EnableEvents`` is True;
- table names are unique in a workbook (``ListObjects.Add`` fails on a taken name).

Everything else is the smallest thing that works. Use :func:`open_book` to load an ``.xlsx``
(values, number formats and tables) into a fake Excel.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, ClassVar

XL_A1, XL_R1C1 = 1, -4150  # XlReferenceStyle
XL_CALCULATION_AUTOMATIC, XL_CALCULATION_MANUAL = -4105, -4135  # XlCalculation
XL_CELL_VALUE, XL_EXPRESSION, XL_DATABAR = 1, 2, 4  # XlFormatConditionType
XL_LIST_SEPARATOR = 5  # XlApplicationInternational


class ComError(Exception):
    """What pywin32 raises for a failed COM call (``pywintypes.com_error``)."""


class Bag:
    """A COM object whose properties are only stored (fonts, interiors, chart parts)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = Bag()
        setattr(self, name, value)
        return value


# -- addresses and formulas ---------------------------------------------------------------------
def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def parse_address(address: str) -> tuple[int, int, int, int]:
    """'B4:H6' -> (4, 2, 6, 8); '$A$1' -> (1, 1, 1, 1)."""
    corners = []
    for part in address.split(":"):
        m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", part)
        if m is None:
            raise ComError(f"Method 'Range' of object '_Worksheet' failed ({address!r})")
        corners.append((int(m.group(2)), column_number(m.group(1))))
    (r1, c1), (r2, c2) = corners[0], corners[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


_A1_REF = re.compile(r"(?<![A-Za-z0-9_.$!])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![0-9A-Za-z_(])")
_R1C1_REF = re.compile(r"(?<![A-Za-z0-9_])R(\[-?\d+\]|\d+)?C(\[-?\d+\]|\d+)?(?![0-9A-Za-z_(])")


def _outside_strings(formula: str, change: Any) -> str:
    parts = formula.split('"')
    return '"'.join(change(p) if i % 2 == 0 else p for i, p in enumerate(parts))


def a1_to_r1c1(formula: str, row: int, col: int) -> str:
    """A1 references -> R1C1, relative ones counted from (row, col)."""

    def one(m: re.Match[str]) -> str:
        r, c = int(m.group(4)), column_number(m.group(2))
        rr = f"R{r}" if m.group(3) else ("R" if r == row else f"R[{r - row}]")
        cc = f"C{c}" if m.group(1) else ("C" if c == col else f"C[{c - col}]")
        return rr + cc

    return _outside_strings(formula, lambda text: _A1_REF.sub(one, text))


def r1c1_to_a1(formula: str, row: int, col: int) -> str:
    """R1C1 references -> A1 seen from (row, col); off the sheet is #REF! (as Excel shows)."""

    def one(m: re.Match[str]) -> str:
        def part(token: str | None, here: int) -> tuple[int, bool]:
            if not token:
                return here, False
            if token.startswith("["):
                return here + int(token[1:-1]), False
            return int(token), True

        r, r_abs = part(m.group(1), row)
        c, c_abs = part(m.group(2), col)
        if r < 1 or c < 1:
            return "#REF!"
        return f"{'$' if c_abs else ''}{column_letters(c)}{'$' if r_abs else ''}{r}"

    return _outside_strings(formula, lambda text: _R1C1_REF.sub(one, text))


# -- what typing into a cell does -----------------------------------------------------------------
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def parse_entry(text: str, number_format: str | None, today: dt.date) -> tuple[Any, bool]:
    """What ``Range.Value = text`` stores: (value, has an apostrophe prefix).

    Modelled on https://support.microsoft.com/en-us/office/stop-automatically-changing-numbers-to-dates-452bd2db-cc96-47d1-81e4-72cec11c4ed8
    ("Excel is preprogrammed to make it easier to enter dates ... 12/2 changes to 2-Dec";
    a leading apostrophe or the Text format keeps what you typed) and xlwings issue #1269
    ("001" written through ``Range.value`` arrives as 1; the maintainer's answer: "'001").
    The date forms are the en-US ones (month first): "1-30" and "1/30" are 30 January of the
    current year, "2026-11-28" a full date.
    """
    if number_format == "@":  # whether an apostrophe is then a prefix is not documented:
        return text, False  # keep what was written, so an adapter must not rely on it
    if text.startswith("'"):
        return text[1:], True
    if not text.strip():
        return text, False
    s = text.strip()
    if s.upper() in ("TRUE", "FALSE"):
        return s.upper() == "TRUE", False
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s):
        return float(s), False
    if re.fullmatch(r"[+-]?\d+(\.\d+)?%", s):
        return float(s[:-1]) / 100, False
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", s)
    if m:
        try:
            return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3))), False
        except ValueError:
            return text, False
    m = re.fullmatch(r"(\d{1,2})[-/](\d{1,2})", s)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        try:
            return dt.datetime(today.year, month, day), False
        except ValueError:
            return text, False
    m = re.fullmatch(r"(\d{1,2})-([A-Za-z]{3})", s)
    if m and m.group(2).lower() in _MONTHS:
        return dt.datetime(today.year, _MONTHS.index(m.group(2).lower()) + 1, int(m.group(1))), False
    return text, False


# -- COM: application, windows, conditional formats -----------------------------------------------
class FakeWindow:
    """``Application.ActiveWindow``: the pane state of the active sheet.

    ``SplitRow`` is "the number of rows above the split"
    (https://learn.microsoft.com/en-us/office/vba/api/excel.window.splitrow) and those rows are
    counted from the row at the top of the pane, ``ScrollRow``
    (https://learn.microsoft.com/en-us/office/vba/api/excel.window.scrollrow); so a sheet
    scrolled to row 30 freezes rows 30-32 for ``SplitRow = 3``, not rows 1-3 (issue 13, 7).
    """

    def __init__(self, app: FakeApplication) -> None:
        object.__setattr__(self, "_app", app)

    def _view(self) -> dict[str, Any]:
        sheet = self._app.active_sheet()
        if sheet is None:
            raise ComError("Object variable or With block variable not set (no active window)")
        return sheet.view

    _FIELDS: ClassVar[dict[str, str]] = {"ScrollRow": "scroll_row", "ScrollColumn": "scroll_col", "SplitRow": "split_row",
               "SplitColumn": "split_col", "FreezePanes": "freeze"}  # fmt: skip

    def __getattr__(self, name: str) -> Any:
        if name in FakeWindow._FIELDS:
            return self._view()[FakeWindow._FIELDS[name]]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in FakeWindow._FIELDS:
            raise AttributeError(name)
        view = self._view()
        if name == "FreezePanes" and value:
            view["frozen_at"] = (
                view["scroll_row"] + view["split_row"],
                view["scroll_col"] + view["split_col"],
            )
        if name == "FreezePanes" and not value:
            view["frozen_at"] = None
        view[FakeWindow._FIELDS[name]] = value


class FakeApplication:
    """The COM ``Application`` (``app.api``)."""

    def __init__(self, app: FakeApp) -> None:
        self._xw_app = app
        # https://learn.microsoft.com/en-us/office/vba/api/excel.application.calculation and
        # .../excel.application.enableevents: with automatic calculation each change recalculates
        # the dependent formulas (UDFs included), and with events on each change runs
        # Worksheet_Change (https://learn.microsoft.com/en-us/office/vba/api/excel.worksheet.change).
        self.Calculation = XL_CALCULATION_AUTOMATIC
        self.EnableEvents = True
        self.ScreenUpdating = True
        self.PrintCommunication = True
        self.StatusBar: Any = False
        # https://learn.microsoft.com/en-us/office/vba/api/excel.application.referencestyle
        self.ReferenceStyle = XL_A1
        self.list_separator = ","
        self.has_printer = True
        self.recalculations = 0
        self.change_events = 0
        # each Range.Value assignment is one cross-process COM call, whatever its size: the
        # cost the adapter keeps low by writing blocks (issue 17)
        self.value_assignments = 0
        self.protected_view: str | None = None

    # https://learn.microsoft.com/en-us/office/vba/api/excel.application.activeworkbook:
    # "Returns Nothing if there are no windows open"; a file in Protected View is not in the
    # Workbooks collection: https://learn.microsoft.com/en-us/office/vba/api/excel.protectedviewwindow
    @property
    def ActiveWorkbook(self) -> Any:
        book = self._xw_app.active_book
        if book is None or self.protected_view is not None:
            return None
        return book.api

    @property
    def ActiveProtectedViewWindow(self) -> Any:
        return None if self.protected_view is None else Bag(Caption=self.protected_view)

    def active_sheet(self) -> FakeSheet | None:
        book = self._xw_app.active_book
        return None if book is None else book.active_sheet

    @property
    def ActiveSheet(self) -> Any:
        sheet = self.active_sheet()
        return None if sheet is None else sheet.api

    @property
    def ActiveCell(self) -> Any:
        """The active cell of the active sheet (each sheet keeps its own selection)."""
        sheet = self.active_sheet()
        if sheet is None:
            return None
        row, col = sheet.view["selection"]
        return sheet.range((row, col)).api

    @property
    def ActiveWindow(self) -> FakeWindow:
        return FakeWindow(self)

    def International(self, index: int) -> Any:
        return self.list_separator if index == XL_LIST_SEPARATOR else None

    @staticmethod
    def InchesToPoints(inches: float) -> float:
        return inches * 72.0

    def ConvertFormula(
        self,
        Formula: str,
        FromReferenceStyle: int,
        ToReferenceStyle: int | None = None,
        ToAbsolute: Any = None,
        RelativeTo: Any = None,
    ) -> str:
        """https://learn.microsoft.com/en-us/office/vba/api/excel.application.convertformula:
        relative references are converted relative to the cell ``RelativeTo``."""
        if RelativeTo is None:
            raise ComError("ConvertFormula needs RelativeTo for relative references (fake)")
        row, col = RelativeTo.Row, RelativeTo.Column
        target = FromReferenceStyle if ToReferenceStyle is None else ToReferenceStyle
        r1c1 = a1_to_r1c1(Formula, row, col) if FromReferenceStyle == XL_A1 else Formula
        return r1c1_to_a1(r1c1, row, col) if target == XL_A1 else r1c1

    def written(self, cells: int) -> None:
        if self.Calculation == XL_CALCULATION_AUTOMATIC:
            self.recalculations += 1
        if self.EnableEvents:
            self.change_events += 1

    # what the adapter's formulas mean to Excel: formulas in the application's style, relative
    # references against the active cell (KB 895562:
    # https://learn.microsoft.com/en-us/office/troubleshoot/excel/conditional-formatting-set-incorrectly)
    def formula_in(self, text: str) -> str:
        """A formula typed into a conditional format -> stored R1C1 (relative to the
        active cell). In R1C1 style an A1 reference is not a reference: Excel refuses it."""
        if self.ReferenceStyle == XL_R1C1:
            if any(_A1_REF.search(_R1C1_REF.sub("", part)) for part in text.split('"')[::2]):
                raise ComError(f"Invalid procedure call or argument (A1 formula {text!r} in R1C1 style)")
            return text
        cell = self.ActiveCell
        return a1_to_r1c1(text, cell.Row, cell.Column)

    def formula_out(self, stored: str) -> str:
        if self.ReferenceStyle == XL_R1C1:
            return stored
        cell = self.ActiveCell
        return r1c1_to_a1(stored, cell.Row, cell.Column)


class FakeCondition:
    """One ``FormatCondition``; its formulas are kept in R1C1 (as Excel does internally)."""

    def __init__(self, owner: FakeConditions, applies: FakeRange, kind: int, operator: Any,
                 formulas: list[str]) -> None:  # fmt: skip
        self._owner = owner
        self.AppliesTo = applies.api
        self.Type = kind
        self.Operator = operator
        self._stored = formulas
        self.Interior = Bag()
        self.Font = Bag()
        self.BarColor = Bag()

    @property
    def Formula1(self) -> str:
        return self._app().formula_out(self._stored[0])

    @property
    def Formula2(self) -> str:
        return self._app().formula_out(self._stored[1])

    def _app(self) -> FakeApplication:
        return self._owner.sheet.book.app.api

    def Delete(self) -> None:
        self._owner.sheet.conditions.remove(self)

    def formulas_at_top_left(self) -> list[str]:
        """The rule's formulas as a saved file holds them: relative to the top-left cell of
        the range it applies to (ECMA-376 18.3.1.10 cfRule / formula)."""
        r1, c1, _, _ = self.AppliesTo.bounds
        return [r1c1_to_a1(f, r1, c1) for f in self._stored]


class FakeConditions:
    """``Range.FormatConditions`` (``Cells.FormatConditions`` for a whole sheet)."""

    def __init__(self, rng: FakeRange) -> None:
        self.rng = rng
        self.sheet = rng.sheet

    def _mine(self) -> list[FakeCondition]:
        if self.rng.whole_sheet:
            return list(self.sheet.conditions)
        b = self.rng.bounds
        return [c for c in self.sheet.conditions if c.AppliesTo.bounds == b]

    @property
    def Count(self) -> int:
        return len(self._mine())

    def Item(self, index: int) -> FakeCondition:
        return self._mine()[index - 1]

    def Delete(self) -> None:
        for c in self._mine():
            self.sheet.conditions.remove(c)

    def Add(self, Type: int, Operator: Any = None, Formula1: Any = None, Formula2: Any = None) -> FakeCondition:
        app = self.sheet.book.app.api

        def text(value: Any) -> str:
            if not isinstance(value, str):
                value = f"={int(value)}" if float(value).is_integer() else f"={value!r}"
            return app.formula_in(value if value.startswith("=") else "=" + value)

        formulas = [text(f) for f in (Formula1, Formula2) if f is not None]
        rule = FakeCondition(self, self.rng, Type, Operator, formulas)
        self.sheet.conditions.append(rule)
        return rule

    def AddDatabar(self) -> FakeCondition:
        rule = FakeCondition(self, self.rng, XL_DATABAR, None, [])
        self.sheet.conditions.append(rule)
        return rule


class FakePageSetup:
    """``Worksheet.PageSetup``. "Some of these constants may not be available to you,
    depending on the printer driver you're using"
    (https://learn.microsoft.com/en-us/office/vba/api/excel.pagesetup.papersize): without a
    printer, setting PaperSize fails with "Unable to set the PaperSize property of the
    PageSetup class"."""

    def __init__(self, app: FakeApplication) -> None:
        object.__setattr__(self, "_app", app)
        object.__setattr__(self, "_values", {})

    def __getattr__(self, name: str) -> Any:
        return self._values.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "PaperSize" and not self._app.has_printer:
            raise ComError("Unable to set the PaperSize property of the PageSetup class")
        self._values[name] = value


class RangeCom:
    """``Range`` as COM sees it (``xw.Range.api``)."""

    def __init__(self, rng: FakeRange) -> None:
        object.__setattr__(self, "_rng", rng)

    @property
    def Row(self) -> int:
        return self._rng.bounds[0]

    @property
    def Column(self) -> int:
        return self._rng.bounds[1]

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return self._rng.bounds

    @property
    def FormatConditions(self) -> FakeConditions:
        return FakeConditions(self._rng)

    @property
    def Validation(self) -> Any:
        return self._rng.sheet.validations.setdefault(self._rng.bounds, _Validation())

    def Cells(self, row: int, col: int) -> RangeCom:
        r1, c1, _, _ = self._rng.bounds
        return FakeRange(self._rng.sheet, (r1 + row - 1, c1 + col - 1, r1 + row - 1, c1 + col - 1)).api

    def Address(self, RowAbsolute: bool = True, ColumnAbsolute: bool = True) -> str:
        r1, c1, r2, c2 = self._rng.bounds

        def one(r: int, c: int) -> str:
            return f"{'$' if ColumnAbsolute else ''}{column_letters(c)}{'$' if RowAbsolute else ''}{r}"

        return one(r1, c1) if (r1, c1) == (r2, c2) else f"{one(r1, c1)}:{one(r2, c2)}"

    def __getattr__(self, name: str) -> Any:
        return self._rng.sheet.com_props.get((self._rng.bounds, name))

    def __setattr__(self, name: str, value: Any) -> None:
        self._rng.sheet.com_props[(self._rng.bounds, name)] = value


class _Validation(Bag):
    def Delete(self) -> None:
        self.__dict__.clear()

    def Add(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)


# -- xlwings objects --------------------------------------------------------------------------
class _Font:
    def __init__(self, rng: FakeRange) -> None:
        object.__setattr__(self, "_rng", rng)

    def __setattr__(self, name: str, value: Any) -> None:
        self._rng.sheet.com_props[(self._rng.bounds, "font." + name)] = value


class _Lines:
    """``rng.columns`` / ``rng.rows``."""

    def __init__(self, rng: FakeRange, by_column: bool) -> None:
        self.rng, self.by_column = rng, by_column

    @property
    def count(self) -> int:
        r1, c1, r2, c2 = self.rng.bounds
        return c2 - c1 + 1 if self.by_column else r2 - r1 + 1

    def __getitem__(self, i: int) -> FakeRange:
        r1, c1, r2, c2 = self.rng.bounds
        if self.by_column:
            return FakeRange(self.rng.sheet, (r1, c1 + i, r2, c1 + i))
        return FakeRange(self.rng.sheet, (r1 + i, c1, r1 + i, c2))


class FakeRange:
    def __init__(self, sheet: FakeSheet, bounds: tuple[int, int, int, int], whole: bool = False,
                 ndim: int | None = None) -> None:  # fmt: skip
        self.sheet, self.bounds, self.whole_sheet, self._ndim = sheet, bounds, whole, ndim

    # geometry
    @property
    def row(self) -> int:
        return self.bounds[0]

    @property
    def column(self) -> int:
        return self.bounds[1]

    @property
    def shape(self) -> tuple[int, int]:
        r1, c1, r2, c2 = self.bounds
        return r2 - r1 + 1, c2 - c1 + 1

    @property
    def columns(self) -> _Lines:
        return _Lines(self, True)

    @property
    def rows(self) -> _Lines:
        return _Lines(self, False)

    def resize(self, rows: int, cols: int) -> FakeRange:
        r1, c1, _, _ = self.bounds
        return FakeRange(self.sheet, (r1, c1, r1 + rows - 1, c1 + cols - 1))

    def __getitem__(self, key: tuple[int, int]) -> FakeRange:
        i, j = key
        r1, c1, _, _ = self.bounds
        return FakeRange(self.sheet, (r1 + i, c1 + j, r1 + i, c1 + j))

    def options(self, ndim: int | None = None, **_: Any) -> FakeRange:
        return FakeRange(self.sheet, self.bounds, self.whole_sheet, ndim)

    @property
    def api(self) -> RangeCom:
        return RangeCom(self)

    @property
    def font(self) -> _Font:
        return _Font(self)

    @property
    def left(self) -> float:
        return (self.bounds[1] - 1) * 48.0

    @property
    def top(self) -> float:
        return (self.bounds[0] - 1) * 15.0

    def _cells(self) -> list[list[tuple[int, int]]]:
        r1, c1, r2, c2 = self.bounds
        return [[(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    # values
    @property
    def value(self) -> Any:
        rows = [[self.sheet.cells.get(rc) for rc in line] for line in self._cells()]
        if self._ndim == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        if len(rows) == 1:
            return rows[0]
        if all(len(r) == 1 for r in rows):
            return [r[0] for r in rows]
        return rows

    @value.setter
    def value(self, data: Any) -> None:
        cells = self._cells()
        if not isinstance(data, list):
            data = [[data]]
        elif data and not isinstance(data[0], list):
            data = [data] if len(cells) == 1 else [[v] for v in data]
        if len(data) != len(cells) or any(len(a) != len(b) for a, b in zip(data, cells, strict=False)):
            raise ComError(f"fake: {len(data)} rows written to a range of {len(cells)} rows")
        today = self.sheet.book.app.today
        for line, values in zip(cells, data, strict=True):
            for rc, value in zip(line, values, strict=True):
                self.sheet.write_cell(rc, value, today)
        self.sheet.book.app.api.value_assignments += 1
        self.sheet.book.app.api.written(sum(len(line) for line in cells))

    @property
    def number_format(self) -> str | None:
        return self.sheet.formats.get((self.bounds[0], self.bounds[1]))

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        for line in self._cells():
            for rc in line:
                self.sheet.formats[rc] = fmt

    @property
    def formula(self) -> str | None:
        return self.sheet.formulas.get((self.bounds[0], self.bounds[1]))

    @formula.setter
    def formula(self, text: str) -> None:
        for line in self._cells():
            for rc in line:
                self.sheet.formulas[rc] = text
                self.sheet.cells[rc] = None
        self.sheet.book.app.api.written(1)

    @property
    def column_width(self) -> float | None:
        return self.sheet.widths.get(self.bounds[1])

    @column_width.setter
    def column_width(self, width: float) -> None:
        self.sheet.widths[self.bounds[1]] = width


class FakeName:
    def __init__(self, collection: list[FakeName], name: str, refers_to: str) -> None:
        self._collection, self.name, self.refers_to = collection, name, refers_to
        self.api = Bag(Visible=True)

    def delete(self) -> None:
        self._collection.remove(self)


class _Names:
    def __init__(self, prefix: str) -> None:
        self.prefix, self.items = prefix, []  # type: ignore[var-annotated]

    def __iter__(self) -> Any:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def add(self, name: str, refers_to: str) -> FakeName:
        found = FakeName(self.items, self.prefix + name, refers_to)
        self.items.append(found)
        return found


class FakeTable:
    """``xw.main.Table`` over a ListObject (header row, data rows, optional totals row)."""

    def __init__(self, sheet: FakeSheet, name: str, bounds: tuple[int, int, int, int]) -> None:
        self.parent, self.name, self.bounds, self.totals = sheet, name, bounds, False
        table = self

        class _Api:
            def Delete(self) -> None:
                sheet.tables.items.remove(table)

            @property
            def ShowTotals(self) -> bool:
                return table.totals

            @ShowTotals.setter
            def ShowTotals(self, on: bool) -> None:
                if on and not table.totals:
                    r1, c1, r2, c2 = table.bounds
                    table.bounds = (r1, c1, r2 + 1, c2)
                table.totals = on

            def ListColumns(self, i: int) -> Bag:
                return table.parent.list_columns.setdefault((table.name, i), Bag())

        self.api = _Api()

    @property
    def range(self) -> FakeRange:
        return FakeRange(self.parent, self.bounds)

    def resize(self, rng: FakeRange) -> None:
        """``ListObject.Resize``: the header stays where it is ("The header must remain in
        the same row and the resulting list object must overlap the original list object",
        Microsoft's ListObject.Resize reference); the range given covers the whole table."""
        r1, c1, _, _ = self.bounds
        if rng.bounds[:2] != (r1, c1):
            raise ComError("The header must remain in the same row")
        self.bounds = rng.bounds

    @property
    def header_row_range(self) -> FakeRange:
        r1, c1, _, c2 = self.bounds
        return FakeRange(self.parent, (r1, c1, r1, c2))

    @property
    def data_body_range(self) -> FakeRange | None:
        r1, c1, r2, c2 = self.bounds
        last = r2 - 1 if self.totals else r2
        return None if last <= r1 else FakeRange(self.parent, (r1 + 1, c1, last, c2))

    @property
    def totals_row_range(self) -> FakeRange | None:
        _, c1, r2, c2 = self.bounds
        return FakeRange(self.parent, (r2, c1, r2, c2)) if self.totals else None

    @property
    def columns(self) -> Any:
        table = self
        r1, c1, _, c2 = self.bounds

        class _Column:
            def __init__(self, name: Any) -> None:
                self.name = str(name)

        class _Columns(list):  # type: ignore[type-arg]
            def add(self, name: str) -> None:
                a, b, c, d = table.bounds
                table.bounds = (a, b, c, d + 1)
                table.parent.cells[(a, d + 1)] = name

        return _Columns(_Column(self.parent.cells.get((r1, c))) for c in range(c1, c2 + 1))


class _Tables:
    def __init__(self, sheet: FakeSheet) -> None:
        self.sheet, self.items = sheet, []  # type: ignore[var-annotated]

    def __iter__(self) -> Any:
        return iter(list(self.items))

    def add(self, source: FakeRange, name: str, table_style_name: str | None = None) -> FakeTable:
        # Table names are unique in a workbook: "Rename an Excel table"
        # (https://support.microsoft.com/en-us/office/rename-an-excel-table-fbf49a4f-82a3-43eb-8ba2-44d21233b114).
        taken = {t.name.casefold() for s in self.sheet.book.sheets for t in s.tables}
        if name.casefold() in taken:
            raise ComError(f"Application-defined or object-defined error (table name {name} is taken)")
        table = FakeTable(self.sheet, name, source.bounds)
        self.items.append(table)
        return table


class _Charts:
    def __init__(self) -> None:
        self.items: list[Bag] = []

    def __iter__(self) -> Any:
        return iter(list(self.items))

    def add(self, **kwargs: Any) -> Bag:
        chart = Bag(**kwargs)
        com = Bag(series=[])
        com.SeriesCollection = lambda: Bag(NewSeries=lambda: com.series.append(Bag()) or com.series[-1])
        chart.api = (None, com)
        chart.delete = lambda: self.items.remove(chart)
        self.items.append(chart)
        return chart


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], Any] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.prefixed: set[tuple[int, int]] = set()
        self.widths: dict[int, float] = {}
        self.com_props: dict[Any, Any] = {}
        self.validations: dict[Any, Any] = {}
        self.list_columns: dict[Any, Any] = {}
        self.conditions: list[FakeCondition] = []
        self.tables = _Tables(self)
        self.charts = _Charts()
        self.names = _Names(f"{name}!")
        self.protected = False
        self.view: dict[str, Any] = {"scroll_row": 1, "scroll_col": 1, "split_row": 0,
                                     "split_col": 0, "freeze": False, "frozen_at": None,
                                     "selection": (1, 1)}  # fmt: skip
        sheet = self
        app = book.app.api

        class _Api:
            @property
            def ProtectContents(self) -> bool:
                return sheet.protected

            @property
            def Cells(self) -> RangeCom:
                return FakeRange(sheet, (1, 1, 1_048_576, 16_384), whole=True).api

            PageSetup = FakePageSetup(app)
            Tab = Bag()
            Name = name

            def Activate(self) -> None:
                sheet.activate()

        self.api = _Api()

    def write_cell(self, rc: tuple[int, int], value: Any, today: dt.date) -> None:
        self.formulas.pop(rc, None)
        self.prefixed.discard(rc)
        if isinstance(value, str):
            value, prefixed = parse_entry(value, self.formats.get(rc), today)
            if prefixed:
                self.prefixed.add(rc)
        if value == "":
            value = None
        self.cells[rc] = value

    def range(self, where: Any) -> FakeRange:
        if isinstance(where, tuple):
            row, col = where
            return FakeRange(self, (row, col, row, col))
        return FakeRange(self, parse_address(where))

    def clear(self) -> None:
        self.cells.clear()
        self.formats.clear()
        self.formulas.clear()
        self.prefixed.clear()

    def activate(self) -> None:
        self.book.active_sheet = self
        self.book.app.active_book = self.book

    def select(self, address: str) -> None:
        """Make ``address`` the sheet's active cell (as a click would)."""
        r1, c1, _, _ = parse_address(address)
        self.view["selection"] = (r1, c1)


class _Sheets:
    def __init__(self, book: FakeBook) -> None:
        self.book, self.items = book, []  # type: ignore[var-annotated]

    def __iter__(self) -> Any:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, key: int | str) -> FakeSheet:
        if isinstance(key, int):
            return self.items[key]  # type: ignore[no-any-return]
        for sheet in self.items:
            if sheet.name.casefold() == key.casefold():
                return sheet  # type: ignore[no-any-return]
        raise KeyError(key)

    @property
    def active(self) -> FakeSheet | None:
        return self.book.active_sheet

    def add(self, name: str, before: FakeSheet | None = None, after: FakeSheet | None = None) -> FakeSheet:
        """Sheets.Add: "the new worksheet becomes the active sheet"
        (https://learn.microsoft.com/en-us/office/vba/api/excel.sheets.add)."""
        sheet = FakeSheet(self.book, name)
        at = self.items.index(before) if before is not None else (
            self.items.index(after) + 1 if after is not None else len(self.items))
        self.items.insert(at, sheet)
        sheet.activate()
        return sheet


class FakeDocProperty(Bag):
    """A ``DocumentProperty``: Name, Type (MsoDocProperties), Value."""

    def __init__(self, owner: FakeDocProperties, **values: Any) -> None:
        super().__init__(**values)
        self._owner = owner

    def Delete(self) -> None:
        self._owner.items.remove(self)


class FakeDocProperties:
    """``Workbook.CustomDocumentProperties``: 1-based Item, Add with keywords; as in Excel,
    a number property returns a float and adding an existing name fails."""

    def __init__(self) -> None:
        self.items: list[FakeDocProperty] = []

    @property
    def Count(self) -> int:
        return len(self.items)

    def Item(self, index: int) -> FakeDocProperty:
        return self.items[index - 1]

    def Add(self, Name: str, LinkToContent: bool, Type: int, Value: Any) -> FakeDocProperty:
        if any(p.Name == Name for p in self.items):
            raise ComError(f"a property named {Name} already exists")
        if Type == 1:
            Value = float(Value)
        prop = FakeDocProperty(self, Name=Name, Type=Type, Value=Value)
        self.items.append(prop)
        return prop


class FakeBook:
    """``xw.Book``."""

    def __init__(self, app: FakeApp, name: str = "book.xlsx") -> None:
        self.app, self.name = app, name
        self.sheets = _Sheets(self)
        self.names = _Names("")
        self.active_sheet: FakeSheet | None = None
        self.api = Bag(Name=name, CustomDocumentProperties=FakeDocProperties())

    def add_sheet(self, name: str) -> FakeSheet:
        sheet = FakeSheet(self, name)
        self.sheets.items.append(sheet)
        if self.active_sheet is None:
            sheet.activate()
        return sheet


class FakeApp:
    """``xw.App``: its COM ``api`` and the few xlwings properties the adapter uses."""

    def __init__(self, today: dt.date = dt.date(2026, 12, 7)) -> None:
        self.today = today
        self.api = FakeApplication(self)
        self.active_book: FakeBook | None = None
        self.alerts: list[str] = []

    @property
    def screen_updating(self) -> bool:
        return bool(self.api.ScreenUpdating)

    @screen_updating.setter
    def screen_updating(self, on: bool) -> None:
        self.api.ScreenUpdating = on

    @property
    def status_bar(self) -> Any:
        return self.api.StatusBar

    @status_bar.setter
    def status_bar(self, text: Any) -> None:
        self.api.StatusBar = text

    @property
    def selection(self) -> FakeRange | None:
        sheet = self.api.active_sheet()
        if sheet is None:
            return None
        return sheet.range(sheet.view["selection"])

    def alert(self, prompt: str, title: str | None = None, **_: Any) -> None:
        self.alerts.append(prompt)


_TYPE_NAMES = {XL_CELL_VALUE: "cellIs", XL_EXPRESSION: "expression", XL_DATABAR: "dataBar"}
_OPERATOR_NAMES = {1: "between", 2: "notBetween", 3: "equal", 4: "notEqual", 5: "greaterThan",
                   6: "lessThan", 7: "greaterThanOrEqual", 8: "lessThanOrEqual"}  # fmt: skip


def condition_summary(rule: FakeCondition) -> tuple[str, str, str | None, list[str]]:
    """(range, type, operator, formulas) as openpyxl reads them from a saved file."""
    operator = _OPERATOR_NAMES.get(rule.Operator) if rule.Type == XL_CELL_VALUE else None
    return (rule.AppliesTo.Address(False, False), _TYPE_NAMES.get(rule.Type, str(rule.Type)),
            operator, [f.removeprefix("=") for f in rule.formulas_at_top_left()])


def open_book(path: Path, app: FakeApp | None = None) -> FakeBook:
    """Load an ``.xlsx`` into a fake Excel: values as COM returns them (numbers as float,
    dates as datetime), number formats, tables and sheet-level names (openpyxl reads it)."""
    import openpyxl

    app = app or FakeApp()
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    book = FakeBook(app, path.name)
    for ws in wb.worksheets:
        sheet = book.add_sheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                value = cached[ws.title][cell.coordinate].value
                if cell.data_type == "f":
                    sheet.formulas[(cell.row, cell.column)] = str(cell.value)
                if isinstance(value, int) and not isinstance(value, bool):
                    value = float(value)
                if value is not None:
                    sheet.cells[(cell.row, cell.column)] = value
                if cell.number_format and cell.number_format != "General":
                    sheet.formats[(cell.row, cell.column)] = cell.number_format
        for table in ws.tables.values():
            found = FakeTable(sheet, table.displayName, parse_address(table.ref))
            found.totals = bool(table.totalsRowCount)
            sheet.tables.items.append(found)
        sheet.protected = bool(ws.protection.sheet)
        for block, rules in ws.conditional_formatting._cf_rules.items():
            for rule in rules:
                applies = FakeRange(sheet, parse_address(str(block.sqref).split()[0]))
                r1, c1, _, _ = applies.bounds
                kind = {"cellIs": XL_CELL_VALUE, "expression": XL_EXPRESSION}.get(rule.type, 0)
                operator = {v: k for k, v in _OPERATOR_NAMES.items()}.get(rule.operator or "")
                stored = [a1_to_r1c1("=" + f, r1, c1) for f in rule.formula]
                sheet.conditions.append(FakeCondition(FakeConditions(applies), applies, kind,
                                                      operator, stored))
        for name, defined in ws.defined_names.items():
            sheet.names.items.append(FakeName(sheet.names.items, f"{ws.title}!{name}", defined.value))
    for prop in wb.custom_doc_props.props:  # numbers come back from COM as float
        value = float(prop.value) if isinstance(prop.value, int) else prop.value
        book.api.CustomDocumentProperties.items.append(FakeDocProperty(
            book.api.CustomDocumentProperties, Name=prop.name,
            Type=1 if isinstance(value, float) else 4, Value=value))
    book.sheets[0].activate()
    app.active_book = book
    return book
