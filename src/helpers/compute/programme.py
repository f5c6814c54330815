"""The programme a year belongs to, and its period: data, never code.

``<data>/programme.csv`` has one row per programme (a successor programme is
one more row)::

    name_vi,name_en,first_year,last_year,targets_file
    Chương trình phối hợp …,… coordination programme,2017,2022,targets.csv

* ``first_year``, ``last_year`` — the programme's period; periods may not overlap;
* ``targets_file`` — the programme's targets table, relative to the data root
  (empty: no targets).

What follows from it:

* the review's title and subtitle name the programme and its period;
* cumulative totals start at the programme's first year;
* progress is measured against the programme's targets file.

A year in no programme of the table (e.g. a year added after the last
programme ended) is reviewed on its own: no period in the title, cumulative
totals of that year only, and the standing targets table ``<data>/targets.csv``.
A data root without ``programme.csv`` declares no boundaries: every year is
one open period starting at the first year with data, with ``targets.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from helpers.edited_tables import read_edited_table
from helpers.errors import FileProblem
from helpers.messages import message
from helpers.paths import ProjectPaths

PROGRAMME_FILE = "programme.csv"
PROGRAMME_COLUMNS = ["name_vi", "name_en", "first_year", "last_year", "targets_file"]


@dataclass(frozen=True)
class Programme:
    """One programme of ``programme.csv`` (``line``: its row, header = 1)."""

    line: int
    name_vi: str
    name_en: str
    first_year: int
    last_year: int
    targets_file: str

    def covers(self, year: int) -> bool:
        """Whether ``year`` is in the programme's period."""
        return self.first_year <= year <= self.last_year

    @property
    def period(self) -> str:
        """``2017–2022``."""
        return f"{self.first_year}–{self.last_year}"

    def name(self, lang: str = "vi") -> str:
        """The programme's name in ``"vi"`` or ``"en"`` (Vietnamese when no English name is given)."""
        return self.name_en if lang == "en" and self.name_en else self.name_vi


def programme_file(paths: ProjectPaths) -> Path:
    """``<data>/programme.csv``."""
    return paths.data_root / PROGRAMME_FILE


def read_programmes(path: Path) -> list[Programme]:
    """Read and check a programme table; an absent file means no programme is declared.

    Raises:
        FileProblem: naming the row and column of anything that cannot be used.
    """
    if not path.is_file():
        return []
    table = read_edited_table(path, PROGRAMME_COLUMNS)
    programmes: list[Programme] = []
    for line, row in enumerate(table.to_dict("records"), start=2):
        row = {key: value.strip() for key, value in row.items()}
        if not any(row.values()):
            continue
        where = message("programme.where", file=path.name, line=line)
        programme = _read_programme(line, row, where)
        for other in programmes:
            if other.first_year <= programme.last_year and programme.first_year <= other.last_year:
                raise FileProblem(
                    where,
                    message("programme.overlap", period=programme.period, line=other.line, other=other.period),
                    message("programme.overlap_action"),
                )
        programmes.append(programme)
    return programmes


def _read_programme(line: int, row: dict[str, str], where: str) -> Programme:
    """Check one row of the programme table on its own (overlaps are checked by the caller) and return it.

    Raises:
        FileProblem: at ``where`` and the column, for a missing name, a period
        that is not two years in order, or a targets file outside the data root.
    """
    if not row["name_vi"]:
        raise FileProblem(f"{where} › name_vi", message("programme.no_name"), message("programme.no_name_action"))
    years = []
    for column in ("first_year", "last_year"):
        value = row[column]
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            raise FileProblem(
                f"{where} › {column}",
                message("programme.not_a_year", value=value),
                message("programme.not_a_year_action"),
            )
        years.append(int(value))
    if years[0] > years[1]:
        raise FileProblem(
            f"{where}",
            message("programme.first_after_last", first_year=years[0], last_year=years[1]),
            message("programme.correct_period"),
        )
    targets = row["targets_file"]
    as_typed = PureWindowsPath(targets)  # reads both \ and / as separators
    if targets and (".." in as_typed.parts or as_typed.drive or as_typed.root):
        raise FileProblem(
            f"{where} › targets_file",
            message("programme.targets_not_in_data", value=targets),
            message("programme.targets_not_in_data_action"),
        )
    return Programme(line, row["name_vi"], row["name_en"], years[0], years[1], targets)


def programme_for(paths: ProjectPaths, year: int) -> Programme | None:
    """The programme whose period covers ``year`` (``None``: none does, or no table)."""
    return next((p for p in read_programmes(programme_file(paths)) if p.covers(year)), None)


def has_programme_table(paths: ProjectPaths) -> bool:
    """Whether the data root declares its programmes."""
    return programme_file(paths).is_file()


def targets_file_for(paths: ProjectPaths, year: int) -> Path | None:
    """The targets table that applies to ``year`` (``None``: the programme has none).

    Raises:
        FileProblem: when the programme names a targets file that does not exist.
    """
    programme = programme_for(paths, year)
    if programme is None:
        return paths.targets_file
    if not programme.targets_file:
        return None
    path = paths.data_root.joinpath(*PureWindowsPath(programme.targets_file).parts)
    if not path.is_file():
        raise FileProblem(
            f"{message('programme.where', file=PROGRAMME_FILE, line=programme.line)} › targets_file",
            message("programme.targets_missing", value=programme.targets_file, folder=paths.data_root),
            message("programme.targets_missing_action"),
        )
    return path


def cumulative_start(paths: ProjectPaths, year: int, first_year_with_data: int) -> int:
    """The first year of the cumulative totals of ``year``.

    The programme's first year; the year itself when the table declares no
    programme covering it; the first year with data when there is no table.
    """
    programme = programme_for(paths, year)
    if programme is not None:
        return programme.first_year
    return year if has_programme_table(paths) else first_year_with_data


def programme_fingerprint(paths: ProjectPaths, year: int) -> str:
    """What of the programme table concerns ``year``, as text for the build plan.

    A table that cannot be used concerns every year (each run reports it).
    """
    from helpers.fingerprint import file_hash

    try:
        programme = programme_for(paths, year)
    except FileProblem:
        return "unusable:" + file_hash(programme_file(paths))
    if programme is None:
        return "table, no programme" if has_programme_table(paths) else "no table"
    return repr(
        (programme.name_vi, programme.name_en, programme.first_year, programme.last_year, programme.targets_file)
    )


def targets_hash(paths: ProjectPaths, year: int) -> str:
    """Hash of the targets table that applies to ``year``, for the build plan."""
    from helpers.fingerprint import file_hash

    try:
        path = targets_file_for(paths, year)
    except FileProblem:
        return "unusable:" + file_hash(programme_file(paths))
    return file_hash(path) if path is not None else "none"


def year_notes(paths: ProjectPaths, year: int, built_or_building: set[int]) -> list[str]:
    """What the analyst should know once before a year is built (Vietnamese, for the console).

    Args:
        paths: the run's paths.
        year: the year.
        built_or_building: years whose indicators exist or are built by this run.
    """
    notes = []
    if year - 1 not in built_or_building:
        notes.append(message("programme.no_previous_note", year=year, previous_year=year - 1))
    if has_programme_table(paths) and programme_for(paths, year) is None:
        notes.append(message("programme.no_programme_note", year=year, file=PROGRAMME_FILE, path=programme_file(paths)))
    return notes
