"""Issue 8: every oddity of a hand-typed return is read right or rejected, never guessed.

Each case of the issue is built here from code (no shipped file): note rows and
period lines inside the table, Excel error values (typed, saved formula
results, .xlsx, .xls, .ods, CSV), hidden sheets, a rejected last row, numbers
that could be read two ways, two-row headers with plan and result, and what
``coop-review check`` says about them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ACTIVITY_HEADER, activity_rows, run_cli, write_csv, write_xlsx
from helpers.errors import FileProblem
from helpers.read.returns import read_return
from test_returns import REGISTER_HEADER, SHIPPED, read01, register, rejected_rows, values

GOOD_ROWS = [
    [1, "Nho Quan", 10, 100, "1,5"],
    [2, "Gia Viễn", 20, 200, "2,5"],
    [3, "Yên Mô", 30, 300, "3,5"],
]
TOTALS = [None, "Tổng cộng", 60, 600, "7,5"]


def totals_agree(read) -> bool:
    return bool(read.totals) and all(check.agrees for check in read.totals)


# -- 1. rows that are not data never end the table ------------------------------------------


def test_a_note_row_between_two_districts_does_not_end_the_table(tmp_path):
    note = [None, "Ghi chú: số liệu huyện Yên Mô là số ước tính"]
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows(GOOD_ROWS[0], GOOD_ROWS[1], note, GOOD_ROWS[2], TOTALS))
    read = read01(path)
    assert values(read, "training_sessions") == {"372": 10, "373": 20, "377": 30}
    counts = read.kind_counts()
    assert (counts["accepted"], counts["note"], counts["totals"], counts["footer"]) == (3, 1, 1, 0)
    assert totals_agree(read)


@pytest.mark.parametrize("where", ["A", "B", "C", "merged"])
def test_a_period_line_right_under_the_header_is_a_note(tmp_path, where):
    period = "(Số liệu từ ngày 01 tháng 01 năm 2017 đến ngày 31 tháng 12 năm 2017)"
    line = {"A": [period], "B": [None, period], "C": [None, None, period], "merged": [period]}[where]
    merged = ("A5:E5",) if where == "merged" else ()
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows(line, *GOOD_ROWS, TOTALS), merged=merged)
    read = read01(path)
    assert read.kind_counts()["accepted"] == 3, read.row_kinds
    assert read.row_kinds[4] == "note" and read.kind_counts()["header"] == 1
    assert totals_agree(read)


def test_a_footer_marker_in_the_middle_of_the_data_is_a_note(tmp_path):
    rows = activity_rows(
        GOOD_ROWS[0],
        [None, "Người lập biểu"],
        ["Ninh Bình, ngày 10 tháng 01 năm 2018"],
        *GOOD_ROWS[1:],
        TOTALS,
        [None, "Người lập biểu", None, "Thủ trưởng đơn vị"],
        [None, "Nguyễn Văn An", None, "Trần Thị Bình"],
    )
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    counts = read.kind_counts()
    assert (counts["accepted"], counts["note"], counts["footer"], counts["rejected"]) == (3, 2, 2, 0)
    assert totals_agree(read)


def test_a_note_inside_a_register_section_keeps_the_section_going(tmp_path):
    header = [c for c in REGISTER_HEADER if c != "Huyện/thành phố"]
    rows = [["I", "Huyện Yên Mô", *[None] * 10]]
    rows += [
        [i, f"HTX A{i}", f"0{i}", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"] for i in range(1, 4)
    ]
    rows += [[None, "Ghi chú: các HTX dưới đây chưa nộp báo cáo tài chính", *[None] * 10]]
    rows += [
        [i, f"HTX B{i}", f"1{i}", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Khá"] for i in range(4, 7)
    ]
    rows += [["Lưu ý: số liệu tính đến 31/12/2017"]]
    rows += [[i, f"HTX C{i}", f"2{i}", "Vận tải", "2016", "Đang hoạt động", None, 8, 80, 4, "Khá"] for i in range(7, 9)]
    read = register(tmp_path, *rows, header=header)
    assert not read.rejects
    assert [r["district"] for r in read.records] == ["377"] * 8
    assert read.kind_counts()["note"] == 2 and read.kind_counts()["section"] == 1


def test_register_signatures_after_the_data_are_footer_not_rejects(tmp_path):
    rows = [[1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"]]
    rows += [
        [None, "Người lập biểu", None, None, None, None, None, None, None, "Thủ trưởng đơn vị"],
        [None, "Nguyễn Văn An", None, None, None, None, None, None, None, "Trần Thị Bình"],
    ]
    read = register(tmp_path, *rows)
    assert not read.rejects and read.kind_counts()["footer"] == 2


def test_a_name_alone_inside_the_register_is_a_section_and_never_moves_its_rows(tmp_path):
    """A typo in a section row (no ordinal) must not put the cooperatives under it into the previous district."""
    header = [c for c in REGISTER_HEADER if c != "Huyện/thành phố"]
    rows = [
        ["I", "Huyện Yên Mô", *[None] * 10],
        [1, "HTX A", "01", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"],
    ]
    rows += [
        [None, "Huyện Kim Sơnn", *[None] * 10],
        [2, "HTX B", "02", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"],
    ]
    read = register(tmp_path, *rows, header=header)
    assert [r["name"] for r in read.records] == ["HTX A"]
    assert rejected_rows(read) == [5, 6]


# -- 2. Excel error values --------------------------------------------------------------------


def _set_cell_xml(path: Path, ref: str, xml: str) -> None:
    """Replace one cell of the first worksheet of an xlsx by raw XML (a formula with its saved result)."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts[member].decode()
    sheet, count = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml, sheet, count=1)
    assert count == 1
    parts[member] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A", "#VALUE!"])
