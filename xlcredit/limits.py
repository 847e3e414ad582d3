"""Credit-limit advice: how much credit to give a buyer, on what terms, and who signs it.

The recommended limit is the smaller of what the buyer **needs** (the requested amount, or
expected sales over the payment terms plus a buffer) and what it can **carry** (per-band
shares of tangible net worth, working capital and revenue), adjusted by an insured limit
where the seller holds credit insurance, and rounded down. Everything is computed for whole
columns of buyers at once; the only loops run over the handful of risk bands.

Can we give a band-B buyer the 50,000 it asks for, with net worth 80,000 and turnover
700,000? (the published example of issue 2)

>>> credit_limit(60, 80_000, None, 700_000, requested=50_000)
28000.0
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.errors import InputError, describe
from xlcredit.policy import DEFAULT_POLICY, Policy

__all__ = [
    "DECISIONS",
    "band_of_score",
    "credit_limit",
    "recommend_limits",
]

#: Decision codes, from the most to the least favourable, with their texts.
DECISIONS: dict[str, tuple[str, str]] = {
    "approve": ("Approve", "批准"),
    "approve_reduced": ("Approve reduced limit", "批准（降低额度）"),
    "prepayment_or_guarantee": ("Prepayment or guarantee", "预付款或担保"),
    "suspend": ("Suspend credit", "暂停赊销"),
}

#: The capacity bases: (argument name, LimitRule attribute, English text, Chinese text).
_BASES: tuple[tuple[str, str, str, str], ...] = (
    ("equity", "tnw_share", "tangible net worth", "有形净资产"),
    ("working_capital", "working_capital_share", "working capital", "营运资金"),
    ("revenue", "revenue_share", "revenue", "营业收入"),
)

_TEXTS: dict[str, tuple[str, str]] = {
    "need_covered": ("capacity covers the need", "偿付能力足以覆盖需求"),
    "no_need": (
        "no requested amount or annual sales given: limit = capacity",
        "未提供申请额度或年销售额：额度 = 偿付能力",
    ),
    "no_basis": (
        "capacity unknown: equity, working capital and revenue are all blank",
        "偿付能力未知：净资产、营运资金和营业收入均为空",
    ),
    "band_max": ("capped at the band's maximum limit", "以该等级的最高额度为上限"),
    "insured_cap": ("capped at the insured limit", "以投保额度为上限"),
    "insured_extend": ("extended to the insured limit", "按投保额度提高"),
    "over_limit": ("current exposure exceeds the new limit", "当前敞口超过新额度"),
    "negative": ("no capacity: negative {basis}", "无偿付能力：{basis}为负"),
    "limited": ("limited by {share:g}% of {basis}", "受限于{basis}的{share:g}%"),
    "no_credit": (
        "band {band}: no credit (cash in advance or guarantee)",
        "{band}级：不赊销（预付款或担保）",
    ),
    "zero_share": ("band {band} gives no credit on {basis}", "{band}级不按{basis}授信"),
    "no_rating": ("score unknown: band {band}", "评分未知：{band}级"),
}


# Reason flags (bits), added after the main reason.
_NO_RATING, _NO_NEED, _INSURED_CAP, _INSURED_EXTEND, _OVER_LIMIT = 1, 2, 4, 8, 16


def _text(key: str, zh: bool, **fields: Any) -> str:
    return _TEXTS[key][1 if zh else 0].format(**fields)


def _as_floats(value: Any, name: str) -> npt.NDArray[np.float64]:
    """Numbers (or None for "not known") as a float array; text is refused by name."""
    if value is None:
        return np.array(np.nan)
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"{name} must be numbers (blank for unknown); got {describe(value)}. "
            "Convert Excel cells with xlcredit.excel_values.to_numbers first."
        ) from None


def _band_index(s: npt.NDArray[np.float64], policy: Policy) -> npt.NDArray[np.int64]:
    """Index into ``policy.score.band_names`` (best first, not rated last); -1 out of range."""
    with np.errstate(invalid="ignore"):
        outside = (s < 1) | (s > 100)
    return np.asarray(np.where(outside, -1, policy.score.band_codes(s)), dtype=np.int64)


def band_of_score(score: npt.ArrayLike, policy: Policy = DEFAULT_POLICY) -> npt.NDArray[np.object_]:
    """The risk band of each score (policy ``score.bands``); an unknown score is not rated.

    A score belongs to the best band whose ``min_score`` it reaches. NaN (unknown) gives the
    not-rated band (E); a score outside 1..100 gives ``None``.

    Parameters
    ----------
    score : array_like
        TradeScores, 1..100, higher is safer; NaN where unknown.
    policy : Policy, optional
        The credit policy (bands in ``policy.score.bands``).

    Returns
    -------
    numpy.ndarray of object
        Band names such as ``'A'``; a 0-d array for a scalar score.

    Examples
    --------
    Which band is a buyer scoring 60 in, and one with no score yet?

    >>> band_of_score([85, 60, 30, 29.5, float("nan")]).tolist()
    ['A', 'B', 'C', 'D', 'E']
    """
    s = _as_floats(score, "score")
    names = np.array([*policy.score.band_names, None], dtype=object)
    return np.asarray(names[_band_index(s, policy)], dtype=object)


def _round_down(x: npt.NDArray[np.float64], step: float) -> npt.NDArray[np.float64]:
    """Largest multiple of ``step`` that is <= x; x itself when step is 0 or x < step
    (a small positive limit is not rounded away to nothing)."""
    if step <= 0:
        return x
    with np.errstate(invalid="ignore"):
        k = np.floor(x / step)
        k = np.where((k + 1) * step <= x, k + 1, k)  # x / step fell just below a whole number
        down = k * step
        down = np.where(down > x, (k - 1) * step, down)
        return np.where(x < step, x, down)  # a positive amount below one step is kept


def recommend_limits(
    score: npt.ArrayLike,
    equity: npt.ArrayLike,
    working_capital: npt.ArrayLike,
    revenue: npt.ArrayLike,
    annual_sales: npt.ArrayLike | None = None,
    payment_terms_days: npt.ArrayLike | None = None,
    requested: npt.ArrayLike | None = None,
    insured_limit: npt.ArrayLike | None = None,
    current_exposure: npt.ArrayLike | None = None,
    policy: Policy = DEFAULT_POLICY,
    *,
    band: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Recommended credit limit, decision, terms and approval level for each buyer.

    Parameters
    ----------
    score : array_like
        TradeScore 1..100 (higher is safer); NaN (unknown) puts the buyer in band E.
    equity : array_like
        Tangible net worth (book equity less intangibles); NaN where unknown.
    working_capital : array_like
        Current assets less current liabilities; NaN where unknown.
    revenue : array_like
        Annual revenue (turnover); NaN where unknown.
    annual_sales : array_like, optional
        Expected sales to the buyer over a year; gives the need when ``requested`` is blank.
    payment_terms_days : array_like, optional
        Payment terms offered, in days (default ``policy.limits.default_payment_terms_days``).
    requested : array_like, optional
        The limit asked for; where given it is the need.
    insured_limit : array_like, optional
        Limit granted by the credit insurer; used per ``policy.limits.insured_limit_rule``.
    current_exposure : array_like, optional
        What the buyer owes now (open invoices, orders shipped); may be negative (credit).
    policy : Policy, optional
        The credit policy.
    band : array_like of str, optional
        Bands to use instead of the score's band where given (for example band E that the
        score gives a buyer whose data coverage is too low).

    Returns
    -------
    pandas.DataFrame
        One row per buyer: ``band``, ``need``, ``capacity``, ``limit``, ``insured_limit``,
        ``decision`` (code), ``decision_text``, ``approval_level``, ``terms_days``,
        ``exposure``, ``headroom``, ``over_limit``, ``reason``. Texts are in
        ``policy.language``. A row with impossible input has NaN amounts, no decision and
        the problem in ``reason``.

    Raises
    ------
    InputError
        When an argument is not numeric or the arguments' lengths do not broadcast.

    Notes
    -----
    need = requested, else annual_sales x (terms + need_buffer_days) / 365.

    capacity = min over the known bases of share(band) x basis, for tangible net worth,
    working capital and revenue (negative net worth or working capital gives 0), capped at
    the band's ``max_limit``; no known basis: capacity unknown and limit 0.

    limit = min(need, capacity) (capacity when need is unknown), then the insured limit:
    "cap" gives min(limit, insured), "extend" gives max(limit, min(insured, need)),
    "ignore" leaves it; finally rounded down to a multiple of ``round_to`` (an amount below
    one step is kept, so a small positive limit is never rounded to nothing). Amounts are
    first rounded to cents. The policy makes every share, maximum and term of a better band
    at least that of a worse one, so a better score never lowers the limit.

    Decision, in this order: ``suspend`` when current exposure exceeds the new limit and the
    band is the worst (not rated) or the limit is 0 on known financials;
    ``prepayment_or_guarantee`` when the limit is 0 (also when no financial basis is known:
    ask for statements); ``approve_reduced`` when the limit is below ``approve_share`` x the need
    (rounded down like the limit); else ``approve``.

    Recommended terms = the band's ``payment_terms_days``, never longer than the terms
    offered, and 0 (cash in advance) when the limit is 0. The approval level is the first
    of ``approval_levels`` whose ``up_to`` is >= the limit.

    References
    ----------
    Issue 2 of xlcredit (the published example: band B at 35 % of tangible net worth and
    5 % of turnover, need 50,000, net worth 80,000, turnover 700,000 -> 28,000).

    Examples
    --------
    A band-A buyer will buy 240,000 a year on 30 days; net worth 500,000, working capital
    150,000, revenue 2 million. What limit, and who signs it?

    >>> r = recommend_limits(80, 500_000, 150_000, 2_000_000, annual_sales=240_000,
    ...                      payment_terms_days=30)
    >>> print(r.loc[0, ["band", "need", "capacity", "limit", "decision", "approval_level",
    ...                 "terms_days"]].to_string())
    band                           A
    need                    39452.05
    capacity                 60000.0
    limit                    39000.0
    decision                 approve
    approval_level    Credit manager
    terms_days                  30.0

    Need = 240,000 x (30 + 30 buffer days) / 365; capacity = min(40 % x 500,000, 40 % x
    150,000, 8 % x 2,000,000) = 60,000; the 39,452.05 needed is rounded down to 39,000.
    """
    lp = policy.limits
    zh = policy.language == "zh-CN"
    args = {
        "score": _as_floats(score, "score"),
        "equity": _as_floats(equity, "equity"),
        "working_capital": _as_floats(working_capital, "working_capital"),
        "revenue": _as_floats(revenue, "revenue"),
        "annual_sales": _as_floats(annual_sales, "annual_sales"),
        "payment_terms_days": _as_floats(payment_terms_days, "payment_terms_days"),
        "requested": _as_floats(requested, "requested"),
        "insured_limit": _as_floats(insured_limit, "insured_limit"),
        "current_exposure": _as_floats(current_exposure, "current_exposure"),
    }
    band_given = None if band is None else np.asarray(band, dtype=object)
    shapes = [a.shape for a in args.values()] + ([band_given.shape] if band_given is not None else [])
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        sizes = ", ".join(f"{k} {v.size}" for k, v in args.items() if v.ndim)
        raise InputError(
            f"arguments must have one value or the same number of rows; got {sizes}."
        ) from None
    a = {k: np.broadcast_to(v, shape).ravel() for k, v in args.items()}
    n = a["score"].size

    # ------------------------------------------------------------- per-buyer problems
    problem = np.full(n, None, dtype=object)
    bad = np.zeros(n, dtype=bool)

    def flag(mask: npt.NDArray[np.bool_], field: str, rule: str) -> None:
        todo = mask & ~bad
        if todo.any():  # messages for the rejected rows only
            problem[todo] = [f"{field} must be {rule}; got {describe(float(v))}" for v in a[field][todo]]
            bad[todo] = True

    with np.errstate(invalid="ignore"):
        for field, values in a.items():
            flag(np.isinf(values), field, "a finite number")
        flag((a["score"] < 1) | (a["score"] > 100), "score", "from 1 to 100 (blank if unknown)")
        for field in ("revenue", "annual_sales", "requested", "insured_limit"):
            flag(a[field] < 0, field, ">= 0")
        flag(a["payment_terms_days"] < 0, "payment_terms_days", ">= 0")

    # ------------------------------------------------------------- band (as an index)
    band_names = policy.score.band_names  # best first, not rated last
    worst = len(band_names) - 1
    bidx = _band_index(a["score"], policy)
    if band_given is not None:
        given = pd.Series(np.broadcast_to(band_given, shape).ravel(), dtype=object)
        try:
            text = given.str.strip()  # NaN for what is not text
        except AttributeError:  # no text at all
            text = pd.Series(np.full(n, None, dtype=object), dtype=object)
        known = (text.notna() & (text != "")).to_numpy()
        mapped = text.map({b: i for i, b in enumerate(band_names)}).to_numpy(dtype=float)
        wrong = known & np.isnan(mapped)
        if wrong.any():
            raise InputError(
                f"band must be one of {', '.join(band_names)} (or blank); "
                f"got {describe(text[wrong].iloc[0])}."
            )
        bidx = np.where(known, np.nan_to_num(mapped).astype(np.int64), bidx)
    bidx = np.where(bad, -1, bidx)

    # ------------------------------------------------------------- need
    terms = np.where(np.isnan(a["payment_terms_days"]), lp.default_payment_terms_days, a["payment_terms_days"])
    need = np.where(
        ~np.isnan(a["requested"]),
        a["requested"],
        a["annual_sales"] * (terms + lp.need_buffer_days) / 365.0,
    )
    need = np.asarray(np.round(need, 2), dtype=np.float64)
    need_known = ~np.isnan(need)

    # ------------------------------------------------------------- capacity, per band
    # Reasons are built as small integer codes and turned into text once per distinct code.
    phrases: list[str] = [""]

    def code(phrase: str) -> int:
        if phrase not in phrases:
            phrases.append(phrase)
        return phrases.index(phrase)

    capacity = np.full(n, np.nan)
    terms_band = np.full(n, np.nan)
    primary = np.zeros(n, dtype=np.int64)  # which basis binds
    basis_values = [a[name] for name, *_ in _BASES]
    known_basis = np.zeros(n, dtype=bool)
    for v in basis_values:
        known_basis |= ~np.isnan(v)
    for b, band_name in enumerate(band_names):
        in_band = bidx == b
        if not in_band.any():
            continue
        rule = lp.rule(band_name)
        shares = [float(getattr(rule, attr)) for _name, attr, *_t in _BASES]
        amounts = []
        for (name, *_rest), v, share in zip(_BASES, basis_values, shares, strict=True):
            sub = v[in_band]
            with np.errstate(invalid="ignore"):
                base = np.where(sub < 0, 0.0, sub) if name != "revenue" else sub
            amounts.append(np.round(share * base, 2))
        stack = np.vstack(amounts)
        smallest = np.fmin.reduce(stack, axis=0)  # NaN (unknown) bases are ignored
        cap = np.fmin(smallest, rule.max_limit) if math.isfinite(rule.max_limit) else smallest
        capacity[in_band] = cap
        terms_band[in_band] = rule.payment_terms_days
        which = np.argmin(np.where(np.isnan(stack), np.inf, stack), axis=0)
        codes = []
        for (_name, _attr, en, zh_name), share in zip(_BASES, shares, strict=True):
            basis = zh_name if zh else en
            if not any(shares):
                codes.append(code(_text("no_credit", zh, band=band_name)))
            elif share == 0:
                codes.append(code(_text("zero_share", zh, band=band_name, basis=basis)))
            else:
                codes.append(code(_text("limited", zh, share=share * 100, basis=basis)))
        band_codes = np.array(codes, dtype=np.int64)[which]
        if any(shares):
            for j, (name, _attr, en, zh_name) in enumerate(_BASES):
                if name != "revenue":
                    with np.errstate(invalid="ignore"):
                        neg = (which == j) & (basis_values[j][in_band] < 0)
                    band_codes[neg] = code(_text("negative", zh, basis=zh_name if zh else en))
        if math.isfinite(rule.max_limit):
            band_codes[cap < smallest] = code(_text("band_max", zh))
        primary[in_band] = band_codes
    capacity[bad] = np.nan

    # ------------------------------------------------------------- limit
    raw = np.where(need_known, np.fmin(need, capacity), capacity)
    raw = np.where(np.isnan(capacity), 0.0, raw)  # capacity unknown: nothing on credit
    with np.errstate(invalid="ignore"):
        covered = need_known & (need <= capacity)
    primary = np.where(covered, code(_text("need_covered", zh)), primary)
    primary = np.where(known_basis, primary, code(_text("no_basis", zh)))
    flags = np.zeros(n, dtype=np.int64)
    flags |= np.where((bidx == worst) & np.isnan(a["score"]), _NO_RATING, 0)
    flags |= np.where(~need_known & known_basis, _NO_NEED, 0)

    insured = np.asarray(np.round(a["insured_limit"], 2), dtype=np.float64)
    has_ins = ~np.isnan(insured)
    if lp.insured_limit_rule == "cap":
        capped = has_ins & (insured < raw)
        raw = np.where(capped, insured, raw)
        flags |= np.where(capped, _INSURED_CAP, 0)
    elif lp.insured_limit_rule == "extend":
        ext_to = np.where(need_known, np.fmin(insured, need), insured)
        extended = has_ins & (ext_to > raw)
        raw = np.where(extended, ext_to, raw)
        flags |= np.where(extended, _INSURED_EXTEND, 0)
    limit = _round_down(raw, lp.round_to)
    limit[bad] = np.nan

    # ------------------------------------------------------------- exposure, decision
    exposure = a["current_exposure"]
    with np.errstate(invalid="ignore"):
        headroom = limit - exposure
        over = np.where(np.isnan(headroom), np.nan, np.fmax(exposure - limit, 0.0))
        is_over = exposure > limit
        need_r = _round_down(need, lp.round_to)
        reduced = need_known & (limit < lp.approve_share * need_r)
        # A limit of 0 for want of statements is no verdict on the buyer: ask for them
        # (prepayment or guarantee meanwhile) rather than suspend a buyer that may pay well.
        suspend = is_over & ((bidx == worst) | ((limit == 0) & known_basis))
    flags |= np.where(is_over, _OVER_LIMIT, 0)
    codes_list = list(DECISIONS)
    dec_idx = np.select(
        [bad, suspend, limit == 0, reduced],
        [len(codes_list), codes_list.index("suspend"), codes_list.index("prepayment_or_guarantee"),
         codes_list.index("approve_reduced")],
        default=codes_list.index("approve"),
    )
    decision = np.array([*codes_list, None], dtype=object)[dec_idx]
    dec_text = np.array([*(t[1] if zh else t[0] for t in DECISIONS.values()), None], dtype=object)[dec_idx]

    ups = np.array([lvl.up_to for lvl in lp.approval_levels], dtype=float)
    level_names = np.array(
        [*(lvl.level_zh if zh else lvl.level_en for lvl in lp.approval_levels), None], dtype=object
    )
    with np.errstate(invalid="ignore"):
        lvl_idx = np.searchsorted(ups, limit, side="left")
    approval = level_names[np.where(np.isnan(limit), len(ups), lvl_idx)]

    offered = a["payment_terms_days"]
    rec_terms = np.where(np.isnan(offered), terms_band, np.fmin(terms_band, offered))
    rec_terms = np.where(limit == 0, 0.0, rec_terms)
    rec_terms[bad] = np.nan

    # ------------------------------------------------------------- reason texts
    key = primary * (2 * _OVER_LIMIT) + flags
    present = np.zeros(len(phrases) * 2 * _OVER_LIMIT, dtype=bool)
    present[key] = True
    distinct = np.flatnonzero(present)  # the few reasons that occur (no sort of n keys)
    lookup = np.zeros(present.size, dtype=np.int64)
    lookup[distinct] = np.arange(distinct.size)
    inverse = lookup[key]
    sep = "；" if zh else "; "
    texts = []
    for k in distinct.tolist():  # one per distinct reason, not per buyer
        p, f = divmod(k, 2 * _OVER_LIMIT)
        parts = [_text("no_rating", zh, band=band_names[worst])] if f & _NO_RATING else []
        parts += [phrases[p]] if phrases[p] else []
        for bit, name in ((_NO_NEED, "no_need"), (_INSURED_CAP, "insured_cap"),
                          (_INSURED_EXTEND, "insured_extend"), (_OVER_LIMIT, "over_limit")):
            if f & bit:
                parts.append(_text(name, zh))
        texts.append(sep.join(parts))
    reason = np.array(texts, dtype=object)[inverse] if n else np.array([], dtype=object)
    reason[bad] = problem[bad]
    bands = np.array([*band_names, None], dtype=object)[bidx]
    return pd.DataFrame(
        {
            "band": bands,
            "need": np.where(bad, np.nan, need),
            "capacity": capacity,
            "limit": limit,
            "insured_limit": np.where(bad, np.nan, insured),
            "decision": decision,
            "decision_text": dec_text,
            "approval_level": approval,
            "terms_days": rec_terms,
            "exposure": exposure,
            "headroom": np.where(bad, np.nan, headroom),
            "over_limit": np.where(bad, np.nan, over),
            "reason": reason,
        }
    )


