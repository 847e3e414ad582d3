"""xl/workbook.xml and table parts: sheets, generated-sheet marks, defined names, tables.

xlcredit marks each sheet it generates with a hidden sheet-level defined name
:data:`MARK` (``=TRUE``). Only a sheet carrying the mark is ever replaced; the Excel adapter
uses the same mark, so a workbook refreshed in Excel and on disk agrees on what is whose.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lxml import etree

from xlcredit.workbook.sheet_xml import parse_ref, range_ref
from xlcredit.workbook.xlsx_parts import NS

__all__ = ["MARK", "TableInfo", "decode_name", "insert_sheet", "parse_table", "set_full_calc"]

_M = NS["m"]
#: Hidden sheet-level name marking a sheet generated (and owned) by xlcredit.
MARK = "_xlcredit_generated"
#: Children of <workbook> in schema order (ECMA-376 CT_Workbook).
_ORDER = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
          "sheets", "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
          "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
          "fileRecoveryPr", "webPublishObjects", "extLst"]  # fmt: skip


def decode_name(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes in names and text.

    >>> decode_name("Due_x000a_date")
    'Due\\ndate'
    """
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


@dataclass
class TableInfo:
    """Where an Excel table sits and what its columns are called."""

    name: str
    sheet: str
    part: str
    sheet_part: str
    id: int
    first_row: int  # 1-based, the header row when there is one
    first_col: int
    last_row: int
    last_col: int
    header: list[str]
    header_rows: int = 1
    totals_rows: int = 0
    generated: bool = False

    @property
    def header_row(self) -> int:
        """Excel row of the header (the row above the data when the header is hidden)."""
        return self.first_row if self.header_rows else self.first_row - 1

    @property
    def data_rows(self) -> range:
        """Excel rows of the data body."""
        return range(self.header_row + 1, self.last_row - self.totals_rows + 1)


def parse_table(root: etree._Element, part: str, sheet: str, sheet_part: str) -> TableInfo:
    """A table part as :class:`TableInfo`."""
    ref = root.get("ref", "A1:A1")
    first, _, last = ref.partition(":")
    (r1, c1), (r2, c2) = parse_ref(first), parse_ref(last or first)
    header = [decode_name(col.get("name", "")) for col in root.iter(f"{{{_M}}}tableColumn")]
    return TableInfo(
        name=root.get("displayName") or root.get("name") or "",
        sheet=sheet,
        part=part,
        sheet_part=sheet_part,
        id=int(root.get("id", "0")),
        first_row=r1,
        first_col=c1,
        last_row=r2,
        last_col=c2,
        header=header,
        header_rows=int(root.get("headerRowCount", "1")),
        totals_rows=int(root.get("totalsRowCount", "0")),
    )


def add_table_columns(root: etree._Element, info: TableInfo, headers: list[str]) -> None:
    """Append columns to a table part (and ``info``): ref, autoFilter and tableColumns."""
    columns = root.find(f"{{{_M}}}tableColumns")
    if columns is None:
        columns = etree.SubElement(root, f"{{{_M}}}tableColumns")
    next_id = max([0, *(int(c.get("id", "0")) for c in columns)]) + 1
    for offset, header in enumerate(headers):
        el = etree.SubElement(columns, f"{{{_M}}}tableColumn", id=str(next_id + offset))
        el.set("name", header)
    columns.set("count", str(len(columns)))
    info.last_col += len(headers)
    info.header.extend(headers)
    root.set("ref", range_ref(info.first_row, info.first_col, info.last_row, info.last_col))
    auto = root.find(f"{{{_M}}}autoFilter")
    if auto is not None:
        last_data = info.last_row - info.totals_rows
        auto.set("ref", range_ref(info.first_row, info.first_col, last_data, info.last_col))


def set_table_rows(root: etree._Element, info: TableInfo) -> None:
    """Set a table part's ``ref`` and autoFilter to ``info``'s rows (after it grew)."""
    root.set("ref", range_ref(info.first_row, info.first_col, info.last_row, info.last_col))
    auto = root.find(f"{{{_M}}}autoFilter")
    if auto is not None:
        last_data = info.last_row - info.totals_rows
        auto.set("ref", range_ref(info.first_row, info.first_col, last_data, info.last_col))