def test_a_typed_excel_error_rejects_its_row(tmp_path, error):
    path = write_xlsx(
        tmp_path / "HND.xlsx", activity_rows(GOOD_ROWS[0], [2, "Gia Viễn", error, 200, "2,5"], GOOD_ROWS[2])
    )
    read = read01(path)
    assert rejected_rows(read) == [6]
    [reject] = read.rejects
    assert reject.column == "Số buổi tập huấn" and reject.value == error and f"lỗi Excel {error}" in reject.reason
    assert values(read, "training_sessions") == {"372": 10, "377": 30}


def test_a_saved_formula_error_in_xlsx_rejects_its_row(tmp_path):
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows(*GOOD_ROWS))
    _set_cell_xml(path, "D6", '<c r="D6" t="e"><f>C6/0</f><v>#DIV/0!</v></c>')
    read = read01(path)
    assert rejected_rows(read) == [6] and "#DIV/0!" in read.rejects[0].reason


def test_excel_errors_in_a_csv_and_in_the_register(tmp_path):
    path = write_csv(tmp_path / "HND.csv", activity_rows(GOOD_ROWS[0], [2, "Gia Viễn", "#N/A", 200, None]))
    assert rejected_rows(read01(path)) == [6]
    read = register(
        tmp_path, [1, "#REF!", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, "#DIV/0!", 5, "Tốt"]
    )
    assert {r.column for r in read.rejects} == {"Tên HTX", "Doanh thu (triệu đồng)"}
    assert all("lỗi Excel" in r.reason for r in read.rejects)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(path: Path, suffix: str) -> Path:
    """Save a workbook as another format with headless LibreOffice (which recalculates formulas)."""
    office = _soffice()
    if office is None:
        pytest.skip("needs LibreOffice (apt-get install libreoffice-calc); CI installs it")
    out = path.parent / "converted"
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{path.parent / 'lo-profile'}",
            "--convert-to",
            suffix.lstrip("."),
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / f"{path.stem}{suffix}"


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".xls", ".ods", ".xlsx"])
def test_formula_errors_saved_by_libreoffice_reject_their_row(tmp_path, suffix):
    rows = activity_rows(
        GOOD_ROWS[0], [2, "Gia Viễn", "=1/0", "=NA()", "2,5"], [3, "Yên Mô", 30, "=#REF!", "3,5"], TOTALS
    )
    source = write_xlsx(tmp_path / "src" / "HND.xlsx", rows)
    path = _convert(source, suffix)
    read = read_return(path, f"activities/{path.name}", "01", reference=SHIPPED, agency="HND", year=2017)
    assert rejected_rows(read) == [6, 7]
    assert sorted(r.value for r in read.rejects) == ["#DIV/0!", "#N/A", "#REF!"]
    assert values(read, "training_sessions") == {"372": 10}


