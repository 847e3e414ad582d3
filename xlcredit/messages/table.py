"""Texts of the table checks: a missing or doubled column, blank or repeated keys, rows that
contradict each other. ``{column}`` is the column's header in the workbook's language."""

TEXTS: dict[str, tuple[str, str]] = {
    "table.missing_column": (
        "Table {table} (sheet {sheet}) has no column for {column} (looked for: {looked}). "
        "Add the column or rename its header.",
        "表 {table}（工作表 {sheet}）缺少“{column}”列（已查找：{looked}）。请添加该列或修改列标题。",
    ),
    "table.two_columns": (
        "columns {a} and {b} both stand for {column}; the first is used. Rename or delete the other",
        "{a} 和 {b} 两列都表示“{column}”；使用第一列。请重命名或删除另一列",
    ),
    "table.duplicate": (
        "{column} appears more than once; listed once is expected",
        "{column} 重复出现；每个值只应列出一次",
    ),
    "table.required": ("{column} is required; the cell is blank", "{column} 为必填项，单元格为空"),
    "table.unknown_buyer": (
        "{column} {value} is not in the buyer table ({count} invoice(s){more})",
        "{column} {value} 不在客户表中（{count} 张发票{more}）",
    ),
    "table.due_before_invoice": ("{column} is before {other} ({date})", "{column} 早于{other}（{date}）"),
    "table.after_as_of": (
        "{count} invoice(s) dated after the as-of date {as_of} are left out of aging and the KPIs{more}; "
        "set as_of on the Policy sheet (or --as-of) if the date is wrong",
        "{count} 张发票的开票日期晚于截止日 {as_of}，未计入账龄和各项指标{more}；如截止日有误，"
        "请在信用政策表设置 as_of（或使用 --as-of）",
    ),
    "table.paid_over": ("{column} is more than {other} ({amount})", "{column} 大于{other}（{amount}）"),
    "table.also_rows": ("; also rows {rows}", "；另见第 {rows} 行"),
    "table.also_rows_more": ("; also rows {rows} and {more} more", "；另见第 {rows} 行及其他 {more} 行"),
    "table.grouped": ("{rule} ({count} cells in this column{more})", "{rule}（该列共 {count} 个单元格{more}）"),
    "table.no_paid_history": (
        "The invoice table has no paid invoices (no paid dates): an open-items-only export. "
        "Collection effectiveness, DSO and days beyond terms need paid history and are not "
        "meaningful; import paid invoices of the last 12 months for them",
        "发票表中没有已收款的发票（没有收款日期），只是未清项导出。回款效率（CEI）、DSO 和超期天数需要收款记录，"
        "目前没有意义；请导入最近 12 个月已收款的发票",
    ),
}
