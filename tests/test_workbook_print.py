"""``indicators.xlsx`` prints as an appendix: read back with openpyxl.

Every sheet fits the page width (landscape where wide) on A4 with its header
row repeated; names stand beside codes; years are plain integers; values are
rounded as the review shows them and approximate ones carry their words; the
last sheet is the indicator catalogue with Vietnamese definitions.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from helpers.publish.workbook import PORTRAIT_COLUMNS, write_indicators_workbook
from helpers.reference import load_reference
from helpers.reference.catalogue import catalogue


def _indicators(year: int) -> pd.DataFrame:
    rows = [
        ("training_sessions", "ALL", "ALL", 4730.0, "buổi", True, "more_than"),
        ("training_sessions", "HND", "ALL", 2150.0, "buổi", False, ""),
        ("newsletters_issued", "ALL", "ALL", 10000.0, "cuốn", True, "under"),
        ("deferred_fertilizer_t", "ALL", "ALL", 5207.46, "tấn", False, ""),
        ("htx_count", "ALL", "ALL", 370.0, "HTX", False, ""),
        ("htx_count", "ALL", "372", 70.0, "HTX", False, ""),
        ("good_fair_share", "ALL", "ALL", 0.55, "tỷ lệ", False, ""),
    ]
    return pd.DataFrame(
        [
            {
                "year": year,
                "indicator": i,
                "agency": a,
                "district": d,
                "value": v,
                "unit": u,
                "approximate": x,
                "approx_sense": s,
            }
            for i, a, d, v, u, x, s in rows
        ]
    )


@pytest.fixture
def workbook(tmp_path):
    indicators = _indicators(2018)
    history = pd.concat([_indicators(2017).assign(value=lambda t: t["value"] - 1), indicators])
    changes = pd.DataFrame(
        [
            {"indicator": "htx_count", "change": 1.0, "change_pct": 0.27},
            {"indicator": "training_sessions", "change": 1.0, "change_pct": 0.02},
        ]
    )
    targets = pd.DataFrame(
        [
            {
                "indicator": "htx_count",
                "period": "2018-2023",
                "basis": "level",
                "target_low": 400.0,
                "target_high": None,
                "value": 370.0,
                "status": "behind",
                "source": "x",
            }
        ]
    )
    path = tmp_path / "indicators.xlsx"
    write_indicators_workbook(indicators, history, changes, targets, path, reference=load_reference(None))
    return openpyxl.load_workbook(path)


def test_every_sheet_fits_the_page_width_on_a4_with_its_header_on_every_page(workbook):
    assert len(workbook.worksheets) == 6
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert int(setup.paperSize) == 9  # A4
        assert setup.orientation == ("landscape" if sheet.max_column > PORTRAIT_COLUMNS else "portrait"), sheet.title
        assert sheet.print_title_rows == "$1:$1"
        assert "&P" in sheet.oddFooter.center.text


def test_names_beside_codes_and_years_as_plain_integers(workbook):
    activity = workbook["A. Hoạt động phối hợp"]
    header = [c.value for c in activity[1]]
    assert header[:4] == ["Chỉ tiêu", "Mã chỉ tiêu", "Đơn vị tính", "Toàn tỉnh"] and "Hội Nông dân tỉnh (HND)" in header
    development = [c.value for c in workbook["B. Phát triển HTX, THT"][1]]
    assert "Nho Quan (372)" in development
    tidy = workbook["Dữ liệu (dạng dài)"]
    header = [c.value for c in tidy[1]]
    assert header == [
        "Năm",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Mã cơ quan",
        "Cơ quan",
        "Mã địa bàn",
        "Địa bàn",
        "Giá trị",
        "Đơn vị tính",
        "Số ước tính",
    ]
    first = [c for c in tidy[2]]
    assert first[0].value == 2018 and first[0].number_format == "0"  # 2018, never 2,018
    assert first[2].value == "Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề" and first[6].value == "Toàn tỉnh"
    assert [c.value for c in workbook["C. Qua các năm"][1]][3:5] == ["Năm 2017", "Năm 2018"]


def test_the_same_rounding_as_the_review_and_approximate_values_in_words(workbook):
    activity = workbook["A. Hoạt động phối hợp"]
    cells = {row[1].value: row[3] for row in activity.iter_rows(min_row=2)}
    assert cells["training_sessions"].value == 4730 and cells["training_sessions"].number_format == '"trên "#,##0'
    assert cells["newsletters_issued"].number_format == '"gần "#,##0'
    assert cells["deferred_fertilizer_t"].number_format == "#,##0.0"  # one decimal, as the review shows 5.207,5
    share = {row[1].value: row[3] for row in workbook["B. Phát triển HTX, THT"].iter_rows(min_row=2)}["good_fair_share"]
    assert share.number_format == "0%" and share.value == pytest.approx(0.55)
    tidy = {(row[1].value, row[3].value): row[9].value for row in workbook["Dữ liệu (dạng dài)"].iter_rows(min_row=2)}
    assert tidy[("training_sessions", "ALL")] == "trên" and tidy[("training_sessions", "HND")] in ("", None)


def test_the_indicator_catalogue_is_the_data_dictionary(workbook):
    sheet = workbook["Danh mục chỉ tiêu"]
    assert [c.value for c in sheet[1]] == [
        "Mã chỉ tiêu",
        "Nhóm",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Nguồn",
        "Định nghĩa, cách tính",
    ]
    rows = {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == set(catalogue())
    assert all(
        row[5] and row[5].endswith(".") for row in rows.values()
    )  # every indicator has its Vietnamese definition
    assert rows["htx_count"][2] == "Số HTX (chưa giải thể) tại 31/12" and "Giải thể" in rows["htx_count"][5]
