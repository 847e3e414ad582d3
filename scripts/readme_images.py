"""Regenerate the README screenshots in docs/img/ (run with the venv's Python).

Builds the English and Chinese demo workbooks (200 sample buyers), refreshes them headless,
and renders Buyers, Dashboard, Aging and Collections with LibreOffice through
``scripts/render_sheets.py`` (run by the system Python, which has ``uno``).

    .venv/bin/python scripts/readme_images.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A Python with LibreOffice's ``uno`` module (Debian: python3-uno).
_SYSTEM_PYTHON = os.environ.get("XLCREDIT_UNO_PYTHON", "/usr/bin/python3")
sys.path.insert(0, str(ROOT))

from xlcredit.macros import refresh_all  # noqa: E402
from xlcredit.workbook.files import FileWorkbook  # noqa: E402
from xlcredit.workbook.schema import BUYERS, SHEET_NAMES  # noqa: E402
from xlcredit.workbook.sheet_xml import col_letters  # noqa: E402
from xlcredit.workbook.templates import build_template  # noqa: E402

#: Columns of the Buyers sheet hidden in the screenshot (inputs, and some outputs).
_SHOWN = {"buyer_id", "name", "exposure", "overdue", "score", "band", "grade", "pd", "reasons",
          "recommended_limit", "decision", "approval_level", "utilisation", "over_limit",
          "score_change", "action"}


def _hidden() -> str:
    return "+".join(col_letters(i + 1) for i, c in enumerate(BUYERS.columns) if c.name not in _SHOWN)


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="xlcredit-img-"))
    last = col_letters(len(BUYERS.columns))
    for lang, suffix in (("en", "en"), ("zh-CN", "zh")):
        book = build_template(work / f"demo_{suffix}.xlsx", lang=lang, sample=200)
        with FileWorkbook.open(book) as wb:
            refresh_all(wb)
            wb.save()
        names = {role: SHEET_NAMES[role][lang] for role in ("buyers", "dashboard", "aging", "collections")}
        specs = [f"{names['buyers']}:28:{last}:{_hidden()}", f"{names['dashboard']}:44:N",
                 f"{names['aging']}:28:AD", f"{names['collections']}:28:S"]
        subprocess.run([_SYSTEM_PYTHON, str(ROOT / "scripts" / "render_sheets.py"), str(book), str(work),
                        suffix, *specs], check=True)
        sheets = FileWorkbook.open(book, read_only=True)
        try:
            order = sheets.sheet_names()
        finally:
            sheets.close()
        for role, name in names.items():
            target = out / f"{role}_{suffix}.png"
            shutil.copy(work / f"{suffix}-{order.index(name)}.png", target)
            _trim(target)
            print(target)


def _trim(path: Path, margin: int = 12) -> None:
    """Crop the white page margins LibreOffice leaves around a sheet."""
    from PIL import Image, ImageChops

    image = Image.open(path).convert("RGB")
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if box:
        left, top, right, bottom = box
        image = image.crop((max(left - margin, 0), max(top - margin, 0),
                            min(right + margin, image.width), min(bottom + margin, image.height)))
    image.save(path, optimize=True)


if __name__ == "__main__":
    main()
