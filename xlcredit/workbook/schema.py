"""Table schemas of the credit-control workbook: columns, headers (en, zh-CN), coercion.

Tables are found by their Excel names (``tblBuyers``, ``tblInvoices``, ``tblPolicy`` and the
small policy tables), which do not change with language. Each column has a canonical name
(the engine's name), an English and a Simplified Chinese header and extra aliases; headers
match whatever their case, spacing and punctuation. Raw cell values are coerced through
:mod:`xlcredit.workbook.excel_values`; what cannot be read becomes a :class:`Problem` (sheet, row,
column, value, rule) and the run goes on. Only a missing table or required column stops it,
with a :class:`~xlcredit.engine.errors.SchemaError` that says what to add.

Which header does the Chinese template use for the due date, and what else is accepted?

>>> col = INVOICES.column("due_date")
>>> col.zh, col.kind, col.required
('到期日', 'date', True)
>>> INVOICES.match_header("DUE  DATE"), INVOICES.match_header("到期日期")
('due_date', 'due_date')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import SchemaError, describe
from xlcredit.messages import Field, Message
from xlcredit.workbook.excel_values import Parsed, to_flags, to_text
from xlcredit.workbook.port import RawTable
from xlcredit.workbook.reading import (
    _BLANK_TEXT,
    DEFAULT_RULES,
    Cells,
    NumberRead,
    ReadingRules,
    currency_sign_problems,
    read_dates,
    read_numbers,
    table_date_order,
    table_decimal,
)

__all__ = [
    "APPROVAL",
    "BANDS",
    "BUYERS",
    "COLLECTIONS_USER",
    "DECISIONS_LOG",
    "DUNNING",
    "FX",
    "HISTORY",
    "IMPORT",
    "INVOICES",
    "LIMIT_RULES",
    "POLICY",
    "PROBLEM_COLUMNS",
    "SHEET_NAMES",
    "TABLES",
    "Column",
    "Kind",
    "ParsedTable",
    "Problem",
    "TableSchema",
    "check_buyers",
    "check_invoices",
    "group_problems",
    "has_paid_history",
    "no_paid_history_problem",
    "normalise_header",
    "parse_table",
    "problems_frame",
]

Kind = Literal["id", "text", "number", "money", "percent", "int", "risk", "date", "flag"]

#: Number formats by kind, as the templates and refresh write them.
NUMBER_FORMATS: dict[str, str] = {
    "money": "#,##0.00;[Red]-#,##0.00",
    "number": "#,##0.00",
    "percent": "0.0%",
    "int": "0",
    "risk": "0",
    "date": "yyyy-mm-dd",
    "flag": "@",
    "text": "@",
    "id": "@",
}

#: Sheet names by role and language (DESIGN.md 3.2).
SHEET_NAMES: dict[str, dict[str, str]] = {
    "buyers": {"en": "Buyers", "zh-CN": "客户"},
    "invoices": {"en": "Invoices", "zh-CN": "发票"},
    "policy": {"en": "Policy", "zh-CN": "信用政策"},
    "aging": {"en": "Aging", "zh-CN": "账龄"},
    "collections": {"en": "Collections", "zh-CN": "催收"},
    "dashboard": {"en": "Dashboard", "zh-CN": "仪表板"},
    "history": {"en": "Score history", "zh-CN": "评分历史"},
    "problems": {"en": "Problems", "zh-CN": "问题"},
    "quick": {"en": "Quick check", "zh-CN": "快速评估"},
    "plan": {"en": "Payment plan", "zh-CN": "还款计划"},
    "letters": {"en": "Letters", "zh-CN": "催款函"},
    "credit_hold": {"en": "Credit hold", "zh-CN": "信用冻结"},
    "statement": {"en": "Statement", "zh-CN": "对账单"},
    "help": {"en": "Read me", "zh-CN": "使用说明"},
    "import": {"en": "Import", "zh-CN": "导入设置"},
    "provision": {"en": "Provision", "zh-CN": "坏账准备"},
    "provision_history": {"en": "Provision history", "zh-CN": "坏账准备历史"},
    "write_offs": {"en": "Write-offs", "zh-CN": "已核销坏账"},
    "forecast": {"en": "Forecast", "zh-CN": "回款预测"},
    "team_policy": {"en": "Team policy", "zh-CN": "团队政策"},
    "decisions": {"en": "Decisions", "zh-CN": "审批记录"},
}


def normalise_header(text: object) -> str:
    """The key a header is matched by: NFKC, lower case, no spaces, underscores or punctuation.

    >>> normalise_header(" Due_date (yyyy-mm-dd) "), normalise_header("到期日：")
    ('duedateyyyymmdd', '到期日')
    """
    s = unicodedata.normalize("NFKC", str(text if text is not None else "")).lower()
    return re.sub(r"[\W_]+", "", s)


@dataclass(frozen=True)
class Column:
    """One column of a table: canonical name, headers, kind and role."""

    name: str
    en: str
    zh: str
    kind: Kind = "text"
    required: bool = False
    output: bool = False
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    #: What the column holds, for the template's header comments and the docs.
    help_en: str = ""
    help_zh: str = ""
    width: float = 12
    #: Headers earlier templates gave this column (docs/zh-CN/glossary.md retired them). They
    #: count as the column's own header, so an old workbook's output column is still written
    #: in place instead of getting a second column under the new header.
    former: tuple[str, ...] = ()

    def header(self, language: str) -> str:
        """The header text in ``language`` ("en" or "zh-CN")."""
        return self.zh if language == "zh-CN" else self.en

    @property
    def number_format(self) -> str:
        """The Excel number format of this column's kind."""
        return NUMBER_FORMATS[self.kind]

    def header_keys(self) -> tuple[str, ...]:
        """Every normalised header text that names this column."""
        return tuple(
            dict.fromkeys(
                normalise_header(t) for t in (self.name, self.en, self.zh, *self.former, *self.aliases)
            )
        )


@dataclass(frozen=True)
class TableSchema:
    """An Excel table xlcredit reads or writes, by name, with its columns in sheet order."""

    name: str
    role: str
    columns: tuple[Column, ...]
    #: Canonical name of the column that must be unique (buyer_id, invoice_no), if any.
    key: str | None = None
    _index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for col in self.columns:
            for key in col.header_keys():
                other = self._index.setdefault(key, col.name)
                if other != col.name:
                    raise ValueError(f"{self.name}: header {key!r} names both {other} and {col.name}")

    def column(self, name: str) -> Column:
        """The column of canonical name ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def inputs(self) -> tuple[Column, ...]:
        """Columns people type (or paste)."""
        return tuple(c for c in self.columns if not c.output)

    @property
    def outputs(self) -> tuple[Column, ...]:
        """Columns refresh writes."""
        return tuple(c for c in self.columns if c.output)

    def headers(self, language: str, *, outputs: bool = True) -> list[str]:
        """Header texts in sheet order."""
        return [c.header(language) for c in self.columns if outputs or not c.output]

    def sheet(self, language: str) -> str:
        """The sheet name of this table in ``language``."""
        return SHEET_NAMES[self.role]["zh-CN" if language == "zh-CN" else "en"]

    def match_header(self, header: object) -> str | None:
        """Canonical name a header text stands for, or None.

        >>> BUYERS.match_header("客户编号"), BUYERS.match_header("Customer ID"), BUYERS.match_header("Misc")
        ('buyer_id', 'buyer_id', None)
        """
        return self._index.get(normalise_header(header))

    def own_keys(self, name: str) -> tuple[str, ...]:
        """The normalised headers that are a column's own (canonical, English, Chinese, former)."""
        col = self.column(name)
        return tuple(dict.fromkeys(normalise_header(t) for t in (col.name, col.en, col.zh, *col.former)))

    def resolve(self, header: list[Any]) -> dict[str, int]:
        """Position of each known column in ``header``.

        A column's own header (canonical, English or Chinese) wins over an alias; an alias
        captures a column only when no column carries the field's own header. Where two
        columns claim a field at the same rank, the first is used and
        :meth:`resolve_conflicts` names both.

        >>> BUYERS.resolve(["Flag", "Buyer ID", "Action"])["action"]
        2
        """
        return self._resolve(header)[0]

    def resolve_conflicts(self, header: list[Any]) -> dict[str, list[int]]:
        """Fields claimed by more than one column of the same rank: positions of each claimant.

        >>> INVOICES.resolve_conflicts(["Due", "Net due date", "Invoice no"])
        {'due_date': [0, 1]}
        """
        return self._resolve(header)[1]

    def resolve_exact(self, header: list[Any]) -> set[str]:
        """Fields found under their own header (not through an alias)."""
        return self._resolve(header)[2]

    def _resolve(self, header: list[Any]) -> tuple[dict[str, int], dict[str, list[int]], set[str]]:
        own: dict[str, list[int]] = {}
        alias: dict[str, list[int]] = {}
        for i, text in enumerate(header):
            key = normalise_header(text)
            name = self._index.get(key)
            if name is None:
                continue
            rank = own if key in self.own_keys(name) else alias
            rank.setdefault(name, []).append(i)
        found: dict[str, int] = {}
        conflicts: dict[str, list[int]] = {}
        for name in dict.fromkeys([*own, *alias]):
            claim = own.get(name) or alias[name]
            found[name] = claim[0]
            if len(claim) > 1:
                conflicts[name] = claim
        return found, conflicts, set(own)


