"""Buyer decisions: what to do with each buyer's credit, who signs it, and why.

The limit engine (:mod:`xlcredit.engine.limits`) says how much credit a buyer can carry
from its statements; this module weighs that against what the ledger says today (overdue
money at the stop-supply or legal step, broken promises, disputes), the security and
insurance held, data problems and manual overrides, and returns one decision per buyer with
the action that goes with it, the approval level, the recommended terms, the next review
date and the rule that decided, in English and Chinese. The rules are tried in the order of
the precedence table of docs/limits.md; the first that applies decides. Every
(decision, action) pair is in :data:`ALLOWED`.

A band-A buyer recommended 2.6 million but owing 404,876 at the collection-agency step
(the demo buyer of issue 10) is not approved:

>>> r = decide_buyers(band="A", limit=2_600_000, need=2_600_000, exposure=1_200_000,
...                   overdue=404_876, worst_step=6, hold_overdue=404_876, suspend_overdue=404_876)
>>> r.loc[0, ["decision", "action", "approval_level", "rule"]].tolist()
['suspend', 'legal', 'Credit committee', 'suspend_step']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, describe
from xlcredit.engine.ledger import Position
from xlcredit.engine.policy import DEFAULT_POLICY, Policy
from xlcredit.messages import Message, pair, text
from xlcredit.messages.rows import fill_rows, rows_text

__all__ = [
    "ACTIONS",
    "ALLOWED",
    "DECISIONS",
    "HOLD_DECISIONS",
    "RULES",
    "SINCE_BASES",
    "add_months",
    "decide_buyers",
    "experience_limit",
    "hold_since",
    "overdue_by_step",
    "payment_history",
]

FloatArray = npt.NDArray[np.float64]

#: Decision codes, most to least favourable, with their English and Chinese texts.
DECISIONS: dict[str, tuple[str, str]] = {
    code: pair(f"decision.{code}")
    for code in ("approve", "approve_reduced", "hold", "prepayment_or_guarantee", "suspend")
}

#: The decisions that stop deliveries on credit: the Credit hold sheet lists these buyers.
HOLD_DECISIONS: tuple[str, ...] = ("hold", "suspend")

#: How the "since" date of a hold is known (:func:`hold_since`).
SINCE_BASES: tuple[str, ...] = ("step", "promise", "unknown")

#: Action codes and texts ({step}, {who}, {until} filled in per buyer).
ACTIONS: dict[str, tuple[str, str]] = {
    code: pair(f"decision.action.{code}")
    for code in ("ok", "review", "collect", "resolve_dispute", "reduce_limit", "reduce_exposure", "secured_only",
                 "get_statements", "ask_security", "fix_data", "stop_supply", "legal", "suspend", "override")
}

#: The allowed (decision, action) pairs: docs/limits.md prints this table.
ALLOWED: dict[str, frozenset[str]] = {
    "approve": frozenset({"ok", "review", "collect", "resolve_dispute", "override"}),
    "approve_reduced": frozenset({"review", "collect", "resolve_dispute", "reduce_limit",
                                  "reduce_exposure", "secured_only", "get_statements", "override"}),
    "hold": frozenset({"stop_supply", "override"}),
    "prepayment_or_guarantee": frozenset({"get_statements", "ask_security", "fix_data", "override"}),
    "suspend": frozenset({"legal", "suspend", "override"}),
}

#: The rules in order of precedence: code, decision, action, English and Chinese words.
RULES: tuple[tuple[str, str, str, str, str], ...] = tuple(
    (code, decision, action, *pair(f"decision.rule.{code}")) for code, decision, action in (
        ("override", "", "override"),
        ("suspend_step", "suspend", "legal"),
        ("hold_step", "hold", "stop_supply"),
        ("broken_promise", "hold", "stop_supply"),
        ("bad_data", "prepayment_or_guarantee", "fix_data"),
        ("unrated_owes", "suspend", "suspend"),
        ("unrated", "prepayment_or_guarantee", "get_statements"),
        ("secured_band", "prepayment_or_guarantee", "ask_security"),
        ("no_capacity_owes", "suspend", "suspend"),
        ("no_limit", "prepayment_or_guarantee", "ask_security"),
        ("secured_cover", "approve_reduced", "secured_only"),
        ("over_limit", "approve_reduced", "reduce_exposure"),
        ("reduced", "approve_reduced", "reduce_limit"),
        ("approve", "approve", "ok"),
    )
)

#: Decision texts of earlier templates, still typed in old workbooks' override column
#: (retired by docs/zh-CN/glossary.md; tests/test_glossary_zh.py skips names with FORMER).
_FORMER_DECISION_TEXTS: dict[str, str] = {"批准（降低额度）": "approve_reduced"}

#: What a typed override decision may say (codes, English or Chinese texts, any case).
_OVERRIDE_WORDS: dict[str, str] = {
    **{code: code for code in DECISIONS},
    **{en.lower(): code for code, (en, _zh) in DECISIONS.items()},
    **{zh: code for code, (_en, zh) in DECISIONS.items()},
    **_FORMER_DECISION_TEXTS,
    "approve reduced": "approve_reduced", "hold": "hold", "prepayment": "prepayment_or_guarantee",
    "suspend": "suspend",
}


def _floats(value: Any, name: str, n: int) -> FloatArray:
    """A numeric column (or one value for all) as n floats; NaN = unknown."""
    if value is None:
        return np.full(n, np.nan)
    try:
        x = np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(Message("decision.not_numbers", {"name": name, "value": describe(value)})) from None
    if x.size == 1:
        return np.full(n, x[0])
    if x.size != n:
        raise InputError(Message("decision.rows", {"name": name, "count": x.size, "rows": n}))
    return x


def _objects(value: Any, n: int) -> npt.NDArray[np.object_]:
    if value is None:
        return np.full(n, None, dtype=object)
    x = np.asarray(value, dtype=object).reshape(-1)
    if x.size == 1:
        return np.full(n, x[0], dtype=object)
    if x.size != n:
        raise InputError(Message("decision.text_rows", {"count": x.size, "rows": n}))
    return x


def _days(value: Any, n: int, name: str) -> npt.NDArray[np.datetime64]:
    """Dates as datetime64[D] (NaT = unknown)."""
    if value is None:
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    try:
        x = pd.to_datetime(pd.Series(_objects(value, n)), errors="raise").to_numpy(dtype="datetime64[D]")
    except (ValueError, TypeError):
        raise InputError(Message("decision.not_dates", {"name": name, "value": describe(value)})) from None
    return np.asarray(x, dtype="datetime64[D]")


def _round_down(x: FloatArray, step: float) -> FloatArray:
    """Down to a multiple of ``step`` (an amount below one step is kept), as limits are."""
    if step <= 0:
        return x
    with np.errstate(invalid="ignore"):
        return np.where(x >= step, np.floor(x / step + 1e-9) * step, x)


def add_months(dates: Any, months: Any) -> npt.NDArray[np.datetime64]:
    """Each date plus a whole number of months, the day kept or moved to the month's end.

    When is the next review of a file reviewed on 31 August 2026, every 6 months?

    >>> add_months(np.array(["2026-08-31", "2026-01-15"], dtype="datetime64[D]"), [6, 12]).tolist()
    [datetime.date(2027, 2, 28), datetime.date(2027, 1, 15)]
    """
    d = np.asarray(dates, dtype="datetime64[D]")
    k = np.asarray(months, dtype=float)
    month = d.astype("datetime64[M]")
    day = (d - month.astype("datetime64[D]")).astype(np.int64)  # 0-based day of month
    safe_k = np.nan_to_num(k).astype(np.int64)
    target = month + safe_k.astype("timedelta64[M]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]")
              - target.astype("datetime64[D]")).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(day, length - 1).astype("timedelta64[D]")
    return np.where(np.isnat(d) | np.isnan(k), np.datetime64("NaT"), out).astype("datetime64[D]")


def overdue_by_step(buyer_id: Any, step_no: Any, amount: Any, disputed: Any = None,
                    broken_promise: Any = None, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Per buyer, from the worklist's overdue items: the worst dunning step, the undisputed
    overdue amount at the hold step or later and at the suspend step or later, and the
    number of broken promises. Disputed items are on hold, so they count in neither amount.

    Two invoices of one buyer, one at step 6 (legal, 25 of short-paid bank charges) and one
    at step 1; how much is at the stop-supply step or later?

    >>> overdue_by_step(["B1", "B1"], [6, 1], [25.0, 9000.0]).loc["B1"].tolist()
    [6.0, 25.0, 25.0, 0.0]
    """
    steps = tuple(s.step for s in policy.dunning)
    hold_no = policy.decisions.step_number(policy.decisions.hold_from_step, steps)
    suspend_no = policy.decisions.step_number(policy.decisions.suspend_from_step, steps)
    ids = pd.Series(_objects(buyer_id, np.size(buyer_id)))
    n = len(ids)
    step = _floats(step_no, "step_no", n)
    amt = _floats(amount, "amount", n)
    disp = np.nan_to_num(_floats(disputed, "disputed", n)) != 0
    broken = np.nan_to_num(_floats(broken_promise, "broken_promise", n)) != 0
    counts = ~disp
    frame = pd.DataFrame({
        "buyer_id": ids,
        "worst_step": np.nan_to_num(step),
        "hold_overdue": np.where(counts & (step >= hold_no), amt, 0.0),
        "suspend_overdue": np.where(counts & (step >= suspend_no), amt, 0.0),
        "broken_promises": broken.astype(float),
    })
    return frame.groupby("buyer_id", sort=False).agg(
        {"worst_step": "max", "hold_overdue": "sum", "suspend_overdue": "sum", "broken_promises": "sum"})


