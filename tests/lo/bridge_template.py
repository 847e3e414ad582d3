"""xlcredit's Excel functions for LibreOffice Calc (installed into a test profile).

LibreOffice Basic functions of the same names call ``call_udf``; this shapes the arguments
the way xlwings does for Excel (one-row or one-column ranges become flat lists, blank cells
None) and calls the same Python function the Excel add-in calls.
"""

import datetime
import sys

for _p in reversed(__XLCREDIT_PATHS__):  # noqa: F821 - filled in by harness.py
    if _p not in sys.path:
        sys.path.insert(0, _p)

import xlcredit_udfs  # noqa: E402


def _arg(value):
    if isinstance(value, tuple):
        rows = [list(r) if isinstance(r, tuple) else [r] for r in value]
        if len(rows) == 1:
            return rows[0] if len(rows[0]) > 1 else rows[0][0]
        if all(len(r) == 1 for r in rows):
            return [r[0] for r in rows]
        return rows
    if value == "":
        return None
    return value


def _result(value):
    if isinstance(value, (list, tuple)):
        return tuple(tuple(_result(v) for v in (row if isinstance(row, (list, tuple)) else [row])) for row in value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return (value - datetime.datetime(1899, 12, 30)).total_seconds() / 86400.0
    if isinstance(value, datetime.date):
        return float((value - datetime.date(1899, 12, 30)).days)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def call_udf(name, args):
    try:
        function = getattr(xlcredit_udfs, name)
        return _result(function(*[_arg(a) for a in args]))
    except Exception as exc:  # shown in the cell, like the add-in's error strings
        return f"#BRIDGE! {type(exc).__name__}: {exc}"


g_exportedScripts = (call_udf,)  # noqa: N816 - the name LibreOffice looks for
