"""The Forecast sheet (回款预测): expected collections per week for the next weeks in the base
currency, disputed items apart, with a chart, and the open invoices with their expected
payment dates.

Every figure is the forecast engine's (:func:`xlcredit.engine.forecast.forecast` on the
run's ledger, with the promise dates of the Collections sheet and the write-offs taken out
by the ledger reader); this module only lays them out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.forecast import ForecastResult, forecast
from xlcredit.macros.generated import _DATE, _MONEY, _fit, _frame_cells, _write_generated
from xlcredit.macros.labels import _l, _sheet
from xlcredit.macros.run import (
    _arrays,
    _buyer_names,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _open,
    _Run,
)
from xlcredit.messages import text
from xlcredit.workbook.port import CellSpec, ChartSeries, ChartSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.sheet_xml import col_letters

__all__ = ["FORECAST_ITEMS_TABLE", "FORECAST_TABLE", "build_forecast", "forecast_result"]

FORECAST_TABLE = "tblForecast"
FORECAST_ITEMS_TABLE = "tblForecastItems"


def _t(key: str, lang: str, **fields: Any) -> str:
    return text(f"month_end.{key}", lang, **fields)


def forecast_result(run: _Run) -> ForecastResult:
    """The run's forecast (computed once per run) on the ledger the other sheets read."""
    if "forecast" not in run.cache:
        run.cache["forecast"] = forecast(_arrays(run), run.as_of, run.policy, language=run.lang)
    return run.cache["forecast"]  # type: ignore[no-any-return]


def build_forecast(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> float:
    """Rebuild the Forecast sheet; returns the total expected over the weeks shown.

    >>> with _example_book(30) as book:
    ...     total = build_forecast(book)
    ...     t = book.read_table("tblForecast")
    >>> len(t.rows), round(sum(r[3] for r in t.rows), 2) == round(total, 2)
    (13, True)
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    ccy = run.ccy
    f = forecast_result(run)
    weeks = len(f.weekly)
    w = f.weekly
    week_label = [_t("week_label", lang, n=int(k)) for k in w["week"]]
    table = pd.DataFrame({
        _t("week", lang): week_label,
        _t("week_from", lang): w["start"].to_numpy(),
        _t("week_to", lang): w["end"].to_numpy(),
        _t("expected", lang, ccy=ccy): w["expected"].to_numpy(dtype=float),
        _t("items", lang): w["items"].to_numpy(dtype=np.int64),
    })
    top = 4
    cells = [CellSpec(0, 0, _t("forecast_title", lang, weeks=weeks), bold=True, font_size=14),
             CellSpec(1, 0, _t("forecast_note", lang, date=run.as_of.isoformat(), ccy=ccy)),
             CellSpec(2, 0, _t("forecast_note2", lang))]
    below = top + 1 + weeks + 2  # after the table's total row
    summary = ((_t("later", lang, weeks=weeks), f.later, _MONEY),
               (_t("disputed", lang), f.disputed, _MONEY),
               (_t("portfolio_delay", lang), None if np.isnan(f.portfolio_delay) else round(f.portfolio_delay, 1),
                "0.0"))
    for k, (label, value, fmt) in enumerate(summary):
        cells.append(CellSpec(below + k, 0, label))
        cells.append(CellSpec(below + k, 3, value, number_format=fmt))
    for k, note in enumerate(f.notes):
        cells.append(CellSpec(below + len(summary) + k, 0, note))
    chart_top = below + len(summary) + len(f.notes) + 1  # the chart under the weeks, as wide as the table
    chart_rows = 17
    items_top = chart_top + chart_rows + 2
    cells.append(CellSpec(items_top - 1, 0, _t("items_title", lang), bold=True, font_size=12))
    it = f.items
    names = _buyer_names(run)
    names = names[~names.index.duplicated()]
    ids = it.iloc[:, 0].to_numpy(dtype=object)
    items = pd.DataFrame({
        _l("buyer_id", lang): ids,
        _l("name", lang): names.reindex(ids).to_numpy(dtype=object),
        _t("invoice", lang): it["invoice_no"].astype(str).to_numpy(dtype=object),
        _t("open_base", lang, ccy=ccy): it["open_base"].to_numpy(dtype=float),
        _t("due_date", lang): it["due_date"].to_numpy(),
        _t("delay", lang): np.round(it["expected_delay"].to_numpy(dtype=float), 1),
        _t("expected_date", lang): it["expected_date"].to_numpy(),
        _t("source", lang): it["source"].to_numpy(dtype=object),
        _t("week_no", lang): it["week"].where(it["week"] > 0).to_numpy(dtype=float),
    }).sort_values([_t("expected_date", lang), _l("buyer_id", lang)], kind="stable").reset_index(drop=True)
    if not len(items):
        items = pd.DataFrame([[None] * items.shape[1]], columns=items.columns, dtype=object)
    first, last = top + 2, top + 1 + weeks  # 1-based rows of the weekly data
    value_col = col_letters(4)  # the expected-collections column, D
    chart = ChartSpec("column", _t("chart_title", lang, ccy=ccy), f"A{first}:A{last}",
                      [ChartSeries(_t("expected", lang, ccy=ccy), f"{value_col}{first}:{value_col}{last}", "#2E75B6")],
                      anchor=f"A{chart_top + 1}", width_px=640, height_px=chart_rows * 20)
    spec = SheetSpec(
        _sheet("forecast", lang), cells=cells,
        tables=[
            TableSpec(FORECAST_TABLE, _frame_cells(table), row=top, number_formats={
                _t("week_from", lang): _DATE, _t("week_to", lang): _DATE,
                _t("expected", lang, ccy=ccy): _MONEY, _t("items", lang): "0"},
                text_columns=(_t("week", lang),), style="TableStyleMedium2", total_row=True,
                total_label=_l("total", lang)),
            TableSpec(FORECAST_ITEMS_TABLE, _frame_cells(items), row=items_top, number_formats={
                _t("open_base", lang, ccy=ccy): _MONEY, _t("due_date", lang): _DATE,
                _t("expected_date", lang): _DATE, _t("delay", lang): "0.0", _t("week_no", lang): "0"},
                text_columns=(_l("buyer_id", lang), _l("name", lang), _t("invoice", lang), _t("source", lang)),
                style="TableStyleLight9"),
        ],
        charts=[chart],
        widths=_fit({0: 12.0}, list(items.columns), cap=24),
        freeze=None, tab_color="#2E75B6", print_title_rows=None, footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return float(w["expected"].sum())
