"""The HTML review printed on A4, in headless Chromium's print emulation: the first year and a later one.

A4 less the review's @page margins (12 mm left and right) leaves 186 mm, 703
CSS pixels: no table may be wider, no cell may be squeezed to a word a line,
nothing may scroll, and the headline figures are on page 1.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import require_tool
from test_review_outputs import CHROMIUM_ARGS

CONTENT_WIDTH_PX = 703
"""186 mm at 96 px per inch: the width Chromium lays a printed A4 page out to with the template's margins."""
PAGE_HEIGHT_PX = 1016
"""269 mm (297 less 2 × 14 mm): the height of the first printed page's content."""

MEASURE = """() => {
  const words = t => t.trim().split(/\\s+/).filter(Boolean);
  const lines = el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  };
  const tables = Array.from(document.querySelectorAll('table')).map(t => ({
    width: t.getBoundingClientRect().width, right: t.getBoundingClientRect().right,
    rows: t.querySelectorAll('tbody tr').length,
    caption: (t.caption ? t.caption.innerText : '').slice(0, 60),
  }));
  const squeezed = Array.from(document.querySelectorAll('td, th'))
    .filter(c => words(c.innerText).length >= 3 && lines(c) >= words(c.innerText).length)
    .map(c => c.innerText.slice(0, 60));
  const scrolling = Array.from(document.querySelectorAll('body *'))
    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
              || ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
    .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
    .map(e => e.className);
  const headline = document.querySelector('#headline');
  const table = headline && Array.from(document.querySelectorAll('table'))
    .find(t => headline.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
  return {tables, squeezed, scrolling,
          headlineBottom: table ? table.getBoundingClientRect().bottom + window.scrollY : null,
          lang: document.documentElement.lang, body: document.body.innerText};
}"""


@pytest.fixture(scope="module")
def printed(built_review):
    """The 2017 (first year) and 2018 reviews laid out in print media at the A4 content width."""
    root, result = built_review
    assert result.returncode == 0, result.stdout + result.stderr
    chromium = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for year in (2017, 2018):
            page = browser.new_page(viewport={"width": CONTENT_WIDTH_PX, "height": PAGE_HEIGHT_PX})
            page.goto((root / "reports" / str(year) / "review.html").as_uri(), wait_until="load")
            page.emulate_media(media="print")
            out[year] = page.evaluate(MEASURE)
            out[year]["pdf"] = page.pdf(
                format="A4", print_background=True, prefer_css_page_size=True
            )  # the template's @page: A4, its margins
            page.close()
        browser.close()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("year", [2017, 2018])
def test_no_table_is_wider_than_the_page(printed, year):
    tables = printed[year]["tables"]
    assert len(tables) >= 10
    wide = [t for t in tables if t["width"] > CONTENT_WIDTH_PX + 1 or t["right"] > CONTENT_WIDTH_PX + 1]
    assert wide == [], wide


@pytest.mark.slow
@pytest.mark.parametrize("year", [2017, 2018])
def test_no_cell_is_squeezed_and_nothing_scrolls(printed, year):
    assert printed[year]["squeezed"] == []
    assert printed[year]["scrolling"] == []


@pytest.mark.slow
@pytest.mark.parametrize("year", [2017, 2018])
def test_the_headline_figures_are_on_page_one(printed, year, tmp_path):
    pdftotext = require_tool("pdftotext", "poppler-utils")
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(printed[year]["pdf"])
    first = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    second = subprocess.run(
        [pdftotext, "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert (
        "1. Số liệu chính" in first and "Tỷ lệ HTX xếp loại Tốt và Khá" in first
    )  # the heading and the table's last row
    assert "Tỷ lệ HTX xếp loại Tốt và Khá" not in second


@pytest.mark.slow
@pytest.mark.parametrize("year", [2017, 2018])
def test_vietnamese_throughout_and_no_empty_table(printed, year):
    measured = printed[year]
    assert measured["lang"] == "vi"
    body = measured["body"]
    english = re.findall(r"\b(?:the|is|not|rows?|rejected|column|sum|of|and|row \d+)\b", body)
    assert english == [], english[:10]
    # "~" only as a return typed it, in the ledger of approximate values, beside the words it is read as
    assert all("khoảng" in line for line in body.splitlines() if "~" in line), [
        line for line in body.splitlines() if "~" in line
    ]
    assert [t for t in measured["tables"] if t["rows"] == 0] == []  # an empty table is a sentence
    assert measured["pdf"].startswith(b"%PDF")
    assert (
        "Các ô chữ của sổ này chỉ dành cho chuyên viên" not in body
    )  # the notebook's markdown is for the analyst only


@pytest.mark.slow
def test_the_first_year_has_sentences_where_a_later_year_has_comparisons(printed):
    first, later = printed[2017]["body"], printed[2018]["body"]
    assert "Chưa có số liệu năm 2016: năm 2017 không được so sánh với năm trước." in first
    assert "Cộng dồn 2017–2017" not in first and "Năm 2016" not in first
    assert "Năm 2017\tNăm 2018" in later or ("Năm 2017" in later and "Năm 2018" in later)
    assert "+219" in later  # signed changes
    assert "Không có sửa lỗi nào được áp dụng." in first
