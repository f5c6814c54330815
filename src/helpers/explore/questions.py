"""The analyst's questions across years, each answered in one line: a table and a figure.

* :func:`history` — every built year as one tidy frame, names beside codes;
* :func:`series` — an indicator over the years, by agency or by district;
* :func:`ranking` — the districts ranked for a year or a period (who lags);
* :func:`changes` — the change on the previous year, by agency or by district.

Each question takes the indicator by id or name (:mod:`helpers.explore.choices`)
and reads the built years itself, or the frame ``data`` it is given (a
:func:`history`, or any frame of its columns: the tests give inline frames).

Why this module is long: the three questions share their choosing of rows
(:func:`_rows`) and their captions, and each draws its own figure in the house
style beside its table; apart they would repeat the choosing three times.
"""

from __future__ import annotations

import pandas as pd

from helpers.compute.years import CUMULATIVE_IDS
from helpers.errors import CoopReviewError
from helpers.explore.answers import Answer, shown_change, shown_value
from helpers.explore.choices import find_agency, find_district, find_indicator
from helpers.messages import message
from helpers.paths import ProjectPaths
from helpers.publish.all_years import HISTORY_COLUMNS, named_history, read_history
from helpers.publish.figure_style import PALETTE, SIZES, add_source, format_axis, house_style, label_bars
from helpers.read.values import combine_senses
from helpers.reference import Reference, load_reference
from helpers.reference.catalogue import ALL, Indicator
from helpers.samples import sample_label

BY = ("district", "agency", "province")
"""How a series or a change table is broken down."""
LINE_COLOURS = ("#1b6ca8", "#3a9a47", "#b5651d", "#c2417a", "#f0a202", "#6a4c93", "#2a9d8f", "#8d99ae", "#e76f51")
"""Colours of the lines of a series by district (agencies keep their house colours)."""


class NothingBuilt(CoopReviewError):
    """No year of the data root has its indicators computed: the message says what to run."""


class NoValues(CoopReviewError):
    """The chosen indicator has no value for the chosen agency, district and years."""


class AcrossAReform(CoopReviewError):
    """A ranking was asked over a period whose years hold units of two territories (the 1/7/2025 reform)."""


def history(data_root=None, years=None, lang: str = "vi") -> pd.DataFrame:
    """Every built year of the data root as one tidy frame, with the names of the chosen language.

    Args:
        data_root: the folder holding ``processed/`` (empty or ``None``: ``data/`` of
            the project, or ``$COOP_REVIEW_DATA``).
        years: the years to keep (any iterable of years; ``None``: every built year).
        lang: ``vi`` or ``en``: the language of the names and units.

    Returns:
        Columns ``year, indicator, indicator_name, section, agency, agency_name,
        district, district_name, value, unit, approximate, approx_sense``;
        ``attrs`` say whether the data are the synthetic sample and which data
        root they come from.

    Raises:
        NothingBuilt: no year (of ``years``) is built yet; the message says what to run.
    """
    paths = ProjectPaths.from_roots(data_root or None)
    wanted = None if years is None else sorted({int(year) for year in years})
    indicators = read_history(paths, wanted)
    if indicators.empty:
        built = paths.processed_years()
        raise NothingBuilt(
            message(
                "explore.nothing_built" if not built else "explore.years_not_built",
                folder=paths.processed_root,
                raw=paths.raw_root,
                years=_span(wanted or []),
                built=", ".join(str(year) for year in built),
            )
        )
    frame = named_history(indicators, paths.reference(), lang)
    # the synthetic label is a year's own (helpers.samples): the frame is sample data when any year read is
    sample = any(sample_label(paths.raw_root, int(year)).is_sample for year in frame["year"].unique())
    frame.attrs.update(sample=sample, lang=lang, data_root=str(paths.data_root))
    return frame


def _reference(data: pd.DataFrame) -> Reference:
    """The reference tables of the frame's data root (the shipped ones for a frame made by hand)."""
    root = data.attrs.get("data_root")
    return ProjectPaths.from_roots(root).reference() if root else load_reference(None)


