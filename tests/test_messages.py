"""The message catalogue (issue 15, item 1): every key in both languages, every key used and
every used key defined, Chinese texts without English words, and no user-facing text built
outside the catalogue in the engine, workbook and macros layers (an AST scan)."""

from __future__ import annotations

import ast
import re
import string
from collections import Counter
from pathlib import Path

import pytest

from xlcredit.messages import AREAS, Field, Message, catalogue, text
from xlcredit.messages.core import slug

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xlcredit"
#: Where catalogue keys are used: the package and the Excel functions' module.
SOURCES = sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "udfs").rglob("*.py"))

#: Modules not scanned yet (none: the command line, ribbon, templates and Excel functions
#: moved their texts into the catalogue too).
PENDING: tuple[str, ...] = ()

#: The layers whose user-facing texts must come from the catalogue.
SCANNED = ("xlcredit/engine/", "xlcredit/workbook/", "xlcredit/macros/", "xlcredit/cli.py", "xlcredit/excel/")

#: Texts still built in code, per module: the number may only go down (a module listed here
#: with a lower count fails, so the list follows the work; one with a higher count fails, so
#: no new text is written outside the catalogue). Empty when issue 15 item 1 is complete.
NOT_YET: dict[str, int] = {
    # the add-in builder's internal consistency checks (a malformed xlwings template, a
    # compound-file or VBA-compression invariant): developer errors, not user messages
    "xlcredit/excel/addin/build.py": 4,
    "xlcredit/excel/addin/cfb.py": 4,
    "xlcredit/excel/addin/ovba.py": 4,
    "xlcredit/excel/addin/project.py": 4,
    "xlcredit/excel/addin/wrappers.py": 1,
    "xlcredit/engine/decisions.py": 1,  # the retired decision text old workbooks typed (data)
}

#: English words a Chinese text may contain besides ISO codes, function and setting names,
#: numbers and placeholders: product and program names, and the values a setting takes as
#: typed on the Policy sheet or given to a command (the choices accepted, the same in both languages).
ALLOWED_WORDS = {"xlcredit", "SHA-256", "SHA", "Excel", "LibreOffice", "Xero", "Windows", "macOS", "Python", "xlwings", "Office",
                 "pywin32", "Ctrl", "Alt", "DataFrame", "zip", "Open", "OpenDocument",
                 "point", "comma", "auto", "none", "inf", "en", "zh-CN", "cap", "extend", "ignore",
                 "custom", "eu", "uk", "lpr", "monthly", "weekly", "biweekly", "quarterly", "annuity",
                 "following", "pdf", "xlsx", "all", "overdue"}

_ERRORS = {"XlCreditError", "InputError", "PolicyError", "SchemaError", "WorkbookError", "WorkbookLockedError"}
_CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# --------------------------------------------------------------------------- the catalogue itself
def test_every_key_has_both_languages_with_the_same_fields() -> None:
    for key, pair in catalogue().items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        en, zh = pair
        assert en.strip() and zh.strip(), f"{key}: a language is blank"
        assert _fields(en) == _fields(zh), f"{key}: the two languages have different fields"
        assert key.split(".")[0] in AREAS


