"""Reference tables: agencies, districts, column labels and value vocabularies.

Every spelling the returns may use is data in ``helpers/reference/data/*.csv``
(one line per spelling), never a branch in code. A new spelling is a one-line
edit of the table plus a test.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from helpers.text import fold_label, to_nfc

TEMPLATES = ("01", "02", "03")
"""Biểu 01 (activities), Biểu 02 (HTX register), Biểu 03 (THT by district)."""

PROVINCE_OFFICE = "TINH"
"""District code of work done by an agency's provincial office itself."""


OVERRIDABLE = ("districts.csv", "district_aliases.csv", "agencies.csv")
"""Tables a data root may replace with its own in ``<data>/reference/``: another
province — or the whole country — is another table, not other code."""

_override_dir: Path | None = None


def use_reference_dir(folder: Path | None) -> None:
    """Read the :data:`OVERRIDABLE` tables from ``folder`` where it has them (``None``: the shipped ones)."""
    global _override_dir
    folder = folder if folder is not None and folder.is_dir() else None
    if folder == _override_dir:
        return
    _override_dir = folder
    for cached in (
        agencies,
        districts,
        district_by_code,
        _district_aliases,
        column_labels,
        vocabulary,
        markers,
        value_field_table,
        scaled_units,
    ):
        cached.cache_clear()


def reference_fingerprint() -> str:
    """Content of the reference tables in use that do not ship with the code (``shipped`` if none)."""
    if _override_dir is None:
        return "shipped"
    import hashlib

    digest = hashlib.sha256()
    for name in OVERRIDABLE:
        path = _override_dir / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b"absent"))
    return digest.hexdigest()


def read_reference_table(name: str) -> list[dict[str, str]]:
    """Read a reference table as NFC dict rows: the data root's own, if it has one, else the shipped one."""
    if _override_dir is not None and name in OVERRIDABLE and (_override_dir / name).is_file():
        text = (_override_dir / name).read_text(encoding="utf-8-sig")
    else:
        text = resources.files("helpers").joinpath("reference", "data", name).read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return [{key: to_nfc(value) for key, value in row.items()} for row in rows]


@dataclass(frozen=True)
class Agency:
    """One of the four bodies of the programme."""

    code: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class District:
    """A district-level unit (or the provincial office) with its official code."""

    code: str
    name_vi: str
    short_vi: str
    name_en: str
    is_province_office: bool


@functools.cache
def agencies() -> tuple[Agency, ...]:
    """The programme's agencies, in the order of the reference table."""
    return tuple(
        Agency(row["agency_code"], row["name_vi"], row["name_en"]) for row in read_reference_table("agencies.csv")
    )


@functools.cache
def districts() -> tuple[District, ...]:
    """District-level units and the provincial office, in reference order."""
    return tuple(
        District(
            code=row["district_code"],
            name_vi=row["name_vi"],
            short_vi=row["short_vi"],
            name_en=row["name_en"],
            is_province_office=row["kind"] == "province_office",
        )
        for row in read_reference_table("districts.csv")
    )


@functools.cache
def district_by_code() -> dict[str, District]:
    """Districts keyed by code."""
    return {district.code: district for district in districts()}


@functools.cache
def _district_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for row in read_reference_table("district_aliases.csv"):
        key = fold_label(row["alias"])
        previous = aliases.setdefault(key, row["district_code"])
        if previous != row["district_code"]:
            raise ValueError(f"district_aliases.csv: {row['alias']!r} names both {previous} and {row['district_code']}")
    return aliases


def resolve_district(name: object) -> str | None:
    """Return the district code a unit name refers to, or ``None``.

    Args:
        name: the unit as typed, e.g. ``"Tp.Ninh Bình"`` or ``"YEN MO"``.

    Returns:
        The official code (``"369"`` … ``"377"``) or ``"TINH"``; ``None`` when
        the name is not one of the known spellings.
    """
    return _district_aliases().get(fold_label(name))


def known_units_text(include_province_office: bool) -> str:
    """The list of accepted units, for error messages."""
    names = [f"{d.short_vi} ({d.code})" for d in districts() if include_province_office or not d.is_province_office]
    return ", ".join(names)


