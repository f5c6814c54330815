"""Reading one return file into accepted rows, rejected rows and its ledger.

Every row of the sheet ends up in exactly one of the kinds of :data:`ROW_KINDS`:
accepted data, rejected data (with a located reason in the rejects ledger), or
one of the non-data kinds (title, header, column numbers, section, totals,
blank, note, footer). ``raw-data.md`` is the contract; the choices it
leaves open are documented in ``docs/contract-decisions.md``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from helpers.corrections import apply_corrections
from helpers.errors import FileProblem
from helpers.layout import KEY_FIELD, TEMPLATE_NAMES, Column, TableLayout, column_letter, locate_table
from helpers.reference import PROVINCE_OFFICE, column_labels, known_units_text, markers, resolve_district
from helpers.sheets import Sheet, read_sheet
from helpers.text import fold_label
from helpers.values import (
    CellProblem,
    Number,
    is_blank,
    read_choice,
    read_date,
    read_number,
    read_text,
)

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
    """Numeric fields of a template, in the order of ``column_labels.csv``."""
    fields = dict.fromkeys(column_labels(template).values())
    numeric = {
        "01": lambda f: f not in LAYOUT_FIELDS,
        "02": lambda f: f in REGISTER_NUMBER_FIELDS,
        "03": lambda f: f not in LAYOUT_FIELDS,
    }[template]
    return tuple(f for f in fields if numeric(f))


REGISTER_NUMBER_FIELDS = ("members", "workers", "charter_capital_mvnd", "revenue_mvnd", "profit_mvnd")
SIGNED_FIELDS = frozenset({"profit_mvnd"})
"""Fields that may be negative (a loss)."""

_ORDINAL = re.compile(r"^\s*(?:[IVXLC]+|\d{1,3}|[A-Za-z])\s*[.)\-:–]\s*|^\s*(?:[IVXLC]+)\s+")
_STT = re.compile(r"^\s*(?:\d{1,4}|[IVXLC]+)\s*[.)]?\s*$")
_ROMAN = re.compile(r"^\s*[IVXLC]+\s*[.)]?\s*$")


@dataclass(frozen=True)
class Reject:
    """One bad cell of a rejected row (a row with several bad cells has several)."""

    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str

    @property
    def message(self) -> str:
        """``file › sheet › row › column: reason``, as shown to people."""
        column = f' › "{self.column}"' if self.column else ""
        return f"{self.file} › {self.sheet} › row {self.row}{column}: {self.reason}"


@dataclass(frozen=True)
class ApproximateValue:
    """A value typed as approximate (``trên 1.000``), read as its number."""

    file: str
    sheet: str
    row: int
    column: str
    typed: str
    value: float


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
    has_no_values: bool = False


class _Reader:
    """Reads the data rows of one located table (one instance per file)."""

    def __init__(self, sheet: Sheet, layout: TableLayout, template: str, agency: str | None, year: int | None):
        self.sheet = sheet
        self.layout = layout
        self.template = template
        self.agency = agency
        self.year = year
        self.fields = layout.fields()
        self.key_column = self.fields.get(KEY_FIELD[template])
        self.numeric = [f for f in value_fields(template) if f in self.fields]
        self.kinds = ["title"] * len(sheet.rows)
        self.rows: list[_DataRow] = []
        self.totals_rows: list[int] = []
        self.approximate: list[ApproximateValue] = []

    # -- classification -------------------------------------------------
    def run(self) -> None:
        for index in self.layout.header_rows:
            self.kinds[index] = "header"
        if self.layout.column_numbers_row is not None:
            self.kinds[self.layout.column_numbers_row] = "column_numbers"
        for index, row in enumerate(self.sheet.rows):
            if all(is_blank(cell) for cell in row):
                self.kinds[index] = "blank"
        in_footer = in_subset = False
        section: tuple[str | None, int, str] | None = None  # (district code, row, label) of Biểu 02 sections
        mapped = [c.index for c in self.layout.columns if c.field and c.field != "row_number"]
        for index in range(self.layout.first_data_row, len(self.sheet.rows)):
            row = self.sheet.rows[index]
            if self.kinds[index] == "blank":
                continue
            if in_footer:
                self.kinds[index] = "footer"
                continue
            lead = self._lead_text(row)
            if markers("totals").matches(lead):
                self.kinds[index] = "totals"
                self.totals_rows.append(index)
                in_subset = False
                continue
            if self._is_footer(row):
                self.kinds[index] = "footer"
                in_footer = True
                continue
            if all(is_blank(row[c]) for c in mapped):
                self.kinds[index] = "blank" if self._holds_only_a_row_number(row) else "note"
                continue
            if markers("subset").matches(lead):
                in_subset = True
            if self.template == "02":
                found = self._section(row, lead)
                if found is not None:
                    section = (found[0], index, found[1])
                    if found[0] is None:
                        self.kinds[index] = "rejected"
                        self.rows.append(_DataRow(index, [(self.key_column, found[1], self._unknown_section_reason(found[1]))], None, {}))
                    else:
                        self.kinds[index] = "section"
                    continue
                self.rows.append(self._read_register_row(index, row, section))
            else:
                unit = row[self.key_column.index] if self.key_column else None
                code = resolve_district(unit) if not is_blank(unit) and not markers("subset").matches(lead) else None
                in_subset = in_subset and code is None
                self.rows.append(self._read_unit_row(index, row, unit, code, in_subset))
        self._footer_after_data()
        self._reject_uncached_formulas()
        self._reject_duplicates()
        for data_row in self.rows:
            self.kinds[data_row.index] = "rejected" if data_row.problems else "accepted"

    def _row_number_index(self) -> int | None:
        column = self.fields.get("row_number")
        return column.index if column else None

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

    def _is_footer(self, row: list[object]) -> bool:
        filled = [cell for cell in row if not is_blank(cell)]
        if len(filled) > 3:
            return False
        if self.key_column is not None and self.template != "02":
            unit = row[self.key_column.index]
            if not is_blank(unit) and resolve_district(unit) is not None:
                return False
        return any(isinstance(cell, str) and markers("footer").matches(cell) for cell in filled)

    # -- Biểu 01 and 03 --------------------------------------------------
    def _read_unit_row(self, index: int, row: list[object], unit: object, code: str | None, in_subset: bool) -> _DataRow:
        problems: list[tuple[Column | None, object, str]] = []
        allows_office = self.template == "01"
        if in_subset:
            problems.append(
                (
                    self.key_column,
                    unit,
                    f"'{read_text(unit)}' is part of a \"Trong đó\" (of which) breakdown, not a unit of "
                    f"{TEMPLATE_NAMES[self.template]}: it is not counted, so that its district is not counted twice "
                    "— keep one row per district and move the breakdown to a note",
                )
            )
        elif is_blank(unit):
            problems.append((self.key_column, unit, "the unit cell is empty — write the district (or Cấp tỉnh) of this row"))
        elif code is None or (code == PROVINCE_OFFICE and not allows_office):
            problems.append(
                (
                    self.key_column,
                    unit,
                    f"'{read_text(unit)}' is not a known unit of {TEMPLATE_NAMES[self.template]} — "
                    f"use one of: {known_units_text(allows_office)}",
                )
            )
            code = None
        values = self._read_numbers(index, row, problems)
        has_no_values = all(number.value is None for number in values.values())
        record = None
        if not problems:
            record = {"district": code, "values": values}
        return _DataRow(index, problems, record, values, key=code, has_no_values=has_no_values)

    def _read_numbers(self, index: int, row: list[object], problems: list) -> dict[str, Number]:
        values: dict[str, Number] = {}
        for name in self.numeric:
            column = self.fields[name]
            cell = row[column.index]
            try:
                number = read_number(cell, allow_negative=name in SIGNED_FIELDS)
            except CellProblem as problem:
                problems.append((column, cell, str(problem)))
                continue
            values[name] = number
            if number.is_approximate:
                self.approximate.append(
                    ApproximateValue(self.sheet.source, self.sheet.name, index + 1, column.label, read_text(cell), number.value)
                )
        return values

    # -- Biểu 02 ----------------------------------------------------------
    def _section(self, row: list[object], lead: str) -> tuple[str | None, str] | None:
        """``(district code or None, label)`` when the row is a section row, else ``None``."""
        others = [c for f, c in self.fields.items() if f not in LAYOUT_FIELDS]
        if any(not is_blank(row[c.index]) for c in others):
            return None
        name_column = self.fields.get("name")
        name = row[name_column.index] if name_column else None
        # A section names its district in the name cell (or across the row); a
        # row with a name of its own and a district is a cooperative, not a section.
        candidates = [name, lead] if not is_blank(name) else [row[c.index] for f, c in self.fields.items() if f == "district"] + [lead]
        for cell in candidates:
            if is_blank(cell):
                continue
            text = _ORDINAL.sub("", read_text(cell), count=1)
            code = resolve_district(text)
            if code is not None and code != PROVINCE_OFFICE:
                return code, read_text(cell)
        number_column = self.fields.get("row_number")
        ordinal = read_text(row[number_column.index]) if number_column else ""
        if _ROMAN.match(ordinal) or (_ROMAN.match(lead.split(" ")[0].rstrip(".")) and " " in lead):
            label = read_text(row[self.key_column.index]) if self.key_column and not is_blank(row[self.key_column.index]) else lead
            return None, label
        return None

    def _unknown_section_reason(self, label: str) -> str:
        return (
            f"section row '{label}' names no known district — write one of: {known_units_text(False)}; "
            "the cooperatives under it are rejected until it does"
        )

    def _read_register_row(self, index: int, row: list[object], section: tuple[str | None, int, str] | None) -> _DataRow:
        problems: list[tuple[Column | None, object, str]] = []
        cell = lambda name: row[self.fields[name].index] if name in self.fields else None  # noqa: E731
        record: dict = {}
        name = read_text(cell("name"))
        if not name:
            problems.append((self.fields.get("name"), None, "the cooperative has no name — type the name of the HTX"))
        record["name"] = name
        record["reg_no"] = read_text(cell("reg_no"))
        district_cell = cell("district")
        if not is_blank(district_cell):
            code = resolve_district(district_cell)
            if code is None or code == PROVINCE_OFFICE:
                problems.append(
                    (self.fields["district"], district_cell, f"'{read_text(district_cell)}' is not a known district — use one of: {known_units_text(False)}")
                )
            record["district"] = code
        elif section is not None and section[0] is not None:
            record["district"] = section[0]
        elif section is not None:
            problems.append(
                (self.fields.get("district"), None, f"the section row above (row {section[1] + 1}, '{section[2]}') names no known district — correct that row")
            )
        else:
            problems.append(
                (self.fields.get("district"), None, "no district: fill the Huyện/thành phố column, or group the rows under a district section row")
            )
        record["commune"] = read_text(cell("commune"))
        for name_, vocabulary, blank in (("sector", "sector", "other"), ("status", "status", None), ("rating", "rating", "none")):
            if name_ not in self.fields and blank is None:
                problems.append((None, None, f"the register has no {name_} column — add a 'Tình trạng' column"))
                continue
            try:
                record[name_] = read_choice(cell(name_), vocabulary, blank_code=blank)
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
        filled = sum(not is_blank(c) for i, c in enumerate(row) if i != self._row_number_index())
        return _DataRow(index, problems, record, values, key=record["reg_no"] or None, has_no_values=filled <= 1)

    def _check_register_dates(self, record: dict, row: list[object], problems: list) -> None:
        year = self.year
        dissolved_column = self.fields.get("dissolved")
        founded_column = self.fields.get("founded")
        if record["dissolved"] and record.get("status") not in (None, "dissolved"):
            problems.append(
                (dissolved_column, row[dissolved_column.index], "a dissolution date is given but the status is not Giải thể — correct the status or clear the date")
            )
        if year is None:
            return
        if record["founded_year"] is not None and record["founded_year"] > year:
            problems.append(
                (founded_column, row[founded_column.index], f"founded in {record['founded_year']}, after this register's date (31/12/{year}) — correct the date")
            )
        dissolved_year = record["dissolved_year"]
        if dissolved_year is not None and dissolved_year != year:
            problems.append(
                (
                    dissolved_column,
                    row[dissolved_column.index],
                    f"dissolved in {dissolved_year}, but a register at 31/12/{year} lists only cooperatives dissolved in {year} — "
                    "correct the date, or remove the cooperative from the register",
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
                        f"the cell holds the formula {formula} but no saved result — open the file in Excel or LibreOffice, "
                        "let it calculate and save it again, or type the number",
                    )
                )
                data_row.record = None

    # -- checks across rows ------------------------------------------------
    def _reject_duplicates(self) -> None:
        """The same district twice (Biểu 01/03) or the same reg_no twice (Biểu 02): reject all of them."""
        groups: dict[str, list[_DataRow]] = defaultdict(list)
        for data_row in self.rows:
            if data_row.key is not None and (self.template == "02" or not data_row.problems):
                groups[fold_label(data_row.key) if self.template == "02" else data_row.key].append(data_row)
        column = self.fields.get("reg_no") if self.template == "02" else self.key_column
        for members in groups.values():
            if len(members) < 2:
                continue
            numbers = ", ".join(str(m.index + 1) for m in members)
            for data_row in members:
                if self.template == "02":
                    reason = f"reg_no '{data_row.key}' appears in rows {numbers} — a cooperative is listed once: remove the duplicate or correct the number"
                    value = data_row.key
                else:
                    value = self.sheet.rows[data_row.index][column.index]
                    reason = f"'{read_text(value)}' ({data_row.key}) appears in rows {numbers} — keep one row per unit (add the rows up into one)"
                data_row.problems.append((column, value, reason))
                data_row.record = None

    def _footer_after_data(self) -> None:
        """Text-only rows after the last data row are notes of the footer, not data."""
        while self.rows and self.rows[-1].has_no_values and self.rows[-1].problems:
            self.kinds[self.rows.pop().index] = "footer"
        last = self.rows[-1].index if self.rows else len(self.kinds)
        for index in range(last + 1, len(self.kinds)):
            if self.kinds[index] == "note":
                self.kinds[index] = "footer"

    # -- outputs ------------------------------------------------------------
    def rejects(self) -> list[Reject]:
        out: list[Reject] = []
        for data_row in self.rows:
            for column, value, reason in data_row.problems:
                out.append(
                    Reject(
                        file=self.sheet.source,
                        sheet=self.sheet.name,
                        row=data_row.index + 1,
                        column=column.label if column else "",
                        value="" if is_blank(value) else read_text(value),
                        reason=reason,
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
            rejected = len(in_scope) - len(accepted)
            row = self.sheet.rows[totals_index]
            for name in self.numeric:
                column = self.fields[name]
                try:
                    totals_number = read_number(row[column.index], allow_negative=True)
                except CellProblem:
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
                            **where,
                        }
                    )
            elif self.template == "03":
                record = {"district": data_row.record["district"]}
                for name in value_fields("03"):
                    number = data_row.values.get(name)
                    record[name] = number.value if number else None
                    record[f"{name}_approximate"] = bool(number and number.is_approximate)
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
                found.append((column_letter(index), "", "the column has values but no header label"))
        return found


def read_return(path: Path, source: str, template: str, *, agency: str | None = None, year: int | None = None, corrections: list | None = None) -> ReturnRead:
    """Read one return file per ``raw-data.md``.

    Args:
        path: the file.
        source: its name in messages and ledgers (relative to the year folder).
        template: ``"01"`` (activities), ``"02"`` (HTX register) or ``"03"`` (THT).
        agency: the agency code of a Biểu 01 file.
        year: the programme year of the folder (checks register dates).
        corrections: declared corrections of this return (:mod:`helpers.corrections`).

    Returns:
        The accepted records, rejects, ledger and checks of the file.

    Raises:
        FileProblem: when the file cannot be used at all.
    """
    sheet = read_sheet(path, source, template)
    if all(is_blank(cell) for row in sheet.rows for cell in row):
        raise FileProblem(sheet.where, "the sheet is empty", f"put the {TEMPLATE_NAMES[template]} table on the first sheet (or a sheet named '{TEMPLATE_NAMES[template]}')")
    layout = locate_table(sheet, template)
    applied, correction_problems = apply_corrections(sheet, layout, KEY_FIELD[template], corrections or [])
    reader = _Reader(sheet, layout, template, agency, year)
    reader.run()
    warnings = _title_year_warnings(sheet, layout, year)
    ignored = [(c.letter, c.label, reason) for c, reason in layout.ignored]
    ignored += reader.unlabelled_columns_with_data()
    return ReturnRead(
        source=source,
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
        totals=reader.totals_checks(),
        warnings=warnings,
        corrections=applied,
        correction_problems=correction_problems,
    )


_TITLE_YEAR = re.compile(r"\bnam (\d{4})\b")


def _title_year_warnings(sheet: Sheet, layout: TableLayout, year: int | None) -> list[str]:
    """A title reading "… năm 2016" in the 2017 folder is probably last year's return sent again."""
    if year is None:
        return []
    found = sorted(
        {int(match) for row in sheet.rows[: layout.header_rows[0]] for cell in row if isinstance(cell, str) for match in _TITLE_YEAR.findall(fold_label(cell))}
    )
    if not found or year in found:
        return []
    years = ", ".join(map(str, found))
    return [f"the title names the year {years}, but the file is in the {year} folder — check that it is the {year} return"]
