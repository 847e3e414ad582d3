"""The template workbooks: Buyers, Invoices, Quick check, Policy and Read me, built with
XlsxWriter in English or Simplified Chinese, optionally filled with sample data.

Excel tables (``tblBuyers``, ``tblInvoices``, the policy tables) carry the data; output
columns of ``tblBuyers`` are there, empty, for refresh to fill. Formulas using the xlcredit
functions live outside tables (spilled arrays are not allowed inside tables) on the Quick
check sheet, each with its cached result computed by our own functions so that any viewer
shows numbers before Excel recalculates.

What does a new Chinese template contain?

>>> import tempfile, pathlib, openpyxl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "book.xlsx"
>>> _ = build_template(path, lang="zh-CN")
>>> openpyxl.load_workbook(path).sheetnames
['客户', '发票', '快速评估', '信用政策', '审批记录', '使用说明']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from xlcredit.engine.decisions import DECISIONS
from xlcredit.engine.policy import Policy
from xlcredit.messages import text
from xlcredit.messages.ambient import answering_in
from xlcredit.workbook.policy_sheet import (
    POLICY_TABLES,
    describe_setting,
    policy_tables,
    table_title,
)
from xlcredit.workbook.sample import SAMPLE_AS_OF, sample_buyers, sample_invoices, sample_policy
from xlcredit.workbook.schema import (
    BUYERS,
    DECISIONS_LOG,
    INVOICES,
    NUMBER_FORMATS,
    SHEET_NAMES,
    TableSchema,
)
from xlcredit.workbook.versions import CURRENT_VERSION, PROPERTY, SETTING
from xlcredit.workbook.widths import CELL_PAD, TEXT_CAP, cell_width, display_width, money_floor

__all__ = ["CURRENCIES", "build_template", "template_path"]

#: Currencies offered by the drop-down lists (others may be typed: the list only warns).
CURRENCIES: tuple[str, ...] = ("EUR", "USD", "CNY", "GBP", "JPY", "HKD", "CHF")
#: Data validation reaches this many rows below the data, so new rows are checked too.
_SPARE_ROWS = 1000

#: The rows TRADESCORE_DETAIL and CREDIT_LIMIT_DETAIL spill, as the Quick check labels them.
_DETAIL_KEYS = ("template.d_score", "template.d_band", "template.d_grade", "template.d_pd", "template.d_coverage")
_LIMIT_KEYS = ("template.l_limit", "template.d_band", "template.l_decision", "template.l_approval",
               "template.l_terms", "template.l_headroom", "template.l_why")
#: The lines of the Read me sheet.
_HELP_KEYS = ("template.help_buyers", "template.help_invoices", "template.help_policy", "template.help_quick",
              "template.help_ribbon", "template.help_cli")


#: Settings whose Value cell offers a drop-down list.
_CHOICES: dict[str, list[str]] = {
    "language": ["en", "zh-CN"],
    "limits.insured_limit_rule": ["extend", "cap", "ignore"],
    "plans.weekend_rule": ["following", "none"],
    "plans.frequency": ["monthly", "weekly", "biweekly", "quarterly"],
    "plans.method": ["annuity", "equal_principal"],
    "late_interest.day_basis": ["365", "360"],
}


def _t(key: str, lang: str) -> str:
    return text(f"template.{key}", lang)


def _detail_labels(lang: str) -> list[str]:
    return [_t(k.split(".")[1], lang) for k in _DETAIL_KEYS] + [text("template.d_reason", lang, n=n) for n in (1, 2, 3)]


def template_path(lang: str = "en") -> Path:
    """Where the shipped template of ``lang`` lives in a checkout."""
    name = "credit_control.zh-CN.xlsx" if lang == "zh-CN" else "credit_control.xlsx"
    return Path(__file__).resolve().parents[2] / "workbooks" / name


# --------------------------------------------------------------------------- helpers
class _Formats:
    def __init__(self, book: xlsxwriter.Workbook, lang: str) -> None:
        font = {"font_name": "Microsoft YaHei" if lang == "zh-CN" else "Calibri", "font_size": 10}
        self.book = book
        self.font = font
        self._cache: dict[tuple[Any, ...], Format] = {}
        book.formats[0].set_font_name(font["font_name"])
        book.formats[0].set_font_size(10)

    def get(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self.book.add_format({**self.font, **props})
        return self._cache[key]

    def number(self, kind: str) -> Format:
        return self.get(num_format=NUMBER_FORMATS[kind])

    def header(self, output: bool) -> Format:
        colour = "#7F7F7F" if output else "#1F4E78"
        return self.get(bold=True, font_color="#FFFFFF", bg_color=colour, text_wrap=True,
                        valign="top", border=1, border_color="#BFBFBF")


def _py(value: Any) -> Any:
    """A value XlsxWriter writes as the right cell type (numpy scalars to Python, NaN blank)."""
    if value is None:
        return None
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    return value


def _write(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
    value = _py(value)
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)  # never a formula, never a URL


def _table(
    ws: Worksheet,
    fm: _Formats,
    schema: TableSchema,
    frame: pd.DataFrame,
    lang: str,
    row: int = 0,
    col: int = 0,
    *,
    style: str = "Table Style Medium 2",
    comments: bool = True,
) -> tuple[int, int]:
    """Write ``frame`` (canonical column names) as the Excel table of ``schema``."""
    columns = [c for c in schema.columns]
    n = max(len(frame), 1)
    spec_cols = []
    for c in columns:
        fmt = fm.number(c.kind) if c.kind not in ("text", "flag") else fm.get()
        spec_cols.append({"header": c.header(lang), "format": fmt, "header_format": fm.header(c.output)})
    ws.add_table(row, col, row + n, col + len(columns) - 1, {
        "name": schema.name, "columns": spec_cols, "style": style.replace(" ", ""),
        "autofilter": True,
    })
    for j, c in enumerate(columns):
        fmt = fm.number(c.kind) if c.kind not in ("text", "flag") else fm.get()
        values = frame[c.name].tolist() if c.name in frame.columns else [None] * len(frame)
        for i, v in enumerate(values):  # a template is written once; cells one by one
            _write(ws, row + 1 + i, col + j, v, fmt)
        ws.set_column(col + j, col + j, _column_width(c, values))
        help_text = c.help_zh if lang == "zh-CN" else c.help_en
        if comments and help_text:
            ws.write_comment(row, col + j, help_text, {"x_scale": 1.6, "y_scale": 0.8})
    return row + n, col + len(columns) - 1


#: Output columns of Buyers that refresh fills with sentences (reasons, rule, action).
_LONG_OUTPUTS = ("reasons", "decision_rule", "action")


def _column_width(c: Any, values: list[Any]) -> float:
    """A table column's width: the schema's, widened to the data written (CJK counted
    double), to the longest word of its header (headers wrap) and, for amounts, to the
    largest amount a company reaches (:func:`xlcredit.workbook.widths.money_floor`)."""
    fmt = NUMBER_FORMATS.get(c.kind)
    width = float(c.width)
    if c.kind in ("money", "number"):
        width = max(width, money_floor(str(fmt)))
    if c.output and c.name in _LONG_OUTPUTS:  # refresh writes sentences there: room for them
        width = max(width, TEXT_CAP + CELL_PAD)
    if c.output and c.name == "decision":
        width = max(width, *(display_width(t) + CELL_PAD for pair in DECISIONS.values() for t in pair))
    for v in values[:1000]:
        width = max(width, cell_width(_py(v), fmt if c.kind not in ("text", "id", "flag") else None))
    words = [w for lang_words in (c.header("en").split(), [c.header("zh-CN")]) for w in lang_words]
    longest_word = max((display_width(w) for w in words), default=0.0)
    return min(max(width, min(longest_word / 2.0 + 2.0, TEXT_CAP)), TEXT_CAP + 4)


def _validate(ws: Worksheet, schema: TableSchema, first_row: int, n: int, lang: str) -> None:
    last = first_row + n + _SPARE_ROWS
    yes_no = [_t("yes", lang), _t("no", lang)]
    zh = lang == "zh-CN"
    for j, c in enumerate(schema.columns):
        if c.output:
            continue
        opts: dict[str, Any] | None = None
        if c.name == "currency":
            opts = {"validate": "list", "source": list(CURRENCIES), "error_type": "warning",
                    "error_title": _t("ccy_title", lang), "error_message": _t("ccy_message", lang)}
        elif c.kind == "flag":
            opts = {"validate": "list", "source": yes_no, "error_type": "warning"}
        elif c.kind == "risk":
            opts = {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5,
                    "input_title": c.header(lang), "input_message": c.help_zh if zh else c.help_en,
                    "error_message": _t("risk_message", lang)}
        elif c.kind == "percent":
            opts = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
                    "error_message": _t("share_message", lang)}
        elif c.kind == "date":
            opts = {"validate": "date", "criteria": ">=", "value": dt.date(1990, 1, 1),
                    "error_type": "warning",
                    "error_message": _t("date_message", lang)}
        elif c.kind == "int" and c.minimum is not None:
            opts = {"validate": "integer", "criteria": ">=", "value": int(c.minimum),
                    "error_type": "warning"}
        if opts is not None:
            ws.data_validation(first_row, j, last, j, opts)


#: Characters of column width one printed A4 landscape page holds at about 90 % (Calibri 10).
PAGE_CHARS = 150.0


def _print_setup(ws: Worksheet, landscape: bool = True, repeat: int | None = 0, *, lang: str = "en",
                 pages_wide: int = 1, title_columns: int = 0) -> None:
    if landscape:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(pages_wide, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header("&L&A&R&D")
    ws.set_footer("&C" + text("sheet.footer", lang))
    if repeat is not None:
        ws.repeat_rows(repeat)
    if title_columns:
        ws.repeat_columns(0, title_columns - 1)


def buyers_pages_wide(widths: list[float], title_columns: int = 2) -> int:
    """Pages side by side a printed Buyers sheet takes: every page repeats the title columns
    (Buyer ID, Name) and holds :data:`PAGE_CHARS` of width, so the text stays readable
    (61 columns on one page wide would print at about a sixth of their size).

    >>> buyers_pages_wide([11, 30] + [14] * 20)
    3
    """
    titles = sum(widths[:title_columns])
    per_page = max(PAGE_CHARS - titles, PAGE_CHARS / 2)
    return max(1, math.ceil((sum(widths) - titles) / per_page))


# --------------------------------------------------------------------------- sheets
def _buyers_sheet(book: xlsxwriter.Workbook, fm: _Formats, frame: pd.DataFrame, lang: str) -> None:
    ws = book.add_worksheet(BUYERS.sheet(lang))
    ws.set_tab_color("#1F4E78")
    _table(ws, fm, BUYERS, frame, lang)
    _validate(ws, BUYERS, 1, len(frame), lang)
    ws.freeze_panes(1, 2)
    ws.set_row(0, 42)
    widths = [_column_width(c, frame[c.name].tolist() if c.name in frame.columns else []) for c in BUYERS.columns]
    _print_setup(ws, lang=lang, pages_wide=buyers_pages_wide(widths), title_columns=2)


def _invoices_sheet(book: xlsxwriter.Workbook, fm: _Formats, frame: pd.DataFrame, lang: str) -> None:
    ws = book.add_worksheet(INVOICES.sheet(lang))
    ws.set_tab_color("#1F4E78")
    _table(ws, fm, INVOICES, frame, lang)
    _validate(ws, INVOICES, 1, len(frame), lang)
    ws.freeze_panes(1, 1)
    ws.set_row(0, 30)
    _print_setup(ws, landscape=False, lang=lang)


def _udf(name: str) -> Callable[..., Any] | None:
    try:
        import xlcredit_udfs
    except ImportError:  # pragma: no cover - the module is installed with the package
        return None
    func = getattr(xlcredit_udfs, name, None)
    return func if callable(func) else None


def _cached(name: str, *args: Any, lang: str = "en") -> Any:
    """What the Excel function returns for these cells: the cached value of its formula, as
    the add-in answers with its language setting at ``lang`` (a Chinese template's plan
    header is Chinese)."""
    func = _udf(name)
    if func is None:
        return ""
    with answering_in(lang):
        return func(*args)


def _quick_sheet(book: xlsxwriter.Workbook, fm: _Formats, lang: str, as_of: dt.date) -> None:
    ws = book.add_worksheet(SHEET_NAMES["quick"][lang])
    ws.set_tab_color("#548235")
    zh = lang == "zh-CN"
    bold = fm.get(bold=True)
    head = fm.get(bold=True, font_color="#FFFFFF", bg_color="#1F4E78")
    inp = fm.get(bg_color="#FFF2CC", num_format="#,##0.00", border=1, border_color="#BFBFBF")
    inp_text = fm.get(bg_color="#FFF2CC", border=1, border_color="#BFBFBF")
    inp_date = fm.get(bg_color="#FFF2CC", num_format="yyyy-mm-dd", border=1, border_color="#BFBFBF")
    out = fm.get(bg_color="#E2EFDA", num_format="#,##0.00", border=1, border_color="#BFBFBF")
    out_text = fm.get(bg_color="#E2EFDA", border=1, border_color="#BFBFBF", text_wrap=True)
    ws.write_string(0, 0, _t("quick_title", lang), fm.get(bold=True, font_size=14))
    ws.write_string(1, 0, text("template.quick_note", lang, column="B"), fm.get(italic=True, font_color="#595959"))
    ws.write_string(3, 0, _t("input", lang), head)
    ws.write_string(3, 1, _t("value", lang), head)
    example: list[tuple[str, Any]] = [
        ("total_assets", 1_000_000), ("total_liabilities", 550_000), ("current_assets", 480_000),
        ("current_liabilities", 300_000), ("retained_earnings", 200_000), ("ebit", 90_000),
        ("revenue", 1_500_000), ("net_income", 60_000), ("days_beyond_terms", 5),
        ("late_share", 0.1), ("defaults_12m", 0), ("industry_risk", 2), ("country_risk", 1),
        ("management_changes_12m", 0), ("negative_news", _t("no", lang)),
        ("years_in_business", 12),
    ]
    values: list[Any] = []
    for i, (name, value) in enumerate(example):
        col = BUYERS.column(name)
        ws.write_string(4 + i, 0, col.header(lang))
        number_format = {"percent": "0%", "int": "0", "risk": "0", "number": "0.0"}.get(col.kind, "#,##0")
        fmt = inp_text if isinstance(value, str) else fm.get(
            bg_color="#FFF2CC", num_format=number_format, border=1, border_color="#BFBFBF")
        _write(ws, 4 + i, 1, value, fmt)
        values.append(float(value) if not isinstance(value, str) else value)
    whole = fm.get(bg_color="#FFF2CC", num_format="#,##0", border=1, border_color="#BFBFBF")
    days = fm.get(bg_color="#FFF2CC", num_format="0", border=1, border_color="#BFBFBF")
    extra: list[tuple[str, Any, Format]] = [
        (BUYERS.column("annual_sales").header(lang), 240_000.0, whole),
        (BUYERS.column("payment_terms_days").header(lang), 30.0, days),
        (BUYERS.column("requested_limit").header(lang), 50_000.0, whole),
        (BUYERS.column("insured_limit").header(lang), None, whole),
        (_t("exposure", lang), 20_000.0, whole),
    ]
    for i, (label, value, fmt) in enumerate(extra):
        ws.write_string(20 + i, 0, label)
        _write(ws, 20 + i, 1, value, fmt)
    args = ",".join(f"B{r}" for r in range(5, 21))  # rows 5..20 hold the 16 inputs

    ws.write_string(3, 3, _t("result", lang), head)
    ws.write_string(3, 4, _t("value", lang), head)
    score = _cached("TRADESCORE", *values)
    equity, wc = values[0] - values[1], values[2] - values[3]
    ws.write_string(4, 3, _t("score", lang), bold)
    ws.write_formula(4, 4, f"=TRADESCORE({args})", fm.get(bg_color="#E2EFDA", num_format="0",
                                                         border=1, border_color="#BFBFBF"), score)
    ws.write_string(5, 3, _t("equity", lang))
    ws.write_formula(5, 4, "=B5-B6", out, equity)
    ws.write_string(6, 3, _t("wc", lang))
    ws.write_formula(6, 4, "=B7-B8", out, wc)
    limit = _cached("CREDIT_LIMIT", score, equity, wc, values[6], 240_000.0, 30.0, 50_000.0, None,
                    20_000.0)
    ws.write_string(7, 3, _t("limit", lang), bold)
    ws.write_formula(7, 4, "=CREDIT_LIMIT(E5,E6,E7,B11,B21,B22,B23,B24,B25)", out, limit)

    ws.write_string(9, 3, _t("detail", lang), head)
    ws.write_string(9, 4, "TRADESCORE_DETAIL", head)
    lang_arg = "zh-CN" if zh else "en"
    detail = _cached("TRADESCORE_DETAIL", *values, lang_arg)
    row_values: list[Any] = detail[0] if isinstance(detail, list) and detail and isinstance(detail[0], list) else [detail]
    labels = _detail_labels(lang)
    formats = [fm.get(bg_color="#E2EFDA", num_format="0"), out_text, fm.get(bg_color="#E2EFDA", num_format="0"),
               fm.get(bg_color="#E2EFDA", num_format="0.00%"), fm.get(bg_color="#E2EFDA", num_format="0%"),
               out_text, out_text, out_text]
    for i, label in enumerate(labels):
        ws.write_string(10 + i, 3, label)
    ws.write_dynamic_array_formula(10, 4, 10 + len(labels) - 1, 4,
                                   f'=TRANSPOSE(TRADESCORE_DETAIL({args},"{lang_arg}"))', formats[0],
                                   _py(row_values[0]) if row_values else "")
    for i in range(1, len(labels)):
        v = row_values[i] if i < len(row_values) else None
        _write(ws, 10 + i, 4, v if v is not None else "", formats[i])

    # ---- limit advice: decision, approval level, terms
    ws.write_string(19, 3, _t("limit_detail", lang), head)
    ws.write_string(19, 4, "CREDIT_LIMIT_DETAIL", head)
    advice = _cached("CREDIT_LIMIT_DETAIL", score, equity, wc, values[6], 240_000.0, 30.0, 50_000.0,
                     None, 20_000.0, lang_arg)
    advice_row: list[Any] = advice[0] if isinstance(advice, list) and advice and isinstance(advice[0], list) else [advice]
    advice_labels = [text(k, lang) for k in _LIMIT_KEYS]
    advice_formats = [out, out_text, out_text, out_text, fm.get(bg_color="#E2EFDA", num_format="0"), out,
                      out_text]
    for i, label in enumerate(advice_labels):
        ws.write_string(20 + i, 3, label)
    ws.write_dynamic_array_formula(
        20, 4, 20 + len(advice_labels) - 1, 4,
        f'=TRANSPOSE(CREDIT_LIMIT_DETAIL(E5,E6,E7,B11,B21,B22,B23,B24,B25,"{lang_arg}"))',
        advice_formats[0], _py(advice_row[0]) if advice_row else "")
    for i in range(1, len(advice_labels)):
        v = advice_row[i] if i < len(advice_row) else None
        _write(ws, 20 + i, 4, v if v is not None else "", advice_formats[i])

    # ---- payment plan
    top = 26
    ws.write_string(top, 0, _t("plan_title", lang), fm.get(bold=True, font_size=12))
    first_due = as_of + dt.timedelta(days=31)
    plan_inputs: list[tuple[str, Any, Format]] = [
        (_t("amount", lang), 12_000.0, inp),
        (_t("installments", lang), 6.0, fm.get(bg_color="#FFF2CC", num_format="0", border=1, border_color="#BFBFBF")),
        (_t("rate", lang), 0.08, fm.get(bg_color="#FFF2CC", num_format="0.00%", border=1, border_color="#BFBFBF")),
        (_t("first_due", lang), first_due, inp_date),
        (_t("frequency", lang), _t("monthly", lang), inp_text),
        (_t("method", lang), _t("annuity", lang), inp_text),
    ]
    for i, (label, value, fmt) in enumerate(plan_inputs):
        ws.write_string(top + 1 + i, 0, label)
        _write(ws, top + 1 + i, 1, value, fmt)
    r0 = top + 1 + 1  # Excel row of the amount
    plan = _cached("PAYMENT_PLAN", 12_000.0, 6.0, 0.08, dt.datetime.combine(first_due, dt.time()),
                   _t("monthly", lang), _t("annuity", lang), lang=lang)
    grid: list[list[Any]] = plan if isinstance(plan, list) and plan and isinstance(plan[0], list) else [[plan]]
    start = top + 8
    width = max(len(r) for r in grid)
    formula = f"=PAYMENT_PLAN(B{r0},B{r0 + 1},B{r0 + 2},B{r0 + 3},B{r0 + 4},B{r0 + 5})"
    plan_head = fm.get(bold=True, bg_color="#D9E1F2")
    money = fm.get(num_format="#,##0.00")
    date_fmt = fm.get(num_format="yyyy-mm-dd")
    ws.write_dynamic_array_formula(start, 0, start + len(grid) - 1, width - 1, formula, plan_head,
                                   _py(grid[0][0]))
    for i, line in enumerate(grid):
        for j, v in enumerate(line):
            if i == 0 and j == 0:
                continue
            if i == 0:
                fmt = plan_head
            elif j == 0:
                fmt = fm.get(num_format="0")  # the instalment's number
            elif j == 1:
                fmt = date_fmt
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    v = pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(v))
            else:
                fmt = money
            _write(ws, start + i, j, v, fmt)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 30)
    ws.set_column(4, 4, 40)
    ws.set_column(5, 5, 12)
    _print_setup(ws, landscape=False, repeat=None, lang=lang)


def _policy_sheet(book: xlsxwriter.Workbook, fm: _Formats, policy: Policy, lang: str) -> None:
    ws = book.add_worksheet(SHEET_NAMES["policy"][lang])
    ws.set_tab_color("#C65911")
    ws.write_string(0, 0, _t("policy_title", lang), fm.get(bold=True, font_size=14))
    ws.write_string(1, 0, text("template.policy_note", lang, column="B"), fm.get(italic=True, font_color="#595959"))
    frames = policy_tables(policy, lang)
    head = fm.header(False)
    wrap = fm.get(text_wrap=True, valign="top")
    date_fmt = fm.get(num_format="yyyy-mm-dd")
    # tblPolicy on the left
    settings = frames["tblPolicy"]
    stamp = [SETTING, CURRENT_VERSION, describe_setting(SETTING, lang)]  # last: as upgrade adds it
    settings = pd.concat([settings, pd.DataFrame([stamp], columns=settings.columns)], ignore_index=True)
    top = 3
    ws.write_string(top - 1, 0, table_title("tblPolicy", lang), fm.get(bold=True, font_size=12))
    n = len(settings)
    ws.add_table(top, 0, top + n, 2, {
        "name": "tblPolicy", "style": "TableStyleLight9",
        "columns": [{"header": h, "header_format": head} for h in settings.columns],
    })
    for i, (key, value, desc) in enumerate(settings.itertuples(index=False, name=None)):
        ws.write_string(top + 1 + i, 0, str(key))
        choices = _CHOICES.get(str(key)) or (["TRUE", "FALSE"] if isinstance(value, bool) else None)
        if choices:
            ws.data_validation(top + 1 + i, 1, top + 1 + i, 1, {"validate": "list", "source": choices})
        if isinstance(value, dt.date):
            _write(ws, top + 1 + i, 1, value, date_fmt)
        else:
            _write(ws, top + 1 + i, 1, value, fm.get(align="left"))
        ws.write_string(top + 1 + i, 2, str(desc), wrap)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 64)
    # the list tables on the right, one under the other
    col = 4
    row = 2
    widths: dict[int, float] = {}
    for schema in POLICY_TABLES[1:]:
        frame = frames[schema.name]
        ws.write_string(row, col, table_title(schema.name, lang), fm.get(bold=True, font_size=12))
        m = max(len(frame), 1)
        ws.add_table(row + 1, col, row + 1 + m, col + len(schema.columns) - 1, {
            "name": schema.name, "style": "TableStyleLight9",
            "columns": [{"header": c.header(lang), "header_format": head} for c in schema.columns],
        })
        for i, rec in enumerate(frame.itertuples(index=False, name=None)):
            for j, (c, v) in enumerate(zip(schema.columns, rec, strict=True)):
                text_fmt = wrap if c.name == "body" else fm.get()  # letter texts: several lines
                _write(ws, row + 2 + i, col + j, v, fm.number(c.kind) if c.kind not in ("text", "id") else text_fmt)
        for j, c in enumerate(schema.columns):
            widths[col + j] = max(widths.get(col + j, 0), c.width + 2)
        row += m + 4
    for index, w in widths.items():
        ws.set_column(index, index, w)
    ws.freeze_panes(top + 1, 0)
    _print_setup(ws, repeat=None, lang=lang)


def _decisions_sheet(book: xlsxwriter.Workbook, fm: _Formats, lang: str) -> None:
    """The decision log (tblDecisions), empty: the ribbon's "Record decision" and
    ``xlcredit decide`` add rows; refresh never writes it."""
    ws = book.add_worksheet(DECISIONS_LOG.sheet(lang))
    ws.set_tab_color("#1F4E78")
    empty = pd.DataFrame(columns=[c.name for c in DECISIONS_LOG.columns])
    _table(ws, fm, DECISIONS_LOG, empty, lang)
    ws.freeze_panes(1, 0)
    _print_setup(ws, lang=lang)


def _help_sheet(book: xlsxwriter.Workbook, fm: _Formats, lang: str) -> None:
    ws = book.add_worksheet(SHEET_NAMES["help"][lang])
    ws.write_string(0, 0, _t("help_title", lang), fm.get(bold=True, font_size=14))
    for i, line in enumerate(text(k, lang, command="xlcredit refresh book.xlsx") for k in _HELP_KEYS):
        ws.write_string(2 + i, 0, line, fm.get(text_wrap=True, valign="top"))
        ws.set_row(2 + i, 30)
    ws.set_column(0, 0, 110)
    _print_setup(ws, landscape=False, repeat=None, lang=lang)


def with_base_currency(policy: Policy, code: str) -> Policy:
    """``policy`` with another base currency; its FX rates restated in that currency (or
    dropped when it has no rate for it: a wrong rate is worse than none).

    >>> p = with_base_currency(Policy(base_currency="EUR", fx_rates=(("USD", 0.92),)), "USD")
    >>> p.base_currency, p.fx_rates
    ('USD', (('EUR', 1.087),))
    """
    rates = {policy.base_currency: 1.0, **dict(policy.fx_rates)}
    if code not in rates:
        return dataclasses.replace(policy, base_currency=code, fx_rates=())
    restated = tuple((c, round(r / rates[code], 4)) for c, r in rates.items() if c != code)
    return dataclasses.replace(policy, base_currency=code, fx_rates=restated)


# --------------------------------------------------------------------------- entry point
def build_template(
    path: str | Path,
    lang: str = "en",
    sample: int = 0,
    *,
    seed: int = 2026,
    as_of: dt.date | None = None,
    base_currency: str | None = None,
    buyers: pd.DataFrame | None = None,
    invoices: pd.DataFrame | None = None,
) -> Path:
    """Write a credit-control workbook: the template, optionally with ``sample`` buyers.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (replaced if it exists).
    lang : {"en", "zh-CN"}
        Language of sheet names, headers, labels and the policy.
    sample : int
        Number of synthetic buyers to fill in (their invoices come with them, about 15
        each); 0 for an empty template.
    seed : int
        Seed of the sample data (the same seed gives the same workbook).
    as_of : date, optional
        As-of date written to the Policy sheet with sample data (default
        :data:`~xlcredit.workbook.sample.SAMPLE_AS_OF`); an empty template leaves it blank (today).
    base_currency : str, optional
        ISO code of the base currency (default EUR, CNY in Chinese); the example FX rates are
        restated in it, or left out when it is not one of theirs.
    buyers, invoices : DataFrame, optional
        Rows to fill in instead of the sample's (canonical column names, as
        :func:`~xlcredit.workbook.sample.sample_buyers` gives): a team's share of a sample,
        for instance. Given with ``sample``, the policy is the sample's.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    Can I get a workbook with 20 sample buyers to try the buttons on?

    >>> import tempfile, pathlib
    >>> out = build_template(pathlib.Path(tempfile.mkdtemp()) / "demo.xlsx", sample=20)
    >>> out.suffix, out.stat().st_size > 10_000
    ('.xlsx', True)
    """
    if lang not in ("en", "zh-CN"):
        raise ValueError(f"lang must be 'en' or 'zh-CN'; got {lang!r}")
    if sample < 0:
        raise ValueError(f"sample must be >= 0; got {sample}")
    path = Path(path)
    if sample:
        policy = sample_policy(lang, as_of or SAMPLE_AS_OF)
        buyers = sample_buyers(sample, seed, lang) if buyers is None else buyers
        invoices = sample_invoices(buyers, seed, as_of or SAMPLE_AS_OF, language=lang) if invoices is None else invoices
    else:
        policy = dataclasses.replace(sample_policy(lang), as_of=as_of)  # blank: today
        buyers = pd.DataFrame(columns=[c.name for c in BUYERS.columns]) if buyers is None else buyers
        invoices = pd.DataFrame(columns=[c.name for c in INVOICES.columns]) if invoices is None else invoices
    if base_currency is not None and base_currency != policy.base_currency:
        policy = with_base_currency(policy, base_currency)
    book = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    })
    book.set_properties({"title": _t("help_title", lang), "author": "xlcredit",
                         "company": "", "created": dt.datetime(2026, 1, 1)})
    book.set_custom_property(PROPERTY, CURRENT_VERSION)
    fm = _Formats(book, lang)
    _buyers_sheet(book, fm, buyers, lang)
    _invoices_sheet(book, fm, invoices, lang)
    _quick_sheet(book, fm, lang, as_of or SAMPLE_AS_OF)
    _policy_sheet(book, fm, policy, lang)
    _decisions_sheet(book, fm, lang)
    _help_sheet(book, fm, lang)
    book.close()
    return path


def main() -> None:
    """Rebuild the shipped templates in ``workbooks/`` (``python -m xlcredit.workbook.templates``)."""
    for lang in ("en", "zh-CN"):
        path = template_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        build_template(path, lang=lang)
        print(path)


if __name__ == "__main__":
    main()
