"""Texts the Excel functions return: error strings of bad input and the plan tables' labels.

A function answers in its ``language`` argument where it has one, else in the add-in's
language setting (:func:`xlcredit.excel.udf.settings.addin_language`), else in English.
"""

TEXTS: dict[str, tuple[str, str]] = {
    "func.error_cell": ("{name} is the Excel error {kind}; fix the cell it comes from, or leave it blank when "
                        "the value is not known.",
                        "{name} 是 Excel 错误值 {kind}；请修正其来源单元格，数值未知时请留空。"),
    "func.error_in_range": ("{name}: cell {position} of the range holds the Excel error {kind}; fix that cell, "
                            "or clear it when the value is not known.",
                            "{name}：区域中第 {position} 个单元格是 Excel 错误值 {kind}；请修正该单元格，"
                            "数值未知时请清空。"),
    "func.internal": ("internal error in {name}: {kind}: {detail}", "{name} 内部错误：{kind}：{detail}"),
    "func.not_enough_data": ("not enough data", "数据不足"),
    "func.interest_unknown": ("amount, due date or payment date missing", "金额、到期日或付款日缺失"),
    "func.days_unknown": ("days overdue or due date missing", "逾期天数或到期日缺失"),
    "func.choice": ("{name} must be one of {choices}; got {value}.", "{name} 须为 {choices} 之一；收到 {value}。"),
    "func.single_cell": ("{name} must be a single cell; got a range of {n} cells.",
                         "{name} 须为单个单元格；收到 {n} 个单元格的区域。"),
    "func.single_cell_n": ("{name} must be a single cell; got {n} cells.", "{name} 须为单个单元格；收到 {n} 个单元格。"),
    "func.must_be_text": ("{name} must be text; got {value}.", "{name} 须为文本；收到 {value}。"),
    "func.as_of_blank": ("as_of must be one date cell, e.g. =TODAY(); got a blank.",
                         "as_of 须为一个日期单元格，如 =TODAY()；收到空白。"),
    "func.as_of_cells": ("as_of must be one date cell, e.g. =TODAY(); got {n} cells.",
                         "as_of 须为一个日期单元格，如 =TODAY()；收到 {n} 个单元格。"),
    "func.sales_block": ("{name} must be a rectangular block: one row per buyer, one column per period.",
                         "{name} 须为矩形区域：每个客户一行，每个期间一列。"),
    "func.sales_rows": ("{name} has {n} rows but {other} has {m}; give one row of period sales per buyer.",
                        "{name} 有 {n} 行，而 {other} 有 {m} 行；请为每个客户提供一行各期销售额。"),
    "func.period_days_count": ("period_days must be one number or one per period ({n}); got {m}.",
                               "period_days 须为一个数，或每个期间一个（{n} 个）；收到 {m} 个。"),
    "func.current_rows": ("{name} has {n} rows but {other} has {m}.", "{name} 有 {n} 行，而 {other} 有 {m} 行。"),
    "func.rates_per_bucket": ("{name}: give one loss rate per bucket ({n}: {labels}); rates estimated from "
                              "history are on the Provision sheet.",
                              "{name}：请为每个账龄段提供一个损失率（{n} 个：{labels}）；根据历史估计的损失率"
                              "见坏账准备表。"),
    # ---- the header row PAYMENT_PLAN and PLAN_RESCHEDULE spill
    "func.plan_no": ("No", "期次"),
    "func.plan_due": ("Due date", "到期日"),
    "func.plan_payment": ("Payment", "应还金额"),
    "func.plan_interest": ("Interest", "利息"),
    "func.plan_principal": ("Principal", "本金"),
    "func.plan_balance": ("Balance", "剩余本金"),
    # ---- PLAN_RESCHEDULE(..., "summary")
    "func.sum_mode": ("Mode", "调整方式"),
    "func.sum_installments_paid": ("Instalments paid", "已还期数"),
    "func.sum_missed_installments": ("Missed instalments", "逾期未还期数"),
    "func.sum_arrears": ("Arrears", "拖欠金额"),
    "func.sum_late_interest": ("Late interest", "逾期利息"),
    "func.sum_late_rate": ("Late interest rate", "逾期利率"),
    "func.sum_remaining_principal": ("Principal not yet due", "未到期本金"),
    "func.sum_rescheduled_amount": ("Rescheduled amount", "重新安排金额"),
    "func.sum_old_installment": ("Old instalment", "原每期还款额"),
    "func.sum_new_installment": ("New instalment", "新每期还款额"),
    "func.sum_old_installments_left": ("Old instalments left", "原计划剩余期数"),
    "func.sum_new_installments": ("New instalments", "新计划期数"),
    "func.sum_first_due_date": ("First due date", "首期到期日"),
    "func.sum_last_due_date": ("Last due date", "末期到期日"),
    "func.sum_total_payments": ("Total payments", "还款总额"),
    "func.sum_total_interest": ("Total interest", "利息总额"),
    'func.not_overdue': ('Not overdue', '未逾期'),
    'func.no_exposure': ('no current exposure given', '未提供风险敞口'),
    'func.not_rated': ('not rated: data covers {coverage} of the model (minimum {need})', '未评级：数据覆盖率 {coverage}，低于 {need}'),
    'func.not_calibrated': ('not calibrated', '未校准'),
}
