"""The credit policy: every setting the engine uses, its default, and its rules.

Defaults live here and only here, as data. A team's Policy sheet (and a JSON file) holds
overrides; each override is validated with a message that names the setting, the rule and
the value found. The engine receives a :class:`Policy` and never reads settings elsewhere.

Sections: ``score`` (bands, grades, PD calibration), ``limits`` (per-band rules, need,
rounding, insured limits, approval levels), ``aging`` (bucket edges), ``dunning`` (the
ladder), ``collections``, ``insurance``, ``late_interest``, ``plans``, ``monitoring``,
``decisions``, ``provision`` (bad-debt provision), ``forecast`` (cash collections), ``company``
(our details on statements and letters), and at the top: language, base currency, as-of date
and FX rates.

Can a team change the rounding of limits to 5,000 and keep everything else?

>>> p = Policy.from_dict({"limits": {"round_to": 5000}})
>>> p.limits.round_to, p.limits.rules[1].band, p.limits.rules[1].tnw_share
(5000.0, 'B', 0.35)

Bad settings are refused with a message that says which, what rule, and what was found:

>>> Policy.from_dict({"limits": {"round_to": -5}})
Traceback (most recent call last):
...
xlcredit.engine.errors.PolicyError: limits.round_to must be a number >= 0; got -5.

The policy round-trips through JSON:

>>> Policy.from_json(Policy().to_json()) == Policy()
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import json
import math
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from xlcredit.engine.errors import PolicyError, describe
from xlcredit.messages import Message

__all__ = [
    "DEFAULT_POLICY",
    "LETTER_FIELDS",
    "PRESETS",
    "AgingPolicy",
    "ApprovalLevel",
    "CollectionsPolicy",
    "CompanyPolicy",
    "DecisionPolicy",
    "DunningStep",
    "ForecastPolicy",
    "InputPolicy",
    "InsurancePolicy",
    "LateInterestPolicy",
    "LetterText",
    "LimitPolicy",
    "LimitRule",
    "MonitoringPolicy",
    "PlanPolicy",
    "Policy",
    "ProvisionPolicy",
    "ScoreBand",
    "ScorePolicy",
    "TeamPolicy",
    "half_year_rates",
]

Language = Literal["en", "zh-CN"]
LANGUAGES: tuple[str, ...] = ("en", "zh-CN")
#: What people type for a language (compared lower-cased and stripped).
LANGUAGE_ALIASES: dict[str, str] = {
    "en": "en", "english": "en",
    "zh-cn": "zh-CN", "zh": "zh-CN", "cn": "zh-CN", "chinese": "zh-CN", "中文": "zh-CN",
    "简体中文": "zh-CN",
}


def language_code(text: str) -> str | None:
    """"en" or "zh-CN" for what a user typed, None when it names neither.

    >>> language_code(" ZH "), language_code("中文"), language_code("fr")
    ('zh-CN', 'zh-CN', None)
    """
    return LANGUAGE_ALIASES.get(text.strip().lower())


# --------------------------------------------------------------------------- validation
def _fail(setting: str, rule: Message, value: object, fix: Message | None = None) -> PolicyError:
    """"<setting> must be <rule>; got <value>." (the rule and the fix are catalogue texts)."""
    if fix is not None:
        return PolicyError(Message("policy.fail_fix", {"setting": setting, "rule": rule, "value": describe(value),
                                                       "fix": fix}))
    return PolicyError(Message("policy.fail", {"setting": setting, "rule": rule, "value": describe(value)}))


def _number(setting: str, value: object, lo: float | None = None, hi: float | None = None,
            *, integer: bool = False) -> float:
    kind = "integer" if integer else "number"
    if lo is not None and hi is not None:
        rule = Message(f"policy.{kind}_between", {"lo": f"{lo:g}", "hi": f"{hi:g}"})
    elif lo is not None:
        rule = Message(f"policy.{kind}_min", {"lo": f"{lo:g}"})
    elif hi is not None:
        rule = Message(f"policy.{kind}_max", {"hi": f"{hi:g}"})
    else:
        rule = Message(f"policy.{kind}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(str(value).replace(",", "").strip())  # "5,000" from a sheet cell
        except ValueError:
            raise _fail(setting, rule, value) from None
    number = float(value)
    if math.isnan(number) or (lo is not None and number < lo) or (hi is not None and number > hi):
        raise _fail(setting, rule, value)
    if integer and not number.is_integer():
        raise _fail(setting, rule, value)
    return number


def _choice(setting: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _fail(setting, Message("policy.one_of", {"choices": ", ".join(repr(c) for c in choices)}), value)
    return str(value)


def _ascending(setting: str, values: list[float], strict: bool = True) -> None:
    for a, b in itertools.pairwise(values):
        if b < a or (strict and b == a):
            raise _fail(setting, Message("policy.ascending"), values)


#: Late-interest preset names, in code order (code 0 = custom); the rules are in
#: :mod:`xlcredit.engine.late_payment`.
PRESETS: tuple[str, ...] = ("custom", "eu", "uk", "cn_sme", "lpr")
#: Chinese names people type for a preset (read, never shown: the labels are in the catalogue).
PRESET_ALIASES_ZH: dict[str, str] = {
    "自定义": "custom", "欧盟": "eu", "英国": "uk", "中小企业": "cn_sme",
    "中小企业款项支付条例": "cn_sme", "保障中小企业款项支付条例": "cn_sme", "lpr加成": "lpr",
}
#: Buyer types of the SME payment regulation as typed in the buyer_type column: code 0
#: unknown, 1 机关/事业单位, 2 大型企业, 3 中小企业.
BUYER_TYPES: tuple[str, ...] = ("", "机关/事业单位", "大型企业", "中小企业")
#: What people type for a buyer type, in either language.
BUYER_TYPE_ALIASES: dict[str, int] = {
    "机关/事业单位": 1, "机关": 1, "事业单位": 1, "机关事业单位": 1, "public": 1, "public body": 1,
    "大型企业": 2, "大企业": 2, "large": 2, "large enterprise": 2,
    "中小企业": 3, "中型企业": 3, "小型企业": 3, "微型企业": 3, "sme": 3,
}
#: The Chinese words Chinese lenders use for a payment plan's frequency, method and
#: rescheduling mode (read, never shown).
PLAN_ALIASES_ZH: dict[str, str] = {
    "每月": "monthly", "月": "monthly", "按月": "monthly",
    "每周": "weekly", "周": "weekly", "按周": "weekly",
    "双周": "biweekly", "每两周": "biweekly",
    "每季": "quarterly", "每季度": "quarterly", "季度": "quarterly", "按季": "quarterly",
    "等额本息": "annuity", "等额本金": "equal_principal",
    "保持月供": "keep_payment", "延长期限": "keep_payment",
    "保持期限": "keep_term", "提高月供": "keep_term",
}
_HALF = re.compile(r"^\s*(\d{4})\s*[Hh]\s*([12])\s*[:=]?\s*(-?[\d.]+)\s*(%?)\s*$")


def half_year_rates(text: str, setting: str = "late_interest.ecb_rates") -> dict[tuple[int, int], float]:
    """Parse a half-year rate table ``"2025H1 3.15%, 2025H2 2.15%"`` into
    ``{(2025, 1): 0.0315, (2025, 2): 0.0215}``.

    A number with ``%`` is a percent; without it, a fraction (0.0215) unless above 1.

    >>> half_year_rates("2025H1 3.15%; 2025H2 0.0215")
    {(2025, 1): 0.0315, (2025, 2): 0.0215}
    >>> half_year_rates("2025 3.15%")
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.PolicyError: late_interest.ecb_rates must be half-years with a rate, such as 2025H1 3.15%, 2025H2 2.15%; got '2025 3.15%'.
    """
    out: dict[tuple[int, int], float] = {}
    for part in re.split(r"[,;，；\n]", text or ""):
        if not part.strip():
            continue
        m = _HALF.match(part)
        if not m:
            raise PolicyError(Message("policy.half_years", {"setting": setting, "value": describe(part.strip())}))
        value = float(m.group(3))
        rate = value / 100 if (m.group(4) or value > 1) else value
        key = (int(m.group(1)), int(m.group(2)))
        if key in out:
            raise PolicyError(Message("policy.half_year_twice", {"setting": setting, "half": f"{m.group(1)}H{m.group(2)}"}))
        out[key] = round(rate, 10)
    return out


# --------------------------------------------------------------------------- sections
@dataclass(frozen=True)
class ScoreBand:
    """A risk band: scores from ``min_score`` up to the next band's minimum."""

    band: str
    min_score: float
    label_en: str
    label_zh: str


