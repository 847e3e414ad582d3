"""Dunning letters: one per buyer at its highest dunning step, for the whole account.

The step of each buyer is the collections summary's ``highest_step_no``
(:func:`xlcredit.engine.collections.summarise_by_buyer`); the items asked for are the
statement lines in dunning (overdue, not disputed on hold, not under a promise still
honoured; :func:`xlcredit.engine.account_statement.statement_lines`); the date of the next
step is the worklist's ``next_step_date``. The text is the team's
(:class:`~xlcredit.engine.policy.LetterText` of the policy) with its merge fields filled.

Which letter does buyer A get on 28 November?

>>> import pandas as pd
>>> from xlcredit.engine.account_statement import statement_lines
>>> from xlcredit.engine.aging import age_invoices
>>> from xlcredit.engine.collections import build_worklist, summarise_by_buyer
>>> from xlcredit.engine.policy import Policy
>>> inv = pd.DataFrame({"invoice_no": ["1", "2"], "buyer_id": ["A", "A"], "currency": ["EUR"] * 2,
...     "amount": [1000.0, 300.0], "due_date": pd.to_datetime(["2026-10-20", "2026-11-20"]),
...     "disputed": [False, True]})
>>> p = Policy()
>>> wl = build_worklist(inv, "2026-11-28", p)
>>> lines = statement_lines(inv, age_invoices(inv, "2026-11-28", p), wl, p)
>>> buyers = pd.DataFrame({"buyer_id": ["A"], "name": ["Acme"], "contact": ["Ms Li"]})
>>> out = dunning_letters(lines, summarise_by_buyer(wl, p), wl, buyers, p, "en", "2026-11-28")
>>> out.loc[0, ["buyer_id", "step", "amount"]].tolist(), int(out.loc[0, "items"]), int(out.loc[0, "left_out"])
(['A', 'call', 'EUR 1,000.00'], 1, 1)
>>> print(out.loc[0, "body"].splitlines()[0])
Dear Ms Li,
"""

from __future__ import annotations

import re
import string
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.policy import LETTER_FIELDS, Policy
from xlcredit.messages import text
from xlcredit.messages.rows import rows_text

__all__ = ["LETTER_COLUMNS", "dunning_letters", "fill_letter", "money_text"]

#: Columns of :func:`dunning_letters`.
LETTER_COLUMNS: dict[str, str] = {
    "buyer_id": "buyer",
    "step_no": "highest dunning step of the buyer (1 = first rung)",
    "step": "that step's name",
    "subject": "the letter's subject, merge fields filled",
    "body": "the letter's text, merge fields filled",
    "items": "invoices asked for",
    "left_out": "overdue invoices left out (disputed, promised)",
    "amount": "the amount asked for, per currency, as text",
    "missing_text": "TRUE when the policy has no text for the step and language (no letter)",
}


def money_text(amounts: pd.Series) -> str:
    """Amounts by currency as one text, largest first: ``EUR 1,200.00; USD 50.00``.

    >>> money_text(pd.Series({"USD": 50.0, "EUR": 1200.0}))
    'EUR 1,200.00; USD 50.00'
    """
    ordered = amounts[amounts != 0].sort_values(ascending=False)
    return "; ".join(f"{ccy} {value:,.2f}" for ccy, value in ordered.items())


def fill_letter(text: str, fields: dict[str, str]) -> str:
    """Fill a letter text's merge fields; lines left empty by a blank field are dropped and
    runs of blank lines shortened to one.

    >>> fill_letter("Dear {contact},\\n{interest}\\nPay {overdue_total}.", {"contact": "Ms Li",
    ...     "interest": "", "overdue_total": "EUR 5.00"})
    'Dear Ms Li,\\nPay EUR 5.00.'
    """
    names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    filled_lines = []
    for line in text.split("\n"):
        used = {f for _, f, _, _ in string.Formatter().parse(line) if f}
        value = line.format_map({k: fields.get(k, "") for k in names | used})
        if used and not value.strip():
            continue  # a line that was only blank fields
        filled_lines.append(value.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(filled_lines)).strip()


