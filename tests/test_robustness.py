"""Killed runs, failing stages, repeated runs, hostile parameters and text."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli, year_data
from helpers.errors import ParameterError
from helpers.paths import ProjectPaths
from helpers.pipeline.plan import LAST_RUN

GENERATED = re.compile(r'<p class="generated">[^<]*</p>')


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (the HTML without its one generation stamp; logs left out)."""
    hashes = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "logs" in path.relative_to(folder).parts:
            continue
        data = path.read_bytes()
        if path.suffix == ".html":
            data = GENERATED.sub("", data.decode("utf-8")).encode("utf-8")
        hashes[path.relative_to(folder).as_posix()] = hashlib.sha256(data).hexdigest()
    return hashes


def outputs(root: Path, year: int) -> dict[str, str]:
    """Hashes of a year's processed tables, figures, workbook and review (not the executed notebooks)."""
    hashes = {f"processed/{k}": v for k, v in tree_hashes(root / "data" / "processed" / str(year)).items()}
    record = root / "data" / "processed" / str(year) / "build.json"
    if record.is_file():  # the inputs it records are an output; the run's own id and stage timings are not
        inputs = {k: v for k, v in json.loads(record.read_text(encoding="utf-8")).items() if k != LAST_RUN}
        hashes["processed/build.json"] = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    hashes |= {
        f"reports/{k}": v for k, v in tree_hashes(root / "reports" / str(year)).items() if not k.endswith(".ipynb")
    }
    return hashes


PAUSE = """
import os, re, time
_pattern = re.compile(os.environ["COOP_TEST_PAUSE_AT"])
_replace = os.replace

def _pausing_replace(source, target, *args, **kwargs):
    if _pattern.search(os.fspath(target).replace(os.sep, "/")):
        with open(os.environ["COOP_TEST_PAUSED"] + ".part", "w") as handle:
            handle.write(str(os.getpid()))
        _replace(os.environ["COOP_TEST_PAUSED"] + ".part", os.environ["COOP_TEST_PAUSED"])
        while True:  # held here, inside the stage, until the run is stopped
            time.sleep(60)
    return _replace(source, target, *args, **kwargs)

os.replace = _pausing_replace
"""
"""sitecustomize of a run that holds the process writing a file matching ``$COOP_TEST_PAUSE_AT`` just before
that file is moved into place, and says so in ``$COOP_TEST_PAUSED``: a state to stop the run in, not a time."""


