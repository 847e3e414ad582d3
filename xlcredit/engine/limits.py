"""Credit-limit advice: how much credit to give a buyer, on what terms, and who signs it.

The recommended limit is the smaller of what the buyer **needs** (the requested amount, or
expected sales over the payment terms plus a buffer) and what it can **carry** (per-band
shares of net worth, working capital and revenue), adjusted by an insured limit
where the seller holds credit insurance, and rounded down. Everything is computed for whole
columns of buyers at once (in cache-sized blocks); no loop runs over buyers.

Can we give a band-B buyer the 50,000 it asks for, with net worth 80,000 and turnover
700,000? (the published example of issue 2)

>>> credit_limit(60, 80_000, None, 700_000, requested=50_000)
28000.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, describe
from xlcredit.engine.policy import DEFAULT_POLICY, LimitPolicy, Policy
from xlcredit.engine.values import floats
from xlcredit.messages import Message, pair
from xlcredit.messages import text as catalogue_text
from xlcredit.messages.rows import rows_text

__all__ = [
    "DECISIONS",
    "band_of_score",
    "credit_limit",
    "recommend_limits",
]

#: Decision codes, from the most to the least favourable, with their texts (the decisions' own).
DECISIONS: dict[str, tuple[str, str]] = {
    code: pair(f"decision.{code}") for code in ("approve", "approve_reduced", "prepayment_or_guarantee", "suspend")
}

#: The capacity bases: (argument name, LimitRule attribute, English text, Chinese text).
_BASES: tuple[tuple[str, str, str, str], ...] = tuple(
    (name, attr, *pair(f"limits.basis_{name}")) for name, attr in (
        ("equity", "tnw_share"),
        ("working_capital", "working_capital_share"),
        ("revenue", "revenue_share"),
    )
)

_TEXTS: dict[str, tuple[str, str]] = {
    key: pair(f"limits.{key}") for key in (
        "need_covered",
        "no_need",
        "no_basis",
        "band_max",
        "insured_cap",
        "insured_extend",
        "over_limit",
        "negative",
        "limited",
        "no_credit",
        "zero_share",
        "no_rating",
    )
}


# Reason flags (bits), added after the main reason.
_NO_RATING, _NO_NEED, _INSURED_CAP, _INSURED_EXTEND, _OVER_LIMIT = 1, 2, 4, 8, 16


def _text(key: str, zh: bool, **fields: Any) -> str:
    return _TEXTS[key][1 if zh else 0].format(**fields)


def _as_floats(value: Any, name: str) -> npt.NDArray[np.float64]:
    """Numbers (or None for "not known") as a float array; text is refused by name."""
    return floats(value, name)


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
        k += (k + 1) * step <= x  # x / step fell just below a whole number
        down = k * step
        above = np.flatnonzero(down > x)  # k x step rounded up past x (rare)
        down[above] = (k[above] - 1) * step
        np.copyto(down, x, where=x < step)  # a positive amount below one step is kept
        return down


def _text_column(choices: Sequence[str | None], codes: npt.NDArray[np.intp]) -> Any:
    """``choices[codes]`` as the column pandas would build from those Python strings.

    pandas would check a million cells one by one; here the few choices are converted once
    and repeated by ``take``. The dtype is the one pandas infers from the choices that
    occur (its ``str`` dtype; object when none is text, as for no rows at all).
    """
    values = np.array(choices, dtype=object)
    used = np.bincount(codes, minlength=values.size) > 0
    dtype = pd.Series(values[used]).dtype
    if isinstance(dtype, np.dtype):  # object: no text at all
        return values[codes]
    return pd.Series(values, dtype=dtype).array.take(codes)


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
        Net worth (book equity: total assets less total liabilities; intangibles are not
        deducted); NaN where unknown.
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

    capacity = min over the known bases of share(band) x basis, for net worth,
    working capital and revenue (negative net worth gives 0; so does negative working capital,
    except in ``negative_wc_ignored_to_band`` and better bands, where it is left out), capped at
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
    Issue 2 of xlcredit (the published example: band B at 35 % of net worth and
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
        raise InputError(Message("limits.shapes", {"sizes": sizes})) from None
    # Views, not copies: a value given once (or left out) stays one value for every row.
    a = {k: np.broadcast_to(v, shape).reshape(-1) for k, v in args.items()}
    n = a["score"].size

    # ------------------------------------------------------------- per-buyer problems
    bad = np.zeros(n, dtype=bool)
    bad_rows: list[npt.NDArray[np.intp]] = []  # the rejected rows and their messages
    messages: list[str] = []

    lang = "zh-CN" if zh else "en"

    def flag(mask: npt.NDArray[np.bool_], field: str, rule: str) -> None:
        if not mask.any():  # the usual case: nothing to reject
            return
        todo = np.flatnonzero(mask & ~bad)  # the first problem of a row is the one reported
        if todo.size:
            bad_rows.append(todo)
            got = np.char.mod("%g", a[field][todo]).astype(object)  # as describe() shows a number
            messages.extend(rows_text("limits.bad_input", lang, field=field,
                                      rule=catalogue_text(f"limits.rule.{rule}", lang), value=got))
            bad[todo] = True

    with np.errstate(invalid="ignore"):
        for field, values in a.items():
            flag(np.isinf(values), field, "finite")
        flag((a["score"] < 1) | (a["score"] > 100), "score", "score")
        for field in ("revenue", "annual_sales", "requested", "insured_limit"):
            flag(a[field] < 0, field, "non_negative")
        flag(a["payment_terms_days"] < 0, "payment_terms_days", "non_negative")

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
            raise InputError(Message("limits.bad_band", {
                "bands": ", ".join(band_names), "value": describe(text[wrong].iloc[0])}))
        bidx = np.where(known, np.nan_to_num(mapped).astype(np.int64), bidx)
    bidx[bad] = worst + 1  # the row of rejected buyers in the tables below (no band)

    # ------------------------------------------------------------- per-band tables
    # Each buyer's rule is looked up by band in small tables; their last row is for
    # rejected rows, whose amounts are unknown.
    rules = [lp.rule(b) for b in band_names]
    shares = np.array([[float(getattr(r, attr)) for _name, attr, *_t in _BASES] for r in rules]
                      + [[np.nan] * len(_BASES)])
    basis_texts = [zh_name if zh else en for _name, _attr, en, zh_name in _BASES]
    # Reasons are built as small integer codes and turned into text once per distinct code.
    phrases: list[str] = [""]

    def code(phrase: str) -> int:
        if phrase not in phrases:
            phrases.append(phrase)
        return phrases.index(phrase)

    binding = np.zeros(shares.shape, dtype=np.intp)  # band x basis: the basis that binds
    for b, (band_name, rule_shares) in enumerate(zip(band_names, shares[:-1].tolist(), strict=True)):
        for j, (share, basis) in enumerate(zip(rule_shares, basis_texts, strict=True)):
            if not any(rule_shares):
                binding[b, j] = code(_text("no_credit", zh, band=band_name))
            elif share == 0:
                binding[b, j] = code(_text("zero_share", zh, band=band_name, basis=basis))
            else:
                binding[b, j] = code(_text("limited", zh, share=share * 100, basis=basis))
    tables = _Tables(
        shares=shares,
        # A band's maximum applies only where it is finite (NaN here: fmin ignores it).
        max_limit=np.array([r.max_limit if math.isfinite(r.max_limit) else np.nan for r in rules] + [np.nan]),
        terms=np.array([float(r.payment_terms_days) for r in rules] + [np.nan]),
        gives_credit=np.nan_to_num(shares).any(axis=1),
        binding=binding,
        negative=[code(_text("negative", zh, basis=t)) if name != "revenue" else 0
                  for (name, *_r), t in zip(_BASES, basis_texts, strict=True)],
        band_max=code(_text("band_max", zh)),
        need_covered=code(_text("need_covered", zh)),
        no_basis=code(_text("no_basis", zh)),
        ignore_negative_wc=np.array(
            [lp.negative_wc_ignored_to_band != "" and i <= band_names.index(lp.negative_wc_ignored_to_band)
             if lp.negative_wc_ignored_to_band in band_names else False
             for i in range(len(band_names))] + [False]),
    )

    # ------------------------------------------------------------- amounts, block by block
    # Blocks small enough to stay in the processor's cache: the ~50 steps per buyer reuse
    # the same few hundred kilobytes instead of streaming 8 MB arrays through memory.
    out = {name: np.empty(n) for name in _AMOUNT_COLUMNS}
    codes = {name: np.empty(n, dtype=np.intp) for name in ("decision", "approval_level", "reason")}
    for lo in range(0, n, _BLOCK):
        part = slice(lo, min(lo + _BLOCK, n))
        block = _limit_block({k: v[part] for k, v in a.items()}, bidx[part], bad[part], tables, lp, worst)
        for name, values in block.items():
            (out[name] if name in out else codes[name])[part] = values

    # ------------------------------------------------------------- texts
    key = codes["reason"]
    present = np.zeros(len(phrases) * 2 * _OVER_LIMIT, dtype=bool)
    present[key] = True
    distinct = np.flatnonzero(present)  # the few reasons that occur (no sort of n keys)
    lookup = np.zeros(present.size, dtype=np.intp)
    lookup[distinct] = np.arange(distinct.size)
    sep = catalogue_text("refresh.list_sep", "zh-CN" if zh else "en")
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
    reason = _text_column(texts, lookup.take(key))
    if bad_rows:  # impossible input: the problem is the reason
        reason[np.concatenate(bad_rows)] = messages
    decisions = list(DECISIONS)
    decision_texts = [t[1] if zh else t[0] for t in DECISIONS.values()]
    levels = [lvl.level_zh if zh else lvl.level_en for lvl in lp.approval_levels]
    # Every column is a fresh array of this call: the frame need not copy them.
    return pd.DataFrame(
        {
            "band": _text_column([*band_names, None], bidx),
            "need": out["need"],
            "capacity": out["capacity"],
            "limit": out["limit"],
            "insured_limit": out["insured_limit"],
            "decision": _text_column([*decisions, None], codes["decision"]),
            "decision_text": _text_column([*decision_texts, None], codes["decision"]),
            "approval_level": _text_column([*levels, None], codes["approval_level"]),
            "terms_days": out["terms_days"],
            "exposure": out["exposure"],
            "headroom": out["headroom"],
            "over_limit": out["over_limit"],
            "reason": reason,
        },
        copy=False,
    )


class _Tables(NamedTuple):
    """Per-band lookups of :func:`recommend_limits` (one row per band, then rejected)."""

    shares: npt.NDArray[np.float64]  # band x basis
    max_limit: npt.NDArray[np.float64]  # NaN: no maximum
    terms: npt.NDArray[np.float64]
    gives_credit: npt.NDArray[np.bool_]
    binding: npt.NDArray[np.intp]  # band x basis: reason code when that basis binds
    negative: list[int]  # per basis: reason code when it binds and is negative
    band_max: int
    need_covered: int
    no_basis: int
    ignore_negative_wc: npt.NDArray[np.bool_]  # per band: negative working capital left out


#: Amount columns of :func:`recommend_limits` computed per block.
_AMOUNT_COLUMNS = ("need", "capacity", "limit", "insured_limit", "terms_days", "exposure",
                   "headroom", "over_limit")
#: Buyers per block of :func:`recommend_limits` (fits the processor's cache).
_BLOCK = 16_384


@np.errstate(over="ignore", invalid="ignore")
def _limit_block(
    a: dict[str, npt.NDArray[np.float64]],
    bidx: npt.NDArray[np.intp],
    bad: npt.NDArray[np.bool_],
    t: _Tables,
    lp: LimitPolicy,
    worst: int,
) -> dict[str, npt.NDArray[Any]]:
    """Amounts, decision and reason codes of one block of buyers (see recommend_limits).

    NaN (unknown) fails every comparison, as meant; an amount near the float limit (1e306)
    overflows to infinity when rounded to cents: numpy's warnings about either are silenced.
    """
    # ------------------------------------------------------------- need
    terms = np.where(np.isnan(a["payment_terms_days"]), lp.default_payment_terms_days, a["payment_terms_days"])
    need = np.where(
        ~np.isnan(a["requested"]),
        a["requested"],
        a["annual_sales"] * (terms + lp.need_buffer_days) / 365.0,
    )
    np.round(need, 2, out=need)
    need_known = ~np.isnan(need)

    # ------------------------------------------------------------- capacity
    basis_values = [a[name] for name, *_ in _BASES]
    # Negative working capital in a good band is left out (unknown), not zero capacity.
    wc = basis_values[1]
    basis_values[1] = np.where((wc < 0) & t.ignore_negative_wc.take(bidx), np.nan, wc)
    amounts = []
    for j, ((name, *_rest), v) in enumerate(zip(_BASES, basis_values, strict=True)):
        base = np.where(v < 0, 0.0, v) if name != "revenue" else v  # no capacity below 0
        amount = t.shares[:, j].take(bidx) * base
        amounts.append(np.round(amount, 2, out=amount))
    smallest = amounts[0]
    for amount in amounts[1:]:
        smallest = np.fmin(smallest, amount)  # NaN (unknown) bases are ignored
    capped_bands = not np.isnan(t.max_limit).all()
    capacity = np.fmin(smallest, t.max_limit.take(bidx)) if capped_bands else smallest
    if capped_bands:  # no known basis: capacity unknown, whatever the band's maximum
        capacity[np.isnan(smallest)] = np.nan
    known_basis = ~np.isnan(basis_values[0])
    for v in basis_values[1:]:
        known_basis |= ~np.isnan(v)

    # Reason: the basis that binds, the first whose amount is the smallest (0 if none known).
    which = np.zeros(bidx.size, dtype=np.intp)
    for j in reversed(range(len(amounts))):
        np.copyto(which, j, where=amounts[j] == smallest)
    primary = t.binding.ravel().take(bidx * len(_BASES) + which)
    gives_credit = t.gives_credit.take(bidx)
    for j, (name, *_rest) in enumerate(_BASES):
        if name != "revenue":
            neg = (which == j) & (basis_values[j] < 0) & gives_credit
            np.copyto(primary, t.negative[j], where=neg)
    if capped_bands:
        np.copyto(primary, t.band_max, where=capacity < smallest)

    # ------------------------------------------------------------- limit
    raw = np.fmin(need, capacity)  # capacity where the need is unknown
    raw[np.isnan(capacity)] = 0.0  # capacity unknown: nothing on credit
    np.copyto(primary, t.need_covered, where=need <= capacity)  # False if either unknown
    np.copyto(primary, t.no_basis, where=~known_basis)
    flags = np.zeros(bidx.size, dtype=np.intp)
    np.bitwise_or(flags, _NO_RATING, out=flags, where=(bidx == worst) & np.isnan(a["score"]))
    np.bitwise_or(flags, _NO_NEED, out=flags, where=~need_known & known_basis)

    insured = np.round(a["insured_limit"], 2)
    has_ins = ~np.isnan(insured)
    if lp.insured_limit_rule == "cap" and has_ins.any():
        capped = insured < raw  # False where there is no insured limit
        np.copyto(raw, insured, where=capped)
        np.bitwise_or(flags, _INSURED_CAP, out=flags, where=capped)
    elif lp.insured_limit_rule == "extend" and has_ins.any():
        ext_to = np.fmin(insured, need)  # the insured limit where the need is unknown
        extended = has_ins & (ext_to > raw)
        np.copyto(raw, ext_to, where=extended)
        np.bitwise_or(flags, _INSURED_EXTEND, out=flags, where=extended)
    limit = _round_down(raw, lp.round_to)
    limit[bad] = np.nan

    # ------------------------------------------------------------- exposure, decision
    exposure = a["current_exposure"]
    headroom = limit - exposure
    over = np.fmax(exposure - limit, 0.0)
    over[np.isnan(headroom)] = np.nan
    is_over = exposure > limit
    need_r = _round_down(need, lp.round_to)
    reduced = limit < lp.approve_share * need_r  # False where the need is unknown
    # A limit of 0 for want of statements is no verdict on the buyer: ask for them
    # (prepayment or guarantee meanwhile) rather than suspend a buyer that may pay well.
    no_limit = limit == 0
    suspend = is_over & ((bidx == worst) | (no_limit & known_basis))
    np.bitwise_or(flags, _OVER_LIMIT, out=flags, where=is_over)
    decisions = list(DECISIONS)
    # The first that applies wins: rejected, suspend, prepayment, reduced, else approve.
    decision = np.full(bidx.size, decisions.index("approve"), dtype=np.intp)
    np.copyto(decision, decisions.index("approve_reduced"), where=reduced)
    np.copyto(decision, decisions.index("prepayment_or_guarantee"), where=no_limit)
    np.copyto(decision, decisions.index("suspend"), where=suspend)
    np.copyto(decision, len(decisions), where=bad)

    # Approval level: the first whose up_to is >= the limit (what searchsorted gives, but
    # a handful of comparisons is quicker); none for an unknown limit.
    levels = [lvl.up_to for lvl in lp.approval_levels]
    level = np.zeros(bidx.size, dtype=np.intp)
    for up in levels:
        level += limit > up
    level[np.isnan(limit)] = len(levels)

    # Recommended terms: the band's, never longer than offered; cash in advance at limit 0.
    rec_terms = np.fmin(t.terms.take(bidx), a["payment_terms_days"])  # the band's if none offered
    rec_terms[no_limit] = 0.0
    for values in (need, insured, rec_terms, headroom, over):
        values[bad] = np.nan  # impossible input: no amounts
    return {
        "need": need, "capacity": capacity, "limit": limit, "insured_limit": insured,
        "terms_days": rec_terms, "exposure": exposure, "headroom": headroom, "over_limit": over,
        "decision": decision, "approval_level": level, "reason": primary * (2 * _OVER_LIMIT) + flags,
    }


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
    Issue 2 of xlcredit (band B: 35 % of net worth, 5 % of turnover).

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
