"""Cleaning a year folder of returns into tidy tables and the ledger.

``data/raw/<year>/`` holds ``activities/<AGENCY>*`` (Biểu 01, one file per
agency), ``cooperatives.*`` (Biểu 02) and ``groups.*`` (Biểu 03). Cleaning
reads every file, and writes to ``data/processed/<year>/``:

* ``activities.parquet``, ``register.parquet``, ``groups.parquet`` — accepted rows;
* ``rejects.csv`` — every rejected row with file, sheet, row, column, value, reason;
* ``ledger.csv`` — per file: rows read = accepted + rejected + non-data kinds;
* ``rows.parquet`` — the kind of every row of every file;
* ``totals_checks.csv``, ``approximate.csv``, ``ignored_columns.csv``;
* ``problems.csv`` — files that could not be used, and missing returns.

The tables are built and written by :mod:`helpers.clean.outputs`; a file read
once is kept by :mod:`helpers.clean.cache`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpers.clean.cache import cached_read, prune_cache
from helpers.errors import FileProblem
from helpers.messages import message
from helpers.read.corrections import read_corrections
from helpers.read.forms import ACTIVITIES, FORMS, form_of
from helpers.read.returns import ReturnRead
from helpers.read.sheets import RETURN_SUFFIXES
from helpers.reference import Reference

ACTIVITIES_DIR = ACTIVITIES.file_stem
"""The folder of the Biểu 01 files, one per agency."""
SINGLE_RETURNS = {code: form.file_stem for code, form in FORMS.items() if not form.per_agency}
"""Template → file stem of the returns that come once a year."""


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, a missing return, or a warning about the folder.

    ``severity`` is ``"error"`` (the run exits 2) or ``"warning"`` (shown, exit 0).
    """

    file: str
    problem: str
    action: str
    severity: str = "error"

    @property
    def message(self) -> str:
        """The problem as one line for people."""
        return message("where.problem", file=self.file, problem=self.problem, action=self.action)


@dataclass
class YearClean:
    """Everything read from one year folder, and the reference tables it was read with."""

    year: int
    reference: Reference
    reads: list[ReturnRead] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    templates: dict[str, str] = field(default_factory=dict)  # file → template, for every file seen

    @property
    def has_errors(self) -> bool:
        """Whether a file could not be used (or a return is missing)."""
        return any(p.severity == "error" for p in self.problems)

    def read_of(self, template: str) -> list[ReturnRead]:
        """The reads of one template."""
        return [r for r in self.reads if r.template == template]


def discover_returns(
    raw_year: Path, reference: Reference
) -> tuple[list[tuple[Path, str, str, str | None]], list[Problem]]:
    """List the return files of a year folder: ``(path, source, template, agency)``.

    A Biểu 01 file belongs to the agency of ``reference`` whose code starts its
    name. Files that cannot be attributed (no agency code, two files for one agency,
    two registers) become problems; the other files are still returned.
    """
    if not raw_year.is_dir():
        return [], [
            Problem(
                str(raw_year.name),
                message("clean.no_year_folder"),
                message("clean.no_year_folder_action", folder=raw_year),
            )
        ]
    found, problems = _activity_returns(raw_year, reference)
    single, single_problems = _single_returns(raw_year)
    return found + single, problems + single_problems + _folder_warnings(raw_year)


Found = list[tuple[Path, str, str, str | None]]
"""Return files: ``(path, source, template, agency)``."""


def _activity_returns(raw_year: Path, reference: Reference) -> tuple[Found, list[Problem]]:
    """The Biểu 01 files of ``activities/``, one per agency of ``reference``; files of no agency or of two."""
    found: Found = []
    problems: list[Problem] = []
    by_agency: dict[str, list[Path]] = {}
    for path in _files(raw_year / ACTIVITIES_DIR):
        source = path.relative_to(raw_year).as_posix()
        agency = reference.resolve_agency(path.name)
        if agency is None:
            codes = ", ".join(a.code for a in reference.agencies)
            problems.append(
                Problem(source, message("clean.no_agency_code"), message("clean.no_agency_code_action", codes=codes))
            )
            continue
        by_agency.setdefault(agency, []).append(path)
    for agency in reference.agencies:
        paths = by_agency.get(agency.code, [])
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            for path in paths:
                problems.append(
                    Problem(
                        path.relative_to(raw_year).as_posix(),
                        message("clean.two_returns", agency=agency.code, names=names),
                        message("clean.two_returns_action"),
                    )
                )
        elif paths:
            found.append((paths[0], paths[0].relative_to(raw_year).as_posix(), ACTIVITIES.code, agency.code))
        else:
            problems.append(
                Problem(
                    f"{ACTIVITIES_DIR}/{agency.code}*",
                    message("clean.no_activity_return", agency=agency.code, name=agency.name_vi),
                    message("clean.put_return_in", folder=ACTIVITIES_DIR),
                )
            )
    return found, problems


