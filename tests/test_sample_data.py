"""The shipped sample years against independent truths.

* ``tests/data/sample_expectations.json`` — written by the sample generator
  from what it meant each row to be (accepted / rejected / totals …), not by
  this reader;
* the 2017 figures published for the review of 24/1/2018 (``indicators.md``);
* golden ``indicators.csv`` files per year (regression), compared exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.compute.indicators import INDICATOR_COLUMNS, format_value, read_indicators, write_indicators
from helpers.reference.catalogue import ALL

EXPECTATIONS = json.loads((Path(__file__).parent / "data" / "sample_expectations.json").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).parent / "golden"

PUBLISHED_2017 = {
    # indicator: (value, approximate) — indicators.md § A, from the seed article
    "training_sessions": (4730, True),  # "trên 4.730"
    "training_attendance": (273219, False),
    "deferred_fertilizer_t": (5207, False),
    "tech_transfer_attendance": (39880, False),
    "newsletters_issued": (10000, True),  # "gần 10.000"
    "web_articles": (1000, True),  # "trên 1000"
    "clean_food_models": (9, False),
    "safe_produce_shops": (2, False),
    "htx_brand_support": (9, False),
    "new_htx_guided": (22, False),
    "new_tht_guided": (130, False),
    "effective_models": (32, False),
}


def province(indicators: pd.DataFrame) -> dict[str, tuple[float, bool]]:
    rows = indicators[(indicators["agency"] == ALL) & (indicators["district"] == ALL)]
    return {row.indicator: (row.value, bool(row.approximate)) for row in rows.itertuples()}


def test_2017_gives_the_published_province_totals(sample_results):
    _, indicators = sample_results[2017]
    got = province(indicators)
    assert {k: got[k] for k in PUBLISHED_2017} == PUBLISHED_2017


def test_published_agency_only_figures_come_from_their_agency(sample_results):
    _, indicators = sample_results[2017]
    by_agency = indicators[(indicators["district"] == ALL) & (indicators["agency"] != ALL)]
    for indicator, agency in (
        ("clean_food_models", "HND"),
        ("safe_produce_shops", "HND"),
        ("htx_brand_support", "LMHTX"),
    ):
        assert set(by_agency[by_agency["indicator"] == indicator]["agency"]) == {agency}


def test_every_year_and_file_is_expected(sample_results):
    assert sorted(EXPECTATIONS) == [str(year) for year in sorted(sample_results)]
    for year, (cleaned, _) in sample_results.items():
        assert not cleaned.has_errors, cleaned.problems
        assert sorted(read.source for read in cleaned.reads) == sorted(EXPECTATIONS[str(year)]["files"])


def test_a_year_added_by_hand_is_not_a_sample_year(tmp_path):
    """data/raw/2027/ copied from 2026 by an analyst: the sample tests still look at the sample years only."""
    from conftest import shipped_sample_years

    for year in [*EXPECTATIONS, "2027"]:
        (tmp_path / year / "activities").mkdir(parents=True)
    assert shipped_sample_years(tmp_path) == [int(year) for year in sorted(EXPECTATIONS)]
    assert 2027 not in shipped_sample_years(tmp_path)
    (tmp_path / "2019" / "activities").rmdir()
    (tmp_path / "2019").rmdir()
    with pytest.raises(FileNotFoundError, match=r"\[2019\]"):
        shipped_sample_years(tmp_path)  # a missing sample year fails, it is not skipped


@pytest.mark.parametrize(
    "year_file", [(y, f) for y, e in EXPECTATIONS.items() for f in e["files"]], ids=lambda yf: f"{yf[0]}/{yf[1]}"
)
def test_file_ledger_matches_the_generator(sample_results, year_file):
    year, source = year_file
    expected = EXPECTATIONS[year]["files"][source]
    cleaned, _ = sample_results[int(year)]
    [read] = [r for r in cleaned.reads if r.source == source]
    counts = read.kind_counts()
    assert read.template == expected["template"]
    assert read.agency == expected["agency"]
    assert read.sheet == ("CSV" if source.endswith(".csv") else expected["sheet"])
    assert counts["accepted"] == expected["data_rows_accepted"]
    assert sorted({r.row for r in read.rejects}) == expected["rejected_rows"]
    assert [i + 1 for i, kind in enumerate(read.row_kinds) if kind == "totals"] == expected["totals_rows"]
    assert any(not t.agrees for t in read.totals) == expected["totals_disagree"]
    assert read.was_nfd == expected["nfd"]
    if expected["encoding"]:
        assert read.encoding == expected["encoding"]
    assert sum(counts.values()) == len(read.row_kinds)  # nothing lost


@pytest.mark.parametrize("year", sorted(EXPECTATIONS))
def test_activity_sums_match_the_generator(sample_results, year):
    _, indicators = sample_results[int(year)]
    expected = {k: (v["value"], v["approximate"]) for k, v in EXPECTATIONS[year]["activities_province"].items()}
    got = {k: v for k, v in province(indicators).items() if k in expected or k in PUBLISHED_2017}
    assert got == expected
    by_agency = indicators[(indicators["district"] == ALL) & (indicators["agency"] != ALL)]
    got_agency = {
        agency: {row.indicator: (row.value, bool(row.approximate)) for row in rows.itertuples()}
        for agency, rows in by_agency.groupby("agency")
    }
    expected_agency = {
        agency: {k: (v["value"], v["approximate"]) for k, v in values.items()}
        for agency, values in EXPECTATIONS[year]["activities_by_agency"].items()
    }
    assert got_agency == expected_agency


@pytest.mark.parametrize("year", sorted(EXPECTATIONS))
def test_register_and_groups_match_the_generator(sample_results, year):
    _, indicators = sample_results[int(year)]
    expected = EXPECTATIONS[year]
    got = province(indicators)
    for name in ("htx_count", "htx_active", "htx_new", "htx_dissolved"):
        assert got[name] == (expected["register"][name], False), name
    for name in ("tht_count", "tht_new", "tht_members"):
        assert got[name][0] == expected["groups"][name], name
    by_district = indicators[(indicators["agency"] == ALL) & (indicators["district"] != ALL)]
    for code, values in expected["register"]["by_district"].items():
        rows = by_district[by_district["district"] == code].set_index("indicator")["value"]
        assert {k: rows[k] for k in values} == values, code


# -- golden indicator files --------------------------------------------------------------------


def compare_to_golden(indicators: pd.DataFrame, golden_csv: Path, tmp_path: Path) -> list[str]:
    """Differences between freshly written indicators and a golden file (empty list: identical)."""
    written = tmp_path / "indicators.csv"
    write_indicators(indicators, written)
    problems = []
    if written.read_bytes() != golden_csv.read_bytes():
        new, old = (
            written.read_text(encoding="utf-8-sig").splitlines(),
            golden_csv.read_text(encoding="utf-8-sig").splitlines(),
        )
        problems += [f"- {line}" for line in old if line not in set(new)][:10]
        problems += [f"+ {line}" for line in new if line not in set(old)][:10]
        problems = problems or ["files differ (order, line ends or byte-order mark)"]
    golden = read_indicators(golden_csv)
    if list(golden.columns) != INDICATOR_COLUMNS:
        problems.append(f"golden columns {list(golden.columns)}")
    if (
        str(golden["value"].dtype) != "float64"
        or str(golden["year"].dtype) != "int64"
        or str(golden["approximate"].dtype) != "bool"
    ):
        problems.append(f"golden dtypes {golden.dtypes.to_dict()}")
    return problems


@pytest.mark.parametrize("year", [int(y) for y in sorted(EXPECTATIONS)])
def test_indicators_equal_the_golden_file(sample_results, year, tmp_path):
    _, indicators = sample_results[year]
    golden = GOLDEN / str(year) / "indicators.csv"
    assert golden.is_file(), (
        f"no golden file {golden}; create it with: python scripts/update_golden.py (and review the diff)"
    )
    assert compare_to_golden(indicators, golden, tmp_path) == []


def test_golden_comparison_catches_a_changed_value(sample_results, tmp_path):
    """The harness itself: a golden file with one value changed must be reported."""
    _, indicators = sample_results[2017]
    changed = indicators.copy()
    changed.loc[changed.index[0], "value"] += 1
    assert compare_to_golden(changed, GOLDEN / "2017" / "indicators.csv", tmp_path)
    flipped = indicators.copy()
    flipped.loc[flipped.index[-1], "approximate"] = not flipped.loc[flipped.index[-1], "approximate"]
    assert compare_to_golden(flipped, GOLDEN / "2017" / "indicators.csv", tmp_path)


def test_indicators_csv_format(sample_results, tmp_path):
    """The output contract of indicators.md: tidy, plain numbers with '.', true/false."""
    _, indicators = sample_results[2017]
    target = tmp_path / "indicators.csv"
    write_indicators(indicators, target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), (
        "a UTF-8 byte-order mark first, so that Excel reads the Vietnamese units right"
    )
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "year,indicator,agency,district,value,unit,approximate,approx_sense"
    lines = text.splitlines()[1:]
    assert "2017,training_sessions,ALL,ALL,4730,buổi,true,more_than" in lines  # "trên 4.730", as published
    assert "2017,newsletters_issued,ALL,ALL,10000,cuốn,true,under" in lines  # "gần 10.000"
    assert "2017,deferred_fertilizer_t,ALL,ALL,5207,tấn,false," in lines
    assert all(
        line.rsplit(",", 2)[1:] in (["true", "more_than"], ["true", "under"], ["true", "about"], ["false", ""])
        for line in lines
    )
    frame = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert frame["value"].str.fullmatch(r"-?\d+(\.\d+)?").all()
    assert not frame.duplicated(["indicator", "agency", "district"]).any()


def test_format_value():
    assert [format_value(v) for v in (4730.0, 5207.5, 0.6231884, -12.0, 0.0, 1e-9)] == [
        "4730",
        "5207.5",
        "0.623188",
        "-12",
        "0",
        "0",
    ]


def test_indicators_round_trip_through_csv(sample_results, tmp_path):
    _, indicators = sample_results[2017]
    target = tmp_path / "indicators.csv"
    write_indicators(indicators, target)
    back = read_indicators(target)
    pd.testing.assert_frame_equal(
        back, indicators.reset_index(drop=True), check_exact=False, rtol=0, atol=1e-6
    )  # values are written to 6 decimals
    assert back["approximate"].sum() == indicators["approximate"].sum() > 0
