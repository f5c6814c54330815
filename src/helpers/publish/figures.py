"""The figures of the annual review, each drawn from the year's tables in the house style.

Every figure carries the year and a source line built from the data it shows;
its look, sizes and saving belong to :mod:`helpers.publish.figure_style`, whose
save helper and style are importable from here too (notebooks and the review
call ``figures.save_figure``).

Why this module is long: it holds the seven figures of the review, one
function each, in the order the review shows them. Each reads on its own;
spreading them over modules would only scatter what a maintainer compares
between figures (titles, source lines, labels of approximate values).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from helpers.errors import CoopReviewError
from helpers.messages import status_word
from helpers.publish.figure_style import (
    PALETTE,
    PNG_DPI,
    SavedFigure,
    add_source,
    format_axis,
    grey_level,
    house_style,
    label_bars,
    new_figure,
    save_figure,
    warm_up,
    words,
    wrap_title,
)
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue, indicators_of
from helpers.text import format_number, format_percent_vi

__all__ = [
    "PNG_DPI",
    "FigureLayoutError",
    "SavedFigure",
    "data_quality",
    "house_style",
    "htx_over_years",
    "new_figure",
    "outputs_by_agency",
    "rating_mix",
    "revenue_profit",
    "save_figure",
    "targets_progress",
    "training_by_district",
    "warm_up",
]

RATING_STYLES = {
    "rating_good": ("#1b5e20", ""),
    "rating_fair": ("#8bc34a", "///"),
    "rating_average": ("#ffe082", "..."),
    "rating_weak": ("#b71c1c", "xxx"),
}
"""Fill and hatch of each rating: told apart in black and white by the hatch where the greys are close."""
RATING_COLOURS = {key: colour for key, (colour, _) in RATING_STYLES.items()}


def _sense_of(rows: pd.DataFrame, key: str) -> str | None:
    """The approximate sense of the row ``key`` of an indicators table indexed by agency or district.

    Returns:
        The sense; ``about`` for an approximate value of a build without senses; ``None`` when exact.
    """
    if key not in rows.index or not bool(rows["approximate"].get(key, False)):
        return None
    sense = rows["approx_sense"].get(key) if "approx_sense" in rows else None
    return sense if isinstance(sense, str) and sense else "about"


GRID_OF_FIGURE_1 = (4, 3)
"""Rows × columns of figure 1: one panel per section-A indicator.

