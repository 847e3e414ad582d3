"""Bump the template version after a template change, in one command (issue 16, item 1).

    python scripts/new_template_version.py "tblBuyers: Tax ID column; Decisions sheet"

It raises ``CURRENT_VERSION`` in ``xlcredit/workbook/versions.py`` and records the change
there (one line), rebuilds the templates (``workbooks/credit_control*.xlsx``, which then
carry the new stamp) and writes the new version's fixtures under
``tests/fixtures/templates/vN/``: the templates as shipped and the same with a user's data in
them, what tests/test_upgrade.py upgrades from. The fixtures of earlier versions stay as
they are: they are what users of those versions hold.

Without it, ``tests/test_upgrade.py::test_committed_templates_are_the_current_versions_fixture``
fails on any template change, so no change can ship without a version.

``--fixtures-only`` rewrites the current version's fixtures without bumping (after a change
to the fixture builder itself, never after a template change).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = ROOT / "xlcredit" / "workbook" / "versions.py"


def bump(source: str, change: str) -> tuple[str, int]:
    """The text of versions.py with the version raised by one and ``change`` recorded.

    >>> text = 'CURRENT_VERSION = 1\\n\\nCHANGES: dict[int, str] = {\\n    0: "a",\\n    1: "b",\\n}\\n'
    >>> new, version = bump(text, 'Tax ID column "tax_id"')
    >>> version, new.splitlines()[0], new.splitlines()[-2]
    (2, 'CURRENT_VERSION = 2', '    2: \\'Tax ID column "tax_id"\\',')
    """
    change = " ".join(change.split())
    if not change:
        raise SystemExit("say what changed in the templates, in one line")
    found = re.search(r"^CURRENT_VERSION = (\d+)$", source, re.M)
    if found is None:
        raise SystemExit(f"no CURRENT_VERSION line in {VERSIONS}")
    version = int(found.group(1)) + 1
    source = source[: found.start()] + f"CURRENT_VERSION = {version}" + source[found.end():]
    start = source.index("CHANGES: dict[int, str] = {")
    end = source.index("\n}\n", start)
    return source[:end] + f"\n    {version}: {change!r}," + source[end:], version


def write_fixtures(version: int) -> Path:
    """The shipped templates of ``version`` and the same with a user's data, both languages."""
    sys.path.insert(0, str(ROOT / "tests"))
    from template_fixtures import FIXTURES, LANGS, add_user_data

    from xlcredit.workbook.templates import template_path

    folder = FIXTURES / f"v{version}"
    folder.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        template = folder / f"template.{lang}.xlsx"
        shutil.copyfile(template_path(lang), template)
        add_user_data(template, folder / f"{lang}.xlsx", lang)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("change", nargs="?", default="", help="what changed in the templates, one line")
    parser.add_argument("--fixtures-only", action="store_true",
                        help="rewrite the current version's fixtures; no bump")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # this checkout's xlcredit, whatever is installed
    if args.fixtures_only:
        from xlcredit.workbook.versions import CURRENT_VERSION

        print(f"Fixtures written to {write_fixtures(CURRENT_VERSION)}")
        return 0
    source, version = bump(VERSIONS.read_text(encoding="utf-8"), args.change)
    VERSIONS.write_text(source, encoding="utf-8")
    # fresh interpreters: the templates and fixtures must carry the version just written
    subprocess.run([sys.executable, "-m", "xlcredit.workbook.templates"], check=True, cwd=ROOT)
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--fixtures-only"], check=True, cwd=ROOT)
    print(f"Template version {version}: {args.change}\n"
          "Next: run tests/test_upgrade.py and commit versions.py, workbooks/ and "
          f"tests/fixtures/templates/v{version}/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
