"""The code's house style, checked in make test: ruff format and lint, notebooks stripped, pre-commit the same."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from helpers.paths import PROJECT_ROOT

BIN = Path(sys.executable).parent
"""The environment's scripts: ruff and nbstripout at the locked versions."""


def run_tool(name: str, *args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    program = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert program, f"{name} is not installed: make test installs it from requirements/lock.txt"
    return subprocess.run([program, *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8")


def test_ruff_lint_passes():
    result = run_tool("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_passes():
    result = run_tool("ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_can_fail(tmp_path):
    """The lint check is real: a function too complex and undocumented, in the project's configuration, fails."""
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "src").mkdir()
    branches = "\n".join(f"    if x == {n}:\n        return {n}" for n in range(12))
    (tmp_path / "src" / "bad.py").write_text(f'"""A module."""\n\n\ndef branchy(x):\n{branches}\n    return -1\n')
    result = run_tool("ruff", "check", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 1 and "C901" in result.stdout and "D103" in result.stdout


def test_source_notebooks_are_stripped():
    notebooks = sorted(str(path) for path in (PROJECT_ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    result = run_tool("nbstripout", "--keep-id", "--verify", *notebooks)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nbstripout_verify_can_fail(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1)])
    notebook.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nbformat.write(notebook, tmp_path / "executed.ipynb")
    assert run_tool("nbstripout", "--keep-id", "--verify", str(tmp_path / "executed.ipynb")).returncode != 0


def test_pre_commit_runs_the_checks_of_make_test():
    """The hooks are local (no download) and run the same tools make test runs."""
    config = yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    entries = {hook["id"]: hook["entry"] for hook in config["repos"][0]["hooks"]}
    assert entries == {
        "ruff-format": "ruff format",
        "ruff-check": "ruff check --fix",
        "nbstripout": "nbstripout --keep-id",
    }
    assert run_tool("pre-commit", "validate-config", ".pre-commit-config.yaml").returncode == 0
