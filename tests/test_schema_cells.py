"""Reading a table's columns as :class:`~xlcredit.workbook.reading.Cells` (issue 17, speed):
each column's types and distinct values are worked out once and shared; a column of dates
is converted per distinct date; the first text column's distinct values also find the
blank rows. The shortcuts read exactly what reading cell by cell reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xlcredit.workbook.port import RawTable
from xlcredit.workbook.reading import Cells, ReadingRules, read_dates, read_numbers, table_decimal
from xlcredit.workbook.schema import INVOICES, parse_raw, parse_table

HEADER = ["Invoice no", "Buyer ID", "Amount", "Invoice date", "Due date"]


def test_cells_know_their_exact_types_and_distinct_values() -> None:
    cells = Cells(["a", None, np.str_("a"), float("nan"), pd.NaT, "b", Decimal("NaN")])
    assert cells.kinds == {str, np.str_, float, type(pd.NaT), Decimal}
    codes, uniques = cells.distinct()
    assert codes.tolist() == [0, -1, 0, -1, -1, 1, -1]  # blanks of every kind get -1
    assert uniques.tolist() == ["a", "b"]
    assert Cells.of(cells) is cells
    assert len(Cells([])) == 0 and Cells([]).kinds == frozenset()


def test_cells_of_a_grid_column_are_no_copy() -> None:
    grid = np.array([["A-1", 1.0], ["A-2", None]], dtype=object)
    column = grid[:, 1]
    assert Cells(column).values is column


_days = st.one_of(
    st.none(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 12, 31)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_days, min_size=1, max_size=80))
def test_a_date_column_reads_as_its_cells_one_by_one(values: list[dt.date | None]) -> None:
    read = read_dates(values, "due_date")
    expected = [np.datetime64("NaT") if v is None else pd.Timestamp(v).normalize().to_datetime64()
                for v in values]
    assert read.values.dtype == np.dtype("datetime64[ns]")
    assert read.values.tolist() == np.asarray(expected, dtype="datetime64[ns]").tolist()
    assert all(p is None for p in read.problems)


def test_timestamps_and_time_zones_are_read_by_pandas_as_before() -> None:
    stamp = pd.Timestamp("2026-11-28 15:00")
    mixed = [dt.datetime(2026, 11, 28, 9, 30), stamp, None, dt.date(2026, 1, 2)]
    assert [str(v)[:10] for v in read_dates(mixed, "due_date").values] == [
        "2026-11-28", "2026-11-28", "NaT", "2026-01-02"]
    utc = dt.UTC
    zoned = [dt.datetime(2026, 11, 28, 23, 0, tzinfo=utc), None]
    expected = pd.to_datetime(pd.Series(zoned, dtype=object), errors="coerce").dt.normalize()
    assert read_dates(zoned, "due_date").values.tolist() == expected.to_numpy(dtype="datetime64[ns]").tolist()


def test_list_and_cells_read_alike() -> None:
    values = ["1.234,50", 7.0, None, "12,5", True, "abc", Decimal("2.5")]
    a, b = read_numbers(values, "amount"), read_numbers(Cells(values), "amount")
    assert np.array_equal(a.values, b.values, equal_nan=True)
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert table_decimal([values]) == table_decimal([Cells(values)]) == "comma"


def test_first_text_column_finds_blank_rows() -> None:
    rows = [
        ["A-1", "C1", 10.0, dt.datetime(2026, 11, 1), dt.datetime(2026, 12, 1)],
        [None, None, None, None, None],
        ["N/A", None, None, None, None],     # a placeholder alone: a blank row
        ["-", None, 5.0, None, None],        # a placeholder beside an amount: kept
        ["A-4", "C1", "1,5", "2026-11-02", "2026-12-02"],
        [float("nan"), "n/a", None, None, None],
    ]
    grid = np.empty((len(rows), len(HEADER)), dtype=object)
    grid[:, :] = rows
    by_grid = parse_raw(RawTable("tblInvoices", "Invoices", HEADER, grid=grid), INVOICES,
                        rules=ReadingRules(today=dt.date(2026, 11, 30)))
    by_rows = parse_table(HEADER, rows, INVOICES, sheet="Invoices", rules=ReadingRules(today=dt.date(2026, 11, 30)))
    assert by_grid.excel_rows.tolist() == by_rows.excel_rows.tolist() == [2, 5, 6]
    assert by_grid.frame["invoice_no"].tolist() == ["A-1", "-", "A-4"]
    assert by_grid.frame["amount"].tolist() == [10.0, 5.0, 1.5]
    pd.testing.assert_frame_equal(by_grid.frame, by_rows.frame)
    assert [(p.row, str(p.rule)) for p in by_grid.problems] == [(p.row, str(p.rule)) for p in by_rows.problems]


def test_a_numeric_grid_reads_as_its_rows() -> None:
    grid = np.array([[1.0, 7.0, 1200.0, 46354.0], [2.0, 7.0, np.inf, 46355.0]])
    header = ["Invoice no", "Buyer ID", "Amount", "Due date"]
    by_grid = parse_raw(RawTable("tblInvoices", "Invoices", header, grid=grid), INVOICES)
    by_rows = parse_table(header, grid.tolist(), INVOICES, sheet="Invoices")
    pd.testing.assert_frame_equal(by_grid.frame, by_rows.frame)
    assert [str(p.rule) for p in by_grid.problems] == [str(p.rule) for p in by_rows.problems]
    assert by_grid.frame["invoice_no"].tolist() == ["1", "2"]
