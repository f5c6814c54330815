"""The figures of the annual review, in one house style.

:func:`save_figure` owns the style's output side: fixed sizes, PNG at 200 dpi
and SVG, metadata (dates, software) left out so that the same data give the
same bytes. :func:`house_style` sets the look once. Every figure carries the
year and a source line built from the data it shows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from helpers.errors import CoopReviewError
from helpers.messages import approximately, message, status_word
from helpers.outputs import atomic_path
from helpers.reference import Reference
from helpers.reference.catalogue import ALL, catalogue, indicators_of
from helpers.text import format_number, format_percent_vi

PNG_DPI = 200
WIDTH_IN = 7.5  # fits an A4 page with 2 cm margins
SIZES = {"wide": (WIDTH_IN, 4.2), "tall": (WIDTH_IN, 7.8), "grid": (WIDTH_IN, 8.6)}

HOUSE_STYLE = {
    "font.family": ["DejaVu Sans", "sans-serif"],  # DejaVu ships with matplotlib and covers Vietnamese diacritics
    "font.sans-serif": [
        "DejaVu Sans",
        "Arial",
        "Helvetica",
    ],  # where an SVG (text as text) is shown without DejaVu: a sans-serif font with Vietnamese
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "svg.hashsalt": "coop-review",  # stable ids inside SVG files
    # text as text: the SVG is for screens (selectable, searchable, a third of the drawing time); print uses the PNG
    "svg.fonttype": "none",
    "figure.dpi": 100,
}

PALETTE = {
    "LMHTX": "#1b6ca8",
    "HND": "#3a9a47",
    "HCCB": "#b5651d",
    "HLHPN": "#c2417a",
    "main": "#1b6ca8",
    "second": "#f0a202",
    "bad": "#c0392b",
    "good": "#2e8b57",
    "neutral": "#9e9e9e",
}
RATING_COLOURS = {
    "rating_good": "#2e8b57",
    "rating_fair": "#8fc93a",
    "rating_average": "#f0a202",
    "rating_weak": "#c0392b",
}


def words(key: str, lang: str = "vi", **values: object) -> str:
    """A label of the figures (``figure.<key>`` in the message catalogue)."""
    return message(f"figure.{key}", lang, **values)


plt.rcParams.update(HOUSE_STYLE)  # the style is set once, for every figure of the review


@dataclass(frozen=True)
class SavedFigure:
    """The files of one saved figure."""

    png: Path
    svg: Path


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style for the figures drawn inside the block."""
    with plt.rc_context(HOUSE_STYLE):
        yield


def new_figure(size: str = "wide", nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[Figure, object]:
    """A figure of one of the fixed sizes, in the house style (object-oriented API)."""
    with house_style():
        fig, axes = plt.subplots(nrows, ncols, figsize=SIZES[size], **kwargs)
    return fig, axes


def add_source(fig: Figure, sources: str, is_sample: bool, lang: str = "vi") -> None:
    """Write the source line (built from the data shown) at the foot of a figure."""
    text = words("source", lang, sources=sources) + (" " + words("sample", lang) if is_sample else "")
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7, color="#555555", wrap=True)


