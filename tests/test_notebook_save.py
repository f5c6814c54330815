"""Saving a stage notebook in JupyterLab is not a change: its fingerprint is its sources and parameters only."""

from __future__ import annotations

import copy
import json
import shutil

import nbformat
import pytest

from helpers.fingerprint import file_hash, notebook_source_hash
from helpers.paths import NOTEBOOKS_DIR, ProjectPaths
from helpers.pipeline.stages import STAGES


def saved_as_jupyterlab_does(source: dict, executed: dict | None = None) -> dict:
    """The notebook after Run All and Save in JupyterLab: outputs, counts, ids, timings, the kernel's metadata.

    ``executed``: a notebook papermill executed from the same source, whose outputs are taken (in cell order,
    papermill's injected parameters cell left out); else outputs are made up here.
    """
    book = copy.deepcopy(source)
    ran = [
        cell
        for cell in (executed or {}).get("cells", [])
        if cell["cell_type"] == "code" and "injected-parameters" not in cell["metadata"].get("tags", [])
    ]
    count = 0
    for index, cell in enumerate(book["cells"]):
        cell["id"] = f"lab-{index:04d}"
        if cell["cell_type"] != "code":
            continue
        count += 1
        cell["execution_count"] = count
        cell["outputs"] = (
            ran[count - 1]["outputs"]
            if count <= len(ran)
            else [
                {"name": "stdout", "output_type": "stream", "text": ["đã chạy\n"]},
                {
                    "data": {"text/plain": ["<IPython.core.display.Image object>"], "image/png": "iVBORw0KGgo="},
                    "metadata": {},
                    "output_type": "display_data",
                },
            ]
        )
        cell["metadata"]["execution"] = {
            "iopub.execute_input": "2026-12-07T10:00:00.000001Z",
            "shell.execute_reply": "2026-12-07T10:00:01.000001Z",
        }
        cell["metadata"]["scrolled"] = True
        cell["metadata"]["collapsed"] = False
    book["metadata"] = {
        "kernelspec": {"display_name": "Python 3 (.venv)", "language": "python", "name": "python3"},
        "language_info": {
            "codemirror_mode": {"name": "ipython", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": "3.11.7",
        },
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}},
        "toc-autonumbering": False,
    }
    return book


def write(book: dict, path) -> None:
    path.write_text(json.dumps(book, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.notebook)
def test_a_saved_notebook_has_the_fingerprint_of_its_source(stage, tmp_path):
    source = json.loads(stage.source.read_text(encoding="utf-8"))
    saved = tmp_path / stage.notebook
    write(saved_as_jupyterlab_does(source), saved)
    assert file_hash(saved) != file_hash(stage.source)
    assert notebook_source_hash(saved) == notebook_source_hash(stage.source)
    lines = tmp_path / "lines.ipynb"  # a source as one string, or as lines: the same cells
    joined = copy.deepcopy(source)
    for cell in joined["cells"]:
        cell["source"] = "".join(cell["source"])
    write(joined, lines)
    assert notebook_source_hash(lines) == notebook_source_hash(stage.source)


def changed(source: dict, how: str) -> dict:
    book = copy.deepcopy(source)
    code = [cell for cell in book["cells"] if cell["cell_type"] == "code"]
    parameters = next(cell for cell in code if "parameters" in cell["metadata"].get("tags", []))
    if how == "code":
        code[-1]["source"] = ["".join(code[-1]["source"]) + "\n"]
    elif how == "parameter":
        parameters["source"] = ["".join(parameters["source"]).replace("2022", "2021", 1)]
    elif how == "tag":
        parameters["metadata"]["tags"] = []
    elif how == "markdown":
        book["cells"][0]["source"] = ["".join(book["cells"][0]["source"]) + " Thêm một câu."]
    elif how == "order":
        book["cells"][-1], book["cells"][-2] = book["cells"][-2], book["cells"][-1]
    return book


@pytest.mark.parametrize("how", ["code", "parameter", "tag", "markdown", "order"])
def test_an_edit_of_the_sources_or_parameters_is_a_change(how, tmp_path):
    source = json.loads(STAGES[0].source.read_text(encoding="utf-8"))
    edited = tmp_path / "edited.ipynb"
    write(saved_as_jupyterlab_does(changed(source, how)), edited)
    assert notebook_source_hash(edited) != notebook_source_hash(STAGES[0].source)


def test_a_file_that_is_not_a_notebook_is_hashed_whole(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    assert notebook_source_hash(broken) == file_hash(broken)
    assert notebook_source_hash(tmp_path / "missing.ipynb") == "absent"


@pytest.mark.slow
def test_running_and_saving_a_stage_notebook_in_jupyterlab_rebuilds_nothing(built_copy, tmp_path, monkeypatch):
    """The issue's case: Run All, Save, then ``coop-review run``: every year is up to date, no stage reruns."""
    from helpers.messages import message
    from helpers.pipeline import plan
    from helpers.pipeline.runner import run_years

    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    for stage in STAGES:  # the outputs of the build's own executed notebooks, as a save in JupyterLab keeps them
        source = json.loads(stage.source.read_text(encoding="utf-8"))
        executed = nbformat.read(built_copy / "reports" / "2018" / stage.notebook, as_version=4)
        write(saved_as_jupyterlab_does(source, json.loads(nbformat.writes(executed))), notebooks / stage.notebook)
        assert file_hash(notebooks / stage.notebook) != file_hash(stage.source)
    monkeypatch.setattr(plan, "NOTEBOOKS_DIR", notebooks)
    paths = ProjectPaths.from_roots(built_copy / "data", built_copy / "reports")
    said: list[str] = []
    summary = run_years([2017, 2018], paths, say=said.append)
    assert summary.exit_code == 0
    assert [outcome.stages_run for outcome in summary.outcomes] == [[], []], said
    assert said == [message("runner.up_to_date", year=2017), message("runner.up_to_date", year=2018)]

    edited = json.loads((notebooks / STAGES[1].notebook).read_text(encoding="utf-8"))
    write(changed(edited, "code"), notebooks / STAGES[1].notebook)  # an edit of the code is a change
    summary = run_years([2017, 2018], paths, say=said.append, dry_run=True)
    assert [outcome.stages_run[:1] for outcome in summary.outcomes] == [[2], [2]]