@dataclass(frozen=True)
class ScorePolicy:
    """How a 1..100 score becomes a band, a grade and a probability of default.

    Bands follow the market's A..E reading (Creditsafe: A 71-100, B 51-70, C 30-50,
    D 1-29, E not rated). A buyer whose data coverage is below ``min_coverage`` is band E,
    "not rated": too little is known to trust the score. Grades run 1 (best) .. 10, as credit
    insurers grade. PD over 12 months = 1 / (1 + exp(-(pd_intercept + pd_slope * score))),
    fitted on real data (docs/model.md), kept within [pd_floor, pd_cap].
    """

    bands: tuple[ScoreBand, ...] = (
        ScoreBand("A", 71, "Very low risk", "风险很低"),
        ScoreBand("B", 51, "Low risk", "风险较低"),
        ScoreBand("C", 30, "Moderate risk", "风险中等"),
        ScoreBand("D", 1, "High risk", "风险较高"),
    )
    not_rated_band: str = "E"
    not_rated_label_en: str = "Not rated (too little data)"
    not_rated_label_zh: str = "未评级（数据不足）"
    min_coverage: float = 0.25
    #: Minimum score of grades 1, 2, ... 9; grade 10 is everything below the last.
    grade_min_scores: tuple[float, ...] = (90, 80, 70, 60, 50, 40, 30, 20, 10)
    #: Fitted by scripts/model_report.py on 5year.arff (6.94 % bankrupt within a year);
    #: see docs/model.md for lowering the intercept to a portfolio's own default rate.
    pd_intercept: float = 0.024
    pd_slope: float = -0.0451
    pd_floor: float = 0.0003
    pd_cap: float = 0.99
    #: Yearly default rate of the sample the intercept was fitted on (5year.arff: 6.94 %).
    calibration_default_rate: float = 0.0694
    #: The team's own yearly default rate (0: not known, the calibration's rate is kept).
    #: When set, the intercept is shifted by the prior correction of docs/model.md.
    portfolio_default_rate: float = 0.0
    #: Invoices with a known outcome (paid, or open past their due date) a buyer needs
    #: before it is rated from payment behaviour alone (no statements).
    min_history_invoices: float = 6

    def validate(self, prefix: str = "score") -> None:
        if not self.bands:
            raise _fail(f"{prefix}.bands", Message("policy.one_band"), self.bands)
        mins = [_number(f"{prefix}.bands.min_score", b.min_score, 1, 100) for b in self.bands]
        _ascending(f"{prefix}.bands.min_score (from worst to best band)", mins[::-1])
        if min(mins) > 1:
            raise _fail(f"{prefix}.bands", Message("policy.band_at_1"), mins)
        names = [b.band for b in self.bands] + [self.not_rated_band]
        if len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
            raise _fail(f"{prefix}.bands.band", Message("policy.unique_names"), names)
        _number(f"{prefix}.min_coverage", self.min_coverage, 0, 1)
        grades = [_number(f"{prefix}.grade_min_scores", g, 1, 100) for g in self.grade_min_scores]
        _ascending(f"{prefix}.grade_min_scores (from grade 9 to grade 1)", grades[::-1])
        _number(f"{prefix}.pd_intercept", self.pd_intercept, -50, 50)
        _number(f"{prefix}.pd_slope", self.pd_slope, -5, 0)
        floor = _number(f"{prefix}.pd_floor", self.pd_floor, 0, 1)
        _number(f"{prefix}.pd_cap", self.pd_cap, floor, 1)
        _number(f"{prefix}.calibration_default_rate", self.calibration_default_rate, 0.0001, 0.9999)
        rate = _number(f"{prefix}.portfolio_default_rate", self.portfolio_default_rate, 0, 0.9999)
        if 0 < rate < 0.0001:
            raise _fail(f"{prefix}.portfolio_default_rate", Message("policy.default_rate"), rate)
        _number(f"{prefix}.min_history_invoices", self.min_history_invoices, 1, 10_000, integer=True)

    @property
    def intercept(self) -> float:
        """The PD intercept in use: ``pd_intercept`` shifted to the portfolio's own default
        rate when one is set (prior correction, docs/model.md); the slope stays.

        pd_intercept + ln(r / (1 - r)) - ln(r0 / (1 - r0)), r the portfolio's rate and r0
        the calibration sample's. For r = 2 %: 0.024 - 3.892 + 2.596 = -1.272.

        >>> round(ScorePolicy(portfolio_default_rate=0.02).intercept, 3), ScorePolicy().intercept
        (-1.272, 0.024)
        """
        r = self.portfolio_default_rate
        if r <= 0:
            return self.pd_intercept
        r0 = self.calibration_default_rate
        return self.pd_intercept + math.log(r / (1 - r)) - math.log(r0 / (1 - r0))

    def band_codes(self, scores: Any, coverage: Any = None) -> Any:
        """Index into :attr:`band_names` of each score (0 = best band); the not-rated band
        for an unknown score or a coverage below ``min_coverage``. Vectorised.

        >>> ScorePolicy().band_codes([85.0, 60.0, 29.5, float("nan")]).tolist()
        [0, 1, 3, 4]
        """
        import numpy as np  # policy stays importable without numpy for JSON tooling

        s = np.atleast_1d(np.asarray(scores, dtype=float))
        code = np.zeros(s.shape, dtype=np.int8)
        with np.errstate(invalid="ignore"):
            for band in self.bands[:-1]:  # one comparison per band, not per buyer
                code += s < band.min_score
            not_rated = np.isnan(s)
            if coverage is not None:
                not_rated |= np.broadcast_to(np.asarray(coverage, dtype=float), s.shape) < self.min_coverage
        code[not_rated] = len(self.bands)
        return code

    @property
    def band_names(self) -> tuple[str, ...]:
        """Band names from best to worst, not-rated last: ('A', 'B', 'C', 'D', 'E')."""
        return (*(b.band for b in self.bands), self.not_rated_band)