def resolve_agency(file_name: str) -> str | None:
    """Return the agency whose code starts ``file_name`` (case-insensitive)."""
    key = fold_label(file_name).replace(" ", "")
    for agency in sorted(agencies(), key=lambda a: -len(a.code)):
        if key.startswith(agency.code.lower()):
            return agency.code
    return None


@functools.cache
def column_labels(template: str) -> dict[str, str]:
    """Folded column label → field, for one template."""
    labels: dict[str, str] = {}
    for row in read_reference_table("column_labels.csv"):
        if row["template"] == template:
            labels[fold_label(row["label"])] = row["field"]
    return labels


@functools.cache
def vocabulary(name: str) -> dict[str, str]:
    """Folded value label → code, for the ``sector``, ``status`` or ``rating`` vocabulary."""
    return {
        fold_label(row["label"]): row["code"]
        for row in read_reference_table("value_labels.csv")
        if row["vocabulary"] == name
    }


def vocabulary_labels(name: str) -> str:
    """The accepted labels of a vocabulary, for error messages."""
    return " · ".join(row["label"] for row in read_reference_table("value_labels.csv") if row["vocabulary"] == name)


@dataclass(frozen=True)
class Markers:
    """Texts that make a row a totals, subset or footer row, or a value missing/approximate."""

    kind: str
    equals: frozenset[str]
    starts: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    symbol_starts: tuple[str, ...] = ()
    """Starts made of symbols only (``(*)``, ``*``), matched on the text as typed (folding drops symbols)."""

    def matches(self, text: object) -> bool:
        """Whether ``text`` (as typed) is one of these markers."""
        if self.symbol_starts and isinstance(text, str) and text.strip().startswith(self.symbol_starts):
            return True
        key = fold_label(text)
        if not key:
            return False
        if key in self.equals:
            return True
        if any(key == start or key.startswith(start + " ") for start in self.starts):
            return True
        return any(pattern.search(key) for pattern in self.patterns)


@functools.cache
def markers(kind: str) -> Markers:
    """The markers of one kind from ``layout_markers.csv``."""
    rows = [row for row in read_reference_table("layout_markers.csv") if row["kind"] == kind]
    if not rows:
        raise KeyError(f"layout_markers.csv has no markers of kind {kind!r}")
    equals = frozenset(fold_label(row["text"]) for row in rows if row["match"] == "equals")
    is_symbol = lambda text: not any(ch.isalnum() for ch in text)  # noqa: E731  (~, >, (*), folding would drop or keep them unevenly)
    starts = tuple(fold_label(row["text"]) for row in rows if row["match"] == "starts" and not is_symbol(row["text"]))
    symbol_starts = tuple(row["text"] for row in rows if row["match"] == "starts" and is_symbol(row["text"]))
    patterns = tuple(re.compile(row["text"]) for row in rows if row["match"] == "regex")
    return Markers(kind, equals, starts, patterns, symbol_starts)


@functools.cache
def scaled_units() -> dict[str, str]:
    """Map a folded unit as typed in a header to the folded contract unit it scales.

    Returns:
        E.g. ``kg`` → ``tấn``, ``tỷ đồng`` → ``triệu đồng``: units a header may
        use instead of the contract's, known so that such a column is refused
        rather than read in the wrong unit (a conversion would be a guess).
    """
    return {fold_label(row["typed"]): fold_label(row["unit"]) for row in read_reference_table("scaled_units.csv")}


def unit_aliases(unit: str) -> set[str]:
    """Folded spellings of a contract unit in headers (``trđ``, ``tr.đ`` for triệu đồng; ``người`` for lượt người)."""
    return {
        fold_label(row["alias"].replace(".", " "))
        for row in read_reference_table("unit_aliases.csv")
        if fold_label(row["unit"]) == fold_label(unit)
    }


@dataclass(frozen=True)
class ValueField:
    """A numeric field of a template: its unit, whether it counts things, whether it may be negative."""

    template: str
    field: str
    unit: str
    is_count: bool
    is_signed: bool


@functools.cache
def value_field_table(template: str) -> dict[str, ValueField]:
    """The numeric fields of a template (``value_fields.csv``), in the table's order."""
    return {
        row["field"]: ValueField(
            row["template"], row["field"], row["unit"], row["kind"] == "count", row["signed"] == "true"
        )
        for row in read_reference_table("value_fields.csv")
        if row["template"] == template
    }
