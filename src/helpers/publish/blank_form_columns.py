"""The columns of the blank forms: what each holds, and what its cells accept.

Everything comes from the reference tables: fields and canonical labels
(``column_labels.csv``), units (``indicators.csv``), districts
(``districts.csv``, or the data root's own), sectors, statuses and ratings
(``value_labels.csv``). Each column's data validation refuses what the reader
would reject (text or fractions in count columns, negative amounts — profit
excepted —, values outside the lists, dates that are not dates or outside the
year), with Vietnamese input and error messages (``blank_form.*`` of the
message catalogue). :mod:`helpers.publish.blank_forms` writes the forms with these.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from openpyxl.worksheet.datavalidation import DataValidation

from helpers.errors import ParameterError
from helpers.messages import message
from helpers.read.forms import form_of
from helpers.reference import District, Reference, read_reference_table
from helpers.reference.catalogue import catalogue

DATE_FIELDS = ("founded", "dissolved")
"""Register fields read as dates (:func:`helpers.read.values.read_date`)."""

AMOUNT_SUFFIXES = {"_t": "tấn", "_mvnd": "triệu đồng"}
"""Field-name suffixes of measured amounts (house naming rule): decimals allowed; every other number is a count."""

EARLIEST_DATE = dt.date(1950, 1, 1)
"""Dates before this are refused: an Excel serial typed as a year (2017 → 1905) must not pass as a date."""

TEXT_PROMPTS = {"name": "blank_form.name_prompt", "reg_no": "blank_form.reg_no_prompt"}
"""Text fields with a prompt of their own (catalogue key); the others get ``blank_form.text_prompt``."""


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
                message("blank_form.district_not_a_spelling", name=district.name_vi, code=district.code)
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
        title, prompt = message("blank_form.count_title"), message("blank_form.count_prompt", unit=unit)
        error = message("blank_form.count_error")
    elif kind == "amount":
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", **any_value)
        title, prompt = message("blank_form.amount_title"), message("blank_form.amount_prompt", unit=unit)
        error = message("blank_form.amount_error")
    elif kind == "signed_amount":
        rule = DataValidation(
            type="decimal", operator="between", formula1="-1000000000", formula2="1000000000", **any_value
        )
        title, prompt = message("blank_form.signed_title"), message("blank_form.signed_prompt", unit=unit)
        error = message("blank_form.signed_error")
    elif kind == "date" and column.field == "dissolved":
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        rule = DataValidation(
            type="date", operator="between", formula1=str(_serial(first)), formula2=str(_serial(last)), **any_value
        )
        title, prompt = message("blank_form.dissolved_title"), message("blank_form.dissolved_prompt", year=year)
        error = message("blank_form.dissolved_error", year=year)
    elif kind == "date":
        last = dt.date(year, 12, 31)
        rule = DataValidation(
            type="date",
            operator="between",
            formula1=str(_serial(EARLIEST_DATE)),
            formula2=str(_serial(last)),
            **any_value,
        )
        title, prompt = message("blank_form.date_title"), message("blank_form.date_prompt", year=year)
        error = message("blank_form.date_error", earliest=EARLIEST_DATE.strftime("%d/%m/%Y"), year=year)
    elif kind in ("district", "choice"):
        rule = DataValidation(type="list", formula1=list_name(column.field), **any_value)
        label = column.label.lower()
        title, prompt = message("blank_form.choice_title"), message("blank_form.choice_prompt", label=label)
        error = message("blank_form.choice_error", label=label)
        if column.field == "status":
            prompt = f"{prompt} {message('blank_form.status_required')}"
    else:
        rule = DataValidation(allow_blank=True, showInputMessage=True)
        title = column.label[:32]
        prompt = message(TEXT_PROMPTS.get(column.field, "blank_form.text_prompt"), label=column.label)
        error = ""
    rule.promptTitle, rule.prompt = _nfc(title), _nfc(prompt)
    if error:
        rule.errorTitle, rule.error = _nfc(message("blank_form.invalid_title")), _nfc(error)
    return rule


def list_name(field: str) -> str:
    """The defined name of a list on the lists sheet (``DS_DISTRICT``)."""
    return f"DS_{field.upper()}"


def canonical_value(vocabulary: str, code: str) -> str:
    """The canonical label of one code of a vocabulary (``agriculture`` → ``Nông nghiệp``); the code if it has none."""
    for row in read_reference_table("value_labels.csv"):
        if row["vocabulary"] == vocabulary and row["code"] == code:
            return row["label"]
    return code


def register_district_name(code: str, reference: Reference) -> str:
    """The name a pre-filled register row gives a district code: the one its list offers (``name_vi``).

    The one place that turns a unit code into the name this year's form lists (the version of the unit in
    force in ``reference``'s year, when it is of a year: 374 is TP Hoa Lư only in 2025). A code ``reference``
    does not know is written as it is (the reader then rejects the row with a located reason, and the agency
    corrects it).
    """
    district = reference.unit_by_code(code, reference.year) if reference.year else reference.district_by_code.get(code)
    return district.name_vi if district else code
