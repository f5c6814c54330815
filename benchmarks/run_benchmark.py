#!/usr/bin/env python3
"""The speed and scale benchmark of coop-review, measured against the machine's floor.

Run on demand (never in the test suite)::

    .venv/bin/python benchmarks/run_benchmark.py            # sample years: floor, cold, no-op, one changed year
    .venv/bin/python benchmarks/run_benchmark.py --national # and the synthetic country (generates ~30 MB in a temp folder)

It prints, from one run on one machine:

* the floor: a papermill run of an empty parameterized notebook (kernel start +
  papermill), and the import time of the stack;
* a cold full build of all sample years (time per stage), a no-op rebuild, a
  rebuild after one year's return changed (the last year, and the first);
* peak memory (RSS of the largest process);
* the ratios against the goals: cold ≤ 2 × (notebook executions × floor ÷ workers),
  no-op < 1.5 s, one changed year < 25 % of the cold build;
* with ``--national``: clean + indicators of one national year and of ten,
  time and peak memory, and how time grows with rows (1×, 2×, 4×, 8× a province).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def best_of(repeat: int, command: list[str], **kwargs) -> float:
    """Best wall time of ``repeat`` runs of a command (it must succeed)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, **kwargs)
        times.append(time.perf_counter() - started)
    return min(times)


def timed(command: list[str]) -> tuple[float, str, int]:
    """Wall time, output and exit code of one command."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout + done.stderr, done.returncode


def peak_children_mb() -> float:
    """Peak RSS of the largest child process waited for so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def floor_seconds(repeat: int) -> tuple[float, float]:
    """The floor of one stage: a papermill run of an empty parameterized notebook (kernel start + papermill).

    Measured the way the runner runs stages — in a worker process that has
    papermill imported already, through the runner's own kernel manager — best
    of ``repeat``; also the first run of a fresh process (papermill's import included).
    """
    import nbformat

    folder = Path(tempfile.mkdtemp(prefix="coop-floor-"))
    book = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x: int = 1  # a parameter")
    cell.metadata["tags"] = ["parameters"]
    book.cells = [cell]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, folder / "empty.ipynb")
    script = f"""
import dataclasses, json, time
from pathlib import Path
started = time.perf_counter()
from helpers.runner import Stage, _execute
imported = time.perf_counter()
stage = dataclasses.replace(Stage(0, "floor", "empty.ipynb"))
object.__setattr__(stage, "notebook", {str(folder / "empty.ipynb")!r})
times = []
for _ in range({repeat + 1}):
    began = time.perf_counter()
    _execute(stage, Path({str(folder / "out.ipynb")!r}), {{"x": 2}}, Path({str(folder / "kernel.log")!r}))
    times.append(time.perf_counter() - began)
print(json.dumps({{"first_with_import": imported - started + times[0], "best": min(times[1:])}}))
"""
    done = subprocess.run([PYTHON, "-c", script], check=True, capture_output=True, text=True)
    shutil.rmtree(folder, ignore_errors=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["best"], result["first_with_import"]


def stage_times(output: str) -> dict[int, list[float]]:
    """Seconds of each stage run, from the runner's progress lines."""
    found: dict[int, list[float]] = {}
    for stage, seconds in re.findall(r"\] (\d)/4 [^\n]* done in ([\d.]+) s", output):
        found.setdefault(int(stage), []).append(float(seconds))
    return found


def change_return(path: Path) -> None:
    """Change one number of a Biểu 01 return (a corrected return arrives)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and cell.value > 10:
                cell.value = cell.value + 1
                workbook.save(path)
                return
    raise RuntimeError(f"no number to change in {path}")


def sample_benchmark(jobs: int, repeat: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="coop-bench-"))
    data, reports = workdir / "data", workdir / "reports"
    shutil.copytree(ROOT / "data" / "raw", data / "raw")
    for name in ("targets.csv", "corrections.csv"):
        if (ROOT / "data" / name).is_file():
            shutil.copy(ROOT / "data" / name, data / name)
    run = [PYTHON, "-m", "helpers.cli", "run", "--all", "--data", str(data), "--reports", str(reports), "-j", str(jobs)]
    years = sorted(p.name for p in (data / "raw").iterdir() if p.is_dir())
    print(f"sample years {years[0]}–{years[-1]}: cold build with {jobs} worker(s) …", flush=True)
    cold, out, code = timed(run)
    assert code == 0, out
    per_stage = stage_times(out)
    noop = min(timed(run)[0] for _ in range(repeat))
    last = data / "raw" / years[-1] / "activities"
    change_return(sorted(last.glob("*.xlsx"))[0])
    changed_last, out_last, code = timed(run)
    assert code == 0, out_last
    first = data / "raw" / years[0] / "activities"
    change_return(sorted(first.glob("*.xlsx"))[0])
    changed_first, out_first, code = timed(run)
    assert code == 0, out_first
    shutil.rmtree(workdir, ignore_errors=True)
    return {
        "years": len(years),
        "cold": cold,
        "per_stage": per_stage,
        "executions": sum(len(v) for v in per_stage.values()),
        "noop": noop,
        "changed_last": changed_last,
        "changed_first": changed_first,
        "stages_after_change_last": sum(len(v) for v in stage_times(out_last).values()),
        "stages_after_change_first": sum(len(v) for v in stage_times(out_first).values()),
        "peak_mb": peak_children_mb(),
    }


MEASURE = """
import json, resource, sys, time
from pathlib import Path
from helpers.clean import activities_table, clean_year, groups_table, register_table
from helpers.indicators import compute_indicators
from helpers.paths import ProjectPaths
started = time.perf_counter()  # after the imports: the work itself
root, years, cache = sys.argv[1], [int(y) for y in sys.argv[2].split(',')], sys.argv[3] == 'cache'
rows = 0
for year in years:
    paths = ProjectPaths.for_run(year, root + '/data', root + '/reports')
    result = clean_year(paths.raw_year(year), year, None, paths.parse_cache if cache else None)
    indicators = compute_indicators(activities_table(result), register_table(result), groups_table(result), year)
    rows += sum(len(read.row_kinds) for read in result.reads)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure_clean(root: Path, years: list[int], cache: bool = False) -> dict:
    """clean + indicators of some years of a data root, in a fresh process: seconds, rows read, peak memory."""
    done = subprocess.run([PYTHON, "-c", MEASURE, str(root), ",".join(map(str, years)), "cache" if cache else "nocache"], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def generate(out: Path, *options: str) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, str(ROOT / "benchmarks" / "make_national_returns.py"), "--out", str(out / "data"), *options], check=True, capture_output=True)
    return time.perf_counter() - started