def _single_returns(raw_year: Path) -> tuple[Found, list[Problem]]:
    """The register (Biểu 02) and the THT return (Biểu 03): one file each."""
    found: Found = []
    problems: list[Problem] = []
    for template, stem in SINGLE_RETURNS.items():
        paths = [p for p in _files(raw_year) if p.stem.lower() == stem]
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problems += [
                Problem(p.name, message("clean.two_files", stem=stem, names=names), message("clean.keep_one"))
                for p in paths
            ]
        elif paths:
            found.append((paths[0], paths[0].name, template, None))
        else:
            problems.append(
                Problem(
                    f"{stem}.xlsx",
                    message("clean.no_single_return", template=template, stem=stem),
                    message("clean.put_return_in", folder=raw_year.name),
                )
            )
    return found, problems


def _folder_warnings(raw_year: Path) -> list[Problem]:
    """Files that are not returns, and folders other than ``activities/``, in the year folder."""
    expected = set(SINGLE_RETURNS.values())
    problems = [
        Problem(path.name, message("clean.not_a_return"), message("clean.not_a_return_action"), "warning")
        for path in _files(raw_year)
        if path.stem.lower() not in expected
    ]
    for path in sorted(raw_year.iterdir()):
        if (
            path.is_dir()
            and path.name != ACTIVITIES_DIR
            and not path.name.startswith(".")
            and not _named_like_a_return(path)
        ):
            problems.append(
                Problem(
                    path.name + "/",
                    message("clean.unexpected_folder"),
                    message("clean.unexpected_folder_action", folder=ACTIVITIES_DIR),
                    "warning",
                )
            )
    return problems


def _files(folder: Path) -> list[Path]:
    """Files of a folder that may be returns (lock and hidden files skipped).

    A folder named like a return (``HND.xlsx/``) and a broken link are listed
    too: reading them is a file problem that names them (``raw-data.md`` § A
    closed world), never a return silently missing.
    """
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if (p.is_file() or _named_like_a_return(p))
        and not p.name.startswith((".", "~$"))
        and (p.suffix.lower() in RETURN_SUFFIXES or folder.name == ACTIVITIES_DIR)
    )


def _named_like_a_return(path: Path) -> bool:
    """A folder or a broken link whose name ends like a return's (``cooperatives.xlsx``)."""
    return (path.is_dir() or (path.is_symlink() and not path.exists())) and path.suffix.lower() in RETURN_SUFFIXES


def add_read(result: YearClean, read: ReturnRead) -> None:
    """Add one file's read to a year, with its warnings and problems (a register's further sheets each as a read)."""
    result.reads.append(read)
    result.problems += [
        Problem(read.source, warning, message("returns.file_read_check"), "warning") for warning in read.warnings
    ]
    result.problems += [Problem(p.where, p.problem, p.action) for p in read.correction_problems]
    result.problems += [Problem(p.where, p.problem, p.action) for p in read.problems]
    for part in read.parts:
        add_read(result, part)


def clean_year(
    raw_year: Path,
    year: int,
    corrections_file: Path | None = None,
    cache_dir: Path | None = None,
    *,
    reference: Reference,
) -> YearClean:
    """Read every return of a year folder.

    Args:
        raw_year: the folder ``data/raw/<year>``.
        year: the programme year.
        corrections_file: the declared corrections (``data/corrections.csv``), if any.
        cache_dir: where parsed returns are cached by content (none: no cache).
        reference: the data root's district and agency tables (``ProjectPaths.reference()``).

    Returns:
        The reads and problems; nothing is written.
    """
    reference = reference.for_year(year)  # the units valid on 31/12 of the year (raw-data.md § Units over time)
    found, problems = discover_returns(raw_year, reference)
    result = YearClean(year=year, reference=reference, problems=problems)
    try:
        corrections = (
            [c for c in read_corrections(corrections_file, reference) if c.year == year] if corrections_file else []
        )
    except FileProblem as problem:
        result.problems.append(Problem(problem.where, problem.problem, problem.action))
        corrections = []
    used: set[int] = set()
    for path, source, template, agency in found:
        result.templates[source] = template
        by_agency = form_of(template, source).per_agency
        mine = [c for c in corrections if c.template == template and (not by_agency or c.agency == agency)]
        used.update(c.line for c in mine)
        try:
            read = cached_read(cache_dir, path, source, template, agency, year, mine, reference)
        except FileProblem as problem:
            result.problems.append(Problem(problem.where, problem.problem, problem.action))
            continue
        add_read(result, read)
    if cache_dir is not None:
        prune_cache(cache_dir)
    for correction in corrections:
        if correction.line not in used:
            result.problems.append(
                Problem(
                    correction.where,
                    message("clean.correction_unused", agency=correction.agency, year=year),
                    message("clean.correction_unused_action"),
                )
            )
    for problem in result.problems:
        result.templates.setdefault(problem.file, "")
    return result