def _data(data, data_root, first_year, last_year, lang) -> pd.DataFrame:
    """The frame a question reads: ``data`` when given, else the built years; cut to the years asked."""
    if data is None:
        data = history(data_root, lang=lang)
    missing = [column for column in HISTORY_COLUMNS if column not in data.columns]
    if missing:
        raise ValueError(f"data lacks the columns {missing} of helpers.explore.history()")
    keep = pd.Series(True, index=data.index)
    if first_year is not None:
        keep &= data["year"] >= int(first_year)
    if last_year is not None:
        keep &= data["year"] <= int(last_year)
    cut = data[keep]
    cut.attrs = dict(data.attrs)
    return cut


def _unit_codes(data: pd.DataFrame, by: str, reference: Reference) -> list[str]:
    """The units of a breakdown, in the reference's order: districts (not the provincial level) or agencies."""
    if by == "agency":
        order = [a.code for a in reference.agencies]
        present = set(data["agency"]) - {ALL}
    else:
        order = [d.code for d in reference.districts if not d.is_province_office]
        offices = {d.code for d in reference.districts if d.is_province_office}
        present = set(data["district"]) - {ALL} - offices
    order = list(dict.fromkeys(order))  # a unit of several versions (374: Huyện Hoa Lư, then TP Hoa Lư) once
    return [code for code in order if code in present] + sorted(present - set(order))


def _rows(data: pd.DataFrame, indicator: Indicator, by: str, agency, district, reference: Reference):
    """The rows of ``indicator`` a breakdown reads, and the column that names its units.

    ``by="district"``: every district, for one agency (all agencies when none is
    chosen); ``by="agency"``: every agency, in one district (the province when
    none is chosen); ``by="province"``: the one series of the chosen agency and district.
    """
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, not {by!r}")
    agency_code = find_agency(agency, reference).code if agency else ALL
    district_code = find_district(district, reference).code if district else ALL
    rows = data[data["indicator"] == indicator.id]
    if by == "district":
        rows = rows[(rows["agency"] == agency_code) & rows["district"].isin(_unit_codes(rows, by, reference))]
        return rows, "district"
    if by == "agency":
        rows = rows[(rows["district"] == district_code) & rows["agency"].isin(_unit_codes(rows, by, reference))]
        return rows, "agency"
    return rows[(rows["agency"] == agency_code) & (rows["district"] == district_code)], "district"


def _scope(data, by: str, agency, district, reference: Reference, lang: str) -> str:
    """Words saying whose values these are: ``Hội Nông dân tỉnh, theo địa bàn``."""
    agency_name = find_agency(agency, reference).name_vi if agency else message("workbook.all_agencies", lang)
    district_name = find_district(district, reference).short_vi if district else message("review.province", lang)
    if by == "district":
        return message("explore.scope_by_district", lang, agency=agency_name)
    if by == "agency":
        return message("explore.scope_by_agency", lang, district=district_name)
    return message("explore.scope_one", lang, agency=agency_name, district=district_name)


def _span(years) -> str:
    years = sorted({int(year) for year in years})
    if not years:
        return "–"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _empty(indicator: Indicator, scope: str, lang: str) -> NoValues:
    return NoValues(message("explore.no_values", lang, indicator=indicator.name(lang), scope=scope))


def _finish(fig, ax, indicator: Indicator, years, data: pd.DataFrame, lang: str, axis: str = "y") -> None:
    """The source line at the foot, numbers in the reader's format on the value ``axis``."""
    format_axis(ax, axis, percent=indicator.is_share, lang=lang)
    add_source(fig, f"{indicator.source}, {_span(years)}", bool(data.attrs.get("sample")), lang)
    with house_style():
        fig.tight_layout(rect=(0, 0.05, 1, 1))


def _new_figure(size: str = "wide"):
    """A figure of the house sizes that pyplot does not know (nothing is shown twice, nothing is kept open)."""
    from matplotlib.figure import Figure

    with house_style():
        fig = Figure(figsize=SIZES[size])
        ax = fig.subplots()
    return fig, ax


