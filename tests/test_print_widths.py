"""The print widths of the ledger tables' columns (:func:`helpers.publish.review_html.print_widths`)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from helpers.publish.review_html import PRINT_LINE_CHARS, print_widths, styled

WORDS = st.sampled_from(["Dòng", "tổng", "lệch", "HTX", "nông", "nghiệp", "Khánh", "An", "(địa", "bàn)", "12", "—"])
CELLS = st.one_of(
    st.lists(WORDS, min_size=1, max_size=8).map(" ".join),
    st.integers(0, 100_000).map(str),
    st.just("activities/HND - bao cao nam 2017 (ban cuoi).xlsx"),
)


@given(st.lists(st.tuples(CELLS, st.lists(CELLS, min_size=1, max_size=6)), min_size=1, max_size=10))
def test_widths_share_the_whole_line(columns):
    length = min(len(cells) for _, cells in columns)
    table = pd.DataFrame({f"{index} {title}": cells[:length] for index, (title, cells) in enumerate(columns)})
    widths = print_widths(table)
    assert len(widths) == len(table.columns)
    assert all(width > 0 for width in widths)
    assert abs(sum(widths) - 100) < 0.1 * len(widths)


def test_a_heading_of_three_words_gets_room_for_two_of_them():
    table = pd.DataFrame({"Tệp": ["a.xlsx"], "Số dòng đọc": [27], "Dòng tổng lệch": [0], "Hợp lệ": [9]})
    widths = dict(zip(table.columns, print_widths(table), strict=True))
    # "Dòng tổng" in bold, with a cell's padding, in % of the line
    assert widths["Dòng tổng lệch"] >= 100 * (len("Dòng tổng") + 2) / PRINT_LINE_CHARS
    assert widths["Dòng tổng lệch"] > widths["Hợp lệ"]


def test_the_long_reason_takes_the_room_left():
    reason = "'Thị trấn Me' không phải là đơn vị của Biểu 03 — dùng một trong: TP Ninh Bình (369), TP Tam Điệp (370)"
    table = pd.DataFrame({"Tệp": ["groups.xlsx"], "Dòng": [10], "Lý do và cách sửa": [reason], "Đã loại": ["cả dòng"]})
    widths = dict(zip(table.columns, print_widths(table), strict=True))
    assert widths["Lý do và cách sửa"] == max(widths.values())


def test_the_ledger_tables_carry_their_print_widths():
    table = pd.DataFrame({"Tệp": ["a.xlsx"], "Dòng tổng lệch": [0]})
    html = styled(table, "Sổ", css_class="fixed").to_html()
    assert html.count("--print-width:") == 2
    assert "--print-width:" not in styled(table, "Sổ").to_html()  # other tables are laid out by their content
