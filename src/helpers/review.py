"""The rendered review of a year: tables, figures, cross-checks and the ledger, ready for the review notebook.

What reviewers read is in Vietnamese (``lang="vi"``, numbers ``1.234,5``) or,
for partners, English (``lang="en"``). Text that came from returns is
HTML-escaped wherever it is put into HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import __version__, figures
from helpers.catalogue import ALL, catalogue, indicators_of
from helpers.indicators import read_indicators
from helpers.paths import ProjectPaths
from helpers.programme import Programme, programme_for
from helpers.reference import agencies, district_by_code, districts
from helpers.clean import REJECT_COLUMNS
from helpers.returns import NON_DATA_KINDS
from helpers.text import format_number_vi, format_percent_vi
from helpers.revisions import latest_revisions
from helpers.years import load_history


GENERATED_CLASS = "generated"
"""The one element of the HTML that changes from run to run (the generation stamp)."""

SECTIONS = ("headline", "activities", "development", "years", "checks", "ledger")

TEXT = {
    "vi": {
        "title": "Sơ kết năm {year}",
        "title_programme": "Sơ kết năm {year} — {programme}",
        "subtitle": "Liên minh HTX tỉnh · Hội Nông dân tỉnh · Hội Cựu chiến binh tỉnh · Hội LHPN tỉnh",
        "subtitle_period": "Liên minh HTX tỉnh · Hội Nông dân tỉnh · Hội Cựu chiến binh tỉnh · Hội LHPN tỉnh — giai đoạn {period}",
        "revisions": "Thay đổi so với lần tạo trước",
        "revisions_intro": "Lần tạo lúc {when}, số liệu khác lần tạo trước vì các tệp sau đã thay đổi: {cause}.",
        "revisions_more": "Ngoài ra có {count} thay đổi theo từng địa bàn (data/processed/{year}/revisions.csv).",
        "cap_revisions": "Chỉ tiêu toàn tỉnh và theo cơ quan đã thay đổi.",
        "agency": "Cơ quan",
        "before": "Lần trước",
        "after": "Lần này",
        "not_reported": "không báo cáo",
        "no_previous": "Chưa có số liệu năm {previous}: năm {year} không được so sánh với năm trước.",
        "no_cumulative": "Số cộng dồn của giai đoạn bắt đầu từ năm {year}: chưa có tổng qua nhiều năm.",
        "sample": "<b>Dữ liệu mẫu tổng hợp</b> — không phải số liệu thật của các cơ quan.",
        "contents": "Mục lục",
        "generated": "Tạo lúc {when} bằng coop-review {version}",
        "headline": "1. Số liệu chính",
        "activities": "2. Kết quả hoạt động phối hợp (Biểu 01)",
        "development": "3. Phát triển HTX và THT (Biểu 02, Biểu 03)",
        "years": "4. So với các năm trước và mục tiêu",
        "checks": "5. Đối chiếu số liệu",
        "ledger": "6. Sổ ghi dữ liệu",
        "indicator": "Chỉ tiêu",
        "unit": "Đơn vị tính",
        "province": "Toàn tỉnh",
        "year_col": "Năm {year}",
        "change": "Tăng/giảm",
        "change_pct": "Tăng/giảm (%)",
        "total": "Cộng dồn {start}–{year}",
        "years_missing": "Năm thiếu số liệu",
        "period": "Giai đoạn",
        "target": "Mục tiêu",
        "result": "Kết quả {year}",
        "status": "Đánh giá",
        "source": "Nguồn",
        "note": "Ghi chú",
        "check": "Kiểm tra",
        "scope": "Phạm vi",
        "value": "Giá trị",
        "expected": "Đối chiếu",
        "difference": "Chênh lệch",
        "file": "Tệp",
        "complete": "<b>Đủ dữ liệu:</b> mọi tệp báo cáo năm {year} đều đọc được, không có dòng nào bị loại.",
        "missing_files": "<b>Thiếu hoặc không dùng được ({count}):</b> số liệu của các tệp sau KHÔNG có trong báo cáo này.",
        "rejected_rows": "<b>Dòng bị loại</b> (chi tiết ở mục Sổ ghi dữ liệu):",
        "rows_rejected": "{count} dòng bị loại",
        "notes": "<b>Lưu ý:</b>",
        "no_targets": "Chưa có bảng mục tiêu (data/targets.csv) cho năm này.",
        "pp": "đ.p.",
        "cap_headline": "Các chỉ tiêu chính so với năm trước. Dấu ~ đánh dấu số ước tính (báo cáo ghi \"trên\", \"gần\", \"khoảng\" …); đ.p. = điểm phần trăm.",
        "cap_activity": "Kết quả theo cơ quan. \"–\" là cơ quan không báo cáo chỉ tiêu đó (không phải số 0).",
        "cap_development": "HTX (không kể HTX đã giải thể) và THT theo địa bàn; doanh thu, lợi nhuận bình quân của HTX đang hoạt động (triệu đồng).",
        "cap_changes": "Mọi chỉ tiêu toàn tỉnh so với năm trước.",
        "cap_cumulative": "Cộng dồn từ năm đầu của chương trình.",
        "cap_targets": "Tiến độ so với mục tiêu: Đạt / Đúng tiến độ / Chậm.",
        "cap_checks": "Các chênh lệch được nêu rõ, không tự điều chỉnh.",
        "cap_ledger": "Với mỗi tệp: số dòng đọc = hợp lệ + bị loại (có lý do) + không phải dữ liệu. Không dòng nào bị bỏ sót.",
        "cap_non_data": "Dòng không phải dữ liệu, theo loại.",
        "cap_rejects": "Dòng bị loại: vị trí, giá trị và cách sửa.",
        "cap_approximate": "Giá trị ước tính và số được dùng.",
        "cap_ignored": "Cột không được đọc và lý do.",
        "cap_corrections": "Sửa lỗi đã khai báo (data/corrections.csv): giá trị trong báo cáo gốc và giá trị đã sửa.",
        "not_shown": "Bảng chỉ hiện {shown} trong số {total} dòng; {more} dòng còn lại có trong tệp {csv} (data/processed/{year}/{csv}): {per_file}.",
        "not_shown_plain": "Bảng chỉ hiện {shown} trong số {total} dòng; {more} dòng còn lại không hiện ở đây.",
    },
    "en": {
        "title": "Review of {year}",
        "title_programme": "Review of {year} — {programme}",
        "subtitle": "Cooperative Alliance · Farmers' Union · Veterans' Association · Women's Union",
        "subtitle_period": "Cooperative Alliance · Farmers' Union · Veterans' Association · Women's Union — {period}",
        "revisions": "Changes since the previous build",
        "revisions_intro": "Built {when}; the figures differ from the previous build because these files changed: {cause}.",
        "revisions_more": "There are also {count} changes by district (data/processed/{year}/revisions.csv).",
        "cap_revisions": "Province and agency indicators that changed.",
        "agency": "Agency",
        "before": "Before",
        "after": "Now",
        "not_reported": "not reported",
        "no_previous": "No data for {previous}: {year} is not compared with a previous year.",
        "no_cumulative": "The period's totals start in {year}: there is no total over several years yet.",
        "sample": "<b>Synthetic sample data</b> — not the agencies' real figures.",
        "contents": "Contents",
        "generated": "Generated {when} by coop-review {version}",
        "headline": "1. Headline figures",
        "activities": "2. Programme activities (Biểu 01)",
        "development": "3. Cooperatives and cooperative groups (Biểu 02, Biểu 03)",
        "years": "4. Against earlier years and targets",
        "checks": "5. Cross-checks",
        "ledger": "6. Data-quality ledger",
        "indicator": "Indicator",
        "unit": "Unit",
        "province": "Province",
        "year_col": "{year}",
        "change": "Change",
        "change_pct": "Change (%)",
        "total": "Total {start}–{year}",
        "years_missing": "Years without data",
        "period": "Period",
        "target": "Target",
        "result": "Result {year}",
        "status": "Status",
        "source": "Source",
        "note": "Note",
        "check": "Check",
        "scope": "Scope",
        "value": "Value",
        "expected": "Expected",
        "difference": "Difference",
        "file": "File",
        "complete": "<b>Complete:</b> every return of {year} was read and no row was rejected.",
        "missing_files": "<b>Missing or unusable ({count}):</b> the figures of these files are NOT in this review.",
        "rejected_rows": "<b>Rejected rows</b> (details in the data-quality ledger):",
        "rows_rejected": "{count} rows rejected",
        "notes": "<b>Notes:</b>",
        "no_targets": "No targets table (data/targets.csv) applies to this year.",
        "pp": "p.p.",
        "cap_headline": "Headline figures against the previous year. ~ marks an approximate figure (typed \"over\", \"nearly\", \"about\" …); p.p. = percentage points.",
        "cap_activity": "Results by agency. \"–\" means the agency did not report the indicator (not zero).",
        "cap_development": "Cooperatives (not dissolved) and groups by district; mean revenue and profit of operating cooperatives (million VND).",
        "cap_changes": "Every province indicator against the previous year.",
        "cap_cumulative": "Totals since the programme's first year.",
        "cap_targets": "Progress against the targets: met / on track / behind.",
        "cap_checks": "Differences are shown, never corrected silently.",
        "cap_ledger": "Per file: rows read = accepted + rejected (with a reason) + non-data. No row is lost.",
        "cap_non_data": "Non-data rows by kind.",
        "cap_rejects": "Rejected rows: where, the value, and how to fix it.",
        "cap_approximate": "Approximate values and the number used.",
        "cap_ignored": "Columns that were not read, and why.",
        "cap_corrections": "Declared corrections (data/corrections.csv): the value in the return and the corrected value.",
        "not_shown": "Showing {shown} of {total} rows; the other {more} are in {csv} (data/processed/{year}/{csv}): {per_file}.",
        "not_shown_plain": "Showing {shown} of {total} rows; the other {more} are not shown here.",
    },
}
STATUS_TEXT = {
    "vi": {"met": "Đạt", "on_track": "Đúng tiến độ", "behind": "Chậm", "agree": "Khớp", "differ": "Lệch", "missing": "Thiếu số liệu"},
    "en": {"met": "Met", "on_track": "On track", "behind": "Behind", "agree": "Agree", "differ": "Differ", "missing": "Missing"},
}
CHECK_TEXT = {
    "vi": {
        "guided_vs_register": "HTX được hướng dẫn thành lập (Biểu 01) so với HTX thành lập mới trong danh sách (Biểu 02)",
        "count_flow": "Số HTX năm nay so với năm trước + thành lập mới − giải thể",
        "totals_row": "Dòng tổng của báo cáo so với tổng các dòng",
    },
    "en": {
        "guided_vs_register": "New HTX guided (Biểu 01) against HTX founded on the register (Biểu 02)",
        "count_flow": "HTX this year against last year + founded − dissolved",
        "totals_row": "A return's totals row against the sum of its rows",
    },
}
KIND_NAMES = {
    "vi": {
        "title": "Tiêu đề", "header": "Dòng tên cột", "column_numbers": "Dòng số thứ tự cột", "section": "Dòng nhóm (địa bàn)",
        "totals": "Dòng tổng", "blank": "Dòng trống", "note": "Ghi chú", "footer": "Chân trang, chữ ký",
    },
    "en": {
        "title": "Title", "header": "Header", "column_numbers": "Column numbers", "section": "Section",
        "totals": "Totals", "blank": "Blank", "note": "Note", "footer": "Footer",
    },
}  # fmt: skip
LEDGER_HEADERS = {
    "vi": ["Tệp", "Biểu", "Trạng thái", "Số dòng đọc", "Hợp lệ", "Bị loại", "Không phải dữ liệu", "Cột bỏ qua", "Giá trị ước", "Dòng tổng lệch"],
    "en": ["File", "Template", "Status", "Rows read", "Accepted", "Rejected", "Non-data", "Ignored columns", "Approximate", "Totals disagreeing"],
}
LEDGER_STATUS = {"vi": {"read": "Đã đọc", "not used": "KHÔNG DÙNG ĐƯỢC"}, "en": {"read": "read", "not used": "NOT USED"}}


@dataclass
class YearData:
    """Everything the review of one year shows, read from ``data/processed``."""

    year: int
    indicators: pd.DataFrame
    history: pd.DataFrame
    changes: pd.DataFrame
    cumulative: pd.DataFrame
    cross_checks: pd.DataFrame
    targets: pd.DataFrame
    ledger: pd.DataFrame
    rejects: pd.DataFrame
    totals: pd.DataFrame
    approximate: pd.DataFrame
    ignored: pd.DataFrame
    problems: pd.DataFrame
    corrections: pd.DataFrame
    is_sample: bool
    lang: str = "vi"
    programme: Programme | None = None
    revisions: pd.DataFrame = field(default_factory=pd.DataFrame)

    def t(self, key: str, **values) -> str:
        """A text of the review in its language."""
        return TEXT[self.lang][key].format(**values)

    @property
    def has_previous_year(self) -> bool:
        """Whether the previous year has indicators to compare with."""
        return not self.history.empty and self.year - 1 in set(self.history["year"])

    @property
    def has_cumulative(self) -> bool:
        """Whether the cumulative totals span more than the year itself."""
        return not self.cumulative.empty and int(self.cumulative["from_year"].min()) < self.year


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"agency": str, "district": str, "file": str, "scope": str, "period": str})


def load_year(paths: ProjectPaths, year: int, lang: str = "vi") -> YearData:
    """Read the processed outputs of ``year`` (stages 1–3), the indicators of every year up to it, and the year's programme."""
    if lang not in TEXT:
        raise ValueError(f"lang must be one of {sorted(TEXT)}, not {lang!r}")
    processed = paths.processed_year(year)
    return YearData(
        year=year,
        indicators=read_indicators(processed / "indicators.csv"),
        history=load_history(paths, year),
        changes=_read_csv(processed / "changes.csv"),
        cumulative=_read_csv(processed / "cumulative.csv"),
        cross_checks=_read_csv(processed / "cross_checks.csv"),
        targets=_read_csv(processed / "targets_progress.csv"),
        ledger=_read_csv(processed / "ledger.csv"),
        rejects=_read_csv(processed / "rejects.csv"),
        totals=_read_csv(processed / "totals_checks.csv"),
        approximate=_read_csv(processed / "approximate.csv"),
        ignored=_read_csv(processed / "ignored_columns.csv"),
        problems=_read_csv(processed / "problems.csv"),
        corrections=_read_csv(processed / "corrections_applied.csv"),
        is_sample=paths.is_sample_data,
        lang=lang,
        programme=programme_for(paths, year),
        revisions=latest_revisions(processed),
    )


