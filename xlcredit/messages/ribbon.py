"""Texts of the ribbon's message boxes (the add-in's buttons), in the workbook's language."""

TEXTS: dict[str, tuple[str, str]] = {
    "ribbon.internal": ("xlcredit internal error: {kind}: {detail}. The workbook was not saved; please report it "
                        "with `xlcredit addin doctor` output.",
                        "xlcredit 内部错误：{kind}：{detail}。工作簿未保存；请附上 `xlcredit addin doctor` "
                        "的输出报告此问题。"),
    "ribbon.select_buyer": ("Select a cell in a buyer's row of the Buyers table, then press {button}.",
                            "请先选中客户表中某个客户所在行的单元格，再点击“{button}”。"),
    "ribbon.button_plan": ("Payment plan", "还款计划"),
    "ribbon.button_statement": ("Statement", "对账单"),
    "ribbon.no_policy": ("This workbook has no Policy sheet (table tblPolicy); start from `xlcredit new`.",
                         "此工作簿没有信用政策表（表 tblPolicy）；请用 `xlcredit new` 新建的模板开始。"),
    "ribbon.more_lines": ("... and {n} more lines (see the Import sheet)", "……另有 {n} 行（见“导入设置”表）"),
    "ribbon.import_title": ("Import ledger", "导入明细账"),
    "ribbon.help": ("xlcredit {version}, {runtime}\nCredit scores, limits, aging, collections and payment "
                    "plans in Excel.\nGuide: docs/excel.md of the xlcredit project. Diagnose an installation with "
                    "`xlcredit addin doctor`.",
                    "xlcredit {version}，{runtime}\n在 Excel 中完成信用评分、信用额度、账龄分析、催收和"
                    "还款计划。\n使用指南：xlcredit 项目的 `docs/zh-CN`。诊断安装问题：`xlcredit addin doctor`。"),
    "ribbon.dev_version": ("development version", "开发版"),
}
