"""``coop-review status``: the analyst's checklist of every year folder, without building anything.

For each year folder of ``<data>/raw/``: which returns are in and which are
missing (or cannot be told apart: two files for one agency), how many rows the
last build rejected and how many files it could not use, when the year was
last built, and whether its review is current — judged by :mod:`helpers.pipeline.plan`
from the content of the inputs, exactly as ``coop-review run`` would.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from helpers.clean.year import ACTIVITIES_DIR, SINGLE_RETURNS, discover_returns
from helpers.messages import message
from helpers.paths import ProjectPaths
from helpers.pipeline.plan import MANIFEST, plan_run
from helpers.read.layout import TEMPLATE_NAMES
from helpers.reference import Reference
from helpers.tables import PROBLEMS, REJECTS

CURRENT, OUTDATED, NOT_BUILT = "current", "outdated", "not built"
REVIEW_WORDS = {CURRENT: "status_cli.current", OUTDATED: "status_cli.outdated", NOT_BUILT: "status_cli.not_built"}
"""Review state → the key of its words in the message catalogue."""


@dataclass
class YearStatus:
    """Where one year stands."""

    year: int
    received: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rejected_rows: int | None = None  # None: never built
    unusable_files: int | None = None
    built_at: dt.datetime | None = None
    review: str = NOT_BUILT
    reasons: list[str] = field(default_factory=list)

    @property
    def is_ready(self) -> bool:
        """Every return in, every file usable, and the review current."""
        return not self.missing and not self.unusable_files and self.review == CURRENT


def _returns(raw_year: Path, reference: Reference) -> tuple[list[str], list[str]]:
    """Returns received and missing, by code of an agency of ``reference`` and ``Biểu 02``/``Biểu 03``."""
    found, _ = discover_returns(raw_year, reference)
    got = {agency or TEMPLATE_NAMES[template] for _, _, template, agency in found}
    files = (
        [p for p in (raw_year / ACTIVITIES_DIR).iterdir() if p.is_file() and not p.name.startswith((".", "~$"))]
        if (raw_year / ACTIVITIES_DIR).is_dir()
        else []
    )
    received, missing = [], []
    for agency in reference.agencies:
        count = sum(reference.resolve_agency(p.name) == agency.code for p in files)
        (received if agency.code in got else missing).append(
            agency.code if count < 2 else message("status_cli.files", name=agency.code, count=count)
        )
    for template, stem in SINGLE_RETURNS.items():
        name = TEMPLATE_NAMES[template]
        count = sum(1 for p in raw_year.iterdir() if p.is_file() and p.stem.lower() == stem) if raw_year.is_dir() else 0
        (received if name in got else missing).append(
            name if count < 2 else message("status_cli.files", name=name, count=count)
        )
    return received, missing


def _last_build(paths: ProjectPaths, year: int) -> tuple[int | None, int | None, dt.datetime | None]:
    """Rejected rows, unusable files and the time of the last complete build (``None`` when never built)."""
    processed = paths.final_processed(year)
    manifest = processed / MANIFEST
    if not manifest.is_file():
        return None, None, None
    built_at = dt.datetime.fromtimestamp(manifest.stat().st_mtime)
    rejected = unusable = 0
    if (processed / REJECTS).is_file():
        with (processed / REJECTS).open(encoding="utf-8-sig", newline="") as handle:
            rejected = len({(row["file"], row["row"]) for row in csv.DictReader(handle)})
    if (processed / PROBLEMS).is_file():
        with (processed / PROBLEMS).open(encoding="utf-8-sig", newline="") as handle:
            unusable = sum(row["severity"] == "error" for row in csv.DictReader(handle))
    return rejected, unusable, built_at


def year_statuses(paths: ProjectPaths, lang: str = "vi") -> list[YearStatus]:
    """The status of every year folder of ``<data>/raw/``, in order (by the data root's own tables, if any)."""
    years = paths.available_years()
    plans = {plan.year: plan for plan in plan_run(paths, years, lang, force=False)}
    out = []
    for year in years:
        status = YearStatus(year)
        status.received, status.missing = _returns(paths.raw_year(year), paths.reference().for_year(year))
        status.rejected_rows, status.unusable_files, status.built_at = _last_build(paths, year)
        plan = plans[year]
        if status.built_at is None:
            status.review = NOT_BUILT
        elif plan.stages:
            status.review, status.reasons = OUTDATED, plan.reasons
        else:
            status.review = CURRENT
        out.append(status)
    return out


HEADERS = ("year", "received", "missing", "rejected_rows", "unusable_files", "built_at", "review")
"""Columns of the status table; their headings are ``status_cli.<column>`` in the catalogue."""


def format_status(statuses: list[YearStatus]) -> str:
    """The statuses as one plain-text table (Vietnamese headings), with the reasons under it."""
    rows = []
    for s in statuses:
        review = message(REVIEW_WORDS[s.review])
        rows.append(
            (
                str(s.year),
                " ".join(s.received) or "–",
                ", ".join(s.missing) or "–",
                "–" if s.rejected_rows is None else str(s.rejected_rows),
                "–" if s.unusable_files is None else str(s.unusable_files),
                "–" if s.built_at is None else f"{s.built_at:%d/%m/%Y %H:%M}",
                review,
            )
        )
    headers = [message(f"status_cli.{column}") for column in HEADERS]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    notes = [
        f"  {s.year}: {'; '.join(s.reasons[:4])}"
        + (message("status_cli.more_reasons", count=len(s.reasons) - 4) if len(s.reasons) > 4 else "")
        for s in statuses
        if s.reasons
    ]
    if notes:
        out += ["", message("status_cli.why_outdated"), *notes]
    if not statuses:
        out.append(message("status_cli.no_years"))
    return "\n".join(out)