# -- numbers and names -----------------------------------------------------------


def show_number(value: float | None, approximate: bool = False, share: bool = False, lang: str = "vi") -> str:
    """A value as shown in the review: ``4.730``, ``~10.000`` (approximate), ``62,3%``."""
    if value is None or value != value:
        return "–"
    text = format_percent_vi(value) if share else format_number_vi(value, 1)
    if lang == "en":
        text = text.replace(".", "\u0000").replace(",", ".").replace("\u0000", ",")
    return f"~{text}" if approximate else text


def indicator_name(indicator_id: str, lang: str) -> str:
    """The indicator's name in the review's language."""
    return catalogue()[indicator_id].name(lang)


def indicator_unit(indicator_id: str, lang: str) -> str:
    """The unit shown beside an indicator (``%`` for shares)."""
    indicator = catalogue()[indicator_id]
    return "%" if indicator.is_share else (indicator.unit if lang == "vi" else indicator.unit_en)


def district_name(code: str, lang: str = "vi") -> str:
    """Short name of a district code (``ALL`` → Toàn tỉnh)."""
    if code == ALL:
        return TEXT[lang]["province"]
    district = district_by_code().get(code)
    return (district.short_vi if lang == "vi" else district.name_en) if district else code


def _cell(rows: pd.DataFrame, indicator: str, lang: str, agency: str = ALL, district: str = ALL) -> str:
    match = rows[(rows["indicator"] == indicator) & (rows["agency"] == agency) & (rows["district"] == district)]
    if match.empty:
        return "–"
    row = match.iloc[0]
    return show_number(row["value"], bool(row["approximate"]), catalogue()[indicator].is_share, lang)


