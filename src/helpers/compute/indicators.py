"""Sections A and B of ``indicators.md``, computed from the cleaned tables.

The output is the tidy table of the contract: one row per value, with columns
``year, indicator, agency, district, value, unit, approximate``; ``ALL`` as
agency or district marks a total. Every indicator comes from the catalogue
(:mod:`helpers.reference.catalogue`); :data:`REGISTER_FORMULAS` holds the computation of
each section-B indicator of the register.

Why this module is long: it is the one place where sections A and B are
computed. The register's formulas, the sums of the activity returns and of
Biểu 03, the check that the catalogue and the formulas list the same
indicators, and the tidy table's reading and writing change together when an
indicator is added.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.errors import CatalogueError
from helpers.outputs import write_csv
from helpers.read.values import combine_senses
from helpers.reference import Reference, value_field_table
from helpers.reference.catalogue import ALL, catalogue
from helpers.tables import INDICATORS, check_written, columns_of, damaged


def value_fields(template: str) -> tuple[str, ...]:
    """The numeric fields of a template (``reference/data/value_fields.csv``)."""
    return tuple(value_field_table(template))


INDICATOR_COLUMNS = columns_of(INDICATORS)
"""Columns of ``indicators.csv``: the contract of :mod:`helpers.tables`.

``approx_sense`` (``more_than``, ``under``, ``about``; empty when exact) is the
optional column of ``indicators.md``.
"""

Value = tuple[float, bool] | None
"""A computed value and whether it is approximate; ``None`` when there is nothing to compute it from."""


RATINGS = ("good", "fair", "average", "weak", "none")
SECTORS = ("agriculture", "industry", "construction", "trade", "transport", "credit", "environment", "other")


def register_masks(register: pd.DataFrame, year: int) -> pd.DataFrame:
    """The row sets the section-B formulas count over, one boolean column each."""
    not_dissolved = register["status"] != "dissolved"
    active = register["status"] == "active"
    rated = not_dissolved & (register["rating"] != "none")
    profit_reported = active & register["profit_mvnd"].notna()
    masks = {
        "not_dissolved": not_dissolved,
        "active": active,
        "founded_in_year": register["founded_year"].eq(year).fillna(False).astype(bool),
        "dissolved": register["status"] == "dissolved",
        "rated": rated,
        "rated_good_or_fair": rated & register["rating"].isin(["good", "fair"]),
        "profit_reported": profit_reported,
        "loss_making": profit_reported & (register["profit_mvnd"] < 0),
        **{f"rating_{code}": not_dissolved & (register["rating"] == code) for code in RATINGS},
        **{f"sector_{code}": not_dissolved & (register["sector"] == code) for code in SECTORS},
    }
    return pd.DataFrame(masks, index=register.index)


REGISTER_FORMULAS: dict[str, tuple] = {
    "htx_count": ("count", "not_dissolved"),
    "htx_active": ("count", "active"),
    "htx_new": ("count", "founded_in_year"),
    "htx_dissolved": ("count", "dissolved"),
    "htx_net_change": ("difference", "founded_in_year", "dissolved"),
    "htx_members": ("sum", "active", "members"),
    "members_per_htx": ("mean", "active", "members"),
    "htx_workers": ("sum", "active", "workers"),
    "revenue_per_htx_mean": ("mean", "active", "revenue_mvnd"),
    "revenue_per_htx_median": ("median", "active", "revenue_mvnd"),
    "profit_per_htx_mean": ("mean", "active", "profit_mvnd"),
    "profit_per_htx_median": ("median", "active", "profit_mvnd"),
    "loss_making_share": ("share", "loss_making", "profit_reported"),
    "good_fair_share": ("share", "rated_good_or_fair", "rated"),
    **{f"rating_{code}": ("count", f"rating_{code}") for code in RATINGS},
    **{f"sector_{code}": ("count", f"sector_{code}") for code in SECTORS},
}  # fmt: skip
"""Section-B indicator id → its formula over the register rows of a district (or all):

