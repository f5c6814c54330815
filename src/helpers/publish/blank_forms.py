"""Blank returns of a year: the forms the agencies fill in, laid out as the reader reads them.

``coop-review template 2023 --out DIR`` writes::

    DIR/2023/activities/<AGENCY>.xlsx   Biểu 01, one per agency of agencies.csv
    DIR/2023/cooperatives.xlsx          Biểu 02, the HTX register
    DIR/2023/groups.xlsx                Biểu 03, THT by district

Each form is a printed-form sheet as ``raw-data.md`` describes it: a title
block naming the year, a header with the canonical label of each field (its
first label in ``column_labels.csv``) and its unit, a column-number row, one
row per district (and the provincial office in Biểu 01) or, in the register,
empty numbered rows, a totals row with ``SUM`` formulas, and a footer.

The register comes **pre-filled** when last year's register was read
(``processed/<year-1>/register.parquet``): every cooperative of it that was
not dissolved, with its registration number, name, district, commune, sector
and founding date, and its status left empty for the agency to confirm (the
reader rejects a row without a status, so none is carried over unconfirmed);
:data:`NEW_ROWS` empty rows follow for the year's new cooperatives. The agency
updates the list instead of typing it again.

Everything comes from the reference tables, and every text from the message
catalogue (``blank_form.*``, in Vietnamese: the forms go to Vietnamese
agencies); what each column holds and accepts (its data validation) is
:mod:`helpers.publish.blank_form_columns`.
The sheet is protected (no password): labels, districts and formulas are
locked, value cells are not.

Why this module is long: it writes three printed forms cell by cell — title
block, header, rows, totals, footer, validation, protection, print set-up —
and the register's carry-over from last year; the columns themselves are
:mod:`helpers.publish.blank_form_columns`.

The totals row's formulas are written without a saved result (openpyxl does
not calculate). That is safe: the reader rejects unsaved formulas only in data
rows; a totals row is never data, and an empty totals cell checks nothing.
Once Excel or LibreOffice saves the filled form, the totals are saved too and
checked against the rows.

A year's forms list the units valid on 31 December of that year
(``raw-data.md`` § Units over time): the eight districts up to 2024, the
communes and wards from 2025 (the register then has no district column: its
commune column takes the list of units).

Why this module is long: three forms (a unit form, the register and its lists sheet) share the title
block, header, totals, footer and protection written here; the columns themselves live in
:mod:`helpers.publish.blank_form_columns`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from helpers.clean.year import ACTIVITIES_DIR, SINGLE_RETURNS
from helpers.compute.programme import Programme
from helpers.errors import ParameterError
from helpers.messages import message
from helpers.outputs import atomic_path, normalise_zip
from helpers.paths import ProjectPaths
from helpers.publish.blank_form_columns import (
    FormColumn,
    canonical_value,
    canonical_values,
    column_validation,
    form_columns,
    form_units,
    list_name,
    register_district_name,
)
from helpers.read.layout import TEMPLATE_NAMES, column_letter
from helpers.reference import Reference
from helpers.tables import REGISTER, read_stage_table

DISSOLVED = "dissolved"
"""The status code of a dissolved cooperative: not carried over to next year's register."""

REGISTER_ROWS = 600
"""Rows of a blank register (a province has about 500 HTX); ``--register-rows`` changes it."""
NEW_ROWS = 100
"""Empty rows under the cooperatives carried over from last year, for the year's new ones (at least)."""
CARRIED_FIELDS = ("reg_no", "name", "district", "commune", "sector", "founded")
"""What a pre-filled register row carries over from last year's register; the status is left to confirm."""


@dataclass(frozen=True)
class CarriedRegister:
    """Last year's accepted register, as the rows of this year's form.

    Attributes:
        year: the year of the register carried over.
        rows: one ``field → cell value`` per cooperative not dissolved, in the order of the register read.
    """

    year: int
    rows: tuple[dict[str, object], ...]


def last_register(paths: ProjectPaths, year: int, reference: Reference) -> CarriedRegister | None:
    """The cooperatives of ``year - 1``'s register that ``year``'s form carries over; ``None`` when it was not read.

    Raises:
        StageOutputError: last year's register file is damaged (the message says to rebuild that year).
    """
    folder = paths.final_processed(year - 1)
    if not (folder / REGISTER).is_file():
        return None
    table = read_stage_table(folder, REGISTER)
    kept = table[table["status"] != DISSOLVED]
    return CarriedRegister(
        year - 1, tuple(carried_cells(record, reference, year) for record in kept.to_dict("records"))
    )


