"""One entry point for setting up and running xlcredit from a checkout, on Linux, macOS
and Windows alike (only the Python standard library is needed to start it).

    python tasks.py demo     # create .venv, install xlcredit, write and refresh a sample workbook
    python tasks.py test     # create .venv, install xlcredit with test extras, lint, type-check, test

Extra arguments after ``test`` go to pytest; after ``demo`` to ``xlcredit demo``.
Set XLCREDIT_VENV to use another environment folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("XLCREDIT_VENV", ROOT / ".venv"))


def _bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT)
    if completed.returncode != 0:
        raise SystemExit(completed.returncode)


def _ensure_venv(extras: str) -> Path:
    python = _bin("python")
    if not python.exists():
        print(f"Creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", f".[{extras}]" if extras else ".")
    return python


def demo(args: list[str]) -> None:
    python = _ensure_venv("")
    _run(python, "-m", "xlcredit", "demo", *args)


def test(args: list[str]) -> None:
    python = _ensure_venv("test")
    _run(python, "-m", "ruff", "check", "xlcredit", "udfs", "tests", "bench", "scripts", "tasks.py")
    _run(python, "-m", "mypy")
    _run(python, "-m", "pytest", *args)


def main() -> None:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        raise SystemExit(2)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
