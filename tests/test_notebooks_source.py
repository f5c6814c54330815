"""The stage notebooks as committed: thin, parameterized, without outputs."""

import ast
import json

import pytest

from helpers.explore.notebook import NOTEBOOK_NAME, NOTEBOOK_PARAMETERS
from helpers.paths import NOTEBOOKS_DIR
from helpers.pipeline.stages import STAGES

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def test_every_stage_has_its_notebook_and_the_only_other_notebook_is_the_exploration():
    assert [p.name for p in NOTEBOOKS] == [stage.notebook for stage in STAGES] + [NOTEBOOK_NAME]
    assert NOTEBOOK_NAME not in {stage.notebook for stage in STAGES}  # not a stage: coop-review run never runs it


def parameters_of(name: str) -> list[str]:
    """The parameters a notebook's tagged cell must declare, in order."""
    if name == NOTEBOOK_NAME:
        return list(NOTEBOOK_PARAMETERS)
    stage = next(stage for stage in STAGES if stage.notebook == name)
    return ["year", "data_root", "reports_root", "build_id"] + (["lang"] if stage.takes_lang else [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped_thin_and_parameterized(path):
    book = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in book["cells"] if cell["cell_type"] == "code"]
    assert all(not cell.get("outputs") and cell.get("execution_count") is None for cell in code), (
        "commit notebooks without outputs"
    )
    tagged = [cell for cell in code if "parameters" in cell.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    source = "".join(tagged[0]["source"])
    names = [node.target.id for node in ast.parse(source).body if isinstance(node, ast.AnnAssign)]
    assert names == parameters_of(path.name)
    assert all("#" in line for line in source.splitlines() if line.strip()), "comment every parameter"
    for cell in code:
        tree = ast.parse("".join(cell["source"]))
        assert not any(
            isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Lambda, ast.For, ast.While)) for node in ast.walk(tree)
        ), "notebooks call src/helpers; no definitions or loops of their own"
    assert book["metadata"]["kernelspec"]["name"] == "python3"
