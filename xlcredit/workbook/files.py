"""The file adapter of the Workbook port: an .xlsx/.xlsm on disk, no Excel needed.

Reading is fast (tables are located from the package XML, values read with
python-calamine). Writing works at the part level: every part of the file is copied byte
for byte except the few xlcredit owns (the sheet and table parts of the tables it writes
output columns into, workbook.xml and its relationships, [Content_Types].xml, styles.xml,
and the parts of the sheets it generates), so images, comments, charts, validations,
defined names, hidden sheets and VBA projects survive. Saves are atomic and locked.

>>> import tempfile, pathlib, pandas as pd
>>> from xlcredit.workbook.port import SheetSpec, TableSpec
>>> path = pathlib.Path(tempfile.mkdtemp()) / "book.xlsx"
>>> pd.DataFrame({"Buyer": ["ACME"]}).to_excel(path, sheet_name="Buyers", index=False)
>>> with FileWorkbook.open(path) as book:
...     book.write_sheet(SheetSpec("Aging", tables=[TableSpec("tblAging",
...         pd.DataFrame({"Buyer": ["ACME"], "Overdue": [1200.0]}))]))
...     book.save()
>>> with FileWorkbook.open(path, read_only=True) as book:
...     book.sheet_names(), book.read_table("tblAging").rows
(['Buyers', 'Aging'], [['ACME', 1200.0]])
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import glob
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt
from lxml import etree
from python_calamine import CalamineWorkbook

from xlcredit.engine.errors import (
    InputError,
    SchemaError,
    WorkbookChangedError,
    WorkbookError,
    WorkbookLockedError,
)
from xlcredit.messages import Message
from xlcredit.workbook import book_xml, charts, doc_props, sheet_cells
from xlcredit.workbook.book_xml import TableInfo
from xlcredit.workbook.column_xml import ColumnBlock, plain_values, splice_pieces, write_block
from xlcredit.workbook.deflate_stream import (
    Deflated,
    DeflateWriter,
    deflate_piece,
    inflate_piece,
    member_of,
)
from xlcredit.workbook.generated import check_sheet_name, conditional_xml, render_sheet
from xlcredit.workbook.port import (
    ColumnWrite,
    ConditionalFormat,
    RawTable,
    SheetSpec,
    TableEdit,
    Workbook,
)
from xlcredit.workbook.reading import ErrorCell, NoCachedValue
from xlcredit.workbook.safe_save import WorkbookLock, atomic_write, check_not_open, fingerprint
from xlcredit.workbook.sheet_cells import (
    block_of,
    cell_markers,
    excel_block,
    excel_value,
    may_hold_markers,
    read_block,
)
from xlcredit.workbook.sheet_xml import (
    SharedFormulaError,
    cell_is_blank,
    col_letters,
    col_number,
    date_system,
    extend_dimension,
    parse_ref,
    plain_value,
    range_ref,
    set_columns,
)
from xlcredit.workbook.styles import StyleBook
from xlcredit.workbook.xlsx_parts import (
    CT,
    LAZY_BYTES,
    NS,
    REL,
    Package,
    add_rel,
    inflate,
    inflate_pieces,
    parse_xml,
    remove_rels,
    set_override,
    to_xml,
)

__all__ = ["FileWorkbook", "ProgressCallback", "TimingCallback"]

ProgressCallback = Callable[[float, str], None]
#: ``timing(phase, seconds)``: called after each read, write and save of the adapter, with
#: phase "read", "write columns", "generated sheets" or "save" (the bench sums them).
TimingCallback = Callable[[str, float], None]
_M = NS["m"]
_BODY_MARK = b"<?xlcredit-cells?>"
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _timed(
    phase: str,
) -> Callable[[Callable[Concatenate[FileWorkbook, _P], _R]], Callable[Concatenate[FileWorkbook, _P], _R]]:
    """Report the time a method of :class:`FileWorkbook` takes to its timing callback."""

    def wrap(
        method: Callable[Concatenate[FileWorkbook, _P], _R],
    ) -> Callable[Concatenate[FileWorkbook, _P], _R]:
        @functools.wraps(method)
        def timed(self: FileWorkbook, *args: _P.args, **kwargs: _P.kwargs) -> _R:
            if self._timing is None:
                return method(self, *args, **kwargs)
            started = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                self._timing(phase, time.perf_counter() - started)

        return timed

    return wrap


#: Tables whose sheets' text is at most this large are read at the same time (see prefetch).
PREFETCH_BYTES = 256 * 1024**2

#: A sheet's error cells and formulas saved without a result, by (row, column).
_Markers = dict[tuple[int, int], "ErrorCell | NoCachedValue"]


def _generated_raw(name: str, sheet: str, info: TableInfo, frame: Any) -> RawTable:
    """A table generated in this session as :meth:`FileWorkbook.read_table` gives it."""
    return RawTable(
        name=name,
        sheet=sheet,
        header=info.header,
        rows=[[excel_value(plain_value(v)) for v in row] for row in frame.itertuples(False)],
        header_row=info.header_row,
        first_column=info.first_col,
    )


def _row_numbers(tree: etree._Element) -> set[int]:
    """Excel row numbers of the ``<row>`` elements of a worksheet."""
    data = tree.find(f"{{{_M}}}sheetData")
    numbers: set[int] = set()
    last = 0
    for row in () if data is None else data.iterchildren(f"{{{_M}}}row"):
        last = int(row.get("r") or last + 1)
        numbers.add(last)
    return numbers


class FileWorkbook:
    """A workbook file opened for reading tables and writing xlcredit's outputs.

    Parameters
    ----------
    path : the .xlsx or .xlsm to read.
    output : where :meth:`save` writes (default: ``path`` itself, atomically).
    progress : called as ``progress(fraction, message)``; the command line passes a bar.
    alert : called as ``alert(message)`` for what Excel would show in a message box
        (default: the message goes nowhere).
    read_only : open without the lock; :meth:`save` is then refused.
    force : write even when Excel's or LibreOffice's lock file says the book is open.
    timing : called as ``timing(phase, seconds)`` after each read, write and save (the bench
        uses it for its phase breakdown).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        output: str | Path | None = None,
        progress: ProgressCallback | None = None,
        read_only: bool = False,
        alert: Callable[[str], None] | None = None,
        force: bool = False,
        timing: TimingCallback | None = None,
    ) -> None:
        self.path = Path(path)
        self.output = Path(output) if output is not None else self.path
        self._progress = progress
        self._alert = alert
        self._timing = timing
        self.read_only = read_only
        if not read_only and not force:  # Excel's ~$book.xlsx, LibreOffice's .~lock.book.xlsx#
            for target in dict.fromkeys([self.path, self.output]):
                check_not_open(target)
        self._lock = None if read_only else WorkbookLock(self.output)
        if self._lock is not None:
            self._lock.acquire()
        try:
            self._load()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        output: str | Path | None = None,
        progress: ProgressCallback | None = None,
        read_only: bool = False,
        alert: Callable[[str], None] | None = None,
        force: bool = False,
        timing: TimingCallback | None = None,
    ) -> FileWorkbook:
        """Open ``path`` (see the class parameters); use it as a context manager."""
        return cls(
            path, output=output, progress=progress, read_only=read_only, alert=alert,
            force=force, timing=timing,
        )

    # -- loading ---------------------------------------------------------------------------
    def _load(self) -> None:
        self._stat = self._snapshot()
        #: Size and hash of the file as read: compared just before the atomic replace.
        self._print = fingerprint(self.output) if self.output == self.path else None
        if os.name == "nt" and not self.read_only and self.output.exists():  # pragma: no cover
            try:  # Excel holds an open workbook with a deny-write share lock
                with open(self.output, "r+b"):
                    pass
            except PermissionError:
                raise WorkbookLockedError(
                    Message("file.open_elsewhere", {"name": self.output.name})
                ) from None
        self.pkg = Package.from_path(self.path)
        office = [r for r in self.pkg.rels("") if r.type == REL["office"]]
        if not office:
            raise WorkbookError(Message("file.no_workbook_part", {"name": self.path.name}))
        if not self.read_only:  # large parts are deflated as they are written, on the other core
            self.pkg.deflater = ThreadPoolExecutor(max_workers=2, thread_name_prefix="xlcredit-deflate")
        self.main = office[0].target
        self.book = self.pkg.xml(self.main)
        if etree.QName(self.book).namespace != _M:
            raise WorkbookError(
                Message("file.strict_xml", {"name": self.path.name})
            )
        self._book_dirty = False
        self._cells_changed = False
        self._check_output_kind()
        props = self.book.find(f"{{{_M}}}workbookPr")
        #: The workbook counts dates from 1904: read and written so.
        self.date1904 = props is not None and props.get("date1904") in ("1", "true")
        rels = {r.id: r for r in self.pkg.rels(self.main)}
        self._sheet_parts: dict[str, str] = {}
        for el in self._sheet_elements():
            rel = rels.get(el.get(f"{{{NS['r']}}}id", ""))
            if rel is not None and rel.type == REL["worksheet"]:
                self._sheet_parts[el.get("name", "")] = rel.target
        styles = [r.target for r in rels.values() if r.type == REL["styles"]]
        self._styles_part = styles[0] if styles else "xl/styles.xml"
        self._styles: StyleBook | None = None
        self.tables: dict[str, TableInfo] = {}
        for sheet, part in self._sheet_parts.items():
            for rel in self.pkg.rels(part):
                if rel.type == REL["table"] and rel.target in self.pkg.parts:
                    info = book_xml.parse_table(self.pkg.xml(rel.target), rel.target, sheet, part)
                    self.tables[info.name.casefold()] = info
        self._sheet_trees: dict[str, etree._Element] = {}
        #: Text inside ``<sheetData>`` of sheets whose tree holds a marker instead.
        self._sheet_bodies: dict[str, str | Future[Deflated]] = {}
        self._table_trees: dict[str, etree._Element] = {}
        self._written: dict[str, dict[int, list[Any]]] = {}
        #: Rows of tables changed by edit_table, as read_table must now return them.
        self._edited: dict[str, list[list[Any]]] = {}
        #: Tables generated in this session, read back from their frames when first asked.
        self._generated_rows: dict[str, RawTable | Callable[[], RawTable]] = {}
        self._values: dict[str, list[list[Any]]] = {}
        self._calamine: CalamineWorkbook | None = None
        #: Tables being read in the background (see prefetch), by casefolded name: their
        #: values and their sheets' markers.
        self._reading: dict[str, tuple[Future[npt.NDArray[np.object_]], Future[_Markers]]] = {}
        self._readers: ThreadPoolExecutor | None = None

    def _check_output_kind(self) -> None:
        """Refuse to save a macro workbook as .xlsx (or the reverse): Excel will not open a
        file whose extension does not match its content."""
        if self.read_only:
            return
        types = self.pkg.parts.get("[Content_Types].xml", b"")
        macro = b"macroEnabled.main+xml" in types
        suffix = self.output.suffix.lower()
        wanted = ".xlsm" if macro else ".xlsx"
        if suffix in (".xlsx", ".xlsm") and suffix != wanted:
            what = "macros (a VBA project)" if macro else "no macros"
            raise InputError(
                Message("file.wrong_extension", {"name": self.path.name, "what": what, "name2": self.output.name, "wanted": wanted, "name3": self.output.with_suffix(wanted).name})
            )

    def _snapshot(self) -> tuple[int, int] | None:
        try:
            st = self.output.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def _sheet_elements(self) -> list[etree._Element]:
        sheets = self.book.find(f"{{{_M}}}sheets")
        return [] if sheets is None else list(sheets.iterchildren(f"{{{_M}}}sheet"))

    @property
    def styles(self) -> StyleBook:
        """The styles part, parsed on first use."""
        if self._styles is None:
            root = (
                parse_xml(self.pkg.parts[self._styles_part], self._styles_part)
                if self._styles_part in self.pkg.parts
                else None
            )
            self._styles = StyleBook(root)
        return self._styles

    def _sheet_tree(self, part: str) -> etree._Element:
        """The whole tree of a sheet part (cells held as text are parsed back in)."""
        if part in self._sheet_bodies:
            body = self._body_text(part)
            del self._sheet_bodies[part]
            data = to_xml(self._sheet_trees[part]).replace(_BODY_MARK, body.encode("utf-8"), 1)
            self._sheet_trees[part] = parse_xml(data, part)
        if part not in self._sheet_trees:
            self._sheet_trees[part] = self.pkg.xml(part)
        return self._sheet_trees[part]

    def _sheet_head(self, part: str) -> etree._Element:
        """The tree of a sheet part, without its cells when they are held as text."""
        return self._sheet_trees[part] if part in self._sheet_trees else self._sheet_tree(part)

    def _sheet_text(self, part: str) -> tuple[etree._Element, str] | None:
        """A sheet as a tree without its cells plus the text of ``<sheetData>``, for writing
        whole columns without parsing every cell; None when the sheet is already parsed or
        not written the usual way (default namespace, a non-empty ``<sheetData>``)."""
        if part in self._sheet_bodies:
            return self._sheet_trees[part], self._body_text(part)
        if part in self._sheet_trees or part not in self.pkg.parts:
            return None
        raw = self.pkg.parts[part]
        start, end = raw.find(b"<sheetData>"), raw.rfind(b"</sheetData>")
        head = raw[: max(start, 0)]
        if start < 0 or end < start or b"<worksheet " not in head or f'xmlns="{_M}"'.encode() not in head:
            return None
        try:
            body = str(memoryview(raw)[start + len(b"<sheetData>") : end], "utf-8")  # no copy of the bytes first
        except UnicodeDecodeError:
            return None
        skeleton = head + b"<sheetData>" + _BODY_MARK + raw[end:]
        self._sheet_trees[part] = parse_xml(skeleton, part)
        self._sheet_bodies[part] = body
        del raw
        self.pkg.parts.repack(part)  # the tree and the text now hold the sheet
        return self._sheet_trees[part], body

    def _body_text(self, part: str) -> str:
        """The text of a sheet's cells held aside, inflated again if it was deflated."""
        body = self._sheet_bodies[part]
        if isinstance(body, Future):
            body = self._sheet_bodies[part] = inflate_piece(body.result()).decode("utf-8")
        return body

    def _hold_body(self, part: str, pieces: Iterator[str]) -> None:
        """Hold a sheet's new cell text (given in pieces): deflated piece by piece as it
        comes when large parts are deflated in the background, so that the text of a
        sheet of millions of cells is never held whole (joined at the save, see _flush)."""
        if self.pkg.deflater is None:
            self._sheet_bodies[part] = "".join(pieces)
            return
        writer = DeflateWriter(self.pkg.deflater)
        for piece in pieces:
            writer.write(piece.encode("utf-8"))
        self._sheet_bodies[part] = writer.close()

    # -- the port: reading -----------------------------------------------------------------
    def sheet_names(self) -> list[str]:
        """Names of all sheets, in workbook order."""
        return [el.get("name", "") for el in self._sheet_elements()]

    def table_names(self) -> list[str]:
        """Names of all Excel tables in the workbook."""
        return [info.name for info in self.tables.values()]

    # -- the port: the user (a file has no window) -------------------------------------------
    def selected_row(self, table: str) -> int | None:
        """None: a file has no active cell. The table must exist all the same."""
        self._table(table)
        return None

    def activate_sheet(self, name: str) -> None:
        """Nothing to show (a file has no window); the sheet must exist all the same."""
        if name.casefold() not in {n.casefold() for n in self.sheet_names()}:
            raise SchemaError(Message("file.no_such_sheet", {"name": self.path.name, "name2": f"{name!r}"}))

    def choose_file(self, title: str, patterns: list[str]) -> str | None:
        """None: a file on disk has no dialog to show (the command line takes a path)."""
        return None

    def user_name(self) -> str:
        """The operating system's user name (a file has no Excel user)."""
        return _os_user()

    def alert(self, message: str) -> None:
        """Send ``message`` to the alert callback given at open, if any."""
        if self._alert is not None:
            self._alert(message)

    def _table(self, name: str) -> TableInfo:
        info = self.tables.get(name.casefold())
        if info is None:
            known = ", ".join(sorted(self.table_names())) or "none"
            raise SchemaError(
                Message("file.no_such_table", {"name": name, "name2": self.path.name, "known": known, "name3": name})
            )
        return info

    def _sheet_values(self, sheet: str) -> list[list[Any]]:
        """Every row of a sheet as python-calamine gives it (kept for the next read)."""
        if sheet not in self._values:
            found = self._calamine_sheet(self._main_reader(), sheet)
            self._values[sheet] = self._calamine_call(sheet, found.to_python, skip_empty_area=False)
        return self._values[sheet]

    def _main_reader(self) -> CalamineWorkbook:
        """The reader of the main thread, opened on first use and kept until save or close."""
        if self._calamine is None:
            self._calamine = self._open_reader()
        return self._calamine

    def _open_reader(self) -> CalamineWorkbook:
        try:
            return CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine raises its own error types
            raise WorkbookError(
                Message("file.cannot_read", {"name": self.path.name, "value": ' '.join(str(exc).split())})
            ) from None

    def _calamine_sheet(self, reader: CalamineWorkbook, sheet: str) -> Any:
        return self._calamine_call(sheet, reader.get_sheet_by_name, sheet)

    def _calamine_call(self, sheet: str, call: Callable[..., _R], *args: Any, **kwargs: Any) -> _R:
        try:
            return call(*args, **kwargs)
        except Exception as exc:  # a damaged or missing sheet part: calamine's own errors
            raise WorkbookError(
                Message("file.cannot_read_sheet", {"sheet": sheet, "name": self.path.name, "name2": type(exc).__name__, "value": ' '.join(str(exc).split())})
            ) from None

    def _table_block(self, info: TableInfo, reader: CalamineWorkbook | None = None) -> npt.NDArray[np.object_]:
        """The values of a table's data rows and columns as Excel delivers them. A sheet of
        at most :data:`~xlcredit.workbook.sheet_cells.KEEP_CELLS` cells is read whole and kept
        (Policy's tables share one sheet; Buyers is read twice); one of at most
        :data:`~xlcredit.workbook.sheet_cells.CHUNK_CELLS` is read whole and let go; a larger
        one is read in row chunks straight into the table's block (memory before speed)."""
        width = info.last_col - info.first_col + 1
        rows = range(info.data_rows.start - 1, info.data_rows.stop - 1)  # 0-based sheet rows
        values = self._values.get(info.sheet)
        if values is None:
            found = self._calamine_sheet(reader or self._main_reader(), info.sheet)
            cells = found.height * found.width
            if cells > sheet_cells.CHUNK_CELLS:
                return self._calamine_call(info.sheet, read_block, found, rows, info.first_col - 1, width)
            values = self._calamine_call(info.sheet, found.to_python, skip_empty_area=False)
            del found  # calamine's own copy of the sheet goes before the conversion
            if cells <= sheet_cells.KEEP_CELLS:
                self._values[info.sheet] = values
        return excel_block(block_of(values[rows.start : rows.stop], len(rows), info.first_col - 1, width))

    def _read_in_background(self, info: TableInfo) -> npt.NDArray[np.object_]:
        """:meth:`_table_block` in a worker thread, with its own reader (one reader must not
        be shared between threads)."""
        reader = self._open_reader()
        try:
            return self._table_block(info, reader)
        finally:
            reader.close()

    def prefetch(self, tables: list[str]) -> None:
        """Start reading ``tables`` in the background; :meth:`read_table` then waits for
        them. python-calamine parses a sheet without holding Python's lock, so on a machine
        with two cores the invoice sheet is read while the buyers are read and checked (the
        reading takes about the time of the largest sheet instead of the sum). Reading two
        sheets at once holds both in memory: when their text exceeds :data:`PREFETCH_BYTES`
        they are read one after the other, as asked. Tables not in the workbook, generated
        in this session or already read are left alone."""
        wanted = [
            info for name in tables
            if (info := self.tables.get(name.casefold())) is not None and not info.generated
            and info.sheet not in self._values and info.name.casefold() not in self._reading
        ]  # fmt: skip
        sheets = {info.sheet_part for info in wanted if info.sheet_part in self.pkg.parts}
        if len(wanted) < 2 or sum(self.pkg.parts.size(p) for p in sheets) > PREFETCH_BYTES:
            return
        if self._readers is None:
            self._readers = ThreadPoolExecutor(max_workers=3, thread_name_prefix="xlcredit-read")
        reads = [self._readers.submit(self._read_in_background, info) for info in wanted]
        for info, read in zip(wanted, reads, strict=True):  # markers inflate the sheet beside its read
            self._reading[info.name.casefold()] = (read, self._readers.submit(self._markers, info.sheet_part))

    def _markers(self, part: str) -> _Markers:
        """Error cells and uncalculated formulas of a sheet part. A part still held
        compressed is scanned in pieces and not kept inflated: most sheets hold neither, and
        a large invoice sheet's text would otherwise stay in memory for the whole run."""
        if part not in self.pkg.parts:
            return {}
        member = self.pkg.parts.packed(part)
        if member is None:
            return cell_markers(self.pkg.parts[part])
        if not may_hold_markers(inflate_pieces(member)):
            return {}
        return cell_markers(inflate(member))  # not kept in the package

    def read_sheet(self, sheet: str) -> list[list[Any]]:
        """Every row of a sheet's used range, values as Excel delivers them (an export to
        import; not part of the port). The sheet name matches whatever its case."""
        names = self.sheet_names()
        match = [n for n in names if n.casefold() == sheet.casefold()]
        if not match:
            raise InputError(Message("file.choose_sheet", {"name": self.path.name, "sheet": f"{sheet!r}", "value": ', '.join(names)}))
        return [[excel_value(v) for v in row] for row in self._sheet_values(match[0])]

    @_timed("read")
    def read_table(self, name: str) -> RawTable:
        """Read a table by its Excel name; raise SchemaError naming it when it is missing.

        The cells of a table not being read in the background are read when first asked for
        (``grid``, ``rows``): a sheet that cannot be read raises WorkbookError then."""
        info = self._table(name)
        if info.generated:
            return self._generated_table(info.name.casefold())
        width = info.last_col - info.first_col + 1
        if info.name.casefold() in self._edited:  # rows an import edited in this session
            edited = self._edited[info.name.casefold()]
            grid = np.full((len(edited), width), None, dtype=object)
            for i, edited_row in enumerate(edited):
                grid[i, : len(edited_row)] = list(edited_row)
            _overlay(grid, self._written.get(info.name.casefold(), {}))
        elif info.name.casefold() in self._reading:  # being read in the background: wait for it
            grid = self._grid(info, self._written.get(info.name.casefold(), {}))
        else:  # the cells are read when first asked for, as they are now (see _read_grid)
            written = dict(self._written.get(info.name.casefold(), {}))
            return RawTable(
                name=info.name, sheet=info.sheet, header=list(info.header), header_row=info.header_row,
                first_column=info.first_col, date1904=self.date1904, n_rows=len(info.data_rows),
                load=functools.partial(self._read_grid, copy.copy(info), written),
            )  # fmt: skip
        return RawTable(
            name=info.name,
            sheet=info.sheet,
            header=list(info.header),
            header_row=info.header_row,
            first_column=info.first_col,
            date1904=self.date1904,
            grid=grid,
        )

    @_timed("read")
    def _read_grid(self, info: TableInfo, written: dict[int, list[Any]]) -> npt.NDArray[np.object_]:
        """:meth:`_grid`, read when a table's cells are first asked for. Only a macro that
        needs the cells reads them: flagging the buyers needs the header and the size."""
        return self._grid(info, written)

    def _grid(self, info: TableInfo, written: dict[int, list[Any]]) -> npt.NDArray[np.object_]:
        """The cells of a table from the file, with its error cells and uncalculated formulas
        as markers and the columns this session wrote (``written``, as they were when the
        table was read)."""
        pending = self._reading.pop(info.name.casefold(), None)
        if pending is not None:
            grid, markers = pending[0].result(), pending[1].result()
        else:
            grid, markers = self._table_block(info), self._markers(info.sheet_part)
        for (row_no, col), marker in markers.items():
            if row_no in info.data_rows and info.first_col <= col <= info.last_col:
                grid[row_no - info.data_rows.start, col - info.first_col] = marker
        _overlay(grid, written)
        return grid

    def _generated_table(self, key: str) -> RawTable:
        found = self._generated_rows[key]
        if callable(found):  # built on first read: most generated tables are never read back
            found = self._generated_rows[key] = found()
        return found

    # -- the port: writing -----------------------------------------------------------------
    @_timed("write columns")
    def write_columns(self, table: str, columns: list[ColumnWrite]) -> None:
        """Write output columns into a table's data rows; new headers become new columns."""
        info = self._table(table)
        if info.generated:
            raise WorkbookError(Message("file.generated_table", {"name": info.name}))
        n_rows = len(info.data_rows)
        lookup = {h.strip().casefold(): i for i, h in enumerate(info.header)}
        new_headers: list[str] = []
        targets: list[tuple[int, ColumnWrite]] = []
        for column in columns:
            if len(column.values) != n_rows:
                raise InputError(
                    Message("file.column_length", {"header": f"{column.header!r}", "name": info.name, "n_rows": n_rows, "n_values": len(column.values)})
                )
            key = column.header.strip().casefold()
            if key not in lookup:
                lookup[key] = len(info.header) + len(new_headers)
                new_headers.append(column.header.strip())
            targets.append((lookup[key], column))
        cache: dict[tuple[int | None, str | None, bool], int | None] = {}

        def style_for(old: int | None, fmt: str | None, is_date: bool) -> int | None:
            key = (old, fmt, is_date)
            if key not in cache:
                base = old or 0
                if fmt is None and is_date and not self.styles.is_date(base):
                    fmt = "yyyy-mm-dd"
                cache[key] = self.styles.cell_xf(base, number_format=fmt) if fmt else old
            return cache[key]

        written = self._written.setdefault(info.name.casefold(), {})
        block = ColumnBlock(
            rows=np.arange(info.data_rows.start, info.data_rows.stop),
            cols=[info.first_col + offset for offset, _ in targets],
            values=[column.values for _, column in targets],
            formats=[column.number_format for _, column in targets],
        )
        as_text = None if new_headers else self._sheet_text(info.sheet_part)
        if as_text is not None:  # the fastest path: the cells as text, never parsed
            head, body = as_text
            self._check_unprotected(head, info.sheet)
            with date_system(self.date1904):
                spliced = splice_pieces(body, block, style_for)
            if spliced is not None:
                self._hold_body(info.sheet_part, spliced)
                for offset, column in targets:
                    written[offset] = plain_values(column.values)
                extend_dimension(head, info.last_row, info.last_col)
                self._cells_changed = True
                return
        tree = self._sheet_tree(info.sheet_part)
        self._check_unprotected(tree, info.sheet)
        # A row the sheet does not have holds nothing to clear: only its non-blank values are
        # written there (a table reaching row 1,048,576 would otherwise get a million rows
        # of empty cells).
        existing = _row_numbers(tree)
        data_rows = info.data_rows
        kept_rows = [r for r in data_rows if r in existing]
        cells: dict[int, dict[int, Any]] = {r: {} for r in kept_rows}
        if new_headers:
            self._check_free(info, tree, len(new_headers))
            header_style = self._style_at(tree, info.header_row, info.last_col)
            first_new = info.last_col + 1
            cells[info.header_row] = {first_new + i: header for i, header in enumerate(new_headers)}
            if info.part not in self._table_trees:
                self._table_trees[info.part] = self.pkg.xml(info.part)
            table_tree = self._table_trees[info.part]
            book_xml.add_table_columns(table_tree, info, new_headers)
        else:
            header_style = None
        if not new_headers:  # the fast path on the tree: whole columns, a step per row

            def one_row(row: int, values: dict[int, Any], styles: dict[int, int]) -> None:
                set_columns(tree, {row: values}, lambda r, c, old, v: styles[c] or None)

            try:
                with date_system(self.date1904):
                    done = write_block(tree, block, style_for, one_row)
            except SharedFormulaError as exc:  # pragma: no cover - write_block leaves these
                raise WorkbookError(Message("file.cannot_write_table", {"name": info.name, "exc": exc})) from None
            if done:
                for offset, column in targets:
                    written[offset] = plain_values(column.values)
                extend_dimension(tree, info.last_row, info.last_col)
                self._cells_changed = True
                return
        formats: dict[int, str | None] = {}
        for offset, column in targets:
            col = info.first_col + offset
            formats[col] = column.number_format
            values = plain_values(column.values)
            for r in kept_rows:
                cells[r][col] = values[r - data_rows.start]
            for i in [i for i, v in enumerate(values) if v is not None]:
                cells.setdefault(data_rows[i], {})[col] = values[i]
            written[offset] = values

        def style_of(row: int, col: int, old: int | None, value: Any) -> int | None:
            if row == info.header_row:
                return header_style
            return style_for(old, formats.get(col), isinstance(value, dt.date))

        try:
            with date_system(self.date1904):
                set_columns(tree, cells, style_of)
            extend_dimension(tree, info.last_row, info.last_col)
        except SharedFormulaError as exc:
            raise WorkbookError(
                Message("file.cannot_write_table_on_sheet", {"name": info.name, "sheet": info.sheet, "exc": exc})
            ) from None
        self._cells_changed = True

    def edit_table(self, table: str, edit: TableEdit) -> None:
        """Change cells of a table and append rows below it, growing the table part (ref,
        autoFilter, a total row moved down), the conditional formats and validations that
        cover its whole columns, and the sheet's dimension. Validated before anything
        changes; a failure midway restores the sheet and table as they were."""
        info = self._table(table)
        if info.generated:
            raise WorkbookError(Message("file.generated_table_rows", {"name": info.name}))
        key = info.name.casefold()
        n_rows = len(info.data_rows)
        for index in edit.updates:
            if not 0 <= index < n_rows:
                raise InputError(Message("file.not_a_data_row", {"index": index, "name": info.name, "n_rows": n_rows}))
        tree = self._sheet_tree(info.sheet_part)
        self._check_unprotected(tree, info.sheet)
        lookup = {h.strip().casefold(): i for i, h in enumerate(info.header)}
        new_headers: list[str] = []
        for header in edit.headers():
            folded = header.strip().casefold()
            if folded not in lookup:
                lookup[folded] = len(info.header) + len(new_headers)
                new_headers.append(header.strip())
        if not edit.updates and not edit.appends and not new_headers:
            return
        current = self.read_table(info.name).rows
        if new_headers:
            self._check_free(info, tree, len(new_headers))
        n_new = len(edit.appends)
        if n_new:
            self._check_below(info, tree, n_new, info.last_col + len(new_headers))
        if info.part not in self._table_trees:
            self._table_trees[info.part] = self.pkg.xml(info.part)
        table_tree = self._table_trees[info.part]
        saved = (copy.deepcopy(tree), copy.deepcopy(table_tree), copy.copy(info), list(info.header))
        try:
            self._apply_edit(info, tree, table_tree, edit, lookup, new_headers)
        except BaseException:
            old_tree, old_table, old_info, old_header = saved
            self._sheet_trees[info.sheet_part] = old_tree
            self._table_trees[info.part] = old_table
            info.__dict__.update(old_info.__dict__)
            info.header = old_header
            raise
        width = len(info.header)
        rows = [row + [None] * (width - len(row)) for row in current]
        for index, values in edit.updates.items():
            for header, value in values.items():
                rows[index][lookup[header.strip().casefold()]] = excel_value(plain_value(value))
        for values in edit.appends:
            row = [None] * width
            for header, value in values.items():
                row[lookup[header.strip().casefold()]] = excel_value(plain_value(value))
            rows.append(row)
        self._edited[key] = rows
        self._written.pop(key, None)
        self._cells_changed = True

    def _apply_edit(
        self,
        info: TableInfo,
        tree: etree._Element,
        table_tree: etree._Element,
        edit: TableEdit,
        lookup: dict[str, int],
        new_headers: list[str],
    ) -> None:
        last_data = info.last_row - info.totals_rows
        template_row = last_data if len(info.data_rows) else None
        base_styles = {
            c: (self._style_at(tree, template_row, c) if template_row else None)
            for c in range(info.first_col, info.last_col + 1)
        }
        header_style = self._style_at(tree, info.header_row, info.last_col)
        cells: dict[int, dict[int, Any]] = {}
        if new_headers:
            first_new = info.last_col + 1
            cells[info.header_row] = {first_new + i: h for i, h in enumerate(new_headers)}
            book_xml.add_table_columns(table_tree, info, new_headers)
        formulas = book_xml.calculated_formulas(table_tree)
        n_new = len(edit.appends)
        moved: list[tuple[int, etree._Element]] = []
        if n_new and info.totals_rows:
            moved = self._take_row(tree, info.last_row, info.first_col, info.last_col)
        formats: dict[int, str] = {}
        for header, fmt in edit.number_formats.items():
            if header.strip().casefold() in lookup:
                formats[info.first_col + lookup[header.strip().casefold()]] = fmt
        for index, values in edit.updates.items():
            row = info.data_rows[index]
            for header, value in values.items():
                cells.setdefault(row, {})[info.first_col + lookup[header.strip().casefold()]] = value
        appended_rows = set(range(last_data + 1, last_data + 1 + n_new))
        for offset, values in enumerate(edit.appends):
            row = last_data + 1 + offset
            line: dict[int, Any] = {c: None for c in range(info.first_col, info.last_col + 1)}
            for header, value in values.items():
                line[info.first_col + lookup[header.strip().casefold()]] = value
            cells[row] = line
        if n_new:
            info.last_row += n_new
            book_xml.set_table_rows(table_tree, info)
        if moved:
            cells.setdefault(info.last_row, {}).update({c: None for c, _ in moved})
        cache: dict[tuple[int | None, str | None, bool], int | None] = {}

        def style_of(row: int, col: int, old: int | None, value: Any) -> int | None:
            if row == info.header_row:
                return header_style
            if row in appended_rows:
                old = base_styles.get(col)
            fmt = formats.get(col)
            is_date = isinstance(value, dt.date)
            ck = (old, fmt, is_date)
            if ck not in cache:
                base = old or 0
                if fmt is None and is_date and not self.styles.is_date(base):
                    fmt = "yyyy-mm-dd"
                cache[ck] = self.styles.cell_xf(base, number_format=fmt) if fmt else old
            return cache[ck]

        try:
            set_columns(tree, cells, style_of)
        except SharedFormulaError as exc:
            raise WorkbookError(Message("file.cannot_write_rows", {"name": info.name, "sheet": info.sheet, "exc": exc})) from None
        if moved:
            self._put_row(tree, info.last_row, moved)
        if formulas and n_new:
            names = {h.strip().casefold(): i for i, h in enumerate(info.header)}
            by_col = {info.first_col + names[h.strip().casefold()]: f for h, f in formulas.items()
                      if h.strip().casefold() in names}
            self._add_formulas(tree, sorted(appended_rows), by_col)
        if n_new:
            _grow_ranges(tree, info, last_data, n_new)
        extend_dimension(tree, info.last_row, info.last_col)

    def _check_below(self, info: TableInfo, tree: etree._Element, count: int, last_col: int) -> None:
        """Refuse to grow a table over cells that hold something."""
        below = range(info.last_row + 1, info.last_row + 1 + count)
        for row in tree.iterfind(f".//{{{_M}}}row"):
            if int(row.get("r", "0")) not in below:
                continue
            col = 0
            for cell in row.iterchildren(f"{{{_M}}}c"):
                ref = cell.get("r", "")
                col = col_number(ref.rstrip("0123456789")) if ref else col + 1
                if info.first_col <= col <= last_col and not cell_is_blank(cell):
                    raise WorkbookError(
                        Message("file.no_room_below", {"count": count, "name": info.name, "sheet": info.sheet, "ref": ref})
                    )

    def _row_element(self, tree: etree._Element, number: int) -> etree._Element | None:
        for row in tree.iterfind(f".//{{{_M}}}row[@r='{number}']"):
            return row
        return None

    def _take_row(
        self, tree: etree._Element, number: int, first_col: int, last_col: int
    ) -> list[tuple[int, etree._Element]]:
        """Remove and return the cells of a row between two columns (a total row to move)."""
        row = self._row_element(tree, number)
        if row is None:
            return []
        taken = []
        col = 0
        for cell in list(row.iterchildren(f"{{{_M}}}c")):
            ref = cell.get("r", "")
            col = col_number(ref.rstrip("0123456789")) if ref else col + 1
            if first_col <= col <= last_col:
                taken.append((col, copy.deepcopy(cell)))
        return taken

    def _put_row(self, tree: etree._Element, number: int, cells: list[tuple[int, etree._Element]]) -> None:
        """Copy moved cells into the placeholders ``set_columns`` made on row ``number``."""
        row = self._row_element(tree, number)
        if row is None:
            return
        wanted = dict(cells)
        for cell in row.iterchildren(f"{{{_M}}}c"):
            ref = cell.get("r", "")
            col = col_number(ref.rstrip("0123456789"))
            source = wanted.get(col)
            if source is None:
                continue
            cell.clear()
            for name, value in source.attrib.items():
                cell.set(name, value)
            cell.set("r", f"{col_letters(col)}{number}")
            for child in source:
                cell.append(copy.deepcopy(child))

    def _add_formulas(self, tree: etree._Element, rows: list[int], formulas: dict[int, str]) -> None:
        """Give new rows the formula of each calculated column (Excel extends them too)."""
        wanted = set(rows)
        for row in tree.iterfind(f".//{{{_M}}}row"):
            if int(row.get("r", "0")) not in wanted:
                continue
            for cell in row.iterchildren(f"{{{_M}}}c"):
                ref = cell.get("r", "")
                formula = formulas.get(col_number(ref.rstrip("0123456789")))
                if formula is not None:
                    for child in list(cell):
                        cell.remove(child)
                    if "t" in cell.attrib:
                        del cell.attrib["t"]
                    etree.SubElement(cell, f"{{{_M}}}f").text = formula

    def _check_unprotected(self, tree: etree._Element, sheet: str) -> None:
        protection = tree.find(f"{{{_M}}}sheetProtection")
        if protection is not None and protection.get("sheet") in ("1", "true"):
            raise WorkbookError(
                Message("file.protected_sheet", {"sheet": sheet})
            )

    def _style_at(self, tree: etree._Element, row: int, col: int) -> int | None:
        ref = f"{col_letters(col)}{row}"
        for cell in tree.iterfind(f".//{{{_M}}}row[@r='{row}']/{{{_M}}}c[@r='{ref}']"):
            return int(cell.get("s", "0")) or None
        return None

    def _check_free(self, info: TableInfo, tree: etree._Element, count: int) -> None:
        if info.last_col + count > 16384:
            raise WorkbookError(Message("file.no_room_columns", {"name": info.name, "count": count}))
        wanted = {col_letters(info.last_col + i) for i in range(1, count + 1)}
        rows = range(info.first_row, info.last_row + 1)
        for row in tree.iterfind(f".//{{{_M}}}row"):
            if int(row.get("r", "0")) not in rows:
                continue
            for cell in reversed(row):  # cells run left to right: look at the right end only
                letters = "".join(ch for ch in cell.get("r", "") if ch.isalpha())
                if letters and col_number(letters) <= info.last_col:
                    break
                if letters in wanted and not cell_is_blank(cell):
                    raise WorkbookError(
                        Message("file.no_room_right", {"name": info.name, "sheet": info.sheet, "value": cell.get('r')})
                    )

    @_timed("generated sheets")
    def write_sheet(self, sheet: SheetSpec, *, before: str | None = None) -> None:
        """Create or replace a generated sheet (and only a sheet xlcredit created).

        A user's sheet with the same name is never overwritten: WorkbookError asks the user
        to rename it.
        """
        check_sheet_name(sheet.name)
        elements = self._sheet_elements()
        names = [el.get("name", "") for el in elements]
        folded = [n.casefold() for n in names]
        marked = book_xml.marked_sheets(self.book)
        position = folded.index(sheet.name.casefold()) if sheet.name.casefold() in folded else -1
        if position >= 0 and position not in marked:
            raise WorkbookError(
                Message("file.sheet_not_ours", {"name": self.path.name, "names": f"{names[position]!r}"})
            )
        self._check_table_names(sheet, names[position] if position >= 0 else None)
        saved = self._state()
        try:
            self._replace_sheet(sheet, position, names, before)
        except BaseException:
            self._restore(saved)  # a failed sheet leaves the workbook as it was
            raise

    def _state(self) -> tuple[Any, ...]:
        pkg = self.pkg
        return (
            pkg.parts.copy(), set(pkg.changed), set(pkg.removed), dict(self.tables),
            dict(self._sheet_parts), copy.deepcopy(self.book), self._book_dirty,
            dict(self._generated_rows), dict(self._sheet_trees), dict(self._sheet_bodies),
        )  # fmt: skip

    def _restore(self, state: tuple[Any, ...]) -> None:
        (
            self.pkg.parts, self.pkg.changed, self.pkg.removed, self.tables, self._sheet_parts,
            self.book, self._book_dirty, self._generated_rows, self._sheet_trees,
            self._sheet_bodies,
        ) = state  # fmt: skip

    def _replace_sheet(
        self, sheet: SheetSpec, position: int, names: list[str], before: str | None
    ) -> None:
        elements = self._sheet_elements()
        folded = [n.casefold() for n in names]
        if position >= 0:
            name = names[position]
            part = self._sheet_parts[name]
            self._remove_sheet_parts(part)
            for key in [k for k, t in self.tables.items() if t.sheet_part == part]:
                del self.tables[key]
        else:
            name = sheet.name
            part = self.pkg.free_name("xl/worksheets/sheet{}.xml")
            rid = add_rel(self.pkg, self.main, REL["worksheet"], part)
            set_override(self.pkg, part, CT["worksheet"])
            at = len(names)
            if before is not None and before.casefold() in folded:
                at = folded.index(before.casefold())
            sheet_id = max([0, *(int(el.get("sheetId", "0")) for el in elements)]) + 1
            book_xml.insert_sheet(self.book, at, name, sheet_id, rid)
            self._sheet_parts[name] = part
            self._book_dirty = True
        self._render(sheet, name, part)
        if book_xml.set_print_titles(self.book, name, sheet.print_title_rows):
            self._book_dirty = True
        self._cells_changed = True

    def _check_table_names(self, sheet: SheetSpec, replacing: str | None) -> None:
        seen: set[str] = set()
        for table in sheet.tables:
            key = table.name.casefold()
            other = self.tables.get(key)
            if key in seen or (other is not None and other.sheet != replacing):
                where = other.sheet if other is not None else sheet.name
                raise WorkbookError(
                    Message("file.table_name_taken", {"name": table.name, "where": where})
                )
            seen.add(key)

    def _remove_sheet_parts(self, part: str) -> None:
        """Remove what a generated sheet refers to (tables, drawings, charts...)."""
        pending = [r.target for r in self.pkg.rels(part) if not r.external]
        while pending:
            target = pending.pop()
            if target not in self.pkg.parts or target == part:
                continue
            pending.extend(r.target for r in self.pkg.rels(target) if not r.external)
            self.pkg.remove(target)
            set_override(self.pkg, target, None)
        self.pkg.remove(part)
        self._sheet_trees.pop(part, None)
        self._sheet_bodies.pop(part, None)

    def _render(self, spec: SheetSpec, name: str, part: str) -> None:
        next_id = max([0, *(t.id for t in self.tables.values())]) + 1
        table_ids = list(range(next_id, next_id + len(spec.tables)))
        table_parts, table_rids = [], []
        for _ in spec.tables:
            table_part = self.pkg.free_name("xl/tables/table{}.xml")
            self.pkg.put(table_part, b"")  # reserve the name
            table_parts.append(table_part)
            table_rids.append(add_rel(self.pkg, part, REL["table"], table_part))
        drawing_rid = None
        chart_parts: list[tuple[str, str]] = []
        if spec.charts:
            drawing = self.pkg.free_name("xl/drawings/drawing{}.xml")
            self.pkg.put(drawing, b"")
            drawing_rid = add_rel(self.pkg, part, REL["drawing"], drawing)
            for _ in spec.charts:
                chart = self.pkg.free_name("xl/charts/chart{}.xml")
                self.pkg.put(chart, b"")
                chart_parts.append((chart, add_rel(self.pkg, drawing, REL["chart"], chart)))
        with date_system(self.date1904):
            out = render_sheet(
                spec, self.styles, table_ids=table_ids, table_rids=table_rids,
                drawing_rid=drawing_rid,
            )
        if self.pkg.deflater is not None and out.size() >= LAZY_BYTES:  # deflated as joined, piece by piece
            writer = DeflateWriter(self.pkg.deflater)
            writer.write_texts(out.pieces)
            self.pkg.put_member(part, writer.close_member())
        else:
            self.pkg.put(part, out.sheet_xml)
        out.pieces = []
        set_override(self.pkg, part, CT["worksheet"])
        for table, table_part, xml in zip(spec.tables, table_parts, out.tables, strict=True):
            self.pkg.put(table_part, xml)
            set_override(self.pkg, table_part, CT["table"])
            info = book_xml.parse_table(parse_xml(xml, table_part), table_part, name, part)
            info.generated = True
            self.tables[table.name.casefold()] = info
            frame = table.frame
            self._generated_rows[table.name.casefold()] = functools.partial(
                _generated_raw, table.name, name, info, frame.copy()
            )
        if spec.charts:
            drawing_part = next(r.target for r in self.pkg.rels(part) if r.type == REL["drawing"])
            for chart_spec, (chart, _) in zip(spec.charts, chart_parts, strict=True):
                self.pkg.put(chart, charts.chart_xml(chart_spec, name, out.lookup))
                set_override(self.pkg, chart, CT["chart"])
            anchors = [(c, rid) for c, (_, rid) in zip(spec.charts, chart_parts, strict=True)]
            self.pkg.put(drawing_part, charts.drawing_xml(anchors))
            set_override(self.pkg, drawing_part, CT["drawing"])

    @_timed("write columns")
    def add_conditional_formats(self, sheet: str, formats: list[ConditionalFormat]) -> None:
        """Set xlcredit's conditional formats on a sheet, replacing those a previous call
        added (recognised by the signatures recorded in a hidden sheet-level name) and
        keeping every rule the user made."""
        names = self.sheet_names()
        if sheet not in names:
            raise WorkbookError(Message("file.no_sheet_named", {"name": self.path.name, "sheet": f"{sheet!r}"}))
        index = names.index(sheet)
        tree = self._sheet_head(self._sheet_parts[sheet])
        self._check_unprotected(tree, sheet)
        blocks = [
            etree.fromstring(f'<x xmlns="{_M}">{conditional_xml(cf, self.styles, 1)}</x>')[0]
            for cf in formats
        ]
        old = book_xml.get_cf_marks(self.book, index)
        book_xml.replace_conditional_formats(tree, old, blocks)
        marks = [
            book_xml.rule_signature(block.get("sqref", ""), rule)
            for block in blocks
            for rule in block.iterchildren(f"{{{_M}}}cfRule")
        ]
        book_xml.set_cf_marks(self.book, index, marks)
        self._book_dirty = True

    # -- the port: progress and saving -----------------------------------------------------
    @contextmanager
    def suspended(self) -> Iterator[None]:
        """Nothing to suspend: a file recalculates in Excel when it is opened."""
        yield

    def progress(self, fraction: float, message: str) -> None:
        """Report progress (0..1) to the callback given at open, if any."""
        if self._progress is not None:
            self._progress(min(max(float(fraction), 0.0), 1.0), message)

    def _flush(self) -> None:
        for part, tree in self._sheet_trees.items():
            data = to_xml(tree)
            body = self._sheet_bodies.get(part)
            if isinstance(body, Future):  # the cells deflated already: deflate around them
                before, after = data.split(_BODY_MARK, 1)
                self.pkg.put_member(part, member_of([deflate_piece(before), body.result(), deflate_piece(after)]))
                continue
            if body is not None:
                data = data.replace(_BODY_MARK, body.encode("utf-8"), 1)
            self.pkg.put(part, data)
        for part, tree in self._table_trees.items():
            self.pkg.put(part, to_xml(tree))
        if self._styles is not None and self._styles.dirty:
            self.pkg.put(self._styles_part, to_xml(self._styles.root))
            if not any(r.type == REL["styles"] for r in self.pkg.rels(self.main)):
                add_rel(self.pkg, self.main, REL["styles"], self._styles_part)
                set_override(self.pkg, self._styles_part, CT["styles"])
        if self._cells_changed:
            for part in remove_rels(self.pkg, self.main, REL["calcChain"]):
                self.pkg.remove(part)
                set_override(self.pkg, part, None)
            book_xml.set_full_calc(self.book)
            self._book_dirty = True
        if self._book_dirty:
            self.pkg.put(self.main, to_xml(self.book))

    @_timed("save")
    def save(self) -> None:
        """Write the workbook atomically to ``output`` (the original stays intact on error)."""
        if self.read_only:
            raise WorkbookError(Message("file.read_only", {"name": self.path.name}))
        self._check_unchanged()
        self.progress(0.95, "Saving")
        self._close_reader()  # Windows cannot replace a file this process still has open
        self._flush()
        if self._lock is not None:  # we hold the lock: temp files left by a killed run are stale
            for stale in self.output.parent.glob(
                f"~${glob.escape(self.output.stem)}.*.xlcredit.tmp"
            ):
                stale.unlink(missing_ok=True)
        atomic_write(self.output, self.pkg.write_zip, before_replace=self._check_unchanged)
        self._stat = self._snapshot()
        self._print = fingerprint(self.output) if self.output == self.path else None
        if self.output == self.path:
            self._values = {}
        self.progress(1.0, "Saved")

    def document_property(self, name: str) -> str | int | float | bool | None:
        """A custom document property of the file; None when absent."""
        value: str | int | float | bool | None = doc_props.read_properties(self.pkg).get(name)
        return value

    def set_document_property(self, name: str, value: str | int) -> None:
        """Create or change a custom document property (``docProps/custom.xml``)."""
        if self.read_only:
            raise WorkbookError(Message("file.read_only_change", {"name": self.path.name}))
        doc_props.set_property(self.pkg, name, value)

    def _check_unchanged(self) -> None:
        """Stop (WorkbookChangedError, exit code 6) when the file we are about to replace is
        no longer the one we read: someone saved it on a shared drive meanwhile. The size
        and hash decide (a coarse or skewed clock on a network share can hide a change from
        the modification time); a new modification time alone also stops, to be safe."""
        if self.output != self.path or self._print is None:
            return
        now = fingerprint(self.output)
        if now is None:
            raise WorkbookChangedError(Message("shared.removed", {"book": self.path.name}))
        if now != self._print or self._snapshot() != self._stat:
            raise WorkbookChangedError(Message("shared.changed", {
                "book": self.path.name, "old_size": self._print[0], "new_size": now[0]}))

    def _stop_deflating(self) -> None:
        if getattr(self, "pkg", None) is not None and self.pkg.deflater is not None:
            self.pkg.deflater.shutdown(wait=True, cancel_futures=True)
            self.pkg.deflater = None

    def _close_reader(self) -> None:
        if self._readers is not None:  # the workers hold the file open until they finish
            self._readers.shutdown(wait=True, cancel_futures=True)
            self._readers = None
            self._reading = {}
        if self._calamine is not None:
            self._calamine.close()
            self._calamine = None

    def close(self) -> None:
        """Release the lock and the file (changes not saved are dropped)."""
        if hasattr(self, "_calamine"):
            self._close_reader()
        self._stop_deflating()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> FileWorkbook:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _overlay(grid: npt.NDArray[np.object_], written: dict[int, list[Any]]) -> None:
    """Put the columns written in this session (by offset in the table) into ``grid``."""
    for offset, column in written.items():
        values = np.empty(len(column), dtype=object)
        values[:] = column
        grid[:, offset] = values


