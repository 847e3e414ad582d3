"""TRADESCORE and TRADESCORE_DETAIL fed exactly what xlwings delivers (DESIGN.md 4): floats,
None for blanks and error cells, Decimal from currency-formatted cells, bool for TRUE/FALSE,
datetime for date cells, a single cell as a scalar, a column as a flat list (or one-item
rows with ndim=2), text typed by people ("1,200", "¥3,000", "是")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import wild_cells

from xlcredit.engine.scoring import INPUTS, score_buyers
from xlcredit.excel.udf.score import TRADESCORE, TRADESCORE_DETAIL

# A buyer typed as single cells (DESIGN.md 3.1 order), amounts in thousands.
BUYER: tuple[Any, ...] = (1000.0, 600.0, 500.0, 250.0, 150.0, 80.0, 1500.0, 50.0)


def engine_score(*args: Any) -> float:
    return float(score_buyers(dict(zip(INPUTS, args, strict=False))).score[0])


def test_single_cells_give_one_number_equal_to_the_engine() -> None:
    assert TRADESCORE(*BUYER) == engine_score(*BUYER) == 82.0


def test_currency_formatted_cells_arrive_as_decimal() -> None:
    as_decimal = tuple(Decimal(str(v)) for v in BUYER)
    assert TRADESCORE(*as_decimal) == TRADESCORE(*BUYER)


def test_numbers_typed_as_text_and_flags_in_every_form() -> None:
    typed = ("1,000.00", "¥600", "500", "250.00", "150", "80", "1 500", "50")
    assert TRADESCORE(*typed) == TRADESCORE(*BUYER)
    # issue 11: "1,000" alone could be 1000 or 1: a named error, never a guess
    ambiguous = TRADESCORE("1,000", *typed[1:])
    assert isinstance(ambiguous, str) and ambiguous.startswith("#VALUE!") and "1,000" in ambiguous
    base = TRADESCORE(*BUYER, None, None, None, None, None, None, False)
    for yes in (True, "Y", "yes", "是", 1.0):
        assert TRADESCORE(*BUYER, None, None, None, None, None, None, yes) < base
    for no in (False, "N", "否", 0.0):
        assert TRADESCORE(*BUYER, None, None, None, None, None, None, no) == base


def test_percent_text_for_late_share() -> None:
    assert TRADESCORE(*BUYER, None, "15%") == TRADESCORE(*BUYER, None, 0.15)


def test_columns_spill_as_flat_lists_and_as_one_item_rows() -> None:
    flat = TRADESCORE([1000.0, 1000.0, 1000.0], [600.0, 950.0, None], 500.0, 250.0, 150.0,
                      80.0, 1500.0)
    assert isinstance(flat, list) and len(flat) == 3 and all(len(r) == 1 for r in flat)
    two_d = TRADESCORE([[1000.0], [1000.0], [1000.0]], [[600.0], [950.0], [None]], [[500.0]] * 3,
                       250.0, 150.0, 80.0, [[1500.0]] * 3)
    assert two_d == flat
    # Blank liabilities are unknown, not zero: not the score of a debt-free buyer.
    assert flat[2][0] != TRADESCORE(1000.0, 0.0, 500.0, 250.0, 150.0, 80.0, 1500.0)


def test_error_cells_arrive_as_none_and_are_unknown() -> None:
    assert TRADESCORE(*BUYER[:6], None) == engine_score(*BUYER[:6], None)


def test_bad_cells_give_readable_errors_in_their_row_only() -> None:
    out = TRADESCORE([1000.0, -5.0, 1000.0, "abc", dt.datetime(2026, 11, 28)],
                     600.0, 500.0, 250.0, 150.0, 80.0, 1500.0)
    good = engine_score(*BUYER[:7])  # net income blank: EBIT gives the margin
    assert out[0] == [good] and out[2] == [good]
    assert out[1] == ["#VALUE! total_assets must be > 0; got -5"]
    assert out[3] == ["#VALUE! total_assets: 'abc' is not a number"]
    assert out[4] == ["#VALUE! total_assets: 2026-11-28 is a date, not a number"]


def test_out_of_range_signals_name_the_rule() -> None:
    assert TRADESCORE(*BUYER, None, 1.5) == "#VALUE! late_share must be from 0 to 1; got 1.5"
    assert TRADESCORE(*BUYER, None, None, None, 7.0) == (
        "#VALUE! industry_risk must be from 1 to 5; got 7")
    assert TRADESCORE(*BUYER, None, None, None, None, None, None, "maybe").startswith(
        "#VALUE! negative_news must be TRUE/FALSE, Y/N or 是/否")


def test_ranges_of_different_lengths_are_one_error() -> None:
    out = TRADESCORE([1000.0, 900.0], [600.0, 500.0, 400.0], 500.0, 250.0, 150.0, 80.0, 1500.0)
    assert out == ("#VALUE! total_assets has 2 rows but total_liabilities has 3; give every "
                   "range the same number of rows (or a single cell)")


def test_a_block_of_several_columns_is_refused() -> None:
    out = TRADESCORE([[1000.0, 1.0], [900.0, 2.0]], 600.0, 500.0, 250.0, 150.0, 80.0, 1500.0)
    assert isinstance(out, str) and out.startswith("#VALUE! total_assets must be one column")


def test_not_rated_shows_na_with_the_coverage() -> None:
    # Days beyond terms alone: its 8 points of 100.
    out = TRADESCORE(1000.0, None, None, None, None, None, None, None, 10.0)
    assert out == "#N/A not rated: data covers 8% of the model (minimum 25%)"


# --------------------------------------------------------------------------- the detail
def test_detail_is_one_row_of_eight_cells_without_header() -> None:
    out = TRADESCORE_DETAIL(*BUYER, 45.0, None, 1.0)
    assert len(out) == 1 and len(out[0]) == 8
    score, band, grade, pd12, coverage, *reasons = out[0]
    r = score_buyers(dict(zip(INPUTS, (*BUYER, 45.0, None, 1.0), strict=False))).iloc[0]
    assert (score, band, grade, pd12, coverage) == (r.score, r.band, r.grade, r.pd_12m, r.coverage)
    assert reasons == [r.reason_1_en, r.reason_2_en, r.reason_3_en]
    # 45 days late loses 5.5 of 8 points, one default 4 of 6 (docs/model.md).
    assert reasons[:2] == ["Pays late (days beyond terms)", "Defaulted in the last 12 months"]


def test_detail_in_chinese() -> None:
    out = TRADESCORE_DETAIL(*BUYER, 45.0, None, 1.0, None, None, None, None, None, "zh-CN")
    assert out[0][5:7] == ["付款拖延（超出账期天数多）", "近12个月发生过违约"]
    same = TRADESCORE_DETAIL(*BUYER, 45.0, None, 1.0, None, None, None, None, None, "中文")
    assert same == out


def test_detail_unknown_language_is_an_error() -> None:
    out = TRADESCORE_DETAIL(*BUYER, None, None, None, None, None, None, None, None, "fr")
    assert out == "#VALUE! language must be one of en, zh-CN; got 'fr'."


def test_detail_rows_for_columns_with_problem_and_not_rated_rows() -> None:
    out = TRADESCORE_DETAIL([1000.0, -1.0, 1000.0], [600.0, 600.0, None], [500.0, 500.0, None],
                            [250.0, 250.0, None], [150.0, 150.0, None], [80.0, 80.0, None],
                            [1500.0, 1500.0, None])
    assert len(out) == 3
    assert out[0][0] == engine_score(*BUYER[:7]) and out[0][1] == "A"
    assert out[1] == ["#VALUE! total_assets must be > 0; got -1"] * 8
    assert out[2][1] == "E" and out[2][0].startswith("#N/A not rated")
    assert out[2][5].startswith("Not rated") and out[2][6:] == ["", ""]


def test_detail_of_a_perfect_buyer_has_empty_reasons_not_blanks() -> None:
    perfect = (1000.0, 250.0, 600.0, 200.0, 350.0, 120.0, 1500.0, 80.0, -30.0, 0.0, 0.0, 1.0,
               1.0, 0.0, False, 25.0)
    out = TRADESCORE_DETAIL(*perfect)
    assert out[0][:2] == [100.0, "A"] and out[0][5:] == ["", "", ""]


# --------------------------------------------------------------------------- declarations
def test_exported_through_the_udf_module() -> None:
    import xlcredit_udfs

    assert {"TRADESCORE", "TRADESCORE_DETAIL"} <= set(xlcredit_udfs.__all__)
    assert xlcredit_udfs.TRADESCORE(*BUYER) == 82.0


# --------------------------------------------------------------------------- fuzzing
@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.lists(wild_cells(), min_size=2, max_size=2), min_size=16, max_size=16))
def test_any_cells_give_numbers_or_readable_errors(cells: list[list[object]]) -> None:
    from xlcredit.engine.scoring import INPUTS
    from xlcredit.workbook.excel_values import cell_error

    errors = [(name, cell_error(v)) for name, col in zip(INPUTS[:16], cells, strict=True) for v in col]
    errors = [(name, kind) for name, kind in errors if kind is not None]
    if errors:  # an Excel error cell (issue 13, 11): that error, naming the argument
        name, kind = errors[0]
        for out in (TRADESCORE(*cells), TRADESCORE_DETAIL(*cells)):
            assert isinstance(out, str) and out.startswith(f"{kind} {name}: cell ")
        return
    for out in (TRADESCORE(*cells), TRADESCORE_DETAIL(*cells)):
        assert isinstance(out, list) and len(out) == 2
        for row in out:
            for value in row:  # a number (never NaN: a blank cell in Excel) or text
                assert isinstance(value, str) or (isinstance(value, float) and value == value)
        first = [row[0] for row in out]
        for v in first:
            assert (isinstance(v, float) and 1 <= v <= 100) or str(v).startswith(("#VALUE!", "#N/A"))
