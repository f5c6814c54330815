"""Every word a user reads, from one catalogue: ``reference/data/messages.csv``.

The catalogue has one row per message: ``key, vi, en``. Placeholders are
named (``{file}``) and the same in both languages (a test holds it). Vietnamese
is the default everywhere; ``lang="en"`` is for partners.

Numbers given to a placeholder are written in the reader's format
(``4.924,25`` in Vietnamese, ``4,924.25`` in English), except years and
spreadsheet row numbers (placeholders named ``year``, ``…_year``, ``row``,
``line``), which are written as they are: ``2017``, not ``2.017``.

The catalogue is package data read once and kept (cached): nothing can change
it while the process runs, and what the cache holds is read-only.
"""

from __future__ import annotations

import csv
import functools
import io
import string
import unicodedata
from importlib import resources
from types import MappingProxyType

from helpers.text import format_number

LANGUAGES = ("vi", "en")
PLAIN_NUMBER_PLACEHOLDERS = frozenset({"row", "line", "version"})
"""Placeholders whose numbers are identifiers, never grouped (beside every name ending in ``year``)."""


@functools.cache
def catalogue() -> MappingProxyType[str, MappingProxyType[str, str]]:
    """Every message by key: ``{"vi": …, "en": …}`` (read-only)."""
    text = resources.files("helpers").joinpath("reference", "data", "messages.csv").read_text(encoding="utf-8")
    # Read as it is (no stripping: a message may begin or end with a space), in NFC.
    rows = csv.DictReader(io.StringIO(text, newline=""))
    return MappingProxyType(
        {
            row["key"]: MappingProxyType({lang: unicodedata.normalize("NFC", row[lang]) for lang in LANGUAGES})
            for row in rows
        }
    )


def is_plain_placeholder(name: str) -> bool:
    """Whether numbers given to placeholder ``name`` are written without grouping (years, row numbers)."""
    return name.endswith("year") or name in PLAIN_NUMBER_PLACEHOLDERS


def format_value(name: str, value: object, lang: str = "vi") -> str:
    """A placeholder's value as the reader of ``lang`` reads it (see the module docstring)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if is_plain_placeholder(name):
        return str(int(value)) if float(value).is_integer() else str(value)
    decimals = 0 if float(value).is_integer() else 2
    return format_number(value, decimals, lang)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_field(self, field_name, args, kwargs):
        value, key = super().get_field(field_name, args, kwargs)
        return (field_name, value), key

    def format_field(self, value, format_spec):
        name, value = value
        return format(format_value(name, value, self.lang), format_spec)


def message(key: str, lang: str = "vi", **values: object) -> str:
    """The message ``key`` in ``lang``, its placeholders filled with ``values``.

    Args:
        key: a key of ``messages.csv`` (e.g. ``"values.not_a_number"``).
        lang: ``"vi"`` (default) or ``"en"``.
        **values: one value per placeholder; numbers are written in the
            language's format (years and row numbers as they are).

    Raises:
        KeyError: for a key that is not in the catalogue, or a placeholder without a value.
        ValueError: for a language other than ``vi`` and ``en``.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    text = catalogue()[key][lang]
    return _Formatter(lang).vformat(text, (), values)


def placeholders(text: str) -> set[str]:
    """The names of the placeholders of a catalogue text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


STATUSES = ("met", "on_track", "behind", "agree", "differ", "missing")
"""Codes of the statuses of targets and cross-checks; their words are ``status.<code>``."""


def status_word(status: str, lang: str = "vi") -> str:
    """The word of a status (``met`` → ``Đạt``): the one copy every table and figure uses."""
    return message(f"status.{status}", lang)


APPROXIMATE_SENSES = ("more_than", "under", "about")
"""Senses of an approximate value (as :data:`helpers.read.values.SENSES`); their words are ``approx.<sense>``."""


def approximately(number: str, sense: str | None, lang: str = "vi") -> str:
    """An approximate number written out: ``trên 1.000``, ``gần 10.000``, ``khoảng 300``.

    A sense that is not known is written as "about".

    Args:
        number: the number already formatted for the reader.
        sense: ``more_than``, ``under`` or ``about``.
        lang: the reader's language.
    """
    return message(f"approx.{sense if sense in APPROXIMATE_SENSES else 'about'}", lang, number=number)
