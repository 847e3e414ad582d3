"""The ribbon's entry points: zero-argument functions the add-in's VBA calls through
RunPython (``import xlcredit.macros; xlcredit.macros.ribbon_refresh_all()``). Each runs one
macro on the workbook that pressed the button; a named error becomes a message box.

Message boxes speak the workbook's language (its Policy sheet), else English; their texts
are in :mod:`xlcredit.messages.ribbon`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xlcredit.engine.errors import SchemaError
from xlcredit.macros.aging_sheet import build_aging
from xlcredit.macros.buyers import flag_high_risk, refresh_buyers
from xlcredit.macros.collections_sheet import build_collections
from xlcredit.macros.credit_hold import build_credit_hold
from xlcredit.macros.dashboard import build_dashboard
from xlcredit.macros.forecast_sheet import build_forecast
from xlcredit.macros.payment_plan import build_payment_plan
from xlcredit.macros.provision_sheet import build_provision
from xlcredit.macros.refresh import refresh_all
from xlcredit.messages import Message, text
from xlcredit.workbook.port import Workbook
from xlcredit.workbook.schema import BUYERS, SHEET_NAMES


def _caller() -> Workbook:
    """The workbook that pressed the button, through the xlwings adapter (Excel for Windows)."""
    from xlcredit.workbook.excel import ExcelWorkbook  # imported lazily: xlwings needs Excel

    return ExcelWorkbook.caller()


def workbook_language(book: Workbook) -> str:
    """The language of a workbook's message boxes: its Policy sheet's, else English (a
    workbook whose policy cannot be read)."""
    try:
        from xlcredit.workbook.policy_sheet import load_policy

        return load_policy(book)[0].language
    except Exception:  # an unreadable policy must not hide the message itself
        return "en"


def _ribbon(action: Callable[[Workbook], Any]) -> None:
    """Run a button's action; a named error becomes a message box, never a traceback."""
    from xlcredit.engine.errors import XlCreditError

    book = _caller()
    try:
        with book.suspended():  # no recalculation or events while the button writes
            action(book)
    except XlCreditError as exc:
        book.alert(exc.render(workbook_language(book)))
    except Exception as exc:  # a bug of ours: one readable line, not a Python traceback
        book.alert(text("ribbon.internal", workbook_language(book), kind=type(exc).__name__, detail=exc))
    finally:
        book.progress(1.0, "")


def ribbon_refresh_all() -> None:
    """Ribbon button "Refresh all"."""

    def run(book: Workbook) -> None:
        summary = refresh_all(book)
        book.progress(1.0, "")
        book.alert("\n".join(summary.lines()))

    _ribbon(run)


def ribbon_refresh_buyers() -> None:
    """Ribbon button "Refresh buyers"."""
    _ribbon(lambda book: refresh_buyers(book))


def ribbon_flag_high_risk() -> None:
    """Ribbon button "Flag high risk"."""
    _ribbon(lambda book: flag_high_risk(book))


def ribbon_build_aging() -> None:
    """Ribbon button "Aging"."""
    _ribbon(lambda book: build_aging(book))


def ribbon_build_collections() -> None:
    """Ribbon button "Collections"."""
    _ribbon(lambda book: build_collections(book))


def ribbon_build_dashboard() -> None:
    """Ribbon button "Dashboard"."""
    _ribbon(lambda book: build_dashboard(book))


def ribbon_build_credit_hold() -> None:
    """Ribbon button "Credit hold"."""
    _ribbon(lambda book: build_credit_hold(book))


def ribbon_build_provision() -> None:
    """Ribbon button "Provision" (坏账准备): the Provision sheet and this month's Provision history."""

    def run(book: Workbook) -> None:
        from xlcredit.macros.write_offs import ensure_write_offs

        ensure_write_offs(book)
        build_provision(book)
        book.activate_sheet(SHEET_NAMES["provision"]["zh-CN" if _zh(book) else "en"])

    _ribbon(run)


def ribbon_build_forecast() -> None:
    """Ribbon button "Forecast" (回款预测)."""

    def run(book: Workbook) -> None:
        build_forecast(book)
        book.activate_sheet(SHEET_NAMES["forecast"]["zh-CN" if _zh(book) else "en"])

    _ribbon(run)


def _zh(book: Workbook) -> bool:
    """Whether the workbook's sheets are the Chinese ones (its generated sheets follow)."""
    return SHEET_NAMES["buyers"]["zh-CN"] == book.read_table(BUYERS.name).sheet