def dunning_letters(lines: pd.DataFrame, summary: pd.DataFrame, worklist: pd.DataFrame, buyers: pd.DataFrame,
                    policy: Policy, language: str, date: Any) -> pd.DataFrame:
    """One letter per buyer whose highest dunning step is at least 1 (columns of
    :data:`LETTER_COLUMNS`), in the order of ``summary`` (largest overdue first).

    Parameters
    ----------
    lines : DataFrame
        Statement lines (:func:`~xlcredit.engine.account_statement.statement_lines`).
    summary : DataFrame
        Collections summary per buyer (index ``buyer_id``; ``highest_step_no``).
    worklist : DataFrame
        The worklist the summary came from (``next_step_date`` per item).
    buyers : DataFrame
        ``buyer_id``, ``name`` and optionally ``contact``.
    policy : Policy
        Letter texts, dunning ladder, our company.
    language : {"en", "zh-CN"}
    date : date-like
        The letter date.
    """
    day = pd.Timestamp(date).date().isoformat()
    company = policy.company
    phone = text("letters.word.tel", language, phone=company.contact_phone) if company.contact_phone else ""
    our_contact = text("letters.word.separator", language).join(
        x for x in (company.contact_name, company.contact_email, phone) if x)
    # a Chinese letter with no contact person is addressed to the buyer by name
    hello = "" if language == "zh-CN" else text("letters.word.hello", language)
    info = buyers.drop_duplicates("buyer_id").set_index("buyer_id")
    steps = summary["highest_step_no"].to_numpy(dtype=float)
    chosen = np.nan_to_num(steps) >= 1
    rows: list[dict[str, Any]] = []
    for buyer, step_value in zip(summary.index[chosen], steps[chosen], strict=True):  # words, not a fact
        step_no = int(step_value)
        rung = policy.dunning[step_no - 1]
        mine = lines[lines["buyer_id"] == buyer]
        asked = mine[mine["in_dunning"].astype(bool)]
        held = mine["disputed"].astype(bool) | mine["promised"].astype(bool)  # not credit notes
        left = mine[mine["days_overdue"].notna() & held & ~mine["in_dunning"].astype(bool)]
        item_lines = rows_text(
            "letters.word.item", language, n=len(asked), no=asked["invoice_no"].to_numpy(dtype=object),
            due=pd.to_datetime(asked["due_date"]).dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object),
            ccy=asked["currency"].to_numpy(dtype=object),
            amount=asked["open_amount"].map("{:,.2f}".format).to_numpy(dtype=object),
            days=asked["days_overdue"].round().map("{:.0f}".format).to_numpy(dtype=object))
        amount = money_text(asked.groupby("currency")["open_amount"].sum())
        interest = asked.groupby("currency")["late_interest"].sum()
        wl = worklist[(worklist["buyer_id"] == buyer) & (worklist["step_no"] == step_no)]
        next_date = wl["next_step_date"].min() if len(wl) else pd.NaT
        next_text = ""
        if step_no < len(policy.dunning) and not pd.isna(next_date):
            after = policy.dunning[step_no]
            next_text = text("letters.word.next", language,
                             step=after.action_zh if language == "zh-CN" else after.action_en, date=_date(next_date))
        contact = info["contact"].get(buyer) if "contact" in info.columns else None
        name = info["name"].get(buyer) if "name" in info.columns else None
        fields = {
            "buyer": _text(name) or str(buyer),
            "contact": _text(contact) or hello or _text(name) or str(buyer),
            "overdue_total": amount,
            "oldest_due_date": _date(asked["due_date"].min()) if len(asked) else "",
            "invoice_list": "\n".join(item_lines),
            "left_out": text("letters.word.left", language, n=len(left), nos=", ".join(left["invoice_no"].astype(str)))
            if len(left) else "",
            "interest": text("letters.word.interest", language, x=money_text(interest)) if policy.late_interest.enabled
            and money_text(interest) else "",
            "next_step": next_text,
            "our_contact": our_contact,
            "our_company": company.name,
            "statement_date": day,
        }
        assert set(fields) == set(LETTER_FIELDS)
        letter = policy.letter(rung.step, language)
        rows.append({
            "buyer_id": buyer, "step_no": step_no, "step": rung.step,
            "subject": fill_letter(letter.subject, fields) if letter else "",
            "body": fill_letter(letter.body, fields) if letter else "",
            "items": len(asked), "left_out": len(left), "amount": amount, "missing_text": letter is None,
        })
    return pd.DataFrame(rows, columns=list(LETTER_COLUMNS))


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()


def _date(value: Any) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()