@dataclass(frozen=True)
class LimitRule:
    """Capacity shares and recommended terms for one band.

    Capacity = the smallest of ``tnw_share`` x net worth, ``working_capital_share``
    x working capital and ``revenue_share`` x revenue, over the bases that are known.
    ``payment_terms_days`` = 0 means cash in advance.
    """

    band: str
    tnw_share: float
    working_capital_share: float
    revenue_share: float
    payment_terms_days: float
    max_limit: float = math.inf


@dataclass(frozen=True)
class ApprovalLevel:
    """Who signs a limit of up to ``up_to`` (inclusive)."""

    up_to: float
    level_en: str
    level_zh: str


@dataclass(frozen=True)
class LimitPolicy:
    """Credit-limit rules: need, capacity per band, rounding, insurance, authority."""

    rules: tuple[LimitRule, ...] = (
        LimitRule("A", 0.40, 0.40, 0.08, 60),
        LimitRule("B", 0.35, 0.30, 0.05, 45),
        LimitRule("C", 0.20, 0.20, 0.03, 30),
        LimitRule("D", 0.05, 0.05, 0.01, 15),
        LimitRule("E", 0.0, 0.0, 0.0, 0),
    )
    #: Need = annual sales x (terms + buffer) / 365: one more month of deliveries is
    #: normally shipped before the oldest invoice is paid.
    need_buffer_days: float = 30
    default_payment_terms_days: float = 30
    #: Limits are rounded down to a multiple of this (0: no rounding).
    round_to: float = 1000
    #: What an insured limit does: "cap" (never above it), "extend" (at least it), "ignore".
    insured_limit_rule: str = "extend"
    #: A limit below this share of the request is "approve reduced" rather than "approve".
    approve_share: float = 1.0
    #: Negative working capital is left out of capacity (not read as zero capacity) for
    #: this band and the better ones, whose score already priced the weak liquidity (e.g. a
    #: retailer paid in cash by its customers); worse bands get no capacity from it.
    #: "none" (or blank): negative working capital always gives 0.
    negative_wc_ignored_to_band: str = "B"
    approval_levels: tuple[ApprovalLevel, ...] = (
        ApprovalLevel(10_000, "Credit clerk", "信用专员"),
        ApprovalLevel(50_000, "Credit manager", "信用经理"),
        ApprovalLevel(250_000, "Finance director", "财务总监"),
        ApprovalLevel(math.inf, "Credit committee", "信用委员会"),
    )

    def validate(self, bands: tuple[str, ...], prefix: str = "limits") -> None:
        names = [r.band for r in self.rules]
        if sorted(names) != sorted(bands):
            raise _fail(f"{prefix}.rules", Message("policy.rule_per_band", {"bands": "/".join(bands)}), names)
        for r in self.rules:
            where = f"{prefix}.rules[{r.band}]"
            _number(f"{where}.tnw_share", r.tnw_share, 0, 10)
            _number(f"{where}.working_capital_share", r.working_capital_share, 0, 10)
            _number(f"{where}.revenue_share", r.revenue_share, 0, 10)
            _number(f"{where}.payment_terms_days", r.payment_terms_days, 0, 720)
            _number(f"{where}.max_limit", r.max_limit, 0)
        # A better band never gets less: shares, maximum and terms fall from best to worst.
        ordered = [self.rule(b) for b in bands]
        for better, worse in itertools.pairwise(ordered):
            for attr in ("tnw_share", "working_capital_share", "revenue_share", "max_limit",
                         "payment_terms_days"):
                if getattr(worse, attr) > getattr(better, attr):
                    raise _fail(
                        f"{prefix}.rules[{worse.band}].{attr}",
                        Message("policy.not_above_better", {"band": better.band,
                                                            "value": f"{getattr(better, attr):g}"}),
                        getattr(worse, attr),
                    )
        _number(f"{prefix}.need_buffer_days", self.need_buffer_days, 0, 365)
        _number(f"{prefix}.default_payment_terms_days", self.default_payment_terms_days, 0, 720)
        _number(f"{prefix}.round_to", self.round_to, 0)
        _choice(f"{prefix}.insured_limit_rule", self.insured_limit_rule, ("cap", "extend", "ignore"))
        _number(f"{prefix}.approve_share", self.approve_share, 0, 1)
        if self.negative_wc_ignored_to_band not in ("", "none", *bands[:-1]):
            raise _fail(f"{prefix}.negative_wc_ignored_to_band",
                        Message("policy.none_or_band", {"bands": "/".join(bands[:-1])}),
                        self.negative_wc_ignored_to_band)
        if not self.approval_levels:
            raise _fail(f"{prefix}.approval_levels", Message("policy.one_level"), self.approval_levels)
        ups = [_number(f"{prefix}.approval_levels.up_to", a.up_to, 0) for a in self.approval_levels]
        _ascending(f"{prefix}.approval_levels.up_to", ups)
        if not math.isinf(ups[-1]):
            raise _fail(f"{prefix}.approval_levels", Message("policy.any_amount_level"), ups[-1])

    def rule(self, band: str) -> LimitRule:
        """The rule of a band."""
        for r in self.rules:
            if r.band == band:
                return r
        raise PolicyError(Message("policy.no_rule", {"band": repr(band)}))


@dataclass(frozen=True)
class AgingPolicy:
    """Aging buckets by days past due: not due, 1-30, 31-60, 61-90, 91-120, over 120."""

    bucket_edges: tuple[float, ...] = (30, 60, 90, 120)

    def validate(self, prefix: str = "aging") -> None:
        edges = [_number(f"{prefix}.bucket_edges", e, 1, 36500, integer=True) for e in self.bucket_edges]
        _ascending(f"{prefix}.bucket_edges", edges)