A 13th indicator needs a new grid, never a dropped panel (:class:`FigureLayoutError`).
"""


class FigureLayoutError(CoopReviewError):
    """A figure's fixed layout does not fit the indicators it must show.

    A maintainer's error (a new indicator in the catalogue), raised before
    anything is drawn, so that no panel is dropped silently.
    """


def outputs_by_agency(
    indicators: pd.DataFrame, year: int, sources: str, is_sample: bool, lang: str = "vi", *, reference: Reference
) -> Figure:
    """Figure 1: the twelve activity indicators, one panel each, bars by agency of ``reference``."""
    section_a = indicators_of("A")
    fig, axes = new_figure("grid", *GRID_OF_FIGURE_1)
    if len(section_a) != axes.size:
        raise FigureLayoutError(
            f"figure 1 has {axes.size} panels ({GRID_OF_FIGURE_1[0]}×{GRID_OF_FIGURE_1[1]}) "
            f"but section A has {len(section_a)} "
            "indicators: change GRID_OF_FIGURE_1 in helpers/publish/figures.py so that every indicator has its panel"
        )
    codes = [a.code for a in reference.agencies]
    by_agency = indicators[(indicators["district"] == ALL) & (indicators["agency"] != ALL)]
    for ax, indicator in zip(axes.flat, section_a, strict=True):
        rows = by_agency[by_agency["indicator"] == indicator.id].set_index("agency")
        values = [rows["value"].get(code, float("nan")) for code in codes]
        approximate = [_sense_of(rows, code) for code in codes]
        bars = ax.barh(codes, [0 if v != v else v for v in values], color=[PALETTE[c] for c in codes])
        label_bars(ax, bars, values, approximate, horizontal=True, lang=lang)
        for position, value in enumerate(values):
            if value != value:
                ax.annotate(
                    words("not_reported", lang),
                    (0, position),
                    xytext=(2, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=6,
                    color="#888888",
                )
        ax.set_title(wrap_title(indicator.name(lang), 34), fontsize=7.5)
        ax.set_xlabel(indicator.unit if lang == "vi" else indicator.unit_en, fontsize=7)
        ax.invert_yaxis()
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.tick_params(labelsize=7)
        format_axis(ax, "x", lang=lang)
        ax.margins(x=0.25)
    fig.suptitle(words("outputs_by_agency", lang, year=year), fontweight="bold", fontsize=10)
    add_source(fig, sources, is_sample, lang)
    return fig


def training_by_district(
    indicators: pd.DataFrame, year: int, sources: str, is_sample: bool, lang: str = "vi", *, reference: Reference
) -> Figure:
    """Figure 2: training sessions and attendance by district of ``reference`` (all agencies)."""
    fig, axes = new_figure("wide", 1, 2)
    rows = indicators[(indicators["agency"] == ALL) & (indicators["district"] != ALL)]
    units, hidden = _top_units(rows, "training_sessions", list(reference.districts))
    for ax, indicator_id, key, colour in zip(
        axes,
        ("training_sessions", "training_attendance"),
        ("sessions", "attendance"),
        (PALETTE["main"], PALETTE["second"]),
        strict=True,
    ):
        values = rows[rows["indicator"] == indicator_id].set_index("district")
        heights = [values["value"].get(d.code, float("nan")) for d in units]
        approximate = [_sense_of(values, d.code) for d in units]
        bars = ax.barh(
            [d.short_vi if lang == "vi" else d.name_en for d in units],
            [0 if h != h else h for h in heights],
            color=colour,
        )
        label_bars(ax, bars, heights, approximate, horizontal=True, lang=lang)
        ax.set_title(words(key, lang))
        ax.invert_yaxis()
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        format_axis(ax, "x", lang=lang)
        ax.margins(x=0.2)
    title = words("training_by_district", lang, year=year)
    if hidden:  # 129 communes: the top ones drawn, the others in the review's table by unit
        title += "\n" + words("top_units", lang, shown=len(units), total=len(units) + hidden)
    fig.suptitle(title, fontweight="bold", fontsize=10)
    add_source(fig, sources, is_sample, lang)
    return fig


TOP_UNITS = 15
"""A figure by unit draws at most this many units (the eight districts all; of 129 communes the top ones)."""


def _top_units(rows: pd.DataFrame, indicator_id: str, units: list) -> tuple[list, int]:
    """The units a figure by unit draws, and how many it leaves out.

    All of them when there are at most :data:`TOP_UNITS`; else the units with
    the largest ``indicator_id`` (those that reported it), largest first.
    """
    if len(units) <= TOP_UNITS:
        return units, 0
    values = rows[rows["indicator"] == indicator_id].set_index("district")["value"].dropna()
    ranked = sorted((u for u in units if u.code in values.index), key=lambda u: (-values[u.code], u.code))
    return ranked[:TOP_UNITS], len(units) - min(len(ranked), TOP_UNITS)


def mark_territory_changes(ax, years: list[str], changed: tuple[int, ...], lang: str) -> None:
    """A dashed line before each year whose territory is not the previous year's, labelled (a trend across it)."""
    for year in changed:
        if str(year) in years and years.index(str(year)) > 0:
            x = years.index(str(year)) - 0.5
            ax.axvline(x, color=PALETTE["bad"], linestyle="--", linewidth=1)
            ax.annotate(
                words("territory_changed", lang),
                (x, 1),
                xycoords=("data", "axes fraction"),
                xytext=(3, -3),
                textcoords="offset points",
                va="top",
                fontsize=7,
                color=PALETTE["bad"],
            )


