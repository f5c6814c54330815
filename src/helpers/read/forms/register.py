"""Biểu 02, the register of cooperatives (HTX) at 31 December: one file a year, one row per cooperative.

``raw-data.md`` § Biểu 02. Registers are often grouped by district: a
*section row* (``II | Huyện Yên Mô``) gives the district of the cooperatives
under it and is not a cooperative itself; a section naming no known district
is rejected, with the cooperatives under it that name no district of their
own. A cooperative is identified by its registration number (``reg_no``),
unique in a year. ``docs/contract-decisions.md`` says what "holds a value"
means here and why.
"""

from __future__ import annotations

import datetime as dt
import re

from helpers.messages import message
from helpers.read.columns import Column
from helpers.read.forms.base import Form
from helpers.read.rows import DataRow, Problem, RowReader, RowRules
from helpers.read.values import (
    CellProblem,
    excel_error,
    excel_error_problem,
    is_blank,
    read_choice,
    read_date,
    read_text,
)
from helpers.reference import PROVINCE_OFFICE, vocabulary
from helpers.text import clean_cell_text, fold_label

LAYOUT_FIELDS = ("row_number", "unit", "name", "district")
"""Fields that place a row (its number, its name, its district) rather than describe a cooperative."""

CHOICE_FIELDS = {"sector": "other", "status": None, "rating": "none"}
"""Fields read against their vocabulary (``value_labels.csv``) → the code of a blank cell (``None``: required)."""

DATE_FIELDS = ("founded", "dissolved")

# Not data, these three: they are the syntax of numbering and of an
# identifier, the same in every province. The words a province types (district
# names, note and totals markers) are data in ``reference/data``.
_ORDINAL = re.compile(r"^\s*\(?\s*(?:[IVXLC]+|\d{1,3}|[A-Za-z])\s*[.)\-:–]\s*|^\s*(?:[IVXLC]+)\s+")
"""A section's ordinal before its district: ``II.``, ``(1)``, ``a)``, ``II ``."""
_ROMAN = re.compile(r"^\s*[IVXLC]+\s*[.)]?\s*$")
_REG_NO_NOISE = re.compile(r"[\s.\-–_/]")
"""What is not part of a registration number when two are compared (``2707 209 432`` is ``2707209432``).
A table of it would let an edit make two cooperatives one, silently."""

Section = tuple[str | None, int, str]
"""A section row: the district code it names (``None``: none known), its 0-based row, its label."""


