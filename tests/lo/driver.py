"""Drive a headless LibreOffice over UNO; run with the system Python that has ``uno``.

Usage: python3 driver.py JOB.json  ->  prints a JSON result on stdout.

The job names a LibreOffice user profile (prepared by tests/lo/harness.py with the Basic
bridge installed), and the workbooks to open. For each workbook every sheet is recalculated
(``calculateAll``) and every formula cell is reported with its formula, value, text and error
code, so a test can compare LibreOffice's results with xlcredit's engine and cached values.
Optionally each workbook is exported to PDF.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(pipe, proc):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.time() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.1)


def _formula_cells(sheet, max_rows, max_cols):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    last_row = min(cursor.RangeAddress.EndRow, max_rows - 1)
    last_col = min(cursor.RangeAddress.EndColumn, max_cols - 1)
    if last_row < 0 or last_col < 0:
        return []
    block = sheet.getCellRangeByPosition(0, 0, last_col, last_row)
    formulas = block.getFormulaArray()
    out = []
    for r, row in enumerate(formulas):
        for c, formula in enumerate(row):
            if isinstance(formula, str) and formula.startswith("="):
                cell = sheet.getCellByPosition(c, r)
                out.append({
                    "row": r, "col": c, "formula": formula, "value": cell.getValue(),
                    "text": cell.getString(), "error": cell.getError(),
                })
    return out


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        job = json.load(handle)
    pipe = f"xlcredit_{os.getpid()}"
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={job['profile_url']}", "--headless", "--invisible",
         "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    results = []
    try:
        ctx = _connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for item in job["files"]:
            url = uno.systemPathToFileUrl(os.path.abspath(item["path"]))
            started = time.time()
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
            if doc is None:
                results.append({"path": item["path"], "error": "LibreOffice could not open it"})
                continue
            doc.calculateAll()
            sheets = {}
            for name in doc.Sheets.ElementNames:
                sheets[name] = _formula_cells(doc.Sheets.getByName(name), 5000, 60)
            entry = {"path": item["path"], "sheets": sheets, "sheet_names": list(doc.Sheets.ElementNames),
                     "seconds": time.time() - started}
            if item.get("pdf"):
                pdf_url = uno.systemPathToFileUrl(os.path.abspath(item["pdf"]))
                doc.storeToURL(pdf_url, (_prop("FilterName", "calc_pdf_Export"),))
                entry["pdf"] = item["pdf"]
            doc.close(True)
            results.append(entry)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()  # may be unbound when connecting failed
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
