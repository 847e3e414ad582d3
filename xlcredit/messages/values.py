"""Texts of the engine's refusals of malformed values (:mod:`xlcredit.engine.values`): the
argument, the rule, the value and its kind, and the reader that turns cells into clean values.
"""

TEXTS: dict[str, tuple[str, str]] = {
    "values.refuse": (
        "{name} must be {rule}; got {value} ({kind}). Read cell values with xlcredit.workbook.excel_values.{reader} first.",
        "{name} 必须是{rule}，实际为 {value}（{kind}）。请先用 xlcredit.workbook.excel_values.{reader} 读取单元格的值。",
    ),
    "values.rule_number": ("a number (blank for unknown)", "数字（未知时留空）"),
    "values.rule_flag": ("TRUE/FALSE or 1/0 (blank for no)", "TRUE/FALSE 或 1/0（否时留空）"),
    "values.rule_date": (
        "a date (datetime64, a date, or ISO text such as 2026-11-28)",
        "日期（日期值，或 2026-11-28 这样的 ISO 文本）",
    ),
    "values.kind_text": ("text", "文本"),
    "values.same_rows": (
        "{first} has {n_first} rows but {second} has {n_second}; give both the same number of rows.",
        "{first} 有 {n_first} 行，而 {second} 有 {n_second} 行；两者的行数必须相同。",
    ),
}
