"""Reading a team policy: from its source (a team policy workbook or a JSON file), and from
the copy a workbook keeps of the last one it read (the "Team policy" sheet, which refresh
owns).

Both go through the one policy reader: a workbook's Policy sheet tables
(:func:`~xlcredit.workbook.policy_sheet.policy_from_tables`) or
:meth:`~xlcredit.engine.policy.Policy.from_json` for a file ``xlcredit policy export`` wrote.
How a team policy and a workbook's own settings combine is :mod:`xlcredit.engine.team`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from xlcredit.engine.errors import PolicyError, WorkbookError
from xlcredit.engine.policy import Policy
from xlcredit.messages import Message
from xlcredit.workbook.policy_sheet import POLICY_TABLES, policy_from_tables, policy_tables
from xlcredit.workbook.schema import Problem

__all__ = [
    "COPY_TABLES",
    "SOURCE_TABLE",
    "TeamCopy",
    "TeamStatus",
    "apply_team_source",
    "copy_tables",
    "read_team_copy",
    "read_team_source",
    "resolve_source",
]

#: The copy's policy tables, named after the Policy sheet's (table names are workbook-wide).
COPY_TABLES: dict[str, str] = {s.name: "tblTeam" + s.name.removeprefix("tbl") for s in POLICY_TABLES}
#: Where the copy came from and when: one row per item (key, value).
SOURCE_TABLE = "tblTeamSource"
_SOURCE_KEYS = ("source", "read_at")


@dataclass(frozen=True)
class TeamCopy:
    """A team policy as read, with where it came from and when."""

    policy: Policy
    source: str
    read_at: str  # ISO date and time, to the minute
    problems: tuple[Problem, ...] = ()


def resolve_source(source: str, folder: Path | None) -> Path:
    """The file a ``team.source`` names: a relative path is taken from the workbook's folder.

    >>> resolve_source("policy/team.json", Path("/shared/sales")).as_posix()
    '/shared/sales/policy/team.json'
    """
    path = Path(source.strip().strip('"'))
    if not path.is_absolute() and folder is not None:
        path = folder / path
    return path


def read_team_source(source: str, folder: Path | None = None, *, now: dt.datetime | None = None) -> TeamCopy:
    """Read the team policy at ``source`` (``.json``, ``.xlsx`` or ``.xlsm``).

    Raises :class:`WorkbookError` when the file cannot be read (missing, locked, not a
    policy) and :class:`PolicyError` when a JSON file breaks a policy rule. A team policy
    workbook is read as a Policy sheet is: a setting that breaks a rule is listed (sheet
    named ``file: sheet``) and the default used.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "team.json").write_text(Policy.from_dict({"limits": {"round_to": 5000}}).to_json(), "utf-8")
    >>> read_team_source("team.json", folder).policy.limits.round_to
    5000.0
    """
    path = resolve_source(source, folder)
    read_at = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    kind = path.suffix.lower()
    if kind not in (".json", ".xlsx", ".xlsm"):
        raise WorkbookError(Message("teams.source_kind", {"source": source}))
    if not path.is_file():
        raise WorkbookError(Message("teams.not_found", {}))
    if kind == ".json":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise WorkbookError(f"{path.name}: {exc}") from None
        return TeamCopy(Policy.from_json(text), source, read_at)
    from xlcredit.workbook.files import FileWorkbook
    from xlcredit.workbook.policy_sheet import load_policy

    with FileWorkbook.open(path, read_only=True) as book:
        policy, problems = load_policy(book)
    named = tuple(replace(p, sheet=f"{path.name}: {p.sheet}") for p in problems)
    return TeamCopy(policy, source, read_at, named)


def copy_tables(copy: TeamCopy, language: str) -> dict[str, Any]:
    """The tables of the Team policy sheet for ``copy``: the source table (item, value) and
    the team policy's tables under their copy names (see :data:`COPY_TABLES`)."""
    tables: dict[str, Any] = {COPY_TABLES[k]: v for k, v in policy_tables(copy.policy, language).items()}
    return {SOURCE_TABLE: [list(pair) for pair in zip(_SOURCE_KEYS, (copy.source, copy.read_at), strict=True)],
            **tables}