# --------------------------------------------------------------------------- columns
def _c(name: str, en: str, zh: str, kind: Kind = "text", *aliases: str, **kw: Any) -> Column:
    return Column(name, en, zh, kind, aliases=aliases, **kw)


def _o(name: str, en: str, zh: str, kind: Kind = "text", *aliases: str, **kw: Any) -> Column:
    return Column(name, en, zh, kind, output=True, aliases=aliases, **kw)


BUYERS = TableSchema(
    "tblBuyers",
    "buyers",
    (
        _c("buyer_id", "Buyer ID", "客户编号", "id", "Customer ID", "Customer No", "Customer number",
           "Account", "Account no", "Debtor", "Debtor ID", "客户代码", "客户ID", "客户号", "买方编号",
           required=True, width=11, help_en="Unique code of the buyer, as on invoices.",
           help_zh="客户唯一代码，与发票一致。"),
        _c("name", "Name", "客户名称", "text", "Buyer", "Buyer name", "Customer", "Customer name",
           "Company", "名称", "公司名称", "买方名称", required=True, width=30),
        _c("country", "Country", "国家/地区", "text", "国家", "地区", width=10),
        _c("industry", "Industry", "行业", "text", "Sector", "所属行业", width=16),
        _c("currency", "Currency", "币种", "text", "Curr", "Ccy", "货币", width=8,
           help_en="Currency of the statements and limits; blank = base currency.",
           help_zh="财务报表与信用额度的币种；空白表示本位币。"),
        _c("total_assets", "Total assets (buyer ccy)", "资产总额（客户币种）", "money", "Total assets", "资产总额", "Assets", "总资产", width=14),
        _c("total_liabilities", "Total liabilities (buyer ccy)", "负债总额（客户币种）", "money", "Total liabilities", "负债总额", "Liabilities",
           "总负债", width=14),
        _c("current_assets", "Current assets (buyer ccy)", "流动资产（客户币种）", "money", "Current assets", "流动资产", width=14),
        _c("current_liabilities", "Current liabilities (buyer ccy)", "流动负债（客户币种）", "money", "Current liabilities", "流动负债", width=14),
        _c("retained_earnings", "Retained earnings (buyer ccy)", "留存收益（客户币种）", "money", "Retained earnings", "留存收益",
           "盈余公积和未分配利润", width=14),
        _c("ebit", "EBIT (buyer ccy)", "息税前利润（客户币种）", "money", "EBIT", "息税前利润", "Operating profit", width=14),
        _c("revenue", "Revenue (buyer ccy)", "营业收入（客户币种）", "money", "Revenue", "营业收入", "Turnover", "Sales", "Net sales",
           "营业额", "销售收入", width=14),
        _c("net_income", "Net income (buyer ccy)", "净利润（客户币种）", "money", "Net income", "净利润", "Net profit", "Profit", width=14),
        _c("days_beyond_terms", "Days beyond terms", "超期天数", "number", "DBT", "平均逾期天数",
           width=10, help_en="Blank: taken from paid invoices.", help_zh="空白时取自已收款发票。"),
        _c("late_share", "Late share", "逾期付款比例", "percent", "Share paid late", "Late %",
           "迟付比例", minimum=0, maximum=1, width=10,
           help_en="Share of invoices paid late, 0-100 %. Blank: taken from paid invoices.",
           help_zh="逾期付款的发票占比（0-100%）；空白时取自已收款发票。"),
        _c("defaults_12m", "Defaults 12m", "近12个月违约次数", "int", "Defaults", "违约次数",
           minimum=0, width=9),
        _c("industry_risk", "Industry risk", "行业风险", "risk", "行业风险等级", minimum=1,
           maximum=5, width=9, help_en="1 low .. 5 very high.", help_zh="1 低 .. 5 很高。"),
        _c("country_risk", "Country risk", "国家风险", "risk", "国家风险等级", minimum=1,
           maximum=5, width=9, help_en="1 low .. 5 very high.", help_zh="1 低 .. 5 很高。"),
        _c("management_changes_12m", "Management changes 12m", "近12个月管理层变动",
           "int", "Management changes", "管理层变动", minimum=0, width=11),
        _c("negative_news", "Negative news", "负面舆情", "flag", "Adverse news", "负面消息", "有负面舆情",
           former=("负面新闻",), width=9, help_en="Y or N.", help_zh="是 或 否。"),
        _c("years_in_business", "Years in business", "经营年限", "number", "Years trading",
           "成立年限", minimum=0, width=9),
        _c("oldest_overdue_days", "Oldest overdue (days)", "最久逾期天数", "number",
           "Oldest item overdue", "最长逾期天数", minimum=0, width=10,
           help_en="Days the oldest open invoice is overdue. Blank: taken from open invoices.",
           help_zh="最久一张未收发票的逾期天数；空白时取自未收发票。"),
        _c("history_invoices", "Payment history (invoices)", "付款记录（发票数）", "int",
           "History invoices", "付款记录", minimum=0, width=10,
           help_en="Invoices paid or past due. Blank: counted from the ledger.",
           help_zh="已收款或已到期的发票数；空白时按账簿统计。"),
        _c("annual_sales", "Expected annual sales (buyer ccy)", "预计年销售额（客户币种）", "money", "Expected annual sales", "预计年销售额", "Annual sales",
           "Sales to buyer", "年销售额", "预计销售额", minimum=0, width=14,
           help_en="What we expect to sell to this buyer in a year.",
           help_zh="预计一年内向该客户的销售额。"),
        _c("payment_terms_days", "Payment terms (days)", "账期（天）", "int", "Terms",
           "Payment terms", "Terms days", "账期", "付款期限", minimum=0, maximum=720, width=9),
        _c("requested_limit", "Requested limit (buyer ccy)", "申请信用额度（客户币种）", "money", "Requested limit",
           "申请额度", "Requested", "申请信用额度", former=("申请额度（客户币种）",), minimum=0, width=13),
        _c("current_limit", "Current limit (buyer ccy)", "现有信用额度（客户币种）", "money", "Current limit", "现有额度",
           "Credit limit", "Limit", "当前额度", "信用额度", "现有信用额度", former=("现有额度（客户币种）",),
           minimum=0, width=13,
           help_en="The limit granted today (blank: the recommended limit).",
           help_zh="目前已批准的信用额度（空白时用建议信用额度）。"),
        _c("insured_limit", "Insured limit (buyer ccy)", "信保限额（客户币种）", "money", "Insured limit", "投保额度",
           "Insurer limit", "信用保险额度", "保险额度", "信保限额", "信用限额", former=("投保额度（客户币种）",),
           minimum=0, width=13, help_en="The credit limit the credit insurer approved for this buyer.",
           help_zh="信用保险公司对该客户批复的限额。"),
        _c("owner", "Owner", "负责人", "text", "Account manager", "Credit controller", "客户经理",
           width=12),
        _c("buyer_type", "Buyer type", "客户类型", "text", "企业规模", "单位性质", width=12,
           help_en="机关/事业单位, 大型企业 or 中小企业: drives the SME payment regulation's terms check.",
           help_zh="机关/事业单位、大型企业或中小企业：用于《保障中小企业款项支付条例》的付款期限检查。"),
        _c("late_interest_preset", "Late-interest rule", "逾期利息规则", "text", "Late interest preset",
           width=12, help_en="custom, eu, uk, cn_sme or lpr; blank: the policy's late_interest.preset.",
           help_zh="custom、eu、uk、cn_sme 或 lpr；空白时用信用政策的 late_interest.preset。"),
        _c("international", "International sale", "国际销售", "flag", "国际货物买卖", width=9,
           help_en="TRUE for an international sale of goods (4-year limitation); blank: from the country.",
           help_zh="国际货物买卖合同填 TRUE（诉讼时效四年）；空白时按国家/地区判断。"),
        _c("insolvent", "Insolvent", "已破产", "flag", "Insolvency", "破产", width=9,
           help_en="TRUE when the buyer is insolvent: credit-impaired, provided individually (docs/provision.md).",
           help_zh="客户已破产时填 TRUE：已发生信用减值，单项计提坏账准备。"),
        _c("legal_action", "Legal action", "已诉讼", "flag", "With lawyer", "法律诉讼", width=9,
           help_en="TRUE when the debt is with a lawyer or collection agency: credit-impaired.",
           help_zh="已交律师或催收机构处理时填 TRUE：已发生信用减值。"),
        _c("expected_recovery", "Expected recovery", "预计收回比例", "percent", "Recovery", "收回比例",
           minimum=0, maximum=1, width=10,
           help_en="Share of a credit-impaired buyer's balance expected back; blank: the policy's provision.impaired_recovery.",
           help_zh="已发生信用减值客户的余额预计可收回比例；空白时用信用政策的 provision.impaired_recovery。"),
        _c("contact", "Contact", "联系人", "text", "Contact name", "Contact person", "Attention",
           "客户联系人", width=16, help_en="Who dunning letters are addressed to.",
           help_zh="催款函的收件人。"),
        _c("email", "E-mail", "电子邮箱", "text", "Email", "Mail", "Contact e-mail", "邮箱", "邮件",
           width=24, help_en="Where dunning e-mails go.", help_zh="催款邮件发送地址。"),
        _c("security_amount", "Security held (buyer ccy)", "担保金额（客户币种）", "money", "Security",
           "Guarantee", "Security amount", "担保金额", "保证金", minimum=0, width=13,
           help_en="Guarantees, deposits or letters of credit held; carries a limit in band D.",
           help_zh="所持保函、保证金或信用证；D级客户的信用额度以此为限。"),
        _c("last_review", "Last review", "上次复核日期", "date", "Last reviewed", "Reviewed",
           "复核日期", width=11, help_en="Date of the last credit review (blank: review now).",
           help_zh="上次信用复核日期（空白表示立即复核）。"),
        _c("override_decision", "Override decision", "人工审批结论", "text", "Manual decision",
           "人工决定", former=("手工决定",), width=16,
           help_en="A decision typed by a manager; needs an expiry date and a name.",
           help_zh="经理人工填写的审批结论；须填写有效期和审批人。"),
        _c("override_limit", "Override limit (buyer ccy)", "人工核定信用额度（客户币种）", "money",
           "Override limit", "Manual limit", "手工额度", former=("手工额度（客户币种）",), minimum=0, width=13),
        _c("override_expiry", "Override until", "人工审批有效期至", "date", "Override expiry",
           "Override expires", "有效期至", former=("手工决定有效期至",), width=11),
        _c("override_by", "Override by", "人工审批人", "text", "Decided by", "决定人",
           former=("手工决定人",), width=12),
        _c("tax_id", "Tax ID", "税号", "id", "VAT number", "VAT no", "VAT ID", "Tax number",
           "纳税人识别号", "统一社会信用代码", width=16,
           help_en="The buyer's tax or VAT number: `xlcredit combine` proposes a match across teams' "
           "workbooks when it is the same (spaces and punctuation ignored).",
           help_zh="客户的税号（纳税人识别号或统一社会信用代码）：各团队工作簿中税号相同（忽略空格和标点）的客户，"
           "`xlcredit combine` 会列出供确认合并。"),
        # ------------------------------------------------------------ written by refresh
        _o("exposure", "Exposure (base ccy)", "风险敞口（本位币）", "money", "Exposure", "风险敞口",
           "Open balance", "应收余额", width=13,
           help_en="Open invoices in base currency.", help_zh="未收发票余额（本位币）。"),
        _o("overdue", "Overdue (base ccy)", "逾期金额（本位币）", "money", "Overdue", "逾期金额",
           width=13),
        _o("dbt_ledger", "Days beyond terms (ledger)", "超期天数（账簿）", "number", width=11),
        _o("late_share_ledger", "Late share (ledger)", "逾期付款比例（账簿）", "percent",
           former=("迟付比例（账簿）",), width=10),
        _o("score", "Score", "信用评分", "int", "TradeScore", former=("评分",), width=7),
        _o("band", "Band", "风险等级", "text", "Risk band", "等级", width=6),
        _o("grade", "Grade", "风险级别（1-10）", "int", "风险级别", former=("级别",), width=6),
        _o("pd", "PD 12m", "违约概率（12个月）", "percent", "PD", "Probability of default", "12个月违约概率",
           former=("违约概率",), width=8),
        _o("coverage", "Data coverage", "数据完整度", "percent", "Coverage", width=9),
        _o("reasons", "Main reasons", "主要扣分原因", "text", "Reasons", former=("主要原因",), width=48),
        _o("recommended_limit", "Recommended limit (base ccy)", "建议信用额度（本位币）", "money",
           "Recommended limit", "建议额度", "Recommended", "建议信用额度", former=("建议额度（本位币）",),
           width=14),
        _o("recommended_limit_ccy", "Recommended limit (buyer ccy)", "建议信用额度（客户币种）", "money",
           former=("建议额度（客户币种）",), width=14,
           help_en="The recommended limit in the buyer's currency.",
           help_zh="以客户币种表示的建议信用额度。"),
        _o("decision", "Decision", "审批建议", "text", "审批结果", former=("决定",), width=20),
        _o("recommended_terms", "Recommended terms (days)", "建议账期（天）", "int", width=10),
        _o("approval_level", "Approval level", "审批权限", "text", "Approver", former=("审批级别",),
           width=17),
        _o("utilisation", "Utilisation", "信用额度使用率", "percent", "Utilization",
           former=("额度使用率",), width=15),
        _o("over_limit", "Over limit (base ccy)", "超额金额（本位币）", "money", "Over limit",
           "超额金额", width=12),
        _o("score_change", "Score change", "信用评分变化", "int", "Change", former=("评分变化",), width=13),
        _o("action", "Action", "建议措施", "text", "Flag", width=34),
        _o("decision_rule", "Deciding rule", "审批依据", "text", "Rule", former=("决定依据",), width=40),
        _o("next_review", "Next review", "下次复核日期", "date", width=11),
    ),
    key="buyer_id",
)