def start_run(root: Path, year: int, pause_at: str, paused: Path) -> subprocess.Popen:
    """Start ``coop-review run`` in its own process group, to be held where it writes a file matching ``pause_at``."""
    inject = paused.parent / "inject"
    inject.mkdir(exist_ok=True)
    (inject / "sitecustomize.py").write_text(PAUSE, encoding="utf-8")
    env = os.environ | {"PYTHONPATH": str(inject), "COOP_TEST_PAUSE_AT": pause_at, "COOP_TEST_PAUSED": str(paused)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "helpers.pipeline.cli",
            "run",
            str(year),
            "--force",
            "--data",
            str(root / "data"),
            "--reports",
            str(root / "reports"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env=env,
        # Ctrl-C as in a terminal, even when the test suite itself runs as a background job
        # (a shell without job control starts those with SIGINT ignored, and children inherit that)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_until_paused(process: subprocess.Popen, paused: Path, deadline: float = 300) -> None:
    """Wait for the run to reach its pause (a state); the deadline only bounds a failure."""
    limit = time.monotonic() + deadline
    while not paused.is_file():
        if process.poll() is not None:
            raise AssertionError(f"the run ended before it reached its pause:\n{process.stdout.read()}")
        if time.monotonic() > limit:
            raise AssertionError("the run never reached its pause")
        time.sleep(0.05)


def no_partial_files(root: Path) -> list[str]:
    """Files or folders that would look like outputs but are partial (outside the hidden staging)."""
    found = []
    for folder in (root / "data" / "processed", root / "reports"):
        for path in folder.rglob("*"):
            relative = path.relative_to(folder).parts
            if relative[0].startswith((".build-", ".failed-", ".cache")):
                continue
            if path.name.endswith(".part") or path.name.startswith(".old-"):
                found.append(str(path))
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signal_", "pause_at"),
    [
        (signal.SIGKILL, r"\.build-[^/]+/2018/changes\.csv$"),
        (signal.SIGINT, r"\.build-[^/]+/2018/figures/fig[^/]*\.png$"),
    ],
    ids=["kill-9 in stage 3", "ctrl-c in stage 4"],
)
def test_a_run_stopped_midway_leaves_the_last_good_outputs(built_copy, tmp_path, signal_, pause_at):
    before = outputs(built_copy, 2018)
    paused = tmp_path / "paused"
    process = start_run(built_copy, 2018, pause_at, paused)
    try:
        wait_until_paused(process, paused)  # the stage's kernel is about to move an output into place
        os.killpg(process.pid, signal_)
        process.wait(timeout=300)  # bounds a failure only
    finally:
        if process.poll() is None:  # the test failed before its signal: a held run must not outlive it
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode != 0
    assert outputs(built_copy, 2018) == before  # nothing half-written where outputs live
    assert no_partial_files(built_copy) == []
    if signal_ == signal.SIGINT:  # a clean stop tidies its staging at once; nothing more to see
        assert not list((built_copy / "data" / "processed").glob(".build-*")) and not list(
            (built_copy / "reports").glob(".build-*")
        )
        return
    # the next run recovers, cleans up and builds the year completely again — serially (-j 1),
    # where the first build ran years in parallel — and, from the same inputs in another
    # process, gives byte-identical outputs (tables, Parquet, figures, workbook, HTML but its stamp)
    result = run_cli(
        "run",
        "2018",
        "--force",
        "-j",
        "1",
        "--data",
        str(built_copy / "data"),
        "--reports",
        str(built_copy / "reports"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list((built_copy / "data" / "processed").glob(".build-*")) and not list(
        (built_copy / "reports").glob(".build-*")
    )
    after_rerun = outputs(built_copy, 2018)
    assert after_rerun == before  # same inputs, same outputs
    assert {Path(name).suffix for name in after_rerun} >= {".csv", ".parquet", ".png", ".svg", ".xlsx", ".html"}
    html = (built_copy / "reports" / "2018" / "review.html").read_text(encoding="utf-8")
    assert len(GENERATED.findall(html)) == 1  # exactly one marked generation stamp


@pytest.mark.slow
def test_an_exception_inside_a_notebook_keeps_the_last_good_outputs(built_copy):
    before = outputs(built_copy, 2018)
    # 2017's indicators damaged behind the runner's back: stage 3 of 2018 reads them and fails
    (built_copy / "data" / "processed" / "2017" / "indicators.csv").write_text(
        "year,indicator\n2017,htx_new\n", encoding="utf-8"
    )
    result = run_cli(
        "run", "2018", "--force", "--data", str(built_copy / "data"), "--reports", str(built_copy / "reports")
    )
    assert result.returncode == 1
    from helpers.messages import message
    from helpers.pipeline.stages import STAGES

    failed = (
        message("runner.stage_failed", number=3, stage=STAGES[2].label(), cause="X", year=2018, kept="Y")
        .split(" X ")[0]
        .split(":")[0]
    )
    assert failed in result.stdout and "indicators.csv" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert outputs(built_copy, 2018) == before
    assert (built_copy / "reports" / ".failed-2018" / "03_compare_years.ipynb").is_file()
    assert no_partial_files(built_copy) == []


@pytest.mark.slow
def test_a_bad_targets_table_stops_the_run_before_anything_is_built(built_copy):
    """A table the analyst edits that cannot be used: exit 2, located, nothing built (one rule for every such table)."""
    before = outputs(built_copy, 2018)
    (built_copy / "data" / "targets.csv").write_text(
        "indicator,period,basis,target_low,target_high,source\nhtx_new,2018-2023,yearly,20,25,x\n", encoding="utf-8"
    )
    result = run_cli("run", "2018", "--data", str(built_copy / "data"), "--reports", str(built_copy / "reports"))
    assert result.returncode == 2
    assert "targets.csv › dòng 2 › basis" in result.stdout and "per_year" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert outputs(built_copy, 2018) == before
    assert not (built_copy / "reports" / ".failed-2018").exists()
    assert no_partial_files(built_copy) == []


def test_tree_hashes_see_a_change(tmp_path):
    """The determinism check itself can fail."""
    (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "r.html").write_text('<p class="generated">Tạo lúc 1</p><p>4.730</p>', encoding="utf-8")
    first = tree_hashes(tmp_path)
    (tmp_path / "r.html").write_text('<p class="generated">Tạo lúc 2</p><p>4.730</p>', encoding="utf-8")
    assert tree_hashes(tmp_path) == first  # the stamp alone is not a change
    (tmp_path / "r.html").write_text('<p class="generated">Tạo lúc 2</p><p>4.731</p>', encoding="utf-8")
    assert tree_hashes(tmp_path) != first


@pytest.mark.parametrize("year", ["2017; import os", "2017.0", "１２３４", "-2017", "20170", "", "True"])
def test_hostile_years_are_refused(year):
    with pytest.raises(ParameterError):
        ProjectPaths.for_run(year, "/tmp/data", "/tmp/reports")


@pytest.mark.parametrize("root", ["../data", "data/../../etc", "/tmp/x/../y"])
def test_paths_with_dotdot_are_refused(root):
    with pytest.raises(ParameterError):
        ProjectPaths.for_run(2017, root, "/tmp/reports")
    result = run_cli("run", "2017", "--data", root)
    assert (
        result.returncode == 2 and "không nhận đường dẫn có '..'" in result.stderr and "Traceback" not in result.stderr
    )


def test_build_ids_cannot_name_other_folders():
    with pytest.raises(ParameterError):
        ProjectPaths.for_run(2017, "/tmp/data", "/tmp/reports", "../../x")


def test_text_from_returns_is_escaped_in_the_review():
    from helpers.publish import review

    hostile = "<script>alert(1)</script>"
    table = pd.DataFrame([{"Tệp": "activities/HND.xlsx", "Giá trị": hostile}])
    rendered = review.styled(table, caption=hostile).to_html()
    assert "<script>" not in rendered and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    data = year_data(
        2017,
        rejects=pd.DataFrame(
            [{"file": hostile, "sheet": "S", "row": 1, "column": "c", "value": hostile, "reason": "r"}]
        ),
        problems=pd.DataFrame([{"file": hostile, "problem": hostile, "action": hostile, "severity": "error"}]),
    )
    header = review.header_html(data) + review.section_html(data, "ledger")  # the banner opens the ledger section
    assert "<script>" not in header and header.count("&lt;script&gt;") >= 3


@pytest.mark.slow
def test_only_what_changed_is_rebuilt(built_copy):
    from helpers.messages import message

    data, reports = str(built_copy / "data"), str(built_copy / "reports")
    result = run_cli("run", "2017", "2018", "--data", data, "--reports", reports)
    assert (
        result.returncode == 0 and "1/4" not in result.stdout
    )  # nothing changed: no kernel started (the benchmark times it)
    assert (
        message("runner.up_to_date", year=2017) in result.stdout
        and message("runner.up_to_date", year=2018) in result.stdout
    )
    # the 2017 register changes: 2017 from stage 1, 2018 from stage 3 (it reads 2017's indicators)
    register = built_copy / "data" / "raw" / "2017" / "cooperatives.xlsx"
    register.write_bytes(register.read_bytes() + b"")  # same bytes: still up to date
    (built_copy / "data" / "corrections.csv").write_text(
        "year,agency,district,column,action,value,guard,reason\n2017,HCCB,Hoa Lư,training_sessions,set,1,nhiều,test\n",
        encoding="utf-8",
    )
    plan = run_cli("run", "2017", "2018", "--dry-run", "--data", data, "--reports", reports)
    assert plan.returncode == 0
    changed = lambda name: message("plan.changed", name=name)  # noqa: E731
    assert message("runner.run_stages", year=2017, first=1, reasons=changed("corrections"), more="") in plan.stdout
    year_2017 = changed(message("plan.year_input", year=2017))
    assert (
        message("runner.run_stages", year=2018, first=3, reasons=year_2017, more="") in plan.stdout
    )  # 2018 reads 2017's indicators
    assert not list((built_copy / "data" / "processed").glob(".build-*"))  # a dry run changes nothing
    (built_copy / "data" / "corrections.csv").unlink()
    (built_copy / "data" / "targets.csv").write_text(
        (built_copy / "data" / "targets.csv").read_text(encoding="utf-8").replace("0.70", "0.75"), encoding="utf-8"
    )
    plan = run_cli("run", "2017", "2018", "--dry-run", "--data", data, "--reports", reports)
    assert all(
        message("runner.run_stages", year=y, first=3, reasons=changed("targets"), more="") in plan.stdout
        for y in (2017, 2018)
    )
    forced = run_cli("run", "2018", "--dry-run", "--force", "--data", data, "--reports", reports)
    assert message("runner.run_stages", year=2018, first=1, reasons="--force", more="") in forced.stdout
