"""Samples are samples, real data is real (issue 20).

A year is labelled synthetic sample data when any of its files is a shipped
sample file byte for byte (``data/raw/sample-files.csv``, written by the
generator), and the label names the files; a year whose files the analyst
added or saved again is never labelled.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLE_RAW, run_cli, shipped_sample_years
from helpers.paths import ProjectPaths
from helpers.pipeline.plan import SAMPLE_FILES_INPUT, year_inputs
from helpers.samples import (
    SAMPLE_MANIFEST,
    read_sample_manifest,
    sample_label,
    write_sample_manifest,
    year_files,
)

SAMPLE_WORDS = re.compile("dữ liệu mẫu", re.IGNORECASE)


def resave(folder: Path) -> None:
    """Save every return of a folder again, as an analyst's Excel would: same content, new bytes."""
    for path in year_files(folder):
        if path.suffix == ".xlsx":
            workbook = openpyxl.load_workbook(path)
            workbook.properties.lastModifiedBy = "analyst"
            workbook.save(path)
        else:  # a CSV: read as it is and saved again as "CSV UTF-8" (BOM, CRLF)
            data = path.read_bytes()
            for encoding in ("utf-8-sig", "utf-16", "cp1258"):
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            path.write_bytes("\ufeff".encode() + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))


def test_the_committed_manifest_is_every_sample_file_as_checked_out():
    """Every file of every sample year is recorded with the sha256 of its bytes (CRLF CSVs kept by .gitattributes)."""
    recorded = read_sample_manifest(SAMPLE_RAW / SAMPLE_MANIFEST)
    on_disk = {
        path.relative_to(SAMPLE_RAW).as_posix()
        for year in shipped_sample_years()
        for path in year_files(SAMPLE_RAW / str(year))
    }
    assert set(recorded) == on_disk
    for year in shipped_sample_years():
        label = sample_label(SAMPLE_RAW, year)
        assert label.is_sample and len(label.files) == label.total == len(year_files(SAMPLE_RAW / str(year)))
    crlf = [name for name in recorded if name.endswith(".csv") and b"\r\n" in (SAMPLE_RAW / name).read_bytes()]
    assert crlf, "the samples include a CRLF CSV, and its recorded hash is of those bytes"


def test_the_generators_manifest_is_what_the_package_reads(tmp_path):
    """The generator writes the manifest with the standard library only; the package reads it, and writes the same."""
    spec = importlib.util.spec_from_file_location(
        "make_sample_returns", SAMPLE_RAW.parents[1] / "scripts" / "make_sample_returns.py"
    )
    generator = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample_returns", generator)
    spec.loader.exec_module(generator)
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "2019", raw / "2019")
    generator.write_sample_manifest(raw, [2019])
    written = (raw / SAMPLE_MANIFEST).read_bytes()
    assert read_sample_manifest(raw / SAMPLE_MANIFEST) == {
        name: digest
        for name, digest in read_sample_manifest(SAMPLE_RAW / SAMPLE_MANIFEST).items()
        if name.startswith("2019/")
    }
    write_sample_manifest(raw, [2019])
    assert (raw / SAMPLE_MANIFEST).read_bytes() == written and b"\r" not in written


def test_a_year_the_analyst_saved_again_is_not_a_sample_and_a_copy_still_is(tmp_path):
    raw = tmp_path / "data" / "raw"
    shutil.copytree(SAMPLE_RAW / "2019", raw / "2019")  # an exact copy in another data root: still the samples
    shutil.copytree(SAMPLE_RAW / "2021", raw / "2023")
    resave(raw / "2023")
    assert sample_label(raw, 2019).files == tuple(
        f"2019/{path.relative_to(raw / '2019').as_posix()}" for path in year_files(raw / "2019")
    )
    assert not sample_label(raw, 2023).is_sample and sample_label(raw, 2023).text("review") == ""


def test_the_label_names_the_sample_files_of_a_year_that_mixes_them(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "2017", raw / "2017")
    resave(raw / "2017" / "activities")  # the analyst's own Biểu 01 returns; the sample register and THT kept
    label = sample_label(raw, 2017)
    assert label.files == ("2017/cooperatives.xlsx", "2017/groups.xlsx") and label.total == 6
    assert label.text("review") == (
        "Có dữ liệu mẫu tổng hợp — không phải số liệu thật của các cơ quan: 2017/cooperatives.xlsx, "
        "2017/groups.xlsx là tệp mẫu đi kèm dự án."
    )
    everything = sample_label(SAMPLE_RAW, 2017)
    assert "cả 6 tệp báo cáo của năm 2017 là tệp mẫu" in everything.text("review")
    assert "all 6 returns of 2017" in everything.text("docx", "en")


def test_the_review_is_rebuilt_when_the_label_changes(tmp_path):
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    shutil.copytree(SAMPLE_RAW / "2018", paths.raw_year(2018))
    before = year_inputs(paths, 2018, "vi", {}).stages["4:vi"][SAMPLE_FILES_INPUT]
    resave(paths.raw_year(2018) / "activities")
    after = year_inputs(paths, 2018, "vi", {}).stages["4:vi"][SAMPLE_FILES_INPUT]
    assert before.startswith("2018/activities/") and after == "2018/cooperatives.xlsx, 2018/groups.xlsx"
    resave(paths.raw_year(2018))
    assert year_inputs(paths, 2018, "vi", {}).stages["4:vi"][SAMPLE_FILES_INPUT] == "none"


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as document:
        return document.read("word/document.xml").decode("utf-8")


def index_rows(index: Path) -> dict[int, str]:
    """The index page's rows by year."""
    html = index.read_text(encoding="utf-8")
    return {int(year): row for year, row in re.findall(r"<tr><td><b>(\d{4})</b></td>(.*?)</tr>", html, re.S)}


@pytest.mark.slow
def test_a_copied_and_saved_again_sample_year_is_real_data_everywhere(built_copy):
    """The issue's test: a sample year saved again (new bytes) and run as a new year carries no "dữ liệu mẫu"."""
    data, reports = built_copy / "data", built_copy / "reports"
    shutil.copytree(SAMPLE_RAW / "2018", data / "raw" / "2019")
    resave(data / "raw" / "2019")
    result = run_cli("run", "2017", "2018", "2019", "--data", str(data), "--reports", str(reports))
    assert result.returncode == 0, result.stdout + result.stderr
    new = reports / "2019"
    assert not SAMPLE_WORDS.search((new / "review.html").read_text(encoding="utf-8"))
    assert not SAMPLE_WORDS.search(docx_text(new / "review.docx"))
    for figure in (new / "figures").glob("*.svg"):
        assert not SAMPLE_WORDS.search(figure.read_text(encoding="utf-8")), figure.name
    rows = index_rows(reports / "index.html")
    assert set(rows) == {2017, 2018, 2019} and not SAMPLE_WORDS.search(rows[2019])
    for year in (2017, 2018):  # the sample years keep their label, naming their files
        assert SAMPLE_WORDS.search(rows[year])
        review = (reports / str(year) / "review.html").read_text(encoding="utf-8")
        assert f"cả 6 tệp báo cáo của năm {year} là tệp mẫu" in review
        assert SAMPLE_WORDS.search(docx_text(reports / str(year) / "review.docx"))
