"""The runner: owns the order of the stages and brings every year up to date.

A run rebuilds only what changed (:mod:`helpers.pipeline.plan`), in two phases: the
stages 1–2 of every year that needs them, in parallel worker processes, then
the stages 3–4 (which read the earlier years' indicators), in parallel too
(:mod:`helpers.pipeline.tasks`). The stages themselves — their notebooks and what
they publish — are :mod:`helpers.pipeline.stages`. Each year is built in staging
folders (:mod:`helpers.pipeline.staging`); all successful years are moved into
place at the end of the run; ``reports/all_years.xlsx`` then holds every year's
indicators in one table, and ``reports/index.html`` lists every year. The
tables the analyst edits are checked before anything is built
(:mod:`helpers.pipeline.preflight`). A disk that refuses a write stops the run with
one :class:`~helpers.errors.WriteFailure` message (:mod:`helpers.faults`).

Why this module is long: :func:`run_years` is the order of a run in named steps (missing
folders, the edited tables, the plan, the build phase by phase, the swap into place, the
index, the summary); what it drives — stages, tasks, staging, plan — are modules of their own.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers.errors import EXIT_FAILED, EXIT_OK, EXIT_UNUSABLE, ParameterError
from helpers.messages import LANGUAGES, message
from helpers.paths import NOTEBOOKS_DIR, ProjectPaths
from helpers.pipeline import staging, tasks
from helpers.pipeline.kernels import choose_transport, close_pools, process_pool
from helpers.pipeline.stages import (
    PHASES,
    READS_EARLIER_YEARS,
    STAGES,
    all_years_workbook,
    final_document,
    index_of_years,
    write_index_of_years,
)
from helpers.pipeline.tasks import KERNELS_AHEAD, StageTask
from helpers.tables import PROBLEMS, REJECTS, REJECTS_WORKBOOK

REASONS_SHOWN = 4
"""Reasons to rebuild a year said on the console (the others are counted)."""


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
    rejected_rows: int = 0  # rows of its returns rejected (rejects.csv): in the summary, with the workbook to send
    rejects_file: str = ""  # where the rejects workbook is, as the summary shows it


@dataclass
class RunSummary:
    """The outcome of a run over several years."""

    outcomes: list[YearOutcome] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(
        default_factory=list
    )  # things the analyst should know, not problems (near-miss year folders)
    table_problems: list[str] = field(
        default_factory=list
    )  # tables the analyst edits that cannot be used: nothing built
    lang: str = "vi"  # the language of the console, as the review's

    @property
    def exit_code(self) -> int:
        """The rule of :func:`helpers.errors.exit_code`: 1 a stage failed; 2 a file or table was unusable; else 0."""
        if any(o.failure for o in self.outcomes):
            return EXIT_FAILED
        if self.table_problems or any(o.problems for o in self.outcomes):
            return EXIT_UNUSABLE
        return EXIT_OK


def _year_problems(paths: ProjectPaths, year: int, severity: str = "error") -> list[str]:
    """Files of the year that could not be used (errors of its problems.csv), or its warnings (``"warning"``)."""
    path = paths.final_processed(year) / PROBLEMS
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            f"{row['file']}: {row['problem']} — {row['action']}"
            for row in csv.DictReader(handle)
            if row["severity"] == severity
        ]


def _rejected_rows(paths: ProjectPaths, year: int) -> int:
    """Rows of a year's returns that were rejected (each once, however many of its cells were wrong)."""
    path = paths.final_processed(year) / REJECTS
    if not path.is_file():
        return 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return len({(row["file"], row["sheet"], row["row"]) for row in csv.DictReader(handle)})


def shown_path(path: Path) -> str:
    """A path as the console shows it: relative to the working folder when under it, else in full.

    On Windows a path on another drive has no relative form (``os.path.relpath`` raises): it is shown in full.
    """
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
    from helpers.pipeline.plan import plan_run
    from helpers.pipeline.preflight import check_edited_tables

    if lang not in LANGUAGES:
        raise ParameterError(message("runner.bad_lang", lang=lang, choices=", ".join(LANGUAGES)))
    transport = choose_transport(transport)
    summary = RunSummary(lang=lang)
    present = [y for y in sorted(set(years)) if paths.raw_year(y).is_dir()]
    _say_missing_folders(summary, paths, years, present, say)
    summary.table_problems = [str(problem) for problem in check_edited_tables(paths, present)]
    if summary.table_problems:  # nothing is built on a table that cannot be used: the last good outputs stay
        for problem in summary.table_problems:
            say(message("runner.table_unusable", lang, problem=problem))
        return summary
    if not dry_run:
        for note in staging.recover_interrupted_builds(paths):
            say(note)
    plans = plan_run(paths, present, lang, force)
    _say_plans(plans, lang, say)
    if dry_run:
        summary.outcomes += [YearOutcome(p.year, stages_run=p.stages, reasons=p.reasons) for p in plans]
        return summary
    started = time.perf_counter()
    outcomes = {p.year: YearOutcome(p.year, stages_run=p.stages, reasons=p.reasons) for p in plans}
    _build(plans, outcomes, paths, lang, jobs, transport, say)
    summary.outcomes += [_finished(outcomes[plan.year], paths) for plan in plans]
    summary.outcomes.sort(key=lambda o: o.year)
    _write_across_years(paths, any(p.stages for p in plans), lang, say)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_across_years(paths: ProjectPaths, built: bool, lang: str, say: Callable[[str], None]) -> None:
    """``all_years.xlsx`` and the index page, after a run that built something or when either is missing."""
    index, workbook = index_of_years(paths), all_years_workbook(paths)
    if built or not index.is_file() or not workbook.is_file():
        write_index_of_years(paths)
        say(message("runner.index_at", lang, path=index))
        if workbook.is_file():
            say(message("runner.all_years_at", lang, path=workbook))


