"""Revisions: which indicators of a year moved when the year was built again, and why.

Every computation of a year's indicators that changes them appends one row
per moved value to ``processed/<year>/revisions.csv``::

    built_at, indicator, indicator_name, agency, agency_name, district, district_name, old, new, cause

Each code has its name beside it, as the review writes it (the indicator's
Vietnamese name from the catalogue, the agency's and the district's from the
data root's reference tables; ``ALL`` is "Tất cả cơ quan" / "Toàn tỉnh"): the
file is read by people, in Excel, as well as by the review. A history written
before the names existed gets them at the next rebuild. ``revisions.xlsx``
(written by the indicators notebook, :func:`helpers.publish.workbook.write_revisions_workbook`)
is the same history formatted like ``rejects.xlsx``.

``old``/``new`` are plain numbers (empty: no value, e.g. the agency did not
report it); ``cause`` lists the raw files whose content changed since the
last build (from its ``build.json``), or, when no raw file changed, the other
inputs that did (``corrections.csv``, reference tables, code). A computation
that changes nothing adds nothing.

The history is kept across rebuilds: it is read from the last complete build
(``processed/<year>/`` as it is before the new build is moved into place) and
written, with the new rows, into the folder being built. Beside it,
``revisions_latest.csv`` holds the rows of the latest computation only (no
row when nothing moved): the review's "Thay đổi so với lần tạo trước" section
and the console report read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.compute.indicators import format_value, read_indicators
from helpers.messages import message
from helpers.paths import ProjectPaths
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue
from helpers.tables import INDICATORS, REVISIONS, REVISIONS_LATEST, columns_of, write_stage_table
from helpers.text import format_number_vi

REVISIONS_FILE = REVISIONS
LATEST_FILE = REVISIONS_LATEST
REVISION_COLUMNS = columns_of(REVISIONS)
KEYS = ["indicator", "agency", "district"]
UNKNOWN_CAUSE = "unknown (no record of the previous build's inputs)"
"""The ``cause`` of a revision when the last build left no record of its inputs (shown by :func:`cause_words`)."""


def compare_indicators(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The values that differ between two indicator tables.

    Values are compared as written to ``indicators.csv`` (:func:`format_value`),
    so a value read back from the file equals the value it was computed as.

    Returns:
        Columns ``indicator, agency, district, old, new`` (text; empty where a
        table has no such row), in the order of ``new`` then of ``old``.
    """

    def written(table: pd.DataFrame) -> pd.DataFrame:
        out = table[KEYS].astype(str).copy()
        out["value"] = table["value"].map(format_value)
        return out.drop_duplicates(KEYS)

    merged = written(old).merge(
        written(new), on=KEYS, how="outer", suffixes=("_old", "_new"), indicator=True, sort=False
    )
    order = {key: i for i, key in enumerate(zip(*(new[k].astype(str) for k in KEYS), strict=True))}
    merged["_order"] = [order.get(key, len(order)) for key in zip(*(merged[k] for k in KEYS), strict=True)]
    merged = merged.sort_values("_order", kind="stable")
    moved = merged[merged["value_old"].fillna("") != merged["value_new"].fillna("")]
    out = moved[KEYS].copy()
    out["old"] = moved["value_old"].fillna("")
    out["new"] = moved["value_new"].fillna("")
    return out.reset_index(drop=True)


def changed_inputs(paths: ProjectPaths, year: int) -> str:
    """The inputs of ``year``'s clean stage that differ from its last complete build, as ``; ``-separated names.

    Raw files come first (``activities/HND.xlsx``); other inputs only when no
    raw file changed (``corrections.csv``, ``reference/districts.csv``,
    ``src/helpers``, ``notebooks/01_…``).
    """
    from helpers.pipeline.plan import read_manifest, year_inputs

    old = read_manifest(paths, year).get("1")
    if not old:
        return UNKNOWN_CAUSE
    new = year_inputs(paths, year, "vi", {}).stages["1"]
    changed = sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))
    raw = [
        name.removeprefix("raw/") if name != "raw" else f"raw/{year}"
        for name in changed
        if name == "raw" or name.startswith("raw/")
    ]
    if raw:
        return "; ".join(raw)
    names = {"corrections": "corrections.csv", "code": "src/helpers", "notebook": "notebooks/01_clean_returns.ipynb"}
    return "; ".join(names.get(name, name) for name in changed) or UNKNOWN_CAUSE


def cause_words(cause: str, lang: str = "vi") -> str:
    """A revision's ``cause`` as the reader reads it: the files named as they are, an unknown cause in words."""
    return message("runner.revisions_unknown_cause", lang) if cause == UNKNOWN_CAUSE else cause


NAME_COLUMNS = {"indicator": "indicator_name", "agency": "agency_name", "district": "district_name"}
"""Code column → the column of its name, beside it."""


