"""Whole-column cell writing (issue 17) gives exactly what the cell-by-cell path gives.

The reference is the cell-by-cell code that stays in :mod:`xlcredit.workbook.sheet_xml`
(``cell_xml``, ``set_columns``): the column paths must write the same XML, style ids
included, for any column of values and any layout of the rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from strategies import wild_cells

import xlcredit.workbook.column_xml as column_xml
from xlcredit.workbook.column_xml import (
    ColumnBlock,
    cells_xml,
    plain_values,
    splice_block,
    splice_pieces,
    write_block,
)
from xlcredit.workbook.sheet_xml import cell_xml, col_letters, plain_value, set_columns
from xlcredit.workbook.xlsx_parts import NS

_M = NS["m"]

#: Values the writers meet, besides what a user types: numpy and pandas scalars, datetimes
#: with time, aware datetimes, text with markup, control characters and carriage returns.
_EXTRA = st.sampled_from(
    (
        np.float64(2.5), np.int64(7), np.bool_(True), pd.NaT, pd.NA, float("nan"),
        float("inf"), 1e15, 1e15 - 1, 1e16, -0.0, 2**60, 1.5e-7, Decimal("1.10"),
        dt.datetime(2020, 1, 1, 12, 30, 5, 123), dt.datetime(1800, 5, 5, 1, 1, 1),
        dt.datetime(2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        pd.Timestamp("2021-05-05 01:02:03"), np.datetime64("2020-01-01T05:00"),
        "a&b<c>\r\n", "\x01z", "=SUM(A1)", " lead", "中文", "x" * 40_000,
    )
)  # fmt: skip
_CELL = st.one_of(wild_cells(), _EXTRA)
#: Columns of one kind (the vectorised paths) or of mixed kinds (the per-cell path).
_COLUMNS = st.one_of(
    st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)), max_size=30),
    st.lists(st.one_of(st.none(), st.text(max_size=6)), max_size=30),
    st.lists(st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))), max_size=30),
    st.lists(
        st.one_of(st.none(), st.datetimes(dt.datetime(1850, 1, 1), dt.datetime(2200, 1, 1))),
        max_size=30,
    ),
    st.lists(st.one_of(st.none(), st.booleans()), max_size=30),
    st.lists(_CELL, max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(values=_COLUMNS, data=st.data())
def test_cells_xml_is_cell_xml_of_each_value(values: list[Any], data: st.DataObject) -> None:
    styles = data.draw(st.lists(st.integers(0, 5), min_size=len(values), max_size=len(values)))
    refs = np.array([f"C{i + 2}" for i in range(len(values))], dtype=object)
    got = cells_xml(refs, values, np.array(styles, dtype=np.int64)).tolist()
    want = [cell_xml(r, plain_value(v), s) for r, v, s in zip(refs, values, styles, strict=True)]
    assert got == want


@settings(max_examples=200, deadline=None)
@given(values=_COLUMNS)
def test_plain_values_is_plain_value_of_each(values: list[Any]) -> None:
    got = plain_values(values)
    want = [plain_value(v) for v in values]
    assert [repr(v) for v in got] == [repr(v) for v in want]


def _sheet(rows: list[list[tuple[int, int]]], missing: set[int]) -> bytes:
    """A worksheet: row i (Excel row i + 2) holds cells (column, style); rows in ``missing``
    are absent; a header row 1 is dense."""
    out = ['<row r="1">' + "".join(f'<c r="{col_letters(c)}1" s="1"/>' for c in range(1, 9)) + "</row>"]
    for i, cells in enumerate(rows):
        if i in missing:
            continue
        r = i + 2
        body = "".join(
            f'<c r="{col_letters(c)}{r}"{f" s={chr(34)}{s}{chr(34)}" if s else ""}><v>{c}</v></c>'
            for c, s in cells
        )
        out.append(f'<row r="{r}" spans="1:8">{body}</row>' if body else f'<row r="{r}"/>')
    return (
        f'<worksheet xmlns="{_M}"><dimension ref="A1:H9"/><sheetData>{"".join(out)}</sheetData>'
        "</worksheet>"
    ).encode()


def _style_for(calls: list[tuple[Any, ...]]) -> Any:
    """A cached style chooser like FileWorkbook's: a new format id per combination, in the
    order they are first met (as StyleBook.cell_xf appends them)."""
    made: dict[tuple[Any, ...], int | None] = {}

    def style_for(old: int | None, fmt: str | None, is_date: bool) -> int | None:
        key = (old, fmt, is_date)
        calls.append(key)
        if key not in made:
            made[key] = old if fmt is None and not is_date else 100 + len(made)
        return made[key]

    return style_for


@st.composite
def _layouts(draw: st.DrawFn, regular: bool = False) -> tuple[bytes, ColumnBlock]:
    """A sheet and a block to write; ``regular``: every row dense, none missing (the layout
    the templates and Excel write, which the text path handles)."""
    n = draw(st.integers(1, 8))
    targets = sorted(draw(st.sets(st.integers(1, 8), min_size=1, max_size=4)))
    rows = []
    for _ in range(n):
        dense = regular or draw(st.booleans())
        cols = range(1, 9) if dense else sorted(draw(st.sets(st.integers(1, 8), max_size=8)))
        rows.append([(c, draw(st.integers(0, 4))) for c in cols])
    missing = set() if regular else draw(st.sets(st.integers(0, n - 1), max_size=2))
    values = [draw(st.lists(_CELL, min_size=n, max_size=n)) for _ in targets]
    formats = [draw(st.sampled_from((None, "0.00", "yyyy-mm-dd"))) for _ in targets]
    order = draw(st.permutations(range(len(targets))))
    block = ColumnBlock(
        rows=np.arange(2, n + 2),
        cols=[targets[k] for k in order],
        values=[values[k] for k in order],
        formats=[formats[k] for k in order],
    )
    return _sheet(rows, missing), block


def _reference(xml: bytes, block: ColumnBlock) -> tuple[etree._Element, list[tuple[Any, ...]]]:
    """The sheet after the cell-by-cell path as FileWorkbook.write_columns drives it, and the
    style combinations in the order it met them."""
    before = etree.fromstring(xml)
    existing = {int(r.get("r")) for r in before.iter(f"{{{_M}}}row")}
    cells: dict[int, dict[int, Any]] = {}
    fmt = dict(zip(block.cols, block.formats, strict=True))
    for col, values in zip(block.cols, block.values, strict=True):
        for r, v in zip(block.rows.tolist(), plain_values(values), strict=True):
            if r in existing or v is not None:
                cells.setdefault(r, {})[col] = v
    calls: list[tuple[Any, ...]] = []
    style = _style_for(calls)
    set_columns(before, cells, lambda r, c, old, v: style(old, fmt[c], isinstance(v, dt.date)))
    return before, calls


@settings(max_examples=200, deadline=None)
@given(layout=st.one_of(_layouts(regular=True), _layouts()))
def test_splice_block_writes_what_set_columns_writes(layout: tuple[bytes, ColumnBlock]) -> None:
    xml, block = layout
    want, calls_a = _reference(xml, block)
    head, _, rest = xml.partition(b"<sheetData>")
    body, _, tail = rest.partition(b"</sheetData>")
    calls_b: list[tuple[Any, ...]] = []
    spliced = splice_block(body.decode(), block, _style_for(calls_b))
    if spliced is None:  # not the regular layout: the caller parses the sheet instead
        assert not calls_b  # and nothing was chosen before giving up
        return
    got = etree.fromstring(head + b"<sheetData>" + spliced.encode() + b"</sheetData>" + tail)
    assert etree.tostring(got, method="c14n") == etree.tostring(want, method="c14n")
    assert list(dict.fromkeys(calls_b)) == list(dict.fromkeys(calls_a))
    # given a row at a time (as the file adapter deflates them), the same text
    pieces = splice_pieces(body.decode(), block, _style_for([]), rows_per_piece=1)
    assert pieces is not None and "".join(pieces) == spliced


@settings(max_examples=50, deadline=None)
@given(layout=_layouts(regular=True))
def test_splice_block_takes_the_layout_excel_writes(layout: tuple[bytes, ColumnBlock]) -> None:
    xml, block = layout
    body = xml.partition(b"<sheetData>")[2].partition(b"</sheetData>")[0].decode()
    assert splice_block(body, block, _style_for([])) is not None


@settings(max_examples=300, deadline=None)
@given(layout=_layouts())
def test_write_block_writes_what_set_columns_writes(layout: tuple[bytes, ColumnBlock]) -> None:
    xml, block = layout
    # the reference: the cell-by-cell path as FileWorkbook.write_columns drives it
    before = etree.fromstring(xml)
    existing = {int(r.get("r")) for r in before.iter(f"{{{_M}}}row")}
    cells: dict[int, dict[int, Any]] = {}
    fmt = dict(zip(block.cols, block.formats, strict=True))
    for col, values in zip(block.cols, block.values, strict=True):
        for r, v in zip(block.rows.tolist(), plain_values(values), strict=True):
            if r in existing or v is not None:
                cells.setdefault(r, {})[col] = v
    calls_a: list[tuple[Any, ...]] = []
    style_a = _style_for(calls_a)
    set_columns(
        before, cells, lambda r, c, old, v: style_a(old, fmt[c], isinstance(v, dt.date))
    )
    after = etree.fromstring(xml)
    calls_b: list[tuple[Any, ...]] = []

    def one_row(row: int, values: dict[int, Any], styles: dict[int, int]) -> None:
        set_columns(after, {row: values}, lambda r, c, old, v: styles[c] or None)

    assert write_block(after, block, _style_for(calls_b), one_row)
    assert etree.tostring(after, method="c14n") == etree.tostring(before, method="c14n")
    assert list(dict.fromkeys(calls_b)) == list(dict.fromkeys(calls_a))  # same order met


def test_write_block_leaves_shared_formulas_to_the_cell_path() -> None:
    xml = (
        f'<worksheet xmlns="{_M}"><sheetData><row r="2"><c r="A2"><f t="shared" ref="A2:A3" '
        'si="0">B2</f></c></row></sheetData></worksheet>'
    ).encode()
    block = ColumnBlock(rows=np.array([2]), cols=[1], values=[[1.0]], formats=[None])
    assert not write_block(etree.fromstring(xml), block, _style_for([]), lambda *a: None)


def test_a_nan_cell_of_a_generated_sheet_is_blank() -> None:
    # cell_xml wrote <v>nan</v> (which Excel refuses to open) for a NaN given as a sheet cell
    from xlcredit.workbook.generated import render_sheet
    from xlcredit.workbook.port import CellSpec, SheetSpec
    from xlcredit.workbook.styles import StyleBook

    spec = SheetSpec("Dashboard", cells=[CellSpec(0, 0, float("nan")), CellSpec(0, 1, 2.5)])
    out = render_sheet(spec, StyleBook(None), table_ids=[], table_rids=[], drawing_rid=None)
    assert b"nan" not in out.sheet_xml and b'<c r="A1"/>' in out.sheet_xml
    assert b'<c r="B1"><v>2.5</v></c>' in out.sheet_xml


@st.composite
def _sheet_specs(draw: st.DrawFn) -> Any:
    """A generated sheet whose tables and cells may sit side by side, share rows or cover
    each other (a later one replaces an earlier one's cells)."""
    from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec

    tables = []
    for t in range(draw(st.integers(0, 3))):
        width, n = draw(st.integers(1, 3)), draw(st.integers(0, 4))
        frame = pd.DataFrame(
            {f"H{j}": draw(st.lists(_CELL, min_size=n, max_size=n)) for j in range(width)},
            dtype=object,
        )
        tables.append(
            TableSpec(
                f"Table_{t}", frame, row=draw(st.integers(0, 6)), col=draw(st.integers(0, 5)),
                total_row=draw(st.booleans()),
                number_formats={"H0": "0.00"} if draw(st.booleans()) else {},
            )
        )  # fmt: skip
    cells = [
        CellSpec(draw(st.integers(0, 10)), draw(st.integers(0, 8)), draw(_CELL))
        for _ in range(draw(st.integers(0, 4)))
    ]
    return SheetSpec("Sheet", tables=tables, cells=cells)


@settings(max_examples=200, deadline=None)
@given(spec=_sheet_specs())
def test_a_sheet_joined_a_row_at_a_time_is_the_sheet_written_cell_by_cell(spec: Any) -> None:
    # the reference: every cell its own unit, placed and replaced one by one
    import xlcredit.workbook.generated as generated
    from xlcredit.workbook.styles import StyleBook

    ids = list(range(1, len(spec.tables) + 1))
    rids = [f"rId{i}" for i in ids]
    given_units = generated._TableCells.units
    block_rows, per_join = generated.BLOCK_ROWS, column_xml._PIECES_PER_JOIN
    out = {}
    try:
        for grain in ("block", "row", "cell"):
            # every table given at this grain at first (a finer one where it must)
            generated._TableCells.units = (  # type: ignore[method-assign]
                lambda self, asked="block", grain=grain: given_units(self, max(asked, grain, key=("block", "row", "cell").index))
            )
            out[grain] = generated.render_sheet(
                spec, StyleBook(None), table_ids=ids, table_rids=rids, drawing_rid=None
            )
        # and in the smallest pieces: blocks of two rows, cells joined a row at a time
        generated._TableCells.units = given_units  # type: ignore[method-assign]
        generated.BLOCK_ROWS, column_xml._PIECES_PER_JOIN = 2, 1
        out["pieces"] = generated.render_sheet(
            spec, StyleBook(None), table_ids=ids, table_rids=rids, drawing_rid=None
        )
    finally:
        generated._TableCells.units = given_units  # type: ignore[method-assign]
        generated.BLOCK_ROWS, column_xml._PIECES_PER_JOIN = block_rows, per_join
    assert out["block"].sheet_xml == out["cell"].sheet_xml == out["row"].sheet_xml == out["pieces"].sheet_xml
    assert out["block"].tables == out["cell"].tables
