"""Where everything lives: the one module that knows the project's paths.

The data root holds ``raw/<year>/`` (the returns) and ``processed/<year>/``
(cleaned tables and indicators); the reports root holds ``<year>/`` (executed
notebooks, the rendered review, figures). Both can be overridden by options
of ``coop-review`` or by the environment variables ``COOP_REVIEW_DATA`` and
``COOP_REVIEW_REPORTS``; otherwise they are ``data/`` and ``reports/`` of the
project.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The repository root (``src/helpers/paths.py`` → two levels up)."""

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

SAMPLE_MARKER = ".synthetic"
"""A file of this name in the raw root marks the returns as synthetic sample data."""

DATA_ENV = "COOP_REVIEW_DATA"
REPORTS_ENV = "COOP_REVIEW_REPORTS"


@dataclass(frozen=True)
class ProjectPaths:
    """The data and reports roots of one run."""

    data_root: Path
    reports_root: Path

    @classmethod
    def from_roots(cls, data_root: str | os.PathLike | None = None, reports_root: str | os.PathLike | None = None) -> "ProjectPaths":
        """Resolve the roots: explicit value, else environment variable, else the project's folders.

        Empty strings count as "not given", so a notebook's default parameter
        ``data_root = ""`` means "the usual place".
        """
        data = data_root or os.environ.get(DATA_ENV) or PROJECT_ROOT / "data"
        reports = reports_root or os.environ.get(REPORTS_ENV) or PROJECT_ROOT / "reports"
        return cls(Path(data).resolve(), Path(reports).resolve())

    @property
    def raw_root(self) -> Path:
        """Folder of the year folders of returns."""
        return self.data_root / "raw"

    def raw_year(self, year: int) -> Path:
        """Returns of one year: ``raw/<year>/``."""
        return self.raw_root / str(year)

    @property
    def is_sample_data(self) -> bool:
        """Whether the returns are the synthetic sample (figures and reviews then say so)."""
        return (self.raw_root / SAMPLE_MARKER).exists()

    @property
    def targets_file(self) -> Path:
        """The programme targets the analyst edits: ``<data>/targets.csv``."""
        return self.data_root / "targets.csv"

    def processed_year(self, year: int) -> Path:
        """Cleaned tables and indicators of one year: ``processed/<year>/``."""
        return self.data_root / "processed" / str(year)

    def reports_year(self, year: int) -> Path:
        """Rendered review of one year: ``<reports>/<year>/``."""
        return self.reports_root / str(year)

    def figures_year(self, year: int) -> Path:
        """Figures of one year: ``<reports>/<year>/figures/``."""
        return self.reports_year(year) / "figures"

    def available_years(self) -> list[int]:
        """Years that have a folder of returns, in order."""
        if not self.raw_root.is_dir():
            return []
        return sorted(int(p.name) for p in self.raw_root.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)

    def processed_years(self) -> list[int]:
        """Years whose indicators have been computed, in order."""
        root = self.data_root / "processed"
        if not root.is_dir():
            return []
        return sorted(
            int(p.name) for p in root.iterdir() if p.name.isdigit() and (p / "indicators.csv").is_file()
        )
