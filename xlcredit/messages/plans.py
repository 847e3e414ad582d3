"""Texts of payment plans: the rules an instalment plan's terms must meet (engine
:mod:`xlcredit.engine.plans`, the ``PAYMENT_PLAN`` functions and the Payment plan sheet).

``{name}`` is the argument as typed (``amount``, ``installments``); ``{value}`` what was given;
``{where}`` is blank or ``plans.row`` when a column of plans names its first broken row.
"""

TEXTS: dict[str, tuple[str, str]] = {
    "plans.blank": ("blank", "空白"),
    "plans.row": (" (row {row})", "（第 {row} 行）"),
    "plans.choice": (
        "{name} must be one of {choices}; got {value}.",
        "{name} 必须是 {choices} 之一，实际为 {value}。",
    ),
    "plans.not_number": ("{name} must be a number; got {value}.", "{name} 必须是数字，实际为 {value}。"),
    "plans.integer_range": (
        "{name} must be an integer from {lo} to {hi}; got {value}{where}.",
        "{name} 必须是 {lo} 至 {hi} 之间的整数，实际为 {value}{where}。",
    ),
    "plans.rate_range": (
        "{name} must be a number from 0 to 1 (give 8% or 0.08); got {value}{where}.",
        "{name} 必须是 0 至 1 之间的数（请输入 8% 或 0.08），实际为 {value}{where}。",
    ),
    "plans.not_date": (
        "{name} must be a date such as 2026-11-30; got {value}.",
        "{name} 必须是日期（如 2026-11-30），实际为 {value}。",
    ),
    "plans.amount_positive": (
        "amount must be > 0; got {value}{where}.",
        "amount 必须大于 0，实际为 {value}{where}。",
    ),
    "plans.amount_too_large": (
        "amount must be below 1e13 (10 trillion); got {value}{where}.",
        "amount 必须小于 1e13（10 万亿），实际为 {value}{where}。",
    ),
    "plans.down_range": (
        "down_payment must be >= 0 and < amount ({amount}); got {value}{where}.",
        "down_payment 必须 ≥ 0 且小于 amount（{amount}），实际为 {value}{where}。",
    ),
    "plans.down_leaves": (
        "down_payment must leave at least 0.01 to pay by instalments; got {value} of {amount}{where}.",
        "扣除 down_payment 后至少须留 0.01 分期支付；实际为 {amount} 中的 {value}{where}。",
    ),
    "plans.same_length": (
        "amount, installments, annual_rate and down_payment must be numbers of one length; got lengths {lengths}.",
        "amount、installments、annual_rate 和 down_payment 必须是长度相同的数字；实际长度为 {lengths}。",
    ),
    "plans.nothing_left": (
        "nothing to reschedule: after {paid} paid instalments of {n} the plan has no balance left and nothing is overdue.",
        "无需重新安排：共 {n} 期中已还 {paid} 期，计划已无剩余本金，也没有逾期款项。",
    ),
    "plans.keep_payment_too_low": (
        "mode 'keep_payment' needs an instalment above the interest of one period ({interest}); "
        "the instalment is {payment}. Use mode 'keep_term'.",
        "调整方式 'keep_payment' 要求每期还款额高于一期利息（{interest}）；每期还款额为 {payment}。"
        "请改用调整方式 'keep_term'。",
    ),
    "plans.too_long": (
        "installments must be at most {most}; {what} needs {n}. Use mode 'keep_term' or agree a higher instalment.",
        "installments 最多为 {most}；{what}需要 {n} 期。请改用调整方式 'keep_term' 或约定更高的每期还款额。",
    ),
    "plans.keeping_principal": (
        "keeping the principal of {amount} per instalment",
        "保持每期本金 {amount} ",
    ),
    "plans.keeping_installment": (
        "keeping the instalment of {amount}",
        "保持每期还款额 {amount} ",
    ),
}
