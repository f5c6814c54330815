"""Reading one return: layout (title, headers, column numbers, totals, footer), and every rejection rule."""

import unicodedata

import pytest

from conftest import activity_rows, write_csv, write_xlsx
from helpers.errors import FileProblem
from helpers.read.returns import read_return
from helpers.reference import load_reference

SHIPPED = load_reference(None)  # the province of these returns


def read01(path, **kwargs):
    return read_return(path, f"activities/{path.name}", "01", reference=SHIPPED, agency="HND", year=2017, **kwargs)


def values(read, indicator):
    return {r["district"]: r["value"] for r in read.records if r["indicator"] == indicator}


def rejected_rows(read):
    return sorted({r.row for r in read.rejects})


def test_plain_return(tmp_path):
    path = write_xlsx(
        tmp_path / "HND.xlsx",
        activity_rows([1, "TP. Ninh Bình", 10, "1.000", "5,5"], [2, "H. Nho Quan", 20, 300, "14,5"]),
    )
    read = read01(path)
    assert values(read, "training_sessions") == {"369": 10, "372": 20}
    assert values(read, "training_attendance") == {"369": 1000, "372": 300}
    assert values(read, "deferred_fertilizer_t") == {"369": 5.5, "372": 14.5}
    assert read.kind_counts()["accepted"] == 2
    assert read.kind_counts()["title"] == 2
    assert read.kind_counts()["blank"] == 1
    assert read.kind_counts()["header"] == 1
    assert not read.rejects


def test_merged_two_row_header_column_numbers_totals_first_and_footer(tmp_path):
    rows = [
        ["HỘI NÔNG DÂN TỈNH"],
        ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["Đơn vị tính: buổi, lượt người, tấn"],
        ["STT", "Đơn vị", "Tập huấn, bồi dưỡng", None, "PHÂN BÓN TRẢ CHẬM\n(tấn)"],
        [None, None, "Số buổi", "Số lượt người", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        [None, "Tổng cộng", 30, "1.300", 20],
        [1, "TP. Ninh Bình", 10, "1.000", "5,5"],
        [2, "H. Nho Quan", 20, 300, "14,5"],
        [],
        [None, "Ninh Bình, ngày 10 tháng 01 năm 2018"],
        [None, "NGƯỜI LẬP BIỂU", None, "THỦ TRƯỞNG ĐƠN VỊ"],
        [None, "Nguyễn Văn A", None, "Trần Thị B"],
    ]
    path = write_xlsx(tmp_path / "HND.xlsx", rows, merged=("C4:D4", "A4:A5", "B4:B5", "E4:E5"))
    read = read01(path)
    assert values(read, "training_sessions") == {"369": 10, "372": 20}
    assert values(read, "training_attendance") == {"369": 1000, "372": 300}
    counts = read.kind_counts()
    assert (counts["title"], counts["header"], counts["column_numbers"], counts["totals"], counts["footer"]) == (
        3,
        2,
        1,
        1,
        3,
    )
    assert sum(counts.values()) == len(rows)
    assert all(check.agrees for check in read.totals)
    assert {check.field for check in read.totals} == {
        "training_sessions",
        "training_attendance",
        "deferred_fertilizer_t",
    }


def test_two_row_header_without_merges_in_csv(tmp_path):
    rows = [
        ["Đơn vị", "Tập huấn, bồi dưỡng", "", "Chuyển giao KHKT - Số lượt người"],
        ["", "Số buổi", "Số lượt người", ""],
        ["A", "1", "2", "3"],
        ["Yên Mô", "12", "1.200", "300"],
        ["Toàn tỉnh", "12", "1.200", "300"],
    ]
    path = write_csv(tmp_path / "HND.csv", rows)
    read = read01(path)
    assert values(read, "training_sessions") == {"377": 12}
    assert values(read, "training_attendance") == {"377": 1200}
    assert values(read, "tech_transfer_attendance") == {"377": 300}
    assert read.kind_counts()["column_numbers"] == 1
    assert read.kind_counts()["totals"] == 1


@pytest.mark.parametrize(
    "numbers",
    [["1", "2", "3", "4", "5"], ["A", "B", "1", "2", "3"], [1, 2, 3, 4, 5], ["(1)", "(2)", "(3)", "(4)", "(5)"]],
)
def test_column_number_row_forms(tmp_path, numbers):
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows(numbers, [1, "Kim Sơn", 3, 4, 5]))
    read = read01(path)
    assert read.kind_counts()["column_numbers"] == 1
    assert values(read, "training_sessions") == {"376": 3}


