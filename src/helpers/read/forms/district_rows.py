"""The rows of the forms whose data rows are districts (Biểu 01, Biểu 03): one row per district.

A row is data when it names a unit (a district, or the provincial office
where the form allows it) or holds a value; an unknown unit, a row under
``Trong đó`` (a breakdown of the row above) and a district typed twice are
rejected with their reasons (``raw-data.md`` § Biểu 01, § Biểu 03).
"""

from __future__ import annotations

from helpers.messages import message
from helpers.read.rows import DataRow, Problem, RowReader, RowRules
from helpers.read.values import excel_error, excel_error_problem, is_blank, read_text
from helpers.reference import PROVINCE_OFFICE


class DistrictRows(RowRules):
    """Rows of a form with one row per district; :meth:`records` is the form's own."""

    def __init__(self, reader: RowReader) -> None:
        super().__init__(reader)
        self.in_subset = False
        """Whether the rows read are a ``Trong đó`` breakdown of the row above it."""

    def after_totals_row(self) -> None:
        """A totals row ends a ``Trong đó`` breakdown."""
        self.in_subset = False

    def classify(self, index: int, row: list[object], lead: str) -> None:
        """A row is data when it holds a value or names a unit; else it is a note."""
        reader = self.reader
        is_subset_row = reader.is_marker("subset", lead)
        if is_subset_row:
            self.in_subset = True
        unit = row[reader.key_column.index] if reader.key_column else None
        if is_blank(unit):
            unit = reader.merged_units.get(index)  # a unit cell merged down over two rows names both
        code = reader.district_of(unit) if not is_blank(unit) and not is_subset_row else None
        if code is None and not any(reader.holds_number(row[reader.fields[name].index]) for name in reader.numeric):
            reader.not_data(index, row)
            return
        # a breakdown goes on over bulleted lines ("- Nho Quan"), and ends at the next district row
        self.in_subset = self.in_subset and (code is None or reader.is_marker("bullet", unit))
        reader.rows.append(self._read_row(index, row, unit, code))

    def _read_row(self, index: int, row: list[object], unit: object, code: str | None) -> DataRow:
        reader, form = self.reader, self.reader.form
        problems: list[Problem] = []
        if self.in_subset:
            reason = message("returns.subset_row", unit=read_text(unit), template=form.sheet_name)
            problems.append((reader.key_column, unit, reason))
        elif is_blank(unit):
            problems.append((reader.key_column, unit, message("returns.unit_empty")))
        elif (shown := excel_error(unit)) is not None:
            problems.append((reader.key_column, unit, str(excel_error_problem(shown))))
            code = None
        elif code is None or (code == PROVINCE_OFFICE and not form.allows_province_office):
            reason = (code is None and reader.unit_refusal(unit)) or message(
                "returns.unknown_unit",
                unit=read_text(unit),
                template=form.sheet_name,
                known=reader.known_units(form.allows_province_office, unit),
            )
            problems.append((reader.key_column, unit, reason))
            code = None
        values = reader.read_numbers(index, row, problems)
        record = None if problems else {"district": code, "values": values}
        return DataRow(index, problems, record, values, key=code)

    def duplicate_key(self, data_row: DataRow) -> str | None:
        """The district code, of a row that reports something.

        A district row that reports nothing (a sub-title ``I | Cấp tỉnh``)
        adds nothing, so it is no duplicate.
        """
        if data_row.key is None or data_row.problems:
            return None
        return data_row.key if any(number.value is not None for number in data_row.values.values()) else None

    def duplicate_problem(self, data_row: DataRow, rows: str) -> Problem:
        """The same district twice: every row of it is rejected."""
        value = self.reader.sheet.rows[data_row.index][self.reader.key_column.index]
        reason = message("returns.duplicate_unit", unit=read_text(value), code=data_row.key, rows=rows)
        return self.reader.key_column, value, reason
