"""The narrative of the draft report: sentences written from the year's data.

Every sentence comes from a template of the message catalogue (``docx.*``
keys in ``reference/data/messages.csv``); this module only chooses the
template for each case (a value, zero, one, missing, approximate, no previous
year) and fills it: per theme what was done, by whom, against last year; then
the targets; then a short paragraph on the quality of the data.
"""

from __future__ import annotations

import pandas as pd

from helpers.messages import approximately, message, status_word
from helpers.publish import review
from helpers.reference.catalogue import ALL, catalogue

THEMES = {
    "theme_training": [
        "training_sessions",
        "training_attendance",
        "tech_transfer_attendance",
        "newsletters_issued",
        "web_articles",
    ],
    "theme_support": ["deferred_fertilizer_t", "clean_food_models", "safe_produce_shops", "htx_brand_support"],
    "theme_founding": ["new_htx_guided", "new_tht_guided", "effective_models"],
}
"""The programme's activity indicators, by theme of the narrative (section I)."""


# -- numbers in words ---------------------------------------------------------------------


def _row(data: review.YearData, indicator: str, agency: str = ALL, district: str = ALL):
    rows = data.indicators
    match = rows[(rows["indicator"] == indicator) & (rows["agency"] == agency) & (rows["district"] == district)]
    return None if match.empty else match.iloc[0]


def _number(value: float, share: bool, lang: str) -> str:
    """A number as the review writes it (``4.730``, ``62,3%``), without approximate words."""
    return review.show_number(value, share=share, lang=lang)


def quantity(
    data: review.YearData,
    indicator: str,
    agency: str = ALL,
    district: str = ALL,
    *,
    with_unit: bool = True,
    spell_one: bool = True,
) -> str | None:
    """A value as the narrative writes it: ``trên 4.730 buổi``, ``một cửa hàng``, ``62,3%``.

    Returns ``None`` when the value is not reported: the caller then writes
    the sentence for a missing value, never a 0. ``spell_one``: write an
    exact 1 as a word (``một cửa hàng``), as a sentence does; a list of parts
    keeps the digit (``Hội Cựu chiến binh tỉnh 1 HTX``).
    """
    row = _row(data, indicator, agency, district)
    if row is None or pd.isna(row["value"]):
        return None
    definition = catalogue()[indicator]
    value = float(row["value"])
    text = _number(value, definition.is_share, data.lang)
    approximate = bool(row["approximate"])
    if definition.is_share or not with_unit:
        return approximately(text, row.get("approx_sense") or None, data.lang) if approximate else text
    unit = definition.unit if data.lang == "vi" else definition.unit_en
    if value == 1 and not approximate and spell_one:
        return message("docx.quantity_one", data.lang, unit=unit)
    if approximate:
        text = approximately(text, row.get("approx_sense") or None, data.lang)
    return message("docx.quantity", data.lang, number=text, unit=unit)


def _by_whom(data: review.YearData, indicator: str) -> str:
    """The agencies that reported an indicator, largest first, as the narrative lists them.

    Returns:
        ``(trong đó Hội Nông dân tỉnh 2.100 buổi, …)``, or ``, do Hội Nông dân
        tỉnh thực hiện`` for a single agency; empty when none reported.
    """
    parts = []
    for agency in data.reference.agencies:
        row = _row(data, indicator, agency=agency.code)
        if row is not None and not pd.isna(row["value"]) and float(row["value"]) != 0:
            parts.append((float(row["value"]), agency.code))
    if not parts:
        return ""
    names = {a.code: (a.name_vi if data.lang == "vi" else a.name_en) for a in data.reference.agencies}
    parts.sort(key=lambda part: -part[0])
    if len(parts) == 1:
        return message("docx.by_one", data.lang, agency=names[parts[0][1]])
    listed = ", ".join(
        message(
            "docx.by_part", data.lang, agency=names[code], value=quantity(data, indicator, agency=code, spell_one=False)
        )
        for _, code in parts
    )
    return message("docx.by_many", data.lang, parts=listed)


