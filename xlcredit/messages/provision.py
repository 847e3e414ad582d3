"""Texts of the bad-debt provision: invoice-age bucket labels ({0}, {1}: years or days) and
how each loss rate was found."""

TEXTS: dict[str, tuple[str, str]] = {
    'provision.years_first': ('Within 1 year', '1年以内'),
    'provision.years_middle': ('{0}-{1} years', '{0}-{1}年'),
    'provision.years_last': ('Over {0} years', '{0}年以上'),
    'provision.days_first': ('Up to {0} days old', '{0}天以内'),
    'provision.days_middle': ('{0}-{1} days old', '{0}-{1}天'),
    'provision.days_last': ('Over {0} days old', '{0}天以上'),
    'provision.no_invoice': ('no invoice date', '无开票日期'),
    'provision.no_history': ('{0}: no history at the month-ends used; the rate of {1} is used', '{0}：所用月末无历史数据；采用{1}的损失率'),
    'provision.no_exit': ('{0}: no item left the bucket in the history used; the rate of {1} is used', '{0}：所用历史中无款项离开该分段；采用{1}的损失率'),
    'provision.last': ('{0}: no usable history and no older bucket; provided in full', '{0}：无可用历史且无更长账龄分段；全额计提'),
    'provision.no_limit': ('insurance enabled but no insured_limit column: every buyer is treated as insured without a cap', '已启用信用保险但客户表无“信保限额”列：所有客户视为投保且不设上限'),
    'provision.insolvent': ('insolvent', '破产'),
    'provision.legal_action': ('legal action', '提起诉讼/仲裁'),
    'provision.legal_step': ('legal step', '委托催收机构或提起诉讼/仲裁阶段'),
    'provision.duplicate_buyer': ('buyer_id must be listed once in the buyer table; got {value} twice.', '客户编号在客户表中只能出现一次；{value} 出现了两次。'),
    'provision.not_boolean': ('{name} must be TRUE or FALSE; got {value} for buyer {buyer}.', '{name} 必须为 TRUE 或 FALSE；客户 {buyer} 的值为 {value}。'),
    'provision.not_number': ('{name} must be a number; got {value} for buyer {buyer}.', '{name} 必须为数字；客户 {buyer} 的值为 {value}。'),
    'provision.not_share': ('{name} must be a number from 0 to 1; got {value} for buyer {buyer}.', '{name} 必须为 0 到 1 之间的数字；客户 {buyer} 的值为 {value}。'),
    'provision.negative': ('{name} must be a number >= 0; got {value} for buyer {buyer}.', '{name} 必须为 ≥ 0 的数字；客户 {buyer} 的值为 {value}。'),
    'provision.rate_count': ('rates must give one loss rate per bucket ({count}: {buckets}); got {value}.', 'rates 必须为每个账龄分段给出一个损失率（{count} 个：{buckets}）；实际为 {value} 个。'),
    'provision.bad_rate': ('rates must be numbers from 0 to 1 (5% = 0.05); got {value} for {bucket}.', 'rates 必须为 0 到 1 之间的数字（5% = 0.05）；{bucket} 的值为 {value}。'),
}
