"""Faults during a real refresh (issue 6, "Faults"), through the command line.

tests/test_atomic_save.py covers the file adapter (a crash inside the zip writer, ENOSPC
from the writer, a refused rename, a read-only file, a stale or foreign lock, a process
killed while writing). This module adds what only the whole command shows:

- the real ``xlcredit refresh`` killed (SIGKILL) right after the new file is on disk and
  before the rename, and at several moments of a full run: the workbook is always either
  the original, byte for byte, or the complete refreshed file;
- a full disk with the real writer (the process's file size limit, RLIMIT_FSIZE, makes the
  kernel refuse the write) and an ENOSPC reported by fsync (as network drives do);
- read-only file and folder, a workbook another program holds (Windows' share lock, as a
  refused rename), a lock held by a live run: one line, an exit code, the file as it was;
- two real refreshes of one file started at the same moment: one works, the other is told
  that a run is going on, and the file is a valid refreshed workbook.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from xlcredit.cli import main
from xlcredit.workbook import FileWorkbook, safe_save
from xlcredit.workbook.safe_save import lock_path
from xlcredit.workbook.templates import build_template

AS_OF = "2026-11-30"
ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("xlcredit: error: "), err
    assert "Traceback" not in err and "internal error" not in err
    return err


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = build_template(tmp_path_factory.mktemp("sample") / "book.xlsx", sample=60)
    return path.read_bytes()


@pytest.fixture
def book(tmp_path: Path, sample: bytes) -> Path:
    path = tmp_path / "book.xlsx"
    path.write_bytes(sample)
    return path


def _refreshed_ok(path: Path) -> bool:
    """The file is a complete workbook refreshed by xlcredit (its sheets and tables read)."""
    with FileWorkbook.open(path, read_only=True) as wb:
        names = wb.table_names()
        scores = wb.read_table("tblBuyers")
    return "tblProblems" in names and all(
        isinstance(row[scores.header.index("Score")], float) or row[0] is None for row in scores.rows
    )


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


# --------------------------------------------------------------------------- killed runs
KILL_BEFORE_RENAME = """
import os, sys, time
from xlcredit.workbook import safe_save
real_replace = os.replace
def replace(src, dst):  # the new file is complete and flushed: stop here
    print("renaming", flush=True)
    time.sleep(60)
    real_replace(src, dst)
safe_save.os.replace = replace
from xlcredit.cli import main
sys.exit(main(["refresh", sys.argv[1], "--as-of", "2026-11-30"]))
"""


def test_killed_between_write_and_rename(book: Path) -> None:
    before = book.read_bytes()
    proc = _python(KILL_BEFORE_RENAME, str(book))
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "renaming", proc.stderr.read() if proc.stderr else ""
    temps = list(book.parent.glob("~$book.*.xlcredit.tmp"))
    assert len(temps) == 1 and temps[0].stat().st_size > 0  # the finished new file...
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert book.read_bytes() == before  # ...never replaced the original
    code, _, err = run("refresh", str(book), "--as-of", AS_OF)  # the next run tidies up
    assert code == 0, err
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]
    assert _refreshed_ok(book)


REFRESH = """
import sys
from xlcredit.cli import main
print("started", flush=True)
sys.exit(main(["refresh", sys.argv[1], "--as-of", "2026-11-30"]))
"""


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.4, 0.7])
def test_killed_at_any_moment_leaves_old_or_new(book: Path, delay: float) -> None:
    """SIGKILL at several moments after the command starts its work: the workbook is the
    original byte for byte, or the whole refreshed file; never anything in between."""
    before = book.read_bytes()
    proc = _python(REFRESH, str(book))
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    after = book.read_bytes()
    assert after == before or _refreshed_ok(book)
    code, _, err = run("refresh", str(book), "--as-of", AS_OF)  # the next run works...
    assert code == 0, err
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]  # ...and tidies up


# --------------------------------------------------------------------------- full disk
FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from xlcredit.cli import main
sys.exit(main(["refresh", sys.argv[1], "--as-of", "2026-11-30"]))
"""


