"""Texts of the template workbooks (Quick check, Policy, Read me, input checks). Terms follow the glossary of issue 15 item 2 (风险敞口, 可用额度,
审批建议, 信用额度 ...)."""

TEXTS: dict[str, tuple[str, str]] = {
    "template.quick_title": ("Quick check of one buyer", "单个客户快速评估"),
    "template.quick_note": ("Type the buyer's figures in column {column}; the results use the xlcredit functions "
                            "(load the xlcredit add-in). Blank means not known.",
                            "在 {column} 列输入客户数据；结果使用 xlcredit 函数（需加载 xlcredit 加载项）。空白表示未知。"),
    "template.input": ("Input", "输入"),
    "template.value": ("Value", "值"),
    "template.result": ("Result", "结果"),
    "template.score": ("TradeScore (1-100)", "信用评分（1-100）"),
    "template.equity": ("Net worth (assets - liabilities)", "净资产（资产 - 负债）"),
    "template.wc": ("Working capital", "营运资金"),
    "template.limit": ("Recommended credit limit", "建议信用额度"),
    "template.detail": ("Detail", "明细"),
    "template.limit_detail": ("Limit advice", "信用额度建议"),
    "template.exposure": ("Current exposure", "风险敞口"),
    "template.plan_title": ("Payment plan", "还款计划"),
    "template.amount": ("Amount owed", "欠款金额"),
    "template.installments": ("Instalments", "分期数"),
    "template.rate": ("Annual interest rate", "年利率"),
    "template.first_due": ("First due date", "首期到期日"),
    "template.frequency": ("Frequency", "频率"),
    "template.method": ("Method", "还款方式"),
    # values PAYMENT_PLAN understands in either language (xlcredit.engine.plans aliases)
    "template.monthly": ("monthly", "按月"),
    "template.annuity": ("annuity", "等额本息"),
    "template.policy_title": ("Credit policy", "信用政策"),
    "template.policy_note": ("Change the values in column {column} and the tables on the right; blank keeps the "
                             "default. Refresh checks every value and lists mistakes on the Problems sheet.",
                             "修改 {column} 列数值和右侧各表；空白表示使用默认值。刷新时会检查每个数值，错误列在“问题”表中。"),
    "template.help_title": ("xlcredit: credit control in Excel", "xlcredit：Excel 中的信用管理"),
    # the rows TRADESCORE_DETAIL and CREDIT_LIMIT_DETAIL spill, as the Quick check labels them
    "template.d_score": ("Score", "信用评分"),
    "template.d_band": ("Band", "风险等级"),
    "template.d_grade": ("Grade", "风险级别（1-10）"),
    "template.d_pd": ("PD 12m", "违约概率（12个月）"),
    "template.d_coverage": ("Data coverage", "数据完整度"),
    "template.d_reason": ("Reason {n}", "扣分原因 {n}"),
    "template.l_limit": ("Limit", "信用额度"),
    "template.l_decision": ("Decision", "审批建议"),
    "template.l_approval": ("Approval level", "审批权限"),
    "template.l_terms": ("Recommended terms (days)", "建议账期（天）"),
    "template.l_headroom": ("Headroom", "可用额度"),
    "template.l_why": ("Why", "原因"),
    # the Read me sheet, one line each
    "template.help_buyers": ("Buyers: one row per buyer. Type the white columns; the grey columns are written by "
                             "Refresh (score, band, limit, decision, action).",
                             "客户：每行一个客户。白色列由您填写；灰色列由“刷新”写入（信用评分、风险等级、信用额度、"
                             "审批建议、建议措施）。"),
    "template.help_invoices": ("Invoices: one row per invoice, open and paid. Credit notes are negative amounts; "
                               "Disputed = Y holds an invoice out of dunning.",
                               "发票：每行一张发票（未收和已收款）。红字发票金额为负数；争议 = 是 的发票暂停催收。"),
    "template.help_policy": ("Policy: every setting with its description; blank keeps the default.",
                             "信用政策：每个设置及其说明；空白表示使用默认值。"),
    "template.help_quick": ("Quick check: TRADESCORE, CREDIT_LIMIT and PAYMENT_PLAN for one buyer, as formulas.",
                            "快速评估：以公式计算单个客户的 TRADESCORE、CREDIT_LIMIT 和 PAYMENT_PLAN。"),
    "template.help_ribbon": ("xlcredit tab: Refresh all rebuilds Aging, Collections, Dashboard, Score history and "
                             "Problems. Your own columns on Collections (status, promise date, owner, notes) are kept.",
                             "xlcredit 选项卡：“全部刷新”会重建账龄、催收、仪表板、评分历史和问题表。"
                             "催收表中您自己填写的列（状态、承诺付款日、负责人、备注）会被保留。"),
    "template.help_cli": ("Without Excel: {command} does the same on a file.",
                          "不用 Excel：在命令行运行 {command}，对文件执行相同操作。"),
    # input checks (data validation) of the Buyers and Invoices tables
    "template.yes": ("Y", "是"),
    "template.no": ("N", "否"),
    "template.ccy_title": ("Currency", "币种"),
    "template.ccy_message": ("Not in the usual list; add its rate to the FX table on the Policy sheet.",
                             "不在常用币种列表中；请在汇率表中添加汇率。"),
    "template.risk_message": ("Type a whole number from 1 to 5.", "请输入 1 到 5 的整数。"),
    "template.share_message": ("Type a share from 0% to 100%.", "请输入 0% 到 100%。"),
    "template.date_message": ("Type a date such as 2026-11-28.", "请输入日期，如 2026-11-28。"),
}
