"""What the stage notebooks show the analyst: sections A and B as pivots, the change on last year, summaries.

The stage notebooks (``notebooks/01_…`` to ``03_…``) are read in JupyterLab.
Sections A and B of ``indicators.md`` are shown as pivots: the indicators as
rows (their catalogue names and units), the province and each agency or
district as columns, every number written as the review writes it
(``4.730``, ``trên 1.000``, ``62,3%``: :func:`helpers.publish.review_data.show_number`).
The change on last year is section C's rule (:func:`helpers.compute.years.changes`),
shown by section. Each stage ends with a few sentences that sum up what it
did. Every word comes from the message catalogue (``views.*`` and the review's keys).

The review's formatting module draws figures too (it imports matplotlib), so
it is imported by the functions that format numbers, not by this module: the
summaries of stages 1 and 3 stay light.

Why this module is long: it is everything the four stage notebooks show beyond their raw
tables, notebook after notebook (pivots and changes for 02, summaries for 01–03), each view a
small function the notebook calls once; split by notebook, the shared formatting would repeat.
"""

from __future__ import annotations

import html

import pandas as pd

from helpers.messages import message, status_word
from helpers.paths import ProjectPaths
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue, indicators_of
from helpers.tables import (
    CHANGES,
    CORRECTIONS_APPLIED,
    CROSS_CHECKS,
    LEDGER,
    PROBLEMS,
    REJECTS,
    TARGETS_PROGRESS,
    TOTALS_CHECKS,
)
from helpers.text import format_number

SECTIONS = ("A", "B")
"""The sections of ``indicators.md`` computed by stage 2 (section C, across years, is stage 3)."""
DIMENSIONS = ("agency", "district")
"""What a pivot's columns can be: the agencies (Biểu 01) or the districts."""


def _check_choice(section: str, by: str | None = None) -> None:
    """Raise ``ValueError`` for a section other than A or B, or a dimension other than agency or district."""
    if section not in SECTIONS:
        raise ValueError(f"section must be one of {SECTIONS}, not {section!r}")
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"by must be one of {DIMENSIONS}, not {by!r}")


def _section_rows(indicators: pd.DataFrame, section: str, by: str) -> pd.DataFrame:
    """The rows of ``section`` broken down by ``by`` alone (the other dimension ``ALL``), province rows included."""
    ids = [indicator.id for indicator in indicators_of(section)]
    other = "district" if by == "agency" else "agency"
    return indicators[indicators["indicator"].isin(ids) & (indicators[other] == ALL)]


def pivot_units(rows: pd.DataFrame, by: str, reference: Reference) -> list[str]:
    """The agency or district codes that are the columns of a pivot of ``rows`` (one section's rows).

    A section broken down by ``by`` has a column for every agency or district
    of the reference tables, in their order: one that reported nothing shows
    ``–`` rather than vanishing. The province office (``TINH``, Biểu 01 only)
    is a column only when it has values. A section not broken down by ``by``
    (section B by agency) has no column but the province's. A code outside
    the reference tables keeps its column, at the end: no value is dropped.

    Args:
        rows: indicator rows of one section, as :func:`section_pivot` selects them.
        by: ``"agency"`` or ``"district"``.
        reference: the data root's agencies and districts (their order, and which is the province office).
    """
    present = set(rows.loc[rows[by] != ALL, by])
    if not present:
        return []
    if by == "agency":
        codes, optional = [agency.code for agency in reference.agencies], set()
    else:
        codes = [district.code for district in reference.districts]
        optional = {district.code for district in reference.districts if district.is_province_office}
    known = [code for code in codes if code in present or code not in optional]
    return known + sorted(present - set(codes))


def _shown(row, share: bool, lang: str) -> str:
    """A value of the indicators table as the review writes it (``–`` when there is none)."""
    from helpers.publish.review_data import show_number

    if row is None:
        return "–"
    sense = row.approx_sense if isinstance(row.approx_sense, str) and row.approx_sense else None
    return show_number(row.value, bool(row.approximate), share, lang, sense)


