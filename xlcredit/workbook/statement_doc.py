"""A statement of account as a printable document, and its PDF and .xlsx files.

The macros fill a :class:`StatementDoc` (texts already in the workbook's language, amounts
as numbers in the invoice currency); this module only lays it out. PDFs come from
ReportLab. Chinese text uses ReportLab's standard CID font ``STSong-Light`` (Adobe-GB1), not
embedded: every PDF reader with Asian font support (Acrobat with its free font pack, macOS
Preview, Chrome and Firefox, poppler with poppler-data) draws it with its own Song/Ming
font, and a statement stays a few kilobytes; see docs/month-end.md.

Can a one-line statement be written as a PDF?

>>> import tempfile, pathlib
>>> doc = StatementDoc(language="en", title="Statement of account", heading=["Our Co"],
...     addressee=["Buyer Ltd"], facts=[("Date", "2026-11-28")],
...     columns=["Invoice", "Amount"], kinds=["text", "money"], rows=[["A-1", 1200.5]],
...     marked=[False], totals=[("Total EUR", 1200.5)], aging_columns=[], aging_rows=[],
...     notes=["Please pay."])
>>> path = write_pdf(doc, pathlib.Path(tempfile.mkdtemp()) / "s.pdf")
>>> path.read_bytes()[:5]
b'%PDF-'
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["StatementDoc", "format_value", "write_pdf", "write_xlsx"]

#: The CID font used for Chinese (ReportLab standard, Adobe-GB1, not embedded).
CHINESE_FONT = "STSong-Light"


@dataclass
class StatementDoc:
    """One buyer's statement, ready to lay out.

    ``kinds`` says how each column is shown: ``text``, ``date``, ``money`` or ``days``.
    ``marked`` flags rows shown apart (disputed items). ``totals`` and ``aging_rows`` hold
    label/amount pairs and rows of the aging line per currency."""

    language: str
    title: str
    heading: list[str]
    addressee: list[str]
    facts: list[tuple[str, str]]
    columns: list[str]
    kinds: list[str]
    rows: list[list[Any]]
    marked: list[bool]
    totals: list[tuple[str, Any]]
    aging_columns: list[str]
    aging_rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    footer: str = ""


def format_value(value: Any, kind: str) -> str:
    """The text of a value in a statement: 1,234.50 for money, ISO dates, whole days.

    >>> format_value(-1234.5, "money"), format_value(dt.date(2026, 11, 28), "date"), format_value(None, "days")
    ('-1,234.50', '2026-11-28', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "money":
        return f"{float(value):,.2f}"
    if kind == "days":
        return f"{float(value):.0f}"
    if kind == "date":
        if hasattr(value, "date") and callable(value.date):
            value = value.date()
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value)


def _has_cjk(text: str) -> bool:
    """True when a text holds a CJK character (a Latin font would draw it as boxes).

    >>> _has_cjk("INV-1"), _has_cjk("武汉新元家居有限公司")
    (False, True)
    """
    # CJK radicals to unified ideographs, compatibility ideographs, full-width forms
    return any(0x2E80 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF or 0xFF00 <= ord(ch) <= 0xFFEF
               for ch in text)


def _fonts(language: str) -> tuple[str, str]:
    if language != "zh-CN":
        return "Helvetica", "Helvetica-Bold"
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CHINESE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))
    return CHINESE_FONT, CHINESE_FONT


