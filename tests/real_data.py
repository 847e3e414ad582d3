"""Where the project's real data sets are (not shipped): ``XLCREDIT_SHARED_DATA`` if set, else
``../shared/data`` beside the checkout, else one level further up (a git worktree such as
``/work/wt/NAME`` beside ``/work/shared``). One lookup for every test that reads them."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _find() -> Path:
    env = os.environ.get("XLCREDIT_SHARED_DATA")
    if env:
        return Path(env)
    for base in (ROOT.parent, ROOT.parents[1]):
        if (base / "shared" / "data").is_dir():
            return base / "shared" / "data"
    return ROOT.parent / "shared" / "data"


#: The folder of the real data sets (it may not exist: tests using it skip, saying where they looked).
SHARED_DATA = _find()
#: The real receivables ledger (2,466 invoices).
LEDGER_CSV = SHARED_DATA / "ar_ledger_sample" / "invoices.csv"
#: The Polish company-bankruptcy data set.
BANKRUPTCY = SHARED_DATA / "polish_bankruptcy"
