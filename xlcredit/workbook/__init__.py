"""Workbooks: the port the macros use, and its adapters (a file on disk; live Excel).

Both adapters implement the port (the Excel one imports xlwings only when it runs):

>>> from xlcredit.workbook import ExcelWorkbook, FileWorkbook, Workbook
>>> issubclass(FileWorkbook, Workbook), issubclass(ExcelWorkbook, Workbook)
(True, True)
"""

from __future__ import annotations

from xlcredit.workbook.excel import ExcelWorkbook
from xlcredit.workbook.files import FileWorkbook, ProgressCallback
from xlcredit.workbook.port import (
    CellSpec,
    ChartSeries,
    ChartSpec,
    ColumnWrite,
    ConditionalFormat,
    RawTable,
    SheetSpec,
    TableEdit,
    TableSpec,
    Workbook,
)

__all__ = [
    "CellSpec",
    "ChartSeries",
    "ChartSpec",
    "ColumnWrite",
    "ConditionalFormat",
    "ExcelWorkbook",
    "FileWorkbook",
    "ProgressCallback",
    "RawTable",
    "SheetSpec",
    "TableEdit",
    "TableSpec",
    "Workbook",
]
