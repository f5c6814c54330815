"""Reading a return file (xlsx, xlsm, xls, ods or csv) into a grid of cells.

Workbooks are read with python-calamine: one fast reader for every Excel
format, which returns cached formula results and never evaluates formulas or
runs macros. CSV files are decoded as UTF-8 (with or without BOM) or, failing
that, Windows-1258, and split on ``;``, ``,`` or tab, whichever gives the most
consistent rows, one row per physical line (:mod:`helpers.read.csv_text`).
All text is returned in NFC.

Why this module is long: opening a return is one story told once — the
checks before a file is opened (type, size, zip bomb), the one place it is
opened (and what the system's refusals mean to the analyst), choosing its
sheet among the visible ones, and the two grids (workbook, CSV lines) that
every later step reads.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from helpers.errors import FileProblem
from helpers.messages import message
from helpers.read.csv_text import split_csv
from helpers.read.sheet_facts import FactsUnavailable, SheetFacts, inspect_sheet
from helpers.text import clean_cell_text, strip_diacritics

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")

MAX_FILE_BYTES = 100 * 1024 * 1024
"""A return larger than this is refused before it is opened (a province's register is a few MB)."""
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
"""A workbook whose parts unpack to more than this is refused (a zip bomb would eat the machine's memory)."""
MAX_PACKING_RATIO = 200
"""A workbook part compressed more than this (and over 10 MB unpacked) is refused as a zip bomb."""
CSV_SUFFIXES = (".csv",)
RETURN_SUFFIXES = WORKBOOK_SUFFIXES + CSV_SUFFIXES


class ExcelError(str):
    """A cell showing an Excel error value (``#DIV/0!``, ``#REF!`` …): never a number, never "not reported"."""


class PercentNumber(float):
    """A number the workbook shows as a percentage (``0.2`` shown as ``20%``)."""


MergedRange = tuple[int, int, int, int]
"""(first row, first column, last row, last column), 0-based and inclusive."""


@dataclass
class Sheet:
    """The cells of the one sheet of a return that is read.

    Attributes:
        source: how messages name the file, e.g. ``activities/HND.xlsx``.
        name: the sheet name (``"CSV"`` for a CSV file).
        rows: cell values; blank cells are ``None``, text is NFC.
        merged: merged ranges of the sheet (empty for CSV).
        encoding: the text encoding of a CSV file, else ``None``.
        was_nfd: whether some text was typed in decomposed Unicode (NFD).
        uncached_formulas: cells holding a formula but no saved result.
        hidden_rows: 0-based indexes of hidden rows (read as data, reported).
        hidden_columns: 0-based indexes of hidden columns.
        hidden_sheets: names of the workbook's hidden sheets (never read, reported).
    """

    source: str
    name: str
    rows: list[list[object]]
    merged: list[MergedRange] = field(default_factory=list)
    encoding: str | None = None
    was_nfd: bool = False
    uncached_formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    hidden_sheets: tuple[str, ...] = ()
    record_widths: tuple[int, ...] = ()
    """CSV only: how many fields each line (record) had, trailing empty fields included, before padding."""
    csv_spans: dict[int, tuple[int, list[object]]] = field(default_factory=dict)
    """CSV only: a line opening a quote that closes on a later line → (that line, the record's cells)."""
    csv_open_quotes: frozenset[int] = frozenset()
    """CSV only: lines that end inside an open quote (their quote is settled by ``csv_quotes.settle_quotes``)."""
    continuation: dict[int, int] = field(default_factory=dict)
    """CSV only: a line that continues a quoted cell → the line where its record starts (that row holds it)."""
    named_for_form: bool = False
    """Whether the sheet was chosen by its name (``Biểu 02``), not as the first visible sheet."""
    other_sheets: tuple[Sheet, ...] = ()
    """The workbook's other visible sheets, cells only (``returns`` says which hold a table of the form)."""
    stray_quotes: frozenset[int] = frozenset()
    """CSV only: lines that open a quote that may not cross a line end: rejected, never read as typed."""

    def next_row(self, index: int) -> int:
        """The row under row ``index``: the next one, skipping lines that continue a quoted cell of a CSV."""
        below = index + 1
        while below in self.continuation:
            below += 1
        return below

    @property
    def where(self) -> str:
        """``file › sheet`` for messages."""
        return f"{self.source} › {self.name}"


def read_sheet(path: Path, source: str, template: str, name: str | None = None) -> Sheet:
    """Read the sheet of ``path`` that holds the return of ``template``.

    Only the first *visible* sheet is read, unless a visible sheet is named
    ``Biểu 0N`` / ``Bieu 0N`` for the template; hidden sheets are never read.
    Cells showing an Excel error become :class:`ExcelError` and numbers shown
    as percentages :class:`PercentNumber`, so that the value readers reject them.

    Args:
        path: the file.
        source: the file's name in messages (relative to the year folder).
        template: ``"01"``, ``"02"`` or ``"03"``.
        name: read this visible sheet of a workbook (another sheet of a register), not the form's.

    Raises:
        FileProblem: when the file is empty, of an unknown type or unreadable.
    """
    suffix = path.suffix.lower()
    if suffix not in RETURN_SUFFIXES:
        raise FileProblem(
            source,
            message("sheets.not_a_spreadsheet", suffix=suffix or message("sheets.no_extension")),
            message("sheets.not_a_spreadsheet_action"),
        )
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory", str(path))
        size = path.stat().st_size
    except OSError as error:
        raise cannot_open(source, error) from None
    if size == 0:
        raise FileProblem(source, message("sheets.empty_file"), message("sheets.send_again"))
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            source,
            message("sheets.too_big", size=round(size / 2**20), limit=round(MAX_FILE_BYTES / 2**20)),
            message("sheets.too_big_action"),
        )
    data = read_return_bytes(path, source)
    if suffix in CSV_SUFFIXES:
        return _read_csv(data, source)
    if suffix in ZIP_SUFFIXES:
        _refuse_zip_bomb(data, source)
    return _read_workbook(path, data, source, template, name)


