"""Issue 13, 11: an Excel error cell (#N/A, #REF!, ...) fed to a function must give an
explicit error naming the argument, never count as "not known" and silently move a score.

What happens in Excel (xlwings 0.37.8, ``xlwings.udfs.call_udf``): pywin32 hands an error
cell over as its HRESULT, an int (#N/A is -2146826246); xlwings reads every argument through
its conversion pipeline with the options the declaration gave it, and on Windows
``_clean_value_data_element`` turns the int into ``None`` or, with ``err_to_str=True``, into
the text "#N/A". These tests run that path with the installed xlwings: the real UDF
decorators (as ``xlcredit addin build`` does) and the real Windows cleaning function,
compiled from ``xlwings/_xlwindows.py`` (the module itself imports only on Windows).
"""

from __future__ import annotations

import ast
import datetime as dt
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xlcredit.excel.addin.wrappers import _windows_decorators

HRESULT = {"#N/A": -2146826246, "#REF!": -2146826265, "#DIV/0!": -2146826281}  # xlwings cell_errors
SPILL = -2146828288 + 2045  # xlErrSpill 2045 as an HRESULT: not in xlwings' table
MISSING = -2147352572  # an optional argument left out (udfs.call_udf)
FINANCIALS = [1_000_000.0, 600_000.0, 400_000.0, 250_000.0, 150_000.0, 90_000.0, 1_500_000.0]


def _windows_clean() -> Any:
    import xlwings

    source = Path(xlwings.__file__).with_name("_xlwindows.py").read_text(encoding="utf-8")
    keep = [
        node for node in ast.parse(source).body
        if (isinstance(node, ast.FunctionDef) and node.name == "_clean_value_data_element")
        or (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "cell_errors" for t in node.targets))
    ]  # fmt: skip
    assert len(keep) == 2, "xlwings/_xlwindows.py changed: recheck how error cells arrive"
    space: dict[str, Any] = {"time_types": (dt.date, dt.datetime), "_com_time_to_datetime": None}
    exec(compile(ast.Module(body=keep, type_ignores=[]), "xlwings/_xlwindows.py", "exec"), space)
    assert space["cell_errors"][HRESULT["#N/A"]] == "#N/A"
    element = space["_clean_value_data_element"]

    def clean_value_data(data: Any, dates: Any, empty: Any, numbers: Any, err_to_str: Any) -> Any:
        return [[element(c, dates, empty, numbers, err_to_str) for c in row] for row in data]

    return clean_value_data


@pytest.fixture(scope="module")
def declared() -> Iterator[types.ModuleType]:
    with _windows_decorators("xlcredit_udfs") as module:
        yield module


def excel_call(func: Any, *raw: Any) -> Any:
    """Call ``func`` the way xlwings' UDF server does with the raw COM values ``raw``."""
    from xlwings.conversion import accessors
    from xlwings.conversion.framework import ConversionContext

    clean = _windows_clean()
    info = func.__xlfunc__["args"]
    args = []
    for i, value in enumerate(raw):
        options = info[min(i, len(info) - 1)]["options"]
        if isinstance(value, int) and value == MISSING:
            args.append(info[i].get("optional"))
            continue
        ctx = ConversionContext.__new__(ConversionContext)
        ctx.range, ctx.value, ctx.source_value, ctx.meta = None, value, value, {}
        ctx.engine = types.SimpleNamespace(impl=types.SimpleNamespace(clean_value_data=clean))
        convert = options.get("convert")
        accessors.get(convert, convert).reader(options)(ctx)  # conversion.read's pipeline
        args.append(ctx.value)
    return func(*args)


def test_every_argument_keeps_error_cells_visible(declared: types.ModuleType) -> None:
    missing = [
        f"{name}({arg['name']})"
        for name in declared.__all__
        for arg in getattr(declared, name).__xlfunc__["args"]
        if arg["options"].get("err_to_str") is not True
    ]
    assert not missing, f"declare these arguments with err_to_str=True: {missing}"


def test_a_good_call_still_scores(declared: types.ModuleType) -> None:
    score = excel_call(declared.TRADESCORE, *FINANCIALS)
    assert isinstance(score, float) and 1 <= score <= 100


@pytest.mark.parametrize("error", ["#N/A", "#REF!"])
def test_an_error_cell_gives_an_error_naming_the_argument(declared: types.ModuleType, error: str) -> None:
    raw = list(FINANCIALS)
    raw[0] = HRESULT[error]  # total_assets
    out = excel_call(declared.TRADESCORE, *raw)
    assert isinstance(out, str) and out.startswith(f"{error} total_assets")
    assert f"Excel error {error}" in out


def test_an_error_inside_a_range_names_its_position(declared: types.ModuleType) -> None:
    raw: list[Any] = [((v,), (v,), (v,)) for v in FINANCIALS]
    raw[6] = ((1_500_000.0,), (HRESULT["#REF!"],), (2_000_000.0,))  # revenue of buyer 2
    out = excel_call(declared.TRADESCORE_DETAIL, *raw)
    assert out == (
        "#REF! revenue: cell 2 of the range holds the Excel error #REF!; fix that cell, "
        "or clear it when the value is not known."
    )


def test_an_error_in_an_optional_argument_and_newer_error_kinds(declared: types.ModuleType) -> None:
    out = excel_call(declared.TRADESCORE, *FINANCIALS, MISSING, MISSING, HRESULT["#DIV/0!"])
    assert out.startswith("#DIV/0! late_share")
    out = excel_call(declared.DSO, 212000.0, ((70000.0,), (SPILL,), (100000.0,)), 30.0)
    assert out.startswith("#SPILL! sales: cell 2 of the range")


def test_plain_python_callers_get_the_same_answer() -> None:
    import xlcredit_udfs

    assert xlcredit_udfs.TRADESCORE("#N/A", *FINANCIALS[1:]).startswith("#N/A total_assets")
    assert isinstance(xlcredit_udfs.CREDIT_LIMIT("#N/A not enough data", 80000.0, None, 700000.0), float)
