"""TradeScore: a buyer's health score from its statements, payments and risk signals.

The score is a points model a credit controller can read (the table is in
:mod:`xlcredit.engine.scorecard` and docs/model.md): each factor earns points from its table, the
best value of every factor earns its maximum, and the maxima add up to 100. Unknown inputs
(blank cells, NaN) are not zero: their factors are left out, the weight of what is known
is scaled up to the whole scale, and the data coverage (share of the 100 points that had
inputs) falls.

    score = 1 + 99 x (points earned by known factors) / (maximum points of known factors)

rounded to a whole number. A buyer whose coverage is below ``policy.score.min_coverage`` is
band E, "not rated", with no score. Otherwise band A..D and grade 1..10 follow from the
score (policy), and the probability of default over 12 months (event: 90+ days past due or
insolvency) from the policy's logistic calibration. The three reasons are the factors that
cost the buyer the most points against their best value, in English and Chinese.

Is a buyer with 1,000 of assets, 600 of debt, healthy liquidity and a profit a good risk?

>>> float(trade_score(1000, 600, 500, 250, 150, 80, 1500, 50))
82.0

Which columns does the full result hold?

>>> list(score_buyers({"total_assets": [1000.0], "total_liabilities": [600.0]}).columns)[:8]
['score', 'band', 'grade', 'pd_12m', 'coverage', 'reason_1', 'reason_2', 'reason_3']
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError
from xlcredit.engine.policy import DEFAULT_POLICY, Policy
from xlcredit.engine.scorecard import FACTORS, Factor
from xlcredit.engine.values import floats
from xlcredit.messages import Message, pair, text

__all__ = [
    "INPUTS",
    "LEDGER_INPUTS",
    "altman_z2",
    "band_of",
    "factor_points",
    "factor_values",
    "grade_of",
    "input_columns",
    "input_signature",
    "pd_of",
    "score_buyers",
    "trade_score",
]

FloatArray = npt.NDArray[np.float64]

#: Inputs in the order of DESIGN.md 3.1 (and of the Excel functions' arguments).
INPUTS: tuple[str, ...] = (
    "total_assets",
    "total_liabilities",
    "current_assets",
    "current_liabilities",
    "retained_earnings",
    "ebit",
    "revenue",
    "net_income",
    "days_beyond_terms",
    "late_share",
    "defaults_12m",
    "industry_risk",
    "country_risk",
    "management_changes_12m",
    "negative_news",
    "years_in_business",
    "oldest_overdue_days",
    "history_invoices",
)
#: The inputs read from the seller's own ledger (issue 10), after DESIGN.md 3.1's sixteen:
#: Excel functions put their own extra arguments (the language) before these.
LEDGER_INPUTS: tuple[str, ...] = ("oldest_overdue_days", "history_invoices")
#: Inputs that are no factor of their own (how much payment history there is).
_NOT_FACTORS = ("history_invoices",)

#: What makes an input impossible: (lowest allowed, strictly above it?, highest allowed).
_RULES: dict[str, tuple[float, bool, float]] = {
    "total_assets": (0.0, True, np.inf),
    "total_liabilities": (0.0, False, np.inf),
    "current_assets": (0.0, False, np.inf),
    "current_liabilities": (0.0, False, np.inf),
    "retained_earnings": (-np.inf, False, np.inf),
    "ebit": (-np.inf, False, np.inf),
    "revenue": (0.0, False, np.inf),
    "net_income": (-np.inf, False, np.inf),
    "days_beyond_terms": (-365.0, False, 3650.0),
    "late_share": (0.0, False, 1.0),
    "defaults_12m": (0.0, False, np.inf),
    "industry_risk": (1.0, False, 5.0),
    "country_risk": (1.0, False, 5.0),
    "management_changes_12m": (0.0, False, np.inf),
    "negative_news": (0.0, False, 1.0),
    "years_in_business": (0.0, False, np.inf),
    "oldest_overdue_days": (0.0, False, 36500.0),
    "history_invoices": (0.0, False, np.inf),
}

#: A factor is a reason only when it lost more than this share of its maximum points.
_MATERIAL = 0.25
#: Buyers per block of the vectorised computation (fits the processor's cache).
_BLOCK = 8_192

_NOT_RATED = ("not_rated", *pair("scorecard.not_rated"))


# ------------------------------------------------------------------------------ inputs
def _rule_text(name: str, language: str) -> str:
    lo, strict, hi = _RULES[name]
    if name == "negative_news":
        return text("scorecard.rule_flag", language, name=name)
    if np.isfinite(lo) and np.isfinite(hi):
        return text("scorecard.rule_range", language, name=name, lo=f"{lo:g}", hi=f"{hi:g}")
    if np.isfinite(lo):
        return text("scorecard.rule_above" if strict else "scorecard.rule_at_least", language, name=name, lo=f"{lo:g}")
    return text("scorecard.rule_finite", language, name=name)


def _got(rule: str, language: str) -> str:
    """The %-template of "<rule>; got <value>" (np.char.mod fills the values of all rows at once)."""
    return text("scorecard.got", language, rule=rule.replace("%", "%%"), value="%g")


def _coerce(value: Any, name: str) -> tuple[FloatArray, npt.NDArray[np.object_] | None]:
    """One input as a float array (NaN = unknown); text raises a named InputError
    (:func:`xlcredit.engine.values.floats`). ``negative_news`` also takes TRUE/FALSE."""
    if value is None:
        return np.array([np.nan]), None
    if name == "negative_news":
        arr = np.asarray(value.to_numpy() if isinstance(value, (pd.Series, pd.Index)) else value,
                         dtype=object)
        flat = arr.ravel().copy()
        is_flag = np.fromiter((isinstance(v, (bool, np.bool_)) for v in flat), bool, flat.size)
        flat[is_flag] = flat[is_flag].astype(float)  # TRUE/FALSE as 1/0
        value = flat
    return floats(value, name).ravel(), None


def _add_problem(problem: npt.NDArray[np.object_], idx: npt.NDArray[np.intp],
                 messages: npt.NDArray[np.object_]) -> None:
    if idx.size == 0:
        return
    prev = problem[idx]
    merged = messages.astype(object)
    has = np.asarray(pd.notna(prev), dtype=bool)
    merged[has] = prev[has] + "; " + merged[has]
    problem[idx] = merged


def _inputs(columns: Mapping[str, Any], language: str = "en") -> tuple[dict[str, FloatArray], npt.NDArray[np.object_], int]:
    unknown = sorted(set(columns) - set(INPUTS))
    if unknown:
        raise InputError(Message("scorecard.unknown_input", {"name": unknown[0], "inputs": ", ".join(INPUTS)}))
    raw: dict[str, tuple[FloatArray, npt.NDArray[np.object_] | None]] = {
        name: _coerce(columns.get(name), name) for name in INPUTS
    }
    n, first = 1, ""
    for name, (values, _) in raw.items():
        if values.size != 1:
            if n == 1:
                n, first = values.size, name
            elif values.size != n:
                raise InputError(Message("scorecard.rows", {
                    "first": first, "rows": n, "name": name, "count": values.size}))
    problem = np.full(n, None, dtype=object)
    out: dict[str, FloatArray] = {}
    for name, (values, problems) in raw.items():  # a loop over the 16 inputs
        x = values if values.size == n else np.full(n, values[0] if values.size else np.nan)
        if problems is not None:
            probs = np.broadcast_to(problems, (n,))
            idx = np.flatnonzero(pd.notna(probs))
            _add_problem(problem, idx, probs[idx].astype(object))
        lo, strict, hi = _RULES[name]
        # NaN fails every comparison: it is unknown, not bad.
        with np.errstate(invalid="ignore"):
            bad = x <= lo if strict or not np.isfinite(lo) else x < lo  # -inf is bad too
            bad |= (x > hi) if np.isfinite(hi) else (x == np.inf)
            if name == "negative_news":
                bad |= (x != 0) & (x != 1) & (x == x)  # x == x: not NaN
        if bad.any():
            idx = np.flatnonzero(bad)
            messages = np.char.mod(_got(_rule_text(name, language), language), x[idx]).astype(object)
            infinite = np.isinf(x[idx])
            messages[infinite] = np.char.mod(_got(text("scorecard.rule_finite", language, name=name), language),
                                             x[idx][infinite]).astype(object)
            _add_problem(problem, idx, messages)
            x = x.copy()  # never write into the caller's array
            x[idx] = np.nan
        out[name] = x
    return out, problem, n


# ------------------------------------------------------------------------------ factors
def _factor_values(x: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    ta, tl = x["total_assets"], x["total_liabilities"]
    ca, cl = x["current_assets"], x["current_liabilities"]
    rev = x["revenue"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # A buyer with no liabilities (tl = 0) has equity / liabilities = +inf: the best bin.
        equity_liabilities = np.where(tl == 0, np.where(ta > 0, np.inf, np.nan), (ta - tl) / tl)
        current_ratio = np.where(cl == 0, np.where(ca > 0, np.inf, np.nan), ca / cl)
        earnings = np.where(np.isnan(x["net_income"]), x["ebit"], x["net_income"])
        margin = np.where(rev > 0, earnings / rev, np.nan)
        values = {
            "wc_ta": (ca - cl) / ta,
            "re_ta": x["retained_earnings"] / ta,
            "ebit_ta": x["ebit"] / ta,
            "equity_liabilities": equity_liabilities,
            "debt_ratio": tl / ta,
            "current_ratio": current_ratio,
            "asset_turnover": rev / ta,
            "profit_margin": margin,
        }
    for name in INPUTS[8:]:  # payment, environment and qualitative signals as given
        values[name] = x[name]
    return values


def factor_values(data: Mapping[str, Any] | pd.DataFrame | None = None, **columns: Any) -> pd.DataFrame:
    """The measured value of every factor (ratios and signals), NaN where unknown.

    What is this buyer's current ratio and debt ratio?

    >>> v = factor_values(total_assets=1000, total_liabilities=600, current_assets=500,
    ...                   current_liabilities=250)
    >>> float(v.current_ratio[0]), float(v.debt_ratio[0])
    (2.0, 0.6)
    """
    x, _, _ = _inputs(_columns(data, columns))
    return pd.DataFrame(_factor_values(x))


def _points(values: Mapping[str, FloatArray], factors: tuple[Factor, ...]) -> FloatArray:
    return np.column_stack([f.points_for(values[f.code]) for f in factors])


def factor_points(data: Mapping[str, Any] | pd.DataFrame | None = None, *,
                  factors: tuple[Factor, ...] = FACTORS, **columns: Any) -> pd.DataFrame:
    """Points each factor earned (NaN where unknown): the score, line by line.

    Where did a buyer with a 0.9 debt ratio lose its points?

    >>> p = factor_points(total_assets=100, total_liabilities=90)
    >>> float(p.debt_ratio[0]), float(p.wc_ta[0]) != float(p.wc_ta[0])
    (0.0, True)
    """
    x, problem, _ = _inputs(_columns(data, columns))
    pts = _points(_factor_values(x), factors)
    pts[pd.notna(problem)] = np.nan
    return pd.DataFrame(pts, columns=[f.code for f in factors])


def _columns(data: Mapping[str, Any] | pd.DataFrame | None, columns: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    if data is not None:
        if isinstance(data, pd.DataFrame):  # a buyer table: other columns (IDs...) ignored
            merged.update({str(c): data[c] for c in data.columns if c in INPUTS})
        else:
            merged.update(data)
    merged.update(columns)
    return merged


# ------------------------------------------------------------------------------ mapping
def band_of(score: npt.ArrayLike, coverage: npt.ArrayLike | None = None,
            policy: Policy = DEFAULT_POLICY) -> npt.NDArray[np.object_]:
    """Risk band of each score: A..D by the policy's minimum scores, E when not rated.

    Which band is a score of 65, and one of 80 with 10 % data coverage?

    >>> band_of([65.0, 80.0, 20.0], [1.0, 0.1, 1.0]).tolist()
    ['B', 'E', 'D']
    """
    s = np.atleast_1d(floats(score, "score"))
    if coverage is None:
        cov = np.ones_like(s)
    else:
        given = floats(coverage, "coverage")
        if given.size not in (1, s.size):
            raise InputError(Message("scorecard.coverage_rows", {"count": given.size, "rows": s.size}))
        cov = np.broadcast_to(given.reshape(-1) if given.size != 1 else given.reshape(()), s.shape)
    names = np.array(policy.score.band_names, dtype=object)
    return names[_band_codes(s, cov, policy)]


def _band_codes(s: FloatArray, cov: FloatArray, policy: Policy) -> npt.NDArray[np.int8]:
    """Index into ``policy.score.band_names`` (best first, not rated last)."""
    return np.asarray(policy.score.band_codes(s, cov), dtype=np.int8)


def grade_of(score: npt.ArrayLike, policy: Policy = DEFAULT_POLICY) -> FloatArray:
    """Grade 1 (best) .. 10 of each score, as credit insurers grade (NaN when no score).

    What grade is a score of 95, 55 and 5?

    >>> grade_of([95.0, 55.0, 5.0]).tolist()
    [1.0, 5.0, 10.0]
    """
    s = floats(score, "score")
    grade = np.ones(s.shape)
    with np.errstate(invalid="ignore"):
        for minimum in policy.score.grade_min_scores:  # nine comparisons, not a loop on buyers
            grade += s < minimum  # one grade down for every minimum the score misses
    grade[np.isnan(s)] = np.nan
    return grade


def pd_of(score: npt.ArrayLike, policy: Policy = DEFAULT_POLICY) -> FloatArray:
    """Probability of default within 12 months (90+ days past due or insolvency).

    What is the one-year default probability of a buyer scoring 70, and of one scoring 30?
    1 / (1 + exp(-(0.024 - 0.0451 x 70))) = 4.2 %:

    >>> [round(float(p), 4) for p in pd_of([70.0, 30.0])]
    [0.0418, 0.2093]

    Notes
    -----
    PD = 1 / (1 + exp(-(pd_intercept + pd_slope x score))), kept within
    [pd_floor, pd_cap]; the calibration is fitted in docs/model.md. With
    ``score.portfolio_default_rate`` set, the intercept is shifted to that rate (prior
    correction, :attr:`ScorePolicy.intercept`): at 2 % a year the score-70 buyer's PD is
    1 / (1 + exp(-(-1.272 - 0.0451 x 70))) = 1.18 %, not 4.18 %:

    >>> from xlcredit.engine.policy import Policy
    >>> round(float(pd_of(70.0, Policy.from_dict({"score": {"portfolio_default_rate": 0.02}}))), 4)
    0.0118
    """
    sp = policy.score
    s = floats(score, "score")
    with np.errstate(over="ignore"):
        p = 1.0 / (1.0 + np.exp(-(sp.intercept + sp.pd_slope * s)))
    return np.clip(p, sp.pd_floor, sp.pd_cap)


def altman_z2(total_assets: npt.ArrayLike, total_liabilities: npt.ArrayLike,
              current_assets: npt.ArrayLike, current_liabilities: npt.ArrayLike,
              retained_earnings: npt.ArrayLike, ebit: npt.ArrayLike) -> float | FloatArray:
    """Altman Z'' (non-manufacturers, book equity): the baseline the score must beat.

    Is a firm with 20 % working capital, 10 % retained earnings, 7 % EBIT on assets and
    equity equal to its liabilities in the safe zone (above 2.60)?
    6.56 x 0.2 + 3.26 x 0.1 + 6.72 x 0.07 + 1.05 x 1 = 3.1584: yes.

    >>> round(float(altman_z2(1, 0.5, 0.4, 0.2, 0.1, 0.07)), 4)
    3.1584

    Notes
    -----
    Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4; X1 = working capital / total assets,
    X2 = retained earnings / total assets, X3 = EBIT / total assets, X4 = book equity /
    total liabilities. Zones: below 1.10 distress, above 2.60 safe. NaN when an input is
    missing or total assets or liabilities are not positive.

    References
    ----------
    Altman, E. I. (2002). Revisiting Credit Scoring Models in a Basel 2 Environment.
    """
    ta = floats(total_assets, "total_assets")
    tl = floats(total_liabilities, "total_liabilities")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ta_ok = np.where(ta > 0, ta, np.nan)
        tl_ok = np.where(tl > 0, tl, np.nan)
        wc = floats(current_assets, "current_assets") - floats(current_liabilities, "current_liabilities")
        z = (6.56 * wc / ta_ok + 3.26 * floats(retained_earnings, "retained_earnings") / ta_ok
             + 6.72 * floats(ebit, "ebit") / ta_ok + 1.05 * (ta_ok - tl_ok) / tl_ok)
    return float(z) if np.ndim(z) == 0 else np.asarray(z, dtype=float)


# ------------------------------------------------------------------------------ engine
def score_buyers(data: Mapping[str, Any] | pd.DataFrame | None = None, *,
                 policy: Policy = DEFAULT_POLICY, factors: tuple[Factor, ...] = FACTORS,
                 **columns: Any) -> pd.DataFrame:
    """Score every buyer: score, band, grade, PD, coverage and three reasons.

    Give the inputs as a DataFrame (or mapping) with columns named as :data:`INPUTS`, or
    as keyword arguments; any may be missing (unknown). Each is a column or one value for
    all buyers. Numbers, numeric text ("1,200") and blanks (None, NaN) are accepted; an
    impossible value (total assets <= 0, negative liabilities, late share outside 0..1,
    a risk outside 1..5, text that is not a number) gives that buyer no score and a
    ``problem`` naming the field, the rule and the value; the other buyers are scored.

    Returns
    -------
    pandas.DataFrame
        ``score`` (1..100, higher is safer), ``band`` (A..D, E = not rated), ``grade``
        (1..10), ``pd_12m`` (NaN, "not calibrated", for a buyer rated from payment
        behaviour alone), ``coverage`` (0..1), ``reason_1..3`` (factor codes),
        ``reason_1_en..3_en`` and ``reason_1_zh..3_zh`` (texts), ``basis`` ("statements"
        when a financial factor is known, "behaviour" when rated from payments alone,
        missing when not rated), ``problem`` (None, or what was impossible). Band and reasons are categorical columns (a million buyers
        share a handful of texts); a missing value means none.

    Examples
    --------
    Two buyers: one sound, one over-indebted that pays two months late. Why is the second
    one worse?

    >>> r = score_buyers(total_assets=[1000, 1000], total_liabilities=[500, 980],
    ...                  current_assets=[500, 300], current_liabilities=[250, 400],
    ...                  retained_earnings=[200, -50], ebit=[90, -10], revenue=[1500, 900],
    ...                  days_beyond_terms=[0, 60])
    >>> r.score.tolist(), r.band.tolist()
    ([89.0, 32.0], ['A', 'C'])
    >>> r.reason_1_en[1], r.reason_2_en[1], r.reason_3_en[1]
    ('Low or negative retained earnings', 'Weak profit margin', 'Low current ratio (short-term liquidity)')

    A negative total assets is impossible: that buyer alone gets a message.

    >>> r = score_buyers(total_assets=[-5, 100], total_liabilities=[1, 50], current_assets=40,
    ...                  current_liabilities=20, retained_earnings=10, ebit=5, revenue=120)
    >>> r.problem[0], float(r.score[1]), r.band[1]
    ('total_assets must be > 0; got -5', 86.0, 'A')

    A buyer known only from our own ledger, with enough payment history (12 invoices paid
    or past due), paying 10 days late on average with nothing overdue now, is rated from its
    behaviour alone; its PD is not calibrated:

    >>> r = score_buyers(days_beyond_terms=[10.0], late_share=0.3, oldest_overdue_days=0,
    ...                  history_invoices=12)
    >>> float(r.score[0]), r.band[0], r.basis[0], float(r.pd_12m[0])
    (71.0, 'A', 'behaviour', nan)

    Notes
    -----
    score = round(1 + 99 x sum(points of known factors) / sum(max points of known
    factors)); coverage = sum(max points of known factors) / 100; a buyer is not rated
    (band E, no score) when coverage < ``policy.score.min_coverage``, unless no financial
    factor is known and ``history_invoices`` >= ``policy.score.min_history_invoices``
    (rated from behaviour alone). A behaviour-only buyer whose ``history_invoices`` is
    given and below that minimum is not rated, whatever its coverage.
    """
    if len(factors) > 31:
        raise InputError(Message("scorecard.too_many_factors", {"count": len(factors)}))
    cols = _columns(data, columns)
    x, problem, n = _inputs(cols, policy.language)  # its problems go to the workbook's Problems sheet
    bad = np.asarray(pd.notna(problem), dtype=bool)
    sp = policy.score
    score, coverage, picks = np.empty(n), np.empty(n), np.empty((3, n), dtype=np.int64)
    has_fin = np.empty(n, dtype=bool)
    # Blocks of buyers small enough to stay in the processor's cache: every intermediate
    # (16 factors x block) is reused instead of paged in afresh (a loop over ~16 blocks
    # per million buyers, not over buyers).
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        block = {name: v[lo:hi] for name, v in x.items()}
        score[lo:hi], coverage[lo:hi], has_fin[lo:hi], picks[:, lo:hi] = _score_block(
            block, bad[lo:hi], policy, factors)
    band = _band_codes(score, np.ones_like(score), policy)  # not rated: score NaN
    band[bad] = -1
    # Scores are whole numbers 1..100: grade and PD come from 101-row tables (row 0: no
    # score) instead of being computed again for every buyer.
    whole = np.arange(101.0)
    whole[0] = np.nan
    row = np.fmax(score, 0.0).astype(np.intp)  # fmax: no score (NaN) gives row 0
    out: dict[str, Any] = {
        "score": score,
        "band": pd.Categorical.from_codes(band, categories=pd.Index(list(sp.band_names))),
        "grade": grade_of(whole, policy).take(row),
        # The PD is calibrated on statements: from behaviour alone it is "not calibrated".
        "pd_12m": np.where(has_fin, np.where(np.isnan(whole), np.nan, pd_of(whole, policy)).take(row), np.nan),
        "coverage": coverage,
    }
    out.update(_reason_columns(factors, picks))
    out["basis"] = pd.Categorical.from_codes(np.where(np.isnan(score), -1, np.where(has_fin, 0, 1)),
                                             categories=pd.Index(["statements", "behaviour"]))
    # No problem at all: an object column of None, given as such (pandas need not scan it).
    out["problem"] = problem if bad.any() else pd.array(problem, dtype=np.object_)
    index = data.index if isinstance(data, pd.DataFrame) and len(data.index) == n else None
    return pd.DataFrame(out, index=index, copy=False)  # fresh arrays: no copy needed


def _score_block(x: Mapping[str, FloatArray], bad: npt.NDArray[np.bool_], policy: Policy,
                 factors: tuple[Factor, ...]) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_],
                                                       npt.NDArray[np.int64]]:
    """Score, coverage, whether a financial factor is known, and reason picks of a block."""
    values = _factor_values(x)
    n, k = bad.size, len(factors)
    pts = np.empty((k, n))  # factors as rows: each row is one contiguous column of buyers
    for i, f in enumerate(factors):  # a loop over the 16 factors
        f.points_for(values[f.code], out=pts[i])
    best = np.array([f.max_points for f in factors])
    known = pts == pts  # not NaN
    possible = best @ known if k else np.zeros(n)
    earned_each = np.fmax(pts, 0.0)  # points are >= 0; fmax turns unknown (NaN) into 0
    earned = earned_each.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        coverage = possible / best.sum()
        raw = 1.0 + 99.0 * earned / possible
    # Rated from behaviour alone: no financial factor known, and enough payment history
    # (history_invoices given); a short history given is not enough, whatever the coverage.
    financial = np.array([f.group == "financial" for f in factors])
    has_fin = (best * financial) @ known > 0 if k else np.zeros(n, dtype=bool)
    history = x["history_invoices"]
    with np.errstate(invalid="ignore"):
        enough = history >= policy.score.min_history_invoices
        short = history < policy.score.min_history_invoices
    by_coverage = (coverage >= policy.score.min_coverage) & (has_fin | ~short)
    rated = ~bad & (possible > 0) & (by_coverage | (~has_fin & enough))
    score = np.where(rated, np.clip(np.round(raw), 1.0, 100.0), np.nan)
    coverage[bad] = np.nan
    return score, coverage, has_fin, _reason_picks(factors, earned_each, known, best, rated, bad)


def _reason_picks(factors: tuple[Factor, ...], earned: FloatArray, known: npt.NDArray[np.bool_],
                  best: FloatArray, rated: npt.NDArray[np.bool_],
                  bad: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """The three reasons: the factors that lost the most points against their best value.

    Factors sharing a reason text (debt ratio and equity / liabilities) count as one reason
    with their losses added. A reason must have lost more than a quarter of its maximum:
    paying on time rather than early costs 2.5 of 10 points, which is not a reason to call
    a buyer a late payer. ``earned`` (factors x buyers, 0 where unknown) is overwritten.
    Returns reason indices (3 x buyers): -1 none, ``len(reasons)`` = not rated.
    """
    k, n = earned.shape
    members = _reason_groups(factors)
    m = len(members)
    lost = np.subtract(best[:, None], earned, out=earned)
    eligible = known.copy()
    group_best = best.copy()
    for idx in members:  # fold the extra members of a shared reason into its first row
        for other in idx[1:]:
            lost[idx[0]] += lost[other]
            eligible[idx[0]] |= eligible[other]
            eligible[other] = False
            group_best[idx[0]] += best[other]
    eligible &= lost > (_MATERIAL * group_best + 1e-9)[:, None]
    # Keys: hundredths of a point x 32 + (31 - factor row), unique within a buyer, so one
    # maximum down the factor rows gives the largest loss and, on a tie, the factor listed
    # first; -1 = not a reason. Arithmetic rather than masks: it is several times faster.
    lost *= 100.0
    np.rint(lost, out=lost)
    # The keys are whole numbers; below 2**24 (always, for a scorecard of 100 points) they
    # are exact in float32, whose maxima below take half the time of float64's.
    exact32 = (group_best.max(initial=0.0) * 100.0 + 2.0) * 32.0 < 2.0**24
    key: npt.NDArray[np.floating[Any]] = lost.astype(np.float32 if exact32 else np.float64)
    key *= 32.0
    key += (32.0 - np.arange(k, dtype=key.dtype))[:, None]  # + 1, so x eligible - 1 is -1 when not
    key *= eligible
    key -= 1.0
    flat = key.reshape(-1)
    cols = np.arange(n)
    row_group = np.full(k, -1, dtype=np.int64)
    for g, idx in enumerate(members):
        row_group[idx[0]] = g
    picks = []
    for r in range(3):
        top = key.max(axis=0).astype(np.int64) if k else np.full(n, -1, dtype=np.int64)
        row = 31 - (top & 31)  # -1 (none) gives row 0, masked below
        picks.append(np.where((top >= 0) & rated, row_group[row], -1))
        if r < 2 and k:
            flat[row * n + cols] = -1.0  # drop the reason picked from the next rounds
    picks[0] = np.where(~rated & ~bad, m, picks[0])  # not rated: say so as the first reason
    return np.array(picks)


def _reason_groups(factors: tuple[Factor, ...]) -> list[list[int]]:
    """Factor rows of each distinct reason text, in the order of the table."""
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(factors):
        groups.setdefault(f.reason_en, []).append(i)
    return list(groups.values())


def _reason_columns(factors: tuple[Factor, ...], picks: npt.NDArray[np.int64]) -> dict[str, Any]:
    """Reason codes and texts (English, Chinese) as categorical columns."""
    members = _reason_groups(factors)
    heads = [factors[idx[0]] for idx in members]
    categories = {
        "": [f.code for f in heads] + [_NOT_RATED[0]],
        "_en": [f.reason_en for f in heads] + [_NOT_RATED[1]],
        "_zh": [f.reason_zh for f in heads] + [_NOT_RATED[2]],
    }
    out: dict[str, Any] = {}
    for suffix, cats in categories.items():
        for r, codes in enumerate(picks, start=1):
            out[f"reason_{r}{suffix}"] = pd.Categorical.from_codes(codes, categories=pd.Index(cats))
    return out


def trade_score(*values: Any, policy: Policy = DEFAULT_POLICY, **named: Any) -> float | FloatArray:
    """The score alone (1..100, higher is safer), with the inputs of :data:`INPUTS` by
    position (the argument order of ``TRADESCORE``) or by name.

    Returns a float for scalar inputs, else an array; NaN where the buyer is not rated or
    an input is impossible (:func:`score_buyers` says why).

    Does one more default in the last 12 months lower a buyer's score?

    >>> a = trade_score(1000, 600, 500, 250, 150, 80, 1500, 50, 10, 0.2, 0)
    >>> b = trade_score(1000, 600, 500, 250, 150, 80, 1500, 50, 10, 0.2, 1)
    >>> bool(b < a)
    True
    """
    cols = input_columns(values, named)
    result = score_buyers(cols, policy=policy)["score"].to_numpy(dtype=float)
    scalar = all(v is None or np.ndim(v) == 0 for v in cols.values())
    return float(result[0]) if scalar else result


def input_columns(values: Sequence[Any], named: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The TradeScore inputs given by position (in the order of :data:`INPUTS`) and by name,
    as one mapping (None where not given): the one reading of the signature (DESIGN.md 3.1's
    sixteen inputs, then the ledger's oldest_overdue_days and history_invoices).

    >>> input_columns([1000.0, 600.0], {"late_share": 0.2})["late_share"]
    0.2
    >>> input_columns([1.0] * 19)
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.InputError: TradeScore takes at most 18 inputs (total_assets ... history_invoices); got 19.
    """
    if len(values) > len(INPUTS):
        raise InputError(Message("scorecard.too_many_inputs", {
            "max": len(INPUTS), "first": INPUTS[0], "last": INPUTS[-1], "count": len(values)}))
    cols: dict[str, Any] = dict.fromkeys(INPUTS)
    cols.update(zip(INPUTS, values, strict=False))
    for name, value in (named or {}).items():
        if name not in cols:
            raise InputError(Message("scorecard.unknown_input", {"name": name, "inputs": ", ".join(INPUTS)}))
        if name in INPUTS[: len(values)]:
            raise InputError(Message("scorecard.twice", {"name": name}))
        cols[name] = value
    return cols


