"""Reading one return file into accepted rows, rejected rows and its ledger.

Every row of the sheet ends up in exactly one of the kinds of :data:`ROW_KINDS`:
accepted data, rejected data (with a located reason in the rejects ledger), or
one of the non-data kinds (title, header, column numbers, section, totals,
blank, note, footer). ``raw-data.md`` is the contract; the choices it
leaves open are documented in ``docs/contract-decisions.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from helpers.clean.corrections import apply_corrections
from helpers.errors import FileProblem
from helpers.messages import message
from helpers.read.layout import (
    KEY_FIELD,
    TEMPLATE_NAMES,
    Column,
    TableLayout,
    column_letter,
    is_column_number_row,
    locate_table,
)
from helpers.read.sheets import Sheet, read_sheet
from helpers.read.values import (
    CellProblem,
    Number,
    excel_error,
    excel_error_problem,
    is_blank,
    is_not_reported,
    read_choice,
    read_date,
    read_number,
    read_text,
)
from helpers.reference import (
    PROVINCE_OFFICE,
    TEMPLATES,
    Reference,
    markers,
    value_field_table,
    vocabulary,
)
from helpers.text import fold_label, strip_diacritics

ROW_KINDS = (
    "accepted",
    "rejected",
    "title",
    "header",
    "column_numbers",
    "section",
    "totals",
    "blank",
    "note",
    "footer",
)
"""Every row of a return is exactly one of these."""

NON_DATA_KINDS = ROW_KINDS[2:]

LAYOUT_FIELDS = ("row_number", "unit", "name", "district")


def value_fields(template: str) -> tuple[str, ...]:
    """Numeric fields of a template, in the order of ``value_fields.csv``."""
    return tuple(value_field_table(template))


REGISTER_NUMBER_FIELDS = value_fields("02")
SIGNED_FIELDS = frozenset(f.field for t in TEMPLATES for f in value_field_table(t).values() if f.is_signed)
"""Fields that may be negative (a loss)."""

_ORDINAL = re.compile(r"^\s*\(?\s*(?:[IVXLC]+|\d{1,3}|[A-Za-z])\s*[.)\-:–]\s*|^\s*(?:[IVXLC]+)\s+")
_REG_NO_NOISE = re.compile(r"[\s.\-–_/]")
_BULLET = ("-", "–", "+", "•", "*", "·")
_STT = re.compile(r"^\s*(?:\d{1,4}|[IVXLC]+)\s*[.)]?\s*$")
_ROMAN = re.compile(r"^\s*[IVXLC]+\s*[.)]?\s*$")


def holds_number(cell: object) -> bool:
    """Whether a cell of a numeric column (Biểu 01/03) holds something that claims to be a value.

    A number, an Excel error, or text with a digit in it (``80 buổi``,
    ``trên 1.000``) does; empty and "not reported" cells, dates, footer and
    note texts (``Ninh Bình, ngày 10 tháng 01 năm 2018``) and words without a
    digit (a signer's name under the value columns) do not.
    """
    if is_blank(cell) or isinstance(cell, bool):
        return not is_blank(cell)
    if excel_error(cell) is not None or isinstance(cell, (int, float)):
        return True
    if not isinstance(cell, str) or is_not_reported(cell) or _is_marker_text(cell):
        return False
    return any(ch.isdigit() for ch in cell)


def holds_register_value(field_name: str, cell: object, reference: Reference) -> bool:
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
    if field_name in REGISTER_CHOICE_FIELDS:
        return isinstance(cell, str) and fold_label(cell) in vocabulary(field_name)
    if field_name == "district":
        return reference.resolve_district(cell) is not None
    if field_name == "commune":
        return False
    if isinstance(cell, (dt.date, dt.datetime)):
        return True
    return holds_number(cell)


REGISTER_CHOICE_FIELDS = ("sector", "status", "rating")
REGISTER_IDENTITY_FIELDS = ("reg_no", "sector", "founded", "status", "dissolved", "rating")
"""Fields only a cooperative has: a row holding one is never a section row (numbers may be a section's subtotals)."""


def _is_marker_text(text: str) -> bool:
    return markers("footer").matches(text) or markers("note").matches(text)


@dataclass(frozen=True)
class Reject:
    """One bad cell of a rejected row (a row with several bad cells has several)."""

    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str
    unit: str = ""
    """The row as the return names it: the district as typed (Biểu 01/03) or the cooperative's name (Biểu 02)."""

    @property
    def message(self) -> str:
        """``file › sheet › row (unit) › column: reason``, as shown to people."""
        column = f' › "{self.column}"' if self.column else ""
        unit = f" ({self.unit})" if self.unit else ""
        return message(
            "where.reject", file=self.file, sheet=self.sheet, row=self.row, unit=unit, column=column, reason=self.reason
        )


@dataclass(frozen=True)
class ApproximateValue:
    """A value typed as approximate (``trên 1.000``), read as its number."""

    file: str
    sheet: str
    row: int
    column: str
    typed: str
    value: float
    sense: str = "about"
    """``more_than``, ``under`` or ``about`` (:data:`helpers.read.values.SENSES`)."""


@dataclass(frozen=True)
class TotalsCheck:
    """A totals row's cell against the sum of the accepted rows it totals."""

    file: str
    sheet: str
    row: int
    column: str
    field: str
    totals_value: float | None
    rows_sum: float
    rows_summed: int
    rows_rejected: int
    is_approximate: bool
    rejected_rows: tuple[int, ...] = ()
    """Spreadsheet numbers (1-based) of the rejected rows in the totals row's scope."""

    @property
    def difference(self) -> float | None:
        """Totals row minus the sum of rows (``None`` when the totals cell is empty)."""
        return None if self.totals_value is None else self.totals_value - self.rows_sum

    @property
    def agrees(self) -> bool:
        """Whether the totals cell equals the sum (an empty cell checks nothing)."""
        difference = self.difference
        return difference is None or abs(difference) <= 1e-6 * max(1.0, abs(self.rows_sum))


@dataclass
class ReturnRead:
    """What was read from one return file."""

    source: str
    template: str
    agency: str | None
    sheet: str
    encoding: str | None
    was_nfd: bool
    row_kinds: list[str]
    records: list[dict]
    rejects: list[Reject] = field(default_factory=list)
    ignored_columns: list[tuple[str, str, str]] = field(default_factory=list)
    approximate: list[ApproximateValue] = field(default_factory=list)
    totals: list[TotalsCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    corrections: list = field(default_factory=list)  # AppliedCorrection
    correction_problems: list[FileProblem] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    """What makes part of the file unusable (two visible columns for one indicator): errors of the year."""

    def kind_counts(self) -> dict[str, int]:
        """Rows per kind, every kind present (zero when none)."""
        counts = Counter(self.row_kinds)
        return {kind: counts.get(kind, 0) for kind in ROW_KINDS}


@dataclass
class _DataRow:
    """A data row while its file is being read."""

    index: int
    problems: list[tuple[Column | None, object, str]]
    record: dict | None
    values: dict[str, Number]
    key: str | None = None  # district code (Biểu 01/03) or reg_no (Biểu 02)
    is_section: bool = False  # a register section row naming no known district


class _Reader:
    """Reads the data rows of one located table (one instance per file)."""

    def __init__(
        self,
        sheet: Sheet,
        layout: TableLayout,
        template: str,
        agency: str | None,
        year: int | None,
        reference: Reference,
    ):
        self.sheet = sheet
        self.reference = reference
        self.layout = layout
        self.template = template
        self.agency = agency
        self.year = year
        self.fields = layout.fields()
        self.key_column = self.fields.get(KEY_FIELD[template])
        self.numeric = [f for f in value_fields(template) if f in self.fields]
        self.counts = {name: value_field_table(template)[name].is_count for name in self.numeric}
        self.kinds = ["title"] * len(sheet.rows)
        self.rows: list[_DataRow] = []
        self.totals_rows: list[int] = []
        self.totals_problems: list[str] = []
        self.section_warnings: list[str] = []
        self.merged_units: dict[int, object] = {}
        if self.key_column is not None:
            key = self.key_column.index
            for r0, c0, r1, c1 in sheet.merged:
                if c0 <= key <= c1 and r1 > r0 and r0 >= layout.first_data_row and r0 < len(sheet.rows):
                    self.merged_units.update(
                        {r: sheet.rows[r0][c0] for r in range(r0 + 1, min(r1, len(sheet.rows) - 1) + 1)}
                    )
        self.approximate: list[ApproximateValue] = []

    # -- classification -------------------------------------------------
    def run(self) -> None:
        """Give every row its kind; read the data rows.

        ``raw-data.md`` § Rows that are not data never end the table: a row
        with no value in any value column is a note (or blank), wherever it
        is, and the table goes on after it; the footer starts only after the
        last row that holds a value or names a unit.
        """
        for index in self.layout.header_rows:
            self.kinds[index] = "header"
        if self.layout.column_numbers_row is not None:
            self.kinds[self.layout.column_numbers_row] = "column_numbers"
        for index, row in enumerate(self.sheet.rows):
            if all(is_blank(cell) for cell in row):
                self.kinds[index] = "blank"
        self.section: tuple[str | None, int, str] | None = None  # (district code, row, label) of Biểu 02 sections
        self.in_subset = False
        for index in range(self.layout.first_data_row, len(self.sheet.rows)):
            if self.kinds[index] == "blank":
                continue
            row = self.sheet.rows[index]
            lead = self._lead_text(row)
            if markers("totals").matches(lead) or self._key_cell_reads_totals(row):
                self.kinds[index] = "totals"
                self.totals_rows.append(index)
                self.in_subset = False
            elif not self.rows and is_column_number_row(row):
                self.kinds[index] = "column_numbers"  # under a period line or a note, before the data
            elif self.template == "02":
                self._classify_register_row(index, row, lead)
            else:
                self._classify_unit_row(index, row, lead)
        self._footer_after_data()
        self._reject_uncached_formulas()
        self._reject_overlong_csv_rows()
        self._reject_duplicates()
        for data_row in self.rows:
            self.kinds[data_row.index] = "rejected" if data_row.problems else "accepted"

    def _key_cell_reads_totals(self, row: list[object]) -> bool:
        """A totals row numbered like a data row (``9 | Tổng cộng``): its unit cell reads as totals."""
        return (
            self.key_column is not None
            and isinstance(row[self.key_column.index], str)
            and markers("totals").matches(row[self.key_column.index])
        )

    def _not_data(self, index: int, row: list[object]) -> None:
        """A row that is not data: blank when it holds only its STT, else a note (a footer once past the data)."""
        self.kinds[index] = "blank" if self._holds_only_a_row_number(row) else "note"

    def _classify_unit_row(self, index: int, row: list[object], lead: str) -> None:
        """Biểu 01/03: a row is data when it holds a value or names a unit."""
        if markers("subset").matches(lead):
            self.in_subset = True
        unit = row[self.key_column.index] if self.key_column else None
        if is_blank(unit):
            unit = self.merged_units.get(index)  # a unit cell merged down over two rows names both
        code = (
            self.reference.resolve_district(unit)
            if not is_blank(unit) and not markers("subset").matches(lead)
            else None
        )
        if code is None and not any(holds_number(row[self.fields[name].index]) for name in self.numeric):
            self._not_data(index, row)
            return
        # a breakdown goes on over bulleted lines ("- Nho Quan"), and ends at the next district row
        self.in_subset = self.in_subset and (
            code is None or (isinstance(unit, str) and unit.strip().startswith(_BULLET))
        )
        self.rows.append(self._read_unit_row(index, row, unit, code, self.in_subset))

    def _classify_register_row(self, index: int, row: list[object], lead: str) -> None:
        """Biểu 02: a cooperative, a section row (district of the rows below), or a note."""
        others = [(f, c) for f, c in self.fields.items() if f not in LAYOUT_FIELDS]
        name_column, district_column = self.fields.get("name"), self.fields.get("district")
        name = row[name_column.index] if name_column else None
        district = row[district_column.index] if district_column else None
        commune = row[self.fields["commune"].index] if "commune" in self.fields else None
        identifies = any(
            holds_register_value(f, row[c.index], self.reference) for f, c in others if f in REGISTER_IDENTITY_FIELDS
        )
        found = self._section(row, lead) if not identifies else None
        if found is not None and found[0] is not None:
            # A district named in the name cell is a section even when it carries the section's subtotals.
            self.section = (found[0], index, found[1])
            self.kinds[index] = "section"
            if any(holds_register_value(f, row[c.index], self.reference) for f, c in others):
                self.section_warnings.append(message("returns.section_with_numbers", row=index + 1, label=found[1]))
            return
        if (
            identifies
            or any(holds_register_value(f, row[c.index], self.reference) for f, c in others)
            or (
                not is_blank(name)
                and (
                    holds_register_value("district", district, self.reference)
                    or not is_blank(commune)
                    or markers("cooperative").matches(name)
                )
            )
        ):
            self.rows.append(self._read_register_row(index, row, self.section))
            return
        if not is_blank(name) and markers("note").matches(name):
            self._not_data(index, row)  # a note inside a section: the section goes on
            return
        if found is not None or not is_blank(name):
            # A name alone (or an ordinal alone): a section naming no known district.
            label = found[1] if found is not None else read_text(name)
            self.section = (None, index, label)
            reason = self._unknown_section_reason(label)
            self.rows.append(_DataRow(index, [(self.key_column, label, reason)], None, {}, is_section=True))
            return
        self._not_data(index, row)

    def _row_number_index(self) -> int | None:
        column = self.fields.get("row_number")
        return column.index if column else None

    def _has_row_number(self, index: int) -> bool:
        """Whether a row carries an STT number (a cooperative's line, not a signer's name under the table)."""
        number_index = self._row_number_index()
        cell = self.sheet.rows[index][number_index] if number_index is not None else None
        return (isinstance(cell, (int, float)) and not isinstance(cell, bool)) or (
            isinstance(cell, str) and cell.strip().rstrip(".").isdigit()
        )

    def _holds_only_a_row_number(self, row: list[object]) -> bool:
        """A template row left empty: nothing but its STT (a number or roman numeral)."""
        number_index = self._row_number_index()
        if any(not is_blank(cell) for c, cell in enumerate(row) if c != number_index):
            return False
        cell = row[number_index] if number_index is not None else None
        return is_blank(cell) or isinstance(cell, (int, float)) or bool(_STT.match(read_text(cell)))

    def _lead_text(self, row: list[object]) -> str:
        """The text naming the row: first non-blank cell up to the key column."""
        last = self.key_column.index if self.key_column else len(row) - 1
        for cell in row[: last + 1]:
            if not is_blank(cell):
                return read_text(cell)
        return ""

    # -- Biểu 01 and 03 --------------------------------------------------
    def _read_unit_row(
        self, index: int, row: list[object], unit: object, code: str | None, in_subset: bool
    ) -> _DataRow:
        problems: list[tuple[Column | None, object, str]] = []
        allows_office = self.template == "01"
        if in_subset:
            problems.append(
                (
                    self.key_column,
                    unit,
                    message("returns.subset_row", unit=read_text(unit), template=TEMPLATE_NAMES[self.template]),
                )
            )
        elif is_blank(unit):
            problems.append((self.key_column, unit, message("returns.unit_empty")))
        elif (shown := excel_error(unit)) is not None:
            problems.append((self.key_column, unit, str(excel_error_problem(shown))))
            code = None
        elif code is None or (code == PROVINCE_OFFICE and not allows_office):
            problems.append(
                (
                    self.key_column,
                    unit,
                    message(
                        "returns.unknown_unit",
                        unit=read_text(unit),
                        template=TEMPLATE_NAMES[self.template],
                        known=self.reference.known_units_text(allows_office),
                    ),
                )
            )
            code = None
        values = self._read_numbers(index, row, problems)
        record = None
        if not problems:
            record = {"district": code, "values": values}
        return _DataRow(index, problems, record, values, key=code)

    def _read_numbers(self, index: int, row: list[object], problems: list) -> dict[str, Number]:
        values: dict[str, Number] = {}
        for name in self.numeric:
            column = self.fields[name]
            cell = row[column.index]
            try:
                number = read_number(cell, allow_negative=name in SIGNED_FIELDS, whole=self.counts[name])
            except CellProblem as problem:
                problems.append((column, cell, str(problem)))
                continue
            values[name] = number
            if number.is_approximate:
                self.approximate.append(
                    ApproximateValue(
                        self.sheet.source,
                        self.sheet.name,
                        index + 1,
                        column.label,
                        read_text(cell),
                        number.value,
                        number.sense,
                    )
                )
        return values

    # -- Biểu 02 ----------------------------------------------------------
    def _section(self, row: list[object], lead: str) -> tuple[str | None, str] | None:
        """``(district code or None, label)`` when the row (holding no cooperative's values) is a section row, else ``None``."""
        name_column = self.fields.get("name")
        name = row[name_column.index] if name_column else None
        # A section names its district in the name cell (or across the row); a
        # row with a name of its own and a district is a cooperative, not a section.
        candidates = (
            [name, lead]
            if not is_blank(name)
            else [row[c.index] for f, c in self.fields.items() if f == "district"] + [lead]
        )
        for cell in candidates:
            if is_blank(cell):
                continue
            text = _ORDINAL.sub("", read_text(cell), count=1)
            code = self.reference.resolve_district(text)
            if code is not None and code != PROVINCE_OFFICE:
                return code, read_text(cell)
        number_column = self.fields.get("row_number")
        ordinal = read_text(row[number_column.index]) if number_column else ""
        if _ROMAN.match(ordinal) or (_ROMAN.match(lead.split(" ")[0].rstrip(".")) and " " in lead):
            label = (
                read_text(row[self.key_column.index])
                if self.key_column and not is_blank(row[self.key_column.index])
                else lead
            )
            return None, label
        return None

    def _unknown_section_reason(self, label: str) -> str:
        return message("returns.unknown_section", label=label, known=self.reference.known_units_text(False))

    def _read_register_row(
        self, index: int, row: list[object], section: tuple[str | None, int, str] | None
    ) -> _DataRow:
        problems: list[tuple[Column | None, object, str]] = []
        cell = lambda name: row[self.fields[name].index] if name in self.fields else None  # noqa: E731
        record: dict = {}
        for name_ in ("name", "reg_no", "district", "commune"):
            if (shown := excel_error(cell(name_))) is not None:
                problems.append((self.fields[name_], cell(name_), str(excel_error_problem(shown))))
        name = read_text(cell("name"))
        if not name:
            problems.append((self.fields.get("name"), None, message("returns.no_name")))
        record["name"] = name
        record["reg_no"] = read_text(cell("reg_no"))
        district_cell = cell("district")
        if not is_blank(district_cell):
            code = self.reference.resolve_district(district_cell)
            if code is None or code == PROVINCE_OFFICE:
                problems.append(
                    (
                        self.fields["district"],
                        district_cell,
                        message(
                            "returns.unknown_district",
                            value=read_text(district_cell),
                            known=self.reference.known_units_text(False),
                        ),
                    )
                )
            record["district"] = code
        elif section is not None and section[0] is not None:
            record["district"] = section[0]
        elif section is not None:
            problems.append(
                (
                    self.fields.get("district"),
                    None,
                    message("returns.section_above_unknown", row=section[1] + 1, label=section[2]),
                )
            )
        else:
            problems.append((self.fields.get("district"), None, message("returns.no_district")))
        record["commune"] = read_text(cell("commune"))
        for name_, vocabulary_name, blank in (
            ("sector", "sector", "other"),
            ("status", "status", None),
            ("rating", "rating", "none"),
        ):
            if name_ not in self.fields and blank is None:
                problems.append((None, None, message("returns.no_status_column")))
                continue
            try:
                record[name_] = read_choice(cell(name_), vocabulary_name, blank_code=blank)
            except CellProblem as problem:
                problems.append((self.fields[name_], cell(name_), str(problem)))
        for name_ in ("founded", "dissolved"):
            try:
                date = read_date(cell(name_))
            except CellProblem as problem:
                problems.append((self.fields[name_], cell(name_), str(problem)))
                date = None
            record[name_] = date.iso if date else None
            record[f"{name_}_year"] = date.year if date else None
        self._check_register_dates(record, row, problems)
        values = self._read_numbers(index, row, problems)
        for name_ in REGISTER_NUMBER_FIELDS:
            number = values.get(name_)
            record[name_] = number.value if number else None
            record[f"{name_}_approximate"] = bool(number and number.is_approximate)
            record[f"{name_}_approx_sense"] = number.sense if number else None
        return _DataRow(index, problems, record, values, key=record["reg_no"] or None)

    def _check_register_dates(self, record: dict, row: list[object], problems: list) -> None:
        year = self.year
        dissolved_column = self.fields.get("dissolved")
        founded_column = self.fields.get("founded")
        if record["dissolved"] and record.get("status") not in (None, "dissolved"):
            problems.append(
                (dissolved_column, row[dissolved_column.index], message("returns.dissolved_date_not_dissolved"))
            )
        if year is None:
            return
        if record["founded_year"] is not None and record["founded_year"] > year:
            problems.append(
                (
                    founded_column,
                    row[founded_column.index],
                    message("returns.founded_after", founded_year=record["founded_year"], year=year),
                )
            )
        dissolved_year = record["dissolved_year"]
        if dissolved_year is not None and dissolved_year != year:
            problems.append(
                (
                    dissolved_column,
                    row[dissolved_column.index],
                    message("returns.dissolved_other_year", dissolved_year=dissolved_year, year=year),
                )
            )

    def _reject_uncached_formulas(self) -> None:
        """A formula with no saved result is never guessed at (nor evaluated): the row is rejected."""
        formulas = self.sheet.uncached_formulas
        if not formulas:
            return
        for data_row in self.rows:
            for column in self.layout.columns:
                formula = formulas.get((data_row.index, column.index))
                if formula is None or column.field is None:
                    continue
                data_row.problems.append(
                    (
                        column,
                        formula,
                        message("returns.uncached_formula", formula=formula),
                    )
                )
                data_row.record = None

    def _reject_overlong_csv_rows(self) -> None:
        """A CSV record with more fields than its header: a number typed ``1207,5`` in a comma-separated file split in two.

        The values after the split sit under the wrong labels, so the row is
        rejected, never read shifted.
        """
        widths = self.sheet.record_widths
        if not widths:
            return
        header_width = max(widths[r] for r in self.layout.header_rows)
        for data_row in self.rows:
            if widths[data_row.index] > header_width:
                data_row.problems.append(
                    (None, None, message("returns.csv_row_too_long", cells=widths[data_row.index], header=header_width))
                )
                data_row.record = None

    # -- checks across rows ------------------------------------------------
    def _reject_duplicates(self) -> None:
        """The same district twice (Biểu 01/03) or the same reg_no twice (Biểu 02): reject all of them.

        A district row that reports nothing (a sub-title ``I | Cấp tỉnh``) adds
        nothing, so it is no duplicate; a reg_no is compared without spaces,
        dots and dashes (``2707 209 432`` is ``2707209432``).
        """
        groups: dict[str, list[_DataRow]] = defaultdict(list)
        for data_row in self.rows:
            if data_row.key is None:
                continue
            if self.template == "02":
                groups[_REG_NO_NOISE.sub("", data_row.key).upper()].append(data_row)
            elif not data_row.problems and any(number.value is not None for number in data_row.values.values()):
                groups[data_row.key].append(data_row)
        column = self.fields.get("reg_no") if self.template == "02" else self.key_column
        for members in groups.values():
            if len(members) < 2:
                continue
            numbers = ", ".join(str(m.index + 1) for m in members)
            for data_row in members:
                if self.template == "02":
                    reason = message("returns.duplicate_reg_no", reg_no=data_row.key, rows=numbers)
                    value = data_row.key
                else:
                    value = self.sheet.rows[data_row.index][column.index]
                    reason = message("returns.duplicate_unit", unit=read_text(value), code=data_row.key, rows=numbers)
                data_row.problems.append((column, value, reason))
                data_row.record = None

    def _footer_after_data(self) -> None:
        """Rows after the last row that holds a value or names a unit are the footer.

        A register section naming no known district there (a signature, a
        name under "Người lập biểu") is footer too: nothing follows it.
        """
        anchors = [r.index for r in self.rows if not r.is_section]
        anchors += [i for i, kind in enumerate(self.kinds) if kind == "section"]
        last = max(anchors, default=self.layout.first_data_row - 1)
        self.rows = [r for r in self.rows if r.index < last or not r.is_section or self._has_row_number(r.index)]
        for index in range(last + 1, len(self.kinds)):
            if self.kinds[index] in ("note", "title"):
                self.kinds[index] = "footer"

    # -- outputs ------------------------------------------------------------
    def _unit_as_typed(self, data_row: _DataRow) -> str:
        """The district as typed (Biểu 01/03) or the cooperative's name (Biểu 02) of a row."""
        if data_row.is_section or self.key_column is None:
            return ""
        return read_text(self.sheet.rows[data_row.index][self.key_column.index])

    def rejects(self) -> list[Reject]:
        out: list[Reject] = []
        for data_row in self.rows:
            unit = self._unit_as_typed(data_row)
            for column, value, reason in data_row.problems:
                out.append(
                    Reject(
                        file=self.sheet.source,
                        sheet=self.sheet.name,
                        row=data_row.index + 1,
                        column=column.label if column else "",
                        value="" if is_blank(value) else read_text(value),
                        reason=reason,
                        unit=unit,
                    )
                )
        return out

    def totals_checks(self) -> list[TotalsCheck]:
        checks: list[TotalsCheck] = []
        previous = -1
        for totals_index in self.totals_rows:
            in_scope = [r for r in self.rows if previous < r.index < totals_index]
            if not any(r.record for r in in_scope):
                in_scope = list(self.rows)  # a totals row first, or a grand total after subtotals
            previous = totals_index
            accepted = [r for r in in_scope if r.record is not None and not r.problems]
            rejected_rows = tuple(r.index + 1 for r in in_scope if r.record is None or r.problems)
            rejected = len(rejected_rows)
            row = self.sheet.rows[totals_index]
            for name in self.numeric:
                column = self.fields[name]
                try:
                    totals_number = read_number(row[column.index], allow_negative=True)
                except CellProblem as problem:
                    self.totals_problems.append(
                        message(
                            "returns.totals_unreadable",
                            where=self.sheet.where,
                            row=totals_index + 1,
                            column=column.label,
                            problem=problem,
                        )
                    )
                    totals_number = Number(None)
                parts = [r.values[name] for r in accepted if name in r.values and r.values[name].value is not None]
                if totals_number.value is None and not parts:
                    continue
                checks.append(
                    TotalsCheck(
                        file=self.sheet.source,
                        sheet=self.sheet.name,
                        row=totals_index + 1,
                        column=column.label,
                        field=name,
                        totals_value=totals_number.value,
                        rows_sum=sum(p.value for p in parts),
                        rows_summed=len(parts),
                        rows_rejected=rejected,
                        is_approximate=totals_number.is_approximate or any(p.is_approximate for p in parts),
                        rejected_rows=rejected_rows,
                    )
                )
        return checks

    def records(self) -> list[dict]:
        out: list[dict] = []
        for data_row in self.rows:
            if data_row.record is None or data_row.problems:
                continue
            where = {"source": self.sheet.source, "row": data_row.index + 1}
            if self.template == "01":
                for name, number in data_row.values.items():
                    if number.value is None:
                        continue
                    out.append(
                        {
                            "agency": self.agency,
                            "district": data_row.record["district"],
                            "indicator": name,
                            "value": number.value,
                            "approximate": number.is_approximate,
                            "approx_sense": number.sense,
                            **where,
                        }
                    )
            elif self.template == "03":
                record = {"district": data_row.record["district"]}
                for name in value_fields("03"):
                    number = data_row.values.get(name)
                    record[name] = number.value if number else None
                    record[f"{name}_approximate"] = bool(number and number.is_approximate)
                    record[f"{name}_approx_sense"] = number.sense if number else None
                out.append({**record, **where})
            else:
                out.append({**data_row.record, **where})
        return out

    def unlabelled_columns_with_data(self) -> list[tuple[str, str, str]]:
        known = {c.index for c in self.layout.columns}
        width = max((len(r) for r in self.sheet.rows), default=0)
        found = []
        for index in range(width):
            if index in known:
                continue
            if any(not is_blank(self.sheet.rows[r.index][index]) for r in self.rows):
                found.append((column_letter(index), "", message("returns.unlabelled_column")))
        return found


def read_return(
    path: Path,
    source: str,
    template: str,
    *,
    reference: Reference,
    agency: str | None = None,
    year: int | None = None,
    corrections: list | None = None,
) -> ReturnRead:
    """Read one return file per ``raw-data.md``.

    Args:
        path: the file.
        source: its name in messages and ledgers (relative to the year folder).
        template: ``"01"`` (activities), ``"02"`` (HTX register) or ``"03"`` (THT).
        reference: the data root's district tables (which units a row may name).
        agency: the agency code of a Biểu 01 file.
        year: the programme year of the folder (checks register dates).
        corrections: declared corrections of this return (:mod:`helpers.clean.corrections`).

    Returns:
        The accepted records, rejects, ledger and checks of the file.

    Raises:
        FileProblem: when the file cannot be used at all.
    """
    sheet = read_sheet(path, source, template)
    return read_table(sheet, template, reference=reference, agency=agency, year=year, corrections=corrections)


def read_table(
    sheet: Sheet,
    template: str,
    *,
    reference: Reference,
    agency: str | None = None,
    year: int | None = None,
    corrections: list | None = None,
) -> ReturnRead:
    """Read the table of one sheet already loaded (see :func:`read_return`).

    Raises:
        FileProblem: when the sheet cannot be used at all.
    """
    if all(is_blank(cell) for row in sheet.rows for cell in row):
        raise FileProblem(
            sheet.where,
            message("returns.sheet_empty"),
            message("returns.sheet_empty_action", template=TEMPLATE_NAMES[template]),
        )
    layout = locate_table(sheet, template)
    applied, correction_problems = apply_corrections(sheet, layout, KEY_FIELD[template], corrections or [], reference)
    reader = _Reader(sheet, layout, template, agency, year, reference)
    reader.run()
    totals = reader.totals_checks()
    warnings = (
        _title_year_warnings(sheet, layout, year)
        + _hidden_warnings(sheet, layout, reader.kinds)
        + reader.totals_problems
        + reader.section_warnings
    )
    ignored = [(c.letter, c.label, reason) for c, reason in layout.ignored]
    ignored += reader.unlabelled_columns_with_data()
    problems = [FileProblem(sheet.where, problem, message("returns.other_columns_read")) for problem in layout.problems]
    return ReturnRead(
        source=sheet.source,
        template=template,
        agency=agency,
        sheet=sheet.name,
        encoding=sheet.encoding,
        was_nfd=sheet.was_nfd,
        row_kinds=reader.kinds,
        records=reader.records(),
        rejects=reader.rejects(),
        ignored_columns=ignored,
        approximate=reader.approximate,
        totals=totals,
        warnings=warnings,
        corrections=applied,
        correction_problems=correction_problems,
        problems=problems,
    )


def _hidden_warnings(sheet: Sheet, layout: TableLayout, kinds: list[str]) -> list[str]:
    """Hidden sheets are never read; hidden data rows and columns are read: both are said."""
    warnings = []
    if sheet.hidden_sheets:
        names = ", ".join(f"'{name}'" for name in sheet.hidden_sheets)
        warnings.append(message("returns.hidden_sheets", names=names, sheet=sheet.name))
    rows = [
        str(i + 1)
        for i in sorted(sheet.hidden_rows)
        if i < len(kinds) and kinds[i] in ("accepted", "rejected", "totals")
    ]
    if rows:
        warnings.append(message("returns.hidden_rows", rows=", ".join(rows)))
    columns = [c for c in layout.columns if c.field and c.index in sheet.hidden_columns]
    if columns:
        listed = ", ".join(f"{c.letter} ('{c.label}')" for c in columns)
        warnings.append(message("returns.hidden_columns", columns=listed))
    return warnings


_TITLE_YEAR = re.compile(r"\bnam (\d{4})\b|\b\d{1,2} \d{1,2} (\d{4})\b")
_SIGNING_DATE = re.compile(r"\bngay \d{1,2} thang \d{1,2} nam \d{4}\b")
"""The date a report was signed ("Ninh Bình, ngày 08 tháng 01 năm 2023"): not the year it is about."""


def _title_text(cell: str) -> str:
    """Title text without diacritics, case or punctuation, and without signing dates (``năm 2017``, ``31 12 2017`` stay)."""
    bare = re.sub(r"[^a-z0-9]+", " ", strip_diacritics(cell).lower())
    return _SIGNING_DATE.sub(" ", bare)


def _title_year_warnings(sheet: Sheet, layout: TableLayout, year: int | None) -> list[str]:
    """A title reading "… năm 2016" in the 2017 folder is probably last year's return sent again."""
    if year is None:
        return []
    found = sorted(
        {
            int(year_text)
            for row in sheet.rows[: layout.header_rows[0]]
            for cell in row
            if isinstance(cell, str)
            for match in _TITLE_YEAR.findall(_title_text(cell))
            for year_text in match
            if year_text
        }
    )
    if not found or year in found:
        return []
    years = ", ".join(map(str, found))
    return [message("returns.title_year", title_years=years, year=year)]