def _finished(outcome: YearOutcome, paths: ProjectPaths) -> YearOutcome:
    """A built year's outcome completed from what it wrote: its unusable files, its notes, its rejected rows."""
    year = outcome.year
    outcome.problems = _year_problems(paths, year)
    if outcome.stages_run and 1 in outcome.stages_run:
        outcome.warnings = _year_problems(paths, year, "warning")  # said once, when the returns are read
    outcome.seconds = sum(outcome.stage_seconds.values())
    if outcome.failure is None:
        outcome.rejected_rows = _rejected_rows(paths, year)
        outcome.rejects_file = shown_path(paths.final_processed(year) / REJECTS_WORKBOOK)
    return outcome


def _say_missing_folders(
    summary: RunSummary, paths: ProjectPaths, years: list[int], present: list[int], say: Callable[[str], None]
) -> None:
    """Years without a folder of returns (skipped, a problem each) and near-miss folders (a note each)."""
    lang = summary.lang
    near_misses = paths.near_miss_year_folders()
    for year in sorted(set(years) - set(present)):
        look_alikes = [near.note for near in near_misses if near.year == year]
        action = "; ".join(look_alikes) if look_alikes else message("runner.create_folder", lang)
        problem = message("runner.no_folder", lang, folder=paths.raw_year(year), year=year, action=action)
        summary.outcomes.append(YearOutcome(year, problems=[problem], skipped=True))
        say(message("runner.skipped", lang, year=year, problem=problem))
    for near in near_misses:
        if near.year not in years or near.has_year_folder:  # those of a skipped year are in its problem already
            summary.notes.append(near.note)
            say(message("runner.note", lang, note=near.note))


def _say_plans(plans: list, lang: str, say: Callable[[str], None]) -> None:
    """One line per year: up to date, or the stages that rerun and why (the first four reasons)."""
    for plan in plans:
        if not plan.stages:
            say(message("runner.up_to_date", lang, year=plan.year))
            continue
        hidden = len(plan.reasons) - REASONS_SHOWN
        more = message("runner.more_reasons", lang, count=hidden) if hidden > 0 else ""
        reasons = "; ".join(plan.reasons[:REASONS_SHOWN])
        say(message("runner.run_stages", lang, year=plan.year, first=plan.stages[0], reasons=reasons, more=more))


def _build(
    plans: list,
    outcomes: dict[int, YearOutcome],
    paths: ProjectPaths,
    lang: str,
    jobs: int,
    transport: str,
    say: Callable[[str], None],
) -> None:
    """Build the years that need it in staging folders, phase by phase, then move the complete ones into place."""
    build = ProjectPaths(paths.data_root, paths.reports_root, f"{os.getpid()}-{int(time.time())}")
    todo = [p for p in plans if p.stages]
    workers = tasks.start_workers(min(jobs, len(todo))) if jobs > 1 and len(todo) > 1 else None
    try:
        if workers is None and todo:  # the first kernels boot while the staging folders are made
            order = [n for phase in PHASES for plan in todo for n in plan.stages if n in phase]
            ahead = [STAGES[n - 1].kernel_preload for n in order[:KERNELS_AHEAD]]
            process_pool(transport, NOTEBOOKS_DIR).keep_ahead(ahead)
        for plan in todo:
            staging.start_year(build, plan.year, plan.first_stage, lang)
        for phase in PHASES:
            _run_phase(phase, todo, outcomes, build, lang, jobs, workers, transport, say)
        for plan in todo:  # move complete years into place, in order
            if outcomes[plan.year].failure is None:
                _move_into_place(plan, outcomes, build, paths, lang, say)
    finally:
        if workers is not None:
            workers.shutdown(cancel_futures=True)  # the workers end their spare kernels as they exit
        close_pools()
        staging.remove_build_folders(build)


