"""``reports/<year>/review.docx``: the draft báo cáo sơ kết the secretariat edits in Word.

The document follows the layout of Decree 30/2020/NĐ-CP for administrative
documents: A4, Times New Roman (13 pt body, 14 pt title, 12 pt in tables),
margins top and bottom 20 mm, left 30 mm, right 15 mm, page numbers centred
at the top from page 2. It holds the national-motto block and the title,
a narrative written from the data (per theme: what was done, by whom,
against last year; then the targets; then a short paragraph on the quality
of the data), real Word tables and the review's figures as PNG.

This module assembles the document; the sentences are written by
:mod:`helpers.publish.report_text` (every one from a ``docx.*`` template of
the message catalogue), the page, fonts and tables laid out by
:mod:`helpers.publish.report_layout`. The same data give the same bytes
(fixed document dates and zip timestamps).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from helpers.messages import message
from helpers.outputs import atomic_path, normalise_zip
from helpers.publish import review
from helpers.publish.print_tables import district_rows_table
from helpers.publish.render import draft_report_name
from helpers.publish.report_layout import (
    BODY_PT,
    CONTENT_WIDTH_CM,
    TITLE_PT,
    add_figure,
    add_heading,
    add_paragraph,
    add_table,
    set_cell_text,
    set_font,
    set_widths,
    setup_page,
)
from helpers.publish.report_text import (
    THEMES,
    activity_sentence,
    cumulative_sentence,
    development_sentences,
    quality_sentences,
    target_sentences,
)

FIXED_DATE = dt.datetime(2000, 1, 1)
FIGURES = ("fig1_outputs_by_agency", "fig3_htx_over_years", "fig6_targets")
"""The review's figures placed in the draft (figure 6 only when targets apply)."""


