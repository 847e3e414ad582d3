"""Bench: is a refreshed workbook faster to open with inline strings or shared strings? (issue 17)

xlcredit writes the text of the cells a refresh owns as inline strings (``t="inlineStr"``;
the reasons are in the docstring of ``xlcredit/workbook/sheet_xml.py``). Excel, when it
saves, writes shared strings instead. This bench measures what that choice costs the
programs that open the file:

1. builds the bench workbook (``--buyers``, ~15 invoices each) and refreshes it as
   ``xlcredit refresh`` does (as of 2026-11-30);
2. writes a second copy of the refreshed file in which every inline-string cell of the
   parts the refresh wrote is a shared string instead, appended to the workbook's existing
   string table (its entries and their indexes kept), the cells otherwise the same;
3. checks that python-calamine reads both copies to identical cell values on every sheet
   (else the measurement would compare two different workbooks, and the bench stops);
4. times LibreOffice (headless, over UNO, its own throw-away profile) loading each whole
   workbook, the two files alternating, best of ``--repeat``; then python-calamine (every
   sheet read) and openpyxl (``read_only=False``) loading each file.

Excel is not available here: ``docs/excel.md`` has the release step that times Excel
opening the two files that ``--keep DIR`` leaves behind.

    .venv/bin/python bench/bench_open.py [--buyers 20000] [--repeat 3] [--keep DIR]
    .venv/bin/python bench/bench_open.py --reuse DIR [--openpyxl-repeat 0]   # time kept files again
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook

from xlcredit import macros
from xlcredit.workbook import templates, xlsx_parts
from xlcredit.workbook.files import FileWorkbook

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 30)
#: A difference in opening time below this share is not told apart from the noise of a
#: shared machine (repeated runs of the same files differ by that much).
NOISE = 0.03
SHARED_STRINGS_TYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
SHARED_STRINGS_CONTENT = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_SST_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" '
    b'uniqueCount="0"></sst>'
)
# An inline-string cell as xlcredit writes it (sheet_xml.cell_xml, column_xml, lxml's
# serialisation of sheet_xml's edits): its attributes around t="inlineStr", and its text
# (already escaped, so it can go into the string table as it is).
_INLINE = re.compile(
    rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?'
    rb"(?:/>|>(.*?)</t>)</is></c>",
    re.S,
)
_SST_OPEN = re.compile(rb"<sst\b[^>]*?(/?)>")
_COUNT = re.compile(rb'\s(count|uniqueCount)="\d*"')


# -- inline strings -> shared strings ----------------------------------------------------------
def shared_strings_part(pkg: xlsx_parts.Package) -> str:
    """The workbook's shared-strings part; one is created (empty) when it has none."""
    workbook = next(r.target for r in pkg.rels("") if r.type.endswith("/officeDocument"))
    for rel in pkg.rels(workbook):
        if rel.type == SHARED_STRINGS_TYPE:
            return rel.target
    part = xlsx_parts.resolve(workbook, "sharedStrings.xml")
    pkg.put(part, _SST_EMPTY)
    xlsx_parts.add_rel(pkg, workbook, SHARED_STRINGS_TYPE, part)
    xlsx_parts.set_override(pkg, part, SHARED_STRINGS_CONTENT)
    return part


def share_strings(pkg: xlsx_parts.Package, sheets: Iterable[str]) -> tuple[int, int]:
    """Turn every inline-string cell of ``sheets`` (worksheet part names) into a shared
    string appended to the workbook's string table: the table's existing entries keep their
    indexes, equal new texts share one new entry, ``count``/``uniqueCount`` are updated, and
    each cell keeps its reference, style and other attributes. Returns (cells turned,
    entries added). Raises ValueError when a sheet keeps an inline string it could not turn
    (the two workbooks would not hold the same cells).

    >>> sheet = b'<c r="A1" s="2" t="inlineStr"><is><t xml:space="preserve">a&amp;b</t></is></c>'
    >>> _INLINE.sub(lambda m: b'<c ' + m[1] + b't="s"' + m[2] + b'><v>0</v></c>', sheet)
    b'<c r="A1" s="2" t="s"><v>0</v></c>'
    """
    part = shared_strings_part(pkg)
    sst = pkg.parts[part]
    head = _SST_OPEN.search(sst)
    if head is None:
        raise ValueError(f"{part} has no <sst> element")
    old_unique = len(re.findall(rb"<si[\s>/]", sst))
    old_count_match = re.search(rb'\scount="(\d+)"', head[0])
    old_count = int(old_count_match[1]) if old_count_match else old_unique
    table: dict[bytes, int] = {}
    cells = 0

    def shared(match: re.Match[bytes]) -> bytes:
        nonlocal cells
        cells += 1
        index = table.setdefault(match[3] or b"", old_unique + len(table))
        return b"<c " + match[1] + b't="s"' + match[2] + b"><v>" + str(index).encode() + b"</v></c>"

    for name in sheets:
        data = _INLINE.sub(shared, pkg.parts[name])
        if b'"inlineStr"' in data:
            raise ValueError(f"{name}: an inline-string cell of an unexpected form is left")
        pkg.put(name, data)
    opening = _COUNT.sub(b"", head[0][: -len(head[1]) - 1] if head[1] else head[0][:-1])
    opening += b' count="%d" uniqueCount="%d">' % (old_count + cells, old_unique + len(table))
    added = b"".join(b'<si><t xml:space="preserve">' + t + b"</t></si>" for t in table)
    if head[1]:  # <sst .../>: no entries yet
        body, tail = b"", sst[head.end():]
    else:
        close = sst.rindex(b"</sst>")
        body, tail = sst[head.end():close], sst[close + len(b"</sst>"):]
    pkg.put(part, sst[: head.start()] + opening + body + added + b"</sst>" + tail)
    return cells, len(table)


