"""One team policy for several workbooks: which setting comes from where.

A head office keeps the team's credit policy in one place (a team policy workbook or a JSON
file on a shared drive); each team's workbook names it on its Policy sheet
(``team.source``). At refresh the team policy applies, except for

- the settings that always belong to the workbook (:data:`LOCAL_ONLY`: its language, as-of
  date, how its typed text is read, and the team settings that point at the source), and
- the settings the workbook keeps as its own (``team.local_settings``), when the team
  policy allows local settings (``team.allow_local``); when it does not, the team value
  wins and the refusal is reported.

This module decides that, once, for refresh, the Dashboard and ``xlcredit policy check``.
It reads no file: the caller gives both policies.

Which rounding applies when the team rounds to 5,000 and a workbook keeps its own 1,000?

>>> team = Policy.from_dict({"limits": {"round_to": 5000}, "team": {"name": "Group", "version": "7"}})
>>> book = Policy.from_dict({"limits": {"round_to": 1000}, "language": "zh-CN",
...                          "team": {"source": "team.json", "local_settings": "limits.round_to"}})
>>> applied = apply_team_policy(team, book)
>>> applied.policy.limits.round_to, applied.policy.language, applied.kept[0].setting
(1000.0, 'zh-CN', 'limits.round_to')

And when the team allows no local settings?

>>> strict = team.with_overrides({"team": {"allow_local": False}})
>>> r = apply_team_policy(strict, book)
>>> r.policy.limits.round_to, [k.setting for k in r.refused]
(5000.0, ['limits.round_to'])
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from xlcredit.engine.errors import PolicyError
from xlcredit.engine.policy import Policy
from xlcredit.messages import Message

__all__ = [
    "LOCAL_ONLY",
    "TEAM_ONLY",
    "LocalSetting",
    "TeamApplied",
    "apply_team_policy",
    "fingerprint",
    "policy_differences",
    "setting_paths",
]

#: Settings that always belong to the workbook, never taken from the team policy.
LOCAL_ONLY: tuple[str, ...] = ("language", "as_of", "input.decimal", "input.date_order",
                               "team.source", "team.local_settings")
#: Settings only the team policy sets (a workbook cannot keep its own).
TEAM_ONLY: tuple[str, ...] = ("team.name", "team.version", "team.allow_local")


def setting_paths(policy: Policy) -> dict[str, Any]:
    """Every setting of ``policy`` by dotted name, lists (bands, the dunning ladder, FX
    rates...) as one value each: what a workbook can keep and what ``policy check`` compares.

    >>> paths = setting_paths(Policy())
    >>> paths["limits.round_to"], paths["fx_rates"]
    (1000.0, [['EUR', 1.0]])
    """
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        else:
            flat[prefix] = value

    walk("", policy.to_dict())
    return flat


def fingerprint(policy: Policy) -> str:
    """A short fingerprint of what a team policy sets (not the workbook's own settings): it
    changes whenever any team setting changes, even when nobody raised ``team.version``.

    >>> fingerprint(Policy()) == fingerprint(Policy(language="zh-CN"))
    True
    >>> fingerprint(Policy()) == fingerprint(Policy.from_dict({"limits": {"round_to": 5000}}))
    False
    """
    paths = {k: v for k, v in setting_paths(policy).items() if k not in LOCAL_ONLY}
    text = json.dumps(paths, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class LocalSetting:
    """A setting a workbook keeps as its own: its value there and the team's."""

    setting: str
    local: Any
    team: Any


@dataclass(frozen=True)
class TeamApplied:
    """The policy a workbook runs on, and what it kept over the team policy."""

    policy: Policy
    #: Local settings applied (the team allows them).
    kept: tuple[LocalSetting, ...]
    #: Local settings the team policy refused (``team.allow_local`` is FALSE): team value used.
    refused: tuple[LocalSetting, ...]
    #: Names in ``team.local_settings`` that could not be kept, with why.
    problems: tuple[Message, ...]


def apply_team_policy(team: Policy, local: Policy) -> TeamApplied:
    """The team policy with the workbook's own settings on top (see the module's text).

    Parameters
    ----------
    team : Policy
        The team policy as read from its source (or the workbook's last copy of it).
    local : Policy
        The workbook's own Policy sheet.

    Returns
    -------
    TeamApplied
    """
    ours = setting_paths(local)
    theirs = setting_paths(team)
    kept: list[LocalSetting] = []
    refused: list[LocalSetting] = []
    problems: list[Message] = []
    for name in local.team.local_names():
        if name in LOCAL_ONLY:
            continue  # always the workbook's: nothing to keep
        if name in TEAM_ONLY:
            problems.append(Message("teams.local_team_only", {"setting": name}))
            continue
        if name not in ours:
            problems.append(Message("teams.local_unknown", {"setting": name}))
            continue
        entry = LocalSetting(name, ours[name], theirs[name])
        if not team.team.allow_local:
            refused.append(entry)
            continue
        kept.append(entry)
    base = Policy.from_settings({path: ours[path] for path in LOCAL_ONLY}, team)
    try:
        policy = Policy.from_settings({k.setting: k.local for k in kept}, base) if kept else base
    except PolicyError as exc:  # the local settings do not fit the team's other settings
        names = ", ".join(k.setting for k in kept)
        problems.append(Message("teams.local_misfit", {"settings": names, "error": str(exc)}))
        policy, refused, kept = base, [*refused, *kept], []
    return TeamApplied(policy, tuple(kept), tuple(refused), tuple(problems))


def policy_differences(team: Policy, book: Policy) -> list[LocalSetting]:
    """The settings where a workbook's policy differs from the team's, in setting order;
    the workbook's own settings (:data:`LOCAL_ONLY`) and the team's name, version and rule
    on local settings are left out.

    >>> diff = policy_differences(Policy(), Policy.from_dict({"limits": {"round_to": 5000}, "language": "zh-CN"}))
    >>> [(d.setting, d.local, d.team) for d in diff]
    [('limits.round_to', 5000.0, 1000.0)]
    """
    ours = setting_paths(book)
    theirs = setting_paths(team)
    skip = set(LOCAL_ONLY) | set(TEAM_ONLY)

    def same(key: str, a: Any, b: Any) -> bool:
        if key == "fx_rates":  # a table of rates: the order of its rows means nothing
            return sorted(map(tuple, a)) == sorted(map(tuple, b))
        return bool(a == b)

    return [LocalSetting(k, ours.get(k), v) for k, v in theirs.items()
            if k not in skip and not same(k, ours.get(k), v)]
