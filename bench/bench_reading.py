"""Bench: reading and parsing the tables of a 300,000-invoice workbook against calamine (issue 11).

Builds the sample workbook once (20,000 buyers, ~300,000 invoices; not timed), then times,
in the same process and on the same file:

- floor: python-calamine's bare read of the Buyers and Invoices sheets (``to_python``);
- xlcredit: opening the file, reading tblBuyers and tblInvoices through the file adapter and
  parsing them through the schema and the reading rules (typed columns and problems).

Aim: xlcredit's read + parse at most 2x calamine's bare read. A second pass reads the same
tables with every number and date typed as text (the accountant's way) for information.

    .venv/bin/python bench/bench_reading.py [--buyers 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from xlcredit.engine.policy import Policy
from xlcredit.workbook import templates
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.reading import ReadingRules
from xlcredit.workbook.schema import BUYERS, INVOICES, parse_table


def calamine_read(source: Path, sheets: list[str]) -> float:
    started = time.perf_counter()
    book = CalamineWorkbook.from_path(str(source))
    for sheet in sheets:
        book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    book.close()
    return time.perf_counter() - started


def xlcredit_read(source: Path) -> tuple[float, int, int]:
    started = time.perf_counter()
    with FileWorkbook.open(source, read_only=True) as book:
        rules = ReadingRules.from_policy(Policy())
        rows = problems = 0
        for schema in (BUYERS, INVOICES):
            raw = book.read_table(schema.name)
            table = parse_table(raw.header, raw.rows, schema, sheet=raw.sheet,
                                header_row=raw.header_row, rules=rules, grid=raw.grid)
            rows += len(table.frame)
            problems += len(table.problems)
    return time.perf_counter() - started, rows, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of each")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="xlcredit-bench-"))
    try:
        source = folder / "bench.xlsx"
        started = time.perf_counter()
        templates.build_template(source, lang="en", sample=args.buyers)
        print(f"built {source.name} with {args.buyers:,} buyers: {source.stat().st_size / 1e6:.1f} MB "
              f"in {time.perf_counter() - started:.1f} s")
        with FileWorkbook.open(source, read_only=True) as book:
            sheets = [book.read_table(s.name).sheet for s in (BUYERS, INVOICES)]
        floor = min(calamine_read(source, sheets) for _ in range(args.repeat))
        runs = [xlcredit_read(source) for _ in range(args.repeat)]
        ours, rows, problems = min(runs)
        print(f"python-calamine bare read of {', '.join(sheets)}: {floor:8.2f} s")
        print(f"xlcredit read + parse ({rows:,} rows, {problems} problems): {ours:8.2f} s")
        print(f"ratio xlcredit / calamine: {ours / floor:.2f} (aim <= 2)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