@dataclass(frozen=True)
class DunningStep:
    """One rung of the dunning ladder, reached ``from_days`` after the due date."""

    from_days: float
    step: str
    action_en: str
    action_zh: str
    channel: str


@dataclass(frozen=True)
class CollectionsPolicy:
    """How the worklist ranks and holds items."""

    #: Days after a promised payment date before the promise counts as broken.
    promise_grace_days: float = 3
    #: Disputed invoices are held out of dunning until resolved.
    hold_disputed: bool = True
    #: Days between the steps' follow-ups when no later step is due.
    follow_up_days: float = 7
    #: Ladder steps a broken promise jumps beyond the step its days overdue give (0: none).
    broken_promise_extra_steps: float = 1
    #: Priority = 100 x weighted mean of amount, age and buyer-risk components (each 0..1).
    weight_amount: float = 0.5
    weight_age: float = 0.3
    weight_risk: float = 0.2

    def validate(self, prefix: str = "collections") -> None:
        _number(f"{prefix}.promise_grace_days", self.promise_grace_days, 0, 365)
        _number(f"{prefix}.follow_up_days", self.follow_up_days, 1, 365)
        _number(f"{prefix}.broken_promise_extra_steps", self.broken_promise_extra_steps, 0, 10, integer=True)
        for name in ("weight_amount", "weight_age", "weight_risk"):
            _number(f"{prefix}.{name}", getattr(self, name), 0, 1)
        if self.weight_amount + self.weight_age + self.weight_risk <= 0:
            raise _fail(f"{prefix}.weight_amount + weight_age + weight_risk", Message("policy.positive"), 0)
        if not isinstance(self.hold_disputed, bool):
            raise _fail(f"{prefix}.hold_disputed", Message("policy.true_false"), self.hold_disputed)


@dataclass(frozen=True)
class InsurancePolicy:
    """Credit-insurance deadlines counted from the due date, and the share covered."""

    enabled: bool = False
    #: Overdue (threatened loss) notification within this many days of the due date.
    notification_days: float = 60
    #: Own payment extensions only up to this many days after the original due date.
    max_extension_days: float = 120
    #: Claim to be filed within this many days after the end of the maximum extension.
    claim_filing_days: float = 30
    cover_share: float = 0.9
    #: The worklist flags a deadline this many days ahead (and every deadline passed).
    deadline_warning_days: float = 7

    def validate(self, prefix: str = "insurance") -> None:
        if not isinstance(self.enabled, bool):
            raise _fail(f"{prefix}.enabled", Message("policy.true_false"), self.enabled)
        _number(f"{prefix}.notification_days", self.notification_days, 0, 720)
        _number(f"{prefix}.max_extension_days", self.max_extension_days, 0, 720)
        _number(f"{prefix}.claim_filing_days", self.claim_filing_days, 0, 720)
        _number(f"{prefix}.cover_share", self.cover_share, 0, 1)
        _number(f"{prefix}.deadline_warning_days", self.deadline_warning_days, 0, 365)


#: Country texts that name a home country (compared stripped and upper-cased) besides its
#: ISO code, as people type them in a buyer table's country column.
HOME_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "CN": ("CN", "CHN", "CHINA", "PRC", "中国", "中华人民共和国", "中国大陆"),
}


@dataclass(frozen=True)
class LateInterestPolicy:
    """Statutory late interest (EU Directive 2011/7/EU: reference rate + 8 points, EUR 40)."""

    enabled: bool = False
    reference_rate: float = 0.0215
    margin: float = 0.08
    fixed_fee: float = 40.0
    fee_currency: str = "EUR"
    day_basis: float = 365
    #: Preset of buyers with none of their own: custom (the rate and fee above), eu, uk,
    #: cn_sme, lpr (see :mod:`xlcredit.engine.late_payment`).
    preset: str = "custom"
    #: ECB main refinancing rate in force on 1 January / 1 July of each half-year
    #: (Directive 2011/7/EU Art. 2(7); ECB key interest rates).
    ecb_rates: str = "2024H1 4.50%, 2024H2 4.25%, 2025H1 3.15%, 2025H2 2.15%, 2026H1 2.15%"
    #: Bank of England base rate on 31 December / 30 June, for the half-year after
    #: (Late Payment of Commercial Debts (Interest) Act 1998, reference rate).
    boe_rates: str = "2024H1 5.25%, 2024H2 5.25%, 2025H1 4.75%, 2025H2 4.25%, 2026H1 3.75%"
    #: One-year loan prime rate (贷款市场报价利率, 1年期), 3.00 % since 20 May 2025.
    lpr: float = 0.03
    #: LPR preset: LPR x (1 + markup); commercial practice 30-50 % (0.3-0.5).
    lpr_markup: float = 0.5
    #: TRUE when we (the seller) are an SME (中小企业): the SME payment regulation protects us.
    seller_is_sme: bool = True
    #: Warn this many days before a claim becomes time-barred (诉讼时效).
    limitation_warning_days: float = 90
    #: Our country (ISO code): a buyer elsewhere is an international sale (4-year limitation).
    home_country: str = "CN"

    def validate(self, prefix: str = "late_interest") -> None:
        _choice(f"{prefix}.preset", self.preset, PRESETS)
        half_year_rates(self.ecb_rates, f"{prefix}.ecb_rates")
        half_year_rates(self.boe_rates, f"{prefix}.boe_rates")
        _number(f"{prefix}.lpr", self.lpr, 0, 0.5)
        _number(f"{prefix}.lpr_markup", self.lpr_markup, 0, 5)
        _number(f"{prefix}.limitation_warning_days", self.limitation_warning_days, 0, 3650, integer=True)
        if not isinstance(self.seller_is_sme, bool):
            raise _fail(f"{prefix}.seller_is_sme", Message("policy.true_false"), self.seller_is_sme)
        if not (isinstance(self.home_country, str) and re.fullmatch(r"[A-Z]{2}", self.home_country)):
            raise _fail(f"{prefix}.home_country", Message("policy.country"), self.home_country)
        if not isinstance(self.enabled, bool):
            raise _fail(f"{prefix}.enabled", Message("policy.true_false"), self.enabled)
        _number(f"{prefix}.reference_rate", self.reference_rate, -0.05, 1)
        _number(f"{prefix}.margin", self.margin, 0, 1)
        _number(f"{prefix}.fixed_fee", self.fixed_fee, 0)
        _currency(f"{prefix}.fee_currency", self.fee_currency)
        _choice(f"{prefix}.day_basis", str(int(self.day_basis)) if isinstance(self.day_basis, (int, float)) else self.day_basis, ("360", "365"))

    @property
    def annual_rate(self) -> float:
        """Reference rate plus margin: 0.0215 + 0.08 = 0.1015."""
        return self.reference_rate + self.margin


