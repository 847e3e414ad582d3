"""The Policy sheet: the credit policy as Excel tables, and back.

``tblPolicy`` holds the single-value settings (dotted keys of :meth:`Policy.settings`, plus
the short lists ``aging.bucket_edges`` and ``score.grade_min_scores`` as comma-separated
text), each with a description in the sheet's language. Lists are tables of their own:
``tblBands``, ``tblLimitRules`` (with the review cycle of each band), ``tblApproval``,
``tblDunning``, ``tblFX`` and ``tblLetters`` (dunning letter texts per step and language). A blank value keeps the default. A value that breaks a rule
becomes a problem on the Problems sheet and the default is used; the run goes on.

What does a team's sheet that sets the base currency and a 5,000 rounding give?

>>> rows = [["base_currency", "CNY", ""], ["limits.round_to", "5,000", ""], ["language", None, ""],
...         ["input.decimal", "point", ""]]
>>> policy, problems = policy_from_tables({"tblPolicy": (["Setting", "Value", "Description"], rows)})
>>> policy.base_currency, policy.limits.round_to, policy.language, problems
('CNY', 5000.0, 'en', [])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.errors import PolicyError, SchemaError
from xlcredit.engine.policy import Policy
from xlcredit.messages import Message, catalogue, labels, text
from xlcredit.workbook.excel_values import to_dates, to_flags, to_numbers, to_text
from xlcredit.workbook.reading import DEFAULT_RULES, LIST_SEPARATOR, ReadingRules
from xlcredit.workbook.schema import (
    APPROVAL,
    BANDS,
    DUNNING,
    FX,
    LETTERS,
    LIMIT_RULES,
    POLICY,
    ParsedTable,
    Problem,
    TableSchema,
    parse_table,
)

__all__ = [
    "DESCRIPTIONS",
    "LIST_SETTINGS",
    "POLICY_TABLES",
    "WORKBOOK_SETTINGS",
    "describe_setting",
    "load_policy",
    "policy_from_tables",
    "policy_tables",
    "table_title",
]

#: The tables of the Policy sheet, in sheet order.
POLICY_TABLES: tuple[TableSchema, ...] = (POLICY, BANDS, LIMIT_RULES, APPROVAL, DUNNING, FX, LETTERS)

#: Short lists kept in tblPolicy as comma-separated numbers.
#: They are applied after the single values, in this order (the number of
#: ``provision.loss_rates`` depends on the buckets the others define).
LIST_SETTINGS: tuple[str, ...] = ("aging.bucket_edges", "score.grade_min_scores",
                                   "provision.invoice_age_edges", "provision.loss_rates")

#: Rows of tblPolicy that describe the workbook, not the credit policy: checked, never
#: applied to the policy (the template version, see :mod:`xlcredit.workbook.versions`).
WORKBOOK_SETTINGS: tuple[str, ...] = ("template_version",)


def _whole_number(raw: Any) -> int | None:
    """A whole number >= 0 typed as a number or as text; None otherwise."""
    try:
        number = float(str(raw).strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and number >= 0 and not isinstance(raw, bool) else None


#: Description of each setting (English, Simplified Chinese), from the catalogue.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    key.removeprefix("setting."): pair for key, pair in catalogue().items()
    if key.startswith("setting.") and not key.startswith("setting.table.")
}


def describe_setting(key: str, language: str = "en") -> str:
    """The description of a setting in ``language``; a readable fallback for new settings.

    >>> describe_setting("limits.round_to")
    'Limits are rounded down to a multiple of this (0: no rounding).'
    >>> describe_setting("monitoring.new_thing")
    'monitoring: new thing.'
    """
    pair = DESCRIPTIONS.get(key)
    if pair is not None:
        return pair[1] if language == "zh-CN" else pair[0]
    section, _, rest = key.rpartition(".")
    return f"{section}: {rest.replace('_', ' ')}." if section else rest.replace("_", " ") + "."


def table_title(name: str, language: str) -> str:
    """The title shown above a policy table.

    >>> table_title("tblFX", "zh-CN")
    '汇率'
    """
    return text(f"setting.table.{name}", language)


# --------------------------------------------------------------------------- policy -> tables
def _cell(value: Any) -> Any:
    if isinstance(value, float) and math.isinf(value):
        return None  # blank = no maximum / any amount
    return value


#: Dunning channels: the code the policy keeps and the label a Chinese Policy sheet shows
#: (either is accepted when the sheet is read); labels in the catalogue (sheet.channel.*).
CHANNEL_CODES = ("email", "phone", "letter", "internal", "agency", "legal")
CHANNELS_ZH: dict[str, str] = labels("sheet.channel", CHANNEL_CODES, "zh-CN")


def channel_code(value: Any) -> str:
    """The channel code of what a Policy sheet shows (its Chinese label or the code itself).

    >>> channel_code("电话"), channel_code(" email "), channel_code(None)
    ('phone', 'email', '')
    """
    if value is None:
        return ""
    shown = str(value).strip()
    return {zh: code for code, zh in CHANNELS_ZH.items()}.get(shown, shown)


def policy_tables(policy: Policy, language: str = "en") -> dict[str, pd.DataFrame]:
    """The Policy sheet's tables for ``policy``, headers in ``language``.

    >>> t = policy_tables(Policy(), "zh-CN")
    >>> list(t)
    ['tblPolicy', 'tblBands', 'tblLimitRules', 'tblApproval', 'tblDunning', 'tblFX', 'tblLetters']
    >>> t["tblBands"].columns.tolist()[:2]
    ['风险等级', '最低信用评分']
    """
    data = policy.to_dict()
    settings = policy.settings()
    rows: list[list[Any]] = []
    for key, value in settings.items():
        rows.append([key, value, describe_setting(key, language)])
        if key == "as_of":  # list settings right after the top-level ones
            for list_key in LIST_SETTINGS:
                section, name = list_key.split(".")
                text = ", ".join(f"{v:g}" for v in data[section][name])
                rows.append([list_key, text, describe_setting(list_key, language)])
    frames: dict[str, pd.DataFrame] = {}

    def frame(schema: TableSchema, records: list[list[Any]]) -> None:
        frames[schema.name] = pd.DataFrame(records, columns=schema.headers(language), dtype=object)

    frame(POLICY, rows)
    frame(BANDS, [[b.band, b.min_score, b.label_en, b.label_zh] for b in policy.score.bands])
    review = dict(policy.monitoring.review_months)
    frame(LIMIT_RULES, [
        [r.band, r.tnw_share, r.working_capital_share, r.revenue_share, r.payment_terms_days,
         _cell(r.max_limit), review.get(r.band)]
        for r in policy.limits.rules
    ])
    frame(APPROVAL, [[_cell(a.up_to), a.level_en, a.level_zh] for a in policy.limits.approval_levels])
    zh = language == "zh-CN"
    frame(DUNNING, [[d.from_days, d.step, d.action_en, d.action_zh, CHANNELS_ZH.get(d.channel, d.channel) if zh
                     else d.channel] for d in policy.dunning])
    fx = [[policy.base_currency, 1.0]] + [[c, r] for c, r in policy.fx_rates if c != policy.base_currency]
    frame(FX, fx)
    frame(LETTERS, [[t.step, t.language, t.subject, t.body] for t in policy.letters])
    return frames


# --------------------------------------------------------------------------- tables -> policy
def _typed(key: str, raw: Any, default: Any, rules: ReadingRules = DEFAULT_RULES) -> tuple[Any, str | None]:
    """Coerce a raw Value cell to the kind of its default; (value, problem)."""
    if isinstance(default, bool):
        p = to_flags([raw], key)
        value: Any = None if np.isnan(p.values[0]) else bool(p.values[0])
    elif isinstance(default, (int, float)):
        p = to_numbers([raw], key, rules=rules)
        value = None if np.isnan(p.values[0]) else float(p.values[0])
    elif key == "as_of":
        p = to_dates([raw], key, rules=rules)
        value = None if pd.isna(p.values[0]) else pd.Timestamp(p.values[0]).date()
    else:
        p = to_text([raw], key)
        value = p.values[0]
    return value, p.problems[0]


def _sheet_rules(keys: list[Any], values: list[Any]) -> ReadingRules:
    """The reading rules the Policy sheet sets for its own values (input.decimal and
    input.date_order; "auto" when absent or invalid, which is then listed as a problem)."""
    chosen = {str(k).strip(): v for k, v in zip(keys, values, strict=True) if k is not None}
    decimal = str(chosen.get("input.decimal") or "auto").strip()
    order = str(chosen.get("input.date_order") or "auto").strip()
    return ReadingRules(
        decimal=decimal if decimal in ("auto", "point", "comma") else "auto",
        date_order=order if order in ("auto", "DMY", "MDY", "YMD") else "auto",
    )


def _numbers_list(key: str, raw: Any) -> tuple[list[float] | None, str | None]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return [float(raw)], None
    parts = [s for s in LIST_SEPARATOR.split(str(raw)) if s.strip()]
    p = to_numbers(parts, key)
    if not p.ok:
        return None, Message("policy.numbers_list", {"setting": key, "problem": p.first_problem()})
    return p.values.tolist(), None


def _rows(t: ParsedTable) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for rec in t.frame.to_dict("records"):
        records.append({str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return records


def _inf(value: Any) -> Any:
    return "inf" if value is None else value


def _list_override(t: ParsedTable, policy: Policy) -> dict[str, Any]:
    rows = _rows(t)
    name = t.schema.name
    if name == "tblBands":
        return {"score": {"bands": [
            {"band": r["band"], "min_score": r["min_score"], "label_en": r["label_en"] or r["band"],
             "label_zh": r["label_zh"] or r["label_en"] or r["band"]} for r in rows]}}
    if name == "tblLimitRules":
        review = [[r["band"], r["review_months"]] for r in rows if r["review_months"] is not None]
        out: dict[str, Any] = {"limits": {"rules": [
            {"band": r["band"], "tnw_share": r["tnw_share"],
             "working_capital_share": r["working_capital_share"], "revenue_share": r["revenue_share"],
             "payment_terms_days": r["payment_terms_days"], "max_limit": _inf(r["max_limit"])}
            for r in rows]}}
        if review:
            out["monitoring"] = {"review_months": review}
        return out
    if name == "tblApproval":
        return {"limits": {"approval_levels": [
            {"up_to": _inf(r["up_to"]), "level_en": r["level_en"],
             "level_zh": r["level_zh"] or r["level_en"]} for r in rows]}}
    if name == "tblDunning":
        return {"dunning": [
            {"from_days": r["from_days"], "step": r["step"], "action_en": r["action_en"],
             "action_zh": r["action_zh"] or r["action_en"], "channel": channel_code(r["channel"])}
            for r in rows]}
    if name == "tblFX":
        return {"fx_rates": [[r["currency"], r["rate"]] for r in rows
                             if r["currency"] is not None and r["rate"] is not None
                             and r["currency"] != policy.base_currency]}
    if name == "tblLetters":
        return {"letters": [
            {"step": str(r["step"]).strip(), "language": _language(r["language"]), "subject": r["subject"],
             "body": str(r["body"]).replace("\r\n", "\n")} for r in rows]}
    raise SchemaError(Message("policy.not_a_table", {"table": name}))


def _language(value: Any) -> Any:
    from xlcredit.engine.policy import language_code

    return language_code(str(value)) or value


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def policy_from_tables(
    tables: dict[str, tuple[list[Any], list[list[Any]]]],
    *,
    sheet: str = "Policy",
    header_rows: dict[str, int] | None = None,
    base: Policy | None = None,
) -> tuple[Policy, list[Problem]]:
    """Build the policy from the Policy sheet's tables given as ``{name: (header, rows)}``.

    Tables that are absent keep the defaults. Each setting that breaks a rule is reported as
    a problem (its row on the sheet, the rule) and left at its default.

    Can a typo in one setting stop the whole refresh?

    >>> rows = [["limits.round_to", -5, ""], ["base_currency", "USD", ""]]
    >>> p, problems = policy_from_tables({"tblPolicy": (["Setting", "Value"], rows)})
    >>> p.base_currency, p.limits.round_to, problems[0].row, problems[0].rule
    ('USD', 1000.0, 2, 'limits.round_to must be a number >= 0; got -5.')
    """
    base = base or Policy()
    header_rows = header_rows or {}
    problems: list[Problem] = []
    defaults = base.settings()
    overrides: dict[str, Any] = {}
    accepted = base

    def attempt(candidate: dict[str, Any], row: int | None, column: str, value: Any) -> None:
        nonlocal overrides, accepted
        merged = _merge(overrides, candidate)
        try:
            accepted = base.with_overrides(merged)
        except PolicyError as exc:
            problems.append(Problem(sheet, row, column, value, exc.message))
            return
        overrides = merged

    if "tblPolicy" in tables:
        header, rows = tables["tblPolicy"]
        hrow = header_rows.get("tblPolicy", 1)
        t = parse_table(header, rows, POLICY, sheet=sheet, header_row=hrow)
        problems.extend(t.problems)
        found = POLICY.resolve(header)
        raw_values = [rows[i][found["value"]] if found["value"] < len(rows[i]) else None for i in t.data_index]
        keys = t.frame["setting"].tolist()
        rules = _sheet_rules(keys, raw_values)
        lists = {str(k).strip(): p for p, k in enumerate(keys) if k is not None and str(k).strip() in LIST_SETTINGS}
        order = [p for p in range(len(keys)) if p not in lists.values()]
        order += [lists[k] for k in LIST_SETTINGS if k in lists]  # single values first
        pending: list[tuple[dict[str, Any], int, str, Any]] = []
        first_problem = len(problems)
        rank = {int(t.excel_rows[pos]): i for i, pos in enumerate(order)}
        for pos in order:
            key = keys[pos]
            row = int(t.excel_rows[pos])
            raw = raw_values[pos]
            if key is None or raw is None or (isinstance(raw, str) and not raw.strip()):
                if key == "as_of" or key is None:
                    continue
                continue  # blank: keep the default
            key = str(key).strip()
            if key in LIST_SETTINGS:
                numbers, problem = _numbers_list(key, raw)
                if problem:
                    problems.append(Problem(sheet, row, key, raw, problem))
                    continue
                section, name = key.split(".")
                pending.append(({section: {name: numbers}}, row, key, raw))
                continue
            if key in WORKBOOK_SETTINGS:  # about the workbook, not the credit policy
                if _whole_number(raw) is None:
                    problems.append(Problem(sheet, row, key, raw,
                                            Message("upgrade.bad_setting", {"value": raw})))
                continue
            if key not in defaults:
                problems.append(Problem(sheet, row, key, raw, Message("policy.unknown_key", {"setting": key})))
                continue
            value, problem = _typed(key, raw, defaults[key], rules)
            if problem:
                problems.append(Problem(sheet, row, key, raw, problem))
                continue
            node: dict[str, Any] = {}
            cursor = node
            parts = key.split(".")
            for part in parts[:-1]:
                cursor = cursor.setdefault(part, {})
            cursor[parts[-1]] = value
            pending.append((node, row, key, raw))
        # the settings together first: one policy build instead of one per row (each build
        # checks every rule); only when they break a rule together is each row tried in turn,
        # so the row to blame is named
        together = overrides
        for node, *_ in pending:
            together = _merge(together, node)
        try:
            accepted, overrides = base.with_overrides(together), together
        except PolicyError:
            for node, row, key, raw in pending:
                attempt(node, row, key, raw)
        # listed in the order the rows were read, whichever check found them
        problems[first_problem:] = sorted(problems[first_problem:], key=lambda q: rank.get(q.row or 0, -1))
    for schema in POLICY_TABLES[1:]:
        if schema.name not in tables:
            continue
        header, rows = tables[schema.name]
        hrow = header_rows.get(schema.name, 1)
        try:
            t = parse_table(header, rows, schema, sheet=sheet, header_row=hrow)
        except SchemaError as exc:
            problems.append(Problem(sheet, hrow, schema.name, "",
                                    Message("policy.defaults_used", {"problem": exc.message})))
            continue
        if t.problems:
            problems.extend(t.problems)
            problems.append(Problem(sheet, hrow, schema.name, "",
                                    Message("policy.unreadable_table", {"table": schema.name})))
            continue
        if not len(t.frame):
            continue
        attempt(_list_override(t, accepted), hrow, schema.name, "")
    return accepted, problems


def load_policy(workbook: Any, *, base: Policy | None = None) -> tuple[Policy, list[Problem]]:
    """Read the Policy sheet of a workbook (a :class:`~xlcredit.workbook.port.Workbook`).

    A workbook without policy tables runs on the defaults (``base``).

    Examples
    --------
    Which base currency and language does the Chinese template set?

    >>> import tempfile, pathlib
    >>> from xlcredit.workbook.templates import build_template
    >>> from xlcredit.workbook.files import FileWorkbook
    >>> path = build_template(pathlib.Path(tempfile.mkdtemp()) / "t.xlsx", lang="zh-CN")
    >>> with FileWorkbook.open(path, read_only=True) as book:
    ...     policy, problems = load_policy(book)
    >>> policy.base_currency, policy.language, problems
    ('CNY', 'zh-CN', [])
    """
    names = set(workbook.table_names())
    tables: dict[str, tuple[list[Any], list[list[Any]]]] = {}
    header_rows: dict[str, int] = {}
    sheet = "Policy"
    for schema in POLICY_TABLES:
        if schema.name in names:
            raw = workbook.read_table(schema.name)
            tables[schema.name] = (list(raw.header), [list(r) for r in raw.rows])
            header_rows[schema.name] = raw.header_row
            sheet = raw.sheet
    return policy_from_tables(tables, sheet=sheet, header_rows=header_rows, base=base)
