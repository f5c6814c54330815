"""The house style of the review's figures: one look, fixed sizes, and the one save helper.

:func:`save_figure` owns the style's output side: fixed sizes, PNG at 200 dpi
and SVG, metadata (dates, software) left out so that the same data give the
same bytes. :data:`HOUSE_STYLE` sets the look once, for every figure; the
helpers here (number axes, bar labels, wrapped titles) write numbers and words
the same way in every figure of :mod:`helpers.publish.figures`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from helpers.messages import approximately, message
from helpers.outputs import atomic_path
from helpers.text import format_number, format_percent_vi

PNG_DPI = 200
WIDTH_IN = 7.5  # fits an A4 page with 2 cm margins
SIZES = {"wide": (WIDTH_IN, 4.2), "tall": (WIDTH_IN, 7.8), "grid": (WIDTH_IN, 8.6)}

HOUSE_STYLE = {
    "font.family": ["DejaVu Sans", "sans-serif"],  # DejaVu ships with matplotlib and covers Vietnamese diacritics
    # where an SVG (text as text) is shown without DejaVu: a sans-serif font with Vietnamese
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
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
    # text as text: the SVG is for screens (selectable, searchable, a third of
    # the drawing time); print uses the 200-dpi PNG
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


def grey_level(colour) -> float:
    """The grey (0 black, 1 white) a colour prints as in black and white: its luma (ITU-R BT.601)."""
    from matplotlib.colors import to_rgba

    red, green, blue, _ = to_rgba(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue


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
    (:mod:`helpers.pipeline.kernels`), so that the first figure of the year does not
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


def format_axis(ax, axis: str = "y", percent: bool = False, lang: str = "vi") -> None:
    """Tick labels in the reader's number format (``1.500``, ``60%``) on a few round ticks."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    if percent:
        target.set_major_formatter(FuncFormatter(lambda v, _: format_percent_vi(v, 0)))
        return
    target.set_major_locator(MaxNLocator(nbins=4, integer=True, min_n_ticks=2))
    target.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, 0, lang)))


def label_bars(ax, bars, values, approximate=None, horizontal: bool = False, lang: str = "vi") -> None:
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


def wrap_title(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters, at spaces: a panel title that fits its panel.

    A single word longer than ``width`` stays whole on its own line.
    """
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
