"""The ``xlcredit`` command: templates, headless refresh, the demo and the add-in.

A command parses its arguments, calls the library, and maps a named error to one line on
stderr and an exit code (see :mod:`xlcredit.engine.errors`); no traceback reaches the user unless
``--debug`` is given.

Every text comes from the message catalogue (:mod:`xlcredit.messages.cli`) in one language:
``--lang en|zh-CN`` (before or after the command), else the language of the workbook the
command reads (its Policy sheet), else English. Errors that carry a catalogue message render
in that language too.

    xlcredit new book.xlsx --lang zh-CN --sample 50 --base-currency CNY
    xlcredit import ar_export.csv book.xlsx --profile sap
    xlcredit refresh book.xlsx --as-of 2026-11-30
    xlcredit demo
    xlcredit statements book.xlsx --out statements --buyers overdue --format pdf
    xlcredit letters book.xlsx --out letters
    xlcredit policy export head_office.xlsx team.json | check book.xlsx...
    xlcredit decide book.xlsx C0001 --approver "Li Na" --note "annual review"
    xlcredit combine north.xlsx south.xlsx asia.xlsx --output group.xlsx --base-currency EUR
    xlcredit addin build | install [--uninstall] | doctor
    xlcredit --lang zh-CN refresh book.xlsx
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import errno
import functools
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from xlcredit import __version__
from xlcredit.engine.errors import WorkbookError, XlCreditError
from xlcredit.engine.policy import language_code
from xlcredit.messages import Message, text

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
DEMO_BUYERS = 200
DEMO_FILE = "credit_control_demo.xlsx"


class ProgressBar:
    """A one-line progress bar on a terminal; silent when output is not a terminal.

    A step that is a catalogue :class:`~xlcredit.messages.Message` is shown in the language
    ``language()`` names when it is called (the run's, once known).
    """

    def __init__(self, stream: TextIO | None = None, width: int = 30,
                 language: Callable[[], str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.language = language or (lambda: "en")
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._shown = False

    def __call__(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        if isinstance(message, Message):
            message = message.render(self.language())
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


# --------------------------------------------------------------------------- language
class _Language:
    """The language of this run's messages: ``--lang``, else the workbook's, else English.

    The workbook's language is learnt when a command opens it (:meth:`learn`), or, when an
    error comes first, by a read-only look at its Policy sheet (:meth:`resolve`).
    """

    def __init__(self, chosen: str | None, book: Path | None = None) -> None:
        self.chosen = chosen
        self.book = book
        self.learnt: str | None = None

    def learn(self, workbook: Any) -> None:
        """Note the policy language of an open workbook (kept unless ``--lang`` was given)."""
        if self.chosen is None and self.learnt is None:
            from xlcredit.workbook.policy_sheet import load_policy

            try:
                self.learnt = load_policy(workbook)[0].language
            except Exception:  # the command itself reports a policy it cannot read
                return

    def known(self) -> str:
        """The language as far as known now, without opening the workbook (progress lines)."""
        return self.chosen or self.learnt or "en"

    def resolve(self) -> str:
        if self.chosen is not None:
            return self.chosen
        if self.learnt is None and self.book is not None:
            self.learnt = _book_language(self.book)
        return self.learnt or "en"


def _book_language(path: Path) -> str | None:
    """The language a workbook's Policy sheet sets; None when it cannot be read."""
    if not path.is_file() or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        from xlcredit.workbook.files import FileWorkbook
        from xlcredit.workbook.policy_sheet import load_policy

        with FileWorkbook.open(path, read_only=True) as book:
            return load_policy(book)[0].language
    except Exception:  # an unreadable book: its messages fall back to English
        return None


def _named_book_language(argv: Sequence[str]) -> str | None:
    """The language of the last existing workbook named on a command line (not --output's)."""
    for i in range(len(argv) - 1, -1, -1):
        arg = argv[i]
        if i and argv[i - 1] in ("--output", "--sheet", "--out"):
            continue
        if Path(arg).suffix.lower() in (".xlsx", ".xlsm") and Path(arg).is_file():
            return _book_language(Path(arg))
    return None


def _pre_language(argv: Sequence[str]) -> str | None:
    """``--lang`` read before parsing, so that help and argparse's errors are localised too.

    >>> _pre_language(["refresh", "b.xlsx", "--lang", "zh"]), _pre_language(["--lang=en"]), _pre_language([])
    ('zh-CN', 'en', None)
    """
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None:
            return language_code(value)
    return None


# --------------------------------------------------------------------------- argument types
def _parse_date(value: str, lang: str = "en") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("cli.bad_date", lang, value=repr(value))) from None


