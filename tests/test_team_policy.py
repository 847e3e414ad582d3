"""One team policy for several workbooks (issue 16, item 3): the team source, local settings,
the copy kept for when the source cannot be read, and `xlcredit policy export|check`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from xlcredit import cli, macros
from xlcredit.engine.policy import Policy
from xlcredit.engine.team import apply_team_policy, fingerprint, policy_differences
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.port import TableEdit
from xlcredit.workbook.schema import BUYERS, POLICY
from xlcredit.workbook.templates import build_template

AS_OF = dt.date(2026, 11, 30)


def set_settings(path: Path, settings: dict[str, Any]) -> None:
    """Type values into the Value cells of tblPolicy, as a user would."""
    with FileWorkbook.open(path) as book:
        raw = book.read_table("tblPolicy")
        found = POLICY.resolve(raw.header)
        value_header = raw.header[found["value"]]
        rows = {str(r[found["setting"]]).strip(): i for i, r in enumerate(raw.rows)}
        book.edit_table("tblPolicy", TableEdit(updates={rows[k]: {value_header: v} for k, v in settings.items()}))
        book.save()


def limits(path: Path) -> np.ndarray:
    with FileWorkbook.open(path, read_only=True) as book:
        raw = book.read_table(BUYERS.name)
    j = BUYERS.resolve(raw.header)["recommended_limit"]
    values = np.array([r[j] for r in raw.rows], dtype=float)
    return values[~np.isnan(values)]


def table(path: Path, name: str) -> list[list[Any]]:
    with FileWorkbook.open(path, read_only=True) as book:
        raw = book.read_table(name)
    return [list(raw.header), *[list(r) for r in raw.rows]]


def dashboard_pairs(path: Path, sheet: str) -> dict[str, Any]:
    """Label -> value of the Dashboard's two-column cells, as a reader of the file sees them."""
    wb = openpyxl.load_workbook(path, read_only=True)
    pairs = {str(r[0]): r[1] for r in wb[sheet].iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}
    wb.close()
    return pairs


def refresh(path: Path) -> None:
    with FileWorkbook.open(path) as book:
        macros.refresh_all(book, as_of=AS_OF)
        book.save()


@pytest.fixture
def teams(tmp_path: Path) -> dict[str, Path]:
    """A head office's team policy workbook on a 'shared drive' and three team workbooks
    that name it (one in Chinese; all in the group's base currency, EUR); team C keeps its
    own rounding of limits."""
    shared = tmp_path / "shared"
    shared.mkdir()
    team = build_template(shared / "team_policy.xlsx")
    set_settings(team, {"limits.round_to": 5000, "team.name": "Group credit policy", "team.version": "1"})
    books = {}
    for name, lang in (("a", "en"), ("b", "zh-CN"), ("c", "en")):
        folder = tmp_path / name
        folder.mkdir()
        books[name] = build_template(folder / f"{name}.xlsx", lang=lang, sample=30, base_currency="EUR")
        set_settings(books[name], {"team.source": "../shared/team_policy.xlsx"})
    set_settings(books["c"], {"team.local_settings": "limits.round_to", "limits.round_to": 100})
    return {"team": team, **books}


def reference_limits(tmp_path: Path, lang: str, round_to: float) -> np.ndarray:
    """The limits of the same sample workbook with the rounding typed on its own Policy
    sheet (no team policy): what a workbook following a team policy must show."""
    path = build_template(tmp_path / f"ref_{lang}_{round_to:g}.xlsx", lang=lang, sample=30, base_currency="EUR")
    set_settings(path, {"limits.round_to": round_to})
    refresh(path)
    return limits(path)


def test_a_change_in_the_team_source_reaches_every_workbook_and_a_local_setting_shows(teams, tmp_path):
    for name in "abc":
        refresh(teams[name])
    for name, lang in (("a", "en"), ("b", "zh-CN")):
        np.testing.assert_array_equal(limits(teams[name]), reference_limits(tmp_path, lang, 5000))
    # the head office changes the rounding and raises the version
    set_settings(teams["team"], {"limits.round_to": 2000, "team.version": "2"})
    for name in "abc":
        refresh(teams[name])
    for name, lang in (("a", "en"), ("b", "zh-CN")):
        got = limits(teams[name])
        np.testing.assert_array_equal(got, reference_limits(tmp_path, lang, 2000))
        assert not np.array_equal(got, reference_limits(tmp_path, lang, 5000))  # the change shows
    np.testing.assert_array_equal(limits(teams["c"]), reference_limits(tmp_path, "en", 100))  # C keeps 100
    # each Dashboard names the policy and its version; C's lists its local setting
    for name, sheet, version in (("a", "Dashboard", "Version"), ("b", "仪表板", "版本"), ("c", "Dashboard", "Version")):
        pairs = dashboard_pairs(teams[name], sheet)
        assert pairs[version] == "2", name
        assert pairs.get("Team policy", pairs.get("团队政策")) == "Group credit policy"
    local = table(teams["c"], "tblPolicyLocal")
    assert local[1][:3] == ["limits.round_to", "100", "2,000"]
    with FileWorkbook.open(teams["a"], read_only=True) as book:
        assert "tblPolicyLocal" not in book.table_names()


