"""Collections: the prioritised worklist of overdue open invoices.

For every overdue open item (open amount = amount - paid amount > 0, due date before the
as-of date) the worklist gives the days overdue, the dunning step the policy's ladder
assigns (action in English and Chinese, channel), when the next step falls due, a priority
score and rank, the hold of disputed invoices, promise-to-pay dates honoured until they
lapse (and broken promises flagged and escalated), credit-insurance deadlines and optional
statutory late interest, all in the base currency through the policy's FX table.

Input: the invoice ledger as a DataFrame with the columns of :data:`INVOICE_INPUT_COLUMNS`
(the names ``xlcredit.engine.aging`` uses, plus ``promise_date``). Output: a DataFrame with the
columns of :data:`WORKLIST_COLUMNS`, one row per overdue item, keyed by ``invoice_no``
(the key the macros layer uses to carry the Collections sheet's user columns, status,
promise date, owner and notes, over a refresh; no output column bears those names).

Which invoices must the collector chase today, and with what?

>>> import pandas as pd
>>> ledger = pd.DataFrame({
...     "invoice_no": ["INV-1", "INV-2", "INV-3", "INV-4"],
...     "buyer_id": ["ACME", "ACME", "BETA", "BETA"],
...     "currency": ["EUR", "EUR", "USD", "EUR"],
...     "amount": [1000.0, 5000.0, 2000.0, 700.0],
...     "paid_amount": [0.0, 1000.0, 0.0, 700.0],
...     "due_date": pd.to_datetime(["2026-11-20", "2026-09-15", "2026-10-01", "2026-10-01"]),
...     "disputed": [False, False, True, False],
... })
>>> policy = Policy(fx_rates=(("EUR", 1.0), ("USD", 0.9)))
>>> wl = build_worklist(ledger, "2026-11-28", policy)
>>> cols = ["rank", "invoice_no", "open_amount_base", "days_overdue", "action_en", "dunning_state"]
>>> print(wl[cols].to_string(index=False))
 rank invoice_no  open_amount_base  days_overdue         action_en      dunning_state
    1      INV-2            4000.0            74      Final demand            dunning
    2      INV-1            1000.0             8 Friendly reminder            dunning
    3      INV-3            1800.0            58   Resolve dispute disputed - on hold
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, PolicyError, SchemaError, describe
from xlcredit.engine.late_payment import (
    BUYER_TYPES,
    PRESET_LABELS_ZH,
    PRESETS,
    buyer_type_codes,
    limitation_dates,
    preset_codes,
    preset_interest,
    statutory_terms_days,
)
from xlcredit.engine.ledger import LedgerArrays, dunning_steps, ledger_arrays, position
from xlcredit.engine.policy import DEFAULT_POLICY, HOME_COUNTRY_NAMES, Policy
from xlcredit.engine.values import day_numbers, floats
from xlcredit.messages import Message, labels, text

__all__ = [
    "BUYER_SUMMARY_COLUMNS",
    "BUYER_SUMMARY_LABELS_ZH",
    "INSURANCE_ALERTS_ZH",
    "INVOICE_INPUT_COLUMNS",
    "LIMITATION_ALERTS_ZH",
    "RULE_LABELS_ZH",
    "STATES",
    "STATE_LABELS_ZH",
    "WORKLIST_COLUMNS",
    "WORKLIST_LABELS_ZH",
    "build_worklist",
    "dunning_step_numbers",
    "late_interest",
    "step_actions",
    "summarise_by_buyer",
]

#: Columns of the invoice ledger read here (same names as ``xlcredit.engine.aging``).
#: Required: ``invoice_no``, ``buyer_id``, ``amount``, ``due_date``. Optional:
#: ``currency`` (blank or absent: the base currency), ``paid_amount`` (blank or absent: 0),
#: ``invoice_date``, ``paid_date``, ``disputed`` (bool, 1/0 or Yes/No/是/否; absent: no) and
#: ``promise_date`` (the date the buyer promised to pay; blank: no promise), the one column
#: aging does not read. Dates are datetime64 columns, Excel serial numbers or date text
#: (read by :func:`xlcredit.workbook.excel_values.to_dates`); other columns are ignored.
INVOICE_INPUT_COLUMNS: Final[dict[str, str]] = {
    "invoice_no": "invoice number, the key of a worklist row (required)",
    "buyer_id": "buyer identifier, the key of buyer_risk (required)",
    "amount": "invoice amount in its currency; credit notes are negative (required)",
    "due_date": "due date (required)",
    "currency": "ISO code of the invoice currency (optional; blank = base currency)",
    "paid_amount": "amount paid so far, in the invoice currency (optional; blank = 0)",
    "disputed": "TRUE while the invoice is disputed (optional)",
    "invoice_date": "issue date (optional; an invoice issued after the as-of date is skipped)",
    "paid_date": "date settled in full (optional; blank = not settled)",
    "promise_date": "date the buyer promised to pay (optional; collections only)",
}

#: The worklist's columns, in order (English names; see :data:`WORKLIST_LABELS_ZH`).
#: Label columns with few distinct values (currency, dunning_state, step, action_en,
#: action_zh, channel, buyer_band, insurance_alert) are pandas Categoricals that always
#: include "" among their categories; dates are datetime64[ns] (NaT when none).
WORKLIST_COLUMNS: Final[dict[str, str]] = {
    "rank": "1 = work first; active items before items on hold, then by priority",
    "invoice_no": "invoice number (the row key)",
    "buyer_id": "buyer",
    "currency": "invoice currency",
    "open_amount": "amount - paid_amount, in the invoice currency",
    "fx_rate": "value of one unit of the currency in the base currency",
    "open_amount_base": "open amount in the base currency",
    "due_date": "due date",
    "days_overdue": "as-of date - due date, in days (>= 1)",
    "dunning_state": "dunning, promised, broken promise or disputed - on hold",
    "ladder_step_no": "ladder step the days overdue alone give (0: before the first step)",
    "step_no": "step to act on (0 when on hold or before the first step)",
    "step": "name of that step (or promise_to_pay / dispute_hold / none)",
    "action_en": "what to do, in English",
    "action_zh": "what to do, in Chinese",
    "channel": "email, phone, letter, internal, agency ...",
    "next_step_date": "date the next ladder step falls due (NaT: last step or on hold)",
    "next_action_date": "next step date or the follow-up date, whichever is first",
    "disputed": "TRUE when the invoice is disputed",
    "promise_lapse_date": "promise date + grace days: honoured up to and including this day",
    "broken_promise": "TRUE when the promise lapsed unpaid",
    "buyer_band": "buyer's risk band from buyer_risk (blank when not given)",
    "buyer_pd": "buyer's 12-month PD from buyer_risk (NaN when not given)",
    "priority": "0..100: weighted amount, age and buyer-risk components",
    "late_interest": "statutory interest to date, base currency (0 when not enabled)",
    "late_fee": "fixed compensation per invoice, base currency (0 when not enabled)",
    "late_total": "late_interest + late_fee",
    "late_interest_rule": "preset the interest follows (custom, eu, uk, cn_sme, lpr; cn_sme n/a: not applicable)",
    "statutory_terms_days": "longest term the SME payment regulation allows this buyer (NaN: not applicable)",
    "terms_over_statutory": "TRUE when invoice date to due date exceeds statutory_terms_days",
    "time_barred_on": "last day to sue before the limitation period ends (Civil Code of the PRC, art. 188 and 594)",
    "limitation_alert": "time-barred soon / time-barred (blank: nothing near); a flag, not a dunning step",
    "insurance_notify_by": "last day to notify the insurer of the overdue (NaT: no cover)",
    "insurance_extension_end": "end of the maximum extension period",
    "insurance_claim_by": "last day to file the claim",
    "insurance_alert": "deadline near or passed (blank: nothing due)",
}

#: Simplified-Chinese display labels of the worklist columns, for the sheet builder.
WORKLIST_LABELS_ZH: Final[dict[str, str]] = labels("collections.column", (
    "rank",
    "invoice_no",
    "buyer_id",
    "currency",
    "open_amount",
    "fx_rate",
    "open_amount_base",
    "due_date",
    "days_overdue",
    "dunning_state",
    "ladder_step_no",
    "step_no",
    "step",
    "action_en",
    "action_zh",
    "channel",
    "next_step_date",
    "next_action_date",
    "disputed",
    "promise_lapse_date",
    "broken_promise",
    "buyer_band",
    "buyer_pd",
    "priority",
    "late_interest",
    "late_fee",
    "late_total",
    "late_interest_rule",
    "statutory_terms_days",
    "terms_over_statutory",
    "time_barred_on",
    "limitation_alert",
    "insurance_notify_by",
    "insurance_extension_end",
    "insurance_claim_by",
    "insurance_alert",
), "zh-CN")

#: Values of ``dunning_state``, in code order.
STATES: Final[tuple[str, ...]] = ("dunning", "promised", "broken promise", "disputed - on hold")
STATE_LABELS_ZH: Final[dict[str, str]] = labels("collections.state", (
    "dunning",
    "promised",
    "broken promise",
    "disputed - on hold",
), "zh-CN")

#: Values of ``insurance_alert`` (blank: nothing near) and their Chinese labels.
INSURANCE_ALERTS_ZH: Final[dict[str, str]] = labels("collections.insurance", (
    "",
    "notify insurer soon",
    "notification deadline passed",
    "extension period ends soon",
    "file claim",
    "claim deadline soon",
    "claim deadline passed",
), "zh-CN")

#: Values of ``limitation_alert`` and their Chinese labels.
LIMITATION_ALERTS_ZH: Final[dict[str, str]] = labels("collections.limitation", (
    "",
    "time-barred soon",
    "time-barred",
), "zh-CN")

#: Values of ``late_interest_rule`` beyond the preset names, and the Chinese labels.
RULE_LABELS_ZH: Final[dict[str, str]] = {
    **PRESET_LABELS_ZH, **labels("collections.preset", ("cn_sme n/a",), "zh-CN")
}

#: Per-buyer summary columns (index: buyer_id), used by the Buyers sheet refresh.
BUYER_SUMMARY_COLUMNS: Final[dict[str, str]] = {
    "overdue_items": "number of overdue open invoices",
    "overdue_total": "their open amount in the base currency",
    "oldest_days_overdue": "days overdue of the oldest item",
    "highest_step_no": "highest dunning step reached (0: none)",
    "highest_step": "name of that step",
    "highest_action_en": "what that step asks for, in English (blank: none)",
    "highest_action_zh": "what that step asks for, in Chinese (blank: none)",
    "disputed_items": "overdue items disputed",
    "disputed_total": "their open amount in the base currency",
    "promised_items": "items with a promise to pay still honoured",
    "broken_promises": "items whose promise lapsed unpaid",
    "late_total": "late interest plus fees, base currency",
    "top_priority": "highest priority score among the buyer's items",
}
BUYER_SUMMARY_LABELS_ZH: Final[dict[str, str]] = labels("collections.summary", (
    "overdue_items",
    "overdue_total",
    "oldest_days_overdue",
    "highest_step_no",
    "highest_step",
    "highest_action_en",
    "highest_action_zh",
    "disputed_items",
    "disputed_total",
    "promised_items",
    "broken_promises",
    "late_total",
    "top_priority",
), "zh-CN")

_DUNNING, _PROMISED, _BROKEN, _DISPUTED = range(4)
_NAT = np.iinfo(np.int64).min
_NANOS_PER_DAY = 86_400 * 10**9
#: Risk component of a buyer with no PD, score or rated band: the middle of the scale.
_UNKNOWN_RISK = 0.5


# --------------------------------------------------------------------------- helpers
def _ladder(policy: Policy) -> tuple[npt.NDArray[np.float64], int]:
    edges = np.array([s.from_days for s in policy.dunning], dtype=np.float64)
    return edges, len(edges)


def step_actions(policy: Policy = DEFAULT_POLICY, language: str = "en") -> npt.NDArray[np.object_]:
    """What each dunning step asks for, indexed by step number (0: no action yet).

    >>> step_actions()[[0, 3]].tolist(), step_actions(language="zh-CN")[5]
    (['No action yet', 'Phone call'], '最后催款函')
    """
    zh = language == "zh-CN"
    return np.array([text("collections.action.none", language),
                     *((s.action_zh if zh else s.action_en) for s in policy.dunning)], dtype=object)


def _labels(policy: Policy) -> dict[str, npt.NDArray[np.object_]]:
    """Step label tables indexed by action code: 0 none, 1..n the ladder, n+1 promise,
    n+2 dispute."""
    steps = policy.dunning
    held = ("promise", "dispute")
    return {
        "step": np.array(["none", *(s.step for s in steps), "promise_to_pay", "dispute_hold"], dtype=object),
        "action_en": np.append(step_actions(policy, "en"), [text(f"collections.action.{k}", "en") for k in held]),
        "action_zh": np.append(step_actions(policy, "zh-CN"), [text(f"collections.action.{k}", "zh-CN") for k in held]),
        "channel": np.array(["", *(s.channel for s in steps), "internal", "internal"], dtype=object),
    }


def _dates(days: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    """Day numbers back to datetime64[ns] (the int64 minimum, NaT in both, stays NaT)."""
    nanos = np.where(days == _NAT, _NAT, days * _NANOS_PER_DAY)
    out: npt.NDArray[np.datetime64] = nanos.view("datetime64[ns]")
    return out


def _category(table: npt.NDArray[Any], codes: npt.NDArray[np.integer[Any]]) -> pd.Categorical:
    """``table[codes]`` as a Categorical: labels repeat a lot, and an object column of a
    million strings costs more to build than everything else in the worklist. "" is always
    a category, so ``fillna("")`` works on every label column."""
    table_codes, uniques = pd.factorize(np.asarray(table, dtype=object))
    categories = [str(u) for u in uniques]
    if "" not in categories:
        categories.append("")
    item_codes: npt.NDArray[np.intp] = np.asarray(table_codes, dtype=np.intp)[codes]
    return pd.Categorical.from_codes(item_codes, categories=pd.Index(categories, dtype=object))


def _risk_component(
    buyer_ids: npt.NDArray[Any], buyer_risk: pd.DataFrame | None, policy: Policy
) -> tuple[
    npt.NDArray[np.float64],
    tuple[npt.NDArray[np.object_], npt.NDArray[np.intp]],
    npt.NDArray[np.float64],
]:
    """Risk component 0 (safest) .. 1 (riskiest) per item, with the buyer's band and PD.

    From the buyer's PD when known (turned into a score by inverting the policy's PD
    calibration), else the score, else the middle score of the rated band, else 0.5.
    Worked out once per buyer of ``buyer_risk``, then looked up per item.
    """
    n = len(buyer_ids)
    if buyer_risk is None or n == 0:
        no_band = (np.array([""], dtype=object), np.zeros(n, dtype=np.intp))
        return np.full(n, _UNKNOWN_RISK), no_band, np.full(n, np.nan)
    table = buyer_risk if "buyer_id" in buyer_risk.columns else buyer_risk.reset_index()
    if "buyer_id" not in table.columns:
        raise SchemaError(Message("collections.risk_no_id", {"columns": ", ".join(map(str, buyer_risk.columns))}))
    if not {"pd", "score", "band"} & set(table.columns):
        raise SchemaError(Message("collections.risk_columns"))
    m = len(table)
    sp = policy.score
    score = np.full(m, np.nan)
    buyer_pd = np.full(m, np.nan)
    band = np.full(m, "", dtype=object)
    if "pd" in table.columns:
        buyer_pd = floats(table["pd"], "buyer_risk.pd")
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.clip(buyer_pd, max(sp.pd_floor, 1e-9), min(sp.pd_cap, 1 - 1e-9))
            score = (np.log(p / (1.0 - p)) - sp.intercept) / sp.pd_slope
    if "score" in table.columns:
        score = np.where(np.isnan(score), floats(table["score"], "buyer_risk.score"), score)
    if "band" in table.columns:
        codes, uniques = pd.factorize(table["band"], use_na_sentinel=True)
        names = np.array([*(str(u).strip() for u in uniques), ""], dtype=object)
        mins = [b.min_score for b in sp.bands]
        tops = [100.0, *(lo - 1 for lo in mins[:-1])]  # bands run from best (A) to worst
        middle = {b.band: (lo + hi) / 2 for b, lo, hi in zip(sp.bands, mins, tops, strict=True)}
        band = names[codes]  # code -1 (blank) picks the trailing ""
        from_band = np.array([middle.get(u, np.nan) for u in names], dtype=np.float64)[codes]
        score = np.where(np.isnan(score), from_band, score)
    with np.errstate(invalid="ignore"):
        risk = np.clip((100.0 - score) / 99.0, 0.0, 1.0)
    risk = np.where(np.isnan(risk), _UNKNOWN_RISK, risk)

    index = pd.Index(table["buyer_id"])
    wanted = pd.Index(buyer_ids)
    if (index.dtype.kind in "fiu") != (wanted.dtype.kind in "fiu"):
        index, wanted = index.astype(str), wanted.astype(str)
    if not index.is_unique:
        dup = index[index.duplicated()][0]
        raise InputError(Message("collections.risk_twice", {"value": describe(dup)}))
    pos = index.get_indexer(wanted)
    # position m (one past the table) holds the values of a buyer not in buyer_risk
    risk = np.append(risk, _UNKNOWN_RISK)
    band = np.append(band, "").astype(object)
    buyer_pd = np.append(buyer_pd, np.nan)
    pos = np.where(pos < 0, m, pos)
    return risk[pos], (band, pos), buyer_pd[pos]


def _buyer_terms(
    buyer_ids: npt.NDArray[Any], buyer_risk: pd.DataFrame | None, policy: Policy
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Per item: late-interest preset code (the buyer's ``late_interest_preset``, else the
    policy's), buyer-type code (:data:`~xlcredit.engine.late_payment.BUYER_TYPES`) and
    whether the sale is international (``international`` flag, else ``country`` other than
    the policy's ``home_country``; a blank country counts as home: the shorter period)."""
    n = len(buyer_ids)
    lp = policy.late_interest
    default = PRESETS.index(lp.preset)
    preset = np.full(n, default, dtype=np.int64)
    btype = np.zeros(n, dtype=np.int64)
    international = np.zeros(n, dtype=bool)
    if buyer_risk is None or n == 0:
        return preset, btype, international
    table = buyer_risk if "buyer_id" in buyer_risk.columns else buyer_risk.reset_index()
    index, wanted = pd.Index(table["buyer_id"]), pd.Index(buyer_ids)
    if (index.dtype.kind in "fiu") != (wanted.dtype.kind in "fiu"):
        index, wanted = index.astype(str), wanted.astype(str)
    pos = index.get_indexer(wanted)
    found = pos >= 0
    pos = np.where(found, pos, 0)
    if "late_interest_preset" in table.columns:
        codes, _ = preset_codes(table["late_interest_preset"].to_numpy(dtype=object))
        per_item = codes[pos]
        preset = np.where(found & (per_item >= 0), per_item, preset)  # unknown or blank: policy's
    if "buyer_type" in table.columns:
        codes, _ = buyer_type_codes(table["buyer_type"].to_numpy(dtype=object))
        btype = np.where(found, codes[pos], 0)
    if "country" in table.columns:
        text = table["country"].astype(object).where(table["country"].notna(), "").astype(str).str.strip().str.upper()
        home = HOME_COUNTRY_NAMES.get(lp.home_country, (lp.home_country,))
        abroad = ((text != "") & ~text.isin(home)).to_numpy()
        international = found & abroad[pos]
    if "international" in table.columns:
        flag = table["international"].astype(object)
        given = flag.notna().to_numpy()
        value = flag.fillna(False).astype(bool).to_numpy()
        international = np.where(found & given[pos], value[pos], international)
    return preset, btype, international


