"""The rendered review of a year: tables, figures, cross-checks and the ledger, ready for the review notebook.

What reviewers read is in Vietnamese (``lang="vi"``, numbers ``1.234,5``) or,
for partners, English (``lang="en"``). Text that came from returns is
HTML-escaped wherever it is put into HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import __version__
from helpers.clean.year import REJECT_COLUMNS
from helpers.compute.indicators import read_indicators
from helpers.compute.programme import Programme, programme_for
from helpers.compute.revisions import latest_revisions
from helpers.compute.years import load_history, rejected_note
from helpers.messages import LANGUAGES, approximately, message, status_word
from helpers.paths import ProjectPaths
from helpers.publish import figures
from helpers.read.forms import form_of
from helpers.read.returns import NON_DATA_KINDS
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue, indicators_of
from helpers.text import format_number_vi, format_percent_vi

GENERATED_CLASS = "generated"
"""The one element of the HTML that changes from run to run (the generation stamp)."""

SECTIONS = ("headline", "activities", "development", "years", "checks", "ledger")


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
    reference: Reference
    """The data root's district and agency tables: the units the review shows, with their names."""
    lang: str = "vi"
    programme: Programme | None = None
    revisions: pd.DataFrame = field(default_factory=pd.DataFrame)

    def t(self, key: str, **values) -> str:
        """A text of the review in its language (``review.<key>`` in the message catalogue)."""
        return message(f"review.{key}", self.lang, **values)

    @property
    def has_previous_year(self) -> bool:
        """Whether the previous year has indicators to compare with."""
        return not self.history.empty and self.year - 1 in set(self.history["year"])

    @property
    def has_cumulative(self) -> bool:
        """Whether the cumulative totals span more than the year itself."""
        return not self.cumulative.empty and int(self.cumulative["from_year"].min()) < self.year


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(
        path,
        keep_default_na=False,
        na_values=[""],
        dtype={"agency": str, "district": str, "file": str, "scope": str, "period": str},
    )


