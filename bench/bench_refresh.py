"""Bench: headless refresh of a workbook with 20,000 buyers and ~300,000 invoices (issues 4, 17).

Builds the sample workbook once (not timed, in a child process), then times, in the same process and on the
same file, each the best of ``--repeat`` runs (the machine may be shared: best-of filters
out the runs another process slowed down):

- baseline: openpyxl merely loading and saving it (what a naive "open, write, save" tool
  pays before doing any work);
- floor: python-calamine's bare read of the sheets holding the tables, plus XlsxWriter
  writing the same output cells (tblBuyers' output columns and the generated sheets, as
  values) in constant-memory mode: about the least any Python tool reading and writing
  these cells can pay;
- xlcredit: the whole ``xlcredit refresh`` (read tables, score, limits, aging, collections,
  dashboard, score history, write outputs and generated sheets, atomic save), with its
  phases (open, read, engine, write columns, generated sheets, save) from the file
  adapter's timing callback; "engine" is the rest (the macros and the engine).

Aims (issue 17): refresh <= 0.08 x the baseline and <= 2 x the floor.

It also measures the zlib level of the save (time against size on the parts a refresh
writes; parts it does not change are copied compressed as they were) and, with
``--memory``, the peak memory of a refresh of a 1,048,576-row invoice table against
python-calamine's own peak reading the same sheets (each in its own process; Linux).

    .venv/bin/python bench/bench_refresh.py [--buyers 20000] [--repeat 3] [--memory] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter
from python_calamine import CalamineWorkbook

from xlcredit import macros
from xlcredit.workbook import templates, xlsx_parts
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.schema import BUYERS, INVOICES, SHEET_NAMES

PHASES = ("open", "read", "engine", "write columns", "generated sheets", "save")
#: Sheets row limit: the memory case fills the invoice sheet to it (header included).
EXCEL_ROWS = 1_048_576


def best(times: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """Best wall time of ``times`` runs of ``run`` and the result of that run."""
    out: tuple[float, Any] = (float("inf"), None)
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - started
        if elapsed < out[0]:
            out = (elapsed, result)
    return out


def build_in_child(path: Path, buyers: int) -> None:
    """Build the bench workbook in a child process: what building leaves in this process's
    heap (caches, freed arenas) would otherwise weigh on whichever contender runs first."""
    code = ("import sys; from pathlib import Path; from xlcredit.workbook import templates; "
            "templates.build_template(Path(sys.argv[1]), lang='en', sample=int(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", code, str(path), str(buyers)], check=True)


def openpyxl_load_save(source: Path, target: Path) -> None:
    book = openpyxl.load_workbook(source)
    book.save(target)


def xlcredit_refresh(source: Path, target: Path) -> dict[str, float]:
    """One refresh; the seconds of each phase."""
    phases: dict[str, float] = collections.defaultdict(float)

    def timing(phase: str, seconds: float) -> None:
        phases[phase] += seconds

    started = time.perf_counter()
    book = FileWorkbook.open(source, output=target, timing=timing)
    phases["open"] = time.perf_counter() - started
    with book:
        macros.refresh_all(book)
        book.save()
    total = time.perf_counter() - started
    phases["engine"] = total - sum(v for k, v in phases.items() if k != "engine")
    return dict(phases)


def table_sheets(lang: str = "en") -> list[str]:
    """The sheets a refresh reads its tables from (buyers, invoices, policy)."""
    return [SHEET_NAMES[role][lang] for role in ("buyers", "invoices", "policy")]


def calamine_read(source: Path, sheets: list[str]) -> int:
    book = CalamineWorkbook.from_path(str(source))
    try:
        return sum(len(book.get_sheet_by_name(s).to_python(skip_empty_area=False)) for s in sheets)
    finally:
        book.close()


def output_cells(source: Path, refreshed: Path, lang: str = "en") -> dict[str, list[list[Any]]]:
    """The cells a refresh writes, by sheet: tblBuyers' output columns (with their header)
    and every generated sheet, as python-calamine reads them from the refreshed file."""
    before = CalamineWorkbook.from_path(str(source))
    book = CalamineWorkbook.from_path(str(refreshed))
    try:
        out: dict[str, list[list[Any]]] = {}
        buyers = book.get_sheet_by_name(BUYERS.sheet(lang)).to_python(skip_empty_area=False)
        wanted = {c.header(lang) for c in BUYERS.outputs}
        header_row = next(i for i, row in enumerate(buyers) if wanted & set(map(str, row)))
        cols = [j for j, h in enumerate(buyers[header_row]) if str(h) in wanted]
        out[BUYERS.sheet(lang)] = [[row[j] for j in cols] for row in buyers[header_row:]]
        for name in book.sheet_names:
            if name not in before.sheet_names:
                out[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return out
    finally:
        book.close()
        before.close()


def xlsxwriter_write(cells: dict[str, list[list[Any]]], target: Path) -> int:
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    n = 0
    for name, rows in cells.items():
        sheet = book.add_worksheet(name[:31])
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
            n += len(row)
    book.close()
    return n


def compression(source: Path, refreshed: Path, repeat: int) -> list[tuple[int, float, int, int]]:
    """(level, seconds, compressed bytes of the parts a refresh writes, whole file bytes)
    for zlib levels 1, 3, 6 and 9, the unchanged parts copied as they were."""
    old = xlsx_parts.Package.from_path(source)
    new = xlsx_parts.Package.from_path(refreshed)
    changed = [d for n, d in new.parts.items() if old.parts.get(n) != d]
    kept = sum(len(member.data) for n, d in new.parts.items()
               if old.parts.get(n) == d and (member := old.parts.original(n)) is not None)
    out = []
    for level in (1, 3, 6, 9):

        def deflate(level: int = level) -> int:
            return sum(len(xlsx_parts._deflate(d, level).data) for d in changed)

        seconds, packed = best(repeat, deflate)
        out.append((level, seconds, packed, packed + kept))
    return out


_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t xml:space="preserve">(.*?)</t></is></c>')


def inline_vs_shared(source: Path, refreshed: Path) -> tuple[int, int, int, int, int, int]:
    """Text cells written by a refresh as inline strings (what xlcredit writes) against the
    same cells as shared strings (what Excel writes when it saves): (text cells, distinct
    texts, inline bytes, shared bytes (sheets + string table), inline deflated, shared
    deflated), over the parts a refresh writes."""
    old = xlsx_parts.Package.from_path(source)
    new = xlsx_parts.Package.from_path(refreshed)
    sheets = [n for n, d in new.parts.items()
              if n.startswith("xl/worksheets/sheet") and old.parts.get(n) != d]  # fmt: skip
    table: dict[str, int] = {}
    cells = 0

    def shared(match: re.Match[str]) -> str:
        nonlocal cells
        cells += 1
        index = table.setdefault(match.group(3), len(table))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{index}</v></c>'

    inline = [new.parts[n] for n in sheets]
    converted = [_INLINE.sub(shared, d.decode("utf-8")).encode("utf-8") for d in inline]
    sst = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in table).encode("utf-8")
    packed = [len(xlsx_parts._deflate(d, 6).data) for d in (*inline, *converted, sst)]
    return (cells, len(table), sum(map(len, inline)), sum(map(len, converted)) + len(sst),
            sum(packed[: len(inline)]), sum(packed[len(inline) :]))  # fmt: skip


def choose_level(rows: list[tuple[int, float, int, int]], slack: float = 0.10) -> int:
    """The fastest level whose whole file is at most ``slack`` larger than at level 6."""
    six = next(r for r in rows if r[0] == 6)
    fits = [r for r in rows if r[3] <= six[3] * (1 + slack)]
    return min(fits, key=lambda r: r[1])[0]


_MEMORY_CHILD = """
import sys
kind, path = sys.argv[1], sys.argv[2]
if kind == "calamine":
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(path)
    for name in sys.argv[3:]:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)
