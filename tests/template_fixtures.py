"""Fixtures of template versions (issue 16): each kept version of the templates with a
user's data in it, what an upgrade must carry over with nothing lost.

``tests/fixtures/templates/vN/`` holds, for English and Simplified Chinese:

- ``template.<lang>.xlsx``: the templates of version N exactly as shipped (the current
  version's must equal ``workbooks/``: a template change without a version bump fails);
- ``<lang>.xlsx``: that template as a user keeps it: extra buyer and invoice rows, a column
  of their own typed beside tblBuyers (Excel takes it into the table), a sheet of their own
  with formulas on table cells, a chart and a comment, a comment on the Buyers sheet and a
  workbook-level defined name.

Earlier layouts that users may still hold (the templates of the first commit, before any
version existed) are kept as ``v0/early.<lang>.xlsx`` with the same user data.

The user data is added with openpyxl, as Excel would save it (openpyxl rewrites the whole
file, as Excel does on every save).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
LANGS = ("en", "zh-CN")

#: What the user adds, by language: sheet name, column header, defined name.
USER_SHEET = {"en": "My analysis", "zh-CN": "我的分析"}
USER_COLUMN = {"en": "Sales rep", "zh-CN": "业务员"}
USER_NAME = "MyTotalSales"
USER_BUYERS = [("U001", "Harbour Trading Ltd", 250_000.0, "Li"), ("U002", "Alpine Tools AG", 120_000.0, "Max"),
               ("U003", "南方贸易有限公司", 80_000.0, "王")]
USER_INVOICES = [("UI-1", "U001", 12_000.0, dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 31)),
                 ("UI-2", "U002", 5_500.5, dt.datetime(2026, 11, 2), dt.datetime(2026, 12, 2))]


def version_dirs() -> list[Path]:
    """The kept versions, oldest first."""
    return sorted((p for p in FIXTURES.glob("v*") if p.is_dir() and p.name[1:].isdigit()),
                  key=lambda p: int(p.name[1:]))


def user_books() -> list[Path]:
    """Every kept workbook with user data in it (each version, each language, the early ones)."""
    books = []
    for folder in version_dirs():
        books += [folder / f"{lang}.xlsx" for lang in LANGS]
        books += sorted(folder.glob("early.*.xlsx"))
    return books


def add_user_data(template: Path, out: Path, lang: str) -> Path:
    """Write ``out``: ``template`` with a user's rows, column, sheet, chart, comments, name."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter, range_boundaries
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.table import TableColumn

    wb = openpyxl.load_workbook(template)
    tables = {name: (ws, ws.tables[name]) for ws in wb.worksheets for name in ws.tables}

    def columns(ws: object, table: object, schema: object) -> dict[str, int]:
        """Sheet column of each schema column the table holds (its header may be an alias)."""
        c1, r1, c2, _ = range_boundaries(table.ref)  # type: ignore[attr-defined]
        header = [ws.cell(r1, c).value for c in range(c1, c2 + 1)]  # type: ignore[attr-defined]
        return {name: c1 + j for name, j in schema.resolve(header).items()}  # type: ignore[attr-defined]

    def grow(table: object, rows: int, cols: int = 0) -> None:
        c1, r1, c2, _r2 = range_boundaries(table.ref)  # type: ignore[attr-defined]
        ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2 + cols)}{r1 + rows}"
        table.ref = ref  # type: ignore[attr-defined]
        if table.autoFilter is not None:  # type: ignore[attr-defined]
            table.autoFilter.ref = ref  # type: ignore[attr-defined]

    from xlcredit.workbook.schema import BUYERS, INVOICES

    ws, buyers = tables["tblBuyers"]
    cols = columns(ws, buyers, BUYERS)
    sales_col = cols["annual_sales"]
    _c1, r1, c2, _ = range_boundaries(buyers.ref)
    for i, (bid, name, sales, rep) in enumerate(USER_BUYERS):
        row = r1 + 1 + i
        ws.cell(row, cols["buyer_id"], bid)
        ws.cell(row, cols["name"], name)
        ws.cell(row, sales_col, sales)
        ws.cell(row, c2 + 1, rep)
    ws.cell(r1, c2 + 1, USER_COLUMN[lang])  # typed beside the table: Excel takes it in
    buyers.tableColumns.append(TableColumn(id=max(c.id for c in buyers.tableColumns) + 1, name=USER_COLUMN[lang]))
    grow(buyers, len(USER_BUYERS), 1)
    ws.cell(r1 + 1, cols["name"]).comment = Comment("Key account: call before shipping", "Anna")
    sales_letter = get_column_letter(sales_col)
    first, last = r1 + 1, r1 + len(USER_BUYERS)

    wi, invoices = tables["tblInvoices"]
    icols = columns(wi, invoices, INVOICES)
    _, ir1, _, _ = range_boundaries(invoices.ref)
    names = ("invoice_no", "buyer_id", "amount", "invoice_date", "due_date")
    for i, values in enumerate(USER_INVOICES):
        for name, value in zip(names, values, strict=True):
            cell = wi.cell(ir1 + 1 + i, icols[name], value)
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd"
    grow(invoices, len(USER_INVOICES))

    mine = wb.create_sheet(USER_SHEET[lang])
    buyers_sheet = ws.title
    mine["A1"] = "Total expected sales" if lang == "en" else "预计销售合计"
    mine["B1"] = f"=SUM('{buyers_sheet}'!{sales_letter}{first}:{sales_letter}{last})"
    mine["A2"] = "Buyers" if lang == "en" else "客户数"
    mine["B2"] = f"=COUNTA('{buyers_sheet}'!A{first}:A{last})"
    mine["A3"] = "Largest" if lang == "en" else "最大"
    mine["B3"] = f"=MAX('{buyers_sheet}'!{sales_letter}{first}:{sales_letter}{last})"
    mine["B1"].comment = Comment("Checked against the ERP in November", "Anna")
    chart = BarChart()
    chart.title = "Expected sales" if lang == "en" else "预计销售额"
    chart.add_data(Reference(ws, min_col=sales_col, min_row=first, max_row=last))
    chart.set_categories(Reference(ws, min_col=cols["buyer_id"], min_row=first, max_row=last))
    mine.add_chart(chart, "D2")
    wb.defined_names[USER_NAME] = DefinedName(USER_NAME, attr_text=f"'{USER_SHEET[lang]}'!$B$1")
    wb.save(out)
    return out
