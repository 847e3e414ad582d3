"""Group exposure (issue 16, item 4, "Done when"): three team workbooks built from the sample
(overlapping buyers, different base currencies, one buyer under another ID with the same tax
ID, one under another ID with its name spelt differently, planted conflicts) combine into a
group view whose totals equal the sum of the teams' figures, with the planted conflicts
listed.

The team figures are computed here independently of ``combine``: each team's workbook is
refreshed with ``xlcredit refresh`` and its Buyers sheet (Exposure and Overdue columns, as
refresh wrote them) read back, converted at the rates of the group workbook's FX table."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from xlcredit.cli import main
from xlcredit.engine.group import normalise_name
from xlcredit.messages import text
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.group_book import GROUP_LIMITS_TABLE, GROUP_MATCHES_TABLE
from xlcredit.workbook.policy_sheet import load_policy
from xlcredit.workbook.port import TableEdit
from xlcredit.workbook.sample import SAMPLE_AS_OF, sample_buyers, sample_invoices
from xlcredit.workbook.schema import BUYERS, parse_table
from xlcredit.workbook.templates import build_template

SEED = 2026
#: Each team's share of the 24 sample buyers (by position) and its base currency.
TEAMS = {"north.xlsx": (range(0, 14), "EUR"), "south.xlsx": (range(8, 20), "USD"),
         "asia.xlsx": (range(12, 24), "CNY")}
TAX_ID_BUYER, NAME_BUYER = "C0017", "C0020"  # found in Asia under other IDs
LIMIT_BUYER, BAND_BUYER, BLOCKED_BUYER = "C0011", "C0013", "C0010"


def _team_frames() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    buyers = sample_buyers(24, SEED)
    invoices = sample_invoices(buyers, SEED, SAMPLE_AS_OF)
    out = {}
    for name, (positions, _ccy) in TEAMS.items():
        b = buyers.iloc[list(positions)].copy().reset_index(drop=True)
        i = invoices[invoices["buyer_id"].isin(b["buyer_id"])].copy().reset_index(drop=True)
        b["tax_id"] = None
        out[name] = (b, i)
    north, south, asia = (out[n][0] for n in TEAMS)
    # the same VAT number, typed two ways, under two IDs (and another name)
    south.loc[south["buyer_id"] == TAX_ID_BUYER, "tax_id"] = "DE 811 222 333"
    renamed = {TAX_ID_BUYER: "AS-017", NAME_BUYER: "AS-020"}
    asia.loc[asia["buyer_id"] == TAX_ID_BUYER, ["tax_id", "name"]] = ["de811.222.333", "Orion Holding AG"]
    name = asia.loc[asia["buyer_id"] == NAME_BUYER, "name"].iloc[0]
    spelt = name.replace("GmbH", "G.m.b.H.").upper()  # "VANTAGE TRADING G.M.B.H."
    assert spelt.casefold() != name.casefold() and normalise_name([spelt])[0] == normalise_name([name])[0]
    asia.loc[asia["buyer_id"] == NAME_BUYER, "name"] = spelt
    asia["buyer_id"] = asia["buyer_id"].replace(renamed)
    out["asia.xlsx"][1]["buyer_id"] = out["asia.xlsx"][1]["buyer_id"].replace(renamed)
    # different limits (same currency, the buyer's), a worse band in one team, blocked in one team
    north.loc[north["buyer_id"] == LIMIT_BUYER, "current_limit"] = 50_000.0
    south.loc[south["buyer_id"] == LIMIT_BUYER, "current_limit"] = 80_000.0
    worse = asia["buyer_id"] == BAND_BUYER
    asia.loc[worse, ["defaults_12m", "negative_news", "management_changes_12m"]] = [4, "Y", 3]
    asia.loc[worse, "total_liabilities"] = asia.loc[worse, "total_assets"] * 1.4
    north.loc[north["buyer_id"] == BLOCKED_BUYER, ["override_decision", "override_expiry", "override_by"]] = [
        "suspend", dt.date(2027, 6, 30), "CFO"]
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _table(path: Path, name: str) -> pd.DataFrame:
    with FileWorkbook.open(path, read_only=True) as book:
        raw = book.read_table(name)
    return pd.DataFrame(raw.rows, columns=raw.header, dtype=object)


def _refreshed_buyers(path: Path) -> pd.DataFrame:
    """A team's Buyers sheet as its refresh wrote it (inputs and outputs, canonical names)."""
    with FileWorkbook.open(path, read_only=True) as book:
        raw = book.read_table(BUYERS.name)
    return parse_table(raw.header, raw.rows, BUYERS, outputs=True).frame


