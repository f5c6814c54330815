"""The HTML pieces of the review: its header, banners, section headings and tables styled for reading and print.

Text that came from returns is HTML-escaped wherever it is put into HTML. A
table is never cut silently (:func:`styled`), and an empty one is a sentence,
never bare headers (:class:`Sentence`). The generation stamp is the one element
that changes from run to run (:data:`GENERATED_CLASS`).

Why this module is long: the table styling and the print widths of its
columns (:func:`print_widths`) belong together with the header and banners
every part of the review shares.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import itertools
import re

import pandas as pd

from helpers.compute.revisions import cause_words
from helpers.messages import LANGUAGES, message, status_word
from helpers.publish.render import TEMPLATES_DIR
from helpers.publish.review_data import YearData, indicator_name, indicator_unit, show_number
from helpers.publish.review_quality import NOT_SHOWN
from helpers.reference.catalogue import ALL, catalogue

GENERATED_CLASS = "generated"
"""The one element of the HTML that changes from run to run (the generation stamp)."""

FRAGMENT_CSS = " ".join(
    re.sub(
        r"/\*.*?\*/", "", (TEMPLATES_DIR / "review" / "fragments.css").read_text(encoding="utf-8"), flags=re.S
    ).split()
)
"""The look of the review's banners and notes (``templates/review/fragments.css``), emitted with its header."""

SECTIONS = ("headline", "activities", "development", "years", "checks", "ledger")
QUALITY_SECTION = "ledger"
"""The section that opens with the state of the return files (after the results, never on page 1)."""


def bold_lead(text: str) -> str:
    """``text`` escaped, its words before the first colon (or parenthesis) in bold: ``<b>Lưu ý:</b>``."""
    cut = min((i for i in (text.find(":"), text.find(" (")) if i > 0), default=-1)
    if cut < 0:
        return html.escape(text)
    lead, rest = (text[: cut + 1], text[cut + 1 :]) if text[cut] == ":" else (text[:cut], text[cut:])
    return f"<b>{html.escape(lead)}</b>{html.escape(rest)}"


def problems_banner(data: YearData) -> str:
    """An HTML banner listing files that could not be used or are missing, and rejected rows."""
    errors = data.problems[data.problems["severity"] == "error"]
    warnings = data.problems[data.problems["severity"] != "error"]
    if errors.empty and warnings.empty and data.rejects.empty:
        return f'<div class="banner complete">{bold_lead(data.t("complete", year=data.year))}</div>'

    def esc(value: object) -> str:
        return html.escape(str(value))

    items = "".join(
        f"<li><b>{esc(p.file)}</b>: {esc(p.problem)} — <i>{esc(p.action)}</i></li>" for p in errors.itertuples()
    )
    notes = "".join(f"<li>{esc(p.file)}: {esc(p.problem)}</li>" for p in warnings.itertuples())
    rejected_rows = data.rejects.groupby("file")["row"].nunique() if not data.rejects.empty else pd.Series(dtype=int)
    rejected = "".join(
        f"<li>{esc(file)}: {data.t('rows_rejected', count=count)}</li>" for file, count in rejected_rows.items()
    )
    kind = "unusable" if not errors.empty else "to-check"
    parts = [f'<div class="banner {kind}">']
    if items:
        parts.append(f"{bold_lead(data.t('missing_files', count=len(errors)))}<ul>{items}</ul>")
    if rejected:
        parts.append(f"{bold_lead(data.t('rejected_rows'))}<ul>{rejected}</ul>")
    if notes:
        parts.append(f"{bold_lead(data.t('notes'))}<ul>{notes}</ul>")
    parts.append("</div>")
    return "".join(parts)


def spoken_time(when: dt.datetime, lang: str) -> tuple[str, str]:
    """A moment as the reader writes it: (``8 giờ 58``, ``ngày 7 tháng 12 năm 2026``)."""
    time = message("review.time", lang, hour=when.hour, minute=f"{when.minute:02d}")
    return time, message("review.date", lang, day=when.day, month=when.month, year=when.year)


