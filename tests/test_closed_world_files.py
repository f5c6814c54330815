"""Issue 17, files, lines, merges and sheets: what the reader does not recognise is never a quiet nothing.

Each case of the issue (``raw-data.md`` § A closed world) is built here from
code, typed the way people type returns: a CSV line read shifted by an unquoted
decimal comma behind an empty last column (case 3), CSV lines swallowed by a
quote (case 4), a value merged over two district rows (case 5), a return that
cannot be opened (case 8), and visible sheets that are not read.
"""

from __future__ import annotations

from conftest import write_xlsx
from test_returns import read01, rejected_rows, values

TITLE = "HỘI NÔNG DÂN TỈNH NINH BÌNH,,,,,,"
"""A title line as Excel saves it: padded with commas to the width of the table."""


def _lines(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


def _write(tmp_path, text: str, encoding: str = "utf-8-sig"):
    path = tmp_path / "activities" / "HND.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


# -- case 3: a CSV line is a row; a line longer than the header is rejected, never read shifted ---------------


def test_an_unquoted_decimal_comma_before_an_empty_note_column_rejects_the_line_not_shifts_it(tmp_path):
    text = _lines(
        TITLE,
        "BÁO CÁO KẾT QUẢ NĂM 2017,,,,,,",
        ",,,,,,",
        "STT,Đơn vị,Số buổi tập huấn,Phân bón trả chậm,Số HTX được hướng dẫn thành lập mới,"
        '"Tin, bài trên trang TTĐT",Ghi chú',
        '1,Nho Quan,10,"12,5",2,8,',
        "2,Gia Viễn,20,90,5,3,6,",
        "3,Yên Mô,30,7,1,4,",
    )
    read = read01(_write(tmp_path, text))
    assert rejected_rows(read) == [6]
    assert "8 ô" in read.rejects[0].reason and "7 ô" in read.rejects[0].reason
    assert values(read, "deferred_fertilizer_t") == {"372": 12.5, "377": 7}
    assert values(read, "new_htx_guided") == {"372": 2, "377": 1}
    assert values(read, "web_articles") == {"372": 8, "377": 4}
    assert [r["row"] for r in read.records if r["indicator"] == "training_sessions"] == [5, 7]


def test_a_note_line_longer_than_the_header_is_rejected_too(tmp_path):
    text = _lines(
        "STT;Đơn vị;Số buổi tập huấn;Số lượt người tham dự",
        "1;Nho Quan;10;100",
        ";Ghi chú: số liệu chưa đủ;;;12",
        "2;Gia Viễn;20;200",
    )
    read = read01(_write(tmp_path, text))
    assert rejected_rows(read) == [3] and values(read, "training_sessions") == {"372": 10, "373": 20}


# -- case 4: a quote may hold a line break only while it takes in no row -----------------------------------


def test_a_quote_opened_in_a_note_and_never_closed_on_its_line_swallows_no_row(tmp_path):
    text = _lines(
        TITLE,
        "STT,Đơn vị,Số buổi tập huấn,Số lượt người tham dự,Phân bón trả chậm,Ghi chú",
        "1,Nho Quan,10,100,,",
        ',"Ghi chú: số liệu huyện Gia Viễn và Yên Mô là số ước tính,,,,',
        "2,Gia Viễn,20,200,,",
        '3,Yên Mô,30,300,"3,5","ước tính, chưa đủ"',
        "4,Kim Sơn,40,400,,",
        ",Tổng cộng,100,1000,,",
    )
    read = read01(_write(tmp_path, text))
    assert rejected_rows(read) == [4] and "ngoặc kép" in read.rejects[0].reason
    assert values(read, "training_sessions") == {"372": 10, "373": 20, "377": 30, "376": 40}
    assert values(read, "deferred_fertilizer_t") == {"377": 3.5}
    assert [r["row"] for r in read.records if r["indicator"] == "training_sessions"] == [3, 5, 6, 7]
    assert sum(read.kind_counts().values()) == 8 and read.kind_counts()["totals"] == 1


def test_a_quote_that_never_closes_rejects_its_line_and_every_line_after_it_is_read(tmp_path):
    text = _lines(
        "STT,Đơn vị,Số buổi tập huấn,Số lượt người tham dự",
        '1,Nho Quan,"10,100',
        "2,Gia Viễn,20,200",
        "3,Yên Mô,30,300",
    )
    read = read01(_write(tmp_path, text))
    assert rejected_rows(read) == [2] and values(read, "training_sessions") == {"373": 20, "377": 30}


def test_a_two_line_header_label_written_by_excel_is_one_label(tmp_path):
    text = _lines(
        TITLE,
        '"BÁO CÁO KẾT QUẢ',
        'NĂM 2017",,,,,,',
        'STT,Đơn vị,"SỐ BUỔI TẬP HUẤN',
        '(buổi)","Số lượt người',
        'tham dự",Phân bón trả chậm,,,,',
        "1,Nho Quan,10,100,,,,",
        ',"Ghi chú: số liệu',
        'ước tính",,,,,,',
        "2,Gia Viễn,20,200,,,,",
    )
    read = read01(_write(tmp_path, text))
    assert not read.rejects and not read.ignored_columns
    assert values(read, "training_sessions") == {"372": 10, "373": 20}
    assert values(read, "training_attendance") == {"372": 100, "373": 200}
    assert [r["row"] for r in read.records if r["indicator"] == "training_sessions"] == [7, 10]
    kinds = ["title"] * 3 + ["header"] * 3 + ["accepted", "note", "note", "accepted"]
    assert read.row_kinds == kinds


def test_a_line_break_in_a_quoted_cell_of_a_data_row_is_kept_when_it_takes_in_no_row(tmp_path):
    text = _lines(
        "STT;Đơn vị;Số buổi tập huấn;Ghi chú",
        '1;Nho Quan;10;"tổ chức tại',
        'xã Gia Lâm"',
        "2;Gia Viễn;20;",
    )
    read = read01(_write(tmp_path, text, "utf-8"))
    assert not read.rejects and values(read, "training_sessions") == {"372": 10, "373": 20}
    assert read.row_kinds == ["header", "accepted", "note", "accepted"]


# -- case 5: a value merged over several data rows cannot be split -----------------------------------------


def test_a_value_merged_over_two_district_rows_rejects_both(tmp_path):
    rows = [
        ["HỘI NÔNG DÂN TỈNH NINH BÌNH"],
        ["BÁO CÁO KẾT QUẢ NĂM 2017"],
        [],
        ["STT", "Đơn vị", "Số buổi tập huấn", "Số lượt người tham dự"],
        [1, "Nho Quan", 10, 100],
        [2, "Gia Viễn", 20, 200],
        [3, "Yên Mô", 30, None],
        [4, "Kim Sơn", 40, 400],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("D6:D7",)))
    assert rejected_rows(read) == [6, 7]
    assert all("ô gộp qua dòng 6–7" in r.reason for r in read.rejects)
    assert values(read, "training_sessions") == {"372": 10, "376": 40}


def test_a_unit_merged_over_two_rows_still_names_each(tmp_path):
    rows = [
        ["STT", "Đơn vị", "Số buổi tập huấn", "Số lượt người tham dự"],
        [1, "Nho Quan", 10, 100],
        [2, "Gia Viễn", 20, 200],
        [None, None, 5, 50],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("B3:B4",)))
    # the same district twice: both rejected as duplicates, as decided before (never summed, never lost)
    assert rejected_rows(read) == [3, 4] and all("373" in r.reason for r in read.rejects)
