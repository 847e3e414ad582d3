"""Reading large tables (issue 17): a sheet above ``KEEP_CELLS`` is not kept, one above
``CHUNK_CELLS`` is read in row chunks, the
largest tables are read in the background while the rest is checked, and large parts are
deflated as they are written. Each path must give exactly what the plain path gives; the
plain path is what the other reading tests pin (tests/test_workbook_contract.py)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from xlcredit import macros
from xlcredit.engine.errors import WorkbookError
from xlcredit.workbook import files, sheet_cells, xlsx_parts
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.reading import is_marker
from xlcredit.workbook.templates import build_template

HEADER = ["Invoice no", "Buyer ID", "Amount", "Due date", "Disputed", "Notes"]


def _book(path: Path, rows: int = 23, note: bool = True) -> Path:
    """tblInvoices at C3 of a sheet whose A1 holds a note (the used range then starts left of
    the table; without it, at the table's first column), every kind of cell: text, whole and fractional numbers, dates, flags,
    blanks, an error cell and a formula saved without a result; tblOther on the same sheet."""
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("Data")
    if note:
        ws.write_string(0, 0, "typed by the AR team")
    ws.add_table(2, 2, 2 + rows, 2 + len(HEADER) - 1,
                 {"name": "tblInvoices", "columns": [{"header": h} for h in HEADER]})
    for i in range(rows):
        r = 3 + i
        ws.write_string(r, 2, f"INV-{i:03d}")
        if i % 7 != 3:
            ws.write_string(r, 3, f"C{i % 4}")
        ws.write_number(r, 4, 1000 + i if i % 2 else 99.5 + i)
        ws.write_datetime(r, 5, dt.datetime(2026, 1, 1) + dt.timedelta(days=i), date)
        ws.write_boolean(r, 6, i % 5 == 0)
        if i % 3 == 0:
            ws.write_string(r, 7, f"note {i}")
    ws.write_formula(3 + 4, 4, "=1/0", None, "#DIV/0!")  # an error cell
    ws.write_formula(3 + 9, 7, "=A1&A1", None, "")  # no cached result
    ws.add_table(2, 10, 4, 11, {"name": "tblOther", "columns": [{"header": "Key"}, {"header": "Value"}]})
    ws.write_row(3, 10, ["a", 1.0])
    ws.write_row(4, 10, ["b", 2.0])
    wb.close()
    return path


def _read(path: Path, *names: str, prefetch: bool = False) -> list[list[list[Any]]]:
    with FileWorkbook.open(path, read_only=True) as book:
        if prefetch:
            book.prefetch(list(names))
        return [[[str(v) if is_marker(v) else v for v in row]
                 for row in book.read_table(name).rows] for name in names]


@pytest.mark.parametrize("note", [True, False])
def test_chunked_reading_gives_the_cells_of_the_whole_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, note: bool
) -> None:
    path = _book(tmp_path / "book.xlsx", note=note)
    whole = _read(path, "tblInvoices", "tblOther")
    assert whole[0][4][2] == "#DIV/0!" and whole[0][9][5] == "=A1&A1"  # the markers are there
    assert whole[0][3][1] is None and whole[0][1][2] == 1001.0
    monkeypatch.setattr(sheet_cells, "KEEP_CELLS", 0)  # every sheet read whole and let go
    assert _read(path, "tblInvoices", "tblOther") == whole
    with FileWorkbook.open(path, read_only=True) as book:
        book.read_table("tblInvoices")
        assert not book._values  # not kept
    monkeypatch.setattr(sheet_cells, "CHUNK_CELLS", 0)  # every sheet read in chunks
    for chunk in (1, 2, 5, 1000):
        monkeypatch.setattr(sheet_cells, "_CHUNK_ROWS", chunk)
        assert _read(path, "tblInvoices", "tblOther") == whole, chunk


class _Sheet:
    """A calamine sheet whose used range starts at column ``start`` (iter_rows yields rows
    from the sheet's first row, columns from the used range's first)."""

    def __init__(self, rows: list[list[Any]], start: int) -> None:
        self.rows, self.start, self.height = rows, (0, start), len(rows)

    def iter_rows(self) -> Any:
        return iter(self.rows)


def test_a_block_left_of_the_used_range_is_blank_there() -> None:
    sheet = _Sheet([["h1", "h2"], ["x", 1], [2.0, ""]], start=3)  # columns D and E
    block = sheet_cells.read_block(sheet, range(1, 3), first=2, width=3)  # columns C..E
    assert block.tolist() == [[None, "x", 1.0], [None, 2.0, None]]
    assert sheet_cells.read_block(sheet, range(1, 3), first=0, width=2).tolist() == [[None, None]] * 2


def test_prefetched_tables_equal_tables_read_in_turn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=40)
    plain = _read(path, "tblBuyers", "tblInvoices")
    started: list[str] = []
    real = FileWorkbook._read_in_background

    def spy(self: FileWorkbook, info: Any) -> Any:
        started.append(info.name)
        return real(self, info)

    monkeypatch.setattr(FileWorkbook, "_read_in_background", spy)
    assert _read(path, "tblInvoices", "tblBuyers", prefetch=True) == plain[::-1]
    assert sorted(started) == ["tblBuyers", "tblInvoices"]
    started.clear()
    monkeypatch.setattr(files, "PREFETCH_BYTES", 0)  # too large to hold both: read in turn
    assert _read(path, "tblInvoices", "tblBuyers", prefetch=True) == plain[::-1]
    assert started == []


def _damaged_invoice_sheet(tmp_path: Path) -> Path:
    """A sample book whose invoice sheet is cut off in the middle of a row."""
    path = build_template(tmp_path / "book.xlsx", sample=10)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    with FileWorkbook.open(path, read_only=True) as book:
        part = book.tables["tblinvoices"].sheet_part
    parts[part] = b"<worksheet><sheetData><row>"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_damaged_sheet_read_in_the_background_is_named(tmp_path: Path) -> None:
    with FileWorkbook.open(_damaged_invoice_sheet(tmp_path), read_only=True) as book:
        book.prefetch(["tblInvoices", "tblBuyers"])
        assert book.read_table("tblBuyers").rows
        with pytest.raises(WorkbookError, match="Invoices"):
            book.read_table("tblInvoices")


def test_a_damaged_sheet_read_when_asked_for_is_named(tmp_path: Path) -> None:
    with FileWorkbook.open(_damaged_invoice_sheet(tmp_path), read_only=True) as book:
        raw = book.read_table("tblInvoices")  # not read in the background: read when asked for
        assert raw.n_rows > 0
        with pytest.raises(WorkbookError, match="Invoices"):
            raw.grid  # noqa: B018 - reading the cells is what fails


def test_parts_deflated_while_the_refresh_goes_on_save_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=60)

    def refreshed(name: str) -> dict[str, bytes]:
        out = tmp_path / name
        with FileWorkbook.open(path, output=out) as book:
            macros.refresh_all(book, as_of=dt.date(2026, 11, 30))
            book.save()
        with zipfile.ZipFile(out) as z:
            return {n: z.read(n) for n in z.namelist()}

    monkeypatch.setattr(xlsx_parts, "LAZY_BYTES", 10**12)  # nothing deflated in the background
    plain = refreshed("plain.xlsx")
    monkeypatch.setattr(xlsx_parts, "LAZY_BYTES", 1024)  # every part above 1 KB
    deferred: list[str] = []
    real = xlsx_parts.Parts.deflate_later

    def spy(self: xlsx_parts.Parts, name: str, data: bytes, pool: Any) -> None:
        deferred.append(name)
        real(self, name, data, pool)

    monkeypatch.setattr(xlsx_parts.Parts, "deflate_later", spy)
    assert refreshed("deferred.xlsx") == plain
    assert any(n.startswith("xl/worksheets/") for n in deferred)


def test_a_part_deflated_in_the_background_reads_back_and_is_copied() -> None:
    from concurrent.futures import ThreadPoolExecutor

    pkg = xlsx_parts.Package({"[Content_Types].xml": b"<Types/>"}, "x")
    data = b"<sheetData>" + b"<row/>" * 400_000 + b"</sheetData>"
    with ThreadPoolExecutor(1) as pool:
        pkg.deflater = pool
        pkg.put("xl/worksheets/sheet1.xml", data)
        assert pkg.parts.size("xl/worksheets/sheet1.xml") == len(data)
        member = pkg.parts.original("xl/worksheets/sheet1.xml")
        assert member is not None and member.size == len(data)  # copied as deflated
        assert pkg.parts["xl/worksheets/sheet1.xml"] == data


def test_a_part_repacked_after_reading_inflates_again_and_is_copied_as_read(tmp_path: Path) -> None:
    path = build_template(tmp_path / "book.xlsx", sample=30)
    pkg = xlsx_parts.Package.from_path(path)
    name = next(n for n in pkg.names() if n.startswith("xl/worksheets/"))
    text = pkg.parts[name]
    member = pkg.parts.original(name)
    pkg.parts.repack(name)
    assert dict.__getitem__(pkg.parts, name) is not text  # the inflated bytes are let go
    assert pkg.parts.original(name) is member  # still copied compressed as read
    assert pkg.parts[name] == text
    pkg.put(name, text + b" ")
    pkg.parts.repack(name)  # a changed part is never dropped
    assert pkg.parts[name] == text + b" " and pkg.parts.original(name) is None