SHARING_VIOLATIONS = (32, 33)
"""Windows errors of a file another program holds open (``ERROR_SHARING_VIOLATION``, ``ERROR_LOCK_VIOLATION``)."""


def read_return_bytes(path: Path, source: str) -> bytes:
    """The bytes of a return: the one place a return file is opened.

    Raises:
        FileProblem: when it cannot be opened (no permission, held by another
            program, a folder, a broken link), saying what to do, in Vietnamese.
    """
    try:
        return path.read_bytes()
    except OSError as error:
        raise cannot_open(source, error) from None


def cannot_open(source: str, error: OSError) -> FileProblem:
    """The file problem of a return the system would not open, said without the system's English words."""
    if getattr(error, "winerror", None) in SHARING_VIOLATIONS:
        key = "sheets.locked"
    elif isinstance(error, IsADirectoryError):
        key = "sheets.is_a_folder"
    elif isinstance(error, FileNotFoundError):
        key = "sheets.vanished"
    elif isinstance(error, PermissionError):
        key = "sheets.no_permission"
    else:
        return FileProblem(
            source, message("sheets.os_error", code=error.errno or "?"), message("sheets.os_error_action")
        )
    return FileProblem(source, message(key), message(f"{key}_action"))


def _refuse_zip_bomb(data: bytes, source: str) -> None:
    """Look at a workbook's table of contents (not its data) and refuse one that would unpack too large."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the workbook reader reports what is wrong with it
    unpacked = sum(member.file_size for member in members)
    bomb = next(
        (m for m in members if m.file_size > 10 * 2**20 and m.file_size > MAX_PACKING_RATIO * max(m.compress_size, 1)),
        None,
    )
    if unpacked > MAX_UNPACKED_BYTES or bomb is not None:
        detail = (
            message("sheets.zip_bomb_part", part=bomb.filename, ratio=bomb.file_size // max(bomb.compress_size, 1))
            if bomb
            else ""
        )
        raise FileProblem(
            source,
            message("sheets.zip_bomb", size=round(unpacked / 2**20), detail=detail),
            message("sheets.zip_bomb_action"),
        )


def _read_workbook(path: Path, data: bytes, source: str, template: str, wanted: str | None) -> Sheet:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = list(workbook.sheets_metadata)
        if not metadata:
            raise FileProblem(source, message("sheets.no_sheets"), message("sheets.send_again"))
        visible = [m.name for m in metadata if _is_visible(m)]
        hidden = [_nfc(m.name) for m in metadata if not _is_visible(m)]
        if not visible:
            raise FileProblem(
                source,
                message("sheets.all_hidden"),
                message("sheets.all_hidden_action", template=template_name(template)),
            )
        name = _sheet_of_template(source, visible, template)
        by_name = is_form_sheet_name(name, template)
        if wanted is not None:
            name = next(n for n in visible if _nfc(n) == wanted)
        sheet = workbook.get_sheet_by_name(name)
        raw_rows = sheet.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        others = tuple(
            other for n in visible if n != name and wanted is None and (other := _plain_sheet(workbook, source, n))
        )
    except FileProblem:
        raise
    except Exception as error:  # calamine raises several error types for broken files
        raise FileProblem(
            source,
            message("sheets.cannot_open", error=f"{type(error).__name__}: {error}"),
            message("sheets.save_again"),
        ) from None
    try:
        facts = inspect_sheet(path, name, data)
    except FactsUnavailable as error:
        raise FileProblem(
            source, message("sheets.facts_unavailable", error=str(error)), message("sheets.save_again")
        ) from None
    _mark_cells(raw_rows, facts)
    rows, was_nfd = _normalise_rows(raw_rows)
    return Sheet(
        source=source,
        name=_nfc(name),
        rows=rows,
        merged=merged,
        was_nfd=was_nfd,
        uncached_formulas=facts.uncached_formulas,
        hidden_rows=frozenset(facts.hidden_rows),
        hidden_columns=frozenset(facts.hidden_columns),
        hidden_sheets=tuple(hidden),
        other_sheets=others,
        named_for_form=by_name,
    )


def _plain_sheet(workbook: python_calamine.CalamineWorkbook, source: str, name: str) -> Sheet | None:
    """Another visible sheet's cells and merges (``None`` for a sheet without cells, such as a chart)."""
    try:
        sheet = workbook.get_sheet_by_name(name)
        raw_rows = sheet.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except Exception:
        return None
    rows, _ = _normalise_rows(raw_rows)
    return Sheet(source=source, name=_nfc(name), rows=rows, merged=merged)


