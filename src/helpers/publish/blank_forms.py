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

Everything comes from the reference tables: fields and labels
(``column_labels.csv``), units (``indicators.csv``), districts
(``districts.csv``, or the data root's own), sectors, statuses and ratings
(``value_labels.csv``). Data validation refuses what the reader would reject
(text or fractions in count columns, negative amounts — profit excepted —,
values outside the lists, dates that are not dates or outside the year), with
Vietnamese input and error messages. The sheet is protected (no password):
labels, districts and formulas are locked, value cells are not.

The totals row's formulas are written without a saved result (openpyxl does
not calculate). That is safe: the reader rejects unsaved formulas only in data
rows; a totals row is never data, and an empty totals cell checks nothing.
Once Excel or LibreOffice saves the filled form, the totals are saved too and
checked against the rows.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from helpers.clean.year import ACTIVITIES_DIR, SINGLE_RETURNS
from helpers.compute.programme import Programme
from helpers.errors import ParameterError
from helpers.outputs import atomic_path, normalise_zip
from helpers.read.forms import form_of
from helpers.read.layout import TEMPLATE_NAMES, column_letter
from helpers.reference import District, Reference, read_reference_table
from helpers.reference.catalogue import catalogue

REGISTER_ROWS = 600
"""Empty rows of a blank register (a province has about 500 HTX); ``--register-rows`` changes it."""

DATE_FIELDS = ("founded", "dissolved")
"""Register fields read as dates (:func:`helpers.read.values.read_date`)."""

AMOUNT_SUFFIXES = {"_t": "tấn", "_mvnd": "triệu đồng"}
"""Field-name suffixes of measured amounts (house naming rule): decimals allowed; every other number is a count."""

EARLIEST_DATE = dt.date(1950, 1, 1)
"""Dates before this are refused: an Excel serial typed as a year (2017 → 1905) must not pass as a date."""

LISTS_SHEET = "Danh mục"
TITLE_ROWS = 7
"""Rows above the header: agency and motto, title, programme, period, blank lines."""

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
_INPUT_FILL = PatternFill("solid", fgColor="FFFDF0")
_UNLOCKED = Protection(locked=False)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class FormColumn:
    """One column of a blank form.

    Attributes:
        field: the field of ``column_labels.csv``.
        label: its canonical label.
        unit: the unit shown under the label (empty when none).
        kind: ``row_number``, ``unit`` (the prefilled district), ``text``,
            ``district``, ``choice``, ``date``, ``count``, ``amount`` or
            ``signed_amount``.
    """

    field: str
    label: str
    unit: str
    kind: str

    @property
    def header(self) -> str:
        """The header cell: the label, and the unit in parentheses on a second line (unless the label ends with it)."""
        if not self.unit or self.label.rstrip().endswith(f"({self.unit})"):
            return self.label
        return f"{self.label}\n({self.unit})"


def canonical_labels(template: str) -> dict[str, str]:
    """Field → its canonical label (the first label of the field in ``column_labels.csv``), in table order."""
    labels: dict[str, str] = {}
    for row in read_reference_table("column_labels.csv"):
        if row["template"] == template:
            labels.setdefault(row["field"], row["label"])
    return labels


def canonical_values(vocabulary: str) -> list[str]:
    """The canonical label of each code of a vocabulary (its first label in ``value_labels.csv``)."""
    labels: dict[str, str] = {}
    for row in read_reference_table("value_labels.csv"):
        if row["vocabulary"] == vocabulary:
            labels.setdefault(row["code"], row["label"])
    return list(labels.values())


def _vocabularies() -> set[str]:
    return {row["vocabulary"] for row in read_reference_table("value_labels.csv")}


def unit_of(field: str) -> str:
    """The unit of a field: its indicator's, or its suffix's.

    ``training_sessions`` → buổi; a register count via ``htx_<field>``; ``_t`` → tấn.
    """
    names = catalogue()
    for name in (field, f"htx_{field}"):
        if name in names:
            return names[name].unit
    return next((unit for suffix, unit in AMOUNT_SUFFIXES.items() if field.endswith(suffix)), "")


