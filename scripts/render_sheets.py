"""Render sheets of a workbook to PNG for the README (LibreOffice over UNO, then pdftoppm).

Run with the system Python that has ``uno`` (Debian's python3-uno), not the venv::

    python3 scripts/render_sheets.py BOOK.xlsx OUTDIR PREFIX "Buyers:40:Y" "Aging:30" ...

Each argument ``SHEET:ROWS[:LASTCOL[:HIDE]]`` renders the first ROWS rows of SHEET (up to
column LASTCOL, default the used area; columns in the ranges HIDE, e.g. ``C-N+P-Q``, hidden)
on one landscape page, so a long table stays readable. The
workbook itself is never saved: each sheet is rendered from a fresh load with the other
sheets removed. Writes ``OUTDIR/PREFIX-<sheet index>.png``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(pipe: str, proc: subprocess.Popen[bytes]) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.2)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def main() -> None:
    book, outdir, prefix, *specs = sys.argv[1:]
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-render-"))
    pipe = f"xlcredit_render_{os.getpid()}"
    proc = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
        f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;",
    ])
    try:
        ctx = _connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(str(Path(book).resolve()))
        for spec in specs:
            parts = spec.split(":")
            name, rows = parts[0], int(parts[1])
            last_col = _col_index(parts[2]) if len(parts) > 2 and parts[2] else None
            hide = parts[3].split("+") if len(parts) > 3 else []
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
            try:
                sheets = doc.Sheets
                names = list(sheets.ElementNames)
                index = names.index(name)
                sheet = sheets.getByName(name)
                cursor = sheet.createCursor()
                cursor.gotoEndOfUsedArea(False)
                end_col = cursor.RangeAddress.EndColumn if last_col is None else last_col
                end_row = min(cursor.RangeAddress.EndRow, rows - 1)
                area = sheet.getCellRangeByPosition(0, 0, end_col, end_row).RangeAddress
                sheet.setPrintAreas((area,))
                for span in hide:
                    first, _, last = span.partition("-")
                    for c in range(_col_index(first), _col_index(last or first) + 1):
                        sheet.Columns.getByIndex(c).IsVisible = False
                style = doc.StyleFamilies.getByName("PageStyles").getByName(sheet.PageStyle)
                style.IsLandscape = True
                style.Width, style.Height = 29700, 21000
                style.ScaleToPagesX, style.ScaleToPagesY = 1, 1
                style.HeaderIsOn = False
                style.FooterIsOn = False
                style.LeftMargin = style.RightMargin = style.TopMargin = style.BottomMargin = 500
                for other in names:
                    if other != name:
                        sheets.removeByName(other)
                pdf = out / f"{prefix}-{index}.pdf"
                doc.storeToURL(uno.systemPathToFileUrl(str(pdf.resolve())),
                               (_prop("FilterName", "calc_pdf_Export"),))
            finally:
                doc.close(True)
            subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-png", "-r", "110", "-singlefile",
                            str(pdf), str(out / f"{prefix}-{index}")], check=True)
            pdf.unlink()
            print(out / f"{prefix}-{index}.png")
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
