"""Reading one return file into accepted rows, rejected rows and its ledger: :func:`read_return`.

The steps, each in its module: the sheet (:mod:`helpers.read.sheets`), its
header (:mod:`helpers.read.layout`, :mod:`helpers.read.columns`), the declared
corrections (:mod:`helpers.read.corrections`), the kind of every row
(:mod:`helpers.read.rows`, with the form's own rules from
:mod:`helpers.read.forms`); this module puts together what the file gives
(:mod:`helpers.read.ledger`): records, rejects, totals checks, ignored
columns and warnings. Every row of the sheet ends up in exactly one of the
kinds of :data:`ROW_KINDS`. ``raw-data.md`` is the contract; the choices it
leaves open are documented in ``docs/contract-decisions.md``.

Why this module is long: it is where a file becomes its reads — which sheets
of a workbook are read (a register split over sheets, with its duplicates
across them; every other visible sheet accounted for) and what each read
gives — so that no other module decides what a return file yields.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers.errors import FileProblem
from helpers.messages import message
from helpers.read.columns import TableLayout, column_letter
from helpers.read.corrections import apply_corrections
from helpers.read.csv_quotes import settle_quotes
from helpers.read.forms import form_of
from helpers.read.layout import locate_table
from helpers.read.ledger import (
    NON_DATA_KINDS,
    ROW_KINDS,
    ApproximateValue,
    Reject,
    ReturnRead,
    TotalsCheck,
)
from helpers.read.rows import DataRow, RowReader
from helpers.read.sheets import Sheet, read_sheet
from helpers.read.values import CellProblem, Number, is_blank, read_number, read_text
from helpers.reference import Reference
from helpers.text import strip_diacritics

__all__ = [
    "NON_DATA_KINDS",
    "ROW_KINDS",
    "ApproximateValue",
    "Reject",
    "ReturnRead",
    "TotalsCheck",
    "read_return",
    "read_table",
]


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
        template: the code of its form: ``"01"`` (activities), ``"02"`` (HTX register) or ``"03"`` (THT).
        reference: the data root's district tables (which units a row may name).
        agency: the agency code of a Biểu 01 file.
        year: the programme year of the folder (checks register dates).
        corrections: declared corrections of this return (:mod:`helpers.read.corrections`).

    Returns:
        The accepted records, rejects, ledger and checks of the file.

    Raises:
        FileProblem: when the file cannot be used at all.
        UnknownForm: when ``template`` is the code of no form.
    """
    form = form_of(template, source)
    sheet = read_sheet(path, source, template)
    holding = [other for other in sheet.other_sheets if _holds_the_form(other, template, year)]
    if form.rows_are_districts or sheet.named_for_form:
        read = read_table(sheet, template, reference=reference, agency=agency, year=year, corrections=corrections)
        read.warnings += [_not_read_warning(other, sheet, template) for other in holding]
        return read
    # A register may be split over several visible sheets: each whose header is the register's is read, in order.
    names = [s.name for s in (sheet, *holding) if s is not sheet or _holds_the_form(sheet, template, year)] or [
        sheet.name
    ]
    sheets = [sheet if name == sheet.name else read_sheet(path, source, template, name) for name in names]
    reads = [
        read_table(s, template, reference=reference, agency=agency, year=year, corrections=corrections) for s in sheets
    ]
    if len(reads) > 1:
        _reject_duplicates_across_sheets(reads, template)
    first, *rest = reads
    first.parts = rest
    return first


def _holds_the_form(sheet: Sheet, template: str, year: int | None) -> bool:
    """Whether a sheet's header has the form's key columns: the unit and an indicator, or the name and reg_no."""
    form = form_of(template)
    # the field naming a row and the first field only a data row has: unit, district, or name and reg_no
    needed = {form.key_field, form.identity_fields[0]}
    try:
        fields = set(locate_table(sheet, template, year).fields())
    except FileProblem:
        return False
    return needed <= fields and (not form.rows_are_districts or bool(fields & set(form.value_fields)))


