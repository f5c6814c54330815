"""The repository's layout stays visible and whole when modules move.

* No tracked source file is matched by ``.gitignore``: git would not add a new
  file beside it, and ruff (which honours ``.gitignore``) would not check it.
  An unanchored ``build/`` once hid all of ``src/helpers/pipeline/``.
* Every ``helpers`` name a stage notebook imports or calls exists: a module
  split must keep the names the notebooks use (``review.styled`` …).
"""

from __future__ import annotations

import ast
import importlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

SOURCE_FOLDERS = ("src", "tests", "scripts", "benchmarks")


def ignored_files(root: Path, files: list[str]) -> list[str]:
    """The ``files`` (relative to ``root``) that the repository's ignore rules match, tracked or not."""
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        input="\n".join(files),
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr  # 0: some are ignored, 1: none is
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def repository() -> Path:
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout (e.g. an unpacked archive)")
    return PROJECT_ROOT


def test_no_source_file_is_ignored(repository):
    listed = subprocess.run(
        ["git", "ls-files", "--", *SOURCE_FOLDERS], cwd=repository, capture_output=True, text=True, check=True
    )
    files = listed.stdout.splitlines()
    assert any(name.startswith("src/helpers/pipeline/") for name in files)
    assert ignored_files(repository, files) == []


def test_the_ignore_check_finds_a_hidden_source_folder(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    names = ["src/helpers/build/runner.py", "src/helpers/paths.py"]  # how the package was once hidden
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert ignored_files(tmp_path, names) == ["src/helpers/build/runner.py"]


def missing_names(source: str) -> list[str]:
    """``helpers`` names that ``source`` imports or reads as ``alias.name`` but that do not exist."""
    tree = ast.parse(source)
    modules, missing = imported_helpers(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            module = importlib.import_module(modules[node.value.id])
            if not hasattr(module, node.attr):
                missing.append(f"{modules[node.value.id]}.{node.attr}")
    return sorted(set(missing))


def imported_helpers(tree: ast.AST) -> tuple[dict[str, str], list[str]]:
    """The ``helpers`` modules a source binds (alias → module), and the names it imports that do not exist."""
    modules: dict[str, str] = {}
    missing = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "helpers":
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                try:
                    importlib.import_module(full)
                    modules[alias.asname or alias.name] = full
                except ModuleNotFoundError:
                    if not hasattr(importlib.import_module(node.module), alias.name):
                        missing.append(full)
        elif isinstance(node, ast.Import):
            modules |= {a.asname: a.name for a in node.names if a.name.split(".")[0] == "helpers" and a.asname}
    return modules, missing


def notebook_code(path: Path) -> str:
    """The code cells of a notebook, joined (IPython magics and shell lines left out)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = [
        line
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "notebook", sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name
)
def test_every_helpers_name_a_notebook_uses_exists(notebook):
    code = notebook_code(notebook)
    assert "helpers" in code
    assert missing_names(code) == []


def test_the_name_check_finds_a_name_that_moved():
    source = (
        "from helpers.publish import review\n"
        "from helpers.publish.review import styled, no_such_function\n"
        "review.headline_table(data)\n"
        "review.no_such_table(data)\n"
    )
    assert missing_names(source) == [
        "helpers.publish.review.no_such_function",
        "helpers.publish.review.no_such_table",
    ]
