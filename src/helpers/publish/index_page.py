"""``reports/index.html``: every year with a rendered review, its headline numbers and links.

It also links ``all_years.xlsx``, every year's indicators in one workbook, when the run wrote it.

Regenerated at the end of every run from what is on disk, so it never lists a
review that is not there. Self-contained (no scripts, no web fonts).
"""

from __future__ import annotations

import html

import pandas as pd

from helpers.compute.indicators import read_indicators
from helpers.compute.programme import programme_file, read_programmes
from helpers.messages import approximately, message
from helpers.outputs import write_text
from helpers.paths import ProjectPaths
from helpers.publish.all_years import ALL_YEARS_NAME
from helpers.publish.render import TEMPLATES_DIR
from helpers.reference.catalogue import ALL, catalogue
from helpers.samples import sample_label
from helpers.tables import INDICATORS, StageOutputError, columns_of
from helpers.text import format_number_vi, format_percent_vi

INDEX_NAME = "index.html"
"""The page listing every year, in the reports root."""
INDEX_IDS = ["htx_count", "htx_new", "tht_count", "training_sessions", "training_attendance", "good_fair_share"]

INDEX_TEMPLATE = TEMPLATES_DIR / "index"
"""The page (``page.html``, a ``str.format`` template) and its style sheet (``index.css``)."""


def build_index(paths: ProjectPaths) -> str:
    """The HTML of the index page for every year that has a rendered review."""
    names = catalogue()
    headers = "".join(f"<th>{html.escape(names[i].name_vi)}</th>" for i in INDEX_IDS)
    rows = []
    damaged: list[str] = []
    listed: set[int] = set()
    for year in paths.processed_years():
        reports = paths.reports_year(year)
        if not (reports / "review.html").is_file() and not (reports / "review.en.html").is_file():
            continue
        try:
            indicators = read_indicators(paths.processed_year(year) / INDICATORS)
        except StageOutputError as problem:  # a damaged year is named on the page, and the others are still listed
            damaged.append(f'<p class="sample">{html.escape(message("index.damaged", year=year, problem=problem))}</p>')
            indicators = pd.DataFrame(columns=[*columns_of(INDICATORS)])
        province = indicators[(indicators["agency"] == ALL) & (indicators["district"] == ALL)].set_index("indicator")
        cells = []
        for indicator_id in INDEX_IDS:
            if indicator_id not in province.index:
                cells.append("<td>–</td>")
                continue
            value, approximate = province.at[indicator_id, "value"], bool(province.at[indicator_id, "approximate"])
            text = format_percent_vi(value) if names[indicator_id].is_share else format_number_vi(value)
            if approximate:
                text = approximately(text, province.at[indicator_id, "approx_sense"])
            cells.append(f"<td>{html.escape(text)}</td>")
        links = []
        for name, key in (
            ("review.html", "index.review"),
            ("review.en.html", "index.english"),
            ("review.docx", "index.word"),
            ("indicators.xlsx", "index.workbook"),
        ):
            if (reports / name).is_file():
                links.append(f'<a href="{year}/{name}">{html.escape(message(key))}</a>')
        links.append(f'<a href="{year}/figures/">{html.escape(message("index.figures"))}</a>')
        moved = ""  # a year whose units are not the previous year's: its figures are another territory's
        if year - 1 in listed and paths.reference().territory_changed(year, year - 1):
            moved = f'<br><span class="territory">{html.escape(message("index.territory_changed"))}</span>'
        listed.add(year)
        label = sample_label(paths.raw_root, year).text("index")
        note = f'<br><span class="sample">{html.escape(label)}</span>' if label else ""
        rows.append(
            f'<tr><td><b>{year}</b>{moved}</td>{"".join(cells)}<td class="links">{" · ".join(links)}{note}</td></tr>'
        )
    all_years = (
        f'<p class="all-years"><a href="{ALL_YEARS_NAME}">{html.escape(message("index.all_years"))}</a></p>'
        if (paths.reports_root / ALL_YEARS_NAME).is_file()
        else ""
    )
    programmes = "".join(
        f"<p>{html.escape(message('index.period', name=p.name_vi, period=p.period))}</p>"
        for p in read_programmes(programme_file(paths))
    )
    words = {key: html.escape(message(f"index.{key}")) for key in ("title", "heading", "year", "documents")}
    page = (INDEX_TEMPLATE / "page.html").read_text(encoding="utf-8")
    return page.format(
        css=(INDEX_TEMPLATE / "index.css").read_text(encoding="utf-8"),
        sample="".join(damaged),
        programmes=programmes,
        all_years=all_years,
        headers=headers,
        subtitle=html.escape(message("review.subtitle")),
        **words,
        rows="\n".join(rows) or f'<tr><td colspan="8">{html.escape(message("index.none"))}</td></tr>',
    )


def write_index(paths: ProjectPaths) -> None:
    """Write ``<reports>/index.html``."""
    write_text(build_index(paths), paths.reports_root / INDEX_NAME)
