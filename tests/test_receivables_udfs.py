"""Excel functions DSO, DSO_BEST, DAYS_DELINQUENT, CEI, PCT_CURRENT, AR_TURNOVER,
DAYS_BEYOND_TERMS, LATE_SHARE, AGING_BUCKET and AGING, fed exactly what xlwings delivers
(DESIGN.md section 4): floats, None for blanks and error cells, datetime for date cells,
serial numbers, Decimal for currency-formatted cells, a column as a flat list (or a list of
one-item lists with ndim=2), a block as a list of lists, TRUE/FALSE as bool."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xlcredit.excel.udf.receivables import (
    AGING,
    AGING_BUCKET,
    AR_TURNOVER,
    CEI,
    DAYS_BEYOND_TERMS,
    DAYS_DELINQUENT,
    DSO,
    DSO_BEST,
    LATE_SHARE,
    PCT_CURRENT,
)

SALES = [70000.0, 80000.0, 100000.0]  # DESIGN.md 3.1, oldest to newest
AS_OF = dt.datetime(2026, 11, 28)  # serial 46354


# --------------------------------------------------------------------------- DESIGN.md 3.1 values
def test_dso_design_examples() -> None:
    # DESIGN.md 3.1: full precision returned; the cell format shows 76.32 and 73.71
    assert DSO(212000.0, 250000.0, 90.0) == pytest.approx(76.32, abs=1e-12)
    assert DSO(212000.0, SALES, 30.0) == pytest.approx(76.32, abs=1e-12)
    countback = DSO(212000.0, SALES, 30.0, "countback")
    assert round(countback, 2) == 73.71
    assert countback == pytest.approx(60 + 32000 / 70000 * 30)


def test_dso_ranges_as_xlwings_sends_them() -> None:
    # a column with ndim=2, Decimal from a currency format, blank period_days = default 30
    assert DSO(Decimal("212000"), [[70000.0], [80000.0], [Decimal("100000.00")]], None,
               "Countback ") == pytest.approx(60 + 32000 / 70000 * 30)
    # a row of sales (flat list) and calendar days per period
    assert DSO(212000.0, SALES, [30.0, 31.0, 30.0]) == pytest.approx(212000 / 250000 * 91)
    # one buyer per row, one sales figure each, default 365 days
    assert DSO([100.0, 50.0], [365.0, 730.0]) == [[100.0], [25.0]]
    assert DSO([[100.0], [50.0]], [[300.0], [300.0]], [[90.0], [180.0]]) == [[30.0], [30.0]]
    # a block: one row per buyer, one column per period (oldest left)
    block = DSO([212000.0, 50.0], [SALES, [100.0, 0.0, 0.0]], 30.0, "countback")
    assert block[0][0] == pytest.approx(73.714285714, abs=1e-6)
    assert block[1][0] == pytest.approx(60.0 + 50 / 100 * 30)


def test_dso_errors_are_readable() -> None:
    assert DSO(100.0, 0.0, 30.0) == "#N/A no sales in the period (sales must be > 0)"
    assert DSO(None, 100.0) == "#N/A receivables missing"
    assert DSO(300000.0, SALES, 30.0, "countback").startswith(
        "#N/A receivables exceed the sales listed")
    assert DSO(-5.0, 100.0).startswith("#N/A receivables are negative")
    assert DSO(100.0, 100.0, 30.0, "fast") == (
        "#VALUE! method must be 'standard' or 'countback'; got 'fast'.")
    assert DSO(100.0, 100.0, 0.0) == "#VALUE! period_days must be a number of days > 0; got 0."
    assert DSO("abc", 100.0) == "#VALUE! receivables: 'abc' is not a number"
    assert DSO([1.0, 2.0], [1.0, 2.0, 3.0]).startswith("#VALUE! receivables has 2 rows but sales has 3")
    # per-row problems stay in their row
    assert DSO([100.0, "x", 10.0], [100.0, 100.0, 0.0], 30.0) == [
        [30.0], ["#VALUE! receivables: 'x' is not a number"],
        ["#N/A no sales in the period (sales must be > 0)"]]


def test_best_and_delinquent() -> None:
    assert DSO_BEST(150000.0, 250000.0, 90.0) == pytest.approx(54.0)
    assert DAYS_DELINQUENT(212000.0, 150000.0, 250000.0, 90.0) == pytest.approx(22.32)
    assert DAYS_DELINQUENT(212000.0, 150000.0, SALES, 30.0, "countback") == pytest.approx(
        60 + 32000 / 70000 * 30 - (30 + 50000 / 80000 * 30))
    assert DAYS_DELINQUENT(100.0, 150.0, 1000.0) == "#N/A current_receivables exceed receivables"
    assert DAYS_DELINQUENT([100.0, 200.0], [50.0, 100.0], [1000.0, 1000.0], 365.0) == [
        [pytest.approx(18.25)], [pytest.approx(36.5)]]


def test_cei_pct_current_turnover() -> None:
    # Issue 3 (CRF convention): 0.5593, a fraction
    assert round(CEI(6200.0, 10890.0, 6340.0, 3590.0, 3.0), 4) == 0.5593
    assert CEI(6200.0, 10890.0, 6340.0, 3590.0) == pytest.approx((6200 + 10890 - 6340) / (6200 + 10890 - 3590))
    assert CEI([6200.0, 0.0], [10890.0, 0.0], [6340.0, 0.0], [3590.0, 0.0], 3.0)[1][0].startswith(
        "#N/A nothing was collectible")
    assert CEI(6200.0, 10890.0, 6340.0, 3590.0, 0.0) == "#VALUE! months must be a number > 0; got 0."
    assert PCT_CURRENT([150.0, 1.0], [200.0, 0.0]) == [[0.75], ["#N/A receivables must be > 0"]]
    assert AR_TURNOVER(1200000.0, 200000.0) == 6.0


# --------------------------------------------------------------------------- payment behaviour
def test_days_beyond_terms_and_late_share() -> None:
    due = [dt.datetime(2026, 1, 31), dt.datetime(2026, 2, 28), 46112.0]  # serial = 2026-03-31
    paid = [dt.datetime(2026, 2, 10), 46073.0, None]  # 46073 = 2026-02-20
    assert DAYS_BEYOND_TERMS(due, paid, [1000.0, Decimal("3000"), 500.0]) == pytest.approx(-3.5)
    assert DAYS_BEYOND_TERMS(due, paid) == pytest.approx(1.0)
    assert LATE_SHARE(due, paid) == 0.5
    assert LATE_SHARE(due, paid, [1000.0, 3000.0, 500.0]) == 0.25
    assert DAYS_BEYOND_TERMS(due, [None, None, None]) == (
        "#N/A no paid invoice with a due date and an amount > 0")
    assert DAYS_BEYOND_TERMS(due, paid[:2]).startswith("#VALUE! due_dates has 3 rows but paid_dates has 2")
    assert DAYS_BEYOND_TERMS(["soon"], [46073.0]).startswith("#VALUE! due_dates: 'soon' is not a date")


# --------------------------------------------------------------------------- aging
def test_aging_bucket_spills_labels() -> None:
    due = [dt.datetime(2026, 10, 15), 46400.0, None, "2026-07-01", True]
    assert AGING_BUCKET(due, AS_OF) == [["31-60"], ["Not due"], ["#N/A no due date"], ["Over 120"],
                                        ["#VALUE! due_date: TRUE is not a date"]]
    assert AGING_BUCKET(dt.datetime(2026, 11, 1), 46354.0) == "1-30"
    assert AGING_BUCKET(dt.datetime(2026, 11, 1), AS_OF, [15.0, 45.0], "zh-CN") == "16-45天"
    assert AGING_BUCKET(46300.0, None) == "#VALUE! as_of must be one date cell, e.g. =TODAY(); got a blank."
    assert AGING_BUCKET(46300.0, AS_OF, [60.0, 30.0]).startswith("#VALUE! aging.bucket_edges")


def test_aging_two_rows_in_bucket_order() -> None:
    amounts = [100.0, Decimal("250.50"), 40.0, -20.0, None, None]
    due = [dt.datetime(2026, 12, 10), 46327.0, dt.datetime(2026, 6, 1), 46327.0, None, None]
    out = AGING(amounts, due, AS_OF)
    assert out == [
        ["Not due", "1-30", "31-60", "61-90", "91-120", "Over 120", "Total"],
        [100.0, 230.5, 0.0, 0.0, 0.0, 40.0, 370.5],
    ]
    # a column with ndim=2 and custom edges in Chinese
    out = AGING([[100.0], [250.0]], [[46370.0], [46300.0]], 46354.0, [[30.0], [None]], "zh")
    assert out == [["未到期", "1-30天", "30天以上", "合计"], [100.0, 0.0, 250.0, 350.0]]
    assert AGING([5.0], [None], AS_OF).startswith("#VALUE! due_dates: row 1 has an amount")
    assert AGING([5.0, 1.0], [46300.0], AS_OF).startswith("#VALUE! amounts has 2 rows but due_dates has 1")


# --------------------------------------------------------------------------- declarations
