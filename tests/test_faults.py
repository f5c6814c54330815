"""Faults of issue 8 outside the reading rules: links, write failures, orphan workers, long tables, near-miss folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.paths import ProjectPaths


def symlink_or_skip(target: Path, link: Path) -> None:
    """Make a symbolic link, or skip where the system refuses (Windows without the privilege)."""
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"cannot make symbolic links here: {error}")


# -- case 7: linked folders and files are followed when judging what changed ----------------


def test_an_edit_behind_a_linked_activities_folder_rebuilds_the_year(tmp_path):
    from helpers.plan import plan_year, write_manifest, year_inputs

    shared = tmp_path / "shared drive" / "activities"
    shared.mkdir(parents=True)
    (shared / "HND.csv").write_text("Đơn vị,Số buổi tập huấn\nH. Kim Sơn,12\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "groups.csv").write_text("Đơn vị,Số THT\nH. Kim Sơn,3\n", encoding="utf-8")
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    year_folder = paths.raw_year(2017)
    year_folder.mkdir(parents=True)
    symlink_or_skip(shared, year_folder / "activities")
    symlink_or_skip(tmp_path / "elsewhere" / "groups.csv", year_folder / "groups.csv")
    symlink_or_skip(year_folder, shared / "loop")  # a loop of links must not hang the walk

    built = year_inputs(paths, 2017, "vi", {})
    assert "raw/activities/HND.csv" in built.stages["1"] and "raw/groups.csv" in built.stages["1"]
    write_manifest(paths.final_processed(2017), built.stages)
    (paths.final_processed(2017) / "indicators.csv").write_text("year\n", encoding="utf-8")
    (paths.final_reports(2017)).mkdir(parents=True)
    (paths.final_reports(2017) / "review.html").write_text("<p>", encoding="utf-8")
    assert plan_year(paths, year_inputs(paths, 2017, "vi", {}), "vi", False).stages == []  # up to date

    (shared / "HND.csv").write_text("Đơn vị,Số buổi tập huấn\nH. Kim Sơn,13\n", encoding="utf-8")
    plan = plan_year(paths, year_inputs(paths, 2017, "vi", {}), "vi", False)
    assert plan.stages == [1, 2, 3, 4] and plan.reasons == ["raw/activities/HND.csv changed"]

    (tmp_path / "elsewhere" / "groups.csv").write_text("Đơn vị,Số THT\nH. Kim Sơn,4\n", encoding="utf-8")
    assert "raw/groups.csv changed" in plan_year(paths, year_inputs(paths, 2017, "vi", {}), "vi", False).reasons


def test_a_broken_link_counts_as_a_change(tmp_path):
    from helpers.plan import BROKEN_LINK, folder_hashes

    target = tmp_path / "HND.xlsx"
    target.write_bytes(b"x")
    (tmp_path / "year").mkdir()
    symlink_or_skip(target, tmp_path / "year" / "HND.xlsx")
    before = folder_hashes(tmp_path / "year", "raw")
    target.unlink()
    after = folder_hashes(tmp_path / "year", "raw")
    assert after == {"raw/HND.xlsx": BROKEN_LINK} and after != before
