"""The Write-offs sheet (已核销坏账): the team's log of invoices written off as bad debts.

It is the user's table (``tblWriteOffs``): refresh creates it, empty, when the workbook has
none, and never writes it again. What it records is read by the run
(:func:`xlcredit.macros.run._write_off_dates`): from its date a written-off invoice leaves
the open balance everywhere, through the ledger reader; rows that cannot be trusted are
listed on the Problems sheet."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from xlcredit.macros.generated import _DATE, _MONEY, _write_generated
from xlcredit.macros.labels import _l, _sheet
from xlcredit.macros.run import (
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
    _Run,
)
from xlcredit.messages import text
from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.schema import WRITE_OFFS

__all__ = ["ensure_write_offs"]


def ensure_write_offs(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> bool:
    """Create the empty Write-offs sheet when the workbook has no ``tblWriteOffs``; returns
    True when it was created (an existing one is left exactly as it is).

    >>> with _example_book() as book:
    ...     ensure_write_offs(book), ensure_write_offs(book), book.read_table("tblWriteOffs").header[:3]
    (True, False, ['Invoice no', 'Buyer ID', 'Date written off'])
    """
    if WRITE_OFFS.name.casefold() in {n.casefold() for n in workbook.table_names()}:
        return False
    run = _run or _open(workbook, as_of)
    lang = run.lang
    headers = [c.header(lang) for c in WRITE_OFFS.columns]
    empty = pd.DataFrame([[None] * len(headers)], columns=headers, dtype=object)
    kinds = {c.header(lang): c.kind for c in WRITE_OFFS.columns}
    spec = SheetSpec(
        _sheet("write_offs", lang),
        cells=[CellSpec(0, 0, text("month_end.wo_sheet_title", lang), bold=True, font_size=14),
               CellSpec(1, 0, text("month_end.wo_sheet_note", lang)),
               CellSpec(2, 0, text("month_end.wo_sheet_note2", lang))],
        tables=[TableSpec(WRITE_OFFS.name, empty, row=4,
                          number_formats={h: _DATE if k == "date" else _MONEY for h, k in kinds.items()
                                          if k in ("date", "money")},
                          text_columns=tuple(h for h, k in kinds.items() if k in ("id", "text")),
                          style="TableStyleLight11")],
        widths={j: float(c.width or 12) + 2 for j, c in enumerate(WRITE_OFFS.columns)},
        freeze=(5, 0), tab_color="#C00000", print_title_rows=(4, 4), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return True