def form_columns(template: str) -> list[FormColumn]:
    """The columns of a blank form of ``template``, in the order of ``column_labels.csv``."""
    form = form_of(template)
    numeric = set(form.value_fields)
    vocabularies = _vocabularies()
    columns = []
    for field, label in canonical_labels(template).items():
        if field == "row_number":
            kind = "row_number"
        elif field == form.key_field and form.rows_are_districts:
            kind = "unit"
        elif field in numeric:
            if form.value_field(field).is_signed:
                kind = "signed_amount"
            else:
                kind = "amount" if any(field.endswith(s) for s in AMOUNT_SUFFIXES) else "count"
        elif field == "district":
            kind = "district"
        elif field in vocabularies:
            kind = "choice"
        elif field in DATE_FIELDS:
            kind = "date"
        else:
            kind = "text"
        columns.append(
            FormColumn(field, label, unit_of(field) if kind in ("count", "amount", "signed_amount") else "", kind)
        )
    return columns


def form_units(template: str, reference: Reference) -> list[District]:
    """The prefilled rows of Biểu 01/03: every district of ``reference``, then the provincial office (Biểu 01 only).

    Raises:
        ParameterError: when a district's official name is not one of its spellings
            (the form would not read back).
    """
    rows = [d for d in reference.districts if not d.is_province_office] + [
        d for d in reference.districts if d.is_province_office and form_of(template).allows_province_office
    ]
    for district in rows:
        if reference.resolve_district(district.name_vi) != district.code:
            raise ParameterError(
                f"districts.csv: '{district.name_vi}' ({district.code}) is not a spelling in district_aliases.csv"
                " — add it, or the form cannot be read back"
            )
    return rows


# -- validation --------------------------------------------------------------------------------


def _serial(day: dt.date) -> int:
    """Excel's serial number of a date."""
    return (day - dt.date(1899, 12, 30)).days


