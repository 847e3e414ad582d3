"""Excel functions: credit limits (declarations only; the work is in :mod:`xlcredit.engine.limits`).

``CREDIT_LIMIT`` returns the recommended limit (one cell, or a column that spills when the
arguments are ranges); ``CREDIT_LIMIT_DETAIL`` returns one row per buyer, **without a
header row** (so each row lines up with the buyer row it was computed for): limit, band,
decision, approval level, recommended terms (days, 0 = cash in advance), headroom (limit
minus current exposure, negative when over the limit) and the reason.

Both take exactly the arguments of DESIGN.md section 3.1; blank cells are "not known".
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import xlwings as xw

from xlcredit.engine.limits import recommend_limits
from xlcredit.engine.policy import DEFAULT_POLICY
from xlcredit.excel.udf.edge import Cell, column, guard, language_of
from xlcredit.messages import text
from xlcredit.workbook.excel_values import broadcast, excel_error, to_numbers

__all__ = ["CREDIT_LIMIT", "CREDIT_LIMIT_DETAIL"]

_DOC_SCORE = "TradeScore 1..100 of the buyer (higher is safer), e.g. =TRADESCORE(...). Blank or #N/A = not rated: band E, no credit."
_DOC_EQUITY = "Net worth: book equity (total assets less total liabilities). Blank if unknown. Negative gives no capacity on this basis."
_DOC_WC = "Working capital: current assets less current liabilities. Blank if unknown. Negative gives no capacity on this basis."
_DOC_REVENUE = "Annual revenue (turnover) of the buyer. Blank if unknown. Capacity uses the smallest of the band's shares of the known bases."
_DOC_SALES = "Optional. Expected sales to this buyer over a year; need = sales x (terms + 30 buffer days) / 365 when no requested amount is given."
_DOC_TERMS = "Optional. Payment terms offered, in days (default 30). Used for the need; the recommended terms are never longer."
_DOC_REQUESTED = "Optional. Limit requested by sales or the buyer; where given it is the need. Below the need means 'approve reduced'."
_DOC_INSURED = "Optional. Limit granted by the credit insurer. By policy it extends the limit up to the need (default), caps it, or is ignored."
_DOC_EXPOSURE = "Optional. What the buyer owes now (open invoices). Reported as headroom; above the new limit in band E or with limit 0 means suspend."
_DOC_LANGUAGE = 'Optional. Language of the texts: "en" (default) or "zh-CN" (Simplified Chinese).'

_FIELDS = (
    "score", "equity", "working_capital", "revenue", "annual_sales_to_buyer",
    "payment_terms_days", "requested", "insured_limit", "current_exposure",
)


def _score_cells(value: Any) -> Any:
    """A score cell showing our own ``#N/A ...`` text (TRADESCORE could not rate) is unknown."""
    if isinstance(value, str) and value.strip().upper().startswith("#N/A"):
        return None
    if isinstance(value, list):
        return [_score_cells(v) for v in value]
    return value


