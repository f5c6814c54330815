"""The Word layout of the draft report: the page, fonts, paragraphs, tables and figures of Decree 30/2020/NĐ-CP.

A4, Times New Roman (13 pt body, 14 pt title, 12 pt in tables), margins top
and bottom 20 mm, left 30 mm, right 15 mm, page numbers centred at the top
from page 2; real Word tables whose header repeats on every page and whose
rows never split. Nothing here knows the review: :mod:`helpers.publish.report_docx`
lays the report out with these.

Why this module is long: the decree's page, every kind of block of the draft
(paragraphs, tables, figures, rules, boxes, prompts) and the fast path of the
tables' cells are one layout, and its helpers are used by both documents.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pandas as pd
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor, Twips

FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
TABLE_PT = 12
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
"""Decree 30/2020/NĐ-CP, Appendix I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm."""
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
"""The WordprocessingML namespace (``w:``)."""
CONTENT_WIDTH_CM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
KEEP_TOGETHER_ROWS = 20
"""A table of at most this many rows is kept on one page.

A longer one breaks between rows, its header repeated on the next page.
"""


def set_font(
    run, size: float, bold: bool | None = None, italic: bool | None = None, underline: bool | None = None
) -> None:
    """Set a run in the document's font at ``size`` points; ``None`` leaves bold, italic or underline as it is.

    The East Asian font is set too: Word otherwise draws some Vietnamese
    letters in the theme's font.
    """
    run.font.name = FONT
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline


def _at_least(mm: float) -> Twips:
    """A margin of ``mm`` in whole twips, rounded up.

    Word stores twips, and 15 mm rounded down reads back as 14,99 mm: below the decree's minimum.
    """
    return Twips(math.ceil(mm * 1440 / 25.4))


def setup_page(document) -> None:
    """A4, Decree 30 margins, Times New Roman everywhere, page numbers at the top from page 2."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = _at_least(MARGINS_MM["top"]), _at_least(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = _at_least(MARGINS_MM["left"]), _at_least(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Caption"):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(TITLE_PT if name == "Title" else BODY_PT)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            style.element.get_or_add_rPr().get_or_add_rFonts().attrib.pop(qn(attribute), None)
    normal = document.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(6), 1.15
    for name in ("Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.bold, style.font.italic = True, False
        style.paragraph_format.space_before, style.paragraph_format.space_after = (
            Pt(12 if name == "Heading 1" else 6),
            Pt(6),
        )
        style.paragraph_format.keep_with_next = True
    document.styles["Caption"].font.italic = True
    document.styles["Caption"].font.bold = False
    # page numbers: centred in the top margin, not on the first page (Decree 30/2020, Appendix I)
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    set_font(run, BODY_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = "2"
        run._element.append(element)


def add_paragraph(
    document,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    style: str | None = None,
):
    """Add a paragraph of ``text`` in the document's font, a line break for each new line of the text.

    Returns:
        The paragraph, for its format to be adjusted (space after, keep with next).
    """
    paragraph = document.add_paragraph(style=style)
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        set_font(run, size, bold=bold, italic=italic)
        if index < text.count("\n"):
            run.add_break(WD_BREAK.LINE)
    return paragraph


def add_heading(document, text: str, level: int) -> None:
    """Add a heading of ``level`` (1: section, 2: theme), bold in the body size as the decree's reports set them."""
    paragraph = document.add_heading(level=level)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    set_font(run, BODY_PT, bold=True)


def set_cell_text(
    cell,
    text: str,
    *,
    size: float = TABLE_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
) -> None:
    """Replace a table cell's text: one paragraph per line, no indent or space after, in the document's font."""
    cell.text = ""
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.first_line_indent = Cm(0)
        paragraph.paragraph_format.space_after = Pt(0)
        set_font(paragraph.add_run(line), size, bold=bold, italic=italic, underline=underline)


def set_widths(table, widths_cm: list[float]) -> None:
    """Column widths Word and LibreOffice both follow: the table grid and every cell (autofit off)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _repeat_header(row) -> None:
    """Mark a table row as the header Word repeats at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_together(row) -> None:
    """Keep a table row on one page: it never splits across a page break."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _plain(text: str) -> bool:
    """Whether ``text`` is one run of plain characters (no line break or tab, no space at either end, not empty)."""
    return bool(text) and text == text.strip() and not any(mark in text for mark in "\n\t\r")


def _copy_cell_text(tc, template, text: str) -> None:
    """Give the table cell ``tc`` a copy of ``template`` (a laid-out one-run paragraph) reading ``text``.

    Laying a paragraph out through python-docx costs a search of each
    property's place among its possible siblings for every property of every
    cell; a copy of the first cell laid out that way is the same XML.
    """
    paragraph = copy.deepcopy(template)
    paragraph.find(f"{{{_W}}}r/{{{_W}}}t").text = text
    for old in tc.findall(f"{{{_W}}}p"):
        tc.remove(old)
    tc.append(paragraph)


def add_table(document, table: pd.DataFrame, caption: str, widths_cm: list[float] | None = None) -> None:
    """Add a real Word table under its caption, ``widths_cm`` one width per column (default: equal widths).

    The bold header row repeats on every page, rows never split across pages,
    the first column is left-aligned and the others (numbers) right-aligned.
    A short table (at most :data:`KEEP_TOGETHER_ROWS` rows) stays on one page:
    each row keeps with the next. A cell of one plain run is a copy of the first
    cell of its kind laid out through :func:`set_cell_text` (:func:`_copy_cell_text`):
    a tổng kết's tables are a few hundred cells.
    """
    add_paragraph(
        document, caption, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=BODY_PT
    ).paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = widths_cm or [CONTENT_WIDTH_CM / len(table.columns)] * len(table.columns)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)  # the rows added below take their cells' widths from these
    short = len(table) + 1 <= KEEP_TOGETHER_ROWS
    header = grid.rows[0]
    for cell, title, width in zip(header.cells, table.columns, widths, strict=True):
        set_cell_text(cell, str(title), bold=True)
        cell.width = Cm(width)
        if short and len(table):
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    _repeat_header(header)
    _keep_row_together(header)
    _add_rows(grid, table, short)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _add_rows(grid, table: pd.DataFrame, short: bool) -> None:
    """Add ``table``'s rows to ``grid``, each kept on one page (and with the next row in a ``short`` table)."""
    templates: dict[tuple[bool, bool], object] = {}  # (first column, kept with the next row) -> laid-out paragraph
    for number, values in enumerate(table.itertuples(index=False), start=1):
        row = grid.add_row()
        _keep_row_together(row)
        keep = short and number < len(table)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
            kind = (index == 0, keep)
            if _plain(text) and kind in templates:
                _copy_cell_text(cell._tc, templates[kind], text)
                continue
            set_cell_text(cell, text, align=WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT)
            if keep:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
            if _plain(text):
                templates[kind] = cell.paragraphs[0]._p


def add_figure(document, path: Path, caption: str) -> None:
    """Add a picture at the content width, centred, with its caption below and kept on the same page."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(str(path), width=Cm(CONTENT_WIDTH_CM))
    add_paragraph(document, caption, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _border(paragraph, sides: tuple[str, ...], size_eighths: int = 6) -> None:
    """A single line on ``sides`` of a paragraph (``w:pBdr``)."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size_eighths))
        line.set(qn("w:space"), "1")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    properties.append(borders)


def add_rule(container, width_cm: float, available_cm: float) -> None:
    """A short centred rule (Decree 30: under the issuing bodies' names and under the subject line).

    Drawn as the bottom border of an empty paragraph indented to ``width_cm``
    within ``available_cm``: Word and LibreOffice both print it, and it stays
    with the text above.
    """
    paragraph = container.add_paragraph()
    margin = max(0.0, (available_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Cm(margin)
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(2)
    _border(paragraph, ("bottom",))


def add_boxed(document, text: str, size: float = BODY_PT) -> None:
    """A bold word in a box at the right of the first page ("DỰ THẢO")."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.left_indent = Cm(CONTENT_WIDTH_CM - 3.2)
    paragraph.paragraph_format.space_after = Pt(6)
    set_font(paragraph.add_run(text), size, bold=True)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _border(paragraph, ("top", "left", "bottom", "right"), 8)


def add_prompt(document, text: str) -> None:
    """A paragraph the editor writes: its bracketed text highlighted in yellow, in italics, so every place is found."""
    from docx.enum.text import WD_COLOR_INDEX

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    run = paragraph.add_run(text)
    set_font(run, BODY_PT, italic=True)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def widen_into_left_margin(table, indent_cm: float) -> None:
    """Start ``table`` ``indent_cm`` into the left margin, cells without side padding.

    The joint header of four bodies is wider than the text: as on printed
    joint documents, it takes part of the 30 mm left margin.
    """
    properties = table._tbl.tblPr
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(int(-indent_cm * 567)))
    indent.set(qn("w:type"), "dxa")
    properties.append(indent)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "28")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)
