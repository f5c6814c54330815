"""The draft báo cáo sơ kết (``reports/<year>/review.docx``): read back with python-docx, and printed by LibreOffice.

Decree 30/2020/NĐ-CP layout: A4, Times New Roman 13–14 pt (12 pt in tables),
margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm, page numbers;
the year's figures in Vietnamese format; at least a page of narrative; real
tables; the first year without comparison, a later year with it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest

from conftest import require_tool, year_data
from helpers.messages import message
from helpers.publish import report_docx, review

A_PAGE_OF_NARRATIVE = 3000
"""Characters: an A4 page of 13 pt Times New Roman within the Decree 30 margins holds about 2,800–3,200."""


def narrative(document) -> str:
    """The text before the appendix."""
    lines = []
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("PHỤ LỤC"):
            break
        lines.append(paragraph.text)
    return "\n".join(lines)


def effective_font(run, paragraph, document) -> tuple[str | None, float | None]:
    """The font name and size of a run as Word shows it: the run's own, else its paragraph style's, else Normal's."""
    name = run.font.name or paragraph.style.font.name or document.styles["Normal"].font.name
    size = run.font.size or paragraph.style.font.size or document.styles["Normal"].font.size
    return name, size.pt if size else None


def all_runs(document):
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            yield paragraph, run, False
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        yield paragraph, run, True


@pytest.mark.slow
@pytest.mark.parametrize("year", [2017, 2018])
def test_the_draft_reads_back_with_the_decree_30_layout(built_review, year):
    root, result = built_review
    assert result.returncode == 0, result.stdout + result.stderr
    path = root / "reports" / str(year) / "review.docx"
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4 portrait
    assert 20 <= section.top_margin.mm <= 25 and 20 <= section.bottom_margin.mm <= 25
    assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20
    for paragraph, run, in_table in all_runs(document):
        if not run.text.strip():
            continue
        name, size = effective_font(run, paragraph, document)
        assert name == "Times New Roman", (run.text, name)
        assert (11 <= size <= 14) if in_table or size < 13 else (13 <= size <= 14), (run.text, size)
    body = [
        run
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.text.strip() and paragraph.text.startswith(("Các cơ quan", "Đến ngày"))
    ]
    assert body and all(effective_font(run, run._parent, document)[1] == 13 for run in body)
    # page numbers: a PAGE field in the header, not on the first page
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and "fldChar" in section.header._element.xml
    text = narrative(document)
    assert len(text) >= A_PAGE_OF_NARRATIVE, len(text)
    motto = "\n".join(cell.text for cell in document.tables[0].rows[0].cells)  # the block above the title
    assert (
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto
        and "Độc lập - Tự do - Hạnh phúc" in motto
        and "HỘI NÔNG DÂN TỈNH" in motto
    )
    assert f"Sơ kết năm {year}" in text
    assert len(document.tables) >= 4  # motto block, signature, and the appendix's real tables
    assert not re.search(r"\d,\d{3}\b", text)  # no English thousands separator in the Vietnamese narrative
    assert "~" not in text


@pytest.mark.slow
def test_the_first_year_has_no_comparison_and_a_later_year_has_it(built_review):
    root, _ = built_review
    first = narrative(docx.Document(str(root / "reports" / "2017" / "review.docx")))
    later = docx.Document(str(root / "reports" / "2018" / "review.docx"))
    # published 2017 figures, Vietnamese format, approximate values in words
    for figure in ("trên 4.730 buổi", "273.219 lượt người", "gần 10.000 cuốn", "trên 1.000 tin, bài", "5.207 tấn"):
        assert figure in first, figure
    assert message("docx.year_first", year=2017, period_words=" giai đoạn 2017–2022") in first
    assert "so với năm 2016" not in first
    assert "so với năm 2017" in narrative(later)
    captions = [p.text for p in later.paragraphs if p.text.startswith("Bảng ")]
    assert any("so với năm 2017" in caption for caption in captions)
    first_captions = [
        p.text
        for p in docx.Document(str(root / "reports" / "2017" / "review.docx")).paragraphs
        if p.text.startswith("Bảng ")
    ]
    assert not any("so với năm" in caption for caption in first_captions)
    header = [cell.text for cell in later.tables[-1].rows[0].cells]
    assert header[0] == "Chỉ tiêu"
    pictures = later.inline_shapes
    assert len(pictures) >= 2


