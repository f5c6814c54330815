"""The runner: owns the order of the stages and executes them with papermill.

A year's review is four parameterized notebooks, run in order:

1. ``01_clean_returns`` — read the returns, write cleaned tables and ledgers;
2. ``02_compute_indicators`` — sections A and B, ``indicators.csv``;
3. ``03_compare_years`` — section C: changes, cumulative totals, targets, cross-checks;
4. ``04_render_review`` — figures, tables, the ledger, ``indicators.xlsx``.

Each executed notebook is kept in ``reports/<year>/``; the review notebook is
also rendered to ``reports/<year>/review.html`` (``review.en.html`` in
English) without code cells, and ``reports/index.html`` lists every year.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.errors import ParameterError
from helpers.outputs import write_text
from helpers.paths import BUILD_PREFIX, NOTEBOOKS_DIR, ProjectPaths


@dataclass(frozen=True)
class Stage:
    """One numbered stage: a notebook of ``notebooks/``."""

    number: int
    name: str
    notebook: str
    takes_lang: bool = False

    @property
    def source(self) -> Path:
        """The source notebook (stripped of outputs, committed)."""
        return NOTEBOOKS_DIR / self.notebook


STAGES = (
    Stage(1, "clean returns", "01_clean_returns.ipynb"),
    Stage(2, "compute indicators", "02_compute_indicators.ipynb"),
    Stage(3, "compare years and targets", "03_compare_years.ipynb"),
    Stage(4, "render review", "04_render_review.ipynb", takes_lang=True),
)
LANGUAGES = ("vi", "en")
TEMPLATES_DIR = Path(__file__).parent / "templates"


def review_html_name(lang: str) -> str:
    """``review.html`` (Vietnamese) or ``review.<lang>.html``."""
    return "review.html" if lang == "vi" else f"review.{lang}.html"


def executed_name(stage: Stage, lang: str) -> str:
    """File name of an executed notebook (the review notebook carries its language if not vi)."""
    return stage.notebook if lang == "vi" or not stage.takes_lang else stage.notebook.replace(".ipynb", f".{lang}.ipynb")


@dataclass
class YearOutcome:
    """What happened to one year."""

    year: int
    problems: list[str] = field(default_factory=list)  # files not usable: exit 2
    failure: str | None = None  # a stage failed (a bug, not a data problem): exit 1
    seconds: float = 0.0
    skipped: bool = False  # no folder of returns: nothing was built


@dataclass
class RunSummary:
    """The outcome of a run over several years."""

    outcomes: list[YearOutcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all files read; 2 some file could not be used; 1 a stage failed."""
        if any(o.failure for o in self.outcomes):
            return 1
        if any(o.problems for o in self.outcomes):
            return 2
        return 0


def _kernel_manager_logging_to(log: Path) -> type:
    """A kernel manager class whose kernel writes its own stderr to ``log``.

    ipykernel prints start-up notes and, at shutdown, occasional zmq noise
    ("Socket operation on non-socket") to its process stderr. That is not for
    the analyst's terminal; the log keeps it for whoever debugs a failed stage.
    """
    from jupyter_client.manager import AsyncKernelManager

    class StageKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("wb") as handle:
                kw["stderr"] = handle
                kw["stdout"] = handle
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return StageKernelManager


def _execute(stage: Stage, output: Path, parameters: dict, kernel_log: Path) -> None:
    import papermill

    papermill.execute_notebook(
        str(stage.source),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOKS_DIR),
        log_output=False,
        kernel_manager_class=_kernel_manager_logging_to(kernel_log),
    )


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


def _start_staging(paths: ProjectPaths, year: int, build_id: str, lang: str) -> ProjectPaths:
    """Fresh staging folders for ``year``; the other language's review is carried over from the last build."""
    staged = ProjectPaths(paths.data_root, paths.reports_root, build_id, year)
    for folder in (staged.processed_year(year), staged.reports_year(year)):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    final = paths.reports_year(year)
    if final.is_dir():
        for source in final.rglob("*"):
            if source.is_file() and _language_of(source.name) != lang and "logs" not in source.parts:
                target = staged.reports_year(year) / source.relative_to(final)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    return staged


def _swap_into_place(staged: Path, final: Path, build_id: str) -> None:
    """Move a complete staging folder onto ``final``; the old one is removed only after."""
    old = final.parent / f".old-{build_id}-{final.name}"
    if final.exists():
        os.replace(final, old)
    os.replace(staged, final)
    shutil.rmtree(old, ignore_errors=True)


def _discard(staged: ProjectPaths, year: int) -> None:
    for folder in (staged.processed_year(year).parent, staged.reports_year(year).parent):
        if folder.name.startswith(BUILD_PREFIX):
            shutil.rmtree(folder, ignore_errors=True)


