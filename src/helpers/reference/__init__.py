"""Reference tables: agencies, districts, column labels and value vocabularies.

Every spelling the returns may use is data in ``helpers/reference/data/*.csv``
(one line per spelling), never a branch in code. A new spelling is a one-line
edit of the table plus a test.

The tables are of two kinds, read in two ways:

* **The tables of a data root** — :data:`OVERRIDABLE`: districts, their
  spellings and the agencies. A data root may replace them with its own in
  ``<data>/reference/`` (another province, or the country). They are read into
  a :class:`Reference` by :func:`load_reference` (``ProjectPaths.reference()``
  gives the one of a data root, read once per paths object) and passed
  explicitly to everything that reads, computes or shows by district or
  agency. No module state chooses them, so two data roots used one after the
  other in one process each get their own tables.
* **The tables that ship with the code** — column labels, layout markers,
  vocabularies, value fields, units (and, elsewhere, the indicator catalogue
  and the message catalogue). No data root can replace them, so they are read
  from the package's own files by cached module functions. The cache is safe
  because nothing can change what it holds while the process runs: the files
  belong to the installed package, no function sets another folder, and the
  data root is never consulted for them.

Why this module is long: it holds the :class:`Reference` of a data root and the cached,
read-only reads of every shipped vocabulary (labels, markers, units, value fields), a few lines
each, sharing one reading function and one rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from helpers.errors import FileProblem
from helpers.messages import message
from helpers.reference.units import District, UnitNames, names_of_year, unit_from_row, year_date
from helpers.text import clean_cell_text, fold_label, strip_diacritics, to_nfc

TEMPLATES = ("01", "02", "03")
"""Biểu 01 (activities), Biểu 02 (HTX register), Biểu 03 (THT by district)."""

PROVINCE_OFFICE = "TINH"
"""District code of work done by an agency's provincial office itself."""


OVERRIDABLE = ("districts.csv", "district_aliases.csv", "agencies.csv", "communes.csv")
"""Tables a data root may replace with its own in ``<data>/reference/``: another
province — or the whole country — is another table, not other code.

``districts.csv`` and ``communes.csv`` are one dated table of units, in two
files: the hand-checked district-level units up to 2024, and the communes
and wards of the new province from 1/7/2025 (``scripts/make_unit_table.py``).
A data root that brings its own ``districts.csv`` brings its own units: its
``districts.csv`` plus its own ``communes.csv`` if it has one, never the shipped
communes of Ninh Bình."""

ADDITIVE = ("not_reported.csv",)
"""Tables a data root may give in ``<data>/reference/`` to *add* to the shipped lists, never to replace them:
``not_reported.csv`` (one column, ``text``) lists spellings of "not reported" the province uses beyond
the shipped markers (``raw-data.md`` § A closed world)."""

SHIPPED = "shipped"
"""The fingerprint of the tables that ship with the code (a data root without ``reference/``)."""


