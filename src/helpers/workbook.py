"""``indicators.xlsx`` and ``rejects.xlsx``: formatted workbooks for people.

``indicators.xlsx`` holds the indicator tables for the printed report's appendix.

One sheet per section (A programme activity, B cooperative development, C
across years, targets) plus the tidy table itself; Vietnamese headers, number
formats, a frozen header row and fitted column widths. The workbook is
written by openpyxl, opens in LibreOffice and Excel without a repair prompt,
and the same data always give the same bytes (fixed document dates and zip
timestamps). ``rejects.xlsx`` is the rejects ledger of a year as a workbook
the analyst can send back to an agency.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from helpers.catalogue import ALL, catalogue, indicators_of
from helpers.messages import status_word
from helpers.outputs import neutralise_formula, save_workbook
from helpers.reference import agencies, districts
from helpers.text import to_nfc

FIXED_DATE = dt.datetime(2000, 1, 1)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="B0B7C3")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
def safe_text(value: object) -> object:
    """Text that a spreadsheet would take for a formula is stored as plain text (prefixed with ')."""
    return neutralise_formula(to_nfc(value)) if isinstance(value, str) else value


def _number_format(indicator_id: str | None, value: object) -> str:
    if indicator_id and catalogue()[indicator_id].is_share:
        return "0.0%"
    if isinstance(value, float) and not float(value).is_integer():
        return "#,##0.0"
    return "#,##0"


def _write_sheet(workbook: Workbook, title: str, columns: list[str], rows: list[list], formats: list[str | None] | None = None) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([safe_text(c) for c in columns])
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_values in rows:
        sheet.append([safe_text(v) for v in row_values])
    for row_index, row in enumerate(sheet.iter_rows(min_row=2), start=0):
        for cell in row:
            cell.border = BORDER
            if isinstance(cell.value, (int, float)):
                cell.number_format = (formats[row_index] if formats and formats[row_index] else "#,##0")
    sheet.freeze_panes = "A2"
    for index, title_ in enumerate(columns, start=1):
        values = [title_] + [row[index - 1] for row in rows]
        width = max(len(str(v)) if v is not None else 0 for v in values)
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))


