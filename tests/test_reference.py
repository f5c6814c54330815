"""District, agency and vocabulary tables against the spellings of raw-data.md."""

import unicodedata

import pytest

from helpers.reference import load_reference

REFERENCE = load_reference(None)  # the shipped tables
resolve_agency, resolve_district = REFERENCE.resolve_agency, REFERENCE.resolve_district

CONTRACT_SPELLINGS = {
    "369": ["TP Ninh Bình", "TP. Ninh Bình", "Tp.Ninh Bình", "Thành phố Ninh Bình", "Ninh Bình"],
    "370": ["TP Tam Điệp", "Thị xã Tam Điệp", "TX Tam Điệp", "Tam Điệp"],
    "372": ["H. Nho Quan", "Huyện Nho Quan", "Nho Quan"],
    "373": ["H. Gia Viễn", "Gia Viễn"],
    "374": ["H. Hoa Lư", "Hoa Lư"],
    "375": ["H. Yên Khánh", "Yên Khánh"],
    "376": ["H. Kim Sơn", "Kim Sơn"],
    "377": ["H. Yên Mô", "Yên Mô"],
    "TINH": ["Cấp tỉnh", "Tỉnh", "Văn phòng tỉnh", "Cơ quan tỉnh"],
}


@pytest.mark.parametrize(("code", "spelling"), [(c, s) for c, names in CONTRACT_SPELLINGS.items() for s in names])
def test_every_contract_spelling_resolves(code, spelling):
    assert resolve_district(spelling) == code
    assert resolve_district(spelling.upper()) == code
    assert resolve_district(unicodedata.normalize("NFD", spelling)) == code
    bare = (
        "".join(ch for ch in unicodedata.normalize("NFD", spelling) if not unicodedata.combining(ch))
        .replace("đ", "d")
        .replace("Đ", "D")
    )
    assert resolve_district(bare) == code


@pytest.mark.parametrize("name", ["Xã Gia Hòa", "Huyện Gia Viễ", "Hà Nam", "Toàn tỉnh", "", None, "Ninh Bình city"])
def test_unknown_units(name):
    assert resolve_district(name) is None


def test_district_table_records_the_2025_merger():
    assert REFERENCE.district_by_code["369"].name_vi == "Thành phố Ninh Bình"
    assert REFERENCE.district_by_code["374"].name_vi == "Huyện Hoa Lư"


@pytest.mark.parametrize(
    ("file_name", "agency"),
    [
        ("HND.xlsx", "HND"),
        ("hnd_2017.xlsx", "HND"),
        ("HND - bao cao nam 2017 (ban cuoi).xlsx", "HND"),
        ("LMHTX.xlsx", "LMHTX"),
        ("hccb-2018.csv", "HCCB"),
        ("HLHPN bao cao.xls", "HLHPN"),
        ("bao cao HND.xlsx", None),
        ("Hoi nong dan.xlsx", None),
    ],
)
def test_agency_from_file_name(file_name, agency):
    assert resolve_agency(file_name) == agency


def test_four_agencies():
    assert [a.code for a in REFERENCE.agencies] == ["LMHTX", "HND", "HCCB", "HLHPN"]
