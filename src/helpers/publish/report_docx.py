"""``reports/<year>/review.docx``: the draft báo cáo sơ kết the secretariat edits in Word.

The document follows the layout of Decree 30/2020/NĐ-CP for administrative
documents: A4, Times New Roman (13 pt body, 14 pt title, 12 pt in tables),
margins top and bottom 20 mm, left 30 mm, right 15 mm, page numbers centred
at the top from page 2. It holds the national-motto block and the title,
a narrative written from the data (per theme: what was done, by whom,
against last year; then the targets; then a short paragraph on the quality
of the data), real Word tables and the review's figures as PNG.

Every sentence comes from a template of the message catalogue
(``docx.*`` keys in ``reference/data/messages.csv``); this module only
chooses the template for each case (a value, zero, one, missing,
approximate, no previous year) and fills it. The same data give the same
bytes (fixed document dates and zip timestamps).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor, Twips

from helpers.messages import approximately, message, status_word
from helpers.outputs import atomic_path, normalise_zip
from helpers.publish import review
from helpers.publish.print_tables import district_rows_table
from helpers.publish.render import draft_report_name
from helpers.reference.catalogue import ALL, catalogue

FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
TABLE_PT = 12
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
"""Decree 30/2020/NĐ-CP, Appendix I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm."""
CONTENT_WIDTH_CM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
FIXED_DATE = dt.datetime(2000, 1, 1)
KEEP_TOGETHER_ROWS = 20
"""A table of at most this many rows is kept on one page (a longer one breaks between rows, its header repeated)."""

THEMES = {
    "theme_training": [
        "training_sessions",
        "training_attendance",
        "tech_transfer_attendance",
        "newsletters_issued",
        "web_articles",
    ],
    "theme_support": ["deferred_fertilizer_t", "clean_food_models", "safe_produce_shops", "htx_brand_support"],
    "theme_founding": ["new_htx_guided", "new_tht_guided", "effective_models"],
}
"""The programme's activity indicators, by theme of the narrative (section I)."""
FIGURES = ("fig1_outputs_by_agency", "fig3_htx_over_years", "fig6_targets")
"""The review's figures placed in the draft (figure 6 only when targets apply)."""


# -- numbers in words ---------------------------------------------------------------------


def _row(data: review.YearData, indicator: str, agency: str = ALL, district: str = ALL):
    rows = data.indicators
    match = rows[(rows["indicator"] == indicator) & (rows["agency"] == agency) & (rows["district"] == district)]
    return None if match.empty else match.iloc[0]


def _number(value: float, share: bool, lang: str) -> str:
    return review.show_number(value, share=share, lang=lang)


def quantity(
    data: review.YearData,
    indicator: str,
    agency: str = ALL,
    district: str = ALL,
    *,
    with_unit: bool = True,
    spell_one: bool = True,
) -> str | None:
    """A value as the narrative writes it: ``trên 4.730 buổi``, ``một cửa hàng``, ``62,3%`` (``None``: not reported).

    ``spell_one``: write an exact 1 as a word (``một cửa hàng``), as a sentence
    does; a list of parts keeps the digit (``Hội Cựu chiến binh tỉnh 1 HTX``).
    """
    row = _row(data, indicator, agency, district)
    if row is None or pd.isna(row["value"]):
        return None
    definition = catalogue()[indicator]
    value = float(row["value"])
    text = _number(value, definition.is_share, data.lang)
    approximate = bool(row["approximate"])
    if definition.is_share or not with_unit:
        return approximately(text, row.get("approx_sense") or None, data.lang) if approximate else text
    unit = definition.unit if data.lang == "vi" else definition.unit_en
    if value == 1 and not approximate and spell_one:
        return message("docx.quantity_one", data.lang, unit=unit)
    if approximate:
        text = approximately(text, row.get("approx_sense") or None, data.lang)
    return message("docx.quantity", data.lang, number=text, unit=unit)


def _by_whom(data: review.YearData, indicator: str) -> str:
    """The agencies that reported, largest first, as the sentence names them.

    ``(trong đó Hội Nông dân tỉnh 2.100 buổi, …)``, or ``, do Hội Nông dân tỉnh thực hiện`` for one.
    """
    parts = []
    for agency in data.reference.agencies:
        row = _row(data, indicator, agency=agency.code)
        if row is not None and not pd.isna(row["value"]) and float(row["value"]) != 0:
            parts.append((float(row["value"]), agency.code))
    if not parts:
        return ""
    names = {a.code: (a.name_vi if data.lang == "vi" else a.name_en) for a in data.reference.agencies}
    parts.sort(key=lambda part: -part[0])
    if len(parts) == 1:
        return message("docx.by_one", data.lang, agency=names[parts[0][1]])
    listed = ", ".join(
        message(
            "docx.by_part", data.lang, agency=names[code], value=quantity(data, indicator, agency=code, spell_one=False)
        )
        for _, code in parts
    )
    return message("docx.by_many", data.lang, parts=listed)


