"""Bench: the month-end engines over a large ledger (issue 14): the bad-debt provision with
roll rates estimated over 24 month-ends, and the 13-week cash-collection forecast, on the
synthetic ledger of bench_receivables.py (1,000,000 invoices of 20,000 buyers by default).

    .venv/bin/python bench/bench_month_end.py [--invoices N] [--buyers N]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

from xlcredit.engine.forecast import forecast
from xlcredit.engine.provision import provision

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--buyers", type=int, default=20_000)
    args = parser.parse_args(argv)
    spec = importlib.util.spec_from_file_location("bench_receivables", HERE / "bench_receivables.py")
    assert spec and spec.loader
    rx = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = rx
    spec.loader.exec_module(rx)
    ledger = rx.make_ledger(args.invoices, args.buyers)
    for name, run in (("provision (24 month-ends of roll rates)", lambda: provision(ledger, rx.AS_OF, rx.POLICY)),
                      ("forecast (13 weeks)", lambda: forecast(ledger, rx.AS_OF, rx.POLICY))):
        start = time.perf_counter()
        run()
        print(f"{name}: {time.perf_counter() - start:.2f} s for {len(ledger):,} invoices")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
