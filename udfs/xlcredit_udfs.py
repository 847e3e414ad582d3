"""The xlwings UDF module of xlcredit (add-in setting ``UDF Modules = xlcredit_udfs``).

Every Excel function is declared in ``xlcredit.excel.udf.*`` (xlwings decorators over one engine
call) and re-exported here, so xlwings finds them all in this one module; each is also a
plain Python function of the same name.
"""

from xlcredit.excel.udf import collections as _collections
from xlcredit.excel.udf import limits as _limits
from xlcredit.excel.udf import plans as _plans
from xlcredit.excel.udf import provision as _provision
from xlcredit.excel.udf import receivables as _receivables
from xlcredit.excel.udf import score as _score
from xlcredit.excel.udf.collections import *  # noqa: F403
from xlcredit.excel.udf.limits import *  # noqa: F403
from xlcredit.excel.udf.plans import *  # noqa: F403
from xlcredit.excel.udf.provision import *  # noqa: F403
from xlcredit.excel.udf.receivables import *  # noqa: F403
from xlcredit.excel.udf.score import *  # noqa: F403

__all__ = sorted(
    [
        *_score.__all__,
        *_limits.__all__,
        *_receivables.__all__,
        *_collections.__all__,
        *_plans.__all__,
        *_provision.__all__,
    ]
)
