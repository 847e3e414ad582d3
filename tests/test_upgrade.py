"""Template versions and ``xlcredit upgrade`` (issue 16, items 1 and 2).

Done when: upgrades from every kept fixture version (English and Chinese, with a user's data
in them: rows, a column, a sheet with formulas, a chart and a comment, a defined name) to
the current one pass with nothing lost; refresh works afterwards; a dry run writes nothing;
a second upgrade changes nothing. The fixtures are described in ``template_fixtures.py``.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula
from template_fixtures import (
    FIXTURES,
    LANGS,
    USER_BUYERS,
    USER_COLUMN,
    USER_NAME,
    USER_SHEET,
    user_books,
    version_dirs,
)

from xlcredit import macros
from xlcredit.cli import main
from xlcredit.engine.errors import SchemaError
from xlcredit.macros import upgrade as upgrade_module
from xlcredit.macros.upgrade import TemplateLayout, plan_upgrade, template_layout
from xlcredit.workbook import FileWorkbook, SheetSpec, TableEdit, TableSpec
from xlcredit.workbook.schema import BUYERS
from xlcredit.workbook.templates import build_template, template_path
from xlcredit.workbook.versions import (
    CHANGES,
    CURRENT_VERSION,
    PROPERTY,
    VersionFound,
    template_version,
)

BOOKS = user_books()
IDS = [f"{p.parent.name}/{p.name}" for p in BOOKS]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _cells(path: Path) -> dict[tuple[str, str], Any]:
    """Every non-empty cell (value or formula text) of every sheet, as openpyxl reads it."""
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): _plain(c.value) for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.value is not None}


def _plain(value: Any) -> Any:
    """A cell value comparable by ==: an array formula as its range and text."""
    if isinstance(value, ArrayFormula):
        return ("array", value.ref, value.text)
    return value


def _lang(book: Path) -> str:
    return "zh-CN" if "zh-CN" in book.name else "en"


# -- item 1: versions and fixtures --------------------------------------------------------------
def test_every_version_has_its_change_line_and_its_fixtures() -> None:
    assert sorted(CHANGES) == list(range(CURRENT_VERSION + 1))
    assert all(CHANGES[v].strip() and "\n" not in CHANGES[v] for v in CHANGES)
    assert [p.name for p in version_dirs()] == [f"v{v}" for v in range(CURRENT_VERSION + 1)]
    for folder in version_dirs():
        for lang in LANGS:
            assert (folder / f"template.{lang}.xlsx").is_file() and (folder / f"{lang}.xlsx").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_committed_templates_are_the_current_versions_fixture(lang: str) -> None:
    """A template change without a version bump fails here: run
    scripts/new_template_version.py "what changed" (it rebuilds both and bumps the version)."""
    fixture = FIXTURES / f"v{CURRENT_VERSION}" / f"template.{lang}.xlsx"
    committed, kept = _parts(template_path(lang)), _parts(fixture)
    changed = sorted(n for n in committed.keys() | kept.keys() if committed.get(n) != kept.get(n))
    assert not changed, f"workbooks/ differs from {fixture.relative_to(FIXTURES.parents[1])} in {changed}"


@pytest.mark.parametrize("lang", LANGS)
def test_new_workbooks_carry_the_stamp_twice(tmp_path: Path, lang: str) -> None:
    path = build_template(tmp_path / "t.xlsx", lang=lang, sample=3)
    props = {p.name: p.value for p in openpyxl.load_workbook(path).custom_doc_props.props}
    assert props[PROPERTY] == CURRENT_VERSION
    with FileWorkbook.open(path, read_only=True) as book:
        settings = {r[0]: r[1] for r in book.read_table("tblPolicy").rows}
        assert settings["template_version"] == CURRENT_VERSION
        assert template_version(book) == VersionFound(CURRENT_VERSION, stamped=True)


@pytest.mark.parametrize("lang", LANGS)
def test_unstamped_template_is_version_0_from_its_tables(lang: str) -> None:
    with FileWorkbook.open(FIXTURES / "v0" / f"template.{lang}.xlsx", read_only=True) as book:
        assert book.document_property(PROPERTY) is None
        found = template_version(book)
    assert (found.version, found.stamped) == (0, False)
    assert found.evidence is not None and "tblBuyers, tblInvoices, tblPolicy" in found.evidence.render("en")


def test_a_workbook_without_the_tables_every_version_has_is_refused(tmp_path: Path) -> None:
    path = build_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Policy"]
    del ws.tables["tblPolicy"]
    wb.custom_doc_props.props.clear()  # an unstamped workbook...
    wb.save(path)
    # ...and not stamped by its Policy row either: the row went with the table
    with FileWorkbook.open(path, read_only=True) as book, pytest.raises(SchemaError, match="no table tblPolicy"):
        template_version(book)
    code, _, err = run("upgrade", str(path))
    assert code == 4 and "no table tblPolicy" in err


# -- item 2: upgrade from every kept version, nothing lost ----------------------------------------
#: Parts an upgrade may rewrite: the sheets and tables it adds to, the workbook part (sheet
#: list, recalculation flag), content types and relationships, the custom properties, the
#: styles (number formats of added columns) and the calculation chain (Excel rebuilds it).
def _may_change(name: str, sheets_written: set[str]) -> bool:
    fixed = {"xl/workbook.xml", "[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels",
             "docProps/custom.xml", "xl/styles.xml", "xl/calcChain.xml"}
    return name in fixed or name in sheets_written or name.startswith("xl/tables/")


def _sheet_parts(path: Path) -> dict[str, str]:
    with FileWorkbook.open(path, read_only=True) as book:
        return dict(book._sheet_parts)


@pytest.mark.parametrize("fixture", BOOKS, ids=IDS)
def test_upgrade_keeps_everything_of_the_users(fixture: Path, tmp_path: Path) -> None:
    book = tmp_path / fixture.name
    shutil.copy(fixture, book)
    lang = _lang(book)
    before_parts, before_cells = _parts(book), _cells(book)
    before_names = {n: d.attr_text for n, d in openpyxl.load_workbook(book).defined_names.items()}
    with FileWorkbook.open(book, read_only=True) as wb:
        old = template_version(wb)
        before_rows = {t: wb.read_table(t).rows for t in wb.table_names()}

    code, out, err = run("upgrade", str(book))
    assert code == 0, err
    if old.version < CURRENT_VERSION:
        head = f"模板版本 {old.version} -> " if lang == "zh-CN" else f"Template version {old.version} -> "
        assert out.splitlines()[0].startswith(head)

    # every cell the user (or the old template) had is still there, as it was; only the
    # version stamp's own cell changes
    after_cells = _cells(book)
    stamp_cells = {k for k, v in before_cells.items() if v == "template_version"}
    stamp_values = {(s, "B" + c[1:]) for s, c in stamp_cells}
    lost = {k: (v, after_cells.get(k)) for k, v in before_cells.items()
            if after_cells.get(k) != v and k not in stamp_values}
    assert not lost
    # the user's sheet (formulas, chart, comment) and every part the upgrade did not write:
    # byte for byte
    parts = _sheet_parts(book)
    written = {parts[s] for s in parts if s != USER_SHEET[lang]} & {
        p for p in before_parts if p.startswith("xl/worksheets/sheet")}
    after_parts = _parts(book)
    changed = sorted(n for n in before_parts if after_parts.get(n) != before_parts[n] and not _may_change(n, written))
    assert not changed
    assert parts[USER_SHEET[lang]] in before_parts and after_parts[parts[USER_SHEET[lang]]] == before_parts[parts[USER_SHEET[lang]]]
    charts = [n for n in before_parts if n.startswith("xl/charts/")]
    comments = [n for n in before_parts if "comments" in n or n.endswith(".vml")]
    assert charts and comments and all(after_parts[n] == before_parts[n] for n in charts + comments)
    after = openpyxl.load_workbook(book)
    assert {n: d.attr_text for n, d in after.defined_names.items()} == before_names
    assert USER_NAME in before_names

    with FileWorkbook.open(book, read_only=True) as wb:
        # every row of every table kept, its cells as they were (new columns come after)
        for table, rows in before_rows.items():
            now = wb.read_table(table).rows

            def kept(r: list[Any]) -> bool:
                return r[0] != "template_version"  # the stamp's value changes, nothing else

            assert [r[: len(rows[0])] for r in now[: len(rows)] if kept(r)] == [r for r in rows if kept(r)], table
        buyers = wb.read_table("tblBuyers")
        assert USER_COLUMN[lang] in buyers.header
        ids = [r[BUYERS.resolve(buyers.header)["buyer_id"]] for r in buyers.rows]
        assert [b[0] for b in USER_BUYERS] == [i for i in ids if i]
        # the current template's columns are all there now, and the stamp
        assert template_version(wb) == VersionFound(CURRENT_VERSION, stamped=True)
        assert not plan_upgrade(wb).needed


@pytest.mark.parametrize("fixture", BOOKS, ids=IDS)
def test_refresh_works_after_the_upgrade_and_a_second_upgrade_changes_nothing(fixture: Path, tmp_path: Path) -> None:
    book = tmp_path / fixture.name
    shutil.copy(fixture, book)
    assert run("upgrade", str(book))[0] == 0
    upgraded = book.read_bytes()
    code, out, _ = run("upgrade", str(book))
    assert code == 0 and out.startswith(("Already at the current template version", "已是当前模板版本"))
    assert book.read_bytes() == upgraded  # nothing to change: not even saved
    with FileWorkbook.open(book) as wb:
        summary = macros.refresh_all(wb)
        wb.save()
    assert summary.buyers == len(USER_BUYERS) and summary.upgrade is None
    lang = _lang(book)
    mine = openpyxl.load_workbook(book)[USER_SHEET[lang]]
    assert str(mine["B1"].value).startswith("=SUM(") and mine["B1"].comment is not None


@pytest.mark.parametrize("fixture", BOOKS, ids=IDS)
def test_dry_run_writes_nothing_and_says_what_it_would_do(fixture: Path, tmp_path: Path) -> None:
    book = tmp_path / fixture.name
    shutil.copy(fixture, book)
    before, mtime = book.read_bytes(), book.stat().st_mtime_ns
    code, dry, _ = run("upgrade", str(book), "--dry-run")
    assert code == 0
    assert book.read_bytes() == before and book.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == [book.name]  # no lock or temp file left
    code, real, _ = run("upgrade", str(book))
    assert code == 0
    last = ("Dry run", "试运行", "Upgraded ", "已升级 ")
    assert dry.splitlines()[-1].startswith(last[:2])
    assert [x for x in dry.splitlines() if not x.startswith(last)] == [
        x for x in real.splitlines() if not x.startswith(last)]  # the same changes


def test_output_leaves_the_book_as_it_was(tmp_path: Path) -> None:
    book = tmp_path / "old.xlsx"
    shutil.copy(FIXTURES / "v0" / "early.en.xlsx", book)
    before = book.read_bytes()
    code, _, _ = run("upgrade", str(book), "--output", str(tmp_path / "new.xlsx"))
    assert code == 0 and book.read_bytes() == before
    with FileWorkbook.open(tmp_path / "new.xlsx", read_only=True) as wb:
        assert template_version(wb).version == CURRENT_VERSION


def test_early_layout_gets_the_new_columns_and_settings_and_keeps_old_headers(tmp_path: Path) -> None:
    """The first commit's template: 16 Buyers columns and about 40 settings missing, headers
    since renamed (Total assets -> Total assets (buyer ccy)) kept as aliases."""
    book = tmp_path / "early.xlsx"
    shutil.copy(FIXTURES / "v0" / "early.en.xlsx", book)
    code, out, _ = run("upgrade", str(book))
    assert code == 0
    assert "Table tblBuyers (sheet Buyers): column Last review added" in out
    assert "Policy setting decisions.hold_from_step added with its default stop_supply" in out
    assert "Policy setting company.name added, blank (the built-in default applies)" in out  # not the sample's
    assert "your header Total assets is kept; it is read as Total assets (buyer ccy)" in out
    assert "Table tblLetters belongs on sheet Policy, which you already have: not added" in out
    with FileWorkbook.open(book, read_only=True) as wb:
        header = wb.read_table("tblBuyers").header
        assert "Total assets" in header and "Total assets (buyer ccy)" not in header
        assert header.index(USER_COLUMN["en"]) < header.index("Last review")  # appended after the user's
        settings = {r[0]: r[1] for r in wb.read_table("tblPolicy").rows}
    assert settings["decisions.hold_from_step"] == "stop_supply" and settings["company.name"] is None


def test_chinese_output_is_chinese(tmp_path: Path) -> None:
    book = tmp_path / "early.xlsx"
    shutil.copy(FIXTURES / "v0" / "early.zh-CN.xlsx", book)
    code, out, _ = run("upgrade", str(book))
    assert code == 0
    assert "表格 tblBuyers（工作表 客户）：新增列 上次复核日期" in out
    assert "保留您的列标题 资产总额，按 资产总额（客户币种） 读取" in out
    assert out.rstrip().endswith(f"已升级 {book}。")


def test_newer_template_is_refused(tmp_path: Path) -> None:
    book = build_template(tmp_path / "t.xlsx")
    with FileWorkbook.open(book) as wb:
        wb.set_document_property(PROPERTY, CURRENT_VERSION + 1)
        wb.edit_table("tblPolicy", TableEdit(updates={
            len(wb.read_table("tblPolicy").rows) - 1: {"Value": CURRENT_VERSION + 1}}))
        wb.save()
    code, _, err = run("upgrade", str(book))
    assert code == 2 and f"template version {CURRENT_VERSION + 1}, newer than" in err


# -- refresh of an older workbook ---------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_refresh_of_an_older_book_lists_the_upgrade_and_goes_on(tmp_path: Path, lang: str) -> None:
    book = tmp_path / "early.xlsx"
    shutil.copy(FIXTURES / "v0" / f"early.{lang}.xlsx", book)
    code, out, err = run("refresh", str(book))
    assert code == 0, err
    available = "有可用的模板升级（版本 0 -> " if lang == "zh-CN" else "Template upgrade available (version 0 -> "
    assert available in out
    with FileWorkbook.open(book, read_only=True) as wb:
        problems = wb.read_table("tblProblems").rows
        assert template_version(wb).version == 0  # refresh itself never upgrades
    line = next(r for r in problems if str(r[-1]).startswith(available))
    assert ("另有" if lang == "zh-CN" else "and ") in line[-1]  # 59 changes: the first few, then a count
    assert line[2] == "template_version"


def test_refresh_of_a_current_book_says_nothing_about_upgrades(tmp_path: Path) -> None:
    book = build_template(tmp_path / "t.xlsx", sample=5)
    code, out, _ = run("refresh", str(book))
    assert code == 0 and "upgrade" not in out.lower()


# -- generic: future template changes need no upgrade code ---------------------------------------
def _future_layout(tmp_path: Path, lang: str) -> TemplateLayout:
    """The current template plus what other work is adding now (a tax ID column, a team
    setting, a Decisions table on a sheet of its own), made without any upgrade code."""
    path = build_template(tmp_path / "future.xlsx", lang=lang)
    with FileWorkbook.open(path) as wb:
        n = len(wb.read_table("tblBuyers").rows)
        from xlcredit.workbook import ColumnWrite

        wb.write_columns("tblBuyers", [ColumnWrite("Tax ID", [None] * n)])
        header = wb.read_table("tblPolicy").header
        wb.edit_table("tblPolicy", TableEdit(appends=[dict(zip(header, ["team.policy_source", None, "Team policy"],
                                                               strict=True))]))
        import pandas as pd

        frame = pd.DataFrame([["2026-12-01", "B001", 1000.0]], columns=["Date", "Buyer ID", "New limit"])
        wb.write_sheet(SheetSpec("Decisions", tables=[TableSpec("tblDecisions", frame, row=2)]))
        wb.save()
    with FileWorkbook.open(path, read_only=True) as wb:
        tables = {t: wb.read_table(t) for t in wb.table_names()}
        return TemplateLayout(lang, tuple(wb.sheet_names()), tables)


def test_columns_settings_and_tables_of_a_future_template_are_added(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy(FIXTURES / f"v{CURRENT_VERSION}" / "en.xlsx", book)
    layout = _future_layout(tmp_path, "en")
    with FileWorkbook.open(book) as wb:
        plan = plan_upgrade(wb, layout)
        assert [c.kind for c in plan.changes] == ["column", "setting", "table"]
        upgrade_module.apply_upgrade(wb, plan, layout)
        wb.save()
    with FileWorkbook.open(book, read_only=True) as wb:
        assert wb.read_table("tblBuyers").header[-1] == "Tax ID"
        assert ["team.policy_source", None] in [r[:2] for r in wb.read_table("tblPolicy").rows]
        decisions = wb.read_table("tblDecisions")
        assert decisions.sheet == "Decisions" and decisions.header == ["Date", "Buyer ID", "New limit"]
        assert not plan_upgrade(wb, layout).needed
        assert USER_SHEET["en"] in wb.sheet_names()


# -- the xlwings adapter (on the fake Excel) ----------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_ribbon_upgrade_on_excel(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from fake_excel import open_book

    from xlcredit.workbook.excel import ExcelWorkbook

    fake = open_book(FIXTURES / "v0" / f"early.{lang}.xlsx")
    user_cells = dict(fake.sheets[USER_SHEET[lang]].cells)
    book = ExcelWorkbook(fake)
    monkeypatch.setattr("xlcredit.macros.ribbon._caller", lambda: book)
    macros.ribbon_upgrade_workbook()
    assert fake.app.alerts and fake.app.alerts[-1].startswith("模板版本 0 -> " if lang == "zh-CN" else "Template version 0 -> ")
    assert book.document_property(PROPERTY) == CURRENT_VERSION
    assert template_version(book) == VersionFound(CURRENT_VERSION, stamped=True)
    assert not plan_upgrade(book).needed
    assert dict(fake.sheets[USER_SHEET[lang]].cells) == user_cells
    rows = book.read_table("tblBuyers").rows
    ids = [r[0] for r in rows if r[0]]
    assert ids == [b[0] for b in USER_BUYERS]


def test_template_layout_is_the_shipped_template() -> None:
    layout = template_layout("en")
    with FileWorkbook.open(template_path("en"), read_only=True) as wb:
        assert list(layout.sheets) == wb.sheet_names()
        assert {t: r.header for t, r in layout.tables.items()} == {t: wb.read_table(t).header for t in wb.table_names()}


def test_the_bump_script_raises_the_version_and_records_the_change() -> None:
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("new_template_version", root / "scripts" / "new_template_version.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    source = (root / "xlcredit" / "workbook" / "versions.py").read_text(encoding="utf-8")
    new, version = script.bump(source, "tblBuyers: Tax ID column")
    assert version == CURRENT_VERSION + 1
    namespace: dict[str, Any] = {}
    exec(compile(new.split("@dataclass", 1)[0].split("from xlcredit", 1)[0]  # the constants only
                 + new[new.index("#: The version"):new.index("#: The custom")], "versions", "exec"), namespace)
    assert namespace["CURRENT_VERSION"] == version
    assert namespace["CHANGES"] == {**CHANGES, version: "tblBuyers: Tax ID column"}


def test_future_template_on_excel(tmp_path: Path) -> None:
    """The same generic upgrade through the xlwings adapter (fake Excel): a new column, a
    setting and a table on a new sheet, the user's sheet untouched."""
    from fake_excel import open_book

    from xlcredit.workbook.excel import ExcelWorkbook

    layout = _future_layout(tmp_path, "en")
    fake = open_book(FIXTURES / f"v{CURRENT_VERSION}" / "en.xlsx")
    user_cells = dict(fake.sheets[USER_SHEET["en"]].cells)
    book = ExcelWorkbook(fake)
    plan = plan_upgrade(book, layout)
    assert [c.kind for c in plan.changes] == ["column", "setting", "table"]
    upgrade_module.apply_upgrade(book, plan, layout)
    assert book.read_table("tblBuyers").header[-1] == "Tax ID"
    assert ["team.policy_source", None] in [r[:2] for r in book.read_table("tblPolicy").rows]
    assert book.read_table("tblDecisions").header == ["Date", "Buyer ID", "New limit"]
    assert not plan_upgrade(book, layout).needed
    assert dict(fake.sheets[USER_SHEET["en"]].cells) == user_cells