def _shipped_text(name: str) -> str:
    return resources.files("helpers").joinpath("reference", "data", name).read_text(encoding="utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    """CSV text as NFC dict rows."""
    return [{key: to_nfc(value) for key, value in row.items()} for row in csv.DictReader(text.splitlines())]


def read_reference_table(name: str) -> list[dict[str, str]]:
    """Read a table that ships with the code (``helpers/reference/data/<name>``) as NFC dict rows.

    The tables of :data:`OVERRIDABLE` read here are the shipped ones, never a
    data root's: the tables in use are those of a :class:`Reference`.
    """
    return _rows(_shipped_text(name))


AGENCY_DOCUMENT_FIELDS = (
    "full_name_vi",
    "full_name_en",
    "short_vi",
    "short_en",
    "doc_symbol",
    "signer_for_vi",
    "signer_for_en",
    "signer_title_vi",
    "signer_title_en",
)
"""Optional columns of ``agencies.csv`` used by the joint report (:class:`Agency`)."""


@dataclass(frozen=True)
class Agency:
    """One of the bodies of the programme, with the dates its name is in force (``None``: open).

    The fields after ``name_en`` are what a report they issue together needs
    (Decree 30/2020): the full name with the province, the short name used
    after the first mention, the symbol in the report's number, the signature
    block's authority and position. A data root's ``agencies.csv`` without
    these columns falls back on ``name_vi``/``name_en`` and the code.
    """

    code: str
    name_vi: str
    name_en: str
    full_name_vi: str = ""
    full_name_en: str = ""
    short_vi: str = ""
    short_en: str = ""
    doc_symbol: str = ""
    signer_for_vi: str = ""
    signer_for_en: str = ""
    signer_title_vi: str = ""
    signer_title_en: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        """Whether this name of the body is in force on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Reference:
    """The unit and agency tables of one data root (its own, else the shipped ones), dated.

    Made by :func:`load_reference`; immutable, so one object may be shared by
    everything that works on the data root.

    A reference is **undated** (``year`` ``None``, as loaded) or **of a year**
    (:meth:`for_year`). Everything that reads, computes or shows a year uses
    the reference of that year: its :attr:`districts` are the units valid on
    31 December of the year (the eight districts up to 2024, the 129
    communes and wards from 2025), and :meth:`resolve_district` applies the
    rules of ``raw-data.md`` § Units over time. Undated, :attr:`districts`
    is every unit of the tables and :meth:`resolve_district` knows only the
    listed spellings (``district_aliases.csv``), as before units were dated.

    Attributes:
        agencies: the programme's agencies (every dated name undated; those of the year when dated).
        units: every unit of the tables (every version: code 374 is Huyện Hoa Lư, then TP Hoa Lư).
        aliases: ``(spelling, code)`` of ``district_aliases.csv``, in its order.
        digest: :data:`SHIPPED`, or the hash of the data root's tables (see :meth:`fingerprint`).
        folder: the data root's ``reference/`` folder the tables were read from (``None``: shipped).
        not_reported: the "not reported" spellings the data root adds (``not_reported.csv``), as
            :func:`helpers.read.values.marker_key` compares them: lower case, no diacritics, single spaces.
        year: the year whose units this reference reads against, or ``None`` (undated).
    """

    agencies: tuple[Agency, ...]
    units: tuple[District, ...]
    aliases: tuple[tuple[str, str], ...]
    digest: str = SHIPPED
    folder: Path | None = field(default=None, compare=False)
    not_reported: frozenset[str] = frozenset()
    year: int | None = None

    def __post_init__(self) -> None:
        codes: dict[str, str] = {}
        for alias, code in self.aliases:
            previous = codes.setdefault(fold_label(alias), code)
            if previous != code:
                raise ValueError(message("reference.alias_two_districts", alias=alias, first=previous, second=code))
        if self.year is None:
            districts = self.units
            names = None
        else:
            names = names_of_year(self.units, self.aliases, self.year)
            districts = names.units
        by_code: dict[str, District] = {}
        for unit in districts:
            by_code.setdefault(unit.code, unit)
        # lookups made once from the fields, read-only (frozen: set past __setattr__; not fields, so not compared)
        object.__setattr__(self, "_codes_by_alias", MappingProxyType(codes))
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))
        object.__setattr__(self, "_districts", districts)
        object.__setattr__(self, "_names", names)

    def __reduce__(self) -> tuple:
        """Pickled as its fields: the lookups are made again from them."""
        return (
            Reference,
            (self.agencies, self.units, self.aliases, self.digest, self.folder, self.not_reported, self.year),
        )

    def for_year(self, year: int) -> Reference:
        """The same tables, read against the units valid on 31 December of ``year`` (itself if it already is)."""
        if self.year == year:
            return self
        return replace(self, year=int(year))

    def fingerprint(self) -> str:
        """The content of the tables that do not ship with the code (:data:`SHIPPED` if none).

        Part of what a cached parse and a built year depend on: another
        province's tables read the same file differently.
        """
        return self.digest

    @property
    def districts(self) -> tuple[District, ...]:
        """The units of the year (the provincial office included), in the tables' order; undated, every unit."""
        return self._districts  # type: ignore[attr-defined]  # set in __post_init__

    @property
    def district_by_code(self) -> MappingProxyType[str, District]:
        """Units keyed by code (read-only); undated, the first version of a code."""
        return self._by_code  # type: ignore[attr-defined]  # set in __post_init__

    def unit_by_code(self, code: str, year: int) -> District | None:
        """The version of a unit in force on 31 December of ``year`` (``None``: no such unit that year)."""
        day = year_date(year)
        return next((u for u in self.units if u.code == code and u.valid_on(day)), None)

    def agencies_of(self, year: int) -> tuple[Agency, ...]:
        """The agencies with their names in force on 31 December of ``year`` (the names a document of the year uses)."""
        day = year_date(year)
        return tuple(a for a in self.agencies if a.valid_on(day))

    def units_are_communes(self) -> bool:
        """Whether this reference's year is read by commune and ward (the district level had ended by 31/12)."""
        names: UnitNames | None = self._names  # type: ignore[attr-defined]  # set in __post_init__
        return names is not None and names.district_level_ended()

    def territory_changed(self, year: int, since: int) -> bool:
        """Whether the units of ``year`` differ from those of ``since`` (a comparison between them crosses a change)."""
        first, second = ({u for u in self.for_year(y).districts} for y in (since, year))
        return first != second

    def unit_in_year(self, code: str, year: int, commune: object = None) -> str | None:
        """The unit of ``year`` that a cooperative placed in unit ``code`` (in an earlier year) belongs to.

        For a register pre-filled from a year before a reform (``coop-review``'s
        handover): ``code`` itself while it is in force in ``year``; else its one
        successor in force then (followed through successive changes); else the
        unit of ``year`` whose full official name is the typed ``commune``
        (``Xã Gia Lâm``; a bare ``Thanh Bình`` could be another province's);
        else ``None``: the unit is left blank for the analyst to confirm (the
        tables cannot tell: 1/7/2025 has no one-to-one successors).
        """
        day = year_date(year)
        seen: set[str] = set()
        current = {code}
        while current and not seen.issuperset(current):
            seen |= current
            valid = {c for c in current if any(u.code == c and u.valid_on(day) for u in self.units)}
            if len(valid) == 1:
                return valid.pop()
            current = {s for u in self.units if u.code in current for s in u.successors}
            if len(current) > 1:
                break
        key = fold_label(commune)
        named = [
            u.code for u in self.for_year(year).districts if not u.is_province_office and fold_label(u.name_vi) == key
        ]
        return named[0] if key and len(named) == 1 else None  # only a full official name: a bare one may be elsewhere

    def change_dates(self, year: int, since: int) -> tuple[dt.date, ...]:
        """The days units came into force after 31/12 of ``since`` and by 31/12 of ``year`` (the changes between)."""
        first, last = year_date(since), year_date(year)
        return tuple(sorted({u.valid_from for u in self.units if u.valid_from and first < u.valid_from <= last}))

    def resolve_district(self, name: object) -> str | None:
        """Return the code of the unit a typed name refers to, or ``None``.

        Args:
            name: the unit as typed, e.g. ``"Tp.Ninh Bình"``, ``"YEN MO"`` or (2026) ``"xa nho quan"``.

        Returns:
            Of a year: the code of the one unit of the year the name fits
            (``raw-data.md`` § Units over time), ``None`` when it fits none or
            several (:meth:`unit_refusal` says why). Undated: the code of a
            listed spelling, else ``None``.
        """
        names: UnitNames | None = self._names  # type: ignore[attr-defined]  # set in __post_init__
        if names is None:
            return self._codes_by_alias.get(fold_label(name))  # type: ignore[attr-defined]  # set in __post_init__
        return names.resolve(name)[0]

    def unit_refusal(self, name: object) -> str | None:
        """Why a name resolves to no unit of the year, naming the candidates; ``None``: it resolves, or no rule says.

        A name that fits several units, a district typed after the district
        level ended, a type word that is not the unit's. When this is
        ``None`` for a name that does not resolve, the message lists
        :meth:`known_units_text` of the name instead.
        """
        names: UnitNames | None = self._names  # type: ignore[attr-defined]  # set in __post_init__
        return None if names is None else names.resolve(name)[1]

    def known_units_text(self, include_province_office: bool, typed: object = None) -> str:
        """The units to offer in a message: all of them in a year of few, else the five closest to ``typed``."""
        names: UnitNames | None = self._names  # type: ignore[attr-defined]  # set in __post_init__
        if names is not None:
            return names.closest(typed, include_province_office)
        return ", ".join(d.label() for d in self.districts if include_province_office or not d.is_province_office)

    def resolve_agency(self, file_name: str) -> str | None:
        """Return the agency whose code starts ``file_name`` (case-insensitive)."""
        key = fold_label(file_name).replace(" ", "")
        for agency in sorted(self.agencies, key=lambda a: -len(a.code)):
            if key.startswith(agency.code.lower()):
                return agency.code
        return None


