"""Parts II.5, III and IV of the draft report: the targets, the overall assessment and next year's targets.

What the data can say in a part people write: the targets met, exceeded or
missed ("vượt / đạt / chưa đạt chỉ tiêu"), what grew and what fell, the
bodies that sent no return, the targets of the next year. The rest of those
parts are prompts of the outline. Every sentence is a ``docx.*`` template of
the message catalogue.
"""

from __future__ import annotations

import pandas as pd

from helpers.messages import message
from helpers.publish import review
from helpers.publish.report_parts import join_names
from helpers.publish.report_text import written
from helpers.read.forms import form_of
from helpers.reference.catalogue import ALL, catalogue

GROWTH_IDS = {
    "training_sessions": 1,
    "training_attendance": 1,
    "new_htx_guided": 1,
    "new_tht_guided": 1,
    "htx_count": 1,
    "htx_members": 1,
    "tht_count": 1,
    "good_fair_share": 1,
    "revenue_per_htx_mean": 1,
    "htx_dissolved": -1,
    "loss_making_share": -1,
}
"""Indicators the assessment weighs, and which way is better (1: up, -1: down)."""
VERDICTS = ("exceeded", "met", "on_track", "behind")


def verdict(row) -> str:
    """``exceeded``, ``met``, ``on_track`` or ``behind``: a target's status, with "above the range" told apart."""
    if row.status != "met" or pd.isna(row.value):
        return row.status
    low = None if pd.isna(row.target_low) else float(row.target_low)
    high = None if pd.isna(row.target_high) else float(row.target_high)
    value = float(row.value)
    if low is not None and ((high is not None and value > high + 1e-9) or (high is None and value > low + 1e-9)):
        return "exceeded"
    return "met"


def _name(indicator: str, lang: str) -> str:
    name = catalogue()[indicator].name(lang)
    return name[:1].lower() + name[1:] if lang == "vi" else name


def _value(indicator: str, value: float, lang: str) -> str:
    return written(value, False, None, indicator, lang)


def target_sentences(data: review.YearData) -> list[str]:
    """Part II.5: how many of the year's targets are met, then each target with its verdict."""
    lang = data.lang
    if data.targets.empty:
        return [message("docx.no_targets", lang, year=data.year)]
    verdicts = [verdict(row) for row in data.targets.itertuples()]
    if all(v in ("exceeded", "met") for v in verdicts):
        out = [message("docx.targets_all", lang, year=data.year, count=len(verdicts))]
    else:
        parts = [
            message(f"docx.count.{kind}", lang, count=verdicts.count(kind)) for kind in VERDICTS if verdicts.count(kind)
        ]
        out = [message("docx.targets_count", lang, year=data.year, parts=join_names(parts, lang))]
    for row, kind in zip(data.targets.itertuples(), verdicts, strict=True):
        values = {
            "name": catalogue()[row.indicator].name(lang),
            "period": row.period.replace("-", "–"),
            "target": review.target_text(row, lang),
            "year": data.year,
        }
        if pd.isna(row.value):
            out.append(message("docx.target_line_no_value", lang, **values))
        else:
            out.append(
                message(
                    "docx.target_line",
                    lang,
                    value=_value(row.indicator, float(row.value), lang),
                    verdict=message(f"docx.verdict.{kind}", lang),
                    **values,
                )
            )
    return out


def period_targets(data: review.YearData) -> pd.DataFrame:
    """A tổng kết's targets over the whole period: one row per target and year of the programme it covers.

    Columns ``indicator, target, year, value, verdict``.
    """
    from helpers.compute.targets import Target, progress
    from helpers.compute.years import province

    if data.targets.empty or data.programme is None:
        return pd.DataFrame(columns=["indicator", "target", "year", "value", "verdict"])
    by_year = province(data.history)
    records = []
    for row in data.targets.itertuples():
        first, _, last = row.period.partition("-")
        low = None if pd.isna(row.target_low) else float(row.target_low)
        high = None if pd.isna(row.target_high) else float(row.target_high)
        target = Target(row.indicator, int(first), int(last or first), row.basis, low, high, row.source)
        for year in range(max(target.first_year, data.programme.first_year), data.year + 1):
            if year not in by_year.index:
                continue
            for line in progress([target], by_year, year).itertuples():
                records.append(
                    {
                        "indicator": row.indicator,
                        "target": review.target_text(row, data.lang),
                        "year": year,
                        "value": line.value,
                        "verdict": verdict(line),
                    }
                )
    return pd.DataFrame.from_records(records, columns=["indicator", "target", "year", "value", "verdict"])


def period_target_sentences(data: review.YearData) -> list[str]:
    """A tổng kết's sentence per target: met or exceeded in how many of the period's years."""
    table = period_targets(data)
    if table.empty:
        return []
    lang = data.lang
    out = [message("docx.period_targets_intro", lang)]
    for indicator, rows in table.groupby("indicator", sort=False):
        by_year = "; ".join(
            message(
                "docx.period_target_year",
                lang,
                year=int(row.year),
                value=message("review.not_reported", lang)
                if pd.isna(row.value)
                else _value(indicator, float(row.value), lang),
            )
            for row in rows.itertuples()
        )
        met = int(rows["verdict"].isin(["met", "exceeded"]).sum())
        out.append(
            message(
                "docx.period_target_line" if met else "docx.period_target_none",
                lang,
                name=catalogue()[indicator].name(lang),
                target=rows["target"].iloc[0],
                period=f"{int(rows['year'].min())}–{int(rows['year'].max())}",
                met=met,
                years=len(rows),
                by_year=by_year,
            )
        )
    return out


