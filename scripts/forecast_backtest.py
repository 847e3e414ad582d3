"""Back-test of the cash-collection forecast on the shared real ledger (docs/forecast.md).

    python scripts/forecast_backtest.py [PATH/TO/invoices.csv]

At each month-end ``t`` from 2012-03-31 to 2013-11-30 (the first with two full months of
paid history, the last before the ledger's last invoice), the forecast of
:func:`xlcredit.engine.forecast.forecast` is made from the ledger as it stood on ``t``: the
delays are learned only from invoices paid on or before ``t``, and the invoices open on
``t`` (issued on or before ``t``, settled after it; disputed ones are apart, as in the
forecast) are spread over the next four weeks. It is compared with what those invoices
actually brought in each week (settled in days ``t+7(w-1)+1 .. t+7w``), next to the naive
forecast "everyone pays on the due date". In both forecasts an item whose expected date
is on or before ``t`` counts in week 1. The error is the mean absolute error over the
month-ends, per week. The ledger is read in place (tests and benchmarks only, never
shipped); every figure here is printed by this script and checked by
tests/test_forecast.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from xlcredit.engine.forecast import forecast
from xlcredit.engine.policy import Policy

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parents[1] / "shared" / "data" / "ar_ledger_sample" / "invoices.csv"
if not DEFAULT_DATA.is_file():  # a checkout beside ../shared (rather than a worktree)
    DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ar_ledger_sample" / "invoices.csv"
WEEKS = 4
MONTH_ENDS = pd.date_range("2012-03-31", "2013-11-30", freq="ME")


def read_ledger(path: Path = DEFAULT_DATA) -> pd.DataFrame:
    """The sample under xlcredit's standard column names (dates are dd/mm/yyyy in the file)."""
    raw = pd.read_csv(path)
    date = {c: pd.to_datetime(raw[c], format="%d/%m/%Y") for c in ("InvoiceDate", "DueDate", "SettledDate")}
    return pd.DataFrame({
        "buyer_id": raw["customerID"], "invoice_no": raw["invoiceNumber"].astype(str),
        "amount": raw["InvoiceAmount"].astype(float), "invoice_date": date["InvoiceDate"],
        "due_date": date["DueDate"], "paid_date": date["SettledDate"],
        "disputed": raw["Disputed"].eq("Yes"),
    })


def _weeks(expected: pd.Series, t: pd.Timestamp) -> np.ndarray:
    days = (expected - t).dt.days.to_numpy(dtype=float)
    return np.maximum(1, np.ceil(days / 7.0)).astype(int)


def backtest(ledger: pd.DataFrame, policy: Policy | None = None) -> pd.DataFrame:
    """One row per month-end and week: ``forecast``, ``naive`` and ``actual`` collections."""
    rows = []
    for t in MONTH_ENDS:  # one forecast per month-end
        f = forecast(ledger, t, policy, weeks=WEEKS)
        items = f.items.merge(ledger[["invoice_no", "paid_date"]], on="invoice_no", how="left")
        naive_week = _weeks(items["due_date"], t)
        paid_days = (items["paid_date"] - t).dt.days.to_numpy(dtype=float)
        actual_week = np.ceil(paid_days / 7.0).astype(int)  # paid after t: week 1 and later
        for w in range(1, WEEKS + 1):
            rows.append({
                "month_end": t, "week": w,
                "forecast": float(f.weekly.loc[w - 1, "expected"]),
                "naive": float(items["open_base"][naive_week == w].sum()),
                "actual": float(items["open_base"][actual_week == w].sum()),
            })
    return pd.DataFrame(rows)


def summary(results: pd.DataFrame) -> pd.DataFrame:
    """Mean absolute error by week (and over the four weeks) of both forecasts."""
    err = results.assign(
        forecast_error=(results["forecast"] - results["actual"]).abs(),
        naive_error=(results["naive"] - results["actual"]).abs(),
    )
    by_week = err.groupby("week")[["actual", "forecast_error", "naive_error"]].mean()
    by_week.loc["all"] = err[["actual", "forecast_error", "naive_error"]].mean()
    return by_week.rename(columns={"actual": "mean_actual", "forecast_error": "mae_forecast",
                                   "naive_error": "mae_naive"})


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    results = backtest(read_ledger(path))
    print(f"{len(MONTH_ENDS)} month-ends, {MONTH_ENDS[0].date()} .. {MONTH_ENDS[-1].date()}")
    print(summary(results).round(2).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
