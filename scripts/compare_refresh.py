"""Refresh the same sample workbooks with this checkout and with an earlier commit, and check
that every cell comes out the same: value, style id and number format (issue 17: the writing
was rewritten per column; the cells it writes must not change).

    .venv/bin/python scripts/compare_refresh.py [--ref 15cd998] [--buyers 300] [--lang en zh-CN]

The earlier commit's package is taken with ``git archive`` into a temporary folder and run in
a subprocess with that folder first on ``sys.path``. Both runs refresh a copy of the same
source workbook (``templates.build_template(path, lang=..., sample=N)``, built by this
checkout) with the same as-of date. Values are read with python-calamine; style ids from the
sheet XML; number formats and cell formats (``<xf>``) from styles.xml. Exit code 1 and the
first differences when anything differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
#: The commit issue 17's writing work started from.
BEFORE = "15cd998"

_REFRESH = """
import datetime as dt, sys
from xlcredit import macros
from xlcredit.workbook.files import FileWorkbook
with FileWorkbook.open(sys.argv[1], output=sys.argv[2]) as book:
    macros.refresh_all(book, as_of=dt.date.fromisoformat(sys.argv[3]))
    book.save()
"""


def export_package(ref: str, folder: Path) -> Path:
    """The ``xlcredit`` package of commit ``ref``, unpacked under ``folder``."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", ref, "xlcredit"], cwd=ROOT, check=True,
        capture_output=True,
    ).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(folder, filter="data")
    return folder


def refresh(source: Path, target: Path, as_of: dt.date, package_root: Path | None) -> None:
    """Refresh ``source`` into ``target`` in a subprocess, with ``package_root`` first on the path."""
    env = dict(os.environ)
    if package_root is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(package_root), env.get("PYTHONPATH", "")])
    subprocess.run(
        [sys.executable, "-c", _REFRESH, str(source), str(target), as_of.isoformat()],
        check=True, env=env, cwd=package_root or ROOT,
    )  # fmt: skip


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    book = etree.fromstring(z.read("xl/workbook.xml"))
    rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{PR}}}Relationship")}
    out = {}
    for sheet in book.iter(f"{{{M}}}sheet"):
        target = targets[sheet.get(f"{{{R}}}id")]
        out[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _formats(z: zipfile.ZipFile) -> tuple[list[str], dict[int, str]]:
    styles = etree.fromstring(z.read("xl/styles.xml"))
    codes = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in styles.iter(f"{{{M}}}numFmt")}
    xfs = styles.find(f"{{{M}}}cellXfs")
    described = []
    for xf in [] if xfs is None else list(xfs):
        text = etree.tostring(xf, encoding="unicode")
        described.append(f"{text} numFmt={codes.get(int(xf.get('numFmtId', '0')), 'builtin')}")
    return described, codes


def cell_styles(path: Path) -> dict[str, dict[str, str]]:
    """Per sheet name: cell reference -> description of its format (style id, xf, number format)."""
    with zipfile.ZipFile(path) as z:
        xfs, _ = _formats(z)
        out: dict[str, dict[str, str]] = {}
        for name, part in _sheet_parts(z).items():
            cells: dict[str, str] = {}
            for _, cell in etree.iterparse(io.BytesIO(z.read(part)), tag=f"{{{M}}}c"):
                s = int(cell.get("s", "0"))
                cells[cell.get("r", "")] = f"s={s} {xfs[s] if s < len(xfs) else '?'}"
                cell.clear()
            out[name] = cells
        return out


def cell_values(path: Path) -> dict[str, list[list[Any]]]:
    """Per sheet name: its values as python-calamine reads them."""
    book = CalamineWorkbook.from_path(str(path))
    try:
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }
    finally:
        book.close()


def compare(before: Path, after: Path, limit: int = 10) -> list[str]:
    """Differences between two refreshed workbooks (empty when every cell is the same)."""
    diffs: list[str] = []
    values_a, values_b = cell_values(before), cell_values(after)
    if list(values_a) != list(values_b):
        diffs.append(f"sheets differ: {list(values_a)} vs {list(values_b)}")
    for name in values_a.keys() & values_b.keys():
        a, b = values_a[name], values_b[name]
        if len(a) != len(b):
            diffs.append(f"{name}: {len(a)} rows before, {len(b)} after")
        for r, (row_a, row_b) in enumerate(zip(a, b, strict=False)):
            if row_a != row_b:
                for c in range(max(len(row_a), len(row_b))):
                    va = row_a[c] if c < len(row_a) else None
                    vb = row_b[c] if c < len(row_b) else None
                    if va != vb and not (va in ("", None) and vb in ("", None)):
                        diffs.append(f"{name}!R{r + 1}C{c + 1}: {va!r} before, {vb!r} after")
    styles_a, styles_b = cell_styles(before), cell_styles(after)
    for name in styles_a.keys() & styles_b.keys():
        a, b = styles_a[name], styles_b[name]
        for ref in sorted(a.keys() | b.keys()):
            if a.get(ref) != b.get(ref):
                diffs.append(f"{name}!{ref}: format {a.get(ref)} before, {b.get(ref)} after")
    return diffs[:limit] if limit else diffs


def counts(path: Path) -> tuple[int, int]:
    """(sheets, cells) of a workbook, to show what was compared."""
    styles = cell_styles(path)
    return len(styles), sum(len(cells) for cells in styles.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default=BEFORE, help="the earlier commit (default: %(default)s)")
    parser.add_argument("--buyers", type=int, default=300)
    parser.add_argument("--lang", nargs="+", default=["en", "zh-CN"])
    parser.add_argument("--as-of", default="2026-11-30")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from xlcredit.workbook import templates

    as_of = dt.date.fromisoformat(args.as_of)
    folder = Path(tempfile.mkdtemp(prefix="xlcredit-compare-"))
    failed = False
    try:
        old_root = export_package(args.ref, folder / "before")
        for lang in args.lang:
            source = folder / f"source-{lang}.xlsx"
            templates.build_template(source, lang=lang, sample=args.buyers)
            before, after = folder / f"before-{lang}.xlsx", folder / f"after-{lang}.xlsx"
            refresh(source, before, as_of, old_root)
            refresh(source, after, as_of, None)
            diffs = compare(before, after, limit=20)
            sheets, cells = counts(after)
            if diffs:
                failed = True
                print(f"{lang}: DIFFERENT from {args.ref}:")
                for line in diffs:
                    print("  " + line)
            else:
                print(f"{lang}: {sheets} sheets, {cells:,} cells identical to {args.ref} "
                      "(values, style ids, formats)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