def section_pivot(
    indicators: pd.DataFrame, section: str, by: str, reference: Reference, lang: str = "vi"
) -> pd.DataFrame:
    """One section's indicators by agency or by district, as the analyst reads them.

    Args:
        indicators: the year's tidy indicators (``indicators.csv``, as
            :func:`helpers.compute.indicators.compute_indicators` returns it).
        section: ``"A"`` (programme activity) or ``"B"`` (cooperative development).
        by: ``"agency"`` or ``"district"``: the columns after the province's (:func:`pivot_units`).
        reference: the data root's agencies and districts (:meth:`helpers.paths.ProjectPaths.reference`).
        lang: ``"vi"`` or ``"en"``: the names, units and number format.

    Returns:
        One row per indicator of the section, in catalogue order: its name, its
        unit, the province value, then one column per agency (its code) or
        district (its short name); ``–`` where there is no value. Empty (with
        its columns) when the section has no value at all.

    Raises:
        ValueError: for a section other than A or B, or ``by`` other than agency or district.
    """
    from helpers.publish.review_data import district_name, indicator_unit

    _check_choice(section, by)
    if reference.year is None and not indicators.empty:  # the units of the indicators' year
        reference = reference.for_year(int(indicators["year"].iloc[0]))
    rows = _section_rows(indicators, section, by)
    units = pivot_units(rows, by, reference)
    headings = [message("review.province", lang)] + [
        code if by == "agency" else district_name(code, reference, lang) for code in units
    ]
    columns = [message("review.indicator", lang), message("review.unit", lang), *headings]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    cells = {(row.indicator, getattr(row, by)): row for row in rows.itertuples(index=False)}
    records = [
        [
            indicator.name(lang),
            indicator_unit(indicator.id, lang),
            *(_shown(cells.get((indicator.id, code)), indicator.is_share, lang) for code in [ALL, *units]),
        ]
        for indicator in indicators_of(section)
    ]
    return pd.DataFrame(records, columns=columns)


def _text(value: object) -> str | None:
    """A sense read from a table: ``None`` for empty text or a missing value."""
    return value if isinstance(value, str) and value else None


def _number(value: object) -> float | None:
    """A number read from a table: ``None`` for a missing value."""
    return None if value is None or pd.isna(value) else float(value)


def section_changes(changes: pd.DataFrame, section: str, year: int, lang: str = "vi") -> pd.DataFrame:
    """One section's province indicators against the previous year, as the review's comparison tables write them.

    Args:
        changes: the table of :func:`helpers.compute.years.changes` for ``year`` (or ``changes.csv`` read back).
        section: ``"A"`` or ``"B"``.
        year: the year under review.
        lang: ``"vi"`` or ``"en"``.

    Returns:
        Columns indicator, unit, previous year, year, change, change in percent
        (none for shares: their change is in percentage points). Empty (with its
        columns) when the previous year has no value of the section: nothing to compare.
    """
    from helpers.publish.review_data import indicator_unit, show_number, signed_change, signed_percent

    _check_choice(section)
    columns = [
        message("review.indicator", lang),
        message("review.unit", lang),
        message("review.year_col", lang, year=year - 1),
        message("review.year_col", lang, year=year),
        message("review.change", lang),
        message("review.change_pct", lang),
    ]
    ids = {indicator.id for indicator in indicators_of(section)}
    rows = changes[changes["indicator"].isin(ids)] if not changes.empty else changes
    if rows.empty or rows["previous_value"].isna().all():
        return pd.DataFrame(columns=columns)
    records = []
    for row in rows.itertuples(index=False):
        share = catalogue()[row.indicator].is_share
        sense, previous_sense = _text(row.approx_sense), _text(row.previous_approx_sense)
        records.append(
            [
                catalogue()[row.indicator].name(lang),
                indicator_unit(row.indicator, lang),
                show_number(_number(row.previous_value), share=share, lang=lang, sense=previous_sense),
                show_number(row.value, sense is not None, share, lang, sense),
                signed_change(_number(row.change), share, lang),
                signed_percent(None if share else _number(row.change_pct), lang),
            ]
        )
    return pd.DataFrame(records, columns=columns)


