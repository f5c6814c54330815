"""What a run must rebuild, judged by content (never by timestamps).

Each stage of a year has *inputs*: named parts with a content hash each.

* stage 1 (clean): every raw file of the year, the corrections table, the
  reference tables of the data root, the notebook, the helper code;
* stage 2 (indicators): stage 1's inputs (its outputs follow from them), the notebook, the code;
* stage 3 (across years): stage 2's inputs, those of every earlier year it
  reads, the year's programme (``programme.csv``) and targets table, the notebook, the code;
* stage 4 (review, per language): stage 3's inputs, which of the year's files
  are shipped sample files (:mod:`helpers.samples`), the language, the notebook, the code.

The inputs of the last successful build are kept in
``processed/<year>/build.json`` (written with the outputs, so the two always
agree). A stage reruns when any input differs — and then so do the stages
after it; :func:`plan_year` says which, and why.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from helpers.fingerprint import code_hash, file_hash, hash_parts, notebook_source_hash
from helpers.messages import message
from helpers.paths import NOTEBOOKS_DIR, ProjectPaths
from helpers.reference import Reference
from helpers.samples import is_year_file, label_from_hashes, sample_hashes
from helpers.tables import INDICATORS

MANIFEST = "build.json"
SAMPLE_FILES_INPUT = "sample files"
"""The input of the review stage that says which of the year's files are shipped samples (the label follows it)."""


def notebook_hash(number: int) -> str:
    """Hash of a stage's source notebook: its cells' sources and parameters, never its outputs or metadata."""
    return notebook_source_hash(next(NOTEBOOKS_DIR.glob(f"{number:02d}_*.ipynb")))


BROKEN_LINK = "broken link"
"""The hash of a symbolic link whose target is missing (so that fixing or breaking it is a change)."""


def walk_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, following symbolic links to folders and files.

    The returns are read through links (an ``activities/`` folder linked from a
    shared drive is usual), so what changed must be judged through them too;
    ``Path.rglob`` before Python 3.13 does not enter a linked folder. A link
    that leads back to a folder already being walked is not entered twice.
    Broken links are listed too (:func:`folder_hashes` marks them).
    """
    found: list[Path] = []
    entered: set[str] = set()

    def walk(directory: Path) -> None:
        real = os.path.realpath(directory)
        if real in entered:  # a loop of links
            return
        entered.add(real)
        try:
            with os.scandir(directory) as entries:
                names = sorted(entries, key=lambda e: e.name)
        except OSError:  # a folder that may not be read: listed as it is, its reader says what is wrong
            found.append(directory)
            names = []
        for entry in names:
            path = directory / entry.name
            if entry.is_dir():  # follows links
                walk(path)
            elif entry.is_file() or entry.is_symlink():  # a broken link is listed, not skipped
                found.append(path)
        entered.discard(real)

    walk(folder)
    return found


def folder_hashes(folder: Path, prefix: str) -> dict[str, str]:
    """``prefix/relative path`` → hash, for every file under ``folder``.

    Hidden files, and linked files and folders, too.
    """
    if not folder.is_dir():
        return {f"{prefix}": "absent"}
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}": file_hash(path) if path.is_file() else _not_a_file(path)
        for path in walk_files(folder)
    }


def _not_a_file(path: Path) -> str:
    """What stands where a file is listed but cannot be hashed: a broken link, or a folder that may not be read."""
    return UNREADABLE_FOLDER if path.is_dir() else BROKEN_LINK


UNREADABLE_FOLDER = "unreadable folder"


def corrections_hash(path: Path, year: int, reference: Reference) -> str:
    """Hash of the corrections that concern ``year`` (a correction of 2018 does not rebuild 2017).

    Read with the same rules and the same reference tables as the clean
    stage: a table that cannot be used concerns every year (each year reports
    it), so its whole content counts.
    """
    from helpers.errors import FileProblem
    from helpers.read.corrections import read_corrections

    try:
        mine = [c for c in read_corrections(path, reference) if c.year == year]
    except FileProblem:
        return "unusable:" + file_hash(path)
    return hash_parts({"rows": repr(sorted(mine, key=lambda c: c.line))}) if mine else "none"


@dataclass
class YearInputs:
    """The inputs of each stage of one year, as named content hashes."""

    year: int
    stages: dict[str, dict[str, str]] = field(default_factory=dict)

    def stage_hash(self, key: str) -> str:
        """One hash for a stage's inputs."""
        return hash_parts(self.stages[key])


def year_inputs(paths: ProjectPaths, year: int, lang: str, earlier: dict[int, str]) -> YearInputs:
    """The inputs of every stage of ``year``.

    Args:
        paths: the run's paths.
        year: the year.
        lang: the review's language.
        earlier: year → stage-2 hash of every earlier year stage 3 reads.
    """
    from helpers.compute.programme import programme_fingerprint, targets_hash

    code = code_hash()
    raw = folder_hashes(paths.raw_year(year), "raw")
    label = label_from_hashes(
        year,
        {
            f"{year}/{name[4:]}": digest
            for name, digest in raw.items()
            if name.startswith("raw/") and is_year_file(name[4:])
        },
        sample_hashes(paths.raw_root),
    )
    inputs = YearInputs(year)
    inputs.stages["1"] = {
        "code": code,
        "notebook": notebook_hash(1),
        "corrections": corrections_hash(paths.corrections_file, year, paths.reference()),
        **folder_hashes(paths.reference_dir, "reference"),
        **raw,
    }
    inputs.stages["2"] = {"code": code, "notebook": notebook_hash(2), "stage 1": inputs.stage_hash("1")}
    inputs.stages["3"] = {
        "code": code,
        "notebook": notebook_hash(3),
        "stage 2": inputs.stage_hash("2"),
        "targets": targets_hash(paths, year),
        "programme": programme_fingerprint(paths, year),
        **{f"year {y}": h for y, h in sorted(earlier.items()) if y < year},
    }
    inputs.stages[f"4:{lang}"] = {
        "code": code,
        "notebook": notebook_hash(4),
        "stage 3": inputs.stage_hash("3"),
        SAMPLE_FILES_INPUT: ", ".join(label.files) or "none",
        "language": lang,
    }
    return inputs


