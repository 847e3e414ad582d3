"""Aging by due date: buckets, labels, FX, part payments, credit notes, disputes, and the
invariant that buckets add up to the open balance."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from strategies import AGING_FX, aging_frame, aging_ledgers

from xlcredit.engine.aging import (
    INVOICE_COLUMNS,
    REQUIRED_COLUMNS,
    age_invoices,
    aging_bucket,
    aging_totals,
    bucket_labels,
    bucket_numbers,
)
from xlcredit.engine.errors import InputError, PolicyError, SchemaError
from xlcredit.engine.policy import AgingPolicy, Policy

AS_OF = pd.Timestamp("2026-11-28")
LABELS = ["Not due", "1-30", "31-60", "61-90", "91-120", "Over 120"]


def test_columns_are_documented() -> None:
    assert set(REQUIRED_COLUMNS) <= set(INVOICE_COLUMNS)
    assert list(INVOICE_COLUMNS) == ["buyer_id", "invoice_no", "currency", "amount", "paid_amount",
                                     "invoice_date", "due_date", "paid_date", "disputed", "promise_date"]


def test_default_labels_follow_the_policy() -> None:
    # Issue 3: not due; 1-30; 31-60; 61-90; 91-120; over 120 by default
    assert AgingPolicy().bucket_edges == (30, 60, 90, 120)
    assert bucket_labels() == LABELS
    assert bucket_labels(language="zh-CN") == ["未到期", "1-30天", "31-60天", "61-90天", "91-120天", "120天以上"]


def test_bucket_boundaries() -> None:
    # due today is not overdue; day 30 is in 1-30, day 31 in 31-60, day 121 over 120
    days = [-1, 0, 1, 30, 31, 60, 61, 90, 91, 120, 121, 5000]
    assert bucket_numbers(days).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert bucket_numbers([10, 20], [15]).tolist() == [1, 2]


def test_bad_edges_are_refused() -> None:
    with pytest.raises(PolicyError, match=r"aging\.bucket_edges"):
        bucket_labels([60, 30])
    with pytest.raises(PolicyError, match=r"aging\.bucket_edges"):
        bucket_labels([0, 30])
    with pytest.raises(PolicyError, match="at least one"):
        bucket_labels([])


def _ledger() -> pd.DataFrame:
    return pd.DataFrame({
        "buyer_id": ["ACME", "ACME", "ACME", "BOLT", "BOLT", "BOLT", "CIRC", "CIRC"],
        "invoice_no": ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8"],
        "currency": ["EUR", "USD", "EUR", "EUR", "eur ", None, "JPY", "EUR"],
        "amount": [1000.0, 500.0, 300.0, 800.0, -100.0, 50.0, 10000.0, 70.0],
        "paid_amount": [200.0, 0.0, 300.0, 0.0, 0.0, None, 0.0, 0.0],
        "invoice_date": pd.to_datetime(["2026-10-31", "2026-09-15", "2026-08-01", "2026-06-01",
                                        "2026-08-01", "2026-12-05", "2026-10-01", "2026-10-01"]),
        "due_date": pd.to_datetime(["2026-11-30", "2026-10-15", "2026-09-01", "2026-07-01",
                                    "2026-08-30", "2027-01-05", "2026-10-31", None]),
        "paid_date": pd.to_datetime([None, None, "2026-11-01", "2026-12-10", None, None, None, None]),
        "disputed": [False, True, False, False, False, False, False, True],
    })


def test_aging_by_hand() -> None:
    policy = Policy(fx_rates=(("USD", 0.9),))
    r = age_invoices(_ledger(), AS_OF, policy)
    assert r.labels == LABELS
    acme, bolt = r.by_buyer.loc["ACME"], r.by_buyer.loc["BOLT"]
    # ACME: I1 1,000 - 200 paid, not due; I2 500 USD x 0.9 = 450, 44 days; I3 fully paid
    assert acme[LABELS].tolist() == [800.0, 0.0, 450.0, 0.0, 0.0, 0.0]
    assert acme["Total"] == 1250.0 and acme["Overdue"] == 450.0 and acme["Disputed"] == 450.0
    # BOLT: I4 paid after the as-of date (whole amount open, 150 days); I5 credit note
    # 90 days; I6 issued after the as-of date: not open
    assert bolt[LABELS].tolist() == [0.0, 0.0, 0.0, -100.0, 0.0, 800.0]
    assert bolt["Total"] == 700.0
    # CIRC: JPY has no rate and I8 has no due date: both set aside, not dropped
    assert "CIRC" not in r.by_buyer.index
    unaged = r.unaged.set_index("invoice_no")
    assert unaged.loc["I7", "open_amount"] == 10000.0
    assert unaged.loc["I7", "reason"] == "no FX rate for JPY"
    assert unaged.loc["I8", "reason"] == "no due date"
    assert bool(unaged.loc["I8", "disputed"])
    assert r.no_fx["invoice_no"].tolist() == ["I7"]
    assert r.total["Total"] == 1950.0
    assert r.total[LABELS].sum() == pytest.approx(1950.0)


def test_items_and_chinese_labels() -> None:
    policy = Policy(fx_rates=(("USD", 0.9),), language="zh-CN")
    r = age_invoices(_ledger(), AS_OF, policy)
    assert list(r.by_buyer.columns) == ["未到期", "1-30天", "31-60天", "61-90天", "91-120天",
                                        "120天以上", "合计", "逾期", "争议"]
    items = r.items.set_index("invoice_no")
    assert items.loc["I2", "bucket"] == "31-60天"
    assert items.loc["I2", "open_base"] == pytest.approx(450.0)
    assert items.loc["I2", "currency"] == "USD" and bool(items.loc["I2", "disputed"])
    assert items.loc["I5", "currency"] == "EUR"  # "eur " read as EUR
    assert items.loc["I4", "days_past_due"] == 150
    assert r.unaged.set_index("invoice_no").loc["I7", "reason"] == "没有 JPY 的汇率"


def test_custom_edges_and_as_of_types() -> None:
    r = age_invoices(_ledger(), dt.date(2026, 11, 28), Policy(fx_rates=(("USD", 0.9),)),
                     bucket_edges=[45])
    assert r.labels == ["Not due", "1-45", "Over 45"]
    assert r.by_buyer.loc["ACME"].tolist()[:3] == [800.0, 450.0, 0.0]
    stamp = age_invoices(_ledger(), pd.Timestamp("2026-11-28"), Policy(fx_rates=(("USD", 0.9),)))
    assert stamp.total["Total"] == 1950.0
    with pytest.raises(InputError, match="as_of must be a date"):  # serials are read at the edge
        age_invoices(_ledger(), 46354.0)


def test_text_and_serial_dates_are_read_at_the_edge_not_in_the_engine() -> None:
    # issue 9: the engine takes clean arrays; excel_values reads what people type
    from xlcredit.workbook.excel_values import to_dates, to_flags

    typed = ["2026-11-01", "29/10/2026", "2026年6月1日"]
    inv = pd.DataFrame({"buyer_id": [1, 1, 2], "amount": [10.0, 20.0, 30.0], "due_date": typed})
    with pytest.raises(InputError, match=r"due_date must be a date .*got '29/10/2026' \(text\)"):
        age_invoices(inv, "2026-11-28")
    inv["due_date"] = to_dates(typed, "due_date").values
    r = age_invoices(inv, "2026-11-28")
    assert r.by_buyer.loc[1, "1-30"] == 30.0 and r.by_buyer.loc[2, "Over 120"] == 30.0
    serials = [46327.0, 46324.0, 46174.0]  # the same dates as Excel serial numbers
    with pytest.raises(InputError, match=r"due_date must be a date .*got 46327 \(float\)"):
        age_invoices(inv.assign(due_date=serials), "2026-11-28")
    read = age_invoices(inv.assign(due_date=to_dates(serials, "due_date").values), "2026-11-28")
    assert read.by_buyer.equals(r.by_buyer)
    with pytest.raises(InputError, match=r"disputed must be TRUE/FALSE or 1/0 .*got 'Y'"):
        age_invoices(inv.assign(disputed=["Y", "N", "是"]), "2026-11-28")
    flagged = age_invoices(inv.assign(disputed=to_flags(["Y", "N", "是"], "disputed").values == 1.0),
                           "2026-11-28")
    assert flagged.by_buyer["Disputed"].tolist() == [10.0, 30.0]


def test_schema_and_value_errors() -> None:
    with pytest.raises(SchemaError, match="no due_date column"):
        age_invoices(pd.DataFrame({"buyer_id": ["A"], "amount": [1.0]}), AS_OF)
    with pytest.raises(InputError, match=r"due_date must be a date .*got 'soon' \(text\)"):
        age_invoices(pd.DataFrame({"buyer_id": ["A"], "amount": [1.0], "due_date": ["soon"]}), AS_OF)
    with pytest.raises(InputError, match=r"amount must be a number .*got 'abc' \(text\)"):
        age_invoices(pd.DataFrame({"buyer_id": ["A"], "amount": ["abc"], "due_date": ["2026-01-01"]}), AS_OF)
    # an infinite amount is impossible, not malformed: set aside and listed (issue 9)
    inf = age_invoices(pd.DataFrame({"buyer_id": ["A", "A"], "amount": [float("inf"), 5.0],
                                     "due_date": ["2026-01-01"] * 2}), AS_OF)
    assert inf.total["Total"] == 5.0
    assert inf.unaged[["column", "reason"]].values.tolist() == [["amount", "amount is not a finite number"]]
    with pytest.raises(InputError, match="as_of must be a date"):
        age_invoices(_ledger(), "someday")


def test_empty_ledger() -> None:
    r = age_invoices(_ledger().iloc[:0], AS_OF)
    assert r.by_buyer.empty and r.items.empty and r.unaged.empty
    assert r.total["Total"] == 0.0


def test_aging_totals_and_bucket_labels() -> None:
    due = pd.to_datetime(["2026-12-10", "2026-11-01", "2026-06-01", "2026-11-01", None])
    totals = aging_totals([100.0, 250.0, 40.0, -20.0, None], due, AS_OF)
    assert totals.index.tolist() == [*LABELS, "Total"]
    assert totals.tolist() == [100.0, 230.0, 0.0, 0.0, 0.0, 40.0, 370.0]
    assert aging_bucket(due, AS_OF).tolist() == ["Not due", "1-30", "Over 120", "1-30", None]
    with pytest.raises(InputError, match="row 2 has an amount"):
        aging_totals([1.0, 5.0], pd.to_datetime(["2026-01-01", None]), AS_OF)


# --------------------------------------------------------------------------- property
@settings(max_examples=150, deadline=None)
@given(aging_ledgers())
def test_buckets_add_up_to_the_open_balance(cols: dict[str, list[object]]) -> None:
    inv = aging_frame(cols, AS_OF)
    policy = Policy(fx_rates=AGING_FX)
    r = age_invoices(inv, AS_OF, policy)
    # independent open balance: row by row, the README's rule, in plain Python
    rates = dict(AGING_FX)
    expected: dict[str, float] = {}
    unaged = 0
    for row in inv.itertuples():
        rate = 1.0 if pd.isna(row.currency) else rates.get(row.currency)
        if rate is None:  # a currency with no rate is listed whether open or not (issue 9)
            unaged += 1
            continue
        if pd.notna(row.invoice_date) and row.invoice_date > AS_OF:
            continue
        if pd.isna(row.paid_date):
            open_amt = row.amount - row.paid_amount
        elif row.paid_date > AS_OF:
            open_amt = row.amount
        else:
            continue
        if open_amt == 0:
            continue
        if pd.isna(row.due_date):
            unaged += 1
            continue
        expected[row.buyer_id] = expected.get(row.buyer_id, 0.0) + open_amt * rate
    buckets = r.by_buyer[r.labels]
    assert sorted(r.by_buyer.index) == sorted(expected)
    for buyer, balance in expected.items():
        assert buckets.loc[buyer].sum() == pytest.approx(balance, rel=1e-9, abs=1e-6)
        assert r.by_buyer.loc[buyer, "Total"] == pytest.approx(balance, rel=1e-9, abs=1e-6)
    assert r.total["Total"] == pytest.approx(sum(expected.values()), rel=1e-9, abs=1e-6)
    assert r.total[r.labels].sum() == pytest.approx(r.total["Total"], rel=1e-9, abs=1e-6)
    assert len(r.unaged) == unaged
    assert r.items["open_base"].sum() == pytest.approx(r.total["Total"], rel=1e-9, abs=1e-6)
