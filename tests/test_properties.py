"""Property-based tests (hypothesis) of the number reader and of label and district folding."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from helpers.read.values import read_number
from helpers.reference import load_reference, read_reference_table
from helpers.text import fold_label

# The hypothesis profile (300 examples, fixed seed in CI) is loaded in tests/conftest.py.


def vietnamese(number: int, separator: str) -> str:
    """An integer typed the Vietnamese way: groups of three digits split by ``.`` (or a space)."""
    return f"{number:,}".replace(",", separator)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([".", " ", "\u00a0", ""]))
def test_any_integer_typed_the_vietnamese_way_reads_back_exactly(number, separator):
    text = vietnamese(number, separator)
    read = read_number(text)
    assert read.value == number and not read.is_approximate


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=99))
def test_comma_decimals_read_back(whole, tenths):
    text = f"{vietnamese(whole, '.')},{tenths}"
    assert read_number(text).value == float(f"{whole}.{tenths}")


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["trên", "hơn", "gần", "khoảng", "Trên", "GẦN", "~"]))
def test_approximate_integers_read_back_flagged(number, prefix):
    read = read_number(f"{prefix} {vietnamese(number, '.')}")
    assert read.value == number and read.is_approximate


@given(st.integers(min_value=1, max_value=10**9))
def test_negative_counts_are_never_accepted(number):
    try:
        read_number(f"-{vietnamese(number, '.')}")
    except ValueError:
        return
    raise AssertionError("a negative count was accepted")


TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Z")), max_size=40)


@given(TEXT)
def test_folding_is_idempotent(text):
    assert fold_label(fold_label(text)) == fold_label(text)


@given(TEXT)
def test_nfc_and_nfd_fold_to_the_same_key(text):
    assert fold_label(unicodedata.normalize("NFD", text)) == fold_label(unicodedata.normalize("NFC", text))


ALIASES = [row["alias"] for row in read_reference_table("district_aliases.csv")]
resolve_district = load_reference(None).resolve_district  # the shipped tables, whose spellings ALIASES are


@given(
    st.sampled_from(ALIASES),
    st.sampled_from(["NFC", "NFD"]),
    st.sampled_from([str.upper, str.lower, str.title, lambda s: s]),
    st.sampled_from(["", " ", "  \n"]),
)
def test_every_district_spelling_resolves_in_any_form(alias, form, case, padding):
    expected = resolve_district(alias)
    assert expected is not None
    assert resolve_district(padding + unicodedata.normalize(form, case(alias)) + padding) == expected
