"""Texts of the Credit hold sheet (issue 14, item 3) and its ribbon button."""

TEXTS: dict[str, tuple[str, str]] = {
    "hold.title": ("Credit hold: no deliveries on credit to these buyers", "信用冻结名单：以下客户暂停赊销发货"),
    "hold.note": ("For sales and shipping, as of {date}; amounts in {ccy}. Rebuilt by every refresh from the "
                  "credit decisions on the Buyers sheet: a buyer leaves the list when its decision changes.",
                  "供销售和发货部门使用，截至 {date}；金额单位：{ccy}。每次刷新根据客户表的审批建议重新生成，"
                  "审批建议改变后客户自动移出名单。"),
    "hold.clear_note": ("Amount to clear: what the buyer must pay to be out of the deciding rule and within "
                        "the recommended limit. Blank under a manual decision: no payment clears it, ask "
                        "who decided.",
                        "需付清金额：客户须支付多少才能不再触发该审批依据、且风险敞口回到建议信用额度以内。"
                        "人工审批结论时为空：付款不能解除，请联系审批人。"),
    "hold.none": ("No buyer is on hold.", "目前没有被冻结的客户。"),
    "hold.to_clear": ("Amount to clear ({ccy})", "需付清金额（{ccy}）"),
    "hold.since": ("On hold since", "冻结起始日"),
    "hold.since_basis": ("How the date is known", "起始日依据"),
    "hold.basis_step": ("the day today's overdue at that dunning step added up to a material amount",
                        "当前处于该催收阶段的逾期款累计达到重大金额之日"),
    "hold.basis_promise": ("the day after the first broken promise to pay lapsed", "首次付款承诺逾期未兑现的次日"),
    "hold.basis_unknown": ("not known: the workbook holds no dated evidence for this rule",
                           "无法确定：工作簿中没有该审批依据的日期证据"),
    "hold.button": ("Credit hold", "信用冻结"),
    "hold.button_tip": ("Rebuild the Credit hold sheet: buyers on hold or suspended, why, the amount to clear, "
                        "since when and who owns them.",
                        "重新生成信用冻结名单：被暂停发货或暂停赊销的客户、原因、需付清金额、起始日和负责人。"),
}
