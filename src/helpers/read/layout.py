"""Finding the table inside a printed-form sheet: header, columns, column numbers.

``raw-data.md`` § Layout: a title block, then a header (the first row with a
cell reading ``Đơn vị``, ``Địa bàn``, ``Huyện/thành phố``, ``Huyện, thành phố``
or, in Biểu 02, ``Tên HTX``) that may span two rows (a merged group cell over
sub cells, read as ``<group> - <sub>``), then an optional column-number row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from helpers.errors import FileProblem
from helpers.messages import message
from helpers.read.sheets import Sheet
from helpers.read.values import CellProblem, is_blank, is_not_reported, read_number
from helpers.reference import (
    column_labels,
    markers,
    read_reference_table,
    scaled_units,
    unit_aliases,
    value_field_table,
)
from helpers.text import fold_label, to_nfc

HEADER_KEY_FIELDS = {"01": ("unit",), "02": ("name", "district"), "03": ("district",)}
"""Fields whose label marks the header row, per template."""

KEY_FIELD = {"01": "unit", "02": "name", "03": "district"}
"""The field that names what a data row is about (unit, HTX name, district)."""

TEMPLATE_NAMES = {"01": "Biểu 01", "02": "Biểu 02", "03": "Biểu 03"}

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
    problems: list[str] = field(default_factory=list)
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
    """A field as people read it: the indicator's Vietnamese name (``training_sessions`` → ``Số buổi tập huấn…``), else its id."""
    from helpers.compute.catalogue import catalogue

    indicator = catalogue().get(field)
    return indicator.name_vi if indicator else field


def header_key_labels(template: str) -> set[str]:
    """Folded labels that mark the header row of a template."""
    keys = HEADER_KEY_FIELDS[template]
    return {label for label, field in column_labels(template).items() if field in keys}


def header_key_text(template: str) -> str:
    """The header labels of a template, for messages."""
    keys = HEADER_KEY_FIELDS[template]
    return ", ".join(
        f"'{row['label']}'"
        for row in read_reference_table("column_labels.csv")
        if row["template"] == template and row["field"] in keys
    )


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


def locate_table(sheet: Sheet, template: str) -> TableLayout:
    """Find the header of ``sheet`` and map its columns to the template's fields.

    Raises:
        FileProblem: when no header row is found, or the header names none of
            the template's value columns.
    """
    labels = column_labels(template)
    key_labels = header_key_labels(template)
    key_fields = set(HEADER_KEY_FIELDS[template]) | {"row_number"}
    first_key_row: TableLayout | None = None
    for index, row in enumerate(sheet.rows):
        if not any(fold_label(cell) in key_labels for cell in row if isinstance(cell, str)):
            continue
        layout = _read_header(sheet, index, labels, template)
        if any(column.field and column.field not in key_fields for column in layout.columns) or layout.problems:
            return layout  # (a header whose value columns are all in conflict is the header: the conflict is said)
        first_key_row = first_key_row or layout
    if first_key_row is not None:
        row_number = first_key_row.header_rows[0] + 1
        found = ", ".join(f"'{column.label}'" for column in first_key_row.columns if column.label) or message(
            "layout.no_labels"
        )
        raise FileProblem(
            f"{sheet.where} › {message('where.row', row=row_number)}",
            message("layout.no_value_columns", template=TEMPLATE_NAMES[template], found=found),
            message(
                "layout.no_value_columns_action", template=TEMPLATE_NAMES[template], examples=_example_labels(template)
            ),
        )
    raise FileProblem(
        sheet.where,
        message("layout.no_header", keys=header_key_text(template)),
        message("layout.no_header_action", template=TEMPLATE_NAMES[template]),
    )


def _example_labels(template: str) -> str:
    seen: dict[str, str] = {}
    for row in read_reference_table("column_labels.csv"):
        if row["template"] == template and row["field"] not in ("row_number", *HEADER_KEY_FIELDS[template]):
            seen.setdefault(row["field"], row["label"])
    return ", ".join(f"'{label}'" for label in list(seen.values())[:3])


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