def marker_spelling_key(text: str) -> str:
    """A "not reported" spelling as compared: lower case, no diacritics, single spaces; punctuation kept."""
    return " ".join(strip_diacritics(to_nfc(clean_cell_text(text))).lower().split())


def _agency_from_row(row: dict[str, str]) -> Agency:
    dates = {name: dt.date.fromisoformat(row[name]) if row.get(name) else None for name in ("valid_from", "valid_to")}
    documents = {name: row.get(name) or "" for name in AGENCY_DOCUMENT_FIELDS}
    return Agency(row["agency_code"], row["name_vi"], row["name_en"], **documents, **dates)


def _reference_from_texts(texts: dict[str, str | None], digest: str, folder: Path | None) -> Reference:
    agencies = tuple(_agency_from_row(row) for row in _rows(texts["agencies.csv"] or ""))
    units = tuple(unit_from_row(row) for name in ("districts.csv", "communes.csv") for row in _rows(texts[name] or ""))
    aliases = tuple((row["alias"], row["district_code"]) for row in _rows(texts["district_aliases.csv"] or ""))
    extra = texts.get("not_reported.csv")
    not_reported = frozenset(
        key for key in (marker_spelling_key(row["text"]) for row in _rows(extra or "text\n")) if key
    )
    return Reference(agencies, units, aliases, digest, folder, not_reported)


