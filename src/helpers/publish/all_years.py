"""Every built year in one place: the history with names, and ``reports/all_years.xlsx``.

:func:`read_history` reads the ``indicators.csv`` of every built year;
:func:`named_history` puts the names of the catalogue and of the data root's
reference tables beside the codes, in the reader's language. The exploration
helpers (:mod:`helpers.explore`) and the workbook of every year read the same
frame.

``all_years.xlsx`` is written by the build once the years are in place
(:func:`helpers.pipeline.stages.after_the_years`). Its first sheet is every
indicator of every year as one long Excel Table (Insert › PivotTable works on
it as it is); its second is the ready pivot of the province's values,
indicators × years. Numbers keep the formats and the approximate words of the
yearly ``indicators.xlsx``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from helpers.compute.indicators import read_indicators
from helpers.faults import writing
from helpers.messages import approximately, message
from helpers.outputs import save_workbook
from helpers.paths import ProjectPaths
from helpers.publish.workbook import FIXED_DATE, _number_format, _write_sheet
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue
from helpers.tables import INDICATORS, StageOutputError, columns_of

ALL_YEARS_NAME = "all_years.xlsx"
"""The workbook of every year, in the reports root beside ``index.html``."""
TABLE_NAME = "DuLieuCacNam"
"""The Excel Table's name (letters only: Excel refuses spaces and most punctuation in it)."""
HISTORY_COLUMNS = (
    "year",
    "indicator",
    "indicator_name",
    "section",
    "agency",
    "agency_name",
    "district",
    "district_name",
    "value",
    "unit",
    "approximate",
    "approx_sense",
    "territory_changed",
)
"""The columns of :func:`named_history`, in order. ``territory_changed``: the year's units differ from the
previous year's (the 1/7/2025 reform), so a comparison of the year with the one before crosses a change."""


def read_history(paths: ProjectPaths, years=None) -> pd.DataFrame:
    """The ``indicators.csv`` of every built year (of ``years`` only, when given), one tidy frame.

    An empty frame (with the columns of ``indicators.csv``) when no year is built.

    Raises:
        StageOutputError: a year's indicators file is damaged (rebuild that year).
    """
    wanted = None if years is None else {int(year) for year in years}
    frames = [
        read_indicators(paths.processed_year(year) / INDICATORS)
        for year in paths.processed_years()
        if wanted is None or year in wanted
    ]
    if not frames:
        return pd.DataFrame(columns=columns_of(INDICATORS))
    return pd.concat(frames, ignore_index=True)


def agency_names(reference: Reference, lang: str = "vi") -> dict[str, str]:
    """Agency code → its name in ``lang``; ``ALL`` → "all agencies"."""
    names = {a.code: a.name_en if lang == "en" else a.name_vi for a in reference.agencies}
    return names | {ALL: message("workbook.all_agencies", lang)}


def district_names(reference: Reference, lang: str = "vi") -> dict[str, str]:
    """District code → its short name in ``lang``; ``ALL`` → "the province"."""
    names = {d.code: d.name_en if lang == "en" else d.short_vi for d in reference.districts}
    return names | {ALL: message("review.province", lang)}


def named_history(indicators: pd.DataFrame, reference: Reference, lang: str = "vi") -> pd.DataFrame:
    """Tidy indicators with the names of indicators, agencies and districts beside their codes.

    Args:
        indicators: rows of ``indicators.csv`` (any years).
        reference: the data root's agencies and districts.
        lang: the language of the names and units (``vi`` or ``en``).

    Returns:
        The columns of :data:`HISTORY_COLUMNS`, sorted by year, catalogue order,
        agency and district; a code the tables do not name keeps its code as
        its name (never a blank).
    """
    names = catalogue()
    table = indicators.copy()
    table["indicator_name"] = [names[i].name(lang) if i in names else i for i in table["indicator"]]
    table["section"] = [names[i].section if i in names else "" for i in table["indicator"]]
    agencies, undated = agency_names(reference, lang), district_names(reference, lang)
    table["agency_name"] = [agencies.get(code, code) for code in table["agency"]]
    # a code names the unit of its own year (374: Huyện Hoa Lư up to 2024, TP Hoa Lư in 2025)
    years = sorted({int(year) for year in table["year"]})
    of_year = {year: undated | district_names(reference.for_year(year), lang) for year in years}
    table["district_name"] = [
        of_year[int(year)].get(code, code) for year, code in zip(table["year"], table["district"], strict=True)
    ]
    # a year whose units differ from the previous year's: a comparison with it crosses a change of territory
    moved = {year: reference.territory_changed(year, year - 1) for year in years}
    table["territory_changed"] = [moved[int(year)] for year in table["year"]]
    if lang == "en":
        table["unit"] = [
            names[i].unit_en if i in names else u for i, u in zip(table["indicator"], table["unit"], strict=True)
        ]
    if "approx_sense" not in table:
        table["approx_sense"] = ""
    table["approx_sense"] = [
        (sense if isinstance(sense, str) and sense else "about") if bool(flag) else ""
        for flag, sense in zip(table["approximate"], table["approx_sense"], strict=True)
    ]
    order = {indicator: position for position, indicator in enumerate(names)}
    table["_order"] = [order.get(i, len(order)) for i in table["indicator"]]
    table = table.sort_values(["year", "_order", "agency", "district"], kind="stable")
    table = table.astype({"year": "int64", "value": "float64", "approximate": "bool"})
    return table[list(HISTORY_COLUMNS)].reset_index(drop=True)


