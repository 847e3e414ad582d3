"""The file adapter reads a table's cells only when they are asked for (issue 17, memory):
flagging the buyers needs the header and the number of rows, not a second read of a sheet
of millions of cells; a table read before a write still gives the cells as they were (a
damaged sheet read when asked for: tests/test_reading_large.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlcredit import macros
from xlcredit.macros.buyers import flag_high_risk, refresh_buyers
from xlcredit.workbook import templates
from xlcredit.workbook.files import FileWorkbook
from xlcredit.workbook.port import ColumnWrite
from xlcredit.workbook.schema import BUYERS


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return templates.build_template(tmp_path_factory.mktemp("lazy") / "book.xlsx", sample=40)


def test_flagging_reads_the_size_of_the_buyers_table_not_its_cells(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FileWorkbook.open(book, output=tmp_path / "out.xlsx") as wb:
        run = macros.run._open(wb)
        refresh_buyers(wb, _run=run)
        reads: list[str] = []
        real = FileWorkbook._read_grid

        def counted(self: FileWorkbook, info: object, written: object) -> object:
            reads.append(getattr(info, "name", ""))
            return real(self, info, written)  # type: ignore[arg-type]

        monkeypatch.setattr(FileWorkbook, "_read_grid", counted)
        flag_high_risk(wb, _run=run)
        assert reads == []
        raw = wb.read_table(BUYERS.name)  # asked for: read now
        assert raw.n_rows == 40 and reads == []
        assert len(raw.rows) == 40 and reads == [BUYERS.name]


def test_a_table_read_before_a_write_gives_the_cells_as_they_were(book: Path, tmp_path: Path) -> None:
    with FileWorkbook.open(book, output=tmp_path / "out.xlsx") as wb:
        refresh_buyers(wb)
        before = wb.read_table(BUYERS.name)  # not read yet
        at = before.header.index("Action")
        wb.write_columns(BUYERS.name, [ColumnWrite("Action", ["changed"] * before.n_rows)])
        after = wb.read_table(BUYERS.name)
        assert {row[at] for row in after.rows} == {"changed"}
        assert "changed" not in {row[at] for row in before.rows}
        wb.save()  # the cells spliced twice: deflated, inflated for the second write, deflated
    with FileWorkbook.open(tmp_path / "out.xlsx", read_only=True) as saved:
        assert {row[at] for row in saved.read_table(BUYERS.name).rows} == {"changed"}

