"""The Workbook port: the small interface the macros use, whatever holds the workbook.

Two adapters implement it: :mod:`xlcredit.workbook.files` (a file on disk, no Excel) and
:mod:`xlcredit.workbook.excel` (live Excel through classic xlwings). Macros are written once
against this port; one contract test suite runs on every adapter the machine can run.

What goes in and out is plain data:

- :class:`RawTable`: an Excel table read as its header and rows of raw cell values, exactly
  as Excel delivers them (floats, text, bool, datetime, None for blanks and error cells),
  plus where it sits, so problems can name sheet, row and column. Coercion to typed columns
  happens in :mod:`xlcredit.workbook.schema`, not in the adapters.
- :class:`SheetSpec`: a generated sheet (Aging, Collections, Dashboard, Score history,
  Problems) described as data: cells, tables with number formats, conditional formats,
  charts, widths, frozen panes. Adapters render it; they never decide content.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import pandas as pd

__all__ = [
    "CellSpec",
    "ChartSeries",
    "ChartSpec",
    "ColumnWrite",
    "ConditionalFormat",
    "DataValidation",
    "RawTable",
    "SheetSpec",
    "TableEdit",
    "TableSpec",
    "Workbook",
]


@dataclass(init=False)
class RawTable:
    """An Excel table (ListObject) as read: header texts and raw cell values row by row.

    An adapter that has the cells as a 2-D array gives ``grid`` and no ``rows``: the rows
    are made from it when first asked for (the refresh reads the grid, and the rows of a
    million-row table as Python lists cost hundreds of megabytes). It may also give a
    ``load`` function for the grid and the number of data rows instead: the cells are then
    read only when asked for (a macro that needs only the header and the size of a table
    does not read a sheet of millions of cells).

    >>> import numpy as np
    >>> t = RawTable("tblX", "X", ["a", "b"], grid=np.array([[1.0, "x"]], dtype=object))
    >>> t.rows, t.n_rows
    ([[1.0, 'x']], 1)
    >>> lazy = RawTable("tblX", "X", ["a", "b"], n_rows=1, load=lambda: t.grid)
    >>> lazy.n_rows, lazy.rows
    (1, [[1.0, 'x']])
    """

    name: str
    sheet: str
    header: list[str]
    #: Excel row number (1-based) of the header row; data starts on the next row.
    header_row: int
    #: Excel column number (1-based) of the table's first column.
    first_column: int
    #: The workbook counts dates from 1904 ("Use 1904 date system"): serial numbers in date
    #: columns are read from that epoch.
    date1904: bool = False
    #: The same cells as a 2-D object array, when the adapter has one (saves a copy).
    _grid: Any = field(default=None, compare=False, repr=False)
    _rows: list[list[Any]] | None = field(default=None, repr=False)
    _load: Callable[[], Any] | None = field(default=None, compare=False, repr=False)
    _n_rows: int | None = field(default=None, compare=False, repr=False)

    def __init__(
        self,
        name: str,
        sheet: str,
        header: list[str],
        rows: list[list[Any]] | None = None,
        header_row: int = 1,
        first_column: int = 1,
        date1904: bool = False,
        grid: Any = None,
        *,
        load: Callable[[], Any] | None = None,
        n_rows: int | None = None,
    ) -> None:
        self.name, self.sheet, self.header = name, sheet, header
        self.header_row, self.first_column, self.date1904 = header_row, first_column, date1904
        self._grid, self._load, self._n_rows = grid, load, n_rows
        self._rows = rows

    @property
    def grid(self) -> Any:
        """The cells as a 2-D object array (read now if the adapter gave a ``load``), or None."""
        if self._grid is None and self._load is not None:
            self._grid, self._load = self._load(), None
        return self._grid

    @grid.setter
    def grid(self, grid: Any) -> None:
        self._grid, self._load = grid, None

    @property
    def n_rows(self) -> int:
        """The number of data rows (without reading the cells when the adapter said it)."""
        if self._n_rows is not None:
            return self._n_rows
        grid = self.grid
        return len(grid) if grid is not None else len(self.rows)

    @property
    def rows(self) -> list[list[Any]]:
        """Raw cell values row by row."""
        if self._rows is None:
            self._rows = [] if self.grid is None else self.grid.tolist()
        return self._rows

    def frame(self) -> pd.DataFrame:
        """The raw values as a DataFrame of objects, one column per header."""
        return pd.DataFrame(self.rows, columns=self.header, dtype=object)

    def excel_row(self, index: int) -> int:
        """Excel row number of data row ``index`` (0-based)."""
        return self.header_row + 1 + index


@dataclass
class ColumnWrite:
    """Values for one output column of a table, by header text, top to bottom.

    ``values`` has one entry per data row. Text is always written as text (a name starting
    with ``=`` is never a formula). ``number_format`` applies to the whole column.
    """

    header: str
    values: list[Any]
    number_format: str | None = None


@dataclass
class TableEdit:
    """Cells of an input table to change and rows to add, by header text (an import).

    ``updates`` maps a 0-based data-row index to ``{header: value}``: only those cells
    change. ``appends`` are new rows below the last one, ``{header: value}`` each (missing
    headers stay blank; a calculated column gets its formula). A header the table lacks is
    appended as a new table column. The table grows (its range, filter and total row move
    down); cells below it must be empty. ``number_formats`` apply to the cells written,
    by header. The edit is applied whole or not at all.
    """

    updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    appends: list[dict[str, Any]] = field(default_factory=list)
    number_formats: dict[str, str] = field(default_factory=dict)

    def headers(self) -> list[str]:
        """Every header the edit writes, in first-seen order."""
        seen: dict[str, None] = {}
        for row in [*self.updates.values(), *self.appends]:
            seen.update(dict.fromkeys(row))
        return list(seen)


@dataclass
class CellSpec:
    """A single cell of a generated sheet (a title, a KPI label or figure)."""

    row: int  # 0-based
    col: int  # 0-based
    value: Any
    number_format: str | None = None
    bold: bool = False
    font_size: float | None = None
    #: An Excel formula ("=SUM(B2:B9)") written as a formula, with ``value`` as its cached
    #: result so viewers without recalculation show the number.
    formula: str | None = None
    #: Horizontal alignment ("left", "center", "right"); None keeps Excel's default.
    horizontal: Literal["left", "center", "right"] | None = None


@dataclass
class TableSpec:
    """A generated Excel table: a DataFrame written at (row, col) as a ListObject."""

    name: str  # Excel table name, e.g. "tblAging"
    frame: pd.DataFrame
    row: int = 0  # 0-based top-left (header) cell
    col: int = 0
    #: Number format by column header, e.g. {"Amount": "#,##0.00", "Due date": "yyyy-mm-dd"}.
    number_formats: dict[str, str] = field(default_factory=dict)
    style: str = "TableStyleMedium2"
    #: Header texts whose values are written as text even when they look like numbers.
    text_columns: tuple[str, ...] = ()
    total_row: bool = False
    #: Label of the total row's first cell ("合计" on Chinese sheets).
    total_label: str = "Total"


@dataclass
class ConditionalFormat:
    """A conditional format over an A1 range of a sheet.

    kind "formula": ``formula`` relative to the top-left cell (e.g. ``=$F2="D"``);
    kind "cell": ``operator`` (">", ">=", "<", "<=", "==", "!=", "between") and ``value``;
    kind "data_bar": a data bar in ``color``.
    """

    range: str
    kind: Literal["formula", "cell", "data_bar"]
    formula: str | None = None
    operator: str | None = None
    value: Any = None
    fill: str | None = None  # "#RRGGBB"
    font_color: str | None = None
    bold: bool = False
    color: str | None = None  # data bar colour


@dataclass
class ChartSeries:
    """One data series of a chart: its name and A1 references on the same sheet.

    The legend shows ``name``; when the cell just above a one-column ``values`` range holds
    that same text (a table header), the adapters link the name to that cell.
    """

    name: str
    values: str  # e.g. "B5:B24" (sheet name added by the adapter)
    color: str | None = None


@dataclass
class ChartSpec:
    """A native Excel chart placed on a generated sheet."""

    kind: Literal["bar_stacked", "column_stacked", "column", "bar", "pie", "line"]
    title: str
    categories: str  # A1 range of the category labels
    series: list[ChartSeries]
    anchor: str = "H2"  # top-left cell
    width_px: int = 640
    height_px: int = 360
    y_axis_title: str | None = None
    x_axis_title: str | None = None


@dataclass
class DataValidation:
    """A drop-down list of allowed values on an A1 range of a generated sheet.

    ``strict`` False warns about other entries but lets the user keep them (their own
    wording survives); True rejects them. Excel limits the list to 255 characters and a
    value may not contain a comma.
    """

    range: str  # e.g. "S5:S120"
    values: list[str]
    prompt: str | None = None
    title: str | None = None
    strict: bool = False


@dataclass
class SheetSpec:
    """A sheet xlcredit generates and owns; rebuilt whole on every refresh."""

    name: str
    cells: list[CellSpec] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)
    conditional_formats: list[ConditionalFormat] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    #: Column widths in characters by 0-based column index.
    widths: dict[int, float] = field(default_factory=dict)
    #: Freeze panes below/right of this 0-based (row, col), e.g. (1, 0) freezes the top row.
    freeze: tuple[int, int] | None = None
    tab_color: str | None = None
    #: Drop-down lists (data validation) on ranges of the sheet.
    validations: list[DataValidation] = field(default_factory=list)
    #: Print setup: landscape, fit all columns on one page wide (any number of pages tall).
    landscape: bool = True
    fit_width: bool = True
    #: 0-based first and last row repeated at the top of every printed page (table headers).
    print_title_rows: tuple[int, int] | None = None
    #: Page header (left) and footer (centre) in Excel's codes: &A sheet, &P page, &N pages,
    #: &D date. None leaves that part empty.
    header: str | None = "&A"
    footer: str | None = "Page &P / &N"


@runtime_checkable
class Workbook(Protocol):
    """What a macro may do with a workbook. Adapters keep everything they are not told to
    change: other sheets, charts, images, comments, names, validations, VBA."""

    def table_names(self) -> list[str]:
        """Names of all Excel tables in the workbook."""
        ...

    def read_table(self, name: str) -> RawTable:
        """Read a table by its Excel name; raise SchemaError naming it when it is missing."""
        ...

    def prefetch(self, tables: list[str]) -> None:
        """A hint: these tables will be read next. An adapter may start reading them in the
        background (a file adapter reads the invoice sheet while the buyers are checked); one
        that cannot does nothing. Names it does not know are ignored."""
        ...

    def write_columns(self, table: str, columns: list[ColumnWrite]) -> None:
        """Write output columns into the data rows of an existing table, matched by header
        text. A header the table lacks is appended as a new table column. Only these cells
        change; user-typed columns are never touched."""
        ...

    def write_sheet(self, sheet: SheetSpec, *, before: str | None = None) -> None:
        """Create or replace a generated sheet (and only a sheet xlcredit created)."""
        ...

    def edit_table(self, table: str, edit: TableEdit) -> None:
        """Change cells of an existing table and add rows below it, growing the table
        (see :class:`TableEdit`). Other cells, rows and objects are kept; the whole edit is
        refused (WorkbookError naming the cell) when a cell below the table is not empty."""
        ...

    def sheet_names(self) -> list[str]:
        """Names of all sheets, in workbook order."""
        ...

    def selected_row(self, table: str) -> int | None:
        """Where the user points: the index, in ``read_table(table).rows``, of the data row
        that holds the active cell; None when the active cell is not in the table's data
        (or there is none: a file has no selection)."""
        ...

    def activate_sheet(self, name: str) -> None:
        """Bring a sheet to the front (live Excel); nothing to show for a file."""
        ...

    def choose_file(self, title: str, patterns: list[str]) -> str | None:
        """Ask the user for a file to read (Excel's Open dialog, filtered to ``patterns``
        such as ``"*.csv"``); None when cancelled, or for a file (no dialog to show)."""
        ...

    def user_name(self) -> str:
        """Who is working: Excel's user name (File > Options > General) in live Excel, else
        the operating system's user name (what a decision log records as the approver)."""
        ...

    def alert(self, message: str) -> None:
        """Tell the user something to read now: a message box in Excel; for a file, the
        alert callback given at open, if any."""
        ...

    def add_conditional_formats(self, sheet: str, formats: list[ConditionalFormat]) -> None:
        """Set xlcredit's conditional formats on a user sheet (e.g. bands on Buyers).

        Replaces the formats a previous call added to that sheet (those xlcredit marked as
        its own) and keeps every conditional format the user made."""
        ...

    def progress(self, fraction: float, message: str) -> None:
        """Report progress (0..1): Excel's status bar, or a progress bar on the command line."""
        ...

    def suspended(self) -> AbstractContextManager[None]:
        """A block run with recalculation, events and screen updates held back (live Excel;
        nothing for a file), the user's settings restored afterwards even on failure."""
        ...

    def document_property(self, name: str) -> str | int | float | bool | None:
        """A custom document property (File > Info > Properties > Custom); None when absent.

        xlcredit stamps its template version there (see :mod:`xlcredit.workbook.versions`)."""
        ...

    def set_document_property(self, name: str, value: str | int) -> None:
        """Create or change a custom document property (text or whole number); the
        workbook's other properties are kept."""
        ...

    def save(self) -> None:
        """Persist the changes (atomically for files; a no-op for live Excel)."""
        ...
