"""The value rules of raw-data.md § Values, one case per line of its table."""

import datetime as dt

import pytest

from helpers.read.values import CellProblem, read_choice, read_date, read_number, read_text


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("4730", 4730), ("4730.0", 4730), (4730.0, 4730), (4730, 4730),
        ("4.730", 4730), ("273.219", 273219), ("4 730", 4730), ("4\u00a0730", 4730), ("1.234.567", 1234567),
        ("5.207,5", 5207.5), ("5207,5", 5207.5), ("0", 0), (0.0, 0),
    ],
)  # fmt: skip
def test_numbers(typed, value):
    number = read_number(typed)
    assert number.value == value
    assert not number.is_approximate


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("trên 1.000", 1000),
        ("hơn 1000", 1000),
        ("gần 10.000", 10000),
        ("khoảng 300", 300),
        ("~300", 300),
        ("Trên 4.730", 4730),
        ("~ 300", 300),
    ],
)
def test_approximate_numbers(typed, value):
    number = read_number(typed)
    assert (number.value, number.is_approximate) == (value, True)


def test_approximate_in_nfd():
    import unicodedata

    number = read_number(unicodedata.normalize("NFD", "khoảng 1.250"))
    assert (number.value, number.is_approximate) == (1250, True)


@pytest.mark.parametrize("typed", [None, "", "  ", "-", "–", "x", "X", "không báo cáo", "Không báo cáo", float("nan")])
def test_not_reported_is_missing_not_zero(typed):
    assert read_number(typed).value is None


@pytest.mark.parametrize("typed", ["nhiều", "12a", "-5", -5, -0.5, "1.2.3,4,5", "12 buổi", True, dt.date(2017, 1, 1)])
def test_rejected_numbers(typed):
    with pytest.raises(CellProblem) as error:
        read_number(typed)
    assert str(error.value)  # the message says what is wrong and what to do
    assert "—" in str(error.value)


def test_profit_may_be_negative():
    assert read_number("-120", allow_negative=True).value == -120
    assert read_number(-35.5, allow_negative=True).value == -35.5
    assert read_number("−1.200", allow_negative=True).value == -1200


@pytest.mark.parametrize(
    ("typed", "iso", "year"),
    [
        (dt.datetime(2017, 3, 15), "2017-03-15", 2017),
        (dt.date(2017, 3, 15), "2017-03-15", 2017),
        ("15/03/2017", "2017-03-15", 2017),
        ("15-03-2017", "2017-03-15", 2017),
        ("2017-03-15", "2017-03-15", 2017),
        ("5/3/2017", "2017-03-05", 2017),
        ("03/2017", "2017-03", 2017),
        ("2017", "2017", 2017),
        (2017.0, "2017", 2017),
    ],
)
def test_dates(typed, iso, year):
    date = read_date(typed)
    assert (date.iso, date.year) == (iso, year)


@pytest.mark.parametrize("typed", ["năm ngoái", "31/02/2017", "15.03.2017", "13/2017", "March 2017", 42809.0])
def test_rejected_dates(typed):
    with pytest.raises(CellProblem):
        read_date(typed)


def test_empty_date_is_missing():
    assert read_date(None) is None
    assert read_date("-") is None


def test_choices():
    assert read_choice("Nông nghiệp", "sector", blank_code="other") == "agriculture"
    assert read_choice("CÔNG NGHIỆP - TTCN", "sector", blank_code="other") == "industry"
    assert read_choice("Quỹ tín dụng nhân dân", "sector", blank_code="other") == "credit"
    assert read_choice(None, "sector", blank_code="other") == "other"
    assert read_choice("Đã giải thể", "status", blank_code=None) == "dissolved"
    assert read_choice("Tạm ngừng", "status", blank_code=None) == "suspended"
    assert read_choice("Chưa xếp loại", "rating", blank_code="none") == "none"
    assert read_choice("kha", "rating", blank_code="none") == "fair"
    with pytest.raises(CellProblem):
        read_choice("Nuôi ong", "sector", blank_code="other")
    with pytest.raises(CellProblem):
        read_choice(None, "status", blank_code=None)


def test_text_keeps_leading_zeros_and_drops_excel_decimals():
    assert read_text("0907000456") == "0907000456"
    assert read_text(2707000123.0) == "2707000123"
