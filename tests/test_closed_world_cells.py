"""Issue 17, cells, labels and identity: the reader accepts only what the contract lists.

``raw-data.md`` § A closed world. Every return here is built by code, typed the
way people type: a cumulative or previous-year column beside the year's, text
that is neither a number nor a listed "not reported" marker, invisible
characters and other scripts' digits, a cooperative's reg_no typed two ways,
the accountant's ``(120)``. Each is read right or rejected with its place,
never taken as "not reported" and never read as the indicator.
"""

from __future__ import annotations

import pytest

from conftest import ACTIVITY_HEADER, activity_rows, run_cli, write_csv, write_xlsx
from helpers.errors import FileProblem
from helpers.read.returns import read_return
from helpers.reference import load_reference
from test_returns import REGISTER_HEADER, read01, register, rejected_rows, values

ATTENDANCE = "Số lượt người tham dự tập huấn, bồi dưỡng"


def _write(tmp_path, rows, fmt: str, merged: tuple[str, ...] = ()):
    if fmt == "csv":
        return write_csv(tmp_path / "HND.csv", rows)
    return write_xlsx(tmp_path / "HND.xlsx", rows, merged=merged)


def _ignored_labels(read) -> list[str]:
    return [label for _letter, label, _reason in read.ignored_columns]


# -- 1. labels match only as listed ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    "other",
    [
        f"{ATTENDANCE} (lũy kế 2017-2020)",
        f"{ATTENDANCE} lũy kế",
        f"{ATTENDANCE} cộng dồn",
        f"{ATTENDANCE} (lũy tiến)",
        f"{ATTENDANCE} từ đầu năm",
        f"{ATTENDANCE} cùng kỳ",
        f"{ATTENDANCE} năm trước",
        f"{ATTENDANCE} kế hoạch",
        f"{ATTENDANCE} năm 2016",
        f"{ATTENDANCE} 2017-2020",
        f"{ATTENDANCE}\n(giai đoạn 2017 - 2020)",
    ],
)
def test_a_cumulative_or_other_period_column_is_ignored_never_the_indicator(tmp_path, fmt, other):
    """Case 1: the year's column is read; the column that says more is ignored and reported."""
    rows = [
        ["BÁO CÁO KẾT QUẢ NĂM 2017"],
        ["STT", "Đơn vị", f"{ATTENDANCE} năm 2017", other],
        [1, "Nho Quan", 300, 900],
        [2, "Gia Viễn", 200, 600],
    ]
    read = read01(_write(tmp_path, rows, fmt))
    assert values(read, "training_attendance") == {"372": 300, "373": 200}
    assert not read.problems and not read.rejects
    assert " ".join(other.split()) in _ignored_labels(read)
    reason = next(r for _l, label, r in read.ignored_columns if label == " ".join(other.split()))
    assert "không phải số liệu của năm" in reason and ATTENDANCE in reason


def test_a_cumulative_column_alone_is_not_read_as_the_year(tmp_path):
    rows = [["STT", "Đơn vị", "Số buổi tập huấn", f"{ATTENDANCE} (lũy kế 2017-2020)"], [1, "Nho Quan", 10, 900]]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert values(read, "training_attendance") == {} and values(read, "training_sessions") == {"372": 10}
    assert f"{ATTENDANCE} (lũy kế 2017-2020)" in _ignored_labels(read)


@pytest.mark.parametrize("merged", [(), ("C1:D1",)])
def test_result_and_cumulative_under_a_group_read_the_result(tmp_path, merged):
    """Case 1: ``Kết quả | Lũy kế`` under the indicator reads ``Kết quả`` and ignores ``Lũy kế``."""
    rows = [
        ["STT", "Đơn vị", ATTENDANCE, None],
        [None, None, "Kết quả", "Lũy kế"],
        [1, "Nho Quan", 300, 900],
    ]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows, merged=("A1:A2", "B1:B2", *merged)))
    assert values(read, "training_attendance") == {"372": 300} and not read.problems
    assert f"{ATTENDANCE} - Lũy kế" in _ignored_labels(read)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("under", ["Lũy kế", "Cùng kỳ năm trước", "Năm 2016", "2017 - 2020"])
