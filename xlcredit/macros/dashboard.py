"""The Dashboard sheet: the receivables figures, the band mix and the largest exposures."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from xlcredit.macros.decision_log import reviews_block
from xlcredit.macros.generated import _MONEY0, _PCT, _cell, _frame_cells, _write_generated
from xlcredit.macros.labels import _l, _sheet
from xlcredit.macros.run import (
    _aging,
    _assess,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _high_risk,
    _ledger_kpis,
    _open,
    _Run,
)
from xlcredit.macros.team_policy import team_block
from xlcredit.workbook.port import CellSpec, ChartSeries, ChartSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.schema import no_paid_history_problem
from xlcredit.workbook.sheet_xml import col_letters


def _dashboard_figures(run: _Run) -> dict[str, float]:
    k = _ledger_kpis(run)
    return {key: float(k[key]) for key in ("receivables", "current", "overdue", "dso", "dso_best",
                                           "days_delinquent", "cei", "percent_current")}


def build_dashboard(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> dict[str, float]:
    """Rebuild the Dashboard: DSO, best possible DSO, average days delinquent, CEI, percent
    current, the largest exposures, high-risk buyers and the band distribution (with
    charts). Returns the figures.

    Examples
    --------
    Is our DSO above the best possible DSO (do buyers pay late)?

    >>> with _example_book() as book:
    ...     f = build_dashboard(book)
    >>> bool(f["dso"] >= f["dso_best"]), bool(0 <= f["percent_current"] <= 1)
    (True, True)
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    figures = _dashboard_figures(run)
    result = _assess(run)
    b = run.buyers.frame
    worst = run.policy.score.bands[-1].band
    high = _high_risk(run)
    over_n = int((result["over_limit"].fillna(0) > 0).sum())
    aging = _aging(run)
    disputed = float(aging.total.iloc[len(aging.labels) + 2])  # the aging's "of which disputed"
    problems_n = len(run.problems)
    open_items_only = no_paid_history_problem(run.invoices) is not None
    if open_items_only:  # issue 11: no nonsense KPIs (CEI -223 %, DSO equal to the window)
        figures = {**figures, **dict.fromkeys(("dso", "dso_best", "days_delinquent", "cei"), math.nan)}
    rows: list[tuple[str, float, str]] = [
        (_l("receivables", lang), figures["receivables"], _MONEY0),
        (_l("overdue", lang), figures["overdue"], _MONEY0),
        (_l("pct_current", lang), figures["percent_current"], _PCT),
        (_l("dso", lang), figures["dso"], "0.0"),
        (_l("dso_best", lang), figures["dso_best"], "0.0"),
        (_l("days_delinquent", lang), figures["days_delinquent"], "0.0"),
        (_l("cei", lang), figures["cei"], _PCT),
        (_l("buyers", lang), float(len(b)), "0"),
        (_l("high_risk", lang, band=worst), float(high), "0"),
        (_l("over_limit_n", lang), float(over_n), "0"),
        (_l("disputed", lang), disputed, _MONEY0),
        (_l("problems_n", lang), float(problems_n), "0"),
    ]
    cells = [CellSpec(0, 0, _l("dash_title", lang), bold=True, font_size=16),
             CellSpec(1, 0, _l("as_of", lang, date=run.as_of.isoformat(), ccy=run.ccy)),
             *([CellSpec(2, 0, _l("no_paid_history", lang), bold=True)] if open_items_only else []),
             CellSpec(3, 0, _l("figure", lang), bold=True), CellSpec(3, 1, _l("value", lang), bold=True,
                                                                              horizontal="right")]
    for i, (label, value, fmt) in enumerate(rows):
        cells.append(CellSpec(4 + i, 0, label))
        cells.append(CellSpec(4 + i, 1, _cell(value) if not math.isnan(value) else "n/a",
                              number_format=fmt, bold=True))
    # band distribution
    bands = list(run.policy.score.band_names)
    labels = {bd.band: (bd.label_zh if lang == "zh-CN" else bd.label_en) for bd in run.policy.score.bands}
    sp = run.policy.score
    labels[sp.not_rated_band] = sp.not_rated_label_zh if lang == "zh-CN" else sp.not_rated_label_en
    counts = result["band"].value_counts()
    exposure_by_band = result.groupby("band")["exposure"].sum()
    band_table = pd.DataFrame({
        _l("band", lang): bands,
        _l("label", lang): [labels.get(x, x) for x in bands],
        _l("count", lang): [int(counts.get(x, 0)) for x in bands],
        _l("exposure", lang): [float(exposure_by_band.get(x, 0.0)) for x in bands],
    })
    band_top = 18
    # top exposures
    top = pd.DataFrame({
        _l("buyer_id", lang): b["buyer_id"].to_numpy(dtype=object),
        _l("name", lang): b["name"].to_numpy(dtype=object),
        _l("band", lang): result["band"].to_numpy(dtype=object),
        _l("exposure", lang): result["exposure"].to_numpy(),
        _l("overdue", lang): result["overdue"].to_numpy(),
        _l("limit", lang): result["limit_used"].to_numpy(),  # the limit utilisation is of
        _l("utilisation", lang): result["utilisation"].to_numpy(),
    }).sort_values(_l("exposure", lang), ascending=False, kind="stable").head(10)
    top_top = band_top + len(bands) + 4
    cells.append(CellSpec(band_top - 1, 0, _l("band_title", lang), bold=True, font_size=12))
    cells.append(CellSpec(top_top - 1, 0, _l("top_title", lang), bold=True, font_size=12))
    # aging totals for a chart
    aging = _aging(run)
    bucket_labels = list(aging.labels)
    aging_row = band_top
    aging_col = 8
    cells.append(CellSpec(aging_row - 1, aging_col, _l("aging_chart", lang), bold=True, font_size=12))
    for i, label in enumerate(bucket_labels):
        cells.append(CellSpec(aging_row + i, aging_col, label))
        cells.append(CellSpec(aging_row + i, aging_col + 1, _cell(float(aging.total[label])), number_format=_MONEY0))
    ac, av = col_letters(aging_col + 1), col_letters(aging_col + 2)
    charts = [
        ChartSpec("column", _l("band_title", lang), f"A{band_top + 2}:A{band_top + 1 + len(bands)}",
                  [ChartSeries(_l("count", lang), f"C{band_top + 2}:C{band_top + 1 + len(bands)}", "#2E75B6")],
                  anchor="D4", width_px=390, height_px=270),
        ChartSpec("column", _l("aging_chart", lang),
                  f"{ac}{aging_row + 1}:{ac}{aging_row + len(bucket_labels)}",
                  [ChartSeries(run.ccy, f"{av}{aging_row + 1}:{av}{aging_row + len(bucket_labels)}", "#C55A11")],
                  anchor=f"{ac}4", width_px=430, height_px=270),
    ]
    team_cells, team_tables = team_block(run, top_top + 13)  # below the ten largest exposures
    below = max([c.row for c in team_cells] + [t.row + len(t.frame) for t in team_tables]) + 3
    review_cells, review_tables = reviews_block(run, below)
    cells += team_cells + review_cells
    team_tables += review_tables
    spec = SheetSpec(
        _sheet("dashboard", lang),
        cells=cells,
        tables=[*team_tables,
            TableSpec("tblBandMix", _frame_cells(band_table), row=band_top,
                      number_formats={_l("exposure", lang): _MONEY0, _l("count", lang): "0"},
                      style="TableStyleLight9"),
            TableSpec("tblTopExposures", _frame_cells(top.reset_index(drop=True)), row=top_top,
                      number_formats={_l("exposure", lang): _MONEY0, _l("overdue", lang): _MONEY0,
                                      _l("limit", lang): _MONEY0, _l("utilisation", lang): _PCT},
                      text_columns=(_l("buyer_id", lang), _l("name", lang)), style="TableStyleLight9"),
        ],
        charts=charts,
        widths={0: 34, 1: 30, 2: 12, 3: 14, 4: 14, 5: 14, 6: 12, 7: 4, 8: 14, 9: 16, 10: 14},
        tab_color="#548235", footer=_l("footer", lang),
    )
    _write_generated(run, spec, first=True)
    return {**figures, "high_risk": float(high), "buyers": float(len(b))}
