"""The joint report the four bodies sign: outline, Decree 30 elements, wording, figures made for paper.

The drafts of 2017 (the programme's first year), 2020 and 2022 (its last
year: a tổng kết) are written from the golden indicators of the sample data
and read back from every XML part of the ``.docx`` (body, tables, text boxes,
headers and footers). The figures are checked in greyscale.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import year_data
from helpers.compute.indicators import read_indicators
from helpers.compute.programme import read_programmes
from helpers.compute.targets import progress, read_targets
from helpers.compute.years import changes, cumulative, province
from helpers.messages import message
from helpers.paths import ProjectPaths
from helpers.publish import figures, report_docx, review
from helpers.publish.figure_style import grey_level
from helpers.publish.render import note_name
from helpers.publish.report_parts import issuing_bodies, outline, recipients
from helpers.reference import load_reference
from helpers.samples import SampleLabel

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
DATA = ROOT / "data"
YEARS = (2017, 2020, 2022)
TOOL_WORDS = re.compile(
    r"coop-review|\.xlsx|\.csv|\.py\b|\.ipynb|data/|processed|rejects|notebook|papermill|[A-Za-z]:\\|/tmp/",
    re.IGNORECASE,
)
"""What names the tool, a file or a path: none of it may be in the signed document."""


def sample_ledger(year: int) -> pd.DataFrame:
    """A ledger of the sample's returns of ``year`` (file names as the sample has them): one read file each."""
    from helpers import tables

    files = [(f"activities/{code} - bao cao nam {year}.xlsx", "01", code) for code in ("LMHTX", "HND", "HCCB", "HLHPN")]
    files += [("cooperatives.xlsx", "02", ""), ("groups.xlsx", "03", "")]
    rows = []
    for file, template, agency in files:
        row = dict.fromkeys(tables.columns_of(tables.LEDGER), 0)
        row.update(
            file=file,
            template=template,
            agency=agency,
            sheet="Biểu " + template,
            status="read",
            rows_read=12,
            accepted=10,
            rejected=1,
            title=1,
            encoding="utf-8",
        )
        rows.append(row)
    return pd.DataFrame(rows)


def golden_year(year: int, lang: str = "vi") -> review.YearData:
    """The review data of ``year`` from the golden indicators and the sample's programme and targets tables."""
    history = pd.concat(
        [read_indicators(GOLDEN / str(y) / "indicators.csv") for y in range(2017, year + 1)], ignore_index=True
    )
    programme = next(p for p in read_programmes(DATA / "programme.csv") if p.covers(year))
    targets = read_targets(DATA / "targets.csv")
    return year_data(
        year,
        indicators=history[history["year"] == year].reset_index(drop=True),
        history=history,
        changes=changes(history, year),
        cumulative=cumulative(history, year, programme.first_year),
        targets=progress(targets, province(history), year),
        programme=programme,
        next_targets=tuple(t for t in targets if t.applies_to(year + 1)),
        sample=SampleLabel(year, files=(f"{year}/registers/cooperatives.xlsx",), total=1),  # every return a sample
        lang=lang,
        ledger=sample_ledger(year),
        rejects=pd.DataFrame(
            [
                {
                    "file": "cooperatives.xlsx",
                    "sheet": "Biểu 02",
                    "row": 14,
                    "column": "Doanh thu",
                    "value": "nhiều",
                    "reason": "không phải là số",
                    "unit": "HTX Khánh Cư",
                }
            ]
        ),
    )


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[int, Path]:
    """The drafts of 2017, 2020 and 2022, with their figures and their internal notes."""
    root = tmp_path_factory.mktemp("drafts")
    paths = ProjectPaths.from_roots(root / "data", root / "reports")
    out = {}
    for year in YEARS:
        data = golden_year(year)
        paths.figures_year(year).mkdir(parents=True)
        saved = review.make_figures(data, paths)
        out[year] = report_docx.write_year_draft(data, paths, saved)
    return out


def parts_text(path: Path) -> dict[str, str]:
    """The text of every XML part of a .docx (body, headers, footers, notes, text boxes), one line a paragraph."""
    texts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            xml = archive.read(name).decode("utf-8")
            paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
            lines = ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs]
            texts[name] = "\n".join(line for line in lines if line)
    return texts


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def all_text(path: Path) -> str:
    return "\n".join(parts_text(path).values())


