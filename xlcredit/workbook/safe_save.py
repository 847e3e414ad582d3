"""Atomic saves and a lock file, so a failed or concurrent refresh never damages a workbook.

A save writes a temporary file in the same folder, flushes it to disk and renames it over
the original in one step (``os.replace``): a crash leaves either the old file or the new
one, never half of each. A lock file ``~$<name>.xlcredit.lock`` beside the workbook, created
exclusively, stops a second refresh of the same file; a lock left by a process that no
longer runs is taken over.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> target = folder / "book.xlsx"
>>> with WorkbookLock(target):
...     atomic_write(target, lambda stream: stream.write(b"data"))
>>> target.read_bytes(), sorted(p.name for p in folder.iterdir())
(b'data', ['book.xlsx'])
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import platform
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from xlcredit.engine.errors import WorkbookError, WorkbookLockedError
from xlcredit.messages import Message

__all__ = ["WorkbookLock", "atomic_write", "check_not_open", "fingerprint", "lock_path", "office_locks"]

#: A lock from another computer older than this is considered abandoned.
FOREIGN_LOCK_SECONDS = 12 * 3600


def fingerprint(path: Path) -> tuple[int, str] | None:
    """Size and SHA-256 of a file's bytes (None when it is not there): what tells a file
    changed by someone else on a shared drive, whose clock may be coarse or skewed.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.bin"
    >>> _ = p.write_bytes(b"abc")
    >>> fingerprint(p)[0], fingerprint(p)[1][:8]
    (3, 'ba7816bf')
    """
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            size = 0
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return size, digest.hexdigest()


def lock_path(target: Path) -> Path:
    """The lock file of a workbook.

    >>> lock_path(Path("/data/book.xlsx")).name
    '~$book.xlsx.xlcredit.lock'
    """
    return target.with_name(f"~${target.name}.xlcredit.lock")


def office_locks(target: Path) -> list[Path]:
    """Lock files Excel or LibreOffice keep beside a workbook they have open.

    Excel writes ``~$book.xlsx`` (for longer names the first two letters give way:
    ``~$dget2026.xlsx`` for ``Budget2026.xlsx``); LibreOffice writes ``.~lock.book.xlsx#``.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".~lock.book.xlsx#").write_text(",Mei,host,07.12.2026 09:00,file:///x;")
    >>> [p.name for p in office_locks(folder / "book.xlsx")]
    ['.~lock.book.xlsx#']
    """
    name = target.name
    candidates = [f"~${name}", f".~lock.{name}#"]
    if len(target.stem) > 7:
        candidates.append(f"~${name[2:]}")
    return [target.with_name(c) for c in candidates if target.with_name(c).is_file()]


def _lock_owner(lock: Path) -> str:
    """Who holds an Office lock file, when it says so (LibreOffice: ",user,host,...")."""
    try:
        data = lock.read_bytes()[:512]
    except OSError:
        return ""
    if lock.name.startswith(".~lock."):
        fields = data.decode("utf-8", "replace").split(",")
        return fields[1].strip() if len(fields) > 1 else ""
    if data:  # Excel: a length byte, then the user name
        return data[1 : 1 + data[0]].decode("latin-1", "replace").strip()
    return ""


def check_not_open(target: Path) -> None:
    """Raise WorkbookLockedError when Excel or LibreOffice has ``target`` open.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "~$book.xlsx").write_bytes(bytes([3]) + b"Mei")
    >>> check_not_open(folder / "book.xlsx")
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.WorkbookLockedError: book.xlsx is open in Excel (by Mei; lock file ~$book.xlsx); close it there and retry, or add --force if nobody has it open (a lock left by a crash).
    """
    for lock in office_locks(target):
        program = "LibreOffice" if lock.name.startswith(".~lock.") else "Excel"
        owner = _lock_owner(lock)
        if owner:
            raise WorkbookLockedError(Message("file.open_in_program_by", {
                "name": target.name, "program": program, "owner": owner, "lock": lock.name}))
        raise WorkbookLockedError(Message("file.open_in_program", {
            "name": target.name, "program": program, "lock": lock.name}))


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WorkbookLock:
    """An exclusive lock on refreshing one workbook (a context manager)."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        # a link and the file it points to share one lock, beside the file
        self.path = lock_path(self.target.resolve() if self.target.is_symlink() else self.target)
        self.held = False

    def _owner(self) -> dict[str, Any]:
        try:
            owner = json.loads(self.path.read_text(encoding="utf-8"))
            return owner if isinstance(owner, dict) else {}
        except (OSError, ValueError):
            return {}

    def _stale(self) -> bool:
        owner = self._owner()
        if not owner:  # unreadable or half-written: old enough to be abandoned?
            with contextlib.suppress(OSError):
                return time.time() - self.path.stat().st_mtime > 60
            return True
        if owner.get("host") == platform.node():
            return not _pid_alive(int(owner.get("pid", 0)))
        return time.time() - float(owner.get("time", 0)) > FOREIGN_LOCK_SECONDS

    def acquire(self) -> None:
        """Take the lock or raise WorkbookLockedError naming who holds it."""
        record = json.dumps({"pid": os.getpid(), "host": platform.node(), "time": time.time()})
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                if self._stale():
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    continue
                owner = self._owner()
                raise WorkbookLockedError(Message("file.refresh_running", {
                    "name": self.target.name, "pid": owner.get("pid", "?"), "host": owner.get("host", "?"),
                    "lock": self.path.name})) from None
            except OSError as exc:
                raise WorkbookError(Message("file.cannot_lock", {
                    "lock": self.path.name, "name": self.target.name, "value": exc.strerror or exc})) from None
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(record)
            self.held = True
            return
        raise WorkbookLockedError(Message("file.lock_retry", {"name": self.target.name}))

    def release(self) -> None:
        """Give the lock back (only if this process holds it)."""
        if self.held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self.held = False

    def __enter__(self) -> WorkbookLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _os_message(exc: OSError, target: Path) -> Message:
    if exc.errno == errno.ENOSPC:
        return Message("file.disk_full", {"name": target.name})
    if isinstance(exc, PermissionError):
        return Message("file.permission_denied", {"name": target.name})
    return Message("file.cannot_write_file", {"name": target.name, "value": exc.strerror or exc})