# -- tables ------------------------------------------------------------------------

HEADLINE_IDS = ["training_sessions", "training_attendance", "new_htx_guided", "new_tht_guided", "htx_count", "htx_new", "htx_dissolved", "tht_count", "good_fair_share"]


def headline_table(data: YearData) -> pd.DataFrame:
    """The headline figures of the year against the previous year (the year alone when there is no previous year)."""
    changes = data.changes.set_index("indicator")
    records = []
    for indicator_id in HEADLINE_IDS:
        share = catalogue()[indicator_id].is_share
        row = changes.loc[indicator_id] if indicator_id in changes.index else None
        previous = None if row is None or pd.isna(row["previous_value"]) else row["previous_value"]
        change = None if row is None or pd.isna(row["change"]) else row["change"]
        percent = None if row is None or pd.isna(row["change_pct"]) or share else row["change_pct"]
        records.append(
            {
                data.t("indicator"): indicator_name(indicator_id, data.lang),
                data.t("year_col", year=data.year): _cell(data.indicators, indicator_id, data.lang),
                data.t("year_col", year=data.year - 1): show_number(previous, share=share, lang=data.lang),
                data.t("change"): ("–" if change is None else (("+" if change > 0 else "") + (show_number(change * 100, lang=data.lang) + " " + data.t("pp") if share else show_number(change, lang=data.lang)))),
                data.t("change_pct"): "–" if percent is None else ("+" if percent > 0 else "") + show_number(percent, lang=data.lang) + "%",
                data.t("unit"): indicator_unit(indicator_id, data.lang),
            }
        )
    table = pd.DataFrame(records)
    if not data.has_previous_year:
        table = table.drop(columns=[data.t("year_col", year=data.year - 1), data.t("change"), data.t("change_pct")])
    return table


