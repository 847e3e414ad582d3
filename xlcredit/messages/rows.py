"""Catalogue texts filled per row, vectorised: one text per row of a table from one template
and columns of field values (a reason, a note), without a Python loop over the rows.

>>> rows_text("decision.note.expired", "en", date=np.array(["2026-11-01", "2026-12-01"], dtype=object))
array(['override expired on 2026-11-01', 'override expired on 2026-12-01'],
      dtype=object)
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np
import numpy.typing as npt

from xlcredit.messages.core import catalogue, language_of


def fill_rows(template: str, n: int, /, **columns: Any) -> npt.NDArray[np.object_]:
    """``template`` filled with the values of ``columns`` (arrays of ``n``, or one value for all).

    Only plain ``{name}`` fields: the values are written with ``str`` (format them first).

    >>> fill_rows("{a} of {b}", 2, a=np.array([1, 2]), b="3").tolist()
    ['1 of 3', '2 of 3']
    """
    out = np.full(n, "", dtype=object)
    for literal, name, spec, _conv in string.Formatter().parse(template):
        if spec:
            raise ValueError(f"fill_rows takes plain fields; {name}:{spec} in {template!r}")
        if literal:
            out = out + literal
        if name is not None:
            value = columns[name]
            if np.ndim(value) == 0:
                out = out + str(value)
            else:
                out = out + np.asarray(value, dtype=object).astype(str).astype(object)
    return out


def rows_text(key: str, language: str, /, n: int | None = None, **columns: Any) -> npt.NDArray[np.object_]:
    """The text of ``key`` in ``language`` for each row (``n`` rows, else the columns' length)."""
    en, zh = catalogue()[key]
    if n is None:
        n = next(len(v) for v in columns.values() if np.ndim(v))
    return fill_rows(zh if language_of(language) == "zh-CN" else en, n, **columns)
