"""The Aging sheet: open balances by buyer and bucket, with a chart of the largest."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from xlcredit.macros.generated import _MONEY_Z, _PCT, _fit, _frame_cells, _write_generated
from xlcredit.macros.labels import _l, _sheet
from xlcredit.macros.run import (
    _aging,
    _bands,
    _buyer_names,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
    _Run,
)
from xlcredit.workbook.port import CellSpec, ChartSeries, ChartSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.sheet_xml import col_letters

_BUCKET_COLOURS = ["#70AD47", "#FFD966", "#F4B183", "#ED7D31", "#C55A11", "#C00000", "#7B0000",
                   "#3A0000"]


def build_aging(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> float:
    """Rebuild the Aging sheet: each buyer's open balance by bucket in the base currency,
    largest first, with a total row, the share of total, overdue and disputed, and a
    stacked bar chart of the largest balances. Returns the open balance.

    Examples
    --------
    How much is owed in total, and is all of it in the buckets?

    >>> with _example_book() as book:
    ...     total = build_aging(book)
    ...     t = book.read_table("tblAging")
    >>> buckets = t.header[3:9]
    >>> round(sum(sum(r[t.header.index(b)] for b in buckets) for r in t.rows), 2) == round(total, 2)
    True
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    result = _aging(run)
    by = result.by_buyer
    labels = list(result.labels)
    total_label, overdue_label, disputed_label = by.columns[len(labels):len(labels) + 3]
    grand = float(result.total[total_label])
    frame = by.sort_values(total_label, ascending=False, kind="stable")
    ids = frame.index.to_series()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = frame[total_label].to_numpy() / grand if grand else np.zeros(len(frame))
    table = pd.DataFrame({
        _l("buyer_id", lang): ids.to_numpy(dtype=object),
        _l("name", lang): ids.map(_buyer_names(run)).to_numpy(dtype=object),
        _l("band", lang): ids.map(_bands(run)).to_numpy(dtype=object),
    })
    for label in labels:
        table[label] = frame[label].to_numpy()
    table[total_label] = frame[total_label].to_numpy()
    table[_l("share", lang)] = share
    table[overdue_label] = frame[overdue_label].to_numpy()
    table[disputed_label] = frame[disputed_label].to_numpy()
    formats = {c: _MONEY_Z for c in [*labels, total_label, overdue_label, disputed_label]}
    formats[_l("share", lang)] = _PCT
    top_row = 3
    n = len(table)
    k = min(n, 12)
    charts: list[ChartSpec] = []
    first_col = 3
    if k:
        name_col = col_letters(2)
        series = [
            ChartSeries(label, f"{col_letters(first_col + i + 1)}{top_row + 2}:{col_letters(first_col + i + 1)}{top_row + 1 + k}",
                        _BUCKET_COLOURS[min(i, len(_BUCKET_COLOURS) - 1)])
            for i, label in enumerate(labels)
        ]
        charts.append(ChartSpec("bar_stacked", _l("top_aging", lang),
                                f"{name_col}{top_row + 2}:{name_col}{top_row + 1 + k}", series,
                                anchor=f"{col_letters(first_col + len(labels) + 6)}{top_row + 1}",
                                width_px=720, height_px=400))
    widths: dict[int, float] = {0: 11, 1: 32, 2: 8}
    for j in range(len(labels) + 4):
        widths[first_col + j] = 13
    spec = SheetSpec(
        _sheet("aging", lang),
        cells=[CellSpec(0, 0, _l("aging_title", lang), bold=True, font_size=14),
               CellSpec(1, 0, _l("as_of", lang, date=run.as_of.isoformat(), ccy=run.ccy))],
        tables=[TableSpec("tblAging", _frame_cells(table), row=top_row, number_formats=formats,
                          text_columns=(_l("buyer_id", lang), _l("name", lang)), total_row=True,
                          total_label=_l("total", lang))],
        charts=charts, widths=_fit(widths, list(table.columns)), freeze=(top_row + 1, 2),
        tab_color="#2E75B6", print_title_rows=(top_row, top_row), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return grand
