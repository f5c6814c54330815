"""The hand-over the guides describe (docs/huong-dan.md, section 12): the whole ``data/`` folder is copied.

The revisions history lives in ``data/processed/<year>/`` (not in Git), beside
the build record it is judged against. A data folder copied to another place
— another machine, another analyst, a restored backup — keeps its history, and
the next rebuild adds to it, naming only the files that really changed there.
Copying only the returns loses the history: that is why the guides say to
copy the whole folder.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd

from helpers.compute.indicators import write_indicators
from helpers.compute.revisions import REVISIONS_FILE, read_revisions, record_revisions
from helpers.paths import ProjectPaths
from helpers.pipeline.plan import MANIFEST, year_inputs

YEAR = 2023


def indicators(sessions: float, articles: float) -> pd.DataFrame:
    """A year's indicators with two province values."""
    rows = [("training_sessions", "buổi", sessions), ("web_articles", "tin, bài", articles)]
    return pd.DataFrame(
        [
            {
                "year": YEAR,
                "indicator": indicator,
                "agency": "ALL",
                "district": "ALL",
                "value": float(value),
                "unit": unit,
                "approximate": False,
            }
            for indicator, unit, value in rows
        ]
    )


def complete_build(paths: ProjectPaths, table: pd.DataFrame) -> None:
    """What a complete build leaves in ``processed/<year>/``: the indicators and the record of its inputs."""
    write_indicators(table, paths.final_processed(YEAR) / "indicators.csv")
    stages = year_inputs(paths, YEAR, "vi", {}).stages
    (paths.final_processed(YEAR) / MANIFEST).write_text(json.dumps({"stages": stages}), encoding="utf-8")


def rebuild(paths: ProjectPaths, table: pd.DataFrame, built_at: str) -> pd.DataFrame:
    """A rebuild of the year in place: record what moved, then complete the build. Returns the rows added."""
    added = record_revisions(paths, YEAR, table, built_at=built_at)
    complete_build(paths, table)
    return added


def first_analyst(root) -> ProjectPaths:
    """A data folder whose 2023 was built, then rebuilt after HND sent a corrected return."""
    paths = ProjectPaths(root / "data", root / "reports")
    activities = paths.raw_year(YEAR) / "activities"
    activities.mkdir(parents=True)
    (activities / "HND.xlsx").write_bytes(b"HND, first version")
    (activities / "HCCB.xlsx").write_bytes(b"HCCB, first version")
    complete_build(paths, indicators(4730, 12))
    (activities / "HND.xlsx").write_bytes(b"HND, corrected")
    assert len(rebuild(paths, indicators(4735, 12), "2024-01-10T09:00:00")) == 1
    return paths


def test_a_data_folder_copied_elsewhere_keeps_its_history_and_adds_to_it(tmp_path):
    before = first_analyst(tmp_path / "first")
    history = read_revisions(before.final_processed(YEAR) / REVISIONS_FILE)
    assert len(history) == 1 and set(history["cause"]) == {"activities/HND.xlsx"}

    shutil.copytree(before.data_root, tmp_path / "next" / "data")  # the hand-over: the whole data/ folder
    after = ProjectPaths(tmp_path / "next" / "data", tmp_path / "next" / "reports")
    (after.raw_year(YEAR) / "activities" / "HCCB.xlsx").write_bytes(b"HCCB, corrected")
    added = rebuild(after, indicators(4735, 14), "2024-01-20T15:00:00")

    kept = read_revisions(after.final_processed(YEAR) / REVISIONS_FILE)
    assert len(added) == 1 and len(kept) == 2
    assert kept.iloc[0].tolist() == history.iloc[0].tolist()  # the first analyst's row, as it was
    # the build record travelled with it (paths relative to the data folder): only HCCB's return is named
    assert set(added["cause"]) == {"activities/HCCB.xlsx"}


def test_copying_only_the_returns_loses_the_history(tmp_path):
    """Why the guides say to copy the whole folder: without processed/, nothing is compared and nothing is kept."""
    before = first_analyst(tmp_path / "first")
    shutil.copytree(before.raw_root, tmp_path / "next" / "data" / "raw")
    after = ProjectPaths(tmp_path / "next" / "data", tmp_path / "next" / "reports")
    added = record_revisions(after, YEAR, indicators(4735, 14), built_at="2024-01-20T15:00:00")
    assert added.empty
    assert read_revisions(after.final_processed(YEAR) / REVISIONS_FILE).empty