def _interest_base(
    open_base: npt.NDArray[np.float64], due: npt.NDArray[np.int64], today: int,
    preset: npt.NDArray[np.int64], not_applicable: npt.NDArray[np.bool_], policy: Policy,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Interest and fixed sum in the base currency per item, under each item's preset."""
    lp = policy.late_interest
    n = len(open_base)
    days = (today - due).astype(np.float64)
    custom = preset == 0
    eu, uk = preset == PRESETS.index("eu"), preset == PRESETS.index("uk")

    def rate_of(code: str, needed: bool) -> float:
        rate = policy.fx_rate(code)
        if rate is None and needed:
            raise PolicyError(Message("collections.fee_fx", {"ccy": code, "base": policy.base_currency}))
        return rate or 0.0

    fee_rate = rate_of(lp.fee_currency, bool(custom.any()) and lp.fixed_fee > 0)
    eur = rate_of("EUR", bool(eu.any()))
    gbp = rate_of("GBP", bool(uk.any()))
    custom_interest = open_base * lp.annual_rate * days / float(lp.day_basis)
    # the preset rules on the base amount with no fixed sum (interest is proportional)
    by_preset = np.atleast_1d(preset_interest(open_base, due.astype("datetime64[D]"),
                                              np.full(n, today).astype("datetime64[D]"),
                                              np.array(PRESETS, dtype=object)[preset],
                                              fixed_fee=np.zeros(n), policy=policy))
    interest = np.where(custom, custom_interest, by_preset)
    debt_gbp = open_base / gbp if gbp else np.zeros(n)
    uk_fee = np.select([debt_gbp < 1_000, debt_gbp < 10_000], [40.0, 70.0], default=100.0) * gbp
    fee = np.select([custom, eu, uk], [lp.fixed_fee * fee_rate, 40.0 * eur, uk_fee], default=0.0)
    interest = np.where(not_applicable, 0.0, interest)
    fee = np.where(not_applicable, 0.0, fee)
    return interest, fee


def _day_dates(days: npt.NDArray[np.float64]) -> npt.NDArray[np.datetime64]:
    """Day numbers (NaN: none) as datetime64[D] (NaT)."""
    out: npt.NDArray[np.datetime64] = np.where(
        np.isnan(days), np.datetime64("NaT"), np.nan_to_num(days).astype(np.int64).astype("datetime64[D]"))
    return out


def _restart_days(restarts: pd.DataFrame, ledger: LedgerArrays, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """The latest restart date (day number) per worklist item from a table of
    ``invoice_no`` and ``date`` (NaN: none)."""
    missing = [c for c in ("invoice_no", "date") if c not in restarts.columns]
    if missing:
        raise SchemaError(Message("collections.restarts_columns", {"name": missing[0]}))
    days = pd.Series(day_numbers(restarts["date"], "restarts.date"), index=restarts["invoice_no"].astype(str))
    latest = days.groupby(level=0).max()
    keys = pd.Index(np.asarray(ledger.invoice_no[rows]).astype(str))
    found: npt.NDArray[np.float64] = np.asarray(latest.reindex(keys).to_numpy(), dtype=np.float64)
    return found


def _rank_order(
    on_hold: npt.NDArray[np.bool_], priority: npt.NDArray[np.float64], days: npt.NDArray[np.int64]
) -> npt.NDArray[np.intp]:
    """Positions in rank order: active before on hold, then priority descending, then days
    overdue descending, then ledger order.

    One unique integer key sorted by quicksort: four times faster than a stable sort or a
    lexsort of the three keys on a million items (falls back to lexsort if it could overflow).
    """
    n = len(days)
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    oldest = int(days.max())
    cents = 10_000 - np.rint(priority * 100).astype(np.int64)  # priority is 0..100, 2 decimals
    if 2 * 10_001 * (oldest + 1) * n < 2**62:
        key = (on_hold.astype(np.int64) * 10_001 + cents) * (oldest + 1) + (oldest - days)
        order: npt.NDArray[np.intp] = np.argsort(key * n + np.arange(n, dtype=np.int64))
        return order
    return np.lexsort((np.arange(n), -days, -priority, on_hold))


# --------------------------------------------------------------------------- public API
def dunning_step_numbers(days_overdue: npt.ArrayLike, policy: Policy = DEFAULT_POLICY) -> Any:
    """The dunning ladder step reached after a number of days overdue (0 = none yet).

    Parameters
    ----------
    days_overdue : array_like
        Days since the due date (0 or less: not overdue). NaN gives NaN.
    policy : Policy
        Its ``dunning`` ladder: step ``k`` (1-based) is reached on day ``from_days`` of
        step ``k``.

    Returns
    -------
    float or ndarray
        Step number 0..n (scalar for a scalar input).

    Notes
    -----
    ``step = searchsorted(from_days, days, side="right")``: the number of ladder rungs whose
    ``from_days`` is at most the days overdue.

    Examples
    --------
    An invoice is 31 days late: which step of the default ladder is it at (1 reminder,
    2 second reminder, 3 call, 4 stop supply, 5 final demand, 6 agency or legal)?

    >>> dunning_step_numbers(31)
    3.0
    >>> dunning_step_numbers([0, 1, 14, 15, 60, 400, float("nan")]).tolist()
    [0.0, 1.0, 1.0, 2.0, 5.0, 6.0, nan]
    """
    days = floats(days_overdue, "days_overdue")
    out = dunning_steps(days, _ladder(policy)[0])
    if days.ndim == 0:
        return float(out[0])
    return out


def late_interest(
    amount: npt.ArrayLike,
    due_date: Any,
    paid_or_as_of: Any,
    annual_rate: npt.ArrayLike | None = None,
    fixed_fee: npt.ArrayLike | None = None,
    *,
    day_basis: float | None = None,
    policy: Policy = DEFAULT_POLICY,
    with_reasons: bool = False,
) -> Any:
    """Statutory late interest on an invoice paid late (or still open at the as-of date).

    Parameters
    ----------
    amount : array_like
        Amount paid late (>= 0), in the invoice currency.
    due_date, paid_or_as_of : date-like or array of them
        Due date, and the payment date (or the as-of date for an open invoice).
    annual_rate : array_like, optional
        Yearly rate as a fraction; default the policy's reference rate + margin
        (0.0215 + 0.08 = 0.1015).
    fixed_fee : array_like, optional
        Fixed compensation per late invoice in the invoice currency; default the policy's
        ``late_interest.fixed_fee`` (EUR 40; give it explicitly for other currencies).
    day_basis : float, optional
        365 or 360; default the policy's.

    Returns
    -------
    float or ndarray
        Interest plus fixed fee (0 when not late or the amount is 0); NaN where an input is
        unknown, infinite or negative (``with_reasons=True`` also returns why, per element).
        Scalar for scalar inputs. Text raises :class:`InputError` (the failure policy of
        :mod:`xlcredit.engine.values`).

    Notes
    -----
    ``days = paid_or_as_of - due_date`` (interest runs from the day after the due date);
    when ``days > 0``: ``amount x annual_rate x days / day_basis + fixed_fee``, simple
    interest, no compounding. The worklist applies the same formula to the open amount in
    the base currency.

    References
    ----------
    Directive 2011/7/EU of 16 February 2011 on combating late payment in commercial
    transactions, Art. 2(6) (statutory interest: reference rate + at least 8 percentage
    points), Art. 3-4 (interest from the day after the due date), Art. 6 (fixed sum of
    at least EUR 40 per late invoice).

    Examples
    --------
    A buyer pays a EUR 10,000 invoice 30 days late; what may we claim under the EU rules
    at 2.15 % + 8 points?

    >>> round(late_interest(10_000, "2026-10-29", "2026-11-28"), 2)
    123.42

    That is 10,000 x 10.15 % x 30 / 365 = 83.42 of interest plus the EUR 40 fixed sum.
    Paid on time, nothing is due; a negative amount has no interest, and says why:

    >>> late_interest(10_000, "2026-10-29", "2026-10-29")
    0.0
    >>> late_interest([-5.0], "2026-10-29", "2026-11-28", with_reasons=True)[1].tolist()
    ['amount must be >= 0']
    """
    li = policy.late_interest
    amounts = floats(amount, "amount")
    rate = floats(li.annual_rate if annual_rate is None else annual_rate, "annual_rate")
    fee = floats(li.fixed_fee if fixed_fee is None else fixed_fee, "fixed_fee")
    basis = float(li.day_basis if day_basis is None else day_basis)
    if basis not in (360.0, 365.0):
        raise InputError(Message("collections.day_basis", {"value": describe(basis)}))
    scalar = all(np.ndim(v) == 0 for v in (amount, due_date, paid_or_as_of, rate, fee))
    due = np.atleast_1d(day_numbers(due_date, "due_date"))
    paid = np.atleast_1d(day_numbers(paid_or_as_of, "paid_or_as_of"))
    try:
        amounts, due, paid, rate, fee = np.broadcast_arrays(
            np.atleast_1d(amounts), due, paid, np.atleast_1d(rate), np.atleast_1d(fee)
        )
    except ValueError:
        raise InputError(Message("collections.lengths")) from None
    reasons = np.full(amounts.shape, None, dtype=object)
    for values, name in ((amounts, "amount"), (due, "due_date"), (paid, "paid_or_as_of"),
                         (rate, "annual_rate"), (fee, "fixed_fee")):  # first reason wins
        for mask, why in ((np.isnan(values), Message("collections.reason_missing", {"name": name})),
                          (np.isinf(values), Message("collections.reason_finite", {"name": name})),
                          (np.nan_to_num(values, posinf=0.0) < 0, Message("collections.reason_negative", {"name": name}))):
            if name in ("due_date", "paid_or_as_of") and why.key == "collections.reason_negative":
                continue  # day numbers before 1970 are negative
            reasons[mask & pd.isna(reasons)] = why
    bad = pd.notna(reasons)
    days = np.where(bad, 0, paid - due).astype(np.float64)
    late = (days > 0) & (amounts > 0)  # nothing owed, nothing late
    with np.errstate(invalid="ignore"):
        result = np.where(late, amounts * rate * days / basis + fee, 0.0)
    result = np.where(bad, np.nan, result)
    out: Any = float(result[0]) if scalar else result
    return (out, reasons) if with_reasons else out


def build_worklist(
    invoices: pd.DataFrame | LedgerArrays,
    as_of: Any = None,
    policy: Policy = DEFAULT_POLICY,
    buyer_risk: pd.DataFrame | None = None,
    restarts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The collections worklist: overdue open items, their dunning step and priority.

    Parameters
    ----------
    invoices : DataFrame
        The ledger, columns of :data:`INVOICE_INPUT_COLUMNS` (``invoice_no``, ``buyer_id``,
        ``amount``, ``due_date`` required; ``currency``, ``paid_amount``, ``disputed``,
        ``promise_date`` optional).
    as_of : date-like, optional
        The day of the worklist; default the policy's ``as_of`` (else today).
    policy : Policy
        Ladder (``dunning``), ``collections`` (grace, hold, follow-up, weights),
        ``insurance``, ``late_interest``, ``fx_rates`` and ``base_currency``.
    buyer_risk : DataFrame, optional
        One row per buyer keyed by ``buyer_id`` (column or index) with any of ``pd``
        (12-month PD, 0..1), ``score`` (1..100, higher is safer) and ``band`` (A..E), and
        optionally ``late_interest_preset`` (the buyer's preset, blank: the policy's),
        ``buyer_type`` (机关/事业单位, 大型企业, 中小企业), ``country`` and ``international``.
    restarts : DataFrame, optional
        Evidence that restarts the limitation period, columns ``invoice_no`` and ``date``
        (for example the letters marked sent in a Letters log); recorded promises
        (``promise_date``) always count.

    Returns
    -------
    DataFrame
        Columns of :data:`WORKLIST_COLUMNS`, one row per overdue open item, sorted by
        ``rank``. An invoice the ledger reader sets aside (no FX rate, no due date, not a
        number, a date out of range) is not listed: it is on the reader's set-aside list
        (:meth:`xlcredit.engine.ledger.Position.set_aside_items`).

    Notes
    -----
    *Selection*: the items :mod:`xlcredit.engine.ledger` counts as overdue on the as-of
    day (the same items as the aging's overdue buckets) whose open amount is > 0 (credit
    notes and overpayments are not chased); ``days_overdue = as_of - due_date``.

    *Ladder*: ``ladder_step_no`` from :func:`xlcredit.engine.ledger.dunning_steps`.

    *State*: disputed (when ``collections.hold_disputed``) -> "disputed - on hold",
    step 0, never escalated; else a promise with ``as_of <= promise_date +
    promise_grace_days`` -> "promised", step 0, next action the day after the lapse;
    a lapsed promise -> "broken promise", ``step_no = min(ladder_step_no +
    broken_promise_extra_steps, n)``, flagged; else "dunning", ``step_no =
    ladder_step_no``.

    *Next action*: ``next_step_date = due_date + from_days[step_no]`` (the next rung);
    ``next_action_date = min(next_step_date, as_of + follow_up_days)`` (disputed items:
    the follow-up date).

    *Priority* (0..100) ``= 100 x (w_a A + w_g G + w_r R) / (w_a + w_g + w_r)`` with
    weights from ``collections``: ``A = ln(1 + open_base) / ln(1 + max open_base)``
    (0.5 when the FX rate is missing), ``G = min(days_overdue / from_days of the last
    step, 1)``, ``R = (100 - buyer score) / 99`` where the score is the buyer's own, or
    the score the policy's PD calibration gives for its PD
    (``(logit(PD) - pd_intercept) / pd_slope``, PD taking precedence), or the middle of
    its band; 0.5 when unknown. ``rank`` puts active items (dunning, broken promise)
    before items on hold, then by descending priority, then by days overdue.

    *Late interest* (``late_interest.enabled``): ``open_base x (reference_rate + margin)
    x days_overdue / day_basis`` plus ``fixed_fee`` converted from ``fee_currency``.

    The preset (:func:`xlcredit.engine.late_payment.preset_interest`) is the buyer's
    ``late_interest_preset``, else ``late_interest.preset``; ``custom`` is the formula above.
    ``cn_sme`` applies only where ``seller_is_sme`` and the buyer is a 机关/事业单位 or a
    大型企业; elsewhere no interest is computed and ``late_interest_rule`` says "cn_sme n/a".
    Fixed sums are converted to the base currency with the FX table (EUR 40; GBP 40/70/100
    by the debt in GBP).

    *Statutory terms*: ``statutory_terms_days`` from the buyer type
    (:func:`~xlcredit.engine.late_payment.statutory_terms_days`); ``terms_over_statutory``
    when ``due_date - invoice_date`` exceeds it.

    *Limitation*: ``time_barred_on`` from
    :func:`~xlcredit.engine.late_payment.limitation_dates` (3 years, 4 for an
    international sale; restarted by the promise date, counted no later than the as-of day,
    and by the ``restarts`` up to the as-of day);
    ``limitation_alert`` within ``late_interest.limitation_warning_days`` or passed.

    *Insurance* (``insurance.enabled``): notification by ``due + notification_days``,
    extension ends ``due + max_extension_days``, claim by extension end +
    ``claim_filing_days``; ``insurance_alert`` names the deadline that is within
    ``deadline_warning_days`` or passed, the latest stage first.

    References
    ----------
    Directive 2011/7/EU (late interest: reference rate + 8 points, EUR 40 fixed sum).
    Credit-insurance practice (DESIGN.md section 5): overdue notification within a set
    number of days of the due date, own extensions within the maximum extension period.

    Examples
    --------
    The buyer promised to pay invoice 7 on 1 December; is it still chased on 28 November,
    and on 10 December if no money came?

    >>> import pandas as pd
    >>> ledger = pd.DataFrame({"invoice_no": ["7"], "buyer_id": ["ACME"], "amount": [900.0],
    ...     "due_date": pd.to_datetime(["2026-10-20"]),
    ...     "promise_date": pd.to_datetime(["2026-12-01"])})
    >>> row = build_worklist(ledger, "2026-11-28").iloc[0]
    >>> row["dunning_state"], row["action_en"], str(row["next_action_date"].date())
    ('promised', 'Wait for promised payment', '2026-12-05')
    >>> row = build_worklist(ledger, "2026-12-10").iloc[0]
    >>> row["dunning_state"], bool(row["broken_promise"]), int(row["ladder_step_no"]), row["action_en"]
    ('broken promise', True, 4, 'Final demand')
    """
    if not isinstance(invoices, LedgerArrays):
        if not isinstance(invoices, pd.DataFrame):
            raise InputError(Message("collections.not_frame", {"kind": type(invoices).__name__}))
        missing = [c for c in ("invoice_no", "buyer_id", "amount", "due_date") if c not in invoices.columns]
        if missing:
            found = ", ".join(map(str, invoices.columns)) or Message("collections.no_columns")
            raise SchemaError(Message("collections.no_column", {"name": missing[0], "found": found}))
    ledger = ledger_arrays(invoices, policy)
    pos = position(ledger, as_of, policy)
    today = pos.day
    cp, ip, lp = policy.collections, policy.insurance, policy.late_interest

    # ---- the reader's overdue items that are owed (credit notes are not chased)
    rows = np.flatnonzero(pos.overdue & (pos.open_amount > 0))
    n = len(rows)
    open_amt = pos.open_amount[rows]
    due = ledger.due_day[rows].astype(np.int64)
    days = pos.days_overdue[rows].astype(np.int64)
    currency_table, currency_codes = ledger.currency_names, ledger.currency_codes[rows]
    fx_rate = ledger.rate[rows]
    open_base = pos.open_base[rows]

    # ---- ladder and state
    edges, steps_n = _ladder(policy)
    ladder_no = dunning_steps(days, edges).astype(np.int64)
    disputed = ledger.disputed[rows]
    promise_day = ledger.promise_day[rows]
    has_promise = ~np.isnan(promise_day)
    promise = np.where(has_promise, np.nan_to_num(promise_day), _NAT).astype(np.int64)
    lapse = np.where(has_promise, promise + int(cp.promise_grace_days), _NAT)
    honoured = has_promise & (today <= lapse)
    broken = has_promise & ~honoured
    state = np.full(n, _DUNNING, dtype=np.int8)
    state[broken] = _BROKEN
    state[honoured] = _PROMISED
    if cp.hold_disputed:
        state[disputed] = _DISPUTED
    on_hold = (state == _PROMISED) | (state == _DISPUTED)
    extra = int(cp.broken_promise_extra_steps)
    step_no = np.where(state == _BROKEN, np.minimum(ladder_no + extra, steps_n), ladder_no)
    step_no = np.where(on_hold, 0, step_no)
    action = np.where(state == _PROMISED, steps_n + 1, np.where(state == _DISPUTED, steps_n + 2, step_no))

    # ---- dates
    follow_up = today + int(cp.follow_up_days)
    rung_days = np.append(edges, 0.0).astype(np.int64)  # from_days of the next rung
    at_last = (step_no >= steps_n) | on_hold
    next_step = np.where(at_last, _NAT, due + rung_days[np.minimum(step_no, steps_n)])
    next_action = np.where(at_last, follow_up, np.minimum(next_step, follow_up))
    next_action = np.where(state == _PROMISED, lapse + 1, next_action)

    # ---- priority and rank
    buyer_of = ledger.buyers[ledger.buyer_codes[rows]]
    buyers = buyer_of.to_numpy() if buyer_risk is not None else np.empty(n, object)
    risk, (band_table, band_codes), buyer_pd = _risk_component(buyers, buyer_risk, policy)
    log_amount = np.log1p(np.maximum(open_base, 0.0))
    top = float(log_amount.max()) if n else 0.0
    amount_part = log_amount / top if top > 0 else np.zeros(n)
    age_part = np.minimum(days / float(edges[-1]), 1.0)
    w_a, w_g, w_r = cp.weight_amount, cp.weight_age, cp.weight_risk
    priority = np.round(100.0 * (w_a * amount_part + w_g * age_part + w_r * risk) / (w_a + w_g + w_r), 2)
    order = _rank_order(on_hold, priority, days)

    # ---- late interest (base currency)
    preset, buyer_type, international = _buyer_terms(buyer_of.to_numpy(), buyer_risk, policy)
    statutory = statutory_terms_days(np.array(BUYER_TYPES, dtype=object)[buyer_type],
                                     seller_is_sme=lp.seller_is_sme)
    terms = due - ledger.invoice_day[rows]
    over_terms = ~np.isnan(statutory) & (np.nan_to_num(terms, nan=-1.0) > np.nan_to_num(statutory))
    cn_sme = PRESETS.index("cn_sme")
    cn_na = (preset == cn_sme) & ~((buyer_type == 1) | (buyer_type == 2)) | (preset == cn_sme) & (
        not lp.seller_is_sme)
    if lp.enabled:
        interest, fee = _interest_base(open_base, due, today, preset, cn_na, policy)
    else:
        interest = np.zeros(n)
        fee = np.zeros(n)
    rule_code = np.where(cn_na, len(PRESETS), preset)

    # ---- limitation period (诉讼时效): restarted by a promise or a letter sent
    # Evidence cannot come from the future: a promise to pay on a later day was given by
    # today at the latest, so it restarts the period no later than the as-of day.
    restart = [np.where(promise_day > today, float(today), promise_day)]
    if restarts is not None:
        given = _restart_days(restarts, ledger, rows)
        restart.append(np.where(given > today, np.nan, given))  # a letter not yet sent
    barred = limitation_dates(_day_dates(due.astype(np.float64)), [_day_dates(r) for r in restart], international)
    barred_day = barred.astype("datetime64[D]").astype(np.int64)
    barred_day = np.where(np.isnat(barred), _NAT, barred_day)
    lim_warn = int(lp.limitation_warning_days)
    limitation_code = np.select(
        [(barred_day != _NAT) & (barred_day < today), (barred_day != _NAT) & (barred_day - today <= lim_warn)],
        [2, 1], default=0)

    # ---- credit-insurance deadlines
    if ip.enabled:
        notify_by = due + int(ip.notification_days)
        ext_end = due + int(ip.max_extension_days)
        claim_by = ext_end + int(ip.claim_filing_days)
        warn = int(ip.deadline_warning_days)
        alert_code = np.select(
            [
                claim_by < today,
                (ext_end < today) & (claim_by - today <= warn),
                ext_end < today,
                (notify_by >= today) & (notify_by - today <= warn),
                (ext_end >= today) & (ext_end - today <= warn),
                notify_by < today,
            ],
            [6, 5, 4, 1, 3, 2],
            default=0,
        )
    else:
        notify_by = ext_end = claim_by = np.full(n, _NAT, dtype=np.int64)
        alert_code = np.zeros(n, dtype=np.int64)
    alerts = np.array(list(INSURANCE_ALERTS_ZH), dtype=object)

    # ---- the frame, already in rank order (one take per column)
    o = order
    src = rows[o]
    labels = _labels(policy)
    act = action[o]

    columns: dict[str, Any] = {
        "rank": np.arange(1, n + 1, dtype=np.int64),
        "invoice_no": ledger.invoice_no[src] if ledger.invoice_numbers is None
        else ledger.invoice_numbers.array.take(src),  # keeps the column's dtype
        "buyer_id": buyer_of[o].to_numpy(),
        "currency": _category(currency_table, currency_codes[o]),
        "open_amount": open_amt[o],
        "fx_rate": fx_rate[o],
        "open_amount_base": open_base[o],
        "due_date": _dates(due[o]),
        "days_overdue": days[o],
        "dunning_state": _category(np.array(STATES, dtype=object), state[o]),
        "ladder_step_no": ladder_no[o],
        "step_no": step_no[o].astype(np.int64),
        "step": _category(labels["step"], act),
        "action_en": _category(labels["action_en"], act),
        "action_zh": _category(labels["action_zh"], act),
        "channel": _category(labels["channel"], act),
        "next_step_date": _dates(next_step[o]),
        "next_action_date": _dates(next_action[o]),
        "disputed": disputed[o],
        "promise_lapse_date": _dates(lapse[o]),
        "broken_promise": broken[o],
        "buyer_band": _category(band_table, band_codes[o]),
        "buyer_pd": buyer_pd[o],
        "priority": priority[o],
        "late_interest": interest[o],
        "late_fee": fee[o],
        "late_total": (interest + fee)[o],
        "late_interest_rule": _category(np.array([*PRESETS, "cn_sme n/a"], dtype=object), rule_code[o]),
        "statutory_terms_days": statutory[o],
        "terms_over_statutory": over_terms[o],
        "time_barred_on": _dates(barred_day[o]),
        "limitation_alert": _category(np.array(list(LIMITATION_ALERTS_ZH), dtype=object), limitation_code[o]),
        "insurance_notify_by": _dates(notify_by[o]),
        "insurance_extension_end": _dates(ext_end[o]),
        "insurance_claim_by": _dates(claim_by[o]),
        "insurance_alert": _category(alerts, alert_code[o]),
    }
    return pd.DataFrame(columns, copy=False)


def summarise_by_buyer(worklist: pd.DataFrame, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Per-buyer collections figures for the Buyers sheet, from :func:`build_worklist`.

    Parameters
    ----------
    worklist : DataFrame
        The output of :func:`build_worklist`.
    policy : Policy
        For the names of the dunning steps.

    Returns
    -------
    DataFrame
        Index ``buyer_id``; columns of :data:`BUYER_SUMMARY_COLUMNS`; buyers sorted by
        descending overdue total.

    Notes
    -----
    ``overdue_total`` adds the buyer's chased items (the aging's overdue balance less any
    overdue credit notes); ``highest_step_no`` is the highest ``step_no`` (items on hold
    count 0): the one answer for each buyer's highest dunning step.

    Examples
    --------
    Which buyers owe the most overdue money, and how far has dunning gone?

    >>> import pandas as pd
    >>> ledger = pd.DataFrame({"invoice_no": ["1", "2", "3"], "buyer_id": ["ACME", "ACME", "BETA"],
    ...     "amount": [1000.0, 5000.0, 2000.0],
    ...     "due_date": pd.to_datetime(["2026-11-20", "2026-09-15", "2026-10-01"]),
    ...     "disputed": [False, False, True]})
    >>> s = summarise_by_buyer(build_worklist(ledger, "2026-11-28"))
    >>> s[["overdue_total", "oldest_days_overdue", "highest_step", "disputed_items"]]
              overdue_total  oldest_days_overdue  highest_step  disputed_items
    buyer_id
    ACME             6000.0                   74  final_demand               0
    BETA             2000.0                   58          none               1
    """
    base = worklist["open_amount_base"]
    disputed = worklist["disputed"].astype(bool)
    frame = pd.DataFrame(
        {
            "buyer_id": worklist["buyer_id"],
            "one": 1,
            "base": base,
            "days": worklist["days_overdue"],
            "step_no": worklist["step_no"],
            "disputed": disputed.astype(np.int64),
            "disputed_base": base.where(disputed, 0.0),
            "promised": (worklist["dunning_state"] == "promised").astype(np.int64),
            "broken": worklist["broken_promise"].astype(np.int64),
            "late": worklist["late_total"],
            "priority": worklist["priority"],
        }
    )
    g = frame.groupby("buyer_id", sort=True, dropna=False)
    out = pd.DataFrame(
        {
            "overdue_items": g["one"].sum(),
            "overdue_total": g["base"].sum(),
            "oldest_days_overdue": g["days"].max(),
            "highest_step_no": g["step_no"].max(),
            "disputed_items": g["disputed"].sum(),
            "disputed_total": g["disputed_base"].sum(),
            "promised_items": g["promised"].sum(),
            "broken_promises": g["broken"].sum(),
            "late_total": g["late"].sum(),
            "top_priority": g["priority"].max(),
        }
    )
    step = out["highest_step_no"].to_numpy(dtype=np.int64)
    out["highest_step"] = np.array(["none", *(s.step for s in policy.dunning)], dtype=object)[step]
    out["highest_action_en"] = np.where(step > 0, step_actions(policy, "en")[step], "")
    out["highest_action_zh"] = np.where(step > 0, step_actions(policy, "zh-CN")[step], "")
    out.index.name = "buyer_id"
    return out.sort_values("overdue_total", ascending=False, kind="stable")[list(BUYER_SUMMARY_COLUMNS)]