def calculated_formulas(root: etree._Element) -> dict[str, str]:
    """The formula of each calculated column of a table part, by column name."""
    out: dict[str, str] = {}
    for col in root.iter(f"{{{_M}}}tableColumn"):
        formula = col.find(f"{{{_M}}}calculatedColumnFormula")
        if formula is not None and formula.text and formula.get("array") not in ("1", "true"):
            out[decode_name(col.get("name", ""))] = formula.text
    return out


def child(root: etree._Element, name: str, order: list[str] = _ORDER) -> etree._Element:
    """The child ``name`` of ``root``, created at its schema position when missing."""
    found = root.find(f"{{{_M}}}{name}")
    if found is not None:
        return found
    el = etree.Element(f"{{{_M}}}{name}")
    later = set(order[order.index(name) + 1 :])
    for i, existing in enumerate(root):
        if isinstance(existing.tag, str) and etree.QName(existing).localname in later:
            root.insert(i, el)
            return el
    root.append(el)
    return el


def insert_sheet(root: etree._Element, position: int, name: str, sheet_id: int, rid: str) -> None:
    """Insert a ``<sheet>`` at ``position``, keep sheet-level names and views pointing at the
    same sheets, and mark the new sheet as generated."""
    sheets = child(root, "sheets")
    el = etree.Element(f"{{{_M}}}sheet", name=name, sheetId=str(sheet_id))
    el.set(f"{{{NS['r']}}}id", rid)
    sheets.insert(position, el)
    names = child(root, "definedNames")
    for defined in names:
        local = defined.get("localSheetId")
        if local is not None and int(local) >= position:
            defined.set("localSheetId", str(int(local) + 1))
    for view in root.iter(f"{{{_M}}}workbookView"):
        for attr in ("activeTab", "firstSheet"):
            value = view.get(attr)
            if value is not None and int(value) >= position and int(value) > 0:
                view.set(attr, str(int(value) + 1))
    mark = etree.SubElement(names, f"{{{_M}}}definedName", name=MARK)
    mark.set("localSheetId", str(position))
    mark.set("hidden", "1")
    mark.text = "TRUE"


def marked_sheets(root: etree._Element) -> set[int]:
    """Positions of the sheets carrying the generated mark."""
    out = set()
    for defined in root.iter(f"{{{_M}}}definedName"):
        local = defined.get("localSheetId")
        if defined.get("name") == MARK and local is not None:
            out.add(int(local))
    return out


def set_full_calc(root: etree._Element) -> None:
    """Ask Excel to recalculate everything when it opens the file."""
    child(root, "calcPr").set("fullCalcOnLoad", "1")


#: Hidden sheet-level name listing the signatures of xlcredit's conditional formats there.
CF_MARK = "_xlcredit_cf"
#: Where <conditionalFormatting> may go: before the first of these children of <worksheet>.
_AFTER_CF = {"dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
             "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
             "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
             "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"}  # fmt: skip


def cf_signature(sqref: str, kind: str, operator: str, formulas: list[str]) -> str:
    """A short fingerprint of one conditional-format rule, the same from XML and from COM.

    >>> cf_signature("$B$2:$B$9", "cellIs", "equal", ['="A"']) == cf_signature("B2:B9", "cellIs", "equal", ['"a"'])
    True
    """
    text = "|".join(
        [
            sqref.replace("$", "").upper(),
            kind,
            operator,
            *(f.lstrip("=").strip().casefold() for f in formulas),
        ]
    )
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def rule_signature(sqref: str, rule: etree._Element) -> str:
    """:func:`cf_signature` of a ``<cfRule>`` element."""
    formulas = [f.text or "" for f in rule.iterchildren(f"{{{_M}}}formula")]
    return cf_signature(sqref, rule.get("type", ""), rule.get("operator", ""), formulas)


def _local_name(root: etree._Element, name: str, index: int) -> etree._Element | None:
    for defined in root.iter(f"{{{_M}}}definedName"):
        if defined.get("name") == name and defined.get("localSheetId") == str(index):
            return defined
    return None


