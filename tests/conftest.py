"""Shared fixtures: paths to the real data in ../shared/data and a LibreOffice harness."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from real_data import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The project's real data sets (not shipped); skip when this checkout has none beside it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def libreoffice() -> Iterator[object]:
    """A headless LibreOffice with xlcredit's functions bridged into Calc (tests/lo)."""
    from lo.harness import LibreOffice, available

    reason = available()
    if reason:
        pytest.skip(reason)
    office = LibreOffice()
    try:
        yield office
    finally:
        office.close()

# The LibreOffice harness runs under LibreOffice's own Python (with ``uno``), not pytest's.
collect_ignore = ["lo/driver.py", "lo/bridge_template.py"]
