"""The macros behind the ribbon buttons, written once against the Workbook port.

Each macro reads the tables it needs through a :class:`~xlcredit.workbook.port.Workbook`
(live Excel or a file), runs the engine over whole columns and writes back only what
xlcredit owns: the output columns of ``tblBuyers`` and the generated sheets (Aging,
Collections, Dashboard, Score history, Problems, Payment plan). A cell a user typed is never
changed. Problems found in the data (a text in an amount column, an invoice of an unknown
buyer) are listed on the Problems sheet and the run goes on; only a missing table or
required column stops it with a :class:`~xlcredit.engine.errors.SchemaError` that says what to add.

The ribbon of the add-in calls the zero-argument ``ribbon_*`` functions through RunPython;
the command line calls :func:`refresh_all` on a file.

What does a refresh of a sample workbook report?

>>> import tempfile, pathlib
>>> from xlcredit.workbook.templates import build_template
>>> from xlcredit.workbook.files import FileWorkbook
>>> path = build_template(pathlib.Path(tempfile.mkdtemp()) / "demo.xlsx", sample=30)
>>> with FileWorkbook.open(path) as book:
...     summary = refresh_all(book)
...     book.save()
>>> summary.buyers, summary.base_currency, summary.as_of.isoformat()
(30, 'EUR', '2026-11-30')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.errors import SchemaError
from xlcredit.engine.policy import Policy
from xlcredit.workbook.policy_sheet import load_policy
from xlcredit.workbook.port import (
    CellSpec,
    ChartSeries,
    ChartSpec,
    ColumnWrite,
    ConditionalFormat,
    DataValidation,
    SheetSpec,
    TableSpec,
    Workbook,
)
from xlcredit.workbook.schema import (
    BUYERS,
    COLLECTIONS_USER,
    HISTORY,
    INVOICES,
    SHEET_NAMES,
    ParsedTable,
    Problem,
    check_buyers,
    check_invoices,
    parse_table,
    problems_frame,
)

__all__ = [
    "COLLECTION_STATUSES",
    "RefreshSummary",
    "build_aging",
    "build_collections",
    "build_dashboard",
    "build_payment_plan",
    "build_problems",
    "flag_high_risk",
    "refresh_all",
    "refresh_buyers",
    "ribbon_build_aging",
    "ribbon_build_collections",
    "ribbon_build_dashboard",
    "ribbon_flag_high_risk",
    "ribbon_help",
    "ribbon_open_policy",
    "ribbon_payment_plan",
    "ribbon_refresh_all",
    "ribbon_refresh_buyers",
    "update_score_history",
]

Progress = Callable[[float, str], None]

_MONEY = "#,##0.00;[Red]-#,##0.00"
_MONEY0 = "#,##0;[Red]-#,##0"
_MONEY_Z = '#,##0.00;[Red]-#,##0.00;"-"'
_PCT = "0.0%"
_DATE = "yyyy-mm-dd"
_BAND_COLOURS = {"A": "#C6EFCE", "B": "#E2EFDA", "C": "#FFEB9C", "D": "#FFC7CE", "E": "#D9D9D9"}
_BUCKET_COLOURS = ["#70AD47", "#FFD966", "#F4B183", "#ED7D31", "#C55A11", "#C00000", "#7B0000",
                   "#3A0000"]

#: The drop-down of the Collections sheet's Status column (the user's own column: other
#: wording is allowed with a warning, and is carried over like any value).
COLLECTION_STATUSES: dict[str, tuple[str, ...]] = {
    "en": ("open", "contacted", "promised", "disputed", "paid", "escalated", "written off"),
    "zh-CN": ("未处理", "已联系", "已承诺", "有争议", "已付款", "已升级", "已核销"),
}

_CHANNELS_ZH = {"email": "邮件", "phone": "电话", "letter": "信函", "internal": "内部",
                "agency": "催收机构", "legal": "法律"}

#: Labels of generated sheets, English and Chinese.
_L: dict[str, tuple[str, str]] = {
    "aging_title": ("Aging of receivables", "应收账款账龄分析"),
    "as_of": ("As of {date}; amounts in {ccy}", "截至 {date}；金额单位：{ccy}"),
    "buyer_id": ("Buyer ID", "客户编号"),
    "name": ("Name", "客户名称"),
    "band": ("Band", "风险等级"),
    "share": ("Share of total", "占比"),
    "top_aging": ("Largest balances by age", "余额最大的客户账龄"),
    "coll_title": ("Collections worklist", "催收工作清单"),
    "coll_note": ("Overdue open invoices, most urgent first. Status, Promise date, Owner and Notes "
                  "are yours: they are kept when the sheet is rebuilt.",
                  "逾期未付发票，按紧急程度排序。状态、承诺付款日、负责人和备注由您填写，刷新时保留。"),
    "rank": ("Rank", "优先顺序"),
    "invoice_no": ("Invoice no", "发票号"),
    "currency": ("Currency", "币种"),
    "open_amount": ("Open amount", "未付金额"),
    "open_base": ("Open ({ccy})", "未付金额（{ccy}）"),
    "due_date": ("Due date", "到期日"),
    "days_overdue": ("Days overdue", "逾期天数"),
    "state": ("State", "催收状态"),
    "action": ("Action", "催收措施"),
    "channel": ("Channel", "方式"),
    "next_action": ("Next action", "下次跟进日期"),
    "priority": ("Priority", "优先分"),
    "late_total": ("Late interest", "逾期利息"),
    "insurance": ("Insurance", "信用保险提醒"),
    "status": ("Status", "状态"),
    "status_prompt": ("Pick where this invoice stands; your own wording is kept too.",
                      "选择该发票的处理状态；也可填写自己的说明。"),
    "total": ("Total", "合计"),
    "footer": ("Page &P / &N", "第 &P 页 / 共 &N 页"),
    "promise_date": ("Promise date", "承诺付款日"),
    "owner": ("Owner", "负责人"),
    "notes": ("Notes", "备注"),
    "dash_title": ("Credit control dashboard", "信用管理仪表板"),
    "figure": ("Figure", "指标"),
    "value": ("Value", "数值"),
    "receivables": ("Receivables (open balance)", "应收账款余额"),
    "overdue": ("Overdue", "逾期金额"),
    "pct_current": ("Percent current", "未逾期占比"),
    "dso": ("DSO (days, last 3 months)", "应收账款周转天数 DSO（近3个月）"),
    "dso_best": ("Best possible DSO", "最佳可能 DSO"),
    "days_delinquent": ("Average days delinquent", "平均拖欠天数"),
    "cei": ("Collection effectiveness index", "催收有效性指数 CEI"),
    "buyers": ("Buyers", "客户数"),
    "high_risk": ("High-risk buyers (band {band})", "高风险客户（{band}级）"),
    "over_limit_n": ("Buyers over their limit", "超额度客户数"),
    "disputed": ("Disputed (open)", "争议金额（未付）"),
    "problems_n": ("Problems found in the data", "数据问题数"),
    "top_title": ("Top exposures", "最大风险敞口"),
    "exposure": ("Exposure", "风险敞口"),
    "limit": ("Limit", "额度"),
    "utilisation": ("Utilisation", "额度使用率"),
    "band_title": ("Buyers by risk band", "各风险等级客户分布"),
    "label": ("Meaning", "含义"),
    "count": ("Buyers", "客户数"),
    "aging_chart": ("Receivables by age", "应收账款账龄分布"),
    "history_title": ("Score history", "评分历史"),
    "date": ("Date", "日期"),
    "score": ("Score", "评分"),
    "pd": ("PD 12m", "违约概率"),
    "problems_title": ("Problems found in the data", "数据中发现的问题"),
    "problems_note": ("Each row names a cell that could not be used; the rest of the run went on. "
                      "Fix the cell and refresh again.",
                      "每行列出一个无法使用的单元格；其余数据已正常处理。请修正后再次刷新。"),
    "no_problems": ("No problems found.", "未发现问题。"),
    "sheet": ("Sheet", "工作表"),
    "row": ("Row", "行"),
    "column": ("Column", "列"),
    "rule": ("Problem", "问题"),
    "plan_title": ("Payment plan for {name}", "{name} 的还款计划"),
    "plan_note": ("Proposed schedule for the overdue balance; the same with a live formula: {f}",
                  "逾期余额的还款计划建议；使用公式可得同样结果：{f}"),
    "plan_amount": ("Amount", "金额"),
    "plan_n": ("Instalments", "分期数"),
    "plan_rate": ("Annual rate", "年利率"),
    "plan_first": ("First due date", "首期到期日"),
    "no": ("No", "期数"),
    "payment": ("Payment", "还款额"),
    "interest": ("Interest", "利息"),
    "principal": ("Principal", "本金"),
    "balance": ("Balance", "余额"),
    "ok": ("OK", "正常"),
    "suspend": ("Suspend credit", "暂停赊销"),
    "prepay": ("Prepayment or guarantee", "要求预付款或担保"),
    "reduce": ("Reduce credit limit", "降低信用额度"),
    "review": ("Review: score fell {n} points", "复核：评分下降{n}分"),
    "not_rated": ("Get financial statements (not rated)", "索取财务报表（未评级）"),
    "collect": ("Collections: {action}", "催收：{action}"),
    "no_fx": ("no FX rate for {ccy} in the FX table; add it on the Policy sheet",
              "汇率表中没有 {ccy} 的汇率；请在信用政策表中添加"),
}


def _l(key: str, lang: str, **fields: Any) -> str:
    en, zh = _L[key]
    text = zh if lang == "zh-CN" else en
    return text.format(**fields) if fields else text


def _sheet(role: str, lang: str) -> str:
    return SHEET_NAMES[role]["zh-CN" if lang == "zh-CN" else "en"]


@dataclass
class RefreshSummary:
    """What a refresh did, for the status bar and the command line's last lines."""

    buyers: int
    high_risk: int
    overdue_total: float
    dso: float
    problems: int
    base_currency: str
    as_of: dt.date
    language: str = "en"
    receivables: float = 0.0
    sheets: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as short lines of text in the run's language."""
        dso = "n/a" if math.isnan(self.dso) else f"{self.dso:,.1f}"
        if self.language == "zh-CN":
            return [f"客户 {self.buyers}，高风险 {self.high_risk}",
                    f"逾期 {self.overdue_total:,.2f} {self.base_currency}，DSO {dso} 天",
                    f"数据问题 {self.problems}（见“问题”表）"]
        return [f"Buyers {self.buyers}, high risk {self.high_risk}",
                f"Overdue {self.overdue_total:,.2f} {self.base_currency}, DSO {dso} days",
                f"Problems {self.problems} (see the Problems sheet)"]