def read_manifest(paths: ProjectPaths, year: int) -> dict[str, dict[str, str]]:
    """The inputs of the last complete build of ``year`` (empty if none)."""
    path = paths.final_processed(year) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))["stages"]
    except (OSError, ValueError, KeyError):
        return {}


def write_manifest(
    folder: Path, stages: dict[str, dict[str, str]], run: str = "", stage_seconds: dict[int, float] | None = None
) -> None:
    """Record the inputs of a build beside its outputs, and the run that made it.

    Args:
        folder: the year's processed folder.
        stages: the inputs of every stage (what :func:`plan_year` compares).
        run: the id of the run that built it (its staging id).
        stage_seconds: the wall seconds of each stage this run ran (stage number → seconds), for measuring
            (``benchmarks/run_benchmark.py`` reads them: never the console).
    """
    from helpers.outputs import write_text

    record: dict[str, object] = {"stages": stages}
    if run:
        seconds = {str(number): round(value, 3) for number, value in sorted((stage_seconds or {}).items())}
        record[LAST_RUN] = {"id": run, "stage_seconds": seconds}
    write_text(json.dumps(record, sort_keys=True, indent=1, ensure_ascii=False) + "\n", folder / MANIFEST)


LAST_RUN = "last_run"
"""The key of ``build.json`` that records the run that built the year: ``{"id": …, "stage_seconds": {"1": …}}``."""


def read_last_run(processed: Path) -> tuple[str, dict[int, float]] | None:
    """The id of the run that built a year, and the seconds of each stage it ran; ``None`` when not recorded."""
    try:
        record = json.loads((processed / MANIFEST).read_text(encoding="utf-8"))[LAST_RUN]
        return str(record["id"]), {int(number): float(value) for number, value in record["stage_seconds"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass
class YearPlan:
    """Which stages of a year run, and why."""

    year: int
    inputs: YearInputs
    first_stage: int | None  # None: nothing to do
    reasons: list[str]

    @property
    def stages(self) -> list[int]:
        """The stage numbers to run."""
        return [] if self.first_stage is None else list(range(self.first_stage, 5))


def _shown_name(name: str, lang: str) -> str:
    """An input's name as people read it (``year 2017`` → ``số liệu năm 2017``; files and code names as they are)."""
    if name.startswith("year ") and name[5:].isdigit():
        return message("plan.year_input", lang, year=int(name[5:]))
    if name == SAMPLE_FILES_INPUT:
        return message("plan.sample_files_input", lang)
    return name


def _differences(old: dict[str, str], new: dict[str, str], lang: str) -> list[str]:
    changed = [name for name in new if old.get(name) != new[name] and not name.startswith("stage ")]
    gone = [name for name in old if name not in new]
    words = [
        message("plan.new" if name not in old else "plan.changed", lang, name=_shown_name(name, lang))
        for name in changed
    ]
    words += [message("plan.removed", lang, name=_shown_name(name, lang)) for name in gone]
    return words


def plan_year(paths: ProjectPaths, inputs: YearInputs, lang: str, force: bool) -> YearPlan:
    """Compare a year's inputs with its last build: the first stage to rerun, and why."""
    year = inputs.year
    if force:
        return YearPlan(year, inputs, 1, [message("plan.force", lang)])
    built = read_manifest(paths, year)
    if not built or not (paths.final_processed(year) / INDICATORS).is_file():
        return YearPlan(year, inputs, 1, [message("plan.not_built", lang)])
    for key in ("1", "2", "3", f"4:{lang}"):
        if built.get(key) != inputs.stages[key]:
            if key in built:
                reasons = _differences(built.get(key, {}), inputs.stages[key], lang)
            else:
                reasons = [
                    message("plan.no_review_lang", lang, language=lang)
                    if key.startswith("4")
                    else message("plan.not_built", lang)
                ]
            return YearPlan(year, inputs, int(key[0]), reasons or [message("plan.earlier_stage", lang)])
    review = paths.final_reports(year) / ("review.html" if lang == "vi" else f"review.{lang}.html")
    if not review.is_file():
        return YearPlan(year, inputs, 4, [message("plan.review_missing", lang, name=review.name)])
    return YearPlan(year, inputs, None, [message("plan.up_to_date", lang)])


def plan_run(paths: ProjectPaths, years: list[int], lang: str, force: bool) -> list[YearPlan]:
    """Plan every year of a run, in year order: a change in a year reaches every later year through stage 3."""
    stage2: dict[int, str] = {}
    for year in paths.processed_years():  # years outside this run that stage 3 reads as they are
        built = read_manifest(paths, year)
        stage2[year] = hash_parts(built["2"]) if "2" in built else file_hash(paths.final_processed(year) / INDICATORS)
    plans = []
    for year in sorted(set(years)):
        inputs = year_inputs(paths, year, lang, stage2)
        plans.append(plan_year(paths, inputs, lang, force))
        stage2[year] = inputs.stage_hash("2")
    return plans
