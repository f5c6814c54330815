import unicodedata

import pytest

from helpers.text import fold_label, format_number_vi, format_percent_vi, to_nfc


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SỐ BUỔI TẬP HUẤN\n(buổi)", "so buoi tap huan"),
        ("Số  buổi   tập huấn", "so buoi tap huan"),
        ('Mô hình "Nói không với thực phẩm bẩn"', "mo hinh noi khong voi thuc pham ban"),
        ("Mô hình “Nói không với thực phẩm bẩn”", "mo hinh noi khong voi thuc pham ban"),
        ("Vốn điều lệ (triệu đồng)", "von dieu le"),
        ("Huyện/thành phố", "huyen thanh pho"),
        ("Huyện, thành phố", "huyen thanh pho"),
        ("Tp.Ninh Bình", "tp ninh binh"),
        ("ĐỊA BÀN", "dia ban"),
        (None, ""),
    ],
)
def test_fold_label(typed, expected):
    assert fold_label(typed) == expected


def test_nfd_and_nfc_fold_alike():
    text = "Huyện Yên Khánh — Số lượt người"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert fold_label(nfd) == fold_label(text)
    assert to_nfc(nfd) == text


def test_fold_is_idempotent():
    for text in ("SỐ BUỔI (buổi)", "Tp.Ninh Bình", "Lãi (lỗ)", "~300"):
        assert fold_label(fold_label(text)) == fold_label(text)


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (4730, 0, "4.730"),
        (273219, 0, "273.219"),
        (5207.5, 1, "5.207,5"),
        (5207.0, 1, "5.207"),
        (-1234.5, 1, "-1.234,5"),
        (0, 0, "0"),
        (None, 0, "–"),
    ],
)
def test_format_number_vi(value, decimals, shown):
    assert format_number_vi(value, decimals) == shown


def test_format_percent_vi():
    assert format_percent_vi(0.6234) == "62,3%"
    assert format_percent_vi(float("nan")) == "–"