def _lang(value: str, lang: str = "en") -> str:
    code = language_code(value)
    if code is None:
        raise argparse.ArgumentTypeError(text("cli.bad_lang", lang, value=repr(value)))
    return code


def _count(value: str, lang: str = "en", option: str = "--sample") -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 100_000:
        raise argparse.ArgumentTypeError(text("cli.bad_sample", lang, option=option, value=repr(value)))
    return number


def _currency(value: str, lang: str = "en") -> str:
    from xlcredit.workbook.currencies import ISO_4217, currency_code

    code = currency_code(value)
    if code is None or code not in ISO_4217:
        raise argparse.ArgumentTypeError(text("cli.bad_currency", lang, value=repr(value)))
    return code


def _field_map(value: str, lang: str = "en") -> tuple[str, str]:
    field, sep, header = value.partition("=")
    if not sep or not field.strip() or not header.strip():
        raise argparse.ArgumentTypeError(text("cli.bad_map", lang, value=repr(value)))
    return field.strip(), header.strip()


def _buyers_arg(value: str, lang: str = "en") -> str | list[str]:
    value = value.strip()
    if value in ("overdue", "all"):
        return value
    ids = [part.strip() for part in value.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError(text("cli.bad_buyers", lang, value=repr(value)))
    return ids


def _workbook_path(path: Path, *, must_exist: bool) -> Path:
    if must_exist and not path.exists():
        raise WorkbookError(Message("cli.missing", {"path": str(path)}))
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(Message("cli.not_workbook", {"name": path.name}))
    return path


def _out_dir(value: str) -> Path:
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise WorkbookError(Message("cli.out_is_file", {"path": str(path)}))
    return path


def _say(out: TextIO, lang: str, key: str, indent: str = "", **fields: Any) -> None:
    print(indent + text(key, lang, **fields), file=out)


# --------------------------------------------------------------------------- commands
def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.workbook import templates

    lang = args.ui.resolve()
    path = _workbook_path(Path(args.path), must_exist=False)
    if path.exists() and not args.force:
        raise WorkbookError(Message("cli.exists", {"path": str(path)}))
    path.parent.mkdir(parents=True, exist_ok=True)
    templates.build_template(path, lang=lang, sample=args.sample, base_currency=args.base_currency)
    what = text("cli.new_sample", lang, n=args.sample) if args.sample else text("cli.new_empty", lang)
    base = text("cli.new_base", lang, ccy=args.base_currency) if args.base_currency else ""
    _say(out, lang, "cli.new_done", path=path, language=lang, what=what, base=base)
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.workbook.files import FileWorkbook
    from xlcredit.workbook.importer import ImportOptions, import_ledger

    book_path = _workbook_path(Path(args.book), must_exist=True)
    options = ImportOptions(
        mapping=dict(args.map or []), profile=args.profile, date_order=args.date_order,
        decimal=args.decimal, currency=args.currency, encoding=args.encoding, sheet=args.sheet,
        open_items=True if args.open_items else None,
    )
    bar = ProgressBar(language=args.ui.known)
    try:
        with FileWorkbook.open(book_path, read_only=args.dry_run, progress=bar) as book:
            args.ui.learn(book)
            result = import_ledger(book, Path(args.source), options, dry_run=args.dry_run)
            if not args.dry_run:
                book.save()
    finally:
        bar.close()
    lines = result.lines(args.ui.resolve())
    print(lines[0], file=out)
    for line in lines[1:]:
        print(f"  {line}", file=out)
    if not args.dry_run:
        _say(out, args.ui.resolve(), "cli.import_saved", path=book_path)
    return 0


def _refresh(
    path: Path, output: Path | None, as_of: dt.date | None, out: TextIO, ui: _Language, force: bool = False
) -> Any:
    from xlcredit import macros
    from xlcredit.workbook.files import FileWorkbook

    bar = ProgressBar(language=ui.known)
    started = time.perf_counter()
    try:
        with FileWorkbook.open(path, output=output, progress=bar, force=force) as book:
            ui.learn(book)  # the policy tables only: progress lines in the workbook's language
            summary = macros.refresh_all(book, as_of=as_of)
            book.save()
    finally:
        bar.close()
    lang = ui.resolve()
    if dataclasses.is_dataclass(summary) and getattr(summary, "language", lang) != lang:
        summary = dataclasses.replace(summary, language=lang)  # type: ignore[type-var]
    seconds = time.perf_counter() - started
    _say(out, lang, "cli.refreshed", path=output or path, seconds=seconds)
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
        raise WorkbookError(Message("cli.no_output_folder", {"folder": str(output.parent)}))
    _refresh(path, output, args.as_of, out, args.ui, force=args.force)
    return 0


def cmd_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.macros.upgrade import upgrade
    from xlcredit.workbook.files import FileWorkbook

    path = _workbook_path(Path(args.book), must_exist=True)
    output = _workbook_path(Path(args.output), must_exist=False) if args.output else None
    if output is not None and not output.parent.is_dir():
        raise WorkbookError(Message("cli.no_output_folder", {"folder": str(output.parent)}))
    with FileWorkbook.open(path, output=output, read_only=args.dry_run) as book:
        args.ui.learn(book)
        plan = upgrade(book, dry_run=args.dry_run)
        if not args.dry_run and (plan.needed or output is not None):
            book.save()
    lines = plan.lines()
    print(lines[0], file=out)
    for line in lines[1:]:
        print(f"  {line}", file=out)
    lang = args.ui.chosen or plan.language
    if args.dry_run:
        print(text("upgrade.dry_run", lang), file=out)
    elif plan.needed:
        print(text("upgrade.saved", lang, book=output or path), file=out)
    return 0


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.workbook import templates

    lang = args.ui.resolve()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_FILE
    _say(out, lang, "cli.demo_writing", n=args.buyers, path=path)
    templates.build_template(path, lang=lang, sample=args.buyers)
    _refresh(path, None, args.as_of, out, args.ui)
    _say(out, lang, "cli.demo_open", path=path)
    return 0


def cmd_statements(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.macros.statement_sheet import write_statements
    from xlcredit.workbook.files import FileWorkbook

    path = _workbook_path(Path(args.path), must_exist=True)
    folder = _out_dir(args.out)
    with FileWorkbook.open(path, read_only=True) as book:
        args.ui.learn(book)
        paths = write_statements(book, folder, buyers=args.buyers, fmt=args.format, as_of=args.as_of)
    key = "cli.statement_done" if len(paths) == 1 else "cli.statements_done"
    _say(out, args.ui.resolve(), key, n=len(paths), fmt=args.format, folder=folder)
    return 0


def cmd_letters(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.macros.letters import write_letters
    from xlcredit.workbook.files import FileWorkbook

    path = _workbook_path(Path(args.path), must_exist=True)
    folder = _out_dir(args.out)
    with FileWorkbook.open(path) as book:
        args.ui.learn(book)
        result = write_letters(book, folder, as_of=args.as_of)
        book.save()
    key = "cli.letter_done" if len(result.paths) == 1 else "cli.letters_done"
    _say(out, args.ui.resolve(), key, n=len(result.paths), folder=folder, path=path)
    for line in result.skipped + result.warnings:
        print(f"  {line}", file=out)
    return 0


def _book_policy(path: Path, team_source: str | None = None) -> tuple[Any, Any, list[Any], str]:
    """A workbook's team policy as read now (None when it names none or it cannot be read),
    the policy a refresh would apply, the problems found, and the state of the team source
    (``own``, ``read``, ``copy`` or ``none``: see :class:`~xlcredit.workbook.team_source.TeamStatus`)."""
    from xlcredit.engine.team import apply_team_policy
    from xlcredit.workbook.files import FileWorkbook
    from xlcredit.workbook.policy_sheet import load_policy
    from xlcredit.workbook.team_source import apply_team_source, read_team_source

    with FileWorkbook.open(path, read_only=True) as book:
        local, problems = load_policy(book)
        if team_source is None:
            applied, status, more = apply_team_source(book, local)
            team = status.copy.policy if status.state == "read" and status.copy is not None else None
            return team, applied, problems + more, status.state
    copy = read_team_source(team_source, Path.cwd())
    # a workbook that names no source runs on its own sheet: that is what is compared
    applied = apply_team_policy(copy.policy, local).policy if local.team.source.strip() else local
    return copy.policy, applied, problems + list(copy.problems), "read"


def cmd_policy(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.engine.errors import PolicyError
    from xlcredit.engine.team import fingerprint, policy_differences
    from xlcredit.messages import Message, text
    from xlcredit.workbook.team_source import _shown

    lang = args.ui.resolve()
    if args.action == "export":
        path = _workbook_path(Path(args.book), must_exist=True)
        _, policy, problems, _ = _book_policy(path)
        if problems:
            first = f"{problems[0].sheet} {problems[0].column}: {problems[0].rule}"
            raise PolicyError(Message("teams.export_problems", {"book": path.name, "count": len(problems),
                                                                "first": first}))
        target = Path(args.out)
        target.write_text(policy.to_json() + "\n", encoding="utf-8")
        print(text("teams.exported", lang, book=path.name, out=target, count=len(policy.settings()),
                   fingerprint=fingerprint(policy)), file=out)
        return 0
    differ = 0
    for name in args.books:
        path = _workbook_path(Path(name), must_exist=True)
        team, applied, problems, state = _book_policy(path, args.team)
        if state in ("copy", "none"):  # the source named cannot be read: nothing to compare with
            differ += 1
            why = next(p.rule for p in problems if p.column == "team.source")
            print(text("teams.check_unreachable", lang, book=path.name, why=why), file=out)
            continue
        if team is None:
            differ += 1
            print(text("teams.check_no_source", lang, book=path.name), file=out)
            continue
        label = team.team.name or args.team or applied.team.source
        diffs = policy_differences(team, applied)
        if not diffs:
            print(text("teams.check_same", lang, book=path.name, team=label), file=out)
            continue
        differ += 1
        print(text("teams.check_differs", lang, book=path.name, team=label, count=len(diffs)), file=out)
        for d in diffs:
            print("  " + text("teams.check_line", lang, setting=d.setting, local=_shown(d.local),
                              team=_shown(d.team)), file=out)
    print(text("teams.check_summary", lang, differ=differ, total=len(args.books)), file=out)
    return 1 if differ else 0


def _amount(text: str) -> float:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--limit must be a number >= 0 such as 50000; got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"--limit must be a number >= 0 such as 50000; got {text!r}")
    return value


def cmd_decide(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.macros.decision_log import record_decision
    from xlcredit.workbook.files import FileWorkbook

    path = _workbook_path(Path(args.book), must_exist=True)
    with FileWorkbook.open(path, force=args.force) as book:
        record = record_decision(book, args.buyer_id, approver=args.approver, note=args.note or "",
                                 limit=args.limit, as_of=args.as_of)
        book.save()
    print(record.message(), file=out)
    return 0


def cmd_combine(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.macros.combine import combine

    books = [_workbook_path(Path(p), must_exist=False) for p in args.books]
    output = _workbook_path(Path(args.output), must_exist=False)
    if not output.parent.is_dir():
        raise WorkbookError(Message("cli.no_output_folder", {"folder": str(output.parent)}))
    result = combine(books, output, base_currency=args.base_currency, lang=args.lang)
    lines = result.lines()
    print(lines[0], file=out)
    for line in lines[1:]:
        print(f"  {line}", file=out)
    failed = result.failed
    return failed[0].error.exit_code if failed and failed[0].error is not None else 0


def cmd_addin(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.excel import addin

    if args.action == "build":
        target = Path(args.output) if args.output else None
        built = addin.build(target)
        _say(out, args.ui.resolve(), "cli.addin_built", path=built)
        return 0
    if args.action == "install":
        return int(addin.install(uninstall=args.uninstall, out=out, lang=args.ui.resolve()) or 0)
    return int(addin.doctor(out=out, lang=args.ui.resolve()) or 0)


#: The argument naming the workbook a command reads, whose language its messages follow.
_BOOK_ARGUMENT = {"import": "book", "refresh": "path", "statements": "path", "letters": "path",
                  "upgrade": "book"}


# --------------------------------------------------------------------------- parser
class _ParseError(Exception):
    """A command line argparse refused, before its language is known (see :func:`main`)."""


class _Parser(argparse.ArgumentParser):
    """argparse with its own phrases (usage, section titles, errors) in the chosen language.

    With ``defer_errors`` a refused command line raises :class:`_ParseError` instead of
    printing, so that :func:`main` can say it in the language of the workbook named.
    """

    def __init__(self, *args: Any, lang: str = "en", defer_errors: bool = False, **kwargs: Any) -> None:
        self.lang = lang
        self.defer_errors = defer_errors
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", functools.partial(_Formatter, lang=lang))
        super().__init__(*args, **kwargs)
        self._positionals.title = text("cli.positionals", lang)
        self._optionals.title = text("cli.options", lang)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=text("cli.h_help", lang))

    def error(self, message: str) -> NoReturn:
        if self.defer_errors:
            raise _ParseError(message)
        self.print_usage(sys.stderr)
        self.exit(2, text("cli.error", self.lang, message=_argparse_phrase(message, self.lang)) + "\n")


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str, lang: str = "en", **kwargs: Any) -> None:
        self.lang = lang
        super().__init__(prog, **kwargs)

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else text("cli.usage", self.lang))


_ARGPARSE_PHRASES = [
    (re.compile(r"^the following arguments are required: (?P<names>.+)$"), "cli.ap_required"),
    (re.compile(r"^invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)$"), "cli.ap_choice"),
    (re.compile(r"^unrecognized arguments: (?P<names>.+)$"), "cli.ap_unrecognized"),
    (re.compile(r"^expected one argument$"), "cli.ap_expected_one"),
]


def _argparse_phrase(message: str, lang: str) -> str:
    """argparse's English error phrase in ``lang`` (the names and values in it kept).

    >>> _argparse_phrase("argument --lang: expected one argument", "zh-CN")
    '参数 --lang：需要一个值'
    >>> _argparse_phrase("the following arguments are required: path", "zh-CN")
    '缺少必需的参数：path'
    """
    match = re.match(r"^argument (?P<name>[^:]+): (?P<detail>.+)$", message, re.S)
    if match:
        detail = _argparse_phrase(match["detail"], lang)
        return text("cli.ap_argument", lang, name=match["name"], detail=detail)
    for pattern, key in _ARGPARSE_PHRASES:
        found = pattern.match(message)
        if found:
            return text(key, lang, **found.groupdict())
    return message  # our own ArgumentTypeError texts are already in ``lang``


def build_parser(lang: str = "en", *, defer_errors: bool = False) -> argparse.ArgumentParser:
    """The ``xlcredit`` argument parser, its help and errors in ``lang``."""
    def t(key: str, **fields: Any) -> str:
        return text(key, lang, **fields)

    date = functools.partial(_parse_date, lang=lang)
    currency = functools.partial(_currency, lang=lang)
    lang_option: dict[str, Any] = {"type": functools.partial(_lang, lang=lang), "metavar": "en|zh-CN",
                                   "help": t("cli.h_lang")}
    parser = _Parser(prog="xlcredit", description=t("cli.prog_help"), lang=lang, defer_errors=defer_errors)
    parser.add_argument("--version", action="version", version=f"xlcredit {__version__}",
                        help=t("cli.h_version"))
    parser.add_argument("--debug", action="store_true", help=t("cli.h_debug"))
    parser.add_argument("--lang", default=None, **lang_option)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, lang=lang, defer_errors=defer_errors, **kwargs)
        # also after the command; SUPPRESS keeps a --lang given before it
        p.add_argument("--lang", default=argparse.SUPPRESS, **lang_option)
        return p

    new = command("new", help=t("cli.h_new"), description=t("cli.d_new"))
    new.add_argument("path", help=t("cli.h_new_path"))
    new.add_argument("--sample", type=functools.partial(_count, lang=lang), default=0, metavar="N",
                     help=t("cli.h_sample"))
    new.add_argument("--force", action="store_true", help=t("cli.h_force"))
    new.add_argument("--base-currency", type=currency, default=None, metavar="CCY", help=t("cli.h_base"))
    new.set_defaults(handler=cmd_new)

    imp = command("import", help=t("cli.h_import"), description=t("cli.d_import"))
    imp.add_argument("source", help=t("cli.h_source"))
    imp.add_argument("book", help=t("cli.h_book"))
    imp.add_argument("--map", type=functools.partial(_field_map, lang=lang), action="append",
                     metavar="FIELD=HEADER", help=t("cli.h_map"))
    imp.add_argument("--profile", default=None, metavar="NAME", help=t("cli.h_profile"))
    imp.add_argument("--date-order", default=None, choices=["DMY", "MDY", "YMD"],
                     type=str.upper, help=t("cli.h_date_order"))
    imp.add_argument("--decimal", default=None, choices=["point", "comma"], type=str.lower,
                     help=t("cli.h_decimal"))
    imp.add_argument("--currency", type=currency, default=None, metavar="CCY", help=t("cli.h_currency"))
    imp.add_argument("--encoding", default=None, metavar="NAME", help=t("cli.h_encoding"))
    imp.add_argument("--open-items", action="store_true", help=t("cli.h_open_items"))
    imp.add_argument("--sheet", default=None, metavar="NAME", help=t("cli.h_sheet"))
    imp.add_argument("--dry-run", action="store_true", help=t("cli.h_dry_run"))
    imp.set_defaults(handler=cmd_import)

    refresh = command("refresh", help=t("cli.h_refresh"), description=t("cli.d_refresh"))
    refresh.add_argument("path", help=t("cli.h_path"))
    refresh.add_argument("--as-of", type=date, default=None, metavar="YYYY-MM-DD", help=t("cli.h_as_of"))
    refresh.add_argument("--output", default=None, metavar="OUT", help=t("cli.h_output"))
    refresh.add_argument("--force", action="store_true", help=t("cli.h_refresh_force"))
    refresh.set_defaults(handler=cmd_refresh)

    upgrade = command("upgrade", help=t("cli.h_upgrade"), description=t("cli.d_upgrade"))
    upgrade.add_argument("book", help=t("cli.h_path"))
    upgrade.add_argument("--output", default=None, metavar="OUT", help=t("cli.h_upgrade_output"))
    upgrade.add_argument("--dry-run", action="store_true", help=t("cli.h_dry_run"))
    upgrade.set_defaults(handler=cmd_upgrade)

    demo = command("demo", help=t("cli.h_demo"), description=t("cli.d_demo"))
    demo.add_argument("dir", nargs="?", default="demo", help=t("cli.h_dir"))
    demo.add_argument("--buyers", type=functools.partial(_count, lang=lang, option="--buyers"),
                      default=DEMO_BUYERS, metavar="N", help=t("cli.h_buyers_n", n=DEMO_BUYERS))
    demo.add_argument("--as-of", type=date, default=None, metavar="YYYY-MM-DD", help=t("cli.h_demo_as_of"))
    demo.set_defaults(handler=cmd_demo)

    statements = command("statements", help=t("cli.h_statements"), description=t("cli.d_statements"))
    statements.add_argument("path", help=t("cli.h_path"))
    statements.add_argument("--out", required=True, metavar="DIR", help=t("cli.h_out"))
    statements.add_argument("--buyers", type=functools.partial(_buyers_arg, lang=lang), default="overdue",
                            metavar="overdue|all|ID,...", help=t("cli.h_buyers_sel"))
    statements.add_argument("--format", choices=["pdf", "xlsx"], default="pdf", help=t("cli.h_format"))
    statements.add_argument("--as-of", type=date, default=None, metavar="YYYY-MM-DD",
                            help=t("cli.h_statement_date"))
    statements.set_defaults(handler=cmd_statements)

    letters = command("letters", help=t("cli.h_letters"), description=t("cli.d_letters"))
    letters.add_argument("path", help=t("cli.h_path"))
    letters.add_argument("--out", required=True, metavar="DIR", help=t("cli.h_out"))
    letters.add_argument("--as-of", type=date, default=None, metavar="YYYY-MM-DD",
                         help=t("cli.h_letter_date"))
    letters.set_defaults(handler=cmd_letters)

    policy = sub.add_parser(
        "policy", help="export a workbook's credit policy, or check workbooks against their team policy",
        description="export BOOK OUT.json: write the policy BOOK applies as a JSON file (a team policy "
        "source other workbooks can name in team.source). check BOOK...: list, setting by setting, "
        "where each workbook's applied policy differs from its team policy (the one its team.source "
        "names, or --team); exit code 1 when any differs. See docs/teams.md.")
    policy_sub = policy.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = policy_sub.add_parser("export", help="write a workbook's policy as JSON")
    export.add_argument("book", help="the workbook (.xlsx or .xlsm)")
    export.add_argument("out", help="the JSON file to write")
    check = policy_sub.add_parser("check", help="which workbooks differ from the team policy")
    check.add_argument("books", nargs="+", metavar="BOOK", help="workbooks to check")
    check.add_argument("--team", default=None, metavar="SOURCE",
                       help="compare with this team policy (.xlsx or .json) instead of each book's team.source")
    policy.set_defaults(handler=cmd_policy)

    decide = sub.add_parser(
        "decide", help="record a credit decision in the decision log (the ribbon's Record decision)",
        description="Append the buyer's recommended decision (the decision engine refresh uses) to the "
        "decision log tblDecisions with the approver's name, and type the new current limit and the "
        "last review date on the buyer's row. Amounts are in the buyer's currency. See docs/teams.md.")
    decide.add_argument("book", help="the workbook (.xlsx or .xlsm)")
    decide.add_argument("buyer_id", metavar="BUYER_ID", help="the buyer, by its ID on the Buyers sheet")
    decide.add_argument("--approver", default=None, metavar="NAME",
                        help="who approved (default: the logged-in user's name)")
    decide.add_argument("--note", default=None, metavar="TEXT", help="a note for the log")
    decide.add_argument("--limit", type=_amount, default=None, metavar="AMOUNT",
                        help="the limit granted, in the buyer's currency (default: the recommended limit)")
    decide.add_argument("--as-of", type=_parse_date, default=None, metavar="YYYY-MM-DD",
                        help="the decision date (default: the Policy sheet's as-of date, else today)")
    decide.add_argument("--force", action="store_true",
                        help="write even when Excel's or LibreOffice's lock file says the book is open")
    decide.set_defaults(handler=cmd_decide)

    comb = sub.add_parser(
        "combine", help="combine teams' workbooks into a group view of exposure per buyer",
        description="Read several teams' workbooks (never changing them) and write a group workbook: "
        "per buyer the total exposure and overdue in the group's base currency against a group limit, "
        "the breakdown by team, matches by tax ID or name to confirm, and conflicts between teams "
        "(different limits, bands, blocked in one team only). The group policy (base currency, FX rates) "
        "and group limits live in the group workbook; later runs keep them. See docs/teams.md.")
    comb.add_argument("books", nargs="+", metavar="BOOK", help="the teams' workbooks (.xlsx or .xlsm)")
    comb.add_argument("--output", required=True, metavar="GROUP.xlsx", help="the group workbook (created if missing)")
    comb.add_argument("--base-currency", type=_currency, default=None, metavar="CCY",
                      help="the group's base currency on the first run (default: the first workbook's)")
    comb.add_argument("--lang", type=_lang, default=None,
                      help="en or zh-CN (default: the group policy's, first run: the first workbook's)")
    comb.set_defaults(handler=cmd_combine)

    addin = command("addin", help=t("cli.h_addin"), description=t("cli.d_addin"))
    addin.add_argument("action", choices=["build", "install", "doctor"], help=t("cli.h_action"))
    addin.add_argument("--uninstall", action="store_true", help=t("cli.h_uninstall"))
    addin.add_argument("--output", default=None, metavar="OUT", help=t("cli.h_addin_output"))
    addin.set_defaults(handler=cmd_addin)
    return parser


def _os_reason(exc: OSError, lang: str) -> str:
    """An operating-system error in ``lang`` (the common ones by number; others by code)."""
    keys = {errno.ENOENT: "cli.os_not_found", errno.EACCES: "cli.os_denied", errno.EPERM: "cli.os_denied",
            errno.EISDIR: "cli.os_is_dir", errno.ENOSPC: "cli.os_no_space"}
    key = keys.get(exc.errno or -1)
    if key is not None:
        return text(key, lang)
    if lang == "en":
        return str(exc.strerror or exc)
    return text("cli.os_other", lang, code=exc.errno)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; return the exit code (also what ``sys.exit`` receives)."""
    out = out or sys.stdout
    err = err or sys.stderr
    arguments = list(argv) if argv is not None else sys.argv[1:]
    chosen = _pre_language(arguments)
    parser = build_parser(chosen or "en", defer_errors=chosen is None)
    try:
        args = parser.parse_args(arguments)
    except _ParseError:
        # said again, with usage, in the language of the workbook named (else English)
        build_parser(_named_book_language(arguments) or "en").parse_args(arguments)
        raise  # not reached: the second parse refuses the same line
    handler: Callable[[argparse.Namespace, TextIO], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(out)
        return 2
    book = getattr(args, _BOOK_ARGUMENT.get(args.command, ""), None)
    args.ui = _Language(args.lang, Path(book) if book else None)
    try:
        return handler(args, out)
    except XlCreditError as exc:
        if args.debug:
            raise
        lang = args.ui.resolve()
        print(text("cli.error", lang, message=exc.render(lang)), file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print(text("cli.interrupted", args.ui.resolve()), file=err)
        return EXIT_INTERRUPTED
    except OSError as exc:
        if args.debug:
            raise
        lang = args.ui.resolve()
        reason = _os_reason(exc, lang)
        if exc.filename:
            print(text("cli.os_error", lang, reason=reason, path=exc.filename), file=err)
        else:
            print(text("cli.os_error_nopath", lang, reason=reason), file=err)
        return WorkbookError.exit_code
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if args.debug:
            raise
        print(text("cli.internal", args.ui.resolve(), kind=type(exc).__name__, detail=exc), file=err)
        return EXIT_INTERNAL


__all__ = ["ProgressBar", "build_parser", "main"]
