"""helpers.explore on frames written here: names, choices by name, series, ranking, year-on-year changes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import explore
from helpers.explore.questions import CHANGE_COLUMNS
from helpers.messages import message
from helpers.publish.all_years import HISTORY_COLUMNS, named_history
from helpers.reference import load_reference

SHIPPED = load_reference(None)


def indicators(*rows) -> pd.DataFrame:
    """Rows of ``indicators.csv``: (year, indicator, agency, district, value[, sense]); a sense: approximate."""
    records = []
    for year, indicator, agency, district, value, *sense in rows:
        records.append(
            {
                "year": year,
                "indicator": indicator,
                "agency": agency,
                "district": district,
                "value": float(value),
                "unit": "u",
                "approximate": bool(sense),
                "approx_sense": sense[0] if sense else "",
            }
        )
    return pd.DataFrame.from_records(records)


def history_of(*rows, lang="vi") -> pd.DataFrame:
    return named_history(indicators(*rows), SHIPPED, lang)


ATTENDANCE = [
    (2017, "training_attendance", "HND", "373", 100),
    (2018, "training_attendance", "HND", "373", 150, "more_than"),
    (2019, "training_attendance", "HND", "373", 120),
    (2017, "training_attendance", "HND", "374", 80),
    (2019, "training_attendance", "HND", "374", 90),  # 2018 not reported
    (2017, "training_attendance", "HND", "TINH", 500),  # the provincial office: not a district
    (2017, "training_attendance", "HND", "ALL", 680),
    (2017, "training_attendance", "LMHTX", "373", 999),
    (2017, "training_attendance", "ALL", "ALL", 2000),
    (2018, "training_attendance", "ALL", "ALL", 2100),
    (2017, "training_attendance", "HCCB", "ALL", 300),
    (2018, "training_attendance", "HCCB", "ALL", 330),
]


def test_named_history_puts_vietnamese_names_beside_the_codes():
    table = history_of(*ATTENDANCE)
    assert list(table.columns) == list(HISTORY_COLUMNS)
    row = table[(table["year"] == 2018) & (table["district"] == "373")].iloc[0]
    assert row["indicator_name"] == "Số lượt người tham dự tập huấn, bồi dưỡng"
    assert row["agency_name"] == "Hội Nông dân tỉnh" and row["district_name"] == "Gia Viễn"
    assert row["section"] == "A" and row["approximate"] and row["approx_sense"] == "more_than"
    province = table[(table["agency"] == "ALL") & (table["district"] == "ALL")].iloc[0]
    assert province["agency_name"] == "Tất cả cơ quan" and province["district_name"] == "Toàn tỉnh"
    english = history_of(*ATTENDANCE, lang="en")
    assert english["indicator_name"].iloc[0] == "Training attendance"
    assert set(english["unit"]) == {"participant-times"}


def test_an_approximate_value_without_its_sense_reads_as_about():
    frame = indicators((2017, "htx_new", "ALL", "373", 3, "more_than"))
    frame["approx_sense"] = ""
    assert named_history(frame, SHIPPED)["approx_sense"].tolist() == ["about"]


@pytest.mark.parametrize(
    "text",
    [
        "training_attendance",
        "Số lượt người tham dự tập huấn, bồi dưỡng",
        "số lượt người tham dự tập huấn bồi dưỡng",
        "SO LUOT NGUOI THAM DU TAP HUAN, BOI DUONG",
        "Training attendance",
        "  training_attendance ",
    ],
)
def test_an_indicator_is_named_by_its_id_or_its_name_as_people_type_it(text):
    assert explore.find_indicator(text).id == "training_attendance"


def test_an_unknown_indicator_is_a_vietnamese_error_listing_the_closest_names():
    with pytest.raises(explore.UnknownChoice) as raised:
        explore.find_indicator("Số HTX thành lập mới")
    text = str(raised.value)
    assert text.startswith('Không có chỉ tiêu nào có mã hoặc tên "Số HTX thành lập mới"')
    assert "Số HTX thành lập mới trong năm (htx_new)" in text
    with pytest.raises(explore.UnknownChoice, match="không có tên nào gần giống"):
        explore.find_indicator("zzzz qqqq")


def test_agencies_and_districts_by_code_name_or_spelling():
    assert explore.find_agency("Hội Nông dân tỉnh", SHIPPED).code == "HND"
    assert explore.find_agency("hnd", SHIPPED).code == "HND"
    assert explore.find_district("Gia Viễn", SHIPPED).code == "373"
    assert explore.find_district("373", SHIPPED).code == "373"
    assert explore.find_district("H. Gia Vien", SHIPPED).code == "373"
    with pytest.raises(explore.UnknownChoice) as raised:
        explore.find_agency("Hội Nông dân huyện", SHIPPED)
    assert "Hội Nông dân tỉnh (HND)" in str(raised.value) and "HLHPN" in str(raised.value)
    with pytest.raises(explore.UnknownChoice, match="Các địa bàn: 369"):
        explore.find_district("Gia Lâm", SHIPPED)


def test_a_series_by_district_has_a_row_per_district_a_column_per_year_and_a_line_each():
    answer = explore.series(
        "Số lượt người tham dự tập huấn, bồi dưỡng", "district", agency="HND", data=history_of(*ATTENDANCE)
    )
    table = answer.table
    assert list(table.index) == ["Gia Viễn", "Hoa Lư"]  # the order of districts.csv; not the provincial office
    assert list(table.columns) == [2017, 2018, 2019]
    assert table.loc["Gia Viễn"].tolist() == [100, 150, 120]
    assert math.isnan(table.at["Hoa Lư", 2018])  # not reported: blank, never 0
    assert answer.shown.iloc[0].tolist() == ["Gia Viễn", "100", "trên 150", "120"]
    assert answer.shown.iloc[1, 2] == "–"
    axes = answer.figure.axes[0]
    assert len([line for line in axes.get_lines() if len(line.get_xdata()) == 3]) == 2
    assert "Hội Nông dân tỉnh, theo địa bàn" in axes.get_title() and "2017–2019" in axes.get_title()
    assert answer.png().startswith(b"\x89PNG")


def test_a_series_by_agency_and_a_cut_to_years():
    answer = explore.series("training_attendance", "agency", first_year=2018, data=history_of(*ATTENDANCE))
    assert list(answer.table.index) == ["Hội Cựu chiến binh tỉnh"]
    assert list(answer.table.columns) == [2018, 2019]  # the years of the period: 2019 not reported, blank
    assert answer.table.iloc[0, 0] == 330 and math.isnan(answer.table.iloc[0, 1])
    province = explore.series("training_attendance", "province", data=history_of(*ATTENDANCE))
    assert list(province.table.index) == ["Toàn tỉnh"] and list(province.table.columns) == [2017, 2018, 2019]
    assert province.table.iloc[0].tolist()[:2] == [2000, 2100] and math.isnan(province.table.iat[0, 2])


def test_a_series_with_no_value_says_so_in_vietnamese():
    with pytest.raises(explore.NoValues) as raised:
        explore.series("htx_new", "district", data=history_of(*ATTENDANCE))
    assert str(raised.value).startswith("Không có số liệu nào của chỉ tiêu Số HTX thành lập mới trong năm")


NEW_HTX = [
    *[(2017, "htx_new", "ALL", code, n) for code, n in zip(["369", "370", "372", "373"], [4, 1, 2, 0], strict=True)],
    *[(2018, "htx_new", "ALL", code, n) for code, n in zip(["369", "370", "372"], [1, 1, 3], strict=True)],
    (2018, "htx_new", "ALL", "373", 2, "more_than"),
    (2018, "htx_new", "ALL", "376", 7),  # reported in 2018 only
    (2017, "htx_new", "ALL", "ALL", 7),
    (2018, "htx_count", "ALL", "369", 10),
    (2017, "htx_count", "ALL", "369", 30),
    (2018, "htx_count", "ALL", "370", 20),
    (2017, "htx_count", "ALL", "377", 99),  # no value in the last year of the period
]


def test_a_ranking_of_a_flow_adds_up_the_period_and_marks_who_lags():
    answer = explore.ranking("Số HTX thành lập mới trong năm", data=history_of(*NEW_HTX))
    table = answer.table
    assert table["district"].tolist() == ["376", "369", "372", "370", "373"]
    assert table["district_name"].tolist() == ["Kim Sơn", "TP Ninh Bình", "Nho Quan", "TP Tam Điệp", "Gia Viễn"]
    assert table["value"].tolist() == [7, 5, 5, 2, 2]
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert table.set_index("district")["years_reported"].to_dict() == {"369": 2, "370": 2, "372": 2, "373": 2, "376": 1}
    assert table.set_index("district")["below_median"].to_dict() == {
        "369": False,
        "370": True,
        "372": False,
        "373": True,
        "376": False,
    }
    assert table.set_index("district").at["373", "approx_sense"] == "more_than"
    bars = answer.figure.axes[0].patches
    assert len(bars) == 5


def test_a_ranking_of_a_level_takes_the_last_year_and_an_unreported_district_comes_last_unranked():
    table = explore.ranking("htx_count", first_year=2017, last_year=2018, data=history_of(*NEW_HTX)).table
    assert table["district"].tolist() == ["370", "369", "377"]
    assert table["value"].tolist()[:2] == [20, 10] and math.isnan(table["value"].iloc[2])
    assert table["rank"].tolist()[:2] == [1, 2] and pd.isna(table["rank"].iloc[2])
    one_year = explore.ranking("htx_new", 2017, data=history_of(*NEW_HTX)).table
    assert one_year.set_index("district")["value"].to_dict() == {"369": 4, "370": 1, "372": 2, "373": 0}


def test_changes_compare_consecutive_years_only_with_their_approximate_senses():
    answer = explore.changes("training_attendance", "district", agency="HND", data=history_of(*ATTENDANCE))
    table = answer.table
    assert list(table.columns) == list(CHANGE_COLUMNS)
    assert table[["unit", "year", "previous_year", "value", "previous_value", "change"]].values.tolist() == [
        ["373", 2018, 2017, 150, 100, 50],
        ["373", 2019, 2018, 120, 150, -30],
    ]  # Hoa Lư has no 2018: neither 2018 nor 2019 is compared
    assert table["change_pct"].tolist() == [50.0, -20.0]
    assert table["approximate"].tolist() == [True, True]
    assert table["approx_sense"].tolist() == ["more_than", ""]
    assert table["previous_approx_sense"].tolist() == ["", "more_than"]
    assert answer.shown.iloc[0].tolist() == ["Gia Viễn", "2018", "100", "trên 150", "+50", "+50%"]
    assert len(answer.figure.axes[0].patches) == 2  # one district compared: its change in each year
    two = explore.changes("htx_new", "district", data=history_of(*NEW_HTX))
    assert len(two.figure.axes[0].patches) == 4  # the last year's change of each district compared


def test_a_share_changes_in_percentage_points_without_a_percent_change():
    data = history_of((2017, "good_fair_share", "ALL", "ALL", 0.5), (2018, "good_fair_share", "ALL", "ALL", 0.625))
    answer = explore.changes("good_fair_share", "province", data=data)
    assert answer.table["change"].tolist() == [0.125] and math.isnan(answer.table["change_pct"].iloc[0])
    assert answer.shown.iloc[0].tolist()[2:] == ["50%", "62,5%", "+12,5 đ.p.", "–"]


def test_changes_with_no_previous_year_are_an_empty_table_and_a_figure_that_says_so():
    answer = explore.changes("htx_new", "district", first_year=2017, last_year=2017, data=history_of(*NEW_HTX))
    assert answer.table.empty
    texts = [text.get_text() for text in answer.figure.axes[0].texts]
    assert message("explore.no_previous") in texts


def test_history_of_a_data_root_with_nothing_built_says_what_to_run(tmp_path):
    (tmp_path / "raw" / "2017").mkdir(parents=True)
    with pytest.raises(explore.NothingBuilt) as raised:
        explore.history(tmp_path)
    assert "coop-review run --all" in str(raised.value) and str(tmp_path / "processed") in str(raised.value)
    view = explore.Exploration.open("htx_new", data_root=str(tmp_path))
    assert view.data is None
    for shown in (view.summary(), view.series(), view.ranking(), view.changes(), view.head()):
        assert isinstance(shown, explore.Note) and "coop-review run --all" in shown.text


def test_an_exploration_refuses_a_choice_that_names_nothing(tmp_path):
    with pytest.raises(explore.UnknownChoice):
        explore.Exploration.open("số htx mới", data_root=str(tmp_path))
    with pytest.raises(explore.UnknownChoice):
        explore.Exploration.open("htx_new", agency="Hội Nông dân", data_root=str(tmp_path))
