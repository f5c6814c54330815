#!/usr/bin/env python3
"""The speed and scale benchmark of coop-review, measured against the machine's floor.

Run on demand (never in the test suite)::

    .venv/bin/python benchmarks/run_benchmark.py            # sample years: floor, cold, no-op, one changed year
    .venv/bin/python benchmarks/run_benchmark.py --national # and the synthetic country (~30 MB in a temp folder)

It prints, from one run on one machine:

* the floor both ways: a papermill run of an empty parameterized notebook in a
  fresh kernel (kernel start + papermill), best of a few in a warm process, and
  the first run of a fresh process (papermill's import included); the import
  time of the stack; what a stage's start costs with a fresh kernel that
  imports the stack and with a warm kernel (started ahead, stack imported);
* per figure of the review, drawing and saving before (layout at 100 dpi, PNG,
  SVG with text as outlines) and now (:func:`helpers.publish.figures.save_figure`), and
  the appendix workbook;
* a cold full build of all sample years (time per stage), a no-op rebuild, a
  rebuild after one year's return changed (the last year, and the first), each
  round of them ``--rounds`` times;
* peak memory (RSS of the largest process);
* the ratios against the goals of issue 13: cold ≤ 3 × (notebook runs × floor ÷
  workers), the review stage ≤ 5 s a year, one changed year ≤ 25 % of the cold
  build, no-op < 1.5 s;
* with ``--national``: clean + indicators of one national year and of ten,
  time and peak memory, and how time grows with rows (1×, 2×, 4×, 8× a province).

Why this module is long: it is one command that nothing imports, and a third
of it is the code of the measuring processes (the floor, the figures, the
clean of a national year), kept here as text so that each runs in a fresh
interpreter with nothing imported ahead of it; the rest prints what they measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


def children_cpu() -> float:
    """CPU seconds (user + system) of the child processes waited for so far, their kernels included."""
    import resource  # POSIX only: imported where measured, so that the parsing can be imported anywhere

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    """The machine's load averages (1, 5, 15 min): what else ran beside the benchmark."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def peak_children_mb() -> float:
    """Peak RSS of the largest child process waited for so far (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


FLOOR = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from helpers.pipeline.kernels import KernelPool, choose_transport, execute_notebook
from helpers.pipeline.stages import STAGES
import papermill  # the runner's imports, as a worker has them
imported = time.perf_counter()
folder, repeat = Path(sys.argv[1]), int(sys.argv[2])
transport = choose_transport()

def run(notebook, pool=None, preload=()):
    began = time.perf_counter()
    execute_notebook(
        folder / notebook, folder / "out.ipynb", {"x": 2}, folder / "kernel.log", transport, folder,
        pool=pool, preload=preload or ("pandas",),
    )
    return time.perf_counter() - began

first = imported - started + run("empty.ipynb")
fresh = min(run("empty.ipynb") for _ in range(repeat))
stack = STAGES[3].kernel_preload
# a fresh kernel that imports what the review stage imports
cold_start = min(run("imports.ipynb") for _ in range(repeat))
pool = KernelPool(transport, folder)
warm = []
for _ in range(repeat):
    pool.prestart(stack)
    kernel = pool._ready[0]
    from jupyter_core.utils import run_sync
    client = kernel.manager.client()
    run_sync(client.wait_for_ready)(timeout=120)  # started ahead: booted and imported by the time its notebook comes
    client.stop_channels()
    warm.append(run("imports.ipynb", pool))
pool.close()
print(json.dumps({
    "first_with_import": first, "best": fresh, "cold_start": cold_start, "warm_start": min(warm), "transport": transport
}))
"""


