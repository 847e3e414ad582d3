"""Rendering a :class:`~xlcredit.workbook.port.SheetSpec` as worksheet and table parts.

>>> import pandas as pd
>>> from xlcredit.workbook.port import SheetSpec, TableSpec
>>> from xlcredit.workbook.styles import StyleBook
>>> spec = SheetSpec("Aging", tables=[TableSpec("tblAging", pd.DataFrame({"Buyer": ["ACME"],
...     "Amount": [1200.0]}), number_formats={"Amount": "#,##0.00"})])
>>> out = render_sheet(spec, StyleBook(None), table_ids=[7], table_rids=["rId1"], drawing_rid=None)
>>> out.value(1, 0), out.value(1, 1)
('ACME', 1200.0)
>>> b'ref="A1:B2"' in out.tables[0]
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from xlcredit.engine.errors import InputError
from xlcredit.messages import Message
from xlcredit.workbook.column_xml import (
    EncodedColumn,
    encode_column,
    join_cells,
    row_numbers,
    rows_xml,
    style_attr,
)
from xlcredit.workbook.port import ConditionalFormat, DataValidation, SheetSpec, TableSpec
from xlcredit.workbook.sheet_xml import (
    cell_xml,
    col_letters,
    parse_ref,
    plain_value,
    range_ref,
)
from xlcredit.workbook.styles import StyleBook, _rgb
from xlcredit.workbook.widths import column_widths
from xlcredit.workbook.xlsx_parts import NS

__all__ = [
    "RenderedSheet",
    "check_sheet_name",
    "check_table_name",
    "conditional_xml",
    "print_titles",
    "print_xml",
    "render_sheet",
    "validation_xml",
]

_OPERATORS = {
    ">": "greaterThan", ">=": "greaterThanOrEqual", "<": "lessThan", "<=": "lessThanOrEqual",
    "==": "equal", "=": "equal", "!=": "notEqual", "<>": "notEqual", "between": "between",
}  # fmt: skip
_DEFAULT_DATE = "yyyy-mm-dd"


#: Rows of a table joined into one text: the pieces of the text a generated sheet is
#: deflated from as it is written (issue 17: a million-row sheet is never one text).
BLOCK_ROWS = 5_000


class RenderedSheet:
    """The parts of one generated sheet: the worksheet's text as pieces in order (see
    :attr:`sheet_xml` for it whole), the table parts, and the value of each cell."""

    def __init__(
        self, pieces: list[str], tables: list[bytes], stored: Callable[[int, int], Any]
    ) -> None:
        self.pieces = pieces
        self.tables = tables
        self._stored = stored

    @property
    def sheet_xml(self) -> bytes:
        """The worksheet part, joined."""
        return "".join(self.pieces).encode("utf-8")

    def size(self) -> int:
        """The worksheet text's length in characters."""
        return sum(map(len, self.pieces))

    def value(self, row: int, col: int) -> Any:
        """The value of 0-based cell (row, col) as written (None when blank)."""
        return plain_value(self._stored(row, col))

    def lookup(self, ref: str) -> list[Any]:
        """Values of an A1 range of the sheet, row by row (for chart caches)."""
        corners = [parse_ref(part) for part in ref.split("!")[-1].split(":")]
        (r1, c1), (r2, c2) = corners[0], corners[-1]
        return [self.value(r - 1, c - 1) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def check_sheet_name(name: str) -> None:
    """Excel's rules for a sheet name.

    >>> check_sheet_name("账龄分析")
    >>> check_sheet_name("a/b")
    Traceback (most recent call last):
    xlcredit.engine.errors.InputError: sheet name must be 1-31 characters without : \\ / ? * [ ] and not start or end with '; got 'a/b'.
    """
    bad = (
        not 0 < len(name) <= 31
        or re.search(r"[:\\/?*\[\]]", name)
        or name[0] == "'"
        or name[-1] == "'"
    )
    if bad or name.casefold() == "history":
        raise InputError(Message("file.bad_sheet_name", {"value": repr(name)}))


def check_table_name(name: str) -> None:
    """Excel's rules for a table name.

    >>> check_table_name("tblAging")
    >>> check_table_name("A1")
    Traceback (most recent call last):
    xlcredit.engine.errors.InputError: table name must start with a letter or _, hold only letters, digits, _ and ., and not look like a cell reference; got 'A1'.
    """
    looks_like_ref = re.fullmatch(r"(?i)[a-z]{1,3}\d+|r\d*c\d*|[rc]", name)
    if not re.fullmatch(r"[^\W\d][\w.]{0,254}", name) or looks_like_ref:
        raise InputError(Message("file.bad_table_name", {"value": repr(name)}))


def _headers(table: TableSpec) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(table.frame.columns, start=1):
        text = str(raw).strip() or f"Column{i}"
        base, n = text, 2
        while text.casefold() in seen:
            text, n = f"{base} {n}", n + 1
        seen.add(text.casefold())
        out.append(text)
    return out


def _structured(header: str) -> str:
    return re.sub(r"(['\[\]#])", r"'\1", header)


#: Cells of a sheet in writing order, as units each covering adjacent cells of one row, or
#: whole rows: (0-based rows, first columns, last columns, XML, heights). A unit of height
#: 0 is the ``<c>`` elements of cells of one row; of height h, the ``<row>`` elements of h
#: rows from its row on that hold nothing else.
Units = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
#: How a table's cells are given: its data rows as one block, a unit per row, or per cell.
Grain = Literal["block", "row", "cell"]


@dataclass
class _TableCells:
    """The cells one generated table writes: header, data (encoded per column) and totals."""

    table: TableSpec
    headers: list[str]
    header_styles: list[int]
    #: Per column: the values as stored in the cells (converted on access).
    columns: list[np.ndarray]
    text: list[bool]
    encoded: list[EncodedColumn]
    style: list[int]
    totals: dict[int, tuple[Any, int, str | None]]

    def stored(self, r: int, c: int) -> tuple[bool, Any]:
        """(found, value) of 0-based cell (r, c) as this table writes it."""
        table = self.table
        j = c - table.col
        if not 0 <= j < len(self.headers):
            return False, None
        if r == table.row:
            return True, self.headers[j]
        i = r - table.row - 1
        if 0 <= i < len(table.frame):
            value = plain_value(self.columns[j][i])
            if self.text[j] and value is not None:
                value = str(value)
            return True, value
        if table.total_row and r == table.row + 1 + max(len(table.frame), 1) and j in self.totals:
            return True, self.totals[j][0]
        return False, None

    def units(self, grain: Grain = "block") -> list[Units]:
        """The table's cells in writing order: a unit per row (header, each data row, the
        total row) or per cell; with ``"block"`` the data rows are one unit of whole rows."""
        each_cell = grain == "cell"
        table = self.table
        r0, c0 = table.row, table.col
        k = len(self.headers)
        if not k:
            return []
        head = [
            cell_xml(f"{col_letters(c0 + j + 1)}{r0 + 1}", h, s)
            for j, (h, s) in enumerate(zip(self.headers, self.header_styles, strict=True))
        ]
        out = [_units(np.full(k, r0), np.arange(c0, c0 + k), head, each_cell)]
        n = len(table.frame)
        columns = [
            (col_letters(c0 + j + 1), style_attr(style), encoded)
            for j, (style, encoded) in enumerate(zip(self.style, self.encoded, strict=True))
        ]
        numbers = row_numbers(np.arange(r0 + 2, r0 + 2 + n))
        rows = np.arange(r0 + 1, r0 + 1 + n)
        if grain == "block" and n:  # blocks of rows: the text of a few thousand rows at a time
            for start in range(0, n, BLOCK_ROWS):
                stop = min(start + BLOCK_ROWS, n)
                part = [(letters, style, encoded.take(slice(start, stop))) for letters, style, encoded in columns]
                block = np.empty(1, dtype=object)
                block[0] = rows_xml(numbers[start:stop], part)
                out.append((rows[start : start + 1], np.array([c0]), np.array([c0 + k - 1]), block,
                            np.array([stop - start])))  # fmt: skip
        elif each_cell:
            data = join_cells(numbers, columns, each_cell=True)
            rows, cols = np.repeat(rows, k), np.tile(np.arange(c0, c0 + k), n)
            out.append((rows, cols, cols, data, np.zeros(n * k, dtype=np.int64)))
        else:
            data = join_cells(numbers, columns)
            out.append((rows, np.full(n, c0), np.full(n, c0 + k - 1), data, np.zeros(n, dtype=np.int64)))
        if self.totals:
            total_row = r0 + 1 + max(n, 1)
            keys = sorted(self.totals)
            cells = [
                cell_xml(f"{col_letters(c0 + j + 1)}{total_row + 1}", *self.totals[j]) for j in keys
            ]
            out.append(_units(np.full(len(keys), total_row), np.array(keys) + c0, cells, each_cell))
        return out


def _units(rows: np.ndarray, cols: np.ndarray, cells: list[str], each_cell: bool) -> Units:
    """Cells of one row as units: one per cell, or one holding them all."""
    if each_cell:
        xml = np.empty(len(cells), dtype=object)
        xml[:] = cells
        return rows, cols, cols, xml, np.zeros(len(cells), dtype=np.int64)
    xml = np.empty(1, dtype=object)
    xml[0] = "".join(cells)
    return rows[:1], cols[:1], cols[-1:], xml, np.zeros(1, dtype=np.int64)


def _render_table(
    table: TableSpec, styles: StyleBook, table_id: int
) -> tuple[bytes, _TableCells]:
    check_table_name(table.name)
    headers = _headers(table)
    frame = table.frame
    n_rows = len(frame)
    r0, c0 = table.row, table.col
    header_styles = [0] * len(headers)
    columns: list[np.ndarray] = []
    texts: list[bool] = []
    encodeds: list[EncodedColumn] = []
    col_styles: list[int] = []
    totals: dict[int, tuple[Any, int, str | None]] = {}
    numeric: list[bool] = []
    for j, column in enumerate(frame.columns):
        raw = frame.iloc[:, j].to_numpy(dtype=object)
        columns.append(raw)
        as_text = headers[j] in table.text_columns or str(column) in table.text_columns
        texts.append(as_text)
        encoded = encode_column(raw)
        if as_text and encoded.kind not in ("string", "empty"):
            encoded = encode_column(_as_text(raw, encoded))
        fmt = table.number_formats.get(headers[j]) or table.number_formats.get(str(column))
        is_number = encoded.kind == "floating"
        is_date = encoded.kind == "date"
        if encoded.kind == "cells":  # mixed kinds: the flags cell by cell, as before
            plain = [plain_value(v) for v in raw]
            if as_text:
                plain = [None if v is None else str(v) for v in plain]
            present = [v for v in plain if v is not None]
            is_number = bool(present) and all(isinstance(v, float) for v in present)
            dated = any(isinstance(v, dt.date) for v in present)
            number_or_date = bool(present) and all(isinstance(v, float | dt.date) for v in present)
        else:
            any_present = not bool(encoded.blank.all()) if n_rows else False
            is_number = is_number and any_present
            dated = is_date and any_present
            number_or_date = (is_number or is_date) and any_present
        if fmt is None and dated:
            fmt = _DEFAULT_DATE
        style = styles.cell_xf(0, number_format=fmt) if fmt else 0
        col_styles.append(style)
        encodeds.append(encoded)
        numeric.append(is_number)
        if number_or_date:
            # a number column's header is centred over its figures: left-aligned it drifts
            # away from them, right-aligned Excel hides its end under the filter button
            header_styles[j] = styles.cell_xf(0, horizontal="center")
        if table.total_row:
            if j == 0:
                totals[0] = (table.total_label, 0, None)
            elif is_number:
                formula = f"SUBTOTAL(109,{table.name}[{_structured(headers[j])}])"
                if encoded.kind == "cells":
                    figures = [v for v in map(plain_value, raw) if v is not None]
                else:
                    assert encoded.numbers is not None
                    figures = encoded.numbers[~encoded.blank].tolist()
                totals[j] = (sum(figures), style, formula)  # builtin sum: same rounding as before
    cells = _TableCells(table, headers, header_styles, columns, texts, encodeds, col_styles, totals)
    last_row = r0 + 1 + max(n_rows, 1) - 1
    ref_data = range_ref(r0 + 1, c0 + 1, last_row + 1, c0 + len(headers))
    ref_all = range_ref(r0 + 1, c0 + 1, last_row + 1 + int(table.total_row), c0 + len(headers))
    table_columns = []
    for j, header in enumerate(headers):
        extra = ""
        if table.total_row and j == 0:
            extra = f" totalsRowLabel={quoteattr(table.total_label)}"
        elif table.total_row and numeric[j]:
            extra = ' totalsRowFunction="sum"'
        table_columns.append(f'<tableColumn id="{j + 1}" name={quoteattr(header)}{extra}/>')
    totals_attr = ' totalsRowCount="1"' if table.total_row else ' totalsRowShown="0"'
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{NS["m"]}" id="{table_id}" name="{table.name}" '
        f'displayName="{table.name}" ref="{ref_all}"{totals_attr}><autoFilter ref="{ref_data}"/>'
        f'<tableColumns count="{len(headers)}">{"".join(table_columns)}</tableColumns>'
        f'<tableStyleInfo name={quoteattr(table.style)} showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    )
    return xml.encode("utf-8"), cells


def _as_text(raw: np.ndarray, encoded: EncodedColumn) -> list[Any]:
    """Values of a text column as text (numbers as ``str`` gives them, blanks stay blank)."""
    if encoded.kind == "floating":
        assert encoded.numbers is not None
        out = np.empty(len(raw), dtype=object)
        finite = ~encoded.blank
        out[finite] = list(map(str, encoded.numbers[finite].tolist()))
        return out.tolist()
    return [None if v is None else str(v) for v in map(plain_value, raw)]


def _cf_value(value: Any) -> str:
    value = plain_value(value)
    if isinstance(value, str):
        return value.lstrip("=") if value.startswith("=") else '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # as Excel writes it back, so signatures match
    return repr(value)


def conditional_xml(cf: ConditionalFormat, styles: StyleBook, priority: int) -> str:
    """One <conditionalFormatting> element (the dxf it needs is added to ``styles``)."""
    sqref = cf.range.replace("$", "")
    if cf.kind == "data_bar":
        color = _rgb(cf.color or "#638EC6")
        rule = (
            f'<cfRule type="dataBar" priority="{priority}"><dataBar><cfvo type="min"/>'
            f'<cfvo type="max"/><color rgb="{color}"/></dataBar></cfRule>'
        )
    else:
        dxf = styles.dxf(fill=cf.fill, font_color=cf.font_color, bold=cf.bold)
        if cf.kind == "formula":
            if not cf.formula:
                raise InputError(Message("file.cf_no_formula", {"range": cf.range}))
            formulas = [cf.formula.lstrip("=")]
            head = f'type="expression" dxfId="{dxf}" priority="{priority}"'
        else:
            op = _OPERATORS.get(cf.operator or "")
            if op is None:
                raise InputError(Message("file.cf_bad_operator", {
                    "known": ", ".join(_OPERATORS), "value": repr(cf.operator)}))
            values = list(cf.value) if op == "between" else [cf.value]
            formulas = [_cf_value(v) for v in values]
            head = f'type="cellIs" dxfId="{dxf}" priority="{priority}" operator="{op}"'
        body = "".join(f"<formula>{escape(f)}</formula>" for f in formulas)
        rule = f"<cfRule {head}>{body}</cfRule>"
    return f'<conditionalFormatting sqref="{sqref}">{rule}</conditionalFormatting>'


def validation_xml(validations: list[DataValidation]) -> str:
    """The ``<dataValidations>`` element of drop-down lists (empty text when none).

    >>> from xlcredit.workbook.port import DataValidation
    >>> validation_xml([DataValidation("S5:S9", ["open", "paid"], prompt="Pick one")])[:60]
    '<dataValidations count="1"><dataValidation type="list" allow'
    >>> validation_xml([DataValidation("S5:S9", ["a,b"])])
    Traceback (most recent call last):
    xlcredit.engine.errors.InputError: a drop-down value may not contain a comma or a double quote; got 'a,b'.
    """
    out = []
    for v in validations:
        for value in v.values:
            if "," in value or '"' in value:
                raise InputError(Message("file.dropdown_value", {"value": repr(value)}))
        listed = ",".join(v.values)
        if not v.values or len(listed) > 255:
            raise InputError(Message("file.dropdown_length", {"count": len(listed), "range": v.range}))
        sqref = v.range.replace("$", "")
        parse_ref(sqref.split(":")[0])  # a readable error for a malformed range
        prompt = ""
        if v.prompt:
            prompt = f' showInputMessage="1" prompt={quoteattr(v.prompt[:255])}'
            if v.title:
                prompt += f" promptTitle={quoteattr(v.title[:32])}"
        style = "" if v.strict else ' errorStyle="warning"'
        out.append(
            f'<dataValidation type="list" allowBlank="1"{style} showErrorMessage="1"{prompt} '
            f'sqref="{sqref}"><formula1>{escape(chr(34) + listed + chr(34))}</formula1>'
            "</dataValidation>"
        )
    if not out:
        return ""
    return f'<dataValidations count="{len(out)}">{"".join(out)}</dataValidations>'


def print_xml(spec: SheetSpec) -> str:
    """Page margins, page setup and header/footer of a generated sheet, in schema order
    (A4 like the templates; landscape and one page wide by default).

    >>> from xlcredit.workbook.port import SheetSpec
    >>> xml = print_xml(SheetSpec("Aging"))
    >>> 'orientation="landscape" fitToWidth="1" fitToHeight="0"' in xml
    True
    >>> "<oddHeader>&amp;L&amp;A</oddHeader>" in xml
    True
    """
    margins = (
        '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
    )
    orientation = "landscape" if spec.landscape else "portrait"
    fit = ' fitToWidth="1" fitToHeight="0"' if spec.fit_width else ""
    setup = f'<pageSetup paperSize="9" orientation="{orientation}"{fit}/>'
    parts = ""
    if spec.header:
        parts += f"<oddHeader>{escape('&L' + spec.header)}</oddHeader>"
    if spec.footer:
        parts += f"<oddFooter>{escape('&C' + spec.footer)}</oddFooter>"
    header_footer = f"<headerFooter>{parts}</headerFooter>" if parts else ""
    return margins + setup + header_footer


def print_titles(spec: SheetSpec) -> str | None:
    """The ``_xlnm.Print_Titles`` formula of ``spec`` (rows repeated on every page), or None.

    >>> from xlcredit.workbook.port import SheetSpec
    >>> print_titles(SheetSpec("Aging", print_title_rows=(3, 3)))
    "'Aging'!$4:$4"
    """
    if spec.print_title_rows is None:
        return None
    first, last = spec.print_title_rows
    if not 0 <= first <= last:
        raise InputError(Message("file.print_title_rows", {"value": repr(spec.print_title_rows)}))
    quoted = "'" + spec.name.replace("'", "''") + "'"
    return f"{quoted}!${first + 1}:${last + 1}"


def _pane(freeze: tuple[int, int] | None) -> str:
    if not freeze or freeze == (0, 0):
        return ""
    rows, cols = freeze
    top_left = f"{col_letters(cols + 1)}{rows + 1}"
    active = {(True, True): "bottomRight", (True, False): "bottomLeft", (False, True): "topRight"}[
        (rows > 0, cols > 0)
    ]
    split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
    return (
        f'<pane{split} topLeftCell="{top_left}" activePane="{active}" state="frozen"/>'
        f'<selection pane="{active}" activeCell="{top_left}" sqref="{top_left}"/>'
    )


def _sheet_data(units: list[Units]) -> tuple[list[str], int, int] | None:
    """``<sheetData>`` content of cells given as units in writing order (as pieces of text
    to join), with the last row and the last column (0-based); None when two units share a
    cell or a unit of whole rows shares a row (the caller then gives smaller units: a unit
    per cell at last, where a later cell at the same place replaces an earlier one)."""
    if not units:
        return [], -1, -1
    rows = np.concatenate([u[0] for u in units]).astype(np.int64)
    first = np.concatenate([u[1] for u in units]).astype(np.int64)
    last = np.concatenate([u[2] for u in units]).astype(np.int64)
    xml = np.concatenate([u[3] for u in units])
    height = np.concatenate([u[4] for u in units]).astype(np.int64)
    if not len(rows):
        return [], -1, -1
    single = bool((first == last).all() and not height.any())
    if single:  # a unit per cell: keep the last cell written at each place
        key = rows * 16384 + first
        _, first_from_end = np.unique(key[::-1], return_index=True)
        if len(first_from_end) != len(key):
            keep = np.sort(len(key) - 1 - first_from_end)
            rows, first, last, xml = rows[keep], first[keep], last[keep], xml[keep]
            height = height[keep]
    order = np.lexsort((first, rows))
    rows, first, last, xml, height = rows[order], first[order], last[order], xml[order], height[order]
    same_row = rows[1:] == rows[:-1]
    if not single and (same_row & (first[1:] <= last[:-1])).any():
        return None
    bottom = rows + np.maximum(height, 1) - 1  # the last row of each unit
    blocks = height > 0
    if ((blocks[1:] | blocks[:-1]) & (bottom[:-1] >= rows[1:])).any():
        return None  # a unit of whole rows shares a row with another unit
    starts = np.r_[True, ~same_row] & ~blocks
    ends = np.r_[~same_row, True] & ~blocks
    pieces = np.empty((len(rows), 3), dtype=object)
    pieces[:, 0] = ""
    pieces[starts, 0] = '<row r="' + row_numbers(rows[starts] + 1) + '">'
    pieces[:, 1] = xml
    pieces[:, 2] = ""
    pieces[ends, 2] = "</row>"
    return pieces.ravel().tolist(), int(bottom.max()), int(last.max())


def render_sheet(
    spec: SheetSpec,
    styles: StyleBook,
    *,
    table_ids: list[int],
    table_rids: list[str],
    drawing_rid: str | None,
) -> RenderedSheet:
    """Worksheet XML and table parts of ``spec`` (relationship ids given by the caller).

    Table cells are encoded a column at a time and a table's data rows joined
    :data:`BLOCK_ROWS` at a time (:func:`~.column_xml.rows_xml`), never cell by cell; a
    table sharing its rows with other cells is joined a row at a time, and only tables or
    cells that cover each other are placed cell by cell (the last one written wins). The
    worksheet is given as those pieces, which the file adapter deflates one after the
    other without joining them (:attr:`RenderedSheet.sheet_xml` joins them).
    """
    check_sheet_name(spec.name)
    print_titles(spec)  # a readable error for impossible print title rows
    rendered = [
        _render_table(table, styles, table_id)
        for table, table_id in zip(spec.tables, table_ids, strict=True)
    ]
    tables = [xml for xml, _ in rendered]
    layers = [cells for _, cells in rendered]
    singles: dict[tuple[int, int], Any] = {}
    single_units: list[Units] = []
    for cell in spec.cells:
        style = 0
        if cell.number_format or cell.bold or cell.font_size or cell.horizontal:
            style = styles.cell_xf(
                0,
                number_format=cell.number_format,
                bold=cell.bold,
                font_size=cell.font_size,
                horizontal=cell.horizontal,
            )
        elif isinstance(cell.value, dt.date):
            style = styles.cell_xf(0, number_format=_DEFAULT_DATE)
        singles[(cell.row, cell.col)] = cell.value
        xml = np.empty(1, dtype=object)
        xml[0] = cell_xml(
            f"{col_letters(cell.col + 1)}{cell.row + 1}", cell.value, style, cell.formula
        )
        place = (np.array([cell.row]), np.array([cell.col]), np.array([cell.col]))
        single_units.append((*place, xml, np.zeros(1, dtype=np.int64)))
    # tables' data rows as blocks of whole rows; where a table shares its rows with other
    # cells, a unit per row; where tables or cells cover each other, cell by cell
    grains: tuple[Grain, ...] = ("block", "row", "cell")
    for grain in grains:
        data = _sheet_data([unit for cells in layers for unit in cells.units(grain)] + single_units)
        if data is not None:
            break
    assert data is not None  # cell by cell always places every cell
    sheet_data, last_row, max_col = data

    def stored(r: int, c: int) -> Any:
        if (r, c) in singles:
            return singles[(r, c)]
        for cells in reversed(layers):
            found, value = cells.stored(r, c)
            if found:
                return value
        return None

    dimension = range_ref(1, 1, last_row + 1, max_col + 1) if last_row >= 0 else "A1"
    tab = f'<tabColor rgb="{_rgb(spec.tab_color)}"/>' if spec.tab_color else ""
    fit = '<pageSetUpPr fitToPage="1"/>' if spec.fit_width else ""
    sheet_pr = f"<sheetPr>{tab}{fit}</sheetPr>" if tab or fit else ""
    widths = column_widths(spec)
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w:g}" customWidth="1"/>'
        for i, w in sorted(widths.items())
    )
    cfs = "".join(
        conditional_xml(cf, styles, n) for n, cf in enumerate(spec.conditional_formats, start=1)
    )
    drawing = f'<drawing r:id="{drawing_rid}"/>' if drawing_rid else ""
    parts = "".join(f'<tablePart r:id="{rid}"/>' for rid in table_rids)
    table_parts = f'<tableParts count="{len(table_rids)}">{parts}</tableParts>' if parts else ""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS["m"]}" xmlns:r="{NS["r"]}">{sheet_pr}<dimension ref="{dimension}"/>'
        f'<sheetViews><sheetView workbookViewId="0">{_pane(spec.freeze)}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
        "<sheetData>"
    )
    tail = (
        f"</sheetData>{cfs}{validation_xml(spec.validations)}"
        f"{print_xml(spec)}{drawing}{table_parts}</worksheet>"
    )
    sheet_data.insert(0, head)
    sheet_data.append(tail)
    return RenderedSheet(sheet_data, tables, stored)