def _province_value(history: pd.DataFrame, indicator: str, year: int) -> float | None:
    rows = history[
        (history["indicator"] == indicator)
        & (history["year"] == year)
        & (history["agency"] == ALL)
        & (history["district"] == ALL)
    ]
    return None if rows.empty or pd.isna(rows["value"].iloc[0]) else float(rows["value"].iloc[0])


def _moves(data: review.YearData) -> tuple[list[str], list[str], int | None]:
    """The better and the worse moves of the weighed indicators: against last year, or in a tổng kết the first year."""
    base_year = data.programme.first_year if data.is_final and data.programme else data.year - 1
    if base_year == data.year or base_year not in set(data.history["year"]):
        return [], [], None
    better, worse = [], []
    for indicator, direction in GROWTH_IDS.items():
        before, now = (
            _province_value(data.history, indicator, base_year),
            _province_value(data.history, indicator, data.year),
        )
        if before is None or now is None:
            continue
        share = catalogue()[indicator].is_share
        change = review.shared_change(before, now) if share else now - before
        if not change:
            continue
        text = message(
            "docx.change_part",
            data.lang,
            name=_name(indicator, data.lang),
            change=_signed(change, indicator, data.lang),
        )
        (better if change * direction > 0 else worse).append(text)
    return better, worse, base_year


def _signed(change: float, indicator: str, lang: str) -> str:
    """``+915 buổi``, ``-12 HTX``, ``+1,8 điểm phần trăm``."""
    text = review.signed_change(change, catalogue()[indicator].is_share, lang)
    return (
        text
        if catalogue()[indicator].is_share
        else f"{text} {catalogue()[indicator].unit if lang == 'vi' else catalogue()[indicator].unit_en}"
    )


def strengths(data: review.YearData) -> list[str]:
    """Part III.1 from the data: the targets met or exceeded, what grew."""
    lang, out = data.lang, []
    met = [row for row in data.targets.itertuples() if verdict(row) in ("met", "exceeded")]
    if met:
        names = join_names([_name(row.indicator, lang) for row in met], lang)
        out.append(message("docx.strength.targets", lang, count=len(met), names=names))
    better, _, base_year = _moves(data)
    if better:
        key = "docx.strength.growth_period" if data.is_final else "docx.strength.growth"
        out.append(
            message(key, lang, previous_year=base_year, first_year=base_year, year=data.year, names="; ".join(better))
        )
    return out


def weaknesses(data: review.YearData) -> list[str]:
    """Part III.2 from the data: the targets missed, what fell, the bodies that sent no return."""
    lang, out = data.lang, []
    missed = [row for row in data.targets.itertuples() if verdict(row) in ("on_track", "behind")]
    if missed:
        names = join_names([_name(row.indicator, lang) for row in missed], lang)
        out.append(message("docx.weakness.targets", lang, count=len(missed), names=names))
    _, worse, base_year = _moves(data)
    if worse:
        key = "docx.weakness.declines_period" if data.is_final else "docx.weakness.declines"
        out.append(
            message(key, lang, previous_year=base_year, first_year=base_year, year=data.year, names="; ".join(worse))
        )
    silent = silent_bodies(data)
    if silent:
        out.append(message("docx.weakness.not_reported", lang, agencies=join_names(silent, lang), year=data.year))
    return out


def silent_bodies(data: review.YearData) -> list[str]:
    """The bodies without a Biểu 01 return read for the year (their names as the narrative writes them)."""
    from helpers.publish.report_parts import issuing_bodies

    ledger = data.ledger
    if ledger.empty:
        return []
    read = ledger[ledger["status"] == "read"]  # a file not read (unusable, missing) has no form ("–"): it sent nothing
    per_agency = read["template"].astype(str).str.zfill(2).map(lambda code: form_of(code).per_agency)
    read = read[per_agency.astype(bool)]
    sent = set(read["agency"].dropna().astype(str))
    return [body.short_name for body in issuing_bodies(data.reference, data.year, data.lang) if body.code not in sent]


def next_target_sentences(data: review.YearData) -> list[str]:
    """Part IV from the data: the targets that apply to the next year."""
    from types import SimpleNamespace

    lang, next_year = data.lang, data.year + 1
    if not data.next_targets:
        return [message("docx.no_next_targets", lang, next_year=next_year)]
    parts = []
    for target in data.next_targets:
        row = SimpleNamespace(
            indicator=target.indicator,
            target_low=float("nan") if target.low is None else target.low,
            target_high=float("nan") if target.high is None else target.high,
            basis=target.basis,
        )
        parts.append(
            message(
                "docx.next_target_part",
                lang,
                name=_name(target.indicator, lang),
                target=review.target_text(row, lang),
            )
        )
    key = "docx.next_targets_final" if data.is_final else "docx.next_targets"
    return [message(key, lang, next_year=next_year, parts="; ".join(parts))]