def _versus(data: review.YearData, indicator: str) -> str:
    """``; tăng 219 buổi (+4,6%) so với năm 2017`` and its other cases; empty in a year without a previous year."""
    if not data.has_previous_year:
        return ""
    previous_year = data.year - 1
    changes = data.changes[data.changes["indicator"] == indicator]
    if changes.empty or pd.isna(changes.iloc[0]["previous_value"]):
        return message("docx.versus_no_previous", data.lang, previous_year=previous_year)
    row = changes.iloc[0]
    change = float(row["change"])
    definition = catalogue()[indicator]
    if change == 0:
        return message("docx.versus_same", data.lang, previous_year=previous_year)
    if definition.is_share:
        key = "docx.versus_pp_up" if change > 0 else "docx.versus_pp_down"
        return message(key, data.lang, change=_number(abs(change) * 100, False, data.lang), previous_year=previous_year)
    amount = _number(abs(change), False, data.lang)
    unit = definition.unit if data.lang == "vi" else definition.unit_en
    amount = message("docx.quantity", data.lang, number=amount, unit=unit)
    if bool(row["approximate"]):
        amount = message("docx.versus_approximate", data.lang, change=amount)
    if pd.isna(row["change_pct"]):
        return message(
            "docx.versus_up_no_percent" if change > 0 else "docx.versus_down",
            data.lang,
            change=amount,
            percent="–",
            previous_year=previous_year,
        )
    percent = message("docx.percent", data.lang, number=_number(abs(float(row["change_pct"])), False, data.lang))
    return message(
        "docx.versus_up" if change > 0 else "docx.versus_down",
        data.lang,
        change=amount,
        percent=percent,
        previous_year=previous_year,
    )


def activity_sentence(data: review.YearData, indicator: str) -> str:
    """The sentence of one activity indicator: what was done, by whom, against last year.

    An indicator that is zero or not reported has its own sentence, saying so.
    """
    name = catalogue()[indicator].name(data.lang)
    row = _row(data, indicator)
    if row is None or pd.isna(row["value"]):
        return message("docx.activity_missing", data.lang, name=name)
    if float(row["value"]) == 0 and not bool(row["approximate"]):
        return message("docx.activity_zero", data.lang, name=name, versus=_versus(data, indicator))
    return message(
        f"docx.activity.{indicator}",
        data.lang,
        value=quantity(data, indicator),
        by=_by_whom(data, indicator),
        versus=_versus(data, indicator),
    )


def development_sentences(data: review.YearData) -> list[str]:
    """Section I.4: cooperatives and groups of the province (register and Biểu 03)."""
    lang, year = data.lang, data.year
    out = []

    def missing(indicator: str) -> str:
        return message("docx.development_missing", lang, name=catalogue()[indicator].name(lang), year=year)

    count, active = quantity(data, "htx_count"), quantity(data, "htx_active")
    out.append(
        message("docx.htx_count", lang, year=year, count=count, active=active, versus=_versus(data, "htx_count"))
        if count and active
        else missing("htx_count")
    )
    new, dissolved = quantity(data, "htx_new"), _row(data, "htx_dissolved")
    if new is None or dissolved is None:
        out.append(missing("htx_new"))
    elif float(dissolved["value"]) == 0:
        out.append(message("docx.htx_flow_none_dissolved", lang, new=new))
    else:
        out.append(message("docx.htx_flow", lang, new=new, dissolved=quantity(data, "htx_dissolved")))
    members, workers = quantity(data, "htx_members", with_unit=False), quantity(data, "htx_workers", with_unit=False)
    out.append(
        message("docx.htx_members", lang, members=members, workers=workers)
        if members and workers
        else missing("htx_members")
    )
    money = {
        key: quantity(data, indicator)
        for key, indicator in (
            ("revenue", "revenue_per_htx_mean"),
            ("revenue_median", "revenue_per_htx_median"),
            ("profit", "profit_per_htx_mean"),
            ("profit_median", "profit_per_htx_median"),
        )
    }
    out.append(message("docx.htx_money", lang, **money) if all(money.values()) else missing("revenue_per_htx_mean"))
    share = quantity(data, "good_fair_share")
    out.append(
        message("docx.htx_rating", lang, share=share, versus=_versus(data, "good_fair_share"))
        if share
        else missing("good_fair_share")
    )
    tht = {
        key: quantity(data, indicator, with_unit=False)
        for key, indicator in (("count", "tht_count"), ("members", "tht_members"), ("new", "tht_new"))
    }
    out.append(message("docx.tht", lang, **tht) if all(tht.values()) else missing("tht_count"))
    return out


