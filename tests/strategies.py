"""Shared Hypothesis strategies for xlcredit's property tests (each helper adds its own)."""

from __future__ import annotations

import math

from hypothesis import strategies as st


# --------------------------------------------------------------------------- credit limits
def money(min_value: float = 0.0, max_value: float = 1e9, blank: bool = True) -> st.SearchStrategy[float]:
    """An amount in the base currency, to the cent; NaN (a blank cell) when ``blank``."""
    amounts = st.integers(int(min_value * 100), int(max_value * 100)).map(lambda c: c / 100)
    return st.one_of(st.just(math.nan), amounts) if blank else amounts


def scores(blank: bool = True) -> st.SearchStrategy[float]:
    """A TradeScore from 1 to 100 (NaN = not rated when ``blank``)."""
    values = st.floats(1.0, 100.0, allow_nan=False)
    return st.one_of(st.just(math.nan), values) if blank else values


@st.composite
def limit_inputs(draw: st.DrawFn) -> dict[str, float]:
    """One buyer's inputs to ``recommend_limits`` (blanks, negative equity and credits included)."""
    return {
        "equity": draw(money(-1e8, 1e9)),
        "working_capital": draw(money(-1e8, 1e9)),
        "revenue": draw(money(0, 1e10)),
        "annual_sales": draw(money(0, 1e8)),
        "payment_terms_days": draw(st.one_of(st.just(math.nan), st.integers(0, 180).map(float))),
        "requested": draw(money(0, 1e8)),
        "insured_limit": draw(money(0, 1e8)),
        "current_exposure": draw(money(-1e5, 1e8)),
    }


# --------------------------------------------------------------------------- payment plans
PLAN_FREQUENCIES = ("monthly", "weekly", "biweekly", "quarterly")


@st.composite
def plan_terms(draw: st.DrawFn, max_installments: int = 600, zero_rate: bool | None = None) -> dict[str, object]:
    """Terms of one payment plan for ``xlcredit.engine.plans.payment_plan`` (amounts to the cent).

    ``zero_rate``: True forces a zero rate, False a positive one, None either (0 drawn often).
    """
    import datetime as dt

    amount_c = draw(st.integers(1, 10**9))
    # rates as typed (8.25 % = 0.0825) and arbitrary ones from 1e-6 to 100 %
    positive = st.one_of(st.integers(1, 10000).map(lambda bp: bp / 10000), st.floats(1e-6, 1.0))
    if zero_rate is True:
        rate = 0.0
    elif zero_rate is False:
        rate = draw(positive)
    else:
        rate = draw(st.one_of(st.just(0.0), positive))
    return {
        "amount": amount_c / 100,
        "installments": draw(st.integers(1, max_installments)),
        "annual_rate": rate,
        "first_due_date": draw(st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31))),
        "frequency": draw(st.sampled_from(PLAN_FREQUENCIES)),
        "method": draw(st.sampled_from(("annuity", "equal_principal"))),
        "down_payment": draw(st.integers(0, amount_c - 1)) / 100 if draw(st.booleans()) else 0.0,
    }


# --------------------------------------------------------------------------- collections
#: Currencies of generated ledgers; "JPY" has no rate in ``COLLECTIONS_FX`` (kept, flagged).
COLLECTIONS_CURRENCIES = ("EUR", "USD", "CNY", "JPY", "")
COLLECTIONS_FX = (("EUR", 1.0), ("USD", 0.9), ("CNY", 0.13))


@st.composite
def collection_ledgers(draw: st.DrawFn, max_rows: int = 30) -> dict[str, list[object]]:
    """Columns of an invoice ledger for ``build_worklist``: dates as day offsets from the
    as-of day (negative = before it; None = blank), credit notes, part payments, settled
    invoices, disputes, promises and currencies without an FX rate."""
    n = draw(st.integers(0, max_rows))
    offsets = st.integers(-400, 60)
    maybe = st.one_of(st.none(), offsets)
    return {
        "invoice_no": [f"INV-{i}" for i in range(n)],
        "buyer_id": draw(st.lists(st.sampled_from(("ACME", "BOLT", "CIRC")), min_size=n, max_size=n)),
        "currency": draw(st.lists(st.sampled_from(COLLECTIONS_CURRENCIES), min_size=n, max_size=n)),
        "amount": draw(st.lists(st.integers(-50_000, 1_000_000).map(lambda c: c / 100), min_size=n, max_size=n)),
        "paid_share": draw(st.lists(st.sampled_from((0.0, 0.0, 0.25, 1.0)), min_size=n, max_size=n)),
        "due": draw(st.lists(offsets, min_size=n, max_size=n)),
        "paid": draw(st.lists(maybe, min_size=n, max_size=n)),
        "disputed": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        "promise": draw(st.lists(maybe, min_size=n, max_size=n)),
    }


