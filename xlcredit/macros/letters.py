"""Dunning letters as e-mail drafts (.eml, statement PDF attached) and the Letters log.

``write_letters`` writes one draft per buyer at its highest dunning step
(:func:`xlcredit.engine.letters.dunning_letters`) and records each on the Letters sheet
(``tblLettersLog``): date, buyer, step, amount asked, invoices, file, and a Sent column the
user marks. A later run adds its rows and keeps every earlier row, the user's marks and any
column the user added to the table; refresh never writes the sheet. The Collections sheet
shows each buyer's last letter from it (:func:`last_reminders`)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.macros.generated import _DATE, _frame_cells, _write_generated
from xlcredit.macros.run import (
    _example_book,  # noqa: F401  (the docstring examples use it)
    _letters_log,
    _open,
    _read_own,
    _Run,
    _worklist,
)
from xlcredit.macros.statement_sheet import _file_name, statement_doc, statement_lines_of
from xlcredit.messages import pair
from xlcredit.workbook.port import CellSpec, SheetSpec, TableSpec, Workbook
from xlcredit.workbook.schema import LETTERS_LOG, SHEET_NAMES
from xlcredit.workbook.statement_doc import write_pdf

__all__ = ["LettersResult", "last_reminders", "write_letters"]

_TEXT: dict[str, tuple[str, str]] = {
    key: pair(f"letters.{key}") for key in ("title", "note", "no_text", "no_email", "sent", "unused")
}


def _t(key: str, lang: str, **fields: Any) -> str:
    en, zh = _TEXT[key]
    return (zh if lang == "zh-CN" else en).format(**fields)


@dataclass
class LettersResult:
    """What a letters run wrote: the drafts, the buyers skipped and why."""

    paths: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _letters(run: _Run) -> pd.DataFrame:
    from xlcredit.engine.collections import summarise_by_buyer
    from xlcredit.engine.letters import dunning_letters

    b = run.buyers.frame
    cols = [c for c in ("buyer_id", "name", "contact", "email") if c in b.columns]
    summary = summarise_by_buyer(_worklist(run), run.policy)
    return dunning_letters(statement_lines_of(run), summary, _worklist(run), b[cols].dropna(subset=["buyer_id"]),
                           run.policy, run.lang, run.as_of)


def _eml(run: _Run, letter: pd.Series, email: str | None, pdf: bytes, pdf_name: str) -> bytes:
    company = run.policy.company
    msg = EmailMessage()
    msg["Subject"] = letter["subject"]
    if company.contact_email:
        msg["From"] = formataddr((company.contact_name or company.name, company.contact_email))
    if email:
        msg["To"] = email
    msg["X-Unsent"] = "1"  # Outlook opens it as a draft to send; other clients as a message
    msg.set_content(letter["body"])
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return bytes(msg)


def write_letters(workbook: Workbook, out_dir: Path, *, as_of: dt.date | None = None,
                  _run: _Run | None = None) -> LettersResult:
    """Write one .eml draft per buyer at its highest dunning step, with the statement PDF
    attached, and add the drafts to the Letters log. Save the workbook afterwards.

    >>> import tempfile, email
    >>> with _example_book(30) as book:
    ...     result = write_letters(book, Path(tempfile.mkdtemp()))
    ...     log = book.read_table("tblLettersLog")
    >>> msg = email.message_from_bytes(result.paths[0].read_bytes())
    >>> msg["X-Unsent"], [p.get_content_type() for p in msg.walk()][1:], len(log.rows) == len(result.paths)
    ('1', ['text/plain', 'application/pdf'], True)
    """
    run = _run or _open(workbook, as_of)
    lang = run.lang
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    letters = _letters(run)
    unused: list[str] = []
    ladder = [d.step for d in run.policy.dunning]
    for step in dict.fromkeys(t.step for t in run.policy.letters if t.step not in ladder):
        result_unused = _t("unused", lang, step=step, ladder=", ".join(ladder))
        unused.append(result_unused)
    b = run.buyers.frame.dropna(subset=["buyer_id"]).drop_duplicates("buyer_id").set_index("buyer_id")
    result = LettersResult(warnings=unused)
    new_rows: list[dict[str, Any]] = []
    for _, letter in letters.iterrows():  # one file per buyer: I/O
        buyer = str(letter["buyer_id"])
        if bool(letter["missing_text"]):
            result.skipped.append(f"{buyer}: " + _t("no_text", lang, step=letter["step"], language=lang))
            continue
        name = b["name"].get(buyer) if "name" in b.columns else None
        email = b["email"].get(buyer) if "email" in b.columns else None
        email = None if email is None or pd.isna(email) or not str(email).strip() else str(email).strip()
        if email is None:
            result.warnings.append(_t("no_email", lang, buyer=buyer))
        stem = _file_name(buyer, name)
        pdf = io.BytesIO()
        write_pdf(statement_doc(run, buyer), pdf)
        target = out_dir / f"{stem} - {letter['step']}.eml"
        target.write_bytes(_eml(run, letter, email, pdf.getvalue(), f"{stem}.pdf"))
        result.paths.append(target)
        new_rows.append({"date": dt.datetime.combine(run.as_of, dt.time()), "buyer_id": buyer,
                         "name": None if name is None or pd.isna(name) else str(name), "step": letter["step"],
                         "amount": letter["amount"], "items": int(letter["items"]), "file": target.name})
    _write_log(run, new_rows)
    return result


def _write_log(run: _Run, new_rows: list[dict[str, Any]]) -> None:
    """Rewrite the Letters sheet: the rows already there (all their columns, the user's
    marks), then today's rows; a row of the same date, buyer and step is replaced, keeping
    its Sent mark and the user's columns."""
    lang = run.lang
    ours = [c.name for c in LETTERS_LOG.columns]
    header = LETTERS_LOG.headers(lang)
    rows: list[list[Any]] = []
    where: dict[str, int] = {name: i for i, name in enumerate(ours)}
    keys: dict[tuple[str, str, str], int] = {}
    if LETTERS_LOG.name in run.workbook.table_names():
        raw = run.workbook.read_table(LETTERS_LOG.name)
        found = LETTERS_LOG.resolve(raw.header)
        header = list(raw.header)
        for name in ours:  # a column of ours the user deleted comes back at the end
            if name not in found:
                found[name] = len(header)
                header.append(LETTERS_LOG.column(name).header(lang))
        where = found
        rows = [list(r) + [None] * (len(header) - len(r)) for r in raw.rows]
        t = _read_own(run, LETTERS_LOG)
        if t is not None:
            run.problems.extend(t.problems)
            days = pd.to_datetime(t.frame["date"]).dt.strftime("%Y-%m-%d")
            for pos, day, buyer, step in zip(t.data_index, days, t.frame["buyer_id"], t.frame["step"], strict=True):
                if isinstance(day, str):
                    keys[(day, str(buyer), str(step))] = int(pos)
    for new in new_rows:
        key = (new["date"].date().isoformat(), new["buyer_id"], new["step"])
        if key in keys:
            row = rows[keys[key]]
        else:
            row = [None] * len(header)
            rows.append(row)
        for name, value in new.items():
            row[where[name]] = value
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(
        [[None] * len(header)], columns=header, dtype=object)
    date_h = header[where["date"]]
    frame[date_h] = [_as_datetime(v) for v in frame[date_h]]
    spec = SheetSpec(
        SHEET_NAMES["letters"]["zh-CN" if lang == "zh-CN" else "en"],
        cells=[CellSpec(0, 0, _t("title", lang), bold=True, font_size=14), CellSpec(1, 0, _t("note", lang))],
        tables=[TableSpec(LETTERS_LOG.name, _frame_cells(frame), row=3, number_formats={date_h: _DATE, header[
            where["items"]]: "0"}, text_columns=tuple(header[where[n]] for n in ("buyer_id", "name", "step",
                                                                                   "amount", "file", "sent")),
            style="TableStyleMedium2")],
        widths={i: (LETTERS_LOG.columns[ours.index(n)].width if n in ours else 14.0)
                for i, n in enumerate(_names(where, len(header)))},
        freeze=(4, 0), tab_color="#7F6000", print_title_rows=(3, 3),
    )
    _write_generated(run, spec)


