"""Issue 8's invariants, tested as properties (hypothesis) on the shipped sample returns.

1. Every raw row that names a known unit or holds a value is accepted or
   rejected, never non-data: inserting note rows, period lines, blank rows,
   footer-like lines and hidden sheets anywhere in a real return changes
   neither the accepted rows, nor the province totals, nor the rejects.
2. Any accepted number typed in any of the contract's spellings reads as the
   same value; any ambiguous spelling is rejected.

CI runs them with a fixed seed (``derandomize``, see ``tests/conftest.py``).
"""

from __future__ import annotations

import copy
import dataclasses
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_RAW
from helpers.clean.year import discover_returns
from helpers.read.layout import locate_table
from helpers.read.returns import read_return, read_table
from helpers.read.sheets import Sheet, read_sheet
from helpers.read.values import CellProblem, read_number
from helpers.reference import load_reference

SHIPPED = load_reference(None)  # the province of the sample returns

SAMPLE_FILE_YEARS = (2017, 2018, 2019)
"""Shipped sample years whose returns are mutated (xlsx and csv, every template)."""


def _sample_files() -> list[tuple[int, Path, str, str, str | None]]:
    found = []
    for year in SAMPLE_FILE_YEARS:
        files, _ = discover_returns(SAMPLE_RAW / str(year), SHIPPED)
        found += [(year, path, source, template, agency) for path, source, template, agency in files]
    return found


SAMPLE_FILES = _sample_files()

# Lines people type between the rows of a table: (text, may it go in the register's name column?)
NOTE_LINES = [
    ("Ghi chú: số liệu huyện Yên Mô là số ước tính", True),
    ("(Số liệu từ ngày 01 tháng 01 năm 2017 đến ngày 31 tháng 12 năm 2017)", True),
    ("(Số liệu tính từ ngày 01/01/2017 đến ngày 31/12/2017)", True),
    ("Lưu ý: số liệu 6 tháng cuối năm là ước tính", True),
    ("(*) Số liệu ước thực hiện", True),
    ("Đơn vị tính: buổi, lượt người, tấn", True),
    ("Ninh Bình, ngày 10 tháng 01 năm 2018", False),
    ("Người lập biểu", False),
    ("Thủ trưởng đơn vị", False),
    ("I. CẤP HUYỆN", False),
    (None, True),  # a blank row
]


@dataclasses.dataclass(frozen=True)
class Sample:
    year: int
    source: str
    template: str
    agency: str | None
    sheet: Sheet
    first_data_row: int
    name_column: int | None


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    out = []
    for year, path, source, template, agency in SAMPLE_FILES:
        sheet = read_sheet(path, source, template)
        layout = locate_table(sheet, template)
        name = layout.fields().get("name")
        out.append(Sample(year, source, template, agency, sheet, layout.first_data_row, name.index if name else None))
    return out


def _outcome(sample: Sample, sheet: Sheet):
    """What a return gives, without row numbers: accepted records, rejected cells, totals checks."""
    read = read_table(sheet, sample.template, reference=SHIPPED, agency=sample.agency, year=sample.year)
    records = [{k: v for k, v in r.items() if k != "row"} for r in read.records]
    rejects = [(r.unit, r.column, r.value) for r in read.rejects]
    totals = [(t.column, t.totals_value, t.rows_sum, t.agrees) for t in read.totals]
    return read, records, rejects, totals, read.kind_counts()["rejected"]


def province_totals(records: list[dict], template: str) -> dict[str, float]:
    """The province figure of every numeric field the records carry."""
    sums: dict[str, float] = defaultdict(float)
    for record in records:
        if template == "01":
            sums[record["indicator"]] += record["value"]
        else:
            for key, value in record.items():
                if isinstance(value, float) and not key.endswith("_year"):
                    sums[key] += value
    return dict(sums)


def _insert(sheet: Sheet, at: int, row: list[object]) -> Sheet:
    """``sheet`` with ``row`` inserted before row index ``at``, merges and row facts shifted as Excel does."""
    rows = [list(r) for r in sheet.rows]
    rows.insert(at, row)
    merged = []
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= at:
            merged.append((r0 + 1, c0, r1 + 1, c1))
        elif r1 >= at:
            merged.append((r0, c0, r1 + 1, c1))
        else:
            merged.append((r0, c0, r1, c1))
    shift = lambda r: r + 1 if r >= at else r  # noqa: E731
    widths = list(sheet.record_widths)
    if widths:  # a CSV: the inserted record's own width
        widths.insert(at, max((i + 1 for i, cell in enumerate(row) if cell is not None), default=0))
    return dataclasses.replace(
        sheet,
        rows=rows,
        record_widths=tuple(widths),
        merged=merged,
        hidden_rows=frozenset(shift(r) for r in sheet.hidden_rows),
        uncached_formulas={(shift(r), c): f for (r, c), f in sheet.uncached_formulas.items()},
    )


insertions = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1), st.sampled_from(NOTE_LINES), st.floats(min_value=0, max_value=1)),
    min_size=1,
    max_size=5,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), where=insertions)