* ``("count", rows)`` — the number of rows of :func:`register_masks` ``rows``;
* ``("difference", a, b)`` — count of ``a`` minus count of ``b``;
* ``("sum" | "mean" | "median", rows, field)`` — over those rows reporting ``field``
  (no value when none does; approximate when any part is);
* ``("share", part, whole)`` — count of ``part`` / count of ``whole`` (no value when ``whole`` is 0).
"""

GROUP_FIELDS = ("tht_count", "tht_new", "tht_members")
"""Section-B indicators summed from Biểu 03."""


def _agency_order(reference: Reference) -> list[str]:
    return [ALL, *(a.code for a in reference.agencies)]


def _district_order(reference: Reference) -> list[str]:
    return [ALL, *(d.code for d in reference.districts)]


def activity_indicators(activities: pd.DataFrame, year: int) -> pd.DataFrame:
    """Section A: each indicator by agency × unit, by agency, by unit and for the province.

    Only reported values are summed; a total is approximate when any part is.
    """
    if activities.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    if "approx_sense" not in activities:  # cleaned by an older build: its approximate values are "about"
        activities = activities.assign(approx_sense=activities["approximate"].map({True: "about", False: None}))
    frames = []
    for keys in (["agency", "district"], ["agency"], ["district"], []):
        if keys:
            grouped = activities.groupby(["indicator", *keys], sort=False)
        else:
            grouped = activities.groupby(["indicator"], sort=False)
        totals = grouped.agg(
            value=("value", "sum"), approximate=("approximate", "any"), approx_sense=("approx_sense", combine_senses)
        ).reset_index()
        for column in ("agency", "district"):
            if column not in keys:
                totals[column] = ALL
        frames.append(totals)
    table = pd.concat(frames, ignore_index=True)
    table["year"] = year
    return table


def register_indicators(register: pd.DataFrame, year: int, reference: Reference) -> pd.DataFrame:
    """Section B from the register (Biểu 02): per district of ``reference`` and for the province.

    Every formula of :data:`REGISTER_FORMULAS` is computed for all districts at
    once (grouped), so a national register of 30,000 rows takes well under a second.
    """
    if register.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    reference = reference.for_year(year)
    units = [ALL, *(d.code for d in reference.districts if not d.is_province_office)]
    # each row counts for its district and for the province (ALL)
    scoped = pd.concat([register, register.assign(district=ALL)], ignore_index=True)
    masks = register_masks(scoped, year)
    groups = scoped["district"]
    counts = masks.groupby(groups).sum().reindex(units, fill_value=0)
    statistics = _register_statistics(scoped, masks, units)
    records = []
    for unit in units:
        for indicator, (kind, rows, *rest) in REGISTER_FORMULAS.items():
            approximate, sense = False, None
            if kind == "count":
                value = float(counts.at[unit, rows])
            elif kind == "difference":
                value = float(counts.at[unit, rows] - counts.at[unit, rest[0]])
            elif kind == "share":
                whole = counts.at[unit, rest[0]]
                if not whole:
                    continue
                value = float(counts.at[unit, rows]) / float(whole)
            else:
                row = statistics[(rows, rest[0])].loc[unit]
                if pd.isna(row["reported"]) or not row["reported"]:
                    continue
                value, approximate, sense = float(row[kind]), bool(row["approximate"]), row["approx_sense"]
            records.append(
                {
                    "indicator": indicator,
                    "agency": ALL,
                    "district": unit,
                    "value": value,
                    "approximate": approximate,
                    "approx_sense": sense,
                }
            )
    table = pd.DataFrame.from_records(records)
    table["year"] = year
    return table


def _register_statistics(
    scoped: pd.DataFrame, masks: pd.DataFrame, units: list[str]
) -> dict[tuple[str, str], pd.DataFrame]:
    """The statistics of :data:`REGISTER_FORMULAS` by unit, keyed ``(rows, field)``.

    Each is the sum, mean, median, whether approximate, the sense and the
    count reported, over the rows of ``masks[rows]`` that report ``field``.
    """
    groups = scoped["district"]
    statistics: dict[tuple[str, str], pd.DataFrame] = {}
    for kind, rows, *field in REGISTER_FORMULAS.values():
        if kind not in ("sum", "mean", "median") or (rows, field[0]) in statistics:
            continue
        reported = masks[rows] & scoped[field[0]].notna()
        values = scoped[field[0]].where(reported)
        approximate = scoped[f"{field[0]}_approximate"] & reported
        senses = (
            scoped[f"{field[0]}_approx_sense"].where(approximate)
            if f"{field[0]}_approx_sense" in scoped
            else approximate.map({True: "about", False: None})
        )
        frame = pd.DataFrame(
            {"value": values, "approximate": approximate, "approx_sense": senses, "reported": reported}
        )
        statistics[(rows, field[0])] = (
            frame.groupby(groups)
            .agg(
                sum=("value", "sum"),
                mean=("value", "mean"),
                median=("value", "median"),
                approximate=("approximate", "any"),
                approx_sense=("approx_sense", combine_senses),
                reported=("reported", "sum"),
            )
            .reindex(units)
        )
    return statistics


def group_indicators(groups: pd.DataFrame, year: int) -> pd.DataFrame:
    """Section B from Biểu 03: THT by district and for the province."""
    records = []
    for field in GROUP_FIELDS:
        reported = groups[groups[field].notna()]
        for row in reported.itertuples(index=False):
            approximate = bool(getattr(row, f"{field}_approximate"))
            sense = _sense_of(row, field) if approximate else None
            records.append(
                {
                    "indicator": field,
                    "agency": ALL,
                    "district": row.district,
                    "value": getattr(row, field),
                    "approximate": approximate,
                    "approx_sense": sense,
                }
            )
        if not reported.empty:
            approximate = reported[f"{field}_approximate"].astype(bool)
            senses = [_sense_of(row, field) for row in reported[approximate].itertuples(index=False)]
            records.append(
                {
                    "indicator": field,
                    "agency": ALL,
                    "district": ALL,
                    "value": float(reported[field].sum()),
                    "approximate": bool(approximate.any()),
                    "approx_sense": combine_senses(senses),
                }
            )
    table = pd.DataFrame.from_records(
        records, columns=["indicator", "agency", "district", "value", "approximate", "approx_sense"]
    )
    table["year"] = year
    return table


def computed_indicators() -> set[str]:
    """Every indicator this module computes: the Biểu 01 fields, :data:`REGISTER_FORMULAS`, :data:`GROUP_FIELDS`."""
    return set(value_fields("01")) | set(REGISTER_FORMULAS) | set(GROUP_FIELDS)


def check_catalogue_formulas() -> None:
    """The catalogue and the formulas list the same indicators.

    Raises:
        CatalogueError: an indicator of the catalogue without a formula (it
            would show as "not reported" everywhere), or a formula without a
            catalogue entry (it would have no name, unit or place in the review).
    """
    listed, computed = set(catalogue()), computed_indicators()
    if listed != computed:
        missing = ", ".join(sorted(listed - computed)) or "none"
        unnamed = ", ".join(sorted(computed - listed)) or "none"
        raise CatalogueError(
            "the indicator catalogue (reference/data/indicators.csv) and the formulas "
            "(helpers/compute/indicators.py) differ: "
            f"without a formula: {missing}; without a catalogue entry: {unnamed} — add the formula or the catalogue row"
        )


def _sense_of(row, field: str) -> str:
    """The sense of an approximate value of a cleaned row (``about`` when a table from an older build has none)."""
    sense = getattr(row, f"{field}_approx_sense", None)
    return sense if isinstance(sense, str) and sense else "about"


def compute_indicators(
    activities: pd.DataFrame, register: pd.DataFrame, groups: pd.DataFrame, year: int, *, reference: Reference
) -> pd.DataFrame:
    """All indicators of a year in the contract's tidy format, in a stable order.

    The units and agencies, and their order, are those of ``reference`` (the data root's tables) valid on
    31 December of ``year``: from 1/7/2025 the ``district`` column holds commune and ward codes.

    Raises:
        CatalogueError: when the catalogue and the formulas disagree (checked first, every time).
    """
    check_catalogue_formulas()
    reference = reference.for_year(year)  # the units valid on 31/12 of the year
    parts = [
        frame
        for frame in (
            activity_indicators(activities, year),
            register_indicators(register, year, reference),
            group_indicators(groups, year),
        )
        if not frame.empty
    ]
    if not parts:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    units = {indicator.id: indicator.unit for indicator in catalogue().values()}
    table["unit"] = table["indicator"].map(units)
    order = {
        "indicator": {id_: i for i, id_ in enumerate(catalogue())},
        "agency": {code: i for i, code in enumerate(_agency_order(reference))},
        "district": {code: i for i, code in enumerate(_district_order(reference))},
    }
    table = table.sort_values(
        ["indicator", "agency", "district"], key=lambda column: column.map(order[column.name])
    ).reset_index(drop=True)
    table["year"] = table["year"].astype("int64")
    table["value"] = table["value"].astype("float64")
    table["approximate"] = table["approximate"].astype("bool")
    # exact values have no sense; an approximate value without one (a cleaned table of an older build) is "about"
    senses = table["approx_sense"] if "approx_sense" in table else pd.Series(None, index=table.index, dtype=object)
    table["approx_sense"] = senses.where(table["approximate"]).map(lambda s: s if isinstance(s, str) and s else None)
    table.loc[table["approximate"] & table["approx_sense"].isna(), "approx_sense"] = "about"
    table["approx_sense"] = table["approx_sense"].fillna("").astype(str)
    return table[INDICATOR_COLUMNS]


def format_value(value: float) -> str:
    """A plain number with ``.`` as decimal point: ``4730``, ``5207.5``, ``0.623188``."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_indicators(table: pd.DataFrame, target: Path) -> None:
    """Write ``indicators.csv`` exactly in the format of ``indicators.md``, after checking its contract."""
    if "approx_sense" not in table:  # the optional column of indicators.md: empty when every value is exact
        table = table.assign(approx_sense=table["approximate"].map({True: "about", False: ""}))
    check_written(table, INDICATORS)
    out = table.copy()
    out["value"] = out["value"].map(format_value)
    out["approximate"] = out["approximate"].map({True: "true", False: "false"})
    write_csv(out, target)


def read_indicators(path: Path) -> pd.DataFrame:
    """Read an ``indicators.csv`` back with the contract's types.

    Raises:
        StageOutputError: the file is missing or damaged (named, with how to rebuild its year).
    """
    try:
        table = pd.read_csv(
            path,
            dtype={"agency": str, "district": str, "indicator": str, "unit": str, "approximate": str},
            keep_default_na=False,
            encoding="utf-8-sig",
        )
    except (OSError, ValueError) as error:
        raise damaged(path, str(error)) from None
    missing = [column for column in INDICATOR_COLUMNS if column not in table and column != "approx_sense"]
    if missing:
        raise damaged(path, f"missing columns {missing}")
    unknown = set(table["approximate"]) - {"true", "false"}
    if unknown:
        raise damaged(path, f"'approximate' must be true or false, found {sorted(unknown)}")
    table["approximate"] = table["approximate"].map({"true": True, "false": False}).astype(bool)
    if "approx_sense" not in table:  # an indicators.csv written before the column: every approximate value is "about"
        table["approx_sense"] = ""
    table["approx_sense"] = table["approx_sense"].astype(str).where(table["approximate"], "")
    table.loc[table["approximate"] & (table["approx_sense"] == ""), "approx_sense"] = "about"
    try:
        table["value"] = table["value"].astype("float64")
        table["year"] = table["year"].astype("int64")
    except ValueError as error:
        raise damaged(path, str(error)) from None
    return table[INDICATOR_COLUMNS]


def province_values(table: pd.DataFrame) -> pd.DataFrame:
    """The province rows (agency ``ALL``, district ``ALL``), indexed by indicator."""
    rows = table[(table["agency"] == ALL) & (table["district"] == ALL)]
    return rows.set_index("indicator")[["value", "unit", "approximate", "approx_sense"]]
