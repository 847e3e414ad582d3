"""Install and uninstall the add-in for the current Windows user.

What ``xlcredit addin install`` does (and ``--uninstall`` undoes):

1. builds the add-in from this interpreter's xlwings and writes it to ONE fixed per-user
   path, ``%APPDATA%\\Microsoft\\AddIns\\xlcredit.xlam``: Excel's own user add-in folder
   (what *Browse...* in the Add-ins dialog opens), and a path that does not change between
   versions (workbooks record the path of the add-in their formulas came from). It is not
   one of Office's default trusted locations: docs/excel.md says what that means under
   "Disable all macros without notification";
2. writes the add-in's user configuration, ``%USERPROFILE%\\.xlcredit\\xlcredit.conf``
   (the file xlwings' VBA runtime reads for a custom add-in called ``xlcredit``): the
   interpreter (this Python) and the UDF module;
3. registers the add-in with Excel: a value ``OPEN``, ``OPEN1``, ... under
   ``HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Options`` holding the quoted path,
   which makes Excel open it at start-up (the same thing as ticking it in
   File > Options > Add-ins).

On other systems nothing is changed: the plan is printed and the exit code is 0.

Excel must be closed while installing: it rewrites the ``OPEN`` values when it exits, which
would silently undo the registration. The installer therefore refuses while an
``EXCEL.EXE`` process runs (:func:`excel_running`, through ``tasklist``).

Which Python is installed matters (:func:`python_kind`): the add-in loads
``xlwings64-<version>.dll`` from the interpreter's folder or the one above; a conda
environment also needs ``CONDA PATH`` and ``CONDA ENV`` in the configuration (written
here, as ``xlwings config create`` does); a ``pip install --user`` puts the DLL in the
per-user Python folder, where Excel never looks (the installer warns and says what to do).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import site
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath
from typing import Any, TextIO

from xlcredit.engine.errors import InputError, WorkbookLockedError
from xlcredit.excel.addin.build import PROJECT_NAME, UDF_MODULE, build
from xlcredit.excel.udf.settings import config_encoding
from xlcredit.messages import Message, text

__all__ = [
    "ADDIN_MANAGER_KEY",
    "EXCEL_OPTIONS_KEY",
    "Paths",
    "PythonKind",
    "config_encoding",
    "config_text",
    "excel_running",
    "install",
    "open_values_after",
    "paths",
    "python_kind",
    "remove_our_config",
]

EXCEL_OPTIONS_KEY = r"Software\Microsoft\Office\16.0\Excel\Options"
# Excel lists known but unticked add-ins here (value name: the add-in's path).
ADDIN_MANAGER_KEY = r"Software\Microsoft\Office\16.0\Excel\Add-in Manager"
CONFIG_KEYS = ("INTERPRETER_WIN", "UDF MODULES", "CONDA PATH", "CONDA ENV")


@dataclass(frozen=True)
class Paths:
    """Where the add-in and its configuration live for one Windows user."""

    addin: PurePath
    config: PurePath


def paths(env: Mapping[str, str] | None = None) -> Paths:
    """The fixed per-user paths (placeholders when the variables are not set).

    >>> p = paths({"APPDATA": r"C:\\Users\\li\\AppData\\Roaming", "USERPROFILE": r"C:\\Users\\li"})
    >>> str(p.addin), str(p.config)
    ('C:\\\\Users\\\\li\\\\AppData\\\\Roaming\\\\Microsoft\\\\AddIns\\\\xlcredit.xlam', 'C:\\\\Users\\\\li\\\\.xlcredit\\\\xlcredit.conf')
    """
    env = os.environ if env is None else env
    appdata = env.get("APPDATA", "%APPDATA%")
    profile = env.get("USERPROFILE", "%USERPROFILE%")
    return Paths(
        addin=PureWindowsPath(appdata, "Microsoft", "AddIns", f"{PROJECT_NAME}.xlam"),
        config=PureWindowsPath(profile, f".{PROJECT_NAME}", f"{PROJECT_NAME}.conf"),
    )


@dataclass(frozen=True)
class PythonKind:
    """What kind of Python runs xlcredit, as far as Excel is concerned."""

    #: "venv", "conda", "user" (xlwings installed with pip --user) or "system".
    kind: str
    #: The conda installation and environment (``CONDA PATH``, ``CONDA ENV``) for "conda".
    conda_path: str = ""
    conda_env: str = ""
    #: Where xlwings' DLL went, for "user".
    dll_folder: str = ""


def python_kind(
    prefix: str | None = None,
    base_prefix: str | None = None,
    xlwings_dir: str | None = None,
    user_site: str | None = None,
    env: Mapping[str, str] | None = None,
) -> PythonKind:
    """Classify this interpreter (arguments default to the running one).

    >>> python_kind(r"C:\\mc\\envs\\credit", r"C:\\mc\\envs\\credit", r"C:\\mc\\envs\\credit\\Lib\\site-packages\\xlwings",
    ...             "", {"CONDA_PREFIX": r"C:\\mc\\envs\\credit"}).conda_env
    'credit'
    >>> python_kind("/v", "/usr", "/v/lib/site-packages/xlwings", "/home/li/.local", {}).kind
    'venv'
    """
    prefix = sys.prefix if prefix is None else prefix
    base_prefix = sys.base_prefix if base_prefix is None else base_prefix
    env = os.environ if env is None else env
    if xlwings_dir is None:
        import xlwings

        xlwings_dir = str(Path(xlwings.__file__).parent)
    if user_site is None:
        user_site = site.getusersitepackages() if site.ENABLE_USER_SITE else ""
    win = "\\" in prefix
    pure: type[PurePath] = PureWindowsPath if win else PurePath
    here = pure(prefix)
    conda = (Path(prefix) / "conda-meta").is_dir() or env.get("CONDA_PREFIX", "") == prefix
    if conda:
        if here.parent.name.lower() == "envs":  # <conda>\envs\<name>
            return PythonKind("conda", str(here.parent.parent), here.name)
        return PythonKind("conda", str(here), "base")
    if user_site and pure(xlwings_dir).is_relative_to(pure(user_site)):
        return PythonKind("user", dll_folder=str(pure(user_site).parent))
    if prefix != base_prefix:
        return PythonKind("venv")
    return PythonKind("system")


def config_text(interpreter: str, existing: str = "", kind: PythonKind | None = None) -> str:
    """The user configuration file in xlwings' format (``"KEY","value"`` lines, read by
    VBA's ``Input #``), keeping any other setting the user wrote; a conda environment
    also gets ``CONDA PATH`` and ``CONDA ENV`` (xlwings activates it before Python starts).

    >>> print(config_text(r"C:\\py\\python.exe", '"SHOW CONSOLE","True"\\n'), end="")
    "SHOW CONSOLE","True"
    "INTERPRETER_WIN","C:\\py\\python.exe"
    "UDF MODULES","xlcredit_udfs"
    >>> print(config_text(r"C:\\mc\\python.exe", kind=PythonKind("conda", r"C:\\mc", "base")), end="")
    "INTERPRETER_WIN","C:\\mc\\python.exe"
    "UDF MODULES","xlcredit_udfs"
    "CONDA PATH","C:\\mc"
    "CONDA ENV","base"
    """
    kept = remove_our_config(existing)
    ours = f'"INTERPRETER_WIN","{interpreter}"\n"UDF MODULES","{UDF_MODULE}"\n'
    if kind is not None and kind.kind == "conda":
        ours += f'"CONDA PATH","{kind.conda_path}"\n"CONDA ENV","{kind.conda_env}"\n'
    return kept + ours


def excel_running(run: Callable[..., Any] = subprocess.run) -> bool | None:
    """True when an Excel process runs for this user, False when none does, None when it
    cannot be told (``tasklist`` missing or failing).

    >>> class Done:
    ...     returncode, stdout = 0, '"EXCEL.EXE","4242","Console","1","215,360 K"'
    >>> excel_running(lambda *a, **k: Done())
    True
    """
    try:
        done = run(
            ["tasklist", "/FI", "IMAGENAME eq EXCEL.EXE", "/FO", "CSV", "/NH"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return '"excel.exe"' in str(done.stdout).lower()


def remove_our_config(text: str) -> str:
    """The configuration without the lines ``install`` writes.

    >>> remove_our_config('"INTERPRETER_WIN","x"\\n"SHOW CONSOLE","True"\\n')
    '"SHOW CONSOLE","True"\\n'
    """
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and line.split(",", 1)[0].strip().strip('"').upper() not in CONFIG_KEYS
    ]
    return "".join(line + "\n" for line in lines)


def _open_name(i: int) -> str:
    return "OPEN" if i == 0 else f"OPEN{i}"


def open_values_after(
    existing: Mapping[str, str], addin: str, uninstall: bool = False
) -> dict[str, str]:
    """The ``OPEN``/``OPENn`` values Excel should hold after (un)installing.

    Excel reads ``OPEN``, ``OPEN1``, ``OPEN2``, ... in order and stops at the first gap,
    so the values are renumbered without gaps; other add-ins keep their order.

    >>> open_values_after({"OPEN": '"C:\\\\a.xlam"'}, r"C:\\x.xlam")
    {'OPEN': '"C:\\\\a.xlam"', 'OPEN1': '"C:\\\\x.xlam"'}
    >>> open_values_after({"OPEN": '"C:\\\\x.xlam"', "OPEN1": "/R C:\\\\b.xlam"}, r"C:\\x.xlam", True)
    {'OPEN': '/R C:\\\\b.xlam'}
    """
    def index(name: str) -> int:
        return 0 if name.upper() == "OPEN" else int(name[4:])

    def is_ours(value: str) -> bool:
        target = value.replace("/R", "").strip().strip('"').strip()
        return target.lower() == addin.lower()

    ordered = [
        value
        for name, value in sorted(
            ((n, v) for n, v in existing.items() if n.upper().startswith("OPEN")),
            key=lambda item: index(item[0]),
        )
        if not is_ours(value)
    ]
    if not uninstall:
        ordered.append(f'"{addin}"')
    return {_open_name(i): value for i, value in enumerate(ordered)}


def _winreg() -> Any:  # pragma: no cover - Windows only
    """The Windows registry module (imported by name: it exists on Windows only)."""
    return importlib.import_module("winreg")


def _open_values_windows() -> dict[str, str]:  # pragma: no cover - Windows only
    winreg = _winreg()

    values: dict[str, str] = {}
    try:
        key = winreg.OpenKey(winreg.HKEY_CURRENT_USER, EXCEL_OPTIONS_KEY)
    except OSError:
        return values
    with key:
        i = 0
        while True:
            try:
                name, value, _ = winreg.EnumValue(key, i)
            except OSError:
                break
            if name.upper().startswith("OPEN") and (name[4:].isdigit() or len(name) == 4):
                values[name] = str(value)
            i += 1
    return values


def _write_open_values(
    before: Mapping[str, str], after: Mapping[str, str]
) -> None:  # pragma: no cover - Windows only
    winreg = _winreg()

    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, EXCEL_OPTIONS_KEY) as key:
        for name in before:
            if name not in after:
                winreg.DeleteValue(key, name)
        for name, value in after.items():
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)


def _forget_in_addin_manager(addin: str) -> None:  # pragma: no cover - Windows only
    """Remove the add-in from Excel's list of known add-ins, if it is there."""
    winreg = _winreg()
    try:
        key = winreg.OpenKey(winreg.HKEY_CURRENT_USER, ADDIN_MANAGER_KEY, 0, winreg.KEY_ALL_ACCESS)
    except OSError:
        return
    with key:
        names, i = [], 0
        while True:
            try:
                names.append(winreg.EnumValue(key, i)[0])
            except OSError:
                break
            i += 1
        for name in names:
            if name.lower() in (addin.lower(), Path(addin).name.lower()):
                winreg.DeleteValue(key, name)


