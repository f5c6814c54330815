"""Biểu 01, the activities of the coordination programme: one file per agency, one row per district.

``raw-data.md`` § Biểu 01. A row is a district, or the provincial office
(``TINH``: work done by the agency's provincial office itself); each value
column is an indicator. An accepted row gives one record per reported
indicator (agency × district × indicator), so that an indicator the agency
does not report is absent, never zero.
"""

from __future__ import annotations

from helpers.read.forms.base import Form
from helpers.read.forms.district_rows import DistrictRows
from helpers.read.rows import DataRow


class ActivityRows(DistrictRows):
    """The rows of a Biểu 01 file."""

    def records(self, data_row: DataRow, where: dict) -> list[dict]:
        """One record per indicator the row reports."""
        return [
            {
                "agency": self.reader.agency,
                "district": data_row.record["district"],
                "indicator": name,
                "value": number.value,
                "approximate": number.is_approximate,
                "approx_sense": number.sense,
                **where,
            }
            for name, number in data_row.values.items()
            if number.value is not None
        ]


ACTIVITIES = Form(
    code="01",
    name_key="form.activities",
    rows_are="districts",
    key_field="unit",
    header_fields=("unit",),
    identity_fields=("unit",),
    file_stem="activities",
    per_agency=True,
    allows_province_office=True,
    rules=ActivityRows,
)
"""Biểu 01."""
