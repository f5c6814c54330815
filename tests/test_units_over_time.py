"""Units over time (raw-data.md § Units over time): a year is read against the units valid on 31/12 of that year."""

import unicodedata

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.reference import load_reference, read_reference_table
from helpers.text import strip_diacritics

REFERENCE = load_reference(None)
COMMUNES = read_reference_table("communes.csv")


def test_the_dated_tables():
    assert len(COMMUNES) == 129
    assert all(len(row["unit_code"]) == 5 and row["unit_code"].isdigit() for row in COMMUNES)
    assert all(row["valid_from"] == "2025-07-01" and row["kind"] in ("commune", "ward") for row in COMMUNES)
    by_year = {year: REFERENCE.for_year(year) for year in (2017, 2022, 2024, 2025, 2026)}
    assert [d.code for d in by_year[2024].districts] == ["369", "370", "372", "373", "374", "375", "376", "377", "TINH"]
    assert by_year[2024].district_by_code["374"].name_vi == "Huyện Hoa Lư"
    assert len(by_year[2026].districts) == 130 and by_year[2026].districts[-1].code == "TINH"
    # TP Hoa Lư (1/1/2025 – 30/6/2025) is recorded, and never in force on a 31 December
    versions = [u.name_vi for u in REFERENCE.units if u.code == "374"]
    assert versions == ["Huyện Hoa Lư", "Thành phố Hoa Lư"]
    assert REFERENCE.unit_by_code("374", 2025) is None
    assert REFERENCE.territory_changed(2025, 2024) and not REFERENCE.territory_changed(2024, 2023)
    assert not REFERENCE.territory_changed(2026, 2025)


@pytest.mark.parametrize(
    ("typed", "in_2022", "in_2026"),
    [
        ("Nho Quan", "372", "14428"),
        ("NHO QUAN", "372", "14428"),
        ("Yên Mô", "377", "14701"),
        ("Gia Vien", "373", "14464"),
        ("Hoa Lư", "374", "14329"),
        ("Tam Điệp", "370", "14362"),
        ("Cấp tỉnh", "TINH", "TINH"),
    ],
)
def test_the_same_spelling_resolves_by_year(typed, in_2022, in_2026):
    assert REFERENCE.for_year(2022).resolve_district(typed) == in_2022
    assert REFERENCE.for_year(2026).resolve_district(typed) == in_2026
    assert REFERENCE.for_year(2025).resolve_district(typed) == in_2026


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Xã Nho Quan", "14428"),
        ("xa nho quan", "14428"),
        ("X. Nho Quan", "14428"),
        ("P. Hoa Lư", "14329"),
        ("Phường Hoa Lư", "14329"),
        ("phuong tay hoa lu", "14533"),
        ("Tây Hoa Lư", "14533"),
        ("Phường Tây Hoà Lư", "14533"),  # tone-mark placement
        ("Đông Hoa Lư", "14566"),
        (unicodedata.normalize("NFD", "Xã Kim Sơn"), "14638"),
    ],
)
def test_commune_spellings_in_2026(typed, code):
    assert REFERENCE.for_year(2026).resolve_district(typed) == code


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("Huyện Nho Quan", ["Xã Nho Quan (14428)"]),
        ("H. Yên Mô", ["Xã Yên Mô (14701)"]),
        ("TP Hoa Lư", ["Phường Hoa Lư (14329)", "Phường Nam Hoa Lư (14359)", "Phường Tây Hoa Lư (14533)"]),
        ("Huyện Kim Sơn", ["Xã Kim Sơn (14638)"]),
        ("Thị trấn Phát Diệm", ["Xã Phát Diệm (14620)"]),
        ("TX Tam Điệp", ["Phường Tam Điệp (14362)"]),
    ],
)
def test_a_district_after_the_district_level_ended_is_refused_with_candidates(typed, candidates):
    year = REFERENCE.for_year(2026)
    assert year.resolve_district(typed) is None
    refusal = year.unit_refusal(typed)
    assert "1/7/2025" in refusal and "cấp huyện" in refusal
    assert all(candidate in refusal for candidate in candidates)


