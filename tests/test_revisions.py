"""Revisions: what moved when a year was built again, kept across rebuilds.

Unit level; end to end in test_year_life.py.
"""

from __future__ import annotations

import json

import pandas as pd

from conftest import year_data
from helpers.compute.indicators import write_indicators
from helpers.compute.revisions import (
    LATEST_FILE,
    REVISION_COLUMNS,
    REVISIONS_FILE,
    compare_indicators,
    province_lines,
    read_revisions,
    record_revisions,
    report_revisions,
    with_names,
)
from helpers.paths import ProjectPaths
from helpers.pipeline.plan import MANIFEST, year_inputs
from helpers.publish import review
from helpers.publish.workbook import write_revisions_workbook
from helpers.reference import load_reference
from helpers.reference.catalogue import catalogue

OLD_COLUMNS = ["built_at", "indicator", "agency", "district", "old", "new", "cause"]
"""The columns of a revisions history written before the name columns (issue 20)."""
HND_NAME, TRAINING = "Hội Nông dân tỉnh", "Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề"


def old_rows(*rows) -> pd.DataFrame:
    """Revisions rows given as the codes only (:data:`OLD_COLUMNS`), with the name columns empty."""
    return pd.DataFrame(list(rows), columns=OLD_COLUMNS).reindex(columns=REVISION_COLUMNS, fill_value="")


def indicators(*rows) -> pd.DataFrame:
    """Indicators from (indicator, agency, district, value) tuples."""
    return pd.DataFrame(
        [
            {
                "year": 2023,
                "indicator": i,
                "agency": a,
                "district": d,
                "value": float(v),
                "unit": "buổi",
                "approximate": False,
            }
            for i, a, d, v in rows
        ]
    )


BEFORE = indicators(
    ("training_sessions", "HND", "ALL", 2100),
    ("training_sessions", "HND", "372", 300),
    ("training_sessions", "ALL", "ALL", 4730),
    ("web_articles", "HCCB", "ALL", 12),
)


def built_year(tmp_path) -> ProjectPaths:
    """A data root whose 2023 was built once: raw files, indicators and the build record."""
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    raw = paths.raw_year(2023)
    (raw / "activities").mkdir(parents=True)
    (raw / "activities" / "HND.xlsx").write_bytes(b"first version")
    (raw / "groups.xlsx").write_bytes(b"groups")
    write_indicators(BEFORE, paths.final_processed(2023) / "indicators.csv")
    stages = year_inputs(paths, 2023, "vi", {}).stages
    (paths.final_processed(2023) / MANIFEST).write_text(json.dumps({"stages": stages}), encoding="utf-8")
    return paths


def test_compare_indicators_finds_moved_new_and_gone_values():
    after = indicators(
        ("training_sessions", "HND", "ALL", 2105),
        ("training_sessions", "HND", "372", 300),
        ("training_sessions", "ALL", "ALL", 4735),
        ("htx_count", "ALL", "ALL", 1),
    )
    moved = compare_indicators(BEFORE, after)
    assert moved.values.tolist() == [
        ["training_sessions", "HND", "ALL", "2100", "2105"],
        ["training_sessions", "ALL", "ALL", "4730", "4735"],
        ["htx_count", "ALL", "ALL", "", "1"],
        ["web_articles", "HCCB", "ALL", "12", ""],
    ]
    assert compare_indicators(BEFORE, BEFORE.copy()).empty


def test_a_changed_return_appends_its_moves_and_names_the_file(tmp_path):
    paths = built_year(tmp_path)
    (paths.raw_year(2023) / "activities" / "HND.xlsx").write_bytes(b"second version")
    after = BEFORE.copy()
    after.loc[0, "value"] = 2105
    added = record_revisions(paths, 2023, after, built_at="2024-01-10T09:00:00")
    history = read_revisions(paths.final_processed(2023) / REVISIONS_FILE)
    assert history.values.tolist() == [
        [
            "2024-01-10T09:00:00",
            "training_sessions",
            TRAINING,
            "HND",
            HND_NAME,
            "ALL",
            "Toàn tỉnh",
            "2100",
            "2105",
            "activities/HND.xlsx",
        ]
    ]
    assert added.values.tolist() == history.values.tolist()
    assert read_revisions(paths.final_processed(2023) / LATEST_FILE).values.tolist() == history.values.tolist()


def test_an_unchanged_computation_adds_nothing_and_keeps_the_history(tmp_path):
    paths = built_year(tmp_path)
    earlier = pd.DataFrame(
        [["2024-01-09T08:00:00", "web_articles", "HCCB", "ALL", "10", "12", "activities/HCCB.xlsx"]],
        columns=OLD_COLUMNS,
    )
    earlier.to_csv(paths.final_processed(2023) / REVISIONS_FILE, index=False)  # written before the names
    added = record_revisions(paths, 2023, BEFORE.copy())
    assert added.empty
    kept = read_revisions(paths.final_processed(2023) / REVISIONS_FILE)
    assert kept[OLD_COLUMNS].values.tolist() == earlier.values.tolist()
    assert kept[["indicator_name", "agency_name", "district_name"]].values.tolist() == [
        [catalogue()["web_articles"].name_vi, "Hội Cựu chiến binh tỉnh", "Toàn tỉnh"]
    ]  # the names are filled in from the codes
    assert read_revisions(paths.final_processed(2023) / LATEST_FILE).empty  # the latest build moved nothing


