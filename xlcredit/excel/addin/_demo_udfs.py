"""A one-function UDF module for the add-in builder's examples and tests (not shipped as
an Excel function: the add-in is built from ``xlcredit_udfs``)."""

import xlwings as xw


@xw.func(category="xlcredit", call_in_wizard=False)
@xw.arg("x", doc="A number to double.")
def XLCDEMO_DOUBLE(x: float) -> float:
    """Twice the number: a demonstration function.

    >>> XLCDEMO_DOUBLE(2.0)
    4.0
    """
    return 2 * x
