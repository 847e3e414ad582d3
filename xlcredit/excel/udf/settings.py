"""The add-in's own settings, read by the Python side of the Excel functions.

The add-in keeps its settings where xlwings keeps its own: the user configuration file
``%USERPROFILE%\\.xlcredit\\xlcredit.conf`` (written by ``xlcredit addin install``, one
``"KEY","value"`` line per setting, read by VBA's ``Input #``). xlcredit adds one key:

``"LANGUAGE","zh-CN"``
    The language of the Excel functions' error texts and of the labels a function without
    a ``language`` argument spills (PAYMENT_PLAN's header row): ``en`` (default) or
    ``zh-CN``. A function's own ``language`` argument wins over it.

The environment variable ``XLCREDIT_LANGUAGE`` overrides the file (for a server or a test).

>>> conf_value('"INTERPRETER_WIN","C:\\\\py\\\\python.exe"\\n"LANGUAGE","zh-CN"\\n', "language")
'zh-CN'
>>> conf_value('"SHOW CONSOLE","True"', "LANGUAGE") is None
True
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from xlcredit.messages import language_of

__all__ = ["LANGUAGE_KEY", "addin_language", "conf_path", "conf_value", "config_encoding"]

#: The key of the language setting in xlcredit.conf.
LANGUAGE_KEY = "LANGUAGE"

_cache: dict[str, tuple[float, str]] = {}


def config_encoding() -> str:
    """The encoding of the configuration file: VBA's ``Input #`` reads the Windows ANSI
    code page (cp936 on Chinese Windows), as xlwings' own ``config create`` writes it; a
    UTF-8 file would garble an interpreter path under a Chinese user name.

    >>> config_encoding() in ("mbcs", "utf-8")
    True
    """
    return "mbcs" if sys.platform == "win32" else "utf-8"


def conf_path() -> Path:
    """The add-in's user configuration file (the same path ``xlcredit addin install`` writes)."""
    return Path.home() / ".xlcredit" / "xlcredit.conf"


def conf_value(content: str, key: str) -> str | None:
    """The value of ``key`` (case-insensitive) in a configuration file's text, else None."""
    wanted = key.strip().upper()
    for line in content.splitlines():
        parts = [p.strip().strip('"') for p in line.split('","', 1)] if '","' in line else []
        if len(parts) == 2 and parts[0].strip('"').upper() == wanted:
            return parts[1].strip('"')
    return None


def addin_language(path: Path | None = None) -> str:
    """The add-in's language setting: ``"en"`` or ``"zh-CN"`` (English when unset or unreadable).

    Read again only when the file changes (a function may run thousands of times a minute).
    """
    env = os.environ.get("XLCREDIT_LANGUAGE")
    if env:
        return language_of(env)
    path = path or conf_path()
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return "en"
    cached = _cache.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        value = conf_value(path.read_text(encoding=config_encoding(), errors="replace"), LANGUAGE_KEY)
    except OSError:
        return "en"
    language = language_of(value)
    _cache[str(path)] = (stamp, language)
    return language
