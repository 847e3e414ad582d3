"""Outputs identical: the cells a refresh writes, by the code of a git revision and by the
working tree, compared cell by cell (issue 17: speed work must not change any output).

    .venv/bin/python bench/compare_outputs.py --base REV [--buyers 20000] [--lang en|zh-CN|both] [--keep DIR]

How it works:

- The bench workbook (as ``bench/bench_refresh.py`` builds it: ``templates.build_template``
  with ``--buyers`` sample buyers, ~15 invoices each) is built ONCE, with the working
  tree's code, with a fixed as-of date (:data:`AS_OF`); with ``--lang both`` a Chinese one
  too. Both revisions refresh that same file, so the base revision's reader must read what
  the working tree's template writes (when it cannot, the base refresh fails or lists
  problems, and the run says so).
- The base revision is checked out with ``git worktree add --detach`` in a temporary
  folder (removed afterwards); each refresh runs in its own process, the venv's python
  with ``PYTHONPATH`` pointing at the tree whose code it runs (the child checks where
  ``xlcredit`` was imported from), ``refresh_all(book, as_of=AS_OF)`` then save.
- python-calamine reads both refreshed files. Compared: every output column of tblBuyers
  (the schema's output columns, matched by header, the header row included) and every
  generated sheet, that is every sheet other than Buyers that a refresh created, rewrote
  or removed in either run (its part in the package differs from the input file's).
  Every cell of the used area of both, cell by cell. Numbers are compared exactly (an int
  and a float of the same value are the same number in a cell; anything else must have
  the same type and value); a float that differs only in its last bits is still a
  difference, and the largest relative difference is printed.
- Skipped, and listed in the output with their addresses: the cells of :data:`VOLATILE`,
  which legitimately differ between two runs of the same code. A refresh of the bench
  workbook writes no clock, file name or elapsed time in its outputs; the only such cell
  a refresh writes is the "Read at" time on the Team policy sheet, written when the
  workbook names a team policy (the bench workbook does not). Nothing else is skipped.

Prints, per compared sheet: cells compared, cells different (the first 10 with address,
old and new value), then IDENTICAL or DIFFERENT; exits 1 when different, 2 when a
refresh failed.
"""

from __future__ import annotations

import argparse
import math
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from python_calamine import CalamineWorkbook

import xlcredit
from xlcredit.messages import text
from xlcredit.workbook import templates
from xlcredit.workbook.sample import SAMPLE_AS_OF
from xlcredit.workbook.schema import BUYERS, SHEET_NAMES

#: The working tree: the code the comparison holds against the base revision.
ROOT = Path(__file__).resolve().parents[1]
#: As-of date of both refreshes (the sample's own), so that no output depends on today.
AS_OF = SAMPLE_AS_OF
#: Cells that differ between two runs of the same code, as (sheet role, label message
#: key): the cell right of the label is skipped. "Read at" is the clock time the team
#: policy was read (:func:`xlcredit.workbook.team_source.read_team_source`).
VOLATILE: tuple[tuple[str, str], ...] = (("team_policy", "teams.read_at"),)
#: Differences printed per sheet.
SHOWN = 10

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_CHILD = """
import datetime as dt, sys
from pathlib import Path
source, target, as_of, tree = sys.argv[1:5]
import xlcredit
if not Path(xlcredit.__file__).resolve().is_relative_to(Path(tree).resolve()):
    sys.exit(f"xlcredit imported from {xlcredit.__file__}, not from {tree}")
from xlcredit import macros
from xlcredit.workbook.files import FileWorkbook
with FileWorkbook.open(source, output=target) as book:
    macros.refresh_all(book, as_of=dt.date.fromisoformat(as_of))
    book.save()
"""


@dataclass
class SheetDiff:
    """The comparison of one sheet (or of tblBuyers' output columns)."""

    name: str
    compared: int = 0
    different: int = 0
    #: The first :data:`SHOWN` differences: (address, old value, new value).
    shown: list[tuple[str, Any, Any]] = field(default_factory=list)
    #: Largest relative difference of two floats that differ (0 when none do).
    float_gap: float = 0.0
    #: Addresses of the cells skipped (see :data:`VOLATILE`).
    skipped: list[str] = field(default_factory=list)
    #: Whole-sheet findings: a sheet or column only one run has.
    notes: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return self.different == 0 and not self.notes

    def add(self, address: str, old: Any, new: Any) -> None:
        self.different += 1
        if len(self.shown) < SHOWN:
            self.shown.append((address, old, new))


def address(row: int, col: int) -> str:
    """A1 address of a 0-based cell.

    >>> address(0, 0), address(9, 27), address(1, 701), address(0, 702)
    ('A1', 'AB10', 'ZZ2', 'AAA1')
    """
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same(old: Any, new: Any) -> bool:
    """Whether two cell values read by python-calamine are the same: numbers equal exactly
    (an int and a float of the same value are one number in a cell; NaN equals NaN),
    anything else the same type and value.

    >>> same(1, 1.0), same(0.1 + 0.2, 0.3), same("1", 1), same(True, 1), same("", "")
    (True, False, False, False, True)
    """
    if _number(old) and _number(new):
        return bool(old == new or (math.isnan(old) and math.isnan(new)))
    return type(old) is type(new) and bool(old == new)