def _versus(data: review.YearData, indicator: str) -> str:
    """``; tăng 219 buổi (+4,6%) so với năm 2017`` and its other cases; empty in a year without a previous year."""
    if not data.has_previous_year:
        return ""
    previous_year = data.year - 1
    changes = data.changes[data.changes["indicator"] == indicator]
    if changes.empty or pd.isna(changes.iloc[0]["previous_value"]):
        return message("docx.versus_no_previous", data.lang, previous_year=previous_year)
    row = changes.iloc[0]
    change = float(row["change"])
    definition = catalogue()[indicator]
    if change == 0:
        return message("docx.versus_same", data.lang, previous_year=previous_year)
    if definition.is_share:
        key = "docx.versus_pp_up" if change > 0 else "docx.versus_pp_down"
        return message(key, data.lang, change=_number(abs(change) * 100, False, data.lang), previous_year=previous_year)
    amount = _number(abs(change), False, data.lang)
    unit = definition.unit if data.lang == "vi" else definition.unit_en
    amount = message("docx.quantity", data.lang, number=amount, unit=unit)
    if bool(row["approximate"]):
        amount = message("docx.versus_approximate", data.lang, change=amount)
    if pd.isna(row["change_pct"]):
        return message(
            "docx.versus_up_no_percent" if change > 0 else "docx.versus_down",
            data.lang,
            change=amount,
            percent="–",
            previous_year=previous_year,
        )
    percent = message("docx.percent", data.lang, number=_number(abs(float(row["change_pct"])), False, data.lang))
    return message(
        "docx.versus_up" if change > 0 else "docx.versus_down",
        data.lang,
        change=amount,
        percent=percent,
        previous_year=previous_year,
    )


def activity_sentence(data: review.YearData, indicator: str) -> str:
    """The sentence of one activity indicator: what was done, by whom, against last year (or: zero, or missing)."""
    name = catalogue()[indicator].name(data.lang)
    row = _row(data, indicator)
    if row is None or pd.isna(row["value"]):
        return message("docx.activity_missing", data.lang, name=name)
    if float(row["value"]) == 0 and not bool(row["approximate"]):
        return message("docx.activity_zero", data.lang, name=name, versus=_versus(data, indicator))
    return message(
        f"docx.activity.{indicator}",
        data.lang,
        value=quantity(data, indicator),
        by=_by_whom(data, indicator),
        versus=_versus(data, indicator),
    )


def development_sentences(data: review.YearData) -> list[str]:
    """Section I.4: cooperatives and groups of the province (register and Biểu 03)."""
    lang, year = data.lang, data.year
    out = []

    def missing(indicator: str) -> str:
        return message("docx.development_missing", lang, name=catalogue()[indicator].name(lang), year=year)

    count, active = quantity(data, "htx_count"), quantity(data, "htx_active")
    out.append(
        message("docx.htx_count", lang, year=year, count=count, active=active, versus=_versus(data, "htx_count"))
        if count and active
        else missing("htx_count")
    )
    new, dissolved = quantity(data, "htx_new"), _row(data, "htx_dissolved")
    if new is None or dissolved is None:
        out.append(missing("htx_new"))
    elif float(dissolved["value"]) == 0:
        out.append(message("docx.htx_flow_none_dissolved", lang, new=new))
    else:
        out.append(message("docx.htx_flow", lang, new=new, dissolved=quantity(data, "htx_dissolved")))
    members, workers = quantity(data, "htx_members", with_unit=False), quantity(data, "htx_workers", with_unit=False)
    out.append(
        message("docx.htx_members", lang, members=members, workers=workers)
        if members and workers
        else missing("htx_members")
    )
    money = {
        key: quantity(data, indicator)
        for key, indicator in (
            ("revenue", "revenue_per_htx_mean"),
            ("revenue_median", "revenue_per_htx_median"),
            ("profit", "profit_per_htx_mean"),
            ("profit_median", "profit_per_htx_median"),
        )
    }
    out.append(message("docx.htx_money", lang, **money) if all(money.values()) else missing("revenue_per_htx_mean"))
    share = quantity(data, "good_fair_share")
    out.append(
        message("docx.htx_rating", lang, share=share, versus=_versus(data, "good_fair_share"))
        if share
        else missing("good_fair_share")
    )
    tht = {
        key: quantity(data, indicator, with_unit=False)
        for key, indicator in (("count", "tht_count"), ("members", "tht_members"), ("new", "tht_new"))
    }
    out.append(message("docx.tht", lang, **tht) if all(tht.values()) else missing("tht_count"))
    return out