def _run_phase(phase, todo, outcomes, build: ProjectPaths, lang, jobs, workers, transport, say) -> None:
    """Run one phase's stages of every year still standing; a year whose stage fails is discarded."""
    later = PHASES[PHASES.index(phase) + 1] if phase != PHASES[-1] else ()
    data, reports = str(build.data_root), str(build.reports_root)
    phase_tasks = [
        StageTask(p.year, tuple(s for s in p.stages if s in phase), data, reports, build.build_id, lang, transport)
        for p in todo
        if outcomes[p.year].failure is None and any(s in phase for s in p.stages)
    ]
    results = tasks.run_tasks(phase_tasks, jobs, workers, then=later)
    for result in results:
        if result.write_failure:  # no year can be built on this disk: stop, one message
            raise result.write_failure
    for result in results:
        outcomes[result.year].stage_seconds.update(result.seconds)
        if result.failure:
            outcomes[result.year].failure = result.failure
            say(f"[{result.year}] {result.failure}")
            staging.discard(build, result.year)  # later years read its last good indicators


def _move_into_place(plan, outcomes, build: ProjectPaths, paths: ProjectPaths, lang: str, say) -> None:
    """Swap a complete year's staging folders into place and record what it was built from."""
    from helpers.compute.revisions import report_revisions
    from helpers.pipeline.plan import read_manifest, write_manifest

    stages = dict(plan.inputs.stages)
    if STAGES[plan.first_stage - 1].takes_lang:  # only the review reran: the other languages' are still current
        per_language = tuple(f"{stage.number}:" for stage in STAGES if stage.takes_lang)
        stages = {k: v for k, v in read_manifest(paths, plan.year).items() if k.startswith(per_language)} | stages
    failed_early = [
        year
        for year, outcome in outcomes.items()
        if outcome.failure and READS_EARLIER_YEARS not in outcome.stage_seconds
    ]
    if any(year < plan.year for year in failed_early):
        # stage 3 read an earlier year's last good indicators, not the new ones that failed:
        # leave stages 3–4 unrecorded, so that the next run redoes them
        stages = {k: v for k, v in stages.items() if int(k.split(":")[0]) < READS_EARLIER_YEARS}
    report_revisions(build.staging_processed(plan.year), paths.final_processed(plan.year), plan.year, say)
    staging.swap_into_place(
        [
            (build.staging_processed(plan.year), paths.final_processed(plan.year)),
            (build.staging_reports(plan.year), paths.final_reports(plan.year)),
        ],
        build.build_id,
    )
    outcome = outcomes[plan.year]
    write_manifest(paths.final_processed(plan.year), stages, build.build_id, outcome.stage_seconds)
    review = final_document(paths.final_reports(plan.year), lang)
    say(message("runner.review_at", lang, year=plan.year, path=review))


def print_summary(summary: RunSummary, say: Callable[[str], None] = print) -> None:
    """The end-of-run summary: per year, and every problem listed."""
    lang = summary.lang
    say("")
    say(message("runner.summary", lang))
    for outcome in summary.outcomes:
        say(f"  {outcome.year}: {_state_of(outcome, lang)}")
    say("  " + message("runner.total_time", lang, seconds=round(summary.seconds, 1)))
    _say_block(say, message("runner.tables_stop", lang, count=len(summary.table_problems)), summary.table_problems)
    problems = [f"{o.year} › {p}" for o in summary.outcomes for p in o.problems]
    _say_block(say, message("runner.unusable_files", lang, count=len(problems)), problems)
    for outcome in summary.outcomes:
        if outcome.failure:
            say(f"  {outcome.year} › {outcome.failure}")
    warnings = [f"{o.year} › {w}" for o in summary.outcomes for w in o.warnings]
    _say_block(say, message("runner.files_to_check", lang, count=len(warnings)), warnings)
    _say_block(say, message("runner.notes", lang, count=len(summary.notes)), summary.notes)
    sys.stdout.flush()


def _state_of(outcome: YearOutcome, lang: str) -> str:
    """A year's line of the summary: failed, skipped, up to date or built, and whether a file was unusable."""
    if outcome.failure:
        state = message("runner.state_failed", lang)
    elif outcome.skipped:
        state = message("runner.state_skipped", lang)
    elif not outcome.stages_run:
        state = message("runner.state_up_to_date", lang)
    else:
        seconds = round(outcome.seconds, 1)
        state = message("runner.state_built", lang, first=outcome.stages_run[0], seconds=seconds)
    if outcome.problems and not outcome.skipped:
        state += message("runner.state_with_problems", lang)
    if outcome.rejected_rows and not outcome.failure:
        key = "runner.rejected_one" if outcome.rejected_rows == 1 else "runner.rejected_rows"
        state += message(key, lang, rows=outcome.rejected_rows, path=outcome.rejects_file)
    return state


def _say_block(say: Callable[[str], None], heading: str, lines: list[str]) -> None:
    """A blank line, a heading and the lines indented; nothing when there are no lines."""
    if not lines:
        return
    say("")
    say(heading)
    for line in lines:
        say(f"  {line}")
