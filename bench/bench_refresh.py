"""Bench: headless refresh of a workbook with 20,000 buyers and 300,000 invoices (issue 4).

Builds the sample workbook once (not timed), then times, in the same process and on the
same file:

- baseline: openpyxl merely loading and saving it (what a naive "open, write, save" tool
  pays before doing any work);
- xlcredit: the whole ``xlcredit refresh`` (read tables, score, limits, aging, collections,
  dashboard, score history, write outputs and generated sheets, atomic save).

Aim: the full refresh no slower than openpyxl's bare load-and-save (ratio <= 1).

    .venv/bin/python bench/bench_refresh.py [--buyers 20000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import openpyxl

from xlcredit import macros
from xlcredit.workbook import templates
from xlcredit.workbook.files import FileWorkbook


def openpyxl_load_save(source: Path, target: Path) -> float:
    started = time.perf_counter()
    book = openpyxl.load_workbook(source)
    book.save(target)
    return time.perf_counter() - started


def xlcredit_refresh(source: Path, target: Path) -> float:
    started = time.perf_counter()
    with FileWorkbook.open(source, output=target) as book:
        macros.refresh_all(book)
        book.save()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the workbooks here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="xlcredit-bench-"))
    try:
        source = folder / "bench.xlsx"
        started = time.perf_counter()
        templates.build_template(source, lang="en", sample=args.buyers)
        print(f"built {source.name} with {args.buyers:,} buyers (~15 invoices each): "
              f"{source.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
        base = openpyxl_load_save(source, folder / "openpyxl.xlsx")
        ours = xlcredit_refresh(source, folder / "refreshed.xlsx")
        print(f"openpyxl load + save (baseline): {base:8.2f} s")
        print(f"xlcredit full refresh:           {ours:8.2f} s")
        print(f"ratio refresh / baseline:        {ours / base:8.2f}  (aim <= 1.00)")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for name in ("bench.xlsx", "refreshed.xlsx"):
                shutil.copy2(folder / name, args.keep / name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