def written_sheets(source: Path, refreshed: Path) -> list[str]:
    """Worksheet parts of ``refreshed`` that the refresh added or changed."""
    old = xlsx_parts.Package.from_path(source)
    new = xlsx_parts.Package.from_path(refreshed)
    return [n for n in new.parts
            if n.startswith("xl/worksheets/") and n.endswith(".xml") and old.parts.get(n) != new.parts[n]]  # fmt: skip


def write_shared_copy(source: Path, refreshed: Path, target: Path) -> tuple[int, int]:
    """``refreshed`` with its refresh-written inline strings made shared, saved as ``target``."""
    sheets = written_sheets(source, refreshed)
    pkg = xlsx_parts.Package.from_path(refreshed)
    turned = share_strings(pkg, sheets)
    with target.open("wb") as stream:
        pkg.write_zip(stream)
    return turned


# -- readers -----------------------------------------------------------------------------------
def calamine_cells(path: Path) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names}
    finally:
        book.close()


def first_difference(a: dict[str, list[list[Any]]], b: dict[str, list[list[Any]]]) -> str | None:
    """None when both read to the same cells, else where they first differ."""
    if list(a) != list(b):
        return f"sheets {list(a)} != {list(b)}"
    for name in a:
        if a[name] != b[name]:
            for r, (x, y) in enumerate(zip(a[name], b[name], strict=False)):
                if x != y:
                    col = next((c for c, (u, v) in enumerate(zip(x, y, strict=False)) if u != v), len(x))
                    return f"{name}!R{r + 1}C{col + 1}: {x[col:col + 1]} != {y[col:col + 1]}"
            return f"{name}: {len(a[name])} rows != {len(b[name])} rows"
    return None


def openpyxl_load(path: Path) -> None:
    openpyxl.load_workbook(path, read_only=False).close()


def alternate_best(repeat: int, files: list[Path], run: Callable[[Path], Any]) -> list[float]:
    """Best wall time of ``run`` on each file, over ``repeat`` rounds that alternate which
    file goes first (a shared machine's slow spells then hit both)."""
    out = [float("inf")] * len(files)
    for round_ in range(repeat):
        order = list(range(len(files)))
        if round_ % 2:
            order.reverse()
        for i in order:
            started = time.perf_counter()
            run(files[i])
            out[i] = min(out[i], time.perf_counter() - started)
    return out


# -- LibreOffice -------------------------------------------------------------------------------
_LO_CHILD = r"""
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

profile, repeat, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
pipe = "xlcredit_open_%d" % os.getpid()
proc = subprocess.Popen(
    ["soffice", "-env:UserInstallation=" + profile, "--headless", "--invisible", "--norestore",
     "--nologo", "--accept=pipe,name=%s;urp;" % pipe],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
hidden = PropertyValue()
hidden.Name, hidden.Value = "Hidden", True
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 120
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.2)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    best = [float("inf")] * len(files)
    cells = [None] * len(files)
    for round_ in range(repeat):
        order = list(range(len(files)))[:: -1 if round_ % 2 else 1]
        for i in order:
            url = uno.systemPathToFileUrl(os.path.abspath(files[i]))
            started = time.perf_counter()
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (hidden,))
            best[i] = min(best[i], time.perf_counter() - started)
            if doc is None:
                raise RuntimeError("LibreOffice could not open " + files[i])
            used = 0
            for sheet in doc.Sheets:
                cursor = sheet.createCursor()
                cursor.gotoEndOfUsedArea(False)
                end = cursor.RangeAddress
                used += (end.EndRow + 1) * (end.EndColumn + 1)
            cells[i] = used
            doc.close(True)
    print(json.dumps({"seconds": best, "cells": cells}))
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
"""


def libreoffice_reason() -> str | None:
    """None when headless LibreOffice can be driven over UNO here, else why not."""
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed"
    harness = _harness()
    probe = subprocess.run([harness.SYSTEM_PYTHON, "-c", "import uno"], capture_output=True,
                           env=harness.clean_environment(), check=False)  # fmt: skip
    return None if probe.returncode == 0 else "the system Python has no 'uno' module (python3-uno)"


