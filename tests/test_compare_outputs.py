"""The cell comparison of ``bench/compare_outputs.py`` (issue 17's "outputs identical"
check): it must see every difference, down to a float's last bit, and skip only the cells
it is told to. No refresh is run here (the bench itself does that)."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compare() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compare_outputs", ROOT / "bench" / "compare_outputs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_docstring_examples_hold(compare: ModuleType) -> None:
    assert doctest.testmod(compare).failed == 0


def test_identical_grids_compare_every_cell(compare: ModuleType) -> None:
    grid: list[list[object]] = [["Buyer", "Score", "Due"], ["C1", 71.5, dt.date(2026, 11, 30)], ["C2", 3, True]]
    diff = compare.compare_cells(grid, [list(r) for r in grid], compare.SheetDiff("Aging"))
    assert (diff.compared, diff.different, diff.identical) == (9, 0, True)


def test_a_float_differing_in_its_last_bit_is_a_difference(compare: ModuleType) -> None:
    old = [["Exposure"], [27932.2672]]
    nudged = 27932.2672 * (1 + 2**-52)
    diff = compare.compare_cells(old, [["Exposure"], [nudged]], compare.SheetDiff("Buyers"), origin=(0, 44))
    assert nudged != 27932.2672 and diff.different == 1 and not diff.identical
    assert diff.shown == [("AS2", 27932.2672, nudged)]
    assert 0 < diff.float_gap < 1e-15


@pytest.mark.parametrize(("old", "new"), [("1", 1.0), (True, 1.0), (dt.date(2026, 1, 1), "2026-01-01"),
                                          ("", 0.0), ("Open", "open")])
def test_a_value_of_another_type_or_text_is_a_difference(compare: ModuleType, old: object, new: object) -> None:
    diff = compare.compare_cells([[old]], [[new]], compare.SheetDiff("S"))
    assert diff.different == 1


def test_a_row_or_column_only_one_side_has_counts(compare: ModuleType) -> None:
    diff = compare.compare_cells([["a"]], [["a", "b"], ["", 2.0]], compare.SheetDiff("S"))
    assert diff.compared == 4
    assert diff.shown == [("B1", "", "b"), ("B2", "", 2.0)]


def test_only_the_first_ten_differences_are_shown_all_are_counted(compare: ModuleType) -> None:
    diff = compare.compare_cells([[float(i)] for i in range(25)], [[i + 0.5] for i in range(25)],
                                 compare.SheetDiff("S"))
    assert (diff.different, len(diff.shown), diff.shown[0][0], diff.shown[-1][0]) == (25, 10, "A1", "A10")


def test_only_the_cell_right_of_a_volatile_label_is_skipped_and_listed(compare: ModuleType) -> None:
    old = [["Team policy"], ["Read at", "2026-12-07 09:00"], ["Source", "team.json"]]
    new = [["Team policy"], ["Read at", "2026-12-07 09:05"], ["Source", "other.json"]]
    skip = compare.volatile_cells([old, new], ["Read at"])
    diff = compare.compare_cells(old, new, compare.SheetDiff("Team policy"), skip=skip)
    assert diff.skipped == ["B2"]
    assert diff.shown == [("B3", "team.json", "other.json")]  # the rest is still compared


def test_a_column_or_sheet_only_one_run_has_is_not_identical(compare: ModuleType) -> None:
    diff = compare.SheetDiff("Forecast")
    diff.notes.append("only the new output has this sheet")
    assert not diff.identical
