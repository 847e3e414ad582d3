"""``xlcredit combine``: the group view of several teams' workbooks (issue 16, item 4).

Each team's workbook is opened read-only and run through the very reader and engine a
refresh uses (:func:`xlcredit.macros.run._open` and ``_assess``): exposure, overdue, band,
decision and limit are the team's own answers, never recomputed here. They are converted
to the group's base currency with the FX table of the group policy held in the output
workbook, then matched, added up and compared by :mod:`xlcredit.engine.group`.

The output keeps everything of the user's: its Group policy and Group limits sheets are
written once and then only read; the answers typed on Matches to confirm are carried over
to the rebuilt sheet; sheets the user added are left alone. A team workbook that cannot be
read is named with the reason and left out; the others go on.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.decisions import HOLD_DECISIONS
from xlcredit.engine.errors import InputError, PolicyError, WorkbookError, XlCreditError
from xlcredit.engine.group import group_conflicts, group_ids, group_totals, match_candidates
from xlcredit.engine.policy import Policy
from xlcredit.macros.generated import _DATE, _MONEY, _fit, _frame_cells
from xlcredit.macros.run import _assess, _open
from xlcredit.messages import Message, language_of, text
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.group_book import (
    GROUP_LIMITS,
    GROUP_MATCHES,
    GROUP_MATCHES_TABLE,
    create_group_book,
    group_sheet,
)
from xlcredit.workbook.policy_sheet import load_policy
from xlcredit.workbook.port import CellSpec, DataValidation, SheetSpec, TableSpec
from xlcredit.workbook.reading import ReadingRules
from xlcredit.workbook.schema import parse_raw
from xlcredit.workbook.templates import with_base_currency
from xlcredit.workbook.widths import display_width

__all__ = ["CombineResult", "TeamBook", "combine"]

_RATE = "0.0000##"
_TOP = 4  # header row of each generated table (title, note, blank above)


@dataclass
class TeamBook:
    """One team's workbook as read: its figures in its own base currency, or why not."""

    path: Path
    team: str
    error: XlCreditError | None = None
    policy: Policy | None = None
    ccy: str = ""
    as_of: dt.date | None = None
    rate: float = float("nan")
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class CombineResult:
    """What a combine run did (the command line prints :meth:`lines`)."""

    output: Path
    books: list[TeamBook]
    totals: pd.DataFrame
    matches: pd.DataFrame
    conflicts: pd.DataFrame
    ccy: str
    lang: str
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[TeamBook]:
        return [b for b in self.books if b.error is not None]

    def lines(self) -> list[str]:
        read = [b for b in self.books if b.error is None]
        open_matches = int((self.matches["status"] == "open").sum()) if len(self.matches) else 0
        head = text("group.summary", "en", n=len(read), total=len(self.books), out=self.output,
                    buyers=len(self.totals), exposure=f"{self.totals['exposure'].sum():,.2f}",
                    overdue=f"{self.totals['overdue'].sum():,.2f}", ccy=self.ccy, matches=open_matches,
                    conflicts=len(self.conflicts))
        errors = [text("group.err_read", "en", book=b.path.name, why=_why(b.error, "en").rstrip(". "))
                  for b in self.failed]
        return [head, *errors, *self.warnings]


def _why(error: XlCreditError | None, lang: str) -> str:
    return "" if error is None else error.render(lang)


def _teams(paths: Sequence[Path]) -> list[str]:
    """The name each workbook goes by on the group sheets: its file name, or its path where
    two files share a name."""
    names = [p.name for p in paths]
    return [str(p) if names.count(p.name) > 1 else p.name for p in paths]


