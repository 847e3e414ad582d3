"""The xlwings UDF module of xlcredit (add-in setting ``UDF Modules = xlcredit_udfs``).

Every Excel function is declared in ``xlcredit.udf.*`` (xlwings decorators over one engine
call) and re-exported here, so xlwings finds them all in this one module, and each is also
a plain Python function of the same name:

>>> from xlcredit_udfs import DSO
>>> DSO(212000, 250000, 90)
76.32
"""

from xlcredit.udf.credit import *  # noqa: F403
from xlcredit.udf.plans import *  # noqa: F403
from xlcredit.udf.receivables import *  # noqa: F403
from xlcredit.udf.credit import __all__ as _credit
from xlcredit.udf.plans import __all__ as _plans
from xlcredit.udf.receivables import __all__ as _receivables

__all__ = sorted([*_credit, *_receivables, *_plans])
