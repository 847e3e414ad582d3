"""The rules of the house that code review alone would let slip (DESIGN.md section 2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = sorted(p.stem for p in (ROOT / "xlcredit" / "engine").glob("*.py"))
FORBIDDEN_IN_ENGINE = {"xlwings", "openpyxl", "xlsxwriter", "lxml", "python_calamine"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", ENGINE)
def test_engine_imports_neither_excel_library(module: str) -> None:
    imported = _imported_modules(ROOT / "xlcredit" / "engine" / f"{module}.py")
    assert not imported & FORBIDDEN_IN_ENGINE, (module, imported & FORBIDDEN_IN_ENGINE)


def _full_imports(path: Path) -> set[str]:
    """Dotted names of every module a file imports (absolute imports, at any depth)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_engine_package_imports_nothing_from_the_other_layers() -> None:
    # issue 9: aging, collections and scoring imported xlcredit.workbook.excel_values
    outer = ("xlcredit.workbook", "xlcredit.macros", "xlcredit.excel", "xlcredit.cli", "xlcredit_udfs")
    for path in sorted((ROOT / "xlcredit" / "engine").rglob("*.py")):
        bad = {m for m in _full_imports(path) if m.startswith(outer)}
        assert not bad, (path.name, bad)


def test_every_excel_function_is_reexported_by_the_udf_module() -> None:
    import xlcredit_udfs

    declared: set[str] = set()
    for path in (ROOT / "xlcredit" / "excel" / "udf").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.isupper():
                declared.add(node.name)
    assert declared, "no Excel function found"
    assert declared == set(xlcredit_udfs.__all__)


def test_the_package_imports_no_network_library() -> None:
    network = {"socket", "urllib", "http", "requests", "httpx", "ftplib", "smtplib", "aiohttp"}
    for path in (ROOT / "xlcredit").rglob("*.py"):
        assert not _imported_modules(path) & network, path
