"""Deterministic, realistic synthetic buyers and invoices for templates, demos and tests.

One latent "health" per buyer drives its statements (leverage, liquidity, profitability),
its payment behaviour (how late it pays) and its risk signals, so the scores, limits, aging
and collections of a sample workbook look like a real ledger: most buyers pay on time, a
few are deep in arrears. Names are English or Chinese (buyers in China have Chinese names);
invoices come in several currencies, with disputes, credit notes, partial payments and
promises to pay. The same ``n`` and ``seed`` always give the same data.

How big is the demo ledger?

>>> buyers = sample_buyers(200)
>>> invoices = sample_invoices(buyers)
>>> len(buyers), 2500 < len(invoices) < 3500, sorted(invoices["currency"].unique())
(200, True, ['CNY', 'EUR', 'GBP', 'USD'])
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.policy import CompanyPolicy, Policy

__all__ = ["SAMPLE_AS_OF", "sample_buyers", "sample_invoices", "sample_policy"]

#: The as-of date of every sample workbook, so a refresh of it is reproducible.
SAMPLE_AS_OF = dt.date(2026, 11, 30)

#: Value of one unit in EUR and in CNY (rounded mid rates of late 2026, illustrative).
_FX_EUR = {"EUR": 1.0, "USD": 0.92, "GBP": 1.17, "CNY": 0.128}

_COUNTRIES = np.array(["CN", "DE", "US", "GB", "FR", "NL", "IT", "PL", "SG", "AE", "BR", "TR"])
_COUNTRY_P = np.array([0.30, 0.14, 0.14, 0.08, 0.06, 0.05, 0.05, 0.04, 0.04, 0.04, 0.03, 0.03])
_COUNTRY_RISK = dict(CN=2, DE=1, US=1, GB=1, FR=1, NL=1, IT=2, PL=2, SG=1, AE=2, BR=4, TR=4)
_COUNTRY_CCY = dict(CN="CNY", DE="EUR", US="USD", GB="GBP", FR="EUR", NL="EUR", IT="EUR",
                    PL="EUR", SG="USD", AE="USD", BR="USD", TR="EUR")

_INDUSTRIES_EN = np.array(["Wholesale", "Retail", "Construction", "Machinery", "Electronics",
                           "Textiles", "Food", "Chemicals", "Logistics", "Furniture"])
_INDUSTRIES_ZH = np.array(["批发", "零售", "建筑", "机械", "电子", "纺织", "食品", "化工",
                           "物流", "家具"])
_INDUSTRY_RISK = np.array([2, 3, 5, 2, 2, 4, 2, 3, 3, 4])

_EN_FIRST = np.array(["Northwind", "Bluewater", "Kestrel", "Harbor", "Summit", "Oakridge",
                      "Silverline", "Redstone", "Greenfield", "Atlas", "Meridian", "Pioneer",
                      "Crescent", "Falcon", "Evergreen", "Granite", "Lakeside", "Orion",
                      "Vantage", "Westbrook", "Copperleaf", "Brightwater", "Ironbridge", "Nordic"])
_EN_SECOND = np.array(["Trading", "Industries", "Supplies", "Distribution", "Components",
                       "Foods", "Textiles", "Logistics", "Engineering", "Retail", "Imports",
                       "Materials"])
_EN_SUFFIX = {"DE": "GmbH", "US": "Inc.", "GB": "Ltd", "FR": "SARL", "NL": "B.V.",
              "IT": "S.r.l.", "PL": "Sp. z o.o.", "SG": "Pte Ltd", "AE": "LLC", "BR": "Ltda",
              "TR": "A.S."}
_ZH_CITY = np.array(["上海", "北京", "深圳", "广州", "杭州", "苏州", "宁波", "青岛", "厦门",
                     "成都", "武汉", "天津", "东莞", "佛山"])
_ZH_WORD = np.array(["华远", "恒通", "金达", "鼎盛", "宏发", "新元", "瑞丰", "永泰", "嘉诚",
                     "中联", "盛世", "天润", "博远", "汇丰源", "东方", "长城"])
_ZH_TRADE = np.array(["贸易", "实业", "电子", "机械", "纺织", "食品", "化工", "物流", "建材",
                      "家居"])
_OWNERS_EN = np.array(["Anna", "Ben", "Chloe", "David"])
_OWNERS_ZH = np.array(["王芳", "李明", "张伟", "陈静"])
_CONTACTS_EN = np.array(["Ms Laura Bianchi", "Mr Tom Becker", "Ms Priya Nair", "Mr James Carter",
                         "Ms Sofia Lindqvist", "Mr Lukas Novak", "Ms Emma Dubois"])
_CONTACTS_ZH = np.array(["刘经理", "赵会计", "孙主任", "周经理", "吴财务", "郑会计", "冯经理"])


#: Our (fictitious) company in the sample workbooks: statements and letters show it.
_SAMPLE_COMPANY: dict[str, CompanyPolicy] = {
    "en": CompanyPolicy(
        name="Northwind Components GmbH", address="Hafenstrasse 12, 20457 Hamburg, Germany",
        tax_id="DE123456789", contact_name="Anna Schmidt", contact_email="ar@northwind.example",
        contact_phone="+49 40 1234 5678", bank_name="Example Bank AG",
        bank_account="DE89 3704 0044 0532 0130 00", bank_swift="EXAMDEHHXXX"),
    "zh-CN": CompanyPolicy(
        name="上海北风精密部件有限公司", address="上海市浦东新区张江路 88 号",
        tax_id="91310115MA1K4XXXXX", contact_name="王芳", contact_email="ar@beifeng.example",
        contact_phone="021-5080 1234", bank_name="示例银行上海张江支行",
        bank_account="6222 0210 0112 3456 789", bank_swift=""),
}


def sample_policy(language: str = "en", as_of: dt.date = SAMPLE_AS_OF) -> Policy:
    """The policy of a sample workbook: EUR base in English, CNY base in Chinese.

    >>> sample_policy("zh-CN").fx_rate("USD")
    7.1875
    >>> [lvl.up_to for lvl in sample_policy("zh-CN").limits.approval_levels]
    [80000.0, 400000.0, 2000000.0, inf]
    """
    base = "CNY" if language == "zh-CN" else "EUR"
    rates = tuple(
        (code, round(_FX_EUR[code] / _FX_EUR[base], 4)) for code in ("EUR", "USD", "GBP", "CNY")
        if code != base
    )
    policy = Policy(language=language, base_currency=base, as_of=as_of, fx_rates=rates,
                    company=_SAMPLE_COMPANY[language])
    if base == "CNY":  # signing authority in yuan: about eight times the euro thresholds
        levels = [{"up_to": up_to, "level_en": lvl.level_en, "level_zh": lvl.level_zh}
                  for up_to, lvl in zip((80_000, 400_000, 2_000_000, "inf"),
                                        policy.limits.approval_levels, strict=True)]
        policy = policy.with_overrides({"limits": {"approval_levels": levels}})
    return policy


def _pick(rng: np.random.Generator, values: np.ndarray, n: int) -> np.ndarray:
    return values[rng.integers(0, len(values), n)]


def _keep(mask: np.ndarray, values: Any) -> np.ndarray:
    """``values`` where ``mask`` holds, blank (None) elsewhere, as an object array."""
    out = np.asarray(values, dtype=object).copy()
    out[~np.asarray(mask, dtype=bool)] = None
    return out


def sample_buyers(n: int, seed: int = 2026, language: str = "en") -> pd.DataFrame:
    """``n`` synthetic buyers with the input columns of ``tblBuyers`` (canonical names).

    Amounts are in each buyer's currency; about one buyer in twelve has no statements, and
    payment behaviour (days beyond terms, late share) is mostly left blank so that refresh
    takes it from the ledger.

    Is the data the same every time?

    >>> sample_buyers(5).equals(sample_buyers(5)), sample_buyers(3)["buyer_id"].tolist()
    (True, ['C0001', 'C0002', 'C0003'])
    """
    if n < 0:
        raise ValueError(f"n must be >= 0; got {n}")
    rng = np.random.default_rng(seed)
    health = rng.normal(0.0, 1.0, n)  # > 0 healthy, < -1.5 distressed
    health[rng.random(n) < 0.07] -= 2.4  # a few buyers in real trouble
    country = rng.choice(_COUNTRIES, n, p=_COUNTRY_P)
    industry_idx = rng.integers(0, len(_INDUSTRIES_EN), n)
    is_cn = country == "CN"

    en_names = (
        _pick(rng, _EN_FIRST, n).astype(object) + " " + _pick(rng, _EN_SECOND, n).astype(object)
        + " " + pd.Series(country).map(_EN_SUFFIX).fillna("Ltd").to_numpy(dtype=object)
    )
    zh_names = (
        _pick(rng, _ZH_CITY, n).astype(object) + _pick(rng, _ZH_WORD, n).astype(object)
        + _pick(rng, _ZH_TRADE, n).astype(object) + "有限公司"
    )
    names = np.where(is_cn, zh_names, en_names)

    currency = pd.Series(country).map(_COUNTRY_CCY).to_numpy(dtype=object)
    fx = pd.Series(currency).map(_FX_EUR).to_numpy(dtype=float)
    revenue_eur = np.exp(rng.normal(np.log(8e6), 1.1, n))
    revenue = np.round(revenue_eur / fx, -3)
    assets = np.round(revenue * np.exp(rng.normal(-0.2, 0.35, n)), -3)
    debt_ratio = np.clip(1 / (1 + np.exp(0.9 * health + 0.1 + rng.normal(0, 0.35, n))) * 1.05, 0.15, 1.35)
    liabilities = np.round(assets * debt_ratio, -3)
    current_assets = np.round(assets * np.clip(rng.normal(0.55, 0.12, n), 0.15, 0.9), -3)
    current_ratio = np.clip(np.exp(0.22 * health + rng.normal(0.38, 0.2, n)), 0.4, 4.0)
    current_liabilities = np.round(np.minimum(current_assets / current_ratio, liabilities), -3)
    margin = np.clip(0.045 + 0.035 * health + rng.normal(0, 0.02, n), -0.25, 0.3)
    ebit = np.round(revenue * margin, -3)
    net_income = np.round(ebit * 0.72 - liabilities * 0.02, -3)
    retained = np.round(assets * np.clip(0.12 + 0.1 * health + rng.normal(0, 0.06, n), -0.6, 0.6), -3)

    no_statements = rng.random(n) < 0.08
    stmt = {
        "total_assets": assets, "total_liabilities": liabilities, "current_assets": current_assets,
        "current_liabilities": current_liabilities, "retained_earnings": retained, "ebit": ebit,
        "revenue": revenue, "net_income": net_income,
    }
    frame = pd.DataFrame({
        "buyer_id": [f"C{i:04d}" for i in range(1, n + 1)],
        "name": names,
        "country": country,
        "industry": np.where(language == "zh-CN", _INDUSTRIES_ZH[industry_idx], _INDUSTRIES_EN[industry_idx]),
        "currency": currency,
    })
    for key, values in stmt.items():
        col = values.astype(object)
        col[no_statements] = None
        frame[key] = col
    frame.loc[rng.random(n) < 0.25, "net_income"] = None  # often not reported separately

    # Typed payment behaviour for a few buyers (from a credit report); blank otherwise.
    typed = rng.random(n) < 0.12
    dbt = np.round(np.clip(np.exp(1.6 - 0.8 * health + rng.normal(0, 0.5, n)) - 3, -5, 120))
    frame["days_beyond_terms"] = _keep(typed, dbt)
    frame["late_share"] = _keep(typed, np.round(np.clip(0.3 - 0.2 * health, 0, 1), 2))
    defaults = rng.poisson(np.clip(0.25 * np.exp(-1.4 * health), 0, 3))
    frame["defaults_12m"] = defaults
    frame["industry_risk"] = _INDUSTRY_RISK[industry_idx]
    frame["country_risk"] = pd.Series(country).map(_COUNTRY_RISK).to_numpy()
    frame["management_changes_12m"] = rng.poisson(np.clip(0.3 - 0.2 * health, 0.05, 2))
    news = rng.random(n) < 1 / (1 + np.exp(2.2 + 1.2 * health))
    frame["negative_news"] = np.where(news, "是" if language == "zh-CN" else "Y",
                                      "否" if language == "zh-CN" else "N")
    frame["years_in_business"] = np.clip(np.round(np.exp(rng.normal(2.4 + 0.2 * health, 0.6, n))), 1, 80)
    frame.loc[no_statements & (rng.random(n) < 0.5), ["defaults_12m", "management_changes_12m",
                                                      "years_in_business"]] = None

    annual_sales = np.round(revenue * np.exp(rng.normal(-3.0, 0.6, n)), -3)
    terms = rng.choice(np.array([30, 45, 60, 90]), n, p=[0.45, 0.2, 0.25, 0.1])
    frame["annual_sales"] = annual_sales
    frame["payment_terms_days"] = terms
    requested = np.round(annual_sales * (terms + 30) / 365 * rng.uniform(1.0, 1.6, n), -3)
    frame["requested_limit"] = requested
    frame["current_limit"] = _keep(rng.random(n) < 0.8, np.round(requested * rng.uniform(0.85, 1.2, n), -3))
    insured = rng.random(n) < 0.35
    frame["insured_limit"] = _keep(insured, np.round(requested * rng.uniform(0.5, 1.0, n), -3))
    owners = _OWNERS_ZH if language == "zh-CN" else _OWNERS_EN
    frame["owner"] = owners[np.arange(n) % len(owners)]
    contacts = _CONTACTS_ZH if language == "zh-CN" else _CONTACTS_EN  # no draw: other values unchanged
    frame["contact"] = contacts[(np.arange(n) * 3) % len(contacts)]
    frame["email"] = ("accounts." + frame["buyer_id"].astype(str).str.lower() + "@example.com").to_numpy(dtype=object)
    # Security held by about one buyer in ten (more often by weak ones), and the date of the
    # last credit review: 0-18 months before the sample's as-of date, blank for a few.
    secured = rng.random(n) < np.where(health < -1.0, 0.35, 0.07)
    frame["security_amount"] = _keep(secured, np.round(requested * rng.uniform(0.3, 1.0, n), -3))
    months_ago = rng.integers(0, 19, n)
    reviewed = (np.datetime64(SAMPLE_AS_OF, "M") - months_ago.astype("timedelta64[M]")).astype("datetime64[D]")
    reviewed = reviewed + rng.integers(0, 28, n).astype("timedelta64[D]")
    frame["last_review"] = _keep(rng.random(n) > 0.1, reviewed.astype(object))  # dates; None blank
    frame.attrs["health"] = health  # for tests of the sample itself
    return frame


def sample_invoices(
    buyers: pd.DataFrame,
    seed: int = 2026,
    as_of: dt.date = SAMPLE_AS_OF,
    per_buyer: float = 15.0,
    *,
    language: str = "en",
) -> pd.DataFrame:
    """Invoices of the sample buyers over the twelve months to ``as_of`` (canonical columns).

    Older invoices are mostly paid (late by an amount that grows as the buyer's health
    falls); recent ones are open. About 2 % are credit notes (negative), 4 % of open items
    disputed, some partly paid, and some overdue items carry a promise to pay.

    Do the invoices balance: paid never above the amount, due after the invoice date?

    >>> inv = sample_invoices(sample_buyers(50))
    >>> paid = pd.to_numeric(inv["paid_amount"]).fillna(0)
    >>> bool((paid.abs() <= inv["amount"].abs()).all())
    True
    >>> bool((pd.to_datetime(inv["due_date"]) >= pd.to_datetime(inv["invoice_date"])).all())
    True
    """
    rng = np.random.default_rng(seed + 1)
    n_buyers = len(buyers)
    health = buyers.attrs.get("health")
    if health is None or len(health) != n_buyers:
        health = np.zeros(n_buyers)
    counts = rng.poisson(per_buyer * np.exp(rng.normal(0, 0.35, n_buyers)))
    counts = np.maximum(counts, 6)  # a steady customer: at least one invoice every two months
    owner = np.repeat(np.arange(n_buyers), counts)
    m = len(owner)
    h = np.asarray(health, dtype=float)[owner]
    terms = pd.to_numeric(buyers["payment_terms_days"], errors="coerce").fillna(30).to_numpy()[owner]
    sales = pd.to_numeric(buyers["annual_sales"], errors="coerce").fillna(1e5).to_numpy()[owner]
    currency = buyers["currency"].to_numpy(dtype=object)[owner].copy()
    other = rng.random(m) < 0.12  # some invoices in the seller's usual export currencies
    currency[other] = np.where(rng.random(int(other.sum())) < 0.6, "USD", "EUR")

    as_of_ts = pd.Timestamp(as_of)
    age = rng.integers(0, 365, m)
    invoice_date = as_of_ts - pd.to_timedelta(age, unit="D")
    due_date = invoice_date + pd.to_timedelta(terms, unit="D")
    per_invoice = sales / np.maximum(counts[owner], 1)
    # An invoice in another currency carries the same value, converted at the sample rates.
    home = buyers["currency"].to_numpy(dtype=object)[owner]
    rate = pd.Series(home).map(_FX_EUR).to_numpy(dtype=float) / pd.Series(currency).map(_FX_EUR).to_numpy(dtype=float)
    amount = np.round(per_invoice * rate * np.exp(rng.normal(0, 0.25, m)), 2)
    credit_note = rng.random(m) < 0.02
    amount[credit_note] = -np.round(amount[credit_note] * rng.uniform(0.05, 0.3, int(credit_note.sum())), 2)

    # lateness in days after due: healthy buyers pay around the due date, weak ones far later
    mean_late = np.exp(1.8 - 1.0 * h)
    late = np.round(rng.exponential(mean_late) + rng.normal(-4, 3, m))
    never = rng.random(m) < np.clip(0.01 + 0.08 * (h < -1.2), 0, 1)  # stuck items
    paid_date = due_date + pd.to_timedelta(late, unit="D")
    is_paid = (paid_date <= as_of_ts) & ~never
    is_paid |= credit_note & (rng.random(m) < 0.7)
    paid_date = paid_date.where(paid_date >= invoice_date, invoice_date)
    paid_date = paid_date.where(paid_date <= as_of_ts, as_of_ts)  # credit notes settled early
    paid_amount = np.where(is_paid, amount, 0.0)
    partial = ~is_paid & ~credit_note & (rng.random(m) < 0.12)
    paid_amount[partial] = np.round(amount[partial] * rng.uniform(0.2, 0.7, int(partial.sum())), 2)

    open_item = ~is_paid
    overdue = open_item & (due_date < as_of_ts)
    disputed = open_item & ~credit_note & (rng.random(m) < 0.04)
    promise = overdue & ~disputed & (rng.random(m) < 0.15)
    promise_date = as_of_ts + pd.to_timedelta(rng.integers(-10, 21, m), unit="D")

    order = np.argsort(invoice_date.to_numpy(), kind="stable")
    yes, no = ("是", "否") if language == "zh-CN" else ("Y", "N")
    notes_text = "客户称货物有质量问题" if language == "zh-CN" else "Buyer reports damaged goods"
    frame = pd.DataFrame({
        "buyer_id": buyers["buyer_id"].to_numpy(dtype=object)[owner],
        "currency": currency,
        "amount": amount,
        "paid_amount": _keep(paid_amount != 0, paid_amount),
        "invoice_date": invoice_date.date,
        "due_date": due_date.date,
        "paid_date": _keep(np.asarray(is_paid), paid_date.date),
        "disputed": np.where(disputed, yes, no),
        "promise_date": _keep(np.asarray(promise), promise_date.date),
        "notes": _keep(np.asarray(disputed), np.full(m, notes_text, dtype=object)),
    }).iloc[order].reset_index(drop=True)
    year = as_of.year % 100
    prefix = np.where(frame["amount"].to_numpy(dtype=float) < 0, "CN", "INV")
    frame.insert(0, "invoice_no", [f"{p}-{year:02d}{i:05d}" for i, p in enumerate(prefix, start=1)])
    return frame
