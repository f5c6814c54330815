"""A corpus of bad returns, each built by code in a year folder of good ones, with its exact expected outcome.

Every case checks: the message names where (file › sheet › row › column › value
as far as they exist) and says what to do; nothing raises; every other file
of the year is still read.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import write_csv, write_xlsx
from helpers.clean.year import clean_year
from helpers.reference import load_reference

SHIPPED = load_reference(None)
"""The tables that ship with the code: the province these returns come from."""
YEAR = 2017
AGENCIES = ("LMHTX", "HND", "HCCB", "HLHPN")
ACTIVITY_HEADER = ["STT", "Đơn vị", "Số buổi tập huấn", "Số lượt người tham dự"]
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
    "Xếp loại",
]


def activity(title: str = f"BÁO CÁO KẾT QUẢ NĂM {YEAR}") -> list[list]:
    return [[title], [], ACTIVITY_HEADER, [1, "Kim Sơn", 3, 40], [2, "Yên Mô", 2, 25], [3, "Cấp tỉnh", 1, 10]]


def cooperative(number: int, reg_no: str, district: str = "Kim Sơn", founded: object = "15/03/2010") -> list:
    return [number, f"HTX số {number}", reg_no, district, "Nông nghiệp", founded, "Đang hoạt động", None, 50, "Khá"]


def register(*rows: list) -> list[list]:
    return [["DANH SÁCH HTX"], REGISTER_HEADER, *(rows or [cooperative(1, "0101"), cooperative(2, "0202")])]


def groups() -> list[list]:
    return [["Đơn vị", "Số THT", "Số THT thành lập mới"], ["Kim Sơn", 40, 3], ["Yên Mô", 30, 2]]


@pytest.fixture
def year_folder(tmp_path: Path) -> Path:
    """A year folder of six good returns."""
    folder = tmp_path / "raw" / str(YEAR)
    for agency in AGENCIES:
        write_xlsx(folder / "activities" / f"{agency}.xlsx", activity())
    write_xlsx(folder / "cooperatives.xlsx", register())
    write_xlsx(folder / "groups.xlsx", groups())
    return folder


def read_sources(result) -> set[str]:
    return {read.source for read in result.reads}


ALL_SOURCES = {*(f"activities/{a}.xlsx" for a in AGENCIES), "cooperatives.xlsx", "groups.xlsx"}


def messages(result) -> list[str]:
    return [p.message for p in result.problems]


def test_the_good_folder_is_good(year_folder):
    result = clean_year(year_folder, YEAR, reference=SHIPPED)
    assert result.problems == [] and read_sources(result) == ALL_SOURCES
    assert all(not read.rejects for read in result.reads)


# -- files that cannot be used at all: an error of the year (exit 2), the others still read --------


def _bytes(content: bytes):
    def make(folder: Path) -> None:
        (folder / "activities" / "HND.xlsx").write_bytes(content)

    return make


def _workbook_rows(rows: list[list]):
    def make(folder: Path) -> None:
        write_xlsx(folder / "activities" / "HND.xlsx", rows)

    return make


def _csv_that_is_a_workbook(folder: Path) -> None:
    data = (folder / "activities" / "HND.xlsx").read_bytes()
    (folder / "activities" / "HND.xlsx").unlink()
    (folder / "activities" / "HND.csv").write_bytes(data)


def _zip_bomb(folder: Path) -> None:
    path = folder / "activities" / "HND.xlsx"
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.bin", "w") as member,
    ):
        block = bytes(2**20)
        for _ in range(40):  # 40 MB of zeros pack into a few tens of KB
            member.write(block)


def _oversized(folder: Path) -> None:
    path = folder / "activities" / "HND.xlsx"
    with path.open("r+b") as handle:
        handle.truncate(101 * 2**20)  # sparse: instant, no disk used


UNUSABLE = {
    "corrupt_xlsx": (_bytes(bytes(range(256)) * 40), "activities/HND.xlsx", "không mở được như một bảng tính"),
    "empty_file": (_bytes(b""), "activities/HND.xlsx", "tệp rỗng"),
    "csv_that_is_an_xlsx": (_csv_that_is_a_workbook, "activities/HND.csv", "có đuôi .csv nhưng là tệp Excel"),
    "no_recognisable_header": (
        _workbook_rows([["BÁO CÁO"], ["Kim Sơn", 3, 40]]),
        "activities/HND.xlsx",
        "không tìm thấy dòng tên cột",
    ),
    "header_without_known_columns": (
        _workbook_rows([["Đơn vị", "Cột A", "Cột B"], ["Kim Sơn", 3, 40]]),
        "activities/HND.xlsx › Sheet1 › dòng 1",
        "không có cột giá trị nào của Biểu 01",
    ),
    "all_blank_sheet": (_workbook_rows([[None], [None, None]]), "activities/HND.xlsx › Sheet1", "trang tính trống"),
    "zip_bomb": (_zip_bomb, "activities/HND.xlsx", "bị từ chối trước khi mở"),
    "oversized_file": (_oversized, "activities/HND.xlsx", "lớn hơn mức một báo cáo có thể có"),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_unusable_file(year_folder, case):
    make, where, fragment = UNUSABLE[case]
    make(year_folder)
    result = clean_year(year_folder, YEAR, reference=SHIPPED)
    errors = [p for p in result.problems if p.severity == "error"]
    assert len(errors) == 1, messages(result)
    assert errors[0].file.startswith(where) and fragment in errors[0].problem
    assert errors[0].action  # says what to do
    assert read_sources(result) == ALL_SOURCES - {"activities/HND.xlsx"}  # everything else is read


def test_file_name_without_agency_code(year_folder):
    (year_folder / "activities" / "HND.xlsx").rename(year_folder / "activities" / "Hoi nong dan.xlsx")
    result = clean_year(year_folder, YEAR, reference=SHIPPED)
    assert any(
        p.file == "activities/Hoi nong dan.xlsx"
        and "không bắt đầu bằng mã cơ quan nào" in p.problem
        and "LMHTX, HND, HCCB, HLHPN" in p.action
        for p in result.problems
    )
    assert any("không có báo cáo Biểu 01 của HND" in p.problem for p in result.problems)
    assert read_sources(result) == ALL_SOURCES - {"activities/HND.xlsx"}


def test_two_files_for_one_agency(year_folder):
    write_xlsx(year_folder / "activities" / "hnd_2017_ban_sua.xlsx", activity())
    result = clean_year(year_folder, YEAR, reference=SHIPPED)
    both = [p for p in result.problems if "nhiều hơn một báo cáo" in p.problem]
    assert {p.file for p in both} == {"activities/HND.xlsx", "activities/hnd_2017_ban_sua.xlsx"}
    assert read_sources(result) == ALL_SOURCES - {"activities/HND.xlsx"}


# -- rows that the contract rejects: the file is read, the row goes to the rejects ledger ------------


def _rejects(result, source: str):
    [read] = [r for r in result.reads if r.source == source]
    return read


def test_register_same_reg_no_twice(year_folder):
    write_xlsx(
        year_folder / "cooperatives.xlsx",
        register(cooperative(1, "0101"), cooperative(2, "0202"), cooperative(3, "0101")),
    )
    read = _rejects(clean_year(year_folder, YEAR, reference=SHIPPED), "cooperatives.xlsx")
    assert sorted({r.row for r in read.rejects}) == [3, 5]
    assert all(r.column == "Mã số HTX" and r.value == "0101" and "có ở các dòng 3, 5" in r.reason for r in read.rejects)


def test_register_section_with_unknown_district(year_folder):
    header = [c for c in REGISTER_HEADER if c != "Huyện/thành phố"]
    row = lambda n, reg: [n, f"HTX {n}", reg, "Nông nghiệp", "2010", "Đang hoạt động", None, 50, "Khá"]  # noqa: E731
    write_xlsx(
        year_folder / "cooperatives.xlsx",
        [header, ["I", "Huyện Yên Mô", *[None] * 7], row(1, "01"), ["II", "Huyện Ý Yên", *[None] * 7], row(1, "02")],
    )
    read = _rejects(clean_year(year_folder, YEAR, reference=SHIPPED), "cooperatives.xlsx")
    assert sorted({r.row for r in read.rejects}) == [4, 5]
    section = next(r for r in read.rejects if r.row == 4)
    assert section.value == "Huyện Ý Yên" and "không ghi địa bàn nào đã biết" in section.reason
    assert "dòng nhóm phía trên (dòng 4" in next(r for r in read.rejects if r.row == 5).reason
    assert [r["district"] for r in read.records] == ["377"]


def test_same_district_twice_in_one_return(year_folder):
    rows = activity()
    rows.append([4, "H. Kim Sơn", 1, 1])
    write_xlsx(year_folder / "activities" / "HND.xlsx", rows)
    read = _rejects(clean_year(year_folder, YEAR, reference=SHIPPED), "activities/HND.xlsx")
    assert sorted({r.row for r in read.rejects}) == [4, 7]
    assert all("có ở các dòng 4, 7" in r.reason for r in read.rejects)


def _with_formula(folder: Path, cached: str | None) -> None:
    """A formula cell (=1+2 in C4), with or without its saved result."""
    path = folder / "activities" / "HND.xlsx"
    rows = activity()
    rows[3][2] = "=1+2"
    write_xlsx(path, rows)
    if cached is None:
        return
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb"(<c r=\"C4\"[^>]*>)<f>1\+2</f>(<v\s*/>|<v></v>)?",
                    rb"\1<f>1+2</f><v>" + cached.encode() + rb"</v>",
                    data,
                )
            archive.writestr(info, data)


def test_formula_with_saved_result_uses_the_result(year_folder):
    _with_formula(year_folder, "3")
    read = _rejects(clean_year(year_folder, YEAR, reference=SHIPPED), "activities/HND.xlsx")
    assert not read.rejects
    assert {r["district"]: r["value"] for r in read.records if r["indicator"] == "training_sessions"}["376"] == 3


def test_formula_without_saved_result_is_a_located_error(year_folder):
    _with_formula(year_folder, None)
    read = _rejects(clean_year(year_folder, YEAR, reference=SHIPPED), "activities/HND.xlsx")
    [reject] = read.rejects
    assert (reject.row, reject.column, reject.value) == (4, "Số buổi tập huấn", "=1+2")
    assert "không có kết quả đã lưu" in reject.reason and "để tính xong" in reject.reason
    assert "376" not in {r["district"] for r in read.records}


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("15/03/2017", True),
        ("15-03-2017", True),
        ("2017-03-15", True),
        ("03/2017", True),
        ("2017", True),
        ("5/3/2017", True),
        ("15.03.2017", False),
        ("2017/03/15", False),
        ("năm ngoái", False),
        ("30/02/2017", False),
        ("tháng 3/2017", False),
        ("15/03/17", False),
    ],
)
def test_dates_typed_as_text(year_folder, typed, accepted):
    write_xlsx(
        year_folder / "cooperatives.xlsx", register(cooperative(1, "0101", founded=typed), cooperative(2, "0202"))
    )
    read = _rejects(clean_year(year_folder, YEAR, reference=SHIPPED), "cooperatives.xlsx")
    if accepted:
        assert not read.rejects and read.records[0]["founded_year"] == 2017
    else:
        [reject] = read.rejects
        assert (reject.row, reject.column, reject.value) == (3, "Ngày thành lập", typed)
        assert "15/03/2017" in reject.reason  # says which forms are accepted


def test_year_in_title_disagrees_with_folder(year_folder):
    write_xlsx(year_folder / "activities" / "HND.xlsx", activity(title="BÁO CÁO KẾT QUẢ NĂM 2016"))
    result = clean_year(year_folder, YEAR, reference=SHIPPED)
    [warning] = [p for p in result.problems if p.file == "activities/HND.xlsx"]
    assert warning.severity == "warning" and "2016" in warning.problem and "thư mục năm 2017" in warning.problem
    assert read_sources(result) == ALL_SOURCES  # read all the same


def test_xlsm_with_a_macro_is_read_as_data(year_folder):
    path = year_folder / "activities" / "HND.xlsx"
    workbook = openpyxl.load_workbook(path)
    target = path.with_suffix(".xlsm")
    workbook.save(target)
    path.unlink()
    with zipfile.ZipFile(target, "a") as archive:  # a VBA project part, as Excel stores macros
        archive.writestr(
            "xl/vbaProject.bin",
            b"\xd0\xcf\x11\xe0" + b'Attribute VB_Name = "Module1"\nSub Auto_Open()\nShell "calc"\nEnd Sub\n',
        )
    result = clean_year(year_folder, YEAR, reference=SHIPPED)
    read = _rejects(result, "activities/HND.xlsm")
    assert read.kind_counts()["accepted"] == 3 and not read.rejects


def test_text_that_looks_like_a_formula_is_rejected_and_neutralised(year_folder, tmp_path):
    from helpers.clean.outputs import write_clean_outputs

    rows = activity()
    rows[4][1] = '=HYPERLINK("http://example.invalid","Yên Mô")'
    write_xlsx(year_folder / "activities" / "HND.xlsx", rows)
    result = clean_year(year_folder, YEAR, reference=SHIPPED)
    write_clean_outputs(result, tmp_path / "processed")
    text = (tmp_path / "processed" / "rejects.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


# -- declared corrections -------------------------------------------------------------------------


def _corrections(folder: Path, *rows: list) -> Path:
    path = folder.parent.parent / "corrections.csv"
    write_csv(path, [["year", "agency", "district", "column", "action", "value", "guard", "reason"], *rows])
    return path


def test_correction_fixes_a_known_error_and_is_listed(year_folder):
    rows = activity()
    rows[3][2] = "nhiều"
    write_xlsx(year_folder / "activities" / "HND.xlsx", rows)
    path = _corrections(
        year_folder,
        [
            "2017",
            "HND",
            "Kim Sơn",
            "training_sessions",
            "set",
            "12",
            "nhiều",
            "HND confirmed 12 sessions by phone on 10/1/2018",
        ],
    )
    result = clean_year(year_folder, YEAR, path, reference=SHIPPED)
    read = _rejects(result, "activities/HND.xlsx")
    assert not read.rejects and result.problems == []
    assert {r["district"]: r["value"] for r in read.records if r["indicator"] == "training_sessions"}["376"] == 12
    [applied] = read.corrections
    assert (applied.row, applied.column, applied.before, applied.after) == (4, "Số buổi tập huấn", "nhiều", "12")


def test_correction_guard_fails_once_the_source_is_fixed(year_folder):
    path = _corrections(
        year_folder, ["2017", "HND", "376", "training_sessions", "set", "12", "nhiều", "HND confirmed 12"]
    )
    result = clean_year(year_folder, YEAR, path, reference=SHIPPED)  # the return now reads 3, not "nhiều"
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert (
        problem.file == "corrections.csv › dòng 2"
        and "ô kiểm tra không khớp" in problem.problem
        and "nay ghi '3'" in problem.problem
    )
    read = _rejects(result, "activities/HND.xlsx")
    assert {r["district"]: r["value"] for r in read.records if r["indicator"] == "training_sessions"}[
        "376"
    ] == 3  # the source value


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (["2017", "HNDX", "376", "training_sessions", "set", "1", "3", "r"], "cơ quan 'HNDX' không có trong danh sách"),
        (
            ["2017", "HND", "Xã Lạ", "training_sessions", "set", "1", "3", "r"],
            "địa bàn 'Xã Lạ' không có trong danh sách",
        ),
        (["2017", "HND", "376", "buoi", "set", "1", "3", "r"], "không phải trường của Biểu 01"),
        (["2017", "HND", "376", "training_sessions", "double", "1", "3", "r"], "thao tác 'double'"),
        (["2017", "HND", "376", "training_sessions", "set", "nhiều", "3", "r"], "không phải là số"),
        (["2017", "HND", "376", "training_sessions", "set", "1", "3", ""], "chưa ghi lý do"),
    ],
)
def test_bad_corrections_table_is_a_located_error(year_folder, row, fragment):
    result = clean_year(year_folder, YEAR, _corrections(year_folder, row), reference=SHIPPED)
    [problem] = result.problems
    assert problem.file == "corrections.csv › dòng 2" and fragment in problem.problem
    assert read_sources(result) == ALL_SOURCES


def test_parse_cache_follows_the_reference_tables(year_folder, tmp_path):
    """A cached parse is reused only with the same district tables (another province's tables change the reading)."""
    from helpers.reference import load_reference, read_reference_table

    cache = tmp_path / "cache"
    reference = tmp_path / "reference"
    reference.mkdir()
    rows = [r for r in read_reference_table("district_aliases.csv") if r["district_code"] != "376"]
    write_csv(
        reference / "district_aliases.csv",
        [["district_code", "alias"], *([r["district_code"], r["alias"]] for r in rows)],
    )
    units = [r for r in read_reference_table("districts.csv") if r["district_code"] != "376"]
    write_csv(reference / "districts.csv", [list(units[0]), *(list(r.values()) for r in units)])
    other = load_reference(reference)  # Kim Sơn is not a district of this "province" (its name is a spelling by rule)
    first = _rejects(clean_year(year_folder, YEAR, None, cache, reference=SHIPPED), "activities/HND.xlsx")
    second = _rejects(clean_year(year_folder, YEAR, None, cache, reference=other), "activities/HND.xlsx")
    third = _rejects(clean_year(year_folder, YEAR, None, cache, reference=SHIPPED), "activities/HND.xlsx")
    assert not first.rejects and [r.row for r in second.rejects] == [4] and not third.rejects
    assert len(list(cache.glob("*.pickle"))) == 12  # six files read under each set of tables