def _province_history(history: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The province's values of ``ids`` by year: one row per year, one column per indicator, in the order of ``ids``."""
    rows = history[(history["agency"] == ALL) & (history["district"] == ALL) & (history["indicator"].isin(ids))]
    return rows.pivot(index="year", columns="indicator", values="value").reindex(columns=ids)


def htx_over_years(
    history: pd.DataFrame, sources: str, is_sample: bool, lang: str = "vi", territory_changes: tuple[int, ...] = ()
) -> Figure:
    """Figure 3: HTX count over the years, with new and dissolved (a dashed line where the territory changed)."""
    table = _province_history(history, ["htx_count", "htx_new", "htx_dissolved"])
    fig, (ax_count, ax_flow) = new_figure("wide", 1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    years = [str(y) for y in table.index]
    bars = ax_count.bar(years, table["htx_count"].fillna(0), color=PALETTE["main"])
    label_bars(ax_count, bars, table["htx_count"].tolist(), lang=lang)
    ax_count.set_title(words("count", lang))
    format_axis(ax_count, lang=lang)
    positions = range(len(years))
    width = 0.38
    new = ax_flow.bar(
        [p - width / 2 for p in positions],
        table["htx_new"].fillna(0),
        width,
        color=PALETTE["good"],
        label=words("new", lang),
    )
    gone = ax_flow.bar(
        [p + width / 2 for p in positions],
        table["htx_dissolved"].fillna(0),
        width,
        color="white",
        edgecolor=PALETTE["bad"],
        hatch="xxx",
        linewidth=0.8,
        label=words("dissolved", lang),
    )
    label_bars(ax_flow, new, table["htx_new"].tolist(), lang=lang)
    label_bars(ax_flow, gone, table["htx_dissolved"].tolist(), lang=lang)
    ax_flow.set_xticks(list(positions), years)
    ax_flow.set_title(words("new_and_dissolved", lang))
    ax_flow.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)  # below the axes: never over a label
    format_axis(ax_flow, lang=lang)
    for ax in (ax_count, ax_flow):
        ax.margins(y=0.15)
        mark_territory_changes(ax, years, territory_changes, lang)
    fig.suptitle(words("htx_over_years", lang), fontweight="bold", fontsize=10)
    add_source(fig, sources, is_sample, lang)
    return fig


def rating_mix(
    history: pd.DataFrame, sources: str, is_sample: bool, lang: str = "vi", territory_changes: tuple[int, ...] = ()
) -> Figure:
    """Figure 4: share of Tốt/Khá/Trung bình/Yếu among rated HTX, by year."""
    ids = list(RATING_COLOURS)
    table = _province_history(history, ids).fillna(0)
    shares = table.div(table.sum(axis=1).where(lambda s: s > 0), axis=0)
    fig, ax = new_figure("wide")
    years = [str(y) for y in shares.index]
    bottom = pd.Series(0.0, index=shares.index)
    names = catalogue()
    for indicator_id in ids:
        values = shares[indicator_id].fillna(0)
        label = names[indicator_id].name(lang).replace("Số HTX xếp loại ", "").replace("Cooperatives rated ", "")
        colour, hatch = RATING_STYLES[indicator_id]
        bars = ax.bar(
            years,
            values,
            bottom=bottom,
            color=colour,
            hatch=hatch,
            edgecolor="white" if _is_dark(colour) else "#333333",
            linewidth=0.6,
            label=label,
            width=0.6,
        )
        for bar, value, base in zip(bars, values, bottom, strict=True):
            if value >= 0.04:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    base + value / 2,
                    format_percent_vi(value, 0),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="black",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.9},
                )
        bottom = bottom + values
    ax.set_ylim(0, 1)
    mark_territory_changes(ax, years, territory_changes, lang)
    ax.set_ylabel(words("share_of_rated", lang))
    format_axis(ax, percent=True, lang=lang)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(words("rating_mix", lang))
    add_source(fig, sources, is_sample, lang)
    return fig


def _is_dark(colour: str) -> bool:
    """Whether a fill is dark enough for white hatch lines (its luminance below one half)."""
    return grey_level(colour) < 0.5


def revenue_profit(
    history: pd.DataFrame, sources: str, is_sample: bool, lang: str = "vi", territory_changes: tuple[int, ...] = ()
) -> Figure:
    """Figure 5: revenue and profit per HTX over the years (mean and median)."""
    ids = ["revenue_per_htx_mean", "revenue_per_htx_median", "profit_per_htx_mean", "profit_per_htx_median"]
    table = _province_history(history, ids)
    fig, axes = new_figure("wide", 1, 2)
    years = [str(y) for y in table.index]
    for ax, key, prefix in zip(axes, ("revenue", "profit"), ("revenue_per_htx", "profit_per_htx"), strict=True):
        for stat, style in (("mean", "-o"), ("median", "--s")):
            values = table[f"{prefix}_{stat}"]
            ax.plot(
                years,
                values,
                style,
                color=PALETTE["main"] if stat == "mean" else PALETTE["second"],
                label=words(stat, lang),
                markersize=4,
            )
            for x, y in zip(years, values, strict=True):
                if y == y:
                    ax.annotate(
                        format_number(y, 0, lang),
                        (x, y),
                        xytext=(0, 4),
                        textcoords="offset points",
                        ha="center",
                        fontsize=6.5,
                    )
        ax.set_title(words(key, lang))
        mark_territory_changes(ax, years, territory_changes, lang)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)  # below the axes: never over a label
        format_axis(ax, lang=lang)
        ax.margins(y=0.2)
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    fig.suptitle(words("revenue_profit", lang), fontweight="bold", fontsize=10)
    add_source(fig, sources, is_sample, lang)
    return fig