def header_html(data: YearData, generated_at: dt.datetime | None = None) -> str:
    """Title, sample note, table of contents and the generation stamp: page 1 goes on with the headline figures.

    The state of the return files (:func:`problems_banner`) opens the
    data-quality section (:func:`section_html`), after the results.
    """
    time, date = spoken_time(generated_at or dt.datetime.now(), data.lang)
    toc = "".join(f'<li><a href="#{key}">{html.escape(data.t(key).split(". ", 1)[-1])}</a></li>' for key in SECTIONS)
    label = data.sample.text("review", data.lang)
    sample = f'<p class="sample-note">{html.escape(label)}</p>' if label else ""
    programme = data.programme
    if data.is_final:
        title = data.t("title_final", period=programme.period, programme=programme.name(data.lang))
        subtitle = data.t("subtitle_final", year=data.year, period=programme.period)
    elif programme:
        title = data.t("title_programme", year=data.year, programme=programme.name(data.lang))
        subtitle = data.t("subtitle_period", period=programme.period)
    else:
        title, subtitle = data.t("title", year=data.year), data.t("subtitle")
    return (
        f"<style>{FRAGMENT_CSS}</style>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(subtitle)}</p>"
        f"{sample}"
        f'<nav class="toc"><b>{data.t("contents")}</b><ol>{toc}</ol></nav>'
        f'<p class="{GENERATED_CLASS}">{html.escape(data.t("generated", time=time, date=date))}</p>'
    )


def revisions_html(data: YearData) -> str:
    """The short section "Thay đổi so với lần tạo trước": what moved in the latest computation.

    Returns:
        The section's HTML: the province's values that changed, and how many
        other rows did; empty when nothing moved.
    """
    rows = data.revisions
    if rows is None or rows.empty:
        return ""
    province = rows[rows["district"] == ALL]
    esc = html.escape
    agencies = {a.code: (a.name_vi if data.lang == "vi" else a.name_en) for a in data.reference.agencies}

    def value(text: str, indicator: str) -> str:
        if not text:
            return data.t("not_reported")
        return show_number(
            float(text), share=indicator in catalogue() and catalogue()[indicator].is_share, lang=data.lang
        )

    lines = "".join(
        "<tr>"
        f"<td>{esc(indicator_name(row.indicator, data.lang) if row.indicator in catalogue() else row.indicator)}</td>"
        f"<td>{esc(data.t('province') if row.agency == ALL else agencies.get(row.agency, row.agency))}</td>"
        f"<td>{esc(value(row.old, row.indicator))}</td><td>{esc(value(row.new, row.indicator))}</td>"
        f"<td>{esc(indicator_unit(row.indicator, data.lang) if row.indicator in catalogue() else '')}</td>"
        "</tr>"
        for row in province.itertuples()
    )
    header = "".join(f"<th>{esc(data.t(key))}</th>" for key in ("indicator", "agency", "before", "after", "unit"))
    more = len(rows) - len(province)
    when = str(rows["built_at"].iloc[0]).replace("T", " ")
    causes = sorted({cause_words(cause, data.lang) for cause in rows["cause"]})
    intro = data.t("revisions_intro", when=when, cause=", ".join(causes))
    parts = [
        '<div class="revisions">',
        f'<h2 id="revisions">{esc(data.t("revisions"))}</h2>',
        f"<p>{esc(intro)}</p>",
    ]
    if lines:
        parts.append(
            f"<table><caption>{esc(data.t('cap_revisions'))}</caption>"
            f"<thead><tr>{header}</tr></thead><tbody>{lines}</tbody></table>"
        )
    if more:
        parts.append(f"<p>{esc(data.t('revisions_more', count=more, year=data.year))}</p>")
    parts.append("</div>")
    return "".join(parts)


def section_html(data: YearData, key: str) -> str:
    """A section heading with its anchor for the table of contents; the data-quality section opens with the banner."""
    first = ' class="first"' if key == SECTIONS[0] else ""
    heading = f'<h2 id="{key}"{first}>{html.escape(data.t(key))}</h2>'
    return heading + (problems_banner(data) if key == QUALITY_SECTION else "")