def read_team(path: Path, team: str) -> TeamBook:
    """Read one team's workbook (read-only) through the refresh's reader and engine."""
    book = TeamBook(path, team)
    try:
        with FileWorkbook.open(path, read_only=True) as wb:
            run = _open(wb)
            result = _assess(run)
    except (XlCreditError, OSError) as exc:
        book.error = exc if isinstance(exc, XlCreditError) else WorkbookError(f"{exc.strerror or exc}")
        return book
    b = run.buyers.frame
    keep = b["buyer_id"].notna().to_numpy()
    currency = b["currency"].where(b["currency"].notna(), run.ccy).astype(str).str.strip().str.upper()
    own = b["current_limit"].to_numpy(dtype=float)  # the limit the team granted (blank: none typed)
    book.policy, book.ccy, book.as_of = run.policy, run.ccy, run.as_of
    book.rows = pd.DataFrame({
        "team": team,
        "buyer_id": b["buyer_id"].astype(str).to_numpy(dtype=object),
        "name": b["name"].to_numpy(dtype=object),
        "tax_id": (b["tax_id"] if "tax_id" in b else pd.Series(None, index=b.index)).to_numpy(dtype=object),
        "band": result["band"].to_numpy(dtype=object),
        "decision": result["decision"].to_numpy(dtype=object),
        "blocked": result["decision_code"].isin(HOLD_DECISIONS).to_numpy(),
        "exposure_team": result["exposure"].to_numpy(dtype=float),
        "overdue_team": result["overdue"].to_numpy(dtype=float),
        "limit_team": result["limit_used"].to_numpy(dtype=float),
        "limit_own": own,
        "limit_ccy": currency.to_numpy(dtype=object),
    })[keep].reset_index(drop=True)
    return book


def _read_own(book: FileWorkbook, schema: Any, policy: Policy, warnings: list[str]) -> pd.DataFrame | None:
    """A table of the group workbook the user types in (None when absent); a cell that
    breaks its column's rule is named in ``warnings`` and taken as blank."""
    if schema.name.casefold() not in {n.casefold() for n in book.table_names()}:
        return None
    raw = book.read_table(schema.name)
    parsed = parse_raw(raw, schema, rules=ReadingRules.from_policy(policy, raw.date1904))
    warnings.extend(text("group.warn_cell", "en", sheet=p.sheet, row=p.row, column=p.column, rule=p.rule)
                    for p in parsed.problems)
    return parsed.frame


def combine(paths: Sequence[str | Path], output: str | Path, *, base_currency: str | None = None,
            lang: str | None = None) -> CombineResult:
    """Combine team workbooks into the group workbook ``output`` (created on the first run).

    Parameters
    ----------
    paths : the teams' workbooks; only read.
    output : the group workbook (.xlsx): created with a group policy on the first run
        (base currency ``base_currency`` or the first team's, that team's FX rates restated
        in it, language ``lang`` or the first team's); kept and re-read on later runs.
    base_currency, lang : for the first run; later runs follow the Group policy sheet (a
        different value is refused: the sheets are named in one language).

    Raises
    ------
    InputError when a workbook is given twice or ``output`` is one of them; PolicyError
    when ``base_currency`` or ``lang`` contradicts an existing group policy; WorkbookError when no team
    workbook can be read (nothing is written then).

    Examples
    --------
    Two teams sell to the same six buyers, one books in euros and one in dollars: what
    does the group have outstanding with each?

    >>> import tempfile, pathlib
    >>> from xlcredit.workbook.templates import build_template
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> north = build_template(folder / "north.xlsx", sample=6)
    >>> south = build_template(folder / "south.xlsx", sample=6, base_currency="USD")
    >>> result = combine([north, south], folder / "group.xlsx")
    >>> len(result.totals), result.ccy, result.totals["teams"].tolist() == [2] * 6, result.failed
    (6, 'EUR', True, [])
    """
    books = [Path(p) for p in paths]
    out = Path(output)
    seen: dict[Path, Path] = {}
    for p in books:
        key = p.resolve()
        if key in seen:
            raise InputError(Message("group.err_twice", {"book": p}))
        seen[key] = p
    if out.resolve() in seen:
        raise InputError(Message("group.err_output", {"book": out}))

    teams = [read_team(p, t) for p, t in zip(books, _teams(books), strict=True)]
    first = next((t for t in teams if t.error is None), None)
    if first is None or first.policy is None:
        raise WorkbookError(Message("group.err_none", {"group": out.name}))

    with tempfile.TemporaryDirectory(prefix="xlcredit-combine-") as tmp:
        source = out
        if not out.exists():
            base = base_currency or first.ccy
            policy = with_base_currency(first.policy, base) if base != first.policy.base_currency else first.policy
            source = create_group_book(Path(tmp) / out.name, policy, lang or first.policy.language)
        with FileWorkbook.open(source, output=out) as group:
            policy, problems = load_policy(group)
            if base_currency is not None and base_currency != policy.base_currency:
                raise PolicyError(Message("group.err_base", {
                    "given": base_currency, "ccy": policy.base_currency, "book": out.name,
                    "sheet": group_sheet("policy", policy.language)}))
            if lang is not None and language_of(lang) != policy.language:
                raise PolicyError(Message("group.err_lang", {
                    "given": lang, "lang": policy.language, "book": out.name,
                    "sheet": group_sheet("policy", policy.language)}))
            result = _combine(group, teams, policy, out, policy.language)
            result.warnings.extend(text("group.warn_policy", "en", sheet=p.sheet, column=p.column,
                                        value=repr(p.value), rule=p.rule) for p in problems)
            group.save()
    return result