def cumulative_sentence(data: review.YearData) -> str | None:
    """New HTX and THT guided since the programme's first year (none in its first year)."""
    if not data.has_cumulative:
        return None
    totals = data.cumulative.set_index("indicator")
    if not {"new_htx_guided", "new_tht_guided"} <= set(totals.index):
        return None

    def total(indicator: str) -> str:
        row = totals.loc[indicator]
        text = _number(float(row["total"]), False, data.lang)
        if bool(row["approximate"]):
            text = approximately(text, row.get("approx_sense") or None, data.lang)
        return message(
            "docx.quantity",
            data.lang,
            number=text,
            unit=catalogue()[indicator].unit if data.lang == "vi" else catalogue()[indicator].unit_en,
        )

    start = int(totals["from_year"].min())
    return message(
        "docx.cumulative",
        data.lang,
        start_year=start,
        year=data.year,
        htx=total("new_htx_guided"),
        tht=total("new_tht_guided"),
    )


def target_sentences(data: review.YearData) -> list[str]:
    """Section II: each target of the year, and how many are met, on track, behind."""
    if data.targets.empty:
        return [message("docx.no_targets", data.lang, year=data.year)]
    counts = data.targets["status"].value_counts()
    parts = ", ".join(
        message(f"docx.targets_{status}", data.lang, count=int(counts[status]))
        for status in ("met", "on_track", "behind")
        if counts.get(status, 0)
    )
    out = [message("docx.targets_summary", data.lang, count=len(data.targets), year=data.year, parts=parts)]
    for row in data.targets.itertuples():
        definition = catalogue()[row.indicator]
        values = {
            "name": definition.name(data.lang),
            "period": row.period,
            "target": review._target_text(row, data.lang),
            "year": data.year,
            "status": status_word(row.status, data.lang),
        }
        if pd.isna(row.value):
            out.append(message("docx.target_no_value", data.lang, **values))
        else:
            out.append(
                message(
                    "docx.target", data.lang, value=_number(float(row.value), definition.is_share, data.lang), **values
                )
            )
    return out


def quality_sentences(data: review.YearData) -> list[str]:
    """Section III: rows read, accepted, rejected; missing files; approximate values; cross-checks."""
    from helpers.read.returns import NON_DATA_KINDS

    lang = data.lang
    read = data.ledger[data.ledger["status"] == "read"]
    out = [
        message(
            "docx.quality_read",
            lang,
            files=len(read),
            rows=int(read["rows_read"].sum()),
            accepted=int(read["accepted"].sum()),
            rejected=int(read["rejected"].sum()),
            non_data=int(read[list(NON_DATA_KINDS)].sum().sum()),
        )
    ]
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


# -- the document -------------------------------------------------------------------------


def _set_font(
    run, size: float, bold: bool | None = None, italic: bool | None = None, underline: bool | None = None
) -> None:
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
    """A margin of ``mm`` in whole twips, rounded up: Word stores twips; 15 mm rounded down reads back as 14,99 mm."""
    return Twips(math.ceil(mm * 1440 / 25.4))


def _setup(document) -> None:
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
    _set_font(run, BODY_PT)
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