# --------------------------------------------------------------------------- the run
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
    policy, problems = load_policy(workbook)
    if as_of is not None:
        policy = policy.with_overrides({"as_of": as_of.isoformat()})
    lang = policy.language
    day = policy.as_of_date()
    names = workbook.table_names()
    for schema in (BUYERS, INVOICES):
        if schema.name not in names:
            raise SchemaError(
                f"The workbook has no table named {schema.name} (the {schema.role} table). "
                f"Select the {schema.role} data, Insert > Table, and name it {schema.name} "
                "(Table Design > Table Name); or start from `xlcredit new`."
            )
    raw_b = workbook.read_table(BUYERS.name)
    buyers = parse_table(raw_b.header, raw_b.rows, BUYERS, sheet=raw_b.sheet, header_row=raw_b.header_row)
    check_buyers(buyers)
    raw_i = workbook.read_table(INVOICES.name)
    invoices = parse_table(raw_i.header, raw_i.rows, INVOICES, sheet=raw_i.sheet, header_row=raw_i.header_row)
    check_invoices(invoices, buyers.frame["buyer_id"].dropna().tolist())
    problems = problems + buyers.problems + invoices.problems
    return _Run(workbook, policy, lang, day, buyers, invoices, problems)


def _ledger(run: _Run) -> pd.DataFrame:
    """The invoice rows the engines can use (buyer, amount known), canonical columns."""
    if "ledger" not in run.cache:
        f = run.invoices.frame
        usable = f["buyer_id"].notna() & f["amount"].notna()
        ledger = f.loc[usable].copy()
        ledger["disputed"] = ledger["disputed"].to_numpy(dtype=float) == 1.0
        ledger["currency"] = ledger["currency"].where(ledger["currency"].notna(), run.ccy)
        ledger["currency"] = ledger["currency"].astype(str).str.strip().str.upper()
        collections = _previous_collections(run)
        if len(collections):
            promised = ledger["invoice_no"].map(collections["promise_date"])
            ledger["promise_date"] = ledger["promise_date"].where(ledger["promise_date"].notna(), promised)
        run.cache["ledger"] = ledger.reset_index(drop=True)
    return run.cache["ledger"]  # type: ignore[no-any-return]


def _kpis(run: _Run) -> pd.DataFrame:
    if "kpis" not in run.cache:
        from xlcredit.engine.receivables import receivables_kpis

        run.cache["kpis"] = receivables_kpis(_ledger(run), run.as_of, run.policy)
    return run.cache["kpis"]  # type: ignore[no-any-return]


def _aging(run: _Run) -> Any:
    if "aging" not in run.cache:
        from xlcredit.engine.aging import age_invoices

        result = age_invoices(_ledger(run), run.as_of, run.policy, language=run.lang)
        unaged = result.unaged
        if len(unaged):
            rows = run.invoices.frame.reset_index()
            where = dict(zip(rows["invoice_no"], run.invoices.excel_rows, strict=False))
            for rec in unaged.itertuples(index=False):  # a handful of items set aside
                run.problems.append(Problem(run.invoices.sheet, where.get(rec.invoice_no),
                                            run.invoices.header("currency", "en"), rec.currency,
                                            f"{rec.reason}: invoice {rec.invoice_no} left out of aging"))
        run.cache["aging"] = result
    return run.cache["aging"]


def _fx(run: _Run, currency: pd.Series) -> np.ndarray:
    """Rate of each row's currency to the base (NaN when the FX table lacks it)."""
    codes = currency.where(currency.notna(), run.ccy).astype(str).str.strip().str.upper()
    uniques = codes.unique()
    table = {c: (run.policy.fx_rate(c) if run.policy.fx_rate(c) is not None else np.nan) for c in uniques}
    return codes.map(table).to_numpy(dtype=float)


def _by_buyer(run: _Run, series: pd.Series) -> np.ndarray:
    """A per-buyer series (index buyer_id) aligned with the buyer table's rows."""
    return run.buyers.frame["buyer_id"].map(series).to_numpy(dtype=float)


