"""One term per concept in Chinese: headers, labels, catalogue texts and zh docs against
the glossary (docs/zh-CN/glossary.md), which is the only list of retired terms.

The glossary's tables are read here, so adding a retired term there makes every text that
still uses it fail, with the file and the text named.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from xlcredit.messages.core import catalogue
from xlcredit.workbook.schema import IMPORT, SHEET_NAMES, TABLES, TableSchema

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "zh-CN" / "glossary.md"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tables(markdown: str) -> dict[str, list[dict[str, str]]]:
    """The Markdown tables of a page by the ``##`` heading above them, rows as dicts."""
    tables: dict[str, list[dict[str, str]]] = {}
    heading, header = "", None
    for line in markdown.splitlines():
        if line.startswith("## "):
            heading, header = line[3:].strip(), None
        elif line.startswith("|") and not set(line) <= set("|-: "):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            else:
                tables.setdefault(heading, []).append(dict(zip(header, cells, strict=True)))
        elif not line.startswith("|"):
            header = None
    return tables


TABLES_MD = _tables(GLOSSARY.read_text(encoding="utf-8"))
CONCEPTS = [row for rows in TABLES_MD.values() for row in rows if "不用" in row]
RETIRED: dict[str, str] = {
    term.strip(): row["中文"] for row in CONCEPTS for term in row["不用"].split("、") if term.strip()
}
ALLOWED = [row["词"] for row in TABLES_MD["允许的词"]]
WRONG_ALIASES = [(row["列"].strip("`"), row["不能作别名的词"]) for row in TABLES_MD["错误别名"]]


def _preferred() -> list[str]:
    words = set(ALLOWED)
    for row in CONCEPTS:
        words.add(row["中文"])
        words.add(row["中文"].split("（")[0])
    return sorted(words, key=len, reverse=True)


PREFERRED = _preferred()


def retired_in(text: str) -> list[str]:
    """The retired terms a text uses, once the preferred terms and allowed words are taken out.

    >>> retired_in("建议信用额度"), retired_in("建议额度"), retired_in("已核销坏账")
    ([], ['额度', '建议额度'], [])
    """
    for word in PREFERRED:
        text = text.replace(word, "\u25a1")
    return [term for term in RETIRED if term in text]


def test_the_glossary_is_read():
    # the parsing must see the tables, or every check below passes vacuously
    assert len(CONCEPTS) >= 40
    assert RETIRED["评分"] == "信用评分" and RETIRED["投保额度"] == "信保限额"
    assert ("ebit", "营业利润") in WRONG_ALIASES and "评分历史" in ALLOWED


def test_the_checker_finds_a_retired_term():
    assert retired_in("超额度客户数") == ["额度"]
    assert retired_in("平均拖欠天数") == ["平均拖欠天数"]
    assert retired_in("信用额度使用率") == []


def test_one_chinese_term_per_concept_in_the_glossary():
    terms = [row["中文"] for row in CONCEPTS]
    assert len(terms) == len(set(terms)), "two concepts share one Chinese term"
    both = set(terms) & set(RETIRED)
    assert not both, f"terms both preferred and retired: {both}"
    assert not [r for r in RETIRED if retired_in(RETIRED[r])], "a preferred term uses a retired one"