def test_disk_full_with_the_real_writer(book: Path) -> None:
    before = digest(book)
    # room for the lock file, not for the new workbook
    proc = _python(FULL_DISK, str(book), str(book.stat().st_size // 4))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 5, err
    assert "left as it was" in one_line(err)
    assert digest(book) == before
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]


def test_disk_full_reported_by_fsync(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = digest(book)

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_save.os, "fsync", fsync)
    code, _, err = run("refresh", str(book), "--as-of", AS_OF)
    assert code == 5 and "disk is full" in one_line(err)
    assert digest(book) == before
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]


# --------------------------------------------------------------------------- cannot write
def test_read_only_file_from_the_command_line(book: Path) -> None:
    before = digest(book)
    book.chmod(0o444)
    try:
        code, _, err = run("refresh", str(book), "--as-of", AS_OF)
        assert code == 5 and "read-only" in one_line(err) and "--output" in err
        assert digest(book) == before
        # the suggested way out works and leaves the read-only file alone
        out_path = book.with_name("refreshed.xlsx")
        code, _, err = run("refresh", str(book), "--as-of", AS_OF, "--output", str(out_path))
        assert code == 0, err
        assert digest(book) == before and _refreshed_ok(out_path)
    finally:
        book.chmod(0o644)


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder(book: Path) -> None:
    before = digest(book)
    book.parent.chmod(0o555)
    try:
        code, _, err = run("refresh", str(book), "--as-of", AS_OF)
        assert code == 5 and "writable" in one_line(err)
    finally:
        book.parent.chmod(0o755)
    assert digest(book) == before


def test_file_held_by_another_program(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Windows does while Excel has the workbook open: the rename is refused."""
    before = digest(book)

    def denied(src: Any, dst: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(safe_save.os, "replace", denied)
    code, _, err = run("refresh", str(book), "--as-of", AS_OF)
    assert code == 6 and "Close it in Excel" in one_line(err)
    assert digest(book) == before
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]


HOLD_LOCK = """
import sys, time
from xlcredit.workbook import FileWorkbook
book = FileWorkbook.open(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_lock_held_by_a_live_run(book: Path) -> None:
    before = digest(book)
    proc = _python(HOLD_LOCK, str(book))
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        code, _, err = run("refresh", str(book), "--as-of", AS_OF)
        assert code == 6 and f"process {proc.pid}" in one_line(err)
        assert "wait for it to finish" in err
        assert digest(book) == before
    finally:
        proc.kill()
        proc.wait(timeout=30)
    code, _, err = run("refresh", str(book), "--as-of", AS_OF)  # the dead run's lock is taken over
    assert code == 0, err
    assert not lock_path(book).exists()


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_refresh_through_a_symbolic_link_keeps_the_link(book: Path) -> None:
    """A workbook reached through a link (a shared folder, a "latest" alias): the file the
    link points to is refreshed atomically and the link stays a link; both names share one
    lock, so two runs through different names cannot overwrite each other."""
    link = book.with_name("latest.xlsx")
    link.symlink_to(book.name)
    assert safe_save.WorkbookLock(link).path == safe_save.WorkbookLock(book).path
    with FileWorkbook.open(book):  # a run through the real name holds the lock...
        code, _, err = run("refresh", str(link), "--as-of", AS_OF)
        assert code == 6 and "being refreshed" in one_line(err)  # ...seen through the link
    code, _, err = run("refresh", str(link), "--as-of", AS_OF)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == book.resolve()
    assert _refreshed_ok(book)
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx", "latest.xlsx"]


# --------------------------------------------------------------------------- two at once
AT_THE_SIGNAL = """
import os, sys, time
from xlcredit.cli import main
import xlcredit.macros, xlcredit.workbook.files  # imports done before the start signal
go = sys.argv[2]
while not os.path.exists(go):
    time.sleep(0.001)
sys.exit(main(["refresh", sys.argv[1], "--as-of", "2026-11-30"]))
"""


def test_two_refreshes_at_once(book: Path) -> None:
    go = book.with_name("go")
    procs = [_python(AT_THE_SIGNAL, str(book), str(go)) for _ in range(2)]
    time.sleep(3)  # both have imported everything and wait
    go.write_text("now")
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    errors = [err for code, _, err in results if code]
    if codes == [0, 0]:  # one finished before the other looked: then they ran in turn
        pytest.skip("the two runs did not overlap on this machine")
    assert codes == [0, 6], results
    assert "being refreshed by another xlcredit run" in one_line(errors[0])
    assert _refreshed_ok(book)
    go.unlink()
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.xlsx"]