def _combine(group: FileWorkbook, teams: list[TeamBook], policy: Policy, out: Path, lang: str) -> CombineResult:
    ccy = policy.base_currency
    policy_sheet = group_sheet("policy", lang)
    for t in teams:
        if t.error is None:
            rate = policy.fx_rate(t.ccy)
            if rate is None:
                t.error = PolicyError(Message("group.err_no_rate", {"sheet": policy_sheet, "group": out.name,
                                                                    "ccy": t.ccy}))
            else:
                t.rate = float(rate)
    read = [t for t in teams if t.error is None]
    if not read:  # nothing to add up: say why for the first workbook, write nothing
        bad = teams[0]
        assert bad.error is not None
        raise type(bad.error)(Message("group.err_all", {"book": bad.path.name, "why": bad.error.message,
                                                        "group": out.name}))
    rows = pd.concat([t.rows.assign(team_ccy=t.ccy, rate=t.rate) for t in read], ignore_index=True)
    rows["exposure"] = rows["exposure_team"] * rows["rate"]
    rows["overdue"] = rows["overdue_team"] * rows["rate"]
    rows["limit"] = rows["limit_team"] * rows["rate"]

    candidates = match_candidates(rows)
    warnings: list[str] = []
    answers = _answers(group, policy, warnings)
    pair = list(zip(candidates["buyer_id"], candidates["other_id"], strict=True))
    flag = np.array([answers.get(p, np.nan) for p in pair], dtype=float)
    candidates["status"] = np.where(flag == 1.0, "merged", np.where(flag == 0.0, "apart", "open"))
    answer = np.full(len(flag), None, dtype=object)
    answer[flag == 1.0], answer[flag == 0.0] = text("group.yes", lang), text("group.no", lang)
    candidates["answer"] = answer
    confirmed = [p for p, f in zip(pair, flag, strict=True) if f == 1.0]
    rows["group_id"] = group_ids(rows["buyer_id"], confirmed)

    limits_frame = _read_own(group, GROUP_LIMITS, policy, warnings)
    typed = pd.Series(dtype=float)
    if limits_frame is not None and len(limits_frame):
        f = limits_frame.dropna(subset=["group_id", "group_limit"])
        typed = f.drop_duplicates("group_id").set_index("group_id")["group_limit"].astype(float)
    totals = group_totals(rows, typed)
    conflicts = group_conflicts(rows)

    result = CombineResult(out, teams, totals, candidates, conflicts, ccy, lang, warnings)
    for spec in (_buyers_sheet(result, rows), _teams_sheet(result, rows), _matches_sheet(result),
                 _conflicts_sheet(result, rows), _books_sheet(result)):
        _write(group, spec, lang)
    return result


def _answers(group: FileWorkbook, policy: Policy, warnings: list[str]) -> dict[tuple[str, str], float]:
    """The user's Yes/No per pair on the previous Matches to confirm sheet (1.0 / 0.0)."""
    frame = _read_own(group, GROUP_MATCHES, policy, warnings)
    if frame is None or not len(frame):
        return {}
    f = frame.dropna(subset=["buyer_id", "other_id", "confirm"])
    return {(str(a), str(b)): float(c) for a, b, c in zip(f["buyer_id"], f["other_id"], f["confirm"], strict=True)}


