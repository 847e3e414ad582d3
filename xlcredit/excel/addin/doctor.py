"""``xlcredit addin doctor``: check an installation and explain problems in plain words.

Each check gives OK, WARN, FAIL or SKIP (a Windows-only check on another system) with
one sentence saying what was found and, when something is wrong, what to do. The
troubleshooting table at the end maps the messages Excel users of xlwings meet to their
usual causes; it is drawn from the xlwings issue tracker (issue numbers given).
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any, TextIO

from xlcredit.excel.addin.build import UDF_MODULE, XLWINGS_VERSION, default_output
from xlcredit.excel.addin.install import EXCEL_OPTIONS_KEY, config_encoding, paths, python_kind

__all__ = ["SECURITY_KEYS", "TROUBLESHOOTING", "Check", "addin_facts", "doctor", "macro_trust",
           "run_checks"]


@dataclass(frozen=True)
class Check:
    """One diagnosis line."""

    status: str  # OK, WARN, FAIL, SKIP
    topic: str
    message: str


TROUBLESHOOTING: tuple[tuple[str, str, str], ...] = (
    (
        "Could not activate Python COM server",
        "Excel could not start the Python UDF server: the interpreter in xlcredit.conf is "
        "wrong or lacks xlwings/pywin32, Office is the Microsoft Store edition, the Windows "
        "user name has non-ASCII letters, or a stale %TEMP%\\gen_py cache (xlwings issues "
        "#1166, #1036, #1934, #1785).",
        "Run `xlcredit addin install` again from the Python that has xlcredit; set SHOW "
        "CONSOLE to True in %USERPROFILE%\\.xlcredit\\xlcredit.conf to see the real error; "
        "install Office from office.com instead of the Store; delete %TEMP%\\gen_py.",
    ),
    (
        "File not found: xlwings64-0.37.8.dll / Could not load xlwings64-...dll",
        "The add-in and the Python package are different xlwings versions (an upgrade of "
        "one without the other), or an antivirus removed the DLL (issues #1070, #1595, "
        "#2532, #2376).",
        "Keep xlwings==0.37.8 and rerun `xlcredit addin install` after every upgrade; check "
        "that xlwings64-0.37.8.dll sits beside python.exe or one folder up; restore it with "
        "`pip install --force-reinstall xlwings==0.37.8`.",
    ),
    (
        "#NAME?",
        "Excel does not know the function: the add-in is not loaded (ticked in File > "
        "Options > Add-ins), the add-in is older than the function, or the workbook's "
        "formulas point at the add-in's old path.",
        "Run `xlcredit addin doctor`; reinstall the add-in; use Data > Edit Links > Change "
        "Source to point old formulas at %APPDATA%\\Microsoft\\AddIns\\xlcredit.xlam.",
    ),
    (
        "Object required",
        "The VBA wrapper could not reach xlwings: a workbook-level copy of old xlwings "
        "wrappers or the xlwings reference shadows the add-in, or the wrappers are stale "
        "after an upgrade (issues #1163, #2506, #2337).",
        "Rebuild and reinstall the add-in (`xlcredit addin install`); remove any "
        "xlwings_udfs module from the workbook itself.",
    ),
    (
        "ModuleNotFoundError: No module named 'xlcredit_udfs' (or 'xlcredit')",
        "The interpreter in xlcredit.conf is not the one xlcredit is installed in (a second "
        "Python, a conda env or a venv).",
        "Install xlcredit into that interpreter, or rerun `xlcredit addin install` from the "
        "interpreter that has it.",
    ),
    (
        "Macros blocked / the xlcredit tab is missing",
        "Office blocks macros in files marked as downloaded from the internet, the "
        "add-in is disabled (File > Options > Add-ins > Disabled Items), or the macro "
        "setting is 'Disable VBA macros without notification' and the AddIns folder is not "
        "a trusted location (see the macro security line above).",
        "Right-click the .xlam > Properties > Unblock, or install with `xlcredit addin "
        "install` (which writes the file locally); re-enable it under Disabled Items.",
    ),
)


def addin_facts(path: Path) -> dict[str, str]:
    """Facts the add-in file carries: its xlwings version, its xlcredit version, the UDF
    module in its config sheet and the function names it declares.

    >>> from xlcredit.excel.addin.build import build
    >>> import tempfile
    >>> facts = addin_facts(build(Path(tempfile.mkdtemp()) / "a.xlam"))
    >>> facts["xlwings_version"], facts["udf_module"]
    ('0.37.8', 'xlcredit_udfs')
    """
    from xlcredit.excel.addin.project import read_modules

    with zipfile.ZipFile(path) as zf:
        modules = read_modules(zf.read("xl/vbaProject.bin"))
        shared = zf.read("xl/sharedStrings.xml").decode("utf-8")
    runtime = modules.get("xlwings", "")
    register = modules.get("xlcredit_register", "")
    functions = modules.get("xlcredit_functions", "")
    strings = re.findall(r"<t>([^<]*)</t>", shared)
    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', runtime)
    ours = re.search(r'XLCREDIT_VERSION As String = "([^"]+)"', register)
    names = re.findall(r"^Function (\w+)\(", functions, flags=re.MULTILINE)
    udf_module = strings[strings.index("UDF Modules") + 2] if "UDF Modules" in strings else ""
    return {
        "xlwings_version": version.group(1) if version else "",
        "xlcredit_version": ours.group(1) if ours else "",
        "udf_module": udf_module,
        "functions": ",".join(names),
    }


#: Where Excel keeps its macro setting and trusted locations: the group policy first (it
#: wins), then the user's own Trust Center choices.
SECURITY_KEYS = (
    r"Software\Policies\Microsoft\Office\16.0\Excel\Security",
    r"Software\Microsoft\Office\16.0\Excel\Security",
)
#: VBAWarnings: 1 enable all, 2 disable with notification (Excel's default), 3 disable
#: except digitally signed, 4 disable without notification (Trust Center > Macro Settings).
_MACRO_SETTINGS = {1: "Enable VBA macros", 2: "Disable VBA macros with notification",
                   3: "Disable VBA macros except digitally signed macros",
                   4: "Disable VBA macros without notification"}  # fmt: skip


def _read(reg: Any, path: str, name: str) -> Any:
    try:
        key = reg.OpenKey(reg.HKEY_CURRENT_USER, path)
    except OSError:
        return None
    with key:
        try:
            return reg.QueryValueEx(key, name)[0]
        except OSError:
            return None


def _subkeys(reg: Any, path: str) -> list[str]:
    try:
        key = reg.OpenKey(reg.HKEY_CURRENT_USER, path)
    except OSError:
        return []
    names, i = [], 0
    with key:
        while True:
            try:
                names.append(reg.EnumKey(key, i))
            except OSError:
                return names
            i += 1


def macro_trust(addin: str, reg: Any, env: Mapping[str, str] | None = None) -> Check:
    """Whether Excel's macro setting lets the add-in's VBA run from where it is installed:
    with "Disable VBA macros without notification" (or "except digitally signed": the
    add-in is not signed) only files in a trusted location run, and the AddIns folder is not
    one by default (docs/excel.md, Macro security)."""
    env = os.environ if env is None else env
    level = next((int(v) for v in (_read(reg, k, "VBAWarnings") for k in SECURITY_KEYS)
                  if v is not None), 2)  # fmt: skip
    setting = _MACRO_SETTINGS.get(level, f"VBAWarnings {level}")
    folder = PureWindowsPath(addin).parent
    for base in SECURITY_KEYS:
        for sub in _subkeys(reg, base + "\\Trusted Locations"):
            where = _read(reg, f"{base}\\Trusted Locations\\{sub}", "Path")
            if not where:
                continue
            path = PureWindowsPath(re.sub(r"%([^%]+)%", lambda m: env.get(m.group(1), m.group(0)), str(where)))
            deep = bool(_read(reg, f"{base}\\Trusted Locations\\{sub}", "AllowSubfolders"))
            if folder == path or (deep and folder.is_relative_to(path)):
                return Check("OK", "macro security", f"{folder} is a trusted location ({setting}).")
    if level in (1, 2):
        return Check("OK", "macro security", (
            f"{setting}: Excel runs the add-in's macros once it is ticked in File > Options > "
            "Add-ins."))
    return Check("FAIL", "macro security", (
        f"{setting} is set and {folder} is not a trusted location, so Excel silently disables "
        "the add-in (no tab actions, #NAME? in every function). Add that folder in Trust "
        "Center > Trusted Locations > Add new location (or ask IT to allow it)."))


def _windows_checks(p_addin: Path) -> list[Check]:  # pragma: no cover - Windows only
    out: list[Check] = []
    exe = Path(sys.executable)
    dlls = [f"xlwings64-{XLWINGS_VERSION}.dll", f"xlwings32-{XLWINGS_VERSION}.dll"]
    found = [d for d in dlls for folder in (exe.parent, exe.parent.parent) if (folder / d).exists()]
    if f"xlwings64-{XLWINGS_VERSION}.dll" in found:
        out.append(Check("OK", "xlwings DLL", f"{dlls[0]} found beside {exe}."))
    else:
        out.append(Check("FAIL", "xlwings DLL", (
            f"{dlls[0]} is not beside {exe} nor one folder up: Excel will say 'File not "
            f"found: {dlls[0]}'. Reinstall: pip install --force-reinstall "
            f"xlwings=={XLWINGS_VERSION} (check that no antivirus removes it).")))
    try:
        import pythoncom  # noqa: F401

        out.append(Check("OK", "pywin32", "pywin32 is installed (needed by the UDF server)."))
    except ImportError:
        out.append(Check("FAIL", "pywin32", "pywin32 is missing: pip install pywin32."))
    from xlcredit.excel.addin.install import _open_values_windows, _winreg

    out.append(macro_trust(str(p_addin), _winreg()))
    values = _open_values_windows()
    ours = [n for n, v in values.items() if str(p_addin).lower() in v.lower()]
    if ours:
        out.append(Check("OK", "registration", (
            f"Excel opens the add-in at start-up ({ours[0]} under HKCU\\{EXCEL_OPTIONS_KEY}).")))
    else:
        out.append(Check("FAIL", "registration", (
            "Excel is not told to open the add-in: run `xlcredit addin install` with Excel "
            "closed, or tick it in File > Options > Add-ins > Go...")))
    try:
        with open(str(p_addin) + ":Zone.Identifier", encoding="utf-8"):
            out.append(Check("WARN", "blocked file", (
                "The add-in is marked as downloaded from the internet, so Office blocks its "
                "macros: right-click it > Properties > Unblock.")))
    except OSError:
        out.append(Check("OK", "blocked file", "The add-in is not marked as downloaded."))
    return out


def run_checks(platform: str | None = None) -> list[Check]:
    """Every check that this system can run (Windows-only ones are SKIP elsewhere).

    >>> checks = run_checks(platform="linux")
    >>> sorted({c.status for c in checks} - {"OK", "WARN", "FAIL", "SKIP"})
    []
    """
    platform = sys.platform if platform is None else platform
    windows = platform.startswith("win")
    out: list[Check] = []
    out.append(Check("OK", "Python", (
        f"Python {sys.version.split()[0]} at {sys.executable} "
        f"({'64' if sys.maxsize > 2**32 else '32'}-bit).")))

    kind = python_kind()
    if kind.kind == "user":
        out.append(Check("WARN", "Python kind", (
            "xlwings is installed with pip --user, so its DLL is in "
            f"{kind.dll_folder}, where Excel does not look ('File not found: xlwings64-"
            f"{XLWINGS_VERSION}.dll'). Use a virtual environment or a per-user Python "
            "(docs/excel.md, Install).")))
    elif kind.kind == "conda":
        out.append(Check("OK", "Python kind", (
            f"conda environment {kind.conda_env} of {kind.conda_path}: xlcredit.conf must "
            "name it (CONDA PATH, CONDA ENV), which `xlcredit addin install` writes.")))
    else:
        out.append(Check("OK", "Python kind", f"a {kind.kind} Python ({sys.prefix})."))

    import xlwings

    if xlwings.__version__ == XLWINGS_VERSION:
        out.append(Check("OK", "xlwings", f"xlwings {xlwings.__version__}, as the add-in needs."))
    else:
        out.append(Check("FAIL", "xlwings", (
            f"xlwings {xlwings.__version__} is installed but the add-in is built for "
            f"{XLWINGS_VERSION}: pip install xlwings=={XLWINGS_VERSION}, then rerun "
            "`xlcredit addin install`.")))

    if importlib.util.find_spec(UDF_MODULE) is None:
        out.append(Check("FAIL", "UDF module", (
            f"`import {UDF_MODULE}` fails in this interpreter, so every function would show "
            "ModuleNotFoundError: install xlcredit here (pip install xlcredit).")))
    else:
        from xlcredit.excel.addin.wrappers import udf_metadata

        try:
            infos = udf_metadata(UDF_MODULE)
            names = [i.name for i in infos]
            out.append(Check("OK", "UDF module", (
                f"{UDF_MODULE} imports and declares {len(names)} functions.")))
            from xlwings.conversion import accessors

            odd = [
                i.name
                for i in infos
                if any(c is not None and c not in accessors for c in (*i.arg_converters, i.ret_converter))
            ]
            if odd:
                out.append(Check("FAIL", "UDF annotations", (
                    f"{', '.join(odd)}: a type annotation xlwings does not know as a converter "
                    "(for example `float | None`); in Excel every call would return an "
                    "error. Annotate such arguments and results as Any.")))
        except Exception as exc:  # a broken UDF module is exactly what we diagnose
            names = []
            out.append(Check("FAIL", "UDF module", (
                f"{UDF_MODULE} fails to import: {type(exc).__name__}: {exc}")))

    p = paths()
    addin = Path(str(p.addin)) if windows else default_output()
    where = "installed add-in" if windows else "built add-in (not installed here)"
    if addin.exists():
        facts = addin_facts(addin)
        if facts["xlwings_version"] == xlwings.__version__:
            out.append(Check("OK", "add-in version", (
                f"The {where} {addin} uses xlwings {facts['xlwings_version']}, the same as "
                "Python.")))
        else:
            out.append(Check("FAIL", "add-in version", (
                f"The {where} {addin} uses xlwings {facts['xlwings_version']} but Python has "
                f"{xlwings.__version__}: Excel will not find the DLL. Rerun `xlcredit addin "
                "install`.")))
        in_addin = set(filter(None, facts["functions"].split(",")))
        missing = sorted(set(names) - in_addin)
        if missing:
            out.append(Check("WARN", "add-in functions", (
                f"The {where} lacks {len(missing)} function(s) of {UDF_MODULE} "
                f"({', '.join(missing[:5])}...): they would show #NAME?. Rebuild/reinstall.")))
        else:
            out.append(Check("OK", "add-in functions", (
                f"The {where} declares every function of {UDF_MODULE}.")))
    else:
        out.append(Check("FAIL" if windows else "WARN", "add-in file", (
            f"No add-in at {addin}: run `xlcredit addin "
            f"{'install' if windows else 'build'}`.")))

    if windows:  # pragma: no cover - Windows only
        config = Path(str(p.config))
        if config.exists():
            text = config.read_text(encoding=config_encoding(), errors="replace")
            m = re.search(r'"INTERPRETER_WIN"\s*,\s*"([^"]*)"', text, flags=re.IGNORECASE)
            conda_ok = kind.kind != "conda" or re.search(r'"CONDA ENV"\s*,\s*"[^"]+"', text, re.I)
            if m and Path(m.group(1)).exists() and not conda_ok:
                out.append(Check("FAIL", "configuration", (
                    f"{config} lacks CONDA PATH and CONDA ENV for this conda environment: "
                    "rerun `xlcredit addin install`.")))
            elif m and Path(m.group(1)).exists():
                out.append(Check("OK", "configuration", f"{config} names {m.group(1)}."))
            else:
                out.append(Check("FAIL", "configuration", (
                    f"{config} names no existing interpreter: rerun `xlcredit addin install`.")))
        else:
            out.append(Check("FAIL", "configuration", (
                f"{config} is missing, so Excel runs whatever `pythonw` is on PATH: rerun "
                "`xlcredit addin install`.")))
        out.extend(_windows_checks(addin))
    else:
        for topic in ("configuration", "xlwings DLL", "pywin32", "macro security", "registration",
                      "blocked file"):
            out.append(Check("SKIP", topic, "Windows only (Excel UDFs need Windows)."))
    return out


def doctor(out: TextIO | None = None, platform: str | None = None) -> int:
    """Print the diagnosis and the troubleshooting table on ``out`` (default stdout);
    return 1 if a check failed, else 0.

    Examples
    --------
    Why does my colleague's Excel show #NAME? for TRADESCORE?

    >>> import io
    >>> buf = io.StringIO()
    >>> code = doctor(out=buf, platform="linux")
    >>> "[SKIP] registration" in buf.getvalue(), "#NAME?" in buf.getvalue()
    (True, True)
    """
    stream = sys.stdout if out is None else out

    def echo(line: str) -> None:
        print(line, file=stream)

    checks = run_checks(platform)
    echo("xlcredit add-in doctor")
    for c in checks:
        echo(f"[{c.status:>4}] {c.topic}: {c.message}")
    echo("")
    echo("If Excel shows one of these messages:")
    for symptom, cause, fix in TROUBLESHOOTING:
        echo(f"* {symptom}")
        echo(f"    cause: {cause}")
        echo(f"    fix:   {fix}")
    return 1 if any(c.status == "FAIL" for c in checks) else 0