@dataclass(frozen=True)
class TeamPolicy:
    """One team policy shared by several workbooks (docs/teams.md).

    A workbook names the team's policy ``source`` (a team policy workbook or a JSON file
    written by ``xlcredit policy export``, usually on a shared drive) and the settings it keeps
    as its own (``local_settings``, dotted names separated by commas). The team policy sets
    its ``name``, its ``version`` and whether workbooks may keep local settings at all
    (``allow_local``). How the two combine is :mod:`xlcredit.engine.team`.
    """

    source: str = ""
    local_settings: str = ""
    name: str = ""
    version: str = ""
    allow_local: bool = True

    def validate(self, prefix: str = "team") -> None:
        if not isinstance(self.allow_local, bool):
            raise _fail(f"{prefix}.allow_local", "TRUE or FALSE", self.allow_local)

    def local_names(self) -> tuple[str, ...]:
        """The settings named in ``local_settings``, in order, each once.

        >>> TeamPolicy(local_settings="limits.round_to; base_currency，limits.round_to").local_names()
        ('limits.round_to', 'base_currency')
        """
        parts = re.split(r"[,;，；\s]+", self.local_settings or "")
        return tuple(dict.fromkeys(p for p in parts if p))


@dataclass(frozen=True)
class CompanyPolicy:
    """Our company as statements of account and dunning letters show it: name, address,
    tax ID, the contact a buyer answers, and where to pay. Blank fields are left off."""

    name: str = ""
    address: str = ""
    tax_id: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    bank_name: str = ""
    bank_account: str = ""
    bank_swift: str = ""

    def validate(self, prefix: str = "company") -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, str):
                raise _fail(f"{prefix}.{f.name}", Message("policy.text"), value)
        if self.contact_email and ("@" not in self.contact_email or " " in self.contact_email.strip()):
            raise _fail(f"{prefix}.contact_email", Message("policy.email"),
                        self.contact_email)


#: The merge fields a letter text may use, with what each becomes.
LETTER_FIELDS: dict[str, str] = {
    "buyer": "the buyer's name",
    "contact": "the buyer's contact (Buyers table; blank: a greeting without a name)",
    "overdue_total": "the amount asked for, per currency (disputed and promised items left out)",
    "oldest_due_date": "the oldest due date among those items",
    "invoice_list": "one line per invoice asked for: number, due date, open amount, days overdue",
    "left_out": "which items are left out and why (disputed, promised); blank when none",
    "interest": "late interest to date, per currency; blank when the policy charges none",
    "next_step": "the next step of the dunning ladder and its date; blank at the last step",
    "our_contact": "our contact: name, e-mail, phone (company settings)",
    "our_company": "our company's name",
    "statement_date": "the date of the letter and of its statement",
}


@dataclass(frozen=True)
class LetterText:
    """The text of the dunning letter (or e-mail) for one step of the ladder in one language;
    ``{field}`` marks a merge field of :data:`LETTER_FIELDS`."""

    step: str
    language: str
    subject: str
    body: str

    def validate(self, prefix: str = "letters") -> None:
        import string

        _choice(f"{prefix}.language", self.language, LANGUAGES)
        for part in ("subject", "body"):
            text = getattr(self, part)
            if not isinstance(text, str) or not text.strip():
                raise _fail(f"{prefix}[{self.step}].{part}", Message("policy.text"), text)
            try:
                names = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
            except ValueError:
                raise _fail(f"{prefix}[{self.step}].{part}", Message("policy.braces", {"example": "{field}"}), text) from None
            for name in names:
                if name not in LETTER_FIELDS:
                    raise _fail(f"{prefix}[{self.step}].{part}",
                                Message("policy.merge_fields",
                                        {"fields": ", ".join("{" + f + "}" for f in LETTER_FIELDS)}),
                                "{" + name + "}")


_EN_SIGN = "\n\nKind regards,\n{our_contact}\n{our_company}"
_ZH_SIGN = "\n\n此致\n敬礼\n{our_company}\n{our_contact}"
_EN_LIST = "\n\n{invoice_list}\n\nTotal overdue: {overdue_total}\n{interest}\n{left_out}"
_ZH_LIST = "\n\n{invoice_list}\n\n逾期合计：{overdue_total}\n{interest}\n{left_out}"
DEFAULT_LETTERS: tuple[LetterText, ...] = (
    LetterText("reminder", "en", "Payment reminder from {our_company}",
               "Dear {contact},\n\nOur records show the invoices below as unpaid; the oldest fell due on "
               "{oldest_due_date}. Perhaps this has crossed with your payment; if not, we would be grateful "
               "for payment at your earliest convenience. The statement of your account is attached."
               + _EN_LIST + _EN_SIGN),
    LetterText("reminder", "zh-CN", "{our_company}付款提醒",
               "{contact}您好：\n\n经核对，贵司以下发票尚未付款，最早一笔已于 {oldest_due_date} 到期。如已付款，"
               "请忽略本函；如尚未付款，烦请尽快安排。随附贵司对账单。" + _ZH_LIST + _ZH_SIGN),
    LetterText("second_reminder", "en", "Second reminder: overdue invoices",
               "Dear {contact},\n\nWe wrote to you about the invoices below and have not yet received "
               "payment. Please settle the overdue amount within 7 days or let us know when we can expect it."
               + _EN_LIST + "\n{next_step}" + _EN_SIGN),
    LetterText("second_reminder", "zh-CN", "第二次付款提醒：逾期发票",
               "{contact}您好：\n\n我司此前已就以下发票致函贵司，至今尚未收到款项。请于 7 日内支付逾期款项，"
               "或告知预计付款时间。" + _ZH_LIST + "\n{next_step}" + _ZH_SIGN),
    LetterText("call", "en", "Overdue account: we will call you",
               "Dear {contact},\n\nYour account remains overdue despite our reminders. We will call you "
               "in the coming days to agree on payment; please have the invoices below at hand."
               + _EN_LIST + "\n{next_step}" + _EN_SIGN),
    LetterText("call", "zh-CN", "逾期账款：我司将致电联系",
               "{contact}您好：\n\n经多次提醒，贵司账款仍然逾期。我司将于近日致电贵司商定付款安排，"
               "请备好以下发票信息。" + _ZH_LIST + "\n{next_step}" + _ZH_SIGN),
    LetterText("stop_supply", "en", "Deliveries on hold: overdue account",
               "Dear {contact},\n\nAs the invoices below remain unpaid, further deliveries to you are on "
               "hold until the overdue amount is paid." + _EN_LIST + "\n{next_step}" + _EN_SIGN),
    LetterText("stop_supply", "zh-CN", "暂停供货通知：账款逾期",
               "{contact}您好：\n\n因以下发票仍未付款，我司将暂停对贵司的后续供货，直至逾期款项付清。"
               + _ZH_LIST + "\n{next_step}" + _ZH_SIGN),
    LetterText("final_demand", "en", "Final demand for payment",
               "Dear {contact},\n\nDespite our reminders the invoices below remain unpaid. We demand "
               "payment of the overdue amount within 10 days of this letter. Otherwise we will pass the "
               "matter on without further notice." + _EN_LIST + "\n{next_step}" + _EN_SIGN),
    LetterText("final_demand", "zh-CN", "最后催款函",
               "{contact}您好：\n\n经我司多次催告，以下发票仍未付款。请贵司于本函发出之日起 10 日内付清逾期款项，"
               "否则我司将不再另行通知，依法采取进一步措施。" + _ZH_LIST + "\n{next_step}" + _ZH_SIGN),
    LetterText("agency_legal", "en", "Notice: account passed to collection",
               "Dear {contact},\n\nAs the invoices below remain unpaid after our final demand, the matter "
               "is being passed to our collection agency or lawyers. Payment in full now is the only way "
               "to avoid further costs." + _EN_LIST + _EN_SIGN),
    LetterText("agency_legal", "zh-CN", "通知：账款已转交催收",
               "{contact}您好：\n\n我司发出最后催款函后，以下发票仍未付款，本案将转交催收机构或律师处理。"
               "立即全额付款可避免产生进一步费用。" + _ZH_LIST + _ZH_SIGN),
)


