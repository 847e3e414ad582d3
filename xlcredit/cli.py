"""The ``xlcredit`` command: templates, headless refresh, the demo and the add-in.

A command parses its arguments, calls the library, and maps a named error to one line on
stderr and an exit code (see :mod:`xlcredit.engine.errors`); no traceback reaches the user unless
``--debug`` is given.

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
    templates.build_template(path, lang=args.lang, sample=args.sample, base_currency=args.base_currency)
    what = f"with {args.sample} sample buyers" if args.sample else "empty"
    base = f", base currency {args.base_currency}" if args.base_currency else ""
    print(f"Wrote {path} ({args.lang}, {what}{base}).", file=out)
    return 0


def _currency(text: str) -> str:
    from xlcredit.workbook.currencies import ISO_4217, currency_code

    code = currency_code(text)
    if code is None or code not in ISO_4217:
        raise argparse.ArgumentTypeError(
            f"must be an ISO 4217 currency code such as EUR, USD or CNY; got {text!r}")
    return code


def _field_map(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep or not field.strip() or not header.strip():
        raise argparse.ArgumentTypeError(
            f"--map must be FIELD=HEADER, e.g. --map invoice_no=Belegnummer; got {text!r}")
    return field.strip(), header.strip()


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.workbook.files import FileWorkbook
    from xlcredit.workbook.importer import ImportOptions, import_ledger

    book_path = _workbook_path(Path(args.book), must_exist=True)
    options = ImportOptions(
        mapping=dict(args.map or []), profile=args.profile, date_order=args.date_order,
        decimal=args.decimal, currency=args.currency, encoding=args.encoding, sheet=args.sheet,
        open_items=True if args.open_items else None,
    )
    bar = ProgressBar()
    try:
        with FileWorkbook.open(book_path, read_only=args.dry_run, progress=bar) as book:
            result = import_ledger(book, Path(args.source), options, dry_run=args.dry_run)
            if not args.dry_run:
                book.save()
    finally:
        bar.close()
    lines = result.lines()
    print(lines[0], file=out)
    for line in lines[1:]:
        print(f"  {line}", file=out)
    if not args.dry_run:
        print(f"Saved {book_path}. Run `xlcredit refresh {book_path}` to update aging and "
              "scores.", file=out)
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


def cmd_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.macros.upgrade import upgrade
    from xlcredit.messages import text
    from xlcredit.workbook.files import FileWorkbook

    path = _workbook_path(Path(args.book), must_exist=True)
    output = _workbook_path(Path(args.output), must_exist=False) if args.output else None
    if output is not None and not output.parent.is_dir():
        raise WorkbookError(
            f"The folder {output.parent} for --output does not exist; create it or choose "
            "another folder."
        )
    with FileWorkbook.open(path, output=output, read_only=args.dry_run) as book:
        plan = upgrade(book, dry_run=args.dry_run)
        if not args.dry_run and (plan.needed or output is not None):
            book.save()
    lines = plan.lines()
    print(lines[0], file=out)
    for line in lines[1:]:
        print(f"  {line}", file=out)
    if args.dry_run:
        print(text("upgrade.dry_run", plan.language), file=out)
    elif plan.needed:
        print(text("upgrade.saved", plan.language, book=output or path), file=out)
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


def _buyers_arg(text: str) -> str | list[str]:
    text = text.strip()
    if text in ("overdue", "all"):
        return text
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError(f"--buyers must be overdue, all or buyer IDs separated by commas; got {text!r}")
    return ids


def _out_dir(text: str) -> Path:
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise WorkbookError(f"--out {path} is a file; give a folder (it is created if missing).")
    return path


def cmd_statements(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.macros.statement_sheet import write_statements
    from xlcredit.workbook.files import FileWorkbook

    path = _workbook_path(Path(args.path), must_exist=True)
    folder = _out_dir(args.out)
    with FileWorkbook.open(path, read_only=True) as book:
        paths = write_statements(book, folder, buyers=args.buyers, fmt=args.format, as_of=args.as_of)
    print(f"Wrote {len(paths)} statement{'s' if len(paths) != 1 else ''} ({args.format}) to {folder}", file=out)
    return 0


def cmd_letters(args: argparse.Namespace, out: TextIO) -> int:
    from xlcredit.macros.letters import write_letters
    from xlcredit.workbook.files import FileWorkbook

    path = _workbook_path(Path(args.path), must_exist=True)
    folder = _out_dir(args.out)
    with FileWorkbook.open(path) as book:
        result = write_letters(book, folder, as_of=args.as_of)
        book.save()
    n = len(result.paths)
    print(f"Wrote {n} letter{'s' if n != 1 else ''} (.eml with the statement attached) to {folder}; "
          f"logged on the Letters sheet of {path}", file=out)
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

    if args.action == "export":
        path = _workbook_path(Path(args.book), must_exist=True)
        _, policy, problems, _ = _book_policy(path)
        if problems:
            first = f"{problems[0].sheet} {problems[0].column}: {problems[0].rule}"
            raise PolicyError(Message("teams.export_problems", {"book": path.name, "count": len(problems),
                                                                "first": first}))
        target = Path(args.out)
        target.write_text(policy.to_json() + "\n", encoding="utf-8")
        print(text("teams.exported", "en", book=path.name, out=target, count=len(policy.settings()),
                   fingerprint=fingerprint(policy)), file=out)
        return 0
    differ = 0
    for name in args.books:
        path = _workbook_path(Path(name), must_exist=True)
        team, applied, problems, state = _book_policy(path, args.team)
        if state in ("copy", "none"):  # the source named cannot be read: nothing to compare with
            differ += 1
            why = next(p.rule for p in problems if p.column == "team.source")
            print(text("teams.check_unreachable", "en", book=path.name, why=why), file=out)
            continue
        if team is None:
            differ += 1
            print(text("teams.check_no_source", "en", book=path.name), file=out)
            continue
        label = team.team.name or args.team or applied.team.source
        diffs = policy_differences(team, applied)
        if not diffs:
            print(text("teams.check_same", "en", book=path.name, team=label), file=out)
            continue
        differ += 1
        print(text("teams.check_differs", "en", book=path.name, team=label, count=len(diffs)), file=out)
        for d in diffs:
            print("  " + text("teams.check_line", "en", setting=d.setting, local=_shown(d.local),
                              team=_shown(d.team)), file=out)
    print(text("teams.check_summary", "en", differ=differ, total=len(args.books)), file=out)
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
        raise WorkbookError(f"The folder {output.parent} for --output does not exist; create it or choose "
                            "another folder.")
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
    new.add_argument("--base-currency", type=_currency, default=None, metavar="CCY",
                     help="the workbook's base currency (ISO code; default EUR, CNY for zh-CN)")
    new.set_defaults(handler=cmd_new)

    imp = sub.add_parser(
        "import", help="import an ERP or accounting export into tblInvoices",
        description="Upsert the invoices of an ERP export (CSV or a sheet of a workbook) into "
        "tblInvoices by invoice number, add missing buyers to tblBuyers and save the mapping in "
        "the workbook for next time. Columns map by --map, then the profile, then header "
        "aliases. See docs/import.md.")
    imp.add_argument("source", help="the export: .csv, .txt, .xlsx or .xlsm")
    imp.add_argument("book", help="the credit-control workbook (.xlsx or .xlsm)")
    imp.add_argument("--map", type=_field_map, action="append", metavar="FIELD=HEADER",
                     help="read FIELD (invoice_no, buyer_id, buyer_name, amount, open_amount, "
                     "paid_amount, currency, invoice_date, due_date, paid_date, terms, company) "
                     "from the column HEADER; repeat for each field")
    imp.add_argument("--profile", default=None, metavar="NAME",
                     help="sap, odoo, erpnext, quickbooks, xero, kingdee or yonyou")
    imp.add_argument("--date-order", default=None, choices=["DMY", "MDY", "YMD"],
                     type=str.upper, help="order of day, month and year in text dates")
    imp.add_argument("--decimal", default=None, choices=["point", "comma"], type=str.lower,
                     help="decimal separator of text numbers")
    imp.add_argument("--currency", type=_currency, default=None, metavar="CCY",
                     help="currency of rows whose currency is blank")
    imp.add_argument("--encoding", default=None, metavar="NAME",
                     help="encoding of a CSV that is not UTF-8, e.g. gb18030")
    imp.add_argument("--open-items", action="store_true",
                     help="the export lists open items only: invoices of the same source missing "
                     "from it are marked paid as of the export date (flagged as inferred)")
    imp.add_argument("--sheet", default=None, metavar="NAME", help="the sheet of a workbook export")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.set_defaults(handler=cmd_import)

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

    upgrade = sub.add_parser(
        "upgrade", help="bring a workbook made from an older template to the current one",
        description="Compare the workbook with the current template and add what is missing: "
        "columns, tables (on new sheets), Policy settings with their defaults, the template "
        "version stamp. Every row, column, sheet, chart, comment, name and formula of yours is "
        "kept; a header renamed in the template keeps your spelling (read as an alias). Prints "
        "what changed. See docs/teams.md.")
    upgrade.add_argument("book", help="the workbook (.xlsx or .xlsm)")
    upgrade.add_argument("--output", default=None, metavar="OUT",
                         help="write the upgraded workbook here instead of replacing BOOK")
    upgrade.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    upgrade.set_defaults(handler=cmd_upgrade)

    demo = sub.add_parser("demo", help="write a sample workbook and refresh it",
                          description="Write a sample workbook of realistic size and refresh it.")
    demo.add_argument("dir", nargs="?", default="demo", help="folder for the workbook (default: demo)")
    demo.add_argument("--lang", type=_lang, default="en", help="en (default) or zh-CN")
    demo.add_argument("--buyers", type=_count, default=DEMO_BUYERS, metavar="N",
                      help=f"number of sample buyers (default {DEMO_BUYERS})")
    demo.add_argument("--as-of", type=_parse_date, default=None, metavar="YYYY-MM-DD",
                      help="the as-of date (default: the sample's)")
    demo.set_defaults(handler=cmd_demo)

    statements = sub.add_parser(
        "statements", help="write a statement of account per buyer (PDF or .xlsx)",
        description="Write one statement of account per buyer: open invoices with dates, amounts, "
        "paid amounts and days overdue, disputed items marked, totals and the aging line per "
        "currency, our company's details and payment instructions (Policy sheet, company.*), in "
        "the workbook's language. The workbook is only read.")
    statements.add_argument("path", help="the workbook (.xlsx or .xlsm)")
    statements.add_argument("--out", required=True, metavar="DIR", help="folder for the files (created if missing)")
    statements.add_argument("--buyers", type=_buyers_arg, default="overdue", metavar="overdue|all|ID,...",
                            help="overdue (default): buyers with an overdue item; all: buyers with an open "
                            "item; or buyer IDs separated by commas")
    statements.add_argument("--format", choices=["pdf", "xlsx"], default="pdf", help="pdf (default) or xlsx")
    statements.add_argument("--as-of", type=_parse_date, default=None, metavar="YYYY-MM-DD",
                            help="the statement date (default: the Policy sheet's, else today)")
    statements.set_defaults(handler=cmd_statements)

    letters = sub.add_parser(
        "letters", help="write a dunning e-mail draft per buyer at its highest step (.eml)",
        description="Write one dunning letter per buyer at its highest dunning step, for the whole "
        "account, as an .eml draft (X-Unsent: Outlook opens it as a draft) with the buyer's "
        "statement PDF attached. Texts come from the Policy sheet (tblLetters); disputed items and "
        "items with a promise not yet due are left out and the letter says so. Each draft is added "
        "to the Letters log (sheet Letters) of the workbook, which is saved.")
    letters.add_argument("path", help="the workbook (.xlsx or .xlsm)")
    letters.add_argument("--out", required=True, metavar="DIR", help="folder for the drafts (created if missing)")
    letters.add_argument("--as-of", type=_parse_date, default=None, metavar="YYYY-MM-DD",
                         help="the letter date (default: the Policy sheet's, else today)")
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