@functools.cache
def _shipped_reference() -> Reference:
    """The shipped tables (package data: nothing can change them while the process runs)."""
    return _reference_from_texts({name: _shipped_text(name) for name in OVERRIDABLE}, SHIPPED, None)


def load_reference(folder: Path | None) -> Reference:
    """Read the reference tables of a data root.

    Args:
        folder: the data root's ``reference/`` folder. Each table of
            :data:`OVERRIDABLE` it holds replaces the shipped one; ``None``, or
            a folder that does not exist, means the shipped tables.

    Returns:
        The tables, with the fingerprint of what the folder holds.

    Raises:
        FileProblem: a table the analyst gave that cannot be used (a missing column, not UTF-8, one spelling given
            to two districts): named, with what to do. Like every table the analyst edits, it is checked before a
            run builds anything (:mod:`helpers.pipeline.preflight`).
    """
    if folder is None or not folder.is_dir():
        return _shipped_reference()
    digest = hashlib.sha256()
    owns = {}
    for name in OVERRIDABLE + ADDITIVE:
        path = folder / name
        owns[name] = path.read_bytes() if path.is_file() else None
        if owns[name] is not None or name in OVERRIDABLE:  # an absent additive table leaves the digest as it was
            digest.update(name.encode() + (b"absent" if owns[name] is None else owns[name]))
    try:
        texts: dict[str, str | None] = {
            name: (_shipped_text(name) if name in OVERRIDABLE else None) if own is None else own.decode("utf-8-sig")
            for name, own in owns.items()
        }
        if owns["districts.csv"] is not None and owns["communes.csv"] is None:
            texts["communes.csv"] = None  # its own units: never the shipped communes of Ninh Bình
        return _reference_from_texts(texts, digest.hexdigest(), folder)
    except (KeyError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        problem = message("reference.unusable", error=str(error).strip("'"))
        raise FileProblem(
            str(folder), problem, message("reference.unusable_action", names=", ".join(OVERRIDABLE + ADDITIVE))
        ) from None


@functools.cache
def column_labels(template: str) -> MappingProxyType[str, str]:
    """Folded column label → field, for one template (read-only: the cached table cannot be changed)."""
    labels: dict[str, str] = {}
    for row in read_reference_table("column_labels.csv"):
        if row["template"] == template:
            labels[fold_label(row["label"])] = row["field"]
    return MappingProxyType(labels)


@functools.cache
def vocabulary(name: str) -> MappingProxyType[str, str]:
    """Folded value label → code, for the ``sector``, ``status`` or ``rating`` vocabulary (read-only)."""
    return MappingProxyType(
        {
            fold_label(row["label"]): row["code"]
            for row in read_reference_table("value_labels.csv")
            if row["vocabulary"] == name
        }
    )


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
def scaled_units() -> MappingProxyType[str, str]:
    """Folded unit as typed in a header (``kg``, ``tỷ đồng``) → the folded contract unit it scales (read-only).

    ``tấn`` for ``kg``, ``triệu đồng`` for ``tỷ đồng``.
    """
    return MappingProxyType(
        {fold_label(row["typed"]): fold_label(row["unit"]) for row in read_reference_table("scaled_units.csv")}
    )


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
def value_field_table(template: str) -> MappingProxyType[str, ValueField]:
    """The numeric fields of a template (``value_fields.csv``), in the table's order (read-only)."""
    return MappingProxyType(
        {
            row["field"]: ValueField(
                row["template"], row["field"], row["unit"], row["kind"] == "count", row["signed"] == "true"
            )
            for row in read_reference_table("value_fields.csv")
            if row["template"] == template
        }
    )
