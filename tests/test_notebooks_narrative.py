"""The stage notebooks read as narratives: title, overview, sections, summary (read from the notebook JSON).

Notebook 04's headings follow the parts of the review, so that JupyterLab's
table of contents leads to each; notebook 02 shows sections A and B apart,
each by agency, by district and against the previous year.
"""

from __future__ import annotations

import ast
import copy
import json

import pytest

from helpers.messages import message
from helpers.paths import NOTEBOOKS_DIR
from helpers.publish.review_html import SECTIONS

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
REVIEW = NOTEBOOKS_DIR / "04_render_review.ipynb"
INDICATORS = NOTEBOOKS_DIR / "02_compute_indicators.ipynb"


def cells(path) -> list[dict]:
    return [
        {"kind": cell["cell_type"], "text": "".join(cell["source"]), "tags": cell["metadata"].get("tags", [])}
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
    ]


def calls(source: str) -> list[tuple]:
    """Every call of a code cell as (function name, its constant arguments …): ``("section_html", "years")``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            found.append((name, *(arg.value for arg in node.args if isinstance(arg, ast.Constant))))
    return found


def heading_before(book: list[dict], index: int, level: str = "## ") -> str | None:
    """The last heading of ``level`` above cell ``index`` (``None`` when there is none)."""
    for cell in reversed(book[:index]):
        if cell["kind"] == "markdown" and cell["text"].startswith(level):
            return cell["text"].splitlines()[0][len(level) :]
    return None


def review_parts_without_heading(book: list[dict]) -> list[str]:
    """The parts of the review whose cell is not under a ``##`` heading naming that part, in the review's order."""
    titles = {key: message(f"review.{key}").split(". ", 1)[-1] for key in SECTIONS}
    titles["revisions"] = message("review.revisions")
    missing, order = [], []
    for key, title in titles.items():
        function, argument = ("revisions_html", ()) if key == "revisions" else ("section_html", (key,))
        index = next(
            (
                i
                for i, cell in enumerate(book)
                if cell["kind"] == "code" and (function, *argument) in calls(cell["text"])
            ),
            None,
        )
        heading = heading_before(book, index) if index is not None else None
        if heading is None or title not in heading:
            missing.append(key)
        else:
            order.append((index, key))
    keys = [key for _, key in sorted(order)]
    if keys != [key for key in ["revisions", *SECTIONS] if key in keys]:
        missing.append("order")
    return missing


def test_review_notebook_has_a_heading_for_each_part_of_the_review():
    book = cells(REVIEW)
    assert book[0]["kind"] == "markdown" and book[0]["text"].startswith("# ")
    assert review_parts_without_heading(book) == []


def test_the_heading_check_sees_a_missing_or_misplaced_heading():
    book = cells(REVIEW)
    without = [cell for cell in book if not cell["text"].startswith("## Mục 4")]
    assert review_parts_without_heading(without) == ["years"]
    renamed = copy.deepcopy(book)
    next(cell for cell in renamed if cell["text"].startswith("## Mục 2"))["text"] = "## Mục 2 · Hoạt động"
    assert review_parts_without_heading(renamed) == ["activities"]


def test_every_output_of_the_review_notebook_is_announced_by_a_markdown_cell():
    """Each code cell (but the parameters) follows a markdown cell saying what comes next."""
    book = cells(REVIEW)
    for index, cell in enumerate(book):
        if cell["kind"] == "code" and "parameters" not in cell["tags"]:
            assert book[index - 1]["kind"] == "markdown", cell["text"][:80]
    assert sum(cell["kind"] == "markdown" and cell["text"].startswith("### ") for cell in book) >= 15


def section_cells(book: list[dict], section: str) -> list[tuple]:
    """The calls of the code cells under the ``##`` heading of ``section`` (``Nhóm A``), up to the next ``##``."""
    found, inside = [], False
    for cell in book:
        if cell["kind"] == "markdown" and cell["text"].startswith("## "):
            inside = cell["text"].startswith(f"## Nhóm {section} ")
        elif inside and cell["kind"] == "code":
            found += calls(cell["text"])
    return found


@pytest.mark.parametrize("section", ["A", "B"])
def test_indicators_notebook_shows_each_section_by_agency_by_district_and_against_last_year(section):
    shown = section_cells(cells(INDICATORS), section)
    assert ("section_view", section, "agency") in shown
    assert ("section_view", section, "district") in shown
    assert ("change_view", section) in shown
    other = "B" if section == "A" else "A"
    assert not any(other in call[1:] for call in shown), "each section shows its own indicators"


def test_the_section_check_sees_a_missing_pivot():
    book = [cell for cell in cells(INDICATORS) if '"A", "district"' not in cell["text"]]
    assert ("section_view", "A", "district") not in section_cells(book, "A")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_opens_with_an_overview_and_ends_with_a_summary(path):
    book = cells(path)
    markdown = [cell["text"] for cell in book if cell["kind"] == "markdown"]
    assert "**Đầu vào" in markdown[0] and "**Đầu ra" in markdown[0], "the overview names inputs and outputs"
    assert any(text.startswith("## Tóm tắt") for text in markdown[-2:]), "a summary at the end"
    assert "Bước tiếp theo" in "".join(markdown[-2:]), "and what comes next"


def test_the_markdown_of_the_review_notebook_leaves_the_html_review_unchanged(tmp_path):
    """The template drops markdown cells whole: the narrative of notebook 04 adds nothing to ``review.html``."""
    import nbformat

    from helpers.publish.render import render_html

    source = nbformat.read(REVIEW, as_version=4)
    output = nbformat.v4.new_output("display_data", {"text/html": "<p>kết quả</p>"})
    executed = copy.deepcopy(source)
    for cell in executed.cells:
        if cell.cell_type == "code":
            cell.outputs = [output]
    bare = copy.deepcopy(executed)
    bare.cells = [cell for cell in bare.cells if cell.cell_type == "code"]
    rendered = {}
    for name, book in (("narrative", executed), ("bare", bare)):
        nbformat.write(book, tmp_path / f"{name}.ipynb")
        render_html(tmp_path / f"{name}.ipynb", tmp_path / f"{name}.html", "Sơ kết")
        rendered[name] = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
    assert rendered["narrative"] == rendered["bare"]
    assert rendered["bare"].count("kết quả") == len(bare.cells)  # the comparison sees the outputs
    headings = [cell.source.splitlines()[0][3:] for cell in source.cells if cell.source.startswith("## ")]
    assert headings and not any(heading in rendered["narrative"] for heading in headings)
