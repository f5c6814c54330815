"""The indicator formulas on a five-row register, and the catalogue against the formulas (issue 12)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.clean.outputs import GROUP_COLUMNS, REGISTER_COLUMNS
from helpers.compute.indicators import (
    check_catalogue_formulas,
    compute_indicators,
    computed_indicators,
    register_indicators,
)
from helpers.errors import CatalogueError
from helpers.reference import catalogue as catalogue_module
from helpers.reference import load_reference
from helpers.reference.catalogue import ALL, Indicator, catalogue

YEAR = 2017
SHIPPED = load_reference(None)  # the province whose district codes these cooperatives carry


def five_cooperatives() -> pd.DataFrame:
    """Five HTX in two districts: three active (one losing money), one paused, one dissolved this year."""
    rows = [
        # name, district, sector, founded_year, status, dissolved_year, members, workers, revenue, profit, rating
        ("HTX A", "377", "agriculture", 2010, "active", None, 100.0, 10.0, 1000.0, 50.0, "good"),
        ("HTX B", "377", "agriculture", 2017, "active", None, 50.0, 5.0, 400.0, -20.0, "weak"),
        ("HTX C", "376", "transport", 2015, "active", None, 30.0, None, 1300.0, None, "none"),
        ("HTX D", "376", "trade", 2012, "paused", None, 20.0, 2.0, 100.0, 5.0, "fair"),
        ("HTX E", "377", "credit", 2005, "dissolved", 2017, 10.0, 1.0, None, None, "average"),
    ]
    records = []
    for number, (
        name,
        district,
        sector,
        founded,
        status,
        dissolved,
        members,
        workers,
        revenue,
        profit,
        rating,
    ) in enumerate(rows, start=1):
        record = dict.fromkeys(REGISTER_COLUMNS)
        record.update(
            reg_no=f"0{number}",
            name=name,
            district=district,
            commune="",
            sector=sector,
            founded=str(founded),
            founded_year=founded,
            status=status,
            dissolved=str(dissolved) if dissolved else None,
            dissolved_year=dissolved,
            members=members,
            workers=workers,
            charter_capital_mvnd=None,
            revenue_mvnd=revenue,
            profit_mvnd=profit,
            rating=rating,
            source="cooperatives.xlsx",
            row=number + 3,
        )
        for field in ("members", "workers", "charter_capital_mvnd", "revenue_mvnd", "profit_mvnd"):
            record[f"{field}_approximate"] = field == "revenue_mvnd" and name == "HTX C"
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=REGISTER_COLUMNS)
    return frame.astype({"founded_year": "Int64", "dissolved_year": "Int64"})


@pytest.fixture(scope="module")
def values() -> dict[tuple[str, str], tuple[float, bool]]:
    table = register_indicators(five_cooperatives(), YEAR, SHIPPED)
    return {(r.indicator, r.district): (r.value, r.approximate) for r in table.itertuples()}


@pytest.mark.parametrize(
    ("indicator", "district", "expected"),
    [
        ("htx_count", ALL, 4),  # the dissolved one is not counted
        ("htx_active", ALL, 3),
        ("htx_new", ALL, 1),
        ("htx_dissolved", ALL, 1),
        ("htx_net_change", ALL, 0),
        ("htx_members", ALL, 180),  # active only
        ("members_per_htx", ALL, 60),
        ("htx_workers", ALL, 15),  # HTX C reports no workers
        ("revenue_per_htx_mean", ALL, 900),  # (1000 + 400 + 1300) / 3; D is paused
        ("revenue_per_htx_median", ALL, 1000),
        ("revenue_per_htx_median", "377", 700),  # median of 1000 and 400
        ("revenue_per_htx_mean", "377", 700),
        ("profit_per_htx_mean", ALL, 15),  # (50 - 20) / 2: HTX C reports no profit
        ("profit_per_htx_median", ALL, 15),
        ("loss_making_share", ALL, 0.5),  # 1 of the 2 active HTX reporting profit
        ("good_fair_share", ALL, 2 / 3),  # good + fair among rated, not dissolved: A, B, D
        ("good_fair_share", "376", 1.0),  # only D is rated there
        ("rating_none", ALL, 1),
        ("rating_average", ALL, 0),  # the dissolved HTX's rating does not count
        ("sector_agriculture", "377", 2),
        ("sector_credit", ALL, 0),
        ("htx_count", "376", 2),
        ("htx_count", "369", 0),  # every district has its counts, zero included
    ],
)
def test_register_formulas_on_five_cooperatives(values, indicator, district, expected):
    value, _ = values[(indicator, district)]
    assert math.isclose(value, expected), (indicator, district, value)


def test_no_value_where_nothing_is_reported(values):
    assert ("members_per_htx", "369") not in values  # no active HTX there: no mean, not a zero
    assert ("loss_making_share", "369") not in values


def test_a_statistic_is_approximate_when_a_part_is(values):
    assert values[("revenue_per_htx_mean", ALL)][1] is True
    assert values[("revenue_per_htx_mean", "377")][1] is False


def test_catalogue_and_formulas_list_the_same_indicators():
    assert set(catalogue()) == computed_indicators()
    check_catalogue_formulas()


def test_an_indicator_without_a_formula_fails_loudly(monkeypatch):
    extended = dict(catalogue()) | {
        "htx_exports": Indicator(
            "htx_exports", "B", "Số HTX xuất khẩu", "Exporting HTX", "HTX", "HTX", "Biểu 02", "count"
        )
    }
    monkeypatch.setattr("helpers.compute.indicators.catalogue", lambda: extended)
    with pytest.raises(CatalogueError, match="without a formula: htx_exports"):
        compute_indicators(
            pd.DataFrame(), five_cooperatives(), pd.DataFrame(columns=GROUP_COLUMNS), YEAR, reference=SHIPPED
        )
    assert catalogue_module.catalogue() is not extended


def test_figure_1_fails_loudly_on_a_thirteenth_indicator(monkeypatch):
    """A fixed grid must never drop an indicator silently (zip): issue 12."""
    from helpers.publish import figures

    extra = Indicator(
        "htx_exports_supported",
        "A",
        "Số HTX được hỗ trợ xuất khẩu",
        "HTX supported to export",
        "HTX",
        "HTX",
        "Biểu 01",
        "sum",
    )
    monkeypatch.setattr(figures, "indicators_of", lambda section: [*catalogue_module.indicators_of(section), extra])
    with pytest.raises(figures.FigureLayoutError, match="13 indicators"):
        figures.outputs_by_agency(
            pd.DataFrame(columns=["indicator", "agency", "district", "value"]), YEAR, "", True, reference=SHIPPED
        )