def floor_seconds(repeat: int) -> dict:
    """The floor of one stage, and a stage's start with a fresh kernel and with a warm one.

    ``best``: a papermill run of an empty parameterized notebook in a fresh
    kernel, through the runner's own kernel plumbing, in a process that has
    run one already (best of ``repeat``); ``first_with_import``: the first such
    run of a fresh process, papermill's import included; ``cold_start`` and
    ``warm_start``: a notebook importing the review stage's stack, in a fresh
    kernel and in a kernel of the pool that was started ahead (best of ``repeat``).
    """
    import nbformat

    folder = Path(tempfile.mkdtemp(prefix="coop-floor-"))
    for name, code in (
        ("empty.ipynb", ""),
        ("imports.ipynb", "import pandas, helpers.publish.review, pandas.io.formats.style"),
    ):
        book = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("x: int = 1  # a parameter")
        cell.metadata["tags"] = ["parameters"]
        book.cells = [cell] + ([nbformat.v4.new_code_cell(code)] if code else [])
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(book, folder / name)
    done = subprocess.run([PYTHON, "-c", FLOOR, str(folder), str(repeat)], check=True, capture_output=True, text=True)
    shutil.rmtree(folder, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


FIGURES = """
import io, json, sys, time, tempfile
from pathlib import Path
import matplotlib.pyplot as plt
from helpers.publish import figures, review
from helpers.paths import ProjectPaths
from helpers.pipeline.stages import STAGES

root, year, repeat = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
out = Path(tempfile.mkdtemp(prefix="coop-figures-"))
paths = ProjectPaths.from_roots(root / "data", out)
data = review.load_year(paths, year)
figures.warm_up()  # as the review stage's warm kernel does; both ways below profit alike


def before(fig, stem):
    # the review stage before issue 13: laid out at 100 dpi, PNG at 200 dpi drawn on another renderer,
    # SVG with text as outlines
    with figures.house_style(), plt.rc_context({"svg.fonttype": "path"}):
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        fig.savefig(
            out / f"{stem}.old.png", format="png", dpi=figures.PNG_DPI, metadata={"Software": None},
            pil_kwargs={"compress_level": 3},
        )
        fig.savefig(out / f"{stem}.old.svg", format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)


lang, a, r = data.lang, review.sources_text(data, "01"), review.sources_text(data, "02")
draw = {
    "fig1_outputs_by_agency": lambda: figures.outputs_by_agency(
        data.indicators, data.year, a, data.is_sample, lang, reference=data.reference
    ),
    "fig2_training_by_district": lambda: figures.training_by_district(
        data.indicators, data.year, a, data.is_sample, lang, reference=data.reference
    ),
    "fig3_htx_over_years": lambda: figures.htx_over_years(data.history, r, data.is_sample, lang),
    "fig4_rating_mix": lambda: figures.rating_mix(data.history, r, data.is_sample, lang),
    "fig5_revenue_profit": lambda: figures.revenue_profit(data.history, r, data.is_sample, lang),
    "fig6_targets": lambda: figures.targets_progress(data.targets, data.year, "data/targets.csv", data.is_sample, lang),
    "fig7_data_quality": lambda: figures.data_quality(data.ledger, data.year, "data/raw", data.is_sample, lang),
}
result = {}
for stem, make in draw.items():
    old, new = [], []
    for _ in range(repeat):  # side by side, in turn
        began = time.perf_counter(); before(make(), stem); old.append(time.perf_counter() - began)
        began = time.perf_counter(); figures.save_figure(make(), out, stem); new.append(time.perf_counter() - began)
    result[stem] = {
        "before": min(old), "now": min(new),
        "svg_kb_before": (out / f"{stem}.old.svg").stat().st_size / 1024,
        "svg_kb_now": (out / f"{stem}.svg").stat().st_size / 1024,
    }
began = time.perf_counter()
for _ in range(repeat):
    review.write_workbook(data, paths)
result["workbook"] = (time.perf_counter() - began) / repeat
print(json.dumps(result))
"""


def figure_times(root: Path, year: int, repeat: int) -> dict:
    """Per figure of ``year``'s review: seconds to draw and save it before issue 13 and now.

    Best of ``repeat``, the two ways in turn.
    """
    done = subprocess.run(
        [PYTHON, "-c", FIGURES, str(root), str(year), str(repeat)], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def recorded_runs(processed_root: Path) -> dict[int, tuple[str, dict[int, float]]]:
    """Per year of a data root: the run that last built it and the seconds of each stage that run ran.

    Read from the build's own record (``processed/<year>/build.json``, :func:`helpers.pipeline.plan.read_last_run`),
    never from the console, whose words and number format follow the language of the run.
    """
    from helpers.pipeline.plan import read_last_run

    found = {}
    for folder in sorted(processed_root.iterdir()) if processed_root.is_dir() else []:
        if folder.is_dir() and folder.name.isdigit() and len(folder.name) == 4:
            record = read_last_run(folder)
            if record is not None:
                found[int(folder.name)] = record
    return found


def stage_times(
    before: dict[int, tuple[str, dict[int, float]]], after: dict[int, tuple[str, dict[int, float]]]
) -> dict[int, list[float]]:
    """Seconds of each stage run by one run: the years whose record changed from ``before`` to ``after``."""
    found: dict[int, list[float]] = {}
    for year, (run, seconds) in sorted(after.items()):
        if before.get(year, ("", {}))[0] == run:
            continue  # not built by this run
        for stage, value in sorted(seconds.items()):
            found.setdefault(stage, []).append(value)
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


def sample_benchmark(jobs: int, repeat: int, figures_too: bool = False) -> dict:
    """The sample years in a temporary folder: cold build, figures, no-op rebuild, one changed year (last, first)."""
    workdir = Path(tempfile.mkdtemp(prefix="coop-bench-"))
    data, reports = workdir / "data", workdir / "reports"
    shutil.copytree(ROOT / "data" / "raw", data / "raw")
    for name in ("targets.csv", "corrections.csv"):
        if (ROOT / "data" / name).is_file():
            shutil.copy(ROOT / "data" / name, data / name)
    run = [
        PYTHON,
        "-m",
        "helpers.pipeline.cli",
        "run",
        "--all",
        "--data",
        str(data),
        "--reports",
        str(reports),
        "-j",
        str(jobs),
    ]
    years = sorted(p.name for p in (data / "raw").iterdir() if p.is_dir())
    print(
        f"sample years {years[0]}–{years[-1]}: cold build with {jobs} worker(s) … (load before: {load()})", flush=True
    )
    processed = data / "processed"
    cpu = children_cpu()
    cold, out, code = timed(run)
    cold_cpu = children_cpu() - cpu
    assert code == 0, out
    after_cold = recorded_runs(processed)
    per_stage = stage_times({}, after_cold)
    figures = figure_times(workdir, int(years[-1]), repeat) if figures_too else None
    noop = min(timed(run)[0] for _ in range(repeat))
    last = data / "raw" / years[-1] / "activities"
    change_return(sorted(last.glob("*.xlsx"))[0])
    changed_last, out_last, code = timed(run)
    assert code == 0, out_last
    after_last = recorded_runs(processed)
    first = data / "raw" / years[0] / "activities"
    change_return(sorted(first.glob("*.xlsx"))[0])
    changed_first, out_first, code = timed(run)
    assert code == 0, out_first
    after_first = recorded_runs(processed)
    shutil.rmtree(workdir, ignore_errors=True)
    return {
        "years": len(years),
        "cold": cold,
        "cold_cpu": cold_cpu,
        "per_stage": per_stage,
        "executions": sum(len(v) for v in per_stage.values()),
        "noop": noop,
        "changed_last": changed_last,
        "changed_first": changed_first,
        "stages_after_change_last": sum(len(v) for v in stage_times(after_cold, after_last).values()),
        "stages_after_change_first": sum(len(v) for v in stage_times(after_last, after_first).values()),
        "peak_mb": peak_children_mb(),
        "figures": figures,
    }


MEASURE = """
import json, resource, sys, time
from pathlib import Path
from helpers.clean.year import clean_year
from helpers.clean.outputs import activities_table, groups_table, register_table
from helpers.compute.indicators import compute_indicators
from helpers.paths import ProjectPaths
started = time.perf_counter()  # after the imports: the work itself
root, years, cache = sys.argv[1], [int(y) for y in sys.argv[2].split(',')], sys.argv[3] == 'cache'
rows = 0
for year in years:
    paths = ProjectPaths.for_run(year, root + '/data', root + '/reports')
    reference = paths.reference()
    result = clean_year(paths.raw_year(year), year, None, paths.parse_cache if cache else None, reference=reference)
    tables = activities_table(result), register_table(result), groups_table(result)
    indicators = compute_indicators(*tables, year, reference=reference)
    rows += sum(len(read.row_kinds) for read in result.reads)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows, "peak_mb": peak_mb}))
"""


def measure_clean(root: Path, years: list[int], cache: bool = False) -> dict:
    """Clean + indicators of some years of a data root, in a fresh process: seconds, rows read, peak memory."""
    done = subprocess.run(
        [PYTHON, "-c", MEASURE, str(root), ",".join(map(str, years)), "cache" if cache else "nocache"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def generate(out: Path, *options: str) -> float:
    """Generate synthetic national returns into ``out/data``; the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "make_national_returns.py"), "--out", str(out / "data"), *options],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def national_benchmark() -> dict:
    """Clean + indicators of the synthetic country: one year, one cached, ten, and the growth with rows."""
    workdir = Path(tempfile.mkdtemp(prefix="coop-national-"))
    results: dict = {}
    print("national: generating ten synthetic national years …", flush=True)
    results["generate_s"] = generate(workdir / "country", "--years", "2017-2026")
    results["one_year"] = measure_clean(workdir / "country", [2017])
    measure_clean(workdir / "country", [2017], cache=True)  # fills the parse cache
    results["one_year_cached"] = measure_clean(workdir / "country", [2017], cache=True)
    results["ten_years"] = measure_clean(workdir / "country", list(range(2017, 2027)))
    engines = subprocess.run(
        [
            PYTHON,
            str(ROOT / "benchmarks" / "excel_engines.py"),
            str(workdir / "country" / "data" / "raw" / "2017" / "cooperatives.xlsx"),
            "--repeat",
            "2",
        ],
        capture_output=True,
        text=True,
    )
    results["engines"] = engines.stdout
    scaling = []
    for provinces in (1, 2, 4, 8):
        root = workdir / f"p{provinces}"
        generate(root, "--years", "2017", "--provinces", str(provinces))
        scaling.append({"provinces": provinces, **measure_clean(root, [2017])})
    results["scaling"] = scaling
    shutil.rmtree(workdir, ignore_errors=True)
    return results


def print_round(sample: dict, floor: float, jobs: int) -> None:
    """Print one round of the sample benchmark and its ratios against the goals of issue 13."""
    floor_product = sample["executions"] * floor / jobs
    review = sample["per_stage"].get(4, [float("nan")])
    print(
        f"cold full build of {sample['years']} years ({sample['executions']} notebook runs, {jobs} workers): "
        f"{sample['cold']:.1f} s, "
        f"{sample['cold_cpu']:.1f} CPU-seconds (all processes, kernels included; load after: {load()})"
    )
    for stage, seconds in sorted(sample["per_stage"].items()):
        print(
            f"  stage {stage}: {sum(seconds) / len(seconds):.1f} s a year (total {sum(seconds):.1f} s; "
            f"{min(seconds):.1f}–{max(seconds):.1f})"
        )
    print(f"no-op rebuild: {sample['noop']:.2f} s")
    print(
        f"rebuild after the last year's return changed: {sample['changed_last']:.1f} s "
        f"({sample['stages_after_change_last']} notebook runs)"
    )
    print(
        f"rebuild after the first year's return changed: {sample['changed_first']:.1f} s "
        f"({sample['stages_after_change_first']} notebook runs: later years redo stages 3–4)"
    )
    print(f"peak memory (largest process): {sample['peak_mb']:.0f} MB")
    print("ratios against the goals (issue 13):")
    print(
        f"  cold / (runs × floor ÷ workers) = {sample['cold']:.1f} / {floor_product:.1f} = "
        f"{sample['cold'] / floor_product:.2f}  (goal ≤ 3)"
    )
    print(
        f"  review stage (stage 4 with its HTML) = {sum(review) / len(review):.1f} s a year on average, "
        f"{max(review):.1f} s at most  (goal ≤ 5 s)"
    )
    print(
        f"  last year changed / cold = {sample['changed_last'] / sample['cold']:.0%}  (goal ≤ 25 %); first year "
        f"changed / cold = {sample['changed_first'] / sample['cold']:.0%}"
    )
    print(f"  no-op = {sample['noop']:.2f} s  (goal < 1.5 s)")


def main() -> None:
    """Measure and print (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="workers for the sample build (default: cores)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="repetitions of the floor, figure and no-op figures (best is kept)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of cold build, no-op and changed years (each printed)"
    )
    parser.add_argument(
        "--national", action="store_true", help="also measure the synthetic country (takes a few minutes)"
    )
    args = parser.parse_args()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}"
    )
    print(f"command: {' '.join(Path(a).name if a == sys.argv[0] else a for a in sys.argv)}")
    floor = floor_seconds(args.repeat)
    imports = best_of(
        args.repeat,
        [
            PYTHON,
            "-c",
            "import pandas, matplotlib.pyplot, papermill, nbconvert, pyarrow, python_calamine, openpyxl, "
            "helpers.publish.review",
        ],
    )
    bare = best_of(args.repeat, [PYTHON, "-c", "pass"])
    print(
        f"floor: papermill run of an empty parameterized notebook in a fresh kernel ({floor['transport']}): "
        f"{floor['best']:.2f} s in a warm process (best of {args.repeat}); "
        f"{floor['first_with_import']:.2f} s as a fresh process's first run (papermill's import included)"
    )
    print(
        "import of the stack (pandas, matplotlib, papermill, nbconvert, pyarrow, calamine, openpyxl, helpers): "
        f"{imports - bare:.2f} s over a bare interpreter start of {bare:.2f} s"
    )
    print(
        f"a stage's start, notebook importing the review's stack: {floor['cold_start']:.2f} s in a fresh kernel, "
        f"{floor['warm_start']:.2f} s in a warm kernel "
        f"(started ahead, stack imported): {floor['cold_start'] - floor['warm_start']:.2f} s saved per stage"
    )

    for round_ in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"— round {round_} of {args.rounds}")
        sample = sample_benchmark(args.jobs, args.repeat, figures_too=round_ == 1)
        if sample["figures"]:
            figures = sample["figures"]
            print(
                f"figures of the last sample year, draw + save, best of {args.repeat} (before: layout at 100 dpi, "
                "PNG, SVG text as outlines; now: layout once at 200 dpi on the PNG's renderer, SVG text as text):"
            )
            stems = [k for k in figures if k != "workbook"]
            for stem in stems:
                f = figures[stem]
                print(
                    f"  {stem:28s} {f['before']:.2f} s → {f['now']:.2f} s ({f['now'] / f['before']:.0%}); SVG "
                    f"{f['svg_kb_before']:.0f} → {f['svg_kb_now']:.0f} KB"
                )
            before, now = sum(figures[k]["before"] for k in stems), sum(figures[k]["now"] for k in stems)
            print(
                f"  {'all figures':28s} {before:.2f} s → {now:.2f} s ({now / before:.0%}); appendix workbook "
                f"{figures['workbook']:.2f} s"
            )
        print_round(sample, floor["best"], args.jobs)

    if args.national:
        national = national_benchmark()
        one, ten = national["one_year"], national["ten_years"]
        print(f"national: generated 10 years in {national['generate_s']:.0f} s")
        print(
            f"  one national year, clean + indicators: {one['seconds']:.1f} s, {one['rows']:,} rows read, peak "
            f"{one['peak_mb']:.0f} MB  (goal < 20 s, < 2 GB)"
        )
        print(f"  the same year again, parsed returns from the cache: {national['one_year_cached']['seconds']:.1f} s")
        print(f"  ten national years: {ten['seconds']:.1f} s, {ten['rows']:,} rows read, peak {ten['peak_mb']:.0f} MB")
        print("  growth with rows (clean + indicators of one year, fresh process):")
        base = national["scaling"][0]
        for point in national["scaling"]:
            print(
                f"    {point['provinces']}× a province: {point['rows']:,} rows, {point['seconds']:.2f} s, "
                f"{point['seconds'] / base['seconds']:.2f}× the time for {point['rows'] / base['rows']:.2f}× the rows"
            )
        print("  Excel engines on the national register:")
        print("    " + national["engines"].strip().replace("\n", "\n    "))


if __name__ == "__main__":
    main()
