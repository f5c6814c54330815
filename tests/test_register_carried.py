"""The register comes pre-filled (issue 20): next year's Biểu 02 carries last year's cooperatives.

When last year's register was read (``processed/<year-1>/register.parquet``),
``coop-review template YEAR`` writes every cooperative of it that was not
dissolved — registration number, name, district, commune, sector, founding
date — with the status left for the agency to confirm. The agency updates the
list instead of typing ~500 cooperatives again, and the filled form reads back
exactly.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from conftest import SAMPLE_RAW, run_cli
from helpers.clean.outputs import register_table, rejects_table
from helpers.clean.year import clean_year
from helpers.paths import ProjectPaths
from helpers.publish.blank_form_columns import canonical_values, form_columns, register_district_name
from helpers.publish.blank_forms import (
    CARRIED_FIELDS,
    NEW_ROWS,
    TITLE_ROWS,
    blank_return_paths,
    last_register,
    write_blank_returns,
)
from helpers.reference import load_reference
from helpers.tables import REGISTER, write_stage_table

REFERENCE = load_reference(None)
FIRST_DATA_ROW = TITLE_ROWS + 3
FIELDS = [column.field for column in form_columns("02")]


def read_last_year(tmp_path, year: int) -> tuple[ProjectPaths, pd.DataFrame]:
    """A data root whose ``year`` register was read, as stage 1 writes it (the shipped sample's returns)."""
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    register = register_table(clean_year(SAMPLE_RAW / str(year), year, reference=REFERENCE))
    write_stage_table(register, paths.final_processed(year), REGISTER)
    return paths, register


def form_rows(sheet) -> list[dict]:
    """The register form's data rows that hold something besides their number, as ``field → value``."""
    rows = []
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=len(FIELDS), values_only=True):
        record = dict(zip(FIELDS, row, strict=True))
        numbered = isinstance(record["row_number"], int)  # not the totals row or the footer
        if numbered and any(value is not None for field, value in record.items() if field != "row_number"):
            rows.append(record)
    return rows


@pytest.mark.parametrize("last_year", [2017, 2018, 2019, 2020, 2021])
def test_every_cooperative_of_last_year_is_in_the_form_and_the_filled_form_reads_back_exactly(tmp_path, last_year):
    paths, register = read_last_year(tmp_path, last_year)
    year = last_year + 1
    carried = last_register(paths, year, REFERENCE)
    out = tmp_path / "forms"
    write_blank_returns(year, out, reference=REFERENCE, carried=carried)
    path = blank_return_paths(out / str(year), REFERENCE)["02"]
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]

    kept = register[register["status"] != "dissolved"].reset_index(drop=True)
    assert len(kept) < len(register) or last_year == 2017  # the sample dissolves some cooperatives every year
    rows = form_rows(sheet)
    assert [row["reg_no"] for row in rows] == list(kept["reg_no"])  # every one, in order, nothing else
    assert all(row["status"] is None for row in rows)  # the status is the agency's to confirm
    numbers = [row[0] for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=1, values_only=True)]
    assert numbers[len(kept) : len(kept) + NEW_ROWS] == list(range(len(kept) + 1, len(kept) + NEW_ROWS + 1))
    assert f"{len(kept)} HTX của danh sách năm {last_year}" in " ".join(
        str(sheet.cell(row, 1).value) for row in range(1, TITLE_ROWS + 1)
    )

    # the agency confirms every cooperative (status) and saves; nothing else is typed
    statuses = canonical_values("status")
    for offset in range(len(kept)):
        sheet.cell(FIRST_DATA_ROW + offset, FIELDS.index("status") + 1, statuses[offset % 2])
    workbook.save(path)
    cleaned = clean_year(out / str(year), year, reference=REFERENCE)
    assert rejects_table(cleaned).empty, rejects_table(cleaned).to_string()
    assert [p for p in cleaned.problems if p.severity == "error"] == []
    read = register_table(cleaned).reset_index(drop=True)
    pd.testing.assert_frame_equal(read[list(CARRIED_FIELDS)], kept[list(CARRIED_FIELDS)])
    assert list(read["status"]) == [["active", "suspended"][offset % 2] for offset in range(len(kept))]


def test_a_cooperative_left_unconfirmed_is_a_located_reject_never_carried_silently(tmp_path):
    paths, register = read_last_year(tmp_path, 2021)
    out = tmp_path / "forms"
    write_blank_returns(2022, out, reference=REFERENCE, carried=last_register(paths, 2022, REFERENCE))
    cleaned = clean_year(out / "2022", 2022, reference=REFERENCE)
    rejects = rejects_table(cleaned)
    kept = register[register["status"] != "dissolved"]
    assert len(rejects.drop_duplicates(["file", "row"])) == len(kept)
    assert set(rejects["column"]) == {"Tình trạng"}


def test_without_last_years_register_the_form_is_blank(tmp_path):
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    assert last_register(paths, 2023, REFERENCE) is None
    out = tmp_path / "forms"
    write_blank_returns(2023, out, reference=REFERENCE, carried=None)
    sheet = openpyxl.load_workbook(blank_return_paths(out / "2023", REFERENCE)["02"]).worksheets[0]
    assert form_rows(sheet) == []


def test_the_district_lookup_is_one_function_of_the_reference():
    """Issue 21 dates the units of a year: the carry-over asks one function, which it can swap."""
    [kim_son] = [d for d in REFERENCE.districts if d.short_vi == "Kim Sơn"]
    assert register_district_name(kim_son.code, REFERENCE) == kim_son.name_vi
    assert register_district_name("999", REFERENCE) == "999"  # unknown: as it is, and the reader rejects it


@pytest.mark.slow
def test_the_template_command_says_what_it_carried(tmp_path):
    paths, register = read_last_year(tmp_path, 2022)
    kept = int((register["status"] != "dissolved").sum())
    result = run_cli("template", "2023", "--out", str(tmp_path / "forms"), "--data", str(paths.data_root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"đã điền sẵn {kept} HTX chưa giải thể của danh sách năm 2022" in result.stdout
    result = run_cli("template", "2024", "--out", str(tmp_path / "forms"), "--data", str(paths.data_root))
    assert "Biểu 02 (cooperatives.xlsx) để trống" in result.stdout


def test_a_register_carried_across_the_reform_keeps_a_unit_only_where_the_tables_tell_it():
    """A register carried across the reform: the unit where the tables tell it, blank otherwise.

    A 2024 cooperative in district 372 goes to the 2026 form's commune column by its full commune name, and is
    left blank to confirm when the tables cannot tell (never a guess, never the old district).
    """
    from helpers.publish.blank_forms import carried_cells

    record = {"reg_no": "0107", "name": "HTX A", "district": "372", "commune": "Xã Gia Lâm", "sector": "agriculture"}
    after = carried_cells(record, REFERENCE, 2026)
    assert after["district"] is None and after["commune"] == REFERENCE.unit_by_code("14389", 2026).name_vi
    unknown = carried_cells(record | {"commune": "Gia Lâm"}, REFERENCE, 2026)
    assert unknown["district"] is None and unknown["commune"] is None
    before = carried_cells(record, REFERENCE, 2024)
    assert before["district"] == REFERENCE.unit_by_code("372", 2024).name_vi and before["commune"] == "Xã Gia Lâm"