@dataclass(frozen=True)
class PlanPolicy:
    """Payment-plan defaults."""

    #: "following": a due date on Saturday or Sunday moves to Monday; "none": kept.
    weekend_rule: str = "following"
    frequency: str = "monthly"
    method: str = "annuity"

    def validate(self, prefix: str = "plans") -> None:
        _choice(f"{prefix}.weekend_rule", self.weekend_rule, ("following", "none"))
        _choice(f"{prefix}.frequency", self.frequency, ("monthly", "weekly", "biweekly", "quarterly"))
        _choice(f"{prefix}.method", self.method, ("annuity", "equal_principal"))


@dataclass(frozen=True)
class MonitoringPolicy:
    """Alerts on score changes and review cycles of credit files."""

    score_drop_alert: float = 10
    review_months: tuple[tuple[str, float], ...] = (("A", 12), ("B", 12), ("C", 6), ("D", 3), ("E", 3))

    def validate(self, prefix: str = "monitoring") -> None:
        _number(f"{prefix}.score_drop_alert", self.score_drop_alert, 0, 100)
        for band, months in self.review_months:
            _number(f"{prefix}.review_months[{band}]", months, 1, 60)


@dataclass(frozen=True)
class DecisionPolicy:
    """What turns a score, a limit and the ledger into a decision (docs/limits.md).

    Overdue money counts only above materiality: its amount must reach
    ``materiality_amount`` (base currency) **and** ``materiality_share`` of the exposure, so
    the bank charges an export buyer short-pays never stop its deliveries.
    """

    #: Dunning step (of the ladder) from which deliveries are held until overdue is paid;
    #: a ladder without a step of that name holds from its last step.
    hold_from_step: str = "stop_supply"
    #: Dunning step from which credit is suspended (collection agency or legal action).
    suspend_from_step: str = "agency_legal"
    materiality_amount: float = 500
    materiality_share: float = 0.01
    #: This band and worse get no unsecured credit: only security held plus insured cover
    #: (at ``insurance.cover_share``) can carry a limit, signed at least at ``floor_level``.
    secured_from_band: str = "D"
    #: Approval floor: this band and worse (and every secured limit) are signed at least by
    #: approval level number ``floor_level`` (1 = the first, credit clerk).
    floor_from_band: str = "D"
    floor_level: float = 2
    #: Terms for an unrated buyer's limit carried by security or insurance (never cash terms).
    covered_terms_days: float = 30

    def validate(self, bands: tuple[str, ...], steps: tuple[str, ...], levels: int,
                 prefix: str = "decisions") -> None:
        for setting in ("hold_from_step", "suspend_from_step"):
            value = getattr(self, setting)
            if not isinstance(value, str) or not value:
                raise _fail(f"{prefix}.{setting}", Message("policy.step_name"), value)
        if self.step_number(self.suspend_from_step, steps) < self.step_number(self.hold_from_step, steps):
            raise _fail(f"{prefix}.suspend_from_step",
                        Message("policy.step_or_later", {"step": repr(self.hold_from_step)}), self.suspend_from_step)
        _number(f"{prefix}.materiality_amount", self.materiality_amount, 0)
        _number(f"{prefix}.materiality_share", self.materiality_share, 0, 1)
        _choice(f"{prefix}.secured_from_band", self.secured_from_band, bands)
        _choice(f"{prefix}.floor_from_band", self.floor_from_band, bands)
        _number(f"{prefix}.floor_level", self.floor_level, 1, levels, integer=True)
        _number(f"{prefix}.covered_terms_days", self.covered_terms_days, 1, 720)

    @staticmethod
    def step_number(name: str, steps: tuple[str, ...]) -> int:
        """1-based number of a named step on the ladder; a name the ladder lacks (a team's
        own ladder) means its last step, so holding never silently stops.

        >>> DecisionPolicy.step_number("stop_supply", ("reminder", "call", "stop_supply"))
        3
        >>> DecisionPolicy.step_number("stop_supply", ("mail", "call"))
        2
        """
        return steps.index(name) + 1 if name in steps else len(steps)


@dataclass(frozen=True)
class InputPolicy:
    """How typed text is read (docs/reading.md): "auto" decides per column from the values
    that can mean only one thing and lists the rest on the Problems sheet."""

    #: Decimal separator of numbers typed as text: auto, point (1,234.56) or comma (1.234,56).
    decimal: str = "auto"
    #: Order of day and month in dates typed as text: auto, DMY, MDY or YMD.
    date_order: str = "auto"

    def validate(self, prefix: str = "input") -> None:
        _choice(f"{prefix}.decimal", self.decimal, ("auto", "point", "comma"))
        _choice(f"{prefix}.date_order", self.date_order, ("auto", "DMY", "MDY", "YMD"))