def carried_cells(record: dict, reference: Reference, year: int) -> dict[str, object]:
    """A register record as the cells of ``year``'s form row: names for codes, dates as the reader reads them.

    The unit is the one of ``year`` (:meth:`~helpers.reference.Reference.unit_in_year`): the same district
    while it exists; across the 1/7/2025 reform, the commune or ward the record's commune names in full, else
    left blank for the agency to fill in (never a guess). After the reform the form has no district column:
    the unit goes in the commune column, which lists the year's units.
    """

    def text(field: str) -> str | None:
        value = record.get(field)
        return value if isinstance(value, str) and value else None

    sector = text("sector")
    of_year = reference.for_year(year)
    code = text("district")
    unit = reference.unit_in_year(code, year, text("commune")) if code else None
    if of_year.units_are_communes():
        place = {"district": None, "commune": register_district_name(unit, of_year) if unit else None}
    else:
        place = {"district": register_district_name(unit or code or "", of_year) or None, "commune": text("commune")}
    return {
        "reg_no": text("reg_no"),
        "name": text("name"),
        **place,
        "sector": canonical_value("sector", sector) if sector else None,
        "founded": _date_cell(text("founded")),
    }


def _date_cell(iso: str | None) -> object:
    """A date as read (``2017-03-15``, ``2017-03``, ``2017``) written back as the reader reads it again.

    A whole date is a date cell; a month is ``03/2017`` and a year ``2017``, as text.
    """
    if not iso:
        return None
    parts = iso.split("-")
    if len(parts) == 3:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return iso


LISTS_SHEET = message("blank_form.lists_sheet")
"""The sheet of the register's lists (districts, sectors, statuses, ratings)."""
TITLE_ROWS = 7
"""Rows above the header: agency and motto, title, programme, period, blank lines."""
NAME_WIDTH = 42
"""Characters of the register's name column: a cooperative's full name, pre-filled from last year, shows whole."""


_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
_INPUT_FILL = PatternFill("solid", fgColor="FFFDF0")
_UNLOCKED = Protection(locked=False)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# -- writing -------------------------------------------------------------------------------------


def _title_block(sheet: Worksheet, width: int, lines: list[str], issuer: str) -> None:
    """Issuer and motto (rows 1–2), the title lines below, centred across the table."""
    half = max(2, width // 2)
    sheet.cell(1, 1, _nfc(issuer)).font = Font(bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=half)
    sheet.cell(1, half + 1, message("blank_form.state")).font = Font(bold=True)
    sheet.cell(2, half + 1, message("blank_form.motto")).font = Font(bold=True, underline="single")
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=half + 1, end_row=row, end_column=max(width, half + 1))
        for column in (1, half + 1):
            sheet.cell(row, column).alignment = Alignment(horizontal="center")
    for offset, text in enumerate(lines):
        cell = sheet.cell(4 + offset, 1, _nfc(text))
        cell.font = Font(bold=offset == 0, size=13 if offset == 0 else 11, italic=offset > 0)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.merge_cells(start_row=4 + offset, start_column=1, end_row=4 + offset, end_column=width)


