"""Prepare a LibreOffice profile in which Calc formulas call xlcredit's Excel functions.

For every function of the UDF module (``xlcredit_udfs``) a Basic function of the same name
is written into the profile's Standard library; it hands its arguments to
``bridge_template.py`` (installed as a user Python script), which calls the very same
Python function the Excel add-in calls, with arguments shaped the way xlwings shapes them
(a one-column range arrives as a flat list, blanks as None). The script object is cached in
a Basic global, so a call costs a few milliseconds (DESIGN.md section 4).

LibreOffice's own Python (``/usr/bin/python3`` with ``uno``) runs ``driver.py``; the bridge
adds this checkout and the test environment's site-packages to its ``sys.path``.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SYSTEM_PYTHON = "/usr/bin/python3"


def clean_environment() -> dict[str, str]:
    """The environment for LibreOffice and its Python: without the test interpreter's own
    Python settings. A PATH led by another Python installation (pyenv puts its own first)
    makes LibreOffice's embedded Python fail to start its script provider."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "PYENV", "VIRTUAL_ENV", "CONDA"))}
    keep = [p for p in env.get("PATH", "").split(os.pathsep)
            if p and ".pyenv" not in p and not p.startswith(sys.prefix)]
    env["PATH"] = os.pathsep.join(keep or ["/usr/local/bin", "/usr/bin", "/bin"])
    return env


def available() -> str | None:
    """None when LibreOffice and its Python bridge can run here, else the reason why not."""
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True,
                           env=clean_environment())
    if probe.returncode != 0:
        return "the system Python has no 'uno' module; install python3-uno"
    if script_provider() is None:
        return ("LibreOffice has no Python script provider (pythonscript.py), so Calc cannot "
                "call Python; install libreoffice-script-provider-python")
    return None


def script_provider() -> Path | None:
    """LibreOffice's Python script provider beside the real soffice binary, if installed.

    Without it a Basic call into a Python script fails inside Calc, so the bridge cannot run
    (issue 17: three bridge tests failed on such a machine instead of skipping)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    provider = Path(os.path.realpath(soffice)).parent / "pythonscript.py"
    return provider if provider.is_file() else None


def _basic_function(name: str, params: list[str]) -> str:
    args = ", ".join(f"Optional a{i}" for i in range(len(params)))
    lines = [f"Function {name}({args})"]
    if params:
        lines.append(f"  Dim args({len(params) - 1})")
        for i in range(len(params)):
            lines.append(f"  If Not IsMissing(a{i}) Then args({i}) = a{i}")
    else:
        lines.append("  Dim args()")
    lines.append(f'  {name} = XlcInvoke("{name}", args)')
    lines.append("End Function")
    return "\n".join(lines)


def basic_module(functions: dict[str, list[str]]) -> str:
    """The Basic source of the bridge module for these functions and their parameters."""
    body = [
        "Global g_xlc_script As Object",
        "Function XlcInvoke(name As String, args)",
        "  On Error GoTo failed",
        "  If IsNull(g_xlc_script) Then",
        '    g_xlc_script = createUnoService("com.sun.star.script.provider.MasterScriptProviderFactory")'
        '.createScriptProvider("").getScript('
        '"vnd.sun.star.script:xlcredit_bridge.py$call_udf?language=Python&location=user")',
        "  End If",
        "  XlcInvoke = g_xlc_script.invoke(Array(name, args), Array(), Array())",
        "  Exit Function",
        "failed:",
        '  XlcInvoke = "#BRIDGE! " & Error$',
        "End Function",
    ]
    body += [_basic_function(n, p) for n, p in sorted(functions.items())]
    source = "\n".join(body) + "\n"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        'script:language="StarBasic">' + escape(source, {'"': "&quot;"}) + "</script:module>\n"
    )


def udf_signatures() -> dict[str, list[str]]:
    """Name -> parameter names of every function the UDF module exports."""
    sys.path.insert(0, str(ROOT / "udfs"))
    import xlcredit_udfs

    return {
        name: list(inspect.signature(getattr(xlcredit_udfs, name)).parameters)
        for name in xlcredit_udfs.__all__
    }


class LibreOffice:
    """A throw-away LibreOffice profile with the xlcredit bridge, and a way to run jobs."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder or tempfile.mkdtemp(prefix="xlcredit-lo-"))
        self.profile = self.folder / "profile"
        self._prepare()

    def _prepare(self) -> None:
        url = self.profile.as_uri()
        subprocess.run(
            ["soffice", f"-env:UserInstallation={url}", "--headless", "--terminate_after_init"],
            capture_output=True, timeout=120, check=False, env=clean_environment(),
        )
        basic = self.profile / "user" / "basic" / "Standard"
        if not basic.exists():  # a first start that did not write the profile: write it
            basic.mkdir(parents=True)
            (basic / "script.xlb").write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE library:library PUBLIC '
                '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">\n'
                '<library:library xmlns:library="http://openoffice.org/2000/library" '
                'library:name="Standard" library:readonly="false" library:passwordprotected="false">\n'
                ' <library:element library:name="Module1"/>\n</library:library>\n', encoding="utf-8")
            (basic.parent / "script.xlc").write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE library:libraries PUBLIC '
                '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">\n'
                '<library:libraries xmlns:library="http://openoffice.org/2000/library" '
                'xmlns:xlink="http://www.w3.org/1999/xlink">\n <library:library '
                'library:name="Standard" library:link="false"/>\n</library:libraries>\n', encoding="utf-8")
        (basic / "Module1.xba").write_text(basic_module(udf_signatures()), encoding="utf-8")
        scripts = self.profile / "user" / "Scripts" / "python"
        scripts.mkdir(parents=True, exist_ok=True)
        paths = [str(ROOT), str(ROOT / "udfs"), *site.getsitepackages()]
        bridge = (HERE / "bridge_template.py").read_text(encoding="utf-8")
        bridge = bridge.replace("__XLCREDIT_PATHS__", json.dumps(paths))
        (scripts / "xlcredit_bridge.py").write_text(bridge, encoding="utf-8")

    def recalculate(self, paths: list[Path], pdf_dir: Path | None = None) -> list[dict[str, Any]]:
        """Open each workbook, recalculate everything, report every formula cell."""
        files = []
        for p in paths:
            item: dict[str, Any] = {"path": str(p)}
            if pdf_dir is not None:
                item["pdf"] = str(pdf_dir / (Path(p).stem + ".pdf"))
            files.append(item)
        job = self.folder / "job.json"
        job.write_text(json.dumps({"profile_url": self.profile.as_uri(), "files": files}), encoding="utf-8")
        done = subprocess.run(
            [SYSTEM_PYTHON, str(HERE / "driver.py"), str(job)],
            capture_output=True, text=True, timeout=600, env=clean_environment(),
        )
        if done.returncode != 0:
            raise RuntimeError(f"LibreOffice driver failed: {done.stderr[-2000:]}")
        return list(json.loads(done.stdout))

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