def series(
    indicator,
    by: str = "district",
    *,
    agency=None,
    district=None,
    first_year=None,
    last_year=None,
    data: pd.DataFrame | None = None,
    data_root=None,
    lang: str = "vi",
) -> Answer:
    """An indicator over the years, one line per district or agency.

    ``series("training_attendance", "district", agency="HND", first_year=2017, last_year=2022)``:
    the Farmers' Union's training attendance in each district over those years.

    Args:
        indicator: an indicator id or name.
        by: ``district`` (one line per district), ``agency`` (one per agency) or
            ``province`` (the one series of ``agency`` and ``district``).
        agency: an agency code or name (``None``: all agencies together).
        district: a district code or name (``None``: the province).
        first_year: the first year shown (``None``: the first built).
        last_year: the last year shown (``None``: the last built).
        data: a :func:`history` frame to read instead of the built years.
        data_root: where the built years are, when ``data`` is not given.
        lang: the language of the names and words.

    Returns:
        An :class:`Answer`: ``table`` has a row per unit (its name) and a column per year;
        a year a unit did not report is empty (never 0).
    """
    chosen = find_indicator(indicator)
    data = _data(data, data_root, first_year, last_year, lang)
    reference = _reference(data)
    rows, key = _rows(data, chosen, by, agency, district, reference)
    scope = _scope(data, by, agency, district, reference, lang)
    if rows.empty:
        raise _empty(chosen, scope, lang)
    years = sorted({int(year) for year in data["year"]})
    names = rows.drop_duplicates(key).set_index(key)[f"{key}_name"]
    units = [code for code in _unit_codes(rows, key, reference) if code in names.index] or list(names.index)
    values = rows.pivot_table(index=key, columns="year", values="value", aggfunc="first")
    values = values.reindex(index=units, columns=years)
    senses = rows.pivot_table(index=key, columns="year", values="approx_sense", aggfunc="first")
    senses = senses.reindex(index=units, columns=years).astype(object).fillna("")
    table = values.copy()
    table.index = pd.Index([names[code] for code in units], name=message("workbook.district", lang))
    if key == "agency":
        table.index.name = message("review.agency", lang)
    table.columns.name = message("workbook.year_column", lang)
    shown = pd.DataFrame(
        {
            table.index.name: list(table.index),
            **{
                str(year): [
                    shown_value(values.at[code, year], chosen.is_share, senses.at[code, year], lang) for code in units
                ]
                for year in years
            },
        }
    )
    title = message("explore.series_title", lang, indicator=chosen.name(lang), scope=scope, years=_span(years))
    fig, ax = _new_figure("wide")
    for position, code in enumerate(units):
        colour = PALETTE.get(code) if key == "agency" else None
        colour = colour or LINE_COLOURS[position % len(LINE_COLOURS)]
        line = values.loc[code]
        ax.plot(
            years,
            line.to_numpy(dtype=float),
            marker="o",
            markersize=3.5,
            linewidth=1.6,
            color=colour,
            label=names[code],
        )
        approximate = [year for year in years if senses.at[code, year]]
        if approximate:
            ax.plot(approximate, line[approximate].to_numpy(dtype=float), "o", mfc="white", color=colour)
    if len(units) > 1:  # one entry per unit, under the plot: names at the lines' ends would overlap
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(4, len(units)), fontsize=7.5)
    ax.set_title(title)
    ax.set_xticks(years)
    ax.set_xticklabels([str(year) for year in years])
    ax.set_ylabel(chosen.unit if lang == "vi" else chosen.unit_en)
    ax.margins(x=0.04)
    _finish(fig, ax, chosen, years, data, lang)
    caption = message("explore.series_caption", lang, title=title)
    return Answer(title, table, fig, shown, caption, lang)


