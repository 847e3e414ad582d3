"""The rules of the house that code review alone would let slip (DESIGN.md section 2): the
layers import each other in one direction only, package by package, every module of each
package (function-level imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xlcredit"

#: Excel and file-format libraries: the engine takes numbers, arrays and DataFrames only.
EXCEL_AND_FILE_FORMATS = {"xlwings", "openpyxl", "xlsxwriter", "lxml", "python_calamine", "defusedxml",
                          "olefile", "oletools", "xlrd", "pyxlsb", "odf", "zipfile", "xml", "csv"}
#: The Excel side: function declarations, add-in builder, and the UDF module Excel loads.
EXCEL_SIDE = ("xlcredit.excel", "xlcredit_udfs")

#: Imports across layers that are known and on their way out, each with who removes it.
#: The test fails on any other, and on an allowance that is no longer used.
ALLOWED: set[tuple[str, str]] = {
    # the templates cache what each Excel function returns for its cells by calling the
    # function itself; to go when the cached values come from the engine through the edge
    ("xlcredit.workbook.templates", "xlcredit_udfs"),
}


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    """Whether ``dotted`` names a module or package of this checkout (not a function in one)."""
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _imports(path: Path, module: str) -> set[str]:
    """Every module that ``path`` (the module named ``module``) imports, function-level
    imports included, as absolute dotted names (relative imports resolved; in ``from P
    import x`` the module P.x when x is a module, else P)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            parent = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                child = f"{parent}.{alias.name}"
                names.add(child if _is_module(child) else parent)
    return names


def _package_imports(package: str) -> dict[str, set[str]]:
    folder = ROOT.joinpath(*package.split("."))
    files = sorted(folder.rglob("*.py"))
    assert files, f"no module found for {package}"
    return {_module_name(p): _imports(p, _module_name(p)) for p in files}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _violations(package: str) -> set[tuple[str, str]]:
    """(module, imported) pairs of ``package`` that break its rule: a module of xlcredit (or
    the UDF module) outside the layers it may use, or an Excel or file-format library."""
    allowed = RULES[package]
    libraries = EXCEL_AND_FILE_FORMATS if package in ("xlcredit.engine", "xlcredit.messages") else set()
    found: set[tuple[str, str]] = set()
    for module, imported in _package_imports(package).items():
        for name in imported:
            if name == "xlcredit" and package in ROOT_MODULE_OK:
                continue
            ours = _within(name, ("xlcredit", *EXCEL_SIDE))
            if (ours and not _within(name, allowed)) or name.split(".")[0] in libraries:
                found.add((module, name))
    return found


# A package may import its own modules and the layers below it; nothing else of xlcredit.
# The message catalogue is the bottom layer: every package may use it; it uses nothing.
RULES: dict[str, tuple[str, ...]] = {
    "xlcredit.messages": ("xlcredit.messages",),
    "xlcredit.engine": ("xlcredit.messages", "xlcredit.engine"),
    "xlcredit.workbook": ("xlcredit.messages", "xlcredit.engine", "xlcredit.workbook"),
    "xlcredit.macros": ("xlcredit.messages", "xlcredit.engine", "xlcredit.workbook", "xlcredit.macros"),
    # the Excel functions: the engine, and the workbook's cell-reading rules only
    "xlcredit.excel.udf": ("xlcredit.messages", "xlcredit.engine", "xlcredit.excel.udf",
                           "xlcredit.workbook.excel_values"),
    # the add-in builder, installer and doctor: anything below the command line but the macros
    "xlcredit.excel": ("xlcredit.messages", "xlcredit.engine", "xlcredit.workbook", "xlcredit.excel",
                       "xlcredit_udfs"),
}
#: The package's root module itself (``from xlcredit import __version__``), by layer.
ROOT_MODULE_OK = {"xlcredit.excel"}


@pytest.mark.parametrize("package", list(RULES))
def test_each_layer_imports_only_the_layers_below_it(package: str) -> None:
    assert sorted(_violations(package) - ALLOWED) == []


def test_every_allowance_is_still_needed() -> None:
    used = set().union(*(_violations(package) for package in RULES))
    stale = sorted(ALLOWED - used)
    assert not stale, f"these imports are gone: remove them from ALLOWED in tests/test_layers.py: {stale}"


def test_the_checker_sees_every_kind_of_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import numpy as np\n"
                     "def f():\n    import openpyxl\n    from xlcredit.workbook import excel_values\n"
                     "from ..macros import run\nfrom . import policy\nfrom .errors import InputError\n",
                     encoding="utf-8")
    assert _imports(probe, "xlcredit.engine.probe") == {
        "numpy", "openpyxl", "xlcredit.workbook.excel_values", "xlcredit.macros.run",
        "xlcredit.engine.policy", "xlcredit.engine.errors"}


def test_every_excel_function_is_reexported_by_the_udf_module() -> None:
    import xlcredit_udfs

    declared: set[str] = set()
    for path in (PACKAGE / "excel" / "udf").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.isupper():
                declared.add(node.name)
    assert declared, "no Excel function found"
    assert declared == set(xlcredit_udfs.__all__)


def test_the_package_imports_no_network_library() -> None:
    network = {"socket", "urllib", "http", "requests", "httpx", "ftplib", "smtplib", "aiohttp"}
    for path in PACKAGE.rglob("*.py"):
        assert not {n.split(".")[0] for n in _imports(path, _module_name(path))} & network, path
