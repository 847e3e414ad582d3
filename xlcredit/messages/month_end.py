"""Texts of the month-end sheets (issue 14, items 4 and 5): Provision (坏账准备), its history,
the write-off log (已核销坏账) and the cash-collection Forecast (回款预测), with their ribbon
buttons and the problems their inputs raise."""

TEXTS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ Provision sheet
    "month_end.provision_title": ("Bad-debt provision (IFRS 9 simplified approach)",
                                  "坏账准备（IFRS 9 简化方法）"),
    "month_end.provision_note": (
        "As of {date}; amounts in {ccy}. Rebuilt by every refresh; the method is in docs/provision.md.",
        "截至 {date}；金额单位：{ccy}。每次刷新重新生成；方法见 docs/provision.md。"),
    "month_end.provision_rule": (
        "Lifetime expected credit losses: open balance x the loss rate of its bucket; credit-impaired buyers "
        "are provided individually: balance x (1 - expected recovery).",
        "整个存续期预期信用损失：未收余额 × 所在账龄分段的损失率；已发生信用减值的客户单项计提："
        "余额 × (1 - 预计收回比例)。"),
    "month_end.rates_policy": ("Loss rates: given by the policy (provision.loss_rates), used as they are.",
                               "损失率：信用政策给定（provision.loss_rates），直接采用。"),
    "month_end.rates_history": (
        "Loss rates: estimated from the ledger's own history by roll rates over {months} month-ends, "
        "times the outlook factor {factor} (the last bucket is the loss state: 100 %).",
        "损失率：按本账簿过去 {months} 个月末的迁徙率估计，再乘以前瞻性调整系数 {factor}"
        "（最后一个分段为损失状态：100%）。"),
    "month_end.basis_due": ("Buckets by days past due; loss state: written off or over {days} days past due.",
                            "按逾期天数分段；损失状态：已核销坏账或逾期超过 {days} 天。"),
    "month_end.basis_invoice": ("Buckets by age since the invoice date (账龄).",
                                "按开票日起算的账龄分段。"),
    "month_end.insurance_note": (
        "Expected insurance recovery is shown apart and not netted: separately bought credit insurance is "
        "not part of the receivable's terms (IFRS 9 B5.5.55).",
        "预计保险赔付单独列示、不抵减坏账准备：单独购买的信用保险不属于应收账款合同条款的组成部分"
        "（IFRS 9 B5.5.55）。"),
    "month_end.totals": ("Totals", "合计"),
    "month_end.open_balance": ("Open balance", "应收余额"),
    "month_end.collective": ("Collective provision", "组合计提"),
    "month_end.individual": ("Individual provision", "单项计提"),
    "month_end.gross": ("Gross provision", "坏账准备（总额）"),
    "month_end.closing_gross": ("Gross provision (closing)", "坏账准备（期末总额）"),
    "month_end.recovery": ("Expected insurance recovery", "预计保险赔付"),
    "month_end.net": ("Net of insurance", "扣除保险后净额"),
    "month_end.written_off_total": ("Written off to date", "累计已核销坏账"),
    "month_end.matrix_title": ("Provision matrix", "坏账准备计提矩阵"),
    "month_end.bucket": ("Bucket", "账龄分段"),
    "month_end.balance": ("Balance (collective)", "余额（组合）"),
    "month_end.history_rate": ("Historical loss rate", "历史损失率"),
    "month_end.loss_rate": ("Loss rate used", "采用损失率"),
    "month_end.provision": ("Provision", "坏账准备"),
    "month_end.in_loss": ("Of which in loss state", "其中处于损失状态"),
    "month_end.roll_title": ("Roll rates: where each bucket's balance was one month-end later "
                             "(amount-weighted shares)",
                             "迁徙率：各分段余额在下一个月末的去向（按金额加权的比例）"),
    "month_end.exposure": ("Exposure", "风险敞口"),
    "month_end.to_loss": ("To loss state", "转入损失状态"),
    "month_end.paid": ("Paid", "已收回"),
    "month_end.notes_title": ("Notes", "备注"),
    "month_end.buyers_title": ("Provision per buyer and bucket, and the movement since {previous}",
                               "按客户和账龄分段的坏账准备，及自 {previous} 以来的变动"),
    "month_end.buyers_title_first": ("Provision per buyer and bucket (no earlier period in the Provision "
                                     "history: opening 0)",
                                     "按客户和账龄分段的坏账准备（坏账准备历史中无以前期间：期初为 0）"),
    "month_end.impaired": ("Credit-impaired", "已发生信用减值"),
    "month_end.opening": ("Opening ({period})", "期初（{period}）"),
    "month_end.opening_none": ("Opening", "期初"),
    "month_end.increase": ("Increase", "本期计提"),
    "month_end.release": ("Release", "本期转回"),
    "month_end.closing": ("Closing", "期末"),
    "month_end.written_off_period": ("Written off in period", "本期已核销坏账"),
    "month_end.wo_title": ("Invoices written off (from the Write-offs sheet): out of the open balance",
                           "已核销坏账的发票（来自已核销坏账工作表）：不再计入应收余额"),
    "month_end.wo_date": ("Date written off", "坏账核销日期"),
    "month_end.wo_amount": ("Amount written off ({ccy})", "已核销坏账金额（{ccy}）"),
    "month_end.wo_paid_after_col": ("Payment dated after the write-off", "坏账核销后有收款"),
    "month_end.wo_none": ("No invoice written off by this date.", "截至该日没有已核销坏账的发票。"),
    "month_end.invoice": ("Invoice no", "发票号"),
    "month_end.yes": ("yes: book it as a recovery", "是：作为已核销坏账收回入账"),
    "month_end.provision_button": ("Provision", "坏账准备"),
    "month_end.provision_tip": (
        "Rebuild the Provision sheet (坏账准备): provision matrix, per buyer and bucket, insurance apart, "
        "movement since the last month-end, and add this month-end to the Provision history.",
        "重新生成坏账准备工作表：计提矩阵、按客户和账龄分段的坏账准备、单独列示保险赔付、"
        "自上月末以来的变动，并将本月末记入坏账准备历史。"),
    # ------------------------------------------------------------------ history and write-off log
    "month_end.history_title": ("Provision history: one row per buyer and month-end (refresh adds the "
                                "month; earlier months are never rewritten)",
                                "坏账准备历史：每个客户每个月末一行（刷新时添加本月；以前月份不会被改写）"),
    "month_end.wo_sheet_title": ("Write-offs: invoices written off as bad debts",
                                 "已核销坏账：坏账核销登记"),
    "month_end.wo_sheet_note": (
        "Type one row per invoice written off, with its date, reason and approver.",
        "每张已核销坏账的发票填写一行，注明坏账核销日期、原因和审批人。"),
    "month_end.wo_sheet_note2": (
        "From that date the invoice leaves the open balance everywhere (aging, collections, statements, "
        "forecast, provision), whatever a later import says. Delete the row to reopen it.",
        "自该日起，该发票不再计入任何应收余额（账龄、催收、对账单、回款预测、坏账准备），"
        "此后导入的数据也不改变这一点。删除该行即恢复为未收款项。"),
    "month_end.wo_unknown": ("invoice {invoice} on the Write-offs sheet is not in the Invoices table; the row "
                             "is not used",
                             "已核销坏账工作表中的发票 {invoice} 不在发票表中；该行未被采用"),
    "month_end.wo_buyer": ("invoice {invoice} belongs to buyer {ledger} in the Invoices table, not {typed}; "
                           "the write-off is not used until the row is corrected",
                           "发票 {invoice} 在发票表中属于客户 {ledger}，而非 {typed}；更正该行之前不采用此坏账核销"),
    "month_end.wo_twice": ("invoice {invoice} is written off twice; the earlier date {date} is used",
                           "发票 {invoice} 被重复核销坏账；采用较早的日期 {date}"),
    "month_end.wo_paid_after": (
        "invoice {invoice} was written off on {date} but the Invoices table shows a payment on {paid}: the "
        "write-off stands (it stays out of the open balance); book the payment as a recovery of a "
        "written-off debt, or delete the Write-offs row to reopen the invoice",
        "发票 {invoice} 已于 {date} 核销坏账，但发票表显示 {paid} 有收款：坏账核销仍然有效（不计入应收余额）；"
        "请将该款项作为已核销坏账收回入账，或删除已核销坏账工作表中的该行以恢复该发票"),
    "month_end.wo_settled": ("invoice {invoice} was settled on {paid}, before its write-off on {date}: "
                             "nothing was left to write off",
                             "发票 {invoice} 已于 {paid} 结清，早于坏账核销日期 {date}：没有可核销的余额"),
    "month_end.wo_amount_differs": (
        "invoice {invoice}: amount written off {typed} differs from its open amount {open} {ccy} on the day "
        "before; the whole open amount leaves the balance (part write-offs are not supported)",
        "发票 {invoice}：坏账核销金额 {typed} 与核销前一日的未收金额 {open} {ccy} 不一致；"
        "全部未收金额转出（不支持部分核销坏账）"),
    "month_end.wo_reopened": (
        "invoice {invoice} was written off on {date} (Write-offs sheet) and this export shows it open: the "
        "write-off stands and it stays out of the open balance; delete its Write-offs row to reopen it",
        "发票 {invoice} 已于 {date} 核销坏账（见已核销坏账工作表），本次导入显示其仍未收款："
        "坏账核销仍然有效，不计入应收余额；如需恢复，请删除已核销坏账工作表中的该行"),
    # ------------------------------------------------------------------ Forecast sheet
    "month_end.forecast_title": ("Cash-collection forecast: the next {weeks} weeks",
                                 "回款预测：未来 {weeks} 周"),
    "month_end.forecast_note": (
        "As of {date}; amounts in {ccy}. Each open invoice is expected on its promise date, else on its due "
        "date plus the buyer's expected delay learned from its paid history (docs/forecast.md).",
        "截至 {date}；金额单位：{ccy}。每张未收发票按承诺付款日预计回款；无承诺时按到期日加上"
        "根据该客户付款历史得出的预计延迟天数（见 docs/forecast.md）。"),
    "month_end.forecast_note2": (
        "Items already past their expected date are in week 1. Disputed items are apart, not forecast.",
        "已过预计日期的款项计入第 1 周。有争议的款项单独列示，不计入预测。"),
    "month_end.week": ("Week", "周次"),
    "month_end.week_label": ("W{n}", "第{n}周"),
    "month_end.week_from": ("From", "起始日"),
    "month_end.week_to": ("To", "截止日"),
    "month_end.expected": ("Expected collections ({ccy})", "预计回款（{ccy}）"),
    "month_end.items": ("Invoices", "发票数"),
    "month_end.later": ("Expected after week {weeks}", "第 {weeks} 周之后预计回款"),
    "month_end.disputed": ("Disputed, not forecast", "有争议款项（不计入预测）"),
    "month_end.portfolio_delay": ("Portfolio delay (days after due date)", "组合平均延迟天数（到期日后）"),
    "month_end.chart_title": ("Expected collections per week ({ccy})", "每周预计回款（{ccy}）"),
    "month_end.items_title": ("Open invoices and their expected payment dates",
                              "未收发票及其预计回款日期"),
    "month_end.buyer_id": ("Buyer ID", "客户编号"),
    "month_end.open_base": ("Open amount ({ccy})", "未收金额（{ccy}）"),
    "month_end.due_date": ("Due date", "到期日"),
    "month_end.delay": ("Expected delay (days)", "预计延迟天数"),
    "month_end.expected_date": ("Expected payment date", "预计回款日"),
    "month_end.source": ("Based on", "依据"),
    "month_end.week_no": ("Week no", "所在周次"),
    "month_end.forecast_button": ("Forecast", "回款预测"),
    "month_end.forecast_tip": ("Rebuild the Forecast sheet: expected collections per week for 13 weeks, "
                               "disputed items apart, with a chart.",
                               "重新生成回款预测工作表：未来 13 周每周预计回款，有争议款项单独列示，并附图表。"),
}
