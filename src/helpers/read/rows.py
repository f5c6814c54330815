"""Giving every row of a located table its kind, and reading its data rows.

Every row of the sheet ends up in exactly one of the kinds of
:data:`helpers.read.ledger.ROW_KINDS`. What is common to the three forms is
here: header, blank, column-number and totals rows, notes and the footer,
reading numbers, and the checks across rows. What a data row of a form is,
and what it gives, is the form's own (:mod:`helpers.read.forms`).
``raw-data.md`` § Rows that are not data never end the table is the contract;
the choices it leaves open are documented in ``docs/contract-decisions.md``.

Why this module is long: the reader and the two things the forms meet it by
(:class:`RowRules`, which a form's rules subclass, and :class:`FormView`, what
the reader asks of a form) live together, so that the forms import the reader
and the reader never imports the forms (no import circle, ``tests/test_layers.py``).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from helpers.messages import message
from helpers.read.columns import Column, TableLayout, is_column_number_row
from helpers.read.ledger import ApproximateValue
from helpers.read.sheets import Sheet
from helpers.read.values import CellProblem, Number, excel_error, is_blank, is_not_reported, read_number, read_text
from helpers.reference import Reference, ValueField, markers
from helpers.text import fold_label

# Not data: the syntax of a row number (digits or roman numerals, with a dot
# or a parenthesis) is the same in every province's forms; the words people
# type around the data are data (``layout_markers.csv``).
_STT = re.compile(r"^\s*(?:\d{1,4}|[IVXLC]+)\s*[.)]?\s*$")


def _numbers_its_columns(row: list[object]) -> bool:
    """A column-number row inside the table: at least three numbers, one more each column (``(1) (2) (3)``).

    Under the header any column-number row is one; further down only one that
    counts its columns, never a row of numbers that happens to have no unit.
    """
    numbers = []
    for cell in row:
        if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
            numbers.append(int(cell))
        elif isinstance(cell, str) and (match := _COLUMN_DIGITS.fullmatch(cell.strip())):
            numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and all(b == a + 1 for a, b in itertools.pairwise(numbers))


_COLUMN_DIGITS = re.compile(r"\(?\s*(\d{1,2})\s*\)?(?:\s*=.*)?")

Problem = tuple[Column | None, object, str]
"""A bad cell of a row: its column (``None``: the whole row), the cell as typed, the reason."""


@dataclass
class DataRow:
    """A data row while its file is being read."""

    index: int
    problems: list[Problem]
    record: dict | None
    values: dict[str, Number]
    key: str | None = None
    """What must be unique in the file: the district code (Biểu 01/03) or the reg_no (Biểu 02)."""
    is_section: bool = False
    """A register section row naming no known district (rejected, with the rows under it)."""


class RowRules:
    """How the data rows of one form are read, for one file.

    One instance per file read: it may keep what it has seen (the section a
    register row is under, a ``Trong đó`` breakdown). The reader gives it
    every row after the header that is not blank, totals or column numbers.
    """

    def __init__(self, reader: RowReader) -> None:
        self.reader = reader

    def classify(self, index: int, row: list[object], lead: str) -> None:
        """Give the row its kind: append a :class:`DataRow` to the reader's rows, or mark it.

        Args:
            index: 0-based row of the sheet.
            row: its cells.
            lead: the text naming the row (first non-blank cell up to the key column).
        """
        raise NotImplementedError

    def after_totals_row(self) -> None:
        """A totals row was met (it ends a ``Trong đó`` breakdown); nothing by default."""

    def duplicate_key(self, data_row: DataRow) -> str | None:
        """What must be unique in the file, compared as written here (``None``: the row takes no part)."""
        raise NotImplementedError

    def duplicate_problem(self, data_row: DataRow, rows: str) -> Problem:
        """The problem of a row whose :meth:`duplicate_key` is also the key of ``rows`` (their numbers, listed)."""
        raise NotImplementedError

    def records(self, data_row: DataRow, where: dict) -> list[dict]:
        """The accepted records of an accepted data row, each with ``where`` (source file and row)."""
        raise NotImplementedError


class FormView(Protocol):
    """What the reader asks of a form (:class:`helpers.read.forms.base.Form` is one).

    The reader never imports the forms: they import it (their rules subclass
    :class:`RowRules`), so the two modules do not import each other.
    """

    @property
    def key_field(self) -> str:
        """The field that names a row."""
        ...

    @property
    def value_fields(self) -> tuple[str, ...]:
        """Its numeric fields."""
        ...

    @property
    def rules(self) -> type[RowRules]:
        """The rules its data rows are read by (one instance per file)."""
        ...

    def value_field(self, name: str) -> ValueField:
        """One numeric field: unit, count or amount, signed or not."""
        ...


class RowReader:
    """Gives every row of one located table its kind and reads its data rows (one instance per file).

    The reference tables are looked up through :meth:`district_of`,
    :meth:`known_units` and :meth:`is_marker` only, so that what is read
    against which tables is said in one place.
    """

    def __init__(
        self,
        sheet: Sheet,
        layout: TableLayout,
        form: FormView,
        agency: str | None,
        year: int | None,
        reference: Reference,
    ):
        self.sheet = sheet
        # a year is read against the units valid on 31/12 of that year (raw-data.md § Units over time)
        self.reference = reference.for_year(year) if year is not None else reference
        self.layout = layout
        self.form = form
        self.agency = agency
        self.year = year
        self.fields = layout.fields()
        self.key_column = self.fields.get(form.key_field)
        self.numeric = [f for f in form.value_fields if f in self.fields]
        self.kinds = ["title"] * len(sheet.rows)
        self.rows: list[DataRow] = []
        self.totals_rows: list[int] = []
        self.section_warnings: list[str] = []
        self.approximate: list[ApproximateValue] = []
        self.merged_units = self._merged_key_cells()
        self.rules = form.rules(self)

    def _merged_key_cells(self) -> dict[int, object]:
        """Row → the value of a key cell merged down over it from the row above (a unit naming two rows)."""
        merged: dict[int, object] = {}
        if self.key_column is None:
            return merged
        key, rows = self.key_column.index, self.sheet.rows
        for r0, c0, r1, c1 in self.sheet.merged:
            if c0 <= key <= c1 and r1 > r0 and r0 >= self.layout.first_data_row and r0 < len(rows):
                merged.update({r: rows[r0][c0] for r in range(r0 + 1, min(r1, len(rows) - 1) + 1)})
        return merged

    # -- the reference tables ----------------------------------------------
    def district_of(self, cell: object) -> str | None:
        """The district code a cell names (``TINH`` for the provincial office), ``None`` when it names none."""
        return self.reference.resolve_district(cell)

    def known_units(self, include_province_office: bool, typed: object = None) -> str:
        """The accepted units, for messages (in a year of many units, the five closest to ``typed``)."""
        return self.reference.known_units_text(include_province_office, typed)

    def unit_refusal(self, cell: object) -> str | None:
        """Why a cell names no unit of the year, with the candidates (ambiguous, an ended level); else ``None``."""
        return self.reference.unit_refusal(cell)

    def is_marker(self, kind: str, text: object) -> bool:
        """Whether ``text`` is a marker of ``kind`` (``layout_markers.csv``: totals, note, footer …)."""
        return markers(kind).matches(text)

    # -- classification ----------------------------------------------------
    def run(self) -> None:
        """Give every row its kind; read the data rows.

        ``raw-data.md`` § Rows that are not data never end the table: a row
        with no value in any value column is a note (or blank), wherever it
        is, and the table goes on after it; the footer starts only after the
        last row that holds a value or names a unit.
        """
        self._mark_header_and_blank_rows()
        for index in range(self.layout.first_data_row, len(self.sheet.rows)):
            if self.kinds[index] == "blank":
                continue
            row = self.sheet.rows[index]
            lead = self.lead_text(row)
            if self.is_marker("totals", lead) or self._key_cell_reads_totals(row):
                self.kinds[index] = "totals"
                self.totals_rows.append(index)
                self.rules.after_totals_row()
            elif is_column_number_row(row) and (not self.rows or _numbers_its_columns(row)):
                self.kinds[index] = "column_numbers"  # under a period line or a note, or repeated in the table
            elif self._repeats_the_header(row):
                self.kinds[index] = "header"  # printed with "rows to repeat at top", pasted back as values
            else:
                self.rules.classify(index, row, lead)
        self._footer_after_data()
        self._reject_uncached_formulas()
        self._reject_merged_values()
        self._reject_overlong_csv_rows()
        self._reject_stray_quotes()
        self._reject_duplicates()
        for data_row in self.rows:
            self.kinds[data_row.index] = "rejected" if data_row.problems else "accepted"
        for line, first in self.sheet.continuation.items():
            # a line of a quoted cell is counted with its row's kind once (a data row is counted at its first line)
            self.kinds[line] = self.kinds[first] if self.kinds[first] not in ("accepted", "rejected") else "note"

    def _mark_header_and_blank_rows(self) -> None:
        for index in self.layout.header_rows:
            self.kinds[index] = "header"
        if self.layout.column_numbers_row is not None:
            self.kinds[self.layout.column_numbers_row] = "column_numbers"
        for index, row in enumerate(self.sheet.rows):
            if all(is_blank(cell) for cell in row):
                self.kinds[index] = "blank"

    def _key_cell_reads_totals(self, row: list[object]) -> bool:
        """A totals row numbered like a data row (``9 | Tổng cộng``): its unit cell reads as totals."""
        return (
            self.key_column is not None
            and isinstance(row[self.key_column.index], str)
            and self.is_marker("totals", row[self.key_column.index])
        )

    def _repeats_the_header(self, row: list[object]) -> bool:
        """A row that repeats the header: its unit cell reads the header's, and so does another cell."""
        if self.key_column is None:
            return False
        for header in self.layout.header_rows:
            labels = self.sheet.rows[header]
            same = [
                c
                for c, cell in enumerate(row)
                if isinstance(cell, str) and c < len(labels) and fold_label(cell) == fold_label(labels[c])
            ]
            if self.key_column.index in same and len(same) >= 2:
                return True
        return False

    def not_data(self, index: int, row: list[object]) -> None:
        """A row that is not data: blank when it holds only its STT, else a note (a footer once past the data)."""
        self.kinds[index] = "blank" if self._holds_only_a_row_number(row) else "note"

    def _row_number_index(self) -> int | None:
        column = self.fields.get("row_number")
        return column.index if column else None

    def has_row_number(self, index: int) -> bool:
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

    def lead_text(self, row: list[object]) -> str:
        """The text naming the row: first non-blank cell up to the key column."""
        last = self.key_column.index if self.key_column else len(row) - 1
        for cell in row[: last + 1]:
            if not is_blank(cell):
                return read_text(cell)
        return ""

    def holds_number(self, cell: object) -> bool:
        """Whether a cell of a numeric column holds something that claims to be a value.

        A number, an Excel error, or text with a digit in it (``80 buổi``,
        ``trên 1.000``) does; empty and "not reported" cells, dates, footer and
        note texts (``Ninh Bình, ngày 10 tháng 01 năm 2018``) and words without a
        digit (a signer's name under the value columns) do not.
        """
        if is_blank(cell) or isinstance(cell, bool):
            return not is_blank(cell)
        if excel_error(cell) is not None or isinstance(cell, (int, float)):
            return True
        if not isinstance(cell, str) or is_not_reported(cell, self.reference.not_reported):
            return False
        if self.is_marker("footer", cell) or self.is_marker("note", cell):
            return False
        return any(ch.isdigit() for ch in cell)

    # -- values --------------------------------------------------------------
    def read_numbers(self, index: int, row: list[object], problems: list[Problem]) -> dict[str, Number]:
        """The value columns of a data row; a cell that cannot be read adds its problem to ``problems``."""
        values: dict[str, Number] = {}
        for name in self.numeric:
            column = self.fields[name]
            cell = row[column.index]
            field = self.form.value_field(name)
            try:
                number = read_number(
                    cell,
                    allow_negative=field.is_signed,
                    whole=field.is_count,
                    not_reported=self.reference.not_reported,
                )
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

    # -- checks across rows ------------------------------------------------
    def _footer_after_data(self) -> None:
        """Rows after the last row that holds a value or names a unit are the footer.

        A register section naming no known district there (a signature, a
        name under "Người lập biểu") is footer too: nothing follows it.
        """
        anchors = [r.index for r in self.rows if not r.is_section]
        anchors += [i for i, kind in enumerate(self.kinds) if kind == "section"]
        last = max(anchors, default=self.layout.first_data_row - 1)
        self.rows = [r for r in self.rows if r.index < last or not r.is_section or self.has_row_number(r.index)]
        for index in range(last + 1, len(self.kinds)):
            if self.kinds[index] in ("note", "title"):
                self.kinds[index] = "footer"

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
                data_row.problems.append((column, formula, message("returns.uncached_formula", formula=formula)))
                data_row.record = None

    def _reject_merged_values(self) -> None:
        """A value merged over several data rows cannot be split: every data row it covers is rejected.

        ``raw-data.md`` § A closed world. Only the cells that place a row (its
        number, unit, name, district, commune) may be merged down: a unit merged
        over two rows names both (:meth:`_merged_key_cells`).
        """
        placing = {"row_number", "unit", "name", "district", "commune", self.form.key_field}
        held = {c.index: c for c in self.layout.columns if c.field and c.field not in placing}
        by_index = {data_row.index: data_row for data_row in self.rows}
        for r0, c0, r1, c1 in self.sheet.merged:
            covered = [by_index[r] for r in range(r0, r1 + 1) if r in by_index]
            column = next((held[c] for c in range(c0, c1 + 1) if c in held), None)
            if len(covered) < 2 or column is None:
                continue
            cell = self.sheet.rows[r0][c0]
            for data_row in covered:
                data_row.problems.append((column, cell, message("returns.merged_value", rows=f"{r0 + 1}–{r1 + 1}")))
                data_row.record = None

    def _reject_overlong_csv_rows(self) -> None:
        """A CSV line with more fields than its header (trailing empty fields count): its fields cannot be placed.

        ``1207,5`` typed in a comma-separated file splits in two, and the values
        after the split sit under the wrong labels: the line is rejected, never
        read shifted — a data row, and a note or footer line too (a number may
        hide in it). Blank lines and register sections are left as they are.
        """
        widths = self.sheet.record_widths
        if not widths:
            return
        header_width = max(widths[r] for r in self.layout.header_rows)
        by_index = {data_row.index: data_row for data_row in self.rows}
        for index in range(self.layout.first_data_row, len(widths)):
            if widths[index] <= header_width or self.kinds[index] in ("blank", "section"):
                continue
            reason = message("returns.csv_row_too_long", cells=widths[index], header=header_width)
            self._reject_line(by_index, index, (None, None, reason))

    def _reject_stray_quotes(self) -> None:
        """A CSV line opening a quote that may not cross its line end is rejected, whatever it holds.

        The lines after it were read each on its own
        (:func:`helpers.read.csv_quotes.settle_quotes`). A stray quote in the
        header leaves the header read as typed, with a warning.
        """
        by_index = {data_row.index: data_row for data_row in self.rows}
        for index in sorted(self.sheet.stray_quotes):
            if index < self.layout.first_data_row and self.kinds[index] in ("header", "column_numbers"):
                self.section_warnings.append(message("returns.stray_quote_header", row=index + 1))
                continue
            self._reject_line(by_index, index, (None, None, message("returns.stray_quote")))

    def _reject_line(self, by_index: dict[int, DataRow], index: int, problem: Problem) -> None:
        """Reject row ``index``: a data row gets the problem; any other row becomes a rejected row of its own."""
        data_row = by_index.get(index)
        if data_row is None:
            data_row = DataRow(index, [], None, {})
            by_index[index] = data_row
            self.rows.append(data_row)
            self.rows.sort(key=lambda r: r.index)
            if index in self.totals_rows:
                self.totals_rows.remove(index)
        data_row.problems.append(problem)
        data_row.record = None

    def _reject_duplicates(self) -> None:
        """Rows whose key the form says is unique in a file (a district, a reg_no) and is not: all are rejected."""
        groups: dict[str, list[DataRow]] = defaultdict(list)
        for data_row in self.rows:
            key = self.rules.duplicate_key(data_row)
            if key is not None:
                groups[key].append(data_row)
        for members in groups.values():
            if len(members) < 2:
                continue
            numbers = ", ".join(str(m.index + 1) for m in members)
            for data_row in members:
                data_row.problems.append(self.rules.duplicate_problem(data_row, numbers))
                data_row.record = None