def credit_limit(
    score: npt.ArrayLike,
    equity: npt.ArrayLike,
    working_capital: npt.ArrayLike,
    revenue: npt.ArrayLike,
    annual_sales: npt.ArrayLike | None = None,
    payment_terms_days: npt.ArrayLike | None = None,
    requested: npt.ArrayLike | None = None,
    insured_limit: npt.ArrayLike | None = None,
    current_exposure: npt.ArrayLike | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> float | npt.NDArray[np.float64]:
    """The recommended credit limit only: a float for scalar inputs, else an array.

    Same arguments and method as :func:`recommend_limits`; NaN where the input of that buyer
    is impossible (the reason is in ``recommend_limits(...)["reason"]``).

    Parameters
    ----------
    score, equity, working_capital, revenue, annual_sales, payment_terms_days, requested, \
insured_limit, current_exposure, policy
        As in :func:`recommend_limits`.

    Returns
    -------
    float or numpy.ndarray
        The limit, rounded down per ``policy.limits.round_to``.

    Notes
    -----
    limit = round_down(min(need, capacity)), adjusted by the insured limit; see
    :func:`recommend_limits`.

    References
    ----------
    Issue 2 of xlcredit (band B: 35 % of tangible net worth, 5 % of turnover).

    Examples
    --------
    Three buyers asking for 50,000 each: a strong one, the issue's band-B buyer, and one
    we cannot rate. How much credit does each get?

    >>> credit_limit([85, 60, float("nan")], 80_000, None, 700_000, requested=50_000).tolist()
    [32000.0, 28000.0, 0.0]
    """
    frame = recommend_limits(
        score, equity, working_capital, revenue, annual_sales, payment_terms_days,
        requested, insured_limit, current_exposure, policy,
    )
    values = frame["limit"].to_numpy(dtype=float)
    scalar = all(
        v is None or np.ndim(v) == 0
        for v in (score, equity, working_capital, revenue, annual_sales, payment_terms_days,
                  requested, insured_limit, current_exposure)
    )
    return float(values[0]) if scalar else values
