"""Issue 17's CSV invariant, as properties (hypothesis): a CSV line is a row, whatever the quoting.

Any Biểu 01 return typed as CSV — title lines, notes between the rows, rows
with a cell that cannot be read — gives the same accepted rows and the same
rejects when it is re-quoted, re-separated (``,``/``;``), given an empty
column at the end (header included) or a two-line quoted header label, as
Excel writes one. A stray quote opened in a note rejects exactly the line
where it opens, and every other line reads as before, each message with its
own line number. Accepted + rejected + non-data lines = the file's lines.

CI runs them with a fixed seed (``derandomize``, see ``tests/conftest.py``).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import encode_cp1258
from helpers.read.csv_text import physical_lines
from helpers.read.returns import read_return
from helpers.reference import load_reference

SHIPPED = load_reference(None)

HEADER = ["STT", "Đơn vị", "Số buổi tập huấn", "Số lượt người tham dự", "Phân bón trả chậm"]
UNITS = ["Nho Quan", "H. Gia Viễn", "Yên Mô", "Huyện Kim Sơn", "TP. Tam Điệp", "Yên Khánh", "Hoa Lư", "Cấp tỉnh"]
NOTES = [
    "Ghi chú: số liệu huyện Yên Mô là số ước tính",
    "(Số liệu tính từ ngày 01/01/2017 đến ngày 31/12/2017)",
    "Lưu ý: số liệu 6 tháng cuối năm là ước tính",
    "(*) Số liệu ước thực hiện",
]
TITLE = [["HỘI NÔNG DÂN TỈNH NINH BÌNH"], ["BÁO CÁO KẾT QUẢ NĂM 2017"]]


@dataclass(frozen=True)
class Variant:
    delimiter: str = ","
    quote_all: bool = False
    empty_column: bool = False
    two_line_label: bool = False
    line_break: str = "\r\n"


def _field(text: str, variant: Variant) -> str:
    if variant.quote_all or any(c in text for c in (variant.delimiter, '"', "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def typed(table: list[list[str]], variant: Variant, header_index: int) -> str:
    """The table as a CSV file people send: every line as wide as the header, as Excel saves it."""
    width = len(HEADER) + (1 if variant.empty_column else 0)
    lines = []
    for index, row in enumerate(table):
        cells = list(row)
        if index == header_index and variant.two_line_label:
            cells[2] = "SỐ BUỔI TẬP HUẤN\n(buổi)"
        cells += [""] * (width - len(cells))
        lines.append(variant.delimiter.join(_field(cell, variant) for cell in cells))
    return variant.line_break.join(lines) + variant.line_break


def read_text(text: str, encoding: str = "utf-8"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "HND.csv"
        path.write_bytes(encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
        return read_return(path, "activities/HND.csv", "01", reference=SHIPPED, agency="HND", year=2017)


data_row = st.tuples(
    st.integers(min_value=0, max_value=5000),
    st.integers(min_value=0, max_value=50000),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=999, places=1)),
    st.booleans(),  # a cell that cannot be read (the row is rejected)
)


@st.composite
def returns(draw) -> tuple[list[list[str]], int, list[int]]:
    """A typed Biểu 01: title lines, the header, data rows with notes between them.

    Returns the table, the header's index and the indexes of the notes that a data row follows.
    """
    units = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=len(UNITS), unique=True))
    table: list[list[str]] = [list(row) for row in TITLE[: draw(st.integers(0, 2))]]
    header_index = len(table)
    table.append(list(HEADER))
    notes_before_data: list[int] = []
    for number, unit in enumerate(units, start=1):
        if draw(st.booleans()):
            notes_before_data.append(len(table))
            table.append(["", draw(st.sampled_from(NOTES))])
        sessions, attendance, fertiliser, bad = draw(data_row)
        fertiliser_text = "" if fertiliser is None else str(fertiliser).replace(".", ",")
        table.append([str(number), unit, "nhiều" if bad else str(sessions), str(attendance), fertiliser_text])
    if draw(st.booleans()):
        table.append(["", NOTES[0]])
    return table, header_index, notes_before_data


def outcome(read, shift_after: int | None = None):
    """Accepted records and rejects; line numbers after ``shift_after`` moved back by one (a two-line header)."""

    def line(row: int) -> int:
        return row - 1 if shift_after is not None and row > shift_after else row

    records = sorted((line(r["row"]), r["district"], r["indicator"], r["value"]) for r in read.records)
    rejects = sorted((line(r.row), r.value, r.reason) for r in read.rejects)  # (a two-line label reads wider)
    return records, rejects


variants = st.builds(
    Variant,
    delimiter=st.sampled_from([",", ";"]),
    quote_all=st.booleans(),
    empty_column=st.booleans(),
    two_line_label=st.booleans(),
    line_break=st.sampled_from(["\r\n", "\n"]),
)


@settings(max_examples=150)
@given(typed_return=returns(), variant=variants, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1258"]))
def test_quoting_separators_an_empty_last_column_and_a_two_line_label_change_no_row(typed_return, variant, encoding):
    table, header_index, _ = typed_return
    base = read_text(typed(table, Variant(), header_index))
    text = typed(table, variant, header_index)
    read = read_text(text, encoding)
    header_line = header_index + 1
    assert outcome(read, header_line + 1 if variant.two_line_label else None) == outcome(base)
    assert sum(read.kind_counts().values()) == len(physical_lines(text)) == len(read.row_kinds)
    # every message names the line an editor shows: the data row's own line
    lines = physical_lines(text)
    for record in read.records:
        [unit] = [
            unit
            for unit in UNITS
            if f"{variant.delimiter}{_field(unit, variant)}{variant.delimiter}" in lines[record["row"] - 1]
        ]
        assert SHIPPED.resolve_district(unit) == record["district"]
    for reject in read.rejects:
        assert "nhiều" in lines[reject.row - 1]


@settings(max_examples=150)
@given(typed_return=returns(), choice=st.integers(min_value=0), delimiter=st.sampled_from([",", ";"]))
def test_a_stray_quote_in_a_note_rejects_its_line_only(typed_return, choice, delimiter):
    table, header_index, notes = typed_return
    variant = Variant(delimiter=delimiter)
    text = typed(table, variant, header_index)
    base = read_text(text)
    if not notes:
        return
    note = notes[choice % len(notes)]
    lines = physical_lines(text)
    note_text = table[note][1]
    assert note_text in lines[note]
    lines[note] = lines[note].replace(note_text, '"' + note_text, 1)
    stray_text = "\r\n".join(lines) + "\r\n"
    read = read_text(stray_text)
    records, rejects = outcome(read)
    base_records, base_rejects = outcome(base)
    assert records == base_records
    assert [r for r in rejects if r[0] != note + 1] == base_rejects
    [stray] = [r for r in rejects if r[0] == note + 1]
    assert "ngoặc kép" in stray[2]
    expected_kinds = list(base.row_kinds)
    expected_kinds[note] = "rejected"
    assert read.row_kinds == expected_kinds
    assert sum(read.kind_counts().values()) == len(physical_lines(stray_text))
