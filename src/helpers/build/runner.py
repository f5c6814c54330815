"""The runner: owns the order of the stages and executes them with papermill.

A year's review is four parameterized notebooks, run in order by one runner:

1. ``01_clean_returns`` — read the returns, write cleaned tables and ledgers;
2. ``02_compute_indicators`` — sections A and B, ``indicators.csv``;
3. ``03_compare_years`` — section C: changes, cumulative totals, targets, cross-checks;
4. ``04_render_review`` — figures, tables, the ledger, ``indicators.xlsx``.

Each executed notebook is kept in ``reports/<year>/``; the review notebook is
also rendered to ``reports/<year>/review.html`` (``review.en.html`` in
English) without code cells, and ``reports/index.html`` lists every year.

A run rebuilds only what changed (:mod:`helpers.build.plan`), in two phases: the
stages 1–2 of every year that needs them, in parallel worker processes, then
the stages 3–4 (which read the earlier years' indicators), in parallel too.
Each year is built in staging folders (:mod:`helpers.build.staging`); all
successful years are moved into place at the end of the run. Kernels and
their transport are :mod:`helpers.build.kernels`; worker processes end with the run
(:mod:`helpers.build.processes`). A disk that refuses a write stops the run with one
:class:`~helpers.errors.WriteFailure` message (:mod:`helpers.build.faults`).
"""

from __future__ import annotations

import csv
import dataclasses
import multiprocessing
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from helpers.build import staging
from helpers.build.faults import from_cell_error, writing
from helpers.build.kernels import PRELOAD, choose_transport, close_pools, execute_notebook, process_pool
from helpers.build.plan import MANIFEST
from helpers.build.processes import watch_parent
from helpers.errors import ParameterError, WriteFailure
from helpers.messages import message
from helpers.outputs import write_text
from helpers.paths import NOTEBOOKS_DIR, ProjectPaths


@dataclass(frozen=True)
class Stage:
    """One numbered stage: a notebook of ``notebooks/``."""

    number: int
    name: str
    notebook: str
    takes_lang: bool = False
    preload: tuple[str, ...] = ()
    """What its kernel imports (and warms up) before the notebook comes: ``helpers.build.kernels.preload``."""

    def label(self, lang: str = "vi") -> str:
        """The stage's name as the console shows it (``stage.<number>`` of the catalogue)."""
        return message(f"stage.{self.number}", lang)

    @property
    def kernel_preload(self) -> tuple[str, ...]:
        """Everything its warm kernel preloads."""
        return PRELOAD + self.preload

    @property
    def source(self) -> Path:
        """The source notebook (stripped of outputs, committed)."""
        return NOTEBOOKS_DIR / self.notebook


STAGES = (
    Stage(1, "clean returns", "01_clean_returns.ipynb", preload=("helpers.clean.year", "helpers.publish.workbook")),
    Stage(
        2,
        "compute indicators",
        "02_compute_indicators.ipynb",
        preload=(
            "helpers.compute.catalogue",
            "helpers.clean.year",
            "helpers.compute.indicators",
            "helpers.compute.revisions",
        ),
    ),
    Stage(3, "compare years and targets", "03_compare_years.ipynb", preload=("helpers.compute.years",)),
    Stage(
        4,
        "render review",
        "04_render_review.ipynb",
        takes_lang=True,
        preload=(
            "pandas.io.formats.style",
            "helpers.publish.review",
            "helpers.publish.review_views",
            "helpers.publish.report_docx",
            "helpers.publish.figures:warm_up",
        ),
    ),
)
LANGUAGES = ("vi", "en")
KERNELS_AHEAD = 2
"""Kernels a process keeps started ahead of its next stages: while one stage runs, the next two boot and import
(a short stage 2 or 3 would otherwise wait for its kernel; idle cores, as in a one-year rebuild, take them)."""
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "publish" / "templates"


def review_html_name(lang: str) -> str:
    """``review.html`` (Vietnamese) or ``review.<lang>.html``."""
    return "review.html" if lang == "vi" else f"review.{lang}.html"


def executed_name(stage: Stage, lang: str) -> str:
    """File name of an executed notebook (the review notebook carries its language if not vi)."""
    return (
        stage.notebook if lang == "vi" or not stage.takes_lang else stage.notebook.replace(".ipynb", f".{lang}.ipynb")
    )


