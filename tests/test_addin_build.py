"""The add-in builder: MS-OVBA compression, the compound-file writer, the VBA project
recipe of DESIGN.md section 4, and that workbooks/xlcredit.xlam equals a fresh build.

Issue 5 ("Verified on Linux"): every VBA module extracts with oletools and round-trips
byte for byte through oletools' decompressor; olefile parses vbaProject.bin strictly.
"""

from __future__ import annotations

import importlib
import io
import re
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from xlcredit.engine.errors import XlCreditError
from xlcredit.excel.addin import cfb, ovba, project
from xlcredit.excel.addin.build import (
    ADDED_MODULES,
    PROJECT_NAME,
    TEMPLATE_SHA256,
    XLWINGS_VERSION,
    build_parts,
    template_parts,
    vba_sources,
)

build_mod = importlib.import_module("xlcredit.excel.addin.build")

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbooks" / "xlcredit.xlam"
OUR_MODULES = ("xlwings", "xlcredit_ribbon", "xlcredit_functions", "xlcredit_register", "ThisWorkbook")
KEPT_MODULES = ("Dictionary", "Sheet2")


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture(scope="module")
def committed() -> dict[str, bytes]:
    assert COMMITTED.exists(), "workbooks/xlcredit.xlam is missing: run `xlcredit addin build`"
    return _parts(COMMITTED.read_bytes())


@pytest.fixture(scope="module")
def ole(committed: dict[str, bytes]) -> olefile.OleFileIO:
    return olefile.OleFileIO(
        io.BytesIO(committed["xl/vbaProject.bin"]), raise_defects=olefile.DEFECT_POTENTIAL
    )


@pytest.fixture(scope="module")
def template_ole() -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(template_parts()["xl/vbaProject.bin"]))


def _dir_records(ole: olefile.OleFileIO) -> list[tuple[int, bytes]]:
    return project._parse_dir(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))


def _module_table(ole: olefile.OleFileIO) -> dict[str, tuple[str, int]]:
    """module name -> (stream name, MODULEOFFSET) from the dir stream."""
    _, blocks, _ = project._split_modules(_dir_records(ole))
    out = {}
    for block in blocks:
        name = project._block_get(block, 0x19).decode("cp1252")
        stream = project._block_get(block, 0x1A).decode("cp1252")
        offset = struct.unpack("<I", project._block_get(block, 0x31))[0]
        out[name] = (stream, offset)
    return out


def _chunk_flags(container: bytes) -> list[bool]:
    """The 'compressed' flag of every chunk of an MS-OVBA container."""
    flags, pos = [], 1
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        flags.append(bool(header & 0x8000))
        pos += (header & 0x0FFF) + 3
    return flags


# ---------------------------------------------------------------- MS-OVBA compression

VBA_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefgh XYZ_()=\"'.,&\r\n\t0123456789")), max_size=13000
)


@settings(max_examples=60, deadline=None)
@given(VBA_TEXT)
def test_compress_round_trips_through_oletools(text: str) -> None:
    data = text.encode("cp1252")
    packed = ovba.compress(data)
    assert bytes(decompress_stream(bytearray(packed))) == data
    assert ovba.decompress(packed) == data
    assert all(_chunk_flags(packed))  # compressed chunks only (DESIGN.md 4)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=0, max_size=2000).map(lambda b: (b * 5)[:9000]))
def test_compress_round_trips_repetitive_binary(data: bytes) -> None:
    packed = ovba.compress(data)
    assert bytes(decompress_stream(bytearray(packed))) == data


def test_long_module_round_trips() -> None:
    # Regression for the PyPI ms-ovba-compression 1.0.1 bug (DESIGN.md 4): modules over
    # about 4 KB were corrupted. The xlwings runtime module is ~45 KB.
    src = next(m.source for m in vba_sources() if m.name == "xlwings").encode("cp1252")
    assert len(src) > 40_000
    assert bytes(decompress_stream(bytearray(ovba.compress(src)))) == src


