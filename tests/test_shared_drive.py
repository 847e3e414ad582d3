"""Shared drives (issue 16, item 6): a workbook changed by someone else between xlcredit's
read and its write is never overwritten.

The change is made from a hook inside the save, after the new file is written and just
before it would replace the old one, the moment a colleague's save on a shared drive would
land; the size, the hash and the modification time of the file as read are what tell.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO

import pytest

from xlcredit.cli import main
from xlcredit.engine.errors import WorkbookChangedError
from xlcredit.workbook import FileWorkbook
from xlcredit.workbook.templates import build_template


def _colleague_saves(path: Path, *, same_size: bool) -> None:
    """Someone else's save: other bytes (of the same size, and the same modification time
    when ``same_size``, as a coarse network clock would show)."""
    data = bytearray(path.read_bytes())
    stat = path.stat()
    if same_size:
        data[-30] ^= 0xFF  # inside the zip's central directory comment area: other content
        path.write_bytes(bytes(data))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    else:
        path.write_bytes(bytes(data) + b"\0" * 10)


def _hook_between_read_and_write(monkeypatch: pytest.MonkeyPatch, path: Path, *, same_size: bool) -> None:
    """Change ``path`` while FileWorkbook writes its new copy (before the atomic replace)."""
    original = FileWorkbook._flush

    def flush_then_colleague(self: FileWorkbook) -> None:
        original(self)
        write = self.pkg.write_zip

        def write_zip(stream: IO[bytes], level: int | None = None) -> None:
            write(stream, level)
            if self.path == path:
                _colleague_saves(path, same_size=same_size)

        self.pkg.write_zip = write_zip  # type: ignore[method-assign]

    monkeypatch.setattr(FileWorkbook, "_flush", flush_then_colleague)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("same_size", [True, False])
def test_refresh_stops_with_exit_6_and_keeps_their_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, same_size: bool
) -> None:
    book = build_template(tmp_path / "book.xlsx", sample=5)
    _hook_between_read_and_write(monkeypatch, book, same_size=same_size)
    code, _, err = run("refresh", str(book))
    theirs = book.read_bytes()
    assert code == 6, err
    assert "changed by another program or person" in err and "nothing was saved" in err
    assert book.read_bytes() == theirs  # their version stays, no half-written file
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]  # temp file and lock removed


def test_import_stops_with_exit_6(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = build_template(tmp_path / "book.xlsx")
    source = tmp_path / "export.csv"
    source.write_text("Invoice,Customer,Amount,Due date\nF-1,B001,100.00,2026-12-01\n",
                      encoding="utf-8")
    _hook_between_read_and_write(monkeypatch, book, same_size=True)
    code, _, err = run("import", str(source), str(book), "--map", "invoice_no=Invoice",
                       "--map", "buyer_id=Customer", "--map", "amount=Amount",
                       "--map", "due_date=Due date")
    assert code == 6, err
    assert "changed by another program or person" in err


def test_message_in_chinese_and_no_false_alarm(tmp_path: Path) -> None:
    book = build_template(tmp_path / "book.xlsx")
    with FileWorkbook.open(book) as wb:
        wb.save()  # nobody else touched it: saved
        wb.save()  # and again: the fingerprint follows our own save
        _colleague_saves(book, same_size=True)
        with pytest.raises(WorkbookChangedError) as exc:
            wb.save()
    assert exc.value.exit_code == 6
    zh = exc.value.render("zh-CN")
    assert "已被其他程序或他人修改" in zh and "未保存任何内容" in zh


def test_removed_file_is_reported(tmp_path: Path) -> None:
    book = build_template(tmp_path / "book.xlsx")
    with FileWorkbook.open(book) as wb:
        book.rename(tmp_path / "moved.xlsx")
        with pytest.raises(WorkbookChangedError, match="removed or renamed"):
            wb.save()
    assert not book.exists()


