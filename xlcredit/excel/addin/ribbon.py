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
from xlcredit.messages import pair

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


def _group(id: str) -> Group:
    """A ribbon group whose label is the catalogue's ``ribbon.group.<id>``."""
    return Group(id, *pair(f"ribbon.group.{id}"))


def _button(id: str, group: str, on_action: str, image: str, size: str = "large") -> Button:
    """A ribbon button whose label and tip are the catalogue's ``ribbon.button.<id>`` and
    ``ribbon.tip.<id>``."""
    return Button(id, group, on_action, image, *pair(f"ribbon.button.{id}"), *pair(f"ribbon.tip.{id}"), size=size)


GROUPS = (
    _group("grpCredit"),
    _group("grpReceivables"),
    _group("grpBuyer"),
    _group("grpAbout"),
)

BUTTONS = (
    _button("btnRefreshAll", "grpCredit", "OnRefreshAll", "RefreshAll"),
    _button("btnRefreshBuyers", "grpCredit", "OnRefreshBuyers", "Refresh"),
    _button("btnFlagHighRisk", "grpCredit", "OnFlagHighRisk", "ConditionalFormattingMenu"),
    _button("btnAging", "grpReceivables", "OnAging", "TableInsert"),
    _button("btnCollections", "grpReceivables", "OnCollections", "ListMacros"),
    _button("btnDashboard", "grpReceivables", "OnDashboard", "ChartInsert"),
    _button("btnCreditHold", "grpReceivables", "OnCreditHold", "ReviewProtectWorkbook"),
    _button("btnProvision", "grpReceivables", "OnProvision", "Calculator"),
    _button("btnForecast", "grpReceivables", "OnForecast", "ChartInsert"),
    _button("btnImportLedger", "grpReceivables", "OnImportLedger", "GetExternalDataFromText"),
    _button("btnPaymentPlan", "grpBuyer", "OnPaymentPlan", "Calculator"),
    _button("btnStatement", "grpBuyer", "OnStatement", "FilePrint"),
    _button("btnRecordDecision", "grpBuyer", "OnRecordDecision", "SignatureLineInsert"),
    _button("btnPolicy", "grpAbout", "OnPolicy", "FileProperties"),
    _button("btnUpgrade", "grpAbout", "OnUpgrade", "FileSaveAs"),
    _button("btnHelp", "grpAbout", "OnHelp", "Help"),
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
NO_WORKBOOK = pair("ribbon.no_workbook")
#: ... and when the workbook is in Protected View (add-ins cannot change it there).
PROTECTED_VIEW = pair("ribbon.protected_view")


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
