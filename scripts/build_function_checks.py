"""Build tests/excel/function_checks.xlsx: the release check of the add-in in real Excel.

Every Excel function of xlcredit is called on the sheet ``Checks`` beside the value Python
gives for the same inputs (and, where DESIGN.md or an issue gives one, beside the
published reference value, which this script asserts first). Cell ``C2`` counts the
failures: a tester opens the workbook with the add-in loaded, presses Ctrl+Alt+F9 and
expects 0 (xlwings-style test harness, STYLE.md 12).

    python scripts/build_function_checks.py [OUT]

Inputs are laid out on the sheet ``Inputs`` exactly as a user would type them: numbers,
dates formatted as dates (xlwings then passes datetime), text, blank cells for "not
known", and columns for ranges. A function whose result spills is checked cell by cell
with ``INDEX(FUNCTION(...), row, column)``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "excel" / "function_checks.xlsx"
MAX_CELLS = 12  # cells checked per spilled result
D = dt.date


@dataclass(frozen=True)
class Case:
    """One call: the function, its arguments as a user would enter them, where the
    expectation comes from, and an optional published reference for cell (1, 1)."""

    function: str
    args: tuple[Any, ...]
    source: str
    reference: float | str | None = None
    cells: tuple[tuple[int, int], ...] = field(default=())


CASES: tuple[Case, ...] = (
    Case("TRADESCORE", (1000.0, 600.0, 500.0, 250.0, 150.0, 80.0, 1500.0, 50.0), "Python"),
    Case("TRADESCORE", ([1000.0, 500.0], [600.0, 480.0], [500.0, 100.0], [250.0, 200.0],
                        [150.0, -20.0], [80.0, -5.0], [1500.0, 400.0], None, [5.0, 60.0],
                        [0.1, 0.6], [0.0, 1.0], [2.0, 4.0], [1.0, 3.0], [0.0, 1.0],
                        ["N", "Y"], [12.0, 2.0]), "Python; a column of two buyers"),
    Case("TRADESCORE_DETAIL", (1000.0, 600.0, 500.0, 250.0, 150.0, 80.0, 1500.0, 50.0, 45.0),
         "Python"),
    Case("CREDIT_LIMIT", (60.0, 80000.0, None, 700000.0, None, None, 50000.0), "Python"),
    Case("CREDIT_LIMIT_DETAIL", (60.0, 80000.0, None, 700000.0, None, None, 50000.0, None,
                                 35000.0), "Python"),
    Case("DSO", (212000.0, 250000.0, 90.0), "DESIGN.md 3.1 example", 76.32),
    Case("DSO", (212000.0, [70000.0, 80000.0, 100000.0], 30.0), "DESIGN.md 3.1 example", 76.32),
    Case("DSO", (212000.0, [70000.0, 80000.0, 100000.0], 30.0, "countback"),
         "DESIGN.md 3.1 example (countback)", 73.71),
    Case("DSO_BEST", (150000.0, 250000.0, 90.0), "CRF: 150000 / 250000 x 90", 54.0),
    Case("DAYS_DELINQUENT", (212000.0, 150000.0, 250000.0, 90.0), "CRF: DSO - best DSO", 22.32),
    Case("CEI", (6200.0, 10890.0, 6340.0, 3590.0, 3.0), "issue 3, CRF convention", 0.5593),
    Case("PCT_CURRENT", (150000.0, 200000.0), "150000 / 200000", 0.75),
    Case("AR_TURNOVER", (1200000.0, 200000.0), "1200000 / 200000", 6.0),
    Case("DAYS_BEYOND_TERMS", ([D(2026, 1, 31), D(2026, 2, 28)], [D(2026, 2, 10), D(2026, 2, 20)],
                               [1000.0, 3000.0]),
         "(10 x 1000 - 8 x 3000) / 4000", -3.5),
    Case("LATE_SHARE", ([D(2026, 1, 31), D(2026, 2, 28)], [D(2026, 2, 10), D(2026, 2, 20)]),
         "1 of 2 paid late", 0.5),
    Case("AGING_BUCKET", ([D(2026, 10, 15), D(2027, 1, 13)], D(2026, 11, 28)), "Python"),
    Case("AGING", ([100.0, 250.0], [D(2026, 12, 14), D(2026, 11, 1)], D(2026, 11, 28)), "Python"),
    Case("DUNNING_STEP", (31.0,), "Python (default ladder)"),
    Case("DUNNING_STEP", ([0.0, 60.0], None, "zh-CN"), "Python (Chinese labels)"),
    Case("LATE_INTEREST", (10000.0, D(2026, 10, 29), D(2026, 11, 28)), "Python"),
    Case("LATE_INTEREST", (100000.0, D(2025, 9, 30), D(2025, 11, 14), None, None, "cn_sme"),
         "保障中小企业款项支付条例: 100000 x 0.05% x 45 days", 2250.0),
    Case("LATE_INTEREST", (5000.0, D(2025, 9, 1), D(2025, 10, 31), None, None, "uk"),
         "Late Payment Act: 5000 x (4.25% + 8%) x 60 / 365 + GBP 70", 170.68),
    Case("LATE_INTEREST", (5000.0, D(2025, 6, 1), D(2025, 7, 31), None, None, "eu"),
         "2011/7/EU: 29 days at 11.15%, 31 at 10.15% (reset 1 July) + EUR 40", 127.40),
    Case("LATE_INTEREST", (200000.0, D(2025, 8, 1), D(2025, 10, 13), None, None, "lpr"),
         "LPR 3.0% x 1.5: 200000 x 4.5% x 73 / 365", 1800.0),
    Case("PAYMENT_PLAN", (10000.0, 3.0, 0.08, D(2026, 3, 2)), "Python", cells=(
        (1, 1), (1, 6), (2, 2), (2, 3), (2, 4), (2, 6), (4, 3), (4, 5), (4, 6))),
    Case("PLAN_PAYMENT", (10000.0, 10.0, 0.08), "Python"),
    # By hand, as of 2026-11-30 (default edges 30, 60, 90, 120, 180): 1,000 due 2026-12-31
    # not due x 1 % = 10; 400 due 2026-10-31, 30 days, 1-30 x 5 % = 20; 250 due
    # 2026-09-15, 76 days, 61-90 x 20 % = 50; 100 due 2026-03-31, 244 days, over 180 x 100 %
    # = 100; total 180.
    Case("PROVISION", ([1000.0, 400.0, 250.0, 100.0],
                       [D(2026, 12, 31), D(2026, 10, 31), D(2026, 9, 15), D(2026, 3, 31)],
                       D(2026, 11, 30), [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0]),
         "10 + 20 + 50 + 100 (by hand)", 180.0),
    # Edges {90}: 1,000 not due x 2 % = 20; 400 and 250 in 1-90 x 10 % = 65; 100 over 90
    # x 60 % = 60; total 145.
    Case("PROVISION", ([1000.0, 400.0, 250.0, 100.0],
                       [D(2026, 12, 31), D(2026, 10, 31), D(2026, 9, 15), D(2026, 3, 31)],
                       D(2026, 11, 30), [0.02, 0.1, 0.6], [90.0]),
         "20 + 65 + 60 (by hand)", 145.0),
    Case("PLAN_RESCHEDULE", (10000.0, 10.0, 0.08, D(2026, 1, 31), 2.0, D(2026, 6, 30)), "Python",
         cells=((2, 1), (2, 2), (2, 3), (2, 6), (3, 3), (10, 3), (10, 6))),
)


def _as_xlwings(value: Any) -> Any:
    """The value xlwings hands to Python for what the Inputs sheet holds."""
    if isinstance(value, list):
        return [_as_xlwings(v) for v in value]
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _cells(result: Any, case: Case) -> list[tuple[int, int, Any]]:
    if not isinstance(result, list):
        return [(1, 1, result)]
    rows = [r if isinstance(r, list) else [r] for r in result]
    if case.cells:
        return [(r, c, rows[r - 1][c - 1]) for r, c in case.cells]
    flat = [(r + 1, c + 1, v) for r, row in enumerate(rows) for c, v in enumerate(row)]
    return flat[:MAX_CELLS]


def _expected(udfs: Any, case: Case) -> Any:
    result = getattr(udfs, case.function)(*[_as_xlwings(a) for a in case.args])
    if case.reference is not None:
        got = _cells(result, case)[0][2]
        ok = (
            abs(float(got) - float(case.reference)) <= 0.005
            if isinstance(case.reference, float)
            else got == case.reference
        )
        if not ok:
            raise SystemExit(
                f"{case.function}{case.args}: Python gives {got!r}, the reference ({case.source}) "
                f"is {case.reference!r}; fix the function before building the checks."
            )
    return result


def build(out: Path = DEFAULT_OUT) -> Path:
    """Write the workbook; returns its path."""
    sys.path.insert(0, str(ROOT / "udfs"))
    udfs = importlib.import_module("xlcredit_udfs")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out))
    wb.set_properties({
        "title": "xlcredit function checks",
        "author": "xlcredit developers",
        "comments": "Built by scripts/build_function_checks.py",
        "created": dt.datetime(2026, 1, 1),
    })
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    number = wb.add_format({"num_format": "0.000000"})
    checks = wb.add_worksheet("Checks")
    inputs = wb.add_worksheet("Inputs")
    checks.set_column(0, 0, 6)
    checks.set_column(1, 1, 22)
    checks.set_column(2, 2, 10)
    checks.set_column(3, 5, 24)
    checks.set_column(6, 6, 8)
    checks.set_column(7, 7, 40)
    checks.write(0, 0, "xlcredit function checks: load the add-in, press Ctrl+Alt+F9, "
                 "expect 0 failures.", bold)
    checks.write(1, 1, "Failures", bold)
    checks.write(2, 1, "Checks", bold)
    header = ["No", "Function", "Cell", "Excel result", "Expected", "Formula", "OK", "Source"]
    first = 5
    for c, h in enumerate(header):
        checks.write(first - 1, c, h, bold)

    row = first
    in_col = 0
    for n, case in enumerate(CASES, start=1):
        refs: list[str] = []
        inputs.write(0, in_col, f"{n}. {case.function}", bold)
        for k, arg in enumerate(case.args):
            col = in_col + k
            values = arg if isinstance(arg, list) else [arg]
            for i, v in enumerate(values):
                cell = (2 + i, col)
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    inputs.write_datetime(*cell, dt.datetime(v.year, v.month, v.day), date)
                else:
                    inputs.write(*cell, v)
            top = xl_rowcol_to_cell(2, col, row_abs=True, col_abs=True)
            bottom = xl_rowcol_to_cell(1 + len(values), col, row_abs=True, col_abs=True)
            refs.append(f"Inputs!{top}" if len(values) == 1 else f"Inputs!{top}:{bottom}")
        while refs and case.args[len(refs) - 1] is None:
            refs.pop()  # trailing "not given" arguments are left out of the call
        call = f"{case.function}({','.join(refs)})"
        result = _expected(udfs, case)
        spills = isinstance(result, list)
        for r, c, value in _cells(result, case):
            formula = f"INDEX({call},{r},{c})" if spills else call
            checks.write(row, 0, n)
            checks.write(row, 1, case.function)
            checks.write(row, 2, f"{r},{c}")
            checks.write_formula(row, 3, f"={formula}", number, "")
            if isinstance(value, dt.datetime):
                checks.write_datetime(row, 4, value, date)
            elif isinstance(value, bool):
                checks.write_boolean(row, 4, value)
            elif isinstance(value, (int, float)):
                checks.write_number(row, 4, float(value), number)
            else:
                checks.write_string(row, 4, str(value))
            checks.write_string(row, 5, "=" + formula)
            d, e = xl_rowcol_to_cell(row, 3), xl_rowcol_to_cell(row, 4)
            checks.write_formula(
                row, 6,
                f'=IFERROR(IF(ISNUMBER({e}),ABS({d}-{e})<=1E-6*MAX(1,ABS({e})),'
                f'EXACT({d}&"",{e}&"")),FALSE)',
                None, "",
            )
            ref = "" if case.reference is None or (r, c) != (1, 1) else f" = {case.reference}"
            checks.write_string(row, 7, case.source + ref)
            row += 1
        in_col += max(len(case.args), 1) + 1
    last = row
    ok_range = f"G{first + 1}:G{last}"
    checks.write_formula(1, 2, f"=COUNTIF({ok_range},FALSE)+COUNTBLANK({ok_range})", bold, "")
    checks.write_formula(2, 2, f"=ROWS({ok_range})", bold, last - first)
    checks.freeze_panes(first, 0)
    wb.close()
    return out


def functions_checked() -> set[str]:
    """The functions that have at least one check row."""
    return {case.function for case in CASES}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    print(f"wrote {build(target)}")
