"""Reading a table the analyst edits (programme, targets, corrections): one rule for its file and its header.

The file must be UTF-8 CSV (Excel's "CSV UTF-8"; a file saved in the Windows
code page is refused, never guessed at) and hold every column of the table.
Either failure is a :class:`~helpers.errors.FileProblem` naming the file and
saying what to do; the row checks are each table's own.
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


def read_edited_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of an edited table as NFC text (empty cells as ``""``), blank lines skipped.

    Raises:
        FileProblem: the file cannot be read as UTF-8 CSV, a row has more cells than the header (named by its
            line), or the header lacks some of ``columns``.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problem = message("table.unreadable", error=type(error).__name__)
        raise FileProblem(path.name, problem, message("table.save_utf8")) from None
    reader = csv.reader(io.StringIO(text))
    header = [to_nfc(cell).strip() for cell in next(reader, [])]
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) > len(header):  # a comma typed in a cell shifted the row: never read it shifted
            where = message("table.where", file=path.name, line=reader.line_num)
            problem = message("table.row_too_long", cells=len(row), header=len(header))
            raise FileProblem(where, problem, message("table.same_cells"))
        rows.append([to_nfc(cell) for cell in row] + [""] * (len(header) - len(row)))
    table = pd.DataFrame(rows, columns=header, dtype=str)
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise FileProblem(
            path.name,
            message("table.missing_columns", columns=", ".join(missing)),
            message("table.header_must_be", header=",".join(columns)),
        )
    return table