def _selected_buyer(book: Workbook) -> str | None:
    """Buyer ID on the row of the active cell, when it is inside tblBuyers."""
    index = book.selected_row(BUYERS.name)
    if index is None:
        return None
    raw = book.read_table(BUYERS.name)
    found = BUYERS.resolve(raw.header)
    if not 0 <= index < len(raw.rows) or "buyer_id" not in found:
        return None
    value = raw.rows[index][found["buyer_id"]]
    if value is None:
        return None
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def ribbon_payment_plan() -> None:
    """Ribbon button "Payment plan": for the buyer on the selected row of the Buyers table."""

    def run(book: Workbook) -> None:
        buyer = _selected_buyer(book)
        if buyer is None:
            raise SchemaError(Message("ribbon.select_buyer", {"button": Message("ribbon.button_plan")}))
        build_payment_plan(book, buyer)

    _ribbon(run)


def ribbon_record_decision() -> None:
    """Ribbon button "Record decision": the selected buyer's recommendation into the decision
    log, with the Excel user's name; current limit and last review typed on the buyer's row."""

    def run(book: Workbook) -> None:
        from xlcredit.macros.decision_log import record_decision
        from xlcredit.messages import Message

        buyer = _selected_buyer(book)
        if buyer is None:
            raise SchemaError(Message("teams.select_buyer", {}))
        record = record_decision(book, buyer)
        book.progress(1.0, "")
        book.alert(record.message())

    _ribbon(run)


#: What the Import ledger dialog offers.
_EXPORT_PATTERNS = ["*.csv", "*.txt", "*.xlsx", "*.xlsm"]


def import_ledger_message(result: Any, limit: int = 25, language: str = "en") -> str:
    """The import summary for a message box: the first ``limit`` lines, then a count.

    >>> from xlcredit.workbook.importer import ImportResult
    >>> print(import_ledger_message(ImportResult("ar.csv", rows_read=3, added=2), limit=3))
    Read ar.csv
    Mapped: nothing
    Rows read 3, skipped 0, added 2, updated 0, unchanged 0, problems 0
    """
    lines = list(result.lines())
    if len(lines) > limit:
        lines = [*lines[:limit], text("ribbon.more_lines", language, n=len(lines) - limit)]
    return "\n".join(lines)


def ribbon_import_ledger() -> None:
    """Ribbon button "Import ledger": pick an ERP export in a file dialog and import it into
    this workbook with the settings the last import saved (docs/import.md). The workbook is
    changed in Excel; the user saves it."""
    from xlcredit.workbook.importer import import_ledger

    def run(book: Workbook) -> None:
        lang = workbook_language(book)
        path = book.choose_file(text("ribbon.import_title", lang), _EXPORT_PATTERNS)
        if path is None:
            return
        result = import_ledger(book, path)
        book.progress(1.0, "")
        book.alert(import_ledger_message(result, language=lang))

    _ribbon(run)


def ribbon_statement() -> None:
    """Ribbon button "Statement": the printable statement of account of the buyer on the
    selected row of the Buyers table (sheet Statement / 对账单)."""

    def run(book: Workbook) -> None:
        from xlcredit.macros.statement_sheet import build_statement

        buyer = _selected_buyer(book)
        if buyer is None:
            raise SchemaError(Message("ribbon.select_buyer", {"button": Message("ribbon.button_statement")}))
        doc = build_statement(book, buyer)
        book.activate_sheet(SHEET_NAMES["statement"][doc.language])

    _ribbon(run)


def ribbon_open_policy() -> None:
    """Ribbon button "Policy": show the Policy sheet."""

    def run(book: Workbook) -> None:
        for name in ("tblPolicy",):
            if name in book.table_names():
                book.activate_sheet(book.read_table(name).sheet)
                return
        raise SchemaError(Message("ribbon.no_policy"))

    _ribbon(run)


def ribbon_upgrade_workbook() -> None:
    """Ribbon button "Upgrade workbook": the same upgrade as ``xlcredit upgrade`` on the open
    workbook (the user saves it), then what changed in a message box."""
    from xlcredit.macros.upgrade import upgrade

    def run(book: Workbook) -> None:
        plan = upgrade(book)
        book.progress(1.0, "")
        book.alert("\n".join(plan.lines()))

    _ribbon(run)


def ribbon_help() -> None:
    """Ribbon button "Help": version and where the documentation is."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver: str | Message = version("xlcredit")
    except PackageNotFoundError:
        ver = Message("ribbon.dev_version")
    xlwings_ver = version("xlwings")  # the add-in's DLL must be this same version
    _ribbon(lambda book: book.alert(text("ribbon.help", workbook_language(book), version=ver,
                                                     runtime=f"xlwings {xlwings_ver}")))
