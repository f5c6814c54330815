"""The rendered review of a year: tables, figures, cross-checks and the ledger, ready for the review notebook.

What reviewers read is in Vietnamese (``lang="vi"``, numbers ``1.234,5``) or,
for partners, English (``lang="en"``). This module holds the review's
indicator tables (headline, activities, development, years, targets), its
figures and workbook. The year's data and how numbers are written are in
:mod:`helpers.publish.review_data`, the cross-checks and ledger tables in
:mod:`helpers.publish.review_quality`, the HTML pieces in
:mod:`helpers.publish.review_html`; the names the review notebook calls as
``review.<name>`` are re-exported here (imported ``as`` themselves).

Why this module is long: it is the one name the review notebook calls
(``review.<name>``): the review's tables, its figures and the views of the
figures that a year cannot draw, side by side as the notebook shows them;
after units became dated it also says where a comparison spans a change of territory.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from helpers.messages import message, status_word
from helpers.paths import ProjectPaths
from helpers.publish import figures
from helpers.publish.print_tables import MANY_UNITS
from helpers.publish.review_data import (
    YearData,
    district_name,
    indicator_cell,
    indicator_name,
    indicator_unit,
    sense_of,
    shared_change,
    show_number,
    signed_change,
    signed_percent,
)
from helpers.publish.review_data import load_year as load_year
from helpers.publish.review_html import header_html as header_html
from helpers.publish.review_html import revisions_html as revisions_html
from helpers.publish.review_html import section_html as section_html
from helpers.publish.review_html import show_html, styled
from helpers.publish.review_quality import NOT_SHOWN as NOT_SHOWN
from helpers.publish.review_quality import REVIEW_TABLE_ROWS as REVIEW_TABLE_ROWS
from helpers.publish.review_quality import approximate_table as approximate_table
from helpers.publish.review_quality import corrections_table as corrections_table
from helpers.publish.review_quality import cross_checks_table as cross_checks_table
from helpers.publish.review_quality import fair_rows as fair_rows
from helpers.publish.review_quality import ignored_table as ignored_table
from helpers.publish.review_quality import ledger_table as ledger_table
from helpers.publish.review_quality import non_data_table as non_data_table
from helpers.publish.review_quality import rejects_table as rejects_table
from helpers.read.forms import form_of
from helpers.reference.catalogue import catalogue, indicators_of

HEADLINE_IDS = [
    "training_sessions",
    "training_attendance",
    "new_htx_guided",
    "new_tht_guided",
    "htx_count",
    "htx_new",
    "htx_dissolved",
    "tht_count",
    "good_fair_share",
]


def comparison_columns(data: YearData) -> list[str]:
    """The one column order of every table comparing the year with the previous one."""
    return [
        data.t("indicator"),
        data.t("unit"),
        data.t("year_col", year=data.year - 1),
        data.t("year_col", year=data.year),
        data.t("change"),
        data.t("change_pct"),
    ]


def _comparison_record(data: YearData, indicator_id: str, row) -> dict:
    """One indicator's row of a comparison table (``row``: its line of ``changes.csv``, or ``None``)."""
    share = catalogue()[indicator_id].is_share
    # a build older than the column marks the value when either year is approximate
    has_senses = "approx_sense" in data.changes.columns
    if row is None:
        previous = change = percent = None
        current = indicator_cell(data.indicators, indicator_id, data.lang)
        previous_sense = None
    else:
        previous = None if pd.isna(row.previous_value) else row.previous_value
        change = None if pd.isna(row.change) else row.change
        if share and change is not None:  # the change a reader computes from the two shown percentages
            change = shared_change(previous, row.value)
        percent = None if pd.isna(row.change_pct) or share else row.change_pct
        current = show_number(
            row.value,
            bool(row.approximate) and (not has_senses or bool(sense_of(row, "approx_sense"))),
            share,
            data.lang,
            sense_of(row, "approx_sense"),
        )
        previous_sense = sense_of(row, "previous_approx_sense")
    columns = comparison_columns(data)
    return dict(
        zip(
            columns,
            [
                indicator_name(indicator_id, data.lang),
                indicator_unit(indicator_id, data.lang),
                show_number(previous, share=share, lang=data.lang, sense=previous_sense),
                current,
                signed_change(change, share, data.lang),
                data.t("not_applicable") if share and row is not None else signed_percent(percent, data.lang),
            ],
            strict=True,
        )
    )


def headline_table(data: YearData) -> pd.DataFrame:
    """The headline figures of the year against the previous year (the year alone when there is no previous year)."""
    changes = {row.indicator: row for row in data.changes.itertuples()}
    table = pd.DataFrame(
        [_comparison_record(data, indicator_id, changes.get(indicator_id)) for indicator_id in HEADLINE_IDS],
        columns=comparison_columns(data),
    )
    if not data.has_previous_year:
        table = table.drop(columns=[data.t("year_col", year=data.year - 1), data.t("change"), data.t("change_pct")])
    return table