# -- 3. hidden sheets ---------------------------------------------------------------------------


def _with_hidden_draft(
    path: Path, rows: list[list], title: str = "Nháp", position: int = 0, draft_title: str | None = None
) -> Path:
    """Add a hidden sheet holding a draft of the table with other numbers."""
    workbook = openpyxl.load_workbook(path)
    draft = workbook.create_sheet(draft_title or title, position)
    for row in rows:
        draft.append([cell * 7 if isinstance(cell, int) and cell > 3 else cell for cell in row])
    draft.sheet_state = "hidden"
    workbook.save(path)
    return path


def test_a_hidden_first_sheet_is_never_read(tmp_path):
    rows = activity_rows(*GOOD_ROWS)
    path = _with_hidden_draft(write_xlsx(tmp_path / "HND.xlsx", rows), rows)
    read = read01(path)
    assert read.sheet == "Sheet1"
    assert values(read, "training_sessions") == {"372": 10, "373": 20, "377": 30}
    assert any("trang tính ẩn ('Nháp')" in warning for warning in read.warnings)


def test_a_hidden_sheet_named_bieu_is_not_read(tmp_path):
    rows = activity_rows(*GOOD_ROWS)
    path = _with_hidden_draft(write_xlsx(tmp_path / "HND.xlsx", rows), rows, draft_title="Biểu 01", position=1)
    read = read01(path)
    assert read.sheet == "Sheet1" and values(read, "training_sessions")["372"] == 10


def test_a_workbook_with_only_hidden_sheets_cannot_be_used(tmp_path):
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows(*GOOD_ROWS))
    with zipfile.ZipFile(path) as archive:  # Excel will not save this; a program can write it
        parts = {name: archive.read(name) for name in archive.namelist()}
    workbook_xml = parts["xl/workbook.xml"].replace(b'state="visible"', b"")
    parts["xl/workbook.xml"] = workbook_xml.replace(b"<sheet ", b'<sheet state="hidden" ')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(FileProblem, match="mọi trang tính của tệp đều bị ẩn"):
        read01(path)


def test_hidden_rows_and_columns_are_read_and_reported(tmp_path):
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows(*GOOD_ROWS))
    workbook = openpyxl.load_workbook(path)
    workbook.active.row_dimensions[6].hidden = True
    workbook.active.column_dimensions["D"].hidden = True
    workbook.save(path)
    read = read01(path)
    assert values(read, "training_attendance") == {"372": 100, "373": 200, "377": 300}
    assert any("các dòng 6 của bảng bị ẩn" in w for w in read.warnings)
    assert any("các cột D ('Số lượt người tham dự') bị ẩn" in w for w in read.warnings)


# -- 4. a rejected last row is never swallowed into the footer --------------------------------


@pytest.mark.parametrize("with_footer", [False, True])
def test_a_last_row_of_unit_text_is_rejected_not_footer(tmp_path, with_footer):
    last = [3, "Yên Mô", "80 buổi", "8000 lượt người", "3 tấn"]
    footer = [[None, "Ninh Bình, ngày 10 tháng 01 năm 2018"], [None, "Người lập biểu"]] if with_footer else []
    read = read01(write_xlsx(tmp_path / "HND.xlsx", activity_rows(*GOOD_ROWS[:2], last, *footer)))
    assert rejected_rows(read) == [7]
    assert {r.column for r in read.rejects} == {"Số buổi tập huấn", "Số lượt người tham dự", "Phân bón trả chậm"}
    assert read.kind_counts()["footer"] == len(footer)


