"""Text normalisation: NFC for everything shown, folded keys for matching.

Returns are typed on many keyboards: NFC or NFD Vietnamese, upper or lower
case, with or without diacritics, labels broken over lines and followed by a
unit in parentheses. :func:`fold_label` maps all of these to one key, so a
label, district or vocabulary value matches whatever way it was typed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_TRAILING_UNIT = re.compile(r"\s*\([^()]*\)\s*$")
_NON_WORD = re.compile(r"[^0-9a-z~]+")


def clean_cell_text(text: str) -> str:
    """A text cell as it is read: invisible characters removed, spaces made spaces, Unicode digits made digits.

    ``raw-data.md`` § A closed world: what cannot be seen on screen is not
    part of what was typed. Format characters (Unicode category ``Cf``: zero-width
    space and joiners, soft hyphen, left-to-right and right-to-left marks, a BOM
    inside a cell) are removed; every space separator (``Zs``: the non-breaking,
    thin, ideographic … spaces) becomes a plain space; a Unicode decimal digit
    (``Nd``: full-width ``２``, Arabic-Indic, Devanagari …) becomes the ASCII digit
    it is. Look-alikes that are not decimal digits (superscript ``²``, circled
    ``⑴``) are kept, so that a number reader rejects them. Every cell of every
    format goes through this one function (:mod:`helpers.read.sheets`).
    """
    if text.isascii():
        return text
    return "".join(_clean_char(char) for char in text)


@functools.lru_cache(maxsize=4096)
def _clean_char(char: str) -> str:
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    if category == "Zs":
        return " "
    if category == "Nd":
        return str(unicodedata.decimal(char))
    return char


def to_nfc(text: object) -> str:
    """Return ``text`` as an NFC string with surrounding whitespace removed.

    Args:
        text: any cell value; ``None`` gives ``""``.

    Returns:
        The NFC-normalised, stripped text.
    """
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics (and map đ/Đ to d/D), keeping case."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def fold_label(text: object) -> str:
    """Fold a label, district name or vocabulary value to its matching key (see :func:`_fold`)."""
    if isinstance(text, str):
        return _fold(text)
    return _fold(to_nfc(text))


@functools.lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    r"""Fold a label, district name or vocabulary value to its matching key.

    Folding removes case, diacritics, line breaks, quotes and punctuation,
    repeated spaces and trailing units in parentheses, so
    ``"SỐ BUỔI TẬP HUẤN\n(buổi)"`` and ``"Số buổi tập huấn"`` give the same
    key. Folding is idempotent.

    Args:
        text: the text as typed (any normalisation form), or ``None``.

    Returns:
        A lower-case ASCII key of words separated by single spaces.
    """
    plain = to_nfc(clean_cell_text(text))
    # A trailing unit may be repeated: "Doanh thu (triệu đồng) (2017)".
    while True:
        shorter = _TRAILING_UNIT.sub("", plain)
        if shorter == plain or not shorter:
            break
        plain = shorter
    plain = strip_diacritics(plain).lower()
    return _NON_WORD.sub(" ", plain).strip()


def fold_words(text: object) -> str:
    """Fold a header label keeping every word: case, diacritics, punctuation and spaces go, parentheses' words stay.

    Unlike :func:`fold_label`, no trailing parenthesis is dropped: ``Số lượt
    người (lũy kế đến 2020)`` keeps ``luy ke den 2020``. A header label is
    matched on this key, after removing only what ``raw-data.md`` lists
    (:func:`helpers.read.labels.match_label`). Letters of other scripts stay
    words (a Cyrillic word after a label is a word), never dropped.
    """
    plain = strip_diacritics(to_nfc(clean_cell_text(to_nfc(text)))).lower()
    return _NON_WORD.sub(" ", plain).strip()


def format_number_vi(value: float | None, decimals: int = 0) -> str:
    """Format a number the Vietnamese way: ``4.730``, ``5.207,5``.

    Args:
        value: the number (``None`` or NaN gives ``"–"``).
        decimals: the most decimals to show; trailing zeros are dropped.
    """
    if value is None or value != value:
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return ("-" if value < 0 and text.strip("0,.") else "") + text


def format_percent_vi(share: float | None, decimals: int = 1) -> str:
    """Format a share (0–1) as a Vietnamese percentage: ``62,3%``."""
    if share is None or share != share:
        return "–"
    return format_number_vi(share * 100, decimals) + "%"


def format_number(value: float | None, decimals: int = 0, lang: str = "vi") -> str:
    """Format a number for a reader of ``lang``: ``1.234,5`` (vi) or ``1,234.5`` (en)."""
    text = format_number_vi(value, decimals)
    if lang == "en":
        text = text.replace(".", "\u0000").replace(",", ".").replace("\u0000", ",")
    return text


def round_significant(value: float, digits: int = 3) -> float:
    """``value`` rounded to at most ``digits`` significant digits, half away from zero: 251.012 → 251.000.

    What an "about" figure is written with ("khoảng 251.000 lượt người",
    never "khoảng 251.012"). A value that already has ``digits`` or fewer
    significant digits (721, 5.200) is returned as it is.
    """
    from decimal import ROUND_HALF_UP, Decimal

    if value == 0 or value != value:
        return value
    number = Decimal(repr(float(value)))
    exponent = number.adjusted() - digits + 1  # the place of the last kept digit
    rounded = number.scaleb(-exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP).scaleb(exponent)
    return float(rounded)


def shown_share(share: float, decimals: int = 1) -> float:
    """A share (0–1) as the percentage a reader sees (``0.6115`` → ``61.1``): changes are computed from these."""
    return float(f"{share * 100:.{decimals}f}")
