"""Declared corrections: known errors of a source return fixed by data, never by editing raw files.

``data/corrections.csv`` (beside ``raw/``) has one row per corrected cell:

* ``year`` — the programme year of the return;
* ``agency`` — the agency code of a Biểu 01 return, or ``THT`` for Biểu 03;
* ``district`` — the unit of the row (a code such as ``373`` or a name such as ``Gia Viễn``; ``TINH`` for the
  provincial office);
* ``column`` — the field, e.g. ``training_sessions`` or ``tht_count``;
* ``action`` — ``set`` (replace with ``value``) or ``clear`` (not reported);
* ``value`` — the corrected value (for ``set``), typed as in a return;
* ``guard`` — the cell exactly as the source return has it now. The correction
  applies only while the source still reads so: once the agency fixes its
  return, the guard fails and the run says to remove the correction;
* ``reason`` — why (who confirmed it, when).

Every applied correction is listed in the review's ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.edited_tables import read_edited_table
from helpers.errors import FileProblem
from helpers.messages import message
from helpers.read.forms import FORMS, GROUPS, Form
from helpers.read.layout import TableLayout
from helpers.read.sheets import Sheet
from helpers.read.values import CellProblem, read_number, read_text
from helpers.reference import Reference
from helpers.text import to_nfc

CORRECTION_COLUMNS = ["year", "agency", "district", "column", "action", "value", "guard", "reason"]
GROUPS_AGENCY = GROUPS.correction_agency
"""The ``agency`` of a correction to the Biểu 03 (THT) return."""


def corrected_form(agency: str) -> Form:
    """The form a correction's ``agency`` names: the form whose own word it is (``THT``: Biểu 03), else Biểu 01."""
    own = [form for form in FORMS.values() if form.correction_agency == agency]
    return own[0] if own else next(form for form in FORMS.values() if form.per_agency)


@dataclass(frozen=True)
class Correction:
    """One declared correction (``line`` is its row in corrections.csv, header = 1)."""

    line: int
    year: int
    agency: str
    district: str
    field: str
    action: str
    value: str
    guard: str
    reason: str

    @property
    def template(self) -> str:
        """The template of the corrected return."""
        return corrected_form(self.agency).code

    @property
    def where(self) -> str:
        """Where the correction is declared, for messages."""
        return message("corrections.where", file="corrections.csv", line=self.line)


@dataclass(frozen=True)
class AppliedCorrection:
    """A correction as applied to a cell of a return."""

    file: str
    sheet: str
    row: int
    column: str
    before: str
    after: str
    reason: str


def read_corrections(path: Path, reference: Reference) -> list[Correction]:
    """Read and check the corrections table; an absent file means no corrections.

    Args:
        path: ``<data>/corrections.csv``.
        reference: the data root's tables (agency codes; district names and codes).

    Raises:
        FileProblem: naming the row and column of anything that is not usable.
    """
    if not path.is_file():
        return []
    table = read_edited_table(path, CORRECTION_COLUMNS)
    codes = {a.code for a in reference.agencies} | {f.correction_agency for f in FORMS.values() if f.correction_agency}
    corrections = []
    for line, row in enumerate(table.itertuples(index=False), start=2):
        where = message("corrections.where", file=path.name, line=line)
        values = {c: to_nfc(getattr(row, c)) for c in CORRECTION_COLUMNS}
        district = _checked_row(values, where, codes, reference)
        corrections.append(
            Correction(
                line,
                int(values["year"]),
                values["agency"],
                district,
                values["column"],
                values["action"],
                values["value"],
                values["guard"],
                values["reason"],
            )
        )
    return corrections