def _write(group: FileWorkbook, spec: SheetSpec, lang: str) -> None:
    """Generated sheets go before the Group policy sheet (the user's sheets stay after)."""
    names = [n.casefold() for n in group.sheet_names()]
    if spec.name.casefold() in names:
        group.write_sheet(spec)
        return
    anchor = group_sheet("policy", lang)
    group.write_sheet(spec, before=anchor if anchor.casefold() in names else None)


def _h(key: str, lang: str, **fields: Any) -> str:
    return text(f"group.{key}", lang, **fields)


def _sheet(result: CombineResult, key: str, title: str, note: str, table: TableSpec, *,
           empty: str | None = None, validations: list[DataValidation] | None = None) -> SheetSpec:
    lang = result.lang
    frame = table.frame
    cells = [CellSpec(0, 0, title, bold=True, font_size=14), CellSpec(1, 0, note)]
    if empty is not None and not len(frame):
        table.frame = pd.DataFrame([[None] * frame.shape[1]], columns=frame.columns, dtype=object)
        cells.append(CellSpec(_TOP + 3, 0, empty))
    table.frame = _frame_cells(table.frame)
    texts = {j: min(max((display_width(v) for v in table.frame.iloc[:, j] if isinstance(v, str)), default=0) + 2, 60)
             for j in range(table.frame.shape[1])}  # text columns as wide as their longest text
    return SheetSpec(group_sheet(key, lang), cells=cells, tables=[table],
                     widths=_fit(texts, list(table.frame.columns), cap=40), freeze=(_TOP + 1, 1),
                     tab_color="#375623", print_title_rows=(_TOP, _TOP), validations=validations or [],
                     footer=text("sheet.footer", lang))


def _buyers_sheet(result: CombineResult, rows: pd.DataFrame) -> SheetSpec:
    lang, ccy = result.lang, result.ccy
    t = result.totals
    kinds = result.conflicts.assign(label=result.conflicts["kind"].map(
        {k: _h(f"c_{k}", lang) for k in ("limit", "band", "blocked", "name")}))
    sep = _h("sep", lang)
    conflict_text = kinds.groupby("group_id", sort=False)["label"].agg(sep.join) if len(kinds) else pd.Series(
        dtype=object)
    basis = t["limit_basis"].map({"set": _h("basis_set", lang, sheet=group_sheet("limits", lang)),
                                  "sum": _h("basis_sum", lang), "unknown": _h("basis_unknown", lang)})
    h = {k: _h(f"h_{k}", lang, ccy=ccy) for k in ("group_id", "name", "tax_id", "teams", "exposure", "overdue",
                                                   "group_limit", "limit_basis", "headroom", "conflicts")}
    frame = pd.DataFrame({
        h["group_id"]: t.index.to_numpy(dtype=object), h["name"]: t["name"].to_numpy(dtype=object),
        h["tax_id"]: t["tax_id"].to_numpy(dtype=object), h["teams"]: t["teams"].to_numpy(),
        h["exposure"]: t["exposure"].round(2).to_numpy(), h["overdue"]: t["overdue"].round(2).to_numpy(),
        h["group_limit"]: t["group_limit"].round(2).to_numpy(), h["limit_basis"]: basis.to_numpy(dtype=object),
        h["headroom"]: t["headroom"].round(2).to_numpy(),
        h["conflicts"]: t.index.map(conflict_text.to_dict()).to_numpy(dtype=object) if len(conflict_text) else None,
    })
    frame = frame.sort_values(h["exposure"], ascending=False, kind="stable").reset_index(drop=True)
    money = {h[k]: _MONEY for k in ("exposure", "overdue", "group_limit", "headroom")}
    table = TableSpec("tblGroupBuyers", frame, row=_TOP, number_formats=money, total_row=False,
                      text_columns=(h["group_id"], h["name"], h["tax_id"], h["limit_basis"], h["conflicts"]))
    note = _h("note_buyers", lang, date=dt.date.today().isoformat(), n=len(result.books) - len(result.failed),
              ccy=ccy, policy=group_sheet("policy", lang), matches=group_sheet("matches", lang))
    return _sheet(result, "buyers", _h("title_buyers", lang), note, table)


