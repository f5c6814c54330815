"""Matching a header label to a field: only as listed (``raw-data.md`` § A closed world).

A label matches a field when, after folding case, diacritics, punctuation,
line breaks and repeated spaces (:func:`~helpers.text.fold_words`), it is one
of the field's listed labels (``column_labels.csv``) — with nothing removed but
what the contract lists:

* a trailing unit in parentheses that is the field's own unit or a listed
  spelling of it (``(buổi)``, ``(người)`` for lượt người: ``unit_aliases.csv``);
* a trailing ``năm <the return's year>`` or ``<the return's year>`` (also in
  parentheses);
* a number before the label (``1. Số buổi tập huấn``), as decided before.

A label that says anything more (``lũy kế``, ``cùng kỳ``, another year, a
period, two years joined by a dash) is another column: ignored and reported, never the
field. A trailing unit this project knows but that is not the field's
(``(kg)`` over tấn) is a *foreign unit*: the column is not read, with an error.
Fields without a unit (name, codes, dates, vocabularies) keep the old, lenient
folding: any trailing parenthesis is dropped (no number is read from them).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from types import MappingProxyType

from helpers.reference import TEMPLATES, markers, read_reference_table, scaled_units, unit_aliases, value_field_table
from helpers.text import fold_label, fold_words, to_nfc

_TRAILING_PARENTHESIS = re.compile(r"\(([^()]*)\)\s*$")
_TRAILING_YEAR = re.compile(r"(?:\b(?:năm|nam)\s+)?\b(\d{4})\s*$", re.IGNORECASE)
_YEAR_PHRASE = re.compile(r"^(?:nam )?(\d{4})$")
_YEARS = re.compile(r"\b(?:19|20)\d{2}\b")
_LABEL_ORDINAL = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-z])\s*[.)/]\s+")
"""A label numbered in the header: ``1. Số buổi tập huấn``, ``a) Bản tin``."""

OTHER_PERIOD_KINDS = ("cumulative", "previous", "period")
"""Kinds of ``layout_markers.csv`` whose words mark a column of another period than the return's year."""


@dataclass(frozen=True)
class LabelMatch:
    """What a header label names.

    Attributes:
        field: the field it is (``None``: none).
        foreign_unit: a unit in parentheses that is not the field's (the column is not read).
        near: the field whose listed label it extends with words outside the fold list (ignored).
        extra: those words, as typed (for the message).
    """

    field: str | None
    foreign_unit: str | None = None
    near: str | None = None
    extra: str = ""


def _one_line(text: object) -> str:
    return " ".join(to_nfc(text).split())


