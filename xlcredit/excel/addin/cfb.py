"""A small writer of Compound File Binary files (version 3, 512-byte sectors) for
``vbaProject.bin``, deterministic and accepted by strict readers.

Why our own: ``ms-cfb`` 0.0.6 marks the root red and leaves stray entries (DESIGN.md
section 4), and olefile only reads. The writer lays out, in this order: FAT sectors,
directory sectors, mini FAT sectors, the mini stream, then every large stream. All
timestamps and CLSIDs are zero so two builds of the same content are byte-identical.

The directory of each storage is a red-black tree: we build a balanced binary search tree
(middle element as root) in CFB name order and colour the deepest level red, which keeps
the same number of black nodes on every path and never puts a red child under a red node.

References
----------
[MS-CFB] Compound File Binary File Format, sections 2.2 (header), 2.3-2.5 (FAT, mini FAT,
DIFAT), 2.6 (directory entries and their red-black tree).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from xlcredit.engine.errors import XlCreditError

__all__ = ["write_cfb"]

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass
class _Node:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    black: bool = True
    start: int = ENDOFCHAIN
    size: int = 0


def _order_key(name: str) -> tuple[int, str]:
    """CFB sibling order: shorter names first, then by upper-cased UTF-16 code units."""
    return (len(name.encode("utf-16-le")) // 2, name.upper())


def _build_tree(nodes: list[_Node], depth: int, max_depth: list[int]) -> _Node | None:
    if not nodes:
        return None
    mid = len(nodes) // 2
    root = nodes[mid]
    root.black = True
    setattr(root, "_depth", depth)  # noqa: B010
    max_depth[0] = max(max_depth[0], depth)
    left = _build_tree(nodes[:mid], depth + 1, max_depth)
    right = _build_tree(nodes[mid + 1 :], depth + 1, max_depth)
    root.left = left.sid if left else NOSTREAM
    root.right = right.sid if right else NOSTREAM
    return root


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def _pad(data: bytes, unit: int) -> bytes:
    rest = len(data) % unit
    return data + b"\x00" * (unit - rest) if rest else data


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """Write a compound file holding ``streams`` (paths like ``"VBA/dir"``; storages are
    implied by the paths).

    Examples
    --------
    Can olefile read back what we wrote?

    >>> import io, olefile
    >>> blob = write_cfb({"PROJECT": b"Name=x", "VBA/dir": b"\\x01" * 5000})
    >>> ole = olefile.OleFileIO(io.BytesIO(blob), raise_defects=olefile.DEFECT_INCORRECT)
    >>> sorted("/".join(p) for p in ole.listdir())
    ['PROJECT', 'VBA/dir']
    >>> ole.openstream("VBA/dir").read() == b"\\x01" * 5000
    True
    """
    root = _Node("Root Entry", 5)
    for path, data in sorted(streams.items()):
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            same = [k for k in node.children if k.upper() == part.upper()]
            node = node.children[same[0]] if same else node.children.setdefault(part, _Node(part, 1))
            if node.kind != 1 or node.name != part:
                raise XlCreditError(
                    f"CFB path {path!r} goes through a stream or a differently cased name."
                )
        if any(k.upper() == parts[-1].upper() for k in node.children):
            raise XlCreditError(
                f"CFB path {path!r} is given twice (names are compared without case)."
            )
        node.children[parts[-1]] = _Node(parts[-1], 2, data)

    # Number the entries (pre-order, root first) and build each storage's tree.
    entries: list[_Node] = []

    def number(node: _Node) -> None:
        node.sid = len(entries)
        entries.append(node)
        for child in sorted(node.children.values(), key=lambda n: _order_key(n.name)):
            number(child)

    number(root)
    for node in entries:
        if not node.children:
            continue
        kids = sorted(node.children.values(), key=lambda n: _order_key(n.name))
        for kid in kids:
            if len(kid.name) > 31:
                raise XlCreditError(f"CFB name {kid.name!r} is longer than 31 characters.")
        max_depth = [0]
        top = _build_tree(kids, 0, max_depth)
        assert top is not None
        node.child = top.sid
        if max_depth[0] > 0:
            for kid in kids:
                if getattr(kid, "_depth") == max_depth[0]:  # noqa: B009
                    kid.black = False

    # Mini stream: small streams, 64-byte mini sectors.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    large: list[_Node] = []
    for node in entries:
        if node.kind != 2:
            continue
        node.size = len(node.data)
        if node.size == 0:
            node.start = ENDOFCHAIN
        elif node.size < CUTOFF:
            first = len(mini_fat)
            count = -(-node.size // MINI)
            mini_fat.extend([0] * count)
            _chain(mini_fat, first, count)
            node.start = first
            mini_stream += _pad(node.data, MINI)
        else:
            large.append(node)

    n_dir = -(-len(entries) * 128 // SECTOR)
    mini_fat_bytes = _pad(b"".join(struct.pack("<I", v) for v in mini_fat), SECTOR)
    n_minifat = len(mini_fat_bytes) // SECTOR
    n_ministream = -(-len(mini_stream) // SECTOR)
    n_large = [-(-len(node.data) // SECTOR) for node in large]
    n_data = n_dir + n_minifat + n_ministream + sum(n_large)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_data:
        n_fat += 1
    if n_fat > 109:
        raise XlCreditError("CFB too large for a header-only DIFAT (over 6.8 MB).")

    fat = [FREESECT] * (n_fat * (SECTOR // 4))
    for i in range(n_fat):
        fat[i] = FATSECT
    pos = n_fat
    dir_start = pos
    _chain(fat, pos, n_dir)
    pos += n_dir
    minifat_start = pos if n_minifat else ENDOFCHAIN
    _chain(fat, pos, n_minifat)
    pos += n_minifat
    if n_ministream:
        root.start = pos
        root.size = len(mini_stream)
        _chain(fat, pos, n_ministream)
        pos += n_ministream
    else:
        root.start, root.size = ENDOFCHAIN, 0
    for node, count in zip(large, n_large, strict=True):
        node.start = pos
        _chain(fat, pos, count)
        pos += count

    directory = bytearray()
    for node in entries:
        name = node.name.encode("utf-16-le")
        directory += name + b"\x00" * (64 - len(name))
        directory += struct.pack(
            "<HBBIII16sIQQIQ",
            len(name) + 2,
            node.kind,
            1 if node.black else 0,
            node.left,
            node.right,
            node.child,
            b"\x00" * 16,
            0,
            0,
            0,
            node.start,
            node.size,
        )
    empty = b"\x00" * 64 + struct.pack(
        "<HBBIII16sIQQIQ", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\x00" * 16, 0, 0, 0, 0, 0
    )
    while len(directory) < n_dir * SECTOR:
        directory += empty

    difat = [FREESECT] * 109
    difat[:n_fat] = range(n_fat)
    header = (
        _SIGNATURE
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,
            n_fat,
            dir_start,
            0,
            CUTOFF,
            minifat_start,
            n_minifat,
            ENDOFCHAIN,
            0,
        )
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR
    body = bytearray(header)
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += directory
    body += mini_fat_bytes
    body += _pad(bytes(mini_stream), SECTOR)
    for node in large:
        body += _pad(node.data, SECTOR)
    assert len(body) == SECTOR * (1 + pos)
    return bytes(body)
