"""Column widths measured a column at a time (issue 17) are the widths measured cell by cell.

The reference is :func:`xlcredit.workbook.widths.cell_width`, one cell at a time: the
column path must give exactly its largest width, for any mix of values and formats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import wild_cells

from xlcredit.workbook.widths import _widest_cell, cell_width, display_width

_FORMATS = st.sampled_from(
    (
        None, "General", "@", "0", "0.0%", "#,##0.00", "#,##0.00;[Red]-#,##0.00",
        '#,##0;[Red]-#,##0;"-"', '#,##0.00;-#,##0.00;"-"', "yyyy-mm-dd", "yy-m-d h:mm",
        '0.00" days"', '"n/a"', "#,##0;(#,##0)", "+0.0;-0.0;0",
    )
)  # fmt: skip
_EXTRA = st.sampled_from(
    (
        None, float("nan"), pd.NaT, True, np.bool_(False), 0, -5, 2**70, -0.0, 9.995, -9.995,
        float("inf"), float("-inf"), np.float64(3.25), np.float64("nan"), np.int64(7),
        np.float32(1.5), Decimal("1.10"), "", "上海宏达机械有限公司", "ＡＢＣ", "x" * 80,
        "中" * 40, "a\ud800b", dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4),
        pd.Timestamp("2026-01-02"), dt.datetime(2020, 1, 1, 5, tzinfo=dt.UTC),
    )
)  # fmt: skip
_VALUES = st.one_of(
    st.lists(st.one_of(_EXTRA, wild_cells()), max_size=12),
    st.lists(st.one_of(st.none(), st.floats(-1e13, 1e13)), max_size=12),
    st.lists(st.text(max_size=70), max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(values=_VALUES, fmt=_FORMATS)
def test_widest_cell_is_the_widest_of_each_cell(values: list[Any], fmt: str | None) -> None:
    want = max((cell_width(v, fmt) for v in values), default=0.0)
    assert _widest_cell(values, fmt) == want


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_text_widths_count_wide_characters_twice(texts: list[str]) -> None:
    assert _widest_cell(texts, None) == max(min(display_width(t), 60.0) + 2.0 for t in texts)
