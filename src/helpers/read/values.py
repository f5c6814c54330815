"""Reading cell values the way ``raw-data.md`` § Values says.

Numbers arrive as Excel numbers or as Vietnamese-typed text (``4.730``,
``5.207,5``, ``4 730``), sometimes approximate (``trên 1.000``) or not reported
(``-``, ``x``, ``không báo cáo``). Dates arrive as Excel dates or typed text
in a handful of forms. Each reader returns a value or raises
:class:`CellProblem` with a reason and what to do; the caller adds where.

Why this module is long: it holds every rule of ``raw-data.md`` § Values in
one place. Numbers (Vietnamese separators, approximate prefixes, ambiguous
forms), dates, vocabulary choices and text share the not-reported markers and
the handling of Excel errors, and whoever checks a rule against the contract
finds all of them here.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Collection
from dataclasses import dataclass

from helpers.messages import message
from helpers.read.sheet_facts import EXCEL_ERRORS
from helpers.read.sheets import ExcelError, PercentNumber
from helpers.reference import marker_spelling_key, read_reference_table, vocabulary, vocabulary_labels
from helpers.text import clean_cell_text, fold_label, strip_diacritics, to_nfc


class CellProblem(ValueError):
    """A cell that breaks the contract; the row goes to the rejects ledger."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(message("where.cell_problem", reason=reason, hint=hint))
        self.reason = reason
        self.hint = hint


SENSES = ("more_than", "under", "about")
"""The senses of an approximate value (``raw-data.md`` § Values): ``trên``/``hơn``/``>`` more than,
``gần``/``dưới``/``<`` nearly or under, ``khoảng``/``xấp xỉ``/``~`` about."""


@dataclass(frozen=True)
class Number:
    """A number read from a cell: ``value`` is ``None`` when not reported.

    ``sense`` is how an approximate value relates to the number typed
    (:data:`SENSES`), ``None`` for an exact one.
    """

    value: float | None
    sense: str | None = None

    @property
    def is_approximate(self) -> bool:
        """Whether the value was typed as approximate (``trên 1.000``)."""
        return self.sense is not None


def combine_senses(senses) -> str | None:
    """The sense of a total from the senses of its parts (``None`` for exact parts).

    A total keeps a sense only when all its approximate parts share it, else
    it is "about" (``indicators.md``); with no approximate part it is exact.
    """
    found = {sense for sense in senses if isinstance(sense, str) and sense}
    if not found:
        return None
    return found.pop() if len(found) == 1 else "about"


@functools.cache
def approximate_prefixes() -> tuple[tuple[str, str, bool], ...]:
    """``(prefix, sense, is_symbol)`` of ``approximate_prefixes.csv``, longest first; words folded, symbols as typed."""
    rows = []
    for row in read_reference_table("approximate_prefixes.csv"):
        folded = fold_label(row["prefix"])
        rows.append((folded, row["sense"], False) if folded else (row["prefix"], row["sense"], True))
    return tuple(sorted(rows, key=lambda item: -len(item[0])))


NOT_REPORTED = Number(None)

