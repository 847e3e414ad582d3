"""Appending number formats, fonts, cell formats and differential formats to xl/styles.xml.

Existing entries are never reordered or changed (cells refer to them by index); new ones are
appended, and an identical entry already present is reused, so refreshing twice does not
grow the file.

>>> book = StyleBook(None)
>>> xf = book.cell_xf(0, number_format="#,##0.00")
>>> xf, book.cell_xf(0, number_format="#,##0.00")
(1, 1)
>>> book.is_date(book.cell_xf(0, number_format="yyyy-mm-dd"))
True
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from xlcredit.workbook.xlsx_parts import NS

__all__ = ["StyleBook", "is_date_format"]

_M = NS["m"]
#: Built-in number formats Excel does not write into styles.xml.
BUILTIN_FORMATS = {
    "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10,
    "0.00E+00": 11, "# ?/?": 12, "# ??/??": 13, "mm-dd-yy": 14, "d-mmm-yy": 15, "d-mmm": 16,
    "mmm-yy": 17, "h:mm AM/PM": 18, "h:mm:ss AM/PM": 19, "h:mm": 20, "h:mm:ss": 21,
    "m/d/yy h:mm": 22, "@": 49,
}  # fmt: skip
_BUILTIN_DATES = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}
#: Order of the children of <styleSheet> (ECMA-376 CT_Stylesheet).
_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst"]  # fmt: skip
_MINIMAL = (
    f'<styleSheet xmlns="{_M}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
    '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or time.

    >>> is_date_format("yyyy-mm-dd"), is_date_format("#,##0.00"), is_date_format('0.0"d"')
    (True, False, False)
    """
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return bool(re.search(r"[ymdhs]", plain, re.IGNORECASE)) and "General" not in plain


def _key(el: etree._Element) -> tuple[object, ...]:
    return (el.tag, tuple(sorted(el.attrib.items())), tuple(_key(child) for child in el))


def _rgb(color: str) -> str:
    """'#1f77b4' -> 'FF1F77B4'."""
    return "FF" + color.lstrip("#").upper()[-6:]


class StyleBook:
    """The styles part being edited; ``root`` is serialised by the caller when ``dirty``."""

    def __init__(self, root: etree._Element | None) -> None:
        self.root = root if root is not None else etree.fromstring(_MINIMAL.encode())
        self.dirty = root is None
        self._index: dict[str, dict[tuple[object, ...], int]] = {}

    # -- containers ------------------------------------------------------------------------
    def _section(self, name: str) -> etree._Element:
        found = self.root.find(f"{{{_M}}}{name}")
        if found is not None:
            return found
        el = etree.Element(f"{{{_M}}}{name}", count="0")
        later = _ORDER[_ORDER.index(name) + 1 :]
        for i, child in enumerate(self.root):
            if etree.QName(child).localname in later:
                self.root.insert(i, el)
                break
        else:
            self.root.append(el)
        return el

    def _find_or_append(self, section: str, el: etree._Element) -> int:
        parent = self._section(section)
        index = self._index.get(section)
        if index is None:
            index = {}
            for i, child in enumerate(parent):
                index.setdefault(_key(child), i)
            self._index[section] = index
        key = _key(el)
        if key in index:
            return index[key]
        parent.append(el)
        parent.set("count", str(len(parent)))
        index[key] = len(parent) - 1
        self.dirty = True
        return index[key]

    # -- public ----------------------------------------------------------------------------
    def number_format_id(self, code: str) -> int:
        """The id of a number format code, adding it when new."""
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        parent = self._section("numFmts")
        ids = [int(el.get("numFmtId", "0")) for el in parent]
        for el in parent:
            if el.get("formatCode") == code:
                return int(el.get("numFmtId", "0"))
        new_id = max([163, *ids]) + 1
        etree.SubElement(parent, f"{{{_M}}}numFmt", numFmtId=str(new_id), formatCode=code)
        parent.set("count", str(len(parent)))
        self.dirty = True
        return new_id

    def number_format(self, xf: int) -> str:
        """The format code of cell format ``xf``."""
        xfs = self._section("cellXfs")
        if not 0 <= xf < len(xfs):
            return "General"
        fmt_id = int(xfs[xf].get("numFmtId", "0"))
        for code, builtin in BUILTIN_FORMATS.items():
            if builtin == fmt_id:
                return code
        for el in self._section("numFmts"):
            if int(el.get("numFmtId", "-1")) == fmt_id:
                return el.get("formatCode", "General")
        return "yyyy-mm-dd" if fmt_id in _BUILTIN_DATES else "General"

    def is_date(self, xf: int) -> bool:
        """Whether cells of format ``xf`` show dates."""
        return is_date_format(self.number_format(xf))

    def font(self, *, bold: bool = False, size: float | None = None) -> int:
        """A font like the default one, bold and/or sized."""
        fonts = self._section("fonts")
        el = copy.deepcopy(fonts[0]) if len(fonts) else etree.Element(f"{{{_M}}}font")
        for tag in ("b", "sz"):
            for old in el.findall(f"{{{_M}}}{tag}"):
                el.remove(old)
        if size is not None:
            el.insert(0, etree.Element(f"{{{_M}}}sz", val=f"{size:g}"))
        if bold:
            el.insert(0, etree.Element(f"{{{_M}}}b"))
        if not bold and size is None and len(fonts):
            return 0
        return self._find_or_append("fonts", el)

    def cell_xf(
        self,
        base: int,
        *,
        number_format: str | None = None,
        bold: bool = False,
        font_size: float | None = None,
        horizontal: str | None = None,
    ) -> int:
        """A cell format: ``base`` with a number format, font and/or horizontal alignment
        ("left", "center", "right") changed."""
        xfs = self._section("cellXfs")
        if not len(xfs):
            etree.SubElement(xfs, f"{{{_M}}}xf", numFmtId="0", fontId="0", fillId="0", borderId="0")
        el = copy.deepcopy(xfs[base] if 0 <= base < len(xfs) else xfs[0])
        if number_format is not None:
            el.set("numFmtId", str(self.number_format_id(number_format)))
            el.set("applyNumberFormat", "1")
        if bold or font_size is not None:
            el.set("fontId", str(self.font(bold=bold, size=font_size)))
            el.set("applyFont", "1")
        if horizontal is not None:
            for old in el.findall(f"{{{_M}}}alignment"):
                el.remove(old)
            el.insert(0, etree.Element(f"{{{_M}}}alignment", horizontal=horizontal))
            el.set("applyAlignment", "1")
        if _key(el) == _key(xfs[base] if 0 <= base < len(xfs) else xfs[0]):
            return base if 0 <= base < len(xfs) else 0
        return self._find_or_append("cellXfs", el)

    def dxf(self, *, fill: str | None, font_color: str | None, bold: bool) -> int:
        """A differential format (for conditional formats): fill, font colour, bold."""
        el = etree.Element(f"{{{_M}}}dxf")
        if bold or font_color:
            font = etree.SubElement(el, f"{{{_M}}}font")
            if bold:
                etree.SubElement(font, f"{{{_M}}}b")
            if font_color:
                etree.SubElement(font, f"{{{_M}}}color", rgb=_rgb(font_color))
        if fill:
            pattern = etree.SubElement(
                etree.SubElement(el, f"{{{_M}}}fill"), f"{{{_M}}}patternFill"
            )
            pattern.set("patternType", "solid")
            etree.SubElement(pattern, f"{{{_M}}}fgColor", rgb=_rgb(fill))
            etree.SubElement(pattern, f"{{{_M}}}bgColor", rgb=_rgb(fill))
        return self._find_or_append("dxfs", el)
