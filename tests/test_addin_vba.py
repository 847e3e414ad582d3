"""What the add-in promises Excel (issue 5, "Verified on Linux"), checked on the committed
workbooks/xlcredit.xlam (test_addin_build.py checks that it equals a fresh build):

- the ribbon XML is well-formed customUI14 with unique ids and a VBA callback for every
  onAction/getLabel/getSupertip, and every RunPython names a Python callable that exists;
- every UDF wrapper matches a function of the UDF module with the same arguments, and the
  registration module describes every function;
- no function name collides with an Excel built-in or looks like a cell reference.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

from xlcredit.excel.addin import ribbon
from xlcredit.excel.addin.project import read_modules
from xlcredit.excel.addin.vbatext import assign
from xlcredit.excel.addin.wrappers import udf_metadata

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbooks" / "xlcredit.xlam"
EXCEL_FUNCTIONS = {
    line.strip().upper()
    for line in (ROOT / "tests" / "data" / "excel_functions.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}
# The entry points re-exported by xlcredit/macros/__init__.py that the ribbon must call (issue 5 / the brief).
RIBBON_ENTRY_POINTS = {
    "ribbon_refresh_all",
    "ribbon_refresh_buyers",
    "ribbon_flag_high_risk",
    "ribbon_build_aging",
    "ribbon_build_collections",
    "ribbon_build_dashboard",
    "ribbon_build_credit_hold",
    "ribbon_payment_plan",
    "ribbon_statement",
    "ribbon_open_policy",
    "ribbon_help",
    "ribbon_import_ledger",
    "ribbon_upgrade_workbook",
}
# VBA keywords and names that cannot be a procedure or argument name (VBA language reference).
VBA_RESERVED = {
    w.upper()
    for w in """And As Boolean ByRef Byte ByVal Call Case CBool CByte CCur CDate CDbl CDec CInt
    CLng CLngLng CLngPtr Const CSng CStr Currency CVar Date Decimal Declare DefBool DefByte
    DefCur DefDate DefDbl DefDec DefInt DefLng DefLngLng DefLngPtr DefObj DefSng DefStr DefVar
    Dim Do Double Each Else ElseIf Empty End EndIf Enum Eqv Erase Error Event Exit False For
    Friend Function Get Global GoSub GoTo If Imp Implements In Integer Is Let Like Long
    LongLong LongPtr Loop LSet Me Mod New Next Not Nothing Null Object On Open Option Optional
    Or ParamArray Preserve Print Private Property PtrSafe Public RaiseEvent ReDim Rem Resume
    Return RSet Select Set Single Static Step Stop String Sub Then To True Type TypeOf Until
    Variant Wend While With WithEvents Write Xor Attribute Base Binary Compare Explicit
    Module Text Database Lib Alias Close Input Line Name Seek Get Put Lock Unlock Width
    Debug Local Shared Len LenB""".split()  # noqa: SIM905
}


@pytest.fixture(scope="module")
def parts() -> dict[str, bytes]:
    with zipfile.ZipFile(COMMITTED) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture(scope="module")
def modules(parts: dict[str, bytes]) -> dict[str, str]:
    return read_modules(parts["xl/vbaProject.bin"])


@pytest.fixture(scope="module")
def ui(parts: dict[str, bytes]) -> ElementTree.Element:
    return ElementTree.fromstring(parts["customUI/customUI14.xml"])


@pytest.fixture(scope="module")
def udf_module() -> types.ModuleType:
    return importlib.import_module("xlcredit_udfs")


# ---------------------------------------------------------------- helpers


def is_cell_reference(name: str) -> bool:
    """True when Excel would read ``name`` as a cell reference (A1 style up to XFD1048576,
    or R1C1 style), so it cannot be a function or defined name."""
    n = name.upper()
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d{1,7})", n)
    if m:
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        return col <= 16384 and 1 <= int(m.group(2)) <= 1048576
    return bool(re.fullmatch(r"R(\[-?\d+\]|\d*)C(\[-?\d+\]|\d*)", n)) or n in ("R", "C")


def test_cell_reference_detector() -> None:
    for ref in ("A1", "CEI1", "XFD1048576", "xfd1", "R1C1", "RC", "R[2]C[-1]", "R", "C", "$B$2"):
        assert is_cell_reference(ref), ref
    for name in ("CEI", "DSO", "XFE1", "A1048577", "AGING_BUCKET", "TRADESCORE", "R1C1X"):
        assert not is_cell_reference(name), name


def vba_string_value(lines: list[str], var: str) -> str:
    """Evaluate the VBA lines ``var = "..." & ChrW(&H..)`` / ``var = var & ...``."""
    value = ""
    for line in lines:
        m = re.fullmatch(rf"\s*{re.escape(var)} = (?:{re.escape(var)} & )?(.*)", line)
        if not m:
            continue
        text = ""
        for lit, code in re.findall(r'"((?:[^"]|"")*)"|ChrW\(&H([0-9A-F]+)\)', m.group(1)):
            text += chr(int(code, 16)) if code else lit.replace('""', '"')
        value = value + text if f"{var} = {var} &" in line else text
    # VBA strings are UTF-16: ChrW of a surrogate pair makes one character
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_round_trips_through_vba_string_lines(text: str) -> None:
    lines = assign("s", text)
    assert vba_string_value(lines, "s") == text
    for line in lines:
        line.encode("cp1252")  # the project's code page
        assert len(line) <= 1023


def procedures(source: str) -> dict[str, str]:
    """Procedure name -> its parameter list, for every Sub and Function."""
    pattern = r"^(?:Public |Private )?(?:Sub|Function) (\w+)\(([^)]*)\)"
    return dict(re.findall(pattern, source, flags=re.MULTILINE))


# ---------------------------------------------------------------- ribbon


def test_ribbon_xml_is_customui14_with_unique_ids(ui: ElementTree.Element) -> None:
    assert ui.tag == f"{{{ribbon.CUSTOMUI14_NS}}}customUI"
    ids = [el.get("id") for el in ui.iter() if el.get("id") is not None]
    assert len(ids) == len(set(ids)), "ribbon ids must be unique"
    tabs = list(ui.iter(f"{{{ribbon.CUSTOMUI14_NS}}}tab"))
    assert [t.get("label") for t in tabs] == ["xlcredit"]
    buttons = list(ui.iter(f"{{{ribbon.CUSTOMUI14_NS}}}button"))
    assert len(buttons) == len(RIBBON_ENTRY_POINTS)
    for el in [*ui.iter(f"{{{ribbon.CUSTOMUI14_NS}}}group"), *buttons]:
        assert el.get("getLabel") == f"{ribbon.RIBBON_MODULE}.GetLabel"


def test_every_ribbon_callback_has_its_vba_sub(ui: ElementTree.Element, modules: dict[str, str]) -> None:
    procs = procedures(modules[ribbon.RIBBON_MODULE])
    kinds = {
        "onAction": r"control As IRibbonControl",
        "getLabel": r"control As IRibbonControl, ByRef returnedVal",
        "getScreentip": r"control As IRibbonControl, ByRef returnedVal",
        "getSupertip": r"control As IRibbonControl, ByRef returnedVal",
        "onLoad": r"ribbon As IRibbonUI",
    }
    seen = 0
    for el in ui.iter():
        for attr, params in kinds.items():
            callback = el.get(attr)
            if callback is None:
                continue
            module, _, name = callback.rpartition(".")
            assert module == ribbon.RIBBON_MODULE, callback
            assert name in procs, f"no VBA procedure {name} for {attr}"
            assert procs[name] == params, f"{name}({procs[name]}) must be {name}({params})"
            seen += 1
    assert seen >= 3 * len(RIBBON_ENTRY_POINTS)


def test_every_runpython_names_an_existing_callable(modules: dict[str, str]) -> None:
    calls = []
    for name, source in modules.items():
        calls += [(name, c) for c in re.findall(r'^\s*RunPython "([^"]*)"', source, re.MULTILINE)]
    ribbon_calls = [c for module, c in calls if module == ribbon.RIBBON_MODULE]
    assert len(ribbon_calls) == len(RIBBON_ENTRY_POINTS)
    entry_points = set()
    for command in ribbon_calls:
        m = re.fullmatch(r"import ([\w.]+); \1\.(\w+)\(\)", command)
        assert m, f"RunPython must be 'import module; module.function()': {command!r}"
        module = importlib.import_module(m.group(1))
        target = getattr(module, m.group(2), None)
        assert callable(target), f"{m.group(1)}.{m.group(2)} does not exist or is not callable"
        assert m.group(1) == "xlcredit.macros"
        entry_points.add(m.group(2))
    assert entry_points == RIBBON_ENTRY_POINTS


def _button_bodies(source: str) -> dict[str, list[str]]:
    found = re.findall(r"Public Sub (\w+)\(control As IRibbonControl\)\r\n(.*?)End Sub", source, re.S)
    return {name: [ln.strip() for ln in body.split("\r\n") if ln.strip()] for name, body in found}


def test_every_button_runs_one_entry_point(ui: ElementTree.Element, modules: dict[str, str]) -> None:
    bodies = _button_bodies(modules[ribbon.RIBBON_MODULE])
    for el in ui.iter(f"{{{ribbon.CUSTOMUI14_NS}}}button"):
        name = el.get("onAction", "").rpartition(".")[2]
        body = bodies[name]
        assert len(body) == 2 and body[1].startswith('RunPython "import xlcredit.macros; ')


def test_every_button_checks_for_a_workbook_before_running_python(modules: dict[str, str]) -> None:
    """Issue 13, 3: RunPython reads ActiveWorkbook first (GetConfig in xlwings' VBA), which is
    Nothing with no workbook open and for a file in Protected View: VBA would stop with
    run-time error 91. Every button checks first and says what to do, in the language of
    Office's user interface."""
    source = modules[ribbon.RIBBON_MODULE]
    assert "ActiveWorkbook" in modules["xlwings"]  # why the guard is needed
    bodies = _button_bodies(source)
    for b in ribbon.BUTTONS:
        body = bodies[b.on_action]
        assert body[0] == "If Not WorkbookReady() Then Exit Sub", b.on_action
        assert all("RunPython" not in line for line in body[:1]), b.on_action
    m = re.search(r"Private Function WorkbookReady\(\) As Boolean\r\n(.*?)End Function", source, re.S)
    assert m, "no WorkbookReady function in the ribbon module"
    guard = m.group(1)
    assert "If Not ActiveWorkbook Is Nothing Then" in guard
    assert "Application.ActiveProtectedViewWindow Is Nothing" in guard
    assert "IsChineseUI()" in guard and guard.count("MsgBox ") == 1
    lines = guard.split("\r\n")
    texts = {}
    for key in ("noBookZh", "noBookEn", "protectedZh", "protectedEn"):
        texts[key] = vba_string_value(lines, key)
    assert texts == {
        "noBookZh": ribbon.NO_WORKBOOK[1], "noBookEn": ribbon.NO_WORKBOOK[0],
        "protectedZh": ribbon.PROTECTED_VIEW[1], "protectedEn": ribbon.PROTECTED_VIEW[0],
    }
    for en, zh in (ribbon.NO_WORKBOOK, ribbon.PROTECTED_VIEW):
        assert re.search(r"[\u4e00-\u9fff]", zh) and "xlcredit" in en
    assert "Enable Editing" in ribbon.PROTECTED_VIEW[0] and "启用编辑" in ribbon.PROTECTED_VIEW[1]


def test_labels_in_english_and_chinese(modules: dict[str, str]) -> None:
    source = modules[ribbon.RIBBON_MODULE]
    assert "LanguageID(2)" in source and "2052" in source
    cases = re.findall(r'Case "(\w+)\|(\w+)"\r\n(.*?)(?=\r\n        Case )', source, re.S)
    table = {}
    for control, part, body in cases:
        zh_lines, _, en_lines = body.partition("Else")
        table[(control, part)] = (
            vba_string_value(zh_lines.split("\r\n"), "s"),
            vba_string_value(en_lines.split("\r\n"), "s"),
        )
    for b in ribbon.BUTTONS:
        assert table[(b.id, "label")] == (b.zh, b.en)
        assert table[(b.id, "tip")] == (b.tip_zh, b.tip_en)
        assert re.search(r"[\u4e00-\u9fff]", b.zh), b.zh
    for g in ribbon.GROUPS:
        assert table[(g.id, "label")] == (g.zh, g.en)
    assert [b.en for b in ribbon.BUTTONS] == [
        "Refresh all", "Refresh buyers", "Flag high risk", "Aging", "Collections",
        "Dashboard", "Credit hold", "Import ledger", "Payment plan", "Statement", "Policy", "Upgrade workbook",
        "Help and version",
    ]


# ---------------------------------------------------------------- UDF wrappers


def _wrappers(modules: dict[str, str]) -> dict[str, list[str]]:
    found = re.findall(r"^Function (\w+)\(([^)]*)\)", modules["xlcredit_functions"], re.MULTILINE)
    return {name: [a.strip() for a in args.split(",") if a.strip()] for name, args in found}


def test_every_wrapper_matches_a_udf_with_the_same_arguments(modules: dict[str, str], udf_module: types.ModuleType) -> None:
    wrappers = _wrappers(modules)
    exported = set(udf_module.__all__)
    assert set(wrappers) == exported, (
        f"add-in and UDF module differ: only in add-in {sorted(set(wrappers) - exported)}, "
        f"only in module {sorted(exported - set(wrappers))}; run `xlcredit addin build`"
    )
    for name, args in wrappers.items():
        params = inspect.signature(getattr(udf_module, name)).parameters.values()
        expected = [
            ("Optional " if p.default is not inspect.Parameter.empty else "") + p.name
            for p in params
        ]
        assert args == expected, name
        assert f'XLPy.CallUDF("xlcredit_udfs", "{name}", Array(' in modules["xlcredit_functions"]


def test_function_names_are_safe_in_excel_and_vba(udf_module: types.ModuleType) -> None:
    for name in udf_module.__all__:
        assert name.upper() not in EXCEL_FUNCTIONS, f"{name} collides with an Excel built-in"
        assert not is_cell_reference(name), f"{name} looks like a cell reference"
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,254}", name), name
        assert name.upper() not in VBA_RESERVED, name
        for arg in inspect.signature(getattr(udf_module, name)).parameters:
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", arg), f"{name}: {arg}"
            assert arg.upper() not in VBA_RESERVED, f"{name}: argument {arg} is a VBA keyword"


