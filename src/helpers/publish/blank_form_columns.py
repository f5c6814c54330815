"""The columns of the blank forms: what each holds, and what its cells accept.

Everything comes from the reference tables: fields and canonical labels
(``column_labels.csv``), units (``indicators.csv``), districts
(``districts.csv``, or the data root's own), sectors, statuses and ratings
(``value_labels.csv``). Each column's data validation refuses what the reader
would reject (text or fractions in count columns, negative amounts — profit
excepted —, values outside the lists, dates that are not dates or outside the
year), with Vietnamese input and error messages. :mod:`helpers.publish.blank_forms`
writes the forms with these.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from openpyxl.worksheet.datavalidation import DataValidation

from helpers.errors import ParameterError
from helpers.read.forms import form_of
from helpers.reference import District, Reference, read_reference_table
from helpers.reference.catalogue import catalogue

DATE_FIELDS = ("founded", "dissolved")
"""Register fields read as dates (:func:`helpers.read.values.read_date`)."""

AMOUNT_SUFFIXES = {"_t": "tấn", "_mvnd": "triệu đồng"}
"""Field-name suffixes of measured amounts (house naming rule): decimals allowed; every other number is a count."""

EARLIEST_DATE = dt.date(1950, 1, 1)
"""Dates before this are refused: an Excel serial typed as a year (2017 → 1905) must not pass as a date."""


def _nfc(text: str) -> str:
    """``text`` in NFC (composed): every Vietnamese text of the forms is stored so, as ``raw-data.md`` asks."""
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
    """The unit of a field, shown under its label.

    Returns:
        Its indicator's unit (``training_sessions`` → buổi; a register count
        via ``htx_<field>``), else its suffix's (``_t`` → tấn), else empty.
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
                f"districts.csv: '{district.name_vi}' ({district.code}) is not a spelling in "
                "district_aliases.csv — add it, or the form cannot be read back"
            )
    return rows


# -- validation --------------------------------------------------------------------------------


def _serial(day: dt.date) -> int:
    """Excel's serial number of a date."""
    return (day - dt.date(1899, 12, 30)).days


def column_validation(column: FormColumn, year: int) -> DataValidation:
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
        rule = DataValidation(type="list", formula1=list_name(column.field), **any_value)
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


def list_name(field: str) -> str:
    """The defined name of a list on the lists sheet (``DS_DISTRICT``)."""
    return f"DS_{field.upper()}"