def _plan(p: Paths, uninstall: bool) -> list[Message]:
    if uninstall:
        return [
            Message("addin.plan_remove_addin", {"path": p.addin}),
            Message("addin.plan_remove_config", {"path": p.config}),
            Message("addin.plan_unregister", {"key": EXCEL_OPTIONS_KEY}),
        ]
    return [
        Message("addin.plan_build", {"python": sys.executable, "path": p.addin}),
        Message("addin.plan_config", {"path": p.config, "python": repr(sys.executable), "module": repr(UDF_MODULE)}),
        Message("addin.plan_register", {"key": EXCEL_OPTIONS_KEY, "path": p.addin}),
    ]


def install(
    uninstall: bool = False,
    out: TextIO | None = None,
    platform: str | None = None,
    lang: str = "en",
) -> int:
    """Install (or with ``uninstall=True`` remove) the add-in for this Windows user,
    reporting each step on ``out`` (default stdout) in ``lang``. Elsewhere print what would
    be done and return 0.

    Examples
    --------
    What would the installer do to my Windows profile?

    >>> code = install(platform="linux")  # doctest: +ELLIPSIS
    xlcredit add-in install: Excel add-ins can be installed on Windows only ...
    >>> code
    0
    """
    stream = sys.stdout if out is None else out

    def echo(key: str, /, **fields: Any) -> None:
        print(text(key, lang, **fields), file=stream)

    platform = sys.platform if platform is None else platform
    p = paths()
    action = Message("addin.uninstall" if uninstall else "addin.install")
    if platform.startswith("win"):
        running = excel_running()
        if running:
            command = "xlcredit addin install --uninstall" if uninstall else "xlcredit addin install"
            raise WorkbookLockedError(Message("addin.excel_running", {"action": action, "command": command}))
        if running is None:
            echo("addin.running_unknown")
    if not platform.startswith("win"):
        echo("addin.windows_only", action=action, platform=platform)
        for step in _plan(p, uninstall):
            echo("addin.step", step=step)
        echo("addin.not_on_macos")
        return 0
    return _install_windows(p, uninstall, echo)  # pragma: no cover


