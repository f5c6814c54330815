"""Tables by district turned for print: districts as rows, a few indicators as columns.

A table with the 41 cooperative-development indicators as rows and the eight
districts as columns is wider than an A4 page; turned (districts as rows) and
split into groups of a few indicators, every table fits the page width, in
the HTML review and in the Word draft alike.
"""

from __future__ import annotations

import pandas as pd

from helpers.messages import message
from helpers.publish.review_data import district_name, indicator_cell, indicator_unit
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
    units = [ALL, *(d.code for d in data.reference.districts if not d.is_province_office)]
    first = message("docx.column_district", data.lang)
    records = []
    for unit in units:
        record = {first: district_name(unit, data.reference, data.lang)}
        for indicator_id in ids:
            record[column_heading(indicator_id, data.lang)] = indicator_cell(
                data.indicators, indicator_id, data.lang, district=unit
            )
        records.append(record)
    return pd.DataFrame(records)
