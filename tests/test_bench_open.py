"""The inline -> shared strings conversion of ``bench/bench_open.py`` (issue 17): on a tiny
workbook the copy reads to the same cells, the existing string table keeps its entries and
indexes, and the counts are right. The LibreOffice timing is run only where it can run."""

from __future__ import annotations

import doctest
import importlib.util
import io
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from xlcredit.workbook import xlsx_parts

ROOT = Path(__file__).resolve().parents[1]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_open", ROOT / "bench" / "bench_open.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def sheet(rows: str) -> bytes:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()


def tiny_workbook(with_table: bool = True) -> dict[str, bytes]:
    """Two sheets: Users (shared strings a user typed, untouched by a refresh) and Out (what a
    refresh wrote: inline strings, numbers, a formula with a text result, an empty text)."""
    sst = (f'<sst xmlns="{MAIN}" count="3" uniqueCount="2"><si><t>Name</t></si>'
           '<si><t>a&amp;b</t></si></sst>').encode()  # fmt: skip
    users = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                  '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')  # fmt: skip
    out = sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">a&amp;b</t></is></c>'
        '<c r="B1" s="2" t="inlineStr"><is><t xml:space="preserve"> x &lt;y&gt; </t></is></c>'
        '<c r="C1"><v>1.5</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>=HYPERLINK(1)</t></is></c>'
        '<c r="B2" t="inlineStr" s="3"><is><t xml:space="preserve"> x &lt;y&gt; </t></is></c>'
        '<c r="C2" t="str"><f>"z"</f><v>z</v></c>'
        '<c r="D2" t="inlineStr"><is><t xml:space="preserve"/></is></c></row>'
    )
    overrides = (f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
                 f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
                 f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{CT}.worksheet+xml"/>')  # fmt: skip
    rels = (f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>')  # fmt: skip
    parts = {
        "_rels/.rels": (f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                            '<sheet name="Users" sheetId="1" r:id="rId1"/>'
                            '<sheet name="Out" sheetId="2" r:id="rId2"/></sheets></workbook>').encode(),
        "xl/worksheets/sheet1.xml": users,
        "xl/worksheets/sheet2.xml": out,
    }
    if with_table:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
        rels += f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        parts["xl/sharedStrings.xml"] = sst
    else:  # the users' sheet then holds inline text too
        parts["xl/worksheets/sheet1.xml"] = sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>a&amp;b</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>Name</t></is></c></row>')  # fmt: skip
    parts["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{PKG_REL}">{rels}</Relationships>'.encode()
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    ).encode()
    return parts


def as_file(pkg: xlsx_parts.Package, path: Path) -> Path:
    with path.open("wb") as stream:
        pkg.write_zip(stream)
    return path


def test_the_docstring_examples_hold(bench: ModuleType) -> None:
    assert doctest.testmod(bench).failed == 0


def test_inline_strings_become_shared_strings_appended_to_the_table(bench: ModuleType, tmp_path: Path) -> None:
    before = as_file(xlsx_parts.Package(tiny_workbook(), "tiny"), tmp_path / "inline.xlsx")
    pkg = xlsx_parts.Package.from_path(before)
    assert bench.share_strings(pkg, ["xl/worksheets/sheet2.xml"]) == (5, 4)
    after = as_file(pkg, tmp_path / "shared.xlsx")

    assert bench.calamine_cells(after) == bench.calamine_cells(before)
    assert bench.calamine_cells(after)["Out"] == [["a&b", " x <y> ", 1.5, ""], ["=HYPERLINK(1)", " x <y> ", "z", ""]]
    assert bench.first_difference(bench.calamine_cells(before), bench.calamine_cells(after)) is None
    sst = pkg.parts["xl/sharedStrings.xml"].decode()
    assert sst.startswith(f'<sst xmlns="{MAIN}" count="8" uniqueCount="6">'
                          "<si><t>Name</t></si><si><t>a&amp;b</t></si>")  # the old entries, same indexes
    out = pkg.parts["xl/worksheets/sheet2.xml"].decode()
    assert "inlineStr" not in out
    assert '<c r="A1" t="s"><v>2</v></c><c r="B1" s="2" t="s"><v>3</v></c>' in out  # style kept
    assert '<c r="B2" t="s" s="3"><v>3</v></c>' in out  # equal texts share one new entry
    assert pkg.parts["xl/worksheets/sheet1.xml"] == tiny_workbook()["xl/worksheets/sheet1.xml"]


def test_a_workbook_without_a_string_table_gets_one(bench: ModuleType, tmp_path: Path) -> None:
    before = as_file(xlsx_parts.Package(tiny_workbook(with_table=False), "tiny"), tmp_path / "inline.xlsx")
    pkg = xlsx_parts.Package.from_path(before)
    sheets = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]
    assert bench.share_strings(pkg, sheets) == (8, 5)
    after = as_file(pkg, tmp_path / "shared.xlsx")
    assert bench.calamine_cells(after) == bench.calamine_cells(before)
    assert b'count="8" uniqueCount="5"' in pkg.parts["xl/sharedStrings.xml"]
    with zipfile.ZipFile(io.BytesIO(after.read_bytes())) as archive:
        assert b"sharedStrings+xml" in archive.read("[Content_Types].xml")


def test_a_differing_cell_is_named(bench: ModuleType) -> None:
    a = {"Out": [["x", 1.0], ["y", 2.0]]}
    b = {"Out": [["x", 1.0], ["y", 2.5]]}
    assert bench.first_difference(a, b) == "Out!R2C2: [2.0] != [2.5]"
    assert bench.first_difference(a, {"Other": a["Out"]}) is not None


def test_an_inline_string_of_another_form_stops_the_conversion(bench: ModuleType) -> None:
    parts = tiny_workbook()
    parts["xl/worksheets/sheet2.xml"] = sheet('<row r="1"><c r="A1" t="inlineStr"><is><r><t>rich</t></r></is></c></row>')
    with pytest.raises(ValueError, match="unexpected form"):
        bench.share_strings(xlsx_parts.Package(parts, "tiny"), ["xl/worksheets/sheet2.xml"])


@pytest.mark.slow
def test_libreoffice_opens_both_copies_alike(bench: ModuleType, tmp_path: Path) -> None:
    reason = bench.libreoffice_reason()
    if reason is not None:
        pytest.skip(reason)
    before = as_file(xlsx_parts.Package(tiny_workbook(), "tiny"), tmp_path / "inline.xlsx")
    pkg = xlsx_parts.Package.from_path(before)
    bench.share_strings(pkg, ["xl/worksheets/sheet2.xml"])
    after = as_file(pkg, tmp_path / "shared.xlsx")
    result = bench.libreoffice_open([before, after], 1, tmp_path)
    assert result["cells"][0] == result["cells"][1] > 0
    assert all(s > 0 for s in result["seconds"])
