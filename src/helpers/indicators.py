"""Sections A and B of ``indicators.md``, computed from the cleaned tables.

The output is the tidy table of the contract: one row per value, with columns
``year, indicator, agency, district, value, unit, approximate``; ``ALL`` as
agency or district marks a total. Every indicator comes from the catalogue
(:mod:`helpers.catalogue`); :data:`REGISTER_FORMULAS` holds the computation of
each section-B indicator of the register.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.catalogue import ALL, catalogue, indicators_of
from helpers.outputs import write_csv
from helpers.reference import agencies, districts

INDICATOR_COLUMNS = ["year", "indicator", "agency", "district", "value", "unit", "approximate"]

Value = tuple[float, bool] | None
"""A computed value and whether it is approximate; ``None`` when there is nothing to compute it from."""


def _count(frame: pd.DataFrame) -> Value:
    return float(len(frame)), False


def _sum(frame: pd.DataFrame, field: str) -> Value:
    reported = frame[frame[field].notna()]
    if reported.empty:
        return None
    return float(reported[field].sum()), bool(reported[f"{field}_approximate"].any())


def _stat(frame: pd.DataFrame, field: str, how: str) -> Value:
    reported = frame[frame[field].notna()]
    if reported.empty:
        return None
    value = reported[field].mean() if how == "mean" else reported[field].median()
    return float(value), bool(reported[f"{field}_approximate"].any())


def _share(numerator: pd.Series, denominator_size: int) -> Value:
    if denominator_size == 0:
        return None
    return float(numerator.sum()) / denominator_size, False


def _not_dissolved(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["status"] != "dissolved"]


def _active(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["status"] == "active"]


def _rated_share(frame: pd.DataFrame) -> Value:
    rated = _not_dissolved(frame)
    rated = rated[rated["rating"] != "none"]
    return _share(rated["rating"].isin(["good", "fair"]), len(rated))


def _loss_share(frame: pd.DataFrame) -> Value:
    reporting = _active(frame)
    reporting = reporting[reporting["profit_mvnd"].notna()]
    return _share(reporting["profit_mvnd"] < 0, len(reporting))


def _by(field: str, code: str) -> Callable[[pd.DataFrame, int], Value]:
    return lambda frame, year: _count(_not_dissolved(frame)[_not_dissolved(frame)[field] == code])


REGISTER_FORMULAS: dict[str, Callable[[pd.DataFrame, int], Value]] = {
    "htx_count": lambda f, y: _count(_not_dissolved(f)),
    "htx_active": lambda f, y: _count(_active(f)),
    "htx_new": lambda f, y: _count(f[f["founded_year"] == y]),
    "htx_dissolved": lambda f, y: _count(f[f["status"] == "dissolved"]),
    "htx_net_change": lambda f, y: (float((f["founded_year"] == y).sum() - (f["status"] == "dissolved").sum()), False),
    "htx_members": lambda f, y: _sum(_active(f), "members"),
    "members_per_htx": lambda f, y: _stat(_active(f), "members", "mean"),
    "htx_workers": lambda f, y: _sum(_active(f), "workers"),
    "revenue_per_htx_mean": lambda f, y: _stat(_active(f), "revenue_mvnd", "mean"),
    "revenue_per_htx_median": lambda f, y: _stat(_active(f), "revenue_mvnd", "median"),
    "profit_per_htx_mean": lambda f, y: _stat(_active(f), "profit_mvnd", "mean"),
    "profit_per_htx_median": lambda f, y: _stat(_active(f), "profit_mvnd", "median"),
    "loss_making_share": lambda f, y: _loss_share(f),
    "good_fair_share": lambda f, y: _rated_share(f),
    **{f"rating_{name}": _by("rating", code) for name, code in
       (("good", "good"), ("fair", "fair"), ("average", "average"), ("weak", "weak"), ("none", "none"))},
    **{f"sector_{code}": _by("sector", code) for code in
       ("agriculture", "industry", "construction", "trade", "transport", "credit", "environment", "other")},
}  # fmt: skip
"""Section-B indicator id → computation over a frame of register rows (one district, or all)."""

GROUP_FIELDS = ("tht_count", "tht_new", "tht_members")
"""Section-B indicators summed from Biểu 03."""


def _agency_order() -> list[str]:
    return [ALL, *(a.code for a in agencies())]


def _district_order() -> list[str]:
    return [ALL, *(d.code for d in districts())]


def activity_indicators(activities: pd.DataFrame, year: int) -> pd.DataFrame:
    """Section A: each indicator by agency × unit, by agency, by unit and for the province.

    Only reported values are summed; a total is approximate when any part is.
    """
    if activities.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    frames = []
    for keys in (["agency", "district"], ["agency"], ["district"], []):
        if keys:
            grouped = activities.groupby(["indicator", *keys], sort=False)
        else:
            grouped = activities.groupby(["indicator"], sort=False)
        totals = grouped.agg(value=("value", "sum"), approximate=("approximate", "any")).reset_index()
        for column in ("agency", "district"):
            if column not in keys:
                totals[column] = ALL
        frames.append(totals)
    table = pd.concat(frames, ignore_index=True)
    table["year"] = year
    return table


def register_indicators(register: pd.DataFrame, year: int) -> pd.DataFrame:
    """Section B from the register (Biểu 02): per district and for the province."""
    if register.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    records = []
    scopes = [(ALL, register)] + [
        (d.code, register[register["district"] == d.code]) for d in districts() if not d.is_province_office
    ]
    for district, frame in scopes:
        for indicator, formula in REGISTER_FORMULAS.items():
            result = formula(frame, year)
            if result is None:
                continue
            value, approximate = result
            records.append({"indicator": indicator, "agency": ALL, "district": district, "value": value, "approximate": approximate})
    table = pd.DataFrame.from_records(records)
    table["year"] = year
    return table


def group_indicators(groups: pd.DataFrame, year: int) -> pd.DataFrame:
    """Section B from Biểu 03: THT by district and for the province."""
    records = []
    for field in GROUP_FIELDS:
        reported = groups[groups[field].notna()]
        for row in reported.itertuples(index=False):
            records.append(
                {"indicator": field, "agency": ALL, "district": row.district, "value": getattr(row, field), "approximate": bool(getattr(row, f"{field}_approximate"))}
            )
        if not reported.empty:
            records.append(
                {"indicator": field, "agency": ALL, "district": ALL, "value": float(reported[field].sum()), "approximate": bool(reported[f"{field}_approximate"].any())}
            )
    table = pd.DataFrame.from_records(records, columns=["indicator", "agency", "district", "value", "approximate"])
    table["year"] = year
    return table


def compute_indicators(activities: pd.DataFrame, register: pd.DataFrame, groups: pd.DataFrame, year: int) -> pd.DataFrame:
    """All indicators of a year in the contract's tidy format, in a stable order."""
    parts = [
        frame
        for frame in (activity_indicators(activities, year), register_indicators(register, year), group_indicators(groups, year))
        if not frame.empty
    ]
    if not parts:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    units = {indicator.id: indicator.unit for indicator in catalogue().values()}
    table["unit"] = table["indicator"].map(units)
    order = {
        "indicator": {id_: i for i, id_ in enumerate(catalogue())},
        "agency": {code: i for i, code in enumerate(_agency_order())},
        "district": {code: i for i, code in enumerate(_district_order())},
    }
    table = table.sort_values(["indicator", "agency", "district"], key=lambda column: column.map(order[column.name])).reset_index(drop=True)
    table["year"] = table["year"].astype("int64")
    table["value"] = table["value"].astype("float64")
    table["approximate"] = table["approximate"].astype("bool")
    return table[INDICATOR_COLUMNS]