def test_our_decompressor_agrees_with_oletools(template_ole: olefile.OleFileIO) -> None:
    for path in template_ole.listdir():
        name = "/".join(path)
        if not name.startswith("VBA/") or name in ("VBA/_VBA_PROJECT",):
            continue
        raw = template_ole.openstream(name).read()
        table = _module_table(template_ole)
        module = next((m for m, (s, _) in table.items() if "VBA/" + s == name), None)
        offset = table[module][1] if module else 0
        assert ovba.decompress(raw[offset:]) == bytes(decompress_stream(bytearray(raw[offset:])))


def test_incompressible_chunk_is_refused() -> None:
    import random

    with pytest.raises(XlCreditError, match="does not compress"):
        ovba.compress(random.Random(5).randbytes(4096))


# ---------------------------------------------------------------- compound file writer

NAMES = st.text(alphabet=st.sampled_from(list("abcXYZ_09")), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["", "VBA/", "A/B/"]), NAMES).map(lambda t: t[0] + t[1]),
        st.integers(0, 9000).map(lambda n: bytes([n % 251]) * n),
        min_size=1,
        max_size=12,
    )
)
def test_cfb_is_read_back_by_strict_olefile(streams: dict[str, bytes]) -> None:
    folded = {p.upper() for p in streams}
    if len(folded) < len(streams) or any(
        any(other.startswith(p + "/") for other in folded) for p in folded
    ):
        with pytest.raises(XlCreditError):
            cfb.write_cfb(streams)  # CFB names are case-insensitive; no stream is a storage
        return
    blob = cfb.write_cfb(streams)
    assert cfb.write_cfb(streams) == blob  # deterministic
    ole = olefile.OleFileIO(io.BytesIO(blob), raise_defects=olefile.DEFECT_POTENTIAL)
    assert {"/".join(p): ole.openstream("/".join(p)).read() for p in ole.listdir()} == streams
    _assert_red_black(ole)


def _assert_red_black(ole: olefile.OleFileIO) -> None:
    """Each storage's children form a red-black binary search tree in CFB order
    (MS-CFB 2.6.4): root black, no red node with a red child, equal black height."""
    entries = ole.direntries
    nostream = 0xFFFFFFFF

    def key(sid: int) -> tuple[int, str]:
        return (len(entries[sid].name), entries[sid].name.upper())

    def walk(sid: int, low: tuple[int, str] | None, high: tuple[int, str] | None) -> int:
        if sid == nostream:
            return 1
        e = entries[sid]
        k = key(sid)
        assert (low is None or low < k) and (high is None or k < high)
        if e.color == 0:  # red
            for child in (e.sid_left, e.sid_right):
                assert child == nostream or entries[child].color == 1
        left = walk(e.sid_left, low, k)
        right = walk(e.sid_right, k, high)
        assert left == right
        return left + (1 if e.color == 1 else 0)

    for e in entries:
        if e is not None and e.sid_child != nostream and e.entry_type in (1, 5):
            assert entries[e.sid_child].color == 1
            walk(e.sid_child, None, None)


def test_committed_vba_project_is_a_valid_compound_file(ole: olefile.OleFileIO) -> None:
    _assert_red_black(ole)
    root = ole.direntries[0]
    assert root.color == 1 and root.name == "Root Entry"
    assert all(e.createTime == 0 and e.modifyTime == 0 for e in ole.direntries if e)


# ---------------------------------------------------------------- the VBA project recipe


def test_template_hash_is_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "quickstart_addin_ribbon.xlam"
    fake.write_bytes(b"PK not the template")
    monkeypatch.setattr(build_mod, "_template_path", lambda: fake)
    with pytest.raises(XlCreditError, match=TEMPLATE_SHA256):
        template_parts()


def test_vba_project_stream_is_version_ffff(ole: olefile.OleFileIO) -> None:
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")


