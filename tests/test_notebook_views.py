"""What the stage notebooks show: section pivots, the change on last year and the summaries, on tiny inline frames."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.compute import years
from helpers.compute.indicators import INDICATOR_COLUMNS, write_indicators
from helpers.messages import message
from helpers.paths import ProjectPaths
from helpers.publish import notebook_views
from helpers.publish.notebook_views import (
    change_on_previous_year,
    change_view,
    clean_summary,
    indicators_summary,
    pivot_units,
    previous_year_changes,
    section_changes,
    section_pivot,
    section_view,
    show_lines,
    years_summary,
)
from helpers.publish.review_html import Sentence
from helpers.read.returns import NON_DATA_KINDS
from helpers.reference import load_reference
from helpers.reference.catalogue import ALL, indicators_of

A_IDS = [indicator.id for indicator in indicators_of("A")]
B_IDS = [indicator.id for indicator in indicators_of("B")]
FIRST_COLUMNS = ["Chỉ tiêu", "Đơn vị tính", "Toàn tỉnh"]

REFERENCE = load_reference(None)
"""The shipped agencies and districts."""


def frame(*rows: tuple, year: int = 2018) -> pd.DataFrame:
    """Tidy indicators from ``(indicator, agency, district, value[, sense])`` tuples (a sense marks it approximate)."""
    records = []
    for indicator, agency, district, value, *sense in rows:
        records.append(
            {
                "year": year,
                "indicator": indicator,
                "agency": agency,
                "district": district,
                "value": float(value),
                "unit": "",
                "approximate": bool(sense),
                "approx_sense": sense[0] if sense else "",
            }
        )
    return pd.DataFrame(records, columns=INDICATOR_COLUMNS)


ACTIVITIES = frame(
    ("training_sessions", ALL, ALL, 4730, "more_than"),
    ("training_sessions", "HND", ALL, 4000),
    ("training_sessions", "LMHTX", ALL, 730, "more_than"),
    ("training_sessions", ALL, "369", 4000),
    ("training_sessions", ALL, "370", 730, "more_than"),
    ("training_sessions", "HND", "369", 3999),  # agency × district: in neither pivot
    ("deferred_fertilizer_t", ALL, ALL, 5207.5),
    ("deferred_fertilizer_t", "HND", ALL, 5207.5),
    ("deferred_fertilizer_t", ALL, "369", 5207.5),
)


def row_of(table: pd.DataFrame, name: str) -> dict:
    return table.set_index("Chỉ tiêu").loc[name].to_dict()


def test_section_a_by_agency_is_written_the_vietnamese_way_with_every_agency_as_a_column():
    table = section_pivot(ACTIVITIES, "A", "agency", REFERENCE)
    assert list(table.columns) == [*FIRST_COLUMNS, "LMHTX", "HND", "HCCB", "HLHPN"]
    assert list(table["Chỉ tiêu"]) == [indicator.name_vi for indicator in indicators_of("A")]
    sessions = row_of(table, "Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề")
    assert sessions == {
        "Đơn vị tính": "buổi",
        "Toàn tỉnh": "trên 4.730",
        "LMHTX": "trên 730",
        "HND": "4.000",  # the agency's total, not its row for district 369
        "HCCB": "–",  # did not report: a dash, never 0
        "HLHPN": "–",
    }
    assert row_of(table, "Phân bón cung ứng trả chậm")["Toàn tỉnh"] == "5.207,5"
    assert set(row_of(table, "Số mô hình phát triển kinh tế hiệu quả").values()) == {"–", "mô hình"}


def test_section_a_by_district_names_the_districts_and_keeps_the_province_office_only_when_it_has_values():
    table = section_pivot(ACTIVITIES, "A", "district", REFERENCE)
    assert table.columns[:5].tolist() == [*FIRST_COLUMNS, "TP Ninh Bình", "TP Tam Điệp"]
    assert "Cấp tỉnh" not in table.columns and len(table.columns) == 3 + 8  # every district, reported or not
    assert row_of(table, "Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề")["TP Tam Điệp"] == "trên 730"
    with_office = pd.concat([ACTIVITIES, frame(("training_sessions", ALL, "TINH", 12))])
    assert section_pivot(with_office, "A", "district", REFERENCE).columns[-1] == "Cấp tỉnh"


def test_a_code_outside_the_reference_tables_keeps_its_column():
    rows = frame(("training_sessions", ALL, ALL, 5), ("training_sessions", ALL, "999", 5))
    assert pivot_units(rows, "district", REFERENCE)[-1] == "999"
    assert section_pivot(rows, "A", "district", REFERENCE).columns[-1] == "999"


def test_section_b_is_by_district_only_and_shares_are_percentages():
    register = frame(
        ("htx_count", ALL, ALL, 384),
        ("htx_count", ALL, "369", 21),
        ("good_fair_share", ALL, ALL, 0.623188),
        ("good_fair_share", ALL, "369", 0.5),
    )
    by_agency = section_pivot(register, "B", "agency", REFERENCE)
    assert list(by_agency.columns) == FIRST_COLUMNS  # section B is not counted by agency: the province alone
    assert row_of(by_agency, "Tỷ lệ HTX xếp loại Tốt và Khá") == {"Đơn vị tính": "%", "Toàn tỉnh": "62,3%"}
    by_district = section_pivot(register, "B", "district", REFERENCE)
    assert row_of(by_district, "Tỷ lệ HTX xếp loại Tốt và Khá")["TP Ninh Bình"] == "50%"
    assert len(by_district) == len(B_IDS)


def test_a_section_without_values_is_empty_and_a_wrong_choice_is_an_error():
    assert section_pivot(ACTIVITIES, "B", "district", REFERENCE).empty
    with pytest.raises(ValueError, match="section"):
        section_pivot(ACTIVITIES, "C", "agency", REFERENCE)
    with pytest.raises(ValueError, match="by"):
        section_pivot(ACTIVITIES, "A", "commune", REFERENCE)


def test_english_names_units_and_number_format():
    table = section_pivot(ACTIVITIES, "A", "agency", REFERENCE, lang="en")
    assert table.columns[:3].tolist() == ["Indicator", "Unit", "Province"]
    assert (
        row_of(table.rename(columns={"Indicator": "Chỉ tiêu"}), "Fertiliser supplied on deferred payment")["Province"]
        == "5,207.5"
    )


def history() -> pd.DataFrame:
    return pd.concat(
        [
            frame(
                ("training_sessions", ALL, ALL, 4730, "more_than"),
                ("htx_count", ALL, ALL, 370),
                ("good_fair_share", ALL, ALL, 0.55),
                year=2017,
            ),
            frame(
                ("training_sessions", ALL, ALL, 4949, "about"),
                ("htx_count", ALL, ALL, 384),
                ("good_fair_share", ALL, ALL, 0.58),
                ("htx_new", ALL, ALL, 17),
                year=2018,
            ),
        ],
        ignore_index=True,
    )


def test_change_on_previous_year_by_section():
    section_a = change_on_previous_year(history(), 2018, "A")
    assert section_a.columns.tolist() == [*FIRST_COLUMNS[:2], "Năm 2017", "Năm 2018", "Tăng/giảm", "Tăng/giảm (%)"]
    assert section_a.values.tolist() == [
        ["Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề", "buổi", "trên 4.730", "khoảng 4.950", "+219", "+4,6%"]
    ]
    section_b = change_on_previous_year(history(), 2018, "B").set_index("Chỉ tiêu")
    assert section_b.loc["Số HTX (chưa giải thể) tại 31/12"].tolist() == ["HTX", "370", "384", "+14", "+3,8%"]
    assert section_b.loc["Tỷ lệ HTX xếp loại Tốt và Khá"].tolist() == ["%", "55%", "58%", "+3 đ.p.", "–"]
    assert section_b.loc["Số HTX thành lập mới trong năm"].tolist() == ["HTX", "–", "17", "–", "–"]


def test_the_first_year_has_nothing_to_compare():
    assert change_on_previous_year(history(), 2017, "A").empty
    assert change_on_previous_year(history(), 2017, "B").columns[2] == "Năm 2016"


def test_the_change_is_section_c_rule_not_a_copy(monkeypatch):
    """The view formats what :func:`helpers.compute.years.changes` computes: a change of that rule shows here."""
    computed = years.changes(history(), 2018)
    monkeypatch.setattr(years, "changes", lambda *_: computed.assign(change=computed["change"] * 2))
    assert change_on_previous_year(history(), 2018, "A").iloc[0]["Tăng/giảm"] == "+438"


def test_section_changes_reads_changes_csv_back(tmp_path):
    path = tmp_path / "changes.csv"
    years.changes(history(), 2018).to_csv(path, index=False)
    read = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert section_changes(read, "A", 2018).equals(change_on_previous_year(history(), 2018, "A"))


def test_previous_year_changes_only_outside_a_run(tmp_path):
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    for year, table in history().groupby("year"):
        (paths.processed_year(year)).mkdir(parents=True)
        write_indicators(table.reset_index(drop=True), paths.processed_year(year) / "indicators.csv")
    alone = previous_year_changes(paths, 2018)
    assert alone is not None and section_changes(alone, "A", 2018).iloc[0]["Tăng/giảm"] == "+219"
    in_run = ProjectPaths(paths.data_root, paths.reports_root, "123-456")
    assert previous_year_changes(in_run, 2018) is None


def test_change_view_says_why_there_is_no_table():
    in_run = change_view(None, 2018, "A")
    assert isinstance(in_run, Sentence) and "2017" in in_run.text and "03_compare_years" in in_run.text
    first = change_view(years.changes(history(), 2017), 2017, "A")
    assert isinstance(first, Sentence)
    assert first.text == message("review.no_previous", year=2017, previous_year=2016)
    shown = change_view(years.changes(history(), 2018), 2018, "A").to_html()
    assert "khoảng 4.950" in shown and "Nhóm A: số liệu toàn tỉnh năm 2018 so với năm 2017" in shown


def test_section_view_captions():
    assert "Nhóm A theo cơ quan, năm 2018" in section_view(ACTIVITIES, "A", "agency", 2018, REFERENCE).to_html()
    register = frame(("htx_count", ALL, ALL, 384))
    assert "không chia theo cơ quan" in section_view(register, "B", "agency", 2018, REFERENCE).to_html()
    empty = section_view(ACTIVITIES, "B", "district", 2018, REFERENCE)
    assert isinstance(empty, Sentence) and empty.text == "Nhóm B không có số liệu nào của năm 2018."


def test_clean_summary_counts_where_the_rows_went():
    ledger = pd.DataFrame(
        {
            "file": ["a.xlsx", "b.xlsx", "c.xlsx"],
            "status": ["read", "read", "not used"],
            "rows_read": [20, 1000, 0],
            "accepted": [12, 990, 0],
            "rejected": [2, 0, 0],
            **{kind: [0, 0, 0] for kind in NON_DATA_KINDS},
        }
    )
    ledger.loc[0, ["title", "blank"]] = [1, 5]
    ledger.loc[1, "header"] = 10
    tables = {
        "ledger.csv": ledger,
        "problems.csv": pd.DataFrame({"file": ["c.xlsx"], "severity": ["error"]}),
        "rejects.csv": pd.DataFrame({"file": ["a.xlsx"] * 3, "row": [4, 4, 9]}),
        "totals_checks.csv": pd.DataFrame({"agrees": [True, False, True]}),
        "corrections_applied.csv": pd.DataFrame(),
    }
    assert clean_summary(tables, 2018) == [
        "Năm 2018: đọc được 2 tệp báo cáo, 1 tệp không dùng được.",
        "1.020 dòng đã đọc = 1.002 dòng hợp lệ + 2 dòng bị loại + 16 dòng không phải dữ liệu.",
        "1 lỗi về tệp (thiếu hoặc không đọc được): lệnh chạy kết thúc với mã 2.",
        "3 ô sai ở 2 dòng bị loại: gửi rejects.xlsx lại cho các cơ quan để sửa.",
        "1 trong 3 ô của dòng tổng lệch với tổng các dòng.",
        "0 sửa lỗi đã khai báo được áp dụng (data/corrections.csv).",
    ]
    clean = {**tables, "problems.csv": pd.DataFrame(columns=["severity"]), "rejects.csv": pd.DataFrame()}
    assert message("review.no_rejects") in clean_summary(clean, 2018)
    assert not any("mã 2" in line for line in clean_summary(clean, 2018))


def test_indicators_summary_names_what_has_no_province_value():
    lines = indicators_summary(ACTIVITIES, 2018)
    assert lines[0] == (
        f"Năm 2018: 9 giá trị được ghi vào indicators.csv; có số liệu toàn tỉnh: "
        f"nhóm A 2/{len(A_IDS)} chỉ tiêu, nhóm B 0/{len(B_IDS)} chỉ tiêu."
    )
    assert lines[1].startswith(f"Không có số liệu toàn tỉnh của {len(A_IDS) + len(B_IDS) - 2} chỉ tiêu: ")
    assert "Số HTX đang hoạt động" in lines[1] and "Phân bón cung ứng trả chậm" not in lines[1]
    assert lines[2].startswith("3 giá trị là số ước tính")
    exact = ACTIVITIES.assign(approximate=False, approx_sense="")
    assert indicators_summary(exact, 2018)[2] == "Không có giá trị ước tính."


def test_years_summary_counts_the_statuses():
    tables = {
        "changes.csv": years.changes(history(), 2018),
        "cross_checks.csv": pd.DataFrame({"status": ["agree", "differ", "agree", "missing"]}),
        "targets_progress.csv": pd.DataFrame({"status": ["behind", "met"]}),
    }
    assert years_summary(tables, 2018) == [
        "3 chỉ tiêu toàn tỉnh được so sánh với năm 2017.",
        "Đối chiếu số liệu — Khớp: 2; Lệch: 1; Thiếu số liệu: 1.",
        "Mục tiêu — Đạt: 1; Chậm: 1.",
    ]
    first = {**tables, "changes.csv": years.changes(history(), 2017), "targets_progress.csv": pd.DataFrame()}
    assert years_summary(first, 2017)[0] == message("review.no_previous", year=2017, previous_year=2016)
    assert years_summary(first, 2017)[2] == message("review.no_target_rows")


def test_show_lines_escapes_text():
    assert show_lines(["a <b> & c"]).data == "<ul><li>a &lt;b&gt; &amp; c</li></ul>"


def test_the_module_does_not_import_matplotlib_for_a_summary():
    """Stages 1 and 3 import the module for their summaries: the review's figures stay out of their kernels."""
    import subprocess
    import sys

    code = "import sys, helpers.publish.notebook_views; print('matplotlib' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )
    assert notebook_views.SECTIONS == ("A", "B")