# Whole numbers, dot or space as thousands separator, optional comma decimals.
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:[. ]\d{3})+(?:,\d+)?$")
_COMMA_DECIMAL = re.compile(r"^\d+(?:,\d+)?$")
_POINT_DECIMAL = re.compile(r"^\d+\.\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_MINUS = ("-", "\u2212", "\u2013")
_ACCOUNTING_NEGATIVE = re.compile(r"^\(\s*([^()\s][^()]*?)\s*\)$")
"""``(120)``: a negative number as accountants write it."""

_LIBREOFFICE_ERROR = re.compile(r"^Err:\d{3}$")
# One separator (comma, dot or space) followed by exactly three digits, after a
# zero (0.500: half a tonne or five hundred?), or a comma followed by exactly
# three digits (1,000: one or a thousand?). Both are rejected, never guessed.
_AMBIGUOUS_ZERO = re.compile(r"^0[.,\s]\d{3}$")
_AMBIGUOUS_COMMA = re.compile(r"^\d+,\d{3}$")


def _ambiguous_hint(compact: str) -> str:
    """How to type an ambiguous number without doubt, in both of its readings."""
    whole, decimals = re.split(r"[.,\s]", compact)
    thousands = int(whole + decimals)
    plain = str(thousands)
    dotted = f"{thousands:,}".replace(",", ".")
    as_thousands = plain if thousands < 1000 else message("values.either", plain=plain, dotted=dotted)
    short = decimals.rstrip("0")
    decimal = f"{whole},{short}" if short else whole
    if len(short) == 3:
        decimal = f"{whole},{decimals}0"
    return message("values.ambiguous_hint", as_thousands=as_thousands, dotted=dotted, decimal=decimal)


def excel_error(cell: object) -> str | None:
    """The Excel error a cell shows (``#DIV/0!``, ``#REF!``, ``Err:502`` …), or ``None``.

    Errors arrive as :class:`~helpers.read.sheets.ExcelError` from workbooks, and
    as typed text from CSV files or text cells.
    """
    if isinstance(cell, ExcelError):
        return str(cell)
    if isinstance(cell, str):
        text = cell.strip().upper()
        if text in EXCEL_ERRORS or _LIBREOFFICE_ERROR.match(cell.strip()):
            return cell.strip()
    return None


def excel_error_problem(shown: str) -> CellProblem:
    """The rejection of a cell showing an Excel error."""
    return CellProblem(message("values.excel_error", error=shown), message("values.excel_error_hint"))


def is_blank(cell: object) -> bool:
    """Whether a cell holds nothing at all (``None`` or only whitespace)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def is_not_reported(cell: object, extra: Collection[str] = ()) -> bool:
    """Whether a cell means "not reported": empty, or exactly one of the listed markers.

    ``raw-data.md`` § A closed world: the markers are a closed list (``-``,
    ``–``, ``—``, ``x``, ``không báo cáo``, ``kbc``: ``layout_markers.csv``, kind
    ``missing``), compared after folding case, diacritics and spaces only
    (:func:`marker_key`). ``?``, ``…``, ``*``, ``/``, ``N/A`` or a word are not
    markers: read as numbers, they are rejected cells.

    Args:
        cell: the cell as read.
        extra: marker keys a data root adds (:attr:`helpers.reference.Reference.not_reported`).
    """
    if is_blank(cell):
        return True
    if not isinstance(cell, str) or isinstance(cell, ExcelError):
        return False
    key = marker_key(cell)
    return key in not_reported_markers() or key in extra


def marker_key(text: str) -> str:
    """A not-reported marker as compared: NFC, without invisible characters, diacritics, case and repeated spaces.

    Punctuation is kept: ``-`` is a marker, ``?`` or ``--`` is not.
    """
    return marker_spelling_key(text)


@functools.cache
def not_reported_markers() -> frozenset[str]:
    """The shipped not-reported markers (``layout_markers.csv``, kind ``missing``), as :func:`marker_key` gives them."""
    return frozenset(
        marker_key(row["text"]) for row in read_reference_table("layout_markers.csv") if row["kind"] == "missing"
    )


def _split_approximate(text: str) -> tuple[str, str | None]:
    """Strip an approximate prefix (``trên``, ``gần``, ``~`` …) from NFC text.

    Returns:
        The rest of the text, and the prefix's sense (``None`` without a prefix).
    """
    # strip_diacritics keeps one character per NFC character of Vietnamese
    # text, so a prefix found in the bare text has the same length in ``text``.
    bare = strip_diacritics(text).lower()
    for prefix, sense, is_symbol in approximate_prefixes():
        if is_symbol:
            if text.startswith(prefix):
                return text[len(prefix) :].strip(), sense
        elif bare.startswith(prefix) and (len(bare) == len(prefix) or not bare[len(prefix)].isalpha()):
            return text[len(prefix) :].strip(), sense
    return text, None


def _parse_plain_number(text: str) -> float | None:
    """Parse an unsigned Vietnamese-typed number; ``None`` if it is not one."""
    compact = _SPACES.sub(" ", text).strip()
    if _GROUPED.match(compact):
        whole, _, decimals = compact.partition(",")
        number = whole.replace(".", "").replace(" ", "")
        return float(f"{number}.{decimals}" if decimals else number)
    if " " in compact:
        return None  # a space separates thousands only (4 730): "12 5" is not a number
    if _COMMA_DECIMAL.match(compact):
        return float(compact.replace(",", "."))
    if _POINT_DECIMAL.match(compact):
        return float(compact)
    return None


def read_number(
    cell: object, *, allow_negative: bool = False, whole: bool = False, not_reported: Collection[str] = ()
) -> Number:
    """Read a numeric cell per the contract.

    A cell is exactly one of: a number in a contract spelling, a listed
    not-reported marker, or a rejected cell (``raw-data.md`` § A closed world).

    Args:
        cell: the cell value (Excel number, text, ``None``).
        allow_negative: accept negative values (profit may be a loss; ``(120)``, the accountant's loss, too).
        whole: the value is a count: reject a fractional part.
        not_reported: marker keys a data root adds to the shipped list (:func:`is_not_reported`).

    Returns:
        The number, flagged approximate when typed ``trên``/``hơn``/``gần``/
        ``khoảng``/``~``; :data:`NOT_REPORTED` for an empty or missing cell.

    Raises:
        CellProblem: for text that is not a number, an Excel error, a number
            shown as a percentage, an ambiguous separator (``1,000``,
            ``0.500``), a negative value where none is allowed, or a fraction
            in a count.
    """
    if isinstance(cell, bool):
        raise CellProblem(message("values.not_a_number", value=cell), message("values.number_hint"))
    if (shown := excel_error(cell)) is not None:
        raise excel_error_problem(shown)
    if isinstance(cell, PercentNumber):
        raise CellProblem(
            message("values.percent_format", shown=float(cell) * 100), message("values.percent_format_hint")
        )
    if isinstance(cell, (int, float)):
        return _read_stored_number(cell, allow_negative=allow_negative, whole=whole)
    if isinstance(cell, (dt.date, dt.time, dt.timedelta)):
        raise CellProblem(message("values.date_not_number", value=cell), message("values.number_hint"))
    if is_not_reported(cell, not_reported):
        return NOT_REPORTED
    return _read_typed_number(to_nfc(clean_cell_text(cell)), allow_negative=allow_negative, whole=whole)


def _read_stored_number(cell: int | float, *, allow_negative: bool, whole: bool) -> Number:
    """Read a number stored as a number (an Excel number); NaN is not reported, infinity is refused.

    Raises:
        CellProblem: for infinity, a negative value where none is allowed, or a fraction in a count.
    """
    value = float(cell)
    if math.isnan(value):
        return NOT_REPORTED
    if math.isinf(value):
        raise CellProblem(message("values.not_a_number", value=cell), message("values.number_hint"))
    return Number(_checked_whole(_checked_sign(value, cell, allow_negative), cell, whole))


def _read_typed_number(typed: str, *, allow_negative: bool, whole: bool) -> Number:
    """Read a number typed as NFC text (``4.730``, ``trên 1.000``, ``-5,5``), with its approximate sense.

    Raises:
        CellProblem: for a typed percentage, an ambiguous separator, text that
        is not a number, a negative value where none is allowed, or a fraction
        in a count.
    """
    text, sense = _split_approximate(typed)
    negative = text.startswith(_MINUS)
    if negative:
        text = text[1:].strip()
    elif match := _ACCOUNTING_NEGATIVE.match(text):
        # (120): the accountant's loss, a negative number, never 120 (rejected where no negative is allowed)
        text, negative = match[1], True
    if text.endswith("%"):
        raise CellProblem(message("values.typed_percent", value=typed), message("values.typed_percent_hint"))
    compact = _SPACES.sub(" ", text).strip()
    if _AMBIGUOUS_ZERO.match(compact) or _AMBIGUOUS_COMMA.match(compact):
        raise CellProblem(message("values.ambiguous", value=typed), _ambiguous_hint(compact))
    value = _parse_plain_number(text)
    if value is None:
        raise CellProblem(message("values.not_a_number", value=typed), _not_a_number_hint(typed))
    value = _checked_sign(-value if negative else value, typed, allow_negative)
    return Number(_checked_whole(value, typed, whole), sense)


def _not_a_number_hint(typed: str) -> str:
    """How to fix a text that is not a number: with no digit in it, it may have meant "not reported"."""
    if any(ch.isdecimal() for ch in typed):
        return message("values.number_hint")
    shown = ", ".join(row["text"] for row in read_reference_table("layout_markers.csv") if row["kind"] == "missing")
    return message("values.marker_hint", markers=shown)


def _checked_whole(value: float, typed: object, whole: bool) -> float:
    """The value of a count rounded to a whole number (float noise dropped), else the value unchanged.

    Raises:
        CellProblem: when a count has a real fractional part.
    """
    if whole and abs(value - round(value)) > 1e-9 * max(1.0, abs(value)):
        raise CellProblem(message("values.fraction", value=typed), message("values.fraction_hint"))
    return float(round(value)) if whole else value


def _checked_sign(value: float, typed: object, allow_negative: bool) -> float:
    """The value with ``-0.0`` made ``0.0``.

    Raises:
        CellProblem: for a negative value where none is allowed.
    """
    if value < 0 and not allow_negative:
        raise CellProblem(message("values.negative", value=typed), message("values.negative_hint"))
    return value + 0.0  # turn -0.0 into 0.0


@dataclass(frozen=True)
class PartialDate:
    """A date typed to the day, the month or the year (``iso`` is ``2017-03-15``, ``2017-03`` or ``2017``)."""

    iso: str
    year: int


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")
_YEAR_MONTH_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEAR_RANGE = range(1900, 2101)


def read_date(cell: object, not_reported: Collection[str] = ()) -> PartialDate | None:
    """Read a founding or dissolution date; ``None`` when the cell is empty or a not-reported marker.

    ``not_reported``: marker keys a data root adds (:func:`is_not_reported`).

    Raises:
        CellProblem: for any other form, or a date that does not exist.
    """
    if (shown := excel_error(cell)) is not None:
        raise excel_error_problem(shown)
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        return PartialDate(cell.isoformat(), cell.year)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        if cell in _YEAR_RANGE:
            return PartialDate(str(cell), cell)
        raise CellProblem(message("values.not_a_date", value=cell), message("values.date_hint"))
    if is_not_reported(cell, not_reported):
        return None
    return _read_typed_date(to_nfc(clean_cell_text(cell)))


def _read_typed_date(text: str) -> PartialDate:
    """Read a date typed as NFC text: ``15/3/2017``, ``2017-03-15``, ``3/2017`` or ``2017``.

    Raises:
        CellProblem: for any other form, or a date that does not exist (``31/2/2018``).
    """
    compact = _SPACES.sub("", text)
    try:
        if match := _DAY_MONTH_YEAR.match(compact):
            day, month, year = (int(part) for part in match.groups())
            return PartialDate(dt.date(year, month, day).isoformat(), year)
        if match := _YEAR_MONTH_DAY.match(compact):
            year, month, day = (int(part) for part in match.groups())
            return PartialDate(dt.date(year, month, day).isoformat(), year)
        if match := _MONTH_YEAR.match(compact):
            month, year = (int(part) for part in match.groups())
            dt.date(year, month, 1)
            return PartialDate(f"{year:04d}-{month:02d}", year)
        if (match := _YEAR.match(compact)) and int(compact) in _YEAR_RANGE:
            return PartialDate(compact, int(compact))
    except ValueError:
        raise CellProblem(message("values.not_a_real_date", value=text), message("values.date_hint")) from None
    raise CellProblem(message("values.not_a_date", value=text), message("values.date_hint"))


def read_choice(
    cell: object, vocabulary_name: str, *, blank_code: str | None, not_reported: Collection[str] = ()
) -> str | None:
    """Read a value from a vocabulary (sector, status, rating) and return its code.

    Args:
        cell: the cell as typed.
        vocabulary_name: ``"sector"``, ``"status"`` or ``"rating"``.
        blank_code: the code an empty cell stands for; ``None`` when a value is required.
        not_reported: marker keys a data root adds (:func:`is_not_reported`).

    Raises:
        CellProblem: for a value outside the vocabulary, or an empty required cell.
    """
    choices = vocabulary(vocabulary_name)
    if (shown := excel_error(cell)) is not None:
        raise excel_error_problem(shown)
    if is_not_reported(cell, not_reported):
        if blank_code is None:
            raise CellProblem(
                message("values.empty_required"),
                message("values.choose_one", choices=vocabulary_labels(vocabulary_name)),
            )
        return blank_code
    code = choices.get(fold_label(cell))
    if code is None:
        raise CellProblem(
            message("values.unknown_choice", value=to_nfc(cell), vocabulary=message(f"vocabulary.{vocabulary_name}")),
            message("values.choose_one", choices=vocabulary_labels(vocabulary_name)),
        )
    return code


def read_text(cell: object) -> str:
    """Read a text cell as NFC (Excel numbers that are codes lose their ``.0``)."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if is_blank(cell):
        return ""
    return to_nfc(cell)