def _is_sub_header(sheet: Sheet, header: int, labels: dict[str, str]) -> bool:
    """Whether the row under the header holds the sub cells of a two-row header.

    It may when every filled cell is text that is not a number and the key
    column is empty (or merged down from the header); :func:`_read_header`
    then keeps it only if reading two rows maps more columns (or splits plan
    from result). A period line such as ``(Số liệu từ ngày 01/01/2017 …)``
    right under the header maps nothing: it is a note, not part of the header.
    """
    below = header + 1
    if below >= len(sheet.rows):
        return False
    row = sheet.rows[below]
    if is_column_number_row(row):
        return False
    texts = []
    for index, cell in enumerate(row):
        if is_blank(cell):
            continue
        if not isinstance(cell, str) or is_not_reported(cell):
            return False
        try:
            read_number(cell)
        except CellProblem:
            texts.append(index)
            continue
        return False
    if not texts:
        return False
    # A data row names its unit in the key column; a sub-header row leaves it
    # empty (or merged from the header above).
    top = sheet.rows[header]
    key_columns = [
        c
        for c, cell in enumerate(top)
        if fold_label(cell) in labels and labels[fold_label(cell)] in ("unit", "name", "district")
    ]
    merged_down = {c for r0, c0, r1, c1 in sheet.merged if r0 <= header < below <= r1 for c in range(c0, c1 + 1)}
    return all(is_blank(row[c]) or c in merged_down for c in key_columns)


def is_plan_or_result(cell: object) -> bool:
    """Whether a header cell reads as the plan or the result half of an indicator (``Kế hoạch``, ``Thực hiện`` …)."""
    return markers("plan").matches(cell) or markers("result").matches(cell)


def _read_header(sheet: Sheet, header: int, labels: dict[str, str], template: str) -> TableLayout:
    one_row = _layout_of(sheet, [header], labels, template)
    if not _is_sub_header(sheet, header, labels):
        return one_row
    two_rows = _layout_of(sheet, [header, header + 1], labels, template)
    below = sheet.rows[header + 1]
    splits_plan = any(is_plan_or_result(cell) or markers("ratio").matches(cell) for cell in below)
    if splits_plan or _has_sub_cells_under_a_group(sheet, header) or two_rows.mapped > one_row.mapped:
        return two_rows
    return one_row


def _has_sub_cells_under_a_group(sheet: Sheet, header: int) -> bool:
    """Whether the row under the header holds sub cells under a group cell.

    A group is a header cell merged over several columns, or a label typed
    once over sub cells that run to its right under empty header cells (the
    cell under the label then holds a sub cell too). A note typed under an
    empty header cell beyond the table is not under a group.
    """
    top, below = sheet.rows[header], sheet.rows[header + 1]
    merged_groups = [(c0, c1) for r0, c0, r1, c1 in sheet.merged if r0 <= header <= r1 and c1 > c0 and r1 < header + 1]
    if any(not is_blank(below[c]) for c0, c1 in merged_groups for c in range(c0, min(c1, len(below) - 1) + 1)):
        return True
    for index, cell in enumerate(below):
        if is_blank(cell) or not is_blank(top[index]) or index == 0:
            continue
        group = next((g for g in range(index - 1, -1, -1) if not is_blank(top[g])), None)
        if group is not None and not is_blank(below[group]):
            return True
    return False


def is_plan_or_result(cell: object) -> bool:
    """Whether a header cell reads as the plan or the result half of an indicator (``Kế hoạch``, ``Thực hiện`` …)."""
    return markers("plan").matches(cell) or markers("result").matches(cell)


_LABEL_ORDINAL = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-z])\s*[.)/]\s+")
"""A label numbered in the header: ``1. Số buổi tập huấn``, ``a) Bản tin``."""
_TRAILING_UNIT = re.compile(r"\(([^()]*)\)\s*$")