@dataclass
class YearOutcome:
    """What happened to one year."""

    year: int
    problems: list[str] = field(default_factory=list)  # files not usable: exit 2
    failure: str | None = None  # a stage failed (a bug, not a data problem): exit 1
    seconds: float = 0.0
    skipped: bool = False  # no folder of returns: nothing was built
    stages_run: list[int] = field(default_factory=list)
    stage_seconds: dict[int, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # files read, but to check (a title naming another year …)


@dataclass
class RunSummary:
    """The outcome of a run over several years."""

    outcomes: list[YearOutcome] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    """Things the analyst should know, not problems (near-miss year folders)."""
    lang: str = "vi"  # the language of the console, as the review's

    @property
    def exit_code(self) -> int:
        """0 all files read; 2 some file could not be used; 1 a stage failed."""
        if any(o.failure for o in self.outcomes):
            return 1
        if any(o.problems for o in self.outcomes):
            return 2
        return 0


def render_html(executed: Path, target: Path, title: str, lang: str = "vi") -> None:
    """Render an executed notebook to self-contained HTML without code cells or prompts.

    Uses the project's ``review`` template: nbconvert's lab look without any
    script from the internet, and print rules for A4.
    """
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="review",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,  # <html lang="vi">: nbconvert takes the language from this trait, not from resources
    )
    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = title
    for cell in notebook.cells:  # papermill gives its injected cell a random id; the HTML must not change with it
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    body, _ = exporter.from_notebook_node(notebook, resources={"language_code": lang})
    write_text(body, target)


def _language_of(name: str) -> str:
    return "en" if ".en." in name else "vi"


def _stage_outputs(stage: int, lang: str, reports: Path) -> list[Path]:
    """Files in a year's reports folder that a stage writes (so stale ones can be removed first)."""
    outputs = [reports / executed_name(STAGES[stage - 1], lang)]
    if stage == 4:
        outputs += [
            reports / review_html_name(lang),
            reports / "indicators.xlsx",
            reports / ("review.docx" if lang == "vi" else f"review.{lang}.docx"),
        ]
        outputs += [p for p in (reports / "figures").glob("*") if _language_of(p.name) == lang]
    return outputs


def _start_staging(paths: ProjectPaths, year: int, first_stage: int, lang: str) -> None:
    """Staging folders for a year, holding the outputs of the stages that will not rerun.

    Raises:
        WriteFailure: the data or reports folder refuses writes (named, not the hidden staging folder).
    """
    processed, reports = paths.staging_processed(year), paths.staging_reports(year)
    for folder, final, root in (
        (processed, paths.final_processed(year), paths.processed_root),
        (reports, paths.final_reports(year), paths.reports_root),
    ):
        shutil.rmtree(folder, ignore_errors=True)
        try:
            with writing(root):
                if final.is_dir():
                    staging.copy_tree(final, folder, ignore=("logs",))
                else:
                    folder.mkdir(parents=True)
        except WriteFailure as failure:
            raise WriteFailure(str(root), failure.problem, failure.action) from None
    # the record of what the year was built from is written only once the new outputs are in place
    (processed / MANIFEST).unlink(missing_ok=True)
    for stage in range(first_stage, 5):
        for path in _stage_outputs(stage, lang, reports):
            path.unlink(missing_ok=True)
    if first_stage <= 3:  # the data change: a review in another language would be stale
        for other in LANGUAGES:
            if other != lang:
                for path in _stage_outputs(4, other, reports):
                    path.unlink(missing_ok=True)


@dataclass(frozen=True)
class StageTask:
    """Stages of one year for a worker: everything as plain values (it crosses process boundaries)."""

    year: int
    stages: tuple[int, ...]
    data_root: str
    reports_root: str
    build_id: str
    lang: str
    transport: str = "ipc"  # how the kernels talk (helpers.build.kernels)
    then: tuple[int, ...] = ()
    """The stages that follow in this process after this task's: their kernels are started ahead of need."""


@dataclass
class StageResult:
    """What became of a :class:`StageTask` (plain values: it crosses process boundaries)."""

    year: int
    failure: str | None = None  # a stage failed: this year only, exit 1
    seconds: dict[int, float] = field(default_factory=dict)
    write_failure: WriteFailure | None = None  # the disk refused a write: the whole run stops, exit 1


