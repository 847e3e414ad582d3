"""The payment part of TradeScore on real outcomes: UCI credit-card default (issue 10).

30,000 card holders of a Taiwanese bank (Yeh and Lien 2009, CC BY 4.0), six months of
repayment status, default next month (22.12 %). Read as a ledger would see it, from
ledger facts only (never the -2/-1/0 codes, which all mean "not late" here): days beyond
terms, share of months paid late, 90+ day events, the oldest item overdue now. TradeScore
fed these must reach AUC >= 0.733 (the issue's bar, above the 0.732 of a logistic regression
on five ledger-like features in the data README), rank defaults band by band, and rate every
holder from behaviour alone (six months of history). Consumer data: a check of direction and
ranking only. Figures: docs/model.md.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from xlcredit.engine.scoring import score_buyers


def auc(y: np.ndarray, risk: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney; ties count one half)."""
    ranks = rankdata(risk)
    pos = y == 1
    n1, n0 = int(pos.sum()), int((~pos).sum())
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def ledger_facts(frame: pd.DataFrame) -> pd.DataFrame:
    """What a ledger gives for each holder (the reading of scripts/fit_payment.py)."""
    pay = frame[["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"]].to_numpy(float)
    late = np.maximum(pay, 0.0)  # months late (PAY_0 = September, the latest month)
    return pd.DataFrame({
        "days_beyond_terms": 30.0 * late.mean(axis=1),
        "late_share": (late > 0).mean(axis=1),
        "defaults_12m": (late >= 3).sum(axis=1).astype(float),
        "oldest_overdue_days": 30.0 * late[:, 0],
        "history_invoices": np.full(len(frame), 6.0),
    })


@pytest.fixture(scope="module")
def cards(shared_data: Path) -> tuple[pd.DataFrame, np.ndarray]:
    path = shared_data / "credit_card_default" / "UCI_Credit_Card.csv"
    if not path.is_file():
        pytest.skip(f"real data not found at {path}")
    frame = pd.read_csv(path)
    y = frame["default.payment.next.month"].to_numpy(int)
    return score_buyers(ledger_facts(frame)), y


def test_file_is_the_documented_one(cards: tuple[pd.DataFrame, np.ndarray]) -> None:
    # README: 30,000 holders, 22.12 % defaulted.
    _scores, y = cards
    assert len(y) == 30_000 and round(y.mean(), 4) == 0.2212


def test_every_holder_is_rated_from_behaviour_alone(cards: tuple[pd.DataFrame, np.ndarray]) -> None:
    scores, _ = cards
    assert scores["score"].notna().all() and (scores["basis"] == "behaviour").all()
    assert scores["pd_12m"].isna().all()  # not calibrated: the PD was fitted on statements


def test_payment_part_reaches_the_issue_bar(cards: tuple[pd.DataFrame, np.ndarray]) -> None:
    # Issue 10: today's three inputs reach 0.727, a logistic regression 0.732; >= 0.733.
    scores, y = cards
    value = auc(y, -scores["score"].to_numpy(float))
    assert value >= 0.733, value


def test_default_rate_falls_band_by_band(cards: tuple[pd.DataFrame, np.ndarray]) -> None:
    scores, y = cards
    rates = pd.Series(y).groupby(scores["band"].astype(str).to_numpy()).mean()
    present = [b for b in "ABCD" if b in rates.index]
    assert len(present) >= 3
    assert all(rates[a] < rates[b] for a, b in itertools.pairwise(present)), rates
