"""What a workbook knows about its cells that their values alone do not say.

python-calamine returns the values of a sheet, but an Excel error (``#REF!``,
``#DIV/0!``, ``#N/A`` …) comes back as an empty cell, and nothing says whether
a number is shown as a percentage or whether a row or column is hidden. Each
of these would move a number silently (``raw-data.md`` § Sheets, cells and
numbers that must not be guessed), so this module reads them from the file
itself:

* ``.xlsx``/``.xlsm``: the sheet's XML and ``styles.xml`` (one streaming pass,
  and only when a quick byte scan finds something to look at);
* ``.xls``: xlrd, which reads cell types and formats of the old binary format;
* ``.ods``: the ``content.xml`` of the OpenDocument file.

Nothing here evaluates a formula or runs a macro.

Why this module is long: it reads the same few facts from three file formats,
one short reader each, behind one question the caller asks
(:func:`inspect_sheet`); apart, the three would repeat the facts and their
limits.
"""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

Cell = tuple[int, int]
"""(row, column), 0-based."""

EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)
"""The error values a spreadsheet cell can show (Excel and LibreOffice)."""


@dataclass
class SheetFacts:
    """Facts about the cells of one sheet, beyond their values.

    Attributes:
        errors: cells showing an Excel error → the error as shown (``#DIV/0!``).
        percent: cells holding a number formatted as a percentage.
        hidden_rows: 0-based indexes of hidden rows.
        hidden_columns: 0-based indexes of hidden columns.
        uncached_formulas: cells holding a formula with no saved result → the formula.
    """

    errors: dict[Cell, str] = field(default_factory=dict)
    percent: set[Cell] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    uncached_formulas: dict[Cell, str] = field(default_factory=dict)


class FactsUnavailable(Exception):
    """The file's cell facts could not be read (the caller turns this into a located problem)."""


def inspect_sheet(path: Path, sheet_name: str, data: bytes | None = None) -> SheetFacts:
    """Read the facts of the sheet ``sheet_name`` of a workbook.

    Args:
        path: the file (its suffix says its format).
        sheet_name: the sheet.
        data: the file's bytes, when they are already read (the file is then not opened again).

    Raises:
        FactsUnavailable: when the file cannot be inspected (damaged parts).
    """
    suffix = path.suffix.lower()
    source: Path | io.BytesIO = io.BytesIO(data) if data is not None else path
    if suffix in (".xlsx", ".xlsm"):
        return _inspect_xlsx(source, sheet_name)
    if suffix == ".xls":
        return _inspect_xls(path, sheet_name, data)
    if suffix == ".ods":
        return _inspect_ods(source, sheet_name)
    return SheetFacts()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# -- xlsx ---------------------------------------------------------------------

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_PERCENT_BUILTIN_FORMATS = {"9", "10"}
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_TRUE = ("1", "true")


def is_percent_format(code: str) -> bool:
    """Whether a number-format code shows the value as a percentage (``0%``, ``0.00%``, not ``"%"`` quoted)."""
    return "%" in _QUOTED.sub("", code)


def _percent_styles(archive: zipfile.ZipFile) -> set[str]:
    """Indexes (as text) of the cell formats that show numbers as percentages."""
    try:
        styles = ET.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    percent_ids = set(_PERCENT_BUILTIN_FORMATS)
    for number_format in styles.iter(f"{_NS}numFmt"):
        if is_percent_format(number_format.get("formatCode", "")):
            percent_ids.add(number_format.get("numFmtId", ""))
    cell_formats = styles.find(f"{_NS}cellXfs")
    if cell_formats is None:
        return set()
    return {
        str(index)
        for index, xf in enumerate(cell_formats.findall(f"{_NS}xf"))
        if xf.get("numFmtId", "0") in percent_ids
    }


def _sheet_member(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    relations = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in relations}
    rel_id = next(
        (s.get(f"{_REL_NS}id") for s in workbook.iter(f"{_NS}sheet") if _nfc(s.get("name", "")) == _nfc(sheet_name)),
        None,
    )
    target = targets.get(rel_id or "")
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _worth_parsing(archive: zipfile.ZipFile, member: str, percent_styles: set[str]) -> bool:
    """A quick byte scan: does the sheet hold anything this module looks for (most returns hold nothing)?"""
    needles = [b"<f>", b"<f ", b't="e"', b'hidden="1"', b'hidden="true"'] + [
        f's="{s}"'.encode() for s in percent_styles
    ]
    longest = max(len(n) for n in needles)
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            if any(needle in window for needle in needles):
                return True
            tail = chunk[-longest:]
    return False


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _inspect_xlsx(path: Path | io.BytesIO, sheet_name: str) -> SheetFacts:
    facts = SheetFacts()
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet_name)
            if member is None:
                return facts
            percent_styles = _percent_styles(archive)
            if not _worth_parsing(archive, member, percent_styles):
                return facts
            with archive.open(member) as stream:
                for _, element in ET.iterparse(stream):
                    tag = element.tag
                    if tag == f"{_NS}c":
                        _xlsx_cell(element, percent_styles, facts)
                        element.clear()
                    elif tag == f"{_NS}row":
                        if element.get("hidden") in _TRUE:
                            facts.hidden_rows.add(int(element.get("r", "0")) - 1)
                        element.clear()
                    elif tag == f"{_NS}col" and element.get("hidden") in _TRUE:
                        first, last = int(element.get("min", "1")), int(element.get("max", "1"))
                        facts.hidden_columns.update(range(first - 1, min(last, 16384)))
    except (KeyError, zipfile.BadZipFile, ET.ParseError, OSError, ValueError) as error:
        raise FactsUnavailable(f"{type(error).__name__}: {error}") from None
    return facts