def _as_final(failure: WriteFailure, paths: ProjectPaths, year: int) -> WriteFailure:
    """A write failure naming the year's final folders, not its hidden staging folders."""
    where = failure.where
    for staged, final in (
        (paths.staging_processed(year), paths.final_processed(year)),
        (paths.staging_reports(year), paths.final_reports(year)),
    ):
        where = where.replace(str(staged), str(final))
    return WriteFailure(where, failure.problem, failure.action)


def _keep_failed(paths: ProjectPaths, year: int, executed: Path, lang: str) -> str:
    """Keep the failed year's notebooks in ``.failed-<year>``; the words that point the analyst there."""
    failed = paths.reports_root / f".failed-{year}"
    try:
        staging.keep_failed(paths.reports_year(year), failed)
    except WriteFailure as failure:
        return message("runner.failed_not_kept", lang, problem=failure.problem)
    return message("runner.failed_kept", lang, path=failed / executed.name)


def run_stages(task: StageTask) -> StageResult:
    """Run some stages of one year in its staging folders (in a worker process or not)."""
    paths = ProjectPaths(Path(task.data_root), Path(task.reports_root), task.build_id)
    reports = paths.reports_year(task.year)
    parameters = {
        "year": task.year,
        "data_root": task.data_root,
        "reports_root": task.reports_root,
        "build_id": task.build_id,
    }
    result = StageResult(task.year)
    pool = process_pool(task.transport, NOTEBOOKS_DIR)  # each stage gets a kernel of its own, started ahead of need
    for index, number in enumerate(task.stages):
        stage = STAGES[number - 1]
        started = time.perf_counter()
        print(
            message(
                "runner.stage_start",
                task.lang,
                year=task.year,
                number=stage.number,
                count=len(STAGES),
                stage=stage.label(task.lang),
            ),
            flush=True,
        )
        executed = reports / executed_name(stage, task.lang)
        log = reports / "logs" / f"{executed.stem}.kernel.log"
        upcoming = (task.stages[index + 1 :] + task.then)[:KERNELS_AHEAD]
        # nbconvert, for the HTML once the notebook has run, is imported while it runs
        if number == 4 and "nbconvert" not in sys.modules:
            # first, here: the two imports share modules, and one thread at a time imports those
            import papermill  # noqa: F401

            threading.Thread(target=_import_html_exporter, name="coop-review import nbconvert", daemon=True).start()
        try:
            execute_notebook(
                stage.source,
                executed,
                parameters | ({"lang": task.lang} if stage.takes_lang else {}),
                log,
                task.transport,
                NOTEBOOKS_DIR,
                pool=pool,
                preload=stage.kernel_preload,
                ahead=[STAGES[n - 1].kernel_preload for n in upcoming],
            )
        except WriteFailure as failure:
            result.write_failure = _as_final(failure, paths, task.year)
            return result
        except Exception as error:
            # imported here: a stage's kernel boots while papermill is imported
            from papermill.exceptions import PapermillExecutionError

            if not isinstance(error, (PapermillExecutionError, RuntimeError)):
                raise
            if isinstance(error, PapermillExecutionError) and (failure := from_cell_error(error.ename, error.evalue)):
                result.write_failure = _as_final(failure, paths, task.year)
                return result
            cause = f"{error.ename}: {error.evalue}" if isinstance(error, PapermillExecutionError) else str(error)
            kept = _keep_failed(paths, task.year, executed, task.lang)
            result.failure = message(
                "runner.stage_failed",
                task.lang,
                number=stage.number,
                stage=stage.label(task.lang),
                cause=cause,
                year=task.year,
                kept=kept,
            )
            return result
        notebook_seconds = time.perf_counter() - started
        html = ""
        if number == 4:
            title = message("runner.review_title", task.lang, year=task.year)
            try:
                render_html(executed, reports / review_html_name(task.lang), title, task.lang)
            except WriteFailure as failure:
                result.write_failure = _as_final(failure, paths, task.year)
                return result
            # nbconvert raises many kinds; reported as this year's failure, never a traceback
            except Exception as error:
                result.failure = message(
                    "runner.html_failed", task.lang, error=f"{type(error).__name__}: {error}", year=task.year
                )
                return result
            html = message(
                "runner.stage_done_detail",
                task.lang,
                notebook=round(notebook_seconds, 1),
                html=round(time.perf_counter() - started - notebook_seconds, 1),
            )
        result.seconds[number] = time.perf_counter() - started
        done = message(
            "runner.stage_done",
            task.lang,
            year=task.year,
            number=stage.number,
            count=len(STAGES),
            stage=stage.label(task.lang),
            seconds=round(result.seconds[number], 1),
            detail=html,
        )
        print(done, flush=True)
    return result


