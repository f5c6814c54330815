"""The year's review data, and how its numbers and names are written for a reader.

:func:`load_year` reads what stages 1–3 wrote in ``data/processed`` into a
:class:`YearData`; the functions below write its values as every table of the
review shows them: in Vietnamese (``lang="vi"``, numbers ``1.234,5``) or, for
partners, English (``lang="en"``), an approximate value in words (``trên
1.000``), never with ``~``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from helpers import tables
from helpers.compute.indicators import read_indicators
from helpers.compute.programme import Programme, programme_for
from helpers.compute.revisions import latest_revisions
from helpers.compute.years import load_history
from helpers.messages import LANGUAGES, approximately, message
from helpers.paths import ProjectPaths
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue
from helpers.samples import SampleLabel, sample_label
from helpers.tables import read_stage_table
from helpers.text import format_number_vi, format_percent_vi, round_significant, shown_share

EXACT_FIGURE_SENSES = ("more_than", "under")
"""Senses written with the figure as computed (``trên 4.730``, ``gần 10.000``); any other: "khoảng" + a round figure."""


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
    sample: SampleLabel
    """Which of the year's returns are shipped sample files (the review, its figures and the Word draft say so)."""
    reference: Reference
    """The data root's district and agency tables: the units the review shows, with their names."""
    lang: str = "vi"
    programme: Programme | None = None
    revisions: pd.DataFrame = field(default_factory=pd.DataFrame)
    next_targets: tuple = ()
    """The targets of the year's targets table that apply to the next year (:class:`helpers.compute.targets.Target`)."""

    def t(self, key: str, **values) -> str:
        """A text of the review in its language (``review.<key>`` in the message catalogue)."""
        return message(f"review.{key}", self.lang, **values)

    @property
    def is_sample(self) -> bool:
        """Whether any return of the year is a shipped sample file."""
        return self.sample.is_sample

    @property
    def has_previous_year(self) -> bool:
        """Whether the previous year has indicators to compare with."""
        return not self.history.empty and self.year - 1 in set(self.history["year"])

    @functools.cached_property
    def rows_by_key(self) -> dict:
        """The indicators' rows by ``(indicator, agency, district)``: one lookup instead of a filter per sentence."""
        rows = self.indicators
        if rows.empty:
            return {}
        keys = list(zip(rows["indicator"], rows["agency"], rows["district"], strict=True))
        positions: dict = {}
        for position, key in enumerate(keys):
            positions.setdefault(key, position)  # the first row of a key, as a filter's first match
        return {key: rows.iloc[position] for key, position in positions.items()}

    @property
    def is_final(self) -> bool:
        """Whether the year is its programme's last: the report is a tổng kết of the whole period."""
        return self.programme is not None and self.year == self.programme.last_year

    @property
    def is_first_year(self) -> bool:
        """Whether the year is its programme's first (without a programme: the first year with data)."""
        if self.programme is not None:
            return self.year == self.programme.first_year
        return not self.has_previous_year

    def territory_note(self, kind: str) -> str | None:
        """The sentence a comparison spanning a change of territory carries (``None``: it spans none).

        Args:
            kind: ``"changes"`` (on the previous year) or ``"cumulative"`` (since the programme's first year),
                read from the ``territory_changed`` flag of ``changes.csv`` / ``cumulative.csv``.
        """
        table = self.changes if kind == "changes" else self.cumulative
        if table.empty or "territory_changed" not in table or not bool(table["territory_changed"].any()):
            return None
        since = self.year - 1 if kind == "changes" else int(table["from_year"].min())
        dates = ", ".join(f"{d.day}/{d.month}/{d.year}" for d in self.reference.change_dates(self.year, since))
        return self.t(f"territory_{kind}", year=self.year, since_year=since, dates=dates)

    @property
    def has_cumulative(self) -> bool:
        """Whether the cumulative totals span more than the year itself."""
        return not self.cumulative.empty and int(self.cumulative["from_year"].min()) < self.year