def _pieces(label: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """``(rest, removed)`` for the label and each shorter form with one more trailing piece removed.

    A piece is ``("unit", text in parentheses)`` or ``("year", yyyy)``.
    """
    rest = " ".join(to_nfc(label).split())
    stages = []
    removed: list[tuple[str, str]] = []
    while True:
        stages.append((rest, tuple(removed)))
        if (match := _TRAILING_PARENTHESIS.search(rest)) and rest[: match.start()].strip():
            removed.append(("unit", match[1].strip()))
        elif (match := _TRAILING_YEAR.search(rest)) and rest[: match.start()].strip():
            removed.append(("year", match[1]))
        else:
            return stages
        rest = rest[: match.start()].rstrip(" ,-–")


def _own_units(template: str, field: str) -> set[str] | None:
    """The folded spellings of a field's unit, or ``None`` for a field without one (text, code, date)."""
    own = value_field_table(template).get(field)
    if own is None:
        return None
    return {fold_words(own.unit), *unit_aliases(own.unit)}


def _known_units() -> set[str]:
    return set(scaled_units()) | {fold_label(f.unit) for t in TEMPLATES for f in value_field_table(t).values()}


def is_year_phrase(text: str, year: int | None) -> bool:
    """Whether ``text`` is ``năm <year>`` or ``<year>`` of the return's year."""
    match = _YEAR_PHRASE.match(fold_words(text))
    return bool(match) and year is not None and int(match[1]) == year


def names_another_period(text: str, year: int | None) -> bool:
    """Whether a header text names a year other than the return's, or is a cumulative/previous/period column."""
    key = fold_words(text)
    if any(pattern.search(key) for kind in OTHER_PERIOD_KINDS for pattern in markers(kind).patterns):
        return True
    return year is not None and any(int(found) != year for found in _YEARS.findall(key))


@functools.cache
def strict_labels(template: str) -> MappingProxyType[str, str]:
    """Folded listed label (:func:`~helpers.text.fold_words`) → field, with the field's own trailing unit also removed.

    ``Vốn điều lệ (triệu đồng)`` gives ``von dieu le trieu dong`` and ``von dieu le``.
    A field without a unit also keeps its lenient key (:func:`~helpers.text.fold_label`).
    """
    table: dict[str, str] = {}
    for row in read_reference_table("column_labels.csv"):
        if row["template"] != template:
            continue
        field, own = row["field"], _own_units(template, row["field"])
        for rest, removed in _pieces(row["label"]):
            if all(kind == "unit" and (own is None or fold_words(t.replace(".", " ")) in own) for kind, t in removed):
                table.setdefault(fold_words(rest), field)
        if own is None:
            table.setdefault(fold_label(row["label"]), field)
    return MappingProxyType(table)


def match_label(label: str, template: str, year: int | None) -> LabelMatch:
    """The field a header label names, strictly as listed (see the module's docstring)."""
    table = strict_labels(template)
    label = _LABEL_ORDINAL.sub("", " ".join(to_nfc(label).split()), count=1)
    for rest, removed in _pieces(label):
        field = table.get(fold_words(rest))
        if field is None:
            continue
        own = _own_units(template, field)
        if own is None:
            return LabelMatch(field)
        foreign = None
        for kind, text in removed:
            folded = fold_words(text.replace(".", " "))
            if not folded or (kind == "unit" and folded in own):
                continue  # (*) is punctuation, which folding removes anyway
            if is_year_phrase(text, year):
                continue
            if kind == "unit" and folded in _known_units():
                foreign = text
                continue
            return LabelMatch(None, near=field, extra=text)
        return LabelMatch(field, foreign_unit=foreign)
    return _extended(label, table)


def is_plan_or_result(cell: object) -> bool:
    """Whether a header cell reads as the plan or the result half of an indicator (``Kế hoạch``, ``Thực hiện`` …)."""
    return markers("plan").matches(cell) or markers("result").matches(cell)


def match_column(parts: list[object], label: str, template: str, year: int | None) -> tuple[LabelMatch, bool, bool]:
    """What a column's header cells name: ``(match, is_plan, is_ratio)``.

    One cell: its label, strictly as listed. A group over a sub cell: the
    label ``<group> - <sub>`` as listed; else the group alone when the sub
    cell is the result (``Thực hiện``, ``Kết quả`` of the return's year), or
    when the sub cell is the group's own unit or the return's year (``(buổi)``,
    ``Năm 2017``); the sub cell alone under a year or result group. A plan or
    ratio cell sets the column aside. Any other sub cell (``Lũy kế``, ``Cùng kỳ
    năm trước``, ``Năm nay``) says more than the indicator: the column is not it.
    """
    if len(parts) == 1:
        return match_label(label, template, year), False, False
    group, sub = (_one_line(cell) for cell in parts)
    is_plan = any(markers("plan").matches(cell) for cell in parts)
    is_ratio = any(markers("ratio").matches(cell) for cell in parts)
    if is_plan or is_ratio:
        named = [_one_line(c) for c in parts if not is_plan_or_result(c) and not markers("ratio").matches(c)]
        matches = [match_label(text, template, year) for text in named]
        return next((m for m in matches if m.field), LabelMatch(None)), is_plan, is_ratio
    whole = match_label(label, template, year)
    if whole.field:
        return whole, False, False
    for qualifier, named in ((sub, group), (group, sub)):
        if markers("result").matches(qualifier) or is_year_phrase(qualifier, year):
            match = match_label(named, template, year)
            if names_another_period(qualifier, year):
                return LabelMatch(None, near=match.field or match.near, extra=qualifier), False, False
            return match, False, False
    joined = match_label(f"{group} {sub}", template, year)
    if joined.field or joined.near:
        return joined, False, False
    return whole, False, False


def _extended(label: str, table: MappingProxyType[str, str]) -> LabelMatch:
    """A label that begins with a listed label and says more: the field it is near, and the words it adds."""
    key = fold_words(label)
    found = max((k for k in table if key.startswith(k + " ")), key=len, default=None)
    if found is None:
        return LabelMatch(None)
    words = len(found.split())
    # the words after the listed label, as typed (folding keeps one word per word of the label)
    typed = re.findall(r"[^\W_]+", to_nfc(label))
    return LabelMatch(None, near=table[found], extra=" ".join(typed[words:]) or label)