def _import_html_exporter() -> None:
    import nbconvert  # noqa: F401


def run_chain(tasks: list[StageTask]) -> list[StageResult]:
    """Run tasks one after the other in this process (a worker's share of a phase)."""
    return [run_stages(task) for task in tasks]


def chains(tasks: list[StageTask], count: int, then: tuple[int, ...] = ()) -> list[list[StageTask]]:
    """Share ``tasks`` among ``count`` processes, in turn (the years are of like size).

    Each task learns the stages that follow it in its process — those of the
    tasks after it in its chain, then ``then`` (the next phase, in the same
    process) — so that their kernels are started ahead of need.
    """
    count = max(1, min(count, len(tasks)))
    shares = [tasks[index::count] for index in range(count)]
    return [
        [
            dataclasses.replace(
                task, then=(tuple(n for later in share[position + 1 :] for n in later.stages) + then)[:KERNELS_AHEAD]
            )
            for position, task in enumerate(share)
        ]
        for share in shares
        if share
    ]


def _run_tasks(
    tasks: list[StageTask], jobs: int, workers: ProcessPoolExecutor | None, then: tuple[int, ...] = ()
) -> list[StageResult]:
    """Run a phase's tasks: in this process, or shared among the workers (results in the order of ``tasks``)."""
    if not tasks:
        return []
    if workers is None:
        return run_chain(chains(tasks, 1, then)[0])
    results = [result for done in workers.map(run_chain, chains(tasks, jobs, then)) for result in done]
    order = {task.year: index for index, task in enumerate(tasks)}
    return sorted(results, key=lambda result: order[result.year])


def _start_workers(jobs: int) -> ProcessPoolExecutor:
    # "spawn": a fresh interpreter per worker, nothing inherited from this process's threads (and the
    # same on Windows); each worker watches this process and ends (with its kernels) when it is gone,
    # however it died. The same workers serve both phases: their warm kernels carry over.
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),))


def _year_problems(paths: ProjectPaths, year: int, severity: str = "error") -> list[str]:
    """Files of the year that could not be used (errors of its problems.csv), or its warnings (``"warning"``)."""
    path = paths.final_processed(year) / "problems.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            f"{row['file']}: {row['problem']} — {row['action']}"
            for row in csv.DictReader(handle)
            if row["severity"] == severity
        ]