@pytest.fixture(scope="module")
def teams(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("teams")
    paths = {}
    for name, (b, i) in _team_frames().items():
        path = build_template(folder / name, sample=len(b), base_currency=TEAMS[name][1], buyers=b, invoices=i)
        assert main(["refresh", str(path)]) == 0
        paths[name] = path
    return paths


def _expected(teams: dict[str, Path], group: Path, mapping: dict[str, str]) -> pd.DataFrame:
    """Exposure and overdue per group buyer from each team's refreshed Buyers sheet."""
    with FileWorkbook.open(group, read_only=True) as book:
        policy, _ = load_policy(book)
    parts = []
    for name, path in teams.items():
        f = _refreshed_buyers(path)
        rate = policy.fx_rate(TEAMS[name][1])
        assert rate is not None
        parts.append(pd.DataFrame({"group_id": f["buyer_id"].replace(mapping),
                                   "exposure": f["exposure"].astype(float) * rate,
                                   "overdue": f["overdue"].astype(float) * rate}))
    return pd.concat(parts).groupby("group_id").sum()


def _group_buyers(group: Path, lang: str = "en") -> pd.DataFrame:
    f = _table(group, "tblGroupBuyers")
    ccy = "EUR"
    return pd.DataFrame({
        "exposure": f[text("group.h_exposure", lang, ccy=ccy)].astype(float).to_numpy(),
        "overdue": f[text("group.h_overdue", lang, ccy=ccy)].astype(float).to_numpy(),
        "group_limit": f[text("group.h_group_limit", lang, ccy=ccy)].astype(float).to_numpy(),
        "basis": f[text("group.h_limit_basis", lang)].to_numpy(),
        "teams": f[text("group.h_teams", lang)].to_numpy(),
    }, index=f[text("group.h_group_id", lang)].to_numpy())


def _conflicts(group: Path) -> set[tuple[str, str]]:
    f = _table(group, "tblGroupConflicts")
    return {(g, k) for g, k in zip(f["Group buyer ID"], f["Conflict"], strict=True) if g is not None}


def test_three_teams_combine_into_group_totals_with_conflicts(teams: dict[str, Path], tmp_path: Path) -> None:
    before = {n: _digest(p) for n, p in teams.items()}
    group = tmp_path / "group.xlsx"
    assert main(["combine", *map(str, teams.values()), "--output", str(group), "--base-currency", "EUR"]) == 0
    assert {n: _digest(p) for n, p in teams.items()} == before  # the teams' workbooks are only read

    # the planted conflicts are there as the teams' refreshes show them
    bands = {n: _refreshed_buyers(p).set_index("buyer_id")["band"] for n, p in teams.items()}
    assert bands["asia.xlsx"][BAND_BUYER] != bands["north.xlsx"][BAND_BUYER]  # the plant took
    conflicts = _conflicts(group)
    assert {(LIMIT_BUYER, "different limits"), (BAND_BUYER, "different risk bands"),
            (BLOCKED_BUYER, "blocked in some teams only")} <= conflicts
    # the only limit typed in two teams is the planted one; a buyer in one team cannot conflict
    assert {g for g, k in conflicts if k == "different limits"} == {LIMIT_BUYER}
    assert not {g for g, _ in conflicts} & {"C0001", "C0024"}

    # nothing merged on a guess: the tax-ID and name matches wait for confirmation
    matches = _table(group, GROUP_MATCHES_TABLE)
    pairs = {(a, b): by for a, b, by in zip(matches["Buyer ID"], matches["Other buyer ID"], matches["Matched by"],
                                           strict=True)}
    assert pairs[("AS-017", TAX_ID_BUYER)] == "same tax ID"
    assert pairs[("AS-020", NAME_BUYER)] == "same name"
    got = _group_buyers(group)
    want = _expected(teams, group, {})
    assert "AS-017" in got.index and "AS-020" in got.index
    assert sorted(got.index) == sorted(want.index)
    np.testing.assert_allclose(got.loc[want.index, "exposure"], want["exposure"], atol=0.006)
    np.testing.assert_allclose(got.loc[want.index, "overdue"], want["overdue"], atol=0.006)
    assert got.loc[LIMIT_BUYER, "teams"] == 2 and got.loc[BAND_BUYER, "teams"] == 3

    # head office confirms both matches, types a group limit and changes a rate of the group policy
    answer = text("group.h_confirm", "en")
    rows = {i: {answer: "Yes"} for i, (a, _b) in enumerate(zip(matches["Buyer ID"], matches["Other buyer ID"],
                                                               strict=True)) if a in ("AS-017", "AS-020")}
    with FileWorkbook.open(group) as book:
        book.edit_table(GROUP_MATCHES_TABLE, TableEdit(updates=rows))
        book.edit_table(GROUP_LIMITS_TABLE, TableEdit(updates={0: {"Group buyer ID": LIMIT_BUYER,
                                                                   "Group limit": 123_456.0}}))
        fx = book.read_table("tblFX")
        usd = [r[0] for r in fx.rows].index("USD")
        book.edit_table("tblFX", TableEdit(updates={usd: {fx.header[1]: 0.95}}))
        book.save()
    notes = openpyxl.load_workbook(group)  # and a sheet of its own, saved by another program
    notes.create_sheet("My notes")["A1"] = "call Orion's CFO"
    notes.save(group)
    assert main(["combine", *map(str, teams.values()), "--output", str(group)]) == 0
    with FileWorkbook.open(group, read_only=True) as book:
        policy, _ = load_policy(book)
    assert policy.fx_rate("USD") == 0.95  # the group policy the user changed is kept and used
    assert openpyxl.load_workbook(group)["My notes"]["A1"].value == "call Orion's CFO"

    got = _group_buyers(group)
    want = _expected(teams, group, {"AS-017": TAX_ID_BUYER, "AS-020": NAME_BUYER})
    assert sorted(got.index) == sorted(want.index)
    np.testing.assert_allclose(got.loc[want.index, "exposure"], want["exposure"], atol=0.006)
    np.testing.assert_allclose(got.loc[want.index, "overdue"], want["overdue"], atol=0.006)
    assert got["exposure"].sum() == pytest.approx(want["exposure"].sum(), abs=0.05)
    assert got.loc[TAX_ID_BUYER, "teams"] == 2 and got.loc[NAME_BUYER, "teams"] == 2
    assert (got.loc[LIMIT_BUYER, "group_limit"], got.loc[LIMIT_BUYER, "basis"]) == (
        123_456.0, "set on the sheet Group limits")
    status = _table(group, GROUP_MATCHES_TABLE)
    assert set(status.loc[status["Buyer ID"].isin(["AS-017", "AS-020"]), "Status"]) == {"merged"}
    assert {(LIMIT_BUYER, "different limits"), (BAND_BUYER, "different risk bands"),
            (BLOCKED_BUYER, "blocked in some teams only")} <= _conflicts(group)


def test_a_bad_workbook_is_named_and_the_others_go_on(teams: dict[str, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "west.xlsx"
    bad.write_bytes(b"not a workbook")
    group = tmp_path / "group.xlsx"
    code = main(["combine", str(teams["north.xlsx"]), str(bad), str(teams["south.xlsx"]), "--output", str(group)])
    out = capsys.readouterr().out
    assert code == 5  # WorkbookError: the nightly job notices
    assert "west.xlsx" in out and "left out of the group view" in out and "Combined 2 of 3 workbooks" in out
    books = _table(group, "tblGroupWorkbooks")
    assert books["Status"].tolist()[1].startswith("left out: ")
    assert books["Status"].tolist()[0] == books["Status"].tolist()[2] == "read"


def test_a_team_currency_without_a_group_rate_is_left_out(teams: dict[str, Path], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    group = tmp_path / "group.xlsx"
    assert main(["combine", str(teams["north.xlsx"]), "--output", str(group), "--base-currency", "JPY"]) != 0
    err = capsys.readouterr().err
    assert "north.xlsx" in err and "no FX rate for EUR" in err
    assert not group.exists()  # nothing to add up: nothing written


def test_chinese_labels_and_no_guessing_on_the_same_id(teams: dict[str, Path], tmp_path: Path) -> None:
    group = tmp_path / "集团.xlsx"
    assert main(["combine", str(teams["north.xlsx"]), str(teams["asia.xlsx"]), "--output", str(group),
                 "--lang", "zh-CN"]) == 0
    with FileWorkbook.open(group, read_only=True) as book:
        names = book.sheet_names()
    assert names[:5] == ["集团客户", "分部明细", "待确认匹配", "信用冲突", "团队工作簿"]
    assert names[5:] == ["集团信用政策", "集团信用额度"]
    # the sheets are named in the group policy's language: another --lang later is refused
    assert main(["combine", str(teams["north.xlsx"]), "--output", str(group), "--lang", "en"]) == 3


def test_the_same_id_under_two_names_is_listed() -> None:
    from xlcredit.engine.group import group_conflicts

    rows = pd.DataFrame({"group_id": ["C1", "C1"], "buyer_id": ["C1", "C1"], "team": ["a", "b"],
                         "name": ["Acme GmbH", "Zenith Ltd"], "band": ["A", "A"], "blocked": [False, False],
                         "limit_ccy": ["EUR", "EUR"], "limit_own": [np.nan, np.nan]})
    assert group_conflicts(rows)["kind"].tolist() == ["name"]
    assert normalise_name(["Acme GmbH"])[0] != normalise_name(["Zenith Ltd"])[0]


def test_an_answer_neither_yes_nor_no_is_named_and_merges_nothing(teams: dict[str, Path], tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    group = tmp_path / "group.xlsx"
    books = [str(teams["south.xlsx"]), str(teams["asia.xlsx"])]
    assert main(["combine", *books, "--output", str(group), "--base-currency", "EUR"]) == 0
    matches = _table(group, GROUP_MATCHES_TABLE)
    row = matches["Buyer ID"].tolist().index("AS-017")
    with FileWorkbook.open(group) as book:
        book.edit_table(GROUP_MATCHES_TABLE, TableEdit(updates={row: {text("group.h_confirm", "en"): "maybe"}}))
        book.save()
    capsys.readouterr()
    assert main(["combine", *books, "--output", str(group)]) == 0
    assert "'maybe'" in capsys.readouterr().out
    assert {"AS-017", TAX_ID_BUYER} <= set(_group_buyers(group).index)  # still apart
