"""Saves are atomic and locked; files that cannot be read or written give one-line errors.

Issue 4 ("Nothing lost") and issue 6 ("Faults"): a crash or error during a save leaves the
original byte-identical; two refreshes of one file at once are refused with a clear message
to the second; a read-only, locked or full target ends cleanly.
"""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from xlcredit.engine.errors import WorkbookError, WorkbookLockedError
from xlcredit.workbook import ColumnWrite, FileWorkbook, xlsx_parts
from xlcredit.workbook.safe_save import lock_path


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Buyers")
    ws.add_table(
        0, 0, 2, 1, {"name": "tblBuyers", "columns": [{"header": "Buyer"}, {"header": "Score"}]}
    )
    ws.write_string(1, 0, "B001")
    ws.write_string(2, 0, "B002")
    wb.close()
    return path


def _one_line(exc: pytest.ExceptionInfo[Any]) -> str:
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def _refresh(path: Path, **options: Any) -> FileWorkbook:
    book = FileWorkbook.open(path, **options)
    book.write_columns("tblBuyers", [ColumnWrite("Score", [80.0, 40.0])])
    return book


def test_error_during_save_leaves_original(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = book.read_bytes()

    def broken(self: Any, stream: Any) -> None:
        stream.write(b"PK\x03\x04 half a file")
        raise RuntimeError("simulated crash while writing")

    monkeypatch.setattr(xlsx_parts.Package, "write_zip", broken)
    with _refresh(book) as wb, pytest.raises(RuntimeError, match="simulated crash"):
        wb.save()
    assert book.read_bytes() == original
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]  # no temp, no lock


def test_disk_full_is_one_line(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = book.read_bytes()

    def full(self: Any, stream: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsx_parts.Package, "write_zip", full)
    with _refresh(book) as wb, pytest.raises(WorkbookError) as exc:
        wb.save()
    assert "disk is full" in _one_line(exc)
    assert book.read_bytes() == original


def test_file_open_in_excel_is_one_line(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = book.read_bytes()

    def denied(src: Any, dst: Any) -> None:  # what Windows does while Excel holds the file
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with _refresh(book) as wb, pytest.raises(WorkbookLockedError) as exc:
        wb.save()
    assert "Close it in Excel" in _one_line(exc)
    assert book.read_bytes() == original
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]


def test_read_only_file_is_one_line(book: Path) -> None:
    original = book.read_bytes()
    book.chmod(0o444)
    try:
        with _refresh(book) as wb, pytest.raises(WorkbookError) as exc:
            wb.save()
        assert "read-only" in _one_line(exc)
        assert book.read_bytes() == original
    finally:
        book.chmod(0o644)


def test_output_elsewhere_leaves_source_untouched(book: Path) -> None:
    original = book.read_bytes()
    out = book.with_name("refreshed.xlsx")
    with _refresh(book, output=out) as wb:
        wb.save()
    assert book.read_bytes() == original
    with FileWorkbook.open(out, read_only=True) as wb:
        assert [row[1] for row in wb.read_table("tblBuyers").rows] == [80.0, 40.0]
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # not mkstemp's private mode


def test_changed_by_another_program_is_not_overwritten(book: Path) -> None:
    with _refresh(book) as wb:
        book.write_bytes(book.read_bytes() + b"")  # touched...
        os.utime(book, ns=(time.time_ns(), time.time_ns() + 10**9))  # ...and saved elsewhere
        with pytest.raises(WorkbookError) as exc:
            wb.save()
    assert "changed by another program" in _one_line(exc)


# -- the lock -----------------------------------------------------------------------------------
def test_second_refresh_is_locked_out(book: Path) -> None:
    first = _refresh(book)
    with pytest.raises(WorkbookLockedError) as exc:
        FileWorkbook.open(book)
    assert f"process {os.getpid()}" in _one_line(exc)
    first.save()
    first.close()
    with FileWorkbook.open(book) as again:  # free once the first run is over
        assert again.read_table("tblBuyers").rows[0] == ["B001", 80.0]
    assert not lock_path(book).exists()


def test_read_only_open_needs_no_lock(book: Path) -> None:
    with _refresh(book), FileWorkbook.open(book, read_only=True) as reader:
        assert reader.table_names() == ["tblBuyers"]
        with pytest.raises(WorkbookError, match="read-only"):
            reader.save()


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_stale_lock_of_a_dead_process_is_taken_over(book: Path) -> None:
    record = {"pid": _dead_pid(), "host": socket.gethostname(), "time": time.time()}
    lock_path(book).write_text(json.dumps(record), encoding="utf-8")
    with _refresh(book) as wb:
        wb.save()
    assert not lock_path(book).exists()


def test_fresh_lock_from_another_computer_is_respected(book: Path) -> None:
    record = {"pid": 1, "host": "another-pc", "time": time.time()}
    lock_path(book).write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(WorkbookLockedError, match="another-pc"):
        FileWorkbook.open(book)


KILLED_DURING_SAVE = """
import sys, time
from xlcredit.workbook import ColumnWrite, FileWorkbook, xlsx_parts
def slow(self, stream):
    stream.write(b"PK\\x03\\x04 half")
    stream.flush()
    print("writing", flush=True)
    time.sleep(60)
xlsx_parts.Package.write_zip = slow
book = FileWorkbook.open(sys.argv[1])
book.write_columns("tblBuyers", [ColumnWrite("Score", [1.0, 2.0])])
book.save()
"""


def test_run_killed_during_save_leaves_original(book: Path) -> None:
    original = book.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_DURING_SAVE, str(book)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert book.read_bytes() == original
    assert lock_path(book).exists()  # left behind by the killed run...
    with _refresh(book) as wb:  # ...and taken over by the next one, which also tidies up
        wb.save()
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]


# -- what is not an .xlsx -------------------------------------------------------------------
def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "hint"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "save it as Excel Workbook"),
        ("export.csv", b"Buyer,Score\nB001,80\n", "save it as Excel Workbook"),
        (
            "book.ods",
            _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            ".xlsx",
        ),
        ("renamed.xlsx", b"Buyer,Score\nB001,80\n", "not an Excel workbook"),
        ("plain.xlsx", _zip({"hello.txt": b"hi"}), "not an Excel workbook"),
    ],
)
def test_wrong_kind_of_file_says_what_to_do(
    tmp_path: Path, name: str, data: bytes, hint: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(WorkbookError) as exc:
        FileWorkbook.open(path)
    assert hint in _one_line(exc)
    assert path.read_bytes() == data
    assert not lock_path(path).exists()


def test_truncated_file_is_refused(book: Path) -> None:
    data = book.read_bytes()
    book.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbookError) as exc:
        FileWorkbook.open(book)
    assert "damaged" in _one_line(exc)


def test_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A real bomb scaled down: 4 MB of zeros (4000:1) against limits lowered for the test.
    monkeypatch.setattr(xlsx_parts, "RATIO_CHECK_BYTES", 1024**2)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "xl/big.xml": bytes(4 * 1024**2)}))
    with pytest.raises(WorkbookError) as exc:
        FileWorkbook.open(path)
    assert "zip bomb" in _one_line(exc)


def test_xml_entities_are_refused(book: Path) -> None:
    with zipfile.ZipFile(book) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/workbook.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + parts["xl/workbook.xml"].split(b"?>", 1)[1]
    )
    book.write_bytes(_zip(parts))
    with pytest.raises(WorkbookError) as exc:
        FileWorkbook.open(book)
    assert "refuses" in _one_line(exc)
