"""What the analyst names: an indicator, an agency or a district, by its code or its name as people write it.

An indicator is given by its id (``training_attendance``) or its name in
Vietnamese or English (``"Số lượt người tham dự tập huấn, bồi dưỡng"``); an
agency by its code (``HND``) or name (``Hội Nông dân tỉnh``); a district by its
code (``373``) or any spelling the reference tables know (``Gia Viễn``,
``H. Gia Vien``). Case, diacritics, punctuation and spaces do not matter; a
name that matches nothing is never guessed: the error says, in Vietnamese,
which names come closest.
"""

from __future__ import annotations

import difflib

from helpers.errors import ParameterError
from helpers.messages import message
from helpers.reference import Agency, District, Reference
from helpers.reference.catalogue import Indicator, catalogue
from helpers.text import fold_label

CLOSE_MATCHES = 5
"""The most names an error suggests."""


class UnknownChoice(ParameterError):
    """An indicator, agency or district that is not known: the message lists the closest names."""


def _close(text: str, candidates: dict[str, str]) -> list[str]:
    """The candidates (key → how it is shown) whose folded key is close to ``text``, or contains it, best first."""
    folded = fold_label(text)
    keys = list(candidates)
    found = difflib.get_close_matches(folded, keys, n=CLOSE_MATCHES, cutoff=0.5)
    found += [key for key in keys if folded and folded in key and key not in found]
    shown: list[str] = []
    for key in found:
        if candidates[key] not in shown:
            shown.append(candidates[key])
    return shown[:CLOSE_MATCHES]


def _refuse(kind: str, text: object, candidates: dict[str, str], every: list[str]) -> UnknownChoice:
    close = _close(str(text), candidates)
    return UnknownChoice(
        message(
            f"explore.unknown_{kind}",
            text=text,
            close="; ".join(close) if close else message("explore.no_close_match"),
            every=", ".join(every),
        )
    )


def find_indicator(text: object) -> Indicator:
    """The indicator of the catalogue that ``text`` names (its id, or its Vietnamese or English name).

    Raises:
        UnknownChoice: no indicator has that id or name; the message lists the closest.
    """
    names = catalogue()
    if isinstance(text, Indicator):
        return text
    if isinstance(text, str) and text.strip() in names:
        return names[text.strip()]
    by_key: dict[str, Indicator] = {}
    shown: dict[str, str] = {}
    for indicator in names.values():
        for key in (fold_label(indicator.id), fold_label(indicator.name_vi), fold_label(indicator.name_en)):
            by_key.setdefault(key, indicator)
            shown.setdefault(key, f"{indicator.name_vi} ({indicator.id})")
    found = by_key.get(fold_label(text))
    if found is None:
        raise _refuse("indicator", text, shown, [])
    return found


def find_agency(text: object, reference: Reference) -> Agency:
    """The agency that ``text`` names (its code, or its Vietnamese or English name).

    Raises:
        UnknownChoice: no agency has that code or name; the message lists them all.
    """
    by_key: dict[str, Agency] = {}
    shown: dict[str, str] = {}
    for agency in reference.agencies:
        for key in (fold_label(agency.code), fold_label(agency.name_vi), fold_label(agency.name_en)):
            by_key.setdefault(key, agency)
            shown.setdefault(key, f"{agency.name_vi} ({agency.code})")
    found = by_key.get(fold_label(text))
    if found is None:
        raise _refuse("agency", text, shown, [f"{a.code} ({a.name_vi})" for a in reference.agencies])
    return found


def find_district(text: object, reference: Reference) -> District:
    """The district (or the provincial level) that ``text`` names: its code or any spelling the reference knows.

    Raises:
        UnknownChoice: no district has that code or spelling; the message lists them all.
    """
    by_code = reference.district_by_code
    code = str(text).strip()
    if code not in by_code:
        code = reference.resolve_district(text) or ""
    if code in by_code:
        return by_code[code]
    shown = {fold_label(d.short_vi): f"{d.short_vi} ({d.code})" for d in reference.districts}
    raise _refuse("district", text, shown, [f"{d.code} ({d.short_vi})" for d in reference.districts])
