"""The ledger reader: an invoice table read once into typed arrays that every figure uses.

Aging, the receivables KPIs (exposure, overdue, DSO, days beyond terms), the collections
worklist, each buyer's highest dunning step, the ``DUNNING_STEP`` function and the refresh
run all read the ledger through this module, so each fact (open amount, overdue, days
overdue, the dunning step, exposure) has one answer.

Two steps:

- :func:`ledger_arrays` reads the table (clean values: numbers, dates, flags; see
  :mod:`xlcredit.engine.values`) into a :class:`LedgerArrays`: buyer codes, currencies and
  their FX rates, amounts, day numbers, disputed flags, promise days, and one problem code
  per invoice.
- :func:`position` places the ledger on a day: the open amount of each invoice in its own
  currency and in the base currency, which items are counted, set aside or overdue, and
  the days overdue.

Rules, one per case (each one a decision a credit controller can check):

- **Issued** on day ``D``: ``invoice_date <= D``, or no invoice date.
- **Open** on ``D``: issued and not settled by ``D``. Not settled (no ``paid_date``): open
  for ``amount - paid_amount`` (part payments; a blank paid amount is 0). Settled after
  ``D``: the whole ``amount`` was open on ``D`` (the dates of earlier part payments are not
  known). Settled on or before ``D``: not open. Credit notes (negative amounts) and
  overpayments are open with a negative amount; they reduce the balance where they fall.
- **Written off** on or before ``D`` (``written_off_date``, from the workbook's write-off
  log): not open, whatever its paid date says (the write-off wins; a payment dated later
  is a recovery of a written-off debt, listed by the provision). So a written-off invoice
  leaves aging, receivables, the worklist, statements, the forecast and the provision alike.
- **Base currency**: open amount x ``policy.fx_rate(currency)``. A blank currency (None,
  NaN, empty text) is the base currency; any other text, the text "None" included, is a
  currency code.
- **Days overdue** = ``D - due_date``; **overdue** when > 0 (an invoice due today is not
  overdue). The aging's "Not due" bucket is days <= 0.
- **Dunning step**: the number of rungs of ``policy.dunning`` whose ``from_days`` the days
  overdue reach (:func:`dunning_steps`).

Edge cases: an invoice with any of these is **set aside** (left out of every figure that
needs the value: receivables, exposure, aging, overdue, the worklist, sales and payment
behaviour) and **listed** with its reason by :meth:`Position.set_aside_items` (the refresh
writes them to the Problems sheet). Never dropped silently, never guessed. The first that
applies is the reason:

1. ``amount`` blank, NaN or infinite: not a number.
2. ``paid_amount`` NaN-free but infinite: not a number.
3. a date (``invoice_date``, ``due_date``, ``paid_date``, ``promise_date``) outside Excel's
   calendar, 1900-01-01 .. 9999-12-31: out of range.
4. a currency with no FX rate in the policy (``"None"``, ``"XYZ"``): no FX rate.
5. an open invoice with no due date: it cannot be aged or chased (it is still counted in
   the sales of its month and needs only its due date to come back).

Reasons 1-4 are listed whatever the day; reason 5 only when the invoice is open on it.

Malformed input (text where a number or a date is required) raises
:class:`~xlcredit.engine.errors.InputError` naming the column, the rule and the value.

What is open and overdue on 28 November, and what is set aside?

>>> import pandas as pd
>>> from xlcredit.engine.policy import Policy
>>> inv = pd.DataFrame({
...     "buyer_id": ["A", "A", "B", "B"],
...     "invoice_no": ["1", "2", "3", "4"],
...     "currency": ["EUR", "None", "USD", None],
...     "amount": [1000.0, 50.0, 500.0, float("inf")],
...     "paid_amount": [400.0, 0.0, 0.0, 0.0],
...     "due_date": pd.to_datetime(["2026-10-29", "2026-10-01", None, "2026-11-01"]),
... })
>>> pos = position(ledger_arrays(inv, Policy(fx_rates=(("USD", 0.9),))), "2026-11-28")
>>> pos.open_base.tolist(), pos.days_overdue.tolist(), pos.overdue.tolist()
([600.0, 0.0, 0.0, 0.0], [30.0, 58.0, nan, 27.0], [True, False, False, False])
>>> pos.set_aside_items()[["invoice_no", "column", "reason"]]
  invoice_no    column                      reason
0          2  currency         no FX rate for NONE
1          3  due_date                 no due date
2          4    amount  amount is not a finite number
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.errors import InputError, SchemaError, describe
from xlcredit.engine.policy import Policy
from xlcredit.engine.values import day_numbers, flags, floats, in_calendar
from xlcredit.messages import Field, Message

__all__ = [
    "DATE_COLUMNS",
    "INVOICE_COLUMNS",
    "PROBLEMS",
    "REQUIRED_COLUMNS",
    "WRITTEN_OFF_COLUMN",
    "DateLike",
    "LedgerArrays",
    "Position",
    "as_categories",
    "as_of_day",
    "currency_code",
    "days_overdue",
    "dunning_steps",
    "is_overdue",
    "ledger_arrays",
    "open_amounts",
    "position",
    "read_keys",
]

DateLike = dt.date | dt.datetime | pd.Timestamp | np.datetime64 | str

#: Standard column names of an invoice table and what each holds. The schema helper maps
#: sheet headers (English and Chinese) to these names.
INVOICE_COLUMNS: dict[str, str] = {
    "buyer_id": "buyer identifier (text or number); required",
    "invoice_no": "invoice number (text); default: the row position",
    "currency": "ISO code of the invoice currency (EUR, USD, CNY); blank: the base currency",
    "amount": "invoice amount in its currency, negative for a credit note; required",
    "paid_amount": "amount paid so far (part payments); blank: 0",
    "invoice_date": "date the invoice was issued; blank: issued before the as-of date",
    "due_date": "date payment is due; required (an open item without one is set aside)",
    "paid_date": "date the invoice was settled in full; blank: not settled",
    "disputed": "TRUE/FALSE or 1/0: the buyer disputes the invoice; blank: no",
    "promise_date": "date the buyer promised to pay; blank: no promise (collections)",
}
#: The optional column the workbook's write-off log (tblWriteOffs, not tblInvoices) adds to
#: the ledger: the day each invoice was written off as a bad debt (blank: not written off).
WRITTEN_OFF_COLUMN = "written_off_date"

#: Columns without which an invoice table cannot be read.
REQUIRED_COLUMNS: tuple[str, ...] = ("buyer_id", "amount", "due_date")
#: Date columns, in the order their problems are named.
DATE_COLUMNS: tuple[str, ...] = ("invoice_date", "due_date", "paid_date", "promise_date")

#: Problem codes (index) -> (column, English reason, Chinese reason); 0 is "no problem".
#: ``{ccy}`` is filled with the currency code.
PROBLEMS: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("amount", "ledger.not_finite"),
    ("paid_amount", "ledger.not_finite"),
    *((col, "ledger.date_range") for col in DATE_COLUMNS),
    ("currency", "ledger.no_fx"),
    ("due_date", "ledger.no_due"),
)
_NO_FX = len(PROBLEMS) - 2
_NO_DUE = len(PROBLEMS) - 1


@dataclasses.dataclass(frozen=True)
class LedgerArrays:
    """An invoice table as aligned numpy arrays, one element per row of the table.

    Dates are day numbers since 1970-01-01 (NaN when blank). Currencies are codes into
    ``currency_names`` (text is built only when asked for, by :attr:`currency`); ``rate`` is
    NaN where the currency has no FX rate. ``problem`` is the code of the first edge case of
    each row (see :data:`PROBLEMS`; 0 none, the last code "no due date").
    """

    buyer_codes: npt.NDArray[np.intp]
    buyers: pd.Index
    invoice_numbers: pd.Series | None
    currency_codes: npt.NDArray[np.intp]
    currency_names: npt.NDArray[np.object_]
    amount: npt.NDArray[np.float64]
    paid_amount: npt.NDArray[np.float64]
    rate: npt.NDArray[np.float64]
    invoice_day: npt.NDArray[np.float64]
    due_day: npt.NDArray[np.float64]
    paid_day: npt.NDArray[np.float64]
    promise_day: npt.NDArray[np.float64]
    disputed: npt.NDArray[np.bool_]
    problem: npt.NDArray[np.int8]
    #: Day each invoice was written off (NaN: not written off).
    written_off_day: npt.NDArray[np.float64] | None = None

    def __len__(self) -> int:
        return len(self.amount)

    def take(self, rows: npt.NDArray[np.intp]) -> LedgerArrays:
        """The same ledger restricted to some rows (positions), buyers and currencies kept."""
        per_row = {f.name: getattr(self, f.name)[rows] for f in dataclasses.fields(self)
                   if isinstance(getattr(self, f.name), np.ndarray) and f.name != "currency_names"}
        numbers = None if self.invoice_numbers is None else self.invoice_numbers.iloc[rows]
        return dataclasses.replace(self, invoice_numbers=numbers, **per_row)

    @property
    def currency(self) -> npt.NDArray[np.object_]:
        """ISO code of each invoice's currency (the base currency where blank)."""
        return self.currency_names[self.currency_codes]

    @property
    def invoice_no(self) -> npt.NDArray[Any]:
        """Invoice numbers (row positions when the table has none)."""
        if self.invoice_numbers is None:
            return np.arange(len(self.amount))
        return self.invoice_numbers.to_numpy()

    @property
    def usable(self) -> npt.NDArray[np.bool_]:
        """Rows whose numbers, dates and currency can be used (a missing due date aside)."""
        return (self.problem == 0) | (self.problem == _NO_DUE)

    @property
    def base_amount(self) -> npt.NDArray[np.float64]:
        """Invoice amount in the base currency (0 where the row is not usable)."""
        return np.where(self.usable, np.nan_to_num(self.amount * self.rate), 0.0)