def _validation(column: FormColumn, year: int) -> DataValidation:
    """The data validation of a column's value cells, with its Vietnamese messages."""
    unit = f" ({column.unit})" if column.unit else ""
    any_value = dict(allow_blank=True, showInputMessage=True, showErrorMessage=True, errorStyle="stop")
    kind = column.kind
    if kind == "count":
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", **any_value)
        title, prompt = (
            "Số nguyên, không âm",
            f"Nhập số nguyên từ 0 trở lên{unit}, ví dụ 4730. Để trống nếu không báo cáo; ghi 0 nếu kết quả bằng 0.",
        )
        error = "Chỉ nhập số nguyên từ 0 trở lên: không nhập chữ, số lẻ hay số âm. Để trống nếu không báo cáo."
    elif kind == "amount":
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", **any_value)
        title, prompt = (
            "Số không âm",
            f"Nhập số từ 0 trở lên{unit}, có thể có phần thập phân, ví dụ 5207,5. Để trống nếu không báo cáo.",
        )
        error = (
            "Chỉ nhập số từ 0 trở lên (có thể có phần thập phân): không nhập chữ hay số âm. Để trống nếu không báo cáo."
        )
    elif kind == "signed_amount":
        rule = DataValidation(
            type="decimal", operator="between", formula1="-1000000000", formula2="1000000000", **any_value
        )
        title, prompt = (
            "Số (lỗ ghi số âm)",
            f"Nhập số{unit}; nếu lỗ thì ghi số âm, ví dụ -12,5. Để trống nếu không báo cáo.",
        )
        error = "Chỉ nhập số (lỗ thì ghi số âm, ví dụ -12,5): không nhập chữ."
    elif kind == "date" and column.field == "dissolved":
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        rule = DataValidation(
            type="date", operator="between", formula1=str(_serial(first)), formula2=str(_serial(last)), **any_value
        )
        title, prompt = (
            "Ngày giải thể",
            f"Chỉ ghi khi Tình trạng là Giải thể: ngày giải thể trong năm {year}, "
            f"dạng ngày/tháng/năm, ví dụ 30/06/{year}.",
        )
        error = f"Ngày giải thể phải là một ngày trong năm {year} (từ 01/01/{year} đến 31/12/{year})."
    elif kind == "date":
        last = dt.date(year, 12, 31)
        rule = DataValidation(
            type="date",
            operator="between",
            formula1=str(_serial(EARLIEST_DATE)),
            formula2=str(_serial(last)),
            **any_value,
        )
        title, prompt = (
            "Ngày (ngày/tháng/năm)",
            f"Nhập ngày dạng ngày/tháng/năm, ví dụ 15/03/2017, không sau 31/12/{year}. "
            "Chỉ biết năm thì ghi ngày 01/01 của năm đó.",
        )
        error = f"Nhập một ngày dạng ngày/tháng/năm, từ {EARLIEST_DATE:%d/%m/%Y} đến 31/12/{year}."
    elif kind in ("district", "choice"):
        rule = DataValidation(type="list", formula1=_list_name(column.field), **any_value)
        title, prompt = "Chọn trong danh sách", f"Chọn {column.label.lower()} trong danh sách (bấm mũi tên bên phải ô)."
        error = f"Giá trị không có trong danh sách {column.label.lower()}: chọn một giá trị trong danh sách."
        if column.field == "status":
            prompt += " Bắt buộc: HTX giải thể trong năm vẫn ghi trong danh sách, với Tình trạng Giải thể."
    else:
        rule = DataValidation(allow_blank=True, showInputMessage=True)
        title = column.label[:32]
        prompt = {
            "name": "Tên hợp tác xã: bắt buộc, mỗi HTX một dòng.",
            "reg_no": "Ghi đủ mã số, kể cả số 0 ở đầu; mỗi HTX một mã, không trùng.",
        }.get(column.field, f"{column.label}: ghi bằng chữ.")
        error = ""
    rule.promptTitle, rule.prompt = _nfc(title), _nfc(prompt)
    if error:
        rule.errorTitle, rule.error = _nfc("Giá trị không hợp lệ"), _nfc(error)
    return rule


def _list_name(field: str) -> str:
    """The defined name of a list on the lists sheet (``DS_DISTRICT``)."""
    return f"DS_{field.upper()}"


# -- writing -------------------------------------------------------------------------------------


