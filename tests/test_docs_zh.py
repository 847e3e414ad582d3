"""The Chinese documentation (issue 15, item 6): every Excel function has a worked example
in docs/zh-CN/functions.md, and each example's figure is what the function returns.

The examples are table rows ``| `=FUNC(args)` | row,col | result |``; this test reads the
formula the way Excel would hand it to the add-in (numbers, ``6%``, text, ``DATE(y,m,d)``,
array constants ``{a;b}``, blank arguments) and calls the function of the same name.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import xlcredit_udfs

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "docs" / "zh-CN" / "functions.md"
_ROW = re.compile(r"^\|\s*`=([A-Z_]+)\((.*)\)`\s*\|\s*(\d+),(\d+)\s*\|\s*(.+?)\s*\|\s*$")


def _split(text: str) -> list[str]:
    """Split arguments on commas outside quotes, brackets and braces."""
    parts: list[str] = []
    depth, quoted, current = 0, False, ""
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "({":
            depth += 1
        elif not quoted and ch in ")}":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts]


def _value(token: str) -> Any:
    """One argument as xlwings passes it: blank None, numbers float, DATE a datetime."""
    if token == "":
        return None
    if token.startswith('"') and token.endswith('"'):
        return token[1:-1]
    if token.startswith("{") and token.endswith("}"):
        return [_value(t.strip()) for t in token[1:-1].split(";")]
    m = re.fullmatch(r"DATE\((\d+),(\d+),(\d+)\)", token.replace(" ", ""))
    if m:
        return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if token.endswith("%"):
        return float(token[:-1]) / 100
    return float(token)


def _examples() -> list[tuple[str, str, int, int, str]]:
    rows = []
    for line in FUNCTIONS.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            rows.append((m.group(1), m.group(2), int(m.group(3)), int(m.group(4)), m.group(5)))
    return rows


EXAMPLES = _examples()


def test_every_function_has_a_worked_example():
    documented = {name for name, *_ in EXAMPLES}
    missing = sorted(set(xlcredit_udfs.__all__) - documented)
    assert not missing, f"docs/zh-CN/functions.md has no example of {missing}"


@pytest.mark.parametrize(("name", "args", "row", "col", "expected"), EXAMPLES,
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(EXAMPLES)])
def test_example_figure(name: str, args: str, row: int, col: int, expected: str) -> None:
    result = getattr(xlcredit_udfs, name)(*[_value(a) for a in _split(args)])
    if isinstance(result, list):
        rows = [r if isinstance(r, list) else [r] for r in result]
        got = rows[row - 1][col - 1]
    else:
        assert (row, col) == (1, 1)
        got = result
    try:
        want = float(expected.replace(",", ""))
    except ValueError:
        assert got == expected
        return
    assert isinstance(got, (int, float)), f"{name} returned {got!r}"
    decimals = len(expected.split(".")[1]) if "." in expected else 0
    assert got == pytest.approx(want, abs=0.5 * 10**-decimals + 1e-9)


def test_readme_links_the_chinese_readme():
    first = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:3]
    assert any("README.zh-CN.md" in line for line in first)
    zh = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    for page in ("docs/zh-CN/functions.md", "docs/zh-CN/glossary.md", "docs/zh-CN/rules.md"):
        assert page in zh and (ROOT / page).exists()