def _install_windows(
    p: Paths, uninstall: bool, echo: Callable[..., None]
) -> int:  # pragma: no cover - Windows only
    addin = Path(str(p.addin))
    config = Path(str(p.config))
    before = _open_values_windows()
    after = open_values_after(before, str(p.addin), uninstall)
    if uninstall:
        if addin.exists():
            try:
                addin.unlink()
            except PermissionError as exc:
                raise WorkbookLockedError(Message("addin.cannot_remove", {"path": addin, "error": exc})) from exc
            echo("addin.removed", path=addin)
        if config.exists():
            rest = remove_our_config(config.read_text(encoding=config_encoding(), errors="replace"))
            if rest:
                config.write_text(rest, encoding=config_encoding())
                echo("addin.removed_settings", path=config)
            else:
                config.unlink()
                echo("addin.removed", path=config)
                with contextlib.suppress(OSError):
                    config.parent.rmdir()
        _write_open_values(before, after)
        _forget_in_addin_manager(str(p.addin))
        echo("addin.unregistered", key=EXCEL_OPTIONS_KEY)
        return 0
    try:
        build(addin)
    except PermissionError as exc:
        raise WorkbookLockedError(Message("addin.cannot_write", {"path": addin, "error": exc})) from exc
    echo("addin.wrote", path=addin)
    config.parent.mkdir(parents=True, exist_ok=True)
    existing = (
        config.read_text(encoding=config_encoding(), errors="replace") if config.exists() else ""
    )
    kind = python_kind()
    if kind.kind == "user":
        echo("addin.user_site", folder=kind.dll_folder)
    try:
        config.write_text(config_text(sys.executable, existing, kind), encoding=config_encoding())
    except UnicodeEncodeError as exc:
        raise InputError(Message("addin.path_not_encodable", {"python": repr(sys.executable)})) from exc
    echo("addin.wrote_config", path=config, python=sys.executable)
    if kind.kind == "conda":
        echo("addin.conda_env", env=kind.conda_env, path=kind.conda_path)
    _write_open_values(before, after)
    name = next(n for n, v in after.items() if str(p.addin).lower() in v.lower())
    echo("addin.registered", name=name, key=EXCEL_OPTIONS_KEY)
    echo("addin.start_excel")
    return 0