def _argument_names() -> set[str]:
    """The parameters of the engine's and the Excel functions' functions (named as typed)."""
    names: set[str] = set()
    for path in [*sorted((PACKAGE / "engine").glob("*.py")), *sorted((ROOT / "udfs").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.update(a.arg for a in [*node.args.args, *node.args.kwonlyargs] if len(a.arg) > 2)
    return names


def test_chinese_texts_have_no_english_words() -> None:
    arguments = _argument_names()
    found = []
    for key, (_, zh) in catalogue().items():
        # placeholders, command-line options (--decimal point), Excel's header codes (&P), e-mails
        # commands to type (`xlcredit new`, xlcredit letters, pip install), file extensions (.xlsx) and quoted values ('standard')
        bare = re.sub(r"\{[^{}]*\}|--[a-z-]+|&[A-Z]|\S+@\S+|`[^`]*`|\.[a-z]{3,4}\b|'[^']*'|xlcredit [a-z]+|pip install[ \w-]*", " ", zh)
        for word in re.findall(r"[A-Za-z][A-Za-z0-9_.\-/]*", bare):
            word = word.rstrip(".")
            if (word in ALLOWED_WORDS or word in arguments  # an argument of a function, as typed
                    or re.fullmatch(r"[A-Z0-9_/]{2,}", word)  # ISO codes, DSO, TRUE/FALSE
                    or "." in word or "_" in word  # setting names such as input.decimal
                    or re.fullmatch(r"tbl[A-Za-z]+", word)  # table names
                    or re.fullmatch(r"\d*[A-Za-z]\d+", word)):  # 2025H1, F9
                continue
            found.append((key, word))
    assert not found, found


def test_message_and_field_render_in_the_language_asked() -> None:
    # a Chinese workbook's message names the column by its Chinese header
    late = Field("late_share", ("Late share", "逾期付款比例"))
    m = Message("reading.above_max", {"name": late, "bound": "1", "value": "1.5"})
    assert m.render("zh-CN") == "逾期付款比例 必须 ≤ 1，实际为 1.5"
    assert m == "Late share must be <= 1; got 1.5" and m.render("en") == m
    grouped = Message("table.grouped", {"rule": m, "count": 7, "more": ""})
    assert grouped.render("zh-CN").startswith("逾期付款比例 必须") and "7" in grouped.render("zh-CN")
    with pytest.raises(KeyError):
        Message("reading.no_such_key")


# --------------------------------------------------------------------------- keys used and defined
def _string_uses() -> tuple[set[str], list[re.Pattern[str]], list[tuple[str, int, str]]]:
    """Every string constant of the sources; the patterns of f-string keys ("policy.{kind}_min");
    and the keys passed literally to Message/text/_l."""
    constants: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    calls: list[tuple[str, int, str]] = []
    areas = tuple(a + "." for a in AREAS)
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        labels = "from xlcredit.macros.labels import" in source and "_l" in source  # _l: "sheet." + key
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in node.values]
                pattern = "".join(parts)
                if pattern.replace("\\", "").startswith(areas):
                    patterns.append(re.compile(pattern + "$"))
            elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                first = node.args[0].value
                if name in ("Message", "text") and isinstance(first, str):
                    calls.append((_rel(path), node.lineno, first))
                elif name == "_l" and labels and isinstance(first, str):
                    calls.append((_rel(path), node.lineno, "sheet." + first))
    return constants, patterns, calls


def test_every_key_is_used_and_every_used_key_exists() -> None:
    constants, patterns, calls = _string_uses()
    slugs = {slug(c) for c in constants}
    keys = catalogue()
    missing = [(where, line, key) for where, line, key in calls if key not in keys]
    assert not missing, f"keys used but not in the catalogue: {missing}"
    # a key is used when written in full, or through a prefixing helper (f"sheet.{key}" with
    # the name as a string of its own), or matched by an f-string key (f"policy.{kind}_min")
    unused = []
    for key in keys:
        area, name = key.split(".", 1)
        if key in constants or any(p.match(key) for p in patterns if p.pattern.count(".+") == 0):
            continue
        if f"{area}." in constants:  # the area is read whole (key.startswith("setting."))
            continue
        prefix = key.rsplit(".", 1)[0]
        if prefix in constants and key.rsplit(".", 1)[1] in slugs:  # labels("collections.state", names)
            continue
        dynamic = [p for p in patterns if p.match(key)]
        if dynamic and (name in constants or any(p.pattern != re.escape(area + ".") + ".+$" for p in dynamic)):
            continue
        unused.append(key)
    assert not unused, f"catalogue keys no code uses: {unused}"


# --------------------------------------------------------------------------- texts outside the catalogue
def _is_text(node: ast.AST | None) -> bool:
    """A literal text (a string or f-string with a letter in it, not a formula)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2}|" + _CJK.pattern, node.value)) and not node.value.startswith("=")
    if isinstance(node, ast.JoinedStr):
        return any(_is_text(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("join", "format"):
        return _is_text(node.func.value)
    return False


def _violations(path: Path) -> list[tuple[int, str]]:
    """Texts written in code that reach a user: raise sites of xlcredit's errors with literal
    text, Problems built with a literal rule, generated-sheet cells of literal text, and
    Chinese literals (a text paired en/zh in code)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[int, str]] = []
    raised = {id(n.exc) for n in ast.walk(tree) if isinstance(n, ast.Raise)}
    # docstrings and comments-as-strings are for developers
    notes = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
            if name in _ERRORS and node.exc.args and _is_text(node.exc.args[0]):
                out.append((node.lineno, f"raise {name} with literal text"))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            args = list(node.args) + [k.value for k in node.keywords if k.arg in ("rule", "value")]
            if name == "Problem" and ((len(node.args) > 4 and _is_text(node.args[4]))
                                      or any(k.arg == "rule" and _is_text(k.value) for k in node.keywords)):
                out.append((node.lineno, "Problem with a literal rule"))
            elif name == "CellSpec" and len(args) > 2 and _is_text(args[2]):
                out.append((node.lineno, "cell of literal text"))
            elif name in _ERRORS and id(node) not in raised and node.args and _is_text(node.args[0]):
                out.append((node.lineno, f"{name} with literal text"))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and _CJK.search(node.value)
              and id(node) not in notes):
            out.append((node.lineno, "Chinese text in code"))
    return out