def _names(where: dict[str, int], n: int) -> list[str]:
    by_pos = {i: name for name, i in where.items()}
    return [by_pos.get(i, "") for i in range(n)]


def _as_datetime(value: Any) -> Any:
    """A log date as a datetime (a date read back as an Excel serial number stays a date)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, (int, float)) and not np.isnan(value):
        return dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))
    return value


def last_reminders(run: _Run) -> pd.Series:
    """Each buyer's last letter from the Letters log, as text: ``2026-11-30 Friendly reminder``,
    with ``(sent)`` when the user marked it; empty when the workbook has no log.

    >>> import tempfile
    >>> with _example_book(30) as book:
    ...     _ = write_letters(book, Path(tempfile.mkdtemp()))
    ...     last = last_reminders(_open(book))
    >>> last.iloc[0].startswith("2026-")
    True
    """
    if "last_reminders" in run.cache:
        return run.cache["last_reminders"]  # type: ignore[no-any-return]
    out = pd.Series(dtype=object)
    log = _letters_log(run)
    if log is not None:
        f = log.dropna(subset=["date", "buyer_id"]).sort_values("date", kind="stable")
        if len(f):
            last = f.groupby("buyer_id").tail(1).set_index("buyer_id")
            sent = last["sent"].notna() & (last["sent"].astype(str).str.strip() != "") if "sent" in last.columns \
                else pd.Series(False, index=last.index)
            mark = np.where(sent.to_numpy(dtype=bool), f" ({_t('sent', run.lang)})", "")
            words = {d.step: (d.action_zh if run.lang == "zh-CN" else d.action_en) for d in run.policy.dunning}
            step = last["step"].astype(str)
            step = step.map(words).where(step.isin(list(words)), step)  # a step since renamed: as logged
            out = pd.Series(pd.to_datetime(last["date"]).dt.strftime("%Y-%m-%d").to_numpy(dtype=object) + " "
                            + step.to_numpy(dtype=object) + mark, index=last.index, dtype=object)
    run.cache["last_reminders"] = out
    return out
