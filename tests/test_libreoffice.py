"""A real spreadsheet application checks our workbooks (issue 4, "Checked by a real
spreadsheet application").

LibreOffice opens each workbook headless and recalculates every formula: native formulas
(SUM, shares, KPI cells) and xlcredit's own functions (through the Basic bridge of
tests/lo, which calls the same Python the Excel add-in calls). Every recalculated value must
equal the value xlcredit cached in the file, and no formula may end in an error.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlcredit_udfs
import xlsxwriter

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[1]


def _cached_values(path: Path) -> dict[tuple[str, int, int], Any]:
    """Cached results of formula cells, as Excel (and XlsxWriter's ``value``) stored them."""
    book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    cached: dict[tuple[str, int, int], Any] = {}
    for sheet in book.worksheets:
        for r, row in enumerate(sheet.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                cached[(sheet.title, r, c)] = value
    book.close()
    return cached


def _same(lo_cell: dict[str, Any], expected: Any) -> bool:
    if isinstance(expected, bool):
        return lo_cell["value"] == float(expected)
    if isinstance(expected, (int, float)):
        return math.isclose(lo_cell["value"], float(expected), rel_tol=1e-9, abs_tol=1e-6)
    if expected is None:
        return lo_cell["text"] == ""
    return str(lo_cell["text"]) == str(expected)


BUYERS = [
    # total_assets, total_liabilities, current_assets, current_liabilities, retained_earnings,
    # ebit, revenue, net_income, days_beyond_terms, late_share, defaults_12m, industry_risk,
    # country_risk, management_changes_12m, negative_news, years_in_business
    [1_200_000, 500_000, 600_000, 300_000, 250_000, 120_000, 2_000_000, 80_000, 3, 0.1, 0, 2, 1, 0, "N", 15],
    [800_000, 720_000, 300_000, 350_000, -50_000, -20_000, 900_000, -30_000, 45, 0.6, 2, 4, 3, 1, "Y", 3],
    [500_000, 200_000, 250_000, 100_000, 90_000, 40_000, 700_000, None, None, None, None, None, None, None, None, None],
]


def test_our_functions_recompute_in_calc_and_match_python(libreoffice: Any, tmp_path: Path) -> None:
    path = tmp_path / "functions.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Check")
    expected: dict[tuple[int, int], Any] = {}
    for r, buyer in enumerate(BUYERS, start=1):
        for c, value in enumerate(buyer):
            if value is not None:
                sheet.write(r, c, value)
        args = [None if v is None else v for v in buyer]
        refs = ",".join(xlsxwriter.utility.xl_rowcol_to_cell(r, c) for c in range(len(buyer)))
        score = xlcredit_udfs.TRADESCORE(*args)
        sheet.write_formula(r, 17, f"=TRADESCORE({refs})", None, score)
        expected[(r, 17)] = score
        limit_args = [score, buyer[0] - buyer[1], buyer[2] - buyer[3], buyer[6]]
        sheet.write_row(r, 18, limit_args[1:])
        limit_refs = f"R{r + 1},S{r + 1},T{r + 1},U{r + 1}"
        limit = xlcredit_udfs.CREDIT_LIMIT(*limit_args)
        sheet.write_formula(r, 21, f"=CREDIT_LIMIT({limit_refs})", None, limit)
        expected[(r, 21)] = limit
    # DESIGN.md 3.1 examples: DSO(212000, 250000, 90) = 76.32; CEI example = 0.5593.
    sheet.write_formula(6, 0, "=DSO(212000,250000,90)", None, xlcredit_udfs.DSO(212000.0, 250000.0, 90.0))
    expected[(6, 0)] = xlcredit_udfs.DSO(212000.0, 250000.0, 90.0)
    sheet.write_column(7, 5, [70000, 80000, 100000])
    countback = xlcredit_udfs.DSO(212000.0, [70000.0, 80000.0, 100000.0], 30.0, "countback")
    sheet.write_formula(6, 1, '=DSO(212000,F8:F10,30,"countback")', None, countback)
    expected[(6, 1)] = countback
    cei = xlcredit_udfs.CEI(6200.0, 10890.0, 6340.0, 3590.0, 3.0)
    sheet.write_formula(6, 2, "=CEI(6200,10890,6340,3590,3)", None, cei)
    expected[(6, 2)] = cei
    book.close()

    [result] = libreoffice.recalculate([path])
    cells = {(c["row"], c["col"]): c for c in result["sheets"]["Check"]}
    assert set(expected) <= set(cells)
    for where, value in expected.items():
        cell = cells[where]
        assert cell["error"] == 0, (where, cell)
        assert not str(cell["text"]).startswith("#BRIDGE"), (where, cell)
        assert _same(cell, value), (where, cell, value)
    assert math.isclose(cells[(6, 0)]["value"], 76.32, abs_tol=0.005)  # DESIGN.md 3.1
    assert math.isclose(cells[(6, 1)]["value"], 73.71, abs_tol=0.005)  # CRF countback, issue 3
    assert math.isclose(cells[(6, 2)]["value"], 0.5593, abs_tol=0.00005)  # CRF CEI, issue 3


def _workbooks_to_check(tmp_path: Path) -> list[Path]:
    from xlcredit import macros
    from xlcredit.workbook import templates
    from xlcredit.workbook.files import FileWorkbook

    paths = sorted((ROOT / "workbooks").glob("credit_control*.xlsx"))
    for lang in ("en", "zh-CN"):
        sample = tmp_path / f"sample.{lang}.xlsx"
        templates.build_template(sample, lang=lang, sample=40)
        with FileWorkbook.open(sample) as book:
            macros.refresh_all(book)
            book.save()
        paths.append(sample)
    return paths


def test_every_formula_of_our_workbooks_recalculates_to_the_cached_value(
    libreoffice: Any, tmp_path: Path
) -> None:
    paths = _workbooks_to_check(tmp_path)
    assert len(paths) >= 4
    results = libreoffice.recalculate(paths)
    checked = 0
    for path, result in zip(paths, results, strict=True):
        assert "error" not in result, result
        cached = _cached_values(path)
        for sheet, cells in result["sheets"].items():
            for cell in cells:
                where = (sheet, cell["row"], cell["col"])
                assert cell["error"] == 0, (path.name, where, cell)
                assert not str(cell["text"]).startswith("#"), (path.name, where, cell)
                assert _same(cell, cached.get(where)), (path.name, where, cell, cached.get(where))
                checked += 1
    assert checked > 0, "no formula found in any workbook"
