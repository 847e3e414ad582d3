"""Texts of the recommended credit limit: why a limit is what it is, and its capacity bases."""

TEXTS: dict[str, tuple[str, str]] = {
    'limits.need_covered': ('capacity covers the need', '偿付能力足以覆盖需求'),
    'limits.no_need': ('no requested amount or annual sales given: limit = capacity', '未提供申请额度或年销售额：额度 = 偿付能力'),
    'limits.no_basis': ('capacity unknown: equity, working capital and revenue are all blank', '偿付能力未知：净资产、营运资金和营业收入均为空'),
    'limits.band_max': ("capped at the band's maximum limit", '以该等级的最高额度为上限'),
    'limits.insured_cap': ('capped at the insured limit', '以投保额度为上限'),
    'limits.insured_extend': ('extended to the insured limit', '按投保额度提高'),
    'limits.over_limit': ('current exposure exceeds the new limit', '当前敞口超过新额度'),
    'limits.negative': ('no capacity: negative {basis}', '无偿付能力：{basis}为负'),
    'limits.limited': ('limited by {share:g}% of {basis}', '受限于{basis}的{share:g}%'),
    'limits.no_credit': ('band {band}: no credit (cash in advance or guarantee)', '{band}级：不赊销（预付款或担保）'),
    'limits.zero_share': ('band {band} gives no credit on {basis}', '{band}级不按{basis}授信'),
    'limits.no_rating': ('score unknown: band {band}', '评分未知：{band}级'),
    'limits.basis_equity': ('tangible net worth', '有形净资产'),
    'limits.basis_working_capital': ('working capital', '营运资金'),
    'limits.basis_revenue': ('revenue', '营业收入'),
}