def _long_sheet(workbook: Workbook, history: pd.DataFrame) -> None:
    """Every row of the history under Vietnamese headers, as one Excel Table ready for a PivotTable."""
    rows, formats = [], []
    for r in history.itertuples(index=False):
        marked = approximately("", r.approx_sense).strip() if r.approximate else ""
        rows.append(
            [
                int(r.year),
                r.indicator,
                r.indicator_name,
                r.section,
                r.agency,
                r.agency_name,
                r.district,
                r.district_name,
                float(r.value),
                r.unit,
                marked,
                message("workbook.territory_changed_yes") if r.territory_changed else "",
            ]
        )
        formats.append(["0", *[None] * 7, _number_format(r.indicator, float(r.value)), None, None, None])
    headers = [
        message("workbook.year_column"),
        message("workbook.indicator_code"),
        message("workbook.indicator"),
        message("workbook.section"),
        message("workbook.agency_code"),
        message("review.agency"),
        message("workbook.district_code"),
        message("workbook.district"),
        message("column.value"),
        message("workbook.unit"),
        message("workbook.approximate"),
        message("workbook.territory_changed"),
    ]
    title = message("workbook.sheet_all_years")
    _write_sheet(workbook, title, headers, rows, formats, text_width=40)
    table = Table(displayName=TABLE_NAME, ref=f"A1:{get_column_letter(len(headers))}{len(rows) + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    workbook[title].add_table(table)


def _pivot_sheet(workbook: Workbook, history: pd.DataFrame) -> None:
    """The province's value of every indicator (rows) in every year (columns), formatted as the yearly workbooks."""
    province = history[(history["agency"] == ALL) & (history["district"] == ALL)]
    years = sorted(int(year) for year in set(history["year"]))
    rows, formats = [], []
    for indicator in catalogue().values():
        found = province[province["indicator"] == indicator.id].drop_duplicates("year").set_index("year")
        if found.empty:
            continue
        values = [float(found.at[y, "value"]) if y in found.index else None for y in years]
        senses = [found.at[y, "approx_sense"] or None if y in found.index else None for y in years]
        unit = "%" if indicator.is_share else indicator.unit
        rows.append([indicator.name_vi, indicator.id, unit, *values])
        formats.append(
            [None, None, None, *(_number_format(indicator.id, v, s) for v, s in zip(values, senses, strict=True))]
        )
    headers = [
        message("workbook.indicator"),
        message("workbook.indicator_code"),
        message("workbook.unit"),
        *(message("workbook.year", year=y) for y in years),
    ]
    _write_sheet(workbook, message("workbook.sheet_pivot_years"), headers, rows, formats, text_width=40)


def write_all_years_workbook(history: pd.DataFrame, target: Path) -> None:
    """Write ``all_years.xlsx`` from a :func:`named_history` frame (Vietnamese names).

    Two sheets: the long table (an Excel Table named :data:`TABLE_NAME`) and the
    pivot of the province's values, indicators × years. The same history always
    gives the same bytes.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    _long_sheet(workbook, history)
    _pivot_sheet(workbook, history)
    workbook.properties.creator = "coop-review"
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    save_workbook(workbook, target)


def write_all_years(paths: ProjectPaths) -> Path | None:
    """Write ``<reports>/all_years.xlsx`` from every built year; remove a stale one when no year is built.

    A damaged year (its indicators unreadable) is named on the index page; the
    workbook is then not written at all, rather than written without that year.

    Returns:
        The workbook written, or ``None`` when there is no built year or a year is damaged.
    """
    target = paths.reports_root / ALL_YEARS_NAME
    try:
        indicators = read_history(paths)
    except StageOutputError:  # the index page names the damaged year; no workbook leaves a year out silently
        indicators = pd.DataFrame()
    if indicators.empty:
        with writing(target):  # a stale workbook open in Excel (Windows) is a located write failure
            target.unlink(missing_ok=True)
        return None
    write_all_years_workbook(named_history(indicators, paths.reference(), "vi"), target)
    return target
