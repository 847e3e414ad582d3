"""Render the sheets of a large company's workbook (issue 15, item 5): Chinese and English,
receivables of about 1.16 billion and nine-digit invoices, to check by eye that no amount
shows ``###``, that CJK columns are wide enough, and how Buyers prints (run with the
venv's Python; LibreOffice renders through ``scripts/render_sheets.py`` and ``soffice``).

    .venv/bin/python scripts/layout_images.py [OUTDIR]

Writes OUTDIR/<role>_<lang>.png (Aging, Credit hold, Collections, Dashboard, the first
printed page of Buyers with its own print settings) and copies the Chinese Aging and
Credit hold into docs/img/ as aging_large_zh.png and credit_hold_zh.png.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.readme_images import _SYSTEM_PYTHON, _trim  # noqa: E402
from xlcredit.macros import refresh_all  # noqa: E402
from xlcredit.workbook.files import FileWorkbook  # noqa: E402
from xlcredit.workbook.schema import BUYERS, INVOICES, SHEET_NAMES, TableSchema  # noqa: E402
from xlcredit.workbook.templates import build_template  # noqa: E402

#: Open receivables the workbook is scaled to (the Chinese Aging total of issue 15).
TARGET = 1_160_000_000.0


def _scale(path: Path, schema: TableSchema, factor: float) -> None:
    """Multiply every money column of a table by ``factor`` (what a large company types)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if schema.name not in ws.tables:
            continue
        cells = ws[ws.tables[schema.name].ref]
        found = schema.resolve([c.value for c in cells[0]])
        money = [i for name, i in found.items() if schema.column(name).kind == "money" and not
                 schema.column(name).output]
        for row in cells[1:]:
            for i in money:
                if isinstance(row[i].value, (int, float)):
                    row[i].value = round(row[i].value * factor, 2)
    wb.save(path)


def large_book(path: Path, lang: str) -> Path:
    """A sample workbook whose open receivables are about :data:`TARGET`, refreshed."""
    build_template(path, lang=lang, sample=60)
    with FileWorkbook.open(path) as book:
        open_total = refresh_all(book).receivables
    factor = TARGET / open_total
    _scale(path, INVOICES, factor)
    _scale(path, BUYERS, factor)
    with FileWorkbook.open(path) as book:
        summary = refresh_all(book)
        book.save()
    print(f"{lang}: receivables {summary.receivables:,.2f} {summary.base_currency}")
    return path


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="xlcredit-layout-"))
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="xlcredit-layout-work-"))
    for lang, suffix in (("zh-CN", "zh"), ("en", "en")):
        book = large_book(work / f"large_{suffix}.xlsx", lang)
        names = {role: SHEET_NAMES[role][lang] for role in ("aging", "credit_hold", "collections", "dashboard")}
        specs = [f"{names['aging']}:70:M", f"{names['credit_hold']}:24", f"{names['collections']}:24:S",
                 f"{names['dashboard']}:44:N"]
        subprocess.run([_SYSTEM_PYTHON, str(ROOT / "scripts" / "render_sheets.py"), str(book), str(work),
                        suffix, *specs], check=True)
        with FileWorkbook.open(book, read_only=True) as wb:
            order = wb.sheet_names()
        for role, name in names.items():
            target = out / f"{role}_{suffix}.png"
            shutil.copy(work / f"{suffix}-{order.index(name)}.png", target)
            _trim(target)
            print(target)
        # Buyers as it prints, with the workbook's own print settings (first page).
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo-{suffix}",
                        "--convert-to", "pdf", "--outdir", str(work), str(book)], check=True,
                       capture_output=True)
        pdf = work / f"large_{suffix}.pdf"
        subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-png", "-r", "80", "-singlefile", str(pdf),
                        str(out / f"buyers_print_{suffix}")], check=True)
        print(out / f"buyers_print_{suffix}.png")
    img = ROOT / "docs" / "img"
    shutil.copy(out / "aging_zh.png", img / "aging_large_zh.png")
    shutil.copy(out / "credit_hold_zh.png", img / "credit_hold_zh.png")


if __name__ == "__main__":
    main()
