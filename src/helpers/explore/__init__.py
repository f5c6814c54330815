"""Exploring across years, for the analyst in JupyterLab: every built year with names, and one-line answers.

.. code-block:: python

    from helpers import explore

    data = explore.history()                    # every built year, names beside codes
    explore.series("training_attendance", "district", agency="HND", first_year=2017, last_year=2022)
    explore.ranking("Số HTX thành lập mới trong năm", first_year=2017, last_year=2022)  # who lags
    explore.changes("htx_count", "district")           # each year against the year before

Each answer is a table (``.table``, numbers) and a figure in the house style
(``.figure``); a notebook shows both. ``notebooks/05_explore.ipynb`` asks the
same questions for its parameters. Nothing here writes a file.

This is the top floor of the package (``docs/architecture.md``): it reads what
the build wrote and the build never imports it.
"""

from helpers.explore.answers import Answer, Note
from helpers.explore.choices import UnknownChoice, find_agency, find_district, find_indicator
from helpers.explore.notebook import Exploration
from helpers.explore.questions import AcrossAReform, NothingBuilt, NoValues, changes, history, ranking, series

__all__ = [
    "AcrossAReform",
    "Answer",
    "Exploration",
    "NoValues",
    "Note",
    "NothingBuilt",
    "UnknownChoice",
    "changes",
    "find_agency",
    "find_district",
    "find_indicator",
    "history",
    "ranking",
    "series",
]
