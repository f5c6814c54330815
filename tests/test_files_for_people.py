"""Files the analyst double-clicks: CSV with a UTF-8 byte-order mark (Excel), and rejects.xlsx for the agencies."""

from __future__ import annotations

import csv
import subprocess
import unicodedata

import openpyxl
import pandas as pd
import pytest

from conftest import require_tool
from helpers.outputs import write_csv
from helpers.paths import ProjectPaths
from helpers.publish.workbook import REASON_WIDTH, REJECT_HEADERS, write_rejects_workbook
from helpers.read.ledger import removed_words

BOM = b"\xef\xbb\xbf"
NFD_NAME = unicodedata.normalize("NFD", "Hội Nông dân Yên Mô")


def rejects(rows: int = 2) -> pd.DataFrame:
    base = [
        {"file": "activities/HND.xlsx", "sheet": "Biểu 01", "row": 14, "unit": "H. Yên Mô",
         "column": "Số buổi tập huấn", "value": "nhiều",
         "reason": "'nhiều' is not a number — type a whole number, or leave the cell empty if not reported",
         "row_values": 11},
        {"file": "cooperatives.xlsx", "sheet": NFD_NAME, "row": 351, "unit": "", "column": "Tên HTX",
         "value": '=HYPERLINK("x")', "reason": "the cooperative has no name", "row_values": 1},
    ]  # fmt: skip
    return pd.DataFrame(base[:rows], columns=list(REJECT_HEADERS)).astype({"row": "int64"})


# -- CSV with a byte-order mark -----------------------------------------------------------------


def test_csv_starts_with_one_bom_and_reads_back(tmp_path):
    target = tmp_path / "rejects.csv"
    write_csv(rejects(), target)
    data = target.read_bytes()
    assert data.startswith(BOM) and not data[3:].startswith(BOM)
    assert data[3:].decode("utf-8").splitlines()[0] == "file,sheet,row,unit,column,value,reason,row_values"
    back = pd.read_csv(target, encoding="utf-8-sig")
    assert list(back.columns) == list(REJECT_HEADERS) and back.loc[0, "value"] == "nhiều"
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["file"] == "activities/HND.xlsx"


def test_problems_csv_has_the_bom_and_the_runner_reads_it_back(tmp_path):
    """problems.csv has the BOM too: the runner reads it back with the csv module (utf-8-sig) and finds its problems."""
    from helpers.pipeline.runner import _year_problems

    paths = ProjectPaths.from_roots(tmp_path / "data", tmp_path / "reports")
    problems = pd.DataFrame(
        [{"file": "activities/HND.xlsx", "problem": "cannot be opened", "action": "send it again", "severity": "error"}]
    )
    write_csv(problems, paths.final_processed(2017) / "problems.csv")
    assert (paths.final_processed(2017) / "problems.csv").read_bytes().startswith(BOM)
    assert _year_problems(paths, 2017) == ["activities/HND.xlsx: cannot be opened — send it again"]


@pytest.mark.slow
def test_every_csv_for_people_in_a_built_year_has_the_bom(built_review):
    root, result = built_review
    assert result.returncode == 0, result.stdout + result.stderr
    processed = root / "data" / "processed" / "2017"
    written = sorted(processed.glob("*.csv"))
    assert {"indicators.csv", "rejects.csv", "ledger.csv", "changes.csv", "corrections_applied.csv"} <= {
        p.name for p in written
    }
    for path in written:
        assert path.read_bytes().startswith(BOM), path.name


# -- rejects.xlsx ---------------------------------------------------------------------------------


def test_rejects_workbook_for_an_agency(tmp_path):
    target = tmp_path / "rejects.xlsx"
    write_rejects_workbook(rejects(), target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "Dòng bị loại"
    assert [c.value for c in sheet[1]] == list(REJECT_HEADERS.values())
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H3"
    assert [c.value for c in sheet[2]] == [
        "activities/HND.xlsx",
        "Biểu 01",
        14,
        "H. Yên Mô",
        "Số buổi tập huấn",
        "nhiều",
        rejects().loc[0, "reason"],
        "cả dòng — 11 giá trị — không được tính",  # what the reject removed
    ]
    assert sheet["H3"].value == "cả dòng — 1 giá trị — không được tính"
    assert sheet["B3"].value == unicodedata.normalize("NFC", NFD_NAME) != NFD_NAME  # NFC, as Excel's search expects
    assert sheet["F3"].value == '\'=HYPERLINK("x")' and sheet["F3"].data_type == "s"  # shown, never run
    assert isinstance(sheet["C3"].value, int) and sheet["C3"].number_format == "0"  # row 351, not 351.0 or 3.51E+02
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths["G"] == REASON_WIDTH and sheet["G2"].alignment.wrap_text
    assert widths["A"] >= len("activities/HND.xlsx") and widths["E"] >= len("Số buổi tập huấn") and widths["C"] >= 8


def test_rejects_workbook_same_bytes_every_time(tmp_path):
    write_rejects_workbook(rejects(), tmp_path / "a.xlsx")
    write_rejects_workbook(rejects(), tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    write_rejects_workbook(rejects(1), tmp_path / "c.xlsx")
    assert (tmp_path / "c.xlsx").read_bytes() != (tmp_path / "a.xlsx").read_bytes()


def test_rejects_workbook_of_a_clean_year_has_the_header_only(tmp_path):
    write_rejects_workbook(rejects(0), tmp_path / "rejects.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "rejects.xlsx").active
    assert sheet.max_row == 1 and sheet["A1"].value == "Tệp"


@pytest.mark.slow
def test_built_year_has_rejects_xlsx_matching_rejects_csv(built_review):
    root, _ = built_review
    processed = root / "data" / "processed" / "2017"
    table = pd.read_csv(processed / "rejects.csv", dtype=str, keep_default_na=False)
    sheet = openpyxl.load_workbook(processed / "rejects.xlsx").active
    assert len(table) > 0 and sheet.max_row == len(table) + 1
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    columns = [c for c in REJECT_HEADERS if c != "row_values"]
    assert [row[: len(columns)] for row in cells] == table[columns].values.tolist()
    assert [row[-1] for row in cells] == [removed_words(int(count)) for count in table["row_values"]]


@pytest.mark.slow
def test_rejects_workbook_opens_in_libreoffice(tmp_path):
    soffice = require_tool("soffice", "libreoffice-calc")
    write_rejects_workbook(rejects(), tmp_path / "rejects.xlsx")
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
         "--outdir", str(tmp_path / "out"), str(tmp_path / "rejects.xlsx")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    text = (tmp_path / "out" / "rejects.csv").read_text(encoding="utf-8")
    assert "Lý do và cách sửa" in text and "Số buổi tập huấn" in text and "nhiều" in text
