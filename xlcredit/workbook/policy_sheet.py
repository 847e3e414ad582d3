"""The Policy sheet: the credit policy as Excel tables, and back.

``tblPolicy`` holds the single-value settings (dotted keys of :meth:`Policy.settings`, plus
the short lists ``aging.bucket_edges`` and ``score.grade_min_scores`` as comma-separated
text), each with a description in the sheet's language. Lists are tables of their own:
``tblBands``, ``tblLimitRules`` (with the review cycle of each band), ``tblApproval``,
``tblDunning``, ``tblFX`` and ``tblLetters`` (dunning letter texts per step and language). A blank value keeps the default. A value that breaks a rule
becomes a problem on the Problems sheet and the default is used; the run goes on.

What does a team's sheet that sets the base currency and a 5,000 rounding give?

>>> rows = [["base_currency", "CNY", ""], ["limits.round_to", "5,000", ""], ["language", None, ""],
...         ["input.decimal", "point", ""]]
>>> policy, problems = policy_from_tables({"tblPolicy": (["Setting", "Value", "Description"], rows)})
>>> policy.base_currency, policy.limits.round_to, policy.language, problems
('CNY', 5000.0, 'en', [])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.errors import PolicyError, SchemaError
from xlcredit.engine.policy import Policy
from xlcredit.messages import Message
from xlcredit.messages import text as _catalogue_text
from xlcredit.workbook.excel_values import to_dates, to_flags, to_numbers, to_text
from xlcredit.workbook.reading import DEFAULT_RULES, ReadingRules
from xlcredit.workbook.schema import (
    APPROVAL,
    BANDS,
    DUNNING,
    FX,
    LETTERS,
    LIMIT_RULES,
    POLICY,
    ParsedTable,
    Problem,
    TableSchema,
    parse_table,
)

__all__ = [
    "DESCRIPTIONS",
    "LIST_SETTINGS",
    "POLICY_TABLES",
    "WORKBOOK_SETTINGS",
    "describe_setting",
    "load_policy",
    "policy_from_tables",
    "policy_tables",
    "table_title",
]

#: The tables of the Policy sheet, in sheet order.
POLICY_TABLES: tuple[TableSchema, ...] = (POLICY, BANDS, LIMIT_RULES, APPROVAL, DUNNING, FX, LETTERS)

#: Short lists kept in tblPolicy as comma-separated numbers.
#: They are applied after the single values, in this order (the number of
#: ``provision.loss_rates`` depends on the buckets the others define).
LIST_SETTINGS: tuple[str, ...] = ("aging.bucket_edges", "score.grade_min_scores",
                                   "provision.invoice_age_edges", "provision.loss_rates")

#: Rows of tblPolicy that describe the workbook, not the credit policy: checked, never
#: applied to the policy (the template version, see :mod:`xlcredit.workbook.versions`).
WORKBOOK_SETTINGS: tuple[str, ...] = ("template_version",)


def _whole_number(raw: Any) -> int | None:
    """A whole number >= 0 typed as a number or as text; None otherwise."""
    try:
        number = float(str(raw).strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and number >= 0 and not isinstance(raw, bool) else None


#: Description of each setting (English, Simplified Chinese).
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "template_version": ("Template version this workbook follows (xlcredit upgrade raises it); "
                         "not a credit rule: leave it as it is.",
                         "本工作簿所依据的模板版本（由 xlcredit upgrade 更新）；不是信用规则，请勿修改。"),
    "language": ("Language of sheet names, labels and reasons: en or zh-CN.",
                 "工作表名称、标签和原因说明的语言：en 或 zh-CN。"),
    "base_currency": ("Currency all amounts are converted to (three-letter code, e.g. EUR, CNY).",
                      "所有金额折算成的本位币（三位字母代码，如 EUR、CNY）。"),
    "as_of": ("Date of the report (aging, overdue days). Blank: today.",
              "报告日期（账龄、逾期天数的基准）。空白表示今天。"),
    "aging.bucket_edges": ("Aging bucket edges in days past due, e.g. 30, 60, 90, 120.",
                           "账龄分段的逾期天数界限，如 30, 60, 90, 120。"),
    "score.grade_min_scores": ("Minimum score of grades 1 to 9; grade 10 is below the last.",
                               "风险级别 1 至 9 级的最低信用评分；低于最后一个为 10 级。"),
    "score.not_rated_band": ("Band of buyers with too little data to rate.",
                             "数据不足无法评级的客户所属风险等级。"),
    "score.not_rated_label_en": ("English label of the not-rated band.", "未评级等级的英文说明。"),
    "score.not_rated_label_zh": ("Chinese label of the not-rated band.", "未评级等级的中文说明。"),
    "score.min_coverage": ("Below this share of known inputs a buyer is not rated (0-1).",
                           "已知输入占比低于此值时不评级（0-1）。"),
    "score.pd_intercept": ("PD calibration: intercept of the logistic curve.",
                           "违约概率校准：逻辑曲线截距。"),
    "score.pd_slope": ("PD calibration: slope per score point (negative).",
                       "违约概率校准：每一信用评分点的斜率（负数）。"),
    "score.pd_floor": ("Lowest probability of default shown.", "显示的最低违约概率。"),
    "score.pd_cap": ("Highest probability of default shown.", "显示的最高违约概率。"),
    "limits.need_buffer_days": ("Days of extra deliveries added to the terms when computing need.",
                                "计算信用额度需求时在账期之外增加的供货天数。"),
    "limits.default_payment_terms_days": ("Payment terms used when a buyer has none (days).",
                                          "客户未填账期时使用的默认账期（天）。"),
    "limits.round_to": ("Limits are rounded down to a multiple of this (0: no rounding).",
                        "信用额度向下取整到此数的倍数（0 表示不取整）。"),
    "limits.insured_limit_rule": ("Insured limit: cap (never above), extend (at least), ignore.",
                                  "信保限额的作用：cap 不超过，extend 至少为，ignore 忽略。"),
    "limits.approve_share": ("A limit below this share of the request is 'approve reduced'.",
                             "建议信用额度低于申请信用额度此比例时为“降额批准”。"),
    "collections.promise_grace_days": ("Days after a promised date before the promise is broken.",
                                       "承诺付款日之后多少天视为承诺未兑现。"),
    "collections.hold_disputed": ("Hold disputed invoices out of dunning (TRUE/FALSE).",
                                  "争议发票暂停催收（TRUE/FALSE）。"),
    "collections.follow_up_days": ("Days between follow-ups when no later step is due.",
                                   "无下一催收阶段时的跟进间隔天数。"),
    "collections.broken_promise_extra_steps": ("Dunning steps added when a promise is broken.",
                                               "承诺未兑现时催收阶段前进的级数。"),
    "collections.weight_amount": ("Priority weight of the amount (0-1).", "优先级中金额的权重（0-1）。"),
    "collections.weight_age": ("Priority weight of days overdue (0-1).", "优先级中逾期天数的权重（0-1）。"),
    "collections.weight_risk": ("Priority weight of the buyer's risk (0-1).",
                                "优先级中客户风险的权重（0-1）。"),
    "insurance.enabled": ("Credit insurance in force: show insurer deadlines (TRUE/FALSE).",
                          "是否投保信用保险：显示保险期限（TRUE/FALSE）。"),
    "insurance.notification_days": ("Overdue notification to the insurer within this many days of due.",
                                    "到期后多少天内须向保险公司报告逾期。"),
    "insurance.max_extension_days": ("Own extensions allowed up to this many days after due.",
                                     "到期后允许自行展期的最长天数。"),
    "insurance.claim_filing_days": ("Claim to be filed within this many days after the extension period.",
                                    "展期结束后多少天内须提出索赔。"),
    "insurance.cover_share": ("Share of a loss the insurer covers (0-1).", "保险赔付比例（0-1）。"),
    "insurance.deadline_warning_days": ("Warn this many days before an insurer deadline.",
                                        "保险期限到期前多少天提醒。"),
    "late_interest.enabled": ("Charge statutory late interest (TRUE/FALSE).",
                              "是否计收法定逾期利息（TRUE/FALSE）。"),
    "late_interest.reference_rate": ("Central bank reference rate (e.g. 2.15 %).",
                                     "央行参考利率（如 2.15%）。"),
    "late_interest.margin": ("Points added to the reference rate (EU: 8 %).",
                             "在参考利率之上加收的百分点（欧盟：8%）。"),
    "late_interest.fixed_fee": ("Fixed compensation per late invoice (EU: 40).",
                                "每张逾期发票的固定补偿金（欧盟：40）。"),
    "late_interest.fee_currency": ("Currency of the fixed compensation.", "固定补偿金的币种。"),
    "late_interest.day_basis": ("Days per year for interest: 360 or 365.", "计息年天数：360 或 365。"),
    "late_interest.preset": ("Late-interest rule of buyers with none of their own: custom, eu, uk, cn_sme, lpr.",
                             "客户未指定时使用的逾期利息规则：custom 自定义、eu 欧盟指令、uk 英国逾期付款法、"
                             "cn_sme 中小企业款项支付条例（每日万分之五）、lpr LPR 加成。"),
    "late_interest.ecb_rates": ("ECB main refinancing rate per half-year (EU rule), e.g. 2025H1 3.15%, 2025H2 2.15%.",
                                "欧盟规则的欧洲央行主要再融资利率（每半年），如 2025H1 3.15%, 2025H2 2.15%。"),
    "late_interest.boe_rates": ("Bank of England base rate per half-year (UK rule), e.g. 2025H2 4.25%.",
                                "英国规则的英格兰银行基准利率（每半年），如 2025H2 4.25%。"),
    "late_interest.lpr": ("One-year loan prime rate (LPR), e.g. 3.00 %.", "一年期贷款市场报价利率（LPR），如 3.00%。"),
    "late_interest.lpr_markup": ("LPR rule: LPR x (1 + markup); practice 30-50 %.",
                                 "LPR 规则：LPR ×（1 + 加成比例），实务中常用 30%-50%。"),
    "late_interest.seller_is_sme": ("We are an SME (中小企业): the SME payment regulation protects us (TRUE/FALSE).",
                                    "本公司是否为中小企业（适用《保障中小企业款项支付条例》）（TRUE/FALSE）。"),
    "late_interest.limitation_warning_days": ("Warn this many days before a claim becomes time-barred.",
                                              "诉讼时效届满前多少天提醒。"),
    "late_interest.home_country": ("Our country (ISO code): buyers elsewhere are international sales (4-year limitation).",
                                   "本公司所在国家（ISO 代码）：其他国家的客户按国际货物买卖合同（诉讼时效四年）。"),
    "plans.weekend_rule": ("Due dates on weekends: following (next Monday) or none.",
                           "到期日遇周末：following 顺延至周一，none 不调整。"),
    "plans.frequency": ("Default instalment frequency: monthly, weekly, biweekly, quarterly.",
                        "默认分期频率：monthly、weekly、biweekly、quarterly。"),
    "plans.method": ("Default plan method: annuity or equal_principal.",
                     "默认还款方式：annuity 等额本息，equal_principal 等额本金。"),
    "score.calibration_default_rate": ("Yearly default rate of the sample the PD was fitted on (0.0694).",
                                       "违约概率校准样本的年违约率（0.0694）。"),
    "score.portfolio_default_rate": ("Your portfolio's yearly default rate; shifts the PD (0: not known).",
                                     "本组合的年违约率；据此调整违约概率（0 表示未知）。"),
    "score.min_history_invoices": ("Invoices paid or past due needed to rate a buyer from payment behaviour alone.",
                                   "仅凭付款记录评级所需的已收款或已到期发票数。"),
    "limits.negative_wc_ignored_to_band": ("Negative working capital ignored in this band and better (none: never).",
                                           "此等级及更好等级忽略为负的营运资金（none 表示从不忽略）。"),
    "decisions.hold_from_step": ("Dunning step from which deliveries are held until overdue is paid.",
                                 "自此催收阶段起暂停发货，直至逾期款付清。"),
    "decisions.suspend_from_step": ("Dunning step from which credit is suspended.", "自此催收阶段起暂停赊销。"),
    "decisions.materiality_amount": ("Overdue below this amount (base currency) never holds or suspends.",
                                     "低于此金额（本位币）的逾期款不触发暂停。"),
    "decisions.materiality_share": ("Overdue below this share of exposure never holds or suspends (0-1).",
                                    "低于风险敞口此比例的逾期款不触发暂停（0-1）。"),
    "decisions.secured_from_band": ("This band and worse get credit only against security or insurance.",
                                    "此等级及更差等级仅凭担保或保险赊销。"),
    "decisions.floor_from_band": ("This band and worse are signed at least at the floor level.",
                                  "此风险等级及更差等级至少由最低审批权限签批。"),
    "decisions.floor_level": ("Floor approval level (1 = first level of the approval table).",
                              "最低审批权限（1 为审批权限表第一级）。"),
    "decisions.covered_terms_days": ("Terms for an unrated buyer's limit carried by security or insurance.",
                                     "未评级客户凭担保或信用保险获得信用额度时的账期（天）。"),
    "monitoring.score_drop_alert": ("Alert when a score falls by at least this many points.",
                                    "信用评分下降达到此点数时提醒。"),
    "company.name": ("Our company's name, as statements and letters show it.", "本公司名称（对账单和催款函抬头）。"),
    "company.address": ("Our address (one line; statements and letters).", "本公司地址（一行）。"),
    "company.tax_id": ("Our tax or VAT ID (blank: not shown).", "本公司税号/统一社会信用代码（空白则不显示）。"),
    "company.contact_name": ("Who buyers contact about their account.", "客户对账联系人。"),
    "company.contact_email": ("That contact's e-mail address (letters are sent from it).",
                              "联系人电子邮箱（催款邮件的发件人）。"),
    "company.contact_phone": ("That contact's phone number.", "联系人电话。"),
    "company.bank_name": ("Bank to pay into (payment instructions).", "收款银行（付款说明）。"),
    "company.bank_account": ("Account number or IBAN to pay into.", "收款账号或 IBAN。"),
    "company.bank_swift": ("SWIFT/BIC code of that bank (blank: not shown).", "收款银行 SWIFT/BIC 代码（空白则不显示）。"),
    "input.decimal": ("Decimal separator of numbers typed as text: auto (decided per column), "
                      "point (1,234.56) or comma (1.234,56).",
                      "文本数字的小数点：auto（按列判断）、point（1,234.56）或 comma（1.234,56）。"),
    "input.date_order": ("Day and month order of dates typed as text: auto (decided per column), "
                         "DMY, MDY or YMD.",
                         "文本日期的日月顺序：auto（按列判断）、DMY、MDY 或 YMD。"),
    "provision.basis": ("Provision buckets by due_date (days past due) or invoice_date (age).",
                        "坏账准备分段依据：due_date 按逾期天数，invoice_date 按账龄。"),
    "provision.loss_rates": ("Loss rate per provision bucket, e.g. 0.5%, 2%, ...; blank: from history.",
                             "各分段的预期损失率，如 0.5%, 2%, ...；空白表示按历史迁徙率估计。"),
    "provision.loss_days": ("Loss state: written off, or more than this many days past due.",
                            "损失状态：已核销坏账，或逾期超过此天数。"),
    "provision.history_months": ("Month-ends of history used to estimate roll rates.",
                                 "估计迁徙率所用的历史月末数。"),
    "provision.outlook_factor": ("Forward-looking factor applied to historical loss rates (1: none).",
                                 "对历史损失率的前瞻性调整系数（1 表示不调整）。"),
    "provision.invoice_age_edges": ("Invoice-age bucket edges in days, e.g. 365, 730, 1095.",
                                    "账龄分段的天数界限，如 365, 730, 1095。"),
    "provision.legal_step_impairs": ("A buyer at the legal dunning step is credit-impaired (TRUE/FALSE).",
                                     "处于“委托催收机构或提起诉讼/仲裁”阶段的客户视为已发生信用减值（TRUE/FALSE）。"),
    "provision.impaired_recovery": ("Share expected back from a credit-impaired buyer (0-1).",
                                    "已发生信用减值客户的预计可收回比例（0-1）。"),
    "forecast.weeks": ("Weeks in the cash-collection forecast.", "回款预测的周数。"),
    "forecast.half_life_days": ("Paid history counts half as much every this many days back.",
                                "付款历史每早此天数，权重减半。"),
    "forecast.prior_invoices": ("Weight of the portfolio delay in each buyer's delay (invoices).",
                                "组合平均延迟在客户延迟估计中的权重（发票数）。"),
}

_TITLES: dict[str, tuple[str, str]] = {
    "tblPolicy": ("Settings", "参数设置"),
    "tblBands": ("Risk bands", "风险等级"),
    "tblLimitRules": ("Limit rules by band", "各风险等级信用额度规则"),
    "tblApproval": ("Approval levels", "审批权限"),
    "tblDunning": ("Dunning ladder", "催收阶段"),
    "tblFX": ("Exchange rates", "汇率"),
    "tblLetters": ("Dunning letter texts", "催款函文本"),
}


def describe_setting(key: str, language: str = "en") -> str:
    """The description of a setting in ``language``; a readable fallback for new settings.

    >>> describe_setting("limits.round_to")
    'Limits are rounded down to a multiple of this (0: no rounding).'
    >>> describe_setting("monitoring.new_thing")
    'monitoring: new thing.'
    """
    pair = DESCRIPTIONS.get(key)
    if pair is not None:
        return pair[1] if language == "zh-CN" else pair[0]
    section, _, rest = key.rpartition(".")
    return f"{section}: {rest.replace('_', ' ')}." if section else rest.replace("_", " ") + "."


def table_title(name: str, language: str) -> str:
    """The title shown above a policy table.

    >>> table_title("tblFX", "zh-CN")
    '汇率'
    """
    en, zh = _TITLES[name]
    return zh if language == "zh-CN" else en


# --------------------------------------------------------------------------- policy -> tables
def _cell(value: Any) -> Any:
    if isinstance(value, float) and math.isinf(value):
        return None  # blank = no maximum / any amount
    return value


#: Dunning channels: the code the policy keeps and the label a Chinese Policy sheet shows
#: (either is accepted when the sheet is read); labels in the catalogue (template.channel_*).
CHANNEL_CODES = ("email", "phone", "letter", "internal", "agency", "legal")
CHANNELS_ZH: dict[str, str] = {code: _catalogue_text(f"template.channel_{code}", "zh-CN") for code in CHANNEL_CODES}


def channel_code(value: Any) -> str:
    """The channel code of what a Policy sheet shows (its Chinese label or the code itself).

    >>> channel_code("电话"), channel_code(" email "), channel_code(None)
    ('phone', 'email', '')
    """
    if value is None:
        return ""
    shown = str(value).strip()
    return {zh: code for code, zh in CHANNELS_ZH.items()}.get(shown, shown)


def policy_tables(policy: Policy, language: str = "en") -> dict[str, pd.DataFrame]:
    """The Policy sheet's tables for ``policy``, headers in ``language``.

    >>> t = policy_tables(Policy(), "zh-CN")
    >>> list(t)
    ['tblPolicy', 'tblBands', 'tblLimitRules', 'tblApproval', 'tblDunning', 'tblFX', 'tblLetters']
    >>> t["tblBands"].columns.tolist()[:2]
    ['风险等级', '最低信用评分']
    """
    data = policy.to_dict()
    settings = policy.settings()
    rows: list[list[Any]] = []
    for key, value in settings.items():
        rows.append([key, value, describe_setting(key, language)])
        if key == "as_of":  # list settings right after the top-level ones
            for list_key in LIST_SETTINGS:
                section, name = list_key.split(".")
                text = ", ".join(f"{v:g}" for v in data[section][name])
                rows.append([list_key, text, describe_setting(list_key, language)])
    frames: dict[str, pd.DataFrame] = {}

    def frame(schema: TableSchema, records: list[list[Any]]) -> None:
        frames[schema.name] = pd.DataFrame(records, columns=schema.headers(language), dtype=object)

    frame(POLICY, rows)
    frame(BANDS, [[b.band, b.min_score, b.label_en, b.label_zh] for b in policy.score.bands])
    review = dict(policy.monitoring.review_months)
    frame(LIMIT_RULES, [
        [r.band, r.tnw_share, r.working_capital_share, r.revenue_share, r.payment_terms_days,
         _cell(r.max_limit), review.get(r.band)]
        for r in policy.limits.rules
    ])
    frame(APPROVAL, [[_cell(a.up_to), a.level_en, a.level_zh] for a in policy.limits.approval_levels])
    zh = language == "zh-CN"
    frame(DUNNING, [[d.from_days, d.step, d.action_en, d.action_zh, CHANNELS_ZH.get(d.channel, d.channel) if zh
                     else d.channel] for d in policy.dunning])
    fx = [[policy.base_currency, 1.0]] + [[c, r] for c, r in policy.fx_rates if c != policy.base_currency]
    frame(FX, fx)
    frame(LETTERS, [[t.step, t.language, t.subject, t.body] for t in policy.letters])
    return frames


# --------------------------------------------------------------------------- tables -> policy
def _typed(key: str, raw: Any, default: Any, rules: ReadingRules = DEFAULT_RULES) -> tuple[Any, str | None]:
    """Coerce a raw Value cell to the kind of its default; (value, problem)."""
    if isinstance(default, bool):
        p = to_flags([raw], key)
        value: Any = None if np.isnan(p.values[0]) else bool(p.values[0])
    elif isinstance(default, (int, float)):
        p = to_numbers([raw], key, rules=rules)
        value = None if np.isnan(p.values[0]) else float(p.values[0])
    elif key == "as_of":
        p = to_dates([raw], key, rules=rules)
        value = None if pd.isna(p.values[0]) else pd.Timestamp(p.values[0]).date()
    else:
        p = to_text([raw], key)
        value = p.values[0]
    return value, p.problems[0]


def _sheet_rules(keys: list[Any], values: list[Any]) -> ReadingRules:
    """The reading rules the Policy sheet sets for its own values (input.decimal and
    input.date_order; "auto" when absent or invalid, which is then listed as a problem)."""
    chosen = {str(k).strip(): v for k, v in zip(keys, values, strict=True) if k is not None}
    decimal = str(chosen.get("input.decimal") or "auto").strip()
    order = str(chosen.get("input.date_order") or "auto").strip()
    return ReadingRules(
        decimal=decimal if decimal in ("auto", "point", "comma") else "auto",
        date_order=order if order in ("auto", "DMY", "MDY", "YMD") else "auto",
    )


def _numbers_list(key: str, raw: Any) -> tuple[list[float] | None, str | None]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return [float(raw)], None
    parts = [s for s in str(raw).replace("，", ",").replace(";", ",").split(",") if s.strip()]
    p = to_numbers(parts, key)
    if not p.ok:
        return None, f"{key} must be numbers separated by commas; {p.first_problem()}"
    return p.values.tolist(), None


def _rows(t: ParsedTable) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for rec in t.frame.to_dict("records"):
        records.append({str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return records


def _inf(value: Any) -> Any:
    return "inf" if value is None else value


def _list_override(t: ParsedTable, policy: Policy) -> dict[str, Any]:
    rows = _rows(t)
    name = t.schema.name
    if name == "tblBands":
        return {"score": {"bands": [
            {"band": r["band"], "min_score": r["min_score"], "label_en": r["label_en"] or r["band"],
             "label_zh": r["label_zh"] or r["label_en"] or r["band"]} for r in rows]}}
    if name == "tblLimitRules":
        review = [[r["band"], r["review_months"]] for r in rows if r["review_months"] is not None]
        out: dict[str, Any] = {"limits": {"rules": [
            {"band": r["band"], "tnw_share": r["tnw_share"],
             "working_capital_share": r["working_capital_share"], "revenue_share": r["revenue_share"],
             "payment_terms_days": r["payment_terms_days"], "max_limit": _inf(r["max_limit"])}
            for r in rows]}}
        if review:
            out["monitoring"] = {"review_months": review}
        return out
    if name == "tblApproval":
        return {"limits": {"approval_levels": [
            {"up_to": _inf(r["up_to"]), "level_en": r["level_en"],
             "level_zh": r["level_zh"] or r["level_en"]} for r in rows]}}
    if name == "tblDunning":
        return {"dunning": [
            {"from_days": r["from_days"], "step": r["step"], "action_en": r["action_en"],
             "action_zh": r["action_zh"] or r["action_en"], "channel": channel_code(r["channel"])}
            for r in rows]}
    if name == "tblFX":
        return {"fx_rates": [[r["currency"], r["rate"]] for r in rows
                             if r["currency"] is not None and r["rate"] is not None
                             and r["currency"] != policy.base_currency]}
    if name == "tblLetters":
        return {"letters": [
            {"step": str(r["step"]).strip(), "language": _language(r["language"]), "subject": r["subject"],
             "body": str(r["body"]).replace("\r\n", "\n")} for r in rows]}
    raise SchemaError(f"{name} is not a policy table.")


def _language(value: Any) -> Any:
    from xlcredit.engine.policy import language_code

    return language_code(str(value)) or value


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def policy_from_tables(
    tables: dict[str, tuple[list[Any], list[list[Any]]]],
    *,
    sheet: str = "Policy",
    header_rows: dict[str, int] | None = None,
    base: Policy | None = None,
) -> tuple[Policy, list[Problem]]:
    """Build the policy from the Policy sheet's tables given as ``{name: (header, rows)}``.

    Tables that are absent keep the defaults. Each setting that breaks a rule is reported as
    a problem (its row on the sheet, the rule) and left at its default.

    Can a typo in one setting stop the whole refresh?

    >>> rows = [["limits.round_to", -5, ""], ["base_currency", "USD", ""]]
    >>> p, problems = policy_from_tables({"tblPolicy": (["Setting", "Value"], rows)})
    >>> p.base_currency, p.limits.round_to, problems[0].row, problems[0].rule
    ('USD', 1000.0, 2, 'limits.round_to must be a number >= 0; got -5.')
    """
    base = base or Policy()
    header_rows = header_rows or {}
    problems: list[Problem] = []
    defaults = base.settings()
    overrides: dict[str, Any] = {}
    accepted = base

    def attempt(candidate: dict[str, Any], row: int | None, column: str, value: Any) -> None:
        nonlocal overrides, accepted
        merged = _merge(overrides, candidate)
        try:
            accepted = base.with_overrides(merged)
        except PolicyError as exc:
            problems.append(Problem(sheet, row, column, value, str(exc)))
            return
        overrides = merged

    if "tblPolicy" in tables:
        header, rows = tables["tblPolicy"]
        hrow = header_rows.get("tblPolicy", 1)
        t = parse_table(header, rows, POLICY, sheet=sheet, header_row=hrow)
        problems.extend(t.problems)
        found = POLICY.resolve(header)
        raw_values = [rows[i][found["value"]] if found["value"] < len(rows[i]) else None for i in t.data_index]
        keys = t.frame["setting"].tolist()
        rules = _sheet_rules(keys, raw_values)
        lists = {str(k).strip(): p for p, k in enumerate(keys) if k is not None and str(k).strip() in LIST_SETTINGS}
        order = [p for p in range(len(keys)) if p not in lists.values()]
        order += [lists[k] for k in LIST_SETTINGS if k in lists]  # single values first
        pending: list[tuple[dict[str, Any], int, str, Any]] = []
        first_problem = len(problems)
        rank = {int(t.excel_rows[pos]): i for i, pos in enumerate(order)}
        for pos in order:
            key = keys[pos]
            row = int(t.excel_rows[pos])
            raw = raw_values[pos]
            if key is None or raw is None or (isinstance(raw, str) and not raw.strip()):
                if key == "as_of" or key is None:
                    continue
                continue  # blank: keep the default
            key = str(key).strip()
            if key in LIST_SETTINGS:
                numbers, problem = _numbers_list(key, raw)
                if problem:
                    problems.append(Problem(sheet, row, key, raw, problem))
                    continue
                section, name = key.split(".")
                pending.append(({section: {name: numbers}}, row, key, raw))
                continue
            if key in WORKBOOK_SETTINGS:  # about the workbook, not the credit policy
                if _whole_number(raw) is None:
                    problems.append(Problem(sheet, row, key, raw,
                                            str(Message("upgrade.bad_setting", {"value": raw}))))
                continue
            if key not in defaults:
                problems.append(Problem(sheet, row, key, raw,
                                        f"{key} is not a setting xlcredit knows; check its spelling"))
                continue
            value, problem = _typed(key, raw, defaults[key], rules)
            if problem:
                problems.append(Problem(sheet, row, key, raw, problem))
                continue
            node: dict[str, Any] = {}
            cursor = node
            parts = key.split(".")
            for part in parts[:-1]:
                cursor = cursor.setdefault(part, {})
            cursor[parts[-1]] = value
            pending.append((node, row, key, raw))
        # the settings together first: one policy build instead of one per row (each build
        # checks every rule); only when they break a rule together is each row tried in turn,
        # so the row to blame is named
        together = overrides
        for node, *_ in pending:
            together = _merge(together, node)
        try:
            accepted, overrides = base.with_overrides(together), together
        except PolicyError:
            for node, row, key, raw in pending:
                attempt(node, row, key, raw)
        # listed in the order the rows were read, whichever check found them
        problems[first_problem:] = sorted(problems[first_problem:], key=lambda q: rank.get(q.row or 0, -1))
    for schema in POLICY_TABLES[1:]:
        if schema.name not in tables:
            continue
        header, rows = tables[schema.name]
        hrow = header_rows.get(schema.name, 1)
        try:
            t = parse_table(header, rows, schema, sheet=sheet, header_row=hrow)
        except SchemaError as exc:
            problems.append(Problem(sheet, hrow, schema.name, "", f"{exc} The defaults are used."))
            continue
        if t.problems:
            problems.extend(t.problems)
            problems.append(Problem(sheet, hrow, schema.name, "",
                                    f"{schema.name} has unreadable cells; its defaults are used"))
            continue
        if not len(t.frame):
            continue
        attempt(_list_override(t, accepted), hrow, schema.name, "")
    return accepted, problems


def load_policy(workbook: Any, *, base: Policy | None = None) -> tuple[Policy, list[Problem]]:
    """Read the Policy sheet of a workbook (a :class:`~xlcredit.workbook.port.Workbook`).

    A workbook without policy tables runs on the defaults (``base``).

    Examples
    --------
    Which base currency and language does the Chinese template set?

    >>> import tempfile, pathlib
    >>> from xlcredit.workbook.templates import build_template
    >>> from xlcredit.workbook.files import FileWorkbook
    >>> path = build_template(pathlib.Path(tempfile.mkdtemp()) / "t.xlsx", lang="zh-CN")
    >>> with FileWorkbook.open(path, read_only=True) as book:
    ...     policy, problems = load_policy(book)
    >>> policy.base_currency, policy.language, problems
    ('CNY', 'zh-CN', [])
    """
    names = set(workbook.table_names())
    tables: dict[str, tuple[list[Any], list[list[Any]]]] = {}
    header_rows: dict[str, int] = {}
    sheet = "Policy"
    for schema in POLICY_TABLES:
        if schema.name in names:
            raw = workbook.read_table(schema.name)
            tables[schema.name] = (list(raw.header), [list(r) for r in raw.rows])
            header_rows[schema.name] = raw.header_row
            sheet = raw.sheet
    return policy_from_tables(tables, sheet=sheet, header_rows=header_rows, base=base)
