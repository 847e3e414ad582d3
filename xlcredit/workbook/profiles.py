"""Import profiles: how each ERP or accounting system names the columns of its receivables
export, and how that report is laid out (docs/import.md describes each one).

A profile lists, for each import field (:data:`xlcredit.workbook.schema.IMPORT`), the headers
that system writes, in the languages it ships; the first one present in the export is used.
The column names are facts taken from each product's published documentation and public
examples of its exports; no code of those products is used.

>>> profile("Xero").columns["open_amount"]
('Due',)
>>> sorted(PROFILES)
['erpnext', 'kingdee', 'odoo', 'quickbooks', 'sap', 'xero', 'yonyou']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlcredit.engine.errors import InputError
from xlcredit.messages import Message
from xlcredit.workbook.source_values import DateOrder, DecimalSeparator

__all__ = ["PROFILES", "Profile", "profile"]


@dataclass(frozen=True)
class Profile:
    """How one system's receivables export is read."""

    name: str
    title: str
    #: Headers by import field, in order of preference.
    columns: dict[str, tuple[str, ...]]
    date_order: DateOrder | None = None
    decimal: DecimalSeparator | None = None
    #: Encoding of its CSV exports when they are not UTF-8 (the Chinese systems: GB18030).
    encoding: str | None = None
    #: Fields whose value is given by group heading rows above the items (Xero lists each
    #: contact as a heading, not a column).
    group_fields: tuple[str, ...] = ()
    #: The report lists open items only (an aged balance), so a missing invoice was paid.
    open_items: bool = False
    notes: str = ""
    aliases: tuple[str, ...] = field(default=())


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "sap",
            "SAP FBL5N Customer Line Item Display (spreadsheet or local-file export)",
            {
                "invoice_no": ("Document Number", "DocumentNo", "Document No.", "Belegnummer"),
                "buyer_id": ("Customer", "Account", "Kunde", "Konto"),
                "buyer_name": ("Name 1", "Customer Name", "Name"),
                "company": ("Company Code", "CoCd", "Buchungskreis", "BuKr."),
                "invoice_date": ("Document Date", "Doc. Date", "Belegdatum"),
                "due_date": ("Net due date", "Net Due Dt", "Net Due Date", "Nettofälligkeit"),
                "amount": ("Amount in doc. curr.", "Amount in Doc. Curr.", "Amount in document currency",
                           "Betrag in BW", "Amount in local currency", "Amount in LC",
                           "Betrag in Hauswährung"),
                "currency": ("Document currency", "Curr.", "Currency", "Belegwährung", "Local Currency",
                             "LCurr", "Hauswährung"),
                "paid_date": ("Clearing date", "Clearing Date", "Clrng date", "Ausgleichsdatum"),
                "terms": ("Terms of Payment", "PayT", "Zahlungsbedingung", "ZBd."),
            },
            date_order="DMY",
            notes="Dates day first (28.11.2026), SAP's trailing minus (1.234,56-), 00.00.0000 as "
            "no date; cleared items carry their clearing date.",
            aliases=("fbl5n", "sap-fbl5n"),
        ),
        Profile(
            "odoo",
            "Odoo / OCA Aged Partner Balance with move lines (account_financial_report, XLSX)",
            {
                "invoice_no": ("Entry", "Number", "Journal Entry", "Move"),
                "buyer_id": ("Partner",),
                "buyer_name": ("Partner",),
                "company": ("Company",),
                "invoice_date": ("Date",),
                "due_date": ("Due date", "Due Date"),
                "open_amount": ("Residual", "Amount Residual", "Amount Due"),
                "currency": ("Currency",),
            },
            group_fields=("buyer_id", "buyer_name"),
            open_items=True,
            notes="An aged balance lists residual (open) amounts only: the amount is taken as the "
            "open amount. Partners may be group headings instead of a column.",
            aliases=("oca", "odoo-aged-partner-balance"),
        ),
        Profile(
            "erpnext",
            "ERPNext Accounts Receivable report (CSV or XLSX export)",
            {
                "invoice_no": ("Voucher No", "Sales Invoice"),
                "buyer_id": ("Party", "Customer"),
                "buyer_name": ("Party Name", "Customer Name"),
                "company": ("Company",),
                "invoice_date": ("Posting Date",),
                "due_date": ("Due Date",),
                "amount": ("Invoiced Amount",),
                "open_amount": ("Outstanding Amount", "Outstanding"),
                "currency": ("Currency",),
            },
            open_items=True,
            notes="Paid amount = Invoiced Amount - Outstanding Amount (credit notes included).",
            aliases=("erpnext-ar",),
        ),
        Profile(
            "quickbooks",
            "QuickBooks A/R Aging Detail (export to Excel or CSV)",
            {
                "invoice_no": ("Num", "No.", "Number"),
                "buyer_id": ("Customer", "Name", "Customer full name"),
                "buyer_name": ("Customer", "Name", "Customer full name"),
                "invoice_date": ("Date",),
                "due_date": ("Due Date",),
                "amount": ("Amount",),
                "open_amount": ("Open Balance", "Open balance"),
                "terms": ("Terms",),
            },
            date_order="MDY",
            open_items=True,
            notes="Month-first dates; rows grouped by aging bucket with 'Total for ...' rows; "
            "QuickBooks has no customer ID in this report, so the customer name is the buyer ID.",
            aliases=("qbo", "quickbooks-online", "qb"),
        ),
        Profile(
            "xero",
            "Xero Aged Receivables Detail (export to Excel or CSV)",
            {
                "invoice_no": ("Invoice Number", "Number", "Reference"),
                "buyer_id": ("Contact",),
                "buyer_name": ("Contact",),
                "invoice_date": ("Invoice Date", "Date"),
                "due_date": ("Due Date",),
                "amount": ("Total",),
                "open_amount": ("Due",),
                "currency": ("Currency",),
            },
            group_fields=("buyer_id", "buyer_name"),
            open_items=True,
            notes="'Due' is the amount still owed, not a date; contacts are group headings "
            "followed by 'Total <contact>' rows; the contact name is the buyer ID.",
            aliases=("xero-aged-receivables",),
        ),
        Profile(
            "kingdee",
            "Kingdee 金蝶 K/3 Cloud 云星空 应收单 list (引出 CSV or XLSX)",
            {
                "invoice_no": ("单据编号",),
                "buyer_id": ("客户编码", "往来单位编码", "客户.编码"),
                "buyer_name": ("客户", "客户名称", "往来单位"),
                "company": ("结算组织", "销售组织"),
                "invoice_date": ("业务日期", "单据日期"),
                "due_date": ("到期日",),
                "amount": ("价税合计", "应收金额"),
                "open_amount": ("未核销金额", "未收款金额"),
                "currency": ("币别",),
                "terms": ("收款条件",),
            },
            date_order="YMD",
            encoding="gb18030",
            notes="GB18030 CSV, currency names such as 人民币 and 美元, totals on 合计 rows.",
            aliases=("金蝶", "k3cloud", "kingdee-ar"),
        ),
        Profile(
            "yonyou",
            "Yonyou 用友 U8 / T+ 应收单 or 应收明细 (导出 CSV or XLSX)",
            {
                "invoice_no": ("单据编号", "单据号"),
                "buyer_id": ("客户编码",),
                "buyer_name": ("客户名称", "客户", "往来单位"),
                "invoice_date": ("单据日期",),
                "due_date": ("到期日",),
                "amount": ("原币金额", "金额"),
                "open_amount": ("原币余额", "余额", "未核销金额"),
                "currency": ("币种",),
                "terms": ("付款条件",),
            },
            date_order="YMD",
            encoding="gb18030",
            notes="GB18030 CSV; 小计 and 合计 rows; amounts in the document currency (原币).",
            aliases=("用友", "u8", "yonyou-ar"),
        ),
    )
}


def profile(name: str) -> Profile:
    """The profile called ``name`` (or one of its aliases), whatever the case."""
    key = name.strip().casefold()
    for p in PROFILES.values():
        if key == p.name or key in (a.casefold() for a in p.aliases):
            return p
    raise InputError(Message("importer.bad_profile", {"known": ", ".join(sorted(PROFILES)), "value": repr(name)}))
