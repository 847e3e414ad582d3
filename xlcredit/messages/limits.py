"""Texts of the recommended credit limit: why a limit is what it is, and its capacity bases."""

TEXTS: dict[str, tuple[str, str]] = {
    'limits.need_covered': ('capacity covers the need', '授信能力足以覆盖需求'),
    'limits.no_need': ('no requested amount or annual sales given: limit = capacity', '未提供申请信用额度或预计年销售额：信用额度 = 授信能力'),
    'limits.no_basis': ('capacity unknown: equity, working capital and revenue are all blank', '授信能力未知：净资产、营运资金和营业收入均为空'),
    'limits.band_max': ("capped at the band's maximum limit", '以该风险等级的最高信用额度为上限'),
    'limits.insured_cap': ('capped at the insured limit', '以信保限额为上限'),
    'limits.insured_extend': ('extended to the insured limit', '提高至信保限额'),
    'limits.over_limit': ('current exposure exceeds the new limit', '风险敞口超过新信用额度'),
    'limits.negative': ('no capacity: negative {basis}', '无授信能力：{basis}为负'),
    'limits.limited': ('limited by {share:g}% of {basis}', '受限于{basis}的{share:g}%'),
    'limits.no_credit': ('band {band}: no credit (cash in advance or guarantee)', '{band}级：不赊销（预付款或担保）'),
    'limits.zero_share': ('band {band} gives no credit on {basis}', '{band}级不按{basis}授信'),
    'limits.no_rating': ('score unknown: band {band}', '信用评分未知：{band}级'),
    'limits.basis_equity': ('net worth', '净资产'),
    'limits.basis_working_capital': ('working capital', '营运资金'),
    'limits.basis_revenue': ('revenue', '营业收入'),
    'limits.shapes': ('arguments must have one value or the same number of rows; got {sizes}.', '各参数必须只有一个值或行数相同；实际为 {sizes}。'),
    'limits.bad_band': ('band must be one of {bands} (or blank); got {value}.', 'band（风险等级）必须为 {bands} 之一（或留空）；实际为 {value}。'),
}
