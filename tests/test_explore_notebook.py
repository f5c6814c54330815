"""05_explore.ipynb and explore.history() over built years: the sample's six years, the suite's own build, none."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpers import explore
from helpers.compute.indicators import write_indicators
from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from helpers.reference.catalogue import catalogue
from helpers.tables import INDICATORS

NOTEBOOK = NOTEBOOKS_DIR / "05_explore.ipynb"


@pytest.fixture(scope="module")
def sample_root(sample_results, tmp_path_factory):
    """A data root holding the indicators of every sample year (what stage 2 writes) and its shipped sample returns."""
    root = tmp_path_factory.mktemp("explored") / "data"
    (root / "raw").mkdir(parents=True)
    for year, (_, indicators) in sample_results.items():
        shutil.copytree(PROJECT_ROOT / "data" / "raw" / str(year), root / "raw" / str(year))
        write_indicators(indicators, root / "processed" / str(year) / INDICATORS)
    return root


def test_history_of_the_sample_has_every_year_with_vietnamese_names(sample_root, sample_results, sample_years):
    data = explore.history(sample_root)
    assert sorted(set(data["year"])) == sample_years
    assert len(data) == sum(len(indicators) for _, indicators in sample_results.values())
    names = {indicator.id: indicator.name_vi for indicator in catalogue().values()}
    assert (data["indicator_name"] == data["indicator"].map(names)).all()
    assert not data[["agency_name", "district_name", "section", "unit"]].isin(["", None]).any().any()
    assert "Hội Nông dân tỉnh" in set(data["agency_name"]) and "Gia Viễn" in set(data["district_name"])
    assert data.attrs["sample"] is True
    moved = data.groupby("year")["territory_changed"].agg(["all", "any"])
    assert moved.loc[2025].all() and not moved.drop(index=2025)["any"].any()  # only 2025 follows a reform
    gia_vien = data[(data["indicator"] == "htx_new") & (data["district"] == "373") & (data["year"] == 2018)]
    computed = sample_results[2018][1]
    expected = computed[(computed["indicator"] == "htx_new") & (computed["district"] == "373")]["value"]
    assert gia_vien["value"].tolist() == expected.tolist()
    only = explore.history(sample_root, years=[2018, 2019, 2031])
    assert sorted(set(only["year"])) == [2018, 2019]
    with pytest.raises(explore.NothingBuilt, match="các năm đã tính: 2017"):
        explore.history(sample_root, years=[2031])


def test_the_two_questions_of_the_guide_in_one_line_each(sample_root):
    """docs/kham-pha.md: training attendance of the Farmers' Union by district, and who lags on new cooperatives."""
    attendance = explore.series(
        "training_attendance", "district", agency="HND", first_year=2017, last_year=2022, data_root=sample_root
    )
    assert list(attendance.table.columns) == [2017, 2018, 2019, 2020, 2021, 2022]
    assert len(attendance.table) == 8 and attendance.figure.axes[0].get_lines()
    lagging = explore.ranking("Số HTX thành lập mới trong năm", first_year=2017, last_year=2022, data_root=sample_root)
    with pytest.raises(explore.AcrossAReform, match="2017–2024, 2025–2026"):
        explore.ranking("Số HTX thành lập mới trong năm", data_root=sample_root)
    assert lagging.table["below_median"].any() and lagging.table["rank"].iloc[0] == 1


def run_papermill(tmp_path, **parameters):
    import nbformat
    import papermill

    out = tmp_path / "explored.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters=parameters, kernel_name="python3", progress_bar=False, cwd=str(tmp_path)
    )
    return nbformat.read(out, as_version=4)


def outputs(book, mime: str) -> list[str]:
    return [
        output.get("data", {}).get(mime, "")
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if mime in output.get("data", {})
    ]


@pytest.mark.slow
def test_the_notebook_runs_with_papermill_with_parameters_and_draws_its_charts(sample_root, tmp_path):
    book = run_papermill(
        tmp_path,
        indicator="Số HTX thành lập mới trong năm",
        agency="",
        district="",
        first_year=2018,
        last_year=2021,
        data_root=str(sample_root),
    )
    assert len(outputs(book, "image/png")) == 3  # series by district, ranking, changes (no breakdown by agency)
    text = "".join(outputs(book, "text/html"))
    assert "Số HTX thành lập mới trong năm" in text and "2018–2021" in text and "Gia Viễn" in text
    assert "không có số liệu" in text.lower()  # section B has no breakdown by agency: said, not failed
    assert not list((sample_root / "processed").glob("*/*.xlsx")) and not (sample_root.parent / "reports").exists()


@pytest.mark.slow
def test_the_notebook_with_nothing_built_says_what_to_run(tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    book = run_papermill(tmp_path, data_root=str(tmp_path / "data"))
    text = "".join(outputs(book, "text/html"))
    assert "coop-review run --all" in text and not outputs(book, "image/png")


def run_nbval(data_root) -> subprocess.CompletedProcess:
    """``pytest --nbval-lax`` on the notebook, in place, as ``make nbval`` runs it, with ``data_root`` as its data."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--noconftest",  # the project's conftest would give the notebook a scratch data root
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            "-q",
            "--nbval-lax",
            str(NOTEBOOK),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=str(PROJECT_ROOT),
        env=os.environ | {"COOP_REVIEW_DATA": str(data_root)},
    )


@pytest.mark.slow
def test_the_notebook_passes_nbval_against_the_suites_own_build(built_copy):
    done = run_nbval(built_copy / "data")
    assert done.returncode == 0, done.stdout + done.stderr
    cells = sum(1 for line in NOTEBOOK.read_text(encoding="utf-8").splitlines() if '"cell_type": "code"' in line)
    assert f"{cells} passed" in done.stdout
    assert sorted(p.name for p in (built_copy / "reports").iterdir() if p.is_file()) == ["all_years.xlsx", "index.html"]


@pytest.mark.slow
def test_the_notebook_passes_nbval_with_nothing_built(tmp_path):
    (tmp_path / "raw").mkdir()
    done = run_nbval(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / "processed").exists()