# --------------------------------------------------------------------------- reading
def _blank_as_zero(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """NaN (a blank) as 0; one pass, unlike ``np.nan_to_num`` which also scans for inf."""
    return np.where(np.isnan(values), 0.0, values)


def _factorize(values: pd.Series) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.object_]]:
    """Codes and distinct values of a column, in order of first appearance, -1 for a blank:
    ``pd.factorize`` of the values as objects. A categorical column (what the refresh's
    reader hands over) is read from its codes: the text is not hashed again, and categories
    no row uses are left out."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        # numpy's object values: pandas' string arrays factorize about twice as slowly
        codes, uniques = pd.factorize(values.to_numpy())
        return codes, np.asarray(uniques, dtype=object)
    raw = values.cat.codes.to_numpy()
    codes, seen = pd.factorize(raw)  # small integers: cheap to hash
    blank = np.flatnonzero(seen < 0)
    if blank.size:  # the blank code -1 is not a value: -1, and the codes after it move down
        k = int(blank[0])
        codes = np.where(codes == k, -1, codes - (codes > k))
        seen = np.delete(seen, k)
    return codes, np.asarray(values.cat.categories, dtype=object)[seen]


def as_categories(
    values: pd.Series, clean: Callable[[Any], Any] | None = None, blank: Any = None
) -> pd.Series:
    """A key column (buyer IDs, currencies) as a pandas Categorical, each row hashed once.

    The refresh's reader hands the ledger over this way, so aging, the worklist and the
    figures group rows by integer codes instead of hashing the text again each time.
    ``clean`` is applied to each distinct value (not to each row) and ``blank`` (cleaned
    too) fills the blank keys; values that clean to the same text become one category. The
    categories are sorted (in order of first appearance when keys of mixed kinds, numbers
    and text, cannot be compared).

    Examples
    --------
    The currencies as typed, with a blank for the base currency:

    >>> ccy = pd.Series(["usd", "EUR", None, " usd "])
    >>> as_categories(ccy, clean=lambda c: str(c).strip().upper(), blank="EUR").tolist()
    ['USD', 'EUR', 'EUR', 'USD']
    """
    if isinstance(values.dtype, pd.CategoricalDtype) and clean is None and blank is None:
        return values
    codes, uniques = _factorize(values)
    if clean is not None or blank is not None:
        names = [clean(u) if clean else u for u in uniques]
        if blank is not None and (codes < 0).any():
            codes = np.where(codes < 0, len(names), codes)
            names.append(clean(blank) if clean else blank)
        merged, distinct = pd.factorize(np.asarray(names, dtype=object))
        codes = np.append(merged, -1)[codes]  # a blank (-1) stays blank
        uniques = np.asarray(distinct, dtype=object)
    try:  # categories in sorted order, so the codes sort as the keys do
        order = np.argsort(uniques, kind="stable")
    except TypeError:  # keys of mixed kinds (numbers and text): in order of first appearance
        order = np.arange(len(uniques))
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    codes = np.append(rank, -1)[codes]  # a blank (-1) stays blank
    uniques = uniques[order]
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(uniques)), index=values.index,
                     name=values.name)


def currency_code(value: Any) -> str:
    """A currency as typed, as its code: text, trimmed, upper case.

    >>> currency_code(" usd ")
    'USD'
    """
    return str(value).strip().upper()


def read_keys(invoices: pd.DataFrame, base_currency: str, by: str = "buyer_id") -> pd.DataFrame:
    """The invoice table with its keys as pandas Categoricals, as the refresh's reader hands
    it to every figure: the buyer column as typed, ``currency`` as its code (trimmed, upper
    case; the base currency where blank). Each key is hashed once here; the figures read
    the codes (:func:`ledger_arrays` takes categoricals as they are).

    Examples
    --------
    >>> inv = pd.DataFrame({"buyer_id": ["B", "A", "B"], "currency": ["usd", None, "EUR "]})
    >>> keys = read_keys(inv, "EUR")
    >>> keys["currency"].tolist(), keys["buyer_id"].dtype.name
    (['USD', 'EUR', 'EUR'], 'category')
    """
    keys = {by: as_categories(invoices[by])}
    if "currency" in invoices.columns:
        keys["currency"] = as_categories(invoices["currency"], clean=currency_code, blank=base_currency)
    return invoices.assign(**keys)


def _used_categories(values: pd.Series) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.object_]]:
    """A categorical's codes among the categories its rows use, in the categories' order
    (-1 for a blank): one count over the codes, no hashing."""
    raw = values.cat.codes.to_numpy().astype(np.intp)
    used = np.bincount(raw + 1, minlength=len(values.cat.categories) + 1)[1:] > 0
    codes = np.append(np.cumsum(used) - 1, -1)[raw]  # a blank (-1) stays blank
    return codes, np.asarray(values.cat.categories, dtype=object)[used]


def _sorted_codes(values: pd.Series) -> tuple[npt.NDArray[np.intp], pd.Index]:
    """Group codes in sorted order of the keys (blank keys last, as their own group)."""
    codes, uniques = (_used_categories(values) if isinstance(values.dtype, pd.CategoricalDtype)
                      else _factorize(values))
    index: pd.Index = pd.Index(uniques)
    blank = codes < 0
    if blank.any():  # blank keys form their own group, sorted last
        codes = np.where(blank, len(index), codes)
        index = index.append(pd.Index([None], dtype=object))
    if index.is_monotonic_increasing:  # in order already (the reader's categories are sorted)
        return codes, index
    try:
        order = index.argsort()
    except TypeError:  # keys of mixed kinds (numbers and text): sort them as text
        order = pd.Index(index.astype(str)).argsort()
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return rank[codes], index[order]


def _currencies(
    invoices: pd.DataFrame, policy: Policy
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.object_], npt.NDArray[np.float64]]:
    """Currency codes, names and the FX rate of each row (blank: the base currency)."""
    n = len(invoices)
    base = policy.base_currency
    if "currency" not in invoices.columns:
        return np.zeros(n, dtype=np.intp), np.asarray([base], dtype=object), np.ones(n)
    codes, uniques = _factorize(invoices["currency"])
    names = [currency_code(c) for c in uniques]
    names = [name or base for name in names]  # empty text is blank
    known = np.array(
        [np.nan if (r := policy.fx_rate(c)) is None else r for c in names] + [1.0], dtype=float
    )
    rate = known[codes]  # code -1 (blank) picks the trailing 1.0: the base currency
    currency_codes = np.where(codes < 0, len(names), codes).astype(np.intp)
    return currency_codes, np.asarray([*names, base], dtype=object), rate


def ledger_arrays(
    invoices: pd.DataFrame | LedgerArrays, policy: Policy | None = None, by: str = "buyer_id"
) -> LedgerArrays:
    """Check an invoice table and read it into aligned arrays, once.

    Parameters
    ----------
    invoices : DataFrame or LedgerArrays
        Columns named as in :data:`INVOICE_COLUMNS`, holding clean values (numbers,
        datetime64 or ISO date text, booleans). A ledger already read is returned as it
        is (the refresh reads its ledger once and hands it to every figure).
    policy : Policy, optional
        Base currency and FX rates (default: EUR only).
    by : str
        Column that groups invoices (default ``buyer_id``).

    Examples
    --------
    Does my table have what aging needs?

    >>> ledger_arrays(pd.DataFrame({"buyer_id": ["A"], "amount": [5.0]}))
    Traceback (most recent call last):
    ...
    xlcredit.engine.errors.SchemaError: The invoice table has no due_date column; add it (required: buyer_id, amount, due_date).
    """
    if isinstance(invoices, LedgerArrays):
        return invoices
    policy = policy or Policy()
    if not isinstance(invoices, pd.DataFrame):
        raise InputError(Message("ledger.not_a_frame", {"name": "invoices", "kind": type(invoices).__name__}))
    required = dict.fromkeys(REQUIRED_COLUMNS)
    required[by] = None
    for col in required:
        if col not in invoices.columns:
            raise SchemaError(Message("ledger.no_column", {"column": Field(col), "required": ", ".join(required)}))
    n = len(invoices)
    codes, buyers = _sorted_codes(invoices[by])
    amount = floats(invoices["amount"], "amount")
    paid = (
        _blank_as_zero(floats(invoices["paid_amount"], "paid_amount"))
        if "paid_amount" in invoices.columns
        else np.zeros(n)
    )
    currency_codes, currency_names, rate = _currencies(invoices, policy)
    days = {
        col: day_numbers(invoices[col], col) if col in invoices.columns else np.full(n, np.nan)
        for col in DATE_COLUMNS
    }
    disputed = (
        flags(invoices["disputed"], "disputed") if "disputed" in invoices.columns
        else np.zeros(n, dtype=bool)
    )
    # the first edge case of each row (highest code first, so the lowest code wins)
    problem = np.zeros(n, dtype=np.int8)
    problem[np.isnan(days["due_date"])] = _NO_DUE
    problem[np.isnan(rate)] = _NO_FX
    for k in range(len(DATE_COLUMNS) - 1, -1, -1):
        problem[~in_calendar(days[DATE_COLUMNS[k]])] = 3 + k
    problem[~np.isfinite(paid)] = 2
    problem[~np.isfinite(amount)] = 1
    return LedgerArrays(
        buyer_codes=np.asarray(codes, dtype=np.intp),
        buyers=pd.Index(buyers, name=by),
        invoice_numbers=invoices["invoice_no"] if "invoice_no" in invoices.columns else None,
        currency_codes=currency_codes,
        currency_names=currency_names,
        amount=amount,
        paid_amount=paid,
        rate=rate,
        invoice_day=days["invoice_date"],
        due_day=days["due_date"],
        paid_day=days["paid_date"],
        promise_day=days["promise_date"],
        disputed=disputed,
        problem=problem,
        written_off_day=(day_numbers(invoices[WRITTEN_OFF_COLUMN], WRITTEN_OFF_COLUMN)
                         if WRITTEN_OFF_COLUMN in invoices.columns else None),
    )


def as_of_day(as_of: DateLike | None, policy: Policy | None = None) -> int:
    """The as-of date as a day number since 1970-01-01 (default: the policy's, else today).

    Examples
    --------
    Which day number is the aging run on, as ISO text or as a date?

    >>> as_of_day("2026-11-28"), as_of_day(dt.date(2026, 11, 28))
    (20785, 20785)
    """
    if as_of is None:
        as_of = (policy or Policy()).as_of_date()
    rule = f"as_of must be a date such as 2026-11-28; got {describe(as_of)}."
    if isinstance(as_of, (list, tuple, np.ndarray, pd.Series)) and np.size(as_of) != 1:
        raise InputError(rule)
    try:
        days = day_numbers(np.asarray([as_of], dtype=object).ravel(), "as_of")
    except InputError:
        raise InputError(rule) from None
    if np.isnan(days[0]) or not in_calendar(days)[0]:
        raise InputError(rule)
    return int(days[0])


# --------------------------------------------------------------------------- on a day
def open_amounts(ledger: LedgerArrays, day: int | float) -> npt.NDArray[np.float64]:
    """Open amount of each invoice on a day, in its own currency (0 when not open; NaN
    when the amount is not a number).

    Examples
    --------
    What was still owed on 2026-11-28 (day 20785) of an invoice of 1,000 with 400 paid, one
    paid on 1 November and one written off on 20 November?

    >>> inv = pd.DataFrame({"buyer_id": ["A", "A", "A"], "amount": [1000.0, 50.0, 70.0],
    ...                     "paid_amount": [400.0, 0.0, 0.0], "due_date": ["2026-12-01"] * 3,
    ...                     "paid_date": [None, "2026-11-01", None],
    ...                     "written_off_date": [None, None, "2026-11-20"]})
    >>> open_amounts(ledger_arrays(inv), as_of_day("2026-11-28")).tolist()
    [600.0, 0.0, 0.0]
    >>> open_amounts(ledger_arrays(inv), as_of_day("2026-11-19")).tolist()
    [600.0, 0.0, 70.0]
    """
    with np.errstate(invalid="ignore"):  # inf - inf: a row set aside as not a number
        out = np.where(
            np.isnan(ledger.paid_day),
            ledger.amount - ledger.paid_amount,  # not settled: what is left after part payments
            ledger.amount * (ledger.paid_day > day),  # settled after the day: all was open
        )
    out[ledger.invoice_day > day] = 0.0  # not issued yet (a blank invoice date counts as issued)
    if ledger.written_off_day is not None:
        out[ledger.written_off_day <= day] = 0.0  # written off: the write-off wins over a later payment
    return np.where(np.isfinite(ledger.amount), out, np.nan)


def days_overdue(due_days: npt.ArrayLike, day: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Days overdue: the day minus the due day (day numbers; NaN where either is blank).

    >>> days_overdue([20780.0, 20785.0, float("nan")], 20785).tolist()
    [5.0, 0.0, nan]
    """
    with np.errstate(invalid="ignore"):  # inf - inf: no such day number is a date
        return np.asarray(day, dtype=np.float64) - np.asarray(due_days, dtype=np.float64)


def is_overdue(days: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Overdue: more than 0 days past the due date (due today is not overdue; NaN is not).

    >>> is_overdue([5.0, 0.0, -3.0, float("nan")]).tolist()
    [True, False, False, False]
    """
    with np.errstate(invalid="ignore"):
        return np.asarray(days, dtype=np.float64) > 0


def dunning_steps(days_overdue: npt.ArrayLike, from_days: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Dunning ladder step reached after a number of days overdue (0 = none yet, NaN where
    the days are unknown): the number of rungs whose ``from_days`` the days reach.

    >>> dunning_steps([0, 1, 14, 15, float("nan")], [1, 15, 30]).tolist()
    [0.0, 1.0, 1.0, 2.0, nan]
    """
    days = np.atleast_1d(np.asarray(days_overdue, dtype=np.float64))
    edges = np.asarray(from_days, dtype=np.float64)
    steps = np.searchsorted(edges, np.nan_to_num(days, nan=0.0), side="right").astype(np.float64)
    return np.where(np.isnan(days), np.nan, steps)


@dataclasses.dataclass(frozen=True)
class Position:
    """A ledger on one day: what is open, counted, set aside and overdue.

    Attributes
    ----------
    ledger : LedgerArrays
    day : int
        The as-of day (days since 1970-01-01).
    open_amount : ndarray
        Open amount in the invoice currency (0 when not open; NaN when not a number).
    counted : ndarray of bool
        Open, usable and with a due date: in the receivables, the aging and the worklist.
    open_base : ndarray
        Open amount in the base currency where counted, else 0.
    days_overdue : ndarray
        ``day - due_day`` (NaN without a due date).
    overdue : ndarray of bool
        Counted and days overdue > 0.
    """

    ledger: LedgerArrays
    day: int
    open_amount: npt.NDArray[np.float64]
    counted: npt.NDArray[np.bool_]
    open_base: npt.NDArray[np.float64]
    days_overdue: npt.NDArray[np.float64]
    overdue: npt.NDArray[np.bool_]

    @property
    def set_aside(self) -> npt.NDArray[np.bool_]:
        """Rows listed as problems on this day: reasons 1-4 always, "no due date" when open."""
        p = self.ledger.problem
        return ((p > 0) & (p < _NO_DUE)) | ((p == _NO_DUE) & (self.open_amount != 0.0))

    def by_buyer(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Sum of a per-invoice array for each buyer (in the order of ``ledger.buyers``)."""
        return np.bincount(self.ledger.buyer_codes, weights=values,
                           minlength=len(self.ledger.buyers)).astype(np.float64)

    def set_aside_items(self, language: str = "en") -> pd.DataFrame:
        """Invoices set aside on this day, with their original amounts and why.

        Columns: the buyer column, ``invoice_no``, ``currency``, ``open_amount`` (invoice
        currency), ``days_overdue``, ``disputed``, ``column`` (the cell to fix) and
        ``reason`` (English or Chinese).
        """
        ledger, mask = self.ledger, self.set_aside
        currency = ledger.currency_names[ledger.currency_codes[mask]]
        reason = np.array([m.render(language) for m in self.set_aside_reasons()], dtype=object)
        return pd.DataFrame(
            {
                ledger.buyers.name or "buyer_id": ledger.buyers[ledger.buyer_codes[mask]],
                "invoice_no": ledger.invoice_no[mask],
                "currency": currency,
                "open_amount": self.open_amount[mask],
                "days_overdue": self.days_overdue[mask],
                "disputed": ledger.disputed[mask],
                "column": np.array([p[0] for p in PROBLEMS], dtype=object)[ledger.problem[mask].astype(np.intp)],
                "reason": reason,
            }
        )

    def set_aside_reasons(self, headers: Callable[[str], str] | None = None) -> list[Message]:
        """Why each invoice of :meth:`set_aside_items` is set aside, as catalogue messages;
        ``headers`` maps a column to how the sheet names it (a :class:`Field`), else the
        DataFrame's column name is shown.

        >>> inv = pd.DataFrame({"buyer_id": ["A"], "amount": [float("inf")], "due_date": ["2026-11-01"]})
        >>> why = position(ledger_arrays(inv), "2026-11-28").set_aside_reasons()[0]
        >>> why.key, why.fields["column"].name
        ('ledger.not_finite', 'amount')
        """
        ledger, mask = self.ledger, self.set_aside
        codes = ledger.problem[mask].astype(np.intp)  # a handful of invoices
        currency = ledger.currency_names[ledger.currency_codes[mask]]
        out = []
        for code, ccy in zip(codes.tolist(), currency.tolist(), strict=True):
            column, key = PROBLEMS[code]
            out.append(Message(key, {"column": headers(column) if headers else Field(column), "ccy": ccy}))
        return out


def position(ledger: LedgerArrays, as_of: DateLike | int | None, policy: Policy | None = None) -> Position:
    """Place the ledger on a day (an as-of date, or a day number since 1970-01-01).

    Examples
    --------
    How much of buyer A's balance is overdue on 28 November?

    >>> inv = pd.DataFrame({"buyer_id": ["A", "A"], "amount": [100.0, 40.0],
    ...                     "due_date": ["2026-11-28", "2026-11-27"]})
    >>> pos = position(ledger_arrays(inv), "2026-11-28")
    >>> pos.by_buyer(pos.open_base).tolist(), pos.by_buyer(pos.open_base * pos.overdue).tolist()
    ([140.0], [40.0])
    """
    day = int(as_of) if isinstance(as_of, (int, np.integer)) else as_of_day(as_of, policy)
    open_amt = open_amounts(ledger, day)
    counted = ledger.usable & ~np.isnan(ledger.due_day) & (open_amt != 0.0)
    days = days_overdue(ledger.due_day, day)
    with np.errstate(invalid="ignore"):  # inf x 0 on rows set aside
        open_base = np.where(counted, open_amt * np.where(counted, ledger.rate, 0.0), 0.0)
    overdue = counted & is_overdue(days)
    return Position(ledger, day, open_amt, counted, open_base, days, overdue)
