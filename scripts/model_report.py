"""Validation report of TradeScore on the UCI Polish bankruptcy data: figures and charts.

    .venv/bin/python scripts/model_report.py

Writes ``docs/model_roc.png`` (ROC curves of the score and of Altman Z''),
``docs/model_bands.png`` (bankruptcy rate by band with counts, against the mean PD) and the
figures block of ``docs/model.md`` (between the ``figures:start`` / ``figures:end``
markers): AUC in and out of sample, 5-fold cross-validated AUC, the Altman baseline,
default rate and count per band and grade, and the PD calibration fitted on the scores
(which ``xlcredit/engine/policy.py`` holds as ``score.pd_intercept`` / ``score.pd_slope``).
Needs the test extras (liac-arff, scipy, matplotlib) and ../shared/data.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from fit_scorecard import auc, auc_of, fit, load, stratified_folds  # noqa: E402

from xlcredit.engine.policy import DEFAULT_POLICY  # noqa: E402
from xlcredit.engine.scorecard import FACTORS  # noqa: E402
from xlcredit.engine.scoring import altman_z2, score_buyers  # noqa: E402

DOCS = ROOT / "docs"
_Z_INPUTS = ("total_assets", "total_liabilities", "current_assets", "current_liabilities",
             "retained_earnings", "ebit")


def roc(y: np.ndarray, risk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """False and true positive rates over every threshold (higher risk flagged first)."""
    order = np.argsort(-risk, kind="stable")
    ys = y[order]
    tpr = np.concatenate([[0.0], np.cumsum(ys) / ys.sum()])
    fpr = np.concatenate([[0.0], np.cumsum(1 - ys) / (1 - ys).sum()])
    return fpr, tpr


def calibrate(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Maximum-likelihood logistic PD = 1 / (1 + exp(-(a + b x score)))."""
    def nll(theta: np.ndarray) -> float:
        z = theta[0] + theta[1] * score
        return float(np.sum(np.logaddexp(0, z) - y * z))

    res = minimize(nll, np.array([0.0, -0.05]), method="BFGS")
    return float(res.x[0]), float(res.x[1])


def _num(v: float) -> str:
    return "" if not np.isfinite(v) else f"{v:g}"


def points_markdown() -> str:
    """The scorecard as Markdown: one line per factor, its bins or knots and points."""
    out = ["| Group | Factor | Kind | Values -> points | Max |", "|---|---|---|---|---:|"]
    for f in FACTORS:  # the 16 lines of the table
        if f.kind == "bins":
            lows = (-np.inf, *f.edges)
            highs = (*f.edges, np.inf)
            cells = []
            for lo, hi, p in zip(lows, highs, f.points, strict=True):
                span = (f"< {_num(hi)}" if not np.isfinite(lo) else
                        f">= {_num(lo)}" if not np.isfinite(hi) else f"{_num(lo)} to < {_num(hi)}")
                cells.append(f"{span}: **{p:g}**")
        else:
            cells = [f"{_num(x)}: **{p:g}**" for x, p in zip(f.edges, f.points, strict=True)]
        kind = "bins" if f.kind == "bins" else "linear between knots"
        out.append(f"| {f.group} | {f.label_en} ({f.label_zh}) | {kind} | {'; '.join(cells)} | {f.max_points:g} |")
    return "\n".join(out)


