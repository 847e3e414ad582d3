"""The Buyers sheet's outputs: the refreshed output columns of ``tblBuyers`` and the
conditional formats that flag high-risk buyers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from xlcredit.macros.generated import _column_cells
from xlcredit.macros.run import (
    _assess,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _high_risk,
    _open,
    _Run,
)
from xlcredit.macros.score_history import update_score_history
from xlcredit.workbook.port import ColumnWrite, ConditionalFormat, Workbook
from xlcredit.workbook.schema import BUYERS
from xlcredit.workbook.sheet_xml import col_letters

_BAND_COLOURS = {"A": "#C6EFCE", "B": "#E2EFDA", "C": "#FFEB9C", "D": "#FFC7CE", "E": "#D9D9D9"}


def refresh_buyers(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Write the output columns of ``tblBuyers``: exposure, overdue, payment behaviour,
    score, band, grade, PD, reasons, limit, decision, approval level, utilisation, over
    limit, score change and the staged action. Returns the number of buyers refreshed.

    Input columns are never written; the Score history sheet is appended to.

    Notes
    -----
    Amounts are converted to the base currency by each buyer's currency; utilisation =
    exposure / (current limit, else the recommended limit); over limit = max(exposure -
    that limit, 0); score change = this score - the buyer's last score on the Score
    history sheet from an earlier date. Blank days beyond terms and late share are taken
    from the buyer's paid invoices (:func:`xlcredit.engine.receivables.receivables_kpis`).

    Examples
    --------
    Which band is our first buyer in after a refresh, and what should we do about it?

    >>> with _example_book() as book:
    ...     n = refresh_buyers(book)
    ...     t = book.read_table("tblBuyers")
    >>> row = dict(zip(t.header, t.rows[0]))
    >>> n, row["Band"] in "ABCDE", 1 <= row["Score"] <= 100, isinstance(row["Action"], str)
    (8, True, True, True)
    """
    run = _run or _open(workbook, as_of)
    result = _assess(run)
    table = run.buyers
    writes: list[ColumnWrite] = []
    for col in BUYERS.outputs:
        converted = np.empty(len(result), dtype=object)
        converted[:] = _column_cells(result[col.name])
        cells = np.full(table.n_rows, None, dtype=object)
        cells[np.asarray(table.data_index, dtype=np.intp)] = converted
        values: list[Any] = cells.tolist()
        writes.append(ColumnWrite(table.header(col.name, run.lang), values, col.number_format))
    workbook.write_columns(BUYERS.name, writes)
    if _run is None:
        update_score_history(workbook, _run=run)
    return len(result)


def flag_high_risk(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Colour the Buyers sheet by band with conditional formats (not per-cell fills): the
    band cell in its band's colour, and the whole row of the worst band and of buyers over
    their limit. Returns the number of high-risk buyers (worst band).

    Examples
    --------
    How many high-risk buyers does the sample book hold?

    >>> with _example_book(60) as book:
    ...     refresh_buyers(book) == 60 and flag_high_risk(book) >= 0
    True
    """
    run = _run or _open(workbook, as_of)
    raw = workbook.read_table(BUYERS.name)
    found = BUYERS.resolve(raw.header)
    lang = run.lang
    band_header = run.buyers.header("band", lang)
    # after refresh_buyers the output columns exist; find them in the header as written
    header = list(raw.header)
    if "band" not in found and band_header not in header:
        return 0
    band_col = found.get("band", header.index(band_header) if band_header in header else 0)
    first_row = raw.header_row + 1
    last_row = max(raw.header_row + raw.n_rows, first_row)  # the size only: the cells are not read
    first_col = raw.first_column
    width = len(header)

    band_letter = col_letters(first_col + band_col)
    whole = f"{col_letters(first_col)}{first_row}:{col_letters(first_col + width - 1)}{last_row}"
    band_range = f"{band_letter}{first_row}:{band_letter}{last_row}"
    worst = run.policy.score.bands[-1].band
    formats = [
        ConditionalFormat(whole, "formula", formula=f'=${band_letter}{first_row}="{worst}"',
                          fill="#FFE5E5"),
    ]
    if "over_limit" in found:
        over_letter = col_letters(first_col + found["over_limit"])
        formats.append(ConditionalFormat(f"{over_letter}{first_row}:{over_letter}{last_row}", "cell",
                                         operator=">", value=0, font_color="#C00000", bold=True))
    for band in run.policy.score.band_names:
        colour = _BAND_COLOURS.get(band, "#D9D9D9")
        formats.append(ConditionalFormat(band_range, "cell", operator="==", value=band, fill=colour,
                                         bold=band == worst))
    if "score_change" in found:
        sc = col_letters(first_col + found["score_change"])
        formats.append(ConditionalFormat(f"{sc}{first_row}:{sc}{last_row}", "cell", operator="<=",
                                         value=-run.policy.monitoring.score_drop_alert,
                                         font_color="#C00000", bold=True))
    adder = getattr(workbook, "add_conditional_formats", None)
    if callable(adder):
        adder(raw.sheet, formats)
    return _high_risk(run)