def test_columns_in_any_order_and_unknown_columns_reported(tmp_path):
    rows = [["Phân bón trả chậm", "Ghi chú", "Địa bàn", "Số buổi tập huấn"], [7, "tốt", "Gia Viễn", 2]]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert values(read, "deferred_fertilizer_t") == {"373": 7}
    assert values(read, "training_sessions") == {"373": 2}
    assert [(letter, label) for letter, label, _ in read.ignored_columns] == [("B", "Ghi chú")]


def test_unlabelled_column_with_data_is_reported(tmp_path):
    rows = [["Đơn vị", "Số buổi tập huấn"], ["Gia Viễn", 2, 99]]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert [letter for letter, _, _ in read.ignored_columns] == ["C"]


def test_totals_last_disagreeing_is_reported(tmp_path):
    path = write_xlsx(
        tmp_path / "HND.xlsx", activity_rows([1, "Kim Sơn", 3, 4, 5], [2, "Yên Mô", 1, 1, 1], [None, "Cộng", 5, 5, 6])
    )
    read = read01(path)
    bad = [check for check in read.totals if not check.agrees]
    assert [(c.field, c.totals_value, c.rows_sum) for c in bad] == [("training_sessions", 5, 4)]
    assert read.kind_counts()["totals"] == 1
    assert read.kind_counts()["accepted"] == 2


def test_of_which_rows_are_rejected_never_summed(tmp_path):
    path = write_xlsx(
        tmp_path / "HND.xlsx",
        activity_rows(
            [1, "Kim Sơn", 30, 400, 5],
            [None, "Trong đó: Xã Kim Chính", 10, 100, 1],
            [None, "- Xã Kim Đông", 5, 50, 1],
            [2, "Yên Mô", 1, 1, 1],
        ),
    )
    read = read01(path)
    assert values(read, "training_sessions") == {"376": 30, "377": 1}
    assert rejected_rows(read) == [6, 7]
    assert all("Trong đó" in r.reason for r in read.rejects)


def test_sheet_named_bieu_is_read_not_the_first(tmp_path):
    path = write_xlsx(
        tmp_path / "HND.xlsx", activity_rows([1, "Yên Mô", 1, 2, 3]), sheet_title="Bieu 01", before=["Hướng dẫn"]
    )
    read = read01(path)
    assert read.sheet == "Bieu 01"
    assert values(read, "training_sessions") == {"377": 1}


