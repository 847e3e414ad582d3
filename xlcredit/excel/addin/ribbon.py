"""The xlcredit ribbon tab: its buttons, English and Simplified Chinese labels, the
customUI14 XML, and the VBA label table used by the ``getLabel`` callbacks.

Office does not switch ribbon XML by language, so every label comes from a VBA callback
(``xlcredit_ribbon.GetLabel``) that asks Office for its user-interface language
(``Application.LanguageSettings.LanguageID(msoLanguageIDUI)``) and answers in Chinese for
2052 (zh-CN) and 4100 (zh-SG), in English otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from xlcredit.excel.addin.vbatext import assign
from xlcredit.messages import text as _text

__all__ = [
    "BUTTONS",
    "CUSTOMUI14_NS",
    "GROUPS",
    "NO_WORKBOOK",
    "PROTECTED_VIEW",
    "RIBBON_MODULE",
    "Button",
    "Group",
    "customui_xml",
    "guard_vba",
    "label_table_vba",
]

CUSTOMUI14_NS = "http://schemas.microsoft.com/office/2009/07/customui"
RIBBON_MODULE = "xlcredit_ribbon"


@dataclass(frozen=True)
class Group:
    id: str
    en: str
    zh: str


@dataclass(frozen=True)
class Button:
    """One ribbon button: its id, group, VBA callback, icon and texts in both languages."""

    id: str
    group: str
    on_action: str
    image: str
    en: str
    zh: str
    tip_en: str
    tip_zh: str
    size: str = "large"


GROUPS = (
    Group("grpCredit", "Credit check", "信用检查"),
    Group("grpReceivables", "Receivables", "应收账款"),
    Group("grpBuyer", "Selected buyer", "所选客户"),
    Group("grpAbout", "Settings", "设置"),
)

BUTTONS = (
    Button("btnRefreshAll", "grpCredit", "OnRefreshAll", "RefreshAll",
           "Refresh all", "全部刷新",
           "Refresh buyers, flags and the Aging, Collections, Dashboard and Credit hold sheets.",
           "刷新客户、风险标记以及账龄、催收、仪表板和信用冻结工作表。"),
    Button("btnRefreshBuyers", "grpCredit", "OnRefreshBuyers", "Refresh",
           "Refresh buyers", "刷新客户",
           "Recompute score, band, PD and credit limit for every buyer.",
           "重新计算每个客户的信用评分、风险等级、违约概率和信用额度。"),
    Button("btnFlagHighRisk", "grpCredit", "OnFlagHighRisk", "ConditionalFormattingMenu",
           "Flag high risk", "标记高风险",
           "Highlight buyers in the riskiest bands or over their limit.",
           "突出显示高风险等级或超出信用额度的客户。"),
    Button("btnAging", "grpReceivables", "OnAging", "TableInsert",
           "Aging", "账龄分析",
           "Rebuild the Aging sheet from the open invoices.",
           "根据未收发票重新生成账龄工作表。"),
    Button("btnCollections", "grpReceivables", "OnCollections", "ListMacros",
           "Collections", "催收清单",
           "Rebuild the prioritised collections worklist (your notes are kept).",
           "重新生成按优先级排序的催收清单（保留您的备注）。"),
    Button("btnDashboard", "grpReceivables", "OnDashboard", "ChartInsert",
           "Dashboard", "仪表板",
           "Rebuild the Dashboard sheet: DSO, CEI, aging and top exposures.",
           "重新生成仪表板：DSO、CEI、账龄和最大风险敞口。"),
    Button("btnCreditHold", "grpReceivables", "OnCreditHold", "ReviewProtectWorkbook",
           _text("hold.button", "en"), _text("hold.button", "zh-CN"),
           _text("hold.button_tip", "en"), _text("hold.button_tip", "zh-CN")),
    Button("btnImportLedger", "grpReceivables", "OnImportLedger", "GetExternalDataFromText",
           "Import ledger", "导入账款",
           "Import the receivables export of your ERP (CSV or Excel) into the Invoices table; "
           "the mapping of the last import is used again.",
           "将 ERP 导出的应收数据（CSV 或 Excel）导入发票表；沿用上次导入的对应设置。"),
    Button("btnPaymentPlan", "grpBuyer", "OnPaymentPlan", "Calculator",
           "Payment plan", "还款计划",
           "Create a payment plan sheet for the buyer in the selected row.",
           "为所选行的客户生成还款计划工作表。"),
    Button("btnStatement", "grpBuyer", "OnStatement", "FilePrint",
           "Statement", "对账单",
           "Create a printable statement of account for the buyer in the selected row.",
           "为所选行的客户生成可打印的对账单。"),
    Button("btnPolicy", "grpAbout", "OnPolicy", "FileProperties",
           "Policy", "信用政策",
           "Open the Policy sheet (settings of the credit policy).",
           "打开信用政策工作表（信用政策设置）。"),
    Button("btnUpgrade", "grpAbout", "OnUpgrade", "FileSaveAs",
           _text("upgrade.button", "en"), _text("upgrade.button", "zh-CN"),
           _text("upgrade.button_tip", "en"), _text("upgrade.button_tip", "zh-CN")),
    Button("btnHelp", "grpAbout", "OnHelp", "Help",
           "Help and version", "帮助与版本",
           "Show the xlcredit and xlwings versions and where to find help.",
           "显示 xlcredit 和 xlwings 的版本以及帮助信息。"),
)


def customui_xml() -> str:
    """The ribbon as customUI14 XML (Office 2010 and later).

    Examples
    --------
    Which buttons will an accountant see on the xlcredit tab?

    >>> import xml.etree.ElementTree as ET
    >>> root = ET.fromstring(customui_xml())
    >>> ns = {"c": CUSTOMUI14_NS}
    >>> [b.get("id") for b in root.iterfind(".//c:button", ns)][:3]
    ['btnRefreshAll', 'btnRefreshBuyers', 'btnFlagHighRisk']
    """
    cb = RIBBON_MODULE
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<customUI xmlns="{CUSTOMUI14_NS}" onLoad="{cb}.OnRibbonLoad">',
        "  <ribbon>",
        "    <tabs>",
        '      <tab id="xlcreditTab" label="xlcredit">',
    ]
    for group in GROUPS:
        lines.append(f'        <group id="{group.id}" getLabel="{cb}.GetLabel">')
        for b in BUTTONS:
            if b.group != group.id:
                continue
            lines.append(
                f'          <button id="{b.id}" size="{b.size}" imageMso={quoteattr(b.image)}'
                f' getLabel="{cb}.GetLabel" getScreentip="{cb}.GetLabel"'
                f' getSupertip="{cb}.GetSupertip" onAction="{cb}.{b.on_action}"/>'
            )
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines)


def label_table_vba() -> str:
    """The VBA function ``RibbonText(controlId, part, chinese)`` holding every label and
    tip in both languages (Chinese written with ChrW: the module is cp1252).

    >>> print(label_table_vba().splitlines()[0])
    Private Function RibbonText(ByVal controlId As String, ByVal part As String, ByVal chinese As Boolean) As String
    """
    out = [
        "Private Function RibbonText(ByVal controlId As String, ByVal part As String,"
        " ByVal chinese As Boolean) As String",
        "    Dim s As String",
        '    Select Case controlId & "|" & part',
    ]
    entries: list[tuple[str, str, str]] = []
    for g in GROUPS:
        entries.append((f"{g.id}|label", g.en, g.zh))
    for b in BUTTONS:
        entries.append((f"{b.id}|label", b.en, b.zh))
        entries.append((f"{b.id}|tip", b.tip_en, b.tip_zh))
    for key, en, zh in entries:
        out.append(f'        Case "{key}"')
        out.append("            If chinese Then")
        out += ["                " + line for line in assign("s", zh)]
        out.append("            Else")
        out += ["                " + line for line in assign("s", en)]
        out.append("            End If")
    out += [
        "        Case Else",
        "            s = controlId",
        "    End Select",
        "    RibbonText = s",
        "End Function",
    ]
    return "\n".join(out) + "\n"


#: What a button says when there is no workbook to work on (English, Chinese).
NO_WORKBOOK = (
    "xlcredit works on the open workbook, and no workbook is open. Open your credit workbook "
    "(or make one with xlcredit new), then press the button again.",
    "xlcredit 需要处理当前工作簿，但现在没有打开任何工作簿。请打开您的信用管理工作簿"
    "（或用 xlcredit new 新建），然后再按此按钮。",
)
#: ... and when the workbook is in Protected View (add-ins cannot change it there).
PROTECTED_VIEW = (
    "xlcredit cannot change this workbook while it is in Protected View. Click Enable Editing "
    "in the yellow bar, then press the button again.",
    "此工作簿处于受保护的视图中，xlcredit 无法修改它。请单击黄色栏中的“启用编辑”，然后再按此按钮。",
)


def guard_vba() -> str:
    """The VBA function ``WorkbookReady()`` every button calls before ``RunPython``: True when
    there is an active workbook; otherwise a message box in the user interface's language
    (Protected View told apart through ``Application.ActiveProtectedViewWindow``).

    >>> print(guard_vba().splitlines()[0])
    Private Function WorkbookReady() As Boolean
    """
    out = [
        "Private Function WorkbookReady() As Boolean",
        "    Dim noBookEn As String, noBookZh As String, protectedEn As String, protectedZh As String",
        "    Dim message As String, inProtectedView As Boolean",
        "    If Not ActiveWorkbook Is Nothing Then",
        "        WorkbookReady = True",
        "        Exit Function",
        "    End If",
    ]
    for var, text in (("noBookEn", NO_WORKBOOK[0]), ("noBookZh", NO_WORKBOOK[1]),
                      ("protectedEn", PROTECTED_VIEW[0]), ("protectedZh", PROTECTED_VIEW[1])):
        out += ["    " + line for line in assign(var, text)]
    out += [
        "    On Error Resume Next  ' ActiveProtectedViewWindow exists from Excel 2010 on",
        "    inProtectedView = Not Application.ActiveProtectedViewWindow Is Nothing",
        "    On Error GoTo 0",
        "    If inProtectedView Then",
        "        If IsChineseUI() Then message = protectedZh Else message = protectedEn",
        "    Else",
        "        If IsChineseUI() Then message = noBookZh Else message = noBookEn",
        "    End If",
        '    MsgBox message, vbExclamation, "xlcredit"',
        "    WorkbookReady = False",
        "End Function",
    ]
    return "\n".join(out) + "\n"
