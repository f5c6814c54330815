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
"""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import tables
from helpers.errors import FileProblem
from helpers.messages import message
from helpers.outputs import atomic_path
from helpers.read.corrections import read_corrections
from helpers.read.forms import ACTIVITIES, FORMS, REGISTER, form_of
from helpers.read.returns import ROW_KINDS, ReturnRead, read_return
from helpers.read.sheets import RETURN_SUFFIXES
from helpers.reference import Reference
from helpers.tables import read_stage_table, write_stage_table

ACTIVITIES_DIR = ACTIVITIES.file_stem
"""The folder of the Biểu 01 files, one per agency."""
SINGLE_RETURNS = {code: form.file_stem for code, form in FORMS.items() if not form.per_agency}
"""Template → file stem of the returns that come once a year."""
REGISTER_NUMBER_FIELDS = REGISTER.value_fields


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
        if path.is_dir() and path.name != ACTIVITIES_DIR and not path.name.startswith("."):
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
    """Files of a folder that may be returns (lock and hidden files skipped)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith((".", "~$"))
        and (p.suffix.lower() in RETURN_SUFFIXES or folder.name == ACTIVITIES_DIR)
    )


def _cached_read(
    cache_dir: Path | None,
    path: Path,
    source: str,
    template: str,
    agency: str | None,
    year: int,
    corrections: list,
    reference: Reference,
) -> ReturnRead:
    """:func:`read_return`, or its result for the same file content, reading code and corrections from the cache.

    Parsing spreadsheets is the slow part of cleaning: an unchanged file is never parsed twice.
    """
    if cache_dir is None:
        return read_return(
            path, source, template, reference=reference, agency=agency, year=year, corrections=corrections
        )
    from helpers.fingerprint import code_hash, file_hash, hash_parts

    key = hash_parts(
        {
            "file": file_hash(path), "source": source, "template": template, "agency": agency or "", "year": str(year),
            "corrections": repr(corrections), "code": code_hash(), "reference": reference.fingerprint(),
        }
    )  # fmt: skip
    entry = cache_dir / f"{key}.pickle"
    if entry.is_file():
        try:
            with entry.open("rb") as handle:
                return pickle.load(handle)  # our own cache, written below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a damaged entry is simply parsed again
    read = read_return(path, source, template, reference=reference, agency=agency, year=year, corrections=corrections)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(entry) as temporary, temporary.open("wb") as handle:
        pickle.dump(read, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return read


def prune_cache(cache_dir: Path, keep: int = 500) -> None:
    """Keep the most recently used entries of the parse cache."""
    if not cache_dir.is_dir():
        return
    entries = sorted(cache_dir.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    # and writes cut short by a killed run (not the ones another worker is making now)
    stale = [p for p in cache_dir.glob(".*.part") if time.time() - p.stat().st_mtime > 600]
    for entry in entries[keep:] + stale:
        entry.unlink(missing_ok=True)


def add_read(result: YearClean, read: ReturnRead) -> None:
    """Add one file's read to a year, with its warnings and problems."""
    result.reads.append(read)
    result.problems += [
        Problem(read.source, warning, message("returns.file_read_check"), "warning") for warning in read.warnings
    ]
    result.problems += [Problem(p.where, p.problem, p.action) for p in read.correction_problems]
    result.problems += [Problem(p.where, p.problem, p.action) for p in read.problems]


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
            read = _cached_read(cache_dir, path, source, template, agency, year, mine, reference)
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


# -- tables -------------------------------------------------------------------

# the columns of each output are the contract of helpers.tables
ACTIVITY_COLUMNS = tables.columns_of(tables.ACTIVITIES)
REGISTER_COLUMNS = tables.columns_of(tables.REGISTER)
GROUP_FIELDS = tables.GROUP_FIELDS
GROUP_COLUMNS = tables.columns_of(tables.GROUPS)
REJECT_COLUMNS = tables.columns_of(tables.REJECTS)
LEDGER_COLUMNS = tables.columns_of(tables.LEDGER)


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame


def activities_table(result: YearClean) -> pd.DataFrame:
    """Accepted Biểu 01 values, one row per agency × unit × indicator."""
    frame = _frame([r for read in result.read_of("01") for r in read.records], ACTIVITY_COLUMNS)
    return frame.astype({"value": "float64", "approximate": "bool", "approx_sense": "object", "row": "int64"})


def register_table(result: YearClean) -> pd.DataFrame:
    """Accepted Biểu 02 rows, one row per cooperative."""
    frame = _frame([r for read in result.read_of("02") for r in read.records], REGISTER_COLUMNS)
    types = {f: "float64" for f in REGISTER_NUMBER_FIELDS} | {
        f"{f}_approximate": "bool" for f in REGISTER_NUMBER_FIELDS
    }
    types |= {"founded_year": "Int64", "dissolved_year": "Int64", "row": "int64"}
    return frame.astype(types)


def groups_table(result: YearClean) -> pd.DataFrame:
    """Accepted Biểu 03 rows, one row per district."""
    frame = _frame([r for read in result.read_of("03") for r in read.records], GROUP_COLUMNS)
    types = {f: "float64" for f in GROUP_FIELDS} | {f"{f}_approximate": "bool" for f in GROUP_FIELDS} | {"row": "int64"}
    return frame.astype(types)


def rejects_table(result: YearClean) -> pd.DataFrame:
    """Every rejected cell (one line per bad cell of a rejected row)."""
    return _frame([vars(r) for read in result.reads for r in read.rejects], REJECT_COLUMNS).astype({"row": "int64"})


def ledger_table(result: YearClean) -> pd.DataFrame:
    """Per file: rows read and what became of them, plus flags."""
    records = []
    for read in result.reads:
        counts = read.kind_counts()
        records.append(
            {
                "file": read.source,
                "template": read.template,
                "agency": read.agency or "",
                "sheet": read.sheet,
                "status": "read",
                "encoding": read.encoding or "",
                "was_nfd": read.was_nfd,
                "rows_read": len(read.row_kinds),
                **counts,
                "ignored_columns": len(read.ignored_columns),
                "approximate_values": len(read.approximate),
                "totals_rows": len({t.row for t in read.totals}),
                "totals_disagreements": sum(not t.agrees for t in read.totals),
                "warnings": len(read.warnings),
                "corrections": len(read.corrections),
            }
        )
    for problem in result.problems:
        if problem.severity != "error":
            continue
        records.append(
            {
                "file": problem.file,
                "template": result.templates.get(problem.file, ""),
                "agency": result.reference.resolve_agency(Path(problem.file).name) or "",
                "sheet": "",
                "status": "not used",
                "encoding": "",
                "was_nfd": False,
                "rows_read": 0,
                **dict.fromkeys(ROW_KINDS, 0),
                "ignored_columns": 0,
                "approximate_values": 0,
                "totals_rows": 0,
                "totals_disagreements": 0,
                "warnings": 0,
                "corrections": 0,
            }
        )
    return _frame(records, LEDGER_COLUMNS)


def rows_table(result: YearClean) -> pd.DataFrame:
    """The kind of every row of every file read."""
    records = [
        {"file": read.source, "sheet": read.sheet, "row": index + 1, "kind": kind}
        for read in result.reads
        for index, kind in enumerate(read.row_kinds)
    ]
    return _frame(records, tables.columns_of(tables.ROWS)).astype({"row": "int64"})


def totals_table(result: YearClean) -> pd.DataFrame:
    """Every totals-row check, with whether it agrees."""
    records = [
        {
            "file": t.file,
            "sheet": t.sheet,
            "row": t.row,
            "column": t.column,
            "field": t.field,
            "totals_value": t.totals_value,
            "rows_sum": t.rows_sum,
            "difference": t.difference,
            "rows_summed": t.rows_summed,
            "rows_rejected": t.rows_rejected,
            "approximate": t.is_approximate,
            "agrees": t.agrees,
        }
        for read in result.reads
        for t in read.totals
    ]
    return _frame(records, tables.columns_of(tables.TOTALS_CHECKS))


def approximate_table(result: YearClean) -> pd.DataFrame:
    """Every value typed as approximate."""
    return _frame(
        [vars(a) for read in result.reads for a in read.approximate],
        tables.columns_of(tables.APPROXIMATE),
    )


def ignored_columns_table(result: YearClean) -> pd.DataFrame:
    """Every column that was not read, with why."""
    records = [
        {"file": read.source, "sheet": read.sheet, "column": letter, "label": label, "reason": reason}
        for read in result.reads
        for letter, label, reason in read.ignored_columns
    ]
    return _frame(records, tables.columns_of(tables.IGNORED_COLUMNS))


def corrections_table(result: YearClean) -> pd.DataFrame:
    """Every declared correction applied, with the value before and after."""
    records = [vars(c) for read in result.reads for c in read.corrections]
    return _frame(records, tables.columns_of(tables.CORRECTIONS_APPLIED))


def problems_table(result: YearClean) -> pd.DataFrame:
    """Files that could not be used, missing returns and warnings."""
    return _frame([vars(p) for p in result.problems], tables.columns_of(tables.PROBLEMS))


CLEAN_OUTPUTS = {
    tables.ACTIVITIES: activities_table,
    tables.REGISTER: register_table,
    tables.GROUPS: groups_table,
    tables.ROWS: rows_table,
    tables.REJECTS: rejects_table,
    tables.LEDGER: ledger_table,
    tables.TOTALS_CHECKS: totals_table,
    tables.APPROXIMATE: approximate_table,
    tables.IGNORED_COLUMNS: ignored_columns_table,
    tables.CORRECTIONS_APPLIED: corrections_table,
    tables.PROBLEMS: problems_table,
}
"""Output file → the function that builds it from a :class:`YearClean`."""


def write_clean_outputs(result: YearClean, processed_year: Path) -> dict[str, pd.DataFrame]:
    """Write the cleaned tables of a year; return them by file name."""
    tables = {name: build(result) for name, build in CLEAN_OUTPUTS.items()}
    for name, table in tables.items():
        write_stage_table(table, processed_year, name)
    return tables


def check_ledger(result: YearClean) -> None:
    """The invariant of ``raw-data.md``: rows read = accepted + rejected + non-data, per file.

    Raises:
        AssertionError: if a row of some file was lost (a bug, not a data problem).
    """
    for read in result.reads:
        counts = read.kind_counts()
        if sum(counts.values()) != len(read.row_kinds) or set(read.row_kinds) - set(ROW_KINDS):
            raise AssertionError(f"{read.source}: the ledger does not add up: {counts} for {len(read.row_kinds)} rows")
        rejected_rows = {r.row for r in read.rejects}
        if len(rejected_rows) != counts["rejected"]:
            raise AssertionError(
                f"{read.source}: {counts['rejected']} rows rejected but {len(rejected_rows)} in the rejects ledger"
            )


@dataclass(frozen=True)
class CleanTables:
    """The accepted rows of a year, as written by the clean stage."""

    activities: pd.DataFrame
    register: pd.DataFrame
    groups: pd.DataFrame


def load_clean_tables(processed_year: Path) -> CleanTables:
    """Read the accepted rows written by :func:`write_clean_outputs`."""
    return CleanTables(
        activities=read_stage_table(processed_year, tables.ACTIVITIES),
        register=read_stage_table(processed_year, tables.REGISTER),
        groups=read_stage_table(processed_year, tables.GROUPS),
    )
