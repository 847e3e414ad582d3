"""Writing a generated sheet: number formats, cell values, column widths, and where the
sheet goes among the others."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.macros.run import _Run
from xlcredit.workbook.port import SheetSpec
from xlcredit.workbook.schema import SHEET_NAMES
from xlcredit.workbook.widths import display_width

_MONEY = "#,##0.00;[Red]-#,##0.00"
_MONEY0 = "#,##0;[Red]-#,##0"
_MONEY_Z = '#,##0.00;[Red]-#,##0.00;"-"'
_PCT = "0.0%"
_DATE = "yyyy-mm-dd"


def _cell(value: Any) -> Any:
    """A value for a cell: NaN and NaT become blank, numpy scalars Python ones."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()
    return value


def _column_cells(values: Any) -> list[Any]:
    """The cells of one column as plain Python values, converted per column (no Python call
    per cell): what :func:`_cell` gives for each value.

    >>> _column_cells(pd.Series([1.5, np.nan])), _column_cells(pd.Series(["a", None, np.nan]))
    ([1.5, None], ['a', None, None])
    >>> _column_cells(pd.Series(pd.to_datetime(["2026-01-31", None])))
    [datetime.datetime(2026, 1, 31, 0, 0), None]
    >>> _column_cells(pd.Series([3, 4])), _column_cells(np.array([True, False]))
    ([3, 4], [True, False])
    """
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object)
                                                                     if np.ndim(values) else [values])
    dtype = series.dtype
    if dtype.kind == "f":
        arr = series.to_numpy(dtype=np.float64)
        out = arr.astype(object)
        out[np.isnan(arr)] = None
        return list(out.tolist())
    if dtype.kind in "iub":
        return list(series.to_numpy().tolist())  # numpy's tolist gives Python ints and bools
    if dtype.kind == "M":
        stamps = series.to_numpy(dtype="datetime64[us]")
        out = stamps.astype(object)  # datetime.datetime
        out[np.isnat(stamps)] = None
        return list(out.tolist())
    arr = series.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(arr, skipna=True) in ("string", "empty"):
        out = arr.copy()
        out[pd.isna(arr)] = None
        return list(out.tolist())
    return [_cell(v) for v in arr.tolist()]  # mixed kinds: each value decides


def _frame_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose cells are plain Python values (blank for NaN), converted
    column by column."""
    out = pd.DataFrame({j: _column_cells(frame.iloc[:, j]) for j in range(frame.shape[1])},
                       index=frame.index, dtype=object)
    out.columns = frame.columns
    return out


def _fit(widths: dict[int, float], headers: list[str], first_col: int = 0, cap: float = 30) -> dict[int, float]:
    """Widen columns so that their headers (plus the filter button) fit; the writer widens
    them further to their content (:func:`xlcredit.workbook.widths.column_widths`)."""
    out = dict(widths)
    for j, header in enumerate(headers):
        need = min(display_width(header) + 3, cap)
        out[first_col + j] = max(out.get(first_col + j, 8.43), need)
    return out


def _write_generated(run: _Run, spec: SheetSpec, first: bool = False) -> None:
    """Write a generated sheet after the Invoices sheet (Dashboard first among them)."""
    names = run.workbook.sheet_names()
    folded = [n.casefold() for n in names]
    if spec.name.casefold() in folded:
        run.workbook.write_sheet(spec)
        return
    roles = ("aging", "collections", "dashboard", "history", "problems", "plan", "statement", "letters",
             "credit_hold", "provision", "provision_history", "forecast", "write_offs",
             "team_policy")
    generated = {SHEET_NAMES[r][lang].casefold() for r in roles for lang in ("en", "zh-CN")}
    anchor = run.invoices.sheet.casefold()
    before: str | None = None
    if anchor in folded:
        i = folded.index(anchor) + 1
        if not first:
            while i < len(names) and folded[i] in generated:
                i += 1
        before = names[i] if i < len(names) else None
    run.workbook.write_sheet(spec, before=before)
