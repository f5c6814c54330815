"""A year's life, end to end by the command.

Blank forms → filled returns → review → a re-sent return → revisions → status.
"""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import SAMPLE_RAW, run_cli
from helpers.compute.indicators import read_indicators
from helpers.compute.revisions import LATEST_FILE, REVISIONS_FILE, read_revisions
from helpers.messages import message
from helpers.paths import ProjectPaths
from helpers.pipeline.status import CURRENT, NOT_BUILT, OUTDATED, format_status, year_statuses
from helpers.reference.catalogue import catalogue
from test_blank_forms import FIRST_DATA_ROW, assert_indicators_are_the_typed_numbers, fill_forms, value


def new_data_root(tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    shutil.copy(SAMPLE_RAW.parent / "targets.csv", data / "targets.csv")
    # the shipped programme 2017–2022 only (the sample's hypothetical successor 2023–2027 left out: a year after it)
    lines = (SAMPLE_RAW.parent / "programme.csv").read_text(encoding="utf-8").splitlines()
    (data / "programme.csv").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    return data, tmp_path / "reports"


@pytest.mark.slow
def test_a_year_from_blank_forms_to_a_resent_return(tmp_path):
    data, reports = new_data_root(tmp_path)
    roots = ("--data", str(data), "--reports", str(reports))
    made = run_cli("template", "2023", "--out", str(tmp_path / "forms"), "--data", str(data))
    assert made.returncode == 0, made.stdout + made.stderr
    shutil.copytree(tmp_path / "forms" / "2023", data / "raw" / "2023")
    typed = fill_forms(data / "raw" / "2023")
    before_build = run_cli("status", *roots)
    assert before_build.returncode == 1 and "chưa tạo" in before_build.stdout

    # the first build: exactly the numbers typed, nothing rejected, said once that there is no 2022
    first = run_cli("run", "2023", *roots)
    output = first.stdout + first.stderr
    assert first.returncode == 0, output
    assert output.count("chưa có số liệu năm 2022") == 1
    assert output.count("không thuộc chương trình nào") == 1  # 2023 is after the 2017–2022 programme
    processed = data / "processed" / "2023"
    indicators = read_indicators(processed / "indicators.csv")
    assert_indicators_are_the_typed_numbers(indicators, typed)
    assert pd.read_csv(processed / "rejects.csv").empty
    assert not (processed / REVISIONS_FILE).exists() and read_revisions(processed / LATEST_FILE).empty
    html = (reports / "2023" / "review.html").read_text(encoding="utf-8")
    assert "Sơ kết năm 2023" in html and "2017–2022" not in html and "Thay đổi so với lần tạo trước" not in html
    assert "Chưa có số liệu năm 2022: năm 2023 không được so sánh với năm trước." in html and "Năm 2022" not in html

    # HND sends its return again with one more training session count in its first district
    hnd = data / "raw" / "2023" / "activities" / "HND.xlsx"
    workbook = openpyxl.load_workbook(hnd)
    cell = workbook.worksheets[0].cell(FIRST_DATA_ROW, 3)
    district = workbook.worksheets[0].cell(FIRST_DATA_ROW, 2).value
    old_hnd, old_all = value(indicators, "training_sessions", "HND"), value(indicators, "training_sessions")
    cell.value += 100
    workbook.save(hnd)
    second = run_cli("run", "2023", *roots)
    assert second.returncode == 0, second.stdout + second.stderr
    show = lambda number: f"{int(number):,}".replace(",", ".")  # noqa: E731  Vietnamese thousands
    training = catalogue()["training_sessions"].name_vi  # names where people read, never codes
    assert f"Hội Nông dân tỉnh: {training} {show(old_hnd)} → {show(old_hnd + 100)}" in second.stdout
    assert f"Toàn tỉnh: {training} {show(old_all)} → {show(old_all + 100)}" in second.stdout
    assert (processed / "revisions.xlsx").is_file()
    history = read_revisions(processed / REVISIONS_FILE)
    code = "369" if district == "Thành phố Ninh Bình" else pytest.fail(f"unexpected first district {district}")
    moved = {(r.indicator, r.agency, r.district, float(r.old), float(r.new)) for r in history.itertuples()}
    assert moved == {
        ("training_sessions", "HND", code, cell.value - 100, cell.value),
        ("training_sessions", "HND", "ALL", old_hnd, old_hnd + 100),
        (
            "training_sessions",
            "ALL",
            code,
            value(indicators, "training_sessions", "ALL", code),
            value(indicators, "training_sessions", "ALL", code) + 100,
        ),
        ("training_sessions", "ALL", "ALL", old_all, old_all + 100),
    }
    assert set(history["cause"]) == {"activities/HND.xlsx"} and history["built_at"].nunique() == 1
    html = (reports / "2023" / "review.html").read_text(encoding="utf-8")
    assert "Thay đổi so với lần tạo trước" in html and "activities/HND.xlsx" in html

    # nothing changed: up to date, and even a forced rebuild adds no row (and the review has no such section)
    kept = (processed / REVISIONS_FILE).read_bytes()
    third = run_cli("run", "2023", *roots)
    assert (
        third.returncode == 0
        and message("runner.state_up_to_date") in third.stdout
        and "thay đổi so với lần tạo trước" not in third.stdout
    )
    forced = run_cli("run", "2023", "--force", *roots)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "thay đổi so với lần tạo trước" not in forced.stdout
    assert (processed / REVISIONS_FILE).read_bytes() == kept
    assert "Thay đổi so với lần tạo trước" not in (reports / "2023" / "review.html").read_text(encoding="utf-8")

    # the checklist: everything in, current
    status = run_cli("status", *roots)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "2023" in status.stdout and "mới nhất" in status.stdout


def test_status_of_year_folders(tmp_path):
    """Missing and doubled returns, never built, and a build that is no longer current."""
    import json

    from helpers.pipeline.plan import year_inputs

    data, reports = new_data_root(tmp_path)
    shutil.copytree(SAMPLE_RAW / "2021", data / "raw" / "2021")
    shutil.copytree(SAMPLE_RAW / "2022", data / "raw" / "2022")
    (data / "raw" / "2022" / "groups.xlsx").unlink()
    shutil.copy(
        data / "raw" / "2022" / "activities" / "HND.xlsx", data / "raw" / "2022" / "activities" / "HND_sua.xlsx"
    )
    paths = ProjectPaths(data, reports)
    # 2021 "built" once: its record and outputs as a run leaves them
    processed = paths.final_processed(2021)
    processed.mkdir(parents=True)
    pd.DataFrame({"file": ["a.xlsx", "a.xlsx", "b.xlsx"], "row": [4, 4, 9]}).to_csv(
        processed / "rejects.csv", index=False
    )
    pd.DataFrame({"file": ["x"], "problem": ["p"], "action": ["a"], "severity": ["warning"]}).to_csv(
        processed / "problems.csv", index=False
    )
    (processed / "indicators.csv").write_text(
        "year,indicator,agency,district,value,unit,approximate\n", encoding="utf-8"
    )
    stages = year_inputs(paths, 2021, "vi", {}).stages
    (processed / "build.json").write_text(json.dumps({"stages": stages}), encoding="utf-8")
    (reports / "2021").mkdir(parents=True)
    (reports / "2021" / "review.html").write_text("<html></html>", encoding="utf-8")

    statuses = {s.year: s for s in year_statuses(paths)}
    assert statuses[2021].missing == [] and statuses[2021].rejected_rows == 2 and statuses[2021].unusable_files == 0
    assert statuses[2021].review == CURRENT and statuses[2021].built_at is not None and statuses[2021].is_ready
    assert statuses[2022].missing == ["HND (2 tệp)", "Biểu 03"] and statuses[2022].review == NOT_BUILT
    assert "HND" not in " ".join(statuses[2022].received)
    table = format_status(list(statuses.values()))
    assert "HND (2 tệp), Biểu 03" in table and "mới nhất" in table and "chưa tạo" in table

    (data / "raw" / "2021" / "groups.xlsx").write_bytes((data / "raw" / "2021" / "groups.xlsx").read_bytes() + b"\0")
    changed = {s.year: s for s in year_statuses(paths)}[2021]
    assert changed.review == OUTDATED and any("groups.xlsx đã thay đổi" in r for r in changed.reasons)
    assert "Vì sao cần tạo lại" in format_status([changed]) and not changed.is_ready
