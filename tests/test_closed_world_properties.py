"""Issue 17's properties (hypothesis, fixed seed in CI): a value cell and a header label in a closed world.

* Any text in a value cell, drawn from a wide alphabet (digits of every
  script, punctuation, symbols, letters, every kind of space, invisible
  characters), is exactly one of: the number its contract spelling means, a
  listed "not reported" marker, or a rejected cell — never "not reported"
  unless it is a listed marker, and never a number that drops or invents a
  digit.
* A contract spelling of a number, typed with another script's digits, other
  spaces and invisible characters inside, reads back exactly.
* Any listed label extended with words outside the fold list is not matched to
  its indicator.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from helpers.read.labels import match_label, strict_labels
from helpers.read.values import CellProblem, is_blank, marker_key, not_reported_markers, read_number
from helpers.reference import read_reference_table, unit_aliases, value_field_table
from helpers.text import clean_cell_text, fold_words

# The hypothesis profile (300 examples, fixed seed in CI) is loaded in tests/conftest.py.

YEAR = 2017

# -- the alphabet -----------------------------------------------------------------------------

ZERO_DIGITS = ["0", "\uff10", "\u0660", "\u06f0", "\u0966", "\u09e6", "\u0e50", "\u1040", "\U0001d7ce"]
"""The zero of ASCII, full-width, Arabic-Indic, Persian, Devanagari, Bengali, Thai, Myanmar and mathematical digits."""
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u200e", "\u200f", "\ufeff", "\u202a", "\u202c"]
SPACES = [" ", "\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", "\u2002", "\t"]
LOOK_ALIKES = ["²", "³", "¹", "⁰", "⑴", "①", "½", "Ⅻ", "٫", "，", "．", "﹒", "’", "'"]
MARKERS = ["-", "–", "—", "x", "X", "không báo cáo", "kbc", "KBC"]
PUNCTUATION = list(".,-−–—()?…*/\\%~<>≈+=#!:;\"'[]{}")
WORDS = ["trên", "hơn", "gần", "dưới", "khoảng", "xấp xỉ", "N/A", "chưa có", "nhiều", "buổi", "lượt", "tấn"]

CHARACTER = st.one_of(
    st.sampled_from([chr(ord(zero) + d) for zero in ZERO_DIGITS for d in range(10)]),
    st.sampled_from(INVISIBLE + SPACES + LOOK_ALIKES + PUNCTUATION),
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Z", "Cf")),
)
CELL_TEXT = st.one_of(
    st.text(CHARACTER, max_size=12),
    st.lists(st.one_of(st.text(CHARACTER, max_size=4), st.sampled_from(MARKERS + WORDS)), max_size=4).map(" ".join),
)

# What a contract spelling of a number may hold once the cell is cleaned (raw-data.md § Values).
_APPROXIMATE_WORDS = sorted(
    {row["prefix"] for row in read_reference_table("approximate_prefixes.csv")}, key=len, reverse=True
)
_CONTRACT_CHARACTERS = set("0123456789 .,-\u2212\u2013()")


def _without_prefix(text: str) -> str:
    lowered = text.strip().lower()
    for prefix in _APPROXIMATE_WORDS:
        if lowered.startswith(prefix.lower()):
            return text.strip()[len(prefix) :]
    return text


@given(CELL_TEXT)
def test_a_value_cell_is_a_number_a_listed_marker_or_a_rejected_cell(text):
    """Never a fourth outcome: "not reported" only for a listed marker, a number only from its own digits."""
    cell = clean_cell_text(unicodedata.normalize("NFC", text))  # what every sheet reader hands on (sheets.py)
    try:
        number = read_number(cell, allow_negative=True)
    except CellProblem:
        return  # a rejected cell: the row goes to the rejects with its reason
    if number.value is None:
        assert is_blank(cell) or marker_key(cell) in not_reported_markers(), repr(text)
        return
    rest = _without_prefix(cell)
    assert set(rest) <= _CONTRACT_CHARACTERS, repr(text)
    digits = re.sub(r"\D", "", rest)
    assert digits and all(ch in "0123456789" for ch in digits), repr(text)
    # the value is the typed digits, with the decimal point somewhere in them: no digit dropped nor added
    scaled = [int(digits) / 10**k for k in range(len(digits) + 1)]
    assert any(abs(abs(number.value) - value) <= 1e-9 * max(1.0, value) for value in scaled), (text, number)
    assert (number.value < 0) == (number.value != 0 and bool(re.search(r"[-\u2212\u2013(]", rest))), repr(text)


def _spelled(whole: int, decimals: str, form: str) -> str:
    """A contract spelling of ``whole[,decimals]`` (raw-data.md § Values)."""
    grouped = f"{whole:,}".replace(",", "." if form == "dots" else " ")
    text = str(whole) if form == "plain" or whole < 1000 else grouped
    return f"{text},{decimals}" if decimals else text


@given(
    whole=st.integers(min_value=0, max_value=10**10),
    decimals=st.sampled_from(["", "5", "25", "0625"]),
    form=st.sampled_from(["plain", "dots", "spaces"]),
    zero=st.sampled_from(ZERO_DIGITS),
    space=st.sampled_from(SPACES[:-1]),
    noise=st.lists(st.tuples(st.integers(min_value=0, max_value=40), st.sampled_from(INVISIBLE)), max_size=4),
)
def test_a_contract_spelling_in_any_script_with_invisible_characters_reads_exactly(
    whole, decimals, form, zero, space, noise
):
    plain = _spelled(whole, decimals, form)
    typed = "".join(chr(ord(zero) + int(ch)) if ch.isdigit() else ch for ch in plain).replace(" ", space)
    for position, invisible in noise:
        position = min(position, len(typed))
        typed = typed[:position] + invisible + typed[position:]
    expected = float(f"{whole}.{decimals}") if decimals else float(whole)
    assert read_number(typed).value == expected
    assert read_number(clean_cell_text(typed)).value == expected


# -- labels -------------------------------------------------------------------------------------

LISTED = sorted(
    (row["template"], row["field"], row["label"])
    for row in read_reference_table("column_labels.csv")
    if row["field"] in value_field_table(row["template"])
)
EXTRA_WORDS = st.one_of(
    st.sampled_from(
        [
            "lũy kế",
            "luỹ kế",
            "cộng dồn",
            "lũy tiến",
            "từ đầu năm",
            "cùng kỳ",
            "năm trước",
            "kế hoạch",
            "năm 2016",
            "2018",
            "2017-2020",
            "giai đoạn 2017 - 2022",
            "dự kiến",
            "ước",
            "bình quân",
            "trong đó nữ",
        ]
    ),
    st.text(st.characters(codec="utf-8", categories=("L", "Nd")), min_size=1, max_size=8),
)


def _folded_away(words: str, template: str, field: str) -> bool:
    """Whether ``words`` are something the fold list removes: the field's unit (or a spelling of it), the year."""
    key = fold_words(words)
    unit = value_field_table(template)[field].unit
    return key in {fold_words(unit), *unit_aliases(unit), str(YEAR), f"nam {YEAR}"} or not key


@given(
    listed=st.sampled_from(LISTED),
    words=EXTRA_WORDS,
    form=st.sampled_from(["{label} {words}", "{label} ({words})", "{label}\n({words})", "{words} {label}"]),
)
def test_a_listed_label_extended_with_other_words_is_not_the_indicator(listed, words, form):
    template, field, label = listed
    assume(not _folded_away(words, template, field))
    extended = form.format(label=label, words=words)
    assume(fold_words(extended) not in strict_labels(template))  # another listed label (Bản tin → Bản tin phát hành)
    assert match_label(extended, template, YEAR).field != field, extended
    assert match_label(label, template, YEAR).field == field