def activity_table(data: YearData) -> pd.DataFrame:
    """Section A: each activity indicator for the province and by agency."""
    records = []
    for indicator in indicators_of("A"):
        record = {data.t("indicator"): indicator.name(data.lang), data.t("unit"): indicator_unit(indicator.id, data.lang), data.t("province"): _cell(data.indicators, indicator.id, data.lang)}
        for agency in agencies():
            record[agency.code] = _cell(data.indicators, indicator.id, data.lang, agency=agency.code)
        records.append(record)
    return pd.DataFrame(records)


def development_table(data: YearData) -> pd.DataFrame:
    """Section B: each cooperative-development indicator for the province and by district."""
    units = [d for d in districts() if not d.is_province_office]
    records = []
    for indicator in indicators_of("B"):
        record = {data.t("indicator"): indicator.name(data.lang), data.t("unit"): indicator_unit(indicator.id, data.lang), data.t("province"): _cell(data.indicators, indicator.id, data.lang)}
        for unit in units:
            record[district_name(unit.code, data.lang)] = _cell(data.indicators, indicator.id, data.lang, district=unit.code)
        records.append(record)
    return pd.DataFrame(records)


def changes_table(data: YearData) -> pd.DataFrame:
    """Every province indicator against the previous year."""
    records = []
    for row in data.changes.itertuples():
        share = catalogue()[row.indicator].is_share
        records.append(
            {
                data.t("indicator"): indicator_name(row.indicator, data.lang),
                data.t("year_col", year=data.year - 1): show_number(None if pd.isna(row.previous_value) else row.previous_value, share=share, lang=data.lang),
                data.t("year_col", year=data.year): show_number(row.value, bool(row.approximate), share, data.lang),
                data.t("change"): "–" if pd.isna(row.change) else show_number(row.change * (100 if share else 1), lang=data.lang) + (" " + data.t("pp") if share else ""),
                data.t("change_pct"): "–" if pd.isna(row.change_pct) or share else show_number(row.change_pct, lang=data.lang) + "%",
            }
        )
    return pd.DataFrame(records)


