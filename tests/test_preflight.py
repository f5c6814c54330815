"""One rule for every table the analyst edits: located, checked before anything is built, exit code 2."""

from __future__ import annotations

import shutil

import pytest

from conftest import SAMPLE_RAW
from helpers.compute.targets import TargetsError
from helpers.errors import (
    CatalogueError,
    CoopReviewError,
    FileProblem,
    ParameterError,
    WriteFailure,
    exit_code,
)
from helpers.paths import ProjectPaths
from helpers.pipeline.preflight import check_edited_tables
from helpers.pipeline.runner import run_years

TARGETS_HEADER = "indicator,period,basis,target_low,target_high,source\n"
PROGRAMME_HEADER = "name_vi,name_en,first_year,last_year,targets_file\n"
CORRECTIONS_HEADER = "year,agency,district,column,action,value,guard,reason\n"


@pytest.fixture
def data_root(tmp_path):
    """A data root with the 2017 sample returns and the shipped programme and targets."""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_RAW / "2017", data / "raw" / "2017")
    shutil.copy(SAMPLE_RAW.parent / "targets.csv", data / "targets.csv")
    shutil.copy(SAMPLE_RAW.parent / "programme.csv", data / "programme.csv")
    return data


def paths_of(data) -> ProjectPaths:
    return ProjectPaths.from_roots(str(data), str(data.parent / "reports"))


def test_the_shipped_tables_are_usable(data_root):
    assert check_edited_tables(paths_of(data_root), [2017]) == []


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("targets.csv", TARGETS_HEADER + "htx_new,2018-2023,yearly,20,25,x\n", "targets.csv › dòng 2 › basis"),
        ("targets.csv", "indicator,period\nhtx_new,2018\n", "targets.csv"),
        ("programme.csv", PROGRAMME_HEADER + "X,,2017,22,targets.csv\n", "programme.csv › dòng 2 › last_year"),
        ("programme.csv", PROGRAMME_HEADER + "X,,2017,2022,muc_tieu.csv\n", "programme.csv › dòng 2 › targets_file"),
        ("corrections.csv", CORRECTIONS_HEADER + "hai nghìn,HND,373,x,set,1,,r\n", "corrections.csv › dòng 2"),
    ],
)
def test_each_table_the_analyst_edits_is_located_and_exits_2(data_root, name, text, where):
    (data_root / name).write_text(text, encoding="utf-8")
    problems = check_edited_tables(paths_of(data_root), [2017])
    assert len(problems) == 1 and str(problems[0]).startswith(where), problems
    assert isinstance(problems[0], FileProblem) and problems[0].action  # says what to do
    assert exit_code(problems[0]) == 2


def test_a_run_on_an_unusable_table_builds_nothing(data_root):
    (data_root / "targets.csv").write_text(TARGETS_HEADER + "htx_neu,2018,per_year,1,,x\n", encoding="utf-8")
    said: list[str] = []
    summary = run_years([2017], paths_of(data_root), say=said.append)
    assert summary.exit_code == 2 and summary.table_problems
    assert any("targets.csv › dòng 2 › indicator" in line for line in said)
    assert not (data_root / "processed").exists() and not (data_root.parent / "reports").exists()


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (FileProblem("a.xlsx", "p", "a"), 2),
        (TargetsError("targets.csv › dòng 2", "targets.no_bound"), 2),
        (ParameterError("year"), 2),
        (WriteFailure("reports", "read-only", "a"), 1),
        (CatalogueError("differ"), 1),
        (RuntimeError("bug"), 1),
    ],
)
def test_one_exit_code_rule(error, code):
    assert exit_code(error) == code


def test_targets_errors_are_file_problems():
    """The targets table is in the same family as corrections and programme tables (it once was a ValueError)."""
    assert issubclass(TargetsError, FileProblem) and issubclass(TargetsError, CoopReviewError)


def test_a_data_roots_own_district_table_is_checked_too(data_root):
    (data_root / "reference").mkdir()
    (data_root / "reference" / "district_aliases.csv").write_text(
        "district_code,alias\n376,Kim Sơn\n377,KIM SON\n", encoding="utf-8"
    )
    problems = check_edited_tables(paths_of(data_root), [2017])
    assert len(problems) == 1 and "district_aliases.csv" in str(problems[0]) and exit_code(problems[0]) == 2


@pytest.mark.parametrize("name", ["targets.csv", "corrections.csv", "programme.csv"])
def test_an_edited_table_saved_in_the_windows_code_page_is_refused_with_how_to_save_it(data_root, name):
    """Excel's plain "CSV" on Vietnamese Windows is cp1258: never guessed at, a located problem (was a traceback)."""
    (data_root / name).write_bytes("indicator,ghi chú\nhtx_new,Nông dân\n".encode("cp1258"))
    problems = check_edited_tables(paths_of(data_root), [2017])
    assert len(problems) == 1 and str(problems[0]).startswith(f"{name}: ") and "CSV UTF-8" in problems[0].action
    assert exit_code(problems[0]) == 2


def test_an_edited_table_with_a_row_longer_than_its_header_is_located(data_root):
    (data_root / "targets.csv").write_text(TARGETS_HEADER + "htx_new,2018,per_year,20,25,x,1,2\n", encoding="utf-8")
    [problem] = check_edited_tables(paths_of(data_root), [2017])
    assert str(problem).startswith("targets.csv › dòng 2: dòng có 8 ô") and "ngoặc kép" in problem.action