def test_non_data_lines_anywhere_change_no_number(samples, data, where):
    sample = data.draw(st.sampled_from(samples), label="return")
    base_read, records, rejects, totals, rejected = _outcome(sample, sample.sheet)
    sheet = sample.sheet
    inserted: list[int] = []
    width = len(sheet.rows[0]) if sheet.rows else 1
    for position, (text, in_name_column), column_share in where:
        at = sample.first_data_row + int(position * (len(sheet.rows) - sample.first_data_row))
        column = min(int(column_share * width), width - 1)
        if sample.template == "02" and column == sample.name_column and not in_name_column:
            column = 0 if sample.name_column else width - 1
        if sample.template == "02" and text == "I. CẤP HUYỆN":
            text = "Ghi chú: CẤP HUYỆN"  # an ordinal alone is a section in a register (raw-data.md)
        row: list[object] = [None] * width
        if text is not None:
            row[column] = text
        sheet = _insert(sheet, at, row)
        inserted = [i + 1 if i >= at else i for i in inserted] + [at]
    read, new_records, new_rejects, new_totals, new_rejected = _outcome(sample, sheet)
    assert new_records == records
    assert province_totals(new_records, sample.template) == province_totals(records, sample.template)
    assert new_rejects == rejects and new_rejected == rejected
    assert new_totals == totals
    assert all(read.row_kinds[i] in ("note", "blank", "footer") for i in inserted), [
        read.row_kinds[i] for i in inserted
    ]
    assert len(read.row_kinds) == len(base_read.row_kinds) + len(inserted)


XLSX_FILES = [f for f in SAMPLE_FILES if f[1].suffix == ".xlsx"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hidden_sheets_anywhere_change_no_number(tmp_path_factory, data):
    year, path, source, template, agency = data.draw(st.sampled_from(XLSX_FILES), label="return")
    base = read_return(path, source, template, reference=SHIPPED, agency=agency, year=year)
    workbook = openpyxl.load_workbook(path)
    count = data.draw(st.integers(min_value=1, max_value=3), label="trang tính ẩn")
    for number in range(count):
        position = data.draw(st.integers(min_value=0, max_value=len(workbook.sheetnames)), label="position")
        title = data.draw(st.sampled_from(["Nháp", "Biểu 01", "Biểu 02", "Biểu 03", "Sheet0", "Cũ"]), label="title")
        draft = workbook.create_sheet(f"{title} {number}" if title in workbook.sheetnames else title, position)
        for row in workbook[base.sheet].iter_rows(values_only=True):
            draft.append([cell * 3 if isinstance(cell, (int, float)) else cell for cell in row])
        draft.sheet_state = "hidden"
    target = tmp_path_factory.mktemp("hidden") / path.name
    workbook.save(target)
    read = read_return(target, source, template, reference=SHIPPED, agency=agency, year=year)
    assert read.sheet == base.sheet
    assert [{k: v for k, v in r.items()} for r in read.records] == base.records
    assert [(r.row, r.column, r.value) for r in read.rejects] == [(r.row, r.column, r.value) for r in base.rejects]
    assert any("trang tính ẩn" in w for w in read.warnings)


# -- 2. spellings of one number ----------------------------------------------------------------


def spellings_of_integer(number: int) -> list[object]:
    """Every way the contract lets a person type a whole number."""
    dotted = f"{number:,}".replace(",", ".")
    spaced = f"{number:,}".replace(",", " ")
    out: list[object] = [
        number,
        float(number),
        str(number),
        dotted,
        spaced,
        f"{number}.0",
        f"{number},0",
        f"{dotted},0",
        f" {number} ",
    ]
    if number >= 1000:
        out.append(f"{number:,}".replace(",", "\u00a0"))
    return out


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.booleans())
def test_every_spelling_of_a_whole_number_reads_the_same(number, whole):
    for spelling in spellings_of_integer(number):
        read = read_number(spelling, whole=whole)
        assert read.value == number, spelling
        assert not read.is_approximate


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=1, max_value=9),
    st.sampled_from(["", "trên ", "hơn ", "gần ", "khoảng ", "~"]),
)
def test_every_spelling_of_a_decimal_reads_the_same(whole, tenth, prefix):
    dotted = f"{whole:,}".replace(",", ".")
    expected = whole + tenth / 10
    for spelling in (f"{whole},{tenth}", f"{dotted},{tenth}", f"{whole},{tenth}0", f"{whole}.{tenth}"):
        read = read_number(prefix + spelling)
        assert read.value == pytest.approx(expected, rel=1e-12), spelling
        assert read.is_approximate == bool(prefix)
        with pytest.raises(CellProblem, match="có phần thập phân"):
            read_number(prefix + spelling, whole=True)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=999_999),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["", "trên ", "~"]),
)
def test_ambiguous_spellings_are_rejected(whole, three_digits, prefix):
    digits = f"{three_digits:03d}"
    candidates = [f"{whole},{digits}", f"0.{digits}", f"0,{digits}"]
    for spelling in candidates:
        with pytest.raises(CellProblem, match="không rõ nghĩa"):
            read_number(prefix + spelling)


def test_the_property_helpers_can_fail():
    """The comparison above does see a moved number (a test that cannot fail is a defect)."""
    records = [{"indicator": "training_sessions", "value": 10.0}]
    moved = copy.deepcopy(records)
    moved[0]["value"] = 11.0
    assert province_totals(records, "01") != province_totals(moved, "01")