@pytest.mark.slow
def test_the_draft_prints_through_libreoffice(built_review, tmp_path):
    root, _ = built_review
    soffice = require_tool("soffice", "libreoffice-writer")
    for year in (2017, 2018):
        source = root / "reports" / str(year) / "review.docx"
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        pdf = tmp_path / "review.pdf"
        assert pdf.is_file(), (
            f"LibreOffice could not print the draft (is libreoffice-writer installed?): {done.stdout}{done.stderr}"
        )
        data = pdf.read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        assert pages >= 4, pages  # narrative, signature, appendix tables, figures
        boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data))
        assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes), boxes  # A4
        pdf.unlink()


@pytest.mark.slow
def test_the_draft_is_the_same_bytes_when_written_again(built_review, tmp_path):
    from helpers.paths import ProjectPaths

    root, _ = built_review
    paths = ProjectPaths.from_roots(root / "data", root / "reports")
    data = review.load_year(paths, 2018)
    again = report_docx.write_draft_report(data, tmp_path / "again.docx", _figures(root, 2018))
    assert again.read_bytes() == (root / "reports" / "2018" / "review.docx").read_bytes()


def _figures(root: Path, year: int) -> dict:
    from helpers.publish.figures import SavedFigure

    folder = root / "reports" / str(year) / "figures"
    return {p.stem: SavedFigure(p, p.with_suffix(".svg")) for p in folder.glob("*.png") if ".en." not in p.name}


# -- the grammar of each case, on a year made in the test ------------------------------------------


def _year(rows: list[tuple], previous: list[tuple] | None = None, lang: str = "vi") -> review.YearData:
    """A YearData of 2019 of ``rows`` (indicator, agency, value, approx_sense) and, if given, 2018's ``previous``."""
    from helpers.compute.years import changes

    def frame(year: int, values: list[tuple]) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "year": year,
                    "indicator": i,
                    "agency": a,
                    "district": "ALL",
                    "value": v,
                    "unit": "",
                    "approximate": bool(s),
                    "approx_sense": s or "",
                }
                for i, a, v, s in values
            ]
        )

    indicators = frame(2019, rows)
    history = pd.concat([frame(2018, previous), indicators]) if previous else indicators
    return year_data(2019, indicators=indicators, history=history, changes=changes(history, 2019), lang=lang)


def test_the_bodies_are_the_subjects_in_one_order_whatever_their_values():
    data = _year(
        [
            ("training_sessions", "ALL", 300.0, "more_than"),
            ("training_sessions", "HND", 200.0, "more_than"),
            ("training_sessions", "HCCB", 100.0, None),
            ("training_sessions", "LMHTX", 5.0, None),
        ],
        [("training_sessions", "ALL", 250.0, None)],
    )
    sentence = report_docx.activity_sentence(data, "training_sessions")
    assert sentence.startswith("Các cơ quan đã tổ chức trên 300 buổi tập huấn")
    # the order of agencies.csv (LMHTX, HND, HCCB, HLHPN), not the largest first
    assert (
        "Trong đó, Liên minh Hợp tác xã tỉnh 5 buổi, Hội Nông dân tỉnh trên 200 buổi, Hội Cựu chiến binh tỉnh 100 buổi."
        in sentence
    )
    # a change involving an approximate value is "khoảng" with a round figure
    assert "; tăng khoảng 50 buổi (20%) so với năm 2018." in sentence


def test_one_body_is_the_subject_and_its_short_name_follows_the_first_mention():
    from helpers.publish.report_text import new_mentions

    data = _year(
        [
            ("safe_produce_shops", "ALL", 1.0, None),
            ("safe_produce_shops", "HLHPN", 1.0, None),
            ("clean_food_models", "ALL", 9.0, None),
            ("clean_food_models", "HLHPN", 9.0, None),
        ]
    )
    mentions = new_mentions(data)
    first = report_docx.activity_sentence(data, "safe_produce_shops", mentions)
    second = report_docx.activity_sentence(data, "clean_food_models", mentions)
    assert first.startswith("Hội Liên hiệp Phụ nữ tỉnh đã mở một cửa hàng nông sản an toàn")
    assert second.startswith("Hội LHPN tỉnh đã xây dựng 9 mô hình")
    assert "do " not in first + second and "thực hiện" not in first + second


def test_zero_missing_and_no_previous_year():
    data = _year([("clean_food_models", "ALL", 0.0, None)])
    assert not data.has_previous_year
    assert report_docx.activity_sentence(data, "clean_food_models") == message(
        "docx.activity_zero", name='Mô hình "Nói không với thực phẩm bẩn"', versus=""
    )
    assert report_docx.activity_sentence(data, "web_articles") == message(
        "docx.activity_missing", name="Số tin, bài đăng trên trang thông tin điện tử"
    )