def cumulative_table(data: YearData) -> pd.DataFrame:
    """Programme totals since the programme's first year."""
    records = []
    for row in data.cumulative.itertuples():
        records.append(
            {
                data.t("indicator"): indicator_name(row.indicator, data.lang),
                data.t("total", start=int(row.from_year), year=int(row.to_year)): show_number(row.total, bool(row.approximate), lang=data.lang),
                data.t("unit"): indicator_unit(row.indicator, data.lang),
                data.t("years_missing"): "" if pd.isna(row.years_missing) else str(row.years_missing),
            }
        )
    return pd.DataFrame(records)


def _note_html(text: str) -> str:
    return f'<p class="note">{html.escape(text)}</p>'


def changes_view(data: YearData):
    """The table of every change on the previous year, or a sentence when there is no previous year."""
    if not data.has_previous_year:
        return show_html(_note_html(data.t("no_previous", year=data.year, previous=data.year - 1)))
    return styled(changes_table(data), data.t("cap_changes"))


def cumulative_view(data: YearData):
    """The cumulative totals, or a sentence in the first year of the period."""
    if not data.has_cumulative:
        return show_html(_note_html(data.t("no_cumulative", year=data.year)))
    return styled(cumulative_table(data), data.t("cap_cumulative"))


def _target_text(row, lang: str) -> str:
    share = catalogue()[row.indicator].is_share
    low = None if pd.isna(row.target_low) else row.target_low
    high = None if pd.isna(row.target_high) else row.target_high
    show = lambda v: show_number(v, share=share, lang=lang)  # noqa: E731
    per_year = {"vi": " mỗi năm", "en": " a year"}[lang] if row.basis == "per_year" else ""
    if low is not None and high is not None:
        return f"{show(low)}–{show(high)}{per_year}"
    if low is not None:
        return ("≥ " if lang == "en" else "tối thiểu ") + show(low) + per_year
    return ("≤ " if lang == "en" else "tối đa ") + show(high) + per_year


def targets_table(data: YearData):
    """Progress against each target of the year, status coloured."""
    records = []
    for row in data.targets.itertuples():
        records.append(
            {
                data.t("indicator"): indicator_name(row.indicator, data.lang),
                data.t("period"): row.period,
                data.t("target"): _target_text(row, data.lang),
                data.t("result", year=data.year): show_number(None if pd.isna(row.value) else row.value, share=catalogue()[row.indicator].is_share, lang=data.lang),
                data.t("status"): STATUS_TEXT[data.lang][row.status],
                data.t("source"): row.source,
            }
        )
    return pd.DataFrame(records, columns=[data.t(k, year=data.year) for k in ("indicator", "period", "target", "result", "status", "source")])


def cross_checks_table(data: YearData) -> pd.DataFrame:
    """The cross-checks with their differences, in the review's language."""
    records = []
    for row in data.cross_checks.itertuples():
        scope = district_name(row.scope, data.lang) if row.check != "totals_row" else row.scope
        records.append(
            {
                data.t("check"): CHECK_TEXT[data.lang][row.check],
                data.t("scope"): scope,
                data.t("value"): show_number(None if pd.isna(row.value) else row.value, lang=data.lang),
                data.t("expected"): show_number(None if pd.isna(row.expected) else row.expected, lang=data.lang),
                data.t("difference"): "" if pd.isna(row.difference) else show_number(row.difference, lang=data.lang),
                data.t("status"): STATUS_TEXT[data.lang][row.status],
                data.t("note"): "" if pd.isna(row.note) else str(row.note),
            }
        )
    return pd.DataFrame(records, columns=[data.t(k) for k in ("check", "scope", "value", "expected", "difference", "status", "note")])


def ledger_table(data: YearData) -> pd.DataFrame:
    """Per file: rows read = accepted + rejected + non-data, and the flags."""
    ledger = data.ledger.copy()
    ledger["non_data"] = ledger[list(NON_DATA_KINDS)].sum(axis=1)
    columns = ["file", "template", "status", "rows_read", "accepted", "rejected", "non_data", "ignored_columns", "approximate_values", "totals_disagreements"]
    out = ledger[columns].copy()
    out["template"] = out["template"].map(lambda t: f"Biểu {int(t):02d}" if str(t).strip() not in ("", "nan") else "")
    out["status"] = out["status"].map(LEDGER_STATUS[data.lang])
    out.columns = LEDGER_HEADERS[data.lang]
    return out


def non_data_table(data: YearData) -> pd.DataFrame:
    """Per file: the non-data rows by kind (title, header, totals, footer …)."""
    read = data.ledger[data.ledger["status"] == "read"]
    table = read.set_index("file")[list(NON_DATA_KINDS)]
    return table.rename(columns=KIND_NAMES[data.lang]).reset_index().rename(columns={"file": data.t("file")})


REVIEW_TABLE_ROWS = 500
"""The most rows a ledger table shows in the review; the whole table is in its CSV.

A reviewer cannot read 100,000 rejected cells, and pandas' Styler would cut
a table of more than 262,144 cells on its own, silently.
"""
NOT_SHOWN = "not_shown"
"""Key of ``DataFrame.attrs`` holding the sentence that says what a cut table leaves out (:func:`styled` shows it)."""


