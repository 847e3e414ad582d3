"""The parts of an .xlsx/.xlsm package: safe reading, relationships, content types.

An Office file is a zip of XML "parts" tied together by relationship parts (``_rels/``) and
listed in ``[Content_Types].xml``. :class:`Package` holds every part's bytes in the order of
the original zip, so a save can copy every part xlcredit does not own byte for byte.

Reading is bounded (no zip bomb) and XML is parsed without DTDs or entities (no XXE):

>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as z:
...     z.writestr("[Content_Types].xml", "<Types/>")
>>> Package.from_bytes(buf.getvalue(), "demo.xlsx").names()
['[Content_Types].xml']
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

from xlcredit.engine.errors import WorkbookError
from xlcredit.messages import Message

__all__ = [
    "CT",
    "NS",
    "REL",
    "Package",
    "Relationship",
    "parse_xml",
    "rels_part",
    "resolve",
    "to_xml",
]

#: Namespaces of SpreadsheetML and the package.
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#: Relationship types by short name.
REL = {
    "office": _RT + "officeDocument",
    "worksheet": _RT + "worksheet",
    "table": _RT + "table",
    "drawing": _RT + "drawing",
    "chart": _RT + "chart",
    "styles": _RT + "styles",
    "calcChain": _RT + "calcChain",
}
_CT = "application/vnd.openxmlformats-officedocument."
#: Content types by short name.
CT = {
    "worksheet": _CT + "spreadsheetml.worksheet+xml",
    "table": _CT + "spreadsheetml.table+xml",
    "drawing": _CT + "drawing+xml",
    "chart": _CT + "drawingml.chart+xml",
    "styles": _CT + "spreadsheetml.styles+xml",
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
}

#: Limits against zip bombs: total and per-part uncompressed sizes, and part count.
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_PART_BYTES = 1024**3
MAX_PARTS = 20_000
#: A part this large must not be compressed more than MAX_RATIO : 1.
RATIO_CHECK_BYTES = 50 * 1024**2
MAX_RATIO = 1000

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False
)


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one XML part, refusing DTDs and entities (XXE, billion laughs).

    >>> parse_xml(b"<a><b/></a>", "x.xml").tag
    'a'
    >>> parse_xml(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "x.xml")
    Traceback (most recent call last):
    xlcredit.engine.errors.WorkbookError: Part x.xml of the workbook declares a DTD or entities, which xlcredit refuses for safety; open the file in Excel and save it again.
    """
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise WorkbookError(
            Message("file.dtd_entities", {"part": part})
        )
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(Message("file.bad_xml", {"part": part, "exc": exc})) from None
    if getattr(root.getroottree().docinfo, "doctype", ""):
        raise WorkbookError(Message("file.dtd", {"part": part}))
    return root


def to_xml(root: etree._Element) -> bytes:
    """Serialise a part with the XML declaration Excel writes."""
    body = etree.tostring(root, encoding="unicode")
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + body.encode("utf-8")


def rels_part(part: str) -> str:
    """The relationships part of ``part``.

    >>> rels_part("xl/worksheets/sheet1.xml")
    'xl/worksheets/_rels/sheet1.xml.rels'
    >>> rels_part("")
    '_rels/.rels'
    """
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(source: str, target: str) -> str:
    """The part name a relationship target of ``source`` points to.

    >>> resolve("xl/workbook.xml", "worksheets/sheet1.xml")
    'xl/worksheets/sheet1.xml'
    >>> resolve("xl/worksheets/sheet1.xml", "../tables/table1.xml")
    'xl/tables/table1.xml'
    >>> resolve("xl/workbook.xml", "/xl/styles.xml")
    'xl/styles.xml'
    """
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, part: str) -> str:
    """The relationship target from ``source`` to ``part``.

    >>> relative("xl/worksheets/sheet1.xml", "xl/tables/table2.xml")
    '../tables/table2.xml'
    """
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


@dataclass
class Relationship:
    """One relationship of a part."""

    id: str
    type: str
    target: str  # resolved part name, or the raw target when external
    external: bool = False


