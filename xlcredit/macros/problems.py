"""The Problems sheet: every cell a run could not use, with the rule it broke."""

from __future__ import annotations

import datetime as dt

from xlcredit.macros.generated import _frame_cells, _write_generated
from xlcredit.macros.labels import _l, _sheet
from xlcredit.macros.run import (
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
    _Run,
)
from xlcredit.messages import render
from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.schema import Problem, group_problems, problems_frame


def build_problems(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Rebuild the Problems sheet from what the run collected. Returns the number of rows.

    Examples
    --------
    Is the sample data clean?

    >>> with _example_book() as book:
    ...     build_problems(book)
    0
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    # rules and column headers are catalogue messages: shown in the workbook's language
    frame = problems_frame([Problem(p.sheet, p.row, render(p.column, lang), p.value, render(p.rule, lang))
                            for p in group_problems(run.problems)])
    headers = {"sheet": _l("sheet", lang), "row": _l("row", lang), "column": _l("column", lang),
               "value": _l("value", lang), "rule": _l("rule", lang)}
    frame = frame.rename(columns=headers)
    frame[headers["value"]] = [None if v is None or v == "" else str(v) for v in frame[headers["value"]]]
    cells = [CellSpec(0, 0, _l("problems_title", lang), bold=True, font_size=14),
             CellSpec(1, 0, _l("problems_note", lang) if len(frame) else _l("no_problems", lang))]
    spec = SheetSpec(
        _sheet("problems", lang), cells=cells,
        tables=[TableSpec("tblProblems", _frame_cells(frame), row=3, number_formats={headers["row"]: "0"},
                          text_columns=(headers["value"], headers["sheet"], headers["column"]),
                          style="TableStyleLight10")],
        widths={0: 14, 1: 7, 2: 22, 3: 24, 4: 90}, freeze=(4, 0), tab_color="#FFC000",
        print_title_rows=(3, 3), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return len(frame)