def test_function_names_do_not_clash_inside_the_vba_project(modules: dict[str, str], udf_module: types.ModuleType) -> None:
    # A worksheet call of a name defined twice in the project is ambiguous in Excel.
    others = {
        name.upper()
        for module, source in modules.items()
        if module != "xlcredit_functions"
        for name in procedures(source)
    } | {m.upper() for m in modules} | {"XLCREDIT"}
    clashes = sorted(n for n in udf_module.__all__ if n.upper() in others)
    assert not clashes, f"functions clash with VBA procedures or modules of the add-in: {clashes}"


def test_excel_function_list_is_sane() -> None:
    # tests/data/excel_functions.txt (sources in its header)
    assert {"SUM", "XLOOKUP", "DAYS", "LAMBDA", "TEXTSPLIT", "DB", "DDB"} <= EXCEL_FUNCTIONS
    assert len(EXCEL_FUNCTIONS) > 480


def test_udf_metadata_suits_excel() -> None:
    from xlwings.conversion import accessors

    problems = []
    for info in udf_metadata():
        if info.category != "xlcredit":
            problems.append(f"{info.name}: category {info.category!r}, not 'xlcredit'")
        if info.call_in_wizard or info.volatile:
            problems.append(f"{info.name}: must be call_in_wizard=False and not volatile")
        if not 0 < len(info.description) <= 255:
            problems.append(f"{info.name}: description must be 1..255 characters")
        for arg, doc, conv in zip(info.args, info.arg_docs, info.arg_converters, strict=True):
            if not doc or doc.startswith("Positional argument"):
                problems.append(f"{info.name}: argument {arg} has no doc")
            if len(doc) > 255:
                problems.append(f"{info.name}: doc of {arg} is over 255 characters")
            # xlwings looks an annotation up as a converter on Windows (accessors.get(...)
            # .reader); one it does not know breaks every call in Excel.
            if conv is not None and conv not in accessors:
                problems.append(f"{info.name}: argument {arg} annotated {conv!r}")
        if info.ret_converter is not None and info.ret_converter not in accessors:
            problems.append(
                f"{info.name}: return annotation {info.ret_converter!r} is not an xlwings "
                "converter, so Excel would show an error for every call (annotate -> Any)"
            )
    assert not problems, "\n".join(problems)