INVOICES = TableSchema(
    "tblInvoices",
    "invoices",
    (
        _c("invoice_no", "Invoice no", "发票号", "id", "Invoice", "Invoice number", "Document no",
           "Doc no", "Reference", "发票号码", "单据号", "单号", required=True, width=13),
        _c("buyer_id", "Buyer ID", "客户编号", "id", "Customer ID", "Customer No", "Account",
           "Debtor", "客户代码", "客户ID", "客户号", required=True, width=11),
        _c("currency", "Currency", "币种", "text", "Curr", "Ccy", "货币", width=8),
        _c("amount", "Amount", "发票金额", "money", "Invoice amount", "Gross amount", "含税金额",
           "价税合计", former=("金额",), required=True, width=14,
           help_en="Negative for a credit note.", help_zh="红字发票（贷项）为负数。"),
        _c("paid_amount", "Paid amount", "已收金额", "money", "Paid", "Amount paid", "回款金额",
           "实收金额", former=("已付金额",), width=14),
        _c("invoice_date", "Invoice date", "开票日期", "date", "Date", "Document date",
           "发票日期", width=11),
        _c("due_date", "Due date", "到期日", "date", "Due", "Net due date", "到期日期",
           "应收日期", required=True, width=11),
        _c("paid_date", "Paid date", "收款日期", "date", "Payment date", "Cleared", "Clearing date",
           "结清日期", former=("付款日期",), width=11),
        _c("disputed", "Disputed", "争议", "flag", "Dispute", "In dispute", "有争议", "是否争议",
           width=9),
        _c("promise_date", "Promise date", "承诺付款日", "date", "Promise to pay", "PTP date",
           "承诺日期", width=11),
        _c("notes", "Notes", "备注", "text", "Comment", "说明", width=24),
    ),
    key="invoice_no",
)