# -- 5. numbers that are not guessed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ([1, "Nho Quan", 10, 100, "0.500"], "Phân bón trả chậm", "không rõ nghĩa"),
        ([1, "Nho Quan", 10, 100, "0,500"], "Phân bón trả chậm", "không rõ nghĩa"),
        ([1, "Nho Quan", 10, "1,000", 5], "Số lượt người tham dự", "không rõ nghĩa"),
        ([1, "Nho Quan", "5,285", 100, 5], "Số buổi tập huấn", "gõ 5285 hoặc 5.285"),
        ([1, "Nho Quan", "4730,5", 100, 5], "Số buổi tập huấn", "có phần thập phân"),
        ([1, "Nho Quan", 4730.5, 100, 5], "Số buổi tập huấn", "có phần thập phân"),
        ([1, "Nho Quan", "20%", 100, 5], "Số buổi tập huấn", "phần trăm"),
    ],
)
def test_numbers_that_could_mean_two_things_are_rejected(tmp_path, row, column, fragment):
    read = read01(write_xlsx(tmp_path / "HND.xlsx", activity_rows(row)))
    [reject] = read.rejects
    assert reject.column == column and fragment in reject.reason
    assert reject.unit == "Nho Quan"


def test_a_percent_formatted_cell_is_rejected(tmp_path):
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows(*GOOD_ROWS))
    workbook = openpyxl.load_workbook(path)
    workbook.active["C5"] = 0.2
    workbook.active["C5"].number_format = "0%"
    workbook.save(path)
    read = read01(path)
    assert rejected_rows(read) == [5] and "phần trăm (hiển thị 20%)" in read.rejects[0].reason


def test_amounts_keep_their_decimals_and_counts_are_whole(tmp_path):
    read = read01(
        write_xlsx(
            tmp_path / "HND.xlsx",
            activity_rows([1, "Nho Quan", "4.730", "273.219", "5.207,5"], [2, "Kim Sơn", 12.0, "1.000", 0.5]),
        )
    )
    assert not read.rejects
    assert values(read, "deferred_fertilizer_t") == {"372": 5207.5, "376": 0.5}
    assert values(read, "training_attendance") == {"372": 273219, "376": 1000}


# -- 6. two-row headers with plan and result, duplicate columns -------------------------------


@pytest.mark.parametrize(("plan", "result"), [("Kế hoạch", "Thực hiện"), ("KH", "TH"), ("Chỉ tiêu", "Kết quả")])
def test_the_result_column_is_the_indicator_and_the_plan_column_is_ignored(tmp_path, plan, result):
    rows = [
        ["BÁO CÁO NĂM 2017"],
        ["STT", "Đơn vị", "Số buổi tập huấn", None, "Số lượt người tham dự"],
        [None, None, plan, result, None],
        [1, "Nho Quan", 12, 10, 100],
        [2, "Kim Sơn", 25, 20, 200],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("A2:A3", "B2:B3", "C2:D2", "E2:E3")))
    assert values(read, "training_sessions") == {"372": 10, "376": 20}
    assert values(read, "training_attendance") == {"372": 100, "376": 200}
    [(letter, label, reason)] = read.ignored_columns
    assert letter == "C" and plan in label and "kế hoạch" in reason


def test_plan_and_result_as_groups_over_the_indicators(tmp_path):
    rows = [
        ["STT", "Đơn vị", "Kế hoạch", None, "Thực hiện", None],
        [None, None, "Số buổi tập huấn", "Số lượt người tham dự", "Số buổi tập huấn", "Số lượt người tham dự"],
        [1, "Nho Quan", 12, 120, 10, 100],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("A1:A2", "B1:B2", "C1:D1", "E1:F1")))
    assert values(read, "training_sessions") == {"372": 10} and values(read, "training_attendance") == {"372": 100}
    assert [letter for letter, _, _ in read.ignored_columns] == ["C", "D"]