def test_one_column_saying_more_under_a_group_is_ignored_and_several_are_an_error(tmp_path, fmt, under):
    """``Số buổi tập huấn`` over ``Lũy kế`` alone: ignored; over ``Lũy kế | Năm nay``: an error naming both."""
    one = [["STT", "Đơn vị", "Số buổi tập huấn", "Bản tin"], [None, None, under, None], [1, "Nho Quan", 90, 4]]
    read = read01(_write(tmp_path, one, fmt, merged=("A1:A2", "B1:B2", "D1:D2")))
    assert values(read, "training_sessions") == {} and not read.problems
    assert values(read, "newsletters_issued") == {"372": 4}
    assert f"Số buổi tập huấn - {under}" in _ignored_labels(read)
    two = [["STT", "Đơn vị", "Số buổi tập huấn", None], [None, None, "Lũy kế", "Năm nay"], [1, "Nho Quan", 90, 30]]
    read = read01(write_xlsx(tmp_path / "HND2.xlsx", two, merged=("A1:A2", "B1:B2", "C1:D1")))
    assert values(read, "training_sessions") == {}
    (problem,) = read.problems
    assert "C ('Số buổi tập huấn - Lũy kế')" in problem.problem and "'Thực hiện' hoặc 'Kết quả'" in problem.problem


@pytest.mark.parametrize(
    "label",
    [
        "SỐ BUỔI TẬP HUẤN\n(buổi)",
        "Số buổi tập huấn năm 2017",
        "Số buổi tập huấn 2017",
        "Số buổi tập huấn (năm 2017)",
        "Số  buổi tập huấn (buổi) năm 2017",
        "so buoi tap huan (BUỔI)",
        "Số buổi tập huấn (*)",
    ],
)
def test_the_indicators_unit_and_the_returns_year_fold_away(tmp_path, label):
    rows = [["STT", "Đơn vị", label], [1, "Nho Quan", 10]]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert values(read, "training_sessions") == {"372": 10} and not read.ignored_columns


def test_a_register_label_in_parentheses_matches_only_as_listed(tmp_path):
    """``Lãi (lỗ)`` is listed; ``Doanh thu (lũy kế)`` is not the revenue."""
    header = [*REGISTER_HEADER, "Doanh thu (lũy kế)"]
    rows = [[1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, -5, "Tốt", 900]]
    read = register(tmp_path, *rows, header=header)
    assert [(r["revenue_mvnd"], r["profit_mvnd"]) for r in read.records] == [(100, -5)]
    assert "Doanh thu (lũy kế)" in _ignored_labels(read)


def test_a_unit_that_is_not_the_indicators_still_makes_the_column_unusable(tmp_path):
    rows = [["STT", "Đơn vị", "Phân bón trả chậm (kg) năm 2017"], [1, "Nho Quan", 12000]]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert values(read, "deferred_fertilizer_t") == {} and any("tính bằng kg" in p.problem for p in read.problems)


# -- 2. "not reported" is a closed list ---------------------------------------------------------

NOT_MARKERS = ["?", "…", "……", "...", "*", "/", "N/A", "chưa có", "không", "abc", "--", ".", "x x", "??"]
MARKERS = ["-", "–", "—", "x", "X", "không báo cáo", "KHÔNG BÁO CÁO", "khong bao cao", "kbc", "KBC", " - "]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("typed", NOT_MARKERS)
def test_text_that_is_not_a_listed_marker_is_a_rejected_cell(tmp_path, fmt, typed):
    """Case 2: ``?``, ``……``, ``N/A`` … in a district's value cell reject the row, with its place."""
    rows = activity_rows([1, "Nho Quan", 10, 100, typed], [2, "Gia Viễn", 20, 200, 2])
    read = read01(_write(tmp_path, rows, fmt))
    assert rejected_rows(read) == [5]
    (reject,) = read.rejects
    assert reject.column == "Phân bón trả chậm" and reject.value == typed.strip()
    assert "không phải là số" in reject.reason and "để trống hoặc gõ một trong" in reject.reason
    assert values(read, "training_sessions") == {"373": 20}


@pytest.mark.parametrize("typed", MARKERS)
def test_a_listed_marker_is_not_reported(tmp_path, typed):
    read = read01(write_xlsx(tmp_path / "HND.xlsx", activity_rows([1, "Nho Quan", 10, 100, typed])))
    assert not read.rejects and values(read, "deferred_fertilizer_t") == {}
    assert values(read, "training_sessions") == {"372": 10}


