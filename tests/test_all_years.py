"""reports/all_years.xlsx: every year in one Excel Table, the pivot indicators × years, linked from the index."""

from __future__ import annotations

import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from conftest import require_tool
from helpers.compute.indicators import read_indicators
from helpers.messages import message
from helpers.publish.all_years import ALL_YEARS_NAME, TABLE_NAME, named_history, write_all_years_workbook
from helpers.reference import load_reference
from helpers.tables import INDICATORS

ROWS = [
    (2017, "htx_count", "ALL", "ALL", 120.0, False, ""),
    (2018, "htx_count", "ALL", "ALL", 4730.0, True, "more_than"),
    (2018, "htx_count", "ALL", "373", 12.0, False, ""),
    (2017, "good_fair_share", "ALL", "ALL", 0.625, False, ""),
    (2018, "members_per_htx", "ALL", "ALL", 41.5, False, ""),
    (2018, "training_attendance", "HND", "373", 1500.0, True, "about"),
]


def history() -> pd.DataFrame:
    frame = pd.DataFrame(
        ROWS, columns=["year", "indicator", "agency", "district", "value", "approximate", "approx_sense"]
    ).assign(unit="u")
    return named_history(frame, load_reference(None))


@pytest.fixture
def workbook(tmp_path):
    target = tmp_path / ALL_YEARS_NAME
    write_all_years_workbook(history(), target)
    return openpyxl.load_workbook(target)


def test_the_long_sheet_is_one_excel_table_of_every_row_with_vietnamese_names(workbook):
    assert workbook.sheetnames == [message("workbook.sheet_all_years"), message("workbook.sheet_pivot_years")]
    sheet = workbook[message("workbook.sheet_all_years")]
    assert list(sheet.tables) == [TABLE_NAME] and sheet.tables[TABLE_NAME].ref == f"A1:L{len(ROWS) + 1}"
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Năm", "Mã chỉ tiêu", "Chỉ tiêu", "Nhóm"] and header[-4:] == [
        "Giá trị",
        "Đơn vị tính",
        "Số ước tính",
        "Địa bàn khác năm trước",
    ]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    attendance = next(row for row in rows if row[1] == "training_attendance")
    assert attendance == [2018, "training_attendance", "Số lượt người tham dự tập huấn, bồi dưỡng", "A", "HND",
                          "Hội Nông dân tỉnh", "373", "Gia Viễn", 1500.0, "u", "khoảng", None]  # fmt: skip
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert all(isinstance(row[8], (int, float)) for row in rows)
    formats = {row[1].value: row[8].number_format for row in sheet.iter_rows(min_row=2)}
    assert formats["good_fair_share"] == "0.0%" and formats["members_per_htx"] == "#,##0.0"


def test_the_pivot_sheet_is_indicators_by_years_of_the_province_with_approximate_words(workbook):
    sheet = workbook[message("workbook.sheet_pivot_years")]
    assert [cell.value for cell in sheet[1]] == ["Chỉ tiêu", "Mã chỉ tiêu", "Đơn vị tính", "Năm 2017", "Năm 2018"]
    by_id = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert list(by_id) == ["htx_count", "members_per_htx", "good_fair_share"]  # the catalogue's order; province only
    count = by_id["htx_count"]
    assert (count[3].value, count[3].number_format) == (120, "#,##0")
    assert (count[4].value, count[4].number_format) == (4730, '"trên "#,##0')
    assert by_id["good_fair_share"][2].value == "%" and by_id["good_fair_share"][4].value is None


def test_the_same_history_gives_the_same_bytes(tmp_path):
    write_all_years_workbook(history(), tmp_path / "a.xlsx")
    write_all_years_workbook(history(), tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


@pytest.mark.slow
def test_a_run_writes_the_workbook_and_the_index_links_it(built_review):
    root, result = built_review
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "reports" / ALL_YEARS_NAME).is_file()
    assert f'href="{ALL_YEARS_NAME}"' in (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert message("runner.all_years_at", path=root / "reports" / ALL_YEARS_NAME) in result.stdout


def test_no_built_year_no_workbook_and_no_link(tmp_path):
    from helpers.paths import ProjectPaths
    from helpers.publish.all_years import write_all_years
    from helpers.publish.index_page import build_index

    paths = ProjectPaths.from_roots(tmp_path / "data", tmp_path / "reports")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / ALL_YEARS_NAME).write_bytes(b"stale")
    assert write_all_years(paths) is None and not (tmp_path / "reports" / ALL_YEARS_NAME).exists()
    assert ALL_YEARS_NAME not in build_index(paths)


