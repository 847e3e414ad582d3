"""The live-Excel adapter of the Workbook port, through classic xlwings (Windows and macOS).

Thin on purpose: every cell value crosses COM in :func:`_get_block` and :func:`_set_block`
(one call per block: a table body, a column, a generated table), never one call per row.
Colouring uses conditional formats (``FormatConditions``), never per-cell fills. Sheets it
generates carry the hidden sheet-level name :data:`~xlcredit.workbook.book_xml.MARK`, the
same mark the file adapter uses, so only those sheets are ever replaced.

xlwings is imported lazily: this module imports on Linux, where Excel does not run.

>>> _bgr("#FF0000"), _excel_value("=cmd"), _excel_value(float("nan"))
(255, "'=cmd", None)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from lxml import etree

from xlcredit.engine.errors import InputError, SchemaError, WorkbookError
from xlcredit.workbook.book_xml import CF_MARK, MARK, cf_signature, rule_signature
from xlcredit.workbook.charts import anchor_cell
from xlcredit.workbook.generated import (
    check_sheet_name,
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
    TableSpec,
    Workbook,
)
from xlcredit.workbook.sheet_xml import plain_value
from xlcredit.workbook.styles import StyleBook
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


# -- the only places where cell values cross COM ------------------------------------------------
def _get_block(rng: xw.Range) -> list[list[Any]]:
    """Values of a range as rows (always two-dimensional)."""
    values = rng.options(ndim=2).value
    return [list(row) for row in values] if values else []


def _set_block(rng: xw.Range, rows: list[list[Any]]) -> None:
    """Write rows of values to a range of the same shape, in one call."""
    rng.value = rows


def _excel_value(value: Any) -> Any:
    """A value as it must be sent to Excel: text starting with = + - @ stays text."""
    value = plain_value(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _check_unprotected(sheet: xw.Sheet) -> None:
    """The same refusal as the file adapter's for a protected sheet."""
    if sheet.api.ProtectContents:
        raise WorkbookError(
            f"Sheet {sheet.name} is protected, so xlcredit will not write to it; unprotect it "
            "(Review > Unprotect Sheet) and refresh again."
        )


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
            f"Table {name} was not found in {self.book.name} (tables found: {known}); select the "
            f"data and use Insert > Table, then name it {name} (Table Design > Table Name)."
        )

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
        raise SchemaError(f"{self.book.name} has no sheet named {name!r}.")

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
                raise InputError(
                    f"column {column.header!r} of {found.name} needs {body.rows.count} values, "
                    f"one per row; got {len(column.values)}."
                )
            target = body.columns[names.index(column.header.strip().casefold())]
            if column.number_format:
                target.number_format = column.number_format
            _set_block(target, [[_excel_value(v)] for v in column.values])

    def _owned(self, sheet: xw.Sheet) -> bool:
        return any(name.name.split("!")[-1] == MARK for name in sheet.names)

    def write_sheet(self, sheet: SheetSpec, *, before: str | None = None) -> None:
        """Create or replace a generated sheet (only one xlcredit created)."""
        check_sheet_name(sheet.name)
        existing = {s.name.casefold(): s for s in self.book.sheets}
        target = existing.get(sheet.name.casefold())
        app = self.book.app
        app.screen_updating = False
        try:
            if target is not None:
                if not self._owned(target):
                    raise WorkbookError(
                        f"{self.book.name} already has a sheet named {target.name!r} that xlcredit "
                        "did not create; rename or move that sheet, then refresh again."
                    )
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
            self._render(target, sheet)
        finally:
            app.screen_updating = True

    def _render(self, target: xw.Sheet, spec: SheetSpec) -> None:
        for table in spec.tables:
            self._table(target, table)
        for cell in spec.cells:
            rng = target.range((cell.row + 1, cell.col + 1))
            if cell.number_format:
                rng.number_format = cell.number_format
            if cell.formula:
                rng.formula = cell.formula
            else:
                _set_block(rng, [[_excel_value(cell.value)]])
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
        for index, width in spec.widths.items():
            target.range((1, index + 1)).column_width = width
        self._page_setup(target, spec)
        if spec.tab_color:
            target.api.Tab.Color = _bgr(spec.tab_color)
        if spec.freeze:
            target.activate()
            window = self.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitRow, window.SplitColumn = spec.freeze
            window.FreezePanes = True

    def _page_setup(self, target: xw.Sheet, spec: SheetSpec) -> None:
        """Orientation, A4, fit to one page wide, repeated header rows, header and footer
        (the same as the file adapter writes). Printer traffic is paused meanwhile: each
        PageSetup property otherwise asks the printer driver."""
        titles = print_titles(spec)
        app = self.book.app.api
        app.PrintCommunication = False
        try:
            setup = target.api.PageSetup
            setup.Orientation = _XL_LANDSCAPE if spec.landscape else _XL_PORTRAIT
            setup.PaperSize = _XL_PAPER_A4
            if spec.fit_width:
                setup.Zoom = False
                setup.FitToPagesWide = 1
                setup.FitToPagesTall = False
            setup.PrintTitleRows = titles.split("!")[-1] if titles else ""
            setup.LeftHeader = spec.header or ""
            setup.CenterFooter = spec.footer or ""
            setup.LeftMargin = setup.RightMargin = app.InchesToPoints(0.4)
            setup.TopMargin = setup.BottomMargin = app.InchesToPoints(0.6)
            setup.HeaderMargin = setup.FooterMargin = app.InchesToPoints(0.3)
        finally:
            app.PrintCommunication = True

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
        body = [[_excel_value(v) for v in row] for row in frame.itertuples(index=False)]
        rng = target.range((table.row + 1, table.col + 1)).resize(len(body) + 1, len(header))
        for j, name in enumerate(header):
            if name in table.text_columns:
                rng.columns[j].number_format = "@"
        _set_block(rng, [header, *body])
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
                _set_block(totals[0, 0], [[table.total_label]])
                for j in range(1, len(header)):  # Excel's default: a count under the last
                    kind = _XL_TOTALS_SUM if numeric[j] else _XL_TOTALS_NONE
                    created.api.ListColumns(j + 1).TotalsCalculation = kind

    def _conditional(self, target: xw.Sheet, cf: ConditionalFormat) -> None:
        conditions = target.range(cf.range).api.FormatConditions
        if cf.kind == "data_bar":
            bar = conditions.AddDatabar()
            bar.BarColor.Color = _bgr(cf.color or "#638EC6")
            return
        if cf.kind == "formula":
            rule = conditions.Add(Type=_XL_EXPRESSION, Formula1=cf.formula)
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

    def add_conditional_formats(self, sheet: str, formats: list[ConditionalFormat]) -> None:
        """Set xlcredit's conditional formats on a sheet, replacing the ones a previous call
        added (by the signatures in the hidden name CF_MARK) and keeping the user's."""
        target = self.book.sheets[sheet]
        _check_unprotected(target)
        old = self._cf_marks(target)
        conditions = target.api.Cells.FormatConditions
        for i in range(conditions.Count, 0, -1):
            if _com_signature(conditions.Item(i)) in old:
                conditions.Item(i).Delete()
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
    def progress(self, fraction: float, message: str) -> None:
        """Show progress on Excel's status bar (cleared at 100 %)."""
        if fraction >= 1:
            self.book.app.status_bar = False
        else:
            self.book.app.status_bar = f"xlcredit: {message} ({fraction:.0%})"

    def save(self) -> None:
        """Nothing to do: the user saves the open workbook in Excel."""


