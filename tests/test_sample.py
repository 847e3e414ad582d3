"""The synthetic sample data (issue 4, `xlcredit new --sample N`): deterministic and sound."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xlcredit.workbook.sample import SAMPLE_AS_OF, sample_buyers, sample_invoices, sample_policy
from xlcredit.workbook.schema import BUYERS, INVOICES


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 60), st.integers(0, 2**31 - 1), st.sampled_from(["en", "zh-CN"]))
def test_sample_ledgers_are_sound(n: int, seed: int, lang: str) -> None:
    buyers = sample_buyers(n, seed, lang)
    invoices = sample_invoices(buyers, seed, language=lang)
    assert buyers["buyer_id"].is_unique and invoices["invoice_no"].is_unique
    assert set(buyers.columns) <= {c.name for c in BUYERS.inputs}
    assert set(invoices.columns) <= {c.name for c in INVOICES.inputs}
    assert set(invoices["buyer_id"]) <= set(buyers["buyer_id"])
    amount = invoices["amount"].to_numpy(dtype=float)
    paid = pd.to_numeric(invoices["paid_amount"]).fillna(0.0).to_numpy()
    assert np.all(np.abs(paid) <= np.abs(amount) + 1e-9)
    inv, due = pd.to_datetime(invoices["invoice_date"]), pd.to_datetime(invoices["due_date"])
    assert (due >= inv).all() and (inv <= pd.Timestamp(SAMPLE_AS_OF)).all()
    paid_date = pd.to_datetime(invoices["paid_date"])
    settled = paid_date.notna()
    assert (paid_date[settled] <= pd.Timestamp(SAMPLE_AS_OF)).all()
    assert (paid_date[settled] >= inv[settled]).all()
    policy = sample_policy(lang)
    assert all(policy.fx_rate(c) for c in set(invoices["currency"]) | set(buyers["currency"]))


def test_sample_has_what_a_demo_needs() -> None:
    buyers = sample_buyers(200)
    invoices = sample_invoices(buyers)
    assert 2500 < len(invoices) < 3500  # `xlcredit demo`: ~200 buyers, ~3,000 invoices
    names = buyers["name"].tolist()
    assert any(all(ord(ch) < 128 for ch in x) for x in names)  # English names
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in x) for x in names)  # Chinese names
    assert (invoices["amount"] < 0).sum() > 10  # credit notes
    assert (invoices["disputed"] == "Y").sum() > 5
    assert invoices["promise_date"].notna().sum() > 5
    open_ = invoices["paid_date"].isna()
    partial = open_ & pd.to_numeric(invoices["paid_amount"]).fillna(0).gt(0)
    assert partial.sum() > 10  # partial payments
    assert buyers["total_assets"].isna().sum() > 5  # some buyers without statements
    assert sample_buyers(30, seed=7).equals(sample_buyers(30, seed=7))
    assert not sample_buyers(30, seed=7).equals(sample_buyers(30, seed=8))