@pytest.mark.parametrize("year", YEARS)
def test_every_part_of_the_outline_in_order(drafts, year):
    data = golden_year(year)
    text = parts_text(drafts[year])["word/document.xml"]
    values = {"year": year, "next_year": year + 1, "period": "2017–2022"}
    position = 0
    for row in outline(data.is_final):
        if row.kind == "writer":
            continue
        expected = message(row.key, **values)
        found = text.find(expected, position)
        assert found >= 0, (row, expected)
        position = found
    for heading in (
        "I. CÔNG TÁC LÃNH ĐẠO",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm",
        "2. Tồn tại, hạn chế",
        "3. Nguyên nhân",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ):
        assert heading in text, heading
    assert text.startswith(message("docx.draft_mark"))
    assert "Thực hiện Chương trình phối hợp số …/CTrPH ngày … giữa" in text
    assert "(Kèm theo Báo cáo số" in text and "/BC-LMHTX-HND-HCCB-HLHPN" in text


@pytest.mark.parametrize("year", YEARS)
def test_the_decree_30_header_signatures_and_recipients(drafts, year):
    import docx

    document = docx.Document(str(drafts[year]))
    header = document.tables[0].rows[0].cells
    bodies = issuing_bodies(load_reference(None), year)
    for body in bodies:
        assert body.full_name.upper() in header[0].text  # the full name with the province
        assert "NINH BÌNH" in body.full_name.upper()
    assert "Số:" in header[0].text and "/BC-LMHTX-HND-HCCB-HLHPN" in header[0].text
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text and "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert f"ngày      tháng      năm {year + 1}" in header[1].text
    # the short rules: under the bodies' names, under the motto, under the subject line
    xml = document_xml(drafts[year])
    first_page = xml[: xml.index(message("docx.part.leadership"))]
    assert len(re.findall(r"<w:pBdr><w:bottom ", first_page)) >= 3
    # one signature block per body: name, authority, position, room to sign, the name to fill in
    signatures = [cell for table in document.tables for row in table.rows for cell in row.cells]
    for body in bodies:
        cell = next(c for c in signatures if c.text.startswith(body.full_name.upper()) and "[Họ và tên]" in c.text)
        assert body.signer_for in cell.text and body.signer_title in cell.text
        lines = cell.text.split("\n")
        empty = lines.index("[Họ và tên]") - lines.index(body.signer_title) - 1
        assert empty >= 3, lines
    text = parts_text(drafts[year])["word/document.xml"]
    assert "Nơi nhận:" in text
    for line in recipients("vi"):
        assert f"- {line}" in text
    assert "Thường trực Tỉnh ủy" in text and "UBND tỉnh" in text


@pytest.mark.parametrize("year", YEARS)
def test_nothing_of_the_tool_in_the_signed_document(drafts, year):
    import docx

    for name, text in parts_text(drafts[year]).items():
        assert not TOOL_WORDS.search(text), (name, TOOL_WORDS.findall(text))
    properties = docx.Document(str(drafts[year])).core_properties
    assert not TOOL_WORDS.search(f"{properties.author} {properties.last_modified_by} {properties.comments}")
    # the data-quality part is the analyst's note beside it, not in the report
    note = drafts[year].with_name(note_name("vi"))
    assert note.is_file()
    assert message("note.title", year=year) in all_text(note)
    assert "CHẤT LƯỢNG SỐ LIỆU" not in all_text(drafts[year])


def test_the_tool_words_check_sees_a_file_and_the_tool():
    for text in ("Dự thảo do coop-review tạo", "(data/targets.csv)", "rejects.xlsx", "C:\\Users\\x"):
        assert TOOL_WORDS.search(text), text


@pytest.mark.parametrize("year", YEARS)
def test_numbers_as_the_genre_writes_them(drafts, year):
    from test_review_docx import unrounded_abouts

    text = all_text(drafts[year])
    assert unrounded_abouts(text) == []
    assert "cộng dồn" not in text.lower()
    assert "~" not in text
    assert not re.search(r"\d,\d{3}\b", text)  # no English thousands separator
    assert re.search(r"Trong [\d.]+ HTX được xếp loại, [\d,]+% xếp loại Tốt và Khá", text)  # a share names its base


def test_the_first_year_says_so_and_does_not_go_on(drafts):
    text = all_text(drafts[2017])
    assert message("docx.year_first", year=2017, period_words=" giai đoạn 2017–2022") in text
    assert "tiếp tục" not in text and "so với năm 2016" not in text


def test_the_last_year_is_a_final_report_with_the_whole_period(drafts):
    text = all_text(drafts[2022])
    assert message("docx.title_final", years=6, period="2017–2022") in text
    assert "Sơ kết năm 2022" not in text
    for key in (
        "docx.table_cumulative_by_year",
        "docx.table_cumulative_by_body",
        "docx.table_trend",
        "docx.table_period_targets",
    ):
        assert message(key, period="2017–2022") in text, key
    assert "Lũy kế giai đoạn 2017–2022:" in text
    assert message("docx.part.directions_final") in text
    # the trend figures of the period
    assert sum(1 for line in text.splitlines() if line.startswith("Hình ")) >= 4
    interim = all_text(drafts[2020])
    assert "Tổng kết" not in interim and "Sơ kết năm 2020" in interim