#: COM FormatCondition Type and Operator codes as SpreadsheetML names them.
_COM_TYPES = {1: "cellIs", 2: "expression", 4: "dataBar"}
_COM_OPERATORS = {1: "between", 2: "notBetween", 3: "equal", 4: "notEqual", 5: "greaterThan",
                  6: "lessThan", 7: "greaterThanOrEqual", 8: "lessThanOrEqual"}  # fmt: skip


def _com_signature(condition: Any) -> str:
    """The signature of a COM FormatCondition (see book_xml.cf_signature)."""
    kind = _COM_TYPES.get(int(condition.Type), str(condition.Type))
    operator, formulas = "", []
    if kind in ("cellIs", "expression"):
        formulas.append(str(condition.Formula1))
    if kind == "cellIs":
        operator = _COM_OPERATORS.get(int(condition.Operator), "")
        if operator in ("between", "notBetween"):
            formulas.append(str(condition.Formula2))
    sqref = str(condition.AppliesTo.Address(False, False)).replace(",", " ")
    return cf_signature(sqref, kind, operator, formulas)


def _spec_signature(cf: ConditionalFormat) -> str:
    """The signature the file adapter records for ``cf`` (same rendering, same hash)."""
    block = etree.fromstring(f'<x xmlns="{NS["m"]}">{conditional_xml(cf, StyleBook(None), 1)}</x>')[
        0
    ]
    rule = block[0]
    return rule_signature(block.get("sqref", ""), rule)


def _read_value(value: Any) -> Any:
    """A value as the port delivers it (Decimal from currency cells becomes float)."""
    if isinstance(value, dt.datetime | str | bool) or value is None:
        return value
    return plain_value(value)


if TYPE_CHECKING:  # mypy checks that the adapter implements the port

    def _implements_port(book: ExcelWorkbook) -> Workbook:
        return book
