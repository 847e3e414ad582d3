"""CREDIT_LIMIT and CREDIT_LIMIT_DETAIL fed exactly what xlwings delivers (DESIGN.md 4):
floats, None for blanks and error cells, Decimal from currency-formatted cells, bool for
TRUE/FALSE, a single cell as a scalar, a column as a flat list (or one-item rows, ndim=2)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from xlcredit.excel.udf.limits import CREDIT_LIMIT, CREDIT_LIMIT_DETAIL
from xlcredit.workbook.excel_values import cell_error

# Issue 2's published example: band B (score 60), net worth 80,000, turnover 700,000,
# need 50,000 -> 28,000.
EXAMPLE = (60.0, 80000.0, None, 700000.0, None, None, 50000.0)


def test_published_example_single_cells() -> None:
    assert CREDIT_LIMIT(*EXAMPLE) == 28000.0


def test_currency_formatted_cells_arrive_as_decimal() -> None:
    assert CREDIT_LIMIT(60.0, Decimal("80000.00"), None, Decimal("700000"), None, None,
                        Decimal("50000")) == 28000.0


def test_numbers_typed_as_text() -> None:
    assert CREDIT_LIMIT("60", "¥80,000", "", "700,000.00", None, None, "50,000.00") == 28000.0
    # issue 11: "700,000" alone could be 700000 or 700: a named error, never a guess
    result = CREDIT_LIMIT("60", "¥80,000", "", "700,000", None, None, "50,000.00")
    assert isinstance(result, str) and result.startswith("#VALUE!") and "700,000" in result


def test_column_spills_flat_list_and_ndim2() -> None:
    flat = CREDIT_LIMIT([60.0, 85.0, None], 80000.0, None, 700000.0, None, None, 50000.0)
    assert flat == [[28000.0], [32000.0], [0.0]]  # blank score: band E, no credit
    two_d = CREDIT_LIMIT([[60.0], [85.0], [None]], [[80000.0], [80000.0], [80000.0]], None,
                         [[700000.0]] * 3, None, None, [[50000.0]] * 3)
    assert two_d == flat


def test_need_from_sales_and_terms() -> None:
    # 365,000 x (20 + 30) / 365 = 50,000 -> 28,000 as in the issue.
    assert CREDIT_LIMIT(60.0, 80000.0, None, 700000.0, 365000.0, 20.0) == 28000.0


def test_insured_limit_and_exposure_arguments() -> None:
    # The default rule "extend": the insurer's 40,000 lifts the 28,000 (not above the need).
    assert CREDIT_LIMIT(*EXAMPLE, 40000.0, 1000.0) == 40000.0


def test_tradescore_not_rated_text_is_band_e() -> None:
    assert CREDIT_LIMIT("#N/A not enough data", 80000.0, None, 700000.0) == 0.0
    detail = CREDIT_LIMIT_DETAIL("#N/A not enough data", 80000.0, None, 700000.0)
    assert detail[0][1] == "E"


def test_bad_cells_give_readable_errors_for_that_row_only() -> None:
    out = CREDIT_LIMIT([60.0, 60.0, 150.0, 60.0], [80000.0, True, 80000.0, 80000.0], None,
                       [700000.0, 700000.0, 700000.0, -5.0], None, None, 50000.0)
    assert out == [
        [28000.0],
        ["#VALUE! equity: TRUE is not a number"],
        ["#VALUE! score must be from 1 to 100 (blank if unknown); got 150"],
        ["#VALUE! revenue must be >= 0; got -5"],
    ]
    assert CREDIT_LIMIT(60.0, "lots", None, None) == "#VALUE! equity: 'lots' is not a number"
    other_error = CREDIT_LIMIT("#VALUE! total_assets must be > 0", 1.0, None, None)
    assert other_error.startswith("#VALUE! score:")


def test_ranges_of_different_lengths() -> None:
    out = CREDIT_LIMIT([60.0, 70.0], [1.0, 2.0, 3.0], None, None)
    assert out == ("#VALUE! score has 2 rows but equity has 3; give every range the same number "
                   "of rows (or a single cell)")


def test_two_dimensional_block_is_refused() -> None:
    out = CREDIT_LIMIT([[60.0, 70.0], [60.0, 70.0]], 1.0, None, None)
    assert isinstance(out, str) and out.startswith("#VALUE! score must be one column or one row")


def test_detail_rows_no_header() -> None:
    out = CREDIT_LIMIT_DETAIL([60.0, None], 80000.0, None, 700000.0, None, None, 50000.0, None,
                              [35000.0, 5000.0])
    assert out == [
        [28000.0, "B", "Approve reduced limit", "Credit manager", 45.0, -7000.0,
         "limited by 35% of net worth; current exposure exceeds the new limit"],
        [0.0, "E", "Suspend credit", "Credit clerk", 0.0, -5000.0,
         "score unknown: band E; band E: no credit (cash in advance or guarantee); "
         "current exposure exceeds the new limit"],
    ]


def test_detail_unknown_exposure_and_errors_are_never_blank() -> None:
    out = CREDIT_LIMIT_DETAIL([60.0, 150.0], 80000.0, None, 700000.0, None, None, 50000.0)
    assert out[0][5] == "#N/A no current exposure given"
    assert out[1] == ["#VALUE! score must be from 1 to 100 (blank if unknown); got 150"] * 7
    assert all(c is not None and c == c for row in out for c in row)


def test_detail_chinese() -> None:
    out = CREDIT_LIMIT_DETAIL(*EXAMPLE, None, None, "zh-CN")
    assert out == [[28000.0, "B", "降额批准", "信用经理", 45.0, "#N/A 未提供风险敞口",
                    "受限于净资产的35%"]]
    assert CREDIT_LIMIT_DETAIL(*EXAMPLE, None, None, "中文")[0][2] == "降额批准"
    assert CREDIT_LIMIT_DETAIL(*EXAMPLE, None, None, "fr") == (
        "#VALUE! language must be one of en, zh-CN; got 'fr'.")


def test_reexported_by_udf_module() -> None:
    import xlcredit_udfs

    assert {"CREDIT_LIMIT", "CREDIT_LIMIT_DETAIL"} <= set(xlcredit_udfs.__all__)
    assert xlcredit_udfs.CREDIT_LIMIT(*EXAMPLE) == 28000.0


# --------------------------------------------------------------------------- declarations
def test_date_cell_is_refused_readably() -> None:
    import datetime as dt

    assert CREDIT_LIMIT(60.0, 80000.0, None, dt.datetime(2026, 11, 28)) == (
        "#VALUE! revenue: 2026-11-28 is a date, not a number")


_CELL = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2), st.text(max_size=8),
    st.datetimes(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_CELL, st.lists(_CELL, min_size=1, max_size=3)), min_size=9, max_size=9))
@example([None] * 8 + ["#DIV/0!"])  # what Hypothesis found once the error cells were named
def test_any_cells_give_a_number_or_a_readable_error(cells: list[object]) -> None:
    # Whatever a sheet holds: a number, a column of cells, or "#VALUE! ..."/"#N/A ...";
    # never a traceback, never a blank (None or NaN). An Excel error cell among the inputs
    # (xlwings passes it as its text, e.g. "#DIV/0!") comes back as that same error naming
    # the argument (issue 13, item 11).
    flat_in = [c for arg in cells for c in (arg if isinstance(arg, list) else [arg])]
    errors_in = tuple(f"{kind} " for kind in map(cell_error, flat_in) if kind is not None)
    for out in (CREDIT_LIMIT(*cells), CREDIT_LIMIT_DETAIL(*cells)):
        flat = [c for row in out for c in row] if isinstance(out, list) else [out]
        for c in flat:
            assert c is not None and c == c
            if isinstance(c, str) and c.startswith("#"):
                assert c.startswith(("#VALUE! ", "#N/A ", *errors_in)) and "internal error" not in c
                if c.startswith(errors_in):
                    assert "the Excel error" in c
