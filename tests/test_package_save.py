"""Saving a package (issue 17): parts a refresh does not change are copied compressed as read,
large parts stay compressed in memory until asked for, and damage is still found at open."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xlcredit import macros
from xlcredit.engine.errors import WorkbookError
from xlcredit.workbook import templates, xlsx_parts
from xlcredit.workbook.files import FileWorkbook


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return templates.build_template(tmp_path_factory.mktemp("save") / "book.xlsx", sample=40)


def _raw(path: Path) -> dict[str, tuple[int, int, bytes]]:
    """Per member: (method, CRC, compressed bytes)."""
    data = path.read_bytes()
    out = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            start = info.header_offset + 30 + int.from_bytes(
                data[info.header_offset + 26 : info.header_offset + 28], "little"
            ) + int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
            out[info.filename] = (info.compress_type, info.CRC, data[start : start + info.compress_size])
    return out


@pytest.mark.parametrize("lazy_bytes", [0, xlsx_parts.LAZY_BYTES])
def test_unchanged_parts_are_copied_as_read(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lazy_bytes: int
) -> None:
    monkeypatch.setattr(xlsx_parts, "LAZY_BYTES", lazy_bytes)  # 0: every part held compressed
    out = tmp_path / "out.xlsx"
    with FileWorkbook.open(book, output=out) as wb:
        macros.refresh_all(wb)
        wb.save()
    before, after = _raw(book), _raw(out)
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(out) as b:
        assert b.testzip() is None
        same = [n for n in a.namelist() if n in b.namelist() and a.read(n) == b.read(n)]
        changed = [n for n in b.namelist() if n not in same]
    assert "xl/worksheets/sheet2.xml" in same  # the invoices, which a refresh only reads
    assert {"xl/worksheets/sheet1.xml", "xl/styles.xml"} <= set(changed)
    for name in same:
        assert after[name] == before[name], name  # byte for byte, compressed
    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Invoices").to_python()
    assert len(values) > 40


def test_a_damaged_large_part_is_found_at_open(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_parts, "LAZY_BYTES", 0)
    raw = _raw(book)["xl/worksheets/sheet2.xml"][2]
    data = bytearray(book.read_bytes())
    at = bytes(data).find(raw) + len(raw) // 2
    data[at : at + 40] = bytes(b ^ 0xFF for b in data[at : at + 40])
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(WorkbookError, match="damaged"):
        FileWorkbook.open(damaged)
