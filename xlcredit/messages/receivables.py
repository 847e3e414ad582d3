"""Texts of the receivables figures (DSO, CEI, ART...): arguments that break a rule."""

TEXTS: dict[str, tuple[str, str]] = {
    'receivables.method': (
        "method must be 'standard' or 'countback'; got {method}.",
        "method 必须为 'standard' 或 'countback'，实际为 {method}。",
    ),
    'receivables.period_days_positive': (
        'period_days must be a number of days > 0; got {value}.',
        'period_days 必须为 > 0 的天数，实际为 {value}。',
    ),
    'receivables.period_days_shape': (
        'period_days must be one number or one per {per} ({value}); got {size}.',
        'period_days 必须为一个数，或每个 {per} 一个（{value} 个），实际为 {size} 个。',
    ),
    'receivables.sales_values': (
        '{name} has {size} values but sales has {size2}; give one sales figure per {name2} value, or list periods along the last axis.',
        '{name} 有 {size} 个值，而 sales 有 {size2} 个；请为每个 {name2} 值提供一个销售额，或沿最后一维列出各期。',
    ),
    'receivables.no_periods': (
        'sales must list at least one period; got none.',
        'sales 必须至少列出一期，实际为空。',
    ),
    'receivables.sales_shape': (
        'sales lists periods for {shape} buyers but {name} has shape {shape2}.',
        'sales 列出了 {shape} 个客户的各期数据，而 {name} 的形状为 {shape2}。',
    ),
    'receivables.months': (
        'months must be {rule}; got {value}.',
        'months 必须为 {rule}，实际为 {value}。',
    ),
    'receivables.cei_rows': (
        'cei arguments must have the same number of rows (or be single cells).',
        'CEI 的各参数必须行数相同（或为单个单元格）。',
    ),
    'receivables.same_rows': (
        '{names} and {names2} must have the same number of rows.',
        '{names} 和 {names2} 的行数必须相同。',
    ),
    'receivables.periods': (
        'periods must be a whole number >= 1; got {periods}.',
        'periods 必须为 ≥ 1 的整数，实际为 {periods}。',
    ),
    'receivables.period_days_whole': (
        'period_days must be a whole number of days >= 1; got {period_days}.',
        'period_days 必须为 ≥ 1 的整数天数，实际为 {period_days}。',
    ),
    'receivables.finite': ('a finite number', '有限数'),
}