def activity_table(data: YearData) -> pd.DataFrame:
    """Section A: each activity indicator for the province and by agency."""
    records = []
    for indicator in indicators_of("A"):
        record = {
            data.t("indicator"): indicator.name(data.lang),
            data.t("unit"): indicator_unit(indicator.id, data.lang),
            data.t("province"): indicator_cell(data.indicators, indicator.id, data.lang),
        }
        for agency in data.reference.agencies:
            record[agency.code] = indicator_cell(data.indicators, indicator.id, data.lang, agency=agency.code)
        records.append(record)
    return pd.DataFrame(records)


def development_table(data: YearData) -> pd.DataFrame:
    """Section B: each cooperative-development indicator for the province and by district (by few units only).

    With many units (129 communes and wards) the columns would not fit: the
    table is the province's, and the units are in the turned tables of
    :mod:`helpers.publish.print_tables`.
    """
    units = [d for d in data.reference.districts if not d.is_province_office]
    if len(units) > MANY_UNITS:
        units = []
    records = []
    for indicator in indicators_of("B"):
        record = {
            data.t("indicator"): indicator.name(data.lang),
            data.t("unit"): indicator_unit(indicator.id, data.lang),
            data.t("province"): indicator_cell(data.indicators, indicator.id, data.lang),
        }
        for unit in units:
            record[district_name(unit.code, data.reference, data.lang)] = indicator_cell(
                data.indicators, indicator.id, data.lang, district=unit.code
            )
        records.append(record)
    return pd.DataFrame(records)


def changes_table(data: YearData) -> pd.DataFrame:
    """Every province indicator against the previous year, in the column order of :func:`headline_table`."""
    return pd.DataFrame(
        [_comparison_record(data, row.indicator, row) for row in data.changes.itertuples()],
        columns=comparison_columns(data),
    )


def cumulative_table(data: YearData) -> pd.DataFrame:
    """Programme totals since the programme's first year."""
    records = []
    for row in data.cumulative.itertuples():
        records.append(
            {
                data.t("indicator"): indicator_name(row.indicator, data.lang),
                data.t("total", start_year=int(row.from_year), year=int(row.to_year)): show_number(
                    row.total, bool(row.approximate), lang=data.lang, sense=sense_of(row, "approx_sense")
                ),
                data.t("unit"): indicator_unit(row.indicator, data.lang),
                data.t("years_missing"): "" if pd.isna(row.years_missing) else str(row.years_missing),
            }
        )
    return pd.DataFrame(records)


def _note_html(text: str) -> str:
    return f'<p class="note">{html.escape(text)}</p>'


def changes_view(data: YearData):
    """The table of every change on the previous year, or a sentence when there is no previous year."""
    if not data.has_previous_year:
        return show_html(_note_html(data.t("no_previous", year=data.year, previous_year=data.year - 1)))
    note = data.territory_note("changes")
    return styled(changes_table(data), data.t("cap_changes") + (f" — {note}" if note else ""))


def cumulative_view(data: YearData):
    """The cumulative totals, or a sentence in the first year of the period."""
    if not data.has_cumulative:
        return show_html(_note_html(data.t("no_cumulative", year=data.year)))
    note = data.territory_note("cumulative")
    return styled(cumulative_table(data), data.t("cap_cumulative") + (f" — {note}" if note else ""))


def target_text(row, lang: str) -> str:
    """A target as the review writes it: ``tối thiểu 1.000``, ``300–400``, ``tối đa 5%``, ``… mỗi năm`` when per year.

    Args:
        row: the target's line of ``targets_progress.csv`` (a named tuple).
        lang: the reader's language.
    """
    share = catalogue()[row.indicator].is_share
    low = None if pd.isna(row.target_low) else row.target_low
    high = None if pd.isna(row.target_high) else row.target_high

    def show(value: float) -> str:
        return show_number(value, share=share, lang=lang)

    suffix = "_per_year" if row.basis == "per_year" else ""
    if low is not None and high is not None:
        return message(f"target.range{suffix}", lang, low=show(low), high=show(high))
    if low is not None:
        return message(f"target.at_least{suffix}", lang, low=show(low))
    return message(f"target.at_most{suffix}", lang, high=show(high))


def targets_table(data: YearData):
    """Progress against each target of the year, status coloured."""
    records = []
    for row in data.targets.itertuples():
        records.append(
            {
                data.t("indicator"): indicator_name(row.indicator, data.lang),
                data.t("period"): row.period,
                data.t("target"): target_text(row, data.lang),
                data.t("result", year=data.year): show_number(
                    None if pd.isna(row.value) else row.value, share=catalogue()[row.indicator].is_share, lang=data.lang
                ),
                data.t("status"): status_word(row.status, data.lang),
                data.t("source"): row.source,
            }
        )
    return pd.DataFrame(
        records,
        columns=[data.t(k, year=data.year) for k in ("indicator", "period", "target", "result", "status", "source")],
    )