def libreoffice_open(files: list[Path], repeat: int, folder: Path) -> dict[str, list[Any]]:
    """Best seconds LibreOffice takes to load each whole workbook (and the used cells it
    then holds, summed over its sheets), over ``repeat`` alternating rounds in one
    LibreOffice process with a throw-away profile (started once, before any timing)."""
    harness = _harness()
    profile = (folder / "lo-profile").as_uri()
    done = subprocess.run(
        [harness.SYSTEM_PYTHON, "-c", _LO_CHILD, profile, str(repeat), *map(str, files)],
        capture_output=True, text=True, timeout=3600, env=harness.clean_environment(), check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"LibreOffice run failed: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _harness() -> Any:
    """tests/lo/harness.py: the project's way to run LibreOffice and its Python cleanly."""
    sys.path.insert(0, str(ROOT / "tests"))
    from lo import harness

    return harness


def verdict(t_inline: float, t_shared: float) -> str:
    """Which file LibreOffice opens faster, or that the difference is within the noise.

    >>> verdict(10.0, 10.2)
    'LibreOffice opens both alike (shared / inline 1.020, within the 3% noise)'
    >>> verdict(10.0, 9.0)
    'LibreOffice opens the shared-strings file faster (shared / inline 0.900)'
    """
    ratio = t_shared / t_inline
    if abs(ratio - 1) < NOISE:
        return f"LibreOffice opens both alike (shared / inline {ratio:.3f}, within the {NOISE:.0%} noise)"
    faster = "shared" if ratio < 1 else "inline"
    return f"LibreOffice opens the {faster}-strings file faster (shared / inline {ratio:.3f})"


# -- the bench ---------------------------------------------------------------------------------
def refresh(source: Path, target: Path) -> None:
    with FileWorkbook.open(source, output=target) as book:
        macros.refresh_all(book, as_of=AS_OF)
        book.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many rounds")
    parser.add_argument("--openpyxl-repeat", type=int, default=None,
                        help="rounds of the (slow) openpyxl load (default: --repeat; 0: skip it)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the two workbooks here (inline.xlsx, shared.xlsx)")
    parser.add_argument("--reuse", type=Path, default=None,
                        help="time the two workbooks a --keep run left in this folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="xlcredit-open-"))
    try:
        if args.reuse:
            inline, shared = args.reuse / "inline.xlsx", args.reuse / "shared.xlsx"
        else:
            source, inline, shared = folder / "bench.xlsx", folder / "inline.xlsx", folder / "shared.xlsx"
            started = time.perf_counter()
            templates.build_template(source, lang="en", sample=args.buyers)
            refresh(source, inline)
            cells, added = write_shared_copy(source, inline, shared)
            print(f"built and refreshed the bench workbook ({args.buyers:,} buyers) and its "
                  f"shared-strings copy in {time.perf_counter() - started:.1f} s: {cells:,} text "
                  f"cells turned into {added:,} new shared strings")
        files = [inline, shared]
        read = [calamine_cells(p) for p in files]
        difference = first_difference(*read)
        if difference is not None:
            sys.exit(f"the two copies do not read the same, the measurement is void: {difference}")
        n_sheets, n_cells = len(read[0]), sum(len(row) for grid in read[0].values() for row in grid)
        del read
        print(f"python-calamine reads both copies to identical cells: {n_sheets} sheets, "
              f"{n_cells:,} cells (grid)")
        sizes = [p.stat().st_size for p in files]
        print(f"\nfile size: inline {sizes[0] / 1e6:.2f} MB, shared {sizes[1] / 1e6:.2f} MB "
              f"(shared / inline {sizes[1] / sizes[0]:.3f})")
        print(f"(best of {args.repeat} rounds, the two files alternating)")
        rows: list[tuple[str, list[float]]] = []
        reason = libreoffice_reason()
        if reason is None:
            lo = libreoffice_open(files, args.repeat, folder)
            if lo["cells"][0] != lo["cells"][1]:
                sys.exit(f"LibreOffice sees different used areas: {lo['cells']}")
            rows.append(("LibreOffice (headless, UNO load)", lo["seconds"]))
        else:
            print(f"LibreOffice skipped: {reason}")
        rows.append(("python-calamine (every sheet)",
                     alternate_best(args.repeat, files, calamine_cells)))
        openpyxl_repeat = args.repeat if args.openpyxl_repeat is None else args.openpyxl_repeat
        if openpyxl_repeat:
            rows.append(("openpyxl (read_only=False)",
                         alternate_best(openpyxl_repeat, files, openpyxl_load)))
        print(f"{'open with':<34}{'inline':>9}{'shared':>9}  shared / inline")
        for label, (t_inline, t_shared) in rows:
            print(f"{label:<34}{t_inline:8.2f}s{t_shared:8.2f}s  {t_shared / t_inline:6.3f}")
        if reason is None:
            print(f"\n{verdict(*rows[0][1])}; xlcredit writes inline strings "
                  "(see xlcredit/workbook/sheet_xml.py; Excel: docs/excel.md)")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in files:
                shutil.copy2(path, args.keep / path.name)
            print(f"kept {', '.join(str(args.keep / p.name) for p in files)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