def test_a_staged_build_carries_the_history_and_the_console_shows_the_province_lines(tmp_path):
    paths = built_year(tmp_path)
    earlier = old_rows(["2024-01-09T08:00:00", "web_articles", "HCCB", "ALL", "10", "12", "activities/HCCB.xlsx"])
    earlier.to_csv(paths.final_processed(2023) / REVISIONS_FILE, index=False)
    staged = ProjectPaths(paths.data_root, paths.reports_root, "123-456")
    staged.staging_processed(2023).mkdir(parents=True)  # a staging folder that did not copy the history
    (paths.raw_year(2023) / "activities" / "HCCB.xlsx").write_bytes(b"a late return")
    after = BEFORE.copy()
    after.loc[1, "value"] = 305
    after.loc[2, "value"] = 4735
    record_revisions(staged, 2023, after, built_at="2024-01-10T09:00:00")
    history = read_revisions(staged.staging_processed(2023) / REVISIONS_FILE)
    assert len(history) == 3 and history.iloc[0][OLD_COLUMNS].tolist() == earlier.iloc[0][OLD_COLUMNS].tolist()
    assert set(history.iloc[1:]["cause"]) == {"activities/HCCB.xlsx"}
    said = []
    report_revisions(staged.staging_processed(2023), paths.final_processed(2023), 2023, said.append)
    assert said[0].startswith("[2023] thay đổi so với lần tạo trước (2 giá trị")
    assert said[1] == f"  Toàn tỉnh: {TRAINING} 4.730 → 4.735"
    assert "1 thay đổi theo địa bàn" in said[2]
    said.clear()
    report_revisions(paths.final_processed(2023), paths.final_processed(2023), 2023, said.append)
    assert said == []  # nothing new against itself


def test_province_lines_use_the_vietnamese_number_format():
    rows = old_rows(
        ["t", "training_sessions", "HND", "ALL", "2100", "2105", "x"],
        ["t", "deferred_fertilizer_t", "ALL", "ALL", "5207.5", "", "x"],
        ["t", "htx_count", "ALL", "377", "40", "41", "x"],
    )
    fertilizer = catalogue()["deferred_fertilizer_t"].name_vi
    lines = [f"HND: {TRAINING} 2.100 → 2.105", f"Toàn tỉnh: {fertilizer} 5.207,5 → –"]
    assert province_lines(rows) == lines  # a history without names: the indicator's name from the catalogue
    named = with_names(rows, load_reference(None))
    assert province_lines(named) == [f"{HND_NAME}: {TRAINING} 2.100 → 2.105", lines[1]]


def test_the_review_shows_the_latest_changes_only_when_there_are_some():
    rows = old_rows(
        ["2024-01-10T09:00:00", "training_sessions", "HND", "ALL", "2100", "2105", "activities/HND.xlsx"],
        ["2024-01-10T09:00:00", "training_sessions", "HND", "372", "300", "305", "activities/HND.xlsx"],
    )
    data = year_data(2023, revisions=rows)
    section = review.revisions_html(data)
    assert (
        "Thay đổi so với lần tạo trước" in section
        and "activities/HND.xlsx" in section
        and "2024-01-10 09:00:00" in section
    )
    assert "<td>2.100</td><td>2.105</td>" in section and "1 thay đổi theo từng địa bàn" in section
    data.revisions = rows.iloc[0:0]
    assert review.revisions_html(data) == ""


def test_every_row_has_the_names_of_its_codes_in_the_csv_and_in_the_workbook(tmp_path):
    """revisions.csv: the indicator's, agency's and district's names beside the codes; revisions.xlsx the same."""
    import openpyxl

    paths = built_year(tmp_path)
    (paths.raw_year(2023) / "activities" / "HND.xlsx").write_bytes(b"second version")
    after = BEFORE.copy()
    after.loc[0, "value"], after.loc[1, "value"] = 2105, 301.5
    record_revisions(paths, 2023, after, built_at="2024-01-10T09:00:00")
    processed = paths.final_processed(2023)
    history = read_revisions(processed / REVISIONS_FILE)
    reference = paths.reference()
    districts = {d.code: d.name_vi for d in reference.districts} | {"ALL": "Toàn tỉnh"}
    agencies = {a.code: a.name_vi for a in reference.agencies} | {"ALL": "Tất cả cơ quan"}
    for row in history.itertuples():
        assert row.indicator_name == catalogue()[row.indicator].name_vi
        assert row.agency_name == agencies[row.agency] and row.district_name == districts[row.district]
    assert set(history["district_name"]) == {"Toàn tỉnh", districts["372"]}
    assert list(history.columns[:7]) == [
        "built_at", "indicator", "indicator_name", "agency", "agency_name", "district", "district_name"
    ]  # fmt: skip

    workbook_path = write_revisions_workbook(processed)
    sheet = openpyxl.load_workbook(workbook_path).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Lần tạo", "Chỉ tiêu", "Cơ quan", "Địa bàn", "Trước", "Sau", "Do thay đổi của", "Mã chỉ tiêu", "Mã cơ quan",
        "Mã địa bàn",
    ]  # fmt: skip
    assert rows[1] == [
        "2024-01-10 09:00:00", TRAINING, HND_NAME, "Toàn tỉnh", 2100, 2105, "activities/HND.xlsx",
        "training_sessions", "HND", "ALL",
    ]  # fmt: skip
    assert rows[2][3] == districts["372"] and rows[2][4:6] == [300, 301.5]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J3"
    assert write_revisions_workbook(tmp_path) is None  # no history: no workbook
