"""Reading a return file (xlsx, xlsm, xls, ods or csv) into a grid of cells.

Workbooks are read with python-calamine: one fast reader for every Excel
format, which returns cached formula results and never evaluates formulas or
runs macros. CSV files are decoded as UTF-8 (with or without BOM) or, failing
that, Windows-1258, and split on ``;``, ``,`` or tab, whichever gives the most
consistent rows. All text is returned in NFC.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import xml.etree.ElementTree as ET  # noqa: N817  (only reads the workbook's own XML; never fetches entities)
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from helpers.errors import FileProblem
from helpers.text import fold_label

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
    """

    source: str
    name: str
    rows: list[list[object]]
    merged: list[MergedRange] = field(default_factory=list)
    encoding: str | None = None
    was_nfd: bool = False
    uncached_formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """``file › sheet`` for messages."""
        return f"{self.source} › {self.name}"


def read_sheet(path: Path, source: str, template: str) -> Sheet:
    """Read the sheet of ``path`` that holds the return of ``template``.

    Only the first sheet is read, unless a sheet is named ``Biểu 0N`` /
    ``Bieu 0N`` for the template.

    Args:
        path: the file.
        source: the file's name in messages (relative to the year folder).
        template: ``"01"``, ``"02"`` or ``"03"``.

    Raises:
        FileProblem: when the file is empty, of an unknown type or unreadable.
    """
    suffix = path.suffix.lower()
    if suffix not in RETURN_SUFFIXES:
        raise FileProblem(
            source,
            f"'{suffix or '(no extension)'}' is not a spreadsheet type this pipeline reads",
            "save the return as .xlsx (or .xls, .csv) and put it back in the folder",
        )
    size = path.stat().st_size
    if size == 0:
        raise FileProblem(source, "the file is empty (0 bytes)", "ask the agency to send the return again")
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            source,
            f"the file is {size / 2**20:.0f} MB, more than a return can be ({MAX_FILE_BYTES / 2**20:.0f} MB); it was not opened",
            "check that it is the right file; remove pictures or extra sheets and save it again",
        )
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, source)
    if suffix in ZIP_SUFFIXES:
        _refuse_zip_bomb(path, source)
    return _read_workbook(path, source, template)


def _refuse_zip_bomb(path: Path, source: str) -> None:
    """Look at a workbook's table of contents (not its data) and refuse one that would unpack too large."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the workbook reader reports what is wrong with it
    unpacked = sum(member.file_size for member in members)
    bomb = next(
        (m for m in members if m.file_size > 10 * 2**20 and m.file_size > MAX_PACKING_RATIO * max(m.compress_size, 1)),
        None,
    )
    if unpacked > MAX_UNPACKED_BYTES or bomb is not None:
        raise FileProblem(
            source,
            f"the workbook would unpack to {unpacked / 2**20:,.0f} MB"
            + (f" ('{bomb.filename}' is packed {bomb.file_size // max(bomb.compress_size, 1):,} to 1)" if bomb else "")
            + "; it was refused before being opened",
            "this is not a normal return (a zip bomb or a damaged file): ask the agency to send the return again",
        )


def _read_workbook(path: Path, source: str, template: str) -> Sheet:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        if not names:
            raise FileProblem(source, "the workbook has no sheets", "ask the agency to send the return again")
        wanted = f"bieu {template}"
        name = next((n for n in names if fold_label(n) == wanted), names[0])
        sheet = workbook.get_sheet_by_name(name)
        raw_rows = sheet.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        uncached = find_uncached_formulas(path, name) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    except FileProblem:
        raise
    except Exception as error:  # calamine raises several error types for broken files
        raise FileProblem(
            source,
            f"cannot be opened as a spreadsheet ({type(error).__name__}: {error})",
            "open it in Excel or LibreOffice, save it again as .xlsx, and put it back in the folder",
        ) from None
    rows, was_nfd = _normalise_rows(raw_rows)
    return Sheet(source=source, name=_nfc(name), rows=rows, merged=merged, was_nfd=was_nfd, uncached_formulas=uncached)


_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def find_uncached_formulas(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """Cells of an xlsx/xlsm sheet that hold a formula but no saved result.

    A workbook written by a program (not saved by Excel) may carry formulas
    without their values; they read as empty, which would turn a number into
    "not reported" silently. Formulas are never evaluated: they are reported.

    Returns:
        ``(row, column)`` (0-based) → the formula text.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            relations = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target") for rel in relations}
            rel_id = next(
                (sheet.get(f"{_REL_NS}id") for sheet in workbook.iter(f"{_NS}sheet") if _nfc(sheet.get("name", "")) == _nfc(sheet_name)),
                None,
            )
            target = targets.get(rel_id or "")
            if not target:
                return {}
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if not _mentions_formulas(archive, member):
                return {}
            found: dict[tuple[int, int], str] = {}
            with archive.open(member) as stream:
                for _, element in ET.iterparse(stream):
                    if element.tag != f"{_NS}c":
                        continue
                    formula = element.find(f"{_NS}f")
                    value = element.find(f"{_NS}v")
                    if formula is not None and (value is None or not (value.text or "").strip()):
                        match = _CELL_REF.match(element.get("r", ""))
                        if match:
                            found[(int(match[2]) - 1, _column_index(match[1]))] = "=" + (formula.text or "")
                    element.clear()
            return found
    except (KeyError, zipfile.BadZipFile, ET.ParseError, OSError):
        return {}


def _mentions_formulas(archive: zipfile.ZipFile, member: str) -> bool:
    """A quick byte scan: does the sheet hold any formula at all (most returns hold none)?"""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                return True
            tail = chunk[-3:]
    return False


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _read_csv(path: Path, source: str) -> Sheet:
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            source,
            "the file is named .csv but is an Excel workbook",
            "rename it to .xlsx (or .xls), or save it from Excel as CSV",
        )
    try:
        text, encoding = data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1258", errors="replace"), "cp1258"
    if "\x00" in text:
        raise FileProblem(
            source,
            "the file holds binary data, not text",
            "save the return from Excel as CSV UTF-8 (or as .xlsx) and put it back in the folder",
        )
    lines = text.splitlines()
    delimiter = _guess_delimiter(lines)
    raw_rows = [list(record) for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    rows, was_nfd = _normalise_rows(raw_rows)
    # Windows-1258 writes tone marks as combining characters by design: that is
    # the encoding, not text typed in NFD.
    return Sheet(source=source, name="CSV", rows=rows, encoding=encoding, was_nfd=was_nfd and encoding != "cp1258")


def _guess_delimiter(lines: list[str]) -> str:
    """The delimiter that splits most lines into the same number (>1) of fields."""
    sample = [line for line in lines[:200] if line.strip()]
    best, best_score = ",", -1
    for delimiter in (";", ",", "\t"):
        widths = [len(record) for record in csv.reader(sample, delimiter=delimiter) if len(record) > 1]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = count * 1000 + width
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _normalise_rows(raw_rows: list[list[object]]) -> tuple[list[list[object]], bool]:
    """Blank cells to ``None``, text to NFC; report whether any text was NFD."""
    was_nfd = False
    rows: list[list[object]] = []
    for raw in raw_rows:
        row: list[object] = []
        for cell in raw:
            if isinstance(cell, str):
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