SHORT_TABLE_ROWS = 20
"""A table of at most this many rows is kept on one printed page; a longer one breaks between rows."""
NOWRAP_CHARS = 14
"""Cells of a column whose values are all at most this long never wrap."""
STATUS_COLOURS = {"met": "#1e7a3c", "agree": "#1e7a3c", "on_track": "#a15c00", "behind": "#b42318", "differ": "#b42318"}
"""Colour of a status word in the review's tables."""


class Sentence:
    """A caption and a sentence shown in place of an empty table ("Không có dòng nào bị loại.")."""

    def __init__(self, caption: str | None, text: str) -> None:
        self.caption, self.text = caption, text

    def to_html(self) -> str:
        """The caption in bold and the sentence, escaped."""
        caption = f'<p class="caption"><b>{html.escape(self.caption)}</b></p>' if self.caption else ""
        return f'{caption}<p class="note empty-table">{html.escape(self.text)}</p>'

    def _repr_html_(self) -> str:
        """The HTML Jupyter shows for the object."""
        return self.to_html()


_NUMBER_CELL = re.compile(r"^(?:(?:trên|gần|khoảng|over|nearly|about) )?[-+]?[\d.,]+ ?(?:%|đ\.p\.|p\.p\.)?$|^[–-]?$")


def _is_number_column(column: pd.Series) -> bool:
    """Whether every cell of a column reads as a number (``trên 4.730``, ``+12,5%``, ``+3 đ.p.``, ``–``).

    Such a column is right-aligned; any other is text, left-aligned.
    """
    return all(_NUMBER_CELL.match(str(value).strip()) for value in column if value == value)


def _cut_to_styler_limit(table: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, str | None]:
    """Cut a table too big for pandas' Styler (which would cut it silently) to what the Styler draws.

    Returns:
        The table, cut or not, and the sentence saying what is not shown: the
        one of a table cut earlier (``attrs[NOT_SHOWN]``), one in ``lang`` for a
        table cut here, ``None`` for a whole table.
    """
    cells = pd.get_option("styler.render.max_elements")
    if len(table) * max(1, len(table.columns)) <= cells:
        return table, table.attrs.get(NOT_SHOWN)
    rows = cells // max(1, len(table.columns))

    def show(number: int) -> str:
        return show_number(number, lang=lang)

    not_shown = message(
        "review.not_shown_plain", lang, shown=show(rows), total=show(len(table)), more=show(len(table) - rows)
    )
    return table.head(rows), not_shown


PRINT_LINE_CHARS = 90
"""About how many characters of 10-pt text a printed A4 line holds (186 mm, 703 CSS px)."""
PRINT_TEXT_CHARS = 60
"""A long text column asks for room up to this many characters a line, no more: the others keep theirs."""
BOLD_WIDTH = 1.15
"""How much wider a bold heading's letters are than a cell's."""
PRINT_WORD_CHARS = 10
"""The room a cell's two longest neighbouring words ask for at most; a longer word (a file name) wraps anywhere."""
PRINT_WIDTH_TABLES = ("fixed", "wide-last")
"""The table classes whose columns get print widths (:func:`print_widths`); the template lays them out fixed."""


def _pair_chars(text: str, most: int) -> int:
    """Characters of the longest two neighbouring words of ``text`` (at most ``most``): no word a line in this width."""
    words = text.split()
    if len(words) < 3:
        return min(max((len(word) for word in words), default=0), most)
    return min(max(len(a) + 1 + len(b) for a, b in itertools.pairwise(words)), most)