# --------------------------------------------------------------------------- code
def _cjk_literals(path: Path) -> list[tuple[int, str]]:
    """String literals with Chinese in a module, leaving out header aliases (schema's
    ``_c``/``_o``/``_more`` positional arguments after the Chinese header), ``former=``
    headers and names holding FORMER texts: those are read from old workbooks, not shown."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_c", "_o", "_more", "Column"):
            first_alias = 1 if node.func.id == "_more" else 4  # type: ignore[attr-defined]
            for arg in node.args[first_alias:]:
                skip.update(id(n) for n in ast.walk(arg))
            for kw in node.keywords:
                if kw.arg in ("former", "aliases"):
                    skip.update(id(n) for n in ast.walk(kw.value))
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any("FORMER" in getattr(t, "id", "") for t in targets):
            skip.update(id(n) for n in ast.walk(node))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in skip and CJK.search(node.value)
    ]


#: Modules whose Chinese is vocabulary for reading what users and ERP exports type (units,
#: yes/no words, date parts, export headers), not text xlcredit shows.
READING_VOCABULARY = {"reading.py", "excel_values.py", "source_values.py", "currencies.py", "profiles.py"}

MODULES = sorted(p for p in (ROOT / "xlcredit").rglob("*.py") if p.name not in READING_VOCABULARY)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_retired_term_in_code(path):
    bad = [(line, text, retired_in(text)) for line, text in _cjk_literals(path) if retired_in(text)]
    assert not bad, "\n".join(
        f"{path.relative_to(ROOT)}:{line}: {terms} in {text!r}; the glossary says "
        + ", ".join(f"{t} -> {RETIRED[t]}" for t in terms)
        for line, text, terms in bad
    )


def test_no_retired_term_in_the_catalogue():
    bad = {k: zh for k, (_en, zh) in catalogue().items() if retired_in(zh)}
    assert not bad


def test_no_retired_term_in_headers_help_or_sheet_names():
    shown = [c.zh for t in TABLES.values() for c in t.columns]
    shown += [c.help_zh for t in TABLES.values() for c in t.columns]
    shown += [names["zh-CN"] for names in SHEET_NAMES.values()]
    assert [s for s in shown if retired_in(s)] == []


def _same_concept_columns() -> dict[tuple[str, str], set[str]]:
    seen: dict[tuple[str, str], set[str]] = {}
    for table in (*TABLES.values(), IMPORT):
        for col in table.columns:
            seen.setdefault((col.name, col.en), set()).add(col.zh)
    return seen


def test_one_chinese_header_per_column_across_tables():
    # the same field under the same English header is one concept: one Chinese header
    assert {k: v for k, v in _same_concept_columns().items() if len(v) > 1} == {}


#: English words the catalogue and the headers use for two concepts: the Chinese tells them apart.
TWO_CONCEPTS = {
    "Action": "Collections: the dunning action (催收措施); Buyers: the recommended action (建议措施)",
    "Amount": "Payment plan: the amount to reschedule (金额); Invoices: the invoice amount (发票金额)",
}


def test_catalogue_and_headers_agree():
    # a sheet label with the same English text as a column header names the same concept
    headers: dict[str, set[str]] = {}
    for (_name, en), zh in _same_concept_columns().items():
        headers.setdefault(en, set()).update(zh)
    differ = {
        en: (zh, headers[en]) for en, zh in catalogue().values()
        if en in headers and zh not in headers[en] and en not in TWO_CONCEPTS
    }
    assert differ == {}


# --------------------------------------------------------------------------- aliases
def _tables_with(name: str) -> list[TableSchema]:
    return [t for t in (*TABLES.values(), IMPORT) if any(c.name == name for c in t.columns)]


@pytest.mark.parametrize(("column", "term"), WRONG_ALIASES)
def test_wrong_aliases_are_not_read(column, term):
    tables = _tables_with(column)
    assert tables, f"no table has column {column}"
    for table in tables:
        assert table.match_header(term) != column, f"{table.name} still reads {term} as {column}"


def test_old_headers_still_name_their_column_as_its_own():
    # an old zh workbook's output columns are written in place, not duplicated (schema.Column.former)
    formers = [(t, c, f) for t in TABLES.values() for c in t.columns for f in c.former]
    assert len(formers) >= 20
    for table, col, former in formers:
        assert table.resolve_exact([former]) == {col.name}, (table.name, former)
        # a former header is either retired or a shorter form of the new one (违约概率 -> 违约概率（12个月）)
        assert retired_in(former) or former in col.zh, f"{former} is former but not retired"


# --------------------------------------------------------------------------- docs
DOCS = [*sorted((ROOT / "docs" / "zh-CN").glob("*.md")), ROOT / "README.zh-CN.md"]


@pytest.mark.parametrize("path", [p for p in DOCS if p != GLOSSARY], ids=lambda p: p.name)
def test_no_retired_term_in_chinese_docs(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = [(i, line.strip(), retired_in(line)) for i, line in enumerate(lines, 1) if retired_in(line)]
    assert not bad, "\n".join(f"{path.name}:{i}: {terms} in {line!r}" for i, line, terms in bad)


def test_an_old_chinese_workbook_refreshes_into_its_own_columns(tmp_path):
    """A zh workbook built before the label review (headers 评分, 决定, 建议额度（本位币）...)
    refreshes: outputs land in its old columns, no second column appears under the new header."""
    import openpyxl

    from xlcredit.macros import refresh_all
    from xlcredit.workbook.files import FileWorkbook
    from xlcredit.workbook.schema import BUYERS
    from xlcredit.workbook.templates import build_template

    path = build_template(tmp_path / "old_zh.xlsx", lang="zh-CN", sample=6)
    old = {c.zh: c.former[0] for c in BUYERS.columns if c.former}
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_NAMES["buyers"]["zh-CN"]]
    table = sheet.tables["tblBuyers"]
    first = openpyxl.utils.cell.range_boundaries(table.ref)
    for cell in sheet[first[1]]:
        if cell.value in old:
            cell.value = old[cell.value]
    for column in table.tableColumns:
        column.name = old.get(column.name, column.name)
    book.save(path)

    with FileWorkbook.open(path) as wb:
        before = wb.read_table("tblBuyers").header
        assert "评分" in before and "信用评分" not in before  # the set-up really is old
        refresh_all(wb)
        wb.save()
    with FileWorkbook.open(path, read_only=True) as wb:
        t = wb.read_table("tblBuyers")
    assert t.header == before
    scores = [row[t.header.index("评分")] for row in t.rows]
    assert all(isinstance(s, (int, float)) and 1 <= s <= 100 for s in scores), scores