def test_a_wrong_type_word_and_an_unknown_name_are_refused_with_candidates():
    year = REFERENCE.for_year(2026)
    assert year.resolve_district("Phường Nho Quan") is None
    assert "Xã Nho Quan (14428)" in year.unit_refusal("Phường Nho Quan")
    assert year.resolve_district("Nho Quang") is None and year.unit_refusal("Nho Quang") is None
    closest = year.known_units_text(False, "Nho Quang")
    assert closest.startswith("Xã Nho Quan (14428)") and closest.count("(") == 5
    # in a year of few units every unit is offered, as before
    assert REFERENCE.for_year(2022).known_units_text(False, "Nho Quang").count("(") == 8


def test_a_commune_typed_in_a_district_year_is_no_district():
    year = REFERENCE.for_year(2022)
    for typed in ("Xã Nho Quan", "P. Hoa Lư", "Tây Hoa Lư"):
        assert year.resolve_district(typed) is None
    assert year.resolve_district("TP Hoa Lư") is None  # 1/1/2025: not yet in 2022 (nor 2024)
    assert REFERENCE.for_year(2024).resolve_district("TP Hoa Lư") is None
    assert "Hoa Lư (374)" in REFERENCE.for_year(2024).unit_refusal("TP Hoa Lư")


def test_a_name_of_several_units_is_ambiguous(tmp_path):
    """A data root whose table has two units of one name after their type words: refused, both named."""
    import csv

    rows = [*COMMUNES[:3], {**COMMUNES[0], "unit_code": "99999", "name_vi": "Xã Châu Sơn", "short_vi": "Xã Châu Sơn"}]
    for name, table in (("communes.csv", rows), ("districts.csv", read_reference_table("districts.csv"))):
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(table[0]))
            writer.writeheader()
            writer.writerows(table)
    year = load_reference(tmp_path).for_year(2026)
    assert len(year.districts) == 5  # its own communes only, and the provincial office
    assert year.resolve_district("Châu Sơn") is None
    refusal = year.unit_refusal("Châu Sơn")
    assert "13285" in refusal and "99999" in refusal
    assert year.resolve_district("Phường Châu Sơn") == "13285" and year.resolve_district("Xã Châu Sơn") == "99999"


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.sampled_from(COMMUNES), st.sampled_from(["", "xã ", "X.", "phường ", "P. ", "Huyện ", "TP "]), st.booleans())
def test_every_commune_resolves_only_to_itself(row, word, plain):
    """Every commune or ward, typed with or without a type word and diacritics, is itself or refused, never another."""
    base = row["name_vi"].split(" ", 1)[1]
    typed = word + (strip_diacritics(base) if plain else base)
    year = REFERENCE.for_year(2026)
    code = year.resolve_district(typed)
    assert code in (row["unit_code"], None)
    own = "xa" if row["kind"] == "commune" else "phuong"
    fits = word.strip().rstrip(".").lower() in ("", {"xa": "xã", "phuong": "phường"}[own], own[0])
    assert (code is not None) == fits
    if code is None:
        assert row["unit_code"] in year.unit_refusal(typed)
    assert REFERENCE.for_year(2022).resolve_district(typed) in (
        None,
        *(c for c in ["369", "370", "372", "373", "374", "375", "376", "377"]),
    )


