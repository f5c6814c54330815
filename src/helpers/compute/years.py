"""Section C of ``indicators.md``: a year against the years before it.

* change on the previous year, absolute and in percent;
* cumulative programme totals since the programme's first year (``programme.csv``);
* the cross-checks across years and templates, with their differences.

All functions take the *history*: the tidy indicators of every processed year
up to the year under review (:func:`load_history`).
"""

from __future__ import annotations

import itertools

import pandas as pd

from helpers.compute.indicators import read_indicators
from helpers.messages import message
from helpers.paths import ProjectPaths
from helpers.read.values import combine_senses
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue
from helpers.tables import (
    CHANGES,
    CROSS_CHECKS,
    CUMULATIVE,
    INDICATORS,
    TARGETS_PROGRESS,
    TOTALS_CHECKS,
    columns_of,
    outputs_of,
    read_stage_table,
    write_stage_table,
)

CUMULATIVE_IDS = [
    *(indicator.id for indicator in catalogue().values() if indicator.section == "A"),
    "htx_new",
    "htx_dissolved",
    "tht_new",
]
"""Flows that add up over the years (stocks such as ``htx_count`` do not)."""


def load_history(paths: ProjectPaths, year: int) -> pd.DataFrame:
    """The indicators of every processed year up to and including ``year``."""
    frames = [read_indicators(paths.processed_year(y) / INDICATORS) for y in paths.processed_years() if y <= year]
    if not frames:
        raise FileNotFoundError(message("runner.no_indicators", year=year, folder=paths.data_root / "processed"))
    return pd.concat(frames, ignore_index=True)


def province(history: pd.DataFrame) -> pd.DataFrame:
    """Province values (agency and district ``ALL``) as a year × indicator table."""
    rows = history[(history["agency"] == ALL) & (history["district"] == ALL)]
    return rows.pivot(index="year", columns="indicator", values="value")


def _approximate(history: pd.DataFrame) -> pd.DataFrame:
    rows = history[(history["agency"] == ALL) & (history["district"] == ALL)]
    return rows.pivot(index="year", columns="indicator", values="approximate").fillna(False).astype(bool)


def _senses(history: pd.DataFrame) -> pd.DataFrame:
    """Province approximate senses by year × indicator (empty text when exact or unknown)."""
    rows = history[(history["agency"] == ALL) & (history["district"] == ALL)]
    if "approx_sense" not in rows:
        rows = rows.assign(approx_sense=rows["approximate"].map({True: "about", False: ""}))
    return rows.pivot(index="year", columns="indicator", values="approx_sense").fillna("")


def changes(history: pd.DataFrame, year: int, *, reference: Reference | None = None) -> pd.DataFrame:
    """Each province indicator of ``year`` against the previous year.

    Returns:
        Columns ``indicator, year, value, previous_value, change, change_pct,
        approximate, approx_sense, previous_approx_sense, territory_changed``; ``change_pct`` is
        empty when the previous value is 0 or missing; the senses are those of
        the year's and the previous year's values (empty when exact);
        ``territory_changed`` says that the units of ``year`` are not those of the
        previous year (``reference``: the data root's dated units; ``None``: never), so
        the change compares two different territories (raw-data.md § Units over time).
    """
    moved = reference is not None and reference.territory_changed(year, year - 1)
    table = province(history)
    flags = _approximate(history)
    senses = _senses(history)
    records = []
    for indicator in catalogue():
        if year not in table.index or indicator not in table.columns or pd.isna(table.at[year, indicator]):
            continue
        value = float(table.at[year, indicator])
        previous = (
            float(table.at[year - 1, indicator])
            if year - 1 in table.index and not pd.isna(table.at[year - 1, indicator])
            else None
        )
        change = None if previous is None else value - previous
        records.append(
            {
                "indicator": indicator,
                "year": year,
                "value": value,
                "previous_value": previous,
                "change": change,
                "change_pct": None if previous in (None, 0) else change / previous * 100,
                "approximate": bool(flags.at[year, indicator])
                or (previous is not None and bool(flags.at[year - 1, indicator])),
                "approx_sense": senses.at[year, indicator] if bool(flags.at[year, indicator]) else "",
                "previous_approx_sense": senses.at[year - 1, indicator]
                if previous is not None and bool(flags.at[year - 1, indicator])
                else "",
                "territory_changed": moved and previous is not None,
            }
        )
    return pd.DataFrame.from_records(records, columns=columns_of(CHANGES))


def cumulative(
    history: pd.DataFrame, year: int, start: int | None = None, *, reference: Reference | None = None
) -> pd.DataFrame:
    """Programme totals of the flows from ``start`` to ``year``, with the years that reported.

    Args:
        history: the indicators of every year up to ``year``.
        year: the year under review.
        start: the programme's first year (:func:`helpers.compute.programme.cumulative_start`);
            ``None``: the first year of ``history``.
        reference: the data root's dated units: ``territory_changed`` says that the years
            added up are not all of one territory (``None``: never said).
    """
    table = province(history)
    if start is None:
        start = int(table.index.min()) if len(table.index) else year
    flags = _approximate(history)
    senses = _senses(history)
    span = [y for y in table.index if start <= y <= year]
    records = []
    for indicator in CUMULATIVE_IDS:
        if indicator not in table.columns:
            continue
        values = table.loc[span, indicator].dropna()
        if values.empty:
            continue
        years = sorted(int(y) for y in values.index)
        moved = reference is not None and any(
            reference.territory_changed(later, earlier) for earlier, later in itertools.pairwise(years)
        )
        records.append(
            {
                "indicator": indicator,
                "from_year": start,
                "to_year": year,
                "total": float(values.sum()),
                "years_reported": len(values),
                "years_missing": ", ".join(str(y) for y in range(start, year + 1) if y not in values.index),
                "approximate": bool(flags.loc[values.index, indicator].any()),
                "approx_sense": combine_senses(senses.loc[values.index, indicator]) or "",
                "territory_changed": moved,
            }
        )
    return pd.DataFrame.from_records(records, columns=columns_of(CUMULATIVE))


