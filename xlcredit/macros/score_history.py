"""The Score history sheet: every refresh's scores, one row per buyer and date."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from xlcredit.macros.generated import _DATE, _frame_cells, _write_generated
from xlcredit.macros.labels import _l, _sheet
from xlcredit.macros.run import (
    _assess,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
    _previous_history,
    _Run,
)
from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.schema import HISTORY


def update_score_history(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Rebuild the Score history sheet: earlier runs plus this run's scores (a second run on
    the same date replaces that date's rows). Returns the number of rows.

    Examples
    --------
    Does a second refresh on the same day add the rows twice?

    >>> with _example_book() as book:
    ...     update_score_history(book), update_score_history(book)
    (8, 8)
    """
    run = _run or _open(workbook, as_of)
    result = _assess(run)
    _previous_history(run)
    old = run.cache["history_all"]
    old = old[pd.to_datetime(old["date"]) != pd.Timestamp(run.as_of)]
    b = run.buyers.frame
    scored = ~np.isnan(result["score"].to_numpy(dtype=float)) & b["buyer_id"].notna().to_numpy()
    new = pd.DataFrame({
        "date": pd.Timestamp(run.as_of), "buyer_id": b["buyer_id"][scored], "name": b["name"][scored],
        "score": result["score"][scored], "band": result["band"][scored], "pd": result["pd"][scored],
    })
    frame = pd.concat([old, new], ignore_index=True) if len(old) else new.reset_index(drop=True)
    frame = frame.sort_values(["date", "buyer_id"], kind="stable").reset_index(drop=True)
    lang = run.lang
    headers = {c.name: c.header(lang) for c in HISTORY.columns}
    shown = _frame_cells(frame[list(headers)].rename(columns=headers))
    spec = SheetSpec(
        _sheet("history", lang),
        cells=[CellSpec(0, 0, _l("history_title", lang), bold=True, font_size=14)],
        tables=[TableSpec(HISTORY.name, shown, row=2, number_formats={
            headers["date"]: _DATE, headers["score"]: "0", headers["pd"]: "0.00%"},
            text_columns=(headers["buyer_id"], headers["name"], headers["band"]))],
        widths={0: 12.0, 1: 12.0, 2: 34.0, 3: 8.0, 4: 8.0, 5: 9.0}, freeze=(3, 0), tab_color="#7F7F7F",
        print_title_rows=(2, 2), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return len(frame)
