"""Texts of the team policy and the decision log (issue 16, items 3 and 5)."""

TEXTS: dict[str, tuple[str, str]] = {
    # problems found while applying a team policy
    "teams.local_team_only": ("team.local_settings names {setting}, which only the team policy sets; "
                              "the team's value is used",
                              "team.local_settings 中的 {setting} 只能由团队政策设置；采用团队政策的值"),
    "teams.local_unknown": ("team.local_settings names {setting}, which is not a setting xlcredit knows; "
                            "check its spelling (e.g. limits.round_to)",
                            "team.local_settings 中的 {setting} 不是 xlcredit 的设置项；请检查拼写（如 limits.round_to）"),
    "teams.local_misfit": ("the local settings {settings} do not fit the team policy ({error}); the team's "
                           "values are used",
                           "本地设置 {settings} 与团队政策不相容（{error}）；采用团队政策的值"),
    "teams.refused": ("the team policy allows no local settings (team.allow_local is FALSE): the team's value "
                      "{team} is used, not this workbook's {local}",
                      "团队政策不允许本地设置（team.allow_local 为 FALSE）：采用团队政策的值 {team}，"
                      "而非本工作簿的 {local}"),
    "teams.unreachable_copy": ("the team policy {source} could not be read ({error}); the last copy read on "
                               "{read_at} (sheet {sheet}) is used",
                               "无法读取团队政策 {source}（{error}）；改用 {read_at} 读取的最近副本（{sheet} 表）"),
    "teams.unreachable_none": ("the team policy {source} could not be read ({error}) and this workbook holds "
                               "no copy of it yet; this workbook's own Policy sheet is used",
                               "无法读取团队政策 {source}（{error}），且本工作簿尚无其副本；采用本工作簿的信用政策表"),
    "teams.source_kind": ("a team policy must be an Excel workbook (.xlsx, .xlsm) or a JSON file (.json); "
                          "got {source}",
                          "团队政策必须是 Excel 工作簿（.xlsx、.xlsm）或 JSON 文件（.json）；当前为 {source}"),
    "teams.not_found": ("file not found", "找不到文件"),
    # the Team policy sheet (the workbook's copy)
    "teams.copy_title": ("Team policy: the last copy this workbook read", "团队信用政策：本工作簿最近读取的副本"),
    "teams.copy_note": ("Written by refresh each time it reads the team policy; used when the source cannot be "
                        "read. Change the team policy at its source, not here.",
                        "每次刷新读取团队政策时写入；无法读取来源时使用此副本。请在团队政策来源处修改，而非此处。"),
    "teams.item": ("Item", "项目"),
    "teams.value": ("Value", "值"),
    "teams.source": ("Source", "来源"),
    "teams.name": ("Team policy", "团队政策"),
    "teams.version": ("Version", "版本"),
    "teams.fingerprint": ("Fingerprint (changes with any team setting)", "指纹（任何团队设置改变时随之改变）"),
    "teams.read_at": ("Read at", "读取时间"),
    "teams.allow_local": ("Local settings allowed", "允许本地设置"),
    "teams.yes": ("yes", "是"),
    "teams.no": ("no", "否"),
    # the Dashboard
    "teams.dash_title": ("Policy applied", "适用的信用政策"),
    "teams.own_policy": ("this workbook's Policy sheet (no team policy source)", "本工作簿的信用政策表（未设团队政策来源）"),
    "teams.status": ("Status", "状态"),
    "teams.status_read": ("read at this refresh", "本次刷新时读取"),
    "teams.status_copy": ("source unreachable: last copy read {read_at} (see Problems)",
                          "来源无法读取：使用 {read_at} 读取的副本（见“问题”表）"),
    "teams.status_none": ("source unreachable and no copy: this workbook's Policy sheet (see Problems)",
                          "来源无法读取且无副本：使用本工作簿的信用政策表（见“问题”表）"),
    "teams.local_title": ("Settings this workbook keeps over the team policy", "本工作簿保留的本地设置"),
    "teams.no_local": ("none: every setting comes from the team policy", "无：所有设置均来自团队政策"),
    "teams.setting": ("Setting", "设置项"),
    "teams.local_value": ("This workbook", "本工作簿"),
    "teams.team_value": ("Team policy", "团队政策"),
    "teams.applied": ("Applied", "采用"),
    "teams.applied_local": ("this workbook's", "本工作簿的值"),
    "teams.applied_team": ("team's (local settings not allowed)", "团队的值（不允许本地设置）"),
    # xlcredit policy export / check
    "teams.exported": ("Wrote the policy of {book} to {out} ({count} settings, fingerprint {fingerprint}).",
                       "已将 {book} 的信用政策写入 {out}（{count} 项设置，指纹 {fingerprint}）。"),
    "teams.export_problems": ("The Policy sheet of {book} has {count} problem(s); fix them before exporting "
                              "a team policy. First: {first}",
                              "{book} 的信用政策表有 {count} 个问题；请先修正再导出团队政策。第一个：{first}"),
    "teams.check_same": ("{book}: same as the team policy {team}", "{book}：与团队政策 {team} 一致"),
    "teams.check_differs": ("{book}: differs from the team policy {team} in {count} setting(s):",
                            "{book}：与团队政策 {team} 有 {count} 项设置不同："),
    "teams.check_line": ("{setting}: workbook {local}, team {team}", "{setting}：工作簿 {local}，团队 {team}"),
    "teams.check_no_source": ("{book}: names no team policy (team.source is blank); give --team SOURCE",
                              "{book}：未指定团队政策（team.source 为空）；请用 --team 指定来源"),
    "teams.check_unreachable": ("{book}: cannot be checked: {why}", "{book}：无法核对：{why}"),
    "teams.check_summary": ("{differ} of {total} workbook(s) differ from the team policy.",
                            "{total} 个工作簿中有 {differ} 个与团队政策不同。"),
    # the decision log
    "teams.no_buyer": ("Buyer ID {buyer} is not in the Buyers table ({sheet}); check the ID",
                       "客户表（{sheet}）中没有客户编号 {buyer}；请检查编号"),
    "teams.buyer_twice": ("Buyer ID {buyer} is on {count} rows of the Buyers table (rows {rows}); keep one "
                          "row per buyer, then record the decision",
                          "客户编号 {buyer} 在客户表中出现 {count} 次（第 {rows} 行）；请每个客户只保留一行后再记录审批"),
    "teams.no_limit": ("no recommended limit for buyer {buyer} in its currency {ccy} (no FX rate?); give the "
                       "limit granted with --limit",
                       "客户 {buyer} 没有以其币种 {ccy} 表示的建议信用额度（缺少汇率？）；请用 --limit 指定批准的信用额度"),
    "teams.bad_limit": ("--limit must be a number >= 0; got {value}", "--limit 必须是不小于 0 的数字；当前为 {value}"),
    "teams.no_approver": ("the approver is not known (no Excel or system user name); give --approver NAME",
                          "无法确定审批人（没有 Excel 或系统用户名）；请用 --approver 指定"),
    "teams.select_buyer": ("Select a cell in a buyer's row of the Buyers table, then press Record decision.",
                           "请先选中客户表中某个客户所在行的单元格，再点击“记录审批”。"),
    "teams.recorded": ("Recorded for {buyer} ({name}): {decision}; limit {old} -> {new} {ccy}, approved by "
                       "{approver} on {date}. Current limit and last review updated on the Buyers sheet; the "
                       "decision is on the {sheet} sheet.",
                       "已记录 {buyer}（{name}）的审批：{decision}；信用额度 {old} → {new} {ccy}，审批人 {approver}，"
                       "日期 {date}。客户表中的现有信用额度和上次复核日期已更新；审批记录见“{sheet}”表。"),
    "teams.none": ("none", "无"),
    "teams.button": ("Record decision", "记录审批"),
    "teams.button_tip": ("Record the selected buyer's recommended decision in the decision log with your name, "
                         "and set its current limit and last review date.",
                         "将所选客户的审批建议连同您的姓名记入审批记录，并更新其现有信用额度和上次复核日期。"),
    # the Dashboard's reviews due
    "teams.reviews_title": ("Credit reviews due", "到期应复核的信用档案"),
    "teams.reviews_count": ("{count} buyer(s) due for review; the {shown} largest exposures are listed.",
                            "共 {count} 个客户应复核；列出风险敞口最大的 {shown} 个。"),
    "teams.reviews_none": ("No credit file is due for review.", "目前没有到期应复核的信用档案。"),
    "teams.last_review": ("Last review", "上次复核日期"),
    "teams.due_on": ("Review due on", "应复核日期"),
    "teams.why": ("Why", "原因"),
    "teams.why_never": ("never reviewed", "从未复核"),
    "teams.why_date": ("review date reached", "已到复核日期"),
    "teams.why_drop": ("score fell", "信用评分下降"),
}
