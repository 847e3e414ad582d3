"""The refresh's reader hands the ledger over with buyer IDs and currencies as pandas
Categoricals (issue 17: hashed once, not again by each figure); every figure must come out
exactly as it does from the same table with plain text keys."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from strategies import AGING_FX, edge_frame, edge_ledgers

from xlcredit.engine.aging import age_invoices
from xlcredit.engine.collections import build_worklist
from xlcredit.engine.ledger import as_categories, ledger_arrays, read_keys
from xlcredit.engine.policy import Policy
from xlcredit.engine.receivables import receivables_kpis

AS_OF = "2026-11-28"
POLICY = Policy(base_currency="EUR", fx_rates=AGING_FX)


def _same_arrays(plain: pd.DataFrame, keyed: pd.DataFrame) -> None:
    a, b = ledger_arrays(plain, POLICY), ledger_arrays(keyed, POLICY)
    assert a.buyers.equals(b.buyers) and a.buyers.dtype == b.buyers.dtype
    assert not isinstance(b.buyers, pd.CategoricalIndex)  # the figures' indexes stay plain
    np.testing.assert_array_equal(a.currency, b.currency)
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) and f.name not in ("currency_codes", "currency_names"):
            np.testing.assert_array_equal(x, y, err_msg=f.name)


def _typed_currencies(frame: pd.DataFrame) -> pd.DataFrame:
    """The currencies as the refresh cleaned them before the reader made them categoricals."""
    ccy = frame["currency"]
    return frame.assign(currency=ccy.where(ccy.notna(), POLICY.base_currency).astype(str).str.strip().str.upper())


@settings(max_examples=60, deadline=None)
@given(edge_ledgers())
def test_categorical_keys_give_the_same_figures(cols: dict[str, list[object]]) -> None:
    typed = edge_frame(cols, AS_OF)
    keyed = read_keys(typed, POLICY.base_currency)
    plain = _typed_currencies(typed)
    assert isinstance(keyed["buyer_id"].dtype, pd.CategoricalDtype)
    assert isinstance(keyed["currency"].dtype, pd.CategoricalDtype)
    _same_arrays(plain, keyed)
    pd.testing.assert_frame_equal(age_invoices(plain, AS_OF, POLICY).by_buyer,
                                  age_invoices(keyed, AS_OF, POLICY).by_buyer)
    pd.testing.assert_frame_equal(receivables_kpis(plain, AS_OF, POLICY), receivables_kpis(keyed, AS_OF, POLICY))
    pd.testing.assert_frame_equal(build_worklist(plain, AS_OF, POLICY), build_worklist(keyed, AS_OF, POLICY))


@pytest.mark.parametrize("ids", [
    [3, 1, None, 1, 2],  # numeric IDs
    ["B2", 7, None, "B1", 7],  # numbers and text: sorted as text by the reader, as before
    [2.0, 1.0, float("nan"), 1.0, 2.0],
])
def test_buyer_ids_of_any_kind_group_and_sort_as_plain_ones(ids: list[object]) -> None:
    plain = pd.DataFrame({"buyer_id": pd.Series(ids, dtype=object), "amount": [1.0, 2.0, 3.0, 4.0, 5.0],
                          "due_date": ["2026-10-01"] * 5})
    _same_arrays(plain, read_keys(plain, "EUR"))


def test_unused_categories_are_no_buyers() -> None:
    """The refresh makes the categoricals on the whole invoice table, then leaves out rows
    without an amount: a buyer with no row left is not a group of the ledger."""
    ids = as_categories(pd.Series(["B", "A", "C"]))
    ledger = pd.DataFrame({"buyer_id": ids[[0, 2]], "amount": [1.0, 2.0], "due_date": ["2026-10-01"] * 2})
    assert ledger_arrays(ledger).buyers.tolist() == ["B", "C"]


def test_currencies_clean_to_one_category_each() -> None:
    ccy = as_categories(pd.Series([" usd", "USD", None, "", "eur"]), clean=lambda c: str(c).strip().upper(),
                        blank="EUR")
    assert ccy.tolist() == ["USD", "USD", "EUR", "", "EUR"]
    assert ccy.cat.categories.tolist() == ["", "EUR", "USD"]


def test_a_column_of_blanks_stays_blank() -> None:
    """Found by the fuzz test: no key at all is no category, not an error."""
    assert as_categories(pd.Series([None, None], dtype=object)).isna().all()
    assert read_keys(pd.DataFrame({"buyer_id": [None], "currency": [None]}), "EUR")["currency"].tolist() == ["EUR"]
