"""Custom document properties of an .xlsx package (``docProps/custom.xml``), read and
written at the part level so every other part stays byte for byte.

Excel shows them under File > Info > Properties > Advanced > Custom; xlcredit keeps its
template version there.

>>> from xlcredit.workbook.xlsx_parts import Package
>>> types = b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
>>> pkg = Package({"[Content_Types].xml": types}, "t.xlsx")
>>> set_property(pkg, "xlcredit.template_version", 3)
>>> read_properties(pkg)
{'xlcredit.template_version': 3}
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from xlcredit.workbook.xlsx_parts import Package, add_rel, parse_xml, set_override, to_xml

__all__ = ["read_properties", "set_property"]

_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
#: The format id every user-defined custom property carries (ECMA-376 part 1, 22.3.2.2).
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_PART = "docProps/custom.xml"


def _part(pkg: Package) -> str | None:
    for rel in pkg.rels(""):
        if rel.type == _REL and rel.target in pkg.parts:
            return rel.target
    return None


def _value(el: etree._Element) -> Any:
    kind = etree.QName(el).localname
    raw = el.text or ""
    if kind in ("i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint"):
        return int(raw)
    if kind in ("r4", "r8", "decimal"):
        return float(raw)
    if kind == "bool":
        return raw.strip().lower() in ("1", "true")
    return raw


def read_properties(pkg: Package) -> dict[str, Any]:
    """Every custom property by name (numbers as int or float, text as str)."""
    part = _part(pkg)
    if part is None:
        return {}
    out: dict[str, Any] = {}
    for prop in parse_xml(pkg.parts[part], part).iterfind(f"{{{_CP}}}property"):
        value = next(iter(prop), None)
        if value is not None:
            out[prop.get("name", "")] = _value(value)
    return out


def set_property(pkg: Package, name: str, value: str | int) -> None:
    """Create or change one custom property, keeping the others."""
    part = _part(pkg)
    if part is None:
        part = _PART if _PART not in pkg.parts else pkg.free_name("docProps/custom{}.xml")
        root = parse_xml(f'<Properties xmlns="{_CP}" xmlns:vt="{_VT}"/>'.encode(), part)
        add_rel(pkg, "", _REL, part)
        set_override(pkg, part, _TYPE)
    else:
        root = parse_xml(pkg.parts[part], part)
    props = list(root.iterfind(f"{{{_CP}}}property"))
    found = next((p for p in props if p.get("name") == name), None)
    if found is None:
        pid = max([1, *(int(p.get("pid", "1")) for p in props)]) + 1  # pids start at 2
        found = etree.SubElement(root, f"{{{_CP}}}property", fmtid=_FMTID, pid=str(pid), name=name)
    for child in list(found):
        found.remove(child)
    is_int = isinstance(value, int) and not isinstance(value, bool)
    el = etree.SubElement(found, f"{{{_VT}}}{'i4' if is_int else 'lpwstr'}")
    el.text = str(value)
    pkg.put(part, to_xml(root))
