"""The live-Excel adapter of the Workbook port, through classic xlwings (Excel for Windows).

It uses COM members of Excel for Windows (``FormatConditions``, ``PageSetup``,
``ConvertFormula``, window panes), so the ribbon buttons are supported on Windows only;
on a Mac, ``xlcredit refresh`` does the same work on the file (docs/excel.md).

Thin on purpose: every cell value crosses COM in :func:`_get_block` and :func:`_set_block`
(one call per block: a table body, a column, a generated table), never one call per row.
Colouring uses conditional formats (``FormatConditions``), never per-cell fills. Sheets it
generates carry the hidden sheet-level name :data:`~xlcredit.workbook.book_xml.MARK`, the
same mark the file adapter uses, so only those sheets are ever replaced.

What real Excel does that the adapter must allow for (issue 13; the contract tests run it
against ``tests/fake_excel.py``, which models each of these with its source):

- ``Range.Value`` parses text as typing does ("1-30" becomes a date, "0042" a number), so
  every text goes out with Excel's text prefix, an apostrophe (:func:`_excel_value`);
- ``FormatConditions.Add`` and ``FormatCondition.Formula1`` take relative references against
  the active cell and in the application's reference style (Microsoft KB 895562), so rule
  formulas are rebased through ``Application.ConvertFormula`` both ways;
- ``Window.SplitRow`` counts from the scroll position, ``Sheets.Add`` activates the new
  sheet; page setup asks the printer driver and may fail on a machine without a printer.

xlwings is imported lazily: this module imports on Linux, where Excel does not run.

>>> _bgr("#FF0000"), _excel_value("=cmd"), _excel_value("0042"), _excel_value(float("nan"))
(255, "'=cmd", "'0042", None)
>>> _excel_value("0042", text_cell=True), _excel_value("")
('0042', None)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from lxml import etree

from xlcredit.engine.errors import InputError, SchemaError, WorkbookError
from xlcredit.messages import Message
from xlcredit.workbook.book_xml import CF_MARK, MARK, cf_signature, rule_signature
from xlcredit.workbook.charts import anchor_cell
from xlcredit.workbook.generated import (
    check_sheet_name,
    check_table_name,
    conditional_xml,
    print_titles,
    validation_xml,
)
from xlcredit.workbook.port import (
    ChartSpec,
    ColumnWrite,
    ConditionalFormat,
    DataValidation,
    RawTable,
    SheetSpec,
    TableEdit,
    TableSpec,
    Workbook,
)
from xlcredit.workbook.sheet_xml import plain_value
from xlcredit.workbook.styles import StyleBook
from xlcredit.workbook.widths import column_widths
from xlcredit.workbook.xlsx_parts import NS

if TYPE_CHECKING:
    import xlwings as xw

__all__ = ["ExcelWorkbook"]

_CHART_TYPES = {
    "bar_stacked": "bar_stacked", "column_stacked": "column_stacked", "column": "column_clustered",
    "bar": "bar_clustered", "pie": "pie", "line": "line_markers",
}  # fmt: skip
#: Excel's XlFormatConditionOperator values.
_OPERATORS = {">": 5, ">=": 7, "<": 6, "<=": 8, "==": 3, "=": 3, "!=": 4, "<>": 4, "between": 1}
_XL_CELL_VALUE, _XL_EXPRESSION = 1, 2
_PX_TO_POINTS = 0.75
#: XlPageOrientation, XlPaperSize (A4, as the templates), XlHAlign, XlTotalsCalculation,
#: XlDVType, XlDVAlertStyle, XlApplicationInternational values.
_XL_PORTRAIT, _XL_LANDSCAPE, _XL_PAPER_A4 = 1, 2, 9
_XL_CENTER = -4108
_XL_ALIGN = {"left": -4131, "center": _XL_CENTER, "right": -4152}
_XL_TOTALS_NONE, _XL_TOTALS_SUM = 0, 1
_XL_VALIDATE_LIST, _XL_ALERT_STOP, _XL_ALERT_WARNING = 3, 1, 2
_XL_LIST_SEPARATOR = 5
#: XlReferenceStyle and XlCalculation values.
_XL_A1, _XL_R1C1 = 1, -4150
_XL_CALCULATION_MANUAL = -4135


# -- the only places where cell values cross COM ------------------------------------------------
def _get_block(rng: xw.Range) -> list[list[Any]]:
    """Values of a range as rows (always two-dimensional)."""
    values = rng.options(ndim=2).value
    return [list(row) for row in values] if values else []


def _set_block(rng: xw.Range, rows: list[list[Any]]) -> None:
    """Write rows of values to a range of the same shape, in one call."""
    rng.value = rows


def _set_runs(column: xw.Range, values: dict[int, Any], number_format: str | None = None) -> None:
    """Write ``values`` (0-based row within ``column``: value) as one block per run of
    consecutive rows, so cells between the runs keep what they hold."""
    rows = sorted(values)
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[i - 1] + 1:
            first, last = rows[start], rows[i - 1]
            block = column[first, 0].resize(last - first + 1, 1)
            if number_format:
                block.number_format = number_format
            _set_block(block, [[_excel_value(values[r], number_format == "@")] for r in range(first, last + 1)])
            start = i


def _adjacent_runs(placed: list[tuple[int, Any]]) -> list[list[tuple[int, Any]]]:
    """(position, item) pairs sorted by position, cut where positions stop being consecutive.

    >>> [[p for p, _ in run] for run in _adjacent_runs([(2, "a"), (3, "b"), (5, "c")])]
    [[2, 3], [5]]
    """
    runs: list[list[tuple[int, Any]]] = []
    for position, item in placed:
        if runs and runs[-1][-1][0] == position - 1:
            runs[-1].append((position, item))
        else:
            runs.append([(position, item)])
    return runs


def _cell_blocks(cells: list[tuple[int, int, Any]]) -> list[tuple[int, int, list[list[Any]]]]:
    """Loose cells (0-based row, column, value) as rectangular blocks to write in one
    assignment each: runs of adjacent cells in a row, then runs of rows over the same columns.

    >>> _cell_blocks([(0, 0, "t"), (2, 0, "a"), (2, 1, 1), (3, 0, "b"), (3, 1, 2)])
    [(0, 0, [['t']]), (2, 0, [['a', 1], ['b', 2]])]
    """
    by_row: dict[int, list[tuple[int, Any]]] = {}
    for row, col, value in cells:
        by_row.setdefault(row, []).append((col, value))
    blocks: list[tuple[int, int, list[list[Any]]]] = []
    last: dict[tuple[int, int], int] = {}  # (first column, width) -> index of a block ending one row up
    for row in sorted(by_row):
        for run in _adjacent_runs(sorted(by_row[row], key=lambda cv: cv[0])):
            first, values = run[0][0], [v for _, v in run]
            key = (first, len(values))
            index = last.pop(key, None)
            if index is not None and blocks[index][0] + len(blocks[index][2]) == row:
                blocks[index][2].append(values)
            else:
                index = len(blocks)
                blocks.append((row, first, [values]))
            last[key] = index
    return blocks


def _excel_value(value: Any, text_cell: bool = False) -> Any:
    """A value as it must be sent to Excel: every text with the apostrophe that makes Excel
    keep it as typed (``Range.Value`` otherwise reads "1-30" as a date, "0042" as 42 and
    "=x" as a formula). A cell formatted as text ("@") keeps text as it is, so it gets none.
    Empty text is a blank cell."""
    value = plain_value(value)
    if isinstance(value, str):
        if not value:
            return None
        return value if text_cell else "'" + value
    return value


def _check_unprotected(sheet: xw.Sheet) -> None:
    """The same refusal as the file adapter's for a protected sheet."""
    if sheet.api.ProtectContents:
        raise WorkbookError(Message("file.protected_sheet", {"sheet": sheet.name}))


