"""The indicator catalogue: one definition per indicator, read by every table and figure.

``helpers/reference/data/indicators.csv`` holds, for each indicator, its id,
section of ``indicators.md`` (A programme activity, B cooperative
development), Vietnamese and English names, unit, source template and formula
in words (in English, and in Vietnamese for readers: ``definition_vi``). The
computation of each formula lives in :mod:`helpers.compute.indicators`; a test
checks that both list the same indicators.

The catalogue ships with the code (no data root can replace it): it is read
once and kept (cached), read-only, so nothing can change it while the process runs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import MappingProxyType

from helpers.reference import read_reference_table

ALL = "ALL"
"""The agency or district code of a total over all agencies or districts."""


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue."""

    id: str
    section: str
    name_vi: str
    name_en: str
    unit: str
    unit_en: str
    source: str
    formula: str
    definition_vi: str = ""
    """The formula in words, in Vietnamese: the data dictionary of the workbook's catalogue sheet."""

    @property
    def is_share(self) -> bool:
        """Whether the indicator is a share (0–1), shown as a percentage."""
        return self.id.endswith("_share")

    def name(self, lang: str = "vi") -> str:
        """The indicator's name in ``"vi"`` or ``"en"``."""
        return self.name_en if lang == "en" else self.name_vi


@functools.cache
def catalogue() -> MappingProxyType[str, Indicator]:
    """Every indicator by id, in catalogue order (read-only)."""
    return MappingProxyType(
        {
            row["indicator"]: Indicator(
                id=row["indicator"],
                section=row["section"],
                name_vi=row["name_vi"],
                name_en=row["name_en"],
                unit=row["unit"],
                unit_en=row["unit_en"],
                source=row["source"],
                formula=row["formula"],
                definition_vi=row.get("definition_vi", ""),
            )
            for row in read_reference_table("indicators.csv")
        }
    )


def indicators_of(section: str) -> list[Indicator]:
    """The indicators of section ``"A"`` or ``"B"``, in catalogue order."""
    return [indicator for indicator in catalogue().values() if indicator.section == section]


def catalogue_table():
    """The catalogue as a DataFrame (for display in notebooks)."""
    import pandas as pd

    return pd.DataFrame([vars(indicator) for indicator in catalogue().values()])