def format_value(value: float) -> str:
    """A plain number with ``.`` as decimal point: ``4730``, ``5207.5``, ``0.623188``."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_indicators(table: pd.DataFrame, target: Path) -> None:
    """Write ``indicators.csv`` exactly in the format of ``indicators.md``."""
    out = table.copy()
    out["value"] = out["value"].map(format_value)
    out["approximate"] = out["approximate"].map({True: "true", False: "false"})
    write_csv(out, target)


def read_indicators(path: Path) -> pd.DataFrame:
    """Read an ``indicators.csv`` back with the contract's types."""
    table = pd.read_csv(path, dtype={"agency": str, "district": str, "indicator": str, "unit": str, "approximate": str}, keep_default_na=False)
    unknown = set(table["approximate"]) - {"true", "false"}
    if unknown:
        raise ValueError(f"{path}: 'approximate' must be true or false, found {sorted(unknown)}")
    table["approximate"] = table["approximate"].map({"true": True, "false": False}).astype(bool)
    table["value"] = table["value"].astype("float64")
    return table


def province_values(table: pd.DataFrame) -> pd.DataFrame:
    """The province rows (agency ``ALL``, district ``ALL``), indexed by indicator."""
    rows = table[(table["agency"] == ALL) & (table["district"] == ALL)]
    return rows.set_index("indicator")[["value", "unit", "approximate"]]


def section_ids(section: str) -> list[str]:
    """Indicator ids of a section, in catalogue order."""
    return [indicator.id for indicator in indicators_of(section)]
