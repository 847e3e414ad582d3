"""Large parts deflated as they are made (issue 17, memory): the pieces make valid zip
members, and a refresh that streams its large sheets saves the same parts, byte for byte
once inflated, as one that joins every sheet whole."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xlcredit.workbook.files as files
from xlcredit import macros
from xlcredit.workbook import templates
from xlcredit.workbook.deflate_stream import (
    DeflateWriter,
    crc32_combine,
    deflate_piece,
    inflate_piece,
    member_of,
)
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.xlsx_parts import write_members


@settings(max_examples=200, deadline=None)
@given(a=st.binary(max_size=300), b=st.binary(max_size=300))
def test_crc32_combine_is_the_crc_of_the_concatenation(a: bytes, b: bytes) -> None:
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@settings(max_examples=50, deadline=None)
@given(texts=st.lists(st.binary(max_size=2000), max_size=6))
def test_pieces_make_one_zip_member_that_zipfile_checks(texts: list[bytes]) -> None:
    member = member_of([deflate_piece(t) for t in texts])
    stream = io.BytesIO()
    write_members(stream, [("xl/worksheets/sheet1.xml", member)])
    with zipfile.ZipFile(stream) as archive:
        assert archive.testzip() is None  # CRC-32 and size as the central directory says
        assert archive.read("xl/worksheets/sheet1.xml") == b"".join(texts)


def test_a_writer_on_threads_deflates_what_it_would_alone() -> None:
    texts = [f'<row r="{i}"><c r="A{i}"><v>{i * 7}</v></c></row>'.encode() * 50 for i in range(40)]
    alone = DeflateWriter()
    for text in texts:
        alone.write(text)
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = DeflateWriter(pool)
        for text in texts:  # more than it lets wait: the writer waits for its thread
            threaded.write(text)
        piece = threaded.close().result()
    assert piece == alone.close().result()
    assert inflate_piece(piece) == b"".join(texts)
    assert (piece.crc, piece.size) == (zlib.crc32(b"".join(texts)), sum(map(len, texts)))


def test_texts_are_written_in_pieces_of_about_the_size_asked() -> None:
    writes: list[bytes] = []
    writer = DeflateWriter()
    writer.write = writes.append  # type: ignore[method-assign]
    writer.write_texts(["ab", "cd", "e", "fghij", "k"], size=4)
    assert writes == [b"abcd", b"efghij", b"k"]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_streamed_refresh_saves_what_a_joined_one_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    book = templates.build_template(tmp_path / "book.xlsx", lang=lang, sample=300)
    day = dt.date(2026, 11, 30)
    # joined: no deflater, every sheet joined whole and deflated at the save
    with FileWorkbook.open(book, output=tmp_path / "joined.xlsx") as wb:
        wb._stop_deflating()
        macros.refresh_all(wb, as_of=day)
        wb.save()
    # streamed: every generated sheet counts as large, the Buyers cells deflated in pieces
    monkeypatch.setattr(files, "LAZY_BYTES", 0)
    with FileWorkbook.open(book, output=tmp_path / "streamed.xlsx") as wb:
        assert wb.pkg.deflater is not None
        macros.refresh_all(wb, as_of=day)
        streamed_parts = [p for p in wb.pkg.changed if p.startswith("xl/worksheets/")]
        wb.save()
    joined, streamed = _parts(tmp_path / "joined.xlsx"), _parts(tmp_path / "streamed.xlsx")
    assert len(streamed_parts) >= 8  # Buyers and the generated sheets went the streamed way
    assert list(streamed) == list(joined)
    different = [name for name in joined if streamed[name] != joined[name]]
    assert different == []