def test_a_fall_a_flat_year_and_a_previous_year_without_the_indicator():
    data = _year(
        [
            ("newsletters_issued", "ALL", 9000.0, "under"),
            ("web_articles", "ALL", 500.0, None),
            ("effective_models", "ALL", 4.0, None),
        ],
        [("newsletters_issued", "ALL", 10000.0, None), ("web_articles", "ALL", 500.0, None)],
    )
    assert "gần 9.000 cuốn bản tin; giảm khoảng 1.000 cuốn (10%) so với năm 2018." in report_docx.activity_sentence(
        data, "newsletters_issued"
    )
    assert report_docx.activity_sentence(data, "web_articles").endswith("trang thông tin điện tử; bằng năm 2018.")
    assert report_docx.activity_sentence(data, "effective_models").endswith("; năm 2018 chưa có số liệu để so sánh.")


def test_about_takes_a_round_figure_over_and_nearly_keep_the_figure_as_computed():
    data = _year(
        [
            ("training_attendance", "ALL", 251012.0, "about"),
            ("deferred_fertilizer_t", "ALL", 5923.8, "about"),
            ("training_sessions", "ALL", 4731.0, "more_than"),
            ("newsletters_issued", "ALL", 9987.0, "under"),
        ],
        [("training_sessions", "ALL", 5452.0, None)],
    )
    indicators = ("training_attendance", "deferred_fertilizer_t", "training_sessions", "newsletters_issued")
    text = " ".join(report_docx.activity_sentence(data, indicator) for indicator in indicators)
    assert "khoảng 251.000 lượt người" in text and "khoảng 5.920 tấn" in text
    assert "trên 4.731 buổi" in text and "gần 9.987 cuốn" in text
    assert "giảm khoảng 721 buổi" in text
    assert unrounded_abouts(text) == []
    assert unrounded_abouts("khoảng 251.012 lượt người, khoảng 5.923,8 tấn") == [
        "251.012",
        "5.923,8",
    ]  # the check sees them


ABOUT_UNROUNDED = re.compile(r"khoảng (\d{1,3}(?:\.\d{3})*(?:,\d+)?)")


def unrounded_abouts(text: str) -> list[str]:
    """Every figure after "khoảng" with more than three significant digits."""
    out = []
    for figure in ABOUT_UNROUNDED.findall(text):
        digits = figure.replace(".", "").replace(",", "").strip("0")
        if len(digits) > 3:
            out.append(figure)
    return out


def test_a_change_of_a_share_is_computed_from_the_shown_percentages_and_the_share_names_its_base():
    rows = [
        ("good_fair_share", "ALL", 0.6286, None),
        ("rating_good", "ALL", 100.0, None),
        ("rating_fair", "ALL", 76.0, None),
        ("rating_average", "ALL", 80.0, None),
        ("rating_weak", "ALL", 24.0, None),
    ]
    data = _year(rows, [("good_fair_share", "ALL", 0.61149, None)])
    from helpers.publish.report_text import development_sentences

    text = " ".join(development_sentences(data))
    # 61,1% → 62,9%: 1,8 points as a reader computes them (the unrounded shares differ by 1,71)
    assert "Trong 280 HTX được xếp loại, 62,9% xếp loại Tốt và Khá; tăng 1,8 điểm phần trăm so với năm 2018." in text
    table = review.headline_table(data)
    row = table[table[data.t("indicator")] == "Tỷ lệ HTX xếp loại Tốt và Khá"].iloc[0]
    assert row[data.t("change")] == "+1,8 đ.p." and row[data.t("change_pct")] == "x"  # not applicable, not "–"


def code_strings(path: Path) -> list[str]:
    """The string literals of a module's code (docstrings left out)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    docstrings |= {
        id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữự]", re.IGNORECASE)


@pytest.mark.parametrize("module", ["report_docx.py", "report_text.py", "report_layout.py", "print_tables.py"])
def test_every_draft_sentence_comes_from_the_catalogue(module):
    path = Path(report_docx.__file__).with_name(module)
    vietnamese = [text for text in code_strings(path) if VIETNAMESE_LETTER.search(text)]
    assert vietnamese == [], vietnamese


def test_the_scan_of_code_strings_finds_a_sentence(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text('"""Docstring: Nơi nhận."""\nx = "Các cơ quan đã tổ chức"\n', encoding="utf-8")
    assert [text for text in code_strings(sample) if VIETNAMESE_LETTER.search(text)] == ["Các cơ quan đã tổ chức"]