def _sheet_of_template(source: str, visible: list[str], template: str) -> str:
    """The visible sheet named ``Biểu 0N`` (any case, with or without diacritics), else the first visible sheet.

    The name must be exactly that: ``Biểu 01 (cũ)`` or ``Bieu 01 (2)`` (an old
    copy) is not the return's sheet. Two sheets named alike cannot be told apart.
    """
    named = [n for n in visible if is_form_sheet_name(n, template)]
    if len(named) > 1:
        listed = ", ".join(f"'{n}'" for n in named)
        raise FileProblem(
            source,
            message("sheets.two_named", template=template_name(template), names=listed),
            message("sheets.two_named_action"),
        )
    return named[0] if named else visible[0]


def is_form_sheet_name(name: str, template: str) -> bool:
    """Whether a sheet is named for the form: ``Biểu 02``, ``Bieu 02`` (any case and spacing)."""
    return " ".join(strip_diacritics(_nfc(name)).lower().split()) == f"bieu {template}"


def template_name(template: str) -> str:
    """``Biểu 01`` for ``"01"``."""
    return f"Biểu {template}"


def _is_visible(metadata: object) -> bool:
    return str(getattr(metadata, "visible", "Visible")).rsplit(".", 1)[-1] == "Visible"


def _mark_cells(raw_rows: list[list[object]], facts: SheetFacts) -> None:
    """Put what the values do not say into the grid: error cells and percent-formatted numbers."""
    for (r, c), shown in facts.errors.items():
        while r >= len(raw_rows):
            raw_rows.append([])
        row = raw_rows[r]
        row.extend([None] * (c + 1 - len(row)))
        row[c] = ExcelError(shown)
    for r, c in facts.percent:
        if (
            r < len(raw_rows)
            and c < len(raw_rows[r])
            and isinstance(raw_rows[r][c], (int, float))
            and not isinstance(raw_rows[r][c], bool)
        ):
            raw_rows[r][c] = PercentNumber(raw_rows[r][c])


def _read_csv(data: bytes, source: str) -> Sheet:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(source, message("sheets.csv_is_workbook"), message("sheets.csv_is_workbook_action"))
    try:
        text, encoding = data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1258", errors="replace"), "cp1258"
    if "\x00" in text:
        raise FileProblem(source, message("sheets.binary"), message("sheets.binary_action"))
    split = split_csv(text)
    raw_rows: list[list[object]] = [list(fields) for fields in split.alone]
    widths = tuple(len(fields) for fields in split.alone)
    rows, was_nfd = _normalise_rows(raw_rows)
    spans: dict[int, tuple[int, list[object]]] = {}
    for line, (end, fields) in split.spans.items():
        (cells,), span_nfd = _normalise_rows([list(fields)])
        spans[line] = (end, cells)
        was_nfd = was_nfd or span_nfd
    # Windows-1258 writes tone marks as combining characters by design: that is
    # the encoding, not text typed in NFD.
    return Sheet(
        source=source,
        name="CSV",
        rows=rows,
        encoding=encoding,
        was_nfd=was_nfd and encoding != "cp1258",
        record_widths=widths,
        csv_spans=spans,
        csv_open_quotes=split.open_quote,
    )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _normalise_rows(raw_rows: list[list[object]]) -> tuple[list[list[object]], bool]:
    """Blank cells to ``None``, text cleaned (:func:`~helpers.text.clean_cell_text`) and NFC; whether any was NFD."""
    was_nfd = False
    rows: list[list[object]] = []
    for raw in raw_rows:
        row: list[object] = []
        for cell in raw:
            if isinstance(cell, ExcelError):
                pass
            elif isinstance(cell, str):
                cell = clean_cell_text(cell)
                if not cell.strip():
                    cell = None
                else:
                    nfc = _nfc(cell)
                    was_nfd = was_nfd or nfc != cell
                    cell = nfc
            row.append(cell)
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        row.extend([None] * (width - len(row)))
    return rows, was_nfd
