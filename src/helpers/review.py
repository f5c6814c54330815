"""The tables, checks and figures of a year's review, ready for the review notebook.

Everything shown to reviewers is in Vietnamese, numbers formatted ``1.234,5``;
text that came from returns is HTML-escaped wherever it is put into HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import figures
from helpers.catalogue import ALL, catalogue, indicators_of
from helpers.indicators import read_indicators
from helpers.paths import ProjectPaths
from helpers.reference import agencies, district_by_code, districts
from helpers.returns import NON_DATA_KINDS
from helpers.text import format_number_vi, format_percent_vi

SAMPLE_MARKER = ".synthetic"
"""A file of this name in the raw root marks the returns as synthetic sample data."""

KIND_NAMES_VI = {
    "accepted": "Hợp lệ",
    "rejected": "Bị loại",
    "title": "Tiêu đề",
    "header": "Dòng tiêu đề cột",
    "column_numbers": "Dòng số thứ tự cột",
    "section": "Dòng nhóm (địa bàn)",
    "totals": "Dòng tổng",
    "blank": "Dòng trống",
    "note": "Ghi chú",
    "footer": "Chân trang, chữ ký",
}


@dataclass
class YearData:
    """The processed outputs of one year, and the indicators of the years before."""

    year: int
    indicators: pd.DataFrame
    history: pd.DataFrame
    ledger: pd.DataFrame
    rejects: pd.DataFrame
    totals: pd.DataFrame
    approximate: pd.DataFrame
    ignored: pd.DataFrame
    problems: pd.DataFrame
    is_sample: bool


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"agency": str, "district": str, "file": str})


def load_year(paths: ProjectPaths, year: int) -> YearData:
    """Read the processed outputs of ``year`` and the indicators of every year up to it."""
    processed = paths.processed_year(year)
    indicators = read_indicators(processed / "indicators.csv")
    history = pd.concat(
        [read_indicators(paths.processed_year(y) / "indicators.csv") for y in paths.processed_years() if y < year] + [indicators],
        ignore_index=True,
    )
    return YearData(
        year=year,
        indicators=indicators,
        history=history,
        ledger=_read_csv(processed / "ledger.csv"),
        rejects=_read_csv(processed / "rejects.csv"),
        totals=_read_csv(processed / "totals_checks.csv"),
        approximate=_read_csv(processed / "approximate.csv"),
        ignored=_read_csv(processed / "ignored_columns.csv"),
        problems=_read_csv(processed / "problems.csv"),
        is_sample=(paths.raw_root / SAMPLE_MARKER).exists(),
    )


def show_number(value: float, approximate: bool = False, share: bool = False) -> str:
    """A value as shown in the review: ``4.730``, ``~10.000`` (approximate), ``62,3%``."""
    if value is None or value != value:
        return "–"
    text = format_percent_vi(value) if share else format_number_vi(value, 1)
    return f"~{text}" if approximate else text


def _value_cell(rows: pd.DataFrame, indicator: str, agency: str = ALL, district: str = ALL) -> str:
    match = rows[(rows["indicator"] == indicator) & (rows["agency"] == agency) & (rows["district"] == district)]
    if match.empty:
        return "–"
    row = match.iloc[0]
    return show_number(row["value"], bool(row["approximate"]), catalogue()[indicator].is_share)


def activity_table(data: YearData) -> pd.DataFrame:
    """Section A: each activity indicator for the province and by agency."""
    records = []
    for indicator in indicators_of("A"):
        record = {"Chỉ tiêu": indicator.name_vi, "Đơn vị tính": indicator.unit, "Toàn tỉnh": _value_cell(data.indicators, indicator.id)}
        for agency in agencies():
            record[agency.code] = _value_cell(data.indicators, indicator.id, agency=agency.code)
        records.append(record)
    return pd.DataFrame(records)


def development_table(data: YearData) -> pd.DataFrame:
    """Section B: each cooperative-development indicator for the province and by district."""
    units = [d for d in districts() if not d.is_province_office]
    records = []
    for indicator in indicators_of("B"):
        record = {"Chỉ tiêu": indicator.name_vi, "Đơn vị tính": "%" if indicator.is_share else indicator.unit, "Toàn tỉnh": _value_cell(data.indicators, indicator.id)}
        for unit in units:
            record[unit.short_vi] = _value_cell(data.indicators, indicator.id, district=unit.code)
        records.append(record)
    return pd.DataFrame(records)


HEADLINE_IDS = ["training_sessions", "training_attendance", "new_htx_guided", "new_tht_guided", "htx_count", "htx_new", "htx_dissolved", "tht_count", "good_fair_share"]


def headline_table(data: YearData) -> pd.DataFrame:
    """The headline figures of the year, with the previous year where available."""
    previous = data.history[data.history["year"] == data.year - 1]
    records = []
    for indicator_id in HEADLINE_IDS:
        indicator = catalogue()[indicator_id]
        records.append(
            {
                "Chỉ tiêu": indicator.name_vi,
                f"Năm {data.year}": _value_cell(data.indicators, indicator_id),
                f"Năm {data.year - 1}": _value_cell(previous, indicator_id) if not previous.empty else "–",
                "Đơn vị tính": "%" if indicator.is_share else indicator.unit,
            }
        )
    return pd.DataFrame(records)


def sources_text(data: YearData, templates: tuple[str, ...] = ("01", "02", "03")) -> str:
    """The source line of a figure, built from the files actually read."""
    read = data.ledger[(data.ledger["status"] == "read") & (data.ledger["template"].astype(str).str.zfill(2).isin(templates))]
    parts = []
    for template in templates:
        rows = read[read["template"].astype(str).str.zfill(2) == template]
        if rows.empty:
            continue
        if template == "01":
            parts.append("Biểu 01 của " + ", ".join(a for a in rows["agency"] if a))
        else:
            parts.append(f"Biểu {template} ({', '.join(rows['file'])})")
    years = sorted(set(data.history["year"])) if templates != ("01",) else [data.year]
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(data.year)
    return f"{'; '.join(parts) or 'không có tệp nào đọc được'}, năm {span}"


def cross_checks(data: YearData) -> pd.DataFrame:
    """The cross-checks of every report, as a table with the differences.

    * agencies' ``new_htx_guided`` against the register's ``htx_new``;
    * ``htx_count`` this year against last year's plus new minus dissolved;
    * totals rows against the sum of their rows (one line per file and column).
    """
    records = []
    ind = data.indicators
    scopes = [(ALL, "Toàn tỉnh")] + [(d.code, d.short_vi) for d in districts() if not d.is_province_office]
    for code, name in scopes:
        guided = _value(ind, "new_htx_guided", code)
        founded = _value(ind, "htx_new", code)
        if guided is not None or founded is not None:
            records.append(_check("HTX hướng dẫn thành lập (Biểu 01) so với HTX thành lập mới (Biểu 02)", name, guided, founded))
    previous = data.history[data.history["year"] == data.year - 1]
    for code, name in scopes:
        last = _value(previous, "htx_count", code)
        now = _value(ind, "htx_count", code)
        if last is None or now is None:
            continue
        expected = last + (_value(ind, "htx_new", code) or 0) - (_value(ind, "htx_dissolved", code) or 0)
        records.append(_check(f"Số HTX {data.year} so với số HTX {data.year - 1} + mới − giải thể", name, now, expected))
    for row in data.totals.itertuples(index=False):
        records.append(
            _check(f"Dòng tổng so với tổng các dòng: {row.file} › dòng {row.row}", str(row.column), row.totals_value, row.rows_sum)
            | {"Ghi chú": f"{int(row.rows_rejected)} dòng bị loại không được cộng" if row.rows_rejected else ""}
        )
    frame = pd.DataFrame(records, columns=["Kiểm tra", "Phạm vi", "Giá trị", "Đối chiếu", "Chênh lệch", "Kết quả", "Ghi chú"])
    return frame.fillna("")


def _value(table: pd.DataFrame, indicator: str, district: str) -> float | None:
    match = table[(table["indicator"] == indicator) & (table["agency"] == ALL) & (table["district"] == district)]
    return None if match.empty else float(match.iloc[0]["value"])


def _check(what: str, scope: str, value: float | None, against: float | None) -> dict:
    if value is None or against is None or value != value or against != against:
        status, difference = "Thiếu số liệu để đối chiếu", None
    else:
        difference = value - against
        status = "Khớp" if abs(difference) < 1e-6 else "Lệch"
    return {
        "Kiểm tra": what,
        "Phạm vi": scope,
        "Giá trị": format_number_vi(value, 1),
        "Đối chiếu": format_number_vi(against, 1),
        "Chênh lệch": "" if difference is None else format_number_vi(difference, 1),
        "Kết quả": status,
        "Ghi chú": "",
    }


def ledger_table(data: YearData) -> pd.DataFrame:
    """Per file: rows read = accepted + rejected + non-data, and the flags, in Vietnamese."""
    ledger = data.ledger.copy()
    ledger["non_data"] = ledger[list(NON_DATA_KINDS)].sum(axis=1)
    out = pd.DataFrame(
        {
            "Tệp": ledger["file"],
            "Biểu": ledger["template"].map(lambda t: f"Biểu {int(t):02d}" if str(t).strip() not in ("", "nan") else ""),
            "Trạng thái": ledger["status"].map({"read": "Đã đọc", "not used": "KHÔNG DÙNG ĐƯỢC"}),
            "Số dòng đọc": ledger["rows_read"],
            "Hợp lệ": ledger["accepted"],
            "Bị loại": ledger["rejected"],
            "Không phải dữ liệu": ledger["non_data"],
            "Cột bỏ qua": ledger["ignored_columns"],
            "Giá trị ước": ledger["approximate_values"],
            "Dòng tổng lệch": ledger["totals_disagreements"],
        }
    )
    return out


def non_data_table(data: YearData) -> pd.DataFrame:
    """Per file: the non-data rows by kind (title, header, totals, footer …)."""
    read = data.ledger[data.ledger["status"] == "read"]
    table = read.set_index("file")[list(NON_DATA_KINDS)]
    return table.rename(columns=KIND_NAMES_VI).reset_index().rename(columns={"file": "Tệp"})


def rejects_table(data: YearData) -> pd.DataFrame:
    """The rejects ledger with Vietnamese headers."""
    return data.rejects.rename(columns={"file": "Tệp", "sheet": "Trang tính", "row": "Dòng", "column": "Cột", "value": "Giá trị", "reason": "Lý do và cách sửa"}).fillna("")


def approximate_table(data: YearData) -> pd.DataFrame:
    """Values typed as approximate, with what they were read as."""
    out = data.approximate.rename(columns={"file": "Tệp", "sheet": "Trang tính", "row": "Dòng", "column": "Cột", "typed": "Ghi trong báo cáo", "value": "Đọc là"})
    if not out.empty:
        out["Đọc là"] = out["Đọc là"].map(lambda v: format_number_vi(v, 2))
    return out


def ignored_table(data: YearData) -> pd.DataFrame:
    """Columns that were not read, with why."""
    return data.ignored.rename(columns={"file": "Tệp", "sheet": "Trang tính", "column": "Cột", "label": "Tên cột", "reason": "Lý do"}).fillna("")


def problems_banner(data: YearData) -> str:
    """An HTML banner listing files that could not be used or are missing; empty if none."""
    errors = data.problems[data.problems["severity"] == "error"]
    warnings = data.problems[data.problems["severity"] != "error"]
    if errors.empty and warnings.empty and data.rejects.empty:
        return (
            '<div style="border-left:6px solid #2e8b57;background:#eef8f1;padding:8px 12px">'
            f"<b>Đủ dữ liệu:</b> mọi tệp báo cáo năm {data.year} đều đọc được, không có dòng nào bị loại.</div>"
        )
    items = "".join(f"<li><b>{html.escape(str(p.file))}</b>: {html.escape(str(p.problem))} — <i>{html.escape(str(p.action))}</i></li>" for p in errors.itertuples())
    notes = "".join(f"<li>{html.escape(str(p.file))}: {html.escape(str(p.problem))}</li>" for p in warnings.itertuples())
    rejected_rows = data.rejects.groupby("file")["row"].nunique() if not data.rejects.empty else pd.Series(dtype=int)
    rejected = "".join(f"<li>{html.escape(str(file))}: {count} dòng bị loại</li>" for file, count in rejected_rows.items())
    colour, background = ("#c0392b", "#fdecea") if not errors.empty else ("#f0a202", "#fff7e6")
    parts = [f'<div style="border-left:6px solid {colour};background:{background};padding:8px 12px">']
    if items:
        parts.append(f"<b>Thiếu hoặc không dùng được ({len(errors)}):</b> số liệu của các tệp sau KHÔNG có trong báo cáo này.<ul>{items}</ul>")
    if rejected:
        parts.append(f"<b>Dòng bị loại</b> (xem sổ ghi dữ liệu ở cuối báo cáo):<ul>{rejected}</ul>")
    if notes:
        parts.append(f"<b>Lưu ý:</b><ul>{notes}</ul>")
    parts.append("</div>")
    return "".join(parts)


def make_figures(data: YearData, paths: ProjectPaths, lang: str = "vi") -> dict[str, figures.SavedFigure]:
    """Draw and save the year's figures (1–5 and 7) to ``reports/<year>/figures``."""
    directory = paths.figures_year(data.year)
    history_sources = sources_text(data, ("02",))
    activity_sources = sources_text(data, ("01",))
    drawn = {
        "fig1_outputs_by_agency": figures.outputs_by_agency(data.indicators, data.year, activity_sources, data.is_sample, lang),
        "fig2_training_by_district": figures.training_by_district(data.indicators, data.year, activity_sources, data.is_sample, lang),
        "fig3_htx_over_years": figures.htx_over_years(data.history, history_sources, data.is_sample, lang),
        "fig4_rating_mix": figures.rating_mix(data.history, history_sources, data.is_sample, lang),
        "fig5_revenue_profit": figures.revenue_profit(data.history, history_sources, data.is_sample, lang),
        "fig7_data_quality": figures.data_quality(data.ledger, data.year, f"tệp báo cáo năm {data.year} trong data/raw/{data.year}", data.is_sample, lang),
    }
    return {stem: figures.save_figure(fig, directory, stem) for stem, fig in drawn.items()}


