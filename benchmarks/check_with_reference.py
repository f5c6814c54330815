#!/usr/bin/env python3
"""Run ``coop-review check`` on a generated data root with ITS district tables.

The pipeline reads the district tables shipped in ``helpers/reference_data``;
a root written by ``make_national_returns.py`` has its own in ``DIR/reference``.
This script swaps them in (in memory, for this process only; nothing is
written) and runs ``coop-review check DIR/raw/<year>``, then prints the time.

Usage::

    python benchmarks/check_with_reference.py DIR YEAR
"""

from __future__ import annotations

import csv
import sys
import time
import unicodedata
from pathlib import Path

import helpers.reference as reference
from helpers.cli import main as coop_review


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    root, year = Path(args[0]), args[1]
    shipped = reference.read_reference_table

    def read_table(name: str) -> list[dict[str, str]]:
        if name in ("districts.csv", "district_aliases.csv"):
            with open(root / "reference" / name, encoding="utf-8", newline="") as f:
                return [{k: unicodedata.normalize("NFC", v).strip() for k, v in row.items()}
                        for row in csv.DictReader(f)]
        return shipped(name)

    reference.read_reference_table = read_table
    t0 = time.perf_counter()
    rc = coop_review(["check", str(root / "raw" / year)])
    print(f"exit {rc} in {time.perf_counter() - t0:.1f} s")
    return rc


if __name__ == "__main__":
    sys.exit(main())