POLICY = TableSchema(
    "tblPolicy",
    "policy",
    (
        _c("setting", "Setting", "设置项", "id", "Key", "参数", required=True, width=34),
        _c("value", "Value", "值", "text", "数值", "取值", required=True, width=16),
        _c("description", "Description", "说明", "text", "描述", width=70),
    ),
    key="setting",
)

BANDS = TableSchema(
    "tblBands",
    "policy",
    (
        _c("band", "Band", "风险等级", "id", "等级", required=True, width=8),
        _c("min_score", "Min score", "最低信用评分", "number", "From score", former=("最低评分",), required=True,
           minimum=1, maximum=100, width=10),
        _c("label_en", "Label (English)", "说明（英文）", "text", "Label", width=26),
        _c("label_zh", "Label (Chinese)", "说明（中文）", "text", width=18),
    ),
    key="band",
)

LIMIT_RULES = TableSchema(
    "tblLimitRules",
    "policy",
    (
        _c("band", "Band", "风险等级", "id", "等级", required=True, width=8),
        _c("tnw_share", "Net worth share", "净资产比例", "percent", "TNW share", required=True,
           minimum=0, width=12),
        _c("working_capital_share", "Working capital share", "营运资金比例", "percent",
           required=True, minimum=0, width=12),
        _c("revenue_share", "Revenue share", "营业收入比例", "percent", required=True, minimum=0,
           width=12),
        _c("payment_terms_days", "Payment terms (days)", "账期（天）", "int", "Terms",
           required=True, minimum=0, width=10),
        _c("max_limit", "Maximum limit", "最高信用额度", "money", "Max limit", former=("最高额度",), minimum=0, width=14,
           help_en="Blank: no maximum.", help_zh="空白表示不设上限。"),
        _c("review_months", "Review every (months)", "复核周期（月）", "int", "Review months",
           minimum=1, maximum=60, width=10),
    ),
    key="band",
)

APPROVAL = TableSchema(
    "tblApproval",
    "policy",
    (
        _c("up_to", "Limit up to", "信用额度上限", "money", "Up to", former=("额度上限",), required=True, minimum=0,
           width=14,
           help_en="Blank on the last row: any amount.", help_zh="最后一行空白表示不限金额。"),
        _c("level_en", "Approver (English)", "审批人（英文）", "text", "Approver", required=True,
           width=20),
        _c("level_zh", "Approver (Chinese)", "审批人（中文）", "text", width=14),
    ),
)

DUNNING = TableSchema(
    "tblDunning",
    "policy",
    (
        _c("from_days", "From days overdue", "逾期天数起", "int", "From days", required=True,
           minimum=1, width=10),
        _c("step", "Step", "阶段代码", "id", "催收阶段", former=("步骤",), required=True, width=16),
        _c("action_en", "Action (English)", "措施（英文）", "text", "Action", required=True,
           width=30),
        _c("action_zh", "Action (Chinese)", "措施（中文）", "text", width=18),
        _c("channel", "Channel", "方式", "text", "渠道", width=10),
    ),
    key="step",
)

FX = TableSchema(
    "tblFX",
    "policy",
    (
        _c("currency", "Currency", "币种", "id", "Ccy", "货币", required=True, width=9),
        _c("rate", "Rate to base", "折算汇率", "number", "Rate", "FX rate", "汇率", required=True,
           minimum=0, width=12, help_en="Value of one unit in the base currency.",
           help_zh="1 单位该币种折合本位币金额。"),
    ),
    key="currency",
)

#: The texts of dunning letters per step and language (Policy sheet; merge fields in braces).
LETTERS = TableSchema(
    "tblLetters",
    "policy",
    (
        _c("step", "Step", "阶段代码", "text", "催收阶段", former=("步骤",), required=True, width=16),
        _c("language", "Language", "语言", "text", "Lang", required=True, width=9),
        _c("subject", "Subject", "主题", "text", "Title", "标题", required=True, width=30),
        _c("body", "Text", "正文", "text", "Body", "Letter", "内容", required=True, width=60,
           help_en="Merge fields in braces, e.g. {buyer}, {overdue_total}, {invoice_list}.",
           help_zh="合并字段写在大括号内，如 {buyer}、{overdue_total}、{invoice_list}。"),
    ),
)

#: The Letters log: what ``xlcredit letters`` produced per buyer and step; the user marks
#: what was sent. Refresh never writes it; each letters run adds rows and keeps the rest.
LETTERS_LOG = TableSchema(
    "tblLettersLog",
    "letters",
    (
        _c("date", "Date", "日期", "date", required=True, width=11),
        _c("buyer_id", "Buyer ID", "客户编号", "id", "Customer ID", "客户代码", required=True, width=11),
        _c("name", "Name", "客户名称", "text", width=30),
        _c("step", "Step", "阶段代码", "text", "催收阶段", former=("步骤",), required=True, width=16),
        _c("amount", "Amount asked", "催收金额", "text", width=24),
        _c("items", "Invoices", "发票数", "int", width=9),
        _c("file", "File", "文件", "text", width=36),
        _c("sent", "Sent", "已发送", "text", "Sent on", "发送日期", width=12,
           help_en="Mark it (a date, or Y) when the letter went out.",
           help_zh="寄出后填写（日期或“是”）。"),
    ),
)