def _period_values(rows: pd.DataFrame, indicator: Indicator, years: list[int]) -> pd.DataFrame:
    """Per district: the total over the period (a flow), or the value of the period's last year (a level)."""
    records = []
    flow = indicator.id in CUMULATIVE_IDS
    for code, unit in rows.groupby("district", sort=False):
        reported = unit.drop_duplicates("year")
        if flow:
            value = float(reported["value"].sum()) if not reported.empty else None
            sense = combine_senses(reported["approx_sense"]) or ""
        else:
            last = reported[reported["year"] == years[-1]]
            value = float(last["value"].iloc[0]) if not last.empty else None
            sense = str(last["approx_sense"].iloc[0]) if not last.empty else ""
        records.append(
            {
                "district": code,
                "district_name": unit["district_name"].iloc[0],
                "value": value,
                "years_reported": int(reported["year"].nunique()),
                "approximate": bool(sense),
                "approx_sense": sense,
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["district", "district_name", "value", "years_reported", "approximate", "approx_sense"]
    )


def _refuse_a_ranking_across_a_reform(years: list[int], reference: Reference, lang: str) -> None:
    """Units of two territories are never ranked together: a period that spans a change of units is refused.

    The message names the change and the periods that each hold one territory (a unit is compared only with
    itself while it exists: ``docs/contract.md``, units over time).
    """
    moved = [year for year in years[1:] if reference.territory_changed(year, year - 1)]
    if not moved:
        return
    starts = [years[0], *moved]
    ends = [*(year - 1 for year in moved), years[-1]]
    periods = ", ".join(_span([y for y in years if a <= y <= b]) for a, b in zip(starts, ends, strict=True))
    raise AcrossAReform(message("explore.ranking_across_reform", lang, years=_span(years), periods=periods))


def ranking(
    indicator,
    year=None,
    *,
    first_year=None,
    last_year=None,
    agency=None,
    data: pd.DataFrame | None = None,
    data_root=None,
    lang: str = "vi",
) -> Answer:
    """The districts ranked on an indicator for one year or a period: who leads, who lags.

    ``ranking("htx_new", first_year=2017, last_year=2022)``: new cooperatives over the period, districts
    from the most to the fewest; the districts below the median of the
    districts are marked (``below_median``) and drawn in another colour.

    Over a period, a flow (activities, cooperatives founded or dissolved, new
    groups) is the total of the period's years; a level (counts at 31/12,
    averages, shares) is the value of the period's last year.

    Args:
        indicator: an indicator id or name.
        year: one year (the same as ``first_year=year, last_year=year``).
        first_year: the first year of the period (``None``: the first built).
        last_year: the last year of the period (``None``: the last built).
        agency: an agency code or name (``None``: all agencies together).
        data: a :func:`history` frame to read instead of the built years.
        data_root: where the built years are, when ``data`` is not given.
        lang: the language of the names and words.

    Raises:
        AcrossAReform: the period spans a change of units (the 1/7/2025 reform): the message names the periods
            that hold one territory each.

    Returns:
        An :class:`Answer`: ``table`` has ``rank, district, district_name, value,
        years_reported, approximate, approx_sense, below_median``, best first; a
        district with no value for the period comes last, unranked.
    """
    if year is not None:
        first_year = last_year = year
    chosen = find_indicator(indicator)
    data = _data(data, data_root, first_year, last_year, lang)
    reference = _reference(data)
    rows, _ = _rows(data, chosen, "district", agency, None, reference)
    scope = _scope(data, "district", agency, None, reference, lang)
    if rows.empty:
        raise _empty(chosen, scope, lang)
    years = sorted({int(y) for y in data["year"]})
    _refuse_a_ranking_across_a_reform(years, reference, lang)
    table = _period_values(rows, chosen, years)
    table = table.sort_values("value", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    ranked = table["value"].notna()
    table.insert(0, "rank", pd.array([*range(1, int(ranked.sum()) + 1), *[None] * int((~ranked).sum())], "Int64"))
    median = float(table.loc[ranked, "value"].median()) if ranked.any() else None
    table["below_median"] = [bool(ranked.iloc[i] and v < median) for i, v in enumerate(table["value"])]
    flow = chosen.id in CUMULATIVE_IDS
    basis = message("explore.rank_total" if flow else "explore.rank_last_year", lang, years=_span(years))
    title = message("explore.ranking_title", lang, indicator=chosen.name(lang), scope=scope, basis=basis)
    shown = pd.DataFrame(
        {
            message("explore.rank", lang): [("" if pd.isna(r) else str(int(r))) for r in table["rank"]],
            message("workbook.district", lang): table["district_name"],
            message("column.value", lang): [
                shown_value(v, chosen.is_share, s, lang)
                for v, s in zip(table["value"], table["approx_sense"], strict=True)
            ],
            message("explore.years_reported", lang): table["years_reported"].astype(str),
            message("explore.below_median", lang): [
                message("explore.yes", lang) if below else "" for below in table["below_median"]
            ],
        }
    )
    fig, ax = _new_figure("wide")
    drawn = table[ranked].iloc[::-1]  # the best at the top
    colours = [PALETTE["second"] if below else PALETTE["main"] for below in drawn["below_median"]]
    bars = ax.barh([str(name) for name in drawn["district_name"]], drawn["value"].astype(float), color=colours)
    label_bars(ax, bars, list(drawn["value"].astype(float)), list(drawn["approx_sense"]), horizontal=True, lang=lang)
    if median is not None:
        ax.axvline(median, color=PALETTE["neutral"], linestyle="--", linewidth=1)
        ax.annotate(
            message("explore.median", lang),
            (median, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -2),
            textcoords="offset points",
            fontsize=7,
            va="top",
            color="#555555",
        )
    ax.set_title(title)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(chosen.unit if lang == "vi" else chosen.unit_en)
    _finish(fig, ax, chosen, years, data, lang, axis="x")
    caption = message("explore.ranking_caption", lang, title=title)
    return Answer(title, table, fig, shown, caption, lang)


def changes(
    indicator,
    by: str = "district",
    *,
    agency=None,
    district=None,
    first_year=None,
    last_year=None,
    data: pd.DataFrame | None = None,
    data_root=None,
    lang: str = "vi",
) -> Answer:
    """Each year of an indicator against the year before, per district or agency.

    One row per unit and year that has the previous year's value too (a year
    whose previous year is not built, or not reported, has no row). A share's
    change is in percentage points and has no percent change; a change is
    approximate when either value is. The row holds the unit, the year and the
    previous year: what a comparison across a change of territory is judged on.

    Args:
        indicator: an indicator id or name.
        by: ``district``, ``agency`` or ``province`` (as :func:`series`).
        agency: an agency code or name (``None``: all agencies together).
        district: a district code or name (``None``: the province).
        first_year: the first year compared (its previous year is read too).
        last_year: the last year compared.
        data: a :func:`history` frame to read instead of the built years.
        data_root: where the built years are, when ``data`` is not given.
        lang: the language of the names and words.

    Returns:
        An :class:`Answer`: ``table`` has ``unit, unit_name, year, previous_year,
        value, previous_value, change, change_pct, approximate, approx_sense,
        previous_approx_sense``; the figure shows the changes of the last year.
    """
    chosen = find_indicator(indicator)
    wider = _data(data, data_root, None if first_year is None else int(first_year) - 1, last_year, lang)
    reference = _reference(wider)
    rows, key = _rows(wider, chosen, by, agency, district, reference)
    scope = _scope(wider, by, agency, district, reference, lang)
    if rows.empty:
        raise _empty(chosen, scope, lang)
    table = _year_on_year(rows, key, chosen, first_year, _unit_codes(rows, key, reference))
    years = sorted({int(y) for y in table["year"]}) or sorted({int(y) for y in rows["year"]})
    title = message("explore.changes_title", lang, indicator=chosen.name(lang), scope=scope, years=_span(years))
    shown = pd.DataFrame(
        {
            message("workbook.district" if key == "district" else "review.agency", lang): table["unit_name"],
            message("workbook.year_column", lang): table["year"].astype(str),
            message("explore.previous", lang): [
                shown_value(v, chosen.is_share, s, lang)
                for v, s in zip(table["previous_value"], table["previous_approx_sense"], strict=True)
            ],
            message("column.value", lang): [
                shown_value(v, chosen.is_share, s, lang)
                for v, s in zip(table["value"], table["approx_sense"], strict=True)
            ],
            message("review.change", lang): [shown_change(v, chosen.is_share, lang) for v in table["change"]],
            message("review.change_pct", lang): [
                shown_change(v, False, lang) + ("%" if v == v and v is not None else "") for v in table["change_pct"]
            ],
        }
    )
    fig, ax = _new_figure("wide")
    if table.empty:
        ax.text(0.5, 0.5, message("explore.no_previous", lang), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(title)
        add_source(fig, f"{chosen.source}, {_span(years)}", bool(wider.attrs.get("sample")), lang)
    else:
        one_unit = table["unit"].nunique() == 1
        drawn = table if one_unit else table[table["year"] == table["year"].max()]
        labels = [str(y) for y in drawn["year"]] if one_unit else [str(n) for n in drawn["unit_name"]]
        change = drawn["change"].astype(float)
        colours = [PALETTE["good"] if v >= 0 else PALETTE["bad"] for v in change]
        bars = ax.bar(labels, change, color=colours)
        senses = [
            now or before for now, before in zip(drawn["approx_sense"], drawn["previous_approx_sense"], strict=True)
        ]
        label_bars(ax, bars, list(change), senses, lang=lang)
        ax.axhline(0, color="#555555", linewidth=0.8)
        shown_title = title if one_unit else message("explore.changes_last", lang, title=title, year=years[-1])
        ax.set_title(shown_title)
        ax.tick_params(axis="x", labelrotation=0 if len(labels) <= 6 else 30, labelsize=7)
        _finish(fig, ax, chosen, years, wider, lang)
    caption = message("explore.changes_caption", lang, title=title)
    return Answer(title, table, fig, shown, caption, lang)


CHANGE_COLUMNS = (
    "unit",
    "unit_name",
    "year",
    "previous_year",
    "value",
    "previous_value",
    "change",
    "change_pct",
    "approximate",
    "approx_sense",
    "previous_approx_sense",
)
"""The columns of :func:`changes`' table. A comparison that crosses a change of territory (a district merged or
abolished between ``previous_year`` and ``year``) is judged from ``unit``, ``previous_year`` and ``year``; a flag
of it belongs beside ``change``, from the reference tables' validity dates."""


def _year_on_year(rows: pd.DataFrame, key: str, indicator: Indicator, first_year, order: list[str]) -> pd.DataFrame:
    """Each unit's value of a year beside its value of the year before (consecutive years only).

    Rows in the order of the units (``order``, the reference's), then of the years.
    """
    values = rows.drop_duplicates([key, "year"]).set_index([key, "year"])
    records = []
    for (unit, year), row in values.iterrows():
        if first_year is not None and year < int(first_year):
            continue
        if (unit, year - 1) not in values.index:
            continue
        before = values.loc[(unit, year - 1)]
        value, previous = float(row["value"]), float(before["value"])
        change = value - previous
        records.append(
            {
                "unit": unit,
                "unit_name": row[f"{key}_name"],
                "year": int(year),
                "previous_year": int(year) - 1,
                "value": value,
                "previous_value": previous,
                "change": change,
                "change_pct": None if indicator.is_share or previous == 0 else change / previous * 100,
                "approximate": bool(row["approximate"]) or bool(before["approximate"]),
                "approx_sense": row["approx_sense"] if row["approximate"] else "",
                "previous_approx_sense": before["approx_sense"] if before["approximate"] else "",
            }
        )
    position = {unit: index for index, unit in enumerate(order)}
    records.sort(key=lambda record: (position.get(record["unit"], len(position)), record["year"]))
    table = pd.DataFrame.from_records(records, columns=list(CHANGE_COLUMNS))
    return table.astype({"year": "int64", "previous_year": "int64", "change_pct": "float64"})
