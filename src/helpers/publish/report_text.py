"""The narrative of part II of the draft report: sentences written from the year's data.

Every sentence comes from a template of the message catalogue (``docx.*``
keys in ``reference/data/messages.csv``); this module only chooses the
template for each case (a value, zero, one, missing, approximate, no previous
year) and fills it: per theme what was done, by which body, against last year.

Numbers are written as the genre writes them: "trên"/"gần" with the figure as
computed (``trên 4.730 buổi``), "khoảng" with a figure rounded to three
significant digits (:func:`helpers.publish.review_data.show_number`), a change
of a share in percentage points computed from the two shown percentages, and
a share with its base (``55% của 320 HTX được xếp loại``). The bodies are the
subjects of the sentences, in the one order of ``agencies.csv``, with their
short names after the first mention (:class:`helpers.publish.report_parts.Mentions`).
"""

from __future__ import annotations

import pandas as pd

from helpers.messages import message
from helpers.publish import review
from helpers.publish.report_parts import Mentions, join_names
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
"""The programme's activity indicators, by theme of the narrative (part II)."""
RATINGS = ("rating_good", "rating_fair", "rating_average", "rating_weak")
"""The ratings whose HTX are "được xếp loại": the base of the share rated Tốt and Khá."""


# -- numbers in words ---------------------------------------------------------------------


def _row(data: review.YearData, indicator: str, agency: str = ALL, district: str = ALL):
    return data.rows_by_key.get((indicator, agency, district))


def _unit(indicator: str, lang: str) -> str:
    definition = catalogue()[indicator]
    return definition.unit if lang == "vi" else definition.unit_en


def _number(value: float, share: bool, lang: str) -> str:
    """A number as the review writes it (``4.730``, ``62,3%``), without approximate words."""
    return review.show_number(value, share=share, lang=lang)


def written(value: float, approximate: bool, sense: str | None, indicator: str, lang: str, *, unit: bool = True) -> str:
    """A value with its approximate word and its unit: ``trên 4.730 buổi``, ``khoảng 251.000 lượt người``, ``62,3%``."""
    definition = catalogue()[indicator]
    text = review.show_number(value, approximate, definition.is_share, lang, sense if approximate else None)
    if definition.is_share or not unit:
        return text
    return message("docx.quantity", lang, number=text, unit=_unit(indicator, lang))


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
    value, approximate = float(row["value"]), bool(row["approximate"])
    sense = review.sense_of(row, "approx_sense")
    if value == 1 and not approximate and spell_one and with_unit and not catalogue()[indicator].is_share:
        return message("docx.quantity_one", data.lang, unit=_unit(indicator, data.lang))
    return written(value, approximate, sense, indicator, data.lang, unit=with_unit)