def run_years(
    years: list[int],
    paths: ProjectPaths,
    say: Callable[[str], None] = print,
    lang: str = "vi",
    jobs: int = 1,
    force: bool = False,
    dry_run: bool = False,
    transport: str | None = None,
) -> RunSummary:
    """Rebuild what changed for each year (everything with ``force``), then the index page.

    Args:
        years: the years to bring up to date.
        paths: data and reports roots.
        say: where progress goes.
        lang: the review's language.
        jobs: worker processes for years that can run side by side.
        force: rerun every stage of every year.
        dry_run: only print the plan.
        transport: the kernels' transport (``ipc`` or ``tcp``); default
            ``$COOP_REVIEW_KERNEL_TRANSPORT``, else what the platform has.

    Raises:
        WriteFailure: the disk refused a write (read-only, full, a file held
            open); the last good outputs of every year not yet moved into
            place are as they were.
    """
    from helpers.build.plan import plan_run

    if lang not in LANGUAGES:
        raise ParameterError(message("runner.bad_lang", lang=lang, choices=", ".join(LANGUAGES)))
    transport = choose_transport(transport)
    summary = RunSummary(lang=lang)
    present = [y for y in sorted(set(years)) if paths.raw_year(y).is_dir()]
    _skip_missing_years(years, present, paths, summary, say)
    if not dry_run:
        for note in staging.recover_interrupted_builds(paths):
            say(note)
    plans = plan_run(paths, present, lang, force)
    _say_plans(plans, say, lang)
    if dry_run:
        summary.outcomes += [YearOutcome(p.year, stages_run=p.stages, reasons=p.reasons) for p in plans]
        return summary
    build = ProjectPaths(paths.data_root, paths.reports_root, f"{os.getpid()}-{int(time.time())}")
    outcomes = {p.year: YearOutcome(p.year, stages_run=p.stages, reasons=p.reasons) for p in plans}
    todo = [p for p in plans if p.stages]
    started = time.perf_counter()
    workers = _start_workers(min(jobs, len(todo))) if jobs > 1 and len(todo) > 1 else None
    try:
        # the first kernels boot while the staging folders are made and papermill is imported
        if workers is None and todo:
            order = [n for phase in ((1, 2), (3, 4)) for plan in todo for n in plan.stages if n in phase]
            process_pool(transport, NOTEBOOKS_DIR).keep_ahead(
                [STAGES[n - 1].kernel_preload for n in order[:KERNELS_AHEAD]]
            )
        for plan in todo:
            _start_staging(build, plan.year, plan.first_stage, lang)
        for phase in ((1, 2), (3, 4)):
            _run_phase(phase, todo, outcomes, build, lang, transport, jobs, workers, say)
        _move_into_place(todo, outcomes, paths, build, say, lang)
    finally:
        if workers is not None:
            workers.shutdown(cancel_futures=True)  # the workers end their spare kernels as they exit
        close_pools()
        staging.remove_build_folders(build)
    _finish(summary, plans, outcomes, paths)
    if todo or not (paths.reports_root / "index.html").is_file():
        from helpers.publish.index_page import write_index

        write_index(paths)
        say(message("runner.index_at", lang, path=paths.reports_root / "index.html"))
    summary.seconds = time.perf_counter() - started
    return summary


def _skip_missing_years(
    years: list[int], present: list[int], paths: ProjectPaths, summary: RunSummary, say: Callable[[str], None]
) -> None:
    """Years without a folder are skipped with a problem; folders that look like a year are noted."""
    lang = summary.lang
    near_misses = paths.near_miss_year_folders()
    for year in sorted(set(years) - set(present)):
        look_alikes = [near.note for near in near_misses if near.year == year]
        action = "; ".join(look_alikes) if look_alikes else message("runner.create_folder", lang)
        outcome = YearOutcome(
            year,
            problems=[message("runner.no_folder", lang, folder=paths.raw_year(year), year=year, action=action)],
            skipped=True,
        )
        summary.outcomes.append(outcome)
        say(message("runner.skipped", lang, year=year, problem=outcome.problems[0]))
    for near in near_misses:
        if near.year not in years or near.has_year_folder:  # those of a skipped year are in its problem already
            summary.notes.append(near.note)
            say(message("runner.note", lang, note=near.note))


def _say_plans(plans: list, say: Callable[[str], None], lang: str) -> None:
    """Each year's plan: up to date, or the stages to run and why."""
    for plan in plans:
        if not plan.stages:
            say(message("runner.up_to_date", lang, year=plan.year))
            continue
        more = message("runner.more_reasons", lang, count=len(plan.reasons) - 4) if len(plan.reasons) > 4 else ""
        reasons = "; ".join(plan.reasons[:4])
        say(message("runner.run_stages", lang, year=plan.year, first=plan.stages[0], reasons=reasons, more=more))


def _run_phase(
    phase: tuple[int, int],
    todo: list,
    outcomes: dict[int, YearOutcome],
    build: ProjectPaths,
    lang: str,
    transport: str,
    jobs: int,
    workers: ProcessPoolExecutor | None,
    say: Callable[[str], None],
) -> None:
    """Run the stages of ``phase`` of every year not failed yet; a year that fails is set aside.

    Raises:
        WriteFailure: a stage could not write (no year can be built on this disk: one message).
    """
    tasks = [
        StageTask(
            p.year,
            tuple(s for s in p.stages if s in phase),
            str(build.data_root),
            str(build.reports_root),
            build.build_id,
            lang,
            transport,
        )
        for p in todo
        if outcomes[p.year].failure is None and any(s in phase for s in p.stages)
    ]
    results = _run_tasks(tasks, jobs, workers, then=(3, 4) if phase == (1, 2) else ())
    for result in results:
        if result.write_failure:
            raise result.write_failure
    for result in results:
        outcomes[result.year].stage_seconds.update(result.seconds)
        if result.failure:
            outcomes[result.year].failure = result.failure
            say(f"[{result.year}] {result.failure}")
            staging.discard(build, result.year)  # later years read its last good indicators


