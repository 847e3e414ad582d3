"""Every Excel function is declared the same way (DESIGN.md 3.1, issue 2 "Excel functions"):
``@xw.func(category="xlcredit", call_in_wizard=False)``, one ``@xw.arg`` with help of at
most 255 characters for every argument in order, and ``@guard`` innermost, so a failure is
a readable error string and never a traceback. Read from the source, because on Linux the
xlwings decorators are no-ops (the add-in tests check what xlwings itself makes of them).
"""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path
from typing import Any

import pytest
import xlcredit_udfs

from xlcredit.engine.scoring import INPUTS, LEDGER_INPUTS


def _declaration(name: str) -> tuple[list[ast.expr], Any]:
    func = getattr(xlcredit_udfs, name)
    module = sys.modules[inspect.unwrap(func).__module__]
    tree = ast.parse(Path(inspect.getsourcefile(module) or "").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    return node.decorator_list, module


@pytest.mark.parametrize("name", xlcredit_udfs.__all__)
def test_declared_for_excel_with_help_for_every_argument(name: str) -> None:
    decorators, module = _declaration(name)
    first, last = decorators[0], decorators[-1]
    assert isinstance(first, ast.Call) and ast.unparse(first.func) == "xw.func"
    assert {k.arg: ast.literal_eval(k.value) for k in first.keywords} == {
        "category": "xlcredit", "call_in_wizard": False}
    assert ast.unparse(last) == "guard", "guard must be the innermost decorator"
    docs: dict[str, str] = {}
    for deco in decorators[1:-1]:
        assert isinstance(deco, ast.Call), ast.unparse(deco)
        if ast.unparse(deco.func) == "_score_arguments":  # one xw.arg per name of scoring.INPUTS
            extras = tuple(ast.literal_eval(a) for a in deco.args)  # after DESIGN 3.1's sixteen
            first = len(INPUTS) - len(LEDGER_INPUTS)
            for arg in (*INPUTS[:first], *extras, *INPUTS[first:]):
                docs[arg] = vars(module)["_DOCS"][arg]
            continue
        assert ast.unparse(deco.func) == "xw.arg", ast.unparse(deco)
        doc = next(k.value for k in deco.keywords if k.arg == "doc")
        docs[ast.literal_eval(deco.args[0])] = eval(ast.unparse(doc), vars(module))
    params = list(inspect.signature(getattr(xlcredit_udfs, name)).parameters)
    assert list(docs) == params  # every argument documented, in order
    for arg, doc in docs.items():
        assert 0 < len(doc) <= 255, (arg, len(doc))


def _params(name: str) -> list[str]:
    return list(inspect.signature(getattr(xlcredit_udfs, name)).parameters)


def test_signatures_of_design_3_1() -> None:
    # DESIGN.md 3.1's sixteen inputs first; the ledger inputs of issue 10 trail (after the
    # language in the detail, whose 17th argument it already was).
    assert _params("TRADESCORE") == list(INPUTS)
    assert _params("TRADESCORE")[16:] == ["oldest_overdue_days", "history_invoices"]
    assert _params("TRADESCORE_DETAIL") == [*INPUTS[:16], "language", *INPUTS[16:]]
    limit_args = ["score", "equity", "working_capital", "revenue", "annual_sales_to_buyer",
                  "payment_terms_days", "requested", "insured_limit", "current_exposure"]
    assert _params("CREDIT_LIMIT") == limit_args
    assert _params("CREDIT_LIMIT_DETAIL")[:9] == limit_args
    assert _params("DSO") == ["receivables", "sales", "period_days", "method"]
    assert _params("DSO_BEST")[:3] == ["current_receivables", "sales", "period_days"]
    assert _params("DAYS_DELINQUENT") == [
        "receivables", "current_receivables", "sales", "period_days", "method"]
    assert _params("CEI") == [
        "opening_receivables", "credit_sales", "closing_receivables", "closing_current", "months"]
    assert _params("DAYS_BEYOND_TERMS") == ["due_dates", "paid_dates", "amounts"]
    assert _params("AGING_BUCKET")[:3] == ["due_date", "as_of", "bucket_edges"]
    assert _params("AGING")[:4] == ["amounts", "due_dates", "as_of", "bucket_edges"]
    assert _params("PAYMENT_PLAN") == [
        "amount", "installments", "annual_rate", "first_due_date", "frequency", "method",
        "down_payment"]


def test_tradescore_arguments_come_from_the_one_list_of_inputs() -> None:
    # issue 9: the 16-argument signature was written three times (engine, TRADESCORE,
    # TRADESCORE_DETAIL); now scoring.INPUTS declares all three, as xlwings reads them.
    from xlcredit.engine.scoring import trade_score
    from xlcredit.excel.addin.wrappers import udf_metadata

    meta = {info.name: info for info in udf_metadata()}
    for name, extra in (("TRADESCORE", ()), ("TRADESCORE_DETAIL", ("language",))):
        info = meta[name]
        # The extras (the language) keep DESIGN.md 3.1's 17th place, before the ledger inputs.
        assert info.args == (*INPUTS[:16], *extra, *INPUTS[16:])
        assert info.optional == (False,) * 7 + (True,) * (len(INPUTS) - 7 + len(extra))
        assert all(0 < len(doc) <= 255 for doc in info.arg_docs)
    assert list(inspect.signature(trade_score).parameters) == [*INPUTS, "policy"]