#: The write-off log (坏账核销记录): invoices written off as bad debts, typed by the team.
#: Refresh reads it (a written-off invoice leaves the open balance everywhere) and never writes it.
WRITE_OFFS = TableSchema(
    "tblWriteOffs",
    "write_offs",
    (
        _c("invoice_no", "Invoice no", "发票号", "id", "Invoice", "发票号码", required=True, width=13),
        _c("buyer_id", "Buyer ID", "客户编号", "id", "Customer ID", "客户代码", width=11),
        _c("date", "Date written off", "坏账核销日期", "date", "Written off", "Write-off date", "核销坏账日期",
           required=True, width=11),
        _c("amount", "Amount written off", "坏账核销金额", "money", "Amount", "核销坏账金额", width=14,
           help_en="In the invoice currency; the whole open amount leaves the balance (checked).",
           help_zh="发票币种金额；发票全部未收金额转出（会核对）。"),
        _c("reason", "Reason", "坏账核销原因", "text", "核销坏账原因", width=30),
        _c("approved_by", "Approved by", "审批人", "text", "Approver", "批准人", width=14),
    ),
    key="invoice_no",
)

#: The Provision history: one row per buyer and month-end (period), appended by refresh; a
#: re-run of the same period replaces that period's figures only; earlier rows are never written.
PROVISION_HISTORY = TableSchema(
    "tblProvisionHistory",
    "provision_history",
    (
        _c("period", "Period", "期间", "text", "Month", "月份", required=True, width=9),
        _c("date", "As of", "截至日期", "date", "Date", "日期", required=True, width=11),
        _c("buyer_id", "Buyer ID", "客户编号", "id", "Customer ID", "客户代码", required=True, width=11),
        _c("name", "Name", "客户名称", "text", width=30),
        _c("open_balance", "Open balance", "应收余额", "money", width=14),
        _c("gross_provision", "Gross provision", "坏账准备（总额）", "money", required=True, width=14),
        _c("insurance_recovery", "Expected insurance recovery", "预计保险赔付", "money", width=14),
        _c("net_of_insurance", "Net of insurance", "扣除保险后净额", "money", width=14),
    ),
)

#: The decision log: the credit decisions people took, one row each, appended by the ribbon's
#: "Record decision" and `xlcredit decide`. The user's: refresh never writes it.
DECISIONS_LOG = TableSchema(
    "tblDecisions",
    "decisions",
    (
        _c("date", "Date", "日期", "date", "Decided on", "审批日期", required=True, width=11),
        _c("buyer_id", "Buyer ID", "客户编号", "id", "Customer ID", "客户代码", required=True, width=11),
        _c("currency", "Currency", "币种", "text", width=9),
        _c("old_limit", "Old limit", "原信用额度", "money", "Previous limit", "原额度", width=14),
        _c("new_limit", "New limit", "新信用额度", "money", "Limit granted", "新额度", width=14),
        _c("decision", "Decision taken", "审批结论", "text", "Decision", width=30),
        _c("approver", "Approver", "审批人", "text", "Approved by", "批准人", width=16),
        _c("note", "Note", "备注", "text", "Notes", "说明", width=40),
    ),
)

#: The Score history sheet (generated; read back to compute score changes).
HISTORY = TableSchema(
    "tblScoreHistory",
    "history",
    (
        _c("date", "Date", "日期", "date", "As of", "评分日期", required=True, width=11),
        _c("buyer_id", "Buyer ID", "客户编号", "id", "Customer ID", "客户代码", required=True,
           width=11),
        _c("name", "Name", "客户名称", "text", width=30),
        _c("score", "Score", "信用评分", "number", former=("评分",), required=True, width=8),
        _c("band", "Band", "风险等级", "text", width=8),
        _c("pd", "PD 12m", "违约概率（12个月）", "percent", "违约概率", width=9),
    ),
)

#: The columns of the Collections sheet that belong to the user, carried over by invoice
#: number from one refresh to the next (the rest of the sheet is rebuilt).
COLLECTIONS_USER = TableSchema(
    "tblCollections",
    "collections",
    (
        _c("invoice_no", "Invoice no", "发票号", "id", "Invoice", "发票号码", required=True, width=13),
        _c("status", "Status", "状态", "text", "处理状态", width=14),
        _c("promise_date", "Promise date", "承诺付款日", "date", "Promise to pay", "承诺日期",
           width=11),
        _c("owner", "Owner", "负责人", "text", "Collector", "催收人", width=12),
        _c("notes", "Notes", "备注", "text", "Comment", "说明", width=30),
    ),
    key="invoice_no",
)

def _more(col: Column, *aliases: str, required: bool = False) -> Column:
    return dataclasses.replace(col, aliases=(*col.aliases, *aliases), required=required)


#: The fields an import reads from an ERP or accounting export (issue 12; docs/import.md):
#: the tblInvoices columns that come from accounting, with the headers those systems use,
#: plus what the import derives values from: the buyer's name (for new buyers), the open
#: amount (paid = amount - open), payment terms (the due date where it is missing) and the
#: company (part of the invoice's key). Not a workbook table: the user's own columns
#: (disputed, promise date, notes) are never imported.
IMPORT = TableSchema(
    "import",
    "invoices",
    (
        _more(INVOICES.column("invoice_no"), "Invoice Number", "单据编号", "发票编号", "Num",
              "Voucher No", "Document Number", "DocumentNo", "Belegnummer", "Entry",
              "单据编码", required=True),
        _more(INVOICES.column("buyer_id"), "客户编码", "往来单位编码", "Party", "Customer account",
              "Customer code", "Konto"),
        _c("buyer_name", "Buyer name", "客户名称", "text", "Customer name", "Customer", "Partner",
           "Party Name", "Contact", "往来单位", "客户", "Name 1", "Name"),
        _more(INVOICES.column("currency"), "币别", "Document currency", "Currency code", "Curr.",
              "Währung"),
        _more(INVOICES.column("amount"), "Invoiced Amount", "Total",
              "Amount in doc. curr.", "Amount in document currency", "原币金额", "应收金额",
              "Original amount"),
        _more(INVOICES.column("paid_amount"), "Paid Amount", "已核销金额", "收回金额"),
        _c("open_amount", "Open amount", "未收金额", "money", "未核销金额", "Remaining", "Outstanding",
           "Outstanding Amount", "Open Balance", "Balance due", "Amount due", "Residual",
           "Amount Residual", "余额", "原币余额", "原币未核销金额"),
        _more(INVOICES.column("invoice_date"), "Posting Date", "Invoice Date", "业务日期",
              "单据日期", "Doc. Date", "Belegdatum", "记账日期"),
        _more(INVOICES.column("due_date"), "Due date (net)", "Nettofälligkeit", "Net due dt"),
        _more(INVOICES.column("paid_date"), "Clearing", "Ausgleichsdatum", "核销日期"),
        _c("terms", "Payment terms", "收款条件", "text", "Terms", "Terms of payment", "PayT",
           "Payment term", "付款条件", "Zahlungsbedingung"),
        _c("company", "Company", "公司", "id", "Company Code", "CoCd", "Buchungskreis", "结算组织",
           "组织"),
    ),
    key="invoice_no",
)

TABLES: dict[str, TableSchema] = {
    t.name: t
    for t in (BUYERS, INVOICES, POLICY, BANDS, LIMIT_RULES, APPROVAL, DUNNING, FX, LETTERS, HISTORY,
              COLLECTIONS_USER, LETTERS_LOG, WRITE_OFFS, PROVISION_HISTORY,
              DECISIONS_LOG)
}

PROBLEM_COLUMNS: tuple[str, ...] = ("sheet", "row", "column", "value", "rule")