# --------------------------------------------------------------------------- aging and DSO
#: Currencies of generated aging ledgers; "JPY" has no rate in ``AGING_FX`` (set aside).
AGING_CURRENCIES = ("EUR", "USD", "CNY", "JPY", None)
AGING_FX = (("EUR", 1.0), ("USD", 0.9), ("CNY", 0.13))


@st.composite
def aging_ledgers(draw: st.DrawFn, max_rows: int = 40) -> dict[str, list[object]]:
    """Columns of an invoice ledger for ``xlcredit.engine.aging.age_invoices``: dates as day
    offsets from the as-of day (None = blank), credit notes, part payments, settled and
    future-dated invoices, disputes and currencies without an FX rate (or blank)."""
    n = draw(st.integers(0, max_rows))
    offsets = st.integers(-400, 90)
    maybe = st.one_of(st.none(), offsets)

    def cols(strategy: st.SearchStrategy[object]) -> list[object]:
        return draw(st.lists(strategy, min_size=n, max_size=n))

    return {
        "buyer_id": cols(st.sampled_from(("ACME", "BOLT", "CIRC", "DUNE"))),
        "currency": cols(st.sampled_from(AGING_CURRENCIES)),
        "amount": cols(st.integers(-50_000, 10_000_000).map(lambda c: c / 100)),
        "paid_share": cols(st.sampled_from((0.0, 0.0, 0.3, 1.0))),
        "invoice": cols(maybe),
        "due": cols(maybe),
        "paid": cols(maybe),
        "disputed": cols(st.booleans()),
    }


@st.composite
def dso_inputs(draw: st.DrawFn, max_periods: int = 12) -> dict[str, object]:
    """Receivables, sales of each period (oldest to newest, >= 0) and days per period."""
    p = draw(st.integers(1, max_periods))
    amounts = st.integers(0, 10**10).map(lambda c: c / 100)
    return {
        "receivables": draw(amounts),
        "sales": draw(st.lists(amounts, min_size=p, max_size=p)),
        "period_days": draw(st.one_of(
            st.integers(1, 31).map(float),
            st.lists(st.integers(1, 31).map(float), min_size=p, max_size=p),
        )),
    }


# --------------------------------------------------------------------------- TradeScore
def _maybe(strategy: st.SearchStrategy[float], blank: bool) -> st.SearchStrategy[float]:
    return st.one_of(st.just(math.nan), strategy) if blank else strategy


@st.composite
def buyer_inputs(draw: st.DrawFn, blank: bool = True) -> dict[str, float]:
    """One buyer's valid TradeScore inputs (DESIGN.md 3.1); NaN = a blank cell when ``blank``.

    Amounts are drawn as shares of total assets times a size, so that every mix of
    healthy, indebted and loss-making buyers turns up.
    """
    size = draw(st.sampled_from((1.0, 1e3, 1e6, 1e9)))
    share = st.floats(0.0, 3.0, allow_nan=False)
    signed = st.floats(-2.0, 2.0, allow_nan=False)
    return {
        "total_assets": draw(_maybe(st.just(size), blank)),
        "total_liabilities": draw(_maybe(share.map(lambda s: s * size), blank)),
        "current_assets": draw(_maybe(share.map(lambda s: s * size), blank)),
        "current_liabilities": draw(_maybe(share.map(lambda s: s * size), blank)),
        "retained_earnings": draw(_maybe(signed.map(lambda s: s * size), blank)),
        "ebit": draw(_maybe(signed.map(lambda s: s * size), blank)),
        "revenue": draw(_maybe(share.map(lambda s: s * size), blank)),
        "net_income": draw(_maybe(signed.map(lambda s: s * size), blank)),
        "days_beyond_terms": draw(_maybe(st.floats(-60.0, 400.0), blank)),
        "late_share": draw(_maybe(st.floats(0.0, 1.0), blank)),
        "defaults_12m": draw(_maybe(st.integers(0, 5).map(float), blank)),
        "industry_risk": draw(_maybe(st.floats(1.0, 5.0), blank)),
        "country_risk": draw(_maybe(st.integers(1, 5).map(float), blank)),
        "management_changes_12m": draw(_maybe(st.integers(0, 4).map(float), blank)),
        "negative_news": draw(_maybe(st.sampled_from((0.0, 1.0)), blank)),
        "years_in_business": draw(_maybe(st.floats(0.0, 80.0), blank)),
        "oldest_overdue_days": draw(_maybe(st.floats(0.0, 400.0), blank)),
        "history_invoices": draw(_maybe(st.integers(0, 40).map(float), blank)),
    }


