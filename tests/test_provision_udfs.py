"""Excel function PROVISION (issue 14), fed exactly what xlwings delivers (DESIGN.md
section 4): floats, None for blanks and error cells, datetime for date cells, serial
numbers, Decimal for currency-formatted cells, a column as a flat list or one-item rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xlcredit.excel.udf.provision import PROVISION

AS_OF = dt.datetime(2026, 11, 30)
RATES = [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0]  # not due, 1-30, 31-60, 61-90, 91-120, 121-180, over 180


def test_given_rates_sum_amount_times_the_rate_of_each_bucket() -> None:
    # by hand: 1,000 not due x 1 % = 10; 400 30 days x 5 % = 20; 250 76 days x 20 % = 50;
    # 100 244 days x 100 % = 100 -> 180 (also a row of tests/excel/function_checks.xlsx)
    due = [dt.datetime(2026, 12, 31), dt.datetime(2026, 10, 31), dt.datetime(2026, 9, 15),
           dt.datetime(2026, 3, 31)]
    assert PROVISION([1000.0, 400.0, 250.0, 100.0], due, AS_OF, RATES) == pytest.approx(180.0)
    # the same as one-item rows (ndim=2), Decimal amounts, serial-number dates, text rates
    rows = [[Decimal("1000")], [Decimal("400")], [250.0], [100.0]]
    serials = [[46387.0], [46326.0], [46280.0], [46112.0]]
    assert PROVISION(rows, serials, 46356.0, [[r] for r in RATES]) == pytest.approx(180.0)
    assert PROVISION(rows, serials, AS_OF, ["1%", "5%", "10%", "20%", "30%", "50%", "100%"]) == pytest.approx(180.0)


def test_own_bucket_edges_and_blank_rows() -> None:
    due = [dt.datetime(2026, 12, 31), dt.datetime(2026, 10, 31), None, dt.datetime(2026, 3, 31)]
    # edges {90}: 1,000 x 2 % + 400 x 10 % + 100 x 60 % = 120; the blank row is skipped
    assert PROVISION([1000.0, 400.0, None, 100.0], due, AS_OF, [0.02, 0.1, 0.6], [90.0]) == pytest.approx(120.0)


def test_readable_errors() -> None:
    due = [dt.datetime(2026, 10, 31)]
    assert PROVISION([5.0], due, AS_OF) == (
        "#VALUE! rates: give one loss rate per bucket (7: Not due, 1-30, 31-60, 61-90, 91-120, "
        "121-180, Over 180); rates estimated from history are on the Provision sheet.")
    assert PROVISION([5.0], due, AS_OF, [0.1, 0.2]).startswith("#VALUE! rates must give one loss rate per bucket (7")
    assert PROVISION([5.0], due, AS_OF, [0.1, 2.0, 1.0], [90.0]).startswith("#VALUE! rates must be numbers from 0 to 1")
    assert PROVISION([5.0], [None], AS_OF, RATES).startswith("#VALUE! due_dates: row 1 has an amount")
    assert PROVISION([5.0], due, None, RATES).startswith("#VALUE! as_of must be one date cell")
    assert PROVISION([5.0], due, AS_OF, RATES, [60.0, 30.0]).startswith("#VALUE! aging.bucket_edges")
    assert PROVISION(["abc"], due, AS_OF, RATES).startswith("#VALUE! amounts")
    # error cells (err_to_str=True) name the argument and the cell, never count as blank
    assert PROVISION(["#N/A"], due, AS_OF, RATES).startswith("#N/A amounts: cell 1 of the range")
    assert PROVISION([5.0], due, AS_OF, [0.1, "#REF!", 0.1, 0.1, 0.1, 0.1, 1.0]).startswith(
        "#REF! rates: cell 2 of the range")


def test_reexported_and_not_an_excel_builtin() -> None:
    xlcredit_udfs = pytest.importorskip("xlcredit_udfs")
    assert xlcredit_udfs.PROVISION is PROVISION
    # Excel's function list has no PROVISION (checked with the full list in test_addin_vba)
