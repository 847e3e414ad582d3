"""The macros behind the ribbon buttons, written once against the Workbook port.

Each macro reads the tables it needs through a :class:`~xlcredit.workbook.port.Workbook`
(live Excel or a file), runs the engine over whole columns and writes back only what
xlcredit owns: the output columns of ``tblBuyers`` and the generated sheets (Aging,
Collections, Dashboard, Credit hold, Score history, Problems, Payment plan, Statement). A cell a user typed is never
changed. Problems found in the data (a text in an amount column, an invoice of an unknown
buyer) are listed on the Problems sheet and the run goes on; only a missing table or
required column stops it with a :class:`~xlcredit.engine.errors.SchemaError` that says what to add.

The ribbon of the add-in calls the zero-argument ``ribbon_*`` functions through RunPython;
the command line calls :func:`refresh_all` on a file.

What does a refresh of a sample workbook report?

>>> import tempfile, pathlib
>>> from xlcredit.workbook.templates import build_template
>>> from xlcredit.workbook.files import FileWorkbook
>>> path = build_template(pathlib.Path(tempfile.mkdtemp()) / "demo.xlsx", sample=30)
>>> with FileWorkbook.open(path) as book:
...     summary = refresh_all(book)
...     book.save()
>>> summary.buyers, summary.base_currency, summary.as_of.isoformat()
(30, 'EUR', '2026-11-30')
"""

from __future__ import annotations

from xlcredit.macros.aging_sheet import build_aging
from xlcredit.macros.buyers import flag_high_risk, refresh_buyers
from xlcredit.macros.collections_sheet import COLLECTION_STATUSES, build_collections
from xlcredit.macros.credit_hold import build_credit_hold
from xlcredit.macros.dashboard import build_dashboard
from xlcredit.macros.payment_plan import build_payment_plan
from xlcredit.macros.problems import build_problems
from xlcredit.macros.refresh import RefreshSummary, refresh_all
from xlcredit.macros.ribbon import (
    ribbon_build_aging,
    ribbon_build_collections,
    ribbon_build_credit_hold,
    ribbon_build_dashboard,
    ribbon_flag_high_risk,
    ribbon_help,
    ribbon_import_ledger,
    ribbon_open_policy,
    ribbon_payment_plan,
    ribbon_refresh_all,
    ribbon_refresh_buyers,
    ribbon_statement,
    ribbon_upgrade_workbook,
)
from xlcredit.macros.score_history import update_score_history

__all__ = [
    "COLLECTION_STATUSES",
    "RefreshSummary",
    "build_aging",
    "build_collections",
    "build_credit_hold",
    "build_dashboard",
    "build_payment_plan",
    "build_problems",
    "flag_high_risk",
    "refresh_all",
    "refresh_buyers",
    "ribbon_build_aging",
    "ribbon_build_collections",
    "ribbon_build_credit_hold",
    "ribbon_build_dashboard",
    "ribbon_flag_high_risk",
    "ribbon_help",
    "ribbon_import_ledger",
    "ribbon_open_policy",
    "ribbon_payment_plan",
    "ribbon_refresh_all",
    "ribbon_refresh_buyers",
    "ribbon_statement",
    "ribbon_upgrade_workbook",
    "update_score_history",
]
