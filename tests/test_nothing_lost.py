"""Nothing lost (issue 4): a refresh keeps every part, cell and object it did not create.

The workbook is built by code with XlsxWriter, which writes what openpyxl drops on a
load-and-save (DESIGN.md 4: images, VML comments): a tblBuyers table with user and output
columns, a user sheet with a chart, an image and a comment, a data validation, defined names
(global and a sheet-level print area), a hidden sheet, and an .xlsm variant whose VBA
project comes from the xlwings package. After writing output columns and two generated
sheets, every original part xlcredit does not own must be byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
import xlwings

from xlcredit.workbook import ColumnWrite, FileWorkbook
from xlcredit.workbook.port import (
    CellSpec,
    ChartSeries,
    ChartSpec,
    ConditionalFormat,
    SheetSpec,
    TableSpec,
)

#: Parts the adapter may rewrite (xlcredit owns them or must edit them), by role.
OWNED = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/worksheets/sheet1.xml",  # the Buyers sheet: only its output-column cells change
    "xl/tables/table1.xml",  # tblBuyers: ref and columns grow with a new output column
}
VBA_SOURCE = Path(xlwings.__file__).parent / "quickstart.xlsm"


def _png() -> bytes:
    """A 16x16 red square PNG, made by hand so the test needs no image library."""
    raw = b"".join(b"\x00" + b"\xc0\x20\x20" * 16 for _ in range(16))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def build_user_workbook(path: Path) -> Path:
    """A workbook a credit team might share, with everything a careless writer would lose."""
    wb = xlsxwriter.Workbook(str(path))
    if path.suffix == ".xlsm":
        with zipfile.ZipFile(VBA_SOURCE) as z:
            wb.add_vba_project(io.BytesIO(z.read("xl/vbaProject.bin")), is_stream=True)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00", "bg_color": "#FFF2CC"})
    buyers = wb.add_worksheet("Buyers")
    header = ["Buyer ID", "Name", "Revenue", "Since", "Industry risk", "Score", "Band"]
    rows = [
        ["B001", "上海贸易有限公司", 1_250_000.0, dt.datetime(2015, 6, 1), 2],
        ["B002", "=cmd|' /C calc'!A0", 480_000.0, dt.datetime(2021, 1, 15), 4],
        ["B003", "Müller GmbH", 0.0, None, None],
    ]
    buyers.add_table(
        0,
        0,
        len(rows),
        len(header) - 1,
        {"name": "tblBuyers", "columns": [{"header": h} for h in header]},
    )
    for i, row in enumerate(rows, start=1):
        buyers.write_string(i, 0, row[0])
        buyers.write_string(i, 1, row[1])
        buyers.write_number(i, 2, row[2], money)
        if row[3] is not None:
            buyers.write_datetime(i, 3, row[3], date_fmt)
        if row[4] is not None:
            buyers.write_number(i, 4, row[4])
    buyers.data_validation(
        1, 4, 500, 4, {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5}
    )
    buyers.write_comment("B2", "Parent company guarantees up to 500k")
    buyers.write_string(6, 0, "Typed below the table")
    charts = wb.add_worksheet("Charts")
    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {"name": "Revenue", "categories": "=Buyers!$A$2:$A$4", "values": "=Buyers!$C$2:$C$4"}
    )
    charts.insert_chart("B2", chart)
    charts.insert_image("J2", "logo.png", {"image_data": io.BytesIO(_png())})
    charts.write_string("A1", "Revenue chart")
    charts.write_comment("A1", "Made by the credit manager")
    charts.print_area("A1:H20")
    lists = wb.add_worksheet("Lists")
    lists.write_column("A1", ["A", "B", "C", "D", "E"])
    lists.hide()
    wb.define_name("RiskBands", "=Lists!$A$1:$A$5")
    wb.define_name("TaxRate", "=0.13")
    wb.close()
    return path


def refresh(path: Path) -> None:
    """What refresh does to a file: output columns plus two generated sheets."""
    frame = pd.DataFrame({"Band": ["A", "B", "C"], "Buyers": [3.0, 5.0, 1.0]})
    aging = SheetSpec(
        "Aging",
        cells=[CellSpec(0, 0, "Aging", bold=True, font_size=14)],
        tables=[TableSpec("tblBands", frame, row=2, number_formats={"Buyers": "0"})],
        charts=[ChartSpec("pie", "Buyers by band", "A4:A6", [ChartSeries("Buyers", "B4:B6")])],
    )
    with FileWorkbook.open(path) as book:
        book.write_columns(
            "tblBuyers",
            [
                ColumnWrite("Score", [81.0, 35.5, None], number_format="0.0"),
                ColumnWrite("Band", ["A", "C", "E"]),
                ColumnWrite("Flag", ["", "=HYPERLINK(1)", "Suspend credit"]),
            ],
        )
        book.write_sheet(aging, before="Charts")
        book.write_sheet(
            SheetSpec("Dashboard", cells=[CellSpec(0, 0, "DSO"), CellSpec(0, 1, 61.2)])
        )
        book.save()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _cells(path: Path, keep_vba: bool = False) -> dict[tuple[str, str], Any]:
    wb = openpyxl.load_workbook(path, keep_vba=keep_vba)
    out = {}
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out[(ws.title, cell.coordinate)] = cell.value
    return out


@pytest.fixture(params=["book.xlsx", "book.xlsm"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return build_user_workbook(tmp_path / request.param)


def test_every_part_not_owned_is_byte_identical(book: Path) -> None:
    before = _parts(book)
    refresh(book)
    after = _parts(book)
    kept = {name: data for name, data in before.items() if name not in OWNED}
    assert {name: after.get(name) == data for name, data in kept.items()} == dict.fromkeys(
        kept, True
    )
    assert "xl/drawings/vmlDrawing1.vml" in kept and "xl/media/image1.png" in kept
    assert ("xl/vbaProject.bin" in after) == (book.suffix == ".xlsm")
    new = set(after) - set(before)
    assert all(
        n.startswith(("xl/worksheets/", "xl/tables/", "xl/charts/", "xl/drawings/")) for n in new
    )


def test_refresh_twice_keeps_parts_and_does_not_grow_styles(book: Path) -> None:
    before = _parts(book)
    refresh(book)
    once = _parts(book)
    refresh(book)
    twice = _parts(book)
    assert once["xl/styles.xml"] == twice["xl/styles.xml"]
    assert sorted(once) == sorted(twice)
    assert all(twice[n] == d for n, d in before.items() if n not in OWNED)


def test_user_typed_cells_unchanged(book: Path) -> None:
    before = _cells(book)
    refresh(book)
    after = _cells(book)
    outputs = {("Buyers", f"{c}{r}") for c in "FGH" for r in range(1, 5)}
    generated = {"Aging", "Dashboard"}
    kept = {k: v for k, v in before.items() if k not in outputs}
    assert {k: after.get(k) for k in kept} == kept
    assert {k for k in after if k[0] not in generated} - set(before) <= outputs
    assert after[("Buyers", "H1")] == "Flag" and after[("Buyers", "G3")] == "C"
    assert after[("Buyers", "H3")] == "=HYPERLINK(1)"  # stored as text, see the cell type:
    assert openpyxl.load_workbook(book)["Buyers"]["H3"].data_type == "s"


def test_objects_survive(book: Path) -> None:
    refresh(book)
    wb = openpyxl.load_workbook(book, keep_vba=book.suffix == ".xlsm")
    assert wb.sheetnames == ["Buyers", "Aging", "Charts", "Lists", "Dashboard"]
    assert wb["Lists"].sheet_state == "hidden"
    assert wb["Charts"].print_area == "'Charts'!$A$1:$H$20"  # sheet-level name moved with it
    assert set(wb.defined_names) >= {"RiskBands", "TaxRate"}
    assert wb.defined_names["TaxRate"].attr_text == "0.13"
    assert len(wb["Buyers"].data_validations.dataValidation) == 1
    assert wb["Buyers"]["B2"].comment.text.startswith("Parent company")
    assert wb["Charts"]["A1"].comment is not None
    assert wb["Buyers"].tables["tblBuyers"].ref == "A1:H4"
    content_types = _parts(book)["[Content_Types].xml"].decode()
    if book.suffix == ".xlsm":
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types
        assert "vbaProject" in content_types


@pytest.mark.libreoffice
def test_libreoffice_opens_the_refreshed_file(book: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    refresh(book)
    out = tmp_path / "lo"
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = out / (book.stem + ".pdf")
    assert done.returncode == 0 and pdf.exists(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_excel_made_workbook_keeps_its_markup(tmp_path: Path) -> None:
    """A file saved by Excel itself (xlwings ships one) declares extension namespaces that
    its mc:Ignorable attribute names; rewriting a part must keep every one of them."""
    from lxml import etree

    path = tmp_path / "excel_made.xlsm"
    shutil.copy(VBA_SOURCE, path)
    before = _parts(path)
    with FileWorkbook.open(path) as book:
        sheet = book.sheet_names()[0]
        book.add_conditional_formats(
            sheet, [ConditionalFormat("A1:A9", "cell", operator=">", value=1, fill="#FFC7CE")]
        )
        book.write_sheet(
            SheetSpec("Aging", tables=[TableSpec("tblAging", pd.DataFrame({"a": [1.0]}))])
        )
        book.save()
    after = _parts(path)
    for part in ("xl/workbook.xml", "xl/worksheets/sheet1.xml"):
        assert after[part] != before[part]
        root = etree.fromstring(after[part])
        ignorable = root.get(
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"
        )
        assert ignorable and set(ignorable.split()) <= set(root.nsmap)
    owned = {
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/styles.xml",
        "[Content_Types].xml",
        "xl/_rels/workbook.xml.rels",
    }
    assert all(after[n] == d for n, d in before.items() if n not in owned)
    assert b"<x14:workbookPr" in after["xl/workbook.xml"]  # extLst of the workbook kept
    assert openpyxl.load_workbook(path, keep_vba=True).sheetnames[-1] == "Aging"


def test_an_import_edit_keeps_every_part_not_owned(book: Path) -> None:
    """Issue 12: an import updates cells of a table and appends rows to it; every part it
    does not own stays byte-identical, and what was typed below the table stays put."""
    from xlcredit.workbook import TableEdit

    before = _parts(book)
    cells_before = _cells(book)
    with FileWorkbook.open(book) as wb:
        wb.edit_table("tblBuyers", TableEdit(
            updates={2: {"Revenue": 10.0}},
            appends=[{"Buyer ID": "B004", "Name": "新客户"}, {"Buyer ID": "B005", "Name": "=x"}],
        ))
        wb.save()
    after = _parts(book)
    owned = {"xl/worksheets/sheet1.xml", "xl/tables/table1.xml", "xl/workbook.xml",
             "xl/styles.xml"}
    assert all(after[n] == d for n, d in before.items() if n not in owned)
    cells = _cells(book)
    assert cells[("Buyers", "A7")] == "Typed below the table"
    assert (cells[("Buyers", "A5")], cells[("Buyers", "B6")], cells[("Buyers", "C4")]) == ("B004", "=x", 10.0)
    changed = {k for k in set(cells) | set(cells_before) if cells.get(k) != cells_before.get(k)}
    assert changed == {("Buyers", "C4"), ("Buyers", "A5"), ("Buyers", "B5"), ("Buyers", "A6"),
                       ("Buyers", "B6")}
    loaded = openpyxl.load_workbook(book)
    assert loaded["Buyers"].tables["tblBuyers"].ref == "A1:G6"
    assert str(loaded["Buyers"].data_validations.dataValidation[0].sqref) == "E2:E501"
