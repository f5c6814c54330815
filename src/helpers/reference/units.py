"""Units over time: which units a year is read against, and how a typed name resolves to one of them.

``raw-data.md`` § Units over time. Units are dated reference data
(``districts.csv`` hand-checked, up to 2024; ``communes.csv`` written by
``scripts/make_unit_table.py`` for the new province of 1/7/2025): each row has
a code, official and short names, a level (``kind``), ``valid_from``,
``valid_to`` and its successor(s). A year is read against the units valid on
31 December of that year (:func:`year_date`).

A typed name resolves (:class:`UnitNames`) when, folded, it is one of the
listed spellings of exactly one unit of the year (``district_aliases.csv``,
the official and short names), or when, after dropping a type word
(``unit_type_words.csv``: ``xã``, ``P.``, ``huyện``, ``TP`` …), it is the
name of exactly one unit of the year and the type word, if any, is that
unit's own. Everything else is refused with a reason that names the
candidates: a name that fits several units, a type word of a level the year
no longer has (``Huyện Nho Quan`` in 2026), a type word that is not the
unit's (``Phường Nho Quan``), or no unit at all (the closest five names).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from helpers.messages import message
from helpers.text import fold_label

PROVINCE_OFFICE_KIND = "province_office"
SHORT_LIST = 12
"""A year with at most this many units lists them all in a message; more (129 communes) lists the closest five."""
CLOSEST = 5


def year_date(year: int) -> dt.date:
    """The date a year's figures stand at, and the units it is read against: 31 December."""
    return dt.date(year, 12, 31)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class District:
    """A unit (a district-level unit before 1/7/2025, a commune or ward after it, or the provincial office).

    The class keeps its first name: everything that reads, computes or shows
    "by district" shows by the units of its year, whatever their level.

    Attributes:
        code: the official code (``"372"``; five digits for a commune or ward: ``"14428"``; ``"TINH"``).
        name_vi: the official name (``Huyện Nho Quan``, ``Xã Nho Quan``).
        short_vi: the name shown in tables (``Nho Quan``; a commune keeps its type word: ``Xã Nho Quan``).
        name_en: the English name.
        is_province_office: the provincial office of an agency (``TINH``), in every year.
        kind: the level: ``district``, ``commune``, ``ward``, ``special_zone``, ``province_office``.
        valid_from: first day in force (``None``: since before the programme).
        valid_to: last day in force (``None``: still in force).
        successors: the codes that took its territory when it ended (may be empty: not one-to-one).
    """

    code: str
    name_vi: str
    short_vi: str
    name_en: str
    is_province_office: bool
    kind: str = "district"
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successors: tuple[str, ...] = ()

    def valid_on(self, day: dt.date) -> bool:
        """Whether the unit is in force on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def label(self) -> str:
        """``short name (code)``, as messages list a unit."""
        return f"{self.short_vi} ({self.code})"


def unit_from_row(row: dict[str, str]) -> District:
    """A unit from a row of ``districts.csv`` or ``communes.csv`` (the dates and successors may be absent)."""
    code = row.get("unit_code") or row["district_code"]
    kind = row.get("kind") or "district"
    return District(
        code=code,
        name_vi=row["name_vi"],
        short_vi=row.get("short_vi") or row["name_vi"],
        name_en=row.get("name_en") or "",
        is_province_office=kind == PROVINCE_OFFICE_KIND,
        kind=kind,
        valid_from=_date(row.get("valid_from")),
        valid_to=_date(row.get("valid_to")),
        successors=tuple((row.get("successor_code") or "").split()),
    )


@functools.cache
def type_words() -> MappingProxyType[str, tuple[str, str]]:
    """Folded type word → (its type, the level it names), longest first (``thi xa`` before ``x``)."""
    import csv

    text = resources.files("helpers").joinpath("reference", "data", "unit_type_words.csv").read_text(encoding="utf-8")
    rows = [(fold_label(r["word"]), (fold_label(r["type"]), r["level"])) for r in csv.DictReader(text.splitlines())]
    return MappingProxyType(dict(sorted(rows, key=lambda item: -len(item[0]))))


def split_type_word(key: str) -> tuple[str | None, str]:
    """A folded name → (its leading type word, folded; the rest). ``(None, key)`` when it starts with none."""
    for word in type_words():
        if key.startswith(word + " ") and len(key) > len(word) + 1:
            return word, key[len(word) + 1 :]
    return None, key


def own_type(unit: District) -> str | None:
    """The type of a unit read from its official name (``huyen`` for Huyện Nho Quan, ``xa`` for Xã Nho Quan)."""
    word, _ = split_type_word(fold_label(unit.name_vi))
    return type_words()[word][0] if word else None


def base_key(unit: District) -> str:
    """A unit's folded name without its type word (``nho quan``)."""
    return split_type_word(fold_label(unit.name_vi))[1]


