"""The ``xlcredit`` command: templates, headless refresh, the demo and the add-in.

A command parses its arguments, calls the library, and maps a named error to one line on
stderr and an exit code (see :mod:`xlcredit.engine.errors`); no traceback reaches the user unless
``--debug`` is given.

    xlcredit new book.xlsx --lang zh-CN --sample 50
    xlcredit refresh book.xlsx --as-of 2026-11-30
    xlcredit demo
    xlcredit addin build | install [--uninstall] | doctor
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from xlcredit import __version__
from xlcredit.engine.errors import WorkbookError, XlCreditError
from xlcredit.engine.policy import language_code

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
DEMO_BUYERS = 200
DEMO_FILE = "credit_control_demo.xlsx"


class ProgressBar:
    """A one-line progress bar on a terminal; silent when output is not a terminal."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._shown = False

    def __call__(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        filled = round(self.width * fraction)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {fraction:4.0%} {message[:40]:<40}")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--as-of must be a date as YYYY-MM-DD; got {text!r}. Try --as-of 2026-11-30."
        ) from None


def _lang(text: str) -> str:
    code = language_code(text)
    if code is None:
        raise argparse.ArgumentTypeError(f"--lang must be en or zh-CN; got {text!r}")
    return code


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100_000:
        raise argparse.ArgumentTypeError(f"--sample must be a whole number from 0 to 100000; got {text!r}")
    return value


def _workbook_path(path: Path, *, must_exist: bool) -> Path:
    if must_exist and not path.exists():
        raise WorkbookError(f"{path} does not exist. Create one with: xlcredit new {path}")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"{path.name} is not an .xlsx or .xlsm workbook; open it in Excel and save it as "
            f"Excel Workbook (.xlsx)."
        )
    return path


