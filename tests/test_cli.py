"""The ``xlcredit`` command: help for every command, one-line errors with exit codes, and
the main jobs end to end (sqlite-utils' tests/test_cli.py manner)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from xlcredit.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["new", "import", "refresh", "demo", "addin", "statements", "letters", "upgrade", "combine"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "xlcredit", command, "--help"], capture_output=True, text=True
    )
    assert completed.returncode == 0
    assert f"usage: xlcredit {command}" in completed.stdout
    assert f"xlcredit {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_parser_lists_exactly_the_documented_commands() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)  # type: ignore[arg-type]


def test_missing_workbook_is_one_line_with_a_fix(tmp_path: Path) -> None:
    code, _, err = run("refresh", str(tmp_path / "nope.xlsx"))
    assert code == 5
    assert err.count("\n") == 1
    assert err.startswith("xlcredit: error: ") and "xlcredit new" in err


@pytest.mark.parametrize("name", ["buyers.csv", "old.xls", "calc.ods"])
def test_wrong_kind_of_file_says_save_as_xlsx(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"a,b\n1,2\n")
    code, _, err = run("refresh", str(path))
    assert code == 5
    assert err.count("\n") == 1 and ".xlsx" in err and name in err


def test_bad_as_of_date_names_the_option() -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["refresh", "x.xlsx", "--as-of", "30/11/2026"])
    assert stop.value.code == 2


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    assert run("new", str(path))[0] == 0
    before = path.read_bytes()
    code, _, err = run("new", str(path))
    assert code == 5 and "--force" in err
    assert path.read_bytes() == before


def test_refresh_to_output_leaves_the_original_untouched(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    assert run("new", str(path), "--sample", "30")[0] == 0
    before = path.read_bytes()
    out_path = tmp_path / "refreshed.xlsx"
    code, out, err = run("refresh", str(path), "--output", str(out_path), "--as-of", "2026-11-30")
    assert code == 0, err
    assert path.read_bytes() == before
    assert out_path.exists() and out.startswith(f"Refreshed {out_path}")


def test_demo_writes_and_refreshes_a_sample(tmp_path: Path) -> None:
    code, out, err = run("demo", str(tmp_path), "--buyers", "40")
    assert code == 0, err
    assert (tmp_path / "credit_control_demo.xlsx").exists()
    assert "Refreshed" in out