def level_end(units: tuple[District, ...], level: str) -> dt.date | None:
    """The first day a level no longer exists, when every unit of it has ended (1/7/2025 for districts)."""
    ends = [u.valid_to for u in units if u.kind == level]
    if not ends or any(end is None for end in ends):
        return None
    return max(ends) + dt.timedelta(days=1)  # type: ignore[operator]  # None excluded above


def _words_within(short: str, long: str) -> bool:
    return f" {short} " in f" {long} "


@dataclass(frozen=True)
class UnitNames:
    """How the names typed in a return of one year resolve to the units valid on 31 December of that year."""

    year: int
    units: tuple[District, ...]
    """The units of the year (the provincial office included), in the tables' order."""
    listed: MappingProxyType[str, str]
    """Folded listed spelling → code, for the units of the year."""
    district_level_end: dt.date | None
    """When the district level ended (``None``: it has not, in these tables)."""
    elsewhere: MappingProxyType[str, District]
    """Folded official and short names of units not in force on 31/12 of the year (``TP Hoa Lư`` in 2024)."""

    def resolve(self, name: object) -> tuple[str | None, str | None]:
        """``(code, None)`` when the name fits exactly one unit of the year; else ``(None, refusal or None)``.

        The refusal is a sentence naming the candidates (``None``: no unit
        fits and no rule says more; the caller lists the closest names).
        """
        key = fold_label(name)
        if not key:
            return None, None
        if key in self.listed:
            return self.listed[key], None
        word, base = split_type_word(key)
        typed = str(name).strip()
        if word is not None:
            level = type_words()[word][1]
            if level not in {u.kind for u in self.units}:
                if self.district_level_ended() and level in ("district", "town"):
                    return None, self._ended(typed, base)  # Huyện Nho Quan, TP Hoa Lư, Thị trấn Me in 2026
                return None, None
        other = self.elsewhere.get(key)
        if other is not None and not self.district_level_ended():  # a unit of another time (TP Hoa Lư in 2024)
            carriers = [u for u in self.units if not u.is_province_office and _words_within(base, base_key(u))]
            return None, message(
                "units.not_in_force",
                unit=typed,
                name=other.name_vi,
                period=_period(other),
                candidates=_labels(carriers) if carriers else self.closest(base),
            )
        fits = [u for u in self.units if not u.is_province_office and base_key(u) == base]
        if len(fits) > 1:
            return None, message("units.ambiguous", unit=typed, candidates=_labels(fits))
        if len(fits) == 1:
            unit = fits[0]
            if word is None or type_words()[word][0] == own_type(unit):
                return unit.code, None
            return None, message("units.wrong_type", unit=typed, candidates=unit.label())
        return None, None

    def district_level_ended(self) -> bool:
        """Whether the district level had ended by 31 December of the year."""
        return self.district_level_end is not None and self.district_level_end <= year_date(self.year)

    def _ended(self, typed: str, base: str) -> str:
        carriers = [u for u in self.units if not u.is_province_office and _words_within(base, base_key(u))]
        day = self.district_level_end or year_date(self.year)
        return message(
            "units.level_ended",
            unit=typed,
            date=f"{day.day}/{day.month}/{day.year}",
            candidates=_labels(carriers) if carriers else self.closest(base),
        )

    def closest(self, name: object, include_province_office: bool = False) -> str:
        """The closest names of the year to ``name`` (at most five), or all units when the year has few."""
        shown = [u for u in self.units if include_province_office or not u.is_province_office]
        if len(shown) <= SHORT_LIST:
            return _labels(shown)
        _, base = split_type_word(fold_label(name))
        by_key = {base_key(u): u for u in shown}
        near = difflib.get_close_matches(base, list(by_key), n=CLOSEST, cutoff=0.0)
        return _labels([by_key[key] for key in near])


def _period(unit: District) -> str:
    def show(day: dt.date | None) -> str:
        return "" if day is None else f"{day.day}/{day.month}/{day.year}"

    return f"{show(unit.valid_from)}–{show(unit.valid_to)}"


def _labels(units: list[District]) -> str:
    return ", ".join(unit.label() for unit in units)


def names_of_year(units: tuple[District, ...], aliases: tuple[tuple[str, str], ...], year: int) -> UnitNames:
    """The units valid on 31 December of ``year`` and their listed spellings (aliases, official and short names)."""
    day = year_date(year)
    valid = tuple(u for u in units if u.valid_on(day) and not u.is_province_office) + tuple(
        u for u in units if u.valid_on(day) and u.is_province_office
    )  # the provincial office last, as in districts.csv
    codes = {u.code for u in valid}
    listed: dict[str, str] = {}
    for unit in valid:
        for spelling in (unit.name_vi, unit.short_vi):
            listed.setdefault(fold_label(spelling), unit.code)
    for alias, code in aliases:
        if code in codes:
            listed[fold_label(alias)] = code
    elsewhere = {
        fold_label(spelling): unit
        for unit in units
        if not unit.valid_on(day)
        for spelling in (unit.name_vi, unit.short_vi)
        if fold_label(spelling) not in listed
    }
    return UnitNames(year, valid, MappingProxyType(listed), level_end(units, "district"), MappingProxyType(elsewhere))