class RegisterRows(RowRules):
    """The rows of a Biểu 02 file: cooperatives, section rows, notes."""

    def __init__(self, reader: RowReader) -> None:
        super().__init__(reader)
        self.section: Section | None = None
        """The section the rows read are under."""

    def _cell(self, row: list[object], field: str) -> object:
        column = self.reader.fields.get(field)
        return row[column.index] if column else None

    def holds_value(self, field: str, cell: object) -> bool:
        """Whether a register cell holds a value of its field, not a note or a signer's name under the column.

        Numbers, codes and dates need a digit (or a date); sector, status and
        rating need a word of their vocabulary; the district needs a known
        district; the commune alone is never a cooperative. An Excel error is
        always a value (to be rejected).
        """
        if is_blank(cell):
            return False
        if excel_error(cell) is not None:
            return True
        if field in CHOICE_FIELDS:
            return isinstance(cell, str) and fold_label(cell) in vocabulary(field)
        if field == "district":
            return self.reader.district_of(cell) is not None
        if field == "commune":
            return False
        if isinstance(cell, (dt.date, dt.datetime)):
            return True
        return self.reader.holds_number(cell)

    def classify(self, index: int, row: list[object], lead: str) -> None:
        """A cooperative, a section row (district of the rows below), or a note."""
        reader = self.reader
        others = [(f, c) for f, c in reader.fields.items() if f not in LAYOUT_FIELDS]
        identifies = any(self.holds_value(f, row[c.index]) for f, c in others if f in reader.form.identity_fields)
        found = self._section(row, lead) if not identifies else None
        holds_any = any(self.holds_value(f, row[c.index]) for f, c in others)
        if found is not None and found[0] is not None:
            # A district named in the name cell is a section even when it carries the section's subtotals.
            self.section = (found[0], index, found[1])
            reader.kinds[index] = "section"
            if holds_any:
                reader.section_warnings.append(message("returns.section_with_numbers", row=index + 1, label=found[1]))
            return
        name = self._cell(row, "name")
        if identifies or holds_any or self._names_a_cooperative(row, name):
            reader.rows.append(self._read_row(index, row))
        elif not is_blank(name) and reader.is_marker("note", name):
            reader.not_data(index, row)  # a note inside a section: the section goes on
        elif found is not None or not is_blank(name):
            # A name alone (or an ordinal alone): a section naming no known district.
            label = found[1] if found is not None else read_text(name)
            self.section = (None, index, label)
            refusal = reader.unit_refusal(label)
            reason = (
                message("units.section_refused", refusal=refusal)
                if refusal
                else message("returns.unknown_section", label=label, known=reader.known_units(False, label))
            )
            reader.rows.append(DataRow(index, [(reader.key_column, label, reason)], None, {}, is_section=True))
        else:
            reader.not_data(index, row)

    def _names_a_cooperative(self, row: list[object], name: object) -> bool:
        """A name beside a known district or a commune, or a name that reads as a cooperative (``HTX …``)."""
        if is_blank(name):
            return False
        return (
            self.holds_value("district", self._cell(row, "district"))
            or not is_blank(self._cell(row, "commune"))
            or self.reader.is_marker("cooperative", name)
        )

    def _section(self, row: list[object], lead: str) -> tuple[str | None, str] | None:
        """``(district code or None, label)`` when the row (holding no cooperative's values) is a section row.

        ``None`` when it is not: a section names a district (after its
        ordinal, ``II. Huyện Yên Mô``) or is an ordinal alone (``II``).
        """
        reader = self.reader
        name = self._cell(row, "name")
        # A section names its district in the name cell (or across the row); a
        # row with a name of its own and a district is a cooperative, not a section.
        candidates = [name, lead] if not is_blank(name) else [self._cell(row, "district"), lead]
        for cell in candidates:
            if is_blank(cell):
                continue
            code = reader.district_of(_ORDINAL.sub("", read_text(cell), count=1))
            if code is not None and code != PROVINCE_OFFICE:
                return code, read_text(cell)
        ordinal = read_text(self._cell(row, "row_number")) if "row_number" in reader.fields else ""
        if _ROMAN.match(ordinal) or (_ROMAN.match(lead.split(" ")[0].rstrip(".")) and " " in lead):
            key = row[reader.key_column.index] if reader.key_column else None
            return None, read_text(key) if not is_blank(key) else lead
        return None

    # -- a cooperative's row ---------------------------------------------------
    def _read_row(self, index: int, row: list[object]) -> DataRow:
        problems: list[Problem] = []
        record = self._read_identity(row, problems)
        record["district"] = self._read_district(row, problems)
        record["commune"] = read_text(self._cell(row, "commune"))
        self._read_choices(row, record, problems)
        self._read_dates(row, record, problems)
        self._check_dates(record, row, problems)
        values = self.reader.read_numbers(index, row, problems)
        for name in self.reader.form.value_fields:
            number = values.get(name)
            record[name] = number.value if number else None
            record[f"{name}_approximate"] = bool(number and number.is_approximate)
            record[f"{name}_approx_sense"] = number.sense if number else None
        return DataRow(index, problems, record, values, key=record["reg_no"] or None)

    def _column(self, field: str) -> Column | None:
        return self.reader.fields.get(field)

    def _read_identity(self, row: list[object], problems: list[Problem]) -> dict:
        """The name and the reg_no (Excel errors in the name, reg_no, district and commune cells said first)."""
        for field in ("name", "reg_no", "district", "commune"):
            cell = self._cell(row, field)
            if (shown := excel_error(cell)) is not None:
                problems.append((self._column(field), cell, str(excel_error_problem(shown))))
        name = read_text(self._cell(row, "name"))
        if not name:
            problems.append((self._column("name"), None, message("returns.no_name")))
        return {"name": name, "reg_no": read_text(self._cell(row, "reg_no"))}

    def _read_district(self, row: list[object], problems: list[Problem]) -> str | None:
        """The row's own district, else its section's; a problem when neither is known."""
        cell = self._cell(row, "district")
        commune = self._cell(row, "commune")
        if self.reader.reference.units_are_communes() and not is_blank(commune):
            cell = commune  # after 1/7/2025 a cooperative's unit is its commune or ward (raw-data.md § Units over time)
        section = self.section
        if not is_blank(cell):
            code = self.reader.district_of(cell)
            if code is None or code == PROVINCE_OFFICE:
                known = self.reader.known_units(False, cell)
                reason = (code is None and self.reader.unit_refusal(cell)) or message(
                    "returns.unknown_district", value=read_text(cell), known=known
                )
                problems.append((self._column("district"), cell, reason))
            return code
        if section is not None and section[0] is not None:
            return section[0]
        if section is not None:
            reason = message("returns.section_above_unknown", row=section[1] + 1, label=section[2])
        else:
            reason = message("returns.no_district")
        problems.append((self._column("district"), None, reason))
        return None

    def _read_choices(self, row: list[object], record: dict, problems: list[Problem]) -> None:
        for field, blank in CHOICE_FIELDS.items():
            if field not in self.reader.fields and blank is None:
                problems.append((None, None, message("returns.no_status_column")))
                continue
            try:
                record[field] = read_choice(
                    self._cell(row, field), field, blank_code=blank, not_reported=self.reader.reference.not_reported
                )
            except CellProblem as problem:
                problems.append((self._column(field), self._cell(row, field), str(problem)))

    def _read_dates(self, row: list[object], record: dict, problems: list[Problem]) -> None:
        for field in DATE_FIELDS:
            try:
                date = read_date(self._cell(row, field), self.reader.reference.not_reported)
            except CellProblem as problem:
                problems.append((self._column(field), self._cell(row, field), str(problem)))
                date = None
            record[field] = date.iso if date else None
            record[f"{field}_year"] = date.year if date else None

    def _check_dates(self, record: dict, row: list[object], problems: list[Problem]) -> None:
        """A dissolution date only for a dissolved cooperative; no founding after, nor dissolution outside, the year."""
        year = self.reader.year
        dissolved_column, founded_column = self._column("dissolved"), self._column("founded")
        if record["dissolved"] and record.get("status") not in (None, "dissolved"):
            reason = message("returns.dissolved_date_not_dissolved")
            problems.append((dissolved_column, row[dissolved_column.index], reason))
        if year is None:
            return
        if record["founded_year"] is not None and record["founded_year"] > year:
            reason = message("returns.founded_after", founded_year=record["founded_year"], year=year)
            problems.append((founded_column, row[founded_column.index], reason))
        dissolved_year = record["dissolved_year"]
        if dissolved_year is not None and dissolved_year != year:
            reason = message("returns.dissolved_other_year", dissolved_year=dissolved_year, year=year)
            problems.append((dissolved_column, row[dissolved_column.index], reason))

    # -- across rows and out ---------------------------------------------------
    def duplicate_key(self, data_row: DataRow) -> str | None:
        """The reg_no as the contract compares it (``None`` when the row has none).

        ``raw-data.md`` § A closed world: spaces, dots, dashes and invisible
        characters removed (:func:`~helpers.text.clean_cell_text`), in capitals,
        leading zeros ignored (Excel drops them from a number): ``0107 001.234``,
        ``107001234`` typed as a number and ``0107\u200b001234`` are one cooperative.
        """
        if data_row.key is None:
            return None
        compared = _REG_NO_NOISE.sub("", clean_cell_text(data_row.key)).upper()
        return compared.lstrip("0") or compared

    def duplicate_problem(self, data_row: DataRow, rows: str) -> Problem:
        """The same reg_no twice: every row of it is rejected."""
        reason = message("returns.duplicate_reg_no", reg_no=data_row.key, rows=rows)
        return self._column("reg_no"), data_row.key, reason

    def records(self, data_row: DataRow, where: dict) -> list[dict]:
        """The cooperative's record."""
        return [{**data_row.record, **where}]


REGISTER = Form(
    code="02",
    name_key="form.register",
    rows_are="cooperatives",
    key_field="name",
    header_fields=("name", "district"),
    # Fields only a cooperative has: a row holding one is never a section row (numbers may be a section's subtotals).
    identity_fields=("reg_no", "sector", "founded", "status", "dissolved", "rating"),
    file_stem="cooperatives",
    per_agency=False,
    allows_province_office=False,
    rules=RegisterRows,
)
"""Biểu 02."""
