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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The languages every key has, in the order of the pairs in the area modules.
LANGUAGES = ("en", "zh-CN")

#: The modules of this package that hold texts; each defines ``TEXTS: dict[str, tuple[str, str]]``
#: mapping a key of its own area (``"<area>.<name>"``) to its English and Chinese text.
AREAS = ("sheet", "hold", "upgrade", "shared", "cli", "func", "ribbon", "template")

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


def text(key: str, language: str, /, **fields: Any) -> str:
    """The text of ``key`` in ``language`` (``"en"`` or ``"zh-CN"``), formatted with ``fields``.

    Fields that are :class:`Message` objects are rendered in the same language.
    """
    en, zh = catalogue()[key]
    template = zh if language_of(language) == "zh-CN" else en
    if not fields:
        return template
    values = {k: (v.render(language) if isinstance(v, Message) else v) for k, v in fields.items()}
    return template.format(**values)


@dataclass(frozen=True)
class Message:
    """A catalogue key with its fields, rendered later in the language of where it is shown."""

    key: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in catalogue():
            raise KeyError(f"no catalogue entry {self.key!r}")

    def render(self, language: str) -> str:
        return text(self.key, language, **self.fields)

    def __str__(self) -> str:
        return self.render("en")
