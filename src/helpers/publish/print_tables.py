"""Tables by district turned for print: districts as rows, a few indicators as columns.

A table with the 41 cooperative-development indicators as rows and the eight
districts as columns is wider than an A4 page; turned (districts as rows) and
split into groups of a few indicators, every table fits the page width, in
the HTML review and in the Word draft alike. A year of many units (the 129
communes and wards after 1/7/2025) lists them sorted, largest first
(:func:`_units_in_order`).
"""

from __future__ import annotations

import pandas as pd

from helpers.messages import message
from helpers.publish.review_data import cell_text, district_name, indicator_unit
from helpers.reference.catalogue import ALL, catalogue

DISTRICT_GROUPS = {
    "htx": ["htx_count", "htx_active", "htx_new", "htx_dissolved", "htx_net_change"],
    "members": ["htx_members", "members_per_htx", "htx_workers"],
    "money": [
        "revenue_per_htx_mean",
        "revenue_per_htx_median",
        "profit_per_htx_mean",
        "profit_per_htx_median",
        "loss_making_share",
    ],
    "rating": ["good_fair_share", "rating_good", "rating_fair", "rating_average", "rating_weak", "rating_none"],
    "sectors_1": ["sector_agriculture", "sector_industry", "sector_construction", "sector_trade"],
    "sectors_2": ["sector_transport", "sector_credit", "sector_environment", "sector_other"],
    "tht": ["tht_count", "tht_new", "tht_members"],
}
"""Groups of section-B indicators shown together, each one table by district.

At most six indicators a group: the table fits A4 portrait.
"""
DRAFT_DISTRICT_IDS = ["htx_count", "htx_new", "htx_dissolved", "htx_members", "good_fair_share", "tht_count", "tht_new"]
"""The indicators of the district table of the Word draft."""


def column_heading(indicator_id: str, lang: str) -> str:
    """An indicator as a column heading: its name and unit (``Số HTX thành lập mới trong năm (HTX)``)."""
    return message(
        "print.column_heading", lang, name=catalogue()[indicator_id].name(lang), unit=indicator_unit(indicator_id, lang)
    )


def district_rows_table(data, indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """The province and each district of the data root as rows, ``indicator_ids`` as columns, as the review shows them.

    Args:
        data: the year's review data (:class:`helpers.publish.review_data.YearData`).
        indicator_ids: the columns (default: :data:`DRAFT_DISTRICT_IDS`).
    """
    ids = indicator_ids or DRAFT_DISTRICT_IDS
    units = [ALL, *_units_in_order(data, ids)]
    first = message("docx.column_district", data.lang)
    records = []
    wanted = data.indicators[(data.indicators["agency"] == ALL) & data.indicators["indicator"].isin(ids)]
    # looked up in a dict, not filtered from the table cell by cell: 129 units × 41 indicators stay fast
    cells = {(row.indicator, row.district): row for row in wanted.itertuples(index=False)}
    for unit in units:
        record = {first: district_name(unit, data.reference, data.lang)}
        for indicator_id in ids:
            row = cells.get((indicator_id, unit))
            record[column_heading(indicator_id, data.lang)] = (
                "–" if row is None else cell_text(row, indicator_id, data.lang)
            )
        records.append(record)
    return pd.DataFrame(records)


MANY_UNITS = 12
"""More units than this (the 129 communes and wards after 1/7/2025) are sorted and only those with values shown."""


def _units_in_order(data, ids: list[str]) -> list[str]:
    """The units of the year as rows: in the tables' order when few; else those with a value, largest first.

    After 1/7/2025 a year has 129 communes and wards: a table of them is
    sorted by its first indicator (largest first, then by code), leaves out the
    units with no value in any of its columns, and runs over as many A4 pages
    as it needs, its header row repeated on each (the review's CSS, the draft's
    repeated header row).
    """
    codes = [d.code for d in data.reference.districts if not d.is_province_office]
    if len(codes) <= MANY_UNITS:
        return codes
    rows = data.indicators[(data.indicators["agency"] == ALL) & data.indicators["indicator"].isin(ids)]
    with_values = rows.dropna(subset=["value"])
    present = set(with_values["district"])
    first = with_values[with_values["indicator"] == ids[0]].set_index("district")["value"]
    kept = [code for code in codes if code in present]
    return sorted(kept, key=lambda code: (-first.get(code, float("-inf")), code))
