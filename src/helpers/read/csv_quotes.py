"""Quotes that cross a line end in a CSV return: a cell with a line break, or a stray quote.

``raw-data.md`` § A closed world: a quoted field may hold a line break
(Excel writes a two-line header label ``"SỐ BUỔI TẬP HUẤN`` / ``(buổi)"``
that way) — but only while none of the lines it takes in would be a row on
its own (names a unit, or holds a number in a value position). Otherwise the
quote is a stray one: the line where it opens is rejected (even a note) and
every following line is read as its own row. No line ever disappears.

Whether a line would be a row on its own is read from the table: the lines
are first read each on its own (:attr:`Sheet.rows` of a CSV), the header is
found and every row given its kind; then each quote is settled:

* a quote opened in the header (or in the rows under it, before the data)
  may take in lines that hold no number under a value column and name no
  unit (a header label goes on: ``(buổi)"``, ``năm 2017"`` under the STT);
* a quote opened in the title block may not reach the header;
* a quote opened among the data may take in only lines that, read on their
  own, are no data, totals, section, header or column-number row (a note
  goes on over a second line of words).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from helpers.errors import FileProblem
from helpers.read.columns import TableLayout, is_column_number_row
from helpers.read.forms import form_of
from helpers.read.layout import locate_table
from helpers.read.rows import RowReader
from helpers.read.sheets import Sheet
from helpers.read.values import is_blank
from helpers.reference import Reference

ROWS_OF_THEIR_OWN = ("accepted", "rejected", "totals", "section", "header", "column_numbers")
"""Kinds of a line, read on its own, that a quoted cell may never take in."""

PLACE_FIELDS = ("row_number", "unit", "name", "district", "commune")
"""Fields that place a row rather than hold its values: under them a header label may go on."""


def settle_quotes(sheet: Sheet, template: str, reference: Reference, agency: str | None, year: int | None) -> Sheet:
    """The CSV sheet with each quoted line break either kept (one cell over several lines) or a stray quote.

    A record kept over lines ``i..j`` sits in row ``i``; rows ``i+1..j`` are
    empty and listed in :attr:`Sheet.continuation`. A stray quote's line is in
    :attr:`Sheet.stray_quotes` and every line keeps its own reading.
    Sheets without a quote left open at a line end come back unchanged.

    Two passes: the quotes opened above the data (title, header) first, with
    the header read line by line; then, with the header settled, the quotes
    opened among the data, against the kind every line has when read on its own.
    """
    if not sheet.csv_open_quotes:
        return sheet
    layout = _layout(sheet, template, year)
    if layout is None:
        return _settle(
            sheet,
            range(len(sheet.rows)),
            lambda opened, line: _holds_a_number_or_a_unit(sheet.rows[line], None, reference),
        )
    header, data = layout.header_rows[0], layout.first_data_row

    def above_the_data(opened: int, line: int) -> bool:
        if opened < header:
            return line >= header  # a title may go on over lines, never into the header
        return _holds_a_number_or_a_unit(sheet.rows[line], layout, reference)

    sheet = _settle(sheet, range(data), above_the_data)
    layout = _layout(sheet, template, year) or layout
    alone = dataclasses.replace(sheet, record_widths=(), csv_open_quotes=frozenset(), csv_spans={})
    reader = RowReader(alone, layout, form_of(template), agency, year, reference)
    reader.run()
    kinds = reader.kinds
    return _settle(
        sheet, range(layout.first_data_row, len(sheet.rows)), lambda _, line: kinds[line] in ROWS_OF_THEIR_OWN
    )


def _layout(sheet: Sheet, template: str, year: int | None) -> TableLayout | None:
    try:
        return locate_table(sheet, template, year)
    except FileProblem:
        return None


def _settle(sheet: Sheet, lines: range, is_own_row: Callable[[int, int], bool]) -> Sheet:
    """Settle the quotes left open on ``lines``: ``is_own_row(opened, line)`` says a taken-in line may not be."""
    rows = [list(row) for row in sheet.rows]
    widths = list(sheet.record_widths)
    continuation = dict(sheet.continuation)
    stray = set(sheet.stray_quotes)
    settled = set()
    index = lines.start
    while index < lines.stop:
        if index not in sheet.csv_open_quotes:
            index += 1
            continue
        settled.add(index)
        span = sheet.csv_spans.get(index)
        taken_in = range(index + 1, span[0] + 1) if span else range(0)
        if span is None or any(is_own_row(index, line) for line in taken_in):
            stray.add(index)
            index += 1
            continue
        rows[index] = list(span[1])
        widths[index] = len(span[1])
        for line in taken_in:
            rows[line] = []
            continuation[line] = index
            settled.add(line)
        index = span[0] + 1
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        row.extend([None] * (width - len(row)))
    return dataclasses.replace(
        sheet,
        rows=rows,
        record_widths=tuple(widths),
        continuation=continuation,
        stray_quotes=frozenset(stray),
        csv_spans={line: span for line, span in sheet.csv_spans.items() if line not in settled},
        csv_open_quotes=sheet.csv_open_quotes - settled,
    )


def _holds_a_number_or_a_unit(row: list[object], layout: TableLayout | None, reference: Reference) -> bool:
    """A digit under a value column (any column when the table is not known), or a known unit in any cell."""
    if is_column_number_row(row):
        return True
    values = None if layout is None else {c.index for c in layout.columns if c.field and c.field not in PLACE_FIELDS}
    for index, cell in enumerate(row):
        if is_blank(cell):
            continue
        if reference.resolve_district(cell) is not None:
            return True
        if (values is None or index in values) and any(char.isdigit() for char in str(cell)):
            return True
    return False
