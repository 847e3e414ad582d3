"""Late-payment presets, statutory terms and the limitation period (issue 15, items 3-4).

Worked examples and their sources:

- EU: Directive 2011/7/EU Art. 2(6)-(7) (reference rate = ECB main refinancing rate in force
  on 1 January / 1 July, + 8 points), Art. 6 (EUR 40 fixed sum). ECB key rates: MRO 3.15 %
  from 18 Dec 2024, 2.15 % from 11 Jun 2025 (ecb.europa.eu, "Key ECB interest rates").
- UK: Late Payment of Commercial Debts (Interest) Act 1998 s. 4 and s. 5A; reference rate =
  BoE base rate on 31 Dec / 30 Jun, fixed for the half-year; fixed sums GBP 40 (up to
  999.99), 70 (1,000-9,999.99), 100 (10,000 or more). payontime.co.uk (the UK government's
  late-payment site): "The Bank of England base rate on 30th June will be the reference rate
  for: 1st July to 31st December"; the compensation table as above.
- China: 保障中小企业款项支付条例 (国务院令第728号, 2025年3月17日国务院令第802号修订; Xinhua,
  2025-03-24): 机关、事业单位 30日 (约定不超过60日), 大型企业 60日; 未约定逾期利息的按每日利率
  万分之五; 约定利率不得低于合同订立时一年期贷款市场报价利率. One-year LPR 3.0 % from
  20 May 2025 (全国银行间同业拆借中心公告).
- 民法典 第188条 (三年), 第195条 (中断后重新计算), 第594条 (国际货物买卖合同 四年).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from xlcredit.engine.collections import build_worklist
from xlcredit.engine.errors import PolicyError
from xlcredit.engine.late_payment import (
    buyer_type_codes,
    limitation_dates,
    preset_interest,
    statutory_terms_days,
)
from xlcredit.engine.policy import Policy, half_year_rates
from xlcredit.messages import Message
from xlcredit.workbook.policy_sheet import policy_from_tables, policy_tables


# --------------------------------------------------------------------------- presets
def test_cn_sme_daily_rate():
    # 条例: 每日万分之五, simple: 100,000 x 0.0005 x 45 days = 2,250 (no fixed sum)
    assert preset_interest(100_000, "2025-09-30", "2025-11-14", "cn_sme") == pytest.approx(2250.0)
    assert preset_interest(100_000, "2025-09-30", "2025-11-14", "中小企业") == pytest.approx(2250.0)


def test_cn_sme_agreed_rate_not_below_lpr():
    # 条例: an agreed rate may not be below the one-year LPR (3.0 % since 20 May 2025)
    value, why = preset_interest(100_000, "2025-09-30", "2025-11-14", "cn_sme", annual_rate=0.02, with_reasons=True)
    assert np.isnan(value) and "LPR" in why[0]
    # agreed 6 % a year is allowed: 100,000 x 6 % x 45 / 365
    assert preset_interest(100_000, "2025-09-30", "2025-11-14", "cn_sme", annual_rate=0.06) == pytest.approx(
        100_000 * 0.06 * 45 / 365)


def test_lpr_markup():
    # LPR 3.0 % x (1 + 50 %) = 4.5 % a year; 200,000 for 73 days = 200,000 x 4.5 % x 73 / 365 = 1,800
    assert preset_interest(200_000, "2025-08-01", "2025-10-13", "lpr") == pytest.approx(1800.0)


def test_eu_rate_resets_on_1_july():
    # 2025H1 3.15 %, 2025H2 2.15 % (ECB MRO); + 8 points. 29 days of June at 11.15 %, 31 of July at 10.15 %
    expected = 5000 * (29 * 0.1115 + 31 * 0.1015) / 365 + 40
    assert preset_interest(5000, "2025-06-01", "2025-07-31", "eu") == pytest.approx(expected)
    # a delay inside one half-year: 10,000 x 10.15 % x 30 / 365 + EUR 40 = 123.42
    assert preset_interest(10_000, "2025-11-15", "2025-12-15", "eu") == pytest.approx(123.42, abs=0.005)


def test_eu_missing_half_year_is_not_guessed():
    value, why = preset_interest(10_000, "2030-01-15", "2030-02-15", "eu", with_reasons=True)
    assert np.isnan(value) and "ecb_rates" in why[0]


@pytest.mark.parametrize(
    ("amount", "fixed_sum"), [(999.99, 40.0), (1000.0, 70.0), (9999.99, 70.0), (10_000.0, 100.0)]
)
def test_uk_fixed_sums_by_debt_size(amount, fixed_sum):
    # Act s. 5A: GBP 40 / 70 / 100; base rate 4.25 % on 30 June 2025 + 8 = 12.25 % for 2025H2
    got = preset_interest(amount, "2025-09-01", "2025-10-31", "uk")
    assert got == pytest.approx(amount * 0.1225 * 60 / 365 + fixed_sum)


def test_uk_rate_fixed_for_the_whole_delay():
    # debt late from 2 June 2025 (2025H1 rate 4.75 % + 8): the July reset does not apply
    got = preset_interest(1000.0, "2025-06-01", "2025-07-31", "uk", fixed_fee=0.0)
    assert got == pytest.approx(1000 * 0.1275 * 60 / 365)


def test_presets_vectorised_and_bad_name():
    got, why = preset_interest([1000.0, 1000.0, 1000.0], "2025-09-30", "2025-10-30", ["cn_sme", "", "mars"],
                               with_reasons=True)
    assert got[0] == pytest.approx(15.0)  # 1,000 x 0.0005 x 30
    assert got[1] == pytest.approx(1000 * 0.1015 * 30 / 365 + 40)  # blank: custom (policy default)
    assert np.isnan(got[2]) and "mars" in why[2]
    assert preset_interest(1000.0, "2025-09-30", "2025-09-30", "eu") == 0.0  # paid on the due date


# --------------------------------------------------------------------------- statutory terms
def test_statutory_terms_by_buyer_type():
    got = statutory_terms_days(["机关/事业单位", "机关", "大型企业", "中小企业", None], [False, True, False, False, False])
    assert got[:3].tolist() == [30.0, 60.0, 60.0]
    assert np.isnan(got[3]) and np.isnan(got[4])
    assert np.isnan(statutory_terms_days("大型企业", seller_is_sme=False))


# --------------------------------------------------------------------------- limitation
def test_limitation_three_years_from_due_date():
    # 民法典 188: three years; due 2023-05-31 -> time-barred on 2026-05-31
    assert str(limitation_dates("2023-05-31")[0]) == "2026-05-31"
    # 29 February has no twin three years later: 28 February
    assert str(limitation_dates("2024-02-29")[0]) == "2027-02-28"


def test_limitation_international_and_restart():
    # 594: four years for international sales of goods; 195: a promise restarts the period in full
    got = limitation_dates(["2023-05-31", "2023-05-31", "2023-05-31", None],
                           [["2024-08-01", None, "2022-01-01", None], [None, "2025-02-10", None, None]],
                           [False, False, True, False])
    assert [str(d) for d in got[:3]] == ["2027-08-01", "2028-02-10", "2027-05-31"]
    assert np.isnat(got[3])


# --------------------------------------------------------------------------- policy
def test_policy_settings_validated_with_setting_rule_value():
    with pytest.raises(PolicyError, match=r"late_interest.preset must be one of .*got 'france'"):
        Policy.from_settings({"late_interest.preset": "france"})
    with pytest.raises(PolicyError, match=r"late_interest.ecb_rates must be half-years"):
        Policy.from_settings({"late_interest.ecb_rates": "2025 3%"})
    with pytest.raises(PolicyError, match=r"late_interest.lpr must be a number from 0 to 0.5; got 3"):
        Policy.from_settings({"late_interest.lpr": 3})
    assert half_year_rates("2026H1 2.15%")[(2026, 1)] == pytest.approx(0.0215)


def test_policy_sheet_round_trip():
    policy = Policy.from_settings({"late_interest.preset": "cn_sme", "late_interest.lpr": 0.031,
                                   "late_interest.seller_is_sme": False,
                                   "late_interest.ecb_rates": "2026H1 2.00%",
                                   "late_interest.limitation_warning_days": 60})
    frame = policy_tables(policy, "zh-CN")["tblPolicy"]
    tables = {"tblPolicy": (frame.columns.tolist(), frame.to_numpy(dtype=object).tolist())}
    back, problems = policy_from_tables(tables)
    assert problems == []
    assert back.late_interest == policy.late_interest


def test_policy_sheet_reports_bad_preset():
    rows = [["late_interest.preset", "mars", ""]]
    policy, problems = policy_from_tables({"tblPolicy": (["Setting", "Value"], rows)})
    assert policy.late_interest.preset == "custom"
    assert "late_interest.preset" in problems[0].rule and "mars" in problems[0].rule


# --------------------------------------------------------------------------- worklist
def _ledger() -> pd.DataFrame:
    return pd.DataFrame({
        "invoice_no": ["A1", "B1", "C1"],
        "buyer_id": ["GOV", "BIG", "SME"],
        "currency": ["CNY", "CNY", "CNY"],
        "amount": [100_000.0, 50_000.0, 20_000.0],
        "invoice_date": pd.to_datetime(["2025-08-01", "2025-06-01", "2025-09-01"]),
        "due_date": pd.to_datetime(["2025-09-30", "2025-09-30", "2025-09-30"]),
    })


def test_worklist_uses_the_buyers_preset_and_flags():
    policy = Policy.from_settings({"base_currency": "CNY", "late_interest.enabled": True,
                                   "late_interest.preset": "cn_sme", "late_interest.limitation_warning_days": 90})
    buyers = pd.DataFrame({"buyer_id": ["GOV", "BIG", "SME"], "score": [60.0, 60.0, 60.0],
                           "buyer_type": ["事业单位", "大型企业", "中小企业"],
                           "late_interest_preset": [None, "lpr", None]})
    wl = build_worklist(_ledger(), "2025-11-14", policy, buyers).set_index("invoice_no")
    # GOV: cn_sme, 100,000 x 0.0005 x 45 = 2,250; terms 60 days > 30 allowed
    assert wl.loc["A1", "late_interest"] == pytest.approx(2250.0)
    assert wl.loc["A1", "statutory_terms_days"] == 30.0 and bool(wl.loc["A1", "terms_over_statutory"])
    # BIG: its own lpr preset, 50,000 x 4.5 % x 45 / 365; terms 121 days > 60
    assert wl.loc["B1", "late_interest"] == pytest.approx(50_000 * 0.045 * 45 / 365)
    assert bool(wl.loc["B1", "terms_over_statutory"])
    # SME buyer: the regulation does not apply; said so, no interest
    assert wl.loc["C1", "late_interest_rule"] == "cn_sme n/a" and wl.loc["C1", "late_interest"] == 0.0
    assert not bool(wl.loc["C1", "terms_over_statutory"])
    assert str(wl.loc["A1", "time_barred_on"].date()) == "2028-09-30"
    assert wl.loc["A1", "limitation_alert"] == ""


def test_worklist_limitation_restarts_and_alert():
    policy = Policy.from_settings({"base_currency": "CNY", "late_interest.limitation_warning_days": 90})
    ledger = _ledger().assign(due_date=pd.to_datetime(["2022-10-01", "2022-10-01", "2022-10-01"]))
    buyers = pd.DataFrame({"buyer_id": ["GOV", "BIG", "SME"], "score": [60.0] * 3,
                           "country": ["中国", "DE", ""]})
    letters = pd.DataFrame({"invoice_no": ["B1", "B1"], "date": pd.to_datetime(["2023-01-05", "2024-03-01"])})
    wl = build_worklist(ledger, dt.date(2025, 8, 1), policy, buyers, restarts=letters).set_index("invoice_no")
    # GOV: domestic, 3 years from 2022-10-01 -> 2025-10-01, 61 days away: warned
    assert str(wl.loc["A1", "time_barred_on"].date()) == "2025-10-01"
    assert wl.loc["A1", "limitation_alert"] == "time-barred soon"
    # BIG (DE): international sale, 4 years from the last letter 2024-03-01
    assert str(wl.loc["B1", "time_barred_on"].date()) == "2028-03-01"
    assert wl.loc["B1", "limitation_alert"] == ""
    # the flag is not a dunning step: the step is the ladder's
    assert (wl["step_no"] == wl["ladder_step_no"]).all()
    past = build_worklist(ledger, dt.date(2025, 10, 2), policy, buyers).set_index("invoice_no")
    assert past.loc["C1", "limitation_alert"] == "time-barred"


def test_worklist_eu_and_uk_fixed_sums_converted():
    policy = Policy.from_settings({"base_currency": "CNY", "late_interest.enabled": True,
                                   "fx_rates": [["CNY", 1.0], ["EUR", 8.0], ["GBP", 9.0]]})
    ledger = pd.DataFrame({"invoice_no": ["E", "U"], "buyer_id": ["EU", "UK"], "currency": ["CNY", "CNY"],
                           "amount": [90_000.0, 90_000.0], "due_date": pd.to_datetime(["2025-09-30"] * 2)})
    buyers = pd.DataFrame({"buyer_id": ["EU", "UK"], "score": [60.0, 60.0], "late_interest_preset": ["eu", "uk"]})
    wl = build_worklist(ledger, "2025-10-30", policy, buyers).set_index("invoice_no")
    assert wl.loc["E", "late_fee"] == pytest.approx(40 * 8.0)  # EUR 40 converted, not CNY 40
    assert wl.loc["U", "late_fee"] == pytest.approx(100 * 9.0)  # debt GBP 10,000: GBP 100
    assert wl.loc["U", "late_interest"] == pytest.approx(90_000 * 0.1225 * 30 / 365)


# --------------------------------------------------------------------------- Collections sheet
def test_collections_sheet_shows_the_limitation_date_and_flag():
    import datetime as _dt

    from xlcredit.macros.collections_sheet import build_collections
    from xlcredit.macros.run import _example_book
    from xlcredit.workbook.port import ColumnWrite

    with _example_book(12) as book:
        buyers = book.read_table("tblBuyers")
        n = len(buyers.rows)
        # every buyer abroad and flagged as an international sale: four years (民法典 594)
        book.write_columns("tblBuyers", [ColumnWrite("International sale", [True] * n)])
        build_collections(book, as_of=_dt.date(2026, 11, 28))
        t = book.read_table("tblCollections")
    header = t.header
    due = [r[header.index("Due date")] for r in t.rows]
    barred = [r[header.index("Time-barred on")] for r in t.rows]
    assert t.rows and "Limitation" in header
    for d, b in zip(due, barred, strict=True):
        d, b = pd.Timestamp(d), pd.Timestamp(b)
        # no promise recorded in the sample beyond the due date: due date + 4 years
        assert b >= d + pd.DateOffset(years=4) - pd.Timedelta(days=1)


def test_unknown_buyer_type_or_rule_goes_on_the_problems_list():
    import datetime as _dt

    from xlcredit.macros.run import _example_book, _open, _worklist
    from xlcredit.workbook.port import ColumnWrite

    with _example_book(4) as book:
        n = len(book.read_table("tblBuyers").rows)
        book.write_columns("tblBuyers", [ColumnWrite("Buyer type", ["bank"] + ["大型企业"] * (n - 1)),
                                         ColumnWrite("Late-interest rule", ["cn_sme"] * (n - 1) + ["mars"])])
        run = _open(book, _dt.date(2026, 11, 28))
        _worklist(run)
    rules = [p.rule for p in run.problems]
    # the rule names the column by its header on the sheet, in the workbook's language
    assert any("Buyer type must be 机关/事业单位, 大型企业 or 中小企业; got 'bank'" in r for r in rules)
    assert any("Late-interest rule must be one of" in r and "'mars'" in r for r in rules)
    zh = [p.rule.render("zh-CN") for p in run.problems if isinstance(p.rule, Message)]
    assert "Buyer type 必须是 机关/事业单位、大型企业 或 中小企业，实际为 'bank'；不检查该客户的法定最长付款期限" in zh
    assert any("必须是 custom, eu, uk, cn_sme, lpr 之一，实际为 'mars'；改用信用政策表中的" in r for r in zh)


def test_collections_sheet_shows_the_statutory_terms_check():
    import datetime as _dt

    from xlcredit.macros.collections_sheet import build_collections
    from xlcredit.macros.run import _example_book
    from xlcredit.workbook.port import ColumnWrite

    with _example_book(12) as book:
        n = len(book.read_table("tblBuyers").rows)
        book.write_columns("tblBuyers", [ColumnWrite("Buyer type", ["机关/事业单位"] * n)])
        build_collections(book, as_of=_dt.date(2026, 11, 28))
        t = book.read_table("tblCollections")
    h = t.header
    assert t.rows
    # 机关/事业单位: 30 days (保障中小企业款项支付条例), our seller-size default is SME
    assert {r[h.index("Statutory max terms (days)")] for r in t.rows} == {30}
    assert "Terms over statutory" in h


def test_reasons_are_catalogue_messages_in_both_languages():
    # why a late-interest figure is blank reads in the workbook's language (issue 15 item 1)
    _, why = preset_interest([100.0, np.nan, 100.0], "2025-09-30", "2025-11-14", ["cn_sme", "cn_sme", "lpr"],
                             annual_rate=[np.nan, np.nan, 0.01], with_reasons=True)
    assert why[0] is None
    assert (why[1], why[1].render("zh-CN")) == ("amount missing", "amount 缺失")
    lpr = f"{Policy().late_interest.lpr:.2%}"
    assert why[2] == f"annual_rate below the one-year LPR ({lpr}) is not allowed under 保障中小企业款项支付条例"
    assert why[2].render("zh-CN") == f"根据《保障中小企业款项支付条例》，annual_rate 不得低于一年期 LPR（{lpr}）"
    codes, why = buyer_type_codes(["bank", "机关", "bank", None])
    assert codes.tolist() == [0, 1, 0, 0] and why[1] is None and why[3] is None
    assert why[0].render("zh-CN") == why[2].render("zh-CN") == "buyer_type 必须是 机关/事业单位、大型企业 或 中小企业，实际为 'bank'"
