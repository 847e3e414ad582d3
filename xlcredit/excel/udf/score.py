"""Excel functions: the credit check (declarations only; the work is in :mod:`xlcredit.engine.scoring`).

``TRADESCORE`` returns the score 1..100 (higher is safer): one cell, or a column that
spills when the arguments are ranges. ``TRADESCORE_DETAIL`` returns one row per buyer,
**without a header row** (so each row lines up with the buyer row it was computed for, as
``CREDIT_LIMIT_DETAIL`` does): score, band, grade, PD (12 months), data coverage, reason 1,
reason 2, reason 3. Put the headers in the cells above the formula.

Arguments follow DESIGN.md section 3.1; blank cells are "not known", never zero. A row with
an impossible value shows ``#VALUE! <field> must be ...; got ...`` in that row only; a buyer
with too little data shows ``#N/A not rated ...`` (band E).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import xlwings as xw

from xlcredit.engine.policy import DEFAULT_POLICY, Policy
from xlcredit.engine.scoring import (
    INPUTS,
    LEDGER_INPUTS,
    input_columns,
    input_signature,
    score_buyers,
)
from xlcredit.excel.udf.edge import Cell, column, guard, language_of
from xlcredit.messages import text
from xlcredit.workbook.excel_values import as_column, broadcast, excel_error, to_flags, to_numbers

__all__ = ["TRADESCORE", "TRADESCORE_DETAIL"]

_F = TypeVar("_F", bound=Callable[..., Any])

_DOCS: dict[str, str] = {
    "total_assets": "Total assets from the balance sheet (must be > 0). One cell or a column of buyers; blank = not known.",
    "total_liabilities": "Total liabilities (debt and payables, >= 0). Blank = not known: that factor is left out and data coverage falls.",
    "current_assets": "Current assets (cash, receivables, stock; >= 0). Blank = not known.",
    "current_liabilities": "Current (short-term) liabilities, >= 0. Blank = not known.",
    "retained_earnings": "Retained earnings (accumulated profit, may be negative). Blank = not known.",
    "ebit": "EBIT: earnings before interest and tax for the last year (may be negative). Blank = not known.",
    "revenue": "Revenue (turnover) for the last year, >= 0. Blank = not known.",
    "net_income": "Optional. Net income for the last year (may be negative); when blank, EBIT gives the profit margin.",
    "days_beyond_terms": "Optional. Average days paid beyond terms (negative = early, PAYDEX style: 0 on time, 30 a month late). E.g. =DAYS_BEYOND_TERMS(...).",
    "late_share": "Optional. Share of invoices paid late, 0..1 (15% or 0.15).",
    "defaults_12m": "Optional. Number of defaults (90+ days past due, write-offs, insolvency filings) in the last 12 months.",
    "industry_risk": "Optional. Industry risk 1 (low) .. 5 (very high).",
    "country_risk": "Optional. Country risk 1 (low) .. 5 (very high).",
    "management_changes_12m": "Optional. Number of changes of owner, CEO or CFO in the last 12 months.",
    "negative_news": "Optional. Negative news about the buyer: TRUE/FALSE or Y/N (Chinese yes/no also accepted).",
    "years_in_business": "Optional. Years since the buyer was founded.",
    "oldest_overdue_days": "Optional. Days the oldest open invoice is overdue today (0 when nothing is overdue). E.g. from the ledger.",
    "history_invoices": "Optional. Invoices with a known outcome (paid, or open past due) in the buyer's history; with enough of them (policy, 6) a buyer without statements is rated from its payments alone.",
    "language": 'Optional. Language of band and reason texts: "en" or "zh-CN" (Simplified Chinese); blank = the policy\'s language.',
}


def _language_policy(value: Any, policy: Policy = DEFAULT_POLICY) -> Policy:
    """The policy with the language of the texts asked for (blank: the policy's own)."""
    code = language_of(value)
    return policy if code is None else dataclasses.replace(policy, language=code)


def _score(args: tuple[Any, ...], policy: Policy) -> pd.DataFrame:
    """Flatten each argument to a column, read the cells (numbers; TRUE/FALSE, Y/N, 是/否
    for ``negative_news``), check the lengths, and call the engine once. A cell that cannot
    be read is that row's problem, before any the engine finds."""
    columns = {name: as_column(value, name) for name, value in input_columns(args).items()}
    n = broadcast(columns)
    parsed = {name: (to_flags if name == "negative_news" else to_numbers)(cells, name)
              for name, cells in columns.items()}
    frame = score_buyers({name: p.values for name, p in parsed.items()}, policy=policy)
    unread = np.full(len(frame), None, dtype=object)
    for p in parsed.values():  # 16 arguments
        probs = np.broadcast_to(np.asarray(p.problems, dtype=object), (n,))
        first = pd.isna(unread) & pd.notna(probs)
        unread[first] = probs[first]
    if pd.notna(unread).any():
        engine = frame["problem"].to_numpy(dtype=object)
        both = pd.notna(unread) & pd.notna(engine)
        merged = np.where(pd.notna(unread), unread, engine).astype(object)
        merged[both] = unread[both] + "; " + engine[both]
        frame["problem"] = merged
    return frame


def _not_rated(coverage: float, policy: Policy) -> str:
    need = policy.score.min_coverage
    return excel_error(text("func.not_rated", policy.language, coverage=f"{coverage:.0%}", need=f"{need:.0%}"), "#N/A")


def _cells(frame: pd.DataFrame, policy: Policy) -> tuple[list[Any], list[str | None]]:
    """Score column for the sheet: numbers, ``#N/A not rated ...`` text, and problems."""
    problems = [None if pd.isna(p) else str(p) for p in frame["problem"].tolist()]
    values: list[Any] = []
    for s, cov, prob in zip(frame["score"].tolist(), frame["coverage"].tolist(), problems,
                            strict=True):  # shaping one cell per row for the sheet
        if prob is None and pd.isna(s):
            values.append(_not_rated(0.0 if pd.isna(cov) else float(cov), policy))
        else:
            values.append(s)
    return values, problems


#: TRADESCORE's first seven arguments (the statement items) are required (DESIGN.md 3.1).
_REQUIRED = 7


def _score_arguments(*extra: str) -> Callable[[_F], _F]:
    """Declare an Excel function with the TradeScore arguments: the names of
    :data:`xlcredit.engine.scoring.INPUTS` (the one list), then ``extra``, each with its help
    text and ``err_to_str`` (error cells arrive as their text, as for every function).
    xlwings reads the signature (``inspect.signature``) and one ``xw.arg`` per argument, so
    both are made here from the list instead of being written out by hand."""

    def declare(func: _F) -> _F:
        signature = input_signature(extra, required=_REQUIRED)
        func.__signature__ = signature  # type: ignore[attr-defined]
        func.__annotations__ = {**{name: Any for name in signature.parameters}, "return": Any}
        for name in signature.parameters:  # the order of xw.arg does not matter
            func = xw.arg(name, err_to_str=True, doc=_DOCS[name])(func)
        return func

    return declare


@xw.func(category="xlcredit", call_in_wizard=False)
@_score_arguments()
@guard
def TRADESCORE(*values: Any) -> Any:
    """Buyer health score 1..100 (higher is safer) from statements, payments and risk signals.

    Spills a column when the arguments are ranges. Blank cells are unknown: the score uses
    what is known, and a buyer with too little data is ``#N/A not rated ...``.

    Examples
    --------
    How healthy is a buyer with 1,000 of assets, 600 of liabilities and a small profit,
    typed as single cells?

    >>> TRADESCORE(1000.0, 600.0, 500.0, 250.0, 150.0, 80.0, 1500.0, 50.0)
    82.0

    Three buyers as columns (currency-formatted cells arrive as Decimal); the third has a
    negative total assets, which only its own row reports:

    >>> from decimal import Decimal
    >>> TRADESCORE([1000.0, Decimal("1000"), -5.0], [600.0, 950.0, 1.0], 500.0, 250.0,
    ...            150.0, 80.0, 1500.0)
    [[86.0], [80.0], ['#VALUE! total_assets must be > 0; got -5']]

    A buyer known only from our ledger (no statements): 12 invoices of history, 10 days
    late on average, 30 % paid late, nothing overdue now; rated from behaviour alone:

    >>> TRADESCORE(None, None, None, None, None, None, None, None, 10.0, 0.3, None, None,
    ...            None, None, None, None, 0.0, 12.0)
    71.0
    """
    frame = _score(values, DEFAULT_POLICY)
    scores, problems = _cells(frame, DEFAULT_POLICY)
    return column(scores, problems)


@xw.func(category="xlcredit", call_in_wizard=False)
@_score_arguments("language")
@guard
def TRADESCORE_DETAIL(*values: Any) -> Any:
    """The credit check, one row per buyer and no header row: score, band, grade,
    PD (12 months), data coverage, reason 1, reason 2, reason 3.

    Band A..D (E = not rated), grade 1 (best) .. 10, PD as a fraction (format the cell as
    %; "not calibrated" for a buyer rated from its payments alone: the PD was fitted on
    statements), coverage = share of the model's points that had inputs. Reasons are the factors
    that cost the most points; an empty text where fewer than three cost anything. A row
    with an impossible input shows its ``#VALUE! ...`` message in every cell of that row.

    Examples
    --------
    Why does a buyer that pays 45 days late and had a default score as it does?

    >>> TRADESCORE_DETAIL(1000.0, 600.0, 500.0, 250.0, 150.0, 80.0, 1500.0, 50.0, 45.0,
    ...                   None, 1.0)  # doctest: +ELLIPSIS
    [[73.0, 'A', 3.0, 0.0366..., 0.74, 'Pays late (days beyond terms)',
      'Defaulted in the last 12 months', 'Low or negative retained earnings']]

    The same in Chinese (17th argument), with a second buyer of whom only the size and the
    payment record are known (not rated):

    >>> TRADESCORE_DETAIL([1000.0, 500.0], [600.0, None], [500.0, None], [250.0, None],
    ...                   [150.0, None], [80.0, None], [1500.0, None], [50.0, None], 45.0,
    ...                   None, 1.0, None, None, None, None, None, "zh-CN")  # doctest: +ELLIPSIS
    [[73.0, 'A', 3.0, 0.0366..., 0.74, '付款拖延（超出账期天数多）', '近12个月发生过违约', '留存收益偏低或为负'],
     ['#N/A 未评级：数据覆盖率 14%，低于 25%', 'E', '#N/A 未评级：数据覆盖率 14%，低于 25%',
      '#N/A 未评级：数据覆盖率 14%，低于 25%', 0.14, '未评级：数据不足（覆盖率低于政策下限）', '', '']]

    A buyer known only from our ledger, rated from 12 invoices of payment history (the
    18th and 19th arguments, after the language); its PD is not calibrated:

    >>> TRADESCORE_DETAIL(None, None, None, None, None, None, None, None, 10.0, 0.3, None,
    ...                   None, None, None, None, None, None, 0.0, 12.0)
    [[71.0, 'A', 3.0, 'not calibrated', 0.19, 'Pays late (days beyond terms)', 'Many invoices paid late', '']]
    """
    # DESIGN.md 3.1's sixteen inputs, the language, then the ledger inputs (issue 10).
    first = len(INPUTS) - len(LEDGER_INPUTS)
    inputs = (*values[:first], *values[first + 1:])
    language = values[first] if len(values) > first else None
    policy = _language_policy(language)
    frame = _score(inputs, policy)
    scores, problems = _cells(frame, policy)
    suffix = "_zh" if policy.language == "zh-CN" else "_en"
    table = frame[["band", "grade", "pd_12m", "coverage", f"reason_1{suffix}",
                   f"reason_2{suffix}", f"reason_3{suffix}"]].to_numpy(dtype=object)
    out: list[list[Cell]] = []
    for score, row, problem in zip(scores, table.tolist(), problems, strict=True):  # shaping
        if problem is not None:
            out.append([excel_error(problem)] * 8)
            continue
        band, grade, pd12, coverage, *reasons = row
        unrated = isinstance(score, str)
        if not unrated and pd.isna(pd12):  # rated from behaviour alone
            pd12 = text("func.not_calibrated", policy.language)
        texts = ["" if pd.isna(r) else str(r) for r in reasons]
        out.append([
            score if unrated else float(score),
            str(band),
            score if unrated else float(grade),
            score if unrated else (pd12 if isinstance(pd12, str) else float(pd12)),
            float(np.round(coverage, 4)),
            *texts,
        ])
    return out