def _history(run: _Run) -> pd.DataFrame:
    """Per buyer (index buyer_id): days the oldest open item is overdue today (0: none) and
    how many invoices have a known outcome (paid, or due by the as-of date)."""
    ledger = _ledger(run)
    day = pd.Timestamp(run.as_of)
    due = pd.to_datetime(ledger["due_date"], errors="coerce")
    paid = pd.to_datetime(ledger["paid_date"], errors="coerce")
    amount = ledger["amount"].to_numpy(dtype=float)
    settled = ledger["paid_amount"].to_numpy(dtype=float) if "paid_amount" in ledger else np.zeros(len(ledger))
    open_item = (paid.isna() | (paid > day)).to_numpy() & (np.abs(amount - np.nan_to_num(settled)) > 0.005)
    late_days = (day - due).dt.days.to_numpy(dtype=float)
    frame = pd.DataFrame({
        "buyer_id": ledger["buyer_id"].to_numpy(),
        "oldest_overdue_days": np.where(open_item & (late_days > 0), late_days, 0.0),
        "history_invoices": ((paid <= day) | (due <= day)).to_numpy(dtype=float),
    })
    return frame.groupby("buyer_id").agg({"oldest_overdue_days": "max", "history_invoices": "sum"})


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
                                        "", str(why[pos])))
        run.cache["scores"] = scores
    return run.cache["scores"]  # type: ignore[no-any-return]


def _assess(run: _Run) -> pd.DataFrame:
    """Scores, limits and actions of every buyer row (index: rows of the parsed table)."""
    if "assess" in run.cache:
        return run.cache["assess"]  # type: ignore[no-any-return]
    from xlcredit.engine.limits import recommend_limits

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
                                    run.buyers.header("currency", "en"), ccy, _l("no_fx", "en", ccy=ccy)))

    def money(name: str) -> np.ndarray:
        return b[name].to_numpy(dtype=float) * rate

    equity = money("total_assets") - money("total_liabilities")
    working_capital = money("current_assets") - money("current_liabilities")
    limits = recommend_limits(
        scores["score"].to_numpy(dtype=float), equity, working_capital, money("revenue"),
        annual_sales=money("annual_sales"), payment_terms_days=b["payment_terms_days"].to_numpy(dtype=float),
        requested=money("requested_limit"), insured_limit=money("insured_limit"),
        current_exposure=exposure, policy=run.policy,
        band=scores["band"].to_numpy(dtype=object),
    )
    limit = limits["limit"].to_numpy(dtype=float)
    current_limit = money("current_limit")
    used = np.where(np.isnan(current_limit), limit, current_limit)
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(used > 0, exposure / used, np.where(exposure > 0, np.nan, 0.0))
    over = np.where(np.isnan(used), np.nan, np.maximum(exposure - np.nan_to_num(used), 0.0))

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
        sep = np.where((reason_text != "") & (part != ""), "；" if zh else "; ", "")
        reason_text = reason_text + sep + part

    # staged action
    band = scores["band"].to_numpy(dtype=object)
    decision = limits["decision"].to_numpy(dtype=object)
    worst = run.policy.score.bands[-1].band
    not_rated = band == run.policy.score.not_rated_band
    suspend = (decision == "suspend") | ((band == worst) & (over > 0))
    prepay = decision == "prepayment_or_guarantee"
    reduce = ((decision == "approve_reduced") & (current_limit > limit)) | (over > 0)
    review = change <= -run.policy.monitoring.score_drop_alert
    drop = np.nan_to_num(-change, nan=0).astype(int)
    stage = np.select(
        [suspend, prepay, not_rated, reduce, review],
        [_l("suspend", lang), _l("prepay", lang), _l("not_rated", lang), _l("reduce", lang), "review"],
        default=_l("ok", lang),
    ).astype(object)
    is_review = stage == "review"
    stage[is_review] = [_l("review", lang, n=int(d)) for d in drop[is_review]]
    worklist = _worklist(run)
    if len(worklist):
        top = worklist.sort_values("step_no").groupby("buyer_id").tail(1).set_index("buyer_id")
        step_text = top["action_zh" if zh else "action_en"]
        steps = b["buyer_id"].map(step_text)
        step_no = b["buyer_id"].map(top["step_no"]).fillna(0).to_numpy(dtype=float)
        has = (step_no > 0) & steps.notna().to_numpy()
        ok = stage == _l("ok", lang)
        collect = np.array([_l("collect", lang, action=s) for s in steps.fillna("")], dtype=object)
        stage = np.where(has & ok, collect, np.where(has, stage + ("；" if zh else "; ") + collect, stage))

    out = pd.DataFrame({
        "exposure": exposure, "overdue": overdue, "dbt_ledger": dbt_ledger,
        "late_share_ledger": late_ledger, "score": score, "band": band,
        "grade": scores["grade"].to_numpy(dtype=float), "pd": scores["pd_12m"].to_numpy(dtype=float),
        "coverage": scores["coverage"].to_numpy(dtype=float), "reasons": reason_text,
        "recommended_limit": limit, "decision": limits["decision_text"].to_numpy(dtype=object),
        "recommended_terms": limits["terms_days"].to_numpy(dtype=float),
        "approval_level": limits["approval_level"].to_numpy(dtype=object),
        "utilisation": utilisation, "over_limit": over, "score_change": change, "action": stage,
        "limit_used": used,
    }, index=pd.RangeIndex(n))
    run.cache["assess"] = out
    return out


def _cell(value: Any) -> Any:
    """A value for a cell: NaN and NaT become blank, numpy scalars Python ones."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()
    return value


def _frame_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose cells are plain Python values (blank for NaN)."""
    out = frame.astype(object).copy()
    for col in out.columns:
        out[col] = [_cell(v) for v in out[col].tolist()]
    return out