def _compute(args: tuple[Any, ...], language: Any) -> tuple[pd.DataFrame, npt.NDArray[np.object_]]:
    """Coerce the cells, call the engine once, and return its frame and per-row problems."""
    policy = DEFAULT_POLICY
    lang = language_of(language)
    if lang is not None and lang != policy.language:
        policy = dataclasses.replace(policy, language=lang)
    parsed = {}
    for name, value in zip(_FIELDS, args, strict=True):
        cells = _score_cells(value) if name == "score" else value
        minimum = 0.0 if name in ("revenue", "annual_sales_to_buyer", "payment_terms_days",
                                  "requested", "insured_limit") else None
        parsed[name] = to_numbers(cells, name, minimum=minimum)
    n = broadcast({k: list(p.values) for k, p in parsed.items()})
    problems = np.full(n, None, dtype=object)
    values = {}
    for name, p in parsed.items():
        vals = np.broadcast_to(p.values, (n,))
        probs = np.broadcast_to(p.problems, (n,))
        problems = np.where(pd.isna(problems), probs, problems)
        values[name] = vals
    frame = recommend_limits(
        values["score"], values["equity"], values["working_capital"], values["revenue"],
        values["annual_sales_to_buyer"], values["payment_terms_days"], values["requested"],
        values["insured_limit"], values["current_exposure"], policy,
    )
    engine_bad = frame["limit"].isna().to_numpy() & pd.isna(problems)
    problems = np.where(engine_bad, frame["reason"].to_numpy(dtype=object), problems)
    return frame, problems


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("score", err_to_str=True, doc=_DOC_SCORE)
@xw.arg("equity", err_to_str=True, doc=_DOC_EQUITY)
@xw.arg("working_capital", err_to_str=True, doc=_DOC_WC)
@xw.arg("revenue", err_to_str=True, doc=_DOC_REVENUE)
@xw.arg("annual_sales_to_buyer", err_to_str=True, doc=_DOC_SALES)
@xw.arg("payment_terms_days", err_to_str=True, doc=_DOC_TERMS)
@xw.arg("requested", err_to_str=True, doc=_DOC_REQUESTED)
@xw.arg("insured_limit", err_to_str=True, doc=_DOC_INSURED)
@xw.arg("current_exposure", err_to_str=True, doc=_DOC_EXPOSURE)
@guard
def CREDIT_LIMIT(
    score: Any,
    equity: Any,
    working_capital: Any,
    revenue: Any,
    annual_sales_to_buyer: Any = None,
    payment_terms_days: Any = None,
    requested: Any = None,
    insured_limit: Any = None,
    current_exposure: Any = None,
) -> Any:
    """Recommended credit limit: the smaller of the buyer's need and its capacity by risk band,
    adjusted by an insured limit, rounded down. Spills a column for ranges.

    Examples
    --------
    The issue's band-B buyer asks for 50,000 with net worth 80,000 and turnover 700,000
    (working capital not known). What limit do we give?

    >>> CREDIT_LIMIT(60.0, 80000.0, None, 700000.0, None, None, 50000.0)
    28000.0

    Three buyers typed as a column, one with a currency-formatted cell and one that
    TRADESCORE could not rate:

    >>> from decimal import Decimal
    >>> CREDIT_LIMIT([85.0, 60.0, "#N/A not enough data"], [Decimal("80000"), 80000.0, 1e6],
    ...              None, 700000.0, None, None, 50000.0)
    [[32000.0], [28000.0], [0.0]]
    """
    frame, problems = _compute(
        (score, equity, working_capital, revenue, annual_sales_to_buyer, payment_terms_days,
         requested, insured_limit, current_exposure),
        None,
    )
    return column(frame["limit"].to_numpy(dtype=float), list(problems))


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("score", err_to_str=True, doc=_DOC_SCORE)
@xw.arg("equity", err_to_str=True, doc=_DOC_EQUITY)
@xw.arg("working_capital", err_to_str=True, doc=_DOC_WC)
@xw.arg("revenue", err_to_str=True, doc=_DOC_REVENUE)
@xw.arg("annual_sales_to_buyer", err_to_str=True, doc=_DOC_SALES)
@xw.arg("payment_terms_days", err_to_str=True, doc=_DOC_TERMS)
@xw.arg("requested", err_to_str=True, doc=_DOC_REQUESTED)
@xw.arg("insured_limit", err_to_str=True, doc=_DOC_INSURED)
@xw.arg("current_exposure", err_to_str=True, doc=_DOC_EXPOSURE)
@xw.arg("language", err_to_str=True, doc=_DOC_LANGUAGE)
@guard
def CREDIT_LIMIT_DETAIL(
    score: Any,
    equity: Any,
    working_capital: Any,
    revenue: Any,
    annual_sales_to_buyer: Any = None,
    payment_terms_days: Any = None,
    requested: Any = None,
    insured_limit: Any = None,
    current_exposure: Any = None,
    language: Any = None,
) -> Any:
    """Credit-limit advice, one row per buyer and no header row: limit, band, decision,
    approval level, recommended terms (days; 0 = cash in advance), headroom, reason.

    Examples
    --------
    The buyer owes 35,000 today and asks for 50,000; what do we decide, who signs, and how
    much room is left?

    >>> CREDIT_LIMIT_DETAIL(60.0, 80000.0, None, 700000.0, None, None, 50000.0, None, 35000.0)
    [[28000.0, 'B', 'Approve reduced limit', 'Credit manager', 45.0, -7000.0,
      'limited by 35% of net worth; current exposure exceeds the new limit']]

    The same in Chinese, for a buyer with no exposure given (headroom unknown):

    >>> CREDIT_LIMIT_DETAIL(60.0, 80000.0, None, 700000.0, None, None, 50000.0, None, None, "zh-CN")
    [[28000.0, 'B', '降额批准', '信用经理', 45.0, '#N/A 未提供风险敞口', '受限于净资产的35%']]
    """
    frame, problems = _compute(
        (score, equity, working_capital, revenue, annual_sales_to_buyer, payment_terms_days,
         requested, insured_limit, current_exposure),
        language,
    )
    no_exposure = text("func.no_exposure", language_of(language) or DEFAULT_POLICY.language)  # as _compute
    out: list[list[Cell]] = []
    table = frame[["limit", "band", "decision_text", "approval_level", "terms_days",
                   "headroom", "reason"]].to_numpy(dtype=object)
    for row, problem in zip(table.tolist(), problems.tolist(), strict=True):  # shaping cells
        if problem is not None:
            out.append([excel_error(str(problem))] * len(row))
            continue
        limit, band, decision, level, terms, headroom, reason = row
        out.append([
            float(limit), band, decision, level, float(terms),
            excel_error(no_exposure, "#N/A") if pd.isna(headroom) else float(headroom),
            reason,
        ])
    return out