def test_targets_are_exceeded_met_or_missed_in_words(drafts):
    text = all_text(drafts[2022])
    assert "vượt chỉ tiêu" in text
    assert "chưa đạt" in text
    assert "Trong 3 mục tiêu" not in text


def test_prompts_are_highlighted_for_the_editor(drafts):
    xml = document_xml(drafts[2020])
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*?\[Bổ sung(?:(?!</w:r>).)*?</w:r>", xml, flags=re.S)
    assert len(runs) >= 7
    assert all('<w:highlight w:val="yellow"/>' in run for run in runs)


def test_the_body_names_come_from_the_reference():
    reference = load_reference(None)
    bodies = issuing_bodies(reference, 2020)
    assert [b.code for b in bodies] == [a.code for a in reference.agencies]
    assert bodies[3].short_name == "Hội LHPN tỉnh" and bodies[3].full_name == "Hội Liên hiệp Phụ nữ tỉnh Ninh Bình"


def test_a_data_root_without_the_document_columns_falls_back_on_the_plain_names(tmp_path):
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / "agencies.csv").write_text("agency_code,name_vi,name_en\nHND,Hội Nông dân tỉnh,Farmers' Union\n", "utf-8")
    body = issuing_bodies(load_reference(folder), 2020)[0]
    assert (body.full_name, body.short_name, body.symbol) == ("Hội Nông dân tỉnh", "Hội Nông dân tỉnh", "HND")


# -- figures for paper ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def drawn_2022() -> dict:
    """The figures of 2022, drawn once for the tests of this module."""
    return _figures(2022)


def _figures(year: int) -> dict:
    data = golden_year(year)
    sources = "sample"
    drawn = {
        "fig1": figures.outputs_by_agency(data.indicators, year, sources, True, reference=data.reference),
        "fig2": figures.training_by_district(data.indicators, year, sources, True, reference=data.reference),
        "fig3": figures.htx_over_years(data.history, sources, True),
        "fig4": figures.rating_mix(data.history, sources, True),
        "fig5": figures.revenue_profit(data.history, sources, True),
        "fig6": figures.targets_progress(data.targets, year, sources, True),
    }
    return drawn