def _signature(names: Sequence[str], required: int) -> inspect.Signature:
    """A signature of positional-or-keyword arguments: the first ``required`` required, the
    rest defaulting to None."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature([
        inspect.Parameter(n, kind, default=inspect.Parameter.empty if i < required else None, annotation=Any)
        for i, n in enumerate(names)
    ])


def input_signature(extra: Sequence[str] = (), required: int = 0) -> inspect.Signature:
    """The signature of a function taking the TradeScore inputs (:data:`INPUTS`) with
    ``extra`` optional arguments after DESIGN.md 3.1's sixteen and before the ledger inputs
    (:data:`LEDGER_INPUTS`), so that the 17th argument of ``TRADESCORE_DETAIL`` stays the
    language; the first ``required`` are required. The Excel functions ``TRADESCORE`` and
    ``TRADESCORE_DETAIL`` and :func:`trade_score` are declared with it.

    >>> names = str(input_signature(("language",), required=7)).split(", ")
    >>> names[6:8], names[16:]
    (['revenue: Any', 'net_income: Any = None'], ['language: Any = None', 'oldest_overdue_days: Any = None', 'history_invoices: Any = None)'])
    """
    first = len(INPUTS) - len(LEDGER_INPUTS)
    return _signature((*INPUTS[:first], *extra, *INPUTS[first:]), required)


trade_score.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [*input_signature().parameters.values(),
     inspect.Parameter("policy", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_POLICY, annotation=Policy)],
    return_annotation=float | FloatArray,
)
