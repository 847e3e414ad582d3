"""Statements of account (对账单): the printable Statement sheet for one buyer (ribbon) and
one PDF or .xlsx file per buyer (``xlcredit statements``).

The lines and totals come from :mod:`xlcredit.engine.account_statement` (which reads the
aging and the worklist of the run); this module words them in the workbook's language and
lays them out: our company and payment instructions from the policy's ``company`` settings,
amounts in the invoices' own currencies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.errors import InputError, SchemaError
from xlcredit.macros.generated import _DATE, _MONEY, _write_generated
from xlcredit.macros.run import (
    _aging,
    _buyer_names,
    _example_book,  # noqa: F401  (the docstring examples use it)
    _ledger,
    _open,
    _Run,
    _worklist,
)
from xlcredit.messages import Message, pair, text
from xlcredit.workbook.port import CellSpec, SheetSpec, Workbook
from xlcredit.workbook.schema import BUYERS, SHEET_NAMES
from xlcredit.workbook.statement_doc import StatementDoc, write_pdf, write_xlsx

__all__ = ["TEXT", "build_statement", "statement_buyers", "statement_doc", "statement_lines_of",
           "write_statements"]

#: The words of a statement (English, Chinese). ``{x}`` are filled in.
TEXT: dict[str, tuple[str, str]] = {
    key: pair(f"statement.{key}") for key in (
        "title",
        "date",
        "customer_no",
        "tax_id",
        "invoice_no",
        "invoice_date",
        "due_date",
        "currency",
        "amount",
        "paid",
        "open",
        "days_overdue",
        "interest",
        "remark",
        "disputed",
        "promised",
        "total",
        "overdue_total",
        "interest_total",
        "due_total",
        "base_total",
        "aging",
        "pay_to",
        "contact",
        "disputed_note",
        "check",
        "nothing",
        "footer",
        "sheet_note",
    )
}


def _t(key: str, lang: str, **fields: Any) -> str:
    return text(f"statement.{key}", lang, **fields)


def statement_lines_of(run: _Run) -> pd.DataFrame:
    """Every buyer's statement lines of the run (cached): see
    :func:`xlcredit.engine.account_statement.statement_lines`."""
    if "statement_lines" not in run.cache:
        from xlcredit.engine.account_statement import statement_lines

        run.cache["statement_lines"] = statement_lines(_ledger(run), _aging(run), _worklist(run), run.policy)
    return run.cache["statement_lines"]  # type: ignore[no-any-return]


def statement_buyers(run: _Run, which: str | Sequence[str] = "overdue") -> list[str]:
    """Buyer IDs to write statements for: ``"overdue"`` (buyers with an overdue item),
    ``"all"`` (buyers with an open item), or a list of IDs (each must be in the Buyers
    table; a buyer with nothing open gets a statement saying so).

    >>> with _example_book(20) as book:
    ...     run = _open(book)
    ...     overdue, every = statement_buyers(run, "overdue"), statement_buyers(run, "all")
    >>> 0 < len(overdue) <= len(every)
    True
    """
    lines = statement_lines_of(run)
    if isinstance(which, str) and which in ("overdue", "all"):
        chosen = lines if which == "all" else lines[lines["days_overdue"].notna()]
        known = pd.unique(chosen["buyer_id"].astype(str))
        order = [str(b) for b in run.buyers.frame["buyer_id"].dropna().astype(str) if b in set(known)]
        return list(dict.fromkeys(order))
    ids = [str(b).strip() for b in which if str(b).strip()]
    have = set(run.buyers.frame["buyer_id"].dropna().astype(str))
    missing = [b for b in ids if b not in have]
    if missing:
        raise InputError(Message("statement.unknown_buyers", {"missing": ", ".join(missing), "table": BUYERS.name}))
    return list(dict.fromkeys(ids))


def statement_doc(run: _Run, buyer_id: str) -> StatementDoc:
    """The statement of one buyer, worded in the workbook's language.

    >>> with _example_book() as book:
    ...     doc = statement_doc(_open(book), "C0001")
    >>> doc.title, doc.columns[:3]
    ('Statement of account', ['Invoice no.', 'Invoice date', 'Due date'])
    """
    from xlcredit.engine.account_statement import statement_aging, statement_totals

    lang, policy = run.lang, run.policy
    lines = statement_lines_of(run)
    mine = lines[lines["buyer_id"].astype(str) == str(buyer_id)].reset_index(drop=True)
    company = policy.company
    heading = [x for x in (company.name, company.address,
                           f"{_t('tax_id', lang)}: {company.tax_id}" if company.tax_id else "") if x]
    contact = ", ".join(x for x in (company.contact_name, company.contact_email, company.contact_phone) if x)
    name = _buyer_names(run).get(str(buyer_id))
    day = run.as_of.isoformat()
    charged = policy.late_interest.enabled
    keys = ["invoice_no", "invoice_date", "due_date", "currency", "amount", "paid", "open", "days_overdue"]
    kinds = ["text", "date", "date", "text", "money", "money", "money", "days"]
    if charged:
        keys.append("interest")
        kinds.append("money")
    keys.append("remark")
    kinds.append("text")
    remark = np.where(mine["disputed"].to_numpy(dtype=bool), _t("disputed", lang),
                      np.where(mine["promised"].to_numpy(dtype=bool), _t("promised", lang), ""))
    cols: list[Any] = [mine["invoice_no"].astype(str).tolist(), _dates(mine["invoice_date"]),
                       _dates(mine["due_date"]), mine["currency"].astype(str).tolist(),
                       mine["amount"].tolist(), mine["paid_amount"].tolist(), mine["open_amount"].tolist(),
                       mine["days_overdue"].tolist()]
    if charged:
        cols.append(mine["late_interest"].tolist())
    cols.append(remark.tolist())
    rows = [list(r) for r in zip(*cols, strict=True)] if len(mine) else []
    totals: list[tuple[str, Any]] = []
    aging_rows: list[list[Any]] = []
    aging_columns: list[str] = []
    if len(mine):
        tot = statement_totals(mine).loc[str(buyer_id)] if len(mine) else None
        assert tot is not None
        for ccy, t in tot.iterrows():
            totals.append((_t("total", lang, ccy=ccy), float(t["open_amount"])))
            totals.append((_t("overdue_total", lang, ccy=ccy), float(t["overdue"])))
            if charged and t["late_interest"]:
                totals.append((_t("interest_total", lang, ccy=ccy), float(t["late_interest"])))
                totals.append((_t("due_total", lang, ccy=ccy), float(t["open_amount"] + t["late_interest"])))
        if len(tot) > 1 and not tot["open_base"].isna().any():
            totals.append((_t("base_total", lang, ccy=run.ccy), float(tot["open_base"].sum())))
        aging = statement_aging(mine, lang, policy.aging.bucket_edges).loc[str(buyer_id)]
        aging_columns = [_t("currency", lang), *map(str, aging.columns)]
        aging_rows = [[ccy, *map(float, r)] for ccy, r in aging.iterrows()]
    notes = []
    if mine["disputed"].any():
        notes.append(_t("disputed_note", lang))
    if not len(mine):
        notes.append(_t("nothing", lang, date=day))
    if company.bank_account:
        swift = _t("swift", lang, swift=company.bank_swift) if company.bank_swift else ""
        notes.append(_t("pay_to", lang, bank=company.bank_name or "-", account=company.bank_account, swift=swift))
    if contact:
        notes.append(_t("contact", lang, who=contact))
    notes.append(_t("check", lang))
    return StatementDoc(
        language=lang, title=_t("title", lang), heading=heading,
        addressee=[str(name) if name is not None and not pd.isna(name) else str(buyer_id)],
        facts=[(_t("date", lang), day), (_t("customer_no", lang), str(buyer_id))],
        columns=[_t(k, lang) for k in keys], kinds=kinds, rows=rows,
        marked=mine["disputed"].astype(bool).tolist(), totals=totals, aging_columns=aging_columns,
        aging_rows=aging_rows, notes=notes, footer=_t("footer", lang, date=day))


def _dates(values: pd.Series) -> list[Any]:
    return [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]


def _file_name(buyer_id: str, name: Any) -> str:
    """A safe file name: the buyer ID and name, characters a file system refuses dropped.

    >>> _file_name("C0001", "Müller & Co / GmbH"), _file_name("K-9", "华远贸易")
    ('C0001 Müller & Co GmbH', 'K-9 华远贸易')
    """
    text = f"{buyer_id} {name}" if name is not None and not pd.isna(name) else str(buyer_id)
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]', " ", text)
    return re.sub(r"\s+", " ", text).strip()[:80]


def write_statements(workbook: Workbook, out_dir: Path, *, buyers: str | Sequence[str] = "overdue",
                     fmt: str = "pdf", as_of: dt.date | None = None, _run: _Run | None = None) -> list[Path]:
    """One statement file per buyer (``pdf`` or ``xlsx``) in ``out_dir``; returns the paths.

    >>> import tempfile
    >>> with _example_book(12) as book:
    ...     paths = write_statements(book, Path(tempfile.mkdtemp()), buyers=["C0001"], fmt="xlsx")
    >>> [p.name.split()[0] for p in paths], paths[0].suffix
    (['C0001'], '.xlsx')
    """
    if fmt not in ("pdf", "xlsx"):
        raise InputError(Message("statement.format", {"value": repr(fmt)}))
    run = _run or _open(workbook, as_of)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = _buyer_names(run)
    paths = []
    for buyer in statement_buyers(run, buyers):  # one document per buyer: I/O, not a fact
        doc = statement_doc(run, buyer)
        target = out_dir / f"{_file_name(buyer, names.get(buyer))}.{fmt}"
        if fmt == "pdf":
            write_pdf(doc, target)
        else:
            write_xlsx(doc, target)
        paths.append(target)
    return paths


def build_statement(workbook: Workbook, buyer_id: str, *, as_of: dt.date | None = None,
                    _run: _Run | None = None) -> StatementDoc:
    """Write the printable Statement sheet (对账单) for one buyer; returns its document.

    >>> with _example_book() as book:
    ...     doc = build_statement(book, "C0001")
    ...     "Statement" in book.sheet_names()
    True
    """
    run = _run or _open(workbook, as_of)
    have = set(run.buyers.frame["buyer_id"].dropna().astype(str))
    if str(buyer_id) not in have:
        raise SchemaError(Message("statement.not_a_buyer", {"buyer": repr(buyer_id), "table": BUYERS.name}))
    doc = statement_doc(run, str(buyer_id))
    lang = run.lang
    cells: list[CellSpec] = []
    r = 0
    for i, line in enumerate(doc.heading):
        cells.append(CellSpec(r, 0, line, bold=i == 0))
        r += 1
    for k, v in doc.facts:
        cells += [CellSpec(r, len(doc.columns) - 2, k, horizontal="right"), CellSpec(r, len(doc.columns) - 1, v)]
        r += 1
    r += 1
    cells.append(CellSpec(r, 0, doc.title, bold=True, font_size=14))
    r += 1
    for line in doc.addressee:
        cells.append(CellSpec(r, 0, line, bold=True))
        r += 1
    r += 1
    top = r
    fmt = {"money": _MONEY, "date": _DATE, "days": "0"}
    for j, c in enumerate(doc.columns):
        cells.append(CellSpec(r, j, c, bold=True, horizontal="right" if doc.kinds[j] in ("money", "days") else None))
    for row in doc.rows:
        r += 1
        for j, (v, kind) in enumerate(zip(row, doc.kinds, strict=True)):
            value = None if v is None or (isinstance(v, float) and np.isnan(v)) else v
            if kind == "date" and value is not None:
                value = dt.datetime.combine(value, dt.time())
            cells.append(CellSpec(r, j, value, number_format=fmt.get(kind)))
    r += 2
    for k, v in doc.totals:
        cells += [CellSpec(r, len(doc.columns) - 3, k, bold=True, horizontal="right"),
                  CellSpec(r, len(doc.columns) - 2, v, number_format=_MONEY, bold=True)]
        r += 1
    r += 1
    if doc.aging_columns:
        cells.append(CellSpec(r, 0, _t("aging", lang), bold=True))
        r += 1
        for j, c in enumerate(doc.aging_columns):
            cells.append(CellSpec(r, j, c, bold=True, horizontal="right" if j else None))
        for row in doc.aging_rows:
            r += 1
            cells += [CellSpec(r, j, v, number_format=_MONEY if j else None) for j, v in enumerate(row)]
        r += 2
    for note in doc.notes:
        cells.append(CellSpec(r, 0, note))
        r += 1
    widths = {j: {"money": 14.0, "date": 12.0, "days": 9.0}.get(k, 14.0) for j, k in enumerate(doc.kinds)}
    spec = SheetSpec(SHEET_NAMES["statement"]["zh-CN" if lang == "zh-CN" else "en"], cells=cells,
                     widths=widths, tab_color="#1F4E78", landscape=False, print_title_rows=(top, top),
                     footer=doc.footer)
    _write_generated(run, spec)
    return doc