# --------------------------------------------------------------------------- problems
@dataclass(frozen=True)
class Problem:
    """Something wrong in one cell (or row): where, what was found, which rule it breaks."""

    sheet: str
    row: int | None
    column: str  # a Field where the header is known in both languages
    value: Any
    rule: str  # a catalogue Message (rendered in the workbook's language) or plain text


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a DataFrame with columns sheet, row, column, value, rule.

    >>> problems_frame([Problem("Invoices", 7, "Due date", "soon", "not a date")]).iloc[0].tolist()
    ['Invoices', 7, 'Due date', 'soon', 'not a date']
    """
    frame = pd.DataFrame(
        [[p.sheet, p.row, p.column, p.value, p.rule] for p in problems],
        columns=list(PROBLEM_COLUMNS),
        dtype=object,
    )
    return frame


# --------------------------------------------------------------------------- parsing
@dataclass
class ParsedTable:
    """A table read through its schema: typed columns by canonical name, and its problems.

    ``frame`` holds one row per non-blank data row; ``excel_rows`` gives each row's Excel row
    number, ``data_index`` its 0-based index among the table's data rows (for writing back),
    and ``headers`` the header text found for each canonical column present in the sheet.
    """

    schema: TableSchema
    sheet: str
    frame: pd.DataFrame
    excel_rows: np.ndarray
    data_index: np.ndarray
    n_rows: int
    headers: dict[str, str]
    problems: list[Problem]

    def has(self, name: str) -> bool:
        """True when the sheet has a column for ``name``."""
        return name in self.headers

    def header(self, name: str, language: str) -> str:
        """The header to write ``name`` under: the sheet's own, else the localised one."""
        return self.headers.get(name) or self.schema.column(name).header(language)

    def field(self, name: str) -> Field:
        """Column ``name`` as messages name it: the sheet's own header, else the localised one.

        >>> t = parse_table(["Invoice no", "Buyer ID", "金额", "Due date"], [], INVOICES)
        >>> t.field("amount").render("en"), t.field("paid_amount").render("zh-CN")
        ('金额', '已收金额')
        """
        return Field(name, (self.header(name, "en"), self.header(name, "zh-CN")))

    def problem(self, positions: np.ndarray, name: str, values: Any, rule: str) -> None:
        """Record one problem per row position (0-based within ``frame``)."""
        header = self.field(name)
        vals = list(values) if not np.isscalar(values) else [values] * len(positions)
        for pos, value in zip(positions, vals, strict=True):
            self.problems.append(
                Problem(self.sheet, int(self.excel_rows[pos]), header, _show(value), rule)
            )


def _show(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (np.datetime64, pd.Timestamp)):
        return str(pd.Timestamp(value).date()) if not pd.isna(value) else ""
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def _by_distinct(convert: Any, cells: Cells) -> Parsed:
    """Run ``convert`` once per distinct value and spread the results back (a ledger repeats
    the same texts, dates and flags thousands of times)."""
    codes, uniques = cells.distinct()
    parsed = convert(list(uniques))
    blank_value: Any = np.nan
    if parsed.values.dtype.kind == "M":
        blank_value = np.datetime64("NaT")
    elif parsed.values.dtype == object:
        blank_value = None
    out = np.append(parsed.values, np.asarray([blank_value], dtype=parsed.values.dtype))[codes]
    problems = np.append(parsed.problems, np.asarray([None], dtype=object))[codes]
    return Parsed(out, problems)


def _coerce(
    col: Column, values: list[Any] | Cells, rules: ReadingRules = DEFAULT_RULES,
    table: tuple[str, str] = ("auto", "auto"), label: str | None = None,
) -> Parsed:
    """Read one column through the reading rules of its kind (vectorised per column);
    ``label`` names the column in messages (a :class:`Field`; default its name)."""
    name = col.name if label is None else label
    cells = Cells.of(values)
    kinds = cells.kinds
    no_problems = np.full(len(cells), None, dtype=object)
    if col.kind in ("id", "text"):
        if kinds <= {str}:  # the usual case: text cells; strip each distinct text once
            codes, uniques = cells.distinct()
            stripped = np.empty(len(uniques) + 1, dtype=object)
            stripped[:-1] = [u.strip() or None for u in uniques]
            return Parsed(stripped[codes], no_problems)
        if len(cells) > 64:
            return _by_distinct(lambda vals: to_text(vals, name), cells)
        return to_text(cells.values.tolist(), name)
    if col.kind == "date":
        return read_dates(cells, name, rules, table_order=table[1])
    if col.kind == "flag":
        if len(cells) > 64 and not (bool in kinds and kinds & {int, float}):
            return _by_distinct(lambda vals: to_flags(vals, name), cells)
        return to_flags(cells.values.tolist(), name)
    parsed: Parsed = read_numbers(cells, name, rules, minimum=col.minimum, maximum=col.maximum,
                                  table_decimal=table[0])
    if col.kind in ("int", "risk"):
        vals = parsed.values
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(vals) & (vals != np.round(vals))
        if bad.any():
            problems = parsed.problems.copy()
            for i in np.flatnonzero(bad):
                problems[i] = Message("reading.not_whole", {"name": name, "value": f"{vals[i]:g}"})
            vals = np.where(bad, np.nan, vals)
            parsed = Parsed(vals, problems)
    return parsed


def _missing_message(schema: TableSchema, col: Column, sheet: str) -> Message:
    looked = ", ".join(dict.fromkeys((col.en, col.zh, *col.aliases[:4])))
    return Message("table.missing_column", {"table": schema.name, "sheet": sheet,
                                            "column": Field(col.name, (col.en, col.zh)), "looked": looked})


#: Placeholder texts as people type them ("N/A", "-", "无数据"), matched in one pass; a
#: placeholder typed otherwise (" n / a ") is read as blank by the column's reader anyway.
_PLACEHOLDERS = frozenset(
    v for b in _BLANK_TEXT if b for v in (b, b.upper(), b.title(), f" {b} ", f"{b} ", f" {b}")
)


def _non_blank_rows(
    grid: np.ndarray, positions: list[int], distinct: frozenset[int] = frozenset()
) -> tuple[npt.NDArray[np.intp], dict[int, Cells]]:
    """Indexes of rows with at least one non-blank cell among ``positions``, and the cells
    of the whole columns it read by their distinct values (when first; the positions in
    ``distinct``: columns whose reader factorizes them anyway).
    """
    whole: dict[int, Cells] = {}
    if not len(grid) or not positions:
        return np.zeros(0, dtype=np.intp), whole
    filled = np.zeros(len(grid), dtype=bool)
    for p in positions:  # per column: hash lookups in C, no Python call per cell
        open_rows = np.flatnonzero(~filled)  # only rows no earlier column has filled
        if not len(open_rows):
            break  # the usual case: the first column (the invoice number) fills every row
        if p in distinct and len(open_rows) == len(grid):
            # blank or placeholder decided once per distinct value (blanks have code -1)
            cells = whole[p] = Cells(grid[:, p])
            codes, uniques = cells.distinct()
            placeholder = pd.Series(uniques, dtype=object).isin(_PLACEHOLDERS).to_numpy(dtype=bool)
            filled = (codes >= 0) & ~np.append(placeholder, True)[codes]
            continue
        column = pd.Series(grid[open_rows, p], dtype=object)
        filled[open_rows] = (column.notna() & ~column.isin(_PLACEHOLDERS)).to_numpy(dtype=bool)
    return np.flatnonzero(filled), whole