def _xlsx_cell(element: ET.Element, percent_styles: set[str], facts: SheetFacts) -> None:
    match = _CELL_REF.match(element.get("r", ""))
    if not match:
        return
    where = (int(match[2]) - 1, _column_index(match[1]))
    kind = element.get("t", "n")
    value = element.find(f"{_NS}v")
    text = (value.text or "").strip() if value is not None else ""
    formula = element.find(f"{_NS}f")
    if kind == "e":
        facts.errors[where] = text or "#N/A"
    elif formula is not None and (value is None or (not text and kind not in ("str", "inlineStr"))):
        # (a formula whose saved result is the empty text, =IFERROR(…;""), has a result: not reported)
        facts.uncached_formulas[where] = "=" + (formula.text or "")
    elif kind == "n" and text and element.get("s") in percent_styles:
        facts.percent.add(where)


# -- xls ----------------------------------------------------------------------


def _inspect_xls(path: Path, sheet_name: str, data: bytes | None = None) -> SheetFacts:
    import xlrd  # imported here: only .xls returns need it

    facts = SheetFacts()
    try:
        book = xlrd.open_workbook(str(path), file_contents=data, formatting_info=True, on_demand=True)
        sheet = next(
            book.sheet_by_index(i) for i, name in enumerate(book.sheet_names()) if _nfc(name) == _nfc(sheet_name)
        )
    except StopIteration:
        return facts
    except Exception as error:  # xlrd raises several error types for files it cannot read
        raise FactsUnavailable(f"{type(error).__name__}: {error}") from None
    percent_xfs = {
        index
        for index, xf in enumerate(book.xf_list)
        if xf.format_key in book.format_map and is_percent_format(book.format_map[xf.format_key].format_str)
    }
    for r in range(sheet.nrows):
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_ERROR:
                facts.errors[(r, c)] = xlrd.error_text_from_code.get(cell.value, "#N/A")
            elif cell.ctype == xlrd.XL_CELL_NUMBER and cell.xf_index in percent_xfs:
                facts.percent.add((r, c))
    facts.hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
    facts.hidden_columns = {c for c, info in sheet.colinfo_map.items() if info.hidden}
    return facts


# -- ods ----------------------------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_ERROR = re.compile(r"^(#[A-Z/0!?_]+[!?A]?|Err:\d{3})$")
_MAX_ROWS = 1_048_576


def _inspect_ods(path: Path | io.BytesIO, sheet_name: str) -> SheetFacts:
    """The facts of one sheet of an OpenDocument spreadsheet, read from its ``content.xml``.

    Raises:
        FactsUnavailable: when the file is not a readable OpenDocument archive.
    """
    facts = SheetFacts()
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            _scan_ods_content(stream, sheet_name, facts)
    except (KeyError, zipfile.BadZipFile, ET.ParseError, OSError, ValueError) as error:
        raise FactsUnavailable(f"{type(error).__name__}: {error}") from None
    return facts


def _scan_ods_content(stream, sheet_name: str, facts: SheetFacts) -> None:
    """Stream ``content.xml`` into ``facts``: the named sheet's hidden rows and columns, errors and percentages.

    The XML is read as a stream, each row cleared once read, so that a sheet of
    a million rows never sits in memory; reading stops at the end of the sheet.
    """
    in_sheet = False
    row, columns = -1, 0
    for event, element in ET.iterparse(stream, events=("start", "end")):
        tag = element.tag
        if tag == f"{_TABLE}table":
            if event == "start":
                in_sheet = _nfc(element.get(f"{_TABLE}name", "")) == _nfc(sheet_name)
                row, columns = -1, 0
            elif in_sheet:
                break
            continue
        if not in_sheet:
            if event == "end" and tag == f"{_TABLE}table-row":
                element.clear()
            continue
        if tag == f"{_TABLE}table-column" and event == "start":
            columns = _ods_column(element, columns, facts)
        elif tag == f"{_TABLE}table-row" and event == "end":
            row = _ods_row(element, row, facts)


def _ods_row(element: ET.Element, last_row: int, facts: SheetFacts) -> int:
    """Note the facts of a row element (hidden, its cells), then clear it; return the index of its last row.

    One element may stand for many repeated rows; a hidden run is noted for at
    most 10,000 rows (the blank tail a spreadsheet program writes).
    """
    repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
    first = last_row + 1
    row = last_row + repeat
    if element.get(f"{_TABLE}visibility", "visible") != "visible" and first < _MAX_ROWS:
        facts.hidden_rows.update(range(first, min(row + 1, first + 10_000)))
    _ods_row_cells(element, first, facts)
    element.clear()
    return row


def _ods_column(element: ET.Element, start: int, facts: SheetFacts) -> int:
    """Note a hidden column declaration (columns are declared in order); return the next column's index."""
    repeat = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
    if element.get(f"{_TABLE}visibility", "visible") != "visible":
        facts.hidden_columns.update(range(start, min(start + repeat, 16384)))
    return start + repeat


def _ods_row_cells(element: ET.Element, row: int, facts: SheetFacts) -> None:
    column = 0
    for cell in element:
        if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            continue
        repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
        value_type = cell.get(f"{_CALCEXT}value-type") or cell.get(f"{_OFFICE}value-type")
        shown = "".join(p.text or "" for p in cell.iter(f"{_TEXT}p")).strip()
        if value_type == "error" or (
            cell.get(f"{_TABLE}formula") and cell.get(f"{_OFFICE}string-value") == "" and _ODS_ERROR.match(shown)
        ):
            facts.errors[(row, column)] = shown or "#N/A"
        elif value_type == "percentage":
            facts.percent.add((row, column))
        column += repeat