def _rendered_grey(fig) -> np.ndarray:
    """The figure as printed in black and white: each pixel's grey (0 black, 1 white)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(fig.canvas, "buffer_rgba"):
        FigureCanvasAgg(fig)
    fig.set_dpi(100)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba(), dtype=float) / 255
    return 0.299 * rgba[..., 0] + 0.587 * rgba[..., 1] + 0.114 * rgba[..., 2]


def _patch_sample(grey: np.ndarray, patch) -> np.ndarray:
    """The grey pixels inside a bar, away from its edges and from the label in its middle."""
    (x0, y0), (x1, y1) = patch.get_window_extent().get_points()
    height = grey.shape[0]
    top, bottom = int(height - y1), int(height - y0)
    left, right = int(x0), int(x1)
    band = max(2, (bottom - top) // 5)
    inner = grey[bottom - 2 * band : bottom - 2, left + 3 : right - 3]  # the lower part of the bar
    return inner.ravel()


def _categories(ax) -> dict[str, object]:
    """The first bar of each legend category of an axes."""
    out = {}
    for container in ax.containers:
        label = container.get_label()
        if label and not label.startswith("_") and len(container.patches):
            tallest = max(container.patches, key=lambda p: p.get_height() * p.get_width())
            out[label] = tallest
    return out


def distinguishable_in_grey(fig, ax) -> list[tuple[str, str]]:
    """The pairs of categories of ``ax`` that print alike in black and white (measured on the rendered image).

    Two categories print alike when their grey levels are within 0,12 and
    their texture (the spread of grey inside the bar: a hatch) too.
    """
    grey = _rendered_grey(fig)
    samples = {label: _patch_sample(grey, patch) for label, patch in _categories(ax).items()}
    alike = []
    labels = list(samples)
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            a, b = samples[first], samples[second]
            if abs(a.mean() - b.mean()) < 0.12 and abs(a.std() - b.std()) < 0.08:
                alike.append((first, second))
    return alike


def test_colour_alone_never_tells_the_categories_apart_in_black_and_white(drawn_2022):
    drawn = drawn_2022
    checked = 0
    for stem in ("fig3", "fig4"):
        fig = drawn[stem]
        for ax in fig.axes:
            if len(_categories(ax)) >= 2:
                assert distinguishable_in_grey(fig, ax) == [], stem
                checked += 1
    assert checked == 2
    # lines: mean and median differ by line style and marker, not by colour
    for ax in drawn["fig5"].axes:
        styles = {(line.get_linestyle(), line.get_marker()) for line in ax.get_lines()}
        assert len(styles) == len(ax.get_lines()) == 2
    # statuses of the targets: each its own hatch
    bars = drawn["fig6"].axes[0].patches
    statuses = golden_year(2022).targets["status"].tolist()
    hatch_of = {}
    for bar, status in zip(bars, statuses, strict=False):
        hatch_of.setdefault(status, bar.get_hatch() or "")
    assert len(set(hatch_of.values())) == len(hatch_of)
    # bars by agency or district are told apart by their axis labels, written beside each bar
    for stem in ("fig1", "fig2"):
        for ax in drawn[stem].axes:
            assert len([t for t in ax.get_yticklabels() if t.get_text()]) == len(ax.patches)


def test_the_greyscale_check_sees_two_colours_that_print_alike():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.bar(["a"], [1], color="#2e8b57", label="green")  # grey 0,43
    ax.bar(["b"], [1], color="#c0392b", label="red")  # grey 0,37
    assert abs(grey_level("#2e8b57") - grey_level("#c0392b")) < 0.12
    assert distinguishable_in_grey(fig, ax) == [("green", "red")]


def test_no_legend_over_a_label(drawn_2022):
    for stem, fig in drawn_2022.items():
        fig.set_dpi(100)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None:
                continue
            box = legend.get_window_extent(renderer)
            for text in ax.texts:
                assert not box.overlaps(text.get_window_extent(renderer)), (stem, text.get_text())


def test_a_result_beyond_twice_the_target_is_drawn_and_written_as_it_is():
    targets = pd.DataFrame(
        [
            {
                "indicator": "htx_new",
                "period": "2018-2023",
                "basis": "per_year",
                "target_low": 20.0,
                "target_high": float("nan"),
                "value": 45.0,
                "status": "met",
                "note": "",
                "source": "",
            }
        ]
    )
    fig = figures.targets_progress(targets, 2022, "sample", False)
    bar = fig.axes[0].patches[0]
    assert bar.get_width() == pytest.approx(2.25)
    assert any("225%" in text.get_text() for text in fig.axes[0].texts)
    assert fig.axes[0].get_xlim()[1] > 2.25


def test_no_chart_over_the_years_for_one_year(tmp_path):
    data = golden_year(2017)
    paths = ProjectPaths.from_roots(tmp_path / "data", tmp_path / "reports")
    paths.figures_year(2017).mkdir(parents=True)
    saved = review.make_figures(data, paths)
    assert not {"fig3_htx_over_years", "fig4_rating_mix", "fig5_revenue_profit"} & set(saved)
    view = review.figure_view(saved, "fig3_htx_over_years", data)
    assert "chỉ có số liệu năm 2017" in view.data


def test_captions_do_not_repeat_the_titles(drafts):
    text = all_text(drafts[2022])
    captions = [line for line in text.splitlines() if line.startswith("Hình ")]
    titles = [
        message(f"figure.{key}", year=2022)
        for key in ("outputs_by_agency", "htx_over_years", "rating_mix", "revenue_profit", "targets")
    ]
    for caption in captions:
        assert not any(title in caption for title in titles), caption


# -- the HTML review ------------------------------------------------------------------------------------


def test_the_review_header_is_vietnamese_without_the_tool_and_without_the_data_quality_box():
    import datetime as dt

    from helpers.publish.review_html import header_html, section_html

    data = golden_year(2022)
    data.problems = pd.DataFrame(columns=["file", "problem", "action", "severity"])
    header = header_html(data, dt.datetime(2026, 12, 7, 8, 58))
    assert "ngày 7 tháng 12 năm 2026" in header and "8 giờ 58" in header
    assert "coop-review" not in header and "2026-12-07" not in header
    assert 'class="banner' not in header
    assert "Tổng kết giai đoạn 2017–2022" in header
    assert 'class="banner' in section_html(data, "ledger")
    assert 'class="banner' not in section_html(data, "headline")


def test_the_review_prints_at_ten_points_or_more():
    template = (ROOT / "src/helpers/publish/templates/review/index.html.j2").read_text(encoding="utf-8")
    printed = template[template.index("@media print") :]
    sizes = re.findall(r"font-size:\s*([\d.]+)(px|pt)", printed)
    assert sizes
    for number, unit in sizes:
        points = float(number) * (0.75 if unit == "px" else 1)
        assert points >= 10, (number, unit)


def test_the_index_page_speaks_vietnamese_only():
    for key in ("index.sample_all", "index.sample_some"):
        assert "synthetic" not in message(key, count=6, files="x").lower()
    assert message("index.english") != "English"