# --------------------------------------------------------------------------- commands
def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.workbook import templates

    path = _workbook_path(Path(args.path), must_exist=False)
    if path.exists() and not args.force:
        raise WorkbookError(f"{path} already exists; choose another name or add --force to replace it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    templates.build_template(path, lang=args.lang, sample=args.sample)
    what = f"with {args.sample} sample buyers" if args.sample else "empty"
    print(f"Wrote {path} ({args.lang}, {what}).", file=out)
    return 0


def _refresh(
    path: Path, output: Path | None, as_of: dt.date | None, out: TextIO, force: bool = False
) -> Any:
    from xlcredit import macros
    from xlcredit.workbook.files import FileWorkbook

    bar = ProgressBar()
    started = time.perf_counter()
    try:
        with FileWorkbook.open(path, output=output, progress=bar, force=force) as book:
            summary = macros.refresh_all(book, as_of=as_of)
            book.save()
    finally:
        bar.close()
    seconds = time.perf_counter() - started
    target = output or path
    print(f"Refreshed {target} in {seconds:.1f} s", file=out)
    for line in _summary_lines(summary):
        print(f"  {line}", file=out)
    return summary


def _summary_lines(summary: Any) -> list[str]:
    if hasattr(summary, "lines"):
        return list(summary.lines())
    return [str(summary)]


def cmd_refresh(args: argparse.Namespace, out: TextIO) -> int:
    path = _workbook_path(Path(args.path), must_exist=True)
    output = _workbook_path(Path(args.output), must_exist=False) if args.output else None
    if output is not None and not output.parent.is_dir():
        raise WorkbookError(
            f"The folder {output.parent} for --output does not exist; create it or choose "
            "another folder."
        )
    _refresh(path, output, args.as_of, out, force=args.force)
    return 0


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.workbook import templates

    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_FILE
    print(f"Writing a sample workbook with {args.buyers} buyers to {path} ...", file=out)
    templates.build_template(path, lang=args.lang, sample=args.buyers)
    _refresh(path, None, args.as_of, out)
    print(f"Open {path} in Excel (or LibreOffice) to see the Buyers, Aging, Collections and "
          f"Dashboard sheets.", file=out)
    return 0


def cmd_addin(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.excel import addin

    if args.action == "build":
        target = Path(args.output) if args.output else None
        built = addin.build(target)
        print(f"Built {built}", file=out)
        return 0
    if args.action == "install":
        return int(addin.install(uninstall=args.uninstall, out=out) or 0)
    return int(addin.doctor(out=out) or 0)


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xlcredit",
        description="Trade-credit management for Excel workbooks: buyer scores, credit limits, "
        "aging, DSO, collections and payment plans.",
    )
    parser.add_argument("--version", action="version", version=f"xlcredit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a full traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = sub.add_parser("new", help="write a new credit-control template workbook",
                         description="Write a new credit-control template workbook (.xlsx).")
    new.add_argument("path", help="the workbook to write, e.g. credit_control.xlsx")
    new.add_argument("--lang", type=_lang, default="en", help="en (default) or zh-CN")
    new.add_argument("--sample", type=_count, default=0, metavar="N",
                     help="fill in N buyers of realistic synthetic data and their invoices")
    new.add_argument("--force", action="store_true", help="replace the file if it exists")
    new.set_defaults(handler=cmd_new)

    refresh = sub.add_parser(
        "refresh", help="refresh a workbook as the ribbon's Refresh all does, without Excel",
        description="Score buyers, recommend limits and rebuild the Aging, Collections and "
        "Dashboard sheets of a workbook, without Excel. The file is saved atomically: a "
        "failed run leaves it as it was.")
    refresh.add_argument("path", help="the workbook (.xlsx or .xlsm)")
    refresh.add_argument("--as-of", type=_parse_date, default=None, metavar="YYYY-MM-DD",
                         help="the date to age and score at (default: the Policy sheet's, else today)")
    refresh.add_argument("--output", default=None, metavar="OUT",
                         help="write the refreshed workbook here instead of replacing PATH")
    refresh.add_argument("--force", action="store_true",
                         help="refresh even when Excel's or LibreOffice's lock file says the book is open")
    refresh.set_defaults(handler=cmd_refresh)

    demo = sub.add_parser("demo", help="write a sample workbook and refresh it",
                          description="Write a sample workbook of realistic size and refresh it.")
    demo.add_argument("dir", nargs="?", default="demo", help="folder for the workbook (default: demo)")
    demo.add_argument("--lang", type=_lang, default="en", help="en (default) or zh-CN")
    demo.add_argument("--buyers", type=_count, default=DEMO_BUYERS, metavar="N",
                      help=f"number of sample buyers (default {DEMO_BUYERS})")
    demo.add_argument("--as-of", type=_parse_date, default=None, metavar="YYYY-MM-DD",
                      help="the as-of date (default: the sample's)")
    demo.set_defaults(handler=cmd_demo)

    addin = sub.add_parser("addin", help="build, install or diagnose the Excel add-in",
                           description="Build, install or diagnose the xlcredit Excel add-in.")
    addin.add_argument("action", choices=["build", "install", "doctor"],
                       help="build: write workbooks/xlcredit.xlam; install: register it with "
                       "Excel (Windows); doctor: check an installation")
    addin.add_argument("--uninstall", action="store_true", help="with install: undo the installation")
    addin.add_argument("--output", default=None, metavar="OUT", help="with build: where to write the add-in")
    addin.set_defaults(handler=cmd_addin)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; return the exit code (also what ``sys.exit`` receives)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    handler: Callable[[argparse.Namespace, TextIO], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(out)
        return 2
    try:
        return handler(args, out)
    except XlCreditError as exc:
        if args.debug:
            raise
        print(f"xlcredit: error: {exc}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("xlcredit: interrupted; the workbook was left as it was.", file=err)
        return EXIT_INTERRUPTED
    except OSError as exc:
        if args.debug:
            raise
        print(f"xlcredit: error: {exc.strerror or exc} ({exc.filename or ''})".rstrip(" ()"), file=err)
        return WorkbookError.exit_code
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if args.debug:
            raise
        print(f"xlcredit: internal error: {type(exc).__name__}: {exc} (run again with --debug "
              f"and report it)", file=err)
        return EXIT_INTERNAL


__all__ = ["ProgressBar", "build_parser", "main"]