def styled(table: pd.DataFrame):
    """A table for display: no index, text escaped, left-aligned labels."""
    return table.style.hide(axis="index").format(escape="html", na_rep="–").set_table_styles(
        [{"selector": "th", "props": "text-align:left"}, {"selector": "td", "props": "text-align:right"}]
    )


def district_name(code: str) -> str:
    """Short Vietnamese name of a district code (``ALL`` → Toàn tỉnh)."""
    return "Toàn tỉnh" if code == ALL else district_by_code()[code].short_vi


def header_html(data: YearData) -> str:
    """Title, subtitle and the completeness banner of the review (HTML, text escaped)."""
    sample = (
        '<p style="color:#a15c00"><b>Dữ liệu mẫu tổng hợp</b> — không phải số liệu thật của các cơ quan '
        "(synthetic sample data).</p>"
        if data.is_sample
        else ""
    )
    return (
        f"<h1>Sơ kết năm {data.year} — Chương trình phối hợp phát triển kinh tế tập thể tỉnh Ninh Bình</h1>"
        "<p>Liên minh HTX tỉnh · Hội Nông dân tỉnh · Hội Cựu chiến binh tỉnh · Hội LHPN tỉnh — giai đoạn 2017–2022</p>"
        f"{sample}{problems_banner(data)}"
    )


def show_header(data: YearData):
    """The review's header as a notebook display object."""
    from IPython.display import HTML

    return HTML(header_html(data))


def show_figure(saved: figures.SavedFigure):
    """A saved figure as a notebook display object (the 200-dpi PNG, shown at page width)."""
    from IPython.display import Image

    return Image(filename=str(saved.png), width=820)