def parse_table(
    header: list[Any],
    rows: list[list[Any]],
    schema: TableSchema,
    *,
    sheet: str = "",
    header_row: int = 1,
    outputs: bool = False,
    rules: ReadingRules = DEFAULT_RULES,
    grid: np.ndarray | None = None,
) -> ParsedTable:
    """Read raw rows of a table through ``schema``: typed columns and per-cell problems.

    Rows whose input cells are all blank are skipped. A required column the header lacks
    raises :class:`SchemaError`; an optional one is all unknown. With ``outputs`` the output
    columns are read too (Score history, previous Collections).

    Can a clerk paste numbers as text and Chinese dates?

    >>> t = parse_table(["发票号", "Customer ID", "Amount", "Due date"],
    ...                 [["A-1", "C1", "¥1,200.00", "2026年11月28日"], [None, None, None, None],
    ...                  ["A-2", "C1", "abc", "2026-12-01"]], INVOICES, sheet="Invoices")
    >>> t.frame["amount"].tolist(), t.excel_rows.tolist()
    ([1200.0, nan], [2, 4])
    >>> t.problems[0].row, t.problems[0].column, t.problems[0].rule
    (4, 'Amount', "Amount: 'abc' is not a number")
    >>> parse_table(["Invoice no", "Buyer ID", "Amount"], [], INVOICES, sheet="Invoices")
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.SchemaError: Table tblInvoices (sheet Invoices) has no column for Due date (looked for: Due date, 到期日, Due, Net due date, 到期日期, 应收日期). Add the column or rename its header.
    """
    found, conflicts, exact = schema._resolve(header)
    wanted = schema.columns if outputs else schema.inputs
    for col in wanted:
        if col.required and col.name not in found:
            raise SchemaError(_missing_message(schema, col, sheet or schema.name))
    width = len(header)
    if grid is not None and grid.ndim == 2 and grid.shape[1] == width and (not rows or len(rows) == len(grid)):
        rows = []  # the adapter's array of the same cells: no copy
        if grid.dtype != object:  # cells as Python values, as a list of the rows would hold
            grid = grid.astype(object)
    else:
        grid = np.empty((len(rows), width), dtype=object)
    if rows:
        if all(len(r) == width for r in rows):
            grid[:, :] = rows
        else:
            grid[:, :] = [list(r[:width]) + [None] * (width - len(r)) for r in rows]
    input_positions = [found[c.name] for c in wanted if c.name in found]
    # a text column's reader factorizes it anyway: when it comes first it also finds blank rows
    texts = frozenset(found[c.name] for c in wanted if c.name in found and c.kind in ("id", "text"))
    keep, whole = _non_blank_rows(grid, input_positions, texts)
    data_index = np.asarray(keep, dtype=np.int64)
    excel_rows = header_row + 1 + data_index
    table = ParsedTable(
        schema=schema,
        sheet=sheet or schema.name,
        frame=pd.DataFrame(index=pd.RangeIndex(len(keep))),
        excel_rows=excel_rows,
        data_index=data_index,
        n_rows=len(grid),
        # an output column is written only under its own header: a user's column that merely
        # matches an alias ("Flag" for Action) is read, never written
        headers={
            name: str(header[pos])
            for name, pos in found.items()
            if name in exact or not schema.column(name).output
        },
        problems=[],
    )
    for name, positions in conflicts.items():
        col = schema.column(name)
        table.problems.append(
            Problem(table.sheet, header_row, str(header[positions[0]]), str(header[positions[1]]),
                    Message("table.two_columns", {"a": describe(str(header[positions[0]])),
                                                  "b": describe(str(header[positions[1]])),
                                                  "column": Field(name, (col.en, col.zh))}))
        )
    columns: dict[str, Any] = {}
    money: dict[str, tuple[NumberRead, Any]] = {}
    every_row = len(keep) == len(grid)
    rows_kept = slice(None) if every_row else keep

    def cells_of(col: Column) -> Cells:
        if col.name not in found:
            return Cells(np.full(len(keep), None, dtype=object), kinds=frozenset())
        pos = found[col.name]
        if every_row and pos in whole:
            return whole[pos]  # read whole when finding the blank rows
        return Cells(grid[rows_kept, pos])  # object arrays, never lists of a million cells

    raws = {col.name: cells_of(col) for col in wanted}
    # a column with no telling value follows the rest of its table (one export, one locale)
    numeric = [raws[c.name] for c in wanted if c.kind in ("money", "number", "percent", "int", "risk")]
    dates = [raws[c.name] for c in wanted if c.kind == "date"]
    table_rules = (
        table_decimal(numeric) if rules.decimal == "auto" else rules.decimal,
        table_date_order(dates) if rules.date_order in ("auto", "YMD") else rules.date_order,
    )
    for col in wanted:
        cells = raws[col.name]
        raw = cells.values
        parsed = _coerce(col, cells, rules, table_rules, table.field(col.name))
        columns[col.name] = parsed.values
        if isinstance(parsed, NumberRead) and col.kind == "money":
            money[col.name] = (parsed, raw)
        bad = np.flatnonzero(pd.notna(parsed.problems))
        for i in bad:
            table.problems.append(
                Problem(table.sheet, int(excel_rows[i]), table.field(col.name),
                        _show(raw[i]), parsed.problems[i])
            )
    table.frame = pd.DataFrame(columns, index=pd.RangeIndex(len(keep)))
    _check_currency_signs(table, money, rules)
    return table


def parse_raw(raw: RawTable, schema: TableSchema, *, outputs: bool = False,
              rules: ReadingRules = DEFAULT_RULES) -> ParsedTable:
    """:func:`parse_table` of a table as an adapter read it: from its grid of cells when it
    has one (its rows as Python lists are then never made).

    >>> raw = RawTable("tblInvoices", "Invoices", ["Invoice no", "Buyer ID", "Amount", "Due date"],
    ...                [["A-1", "C1", "1,200.00", "2026-11-28"]])
    >>> parse_raw(raw, INVOICES).frame["amount"].tolist()
    [1200.0]
    """
    rows = [] if raw.grid is not None else raw.rows
    return parse_table(raw.header, rows, schema, sheet=raw.sheet, header_row=raw.header_row,
                       outputs=outputs, rules=rules, grid=raw.grid)


def _check_currency_signs(
    table: ParsedTable, money: dict[str, tuple[NumberRead, Any]], rules: ReadingRules
) -> None:
    """List amounts whose currency sign could be two currencies or contradicts the row's
    currency (the currency column, else the base currency). The amount is still read."""
    money = {k: v for k, v in money.items() if pd.notna(v[0].currency_codes).any()}
    if not money or "currency" not in table.frame:
        return
    row_ccy = pd.Series(table.frame["currency"], dtype=object).str.strip().str.upper()
    if rules.base_currency:
        row_ccy = row_ccy.where(row_ccy.notna(), rules.base_currency)
    row = row_ccy.to_numpy(dtype=object)
    for name, (read, raw) in money.items():
        for i, rule in currency_sign_problems(read, raw, table.field(name), row, rules):
            table.problems.append(
                Problem(table.sheet, int(table.excel_rows[i]), table.field(name), _show(raw[i]), rule)
            )


# --------------------------------------------------------------------------- row checks
def _duplicates(table: ParsedTable, name: str) -> None:
    ids = table.frame[name]
    dup = ids.notna() & ids.duplicated(keep="first")
    if dup.any():
        pos = np.flatnonzero(dup.to_numpy())
        table.problem(pos, name, ids.to_numpy()[pos], Message("table.duplicate", {"column": table.field(name)}))


def _required_cells(table: ParsedTable) -> None:
    for col in table.schema.inputs:
        if not col.required:
            continue
        vals = table.frame[col.name]
        missing = vals.isna().to_numpy()
        if missing.any():
            pos = np.flatnonzero(missing)
            # a cell that was unreadable already has its problem; report blanks only
            seen = {(p.row, p.column) for p in table.problems}
            header = table.field(col.name)
            pos = np.asarray([p for p in pos if (int(table.excel_rows[p]), header) not in seen], dtype=np.int64)
            if pos.size:
                table.problem(pos, col.name, [None] * pos.size, Message("table.required", {"column": header}))


def check_buyers(table: ParsedTable) -> None:
    """Add row-level problems of the buyer table: blank required cells, duplicate IDs.

    >>> t = parse_table(["Buyer ID", "Name"], [["C1", "Acme"], ["C1", "Acme again"], [None, "X"]], BUYERS)
    >>> check_buyers(t); [(p.row, p.rule) for p in t.problems]
    [(4, 'Buyer ID is required; the cell is blank'), (3, 'Buyer ID appears more than once; listed once is expected')]
    """
    _required_cells(table)
    _duplicates(table, "buyer_id")