def _move_into_place(
    todo: list,
    outcomes: dict[int, YearOutcome],
    paths: ProjectPaths,
    build: ProjectPaths,
    say: Callable[[str], None],
    lang: str,
) -> None:
    """Move the complete years into place, in order, each with the record of what it was built from."""
    from helpers.build.plan import read_manifest, write_manifest
    from helpers.compute.revisions import report_revisions

    failed_early = [year for year, outcome in outcomes.items() if outcome.failure and 3 not in outcome.stage_seconds]
    for plan in todo:
        if outcomes[plan.year].failure:
            continue
        stages = dict(plan.inputs.stages)
        if plan.first_stage == 4:  # the other language's review was carried over and is still current
            stages = {k: v for k, v in read_manifest(paths, plan.year).items() if k.startswith("4:")} | stages
        if any(year < plan.year for year in failed_early):
            # stage 3 read an earlier year's last good indicators, not the new ones that failed:
            # leave stages 3–4 unrecorded, so that the next run redoes them
            stages = {k: v for k, v in stages.items() if k in ("1", "2")}
        report_revisions(build.staging_processed(plan.year), paths.final_processed(plan.year), plan.year, say)
        staging.swap_into_place(
            [
                (build.staging_processed(plan.year), paths.final_processed(plan.year)),
                (build.staging_reports(plan.year), paths.final_reports(plan.year)),
            ],
            build.build_id,
        )
        write_manifest(paths.final_processed(plan.year), stages)
        review = paths.final_reports(plan.year) / review_html_name(lang)
        say(message("runner.review_at", lang, year=plan.year, path=review))


def _finish(summary: RunSummary, plans: list, outcomes: dict[int, YearOutcome], paths: ProjectPaths) -> None:
    """Each planned year's outcome, with the problems (and, when its returns were read, warnings) of its build."""
    for plan in plans:
        outcome = outcomes[plan.year]
        outcome.problems = _year_problems(paths, plan.year)
        if outcome.stages_run and 1 in outcome.stages_run:
            outcome.warnings = _year_problems(paths, plan.year, "warning")  # said once, when the returns are read
        outcome.seconds = sum(outcome.stage_seconds.values())
        summary.outcomes.append(outcome)
    summary.outcomes.sort(key=lambda o: o.year)


def _state(outcome: YearOutcome, lang: str) -> str:
    """What became of a year, in words: failed, skipped, up to date or built (and whether with problems)."""
    if outcome.failure:
        state = message("runner.state_failed", lang)
    elif outcome.skipped:
        state = message("runner.state_skipped", lang)
    elif not outcome.stages_run:
        state = message("runner.state_up_to_date", lang)
    else:
        state = message("runner.state_built", lang, first=outcome.stages_run[0], seconds=round(outcome.seconds, 1))
    if outcome.problems and not outcome.skipped:
        state += message("runner.state_with_problems", lang)
    return state


def _say_list(say: Callable[[str], None], heading: str, lines: list[str]) -> None:
    """A heading and its lines after a blank line; nothing when there are no lines."""
    if lines:
        say("")
        say(heading)
        for line in lines:
            say(f"  {line}")


def print_summary(summary: RunSummary, say: Callable[[str], None] = print) -> None:
    """The end-of-run summary: per year, and every problem listed."""
    lang = summary.lang
    say("")
    say(message("runner.summary", lang))
    for outcome in summary.outcomes:
        say(f"  {outcome.year}: {_state(outcome, lang)}")
    say("  " + message("runner.total_time", lang, seconds=round(summary.seconds, 1)))
    problems = [f"{o.year} › {p}" for o in summary.outcomes for p in o.problems]
    _say_list(say, message("runner.unusable_files", lang, count=len(problems)), problems)
    for outcome in summary.outcomes:
        if outcome.failure:
            say(f"  {outcome.year} › {outcome.failure}")
    warnings = [f"{o.year} › {w}" for o in summary.outcomes for w in o.warnings]
    _say_list(say, message("runner.files_to_check", lang, count=len(warnings)), warnings)
    _say_list(say, message("runner.notes", lang, count=len(summary.notes)), summary.notes)
    sys.stdout.flush()
