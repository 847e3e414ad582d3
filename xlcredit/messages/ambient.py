"""The language an edge answers in when nothing closer decides (no ``language`` argument).

The Excel functions answer in the add-in's language setting; a template being built in
Chinese computes the cached values of its formulas as a Chinese user's Excel would, by
running them inside :func:`answering_in`.

>>> with answering_in("zh-CN"):
...     ambient_language()
'zh-CN'
>>> ambient_language() is None
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_AMBIENT: ContextVar[str | None] = ContextVar("xlcredit_ambient_language", default=None)


@contextlib.contextmanager
def answering_in(language: str) -> Iterator[None]:
    """Within the block, edges without a language of their own answer in ``language``."""
    token = _AMBIENT.set(language)
    try:
        yield
    finally:
        _AMBIENT.reset(token)


def ambient_language() -> str | None:
    """The language set by an enclosing :func:`answering_in`, else None."""
    return _AMBIENT.get()
