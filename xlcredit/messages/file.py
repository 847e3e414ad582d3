"""Texts of the workbook files: a file that cannot be opened, read or written, and why."""

TEXTS: dict[str, tuple[str, str]] = {
    'file.open_elsewhere': (
        '{name} is open in Excel (or another program); close it there and retry, or save the result elsewhere with --output.',
        '{name} 正在 Excel（或其他程序）中打开；请先关闭后重试，或用 --output 将结果另存。',
    ),
    'file.no_workbook_part': (
        '{name} has no workbook part; it is not an Excel file.',
        '{name} 没有工作簿部件，不是 Excel 文件。',
    ),
    'file.strict_xml': (
        '{name} is saved as Strict Open XML; save it as Excel Workbook (.xlsx).',
        '{name} 以严格 Open XML 格式保存；请另存为 Excel 工作簿（.xlsx）。',
    ),
    'file.wrong_extension': (
        '{name} is a workbook with {what}; saved as {name2} Excel would refuse to open it. Write the output to a {wanted} file (--output {name3}).',
        '{name} 是含有 {what} 的工作簿；若另存为 {name2}，Excel 将拒绝打开。请将结果写入 {wanted} 文件（--output {name3}）。',
    ),
    'file.no_such_sheet': (
        '{name} has no sheet named {name2}.',
        '{name} 中没有名为 {name2} 的工作表。',
    ),
    'file.no_such_table': (
        'Table {name} was not found in {name2} (tables found: {known}); select the data and use Insert > Table, then name it {name3} (Table Design > Table Name).',
        '在 {name2} 中找不到表 {name}（已找到的表：{known}）；请选中数据，插入 > 表格，并命名为 {name3}（表设计 > 表名称）。',
    ),
    'file.cannot_read': (
        'Cannot read {name}: {value}; open it in Excel and save it again.',
        '无法读取 {name}：{value}；请在 Excel 中打开并重新保存。',
    ),
    'file.cannot_read_sheet': (
        'Cannot read sheet {sheet} of {name} ({name2}: {value}); the file may be damaged: open it in Excel and save it again.',
        '无法读取 {name} 的工作表 {sheet}（{name2}：{value}）；文件可能已损坏：请在 Excel 中打开并重新保存。',
    ),
    'file.choose_sheet': (
        '{name} has no sheet {sheet} (sheets: {value}); choose one with --sheet.',
        '{name} 中没有工作表 {sheet}（现有工作表：{value}）；请用 --sheet 指定。',
    ),
    'file.bad_sheet_name': (
        "sheet name must be 1-31 characters without : \\ / ? * [ ] and not start or end with '; got {value}.",
        "工作表名称必须为 1-31 个字符，不含 : \\ / ? * [ ]，且不以 ' 开头或结尾；实际为 {value}。",
    ),
    'file.bad_table_name': (
        'table name must start with a letter or _, hold only letters, digits, _ and ., and not look like a cell reference; got {value}.',
        '表名称必须以字母或 _ 开头，只含字母、数字、_ 和 .，且不能形如单元格引用；实际为 {value}。',
    ),
    'file.cf_no_formula': (
        'conditional format on {range} needs a formula; got none.',
        '{range} 上的条件格式需要公式，但没有提供。',
    ),
    'file.cf_bad_operator': (
        'conditional format operator must be one of {known}; got {value}.',
        '条件格式的运算符必须为以下之一：{known}；实际为 {value}。',
    ),
    'file.dropdown_value': (
        'a drop-down value may not contain a comma or a double quote; got {value}.',
        '下拉列表的选项不能包含逗号或双引号；实际为 {value}。',
    ),
    'file.dropdown_length': (
        'a drop-down list must hold 1 to 255 characters of values; got {count} characters on {range}.',
        '下拉列表的选项合计必须为 1 至 255 个字符；{range} 上实际为 {count} 个字符。',
    ),
    'file.print_title_rows': (
        'print title rows must be 0-based (first, last) with first <= last; got {value}.',
        '打印标题行必须为从 0 起计的（首行, 末行），且首行 ≤ 末行；实际为 {value}。',
    ),
    'file.chart_no_series': (
        'chart {name} must have at least one series; got none.',
        '图表 {name} 至少需要一个数据系列，但没有提供。',
    ),
    'file.open_in_program': (
        '{name} is open in {program} (lock file {lock}); close it there and retry, or add --force if nobody has it open (a lock left by a crash).',
        '{name} 正在 {program} 中打开（锁定文件 {lock}）；请先在该程序中关闭后重试；如无人打开（程序崩溃后遗留的锁定文件），请加上 --force。',
    ),
    'file.open_in_program_by': (
        '{name} is open in {program} (by {owner}; lock file {lock}); close it there and retry, or add --force if nobody has it open (a lock left by a crash).',
        '{name} 正在 {program} 中由 {owner} 打开（锁定文件 {lock}）；请先在该程序中关闭后重试；如无人打开（程序崩溃后遗留的锁定文件），请加上 --force。',
    ),
    'file.refresh_running': (
        '{name} is being refreshed by another xlcredit run (process {pid} on {host}); wait for it to finish, or delete {lock} if no run is going on.',
        '{name} 正由另一个 xlcredit 进程刷新（{host} 上的进程 {pid}）；请等待其完成；如并无刷新在进行，请删除 {lock}。',
    ),
    'file.cannot_lock': (
        'Cannot create the lock file {lock} beside {name}: {value}; check that the folder is writable.',
        '无法在 {name} 旁创建锁定文件 {lock}：{value}；请检查该文件夹是否可写。',
    ),
    'file.lock_retry': (
        'Could not lock {name}; try again.',
        '无法锁定 {name}；请重试。',
    ),
    'file.read_only_target': (
        '{name} is read-only; clear the read-only flag (or save with --output to another file) and retry.',
        '{name} 是只读文件；请取消只读属性（或用 --output 另存为其他文件）后重试。',
    ),
    'file.disk_full': (
        'The disk is full; {name} was left as it was. Free some space and retry.',
        '磁盘已满；{name} 保持原样未改动。请释放一些空间后重试。',
    ),
    'file.permission_denied': (
        'Cannot write {name}: permission denied. Close it in Excel (or any other program), check that the file and folder are not read-only, and retry.',
        '无法写入 {name}：没有权限。请在 Excel（或其他程序）中关闭该文件，确认文件和文件夹都不是只读的，然后重试。',
    ),
    'file.cannot_write_file': (
        'Cannot write {name}: {value}; the file was left as it was.',
        '无法写入 {name}：{value}；文件保持原样未改动。',
    ),
    'file.printer_refused': (
        '{sheet}: the printer refused the print settings {settings}; the sheet is complete. Set them in Page Layout once a printer is installed.',
        '{sheet}：打印机不接受打印设置 {settings}；工作表内容完整。安装打印机后请在 页面布局 中设置。',
    ),
    'file.generated_table': (
        'Table {name} was generated in this run; rebuild its sheet.',
        '表 {name} 是本次运行生成的；请重建其工作表。',
    ),
    'file.column_length': (
        'column {header} of {name} needs {n_rows} values, one per row; got {n_values}.',
        '{name} 的列 {header} 需要 {n_rows} 个值（每行一个），实际为 {n_values} 个。',
    ),
    'file.cannot_write_table': (
        'Cannot write table {name}: {exc}.',
        '无法写入表 {name}：{exc}。',
    ),
    'file.cannot_write_table_on_sheet': (
        'Cannot write table {name} on sheet {sheet}: {exc}.',
        '无法写入工作表 {sheet} 上的表 {name}：{exc}。',
    ),
    'file.generated_table_rows': (
        'Table {name} was generated in this run; rebuild its sheet.',
        '表 {name} 是本次运行生成的；请重建其工作表。',
    ),
    'file.not_a_data_row': (
        'row {index} is not a data row of {name} (it has {n_rows}).',
        '第 {index} 行不是 {name} 的数据行（共 {n_rows} 行）。',
    ),
    'file.cannot_write_rows': (
        'Cannot write table {name} on sheet {sheet}: {exc}.',
        '无法写入工作表 {sheet} 上的表 {name}：{exc}。',
    ),
    'file.no_room_below': (
        'Cannot add {count} rows to table {name} on sheet {sheet}: cell {ref} below the table is not empty; move what is there (or the table), then import again.',
        '无法向工作表 {sheet} 上的表 {name} 添加 {count} 行：表下方的单元格 {ref} 不为空；请移走该处内容（或移动表格）后重新导入。',
    ),
    'file.protected_sheet': (
        'Sheet {sheet} is protected, so xlcredit will not write to it; unprotect it (Review > Unprotect Sheet) and refresh again.',
        '工作表 {sheet} 受保护，xlcredit 不会写入；请撤消保护（审阅 > 撤消工作表保护）后再次刷新。',
    ),
    'file.no_room_columns': (
        'Table {name} has no room for {count} more columns.',
        '表 {name} 没有空间再添加 {count} 列。',
    ),
    'file.no_room_right': (
        'Cannot add output columns to table {name} on sheet {sheet}: cell {value} right of the table is not empty; move what is there, then refresh again.',
        '无法向工作表 {sheet} 上的表 {name} 添加输出列：表右侧的单元格 {value} 不为空；请移走该处内容后再次刷新。',
    ),
    'file.sheet_not_ours': (
        '{name} already has a sheet named {names} that xlcredit did not create; rename or move that sheet, then refresh again (xlcredit never overwrites your sheets).',
        '{name} 中已有一个名为 {names} 的工作表，且不是 xlcredit 创建的；请重命名或移动该工作表后再次刷新（xlcredit 从不覆盖您的工作表）。',
    ),
    'file.table_name_taken': (
        'A table named {name} already exists on sheet {where}; rename that table (Table Design > Table Name) and refresh again.',
        '工作表 {where} 上已有名为 {name} 的表；请重命名该表（表设计 > 表名称）后再次刷新。',
    ),
    'file.no_sheet_named': (
        '{name} has no sheet named {sheet}.',
        '{name} 中没有名为 {sheet} 的工作表。',
    ),
    'file.read_only': (
        '{name} was opened read-only; it cannot be saved.',
        '{name} 以只读方式打开，无法保存。',
    ),
    'file.dtd_entities': (
        'Part {part} of the workbook declares a DTD or entities, which xlcredit refuses for safety; open the file in Excel and save it again.',
        '工作簿部件 {part} 声明了 DTD 或实体，出于安全考虑 xlcredit 拒绝读取；请在 Excel 中打开并重新保存。',
    ),
    'file.bad_xml': (
        'Part {part} of the workbook is not valid XML ({exc}).',
        '工作簿部件 {part} 不是有效的 XML（{exc}）。',
    ),
    'file.dtd': (
        'Part {part} of the workbook declares a DTD; xlcredit refuses it.',
        '工作簿部件 {part} 声明了 DTD；xlcredit 拒绝读取。',
    ),
    'file.missing': (
        'Workbook {path} does not exist; check the path.',
        '工作簿 {path} 不存在；请检查路径。',
    ),
    'file.cannot_open': (
        'Cannot read {path}: {value}.',
        '无法读取 {path}：{value}。',
    ),
    'file.damaged': (
        '{label} is damaged and cannot be read as a workbook ({exc}); open it in Excel and save it again.',
        '{label} 已损坏，无法作为工作簿读取（{exc}）；请在 Excel 中打开并重新保存。',
    ),
    'file.zip_not_workbook': (
        '{label} is a zip file but not an Excel workbook; save it as .xlsx.',
        '{label} 是 zip 文件，但不是 Excel 工作簿；请另存为 .xlsx。',
    ),
    'file.lacks_part': (
        '{label} lacks the part {part}; it may be damaged.',
        '{label} 缺少部件 {part}；文件可能已损坏。',
    ),
    'file.too_many_parts_to_write': (
        'a workbook of {n_members} parts is more than xlcredit writes.',
        '包含 {n_members} 个部件的工作簿超出 xlcredit 的写入范围。',
    ),
    'file.too_big_to_write': (
        'a workbook over 4 GB is more than xlcredit writes.',
        '超过 4 GB 的工作簿超出 xlcredit 的写入范围。',
    ),
    'file.xls_or_password': (
        '{label} is an Excel 97-2003 (.xls) or password-protected file; open it in Excel and save it as Excel Workbook (.xlsx), without a password.',
        '{label} 是 Excel 97-2003（.xls）文件或受密码保护的文件；请在 Excel 中打开，另存为不带密码的 Excel 工作簿（.xlsx）。',
    ),
    'file.xlsb': (
        '{label} is a binary workbook (.xlsb); save it as .xlsx in Excel.',
        '{label} 是二进制工作簿（.xlsb）；请在 Excel 中另存为 .xlsx。',
    ),
    'file.other_kind': (
        '{label} is {kind}; open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx).',
        '{label} 是 {kind}；请在 Excel 或 LibreOffice 中打开，另存为 Excel 工作簿（.xlsx）。',
    ),
    'file.ods': (
        '{label} is an OpenDocument spreadsheet (.ods); save it as Excel Workbook (.xlsx).',
        '{label} 是 OpenDocument 电子表格（.ods）；请另存为 Excel 工作簿（.xlsx）。',
    ),
    'file.too_many_parts': (
        '{label} has {n_infos} parts (limit {max_parts}); refused.',
        '{label} 有 {n_infos} 个部件（上限 {max_parts}）；已拒绝。',
    ),
    'file.zip_bomb': (
        '{label} unpacks to more than xlcredit accepts (part {filename}: {file_size} bytes); it looks like a zip bomb and was refused.',
        '{label} 解压后超出 xlcredit 可接受的大小（部件 {filename}：{file_size} 字节）；疑似压缩炸弹，已拒绝。',
    ),
    'file.read_only_change': ('{name} was opened read-only; it cannot be changed.', '{name} 以只读方式打开，无法修改。'),
}