def change_on_previous_year(history: pd.DataFrame, year: int, section: str, lang: str = "vi") -> pd.DataFrame:
    """One section against the previous year, from the indicators of every year (:func:`section_changes`).

    The change itself is section C's rule, :func:`helpers.compute.years.changes`: one definition for every table.

    Args:
        history: the indicators of every year up to ``year`` (:func:`helpers.compute.years.load_history`).
        year: the year under review.
        section: ``"A"`` or ``"B"``.
        lang: ``"vi"`` or ``"en"``.
    """
    from helpers.compute.years import changes

    return section_changes(changes(history, year), section, year, lang)


def previous_year_changes(paths: ProjectPaths, year: int) -> pd.DataFrame | None:
    """The changes of ``year`` on the previous year, for stage 2's notebook; ``None`` inside a run of the pipeline.

    A run (``coop-review run``, which sets ``build_id``) computes the
    indicators of its years side by side, so while one year's stage 2 runs,
    the previous year's ``indicators.csv`` may be the old one, or not yet
    written: a comparison read then could be wrong, and change from one run to
    the next. Stage 3 runs once every year's indicators are in place and is
    where a run compares years; stage 2 compares only when run on its own
    (JupyterLab, nbval), with the previous year already computed.
    """
    if paths.build_id:
        return None
    from helpers.compute.years import changes, load_history

    return changes(load_history(paths, year), year)


def section_view(indicators: pd.DataFrame, section: str, by: str, year: int, reference: Reference, lang: str = "vi"):
    """:func:`section_pivot` for the notebook: a table with its caption, or a sentence when the section has no value."""
    from helpers.publish.review_html import styled

    table = section_pivot(indicators, section, by, reference, lang)
    by_unit = len(table.columns) > 3
    key = f"views.cap_by_{by}" if by_unit else f"views.cap_province_only_{by}"
    return styled(
        table,
        message(key, lang, section=section, year=year),
        lang=lang,
        empty=message("views.no_values", lang, section=section, year=year),
    )


def change_view(changes: pd.DataFrame | None, year: int, section: str, lang: str = "vi"):
    """:func:`section_changes` for the notebook; a sentence in the first year, or inside a run (``changes`` is None)."""
    from helpers.publish.review_html import Sentence, styled

    if changes is None:
        return Sentence(None, message("views.change_in_run", lang, previous_year=year - 1))
    return styled(
        section_changes(changes, section, year, lang),
        message("views.cap_change", lang, section=section, year=year, previous_year=year - 1),
        lang=lang,
        empty=message("review.no_previous", lang, year=year, previous_year=year - 1),
    )


def _count(table: pd.DataFrame, mask) -> int:
    return int(mask.sum()) if not table.empty else 0


def clean_summary(tables: dict[str, pd.DataFrame], year: int, lang: str = "vi") -> list[str]:
    """Stage 1 in a few sentences: files read, where every row went, and what to look at.

    Args:
        tables: the tables of :func:`helpers.clean.outputs.write_clean_outputs` (``ledger.csv``,
            ``problems.csv``, ``rejects.csv``, ``totals_checks.csv``, ``corrections_applied.csv``).
        year: the year cleaned.
        lang: ``"vi"`` or ``"en"``.
    """
    from helpers.read.returns import NON_DATA_KINDS

    ledger, problems = tables[LEDGER], tables[PROBLEMS]
    read = ledger[ledger["status"] == "read"] if not ledger.empty else ledger
    lines = [
        message("views.clean_files", lang, year=year, read=len(read), not_used=len(ledger) - len(read)),
        message(
            "views.clean_rows",
            lang,
            rows=int(read["rows_read"].sum()) if not read.empty else 0,
            accepted=int(read["accepted"].sum()) if not read.empty else 0,
            rejected=int(read["rejected"].sum()) if not read.empty else 0,
            non_data=int(read[list(NON_DATA_KINDS)].sum().sum()) if not read.empty else 0,
        ),
    ]
    errors = _count(problems, problems.get("severity", pd.Series(dtype=str)) == "error")
    if errors:
        lines.append(message("views.clean_errors", lang, count=errors))
    rejects = tables[REJECTS]
    lines.append(
        message(
            "views.clean_rejects", lang, count=len(rejects), rows=rejects[["file", "row"]].drop_duplicates().shape[0]
        )
        if not rejects.empty
        else message("review.no_rejects", lang)
    )
    totals = tables[TOTALS_CHECKS]
    lines.append(
        message(
            "views.clean_totals",
            lang,
            count=_count(totals, ~totals.get("agrees", pd.Series(dtype=bool)).astype(bool)),
            total=len(totals),
        )
    )
    lines.append(message("views.clean_corrections", lang, count=len(tables[CORRECTIONS_APPLIED])))
    return lines


