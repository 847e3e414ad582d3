"""What every Excel function does at its edge: shape the answer for a cell or a spill,
and turn failures into a readable error string instead of a traceback or a blank.

Excel shows a returned NaN as an empty cell, so an unknown result must be returned as
text that says why (DESIGN.md section 4).

The text is in the language of the call: the function's ``language`` argument where it has
one, else the add-in's language setting (:mod:`xlcredit.excel.udf.settings`), else English.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from xlcredit.engine.errors import InputError, XlCreditError, describe
from xlcredit.engine.policy import LANGUAGES, language_code
from xlcredit.excel.udf.settings import addin_language
from xlcredit.messages import Message, text
from xlcredit.messages.ambient import ambient_language
from xlcredit.workbook.excel_values import as_column, cell_error, excel_error

_F = TypeVar("_F", bound=Callable[..., Any])

Cell = float | str | bool | None

#: The language of the function call running now (set by :func:`guard`).
_LANGUAGE: ContextVar[str] = ContextVar("xlcredit_function_language", default="en")


def call_language() -> str:
    """The language the running function answers in (``"en"`` outside a call)."""
    return _LANGUAGE.get()


def say(key: str, **fields: Any) -> str:
    """A catalogue text in the running call's language."""
    return text(key, _LANGUAGE.get(), **fields)


def _language_of_call(names: list[str], args: tuple[Any, ...]) -> str:
    """The function's ``language`` argument when given and valid, else the add-in's setting."""
    if "language" in names and names.index("language") < len(args):
        try:
            code = language_of(args[names.index("language")])
        except XlCreditError:
            code = None  # the function itself reports the bad argument
        if code is not None:
            return code
    return ambient_language() or addin_language()


def _error_in(name: str, value: Any) -> str | None:
    """An explicit error when ``value`` (one argument) is or holds an Excel error cell."""
    kind = cell_error(value)
    if kind is not None:
        return excel_error(say("func.error_cell", name=name, kind=kind), kind)
    if isinstance(value, list | tuple):
        cells = [c for row in value for c in (row if isinstance(row, list | tuple) else [row])]
        for position, item in enumerate(cells, start=1):
            kind = cell_error(item)
            if kind is not None:
                return excel_error(say("func.error_in_range", name=name, position=position, kind=kind), kind)
    return None


def guard(func: _F) -> _F:
    """Return ``#VALUE! <message>`` for a named xlcredit error and a short internal-error
    note for anything else, so no Excel user ever sees a Python traceback.

    An Excel error cell among the arguments (#N/A, #REF!, ...) is never taken as "not
    known": the answer is that error, naming the argument and the cell of the range (the
    declarations pass error cells as text with xlwings' ``err_to_str=True``).

    Apply it below the xlwings decorators (``inspect.signature`` follows ``__wrapped__``,
    so xlwings still sees the real arguments).

    >>> @guard
    ... def F(x):
    ...     raise XlCreditError("x must be > 0; got -1")
    >>> F(-1)
    '#VALUE! x must be > 0; got -1'
    >>> F([[1.0], ["#REF!"]])
    '#REF! x: cell 2 of the range holds the Excel error #REF!; fix that cell, or clear it when the value is not known.'
    """
    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        # read at call time: a declaration may give the wrapper its signature (TRADESCORE)
        names = list(inspect.signature(wrapper).parameters)
        token = _LANGUAGE.set(_language_of_call(names, args))
        try:
            for name, value in zip(names, args, strict=False):
                problem = _error_in(name, value)
                if problem is not None:
                    return problem
            try:
                return func(*args)
            except XlCreditError as exc:
                return excel_error(exc.render(_LANGUAGE.get()))
            except Exception as exc:  # the last line of defence at the Excel edge
                return excel_error(say("func.internal", name=func.__name__, kind=type(exc).__name__, detail=exc))
        finally:
            _LANGUAGE.reset(token)

    return wrapper  # type: ignore[return-value]


def cell(value: Any, problem: str | Message | None = None, unknown: str | Message | None = None) -> Cell:
    """One cell's value: the problem if any, ``#N/A <why>`` for NaN, else a plain number.

    A problem or reason that is a catalogue :class:`~xlcredit.messages.Message` is said in the
    running call's language; ``unknown`` defaults to "not enough data".

    >>> cell(1.5), cell(float("nan")), cell(2.0, "x must be > 0; got -1")
    (1.5, '#N/A not enough data', '#VALUE! x must be > 0; got -1')
    """
    if isinstance(problem, Message):
        problem = problem.render(_LANGUAGE.get())
    if unknown is None:
        unknown = say("func.not_enough_data")
    elif isinstance(unknown, Message):
        unknown = unknown.render(_LANGUAGE.get())
    if problem is not None:
        return excel_error(problem)
    if value is None:
        return excel_error(unknown, "#N/A")
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return excel_error(unknown, "#N/A")
        return float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value  # type: ignore[no-any-return]


def column(
    values: npt.ArrayLike | Sequence[Any],
    problems: Sequence[str | Message | None] | npt.NDArray[np.object_] | None = None,
    unknown: str | Message | None = None,
) -> Cell | list[list[Cell]]:
    """A single value for a single row, else a column (list of one-item rows) that spills.

    >>> column([3.0])
    3.0
    >>> column([1.0, float("nan")], [None, None])
    [[1.0], ['#N/A not enough data']]
    """
    items = list(np.asarray(values, dtype=object).ravel()) if not isinstance(values, list) else values
    probs = list(problems) if problems is not None else [None] * len(items)
    cells = [cell(v, p, unknown) for v, p in zip(items, probs, strict=True)]
    if len(cells) == 1:
        return cells[0]
    return [[c] for c in cells]


def rows(table: Sequence[Sequence[Any]], unknown: str | Message | None = None) -> list[list[Cell]]:
    """A 2-D block (rows of cells) with NaN replaced by ``#N/A`` text.

    >>> rows([[1.0, "A"], [float("nan"), "B"]])
    [[1.0, 'A'], ['#N/A not enough data', 'B']]
    """
    return [[cell(v, None, unknown) for v in row] for row in table]


def language_of(value: Any) -> str | None:
    """The optional ``language`` argument of a function: None when blank (the policy's
    language), else "en" or "zh-CN" (zh, cn, 中文, 简体中文 and English are understood).

    >>> language_of(None), language_of(" ZH "), language_of(["简体中文"])
    (None, 'zh-CN', 'zh-CN')
    >>> language_of("fr")
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.InputError: language must be one of en, zh-CN; got 'fr'.
    """
    if isinstance(value, list):
        items = as_column(value, "language")
        if len(items) != 1:
            raise InputError(Message("func.single_cell_n", {"name": "language", "n": len(items)}))
        value = items[0]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code = language_code(str(value))
    if code is None:
        raise InputError(Message("func.choice", {"name": "language", "choices": ", ".join(LANGUAGES),
                                                  "value": describe(value)}))
    return code