def test_registration_describes_every_function(modules: dict[str, str]) -> None:
    source = modules["xlcredit_register"]
    infos = udf_metadata()
    body = re.search(r"Public Sub RegisterFunctions\(\)\r\n(.*?)End Sub", source, re.S)
    assert body
    assert [ln.strip() for ln in body.group(1).split("\r\n") if ln.strip()] == [
        f"Register_{i.name}" for i in infos
    ]
    for info in infos:
        m = re.search(rf"Private Sub Register_{info.name}\(\)\r\n(.*?)End Sub", source, re.S)
        assert m, info.name
        lines = m.group(1).split("\r\n")
        assert vba_string_value(lines, "d") == info.description
        for i, doc in enumerate(info.arg_docs):
            assert vba_string_value(lines, f"h({i})") == doc[:255]
        assert f'Describe "{info.name}", d, {"h" if info.args else "Empty"}' in m.group(1)
    assert 'Category:=XLCREDIT_CATEGORY' in source and '"xlcredit"' in source
    assert "xlcredit_register.RegisterFunctions" in modules["ThisWorkbook"]
    assert re.search(r"Private Sub Workbook_Open\(\)", modules["ThisWorkbook"])


def test_vba_lines_fit_the_editor(modules: dict[str, str]) -> None:
    for name in ("xlcredit_ribbon", "xlcredit_functions", "xlcredit_register", "ThisWorkbook"):
        lines = modules[name].split("\r\n")
        assert max(len(ln) for ln in lines) <= 1023, name
        run = 0
        for ln in lines:
            run = run + 1 if ln.endswith(" _") else 0
            assert run <= 24, f"{name}: more than 24 line continuations"


def test_declarations_come_before_procedures(modules: dict[str, str]) -> None:
    # VBA allows only comments after the first procedure's End Sub/Function.
    for name in ("xlcredit_ribbon", "xlcredit_functions", "xlcredit_register", "ThisWorkbook"):
        source = modules[name]
        first = re.search(r"^(Public |Private )?(Sub|Function) ", source, re.MULTILINE)
        assert first, name
        tail = source[first.start():]
        assert not re.search(r"^(Public |Private )?(Const|Dim|Declare) ", tail, re.MULTILINE), name
