"""Texts of template versions and ``xlcredit upgrade`` (issue 16, items 1 and 2)."""

TEXTS: dict[str, tuple[str, str]] = {
    "upgrade.header": ("Template version {old} -> {new} ({how})", "模板版本 {old} -> {new}（{how}）"),
    "upgrade.how_stamped": ("stamped in the workbook", "工作簿中记录的版本"),
    "upgrade.how_inferred": ("no stamp: version 0 decided from its tables and columns: {evidence}",
                             "未记录版本：根据其表格和列判定为 0 版：{evidence}"),
    "upgrade.evidence_v0": ("it holds {tables} with their key columns and no version stamp, as the "
                            "templates shipped before versions",
                            "包含 {tables} 及其关键列且没有版本标记，与引入版本号之前发布的模板相同"),
    "upgrade.current": ("Already at the current template version {version}; nothing to change.",
                        "已是当前模板版本 {version}；无需更改。"),
    "upgrade.newer": ("{book} carries template version {version}, newer than this xlcredit knows "
                      "({current}); update xlcredit (pip install -U xlcredit) before upgrading it.",
                      "{book} 的模板版本为 {version}，高于本 xlcredit 所知的版本（{current}）；"
                      "请先更新 xlcredit（pip install -U xlcredit）再升级。"),
    "upgrade.unknown_layout": ("{book} has no table {table}: it is not an xlcredit workbook, or its "
                               "layout cannot be read; create a new one with xlcredit new and copy "
                               "your data into it.",
                               "{book} 中没有表格 {table}：它不是 xlcredit 工作簿，或其结构无法读取；"
                               "请用 xlcredit new 新建工作簿并将数据复制过去。"),
    "upgrade.add_column": ("Table {table} (sheet {sheet}): column {column} added",
                           "表格 {table}（工作表 {sheet}）：新增列 {column}"),
    "upgrade.add_setting": ("Policy setting {setting} added with its default {value}",
                            "信用政策新增设置 {setting}，取默认值 {value}"),
    "upgrade.add_setting_blank": ("Policy setting {setting} added, blank (the built-in default applies)",
                                  "信用政策新增设置 {setting}，留空（使用内置默认值）"),
    "upgrade.add_table": ("Table {table} added on a new sheet {sheet}",
                          "新增表格 {table}，位于新工作表 {sheet}"),
    "upgrade.table_not_added": ("Table {table} belongs on sheet {sheet}, which you already have: "
                                "not added (xlcredit does not write into your sheets); copy it "
                                "from a new template (xlcredit new) if you need it",
                                "表格 {table} 应位于工作表 {sheet}，而该表已存在：未添加"
                                "（xlcredit 不写入您的工作表）；如需要，请从新模板（xlcredit new）复制"),
    "upgrade.sheet_absent": ("Sheet {sheet} of the template is absent (perhaps removed on purpose): "
                             "not re-added", "模板中的工作表 {sheet} 不存在（可能是有意删除）：未重新添加"),
    "upgrade.alias": ("Table {table}: your header {header} is kept; it is read as {column} "
                      "(renamed in the template)",
                      "表格 {table}：保留您的列标题 {header}，按 {column} 读取（模板中已改名）"),
    "upgrade.stamp": ("Template version set to {version} (document property and Policy setting "
                      "template_version)", "模板版本设为 {version}（文档属性及信用政策设置 template_version）"),
    "upgrade.dry_run": ("Dry run: nothing was written.", "试运行：未写入任何内容。"),
    "upgrade.saved": ("Upgraded {book}.", "已升级 {book}。"),
    "upgrade.available": ("Template upgrade available (version {old} -> {new}): run xlcredit upgrade "
                          "or the Upgrade workbook button; it would: {changes}",
                          "有可用的模板升级（版本 {old} -> {new}）：请运行 xlcredit upgrade 或点击"
                          "“升级工作簿”按钮；将会：{changes}"),
    "upgrade.more": ("and {count} more", "另有 {count} 项"),
    "upgrade.button": ("Upgrade workbook", "升级工作簿"),
    "upgrade.button_tip": ("Bring this workbook to the current template: add the new columns, tables "
                           "and Policy settings; your rows, columns and sheets are kept.",
                           "将本工作簿升级到当前模板：新增列、表格和信用政策设置；"
                           "您的数据行、列和工作表均保留。"),
    "upgrade.bad_setting": ("template_version must be a whole number >= 0; got {value}.",
                            "template_version 必须为大于等于 0 的整数；实际为 {value}。"),
}
