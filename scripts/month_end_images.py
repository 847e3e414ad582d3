"""Regenerate the statement pages in docs/img/ (run with the venv's Python; needs pdftoppm).

Builds the demo workbooks in English and Chinese (as ``xlcredit demo`` does), writes the
statement of one overdue buyer of each as a PDF through ``xlcredit statements``, and draws
page 1 as PNG: docs/img/statement_en.png and docs/img/statement_zh.png.

    .venv/bin/python scripts/month_end_images.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlcredit.cli import DEMO_BUYERS, main  # noqa: E402
from xlcredit.macros.run import _open  # noqa: E402
from xlcredit.macros.statement_sheet import statement_lines_of  # noqa: E402
from xlcredit.workbook.files import FileWorkbook  # noqa: E402
from xlcredit.workbook.templates import build_template  # noqa: E402


def _buyer(book: Path) -> str:
    """An overdue buyer with between 6 and 12 open items, one of them disputed (a full page)."""
    with FileWorkbook.open(book, read_only=True) as wb:
        lines = statement_lines_of(_open(wb))
    per = lines.groupby("buyer_id").agg(n=("invoice_no", "size"), disputed=("disputed", "any"),
                                        overdue=("days_overdue", "count"))
    fit = per[(per["n"].between(6, 12)) & per["disputed"] & (per["overdue"] > 0)]
    return str(fit.index[0])


def run() -> None:
    folder = Path(tempfile.mkdtemp(prefix="xlcredit-statements-"))
    for lang, tag in (("en", "en"), ("zh-CN", "zh")):
        book = build_template(folder / f"demo_{tag}.xlsx", lang=lang, sample=DEMO_BUYERS)
        buyer = _buyer(book)
        out = folder / tag
        assert main(["statements", str(book), "--out", str(out), "--buyers", buyer]) == 0
        pdf = next(out.glob("*.pdf"))
        target = ROOT / "docs" / "img" / f"statement_{tag}"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(target)], check=True)
        print(f"{target}.png: buyer {buyer}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    run()
