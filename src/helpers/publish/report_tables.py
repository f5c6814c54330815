"""The appendix tables of the draft report, with their captions and column widths.

A sơ kết has the year's results by body, HTX and THT by district, the
headline figures against last year and the targets. A tổng kết adds the
period: lũy kế by year and by body, HTX and THT over the years, and each
target year by year. Cells are written as every table of the review writes
them; "–" is a value not reported, "x" one that does not apply.
"""

from __future__ import annotations

import pandas as pd

from helpers.compute.years import CUMULATIVE_IDS
from helpers.messages import message
from helpers.publish import review
from helpers.publish.print_tables import district_rows_table
from helpers.publish.report_layout import CONTENT_WIDTH_CM
from helpers.publish.report_parts import issuing_bodies
from helpers.read.values import combine_senses
from helpers.reference.catalogue import ALL, catalogue

TREND_IDS = ["htx_count", "htx_new", "htx_dissolved", "good_fair_share", "tht_count", "tht_new"]
"""The stocks and flows of a tổng kết's table over the years."""


def _spread(first: list[float], count: int) -> list[float]:
    """Widths: ``first`` as given, the rest of the content width shared by ``count`` columns."""
    rest = round((CONTENT_WIDTH_CM - sum(first)) / max(1, count), 2)
    return [*first, *[rest] * count]


def _with_body_names(data: review.YearData, table: pd.DataFrame) -> pd.DataFrame:
    """Columns named by body code renamed to the bodies' short names."""
    names = {body.code: body.short_name for body in issuing_bodies(data.reference, data.year, data.lang)}
    return table.rename(columns=names)


def appendix_tables(data: review.YearData) -> list[tuple[str, pd.DataFrame, list[float]]]:
    """The appendix tables: (caption, table, column widths in cm: one per column of the table)."""
    lang, year = data.lang, data.year
    activity = _with_body_names(data, review.activity_table(data))
    out = [
        (message("docx.table_activity", lang, year=year), activity, _spread([4.6, 1.6, 2.3], len(activity.columns) - 3))
    ]
    districts = district_rows_table(data)
    out.append(
        (message("docx.table_districts", lang, year=year), districts, _spread([3.0], len(districts.columns) - 1))
    )
    if data.has_previous_year:
        changes = review.headline_table(data)
        out.append(
            (
                message("docx.table_changes", lang, year=year, previous_year=year - 1),
                changes,
                [5.0, 1.8, 2.3, 2.3, 2.2, 2.4],
            )
        )
    if not data.targets.empty:
        targets = review.targets_table(data).drop(columns=[data.t("source")])
        out.append((message("docx.table_targets", lang, year=year), targets, [5.0, 2.0, 3.0, 2.2, 2.8]))
    if data.is_final:
        out.extend(final_tables(data))
    return out


def _years(data: review.YearData) -> list[int]:
    first = data.programme.first_year if data.programme else int(data.history["year"].min())
    return [y for y in sorted(set(data.history["year"])) if first <= y <= data.year]


def _cell(rows: pd.DataFrame, indicator: str, lang: str) -> str:
    """The sum of ``rows`` (one indicator's values) as a cell: "–" when none was reported."""
    values = rows["value"].dropna()
    if values.empty:
        return "–"
    approximate = bool(rows.loc[values.index, "approximate"].any())
    senses = rows.loc[values.index, "approx_sense"] if "approx_sense" in rows else []
    sense = combine_senses([s for s in senses if isinstance(s, str) and s]) if approximate else None
    return review.show_number(float(values.sum()), approximate, catalogue()[indicator].is_share, lang, sense)


def final_tables(data: review.YearData) -> list[tuple[str, pd.DataFrame, list[float]]]:
    """A tổng kết's tables over the period: lũy kế by year, lũy kế by body, HTX and THT by year, targets by year."""
    lang, history = data.lang, data.history
    years = _years(data)
    period = data.programme.period if data.programme else f"{years[0]}–{years[-1]}"
    whole = history[(history["district"] == ALL) & (history["year"].isin(years))]
    groups = {key: rows for key, rows in whole.groupby(["indicator", "agency"], sort=False)}  # one split, many lookups
    empty = whole.iloc[0:0]
    indicator_col, unit_col = data.t("indicator"), message("docx.column_unit", lang)
    total_col = message("docx.column_total_years", lang, start_year=years[0], year=years[-1])
    by_year, by_body = [], []
    bodies = issuing_bodies(data.reference, data.year, lang)
    for indicator in CUMULATIVE_IDS:
        rows = groups.get((indicator, ALL), empty)
        record = {
            indicator_col: review.indicator_name(indicator, lang),
            unit_col: review.indicator_unit(indicator, lang),
        }
        for year in years:
            record[str(year)] = _cell(rows[rows["year"] == year], indicator, lang)
        record[total_col] = _cell(rows, indicator, lang)
        by_year.append(record)
        if catalogue()[indicator].section != "A":
            continue
        per_body = {indicator_col: record[indicator_col], unit_col: record[unit_col]}
        for body in bodies:
            per_body[body.short_name] = _cell(groups.get((indicator, body.code), empty), indicator, lang)
        per_body[message("docx.column_total", lang)] = record[total_col]
        by_body.append(per_body)
    trend = []
    for indicator in TREND_IDS:
        rows = groups.get((indicator, ALL), empty)
        record = {
            indicator_col: review.indicator_name(indicator, lang),
            unit_col: review.indicator_unit(indicator, lang),
        }
        for year in years:
            record[str(year)] = _cell(rows[rows["year"] == year], indicator, lang)
        trend.append(record)
    by_year_table, by_body_table, trend_table = pd.DataFrame(by_year), pd.DataFrame(by_body), pd.DataFrame(trend)
    out = [
        (
            message("docx.table_cumulative_by_year", lang, period=period),
            by_year_table,
            _spread([3.6, 1.3], len(years) + 1),
        ),
        (
            message("docx.table_cumulative_by_body", lang, period=period),
            by_body_table,
            _spread([4.2, 1.4], len(bodies) + 1),
        ),
        (message("docx.table_trend", lang, period=period), trend_table, _spread([4.2, 1.4], len(years))),
    ]
    targets = period_targets_table(data, years)
    if not targets.empty:
        out.append(
            (
                message("docx.table_period_targets", lang, period=period),
                targets,
                _spread([3.6, 2.4], len(targets.columns) - 2),
            )
        )
    return out


def period_targets_table(data: review.YearData, years: list[int]) -> pd.DataFrame:
    """Each target (a row) and its result and verdict in each year of the period it covers."""
    from helpers.publish.report_assess import period_targets

    table = period_targets(data)
    if table.empty:
        return table
    lang = data.lang
    indicator_col, target_col = data.t("indicator"), message("docx.column_target", lang)
    records = []
    for indicator, rows in table.groupby("indicator", sort=False):
        record = {indicator_col: review.indicator_name(indicator, lang), target_col: rows["target"].iloc[0]}
        by_year = {int(row.year): row for row in rows.itertuples()}
        for year in years:
            row = by_year.get(year)
            if row is None:
                record[str(year)] = message("docx.not_applicable", lang)
                continue
            value = review.show_number(
                None if pd.isna(row.value) else row.value, share=catalogue()[indicator].is_share, lang=lang
            )
            record[str(year)] = f"{value}\n{message(f'docx.verdict_short.{row.verdict}', lang)}"
        records.append(record)
    return pd.DataFrame(records)
