"""The tables the analyst edits, saved by Excel in any locale (issue 20).

Excel in a Vietnamese locale saves ``;``-separated CSV with decimal commas;
"Unicode Text" is tab-separated UTF-16; a file may carry a byte-order mark or
Excel's ``sep=;`` line. The separator is the one that splits the header line
into the table's column names; when a table still cannot be read, the message
names the real cause.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.compute.programme import PROGRAMME_COLUMNS, read_programmes
from helpers.compute.targets import TARGET_COLUMNS, TargetsError, read_targets
from helpers.edited_tables import read_edited_table
from helpers.errors import FileProblem
from helpers.read.corrections import CORRECTION_COLUMNS, read_corrections
from helpers.reference import load_reference

SHIPPED = load_reference(None)
TARGET_ROWS = [
    ["htx_new", "2018-2023", "per_year", "20", "25", "Nhiệm kỳ 2018–2023: mỗi năm 20–25 HTX"],
    ["good_fair_share", "2021-2025", "level", "0,70", "", "Đề án 16/ĐA-UBND: ít nhất 70%"],
    ["tht_new", "2018-2023", "per_year", "20,5", "30", "thử số thập phân"],
]


def saved(rows: list[list[str]], separator: str = ";", bom: bool = True, newline: str = "\r\n") -> bytes:
    """A table as Excel writes it: the locale's separator, CRLF, and (CSV UTF-8) a byte-order mark."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator=newline).writerows(rows)
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def as_tuples(targets) -> list[tuple]:
    return [(t.indicator, t.first_year, t.last_year, t.basis, t.low, t.high, t.source) for t in targets]


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_targets_saved_in_any_locale_read_the_same_with_decimal_commas(tmp_path, separator, bom):
    path = tmp_path / "targets.csv"
    path.write_bytes(saved([TARGET_COLUMNS, *TARGET_ROWS], separator, bom))
    targets = read_targets(path)
    assert as_tuples(targets) == [
        ("htx_new", 2018, 2023, "per_year", 20.0, 25.0, TARGET_ROWS[0][5]),
        ("good_fair_share", 2021, 2025, "level", 0.70, None, TARGET_ROWS[1][5]),
        ("tht_new", 2018, 2023, "per_year", 20.5, 30.0, TARGET_ROWS[2][5]),
    ]


def test_a_decimal_point_and_a_decimal_comma_are_the_same_target(tmp_path):
    comma, point = tmp_path / "comma.csv", tmp_path / "point.csv"
    comma.write_bytes(saved([TARGET_COLUMNS, ["good_fair_share", "2021-2025", "level", "0,7", "", "x"]], ";"))
    point.write_bytes(saved([TARGET_COLUMNS, ["good_fair_share", "2021-2025", "level", "0.7", "", "x"]], ","))
    assert as_tuples(read_targets(comma)) == as_tuples(read_targets(point))


@pytest.mark.parametrize("typed", ["0.700", "khoảng 20", "hai mươi", "-"])
def test_a_bound_that_is_not_one_plain_number_is_refused_at_its_cell(tmp_path, typed):
    path = tmp_path / "targets.csv"
    path.write_bytes(saved([TARGET_COLUMNS, ["htx_new", "2018", "per_year", typed, "", "x"]], ";"))
    with pytest.raises(TargetsError) as raised:
        read_targets(path)
    assert raised.value.where == "targets.csv › dòng 2 › target_low" and "0,70" in raised.value.action


def test_corrections_saved_with_semicolons_and_a_decimal_comma(tmp_path):
    path = tmp_path / "corrections.csv"
    row = ["2017", "HND", "Kim Sơn", "deferred_fertilizer_t", "set", "5,5", "nhiều", "HND xác nhận qua điện thoại"]
    path.write_bytes(saved([CORRECTION_COLUMNS, row], ";"))
    [correction] = read_corrections(path, SHIPPED)
    assert (correction.year, correction.district, correction.value, correction.reason) == (
        2017,
        "376",
        "5,5",
        "HND xác nhận qua điện thoại",
    )


