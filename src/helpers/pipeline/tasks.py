"""Running stages: one year's stages in order, in this process or shared among worker processes.

A :class:`StageTask` (some stages of one year) crosses process boundaries as
plain values; :func:`run_stages` executes its notebooks with papermill in the
year's staging folders and returns a :class:`StageResult`. A stage that fails
is this year's failure (exit 1; its notebook kept in ``.failed-<year>``); a
disk that refuses a write stops the whole run (:class:`~helpers.errors.WriteFailure`).
"""

from __future__ import annotations

import dataclasses
import importlib
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from helpers.errors import WriteFailure
from helpers.faults import from_cell_error
from helpers.messages import message
from helpers.paths import NOTEBOOKS_DIR, ProjectPaths
from helpers.pipeline import staging
from helpers.pipeline.kernels import execute_notebook, process_pool
from helpers.pipeline.processes import watch_parent
from helpers.pipeline.stages import STAGES, Stage, executed_name

KERNELS_AHEAD = 2
"""Kernels a process keeps started ahead of its next stages: while one stage runs, the next two boot and import
(a short stage 2 or 3 would otherwise wait for its kernel; idle cores, as in a one-year rebuild, take them)."""


@dataclass(frozen=True)
class StageTask:
    """Stages of one year for a worker: everything as plain values (it crosses process boundaries)."""

    year: int
    stages: tuple[int, ...]
    data_root: str
    reports_root: str
    build_id: str
    lang: str
    transport: str = "ipc"  # how the kernels talk (helpers.pipeline.kernels)
    then: tuple[int, ...] = ()  # the stages that follow in this process: their kernels are started ahead of need


@dataclass
class StageResult:
    """What became of a :class:`StageTask` (plain values: it crosses process boundaries)."""

    year: int
    failure: str | None = None  # a stage failed: this year only, exit 1
    seconds: dict[int, float] = field(default_factory=dict)
    write_failure: WriteFailure | None = None  # the disk refused a write: the whole run stops, exit 1


class _StageFailed(Exception):
    """A stage of the task failed; ``result`` already says how."""


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


def _import_in_background(modules: tuple[str, ...]) -> None:
    """Import ``modules`` in a thread while a notebook runs (what the stage's finish needs)."""
    modules = tuple(name for name in modules if name not in sys.modules)
    if not modules:
        return
    import papermill  # noqa: F401  (first, here: the imports share modules, and one thread at a time imports those)

    def load() -> None:
        for name in modules:
            importlib.import_module(name)

    threading.Thread(target=load, name="coop-review imports", daemon=True).start()


def _execute(
    task: StageTask, stage: Stage, executed: Path, pool, upcoming: tuple[int, ...], result: StageResult
) -> None:
    """Execute one stage's notebook; on failure fill ``result`` and raise :class:`_StageFailed`."""
    paths = ProjectPaths(Path(task.data_root), Path(task.reports_root), task.build_id)
    parameters = {"year": task.year, "data_root": task.data_root, "reports_root": task.reports_root}
    parameters |= {"build_id": task.build_id} | ({"lang": task.lang} if stage.takes_lang else {})
    log = paths.reports_year(task.year) / "logs" / f"{executed.stem}.kernel.log"
    ahead = [STAGES[n - 1].kernel_preload for n in upcoming]
    try:
        execute_notebook(
            stage.source, executed, parameters, log, task.transport, NOTEBOOKS_DIR,
            pool=pool, preload=stage.kernel_preload, ahead=ahead,
        )  # fmt: skip
    except WriteFailure as failure:
        result.write_failure = _as_final(failure, paths, task.year)
        raise _StageFailed from None
    except Exception as error:
        # imported here: a stage's kernel boots while papermill is imported
        from papermill.exceptions import PapermillExecutionError

        if not isinstance(error, PapermillExecutionError | RuntimeError):
            raise
        if isinstance(error, PapermillExecutionError) and (failure := from_cell_error(error.ename, error.evalue)):
            result.write_failure = _as_final(failure, paths, task.year)
            raise _StageFailed from None
        cause = f"{error.ename}: {error.evalue}" if isinstance(error, PapermillExecutionError) else str(error)
        kept = _keep_failed(paths, task.year, executed, task.lang)
        label = stage.label(task.lang)
        result.failure = message(
            "runner.stage_failed", task.lang, number=stage.number, stage=label, cause=cause, year=task.year, kept=kept
        )
        raise _StageFailed from None


def _finish(task: StageTask, stage: Stage, executed: Path, result: StageResult) -> None:
    """Run the stage's work after its notebook (the HTML review); on failure fill ``result`` and raise."""
    paths = ProjectPaths(Path(task.data_root), Path(task.reports_root), task.build_id)
    try:
        stage.finish(executed, paths.reports_year(task.year), task.year, task.lang)
    except WriteFailure as failure:
        result.write_failure = _as_final(failure, paths, task.year)
        raise _StageFailed from None
    except Exception as error:  # nbconvert raises many kinds; reported as this year's failure, never a traceback
        error_text = f"{type(error).__name__}: {error}"
        result.failure = message("runner.html_failed", task.lang, error=error_text, year=task.year)
        raise _StageFailed from None


def run_stages(task: StageTask) -> StageResult:
    """Run some stages of one year in its staging folders (in a worker process or not)."""
    reports = ProjectPaths(Path(task.data_root), Path(task.reports_root), task.build_id).reports_year(task.year)
    result = StageResult(task.year)
    pool = process_pool(task.transport, NOTEBOOKS_DIR)  # each stage gets a kernel of its own, started ahead of need
    count = len(STAGES)
    for index, number in enumerate(task.stages):
        stage = STAGES[number - 1]
        label = stage.label(task.lang)
        started = time.perf_counter()
        print(
            message("runner.stage_start", task.lang, year=task.year, number=number, count=count, stage=label),
            flush=True,
        )
        executed = reports / executed_name(stage, task.lang)
        _import_in_background(stage.imports_while_running)
        try:
            _execute(task, stage, executed, pool, (task.stages[index + 1 :] + task.then)[:KERNELS_AHEAD], result)
            notebook_seconds = time.perf_counter() - started
            detail = ""
            if stage.finish is not None:
                _finish(task, stage, executed, result)
                finish_seconds = round(time.perf_counter() - started - notebook_seconds, 1)
                detail = message(
                    "runner.stage_done_detail", task.lang, notebook=round(notebook_seconds, 1), html=finish_seconds
                )
        except _StageFailed:
            return result
        result.seconds[number] = time.perf_counter() - started
        seconds = round(result.seconds[number], 1)
        done = message(
            "runner.stage_done",
            task.lang,
            year=task.year,
            number=number,
            count=count,
            stage=label,
            seconds=seconds,
            detail=detail,
        )
        print(done, flush=True)
    return result


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

    def following(share: list[StageTask], position: int) -> tuple[int, ...]:
        return (tuple(n for later in share[position + 1 :] for n in later.stages) + then)[:KERNELS_AHEAD]

    return [
        [dataclasses.replace(task, then=following(share, position)) for position, task in enumerate(share)]
        for share in shares
        if share
    ]


def run_tasks(
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


def start_workers(jobs: int) -> ProcessPoolExecutor:
    """Worker processes for a run: fresh interpreters that end (with their kernels) when this process is gone."""
    # "spawn": a fresh interpreter per worker, nothing inherited from this process's threads (and the
    # same on Windows); each worker watches this process and ends (with its kernels) when it is gone,
    # however it died. The same workers serve both phases: their warm kernels carry over.
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),))
