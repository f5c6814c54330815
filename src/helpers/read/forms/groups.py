"""Biểu 03, the cooperative groups (THT) by district: one file a year, one row per district.

``raw-data.md`` § Biểu 03. The provincial office has no row; an accepted
row gives one record with every field of the form (``None`` where the file
has no such column or the cell reports nothing).
"""

from __future__ import annotations

from helpers.read.forms.base import Form
from helpers.read.forms.district_rows import DistrictRows
from helpers.read.rows import DataRow


class GroupRows(DistrictRows):
    """The rows of a Biểu 03 file."""

    def records(self, data_row: DataRow, where: dict) -> list[dict]:
        """One record per district, with each value, whether it was approximate, and its sense."""
        record = {"district": data_row.record["district"]}
        for name in self.reader.form.value_fields:
            number = data_row.values.get(name)
            record[name] = number.value if number else None
            record[f"{name}_approximate"] = bool(number and number.is_approximate)
            record[f"{name}_approx_sense"] = number.sense if number else None
        return [{**record, **where}]


GROUPS = Form(
    code="03",
    name_key="form.groups",
    rows_are="districts",
    key_field="district",
    header_fields=("district",),
    identity_fields=("district",),
    file_stem="groups",
    per_agency=False,
    allows_province_office=False,
    rules=GroupRows,
    correction_agency="THT",
)
"""Biểu 03."""
