"""xlcredit: trade-credit management in Excel.

The engine (scores, limits, receivables KPIs, aging, collections, payment plans) is pure
and vectorised; the Excel functions (``xlcredit.excel.udf``), the ribbon macros
(``xlcredit.macros``) and the ``xlcredit`` command are thin layers over it.

The public engine API, re-exported here:

>>> import xlcredit
>>> round(float(xlcredit.dso(212000.0, 250000.0, 90.0)), 2)
76.32
"""

from xlcredit.engine.aging import age_invoices, aging_bucket, aging_totals
from xlcredit.engine.collections import build_worklist, late_interest, summarise_by_buyer
from xlcredit.engine.errors import (
    InputError,
    PolicyError,
    SchemaError,
    WorkbookError,
    WorkbookLockedError,
    XlCreditError,
)
from xlcredit.engine.limits import credit_limit, recommend_limits
from xlcredit.engine.plans import installment, payment_plan, reschedule
from xlcredit.engine.policy import DEFAULT_POLICY, Policy
from xlcredit.engine.receivables import (
    cei,
    days_beyond_terms,
    days_delinquent,
    dso,
    dso_best,
    late_share,
    ledger_kpis,
    payment_behaviour,
    percent_current,
    receivables_kpis,
    receivables_turnover,
)
from xlcredit.engine.scoring import score_buyers, trade_score

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_POLICY",
    "InputError",
    "Policy",
    "PolicyError",
    "SchemaError",
    "WorkbookError",
    "WorkbookLockedError",
    "XlCreditError",
    "__version__",
    "age_invoices",
    "aging_bucket",
    "aging_totals",
    "build_worklist",
    "cei",
    "credit_limit",
    "days_beyond_terms",
    "days_delinquent",
    "dso",
    "dso_best",
    "installment",
    "late_interest",
    "late_share",
    "ledger_kpis",
    "payment_behaviour",
    "payment_plan",
    "percent_current",
    "receivables_kpis",
    "receivables_turnover",
    "recommend_limits",
    "reschedule",
    "score_buyers",
    "summarise_by_buyer",
    "trade_score",
]