def read_team_copy(workbook: Any) -> TeamCopy | None:
    """The copy of the team policy the workbook holds (None when it has none, or when the
    copy cannot be read: the caller says so)."""
    names = {n.casefold(): n for n in workbook.table_names()}
    if SOURCE_TABLE.casefold() not in names or COPY_TABLES["tblPolicy"].casefold() not in names:
        return None
    meta_raw = workbook.read_table(names[SOURCE_TABLE.casefold()])
    meta = {str(r[0]).strip(): r[1] for r in meta_raw.rows if len(r) >= 2 and r[0] is not None}
    tables: dict[str, tuple[list[Any], list[list[Any]]]] = {}
    header_rows: dict[str, int] = {}
    sheet = meta_raw.sheet
    for original, copied in COPY_TABLES.items():
        if copied.casefold() in names:
            raw = workbook.read_table(names[copied.casefold()])
            tables[original] = (list(raw.header), [list(r) for r in raw.rows])
            header_rows[original] = raw.header_row
    try:
        policy, problems = policy_from_tables(tables, sheet=sheet, header_rows=header_rows)
    except PolicyError:
        return None
    read_at = meta.get("read_at")
    if isinstance(read_at, dt.datetime):
        read_at = read_at.strftime("%Y-%m-%d %H:%M")
    return TeamCopy(policy, str(meta.get("source") or ""), str(read_at or ""), tuple(problems))


@dataclass(frozen=True)
class TeamStatus:
    """Which policy a run applies: the workbook's own (``state`` "own"), the team policy read
    now ("read"), the workbook's last copy of it ("copy"), or the workbook's own because the
    source could not be read and there is no copy ("none")."""

    state: str
    source: str = ""
    copy: TeamCopy | None = None
    applied: Any = None  # xlcredit.engine.team.TeamApplied when a team policy applies


def _folder(workbook: Any) -> Path | None:
    path = getattr(workbook, "path", None)  # the file adapter
    if path is None:
        full = getattr(getattr(workbook, "book", None), "fullname", None)  # live Excel
        path = Path(full) if isinstance(full, str) else None
    return Path(path).parent if path is not None else None


def apply_team_source(workbook: Any, local: Policy) -> tuple[Policy, TeamStatus, list[Problem]]:
    """The policy a refresh of ``workbook`` runs on, given its own Policy sheet (``local``):
    the team policy its ``team.source`` names, with the workbook's own settings on top
    (:func:`xlcredit.engine.team.apply_team_policy`); the last copy when the source cannot
    be read; the workbook's own policy when there is no source. Problems are in the
    workbook's language."""
    from xlcredit.engine.errors import XlCreditError
    from xlcredit.engine.team import apply_team_policy
    from xlcredit.messages import Field, Message
    from xlcredit.workbook.schema import SHEET_NAMES

    source = local.team.source.strip()
    if not source:
        return local, TeamStatus("own"), []
    lang = local.language
    sheet = SHEET_NAMES["policy"][lang if lang == "zh-CN" else "en"]
    problems: list[Problem] = []
    try:
        copy = read_team_source(source, _folder(workbook))
        state = "read"
    except (XlCreditError, OSError) as exc:
        # the rule stays a Message (rendered where it is shown), the reason inside it too
        error = exc.message if isinstance(exc, XlCreditError) else (exc.strerror or str(exc))
        held = read_team_copy(workbook)
        if held is None:
            problems.append(Problem(sheet, None, "team.source", source,
                                    Message("teams.unreachable_none", {"source": source, "error": error})))
            return local, TeamStatus("none", source), problems
        copy, state = held, "copy"
        names = SHEET_NAMES["team_policy"]
        copy_sheet = Field("team_policy", (names["en"], names["zh-CN"]))
        problems.append(Problem(sheet, None, "team.source", source,
                                Message("teams.unreachable_copy", {"source": source, "error": error,
                                                                   "read_at": copy.read_at, "sheet": copy_sheet})))
    problems.extend(copy.problems)
    applied = apply_team_policy(copy.policy, local)
    problems.extend(Problem(sheet, None, "team.local_settings", local.team.local_settings, m)
                    for m in applied.problems)
    problems.extend(Problem(sheet, None, r.setting, _shown(r.local),
                            Message("teams.refused", {"team": _shown(r.team), "local": _shown(r.local)}))
                    for r in applied.refused)
    return applied.policy, TeamStatus(state, source, copy, applied), problems


def _shown(value: Any) -> str:
    """A setting's value as one short text (lists as JSON-like text)."""
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    if isinstance(value, (list, dict)):
        import json

        out = json.dumps(value, ensure_ascii=False)
        return out if len(out) <= 120 else out[:117] + "..."
    return "" if value is None else str(value)
