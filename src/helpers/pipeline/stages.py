"""The numbered stages of a year's build: their notebooks, what their kernels preload, what they publish.

A year's review is four parameterized notebooks, run in this order by the runner:

1. ``01_clean_returns`` — read the returns, write cleaned tables and ledgers;
2. ``02_compute_indicators`` — sections A and B, ``indicators.csv``;
3. ``03_compare_years`` — section C: changes, cumulative totals, targets, cross-checks;
4. ``04_render_review`` — figures, tables, the ledger, ``indicators.xlsx``, ``review.docx``;
   then the executed notebook is rendered to ``review.html``.

What a stage does after its notebook (stage 4: render the HTML) and the files
it publishes are the stage's own, given here; the runner only runs stages in
order and knows nothing of the review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.messages import message
from helpers.paths import NOTEBOOKS_DIR
from helpers.pipeline.kernels import PRELOAD
from helpers.publish.render import render_review, review_files


@dataclass(frozen=True)
class Stage:
    """One numbered stage: a notebook of ``notebooks/``, and what it does besides."""

    number: int
    name: str
    notebook: str
    takes_lang: bool = False
    preload: tuple[str, ...] = ()  # what its kernel imports (and warms up) before the notebook comes
    finish: Callable[[Path, Path, int, str], None] | None = None
    """Run after the notebook: ``finish(executed, reports_folder, year, lang)`` (stage 4: the HTML review)."""
    publishes: Callable[[Path, str], list[Path]] | None = None
    """The files it writes in a year's reports folder besides its executed notebook: ``publishes(reports, lang)``."""
    imports_while_running: tuple[str, ...] = ()
    """Modules :attr:`finish` needs, imported in a thread while the notebook runs (nbconvert takes seconds)."""

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
    Stage(
        1,
        "clean returns",
        "01_clean_returns.ipynb",
        preload=(
            "helpers.clean.year",
            "helpers.clean.outputs",
            "helpers.publish.workbook",
            "helpers.publish.notebook_views",
        ),
    ),
    Stage(
        2,
        "compute indicators",
        "02_compute_indicators.ipynb",
        preload=(
            "helpers.reference.catalogue",
            "helpers.clean.outputs",
            "helpers.compute.indicators",
            "helpers.compute.revisions",
            "helpers.publish.workbook",
            "helpers.publish.notebook_views",
            "helpers.publish.review",
        ),
    ),
    Stage(
        3,
        "compare years and targets",
        "03_compare_years.ipynb",
        preload=("helpers.compute.years", "helpers.publish.notebook_views"),
    ),
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
        finish=render_review,
        publishes=review_files,
        imports_while_running=("nbconvert",),
    ),
)


PHASES = ((1, 2), (3, 4))
"""Stages run phase by phase over all years: stages 3–4 of a year read what stage 2 wrote for the years before."""
READS_EARLIER_YEARS = 3
"""The first stage that reads earlier years' outputs: it must wait until those years are built."""


def executed_name(stage: Stage, lang: str) -> str:
    """File name of an executed notebook (a stage that takes a language carries it, if not vi)."""
    return (
        stage.notebook if lang == "vi" or not stage.takes_lang else stage.notebook.replace(".ipynb", f".{lang}.ipynb")
    )


def stage_outputs(stage: Stage, lang: str, reports: Path) -> list[Path]:
    """Files in a year's reports folder that ``stage`` writes in ``lang`` (so stale ones can be removed first)."""
    outputs = [reports / executed_name(stage, lang)]
    return outputs + (stage.publishes(reports, lang) if stage.publishes else [])


def final_document(reports: Path, lang: str) -> Path:
    """The document a year's build ends with: the first file the last stage publishes (the review)."""
    last = STAGES[-1]
    return last.publishes(reports, lang)[0] if last.publishes else reports / executed_name(last, lang)


def index_of_years(paths) -> Path:
    """The page a run ends with, listing every year built: ``<reports>/index.html``."""
    from helpers.publish.index_page import INDEX_NAME

    return paths.reports_root / INDEX_NAME


def all_years_workbook(paths) -> Path:
    """The workbook of every year built, one long table and its pivot: ``<reports>/all_years.xlsx``."""
    from helpers.publish.all_years import ALL_YEARS_NAME

    return paths.reports_root / ALL_YEARS_NAME


def write_index_of_years(paths) -> None:
    """Write what spans the years once they are in place: ``all_years.xlsx``, then the index page that links it.

    Run after every run that built something, and whenever either file is missing.
    The index is written even when the workbook cannot be (open in Excel on
    Windows): the run then ends with that one write failure.
    """
    from helpers.publish.all_years import write_all_years
    from helpers.publish.index_page import write_index

    try:
        write_all_years(paths)
    finally:
        write_index(paths)