def test_project_and_modules_are_renamed(ole: olefile.OleFileIO, committed: dict[str, bytes]) -> None:
    records = _dir_records(ole)
    assert dict(records)[0x0004] == PROJECT_NAME.encode()
    table = _module_table(ole)
    assert sorted(table) == sorted(OUR_MODULES + KEPT_MODULES)
    assert all(stream == name for name, (stream, _) in table.items())
    text = ole.openstream("PROJECT").read().decode("cp1252")
    assert f'Name="{PROJECT_NAME}"' in text
    for name in ("xlcredit_ribbon", *ADDED_MODULES, "xlwings"):
        assert f"Module={name}\r\n" in text
        assert f"\r\n{name}=" in text.split("[Workspace]")[1]
    everything = b"".join(
        ole.openstream("/".join(p)).read() for p in ole.listdir() if p[-1] in ("PROJECT", "PROJECTwm")
    ) + bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    assert b"MyAddin" not in everything and b"M\x00y\x00A\x00d\x00d" not in everything
    assert not [p for p in ole.listdir() if "MyAddin" in "/".join(p)]
    workbook = committed["xl/workbook.xml"].decode()
    assert f'<sheet name="{PROJECT_NAME}.conf"' in workbook and "myaddin" not in workbook


def test_project_id_and_protection_lines_are_kept(
    ole: olefile.OleFileIO, template_ole: olefile.OleFileIO
) -> None:
    def lines(o: olefile.OleFileIO) -> dict[str, str]:
        text = o.openstream("PROJECT").read().decode("cp1252")
        return {k: v for k, _, v in (line.partition("=") for line in text.split("\r\n"))}

    ours, theirs = lines(ole), lines(template_ole)
    for key in ("ID", "CMG", "DPB", "GC", "HelpContextID", "VersionCompatible32"):
        assert ours[key] == theirs[key], key


def test_projectwm_is_uncompressed_name_pairs(ole: olefile.OleFileIO) -> None:
    data = ole.openstream("PROJECTwm").read()
    names, pos = [], 0
    while data[pos : pos + 2] != b"\x00\x00":
        end = data.index(b"\x00", pos)
        name = data[pos:end].decode("cp1252")
        uend = end + 1 + 2 * len(name)
        assert data[end + 1 : uend].decode("utf-16-le") == name
        assert data[uend : uend + 2] == b"\x00\x00"
        names.append(name)
        pos = uend + 2
    assert pos + 2 == len(data)
    assert sorted(names) == sorted(_module_table(ole))


def test_changed_modules_are_source_only_and_others_untouched(
    ole: olefile.OleFileIO, template_ole: olefile.OleFileIO
) -> None:
    table = _module_table(ole)
    for name in OUR_MODULES:
        stream, offset = table[name]
        assert offset == 0, f"{name} must be written source-only (MODULEOFFSET 0)"
        assert all(_chunk_flags(ole.openstream("VBA/" + stream).read()))
    for name in KEPT_MODULES:
        assert ole.openstream("VBA/" + name).read() == template_ole.openstream("VBA/" + name).read()
    assert all(_chunk_flags(ole.openstream("VBA/dir").read()))


def test_every_module_round_trips_through_oletools(ole: olefile.OleFileIO) -> None:
    sources = {m.name: m.source.encode("cp1252") for m in vba_sources()}
    for name, (stream, offset) in _module_table(ole).items():
        raw = ole.openstream("VBA/" + stream).read()
        text = bytes(decompress_stream(bytearray(raw[offset:])))
        if name in sources:
            assert text == sources[name], name
            assert ovba.compress(text) == raw  # our writer, byte for byte
        assert text.startswith(f'Attribute VB_Name = "{name}"'.encode())


