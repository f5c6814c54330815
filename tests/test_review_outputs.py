"""What reviewers get: the HTML in a real browser (offline), the workbook in LibreOffice, stable figures, the index."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import require_tool, run_cli
from helpers.paths import ProjectPaths

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_offline(browser, path: Path):
    """Open a file in a page that may load nothing but local files; return the page and what went wrong."""
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}") if message.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))

    def only_local(route):
        if route.request.url.startswith(("file:", "data:")):
            return route.continue_()
        problems.append(f"network request: {route.request.url}")
        return route.abort()

    page.route("**/*", only_local)
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


@pytest.mark.slow
def test_review_html_in_headless_chromium_offline(built_review, browser, tmp_path):
    root, result = built_review
    assert result.returncode == 0, result.stdout + result.stderr
    page, problems = open_offline(browser, root / "reports" / "2017" / "review.html")
    images = page.evaluate(
        "Array.from(document.images).map(i => ({ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth}))"
    )
    # the first year draws no chart "over the years" (a sentence in its place): the review shows every figure saved
    saved = [png for png in (root / "reports" / "2017" / "figures").glob("*.png") if not png.name.endswith(".en.png")]
    assert len(images) == len(saved) >= 3 and all(image["ok"] for image in images), images
    assert page.locator("h1").inner_text().startswith("Sơ kết năm 2017")
    headings = page.locator("h2").all_inner_texts()
    assert [h.split(". ", 1)[0] for h in headings] == ["1", "2", "3", "4", "5", "6"]
    assert "Sổ ghi dữ liệu" in headings[-1]  # the ledger comes last
    # every table-of-contents link leads to its section
    for anchor in page.locator("nav.toc a").all():
        target = anchor.get_attribute("href")
        assert page.locator(target).count() == 1, target
    body = page.locator("body").inner_text()
    assert (
        "273.219" in body and "trên 4.730" in body and "gần 10.000" in body
    )  # published 2017 figures, Vietnamese format, approximate in words
    assert "~" not in body
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert "from helpers" not in body
    assert problems == []
    page.screenshot(path=str(tmp_path / "review-2017.png"), full_page=False)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 4
    page.close()


@pytest.mark.slow
def test_index_page_lists_the_years_with_working_links(built_review, browser):
    root, _ = built_review
    index = root / "reports" / "index.html"
    page, problems = open_offline(browser, index)
    text = page.locator("body").inner_text()
    assert "2017" in text and "2018" in text and "370" in text and "384" in text
    for link in page.locator("a").all():
        href = link.get_attribute("href")
        assert (index.parent / href).exists(), href
    assert problems == []
    page.close()


@pytest.mark.slow
def test_workbook_reads_back_and_opens_in_libreoffice(built_review, tmp_path):
    root, _ = built_review
    workbook_path = root / "reports" / "2018" / "indicators.xlsx"
    workbook = openpyxl.load_workbook(workbook_path)
    assert workbook.sheetnames == [
        "A. Hoạt động phối hợp",
        "B. Phát triển HTX, THT",
        "C. Qua các năm",
        "Mục tiêu",
        "Dữ liệu (dạng dài)",
        "Danh mục chỉ tiêu",
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1] if cell.value)
        assert sheet.column_dimensions["A"].width >= 8
    activity = workbook["A. Hoạt động phối hợp"]
    assert [c.value for c in activity[1]][:4] == ["Chỉ tiêu", "Mã chỉ tiêu", "Đơn vị tính", "Toàn tỉnh"]
    row = next(r for r in activity.iter_rows(min_row=2) if r[0].value == "Số lượt người tham dự tập huấn, bồi dưỡng")
    assert row[3].value == 294785 and row[3].number_format == "#,##0"
    share = next(
        r
        for r in workbook["B. Phát triển HTX, THT"].iter_rows(min_row=2)
        if r[0].value == "Tỷ lệ HTX xếp loại Tốt và Khá"
    )
    assert share[3].number_format in ("0%", "0.0%") and 0 < share[3].value < 1
    assert workbook["Mục tiêu"].max_row >= 3

    soffice = require_tool("soffice", "libreoffice-calc")
    out = tmp_path / "converted"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(out),
            str(workbook_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    csv_text = (out / "indicators.csv").read_text(encoding="utf-8", errors="replace")
    assert "294785" in csv_text.replace(",", "").replace(".", "")


@pytest.mark.slow
def test_figures_are_byte_identical_when_redrawn(built_review, tmp_path):
    """Figures drawn again from the same processed data, in another process and folder, are the same bytes."""
    from helpers.publish import review

    root, _ = built_review
    paths = ProjectPaths.from_roots(root / "data", tmp_path / "again")
    data = review.load_year(paths, 2018)
    saved = review.make_figures(data, paths)
    assert len(saved) == 7
    for figure in saved.values():
        for drawn in (figure.png, figure.svg):
            original = root / "reports" / "2018" / "figures" / drawn.name
            assert hashlib.sha256(drawn.read_bytes()).digest() == hashlib.sha256(original.read_bytes()).digest(), (
                drawn.name
            )


def test_workbook_bytes_do_not_depend_on_the_time(tmp_path, monkeypatch):
    import datetime as dt

    import pandas as pd

    from helpers.publish import workbook
    from helpers.reference import load_reference

    indicators = pd.DataFrame(
        [
            {
                "year": 2018,
                "indicator": "htx_count",
                "agency": "ALL",
                "district": "ALL",
                "value": 384.0,
                "unit": "HTX",
                "approximate": False,
            }
        ]
    )
    changes = pd.DataFrame(columns=["indicator", "change", "change_pct"])
    targets = pd.DataFrame(columns=["indicator", "period", "target_low", "target_high", "value", "status", "source"])
    workbook.write_indicators_workbook(
        indicators, indicators, changes, targets, tmp_path / "a.xlsx", reference=load_reference(None)
    )

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2031, 5, 6, 7, 8, 9)

        @classmethod
        def utcnow(cls):
            return dt.datetime(2031, 5, 6, 7, 8, 9)

    monkeypatch.setattr(dt, "datetime", Later)
    workbook.write_indicators_workbook(
        indicators, indicators, changes, targets, tmp_path / "b.xlsx", reference=load_reference(None)
    )
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_text_that_looks_like_a_formula_is_stored_as_text():
    from helpers.publish.workbook import safe_text

    assert safe_text('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_text("+84 123") == "'+84 123"
    assert safe_text("HTX Yên Từ") == "HTX Yên Từ"
    assert safe_text(12.5) == 12.5


@pytest.mark.slow
def test_english_labels(built_review, tmp_path):
    import shutil

    root = tmp_path / "copy"  # a private copy: the shared build stays Vietnamese-only
    shutil.copytree(built_review[0], root)
    result = run_cli("run", "2018", "--lang", "en", "--data", str(root / "data"), "--reports", str(root / "reports"))
    assert result.returncode == 0, result.stdout + result.stderr
    reports = root / "reports" / "2018"
    html = (reports / "review.en.html").read_text(encoding="utf-8")
    assert "Review of 2018" in html and "Data-quality ledger" in html and "294,785" in html
    assert '<html lang="en">' in html
    assert (reports / "figures" / "fig1_outputs_by_agency.en.png").is_file()
    assert (reports / "review.html").is_file()  # the Vietnamese review is still there
    assert "4:vi" in (root / "data" / "processed" / "2018" / "build.json").read_text(
        encoding="utf-8"
    )  # and still current
    plan = run_cli("run", "2018", "--dry-run", "--data", str(root / "data"), "--reports", str(root / "reports"))
    from helpers.messages import message

    assert message("runner.up_to_date", year=2018) in plan.stdout
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert "2018/review.en.html" in index