def test_two_visible_columns_for_one_indicator_make_it_unusable(tmp_path):
    rows = activity_rows([1, "Nho Quan", 10, 100, 5])
    rows[3] = [*ACTIVITY_HEADER, "Số buổi tập huấn"]
    rows[4] = [1, "Nho Quan", 10, 100, 5, 12]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert values(read, "training_sessions") == {}
    assert values(read, "training_attendance") == {"372": 100}
    [problem] = read.problems
    assert "các cột C" in problem.problem and "F" in problem.problem


def test_a_hidden_duplicate_column_is_ignored_and_the_visible_one_read(tmp_path):
    rows = [
        ["STT", "Đơn vị", "Số buổi tập huấn", "Số buổi tập huấn", "Số lượt người tham dự"],
        [1, "Nho Quan", 99, 10, 100],
    ]
    path = write_xlsx(tmp_path / "HND.xlsx", rows)
    workbook = openpyxl.load_workbook(path)
    workbook.active.column_dimensions["C"].hidden = True
    workbook.save(path)
    read = read01(path)
    assert values(read, "training_sessions") == {"372": 10}
    assert not read.problems
    assert any(letter == "C" and "cột ẩn" in reason for letter, _, reason in read.ignored_columns)


def test_an_unusable_column_is_an_error_of_the_year(tmp_path):
    from helpers.clean.year import clean_year

    year = tmp_path / "2017"
    rows = activity_rows([1, "Nho Quan", 10, 100, 5])
    rows[3] = [*ACTIVITY_HEADER, "Số buổi tập huấn"]
    write_xlsx(year / "activities" / "HND.xlsx", rows)
    result = clean_year(year, 2017, reference=SHIPPED)
    assert any(
        "đều được hiểu là 'Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề'" in p.problem and p.severity == "error"
        for p in result.problems
    )


# -- the title year, for every template -------------------------------------------------------


