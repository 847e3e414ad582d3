"""The template workbooks (issue 4, "Templates"): the committed files equal a fresh build,
compared as a normalised extraction (sheets, tables, headers, values, formulas, number
formats, validations, conditional formats, panes, widths), not as bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xlcredit.workbook.schema import BUYERS, INVOICES
from xlcredit.workbook.templates import build_template, template_path

#: Parts of a workbook the comparison ignores: file properties (dates, app version) and
#: XlsxWriter's internal ids; everything a user sees is compared.
IGNORED = ("docProps", "xl/calcChain.xml")


def extract(path: Path) -> dict[str, Any]:
    """A normalised, comparable description of a workbook."""
    book = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    out: dict[str, Any] = {"sheets": book.sheetnames}
    for ws in book.worksheets:
        values = cached[ws.title]
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and c.number_format == "General":
                    continue
                value = c.value
                if hasattr(value, "text"):  # an array formula
                    value = f"{{{value.text}}}"
                cached_value = values[c.coordinate].value
                cells[c.coordinate] = (
                    value if not isinstance(value, dt.datetime) else value.isoformat(),
                    cached_value if not isinstance(cached_value, dt.datetime) else cached_value.isoformat(),
                    c.number_format,
                )
        out[ws.title] = {
            "tables": {t.name: (t.ref, [col.name for col in t.tableColumns],
                                t.tableStyleInfo.name if t.tableStyleInfo else None)
                       for t in ws.tables.values()},
            "cells": cells,
            "validations": sorted(
                (str(v.sqref), v.type, v.formula1, v.formula2, v.operator) for v in ws.data_validations.dataValidation
            ),
            "conditional": sorted(str(rng.sqref) for rng in ws.conditional_formatting),
            "freeze": ws.freeze_panes,
            "widths": {k: round(d.width, 2) for k, d in ws.column_dimensions.items() if d.width},
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.print_title_rows),
        }
    return out


def diff(a: dict[str, Any], b: dict[str, Any], where: str = "") -> list[str]:
    """Readable differences between two extractions (at most a screenful)."""
    lines: list[str] = []
    for key in sorted(set(a) | set(b), key=str):
        here = f"{where}/{key}"
        if key not in a or key not in b:
            lines.append(f"{here}: only in {'fresh build' if key in b else 'committed file'}")
        elif isinstance(a[key], dict) and isinstance(b[key], dict):
            lines.extend(diff(a[key], b[key], here))
        elif a[key] != b[key]:
            lines.append(f"{here}: committed {a[key]!r} != fresh {b[key]!r}")
    return lines[:40]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_committed_template_is_current(lang: str, tmp_path: Path) -> None:
    committed = template_path(lang)
    assert committed.exists(), f"{committed} is missing: run python -m xlcredit.workbook.templates"
    fresh = build_template(tmp_path / committed.name, lang=lang)
    problems = diff(extract(committed), extract(fresh))
    assert problems == [], (
        "the committed template differs from a fresh build; run `python -m xlcredit.workbook.templates` "
        "and commit workbooks/:\n" + "\n".join(problems)
    )


def test_extraction_sees_a_changed_cell(tmp_path: Path) -> None:
    # the comparison above must be able to fail
    path = build_template(tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(path)
    book["Policy"]["B5"] = "zh-CN"
    book.save(tmp_path / "b.xlsx")
    assert any("B5" in line for line in diff(extract(path), extract(tmp_path / "b.xlsx")))


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_template_layout(lang: str, tmp_path: Path) -> None:
    path = build_template(tmp_path / "t.xlsx", lang=lang, sample=12)
    book = openpyxl.load_workbook(path)
    buyers = book[BUYERS.sheet(lang)]
    table = buyers.tables["tblBuyers"]
    assert [c.name for c in table.tableColumns] == BUYERS.headers(lang)
    assert table.ref == f"A1:{openpyxl.utils.get_column_letter(len(BUYERS.columns))}13"
    assert buyers.freeze_panes == "C2"
    # output columns are there and empty, for refresh to fill
    first_output = len(BUYERS.inputs) + 1
    assert all(buyers.cell(r, c).value is None for r in range(2, 14)
               for c in range(first_output, len(BUYERS.columns) + 1))
    kinds = {v.type for v in buyers.data_validations.dataValidation}
    assert {"list", "whole", "decimal"} <= kinds
    invoices = book[INVOICES.sheet(lang)]
    assert invoices.tables["tblInvoices"].ref.startswith("A1:K")
    policy = book["信用政策" if lang == "zh-CN" else "Policy"]
    assert set(policy.tables) == {"tblPolicy", "tblBands", "tblLimitRules", "tblApproval",
                                  "tblDunning", "tblFX", "tblLetters"}
    # numbers are numbers, dates are dates (not text)
    amount_col = INVOICES.headers(lang).index(INVOICES.column("amount").header(lang)) + 1
    due_col = INVOICES.headers(lang).index(INVOICES.column("due_date").header(lang)) + 1
    assert isinstance(invoices.cell(2, amount_col).value, float)
    assert isinstance(invoices.cell(2, due_col).value, dt.datetime)
    assert invoices.cell(2, due_col).number_format == "yyyy-mm-dd"


def test_names_starting_with_equals_are_text(tmp_path: Path) -> None:
    # security (issue 6): nothing from a cell is ever executed; sample names are plain text
    path = build_template(tmp_path / "t.xlsx", sample=40)
    ws = openpyxl.load_workbook(path)["Buyers"]
    assert all(ws.cell(r, 2).data_type == "s" for r in range(2, 42))


def test_quick_check_formulas_carry_the_engine_results(tmp_path: Path) -> None:
    import xlcredit_udfs

    path = build_template(tmp_path / "t.xlsx")
    formulas = openpyxl.load_workbook(path)["Quick check"]
    values = openpyxl.load_workbook(path, data_only=True)["Quick check"]
    assert formulas["E5"].value.startswith("=TRADESCORE(")
    assert formulas["E8"].value.startswith("=CREDIT_LIMIT(")
    inputs = [values.cell(r, 2).value for r in range(5, 21)]
    if hasattr(xlcredit_udfs, "TRADESCORE"):
        assert values["E5"].value == xlcredit_udfs.TRADESCORE(*inputs)
    if hasattr(xlcredit_udfs, "CREDIT_LIMIT"):
        expected = xlcredit_udfs.CREDIT_LIMIT(values["E5"].value, values["E6"].value, values["E7"].value,
                                              inputs[6], 240000.0, 30.0, 50000.0, None, 20000.0)
        assert values["E8"].value == expected
    assert values["E6"].value == inputs[0] - inputs[1]  # =B5-B6, native


def test_sample_is_deterministic(tmp_path: Path) -> None:
    a = extract(build_template(tmp_path / "a.xlsx", sample=25))
    b = extract(build_template(tmp_path / "b.xlsx", sample=25))
    assert diff(a, b) == []
