"""Run by tests/test_addin_libreoffice.py with the system Python that has LibreOffice's
``uno`` module (not the project's venv). Prints one JSON object.

1. Opens the add-in in headless LibreOffice with its VBA import filter
   ("Calc MS Excel 2007 VBA XML") and records every Basic module it imported, by library.
2. For each module asked for, puts the imported source into a Basic library of a fresh
   Calc document, with a probe function ``ZZProbe`` returning ``"ok|" & <expression>``
   appended (so it may call the module's private procedures), and calls it through the
   script provider. A syntax error in the module makes the call return nothing.

Usage: python3 addin_lo_check.py ADDIN.xlam PROFILE_DIR PROBES_JSON
PROBES_JSON maps a module name to a Basic expression (use "" for none).
"""

import json
import os
import subprocess
import sys
import time

# LibreOffice's modules are imported inside the functions, so that pytest's doctest
# collection can import this file with the project's Python (which has no uno).


def prop(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe):
    import uno

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            return resolver.resolve(
                f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not start")


def main():
    import uno

    path, profile, probes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    pipe = f"xlcredit_addin_check_{os.getpid()}"
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.abspath(profile)),
         f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = {"libraries": {}, "modules": {}, "probes": {}, "sheet": {}}
    desktop = None
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
            (prop("Hidden", True), prop("FilterName", "Calc MS Excel 2007 VBA XML")))
        if doc is None:
            raise SystemExit("LibreOffice could not open " + path)
        libs = doc.BasicLibraries
        for lib in libs.getElementNames():
            libs.loadLibrary(lib)
            container = libs.getByName(lib)
            out["libraries"][lib] = list(container.getElementNames())
            for name in container.getElementNames():
                out["modules"][name] = container.getByName(name)
        sheet = doc.Sheets.getByIndex(0)
        out["sheet"] = {
            "name": sheet.Name,
            "cells": [[sheet.getCellByPosition(c, r).getString() for c in range(2)] for r in range(2)],
        }
        doc.close(True)
        for module, expression in probes.items():
            if module not in out["modules"]:
                out["probes"][module] = {"ok": False, "result": None, "error": "not imported"}
                continue
            fresh = desktop.loadComponentFromURL(
                "private:factory/scalc", "_blank", 0, (prop("Hidden", True),))
            fresh.BasicLibraries.createLibrary("L")
            lib = fresh.BasicLibraries.getByName("L")
            body = '"ok|" & ' + expression if expression else '"ok|"'
            source = out["modules"][module] + f"\nFunction ZZProbe()\n    ZZProbe = {body}\nEnd Function\n"
            lib.insertByName(module, source)
            script = fresh.getScriptProvider().getScript(
                f"vnd.sun.star.script:L.{module}.ZZProbe?language=Basic&location=document")
            try:
                result = script.invoke((), (), ())[0]
                out["probes"][module] = {"ok": isinstance(result, str), "result": result}
            except Exception as exc:
                out["probes"][module] = {"ok": False, "result": None, "error": "{}: {}".format(
                    type(exc).__name__, getattr(exc, "Message", str(exc)))}
            fresh.close(True)
    finally:
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
