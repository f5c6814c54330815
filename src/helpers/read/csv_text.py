"""Splitting CSV text by physical line, as a text editor numbers the lines.

``raw-data.md`` § A closed world: *a CSV line is a row*. Python's ``csv``
module reads by record: a quote that is opened and never closed swallows every
line after it, silently, and the record numbers no longer match the lines an
editor shows. This splitter reads each line on its own (:attr:`CsvText.alone`)
and, for a line that ends inside an open quote, also says where that quote
would close and what the record would then be (:attr:`CsvText.spans`).
Whether such a quoted line break is allowed (a two-line header label) or the
quote is a stray one is decided with the table in view, by
:func:`helpers.read.csv_quotes.settle_quotes`.

Quotes follow Excel and RFC 4180: a field is quoted when it starts with ``"``;
inside it ``""`` is a quote; a quote then ends the quoted part, and what follows
up to the delimiter is kept as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""The line breaks an editor breaks lines at (``str.splitlines`` also breaks at form feeds and U+2028)."""

DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class CsvText:
    """The lines of a CSV file, each split on its own, and the quoted line breaks it may hold.

    Attributes:
        delimiter: ``;``, ``,`` or a tab.
        alone: every physical line split on its own (a quote left open runs to the end of its line).
        open_quote: 0-based lines that end inside an open quote.
        spans: line that opens a quote → (the line where the record ends, the record's fields).
            A line of :attr:`open_quote` missing here opens a quote that never closes.
    """

    delimiter: str
    alone: list[list[str]]
    open_quote: frozenset[int]
    spans: dict[int, tuple[int, list[str]]]


def physical_lines(text: str) -> list[str]:
    """The lines of ``text`` as an editor numbers them (a final line break ends the last line, it adds none)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def split_csv(text: str) -> CsvText:
    """Split CSV text into physical lines and fields, guessing the delimiter."""
    lines = physical_lines(text)
    delimiter = guess_delimiter(lines)
    alone: list[list[str]] = []
    open_quote: set[int] = set()
    spans: dict[int, tuple[int, list[str]]] = {}
    for index in range(len(lines)):
        fields, _, still_open = _scan(lines, index, delimiter, join=False)
        alone.append(fields)
        if not still_open:
            continue
        open_quote.add(index)
        joined, end, never_closed = _scan(lines, index, delimiter, join=True)
        if not never_closed:
            spans[index] = (end, joined)
    return CsvText(delimiter, alone, frozenset(open_quote), spans)


def _scan(lines: list[str], start: int, delimiter: str, *, join: bool) -> tuple[list[str], int, bool]:
    """The fields of the record that starts at line ``start``.

    Args:
        lines: the physical lines of the file.
        start: the 0-based line the record starts at.
        delimiter: the field delimiter.
        join: whether a quote open at the end of a line goes on into the next line.

    Returns:
        The fields, the last line read, and whether the record ended inside an open quote.
    """
    fields: list[str] = []
    field: list[str] = []
    quoted = False
    at_start = True
    index = start
    while True:
        line, position = lines[index], 0
        while position < len(line):
            char = line[position]
            position += 1
            if quoted:
                if char != '"':
                    field.append(char)
                elif position < len(line) and line[position] == '"':
                    field.append('"')
                    position += 1
                else:
                    quoted = False
            elif char == delimiter:
                fields.append("".join(field))
                field, at_start = [], True
            elif char == '"' and at_start:
                quoted, at_start = True, False
            else:
                field.append(char)
                at_start = False
        if quoted and join and index + 1 < len(lines):
            field.append("\n")
            index += 1
            continue
        if fields or field or quoted or not at_start:
            fields.append("".join(field))
        return fields, index, quoted


def guess_delimiter(lines: list[str]) -> str:
    """The delimiter that splits most lines into the same number (>1) of fields."""
    sample = [line for line in lines[:200] if line.strip()]
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        widths = [len(fields) for fields in (_scan([line], 0, delimiter, join=False)[0] for line in sample)]
        widths = [width for width in widths if width > 1]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = count * 1000 + width
        if score > best_score:
            best, best_score = delimiter, score
    return best