class Package:
    """Every part of a workbook package, in zip order, with helpers to edit a few of them."""

    def __init__(self, parts: dict[str, bytes], label: str) -> None:
        self.parts = parts if isinstance(parts, Parts) else Parts(parts)
        self.label = label
        #: Parts added or changed during this session.
        self.changed: set[str] = set()
        #: Parts removed during this session.
        self.removed: set[str] = set()
        #: Threads that deflate large parts as they are put (see :meth:`put`); None: the
        #: save deflates them.
        self.deflater: Executor | None = None

    # -- reading ---------------------------------------------------------------------------
    @classmethod
    def from_path(cls, path: Path) -> Package:
        """Read a package from disk; raise WorkbookError for anything that is not one."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise WorkbookError(Message("file.missing", {"path": path})) from None
        except OSError as exc:
            raise WorkbookError(Message("file.cannot_open", {"path": path, "value": exc.strerror or exc})) from None
        return cls.from_bytes(data, str(path))

    @classmethod
    def from_bytes(cls, data: bytes, label: str) -> Package:
        """Read a package from bytes (see :func:`check_kind` for the messages)."""
        check_kind(data, label)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
                _check_sizes(infos, label)
                stored = _stored_members(data, infos)
                parts = Parts()
                for info in infos:
                    if info.is_dir():
                        continue
                    if info.file_size >= LAZY_BYTES and info.filename in stored:
                        _check_member(archive, info)  # read through (CRC, size), not kept
                        parts.keep_packed(info.filename, stored[info.filename])
                    else:
                        parts[info.filename] = archive.read(info)
                        if info.filename in stored:
                            parts.keep_original(info.filename, stored[info.filename])
        except (
            zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, ValueError, zlib.error,
            NotImplementedError, RuntimeError,  # an unknown compression; an encrypted zip
        ) as exc:
            raise WorkbookError(
                Message("file.damaged", {"label": label, "exc": exc})
            ) from None
        if "[Content_Types].xml" not in parts:
            raise WorkbookError(
                Message("file.zip_not_workbook", {"label": label})
            )
        return cls(parts, label)

    def names(self) -> list[str]:
        """Part names in zip order."""
        return list(self.parts)

    def xml(self, part: str) -> etree._Element:
        """Parse a part (fresh tree; callers keep the trees they edit)."""
        if part not in self.parts:
            raise WorkbookError(Message("file.lacks_part", {"label": self.label, "part": part}))
        return parse_xml(self.parts[part], part)

    def rels(self, part: str) -> list[Relationship]:
        """The relationships of ``part`` (empty when it has none)."""
        name = rels_part(part)
        if name not in self.parts:
            return []
        out = []
        for rel in self.xml(name).iter(f"{{{NS['pr']}}}Relationship"):
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target", "")
            out.append(
                Relationship(
                    id=rel.get("Id", ""),
                    type=rel.get("Type", ""),
                    target=target if external else resolve(part, target),
                    external=external,
                )
            )
        return out

    # -- editing ---------------------------------------------------------------------------
    def put(self, part: str, data: bytes) -> None:
        """Add or replace a part. With a :attr:`deflater`, a part of at least
        :data:`LAZY_BYTES` is deflated by it while the caller goes on (zlib works without
        Python's lock) and held compressed: its text is not kept, and the save has nothing
        left to compress."""
        if self.deflater is not None and len(data) >= LAZY_BYTES:
            self.parts.deflate_later(part, data, self.deflater)
        else:
            self.parts[part] = data
        self.changed.add(part)
        self.removed.discard(part)

    def put_member(self, part: str, member: _Member | Future[_Member]) -> None:
        """Add or replace a part given compressed (see :mod:`~.deflate_stream`): a large part
        deflated as it was made, whose text was never held whole."""
        self.parts.keep_packed(part, member)
        self.changed.add(part)
        self.removed.discard(part)

    def remove(self, part: str) -> None:
        """Remove a part (and its relationships part), if present."""
        for name in (part, rels_part(part)):
            if name in self.parts:
                del self.parts[name]
                self.removed.add(name)
                self.changed.discard(name)

    def free_name(self, pattern: str) -> str:
        """The first unused part name of ``pattern`` (with ``{}`` for the number).

        >>> Package({"xl/tables/table1.xml": b""}, "x").free_name("xl/tables/table{}.xml")
        'xl/tables/table2.xml'
        """
        taken = {name.lower() for name in self.parts}
        n = 1
        while pattern.format(n).lower() in taken:
            n += 1
        return pattern.format(n)

    def write_zip(self, stream: IO[bytes], level: int | None = None) -> None:
        """Write the package: every part in order; a part unchanged since it was read is
        copied compressed as it was (not inflated and deflated again), the others are
        deflated at ``level`` (default :data:`COMPRESS_LEVEL`)."""
        level = COMPRESS_LEVEL if level is None else level
        members: list[tuple[str, _Member]] = []
        for name in self.parts:
            kept = self.parts.original(name)
            members.append((name, kept if kept is not None else _deflate(self.parts[name], level)))
        write_members(stream, members)


#: zlib level of the parts a save writes, chosen by measurement: ``bench/bench_refresh.py``
#: times levels 1, 3, 6 and 9 on the parts a refresh of its 20,000-buyer workbook writes and
#: takes the fastest level whose file is within 10 % of level 6's. Measured (2 shared cores):
#: level 1 1.25 s / file 29.9 MB, level 3 1.91 s / 28.5 MB, level 6 3.73 s / 26.8 MB,
#: level 9 15.5 s / 26.3 MB: level 3 halves level 6's time for a file 6 % larger (level 1
#: saves 0.7 s more for a file 11.5 % larger). Parts a refresh does not change are copied
#: compressed as they were, whatever their level.
COMPRESS_LEVEL = 3


#: Parts at least this large are kept compressed after reading until something asks for
#: them (most large parts, such as an invoice sheet, are copied to the saved file as read).
LAZY_BYTES = 1024**2


class Parts(dict[str, bytes]):
    """Part name -> bytes, in zip order. A part read from the file may be held compressed
    (inflated on first access) and remembers its compressed bytes while unchanged, so a save
    copies it as it was.

    >>> parts = Parts({"a.xml": b"<a/>"})
    >>> parts["a.xml"], parts.original("a.xml") is None
    (b'<a/>', True)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members: dict[str, tuple[bytes | None, _Member | Future[_Member]]] = {}

    def deflate_later(self, name: str, data: bytes, pool: Executor) -> None:
        """Hold ``name`` compressed, deflated at :data:`COMPRESS_LEVEL` by ``pool``."""
        super().__setitem__(name, _PACKED)  # type: ignore[assignment]
        self._members[name] = (None, pool.submit(_deflate, data, COMPRESS_LEVEL))

    def _member(self, name: str) -> _Member:
        """The compressed bytes of ``name`` (waiting for them when still being deflated)."""
        value, member = self._members[name]
        if isinstance(member, Future):
            member = member.result()
            self._members[name] = (value, member)
        return member

    def repack(self, name: str) -> None:
        """Drop the inflated bytes of ``name`` while it is unchanged since read (its
        compressed bytes are kept and inflated again if asked for): a reader that has taken
        what it needs from a large part does not hold two copies of it."""
        found = self._members.get(name)
        if found is not None and found[0] is not None and super().__getitem__(name) is found[0]:
            super().__setitem__(name, _PACKED)  # type: ignore[assignment]
            self._members[name] = (None, found[1])

    def keep_packed(self, name: str, member: _Member | Future[_Member]) -> None:
        """Hold ``name`` compressed until asked for (its member, or the future of one still
        being deflated)."""
        super().__setitem__(name, _PACKED)  # type: ignore[assignment]
        self._members[name] = (None, member)

    def keep_original(self, name: str, member: _Member) -> None:
        """Remember the compressed bytes of ``name`` as read (its value is the inflated data)."""
        self._members[name] = (super().__getitem__(name), member)

    def __getitem__(self, name: str) -> bytes:
        value = super().__getitem__(name)
        if value is _PACKED:
            member = self._member(name)
            value = inflate(member)
            super().__setitem__(name, value)
            self._members[name] = (value, member)
        return value

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[name] if name in self else default  # noqa: SIM401 - self.get is this

    def size(self, name: str) -> int:
        """Uncompressed bytes of ``name`` (without inflating a part held compressed)."""
        value = super().__getitem__(name)
        return self._member(name).size if value is _PACKED else len(value)

    def packed(self, name: str) -> _Member | None:
        """The compressed bytes of ``name`` while it has not been inflated (None once it has,
        or when it was never held compressed): a reader that only scans a large part can
        inflate it in pieces without keeping the whole text in memory."""
        if name not in self._members or super().__getitem__(name) is not _PACKED:
            return None
        return self._member(name)

    def original(self, name: str) -> _Member | None:
        """The compressed bytes of ``name`` as read, while the part is unchanged."""
        found = self._members.get(name)
        if found is None:
            return None
        value = super().__getitem__(name)
        return self._member(name) if value is _PACKED or value is found[0] else None

    def items(self) -> Any:
        return [(name, self[name]) for name in self]

    def values(self) -> Any:
        return [self[name] for name in self]

    def copy(self) -> Parts:
        out = Parts()
        for name in self:
            dict.__setitem__(out, name, super().__getitem__(name))
        out._members = dict(self._members)
        return out


_PACKED = object()


def _check_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read a member through without keeping it: zipfile checks its size and CRC."""
    with archive.open(info) as stream:
        while stream.read(1024**2):
            pass


@dataclass(frozen=True)
class _Member:
    """One zip member as stored: method (0 stored, 8 deflated), CRC-32, sizes, bytes."""

    method: int
    crc: int
    size: int
    data: bytes


def _deflate(data: bytes, level: int) -> _Member:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return _Member(8, zlib.crc32(data), len(data), packed)


def inflate(member: _Member) -> bytes:
    """The uncompressed bytes of a zip member (stored or deflated); inflated into a buffer of
    the member's size, as zlib otherwise gathers pieces and joins them (twice the size for
    a moment: 260 MB for the Buyers sheet of a 70,000-buyer book)."""
    if member.method == 0:
        return member.data
    return zlib.decompress(member.data, -15, bufsize=max(member.size, 1))


def inflate_pieces(member: _Member, size: int = 4 * 1024**2) -> Iterator[bytes]:
    """The uncompressed bytes of a zip member in pieces of about ``size`` bytes.

    >>> member = _deflate(b"abc" * 10, 3)
    >>> b"".join(inflate_pieces(member, size=7)) == b"abc" * 10
    True
    """
    if member.method == 0:
        yield from (member.data[i : i + size] for i in range(0, len(member.data), size))
        return
    unpacker = zlib.decompressobj(-15)
    step = max(size // 8, 1)  # deflated sheet text inflates about 8 times
    for start in range(0, len(member.data), step):
        piece = unpacker.decompress(member.data[start : start + step])
        if piece:
            yield piece
    rest = unpacker.flush()
    if rest:
        yield rest


def _stored_members(data: bytes, infos: list[zipfile.ZipInfo]) -> dict[str, _Member]:
    """The compressed bytes of each member of a zip held in ``data`` (plain deflated or stored
    members only; others are written afresh)."""
    out: dict[str, _Member] = {}
    for info in infos:
        if info.is_dir() or info.compress_type not in (0, 8) or info.flag_bits & 0x1:
            continue
        header = data[info.header_offset : info.header_offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            continue
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = info.header_offset + 30 + name_len + extra_len
        raw = data[start : start + info.compress_size]
        if len(raw) == info.compress_size:
            out[info.filename] = _Member(info.compress_type, info.CRC, info.file_size, raw)
    return out


def write_members(stream: IO[bytes], members: list[tuple[str, _Member]]) -> None:
    """Write a zip of members already compressed (local headers, data, central directory),
    dated 1980-01-01 as before; UTF-8 names flagged as such."""
    if len(members) >= 0xFFFF:
        raise WorkbookError(Message("file.too_many_parts_to_write", {"n_members": f"{len(members):,}"}))
    central = []
    offset = 0
    dos_time, dos_date = 0, (0 << 9) | (1 << 5) | 1
    for name, member in members:
        encoded = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        version = 20
        fields = (version, flags, member.method, dos_time, dos_date, member.crc,
                  len(member.data), member.size, len(encoded))  # fmt: skip
        if max(offset, len(member.data), member.size) >= 0xFFFFFFFF:
            raise WorkbookError(Message("file.too_big_to_write"))
        local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0)
        stream.write(local + encoded)
        stream.write(member.data)
        central.append(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", version, *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
        offset += len(local) + len(encoded) + len(member.data)
    directory = b"".join(central)
    stream.write(directory)
    count = len(members)
    stream.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0))


def check_kind(data: bytes, label: str) -> None:
    """Refuse what is not an .xlsx/.xlsm zip, saying what to do.

    >>> check_kind(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(8), "old.xls")
    Traceback (most recent call last):
    xlcredit.engine.errors.WorkbookError: old.xls is an Excel 97-2003 (.xls) or password-protected file; open it in Excel and save it as Excel Workbook (.xlsx), without a password.
    """
    lower = label.lower()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WorkbookError(
            Message("file.xls_or_password", {"label": label})
        )
    if lower.endswith(".xlsb"):
        raise WorkbookError(Message("file.xlsb", {"label": label}))
    if data[:4] != b"PK\x03\x04":
        kind = "a CSV/text file" if lower.endswith((".csv", ".txt")) else "not an Excel workbook"
        raise WorkbookError(
            Message("file.other_kind", {"label": label, "kind": kind})
        )
    if b"mimetypeapplication/vnd.oasis.opendocument" in data[:200]:
        raise WorkbookError(
            Message("file.ods", {"label": label})
        )


def _check_sizes(infos: list[zipfile.ZipInfo], label: str) -> None:
    if len(infos) > MAX_PARTS:
        raise WorkbookError(Message("file.too_many_parts", {"label": label, "n_infos": len(infos), "max_parts": MAX_PARTS}))
    total = 0
    for info in infos:
        total += info.file_size
        too_big = info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES
        ratio = info.file_size / max(info.compress_size, 1)
        if too_big or (info.file_size > RATIO_CHECK_BYTES and ratio > MAX_RATIO):
            raise WorkbookError(
                Message("file.zip_bomb", {"label": label, "filename": info.filename, "file_size": f"{info.file_size:,}"})
            )


# -- relationships and content types ---------------------------------------------------------
def _rels_root(pkg: Package, part: str) -> etree._Element:
    name = rels_part(part)
    if name in pkg.parts:
        return pkg.xml(name)
    return etree.fromstring(f'<Relationships xmlns="{NS["pr"]}"/>'.encode())


def add_rel(pkg: Package, source: str, rel_type: str, target_part: str) -> str:
    """Add a relationship from ``source`` to ``target_part``; return its new id."""
    root = _rels_root(pkg, source)
    taken = {rel.get("Id") for rel in root}
    n = 1
    while f"rId{n}" in taken:
        n += 1
    rid = f"rId{n}"
    etree.SubElement(
        root,
        f"{{{NS['pr']}}}Relationship",
        Id=rid,
        Type=rel_type,
        Target=relative(source, target_part),
    )
    pkg.put(rels_part(source), to_xml(root))
    return rid


def remove_rels(pkg: Package, source: str, rel_type: str) -> list[str]:
    """Remove the relationships of ``source`` of a type; return the target parts."""
    name = rels_part(source)
    if name not in pkg.parts:
        return []
    root = pkg.xml(name)
    targets = []
    for rel in list(root):
        if rel.get("Type") == rel_type:
            targets.append(resolve(source, rel.get("Target", "")))
            root.remove(rel)
    if targets:
        pkg.put(name, to_xml(root))
    return targets


def set_override(pkg: Package, part: str, content_type: str | None) -> None:
    """Declare the content type of ``part`` in [Content_Types].xml (None removes it)."""
    name = "[Content_Types].xml"
    root = pkg.xml(name)
    key = "/" + part
    for el in root.findall(f"{{{NS['ct']}}}Override"):
        if el.get("PartName", "").lower() == key.lower():
            root.remove(el)
    if content_type is not None:
        etree.SubElement(root, f"{{{NS['ct']}}}Override", PartName=key, ContentType=content_type)
    defaults = {el.get("Extension", "").lower() for el in root.findall(f"{{{NS['ct']}}}Default")}
    if "rels" not in defaults:
        el = etree.Element(f"{{{NS['ct']}}}Default", Extension="rels", ContentType=CT["rels"])
        root.insert(0, el)
    if "xml" not in defaults:
        el = etree.Element(f"{{{NS['ct']}}}Default", Extension="xml", ContentType="application/xml")
        root.insert(0, el)
    pkg.put(name, to_xml(root))