def _scanned() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py"))
            if _rel(p).startswith(SCANNED) and not _rel(p).startswith(PENDING)]


#: Chinese literals that are data, not messages: the headers and aliases a workbook or an
#: ERP export may use, and the words and date forms people type (read, never shown).
DATA_MODULES = {"xlcredit/workbook/schema.py", "xlcredit/workbook/reading.py", "xlcredit/workbook/excel_values.py",
                "xlcredit/workbook/profiles.py", "xlcredit/workbook/currencies.py", "xlcredit/workbook/terms.py",
                "xlcredit/engine/values.py", "xlcredit/engine/policy.py",
                "xlcredit/workbook/sample.py"}  # synthetic sample buyers: names and industries


def _count(path: Path) -> int:
    found = _violations(path)
    if _rel(path) in DATA_MODULES:
        found = [v for v in found if v[1] != "Chinese text in code"]
    return len(found)


def test_no_user_facing_text_outside_the_catalogue() -> None:
    counts = {_rel(p): _count(p) for p in _scanned()}
    over = {m: (n, NOT_YET.get(m, 0)) for m, n in counts.items() if n > NOT_YET.get(m, 0)}
    details = {m: _violations(ROOT / m)[:5] for m in over}
    assert not over, f"texts built outside the catalogue (found, allowed): {over}; first ones: {details}"
    stale = {m: (counts.get(m, 0), n) for m, n in NOT_YET.items() if counts.get(m, 0) < n}
    assert not stale, f"fewer texts outside the catalogue than NOT_YET says; lower it: {stale}"


def test_the_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    # the scan must flag each kind of text it is meant to catch, and leave catalogue uses alone
    bad = tmp_path / "bad.py"
    bad.write_text(
        'raise InputError(f"amount must be > 0; got {x}")\n'
        'raise PolicyError("no such setting")\n'
        'problems.append(Problem(s, 2, "Amount", v, "amount is not a number"))\n'
        'cells = [CellSpec(0, 0, "Credit hold")]\n'
        'label = "逾期" if zh else "Overdue"\n'
        'raise InputError(Message("reading.not_number", {"name": "amount", "value": "x"}))\n'
        'cells = [CellSpec(0, 0, text("sheet.total", lang)), CellSpec(1, 0, "=SUM(A1:A2)")]\n',
        encoding="utf-8")
    kinds = Counter(kind.split(" with")[0] for _, kind in _violations(bad))
    assert kinds == Counter({"raise InputError": 1, "raise PolicyError": 1, "Problem": 1,
                             "cell of literal text": 1, "Chinese text in code": 1}), kinds


def test_a_problem_renders_in_the_workbooks_language() -> None:
    from xlcredit.workbook.schema import INVOICES, check_invoices, parse_table

    t = parse_table(["发票号", "客户编号", "金额", "到期日"], [["1", "C1", "一千", "2026-13-45"]], INVOICES)
    check_invoices(t, ["C1"])
    zh = {str(p.column): p.rule.render("zh-CN") for p in t.problems}
    assert zh == {"金额": "金额：'一千' 不是数字",
                  "到期日": "到期日：'2026-13-45' 不是日期（请用 2026-11-28、28/11/2026 或 2026年11月28日）"}
    assert text("reading.not_number", "en", name=t.field("amount"), value="'x'") == "金额: 'x' is not a number"