def _bgr(color: str) -> int:
    """'#RRGGBB' as the BGR integer COM expects."""
    text = color.lstrip("#")
    r, g, b = int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    return r + g * 256 + b * 65536


def _active_cell(app: xw.App) -> tuple[str, str, int, int] | None:
    """(book, sheet, row, column) of the first selected cell; None when nothing is selected
    or the selection is not cells (a chart, a shape)."""
    selection = app.selection
    if selection is None:
        return None
    return selection.sheet.book.name, selection.sheet.name, int(selection.row), int(selection.column)


class ExcelWorkbook:
    """The Workbook port over an open Excel workbook (``xw.Book``)."""

    def __init__(self, book: xw.Book) -> None:
        self.book = book
        #: What could not be done but did not stop the run (e.g. print settings a printer
        #: driver refused), one sentence each.
        self.notes: list[str] = []

    @classmethod
    def caller(cls) -> ExcelWorkbook:
        """The workbook whose button called Python (``RunPython``)."""
        import xlwings as xw

        return cls(xw.Book.caller())

    # -- reading ---------------------------------------------------------------------------
    def sheet_names(self) -> list[str]:
        """Names of all sheets, in workbook order."""
        return [sheet.name for sheet in self.book.sheets]

    def table_names(self) -> list[str]:
        """Names of all Excel tables in the workbook."""
        return [table.name for sheet in self.book.sheets for table in sheet.tables]

    def _find(self, name: str) -> xw.main.Table:
        for sheet in self.book.sheets:
            for table in sheet.tables:
                if table.name.casefold() == name.casefold():
                    return table
        known = ", ".join(sorted(self.table_names())) or "none"
        raise SchemaError(
            Message("file.no_such_table", {"name": name, "name2": self.book.name, "known": known, "name3": name})
        )

    def prefetch(self, tables: list[str]) -> None:
        """Nothing: Excel's object model is read on its own thread, one call at a time."""

    def read_table(self, name: str) -> RawTable:
        """Read a table by its Excel name; raise SchemaError naming it when it is missing."""
        table = self._find(name)
        header = [column.name for column in table.columns]
        body = table.data_body_range
        rows = _get_block(body) if body is not None else []
        rows = [[_read_value(v) for v in row] for row in rows]
        whole = table.range
        return RawTable(
            name=table.name,
            sheet=table.parent.name,
            header=header,
            rows=rows,
            header_row=whole.row if table.header_row_range is not None else whole.row - 1,
            first_column=whole.column,
        )

    # -- the user: selection, sheets shown, messages ------------------------------------------
    def selected_row(self, table: str) -> int | None:
        """The data row of ``table`` holding the active cell (the first cell of the
        selection), as an index into ``read_table(table).rows``; None elsewhere."""
        found = self._find(table)
        body = found.data_body_range
        cell = _active_cell(self.book.app)
        if body is None or cell is None or cell[:2] != (self.book.name, found.parent.name):
            return None
        row, col = cell[2] - body.row, cell[3] - body.column
        rows, cols = body.shape
        return row if 0 <= row < rows and 0 <= col < cols else None

    def activate_sheet(self, name: str) -> None:
        """Bring a sheet to the front."""
        for sheet in self.book.sheets:
            if sheet.name.casefold() == name.casefold():
                sheet.activate()
                return
        raise SchemaError(Message("file.no_sheet_named", {"name": self.book.name, "sheet": f"{name!r}"}))

    def choose_file(self, title: str, patterns: list[str]) -> str | None:
        """Excel's own Open dialog (``Application.GetOpenFilename``); None when cancelled.
        The path comes back to Python here and never travels through RunPython's text."""
        joined = ";".join(patterns)
        chosen = self.book.app.api.GetOpenFilename(
            FileFilter=f"{title} ({joined}),{joined},All files (*.*),*.*", Title=f"xlcredit: {title}"
        )
        return chosen if isinstance(chosen, str) and chosen else None

    def user_name(self) -> str:
        """Excel's user name (``Application.UserName``), else the Windows user's."""
        from xlcredit.workbook.files import _os_user

        name = self.book.app.api.UserName
        return name.strip() if isinstance(name, str) and name.strip() else _os_user()

    def alert(self, message: str) -> None:
        """A message box titled xlcredit; the status bar when no dialog can be shown."""
        try:
            self.book.app.alert(message, title="xlcredit")
        except Exception:  # pywintypes.com_error (Windows only): no dialog available
            self.progress(0.0, message)

    # -- writing ---------------------------------------------------------------------------
    def write_columns(self, table: str, columns: list[ColumnWrite]) -> None:
        """Write output columns, one block per column; new headers become table columns."""
        found = self._find(table)
        _check_unprotected(found.parent)
        names = [column.name.strip().casefold() for column in found.columns]
        for column in columns:
            if column.header.strip().casefold() not in names:
                found.columns.add(column.header.strip())
                names.append(column.header.strip().casefold())
        body = found.data_body_range
        if body is None:
            return
        for column in columns:
            if len(column.values) != body.rows.count:
                raise InputError(Message("file.column_length", {
                    "header": f"{column.header!r}", "name": found.name, "n_rows": body.rows.count,
                    "n_values": len(column.values)}))
        placed = sorted(((names.index(c.header.strip().casefold()), c) for c in columns),
                        key=lambda pc: pc[0])
        for position, column in placed:
            if column.number_format:
                body.columns[position].number_format = column.number_format
        # one range assignment per run of adjacent output columns: each assignment crosses
        # COM once (and recalculates once when calculation is on)
        for run in _adjacent_runs(placed):
            first = run[0][0]
            cells = [[_excel_value(v, c.number_format == "@") for v in c.values] for _, c in run]
            block = body[0, first].resize(body.rows.count, len(run))
            _set_block(block, [list(row) for row in zip(*cells, strict=True)])

    def edit_table(self, table: str, edit: TableEdit) -> None:
        """Change cells and append rows: the table is resized over empty cells below it (Excel
        extends calculated columns, formats and the total row), then each column is written
        in blocks of consecutive rows."""
        found = self._find(table)
        sheet = found.parent
        _check_unprotected(sheet)
        names = [column.name.strip().casefold() for column in found.columns]
        n_rows = 0 if found.data_body_range is None else found.data_body_range.rows.count
        for index in edit.updates:
            if not 0 <= index < n_rows:
                raise InputError(Message("file.not_a_data_row", {"index": index, "name": found.name, "n_rows": n_rows}))
        whole = found.range
        n_new = len(edit.appends)
        if n_new:
            top = whole.row + whole.rows.count
            below = sheet.range((top, whole.column)).resize(n_new, whole.columns.count)
            if any(v is not None for row in _get_block(below) for v in row):
                raise WorkbookError(Message("file.no_room_below", {
                    "count": n_new, "name": found.name, "sheet": sheet.name,
                    "ref": below.api.Address(False, False)}))
        for header in edit.headers():
            if header.strip().casefold() not in names:
                found.columns.add(header.strip())
                names.append(header.strip().casefold())
        if n_new:
            whole = found.range
            found.resize(whole.resize(whole.rows.count + n_new, whole.columns.count))
        body = found.data_body_range
        if body is None:
            return
        by_column: dict[int, dict[int, Any]] = {}
        for index, values in edit.updates.items():
            for header, value in values.items():
                by_column.setdefault(names.index(header.strip().casefold()), {})[index] = value
        for offset, values in enumerate(edit.appends):
            for header, value in values.items():
                by_column.setdefault(names.index(header.strip().casefold()), {})[n_rows + offset] = value
        formats = {h.strip().casefold(): f for h, f in edit.number_formats.items()}
        for position, cells in by_column.items():
            target = body.columns[position]
            _set_runs(target, cells, formats.get(names[position]))

    def _owned(self, sheet: xw.Sheet) -> bool:
        return any(name.name.split("!")[-1] == MARK for name in sheet.names)

    def write_sheet(self, sheet: SheetSpec, *, before: str | None = None) -> None:
        """Create or replace a generated sheet (only one xlcredit created). Everything is
        checked before anything changes; the sheet the user was on stays active."""
        check_sheet_name(sheet.name)
        existing = {s.name.casefold(): s for s in self.book.sheets}
        target = existing.get(sheet.name.casefold())
        if target is not None and not self._owned(target):
            raise WorkbookError(Message("file.sheet_not_ours", {"name": self.book.name, "names": f"{target.name!r}"}))
        self._check_table_names(sheet, target.name if target is not None else None)
        app = self.book.app
        updating = app.screen_updating
        previous = app.api.ActiveSheet
        app.screen_updating = False
        try:
            if target is not None:
                for chart in list(target.charts):
                    chart.delete()
                for table in list(target.tables):
                    table.api.Delete()
                target.api.Cells.FormatConditions.Delete()
                target.clear()
            else:
                anchor = existing.get(before.casefold()) if before else None
                last = self.book.sheets[len(self.book.sheets) - 1]
                target = (
                    self.book.sheets.add(sheet.name, before=anchor)
                    if anchor is not None
                    else self.book.sheets.add(sheet.name, after=last)
                )
                mark = target.names.add(MARK, "=TRUE")
                mark.api.Visible = False
            target.activate()  # rule formulas are read against its active cell (_rebase)
            self._render(target, sheet)
        finally:
            if previous is not None:
                previous.Activate()
            app.screen_updating = updating

    def _check_table_names(self, sheet: SheetSpec, replacing: str | None) -> None:
        """The file adapter's refusal of a table name already used elsewhere in the
        workbook (Excel would stop half-way with a COM error)."""
        taken = {
            table.name.casefold(): other.name
            for other in self.book.sheets
            if other.name != replacing
            for table in other.tables
        }
        seen: set[str] = set()
        for table in sheet.tables:
            check_table_name(table.name)
            key = table.name.casefold()
            if key in seen or key in taken:
                raise WorkbookError(
                    Message("file.table_name_taken", {"name": table.name, "where": taken.get(key, sheet.name)})
                )
            seen.add(key)

    def _render(self, target: xw.Sheet, spec: SheetSpec) -> None:
        for table in spec.tables:
            self._table(target, table)
        for row, col, block in _cell_blocks([(c.row, c.col, _excel_value(c.value))
                                             for c in spec.cells if not c.formula]):
            _set_block(target.range((row + 1, col + 1)).resize(len(block), len(block[0])), block)
        for cell in spec.cells:
            rng = target.range((cell.row + 1, cell.col + 1))
            if cell.number_format:
                rng.number_format = cell.number_format
            if cell.formula:
                rng.formula = cell.formula
            if cell.bold:
                rng.font.bold = True
            if cell.font_size:
                rng.font.size = cell.font_size
            if cell.horizontal:
                rng.api.HorizontalAlignment = _XL_ALIGN[cell.horizontal]
        for cf in spec.conditional_formats:
            self._conditional(target, cf)
        for chart in spec.charts:
            self._chart(target, chart)
        for validation in spec.validations:
            self._validation(target, validation)
        for index, width in column_widths(spec).items():
            target.range((1, index + 1)).column_width = width
        self._page_setup(target, spec)
        if spec.tab_color:
            target.api.Tab.Color = _bgr(spec.tab_color)
        if spec.freeze:
            # SplitRow/SplitColumn count from the cell at the top left of the pane: scroll
            # home first, or a sheet scrolled to row 30 freezes rows 30-32 instead of 1-3.
            window = self.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.ScrollRow, window.ScrollColumn = 1, 1
            window.SplitRow, window.SplitColumn = spec.freeze
            window.FreezePanes = True

    def _page_setup(self, target: xw.Sheet, spec: SheetSpec) -> None:
        """Orientation, A4, fit to one page wide, repeated header rows, header and footer
        (the same as the file adapter writes). Printer traffic is paused meanwhile: each
        PageSetup property otherwise asks the printer driver.

        Print settings never stop a sheet: a machine without a printer (or a driver without
        A4) refuses some of them; those are skipped and listed in :attr:`notes`."""
        titles = print_titles(spec)
        app = self.book.app.api
        setup = target.api.PageSetup
        settings: list[tuple[str, Any]] = [
            ("Orientation", _XL_LANDSCAPE if spec.landscape else _XL_PORTRAIT),
            ("PaperSize", _XL_PAPER_A4),
        ]
        if spec.fit_width:
            settings += [("Zoom", False), ("FitToPagesWide", 1), ("FitToPagesTall", False)]
        settings += [
            ("PrintTitleRows", titles.split("!")[-1] if titles else ""),
            ("LeftHeader", spec.header or ""),
            ("CenterFooter", spec.footer or ""),
        ]
        for names, inches in ((("LeftMargin", "RightMargin"), 0.4),
                              (("TopMargin", "BottomMargin"), 0.6),
                              (("HeaderMargin", "FooterMargin"), 0.3)):  # fmt: skip
            settings += [(name, app.InchesToPoints(inches)) for name in names]
        skipped: list[str] = []
        paused = _attempt(lambda: setattr(app, "PrintCommunication", False))
        try:
            for name, value in settings:
                if not _attempt(lambda n=name, v=value: setattr(setup, n, v)):  # type: ignore[misc]
                    skipped.append(name)
        finally:
            if paused:
                _attempt(lambda: setattr(app, "PrintCommunication", True))
        if skipped:
            self.notes.append(Message("file.printer_refused", {"sheet": target.name, "settings": ", ".join(skipped)}))

    def _validation(self, target: xw.Sheet, validation: DataValidation) -> None:
        validation_xml([validation])  # the same checks as the file adapter
        rule = target.range(validation.range).api.Validation
        rule.Delete()
        # COM reads a literal list with the list separator of Excel's locale
        separator = str(self.book.app.api.International(_XL_LIST_SEPARATOR))
        alert = _XL_ALERT_STOP if validation.strict else _XL_ALERT_WARNING
        rule.Add(Type=_XL_VALIDATE_LIST, AlertStyle=alert, Formula1=separator.join(validation.values))
        rule.IgnoreBlank = True
        rule.InCellDropdown = True
        if validation.prompt:
            rule.InputMessage = validation.prompt[:255]
            rule.InputTitle = (validation.title or "")[:32]
            rule.ShowInput = True

    def _table(self, target: xw.Sheet, table: TableSpec) -> None:
        frame = table.frame
        header = [str(c) for c in frame.columns]
        text = [name in table.text_columns for name in header]
        body = [
            [_excel_value(v, t) for v, t in zip(row, text, strict=True)]
            for row in frame.itertuples(index=False)
        ]
        rng = target.range((table.row + 1, table.col + 1)).resize(len(body) + 1, len(header))
        for j, is_text in enumerate(text):
            if is_text:
                rng.columns[j].number_format = "@"
        _set_block(rng, [[_excel_value(h, t) for h, t in zip(header, text, strict=True)], *body])
        created = target.tables.add(source=rng, name=table.name, table_style_name=table.style)
        data = created.data_body_range
        if data is not None:
            for j, name in enumerate(header):
                fmt = table.number_formats.get(name)
                if fmt:
                    data.columns[j].number_format = fmt
        numeric = [
            bool(present) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present)
            for present in ([v for v in (plain_value(x) for x in frame[c].tolist()) if v is not None]
                            for c in frame.columns)
        ]
        dated = [
            bool(present) and all(isinstance(v, dt.date) for v in present)
            for present in ([v for v in (plain_value(x) for x in frame[c].tolist()) if v is not None]
                            for c in frame.columns)
        ]
        for j in range(len(header)):
            if numeric[j] or dated[j]:  # headers over figures are centred, as on disk
                rng[0, j].api.HorizontalAlignment = _XL_CENTER
        if table.total_row:
            created.api.ShowTotals = True
            totals = created.totals_row_range
            if totals is not None:
                _set_block(totals[0, 0], [[_excel_value(table.total_label)]])
                for j in range(1, len(header)):  # Excel's default: a count under the last
                    kind = _XL_TOTALS_SUM if numeric[j] else _XL_TOTALS_NONE
                    created.api.ListColumns(j + 1).TotalsCalculation = kind

    def _conditional(self, target: xw.Sheet, cf: ConditionalFormat) -> None:
        rng = target.range(cf.range)
        conditions = rng.api.FormatConditions
        if cf.kind == "data_bar":
            bar = conditions.AddDatabar()
            bar.BarColor.Color = _bgr(cf.color or "#638EC6")
            return
        top_left = rng.api.Cells(1, 1)
        if cf.kind == "formula":
            formula = self._rebase(cf.formula or "", top_left, to_com=True)
            rule = conditions.Add(Type=_XL_EXPRESSION, Formula1=formula)
        else:
            values = list(cf.value) if cf.operator == "between" else [cf.value]
            formulas = [v if isinstance(v, int | float) else f'="{v}"' for v in values]
            rule = conditions.Add(_XL_CELL_VALUE, _OPERATORS[cf.operator or "=="], *formulas)
        if cf.fill:
            rule.Interior.Color = _bgr(cf.fill)
        if cf.font_color:
            rule.Font.Color = _bgr(cf.font_color)
        if cf.bold:
            rule.Font.Bold = True

    def _chart(self, target: xw.Sheet, spec: ChartSpec) -> None:
        row, col = anchor_cell(spec.anchor)
        cell = target.range((row + 1, col + 1))
        chart = target.charts.add(
            left=cell.left,
            top=cell.top,
            width=spec.width_px * _PX_TO_POINTS,
            height=spec.height_px * _PX_TO_POINTS,
        )
        chart.chart_type = _CHART_TYPES[spec.kind]
        com = chart.api[1]
        for series in spec.series:
            new = com.SeriesCollection().NewSeries()
            new.Name = series.name
            new.Values = target.range(series.values).api
            new.XValues = target.range(spec.categories).api
            if series.color:
                new.Format.Fill.ForeColor.RGB = _bgr(series.color)
        com.HasTitle = True
        com.ChartTitle.Text = spec.title

    def _rebase(self, formula: str, top_left: Any, *, to_com: bool) -> str:
        """A rule formula between our form (A1, relative to the top-left cell of the range,
        as a file stores it) and the form COM uses for ``FormatConditions.Add`` and
        ``Formula1``: the application's reference style, relative to the active cell (KB
        895562: https://learn.microsoft.com/en-us/office/troubleshoot/excel/conditional-formatting-set-incorrectly).
        R1C1 is the same from every cell, so it is the bridge."""
        app = self.book.app.api
        if "=" not in formula[:1]:
            formula = "=" + formula
        r1c1 = app.ReferenceStyle == _XL_R1C1

        def convert(text: str, source: int, target: int, cell: Any) -> str:
            return str(app.ConvertFormula(Formula=text, FromReferenceStyle=source,
                                          ToReferenceStyle=target, RelativeTo=cell))

        if to_com:
            bridge = convert(formula, _XL_A1, _XL_R1C1, top_left)
            return bridge if r1c1 else convert(bridge, _XL_R1C1, _XL_A1, app.ActiveCell)
        bridge = formula if r1c1 else convert(formula, _XL_A1, _XL_R1C1, app.ActiveCell)
        return convert(bridge, _XL_R1C1, _XL_A1, top_left)

    def add_conditional_formats(self, sheet: str, formats: list[ConditionalFormat]) -> None:
        """Set xlcredit's conditional formats on a sheet, replacing the ones a previous call
        added (by the signatures in the hidden name CF_MARK) and keeping the user's."""
        target = self.book.sheets[sheet]
        _check_unprotected(target)
        app = self.book.app.api
        previous = None
        if app.ActiveCell is None:  # a chart sheet is active: formulas need an active cell
            previous = app.ActiveSheet
            target.activate()
        try:
            self._set_conditional_formats(target, formats)
        finally:
            if previous is not None:
                previous.Activate()

    def _set_conditional_formats(self, target: xw.Sheet, formats: list[ConditionalFormat]) -> None:
        old = self._cf_marks(target)
        conditions = target.api.Cells.FormatConditions
        for i in range(conditions.Count, 0, -1):
            condition = conditions.Item(i)
            rebase = functools.partial(self._rebase, top_left=condition.AppliesTo.Cells(1, 1), to_com=False)
            if _com_signature(condition, rebase) in old:
                condition.Delete()
        for cf in formats:
            self._conditional(target, cf)
        marks = " ".join(_spec_signature(cf) for cf in formats)
        for name in list(target.names):
            if name.name.split("!")[-1] == CF_MARK:
                name.delete()
        target.names.add(CF_MARK, f'="{marks[:250]}"').api.Visible = False

    def _cf_marks(self, target: xw.Sheet) -> set[str]:
        for name in target.names:
            if name.name.split("!")[-1] == CF_MARK:
                return set(str(name.refers_to).lstrip("=").strip('"').split())
        return set()

    # -- progress and saving ---------------------------------------------------------------
    @contextmanager
    def suspended(self) -> Iterator[None]:
        """Run a block with calculation manual, events off and the screen still; restore the
        user's settings afterwards, also when the block fails. Without it every block
        written recalculates the workbook (xlcredit's functions included, while the UDF
        server is busy with the run) and raises the workbook's Change events.

        Sources: https://learn.microsoft.com/en-us/office/vba/api/excel.application.calculation,
        https://learn.microsoft.com/en-us/office/vba/api/excel.application.enableevents."""
        app = self.book.app.api
        saved = {name: getattr(app, name) for name in ("ScreenUpdating", "EnableEvents", "Calculation")}
        for name, value in (("ScreenUpdating", False), ("EnableEvents", False),
                            ("Calculation", _XL_CALCULATION_MANUAL)):  # fmt: skip
            _attempt(lambda n=name, v=value: setattr(app, n, v))  # type: ignore[misc]
        try:
            yield
        finally:  # events first, so the recalculation on restoring reaches the user's handlers
            for name in ("EnableEvents", "Calculation", "ScreenUpdating"):
                _attempt(lambda n=name: setattr(app, n, saved[n]))  # type: ignore[misc]

    def progress(self, fraction: float, message: str) -> None:
        """Show progress on Excel's status bar (cleared at 100 %, or left showing the
        :attr:`notes` of the run)."""
        if fraction >= 1:
            self.book.app.status_bar = ("xlcredit: " + " ".join(self.notes)) if self.notes else False
            self.notes.clear()
        else:
            self.book.app.status_bar = f"xlcredit: {message} ({fraction:.0%})"

    def document_property(self, name: str) -> str | int | float | bool | None:
        """A custom document property (``Workbook.CustomDocumentProperties``); None when absent."""
        props = self.book.api.CustomDocumentProperties
        for i in range(1, int(props.Count) + 1):
            prop = props.Item(i)
            if str(prop.Name) == name:
                value = prop.Value
                if isinstance(value, float) and value.is_integer() and int(prop.Type) == _MSO_NUMBER:
                    return int(value)
                return value  # type: ignore[no-any-return]
        return None

    def set_document_property(self, name: str, value: str | int) -> None:
        """Create or change a custom document property; the user saves the workbook."""
        props = self.book.api.CustomDocumentProperties
        kind = _MSO_NUMBER if isinstance(value, int) and not isinstance(value, bool) else _MSO_STRING
        for i in range(1, int(props.Count) + 1):
            prop = props.Item(i)
            if str(prop.Name) == name:
                prop.Delete()  # a property's type cannot change in place
                break
        props.Add(name, False, kind, value)  # Name, LinkToContent, Type, Value: positional for COM

    def save(self) -> None:
        """Nothing to do: the user saves the open workbook in Excel."""