# --------------------------------------------------------------------------- macros
def refresh_buyers(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Write the output columns of ``tblBuyers``: exposure, overdue, payment behaviour,
    score, band, grade, PD, reasons, limit, decision, approval level, utilisation, over
    limit, score change and the staged action. Returns the number of buyers refreshed.

    Input columns are never written; the Score history sheet is appended to.

    Notes
    -----
    Amounts are converted to the base currency by each buyer's currency; utilisation =
    exposure / (current limit, else the recommended limit); over limit = max(exposure -
    that limit, 0); score change = this score - the buyer's last score on the Score
    history sheet from an earlier date. Blank days beyond terms and late share are taken
    from the buyer's paid invoices (:func:`xlcredit.engine.receivables.receivables_kpis`).

    Examples
    --------
    Which band is our first buyer in after a refresh, and what should we do about it?

    >>> with _example_book() as book:
    ...     n = refresh_buyers(book)
    ...     t = book.read_table("tblBuyers")
    >>> row = dict(zip(t.header, t.rows[0]))
    >>> n, row["Band"] in "ABCDE", 1 <= row["Score"] <= 100, isinstance(row["Action"], str)
    (8, True, True, True)
    """
    run = _run or _open(workbook, as_of)
    result = _assess(run)
    table = run.buyers
    writes: list[ColumnWrite] = []
    for col in BUYERS.outputs:
        values: list[Any] = [None] * table.n_rows
        series = result[col.name].tolist()
        for pos, idx in enumerate(table.data_index):
            values[int(idx)] = _cell(series[pos])
        writes.append(ColumnWrite(table.header(col.name, run.lang), values, col.number_format))
    workbook.write_columns(BUYERS.name, writes)
    if _run is None:
        update_score_history(workbook, _run=run)
    return len(result)


def _previous_history(run: _Run) -> pd.DataFrame:
    if "history" not in run.cache:
        frame = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "buyer_id": [], "name": [],
                              "score": [], "band": [], "pd": []})
        if HISTORY.name in run.workbook.table_names():
            raw = run.workbook.read_table(HISTORY.name)
            try:
                t = parse_table(raw.header, raw.rows, HISTORY, sheet=raw.sheet, header_row=raw.header_row)
                frame = t.frame.dropna(subset=["date", "buyer_id"])
            except SchemaError as exc:
                run.problems.append(Problem(raw.sheet, raw.header_row, HISTORY.name, "", str(exc)))
        day = pd.Timestamp(run.as_of)
        run.cache["history_all"] = frame
        run.cache["history"] = frame[pd.to_datetime(frame["date"]) < day]  # earlier runs only
    return run.cache["history"]  # type: ignore[no-any-return]


def update_score_history(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Rebuild the Score history sheet: earlier runs plus this run's scores (a second run on
    the same date replaces that date's rows). Returns the number of rows.

    Examples
    --------
    Does a second refresh on the same day add the rows twice?

    >>> with _example_book() as book:
    ...     update_score_history(book), update_score_history(book)
    (8, 8)
    """
    run = _run or _open(workbook, as_of)
    result = _assess(run)
    _previous_history(run)
    old = run.cache["history_all"]
    old = old[pd.to_datetime(old["date"]) != pd.Timestamp(run.as_of)]
    b = run.buyers.frame
    scored = ~np.isnan(result["score"].to_numpy(dtype=float)) & b["buyer_id"].notna().to_numpy()
    new = pd.DataFrame({
        "date": pd.Timestamp(run.as_of), "buyer_id": b["buyer_id"][scored], "name": b["name"][scored],
        "score": result["score"][scored], "band": result["band"][scored], "pd": result["pd"][scored],
    })
    frame = pd.concat([old, new], ignore_index=True) if len(old) else new.reset_index(drop=True)
    frame = frame.sort_values(["date", "buyer_id"], kind="stable").reset_index(drop=True)
    lang = run.lang
    headers = {c.name: c.header(lang) for c in HISTORY.columns}
    shown = _frame_cells(frame[list(headers)].rename(columns=headers))
    spec = SheetSpec(
        _sheet("history", lang),
        cells=[CellSpec(0, 0, _l("history_title", lang), bold=True, font_size=14)],
        tables=[TableSpec(HISTORY.name, shown, row=2, number_formats={
            headers["date"]: _DATE, headers["score"]: "0", headers["pd"]: "0.00%"},
            text_columns=(headers["buyer_id"], headers["name"], headers["band"]))],
        widths={0: 12.0, 1: 12.0, 2: 34.0, 3: 8.0, 4: 8.0, 5: 9.0}, freeze=(3, 0), tab_color="#7F7F7F",
        print_title_rows=(2, 2), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return len(frame)


def flag_high_risk(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Colour the Buyers sheet by band with conditional formats (not per-cell fills): the
    band cell in its band's colour, and the whole row of the worst band and of buyers over
    their limit. Returns the number of high-risk buyers (worst band).

    Examples
    --------
    How many high-risk buyers does the sample book hold?

    >>> with _example_book(60) as book:
    ...     refresh_buyers(book) == 60 and flag_high_risk(book) >= 0
    True
    """
    run = _run or _open(workbook, as_of)
    raw = workbook.read_table(BUYERS.name)
    found = BUYERS.resolve(raw.header)
    lang = run.lang
    band_header = run.buyers.header("band", lang)
    # after refresh_buyers the output columns exist; find them in the header as written
    header = list(raw.header)
    if "band" not in found and band_header not in header:
        return 0
    band_col = found.get("band", header.index(band_header) if band_header in header else 0)
    first_row = raw.header_row + 1
    last_row = max(raw.header_row + len(raw.rows), first_row)
    first_col = raw.first_column
    width = len(header)

    def letter(index: int) -> str:
        n, s = index + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            s = chr(65 + r) + s
        return s

    band_letter = letter(first_col - 1 + band_col)
    whole = f"{letter(first_col - 1)}{first_row}:{letter(first_col - 1 + width - 1)}{last_row}"
    band_range = f"{band_letter}{first_row}:{band_letter}{last_row}"
    worst = run.policy.score.bands[-1].band
    formats = [
        ConditionalFormat(whole, "formula", formula=f'=${band_letter}{first_row}="{worst}"',
                          fill="#FFE5E5"),
    ]
    if "over_limit" in found:
        over_letter = letter(first_col - 1 + found["over_limit"])
        formats.append(ConditionalFormat(f"{over_letter}{first_row}:{over_letter}{last_row}", "cell",
                                         operator=">", value=0, font_color="#C00000", bold=True))
    for band in run.policy.score.band_names:
        colour = _BAND_COLOURS.get(band, "#D9D9D9")
        formats.append(ConditionalFormat(band_range, "cell", operator="==", value=band, fill=colour,
                                         bold=band == worst))
    if "score_change" in found:
        sc = letter(first_col - 1 + found["score_change"])
        formats.append(ConditionalFormat(f"{sc}{first_row}:{sc}{last_row}", "cell", operator="<=",
                                         value=-run.policy.monitoring.score_drop_alert,
                                         font_color="#C00000", bold=True))
    adder = getattr(workbook, "add_conditional_formats", None)
    if callable(adder):
        adder(raw.sheet, formats)
    result = _assess(run)
    return int((result["band"] == worst).sum())


def _buyer_names(run: _Run) -> pd.Series:
    b = run.buyers.frame.dropna(subset=["buyer_id"]).drop_duplicates("buyer_id")
    return b.set_index("buyer_id")["name"]


def _bands(run: _Run) -> pd.Series:
    result = _assess(run)
    ids = run.buyers.frame["buyer_id"]
    s = pd.Series(result["band"].to_numpy(), index=ids.to_numpy())
    return s[~s.index.duplicated() & s.index.notna()]


def _text_width(text: str) -> float:
    """Width of a header in Excel character units (a CJK character is about two)."""
    return float(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))


def _fit(widths: dict[int, float], headers: list[str], first_col: int = 0, cap: float = 30) -> dict[int, float]:
    """Widen columns so that their headers (plus the filter button) fit."""
    out = dict(widths)
    for j, header in enumerate(headers):
        need = min(_text_width(str(header)) + 3, cap)
        out[first_col + j] = max(out.get(first_col + j, 8.43), need)
    return out


def _letter(index: int) -> str:
    n, s = index + 1, ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def build_aging(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> float:
    """Rebuild the Aging sheet: each buyer's open balance by bucket in the base currency,
    largest first, with a total row, the share of total, overdue and disputed, and a
    stacked bar chart of the largest balances. Returns the open balance.

    Examples
    --------
    How much is owed in total, and is all of it in the buckets?

    >>> with _example_book() as book:
    ...     total = build_aging(book)
    ...     t = book.read_table("tblAging")
    >>> buckets = t.header[3:9]
    >>> round(sum(sum(r[t.header.index(b)] for b in buckets) for r in t.rows), 2) == round(total, 2)
    True
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    result = _aging(run)
    by = result.by_buyer
    labels = list(result.labels)
    total_label, overdue_label, disputed_label = by.columns[len(labels):len(labels) + 3]
    grand = float(result.total[total_label])
    frame = by.sort_values(total_label, ascending=False, kind="stable")
    ids = frame.index.to_series()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = frame[total_label].to_numpy() / grand if grand else np.zeros(len(frame))
    table = pd.DataFrame({
        _l("buyer_id", lang): ids.to_numpy(dtype=object),
        _l("name", lang): ids.map(_buyer_names(run)).to_numpy(dtype=object),
        _l("band", lang): ids.map(_bands(run)).to_numpy(dtype=object),
    })
    for label in labels:
        table[label] = frame[label].to_numpy()
    table[total_label] = frame[total_label].to_numpy()
    table[_l("share", lang)] = share
    table[overdue_label] = frame[overdue_label].to_numpy()
    table[disputed_label] = frame[disputed_label].to_numpy()
    formats = {c: _MONEY_Z for c in [*labels, total_label, overdue_label, disputed_label]}
    formats[_l("share", lang)] = _PCT
    top_row = 3
    n = len(table)
    k = min(n, 12)
    charts: list[ChartSpec] = []
    first_col = 3
    if k:
        name_col = _letter(1)
        series = [
            ChartSeries(label, f"{_letter(first_col + i)}{top_row + 2}:{_letter(first_col + i)}{top_row + 1 + k}",
                        _BUCKET_COLOURS[min(i, len(_BUCKET_COLOURS) - 1)])
            for i, label in enumerate(labels)
        ]
        charts.append(ChartSpec("bar_stacked", _l("top_aging", lang),
                                f"{name_col}{top_row + 2}:{name_col}{top_row + 1 + k}", series,
                                anchor=f"{_letter(first_col + len(labels) + 5)}{top_row + 1}",
                                width_px=720, height_px=400))
    widths: dict[int, float] = {0: 11, 1: 32, 2: 8}
    for j in range(len(labels) + 4):
        widths[first_col + j] = 13
    spec = SheetSpec(
        _sheet("aging", lang),
        cells=[CellSpec(0, 0, _l("aging_title", lang), bold=True, font_size=14),
               CellSpec(1, 0, _l("as_of", lang, date=run.as_of.isoformat(), ccy=run.ccy))],
        tables=[TableSpec("tblAging", _frame_cells(table), row=top_row, number_formats=formats,
                          text_columns=(_l("buyer_id", lang), _l("name", lang)), total_row=True,
                          total_label=_l("total", lang))],
        charts=charts, widths=_fit(widths, list(table.columns)), freeze=(top_row + 1, 2),
        tab_color="#2E75B6", print_title_rows=(top_row, top_row), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return grand


def _previous_collections(run: _Run) -> pd.DataFrame:
    """The user's columns of the current Collections sheet, by invoice number."""
    if "collections_user" not in run.cache:
        empty = pd.DataFrame(columns=["status", "promise_date", "owner", "notes"])
        frame = empty
        if COLLECTIONS_USER.name in run.workbook.table_names():
            raw = run.workbook.read_table(COLLECTIONS_USER.name)
            try:
                t = parse_table(raw.header, raw.rows, COLLECTIONS_USER, sheet=raw.sheet,
                                header_row=raw.header_row)
                run.problems.extend(t.problems)
                f = t.frame.dropna(subset=["invoice_no"]).drop_duplicates("invoice_no")
                frame = f.set_index("invoice_no")[["status", "promise_date", "owner", "notes"]]
            except SchemaError as exc:
                run.problems.append(Problem(raw.sheet, raw.header_row, COLLECTIONS_USER.name, "", str(exc)))
        run.cache["collections_user"] = frame
    return run.cache["collections_user"]  # type: ignore[no-any-return]


def _worklist(run: _Run) -> pd.DataFrame:
    if "worklist" not in run.cache:
        from xlcredit.engine.collections import build_worklist

        scores = _scores(run)
        risk = pd.DataFrame({"buyer_id": run.buyers.frame["buyer_id"].to_numpy(),
                             "score": scores["score"].to_numpy(), "band": scores["band"].to_numpy(),
                             "pd": scores["pd_12m"].to_numpy()})
        run.cache["risk"] = risk.dropna(subset=["buyer_id"]).drop_duplicates("buyer_id")
        run.cache["worklist"] = build_worklist(_ledger(run), run.as_of, run.policy, run.cache["risk"])
    return run.cache["worklist"]  # type: ignore[no-any-return]


def build_collections(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Rebuild the Collections sheet: the prioritised worklist of overdue items with the
    dunning step of each, keeping the user's Status, Promise date, Owner and Notes by invoice
    number (Status offers a drop-down of :data:`COLLECTION_STATUSES`). Returns the number of
    items.

    Examples
    --------
    What does the collector's list hold?

    >>> with _example_book() as book:
    ...     n = build_collections(book)
    ...     t = book.read_table("tblCollections")
    >>> n == len(t.rows), t.header[:3]
    (True, ['Rank', 'Invoice no', 'Buyer ID'])
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    zh = lang == "zh-CN"
    wl = _worklist(run)
    user = _previous_collections(run)
    from xlcredit.engine.collections import INSURANCE_ALERTS_ZH, STATE_LABELS_ZH

    invoice = wl["invoice_no"]
    owners = run.buyers.frame.dropna(subset=["buyer_id"]).drop_duplicates("buyer_id").set_index("buyer_id")["owner"]
    carried_owner = invoice.map(user["owner"]) if len(user) else pd.Series([None] * len(wl))
    owner = carried_owner.where(carried_owner.notna(), wl["buyer_id"].map(owners))
    state = wl["dunning_state"].map(STATE_LABELS_ZH) if zh else wl["dunning_state"]
    cols: dict[str, Any] = {
        _l("rank", lang): wl["rank"].to_numpy(),
        _l("invoice_no", lang): invoice.to_numpy(dtype=object),
        _l("buyer_id", lang): wl["buyer_id"].to_numpy(dtype=object),
        _l("name", lang): wl["buyer_id"].map(_buyer_names(run)).to_numpy(dtype=object),
        _l("band", lang): wl["buyer_band"].to_numpy(dtype=object),
        _l("currency", lang): wl["currency"].to_numpy(dtype=object),
        _l("open_amount", lang): wl["open_amount"].to_numpy(),
        _l("open_base", lang, ccy=run.ccy): wl["open_amount_base"].to_numpy(),
        _l("due_date", lang): wl["due_date"].to_numpy(),
        _l("days_overdue", lang): wl["days_overdue"].to_numpy(),
        _l("state", lang): state.to_numpy(dtype=object),
        _l("action", lang): wl["action_zh" if zh else "action_en"].to_numpy(dtype=object),
        _l("channel", lang): (wl["channel"].map(lambda c: _CHANNELS_ZH.get(c, c)) if zh
                              else wl["channel"]).to_numpy(dtype=object),
        _l("next_action", lang): wl["next_action_date"].to_numpy(),
        _l("priority", lang): wl["priority"].to_numpy(),
    }
    if run.policy.late_interest.enabled:
        cols[_l("late_total", lang)] = wl["late_total"].to_numpy()
    if run.policy.insurance.enabled:
        alert = wl["insurance_alert"].fillna("")
        cols[_l("insurance", lang)] = (alert.map(INSURANCE_ALERTS_ZH) if zh else alert).to_numpy(dtype=object)
    for key in ("status", "promise_date", "owner", "notes"):
        if key == "owner":
            values = owner.to_numpy(dtype=object)
        elif len(user):
            values = invoice.map(user[key]).to_numpy(dtype=object)
        else:
            values = np.full(len(wl), None, dtype=object)
        if key == "promise_date" and len(wl):
            promised = wl.get("promise_lapse_date")
            values = np.asarray([None if pd.isna(v) else v for v in values], dtype=object)
            if promised is not None and "promise_date" in _ledger(run).columns:
                own = invoice.map(_ledger(run).drop_duplicates("invoice_no").set_index("invoice_no")["promise_date"])
                values = np.where(pd.isna(values), own.to_numpy(dtype=object), values)
        cols[_l(key, lang)] = values
    table = pd.DataFrame(cols)
    headers = list(table.columns)
    formats = {_l("open_amount", lang): _MONEY, _l("open_base", lang, ccy=run.ccy): _MONEY,
               _l("due_date", lang): _DATE, _l("next_action", lang): _DATE,
               _l("promise_date", lang): _DATE, _l("priority", lang): "0", _l("rank", lang): "0",
               _l("days_overdue", lang): "0", _l("late_total", lang): _MONEY}
    top = 3
    n = max(len(table), 1)
    days_col = _letter(headers.index(_l("days_overdue", lang)))
    state_col = _letter(headers.index(_l("state", lang)))
    status_col = _letter(headers.index(_l("status", lang)))
    broken = STATE_LABELS_ZH["broken promise"] if zh else "broken promise"
    on_hold = STATE_LABELS_ZH["disputed - on hold"] if zh else "disputed - on hold"
    first, last = top + 2, top + 1 + n
    widths = {i: 12.0 for i in range(len(headers))}
    widths.update({0: 7, 1: 13, 2: 10, 3: 30, 4: 7, 5: 8, 10: 16, 11: 30, 12: 10})
    widths[headers.index(_l("notes", lang))] = 30
    widths[headers.index(_l("status", lang))] = 14
    spec = SheetSpec(
        _sheet("collections", lang),
        cells=[CellSpec(0, 0, _l("coll_title", lang), bold=True, font_size=14),
               CellSpec(1, 0, _l("as_of", lang, date=run.as_of.isoformat(), ccy=run.ccy)),
               CellSpec(2, 0, _l("coll_note", lang))],
        tables=[TableSpec("tblCollections", _frame_cells(table), row=top, number_formats=formats,
                          text_columns=(_l("invoice_no", lang), _l("buyer_id", lang), _l("name", lang),
                                        _l("notes", lang), _l("status", lang), _l("owner", lang)),
                          style="TableStyleMedium3")],
        conditional_formats=[
            ConditionalFormat(f"{days_col}{first}:{days_col}{last}", "data_bar", color="#F4B183"),
            ConditionalFormat(f"{state_col}{first}:{state_col}{last}", "cell", operator="==",
                              value=broken, font_color="#C00000", bold=True),
            ConditionalFormat(f"{state_col}{first}:{state_col}{last}", "cell", operator="==",
                              value=on_hold, font_color="#7F7F7F"),
        ],
        validations=[DataValidation(f"{status_col}{first}:{status_col}{last}", list(COLLECTION_STATUSES[
            "zh-CN" if zh else "en"]), prompt=_l("status_prompt", lang), title=_l("status", lang))],
        widths=_fit(widths, headers), freeze=(top + 1, 2), tab_color="#C00000",
        print_title_rows=(top, top), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return len(wl)


def _dashboard_figures(run: _Run) -> dict[str, float]:
    from xlcredit.engine.receivables import ledger_kpis

    if "ledger_kpis" not in run.cache:
        run.cache["ledger_kpis"] = ledger_kpis(_ledger(run), run.as_of, run.policy)
    k = run.cache["ledger_kpis"]
    return {key: float(k[key]) for key in ("receivables", "current", "overdue", "dso", "dso_best",
                                           "days_delinquent", "cei", "percent_current")}


def build_dashboard(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> dict[str, float]:
    """Rebuild the Dashboard: DSO, best possible DSO, average days delinquent, CEI, percent
    current, the largest exposures, high-risk buyers and the band distribution (with
    charts). Returns the figures.

    Examples
    --------
    Is our DSO above the best possible DSO (do buyers pay late)?

    >>> with _example_book() as book:
    ...     f = build_dashboard(book)
    >>> bool(f["dso"] >= f["dso_best"]), bool(0 <= f["percent_current"] <= 1)
    (True, True)
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    figures = _dashboard_figures(run)
    result = _assess(run)
    b = run.buyers.frame
    worst = run.policy.score.bands[-1].band
    high = int((result["band"] == worst).sum())
    over_n = int((result["over_limit"].fillna(0) > 0).sum())
    disputed = float(_ledger(run).pipe(lambda f: 0.0 if f.empty else np.nansum(
        np.where(f["disputed"].to_numpy(dtype=bool),
                 (f["amount"].to_numpy(dtype=float) - np.nan_to_num(f["paid_amount"].to_numpy(dtype=float)))
                 * _fx(run, f["currency"]) * f["paid_date"].isna().to_numpy(), 0.0))))
    problems_n = len(run.problems)
    rows: list[tuple[str, float, str]] = [
        (_l("receivables", lang), figures["receivables"], _MONEY0),
        (_l("overdue", lang), figures["overdue"], _MONEY0),
        (_l("pct_current", lang), figures["percent_current"], _PCT),
        (_l("dso", lang), figures["dso"], "0.0"),
        (_l("dso_best", lang), figures["dso_best"], "0.0"),
        (_l("days_delinquent", lang), figures["days_delinquent"], "0.0"),
        (_l("cei", lang), figures["cei"], _PCT),
        (_l("buyers", lang), float(len(b)), "0"),
        (_l("high_risk", lang, band=worst), float(high), "0"),
        (_l("over_limit_n", lang), float(over_n), "0"),
        (_l("disputed", lang), disputed, _MONEY0),
        (_l("problems_n", lang), float(problems_n), "0"),
    ]
    cells = [CellSpec(0, 0, _l("dash_title", lang), bold=True, font_size=16),
             CellSpec(1, 0, _l("as_of", lang, date=run.as_of.isoformat(), ccy=run.ccy)),
             CellSpec(3, 0, _l("figure", lang), bold=True), CellSpec(3, 1, _l("value", lang), bold=True,
                                                                              horizontal="right")]
    for i, (label, value, fmt) in enumerate(rows):
        cells.append(CellSpec(4 + i, 0, label))
        cells.append(CellSpec(4 + i, 1, _cell(value) if not math.isnan(value) else "n/a",
                              number_format=fmt, bold=True))
    # band distribution
    bands = list(run.policy.score.band_names)
    labels = {bd.band: (bd.label_zh if lang == "zh-CN" else bd.label_en) for bd in run.policy.score.bands}
    sp = run.policy.score
    labels[sp.not_rated_band] = sp.not_rated_label_zh if lang == "zh-CN" else sp.not_rated_label_en
    counts = result["band"].value_counts()
    exposure_by_band = result.groupby("band")["exposure"].sum()
    band_table = pd.DataFrame({
        _l("band", lang): bands,
        _l("label", lang): [labels.get(x, x) for x in bands],
        _l("count", lang): [int(counts.get(x, 0)) for x in bands],
        _l("exposure", lang): [float(exposure_by_band.get(x, 0.0)) for x in bands],
    })
    band_top = 18
    # top exposures
    top = pd.DataFrame({
        _l("buyer_id", lang): b["buyer_id"].to_numpy(dtype=object),
        _l("name", lang): b["name"].to_numpy(dtype=object),
        _l("band", lang): result["band"].to_numpy(dtype=object),
        _l("exposure", lang): result["exposure"].to_numpy(),
        _l("overdue", lang): result["overdue"].to_numpy(),
        _l("limit", lang): result["limit_used"].to_numpy(),  # the limit utilisation is of
        _l("utilisation", lang): result["utilisation"].to_numpy(),
    }).sort_values(_l("exposure", lang), ascending=False, kind="stable").head(10)
    top_top = band_top + len(bands) + 4
    cells.append(CellSpec(band_top - 1, 0, _l("band_title", lang), bold=True, font_size=12))
    cells.append(CellSpec(top_top - 1, 0, _l("top_title", lang), bold=True, font_size=12))
    # aging totals for a chart
    aging = _aging(run)
    bucket_labels = list(aging.labels)
    aging_row = band_top
    aging_col = 8
    cells.append(CellSpec(aging_row - 1, aging_col, _l("aging_chart", lang), bold=True, font_size=12))
    for i, label in enumerate(bucket_labels):
        cells.append(CellSpec(aging_row + i, aging_col, label))
        cells.append(CellSpec(aging_row + i, aging_col + 1, _cell(float(aging.total[label])), number_format=_MONEY0))
    ac, av = _letter(aging_col), _letter(aging_col + 1)
    charts = [
        ChartSpec("column", _l("band_title", lang), f"A{band_top + 2}:A{band_top + 1 + len(bands)}",
                  [ChartSeries(_l("count", lang), f"C{band_top + 2}:C{band_top + 1 + len(bands)}", "#2E75B6")],
                  anchor="D4", width_px=390, height_px=270),
        ChartSpec("column", _l("aging_chart", lang),
                  f"{ac}{aging_row + 1}:{ac}{aging_row + len(bucket_labels)}",
                  [ChartSeries(run.ccy, f"{av}{aging_row + 1}:{av}{aging_row + len(bucket_labels)}", "#C55A11")],
                  anchor=f"{_letter(aging_col)}4", width_px=430, height_px=270),
    ]
    spec = SheetSpec(
        _sheet("dashboard", lang),
        cells=cells,
        tables=[
            TableSpec("tblBandMix", _frame_cells(band_table), row=band_top,
                      number_formats={_l("exposure", lang): _MONEY0, _l("count", lang): "0"},
                      style="TableStyleLight9"),
            TableSpec("tblTopExposures", _frame_cells(top.reset_index(drop=True)), row=top_top,
                      number_formats={_l("exposure", lang): _MONEY0, _l("overdue", lang): _MONEY0,
                                      _l("limit", lang): _MONEY0, _l("utilisation", lang): _PCT},
                      text_columns=(_l("buyer_id", lang), _l("name", lang)), style="TableStyleLight9"),
        ],
        charts=charts,
        widths={0: 34, 1: 30, 2: 12, 3: 14, 4: 14, 5: 14, 6: 12, 7: 4, 8: 14, 9: 16, 10: 14},
        tab_color="#548235", footer=_l("footer", lang),
    )
    _write_generated(run, spec, first=True)
    return {**figures, "high_risk": float(high), "buyers": float(len(b))}


def build_problems(workbook: Workbook, *, as_of: dt.date | None = None, _run: _Run | None = None) -> int:
    """Rebuild the Problems sheet from what the run collected. Returns the number of rows.

    Examples
    --------
    Is the sample data clean?

    >>> with _example_book() as book:
    ...     build_problems(book)
    0
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    frame = problems_frame(run.problems)
    headers = {"sheet": _l("sheet", lang), "row": _l("row", lang), "column": _l("column", lang),
               "value": _l("value", lang), "rule": _l("rule", lang)}
    frame = frame.rename(columns=headers)
    frame[headers["value"]] = [None if v is None or v == "" else str(v) for v in frame[headers["value"]]]
    cells = [CellSpec(0, 0, _l("problems_title", lang), bold=True, font_size=14),
             CellSpec(1, 0, _l("problems_note", lang) if len(frame) else _l("no_problems", lang))]
    spec = SheetSpec(
        _sheet("problems", lang), cells=cells,
        tables=[TableSpec("tblProblems", _frame_cells(frame), row=3, number_formats={headers["row"]: "0"},
                          text_columns=(headers["value"], headers["sheet"], headers["column"]),
                          style="TableStyleLight10")],
        widths={0: 14, 1: 7, 2: 22, 3: 24, 4: 90}, freeze=(4, 0), tab_color="#FFC000",
        print_title_rows=(3, 3), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return len(frame)


def _write_generated(run: _Run, spec: SheetSpec, first: bool = False) -> None:
    """Write a generated sheet after the Invoices sheet (Dashboard first among them)."""
    names = run.workbook.sheet_names()
    folded = [n.casefold() for n in names]
    if spec.name.casefold() in folded:
        run.workbook.write_sheet(spec)
        return
    generated = {SHEET_NAMES[r][lang].casefold() for r in ("aging", "collections", "dashboard", "history",
                                                              "problems", "plan") for lang in ("en", "zh-CN")}
    anchor = run.invoices.sheet.casefold()
    before: str | None = None
    if anchor in folded:
        i = folded.index(anchor) + 1
        if not first:
            while i < len(names) and folded[i] in generated:
                i += 1
        before = names[i] if i < len(names) else None
    run.workbook.write_sheet(spec, before=before)


def build_payment_plan(
    workbook: Workbook,
    buyer_id: str,
    *,
    amount: float | None = None,
    installments: int = 6,
    annual_rate: float | None = None,
    first_due_date: dt.date | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Write a Payment plan sheet for one buyer: by default its overdue balance in six
    instalments at the policy's late-interest rate (0 when late interest is off), the first
    due a month after the as-of date. Returns the schedule.

    Examples
    --------
    How would buyer C0001 pay 1,200 off in four monthly instalments?

    >>> with _example_book() as book:
    ...     plan = build_payment_plan(book, "C0001", amount=1200.0, installments=4)
    >>> float(plan["principal"].sum()), float(plan["balance"].iloc[-1])
    (1200.0, 0.0)
    """
    from xlcredit.engine.plans import payment_plan

    run = _open(workbook, as_of)
    lang = run.lang
    b = run.buyers.frame
    matches = np.flatnonzero((b["buyer_id"] == str(buyer_id)).to_numpy())
    if not matches.size:
        raise SchemaError(f"Buyer {buyer_id!r} is not in {BUYERS.name}; select a row of the buyer table.")
    pos = int(matches[0])
    result = _assess(run)
    owed = float(result["overdue"].to_numpy(dtype=float)[pos]) or float(result["exposure"].to_numpy(dtype=float)[pos])
    amount = owed if amount is None else amount
    rate = annual_rate if annual_rate is not None else (
        run.policy.late_interest.annual_rate if run.policy.late_interest.enabled else 0.0)
    first = first_due_date or (run.as_of + dt.timedelta(days=30))
    plan = payment_plan(amount, installments, rate, first, policy=run.policy)
    name = str(b["name"].iat[pos] or buyer_id)
    headers = [_l(k, lang) for k in ("no", "due_date", "payment", "interest", "principal", "balance")]
    table = plan.copy()
    table.columns = headers
    formula = f"=PAYMENT_PLAN({amount:.2f},{installments},{rate:g},DATE({first.year},{first.month},{first.day}))"
    cells = [CellSpec(0, 0, _l("plan_title", lang, name=name), bold=True, font_size=14),
             CellSpec(1, 0, _l("plan_note", lang, f=formula)),
             CellSpec(3, 0, _l("buyer_id", lang)), CellSpec(3, 1, str(buyer_id)),
             CellSpec(4, 0, _l("plan_amount", lang)), CellSpec(4, 1, amount, number_format=_MONEY),
             CellSpec(5, 0, _l("plan_n", lang)), CellSpec(5, 1, float(installments), number_format="0"),
             CellSpec(6, 0, _l("plan_rate", lang)), CellSpec(6, 1, rate, number_format="0.00%"),
             CellSpec(7, 0, _l("plan_first", lang)), CellSpec(7, 1, dt.datetime.combine(first, dt.time()),
                                                              number_format=_DATE)]
    spec = SheetSpec(
        _sheet("plan", lang), cells=cells,
        tables=[TableSpec("tblPaymentPlan", _frame_cells(table), row=9, number_formats={
            headers[1]: _DATE, headers[2]: _MONEY, headers[3]: _MONEY, headers[4]: _MONEY,
            headers[5]: _MONEY, headers[0]: "0"})],
        widths={0: 16, 1: 14, 2: 14, 3: 14, 4: 14, 5: 14}, tab_color="#7030A0",
        landscape=False, print_title_rows=(9, 9), footer=_l("footer", lang),
    )
    _write_generated(run, spec)
    return plan


def refresh_all(workbook: Workbook, as_of: dt.date | None = None, progress: Progress | None = None) -> RefreshSummary:
    """The ribbon's "Refresh all": buyers, high-risk flags, Aging, Collections, Dashboard,
    Score history and Problems, reading the workbook once.

    Parameters
    ----------
    workbook : Workbook
        Live Excel or a file (any adapter of the port).
    as_of : date, optional
        Overrides the Policy sheet's as-of date (default: the policy's, else today).
    progress : callable, optional
        ``progress(fraction, message)``; default the workbook's own progress (Excel's status
        bar, or the command line's bar).

    Returns
    -------
    RefreshSummary

    Examples
    --------
    What does a refresh of a small book report, step by step?

    >>> steps = []
    >>> with _example_book() as book:
    ...     summary = refresh_all(book, progress=lambda f, m: steps.append(m))
    >>> summary.buyers, steps[0], steps[-1]
    (8, 'Reading tables', 'Done')
    """
    report = progress or workbook.progress
    report(0.02, "Reading tables")
    run = _open(workbook, as_of)
    lang = run.lang
    report(0.15, "Scoring buyers")
    n = refresh_buyers(workbook, _run=run)
    report(0.40, "Flagging high-risk buyers")
    high = flag_high_risk(workbook, _run=run)
    report(0.50, "Aging")
    build_aging(workbook, _run=run)
    report(0.62, "Collections worklist")
    build_collections(workbook, _run=run)
    report(0.74, "Dashboard")
    figures = build_dashboard(workbook, _run=run)
    report(0.82, "Score history")
    update_score_history(workbook, _run=run)
    report(0.88, "Problems")
    n_problems = build_problems(workbook, _run=run)
    report(0.92, "Done")
    return RefreshSummary(
        buyers=n, high_risk=high, overdue_total=figures["overdue"], dso=figures["dso"],
        problems=n_problems, base_currency=run.ccy, as_of=run.as_of, language=lang,
        receivables=figures["receivables"],
        sheets=[_sheet(r, lang) for r in ("aging", "collections", "dashboard", "history", "problems")],
    )


def _example_book(buyers: int = 8) -> Any:
    """A small sample workbook in a temporary folder, opened with the file adapter (the
    docstring examples use it)."""
    import tempfile
    from pathlib import Path

    from xlcredit.workbook.files import FileWorkbook
    from xlcredit.workbook.templates import build_template

    path = build_template(Path(tempfile.mkdtemp(prefix="xlcredit-")) / "example.xlsx", sample=buyers)
    return FileWorkbook.open(path)


# --------------------------------------------------------------------------- ribbon
def _caller() -> Any:
    """The workbook that pressed the button, through the xlwings adapter (Windows/macOS)."""
    from xlcredit.workbook.excel import ExcelWorkbook  # imported lazily: xlwings needs Excel

    return ExcelWorkbook.caller()


def _alert(book: Any, message: str) -> None:
    xw_book = getattr(book, "book", None)
    try:
        xw_book.app.alert(message, title="xlcredit")  # type: ignore[union-attr]
    except Exception:  # no Excel dialog available: the status bar still says it
        book.progress(0.0, message)


def _ribbon(action: Callable[[Any], Any]) -> None:
    """Run a button's action; a named error becomes a message box, never a traceback."""
    from xlcredit.engine.errors import XlCreditError

    book = _caller()
    try:
        action(book)
    except XlCreditError as exc:
        _alert(book, str(exc))
    except Exception as exc:  # a bug of ours: one readable line, not a Python traceback
        _alert(book, f"xlcredit internal error: {type(exc).__name__}: {exc}. The workbook was not saved; "
                     f"please report it with `xlcredit addin doctor` output.")
    finally:
        book.progress(1.0, "")


def ribbon_refresh_all() -> None:
    """Ribbon button "Refresh all"."""

    def run(book: Any) -> None:
        summary = refresh_all(book)
        book.progress(1.0, "")
        _alert(book, "\n".join(summary.lines()))

    _ribbon(run)


def ribbon_refresh_buyers() -> None:
    """Ribbon button "Refresh buyers"."""
    _ribbon(lambda book: refresh_buyers(book))


def ribbon_flag_high_risk() -> None:
    """Ribbon button "Flag high risk"."""
    _ribbon(lambda book: flag_high_risk(book))


def ribbon_build_aging() -> None:
    """Ribbon button "Aging"."""
    _ribbon(lambda book: build_aging(book))


def ribbon_build_collections() -> None:
    """Ribbon button "Collections"."""
    _ribbon(lambda book: build_collections(book))


def ribbon_build_dashboard() -> None:
    """Ribbon button "Dashboard"."""
    _ribbon(lambda book: build_dashboard(book))


def _selected_buyer(book: Any) -> str | None:
    """Buyer ID on the row of the active cell, when it is inside tblBuyers."""
    raw = book.read_table(BUYERS.name)
    found = BUYERS.resolve(raw.header)
    selection = book.book.app.selection
    if selection is None or selection.sheet.name != raw.sheet:
        return None
    index = int(selection.row) - raw.header_row - 1
    if not 0 <= index < len(raw.rows) or "buyer_id" not in found:
        return None
    value = raw.rows[index][found["buyer_id"]]
    if value is None:
        return None
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def ribbon_payment_plan() -> None:
    """Ribbon button "Payment plan": for the buyer on the selected row of the Buyers table."""

    def run(book: Any) -> None:
        buyer = _selected_buyer(book)
        if buyer is None:
            raise SchemaError("Select a cell in a buyer's row of the Buyers table, then press Payment plan.")
        build_payment_plan(book, buyer)

    _ribbon(run)


def ribbon_open_policy() -> None:
    """Ribbon button "Policy": show the Policy sheet."""

    def run(book: Any) -> None:
        for name in ("tblPolicy",):
            if name in book.table_names():
                book.book.sheets[book.read_table(name).sheet].activate()
                return
        raise SchemaError("This workbook has no Policy sheet (table tblPolicy); start from `xlcredit new`.")

    _ribbon(run)


def ribbon_help() -> None:
    """Ribbon button "Help": version and where the documentation is."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("xlcredit")
    except PackageNotFoundError:
        ver = "dev"
    _ribbon(lambda book: _alert(book, (
        f"xlcredit {ver}\nCredit scores, limits, aging, collections and payment plans in Excel.\n"
        "Guide: docs/excel.md of the xlcredit project. Diagnose an installation with "
        "`xlcredit addin doctor`.")))
