"""Texts of the ledger reader: why an invoice is set aside (left out of aging, receivables and
collections). ``{column}`` is the column's header in the workbook's language."""

TEXTS: dict[str, tuple[str, str]] = {
    "ledger.not_finite": ("{column} is not a finite number", "{column} 不是有效数字"),
    "ledger.date_range": ("{column} is outside 1900-01-01 to 9999-12-31",
                          "{column} 超出日期范围（1900-01-01 至 9999-12-31）"),
    "ledger.no_fx": ("no FX rate for {ccy}", "没有 {ccy} 的汇率"),
    "ledger.no_due": ("no due date", "没有到期日"),
    "ledger.left_out": ("{reason}: invoice {invoice} left out of aging, receivables and collections",
                        "{reason}：发票 {invoice} 未计入账龄、应收账款和催收"),
    "ledger.not_a_frame": ("{name} must be a DataFrame; got {kind}.", "{name} 必须是 DataFrame，实际为 {kind}。"),
    "ledger.no_column": ("The invoice table has no {column} column; add it (required: {required}).",
                         "发票表缺少“{column}”列；请添加（必需的列：{required}）。"),
}
