"""The message catalogue: every word a user reads comes from ``reference/data/messages.csv``.

Every key has both languages with the same placeholders, the text is NFC,
every key the code asks for exists, and numbers are written in the reader's
format (years and row numbers as they are).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from helpers import messages
from helpers.messages import LANGUAGES, STATUSES, catalogue, message, placeholders, status_word
from helpers.publish.review_quality import LEDGER_SHOWN

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

# message("key" …), t("key" …) of the review (keys under review.), and prefixes of keys built with an f-string.
_CALL = re.compile(r"""\bmessage\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
_REVIEW_T = re.compile(r"""\.t\(\s*["']([a-z0-9_]+)["']""")
_DYNAMIC = re.compile(r"""\bmessage\(\s*f["']([a-z_]+\.)\{""")


def _sources() -> dict[Path, str]:
    files = {path: path.read_text(encoding="utf-8") for path in SRC.rglob("*.py")}
    files |= {path: path.read_text(encoding="utf-8") for path in NOTEBOOKS.glob("*.ipynb")}
    return files


def test_every_key_has_both_languages_and_the_same_placeholders():
    for key, texts in catalogue().items():
        assert re.fullmatch(r"[a-z_]+\.[a-z0-9_.]+", key), key
        for lang in LANGUAGES:
            assert texts[lang].strip(), f"{key}: no {lang} text"
        assert placeholders(texts["vi"]) == placeholders(texts["en"]), key


def test_the_catalogue_is_nfc_and_vietnamese_has_its_diacritics():
    for key, texts in catalogue().items():
        for lang in LANGUAGES:
            assert unicodedata.normalize("NFC", texts[lang]) == texts[lang], key
    raw = (SRC / "reference/data" / "messages.csv").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", raw) == raw
    assert message("status.on_track") == "Đúng tiến độ"


def test_every_key_used_in_code_exists():
    used, prefixes = set(), set()
    for text in _sources().values():
        used |= set(_CALL.findall(text))
        used |= {f"review.{key}" for key in _REVIEW_T.findall(text)}
        prefixes |= set(_DYNAMIC.findall(text))
    assert len(used) > 150  # the scan finds the calls (a scan that finds nothing checks nothing)
    missing = sorted(used - set(catalogue()))
    assert not missing, f"keys used in code but not in messages.csv: {missing}"
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in catalogue()), prefix


def test_the_scan_sees_a_missing_key(tmp_path):
    text = 'x = message("nowhere.to_be_found", lang)'
    assert _CALL.findall(text) == ["nowhere.to_be_found"] and "nowhere.to_be_found" not in catalogue()


def test_numbers_in_messages_use_the_reader_format_but_years_and_rows_stay_plain():
    assert message("values.percent_format", shown=4924.25) == "ô được định dạng phần trăm (hiển thị 4.924,25%)"
    assert (
        message("values.percent_format", "en", shown=4924.25)
        == "the cell is formatted as a percentage (it shows 4,924.25%)"
    )
    assert message("check.rejected_not_in_sum", count=12345).startswith("12.345 ")
    assert (
        message("returns.founded_after", founded_year=2018, year=2017)
        == "thành lập năm 2018, sau ngày của danh sách (31/12/2017) — sửa ngày"
    )
    assert message("where.row", row=12345) == "dòng 12345"


def test_a_year_in_a_message_is_a_plain_placeholder():
    """``năm {x}`` / ``{x}–{y}``: a placeholder that holds a year is named so (``…year``), or 2017 would read 2.017."""
    for key, texts in catalogue().items():
        for name in re.findall(r"(?:năm|Năm|31/12/) ?\{(\w+)\}|\{(\w+)\}–\{\w+\}", texts["vi"]):
            name = next(part for part in name if part)
            assert messages.is_plain_placeholder(name) or name in ("low", "period", "span", "title_years", "years"), (
                key,
                name,
            )


def test_a_missing_key_or_value_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        message("no.such_key")
    with pytest.raises(KeyError):
        message("values.not_a_number")
    with pytest.raises(ValueError):
        message("status.met", "fr")


def test_one_copy_of_the_status_words():
    assert [status_word(s) for s in ("met", "on_track", "behind")] == ["Đạt", "Đúng tiến độ", "Chậm"]
    assert all(f"status.{s}" in catalogue() for s in STATUSES)
    pattern = re.compile(r"""["']Đúng tiến độ["']""")
    copies = [path.name for path, text in _sources().items() if pattern.search(text)]
    assert copies == [], f"status words typed in code instead of status_word(): {copies}"
    assert messages.status_word("met", "en") == "Met"


def test_every_key_of_a_family_built_in_code_exists():
    """Keys built from a code (``f"docx.activity.{indicator}"``) exist for every code the program can give."""
    from helpers.publish.print_tables import DISTRICT_GROUPS
    from helpers.publish.report_assess import VERDICTS
    from helpers.publish.report_docx import FIGURES, FIGURES_FINAL
    from helpers.publish.review_views import CHECK_KINDS
    from helpers.read.returns import NON_DATA_KINDS
    from helpers.read.values import SENSES
    from helpers.reference.catalogue import indicators_of

    families = {
        "docx.activity.": [i.id for i in indicators_of("A")],
        "status.": list(STATUSES),
        "approx.": list(SENSES),
        "review.districts_": list(DISTRICT_GROUPS),
        "check.": list(CHECK_KINDS),
        "row_kind.": list(NON_DATA_KINDS),
        "ledger.": list(LEDGER_SHOWN),
        "ledger_status.": ["read", "not_used"],
        "vocabulary.": ["sector", "status", "rating"],
        "workbook.basis_": ["per_year", "level"],
        "docx.verdict.": list(VERDICTS),
        "docx.verdict_short.": list(VERDICTS),
        "docx.count.": list(VERDICTS),
        "docx.caption.": list(dict.fromkeys(FIGURES + FIGURES_FINAL)),
        "target.": ["range", "range_per_year", "at_least", "at_least_per_year", "at_most", "at_most_per_year"],
    }
    missing = [
        prefix + code for prefix, codes in families.items() for code in codes if prefix + code not in catalogue()
    ]
    assert missing == []