def read_revisions(path: Path) -> pd.DataFrame:
    """A revisions table (empty with its columns when there is no file).

    A history written before the name columns existed is read with them empty (:func:`with_names` fills them).
    """
    if not path.is_file():
        return pd.DataFrame(columns=REVISION_COLUMNS)
    return pd.read_csv(path, dtype=str, keep_default_na=False).reindex(columns=REVISION_COLUMNS, fill_value="")


def code_names(codes: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """The names of ``indicator``, ``agency`` and ``district`` codes, as people read them (an unknown code as it is).

    Returns:
        Columns ``indicator_name, agency_name, district_name``, on the index of ``codes``.
    """
    indicators = catalogue()
    agencies = {agency.code: agency.name_vi for agency in reference.agencies} | {ALL: message("workbook.all_agencies")}
    districts = {d.code: d.name_vi for d in reference.districts} | {ALL: message("review.province")}
    return pd.DataFrame(
        {
            "indicator_name": [indicators[i].name_vi if i in indicators else i for i in codes["indicator"]],
            "agency_name": [agencies.get(code, code) for code in codes["agency"]],
            "district_name": [districts.get(code, code) for code in codes["district"]],
        },
        index=codes.index,
    )


def with_names(rows: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """``rows`` with every empty name column filled from its code (names already written are kept)."""
    if rows.empty:
        return rows
    names = code_names(rows, reference)
    out = rows.copy()
    for column in NAME_COLUMNS.values():
        out[column] = out[column].where(out[column].astype(str) != "", names[column])
    return out


def record_revisions(
    paths: ProjectPaths, year: int, indicators: pd.DataFrame, built_at: str | None = None
) -> pd.DataFrame:
    """Compare freshly computed indicators with the last complete build; append what moved.

    Call it before the new ``indicators.csv`` is written (when the notebook
    writes in place, the last build's file is the one it replaces).

    Args:
        paths: the run's paths (the year's staging folder, if it is being built there).
        year: the year.
        indicators: the new indicators (``indicators.csv`` columns).
        built_at: the time stamp of the rows (default: now, to the second).

    Returns:
        The rows added (empty when nothing moved or there was no earlier build).
    """
    final = paths.final_processed(year)
    history = read_revisions(final / REVISIONS_FILE)
    previous = final / INDICATORS
    added = pd.DataFrame(columns=REVISION_COLUMNS)
    if previous.is_file():
        moved = compare_indicators(read_indicators(previous), indicators)
        if not moved.empty:
            added = moved.assign(
                built_at=built_at or dt.datetime.now().isoformat(timespec="seconds"),
                cause=changed_inputs(paths, year),
                **code_names(moved, paths.reference().for_year(year)),
            )[REVISION_COLUMNS]
    history = with_names(history, paths.reference().for_year(year))
    target = paths.processed_year(year)
    if not added.empty or not history.empty:
        log = pd.concat([history, added], ignore_index=True) if not added.empty else history
        write_stage_table(log, target, REVISIONS_FILE)
    write_stage_table(added, target, LATEST_FILE)
    return added


def latest_revisions(processed_year: Path) -> pd.DataFrame:
    """The rows added by the latest computation of the year's indicators (empty if none)."""
    return read_revisions(processed_year / LATEST_FILE)


def new_revisions(staged: Path, final: Path) -> pd.DataFrame:
    """The rows a staged build adds to the history of the complete build it replaces."""
    before = len(read_revisions(final / REVISIONS_FILE))
    return read_revisions(staged / REVISIONS_FILE).iloc[before:]


def _number(text: str) -> str:
    return format_number_vi(float(text), 6) if text else "–"


def province_lines(rows: pd.DataFrame) -> list[str]:
    """Province-level changes (all districts together), with names: ``Hội Nông dân: Số buổi tập huấn … 2.100 → 2.105``.

    ``Toàn tỉnh`` names the row of all agencies (and the register and THT indicators); a name the row does not
    carry (a history written before the names) is the code's name in the catalogue, else the code.
    """
    province = rows[rows["district"] == ALL]
    indicators = catalogue()
    lines = []
    for row in province.itertuples():
        who = message("review.province") if row.agency == ALL else (getattr(row, "agency_name", "") or row.agency)
        name = getattr(row, "indicator_name", "") or (
            indicators[row.indicator].name_vi if row.indicator in indicators else row.indicator
        )
        lines.append(
            message("runner.revision_line", who=who, indicator=name, old=_number(row.old), new=_number(row.new))
        )
    return lines


def report_revisions(staged: Path, final: Path, year: int, say: Callable[[str], None] = print) -> None:
    """Print the province-level changes a staged build of ``year`` brings (nothing when none)."""
    rows = new_revisions(staged, final)
    if rows.empty:
        return
    lines = province_lines(rows)
    by_district = len(rows) - len(lines)
    say(message("runner.revisions_heading", year=year, count=len(rows), cause=cause_words(rows["cause"].iloc[0])))
    for line in lines:
        say(f"  {line}")
    if by_district:
        say(message("runner.revisions_by_district", count=by_district, path=final / REVISIONS_FILE))