def _paragraph(
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
    paragraph = document.add_paragraph(style=style)
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        _set_font(run, size, bold=bold, italic=italic)
        if index < text.count("\n"):
            run.add_break(WD_BREAK.LINE)
    return paragraph


def _heading(document, text: str, level: int) -> None:
    paragraph = document.add_heading(level=level)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    _set_font(run, BODY_PT, bold=True)


def _cell_text(
    cell,
    text: str,
    *,
    size: float = TABLE_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
) -> None:
    cell.text = ""
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.first_line_indent = Cm(0)
        paragraph.paragraph_format.space_after = Pt(0)
        _set_font(paragraph.add_run(line), size, bold=bold, italic=italic, underline=underline)


def _motto_block(document, data: review.YearData) -> None:
    """Issuing bodies and number on the left; the national motto, place and date on the right (Decree 30/2020)."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, [6.5, CONTENT_WIDTH_CM - 6.5])
    left, right = table.rows[0].cells
    _cell_text(left, message("docx.issuers", data.lang), size=12, bold=True)
    _set_font(left.add_paragraph().add_run(message("docx.number", data.lang)), BODY_PT)
    left.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _cell_text(right, message("docx.country", data.lang), size=12, bold=True)
    motto = right.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(motto.add_run(message("docx.motto", data.lang)), BODY_PT, bold=True, underline=True)
    place = right.add_paragraph()
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraph_format.space_before = Pt(6)
    _set_font(place.add_run(message("docx.place_date", data.lang, report_year=data.year + 1)), BODY_PT, italic=True)


def _set_widths(table, widths_cm: list[float]) -> None:
    """Column widths Word and LibreOffice both follow: the table grid and every cell (autofit off)."""
    table.autofit = False
    # not strict: a data root with more agencies than the widths given leaves the extra columns as they are
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_together(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.append(element)


def add_table(document, table: pd.DataFrame, caption: str, widths_cm: list[float] | None = None) -> None:
    """A real Word table: bold header row on every page, rows never split across pages, text left, numbers right."""
    _paragraph(
        document, caption, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=BODY_PT
    ).paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = widths_cm or [CONTENT_WIDTH_CM / len(table.columns)] * len(table.columns)
    for cell, title in zip(grid.rows[0].cells, table.columns, strict=True):
        _cell_text(cell, str(title), bold=True)
    _repeat_header(grid.rows[0])
    _keep_row_together(grid.rows[0])
    for values in table.itertuples(index=False):
        row = grid.add_row()
        _keep_row_together(row)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
            _cell_text(cell, text, align=WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT)
    _set_widths(grid, widths)
    if len(grid.rows) <= KEEP_TOGETHER_ROWS:  # a short table stays on one page: each row keeps with the next
        for row in grid.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _add_figure(document, path: Path, caption: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(str(path), width=Cm(CONTENT_WIDTH_CM))
    _paragraph(document, caption, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _tables(data: review.YearData) -> list[tuple[str, pd.DataFrame, list[float]]]:
    """The appendix tables: (caption key values, table, column widths in cm)."""
    lang, year = data.lang, data.year
    activity = review.activity_table(data)
    out = [(message("docx.table_activity", lang, year=year), activity, [4.6, 1.6, 2.3, 2.0, 2.0, 2.0, 2.0])]
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
    _setup(document)
    _motto_block(document, data)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.space_after = Pt(0)
    _set_font(title.add_run(message("docx.kind", lang)), TITLE_PT, bold=True)
    programme = data.programme
    heading = (
        message("docx.title_period", lang, year=year, period=programme.period)
        if programme
        else message("docx.title", lang, year=year)
    )
    _paragraph(
        document, heading, size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    ).paragraph_format.space_after = Pt(12)
    _paragraph(
        document, message("docx.draft_note", lang), size=12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    if data.is_sample:
        _paragraph(
            document,
            message("docx.sample_note", lang),
            size=12,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )

    _paragraph(document, message("docx.intro", lang, year=year))
    if not data.has_previous_year:
        _paragraph(document, message("docx.intro_first", lang, year=year))
    _heading(document, message("docx.section_results", lang, year=year), 1)
    for theme, indicators in THEMES.items():
        _heading(document, message(f"docx.{theme}", lang), 2)
        _paragraph(document, " ".join(activity_sentence(data, indicator) for indicator in indicators))
    cumulative = cumulative_sentence(data)
    if cumulative:
        _paragraph(document, cumulative)
    _heading(document, message("docx.theme_development", lang), 2)
    _paragraph(document, " ".join(development_sentences(data)))
    _heading(document, message("docx.section_targets", lang), 1)
    for sentence in target_sentences(data):
        _paragraph(document, sentence)
    _heading(document, message("docx.section_quality", lang), 1)
    _paragraph(document, " ".join(quality_sentences(data)))
    _signature(document, data)

    document.add_page_break()
    _heading(document, message("docx.section_tables", lang), 1)
    for number, (caption, table, widths) in enumerate(_tables(data), start=1):
        add_table(document, table, message("docx.table", lang, number=number, caption=caption), widths)
    _paragraph(document, message("docx.not_reported_note", lang), size=12, italic=True, indent=False)
    shown = [stem for stem in FIGURES if figures and stem in figures]
    for number, stem in enumerate(shown, start=1):
        _add_figure(
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
    key = {
        "fig1_outputs_by_agency": "outputs_by_agency",
        "fig3_htx_over_years": "htx_over_years",
        "fig6_targets": "targets",
    }[stem]
    return message(f"figure.{key}", data.lang, **({"year": data.year} if key != "htx_over_years" else {}))


def _signature(document, data: review.YearData) -> None:
    """``Nơi nhận`` on the left, the signers on the right."""
    table = document.add_table(rows=1, cols=2)
    _set_widths(table, [7.5, CONTENT_WIDTH_CM - 7.5])
    left, right = table.rows[0].cells
    _cell_text(
        left, message("docx.recipients", data.lang), size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT
    )
    for line in message("docx.recipients_list", data.lang).split("\n"):
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _set_font(paragraph.add_run(line), 11)
    _cell_text(right, message("docx.signers", data.lang), size=BODY_PT, bold=True)


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
    """Write the draft of ``data``'s year to ``reports/<year>/review.docx`` (else ``review.<lang>.docx``)."""
    return write_draft_report(data, paths.reports_year(data.year) / draft_report_name(data.lang), figures)
