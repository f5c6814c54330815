"""The benchmark reads the stage timings the build records (``build.json``), never the console.

Its parsing is run here on a record the build wrote, so that a change of the
record, or of the console's words, cannot silently break it again (issue 20:
the benchmark crashed on "5,1 s"). No timing is asserted.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import PROJECT_ROOT
from helpers.pipeline.plan import read_last_run, write_manifest


def benchmark_module():
    """``benchmarks/run_benchmark.py`` as a module (it is a script, not a package)."""
    path = PROJECT_ROOT / "benchmarks" / "run_benchmark.py"
    spec = importlib.util.spec_from_file_location("run_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("run_benchmark", module)
    spec.loader.exec_module(module)
    return module


def test_the_record_the_build_writes_is_what_the_benchmark_reads(tmp_path):
    processed = tmp_path / "processed"
    for year, run in ((2017, "11-1"), (2018, "11-1"), (2019, "10-1")):
        (processed / str(year)).mkdir(parents=True)
        write_manifest(processed / str(year), {"1": {"code": "x"}}, run, {1: 2.5, 2: 1.25, 3: 0.5, 4: 5.1})
    (processed / ".cache").mkdir()  # not a year: never read
    bench = benchmark_module()
    runs = bench.recorded_runs(processed)
    assert set(runs) == {2017, 2018, 2019}
    assert runs[2017] == ("11-1", {1: 2.5, 2: 1.25, 3: 0.5, 4: 5.1})
    before = {2019: runs[2019]}  # 2019 was built by an earlier run: not counted
    assert bench.stage_times(before, runs) == {1: [2.5, 2.5], 2: [1.25, 1.25], 3: [0.5, 0.5], 4: [5.1, 5.1]}
    assert bench.stage_times(runs, runs) == {}  # a no-op run ran nothing


def test_a_build_record_without_timings_is_none(tmp_path):
    write_manifest(tmp_path, {"1": {"code": "x"}})
    assert read_last_run(tmp_path) is None
    (tmp_path / "build.json").write_text("{not json", encoding="utf-8")
    assert read_last_run(tmp_path) is None


@pytest.mark.slow
def test_the_benchmark_parses_a_recorded_build(built_review):
    """The shared build of 2017–2018 (``coop-review run``): every stage of both years, read as the benchmark does."""
    root, result = built_review
    assert result.returncode == 0, result.stdout + result.stderr
    bench = benchmark_module()
    runs = bench.recorded_runs(root / "data" / "processed")
    assert set(runs) == {2017, 2018}
    assert len({run for run, _ in runs.values()}) == 1  # one run built both
    per_stage = bench.stage_times({}, runs)
    assert sorted(per_stage) == [1, 2, 3, 4]
    assert all(len(seconds) == 2 and all(value >= 0 for value in seconds) for seconds in per_stage.values())
