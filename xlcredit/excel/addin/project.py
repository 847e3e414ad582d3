"""Edit an Excel-made VBA project: swap module source, rename the project and modules,
add standard modules, and write the result with our own compound-file writer.

This follows the recipe of DESIGN.md section 4 (checked on Linux with olefile, oletools,
Apache POI, SheetJS and LibreOffice):

- ``_VBA_PROJECT`` is the 7 bytes ``CC 61 FF FF 00 01 00``: version 0xFFFF tells Office to
  ignore the p-code caches and compile from source;
- every changed or added module is written source-only (MODULEOFFSET 0), so no stale p-code
  sits in front of new source ("VBA stomping" to antivirus tools);
- renames touch the ``dir`` records (PROJECTNAME, MODULENAME, MODULENAMEUNICODE,
  MODULESTREAMNAME and its Unicode form), the OLE stream name, the ``PROJECT`` stream
  (``Name=``, ``Module=``, ``[Workspace]``) and the uncompressed ``PROJECTwm`` name pairs;
- the project ``ID=`` and its ``CMG``/``DPB``/``GC`` lines are kept as they are (they are
  encrypted with a key derived from the ID);
- compressed chunks only (:mod:`xlcredit.excel.addin.ovba`).

References
----------
[MS-OVBA] Office VBA File Format Structure, 2.3.4.2 dir Stream, 2.3.1 PROJECT Stream,
2.3.3 PROJECTwm Stream, 2.3.4.1 _VBA_PROJECT Stream.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import olefile

from xlcredit.engine.errors import XlCreditError
from xlcredit.excel.addin.cfb import write_cfb
from xlcredit.excel.addin.ovba import compress, decompress

__all__ = ["VBA_PROJECT_STREAM", "ModuleSource", "edit_project", "read_modules"]

VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")
CODEPAGE = "cp1252"

# dir record ids (MS-OVBA 2.3.4.2)
_PROJECTNAME = 0x0004
_PROJECTVERSION = 0x0009
_PROJECTMODULES = 0x000F
_MODULENAME = 0x0019
_MODULENAMEUNICODE = 0x0047
_MODULESTREAMNAME = 0x001A
_MODULESTREAMNAMEUNICODE = 0x0032
_MODULEDOCSTRING = 0x001C
_MODULEDOCSTRINGUNICODE = 0x0048
_MODULEOFFSET = 0x0031
_MODULECOOKIE = 0x002C
_MODULETYPE_PROCEDURAL = 0x0021
_MODULE_TERMINATOR = 0x002B
_DIR_TERMINATOR = 0x0010


@dataclass(frozen=True)
class ModuleSource:
    """A module's final name and full source text (including its ``Attribute`` lines)."""

    name: str
    source: str


Record = tuple[int, bytes]


def _parse_dir(data: bytes) -> list[Record]:
    records: list[Record] = []
    pos = 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        n = 6 if rid == _PROJECTVERSION else size
        records.append((rid, data[pos + 6 : pos + 6 + n]))
        pos += 6 + n
    return records


def _write_dir(records: list[Record]) -> bytes:
    out = bytearray()
    for rid, payload in records:
        size = 4 if rid == _PROJECTVERSION else len(payload)
        out += struct.pack("<HI", rid, size) + payload
    return bytes(out)


def _encode(text: str, what: str) -> bytes:
    try:
        return text.encode(CODEPAGE)
    except UnicodeEncodeError as exc:
        raise XlCreditError(
            f"{what} must be {CODEPAGE} text (the project's code page); "
            f"got {text[exc.start : exc.end]!r} at position {exc.start}. "
            "Write other characters with ChrW() in VBA."
        ) from None


def _split_modules(records: list[Record]) -> tuple[list[Record], list[list[Record]], list[Record]]:
    """Project information (through PROJECTCOOKIE), module blocks, and the terminator."""
    first = next(i for i, (rid, _) in enumerate(records) if rid == _MODULENAME)
    head = records[:first]
    blocks: list[list[Record]] = []
    current: list[Record] = []
    tail: list[Record] = []
    for rid, payload in records[first:]:
        if rid == _DIR_TERMINATOR and not current:
            tail.append((rid, payload))
            continue
        current.append((rid, payload))
        if rid == _MODULE_TERMINATOR:
            blocks.append(current)
            current = []
    return head, blocks, tail


def _block_get(block: list[Record], rid: int) -> bytes:
    return next(payload for r, payload in block if r == rid)


def _block_set(block: list[Record], rid: int, payload: bytes) -> list[Record]:
    return [(r, payload if r == rid else p) for r, p in block]


def _ole_streams(vba_bin: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(vba_bin), raise_defects=olefile.DEFECT_INCORRECT)
    return {"/".join(p): ole.openstream("/".join(p)).read() for p in ole.listdir()}


def read_modules(vba_bin: bytes) -> dict[str, str]:
    """Module name -> decompressed source text of a ``vbaProject.bin`` (our own reader; the
    tests compare it with oletools).

    >>> from xlcredit.excel.addin.build import template_parts
    >>> sorted(read_modules(template_parts()["xl/vbaProject.bin"]))
    ['Dictionary', 'RibbonMyAddin', 'Sheet2', 'ThisWorkbook', 'xlwings']
    """
    streams = _ole_streams(vba_bin)
    _, blocks, _ = _split_modules(_parse_dir(decompress(streams["VBA/dir"])))
    out: dict[str, str] = {}
    for block in blocks:
        name = _block_get(block, _MODULENAME).decode(CODEPAGE)
        stream = _block_get(block, _MODULESTREAMNAME).decode(CODEPAGE)
        offset = struct.unpack("<I", _block_get(block, _MODULEOFFSET))[0]
        out[name] = decompress(streams["VBA/" + stream][offset:]).decode(CODEPAGE)
    return out


