"""Labels of the generated sheets and messages, English and Simplified Chinese."""

from __future__ import annotations

from typing import Any

from xlcredit.workbook.schema import SHEET_NAMES

_CHANNELS_ZH = {"email": "邮件", "phone": "电话", "letter": "信函", "internal": "内部",
                "agency": "催收机构", "legal": "法律"}

#: Labels of generated sheets, English and Chinese.
_L: dict[str, tuple[str, str]] = {
    "aging_title": ("Aging of receivables", "应收账款账龄分析"),
    "as_of": ("As of {date}; amounts in {ccy}", "截至 {date}；金额单位：{ccy}"),
    "buyer_id": ("Buyer ID", "客户编号"),
    "name": ("Name", "客户名称"),
    "band": ("Band", "风险等级"),
    "share": ("Share of total", "占比"),
    "top_aging": ("Largest balances by age", "余额最大的客户账龄"),
    "coll_title": ("Collections worklist", "催收工作清单"),
    "coll_note": ("Overdue open invoices, most urgent first. Status, Promise date, Owner and Notes "
                  "are yours: they are kept when the sheet is rebuilt.",
                  "逾期未付发票，按紧急程度排序。状态、承诺付款日、负责人和备注由您填写，刷新时保留。"),
    "rank": ("Rank", "优先顺序"),
    "invoice_no": ("Invoice no", "发票号"),
    "currency": ("Currency", "币种"),
    "open_amount": ("Open amount", "未付金额"),
    "open_base": ("Open ({ccy})", "未付金额（{ccy}）"),
    "due_date": ("Due date", "到期日"),
    "days_overdue": ("Days overdue", "逾期天数"),
    "state": ("State", "催收状态"),
    "action": ("Action", "催收措施"),
    "channel": ("Channel", "方式"),
    "next_action": ("Next action", "下次跟进日期"),
    "priority": ("Priority", "优先分"),
    "late_total": ("Late interest", "逾期利息"),
    "insurance": ("Insurance", "信用保险提醒"),
    "status": ("Status", "状态"),
    "status_prompt": ("Pick where this invoice stands; your own wording is kept too.",
                      "选择该发票的处理状态；也可填写自己的说明。"),
    "total": ("Total", "合计"),
    "footer": ("Page &P / &N", "第 &P 页 / 共 &N 页"),
    "promise_date": ("Promise date", "承诺付款日"),
    "owner": ("Owner", "负责人"),
    "notes": ("Notes", "备注"),
    "dash_title": ("Credit control dashboard", "信用管理仪表板"),
    "figure": ("Figure", "指标"),
    "value": ("Value", "数值"),
    "receivables": ("Receivables (open balance)", "应收账款余额"),
    "overdue": ("Overdue", "逾期金额"),
    "pct_current": ("Percent current", "未逾期占比"),
    "dso": ("DSO (days, last 3 months)", "应收账款周转天数 DSO（近3个月）"),
    "dso_best": ("Best possible DSO", "最佳可能 DSO"),
    "days_delinquent": ("Average days delinquent", "平均拖欠天数"),
    "cei": ("Collection effectiveness index", "催收有效性指数 CEI"),
    "buyers": ("Buyers", "客户数"),
    "high_risk": ("High-risk buyers (band {band})", "高风险客户（{band}级）"),
    "over_limit_n": ("Buyers over their limit", "超额度客户数"),
    "disputed": ("Disputed (open)", "争议金额（未付）"),
    "problems_n": ("Problems found in the data", "数据问题数"),
    "top_title": ("Top exposures", "最大风险敞口"),
    "exposure": ("Exposure", "风险敞口"),
    "limit": ("Limit", "额度"),
    "utilisation": ("Utilisation", "额度使用率"),
    "band_title": ("Buyers by risk band", "各风险等级客户分布"),
    "label": ("Meaning", "含义"),
    "count": ("Buyers", "客户数"),
    "aging_chart": ("Receivables by age", "应收账款账龄分布"),
    "history_title": ("Score history", "评分历史"),
    "date": ("Date", "日期"),
    "score": ("Score", "评分"),
    "pd": ("PD 12m", "违约概率"),
    "problems_title": ("Problems found in the data", "数据中发现的问题"),
    "problems_note": ("Each row names a cell that could not be used; the rest of the run went on. "
                      "Fix the cell and refresh again.",
                      "每行列出一个无法使用的单元格；其余数据已正常处理。请修正后再次刷新。"),
    "no_problems": ("No problems found.", "未发现问题。"),
    "no_paid_history": ("Open items only (no paid invoices): DSO, best DSO, days delinquent and CEI need "
                        "paid history and are not shown. Import the paid invoices of the last 12 months.",
                        "仅有未结发票（无已付发票）：DSO、最佳 DSO、平均逾期天数和回款效率指数需要付款历史，"
                        "故不显示。请导入最近 12 个月的已付发票。"),
    "sheet": ("Sheet", "工作表"),
    "row": ("Row", "行"),
    "column": ("Column", "列"),
    "rule": ("Problem", "问题"),
    "plan_title": ("Payment plan for {name}", "{name} 的还款计划"),
    "plan_note": ("Proposed schedule for the overdue balance; the same with a live formula: {f}",
                  "逾期余额的还款计划建议；使用公式可得同样结果：{f}"),
    "plan_amount": ("Amount", "金额"),
    "plan_n": ("Instalments", "分期数"),
    "plan_rate": ("Annual rate", "年利率"),
    "plan_first": ("First due date", "首期到期日"),
    "no": ("No", "期数"),
    "payment": ("Payment", "还款额"),
    "interest": ("Interest", "利息"),
    "principal": ("Principal", "本金"),
    "balance": ("Balance", "余额"),
    "review": ("Review the credit file: score fell {n} points", "复核信用档案：评分下降{n}分"),
    "no_fx": ("no FX rate for {ccy} in the FX table; add it on the Policy sheet",
              "汇率表中没有 {ccy} 的汇率；请在信用政策表中添加"),
}


def _l(key: str, lang: str, **fields: Any) -> str:
    en, zh = _L[key]
    text = zh if lang == "zh-CN" else en
    return text.format(**fields) if fields else text


def _sheet(role: str, lang: str) -> str:
    return SHEET_NAMES[role]["zh-CN" if lang == "zh-CN" else "en"]
