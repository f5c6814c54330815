"""Reading a table the analyst edits (programme, targets, corrections): one rule for its file and its header.

Excel saves a CSV with the list separator of the computer's locale: ``,`` in
English, ``;`` in Vietnamese (whose decimal mark is the comma), and a tab in
"Unicode Text". The separator is **decided, not guessed**: it is the one of
``,`` ``;`` tab that splits the header line into the table's expected column
names (or the one an Excel ``sep=;`` first line names). A number where one is
expected is each table's to read (the contract's reading of numbers, decimal
comma included: :func:`helpers.read.values.read_number`).

The file must be UTF-8 (with or without a byte-order mark) or UTF-16 with its
byte-order mark (Excel's "Unicode Text"); a file saved in the Windows code page
is refused, never guessed at. Every refusal is a
:class:`~helpers.errors.FileProblem` that names the file and the real cause
(an Excel workbook renamed ``.csv``, a code page, a header that is not the
first line, columns that are missing) and says what to do; the row checks are
each table's own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from helpers.errors import FileProblem
from helpers.messages import message
from helpers.text import to_nfc

SEPARATORS = {",": "table.sep_comma", ";": "table.sep_semicolon", "\t": "table.sep_tab"}
"""The separators a table may be saved with, and the catalogue's name of each."""
HEADER_SEARCH_LINES = 10
"""Lines looked at for a header that is not the first line (to name that cause, never to read past it)."""
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_edited_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of an edited table as NFC text (empty cells as ``""``), blank lines skipped.

    Raises:
        FileProblem: the file cannot be read as text, its header line is not split into ``columns`` by any
            separator, or a row has more cells than the header (named by its line).
    """
    text = _decoded_text(path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise FileProblem(path.name, message("table.empty"), message("table.header_must_be", header=",".join(columns)))
    body, offset, named = text, 0, _named_separator(lines[0])
    if named is not None:  # Excel's "sep=;" line: the separator is stated
        body, offset = text.split("\n", 1)[1] if "\n" in text else "", 1
    separator = named if named is not None else _separator_of(path, lines, columns)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator)
    header = [to_nfc(cell).strip() for cell in next(reader, [])]
    missing = [column for column in columns if column not in header]
    if missing:
        raise _missing_columns(path, lines[offset] if offset < len(lines) else "", missing, columns, separator)
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) > len(header):  # a separator typed in a cell shifted the row: never read it shifted
            where = message("table.where", file=path.name, line=reader.line_num + offset)
            problem = message("table.row_too_long", cells=len(row), header=len(header))
            raise FileProblem(where, problem, message("table.same_cells_sep", separator=message(SEPARATORS[separator])))
        rows.append([to_nfc(cell) for cell in row] + [""] * (len(header) - len(row)))
    return pd.DataFrame(rows, columns=header, dtype=str)


def _decoded_text(path: Path) -> str:
    """The file as text: UTF-8 (BOM or not), or UTF-16 with its BOM; else a problem naming the real cause."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileProblem(
            path.name, message("table.unreadable", error=type(error).__name__), message("table.close_and_retry")
        ) from None
    if data.startswith(_ZIP_MAGIC):  # an .xlsx workbook given a .csv name
        raise FileProblem(path.name, message("table.is_workbook"), message("table.save_utf8"))
    try:
        return data.decode("utf-16") if data.startswith(_UTF16_BOMS) else data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(path.name, message("table.not_utf8", line=line), message("table.save_utf8")) from None


def _named_separator(line: str) -> str | None:
    """The separator an Excel ``sep=;`` first line names (``None`` when the line is not one)."""
    stated = line.strip().lower()
    if stated.startswith("sep=") and len(stated) == 5 and stated[4] in SEPARATORS:
        return stated[4]
    return None


def _split(line: str, separator: str) -> list[str]:
    """One line's cells with ``separator`` (quotes honoured), NFC and trimmed."""
    return [to_nfc(cell).strip() for cell in next(csv.reader([line], delimiter=separator), [])]


def _separator_of(path: Path, lines: list[str], columns: Sequence[str]) -> str:
    """The separator that splits the header line into every expected column name.

    Raises:
        FileProblem: none does — with the real cause: the header is on a later line, or some columns are missing.
    """
    fits = [sep for sep in SEPARATORS if all(column in _split(lines[0], sep) for column in columns)]
    if fits:  # never more than one: that would need a column name holding a separator, and none does
        return fits[0]
    for number, line in enumerate(lines[1:HEADER_SEARCH_LINES], start=2):
        if any(all(column in _split(line, sep) for column in columns) for sep in SEPARATORS):
            raise FileProblem(
                path.name,
                message("table.header_not_first", line=number),
                message("table.header_first_action", header=",".join(columns)),
            )
    best = max(SEPARATORS, key=lambda sep: sum(column in _split(lines[0], sep) for column in columns))
    missing = [column for column in columns if column not in _split(lines[0], best)]
    raise _missing_columns(path, lines[0], missing, columns, best)


def _missing_columns(path: Path, line: str, missing: list[str], columns: Sequence[str], separator: str) -> FileProblem:
    """The problem of a header that lacks some expected columns, showing the header line as it is."""
    if len(missing) == len(columns):
        problem = message("table.header_unknown", line=line.strip()[:120])
    else:
        problem = message(
            "table.missing_columns_sep",
            columns=", ".join(missing),
            separator=message(SEPARATORS[separator]),
        )
    return FileProblem(path.name, problem, message("table.header_must_be", header=",".join(columns)))
