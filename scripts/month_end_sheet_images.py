"""Render the month-end sheets of issue 14 (items 4 and 5) to PNG, English and Chinese: the
Provision (坏账准备), the Forecast (回款预测) and the Write-offs log (已核销坏账), from demo
workbooks of 60 buyers with three invoices written off (run with the venv's Python;
LibreOffice renders through ``scripts/render_sheets.py``, then ``pdftoppm``).

    .venv/bin/python scripts/month_end_sheet_images.py [OUTDIR]

Writes OUTDIR/<role>_<lang>.png and copies them into docs/img/ as provision_<lang>.png,
forecast_<lang>.png and write_offs_<lang>.png.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.readme_images import _SYSTEM_PYTHON, _trim  # noqa: E402
from xlcredit.macros import refresh_all  # noqa: E402
from xlcredit.workbook.files import FileWorkbook  # noqa: E402
from xlcredit.workbook.port import TableEdit  # noqa: E402
from xlcredit.workbook.schema import INVOICES, SHEET_NAMES, WRITE_OFFS, parse_table  # noqa: E402
from xlcredit.workbook.templates import build_template  # noqa: E402

#: Rows (and last column) of each sheet drawn: the Provision's totals, matrix and roll rates;
#: the Forecast's weeks, chart and first invoices; the Write-offs log.
SPECS = {"provision": "36:K", "forecast": "50", "write_offs": "10"}


def demo_book(path: Path, lang: str) -> Path:
    """A 60-buyer demo workbook with its three oldest open invoices written off, refreshed."""
    build_template(path, lang=lang, sample=60)
    with FileWorkbook.open(path) as book:
        refresh_all(book)
        book.save()
    reason = {"en": "Buyer insolvent, no dividend expected", "zh-CN": "客户破产，预计无清偿"}[lang]
    with FileWorkbook.open(path) as book:
        raw = book.read_table(INVOICES.name)
        f = parse_table(raw.header, raw.rows, INVOICES, sheet=raw.sheet, header_row=raw.header_row).frame
        old = f[f["paid_date"].isna()].sort_values("due_date").head(3)
        headers = [c.header(lang) for c in WRITE_OFFS.columns]
        rows = [dict(zip(headers, (r.invoice_no, r.buyer_id, dt.datetime(2026, 11, 20), None, reason, "CFO"),
                         strict=True)) for r in old.itertuples()]
        book.edit_table(WRITE_OFFS.name, TableEdit(updates={0: rows[0]}, appends=rows[1:]))
        book.save()
    with FileWorkbook.open(path) as book:
        refresh_all(book)
        book.save()
    return path


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="xlcredit-month-end-"))
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="xlcredit-month-end-work-"))
    img = ROOT / "docs" / "img"
    for lang, suffix in (("en", "en"), ("zh-CN", "zh")):
        book = demo_book(work / f"demo_{suffix}.xlsx", lang)
        names = {role: SHEET_NAMES[role][lang] for role in SPECS}
        subprocess.run([_SYSTEM_PYTHON, str(ROOT / "scripts" / "render_sheets.py"), str(book), str(work), suffix,
                        *(f"{names[role]}:{spec}" for role, spec in SPECS.items())], check=True)
        with FileWorkbook.open(book, read_only=True) as wb:
            order = wb.sheet_names()
        for role, name in names.items():
            target = out / f"{role}_{suffix}.png"
            shutil.copy(work / f"{suffix}-{order.index(name)}.png", target)
            _trim(target)
            shutil.copy(target, img / target.name)
            print(target)


if __name__ == "__main__":
    main()
