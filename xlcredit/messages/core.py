"""The message catalogue: every user-facing text, in English and Simplified Chinese.

A text is looked up by key (``"area.name"``) and formatted with named fields. Each area
of the product keeps its texts in its own module of this package (``sheet.py``, ...),
listed in :data:`AREAS`; this module gathers them once and refuses a key defined twice.

Texts that travel before their language is known (an engine error raised deep in a
computation, a problem found while reading) are :class:`Message` objects: the key and the
fields, rendered at the edge (Problems sheet, command line, Excel function, ribbon) in the
language that edge follows.

>>> text("sheet.total", "en"), text("sheet.total", "zh-CN")
('Total', '合计')
>>> m = Message("sheet.as_of", {"date": "2026-12-31", "ccy": "EUR"})
>>> m.render("zh-CN")
'截至 2026-12-31；金额单位：EUR'
>>> str(m)
'As of 2026-12-31; amounts in EUR'
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

#: The languages every key has, in the order of the pairs in the area modules.
LANGUAGES = ("en", "zh-CN")

#: The modules of this package that hold texts; each defines ``TEXTS: dict[str, tuple[str, str]]``
#: mapping a key of its own area (``"<area>.<name>"``) to its English and Chinese text.
AREAS = (
    "sheet",
    "hold",
    "reading",
    "table",
    "ledger",
    "policy",
    "refresh",
    "setting",
    "decision",
    "scorecard",
    "collections",
    "file",
    "receivables",
    "statement",
    "importer",
    "limits",
    "aging",
    "provision",
    "letters",
    "upgrade",
    "shared",
    "group",
    "month_end",
    "teams",
    "cli",
    "func",
    "ribbon",
    "template",
    "plans",
    "late",
    "values",
)

_ZH_SPELLINGS = {"zh", "zh-cn", "zh_cn", "zh-hans", "cn", "chinese", "中文", "简体中文"}


def language_of(value: object) -> str:
    """The catalogue language a setting, option or argument asks for (``en`` by default).

    >>> language_of("zh"), language_of("ZH_CN"), language_of(None), language_of("en-GB")
    ('zh-CN', 'zh-CN', 'en', 'en')
    """
    if isinstance(value, str) and value.strip().lower() in _ZH_SPELLINGS:
        return "zh-CN"
    return "en"


def _gather() -> dict[str, tuple[str, str]]:
    texts: dict[str, tuple[str, str]] = {}
    for area in AREAS:
        module = importlib.import_module(f"{__package__}.{area}")
        for key, pair in module.TEXTS.items():
            if not key.startswith(area + "."):
                raise ValueError(f"catalogue key {key!r} is not in its area {area!r}")
            if key in texts:
                raise ValueError(f"catalogue key {key!r} is defined twice")
            texts[key] = pair
    return texts


_TEXTS: dict[str, tuple[str, str]] | None = None


def catalogue() -> Mapping[str, tuple[str, str]]:
    """Every key with its (English, Chinese) pair."""
    global _TEXTS
    if _TEXTS is None:
        _TEXTS = _gather()
    return _TEXTS


def slug(name: str) -> str:
    """The key part naming a value such as "broken promise" or "disputed - on hold".

    >>> slug("disputed - on hold")
    'disputed_on_hold'
    """
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def labels(prefix: str, names: Iterable[str], language: str) -> dict[str, str]:
    """The label of each of ``names`` (``"<prefix>.<slug>"`` keys) in ``language``; "" stays "".

    >>> labels("sheet", ["total"], "zh-CN")
    {'total': '合计'}
    """
    return {n: text(f"{prefix}.{slug(n)}", language) if n else "" for n in names}


def pair(key: str) -> tuple[str, str]:
    """The (English, Chinese) templates of ``key``, for tables that keep both languages side
    by side (a decision's label, a scorecard factor's name).

    >>> pair("sheet.total")
    ('Total', '合计')
    """
    return catalogue()[key]


def text(key: str, language: str, /, **fields: Any) -> str:
    """The text of ``key`` in ``language`` (``"en"`` or ``"zh-CN"``), formatted with ``fields``.

    Fields that are :class:`Message` or :class:`Field` objects are rendered in the same language.
    """
    en, zh = catalogue()[key]
    template = zh if language_of(language) == "zh-CN" else en
    if not fields:
        return template
    values = {k: (v.render(language) if isinstance(v, (Message, Field)) else v) for k, v in fields.items()}
    return template.format(**values)


class Field(str):
    """A column or argument named in a message: its header in each language, chosen at render.

    ``headers`` is (English, Chinese) as the workbook shows them (the sheet's own header when it
    has one); without them the name itself (a DataFrame column of the engine's API, an Excel
    function's argument). As a ``str`` it is the English header.

    >>> f = Field("late_share", ("Late share", "逾期付款比例"))
    >>> text("reading.above_max", "zh-CN", name=f, bound=1, value=1.5)
    '逾期付款比例 必须 ≤ 1，实际为 1.5'
    >>> f == "Late share", Field("x").render("zh-CN")
    (True, 'x')
    """

    name: str
    headers: tuple[str, str] | None

    def __new__(cls, name: str, headers: tuple[str, str] | None = None) -> Field:
        self = super().__new__(cls, headers[0] if headers else name)
        self.name = name
        self.headers = headers
        return self

    def __getnewargs__(self) -> tuple[str, tuple[str, str] | None]:  # type: ignore[override]
        return (self.name, self.headers)

    def render(self, language: str) -> str:
        if self.headers is None:
            return self.name
        return self.headers[1] if language_of(language) == "zh-CN" else self.headers[0]


class Message(str):
    """A catalogue key with its fields, rendered later in the language of where it is shown.

    It is the English text as a ``str`` (so code and logs that expect text keep working) and
    keeps its key and fields to render in Chinese where the workbook is Chinese.

    >>> m = Message("sheet.no_fx", {"ccy": "USD"})
    >>> m.key, m == str(m), m.render("zh-CN")[:6]
    ('sheet.no_fx', True, '汇率表中没有')
    """

    key: str
    fields: Mapping[str, Any]

    def __new__(cls, key: str, fields: Mapping[str, Any] | None = None) -> Message:
        if key not in catalogue():
            raise KeyError(f"no catalogue entry {key!r}")
        values = dict(fields or {})
        self = super().__new__(cls, text(key, "en", **values))
        self.key = key
        self.fields = values
        return self

    def __getnewargs__(self) -> tuple[str, Mapping[str, Any]]:  # type: ignore[override]
        return (self.key, self.fields)

    def render(self, language: str) -> str:
        return text(self.key, language, **self.fields)


def render(value: T, language: str) -> T | str:
    """``value`` in ``language`` when it is a :class:`Message` or a :class:`Field`, else itself.

    >>> render(Message("sheet.total"), "zh-CN"), render(3, "zh-CN")
    ('合计', 3)
    """
    if isinstance(value, (Message, Field)):
        return value.render(language)
    return value