def _teams_sheet(result: CombineResult, rows: pd.DataFrame) -> SheetSpec:
    lang, ccy = result.lang, result.ccy
    keys = ("group_id", "workbook", "buyer_id", "name", "tax_id", "band", "decision", "team_ccy", "team_exposure",
            "team_overdue", "rate", "exposure", "overdue", "limit", "limit_own", "limit_ccy")
    h = {k: _h(f"h_{k}", lang, ccy=ccy) for k in keys}
    order = rows.assign(_g=pd.Categorical(rows["group_id"], categories=pd.unique(rows["group_id"])))
    order = order.sort_values(["_g", "team"], kind="stable")
    frame = pd.DataFrame({
        h["group_id"]: order["group_id"], h["workbook"]: order["team"], h["buyer_id"]: order["buyer_id"],
        h["name"]: order["name"], h["tax_id"]: order["tax_id"], h["band"]: order["band"],
        h["decision"]: order["decision"], h["team_ccy"]: order["team_ccy"],
        h["team_exposure"]: order["exposure_team"].round(2), h["team_overdue"]: order["overdue_team"].round(2),
        h["rate"]: order["rate"], h["exposure"]: order["exposure"].round(2), h["overdue"]: order["overdue"].round(2),
        h["limit"]: order["limit"].round(2), h["limit_own"]: order["limit_own"].round(2),
        h["limit_ccy"]: order["limit_ccy"],
    }).reset_index(drop=True)
    money = {h[k]: _MONEY for k in ("team_exposure", "team_overdue", "exposure", "overdue", "limit", "limit_own")}
    table = TableSpec("tblGroupByTeam", frame, row=_TOP, number_formats={**money, h["rate"]: _RATE},
                      text_columns=tuple(h[k] for k in ("group_id", "workbook", "buyer_id", "name", "tax_id",
                                                        "band", "decision", "team_ccy", "limit_ccy")),
                      style="TableStyleMedium4")
    note = _h("note_teams", lang, books=group_sheet("books", lang), ccy=ccy)
    return _sheet(result, "teams", _h("title_teams", lang), note, table)


def _matches_sheet(result: CombineResult) -> SheetSpec:
    lang = result.lang
    m = result.matches
    keys = ("buyer_id", "name", "workbook", "other_id", "other_name", "other_workbook", "matched_by", "status",
            "confirm")
    h = {k: _h(f"h_{k}", lang) for k in keys}
    by = {"tax_id": _h("by_tax", lang), "name": _h("by_name", lang), "both": _h("by_both", lang)}
    status = {"merged": _h("status_merged", lang), "apart": _h("status_apart", lang), "open": _h("status_open", lang)}
    frame = pd.DataFrame({
        h["buyer_id"]: m["buyer_id"], h["name"]: m["name"], h["workbook"]: m["team"], h["other_id"]: m["other_id"],
        h["other_name"]: m["other_name"], h["other_workbook"]: m["other_team"],
        h["matched_by"]: m["basis"].map(by), h["status"]: m["status"].map(status), h["confirm"]: m["answer"],
    }).reset_index(drop=True)
    n = max(len(frame), 1)
    col = chr(ord("A") + len(keys) - 1)
    validation = DataValidation(f"{col}{_TOP + 2}:{col}{_TOP + 1 + n}", [_h("yes", lang), _h("no", lang)],
                                title=h["confirm"], strict=False)
    table = TableSpec(GROUP_MATCHES_TABLE, frame, row=_TOP, text_columns=tuple(h.values()), style="TableStyleMedium7")
    note = _h("note_matches", lang, confirm=h["confirm"])
    return _sheet(result, "matches", _h("title_matches", lang), note, table, empty=_h("no_matches", lang),
                  validations=[validation])


