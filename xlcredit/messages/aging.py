"""Texts of the aging: bucket labels ({0}, {1}: days) and its argument errors."""

TEXTS: dict[str, tuple[str, str]] = {
    'aging.not_due': ('Not due', '未到期'),
    'aging.over': ('Over {0}', '{0}天以上'),
    'aging.range': ('{0}-{1}', '{0}-{1}天'),
    'aging.total': ('Total', '合计'),
    'aging.overdue': ('Overdue', '逾期'),
    'aging.disputed': ('Disputed', '争议'),
    'aging.no_edges': ('aging.bucket_edges must list at least one number of days; got none.', 'aging.bucket_edges 必须至少列出一个天数，实际为空。'),
    'aging.language': ("language must be 'en' or 'zh-CN'; got {value}.", "language 必须为 'en' 或 'zh-CN'，实际为 {value}。"),
    'aging.no_due_date': ('due_dates: row {row} has an amount ({amount}) but no due date; {count} such row(s). Add the due dates.', 'due_dates：第 {row} 行有金额（{amount}）但没有到期日；共 {count} 行如此。请补充到期日。'),
}