def test_nfd_workbook(tmp_path):
    rows = [
        [unicodedata.normalize("NFD", c) if isinstance(c, str) else c for c in row]
        for row in activity_rows([1, "Huyện Yên Khánh", "khoảng 40", 2, 3])
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert read.was_nfd
    assert values(read, "training_sessions") == {"375": 40}
    assert [a.typed for a in read.approximate] == ["khoảng 40"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8", ","), ("utf-8-sig", ";"), ("cp1258", ";"), ("cp1258", ",")]
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    rows = [
        ["Đơn vị", "Số buổi tập huấn", "Phân bón trả chậm"],
        ["H. Yên Khánh", "1.200", "5.207,5"],
        ["TP. Tam Điệp", "3", "2,5"],
    ]
    read = read01(write_csv(tmp_path / "HND.csv", rows, encoding=encoding, delimiter=delimiter))
    assert values(read, "training_sessions") == {"375": 1200, "370": 3}
    assert values(read, "deferred_fertilizer_t") == {"375": 5207.5, "370": 2.5}


def test_missing_values_are_not_zero(tmp_path):
    read = read01(
        write_xlsx(
            tmp_path / "HND.xlsx", activity_rows([1, "Kim Sơn", "-", "x", "không báo cáo"], [2, "Yên Mô", 0, None, "–"])
        )
    )
    assert values(read, "training_sessions") == {"377": 0}
    assert values(read, "training_attendance") == {}
    assert read.kind_counts()["accepted"] == 2


# -- rejection rules: each rule, its row in the rejects ledger, the others still read -----------------


@pytest.mark.parametrize(
    ("bad_row", "column", "fragment"),
    [
        ([2, "Xã Gia Hòa", 1, 1, 1], "Đơn vị", "không phải là đơn vị của"),
        ([2, "Huyện Kim Sơnn", 1, 1, 1], "Đơn vị", "không phải là đơn vị của"),
        ([2, None, 1, 1, 1], "Đơn vị", "ô đơn vị đang trống"),
        ([2, "Yên Mô", "nhiều", 1, 1], "Số buổi tập huấn", "'nhiều' không phải là số"),
        ([2, "Yên Mô", 1, "12a", 1], "Số lượt người tham dự", "'12a' không phải là số"),
        ([2, "Yên Mô", -3, 1, 1], "Số buổi tập huấn", "là số âm"),
        ([2, "Yên Mô", 1, 1, "-0,5"], "Phân bón trả chậm", "là số âm"),
    ],
)
def test_activity_rejections(tmp_path, bad_row, column, fragment):
    read = read01(
        write_xlsx(tmp_path / "HND.xlsx", activity_rows([1, "Kim Sơn", 3, 4, 5], bad_row, [3, "Hoa Lư", 1, 1, 1]))
    )
    assert rejected_rows(read) == [6]
    [reject] = read.rejects
    assert reject.column == column
    assert fragment in reject.reason
    assert reject.file == "activities/HND.xlsx" and reject.sheet == "Sheet1"
    assert "dòng 6" in reject.message
    assert values(read, "training_sessions") == {"376": 3, "374": 1}


def test_same_unit_twice_rejects_both(tmp_path):
    read = read01(
        write_xlsx(
            tmp_path / "HND.xlsx",
            activity_rows([1, "Kim Sơn", 3, 4, 5], [2, "H. Kim Sơn", 1, 1, 1], [3, "Hoa Lư", 1, 1, 1]),
        )
    )
    assert rejected_rows(read) == [5, 6]
    assert values(read, "training_sessions") == {"374": 1}


def test_province_office_only_in_activities(tmp_path):
    rows = [["Đơn vị", "Số THT", "Số THT thành lập mới"], ["Cấp tỉnh", 3, 1], ["Kim Sơn", 40, 2]]
    read = read_return(write_xlsx(tmp_path / "groups.xlsx", rows), "groups.xlsx", "03", reference=SHIPPED, year=2017)
    assert rejected_rows(read) == [2]
    assert [r["district"] for r in read.records] == ["376"]


def test_trailing_note_is_footer_not_rejected(tmp_path):
    read = read01(
        write_xlsx(tmp_path / "HND.xlsx", activity_rows([1, "Kim Sơn", 3, 4, 5], [], ["Số liệu do các huyện báo cáo"]))
    )
    assert not read.rejects
    assert read.kind_counts()["footer"] == 1


def test_no_header_is_a_file_problem(tmp_path):
    path = write_xlsx(tmp_path / "HND.xlsx", [["Báo cáo"], ["Kim Sơn", 3, 4]])
    with pytest.raises(FileProblem) as error:
        read01(path)
    assert "không tìm thấy dòng tên cột" in str(error.value)
    assert "HND.xlsx" in str(error.value)


def test_header_without_known_columns_is_a_file_problem(tmp_path):
    path = write_xlsx(tmp_path / "HND.xlsx", [["Đơn vị", "Cột lạ", "Cột khác"], ["Kim Sơn", 3, 4]])
    with pytest.raises(FileProblem) as error:
        read01(path)
    assert "không có cột giá trị nào của Biểu 01" in str(error.value)
    assert "dòng 1" in str(error.value)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("HND.xlsx", b"", "tệp rỗng"),
        ("HND.xlsx", b"\x00\x01garbage" * 50, "không mở được"),
        ("HND.txt", b"abc", "không phải loại bảng tính"),
    ],
)
def test_unusable_files(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileProblem) as error:
        read01(path)
    assert fragment in str(error.value)


def test_csv_that_is_really_a_workbook(tmp_path):
    real = write_xlsx(tmp_path / "x.xlsx", activity_rows([1, "Kim Sơn", 3, 4, 5]))
    fake = tmp_path / "HND.csv"
    fake.write_bytes(real.read_bytes())
    with pytest.raises(FileProblem) as error:
        read01(fake)
    assert "nhưng là tệp Excel" in str(error.value)


# -- Biểu 02: the register ---------------------------------------------------------------

REGISTER_HEADER = [
    "STT",
    "Tên HTX",
    "Mã số HTX",
    "Huyện/thành phố",
    "Lĩnh vực",
    "Ngày thành lập",
    "Tình trạng",
    "Ngày giải thể",
    "Số thành viên",
    "Doanh thu (triệu đồng)",
    "Lãi (lỗ)",
    "Xếp loại",
]


def register(tmp_path, *rows, header=REGISTER_HEADER, year=2017):
    path = write_xlsx(tmp_path / "cooperatives.xlsx", [["DANH SÁCH HTX NĂM 2017"], header, *rows])
    return read_return(path, "cooperatives.xlsx", "02", reference=SHIPPED, year=year)