# -- figures and workbook ----------------------------------------------------------------


def sources_text(data: YearData, template: str) -> str:
    """The source line of a figure, built from the files actually read."""
    ledger = data.ledger[
        (data.ledger["status"] == "read") & (data.ledger["template"].astype(str).str.zfill(2) == template)
    ]
    years = sorted(set(data.history["year"]))
    # the returns of one agency each are this year's activities; the once-a-year returns make the history
    by_agency = form_of(template).per_agency
    span = f"{years[0]}–{years[-1]}" if not by_agency and len(years) > 1 else str(data.year)
    if ledger.empty:
        return message("sources.none", data.lang, template=template, span=span)
    if by_agency:
        return message("sources.activities", data.lang, names=", ".join(a for a in ledger["agency"] if a), span=span)
    files = ", ".join(dict.fromkeys(ledger["file"]))  # a register over several sheets has a ledger line a sheet
    return message("sources.files", data.lang, template=template, files=files, span=span)


def figure_suffix(lang: str) -> str:
    """File-name suffix of a figure's language variant (none for Vietnamese)."""
    return "" if lang == "vi" else f".{lang}"


def territory_changes(data: YearData) -> tuple[int, ...]:
    """The years of the history whose units are not those of the year before (a trend across them says so)."""
    years = sorted(int(y) for y in set(data.history["year"])) if not data.history.empty else []
    return tuple(y for y in years if y - 1 in years and data.reference.territory_changed(y, y - 1))


def make_figures(data: YearData, paths: ProjectPaths) -> dict[str, figures.SavedFigure]:
    """Draw and save the year's figures to ``reports/<year>/figures`` (6 only when targets apply)."""
    lang = data.lang
    activity_sources, register_sources = sources_text(data, "01"), sources_text(data, "02")
    drawn = {
        "fig1_outputs_by_agency": figures.outputs_by_agency(
            data.indicators, data.year, activity_sources, data.is_sample, lang, reference=data.reference
        ),
        "fig2_training_by_district": figures.training_by_district(
            data.indicators, data.year, activity_sources, data.is_sample, lang, reference=data.reference
        ),
    }
    if has_several_years(data):  # a chart "over the years" of one year is no chart: its place shows a sentence
        moved = territory_changes(data)
        drawn["fig3_htx_over_years"] = figures.htx_over_years(
            data.history, register_sources, data.is_sample, lang, moved
        )
        drawn["fig4_rating_mix"] = figures.rating_mix(data.history, register_sources, data.is_sample, lang, moved)
        drawn["fig5_revenue_profit"] = figures.revenue_profit(
            data.history, register_sources, data.is_sample, lang, moved
        )
    if not data.targets.empty:
        target_sources = message("sources.targets", lang, year=data.year)
        drawn["fig6_targets"] = figures.targets_progress(data.targets, data.year, target_sources, data.is_sample, lang)
    ledger_sources = message("sources.ledger", lang, year=data.year)
    drawn["fig7_data_quality"] = figures.data_quality(data.ledger, data.year, ledger_sources, data.is_sample, lang)
    directory = paths.figures_year(data.year)
    return {stem: figures.save_figure(fig, directory, stem + figure_suffix(lang)) for stem, fig in drawn.items()}


OVER_THE_YEARS = {
    "fig3_htx_over_years": "htx_over_years",
    "fig4_rating_mix": "rating_mix",
    "fig5_revenue_profit": "revenue_profit",
}
"""The figures drawn over the years (only when the history has two years or more), with their title keys."""


def has_several_years(data: YearData) -> bool:
    """Whether the history up to the year holds two years or more: the figures over the years are drawn."""
    return not data.history.empty and data.history["year"].nunique() >= 2


def figure_view(saved: dict, stem: str, data: YearData):
    """A saved figure for the review, or the sentence saying why a figure over the years is not drawn."""
    if stem in saved:
        return show_figure(saved[stem])
    title = message(f"figure.{OVER_THE_YEARS[stem]}", data.lang)
    return show_html(_note_html(data.t("one_year_chart", title=title, year=data.year)))


def write_workbook(data: YearData, paths: ProjectPaths) -> Path:
    """Write ``reports/<year>/indicators.xlsx`` (the appendix tables)."""
    from helpers.publish.workbook import write_indicators_workbook

    target = paths.reports_year(data.year) / "indicators.xlsx"
    write_indicators_workbook(
        data.indicators, data.history, data.changes, data.targets, target, reference=data.reference
    )
    return target


def show_figure(saved: figures.SavedFigure):
    """A saved figure as a notebook display object (the 200-dpi PNG, shown at page width)."""
    from IPython.display import Image

    return Image(filename=str(saved.png), width=900)