#: MsoDocProperties: the type of a custom document property.
_MSO_NUMBER = 1
_MSO_STRING = 4

#: COM FormatCondition Type and Operator codes as SpreadsheetML names them.
_COM_TYPES = {1: "cellIs", 2: "expression", 4: "dataBar"}
_COM_OPERATORS = {1: "between", 2: "notBetween", 3: "equal", 4: "notEqual", 5: "greaterThan",
                  6: "lessThan", 7: "greaterThanOrEqual", 8: "lessThanOrEqual"}  # fmt: skip


def _com_signature(condition: Any, rebase: Callable[[str], str]) -> str:
    """The signature of a COM FormatCondition (see book_xml.cf_signature); ``rebase`` turns
    a formula as COM reads it into the file's form (relative to the range's top left)."""
    kind = _COM_TYPES.get(int(condition.Type), str(condition.Type))
    operator, formulas = "", []
    if kind in ("cellIs", "expression"):
        formulas.append(rebase(str(condition.Formula1)))
    if kind == "cellIs":
        operator = _COM_OPERATORS.get(int(condition.Operator), "")
        if operator in ("between", "notBetween"):
            formulas.append(rebase(str(condition.Formula2)))
    sqref = str(condition.AppliesTo.Address(False, False)).replace(",", " ")
    return cf_signature(sqref, kind, operator, formulas)


def _spec_signature(cf: ConditionalFormat) -> str:
    """The signature the file adapter records for ``cf`` (same rendering, same hash)."""
    block = etree.fromstring(f'<x xmlns="{NS["m"]}">{conditional_xml(cf, StyleBook(None), 1)}</x>')[
        0
    ]
    rule = block[0]
    return rule_signature(block.get("sqref", ""), rule)


def _attempt(action: Callable[[], Any]) -> bool:
    """Run one COM call that may be refused (a printer setting, a calculation mode while
    Excel is busy); True when it worked."""
    try:
        action()
    except Exception:  # pywintypes.com_error, which exists only on Windows
        return False
    return True


def _read_value(value: Any) -> Any:
    """A value as the port delivers it (Decimal from currency cells becomes float)."""
    if isinstance(value, dt.datetime | str | bool) or value is None:
        return value
    return plain_value(value)


if TYPE_CHECKING:  # mypy checks that the adapter implements the port

    def _implements_port(book: ExcelWorkbook) -> Workbook:
        return book
