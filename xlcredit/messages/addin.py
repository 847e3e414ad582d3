"""Texts of `xlcredit addin install`: what it does, would do, or refuses to do, and why."""

TEXTS: dict[str, tuple[str, str]] = {
    'addin.excel_running': (
        'Excel is running, so xlcredit will not {action} the add-in now: Excel rewrites its list of add-ins when it exits and would undo this. Close every Excel window (check Task Manager for an EXCEL.EXE left in the background), then run `{command}` again.',
        'Excel 正在运行，xlcredit 现在不会{action}加载项：Excel 退出时会重写其加载项列表，从而撤消本次操作。请关闭所有 Excel 窗口（在任务管理器中检查是否有残留在后台的 EXCEL.EXE），然后重新运行 `{command}`。',
    ),
    'addin.install': ('install', '安装'),
    'addin.uninstall': ('uninstall', '卸载'),
    'addin.running_unknown': (
        'WARNING: could not check whether Excel is running (tasklist failed); make sure it is closed, or Excel will undo this when it exits.',
        '警告：无法检查 Excel 是否正在运行（`tasklist` 执行失败）；请确认 Excel 已关闭，否则 Excel 退出时会撤消本次操作。',
    ),
    'addin.windows_only': (
        'xlcredit add-in {action}: Excel add-ins can be installed on Windows only (this is {platform}); nothing was changed. On Windows this command would:',
        'xlcredit 加载项{action}：Excel 加载项只能在 Windows 上安装（当前系统为 {platform}）；未做任何更改。在 Windows 上，此命令将：',
    ),
    'addin.step': ('  - {step}', '  - {step}'),
    'addin.plan_remove_addin': ('remove the add-in {path}', '删除加载项 {path}'),
    'addin.plan_remove_config': (
        'remove INTERPRETER_WIN and UDF MODULES from {path} (the file too if nothing else is left)',
        '从 {path} 中删除 INTERPRETER_WIN 和 UDF MODULES 两项（若文件中已无其他内容，则一并删除该文件）',
    ),
    'addin.plan_unregister': (
        'remove the OPEN value naming the add-in under HKCU\\{key} (other add-ins keep their order) and its entry in the Add-in Manager list',
        '删除 HKCU\\{key} 下指向该加载项的 OPEN 值（其他加载项的顺序不变），并从加载项管理器列表中删除该项',
    ),
    'addin.plan_build': (
        'build the add-in with xlwings from {python} and write it to {path}',
        '用 {python} 中的 xlwings 生成加载项，并写入 {path}',
    ),
    'addin.plan_config': (
        'write {path}: "INTERPRETER_WIN" = {python}, "UDF MODULES" = {module}',
        '写入 {path}："INTERPRETER_WIN" = {python}，"UDF MODULES" = {module}',
    ),
    'addin.plan_register': (
        'register it with Excel: an OPEN value under HKCU\\{key} holding "{path}"',
        '在 Excel 中注册：在 HKCU\\{key} 下写入值为 "{path}" 的 OPEN 项',
    ),
    'addin.not_on_macos': (
        'On macOS neither the functions nor the ribbon of this add-in run; use `xlcredit refresh BOOK.xlsx` (see docs/excel.md).',
        '在 macOS 上，本加载项的函数和功能区均无法运行；请使用 `xlcredit refresh BOOK.xlsx`（见 docs/excel.md）。',
    ),
    'addin.cannot_remove': (
        'cannot remove {path}: it is open (close Excel and run the command again); {error}',
        '无法删除 {path}：文件正被打开（请关闭 Excel 后重新运行此命令）；{error}',
    ),
    'addin.removed': ('removed {path}', '已删除 {path}'),
    'addin.removed_settings': (
        'removed xlcredit settings from {path} (kept your other settings)',
        '已从 {path} 中删除 xlcredit 的设置（保留了您的其他设置）',
    ),
    'addin.unregistered': (
        'unregistered the add-in from HKCU\\{key}',
        '已从 HKCU\\{key} 中注销加载项',
    ),
    'addin.cannot_write': (
        'cannot write {path}: it is open (close Excel and run the command again); {error}',
        '无法写入 {path}：文件正被打开（请关闭 Excel 后重新运行此命令）；{error}',
    ),
    'addin.wrote': ('wrote {path}', '已写入 {path}'),
    'addin.user_site': (
        'WARNING: xlwings is installed for this user only (pip install --user), so its DLL xlwings64-*.dll is in {folder}, where Excel does not look. Install xlcredit into a virtual environment (python -m venv) or a Python installed for this user only, and run `xlcredit addin install` from there (docs/excel.md).',
        '警告：xlwings 仅为当前用户安装（`pip install --user`），其 DLL 文件 `xlwings64-*.dll` 位于 {folder}，Excel 不会在此查找。请将 xlcredit 安装到虚拟环境（`python -m venv`）或仅为当前用户安装的 Python 中，并从那里运行 `xlcredit addin install`（见 docs/excel.md）。',
    ),
    'addin.path_not_encodable': (
        'the interpreter path {python} has characters the Windows code page cannot write, so Excel could not read it from xlcredit.conf; install Python in a folder with a plain name (for example C:\\Python311).',
        '解释器路径 {python} 含有 Windows 代码页无法写入的字符，Excel 将无法从 xlcredit.conf 中读取；请将 Python 安装在名称只含英文字母和数字的文件夹中（例如 `C:\\Python311`）。',
    ),
    'addin.wrote_config': ('wrote {path} (interpreter {python})', '已写入 {path}（解释器 {python}）'),
    'addin.conda_env': (
        '  conda environment {env} of {path} (CONDA PATH, CONDA ENV)',
        '  {path} 的 `conda` 环境 {env}（CONDA PATH、CONDA ENV）',
    ),
    'addin.registered': (
        'registered the add-in with Excel as {name} under HKCU\\{key}',
        '已在 Excel 中注册加载项：HKCU\\{key} 下的 {name}',
    ),
    'addin.start_excel': (
        'Start Excel: the xlcredit tab appears; run `xlcredit addin doctor` if it does not.',
        '请启动 Excel：功能区中会出现 xlcredit 选项卡；若未出现，请运行 `xlcredit addin doctor`。',
    ),
}
