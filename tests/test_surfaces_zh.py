"""Issue 15, item 1 at the edges: the command line, the Excel functions, the ribbon and the
zh-CN template speak Chinese, with English left only where it is a code, a function name or
a value a user typed (or a column that is explicitly the English text of a label)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xlcredit import cli, macros
from xlcredit.engine.plans import FREQUENCIES, METHODS
from xlcredit.engine.policy import Policy
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.templates import _CHOICES, build_template, template_path

_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z_.\-]*[A-Za-z]")


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = cli.main(list(argv), out=out, err=err)
    except SystemExit as exc:  # argparse refuses a command line by exiting
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _english(message: str, *allowed: str) -> list[str]:
    """English words of a message once paths, options, quoted values, commands and the
    ``allowed`` words are taken out."""
    stripped = re.sub(r"'[^']*'|`[^`]*`|\S*[/\\]\S*|--[a-z-]+|\S+\.(xlsx|xlsm|csv)\b", " ", message)
    words = _WORD.findall(stripped)
    return [w for w in words if w not in {"xlcredit", "Excel", "YYYY-MM-DD", *allowed}]


@pytest.fixture(scope="module")
def zh_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("zh") / "book.xlsx", lang="zh-CN", sample=3)


# --------------------------------------------------------------------------- command line
@pytest.mark.parametrize("argv", [
    ["refresh", "{tmp}/missing.xlsx"],
    ["refresh", "{tmp}/ledger.csv"],
    ["new", "{zh}"],
    ["refresh", "{zh}", "--output", "{tmp}/no/such/folder/out.xlsx"],
    ["statements", "{zh}", "--out", "{tmp}/a_file.txt"],
    ["refresh", "{zh}", "--as-of", "2026-13-01"],
    ["new", "{tmp}/x.xlsx", "--sample", "many"],
    ["new", "{tmp}/x.xlsx", "--base-currency", "dollars"],
    ["import", "{tmp}/ledger.csv", "{zh}", "--map", "nothing"],
    ["statements", "{zh}", "--out", "{tmp}/o", "--buyers", ","],
    ["statements", "{zh}"],
    ["refresh"],
    ["refresh", "{zh}", "--lang", "fr"],
])
def test_every_cli_error_path_renders_chinese(argv: list[str], tmp_path: Path, zh_book: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ledger.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "a_file.txt").write_text("x", encoding="utf-8")
    line = [a.format(tmp=tmp_path, zh=zh_book) for a in argv]
    code, _, err = _run("--lang", "zh-CN", *line)
    err = err or capsys.readouterr().err  # argparse writes to sys.stderr itself
    assert code in (2, 5), err
    last = err.strip().splitlines()[-1]
    assert last.startswith("xlcredit：错误："), err
    assert _CJK.search(last) and not _english(last, "overdue", "all", "en", "zh-CN", "ISO", "EUR", "USD", "CNY",
                                              "path", "invoice_no", "new", "xlsx", "xlsm"), last  # a command, file kinds


def test_without_lang_the_messages_follow_the_workbook(tmp_path: Path, zh_book: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run("refresh", str(zh_book), "--output", str(tmp_path / "none" / "o.xlsx"))
    assert code == 5 and err.startswith("xlcredit：错误：--output 指定的文件夹"), err
    code, _, err = _run("refresh", str(zh_book), "--as-of", "31/12/2026")
    err = err or capsys.readouterr().err
    assert code == 2 and "--as-of 须为 `YYYY-MM-DD` 格式的日期" in err, err
    # an English book (the default), and --lang wins over the workbook
    english = build_template(tmp_path / "en.xlsx")
    code, _, err = _run("refresh", str(english), "--output", str(tmp_path / "none" / "o.xlsx"))
    assert err.startswith("xlcredit: error: The folder"), err
    code, _, err = _run("refresh", str(zh_book), "--lang", "en", "--output", str(tmp_path / "none" / "o.xlsx"))
    assert err.startswith("xlcredit: error: The folder"), err


def test_a_refresh_in_chinese_says_so_in_chinese(zh_book: Path, tmp_path: Path) -> None:
    code, out, err = _run("--lang", "zh-CN", "refresh", str(zh_book), "--output", str(tmp_path / "o.xlsx"))
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith("已刷新 ") and first.endswith(" 秒"), out
    assert all(_CJK.search(line) for line in out.splitlines()), out


@pytest.mark.parametrize("raised, code, start", [
    (RuntimeError("boom"), 70, "xlcredit：内部错误：RuntimeError：boom"),
    (KeyboardInterrupt(), 130, "xlcredit：已中断；工作簿保持原样。"),
    (PermissionError(13, "Permission denied", "/x/book.xlsx"), 5, "xlcredit：错误：没有访问权限（/x/book.xlsx）"),
])
def test_internal_interrupted_and_system_errors_in_chinese(raised: BaseException, code: int, start: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(args: Any, out: Any) -> int:
        raise raised

    monkeypatch.setattr(cli, "cmd_refresh", fail)
    result, _, err = _run("--lang", "zh-CN", "refresh", "book.xlsx")
    assert (result, err.splitlines()[0][:len(start)]) == (code, start), err


def test_progress_steps_follow_the_language_of_the_run() -> None:
    from xlcredit.messages import Message

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown = Terminal()
    bar = cli.ProgressBar(shown, language=lambda: "zh-CN")
    bar(0.5, Message("cli.new_empty"))
    bar(1.0, "plain text is shown as it is")
    assert "空白模板" in shown.getvalue() and "plain text is shown as it is" in shown.getvalue()


def test_help_is_chinese_where_argparse_allows(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["refresh", "--help", "--lang", "zh-CN"])
    shown = capsys.readouterr().out
    assert shown.startswith("用法：xlcredit refresh") and "位置参数" in shown and "选项" in shown
    assert "不用 Excel 计算客户信用评分" in shown


# --------------------------------------------------------------------------- Excel functions
def test_function_errors_follow_the_language_argument() -> None:
    from xlcredit_udfs import AGING_BUCKET, DUNNING_STEP

    said = AGING_BUCKET(46000.0, None, None, "zh-CN")
    assert said == "#VALUE! as_of 须为一个日期单元格，如 =TODAY()；收到空白。"
    assert AGING_BUCKET(46000.0, None, None, "en").startswith("#VALUE! as_of must be one date cell")
    # an error cell among the arguments, and a reason for #N/A, in Chinese too
    assert DUNNING_STEP("#REF!", None, "中文").startswith("#REF! days_or_due_date 是 Excel 错误值 #REF!")
    assert DUNNING_STEP([[10.0], [None]], None, "zh-CN")[1] == ["#N/A 逾期天数或到期日缺失"]


def test_functions_without_a_language_argument_follow_the_addin_setting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xlcredit_udfs import PAYMENT_PLAN, PLAN_RESCHEDULE

    from xlcredit.excel.udf.settings import addin_language

    monkeypatch.delenv("XLCREDIT_LANGUAGE", raising=False)
    conf = tmp_path / ".xlcredit" / "xlcredit.conf"  # where `xlcredit addin install` writes it
    conf.parent.mkdir()
    conf.write_text('"INTERPRETER_WIN","C:\\\\py\\\\python.exe"\n"LANGUAGE","zh-CN"\n', encoding="utf-8")
    assert addin_language(conf) == "zh-CN"
    monkeypatch.setenv("HOME", str(tmp_path))  # the user's profile folder
    assert PAYMENT_PLAN(1200.0, 2.0, 0.0, 46388.0)[0] == ["期次", "到期日", "应还金额", "利息", "本金", "剩余本金"]
    bad = PLAN_RESCHEDULE(10000.0, 10.0, 0.08, 46053.0, 2.0, 46157.0, "keep_term", 0.10, None, None, None, "chart")
    assert bad == "#VALUE! show 须为 'plan', 'summary' 之一；收到 'chart'。"
    conf.write_text('"LANGUAGE","en"\n', encoding="utf-8")
    os.utime(conf, (1, 1))  # a changed file is read again
    assert PAYMENT_PLAN(1200.0, 2.0, 0.0, 46388.0)[0][0] == "No"
    monkeypatch.setenv("XLCREDIT_LANGUAGE", "zh-CN")
    assert PLAN_RESCHEDULE(10000.0, 10.0, 0.08, 46053.0, 2.0, 46157.0, "keep_term", 0.10, None, None, None, "chart").startswith(
        "#VALUE! show 须为")


# --------------------------------------------------------------------------- ribbon
def test_ribbon_alerts_speak_the_workbooks_language(zh_book: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from xlcredit.macros import ribbon

    path = tmp_path / "book.xlsx"
    path.write_bytes(zh_book.read_bytes())
    alerts: list[str] = []
    with FileWorkbook.open(path, alert=alerts.append) as book:
        monkeypatch.setattr(ribbon, "_caller", lambda: book)
        macros.ribbon_refresh_all()
        macros.ribbon_payment_plan()  # a file has no selected row
        macros.ribbon_help()
    assert alerts[0].startswith("客户 3，高风险"), alerts
    assert alerts[1] == "请先选中客户表中某个客户所在行的单元格，再点击“还款计划”。"
    assert "使用指南" in alerts[2]


# --------------------------------------------------------------------------- the zh-CN template
def _codes() -> set[str]:
    """Words the zh-CN template may show in English: codes the engine reads (setting keys and
    their coded values, dunning steps, plan choices, presets), never prose."""
    codes: set[str] = set()

    def walk(node: Any, prefix: str = "") -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                codes.update(f"{prefix}{key}".split("."))
                codes.add(f"{prefix}{key}")
                walk(value, f"{prefix}{key}.")
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item, prefix)
        elif isinstance(node, str) and re.fullmatch(r"[a-z_]+", node):
            codes.add(node)

    walk(Policy().to_dict())
    codes.update(v for values in _CHOICES.values() for v in values)
    codes.update(FREQUENCIES, METHODS)
    # preset and option codes the descriptions explain (xlcredit.engine.late_payment, reading rules)
    codes.update({"custom", "eu", "uk", "cn_sme", "lpr", "none", "auto", "point", "comma", "cap", "extend",
                  "ignore", "following", "due_date", "invoice_date", "en", "zh-CN"})
    return codes


def test_the_zh_template_has_no_english_outside_codes_and_function_names() -> None:
    codes = _codes()
    book = openpyxl.load_workbook(template_path("zh-CN"))
    settings = book["信用政策"].tables["tblPolicy"]
    first, top, _, bottom = openpyxl.utils.cell.range_boundaries(settings.ref)
    codes.update(str(book["信用政策"].cell(r, first).value) for r in range(top + 1, bottom + 1))  # setting keys
    found: list[str] = []
    for ws in book:
        english_columns: set[int] = set()
        letter_en_rows: set[int] = set()
        for table in ws.tables.values():
            first = openpyxl.utils.cell.range_boundaries(table.ref)
            for j, column in enumerate(table.tableColumns):
                if column.name.endswith("（英文）"):  # the English text of a label, beside the Chinese
                    english_columns.add(first[0] + j)
            if table.name == "tblLetters":  # letters to buyers abroad are written in English
                lang_col = first[0] + [c.name for c in table.tableColumns].index("语言")
                letter_en_rows = {r for r in range(first[1] + 1, first[3] + 1)
                                  if ws.cell(r, lang_col).value == "en"}
        for row in ws.iter_rows():
            for c in row:
                texts = [c.value] if isinstance(c.value, str) else []
                texts += [c.comment.text] if c.comment else []
                if c.column in english_columns or c.row in letter_en_rows:
                    continue
                key = ws.cell(c.row, 1).value
                if ws.title == "信用政策" and c.column == 2 and isinstance(key, str) and key.endswith("_en"):
                    continue  # a setting that is the English text of a label
                for value in texts:
                    if value.startswith("="):
                        continue  # a formula: function names and cell references
                    # e-mails, file names, letter placeholders and commands to type (xlcredit upgrade)
                    bare = re.sub(r"\S+@\S+|\S+\.xlsx\b|\{[a-z_]+\}|xlcredit [a-z]+", " ", value)
                    for word in _WORD.findall(bare):
                        if word in codes or re.fullmatch(r"[A-Z][A-Z0-9_/]+", word) or word in (
                                "xlcredit", "Excel"):  # product, function names, ISO codes
                            continue
                        found.append(f"{ws.title}!{c.coordinate}: {word} in {value[:60]!r}")
    assert not found, "\n".join(found[:40])


def test_every_template_sheet_has_the_chinese_page_footer() -> None:
    book = openpyxl.load_workbook(template_path("zh-CN"))
    footers = {ws.title: ws.oddFooter.center.text for ws in book}
    assert footers and set(footers.values()) == {"第 &P 页，共 &N 页"}, footers


def test_quick_check_plan_is_chinese() -> None:
    ws = openpyxl.load_workbook(template_path("zh-CN"))["快速评估"]
    values = {c.value for row in ws.iter_rows() for c in row}
    assert {"按月", "等额本息", "到期日", "应还金额", "剩余本金"} <= values  # 期次 is the formula cell
    assert not {"monthly", "annuity", "Due date", "Balance"} & values


def test_policy_channels_are_chinese_and_read_back_as_codes(zh_book: Path) -> None:
    from xlcredit.workbook.policy_sheet import load_policy

    ws = openpyxl.load_workbook(zh_book)["信用政策"]
    shown = {c.value for row in ws.iter_rows() for c in row}
    assert {"邮件", "电话", "内部", "信函", "催收机构"} <= shown and "email" not in shown
    with FileWorkbook.open(zh_book, read_only=True) as book:
        policy, problems = load_policy(book)
    assert [d.channel for d in policy.dunning] == [d.channel for d in Policy().dunning] and not problems
