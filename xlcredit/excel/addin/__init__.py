"""The Excel add-in ``workbooks/xlcredit.xlam``: build, install, diagnose.

``xlcredit addin build|install|doctor`` is routed to :func:`cli_main`; the same work is
available as :func:`build`, :func:`install` and :func:`doctor`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from xlcredit.excel.addin.build import build
from xlcredit.excel.addin.doctor import doctor
from xlcredit.excel.addin.install import install

__all__ = ["build", "cli_main", "doctor", "install"]


def cli_main(argv: Sequence[str] | None = None) -> int:
    """Run ``xlcredit addin ...`` with ``argv`` (the words after ``addin``); return the
    exit code.

    >>> import tempfile
    >>> cli_main(["build", "--output", str(Path(tempfile.mkdtemp()) / "xlcredit.xlam")])
    wrote ...xlcredit.xlam
    0
    """
    parser = argparse.ArgumentParser(
        prog="xlcredit addin",
        description="Build, install or diagnose the xlcredit Excel add-in.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="build workbooks/xlcredit.xlam from the sources")
    p_build.add_argument("--output", "-o", type=Path, default=None,
                         help="where to write the add-in (default: workbooks/xlcredit.xlam "
                         "in a checkout, else ./xlcredit.xlam)")
    p_install = sub.add_parser("install", help="install the add-in for this Windows user")
    p_install.add_argument("--uninstall", action="store_true",
                           help="remove the add-in, its configuration and its registration")
    sub.add_parser("doctor", help="check the installation and explain problems")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "build":
        path = build(args.output)
        print(f"wrote {path}")
        return 0
    if args.command == "install":
        return install(uninstall=args.uninstall)
    return doctor()