def write_pdf(doc: StatementDoc, path: Path | BinaryIO) -> Path | BinaryIO:
    """Lay the statement out on A4 pages (header repeated on each page) and write it to a
    file (or a binary stream, e.g. to attach it to an e-mail)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts(doc.language)
    wrap = "CJK" if doc.language == "zh-CN" else "LTR"
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12, wordWrap=wrap)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#404040"))
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if _has_cjk(text) and not style.fontName.startswith(CHINESE_FONT):  # a Chinese name in an English
            style = ParagraphStyle(style.name + "_cjk", parent=style, fontName=_fonts("zh-CN")[0],
                                   wordWrap="CJK")
        return Paragraph(safe, style)

    def cell(text: str) -> Any:
        return para(text, small) if _has_cjk(text) else text

    story: list[Any] = []
    head = Table([[ [para(line, body if i else ParagraphStyle("co", parent=body, fontName=bold, fontSize=11,
                                                               leading=14))
                     for i, line in enumerate(doc.heading)],
                    [para(f"{k}: {v}", right) for k, v in doc.facts]]],
                 colWidths=[100 * mm, 80 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story += [head, Spacer(1, 6 * mm), para(doc.title, title)]
    story += [para(line) for line in doc.addressee]
    story.append(Spacer(1, 5 * mm))

    numeric = [k in ("money", "days") for k in doc.kinds]
    cells = [[para(c, ParagraphStyle("h", parent=small, fontName=bold, textColor=colors.white,
                                     alignment=TA_RIGHT if numeric[j] else 0))
              for j, c in enumerate(doc.columns)]]
    last = len(doc.kinds) - 1
    for row in doc.rows:  # the last text column (remarks) wraps
        cells.append([para(format_value(v, k), small) if j == last and k == "text" else cell(format_value(v, k))
                      for j, (v, k) in enumerate(zip(row, doc.kinds, strict=True))])
    widths = {"text": 17, "date": 19, "money": 23, "days": 17}
    col_w = [(24 if j == 0 else 26 if j == last and k == "text" else widths.get(k, 22)) * mm
             for j, k in enumerate(doc.kinds)]
    scale = min(1.0, 180 * mm / sum(col_w))
    table = Table(cells, colWidths=[w * scale for w in col_w], repeatRows=1)
    style: list[Any] = [
        ("FONT", (0, 0), (-1, -1), regular, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F4E78")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BFBFBF")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for j, kind in enumerate(doc.kinds):
        if numeric[j]:
            style.append(("ALIGN", (j, 1), (j, -1), "RIGHT"))
        if kind != "text" or j == 0:  # figures, dates, invoice numbers: a Latin font in both languages
            style.append(("FONT", (j, 1), (j, -1), "Helvetica", 8.5))
    for i, mark in enumerate(doc.marked, start=1):
        if mark:
            style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#FCE4D6")),
                      ("TEXTCOLOR", (0, i), (-1, i), colors.HexColor("#7F3F00"))]
    table.setStyle(TableStyle(style))
    story += [table, Spacer(1, 4 * mm)]

    if doc.totals:
        tot = Table([[para(k, ParagraphStyle("tk", parent=body, fontName=bold, alignment=TA_RIGHT)),
                      format_value(v, "money")] for k, v in doc.totals], colWidths=[120 * mm, 35 * mm],
                    hAlign="RIGHT")
        tot.setStyle(TableStyle([("FONT", (1, 0), (1, -1), bold, 9), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story += [tot, Spacer(1, 4 * mm)]
    if doc.aging_columns:
        aging = [[para(c, ParagraphStyle("ah", parent=small, fontName=bold, alignment=TA_RIGHT if j else 0))
                  for j, c in enumerate(doc.aging_columns)]]
        aging += [[cell(str(r[0])), *(format_value(v, "money") for v in r[1:])] for r in doc.aging_rows]
        n = len(doc.aging_columns)
        at = Table(aging, colWidths=[18 * mm] + [162 * mm / (n - 1)] * (n - 1))
        at.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), regular, 8.5), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9BC2E6"))]))
        story += [at, Spacer(1, 5 * mm)]
    story += [para(n_) for n_ in doc.notes]

    def on_page(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(_fonts("zh-CN")[0] if _has_cjk(doc.footer) else regular, 7.5)
        canvas.setFillColor(colors.HexColor("#7F7F7F"))
        canvas.drawString(15 * mm, 10 * mm, f"{doc.footer}  {canvas.getPageNumber()}".strip())
        canvas.restoreState()

    target: Any = path if hasattr(path, "write") else str(path)
    pdf = SimpleDocTemplate(target, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=18 * mm, title=doc.title,
                            author=doc.heading[0] if doc.heading else "", creator="xlcredit")
    pdf.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


def write_xlsx(doc: StatementDoc, path: Path) -> Path:
    """The statement as a one-sheet workbook (numbers stay numbers; prints on A4 portrait)."""
    import xlsxwriter

    path = Path(path)
    book = xlsxwriter.Workbook(str(path))
    try:
        _xlsx_sheet(book, doc)
    finally:
        book.close()
    return path


def _xlsx_sheet(book: Any, doc: StatementDoc) -> None:
    ws = book.add_worksheet(doc.title[:31])
    bold = book.add_format({"bold": True})
    big = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    money_b = book.add_format({"num_format": "#,##0.00", "bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    mark = book.add_format({"bg_color": "#FCE4D6"})
    row = 0
    for line in doc.heading:
        ws.write_string(row, 0, line, bold if row == 0 else None)
        row += 1
    for k, v in doc.facts:
        ws.write_string(row, 0, f"{k}: {v}")
        row += 1
    row += 1
    ws.write_string(row, 0, doc.title, big)
    row += 1
    for line in doc.addressee:
        ws.write_string(row, 0, line)
        row += 1
    row += 1
    ws.write_row(row, 0, doc.columns, head)
    top = row
    for values, marked in zip(doc.rows, doc.marked, strict=True):
        row += 1
        for j, (v, kind) in enumerate(zip(values, doc.kinds, strict=True)):
            text = format_value(v, kind)
            if text == "":
                ws.write_blank(row, j, None, mark if marked else None)
            elif kind == "money" or kind == "days":
                ws.write_number(row, j, float(v), money if kind == "money" else None)
            elif kind == "date":
                ws.write_datetime(row, j, dt.datetime.fromisoformat(text), date)
            else:
                ws.write_string(row, j, text)
        if marked:
            ws.conditional_format(row, 0, row, len(doc.columns) - 1, {"type": "no_errors", "format": mark})
    row += 2
    for k, v in doc.totals:
        ws.write_string(row, len(doc.columns) - 2, k, bold)
        ws.write_number(row, len(doc.columns) - 1, float(v), money_b)
        row += 1
    row += 1
    if doc.aging_columns:
        ws.write_row(row, 0, doc.aging_columns, bold)
        for r in doc.aging_rows:
            row += 1
            ws.write_string(row, 0, str(r[0]))
            for j, v in enumerate(r[1:], start=1):
                ws.write_number(row, j, float(v), money)
        row += 2
    for note in doc.notes:
        ws.write_string(row, 0, note)
        row += 1
    ws.set_column(0, len(doc.columns) - 1, 14)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)
    ws.set_footer(f"&L{doc.footer}&R&P / &N")
