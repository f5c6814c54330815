"""The build knows stages, not the review: what a stage publishes and does after its notebook is the stage's own."""

from __future__ import annotations

import ast

from helpers.paths import PROJECT_ROOT
from helpers.pipeline.stages import STAGES, final_document, stage_outputs

BUILD = PROJECT_ROOT / "src" / "helpers" / "pipeline"
ORCHESTRATION = ("runner.py", "tasks.py", "staging.py", "plan.py")


def review_knowledge(source: str) -> list[str]:
    """Imports of the publish floor, and comparisons of a stage number with a literal, in a module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers.publish"):
            found.append(f"import {node.module}")
        if isinstance(node, ast.Compare) and any(
            isinstance(c, ast.Constant) and c.value == 4 for c in [node.left, *node.comparators]
        ):
            found.append(f"line {node.lineno}: compares with 4")
    return found


def test_the_orchestration_knows_no_review():
    knowledge = {name: review_knowledge((BUILD / name).read_text(encoding="utf-8")) for name in ORCHESTRATION}
    assert knowledge == {name: [] for name in ORCHESTRATION}


def test_the_scan_finds_review_knowledge():
    source = "from helpers.publish.render import render_html\nif number == 4:\n    pass\n"
    assert review_knowledge(source) == ["import helpers.publish.render", "line 2: compares with 4"]


def test_the_review_stage_says_what_it_publishes(tmp_path):
    review = STAGES[-1]
    (tmp_path / "figures").mkdir()
    for name in ("fig1.png", "fig1.en.png"):
        (tmp_path / "figures" / name).write_bytes(b"")
    names = {path.relative_to(tmp_path).as_posix() for path in stage_outputs(review, "vi", tmp_path)}
    assert names == {
        "04_render_review.ipynb",
        "review.html",
        "indicators.xlsx",
        "review.docx",
        "ghi-chu-so-lieu.docx",
        "figures/fig1.png",
    }
    english = {path.relative_to(tmp_path).as_posix() for path in stage_outputs(review, "en", tmp_path)}
    assert {"04_render_review.en.ipynb", "review.en.html", "review.en.docx", "figures/fig1.en.png"} <= english
    assert final_document(tmp_path, "vi") == tmp_path / "review.html"
    assert [stage.finish is not None for stage in STAGES] == [False, False, False, True]
