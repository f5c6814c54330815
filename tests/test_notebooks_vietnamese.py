"""The stage notebooks speak Vietnamese to the analyst: markdown in Vietnamese with headings, code in English."""

from __future__ import annotations

import ast
import json
import re
import unicodedata

import pytest

from helpers.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
VIETNAMESE = re.compile(r"[ăâđêôơưạảãàáằắẳẵặầấẩẫậẹẻẽèéềếểễệịỉĩìíọỏõòóồốổỗộờớởỡợụủũùúừứửữựỵỷỹỳý]", re.IGNORECASE)
ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|is|are|with|every|rows?|file|reads|writes)\b")


def _cells(path, kind):
    return [
        ("".join(cell["source"]))
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
        if cell["cell_type"] == kind
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_is_vietnamese_with_headings(path):
    markdown = _cells(path, "markdown")
    assert markdown, "the analyst is told in words what each step does"
    assert markdown[0].startswith("# "), "a level-1 heading first: the notebook's title in a table of contents"
    assert len([m for m in markdown if m.startswith("## ")]) >= 3, "level-2 headings a table of contents can use"
    for text in markdown:
        assert unicodedata.normalize("NFC", text) == text
        words = re.sub(r"`[^`]*`", "", text)  # file names, column names and codes stay as they are
        assert VIETNAMESE.search(words), text[:80]
        assert ENGLISH_WORDS.findall(words) == [], (ENGLISH_WORDS.findall(words), text[:80])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_and_comments_stay_english(path):
    for source in _cells(path, "code"):
        ast.parse(source)
        comments = [line.split("#", 1)[1] for line in source.splitlines() if "#" in line]
        assert not any(VIETNAMESE.search(comment) for comment in comments), comments
