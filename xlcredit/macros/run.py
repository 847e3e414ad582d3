"""One refresh run: the workbook's tables and policy, opened once, and the facts the sheets
read (ledger, receivables figures, aging, collections worklist, scores, assessment of each
buyer), each computed once per run and cached on the run.

The macros of one refresh share a :class:`_Run`; a macro called on its own opens one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.errors import SchemaError
from xlcredit.engine.ledger import as_categories, currency_code, read_keys
from xlcredit.engine.policy import Policy
from xlcredit.macros.labels import _l
from xlcredit.messages import Message, text
from xlcredit.workbook.policy_sheet import load_policy
from xlcredit.workbook.port import Workbook
from xlcredit.workbook.reading import ReadingRules
from xlcredit.workbook.schema import (
    BUYERS,
    COLLECTIONS_USER,
    HISTORY,
    INVOICES,
    ParsedTable,
    Problem,
    TableSchema,
    check_buyers,
    check_invoices,
    no_paid_history_problem,
    parse_raw,
)


@dataclass
class _Run:
    """Everything one refresh reads and computes, shared by the macros of that refresh."""

    workbook: Workbook
    policy: Policy
    lang: str
    as_of: dt.date
    buyers: ParsedTable
    invoices: ParsedTable
    problems: list[Problem]
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def ccy(self) -> str:
        return self.policy.base_currency


def _open(workbook: Workbook, as_of: dt.date | None = None) -> _Run:
    from xlcredit.workbook.team_source import apply_team_source

    workbook.prefetch([INVOICES.name, BUYERS.name])  # the largest first: read while the rest is checked
    policy, problems = load_policy(workbook)
    policy, team, team_problems = apply_team_source(workbook, policy)  # the team policy, if one is named
    problems = problems + team_problems
    if as_of is not None:
        policy = policy.with_overrides({"as_of": as_of.isoformat()})
    lang = policy.language
    day = policy.as_of_date()
    names = workbook.table_names()
    for schema in (BUYERS, INVOICES):
        if schema.name.casefold() not in {n.casefold() for n in names}:  # as Excel compares names
            found = ", ".join(sorted(names)) or "none"
            raise SchemaError(Message(f"refresh.no_table_{schema.role}", {"table": schema.name, "found": found}))
    raw_b = workbook.read_table(BUYERS.name)
    rules = ReadingRules.from_policy(policy, raw_b.date1904)
    buyers = parse_raw(raw_b, BUYERS, rules=rules)
    check_buyers(buyers)
    raw_i = workbook.read_table(INVOICES.name)
    invoices = parse_raw(raw_i, INVOICES, rules=rules)
    # buyer IDs and currencies as categoricals, hashed once: the unknown-buyer check below and
    # every figure of the run (through the ledger) read their codes
    invoices.frame = read_keys(invoices.frame, policy.base_currency)
    check_invoices(invoices, buyers.frame["buyer_id"].dropna().tolist(), as_of=day)
    history = no_paid_history_problem(invoices)
    problems = problems + buyers.problems + invoices.problems + ([history] if history else [])
    run = _Run(workbook, policy, lang, day, buyers, invoices, problems)
    run.cache["team"] = team
    return run


def _ledger(run: _Run) -> pd.DataFrame:
    """The invoice rows the engines can use (buyer, amount known), canonical columns; buyer
    IDs and currencies (codes, the base currency where blank) as categoricals."""
    if "ledger" not in run.cache:
        f = run.invoices.frame
        usable = f["buyer_id"].notna() & f["amount"].notna()
        # copy-on-write (pandas 3): the columns set below replace the ledger's own, so the
        # invoices frame is shared, not copied, when every row is usable (a million-row
        # ledger would otherwise hold its columns twice for the whole run)
        ledger = f.copy(deep=False) if usable.all() else f.loc[usable]
        ledger["disputed"] = ledger["disputed"].to_numpy(dtype=float) == 1.0
        collections = _previous_collections(run)
        if len(collections):
            promised = ledger["invoice_no"].map(collections["promise_date"])
            ledger["promise_date"] = ledger["promise_date"].where(ledger["promise_date"].notna(), promised)
        written_off = _write_off_dates(run, ledger)
        if written_off is not None and len(written_off):  # the ledger reader takes them out of the open balance
            keys = ledger["invoice_no"].astype(str).to_numpy()
            ledger["written_off_date"] = pd.to_datetime(written_off.reindex(keys).to_numpy())
        run.cache["ledger"] = ledger.reset_index(drop=True)
    return run.cache["ledger"]  # type: ignore[no-any-return]


def _write_off_log(run: _Run) -> ParsedTable | None:
    """The Write-offs table (``tblWriteOffs``) as the team typed it, read once per run (its
    problems listed once); None when the workbook has none."""
    if "write_off_log" not in run.cache:
        from xlcredit.workbook.schema import WRITE_OFFS

        t = _read_own(run, WRITE_OFFS)
        if t is not None:
            run.problems.extend(p for p in t.problems if isinstance(p, Problem))
        run.cache["write_off_log"] = t
    return run.cache["write_off_log"]  # type: ignore[no-any-return]


def _write_off_dates(run: _Run, ledger: pd.DataFrame) -> pd.Series | None:
    """The day each invoice was written off, by invoice number (text), from the Write-offs
    table; None without one. A row that cannot be trusted is listed on the Problems sheet
    and not used (an invoice not in the ledger, or of another buyer than typed); an invoice
    written off twice takes the earlier date; a payment dated after the write-off is listed
    (the write-off stands), as is a write-off of an invoice already settled."""
    from xlcredit.messages import text

    t = _write_off_log(run)
    if t is None:
        return None
    f = t.frame.reset_index(drop=True)
    rows = np.asarray(t.excel_rows)
    lang = run.lang
    keep = f["invoice_no"].notna().to_numpy() & f["date"].notna().to_numpy()
    number = f["invoice_no"].astype(str).to_numpy(dtype=object)
    first = ledger.drop_duplicates("invoice_no")
    owner = pd.Series(first["buyer_id"].astype(str).to_numpy(), index=first["invoice_no"].astype(str).to_numpy())
    paid = pd.Series(pd.to_datetime(first["paid_date"]).to_numpy(), index=owner.index)
    ledger_buyer = owner.reindex(number).to_numpy(dtype=object)
    typed = f["buyer_id"].to_numpy(dtype=object)
    unknown = keep & pd.isna(ledger_buyer)
    other = keep & ~unknown & pd.notna(typed) & (pd.Series(typed).astype(str).to_numpy() != ledger_buyer)
    header = {c: t.header(c, lang) for c in ("invoice_no", "buyer_id", "date")}
    for i in map(int, np.flatnonzero(unknown)):  # only the rows in error
        run.problems.append(Problem(t.sheet, int(rows[i]), header["invoice_no"], number[i],
                                    text("month_end.wo_unknown", lang, invoice=number[i])))
    for i in map(int, np.flatnonzero(other)):
        run.problems.append(Problem(t.sheet, int(rows[i]), header["buyer_id"], typed[i],
                                    text("month_end.wo_buyer", lang, invoice=number[i], ledger=ledger_buyer[i],
                                         typed=typed[i])))
    used = keep & ~unknown & ~other
    dates = pd.Series(pd.to_datetime(f["date"]).dt.normalize().to_numpy()[used], index=number[used])
    earliest = dates.groupby(level=0).min()
    twice = dates.index.duplicated(keep=False)
    for k in np.flatnonzero(twice & (dates.to_numpy() != earliest.reindex(dates.index).to_numpy())):
        i = int(np.flatnonzero(used)[k])
        run.problems.append(Problem(t.sheet, int(rows[i]), header["date"], f["date"].iat[i],
                                    text("month_end.wo_twice", lang, invoice=number[i],
                                         date=pd.Timestamp(earliest[number[i]]).date().isoformat())))
    paid_on = paid.reindex(earliest.index)
    for key in ("wo_settled", "wo_paid_after"):
        hit = paid_on.notna() & ((paid_on <= earliest) if key == "wo_settled" else (paid_on > earliest))
        for invoice in earliest.index[hit.to_numpy()]:
            j = int(np.flatnonzero(used & (number == invoice))[0])
            run.problems.append(Problem(
                t.sheet, int(rows[j]), header["invoice_no"], invoice,
                text(f"month_end.{key}", lang, invoice=invoice, date=pd.Timestamp(earliest[invoice]).date().isoformat(),
                     paid=pd.Timestamp(paid_on[invoice]).date().isoformat())))
    return earliest


def _arrays(run: _Run) -> Any:
    """The ledger read once by the engine's one reader (:mod:`xlcredit.engine.ledger`):
    aging, receivables figures, the worklist and the dashboard all read these arrays."""
    if "arrays" not in run.cache:
        from xlcredit.engine.ledger import ledger_arrays

        run.cache["arrays"] = ledger_arrays(_ledger(run), run.policy)
    return run.cache["arrays"]


def _kpis(run: _Run) -> pd.DataFrame:
    if "kpis" not in run.cache:
        from xlcredit.engine.receivables import receivables_kpis

        run.cache["kpis"] = receivables_kpis(_arrays(run), run.as_of, run.policy)
    return run.cache["kpis"]  # type: ignore[no-any-return]


def _aging(run: _Run) -> Any:
    """The aging on the as-of day; the invoices the reader sets aside (no FX rate, no due
    date, not a number, a date out of range) go to the Problems sheet, once."""
    if "aging" not in run.cache:
        from xlcredit.engine.aging import age_invoices

        result = age_invoices(_arrays(run), run.as_of, run.policy, language=run.lang)
        aside = result.position.set_aside_items("en")
        if len(aside):
            rows = run.invoices.frame.reset_index()
            where = dict(zip(rows["invoice_no"], run.invoices.excel_rows, strict=False))
            ledger = _ledger(run)
            pos = np.flatnonzero(result.position.set_aside)
            reasons = result.position.set_aside_reasons(run.invoices.field)
            for rec, i, why in zip(aside.itertuples(index=False), pos, reasons, strict=True):  # a handful
                value = ledger[rec.column].iloc[i] if rec.column in ledger.columns else ""
                run.problems.append(Problem(
                    run.invoices.sheet, where.get(rec.invoice_no), run.invoices.field(str(rec.column)),
                    "" if pd.isna(value) else value,
                    Message("ledger.left_out", {"reason": why, "invoice": rec.invoice_no})))
        run.cache["aging"] = result
    return run.cache["aging"]


def _fx(run: _Run, currency: pd.Series) -> np.ndarray:
    """Rate of each row's currency to the base (NaN when the FX table lacks it; a blank is
    the base currency), each distinct currency read once."""
    keys = as_categories(currency, clean=currency_code, blank=run.ccy)
    rates = [np.nan if (r := run.policy.fx_rate(c)) is None else r for c in keys.cat.categories]
    return np.append(np.asarray(rates, dtype=float), np.nan)[keys.cat.codes.to_numpy()]


def _by_buyer(run: _Run, series: pd.Series) -> np.ndarray:
    """A per-buyer series (index buyer_id) aligned with the buyer table's rows (NaN for a
    buyer the series lacks), as ``Series.map`` aligns it. Where each buyer row sits in an
    index is looked up once per index: the figures of one table share theirs."""
    known: list[tuple[pd.Index, np.ndarray]] = run.cache.setdefault("buyer_rows", [])
    index = series.index
    at = next((rows for seen, rows in known if index.is_(seen)), None)  # is_: the same index, or a view of it
    if at is None:
        if not index.is_unique:  # as Series.map: a lookup needs unique keys
            return run.buyers.frame["buyer_id"].map(series).to_numpy(dtype=float)
        at = index.get_indexer(pd.Index(run.buyers.frame["buyer_id"]))
        known.append((index, at))
    return np.append(series.to_numpy(dtype=float), np.nan)[at]  # -1 (not found) picks the NaN


def _history(run: _Run) -> pd.DataFrame:
    """Per buyer (index buyer_id): days the oldest open item is overdue today and how many
    invoices have a known outcome, from the ledger's one reading (the aging's position)."""
    from xlcredit.engine.decisions import payment_history

    return payment_history(_aging(run).position)


def _scores(run: _Run) -> pd.DataFrame:
    """TradeScore of every buyer row; blank payment behaviour taken from the ledger."""
    if "scores" not in run.cache:
        from xlcredit.engine.scoring import INPUTS, score_buyers

        b = run.buyers.frame
        kpis = _kpis(run)
        inputs = pd.DataFrame({name: b[name].to_numpy() if name in b else np.full(len(b), np.nan)
                               for name in INPUTS})
        for name in ("days_beyond_terms", "late_share"):
            typed = inputs[name].to_numpy(dtype=float)
            inputs[name] = np.where(np.isnan(typed), _by_buyer(run, kpis[name]), typed)
        history = _history(run)
        for name in ("oldest_overdue_days", "history_invoices"):
            typed = inputs[name].to_numpy(dtype=float)
            inputs[name] = np.where(np.isnan(typed), _by_buyer(run, history[name]), typed)
        scores = score_buyers(inputs, policy=run.policy)
        why = scores["problem"].to_numpy(dtype=object)
        for pos in np.flatnonzero(scores["problem"].notna().to_numpy()):
            run.problems.append(Problem(run.buyers.sheet, int(run.buyers.excel_rows[pos]), "TradeScore",
                                        "", why[pos]))
        run.cache["scores"] = scores
    return run.cache["scores"]  # type: ignore[no-any-return]


def _assess(run: _Run) -> pd.DataFrame:
    """Scores, limits and actions of every buyer row (index: rows of the parsed table)."""
    if "assess" in run.cache:
        return run.cache["assess"]  # type: ignore[no-any-return]
    from xlcredit.engine.decisions import decide_buyers, experience_limit, overdue_by_step
    from xlcredit.engine.limits import recommend_limits
    from xlcredit.engine.statements import equity, working_capital
    from xlcredit.engine.utilisation import limit_usage

    b = run.buyers.frame
    kpis = _kpis(run)
    n = len(b)
    exposure = np.nan_to_num(_by_buyer(run, kpis["receivables"]), nan=0.0)
    overdue = np.nan_to_num(_by_buyer(run, kpis["overdue"]), nan=0.0)
    dbt_ledger = _by_buyer(run, kpis["days_beyond_terms"])
    late_ledger = _by_buyer(run, kpis["late_share"])

    scores = _scores(run)

    rate = _fx(run, b["currency"])
    missing = np.isnan(rate)
    currencies = b["currency"].to_numpy(dtype=object)
    for pos in np.flatnonzero(missing):
        ccy = currencies[pos]
        run.problems.append(Problem(run.buyers.sheet, int(run.buyers.excel_rows[pos]),
                                    run.buyers.field("currency"), ccy, Message("sheet.no_fx", {"ccy": ccy})))

    def money(name: str) -> np.ndarray:
        return b[name].to_numpy(dtype=float) * rate

    limits = recommend_limits(
        scores["score"].to_numpy(dtype=float), equity(money("total_assets"), money("total_liabilities")),
        working_capital(money("current_assets"), money("current_liabilities")), money("revenue"),
        annual_sales=money("annual_sales"), payment_terms_days=b["payment_terms_days"].to_numpy(dtype=float),
        requested=money("requested_limit"), insured_limit=money("insured_limit"),
        current_exposure=exposure, policy=run.policy,
        band=scores["band"].to_numpy(dtype=object),
    )
    current_limit = money("current_limit")

    history = _previous_history(run)
    last = history.sort_values("date").groupby("buyer_id")["score"].last() if len(history) else pd.Series(dtype=float)
    previous = b["buyer_id"].map(last).to_numpy(dtype=float)
    score = scores["score"].to_numpy(dtype=float)
    change = score - previous

    lang = run.lang
    zh = lang == "zh-CN"
    suffix = "_zh" if zh else "_en"
    reason_text = np.full(n, "", dtype=object)
    for k in (1, 2, 3):  # three columns, joined as text
        raw = scores[f"reason_{k}{suffix}"].to_numpy(dtype=object)
        part = np.where(pd.isna(raw), "", raw.astype(str))
        sep = np.where((reason_text != "") & (part != ""), text("refresh.list_sep", run.lang), "")
        reason_text = reason_text + sep + part

    # the decision engine: ledger (dunning steps, promises, disputes), security, data, overrides
    band = scores["band"].to_numpy(dtype=object)
    worklist = _worklist(run)
    summary = _collections_summary(run)  # each buyer's highest dunning step, computed once
    step_text = b["buyer_id"].map(summary["highest_action_zh" if zh else "highest_action_en"])
    steps = pd.DataFrame(columns=["worst_step", "hold_overdue", "suspend_overdue", "broken_promises"])
    if len(worklist):
        steps = overdue_by_step(worklist["buyer_id"], worklist["step_no"], worklist["open_amount_base"],
                                worklist["disputed"], worklist["broken_promise"], policy=run.policy)
    disputed = _by_buyer(run, worklist.loc[worklist["disputed"].astype(bool)].groupby("buyer_id")[
        "open_amount_base"].sum()) if len(worklist) else np.zeros(n)
    behaviour = (scores["basis"] == "behaviour").to_numpy()
    sales = kpis["sales"] * 365.0 / kpis["window_days"]
    need = limits["need"].to_numpy(dtype=float)
    limit = np.where(behaviour, experience_limit(np.nan_to_num(_by_buyer(run, sales)), band, run.policy, need),
                     limits["limit"].to_numpy(dtype=float))
    known_basis = ~(np.isnan(money("total_assets")) & np.isnan(money("revenue"))
                    & np.isnan(money("current_assets")))
    override_limit = money("override_limit")
    decided = decide_buyers(
        band, limit, need=need, exposure=exposure, overdue=overdue,
        score=scores["score"].to_numpy(dtype=float), current_limit=current_limit,
        terms_offered=b["payment_terms_days"].to_numpy(dtype=float),
        worst_step=_by_buyer(run, steps["worst_step"]), hold_overdue=_by_buyer(run, steps["hold_overdue"]),
        suspend_overdue=_by_buyer(run, steps["suspend_overdue"]),
        broken_promises=_by_buyer(run, steps["broken_promises"]), disputed=disputed,
        insured_limit=money("insured_limit"), security_amount=money("security_amount"),
        problem=scores["problem"].to_numpy(dtype=object),
        statements_known=(known_basis | behaviour).astype(float), score_change=change,
        last_review=b["last_review"].to_numpy(), override_decision=b["override_decision"].to_numpy(dtype=object),
        override_limit=override_limit, override_expiry=b["override_expiry"].to_numpy(),
        override_by=b["override_by"].to_numpy(dtype=object), as_of=run.as_of, policy=run.policy,
    )
    for pos in np.flatnonzero(decided["override_note"].notna().to_numpy()):
        run.problems.append(Problem(run.buyers.sheet, int(run.buyers.excel_rows[pos]),
                                    run.buyers.field("override_decision"),
                                    b["override_decision"].iloc[pos], decided["override_note"].iloc[pos]))
    limit = decided["limit"].to_numpy(dtype=float)
    used, utilisation, over = limit_usage(exposure, current_limit, limit)
    action = decided["action_text"].to_numpy(dtype=object).copy()
    collect = (decided["action"] == "collect").to_numpy() & step_text.notna().to_numpy()
    action[collect] = action[collect] + text("refresh.colon", run.lang) + step_text[collect].astype(str).to_numpy(dtype=object)
    drop = np.nan_to_num(-change, nan=0).astype(int)
    fell = (decided["action"] == "review").to_numpy() & (drop >= run.policy.monitoring.score_drop_alert)
    action[fell] = [_l("review", lang, n=int(d)) for d in drop[fell]]

    out = pd.DataFrame({
        "exposure": exposure, "overdue": overdue, "dbt_ledger": dbt_ledger,
        "late_share_ledger": late_ledger, "score": score, "band": band,
        "grade": scores["grade"].to_numpy(dtype=float), "pd": scores["pd_12m"].to_numpy(dtype=float),
        "coverage": scores["coverage"].to_numpy(dtype=float), "reasons": reason_text,
        "recommended_limit": limit,
        "recommended_limit_ccy": np.where(rate > 0, limit / rate, np.nan),
        "decision": decided["decision_text"].to_numpy(dtype=object),
        "recommended_terms": decided["terms_days"].to_numpy(dtype=float),
        "approval_level": decided["approval_level"].to_numpy(dtype=object),
        "utilisation": utilisation, "over_limit": over, "score_change": change, "action": action,
        "decision_rule": decided["rule_text"].to_numpy(dtype=object),
        "next_review": decided["next_review"].to_numpy(),
        "limit_used": used, "decision_code": decided["decision"].to_numpy(dtype=object),
        "rule": decided["rule"].to_numpy(dtype=object), "action_code": decided["action"].to_numpy(dtype=object),
        "to_clear": decided["to_clear"].to_numpy(dtype=float),
        "review_due": decided["review_due"].to_numpy(dtype=bool),
        "never_reviewed": decided["never_reviewed"].to_numpy(dtype=bool),
    }, index=pd.RangeIndex(n))
    run.cache["assess"] = out
    return out


def _worklist(run: _Run) -> pd.DataFrame:
    if "worklist" not in run.cache:
        from xlcredit.engine.collections import build_worklist

        scores = _scores(run)
        risk = pd.DataFrame({"buyer_id": run.buyers.frame["buyer_id"].to_numpy(),
                             "score": scores["score"].to_numpy(), "band": scores["band"].to_numpy(),
                             "pd": scores["pd_12m"].to_numpy()})
        for key in ("late_interest_preset", "buyer_type", "country", "international"):
            if key in run.buyers.frame.columns:  # the buyer's late-payment terms, where typed
                risk[key] = run.buyers.frame[key].to_numpy(dtype=object)
        _late_payment_problems(run, risk)
        run.cache["risk"] = risk.dropna(subset=["buyer_id"]).drop_duplicates("buyer_id")
        run.cache["worklist"] = build_worklist(_arrays(run), run.as_of, run.policy, run.cache["risk"],
                                               restarts=_limitation_restarts(run))
    return run.cache["worklist"]  # type: ignore[no-any-return]


def _letters_log(run: _Run) -> pd.DataFrame | None:
    """The Letters log (``tblLettersLog``) as written by ``xlcredit letters`` and marked by
    the user, read once per run (its problems listed once); None when the workbook has none."""
    if "letters_log" not in run.cache:
        from xlcredit.workbook.schema import LETTERS_LOG

        t = _read_own(run, LETTERS_LOG)
        if t is not None:
            run.problems.extend(p for p in t.problems if isinstance(p, Problem))
        run.cache["letters_log"] = None if t is None else t.frame
    return run.cache["letters_log"]  # type: ignore[no-any-return]


def _limitation_restarts(run: _Run) -> pd.DataFrame:
    """Evidence from the Letters log that restarts the limitation period (民法典 195): per
    invoice (``invoice_no``, ``date``), the buyer's latest letter marked sent, for every
    invoice of that buyer already due before that day and not disputed today (a letter
    leaves disputed items out; an item disputed then but not now is left out too: the
    restart is never assumed). The day is the Sent mark when it is a date on or after the
    letter's date, else the letter's date; a mark after the as-of day does not count.
    Recorded promises (the Collections sheet's promise date) count in the engine itself."""
    empty = pd.DataFrame({"invoice_no": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]")})
    log = _letters_log(run)
    if log is None or not len(log) or "sent" not in log.columns:
        return empty
    sent_text = log["sent"].astype(str).str.strip()
    marked = log["sent"].notna().to_numpy() & (sent_text != "").to_numpy() & log["date"].notna().to_numpy()
    if not marked.any():
        return empty
    made = pd.to_datetime(log["date"][marked]).dt.normalize()
    mark = pd.to_datetime(sent_text[marked], errors="coerce", format="ISO8601").dt.normalize()
    day = mark.where(mark.notna() & (mark >= made), made)
    sent = pd.DataFrame({"buyer_id": log["buyer_id"][marked].astype(str).to_numpy(), "date": day.to_numpy()})
    sent = sent[sent["date"] <= pd.Timestamp(run.as_of)]
    if not len(sent):
        return empty
    latest = sent.groupby("buyer_id")["date"].max()
    ledger = _ledger(run)
    letter_day = latest.reindex(ledger["buyer_id"].astype(str).to_numpy())
    items = pd.DataFrame({"invoice_no": ledger["invoice_no"].astype(str).to_numpy(),
                          "date": pd.to_datetime(letter_day).to_numpy(dtype="datetime64[ns]"),
                          "due": pd.to_datetime(ledger["due_date"], errors="coerce").to_numpy(),
                          "disputed": ledger["disputed"].to_numpy(dtype=bool)})
    covered = items["date"].notna() & (items["due"] < items["date"]) & ~items["disputed"]
    return items.loc[covered, ["invoice_no", "date"]].reset_index(drop=True)


def _late_payment_problems(run: _Run, risk: pd.DataFrame) -> None:
    """A buyer's late-interest rule or buyer type that is none of the known ones goes on the
    Problems sheet (the policy's rule, or no statutory check, is used for that buyer)."""
    from xlcredit.engine.late_payment import buyer_type_codes, preset_codes

    checks = (("late_interest_preset", preset_codes, Message("late.preset_fallback")),
              ("buyer_type", buyer_type_codes, Message("late.no_statutory_check")))
    for key, reader, consequence in checks:
        if key not in risk.columns:
            continue
        values = risk[key].to_numpy(dtype=object)
        field = run.buyers.field(key)  # the reason names the column by the sheet's header
        _, reasons = reader(values, field)
        for pos in np.flatnonzero(pd.notna(reasons)):  # only the rows in error
            run.problems.append(Problem(run.buyers.sheet, int(run.buyers.excel_rows[pos]), field, values[pos],
                                        Message("late.problem", {"why": reasons[pos], "then": consequence})))


def _collections_summary(run: _Run) -> pd.DataFrame:
    """Per-buyer collections figures (overdue chased, highest dunning step) from the worklist."""
    if "collections_summary" not in run.cache:
        from xlcredit.engine.collections import summarise_by_buyer

        run.cache["collections_summary"] = summarise_by_buyer(_worklist(run), run.policy)
    return run.cache["collections_summary"]  # type: ignore[no-any-return]


def _ledger_kpis(run: _Run) -> Any:
    """The receivables figures of the whole ledger (the Dashboard's and the summary's)."""
    from xlcredit.engine.receivables import ledger_kpis

    if "ledger_kpis" not in run.cache:
        run.cache["ledger_kpis"] = ledger_kpis(_arrays(run), run.as_of, run.policy)
    return run.cache["ledger_kpis"]


def _read_own(run: _Run, schema: TableSchema) -> ParsedTable | None:
    """A table an earlier refresh wrote (Score history, Collections): None on a first run; one
    that cannot be read is listed on the Problems sheet and taken as absent."""
    if schema.name.casefold() not in {n.casefold() for n in run.workbook.table_names()}:
        return None
    raw = run.workbook.read_table(schema.name)
    try:
        return parse_raw(raw, schema, rules=ReadingRules.from_policy(run.policy, raw.date1904))
    except SchemaError as exc:
        run.problems.append(Problem(raw.sheet, raw.header_row, schema.name, "", exc.message))
        return None


def _previous_history(run: _Run) -> pd.DataFrame:
    if "history" not in run.cache:
        frame = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "buyer_id": [], "name": [],
                              "score": [], "band": [], "pd": []})
        t = _read_own(run, HISTORY)
        if t is not None:
            frame = t.frame.dropna(subset=["date", "buyer_id"])
        day = pd.Timestamp(run.as_of)
        run.cache["history_all"] = frame
        run.cache["history"] = frame[pd.to_datetime(frame["date"]) < day]  # earlier runs only
    return run.cache["history"]  # type: ignore[no-any-return]