def _header(sheet: Worksheet, columns: list[FormColumn]) -> int:
    """The header row and the column-number row under it; returns the first data row."""
    header_row = TITLE_ROWS + 1
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(header_row, index, _nfc(column.header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill, cell.border = _HEADER_FILL, _BORDER
        number = sheet.cell(header_row + 1, index, f"({index})")
        number.alignment, number.border = Alignment(horizontal="center"), _BORDER
        number.font = Font(italic=True, size=9)
        wide = column.kind in ("text", "unit", "district") or len(column.label) > 30
        sheet.column_dimensions[column_letter(index - 1)].width = (
            6 if column.kind == "row_number" else (NAME_WIDTH if column.field == "name" else (28 if wide else 16))
        )
    sheet.row_dimensions[header_row].height = 78
    return header_row + 2


def _value_cell(sheet: Worksheet, row: int, index: int, column: FormColumn) -> None:
    cell = sheet.cell(row, index)
    cell.protection, cell.border, cell.fill = _UNLOCKED, _BORDER, _INPUT_FILL
    cell.number_format = {"count": "#,##0", "date": "DD/MM/YYYY", "text": "@"}.get(column.kind, "General")


def _totals_and_footer(sheet: Worksheet, columns: list[FormColumn], first: int, last: int) -> None:
    """The totals row (``Tổng cộng`` and ``SUM`` formulas) and the footer under it."""
    totals = last + 1
    label_column = next(i for i, c in enumerate(columns, start=1) if c.kind != "row_number")
    sheet.cell(totals, label_column, message("blank_form.totals")).font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(totals, index)
        cell.border, cell.fill = _BORDER, _HEADER_FILL
        if column.kind in ("count", "amount", "signed_amount"):
            letter = column_letter(index - 1)
            cell.value = f"=SUM({letter}{first}:{letter}{last})"
            cell.font = Font(bold=True)
            cell.number_format = "#,##0" if column.kind == "count" else "General"
    width = len(columns)
    half = max(2, width // 2)
    note = sheet.cell(totals + 2, 1, message("blank_form.note"))
    note.font = Font(italic=True, size=9)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=totals + 2, start_column=1, end_row=totals + 2, end_column=width)
    sheet.row_dimensions[totals + 2].height = 26  # two lines of 9 pt: a merged cell's row does not grow to its text
    sheet.cell(totals + 3, half + 1, message("blank_form.place_date")).font = Font(italic=True)
    sheet.cell(totals + 4, 1, message("blank_form.preparer")).font = Font(bold=True)
    sheet.cell(totals + 4, half + 1, message("blank_form.head")).font = Font(bold=True)
    sheet.cell(totals + 5, 1, message("blank_form.preparer_sign")).font = Font(italic=True)
    sheet.cell(totals + 5, half + 1, message("blank_form.head_sign")).font = Font(italic=True)
    for row in range(totals + 3, totals + 6):
        for column in (1, half + 1):
            sheet.cell(row, column).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=half)
        sheet.merge_cells(start_row=row, start_column=half + 1, end_row=row, end_column=max(width, half + 1))


def _protect_and_print(sheet: Worksheet, freeze: str) -> None:
    sheet.protection.sheet = True  # no password: the analyst may unprotect it
    sheet.protection.formatColumns = False  # people may still widen columns and rows
    sheet.protection.formatRows = False
    sheet.freeze_panes = freeze
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _add_validations(sheet: Worksheet, columns: list[FormColumn], first: int, last: int, year: int) -> None:
    for index, column in enumerate(columns, start=1):
        if column.kind in ("row_number", "unit"):
            continue
        rule = column_validation(column, year)
        letter = column_letter(index - 1)
        rule.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(rule)


def _title_lines(title: str, year: int, programme: Programme | None) -> list[str]:
    lines = [title]
    if programme is not None:
        lines.append(message("blank_form.programme", programme=programme.name_vi, period=programme.period))
    lines.append(message("blank_form.period", year=year))
    return lines


def unit_form(
    template: str, year: int, issuer: str, title: str, programme: Programme | None, reference: Reference
) -> Workbook:
    """A blank Biểu 01 or 03: one prefilled row per district of ``reference`` (and the provincial office in Biểu 01)."""
    columns = form_columns(template)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_NAMES[template]
    _title_block(sheet, len(columns), _title_lines(title, year, programme), issuer)
    first = _header(sheet, columns)
    units = form_units(template, reference.for_year(year))
    for offset, district in enumerate(units):
        row = first + offset
        for index, column in enumerate(columns, start=1):
            if column.kind == "row_number":
                sheet.cell(row, index, offset + 1).border = _BORDER
            elif column.kind == "unit":
                cell = sheet.cell(row, index, district.name_vi)
                cell.border = _BORDER
            else:
                _value_cell(sheet, row, index, column)
    last = first + len(units) - 1
    _add_validations(sheet, columns, first, last, year)
    _totals_and_footer(sheet, columns, first, last)
    _protect_and_print(sheet, f"{column_letter(next(i for i, c in enumerate(columns) if c.kind == 'unit') + 1)}{first}")
    return workbook


def register_form(
    year: int,
    title: str,
    programme: Programme | None,
    reference: Reference,
    rows: int = REGISTER_ROWS,
    carried: CarriedRegister | None = None,
) -> Workbook:
    """A Biểu 02: the cooperatives ``carried`` over from last year, then numbered empty rows, and the lists.

    ``rows`` rows in all at least, and :data:`NEW_ROWS` empty ones under the carried cooperatives at least; the
    lists of its choice columns are on a second sheet. The list of districts is that of ``reference``.
    The list of units is that of ``reference`` in ``year``; from 1/7/2025 a cooperative's unit is its commune or
    ward: the form has no district column, and its commune column takes the list of the year's units.
    """
    reference = reference.for_year(year)
    columns = form_columns("02")
    if reference.units_are_communes():
        columns = [replace(c, kind="district") if c.field == "commune" else c for c in columns if c.field != "district"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_NAMES["02"]
    lines = _title_lines(title, year, programme)
    carried_rows = carried.rows if carried else ()
    if carried is not None:
        lines.append(message("blank_form.carried", count=len(carried_rows), last_year=carried.year))
    _title_block(sheet, len(columns), lines, message("blank_form.reporting_agency"))
    if carried is not None:
        sheet.row_dimensions[4 + len(lines) - 1].height = 30  # the carry-over's sentence, wrapped on two lines
    first = _header(sheet, columns)
    rows = max(rows, len(carried_rows) + NEW_ROWS) if carried is not None else rows
    for offset in range(rows):
        row = first + offset
        filled = carried_rows[offset] if offset < len(carried_rows) else {}
        for index, column in enumerate(columns, start=1):
            if column.kind == "row_number":
                sheet.cell(row, index, offset + 1).border = _BORDER
            else:
                _value_cell(sheet, row, index, column)
                if filled.get(column.field) is not None:
                    value = filled[column.field]
                    sheet.cell(row, index).value = _nfc(value) if isinstance(value, str) else value
    last = first + rows - 1
    _write_lists(workbook, columns, reference)
    _add_validations(sheet, columns, first, last, year)
    _totals_and_footer(sheet, columns, first, last)
    _protect_and_print(sheet, f"C{first}")
    return workbook


def _write_lists(workbook: Workbook, columns: list[FormColumn], reference: Reference) -> None:
    """The lists of the register's choice columns, on a protected sheet, each under a defined name."""
    lists = workbook.create_sheet(LISTS_SHEET)
    choice_columns = [c for c in columns if c.kind in ("district", "choice")]
    for index, column in enumerate(choice_columns, start=1):
        values = (
            [d.name_vi for d in form_units("03", reference)]
            if column.kind == "district"
            else canonical_values(column.field)
        )
        lists.cell(1, index, _nfc(column.label)).font = Font(bold=True)
        for offset, value in enumerate(values, start=2):
            lists.cell(offset, index, _nfc(value))
        letter = column_letter(index - 1)
        # the list's cells (named so as not to shadow the ``reference`` tables a later district list needs)
        cells = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        workbook.defined_names[list_name(column.field)] = DefinedName(list_name(column.field), attr_text=cells)
        lists.column_dimensions[letter].width = 28
    lists.protection.sheet = True


def blank_return_paths(year_dir: Path, reference: Reference) -> dict[str, Path]:
    """Where each blank return of a year goes (code of an agency of ``reference``, or template → path)."""
    agencies = reference.agencies_of(reference.year) if reference.year is not None else reference.agencies
    targets = {agency.code: year_dir / ACTIVITIES_DIR / f"{agency.code}.xlsx" for agency in agencies}
    targets |= {template: year_dir / f"{stem}.xlsx" for template, stem in SINGLE_RETURNS.items()}
    return targets


def write_blank_returns(
    year: int,
    out_dir: Path,
    programme: Programme | None = None,
    register_rows: int = REGISTER_ROWS,
    *,
    reference: Reference,
    carried: CarriedRegister | None = None,
) -> list[Path]:
    """Write the blank returns of ``year`` to ``out_dir/<year>/``.

    Args:
        year: the programme year the forms are for.
        out_dir: the folder to write the year folder into.
        programme: the programme the year belongs to (named in the titles), if any.
        register_rows: rows of the register (more when the cooperatives carried over need them).
        reference: the data root's agencies (one Biểu 01 each) and districts (the rows and lists).
        carried: last year's register (:func:`last_register`), pre-filled in the register; ``None``: blank.

    Returns:
        The files written.

    Raises:
        ParameterError: when a file already exists there (returns are never overwritten).
    """
    targets = blank_return_paths(out_dir / str(year), reference.for_year(year))
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing:
        raise ParameterError(message("blank_form.exists", files=", ".join(existing)))
    if register_rows < 1:
        raise ParameterError(message("blank_form.register_rows"))
    reference = reference.for_year(year)  # the units valid on 31/12 of the year, and the agencies' names then
    forms: dict[str, Workbook] = {}
    for agency in reference.agencies_of(year):
        title = message("blank_form.title_activities", year=year)
        forms[agency.code] = unit_form("01", year, agency.name_vi.upper(), title, programme, reference)
    forms["02"] = register_form(
        year, message("blank_form.title_register", year=year), programme, reference, register_rows, carried
    )
    forms["03"] = unit_form(
        "03",
        year,
        message("blank_form.reporting_agency"),
        message("blank_form.title_groups", year=year),
        programme,
        reference,
    )
    written = []
    for key, workbook in forms.items():
        target = targets[key]
        with atomic_path(target) as temporary:
            workbook.save(temporary)
            normalise_zip(temporary)  # the same form gives the same bytes
        written.append(target)
    return written