def test_a_register_titled_at_31_12_of_another_year_is_flagged(tmp_path):
    path = write_xlsx(
        tmp_path / "cooperatives.xlsx",
        [
            ["DANH SÁCH HTX ĐẾN 31/12/2016"],
            REGISTER_HEADER,
            [1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"],
        ],
    )
    read = read_return(path, "cooperatives.xlsx", "02", reference=SHIPPED, year=2017)
    assert any("2016" in w and "thư mục năm 2017" in w for w in read.warnings)


# -- coop-review check ------------------------------------------------------------------------


def test_check_reports_a_bad_totals_cell_and_explains_a_disagreement_once(tmp_path):
    rows = activity_rows(
        GOOD_ROWS[0], [2, "Gia Viễn", "nhiều", 200, "2,5"], GOOD_ROWS[2], [None, "Tổng cộng", 60, 600, "#REF!"]
    )
    path = write_xlsx(tmp_path / "2017" / "activities" / "HND.xlsx", rows)
    result = run_cli("check", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'dòng 8 (dòng tổng) › "Phân bón trả chậm": ô hiển thị lỗi Excel #REF!' in result.stdout
    lines = [line for line in result.stdout.splitlines() if "lệch với tổng các dòng" in line]
    assert len(lines) == 1 and "dòng 6 bị loại" in lines[0]
    assert "OK" not in result.stdout


def test_check_never_says_ok_when_no_data_row_was_found(tmp_path):
    rows = [["BÁO CÁO NĂM 2017"], ACTIVITY_HEADER, [None, "Chưa có số liệu"]]
    path = write_xlsx(tmp_path / "2017" / "activities" / "HND.xlsx", rows)
    result = run_cli("check", str(path))
    assert result.returncode == 2 and "không tìm thấy dòng dữ liệu nào" in result.stdout and "ĐẠT" not in result.stdout


def test_check_says_ok_for_a_return_with_notes_inside(tmp_path):
    period = ["(Số liệu từ ngày 01 tháng 01 năm 2017 đến ngày 31 tháng 12 năm 2017)"]
    rows = activity_rows(
        period, GOOD_ROWS[0], [None, "Ghi chú: số liệu huyện Yên Mô là số ước tính"], *GOOD_ROWS[1:], TOTALS
    )
    path = write_xlsx(tmp_path / "2017" / "activities" / "HND.xlsx", rows)
    result = run_cli("check", str(path))
    assert result.returncode == 0 and "ĐẠT: mọi dòng đều được ghi nhận" in result.stdout, result.stdout


@pytest.mark.slow
def test_a_year_copied_from_last_year_is_named_on_the_console_for_every_file(tmp_path):
    """Issue 11: the title-year notice for every template, on the console of `run` and of `check`."""
    from conftest import SAMPLE_RAW

    data = tmp_path / "data"
    shutil.copytree(SAMPLE_RAW / "2022", data / "raw" / "2023")
    files = sorted(p.relative_to(data / "raw" / "2023").as_posix() for p in (data / "raw" / "2023").rglob("*.xlsx"))
    checked = run_cli("check", str(data / "raw" / "2023"))
    built = run_cli("run", "2023", "--data", str(data), "--reports", str(tmp_path / "reports"))
    assert built.returncode == 0, built.stdout + built.stderr
    from helpers.messages import message

    notice = message("returns.title_year", title_years="2022", year=2023)
    _, _, summary = built.stdout.partition(message("runner.summary"))
    for file in files:
        assert f"{file}: {notice}" in checked.stdout, file
        assert f"2023 › {file}: {notice}" in summary, file


# -- returns written independently (a red-team pass): other wordings, other places -------------


def test_a_group_of_another_meaning_over_standard_labels_is_not_that_indicator(tmp_path):
    """`Chuyển giao KHKT` over `Số buổi tập huấn | Số lượt người tham dự` is tech transfer, never training."""
    rows = [
        ["STT", "Đơn vị", "Chuyển giao KHKT", None, "Bản tin"],
        [None, None, "Số buổi tập huấn", "Số lượt người tham dự", None],
        [1, "Nho Quan", 80, 800, 4],
    ]
    read = read01(write_xlsx(tmp_path / "HCCB.xlsx", rows, merged=("A1:A2", "B1:B2", "C1:D1", "E1:E2")))
    assert values(read, "training_sessions") == {} and values(read, "training_attendance") == {}
    assert values(read, "newsletters_issued") == {"372": 4}
    assert [letter for letter, _, _ in read.ignored_columns] == ["C", "D"]


def test_a_standard_column_beside_a_group_of_the_same_indicator_is_an_error(tmp_path):
    rows = [
        ["STT", "Đơn vị", "Tập huấn, bồi dưỡng", None, "Số buổi tập huấn"],
        [None, None, "Số buổi", "Số lượt người", None],
        [1, "Nho Quan", 80, 800, 88],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("A1:A2", "B1:B2", "C1:D1", "E1:E2")))
    assert values(read, "training_sessions") == {} and values(read, "training_attendance") == {"372": 800}
    assert len(read.problems) == 1 and "các cột C" in read.problems[0].problem


@pytest.mark.parametrize("merged", [(), ("C1:D1",)])
def test_last_year_and_this_year_under_one_label_are_an_error_not_a_guess(tmp_path, merged):
    rows = [
        ["STT", "Đơn vị", "Số buổi tập huấn", None],
        [None, None, "Cùng kỳ năm trước", "Năm nay"],
        [1, "Nho Quan", 56, 80],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=merged))
    assert values(read, "training_sessions") == {} and read.problems


def test_an_old_copy_of_the_sheet_is_not_the_return(tmp_path):
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows([1, "Nho Quan", 56, 560, 1]), sheet_title="Biểu 01 (cũ)")
    workbook = openpyxl.load_workbook(path)
    new = workbook.create_sheet("Biểu 01")
    for row in activity_rows([1, "Nho Quan", 80, 800, 1]):
        new.append(row)
    workbook.save(path)
    read = read01(path)
    assert read.sheet == "Biểu 01" and values(read, "training_sessions") == {"372": 80}