def relative_gap(old: Any, new: Any) -> float:
    """Relative difference of two numbers (0 when either is not a number).

    >>> relative_gap(0.1 + 0.2, 0.3) < 1e-15, relative_gap("a", 1.0)
    (True, 0.0)
    """
    if not (_number(old) and _number(new)) or old == new:
        return 0.0
    scale = max(abs(old), abs(new))
    return float(abs(old - new) / scale) if math.isfinite(scale) else math.inf


def compare_cells(old: Sequence[Sequence[Any]], new: Sequence[Sequence[Any]], diff: SheetDiff, *,
                  origin: tuple[int, int] = (0, 0), columns: Sequence[int] | None = None,
                  skip: Iterable[tuple[int, int]] = ()) -> SheetDiff:
    """Compare two grids of cell values cell by cell into ``diff`` (returned).

    The grids are rows of values as python-calamine reads them (an empty cell is ``""``);
    a row or column only one grid has is compared with empty cells. ``origin`` is the
    0-based (row, column) of the grids' first cell in the sheet, ``columns`` the sheet
    column of each grid column (default: consecutive from the origin's), both only for
    the addresses; ``skip`` holds grid (row, column) positions not compared (listed).

    >>> d = compare_cells([["a", 1.0], [2.0]], [["a", 1], [2.5, "x"]], SheetDiff("S"), origin=(4, 1))
    >>> d.compared, d.different, d.shown
    (4, 2, [('B6', 2.0, 2.5), ('C6', '', 'x')])
    """
    skipped = set(skip)
    height = max(len(old), len(new))
    width = max((len(r) for r in (*old, *new)), default=0)
    where = list(columns) if columns is not None else [origin[1] + j for j in range(width)]
    for i in range(height):
        old_row = old[i] if i < len(old) else ()
        new_row = new[i] if i < len(new) else ()
        for j in range(width):
            a = old_row[j] if j < len(old_row) else ""
            b = new_row[j] if j < len(new_row) else ""
            if (i, j) in skipped:
                diff.skipped.append(address(origin[0] + i, where[j]))
                continue
            diff.compared += 1
            if not same(a, b):
                diff.add(address(origin[0] + i, where[j]), a, b)
                diff.float_gap = max(diff.float_gap, relative_gap(a, b))
    return diff


def volatile_cells(grids: Iterable[Sequence[Sequence[Any]]], labels: Iterable[str]) -> set[tuple[int, int]]:
    """Positions right of any cell holding one of ``labels``, in any of ``grids``.

    >>> sorted(volatile_cells([[["Read at", "12:00"], ["x", "Read at"]]], ["Read at"]))
    [(0, 1), (1, 2)]
    """
    wanted = set(labels)
    return {(i, j + 1) for grid in grids for i, row in enumerate(grid)
            for j, value in enumerate(row) if isinstance(value, str) and value in wanted}  # fmt: skip


def sheet_fingerprints(path: Path) -> dict[str, tuple[int, int]]:
    """(CRC, size) of each sheet's XML part, by sheet name, from the package itself."""
    with zipfile.ZipFile(path) as archive:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") or "" for r in rels}
        out = {}
        for sheet in book.iter(f"{{{_MAIN}}}sheet"):
            t = target[sheet.get(f"{{{_REL}}}id")]
            part = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
            info = archive.getinfo(part)
            out[str(sheet.get("name"))] = (info.CRC, info.file_size)
        return out


def written_sheets(source: Path, *refreshed: Path) -> list[str]:
    """Sheets some refresh created, rewrote or removed: their part differs from the input's."""
    before = sheet_fingerprints(source)
    names: dict[str, None] = {}  # ordered, as the refreshed books list them
    for path in refreshed:
        after = sheet_fingerprints(path)
        names.update((n, None) for n, f in after.items() if before.get(n) != f)
        names.update((n, None) for n in before if n not in after)
    return list(names)


def compare_buyers(old: CalamineWorkbook, new: CalamineWorkbook, lang: str) -> SheetDiff:
    """tblBuyers' output columns (the working tree's schema), matched by header."""
    old_t, new_t = old.get_table_by_name(BUYERS.name), new.get_table_by_name(BUYERS.name)
    diff = SheetDiff(f"{new_t.sheet} ({BUYERS.name} output columns)")
    old_rows, new_rows = old_t.to_python(), new_t.to_python()
    if new_t.start is None:
        raise ValueError(f"{BUYERS.name} has no cells in {new_t.sheet}")
    top, left = new_t.start  # the first data row (0-based); the header is the row above
    for column in BUYERS.outputs:
        header = column.header(lang)
        if header not in old_t.columns or header not in new_t.columns:
            where = " and ".join(k for k, t in (("base", old_t), ("new", new_t)) if header not in t.columns)
            diff.notes.append(f"column {header!r} missing in the {where} output")
            continue
        a, b = old_t.columns.index(header), new_t.columns.index(header)
        compare_cells([[header], *([r[a]] for r in old_rows)], [[header], *([r[b]] for r in new_rows)],
                      diff, origin=(top - 1, left + b))
    return diff