def load_year(paths: ProjectPaths, year: int, lang: str = "vi") -> YearData:
    """Read what the review of ``year`` shows, in the reader's language ``lang``.

    Returns:
        The processed outputs of ``year`` (stages 1–3), the indicators of every
        year up to it, the year's programme, and the data root's reference tables.

    Raises:
        ValueError: for a language the message catalogue does not have.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    processed = paths.processed_year(year)
    return YearData(
        year=year,
        indicators=read_indicators(processed / tables.INDICATORS),
        history=load_history(paths, year),
        changes=read_stage_table(processed, tables.CHANGES),
        cumulative=read_stage_table(processed, tables.CUMULATIVE),
        cross_checks=read_stage_table(processed, tables.CROSS_CHECKS),
        targets=read_stage_table(processed, tables.TARGETS_PROGRESS),
        ledger=read_stage_table(processed, tables.LEDGER),
        rejects=read_stage_table(processed, tables.REJECTS),
        totals=read_stage_table(processed, tables.TOTALS_CHECKS),
        approximate=read_stage_table(processed, tables.APPROXIMATE),
        ignored=read_stage_table(processed, tables.IGNORED_COLUMNS),
        problems=read_stage_table(processed, tables.PROBLEMS),
        corrections=read_stage_table(processed, tables.CORRECTIONS_APPLIED),
        sample=sample_label(paths.raw_root, year),
        reference=paths.reference().for_year(year),
        lang=lang,
        programme=programme_for(paths, year),
        revisions=latest_revisions(processed),
        next_targets=_next_targets(paths, year),
    )


def _next_targets(paths: ProjectPaths, year: int) -> tuple:
    """The targets of ``year``'s targets table that apply to ``year + 1`` (the report's part IV)."""
    from helpers.compute.programme import targets_file_for
    from helpers.compute.targets import read_targets

    path = targets_file_for(paths, year)
    if path is None:
        return ()
    return tuple(target for target in read_targets(path) if target.applies_to(year + 1))


# -- numbers and names ----------------------------------------------------------


def show_number(
    value: float | None, approximate: bool = False, share: bool = False, lang: str = "vi", sense: str | None = None
) -> str:
    """A value as shown in the review: ``4.730``, ``trên 1.000`` (approximate, in words), ``62,3%``.

    An approximate value is written with the words of its sense (``trên``
    more than, ``gần`` nearly, ``khoảng`` about), never with ``~``; one
    whose sense is not known is "about". "trên" and "gần" keep the figure as
    computed (``trên 4.730``); "khoảng" takes it rounded to three significant
    digits, half away from zero (``khoảng 251.000``, never ``khoảng 251.012``).
    """
    if value is None or value != value:
        return "–"
    if (approximate or sense) and sense not in EXACT_FIGURE_SENSES:
        # "khoảng" takes a round figure (three significant digits at most), never the last unit
        value = round_significant(value * 100) / 100 if share else round_significant(value)
    text = format_percent_vi(value) if share else format_number_vi(value, 1)
    if lang == "en":
        text = text.replace(".", "\u0000").replace(",", ".").replace("\u0000", ",")
    if not approximate and not sense:
        return text
    return approximately(text, sense, lang)


def sense_of(row, column: str) -> str | None:
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


def indicator_cell(rows: pd.DataFrame, indicator: str, lang: str, agency: str = ALL, district: str = ALL) -> str:
    """One indicator's value for one agency and district, as a table cell shows it; ``–`` when there is none.

    Args:
        rows: a tidy indicators table (``indicators.csv``).
        indicator: the indicator's id.
        lang: the reader's language.
        agency: the agency's code (``ALL``: every agency).
        district: the district's code (``ALL``: the province).
    """
    match = rows[(rows["indicator"] == indicator) & (rows["agency"] == agency) & (rows["district"] == district)]
    return "–" if match.empty else cell_text(match.iloc[0], indicator, lang)


def cell_text(row, indicator: str, lang: str) -> str:
    """An indicators row (a Series or a named tuple of ``itertuples``) as a table cell shows its value."""
    value, approximate = (
        (row["value"], row["approximate"]) if isinstance(row, pd.Series) else (row.value, row.approximate)
    )
    return show_number(value, bool(approximate), catalogue()[indicator].is_share, lang, sense_of(row, "approx_sense"))


def signed_change(change: float | None, share: bool, lang: str) -> str:
    """A change on the previous year as every table writes it.

    Returns:
        ``+915``, ``-12``, ``0``, ``+1,5 đ.p.`` for a share (percentage
        points), ``–`` when there is none.
    """
    if change is None or change != change:
        return "–"
    text = show_number(change * (100 if share else 1), lang=lang)
    if share:
        text += " " + message("review.pp", lang)
    return ("+" if change > 0 else "") + text


def shared_change(previous: float | None, current: float | None) -> float | None:
    """The change of a share (0–1) computed from the two percentages as shown (61,1% → 62,9%: 0,018, not 0,019)."""
    if previous is None or current is None or previous != previous or current != current:
        return None
    return round(shown_share(current) - shown_share(previous), 1) / 100


def signed_percent(percent: float | None, lang: str) -> str:
    """A change in percent: ``+12,5%``, ``-3%``, ``–`` when there is none (the previous value was 0 or missing)."""
    if percent is None or percent != percent:
        return "–"
    return ("+" if percent > 0 else "") + show_number(percent, lang=lang) + "%"