def test_an_unreachable_source_falls_back_to_the_last_copy_with_a_warning(teams, tmp_path):
    refresh(teams["a"])
    teams["team"].rename(teams["team"].with_suffix(".moved.xlsx"))
    refresh(teams["a"])
    np.testing.assert_array_equal(limits(teams["a"]), reference_limits(tmp_path, "en", 5000))  # the copy's
    problems = table(teams["a"], "tblProblems")
    rules = [r[-1] for r in problems[1:] if r[2] == "team.source"]
    assert len(rules) == 1 and "last copy read on" in rules[0]
    status = dashboard_pairs(teams["a"], "Dashboard")["Status"]
    assert status.startswith("source unreachable: last copy read")


def test_an_unreachable_source_without_a_copy_uses_the_workbook_and_says_so(teams, tmp_path):
    teams["team"].unlink()
    refresh(teams["b"])
    rules = [r[-1] for r in table(teams["b"], "tblProblems")[1:] if r[2] == "team.source"]
    assert len(rules) == 1 and "尚无其副本" in rules[0]
    np.testing.assert_array_equal(limits(teams["b"]), reference_limits(tmp_path, "zh-CN", 1000))  # its own


def test_a_team_that_allows_no_local_settings_wins_and_problems_say_so(teams, tmp_path):
    set_settings(teams["team"], {"team.allow_local": "FALSE"})
    refresh(teams["c"])
    np.testing.assert_array_equal(limits(teams["c"]), reference_limits(tmp_path, "en", 5000))
    rules = [r for r in table(teams["c"], "tblProblems")[1:] if r[2] == "limits.round_to"]
    assert len(rules) == 1 and "allows no local settings" in rules[0][-1] and "5,000" in rules[0][-1]
    assert table(teams["c"], "tblPolicyLocal")[1][3] == "team's (local settings not allowed)"


def test_policy_export_and_check(teams, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    team_json = tmp_path / "shared" / "team.json"
    assert cli.main(["policy", "export", str(teams["team"]), str(team_json)], out, err) == 0, err.getvalue()
    assert Policy.from_json(team_json.read_text("utf-8")).limits.round_to == 5000
    # a JSON source is read the same way
    set_settings(teams["a"], {"team.source": str(team_json)})
    refresh(teams["a"])
    np.testing.assert_array_equal(limits(teams["a"]), reference_limits(tmp_path, "en", 5000))
    out = io.StringIO()
    code = cli.main(["policy", "check", str(teams["a"]), str(teams["b"]), str(teams["c"])], out, err)
    text = out.getvalue()
    assert code == 1, text
    assert "c.xlsx: differs from the team policy" in text and "limits.round_to: workbook 100, team 5,000" in text
    assert "a.xlsx: same as the team policy" in text and "b.xlsx: same as the team policy" in text
    assert "1 of 3 workbook(s) differ" in text
    out = io.StringIO()
    assert cli.main(["policy", "check", str(teams["a"]), str(teams["b"])], out, err) == 0, out.getvalue()
    # a source that cannot be read is said, not compared with an old copy
    team_json.unlink()
    out = io.StringIO()
    assert cli.main(["policy", "check", str(teams["a"])], out, err) == 1
    assert out.getvalue().startswith("a.xlsx: cannot be checked: the team policy ") and "last copy" in out.getvalue()
    # --team compares a workbook that names no source
    plain = build_template(tmp_path / "plain.xlsx")
    out = io.StringIO()
    assert cli.main(["policy", "check", str(plain)], out, err) == 1
    assert "plain.xlsx: names no team policy" in out.getvalue()
    out = io.StringIO()
    assert cli.main(["policy", "check", str(plain), "--team", str(teams["team"])], out, err) == 1
    assert "limits.round_to: workbook 1,000, team 5,000" in out.getvalue()
    # in the language asked for
    out = io.StringIO()
    assert cli.main(["--lang", "zh-CN", "policy", "check", str(plain), "--team", str(teams["team"])], out, err) == 1
    assert "1 个工作簿中有 1 个与团队政策不同" in out.getvalue(), out.getvalue()


def test_engine_local_settings_that_name_nothing_are_reported():
    team = Policy.from_dict({"limits": {"round_to": 5000}})
    book = Policy.from_dict({"team": {"local_settings": "limits.round, team.version, language"}})
    applied = apply_team_policy(team, book)
    assert [m.key for m in applied.problems] == ["teams.local_unknown", "teams.local_team_only"]
    assert applied.policy.limits.round_to == 5000 and applied.kept == ()


def test_engine_differences_and_fingerprint_follow_team_settings_only():
    team = Policy.from_dict({"aging": {"bucket_edges": [30, 60, 90]}})
    book = Policy.from_dict({"language": "zh-CN", "as_of": "2026-11-30"})
    assert [d.setting for d in policy_differences(team, book)] == ["aging.bucket_edges"]
    assert fingerprint(book) == fingerprint(Policy()) != fingerprint(team)
