"""Rewrite the golden indicator files of the sample years: tests/golden/<year>/indicators.csv.

Run after a deliberate change of the reading rules, the indicators or the
sample data, then read the diff (git diff tests/golden) before committing:
the golden files are what the tests hold the pipeline to.

    python scripts/update_golden.py
"""

from __future__ import annotations

import json

from helpers.clean.outputs import activities_table, groups_table, register_table
from helpers.clean.year import clean_year
from helpers.compute.indicators import compute_indicators, write_indicators
from helpers.paths import PROJECT_ROOT, ProjectPaths


def main() -> None:
    """Rewrite tests/golden/<year>/indicators.csv from the sample returns, with the shipped reference tables."""
    paths = ProjectPaths.from_roots(PROJECT_ROOT / "data", PROJECT_ROOT / "reports")
    # the sample years (as the generator wrote them), not a year an analyst added to data/raw/
    expectations = json.loads(
        (PROJECT_ROOT / "tests" / "data" / "sample_expectations.json").read_text(encoding="utf-8")
    )
    for year in sorted(int(y) for y in expectations):
        reference = paths.reference()
        cleaned = clean_year(paths.raw_year(year), year, reference=reference)
        indicators = compute_indicators(
            activities_table(cleaned), register_table(cleaned), groups_table(cleaned), year, reference=reference
        )
        target = PROJECT_ROOT / "tests" / "golden" / str(year) / "indicators.csv"
        write_indicators(indicators, target)
        print(f"{target.relative_to(PROJECT_ROOT)}: {len(indicators)} rows")


if __name__ == "__main__":
    main()