def _previous_collections(run: _Run) -> pd.DataFrame:
    """The user's columns of the current Collections sheet, by invoice number."""
    if "collections_user" not in run.cache:
        frame = pd.DataFrame(columns=["status", "promise_date", "owner", "notes"])
        t = _read_own(run, COLLECTIONS_USER)
        if t is not None:
            run.problems.extend(t.problems)
            f = t.frame.dropna(subset=["invoice_no"]).drop_duplicates("invoice_no")
            frame = f.set_index("invoice_no")[["status", "promise_date", "owner", "notes"]]
        run.cache["collections_user"] = frame
    return run.cache["collections_user"]  # type: ignore[no-any-return]


def _first_per_buyer(run: _Run, values: pd.Series) -> pd.Series:
    """Values aligned with the buyer rows, as a series by buyer ID (the first row of an ID
    typed twice; rows without an ID left out)."""
    s = pd.Series(values.to_numpy(), index=run.buyers.frame["buyer_id"].to_numpy())
    return s[~s.index.duplicated() & s.index.notna()]


def _buyer_names(run: _Run) -> pd.Series:
    return _first_per_buyer(run, run.buyers.frame["name"])


def _bands(run: _Run) -> pd.Series:
    return _first_per_buyer(run, _assess(run)["band"])


def _high_risk(run: _Run) -> int:
    """How many buyers are high risk: in the worst rated band of the policy."""
    return int((_assess(run)["band"] == run.policy.score.bands[-1].band).sum())


def _example_book(buyers: int = 8) -> Any:
    """A small sample workbook in a temporary folder, opened with the file adapter (the
    docstring examples use it)."""
    import tempfile
    from pathlib import Path

    from xlcredit.workbook.files import FileWorkbook
    from xlcredit.workbook.templates import build_template

    path = build_template(Path(tempfile.mkdtemp(prefix="xlcredit-")) / "example.xlsx", sample=buyers)
    return FileWorkbook.open(path)