def test_blank_forms_of_2026_list_the_129_units(tmp_path):
    from helpers.publish.blank_forms import write_blank_returns

    written = write_blank_returns(2026, tmp_path, register_rows=3, reference=REFERENCE)
    groups = openpyxl.load_workbook(next(p for p in written if p.name == "groups.xlsx")).active
    names = {cell for row in groups.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
    assert {row["name_vi"] for row in COMMUNES} <= names
    assert "Huyện Nho Quan" not in names
    register = openpyxl.load_workbook(next(p for p in written if p.name == "cooperatives.xlsx"))
    header = [c for row in register.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any(c.startswith("Huyện") for c in header)
    listed = (
        [c for row in register["Danh mục"].iter_rows(values_only=True) for c in row if c]
        if "Danh mục" in (register.sheetnames)
        else [c for row in register.worksheets[1].iter_rows(values_only=True) for c in row if c]
    )
    assert "Xã Nho Quan" in listed and "Phường Tây Hoa Lư" in listed
    old = write_blank_returns(2022, tmp_path, register_rows=3, reference=REFERENCE)
    groups_2022 = openpyxl.load_workbook(next(p for p in old if p.name == "groups.xlsx")).active
    names_2022 = {cell for row in groups_2022.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
    assert "Huyện Nho Quan" in names_2022 and "Xã Nho Quan" not in names_2022


# -- comparisons across a change of territory ------------------------------------------------------


def _province_history(values: dict[int, float], indicator: str = "htx_count"):
    import pandas as pd

    return pd.DataFrame(
        [
            {"year": y, "indicator": indicator, "agency": "ALL", "district": "ALL", "value": v, "approximate": False}
            for y, v in values.items()
        ]
    )


def test_changes_and_cumulative_carry_the_territory_flag():
    from helpers.compute.years import changes, cumulative

    history = _province_history({2023: 514, 2024: 533, 2025: 819, 2026: 835})
    flags = {y: bool(changes(history, y, reference=REFERENCE)["territory_changed"].iloc[0]) for y in (2024, 2025, 2026)}
    assert flags == {2024: False, 2025: True, 2026: False}
    assert changes(history, 2023, reference=REFERENCE)["territory_changed"].tolist() == [False]  # no previous year
    assert not changes(history, 2025)["territory_changed"].any()  # without the dated units nothing is said
    flows = _province_history({2023: 20, 2024: 22, 2025: 21, 2026: 26}, "new_htx_guided")
    assert cumulative(flows, 2026, 2023, reference=REFERENCE)["territory_changed"].tolist() == [True]
    assert cumulative(flows, 2024, 2023, reference=REFERENCE)["territory_changed"].tolist() == [False]
    assert cumulative(flows, 2026, 2025, reference=REFERENCE)["territory_changed"].tolist() == [False]


def test_the_count_flow_is_not_checked_across_the_change():
    from helpers.compute.years import cross_checks

    history = _province_history({2024: 533, 2025: 819})
    table = cross_checks(history, 2025, reference=REFERENCE)
    [flow] = table[table["check"] == "count_flow"].itertuples()
    assert flow.status == "missing" and "1/7/2025" in flow.note
    same = cross_checks(_province_history({2023: 514, 2024: 533}), 2024, reference=REFERENCE)
    assert same[same["check"] == "count_flow"]["status"].tolist() == ["differ"]  # 533 ≠ 514 + 0 − 0


def test_the_review_and_the_draft_say_a_comparison_spans_the_change():
    import pandas as pd

    from conftest import year_data
    from helpers.compute.years import changes, cumulative
    from helpers.publish import review
    from helpers.publish.report_text import cumulative_sentence

    history = _province_history({2024: 533, 2025: 819, 2026: 835})
    flows = _province_history({2024: 22, 2025: 21, 2026: 26}, "new_htx_guided")
    flows = pd.concat([flows, _province_history({2024: 30, 2025: 28, 2026: 31}, "new_tht_guided")])
    both = pd.concat([history, flows], ignore_index=True)
    data = year_data(
        2025,
        indicators=both[both["year"] == 2025],
        history=both,
        changes=changes(both, 2025, reference=REFERENCE),
        cumulative=cumulative(flows, 2025, 2024, reference=REFERENCE),
    )
    note = data.territory_note("changes")
    assert note.startswith("Lưu ý: địa bàn năm 2025 khác địa bàn năm 2024") and "1/7/2025" in note
    assert "1/7/2025" in data.territory_note("cumulative")
    assert note in review.changes_view(data).caption
    assert data.territory_note("cumulative") in cumulative_sentence(data)
    later = year_data(2026, history=both, changes=changes(both, 2026, reference=REFERENCE))
    assert later.territory_note("changes") is None
    assert review.territory_changes(data) == (2025,)


def test_a_unit_carried_into_a_later_year():
    """What a register pre-filled across the reform keeps: the unit when the tables can tell, else blank."""
    assert REFERENCE.unit_in_year("372", 2024) == "372"
    assert REFERENCE.unit_in_year("372", 2026) is None  # no one-to-one successor on 1/7/2025
    assert REFERENCE.unit_in_year("372", 2026, "Xã Gia Lâm") == "14389"
    assert REFERENCE.unit_in_year("372", 2026, "Gia Lâm") is None  # a bare name could be another province's
    assert REFERENCE.unit_in_year("372", 2026, "Xã Nho Quan") == "14428"
    assert REFERENCE.unit_in_year("369", 2026, "Phường Thanh Bình") is None  # an old ward the new list lacks
    assert REFERENCE.unit_in_year("369", 2026, "Cấp tỉnh") is None
    assert REFERENCE.unit_in_year("14428", 2027) == "14428"
