"""Shared test helpers: tiny returns built in ``tmp_path``, and the sample years read once."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import settings

from helpers.paths import PROJECT_ROOT

# Property-based tests: a few hundred examples each; in CI (CI=true) with a
# fixed seed, so that a red CI can be replayed and a green one means the same
# examples passed.
settings.register_profile("coop", max_examples=300, deadline=None)
settings.register_profile("ci", parent=settings.get_profile("coop"), derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "coop")

SAMPLE_RAW = PROJECT_ROOT / "data" / "raw"
SAMPLE_EXPECTATIONS = Path(__file__).parent / "data" / "sample_expectations.json"


def shipped_sample_years(raw_root: Path = SAMPLE_RAW) -> list[int]:
    """The years the sample generator wrote (its expectations file), never whatever else is in ``raw_root``.

    An analyst may add ``data/raw/2023/`` by hand: it is not a sample year and no
    sample test looks at it. A sample year whose folder is missing fails the tests.
    """
    years = sorted(int(year) for year in json.loads(SAMPLE_EXPECTATIONS.read_text(encoding="utf-8")))
    missing = [year for year in years if not (raw_root / str(year)).is_dir()]
    if missing:
        raise FileNotFoundError(f"sample years {missing} are missing from {raw_root} — run 'make sample-data'")
    return years


def write_xlsx(
    path: Path, rows: list[list], merged: tuple[str, ...] = (), sheet_title: str = "Sheet1", before: list[str] = ()
) -> Path:
    """Write a one-table workbook: ``rows`` from A1, ``merged`` ranges like ``"C4:D4"``.

    ``before`` names sheets put in front of the table's sheet (holding junk).
    """
    workbook = openpyxl.Workbook()
    first = workbook.active
    for index, name in enumerate(before):
        sheet = first if index == 0 else workbook.create_sheet(name)
        sheet.title = name
        sheet["A1"] = "không phải biểu mẫu"
    sheet = workbook.create_sheet(sheet_title) if before else first
    sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    for cell_range in merged:
        sheet.merge_cells(cell_range)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: letters with their vowel marks precomposed, tone marks combining."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        out += letter.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """Write rows as CSV text in ``encoding`` (``utf-8``, ``utf-8-sig`` or ``cp1258``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    text = buffer.getvalue()
    path.write_bytes(encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


ACTIVITY_HEADER = ["STT", "Đơn vị", "Số buổi tập huấn", "Số lượt người tham dự", "Phân bón trả chậm"]


def activity_rows(*data: list) -> list[list]:
    """A minimal Biểu 01: a title, the header above, and the given data rows."""
    return [["HỘI NÔNG DÂN TỈNH NINH BÌNH"], ["BÁO CÁO KẾT QUẢ NĂM 2017"], [], ACTIVITY_HEADER, *data]


@pytest.fixture(scope="session")
def sample_years() -> list[int]:
    """The years of shipped sample data."""
    try:
        return shipped_sample_years()
    except FileNotFoundError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def sample_results():
    """Every sample year cleaned and its indicators computed, in-process, once."""
    from helpers.clean.outputs import activities_table, groups_table, register_table
    from helpers.clean.year import clean_year
    from helpers.compute.indicators import compute_indicators
    from helpers.reference import load_reference

    shipped = load_reference(None)  # the province of the sample

    results = {}
    try:
        years = shipped_sample_years()
    except FileNotFoundError as error:
        pytest.fail(str(error))
    for year in years:
        cleaned = clean_year(SAMPLE_RAW / str(year), year, reference=shipped)
        indicators = compute_indicators(
            activities_table(cleaned), register_table(cleaned), groups_table(cleaned), year, reference=shipped
        )
        results[year] = (cleaned, indicators)
    return results


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run ``coop-review`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "helpers.pipeline.cli", *args], capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="session")
def built_review(tmp_path_factory, worker_id):
    """2017 and 2018 of the sample built end to end by the command, once per test run.

    Returns ``(root, result)``: ``root/data`` and ``root/reports`` hold what the
    run wrote; ``result`` is the finished process. Tests read the tree (or
    copy it to change it), never write into it. Under pytest-xdist the
    workers share one build: the first to need it builds it while holding a
    file lock, the others wait on the lock and read the same tree (measured
    faster than a build per worker: see docs/dev.md, "Tests").
    """
    import shutil

    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" else base  # pytest-<n>/ is common to the workers of one run
    if os.environ.get("COOP_REVIEW_TEST_BUILD_PER_WORKER"):  # to measure the other choice
        shared = base
    root, record = shared / "built", shared / "built.json"
    with FileLock(str(shared / "built.lock")):
        if not record.is_file():
            shutil.rmtree(root, ignore_errors=True)
            for year in (2017, 2018):
                shutil.copytree(SAMPLE_RAW / str(year), root / "data" / "raw" / str(year))
            shutil.copy(SAMPLE_RAW.parent / "targets.csv", root / "data" / "targets.csv")
            shutil.copy(SAMPLE_RAW.parent / "programme.csv", root / "data" / "programme.csv")
            result = run_cli("run", "2017", "2018", "--data", str(root / "data"), "--reports", str(root / "reports"))
            record.write_text(
                json.dumps(
                    {
                        "args": result.args,
                        "returncode": result.returncode,
                        "stdout": result.stdout,
                        "stderr": result.stderr,
                    }
                ),
                encoding="utf-8",
            )
        done = json.loads(record.read_text(encoding="utf-8"))
    return root, subprocess.CompletedProcess(done["args"], done["returncode"], done["stdout"], done["stderr"])


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist, the tests that read the shared build run on one worker, one after the other.

    That worker builds it once and reads it; the other workers meanwhile run
    every other test instead of waiting on the file lock (``--dist loadgroup``).
    """
    for item in items:
        if "built_review" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("built_review"))


def require_tool(command: str, package: str) -> str:
    """The path of a system tool, or skip (fail in CI) saying how to install it."""
    found = shutil.which(command)
    if found:
        return found
    message = f"'{command}' is not installed: install Debian's {package} (apt-get install {package}) to run this test"
    if os.environ.get("CI"):
        pytest.fail(message + " — CI must install it (.ci/run does)")
    pytest.skip(message)


@pytest.fixture
def built_copy(built_review, tmp_path):
    """A private copy of the shared 2017–2018 build, for a test to change or break."""
    root, result = built_review
    assert result.returncode == 0, result.stdout + result.stderr
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, symlinks=True)
    return copy


YEAR_DATA_TABLES = (
    "indicators", "history", "changes", "cumulative", "cross_checks", "targets", "ledger", "rejects", "totals",
    "approximate", "ignored", "problems", "corrections",
)  # fmt: skip
"""The tables of a review's :class:`~helpers.publish.review_data.YearData`."""


def year_data(year: int, **given):
    """A review's data for ``year``: the tables given, every other table empty, the shipped reference tables."""
    from helpers.publish.review_data import YearData
    from helpers.reference import load_reference
    from helpers.samples import SampleLabel

    values = {name: pd.DataFrame() for name in YEAR_DATA_TABLES} | {"sample": SampleLabel(year)}
    return YearData(year=year, **(values | {"reference": load_reference(None).for_year(year)} | given))