def _foreign_unit(label: str, field: str | None, template: str) -> str | None:
    """A unit in parentheses at the end of a label that is not the field's own.

    ``(kg)`` or ``(triệu đồng)`` over a column of tấn, ``(tỷ đồng)`` over one of
    triệu đồng: a unit this project knows (``value_fields.csv``,
    ``scaled_units.csv``) but another than the field's. Folding drops a
    trailing unit to match the label, so it is checked here: the column is
    never read in the wrong unit.
    """
    match = _TRAILING_UNIT.search(label)
    own = value_field_table(template).get(field) if field else None
    if not match or own is None:
        return None
    typed = fold_label(match[1].replace(".", " "))
    if typed == fold_label(own.unit) or typed in unit_aliases(own.unit):
        return None
    known = set(scaled_units()) | {
        fold_label(f.unit) for t in ("01", "02", "03") for f in value_field_table(t).values()
    }
    return match[1].strip() if typed in known else None


def _layout_of(sheet: Sheet, header_rows: list[int], labels: dict[str, str], template: str) -> TableLayout:
    """The layout read with the given header rows (one, or a group row over a sub row).

    In a two-row header a column is named by ``<group> - <sub>``, or by the
    group alone when the sub cell qualifies it (``Số buổi tập huấn`` over
    ``Thực hiện``, ``Năm nay``): never by the sub cell alone under a group
    of another meaning (``Chuyển giao KHKT`` over ``Số buổi tập huấn`` is not
    training). Plan and ratio columns are reported as ignored.
    """
    header = header_rows[0]
    two_rows = len(header_rows) == 2
    filled = _filled_header(sheet, header_rows)
    tops = filled[0]
    subs = filled[1] if two_rows else [None] * len(tops)
    raw_tops = sheet.rows[header]
    found: list[Column] = []
    set_aside: list[tuple[Column, str]] = []
    unknown: list[Column] = []
    problems: list[str] = []
    last_group: object = None
    for index, top in enumerate(tops):
        sub = subs[index]
        if two_rows and is_blank(raw_tops[index]) and not is_blank(sub) and is_blank(top):
            top = last_group  # a group cell typed once over several sub cells, not merged
        if not is_blank(raw_tops[index]):
            # a group only if a sub cell of its own is typed under it (a label merged down over both rows is not)
            raw_sub = sheet.rows[header + 1][index] if two_rows else None
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
        if distinct:
            is_plan = any(markers("plan").matches(cell) for cell in parts)
            is_ratio = any(markers("ratio").matches(cell) for cell in parts)
            named = [cell for cell in parts if not is_plan_or_result(cell) and not markers("ratio").matches(cell)]
            candidates = [label, one_line(parts[0])] if len(named) == 2 else [one_line(cell) for cell in named]
        else:
            is_plan = is_ratio = False
            candidates = [label]
        candidates += [_LABEL_ORDINAL.sub("", c, count=1) for c in candidates if _LABEL_ORDINAL.match(c)]
        field = next((labels[fold_label(c)] for c in candidates if fold_label(c) in labels), None)
        column = Column(index, label, field)
        if field and (is_plan or is_ratio):
            key = "layout.plan_column" if is_plan else "layout.ratio_column"
            set_aside.append((Column(index, label, None), message(key, field=field_name(field))))
        elif field and (unit := _foreign_unit(label, field, template)) is not None:
            own = value_field_table(template)[field].unit
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
        else:
            unknown.append(column)
    columns, ignored, resolve_problems = _resolve_fields(found, sheet.hidden_columns)
    ignored += set_aside + [(c, message("layout.unknown_column")) for c in unknown]
    columns += [c for c, _ in set_aside] + unknown
    columns.sort(key=lambda c: c.index)
    ignored.sort(key=lambda item: item[0].index)
    below = header_rows[-1] + 1
    column_numbers_row = below if below < len(sheet.rows) and is_column_number_row(sheet.rows[below]) else None
    layout = TableLayout(header_rows, column_numbers_row, columns, ignored, problems + resolve_problems)
    layout.mapped = len(found) + len(set_aside)
    return layout


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
    for field, group in by_field.items():
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
        problems.append(message("layout.two_visible", letters=letters, field=field_name(field)))
        for column in group:
            ignored.append(
                (
                    Column(column.index, column.label, None),
                    message("layout.one_of_columns", count=len(group), field=field_name(field), letters=letters),
                )
            )
            columns.append(Column(column.index, column.label, None))
    return columns, ignored, problems