def print_widths(table: pd.DataFrame) -> list[float]:
    """Each column's share of the printed page width, in %, from its heading and its cells.

    Every column first gets the room of its longest two neighbouring words
    (a short column, such as a count, the room of its longest value), so that
    no cell is squeezed to a word a line; what is left of the line goes to the
    columns by how much more their longest text asks for (up to
    :data:`PRINT_TEXT_CHARS`). A file name longer than its column wraps
    anywhere (the template's print rules).
    """
    floors, asks = [], []
    for column in table.columns:
        cells = [str(column), *("" if pd.isna(value) else str(value) for value in table[column])]
        longest = max(len(cell) for cell in cells)
        # headings are bold (wider letters); a cell's padding takes about a character
        # (a cell's long word, such as a file name, wraps anywhere: it asks for no more than PRINT_WORD_CHARS)
        heading = round(_pair_chars(str(column), PRINT_TEXT_CHARS // 3) * BOLD_WIDTH)
        floor = max(heading, *(_pair_chars(cell, PRINT_WORD_CHARS) for cell in cells[1:])) + 2
        if max(len(cell) for cell in cells[1:]) <= NOWRAP_CHARS:  # a short value (a count, a code) stays on one line
            floor = max(floor, max(len(cell) for cell in cells[1:]) + 2)
        if longest > PRINT_TEXT_CHARS:  # a long text (a reason) is read a few words a line, not one
            floor = max(floor, PRINT_TEXT_CHARS // 3)
        floors.append(floor)
        asks.append(max(min(longest, PRINT_TEXT_CHARS) + 1 - floor, 0))
    left = max(PRINT_LINE_CHARS - sum(floors), 0)
    shares = [floor + (left * ask / sum(asks) if sum(asks) else 0) for floor, ask in zip(floors, asks, strict=True)]
    return [round(100 * share / sum(shares), 1) for share in shares]


def styled(
    table: pd.DataFrame,
    caption: str | None = None,
    status_column: str | None = None,
    lang: str = "vi",
    empty: str | None = None,
    css_class: str = "",
):
    """A table for display: no index, text escaped, labels left-aligned, statuses coloured, a caption above.

    A table is never cut silently: one cut by
    :func:`helpers.publish.review_quality.cut_for_review` shows its sentence
    under the caption; one too big for pandas' Styler is cut here to what it
    can draw, with a sentence in ``lang`` saying how many rows are not shown.
    An empty table is a sentence (``empty``, else "Không có dòng nào."), never
    bare headers. ``css_class`` names the table's class for the print rules of
    the template (``wide-last``: the last column takes the room).
    """
    if table.empty:
        return Sentence(caption, empty or message("review.no_rows", lang))
    # A stable table id (pandas draws a random one) keeps the HTML identical from run to run.
    uuid = hashlib.sha256(repr((caption, list(table.columns))).encode("utf-8")).hexdigest()[:10]
    table, not_shown = _cut_to_styler_limit(table, lang)
    styler = table.style.hide(axis="index").format(escape="html", na_rep="–").set_uuid(uuid)
    classes = [css_class] if css_class else []
    if len(table) <= SHORT_TABLE_ROWS:
        classes.append("short")  # printed on one page (the template's print rules)
    if classes:
        styler = styler.set_table_attributes(f'class="{html.escape(" ".join(classes))}"')
    # numbers, codes and short words never wrap (``trên 4.730`` on one line); long texts wrap
    short = [column for column in table.columns if table[column].astype(str).str.len().max() <= NOWRAP_CHARS]
    if short:
        styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    text = [column for index, column in enumerate(table.columns) if index and not _is_number_column(table[column])]
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left !important"})  # over the table's td rule
    if caption or not_shown:
        note = f'<br><span class="not-shown">{html.escape(not_shown)}</span>' if not_shown else ""
        styler = styler.set_caption(html.escape(caption or "") + note)
    if status_column and status_column in table.columns:
        colours = {status_word(status, each): colour for status, colour in STATUS_COLOURS.items() for each in LANGUAGES}
        styler = styler.map(
            lambda v: f"color:{colours[v]};font-weight:bold" if v in colours else "", subset=[status_column]
        )
    return styler.set_table_styles(
        [
            {
                "selector": "caption",
                "props": "caption-side:top;text-align:left;font-weight:bold;padding:4px 0;color:#1f2328",
            },
            {"selector": "th", "props": "text-align:left"},
            {"selector": "td", "props": "text-align:right"},
            {"selector": "td:first-child", "props": "text-align:left"},
            *([{"selector": "td:last-child", "props": "text-align:left"}] if css_class == "wide-last" else []),
            # print widths: a custom property the template's print rules read (the screen lays columns out by content)
            *(
                {"selector": f"th.col{index}", "props": f"--print-width:{width}%"}
                for index, width in enumerate(print_widths(table) if css_class in PRINT_WIDTH_TABLES else [])
            ),
        ]
    )


def show_html(text: str):
    """HTML as a notebook display object."""
    from IPython.display import HTML

    return HTML(text)