def main() -> None:
    inputs, y = load("5year.arff")
    r = score_buyers(inputs)
    s = r.score.to_numpy(float)
    ok = ~np.isnan(s)
    z = np.asarray(altman_z2(*(inputs[c].to_numpy() for c in _Z_INPUTS)))
    zok = np.isfinite(z)
    auc_score = auc(y[ok], -s[ok])
    auc_z = auc(y[zok], -z[zok])

    folds = []
    for seed in (0, 1, 2):
        for tr, te in stratified_folds(y, 5, seed):
            fitted = fit(inputs.iloc[tr].reset_index(drop=True), y[tr])
            folds.append(auc_of(fitted, inputs.iloc[te].reset_index(drop=True), y[te])[0])
    inputs1, y1 = load("1year.arff")
    s1 = score_buyers(inputs1).score.to_numpy(float)
    ok1 = ~np.isnan(s1)
    z1 = np.asarray(altman_z2(*(inputs1[c].to_numpy() for c in _Z_INPUTS)))
    zok1 = np.isfinite(z1)
    auc1, auc1_z = auc(y1[ok1], -s1[ok1]), auc(y1[zok1], -z1[zok1])

    a, b = calibrate(s[ok], y[ok])
    frame = pd.DataFrame({"band": r.band.astype(str), "grade": r.grade, "y": y, "pd": r.pd_12m})[ok]
    bands = frame.groupby("band").agg(buyers=("y", "size"), bankrupt=("y", "sum"),
                                      rate=("y", "mean"), mean_pd=("pd", "mean"))
    grades = frame.groupby("grade").agg(buyers=("y", "size"), rate=("y", "mean"))
    zones = pd.cut(z[zok], [-np.inf, 1.1, 2.6, np.inf], right=False,
                   labels=["distress (< 1.10)", "grey", "safe (>= 2.60)"])
    ztab = pd.DataFrame({"zone": zones, "y": y[zok]}).groupby("zone", observed=True).y.agg(["size", "mean"])

    # ------------------------------------------------------------------ charts
    DOCS.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 5.2), dpi=110)
    for fpr_tpr, label, style in (
        (roc(y[ok], -s[ok]), f"TradeScore, 5year (AUC {auc_score:.3f})", "-"),
        (roc(y[zok], -z[zok]), f"Altman Z'', 5year (AUC {auc_z:.3f})", "--"),
        (roc(y1[ok1], -s1[ok1]), f"TradeScore, 1year: 5-year horizon (AUC {auc1:.3f})", ":"),
    ):
        ax.plot(*fpr_tpr, style, label=label, lw=1.8)
    ax.plot([0, 1], [0, 1], color="0.7", lw=0.8)
    ax.set(xlabel="Share of surviving companies flagged (false positive rate)",
           ylabel="Share of bankruptcies caught (true positive rate)",
           title="TradeScore, financial inputs only: ROC on UCI Polish data", xlim=(0, 1), ylim=(0, 1))
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(DOCS / "model_roc.png")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4.2), dpi=110)
    x = np.arange(len(bands))
    ax.bar(x, bands["rate"] * 100, color=["#2e7d32", "#9ccc65", "#ffb300", "#e53935"][: len(bands)],
           label="bankrupt within a year (observed)")
    ax.plot(x, bands["mean_pd"] * 100, "ko--", label="mean PD (policy calibration)")
    for i, rate in enumerate(bands["rate"]):
        ax.text(i - 0.38, rate * 100 + 0.5, f"{rate:.1%}", ha="left", va="bottom", fontsize=9,
                fontweight="bold")
    ax.set_xticks(x, [f"Band {band}\nn = {int(n):,}" for band, n in zip(bands.index, bands["buyers"], strict=True)])
    ax.set(ylabel="Bankruptcy rate within a year, %", ylim=(0, bands["rate"].max() * 115))
    ax.set_title(f"Default rate by band, 5year.arff\n({len(frame):,} companies scored, "
                 f"{y[ok].mean():.2%} bankrupt)", fontsize=11)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(DOCS / "model_bands.png")
    plt.close(fig)

    # ------------------------------------------------------------------ figures block
    lines = [
        "| Measure | Value |",
        "|---|---|",
        f"| Companies scored, 5year.arff | {ok.sum():,} of {len(y):,} ({len(y) - ok.sum()} not scored: impossible values or no data) |",
        f"| AUC of TradeScore (financial inputs only), 5year.arff, in sample | **{auc_score:.3f}** |",
        f"| 5-fold cross-validated AUC (binning and weights refitted on each training fold, 3 repeats) | **{np.mean(folds):.3f}** (sd {np.std(folds):.3f}, min {np.min(folds):.3f}) |",
        f"| AUC of Altman Z'' on the same file (baseline) | {auc_z:.3f} ({zok.sum():,} rows) |",
        f"| AUC on 1year.arff (ratios 5 years before the outcome; never used for fitting) | {auc1:.3f} (Altman Z'' {auc1_z:.3f}) |",
        f"| PD calibration fitted on the 5year scores | pd_intercept = {a:.4f}, pd_slope = {b:.5f} (policy: {DEFAULT_POLICY.score.pd_intercept}, {DEFAULT_POLICY.score.pd_slope}) |",
        "",
        "Default rate by band (5year.arff, policy bands A >= 71, B >= 51, C >= 30, D >= 1):",
        "",
        "| Band | Companies | Bankrupt | Bankruptcy rate | Mean PD |",
        "|---|---:|---:|---:|---:|",
        *(f"| {band} | {int(row.buyers):,} | {int(row.bankrupt)} | {row.rate:.2%} | {row.mean_pd:.2%} |"
          for band, row in bands.iterrows()),
        "",
        "By grade (1 best .. 10):",
        "",
        "| Grade | " + " | ".join(str(int(g)) for g in grades.index) + " |",
        "|---|" + "---:|" * len(grades),
        "| Companies | " + " | ".join(f"{n:,}" for n in grades["buyers"]) + " |",
        "| Bankruptcy rate | " + " | ".join(f"{v:.1%}" for v in grades["rate"]) + " |",
        "",
        "Altman Z'' zones on the same file, for comparison: "
        + "; ".join(f"{zone} {int(row['size']):,} companies, {row['mean']:.2%} bankrupt"
                    for zone, row in ztab.iterrows()) + ".",
    ]
    block = "\n".join(lines)
    print(block)
    doc = DOCS / "model.md"
    if doc.exists():
        text = doc.read_text(encoding="utf-8")
        for name, content in (("figures", block), ("points", points_markdown())):
            text = re.sub(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
                          lambda m, c=content: m.group(1) + c + "\n" + m.group(2), text, flags=re.S)
        doc.write_text(text, encoding="utf-8")
    print(f"\nfactors: {len(FACTORS)}; wrote {DOCS / 'model_roc.png'}, {DOCS / 'model_bands.png'}")


if __name__ == "__main__":
    main()
