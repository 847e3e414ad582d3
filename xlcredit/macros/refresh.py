"""The ribbon's "Refresh all" and the summary it reports."""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from xlcredit.macros.aging_sheet import build_aging
from xlcredit.macros.buyers import flag_high_risk, refresh_buyers
from xlcredit.macros.collections_sheet import build_collections
from xlcredit.macros.credit_hold import build_credit_hold
from xlcredit.macros.dashboard import build_dashboard
from xlcredit.macros.forecast_sheet import build_forecast
from xlcredit.macros.labels import _sheet
from xlcredit.macros.problems import build_problems
from xlcredit.macros.provision_sheet import build_provision
from xlcredit.macros.run import (
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
)
from xlcredit.macros.score_history import update_score_history
from xlcredit.macros.team_policy import write_team_copy
from xlcredit.macros.upgrade import upgrade_problem
from xlcredit.macros.write_offs import ensure_write_offs
from xlcredit.messages import text
from xlcredit.workbook.port import Workbook

Progress = Callable[[float, str], None]


@dataclass
class RefreshSummary:
    """What a refresh did, for the status bar and the command line's last lines."""

    buyers: int
    high_risk: int
    overdue_total: float
    dso: float
    problems: int
    base_currency: str
    as_of: dt.date
    language: str = "en"
    receivables: float = 0.0
    sheets: list[str] = field(default_factory=list)
    #: "An upgrade is available and what it would change", when the template is older.
    upgrade: str | None = None

    def lines(self) -> list[str]:
        """The summary as short lines of text in the run's language."""
        lang = self.language
        overdue = {"amount": f"{self.overdue_total:,.2f}", "ccy": self.base_currency}
        extra = [self.upgrade] if self.upgrade else []
        return [text("refresh.summary_buyers", lang, buyers=self.buyers, high_risk=self.high_risk),
                text("refresh.summary_no_dso", lang, **overdue) if math.isnan(self.dso)
                else text("refresh.summary_overdue", lang, dso=f"{self.dso:,.1f}", **overdue),
                text("refresh.summary_problems", lang, problems=self.problems), *extra]


def refresh_all(workbook: Workbook, as_of: dt.date | None = None, progress: Progress | None = None) -> RefreshSummary:
    """The ribbon's "Refresh all": buyers, high-risk flags, Aging, Collections, Dashboard,
    Credit hold, Provision (and its history), Forecast, Score history and Problems, reading
    the workbook once (an empty Write-offs sheet is added when the workbook has none).

    Parameters
    ----------
    workbook : Workbook
        Live Excel or a file (any adapter of the port).
    as_of : date, optional
        Overrides the Policy sheet's as-of date (default: the policy's, else today).
    progress : callable, optional
        ``progress(fraction, message)``; default the workbook's own progress (Excel's status
        bar, or the command line's bar).

    Returns
    -------
    RefreshSummary

    Examples
    --------
    What does a refresh of a small book report, step by step?

    >>> steps = []
    >>> with _example_book() as book:
    ...     summary = refresh_all(book, progress=lambda f, m: steps.append(m))
    >>> summary.buyers, steps[0], steps[-1]
    (8, 'Reading tables', 'Done')
    """
    with _fewer_collections():
        return _refresh(workbook, as_of, progress)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run Python's cycle collector less often during a refresh, then as before. A refresh
    makes millions of short-lived objects (cells, texts); on the bench workbook the default
    thresholds ran 5 full and 53 middle collections that found nothing to collect: 0.5 s of
    the main thread's 7 to 8 s, against about 0.2 s with these (issue 17). Young cycles are
    still collected."""
    old = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _refresh(workbook: Workbook, as_of: dt.date | None, progress: Progress | None) -> RefreshSummary:
    report = progress or workbook.progress
    report(0.02, "Reading tables")
    run = _open(workbook, as_of)
    lang = run.lang
    upgrade = upgrade_problem(workbook, lang)
    if upgrade is not None:  # an older template: the run goes on, the Problems sheet says so
        run.problems.append(upgrade)
    report(0.15, "Scoring buyers")
    n = refresh_buyers(workbook, _run=run)
    report(0.40, "Flagging high-risk buyers")
    high = flag_high_risk(workbook, _run=run)
    report(0.50, "Aging")
    build_aging(workbook, _run=run)
    report(0.62, "Collections worklist")
    build_collections(workbook, _run=run)
    report(0.74, "Dashboard")
    figures = build_dashboard(workbook, _run=run)
    report(0.78, "Credit hold")
    build_credit_hold(workbook, _run=run)
    report(0.80, "Provision")
    build_provision(workbook, _run=run)
    ensure_write_offs(workbook, _run=run)  # an empty log to type write-offs in, next to the provision
    report(0.81, "Forecast")
    build_forecast(workbook, _run=run)
    report(0.82, "Score history")
    update_score_history(workbook, _run=run)
    write_team_copy(workbook, _run=run)  # the copy used when the team policy cannot be read
    report(0.88, "Problems")
    n_problems = build_problems(workbook, _run=run)
    report(0.92, "Done")
    return RefreshSummary(
        buyers=n, high_risk=high, overdue_total=figures["overdue"], dso=figures["dso"],
        problems=n_problems, base_currency=run.ccy, as_of=run.as_of, language=lang,
        receivables=figures["receivables"], upgrade=upgrade.rule if upgrade is not None else None,
        sheets=[_sheet(r, lang) for r in ("aging", "collections", "dashboard", "credit_hold", "provision",
                                          "provision_history", "forecast", "history", "problems")],
    )