def get_cf_marks(root: etree._Element, index: int) -> set[str]:
    """Signatures of the conditional formats xlcredit added to sheet ``index``."""
    found = _local_name(root, CF_MARK, index)
    return set((found.text or "").strip('"').split()) if found is not None else set()


def set_cf_marks(root: etree._Element, index: int, marks: list[str]) -> None:
    """Record the signatures of xlcredit's conditional formats on sheet ``index``."""
    found = _local_name(root, CF_MARK, index)
    if found is None:
        found = etree.SubElement(child(root, "definedNames"), f"{{{_M}}}definedName", name=CF_MARK)
        found.set("localSheetId", str(index))
        found.set("hidden", "1")
    found.text = '"' + " ".join(marks)[:250] + '"'


def replace_conditional_formats(
    sheet: etree._Element, old: set[str], new: list[etree._Element]
) -> None:
    """Drop the rules whose signature is in ``old``; add ``new`` <conditionalFormatting>s after
    the sheet's own, renumbering their priorities after the user's rules."""
    tag = f"{{{_M}}}conditionalFormatting"
    existing = list(sheet.iterchildren(tag))
    for block in existing:
        for rule in list(block.iterchildren(f"{{{_M}}}cfRule")):
            if rule_signature(block.get("sqref", ""), rule) in old:
                block.remove(rule)
        if not len(block):
            sheet.remove(block)
    kept = list(sheet.iterchildren(tag))
    priority = max(
        [0, *(int(r.get("priority", "0")) for b in kept for r in b.iterchildren(f"{{{_M}}}cfRule"))]
    )
    for block in new:
        for rule in block.iterchildren(f"{{{_M}}}cfRule"):
            priority += 1
            rule.set("priority", str(priority))
    if kept:
        anchor = kept[-1]
        for block in reversed(new):
            anchor.addnext(block)
        return
    for i, existing_child in enumerate(sheet):
        if (
            isinstance(existing_child.tag, str)
            and etree.QName(existing_child).localname in _AFTER_CF
        ):
            for offset, block in enumerate(new):
                sheet.insert(i + offset, block)
            return
    for block in new:
        sheet.append(block)


#: Excel's sheet-level name for the rows repeated on every printed page.
PRINT_TITLES = "_xlnm.Print_Titles"


def set_print_titles(root: etree._Element, sheet: str, rows: tuple[int, int] | None) -> bool:
    """Repeat the 0-based rows ``(first, last)`` at the top of every printed page of the
    sheet named ``sheet`` (None: no print titles); True when workbook.xml changed.

    >>> book = etree.fromstring(
    ...     f'<workbook xmlns="{_M}"><sheets><sheet name="Aging" sheetId="1"/></sheets></workbook>')
    >>> set_print_titles(book, "Aging", (3, 3)), set_print_titles(book, "Aging", (3, 3))
    (True, False)
    >>> [(d.get("name"), d.get("localSheetId"), d.text) for d in book.iter(f"{{{_M}}}definedName")]
    [('_xlnm.Print_Titles', '0', "'Aging'!$4:$4")]
    >>> set_print_titles(book, "Aging", None), len(book.findall(f"{{{_M}}}definedNames/*"))
    (True, 0)
    """
    sheets = root.find(f"{{{_M}}}sheets")
    names = [] if sheets is None else [el.get("name", "") for el in sheets]
    if sheet not in names:
        return False
    index = names.index(sheet)
    found = _local_name(root, PRINT_TITLES, index)
    if rows is None:
        if found is None:
            return False
        parent = found.getparent()
        if parent is not None:
            parent.remove(found)
        return True
    first, last = rows
    quoted = "'" + sheet.replace("'", "''") + "'"
    formula = f"{quoted}!${first + 1}:${last + 1}"
    if found is not None and found.text == formula:
        return False
    if found is None:
        found = etree.SubElement(
            child(root, "definedNames"), f"{{{_M}}}definedName", name=PRINT_TITLES
        )
        found.set("localSheetId", str(index))
    found.text = formula
    return True
