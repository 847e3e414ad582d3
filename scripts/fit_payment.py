"""Fit the payment-behaviour points of TradeScore on the UCI credit-card default data.

    .venv/bin/python scripts/fit_payment.py          # fit, cross-validate, print the tables

Data: ``../shared/data/credit_card_default/UCI_Credit_Card.csv`` (30,000 card holders of a
Taiwanese bank, six months of repayment status, default next month; consumer revolving
credit, so a check of direction and ranking, not of B2B levels). Read **as a ledger would
see it**, from ledger facts only (never the -2/-1/0 codes, which no ledger has: they all
mean "not late" here):

* months late per month = max(PAY_x, 0) (PAY_0 is September, PAY_6 April);
* days beyond terms = 30 x the mean months late over the six months;
* late share = share of the six months paid late;
* 90+ day events in 12 months = months three or more months late (``defaults_12m``);
* oldest item overdue now = 30 x September's months late.

Method (as ``scripts/fit_scorecard.py`` for the financial part): candidate bin edges at
quantiles rounded to two significant figures, bin default rates made monotone (more days
late never safer) by isotonic regression, weights of evidence, a logistic regression with
non-negative weights, points = weight x (WoE - lowest WoE) scaled so the payment maxima add
up to 25 (the group's share of the 100 points), rounded to 0.1. Stratified 5-fold
cross-validation (3 repeats) refits everything on each training fold.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from fit_scorecard import auc, bin_factor, stratified_folds  # noqa: E402

DATA = Path(os.environ.get("XLCREDIT_SHARED_DATA") or ROOT.parent / "shared" / "data") / "credit_card_default" / "UCI_Credit_Card.csv"
PAYMENT_POINTS = 25.0
#: The payment factors fitted, in scorecard order (all: higher is riskier).
CODES = ("days_beyond_terms", "late_share", "defaults_12m", "oldest_overdue_days")
CANDIDATES = 9


def ledger_facts(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The ledger-like inputs of every holder, and the default flag."""
    pay = frame[["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"]].to_numpy(float)
    late = np.maximum(pay, 0.0)  # months late; -2, -1 and 0 all mean "not late"
    facts = pd.DataFrame({
        "days_beyond_terms": 30.0 * late.mean(axis=1),
        "late_share": (late > 0).mean(axis=1),
        "defaults_12m": (late >= 3).sum(axis=1).astype(float),
        "oldest_overdue_days": 30.0 * late[:, 0],
    })
    return facts, frame["default.payment.next.month"].to_numpy(int)


def load() -> tuple[pd.DataFrame, np.ndarray]:
    return ledger_facts(pd.read_csv(DATA))


def fit(facts: pd.DataFrame, y: np.ndarray) -> dict[str, tuple[tuple[float, ...], tuple[float, ...]]]:
    """Bins and points per factor: {code: (edges, points)}."""
    tables, feats = [], []
    for code in CODES:
        x = facts[code].to_numpy(float)
        edges, woe = bin_factor(x, y, -1, CANDIDATES)
        tables.append((edges, woe))
        feats.append(woe[np.searchsorted(edges, x, side="right")])
    X = np.column_stack(feats)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = theta[0] - X @ theta[1:]
        p = 1 / (1 + np.exp(-z))
        g = p - y
        nll = -np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)) + 0.5 * theta[1:] @ theta[1:]
        return float(nll), np.concatenate([[g.sum()], -(X.T @ g) + theta[1:]])

    theta0 = np.concatenate([[np.log(y.mean() / (1 - y.mean()))], np.full(X.shape[1], 0.5)])
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B",
                   bounds=[(None, None)] + [(0.0, None)] * X.shape[1])
    raw = [b * (woe - woe.min()) for b, (_e, woe) in zip(res.x[1:], tables, strict=True)]
    scale = PAYMENT_POINTS / sum(r.max() for r in raw)
    out = {}
    for code, (edges, _w), r in zip(CODES, tables, raw, strict=True):
        out[code] = (tuple(float(e) for e in edges), tuple(float(p) for p in np.round(r * scale, 1)))
    return out


def points(tables: dict[str, tuple[tuple[float, ...], tuple[float, ...]]], facts: pd.DataFrame) -> np.ndarray:
    total = np.zeros(len(facts))
    for code, (edges, pts) in tables.items():
        total += np.asarray(pts)[np.searchsorted(np.asarray(edges), facts[code].to_numpy(float), side="right")]
    return total


def cross_validated_auc(facts: pd.DataFrame, y: np.ndarray, repeats: int = 3) -> list[float]:
    aucs = []
    for seed in range(repeats):
        for train, test in stratified_folds(y, 5, seed):
            tables = fit(facts.iloc[train].reset_index(drop=True), y[train])
            aucs.append(auc(y[test], -points(tables, facts.iloc[test].reset_index(drop=True))))
    return aucs


def main() -> None:
    facts, y = load()
    tables = fit(facts, y)
    for code, (edges, pts) in tables.items():
        print(f"{code}: edges {edges} points {pts}")
    print(f"in-sample AUC {auc(y, -points(tables, facts)):.4f}")
    aucs = cross_validated_auc(facts, y)
    print(f"5-fold CV AUC {np.mean(aucs):.4f} (sd {np.std(aucs):.4f}, min {np.min(aucs):.4f})")


if __name__ == "__main__":
    main()
