"""Texts of a refresh as a whole (the workbook's tables, how generated texts are joined)."""

TEXTS: dict[str, tuple[str, str]] = {
    "refresh.no_table_buyers": (
        "The workbook has no table named {table} (the buyers table; tables found: {found}). Select the buyers "
        "data, Insert > Table, and name it {table} (Table Design > Table Name); or start from `xlcredit new`.",
        "工作簿中没有名为 {table} 的表（客户表；已找到的表：{found}）。请选中客户数据，插入 > 表格，并命名为 {table}"
        "（表设计 > 表名称）；或用 `xlcredit new` 新建工作簿。",
    ),
    "refresh.no_table_invoices": (
        "The workbook has no table named {table} (the invoices table; tables found: {found}). Select the invoices "
        "data, Insert > Table, and name it {table} (Table Design > Table Name); or start from `xlcredit new`.",
        "工作簿中没有名为 {table} 的表（发票表；已找到的表：{found}）。请选中发票数据，插入 > 表格，并命名为 {table}"
        "（表设计 > 表名称）；或用 `xlcredit new` 新建工作簿。",
    ),
    "refresh.list_sep": ("; ", "；"),
    "refresh.colon": (": ", "："),
    "refresh.summary_buyers": ("Buyers {buyers}, high risk {high_risk}", "客户 {buyers}，高风险 {high_risk}"),
    "refresh.summary_overdue": ("Overdue {amount} {ccy}, DSO {dso} days", "逾期 {amount} {ccy}，DSO {dso} 天"),
    "refresh.summary_problems": ("Problems {problems} (see the Problems sheet)", "数据问题 {problems}（见“问题”表）"),
    "refresh.summary_no_dso": ("Overdue {amount} {ccy}, DSO n/a days", "逾期 {amount} {ccy}，DSO 无法计算（无赊销）"),
}