def _names_record(name: str) -> dict[int, bytes]:
    return {
        _MODULENAME: _encode(name, f"module name {name!r}"),
        _MODULENAMEUNICODE: name.encode("utf-16-le"),
        _MODULESTREAMNAME: _encode(name, f"module name {name!r}"),
        _MODULESTREAMNAMEUNICODE: name.encode("utf-16-le"),
    }


def _edit_project_text(
    text: str, project_name: str, renames: dict[str, str], added: list[str]
) -> str:
    lines = text.split("\r\n")
    out: list[str] = []
    last_module_line = 0
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key in ("Module", "Class", "Document", "BaseClass"):
            base, slash, rest = value.partition("/")
            base = renames.get(base, base)
            line = f"{key}={base}{slash}{rest}"
            out.append(line)
            last_module_line = len(out)
            continue
        if sep and key == "Name":
            line = f'Name="{project_name}"'
        elif sep and key in renames:
            line = f"{renames[key]}={value}"
        out.append(line)
    out[last_module_line:last_module_line] = [f"Module={name}" for name in added]
    try:
        ws = out.index("[Workspace]")
    except ValueError:
        ws = -1
    if ws >= 0:
        end = ws + 1
        while end < len(out) and out[end]:
            end += 1
        out[end:end] = [f"{name}=0, 0, 0, 0, C" for name in added]
    return "\r\n".join(out)


def _projectwm(names: list[str]) -> bytes:
    out = bytearray()
    for name in names:
        out += _encode(name, f"module name {name!r}") + b"\x00"
        out += name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def edit_project(
    template: bytes,
    project_name: str,
    renames: dict[str, str],
    sources: list[ModuleSource],
    added: list[str],
) -> bytes:
    """Return a new ``vbaProject.bin``: the template's project with ``renames`` applied
    (old module name -> new), the source of every module in ``sources`` replaced (by final
    name), and the standard modules named in ``added`` appended.

    Every module named in ``sources`` is written source-only; the others keep their bytes.

    >>> from xlcredit.excel.addin.build import template_parts
    >>> src = 'Attribute VB_Name = "demo"\\r\\nSub Hello()\\r\\nEnd Sub\\r\\n'
    >>> blob = edit_project(template_parts()["xl/vbaProject.bin"], "demo_project",
    ...                     {}, [ModuleSource("demo", src)], ["demo"])
    >>> read_modules(blob)["demo"] == src
    True
    """
    streams = _ole_streams(template)
    head, blocks, tail = _split_modules(_parse_dir(decompress(streams["VBA/dir"])))
    by_name = {s.name: s for s in sources}
    missing = [n for n in added if n not in by_name]
    if missing:
        raise XlCreditError(f"added modules need a source; missing {missing}.")

    head = [
        (rid, _encode(project_name, "project name") if rid == _PROJECTNAME else p)
        for rid, p in head
    ]
    procedural = next(
        b for b in blocks if any(rid == _MODULETYPE_PROCEDURAL for rid, _ in b)
    )

    new_streams: dict[str, bytes] = {
        k: v for k, v in streams.items() if k in ("PROJECT", "PROJECTwm") or k == "VBA/dir"
    }
    out_blocks: list[list[Record]] = []
    names: list[str] = []
    for block in blocks:
        old = _block_get(block, _MODULENAME).decode(CODEPAGE)
        stream = _block_get(block, _MODULESTREAMNAME).decode(CODEPAGE)
        name = renames.get(old, old)
        for rid, payload in _names_record(name).items():
            block = _block_set(block, rid, payload)
        if name in by_name:
            block = _block_set(block, _MODULEOFFSET, struct.pack("<I", 0))
            data = compress(_encode(by_name[name].source, f"source of module {name!r}"))
        else:
            data = streams["VBA/" + stream]
        new_streams["VBA/" + name] = data
        out_blocks.append(block)
        names.append(name)
    for name in added:
        if name in names:
            raise XlCreditError(f"module {name!r} already exists in the template.")
        block = procedural
        for rid, payload in _names_record(name).items():
            block = _block_set(block, rid, payload)
        block = _block_set(block, _MODULEDOCSTRING, b"")
        block = _block_set(block, _MODULEDOCSTRINGUNICODE, b"")
        block = _block_set(block, _MODULEOFFSET, struct.pack("<I", 0))
        block = _block_set(block, _MODULECOOKIE, struct.pack("<H", 0xFFFF))
        out_blocks.append(block)
        names.append(name)
        new_streams["VBA/" + name] = compress(
            _encode(by_name[name].source, f"source of module {name!r}")
        )
    unknown = sorted(set(by_name) - set(names))
    if unknown:
        raise XlCreditError(f"sources given for modules not in the project: {unknown}.")

    head = [
        (rid, struct.pack("<H", len(out_blocks)) if rid == _PROJECTMODULES else p)
        for rid, p in head
    ]
    records = head + [r for b in out_blocks for r in b] + tail
    new_streams["VBA/dir"] = compress(_write_dir(records))
    new_streams["VBA/_VBA_PROJECT"] = VBA_PROJECT_STREAM
    project_text = streams["PROJECT"].decode(CODEPAGE)
    new_streams["PROJECT"] = _encode(
        _edit_project_text(project_text, project_name, renames, added), "PROJECT stream"
    )
    new_streams["PROJECTwm"] = _projectwm(names)
    return write_cfb(new_streams)