@pytest.mark.parametrize(
    ("label", "unit"), [("Phân bón trả chậm (kg)", "kg"), ("Phân bón cung ứng trả chậm (triệu đồng)", "triệu đồng")]
)
def test_a_column_in_another_unit_is_not_read(tmp_path, label, unit):
    rows = [["STT", "Đơn vị", "Số buổi tập huấn", label], [1, "Nho Quan", 10, 12000]]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert values(read, "deferred_fertilizer_t") == {} and values(read, "training_sessions") == {"372": 10}
    assert any(f"tính bằng {unit}" in p.problem for p in read.problems)


def test_register_money_in_billions_is_not_read_as_millions(tmp_path):
    header = [c if c != "Doanh thu (triệu đồng)" else "Doanh thu (tỷ đồng)" for c in REGISTER_HEADER]
    read = register(
        tmp_path,
        [1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, "1,5", 5, "Tốt"],
        header=header,
    )
    assert read.records[0]["revenue_mvnd"] is None and any("tỷ đồng" in p.problem for p in read.problems)


def test_a_section_row_carrying_subtotals_still_sets_the_district(tmp_path):
    header = [c for c in REGISTER_HEADER if c != "Huyện/thành phố"]
    rows = [["I", "Huyện Yên Mô", None, None, None, None, None, 110, 1100, None, None]]
    rows += [
        [1, "HTX A", "01", "Nông nghiệp", "2015", "Đang hoạt động", None, 60, 600, 5, "Tốt"],
        [2, "HTX B", "02", "Nông nghiệp", "2015", "Đang hoạt động", None, 50, 500, 5, "Tốt"],
    ]
    rows += [
        ["II", "Huyện Kim Sơn", None, None, None, None, None, 30, 300, None, None],
        [3, "HTX C", "03", "Nông nghiệp", "2015", "Đang hoạt động", None, 30, 300, 5, "Tốt"],
    ]
    read = register(tmp_path, *rows, header=header)
    assert [(r["name"], r["district"]) for r in read.records] == [("HTX A", "377"), ("HTX B", "377"), ("HTX C", "376")]
    assert read.kind_counts()["section"] == 2 and any("có số" in w for w in read.warnings)