def _first_material(buyer: pd.Series, reached: npt.NDArray[np.datetime64], amount: FloatArray,
                    threshold: pd.Series) -> pd.Series:
    """Per buyer, the first date at which the items reached so far add up to its threshold."""
    f = pd.DataFrame({"buyer": buyer.to_numpy(dtype=object), "day": reached, "amount": amount})
    f = f.sort_values(["buyer", "day"], kind="stable")
    f["cum"] = f.groupby("buyer", sort=False)["amount"].cumsum()
    limit = f["buyer"].map(threshold).to_numpy(dtype=float)
    hit = f[(f["cum"].to_numpy() > 0) & (f["cum"].to_numpy() >= limit)]
    return hit.groupby("buyer", sort=False)["day"].min()


def _days_of(keys: pd.Series, days: pd.Series) -> npt.NDArray[np.datetime64]:
    """The date of each key in ``days`` (NaT where it has none)."""
    found = pd.to_datetime(pd.Series(days.reindex(keys.to_numpy()).to_numpy()))
    return np.asarray(found.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"))


def hold_since(buyer_id: Any, rule: Any, exposure: Any, worklist: pd.DataFrame,
               policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Since when the rule that decided has held each buyer, from the ledger's evidence.

    Parameters
    ----------
    buyer_id, rule, exposure : array_like
        One row per buyer: its ID, the deciding rule (``rule`` of :func:`decide_buyers`)
        and its exposure (base currency, the materiality share's base).
    worklist : DataFrame
        The collections worklist (:func:`xlcredit.engine.collections.build_worklist`):
        ``buyer_id``, ``due_date``, ``ladder_step_no``, ``step_no``, ``disputed``,
        ``promise_lapse_date``, ``broken_promise``, ``open_amount_base``.
    policy : Policy, optional
        The dunning ladder and ``decisions`` (hold and suspend steps, materiality).

    Returns
    -------
    pandas.DataFrame
        ``since`` (datetime64; NaT where not knowable) and ``since_basis``, one of
        :data:`SINCE_BASES`: ``step`` (the day today's undisputed overdue at the hold, or
        suspend, step became material), ``promise`` (the day after the first broken
        promise lapsed), ``unknown`` (any other rule: no dated evidence in the workbook).

    Notes
    -----
    An item reaches step k on ``due_date + from_days`` of step k (the ladder), or on the
    day after its promise lapsed when a broken promise lifted it there. Today's undisputed
    items at the step, taken in the order they reached it, add up to the materiality
    threshold max(``materiality_amount``, ``materiality_share`` x exposure) on some day:
    that day is "since". It uses today's open amounts and exposure (earlier balances are
    not in the workbook), so a buyer whose exposure was smaller may have been held earlier.

    Examples
    --------
    Since when has a buyer been held whose 4,000 invoice, due 1 September, passed the
    stop-supply step (45 days by default) while a 300 invoice passed it earlier?

    >>> wl = pd.DataFrame({"buyer_id": ["B1", "B1"], "due_date": pd.to_datetime(["2026-08-01", "2026-09-01"]),
    ...     "ladder_step_no": [5, 5], "step_no": [5, 5], "disputed": [False, False],
    ...     "promise_lapse_date": pd.to_datetime([None, None]), "broken_promise": [False, False],
    ...     "open_amount_base": [300.0, 4000.0]})
    >>> r = hold_since(["B1", "B2"], ["hold_step", "override"], [10_000, 0], wl)
    >>> [str(r.loc[0, "since"].date()), r.loc[0, "since_basis"], r.loc[1, "since_basis"]]
    ['2026-10-16', 'step', 'unknown']
    """
    dp = policy.decisions
    names_on_ladder = tuple(s.step for s in policy.dunning)
    from_days = np.array([s.from_days for s in policy.dunning], dtype=float)
    ids = pd.Series(_objects(buyer_id, np.size(buyer_id)), dtype=object)
    n = len(ids)
    rules = _objects(rule, n)
    expo = np.nan_to_num(_floats(exposure, "exposure", n))
    threshold = pd.Series(np.fmax(dp.materiality_amount, dp.materiality_share * np.fmax(expo, 0.0)),
                          index=ids.to_numpy()).groupby(level=0).first()
    since = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    basis = np.full(n, "unknown", dtype=object)
    if len(worklist):
        wl_buyer = worklist["buyer_id"].astype(object)
        due = pd.to_datetime(worklist["due_date"]).to_numpy(dtype="datetime64[D]")
        after_lapse = pd.to_datetime(worklist["promise_lapse_date"]).to_numpy(dtype="datetime64[D]") \
            + np.timedelta64(1, "D")
        ladder = worklist["ladder_step_no"].to_numpy(dtype=float)
        step = worklist["step_no"].to_numpy(dtype=float)
        undisputed = ~worklist["disputed"].to_numpy(dtype=bool)
        amount = worklist["open_amount_base"].to_numpy(dtype=float)
        for code, setting in (("hold_step", dp.hold_from_step), ("suspend_step", dp.suspend_from_step)):
            no = dp.step_number(setting, names_on_ladder)
            reached = np.where(ladder >= no, due + np.timedelta64(int(from_days[no - 1]), "D"), after_lapse)
            counts = undisputed & (step >= no)
            first = _first_material(wl_buyer[counts], reached[counts], amount[counts], threshold)
            mine = rules == code
            since[mine] = _days_of(ids[mine], first)
        broken = undisputed & worklist["broken_promise"].to_numpy(dtype=bool)
        lapsed = pd.Series(after_lapse[broken], index=wl_buyer[broken].to_numpy()).groupby(level=0).min()
        mine = rules == "broken_promise"
        since[mine] = _days_of(ids[mine], lapsed)
    known = ~np.isnat(since)
    basis[known & np.isin(rules, ["hold_step", "suspend_step"])] = "step"
    basis[known & (rules == "broken_promise")] = "promise"
    return pd.DataFrame({"since": since.astype("datetime64[s]"), "since_basis": basis})


def payment_history(position: Position) -> pd.DataFrame:
    """Per buyer of a ledger on a day (index: the ledger's buyers): ``oldest_overdue_days``,
    the days the oldest counted open item is overdue (0 when nothing is), and
    ``history_invoices``, the invoices whose outcome is known (settled, or due, by that day;
    set-aside items left out), the TradeScore inputs a ledger gives (docs/model.md).

    >>> from xlcredit.engine.ledger import ledger_arrays, position
    >>> from xlcredit.engine.policy import Policy
    >>> inv = pd.DataFrame({"buyer_id": ["A", "A", "A", "B"], "amount": [100.0, 50.0, 70.0, 10.0],
    ...                     "due_date": pd.to_datetime(["2026-10-01", "2026-11-20", "2026-12-20", "2026-11-01"]),
    ...                     "paid_date": pd.to_datetime(["2026-10-05", None, None, "2026-11-02"])})
    >>> p = Policy()
    >>> payment_history(position(ledger_arrays(inv, p), "2026-11-30", p)).values.tolist()
    [[10.0, 2.0], [0.0, 1.0]]
    """
    ledger, day = position.ledger, position.day
    usable = ~position.set_aside & (ledger.problem == 0)
    days = np.where(position.overdue, position.days_overdue, 0.0)
    n = len(ledger.buyers)
    oldest = np.zeros(n)
    np.maximum.at(oldest, ledger.buyer_codes[usable], days[usable])
    with np.errstate(invalid="ignore"):
        known = usable & ((ledger.paid_day <= day) | (ledger.due_day <= day))
    return pd.DataFrame({"oldest_overdue_days": oldest, "history_invoices": position.by_buyer(known.astype(float))},
                        index=ledger.buyers)


def experience_limit(annual_sales: Any, band: Any, policy: Policy = DEFAULT_POLICY,
                     need: Any = None) -> FloatArray:
    """A limit earned by paying on time: a month's sales x (the band's terms + the need
    buffer) / 30, never above the ``need`` where one is known, rounded down like every
    limit; 0 in bands without credit terms.

    The band scales it through its terms (A 60, B 45, C 30, D 15 days by default). A band-B
    buyer we invoiced 120,000 over the last 12 months: 10,000 x (45 + 30) / 30 = 25,000.

    >>> experience_limit([120_000, 120_000, 0], ["B", "E", "A"]).tolist()
    [25000.0, 0.0, 0.0]

    Asked for 16,500 only: the need, rounded down like every limit.

    >>> experience_limit(120_000, ["B"], need=16_500).tolist()
    [16000.0]
    """
    lp = policy.limits
    names = policy.score.band_names
    b = _objects(band, np.size(band))
    n = b.size
    sales = np.fmax(_floats(annual_sales, "annual_sales", n), 0.0)
    terms = np.array([lp.rule(x).payment_terms_days for x in names] + [0.0])
    code = pd.Series(b, dtype=object).map({x: i for i, x in enumerate(names)}).fillna(len(names))
    t = terms.take(code.to_numpy(dtype=np.intp))
    raw = np.where(t > 0, sales / 12.0 * (t + lp.need_buffer_days) / 30.0, 0.0)
    raw = np.fmin(raw, _floats(need, "need", n))  # the need where it is smaller (NaN: none)
    return np.asarray(np.nan_to_num(_round_down(raw, lp.round_to)), dtype=float)


def decide_buyers(
    band: Any,
    limit: Any,
    need: Any = None,
    exposure: Any = None,
    overdue: Any = None,
    *,
    score: Any = None,
    current_limit: Any = None,
    terms_offered: Any = None,
    worst_step: Any = None,
    hold_overdue: Any = None,
    suspend_overdue: Any = None,
    broken_promises: Any = None,
    disputed: Any = None,
    insured_limit: Any = None,
    security_amount: Any = None,
    problem: Any = None,
    statements_known: Any = None,
    score_change: Any = None,
    last_review: Any = None,
    override_decision: Any = None,
    override_limit: Any = None,
    override_expiry: Any = None,
    override_by: Any = None,
    as_of: dt.date | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """The decision on every buyer, with its action, signer, terms, review date and rule.

    Parameters
    ----------
    band : array_like of str
        Risk band (A..D, E = not rated), from statements or from payment behaviour; a
        missing band (rejected input) counts as not rated.
    limit : array_like
        Recommended limit (base currency) from the statements or from experience.
    need : array_like, optional
        What the buyer needs (requested, or from annual sales); NaN unknown.
    exposure, overdue : array_like, optional
        Open balance and its overdue part today (base currency); blank = 0.
    score : array_like, optional
        The score behind the band (only reported).
    current_limit : array_like, optional
        The limit granted today; a recommended limit below it is "approve reduced".
    terms_offered : array_like, optional
        Payment terms offered (days); recommended terms are never longer.
    worst_step, hold_overdue, suspend_overdue, broken_promises : array_like, optional
        From :func:`overdue_by_step`: the highest dunning step reached, the undisputed
        overdue at the hold step or later and at the suspend step or later, broken promises.
    disputed : array_like, optional
        Disputed open amount.
    insured_limit, security_amount : array_like, optional
        Insurer's limit (counted at ``insurance.cover_share``) and security held
        (guarantees, deposits, letters of credit), base currency.
    problem : array_like of str, optional
        A data problem of the buyer (impossible statements, unreadable cells); None if none.
    statements_known : array_like of bool, optional
        Whether any capacity basis was known (so a 0 limit is a verdict, not a blank).
    score_change : array_like, optional
        Score now minus last score; a fall of ``monitoring.score_drop_alert`` asks a review.
    last_review : array_like of dates, optional
        Date of the last review; the next is ``review_months`` of the band later (as-of
        date when never reviewed).
    override_decision, override_limit, override_expiry, override_by : array_like, optional
        A manual decision typed on Buyers, honoured while ``as_of <= override_expiry`` and
        both expiry and who are given.
    as_of : datetime.date, optional
        The date of the run (default the policy's).
    policy : Policy, optional
        The credit policy (``decisions``, ``limits``, ``monitoring``, ``insurance``).

    Returns
    -------
    pandas.DataFrame
        ``decision``, ``decision_text``, ``action``, ``action_text``, ``limit``,
        ``secured_cover``, ``approval_level``, ``terms_days``, ``next_review``, ``rule``,
        ``rule_text`` (texts in ``policy.language``), ``rule_en``, ``rule_zh``,
        ``override_note`` (why a typed override was not honoured, else None), ``score``,
        ``to_clear`` (held or suspended buyers: the amount to clear, see Notes; NaN for
        the others and under a manual override, which no payment clears), ``review_due``
        (the credit file is due for review: next review on or before the as-of date, never
        reviewed, or a score fall of ``monitoring.score_drop_alert``) and ``never_reviewed``.

    Notes
    -----
    material(x) = x >= materiality_amount and x >= materiality_share x exposure.
    secured cover = security_amount + cover_share x insured_limit. Approval level: the
    first whose ``up_to`` covers max(limit, exposure), at least ``floor_level`` in
    ``floor_from_band`` and worse, for secured limits and for held or suspended buyers.

    Examples
    --------
    A band-D buyer with no security or insurance, and one that holds a 20,000 guarantee:

    >>> r = decide_buyers(["D", "D"], 30_000, need=50_000, security_amount=[None, 20_000])
    >>> r[["decision", "limit", "approval_level", "rule"]].values.tolist()
    [['prepayment_or_guarantee', 0.0, 'Credit manager', 'secured_band'], ['approve_reduced', 20000.0, 'Credit manager', 'secured_cover']]
    """
    dp = policy.decisions
    lp = policy.limits
    zh = policy.language == "zh-CN"
    b = _objects(band, np.size(band) if not isinstance(band, str) else 1)
    n = b.size
    names = policy.score.band_names
    # No band (a buyer whose input was rejected) counts as not rated.
    bidx = pd.Series(b, dtype=object).map({x: i for i, x in enumerate(names)})
    bidx[pd.isna(pd.Series(b, dtype=object)).to_numpy()] = len(names) - 1
    if bidx.isna().any():
        bad_band = b[bidx.isna().to_numpy()][0]
        raise InputError(Message("decision.bad_band", {"bands": ", ".join(names), "value": describe(bad_band)}))
    bi = bidx.to_numpy(dtype=np.intp)
    not_rated = bi == len(names) - 1
    lim = np.fmax(np.nan_to_num(_floats(limit, "limit", n)), 0.0)
    need_v = _floats(need, "need", n)
    expo = np.nan_to_num(_floats(exposure, "exposure", n))
    over_v = np.nan_to_num(_floats(overdue, "overdue", n))
    hold_v = np.nan_to_num(_floats(hold_overdue, "hold_overdue", n))
    susp_v = np.nan_to_num(_floats(suspend_overdue, "suspend_overdue", n))
    broken = np.nan_to_num(_floats(broken_promises, "broken_promises", n)) > 0
    disp = np.nan_to_num(_floats(disputed, "disputed", n))
    insured = np.fmax(np.nan_to_num(_floats(insured_limit, "insured_limit", n)), 0.0)
    security = np.fmax(np.nan_to_num(_floats(security_amount, "security_amount", n)), 0.0)
    cur = _floats(current_limit, "current_limit", n)
    offered = _floats(terms_offered, "terms_offered", n)
    change = _floats(score_change, "score_change", n)
    probs = _objects(problem, n)
    has_problem = np.asarray(pd.notna(probs), dtype=bool) & (probs != "")
    known = (np.ones(n, dtype=bool) if statements_known is None
             else np.asarray(_floats(np.asarray(statements_known, dtype=float), "statements_known", n) == 1))
    day = np.datetime64(as_of or policy.as_of_date(), "D")

    def material(x: FloatArray) -> npt.NDArray[np.bool_]:
        return (x > 0) & (x >= dp.materiality_amount) & (x >= dp.materiality_share * np.fmax(expo, 0.0))

    cover = security + policy.insurance.cover_share * insured
    secured_band = bi >= names.index(dp.secured_from_band)
    has_cover = cover > 0
    need_or_cover = np.where(np.isnan(need_v), cover, np.fmin(need_v, cover))
    step = lp.round_to
    secured_limit = _round_down(need_or_cover, step)
    rated_limit = np.where(secured_band, 0.0, lim)
    new_limit = np.where(secured_band & has_cover, secured_limit, rated_limit)
    # Compared with the need and the current limit rounded down as the limit is: rounding
    # alone never turns an approval into a reduction.
    need_r = _round_down(need_v, step)
    cur_r = _round_down(cur, step)
    reduced = (new_limit < lp.approve_share * np.nan_to_num(need_r, nan=-1.0)) | (new_limit < np.nan_to_num(cur_r, nan=-1.0))

    # ---------------------------------------------------------------- override
    ov_text = pd.Series(_objects(override_decision, n), dtype=object)
    typed = ov_text.notna().to_numpy() & (ov_text.astype(str).str.strip() != "").to_numpy()
    ov_code = ov_text.astype(str).str.strip().str.lower().map(
        {k.lower(): v for k, v in _OVERRIDE_WORDS.items()}).to_numpy(dtype=object)
    expiry = _days(override_expiry, n, "override_expiry")
    who = pd.Series(_objects(override_by, n), dtype=object)
    has_who = who.notna().to_numpy() & (who.astype(str).str.strip() != "").to_numpy()
    ov_lim = _floats(override_limit, "override_limit", n)
    note = np.full(n, None, dtype=object)
    unknown_code = typed & pd.isna(ov_code)
    # the notes are in the workbook's language: they are shown on its Problems sheet
    lang = "zh-CN" if zh else "en"
    note[unknown_code] = rows_text(
        "decision.note.unknown", lang, choices=text("decision.note.separator", lang).join(d[1 if zh else 0] for d in DECISIONS.values()),
        value=ov_text[unknown_code].astype(str).to_numpy(dtype=object))
    no_expiry = typed & ~unknown_code & np.isnat(expiry)
    note[no_expiry] = text("decision.note.no_expiry", lang)
    no_who = typed & ~unknown_code & ~no_expiry & ~has_who
    note[no_who] = text("decision.note.no_who", lang)
    expired = typed & ~unknown_code & ~no_expiry & ~no_who & (expiry < day)
    note[expired] = rows_text("decision.note.expired", lang,
                              date=pd.Series(expiry[expired]).dt.strftime("%Y-%m-%d").to_numpy(dtype=object))
    bad_limit = typed & (ov_lim < 0)
    note[bad_limit & pd.isna(note)] = text("decision.note.negative_limit", lang)
    active = typed & pd.notna(ov_code) & ~np.isnat(expiry) & has_who & (expiry >= day) & ~(ov_lim < 0)

    # ---------------------------------------------------------------- precedence
    conditions = {
        "override": active,
        "suspend_step": material(susp_v),
        "hold_step": material(hold_v),
        "broken_promise": broken & material(over_v),
        "bad_data": has_problem,
        "unrated_owes": not_rated & ~has_cover & material(over_v),
        "unrated": not_rated & ~has_cover,
        "secured_band": secured_band & ~has_cover,
        # Only a rated band's capacity comes from the statements; a secured-band buyer's limit
        # is its cover, and cover too small to round to a limit is "no_limit", not a suspension.
        "no_capacity_owes": ~secured_band & (new_limit == 0) & known & material(expo),
        "no_limit": new_limit == 0,
        "secured_cover": secured_band & has_cover,
        "over_limit": material(expo - new_limit),
        "reduced": reduced,
        "approve": np.ones(n, dtype=bool),
    }
    codes = [r[0] for r in RULES]
    rule = np.select([conditions[c] for c in codes], np.arange(len(codes)), default=len(codes) - 1)
    decision_codes = list(DECISIONS)
    rule_decision = np.array([decision_codes.index(r[1]) if r[1] else -1 for r in RULES])
    decision = rule_decision.take(rule)
    ov_index = pd.Series(ov_code, dtype=object).map({c: i for i, c in enumerate(decision_codes)})
    decision = np.where(active, ov_index.fillna(0).to_numpy(dtype=np.intp), decision)
    action_codes = list(ACTIONS)
    action = np.array([action_codes.index(r[2]) for r in RULES]).take(rule)
    # Under a plain approval, the ledger and the calendar may still ask for something.
    reviewed = _days(last_review, n, "last_review")
    months = pd.Series(b, dtype=object).map(dict(policy.monitoring.review_months)).to_numpy(dtype=float)
    next_review = np.where(np.isnat(reviewed), day, add_months(reviewed, months)).astype("datetime64[D]")
    review_due = (next_review <= day) | (change <= -policy.monitoring.score_drop_alert)
    plain = np.isin(rule, [codes.index("approve"), codes.index("reduced")])
    for name, mask in (("resolve_dispute", material(disp)), ("review", review_due),
                       ("collect", over_v > 0)):
        action = np.where(plain & mask, action_codes.index(name), action)  # last wins: collect first
    approve_reduced = plain & (decision == decision_codes.index("approve_reduced"))
    action = np.where(approve_reduced & (action == action_codes.index("ok")),
                      action_codes.index("reduce_limit"), action)
    # ---------------------------------------------------------------- limit, terms, signer
    out_limit = np.where(np.isin(decision, [decision_codes.index("prepayment_or_guarantee"),
                                            decision_codes.index("suspend")]), 0.0, new_limit)
    out_limit = np.where(active & ~np.isnan(ov_lim), ov_lim, out_limit)
    rules_terms = np.array([lp.rule(x).payment_terms_days for x in names], dtype=float)
    terms = rules_terms.take(bi)
    terms = np.where(not_rated & has_cover, dp.covered_terms_days, terms)
    terms = np.fmin(terms, offered)  # the band's if none offered
    no_credit = np.isin(decision, [decision_codes.index("prepayment_or_guarantee"),
                                   decision_codes.index("suspend")]) | (out_limit == 0)
    terms = np.where(no_credit, 0.0, terms)
    amount = np.fmax(out_limit, expo)
    ups = [lvl.up_to for lvl in lp.approval_levels]
    level = np.zeros(n, dtype=np.intp)
    for up in ups:
        level += amount > up
    needs_floor = ((bi >= names.index(dp.floor_from_band)) | (rule == codes.index("secured_cover"))
                   | np.isin(decision, [decision_codes.index("hold"), decision_codes.index("suspend")]))
    level = np.where(needs_floor, np.maximum(level, int(dp.floor_level) - 1), level)
    level = np.minimum(level, len(ups) - 1)
    if active.any():
        next_review = np.where(active, np.minimum(next_review, expiry), next_review).astype("datetime64[D]")

    # ---------------------------------------------------------------- texts
    ladder = policy.dunning
    names_on_ladder = tuple(s.step for s in ladder)
    hold_step = ladder[dp.step_number(dp.hold_from_step, names_on_ladder) - 1]
    susp_step = ladder[dp.step_number(dp.suspend_from_step, names_on_ladder) - 1]

    def words(i: int, lang: int) -> list[str]:
        code, _d, _a, en, zh_text = RULES[i]
        step_name = susp_step if code == "suspend_step" else hold_step
        return [(zh_text if lang else en).format(
            band=x, step=step_name.action_zh if lang else step_name.action_en) for x in names]

    rule_en = np.array([w for i in range(len(RULES)) for w in words(i, 0)], dtype=object)
    rule_zh = np.array([w for i in range(len(RULES)) for w in words(i, 1)], dtype=object)
    key = rule * len(names) + bi
    en_col, zh_col = rule_en.take(key), rule_zh.take(key)
    act_en = np.array([t[0] for t in ACTIONS.values()], dtype=object).take(action)
    act_zh = np.array([t[1] for t in ACTIONS.values()], dtype=object).take(action)
    if active.any():
        until = pd.Series(expiry[active]).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        by = who[active].astype(str).str.strip().to_numpy(dtype=object)
        act_en[active] = fill_rows(ACTIONS["override"][0], len(by), who=by, until=until)
        act_zh[active] = fill_rows(ACTIONS["override"][1], len(by), who=by, until=until)
    # ---------------------------------------------------------------- amount to clear
    # What a held or suspended buyer must pay to be out of the overdue rule and within the
    # limit the engine recommends apart from the hold: the larger of the two amounts.
    undisputed = np.fmax(over_v - disp, 0.0)
    rule_amount = np.select(
        [np.isin(rule, [codes.index("suspend_step"), codes.index("hold_step")]),
         np.isin(rule, [codes.index("broken_promise"), codes.index("unrated_owes")]),
         rule == codes.index("no_capacity_owes")],
        [hold_v, undisputed, expo], default=np.nan)
    held = np.isin(np.array(decision_codes, dtype=object).take(decision), HOLD_DECISIONS)
    to_clear = np.where(held & ~active, np.fmax(rule_amount, np.fmax(expo - new_limit, 0.0)), np.nan)
    dec_text = np.array([t[1 if zh else 0] for t in DECISIONS.values()], dtype=object).take(decision)
    levels = np.array([lv.level_zh if zh else lv.level_en for lv in lp.approval_levels], dtype=object)
    return pd.DataFrame({
        "decision": np.array(decision_codes, dtype=object).take(decision),
        "decision_text": dec_text,
        "action": np.array(action_codes, dtype=object).take(action),
        "action_text": act_zh if zh else act_en,
        "limit": out_limit,
        "secured_cover": cover,
        "approval_level": levels.take(level),
        "terms_days": terms,
        "next_review": next_review.astype("datetime64[s]"),
        "rule": np.array(codes, dtype=object).take(rule),
        "rule_text": zh_col if zh else en_col,
        "rule_en": en_col,
        "rule_zh": zh_col,
        "override_note": note,
        "score": _floats(score, "score", n),
        "to_clear": to_clear,
        "review_due": review_due,
        "never_reviewed": np.isnat(reviewed),
    })
