"""``reports/<year>/review.docx``: the joint report (báo cáo sơ kết, or tổng kết) the four bodies sign.

The page follows Decree 30/2020/NĐ-CP for a report issued jointly by several
bodies: A4, Times New Roman (13 pt body, 14 pt title, 12 pt in tables),
margins top and bottom 20 mm, left 30 mm, right 15 mm, page numbers centred
at the top from page 2; "DỰ THẢO"; each body's full name with the province
over a short rule; the number with each body's symbol; the national motto,
place and date; "BÁO CÁO" and the subject line over a short rule; a signature
block per body (authority, position, room to sign, a name to fill in);
"Nơi nhận"; the appendix "(Kèm theo Báo cáo số …)".

The outline is data (:func:`helpers.publish.report_parts.outline`): headings,
prompts for the editor (highlighted "[…]") and *writers* — the pieces written
from the data, named in :data:`WRITERS`. A programme's last year is a tổng
kết: its title, period, lũy kế tables by body and by year, the targets over
the whole period and the trend figures. Nothing of the tool is in the
document: the data-quality note is a separate file
(:mod:`helpers.publish.report_note`). The same data give the same bytes.

Why this module is long: it lays out the document from top to bottom —
header, title, the outline's writers, signatures, appendix — in the order a
reader meets them; the sentences, tables and page layout live in their own
modules (``report_text``, ``report_assess``, ``report_tables``, ``report_layout``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from helpers.messages import message
from helpers.outputs import atomic_path, normalise_zip
from helpers.publish import report_assess, report_tables, report_text, review
from helpers.publish.render import draft_report_name
from helpers.publish.report_layout import (
    BODY_PT,
    CONTENT_WIDTH_CM,
    TITLE_PT,
    add_boxed,
    add_figure,
    add_heading,
    add_paragraph,
    add_prompt,
    add_rule,
    add_table,
    set_cell_text,
    set_font,
    set_widths,
    setup_page,
    widen_into_left_margin,
)
from helpers.publish.report_parts import Mentions, issuing_bodies, join_names, outline, recipients
from helpers.publish.report_text import activity_sentence as activity_sentence  # the tests' entry to one sentence

FIXED_DATE = dt.datetime(2000, 1, 1)
FIGURES = ("fig1_outputs_by_agency", "fig3_htx_over_years", "fig6_targets")
"""The review's figures placed in a sơ kết (each only when it was drawn)."""
FIGURES_FINAL = (
    "fig1_outputs_by_agency",
    "fig3_htx_over_years",
    "fig4_rating_mix",
    "fig5_revenue_profit",
    "fig6_targets",
)
"""The figures of a tổng kết: the year's outputs and the trends over the period."""
HEADER_LEFT_CM = 8.8
HEADER_RIGHT_CM = 9.2
HEADER_INTO_MARGIN_CM = 1.5
"""The header is 18 cm wide, 1,5 cm of it in the left margin: each body's name and the country's on one line."""


def symbols(data: review.YearData) -> str:
    """The bodies' part of the report's number: ``LMHTX-HND-HCCB-HLHPN``."""
    joiner = message("docx.symbol_joiner", data.lang)
    return joiner.join(body.symbol for body in issuing_bodies(data.reference, data.year, data.lang))


def _header(document, data: review.YearData) -> None:
    """The draft mark; the bodies, rule and number on the left; motto, rule, place and date on the right."""
    lang = data.lang
    add_boxed(document, message("docx.draft_mark", lang))
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [HEADER_LEFT_CM, HEADER_RIGHT_CM])
    widen_into_left_margin(table, HEADER_INTO_MARGIN_CM)
    left, right = table.rows[0].cells
    names = [body.full_name.upper() for body in issuing_bodies(data.reference, data.year, lang)]
    set_cell_text(left, "\n".join(names), size=12, bold=True)
    add_rule(left, 3.0, HEADER_LEFT_CM)
    number = left.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_before = Pt(6)
    set_font(number.add_run(message("docx.number", lang, symbols=symbols(data))), BODY_PT)
    set_cell_text(right, message("docx.country", lang), size=12, bold=True)
    motto = right.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto.paragraph_format.space_after = Pt(0)
    set_font(motto.add_run(message("docx.motto", lang)), BODY_PT, bold=True)
    add_rule(right, 5.6, HEADER_RIGHT_CM)
    place = right.add_paragraph()
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraph_format.space_before = Pt(max(6, 6 + 14 * (len(names) - 2)))  # level with the number
    set_font(
        place.add_run(message("docx.place_date", lang, place=_province(data), report_year=data.year + 1)),
        BODY_PT,
        italic=True,
    )


