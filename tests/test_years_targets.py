"""Section C: changes, cumulative totals, cross-checks across years, and targets — on small hand-made tables."""

import pandas as pd
import pytest

from helpers.compute.targets import Target, TargetsError, progress, read_targets
from helpers.compute.years import changes, cross_checks, cumulative, province
from helpers.reference import load_reference


def history(rows):
    """Tidy indicators from (year, indicator, district, value[, approximate]) tuples, agency ALL."""
    records = []
    for row in rows:
        year, indicator, district, value, *rest = row
        records.append(
            {
                "year": year,
                "indicator": indicator,
                "agency": "ALL",
                "district": district,
                "value": float(value),
                "unit": "",
                "approximate": bool(rest and rest[0]),
            }
        )
    return pd.DataFrame(records)


def test_changes_absolute_and_percent():
    table = changes(
        history(
            [
                (2017, "htx_count", "ALL", 370),
                (2018, "htx_count", "ALL", 384),
                (2018, "htx_new", "ALL", 17),
                (2017, "htx_new", "ALL", 0),
            ]
        ),
        2018,
    )
    count = table.set_index("indicator").loc["htx_count"]
    assert (count["value"], count["previous_value"], count["change"]) == (384, 370, 14)
    assert count["change_pct"] == pytest.approx(14 / 370 * 100)
    new = table.set_index("indicator").loc["htx_new"]
    assert pd.isna(new["change_pct"])  # no percentage from zero


def test_changes_first_year_has_no_previous():
    table = changes(history([(2017, "htx_count", "ALL", 370)]), 2017)
    assert pd.isna(table.iloc[0]["previous_value"]) and pd.isna(table.iloc[0]["change"])


def test_cumulative_totals_and_missing_years():
    rows = [
        (2017, "training_sessions", "ALL", 4730, True),
        (2018, "training_sessions", "ALL", 5000),
        (2020, "training_sessions", "ALL", 100),
        (2018, "htx_count", "ALL", 384),
    ]
    table = cumulative(history(rows), 2020).set_index("indicator")
    assert table.loc["training_sessions", "total"] == 9830
    assert table.loc["training_sessions", "years_missing"] == "2019"
    assert bool(table.loc["training_sessions", "approximate"]) is True
    assert "htx_count" not in table.index  # a stock is not added up


def test_cross_checks_flag_differences_and_agreements():
    rows = [
        (2017, "htx_count", "ALL", 370),
        (2018, "htx_count", "ALL", 384),
        (2018, "htx_new", "ALL", 17),
        (2018, "htx_dissolved", "ALL", 3),
        (2018, "new_htx_guided", "ALL", 20),
        (2017, "htx_count", "377", 40),
        (2018, "htx_count", "377", 45),
        (2018, "htx_new", "377", 2),
        (2018, "htx_dissolved", "377", 0),
    ]
    totals = pd.DataFrame(
        [
            {
                "file": "activities/HND.xlsx",
                "row": 9,
                "column": "Số buổi",
                "totals_value": 30.0,
                "rows_sum": 29.0,
                "rows_rejected": 1,
            }
        ]
    )
    table = cross_checks(history(rows), 2018, totals, reference=load_reference(None))
    by = {(r.check, r.scope): r for r in table.itertuples()}
    assert by[("count_flow", "ALL")].status == "agree"
    assert (by[("count_flow", "377")].status, by[("count_flow", "377")].difference) == ("differ", 3)
    assert (by[("guided_vs_register", "ALL")].status, by[("guided_vs_register", "ALL")].difference) == ("differ", 3)
    totals_row = table[table["check"] == "totals_row"].iloc[0]
    assert totals_row["status"] == "differ" and totals_row["difference"] == 1 and "1 dòng bị loại" in totals_row["note"]


def by_year(**series):
    return pd.DataFrame({name: pd.Series(values) for name, values in series.items()})


PER_YEAR = Target("htx_new", 2018, 2023, "per_year", 20, 25, "test")
LEVEL = Target("good_fair_share", 2021, 2025, "level", 0.70, None, "test")
AT_MOST = Target("loss_making_share", 2018, 2022, "level", None, 0.05, "test")


@pytest.mark.parametrize(
    ("target", "values", "year", "status"),
    [
        (PER_YEAR, {2018: 22}, 2018, "met"),
        (PER_YEAR, {2018: 45}, 2018, "met"),  # above the range is still met
        (PER_YEAR, {2018: 30, 2019: 15}, 2019, "on_track"),  # this year short, mean so far 22.5
        (PER_YEAR, {2018: 18, 2019: 15}, 2019, "behind"),
        (LEVEL, {2020: 0.60, 2021: 0.64, 2022: 0.68}, 2022, "on_track"),  # the trend reaches 0.70 before 2025
        (LEVEL, {2021: 0.66, 2022: 0.65}, 2022, "behind"),  # falling
        (LEVEL, {2021: 0.66, 2022: 0.71}, 2022, "met"),
        (LEVEL, {2024: 0.60, 2025: 0.69}, 2025, "behind"),  # period over, not reached
        (AT_MOST, {2020: 0.04}, 2020, "met"),
        (AT_MOST, {2019: 0.08, 2020: 0.07}, 2020, "on_track"),
    ],
)
def test_target_status(target, values, year, status):
    table = progress([target], by_year(**{target.indicator: values}), year)
    assert table["status"].tolist() == [status]


def test_targets_outside_their_period_are_not_shown():
    assert progress([PER_YEAR], by_year(htx_new={2017: 22}), 2017).empty


def test_shipped_targets_file_is_valid(tmp_path):
    from helpers.paths import PROJECT_ROOT

    targets = read_targets(PROJECT_ROOT / "data" / "targets.csv")
    assert {(t.indicator, t.low, t.high) for t in targets} == {
        ("htx_new", 20, 25),
        ("tht_new", 20, 30),
        ("good_fair_share", 0.70, None),
    }


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("htx_neu,2018-2023,per_year,20,25,x", "không có trong danh mục chỉ tiêu"),
        ("htx_new,2018 to 2023,per_year,20,25,x", "period"),
        ("htx_new,2018-2023,yearly,20,25,x", "basis"),
        ("htx_new,2018-2023,per_year,hai mươi,25,x", "không phải là số"),
        ("htx_new,2018-2023,per_year,,,x", "ghi target_low"),
    ],
)
def test_bad_targets_rows_are_located(tmp_path, line, fragment):
    path = tmp_path / "targets.csv"
    path.write_text("indicator,period,basis,target_low,target_high,source\n" + line + "\n", encoding="utf-8")
    with pytest.raises(TargetsError) as error:
        read_targets(path)
    assert "dòng 2" in str(error.value) and fragment in str(error.value)


def test_no_targets_file_means_no_targets(tmp_path):
    assert read_targets(tmp_path / "targets.csv") == []


def test_province_pivot():
    table = province(history([(2017, "htx_count", "ALL", 370), (2017, "htx_count", "377", 40)]))
    assert table.loc[2017, "htx_count"] == 370