def indicators_summary(indicators: pd.DataFrame, year: int, lang: str = "vi") -> list[str]:
    """Stage 2 in a few sentences: how many values, which indicators have no province value, how many are approximate.

    Args:
        indicators: the year's tidy indicators.
        year: the year computed.
        lang: ``"vi"`` or ``"en"``.
    """
    province = indicators[(indicators["agency"] == ALL) & (indicators["district"] == ALL)]
    with_value = set(province["indicator"])
    counts = {
        section: (
            sum(1 for i in indicators_of(section) if i.id in with_value),
            len(indicators_of(section)),
        )
        for section in SECTIONS
    }
    lines = [
        message(
            "views.indicators_values",
            lang,
            year=year,
            values=len(indicators),
            section_a=counts["A"][0],
            total_a=counts["A"][1],
            section_b=counts["B"][0],
            total_b=counts["B"][1],
        )
    ]
    missing = [indicator.name(lang) for indicator in catalogue().values() if indicator.id not in with_value]
    lines.append(
        message("views.indicators_missing", lang, count=len(missing), names="; ".join(missing))
        if missing
        else message("views.indicators_all_reported", lang)
    )
    approximate = int(indicators["approximate"].sum()) if not indicators.empty else 0
    lines.append(
        message("views.indicators_approximate", lang, count=approximate)
        if approximate
        else message("views.indicators_exact", lang)
    )
    return lines


def _status_counts(statuses: pd.Series, order: tuple[str, ...], lang: str) -> str:
    """``Khớp: 10; Lệch: 2``: the count of each status of ``order`` that occurs, in that order."""
    counts = statuses.value_counts()
    return "; ".join(
        f"{status_word(status, lang)}: {format_number(int(counts[status]), lang=lang)}"
        for status in order
        if status in counts
    )


def years_summary(tables: dict[str, pd.DataFrame], year: int, lang: str = "vi") -> list[str]:
    """Stage 3 in a few sentences: how many indicators compare with last year, the cross-checks and the targets.

    Args:
        tables: the tables of :func:`helpers.compute.years.compare_years`.
        year: the year compared.
        lang: ``"vi"`` or ``"en"``.
    """
    changes, checks, targets = tables[CHANGES], tables[CROSS_CHECKS], tables[TARGETS_PROGRESS]
    compared = _count(changes, changes.get("previous_value", pd.Series(dtype=float)).notna())
    lines = [
        message("views.years_compared", lang, count=compared, previous_year=year - 1)
        if compared
        else message("review.no_previous", lang, year=year, previous_year=year - 1)
    ]
    lines.append(
        message(
            "views.years_checks", lang, counts=_status_counts(checks["status"], ("agree", "differ", "missing"), lang)
        )
        if not checks.empty
        else message("review.no_checks", lang)
    )
    lines.append(
        message(
            "views.years_targets", lang, counts=_status_counts(targets["status"], ("met", "on_track", "behind"), lang)
        )
        if not targets.empty
        else message("review.no_target_rows", lang)
    )
    return lines


def show_lines(lines: list[str]):
    """Sentences as a bulleted list for the notebook (escaped HTML)."""
    from IPython.display import HTML

    return HTML("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>")
