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
from xlcredit.messages import Message, text
from xlcredit.messages.core import render, slug

__all__ = ["SECURITY_KEYS", "TROUBLESHOOTING", "Check", "addin_facts", "doctor", "macro_trust",
           "run_checks"]


@dataclass(frozen=True)
class Check:
    """One diagnosis line."""

    status: str  # OK, WARN, FAIL, SKIP
    topic: str  # a name of its own; shown as the catalogue's addin.topic_<slug>
    message: str  # a catalogue Message


#: Excel's message (as Excel shows it), its usual causes and the fix, from the xlwings tracker.
TROUBLESHOOTING: tuple[tuple[str, Message, Message], ...] = (
    ("Could not activate Python COM server", Message("addin.ts_com_cause"), Message("addin.ts_com_fix")),
    ("File not found: xlwings64-0.37.8.dll / Could not load xlwings64-...dll", Message("addin.ts_dll_cause"),
     Message("addin.ts_dll_fix", {"version": XLWINGS_VERSION})),
    ("#NAME?", Message("addin.ts_name_cause"), Message("addin.ts_name_fix")),
    ("Object required", Message("addin.ts_object_cause"), Message("addin.ts_object_fix")),
    ("ModuleNotFoundError: No module named 'xlcredit_udfs' (or 'xlcredit')", Message("addin.ts_module_cause"),
     Message("addin.ts_module_fix")),
    (Message("addin.ts_blocked"), Message("addin.ts_blocked_cause"), Message("addin.ts_blocked_fix")),
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
_MACRO_SETTINGS = {level: f"addin.macro_{level}" for level in (1, 2, 3, 4)}


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
    setting = (Message(_MACRO_SETTINGS[level]) if level in _MACRO_SETTINGS
               else Message("addin.macro_other", {"level": level}))
    folder = PureWindowsPath(addin).parent
    for base in SECURITY_KEYS:
        for sub in _subkeys(reg, base + "\\Trusted Locations"):
            where = _read(reg, f"{base}\\Trusted Locations\\{sub}", "Path")
            if not where:
                continue
            path = PureWindowsPath(re.sub(r"%([^%]+)%", lambda m: env.get(m.group(1), m.group(0)), str(where)))
            deep = bool(_read(reg, f"{base}\\Trusted Locations\\{sub}", "AllowSubfolders"))
            if folder == path or (deep and folder.is_relative_to(path)):
                return Check("OK", "macro security", Message("addin.doc_trusted", {"folder": folder, "setting": setting}))
    if level in (1, 2):
        return Check("OK", "macro security", Message("addin.doc_macros_run", {"setting": setting}))
    return Check("FAIL", "macro security", Message("addin.doc_macros_blocked", {"setting": setting, "folder": folder}))


def _windows_checks(p_addin: Path) -> list[Check]:  # pragma: no cover - Windows only
    out: list[Check] = []
    exe = Path(sys.executable)
    dlls = [f"xlwings64-{XLWINGS_VERSION}.dll", f"xlwings32-{XLWINGS_VERSION}.dll"]
    found = [d for d in dlls for folder in (exe.parent, exe.parent.parent) if (folder / d).exists()]
    if f"xlwings64-{XLWINGS_VERSION}.dll" in found:
        out.append(Check("OK", "xlwings DLL", Message("addin.doc_dll_ok", {"dll": dlls[0], "exe": exe})))
    else:
        out.append(Check("FAIL", "xlwings DLL", Message("addin.doc_dll_missing", {
            "dll": dlls[0], "exe": exe, "version": XLWINGS_VERSION})))
    try:
        import pythoncom  # noqa: F401

        out.append(Check("OK", "pywin32", Message("addin.doc_pywin32_ok")))
    except ImportError:
        out.append(Check("FAIL", "pywin32", Message("addin.doc_pywin32_missing")))
    from xlcredit.excel.addin.install import _open_values_windows, _winreg

    out.append(macro_trust(str(p_addin), _winreg()))
    values = _open_values_windows()
    ours = [n for n, v in values.items() if str(p_addin).lower() in v.lower()]
    if ours:
        out.append(Check("OK", "registration", Message("addin.doc_registered", {"name": ours[0], "key": EXCEL_OPTIONS_KEY})))
    else:
        out.append(Check("FAIL", "registration", Message("addin.doc_not_registered")))
    try:
        with open(str(p_addin) + ":Zone.Identifier", encoding="utf-8"):
            out.append(Check("WARN", "blocked file", Message("addin.doc_blocked")))
    except OSError:
        out.append(Check("OK", "blocked file", Message("addin.doc_not_blocked")))
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
    out.append(Check("OK", "Python", Message("addin.doc_python", {
        "version": sys.version.split()[0], "exe": sys.executable, "bits": "64" if sys.maxsize > 2**32 else "32"})))

    kind = python_kind()
    if kind.kind == "user":
        out.append(Check("WARN", "Python kind", Message("addin.doc_user_python", {
            "folder": kind.dll_folder, "version": XLWINGS_VERSION})))
    elif kind.kind == "conda":
        out.append(Check("OK", "Python kind", Message("addin.doc_conda_python", {
            "env": kind.conda_env, "path": kind.conda_path})))
    else:
        out.append(Check("OK", "Python kind", Message("addin.doc_other_python", {"kind": kind.kind, "prefix": sys.prefix})))

    import xlwings

    if xlwings.__version__ == XLWINGS_VERSION:
        out.append(Check("OK", "xlwings", Message("addin.doc_xlwings_ok", {"version": xlwings.__version__})))
    else:
        out.append(Check("FAIL", "xlwings", Message("addin.doc_xlwings_mismatch", {
            "version": xlwings.__version__, "needed": XLWINGS_VERSION})))

    if importlib.util.find_spec(UDF_MODULE) is None:
        out.append(Check("FAIL", "UDF module", Message("addin.doc_udf_missing", {"module": UDF_MODULE})))
    else:
        from xlcredit.excel.addin.wrappers import udf_metadata

        try:
            infos = udf_metadata(UDF_MODULE)
            names = [i.name for i in infos]
            out.append(Check("OK", "UDF module", Message("addin.doc_udf_ok", {"module": UDF_MODULE, "count": len(names)})))
            from xlwings.conversion import accessors

            odd = [
                i.name
                for i in infos
                if any(c is not None and c not in accessors for c in (*i.arg_converters, i.ret_converter))
            ]
            if odd:
                out.append(Check("FAIL", "UDF annotations", Message("addin.doc_udf_annotations", {"names": ", ".join(odd)})))
        except Exception as exc:  # a broken UDF module is exactly what we diagnose
            names = []
            out.append(Check("FAIL", "UDF module", Message("addin.doc_udf_broken", {
                "module": UDF_MODULE, "error": f"{type(exc).__name__}: {exc}"})))

    p = paths()
    addin = Path(str(p.addin)) if windows else default_output()
    where = Message("addin.doc_installed" if windows else "addin.doc_built")
    if addin.exists():
        facts = addin_facts(addin)
        if facts["xlwings_version"] == xlwings.__version__:
            out.append(Check("OK", "add-in version", Message("addin.doc_version_ok", {
                "where": where, "path": addin, "version": facts["xlwings_version"]})))
        else:
            out.append(Check("FAIL", "add-in version", Message("addin.doc_version_mismatch", {
                "where": where, "path": addin, "version": facts["xlwings_version"], "python": xlwings.__version__})))
        in_addin = set(filter(None, facts["functions"].split(",")))
        missing = sorted(set(names) - in_addin)
        if missing:
            out.append(Check("WARN", "add-in functions", Message("addin.doc_functions_missing", {
                "where": where, "count": len(missing), "module": UDF_MODULE, "names": ", ".join(missing[:5])})))
        else:
            out.append(Check("OK", "add-in functions", Message("addin.doc_functions_ok", {"where": where, "module": UDF_MODULE})))
    else:
        command = "xlcredit addin install" if windows else "xlcredit addin build"
        out.append(Check("FAIL" if windows else "WARN", "add-in file", Message("addin.doc_no_addin", {
            "path": addin, "command": command})))

    if windows:  # pragma: no cover - Windows only
        config = Path(str(p.config))
        if config.exists():
            text = config.read_text(encoding=config_encoding(), errors="replace")
            m = re.search(r'"INTERPRETER_WIN"\s*,\s*"([^"]*)"', text, flags=re.IGNORECASE)
            conda_ok = kind.kind != "conda" or re.search(r'"CONDA ENV"\s*,\s*"[^"]+"', text, re.I)
            if m and Path(m.group(1)).exists() and not conda_ok:
                out.append(Check("FAIL", "configuration", Message("addin.doc_config_conda", {"path": config})))
            elif m and Path(m.group(1)).exists():
                out.append(Check("OK", "configuration", Message("addin.doc_config_ok", {"path": config, "python": m.group(1)})))
            else:
                out.append(Check("FAIL", "configuration", Message("addin.doc_config_no_python", {"path": config})))
        else:
            out.append(Check("FAIL", "configuration", Message("addin.doc_config_missing", {"path": config})))
        out.extend(_windows_checks(addin))
    else:
        for topic in ("configuration", "xlwings DLL", "pywin32", "macro security", "registration",
                      "blocked file"):
            out.append(Check("SKIP", topic, Message("addin.doc_windows_only")))
    return out


def doctor(out: TextIO | None = None, platform: str | None = None, lang: str = "en") -> int:
    """Print the diagnosis and the troubleshooting table on ``out`` (default stdout) in
    ``lang``; return 1 if a check failed, else 0.

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

    def echo(key: str, /, **fields: Any) -> None:
        print(text(key, lang, **fields), file=stream)

    checks = run_checks(platform)
    echo("addin.doc_title")
    for c in checks:
        echo("addin.doc_line", status=f"{c.status:>4}", topic=text(f"addin.topic_{slug(c.topic)}", lang),
             message=render(c.message, lang))
    print("", file=stream)
    echo("addin.doc_if_excel_shows")
    for symptom, cause, fix in TROUBLESHOOTING:
        echo("addin.doc_symptom", symptom=symptom)
        echo("addin.doc_cause", cause=cause)
        echo("addin.doc_fix", fix=fix)
    return 1 if any(c.status == "FAIL" for c in checks) else 0