def fair_rows(table: pd.DataFrame, limit: int, by: str = "file") -> pd.Series:
    """Which rows to show when ``table`` is cut to ``limit`` rows: a mask that keeps every file.

    Each file gets an equal share of the rows (a file with fewer rows gives its
    unused share to the others), its first rows in their order: the register's
    20 rejects stay visible beside an activities file with 100,000.
    """
    keys = table[by].fillna("").astype(str)  # a row without a file is still a row: never dropped from the count
    counts = keys.value_counts(sort=False)
    quota = dict.fromkeys(counts.index, 0)
    remaining, open_files = limit, list(keys.drop_duplicates())
    while remaining > 0 and open_files:
        share = max(1, remaining // len(open_files))
        for file in list(open_files):
            given = min(share, counts[file] - quota[file], remaining)
            quota[file] += given
            remaining -= given
            if quota[file] == counts[file]:
                open_files.remove(file)
            if remaining == 0:
                break
    return keys.groupby(keys, sort=False).cumcount() < keys.map(quota)


def cut_for_review(data: YearData, table: pd.DataFrame, csv_name: str, limit: int = REVIEW_TABLE_ROWS) -> pd.DataFrame:
    """``table`` (a ledger read from ``csv_name``, with a ``file`` column) cut to ``limit`` rows for the review, never silently.

    A cut table keeps the first rows of every file and carries, in
    ``attrs[NOT_SHOWN]``, the sentence saying how many rows are left out, by
    file, and that they are in the CSV.
    """
    if len(table) <= limit:
        return table
    shown = fair_rows(table, limit)
    left_out = table.loc[~shown, "file"].fillna("").astype(str).value_counts(sort=False)
    show = lambda n: show_number(n, lang=data.lang)  # noqa: E731
    per_file = "; ".join(f"{file} {show(count)}" for file, count in left_out.items())
    out = table[shown].reset_index(drop=True)
    out.attrs[NOT_SHOWN] = data.t("not_shown", shown=show(len(out)), total=show(len(table)), more=show(len(table) - len(out)), csv=csv_name, year=data.year, per_file=per_file)
    return out


def rejects_table(data: YearData, limit: int = REVIEW_TABLE_ROWS) -> pd.DataFrame:
    """The rejects ledger: at most ``limit`` rows, every file's first rejects among them (see :func:`cut_for_review`)."""
    names = {
        "vi": ["Tệp", "Trang tính", "Dòng", "Đơn vị / HTX", "Cột", "Giá trị", "Lý do và cách sửa"],
        "en": ["File", "Sheet", "Row", "Unit / cooperative", "Column", "Value", "Reason and fix"],
    }[data.lang]
    cut = cut_for_review(data, data.rejects.reindex(columns=REJECT_COLUMNS), "rejects.csv", limit)
    return _keep_attrs(cut, cut.set_axis(names, axis=1).astype(object).fillna(""))


def approximate_table(data: YearData, limit: int = REVIEW_TABLE_ROWS) -> pd.DataFrame:
    """Values typed as approximate, with what they were read as (at most ``limit`` rows, as :func:`rejects_table`)."""
    names = {"vi": ["Tệp", "Trang tính", "Dòng", "Cột", "Ghi trong báo cáo", "Đọc là"], "en": ["File", "Sheet", "Row", "Column", "As typed", "Read as"]}[data.lang]
    cut = cut_for_review(data, data.approximate, "approximate.csv", limit)
    out = cut.set_axis(names, axis=1)
    out[names[-1]] = out[names[-1]].map(lambda v: show_number(v, lang=data.lang))
    return _keep_attrs(cut, out)


def _keep_attrs(source: pd.DataFrame, target: pd.DataFrame) -> pd.DataFrame:
    target.attrs = dict(source.attrs)
    return target


def corrections_table(data: YearData) -> pd.DataFrame:
    """Declared corrections applied to source returns (data/corrections.csv)."""
    names = {"vi": ["Tệp", "Trang tính", "Dòng", "Cột", "Giá trị gốc", "Giá trị sửa", "Lý do"], "en": ["File", "Sheet", "Row", "Column", "In the return", "Corrected to", "Reason"]}[data.lang]
    return data.corrections.set_axis(names, axis=1).fillna("")


def ignored_table(data: YearData) -> pd.DataFrame:
    """Columns that were not read, with why."""
    names = {"vi": ["Tệp", "Trang tính", "Cột", "Tên cột", "Lý do"], "en": ["File", "Sheet", "Column", "Label", "Reason"]}[data.lang]
    return data.ignored.set_axis(names, axis=1).fillna("")


# -- HTML pieces ----------------------------------------------------------------------


def problems_banner(data: YearData) -> str:
    """An HTML banner listing files that could not be used or are missing, and rejected rows."""
    errors = data.problems[data.problems["severity"] == "error"]
    warnings = data.problems[data.problems["severity"] != "error"]
    if errors.empty and warnings.empty and data.rejects.empty:
        return f'<div class="banner" style="border-left:6px solid #2e8b57;background:#eef8f1;padding:8px 12px">{data.t("complete", year=data.year)}</div>'
    esc = lambda v: html.escape(str(v))  # noqa: E731
    items = "".join(f"<li><b>{esc(p.file)}</b>: {esc(p.problem)} — <i>{esc(p.action)}</i></li>" for p in errors.itertuples())
    notes = "".join(f"<li>{esc(p.file)}: {esc(p.problem)}</li>" for p in warnings.itertuples())
    rejected_rows = data.rejects.groupby("file")["row"].nunique() if not data.rejects.empty else pd.Series(dtype=int)
    rejected = "".join(f"<li>{esc(file)}: {data.t('rows_rejected', count=count)}</li>" for file, count in rejected_rows.items())
    colour, background = ("#c0392b", "#fdecea") if not errors.empty else ("#f0a202", "#fff7e6")
    parts = [f'<div class="banner" style="border-left:6px solid {colour};background:{background};padding:8px 12px">']
    if items:
        parts.append(f"{data.t('missing_files', count=len(errors))}<ul>{items}</ul>")
    if rejected:
        parts.append(f"{data.t('rejected_rows')}<ul>{rejected}</ul>")
    if notes:
        parts.append(f"{data.t('notes')}<ul>{notes}</ul>")
    parts.append("</div>")
    return "".join(parts)


def header_html(data: YearData, generated_at: dt.datetime | None = None) -> str:
    """Title, table of contents, sample note, completeness banner and the generation stamp."""
    when = (generated_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    toc = "".join(f'<li><a href="#{key}">{html.escape(data.t(key).split(". ", 1)[-1])}</a></li>' for key in SECTIONS)
    sample = f'<p style="color:#a15c00">{data.t("sample")}</p>' if data.is_sample else ""
    programme = data.programme
    title = data.t("title_programme", year=data.year, programme=programme.name(data.lang)) if programme else data.t("title", year=data.year)
    subtitle = data.t("subtitle_period", period=programme.period) if programme else data.t("subtitle")
    return (
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(subtitle)}</p>"
        f"{sample}{problems_banner(data)}"
        f'<nav class="toc"><b>{data.t("contents")}</b><ol>{toc}</ol></nav>'
        f'<p class="{GENERATED_CLASS}">{html.escape(data.t("generated", when=when, version=__version__))}</p>'
    )


def revisions_html(data: YearData) -> str:
    """The short section "Thay đổi so với lần tạo trước": what moved in the latest computation (empty when nothing did)."""
    rows = data.revisions
    if rows is None or rows.empty:
        return ""
    province = rows[rows["district"] == ALL]
    esc = html.escape

    def value(text: str, indicator: str) -> str:
        if not text:
            return data.t("not_reported")
        return show_number(float(text), share=indicator in catalogue() and catalogue()[indicator].is_share, lang=data.lang)

    lines = "".join(
        "<tr>"
        f"<td>{esc(indicator_name(row.indicator, data.lang) if row.indicator in catalogue() else row.indicator)}</td>"
        f"<td>{esc(data.t('province') if row.agency == ALL else row.agency)}</td>"
        f"<td>{esc(value(row.old, row.indicator))}</td><td>{esc(value(row.new, row.indicator))}</td>"
        f"<td>{esc(indicator_unit(row.indicator, data.lang) if row.indicator in catalogue() else '')}</td>"
        "</tr>"
        for row in province.itertuples()
    )
    header = "".join(f"<th>{esc(data.t(key))}</th>" for key in ("indicator", "agency", "before", "after", "unit"))
    more = len(rows) - len(province)
    parts = [
        f'<div class="revisions" style="border-left:6px solid #1f6feb;background:#eef4fc;padding:8px 12px">',
        f'<h2 id="revisions">{esc(data.t("revisions"))}</h2>',
        f"<p>{esc(data.t('revisions_intro', when=str(rows['built_at'].iloc[0]).replace('T', ' '), cause=', '.join(sorted(set(rows['cause'])))))}</p>",
    ]
    if lines:
        parts.append(f"<table><caption>{esc(data.t('cap_revisions'))}</caption><thead><tr>{header}</tr></thead><tbody>{lines}</tbody></table>")
    if more:
        parts.append(f"<p>{esc(data.t('revisions_more', count=more, year=data.year))}</p>")
    parts.append("</div>")
    return "".join(parts)


def section_html(data: YearData, key: str) -> str:
    """A section heading with its anchor for the table of contents."""
    first = ' class="first"' if key == SECTIONS[0] else ""
    return f'<h2 id="{key}"{first}>{html.escape(data.t(key))}</h2>'


def styled(table: pd.DataFrame, caption: str | None = None, status_column: str | None = None, lang: str = "vi"):
    """A table for display: no index, text escaped, labels left-aligned, statuses coloured, a caption above.

    A table is never cut silently: one cut by :func:`cut_for_review` shows its
    sentence under the caption; one too big for pandas' Styler is cut here to
    what it can draw, with a sentence in ``lang`` saying how many rows are not shown.
    """
    # A stable table id (pandas draws a random one) keeps the HTML identical from run to run.
    uuid = hashlib.sha256(repr((caption, list(table.columns))).encode("utf-8")).hexdigest()[:10]
    not_shown = table.attrs.get(NOT_SHOWN)
    cells = pd.get_option("styler.render.max_elements")
    if len(table) * max(1, len(table.columns)) > cells:  # the Styler would cut it silently: cut it here, and say so
        rows = cells // max(1, len(table.columns))
        show = lambda n: show_number(n, lang=lang)  # noqa: E731
        not_shown = TEXT[lang]["not_shown_plain"].format(shown=show(rows), total=show(len(table)), more=show(len(table) - rows))
        table = table.head(rows)
    styler = table.style.hide(axis="index").format(escape="html", na_rep="–").set_uuid(uuid)
    if caption or not_shown:
        note = f'<br><span class="not-shown" style="font-weight:normal;color:#b42318">{html.escape(not_shown)}</span>' if not_shown else ""
        styler = styler.set_caption(html.escape(caption or "") + note)
    if status_column and status_column in table.columns:
        colours = {"Đạt": "#1e7a3c", "Met": "#1e7a3c", "Khớp": "#1e7a3c", "Agree": "#1e7a3c", "Đúng tiến độ": "#a15c00", "On track": "#a15c00",
                   "Chậm": "#b42318", "Behind": "#b42318", "Lệch": "#b42318", "Differ": "#b42318"}  # fmt: skip
        styler = styler.map(lambda v: f"color:{colours[v]};font-weight:bold" if v in colours else "", subset=[status_column])
    return styler.set_table_styles(
        [
            {"selector": "caption", "props": "caption-side:top;text-align:left;font-weight:bold;padding:4px 0;color:#1f2328"},
            {"selector": "th", "props": "text-align:left"},
            {"selector": "td", "props": "text-align:right"},
            {"selector": "td:first-child", "props": "text-align:left"},
        ]
    )


# -- figures and workbook ----------------------------------------------------------------


def sources_text(data: YearData, template: str) -> str:
    """The source line of a figure, built from the files actually read."""
    ledger = data.ledger[(data.ledger["status"] == "read") & (data.ledger["template"].astype(str).str.zfill(2) == template)]
    years = sorted(set(data.history["year"]))
    span = f"{years[0]}–{years[-1]}" if template != "01" and len(years) > 1 else str(data.year)
    if ledger.empty:
        return {"vi": f"không có tệp Biểu {template} nào đọc được, năm {span}", "en": f"no Biểu {template} file could be read, {span}"}[data.lang]
    if template == "01":
        names = ", ".join(a for a in ledger["agency"] if a)
        return {"vi": f"Biểu 01 của {names}, năm {span}", "en": f"Biểu 01 returns of {names}, {span}"}[data.lang]
    return {"vi": f"Biểu {template} ({', '.join(ledger['file'])}), năm {span}", "en": f"Biểu {template} ({', '.join(ledger['file'])}), {span}"}[data.lang]


def figure_suffix(lang: str) -> str:
    """File-name suffix of a figure's language variant (none for Vietnamese)."""
    return "" if lang == "vi" else f".{lang}"


def make_figures(data: YearData, paths: ProjectPaths) -> dict[str, figures.SavedFigure]:
    """Draw and save the year's figures to ``reports/<year>/figures`` (6 only when targets apply)."""
    lang = data.lang
    activity_sources, register_sources = sources_text(data, "01"), sources_text(data, "02")
    drawn = {
        "fig1_outputs_by_agency": figures.outputs_by_agency(data.indicators, data.year, activity_sources, data.is_sample, lang),
        "fig2_training_by_district": figures.training_by_district(data.indicators, data.year, activity_sources, data.is_sample, lang),
        "fig3_htx_over_years": figures.htx_over_years(data.history, register_sources, data.is_sample, lang),
        "fig4_rating_mix": figures.rating_mix(data.history, register_sources, data.is_sample, lang),
        "fig5_revenue_profit": figures.revenue_profit(data.history, register_sources, data.is_sample, lang),
    }
    if not data.targets.empty:
        target_sources = {"vi": "data/targets.csv; chỉ tiêu năm {year}", "en": "data/targets.csv; indicators of {year}"}[lang].format(year=data.year)
        drawn["fig6_targets"] = figures.targets_progress(data.targets, data.year, target_sources, data.is_sample, lang)
    ledger_sources = {"vi": f"tệp báo cáo năm {data.year} (data/raw/{data.year})", "en": f"returns of {data.year} (data/raw/{data.year})"}[lang]
    drawn["fig7_data_quality"] = figures.data_quality(data.ledger, data.year, ledger_sources, data.is_sample, lang)
    directory = paths.figures_year(data.year)
    return {stem: figures.save_figure(fig, directory, stem + figure_suffix(lang)) for stem, fig in drawn.items()}


def write_workbook(data: YearData, paths: ProjectPaths) -> Path:
    """Write ``reports/<year>/indicators.xlsx`` (the appendix tables)."""
    from helpers.workbook import write_indicators_workbook

    target = paths.reports_year(data.year) / "indicators.xlsx"
    write_indicators_workbook(data.indicators, data.history, data.changes, data.targets, target)
    return target


# -- notebook display ------------------------------------------------------------------


def show_html(text: str):
    """HTML as a notebook display object."""
    from IPython.display import HTML

    return HTML(text)


def show_figure(saved: figures.SavedFigure):
    """A saved figure as a notebook display object (the 200-dpi PNG, shown at page width)."""
    from IPython.display import Image

    return Image(filename=str(saved.png), width=900)
