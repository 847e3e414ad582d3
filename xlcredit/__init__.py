"""xlcredit: trade-credit management in Excel.

The engine (scores, limits, receivables KPIs, aging, collections, payment plans) is pure
and vectorised; the Excel functions, ribbon macros and the ``xlcredit`` command are thin
layers over it. See README.md and docs/.
"""

__version__ = "0.1.0"
