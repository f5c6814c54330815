"""``indicators.xlsx``, ``rejects.xlsx`` and ``revisions.xlsx``: formatted workbooks for people.

``indicators.xlsx`` holds the indicator tables for the printed report's appendix.

One sheet per section (A programme activity, B cooperative development, C
across years, targets) plus the tidy table itself; Vietnamese headers, number
formats, a frozen header row and fitted column widths. The workbook is
written by openpyxl, opens in LibreOffice and Excel without a repair prompt,
and the same data always give the same bytes (fixed document dates and zip
timestamps). ``rejects.xlsx`` is the rejects ledger of a year as a workbook
the analyst can send back to an agency (with what each reject removed);
``revisions.xlsx`` the history of the year's revisions, with names beside the
codes, in the same look (:func:`write_ledger_workbook`).

Why this module is long: both workbooks are written by one sheet writer
(:func:`_write_sheet`) that owns their look — bold wrapped headers, widths and
row heights, A4 print set-up, text that cannot run as a formula — and beside
it each workbook is short.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from helpers.messages import approximately, message, status_word
from helpers.outputs import neutralise_formula, save_workbook
from helpers.publish.print_tables import MANY_UNITS
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue, indicators_of
from helpers.text import to_nfc

FIXED_DATE = dt.datetime(2000, 1, 1)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="B0B7C3")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_POINTS = 13
"""Height of one line of wrapped text in a row, in points (11 pt Calibri)."""
PORTRAIT_COLUMNS = 6
"""A sheet of more columns prints landscape."""


def safe_text(value: object) -> object:
    """Text that a spreadsheet would take for a formula is stored as plain text (prefixed with ')."""
    return neutralise_formula(to_nfc(value)) if isinstance(value, str) else value


def _number_format(indicator_id: str | None, value: object, sense: str | None = None) -> str:
    """The cell format of a value, rounded as the review shows it.

    Whole numbers, else one decimal; shares in %; with the words of an
    approximate value (``"trên "#,##0``): the cell stays a number.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return "General"
    if indicator_id and indicator_id in catalogue() and catalogue()[indicator_id].is_share:
        number = "0%" if float(round(value * 100, 1)).is_integer() else "0.0%"
    else:
        number = "#,##0" if float(round(value, 1)).is_integer() else "#,##0.0"
    if sense:
        words = approximately("", sense).strip()
        return f'"{words} "{number}'
    return number


def _setup_print(sheet, columns: int, wide_column: int | None = None) -> None:
    """Print on A4 at the page's width (landscape when wide), the header row on every page, page numbers."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if columns > PORTRAIT_COLUMNS else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins = PageMargins(left=0.5, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    sheet.oddFooter.center.text = message("workbook.page")
    sheet.oddHeader.center.text = sheet.title


def _cell_kind(value: object, row_format, column_index: int) -> tuple:
    """The style a body cell takes: ``("text",)``, ``("number", format)`` or ``("other",)``."""
    if isinstance(value, str):
        return ("text",)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell_format = row_format[column_index] if isinstance(row_format, list) else row_format
        return ("number", cell_format or "#,##0")
    return ("other",)


def _style_body(sheet, formats: list | None) -> None:
    """Borders, alignment and number formats of the body cells (below the header) of ``sheet``.

    A cell's style is a copy of the first cell's of its kind: openpyxl looks
    each style object up by its hash, which for a few thousand cells costs a
    second.
    """
    styles: dict[tuple, StyleArray] = {}
    for row_index, row in enumerate(sheet.iter_rows(min_row=2), start=0):
        row_format = formats[row_index] if formats else None
        for column_index, cell in enumerate(row):
            kind = _cell_kind(cell.value, row_format, column_index)
            if kind in styles:
                cell._style = copy.copy(styles[kind])
                continue
            cell.border = BORDER
            if kind[0] == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif kind[0] == "number":
                cell.number_format = kind[1]
                cell.alignment = Alignment(vertical="top")
            styles[kind] = copy.copy(cell._style)


def _write_sheet(
    workbook: Workbook,
    title: str,
    columns: list[str],
    rows: list[list],
    formats: list | None = None,
    *,
    text_width: int = 45,
) -> None:
    """A sheet of ``rows`` under a bold header; ``formats``: each row's number format, or each cell's (a list a row)."""
    sheet = workbook.create_sheet(title)
    sheet.append([safe_text(c) for c in columns])
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_values in rows:
        sheet.append([safe_text(v) for v in row_values])
    _style_body(sheet, formats)
    sheet.freeze_panes = "A2"
    widths = []
    for index, title_ in enumerate(columns, start=1):
        shown = [_shown_length(cell.value, cell.number_format) for cell in sheet[get_column_letter(index)][1:]]
        width = min(text_width, max(8, len(str(title_)) // 2 + 2, *(length + 2 for length in shown)))
        sheet.column_dimensions[get_column_letter(index)].width = width
        widths.append(width)
    # row heights for wrapped text: LibreOffice and Excel do not grow rows written by openpyxl
    for row in sheet.iter_rows():
        lines = max(
            (
                math.ceil(len(cell.value) / max(1, widths[cell.column - 1] - 1))
                for cell in row
                if isinstance(cell.value, str)
            ),
            default=1,
        )
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = LINE_POINTS * lines + 2
    _setup_print(sheet, len(columns))


def _shown_length(value: object, number_format: str) -> int:
    """About how many characters a cell shows: a number with its grouping, decimals and the words of its format."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return min(len(str(value)), 40)
    words = number_format.split('"')[1] if number_format.count('"') >= 2 else ""
    if "%" in number_format:
        return len(words) + 7
    return len(words) + len(f"{abs(value):,.1f}") + 1


Rows = dict[tuple[str, str, str], dict]
"""(indicator, agency, district) → the indicator row, first of each: the table in memory, indexed once."""


def _index(table: pd.DataFrame) -> Rows:
    found: Rows = {}
    for row in table.to_dict("records"):
        found.setdefault((row["indicator"], row["agency"], row["district"]), row)
    return found


def _row(rows: Rows, indicator: str, agency: str = ALL, district: str = ALL):
    return rows.get((indicator, agency, district))


def _value(rows: Rows, indicator: str, agency: str = ALL, district: str = ALL):
    row = _row(rows, indicator, agency, district)
    return None if row is None else float(row["value"])


def _sense(rows: Rows, indicator: str, agency: str = ALL, district: str = ALL) -> str | None:
    row = _row(rows, indicator, agency, district)
    if row is None or not bool(row["approximate"]):
        return None
    sense = row.get("approx_sense")
    return sense if isinstance(sense, str) and sense else "about"


def _unit(indicator) -> str:
    return "%" if indicator.is_share else indicator.unit


def _by_unit_sheet(
    workbook, title: str, indicators: pd.DataFrame, section: str, units: list[tuple[str, str, str]]
) -> None:
    """Indicators of ``section`` as rows; the province and ``units`` (key, code, heading) as columns.

    Each cell is formatted as its value is shown.
    """
    index = _index(indicators)
    rows, formats = [], []
    for indicator in indicators_of(section):
        keys = [(ALL, ALL)] + [(code, ALL) if key == "agency" else (ALL, code) for key, code, _ in units]
        values = [_value(index, indicator.id, agency, district) for agency, district in keys]
        senses = [_sense(index, indicator.id, agency, district) for agency, district in keys]
        rows.append([indicator.name_vi, indicator.id, _unit(indicator), *values])
        formats.append(
            [None, None, None, *(_number_format(indicator.id, v, s) for v, s in zip(values, senses, strict=True))]
        )
    headers = [
        message("workbook.indicator"),
        message("workbook.indicator_code"),
        message("workbook.unit"),
        message("review.province"),
        *(heading for _, _, heading in units),
    ]
    _write_sheet(workbook, title, headers, rows, formats, text_width=40)


def _by_unit_long_sheet(
    workbook, title: str, indicators: pd.DataFrame, section: str, units: list[tuple[str, str, str]]
) -> None:
    """Indicators of ``section`` for the province and each of many units, one row per unit and indicator.

    A year of 129 communes and wards cannot print as 129 columns: the sheet is
    long and narrow (unit, indicator, unit of measure, value), filterable, and
    leaves out the units with no value for an indicator.
    """
    index = _index(indicators)
    rows, formats = [], []
    for key, code, heading in [("district", ALL, message("review.province")), *units]:
        for indicator in indicators_of(section):
            district = code if key == "district" else ALL
            value = _value(index, indicator.id, ALL, district)
            if (value is None or value != value) and code != ALL:  # no value (NaN != NaN)
                continue
            sense = _sense(index, indicator.id, ALL, district)
            rows.append([heading, indicator.name_vi, indicator.id, _unit(indicator), value])
            formats.append([None, None, None, None, _number_format(indicator.id, value, sense)])
    headers = [
        message("docx.column_district"),
        message("workbook.indicator"),
        message("workbook.indicator_code"),
        message("workbook.unit"),
        message("workbook.value"),
    ]
    _write_sheet(workbook, title, headers, rows, formats, text_width=40)


def write_indicators_workbook(
    indicators: pd.DataFrame,
    history: pd.DataFrame,
    changes: pd.DataFrame,
    targets: pd.DataFrame,
    target: Path,
    *,
    reference: Reference,
) -> None:
    """Write ``indicators.xlsx`` for a year: the appendix tables, printable on A4, and the data dictionary.

    Every sheet prints at the page's width (landscape when wide) with its
    header row on every page; names stand beside codes; years are plain
    integers; values are rounded as the review shows them and approximate ones
    carry their words (``trên 4.730``) while staying numbers; the last sheet
    is the indicator catalogue (name, unit, source, definition in Vietnamese).

    Args:
        indicators: the year's tidy indicators.
        history: tidy indicators of every year up to this one.
        changes: :func:`helpers.compute.years.changes` of the year.
        targets: :func:`helpers.compute.targets.progress` of the year.
        target: the file to write.
        reference: the data root's agencies and districts (the columns of the by-unit sheets).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    year = int(indicators["year"].iloc[0]) if not indicators.empty else None
    if year is not None:
        reference = reference.for_year(year)  # the units of the year (129 communes and wards after 1/7/2025)
    agency_names = {a.code: a.name_vi for a in reference.agencies}
    district_names = {d.code: d.short_vi for d in reference.districts} | {ALL: message("review.province")}

    agency_units = [
        ("agency", a.code, message("workbook.name_code", name=a.name_vi, code=a.code)) for a in reference.agencies
    ]
    _by_unit_sheet(workbook, message("workbook.sheet_activities"), indicators, "A", agency_units)
    district_units = [
        ("district", d.code, message("workbook.name_code", name=d.short_vi, code=d.code))
        for d in reference.districts
        if not d.is_province_office
    ]
    if len(district_units) > MANY_UNITS:  # 129 communes and wards: one row per unit and indicator, not 129 columns
        _by_unit_long_sheet(workbook, message("workbook.sheet_development"), indicators, "B", district_units)
    else:
        _by_unit_sheet(workbook, message("workbook.sheet_development"), indicators, "B", district_units)

    years = sorted(int(y) for y in set(history["year"]))
    province = history[(history["agency"] == ALL) & (history["district"] == ALL)]
    rows, formats = [], []
    change_by = changes.set_index("indicator") if not changes.empty else pd.DataFrame()
    for indicator in catalogue().values():
        series = province[province["indicator"] == indicator.id].set_index("year")
        if series.empty:
            continue
        values = [float(series["value"][y]) if y in series.index else None for y in years]
        senses = [_history_sense(series, y) for y in years]
        change = change_by["change"].get(indicator.id) if not change_by.empty else None
        percent = change_by["change_pct"].get(indicator.id) if not change_by.empty else None
        change = None if change is None or pd.isna(change) else float(change)
        percent = None if percent is None or pd.isna(percent) or indicator.is_share else float(percent) / 100
        rows.append([indicator.name_vi, indicator.id, _unit(indicator), *values, change, percent])
        change_format = (
            ("+0.0%;-0.0%;0%" if indicator.is_share else "+#,##0.#;-#,##0.#;0") if change is not None else None
        )
        formats.append(
            [
                None,
                None,
                None,
                *(_number_format(indicator.id, v, s) for v, s in zip(values, senses, strict=True)),
                change_format,
                "+0.0%;-0.0%;0%",
            ]
        )
    headers = [
        message("workbook.indicator"),
        message("workbook.indicator_code"),
        message("workbook.unit"),
        *(message("workbook.year", year=y) for y in years),
        message("review.change"),
        message("review.change_pct"),
    ]
    _write_sheet(workbook, message("workbook.sheet_years"), headers, rows, formats, text_width=40)

    rows, formats = [], []
    for t in targets.itertuples():
        indicator = catalogue()[t.indicator]
        low = None if pd.isna(t.target_low) else float(t.target_low)
        high = None if pd.isna(t.target_high) else float(t.target_high)
        value = None if pd.isna(t.value) else float(t.value)
        basis = message(f"workbook.basis_{t.basis}") if getattr(t, "basis", None) in ("per_year", "level") else ""
        rows.append(
            [indicator.name_vi, t.indicator, str(t.period), basis, low, high, value, status_word(t.status), t.source]
        )
        formats.append(
            [None, None, None, None, *(_number_format(t.indicator, v) for v in (low, high, value)), None, None]
        )
    headers = [
        message("workbook.indicator"),
        message("workbook.indicator_code"),
        message("review.period"),
        message("workbook.basis"),
        message("workbook.target_low"),
        message("workbook.target_high"),
        message("review.result", year=year),
        message("review.status"),
        message("review.source"),
    ]
    _write_sheet(workbook, message("workbook.sheet_targets"), headers, rows, formats, text_width=40)

    names = {indicator.id: indicator.name_vi for indicator in catalogue().values()}
    rows, formats = [], []
    for r in indicators.itertuples():
        sense = (
            r.approx_sense
            if bool(r.approximate) and isinstance(getattr(r, "approx_sense", None), str) and r.approx_sense
            else ("about" if bool(r.approximate) else None)
        )
        marked = approximately("", sense).strip() if sense else ""
        rows.append(
            [
                int(r.year),
                r.indicator,
                names.get(r.indicator, r.indicator),
                r.agency,
                agency_names.get(r.agency, message("workbook.all_agencies")),
                r.district,
                district_names.get(r.district, r.district),
                float(r.value),
                r.unit,
                marked,
            ]
        )
        formats.append(
            ["0", None, None, None, None, None, None, _number_format(r.indicator, float(r.value)), None, None]
        )
    headers = [
        message("workbook.year_column"),
        message("workbook.indicator_code"),
        message("workbook.indicator"),
        message("workbook.agency_code"),
        message("review.agency"),
        message("workbook.district_code"),
        message("workbook.district"),
        message("column.value"),
        message("workbook.unit"),
        message("workbook.approximate"),
    ]
    _write_sheet(workbook, message("workbook.sheet_tidy"), headers, rows, formats, text_width=40)

    rows = [[i.id, i.section, i.name_vi, i.unit, i.source, i.definition_vi] for i in catalogue().values()]
    headers = [
        message("workbook.indicator_code"),
        message("workbook.section"),
        message("workbook.indicator"),
        message("workbook.unit"),
        message("review.source"),
        message("workbook.definition"),
    ]
    _write_sheet(workbook, message("workbook.sheet_catalogue"), headers, rows, text_width=70)

    workbook.properties.creator = "coop-review"
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    save_workbook(workbook, target)


def _history_sense(series: pd.DataFrame, year: int) -> str | None:
    """The approximate sense of one year's province value in a slice of the history by year (``None`` when exact)."""
    if year not in series.index or not bool(series["approximate"][year]):
        return None
    sense = series["approx_sense"][year] if "approx_sense" in series else None
    return sense if isinstance(sense, str) and sense else "about"


REJECT_HEADERS = {
    column: message(f"column.{key}")
    for column, key in (
        ("file", "file"),
        ("sheet", "sheet"),
        ("row", "row"),
        ("unit", "unit_or_htx"),
        ("column", "column"),
        ("value", "value_typed"),
        ("reason", "reason_fix"),
        ("row_values", "removed"),
    )
}
"""Column of ``rejects.csv`` → its Vietnamese header in ``rejects.xlsx``."""
REASON_WIDTH = 80
"""Characters: the reason column wraps at this width instead of running off the screen."""


def write_rejects_workbook(rejects: pd.DataFrame, target: Path) -> None:
    """Write the rejects ledger of a year as ``rejects.xlsx``, to send back to the agencies.

    One row per rejected cell, in the order of ``rejects.csv``; Vietnamese
    headers in bold, the header row frozen and filterable, columns wide enough
    to read, the reasons wrapped; text in NFC and never run as a formula. The
    same rejects always give the same bytes. The last column says what the
    reject removed (``cả dòng — 11 giá trị — không được tính``).

    Args:
        rejects: the rejects table (``helpers.clean.outputs.rejects_table``).
        target: the file to write (``processed/<year>/rejects.xlsx``).
    """
    from helpers.read.ledger import removed_words

    shown = rejects.astype(object).copy()
    if "row_values" in shown.columns:
        shown["row_values"] = [removed_words(count) for count in rejects["row_values"]]
    write_ledger_workbook(shown, REJECT_HEADERS, message("workbook.sheet_rejects"), "reason", target)


def write_ledger_workbook(
    table: pd.DataFrame, headers: dict[str, str], title: str, wide_column: str, target: Path
) -> None:
    """Write a ledger (rejects, revisions) as a one-sheet workbook for people, the look of ``rejects.xlsx``.

    Args:
        table: the rows, in order; only the columns of ``headers`` are written, a ``row`` column as whole numbers.
        headers: column → its header as people read it.
        title: the sheet's name.
        wide_column: the column of long text, wrapped at :data:`REASON_WIDTH`.
        target: the file to write.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    columns = [c for c in headers if c in table.columns]
    rows = [
        [None if pd.isna(v) else (int(v) if column == "row" else v) for column, v in zip(columns, record, strict=True)]
        for record in table[columns].itertuples(index=False)
    ]
    formats = [[_ledger_format(v) for v in row] for row in rows]
    _write_sheet(workbook, title, [headers[c] for c in columns], rows, formats)
    sheet = workbook[title]
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    if wide_column in columns:
        letter = get_column_letter(columns.index(wide_column) + 1)
        sheet.column_dimensions[letter].width = REASON_WIDTH
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.properties.creator = "coop-review"
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    save_workbook(workbook, target)


def _ledger_format(value: object) -> str:
    """A ledger cell's number format: whole numbers as they are (row numbers, years), else up to two decimals."""
    if isinstance(value, float) and not value.is_integer():
        return "#,##0.##"
    return "0"


REVISION_HEADERS = {
    column: message(f"column.revision_{column}")
    for column in (
        "built_at",
        "indicator_name",
        "agency_name",
        "district_name",
        "old",
        "new",
        "cause",
        "indicator",
        "agency",
        "district",
    )
}
"""Column of ``revisions.csv`` → its Vietnamese header in ``revisions.xlsx``: the names first, the codes last."""


def write_revisions_workbook(processed: Path) -> Path | None:
    """Write the revisions history of a year (``revisions.csv``) as ``revisions.xlsx``, the look of ``rejects.xlsx``.

    One row per value that moved, oldest first; the values as numbers (empty: not reported), the names of the
    indicator, agency and district beside the codes. Nothing is written when the year has no history.

    Args:
        processed: the year's processed folder (its staging folder while it is built).

    Returns:
        The workbook written, or ``None``.
    """
    from helpers.compute.revisions import read_revisions
    from helpers.tables import REVISIONS, REVISIONS_WORKBOOK

    history = read_revisions(processed / REVISIONS)
    target = processed / REVISIONS_WORKBOOK
    if history.empty:
        target.unlink(missing_ok=True)
        return None
    shown = history.astype(object).copy()
    for column in ("old", "new"):
        shown[column] = [float(text) if text else None for text in history[column]]
    shown["built_at"] = history["built_at"].str.replace("T", " ", regex=False)
    write_ledger_workbook(shown, REVISION_HEADERS, message("workbook.sheet_revisions"), "cause", target)
    return target