else:
    from xlcredit import macros
    from xlcredit.workbook.files import FileWorkbook
    with FileWorkbook.open(path, output=sys.argv[3]) as book:
        macros.refresh_all(book)
        book.save()
# VmHWM: the peak resident set of this process image (ru_maxrss would include the parent's
# memory at fork on Linux)
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""


def peak_mb(*args: str) -> float:
    """Peak resident memory (MB) of a child process running ``_MEMORY_CHILD``."""
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, *args], check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1]) / 1024


def memory_case(folder: Path, rows: int) -> None:
    """Peak memory of a refresh of a ``rows``-row invoice table vs calamine's own peak."""
    path = folder / "million.xlsx"
    original = templates.sample_invoices

    def capped(*args: Any, **kwargs: Any) -> Any:  # fill the sheet to Excel's last row
        return original(*args, **kwargs).iloc[: rows - 1]

    templates.sample_invoices = capped  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        templates.build_template(path, lang="en", sample=-(-rows // 15))
    finally:
        templates.sample_invoices = original  # type: ignore[assignment]
    invoices = calamine_read(path, [INVOICES.sheet("en")])
    print(f"\nmemory: built {path.name} ({invoices:,} invoice sheet rows, "
          f"{path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
    calamine = peak_mb("calamine", str(path), *table_sheets())
    started = time.perf_counter()
    ours = peak_mb("xlcredit", str(path), str(folder / "million-out.xlsx"))
    print(f"python-calamine reading the table sheets, peak: {calamine:8.0f} MB")
    print(f"xlcredit full refresh, peak:                    {ours:8.0f} MB "
          f"({time.perf_counter() - started:.0f} s)")
    print(f"ratio refresh / calamine:                       {ours / calamine:8.2f}  (aim <= 1.20)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--openpyxl-repeat", type=int, default=None,
                        help="runs of the (slow) baseline (default: --repeat)")
    parser.add_argument("--memory", action="store_true", help="also the 1,048,576-row case")
    parser.add_argument("--memory-rows", type=int, default=EXCEL_ROWS)
    parser.add_argument("--memory-only", action="store_true", help="only the memory case")
    parser.add_argument("--keep", type=Path, default=None, help="keep the workbooks here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="xlcredit-bench-"))
    if args.memory_only:
        try:
            memory_case(folder, args.memory_rows)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        source = folder / "bench.xlsx"
        started = time.perf_counter()
        build_in_child(source, args.buyers)
        print(f"built {source.name} with {args.buyers:,} buyers (~15 invoices each): "
              f"{source.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
        refreshed = folder / "refreshed.xlsx"
        ours, phases = best(args.repeat, lambda: xlcredit_refresh(source, refreshed))
        sheets = table_sheets()
        read, _ = best(args.repeat, lambda: calamine_read(source, sheets))
        cells = output_cells(source, refreshed)
        write, n_cells = best(args.repeat, lambda: xlsxwriter_write(cells, folder / "floor.xlsx"))
        floor = read + write
        base, _ = best(args.openpyxl_repeat or args.repeat,
                       lambda: openpyxl_load_save(source, folder / "openpyxl.xlsx"))
        print(f"(best of {args.repeat} runs each; openpyxl best of "
              f"{args.openpyxl_repeat or args.repeat})")
        print(f"openpyxl load + save (baseline):  {base:8.2f} s")
        print(f"floor: calamine read {read:.2f} s + XlsxWriter constant_memory write "
              f"{write:.2f} s ({n_cells:,} cells) = {floor:.2f} s")
        print(f"xlcredit full refresh:            {ours:8.2f} s")
        for phase in PHASES:
            print(f"  {phase:<17}{phases.get(phase, 0.0):8.2f} s")
        print(f"ratio refresh / baseline:         {ours / base:8.3f}  (aim <= 0.08)")
        print(f"ratio refresh / floor:            {ours / floor:8.2f}  (aim <= 2)")
        rows = compression(source, refreshed, args.repeat)
        print("\nsave: zlib level of the parts a refresh writes (unchanged parts are copied "
              "compressed as read)")
        for level, seconds, packed, whole in rows:
            print(f"  level {level}: {seconds:6.2f} s, written parts {packed / 1e6:6.2f} MB, "
                  f"file {whole / 1e6:6.2f} MB")
        chosen = choose_level(rows)
        one = {r[0]: r for r in rows}
        print(f"chosen: level {chosen}, the fastest whose file is within 10 % of level 6's "
              f"(level 6: {one[6][1]:.2f} s, level {chosen}: {one[chosen][1]:.2f} s, file "
              f"{one[chosen][3] / one[6][3] - 1:+.1%}); xlcredit saves at level "
              f"{xlsx_parts.COMPRESS_LEVEL}"
              + ("" if chosen == xlsx_parts.COMPRESS_LEVEL else "  <- differs on this machine"))
        n_text, distinct, inline, shared, inline_z, shared_z = inline_vs_shared(source, refreshed)
        print(f"\ntext cells written: {n_text:,} ({distinct:,} distinct); as inline strings "
              f"{inline / 1e6:.1f} MB ({inline_z / 1e6:.2f} MB deflated), as shared strings "
              f"{shared / 1e6:.1f} MB ({shared_z / 1e6:.2f} MB deflated): xlcredit writes inline "
              "strings (see xlcredit/workbook/sheet_xml.py)")
        if args.memory:
            memory_case(folder, args.memory_rows)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for name in ("bench.xlsx", "refreshed.xlsx"):
                shutil.copy2(folder / name, args.keep / name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