def test_a_last_cooperative_with_only_its_name_is_rejected_not_footer(tmp_path):
    rows = [
        [1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"],
        [2, "HTX dịch vụ nông nghiệp Yên Mạc"],
    ]
    rows += [[None, "Người lập biểu"], [None, "Nguyễn Văn An"]]
    read = register(tmp_path, *rows)
    assert rejected_rows(read) == [4] and read.kind_counts()["footer"] == 2


def test_a_decimal_comma_splitting_a_comma_separated_row_rejects_the_row(tmp_path):
    path = tmp_path / "HND.csv"
    text = "STT,Đơn vị,Phân bón trả chậm,Bản tin phát hành\n1,Nho Quan,100,5\n2,Kim Sơn,1207,5,6\n"
    path.write_text(text, encoding="utf-8")
    read = read01(path)
    assert values(read, "deferred_fertilizer_t") == {"372": 100} and rejected_rows(read) == [3]
    assert "bị tách thành hai ô" in read.rejects[0].reason


def test_bulleted_lines_under_trong_do_stay_in_the_breakdown(tmp_path):
    rows = activity_rows(
        [1, "Cấp tỉnh", 30, 300, 1],
        [None, "Trong đó: tổ chức tại các huyện"],
        [None, "- Nho Quan", 10, 100, None],
        [None, "- Kim Sơn", 5, 50, None],
        [2, "Yên Mô", 10, 100, 1],
    )
    read = read01(write_xlsx(tmp_path / "LMHTX.xlsx", rows))
    assert values(read, "training_sessions") == {"TINH": 30, "377": 10}
    assert rejected_rows(read) == [7, 8]


def test_the_same_reg_no_typed_with_spaces_is_a_duplicate(tmp_path):
    rows = [[1, "HTX A", "2707209432", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"]]
    rows += [
        [
            2,
            "HTX Nông nghiệp A",
            "2707 209 432",
            "Yên Mô",
            "Nông nghiệp",
            "2015",
            "Đang hoạt động",
            None,
            10,
            100,
            5,
            "Tốt",
        ]
    ]
    assert rejected_rows(register(tmp_path, *rows)) == [3, 4]


@pytest.mark.parametrize("typed", ["12 5", "4 73", " 5 2 "])
def test_spaces_that_are_not_thousands_separators_are_rejected(tmp_path, typed):
    read = read01(write_xlsx(tmp_path / "HND.xlsx", activity_rows([1, "Nho Quan", typed, 100, 1])))
    assert rejected_rows(read) == [5]


def test_plan_result_and_ratio_columns_with_years(tmp_path):
    rows = [
        ["STT", "Đơn vị", "Kế hoạch năm 2017", "Thực hiện năm 2017", "Tỷ lệ (%)"],
        [None, None, "Số buổi tập huấn", "Số buổi tập huấn", "Số buổi tập huấn"],
        [1, "Nho Quan", 100, 80, 80],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("A1:A2", "B1:B2")))
    assert values(read, "training_sessions") == {"372": 80} and not read.problems


def test_notes_with_digits_in_value_columns_and_a_numbered_totals_row(tmp_path):
    rows = activity_rows(
        [None, None, "Số liệu tính đến 31/12/2017"],
        *GOOD_ROWS,
        [9, "Tổng cộng", 60, 600, "7,5"],
        [None, None, None, "Ninh Bình, 10/01/2018"],
    )
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    counts = read.kind_counts()
    assert (counts["accepted"], counts["rejected"], counts["totals"], counts["note"], counts["footer"]) == (
        3,
        0,
        1,
        1,
        1,
    )
    assert totals_agree(read)


@pytest.mark.parametrize(("typed", "value"), [(">1000", 1000), ("<50", 50), ("dưới 50", 50), ("≈ 300", 300)])
def test_symbols_and_words_of_approximation(tmp_path, typed, value):
    read = read01(write_xlsx(tmp_path / "HND.xlsx", activity_rows([1, "Nho Quan", typed, 100, 1])))
    assert values(read, "training_sessions") == {"372": value} and read.approximate


def test_a_subtitle_naming_the_province_office_is_no_duplicate(tmp_path):
    rows = activity_rows(["I", "Cấp tỉnh"], [1, "Văn phòng tỉnh", 30, 300, 1], ["II", "Cấp huyện"], *GOOD_ROWS)
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert values(read, "training_sessions") == {"TINH": 30, "372": 10, "373": 20, "377": 30} and not read.rejects


def test_a_unit_cell_merged_over_two_rows_makes_both_rows_that_unit(tmp_path):
    rows = activity_rows(GOOD_ROWS[0], [2, "Kim Sơn", 10, 100, 1], [None, None, 5, 50, 1], GOOD_ROWS[2])
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("B6:B7",)))
    assert rejected_rows(read) == [6, 7] and "có ở các dòng 6, 7" in read.rejects[0].reason


def test_column_numbers_under_a_period_line(tmp_path):
    rows = activity_rows(["(Số liệu từ ngày 01/01/2017 đến ngày 31/12/2017)"], [1, 2, 3, 4, 5], *GOOD_ROWS)
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert read.kind_counts()["column_numbers"] == 1 and not read.rejects and read.kind_counts()["accepted"] == 3


def test_a_label_merged_down_is_no_group_for_the_sub_cells_beside_it(tmp_path):
    rows = [
        ["STT", "Đơn vị", "Phân bón trả chậm", None, None],
        [None, None, None, "Số buổi", "Số lượt người"],
        [1, "Nho Quan", 24, 80, 800],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("A1:A2", "B1:B2", "C1:C2")))
    assert values(read, "deferred_fertilizer_t") == {"372": 24} and values(read, "training_sessions") == {}


def test_an_iferror_formula_whose_saved_result_is_empty_is_not_reported(tmp_path):
    path = write_xlsx(tmp_path / "HND.xlsx", activity_rows(*GOOD_ROWS))
    _set_cell_xml(path, "C5", '<c r="C5" t="str"><f>IFERROR(1/0,"")</f><v></v></c>')
    read = read01(path)
    assert not read.rejects and values(read, "training_sessions") == {"373": 20, "377": 30}