def check_invoices(table: ParsedTable, buyer_ids: Any | None = None, as_of: dt.date | None = None) -> None:
    """Add row-level problems of the invoice table: blanks, duplicates, unknown buyers (one
    problem per buyer), due dates before invoice dates, payments above the amount, and
    invoices dated after the as-of date (left out of the run).

    >>> t = parse_table(["Invoice no", "Buyer ID", "Amount", "Invoice date", "Due date"],
    ...                 [["1", "C9", 100.0, "2026-11-30", "2026-11-01"]], INVOICES)
    >>> check_invoices(t, ["C1"]); [p.rule for p in t.problems]
    ["Buyer ID 'C9' is not in the buyer table (1 invoice(s))", 'Due date is before Invoice date (2026-11-30)']
    """
    _required_cells(table)
    _duplicates(table, "invoice_no")
    f = table.frame
    if buyer_ids is not None:
        known = set(pd.Series(list(buyer_ids), dtype=object).dropna().tolist())
        ids = f["buyer_id"].to_numpy(dtype=object)
        unknown = (f["buyer_id"].notna() & ~f["buyer_id"].isin(known)).to_numpy()
        positions = np.flatnonzero(unknown)
        if positions.size:
            by_buyer = pd.Series(positions).groupby(ids[positions], sort=False)
            for buyer, group in by_buyer:  # one problem per unknown buyer, not per invoice
                rows_of = group.to_numpy()
                more = _rows_text(table.excel_rows[rows_of[1:]])
                table.problem(rows_of[:1], "buyer_id", [buyer],
                              Message("table.unknown_buyer", {"column": table.field("buyer_id"),
                                                              "value": describe(buyer), "count": rows_of.size,
                                                              "more": more}))
    inv = f["invoice_date"].to_numpy(dtype="datetime64[ns]")
    due = f["due_date"].to_numpy(dtype="datetime64[ns]")
    early = due < inv  # NaT compares False
    for pos in np.flatnonzero(early):
        table.problem(np.asarray([pos]), "due_date", [due[pos]],
                      Message("table.due_before_invoice", {"column": table.field("due_date"),
                                                           "other": table.field("invoice_date"),
                                                           "date": str(inv[pos])[:10]}))
    if as_of is not None:
        later = inv > np.datetime64(as_of, "ns")
        if later.any():
            late = np.flatnonzero(later)
            more = _rows_text(table.excel_rows[late[1:]])
            table.problem(late[:1], "invoice_date", [inv[late[0]]],
                          Message("table.after_as_of", {"count": late.size, "as_of": f"{as_of:%Y-%m-%d}",
                                                        "more": more}))
    amount = f["amount"].to_numpy(dtype=float)
    paid = f["paid_amount"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        over = (np.abs(paid) > np.abs(amount) + 0.005) & ~np.isnan(paid) & ~np.isnan(amount)
    for pos in np.flatnonzero(over):
        table.problem(np.asarray([pos]), "paid_amount", [paid[pos]],
                      Message("table.paid_over", {"column": table.field("paid_amount"),
                                                  "other": table.field("amount"), "amount": f"{amount[pos]:,.2f}"}))


def _rows_text(rows: Any, limit: int = 5) -> Message | str:
    """"; also rows 3, 4" (with "and N more" past ``limit``), or "" when there are none."""
    rows = [int(r) for r in rows]
    if not rows:
        return ""
    shown = ", ".join(map(str, rows[:limit]))
    if len(rows) > limit:
        return Message("table.also_rows_more", {"rows": shown, "more": len(rows) - limit})
    return Message("table.also_rows", {"rows": shown})


def has_paid_history(table: ParsedTable) -> bool:
    """True when the invoice table holds paid invoices (a paid date); an open-items-only
    export has none, and the KPIs that need payment history (CEI, DSO over the window, days
    beyond terms) mean nothing there.

    >>> t = parse_table(["Invoice no", "Buyer ID", "Amount", "Due date"], [["1", "C1", 5.0, "2026-11-01"]], INVOICES)
    >>> has_paid_history(t)
    False
    """
    return bool(table.frame["paid_date"].notna().any()) if "paid_date" in table.frame else False


def no_paid_history_problem(table: ParsedTable) -> Problem | None:
    """The problem to list for an open-items-only ledger (None when paid invoices exist).

    >>> t = parse_table(["Invoice no", "Buyer ID", "Amount", "Due date"], [["1", "C1", 5.0, "2026-11-01"]], INVOICES)
    >>> no_paid_history_problem(t).rule[:45]
    'The invoice table has no paid invoices (no pa'
    """
    if has_paid_history(table) or not len(table.frame):
        return None
    header_row = int(table.excel_rows[0] - table.data_index[0] - 1)
    return Problem(table.sheet, header_row, table.field("paid_date"), "", Message("table.no_paid_history"))


#: Problems repeating one rule in one column more often than this are shown as one line.
GROUP_AFTER = 5


def group_problems(problems: list[Problem], limit: int = GROUP_AFTER) -> list[Problem]:
    """One line per column for a systematic issue: the same rule (whatever the value) in
    more than ``limit`` cells of a column becomes one problem with the count and examples.

    >>> ps = [Problem("Invoices", r, "Amount", f"x{r}", f"amount: 'x{r}' is not a number") for r in range(2, 12)]
    >>> [p.rule for p in group_problems(ps)]
    ["amount: 'x2' is not a number (10 cells in this column; also rows 3, 4, 5, 6, 7 and 4 more)"]
    """
    keys: list[tuple[str, str, str]] = []
    for p in problems:
        text = str(p.rule)
        shown = "" if p.value is None else str(p.value)
        if shown:
            text = text.replace(describe(p.value), "\x00").replace(shown, "\x00")
        keys.append((p.sheet, p.column, text))
    counts: dict[tuple[str, str, str], list[int]] = {}
    for i, key in enumerate(keys):
        counts.setdefault(key, []).append(i)
    out: list[Problem] = []
    for i, p in enumerate(problems):
        members = counts[keys[i]]
        if len(members) <= limit:
            out.append(p)
        elif members[0] == i:
            rows = [problems[j].row for j in members[1:] if problems[j].row is not None]
            out.append(Problem(p.sheet, p.row, p.column, p.value,
                               Message("table.grouped", {"rule": p.rule, "count": len(members),
                                                         "more": _rows_text(rows)})))
    return out


def reference_markdown() -> str:
    """The tables and columns as Markdown (docs/workbook.md is this text).

    >>> reference_markdown().splitlines()[0]
    '# Workbook tables and columns'
    """
    lines = [
        "# Workbook tables and columns",
        "",
        "Generated by `python -m xlcredit.workbook.schema` from `xlcredit/workbook/schema.py`. Tables are found by",
        "their Excel names; headers match in English or Chinese, whatever their case and spacing,",
        "and the aliases listed. *Output* columns are written by refresh; never type in them.",
        "",
    ]
    for table in TABLES.values():
        lines += [f"## `{table.name}` (sheet {table.sheet('en')} / {table.sheet('zh-CN')})", "",
                  "| Column | English | 中文 | Kind | Role | Also accepted |",
                  "|---|---|---|---|---|---|"]
        for c in table.columns:
            role = "output" if c.output else ("required" if c.required else "optional")
            aliases = ", ".join((*c.former, *c.aliases)) or "-"
            lines.append(f"| `{c.name}` | {c.en} | {c.zh} | {c.kind} | {role} | {aliases} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(reference_markdown(), end="")