def atomic_write(
    target: Path,
    write: Callable[[IO[bytes]], object],
    *,
    before_replace: Callable[[], object] | None = None,
) -> None:
    """Write ``target`` through ``write(stream)`` atomically, keeping its permissions.

    ``before_replace`` runs after the new file is complete, just before it replaces
    ``target``: the last moment to find that someone else changed ``target`` (it raises to
    stop; the temporary file is then removed). On any failure the temporary file is removed, the original is left as it was, and an
    ``OSError`` becomes a one-line :class:`WorkbookError`.
    """
    target = Path(target)
    if target.is_symlink():  # replace the file the link points to, and keep the link
        target = target.resolve()
    mode: int | None = None
    if target.exists():
        # The write bits, not os.access: an administrator may write anything, yet a file
        # marked read-only must stay as it is.
        if not target.stat().st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
            raise WorkbookError(Message("file.read_only_target", {"name": target.name}))
        mode = stat.S_IMODE(target.stat().st_mode)
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f"~${target.stem}.", suffix=".xlcredit.tmp", dir=target.parent
        )
    except OSError as exc:
        raise WorkbookError(_os_message(exc, target)) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is None:  # a new file gets the usual permissions, not mkstemp's 0600
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, PermissionError):
            raise WorkbookLockedError(_os_message(exc, target)) from None
        if isinstance(exc, OSError):
            raise WorkbookError(_os_message(exc, target)) from None
        raise
    if os.name != "nt":
        with contextlib.suppress(OSError):
            dir_fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