def save_figure(fig: Figure, directory: Path, stem: str) -> SavedFigure:
    """Save a figure as PNG (200 dpi) and SVG with no dates or software stamps, then close it.

    The figure is laid out once, at the PNG's resolution, on the renderer
    that then draws the PNG (the text is measured once for both), and the
    SVG is written from the same laid-out figure with its text as text.
    The same figure always gives the same bytes, so a changed file means a
    changed picture.
    """
    with house_style():
        fig.set_dpi(PNG_DPI)  # lay out on the renderer the PNG reuses: one text measurement, not two
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        png, svg = directory / f"{stem}.png", directory / f"{stem}.svg"
        with atomic_path(png) as temporary:
            # zlib level 3: files a few % larger than the default 6, written in half the time
            fig.savefig(
                temporary, format="png", dpi=PNG_DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 3}
            )
        with atomic_path(svg) as temporary:
            fig.savefig(temporary, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return SavedFigure(png, svg)


def warm_up() -> None:
    """Load the house font and both renderers once, drawing nothing that is kept.

    A warm kernel of the review stage calls this before its notebook comes
    (:mod:`helpers.build.kernels`), so that the first figure of the year does not
    pay for it. Saved figures are the same bytes with or without it.
    """
    import io

    fig, ax = new_figure("wide")
    ax.set_title("Sơ kết năm 2022: 1.234,5")
    ax.bar(["a", "b"], [1, 2])
    with house_style():
        fig.set_dpi(PNG_DPI)
        fig.savefig(io.BytesIO(), format="png", dpi=PNG_DPI)
        fig.savefig(io.BytesIO(), format="svg")
    plt.close(fig)


def _axis(ax, axis: str = "y", percent: bool = False, lang: str = "vi") -> None:
    """Tick labels in the reader's number format (``1.500``, ``60%``) on a few round ticks."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    if percent:
        target.set_major_formatter(FuncFormatter(lambda v, _: format_percent_vi(v, 0)))
        return
    target.set_major_locator(MaxNLocator(nbins=4, integer=True, min_n_ticks=2))
    target.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, 0, lang)))


def _label_bars(ax, bars, values, approximate=None, horizontal: bool = False, lang: str = "vi") -> None:
    """Write each bar's value beside it; ``approximate`` holds each value's sense (``None`` or ``""`` when exact)."""
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        if value != value:
            continue
        label = format_number(value, 1, lang)
        if approximate is not None and approximate[index]:
            label = approximately(label, approximate[index] if isinstance(approximate[index], str) else None, lang)
        if horizontal:
            ax.annotate(
                label,
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(2, 0),
                textcoords="offset points",
                va="center",
                fontsize=6.5,
            )
        else:
            ax.annotate(
                label,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=6.5,
            )


def _sense_of(rows: pd.DataFrame, key: str) -> str | None:
    """The approximate sense of the row ``key`` of an indicators table by agency or district (``None`` when exact)."""
    if key not in rows.index or not bool(rows["approximate"].get(key, False)):
        return None
    sense = rows["approx_sense"].get(key) if "approx_sense" in rows else None
    return sense if isinstance(sense, str) and sense else "about"


GRID_OF_FIGURE_1 = (4, 3)
"""Rows × columns of figure 1: one panel per section-A indicator.

A 13th indicator needs a new grid, never a dropped panel."""


class FigureLayoutError(CoopReviewError):
    """A figure's fixed layout does not fit the indicators it must show: a maintainer's error, said before drawing."""


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
        _label_bars(ax, bars, values, approximate, horizontal=True, lang=lang)
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
        ax.set_title(_wrap(indicator.name(lang), 34), fontsize=7.5)
        ax.set_xlabel(indicator.unit if lang == "vi" else indicator.unit_en, fontsize=7)
        ax.invert_yaxis()
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.tick_params(labelsize=7)
        _axis(ax, "x", lang=lang)
        ax.margins(x=0.25)
    fig.suptitle(words("outputs_by_agency", lang, year=year), fontweight="bold", fontsize=10)
    add_source(fig, sources, is_sample, lang)
    return fig


def training_by_district(
    indicators: pd.DataFrame, year: int, sources: str, is_sample: bool, lang: str = "vi", *, reference: Reference
) -> Figure:
    """Figure 2: training sessions and attendance by district of ``reference`` (all agencies)."""
    fig, axes = new_figure("wide", 1, 2)
    units = list(reference.districts)
    rows = indicators[(indicators["agency"] == ALL) & (indicators["district"] != ALL)]
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
        _label_bars(ax, bars, heights, approximate, horizontal=True, lang=lang)
        ax.set_title(words(key, lang))
        ax.invert_yaxis()
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        _axis(ax, "x", lang=lang)
        ax.margins(x=0.2)
    fig.suptitle(words("training_by_district", lang, year=year), fontweight="bold", fontsize=10)
    add_source(fig, sources, is_sample, lang)
    return fig


def _province_history(history: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    rows = history[(history["agency"] == ALL) & (history["district"] == ALL) & (history["indicator"].isin(ids))]
    return rows.pivot(index="year", columns="indicator", values="value").reindex(columns=ids)


def htx_over_years(history: pd.DataFrame, sources: str, is_sample: bool, lang: str = "vi") -> Figure:
    """Figure 3: HTX count over the years, with new and dissolved."""
    table = _province_history(history, ["htx_count", "htx_new", "htx_dissolved"])
    fig, (ax_count, ax_flow) = new_figure("wide", 1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    years = [str(y) for y in table.index]
    bars = ax_count.bar(years, table["htx_count"].fillna(0), color=PALETTE["main"])
    _label_bars(ax_count, bars, table["htx_count"].tolist(), lang=lang)
    ax_count.set_title(words("count", lang))
    _axis(ax_count, lang=lang)
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
        color=PALETTE["bad"],
        label=words("dissolved", lang),
    )
    _label_bars(ax_flow, new, table["htx_new"].tolist(), lang=lang)
    _label_bars(ax_flow, gone, table["htx_dissolved"].tolist(), lang=lang)
    ax_flow.set_xticks(list(positions), years)
    ax_flow.set_title(words("new_and_dissolved", lang))
    ax_flow.legend(loc="upper left")
    _axis(ax_flow, lang=lang)
    for ax in (ax_count, ax_flow):
        ax.margins(y=0.15)
    fig.suptitle(words("htx_over_years", lang), fontweight="bold", fontsize=10)
    add_source(fig, sources, is_sample, lang)
    return fig


def rating_mix(history: pd.DataFrame, sources: str, is_sample: bool, lang: str = "vi") -> Figure:
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
        bars = ax.bar(years, values, bottom=bottom, color=RATING_COLOURS[indicator_id], label=label, width=0.6)
        for bar, value, base in zip(bars, values, bottom, strict=True):
            if value >= 0.04:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    base + value / 2,
                    format_percent_vi(value, 0),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white",
                )
        bottom = bottom + values
    ax.set_ylim(0, 1)
    ax.set_ylabel(words("share_of_rated", lang))
    _axis(ax, percent=True, lang=lang)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(words("rating_mix", lang))
    add_source(fig, sources, is_sample, lang)
    return fig


def revenue_profit(history: pd.DataFrame, sources: str, is_sample: bool, lang: str = "vi") -> Figure:
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
        ax.legend(loc="lower right")
        _axis(ax, lang=lang)
        ax.margins(y=0.2)
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    fig.suptitle(words("revenue_profit", lang), fontweight="bold", fontsize=10)
    add_source(fig, sources, is_sample, lang)
    return fig


STATUS_COLOURS = {"met": PALETTE["good"], "on_track": PALETTE["second"], "behind": PALETTE["bad"]}


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
        labels.append(_wrap(indicator.name(lang), 30))
        ratios.append(min(ratio, 2.0))
        colours.append(STATUS_COLOURS[row.status])
        show = (lambda v: format_percent_vi(v, 1)) if indicator.is_share else (lambda v: format_number(v, 1, lang))
        target_text = (
            show(bound)
            if pd.isna(row.target_high) or pd.isna(row.target_low)
            else f"{show(row.target_low)}–{show(row.target_high)}"
        )
        notes.append(f"{'–' if value is None else show(value)} / {target_text} · {status_word(row.status, lang)}")
    bars = ax.barh(labels, ratios, color=colours, height=0.55)
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
    ax.set_xlim(0, max(2.0, max(ratios, default=1) * 1.05))
    ax.invert_yaxis()
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    _axis(ax, "x", percent=True, lang=lang)
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
    parts = (("accepted", PALETTE["good"]), ("rejected", PALETTE["bad"]), ("non_data", PALETTE["neutral"]))
    for key, colour in parts:
        share = read[key] / total
        ax.barh(labels, share, left=left, color=colour, label=words(key, lang), height=0.6)
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
    _axis(ax, "x", percent=True, lang=lang)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    ax.set_title(words("ledger", lang, year=year))
    add_source(fig, sources, is_sample, lang)
    return fig


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
