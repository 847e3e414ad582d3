"""Fit the financial points tables of TradeScore on the UCI Polish bankruptcy data.

    .venv/bin/python scripts/fit_scorecard.py            # fit, cross-validate, print the table

Method (a binned logistic scorecard in the manner of optbinning, written with numpy and
scipy only, so the script needs nothing beyond the test extras):

1. Map the ratios of ``5year.arff`` to amounts with total assets = 1
   (:func:`xlcredit.engine.scorecard.polish_ratios_to_inputs`) and compute the eight financial
   factors exactly as the engine does (:func:`xlcredit.engine.scoring.factor_values`).
2. Per factor: candidate edges at the deciles, rounded to two significant figures; the
   bankruptcy rate per bin (with one pseudo-bad and -good) made monotone in the factor's
   known direction by isotonic regression; adjacent bins with equal rates merged.
3. Weight of evidence per bin: ln(share of goods / share of bads).
4. Logistic regression of bankruptcy on the WoE (unknown = 0) with non-negative weights
   and a light L2 penalty (scipy L-BFGS-B), so that points can never fall as a factor
   improves.
5. Points = weight x (WoE - lowest WoE of the factor), scaled so the eight maxima add up
   to 60, rounded to 0.1.

The frozen result is pasted into ``xlcredit/engine/scorecard.py``. The script also reports a
stratified 5-fold cross-validated AUC (the whole procedure refitted on each training fold)
and the AUC of the frozen table on ``1year.arff`` (never used for fitting).
"""

from __future__ import annotations

import sys
from pathlib import Path

import arff
import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.stats import rankdata

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlcredit.engine.scorecard import FACTORS, Factor, polish_ratios_to_inputs  # noqa: E402
from xlcredit.engine.scoring import factor_values, score_buyers  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polish_bankruptcy"
FINANCIAL_POINTS = 60.0
#: Candidate bin edges per factor before merging (quantiles at 1/(n+1) .. n/(n+1)).
CANDIDATES = 9
#: +1: higher is safer; -1: higher is riskier.
DIRECTION = {"wc_ta": 1, "re_ta": 1, "ebit_ta": 1, "equity_liabilities": 1, "debt_ratio": -1,
             "current_ratio": 1, "asset_turnover": 1, "profit_margin": 1}


def load(name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Buyer inputs (total assets = 1) and the bankruptcy flag of one ARFF file."""
    with open(DATA / name) as fh:
        d = arff.load(fh)
    cols = [a[0] for a in d["attributes"]]
    frame = pd.DataFrame(d["data"], columns=cols)
    y = frame.pop("class").astype(int).to_numpy()
    ratios = frame.apply(pd.to_numeric, errors="coerce")
    return polish_ratios_to_inputs(ratios), y


def auc(y: np.ndarray, risk: np.ndarray) -> float:
    """Area under the ROC curve of ``risk`` (higher = riskier) for the events ``y``
    (Mann-Whitney statistic; ties count one half)."""
    ranks = rankdata(risk)
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def isotonic(values: np.ndarray, weights: np.ndarray, increasing: bool) -> np.ndarray:
    """Weighted isotonic regression by pool-adjacent-violators (a handful of bins)."""
    v = list(values if increasing else -values)
    blocks = [[float(x), float(w), 1] for x, w in zip(v, weights, strict=True)]
    i = 0
    while i < len(blocks) - 1:
        if blocks[i][0] > blocks[i + 1][0]:
            a, b = blocks[i], blocks[i + 1]
            w = a[1] + b[1]
            merged = [(a[0] * a[1] + b[0] * b[1]) / w if w > 0 else (a[0] + b[0]) / 2, w, a[2] + b[2]]
            blocks[i:i + 2] = [merged]
            i = max(i - 1, 0)
        else:
            i += 1
    out = np.concatenate([[blk[0]] * blk[2] for blk in blocks])
    return out if increasing else -out


def stratified_folds(y: np.ndarray, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """k (train, test) index pairs with the bankrupt share kept in every fold."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), dtype=int)
    for label in (0, 1):
        idx = rng.permutation(np.flatnonzero(y == label))
        fold[idx] = np.arange(len(idx)) % k
    return [(np.flatnonzero(fold != f), np.flatnonzero(fold == f)) for f in range(k)]


def _round2(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        mag = np.where(x == 0, 0, np.floor(np.log10(np.abs(np.where(x == 0, 1, x)))))
    return np.round(x / 10**(mag - 1)) * 10**(mag - 1)


def bin_factor(x: np.ndarray, y: np.ndarray, direction: int,
               candidates: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """Monotone bins of one factor: (edges, WoE per bin)."""
    ok = np.isfinite(x) | np.isposinf(x)
    xs, ys = x[ok], y[ok]
    finite = xs[np.isfinite(xs)]
    edges = np.unique(_round2(np.quantile(finite, np.linspace(1, candidates, candidates) / (candidates + 1))))
    for _ in range(20):
        idx = np.searchsorted(edges, xs, side="right")
        k = len(edges) + 1
        bads = np.bincount(idx, weights=ys, minlength=k)
        tots = np.bincount(idx, minlength=k).astype(float)
        rate = (bads + 0.5) / (tots + 1.0)
        fitted = isotonic(rate, tots, increasing=direction < 0)
        keep = np.flatnonzero(np.abs(np.diff(fitted)) > 1e-12)  # edges between distinct levels
        if len(keep) == len(edges):
            break
        edges = edges[keep]
    idx = np.searchsorted(edges, xs, side="right")
    k = len(edges) + 1
    bads = np.bincount(idx, weights=ys, minlength=k) + 0.5
    goods = np.bincount(idx, weights=1 - ys, minlength=k) + 0.5
    woe = np.log((goods / goods.sum()) / (bads / bads.sum()))
    woe = np.maximum.accumulate(woe) if direction > 0 else np.minimum.accumulate(woe)
    return edges, woe


def fit(inputs: pd.DataFrame, y: np.ndarray, candidates: int = CANDIDATES) -> tuple[Factor, ...]:
    """The eight financial factors fitted on (inputs, y); the others kept as they are."""
    values = factor_values(inputs)
    fin = [f for f in FACTORS if f.group == "financial" and f.code != "debt_ratio"]
    tables, feats = [], []
    for f in fin:
        x = values[f.code].to_numpy(float)
        edges, woe = bin_factor(x, y, DIRECTION[f.code], candidates)
        tables.append((edges, woe))
        w = woe[np.searchsorted(edges, x, side="right")]
        feats.append(np.where(np.isnan(x), 0.0, w))
    X = np.column_stack(feats)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        b0, beta = theta[0], theta[1:]
        z = b0 - X @ beta  # high WoE = safe, so bankruptcy log-odds fall with it
        p = 1 / (1 + np.exp(-z))
        nll = -np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)) + 0.5 * beta @ beta
        g = p - y
        grad = np.concatenate([[g.sum()], -(X.T @ g) + beta])
        return float(nll), grad

    theta0 = np.concatenate([[np.log(y.mean() / (1 - y.mean()))], np.full(X.shape[1], 0.5)])
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B",
                   bounds=[(None, None)] + [(0.0, None)] * X.shape[1])
    beta = res.x[1:]
    raw = [b * (woe - woe.min()) for b, (_, woe) in zip(beta, tables, strict=True)]
    scale = FINANCIAL_POINTS / sum(r.max() for r in raw)
    out = []
    for f, (edges, _), r in zip(fin, tables, raw, strict=True):
        pts = np.round(r * scale, 1)
        out.append(Factor(f.code, f.group, f.label_en, f.label_zh, f.reason_en, f.reason_zh,
                          "bins", tuple(float(e) for e in edges), tuple(float(p) for p in pts)))
    out = _split_leverage(out)
    fixed = _fix_total(out)
    return tuple(fixed) + tuple(f for f in FACTORS if f.group != "financial")


