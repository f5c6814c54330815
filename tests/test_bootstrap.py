"""scripts/bootstrap.py: the one set-up route of make (Linux) and of the README's Windows commands."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT


@pytest.fixture()
def bootstrap():
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", PROJECT_ROOT / "scripts" / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_windows_and_posix_program_paths(bootstrap):
    venv = Path(".venv")
    assert bootstrap.venv_program(venv, "python", os_name="nt") == Path(".venv/Scripts/python.exe")
    assert bootstrap.venv_program(venv, "coop-review", os_name="nt") == Path(".venv/Scripts/coop-review.exe")
    assert bootstrap.venv_program(venv, "python", os_name="posix") == Path(".venv/bin/python")


def test_install_command_is_constrained_by_the_lock(bootstrap):
    python = Path("py")
    assert bootstrap.install_command(python, ())[-4:] == ["-c", str(bootstrap.LOCK), "-e", "."]
    assert bootstrap.install_command(python, ("test", "lab"))[-1] == ".[lab,test]"


def test_fingerprint_follows_pyproject_and_lock_but_not_line_ends(bootstrap, tmp_path):
    (tmp_path / "requirements").mkdir()
    (tmp_path / "pyproject.toml").write_bytes(b"[project]\nname = 'x'\n")
    (tmp_path / "requirements" / "lock.txt").write_bytes(b"a==1\n")
    before = bootstrap.fingerprint(tmp_path)
    (tmp_path / "pyproject.toml").write_bytes(b"[project]\r\nname = 'x'\r\n")
    assert bootstrap.fingerprint(tmp_path) == before  # a checkout with CRLF builds the same environment
    (tmp_path / "requirements" / "lock.txt").write_bytes(b"a==2\n")
    assert bootstrap.fingerprint(tmp_path) != before


class FakeInstaller:
    """Stands in for the venv and pip commands; records them and makes the venv's python appear."""

    def __init__(self, bootstrap, venv: Path):
        self.commands: list[list[str]] = []
        self.bootstrap, self.venv = bootstrap, venv

    def __call__(self, command: list) -> None:
        self.commands.append([str(c) for c in command])
        if command[1:3] == ["-m", "venv"]:
            python = self.bootstrap.venv_program(self.venv, "python")
            python.parent.mkdir(parents=True)
            python.write_text("")


def test_each_command_installs_what_it_needs_once(bootstrap, tmp_path, monkeypatch):
    venv = tmp_path / ".venv"
    fake = FakeInstaller(bootstrap, venv)
    monkeypatch.setattr(bootstrap, "_call", fake)

    bootstrap.ensure_environment(bootstrap.EXTRAS["review"], venv)
    assert [c[1:3] for c in fake.commands] == [["-m", "venv"], ["-m", "pip"], ["-m", "pip"]]
    assert fake.commands[1][-1] == bootstrap.PIP_PIN and fake.commands[2][-1] == "."  # runtime only

    fake.commands.clear()
    bootstrap.ensure_environment(bootstrap.EXTRAS["review"], venv)
    assert fake.commands == []  # nothing to do

    bootstrap.ensure_environment(bootstrap.EXTRAS["test"], venv)
    assert [c[-1] for c in fake.commands] == [".[test]"]  # the test tools added, the venv kept

    fake.commands.clear()
    bootstrap.ensure_environment(bootstrap.EXTRAS["review"], venv)
    assert fake.commands == []  # the test environment serves the review too
    assert bootstrap.read_stamp(venv)["extras"] == ["test"]


def test_a_changed_lock_builds_the_environment_again(bootstrap, tmp_path, monkeypatch):
    venv = tmp_path / ".venv"
    fake = FakeInstaller(bootstrap, venv)
    monkeypatch.setattr(bootstrap, "_call", fake)
    bootstrap.ensure_environment(("test",), venv)
    (venv / "leftover-package").write_text("")
    monkeypatch.setattr(bootstrap, "fingerprint", lambda root=None: "another lock")
    fake.commands.clear()
    bootstrap.ensure_environment((), venv)
    assert not (venv / "leftover-package").exists()  # nothing of the old environment is kept
    assert fake.commands[0][1:3] == ["-m", "venv"] and fake.commands[-1][-1] == ".[test]"


def test_usage_and_old_python(bootstrap, monkeypatch, capsys):
    assert bootstrap.main(["frobnicate"]) == 2
    assert "python scripts/bootstrap.py review" in capsys.readouterr().err
    monkeypatch.setattr(sys, "version_info", (3, 9, 0))
    assert bootstrap.main(["review"]) == 2
    assert "needs Python 3.11 or newer" in capsys.readouterr().err


def test_make_targets_go_through_bootstrap():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target, command in {"review": "review", "test": "test", "lab": "lab", "setup": "setup"}.items():
        recipe = re.search(rf"(?m)^{target}:.*\n\t(.+)", makefile)
        assert recipe and recipe[1] == f"$(BOOTSTRAP) {command}", target


def windows_block() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```powershell\n(.*?)```", readme, re.S)
    assert match, "README has no PowerShell block (the Windows route)"
    return match[1]


def test_readme_windows_route_matches_the_bootstrap(bootstrap):
    """The README's PowerShell commands use the same pins, lock and program paths as the bootstrap."""
    block = windows_block()
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]
    assert "py -3.11 scripts\\bootstrap.py review" in commands and "py -3.11 scripts\\bootstrap.py test" in commands
    assert f".venv\\Scripts\\python -m pip install {bootstrap.PIP_PIN}" in commands
    install = [c for c in commands if " -e ." in c]
    assert install and all("-c requirements\\lock.txt" in c for c in install)
    programs = {"python"} | {entry.name for entry in importlib.metadata.entry_points(group="console_scripts")}
    for program in re.findall(r"\.venv\\Scripts\\([\w-]+)", block):
        assert program in programs, f".venv\\Scripts\\{program}: no such program in the environment"
    for script in re.findall(r"scripts\\([\w.]+\.py)", block):
        assert (PROJECT_ROOT / "scripts" / script).is_file(), script


def test_readme_check_sees_a_stale_pip_pin(bootstrap, monkeypatch):
    """The check above can fail: with another pip pin the README's commands no longer match."""
    monkeypatch.setattr(bootstrap, "PIP_PIN", "pip==1.0")
    with pytest.raises(AssertionError):
        test_readme_windows_route_matches_the_bootstrap(bootstrap)


def test_lab_opens_on_the_notebooks_with_the_kernels_of_the_environment_first(bootstrap, monkeypatch):
    """``make lab``: JupyterLab on the repository, its file browser on ``notebooks/``, the ``.venv`` kernel first."""
    called = {}
    monkeypatch.setattr(bootstrap, "ensure_environment", lambda extras, venv=None: Path(sys.executable))

    def call(command, cwd, env):
        called.update(command=command, cwd=cwd, env=env)
        return 0

    monkeypatch.setattr(bootstrap.subprocess, "call", call)
    monkeypatch.delenv("JUPYTER_PREFER_ENV_PATH", raising=False)
    assert bootstrap.main(["lab"]) == 0
    assert called["command"][1:] == [
        "lab",
        f"--notebook-dir={PROJECT_ROOT}",
        "--LabApp.default_url=/lab/tree/notebooks",
    ]
    assert called["env"]["JUPYTER_PREFER_ENV_PATH"] == "1" and called["cwd"] == str(PROJECT_ROOT)
    assert bootstrap.environment("test").get("JUPYTER_PREFER_ENV_PATH") is None
