"""Programme targets: a table the analyst edits, and progress against it.

``data/targets.csv`` (beside ``raw/``) has one row per target:

* ``indicator`` — an id of the catalogue (``htx_new``, ``good_fair_share`` …);
* ``period`` — ``2018-2023`` or one year ``2020``: the years the target covers;
* ``basis`` — ``per_year`` (every year of the period must reach it) or
  ``level`` (the level to reach by the end of the period);
* ``target_low``, ``target_high`` — the range (either may be empty: at least /
  at most); shares as fractions (0.70 for 70%); a decimal comma (``0,70``, as
  Excel saves it in a Vietnamese locale) reads as a decimal mark, the
  contract's reading of a typed number (:func:`helpers.read.values.read_number`);
* ``source`` — where the target comes from.

Status of a target in a year (:func:`progress`):

* ``met`` — the year's value reaches the target (at least ``target_low``;
  at most ``target_high`` when there is no low bound);
* ``on_track`` — not yet, but: (``per_year``) the mean over the period so far
  is within it; (``level``) the straight line through the years so far
  reaches it by the end of the period;
* ``behind`` — otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.edited_tables import read_edited_table
from helpers.errors import FileProblem
from helpers.messages import message
from helpers.read.values import CellProblem, read_number
from helpers.reference.catalogue import catalogue

TARGET_COLUMNS = ["indicator", "period", "basis", "target_low", "target_high", "source"]


class TargetsError(FileProblem):
    """A targets table that cannot be used: a :class:`~helpers.errors.FileProblem` naming the row and column.

    Like every table the analyst edits, it is checked before any year is built
    (:func:`helpers.pipeline.preflight.check_edited_tables`), and the run exits with 2.
    """

    def __init__(self, where: str, key: str, **values: object) -> None:
        super().__init__(where, message(key, **values), message(f"{key}_action", **values))


@dataclass(frozen=True)
class Target:
    """One programme target."""

    indicator: str
    first_year: int
    last_year: int
    basis: str
    low: float | None
    high: float | None
    source: str

    def applies_to(self, year: int) -> bool:
        """Whether ``year`` is in the target's period."""
        return self.first_year <= year <= self.last_year

    def reached_by(self, value: float) -> bool:
        """Whether ``value`` reaches the target.

        With a low bound the target is "at least ``low``" and ``high`` only
        closes the range aimed at (going beyond it is noted, not a miss:
        45 new HTX against "20–25 a year" is met). With only ``high`` the
        target is "at most ``high``".
        """
        if self.low is not None:
            return value >= self.low - 1e-9
        return value <= self.high + 1e-9


def read_targets(path: Path) -> list[Target]:
    """Read and check a targets table; an absent file means no targets.

    Raises:
        TargetsError: naming the row and column of anything that is not usable.
    """
    if not path.is_file():
        return []
    table = read_edited_table(path, TARGET_COLUMNS)
    targets = []
    for number, row in enumerate(table.itertuples(index=False), start=2):
        where = message("programme.where", file=path.name, line=number)
        if row.indicator not in catalogue():
            raise TargetsError(f"{where} › indicator", "targets.unknown_indicator", value=row.indicator)
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?", row.period)
        if not match:
            raise TargetsError(f"{where} › period", "targets.bad_period", value=row.period)
        first, last = int(match[1]), int(match[2] or match[1])
        if row.basis not in ("per_year", "level"):
            raise TargetsError(f"{where} › basis", "targets.bad_basis", value=row.basis)
        bounds = [
            _bound(getattr(row, column).strip(), f"{where} › {column}") for column in ("target_low", "target_high")
        ]
        if bounds == [None, None]:
            raise TargetsError(where, "targets.no_bound")
        targets.append(Target(row.indicator, first, last, row.basis, bounds[0], bounds[1], row.source.strip()))
    return targets


def _bound(text: str, where: str) -> float | None:
    """A target's bound as typed (``0.70``, ``0,70``, ``20``; empty: none); an approximate or unreadable one is refused.

    Raises:
        TargetsError: at ``where``.
    """
    if not text:
        return None
    try:
        number = read_number(text)
    except CellProblem:
        raise TargetsError(where, "targets.not_a_number", value=text) from None
    if number.value is None or number.is_approximate:
        raise TargetsError(where, "targets.not_a_number", value=text)
    return number.value


def _trend_reaches(target: Target, values: pd.Series) -> bool:
    """Whether the least-squares line through ``values`` (year → value) reaches the target by the end."""
    points = values.dropna()
    if len(points) < 2:
        return False
    years = points.index.to_numpy(dtype=float)
    slope = ((years - years.mean()) * (points.to_numpy() - points.mean())).sum() / ((years - years.mean()) ** 2).sum()
    projected = points.mean() + slope * (target.last_year - years.mean())
    return target.reached_by(float(projected))


def progress(targets: list[Target], province_by_year: pd.DataFrame, year: int) -> pd.DataFrame:
    """Progress of every target that applies to ``year``.

    Args:
        targets: from :func:`read_targets`.
        province_by_year: year × indicator province values (:func:`helpers.compute.years.province`).
        year: the year under review.

    Returns:
        Columns ``indicator, period, basis, target_low, target_high, value,
        status, note, source``; one row per applicable target.
    """
    records = []
    for target in targets:
        if not target.applies_to(year):
            continue
        series = (
            province_by_year[target.indicator]
            if target.indicator in province_by_year.columns
            else pd.Series(dtype=float)
        )
        value = series.get(year)
        note = ""
        if value is None or pd.isna(value):
            status, value, note = "behind", None, message("targets.note_no_value", year=year)
        elif target.reached_by(float(value)):
            status = "met"
            if target.low is not None and target.high is not None and value > target.high + 1e-9:
                note = message("targets.note_above")
        elif target.basis == "per_year":
            so_far = series[(series.index >= target.first_year) & (series.index <= year)].dropna()
            status = "on_track" if target.reached_by(float(so_far.mean())) else "behind"
            note = message(
                "targets.note_mean", first_year=target.first_year, year=year, mean=round(float(so_far.mean()), 2)
            )
        else:
            history = series[series.index <= year]
            status = "on_track" if year < target.last_year and _trend_reaches(target, history) else "behind"
        records.append(
            {
                "indicator": target.indicator,
                "period": f"{target.first_year}-{target.last_year}"
                if target.first_year != target.last_year
                else str(target.first_year),
                "basis": target.basis,
                "target_low": target.low,
                "target_high": target.high,
                "value": None if value is None else float(value),
                "status": status,
                "note": note,
                "source": target.source,
            }
        )
    return pd.DataFrame.from_records(
        records,
        columns=["indicator", "period", "basis", "target_low", "target_high", "value", "status", "note", "source"],
    )