def _checked_row(values: dict[str, str], where: str, codes: set[str], reference: Reference) -> str:
    """Check one row of the corrections table; return the code of its district.

    Raises:
        FileProblem: naming the row and what is wrong in it.
    """
    if not values["year"].isdigit():
        raise FileProblem(
            where, message("corrections.bad_year", value=values["year"]), message("corrections.bad_year_action")
        )
    if values["agency"] not in codes:
        raise FileProblem(
            where,
            message("corrections.unknown_agency", value=values["agency"]),
            message("corrections.write_one_of", choices=", ".join(sorted(codes))),
        )
    form = corrected_form(values["agency"])
    district = (
        values["district"]
        if values["district"] in ("TINH",) or values["district"].isdigit()
        else reference.for_year(int(values["year"])).resolve_district(values["district"])
    )
    if not district:
        raise FileProblem(
            where,
            message("corrections.unknown_district", value=values["district"]),
            message("corrections.unknown_district_action"),
        )
    fields = set(form.value_fields)
    if values["column"] not in fields:
        raise FileProblem(
            where,
            message("corrections.unknown_field", value=values["column"], template=form.code),
            message("corrections.write_one_of", choices=", ".join(sorted(fields))),
        )
    _check_action(values, where)
    return district


def _check_action(values: dict[str, str], where: str) -> None:
    """The action is ``set`` with a readable value, or ``clear``; and a reason is given."""
    if values["action"] not in ("set", "clear"):
        raise FileProblem(
            where,
            message("corrections.unknown_action", value=values["action"]),
            message("corrections.unknown_action_action"),
        )
    if values["action"] == "set":
        try:
            if read_number(values["value"]).value is None:
                raise CellProblem("empty", "")
        except CellProblem:
            raise FileProblem(
                where,
                message("corrections.bad_value", value=values["value"]),
                message("corrections.bad_value_action"),
            ) from None
    if not values["reason"]:
        raise FileProblem(where, message("corrections.no_reason"), message("corrections.no_reason_action"))


def apply_corrections(
    sheet: Sheet, layout: TableLayout, key_field: str, corrections: list[Correction], reference: Reference
) -> tuple[list[AppliedCorrection], list[FileProblem]]:
    """Apply the corrections of one return to its cells, before the rows are read.

    ``reference`` tells which row is the correction's district.

    Returns:
        The corrections applied, and one problem per correction that does not
        fit the return (no such row or column) or whose guard failed (the
        source no longer reads as expected); those are not applied.
    """
    applied: list[AppliedCorrection] = []
    problems: list[FileProblem] = []
    fields = layout.fields()
    key = fields.get(key_field)
    for correction in corrections:
        column = fields.get(correction.field)
        if column is None or key is None:
            problems.append(
                FileProblem(
                    correction.where,
                    message("corrections.no_column", source=sheet.source, field=correction.field),
                    message("corrections.no_column_action"),
                )
            )
            continue
        rows = [
            index
            for index in range(layout.first_data_row, len(sheet.rows))
            if isinstance(sheet.rows[index][key.index], str)
            and reference.for_year(correction.year).resolve_district(sheet.rows[index][key.index])
            == correction.district
        ]
        if len(rows) != 1:
            if rows:
                found = message(
                    "corrections.many_rows",
                    source=sheet.source,
                    count=len(rows),
                    rows=", ".join(str(r + 1) for r in rows),
                    district=correction.district,
                )
            else:
                found = message("corrections.no_row", source=sheet.source, district=correction.district)
            problems.append(FileProblem(correction.where, found, message("corrections.district_action")))
            continue
        index = rows[0]
        before = read_text(sheet.rows[index][column.index])
        if before != correction.guard:
            problems.append(
                FileProblem(
                    correction.where,
                    message(
                        "corrections.guard_failed",
                        source=sheet.source,
                        row=index + 1,
                        column=column.label,
                        before=before,
                        guard=correction.guard,
                    ),
                    message("corrections.guard_failed_action"),
                )
            )
            continue
        sheet.rows[index][column.index] = correction.value if correction.action == "set" else None
        applied.append(
            AppliedCorrection(
                sheet.source,
                sheet.name,
                index + 1,
                column.label,
                before,
                correction.value if correction.action == "set" else "",
                correction.reason,
            )
        )
    return applied, problems
