"""Late-payment rules by jurisdiction: interest presets, statutory payment terms, limitation.

One place for the legal rules a credit manager applies to a late invoice:

- :func:`preset_interest`: interest plus fixed compensation under a named preset,
  ``"eu"`` (Directive 2011/7/EU), ``"uk"`` (Late Payment of Commercial Debts (Interest)
  Act 1998), ``"cn_sme"`` (保障中小企业款项支付条例, 每日万分之五), ``"lpr"`` (one-year LPR
  plus a markup) or ``"custom"`` (the policy's own rate and fixed sum);
- :func:`statutory_terms_days`: the longest payment term the Chinese SME regulation allows
  a buyer of each type (机关/事业单位 30 days, 60 if agreed; 大型企业 60 days);
- :func:`limitation_dates`: the day an overdue item becomes time-barred (民法典 188, 594),
  restarted by a recorded promise or a demand letter sent (民法典 195).

Reference rates are policy data (:class:`~xlcredit.engine.policy.LateInterestPolicy`):
half-year tables such as ``"2025H1 3.15%, 2025H2 2.15%"``. A day with no rate in the table
gives NaN with the reason, never a guessed rate.

What does a buyer owe on a EUR 10,000 invoice 30 days late in December 2025?

>>> r = preset_interest(10_000, "2025-11-15", "2025-12-15", "eu")
>>> round(float(r), 2)
123.42
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, describe
from xlcredit.engine.policy import (
    BUYER_TYPE_ALIASES,
    BUYER_TYPES,
    DEFAULT_POLICY,
    PRESET_ALIASES_ZH,
    PRESETS,
    Policy,
    half_year_rates,
)
from xlcredit.engine.values import day_numbers, flags, floats
from xlcredit.messages import Message, labels

__all__ = [
    "BUYER_TYPES",
    "PRESETS",
    "PRESET_LABELS_ZH",
    "buyer_type_codes",
    "half_year_rates",
    "limitation_dates",
    "preset_codes",
    "preset_interest",
    "statutory_terms_days",
]

PRESET_LABELS_ZH: Final[dict[str, str]] = labels("collections.preset", (
    "custom",
    "eu",
    "uk",
    "cn_sme",
    "lpr",
), "zh-CN")
#: Chinese names users may type for a preset (the words are policy data).
_PRESET_ALIASES: Final[dict[str, str]] = PRESET_ALIASES_ZH
#: Buyer types of the SME payment regulation (:data:`~xlcredit.engine.policy.BUYER_TYPES`:
#: code 0 unknown, 1 机关/事业单位, 2 大型企业, 3 中小企业) and what people type for them.
_BUYER_ALIASES: Final[dict[str, int]] = BUYER_TYPE_ALIASES

_CN_DAILY_RATE: Final = 0.0005  # 每日万分之五
_UK_BANDS: Final = (1_000.0, 10_000.0)  # GBP 40 below 1,000; 70 below 10,000; 100 from 10,000
_UK_SUMS: Final = (40.0, 70.0, 100.0)


def _half_starts(table: dict[tuple[int, int], float]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Day numbers of the first and last day of each half-year of ``table``, sorted."""
    keys = sorted(table)
    starts = np.array([pd.Timestamp(y, 1 if h == 1 else 7, 1).value // 86_400_000_000_000 for y, h in keys],
                      dtype=np.float64)
    ends = np.array([pd.Timestamp(y, 6, 30).value // 86_400_000_000_000 if h == 1
                     else pd.Timestamp(y, 12, 31).value // 86_400_000_000_000 for y, h in keys], dtype=np.float64)
    return starts, ends


def _rate_on(days: npt.NDArray[np.float64], table: dict[tuple[int, int], float]) -> npt.NDArray[np.float64]:
    """The table's rate for the half-year of each day (NaN when the table has none)."""
    starts, ends = _half_starts(table)
    rates = np.array([table[k] for k in sorted(table)], dtype=np.float64)
    if not len(rates):
        return np.full(days.shape, np.nan)
    i = np.clip(np.searchsorted(starts, days, side="right") - 1, 0, len(starts) - 1)
    inside = (days >= starts[i]) & (days <= ends[i])
    return np.where(inside, rates[i], np.nan)


def _rate_days(
    first: npt.NDArray[np.float64], last: npt.NDArray[np.float64], table: dict[tuple[int, int], float]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Sum of rate x days over the days ``first..last`` (inclusive), rate per half-year,
    and the days the table does not cover. One pass per half-year of the table (a few
    dozen rows at most), each vectorised over the items."""
    total = np.zeros(first.shape)
    covered = np.zeros(first.shape)
    starts, ends = _half_starts(table)
    for (key, start, end) in zip(sorted(table), starts, ends, strict=True):
        overlap = np.maximum(np.minimum(last, end) - np.maximum(first, start) + 1, 0)
        total += overlap * table[key]
        covered += overlap
    span = np.maximum(last - first + 1, 0)
    return total, span - covered


def preset_codes(presets: Any, name: str = "late_interest_preset") -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
    """Preset codes (index into :data:`PRESETS`; -1 blank) and a reason per unknown name.

    >>> codes, why = preset_codes(["eu", "中小企业", "", "mars"])
    >>> codes.tolist(), why.tolist()[3]
    ([1, 3, -1, -1], "late_interest_preset must be one of custom, eu, uk, cn_sme, lpr; got 'mars'")
    """
    values = np.atleast_1d(np.asarray(presets, dtype=object))
    codes = np.full(values.shape, -1, dtype=np.int64)
    reasons = np.full(values.shape, None, dtype=object)
    uniques, inverse = np.unique(np.array(["" if pd.isna(v) else str(v).strip() for v in values], dtype=object),
                                 return_inverse=True)
    table = np.full(len(uniques), -1, dtype=np.int64)
    bad: dict[int, Message] = {}
    for k, text in enumerate(uniques):  # per distinct name, not per row
        key = _PRESET_ALIASES.get(text.lower(), _PRESET_ALIASES.get(text, text.lower()))
        if key in PRESETS:
            table[k] = PRESETS.index(key)
        elif text:
            bad[k] = Message("late.preset_choice", {"name": name, "choices": ", ".join(PRESETS),
                                                    "value": describe(text)})
    codes = table[inverse.reshape(values.shape)]
    for k, why in bad.items():
        reasons[inverse.reshape(values.shape) == k] = why
    return codes, reasons


def buyer_type_codes(values: Any, name: str = "buyer_type") -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
    """Buyer-type codes (index into :data:`BUYER_TYPES`; 0 blank) and a reason per value
    that is none of them.

    >>> codes, why = buyer_type_codes(["机关", "大型企业", None, "sme", "bank"])
    >>> codes.tolist(), why[4]
    ([1, 2, 0, 3, 0], "buyer_type must be 机关/事业单位, 大型企业 or 中小企业; got 'bank'")
    """
    arr = np.atleast_1d(np.asarray(values, dtype=object))
    texts = np.array(["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip() for v in arr],
                     dtype=object)
    uniques, inverse = np.unique(texts, return_inverse=True)
    table = np.array([_BUYER_ALIASES.get(u, _BUYER_ALIASES.get(u.lower(), 0)) for u in uniques], dtype=np.int64)
    codes = table[inverse]
    # one reason per distinct unknown value, spread to its rows by the inverse index
    why = np.array([Message("late.buyer_type_choice", {"name": name, "value": describe(u)}) if u and not t else None
                    for u, t in zip(uniques, table, strict=True)], dtype=object)
    reasons = np.asarray(why[inverse], dtype=object).reshape(arr.shape)
    return codes, reasons


def statutory_terms_days(buyer_type: Any, agreed_60: Any = False, *, seller_is_sme: bool = True) -> Any:
    """The longest payment term (days from delivery or acceptance) the SME payment
    regulation allows, per buyer type; NaN where it does not apply.

    Parameters
    ----------
    buyer_type : text or array of text
        机关/事业单位, 大型企业 or 中小企业 (English: public body, large enterprise, SME).
    agreed_60 : bool or array, optional
        TRUE where a 机关/事业单位 contract agrees 60 days in writing (the regulation's
        exception).
    seller_is_sme : bool
        The policy's seller size (``late_interest.seller_is_sme``): the regulation protects
        SME sellers only.

    Returns
    -------
    float or ndarray
        30 or 60 for a 机关/事业单位, 60 for a 大型企业, NaN for an SME buyer, a blank type,
        or a seller that is not an SME.

    References
    ----------
    保障中小企业款项支付条例 (国务院令第728号, 2025年3月17日国务院令第802号修订): 机关、事业单位
    自货物、工程、服务交付之日起30日内支付，合同另有约定的不超过60日；大型企业最长不超过60日。

    Examples
    --------
    We (an SME) sell to a city hospital, a state-owned group and a small trader: how long
    may each take at most?

    >>> statutory_terms_days(["事业单位", "大型企业", "中小企业"]).tolist()
    [30.0, 60.0, nan]
    >>> float(statutory_terms_days("机关", True))
    60.0
    """
    codes, reasons = buyer_type_codes(buyer_type)
    scalar = np.ndim(buyer_type) == 0
    agreed = np.broadcast_to(flags(agreed_60, "agreed_60"), codes.shape)
    days = np.select([codes == 1, codes == 2], [np.where(agreed, 60.0, 30.0), 60.0], default=np.nan)
    if not seller_is_sme:
        days = np.full(codes.shape, np.nan)
    days = np.where(pd.isna(reasons), days, np.nan)
    return float(days[0]) if scalar else days


def preset_interest(
    amount: npt.ArrayLike,
    due_date: Any,
    paid_or_as_of: Any,
    preset: Any = "custom",
    *,
    annual_rate: npt.ArrayLike | None = None,
    fixed_fee: npt.ArrayLike | None = None,
    policy: Policy = DEFAULT_POLICY,
    with_reasons: bool = False,
) -> Any:
    """Late interest plus fixed compensation under a legal preset.

    Parameters
    ----------
    amount : array_like
        Amount paid late or still open (>= 0), in the currency of the preset's fixed sum
        (EUR for ``eu``, GBP for ``uk``; give ``fixed_fee`` for other currencies).
    due_date, paid_or_as_of : date-like or arrays
        Due date; payment date, or the as-of date of an open item.
    preset : str or array of str
        ``custom``, ``eu``, ``uk``, ``cn_sme``, ``lpr`` (Chinese names accepted, e.g. 中小企业).
    annual_rate : array_like, optional
        An agreed yearly rate that replaces the preset's (NaN: the preset's own). Under
        ``cn_sme`` and ``lpr`` a rate below the one-year LPR is refused (NaN with a reason).
    fixed_fee : array_like, optional
        Replaces the preset's fixed sum (NaN: the preset's own).
    policy : Policy
        ``late_interest``: ``ecb_rates``, ``boe_rates``, ``lpr``, ``lpr_markup``,
        ``reference_rate``, ``margin``, ``fixed_fee``, ``day_basis``.

    Returns
    -------
    float or ndarray
        Interest plus fixed sum; 0 when not late; NaN with a reason where an input is
        missing or a reference rate is not in the table.

    Notes
    -----
    Days late ``d = paid_or_as_of - due_date``; interest is simple, from the day after
    the due date, ``amount x rate x d / basis``.

    - ``eu``: rate = ECB main refinancing rate of each half-year (reset on 1 January and
      1 July, so a delay across 1 July uses two rates) + ``margin``; 365-day basis; fixed
      EUR 40.
    - ``uk``: rate = Bank of England base rate of the half-year the debt became late
      (fixed for the whole delay) + 8 points; 365 days; fixed GBP 40 / 70 / 100 for a debt
      under 1,000 / under 10,000 / 10,000 or more.
    - ``cn_sme``: 0.05 % per day (每日万分之五), no fixed sum.
    - ``lpr``: one-year LPR x (1 + ``lpr_markup``), 365 days, no fixed sum.
    - ``custom``: the policy's ``reference_rate + margin`` and ``fixed_fee``.

    References
    ----------
    Directive 2011/7/EU, Art. 2(6)-(8), Art. 6. Late Payment of Commercial Debts (Interest)
    Act 1998, s. 4, s. 5A; Late Payment of Commercial Debts (Rate of Interest) (No. 3) Order
    2002. 保障中小企业款项支付条例 (2025年修订): 未约定逾期利息的，按每日利率万分之五支付；
    约定利率不得低于合同订立时一年期贷款市场报价利率.

    Examples
    --------
    A state-owned group pays our RMB 100,000 invoice 45 days late with no interest
    agreed: what does the SME regulation give?

    >>> float(preset_interest(100_000, "2025-09-30", "2025-11-14", "cn_sme"))
    2250.0

    A UK customer pays GBP 5,000 sixty days late in autumn 2025 (base rate 4.25 % on 30
    June 2025):

    >>> round(float(preset_interest(5_000, "2025-09-01", "2025-10-31", "uk")), 2)
    170.68
    """
    li = policy.late_interest
    amounts = floats(amount, "amount")
    codes, preset_why = preset_codes(preset, "preset")
    scalar = all(np.ndim(v) == 0 for v in (amount, due_date, paid_or_as_of, preset)) and (
        annual_rate is None or np.ndim(annual_rate) == 0) and (fixed_fee is None or np.ndim(fixed_fee) == 0)
    due = np.atleast_1d(day_numbers(due_date, "due_date"))
    paid = np.atleast_1d(day_numbers(paid_or_as_of, "paid_or_as_of"))
    agreed = np.atleast_1d(floats(np.nan if annual_rate is None else annual_rate, "annual_rate"))
    fee_in = np.atleast_1d(floats(np.nan if fixed_fee is None else fixed_fee, "fixed_fee"))
    try:
        amounts, due, paid, codes, preset_why, agreed, fee_in = np.broadcast_arrays(
            np.atleast_1d(amounts), due, paid, codes, preset_why, agreed, fee_in)
    except ValueError:
        raise InputError(Message("late.same_length")) from None
    codes = np.where(codes < 0, 0, codes)  # blank: custom
    reasons = np.array(preset_why, dtype=object, copy=True)
    for values, name in ((amounts, "amount"), (due, "due_date"), (paid, "paid_or_as_of")):
        reasons[np.isnan(values) & pd.isna(reasons)] = Message("late.missing", {"name": name})
    for values, name in ((np.nan_to_num(amounts), "amount"), (agreed, "annual_rate"), (fee_in, "fixed_fee")):
        reasons[(values < 0) & pd.isna(reasons)] = Message("late.negative", {"name": name})
    days = np.nan_to_num(paid - due)
    late = days > 0
    first, last = due + 1, paid
    basis = float(li.day_basis)
    eu, uk, cn, lpr = (codes == PRESETS.index(p) for p in ("eu", "uk", "cn_sme", "lpr"))

    # EU: rate per half-year across the delay
    ecb = half_year_rates(li.ecb_rates, "late_interest.ecb_rates")
    eu_sum, eu_gap = _rate_days(np.nan_to_num(first), np.nan_to_num(last), ecb)
    eu_interest = (eu_sum + li.margin * days) / 365.0
    # UK: rate of the half-year the debt became late, fixed
    boe = half_year_rates(li.boe_rates, "late_interest.boe_rates")
    uk_rate = _rate_on(np.nan_to_num(first), boe) + 0.08
    lpr_rate = li.lpr * (1.0 + li.lpr_markup)
    rate = np.select([uk, lpr], [uk_rate, lpr_rate], default=li.annual_rate)
    has_agreed = ~np.isnan(agreed)
    rate = np.where(has_agreed, agreed, rate)
    day_basis = np.where(uk | eu | lpr, 365.0, basis)
    interest = np.select(
        [has_agreed, eu, cn], [agreed * days / day_basis, eu_interest, _CN_DAILY_RATE * days],
        default=rate * days / day_basis,
    ) * np.nan_to_num(amounts)
    uk_fee = np.select([amounts < _UK_BANDS[0], amounts < _UK_BANDS[1]], _UK_SUMS[:2], default=_UK_SUMS[2])
    fee = np.select([eu, uk, cn | lpr], [40.0, uk_fee, 0.0], default=li.fixed_fee)
    fee = np.where(np.isnan(fee_in), fee, fee_in)

    missing_eu = eu & late & (eu_gap > 0) & ~has_agreed
    reasons[missing_eu & pd.isna(reasons)] = Message("late.no_ecb_rate")
    missing_uk = uk & late & np.isnan(uk_rate) & ~has_agreed
    reasons[missing_uk & pd.isna(reasons)] = Message("late.no_boe_rate")
    below = (cn | lpr) & has_agreed & (agreed < li.lpr)
    reasons[below & pd.isna(reasons)] = Message("late.below_lpr", {"lpr": f"{li.lpr:.2%}"})
    owed = late & (np.nan_to_num(amounts) > 0)
    result = np.where(owed, interest + fee, 0.0)
    bad = pd.notna(reasons)
    result = np.where(bad, np.nan, result)
    out: Any = float(result[0]) if scalar else result
    return (out, reasons) if with_reasons else out


def limitation_dates(
    due_date: Any,
    restart_dates: Any = None,
    international: Any = False,
) -> Any:
    """The day each claim becomes time-barred under the PRC Civil Code.

    Parameters
    ----------
    due_date : date-like or array
        Due date: the limitation period runs from the day after (the creditor knows of
        the non-payment).
    restart_dates : date-like, array, or a sequence of arrays, optional
        Evidence that restarts the period, per item: the date of a promise recorded from
        the buyer, the date a demand letter was sent (a Letters log). Several sources may
        be given as a list of arrays; the latest date on or after the due date counts.
        Blank: none.
    international : bool or array, optional
        TRUE for an international contract for the sale of goods (four years, 民法典 594).

    Returns
    -------
    ndarray of datetime64[D]
        The last day the claim can be brought; NaT where the due date is unknown.

    Notes
    -----
    ``start = max(due_date, latest restart)``; ``barred_on = start + 3 years`` (4 for
    international sales of goods), the same day of the year (29 February -> 28 February).
    A demand or a promise interrupts the period and it runs again in full (民法典 195).

    References
    ----------
    《中华人民共和国民法典》第188条 (三年), 第195条 (权利人向义务人提出履行请求、义务人同意履行义务的，
    诉讼时效中断，从中断时起重新计算), 第594条 (国际货物买卖合同 四年).

    Examples
    --------
    An invoice fell due on 15 March 2024; the buyer promised on 10 January 2025 to pay.
    When is the claim time-barred, and for an export sale without any promise?

    >>> [str(d) for d in limitation_dates(["2024-03-15", "2024-03-15"], [["2025-01-10", None]], [False, True])]
    ['2028-01-10', '2028-03-15']
    """
    due = np.atleast_1d(day_numbers(due_date, "due_date"))
    start = due.copy()
    if restart_dates is not None:
        sources = restart_dates if isinstance(restart_dates, list) and restart_dates and \
            np.ndim(restart_dates[0]) > 0 else [restart_dates]
        for src in sources:
            r = np.atleast_1d(day_numbers(src, "restart_dates"))
            r = np.broadcast_to(r, due.shape)
            start = np.where(np.nan_to_num(r, nan=-np.inf) > start, r, start)
    years = np.where(np.broadcast_to(flags(international, "international"), due.shape), 4, 3)
    known = ~np.isnan(start)
    base = np.where(known, start, 0).astype("int64").astype("datetime64[D]")
    y = base.astype("datetime64[Y]")
    month_start = base.astype("datetime64[M]")
    day_of_month = (base - month_start.astype("datetime64[D]")).astype(np.int64)
    month_of_year = (month_start - y.astype("datetime64[M]")).astype(np.int64)
    target_year = y + years.astype("timedelta64[Y]")
    target_month = target_year.astype("datetime64[M]") + month_of_year.astype("timedelta64[M]")
    month_len = ((target_month + 1).astype("datetime64[D]") - target_month.astype("datetime64[D]")).astype(np.int64)
    out = target_month.astype("datetime64[D]") + np.minimum(day_of_month, month_len - 1).astype("timedelta64[D]")
    out = np.where(known, out, np.datetime64("NaT"))
    return out
