"""Table schemas: headers in English and Chinese, coercion of messy cells, per-cell problems
(issue 4, "Schema and policy sheet")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlcredit.engine.errors import SchemaError
from xlcredit.engine.scoring import INPUTS
from xlcredit.workbook.schema import (
    BUYERS,
    INVOICES,
    TABLES,
    check_buyers,
    check_invoices,
    normalise_header,
    parse_table,
    problems_frame,
)

INVOICE_HEADER_EN = ["Invoice no", "Buyer ID", "Currency", "Amount", "Paid amount", "Invoice date",
                     "Due date", "Paid date", "Disputed", "Promise date"]


def test_buyer_inputs_follow_the_tradescore_order() -> None:
    # DESIGN.md 3.1: TRADESCORE's arguments, in order, are the score inputs of tblBuyers.
    names = [c.name for c in BUYERS.inputs]
    positions = [names.index(name) for name in INPUTS]
    assert positions == sorted(positions)


def test_invoice_columns_are_the_engine_names() -> None:
    # xlcredit/engine/aging.py INVOICE_COLUMNS and collections.py INVOICE_INPUT_COLUMNS
    from xlcredit.engine.aging import INVOICE_COLUMNS
    from xlcredit.engine.collections import INVOICE_INPUT_COLUMNS

    names = {c.name for c in INVOICES.columns}
    assert set(INVOICE_COLUMNS) <= names
    assert set(INVOICE_INPUT_COLUMNS) <= names


@pytest.mark.parametrize("schema", list(TABLES.values()), ids=lambda s: s.name)
def test_every_header_names_one_column(schema: object) -> None:
    for col in schema.columns:  # type: ignore[attr-defined]
        for text in (col.en, col.zh, *col.aliases):
            assert schema.match_header(text) == col.name  # type: ignore[attr-defined]
        assert col.en and col.zh


def test_headers_match_whatever_the_case_spacing_and_width() -> None:
    assert INVOICES.match_header("  due   DATE ") == "due_date"
    assert INVOICES.match_header("Due_Date") == "due_date"
    assert INVOICES.match_header("到期日") == "due_date"
    assert BUYERS.match_header("ＢＵＹＥＲ　ＩＤ") == "buyer_id"  # full-width, from a Chinese IME
    assert BUYERS.match_header("客户代码") == "buyer_id"
    assert normalise_header(None) == ""


def test_chinese_sheet_with_messy_cells() -> None:
    # The bad-input list of issue 6: numbers as text, currency signs, Chinese dates, 是/否.
    header = ["发票号", "客户编号", "币种", "金额", "已付金额", "开票日期", "到期日", "付款日期", "争议", "承诺付款日"]
    rows = [
        [1001.0, "C1", "CNY", "¥12,000.50", None, "2026年10月1日", "2026年10月31日", None, "否", None],
        ["A-2", "C1", "usd", Decimal("300"), "100", 46296.0, "30/11/2026", None, "是", "2026/12/05"],
        [None, None, None, None, None, None, None, None, None, None],
        ["A-3", "C2", "EUR", "N/A", "-", "2026-11-01", "soon", None, "maybe", None],
    ]
    t = parse_table(header, rows, INVOICES, sheet="发票")
    f = t.frame
    assert f["invoice_no"].tolist() == ["1001", "A-2", "A-3"]
    assert f["amount"].tolist()[:2] == [12000.5, 300.0]
    assert np.isnan(f["amount"].iat[2])  # "N/A" is unknown, not zero, and not a problem
    assert str(f["due_date"].iat[1])[:10] == "2026-11-30"
    assert str(f["invoice_date"].iat[1])[:10] == "2026-10-01"  # serial 46296
    assert f["disputed"].tolist()[:2] == [0.0, 1.0]
    assert t.excel_rows.tolist() == [2, 3, 5]  # the blank row 4 is skipped
    rules = {(p.row, p.column): p.rule for p in t.problems}
    assert set(rules) == {(5, "到期日"), (5, "争议")}
    assert "is not a date" in rules[(5, "到期日")]
    assert rules[(5, "争议")].startswith("争议 must be TRUE/FALSE")  # named by the sheet's header
    assert rules[(5, "争议")].render("zh-CN").startswith("争议 必须为")


def test_missing_required_column_says_what_to_add() -> None:
    with pytest.raises(SchemaError) as err:
        parse_table(["Invoice no", "Buyer ID", "Amount"], [], INVOICES, sheet="Invoices")
    message = str(err.value)
    assert "tblInvoices" in message and "Due date" in message and "到期日" in message
    assert message.endswith("Add the column or rename its header.")


def test_optional_columns_may_be_absent() -> None:
    t = parse_table(["Invoice no", "Buyer ID", "Amount", "Due date"],
                    [["1", "C1", 10.0, dt.datetime(2026, 11, 1)]], INVOICES)
    assert np.isnan(t.frame["paid_amount"].iat[0]) and t.frame["currency"].iat[0] is None
    assert not t.has("currency") and t.has("amount")


def test_row_checks_are_problems_not_crashes() -> None:
    # issue 4: duplicate IDs / invoice numbers, invoices of unknown buyers, due before invoice date
    buyers = parse_table(["Buyer ID", "Name"], [["C1", "Acme"], ["C1", "Acme bis"], ["C2", "Bolt"]],
                         BUYERS, sheet="Buyers")
    check_buyers(buyers)
    assert [(p.row, p.column) for p in buyers.problems] == [(3, "Buyer ID")]
    invoices = parse_table(
        INVOICE_HEADER_EN[:7],
        [["1", "C1", "EUR", 100.0, 150.0, "2026-10-01", "2026-10-31"],
         ["1", "C9", "EUR", 100.0, None, "2026-11-10", "2026-11-01"],
         ["2", None, "EUR", 50.0, None, None, "2026-11-01"]],
        INVOICES, sheet="Invoices")
    check_invoices(invoices, buyers.frame["buyer_id"])
    found = sorted((p.row, p.column, p.rule.split(" ")[0]) for p in invoices.problems)
    assert found == [
        (2, "Paid amount", "Paid"),
        (3, "Buyer ID", "Buyer"),
        (3, "Due date", "Due"),
        (3, "Invoice no", "Invoice"),
        (4, "Buyer ID", "Buyer"),
    ]
    frame = problems_frame(invoices.problems)
    assert frame.columns.tolist() == ["sheet", "row", "column", "value", "rule"]
    assert set(frame["sheet"]) == {"Invoices"}


def test_out_of_range_values_name_the_rule() -> None:
    t = parse_table(["Buyer ID", "Name", "Industry risk", "Late share", "Defaults 12m"],
                    [["C1", "A", 7.0, "150%", 1.5]], BUYERS)
    rules = sorted(p.rule for p in t.problems)
    assert rules == ["Defaults 12m must be a whole number; got 1.5",
                     "Industry risk must be <= 5; got 7", "Late share must be <= 1; got 1.5"]
    zh = sorted(p.rule.render("zh-CN") for p in t.problems)  # the headers are the sheet's own
    assert zh == ["Defaults 12m 必须为整数，实际为 1.5", "Industry risk 必须 ≤ 5，实际为 7", "Late share 必须 ≤ 1，实际为 1.5"]
    assert np.isnan(t.frame["industry_risk"].iat[0])


@given(st.lists(st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False),
                          st.text(max_size=8), st.booleans(),
                          st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))), max_size=20))
def test_any_cells_give_values_or_problems_never_an_exception(cells: list[object]) -> None:
    header = ["Invoice no", "Buyer ID", "Amount", "Due date", "Disputed"]
    rows = [[f"I{i}", "C1", v, v, v] for i, v in enumerate(cells)]
    t = parse_table(header, rows, INVOICES)
    assert len(t.frame) == len(rows)
    amount = t.frame["amount"].to_numpy(dtype=float)
    bad_amount = {p.row for p in t.problems if p.column == "Amount"}
    for i, value in enumerate(amount):  # unknown (NaN) or a finite number; problems named
        assert np.isnan(value) or np.isfinite(value)
        if int(t.excel_rows[i]) in bad_amount:
            assert np.isnan(value)
    assert pd.api.types.is_datetime64_any_dtype(t.frame["due_date"])


def test_docs_reference_is_current() -> None:
    from pathlib import Path

    from xlcredit.workbook.schema import reference_markdown

    doc = Path(__file__).resolve().parents[1] / "docs" / "workbook.md"
    assert doc.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/workbook.md is stale: run python -m xlcredit.workbook.schema > docs/workbook.md"
    )
