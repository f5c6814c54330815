"""Where everything lives: the one module that knows the project's paths.

The data root holds ``raw/<year>/`` (the returns), ``processed/<year>/``
(cleaned tables and indicators), ``targets.csv`` and, optionally,
``reference/`` (district tables of another province or of the country); the
reports root holds ``<year>/`` (executed notebooks, the rendered review,
figures) and ``index.html``. Both roots can be given as options of
``coop-review`` or by the environment variables ``COOP_REVIEW_DATA`` and
``COOP_REVIEW_REPORTS``; otherwise they are ``data/`` and ``reports/`` of the
project.

A run builds each year in hidden staging folders (``processed/.build-…/<year>``
and ``<reports>/.build-…/<year>``) and moves them into place only when the
year is complete, so the last good outputs stay until new ones are whole.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.errors import ParameterError

if TYPE_CHECKING:
    from helpers.reference import Reference

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The repository root (``src/helpers/paths.py`` → two levels up)."""

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

DATA_ENV = "COOP_REVIEW_DATA"
REPORTS_ENV = "COOP_REVIEW_REPORTS"
YEAR_RANGE = range(2000, 2101)
BUILD_PREFIX = ".build-"
_YEAR_IN_NAME = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass(frozen=True)
class NearMissFolder:
    """A folder of ``raw/`` that looks like a year folder but is not read (``2017 ``, ``2017-bis``, ``Năm 2017``).

    Attributes:
        path: the folder.
        year: the year its name holds.
        has_year_folder: whether ``raw/<year>/`` exists beside it.
    """

    path: Path
    year: int
    has_year_folder: bool

    @property
    def note(self) -> str:
        """What the analyst is told: the folder, named exactly, and how to rename it."""
        shown = f"'{self.path.name}'"  # quoted: a trailing space must be visible
        from helpers.messages import message

        if self.has_year_folder:
            return message(
                "paths.near_miss_with_year",
                shown=shown,
                parent=self.path.parent,
                year=self.year,
                year_folder=self.path.parent / str(self.year),
            )
        return message("paths.near_miss", shown=shown, parent=self.path.parent, year=self.year)


def validate_year(value: object) -> int:
    """Return ``value`` as a programme year, or raise :class:`ParameterError`.

    Only plain integers in 2000–2100 are accepted, so nothing but a number can
    reach a notebook's parameters.
    """
    text = str(value).strip()
    if isinstance(value, bool) or not text.isascii() or not text.isdigit() or int(text) not in YEAR_RANGE:
        from helpers.messages import message

        raise ParameterError(message("paths.not_a_year", value=value))
    return int(text)


def validate_root(value: str | os.PathLike, what: str) -> Path:
    """An absolute, resolved root folder; a path with ``..`` is refused."""
    from helpers.messages import message

    text = os.fspath(value)
    if not text or "\x00" in text:
        raise ParameterError(message("paths.give_folder", option=what))
    if ".." in Path(text).parts:
        raise ParameterError(message("paths.dot_dot", option=what, text=text))
    return Path(text).resolve()


def validate_build_id(value: str) -> str:
    """A staging id made of letters, digits and ``-`` only (it names hidden folders)."""
    if value and not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in value):
        from helpers.messages import message

        raise ParameterError(message("paths.bad_build_id", value=value))
    return value