def _split_leverage(factors: list[Factor]) -> list[Factor]:
    """Debt ratio D and equity / liabilities E/L carry the same information (E/L = 1/D - 1):
    E/L is fitted, then its points are shared half and half with a debt-ratio table on the
    same cut points (D = 1 / (1 + E/L)), so both read naturally and neither is idle."""
    el = next(f for f in factors if f.code == "equity_liabilities")
    template = next(f for f in FACTORS if f.code == "debt_ratio")
    half = tuple(round(p / 2, 1) for p in el.points)
    d_edges = tuple(float(e) for e in _round2(1.0 / (1.0 + np.asarray(el.edges[::-1]))))
    debt = Factor(template.code, template.group, template.label_en, template.label_zh,
                  template.reason_en, template.reason_zh, "bins", d_edges, half[::-1])
    out: list[Factor] = []
    for f in factors:
        if f.code == "equity_liabilities":
            out.append(Factor(f.code, f.group, f.label_en, f.label_zh, f.reason_en,
                              f.reason_zh, "bins", f.edges, half))
            out.append(debt)
        else:
            out.append(f)
    return out


def _fix_total(factors: list[Factor]) -> list[Factor]:
    """Make the maxima add up to exactly 60 after rounding (adjust the largest factor)."""
    total = sum(f.max_points for f in factors)
    gap = round(FINANCIAL_POINTS - total, 1)
    if gap == 0:
        return factors
    i = int(np.argmax([f.max_points for f in factors]))
    f = factors[i]
    pts = list(f.points)
    top = int(np.argmax(pts))
    pts = [p + gap if p == pts[top] else p for p in pts]
    factors[i] = Factor(f.code, f.group, f.label_en, f.label_zh, f.reason_en, f.reason_zh,
                        f.kind, f.edges, tuple(round(p, 1) for p in pts))
    return factors


def auc_of(factors: tuple[Factor, ...], inputs: pd.DataFrame, y: np.ndarray) -> tuple[float, int]:
    s = score_buyers(inputs, factors=factors)["score"].to_numpy(float)
    ok = ~np.isnan(s)
    return auc(y[ok], -s[ok]), int(ok.sum())


def main() -> None:
    inputs, y = load("5year.arff")
    factors = fit(inputs, y)
    for f in factors[:8]:
        print(f"    {f.code}: edges={f.edges!r}\n        points={f.points!r}")
    auc, n = auc_of(factors, inputs, y)
    print(f"in-sample AUC 5year: {auc:.4f} on {n} rows")
    folds = []
    for seed in (0, 1, 2):
        for tr, te in stratified_folds(y, 5, seed):
            fitted = fit(inputs.iloc[tr].reset_index(drop=True), y[tr])
            folds.append(auc_of(fitted, inputs.iloc[te].reset_index(drop=True), y[te])[0])
    print(f"5-fold CV AUC (3 repeats): mean {np.mean(folds):.4f} sd {np.std(folds):.4f} "
          f"min {np.min(folds):.4f}")
    inputs1, y1 = load("1year.arff")
    auc1, n1 = auc_of(factors, inputs1, y1)
    print(f"1year.arff (5-year horizon, not fitted) AUC: {auc1:.4f} on {n1} rows")
    print(f"frozen table in xlcredit/engine/scorecard.py, 5year AUC: {auc_of(FACTORS, inputs, y)[0]:.4f}")


if __name__ == "__main__":
    main()
