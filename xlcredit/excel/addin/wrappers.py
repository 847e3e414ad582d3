"""VBA wrappers of the Excel functions, written by xlwings' own generator on any system.

``xlwings.udfs.generate_vba_wrapper`` is what xlwings' "Import Functions" runs inside Excel.
Its module imports the Windows-only ``pythoncom``, ``pywintypes`` and ``win32com``; we stub
them for the duration of the import (DESIGN.md section 4), swap ``xw.func``/``xw.arg``/
``xw.ret`` (no-ops off Windows) for xlwings' real decorators ``xlfunc``/``xlarg``/``xlret``,
import the UDF module afresh so the decorators record their metadata, run the generator,
and put everything back as it was.
"""

from __future__ import annotations

import importlib
import io
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from xlcredit.engine.errors import XlCreditError

__all__ = ["UdfInfo", "generate_wrappers", "udf_metadata"]

_STUBBED = ("pythoncom", "pywintypes", "win32com", "win32com.client")


@dataclass(frozen=True)
class UdfInfo:
    """What Excel needs to know about one function: its name, argument names (in order),
    which are optional, the help text of each argument, its description and category."""

    name: str
    args: tuple[str, ...]
    optional: tuple[bool, ...]
    arg_docs: tuple[str, ...]
    description: str
    category: str
    call_in_wizard: bool
    volatile: bool
    arg_converters: tuple[Any, ...]
    ret_converter: Any


class _Stub(types.ModuleType):
    """A module whose every attribute is a harmless callable (enough for import time)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args, **kwargs: None


@contextmanager
def _windows_decorators(udf_module: str) -> Iterator[types.ModuleType]:
    """Import ``udf_module`` afresh with xlwings' real UDF decorators in place; restore
    ``sys.modules`` and ``xlwings`` afterwards."""
    import xlwings

    saved_modules = dict(sys.modules)
    saved_attrs = {name: getattr(xlwings, name) for name in ("func", "arg", "ret", "sub")}
    had_udfs = hasattr(xlwings, "udfs")
    saved_udfs = getattr(xlwings, "udfs", None)
    try:
        stubbed = []
        for name in _STUBBED:
            if name in sys.modules:
                continue
            try:
                importlib.import_module(name)  # the real pywin32 on Windows
            except ImportError:
                sys.modules[name] = _Stub(name)
                stubbed.append(name)
        if "win32com" in stubbed and "win32com.client" in stubbed:
            sys.modules["win32com"].client = sys.modules["win32com.client"]  # type: ignore[attr-defined]
        udfs = importlib.import_module("xlwings.udfs")
        xlwings.func = udfs.xlfunc  # type: ignore[assignment]
        xlwings.arg = udfs.xlarg  # type: ignore[assignment]
        xlwings.ret = udfs.xlret  # type: ignore[assignment]
        xlwings.sub = udfs.xlsub  # type: ignore[assignment]
        fresh = [
            m
            for m in sys.modules
            if m == udf_module or m.startswith("xlcredit.excel.udf") or m.startswith(udf_module + ".")
        ]
        for m in fresh:
            del sys.modules[m]
        yield importlib.import_module(udf_module)
    finally:
        for name, value in saved_attrs.items():
            setattr(xlwings, name, value)
        if had_udfs:
            setattr(xlwings, "udfs", saved_udfs)  # noqa: B010
        elif hasattr(xlwings, "udfs"):
            delattr(xlwings, "udfs")
        for name in [m for m in sys.modules if m not in saved_modules]:
            del sys.modules[name]
        sys.modules.update(saved_modules)


def _description(doc: str | None, name: str) -> str:
    """The first paragraph of a docstring, on one line, at most 255 characters (Excel's
    limit for MacroOptions texts)."""
    if not doc:
        return f"xlcredit function {name}."
    first = doc.strip().split("\n\n", 1)[0]
    text = " ".join(first.split())
    return text if len(text) <= 255 else text[:254] + "…"


def _exported(module: types.ModuleType) -> list[Any]:
    # the same selection as xlwings' generator: every attribute carrying __xlfunc__
    return [getattr(module, n) for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")]


def _generate(udf_module: str) -> tuple[str, list[UdfInfo]]:
    with _windows_decorators(udf_module) as module:
        import xlwings.udfs as udfs

        book = types.SimpleNamespace(Name="xlcredit.xlam")
        buffer = io.StringIO()
        udfs.generate_vba_wrapper(udf_module, module, buffer, book)
        infos = []
        for func in _exported(module):
            meta = func.__xlfunc__
            args = [a for a in meta["args"] if not a["vba"]]
            infos.append(
                UdfInfo(
                    name=meta["name"],
                    args=tuple(a["name"] for a in args),
                    optional=tuple("optional" in a for a in args),
                    arg_docs=tuple(" ".join(str(a["doc"]).split()) for a in args),
                    description=_description(meta["ret"]["doc"], meta["name"]),
                    category=str(meta["category"]),
                    call_in_wizard=bool(meta["call_in_wizard"]),
                    volatile=bool(meta["volatile"]),
                    arg_converters=tuple(a["options"].get("convert") for a in args),
                    ret_converter=meta["ret"]["options"].get("convert"),
                )
            )
    return buffer.getvalue(), sorted(infos, key=lambda i: i.name)


def generate_wrappers(udf_module: str = "xlcredit_udfs") -> str:
    """VBA source (without the ``Attribute VB_Name`` line) of one wrapper per function of
    ``udf_module``, as xlwings' "Import Functions" would write it.

    Examples
    --------
    Which VBA does Excel run when a cell calls a function of a module?

    >>> vba = generate_wrappers("xlcredit.excel.addin._demo_udfs")
    >>> print(vba.splitlines()[0])
    Function XLCDEMO_DOUBLE(x)
    >>> 'XLPy.CallUDF("xlcredit.excel.addin._demo_udfs", "XLCDEMO_DOUBLE"' in vba
    True
    """
    vba, infos = _generate(udf_module)
    if not infos:
        return "' No xlcredit functions are declared yet.\n"
    return vba


def udf_metadata(udf_module: str = "xlcredit_udfs") -> list[UdfInfo]:
    """The metadata xlwings records for every function of ``udf_module``, sorted by name.

    >>> [(i.name, i.args, i.category) for i in udf_metadata("xlcredit.excel.addin._demo_udfs")]
    [('XLCDEMO_DOUBLE', ('x',), 'xlcredit')]
    """
    try:
        return _generate(udf_module)[1]
    except ImportError as exc:
        raise XlCreditError(f"UDF module {udf_module!r} cannot be imported: {exc}") from exc