@dataclass(frozen=True)
class ProvisionPolicy:
    """Bad-debt provision (IFRS 9 simplified approach, 坏账准备): see docs/provision.md.

    ``loss_rates`` blank: rates are estimated from the ledger's own history (roll rates over
    ``history_months`` month-ends) and multiplied by ``outlook_factor``; given: one rate per
    bucket, used as they are. The loss state is "written off, or more than ``loss_days``
    days past due".
    """

    #: "due_date": buckets by days past due (the aging edges below ``loss_days``, then
    #: ``loss_days``); "invoice_date": by age since the invoice date (账龄).
    basis: str = "due_date"
    loss_rates: tuple[float, ...] = ()
    loss_days: float = 180
    history_months: float = 24
    outlook_factor: float = 1.0
    #: Edges of the invoice-date buckets in days: 1年以内, 1-2年, 2-3年, 3年以上.
    invoice_age_edges: tuple[float, ...] = (365, 730, 1095)
    #: A buyer with an open item at the last dunning step (agency or legal) is credit-impaired.
    legal_step_impairs: bool = False
    #: Share of a credit-impaired buyer's balance expected to be recovered (0-1).
    impaired_recovery: float = 0.0

    def validate(self, prefix: str = "provision") -> None:
        _choice(f"{prefix}.basis", self.basis, ("due_date", "invoice_date"))
        for rate in self.loss_rates:
            _number(f"{prefix}.loss_rates", rate, 0, 1)
        _number(f"{prefix}.loss_days", self.loss_days, 1, 3650, integer=True)
        _number(f"{prefix}.history_months", self.history_months, 1, 120, integer=True)
        _number(f"{prefix}.outlook_factor", self.outlook_factor, 0, 10)
        if not self.invoice_age_edges:
            raise _fail(f"{prefix}.invoice_age_edges", Message("policy.one_age_edge"), self.invoice_age_edges)
        edges = [_number(f"{prefix}.invoice_age_edges", e, 1, 36500, integer=True)
                 for e in self.invoice_age_edges]
        _ascending(f"{prefix}.invoice_age_edges", edges)
        if not isinstance(self.legal_step_impairs, bool):
            raise _fail(f"{prefix}.legal_step_impairs", Message("policy.true_false"), self.legal_step_impairs)
        _number(f"{prefix}.impaired_recovery", self.impaired_recovery, 0, 1)

    def bucket_edges(self, aging_edges: tuple[float, ...]) -> tuple[int, ...]:
        """Edges of the provision buckets: invoice-age edges, or the aging edges below
        ``loss_days`` followed by ``loss_days`` (the last bucket is then the loss state).

        >>> ProvisionPolicy().bucket_edges((30, 60, 90, 120))
        (30, 60, 90, 120, 180)
        >>> ProvisionPolicy(loss_days=90).bucket_edges((30, 60, 90, 120))
        (30, 60, 90)
        """
        if self.basis == "invoice_date":
            return tuple(int(e) for e in self.invoice_age_edges)
        return (*(int(e) for e in aging_edges if e < self.loss_days), int(self.loss_days))

    def bucket_count(self, aging_edges: tuple[float, ...]) -> int:
        """Number of provision buckets (the number of ``loss_rates`` to give)."""
        extra = 1 if self.basis == "invoice_date" else 2
        return len(self.bucket_edges(aging_edges)) + extra


@dataclass(frozen=True)
class ForecastPolicy:
    """Cash-collection forecast: see docs/forecast.md."""

    weeks: float = 13
    #: Paid history counts half as much every this many days back (recent history first).
    half_life_days: float = 180
    #: Weight (in paid invoices) of the portfolio delay in each buyer's expected delay.
    prior_invoices: float = 2

    def validate(self, prefix: str = "forecast") -> None:
        _number(f"{prefix}.weeks", self.weeks, 1, 104, integer=True)
        _number(f"{prefix}.half_life_days", self.half_life_days, 1, 3650)
        _number(f"{prefix}.prior_invoices", self.prior_invoices, 0, 1000)


def _currency(setting: str, code: object) -> str:
    if not (isinstance(code, str) and len(code) == 3 and code.isalpha() and code.isupper()):
        raise _fail(setting, Message("policy.currency"), code)
    return code


DEFAULT_DUNNING: tuple[DunningStep, ...] = (
    DunningStep(1, "reminder", "Friendly reminder", "友好提醒", "email"),
    DunningStep(15, "second_reminder", "Second reminder", "第二次提醒", "email"),
    DunningStep(30, "call", "Phone call", "电话催收", "phone"),
    DunningStep(45, "stop_supply", "Stop supply", "停止供货", "internal"),
    DunningStep(60, "final_demand", "Final demand", "最后催款函", "letter"),
    DunningStep(90, "agency_legal", "Collection agency or legal action", "委托催收机构或提起诉讼/仲裁", "agency"),
)