#: What a cell can hold when a user types or pastes anything (xlwings' delivery).
def wild_cells() -> st.SearchStrategy[object]:
    """Numbers, NaN, inf, None, Decimal, bool, dates, and text of every kind."""
    import datetime as dt
    from decimal import Decimal

    return st.one_of(
        st.none(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-10**12, 10**12),
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9,
                    max_value=10**9).map(Decimal),
        st.booleans(),
        st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
        st.sampled_from(("", "N/A", "-", "1,234", "¥3,000", "15%", "abc", "是", "否", "Y", "#REF!")),
        st.text(max_size=8),
    )


def aging_frame(cols: dict[str, list[object]], as_of: object) -> object:
    """The invoice DataFrame (columns of ``xlcredit.engine.aging.INVOICE_COLUMNS``) of one
    ``aging_ledgers`` example, with its day offsets turned into dates around ``as_of``."""
    import numpy as np
    import pandas as pd

    day = pd.Timestamp(as_of)

    def dates(offsets: list[object]) -> pd.Series:
        return pd.Series([None if o is None else day + pd.Timedelta(days=int(o)) for o in offsets],
                         dtype="datetime64[ns]")

    amount = np.asarray(cols["amount"], dtype=float)
    return pd.DataFrame({
        "buyer_id": cols["buyer_id"],
        "invoice_no": [f"I{i}" for i in range(len(amount))],
        "currency": cols["currency"],
        "amount": amount,
        "paid_amount": np.round(amount * np.asarray(cols["paid_share"], dtype=float), 2),
        "invoice_date": dates(cols["invoice"]),
        "due_date": dates(cols["due"]),
        "paid_date": dates(cols["paid"]),
        "disputed": cols["disputed"],
    })


# --------------------------------------------------------------------------- one ledger reader
#: Currencies of edge-case ledgers: "None" is text (a code with no rate, not a blank),
#: "JPY" has no rate in ``AGING_FX``, "" and None are the base currency.
EDGE_CURRENCIES = ("EUR", "USD", "CNY", "JPY", None, "", "None", " usd ")
#: Amounts of edge-case ledgers besides ordinary ones: credit notes, zero, +-infinity, NaN.
EDGE_AMOUNTS = (0.0, -250.0, math.inf, -math.inf, math.nan)


@st.composite
def edge_ledgers(draw: st.DrawFn, max_rows: int = 30) -> dict[str, list[object]]:
    """Columns of an invoice ledger with every edge case the ledger reader has a rule for
    (issue 9): no due date, unknown currencies (the text "None" too), infinite and blank
    amounts, dates outside Excel's calendar (offset "far"), credit notes, part payments,
    invoices settled after the as-of day, disputes and promises. Dates are day offsets from
    the as-of day (None = blank); see :func:`edge_frame`."""
    n = draw(st.integers(0, max_rows))
    offsets = st.integers(-200, 60)
    maybe = st.one_of(st.none(), offsets, st.just("far"))

    def cols(strategy: st.SearchStrategy[object]) -> list[object]:
        return draw(st.lists(strategy, min_size=n, max_size=n))

    amounts = st.one_of(st.integers(-50_000, 5_000_000).map(lambda c: c / 100), st.sampled_from(EDGE_AMOUNTS))
    return {
        "buyer_id": cols(st.sampled_from(("C0001", "C0002", "C0014", "C0020"))),
        "currency": cols(st.sampled_from(EDGE_CURRENCIES)),
        "amount": cols(amounts),
        "paid_share": cols(st.sampled_from((0.0, 0.0, 0.5, 1.0))),
        "invoice": cols(maybe),
        "due": cols(maybe),
        "paid": cols(maybe),
        "promise": cols(st.one_of(st.none(), offsets)),
        "disputed": cols(st.booleans()),
    }


def edge_frame(cols: dict[str, list[object]], as_of: object) -> object:
    """The invoice DataFrame of one ``edge_ledgers`` example ("far" is 1800-01-01, outside
    Excel's calendar)."""
    import numpy as np
    import pandas as pd

    day = pd.Timestamp(as_of)

    def dates(offsets: list[object]) -> pd.Series:
        return pd.Series([None if o is None else pd.Timestamp("1800-01-01") if o == "far"
                          else day + pd.Timedelta(days=int(o)) for o in offsets],  # type: ignore[call-overload]
                         dtype="datetime64[ns]")

    amount = np.asarray(cols["amount"], dtype=float)
    with np.errstate(invalid="ignore"):
        paid = np.round(amount * np.asarray(cols["paid_share"], dtype=float), 2)
    return pd.DataFrame({
        "buyer_id": cols["buyer_id"],
        "invoice_no": [f"I{i}" for i in range(len(amount))],
        "currency": cols["currency"],
        "amount": amount,
        "paid_amount": np.where(np.isfinite(paid), paid, 0.0),
        "invoice_date": dates(cols["invoice"]),
        "due_date": dates(cols["due"]),
        "paid_date": dates(cols["paid"]),
        "promise_date": dates(cols["promise"]),
        "disputed": cols["disputed"],
    })