def test_programme_saved_as_unicode_text_utf16_with_tabs(tmp_path):
    """Excel's "Unicode Text (*.txt)": UTF-16 with its byte-order mark, tab-separated."""
    path = tmp_path / "programme.csv"
    rows = [PROGRAMME_COLUMNS, ["Chương trình phối hợp", "Programme", "2017", "2022", "targets.csv"]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-16"))
    [programme] = read_programmes(path)
    assert (programme.name_vi, programme.first_year, programme.last_year) == ("Chương trình phối hợp", 2017, 2022)


def test_excels_sep_line_states_the_separator(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_bytes(b"sep=;\r\n" + saved([TARGET_COLUMNS, TARGET_ROWS[0]], ";", bom=False))
    assert as_tuples(read_targets(path))[0][:6] == ("htx_new", 2018, 2023, "per_year", 20.0, 25.0)
    path.write_bytes(
        b"sep=;\r\n"
        + saved([TARGET_COLUMNS], ";", bom=False)
        + b"htx_new;2018;per_year;20;25;x\r\nhtx_new;2;a;b;c;d;e\r\n"
    )
    with pytest.raises(FileProblem) as raised:  # the line count includes the sep= line
        read_edited_table(path, TARGET_COLUMNS)
    assert raised.value.where == "targets.csv › dòng 4"


@pytest.mark.parametrize(
    ("content", "problem", "action"),
    [
        (b"PK\x03\x04\x14\x00rest of a zip", "là bảng tính Excel (.xlsx)", "CSV UTF-8"),
        ("indicator;period\nhtx_new;Nông dân\n".encode("cp1258"), "không được lưu bằng UTF-8", "CSV UTF-8"),
        (b"", "tệp trống", "indicator,period,basis"),
        (
            "Mục tiêu của chương trình\n".encode() + saved([TARGET_COLUMNS, TARGET_ROWS[0]], ";", bom=False),
            "dòng tên cột là dòng 2",
            "xoá các dòng phía trên",
        ),
        (
            saved([["indicator", "period", "basis", "target_low", "source"], TARGET_ROWS[0][:5]], ";"),
            "thiếu các cột target_high (dòng tên cột tách bằng dấu chấm phẩy (;))",
            "indicator,period,basis,target_low,target_high,source",
        ),
        (
            saved([["chỉ tiêu", "giai đoạn"], ["htx_new", "2018"]], "|"),
            "không chứa tên cột nào của bảng",
            "indicator,period",
        ),
    ],
)
def test_a_table_that_cannot_be_read_names_the_real_cause(tmp_path, content, problem, action):
    path = tmp_path / "targets.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem) as raised:
        read_edited_table(path, TARGET_COLUMNS)
    assert raised.value.where == "targets.csv"
    assert problem in raised.value.problem and action in raised.value.action


def test_a_separator_typed_in_a_cell_is_located_and_named(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_bytes(saved([TARGET_COLUMNS], ";") + b"htx_new;2018;per_year;20;25;a;b\r\n")
    with pytest.raises(FileProblem) as raised:
        read_edited_table(path, TARGET_COLUMNS)
    assert raised.value.where == "targets.csv › dòng 2" and "dấu chấm phẩy (;)" in raised.value.action


CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6),
    separator=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_any_table_reads_back_whatever_the_separator(tmp_path_factory, rows, separator, bom, newline):
    """Every cell as written (NFC), whatever the separator, BOM and line ending; blank rows skipped.

    Cells hold any printable text, separators and quotes included (the writer quotes them, as Excel does).
    """
    from helpers.text import to_nfc

    path = tmp_path_factory.mktemp("t") / "table.csv"
    columns = ["name_vi", "first_year", "last_year"]
    path.write_bytes(saved([columns, *rows], separator, bom, newline))
    table = read_edited_table(path, columns)
    kept = [[to_nfc(cell) for cell in row] for row in rows if any(cell.strip() for cell in row)]
    assert table.values.tolist() == kept
