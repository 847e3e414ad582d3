"""Issue 15, done when: a zh-CN workbook built from bad input, refreshed, shows only Chinese
messages on the Problems sheet (ISO codes, setting names, numbers and the values users typed
aside). The workbook is the one a Chinese team starts from (``xlcredit new --lang zh-CN
--sample``) with bad cells planted the way people type them."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xlcredit.cli import main
from xlcredit.workbook import FileWorkbook

AS_OF = "2026-11-28"


def _set(ws: Any, header: str, row: int, value: Any) -> None:
    headers = [c.value for c in ws[1]]
    ws.cell(row, headers.index(header) + 1, value)


def _set_policy(ws: Any, setting: str, value: Any) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == setting:
                ws.cell(cell.row, cell.column + 1, value)
                return
    raise AssertionError(f"no setting {setting} on the Policy sheet")


def bad_chinese_book(tmp_path: Path) -> Path:
    """The zh-CN sample with bad cells: a number in words, a share above 100 %, an unknown
    currency, a currency with no FX rate, an impossible date, an unknown buyer, a duplicate
    invoice number, a payment above the amount, a due date before the invoice date and a
    negative rounding on the Policy sheet (ten problems)."""
    path = tmp_path / "坏数据.xlsx"
    assert main(["new", "--lang", "zh-CN", "--sample", "20", str(path)], out=io.StringIO(), err=io.StringIO()) == 0
    book = openpyxl.load_workbook(path)
    inv, buyers, policy = book["发票"], book["客户"], book["信用政策"]
    _set(inv, "发票金额", 2, "一千")
    _set(inv, "币种", 3, "XYZ")
    _set(inv, "币种", 4, "CHF")
    _set(inv, "到期日", 5, "2026-13-45")
    _set(inv, "客户编号", 6, "C9999")
    _set(inv, "发票号", 8, inv.cell(7, 1).value)
    _set(inv, "已收金额", 9, 1e9)
    _set(inv, "开票日期", 10, "2026-10-31")
    _set(inv, "到期日", 10, "2026-10-01")
    _set(buyers, "逾期付款比例", 2, 1.5)
    _set_policy(policy, "limits.round_to", -5)
    book.save(path)
    return path


def problems(path: Path) -> list[tuple[Any, ...]]:
    with FileWorkbook.open(path, read_only=True) as book:
        return [tuple(row) for row in book.read_table("tblProblems").rows if any(row)]


def typed_words(path: Path) -> set[str]:
    """Every word of every text cell of the input sheets: the values users typed (invoice
    numbers, buyer names, setting names) may appear in a message as they are."""
    book = openpyxl.load_workbook(path, read_only=True)
    words: set[str] = set()
    for name in ("发票", "客户", "信用政策"):
        for row in book[name].iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    words.update(re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*", v))
    return words


def english_words(text: str, typed: set[str]) -> list[str]:
    """Runs of ASCII letters that are not an ISO code, a setting name or a typed value."""
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*", text)
            if not (re.fullmatch(r"[A-Z]{3}", w) or w in typed or "." in w.strip("."))]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[Any, ...]]]:
    path = bad_chinese_book(tmp_path_factory.mktemp("zh"))
    out, err = io.StringIO(), io.StringIO()
    assert main(["refresh", str(path), "--as-of", AS_OF], out=out, err=err) == 0, err.getvalue()
    return path, problems(path)


def test_every_planted_cell_is_listed(refreshed: tuple[Path, list[tuple[Any, ...]]]) -> None:
    _, rows = refreshed
    listed = {(sheet, column) for sheet, _, column, _, _ in rows}
    for where in [("发票", "发票金额"), ("发票", "币种"), ("发票", "到期日"), ("发票", "客户编号"), ("发票", "发票号"),
                  ("发票", "已收金额"), ("客户", "逾期付款比例"), ("信用政策", "limits.round_to")]:
        assert where in listed, (where, rows)
    assert len(rows) == 10, rows  # one per planted problem, nothing else in the sample


def test_the_problems_sheet_shows_only_chinese(refreshed: tuple[Path, list[tuple[Any, ...]]]) -> None:
    path, rows = refreshed
    typed = typed_words(path)
    english = {(row[0], row[2], row[4]): english_words(f"{row[0]} {row[2]} {row[4]}", typed) for row in rows}
    assert not {k: v for k, v in english.items() if v}, english
    # the rule names the column by its Chinese header and the value as typed
    rules = {(row[2], row[3]): row[4] for row in rows}
    assert rules[("逾期付款比例", "1.5")] == "逾期付款比例 必须 ≤ 1，实际为 1.5"
    assert rules[("发票金额", "一千")] == "发票金额：'一千' 不是数字"
    assert rules[("limits.round_to", "-5.0")].startswith("limits.round_to 必须为 ≥ 0 的数字")


def test_the_checker_sees_english(refreshed: tuple[Path, list[tuple[Any, ...]]]) -> None:
    # the check above would catch an English message among the Chinese ones
    path, _ = refreshed
    found = english_words("late_share must be <= 1; got 1.5", typed_words(path))
    assert "late_share" in found and "must" in found and "got" in found, found
