"""A reject says what it removed, and the run's summary counts the rejected rows (issue 20).

"Dòng bị loại (1 ô)" said a cell when one bad cell removed the whole row and
every value in it; the summary said "đã tạo" and nothing about the rows that
were left out.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import activity_rows, write_xlsx
from helpers.clean.outputs import rejects_table
from helpers.clean.year import clean_year
from helpers.messages import message
from helpers.paths import ProjectPaths
from helpers.pipeline.check import check_path
from helpers.pipeline.runner import RunSummary, YearOutcome, _finished, print_summary, shown_path
from helpers.read.ledger import removed_words
from helpers.reference import load_reference
from helpers.tables import REJECTS, columns_of

SHIPPED = load_reference(None)


def test_the_words_of_what_a_reject_removed():
    assert removed_words(11) == "cả dòng — 11 giá trị — không được tính"
    assert removed_words(1) == "cả dòng — 1 giá trị — không được tính"
    assert removed_words(0) == removed_words(float("nan")) == removed_words(None) == "cả dòng — không được tính"
    assert removed_words(11, "en") == "the whole row — 11 values — not counted"


def test_one_bad_cell_removes_every_value_of_its_row_and_the_reject_says_how_many(tmp_path):
    """A row of three values with one bad cell: its reject counts the three (not the STT, not the district)."""
    folder = tmp_path / "raw" / "2017"
    rows = activity_rows([1, "Kim Sơn", 3, "nhiều", 5], [2, "Yên Mô", 2, 25, None], [3, "Nho Quan", "abc", None, None])
    write_xlsx(folder / "activities" / "HND.xlsx", rows)
    result = clean_year(folder, 2017, reference=SHIPPED)
    rejects = rejects_table(result)
    assert rejects[["row", "unit", "row_values"]].values.tolist() == [[5, "Kim Sơn", 3], [7, "Nho Quan", 1]]
    assert list(rejects.columns) == list(columns_of(REJECTS))
    removed = [r.removed for read in result.reads for r in read.rejects]
    assert removed == ["cả dòng — 3 giá trị — không được tính", "cả dòng — 1 giá trị — không được tính"]


def test_check_says_rows_and_what_each_reject_removed(tmp_path, capsys):
    folder = tmp_path / "raw" / "2017"
    path = write_xlsx(folder / "activities" / "HND.xlsx", activity_rows([1, "Kim Sơn", "nhiều", "x"]))
    assert check_path(path) == 1
    out = capsys.readouterr().out
    assert "Dòng bị loại (1 dòng, 1 ô sai; mỗi dòng bị loại cả dòng, không giá trị nào của dòng được tính):" in out
    assert "dòng 5 (Kim Sơn)" in out and "— cả dòng — 2 giá trị — không được tính" in out
    assert "(1 ô)" not in out


def rejects_csv(folder, *rows) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        [[file, "01", row, "Kim Sơn", "Số buổi", "x", "lý do", 3] for file, row in rows], columns=columns_of(REJECTS)
    ).to_csv(folder / REJECTS, index=False)


def test_the_summary_counts_rejected_rows_and_says_where_the_workbook_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    # five rejected rows, one of them with two bad cells: five rows, six lines
    rows = [("activities/HND.xlsx", 5), ("activities/HND.xlsx", 5), ("activities/HND.xlsx", 9)]
    rejects_csv(paths.final_processed(2022), *rows, ("cooperatives.xlsx", 12), ("cooperatives.xlsx", 40), ("g.csv", 3))
    rejects_csv(paths.final_processed(2021), ("activities/HND.xlsx", 5))
    paths.final_processed(2020).mkdir(parents=True)
    outcomes = [
        _finished(YearOutcome(2022, stages_run=[1, 2, 3, 4], stage_seconds={1: 10.0, 2: 5.8, 3: 10.0, 4: 20.0}), paths),
        _finished(YearOutcome(2021, stages_run=[4], stage_seconds={4: 3.0}), paths),
        _finished(YearOutcome(2020), paths),
    ]
    assert [o.rejected_rows for o in outcomes] == [5, 1, 0]
    said: list[str] = []
    print_summary(RunSummary(outcomes=outcomes, seconds=48.8), said.append)
    workbook = shown_path(paths.final_processed(2022) / "rejects.xlsx")
    assert workbook == str(pd.io.common.Path("data", "processed", "2022", "rejects.xlsx"))  # relative: under cwd
    assert f"  2022: đã tạo (bước 1–4, 45,8 s) — 5 dòng bị loại → {workbook}" in said
    assert any(line.startswith("  2021: đã tạo (bước 4–4, 3 s) — 1 dòng bị loại → ") for line in said)
    assert "  2020: không có gì thay đổi" in said  # no rejects: nothing added
    english: list[str] = []
    print_summary(RunSummary(outcomes=outcomes[1:2], seconds=3.0, lang="en"), english.append)
    assert any(
        line.endswith(" — 1 row rejected → " + shown_path(paths.final_processed(2021) / "rejects.xlsx"))
        for line in english
    )


def test_a_path_not_under_the_working_folder_is_shown_in_full(tmp_path, monkeypatch):
    """As on Windows with the data on another drive (no relative path exists)."""
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    elsewhere = tmp_path / "other" / "processed" / "2022" / "rejects.xlsx"
    assert shown_path(elsewhere) == str(elsewhere)


@pytest.mark.parametrize("key", ["reject.removed", "reject.removed_one", "reject.removed_none", "runner.rejected_rows"])
def test_the_words_are_in_the_catalogue_in_both_languages(key):
    assert message(key, "vi", count=2, rows=2, path="p") != message(key, "en", count=2, rows=2, path="p")
