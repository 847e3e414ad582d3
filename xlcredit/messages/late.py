"""Texts of the late-payment rules (:mod:`xlcredit.engine.late_payment`): why a late-interest
figure is blank, and which preset or buyer type was not recognised.

``{name}`` is the column or argument as typed (``late_interest_preset``, ``buyer_type``).
"""

TEXTS: dict[str, tuple[str, str]] = {
    "late.preset_choice": (
        "{name} must be one of {choices}; got {value}",
        "{name} 必须是 {choices} 之一，实际为 {value}",
    ),
    "late.buyer_type_choice": (
        "{name} must be 机关/事业单位, 大型企业 or 中小企业; got {value}",
        "{name} 必须是 机关/事业单位、大型企业 或 中小企业，实际为 {value}",
    ),
    "late.same_length": (
        "amount, due_date, paid_or_as_of, preset, annual_rate and fixed_fee must have the same length "
        "(or be single values).",
        "amount、due_date、paid_or_as_of、preset、annual_rate 和 fixed_fee 的长度必须相同（或为单个值）。",
    ),
    "late.missing": ("{name} missing", "{name} 缺失"),
    "late.negative": ("{name} must be >= 0", "{name} 必须 ≥ 0"),
    "late.no_ecb_rate": (
        "no ECB reference rate for a half-year of the delay; add it to late_interest.ecb_rates",
        "逾期期间有半年没有欧洲央行参考利率；请在 late_interest.ecb_rates 中补充",
    ),
    "late.no_boe_rate": (
        "no Bank of England base rate for the half-year the debt became late; add it to late_interest.boe_rates",
        "款项逾期当时所在半年没有英格兰银行基准利率；请在 late_interest.boe_rates 中补充",
    ),
    "late.below_lpr": (
        "annual_rate below the one-year LPR ({lpr}) is not allowed under 保障中小企业款项支付条例",
        "根据《保障中小企业款项支付条例》，annual_rate 不得低于一年期 LPR（{lpr}）",
    ),
    "late.problem": ("{why}; {then}", "{why}；{then}"),
    "late.preset_fallback": (
        "the policy's late_interest.preset is used",
        "改用信用政策表中的 late_interest.preset",
    ),
    "late.no_statutory_check": (
        "no statutory payment-term check for this buyer",
        "不检查该客户的法定最长付款期限",
    ),
}