def _not_read_warning(other: Sheet, sheet: Sheet, template: str) -> str:
    """Every visible sheet is accounted for: one not read that holds a table of the form is named.

    ``raw-data.md`` § A closed world. Biểu 01 and 03 hold one table per
    file: one file per agency. A register's other sheets are read, unless a
    sheet is named ``Biểu 02``: then only that one is.
    """
    form = form_of(template)
    if form.per_agency:
        key = "returns.other_sheet_with_form"  # two agencies' returns in one workbook
    else:
        key = "returns.other_groups_sheet" if form.rows_are_districts else "returns.other_register_sheet"
    return message(key, sheet=other.name, read=sheet.name, template=form.sheet_name)


def _reject_duplicates_across_sheets(reads: list[ReturnRead], template: str) -> None:
    """The same cooperative on two sheets of one register: both rows rejected, as on one sheet.

    The reg_no is compared as the register's rules compare it on one sheet
    (their ``duplicate_key``); rows already rejected on their own sheet stay so.
    """
    rules = form_of(template).rules.__new__(form_of(template).rules)  # duplicate_key reads only the key
    found: dict[str, list[tuple[ReturnRead, dict]]] = {}
    for read in reads:
        for record in read.records:
            if record.get("reg_no"):
                key = rules.duplicate_key(DataRow(record["row"] - 1, [], None, {}, key=str(record["reg_no"])))
                found.setdefault(key, []).append((read, record))
    for members in found.values():
        if len({id(read) for read, _ in members}) < 2:
            continue
        rows = ", ".join(f"{read.sheet} › {record['row']}" for read, record in members)
        for read, record in members:
            read.records.remove(record)
            read.row_kinds[record["row"] - 1] = "rejected"
            reason = message("returns.duplicate_reg_no", reg_no=record["reg_no"], rows=rows)
            read.rejects.append(
                Reject(read.source, read.sheet, record["row"], "", record["reg_no"], reason, record.get("name", ""))
            )


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
        UnknownForm: when ``template`` is the code of no form.
    """
    form = form_of(template, sheet.where)
    if all(is_blank(cell) for row in sheet.rows for cell in row):
        raise FileProblem(
            sheet.where,
            message("returns.sheet_empty"),
            message("returns.sheet_empty_action", template=form.sheet_name),
        )
    sheet = settle_quotes(sheet, template, reference, agency, year)
    layout = locate_table(sheet, template, year)
    applied, correction_problems = apply_corrections(sheet, layout, form.key_field, corrections or [], reference)
    reader = RowReader(sheet, layout, form, agency, year, reference)
    reader.run()
    totals, totals_problems = _totals_checks(reader)
    warnings = (
        _title_year_warnings(sheet, layout, year)
        + _hidden_warnings(sheet, layout, reader.kinds)
        + totals_problems
        + reader.section_warnings
    )
    ignored = [(c.letter, c.label, reason) for c, reason in layout.ignored]
    ignored += _unlabelled_columns_with_data(reader)
    problems = [FileProblem(sheet.where, problem, message("returns.other_columns_read")) for problem in layout.problems]
    return ReturnRead(
        source=sheet.source,
        template=template,
        agency=agency,
        sheet=sheet.name,
        encoding=sheet.encoding,
        was_nfd=sheet.was_nfd,
        row_kinds=reader.kinds,
        records=_records(reader),
        rejects=_rejects(reader),
        ignored_columns=ignored,
        approximate=reader.approximate,
        totals=totals,
        warnings=warnings,
        corrections=applied,
        correction_problems=correction_problems,
        problems=problems,
    )


# -- what the rows give ----------------------------------------------------------


def _records(reader: RowReader) -> list[dict]:
    """The accepted records, as the form gives them, each with its source file and row."""
    out: list[dict] = []
    for data_row in reader.rows:
        if data_row.record is None or data_row.problems:
            continue
        out += reader.rules.records(data_row, {"source": reader.sheet.source, "row": data_row.index + 1})
    return out


def _rejects(reader: RowReader) -> list[Reject]:
    """One reject per bad cell of each rejected row, naming the row as the return does."""
    out: list[Reject] = []
    for data_row in reader.rows:
        # the district as typed (Biểu 01/03) or the cooperative's name (Biểu 02)
        is_named = not data_row.is_section and reader.key_column is not None
        cells = reader.sheet.rows[data_row.index]  # its values: every cell read but the one naming it and its STT
        unit = read_text(cells[reader.key_column.index]) if is_named else ""
        held = [c for f, c in reader.fields.items() if c is not reader.key_column and f != "row_number"]
        row_values = sum(c.index < len(cells) and not is_blank(cells[c.index]) for c in held)
        for column, value, reason in data_row.problems:
            label, typed = column.label if column else "", "" if is_blank(value) else read_text(value)
            out.append(
                Reject(
                    reader.sheet.source, reader.sheet.name, data_row.index + 1, label, typed, reason, unit, row_values
                )
            )
    return out


def _totals_checks(reader: RowReader) -> tuple[list[TotalsCheck], list[str]]:
    """Each totals row's cells against the sum of the accepted rows since the previous totals row.

    Returns:
        The checks, and a warning per totals cell that cannot be read.
    """
    checks: list[TotalsCheck] = []
    unreadable: list[str] = []
    previous = -1
    for totals_index in reader.totals_rows:
        in_scope = [r for r in reader.rows if previous < r.index < totals_index]
        if not any(r.record for r in in_scope):
            in_scope = list(reader.rows)  # a totals row first, or a grand total after subtotals
        previous = totals_index
        accepted = [r for r in in_scope if r.record is not None and not r.problems]
        rejected_rows = tuple(r.index + 1 for r in in_scope if r.record is None or r.problems)
        row = reader.sheet.rows[totals_index]
        for name in reader.numeric:
            column = reader.fields[name]
            try:
                totals_number = read_number(
                    row[column.index], allow_negative=True, not_reported=reader.reference.not_reported
                )
            except CellProblem as problem:
                where = reader.sheet.where
                unreadable.append(
                    message(
                        "returns.totals_unreadable",
                        where=where,
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
                    file=reader.sheet.source,
                    sheet=reader.sheet.name,
                    row=totals_index + 1,
                    column=column.label,
                    field=name,
                    totals_value=totals_number.value,
                    rows_sum=sum(p.value for p in parts),
                    rows_summed=len(parts),
                    rows_rejected=len(rejected_rows),
                    is_approximate=totals_number.is_approximate or any(p.is_approximate for p in parts),
                    rejected_rows=rejected_rows,
                )
            )
    return checks, unreadable


def _unlabelled_columns_with_data(reader: RowReader) -> list[tuple[str, str, str]]:
    """Columns without a label that hold something in a data row: reported as ignored, never dropped unsaid."""
    known = {c.index for c in reader.layout.columns}
    width = max((len(r) for r in reader.sheet.rows), default=0)
    found = []
    for index in range(width):
        if index in known:
            continue
        if any(not is_blank(reader.sheet.rows[r.index][index]) for r in reader.rows):
            found.append((column_letter(index), "", message("returns.unlabelled_column")))
    return found


# -- warnings ----------------------------------------------------------------------


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


# Not data: the grammar of a Vietnamese date (``năm 2017``, ``ngày … tháng … năm …``)
# on folded text, the same in every province; the words a province types are in
# ``layout_markers.csv``.
_TITLE_YEAR = re.compile(r"\bnam (\d{4})\b|\b\d{1,2} \d{1,2} (\d{4})\b")
_SIGNING_DATE = re.compile(r"\bngay \d{1,2} thang \d{1,2} nam \d{4}\b")
"""The date a report was signed ("Ninh Bình, ngày 08 tháng 01 năm 2023"): not the year it is about."""


def _title_text(cell: str) -> str:
    """Title text without diacritics, case, punctuation and signing dates (``năm 2017``, ``31 12 2017`` stay)."""
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
