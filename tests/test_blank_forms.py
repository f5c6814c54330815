"""Blank returns (``coop-review template``): laid out as the reader reads them, validated as it validates.

The central test fills every value cell of every district row with a number
(and a register with cooperatives of every kind), saves the forms as a person
would with openpyxl — the totals' formulas then have no saved result — and
checks that the reader gives back exactly those numbers with nothing rejected.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import require_tool
from helpers.clean.outputs import activities_table, groups_table, register_table, rejects_table
from helpers.clean.year import clean_year
from helpers.compute.indicators import compute_indicators
from helpers.errors import ParameterError
from helpers.messages import LANGUAGES, catalogue, message
from helpers.publish.blank_form_columns import canonical_labels, canonical_values, form_columns
from helpers.publish.blank_forms import LISTS_SHEET, TITLE_ROWS, blank_return_paths, write_blank_returns
from helpers.reference import load_reference
from helpers.reference.catalogue import ALL

YEAR = 2023
FIRST_DATA_ROW = TITLE_ROWS + 3  # header, column numbers, then the data
REFERENCE = load_reference(None).for_year(YEAR)  # the shipped tables, the units of 2023
DISTRICTS = [d for d in REFERENCE.districts if not d.is_province_office]
OFFICE = [d for d in REFERENCE.districts if d.is_province_office]


# -- filling the forms as a person would -----------------------------------------------------------


def typed_value(agency_index: int, row_index: int, column_index: int, kind: str) -> float:
    """A distinct number for each cell: whole for counts, with a half for amounts."""
    value = 1000 * agency_index + 37 * row_index + column_index
    return value + 0.5 if kind == "amount" else value


def register_rows(year: int = YEAR) -> list[dict]:
    """Three cooperatives per district: one old and active, one founded in the year, one suspended or dissolved."""
    sectors, ratings = canonical_values("sector"), canonical_values("rating")
    statuses = canonical_values("status")  # active, suspended, dissolved
    rows = []
    for d, district in enumerate(DISTRICTS):
        for k in range(3):
            n = 3 * d + k
            status = statuses[0] if k < 2 else statuses[1 + d % 2]
            rows.append(
                {
                    "name": f"HTX Dịch vụ {district.short_vi} số {k + 1}",
                    "reg_no": f"0{2707000000 + n}",
                    "district": district.name_vi,
                    "commune": f"Xã số {n}",
                    "sector": sectors[n % len(sectors)],
                    "founded": dt.date(year, 1 + n % 12, 15) if k == 1 else dt.date(2001 + n % 15, 3, 1),
                    "status": status,
                    "dissolved": dt.date(year, 6, 30) if status == statuses[2] else None,
                    "members": 10 + n,
                    "workers": 3 + n % 7,
                    "charter_capital_mvnd": 100.5 + n,
                    "revenue_mvnd": 1000.5 + 10 * n,
                    "profit_mvnd": -12.5 if n % 5 == 0 else 20.25 + n,
                    "rating": ratings[n % len(ratings)],
                }
            )
    return rows


def fill_forms(year_dir: Path, bump: float = 0) -> dict:
    """Fill every value cell of every district row, and a register; save with openpyxl. Returns what was typed."""
    typed: dict = {"01": {}, "03": {}}
    for a, agency in enumerate(REFERENCE.agencies):
        path = blank_return_paths(year_dir, REFERENCE)[agency.code]
        typed["01"][agency.code] = _fill_unit_form(path, "01", a + 1, bump if agency.code == "HND" else 0)
    typed["03"] = _fill_unit_form(blank_return_paths(year_dir, REFERENCE)["03"], "03", 9, 0)
    path = blank_return_paths(year_dir, REFERENCE)["02"]
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    fields = [c.field for c in form_columns("02")]
    typed["02"] = register_rows()
    for offset, record in enumerate(typed["02"]):
        for index, field in enumerate(fields, start=1):
            if field in record and record[field] is not None:
                sheet.cell(FIRST_DATA_ROW + offset, index, record[field])
    workbook.save(path)
    return typed


def _fill_unit_form(path: Path, template: str, agency_index: int, bump: float) -> dict:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    columns = form_columns(template)
    units = DISTRICTS + (OFFICE if template == "01" else [])
    typed = {}
    for r, unit in enumerate(units):
        row = FIRST_DATA_ROW + r
        assert sheet.cell(row, 2).value == unit.name_vi
        for c, column in enumerate(columns, start=1):
            if column.kind in ("count", "amount"):
                value = typed_value(agency_index, r, c, column.kind) + (bump if (r, c) == (0, 3) else 0)
                sheet.cell(row, c, value)
                typed[(unit.code, column.field)] = value
    workbook.save(path)
    return typed


def read_back(year_dir: Path, year: int = YEAR):
    cleaned = clean_year(year_dir, year, reference=REFERENCE)
    indicators = compute_indicators(
        activities_table(cleaned), register_table(cleaned), groups_table(cleaned), year, reference=REFERENCE
    )
    return cleaned, indicators


def value(indicators: pd.DataFrame, indicator: str, agency: str = ALL, district: str = ALL) -> float | None:
    match = indicators[
        (indicators["indicator"] == indicator) & (indicators["agency"] == agency) & (indicators["district"] == district)
    ]
    return None if match.empty else float(match.iloc[0]["value"])


def expected_register(rows: list[dict]) -> dict[str, float]:
    """Province register indicators computed here from what was typed, independently of the reader."""
    not_dissolved = [r for r in rows if r["status"] != "Giải thể"]
    active = [r for r in rows if r["status"] == "Đang hoạt động"]
    profits = sorted(r["profit_mvnd"] for r in active)
    return {
        "htx_count": len(not_dissolved),
        "htx_active": len(active),
        "htx_new": sum(r["founded"].year == YEAR for r in rows),
        "htx_dissolved": sum(r["status"] == "Giải thể" for r in rows),
        "htx_members": sum(r["members"] for r in active),
        "htx_workers": sum(r["workers"] for r in active),
        "revenue_per_htx_mean": sum(r["revenue_mvnd"] for r in active) / len(active),
        "profit_per_htx_median": (profits[len(profits) // 2] + profits[(len(profits) - 1) // 2]) / 2,
        "loss_making_share": sum(p < 0 for p in profits) / len(profits),
        "rating_good": sum(r["rating"] == "Tốt" for r in not_dissolved),
        "sector_agriculture": sum(r["sector"] == "Nông nghiệp" for r in not_dissolved),
    }


def assert_indicators_are_the_typed_numbers(indicators: pd.DataFrame, typed: dict) -> None:
    """Every typed activity and THT number, by agency × district, and their province sums, exactly."""
    for agency, cells in typed["01"].items():
        for (district, field), number in cells.items():
            assert value(indicators, field, agency, district) == number, (agency, district, field)
    for field in {f for cells in typed["01"].values() for _, f in cells}:
        total = sum(n for cells in typed["01"].values() for (_, f), n in cells.items() if f == field)
        assert value(indicators, field) == pytest.approx(total, abs=1e-9), field
    for (district, field), number in typed["03"].items():
        assert value(indicators, field, ALL, district) == number, (district, field)
    for name, number in expected_register(typed["02"]).items():
        assert value(indicators, name) == pytest.approx(number), name


# -- the tests --------------------------------------------------------------------------------------


def test_blank_forms_read_back_with_nothing_rejected_and_nothing_reported(tmp_path):
    written = write_blank_returns(YEAR, tmp_path, reference=REFERENCE)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(
        [f"{YEAR}/activities/{a.code}.xlsx" for a in REFERENCE.agencies]
        + [f"{YEAR}/cooperatives.xlsx", f"{YEAR}/groups.xlsx"]
    )
    cleaned, indicators = read_back(tmp_path / str(YEAR))
    assert cleaned.problems == [] and rejects_table(cleaned).empty
    assert value(indicators, "training_sessions") is None  # empty cells are "not reported", never zero
    assert all(read.warnings == [] for read in cleaned.reads)  # the title names the year of the folder


def test_filled_forms_give_back_exactly_the_numbers_typed(tmp_path):
    write_blank_returns(YEAR, tmp_path, reference=REFERENCE)
    typed = fill_forms(tmp_path / str(YEAR))
    cleaned, indicators = read_back(tmp_path / str(YEAR))
    assert rejects_table(cleaned).empty, rejects_table(cleaned).to_string()
    assert cleaned.problems == []
    assert_indicators_are_the_typed_numbers(indicators, typed)
    ledger = {read.source: read.kind_counts() for read in cleaned.reads}
    assert ledger["activities/HND.xlsx"]["accepted"] == len(DISTRICTS) + len(OFFICE)
    assert ledger["cooperatives.xlsx"]["accepted"] == len(typed["02"])
    assert ledger["groups.xlsx"]["accepted"] == len(DISTRICTS)
    assert all(ledger[s]["totals"] == 1 for s in ledger)  # the totals row is recognised, never data


def test_a_filled_form_with_a_wrong_cell_is_still_caught(tmp_path):
    """The harness can fail: text typed past the validation (e.g. pasted) is rejected as before."""
    write_blank_returns(YEAR, tmp_path, reference=REFERENCE)
    path = blank_return_paths(tmp_path / str(YEAR), REFERENCE)["HND"]
    workbook = openpyxl.load_workbook(path)
    workbook.worksheets[0].cell(FIRST_DATA_ROW, 3, "nhiều")
    workbook.save(path)
    cleaned, _ = read_back(tmp_path / str(YEAR))
    [reject] = rejects_table(cleaned).itertuples()
    assert (reject.file, reject.row, reject.value) == ("activities/HND.xlsx", FIRST_DATA_ROW, "nhiều")


def test_forms_are_laid_out_from_the_reference_tables(tmp_path):
    paths = blank_return_paths(tmp_path / str(YEAR), REFERENCE)
    write_blank_returns(YEAR, tmp_path, reference=REFERENCE)
    for key, template in [*((a.code, "01") for a in REFERENCE.agencies), ("02", "02"), ("03", "03")]:
        sheet = openpyxl.load_workbook(paths[key]).worksheets[0]
        assert sheet.title == f"Biểu {template}"
        header = [sheet.cell(TITLE_ROWS + 1, c).value for c in range(1, sheet.max_column + 1)]
        header = [h for h in header if h]
        labels = list(canonical_labels(template).values())
        assert [h.split("\n")[0] for h in header] == labels
        assert any(f"NĂM {YEAR}" in str(cell.value) for row in sheet.iter_rows(max_row=TITLE_ROWS) for cell in row)
        if template != "02":
            units = [sheet.cell(FIRST_DATA_ROW + i, 2).value for i in range(len(DISTRICTS) + (template == "01"))]
            assert units == [d.name_vi for d in DISTRICTS] + ([OFFICE[0].name_vi] if template == "01" else [])
            totals = FIRST_DATA_ROW + len(units)
            assert sheet.cell(totals, 2).value == "Tổng cộng"
            assert sheet.cell(totals, 3).value == f"=SUM(C{FIRST_DATA_ROW}:C{totals - 1})"
    hnd = openpyxl.load_workbook(paths["HND"]).worksheets[0]
    assert hnd.cell(TITLE_ROWS + 1, 3).value == "Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề\n(buổi)"
    assert hnd.cell(TITLE_ROWS + 1, 5).value == "Phân bón cung ứng trả chậm\n(tấn)"
    assert hnd.cell(1, 1).value == "HỘI NÔNG DÂN TỈNH"


def _rules(sheet) -> dict[str, object]:
    """Column letter → its data validation."""
    out = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in str(rule.sqref).split():
            out[cell_range.split(":")[0].rstrip("0123456789")] = rule
    return out


def test_validation_refuses_what_the_reader_rejects(tmp_path):
    paths = blank_return_paths(tmp_path / str(YEAR), REFERENCE)
    write_blank_returns(YEAR, tmp_path, reference=REFERENCE)
    hnd = _rules(openpyxl.load_workbook(paths["HND"]).worksheets[0])
    assert (hnd["C"].type, hnd["C"].operator, hnd["C"].formula1) == (
        "whole",
        "greaterThanOrEqual",
        "0",
    )  # sessions: a count
    assert (hnd["E"].type, hnd["E"].operator, hnd["E"].formula1) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )  # fertiliser: tonnes
    assert "A" not in hnd and "B" not in hnd  # STT and the district are not typed
    workbook = openpyxl.load_workbook(paths["02"])
    register = _rules(workbook.worksheets[0])
    by_field = {
        c.field: register[chr(ord("A") + i)] for i, c in enumerate(form_columns("02")) if c.kind != "row_number"
    }
    assert by_field["members"].type == "whole" and by_field["revenue_mvnd"].operator == "greaterThanOrEqual"
    assert (
        by_field["profit_mvnd"].type == "decimal" and float(by_field["profit_mvnd"].formula1) < 0
    )  # a loss is allowed
    assert by_field["founded"].type == "date" and by_field["dissolved"].type == "date"
    dissolved_from, dissolved_to = (
        dt.date(1899, 12, 30) + dt.timedelta(days=int(f))
        for f in (by_field["dissolved"].formula1, by_field["dissolved"].formula2)
    )
    assert (dissolved_from, dissolved_to) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    founded_from = dt.date(1899, 12, 30) + dt.timedelta(days=int(by_field["founded"].formula1))
    assert founded_from > dt.date(1899, 12, 30) + dt.timedelta(
        days=2100
    )  # a year typed as a number (2017 → 1905) is refused
    lists = workbook[LISTS_SHEET]
    for field, expected in [
        ("district", [d.name_vi for d in DISTRICTS]),
        ("sector", canonical_values("sector")),
        ("status", canonical_values("status")),
        ("rating", canonical_values("rating")),
    ]:
        rule = by_field[field]
        assert rule.type == "list"
        reference = workbook.defined_names[rule.formula1].attr_text
        cells = lists[reference.split("!")[1].replace("$", "")]
        assert [row[0].value for row in cells] == expected, field
    assert canonical_values("status") == ["Đang hoạt động", "Ngừng hoạt động", "Giải thể"]


def test_messages_are_vietnamese_nfc_and_fit_excel_limits(tmp_path):
    write_blank_returns(YEAR, tmp_path, reference=REFERENCE)
    for path in (tmp_path / str(YEAR)).rglob("*.xlsx"):
        for rule in openpyxl.load_workbook(path).worksheets[0].data_validations.dataValidation:
            assert rule.showInputMessage and rule.prompt and rule.promptTitle
            for text, limit in ((rule.promptTitle, 32), (rule.prompt, 255), (rule.errorTitle, 32), (rule.error, 255)):
                if text:
                    assert len(text) <= limit, text  # longer texts make Excel "repair" the file
                    assert unicodedata.is_normalized("NFC", text), text
            if rule.type:  # a rule with criteria stops the value, saying why
                assert rule.showErrorMessage and rule.errorStyle == "stop" and rule.error and rule.errorTitle
    hnd = openpyxl.load_workbook(blank_return_paths(tmp_path / str(YEAR), REFERENCE)["HND"]).worksheets[0]
    assert "Để trống nếu không báo cáo" in _rules(hnd)["C"].prompt


def test_the_texts_of_the_forms_come_from_the_catalogue(tmp_path):
    """Titles, footer and lists sheet are ``blank_form.*`` texts (Vietnamese); the totals word reads back as totals."""
    from helpers.reference import markers

    paths = blank_return_paths(tmp_path / str(YEAR), REFERENCE)
    write_blank_returns(YEAR, tmp_path, reference=REFERENCE)
    groups = openpyxl.load_workbook(paths["03"]).worksheets[0]
    texts = {cell.value for row in groups.iter_rows() for cell in row if isinstance(cell.value, str)}
    expected = {
        message("blank_form.state"),
        message("blank_form.reporting_agency"),
        message("blank_form.title_groups", year=YEAR),
        message("blank_form.period", year=YEAR),
        message("blank_form.totals"),
        message("blank_form.note"),
        message("blank_form.head_sign"),
    }
    assert expected <= texts and message("blank_form.title_groups", year=YEAR).endswith("NĂM 2023")
    assert markers("totals").matches(message("blank_form.totals"))  # the reader knows the form's totals row
    assert openpyxl.load_workbook(paths["02"]).sheetnames[1] == LISTS_SHEET == message("blank_form.lists_sheet")
    keys = [key for key in catalogue() if key.startswith("blank_form.")]
    assert len(keys) > 35 and all(catalogue()[key][lang] for key in keys for lang in LANGUAGES)


def test_labels_are_locked_and_value_cells_are_not(tmp_path):
    write_blank_returns(YEAR, tmp_path, reference=REFERENCE)
    for path in (tmp_path / str(YEAR)).rglob("*.xlsx"):
        sheet = openpyxl.load_workbook(path).worksheets[0]
        assert sheet.protection.sheet
        assert sheet.cell(TITLE_ROWS + 1, 3).protection.locked  # header
        assert sheet.cell(FIRST_DATA_ROW, 2).protection.locked == (
            path.name != "cooperatives.xlsx"
        )  # prefilled district
        assert not sheet.cell(FIRST_DATA_ROW, 3).protection.locked  # a value cell
        assert sheet.cell(1, 1).protection.locked


def test_returns_are_never_overwritten_and_forms_are_deterministic(tmp_path):
    first = write_blank_returns(YEAR, tmp_path / "a", reference=REFERENCE)
    write_blank_returns(YEAR, tmp_path / "b", reference=REFERENCE)
    assert [p.read_bytes() for p in first] == [
        (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes() for p in first
    ]
    before = first[0].read_bytes()
    with pytest.raises(ParameterError) as refused:
        write_blank_returns(YEAR, tmp_path / "a", reference=REFERENCE)
    assert str(refused.value) == message("blank_form.exists", files=", ".join(map(str, first)))
    assert first[0].read_bytes() == before


@pytest.mark.slow
def test_libreoffice_opens_the_forms_keeps_the_validation_and_the_totals_then_agree(tmp_path):
    """LibreOffice converts each form, keeps the validation, and saves the totals' results.

    It would not convert a form it had to repair; the filled return, saved by
    LibreOffice, reads back with its totals checked.
    """
    soffice = require_tool("soffice", "libreoffice-calc")
    write_blank_returns(YEAR, tmp_path / "forms", reference=REFERENCE)
    typed = fill_forms(tmp_path / "forms" / str(YEAR))
    saved = tmp_path / "saved" / str(YEAR)
    forms = tmp_path / "forms" / str(YEAR)
    sources = sorted(forms.rglob("*.xlsx"))
    profile = (tmp_path / "lo-profile").as_uri()
    for folder in sorted(
        {source.parent for source in sources}
    ):  # one LibreOffice start per folder and format, each form converted
        target = saved / folder.relative_to(forms)
        target.mkdir(parents=True, exist_ok=True)
        batch = [str(source) for source in sources if source.parent == folder]
        for kind in ("pdf", "xlsx:Calc MS Excel 2007 XML"):
            result = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    kind,
                    "--outdir",
                    str(target),
                    *batch,
                ],
                capture_output=True,
                text=True,
                timeout=240,
            )
            assert result.returncode == 0, result.stderr
    assert sources
    for source in sources:
        target = saved / source.relative_to(forms).parent
        assert (target / f"{source.stem}.pdf").stat().st_size > 1000
        (target / f"{source.stem}.pdf").unlink()
        reopened = openpyxl.load_workbook(target / source.name)
        rules = reopened.worksheets[0].data_validations.dataValidation
        assert {r.type for r in rules} >= {"whole"} and all(r.prompt for r in rules)
        assert reopened.worksheets[0].protection.sheet
    cleaned, indicators = read_back(saved)
    assert rejects_table(cleaned).empty, rejects_table(cleaned).to_string()
    assert_indicators_are_the_typed_numbers(indicators, typed)
    checks = [check for read in cleaned.reads for check in read.totals]
    assert checks and all(check.totals_value is not None and check.agrees for check in checks)
    shutil.rmtree(tmp_path / "lo-profile", ignore_errors=True)


def test_the_district_list_is_written_whatever_the_order_of_the_choice_columns():
    """The district list is built from the reference tables even when another list comes before it."""
    from helpers.publish import blank_forms

    choices = [c for c in form_columns("02") if c.kind in ("district", "choice")]
    district_last = [c for c in choices if c.kind != "district"] + [c for c in choices if c.kind == "district"]
    assert district_last[0].kind == "choice" and district_last[-1].kind == "district"
    workbook = openpyxl.Workbook()
    blank_forms._write_lists(workbook, district_last, REFERENCE)
    listed = [cell.value for cell in workbook[LISTS_SHEET][openpyxl.utils.get_column_letter(len(district_last))][1:]]
    assert listed == [d.name_vi for d in REFERENCE.districts if not d.is_province_office]
