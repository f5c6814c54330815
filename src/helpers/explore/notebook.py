"""What ``notebooks/05_explore.ipynb`` shows: the questions of :mod:`helpers.explore.questions` for its parameters.

The notebook is the analyst's, not a stage of the build: it reads the built
years and writes nothing. An :class:`Exploration` holds the notebook's choice
(indicator, agency, district, years), checked once, and the built years read
once; each of its views is an :class:`~helpers.explore.answers.Answer`, or a
:class:`~helpers.explore.answers.Note` saying, in the reader's language, why
there is nothing to show and what to run (no year built yet: ``coop-review
run``). A choice that names nothing (an indicator no one has) is an error:
the notebook stops on it with the closest names.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.explore.answers import Answer, Note
from helpers.explore.choices import find_agency, find_district, find_indicator
from helpers.explore.questions import NothingBuilt, NoValues, changes, history, ranking, series
from helpers.messages import message
from helpers.paths import YEAR_RANGE, ProjectPaths
from helpers.reference.catalogue import Indicator

NOTEBOOK_NAME = "05_explore.ipynb"
"""The exploration notebook in ``notebooks/``: not a stage, never run by ``coop-review run``."""
NOTEBOOK_PARAMETERS = ("indicator", "agency", "district", "first_year", "last_year", "data_root")
"""Its parameters, in the order of its tagged cell."""


@dataclass
class Exploration:
    """The notebook's choice and the built years it reads.

    Attributes:
        indicator: the chosen indicator.
        agency: the chosen agency's code (``None``: all agencies).
        district: the chosen district's code (``None``: the province).
        first_year: the first year shown (``None``: the first built).
        last_year: the last year shown (``None``: the last built).
        data: the built years of the period (``None`` when there are none).
        problem: why there is nothing to show (empty when ``data`` is there).
    """

    indicator: Indicator
    agency: str | None
    district: str | None
    first_year: int | None
    last_year: int | None
    data: pd.DataFrame | None
    problem: str = ""
    lang: str = "vi"

    @classmethod
    def open(
        cls, indicator, agency="", district="", first_year=None, last_year=None, data_root="", lang: str = "vi"
    ) -> Exploration:
        """Check the choice, then read the built years of the period (a note, never an error, when none is built).

        Raises:
            UnknownChoice: the indicator, agency or district names nothing; the message lists the closest names.
        """
        paths = ProjectPaths.from_roots(data_root or None)
        reference = paths.reference()
        chosen = find_indicator(indicator)
        agency_code = find_agency(agency, reference).code if agency else None
        district_code = find_district(district, reference).code if district else None
        first = int(first_year) if first_year else None
        last = int(last_year) if last_year else None
        years = None  # every built year; else the period and the year before it (a change reads it)
        if first is not None or last is not None:
            years = range((first or min(YEAR_RANGE) + 1) - 1, (last or max(YEAR_RANGE)) + 1)
        try:
            data = history(paths.data_root, years=years, lang=lang)
        except NothingBuilt as nothing:
            return cls(chosen, agency_code, district_code, first, last, None, str(nothing), lang)
        return cls(chosen, agency_code, district_code, first, last, data, "", lang)

    def summary(self) -> Note:
        """One sentence: what is read (years, sample or not), or what to run first."""
        if self.data is None:
            return Note(self.problem)
        years = sorted({int(y) for y in self.data["year"]})
        shown = [y for y in years if self.first_year is None or y >= self.first_year]
        key = "explore.summary_sample" if self.data.attrs.get("sample") else "explore.summary"
        return Note(
            message(
                key,
                self.lang,
                indicator=self.indicator.name(self.lang),
                years=", ".join(str(y) for y in shown),
                count=len(shown),
            )
        )

    def head(self, rows: int = 10) -> pd.DataFrame | Note:
        """The first ``rows`` rows of the years read (what to run first, when none is built)."""
        return self.data.head(rows) if self.data is not None else Note(self.problem)

    def _ask(self, question, *args, **kwargs) -> Answer | Note:
        if self.data is None:
            return Note(self.problem)
        try:
            return question(
                self.indicator.id,
                *args,
                first_year=self.first_year,
                last_year=self.last_year,
                data=self.data,
                lang=self.lang,
                **kwargs,
            )
        except NoValues as nothing:  # no value for this choice: said, and the notebook goes on
            return Note(str(nothing))

    def series(self, by: str = "district") -> Answer | Note:
        """:func:`~helpers.explore.questions.series` of the choice, by ``district``, ``agency`` or ``province``."""
        kwargs = {"agency": self.agency} if by != "agency" else {"district": self.district}
        if by == "province":
            kwargs = {"agency": self.agency, "district": self.district}
        return self._ask(series, by, **kwargs)

    def ranking(self) -> Answer | Note:
        """:func:`~helpers.explore.questions.ranking` of the districts over the period, for the chosen agency."""
        return self._ask(ranking, agency=self.agency)

    def changes(self, by: str = "district") -> Answer | Note:
        """:func:`~helpers.explore.questions.changes` of the choice, by ``district``, ``agency`` or ``province``."""
        kwargs = {"agency": self.agency} if by != "agency" else {"district": self.district}
        return self._ask(changes, by, **kwargs)