def _title_block(sheet: Worksheet, width: int, lines: list[str], issuer: str) -> None:
    """Issuer and motto (rows 1–2), the title lines below, centred across the table."""
    half = max(2, width // 2)
    sheet.cell(1, 1, _nfc(issuer)).font = Font(bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=half)
    sheet.cell(1, half + 1, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = Font(bold=True)
    sheet.cell(2, half + 1, "Độc lập - Tự do - Hạnh phúc").font = Font(bold=True, underline="single")
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
            6 if column.kind == "row_number" else (28 if wide else 16)
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
    sheet.cell(totals, label_column, "Tổng cộng").font = Font(bold=True)
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
    note = sheet.cell(
        totals + 2,
        1,
        "Ghi chú: ô để trống là không báo cáo (khác với số 0); ghi 0 khi kết quả bằng 0. "
        "Không thêm, xoá hay đổi tên cột.",
    )
    note.font = Font(italic=True, size=9)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=totals + 2, start_column=1, end_row=totals + 2, end_column=width)
    sheet.cell(totals + 3, half + 1, "…………, ngày …… tháng …… năm ……").font = Font(italic=True)
    sheet.cell(totals + 4, 1, "NGƯỜI LẬP BIỂU").font = Font(bold=True)
    sheet.cell(totals + 4, half + 1, "THỦ TRƯỞNG CƠ QUAN").font = Font(bold=True)
    sheet.cell(totals + 5, 1, "(Ký, ghi rõ họ tên)").font = Font(italic=True)
    sheet.cell(totals + 5, half + 1, "(Ký tên, đóng dấu)").font = Font(italic=True)
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
        rule = _validation(column, year)
        letter = column_letter(index - 1)
        rule.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(rule)


def _title_lines(title: str, year: int, programme: Programme | None) -> list[str]:
    lines = [title]
    if programme is not None:
        lines.append(f"Thực hiện {programme.name_vi}, giai đoạn {programme.period}")
    lines.append(f"(Số liệu từ ngày 01/01/{year} đến ngày 31/12/{year})")
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
    units = form_units(template, reference)
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
    year: int, title: str, programme: Programme | None, reference: Reference, rows: int = REGISTER_ROWS
) -> Workbook:
    """A blank Biểu 02: ``rows`` numbered empty rows, and the lists of its choice columns on a second sheet.

    The list of districts is that of ``reference``.
    """
    columns = form_columns("02")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_NAMES["02"]
    _title_block(sheet, len(columns), _title_lines(title, year, programme), "Cơ quan báo cáo: ……………………")
    first = _header(sheet, columns)
    for offset in range(rows):
        row = first + offset
        for index, column in enumerate(columns, start=1):
            if column.kind == "row_number":
                sheet.cell(row, index, offset + 1).border = _BORDER
            else:
                _value_cell(sheet, row, index, column)
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
        reference = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        workbook.defined_names[_list_name(column.field)] = DefinedName(_list_name(column.field), attr_text=reference)
        lists.column_dimensions[letter].width = 28
    lists.protection.sheet = True


def blank_return_paths(year_dir: Path, reference: Reference) -> dict[str, Path]:
    """Where each blank return of a year goes (code of an agency of ``reference``, or template → path)."""
    targets = {agency.code: year_dir / ACTIVITIES_DIR / f"{agency.code}.xlsx" for agency in reference.agencies}
    targets |= {template: year_dir / f"{stem}.xlsx" for template, stem in SINGLE_RETURNS.items()}
    return targets


def write_blank_returns(
    year: int,
    out_dir: Path,
    programme: Programme | None = None,
    register_rows: int = REGISTER_ROWS,
    *,
    reference: Reference,
) -> list[Path]:
    """Write the blank returns of ``year`` to ``out_dir/<year>/``.

    Args:
        year: the programme year the forms are for.
        out_dir: the folder to write the year folder into.
        programme: the programme the year belongs to (named in the titles), if any.
        register_rows: empty rows of the register.
        reference: the data root's agencies (one Biểu 01 each) and districts (the rows and lists).

    Returns:
        The files written.

    Raises:
        ParameterError: when a file already exists there (returns are never overwritten).
    """
    targets = blank_return_paths(out_dir / str(year), reference)
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing:
        raise ParameterError(
            f"{', '.join(existing)} already exist(s) — nothing was written; "
            "choose another --out folder (returns are never overwritten)"
        )
    if register_rows < 1:
        raise ParameterError("--register-rows must be 1 or more")
    forms: dict[str, Workbook] = {}
    for agency in reference.agencies:
        title = f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP NĂM {year}"
        forms[agency.code] = unit_form("01", year, agency.name_vi.upper(), title, programme, reference)
    forms["02"] = register_form(
        year,
        f"DANH SÁCH HỢP TÁC XÃ NĂM {year} (tình hình đến ngày 31/12/{year})",
        programme,
        reference,
        register_rows,
    )
    forms["03"] = unit_form(
        "03", year, "Cơ quan báo cáo: ……………………", f"BÁO CÁO TÌNH HÌNH TỔ HỢP TÁC NĂM {year}", programme, reference
    )
    written = []
    for key, workbook in forms.items():
        target = targets[key]
        with atomic_path(target) as temporary:
            workbook.save(temporary)
            normalise_zip(temporary)  # the same form gives the same bytes
        written.append(target)
    return written
