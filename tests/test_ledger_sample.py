"""Aging, DSO and days beyond terms on a real-shaped ledger (../shared/data/ar_ledger_sample,
2,466 invoices of 100 customers, 2012-2013, 30-day terms; see its README.txt), each checked
against an independent, straightforward pandas computation written here (not the engine's
code path). The data is read in place, never copied into the repository."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from real_data import LEDGER_CSV

from xlcredit.engine.aging import age_invoices
from xlcredit.engine.receivables import ledger_kpis, payment_behaviour, receivables_kpis
from xlcredit.workbook.excel_values import to_flags

DATA = LEDGER_CSV
AS_OF_DATES = ["2012-06-30", "2013-01-15", "2013-09-30"]
EDGES = [0, 30, 60, 90, 120]
LABELS = ["Not due", "1-30", "31-60", "61-90", "91-120", "Over 120"]

pytestmark = pytest.mark.skipif(
    not DATA.is_file(), reason=f"real ledger sample not found at {DATA} (../shared is not beside this checkout)"
)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    df = pd.read_csv(DATA)
    for col in ("InvoiceDate", "DueDate", "SettledDate"):
        df[col] = pd.to_datetime(df[col], format="%d/%m/%Y")
    assert len(df) == 2466  # README: 2,466 invoices
    return df


@pytest.fixture(scope="module")
def invoices(raw: pd.DataFrame) -> pd.DataFrame:
    """The file under the standard column names of xlcredit.engine.aging.INVOICE_COLUMNS."""
    return pd.DataFrame({
        "buyer_id": raw["customerID"],
        "invoice_no": raw["invoiceNumber"].astype(str),
        "amount": raw["InvoiceAmount"],
        "invoice_date": raw["InvoiceDate"],
        "due_date": raw["DueDate"],
        "paid_date": raw["SettledDate"],
        "disputed": to_flags(raw["Disputed"].tolist(), "disputed").values == 1.0,  # Yes / No, read at the edge
    })


def _open_on(raw: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    # README: an invoice is open on day D when InvoiceDate <= D < SettledDate
    return raw[(raw["InvoiceDate"] <= day) & (day < raw["SettledDate"])]


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_aging_matches_pandas(raw: pd.DataFrame, invoices: pd.DataFrame, as_of: str) -> None:
    day = pd.Timestamp(as_of)
    open_items = _open_on(raw, day).assign(dpd=lambda f: (day - f["DueDate"]).dt.days)
    open_items = open_items.assign(
        bucket=pd.cut(open_items["dpd"], [-np.inf, *EDGES, np.inf], labels=LABELS, right=True)
    )
    expected = open_items.pivot_table(index="customerID", columns="bucket", values="InvoiceAmount",
                                      aggfunc="sum", fill_value=0.0, observed=False)
    expected = expected.reindex(columns=LABELS, fill_value=0.0)

    result = age_invoices(invoices, as_of)
    got = result.by_buyer
    assert len(result.items) == len(open_items) > 0
    assert sorted(got.index) == sorted(expected.index)
    np.testing.assert_allclose(got.loc[expected.index, LABELS].to_numpy(), expected.to_numpy(),
                               rtol=1e-12, atol=1e-9)
    # buckets add up to the open balance, per buyer and in total
    balance = open_items.groupby("customerID")["InvoiceAmount"].sum()
    np.testing.assert_allclose(got.loc[balance.index, "Total"], balance, rtol=1e-12)
    assert result.total["Total"] == pytest.approx(open_items["InvoiceAmount"].sum(), rel=1e-12)
    disputed = open_items[open_items["Disputed"] == "Yes"].groupby("customerID")["InvoiceAmount"].sum()
    np.testing.assert_allclose(got.loc[disputed.index, "Disputed"], disputed, rtol=1e-12)
    assert result.unaged.empty


def test_nothing_open_after_the_last_settlement(invoices: pd.DataFrame) -> None:
    # README: every invoice is settled (the last on 2014-01-09)
    assert age_invoices(invoices, "2014-02-01").total["Total"] == 0.0


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_dso_matches_pandas(raw: pd.DataFrame, invoices: pd.DataFrame, as_of: str) -> None:
    day = pd.Timestamp(as_of)
    receivables = _open_on(raw, day)["InvoiceAmount"].sum()
    current = _open_on(raw, day).query("DueDate >= @day")["InvoiceAmount"].sum()
    starts = [day - pd.Timedelta(days=30 * k) for k in (3, 2, 1, 0)]
    sales = [raw.loc[(raw["InvoiceDate"] > a) & (raw["InvoiceDate"] <= b), "InvoiceAmount"].sum()
             for a, b in itertools.pairwise(starts)]  # oldest to newest
    # countback by hand: newest month first
    left, days = receivables, 0.0
    for s in reversed(sales):
        if left >= s:
            days, left = days + 30, left - s
        else:
            days, left = days + left / s * 30, 0.0
    k = ledger_kpis(invoices, as_of, periods=3, period_days=30)
    assert k["receivables"] == pytest.approx(receivables, rel=1e-12)
    assert k["sales"] == pytest.approx(sum(sales), rel=1e-12)
    assert k["dso"] == pytest.approx(receivables / sum(sales) * 90, rel=1e-12)
    assert k["dso_best"] == pytest.approx(current / sum(sales) * 90, rel=1e-12)
    assert left == 0  # on these dates three months of sales cover the open balance
    assert k["dso_countback"] == pytest.approx(days, rel=1e-12)
    assert not k["receivables_exceed_sales"]
    assert 0 <= k["dso_countback"] <= 90
    per_buyer = receivables_kpis(invoices, as_of, periods=3, period_days=30)
    assert per_buyer["receivables"].sum() == pytest.approx(receivables, rel=1e-12)
    assert per_buyer["sales"].sum() == pytest.approx(sum(sales), rel=1e-12)


def test_days_beyond_terms_matches_the_files_days_late(raw: pd.DataFrame, invoices: pd.DataFrame) -> None:
    got = payment_behaviour(invoices)
    signed = raw.assign(delay=(raw["SettledDate"] - raw["DueDate"]).dt.days,
                        w=raw["InvoiceAmount"])
    grouped = signed.groupby("customerID")
    # signed days beyond terms (PAYDEX convention: negative when early)
    dbt = grouped.apply(lambda g: (g["delay"] * g["w"]).sum() / g["w"].sum(), include_groups=False)
    np.testing.assert_allclose(got.loc[dbt.index, "days_beyond_terms"], dbt, rtol=1e-12)
    # the file's DaysLate = max(0, SettledDate - DueDate): our days_late, amount-weighted
    late = grouped.apply(lambda g: (g["DaysLate"] * g["w"]).sum() / g["w"].sum(), include_groups=False)
    np.testing.assert_allclose(got.loc[late.index, "days_late"], late, rtol=1e-12)
    share = grouped["DaysLate"].apply(lambda d: (d > 0).mean())
    np.testing.assert_allclose(got.loc[share.index, "late_share"], share, rtol=1e-12)
    assert (got["paid_invoices"].sum()) == len(raw)
    # README: 35.6 % paid late over the whole file
    assert (got["late_share"] * got["paid_invoices"]).sum() / len(raw) == pytest.approx(0.356, abs=5e-4)


def test_payment_behaviour_as_of_counts_only_settled_invoices(raw: pd.DataFrame, invoices: pd.DataFrame) -> None:
    day = pd.Timestamp("2012-12-31")
    got = payment_behaviour(invoices, day)
    settled = raw[raw["SettledDate"] <= day]
    assert got["paid_invoices"].sum() == len(settled)
    assert got.loc[settled["customerID"].unique(), "late_share"].notna().all()
