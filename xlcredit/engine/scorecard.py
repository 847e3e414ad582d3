"""The TradeScore points table: which factors count, and how many points each value earns.

This module is data a credit controller can read, plus the few lines that apply it. Every
factor is a column of the buyer file (or a ratio of two or three of them) with a points
table of one of two kinds:

``bins``
    ``edges`` cut the axis into ``len(edges) + 1`` bins; a value ``x`` falls in bin ``j``
    when ``edges[j - 1] <= x < edges[j]``; ``points[j]`` is what it earns.
``linear``
    ``edges`` are knots and ``points`` the points at the knots; values in between are
    interpolated, values outside take the nearest end (``numpy.interp``).

Points never fall as a factor gets safer and never rise as a risk signal worsens (more
debt, more days late, more defaults, a worse industry or country, negative news), so the
score is monotone in every risk signal. The best value of every factor earns its
``max_points``; the maxima add up to 100 (financial 60, payment 25, environment 8,
qualitative 7). How the points become a score: :mod:`xlcredit.engine.scoring`. Factors that
share a reason text (debt ratio and equity / liabilities: the same fact seen two ways)
give one reason between them.

The eight financial tables were fitted on the UCI Polish companies bankruptcy data
(``5year.arff``: one-year-ahead bankruptcy, 5,910 companies, 6.94 % bankrupt) by
``scripts/fit_scorecard.py``: quantile bins rounded to two significant figures, bin
default rates made monotone by isotonic regression, weights of evidence, a logistic
regression with non-negative weights, points scaled to 60. The payment, environment and
qualitative tables are expert settings (PAYDEX curve, market practice); the payment weights
and the oldest-item table were chosen, readable and monotone, on the UCI credit-card default
data (``scripts/fit_payment.py``: direction and ranking only, consumer data). See
docs/model.md.

How many points does an EBIT of 8 % of total assets earn?

>>> f = FACTORS_BY_CODE["ebit_ta"]
>>> float(f.points_for(np.array([0.08]))[0]) <= f.max_points
True
>>> [f.code for f in FACTORS][:3]
['wc_ta', 're_ta', 'ebit_ta']
>>> sum(f.max_points for f in FACTORS)
100.0
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.messages import pair

__all__ = [
    "FACTORS",
    "FACTORS_BY_CODE",
    "GROUPS",
    "Factor",
    "points_table",
    "polish_ratios_to_inputs",
]

Group = Literal["financial", "payment", "environment", "qualitative"]
GROUPS: tuple[str, ...] = ("financial", "payment", "environment", "qualitative")


@dataclass(frozen=True)
class Factor:
    """One line of the scorecard: a measured quantity and its points table."""

    code: str
    group: Group
    label_en: str
    label_zh: str
    #: Reason text shown when this factor costs the buyer points.
    reason_en: str
    reason_zh: str
    kind: Literal["bins", "linear"]
    edges: tuple[float, ...]
    points: tuple[float, ...]

    @property
    def max_points(self) -> float:
        """Points of the best value of this factor."""
        return float(max(self.points))

    def points_for(self, values: npt.NDArray[np.float64],
                   out: npt.NDArray[np.float64] | None = None) -> npt.NDArray[np.float64]:
        """Points earned by each value; NaN where the value is unknown.

        ``out``, if given, is a float array of the values' shape that receives the points
        (the scorer writes each factor straight into its row of the points table).

        >>> FACTORS_BY_CODE["negative_news"].points_for(np.array([0.0, 1.0, np.nan])).tolist()
        [3.0, 0.0, nan]
        """
        x = np.asarray(values, dtype=float)
        if self.kind == "linear":
            return self._interp(x, out)
        # Bin index = number of edges at or below x (+inf, e.g. no liabilities at all, falls
        # in the last bin; NaN goes past the end, to a NaN); a few comparisons beat a
        # binary search here.
        idx = np.multiply(np.isnan(x), len(self.points), dtype=np.int8)
        for edge in self.edges:  # a loop over the handful of edges, not over buyers
            idx += x >= edge
        return self._table.take(idx, out=out, mode="clip")  # idx is in range: clip avoids a buffer

    @cached_property
    def _table(self) -> npt.NDArray[np.float64]:
        """Points of each bin, then NaN (for an unknown value)."""
        return np.array([*self.points, np.nan])

    @cached_property
    def _slopes(self) -> npt.NDArray[np.float64]:
        dx, dy = np.asarray(self.edges, dtype=float), np.asarray(self.points, dtype=float)
        return (dy[1:] - dy[:-1]) / (dx[1:] - dx[:-1])

    def _interp(self, x: npt.NDArray[np.float64],
                out: npt.NDArray[np.float64] | None = None) -> npt.NDArray[np.float64]:
        """``numpy.interp(x, edges, points)``, to the last bit, in a few whole-array steps.

        numpy.interp binary-searches every value (slow on a few knots); here the segment
        is counted with one comparison per inner knot, then numpy.interp's own formula
        ``slope x (x - knot) + points`` is applied, and the ends are clamped as it does
        (a value on the last knot, or beyond, takes the last points exactly).
        """
        dx, dy = np.asarray(self.edges, dtype=float), np.asarray(self.points, dtype=float)
        if out is None:
            out = np.empty(x.shape)  # an array even for one value
        if len(dx) == 1:
            out[...] = np.interp(x, dx, dy)
            return out if out.ndim else out[()]
        seg = np.zeros(x.shape, dtype=np.intp)
        for knot in self.edges[1:-1]:  # a loop over the handful of knots, not over buyers
            seg += x >= knot
        np.subtract(x, dx.take(seg), out=out)
        with np.errstate(over="ignore", invalid="ignore"):  # huge or infinite x: clamped below
            out *= self._slopes.take(seg)
            out += dy.take(seg)
        np.copyto(out, dy[0], where=x < dx[0])
        np.copyto(out, dy[-1], where=x >= dx[-1])
        return out if out.ndim else out[()]  # one value: a number, as numpy.interp gives

    def check(self) -> None:
        """Refuse a malformed table (used by the tests and by anyone editing the data).

        >>> Factor("x", "payment", "", "", "", "", "bins", (1.0,), (1.0,)).check()
        Traceback (most recent call last):
        ...
        ValueError: factor x: bins need len(points) == len(edges) + 1; got 1 edges, 1 points
        """
        n_e, n_p = len(self.edges), len(self.points)
        if self.kind == "bins" and n_p != n_e + 1:
            raise ValueError(
                f"factor {self.code}: bins need len(points) == len(edges) + 1; "
                f"got {n_e} edges, {n_p} points"
            )
        if self.kind == "linear" and n_p != n_e:
            raise ValueError(f"factor {self.code}: linear knots need as many points as edges")
        if any(b <= a for a, b in zip(self.edges, self.edges[1:], strict=False)):
            raise ValueError(f"factor {self.code}: edges must ascend strictly")
        if min(self.points) != 0:
            raise ValueError(f"factor {self.code}: the worst value must earn 0 points")


# ------------------------------------------------------------------------------ the table
# Financial factors: fitted by scripts/fit_scorecard.py on 5year.arff (frozen output below;
# re-run the script to reproduce it). Higher ratio = safer, except the debt ratio.
_FINANCIAL: tuple[Factor, ...] = (
    Factor("wc_ta", "financial", *pair("scorecard.wc_ta"), *pair("scorecard.wc_ta_reason"),
           "bins", (-0.13, 0.0035, 0.079, 0.29), (0.0, 0.4, 0.6, 0.9, 0.9)),
    Factor("re_ta", "financial", *pair("scorecard.re_ta"), *pair("scorecard.re_ta_reason"),
           "bins", (-0.19, -0.015, 0.0, 0.06, 0.16, 0.31), (0.0, 2.9, 5.6, 5.7, 9.6, 11.6, 13.2)),
    Factor("ebit_ta", "financial", *pair("scorecard.ebit_ta"), *pair("scorecard.ebit_ta_reason"),
           "bins", (-0.095, -0.004, 0.014, 0.033, 0.084), (0.0, 5.7, 10.1, 10.9, 12.2, 13.0)),
    Factor("equity_liabilities", "financial", *pair("scorecard.equity_liabilities"), *pair("scorecard.equity_liabilities_reason"),
           "bins", (0.15, 0.4, 0.61, 1.2, 1.7, 2.4), (0.0, 0.9, 1.7, 1.9, 2.4, 2.5, 2.7)),
    Factor("debt_ratio", "financial", *pair("scorecard.debt_ratio"), *pair("scorecard.debt_ratio_reason"),
           "bins", (0.29, 0.37, 0.45, 0.62, 0.71, 0.87), (2.7, 2.5, 2.4, 1.9, 1.7, 0.9, 0.0)),
    Factor("current_ratio", "financial", *pair("scorecard.current_ratio"), *pair("scorecard.current_ratio_reason"),
           "bins", (0.74, 1.0, 1.2, 1.4, 2.2), (0.0, 4.3, 6.1, 8.9, 9.7, 11.9)),
    Factor("asset_turnover", "financial", *pair("scorecard.asset_turnover"), *pair("scorecard.asset_turnover_reason"),
           "bins", (0.81, 1.0), (0.0, 0.8, 1.6)),
    Factor("profit_margin", "financial", *pair("scorecard.profit_margin"), *pair("scorecard.profit_margin_reason"),
           "bins", (-0.077, -0.0044, 0.0078, 0.034), (0.0, 5.5, 8.6, 11.4, 14.0)),
)

# Payment behaviour (25 points), environment (8) and qualitative signals (7): expert tables.
_OTHER: tuple[Factor, ...] = (
    # PAYDEX: 100 = 30 days early, 80 = on time, 50 = 30 days late, 40 = 60, 30 = 90,
    # 20 = 120 days late (D&B). Points = 8 x (PAYDEX - 20) / 80. The payment weights (8, 5,
    # 6, 6) were chosen on the UCI credit-card default data (scripts/fit_payment.py).
    Factor("days_beyond_terms", "payment", *pair("scorecard.days_beyond_terms"), *pair("scorecard.days_beyond_terms_reason"),
           "linear", (-30.0, 0.0, 30.0, 60.0, 90.0, 120.0), (8.0, 6.0, 3.0, 2.0, 1.0, 0.0)),
    Factor("late_share", "payment", *pair("scorecard.late_share"), *pair("scorecard.late_share_reason"),
           "linear", (0.0, 0.1, 0.3, 0.6, 1.0), (5.0, 4.0, 2.5, 1.0, 0.0)),
    Factor("defaults_12m", "payment", *pair("scorecard.defaults_12m"), *pair("scorecard.defaults_12m_reason"),
           "bins", (1.0, 2.0, 3.0), (6.0, 2.0, 0.5, 0.0)),
    Factor("oldest_overdue_days", "payment", *pair("scorecard.oldest_overdue_days"), *pair("scorecard.oldest_overdue_days_reason"),
           "linear", (0.0, 30.0, 60.0, 90.0), (6.0, 3.0, 1.0, 0.0)),
    Factor("industry_risk", "environment", *pair("scorecard.industry_risk"), *pair("scorecard.industry_risk_reason"),
           "linear", (1.0, 5.0), (4.0, 0.0)),
    Factor("country_risk", "environment", *pair("scorecard.country_risk"), *pair("scorecard.country_risk_reason"),
           "linear", (1.0, 5.0), (4.0, 0.0)),
    Factor("management_changes_12m", "qualitative", *pair("scorecard.management_changes_12m"), *pair("scorecard.management_changes_12m_reason"),
           "bins", (1.0, 2.0, 3.0), (2.0, 1.2, 0.5, 0.0)),
    Factor("negative_news", "qualitative", *pair("scorecard.negative_news"), *pair("scorecard.negative_news_reason"),
           "bins", (0.5,), (3.0, 0.0)),
    Factor("years_in_business", "qualitative", *pair("scorecard.years_in_business"), *pair("scorecard.years_in_business_reason"),
           "linear", (0.0, 2.0, 5.0, 10.0), (0.0, 0.8, 1.4, 2.0)),
)

FACTORS: tuple[Factor, ...] = _FINANCIAL + _OTHER
FACTORS_BY_CODE: dict[str, Factor] = {f.code: f for f in FACTORS}


def points_table(factors: tuple[Factor, ...] = FACTORS, language: str = "en") -> pd.DataFrame:
    """The scorecard as a table: one row per bin or knot (what docs/model.md prints).

    Which debt ratios cost points?

    >>> t = points_table()
    >>> list(t.columns)
    ['group', 'factor', 'kind', 'from', 'to', 'points', 'max_points']
    >>> t[t.factor == "Years in business"].points.tolist()
    [0.0, 0.8, 1.4, 2.0]
    """
    rows: list[dict[str, object]] = []
    for f in factors:  # a loop over the ~16 lines of the table, not over buyers
        label = f.label_zh if language == "zh-CN" else f.label_en
        if f.kind == "bins":
            lows = (-np.inf, *f.edges)
            highs = (*f.edges, np.inf)
            for lo, hi, p in zip(lows, highs, f.points, strict=True):
                rows.append({"group": f.group, "factor": label, "kind": "bin", "from": lo,
                             "to": hi, "points": p, "max_points": f.max_points})
        else:
            for x, p in zip(f.edges, f.points, strict=True):
                rows.append({"group": f.group, "factor": label, "kind": "knot", "from": x,
                             "to": x, "points": p, "max_points": f.max_points})
    return pd.DataFrame(rows)


def polish_ratios_to_inputs(ratios: pd.DataFrame) -> pd.DataFrame:
    """Map the UCI Polish bankruptcy ratios (columns ``Attr1`` .. ``Attr64``) to TradeScore
    inputs, with total assets = 1 (every ratio over total assets becomes an amount).

    How does a ratio file become a buyer file? Working capital / total assets 0.2, current
    ratio 2 and short-term liabilities x 365 / sales = 73 days on sales of 1.0:

    >>> r = pd.DataFrame({"Attr1": [0.05], "Attr2": [0.5], "Attr3": [0.2], "Attr4": [2.0],
    ...                   "Attr6": [0.1], "Attr7": [0.07], "Attr9": [1.0], "Attr62": [73.0]})
    >>> polish_ratios_to_inputs(r).round(3).iloc[0].tolist()
    [1.0, 0.5, 0.4, 0.2, 0.1, 0.07, 1.0, 0.05]

    Notes
    -----
    total_liabilities = Attr2, retained_earnings = Attr6, ebit = Attr7, revenue = Attr9,
    net_income = Attr1; current_liabilities = Attr62 x Attr9 / 365 (short-term liabilities
    from their days of sales), else Attr3 / (Attr4 - 1) when that is missing or would make
    current assets negative;
    current_assets = current_liabilities + Attr3 (working capital). Book equity / total
    liabilities is then (1 - Attr2) / Attr2, which equals Attr8 to 5e-5 (median).

    References
    ----------
    Tomczak, S. (2016). Polish Companies Bankruptcy. UCI Machine Learning Repository,
    https://doi.org/10.24432/C5F600 (CC BY 4.0).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        cl = ratios["Attr62"].to_numpy(float) * ratios["Attr9"].to_numpy(float) / 365.0
        alt = ratios["Attr3"].to_numpy(float) / (ratios["Attr4"].to_numpy(float) - 1.0)
    # Prefer the days-of-sales route; fall back on the current ratio where it is missing or
    # would make current assets negative (the two routes disagree on a few noisy rows).
    wc = ratios["Attr3"].to_numpy(float)
    usable = np.isfinite(cl) & ~(cl + wc < 0)
    cl = np.where(usable, cl, np.where(np.isfinite(alt), alt, np.nan))
    return pd.DataFrame(
        {
            "total_assets": np.ones(len(ratios)),
            "total_liabilities": ratios["Attr2"].to_numpy(float),
            "current_assets": cl + wc,
            "current_liabilities": cl,
            "retained_earnings": ratios["Attr6"].to_numpy(float),
            "ebit": ratios["Attr7"].to_numpy(float),
            "revenue": ratios["Attr9"].to_numpy(float),
            "net_income": ratios["Attr1"].to_numpy(float),
        }
    )