def recover_interrupted_builds(paths: ProjectPaths) -> list[str]:
    """Clean up after a run that was killed: restore swapped-out folders, drop stale staging.

    A staging folder of a process that is still running is left alone.
    """
    notes = []
    for root in (paths.processed_root, paths.reports_root):
        if not root.is_dir():
            continue
        for old in root.glob(".old-*"):
            year = old.name.rsplit("-", 1)[-1]
            final = root / year
            if not final.exists():
                os.replace(old, final)
                notes.append(f"restored {final} from an interrupted run")
            else:
                shutil.rmtree(old, ignore_errors=True)
        for staging in root.glob(f"{BUILD_PREFIX}*"):
            pid = staging.name[len(BUILD_PREFIX):].split("-")[0]
            if pid.isdigit() and _is_running(int(pid)):
                continue
            shutil.rmtree(staging, ignore_errors=True)
            notes.append(f"removed the unfinished build {staging}")
    return notes


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_year(year: int, paths: ProjectPaths, say: Callable[[str], None], lang: str = "vi") -> YearOutcome:
    """Run the stages of one year in staging folders; move them into place only when all succeeded.

    Never raises for data problems. If a stage fails (or the run is stopped),
    the last good outputs of the year stay as they were; the failed executed
    notebooks are kept in ``<reports>/.failed-<year>/`` to see what went wrong.
    """
    from papermill.exceptions import PapermillExecutionError

    outcome = YearOutcome(year)
    started = time.perf_counter()
    build_id = f"{os.getpid()}-{year}"
    staged = _start_staging(paths, year, build_id, lang)
    reports = staged.reports_year(year)
    parameters = {"year": year, "data_root": str(paths.data_root), "reports_root": str(paths.reports_root), "build_id": build_id}
    try:
        for stage in STAGES:
            stage_started = time.perf_counter()
            say(f"[{year}] {stage.number}/{len(STAGES)} {stage.name} …")
            executed = reports / executed_name(stage, lang)
            try:
                _execute(stage, executed, parameters | ({"lang": lang} if stage.takes_lang else {}), reports / "logs" / f"{executed.stem}.kernel.log")
            except PapermillExecutionError as error:
                failed = paths.reports_root / f".failed-{year}"
                shutil.rmtree(failed, ignore_errors=True)
                shutil.copytree(reports, failed)
                outcome.failure = (
                    f"stage {stage.number} ({stage.name}) failed: {error.ename}: {error.evalue} — the outputs of {year} "
                    f"were left as they were; see the executed notebook {failed / executed.name}"
                )
                say(f"[{year}] {outcome.failure}")
                break
            say(f"[{year}] {stage.number}/{len(STAGES)} {stage.name} done in {time.perf_counter() - stage_started:.1f} s")
        if outcome.failure is None:
            title = f"Sơ kết năm {year}" if lang == "vi" else f"Review of {year}"
            render_html(executed, reports / review_html_name(lang), title, lang)
            problems_csv = staged.processed_year(year) / "problems.csv"
            problems = pd.read_csv(problems_csv, keep_default_na=False)
            errors = problems[problems["severity"] == "error"]
            outcome.problems = [f"{row.file}: {row.problem} — {row.action}" for row in errors.itertuples()]
            _swap_into_place(staged.processed_year(year), paths.processed_year(year), build_id)
            _swap_into_place(reports, paths.reports_year(year), build_id)
            say(f"[{year}] review: {paths.reports_year(year) / review_html_name(lang)}")
    finally:
        _discard(staged, year)
    outcome.seconds = time.perf_counter() - started
    return outcome


def run_years(years: list[int], paths: ProjectPaths, say: Callable[[str], None] = print, lang: str = "vi") -> RunSummary:
    """Run every stage for each year, in year order (later years read earlier indicators), then the index page."""
    from helpers.index_page import write_index

    if lang not in LANGUAGES:
        raise ParameterError(f"--lang {lang}: choose one of {', '.join(LANGUAGES)}")
    for note in recover_interrupted_builds(paths):
        say(note)
    summary = RunSummary()
    for year in sorted(set(years)):
        if not paths.raw_year(year).is_dir():
            outcome = YearOutcome(year, problems=[f"{paths.raw_year(year)}: no folder of returns for {year} — create it and put the year's returns in it"], skipped=True)
            summary.outcomes.append(outcome)
            say(f"[{year}] skipped: {outcome.problems[0]}")
            continue
        summary.outcomes.append(run_year(year, paths, say, lang))
    write_index(paths)
    say(f"index of every year: {paths.reports_root / 'index.html'}")
    return summary


def print_summary(summary: RunSummary, say: Callable[[str], None] = print) -> None:
    """The end-of-run summary: per year, and every problem listed."""
    say("")
    say("Summary")
    for outcome in summary.outcomes:
        state = "FAILED" if outcome.failure else "skipped" if outcome.skipped else ("built, with problems" if outcome.problems else "built")
        say(f"  {outcome.year}: {state} ({outcome.seconds:.1f} s)")
    problems = [(o.year, p) for o in summary.outcomes for p in o.problems]
    if problems:
        say("")
        say(f"Files that could not be used ({len(problems)}); everything else was built:")
        for year, problem in problems:
            say(f"  {year} › {problem}")
    failures = [(o.year, o.failure) for o in summary.outcomes if o.failure]
    for year, failure in failures:
        say(f"  {year} › {failure}")
    sys.stdout.flush()
