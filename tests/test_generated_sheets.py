"""What the generated sheets look like once written (issue 4, "Render Buyers, Aging,
Collections and Dashboard ... look at them, fix what looks wrong").

Each test reads the parts of a refreshed demo workbook (English and Simplified Chinese) the
way Excel and LibreOffice do, and pins a defect seen in the rendered README images:

- every series of the Aging chart showed the sheet title as its legend name (LibreOffice
  turned the literal ``<c:v>`` name into a reference to cell A1);
- a table's total row read "Total" on Chinese sheets;
- generated sheets had no print setup (orientation, fit to width, repeated header row,
  header and footer);
- the user's Status column on Collections had no drop-down list;
- Chinese reasons were joined with an English "; ".
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from lxml import etree

from xlcredit.macros import COLLECTION_STATUSES, refresh_all
from xlcredit.workbook.charts import chart_xml
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.generated import render_sheet, validation_xml
from xlcredit.workbook.port import ChartSeries, ChartSpec, DataValidation, SheetSpec, TableSpec
from xlcredit.workbook.schema import SHEET_NAMES
from xlcredit.workbook.styles import StyleBook
from xlcredit.workbook.templates import build_template

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
LANGS = ["en", "zh-CN"]
#: The generated sheets the issue asks a print setup for.
PRINTED = ["aging", "collections", "dashboard", "credit_hold", "history", "problems"]
#: ECMA-376 Part 1, 18.3.1.99 CT_Worksheet: the order of a worksheet's children.
CT_WORKSHEET = [
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
]  # fmt: skip
#: The default aging buckets named in issue 3 ("not due; 1-30; 31-60; 61-90; 91-120; over 120").
BUCKETS_EN = ["Not due", "1-30", "31-60", "61-90", "91-120", "Over 120"]


class Book:
    """The parts of a saved workbook, looked up by sheet name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as z:
            self.parts = {n: z.read(n) for n in z.namelist()}
        self.workbook = etree.fromstring(self.parts["xl/workbook.xml"])
        rels = self._rels("xl/workbook.xml")
        self.sheets = [
            (s.get("name"), rels[s.get(f"{{{R}}}id")]) for s in self.workbook.iter(f"{{{M}}}sheet")
        ]

    def _rels(self, part: str) -> dict[str, str]:
        folder, name = part.rsplit("/", 1)
        data = self.parts.get(f"{folder}/_rels/{name}.rels")
        if data is None:
            return {}
        out = {}
        for rel in etree.fromstring(data).iter(f"{{{PKG}}}Relationship"):
            target = rel.get("Target", "")
            out[rel.get("Id", "")] = (
                target.lstrip("/") if target.startswith("/") else _join(folder, target)
            )
        return out

    def sheet_part(self, name: str) -> str:
        return dict(self.sheets)[name]

    def sheet(self, name: str) -> etree._Element:
        return etree.fromstring(self.parts[self.sheet_part(name)])

    def related(self, part: str, kind: str) -> list[str]:
        return [t for t in self._rels(part).values() if re.search(rf"/{kind}\d+\.xml$", t)]

    def charts(self, sheet: str) -> list[etree._Element]:
        out = []
        for drawing in self.related(self.sheet_part(sheet), "drawing"):
            out += [etree.fromstring(self.parts[c]) for c in self.related(drawing, "chart")]
        return out

    def tables(self, sheet: str) -> list[etree._Element]:
        return [etree.fromstring(self.parts[t]) for t in self.related(self.sheet_part(sheet), "table")]


