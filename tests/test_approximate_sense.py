"""The sense of an approximate value (more than / nearly, under / about) is kept from the cell to the review."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.compute.indicators import INDICATOR_COLUMNS, activity_indicators, read_indicators, write_indicators
from helpers.messages import approximately
from helpers.publish.review import show_number
from helpers.read.values import combine_senses, read_number


@pytest.mark.parametrize(
    ("typed", "value", "sense"),
    [
        ("trên 1.000", 1000, "more_than"), ("Hơn 1000", 1000, "more_than"),
        ("> 50", 50, "more_than"), (">50", 50, "more_than"),
        ("gần 10.000", 10000, "under"), ("dưới 200", 200, "under"), ("DUOI 200", 200, "under"), ("<200", 200, "under"),
        ("khoảng 300", 300, "about"), ("xấp xỉ 300", 300, "about"), ("~300", 300, "about"), ("~ 300", 300, "about"),
        ("4.730", 4730, None), (4730, 4730, None),
    ],
)  # fmt: skip
def test_every_prefix_reads_its_sense(typed, value, sense):
    number = read_number(typed)
    assert (number.value, number.sense, number.is_approximate) == (value, sense, sense is not None)


def test_a_word_that_only_begins_like_a_prefix_is_not_one():
    with pytest.raises(ValueError):
        read_number("trênx 5")


@pytest.mark.parametrize(
    ("senses", "total"),
    [
        ([None, None], None),
        (["more_than", None, "more_than"], "more_than"),
        (["under", "under"], "under"),
        (["more_than", "under"], "about"),
        (["more_than", "about"], "about"),
        ([float("nan"), "under", ""], "under"),
    ],
)
def test_a_total_keeps_a_sense_only_when_all_its_approximate_parts_share_it(senses, total):
    assert combine_senses(senses) == total


def _activities(rows):
    return pd.DataFrame(rows, columns=["agency", "district", "indicator", "value", "approximate", "approx_sense"])


def test_sense_flows_from_cells_to_indicators_csv(tmp_path):
    activities = _activities(
        [
            ("HND", "372", "web_articles", 600.0, True, "more_than"),
            ("HND", "373", "web_articles", 400.0, True, "more_than"),
            ("HCCB", "372", "web_articles", 50.0, False, None),
            ("HND", "372", "newsletters_issued", 9000.0, True, "under"),
            ("HCCB", "373", "newsletters_issued", 900.0, True, "more_than"),
        ]
    )
    table = activity_indicators(activities, 2017)
    province = table[(table["agency"] == "ALL") & (table["district"] == "ALL")].set_index("indicator")
    assert (
        province.at["web_articles", "approx_sense"] == "more_than"
    )  # both approximate parts say "more than"; the exact part changes nothing
    assert province.at["newsletters_issued", "approx_sense"] == "about"  # "nearly" and "more than" together: about
    hccb = table[(table["agency"] == "HCCB") & (table["district"] == "ALL")].set_index("indicator")
    assert pd.isna(hccb.at["web_articles", "approx_sense"]) and not hccb.at["web_articles", "approximate"]
    table["unit"] = "x"
    write_indicators(table.reindex(columns=INDICATOR_COLUMNS).fillna({"approx_sense": ""}), tmp_path / "indicators.csv")
    text = (tmp_path / "indicators.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "year,indicator,agency,district,value,unit,approximate,approx_sense"
    back = read_indicators(tmp_path / "indicators.csv")
    assert set(back.loc[back["approximate"], "approx_sense"]) <= {"more_than", "under", "about"}
    assert set(back.loc[~back["approximate"], "approx_sense"]) == {""}


def test_an_indicators_csv_without_the_column_reads_as_about(tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(
        "year,indicator,agency,district,value,unit,approximate\n"
        '2017,web_articles,ALL,ALL,1000,"tin, bài",true\n'
        "2017,htx_count,ALL,ALL,5,HTX,false\n",
        encoding="utf-8",
    )
    back = read_indicators(path)
    assert list(back["approx_sense"]) == ["about", ""]


def test_the_review_writes_the_sense_in_words_never_a_tilde():
    assert show_number(1000, True, lang="vi", sense="more_than") == "trên 1.000"
    assert show_number(10000, True, lang="vi", sense="under") == "gần 10.000"
    assert show_number(300, True, lang="vi", sense="about") == "khoảng 300"
    assert show_number(300, True, lang="vi") == "khoảng 300"  # no sense known: about
    assert show_number(1000, True, lang="en", sense="more_than") == "over 1,000"
    assert show_number(1000, False, lang="vi") == "1.000"
    assert "~" not in approximately("5", "more_than") + approximately("5", None, "en")