CROSS_CHECK_COLUMNS = columns_of(CROSS_CHECKS)
"""``scope`` and ``note`` are in Vietnamese; ``file``, ``row``, ``column`` and ``rows_rejected`` (totals rows
only) let a review write them in its own language."""


def _value(history: pd.DataFrame, year: int, indicator: str, district: str) -> float | None:
    match = history[
        (history["year"] == year)
        & (history["indicator"] == indicator)
        & (history["agency"] == ALL)
        & (history["district"] == district)
    ]
    return None if match.empty else float(match.iloc[0]["value"])


def _record(
    check: str, scope: str, value: float | None, expected: float | None, note: str = "", **where: object
) -> dict:
    if value is None or expected is None:
        return {
            "check": check,
            "scope": scope,
            "value": value,
            "expected": expected,
            "difference": None,
            "status": "missing",
            "note": note,
            **where,
        }
    difference = value - expected
    return {
        "check": check,
        "scope": scope,
        "value": value,
        "expected": expected,
        "difference": difference,
        "status": "agree" if abs(difference) < 1e-6 else "differ",
        "note": note,
        **where,
    }


def rejected_note(count: int, lang: str = "vi") -> str:
    """The note of a totals row whose scope had rejected rows (empty when none)."""
    if not count:
        return ""
    return (
        message("check.rejected_not_in_sum_one", lang)
        if count == 1
        else message("check.rejected_not_in_sum", lang, count=count)
    )


def cross_checks(
    history: pd.DataFrame, year: int, totals: pd.DataFrame | None = None, *, reference: Reference
) -> pd.DataFrame:
    """The cross-checks of every report, never applied silently.

    * ``guided_vs_register``: agencies' ``new_htx_guided`` (Biểu 01) against the
      register's ``htx_new`` (Biểu 02), province and by district;
    * ``count_flow``: ``htx_count`` this year against last year's plus new minus
      dissolved (equivalently ``htx_net_change`` against the change of the count);
    * ``totals_row``: each totals row of a return against the sum of its rows.

    The districts checked are those of ``reference`` (the data root's tables).

    Returns:
        Columns ``check, scope, value, expected, difference, status, note``;
        ``status`` is ``agree``, ``differ`` or ``missing``.
    """
    reference = reference.for_year(year)
    scopes = [(ALL, ALL)] + [(d.code, d.code) for d in reference.districts if not d.is_province_office]
    records = []
    for code, scope in scopes:
        guided, founded = _value(history, year, "new_htx_guided", code), _value(history, year, "htx_new", code)
        if guided is not None or founded is not None:
            records.append(_record("guided_vs_register", scope, guided, founded))
    moved = reference.territory_changed(year, year - 1)
    for code, scope in scopes:
        last, now = _value(history, year - 1, "htx_count", code), _value(history, year, "htx_count", code)
        if last is None or now is None:
            continue
        if moved and code == ALL:  # another territory: last year's count does not flow into this year's
            records.append(_record("count_flow", scope, now, None, message("units.territory_count_flow")))
            continue
        expected = (
            last + (_value(history, year, "htx_new", code) or 0) - (_value(history, year, "htx_dissolved", code) or 0)
        )
        records.append(_record("count_flow", scope, now, expected))
    if totals is not None:
        for row in totals.itertuples(index=False):
            if pd.isna(row.totals_value):
                continue
            scope = message("check.totals_scope", file=row.file, row=int(row.row), column=row.column)
            where = {
                "file": row.file,
                "row": int(row.row),
                "column": row.column,
                "rows_rejected": int(row.rows_rejected),
            }
            records.append(
                _record(
                    "totals_row",
                    scope,
                    float(row.totals_value),
                    float(row.rows_sum),
                    rejected_note(int(row.rows_rejected)),
                    **where,
                )
            )
    return pd.DataFrame.from_records(records, columns=CROSS_CHECK_COLUMNS)


ACROSS_YEARS_OUTPUTS = tuple(outputs_of(3))


def compare_years(paths: ProjectPaths, year: int) -> dict[str, pd.DataFrame]:
    """The across-years stage: changes, cumulative totals, cross-checks and targets of ``year``.

    Reads the indicators of every processed year up to ``year``, the year's
    programme (``<data>/programme.csv``) and its targets table; writes the four tables of
    :data:`ACROSS_YEARS_OUTPUTS` to ``processed/<year>/`` and returns them.
    """
    from helpers.compute.programme import cumulative_start, targets_file_for
    from helpers.compute.targets import progress, read_targets

    history = load_history(paths, year)
    targets = targets_file_for(paths, year)
    processed = paths.processed_year(year)
    totals = read_stage_table(processed, TOTALS_CHECKS) if (processed / TOTALS_CHECKS).is_file() else None
    tables = {
        CHANGES: changes(history, year, reference=paths.reference()),
        CUMULATIVE: cumulative(
            history, year, cumulative_start(paths, year, int(history["year"].min())), reference=paths.reference()
        ),
        CROSS_CHECKS: cross_checks(history, year, totals, reference=paths.reference()),
        TARGETS_PROGRESS: progress(read_targets(targets) if targets else [], province(history), year),
    }
    for name, table in tables.items():
        write_stage_table(table, processed, name)
    return tables
