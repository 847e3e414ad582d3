"""The engine: pure, vectorised domain rules (scoring, statements, limits, utilisation, staged
actions, receivables, aging, collections, plans, policy, errors). It imports no Excel library
and no file format, and nothing from the workbook, macros or Excel layers of xlcredit
(tests/test_layers.py checks it)."""
