"""``reports/<year>/ghi-chu-so-lieu.docx``: the secretariat's internal note on the data behind the report.

What the signed report must not carry — the files read, the rows accepted,
rejected and not data, the rejected rows with their place and fix, the
cross-checks — is written here for the analyst, in the same page layout.
Every sentence is a catalogue message (``docx.quality_*``, ``note.*``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from helpers.messages import message
from helpers.outputs import atomic_path, normalise_zip
from helpers.publish import review
from helpers.publish.render import note_name
from helpers.publish.report_layout import TITLE_PT, add_paragraph, add_table, setup_page

NOTE_REJECT_ROWS = 200
"""Rejected rows listed in the note; the rest are in ``rejects.xlsx``, and the note says how many."""
FIXED_DATE = dt.datetime(2000, 1, 1)


def quality_sentences(data: review.YearData) -> list[str]:
    """Rows read, accepted, rejected; missing files; approximate values; cross-checks."""
    from helpers.read.returns import NON_DATA_KINDS

    lang = data.lang
    read = data.ledger[data.ledger["status"] == "read"] if not data.ledger.empty else data.ledger
    out = []
    if not read.empty:
        out.append(
            message(
                "docx.quality_read",
                lang,
                files=len(read),
                rows=int(read["rows_read"].sum()),
                accepted=int(read["accepted"].sum()),
                rejected=int(read["rejected"].sum()),
                non_data=int(read[list(NON_DATA_KINDS)].sum().sum()),
            )
        )
    if data.rejects.empty:
        out.append(message("docx.quality_no_rejects", lang))
    else:
        by_file = data.rejects.groupby("file", sort=False)["row"].nunique()
        parts = "; ".join(
            message("docx.quality_rejects_part", lang, file=file, count=int(count)) for file, count in by_file.items()
        )
        out.append(message("docx.quality_rejects", lang, by_file=parts))
    errors = data.problems[data.problems["severity"] == "error"] if not data.problems.empty else data.problems
    if not errors.empty:
        out.append(message("docx.quality_missing", lang, count=len(errors), files=", ".join(map(str, errors["file"]))))
    if not data.approximate.empty:
        out.append(message("docx.quality_approximate", lang, count=len(data.approximate)))
    differ = int((data.cross_checks["status"] == "differ").sum()) if not data.cross_checks.empty else 0
    out.append(
        message("docx.quality_checks_differ", lang, count=differ)
        if differ
        else message("docx.quality_checks_agree", lang)
    )
    return out


def build_note(data: review.YearData):
    """The internal note of ``data``'s year as a python-docx ``Document`` (not saved)."""
    lang = data.lang
    document = Document()
    setup_page(document)
    add_paragraph(
        document,
        message("note.title", lang, year=data.year),
        size=TITLE_PT,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    add_paragraph(document, message("note.subtitle", lang, year=data.year), italic=True, indent=False)
    for sentence in quality_sentences(data):
        add_paragraph(document, sentence)
    ledger = review.ledger_table(data)
    if not ledger.empty:
        add_table(document, ledger, message("note.files", lang))
    rejects = review.rejects_table(data)
    if not rejects.empty:
        shown = rejects.head(NOTE_REJECT_ROWS)
        add_table(document, shown, message("note.rejects", lang))
        if len(rejects) > len(shown):
            add_paragraph(document, message("note.rejects_more", lang, shown=len(shown), total=len(rejects)))
    properties = document.core_properties
    properties.author = properties.last_modified_by = ""
    properties.title = message("note.title", lang, year=data.year)
    properties.created = properties.modified = properties.last_printed = FIXED_DATE
    properties.revision = 1
    return document


def write_year_note(data: review.YearData, paths) -> Path:
    """Write ``reports/<year>/ghi-chu-so-lieu.docx``; the same data give the same bytes (no time stamp)."""
    target = paths.reports_year(data.year) / note_name(data.lang)
    document = build_note(data)
    with atomic_path(target) as temporary:
        document.save(str(temporary))
        normalise_zip(temporary)
    return target