def _conflicts_sheet(result: CombineResult, rows: pd.DataFrame) -> SheetSpec:
    lang = result.lang
    c = result.conflicts
    sep = _h("sep", lang)
    colon = _h("colon", lang)
    blocked = np.where(rows["blocked"].to_numpy(dtype=bool), _h("blocked", lang), _h("not_blocked", lang))
    amounts = pd.Series(["" if np.isnan(v) else f"{v:,.2f}" for v in rows["limit_own"].to_numpy(dtype=float)],
                        index=rows.index, dtype=object)  # texts for the few conflicting rows' details
    limit = rows["limit_ccy"].astype(str) + " " + amounts
    shown = {"limit": limit, "band": rows["band"].fillna("").astype(str),
             "blocked": pd.Series(blocked, index=rows.index, dtype=object).astype(str) + " ("
             + rows["decision"].fillna("").astype(str) + ")",
             "name": rows["buyer_id"].astype(str) + " " + rows["name"].fillna("").astype(str)}
    details = []
    for kind in c["kind"].unique():  # a few kinds: the texts per kind are built column-wise
        part = rows["team"].astype(str) + colon + shown[kind]
        joined = part.groupby(rows["group_id"], sort=False).agg(sep.join)
        sel = c[c["kind"] == kind]
        details.append(pd.Series(sel["group_id"].map(joined).to_numpy(dtype=object), index=sel.index))
    detail = pd.concat(details).reindex(c.index) if details else pd.Series(dtype=object)
    names = rows.drop_duplicates("group_id").set_index("group_id")["name"]
    h = {k: _h(f"h_{k}", lang) for k in ("group_id", "name", "conflict", "detail")}
    frame = pd.DataFrame({
        h["group_id"]: c["group_id"], h["name"]: c["group_id"].map(names),
        h["conflict"]: c["kind"].map({k: _h(f"c_{k}", lang) for k in ("limit", "band", "blocked", "name")}),
        h["detail"]: detail,
    }).reset_index(drop=True)
    table = TableSpec("tblGroupConflicts", frame, row=_TOP, text_columns=tuple(h.values()), style="TableStyleMedium3")
    return _sheet(result, "conflicts", _h("title_conflicts", lang), _h("note_conflicts", lang), table,
                  empty=_h("no_conflicts", lang))


def _books_sheet(result: CombineResult) -> SheetSpec:
    lang, ccy = result.lang, result.ccy
    h = {k: _h(f"h_{k}", lang, ccy=ccy) for k in ("workbook", "file", "status", "base", "rate", "as_of", "buyers",
                                                   "exposure", "overdue")}
    books = result.books
    ok = [b.error is None for b in books]
    frame = pd.DataFrame({
        h["workbook"]: [b.team for b in books], h["file"]: [str(b.path) for b in books],
        h["status"]: [_h("read_ok", lang) if good else _h("read_failed", lang, why=_why(b.error, lang))
                      for b, good in zip(books, ok, strict=True)],
        h["base"]: [b.ccy or None for b in books], h["rate"]: [b.rate if good else np.nan for b, good in
                                                              zip(books, ok, strict=True)],
        h["as_of"]: [pd.Timestamp(b.as_of) if b.as_of and good else pd.NaT for b, good in zip(books, ok, strict=True)],
        h["buyers"]: [len(b.rows) if good else np.nan for b, good in zip(books, ok, strict=True)],
        h["exposure"]: [round(float((b.rows["exposure_team"] * b.rate).sum()), 2) if good else np.nan
                        for b, good in zip(books, ok, strict=True)],
        h["overdue"]: [round(float((b.rows["overdue_team"] * b.rate).sum()), 2) if good else np.nan
                       for b, good in zip(books, ok, strict=True)],
    })  # one row per workbook: a handful
    table = TableSpec("tblGroupWorkbooks", frame, row=_TOP,
                      number_formats={h["rate"]: _RATE, h["as_of"]: _DATE, h["exposure"]: _MONEY,
                                      h["overdue"]: _MONEY},
                      text_columns=(h["workbook"], h["file"], h["status"], h["base"]), style="TableStyleMedium2")
    return _sheet(result, "books", _h("title_books", lang), _h("note_books", lang), table)