def _motto_block(document, data: review.YearData) -> None:
    """Issuing bodies and number on the left; the national motto, place and date on the right (Decree 30/2020)."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, [6.5, CONTENT_WIDTH_CM - 6.5])
    left, right = table.rows[0].cells
    set_cell_text(left, message("docx.issuers", data.lang), size=12, bold=True)
    set_font(left.add_paragraph().add_run(message("docx.number", data.lang)), BODY_PT)
    left.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_cell_text(right, message("docx.country", data.lang), size=12, bold=True)
    motto = right.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(motto.add_run(message("docx.motto", data.lang)), BODY_PT, bold=True, underline=True)
    place = right.add_paragraph()
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraph_format.space_before = Pt(6)
    set_font(place.add_run(message("docx.place_date", data.lang, report_year=data.year + 1)), BODY_PT, italic=True)


def _tables(data: review.YearData) -> list[tuple[str, pd.DataFrame, list[float]]]:
    """The appendix tables: (caption, table, column widths in cm: one per column of the table)."""
    lang, year = data.lang, data.year
    activity = review.activity_table(data)
    # indicator, unit, province; the agencies share the rest of the width (2 cm each for four agencies)
    labels = [4.6, 1.6, 2.3]
    agency_count = len(activity.columns) - len(labels)
    agency_width = round((CONTENT_WIDTH_CM - sum(labels)) / max(1, agency_count), 2)
    out = [(message("docx.table_activity", lang, year=year), activity, [*labels, *[agency_width] * agency_count])]
    districts = district_rows_table(data)
    first = 3.0
    out.append(
        (
            message("docx.table_districts", lang, year=year),
            districts,
            [first] + [(CONTENT_WIDTH_CM - first) / (len(districts.columns) - 1)] * (len(districts.columns) - 1),
        )
    )
    if data.has_previous_year:
        changes = review.headline_table(data)
        out.append(
            (
                message("docx.table_changes", lang, year=year, previous_year=year - 1),
                changes,
                [5.0, 1.8, 2.3, 2.3, 2.2, 2.4],
            )
        )
    if not data.targets.empty:
        targets = review.targets_table(data).drop(columns=[data.t("source")])
        out.append((message("docx.table_targets", lang, year=year), targets, [5.0, 2.0, 3.0, 2.2, 2.8]))
    return out


def build_document(data: review.YearData, figures: dict | None = None):
    """The draft report of ``data`` as a python-docx ``Document`` (not saved).

    Args:
        data: the year's review data (:func:`helpers.publish.review.load_year`).
        figures: the saved figures by stem (:func:`helpers.publish.review.make_figures`); none: no figures.
    """
    lang, year = data.lang, data.year
    document = Document()
    setup_page(document)
    _motto_block(document, data)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.space_after = Pt(0)
    set_font(title.add_run(message("docx.kind", lang)), TITLE_PT, bold=True)
    programme = data.programme
    heading = (
        message("docx.title_period", lang, year=year, period=programme.period)
        if programme
        else message("docx.title", lang, year=year)
    )
    add_paragraph(
        document, heading, size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    ).paragraph_format.space_after = Pt(12)
    add_paragraph(
        document, message("docx.draft_note", lang), size=12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    if data.is_sample:
        add_paragraph(
            document,
            message("docx.sample_note", lang),
            size=12,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )

    add_paragraph(document, message("docx.intro", lang, year=year))
    if not data.has_previous_year:
        add_paragraph(document, message("docx.intro_first", lang, year=year))
    add_heading(document, message("docx.section_results", lang, year=year), 1)
    territory = data.territory_note("changes")  # the changes below compare two territories: said first
    if territory:
        add_paragraph(document, territory, italic=True)
    for theme, indicators in THEMES.items():
        add_heading(document, message(f"docx.{theme}", lang), 2)
        add_paragraph(document, " ".join(activity_sentence(data, indicator) for indicator in indicators))
    cumulative = cumulative_sentence(data)
    if cumulative:
        add_paragraph(document, cumulative)
    add_heading(document, message("docx.theme_development", lang), 2)
    add_paragraph(document, " ".join(development_sentences(data)))
    add_heading(document, message("docx.section_targets", lang), 1)
    for sentence in target_sentences(data):
        add_paragraph(document, sentence)
    add_heading(document, message("docx.section_quality", lang), 1)
    add_paragraph(document, " ".join(quality_sentences(data)))
    _signature(document, data)

    document.add_page_break()
    add_heading(document, message("docx.section_tables", lang), 1)
    for number, (caption, table, widths) in enumerate(_tables(data), start=1):
        add_table(document, table, message("docx.table", lang, number=number, caption=caption), widths)
    add_paragraph(document, message("docx.not_reported_note", lang), size=12, italic=True, indent=False)
    shown = [stem for stem in FIGURES if figures and stem in figures]
    for number, stem in enumerate(shown, start=1):
        add_figure(
            document,
            Path(figures[stem].png),
            message("docx.figure", lang, number=number, caption=_figure_caption(stem, data)),
        )
    properties = document.core_properties
    properties.author = properties.last_modified_by = "coop-review"
    properties.title = heading
    properties.created = properties.modified = properties.last_printed = FIXED_DATE
    properties.revision = 1
    return document


def _figure_caption(stem: str, data: review.YearData) -> str:
    """The caption of a figure placed in the draft: the figure's own title, in the draft's language."""
    key = {
        "fig1_outputs_by_agency": "outputs_by_agency",
        "fig3_htx_over_years": "htx_over_years",
        "fig6_targets": "targets",
    }[stem]
    return message(f"figure.{key}", data.lang, **({"year": data.year} if key != "htx_over_years" else {}))


def _signature(document, data: review.YearData) -> None:
    """``Nơi nhận`` on the left, the signers on the right."""
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [7.5, CONTENT_WIDTH_CM - 7.5])
    left, right = table.rows[0].cells
    set_cell_text(
        left, message("docx.recipients", data.lang), size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT
    )
    for line in message("docx.recipients_list", data.lang).split("\n"):
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        set_font(paragraph.add_run(line), 11)
    set_cell_text(right, message("docx.signers", data.lang), size=BODY_PT, bold=True)


def write_draft_report(data: review.YearData, target: Path, figures: dict | None = None) -> Path:
    """Write ``reports/<year>/review.docx`` (Vietnamese) or ``review.<lang>.docx``; the same data give the same bytes.

    Args:
        data: the year's review data.
        target: the file to write.
        figures: the saved figures by stem (PNG placed at the content width).
    """
    document = build_document(data, figures)
    with atomic_path(target) as temporary:
        document.save(str(temporary))
        normalise_zip(temporary)
    return target


def write_year_draft(data: review.YearData, paths, figures: dict | None = None) -> Path:
    """Write the draft of ``data``'s year to ``reports/<year>/review.docx``, ``review.<lang>.docx`` in another language.

    Returns:
        The file written.
    """
    return write_draft_report(data, paths.reports_year(data.year) / draft_report_name(data.lang), figures)