def _grow_ranges(tree: etree._Element, info: TableInfo, last_data: int, count: int) -> None:
    """Extend conditional formats and data validations that end on the table's last data
    row (and start within it) by ``count`` rows, as Excel does when a table grows."""
    first_data = info.data_rows.start
    elements = [
        *tree.iterfind(f"{{{_M}}}conditionalFormatting"),
        *tree.iterfind(f"{{{_M}}}dataValidations/{{{_M}}}dataValidation"),
    ]
    for el in elements:
        parts = []
        changed = False
        for ref in (el.get("sqref") or "").split():
            first, _, last = ref.partition(":")
            try:
                (r1, c1), (r2, c2) = parse_ref(first), parse_ref(last or first)
            except ValueError:
                parts.append(ref)
                continue
            if r2 == last_data and first_data <= r1 <= last_data and info.first_col <= c1 and c2 <= info.last_col:
                parts.append(range_ref(r1, c1, r2 + count, c2))
                changed = True
            else:
                parts.append(ref)
        if changed:
            el.set("sqref", " ".join(parts))


if TYPE_CHECKING:  # mypy checks that the adapter implements the port

    def _implements_port(book: FileWorkbook) -> Workbook:
        return book


def _os_user() -> str:
    """The logged-in user's name (USERNAME on Windows, USER elsewhere); "" when unknown."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user database entry (a container)
        return ""
