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

# ---- `xlcredit addin doctor`: one line per check, then what Excel's messages usually mean
TEXTS.update({
    'addin.doc_title': ('xlcredit add-in doctor', 'xlcredit 加载项诊断'),
    'addin.doc_line': ('[{status}] {topic}: {message}', '[{status}] {topic}：{message}'),
    'addin.doc_if_excel_shows': ('If Excel shows one of these messages:', '如果 Excel 显示以下提示之一：'),
    'addin.doc_symptom': ('* {symptom}', '* {symptom}'),
    'addin.doc_cause': ('    cause: {cause}', '    原因：{cause}'),
    'addin.doc_fix': ('    fix:   {fix}', '    解决：{fix}'),
    'addin.topic_python': ('Python', 'Python'),
    'addin.topic_python_kind': ('Python kind', 'Python 类型'),
    'addin.topic_xlwings': ('xlwings', 'xlwings'),
    'addin.topic_udf_module': ('UDF module', 'UDF 模块'),
    'addin.topic_udf_annotations': ('UDF annotations', 'UDF 类型注解'),
    'addin.topic_add_in_version': ('add-in version', '加载项版本'),
    'addin.topic_add_in_functions': ('add-in functions', '加载项函数'),
    'addin.topic_add_in_file': ('add-in file', '加载项文件'),
    'addin.topic_configuration': ('configuration', '配置文件'),
    'addin.topic_xlwings_dll': ('xlwings DLL', 'xlwings DLL'),
    'addin.topic_pywin32': ('pywin32', 'pywin32'),
    'addin.topic_macro_security': ('macro security', '宏安全性'),
    'addin.topic_registration': ('registration', '注册'),
    'addin.topic_blocked_file': ('blocked file', '文件锁定'),
    'addin.macro_1': ('Enable VBA macros', '启用 VBA 宏'),
    'addin.macro_2': ('Disable VBA macros with notification', '禁用 VBA 宏，并发出通知'),
    'addin.macro_3': ('Disable VBA macros except digitally signed macros', '禁用 VBA 宏，数字签名的宏除外'),
    'addin.macro_4': ('Disable VBA macros without notification', '禁用 VBA 宏，且不通知'),
    'addin.macro_other': ('VBAWarnings {level}', '`VBAWarnings` {level}'),
    'addin.doc_trusted': ('{folder} is a trusted location ({setting}).', '{folder} 是受信任位置（{setting}）。'),
    'addin.doc_macros_run': (
        "{setting}: Excel runs the add-in's macros once it is ticked in File > Options > Add-ins.",
        '{setting}：在 文件 > 选项 > 加载项 中勾选后，Excel 即会运行本加载项的宏。',
    ),
    'addin.doc_macros_blocked': (
        '{setting} is set and {folder} is not a trusted location, so Excel silently disables the add-in (no tab actions, #NAME? in every function). Add that folder in Trust Center > Trusted Locations > Add new location (or ask IT to allow it).',
        '已设置“{setting}”，而 {folder} 不是受信任位置，因此 Excel 会静默禁用本加载项（选项卡按钮无效，所有函数显示 #NAME?）。请在 信任中心 > 受信任位置 > 添加新位置 中添加该文件夹（或请 IT 部门放行）。',
    ),
    'addin.doc_dll_ok': ('{dll} found beside {exe}.', '已在 {exe} 旁找到 {dll}。'),
    'addin.doc_dll_missing': (
        "{dll} is not beside {exe} nor one folder up: Excel will say 'File not found: {dll}'. Reinstall: pip install --force-reinstall xlwings=={version} (check that no antivirus removes it).",
        "{dll} 既不在 {exe} 旁，也不在其上一级文件夹中：Excel 将提示 'File not found: {dll}'。请重新安装：`pip install --force-reinstall xlwings=={version}`（并确认杀毒软件没有删除该文件）。",
    ),
    'addin.doc_pywin32_ok': ('pywin32 is installed (needed by the UDF server).', '已安装 pywin32（UDF 服务器需要）。'),
    'addin.doc_pywin32_missing': ('pywin32 is missing: pip install pywin32.', '缺少 pywin32：请运行 `pip install pywin32`。'),
    'addin.doc_registered': (
        'Excel opens the add-in at start-up ({name} under HKCU\\{key}).',
        'Excel 启动时会打开本加载项（HKCU\\{key} 下的 {name}）。',
    ),
    'addin.doc_not_registered': (
        'Excel is not told to open the add-in: run `xlcredit addin install` with Excel closed, or tick it in File > Options > Add-ins > Go...',
        'Excel 未被设置为打开本加载项：请在关闭 Excel 后运行 `xlcredit addin install`，或在 文件 > 选项 > 加载项 > 转到... 中勾选。',
    ),
    'addin.doc_blocked': (
        'The add-in is marked as downloaded from the internet, so Office blocks its macros: right-click it > Properties > Unblock.',
        '本加载项被标记为从互联网下载，因此 Office 会阻止其宏：请右键单击该文件 > 属性 > 解除锁定。',
    ),
    'addin.doc_not_blocked': ('The add-in is not marked as downloaded.', '本加载项未被标记为从互联网下载。'),
    'addin.doc_python': ('Python {version} at {exe} ({bits}-bit).', 'Python {version}，位于 {exe}（{bits} 位）。'),
    'addin.doc_user_python': (
        "xlwings is installed with pip --user, so its DLL is in {folder}, where Excel does not look ('File not found: xlwings64-{version}.dll'). Use a virtual environment or a per-user Python (docs/excel.md, Install).",
        "xlwings 是用 `pip --user` 安装的，其 DLL 位于 {folder}，Excel 不会在此查找（'File not found: xlwings64-{version}.dll'）。请使用虚拟环境或仅为当前用户安装的 Python（见 docs/excel.md 的安装一节）。",
    ),
    'addin.doc_conda_python': (
        'conda environment {env} of {path}: xlcredit.conf must name it (CONDA PATH, CONDA ENV), which `xlcredit addin install` writes.',
        '{path} 的 `conda` 环境 {env}：xlcredit.conf 必须写明该环境（CONDA PATH、CONDA ENV），`xlcredit addin install` 会写入。',
    ),
    'addin.doc_other_python': ('a {kind} Python ({prefix}).', '{kind} 类型的 Python（{prefix}）。'),
    'addin.doc_xlwings_ok': ('xlwings {version}, as the add-in needs.', 'xlwings {version}，与加载项所需一致。'),
    'addin.doc_xlwings_mismatch': (
        'xlwings {version} is installed but the add-in is built for {needed}: pip install xlwings=={needed}, then rerun `xlcredit addin install`.',
        '已安装 xlwings {version}，但加载项是按 {needed} 生成的：请运行 `pip install xlwings=={needed}`，然后重新运行 `xlcredit addin install`。',
    ),
    'addin.doc_udf_missing': (
        '`import {module}` fails in this interpreter, so every function would show ModuleNotFoundError: install xlcredit here (pip install xlcredit).',
        '在此解释器中 `import {module}` 失败，所有函数都会显示 `ModuleNotFoundError`：请在此安装 xlcredit（`pip install xlcredit`）。',
    ),
    'addin.doc_udf_ok': ('{module} imports and declares {count} functions.', '{module} 可以导入，声明了 {count} 个函数。'),
    'addin.doc_udf_annotations': (
        '{names}: a type annotation xlwings does not know as a converter (for example `float | None`); in Excel every call would return an error. Annotate such arguments and results as Any.',
        '{names}：xlwings 不认识的类型注解（例如 `float | None`）；在 Excel 中每次调用都会返回错误。请将这类参数和返回值注解为 `Any`。',
    ),
    'addin.doc_udf_broken': ('{module} fails to import: {error}', '{module} 导入失败：{error}'),
    'addin.doc_installed': ('installed add-in', '已安装的加载项'),
    'addin.doc_built': ('built add-in (not installed here)', '已生成的加载项（本机未安装）'),
    'addin.doc_version_ok': (
        'The {where} {path} uses xlwings {version}, the same as Python.',
        '{where} {path} 使用 xlwings {version}，与 Python 中的一致。',
    ),
    'addin.doc_version_mismatch': (
        'The {where} {path} uses xlwings {version} but Python has {python}: Excel will not find the DLL. Rerun `xlcredit addin install`.',
        '{where} {path} 使用 xlwings {version}，而 Python 中为 {python}：Excel 将找不到 DLL。请重新运行 `xlcredit addin install`。',
    ),
    'addin.doc_functions_missing': (
        'The {where} lacks {count} function(s) of {module} ({names}...): they would show #NAME?. Rebuild/reinstall.',
        '{where} 缺少 {module} 的 {count} 个函数（{names}...）：这些函数会显示 #NAME?。请重新生成或重新安装。',
    ),
    'addin.doc_functions_ok': ('The {where} declares every function of {module}.', '{where} 声明了 {module} 的全部函数。'),
    'addin.doc_no_addin': ('No add-in at {path}: run `{command}`.', '{path} 处没有加载项：请运行 `{command}`。'),
    'addin.doc_config_conda': (
        '{path} lacks CONDA PATH and CONDA ENV for this conda environment: rerun `xlcredit addin install`.',
        '{path} 缺少此 `conda` 环境的 CONDA PATH 和 CONDA ENV：请重新运行 `xlcredit addin install`。',
    ),
    'addin.doc_config_ok': ('{path} names {python}.', '{path} 指定的解释器为 {python}。'),
    'addin.doc_config_no_python': (
        '{path} names no existing interpreter: rerun `xlcredit addin install`.',
        '{path} 指定的解释器不存在：请重新运行 `xlcredit addin install`。',
    ),
    'addin.doc_config_missing': (
        '{path} is missing, so Excel runs whatever `pythonw` is on PATH: rerun `xlcredit addin install`.',
        '{path} 不存在，Excel 会运行 PATH 中找到的任意 `pythonw`：请重新运行 `xlcredit addin install`。',
    ),
    'addin.doc_windows_only': ('Windows only (Excel UDFs need Windows).', '仅限 Windows（Excel 的 UDF 需要 Windows）。'),
    # the troubleshooting table: Excel's own message (as Excel shows it), its usual causes, the fix
    'addin.ts_com_cause': (
        'Excel could not start the Python UDF server: the interpreter in xlcredit.conf is wrong or lacks xlwings/pywin32, Office is the Microsoft Store edition, the Windows user name has non-ASCII letters, or a stale %TEMP%\\gen_py cache (xlwings issues #1166, #1036, #1934, #1785).',
        'Excel 无法启动 Python UDF 服务器：xlcredit.conf 中的解释器有误或缺少 xlwings / pywin32，Office 为应用商店版，Windows 用户名含非 ASCII 字符，或 %TEMP%\\gen_py 缓存已过期（xlwings 问题 #1166、#1036、#1934、#1785）。',
    ),
    'addin.ts_com_fix': (
        'Run `xlcredit addin install` again from the Python that has xlcredit; set SHOW CONSOLE to True in %USERPROFILE%\\.xlcredit\\xlcredit.conf to see the real error; install Office from office.com instead of the Store; delete %TEMP%\\gen_py.',
        '从装有 xlcredit 的 Python 重新运行 `xlcredit addin install`；在 %USERPROFILE%\\.xlcredit\\xlcredit.conf 中将 SHOW CONSOLE 设为 `True` 以查看真实错误；从 `office.com` 而非应用商店安装 Office；删除 %TEMP%\\gen_py。',
    ),
    'addin.ts_dll_cause': (
        'The add-in and the Python package are different xlwings versions (an upgrade of one without the other), or an antivirus removed the DLL (issues #1070, #1595, #2532, #2376).',
        '加载项与 Python 包的 xlwings 版本不同（只升级了其中之一），或杀毒软件删除了 DLL（问题 #1070、#1595、#2532、#2376）。',
    ),
    'addin.ts_dll_fix': (
        'Keep xlwings=={version} and rerun `xlcredit addin install` after every upgrade; check that xlwings64-{version}.dll sits beside python.exe or one folder up; restore it with `pip install --force-reinstall xlwings=={version}`.',
        '保持 `xlwings=={version}`，每次升级后重新运行 `xlcredit addin install`；确认 `xlwings64-{version}.dll` 位于 `python.exe` 旁或其上一级文件夹；可用 `pip install --force-reinstall xlwings=={version}` 恢复。',
    ),
    'addin.ts_name_cause': (
        "Excel does not know the function: the add-in is not loaded (ticked in File > Options > Add-ins), the add-in is older than the function, or the workbook's formulas point at the add-in's old path.",
        'Excel 不认识该函数：加载项未加载（在 文件 > 选项 > 加载项 中勾选），加载项版本早于该函数，或工作簿中的公式指向加载项的旧路径。',
    ),
    'addin.ts_name_fix': (
        'Run `xlcredit addin doctor`; reinstall the add-in; use Data > Edit Links > Change Source to point old formulas at %APPDATA%\\Microsoft\\AddIns\\xlcredit.xlam.',
        '运行 `xlcredit addin doctor`；重新安装加载项；用 数据 > 编辑链接 > 更改源 将旧公式指向 `%APPDATA%\\Microsoft\\AddIns\\xlcredit.xlam`。',
    ),
    'addin.ts_object_cause': (
        'The VBA wrapper could not reach xlwings: a workbook-level copy of old xlwings wrappers or the xlwings reference shadows the add-in, or the wrappers are stale after an upgrade (issues #1163, #2506, #2337).',
        'VBA 包装函数无法连接 xlwings：工作簿中保留的旧 xlwings 包装函数或 xlwings 引用遮蔽了加载项，或升级后包装函数已过期（问题 #1163、#2506、#2337）。',
    ),
    'addin.ts_object_fix': (
        'Rebuild and reinstall the add-in (`xlcredit addin install`); remove any xlwings_udfs module from the workbook itself.',
        '重新生成并安装加载项（`xlcredit addin install`）；从工作簿中删除所有 xlwings_udfs 模块。',
    ),
    'addin.ts_module_cause': (
        'The interpreter in xlcredit.conf is not the one xlcredit is installed in (a second Python, a conda env or a venv).',
        'xlcredit.conf 中的解释器不是安装了 xlcredit 的那个（另一个 Python、`conda` 环境或虚拟环境）。',
    ),
    'addin.ts_module_fix': (
        'Install xlcredit into that interpreter, or rerun `xlcredit addin install` from the interpreter that has it.',
        '将 xlcredit 安装到该解释器中，或从已安装 xlcredit 的解释器重新运行 `xlcredit addin install`。',
    ),
    'addin.ts_blocked': ('Macros blocked / the xlcredit tab is missing', '宏被阻止 / 找不到 xlcredit 选项卡'),
    'addin.ts_blocked_cause': (
        "Office blocks macros in files marked as downloaded from the internet, the add-in is disabled (File > Options > Add-ins > Disabled Items), or the macro setting is 'Disable VBA macros without notification' and the AddIns folder is not a trusted location (see the macro security line above).",
        'Office 会阻止标记为从互联网下载的文件中的宏；或加载项已被禁用（文件 > 选项 > 加载项 > 禁用项目）；或宏设置为“禁用 VBA 宏，且不通知”而 `AddIns` 文件夹不是受信任位置（见上文宏安全性一行）。',
    ),
    'addin.ts_blocked_fix': (
        'Right-click the .xlam > Properties > Unblock, or install with `xlcredit addin install` (which writes the file locally); re-enable it under Disabled Items.',
        '右键单击 .xlam 文件 > 属性 > 解除锁定，或用 `xlcredit addin install` 安装（它在本机写入文件）；在“禁用项目”中重新启用。',
    ),
    "addin.wrong_xlwings": ("the add-in is built for xlwings {want}; this interpreter has xlwings {have}. "
                            "Install xlwings=={want}.",
                            "加载项按 xlwings {want} 构建；当前 Python 环境中的 xlwings 为 {have}。"
                            "请安装 xlwings=={want}。"),
    "addin.template_digest": ("{name} of xlwings {want} must have SHA-256 {expected}; got {digest}. "
                              "Reinstall xlwings=={want}.",
                              "xlwings {want} 的 {name} 的 SHA-256 应为 {expected}，实际为 {digest}。"
                              "请重新安装 xlwings=={want}。"),
})