def compare_sheet(old: CalamineWorkbook, new: CalamineWorkbook, name: str, volatile: Sequence[str]) -> SheetDiff:
    """Every cell of sheet ``name`` in both books (its used area from A1)."""
    diff = SheetDiff(name)
    present = [name in book.sheet_names for book in (old, new)]
    if not all(present):
        if any(present):
            diff.notes.append(f"only the {'base' if present[0] else 'new'} output has this sheet")
        return diff
    grids = [book.get_sheet_by_name(name).to_python(skip_empty_area=False) for book in (old, new)]
    return compare_cells(grids[0], grids[1], diff, skip=volatile_cells(grids, volatile))


def compare_outputs(source: Path, old_path: Path, new_path: Path, lang: str) -> list[SheetDiff]:
    """The comparison of every output of the two refreshes of ``source``."""
    volatile: dict[str, list[str]] = {}
    for role, key in VOLATILE:
        volatile.setdefault(SHEET_NAMES[role][lang], []).append(text(key, lang))
    old = CalamineWorkbook.from_path(str(old_path), load_tables=True)
    new = CalamineWorkbook.from_path(str(new_path), load_tables=True)
    try:
        diffs = [compare_buyers(old, new, lang)]
        for name in written_sheets(source, old_path, new_path):
            if name != BUYERS.sheet(lang):
                diffs.append(compare_sheet(old, new, name, volatile.get(name, [])))
        return diffs
    finally:
        old.close()
        new.close()


def refresh(tree: Path, source: Path, target: Path) -> float:
    """Refresh ``source`` into ``target`` with the code of ``tree`` in a child process;
    the seconds it took. Raises ``RuntimeError`` with the child's error output."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), str(tree / "udfs")])}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, str(source), str(target), AS_OF.isoformat(), str(tree)],
                          cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"refresh with the code of {tree} failed:\n{done.stderr.strip()}")
    return time.perf_counter() - started


def _shown(value: Any) -> str:
    return repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."


def report(diffs: Sequence[SheetDiff]) -> bool:
    """Print the comparison; whether every sheet is identical."""
    for d in diffs:
        print(f"  {d.name}: {d.compared:,} cells compared, {d.different:,} different"
              + (f", {len(d.skipped)} skipped ({', '.join(d.skipped)})" if d.skipped else ""))
        for note in d.notes:
            print(f"    {note}")
        for where, old, new in d.shown:
            print(f"    {where}: base {_shown(old)}  new {_shown(new)}")
        if d.float_gap:
            print(f"    largest relative difference of two floats: {d.float_gap:.3g}")
    return all(d.identical for d in diffs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="git revision to compare with (e.g. main, 66ebad6)")
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--lang", choices=("en", "zh-CN", "both"), default="en")
    parser.add_argument("--keep", type=Path, default=None, help="keep the workbooks here")
    args = parser.parse_args()
    if not Path(xlcredit.__file__).resolve().is_relative_to(ROOT):
        sys.exit(f"xlcredit is imported from {xlcredit.__file__}, not from {ROOT}: set PYTHONPATH={ROOT}")
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.base],
                         check=True, capture_output=True, text=True).stdout.strip()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="xlcredit-compare-"))
    folder.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix=f"xlcredit-base-{rev}-")) / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(base), rev], check=True)
    identical = True
    try:
        for lang in ("en", "zh-CN") if args.lang == "both" else (args.lang,):
            source = folder / f"bench-{lang}.xlsx"
            templates.build_template(source, lang=lang, sample=args.buyers, as_of=AS_OF)
            print(f"{source.name}: {args.buyers:,} buyers, as of {AS_OF}, built with the working tree")
            old, new = folder / f"base-{rev}-{lang}.xlsx", folder / f"new-{lang}.xlsx"
            try:
                seconds = refresh(base, source, old), refresh(ROOT, source, new)
            except RuntimeError as exc:
                print(exc)
                print("FAILED: a refresh did not run (can the base read the workbook the working tree built?)")
                return 2
            print(f"refreshed with base {rev} ({seconds[0]:.1f} s) and the working tree ({seconds[1]:.1f} s)")
            identical &= report(compare_outputs(source, old, new, lang))
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
        shutil.rmtree(base.parent, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"IDENTICAL to {rev}" if identical else f"DIFFERENT from {rev}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