STATUS_COLOURS = {"met": PALETTE["good"], "on_track": PALETTE["second"], "behind": PALETTE["bad"]}
STATUS_HATCHES = {"met": "", "on_track": "///", "behind": "xxx"}
"""A status is told by its hatch too, and by the word beside the bar: colour is never the only sign."""


def targets_progress(targets: pd.DataFrame, year: int, sources: str, is_sample: bool, lang: str = "vi") -> Figure:
    """Figure 6: each target's result as a share of the target, coloured by status (met / on track / behind)."""
    fig, ax = new_figure("wide")
    names = catalogue()
    labels, ratios, colours, notes = [], [], [], []
    for row in targets.itertuples():
        indicator = names[row.indicator]
        bound = row.target_low if not pd.isna(row.target_low) else row.target_high
        value = None if pd.isna(row.value) else float(row.value)
        ratio = 0.0 if value is None or not bound else value / bound
        if pd.isna(row.target_low):  # "at most": below the bound is good; show the bound over the value
            ratio = 0.0 if not value else bound / value
        labels.append(wrap_title(indicator.name(lang), 30))
        ratios.append(ratio)  # no cap: a 225% result is drawn and written as 225%
        colours.append(row.status)
        show = (lambda v: format_percent_vi(v, 1)) if indicator.is_share else (lambda v: format_number(v, 1, lang))
        target_text = (
            show(bound)
            if pd.isna(row.target_high) or pd.isna(row.target_low)
            else f"{show(row.target_low)}–{show(row.target_high)}"
        )
        shown_ratio = "" if value is None else f" ({format_percent_vi(ratio, 0)})"
        notes.append(
            f"{'–' if value is None else show(value)} / {target_text}{shown_ratio} · {status_word(row.status, lang)}"
        )
    bars = ax.barh(
        labels,
        ratios,
        color=[STATUS_COLOURS[status] for status in colours],
        hatch=None,
        edgecolor="white",
        linewidth=0.6,
        height=0.55,
    )
    for bar, status in zip(bars, colours, strict=True):
        bar.set_hatch(STATUS_HATCHES[status])
    for bar, note in zip(bars, notes, strict=True):
        ax.annotate(
            note,
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
        )
    ax.axvline(1.0, color="#333333", linewidth=1, linestyle="--")
    ax.set_xlim(0, max(2.0, max(ratios, default=1) * 1.6))  # room for the note beside the longest bar
    ax.invert_yaxis()
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    format_axis(ax, "x", percent=True, lang=lang)
    ax.set_xlabel(words("of_target", lang))
    ax.set_title(words("targets", lang, year=year))
    add_source(fig, sources, is_sample, lang)
    return fig


def data_quality(ledger: pd.DataFrame, year: int, sources: str, is_sample: bool, lang: str = "vi") -> Figure:
    """Figure 7: per file, the share of rows accepted, rejected and recognised as non-data.

    Bars are shares of each file's rows (a register has hundreds of rows, a
    Biểu 01 a dozen); the counts are written beside each bar.
    """
    from helpers.read.returns import NON_DATA_KINDS

    read = ledger[ledger["status"] == "read"].copy()
    read["non_data"] = read[list(NON_DATA_KINDS)].sum(axis=1)
    fig, ax = new_figure("tall" if len(read) > 8 else "wide")
    labels = read["file"].tolist()
    total = read["rows_read"].where(read["rows_read"] > 0, 1)
    left = pd.Series(0.0, index=read.index)
    parts = (("accepted", PALETTE["good"], ""), ("rejected", PALETTE["bad"], "xxx"), ("non_data", "#d9d9d9", "..."))
    for key, colour, hatch in parts:
        share = read[key] / total
        ax.barh(
            labels,
            share,
            left=left,
            color=colour,
            hatch=hatch,
            edgecolor="white" if _is_dark(colour) else "#333333",
            linewidth=0.4,
            label=words(key, lang),
            height=0.6,
        )
        left = left + share
    for position, (_, row) in enumerate(read.iterrows()):
        text = f"{int(row['accepted'])} · {int(row['rejected'])} · {int(row['non_data'])}"
        if row["approximate_values"]:
            text += " · " + words("approximate", lang, count=int(row["approximate_values"]))
        ax.annotate(
            text,
            (1.0, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=6.5,
            color=PALETTE["bad"] if row["rejected"] else "#333333",
        )
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", labelsize=6.5)
    ax.set_xlabel(words("share_of_rows", lang), fontsize=7)
    format_axis(ax, "x", percent=True, lang=lang)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    ax.set_title(words("ledger", lang, year=year))
    add_source(fig, sources, is_sample, lang)
    return fig
