"""Texts of the ``xlcredit`` command: errors, summaries, help and argparse's own phrases."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- errors (one line on stderr; the exit code comes from the error's class)
    "cli.error": ("xlcredit: error: {message}", "xlcredit：错误：{message}"),
    "cli.interrupted": ("xlcredit: interrupted; the workbook was left as it was.",
                        "xlcredit：已中断；工作簿保持原样。"),
    "cli.os_error": ("xlcredit: error: {reason} ({path})", "xlcredit：错误：{reason}（{path}）"),
    "cli.os_error_nopath": ("xlcredit: error: {reason}", "xlcredit：错误：{reason}"),
    "cli.os_not_found": ("No such file or directory", "文件或文件夹不存在"),
    "cli.os_denied": ("Permission denied", "没有访问权限"),
    "cli.os_is_dir": ("Is a directory", "这是一个文件夹"),
    "cli.os_no_space": ("No space left on device", "磁盘空间不足"),
    "cli.os_other": ("The file cannot be read or written (system error {code})",
                     "无法读写文件（系统错误 {code}）"),
    "cli.internal": ("xlcredit: internal error: {kind}: {detail} (run again with --debug and report it)",
                     "xlcredit：内部错误：{kind}：{detail}（请加 --debug 重新运行并报告此问题）"),
    "cli.bad_date": ("--as-of must be a date as YYYY-MM-DD; got {value}. Try --as-of 2026-11-30.",
                     "--as-of 须为 `YYYY-MM-DD` 格式的日期；收到 {value}。例如 --as-of 2026-11-30。"),
    "cli.bad_lang": ("--lang must be en or zh-CN; got {value}", "--lang 须为 `en` 或 `zh-CN`；收到 {value}"),
    "cli.bad_sample": ("{option} must be a whole number from 0 to 100000; got {value}",
                       "{option} 须为 0 到 100000 的整数；收到 {value}"),
    "cli.bad_currency": ("must be an ISO 4217 currency code such as EUR, USD or CNY; got {value}",
                         "须为 ISO 4217 币种代码，如 EUR、USD 或 CNY；收到 {value}"),
    "cli.bad_map": ("--map must be FIELD=HEADER, e.g. --map invoice_no=Belegnummer; got {value}",
                    "--map 须为 字段=列标题，如 --map invoice_no=单据编号；收到 {value}"),
    "cli.bad_buyers": ("--buyers must be overdue, all or buyer IDs separated by commas; got {value}",
                       "--buyers 须为 `overdue`、`all` 或以逗号分隔的客户编号；收到 {value}"),
    "cli.missing": ("{path} does not exist. Create one with: xlcredit new {path}",
                    "{path} 不存在。可用以下命令新建：`xlcredit new {path}`"),
    "cli.not_workbook": ("{name} is not an .xlsx or .xlsm workbook; open it in Excel and save it as "
                         "Excel Workbook (.xlsx).",
                         "{name} 不是 Excel 工作簿（`.xlsx` 或 `.xlsm`）；请在 Excel 中打开并另存为“Excel 工作簿”。"),
    "cli.exists": ("{path} already exists; choose another name or add --force to replace it.",
                   "{path} 已存在；请换一个文件名，或加 --force 覆盖。"),
    "cli.no_output_folder": ("The folder {folder} for --output does not exist; create it or choose "
                             "another folder.",
                             "--output 指定的文件夹 {folder} 不存在；请先创建或另选文件夹。"),
    "cli.out_is_file": ("--out {path} is a file; give a folder (it is created if missing).",
                        "--out {path} 是一个文件；请指定文件夹（不存在时会自动创建）。"),
    # ---- what a command did
    "cli.new_done": ("Wrote {path} ({language}, {what}{base}).", "已生成 {path}（{language}，{what}{base}）。"),
    "cli.new_sample": ("with {n} sample buyers", "含 {n} 个示例客户"),
    "cli.new_empty": ("empty", "空白模板"),
    "cli.new_base": (", base currency {ccy}", "，本位币 {ccy}"),
    "cli.import_saved": ("Saved {path}. Run `xlcredit refresh {path}` to update aging and scores.",
                         "已保存 {path}。运行 `xlcredit refresh {path}` 更新账龄和信用评分。"),
    "cli.refreshed": ("Refreshed {path} in {seconds:.1f} s", "已刷新 {path}，用时 {seconds:.1f} 秒"),
    "cli.demo_writing": ("Writing a sample workbook with {n} buyers to {path} ...",
                         "正在生成含 {n} 个客户的示例工作簿：{path} ……"),
    "cli.demo_open": ("Open {path} in Excel (or LibreOffice) to see the Buyers, Aging, Collections and "
                      "Dashboard sheets.",
                      "请用 Excel（或 LibreOffice）打开 {path}，查看客户、账龄、催收和仪表板工作表。"),
    "cli.statements_done": ("Wrote {n} statements ({fmt}) to {folder}", "已生成 {n} 份对账单（{fmt}），保存在 {folder}"),
    "cli.statement_done": ("Wrote {n} statement ({fmt}) to {folder}", "已生成 {n} 份对账单（{fmt}），保存在 {folder}"),
    "cli.letters_done": ("Wrote {n} letters (.eml with the statement attached) to {folder}; logged on "
                         "the Letters sheet of {path}",
                         "已生成 {n} 封催款函（`.eml` 邮件草稿，附对账单），保存在 {folder}；已记入 {path} 的函件记录表"),
    "cli.letter_done": ("Wrote {n} letter (.eml with the statement attached) to {folder}; logged on "
                        "the Letters sheet of {path}",
                        "已生成 {n} 封催款函（`.eml` 邮件草稿，附对账单），保存在 {folder}；已记入 {path} 的函件记录表"),
    "cli.addin_built": ("Built {path}", "已生成 {path}"),
    # ---- help
    "cli.prog_help": ("Trade-credit management for Excel workbooks: buyer scores, credit limits, aging, DSO, "
                      "collections and payment plans.",
                      "Excel 工作簿中的赊销信用管理：客户信用评分、信用额度、账龄、DSO、催收和还款计划。"),
    "cli.usage": ("usage: ", "用法："),
    "cli.positionals": ("positional arguments", "位置参数"),
    "cli.options": ("options", "选项"),
    "cli.h_help": ("show this help message and exit", "显示本帮助并退出"),
    "cli.h_version": ("show the version and exit", "显示版本号并退出"),
    "cli.h_debug": ("show a full traceback on errors", "出错时显示完整的错误跟踪"),
    "cli.h_lang": ("language of messages: en or zh-CN (default: the workbook's, else en); for new and demo "
                   "also the template's",
                   "提示信息的语言：`en` 或 `zh-CN`（默认跟随工作簿，否则为 `en`）；用于 `new` 和 `demo` 时也是模板语言"),
    "cli.h_new": ("write a new credit-control template workbook", "生成新的信用管理模板工作簿"),
    "cli.d_new": ("Write a new credit-control template workbook (.xlsx).", "生成新的信用管理模板工作簿（`.xlsx`）。"),
    "cli.h_new_path": ("the workbook to write, e.g. credit_control.xlsx", "要生成的工作簿，如 credit_control.xlsx"),
    "cli.h_sample": ("fill in N buyers of realistic synthetic data and their invoices",
                     "填入 `N` 个模拟客户及其发票"),
    "cli.h_force": ("replace the file if it exists", "文件已存在时覆盖"),
    "cli.h_base": ("the workbook's base currency (ISO code; default EUR, CNY for zh-CN)",
                   "工作簿的本位币（ISO 代码；默认 EUR，中文模板为 CNY）"),
    "cli.h_import": ("import an ERP or accounting export into tblInvoices", "将 ERP 或财务软件导出的数据导入发票表"),
    "cli.d_import": ("Upsert the invoices of an ERP export (CSV or a sheet of a workbook) into tblInvoices by "
                     "invoice number, add missing buyers to tblBuyers and save the mapping in the workbook for "
                     "next time. Columns map by --map, then the profile, then header aliases. See docs/import.md.",
                     "按发票号将 ERP 导出数据（CSV 或工作簿中的工作表）更新或添加到发票表，补充缺少的客户，"
                     "并在工作簿中保存列对应关系供下次使用。列的对应顺序：--map、导入配置、列标题别名。"
                     "详见 docs/import.md。"),
    "cli.h_source": ("the export: .csv, .txt, .xlsx or .xlsm", "导出文件：`.csv`、`.txt`、`.xlsx` 或 `.xlsm`"),
    "cli.h_book": ("the credit-control workbook (.xlsx or .xlsm)", "信用管理工作簿（`.xlsx` 或 `.xlsm`）"),
    "cli.h_map": ("read FIELD (invoice_no, buyer_id, buyer_name, amount, open_amount, paid_amount, currency, "
                  "invoice_date, due_date, paid_date, terms, company) from the column HEADER; repeat for each "
                  "field",
                  "从列标题为 `HEADER` 的列读取字段 `FIELD`（`invoice_no`、`buyer_id`、`buyer_name`、`amount`、"
                  "`open_amount`、`paid_amount`、`currency`、`invoice_date`、`due_date`、`paid_date`、`terms`、"
                  "`company`）；每个字段写一次"),
    "cli.h_profile": ("sap, odoo, erpnext, quickbooks, xero, kingdee or yonyou",
                      "导入配置：`sap`、`odoo`、`erpnext`、`quickbooks`、`xero`、`kingdee`（金蝶）或 `yonyou`（用友）"),
    "cli.h_date_order": ("order of day, month and year in text dates", "文本日期中日、月、年的顺序"),
    "cli.h_decimal": ("decimal separator of text numbers", "文本数字的小数点"),
    "cli.h_currency": ("currency of rows whose currency is blank", "币种为空的行使用的币种"),
    "cli.h_encoding": ("encoding of a CSV that is not UTF-8, e.g. gb18030", "非 `UTF-8` 的 CSV 文件编码，如 `gb18030`"),
    "cli.h_open_items": ("the export lists open items only: invoices of the same source missing from it are "
                         "marked paid as of the export date (flagged as inferred)",
                         "导出数据仅含未结项目：同一来源中未出现的发票按导出日期标记为已收款（并标注为推断）"),
    "cli.h_sheet": ("the sheet of a workbook export", "工作簿导出文件中的工作表"),
    "cli.h_dry_run": ("show what would change; write nothing", "只显示将要修改的内容，不写入"),
    "cli.h_refresh": ("refresh a workbook as the ribbon's Refresh all does, without Excel",
                      "不用 Excel 刷新工作簿（与功能区“全部刷新”相同）"),
    "cli.d_refresh": ("Score buyers, recommend limits and rebuild the Aging, Collections and Dashboard sheets of "
                      "a workbook, without Excel. The file is saved atomically: a failed run leaves it as it was.",
                      "不用 Excel 计算客户信用评分、给出建议信用额度，并重建账龄、催收和仪表板工作表。"
                      "文件以原子方式保存：运行失败时文件保持原样。"),
    "cli.h_path": ("the workbook (.xlsx or .xlsm)", "工作簿（`.xlsx` 或 `.xlsm`）"),
    "cli.h_as_of": ("the date to age and score at (default: the Policy sheet's, else today)",
                    "账龄和信用评分的截止日期（默认取信用政策表中的日期，否则为今天）"),
    "cli.h_output": ("write the refreshed workbook here instead of replacing PATH",
                     "将刷新后的工作簿写到此处，而不覆盖 PATH"),
    "cli.h_refresh_force": ("refresh even when Excel's or LibreOffice's lock file says the book is open",
                            "即使 Excel 或 LibreOffice 的锁定文件显示工作簿已打开，也强制刷新"),
    "cli.h_upgrade": ("bring a workbook made from an older template to the current one",
                      "将用旧版模板制作的工作簿升级到当前模板"),
    "cli.d_upgrade": ("Compare the workbook with the current template and add what is missing: columns, tables "
                      "(on new sheets), Policy settings with their defaults, the template version stamp. Every "
                      "row, column, sheet, chart, comment, name and formula of yours is kept; a header renamed in "
                      "the template keeps your spelling (read as an alias). Prints what changed. See "
                      "docs/teams.md.",
                      "将工作簿与当前模板比较并补上缺少的部分：列、表（放在新工作表中）、信用政策设置（取默认值）"
                      "和模板版本标记。您的所有行、列、工作表、图表、批注、名称和公式都会保留；模板中改名的列标题"
                      "保留您的写法（作为别名读取）。完成后列出修改内容。详见 `docs/teams.md`。"),
    "cli.h_upgrade_output": ("write the upgraded workbook here instead of replacing BOOK",
                             "将升级后的工作簿写到此处，而不覆盖 `BOOK`"),
    "cli.h_demo": ("write a sample workbook and refresh it", "生成示例工作簿并刷新"),
    "cli.d_demo": ("Write a sample workbook of realistic size and refresh it.", "生成一个规模接近实际的示例工作簿并刷新。"),
    "cli.h_dir": ("folder for the workbook (default: demo)", "工作簿所在文件夹（默认：`demo`）"),
    "cli.h_buyers_n": ("number of sample buyers (default {n})", "示例客户数（默认 {n}）"),
    "cli.h_demo_as_of": ("the as-of date (default: the sample's)", "截止日期（默认取示例数据的日期）"),
    "cli.h_statements": ("write a statement of account per buyer (PDF or .xlsx)", "为每个客户生成对账单（PDF 或 `.xlsx`）"),
    "cli.d_statements": ("Write one statement of account per buyer: open invoices with dates, amounts, paid "
                         "amounts and days overdue, disputed items marked, totals and the aging line per currency, "
                         "our company's details and payment instructions (Policy sheet, company.*), in the "
                         "workbook's language. The workbook is only read.",
                         "为每个客户生成一份对账单：未收发票的日期、金额、已收金额和逾期天数，标出争议发票，"
                         "按币种列示合计和账龄，并附本公司信息和收款说明（信用政策表 `company.*`），"
                         "语言与工作簿一致。只读取工作簿，不作修改。"),
    "cli.h_out": ("folder for the files (created if missing)", "输出文件夹（不存在时自动创建）"),
    "cli.h_buyers_sel": ("overdue (default): buyers with an overdue item; all: buyers with an open item; or "
                         "buyer IDs separated by commas",
                         "`overdue`（默认）：有逾期款项的客户；`all`：有未结款项的客户；或以逗号分隔的客户编号"),
    "cli.h_format": ("pdf (default) or xlsx", "`pdf`（默认）或 `xlsx`"),
    "cli.h_statement_date": ("the statement date (default: the Policy sheet's, else today)",
                             "对账日期（默认取信用政策表中的日期，否则为今天）"),
    "cli.h_letters": ("write a dunning e-mail draft per buyer at its highest step (.eml)",
                      "按客户所处最高催收阶段，为每个客户生成催款邮件草稿（`.eml`）"),
    "cli.d_letters": ("Write one dunning letter per buyer at its highest dunning step, for the whole account, as "
                      "an .eml draft (X-Unsent: Outlook opens it as a draft) with the buyer's statement PDF "
                      "attached. Texts come from the Policy sheet (tblLetters); disputed items and items with a "
                      "promise not yet due are left out and the letter says so. Each draft is added to the "
                      "Letters log (sheet Letters) of the workbook, which is saved.",
                      "按客户所处最高催收阶段，为每个客户生成一封催款函（`.eml` 邮件草稿，邮件客户端打开后即为草稿），"
                      "附该客户的对账单 PDF。函件内容取自信用政策表（催款函模板）；争议发票和承诺付款日未到的"
                      "发票不列入，函中会说明。每份草稿都记入工作簿的函件记录表，并保存工作簿。"),
    "cli.h_letter_date": ("the letter date (default: the Policy sheet's, else today)",
                          "函件日期（默认取信用政策表中的日期，否则为今天）"),
    "cli.h_addin": ("build, install or diagnose the Excel add-in", "生成、安装或诊断 Excel 加载项"),
    "cli.d_addin": ("Build, install or diagnose the xlcredit Excel add-in.", "生成、安装或诊断 xlcredit Excel 加载项。"),
    "cli.h_action": ("build: write workbooks/xlcredit.xlam; install: register it with Excel (Windows); doctor: "
                     "check an installation",
                     "`build`：生成 `workbooks/xlcredit.xlam`；`install`：在 Excel 中注册加载项；`doctor`：检查安装"),
    "cli.h_uninstall": ("with install: undo the installation", "与 `install` 同用：卸载"),
    "cli.h_addin_output": ("with build: where to write the add-in", "与 `build` 同用：加载项的输出位置"),
    # ---- argparse's own phrases (matched in English, shown in the chosen language)
    "cli.ap_required": ("the following arguments are required: {names}", "缺少必需的参数：{names}"),
    "cli.ap_argument": ("argument {name}: {detail}", "参数 {name}：{detail}"),
    "cli.ap_choice": ("invalid choice: {value} (choose from {choices})", "无效的选项：{value}（可选：{choices}）"),
    "cli.ap_unrecognized": ("unrecognized arguments: {names}", "无法识别的参数：{names}"),
    "cli.ap_expected_one": ("expected one argument", "需要一个值"),
}