def test_a_row_that_names_a_unit_is_data_whatever_its_cells_hold(tmp_path):
    """A unit row whose every value is ``?`` is rejected; a row naming no unit with ``?`` is a note."""
    rows = activity_rows([1, "Nho Quan", "?", "?", "?"], [None, None, "?", "…"], [2, "Gia Viễn", 20, 200, 2])
    read = read01(write_xlsx(tmp_path / "HND.xlsx", rows))
    assert rejected_rows(read) == [5] and read.row_kinds[5] == "note"
    assert {r.column for r in read.rejects} == {"Số buổi tập huấn", "Số lượt người tham dự", "Phân bón trả chậm"}


def test_register_text_in_a_value_cell_rejects_the_cooperative(tmp_path):
    """Case 2: ``……`` (Excel's autocorrect of a dotted blank) in a revenue cell is no "not reported"."""
    rows = [
        [1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, "……", 5, "Tốt"],
        [2, "HTX B", "02", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, "-", 5, "Tốt"],
    ]
    read = register(tmp_path, *rows)
    assert rejected_rows(read) == [3] and [r["name"] for r in read.records] == ["HTX B"]
    assert read.rejects[0].column == "Doanh thu (triệu đồng)" and read.rejects[0].value == "……"
    assert read.records[0]["revenue_mvnd"] is None


def test_a_data_root_may_add_its_own_not_reported_spellings(tmp_path):
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / "not_reported.csv").write_text("text,note\nChưa báo cáo,the province's own spelling\n", "utf-8")
    reference = load_reference(folder)
    rows = activity_rows([1, "Nho Quan", 10, 100, "chưa báo cáo"], [2, "Gia Viễn", 20, 200, "?"])
    path = write_xlsx(tmp_path / "HND.xlsx", rows)
    read = read_return(path, "activities/HND.xlsx", "01", reference=reference, agency="HND", year=2017)
    assert rejected_rows(read) == [6] and values(read, "training_sessions") == {"372": 10}
    assert reference.fingerprint() != load_reference(None).fingerprint()
    assert rejected_rows(read01(path)) == [5, 6]  # the shipped list alone does not know the spelling


def test_a_not_reported_table_without_its_column_is_a_file_problem(tmp_path):
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / "not_reported.csv").write_text("spelling\nchưa báo cáo\n", "utf-8")
    with pytest.raises(FileProblem):
        load_reference(folder)


# -- 3. invisible characters and other scripts' digits -------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("２６２", 262),
        ("٢٦٢", 262),
        ("२६२", 262),
        ("2\u200b62", 262),
        ("262\u00ad", 262),
        ("\ufeff262", 262),
        ("\u200e262\u200f", 262),
        ("1\u00a0262", 1262),
        ("1\u202f262", 1262),
        ("１．２６２", None),
        ("2²", None),
        ("⑴", None),
        ("²⁶²", None),
    ],
)
def test_invisible_characters_go_and_unicode_digits_are_digits(tmp_path, fmt, typed, read_as):
    """Case 2/3: full-width and other decimal digits are read; superscripts and circled numbers are rejected."""
    read = read01(_write(tmp_path, activity_rows([1, "Nho Quan", typed, 100, 1]), fmt))
    if read_as is None:
        assert rejected_rows(read) == [5] and read.rejects[0].column == "Số buổi tập huấn"
    else:
        assert not read.rejects and values(read, "training_sessions") == {"372": read_as}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("typed", ["Nho Qu\u00adan", "Nho\u00a0Quan", "\u200bNho Quan", "Nho\u2060 Quan"])
def test_a_district_with_an_invisible_character_resolves(tmp_path, fmt, typed):
    """Case 7: ``Nho Quan`` with a soft hyphen inside (invisible on screen) is Nho Quan."""
    read = read01(_write(tmp_path, activity_rows([1, typed, 10, 100, 1]), fmt))
    assert not read.rejects and values(read, "training_sessions") == {"372": 10}


def test_an_invisible_character_in_a_header_label_does_not_hide_the_column(tmp_path):
    header = ["STT", "Đơn vị", "Số buổi\u00ad tập huấn", "Số lượt\u200b người tham dự"]
    read = read01(write_xlsx(tmp_path / "HND.xlsx", [header, [1, "Nho Quan", 10, 100]]))
    assert values(read, "training_sessions") == {"372": 10} and values(read, "training_attendance") == {"372": 100}