def _province(data: review.YearData) -> str:
    """The place of the date line (``Ninh Bình``)."""
    del data  # one province: its place name is in the catalogue
    return message("docx.province_place")


def title_text(data: review.YearData) -> str:
    """The subject line: a year's sơ kết, or the tổng kết of the programme's period in its last year."""
    programme = data.programme
    if data.is_final:
        years = programme.last_year - programme.first_year + 1
        return message("docx.title_final", data.lang, years=years, period=programme.period)
    if programme:
        return message("docx.title_period", data.lang, year=data.year, period=programme.period)
    return message("docx.title", data.lang, year=data.year)


def _title(document, data: review.YearData) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.space_after = Pt(0)
    set_font(title.add_run(message("docx.kind", data.lang)), TITLE_PT, bold=True)
    add_paragraph(
        document, title_text(data), size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    ).paragraph_format.space_after = Pt(0)
    add_rule(document, 4.0, CONTENT_WIDTH_CM)
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)
    if data.is_sample:
        add_paragraph(
            document, data.sample.text("docx", data.lang), size=12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER
        )
    add_paragraph(
        document, message("docx.highlight_note", data.lang), size=12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )


# -- the writers of the outline -------------------------------------------------------------------------


def _opening(data: review.YearData, mentions: Mentions) -> list[str]:
    mentions.mark_named(mentions.bodies)
    period = data.programme.period if data.programme else ""
    if data.is_final:
        return [message("docx.opening_final", data.lang, bodies=report_text.body_list(data), period=period)]
    period_words = message("docx.period_words", data.lang, period=period) if period else ""
    return [
        message(
            "docx.opening", data.lang, bodies=report_text.body_list(data), period_words=period_words, year=data.year
        )
    ]


def _year_in_programme(data: review.YearData, mentions: Mentions) -> list[str]:
    programme, lang = data.programme, data.lang
    if programme is None:
        return [message("docx.year_alone", lang, year=data.year)]
    period_words = message("docx.period_words", lang, period=programme.period)
    if data.is_final:
        return [message("docx.year_final", lang, year=data.year, period=programme.period)]
    if data.is_first_year:
        return [message("docx.year_first", lang, year=data.year, period_words=period_words)]
    return [
        message(
            "docx.year_nth",
            lang,
            year=data.year,
            ordinal=data.year - programme.first_year + 1,
            period_words=period_words,
        )
    ]


def _theme(theme: str):
    def write(data: review.YearData, mentions: Mentions) -> list[str]:
        return report_text.theme_sentences(data, theme, mentions)

    return write


def _cumulative(data: review.YearData, mentions: Mentions) -> list[str]:
    sentence = report_text.cumulative_sentence(data)
    return [sentence] if sentence else []


def _territory(data: review.YearData, mentions: Mentions) -> list[str]:
    """The changes below compare two territories (a unit reform since the year before): said first."""
    note = data.territory_note("changes")
    return [note] if note else []


WRITERS = {
    "opening": _opening,
    "year_in_programme": _year_in_programme,
    "territory_changes": _territory,
    "theme_training": _theme("theme_training"),
    "theme_support": _theme("theme_support"),
    "theme_founding": _theme("theme_founding"),
    "cumulative": _cumulative,
    "development": lambda data, mentions: [" ".join(report_text.development_sentences(data))],
    "targets": lambda data, mentions: report_assess.target_sentences(data),
    "period_targets": lambda data, mentions: report_assess.period_target_sentences(data),
    "strengths": lambda data, mentions: report_assess.strengths(data),
    "weaknesses": lambda data, mentions: report_assess.weaknesses(data),
    "next_targets": lambda data, mentions: report_assess.next_target_sentences(data),
}
"""The pieces of the outline written from the data, by the name the outline table gives them."""


def _heading_values(data: review.YearData) -> dict:
    return {
        "year": data.year,
        "next_year": data.year + 1,
        "period": data.programme.period if data.programme else str(data.year),
    }


