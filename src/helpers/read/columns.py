"""What the columns of a table are: their letters, their labels as typed, and the field each label names.

The header row is found by :mod:`helpers.read.layout`; this module reads
what its cells mean. A label is matched after folding (``raw-data.md`` §
Layout); in a two-row header a column is named ``<group> - <sub>``; a plan or
ratio column beside a result, a column in another unit than its field's, and
a second visible column for one field are set aside and said, never read.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from helpers.messages import message
from helpers.read.labels import match_column, match_label
from helpers.read.sheets import Sheet
from helpers.read.values import is_blank
from helpers.reference import value_field_table
from helpers.text import fold_label, to_nfc

_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2}|[A-Za-z])\s*\)?(\s*=.*)?$")


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 → ``A``, 26 → ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def one_line(text: object) -> str:
    """A header label as typed, on one line (for messages and the ledger)."""
    return " ".join(to_nfc(text).split())


@dataclass(frozen=True)
class Column:
    """A column of the table: where it is, its label as typed, and its field (or ``None``)."""

    index: int
    label: str
    field: str | None

    @property
    def letter(self) -> str:
        """The spreadsheet letter of the column."""
        return column_letter(self.index)


@dataclass
class TableLayout:
    """Where the table of a sheet is and what its columns mean.

    Attributes:
        header_rows: 0-based indexes of the header rows (one or two).
        column_numbers_row: 0-based index of the column-number row, if any.
        columns: every labelled or non-empty column, in sheet order.
        ignored: columns that map to no field, with the reason.
        problems: what makes part of the file unusable (two visible columns for one field).
    """

    header_rows: list[int]
    column_numbers_row: int | None
    columns: list[Column]
    ignored: list[tuple[Column, str]]
    problems: list[str] = dataclasses.field(default_factory=list)
    mapped: int = 0
    """Columns whose label names a field (read, set aside as plan/ratio, or in conflict): compares header readings."""

    @property
    def first_data_row(self) -> int:
        """0-based index of the first row after the header block."""
        last = self.column_numbers_row if self.column_numbers_row is not None else self.header_rows[-1]
        return last + 1

    def fields(self) -> dict[str, Column]:
        """Field → column for the columns that map to a field."""
        return {column.field: column for column in self.columns if column.field}


def field_name(field: str) -> str:
    """A field as people read it: the indicator's Vietnamese name, else its id.

    ``training_sessions`` → ``Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề``.
    """
    from helpers.reference.catalogue import catalogue

    indicator = catalogue().get(field)
    return indicator.name_vi if indicator else field


def is_column_number_row(row: list[object]) -> bool:
    """Whether a row is the column-number row ``(1) (2) …``, ``1 2 …`` or ``A B 1 2 …``."""
    tokens = [cell for cell in row if not is_blank(cell)]
    if len(tokens) < 2:
        return False
    for cell in tokens:
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        if isinstance(cell, bool) or not isinstance(cell, (int, str)):
            return False
        if not _COLUMN_NUMBER.match(str(cell).strip()):
            return False
    return True


def _filled_header(sheet: Sheet, rows: list[int]) -> list[list[object]]:
    """Header rows with every merged range filled with its top-left value."""
    filled = [list(sheet.rows[r]) for r in rows]
    for r0, c0, r1, c1 in sheet.merged:
        value = sheet.rows[r0][c0] if r0 < len(sheet.rows) and c0 < len(sheet.rows[r0]) else None
        for position, r in enumerate(rows):
            if r0 <= r <= r1:
                for c in range(c0, min(c1, len(filled[position]) - 1) + 1):
                    filled[position][c] = value
    return filled


def layout_of(sheet: Sheet, header_rows: list[int], template: str, year: int | None = None) -> TableLayout:
    """The layout read with the given header rows (one, or a group row over a sub row).

    Labels match only as listed (:func:`helpers.read.labels.match_label`). In
    a two-row header a column is named by ``<group> - <sub>``, or by the
    group alone when the sub cell is its result, unit or year
    (:func:`~helpers.read.labels.match_column`): never by the sub cell alone under a group of
    another meaning (``Chuyển giao KHKT`` over ``Số buổi tập huấn`` is not
    training). Plan and ratio columns, and columns whose label says more than
    an indicator (``lũy kế``, another year), are reported as ignored; a group
    naming an indicator none of whose columns is the year's figure is an error.
    """
    header = header_rows[0]
    two_rows = len(header_rows) == 2
    filled = _filled_header(sheet, header_rows)
    tops = filled[0]
    subs = filled[1] if two_rows else [None] * len(tops)
    raw_tops = sheet.rows[header]
    found: list[Column] = []
    set_aside: list[tuple[Column, str]] = []
    extended: list[tuple[Column, str]] = []
    unknown: list[Column] = []
    problems: list[str] = []
    groups: dict[str, list[tuple[Column, bool]]] = {}
    last_group: object = None
    for index, top in enumerate(tops):
        sub = subs[index]
        if two_rows and is_blank(raw_tops[index]) and not is_blank(sub) and is_blank(top):
            top = last_group  # a group cell typed once over several sub cells, not merged
        if not is_blank(raw_tops[index]):
            # a group only if a sub cell of its own is typed under it (a label merged down over both rows is not)
            raw_sub = sheet.rows[header_rows[1]][index] if two_rows else None
            last_group = (
                raw_tops[index]
                if not is_blank(raw_sub) and fold_label(raw_sub) != fold_label(raw_tops[index])
                else None
            )
        parts = [cell for cell in (top, sub) if not is_blank(cell)]
        if not parts:
            continue  # unlabelled: reported by the row reader if data rows use it
        distinct = len(parts) == 2 and fold_label(parts[0]) != fold_label(parts[1])
        label = f"{one_line(parts[0])} - {one_line(parts[1])}" if distinct else one_line(parts[-1])
        match, is_plan, is_ratio = match_column(parts if distinct else parts[-1:], label, template, year)
        field = match.field
        column = Column(index, label, field)
        if distinct:
            groups.setdefault(one_line(parts[0]), []).append((column, match.near is not None))
        if field and (is_plan or is_ratio):
            key = "layout.plan_column" if is_plan else "layout.ratio_column"
            set_aside.append((Column(index, label, None), message(key, field=field_name(field))))
        elif field and match.foreign_unit is not None:
            own = value_field_table(template)[field].unit
            unit = match.foreign_unit
            set_aside.append((Column(index, label, None), message("layout.foreign_unit_column", unit=unit, own=own)))
            problems.append(
                message(
                    "layout.foreign_unit",
                    letter=column.letter,
                    label=label,
                    unit=unit,
                    field=field_name(field),
                    own=own,
                )
            )
        elif field:
            found.append(column)
        elif match.near:
            reason = message("layout.says_more", field=field_name(match.near), extra=match.extra)
            extended.append((Column(index, label, None), reason))
        else:
            unknown.append(column)
    problems += _groups_not_read(groups, found, template, year)
    columns, ignored, resolve_problems = _resolve_fields(found, sheet.hidden_columns)
    ignored += set_aside + extended + [(c, message("layout.unknown_column")) for c in unknown]
    columns += [c for c, _ in set_aside + extended] + unknown
    columns.sort(key=lambda c: c.index)
    ignored.sort(key=lambda item: item[0].index)
    below = sheet.next_row(header_rows[-1])
    column_numbers_row = below if below < len(sheet.rows) and is_column_number_row(sheet.rows[below]) else None
    layout = TableLayout(header_rows, column_numbers_row, columns, ignored, problems + resolve_problems)
    layout.mapped = len(found) + len(set_aside)
    return layout


def _groups_not_read(
    groups: dict[str, list[tuple[Column, bool]]], found: list[Column], template: str, year: int | None
) -> list[str]:
    """An error for each group naming an indicator over several columns, none of them the year's figure.

    ``Số buổi tập huấn`` over ``Cùng kỳ năm trước | Năm nay``: neither column
    is read, and the indicator is not read from the file — said as an error,
    since the year's figure is there but not marked as such.
    """
    problems = []
    read_fields = {column.field for column in found}
    for group, members in groups.items():
        field = match_label(group, template, year).field
        if field is None or field in read_fields or len(members) < 2 or not any(s for _, s in members):
            continue  # one column that says more is ignored and reported, like a one-row label
        letters = message("layout.and").join(f"{c.letter} ('{c.label}')" for c, _ in members)
        problems.append(message("layout.group_not_read", letters=letters, group=group, field=field_name(field)))
    return problems


def _resolve_fields(
    found: list[Column], hidden: frozenset[int]
) -> tuple[list[Column], list[tuple[Column, str]], list[str]]:
    """One column per field: a visible column beats a hidden one; two visible columns make the field unusable."""
    by_field: dict[str, list[Column]] = {}
    for column in found:
        by_field.setdefault(column.field, []).append(column)
    columns: list[Column] = []
    ignored: list[tuple[Column, str]] = []
    problems: list[str] = []
    for name, group in by_field.items():
        if len(group) == 1:
            columns.append(group[0])
            continue
        visible = [c for c in group if c.index not in hidden]
        if len(visible) == 1:
            chosen = visible[0]
            columns.append(chosen)
            for other in group:
                if other is not chosen:
                    ignored.append(
                        (
                            Column(other.index, other.label, None),
                            message("layout.hidden_duplicate", label=chosen.label, letter=chosen.letter),
                        )
                    )
            continue
        letters = message("layout.and").join(f"{c.letter} ('{c.label}')" for c in group)
        problems.append(message("layout.two_visible", letters=letters, field=field_name(name)))
        for column in group:
            ignored.append(
                (
                    Column(column.index, column.label, None),
                    message("layout.one_of_columns", count=len(group), field=field_name(name), letters=letters),
                )
            )
            columns.append(Column(column.index, column.label, None))
    return columns, ignored, problems