def test_olevba_extracts_every_module() -> None:
    parser = VBA_Parser(str(COMMITTED))
    try:
        found = {Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()
    assert sorted(found) == sorted(OUR_MODULES + KEPT_MODULES)
    sources = {m.name: m.source for m in vba_sources()}

    def code(text: str) -> list[str]:
        lines = text.replace("\r\n", "\n").split("\n")
        return [ln.rstrip() for ln in lines if ln.strip() and not ln.startswith("Attribute ")]

    for name in OUR_MODULES:
        assert code(found[name]) == code(sources[name]), name


def test_oletools_sees_no_vba_stomping() -> None:
    # DESIGN.md 4: new source behind old p-code is what antivirus calls "VBA stomping";
    # oletools compares the p-code (pcodedmp) with the source of every module.
    parser = VBA_Parser(str(COMMITTED))
    try:
        assert parser.detect_vba_stomping() is False
    finally:
        parser.close()


def test_xlwings_runtime_is_xlwings_own_with_our_project_name() -> None:
    import xlwings

    assert xlwings.__version__ == XLWINGS_VERSION
    upstream = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text("cp1252")
    ours = next(m.source for m in vba_sources() if m.name == "xlwings")
    expected = upstream.replace(
        'PROJECT_NAME As String = "myaddin"', f'PROJECT_NAME As String = "{PROJECT_NAME}"'
    )
    assert ours.replace("\r\n", "\n").rstrip("\n") == expected.replace("\r\n", "\n").rstrip("\n")
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'"xlwings=={XLWINGS_VERSION}"' in pyproject


def test_config_sheet_sets_udf_module_and_server(committed: dict[str, bytes]) -> None:
    strings = re.findall(r"<t>([^<]*)</t>", committed["xl/sharedStrings.xml"].decode())
    sheet = committed["xl/worksheets/sheet1.xml"].decode()
    cells = dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]*><v>([^<]*)</v></c>', sheet))
    types = dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]* t="(\w)"', sheet))
    config = {}
    for row in (1, 2):
        key = strings[int(cells[f"A{row}"])]
        value = strings[int(cells[f"B{row}"])] if types[f"B{row}"] == "s" else cells[f"B{row}"]
        config[key] = value
    assert config == {"UDF Modules": "xlcredit_udfs", "Use UDF Server": "1"}
    assert types["B2"] == "b"
    assert "absPath" not in committed["xl/workbook.xml"].decode()


def test_ribbon_part_is_customui14(committed: dict[str, bytes]) -> None:
    rels = committed["_rels/.rels"].decode()
    assert (
        'Type="http://schemas.microsoft.com/office/2007/relationships/ui/extensibility" '
        'Target="customUI/customUI14.xml"' in rels
    )
    assert "customUI/customUI14.xml" in committed and "customUI/customUI.xml" not in committed


# ---------------------------------------------------------------- determinism


def test_committed_addin_equals_a_fresh_build(committed: dict[str, bytes]) -> None:
    fresh = build_parts()
    stale = sorted(n for n in set(fresh) | set(committed) if fresh.get(n) != committed.get(n))
    if "xl/vbaProject.bin" in stale:
        ours = project.read_modules(committed["xl/vbaProject.bin"])
        new = project.read_modules(fresh["xl/vbaProject.bin"])
        stale += [f"module {m}" for m in sorted(set(ours) | set(new)) if ours.get(m) != new.get(m)]
    assert not stale, (
        f"workbooks/xlcredit.xlam is out of date ({', '.join(stale)}): run `xlcredit addin build`"
    )
    assert build_mod._zip(fresh) == COMMITTED.read_bytes()


def test_build_is_deterministic(tmp_path: Path) -> None:
    a = build_mod.build(tmp_path / "a.xlam").read_bytes()
    b = build_mod.build(tmp_path / "b.xlam").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.namelist()[0] == "[Content_Types].xml"


def test_build_works_with_any_udf_module() -> None:
    parts = build_parts("xlcredit.excel.addin._demo_udfs")
    modules = project.read_modules(parts["xl/vbaProject.bin"])
    assert 'Function XLCDEMO_DOUBLE(x)' in modules["xlcredit_functions"]
    assert "Register_XLCDEMO_DOUBLE" in modules["xlcredit_register"]


def test_module_source_outside_code_page_is_refused() -> None:
    bad = project.ModuleSource("xlcredit_ribbon", 'Attribute VB_Name = "xlcredit_ribbon"\r\n\' 账龄\r\n')
    with pytest.raises(XlCreditError, match="cp1252"):
        project.edit_project(
            template_parts()["xl/vbaProject.bin"], "x", {"RibbonMyAddin": "xlcredit_ribbon"}, [bad], []
        )
