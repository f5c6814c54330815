"""What an exploration helper returns: a table and a figure, shown together in a notebook.

An :class:`Answer` holds the numbers (:attr:`Answer.table`, a DataFrame of
numbers to compute with), the same table as the reader reads it (Vietnamese
number format, approximate values in words) and the figure in the house
style. In JupyterLab the answer shows itself: the figure, then the table under
its caption. A :class:`Note` stands in for an answer when there is nothing to
show (no year built yet, no value for the choice) and says why.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from helpers.messages import approximately
from helpers.text import format_number, format_percent_vi

SCREEN_DPI = 110
"""The resolution of a figure shown in a notebook (files saved with :func:`Answer.save` use the house 200 dpi)."""


def shown_value(value: object, share: bool, sense: str = "", lang: str = "vi") -> str:
    """A value as the review writes it: ``4.730``, ``62,3%``, ``trên 4.730``; ``–`` when there is none."""
    if value is None or value != value:
        return "–"
    if share:
        text = format_percent_vi(float(value)) if lang == "vi" else f"{format_number(float(value) * 100, 1, lang)}%"
    else:
        text = format_number(float(value), 1, lang)
    return approximately(text, sense, lang) if sense else text


def shown_change(value: object, share: bool, lang: str = "vi") -> str:
    """A change with its sign: ``+120``, ``-3,5``; a share's change in percentage points (``+2,1 đ.p.``)."""
    from helpers.messages import message

    if value is None or value != value:
        return "–"
    number = float(value) * 100 if share else float(value)
    text = format_number(abs(number), 1, lang)
    sign = "+" if number > 0 else ("-" if number < 0 else "")
    return f"{sign}{text} {message('review.pp', lang)}" if share else f"{sign}{text}"


@dataclass
class Answer:
    """A table of numbers and its figure.

    Attributes:
        title: what the answer shows, in the reader's language.
        table: the numbers (names as the index or beside the codes).
        figure: the figure in the house style (not shown by pyplot: it is drawn here).
        shown: the table as the reader reads it (text cells), shown under the figure.
        caption: the sentence above the table (what a blank means, what is approximate).
    """

    title: str
    table: pd.DataFrame
    figure: Figure
    shown: pd.DataFrame = field(repr=False)
    caption: str = ""
    lang: str = "vi"

    def png(self, dpi: int = SCREEN_DPI) -> bytes:
        """The figure as PNG bytes."""
        from helpers.publish.figure_style import house_style

        buffer = io.BytesIO()
        with house_style():
            self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def save(self, folder, stem: str):
        """Save the figure as PNG (200 dpi) and SVG in ``folder`` (the house's :func:`save_figure`)."""
        from helpers.publish.figure_style import save_figure

        return save_figure(self.figure, folder, stem)

    def table_view(self):
        """The reader's table under its caption (a sentence when it is empty)."""
        from helpers.publish.review_html import styled

        return styled(self.shown, self.caption or self.title, lang=self.lang)

    def _ipython_display_(self) -> None:
        from IPython.display import Image, display

        display(Image(data=self.png(), format="png"))
        display(self.table_view())

    def __repr__(self) -> str:
        return f"Answer({self.title!r}, {len(self.table)} rows)"


@dataclass
class Note:
    """A sentence in place of an answer: nothing to show, and what to do."""

    text: str

    def _repr_html_(self) -> str:
        return f'<p class="note"><b>{html.escape(self.text)}</b></p>'

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Note({self.text!r})"