def _values(table: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    """(indicator, agency, district) → value, the first row of each (the table is in memory: index it once)."""
    keys = zip(table["indicator"], table["agency"], table["district"])
    found: dict[tuple[str, str, str], float] = {}
    for key, value in zip(keys, table["value"]):
        found.setdefault(key, float(value))
    return found


def _value(values: dict[tuple[str, str, str], float], indicator: str, agency: str = ALL, district: str = ALL):
    return values.get((indicator, agency, district))


def write_indicators_workbook(indicators: pd.DataFrame, history: pd.DataFrame, changes: pd.DataFrame, targets: pd.DataFrame, target: Path) -> None:
    """Write ``indicators.xlsx`` for a year.

    Args:
        indicators: the year's tidy indicators.
        history: tidy indicators of every year up to this one.
        changes: :func:`helpers.years.changes` of the year.
        targets: :func:`helpers.targets.progress` of the year.
        target: the file to write.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    year = int(indicators["year"].iloc[0]) if not indicators.empty else None

    agency_codes = [a.code for a in agencies()]
    by_key = _values(indicators)
    rows, formats = [], []
    for indicator in indicators_of("A"):
        values = [_value(by_key, indicator.id)] + [_value(by_key, indicator.id, agency=code) for code in agency_codes]
        rows.append([indicator.name_vi, indicator.unit, *values])
        formats.append(_number_format(indicator.id, next((v for v in values if v is not None), None)))
    _write_sheet(workbook, "A. Hoạt động phối hợp", ["Chỉ tiêu", "Đơn vị tính", "Toàn tỉnh", *agency_codes], rows, formats)

    units = [d for d in districts() if not d.is_province_office]
    rows, formats = [], []
    for indicator in indicators_of("B"):
        values = [_value(by_key, indicator.id)] + [_value(by_key, indicator.id, district=d.code) for d in units]
        rows.append([indicator.name_vi, "%" if indicator.is_share else indicator.unit, *values])
        formats.append(_number_format(indicator.id, next((v for v in values if v is not None), None)))
    _write_sheet(workbook, "B. Phát triển HTX, THT", ["Chỉ tiêu", "Đơn vị tính", "Toàn tỉnh", *(d.short_vi for d in units)], rows, formats)

    years = sorted(set(history["year"]))
    province = history[(history["agency"] == ALL) & (history["district"] == ALL)]
    rows, formats = [], []
    change_by = changes.set_index("indicator") if not changes.empty else pd.DataFrame()
    for indicator in catalogue().values():
        series = province[province["indicator"] == indicator.id].set_index("year")["value"]
        if series.empty:
            continue
        change = change_by["change"].get(indicator.id) if not change_by.empty else None
        percent = change_by["change_pct"].get(indicator.id) if not change_by.empty else None
        rows.append([indicator.name_vi, *(series.get(y) for y in years), None if pd.isna(change) else change, None if percent is None or pd.isna(percent) else percent / 100])
        formats.append(_number_format(indicator.id, next((v for v in series if v is not None), None)))
    _write_sheet(workbook, "C. Qua các năm", ["Chỉ tiêu", *(str(y) for y in years), "Tăng/giảm so với năm trước", "Tăng/giảm (%)"], rows, formats)
    sheet = workbook["C. Qua các năm"]
    for cell in sheet[get_column_letter(len(years) + 3)][1:]:
        cell.number_format = "0.0%"

    rows = [
        [catalogue()[t.indicator].name_vi, t.period, t.target_low, t.target_high, t.value, status_word(t.status), t.source]
        for t in targets.itertuples()
    ]
    formats = [_number_format(t.indicator, t.value) for t in targets.itertuples()]
    _write_sheet(workbook, "Mục tiêu", ["Chỉ tiêu", "Giai đoạn", "Mục tiêu tối thiểu", "Mục tiêu tối đa", f"Kết quả {year}", "Đánh giá", "Nguồn"], rows, formats)

    tidy = indicators.copy()
    rows = [[r.year, r.indicator, r.agency, r.district, r.value, r.unit, "có" if r.approximate else "không"] for r in tidy.itertuples()]
    formats = [_number_format(r.indicator, r.value) for r in tidy.itertuples()]
    _write_sheet(workbook, "Dữ liệu (dạng dài)", ["Năm", "Mã chỉ tiêu", "Cơ quan", "Địa bàn", "Giá trị", "Đơn vị tính", "Số ước tính"], rows, formats)

    workbook.properties.creator = "coop-review"
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    save_workbook(workbook, target)


REJECT_HEADERS = {
    "file": "Tệp",
    "sheet": "Trang tính",
    "row": "Dòng",
    "unit": "Đơn vị / HTX",
    "column": "Cột",
    "value": "Giá trị đã nhập",
    "reason": "Lý do và cách sửa",
}
"""Column of ``rejects.csv`` → its Vietnamese header in ``rejects.xlsx``."""
REASON_WIDTH = 80
"""Characters: the reason column wraps at this width instead of running off the screen."""


def write_rejects_workbook(rejects: pd.DataFrame, target: Path) -> None:
    """Write the rejects ledger of a year as ``rejects.xlsx``, to send back to the agencies.

    One row per rejected cell, in the order of ``rejects.csv``; Vietnamese
    headers in bold, the header row frozen and filterable, columns wide enough
    to read, the reasons wrapped; text in NFC and never run as a formula. The
    same rejects always give the same bytes.

    Args:
        rejects: the rejects table (``helpers.clean.rejects_table``).
        target: the file to write (``processed/<year>/rejects.xlsx``).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    columns = [c for c in REJECT_HEADERS if c in rejects.columns]
    rows = [[None if pd.isna(v) else (int(v) if column == "row" else v) for column, v in zip(columns, record)] for record in rejects[columns].itertuples(index=False)]
    _write_sheet(workbook, "Dòng bị loại", [REJECT_HEADERS[c] for c in columns], rows, ["0"] * len(rows))
    sheet = workbook["Dòng bị loại"]
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    if "reason" in columns:
        letter = get_column_letter(columns.index("reason") + 1)
        sheet.column_dimensions[letter].width = REASON_WIDTH
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.properties.creator = "coop-review"
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    save_workbook(workbook, target)