@dataclass(frozen=True)
class ProjectPaths:
    """The data and reports roots of one run.

    Attributes:
        data_root: holds ``raw/``, ``processed/``, ``targets.csv``.
        reports_root: holds ``<year>/`` and ``index.html``.
        build_id: the run building some years in staging folders; a year that
            has a staging folder of this run is read from and written to it.
    """

    data_root: Path
    reports_root: Path
    build_id: str = ""

    @classmethod
    def from_roots(
        cls, data_root: str | os.PathLike | None = None, reports_root: str | os.PathLike | None = None
    ) -> ProjectPaths:
        """Resolve the roots: explicit value, else environment variable, else the project's folders.

        Empty strings count as "not given", so a notebook's default parameter
        ``data_root = ""`` means "the usual place".

        Raises:
            ParameterError: for a root with ``..``.
        """
        data = data_root or os.environ.get(DATA_ENV) or PROJECT_ROOT / "data"
        reports = reports_root or os.environ.get(REPORTS_ENV) or PROJECT_ROOT / "reports"
        return cls(
            validate_root(data, "data_root"), validate_root(reports, "reports_root")
        )  # as the notebooks name them

    @classmethod
    def for_run(cls, year: object, data_root: str = "", reports_root: str = "", build_id: str = "") -> ProjectPaths:
        """The paths of one stage notebook's run, every parameter validated before use."""
        paths = cls.from_roots(data_root, reports_root)
        validate_year(year)
        return cls(paths.data_root, paths.reports_root, validate_build_id(build_id))

    # -- raw returns and reference tables --------------------------------------------
    @property
    def raw_root(self) -> Path:
        """Folder of the year folders of returns."""
        return self.data_root / "raw"

    def raw_year(self, year: int) -> Path:
        """Returns of one year: ``raw/<year>/``."""
        return self.raw_root / str(year)

    @property
    def targets_file(self) -> Path:
        """The programme targets the analyst edits: ``<data>/targets.csv``."""
        return self.data_root / "targets.csv"

    @property
    def corrections_file(self) -> Path:
        """Declared corrections of source returns: ``<data>/corrections.csv``."""
        return self.data_root / "corrections.csv"

    @property
    def reference_dir(self) -> Path:
        """Reference tables of this data root (districts of another province or the country), if any."""
        return self.data_root / "reference"

    def reference(self) -> Reference:
        """The district and agency tables of this data root: its own in ``reference/``, else the shipped ones.

        Read on first use and kept by this paths object (a run reads one set of
        tables, whatever is edited meanwhile); another data root, another object.
        """
        return self._reference

    @functools.cached_property
    def _reference(self) -> Reference:
        from helpers.reference import load_reference

        return load_reference(self.reference_dir)

    # -- outputs --------------------------------------------------------------------
    @property
    def processed_root(self) -> Path:
        """Folder of the processed year folders."""
        return self.data_root / "processed"

    @property
    def parse_cache(self) -> Path:
        """Parsed returns by file content, so an unchanged file is never parsed twice."""
        return self.processed_root / ".cache" / "returns"

    def staging_processed(self, year: int) -> Path:
        """The staging folder of a year's processed tables in this run."""
        return self.processed_root / f"{BUILD_PREFIX}{self.build_id}" / str(year)

    def staging_reports(self, year: int) -> Path:
        """The staging folder of a year's reports in this run."""
        return self.reports_root / f"{BUILD_PREFIX}{self.build_id}" / str(year)

    def final_processed(self, year: int) -> Path:
        """Where a year's processed tables live once complete."""
        return self.processed_root / str(year)

    def final_reports(self, year: int) -> Path:
        """Where a year's reports live once complete."""
        return self.reports_root / str(year)

    def processed_year(self, year: int) -> Path:
        """Cleaned tables and indicators of one year (its staging folder while this run builds it)."""
        if self.build_id and self.staging_processed(year).is_dir():
            return self.staging_processed(year)
        return self.final_processed(year)

    def reports_year(self, year: int) -> Path:
        """Rendered review of one year (its staging folder while this run builds it)."""
        if self.build_id and self.staging_reports(year).is_dir():
            return self.staging_reports(year)
        return self.final_reports(year)

    def figures_year(self, year: int) -> Path:
        """Figures of one year: ``<reports>/<year>/figures/``."""
        return self.reports_year(year) / "figures"

    def available_years(self) -> list[int]:
        """Years that have a folder of returns, in order."""
        if not self.raw_root.is_dir():
            return []
        return sorted(
            int(p.name)
            for p in self.raw_root.iterdir()
            if p.is_dir() and p.name.isascii() and p.name.isdigit() and len(p.name) == 4
        )

    def near_miss_year_folders(self) -> list[NearMissFolder]:
        """Folders of ``raw/`` whose name holds a year but is not the year alone, in name order.

        ``2017 `` (a trailing space), ``2017-bis``, ``Năm 2017``, ``２０１７``: never read
        as the year, so never passed over without a word. Hidden folders are left out.
        """
        if not self.raw_root.is_dir():
            return []
        found = []
        for path in sorted(self.raw_root.iterdir()):
            name = path.name
            if not path.is_dir() or name.startswith(".") or (name.isascii() and name.isdigit() and len(name) == 4):
                continue
            years = [int(digits) for digits in _YEAR_IN_NAME.findall(unicodedata.normalize("NFKC", name))]
            years = [year for year in years if year in YEAR_RANGE]
            if years:
                found.append(NearMissFolder(path, years[0], self.raw_year(years[0]).is_dir()))
        return found

    def processed_years(self) -> list[int]:
        """Years whose indicators have been computed (the year in staging included), in order."""
        from helpers.tables import INDICATORS  # the contract between stages sits above this module

        roots = [self.processed_root] + (
            [self.processed_root / f"{BUILD_PREFIX}{self.build_id}"] if self.build_id else []
        )
        years = {
            int(p.name)
            for root in roots
            if root.is_dir()
            for p in root.iterdir()
            if p.name.isdigit() and len(p.name) == 4
        }
        return sorted(year for year in years if (self.processed_year(year) / INDICATORS).is_file())