def versus(data: review.YearData, indicator: str) -> str:
    """``; tăng 219 buổi (+4,6%) so với năm 2017`` and its other cases; empty in a year without a previous year."""
    if not data.has_previous_year:
        return ""
    previous_year = data.year - 1
    changes = data.changes[data.changes["indicator"] == indicator]
    if changes.empty or pd.isna(changes.iloc[0]["previous_value"]):
        return message("docx.versus_no_previous", data.lang, previous_year=previous_year)
    row = changes.iloc[0]
    definition = catalogue()[indicator]
    if definition.is_share:
        change = review.shared_change(float(row["previous_value"]), float(row["value"]))
        if not change:
            return message("docx.versus_same", data.lang, previous_year=previous_year)
        key = "docx.versus_pp_up" if change > 0 else "docx.versus_pp_down"
        return message(key, data.lang, change=_number(abs(change) * 100, False, data.lang), previous_year=previous_year)
    change = float(row["change"])
    if change == 0:
        return message("docx.versus_same", data.lang, previous_year=previous_year)
    approximate = bool(row["approximate"])
    amount = review.show_number(abs(change), approximate, lang=data.lang, sense="about" if approximate else None)
    amount = message("docx.quantity", data.lang, number=amount, unit=_unit(indicator, data.lang))
    if pd.isna(row["change_pct"]):
        return message(
            "docx.versus_up_no_percent" if change > 0 else "docx.versus_down",
            data.lang,
            change=amount,
            percent=message("docx.not_applicable", data.lang),
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


# -- part II: the themes --------------------------------------------------------------------


def _reporting_bodies(data: review.YearData, indicator: str) -> list[str]:
    """The bodies with a value other than 0 for ``indicator``, in the fixed order of the reference."""
    codes = []
    for agency in data.reference.agencies:
        row = _row(data, indicator, agency=agency.code)
        if row is not None and not pd.isna(row["value"]) and float(row["value"]) != 0:
            codes.append(agency.code)
    return codes


def activity_sentence(data: review.YearData, indicator: str, mentions: Mentions | None = None) -> str:
    """The sentences of one activity indicator: what was done, by which body, against last year.

    One body: the body is the subject (``Hội Nông dân tỉnh đã xây dựng 9 mô
    hình …``). Several: the bodies together, then each body's part in the
    fixed order (``Trong đó, Liên minh HTX tỉnh …, Hội Nông dân tỉnh …``).
    An indicator that is zero or not reported has its own sentence, saying so.
    """
    mentions = mentions or new_mentions(data)
    lang = data.lang
    name = catalogue()[indicator].name(lang)
    row = _row(data, indicator)
    if row is None or pd.isna(row["value"]):
        return message("docx.activity_missing", lang, name=name)
    if float(row["value"]) == 0 and not bool(row["approximate"]):
        return message("docx.activity_zero", lang, name=name, versus=versus(data, indicator))
    bodies = _reporting_bodies(data, indicator)
    subject = mentions.name(bodies[0]) if len(bodies) == 1 else message("docx.subject_all", lang)
    sentence = message(
        f"docx.activity.{indicator}",
        lang,
        subject=subject,
        value=quantity(data, indicator),
        versus=versus(data, indicator),
    )
    if len(bodies) < 2:
        return sentence
    parts = [
        message(
            "docx.by_part",
            lang,
            agency=mentions.name(code),
            value=quantity(data, indicator, agency=code, spell_one=False),
        )
        for code in bodies
    ]
    return sentence + " " + message("docx.by_parts", lang, parts=message("docx.list_separator", lang).join(parts))


def new_mentions(data: review.YearData) -> Mentions:
    """A fresh record of the bodies named, for one document."""
    from helpers.publish.report_parts import issuing_bodies

    return Mentions({body.code: body for body in issuing_bodies(data.reference, data.year, data.lang)})


def theme_sentences(data: review.YearData, theme: str, mentions: Mentions) -> list[str]:
    """The paragraphs of one theme: in a tổng kết the period's lũy kế first, then the year's sentences."""
    indicators = THEMES[theme]
    year_text = " ".join(activity_sentence(data, indicator, mentions) for indicator in indicators)
    if not data.is_final:
        return [year_text]
    total = period_total_sentence(data, indicators)
    year_intro = message("docx.total.year_intro", data.lang, year=data.year)
    return ([total] if total else []) + [f"{year_intro} {year_text}"]


def period_total_sentence(data: review.YearData, indicators: list[str]) -> str | None:
    """``Lũy kế giai đoạn <first>–<year>: số buổi tập huấn … 28.412 buổi; …``: a tổng kết's first paragraph."""
    if data.cumulative.empty:
        return None
    totals = data.cumulative.set_index("indicator")
    parts = []
    for indicator in indicators:
        if indicator not in totals.index:
            continue
        row = totals.loc[indicator]
        name = catalogue()[indicator].name(data.lang)
        value = written(
            float(row["total"]), bool(row["approximate"]), review.sense_of(row, "approx_sense"), indicator, data.lang
        )
        parts.append(message("docx.total.part", data.lang, name=name[:1].lower() + name[1:], value=value))
    if not parts:
        return None
    start = int(totals["from_year"].min())
    return message("docx.total.heading", data.lang, start_year=start, year=data.year, parts="; ".join(parts))


def development_sentences(data: review.YearData) -> list[str]:
    """Part II.4: cooperatives and groups of the province (register and Biểu 03)."""
    lang, year = data.lang, data.year
    out = []

    def missing(indicator: str) -> str:
        return message("docx.development_missing", lang, name=catalogue()[indicator].name(lang), year=year)

    count, active = quantity(data, "htx_count"), quantity(data, "htx_active")
    out.append(
        message("docx.htx_count", lang, year=year, count=count, active=active, versus=versus(data, "htx_count"))
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
    share, rated = quantity(data, "good_fair_share"), rated_count(data)
    out.append(
        message("docx.htx_rating", lang, share=share, rated=rated, versus=versus(data, "good_fair_share"))
        if share and rated
        else missing("good_fair_share")
    )
    tht = {
        key: quantity(data, indicator, with_unit=False)
        for key, indicator in (("count", "tht_count"), ("members", "tht_members"), ("new", "tht_new"))
    }
    out.append(message("docx.tht", lang, **tht) if all(tht.values()) else missing("tht_count"))
    return out


def rated_count(data: review.YearData) -> str | None:
    """The base of the share rated Tốt and Khá, as the narrative writes it: ``320 HTX``; ``None`` without ratings."""
    values = [_row(data, indicator) for indicator in RATINGS]
    if any(row is None or pd.isna(row["value"]) for row in values):
        return None
    total = sum(float(row["value"]) for row in values)
    return message(
        "docx.quantity", data.lang, number=_number(total, False, data.lang), unit=_unit("rating_good", data.lang)
    )


def cumulative_sentence(data: review.YearData) -> str | None:
    """New HTX and THT guided since the programme's first year (none in its first year)."""
    if not data.has_cumulative:
        return None
    totals = data.cumulative.set_index("indicator")
    if not {"new_htx_guided", "new_tht_guided"} <= set(totals.index):
        return None

    def total(indicator: str) -> str:
        row = totals.loc[indicator]
        return written(
            float(row["total"]), bool(row["approximate"]), review.sense_of(row, "approx_sense"), indicator, data.lang
        )

    sentence = message(
        "docx.cumulative",
        data.lang,
        start_year=int(totals["from_year"].min()),
        year=data.year,
        htx=total("new_htx_guided"),
        tht=total("new_tht_guided"),
    )
    note = data.territory_note("cumulative")  # a total over two territories says so
    return f"{sentence} {note}" if note else sentence


def body_list(data: review.YearData, full: bool = True) -> str:
    """Every issuing body in the fixed order, ``A, B, C và D`` (full names with the province, or plain)."""
    from helpers.publish.report_parts import issuing_bodies

    bodies = issuing_bodies(data.reference, data.year, data.lang)
    return join_names([body.full_name if full else body.short_name for body in bodies], data.lang)