def load_year(paths: ProjectPaths, year: int, lang: str = "vi") -> YearData:
    """Read what the review of ``year`` shows.

    The processed outputs of ``year`` (stages 1–3), the indicators of every
    year up to it, the year's programme, and the data root's reference tables.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
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
        reference=paths.reference(),
        lang=lang,
        programme=programme_for(paths, year),
        revisions=latest_revisions(processed),
    )


# -- numbers and names -----------------------------------------------------------


def show_number(
    value: float | None, approximate: bool = False, share: bool = False, lang: str = "vi", sense: str | None = None
) -> str:
    """A value as shown in the review: ``4.730``, ``trên 1.000`` (approximate, in words), ``62,3%``.

    An approximate value is written with the words of its sense (``trên``
    more than, ``gần`` nearly, ``khoảng`` about), never with ``~``; one
    whose sense is not known is "about".
    """
    if value is None or value != value:
        return "–"
    text = format_percent_vi(value) if share else format_number_vi(value, 1)
    if lang == "en":
        text = text.replace(".", "\u0000").replace(",", ".").replace("\u0000", ",")
    if not approximate and not sense:
        return text
    return approximately(text, sense, lang)


def _sense(row, column: str) -> str | None:
    """The approximate sense in ``column`` of a table row (a Series or a named tuple); ``None`` when exact or absent."""
    value = row.get(column) if isinstance(row, pd.Series) else getattr(row, column, None)
    return value if isinstance(value, str) and value else None


def indicator_name(indicator_id: str, lang: str) -> str:
    """The indicator's name in the review's language."""
    return catalogue()[indicator_id].name(lang)


def indicator_unit(indicator_id: str, lang: str) -> str:
    """The unit shown beside an indicator (``%`` for shares)."""
    indicator = catalogue()[indicator_id]
    return "%" if indicator.is_share else (indicator.unit if lang == "vi" else indicator.unit_en)


def district_name(code: str, reference: Reference, lang: str = "vi") -> str:
    """Short name of a district code of ``reference`` (``ALL`` → Toàn tỉnh; an unknown code as it is)."""
    if code == ALL:
        return message("review.province", lang)
    district = reference.district_by_code.get(code)
    return (district.short_vi if lang == "vi" else district.name_en) if district else code


def _cell(rows: pd.DataFrame, indicator: str, lang: str, agency: str = ALL, district: str = ALL) -> str:
    match = rows[(rows["indicator"] == indicator) & (rows["agency"] == agency) & (rows["district"] == district)]
    if match.empty:
        return "–"
    row = match.iloc[0]
    return show_number(
        row["value"], bool(row["approximate"]), catalogue()[indicator].is_share, lang, _sense(row, "approx_sense")
    )


# -- tables ------------------------------------------------------------------------

HEADLINE_IDS = [
    "training_sessions",
    "training_attendance",
    "new_htx_guided",
    "new_tht_guided",
    "htx_count",
    "htx_new",
    "htx_dissolved",
    "tht_count",
    "good_fair_share",
]


def signed_change(change: float | None, share: bool, lang: str) -> str:
    """A change on the previous year as every table writes it.

    ``+915``, ``-12``, ``0``, ``+1,5 đ.p.`` (shares), ``–`` when there is none.
    """
    if change is None or change != change:
        return "–"
    text = show_number(change * (100 if share else 1), lang=lang)
    if share:
        text += " " + message("review.pp", lang)
    return ("+" if change > 0 else "") + text


def signed_percent(percent: float | None, lang: str) -> str:
    """A change in percent: ``+12,5%``, ``-3%``, ``–`` when there is none (the previous value was 0 or missing)."""
    if percent is None or percent != percent:
        return "–"
    return ("+" if percent > 0 else "") + show_number(percent, lang=lang) + "%"


def comparison_columns(data: YearData) -> list[str]:
    """The one column order of every table comparing the year with the previous one."""
    return [
        data.t("indicator"),
        data.t("unit"),
        data.t("year_col", year=data.year - 1),
        data.t("year_col", year=data.year),
        data.t("change"),
        data.t("change_pct"),
    ]


def _comparison_record(data: YearData, indicator_id: str, row) -> dict:
    """One indicator's row of a comparison table (``row``: its line of ``changes.csv``, or ``None``)."""
    share = catalogue()[indicator_id].is_share
    has_senses = (
        "approx_sense" in data.changes.columns
    )  # a build older than the column marks the value when either year is approximate
    if row is None:
        previous = change = percent = None
        current = _cell(data.indicators, indicator_id, data.lang)
        previous_sense = None
    else:
        previous = None if pd.isna(row.previous_value) else row.previous_value
        change = None if pd.isna(row.change) else row.change
        percent = None if pd.isna(row.change_pct) or share else row.change_pct
        current = show_number(
            row.value,
            bool(row.approximate) and (not has_senses or bool(_sense(row, "approx_sense"))),
            share,
            data.lang,
            _sense(row, "approx_sense"),
        )
        previous_sense = _sense(row, "previous_approx_sense")
    columns = comparison_columns(data)
    return dict(
        zip(
            columns,
            [
                indicator_name(indicator_id, data.lang),
                indicator_unit(indicator_id, data.lang),
                show_number(previous, share=share, lang=data.lang, sense=previous_sense),
                current,
                signed_change(change, share, data.lang),
                signed_percent(percent, data.lang),
            ],
            strict=True,
        )
    )


def headline_table(data: YearData) -> pd.DataFrame:
    """The headline figures of the year against the previous year (the year alone when there is no previous year)."""
    changes = {row.indicator: row for row in data.changes.itertuples()}
    table = pd.DataFrame(
        [_comparison_record(data, indicator_id, changes.get(indicator_id)) for indicator_id in HEADLINE_IDS],
        columns=comparison_columns(data),
    )
    if not data.has_previous_year:
        table = table.drop(columns=[data.t("year_col", year=data.year - 1), data.t("change"), data.t("change_pct")])
    return table


def activity_table(data: YearData) -> pd.DataFrame:
    """Section A: each activity indicator for the province and by agency."""
    records = []
    for indicator in indicators_of("A"):
        record = {
            data.t("indicator"): indicator.name(data.lang),
            data.t("unit"): indicator_unit(indicator.id, data.lang),
            data.t("province"): _cell(data.indicators, indicator.id, data.lang),
        }
        for agency in data.reference.agencies:
            record[agency.code] = _cell(data.indicators, indicator.id, data.lang, agency=agency.code)
        records.append(record)
    return pd.DataFrame(records)


