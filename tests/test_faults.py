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


# -- case 10: a long rejects table is cut for the review, never silently -----------------------


def year_data(rejects, approximate=None, lang="vi"):
    import pandas as pd

    from helpers import review

    empty = pd.DataFrame()
    return review.YearData(
        year=2017, indicators=empty, history=empty, changes=empty, cumulative=empty, cross_checks=empty, targets=empty,
        ledger=empty, rejects=rejects, totals=empty,
        approximate=approximate if approximate is not None else pd.DataFrame(columns=["file", "sheet", "row", "column", "as_typed", "value"]),
        ignored=empty, problems=empty, corrections=empty, is_sample=False, lang=lang,
    )  # fmt: skip


def generated_rejects(commune_rows: int, register_rows: int):
    import pandas as pd

    activities = pd.DataFrame(
        {"file": "activities/HND.xlsx", "sheet": "Biểu 01", "row": range(6, 6 + commune_rows), "column": "Đơn vị",
         "value": [f"Xã {i}" for i in range(commune_rows)], "reason": "not a district — write one of the known units"}
    )  # fmt: skip
    register = pd.DataFrame(
        {"file": "cooperatives.xlsx", "sheet": "Sheet1", "row": range(10, 10 + register_rows), "column": "Số thành viên",
         "value": "nhiều", "reason": "'nhiều' is not a number — type a whole number"}
    )  # fmt: skip
    return pd.concat([activities, register], ignore_index=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_long_rejects_table_shows_its_first_rows_and_says_where_the_rest_are(lang):
    from helpers import review

    data = year_data(generated_rejects(100_000, 20), lang=lang)
    table = review.rejects_table(data)
    html = review.styled(table, data.t("cap_rejects")).to_html()
    assert len(table) == review.REVIEW_TABLE_ROWS
    assert html.count("cooperatives.xlsx") >= 20  # the register's rejects are all there
    assert html.count("<tr>") == review.REVIEW_TABLE_ROWS + 1  # header and every row kept: Styler cut nothing
    assert "trim" not in html  # pandas marks the rows or columns it leaves out with *_trim classes
    more = {"vi": "99.520", "en": "99,520"}[lang]
    assert more in html and "rejects.csv" in html and "activities/HND.xlsx" in html.split("not-shown", 1)[1]


def test_a_short_rejects_table_is_shown_whole():
    from helpers import review

    data = year_data(generated_rejects(30, 3))
    table = review.rejects_table(data)
    assert len(table) == 33 and review.NOT_SHOWN not in table.attrs
    assert "not-shown" not in review.styled(table, "x").to_html()


def test_fair_rows_gives_every_file_a_share():
    import pandas as pd

    from helpers.review import fair_rows

    table = pd.DataFrame({"file": ["a"] * 100 + ["b"] * 3 + ["c"] * 50})
    kept = table[fair_rows(table, 30)]["file"].value_counts().to_dict()
    assert kept == {"a": 14, "b": 3, "c": 13} or kept == {"a": 13, "b": 3, "c": 14}
    assert fair_rows(table, 1000).all()


def test_any_table_too_big_for_the_styler_is_cut_with_a_sentence():
    import pandas as pd

    from helpers import review

    table = pd.DataFrame({"a": range(300_000), "b": 1})
    html = review.styled(table, "Bảng").to_html()
    assert "trim" not in html and "not-shown" in html and "300.000" in html


# -- case 11: folders that are almost a year are named, with how to rename them ---------------


def test_near_miss_year_folders_are_found(tmp_path):
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    for name in ("2017 ", "2017-bis", "Năm 2019", "２０２０", "2018", ".2016-old", "notes", "20170"):
        (paths.raw_root / name).mkdir(parents=True)
    (paths.raw_root / "2021.zip").write_bytes(b"")  # a file, not a folder
    found = {near.path.name: (near.year, near.has_year_folder) for near in paths.near_miss_year_folders()}
    assert found == {"2017 ": (2017, False), "2017-bis": (2017, False), "Năm 2019": (2019, False), "２０２０": (2020, False)}
    (paths.raw_root / "2017").mkdir()
    notes = {near.path.name: near.note for near in paths.near_miss_year_folders()}
    assert "'2017 '" in notes["2017 "] and "move the returns it holds into that folder" in notes["2017 "]
    assert "rename it to '2019'" in notes["Năm 2019"]
    assert paths.available_years() == [2017, 2018]


def test_running_a_year_whose_folder_has_a_trailing_space_names_that_folder(tmp_path):
    from conftest import run_cli

    data = tmp_path / "data"
    (data / "raw" / "2017 ").mkdir(parents=True)
    (data / "raw" / "2016-bis").mkdir()
    result = run_cli("run", "2017", "--data", str(data), "--reports", str(tmp_path / "reports"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    problem = next(line for line in result.stdout.splitlines() if line.startswith("  2017 ›"))
    assert "'2017 '" in problem and "rename it to '2017'" in problem
    notes = result.stdout.split("Notes (1):", 1)[1]  # in the summary
    assert "'2016-bis'" in notes and "rename it to '2016'" in notes


def test_run_all_names_near_miss_folders(tmp_path):
    from conftest import run_cli

    data = tmp_path / "data"
    (data / "raw" / "Năm 2017").mkdir(parents=True)
    result = run_cli("run", "--all", "--data", str(data), "--reports", str(tmp_path / "reports"))
    assert result.returncode == 2 and "'Năm 2017'" in result.stderr and "rename it to '2017'" in result.stderr
    (data / "raw" / "2017").mkdir()
    (data / "raw" / "2017-bis").mkdir()
    result = run_cli("run", "--all", "--dry-run", "--data", str(data), "--reports", str(tmp_path / "reports"))
    assert result.returncode == 0
    assert "note: the folder '2017-bis'" in result.stdout and "note: the folder 'Năm 2017'" in result.stdout