def cumulative_sentence(data: review.YearData) -> str | None:
    """New HTX and THT guided since the programme's first year (none in its first year)."""
    if not data.has_cumulative:
        return None
    totals = data.cumulative.set_index("indicator")
    if not {"new_htx_guided", "new_tht_guided"} <= set(totals.index):
        return None

    def total(indicator: str) -> str:
        row = totals.loc[indicator]
        text = _number(float(row["total"]), False, data.lang)
        if bool(row["approximate"]):
            text = approximately(text, row.get("approx_sense") or None, data.lang)
        return message(
            "docx.quantity",
            data.lang,
            number=text,
            unit=catalogue()[indicator].unit if data.lang == "vi" else catalogue()[indicator].unit_en,
        )

    start = int(totals["from_year"].min())
    sentence = message(
        "docx.cumulative",
        data.lang,
        start_year=start,
        year=data.year,
        htx=total("new_htx_guided"),
        tht=total("new_tht_guided"),
    )
    note = data.territory_note("cumulative")  # a total over two territories says so
    return f"{sentence} {note}" if note else sentence


def target_sentences(data: review.YearData) -> list[str]:
    """Section II: each target of the year, and how many are met, on track, behind."""
    if data.targets.empty:
        return [message("docx.no_targets", data.lang, year=data.year)]
    counts = data.targets["status"].value_counts()
    parts = ", ".join(
        message(f"docx.targets_{status}", data.lang, count=int(counts[status]))
        for status in ("met", "on_track", "behind")
        if counts.get(status, 0)
    )
    out = [message("docx.targets_summary", data.lang, count=len(data.targets), year=data.year, parts=parts)]
    for row in data.targets.itertuples():
        definition = catalogue()[row.indicator]
        values = {
            "name": definition.name(data.lang),
            "period": row.period,
            "target": review.target_text(row, data.lang),
            "year": data.year,
            "status": status_word(row.status, data.lang),
        }
        if pd.isna(row.value):
            out.append(message("docx.target_no_value", data.lang, **values))
        else:
            out.append(
                message(
                    "docx.target", data.lang, value=_number(float(row.value), definition.is_share, data.lang), **values
                )
            )
    return out


def quality_sentences(data: review.YearData) -> list[str]:
    """Section III: rows read, accepted, rejected; missing files; approximate values; cross-checks."""
    from helpers.read.returns import NON_DATA_KINDS

    lang = data.lang
    read = data.ledger[data.ledger["status"] == "read"]
    out = [
        message(
            "docx.quality_read", lang, files=len(read), rows=int(read["rows_read"].sum()),
            accepted=int(read["accepted"].sum()), rejected=int(read["rejected"].sum()),
            non_data=int(read[list(NON_DATA_KINDS)].sum().sum()),
        )
    ]  # fmt: skip
    if data.rejects.empty:
        out.append(message("docx.quality_no_rejects", lang))
    else:
        by_file = data.rejects.groupby("file", sort=False)["row"].nunique()
        parts = "; ".join(
            message("docx.quality_rejects_part", lang, file=file, count=int(count)) for file, count in by_file.items()
        )
        out.append(message("docx.quality_rejects", lang, by_file=parts))
    errors = data.problems[data.problems["severity"] == "error"] if not data.problems.empty else data.problems
    if not errors.empty:
        out.append(message("docx.quality_missing", lang, count=len(errors), files=", ".join(map(str, errors["file"]))))
    if not data.approximate.empty:
        out.append(message("docx.quality_approximate", lang, count=len(data.approximate)))
    differ = int((data.cross_checks["status"] == "differ").sum()) if not data.cross_checks.empty else 0
    out.append(
        message("docx.quality_checks_differ", lang, count=differ)
        if differ
        else message("docx.quality_checks_agree", lang)
    )
    return out
