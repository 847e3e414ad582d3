"""Texts of the reading rules: what a typed cell could not be read as, and the fix.

``{name}`` is the column (a :class:`~xlcredit.messages.Field`, shown by its header in the
workbook's language) or an Excel function's argument; ``{value}`` is what the user typed.
Keys ending in ``_cli`` name the fix where the settings are options of ``xlcredit import``.
"""

TEXTS: dict[str, tuple[str, str]] = {
    'reading.not_number': (
        '{name}: {value} is not a number',
        '{name}：{value} 不是数字',
    ),
    'reading.minus_hint': (
        '{name}: {value} is not a number (a dash that is not a minus sign? type -)',
        '{name}：{value} 不是数字（含非减号的横线？请输入 -）',
    ),
    'reading.ambiguous_decimal': (
        '{name}: {value} could be {a} or {b} (no value in the column shows its decimal separator); set input.decimal to point or comma on the Policy sheet',
        '{name}：{value} 可能是 {a} 也可能是 {b}（该列没有能判断小数点的值）；请在信用政策表设置 input.decimal 为 point 或 comma',
    ),
    'reading.against_decimal': (
        '{name}: {value} does not fit input.decimal = {setting} (it reads only as {other})',
        '{name}：{value} 不符合 input.decimal = {setting}（只能读作 {other}）',
    ),
    'reading.bad_grouping': (
        '{name}: {value} is not a number (thousands groups must have three digits)',
        '{name}：{value} 不是数字（千位分组必须为三位）',
    ),
    'reading.bool_number': (
        '{name}: {value} is not a number',
        '{name}：{value} 不是数字',
    ),
    'reading.date_number': (
        '{name}: {value} is a date, not a number',
        '{name}：{value} 是日期，不是数字',
    ),
    'reading.infinite': (
        '{name}: {value} is not a finite number',
        '{name}：{value} 不是有限数',
    ),
    'reading.error_cell': (
        '{name}: the cell shows the error {value}; fix the formula or the value it refers to',
        '{name}：单元格显示错误 {value}；请修正公式或其引用的数据',
    ),
    'reading.no_cached_value': (
        '{name}: the formula ={value} has no saved result (the file was written by a program that does not calculate); open it in Excel or LibreOffice, recalculate (Ctrl+Alt+F9) and save',
        '{name}：公式 ={value} 没有保存的计算结果；请在 Excel 或 LibreOffice 中打开、重新计算（Ctrl+Alt+F9）并保存',
    ),
    'reading.currency_ambiguous': (
        '{name}: {value} - the sign {sign} could be {codes}; fill the currency column',
        '{name}：{value} 中的符号 {sign} 可能是 {codes}；请填写币种列',
    ),
    'reading.currency_contradicts': (
        '{name}: {value} is marked {sign} ({codes}) but the currency is {currency}',
        '{name}：{value} 标记为 {sign}（{codes}），但币种为 {currency}',
    ),
    'reading.not_date': (
        '{name}: {value} is not a date (use 2026-11-28, 28/11/2026 or 2026年11月28日)',
        '{name}：{value} 不是日期（请用 2026-11-28、28/11/2026 或 2026年11月28日）',
    ),
    'reading.bool_date': (
        '{name}: {value} is not a date',
        '{name}：{value} 不是日期',
    ),
    'reading.ambiguous_date': (
        '{name}: {value} could be {a} or {b} (no date in the column shows whether the day or the month comes first); set input.date_order to DMY or MDY on the Policy sheet',
        '{name}：{value} 可能是 {a} 也可能是 {b}（该列无法判断日月顺序）；请在信用政策表设置 input.date_order 为 DMY 或 MDY',
    ),
    'reading.mixed_dates': (
        '{name}: {value} could be {a} or {b}, and the column has both day-first ({dmy}) and month-first ({mdy}) dates; set input.date_order on the Policy sheet',
        '{name}：{value} 可能是 {a} 也可能是 {b}，且该列同时有日在前（{dmy}）和月在前（{mdy}）的日期；请设置 input.date_order',
    ),
    'reading.against_order': (
        '{name}: {value} is not a date in the order input.date_order = {setting}',
        '{name}：{value} 不符合 input.date_order = {setting} 的日期顺序',
    ),
    'reading.short_year': (
        '{name}: {value} has a two-digit year and the column does not show its order; type the year in full or set input.date_order',
        '{name}：{value} 年份只有两位且无法判断顺序；请输入四位年份或设置 input.date_order',
    ),
    'reading.out_of_range': (
        '{name}: {value} is outside the dates xlcredit handles (1900 .. 2262)',
        '{name}：{value} 超出可处理的日期范围（1900 .. 2262）',
    ),
    'reading.serial_range': (
        '{name}: {value} is not a date serial number from 1 (1900-01-01) to 132320 (2262-04-11)',
        '{name}：{value} 不是有效的日期序列号（1 至 132320）',
    ),
    'reading.ambiguous_decimal_cli': (
        '{name}: {value} could be {a} or {b} (no value in the file shows its decimal separator); set the decimal separator (--decimal point or --decimal comma)',
        '{name}：{value} 可能是 {a} 也可能是 {b}（文件中没有能判断小数点的值）；请设置 --decimal point 或 --decimal comma',
    ),
    'reading.against_decimal_cli': (
        '{name}: {value} is not a number with a decimal {setting} (it reads only as {other}; check --decimal, or the decimal setting on the Import sheet)',
        '{name}：{value} 不符合 --decimal {setting}（只能读作 {other}；请检查 --decimal 或导入设置表）',
    ),
    'reading.currency_ambiguous_cli': (
        '{name}: {value} - the sign {sign} could be {codes}; map the currency column or set --currency',
        '{name}：{value} 中的符号 {sign} 可能是 {codes}；请映射币种列或设置 --currency',
    ),
    'reading.currency_contradicts_cli': (
        '{name}: {value} is marked {sign} ({codes}) but the currency is {currency} (check the currency column or --currency)',
        '{name}：{value} 标记为 {sign}（{codes}），但币种为 {currency}（请检查币种列或 --currency）',
    ),
    'reading.not_date_cli': (
        '{name}: {value} is not a date (use 2026-11-28 or set --date-order)',
        '{name}：{value} 不是日期（请用 2026-11-28 或设置 --date-order）',
    ),
    'reading.ambiguous_date_cli': (
        '{name}: {value} could be {a} or {b} (no date in the file shows whether the day or the month comes first); set the date order (--date-order DMY or MDY)',
        '{name}：{value} 可能是 {a} 也可能是 {b}（文件中无法判断日月顺序）；请设置 --date-order DMY 或 MDY',
    ),
    'reading.mixed_dates_cli': (
        '{name}: {value} could be {a} or {b}, and the file has both day-first ({dmy}) and month-first ({mdy}) dates; set the date order (--date-order DMY or MDY)',
        '{name}：{value} 可能是 {a} 也可能是 {b}，且文件同时有日在前（{dmy}）和月在前（{mdy}）的日期；请设置 --date-order',
    ),
    'reading.against_order_cli': (
        '{name}: {value} is not a date in the order --date-order {setting} (check --date-order, or the date order on the Import sheet)',
        '{name}：{value} 不符合 --date-order {setting} 的日期顺序（请检查 --date-order 或导入设置表）',
    ),
    'reading.short_year_cli': (
        '{name}: {value} has a two-digit year and the file does not show its order; set the date order (--date-order DMY, MDY or YMD)',
        '{name}：{value} 年份只有两位且无法判断顺序；请设置 --date-order',
    ),
    'reading.implausible_date': (
        '{name}: {value} is before 1990 or more than ten years ahead; check the date (a 1904 date system or a typing slip?)',
        '{name}：{value} 早于 1990 年或晚于十年后；请检查日期',
    ),
    'reading.below_min': ('{name} must be >= {bound}; got {value}', '{name} 必须 ≥ {bound}，实际为 {value}'),
    'reading.above_max': ('{name} must be <= {bound}; got {value}', '{name} 必须 ≤ {bound}，实际为 {value}'),
    'reading.not_whole': ('{name} must be a whole number; got {value}', '{name} 必须为整数，实际为 {value}'),
    'reading.not_flag': ('{name} must be TRUE/FALSE, Y/N or 是/否; got {value}',
                         '{name} 必须为 TRUE/FALSE、Y/N 或 是/否，实际为 {value}'),
    'reading.not_one_column': ('{name} must be one column or one row of cells; got {rows} rows x {columns} '
                               'columns. Select a single column.',
                               '{name} 必须是一列或一行单元格，实际为 {rows} 行 × {columns} 列。请只选择一列。'),
    'reading.lengths_differ': ('{first} has {length} rows but {name} has {n}; give every range the same '
                               'number of rows (or a single cell)',
                               '{first} 有 {length} 行，而 {name} 有 {n} 行；各区域的行数必须相同（或只选一个单元格）'),
}