def test_register_rows(tmp_path):
    read = register(
        tmp_path,
        [
            1,
            "HTX Khánh Cư",
            "0907000456",
            "Yên Khánh",
            "Nông nghiệp",
            "15/03/2017",
            "Đang hoạt động",
            None,
            120,
            "1.250,5",
            -30,
            "Chưa xếp loại",
        ],
        [2, "HTX Yên Từ", 2707000123, "H. Yên Mô", None, "2010", "Giải thể", "06/2017", "85", 900, 12, "Khá"],
    )
    assert not read.rejects
    first, second = read.records
    assert first["reg_no"] == "0907000456" and first["district"] == "375" and first["sector"] == "agriculture"
    assert first["founded"] == "2017-03-15" and first["founded_year"] == 2017
    assert first["revenue_mvnd"] == 1250.5 and first["profit_mvnd"] == -30 and first["rating"] == "none"
    assert second["reg_no"] == "2707000123" and second["status"] == "dissolved" and second["dissolved_year"] == 2017
    assert second["sector"] == "other" and second["rating"] == "fair"


def test_register_sections_set_the_district(tmp_path):
    header = [c for c in REGISTER_HEADER if c != "Huyện/thành phố"]
    read = register(
        tmp_path,
        ["I", "Huyện Yên Mô", *[None] * 10],
        [1, "HTX A", "01", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"],
        ["II", "TP. Tam Điệp", *[None] * 10],
        [1, "HTX B", "02", "Vận tải", "2016", "Tạm ngừng", None, 10, 100, 5, "Yếu"],
        ["III", "Huyện Không Có", *[None] * 10],
        [1, "HTX C", "03", "Vận tải", "2016", "Đang hoạt động", None, 10, 100, 5, "Yếu"],
        header=header,
    )
    assert [(r["name"], r["district"]) for r in read.records] == [("HTX A", "377"), ("HTX B", "370")]
    assert read.kind_counts()["section"] == 2
    assert rejected_rows(read) == [7, 8]
    assert "không ghi địa bàn nào đã biết" in read.rejects[0].reason


def test_cooperative_with_only_name_and_district_is_not_a_section(tmp_path):
    read = register(tmp_path, [1, "HTX Đồng Tâm", None, "Yên Mô", *[None] * 8])
    assert read.kind_counts()["section"] == 0
    assert rejected_rows(read) == [3]  # a cooperative without a status
    assert any(r.column == "Tình trạng" for r in read.rejects)


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({1: None}, "Tên HTX", "HTX không có tên"),
        ({3: "Hà Nội"}, "Huyện/thành phố", "không phải là huyện, thành phố đã biết"),
        ({3: None}, "Huyện/thành phố", "không có địa bàn"),
        ({4: "Nuôi ong"}, "Lĩnh vực", "không phải là lĩnh vực hợp lệ"),
        ({5: "năm ngoái"}, "Ngày thành lập", "không phải là ngày"),
        ({5: "2019"}, "Ngày thành lập", "sau ngày của danh sách"),
        ({6: None}, "Tình trạng", "ô đang trống"),
        ({6: "Đang củng cố"}, "Tình trạng", "không phải là tình trạng hợp lệ"),
        ({7: "2017"}, "Ngày giải thể", "tình trạng không phải Giải thể"),
        ({6: "Giải thể", 7: "2015"}, "Ngày giải thể", "giải thể năm 2015"),
        ({8: -5}, "Số thành viên", "là số âm"),
        ({9: "nhiều"}, "Doanh thu (triệu đồng)", "không phải là số"),
        ({11: "Xuất sắc"}, "Xếp loại", "không phải là xếp loại hợp lệ"),
    ],
)
def test_register_rejections(tmp_path, change, column, fragment):
    good = [1, "HTX A", "01", "Kim Sơn", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"]
    bad = [2, "HTX B", "02", "Kim Sơn", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"]
    for index, value in change.items():
        bad[index] = value
    read = register(tmp_path, good, bad)
    assert rejected_rows(read) == [4]
    assert column in [r.column for r in read.rejects]
    assert any(fragment in r.reason for r in read.rejects)
    assert [r["name"] for r in read.records] == ["HTX A"]


def test_duplicate_reg_no_rejects_both(tmp_path):
    def row(n: int, reg: str) -> list:
        return [n, f"HTX {n}", reg, "Kim Sơn", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"]

    read = register(tmp_path, row(1, "0101"), row(2, "0202"), row(3, "0101"))
    assert rejected_rows(read) == [3, 5]
    assert all("có ở các dòng 3, 5" in r.reason for r in read.rejects)
    assert [r["reg_no"] for r in read.records] == ["0202"]


def test_register_totals_row_merged_over_stt_and_name(tmp_path):
    row = [1, "HTX A", "01", "Kim Sơn", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"]
    path = write_xlsx(
        tmp_path / "cooperatives.xlsx",
        [REGISTER_HEADER, row, ["Tổng cộng: 1 HTX", None, None, None, None, None, None, None, 10, 100, 5, None]],
        merged=("A3:B3",),
    )
    read = read_return(path, "cooperatives.xlsx", "02", reference=SHIPPED, year=2017)
    assert read.kind_counts()["totals"] == 1
    assert all(check.agrees for check in read.totals)
