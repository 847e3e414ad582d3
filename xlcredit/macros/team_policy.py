"""The team policy on the sheets: the workbook's copy of the last team policy it read (the
"Team policy" sheet, owned by refresh) and the Dashboard's "Policy applied" block.

Which policy applies is decided once, when the run opens
(:func:`xlcredit.workbook.team_source.apply_team_source`); this module only shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from xlcredit.engine.team import fingerprint
from xlcredit.macros.generated import _frame_cells, _write_generated
from xlcredit.macros.labels import _sheet
from xlcredit.macros.run import _open, _Run
from xlcredit.messages import text
from xlcredit.workbook.policy_sheet import table_title
from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.team_source import COPY_TABLES, SOURCE_TABLE, TeamStatus, _shown, copy_tables


def _status(run: _Run) -> TeamStatus:
    status = run.cache.get("team")
    return status if isinstance(status, TeamStatus) else TeamStatus("own")


def write_team_copy(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> bool:
    """Write the Team policy sheet: the team policy just read from its source, kept for the
    days the source cannot be read. Nothing is written when no team policy was read now (no
    source, or only the old copy). Returns whether the sheet was written."""
    run = _run or _open(workbook, as_of)
    status = _status(run)
    if status.state != "read" or status.copy is None:
        return False
    lang = run.lang
    tables = copy_tables(status.copy, lang)
    cells = [CellSpec(0, 0, text("teams.copy_title", lang), bold=True, font_size=14),
             CellSpec(1, 0, text("teams.copy_note", lang))]
    specs: list[TableSpec] = []
    meta = pd.DataFrame(tables.pop(SOURCE_TABLE), columns=[text("teams.item", lang), text("teams.value", lang)],
                        dtype=object)
    specs.append(TableSpec(SOURCE_TABLE, meta, row=3, text_columns=tuple(meta.columns), style="TableStyleLight9"))
    row = 3 + len(meta) + 3
    originals = {v: k for k, v in COPY_TABLES.items()}
    for name, frame in tables.items():
        cells.append(CellSpec(row - 1, 0, table_title(originals[name], lang), bold=True, font_size=12))
        specs.append(TableSpec(name, _frame_cells(frame), row=row, style="TableStyleLight9",
                               text_columns=tuple(frame.columns[:1])))
        row += max(len(frame), 1) + 4
    spec = SheetSpec(_sheet("team_policy", lang), cells=cells, tables=specs,
                     widths={0: 34, 1: 24, 2: 24, 3: 60, 4: 16, 5: 16, 6: 16}, tab_color="#7F7F7F")
    _write_generated(run, spec)
    return True


def team_block(run: _Run, top: int) -> tuple[list[CellSpec], list[TableSpec]]:
    """The Dashboard's "Policy applied" block from row ``top`` (0-based): which policy,
    version and fingerprint, whether it was read now or from the last copy, whether local
    settings are allowed, and the settings this workbook keeps."""
    lang = run.lang
    status = _status(run)
    cells = [CellSpec(top, 0, text("teams.dash_title", lang), bold=True, font_size=12)]
    if status.state == "own":
        cells.append(CellSpec(top + 1, 0, text("teams.own_policy", lang)))
        return cells, []
    copy = status.copy
    team = copy.policy if copy is not None else None
    state = {"read": text("teams.status_read", lang),
             "copy": text("teams.status_copy", lang, read_at=copy.read_at if copy else ""),
             "none": text("teams.status_none", lang)}[status.state]
    rows: list[tuple[str, Any]] = [
        (text("teams.source", lang), status.source),
        (text("teams.status", lang), state),
    ]
    if team is not None:
        yes, no = text("teams.yes", lang), text("teams.no", lang)
        rows += [(text("teams.name", lang), team.team.name), (text("teams.version", lang), team.team.version),
                 (text("teams.fingerprint", lang), fingerprint(team)),
                 (text("teams.allow_local", lang), yes if team.team.allow_local else no)]
    for i, (label, value) in enumerate(rows):
        cells.append(CellSpec(top + 1 + i, 0, label))
        cells.append(CellSpec(top + 1 + i, 1, value, bold=True))
    at = top + 2 + len(rows)
    cells.append(CellSpec(at, 0, text("teams.local_title", lang), bold=True))
    applied = status.applied
    entries = ([(k, "teams.applied_local") for k in applied.kept]
               + [(k, "teams.applied_team") for k in applied.refused]) if applied is not None else []
    if not entries:
        cells.append(CellSpec(at + 1, 0, text("teams.no_local", lang)))
        return cells, []
    frame = pd.DataFrame({
        text("teams.setting", lang): [k.setting for k, _ in entries],
        text("teams.local_value", lang): [_shown(k.local) for k, _ in entries],
        text("teams.team_value", lang): [_shown(k.team) for k, _ in entries],
        text("teams.applied", lang): [text(key, lang) for _, key in entries],
    }, dtype=object)
    table = TableSpec("tblPolicyLocal", frame, row=at + 1, text_columns=tuple(frame.columns),
                      style="TableStyleLight9")
    return cells, [table]
