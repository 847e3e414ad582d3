"""Payment terms as ERP exports write them: the due date of an invoice that has none.

A term is a number of days after the invoice date (``Net 30``, ``30 days``, ``N30``,
``票到30天``, ``30``) or after the end of the invoice's month (``EOM 30``, ``Net 30 EOM``,
``月结30天``); ``Due on receipt``, ``COD``, ``货到付款`` and ``款到发货`` are 0 days. A
discount in front (``2/10 net 30``) does not move the due date. A code the rules do not know
(SAP's ``ZB01`` is whatever each company configured) is listed, never guessed.

>>> t = parse_terms(["Net 30", "2/10 Net 45", "月结60天", "Due on receipt", "ZB01", None])
>>> t.days.tolist(), t.end_of_month.tolist()
([30.0, 45.0, 60.0, 0.0, nan, nan], [False, False, True, False, False, False])
>>> t.problems[4]
"terms: 'ZB01' is not a payment term xlcredit reads (write it as 'Net 30', '30 days' or '月结30天', or map the due date)"
>>> due_dates(pd.to_datetime(["2026-11-10", "2026-11-10"]).to_numpy(), t.days[:3:2], t.end_of_month[:3:2])
['2026-12-10', '2027-01-29']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import describe
from xlcredit.messages import Message
from xlcredit.workbook.excel_values import is_blank

__all__ = ["Terms", "due_dates", "parse_terms"]

_ZERO = {"dueonreceipt", "onreceipt", "receipt", "cod", "cia", "cashondelivery", "cashinadvance",
         "immediate", "immediately", "payableimmediately", "prepayment", "prepaid", "net0",
         "货到付款", "款到发货", "现结", "现款", "即付", "预付"}  # fmt: skip
_EOM = re.compile(r"(?i)\beom\b|end\s*of\s*(the\s*)?month|月结|月底|次月")


@dataclass(frozen=True)
class Terms:
    """Parsed terms: days (NaN when unknown), whether counted from the end of the month,
    and a problem per element."""

    days: npt.NDArray[np.float64]
    end_of_month: npt.NDArray[np.bool_]
    problems: npt.NDArray[np.object_]


def _one(value: Any) -> tuple[float, bool] | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (float(value), False) if value == value and 0 <= value <= 720 else None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    key = re.sub(r"[\s_\-.]+", "", text.lower())
    if key in _ZERO:
        return 0.0, False
    eom = bool(_EOM.search(text))
    text = re.sub(r"^\s*\d+(\.\d+)?\s*%?\s*/\s*\d+\s*,?", "", text)  # 2/10 net 30: discount first
    numbers = re.findall(r"\d+", text)
    rest = re.sub(r"(?i)net|days?|d|n|天|日|票到|发票后|月结|月底|次月|eom|end\s*of\s*(the\s*)?month|"
                  r"after|invoice|date|from|\s|\d|[,;:/()]", "", text)
    if len(numbers) != 1 or rest:
        return None
    days = float(numbers[0])
    return (days, eom) if days <= 720 else None


def parse_terms(values: list[Any], field: str = "terms") -> Terms:
    """Days and end-of-month flags of a column of payment terms (decided once per distinct
    value)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    days = np.full(len(uniques) + 1, np.nan)
    eom = np.zeros(len(uniques) + 1, dtype=bool)
    problems = np.full(len(uniques) + 1, None, dtype=object)
    for i, v in enumerate(uniques):
        if is_blank(v):
            continue
        found = _one(v)
        if found is None:
            problems[i] = Message("importer.not_a_term", {"column": field, "value": describe(v)})
        else:
            days[i], eom[i] = found
    return Terms(days[codes], eom[codes], problems[codes])


def due_dates(
    invoice_dates: npt.NDArray[np.datetime64],
    days: npt.NDArray[np.float64],
    end_of_month: npt.NDArray[np.bool_],
) -> list[str]:
    """Due dates (ISO text, ``NaT`` when unknown): invoice date, or the last day of its month
    when ``end_of_month``, plus ``days``."""
    return [str(d)[:10] for d in due_date_array(invoice_dates, days, end_of_month)]


def due_date_array(
    invoice_dates: npt.NDArray[np.datetime64],
    days: npt.NDArray[np.float64],
    end_of_month: npt.NDArray[np.bool_],
) -> npt.NDArray[np.datetime64]:
    """:func:`due_dates` as ``datetime64[ns]`` (vectorised)."""
    start = pd.DatetimeIndex(invoice_dates)
    month_end = (start + pd.offsets.MonthEnd(0)).to_numpy()
    base = np.where(end_of_month, month_end, start.to_numpy())
    with np.errstate(invalid="ignore"):
        offset = np.where(np.isnan(days), np.timedelta64("NaT"), (np.nan_to_num(days)).astype("int64").astype("timedelta64[D]"))
    return (base + offset).astype("datetime64[ns]")
