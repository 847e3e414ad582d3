"""Texts of the group workbook written by ``xlcredit combine`` (issue 16, item 4): group
exposure across the teams' workbooks, matches to confirm, conflicts, and its messages."""

TEXTS: dict[str, tuple[str, str]] = {
    # sheet names
    "group.sheet_buyers": ("Group buyers", "集团客户"),
    "group.sheet_teams": ("By team", "分部明细"),
    "group.sheet_matches": ("Matches to confirm", "待确认匹配"),
    "group.sheet_conflicts": ("Conflicts", "信用冲突"),
    "group.sheet_books": ("Workbooks", "团队工作簿"),
    "group.sheet_policy": ("Group policy", "集团信用政策"),
    "group.sheet_limits": ("Group limits", "集团信用额度"),
    # titles and notes
    "group.title_buyers": ("Group exposure by buyer", "集团客户风险敞口汇总"),
    "group.note_buyers": ("Combined on {date} from {n} team workbooks; amounts in {ccy} at the rates of the sheet "
                          "{policy}. Buyers are the same when their buyer IDs are, or when you confirmed the match "
                          "on the sheet {matches}.",
                          "{date} 由 {n} 个团队工作簿汇总；金额单位：{ccy}，按“{policy}”表的汇率折算。"
                          "客户编号相同、或已在“{matches}”表确认匹配的客户视为同一客户。"),
    "group.title_teams": ("Group exposure by team", "集团客户风险敞口分部明细"),
    "group.note_teams": ("Each team's figures as its own refresh computes them (as of its own date, sheet {books}), "
                         "converted to {ccy}.",
                         "各团队数据与该团队工作簿刷新时的计算结果一致（截至各自日期，见“{books}”表），折算为 {ccy}。"),
    "group.title_matches": ("Matches to confirm", "待确认的客户匹配"),
    "group.note_matches": ("Buyers with different IDs but the same tax ID or the same name (spaces, punctuation and "
                           "case ignored). Nothing is merged until you type Yes in the column {confirm}: the next "
                           "`xlcredit combine` then adds them up as one group buyer. Type No to keep them apart.",
                           "客户编号不同、但税号或名称相同（忽略空格、标点和大小写）的客户。在“{confirm}”列填写“是”之前"
                           "不会合并：填写后，下次运行 `xlcredit combine` 时合并为同一集团客户。填写“否”则不合并。"),
    "group.no_matches": ("No match to confirm.", "没有待确认的匹配。"),
    "group.title_conflicts": ("Conflicts between teams", "团队之间的信用冲突"),
    "group.note_conflicts": ("The same group buyer with different limits (in the buyer's currency), different risk "
                             "bands, or blocked (on hold or suspended) in some teams only: agree one answer.",
                             "同一集团客户在各团队的信用额度（客户币种）不同、风险等级不同，或仅在部分团队被暂停发货或暂停赊销："
                             "请统一处理。"),
    "group.no_conflicts": ("No conflict between teams.", "各团队之间没有冲突。"),
    "group.title_books": ("Team workbooks", "团队工作簿"),
    "group.note_books": ("Read only: combine never changes a team's workbook.",
                         "只读：汇总不会修改任何团队工作簿。"),
    "group.title_policy": ("Group policy", "集团信用政策"),
    "group.note_policy": ("The group's base currency, language and FX rates (value of one unit in the base currency). "
                          "`xlcredit combine` created this sheet and never rewrites it: change it here.",
                          "集团本位币、语言和汇率（1 单位外币折合本位币金额）。本表由 `xlcredit combine` 创建，"
                          "以后不再改写：请直接在此修改。"),
    "group.title_limits": ("Group limits", "集团信用额度"),
    "group.note_limits": ("Type a group limit (in the group's base currency) for a group buyer ID. Where none is "
                          "typed, the group limit is the sum of the teams' limits. `xlcredit combine` never "
                          "rewrites this sheet.",
                          "按集团客户编号填写集团信用额度（集团本位币）。未填写时，集团信用额度为各团队信用额度之和。"
                          "`xlcredit combine` 不会改写本表。"),
    # headers
    "group.h_group_id": ("Group buyer ID", "集团客户编号"),
    "group.h_name": ("Name", "客户名称"),
    "group.h_tax_id": ("Tax ID", "税号"),
    "group.h_teams": ("Teams", "团队数"),
    "group.h_exposure": ("Exposure ({ccy})", "风险敞口（{ccy}）"),
    "group.h_overdue": ("Overdue ({ccy})", "逾期金额（{ccy}）"),
    "group.h_group_limit": ("Group limit ({ccy})", "集团信用额度（{ccy}）"),
    "group.h_limit_typed": ("Group limit", "集团信用额度"),
    "group.h_limit_basis": ("Limit basis", "信用额度来源"),
    "group.h_headroom": ("Headroom ({ccy})", "可用额度（{ccy}）"),
    "group.h_conflicts": ("Conflicts", "冲突"),
    "group.h_workbook": ("Workbook", "工作簿"),
    "group.h_buyer_id": ("Buyer ID", "客户编号"),
    "group.h_band": ("Band", "风险等级"),
    "group.h_decision": ("Decision", "审批建议"),
    "group.h_team_ccy": ("Team base currency", "团队本位币"),
    "group.h_team_exposure": ("Exposure (team base)", "风险敞口（团队本位币）"),
    "group.h_team_overdue": ("Overdue (team base)", "逾期金额（团队本位币）"),
    "group.h_rate": ("Rate to {ccy}", "折合 {ccy} 汇率"),
    "group.h_limit": ("Limit ({ccy})", "信用额度（{ccy}）"),
    "group.h_limit_own": ("Current limit (buyer ccy)", "现有信用额度（客户币种）"),
    "group.h_limit_ccy": ("Limit currency", "信用额度币种"),
    "group.h_other_id": ("Other buyer ID", "对方客户编号"),
    "group.h_other_name": ("Other name", "对方客户名称"),
    "group.h_other_workbook": ("Other workbook", "对方工作簿"),
    "group.h_matched_by": ("Matched by", "匹配依据"),
    "group.h_status": ("Status", "状态"),
    "group.h_confirm": ("Same buyer? (Yes/No)", "是否同一客户（是/否）"),
    "group.h_conflict": ("Conflict", "冲突类型"),
    "group.h_detail": ("By team", "各团队情况"),
    "group.h_file": ("File", "文件"),
    "group.h_base": ("Base currency", "本位币"),
    "group.h_as_of": ("As of", "截至日期"),
    "group.h_buyers": ("Buyers", "客户数"),
    "group.h_note": ("Note", "备注"),
    "group.h_setting": ("Setting", "设置项"),
    "group.h_value": ("Value", "值"),
    # values
    "group.sep": ("; ", "；"),
    "group.colon": (": ", "："),
    "group.yes": ("Yes", "是"),
    "group.no": ("No", "否"),
    "group.by_tax": ("same tax ID", "税号相同"),
    "group.by_name": ("same name", "名称相同"),
    "group.by_both": ("same tax ID and name", "税号和名称均相同"),
    "group.status_merged": ("merged", "已合并"),
    "group.status_apart": ("kept apart", "不合并"),
    "group.status_open": ("waiting for your answer", "待确认"),
    "group.basis_set": ("set on the sheet {sheet}", "“{sheet}”表设定"),
    "group.basis_sum": ("sum of the teams' limits", "各团队信用额度之和"),
    "group.basis_unknown": ("not known: a team's limit or FX rate is missing", "无法确定：缺少某团队的信用额度或汇率"),
    "group.c_limit": ("different limits", "信用额度不同"),
    "group.c_band": ("different risk bands", "风险等级不同"),
    "group.c_blocked": ("blocked in some teams only", "仅部分团队暂停发货或暂停赊销"),
    "group.c_name": ("same buyer ID, different names", "客户编号相同但名称不同"),
    "group.blocked": ("blocked", "已冻结"),
    "group.not_blocked": ("not blocked", "未冻结"),
    "group.read_ok": ("read", "已读取"),
    "group.read_failed": ("left out: {why}", "未计入：{why}"),
    # messages
    "group.err_read": ("{book}: {why}; left out of the group view", "{book}：{why}；未计入集团汇总"),
    "group.err_no_rate": ("the sheet {sheet} of {group} has no FX rate for {ccy}, the base currency of this "
                          "workbook; add it to its FX table",
                          "{group} 的“{sheet}”表中没有本工作簿本位币 {ccy} 的汇率；请在其汇率表中添加"),
    "group.err_all": ("{book}: {why}; no team workbook could be read, {group} was not written",
                      "{book}：{why}；没有可读取的团队工作簿，未写入 {group}"),
    "group.err_none": ("no team workbook could be read; {group} was not written",
                       "没有可读取的团队工作簿；未写入 {group}"),
    "group.err_twice": ("{book} is given twice; give each team's workbook once",
                        "{book} 重复给出；每个团队工作簿只需给出一次"),
    "group.err_output": ("--output {book} is one of the team workbooks; choose another file (combine never writes "
                         "a team's workbook)",
                         "--output {book} 是团队工作簿之一；请另选文件（汇总不会写入团队工作簿）"),
    "group.err_base": ("--base-currency {given} differs from the base currency {ccy} on the sheet {sheet} of {book}; "
                       "change it on that sheet instead",
                       "--base-currency {given} 与 {book} 的“{sheet}”表中的本位币 {ccy} 不同；请在该表中修改"),
    "group.err_lang": ("--lang {given} differs from the language {lang} on the sheet {sheet} of {book}; change it on "
                       "that sheet (and delete the sheets of the old language), or write a new group workbook",
                       "--lang {given} 与 {book} 的“{sheet}”表中的语言 {lang} 不同；请在该表中修改（并删除旧语言的工作表），"
                       "或另建集团工作簿"),
    "group.warn_cell": ("{sheet} row {row}, {column}: {rule}; taken as blank", "{sheet} 第 {row} 行，{column}：{rule}；按空白处理"),
    "group.warn_policy": ("{sheet}, {column} {value}: {rule}", "{sheet}，{column} {value}：{rule}"),
    "group.summary": ("Combined {n} of {total} workbooks into {out}: {buyers} group buyers, exposure {exposure} {ccy}, "
                      "overdue {overdue} {ccy}; {matches} matches to confirm, {conflicts} conflicts.",
                      "已将 {total} 个工作簿中的 {n} 个汇总到 {out}：集团客户 {buyers} 个，风险敞口 {exposure} {ccy}，"
                      "逾期 {overdue} {ccy}；待确认匹配 {matches} 项，冲突 {conflicts} 项。"),
}