@dataclass(frozen=True)
class Policy:
    """A whole credit policy. Immutable: derive variants with :meth:`with_overrides`."""

    language: str = "en"
    base_currency: str = "EUR"
    #: None means "today" at the time of a run.
    as_of: dt.date | None = None
    #: Value of one unit of each currency in the base currency.
    fx_rates: tuple[tuple[str, float], ...] = (("EUR", 1.0),)
    score: ScorePolicy = field(default_factory=ScorePolicy)
    limits: LimitPolicy = field(default_factory=LimitPolicy)
    aging: AgingPolicy = field(default_factory=AgingPolicy)
    dunning: tuple[DunningStep, ...] = DEFAULT_DUNNING
    collections: CollectionsPolicy = field(default_factory=CollectionsPolicy)
    insurance: InsurancePolicy = field(default_factory=InsurancePolicy)
    late_interest: LateInterestPolicy = field(default_factory=LateInterestPolicy)
    plans: PlanPolicy = field(default_factory=PlanPolicy)
    monitoring: MonitoringPolicy = field(default_factory=MonitoringPolicy)
    decisions: DecisionPolicy = field(default_factory=DecisionPolicy)
    input: InputPolicy = field(default_factory=InputPolicy)
    provision: ProvisionPolicy = field(default_factory=ProvisionPolicy)
    forecast: ForecastPolicy = field(default_factory=ForecastPolicy)
    company: CompanyPolicy = field(default_factory=CompanyPolicy)
    letters: tuple[LetterText, ...] = DEFAULT_LETTERS
    team: TeamPolicy = field(default_factory=TeamPolicy)

    def __post_init__(self) -> None:
        self.validate()

    # ------------------------------------------------------------------ rules
    def validate(self) -> None:
        """Check every setting; raise :class:`PolicyError` naming the first one broken."""
        _choice("language", self.language, LANGUAGES)
        _currency("base_currency", self.base_currency)
        if self.as_of is not None and not isinstance(self.as_of, dt.date):
            raise _fail("as_of", Message("policy.as_of"), self.as_of)
        seen: set[str] = set()
        for code, rate in self.fx_rates:
            _currency("fx_rates.currency", code)
            _number(f"fx_rates[{code}]", rate, 0)
            if rate == 0:
                raise _fail(f"fx_rates[{code}]", Message("policy.a_positive_number"), rate)
            if code in seen:
                raise _fail("fx_rates.currency", Message("policy.listed_once"), code)
            seen.add(code)
        self.score.validate()
        self.limits.validate(self.score.band_names)
        self.aging.validate()
        if not self.dunning:
            raise _fail("dunning", Message("policy.one_step"), self.dunning)
        days = [_number("dunning.from_days", s.from_days, 1, 3650) for s in self.dunning]
        _ascending("dunning.from_days", days)
        steps = [s.step for s in self.dunning]
        if len(set(steps)) != len(steps):
            raise _fail("dunning.step", Message("policy.unique_steps"), steps)
        self.collections.validate()
        self.insurance.validate()
        self.late_interest.validate()
        self.plans.validate()
        self.monitoring.validate()
        self.decisions.validate(self.score.band_names, tuple(steps), len(self.limits.approval_levels))
        self.input.validate()
        self.provision.validate()
        self.forecast.validate()
        wanted = self.provision.bucket_count(self.aging.bucket_edges)
        if self.provision.loss_rates and len(self.provision.loss_rates) != wanted:
            raise _fail("provision.loss_rates", Message("policy.loss_rates", {"wanted": wanted}),
                        list(self.provision.loss_rates))
        self.company.validate()
        self.team.validate()
        pairs = [(t.step, t.language) for t in self.letters]
        for text in self.letters:  # a text for a step not on the ladder is unused (letters lists it)
            text.validate()
        if len(set(pairs)) != len(pairs):
            raise _fail("letters", Message("policy.letter_pairs"), sorted(p for p in pairs if pairs.count(p) > 1)[0])

    def letter(self, step: str, language: str) -> LetterText | None:
        """The letter text of a step in a language (None when the team has none).

        >>> Policy().letter("final_demand", "zh-CN").subject
        '最后催款函'
        """
        return next((t for t in self.letters if t.step == step and t.language == language), None)

    # ------------------------------------------------------------------ helpers
    def fx_rate(self, currency: str) -> float | None:
        """Value of one unit of ``currency`` in the base currency; None when not listed.

        >>> Policy(base_currency="CNY", fx_rates=(("USD", 7.1),)).fx_rate("CNY")
        1.0
        """
        if currency == self.base_currency:
            return 1.0
        return dict(self.fx_rates).get(currency)

    def as_of_date(self) -> dt.date:
        """The as-of date of a run: the policy's, else today."""
        return self.as_of or dt.date.today()

    def with_overrides(self, overrides: dict[str, Any]) -> Policy:
        """A copy with nested overrides applied (same shape as :meth:`to_dict`)."""
        return _build(Policy, _merge(self.to_dict(), overrides), "")

    # ------------------------------------------------------------------ persistence
    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, dicts, numbers, text): the shape of the JSON file."""
        return _to_plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Policy:
        """Defaults overridden by ``data``; unknown settings are refused by name."""
        return _build(cls, _merge(Policy().to_dict(), data), "")

    def to_json(self) -> str:
        """JSON text, with inf written as the string "inf" (JSON has no infinity)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Policy:
        """Read a policy written by :meth:`to_json` (or a partial one: the rest is default)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyError(Message("policy.bad_json", {"error": exc.msg, "line": exc.lineno})) from None
        if not isinstance(data, dict):
            raise PolicyError(Message("policy.json_object"))
        return cls.from_dict(data)

    def settings(self) -> dict[str, Any]:
        """The single-value settings as dotted keys (what the Policy sheet's key/value table
        holds); lists such as bands and the dunning ladder are tables of their own.

        >>> Policy().settings()["limits.round_to"]
        1000.0
        """
        flat: dict[str, Any] = {}

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(f"{prefix}.{k}" if prefix else k, v)
            elif not isinstance(value, list):
                flat[prefix] = value

        walk("", self.to_dict())
        return flat

    @classmethod
    def from_settings(cls, settings: dict[str, Any], base: Policy | None = None) -> Policy:
        """Apply dotted-key settings (from the Policy sheet) on top of ``base``.

        >>> Policy.from_settings({"limits.round_to": "5,000", "language": "zh-CN"}).limits.round_to
        5000.0
        """
        nested: dict[str, Any] = {}
        for key, value in settings.items():
            node = nested
            parts = str(key).strip().split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
        return (base or Policy()).with_overrides(nested)


DEFAULT_POLICY = Policy()


# --------------------------------------------------------------------------- plumbing
def _to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_to_plain(v) for v in value]
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for k, v in override.items():
            merged[k] = _merge(base[k], v) if k in base else v
        return merged
    return override


@functools.cache
def _hints(cls: Any) -> dict[str, Any]:
    """The settings' types of a policy dataclass, evaluated once per class (evaluating the
    annotations compiles their text: it cost a refresh seconds when done per build)."""
    return typing.get_type_hints(cls)


def _build(cls: Any, data: Any, prefix: str) -> Any:
    """Turn plain data back into the dataclass ``cls``, naming any unknown setting."""
    if not isinstance(data, dict):
        raise _fail(prefix or "policy", Message("policy.group"), data)
    names = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(names))
    if unknown:
        where = f"{prefix}." if prefix else ""
        raise PolicyError(Message("policy.unknown_setting", {"setting": f"{where}{unknown[0]}",
                                                             "known": ", ".join(sorted(names))}))
    hints = _hints(cls)
    kwargs = {k: _convert(hints[k], v, f"{prefix}.{k}" if prefix else k) for k, v in data.items()}
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise PolicyError(Message("policy.build", {"setting": prefix or "policy", "error": str(exc)})) from None


def _convert(hint: Any, value: Any, setting: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if isinstance(value, hint):
            return value
        return _build(hint, value, setting)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise _fail(setting, Message("policy.list"), value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v, setting) for v in value)
        if len(value) != len(args):
            raise _fail(setting, Message("policy.list_of", {"n": len(args)}), value)
        return tuple(_convert(a, v, setting) for a, v in zip(args, value, strict=True))
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value, setting)
    if hint is float:
        if isinstance(value, str) and value.strip().lower() in ("inf", "-inf", "infinity"):
            return math.inf if not value.strip().startswith("-") else -math.inf
        return _number(setting, value)
    if hint is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "y", "1", "是"):
            return True
        if text in ("false", "no", "n", "0", "否"):
            return False
        raise _fail(setting, Message("policy.true_false"), value)
    if hint is dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise _fail(setting, Message("policy.date"), value, Message("policy.try_iso")) from None
    if hint is str:
        if not isinstance(value, str):
            raise _fail(setting, Message("policy.text"), value)
        return value.strip()
    return value
