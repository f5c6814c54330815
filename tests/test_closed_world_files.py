"""Issue 17, files, lines, merges and sheets: what the reader does not recognise is never a quiet nothing.

Each case of the issue (``raw-data.md`` § A closed world) is built here from
code, typed the way people type returns: a CSV line read shifted by an unquoted
decimal comma behind an empty last column (case 3), CSV lines swallowed by a
quote (case 4), a value merged over two district rows (case 5), a return that
cannot be opened (case 8), and visible sheets that are not read.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli, write_xlsx
from helpers.clean.year import clean_year
from helpers.paths import ProjectPaths
from helpers.read.returns import read_return
from test_bad_returns import AGENCIES, ALL_SOURCES, SHIPPED, YEAR, activity, groups, read_sources, register, year_folder
from test_returns import read01, rejected_rows, values

__all__ = ["year_folder"]  # the fixture, shared with test_bad_returns

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


# -- case 8: a return that cannot be opened is a file problem of its year ----------------------------------

ENGLISH_OS_WORDS = re.compile(
    r"Errno|Permission denied|denied|Is a directory|No such file|Traceback|cannot access", re.I
)


def _refuse_to_open(monkeypatch, refused: Path, error: OSError) -> None:
    """Make every opening of ``refused`` fail as the system would (CI runs as root: permissions stop nothing)."""
    real_open = Path.open

    def opening(self, *args, **kwargs):
        if Path(self).resolve() == refused.resolve():
            raise error
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", opening)


def _sharing_violation() -> PermissionError:
    """What Windows raises for a file Excel holds open: errno 13 with winerror 32 (ERROR_SHARING_VIOLATION)."""
    error = PermissionError(13, "The process cannot access the file because it is being used by another process")
    error.winerror = 32
    return error


def _folder_named_like_a_file(folder: Path) -> Path:
    target = folder / "activities" / "HND.xlsx"
    target.unlink()
    target.mkdir()
    return target


def _broken_link(folder: Path) -> Path:
    target = folder / "activities" / "HND.xlsx"
    target.unlink()
    try:
        target.symlink_to(folder / "gone" / "HND.xlsx")
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"cannot make symbolic links here: {error}")
    return target


UNOPENABLE = {
    "no_permission": (lambda: PermissionError(13, "Permission denied"), "không có quyền đọc", "Excel"),
    "held_by_excel": (_sharing_violation, "chương trình khác mở", "đóng tệp trong Excel"),
    "folder": (None, "là một thư mục", "đặt tệp báo cáo"),
    "broken_link": (None, "không còn ở đó", "liên kết"),
}


def _make_unopenable(case: str, folder: Path, monkeypatch) -> None:
    error, _, _ = UNOPENABLE[case]
    if case == "folder":
        _folder_named_like_a_file(folder)
    elif case == "broken_link":
        _broken_link(folder)
    else:
        _refuse_to_open(monkeypatch, folder / "activities" / "HND.xlsx", error())


@pytest.mark.parametrize("case", list(UNOPENABLE))
def test_a_return_that_cannot_be_opened_is_a_problem_of_its_year_and_the_others_are_read(
    year_folder, monkeypatch, case
):
    _make_unopenable(case, year_folder, monkeypatch)
    result = clean_year(year_folder, YEAR, reference=SHIPPED)
    assert read_sources(result) == ALL_SOURCES - {"activities/HND.xlsx"}
    [problem] = [p for p in result.problems if p.severity == "error"]
    _, says, action = UNOPENABLE[case]
    assert problem.file == "activities/HND.xlsx" and says in problem.problem and action in problem.action
    assert not ENGLISH_OS_WORDS.search(problem.message)


@pytest.mark.parametrize("case", list(UNOPENABLE))
def test_the_change_detection_never_crashes_on_a_return_it_cannot_open(tmp_path, monkeypatch, case):
    from helpers.pipeline.plan import plan_run

    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    folder = paths.raw_year(YEAR)
    for agency in AGENCIES:
        write_xlsx(folder / "activities" / f"{agency}.xlsx", activity())
    write_xlsx(folder / "cooperatives.xlsx", register())
    write_xlsx(folder / "groups.xlsx", groups())
    _make_unopenable(case, folder, monkeypatch)
    [plan] = plan_run(paths, [YEAR], "vi", False)
    assert plan.year == YEAR and plan.stages == [1, 2, 3, 4]


@pytest.mark.parametrize("case", ["no_permission", "held_by_excel"])
def test_check_says_what_to_do_in_vietnamese_not_the_system_error(tmp_path, monkeypatch, capsys, case):
    from helpers.pipeline.check import check_path

    path = write_xlsx(tmp_path / "HND.xlsx", activity())
    _refuse_to_open(monkeypatch, path, UNOPENABLE[case][0]())
    assert check_path(path) == 2
    said = capsys.readouterr().out
    assert UNOPENABLE[case][1] in said and UNOPENABLE[case][2] in said
    assert not ENGLISH_OS_WORDS.search(said) and "lưu lại dạng .xlsx" not in said


def test_check_of_a_year_with_a_folder_and_a_broken_link_named_like_returns_exits_2(year_folder):
    _broken_link(year_folder)
    (year_folder / "groups.xlsx").unlink()
    (year_folder / "groups.xlsx").mkdir()
    result = run_cli("check", str(year_folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "activities/HND.xlsx" in result.stdout and "groups.xlsx" in result.stdout
    assert "không còn ở đó" in result.stdout and "là một thư mục" in result.stdout


# -- a header repeated inside the table, and a column-number row wherever it stands, are no data -----------


def test_a_header_and_column_numbers_repeated_inside_the_table_are_not_data(tmp_path):
    header = ["STT", "Đơn vị", "Số buổi tập huấn", "Số lượt người tham dự"]
    numbers = ["(1)", "(2)", "(3)", "(4)"]
    rows = [header, numbers, [1, "Nho Quan", 10, 100], header, numbers, [2, "Gia Viễn", 20, 200], [1, 2, 3, 4]]
    rows += [[3, "Yên Mô", 30, 300]]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert not read.rejects and values(read, "training_attendance") == {"372": 100, "373": 200, "377": 300}
    kinds = ["header", "column_numbers", "accepted", "header", "column_numbers", "accepted", "column_numbers"]
    assert read.row_kinds == [*kinds, "accepted"]


def test_a_register_header_repeated_on_a_printed_page_is_not_a_section(tmp_path):
    from test_returns import REGISTER_HEADER
    from test_returns import register as register_return

    numbers = [f"({i})" for i in range(1, len(REGISTER_HEADER) + 1)]
    cooperative = [1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"]
    other = [2, "HTX B", "02", "Kim Sơn", "Vận tải", "2016", "Đang hoạt động", None, 8, 80, -3, "Khá"]
    read = register_return(tmp_path, numbers, cooperative, REGISTER_HEADER, numbers, other)
    assert not read.rejects and [r["name"] for r in read.records] == ["HTX A", "HTX B"]
    assert read.kind_counts()["header"] == 2 and read.kind_counts()["column_numbers"] == 2


# -- every visible sheet is accounted for -------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


HND_TABLE = [["HỘI NÔNG DÂN"], ["STT", "Đơn vị", "Số buổi tập huấn"], [1, "Nho Quan", 10], [2, "Gia Viễn", 20]]
HCCB_TABLE = [["HỘI CỰU CHIẾN BINH"], ["STT", "Đơn vị", "Số buổi tập huấn"], [1, "Nho Quan", 7], [2, "Kim Sơn", 3]]


def test_a_second_sheet_holding_another_agencys_return_is_named_and_check_is_not_ok(tmp_path, capsys):
    from helpers.pipeline.check import check_path

    path = _workbook(tmp_path / "HND.xlsx", {"HND": HND_TABLE, "HCCB": HCCB_TABLE, "Ghi chú": [["Người lập biểu"]]})
    read = read01(path)
    assert values(read, "training_sessions") == {"372": 10, "373": 20}
    [warning] = read.warnings
    assert "'HCCB'" in warning and "mỗi cơ quan gửi một tệp riêng" in warning
    assert check_path(path) == 0
    said = capsys.readouterr().out
    assert "HCCB" in said and "ĐẠT" not in said


def test_a_sheet_named_for_the_form_is_read_and_another_holding_the_form_is_named(tmp_path):
    path = _workbook(tmp_path / "HND.xlsx", {"Bản cũ": HCCB_TABLE, "Biểu 01": HND_TABLE})
    read = read01(path)
    assert values(read, "training_sessions") == {"372": 10, "373": 20}
    assert len(read.warnings) == 1 and "'Bản cũ'" in read.warnings[0]


def test_a_register_sheet_not_read_is_named(tmp_path):
    from test_returns import REGISTER_HEADER

    def cooperative(number, district):
        return [number, f"HTX {number}", f"0{number}", district, "Nông nghiệp", "2015", "Đang hoạt động"]

    path = _workbook(
        tmp_path / "cooperatives.xlsx",
        {
            "Biểu 02": [REGISTER_HEADER, cooperative(1, "Yên Mô")],
            "Kim Sơn": [REGISTER_HEADER, cooperative(2, "Kim Sơn")],
            "Danh mục": [["Lĩnh vực"], ["Nông nghiệp"], ["Vận tải"]],
        },
    )
    read = read_return(path, "cooperatives.xlsx", "02", reference=SHIPPED, year=YEAR)
    assert [r["name"] for r in read.records] == ["HTX 1"]
    [warning] = read.warnings
    assert "'Kim Sơn'" in warning and "Biểu 02" in warning


def test_a_register_split_over_sheets_is_read_as_one_register_and_the_ledger_names_each_sheet(tmp_path):
    from helpers.clean.outputs import check_ledger, ledger_table
    from helpers.clean.year import YearClean, add_read
    from test_returns import REGISTER_HEADER

    def cooperative(number, reg_no, district):
        return [number, f"HTX {number}", reg_no, district, "Nông nghiệp", "2015", "Đang hoạt động"]

    path = _workbook(
        tmp_path / "cooperatives.xlsx",
        {
            "Bìa": [["DANH SÁCH HỢP TÁC XÃ TỈNH NINH BÌNH NĂM 2017"], ["Liên minh HTX tỉnh"]],
            "Yên Mô": [
                ["HUYỆN YÊN MÔ"],
                REGISTER_HEADER,
                cooperative(1, "0101", "Yên Mô"),
                cooperative(2, "0102", "Yên Mô"),
            ],
            "Kim Sơn": [REGISTER_HEADER, cooperative(1, "0201", "Kim Sơn"), cooperative(2, "01.02", "Kim Sơn")],
        },
    )
    read = read_return(path, "cooperatives.xlsx", "02", reference=SHIPPED, year=YEAR)
    result = YearClean(year=YEAR, reference=SHIPPED)
    add_read(result, read)
    check_ledger(result)
    assert [r.sheet for r in result.reads] == ["Yên Mô", "Kim Sơn"]
    assert sorted((r.sheet, rec["reg_no"]) for r in result.reads for rec in r.records) == [
        ("Kim Sơn", "0201"),
        ("Yên Mô", "0101"),
    ]
    # the same cooperative on both sheets (0102 and 01.02): both rejected, each naming the other's sheet and row
    rejects = sorted((r.sheet, r.row) for read in result.reads for r in read.rejects)
    assert rejects == [("Kim Sơn", 3), ("Yên Mô", 4)]
    assert all("Yên Mô › 4" in r.reason and "Kim Sơn › 3" in r.reason for read in result.reads for r in read.rejects)
    ledger = ledger_table(result)
    assert list(ledger["sheet"]) == ["Yên Mô", "Kim Sơn"] and list(ledger["accepted"]) == [1, 1]


def test_a_second_sheet_holding_a_groups_table_is_named(tmp_path):
    table = [["Đơn vị", "Số THT", "Số thành viên THT"], ["Nho Quan", 12, 150], ["Kim Sơn", 8, 90]]
    path = _workbook(tmp_path / "groups.xlsx", {"Năm 2017": table, "Năm 2016": table})
    read = read_return(path, "groups.xlsx", "03", reference=SHIPPED, year=YEAR)
    assert len(read.records) == 2 and len(read.warnings) == 1
    assert "'Năm 2016'" in read.warnings[0] and "mỗi tệp chỉ có một bảng" in read.warnings[0]