# -- 4. register identity ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("0107\u200b001234", 107001234),
        ("0107 001.234", "107-001-234"),
        ("0107001234", "00107001234"),
        ("０１０７００１２３４", "107001234"),
    ],
)
def test_one_cooperative_typed_two_ways_is_a_duplicate(tmp_path, first, second):
    """Case 6: reg_no compared without spaces, dots, dashes, invisible characters and leading zeros."""
    rows = [
        [1, "HTX A", first, "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"],
        [2, "HTX A", second, "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"],
        [3, "HTX B", "0107001235", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"],
    ]
    read = register(tmp_path, *rows)
    assert rejected_rows(read) == [3, 4] and [r["name"] for r in read.records] == ["HTX B"]
    assert all("Mã số" in r.column for r in read.rejects)


# -- 5. accounting negatives ----------------------------------------------------------------------


def test_an_accounting_negative_is_a_loss_in_the_profit_column_only(tmp_path):
    """Case 7: ``(120)`` in the profit column is −120; in the revenue column it is a rejected cell."""
    rows = [
        [1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, "(120)", "Tốt"],
        [2, "HTX B", "02", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, "(100)", "( 1.250,5 )", "Tốt"],
    ]
    read = register(tmp_path, *rows)
    assert [(r["name"], r["profit_mvnd"]) for r in read.records] == [("HTX A", -120)]
    (reject,) = read.rejects
    assert reject.row == 4 and reject.column == "Doanh thu (triệu đồng)" and "số âm" in reject.reason


def test_an_accounting_negative_in_an_activity_count_is_rejected(tmp_path):
    read = read01(write_xlsx(tmp_path / "HND.xlsx", activity_rows([1, "Nho Quan", "(12)", 100, 1])))
    assert rejected_rows(read) == [5] and "số âm" in read.rejects[0].reason


# -- 6. coop-review check --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["?", "……", "２６²", "N/A"])
def test_check_never_says_ok_when_a_text_cell_is_not_a_number_or_a_marker(tmp_path, typed):
    rows = activity_rows([1, "Nho Quan", 10, 100, typed], [2, "Gia Viễn", 20, 200, "-"])
    path = write_xlsx(tmp_path / "2017" / "activities" / "HND.xlsx", rows)
    result = run_cli("check", str(path))
    assert result.returncode == 1 and "ĐẠT" not in result.stdout, result.stdout
    assert "dòng 5" in result.stdout and "Phân bón trả chậm" in result.stdout


def test_check_says_ok_when_every_text_cell_is_a_number_or_a_marker(tmp_path):
    rows = activity_rows([1, "Nho Qu\u00adan", "１０", 100, "kbc"], [2, "Gia Viễn", 20, 200, "–"])
    rows[3] = [*ACTIVITY_HEADER[:2], "Số buổi tập huấn năm 2017", *ACTIVITY_HEADER[3:]]
    path = write_xlsx(tmp_path / "2017" / "activities" / "HND.xlsx", rows)
    result = run_cli("check", str(path))
    assert result.returncode == 0 and "ĐẠT" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("index", "column"),
    [(4, "Lĩnh vực"), (5, "Ngày thành lập"), (7, "Ngày giải thể"), (11, "Xếp loại"), (8, "Số thành viên")],
)
@pytest.mark.parametrize("typed", ["?", "……", "N/A"])
def test_register_text_in_a_vocabulary_or_date_cell_is_rejected_not_blank(tmp_path, index, column, typed):
    """``?`` in the sector or rating column was read as blank (``other``, not rated); now it is a rejected cell."""
    row = [1, "HTX A", "01", "Yên Mô", "Nông nghiệp", "2015", "Đang hoạt động", None, 10, 100, 5, "Tốt"]
    row[index] = typed
    read = register(tmp_path, row, [2, "HTX B", "02", "Yên Mô", None, "2015", "Đang hoạt động", "-", 8, 80, 4, "x"])
    assert rejected_rows(read) == [3] and [r["name"] for r in read.records] == ["HTX B"]
    assert [(r.column, r.value) for r in read.rejects] == [(column, typed)]