def libreoffice(soffice: str, profile, target: str, source, out) -> None:
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_of_the_build_and_its_numbers_are_each_years_indicators(built_review, tmp_path):
    root, _ = built_review
    soffice = require_tool("soffice", "libreoffice-calc")
    source = root / "reports" / ALL_YEARS_NAME
    libreoffice(soffice, tmp_path / "lo", "ods", source, tmp_path / "ods")
    with zipfile.ZipFile(tmp_path / "ods" / "all_years.ods") as ods:
        content = ods.read("content.xml").decode("utf-8")
    assert f'table:name="{message("workbook.sheet_all_years")}"' in content
    assert f'table:name="{message("workbook.sheet_pivot_years")}"' in content
    assert f'table:database-range table:name="{TABLE_NAME}"' in content  # the Excel Table, as LibreOffice reads it
    sheets = ods_sheets(content)  # the values LibreOffice read, at full precision
    long_rows = sheets[message("workbook.sheet_all_years")][1:]
    seen = {(int(r[0]), r[1], r[4], r[6]): r[8] for r in long_rows}
    expected = {}
    province = {}
    for year in (2017, 2018):
        table = read_indicators(root / "data" / "processed" / str(year) / INDICATORS)
        for row in table.itertuples():
            expected[(year, row.indicator, row.agency, row.district)] = float(row.value)
            if row.agency == "ALL" and row.district == "ALL":
                province[(row.indicator, year)] = float(row.value)
    assert len(long_rows) == len(expected) and seen.keys() == expected.keys()
    assert all(abs(seen[key] - value) <= 1e-12 * max(1.0, abs(value)) for key, value in expected.items())
    pivot = sheets[message("workbook.sheet_pivot_years")]
    assert pivot[0][3:5] == ["Năm 2017", "Năm 2018"]
    cells = {(r[1], 2017 + i): v for r in pivot[1:] for i, v in enumerate(r[3:5]) if v is not None}
    assert cells.keys() == province.keys()
    assert all(abs(cells[key] - value) <= 1e-12 * max(1.0, abs(value)) for key, value in province.items())


def ods_sheets(content: str) -> dict[str, list[list]]:
    """Sheet name → rows of cell values of an ODS ``content.xml``: numbers as floats, texts as text, blanks None."""
    import xml.etree.ElementTree as ET

    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    }

    def attribute(element, prefix: str, name: str):
        return element.get(f"{{{ns[prefix]}}}{name}")

    sheets = {}
    for sheet in ET.fromstring(content).iter(f"{{{ns['table']}}}table"):
        rows = []
        for row in sheet.iter(f"{{{ns['table']}}}table-row"):
            cells = []
            for cell in row.findall("table:table-cell", ns):
                kind = attribute(cell, "office", "value-type")
                value = float(attribute(cell, "office", "value")) if kind in ("float", "percentage") else None
                if kind == "string":
                    value = "".join("".join(p.itertext()) for p in cell.findall("text:p", ns))
                repeat = int(attribute(cell, "table", "number-columns-repeated") or 1)
                cells += [value] * min(repeat, 50)  # a trailing run of empty cells is cut short
            while cells and cells[-1] is None:
                cells.pop()
            if cells:
                rows.append(cells)
        sheets[attribute(sheet, "table", "name")] = rows
    return sheets


def test_a_workbook_held_open_still_leaves_a_fresh_index_and_one_write_failure(tmp_path, monkeypatch):
    """Excel holding ``all_years.xlsx`` (Windows) is the run's one write failure; the index page is still written."""
    from helpers.compute.indicators import write_indicators
    from helpers.errors import WriteFailure
    from helpers.paths import ProjectPaths
    from helpers.pipeline.stages import write_index_of_years
    from helpers.publish import all_years

    paths = ProjectPaths.from_roots(tmp_path / "data", tmp_path / "reports")
    frame = pd.DataFrame(
        ROWS, columns=["year", "indicator", "agency", "district", "value", "approximate", "approx_sense"]
    )
    columns = ["year", "indicator", "agency", "district", "value", "unit", "approximate", "approx_sense"]
    write_indicators(frame[frame["year"] == 2018].assign(unit="u")[columns], paths.processed_year(2018) / INDICATORS)

    def held_open(workbook, target):
        raise WriteFailure(str(target), "tệp đang mở", "đóng tệp rồi chạy lại")

    monkeypatch.setattr(all_years, "save_workbook", held_open)
    with pytest.raises(WriteFailure):
        write_index_of_years(paths)
    assert (tmp_path / "reports" / "index.html").is_file()