def _body(document, data: review.YearData) -> None:
    """Every element of the outline, in order."""
    mentions = report_text.new_mentions(data)
    values = _heading_values(data)
    for row in outline(data.is_final):
        if row.kind == "heading":
            add_heading(document, message(row.key, data.lang, **values), row.level)
        elif row.kind == "prompt":
            add_prompt(document, message(row.key, data.lang, **values))
        else:
            if row.key not in WRITERS:
                raise ValueError(f"report_outline.csv names a writer that does not exist: {row.key}")
            for text in WRITERS[row.key](data, mentions):
                add_paragraph(document, text)


def _signature(document, data: review.YearData) -> None:
    """A signature block per body, two a row (authority, position, room to sign, the name); then "Nơi nhận"."""
    lang = data.lang
    bodies = issuing_bodies(data.reference, data.year, lang)
    add_paragraph(document, "", indent=False).paragraph_format.keep_with_next = True
    rows = (len(bodies) + 1) // 2
    table = document.add_table(rows=rows, cols=2)
    half = (CONTENT_WIDTH_CM + HEADER_INTO_MARGIN_CM) / 2
    set_widths(table, [half, half])
    widen_into_left_margin(table, HEADER_INTO_MARGIN_CM)
    for index, body in enumerate(bodies):
        cell = table.rows[index // 2].cells[index % 2]
        heading = body.full_name.upper()
        position = message("docx.signature_position", lang, authority=body.signer_for, title=body.signer_title).strip()
        set_cell_text(cell, f"{heading}\n{position}", size=12, bold=True)
        for _ in range(4):  # room to sign and stamp
            cell.add_paragraph().paragraph_format.space_after = Pt(6)
        name = cell.add_paragraph()
        name.alignment = WD_ALIGN_PARAGRAPH.CENTER
        name.paragraph_format.space_after = Pt(12)
        set_font(name.add_run(message("docx.signature_name", lang)), BODY_PT, bold=True)
    for row in table.rows:
        row._tr.get_or_add_trPr()
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    received = document.add_paragraph()
    received.paragraph_format.space_before = Pt(6)
    received.paragraph_format.space_after = Pt(0)
    set_font(received.add_run(message("docx.recipients", lang)), 12, bold=True, italic=True)
    for line in recipients(lang):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        set_font(paragraph.add_run(f"- {line}"), 11)


def _appendix(document, data: review.YearData, figures: dict | None) -> None:
    """The appendix: its heading, "(Kèm theo Báo cáo số …)", the tables, the signs' note and the figures."""
    lang = data.lang
    document.add_page_break()
    add_paragraph(
        document, message("docx.section_tables", lang), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    bodies = join_names([body.short_name for body in issuing_bodies(data.reference, data.year, lang)], lang)
    add_paragraph(
        document,
        message("docx.appendix_of", lang, symbols=symbols(data), report_year=data.year + 1, bodies=bodies),
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    for number, (caption, table, widths) in enumerate(report_tables.appendix_tables(data), start=1):
        add_table(document, table, message("docx.table", lang, number=number, caption=caption), widths)
    add_paragraph(document, message("docx.not_reported_note", lang), size=12, italic=True, indent=False)
    stems = FIGURES_FINAL if data.is_final else FIGURES
    shown = [stem for stem in stems if figures and stem in figures]
    for number, stem in enumerate(shown, start=1):
        add_figure(
            document,
            Path(figures[stem].png),
            message("docx.figure", lang, number=number, caption=message(f"docx.caption.{stem}", lang)),
        )


def build_document(data: review.YearData, figures: dict | None = None):
    """The draft report of ``data`` as a python-docx ``Document`` (not saved).

    Args:
        data: the year's review data (:func:`helpers.publish.review.load_year`).
        figures: the saved figures by stem (:func:`helpers.publish.review.make_figures`); none: no figures.
    """
    document = Document()
    setup_page(document)
    _header(document, data)
    _title(document, data)
    _body(document, data)
    _signature(document, data)
    _appendix(document, data, figures)
    properties = document.core_properties
    properties.author = properties.last_modified_by = ""
    properties.comments = properties.keywords = properties.subject = ""
    properties.title = title_text(data)
    properties.created = properties.modified = properties.last_printed = FIXED_DATE
    properties.revision = 1
    return document


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
    """Write the draft of ``data``'s year to ``reports/<year>/review.docx``, and the internal data note beside it.

    Returns:
        The draft written.
    """
    from helpers.publish.report_note import write_year_note

    target = write_draft_report(data, paths.reports_year(data.year) / draft_report_name(data.lang), figures)
    write_year_note(data, paths)
    return target