def development_table(data: YearData) -> pd.DataFrame:
    """Section B: each cooperative-development indicator for the province and by district."""
    units = [d for d in data.reference.districts if not d.is_province_office]
    records = []
    for indicator in indicators_of("B"):
        record = {
            data.t("indicator"): indicator.name(data.lang),
            data.t("unit"): indicator_unit(indicator.id, data.lang),
            data.t("province"): _cell(data.indicators, indicator.id, data.lang),
        }
        for unit in units:
            record[district_name(unit.code, data.reference, data.lang)] = _cell(
                data.indicators, indicator.id, data.lang, district=unit.code
            )
        records.append(record)
    return pd.DataFrame(records)


def changes_table(data: YearData) -> pd.DataFrame:
    """Every province indicator against the previous year, in the column order of :func:`headline_table`."""
    return pd.DataFrame(
        [_comparison_record(data, row.indicator, row) for row in data.changes.itertuples()],
        columns=comparison_columns(data),
    )


def cumulative_table(data: YearData) -> pd.DataFrame:
    """Programme totals since the programme's first year."""
    records = []
    for row in data.cumulative.itertuples():
        records.append(
            {
                data.t("indicator"): indicator_name(row.indicator, data.lang),
                data.t("total", start_year=int(row.from_year), year=int(row.to_year)): show_number(
                    row.total, bool(row.approximate), lang=data.lang, sense=_sense(row, "approx_sense")
                ),
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
        return show_html(_note_html(data.t("no_previous", year=data.year, previous_year=data.year - 1)))
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
    suffix = "_per_year" if row.basis == "per_year" else ""
    if low is not None and high is not None:
        return message(f"target.range{suffix}", lang, low=show(low), high=show(high))
    if low is not None:
        return message(f"target.at_least{suffix}", lang, low=show(low))
    return message(f"target.at_most{suffix}", lang, high=show(high))


def targets_table(data: YearData):
    """Progress against each target of the year, status coloured."""
    records = []
    for row in data.targets.itertuples():
        records.append(
            {
                data.t("indicator"): indicator_name(row.indicator, data.lang),
                data.t("period"): row.period,
                data.t("target"): _target_text(row, data.lang),
                data.t("result", year=data.year): show_number(
                    None if pd.isna(row.value) else row.value, share=catalogue()[row.indicator].is_share, lang=data.lang
                ),
                data.t("status"): status_word(row.status, data.lang),
                data.t("source"): row.source,
            }
        )
    return pd.DataFrame(
        records,
        columns=[data.t(k, year=data.year) for k in ("indicator", "period", "target", "result", "status", "source")],
    )


def cross_checks_table(data: YearData) -> pd.DataFrame:
    """The cross-checks with their differences, in the review's language."""
    records = []
    located = {"file", "row", "column", "rows_rejected"} <= set(
        data.cross_checks.columns
    )  # not in a build older than the catalogue
    for row in data.cross_checks.itertuples():
        scope, note = row.scope, "" if pd.isna(row.note) else str(row.note)
        if row.check != "totals_row":
            scope = district_name(row.scope, data.reference, data.lang)
        elif located:
            scope = message("check.totals_scope", data.lang, file=row.file, row=int(row.row), column=row.column)
            note = rejected_note(int(row.rows_rejected), data.lang)
        records.append(
            {
                data.t("check"): message(f"check.{row.check}", data.lang),
                data.t("scope"): scope,
                data.t("value"): show_number(None if pd.isna(row.value) else row.value, lang=data.lang),
                data.t("expected"): show_number(None if pd.isna(row.expected) else row.expected, lang=data.lang),
                data.t("difference"): "" if pd.isna(row.difference) else show_number(row.difference, lang=data.lang),
                data.t("status"): status_word(row.status, data.lang),
                data.t("note"): note,
            }
        )
    return pd.DataFrame(
        records, columns=[data.t(k) for k in ("check", "scope", "value", "expected", "difference", "status", "note")]
    )


def ledger_table(data: YearData) -> pd.DataFrame:
    """Per file: rows read = accepted + rejected + non-data, and the flags."""
    ledger = data.ledger.copy()
    ledger["non_data"] = ledger[list(NON_DATA_KINDS)].sum(axis=1)
    columns = [
        "file",
        "template",
        "status",
        "rows_read",
        "accepted",
        "rejected",
        "non_data",
        "ignored_columns",
        "approximate_values",
        "totals_disagreements",
    ]
    out = ledger[columns].copy()
    out["template"] = out["template"].map(
        lambda t: (
            message("template.name", data.lang, template=f"{int(t):02d}") if str(t).strip() not in ("", "nan") else ""
        )
    )
    out["status"] = out["status"].map(lambda status: message(f"ledger_status.{status.replace(' ', '_')}", data.lang))
    out.columns = [message(f"ledger.{column}", data.lang) for column in columns]
    return out


def non_data_table(data: YearData) -> pd.DataFrame:
    """Per file: the non-data rows by kind (title, header, totals, footer …)."""
    read = data.ledger[data.ledger["status"] == "read"]
    table = read.set_index("file")[list(NON_DATA_KINDS)]
    return (
        table.rename(columns={kind: message(f"row_kind.{kind}", data.lang) for kind in NON_DATA_KINDS})
        .reset_index()
        .rename(columns={"file": data.t("file")})
    )


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
    """``table`` cut to ``limit`` rows for the review, never silently.

    ``table`` is a ledger read from ``csv_name``, with a ``file`` column.

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
    out.attrs[NOT_SHOWN] = data.t(
        "not_shown",
        shown=show(len(out)),
        total=show(len(table)),
        more=show(len(table) - len(out)),
        csv=csv_name,
        year=data.year,
        per_file=per_file,
    )
    return out


def rejects_table(data: YearData, limit: int = REVIEW_TABLE_ROWS) -> pd.DataFrame:
    """The rejects ledger: at most ``limit`` rows, every file's first rejects among them (:func:`cut_for_review`)."""
    names = _columns(data.lang, "file", "sheet", "row", "unit_or_htx", "column", "value", "reason_fix")
    cut = cut_for_review(data, data.rejects.reindex(columns=REJECT_COLUMNS), "rejects.csv", limit)
    return _keep_attrs(cut, cut.set_axis(names, axis=1).astype(object).fillna(""))


def approximate_table(data: YearData, limit: int = REVIEW_TABLE_ROWS) -> pd.DataFrame:
    """Values typed as approximate, with what they were read as (at most ``limit`` rows, as :func:`rejects_table`)."""
    names = _columns(data.lang, "file", "sheet", "row", "column", "as_typed", "read_as")
    cut = cut_for_review(data, data.approximate, "approximate.csv", limit)
    senses = cut["sense"] if "sense" in cut else pd.Series("about", index=cut.index)
    out = cut.reindex(columns=["file", "sheet", "row", "column", "typed", "value"]).set_axis(names, axis=1)
    out[names[-1]] = [
        show_number(v, True, lang=data.lang, sense=sense) for v, sense in zip(cut["value"], senses, strict=True)
    ]
    return _keep_attrs(cut, out)


def _columns(lang: str, *keys: str) -> list[str]:
    """Column headings of a ledger table (``column.<key>`` in the catalogue)."""
    return [message(f"column.{key}", lang) for key in keys]


def _keep_attrs(source: pd.DataFrame, target: pd.DataFrame) -> pd.DataFrame:
    target.attrs = dict(source.attrs)
    return target


def corrections_table(data: YearData) -> pd.DataFrame:
    """Declared corrections applied to source returns (data/corrections.csv)."""
    names = _columns(data.lang, "file", "sheet", "row", "column", "in_return", "corrected", "reason")
    return data.corrections.set_axis(names, axis=1).fillna("")


def ignored_table(data: YearData) -> pd.DataFrame:
    """Columns that were not read, with why."""
    names = _columns(data.lang, "file", "sheet", "column", "label", "reason")
    return data.ignored.set_axis(names, axis=1).fillna("")


# -- HTML pieces ----------------------------------------------------------------------


def bold_lead(text: str) -> str:
    """``text`` escaped, its words before the first colon (or parenthesis) in bold: ``<b>Lưu ý:</b>``."""
    cut = min((i for i in (text.find(":"), text.find(" (")) if i > 0), default=-1)
    if cut < 0:
        return html.escape(text)
    lead, rest = (text[: cut + 1], text[cut + 1 :]) if text[cut] == ":" else (text[:cut], text[cut:])
    return f"<b>{html.escape(lead)}</b>{html.escape(rest)}"


def problems_banner(data: YearData) -> str:
    """An HTML banner listing files that could not be used or are missing, and rejected rows."""
    errors = data.problems[data.problems["severity"] == "error"]
    warnings = data.problems[data.problems["severity"] != "error"]
    if errors.empty and warnings.empty and data.rejects.empty:
        style = "border-left:6px solid #2e8b57;background:#eef8f1;padding:8px 12px"
        return f'<div class="banner" style="{style}">{bold_lead(data.t("complete", year=data.year))}</div>'
    esc = lambda v: html.escape(str(v))  # noqa: E731
    items = "".join(
        f"<li><b>{esc(p.file)}</b>: {esc(p.problem)} — <i>{esc(p.action)}</i></li>" for p in errors.itertuples()
    )
    notes = "".join(f"<li>{esc(p.file)}: {esc(p.problem)}</li>" for p in warnings.itertuples())
    rejected_rows = data.rejects.groupby("file")["row"].nunique() if not data.rejects.empty else pd.Series(dtype=int)
    rejected = "".join(
        f"<li>{esc(file)}: {data.t('rows_rejected', count=count)}</li>" for file, count in rejected_rows.items()
    )
    colour, background = ("#c0392b", "#fdecea") if not errors.empty else ("#f0a202", "#fff7e6")
    parts = [f'<div class="banner" style="border-left:6px solid {colour};background:{background};padding:8px 12px">']
    if items:
        parts.append(f"{bold_lead(data.t('missing_files', count=len(errors)))}<ul>{items}</ul>")
    if rejected:
        parts.append(f"{bold_lead(data.t('rejected_rows'))}<ul>{rejected}</ul>")
    if notes:
        parts.append(f"{bold_lead(data.t('notes'))}<ul>{notes}</ul>")
    parts.append("</div>")
    return "".join(parts)


def header_html(data: YearData, generated_at: dt.datetime | None = None) -> str:
    """Title, table of contents, sample note, completeness banner and the generation stamp."""
    when = (generated_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    toc = "".join(f'<li><a href="#{key}">{html.escape(data.t(key).split(". ", 1)[-1])}</a></li>' for key in SECTIONS)
    sample = f'<p style="color:#a15c00">{html.escape(data.t("sample"))}</p>' if data.is_sample else ""
    programme = data.programme
    title = (
        data.t("title_programme", year=data.year, programme=programme.name(data.lang))
        if programme
        else data.t("title", year=data.year)
    )
    subtitle = data.t("subtitle_period", period=programme.period) if programme else data.t("subtitle")
    return (
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(subtitle)}</p>"
        f"{sample}{problems_banner(data)}"
        f'<nav class="toc"><b>{data.t("contents")}</b><ol>{toc}</ol></nav>'
        f'<p class="{GENERATED_CLASS}">{html.escape(data.t("generated", when=when, version=__version__))}</p>'
    )


def revisions_html(data: YearData) -> str:
    """The short section "Thay đổi so với lần tạo trước": what moved in the latest computation (empty: nothing)."""
    rows = data.revisions
    if rows is None or rows.empty:
        return ""
    province = rows[rows["district"] == ALL]
    esc = html.escape

    def value(text: str, indicator: str) -> str:
        if not text:
            return data.t("not_reported")
        return show_number(
            float(text), share=indicator in catalogue() and catalogue()[indicator].is_share, lang=data.lang
        )

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
    when = str(rows["built_at"].iloc[0]).replace("T", " ")
    parts = [
        '<div class="revisions" style="border-left:6px solid #1f6feb;background:#eef4fc;padding:8px 12px">',
        f'<h2 id="revisions">{esc(data.t("revisions"))}</h2>',
        f"<p>{esc(data.t('revisions_intro', when=when, cause=', '.join(sorted(set(rows['cause'])))))}</p>",
    ]
    if lines:
        parts.append(
            f"<table><caption>{esc(data.t('cap_revisions'))}</caption><thead><tr>{header}</tr></thead><tbody>{lines}</tbody></table>"
        )
    if more:
        parts.append(f"<p>{esc(data.t('revisions_more', count=more, year=data.year))}</p>")
    parts.append("</div>")
    return "".join(parts)


def section_html(data: YearData, key: str) -> str:
    """A section heading with its anchor for the table of contents."""
    first = ' class="first"' if key == SECTIONS[0] else ""
    return f'<h2 id="{key}"{first}>{html.escape(data.t(key))}</h2>'


SHORT_TABLE_ROWS = 20
"""A table of at most this many rows is kept on one printed page; a longer one breaks between rows."""
NOWRAP_CHARS = 14
"""Cells of a column whose values are all at most this long never wrap."""
STATUS_COLOURS = {"met": "#1e7a3c", "agree": "#1e7a3c", "on_track": "#a15c00", "behind": "#b42318", "differ": "#b42318"}
"""Colour of a status word in the review's tables."""


class Sentence:
    """A caption and a sentence shown in place of an empty table ("Không có dòng nào bị loại.")."""

    def __init__(self, caption: str | None, text: str) -> None:
        self.caption, self.text = caption, text

    def to_html(self) -> str:
        """The caption in bold and the sentence, escaped."""
        caption = f'<p class="caption"><b>{html.escape(self.caption)}</b></p>' if self.caption else ""
        return f'{caption}<p class="note empty-table">{html.escape(self.text)}</p>'

    def _repr_html_(self) -> str:
        return self.to_html()


_NUMBER_CELL = re.compile(r"^(?:(?:trên|gần|khoảng|over|nearly|about) )?[-+]?[\d.,]+ ?(?:%|đ\.p\.|p\.p\.)?$|^[–-]?$")


def _is_number_column(column: pd.Series) -> bool:
    """Whether every cell of a column reads as a number, to align it right.

    ``trên 4.730``, ``+12,5%``, ``+3 đ.p.`` and ``–`` do.
    """
    return all(_NUMBER_CELL.match(str(value).strip()) for value in column if value == value)


def styled(
    table: pd.DataFrame,
    caption: str | None = None,
    status_column: str | None = None,
    lang: str = "vi",
    empty: str | None = None,
    css_class: str = "",
):
    """A table for display: no index, text escaped, labels left-aligned, statuses coloured, a caption above.

    A table is never cut silently: one cut by :func:`cut_for_review` shows its
    sentence under the caption; one too big for pandas' Styler is cut here to
    what it can draw, with a sentence in ``lang`` saying how many rows are not shown.
    An empty table is a sentence (``empty``, else "Không có dòng nào."), never bare headers.
    ``css_class`` names the table's class for the print rules of the template (``wide-last``: the last
    column takes the room).
    """
    if table.empty:
        return Sentence(caption, empty or message("review.no_rows", lang))
    # A stable table id (pandas draws a random one) keeps the HTML identical from run to run.
    uuid = hashlib.sha256(repr((caption, list(table.columns))).encode("utf-8")).hexdigest()[:10]
    not_shown = table.attrs.get(NOT_SHOWN)
    cells = pd.get_option("styler.render.max_elements")
    if len(table) * max(1, len(table.columns)) > cells:  # the Styler would cut it silently: cut it here, and say so
        rows = cells // max(1, len(table.columns))
        show = lambda n: show_number(n, lang=lang)  # noqa: E731
        not_shown = message(
            "review.not_shown_plain", lang, shown=show(rows), total=show(len(table)), more=show(len(table) - rows)
        )
        table = table.head(rows)
    styler = table.style.hide(axis="index").format(escape="html", na_rep="–").set_uuid(uuid)
    classes = [css_class] if css_class else []
    if len(table) <= SHORT_TABLE_ROWS:
        classes.append("short")  # printed on one page (the template's print rules)
    if classes:
        styler = styler.set_table_attributes(f'class="{html.escape(" ".join(classes))}"')
    # numbers, codes and short words never wrap (``trên 4.730`` on one line); long texts wrap
    short = [column for column in table.columns if table[column].astype(str).str.len().max() <= NOWRAP_CHARS]
    if short:
        styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    text = [column for index, column in enumerate(table.columns) if index and not _is_number_column(table[column])]
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
    if caption or not_shown:
        note = (
            f'<br><span class="not-shown" style="font-weight:normal;color:#b42318">{html.escape(not_shown)}</span>'
            if not_shown
            else ""
        )
        styler = styler.set_caption(html.escape(caption or "") + note)
    if status_column and status_column in table.columns:
        colours = {status_word(status, each): colour for status, colour in STATUS_COLOURS.items() for each in LANGUAGES}
        styler = styler.map(
            lambda v: f"color:{colours[v]};font-weight:bold" if v in colours else "", subset=[status_column]
        )
    return styler.set_table_styles(
        [
            {
                "selector": "caption",
                "props": "caption-side:top;text-align:left;font-weight:bold;padding:4px 0;color:#1f2328",
            },
            {"selector": "th", "props": "text-align:left"},
            {"selector": "td", "props": "text-align:right"},
            {"selector": "td:first-child", "props": "text-align:left"},
            *([{"selector": "td:last-child", "props": "text-align:left"}] if css_class == "wide-last" else []),
        ]
    )


# -- figures and workbook ----------------------------------------------------------------


def sources_text(data: YearData, template: str) -> str:
    """The source line of a figure, built from the files actually read."""
    ledger = data.ledger[
        (data.ledger["status"] == "read") & (data.ledger["template"].astype(str).str.zfill(2) == template)
    ]
    years = sorted(set(data.history["year"]))
    # the returns of one agency each are this year's activities; the once-a-year returns make the history
    by_agency = form_of(template).per_agency
    span = f"{years[0]}–{years[-1]}" if not by_agency and len(years) > 1 else str(data.year)
    if ledger.empty:
        return message("sources.none", data.lang, template=template, span=span)
    if by_agency:
        return message("sources.activities", data.lang, names=", ".join(a for a in ledger["agency"] if a), span=span)
    return message("sources.files", data.lang, template=template, files=", ".join(ledger["file"]), span=span)


def figure_suffix(lang: str) -> str:
    """File-name suffix of a figure's language variant (none for Vietnamese)."""
    return "" if lang == "vi" else f".{lang}"


def make_figures(data: YearData, paths: ProjectPaths) -> dict[str, figures.SavedFigure]:
    """Draw and save the year's figures to ``reports/<year>/figures`` (6 only when targets apply)."""
    lang = data.lang
    activity_sources, register_sources = sources_text(data, "01"), sources_text(data, "02")
    drawn = {
        "fig1_outputs_by_agency": figures.outputs_by_agency(
            data.indicators, data.year, activity_sources, data.is_sample, lang, reference=data.reference
        ),
        "fig2_training_by_district": figures.training_by_district(
            data.indicators, data.year, activity_sources, data.is_sample, lang, reference=data.reference
        ),
        "fig3_htx_over_years": figures.htx_over_years(data.history, register_sources, data.is_sample, lang),
        "fig4_rating_mix": figures.rating_mix(data.history, register_sources, data.is_sample, lang),
        "fig5_revenue_profit": figures.revenue_profit(data.history, register_sources, data.is_sample, lang),
    }
    if not data.targets.empty:
        target_sources = message("sources.targets", lang, year=data.year)
        drawn["fig6_targets"] = figures.targets_progress(data.targets, data.year, target_sources, data.is_sample, lang)
    ledger_sources = message("sources.ledger", lang, year=data.year)
    drawn["fig7_data_quality"] = figures.data_quality(data.ledger, data.year, ledger_sources, data.is_sample, lang)
    directory = paths.figures_year(data.year)
    return {stem: figures.save_figure(fig, directory, stem + figure_suffix(lang)) for stem, fig in drawn.items()}


def write_workbook(data: YearData, paths: ProjectPaths) -> Path:
    """Write ``reports/<year>/indicators.xlsx`` (the appendix tables)."""
    from helpers.publish.workbook import write_indicators_workbook

    target = paths.reports_year(data.year) / "indicators.xlsx"
    write_indicators_workbook(
        data.indicators, data.history, data.changes, data.targets, target, reference=data.reference
    )
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
