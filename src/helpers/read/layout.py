"""Finding the table inside a printed-form sheet: its header row (one or two rows) and column-number row.

``raw-data.md`` § Layout: a title block, then a header (the first row with a
cell reading ``Đơn vị``, ``Địa bàn``, ``Huyện/thành phố``, ``Huyện, thành phố``
or, in Biểu 02, ``Tên HTX``: the form's header fields) that may span two rows
(a merged group cell over sub cells, read as ``<group> - <sub>``), then an
optional column-number row. What each header cell means is read by
:mod:`helpers.read.columns`.
"""

from __future__ import annotations

from helpers.errors import FileProblem
from helpers.messages import message
from helpers.read.columns import (
    Column,
    TableLayout,
    column_letter,
    is_column_number_row,
    layout_of,
    one_line,
)
from helpers.read.forms import FORMS, form_of
from helpers.read.labels import is_plan_or_result, names_another_period
from helpers.read.sheets import Sheet
from helpers.read.values import CellProblem, is_blank, is_not_reported, read_number
from helpers.reference import column_labels, markers, read_reference_table
from helpers.text import fold_label

__all__ = [
    "TEMPLATE_NAMES",
    "Column",
    "TableLayout",
    "column_letter",
    "header_key_labels",
    "header_key_text",
    "is_column_number_row",
    "locate_table",
    "one_line",
]

TEMPLATE_NAMES = {code: form.sheet_name for code, form in FORMS.items()}
"""Form code → its name in messages (``Biểu 01``)."""


def header_key_labels(template: str) -> set[str]:
    """Folded labels that mark the header row of a form."""
    keys = form_of(template).header_fields
    return {label for label, field in column_labels(template).items() if field in keys}


def header_key_text(template: str) -> str:
    """The header labels of a form, for messages."""
    keys = form_of(template).header_fields
    return ", ".join(
        f"'{row['label']}'"
        for row in read_reference_table("column_labels.csv")
        if row["template"] == template and row["field"] in keys
    )


def locate_table(sheet: Sheet, template: str, year: int | None = None) -> TableLayout:
    """Find the header of ``sheet`` and map its columns to the form's fields.

    ``year`` is the return's year: a label may end with it (``năm 2017``), and a
    label naming another year is another column (:mod:`helpers.read.labels`).

    Raises:
        FileProblem: when no header row is found, or the header names none of
            the form's value columns.
        UnknownForm: when ``template`` is the code of no form.
    """
    form = form_of(template, sheet.where)
    labels = column_labels(template)
    key_labels = header_key_labels(template)
    key_fields = {*form.header_fields, "row_number"}
    first_key_row: TableLayout | None = None
    for index, row in enumerate(sheet.rows):
        if not any(fold_label(cell) in key_labels for cell in row if isinstance(cell, str)):
            continue
        layout = _read_header(sheet, index, labels, template, year)
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
            message("layout.no_value_columns", template=form.sheet_name, found=found),
            message("layout.no_value_columns_action", template=form.sheet_name, examples=_example_labels(template)),
        )
    raise FileProblem(
        sheet.where,
        message("layout.no_header", keys=header_key_text(template)),
        message("layout.no_header_action", template=form.sheet_name),
    )


def _example_labels(template: str) -> str:
    seen: dict[str, str] = {}
    not_values = ("row_number", *form_of(template).header_fields)
    for row in read_reference_table("column_labels.csv"):
        if row["template"] == template and row["field"] not in not_values:
            seen.setdefault(row["field"], row["label"])
    return ", ".join(f"'{label}'" for label in list(seen.values())[:3])


def _is_sub_header(sheet: Sheet, header: int, labels: dict[str, str], key_fields: tuple[str, ...]) -> bool:
    """Whether the row under the header holds the sub cells of a two-row header.

    It may when every filled cell is text that is not a number and the key
    column is empty (or merged down from the header); :func:`_read_header`
    then keeps it only if reading two rows maps more columns (or splits plan
    from result). A period line such as ``(Số liệu từ ngày 01/01/2017 …)``
    right under the header maps nothing: it is a note, not part of the header.
    """
    below = sheet.next_row(header)
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
        c for c, cell in enumerate(top) if fold_label(cell) in labels and labels[fold_label(cell)] in key_fields
    ]
    merged_down = {c for r0, c0, r1, c1 in sheet.merged if r0 <= header < below <= r1 for c in range(c0, c1 + 1)}
    return all(is_blank(row[c]) or c in merged_down for c in key_columns)


def _read_header(sheet: Sheet, header: int, labels: dict[str, str], template: str, year: int | None) -> TableLayout:
    one_row = layout_of(sheet, [header], template, year)
    if not _is_sub_header(sheet, header, labels, form_of(template).header_fields):
        return one_row
    two_rows = layout_of(sheet, [header, sheet.next_row(header)], template, year)
    below = sheet.rows[sheet.next_row(header)]
    splits_plan = any(is_plan_or_result(cell) or markers("ratio").matches(cell) for cell in below)
    if splits_plan or _has_sub_cells_under_a_group(sheet, header) or two_rows.mapped > one_row.mapped:
        return two_rows
    # "Lũy kế" or "Cùng kỳ năm trước" under an indicator's label: the column is not the year's (contract, 2026-12-07)
    # (a note or a place-and-date line there is not a sub cell: "Ninh Bình, ngày 10 tháng 01 năm 2018")
    mapped = {column.index for column in one_row.columns if column.field}
    if any(c in mapped and _names_another_period(cell, year) for c, cell in enumerate(below)):
        return two_rows
    return one_row


def _names_another_period(cell: object, year: int | None) -> bool:
    """A sub cell naming a cumulative, previous-year or other period (``Lũy kế``), not a note or a footer line."""
    return (
        isinstance(cell, str)
        and names_another_period(cell, year)
        and not markers("note").matches(cell)
        and not markers("footer").matches(cell)
    )


def _has_sub_cells_under_a_group(sheet: Sheet, header: int) -> bool:
    """Whether the row under the header holds sub cells under a group cell.

    A group is a header cell merged over several columns, or a label typed
    once over sub cells that run to its right under empty header cells (the
    cell under the label then holds a sub cell too). A note typed under an
    empty header cell beyond the table is not under a group.
    """
    top, below = sheet.rows[header], sheet.rows[sheet.next_row(header)]
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