def national_benchmark() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="coop-national-"))
    results: dict = {}
    print("national: generating ten synthetic national years …", flush=True)
    results["generate_s"] = generate(workdir / "country", "--years", "2017-2026")
    results["one_year"] = measure_clean(workdir / "country", [2017])
    measure_clean(workdir / "country", [2017], cache=True)  # fills the parse cache
    results["one_year_cached"] = measure_clean(workdir / "country", [2017], cache=True)
    results["ten_years"] = measure_clean(workdir / "country", list(range(2017, 2027)))
    engines = subprocess.run([PYTHON, str(ROOT / "benchmarks" / "excel_engines.py"), str(workdir / "country" / "data" / "raw" / "2017" / "cooperatives.xlsx"), "--repeat", "2"], capture_output=True, text=True)
    results["engines"] = engines.stdout
    scaling = []
    for provinces in (1, 2, 4, 8):
        root = workdir / f"p{provinces}"
        generate(root, "--years", "2017", "--provinces", str(provinces))
        scaling.append({"provinces": provinces, **measure_clean(root, [2017])})
    results["scaling"] = scaling
    shutil.rmtree(workdir, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="workers for the sample build (default: cores)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the floor and no-op figures (best is kept)")
    parser.add_argument("--national", action="store_true", help="also measure the synthetic country (takes a few minutes)")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}")
    floor, cold_floor = floor_seconds(args.repeat)
    imports = best_of(args.repeat, [PYTHON, "-c", "import pandas, matplotlib.pyplot, papermill, nbconvert, pyarrow, python_calamine, openpyxl, helpers.review"])
    bare = best_of(args.repeat, [PYTHON, "-c", "pass"])
    print(f"floor: papermill run of an empty parameterized notebook {floor:.2f} s (best of {args.repeat}, warm worker; "
          f"{cold_floor:.2f} s for a fresh process's first run)")
    print(f"import of the stack (pandas, matplotlib, papermill, nbconvert, pyarrow, calamine, openpyxl, helpers): {imports - bare:.2f} s over a bare interpreter start of {bare:.2f} s")

    sample = sample_benchmark(args.jobs, args.repeat)
    floor_product = sample["executions"] * floor / args.jobs
    print(f"cold full build of {sample['years']} years ({sample['executions']} notebook runs, {args.jobs} workers): {sample['cold']:.1f} s")
    for stage, seconds in sorted(sample["per_stage"].items()):
        print(f"  stage {stage}: {sum(seconds) / len(seconds):.1f} s a year (total {sum(seconds):.1f} s)")
    print(f"no-op rebuild: {sample['noop']:.2f} s")
    print(f"rebuild after the last year's return changed: {sample['changed_last']:.1f} s ({sample['stages_after_change_last']} notebook runs)")
    print(f"rebuild after the first year's return changed: {sample['changed_first']:.1f} s ({sample['stages_after_change_first']} notebook runs: later years redo stages 3–4)")
    print(f"peak memory (largest process): {sample['peak_mb']:.0f} MB")
    print("ratios against the goals:")
    print(f"  cold / (runs × floor ÷ workers) = {sample['cold']:.1f} / {floor_product:.1f} = {sample['cold'] / floor_product:.2f}  (goal ≤ 2)")
    print(f"  no-op = {sample['noop']:.2f} s  (goal < 1.5 s)")
    print(f"  last year changed / cold = {sample['changed_last'] / sample['cold']:.0%}  (goal < 25 %); first year changed / cold = {sample['changed_first'] / sample['cold']:.0%}")

    if args.national:
        national = national_benchmark()
        one, ten = national["one_year"], national["ten_years"]
        print(f"national: generated 10 years in {national['generate_s']:.0f} s")
        print(f"  one national year, clean + indicators: {one['seconds']:.1f} s, {one['rows']:,} rows read, peak {one['peak_mb']:.0f} MB  (goal < 20 s, < 2 GB)")
        print(f"  the same year again, parsed returns from the cache: {national['one_year_cached']['seconds']:.1f} s")
        print(f"  ten national years: {ten['seconds']:.1f} s, {ten['rows']:,} rows read, peak {ten['peak_mb']:.0f} MB")
        print("  growth with rows (clean + indicators of one year, fresh process):")
        base = national["scaling"][0]
        for point in national["scaling"]:
            print(f"    {point['provinces']}× a province: {point['rows']:,} rows, {point['seconds']:.2f} s, {point['seconds'] / base['seconds']:.2f}× the time for {point['rows'] / base['rows']:.2f}× the rows")
        print("  Excel engines on the national register:")
        print("    " + national["engines"].strip().replace("\n", "\n    "))


if __name__ == "__main__":
    main()
