"""The programme and its period are data (``programme.csv``): a successor programme is a row, not code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import year_data
from helpers.compute.indicators import write_indicators
from helpers.compute.programme import (
    cumulative_start,
    programme_fingerprint,
    programme_for,
    read_programmes,
    targets_file_for,
    targets_hash,
    year_notes,
)
from helpers.errors import FileProblem
from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT, ProjectPaths

HEADER = "name_vi,name_en,first_year,last_year,targets_file\n"
FIRST = "Chương trình phối hợp phát triển kinh tế tập thể tỉnh Ninh Bình,Coordination programme,2017,2022,targets.csv\n"
SUCCESSOR = "Chương trình phối hợp giai đoạn mới,Successor programme,2023,2027,targets_2023.csv\n"
TARGETS = "indicator,period,basis,target_low,target_high,source\n"


def data_root(tmp_path: Path, programme: str | None = HEADER + FIRST + SUCCESSOR) -> ProjectPaths:
    (tmp_path / "raw").mkdir(parents=True, exist_ok=True)
    (tmp_path / "targets.csv").write_text(TARGETS + "htx_new,2018-2023,per_year,20,25,old\n", encoding="utf-8")
    (tmp_path / "targets_2023.csv").write_text(TARGETS + "htx_new,2023-2027,per_year,30,35,new\n", encoding="utf-8")
    if programme is not None:
        (tmp_path / "programme.csv").write_text(programme, encoding="utf-8")
    return ProjectPaths(tmp_path, tmp_path / "reports")


def test_shipped_programme_table_is_the_2017_2022_programme():
    programme, successor = read_programmes(PROJECT_ROOT / "data" / "programme.csv")
    assert (programme.first_year, programme.last_year, programme.targets_file) == (2017, 2022, "targets.csv")
    assert programme.period == "2017–2022" and programme.name_vi.startswith("Chương trình phối hợp")
    # the hypothetical successor of the sample (synthetic years 2023–2026), without targets
    assert (successor.first_year, successor.last_year, successor.targets_file) == (2023, 2027, "")
    assert "giả định" in successor.name_vi and "hypothetical" in successor.name_en


def test_a_successor_programme_is_a_row(tmp_path):
    paths = data_root(tmp_path)
    assert programme_for(paths, 2022).first_year == 2017
    assert programme_for(paths, 2023).name_en == "Successor programme"
    assert cumulative_start(paths, 2022, 2017) == 2017
    assert cumulative_start(paths, 2025, 2017) == 2023  # cumulative totals restart with the new programme
    assert targets_file_for(paths, 2022) == tmp_path / "targets.csv"
    assert targets_file_for(paths, 2023) == tmp_path / "targets_2023.csv"


def test_a_year_outside_every_programme_is_reviewed_on_its_own(tmp_path):
    paths = data_root(tmp_path, HEADER + FIRST)
    assert programme_for(paths, 2023) is None
    assert cumulative_start(paths, 2023, 2017) == 2023
    assert targets_file_for(paths, 2023) == tmp_path / "targets.csv"  # the standing targets table
    [note] = year_notes(paths, 2023, {2022, 2023})
    assert "không thuộc chương trình nào" in note and "programme.csv" in note


def test_no_programme_table_is_one_open_period(tmp_path):
    paths = data_root(tmp_path, None)
    assert programme_for(paths, 2030) is None
    assert cumulative_start(paths, 2030, 2019) == 2019
    assert targets_file_for(paths, 2030) == tmp_path / "targets.csv"
    assert year_notes(paths, 2030, {2029, 2030}) == []


def test_a_year_without_its_previous_year_is_said_once(tmp_path):
    paths = data_root(tmp_path)
    [note] = year_notes(paths, 2023, {2023, 2024})
    assert note.startswith("[2023]") and "2022" in note and "không có phần so sánh với năm trước" in note
    assert year_notes(paths, 2024, {2023, 2024}) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("name_vi,first_year,last_year\nX,2017,2022\n", "thiếu các cột name_en, targets_file"),
        (HEADER + "X,,2017,22,targets.csv\n", "dòng 2 › last_year: '22' không phải là năm"),
        (HEADER + "X,,2022,2017,targets.csv\n", "dòng 2: first_year 2022 sau last_year 2017"),
        (HEADER + ",,2017,2022,targets.csv\n", "dòng 2 › name_vi"),
        (HEADER + FIRST + "Y,,2022,2025,\n", "dòng 3: giai đoạn 2022–2025 trùng với dòng 2 (2017–2022)"),
        (HEADER + "X,,2017,2022,../targets.csv\n", "dòng 2 › targets_file"),
    ],
)
def test_bad_programme_rows_are_located(tmp_path, text, fragment):
    path = tmp_path / "programme.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileProblem) as error:
        read_programmes(path)
    assert fragment in str(error.value)


def test_a_programme_naming_a_missing_targets_file_is_an_error(tmp_path):
    paths = data_root(tmp_path, HEADER + "X,,2017,2022,muc_tieu.csv\n")
    with pytest.raises(FileProblem) as error:
        targets_file_for(paths, 2020)
    assert "programme.csv › dòng 2 › targets_file" in str(error.value) and "muc_tieu.csv" in str(error.value)
    assert targets_hash(paths, 2020).startswith("unusable:")


def test_only_the_years_of_a_changed_programme_are_rebuilt(tmp_path):
    from helpers.pipeline.plan import year_inputs

    paths = data_root(tmp_path)
    before = {year: year_inputs(paths, year, "vi", {}).stages["3"] for year in (2022, 2023)}
    (tmp_path / "programme.csv").write_text(HEADER + FIRST + SUCCESSOR.replace("2027", "2030"), encoding="utf-8")
    (tmp_path / "targets_2023.csv").write_text(TARGETS, encoding="utf-8")
    after = {year: year_inputs(paths, year, "vi", {}).stages["3"] for year in (2022, 2023)}
    assert after[2022] == before[2022]
    assert after[2023]["programme"] != before[2023]["programme"] and after[2023]["targets"] != before[2023]["targets"]
    assert programme_fingerprint(paths, 2023) != programme_fingerprint(paths, 2022)


def _indicators(year: int, htx_new: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "year": year,
                "indicator": "htx_new",
                "agency": "ALL",
                "district": "ALL",
                "value": htx_new,
                "unit": "HTX",
                "approximate": False,
            }
        ]
    )


def test_compare_years_follows_the_programme_of_the_year(tmp_path):
    from helpers.compute.years import compare_years

    paths = data_root(tmp_path)
    for year, value in ((2021, 40), (2022, 45), (2023, 31)):
        write_indicators(_indicators(year, value), paths.processed_year(year) / "indicators.csv")
    tables = compare_years(paths, 2023)
    row = tables["cumulative.csv"].set_index("indicator").loc["htx_new"]
    assert (row["from_year"], row["total"]) == (2023, 31)  # not added to the 2017–2022 programme's years
    [target] = tables["targets_progress.csv"].itertuples()
    assert (target.target_low, target.status) == (30, "met")  # the successor's targets file
    row = compare_years(paths, 2022)["cumulative.csv"].set_index("indicator").loc["htx_new"]
    assert (row["from_year"], row["total"]) == (2017, 85)


def _year_data(year: int, programme) -> object:
    return year_data(
        year, problems=pd.DataFrame(columns=["file", "problem", "action", "severity"]), programme=programme
    )


def test_review_title_names_the_programme_of_the_year_only(tmp_path):
    from helpers.publish import review

    paths = data_root(tmp_path, HEADER + FIRST)
    header_2022 = review.header_html(_year_data(2022, programme_for(paths, 2022)))
    # the programme's last year: the review is the tổng kết of the period
    final = "Tổng kết giai đoạn 2017–2022 — Chương trình phối hợp phát triển kinh tế tập thể tỉnh Ninh Bình"
    assert final in header_2022
    assert "giai đoạn 2017–2022" in header_2022
    header_2023 = review.header_html(_year_data(2023, programme_for(paths, 2023)))
    assert "Sơ kết năm 2023" in header_2023 and "2017–2022" not in header_2023


PERIOD = re.compile(r"20\d\d\s*[–-]\s*20\d\d|PROGRAMME_START")


def test_no_programme_period_is_written_in_code():
    """The period lives in programme.csv: no '2017–2022' in the package, its templates or the notebooks."""
    sources = [
        p for p in (PROJECT_ROOT / "src" / "helpers").rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".json")
    ]
    found = []
    for path in sources:
        found += [f"{path.name}: {m}" for m in PERIOD.findall(path.read_text(encoding="utf-8"))]
    for path in NOTEBOOKS_DIR.glob("*.ipynb"):
        book = json.loads(path.read_text(encoding="utf-8"))
        found += [f"{path.name}: {m}" for cell in book["cells"] for m in PERIOD.findall("".join(cell["source"]))]
    allowed = {"targets.py", "programme.py"}  # docstrings and messages giving examples of the format of a period
    assert [f for f in found if f.split(":")[0] not in allowed] == []


def test_a_year_without_previous_year_has_no_comparison_columns():
    from helpers.publish import review

    history = pd.DataFrame(
        [
            {
                "year": y,
                "indicator": "htx_count",
                "agency": "ALL",
                "district": "ALL",
                "value": v,
                "unit": "HTX",
                "approximate": False,
            }
            for y, v in ((2022, 498), (2023, 510))
        ]
    )
    data = _year_data(2023, None)
    data.indicators, data.history = history[history["year"] == 2023], history[history["year"] == 2023]
    data.changes = pd.DataFrame(
        [
            {
                "indicator": "htx_count",
                "year": 2023,
                "value": 510.0,
                "previous_value": None,
                "change": None,
                "change_pct": None,
                "approximate": False,
            }
        ]
    )
    data.cumulative = pd.DataFrame(
        [
            {
                "indicator": "htx_new",
                "from_year": 2023,
                "to_year": 2023,
                "total": 3.0,
                "years_reported": 1,
                "years_missing": "",
                "approximate": False,
            }
        ]
    )
    assert list(review.headline_table(data).columns) == [
        "Chỉ tiêu",
        "Đơn vị tính",
        "Năm 2023",
    ]  # the one column order of every comparison table
    assert "không được so sánh với năm trước" in review.changes_view(data).data
    assert "chưa có tổng qua nhiều năm" in review.cumulative_view(data).data
    data.history = history  # 2022 is there: the comparison columns and tables come back
    data.cumulative = data.cumulative.assign(from_year=2017)
    assert "Năm 2022" in review.headline_table(data).columns
    from pandas.io.formats.style import Styler

    assert isinstance(review.changes_view(data), Styler) and isinstance(review.cumulative_view(data), Styler)


def test_index_page_names_each_programme_and_its_period(tmp_path):
    from helpers.publish.index_page import build_index

    page = build_index(data_root(tmp_path))
    assert "Chương trình phối hợp phát triển kinh tế tập thể tỉnh Ninh Bình — giai đoạn 2017–2022" in page
    assert "Chương trình phối hợp giai đoạn mới — giai đoạn 2023–2027" in page
    assert "2017–2022" not in build_index(data_root(tmp_path / "none", None))