def _join(folder: str, target: str) -> str:
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A demo workbook per language, refreshed twice (a rebuilt sheet must not pile up)."""
    folder = tmp_path_factory.mktemp("generated")
    out = {}
    for lang in LANGS:
        path = build_template(folder / f"demo_{lang}.xlsx", lang=lang, sample=40)
        for _ in range(2):
            with FileWorkbook.open(path) as wb:
                refresh_all(wb)
                wb.save()
        out[lang] = path
    yield out


def _name(role: str, lang: str) -> str:
    return SHEET_NAMES[role][lang]


def _cell_texts(sheet: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in sheet.iter(f"{{{M}}}c"):
        t = c.find(f"{{{M}}}is/{{{M}}}t")
        v = c.find(f"{{{M}}}v")
        out[c.get("r", "")] = t.text if t is not None else (v.text if v is not None else None)
    return out


# -- 1. chart series names ---------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_each_aging_series_is_named_by_its_bucket(books: dict[str, Path], lang: str) -> None:
    book = Book(books[lang])
    sheet = _name("aging", lang)
    texts = _cell_texts(book.sheet(sheet))
    (chart,) = book.charts(sheet)
    header = FileWorkbook.open(books[lang], read_only=True)
    try:
        buckets = header.read_table("tblAging").header[3:9]
    finally:
        header.close()
    if lang == "en":
        assert buckets == BUCKETS_EN
    else:
        assert buckets[0] == "未到期" and all(re.search(r"[\u4e00-\u9fff]", b) for b in buckets)
    names, cached = [], []
    for ser in chart.iter(f"{{{C}}}ser"):
        ref = ser.find(f"{{{C}}}tx/{{{C}}}strRef")
        assert ref is not None, "the series name must refer to its header cell"
        formula = ref.findtext(f"{{{C}}}f")
        m = re.fullmatch(r"'(.+)'!\$([A-Z]+)\$(\d+)", formula or "")
        assert m is not None and m.group(1) == sheet, formula
        names.append(texts[m.group(2) + m.group(3)])
        cached.append(ref.findtext(f"{{{C}}}strCache/{{{C}}}pt/{{{C}}}v"))
    assert names == buckets
    assert cached == buckets
    title = texts["A1"]
    assert title not in names


def test_a_series_without_a_header_cell_keeps_a_literal_name() -> None:
    # The Dashboard's aging chart plots a column whose cell above is a section title.
    spec = ChartSpec("column", "By age", "A2:A3", [ChartSeries("EUR", "B2:B3")])
    grid = {"A2:A3": ["Not due", "1-30"], "B2:B3": [5.0, 1.0], "B1": ["Receivables by age"]}
    root = etree.fromstring(chart_xml(spec, "Dash", lambda ref: grid.get(ref, [None])))
    tx = root.find(f".//{{{C}}}ser/{{{C}}}tx")
    assert tx is not None and tx.findtext(f"{{{C}}}v") == "EUR" and tx.find(f"{{{C}}}strRef") is None


# -- 2. total row label ------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "label"), [("en", "Total"), ("zh-CN", "合计")])
def test_total_row_label_follows_the_language(books: dict[str, Path], lang: str, label: str) -> None:
    book = Book(books[lang])
    sheet = _name("aging", lang)
    (table,) = [t for t in book.tables(sheet) if t.get("name") == "tblAging"]
    first = table.find(f"{{{M}}}tableColumns/{{{M}}}tableColumn")
    assert first is not None and first.get("totalsRowLabel") == label
    last_row = int(re.findall(r"\d+", table.get("ref", ""))[-1])
    assert _cell_texts(book.sheet(sheet))[f"A{last_row}"] == label


def test_total_label_defaults_to_total() -> None:
    # TableSpec gained total_label; a spec written before it still says "Total".
    spec = SheetSpec("S", tables=[TableSpec("tblT", pd.DataFrame({"A": ["x"], "B": [1.0]}),
                                            total_row=True)])
    out = render_sheet(spec, StyleBook(None), table_ids=[1], table_rids=["rId1"], drawing_rid=None)
    assert b'totalsRowLabel="Total"' in out.tables[0] and out.value(2, 0) == "Total"


# -- 3. print setup ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", PRINTED)
def test_generated_sheets_print_landscape_one_page_wide(
    books: dict[str, Path], lang: str, role: str
) -> None:
    book = Book(books[lang])
    root = book.sheet(_name(role, lang))
    order = [etree.QName(el).localname for el in root if isinstance(el.tag, str)]
    assert order == sorted(order, key=CT_WORKSHEET.index), order
    setup = root.find(f"{{{M}}}pageSetup")
    assert setup is not None
    assert (setup.get("orientation"), setup.get("fitToWidth"), setup.get("fitToHeight")) == (
        "landscape", "1", "0")
    fit = root.find(f"{{{M}}}sheetPr/{{{M}}}pageSetUpPr")
    assert fit is not None and fit.get("fitToPage") == "1"
    assert root.find(f"{{{M}}}pageMargins") is not None
    header = root.findtext(f"{{{M}}}headerFooter/{{{M}}}oddHeader") or ""
    footer = root.findtext(f"{{{M}}}headerFooter/{{{M}}}oddFooter") or ""
    assert "&A" in header and "&P" in footer and "&N" in footer
    assert ("第" in footer) == (lang == "zh-CN")


@pytest.mark.parametrize("lang", LANGS)
def test_table_header_row_repeats_on_every_printed_page(books: dict[str, Path], lang: str) -> None:
    book = Book(books[lang])
    names = [n for n, _ in book.sheets]
    titles = [d for d in book.workbook.iter(f"{{{M}}}definedName")
              if d.get("name") == "_xlnm.Print_Titles"]
    by_sheet = {names[int(d.get("localSheetId", "-1"))]: d.text for d in titles}
    assert len(by_sheet) == len(titles), "one print-titles name per sheet, after two refreshes"
    for role in ("aging", "collections", "history", "problems"):
        sheet = _name(role, lang)
        first_table = book.tables(sheet)[0]
        header_row = int(re.findall(r"\d+", first_table.get("ref", ""))[0])
        assert by_sheet[sheet] == f"'{sheet}'!${header_row}:${header_row}"
    # and another reader agrees
    wb = openpyxl.load_workbook(books[lang])
    try:
        aging = wb[_name("aging", lang)]
        assert aging.print_title_rows == "$4:$4"
        assert aging.page_setup.orientation == "landscape"
        assert aging.sheet_properties.pageSetUpPr.fitToPage
    finally:
        wb.close()


def test_print_titles_reject_impossible_rows() -> None:
    from xlcredit.engine.errors import InputError

    with pytest.raises(InputError, match="print title rows"):
        render_sheet(SheetSpec("S", print_title_rows=(4, 2)), StyleBook(None), table_ids=[],
                     table_rids=[], drawing_rid=None)


# -- 4. Status drop-down on Collections --------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_collections_status_column_has_a_drop_down(books: dict[str, Path], lang: str) -> None:
    book = Book(books[lang])
    sheet = _name("collections", lang)
    root = book.sheet(sheet)
    (table,) = [t for t in book.tables(sheet) if t.get("name") == "tblCollections"]
    headers = [c.get("name") for c in table.iter(f"{{{M}}}tableColumn")]
    status = "Status" if lang == "en" else "状态"
    first_col = re.match(r"[A-Z]+", table.get("ref", ""))
    assert first_col is not None
    col = openpyxl.utils.get_column_letter(
        openpyxl.utils.column_index_from_string(first_col.group()) + headers.index(status))
    top, bottom = (int(x) for x in re.findall(r"\d+", table.get("ref", "")))
    (dv,) = root.iter(f"{{{M}}}dataValidation")
    assert dv.get("type") == "list"
    assert dv.get("sqref") == f"{col}{top + 1}:{col}{bottom}"
    values = (dv.findtext(f"{{{M}}}formula1") or "").strip('"').split(",")
    assert values == list(COLLECTION_STATUSES[lang])
    if lang == "en":
        assert {"open", "promised", "disputed", "paid", "escalated"} <= set(values)
    else:
        assert {"未处理", "已承诺付款", "有争议", "已收款", "已升级", "已核销坏账"} <= set(values)
    assert dv.get("errorStyle") == "warning"  # the user's own wording is still allowed


def test_drop_down_values_are_checked() -> None:
    from xlcredit.engine.errors import InputError

    with pytest.raises(InputError, match="comma"):
        validation_xml([DataValidation("A2:A9", ["paid, partly"])])
    with pytest.raises(InputError, match="255"):
        validation_xml([DataValidation("A2:A9", ["x" * 300])])


# -- 5. other things the images showed ---------------------------------------------------------
def test_chinese_reasons_use_the_chinese_separator(books: dict[str, Path]) -> None:
    wb = FileWorkbook.open(books["zh-CN"], read_only=True)
    try:
        t = wb.read_table("tblBuyers")
    finally:
        wb.close()
    col = t.header.index("主要扣分原因")
    reasons = [r[col] for r in t.rows if isinstance(r[col], str) and r[col]]
    assert reasons and not any("; " in r for r in reasons)
    assert any("；" in r for r in reasons)


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_limit_is_the_one_utilisation_is_of(books: dict[str, Path], lang: str) -> None:
    # The image showed a limit of 0 next to a utilisation of 144 %: the column showed the
    # recommended limit while utilisation is of the current limit where there is one.
    wb = FileWorkbook.open(books[lang], read_only=True)
    try:
        t = wb.read_table("tblTopExposures")
    finally:
        wb.close()
    frame = pd.DataFrame(t.rows, columns=t.header)
    exposure, limit, used = frame.iloc[:, 3], frame.iloc[:, 5], frame.iloc[:, 6]
    rated = limit.astype(float) > 0
    assert rated.any()
    ratio = exposure[rated].astype(float) / limit[rated].astype(float)
    assert ratio.round(9).tolist() == used[rated].astype(float).round(9).tolist()


# -- the Excel adapter renders the same fields (Excel does not run here: a stand-in COM) --------
def test_excel_adapter_sets_print_setup_and_drop_down_through_com() -> None:
    from unittest.mock import MagicMock

    from xlcredit.workbook.excel import ExcelWorkbook

    book = MagicMock()
    book.app.api.International.return_value = ";"  # a German Excel's list separator
    book.app.api.InchesToPoints.side_effect = lambda inches: inches * 72
    target = MagicMock()
    adapter = ExcelWorkbook(book)
    spec = SheetSpec("Aging", print_title_rows=(3, 3), footer="第 &P 页 / 共 &N 页",
                     validations=[DataValidation("S5:S9", ["open", "paid"], prompt="Pick")])
    adapter._page_setup(target, spec)
    setup = target.api.PageSetup
    assert (setup.Orientation, setup.FitToPagesWide, setup.FitToPagesTall, setup.Zoom) == (
        2, 1, False, False)  # xlLandscape
    assert setup.PrintTitleRows == "$4:$4"
    assert (setup.LeftHeader, setup.CenterFooter) == ("&A", "第 &P 页 / 共 &N 页")
    assert book.app.api.PrintCommunication is True  # switched back on afterwards
    adapter._validation(target, spec.validations[0])
    rule = target.range.return_value.api.Validation
    target.range.assert_called_with("S5:S9")
    rule.Delete.assert_called_once()
    rule.Add.assert_called_once_with(Type=3, AlertStyle=2, Formula1="open;paid")
    assert rule.InputMessage == "Pick" and rule.ShowInput is True


@pytest.mark.parametrize("lang", LANGS)
def test_headers_sit_over_their_figures(books: dict[str, Path], lang: str) -> None:
    # The images showed number headers left-aligned, far from their right-aligned figures.
    wb = openpyxl.load_workbook(books[lang])
    try:
        aging = wb[_name("aging", lang)]
        assert [aging.cell(4, c).alignment.horizontal for c in (1, 2, 4, 10)] == [
            None, None, "center", "center"]  # Buyer ID, Name (text); Not due, Total (money)
        dashboard = wb[_name("dashboard", lang)]
        assert dashboard["B4"].alignment.horizontal == "right"  # "Value" over the KPI figures
    finally:
        wb.close()
