"""The install routes: pyproject.toml, requirements/lock.txt and environment.yml agree; each installs what it should.

* ``pip install .`` (``make review``) brings the runtime only; the test tools
  and JupyterLab are the ``test`` and ``lab`` extras.
* ``requirements/lock.txt`` pins every package of the resolved environment;
  the environment the tests run in is exactly the lock's.
* conda hands the ``pip:`` section of ``environment.yml`` to pip as a
  requirements file: it is parsed here with pip's own parser, which refuses
  what pip would refuse (``--no-deps`` made ``conda env create`` fail).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from helpers.paths import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements" / "lock.txt"
TEST_TOOLS = {"pytest", "nbval", "hypothesis", "playwright", "jupyterlab", "jupyter-server", "notebook"}
"""Packages a runtime install must not bring (the test tools, and JupyterLab's server)."""
INSTALLER_TOOLS = {"pip", "setuptools", "wheel"}
"""In every virtual environment, not part of the project's lock."""
CONDA_FORGE_IS_ANOTHER_PACKAGE = {"playwright"}
"""Names that conda-forge gives to another project: installed from PyPI through the ``pip:`` section."""


def _bootstrap():
    spec = importlib.util.spec_from_file_location("bootstrap", PROJECT_ROOT / "scripts" / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def normal(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def exact_pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][0-9A-Za-z.]*)", requirement.strip())
        assert match, f"pyproject.toml: '{requirement}' is not pinned exactly (name==version)"
        pins[normal(match[1])] = match[2]
    return pins


def pyproject_pins() -> dict[str, dict[str, str]]:
    """Pins by group: ``""`` the runtime dependencies, then each extra."""
    groups = {"": exact_pins(project()["dependencies"])}
    for extra, requirements in project()["optional-dependencies"].items():
        groups[extra] = exact_pins(requirements)
    return groups


def all_pyproject_pins() -> dict[str, str]:
    return {name: version for group in pyproject_pins().values() for name, version in group.items()}


def lock_pins(text: str | None = None) -> dict[str, list[tuple[str, str | None]]]:
    """Package → [(version, marker)] of the lock (a package can be pinned per Python version)."""
    pins: dict[str, list[tuple[str, str | None]]] = {}
    for line in (LOCK.read_text(encoding="utf-8") if text is None else text).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][0-9A-Za-z.+!]*)(?: ; (.+))?", line)
        assert match, f"requirements/lock.txt: '{line}' is not an exact pin"
        pins.setdefault(normal(match[1]), []).append((match[2], match[3]))
    return pins


def locked_version_here(name: str, pins: dict) -> str | None:
    """The lock's version of ``name`` for this interpreter and platform."""
    from packaging.markers import Marker

    for version, marker in pins.get(normal(name), []):
        if marker is None or Marker(marker).evaluate():
            return version
    return None


def environment() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))


def conda_pins() -> dict[str, str]:
    pins = {}
    for entry in environment()["dependencies"]:
        if isinstance(entry, dict) or entry == "pip" or entry.startswith("python="):
            continue
        name, _, version = entry.partition("=")
        pins[normal(name)] = version
    return pins


def conda_pip_section() -> list[str]:
    return next(entry["pip"] for entry in environment()["dependencies"] if isinstance(entry, dict))


def parse_as_conda_hands_to_pip(lines: list[str], workdir: Path, env_dir: Path, monkeypatch) -> list:
    """Parse a ``pip:`` section as conda has pip read it; return pip's requirements.

    conda writes the section, one entry a line, to a ``condaenv.*.requirements.txt``
    and runs ``pip install -U -r`` on it from the folder of ``environment.yml``
    (so ``-e .`` is the project). pip's requirement-file parser raises
    ``RequirementsFileParseError`` on anything a requirements file may not hold.
    """
    from pip._internal.network.session import PipSession
    from pip._internal.req.constructors import install_req_from_parsed_requirement
    from pip._internal.req.req_file import parse_requirements

    requirements_file = workdir / "condaenv.coop-review.requirements.txt"
    requirements_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(env_dir)
    return [
        install_req_from_parsed_requirement(parsed)
        for parsed in parse_requirements(str(requirements_file), session=PipSession())
    ]


def closure(extras: tuple[str, ...]) -> set[str]:
    """The installed packages ``pip install .[extras]`` brings, from the installed packages' metadata."""
    found: set[str] = set()
    visited: set[tuple[str, frozenset[str]]] = set()
    todo = [("coop-review", frozenset(extras))]
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in visited:
            continue
        visited.add((name, wanted))
        for requirement in importlib.metadata.distribution(name).requires or []:
            parsed = Requirement(requirement)
            if parsed.marker is None or any(parsed.marker.evaluate({"extra": extra}) for extra in ("", *wanted)):
                found.add(normal(parsed.name))
                todo.append((normal(parsed.name), frozenset(parsed.extras)))
    return found


# -- pyproject.toml ---------------------------------------------------------------------------


def test_every_pin_says_why():
    text = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in all_pyproject_pins():
        line = next(line for line in text.splitlines() if re.search(rf'"{re.escape(name)}==', line, re.IGNORECASE))
        assert "#" in line and len(line.split("#", 1)[1].strip()) > 5, f"pin of {name} has no reason"


def test_runtime_dependencies_hold_no_test_tool():
    groups = pyproject_pins()
    assert set(groups) == {"", "test", "lab"}
    assert not set(groups[""]) & TEST_TOOLS, "test tools and JupyterLab belong in the test and lab extras"
    assert {"pytest", "nbval", "hypothesis", "playwright"} <= set(groups["test"])
    assert set(groups["lab"]) == {"jupyterlab"}


def test_runtime_install_brings_no_test_tool():
    """What ``pip install .`` installs (the dependencies' own dependencies included) holds no test tool."""
    runtime = closure(())
    assert {"pandas", "papermill", "ipykernel", "nbconvert", "pyarrow"} <= runtime
    assert not runtime & TEST_TOOLS, sorted(runtime & TEST_TOOLS)


def test_closure_sees_the_test_tools_of_the_test_extra():
    """The check above can fail: asked for the test extra, the same walk finds the test tools."""
    assert {"pytest", "nbval", "hypothesis", "playwright"} <= closure(("test",))
    assert "jupyterlab" not in closure(("test",))


# -- requirements/lock.txt --------------------------------------------------------------------


def lock_disagreements(lock: dict, pins: dict[str, str]) -> list[str]:
    """Direct dependencies the lock pins at another version (or not at all)."""
    return [
        f"{name}: pyproject.toml {version}, lock {lock.get(name)}"
        for name, version in pins.items()
        if [v for v, _ in lock.get(name, [])] != [version]
    ]


def test_lock_pins_every_direct_dependency_at_its_pin():
    assert lock_disagreements(lock_pins(), all_pyproject_pins()) == [], "run `make lock` after changing a pin"


def test_lock_check_sees_a_changed_pin():
    """The check above can fail: a lock with another pandas disagrees."""
    text = re.sub(r"(?m)^pandas==\S+", "pandas==2.0.0", LOCK.read_text(encoding="utf-8"))
    assert lock_disagreements(lock_pins(text), all_pyproject_pins()) == [
        f"pandas: pyproject.toml {all_pyproject_pins()['pandas']}, lock [('2.0.0', None)]"
    ]


def test_lock_was_written_by_the_documented_command():
    bootstrap = _bootstrap()
    header = LOCK.read_text(encoding="utf-8").splitlines()[:3]
    assert f"#    uv {' '.join(bootstrap.LOCK_ARGS)}" in header, (
        "write the lock with `make lock` (scripts/bootstrap.py lock)"
    )


def test_lock_covers_windows():
    """Packages only Windows needs are locked too (the lock is resolved for every platform)."""
    pins = lock_pins()
    assert any(
        (marker and "win32" in marker) or (marker and "'nt'" in marker)
        for entries in pins.values()
        for _, marker in entries
    )


def test_lock_parser_refuses_a_loose_pin():
    with pytest.raises(AssertionError, match="not an exact pin"):
        lock_pins("pandas>=3\n")


def test_environment_is_the_lock():
    """The environment the tests run in holds exactly the locked packages at the locked versions, nothing more."""
    bootstrap = _bootstrap()
    stamp = bootstrap.read_stamp(Path(sys.prefix))
    if stamp is None:
        pytest.skip(
            f"not the environment scripts/bootstrap.py built ({sys.prefix}); "
            "conda and hand-made environments are not locked"
        )
    assert stamp["fingerprint"] == bootstrap.fingerprint(), (
        "pyproject.toml or the lock changed since .venv was built: run make test again"
    )
    pins = lock_pins()
    installed = {normal(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    installed.pop("coop-review")
    for tool in INSTALLER_TOOLS:
        installed.pop(tool, None)
    wrong = {
        name: (version, locked_version_here(name, pins))
        for name, version in installed.items()
        if version != locked_version_here(name, pins)
    }
    assert not wrong, f"installed ≠ locked (installed, locked): {wrong}"
    assert set(installed) == closure(tuple(stamp["extras"])) - INSTALLER_TOOLS


# -- environment.yml (conda) ------------------------------------------------------------------


def test_conda_and_pip_pin_the_same_packages_alike():
    pip_section = {normal(r.split("==")[0]): r.split("==")[1] for r in conda_pip_section() if "==" in r}
    assert not set(conda_pins()) & set(pip_section)
    assert {**conda_pins(), **pip_section} == all_pyproject_pins()


def test_conda_pins_are_the_locked_versions():
    pins = lock_pins()
    for name, version in conda_pins().items():
        assert version in [v for v, _ in pins[name]], f"environment.yml pins {name}={version}, the lock {pins[name]}"


def test_no_conda_package_that_is_another_project():
    assert not set(conda_pins()) & CONDA_FORGE_IS_ANOTHER_PACKAGE


def test_conda_python_satisfies_requires_python():
    python = next(e for e in environment()["dependencies"] if isinstance(e, str) and e.startswith("python="))
    assert project()["requires-python"] == ">=3.11"
    assert tuple(int(p) for p in python.split("=")[1].split(".")) >= (3, 11)


def test_conda_pip_section_is_a_valid_requirements_file(tmp_path, monkeypatch):
    requirements = parse_as_conda_hands_to_pip(conda_pip_section(), tmp_path, PROJECT_ROOT, monkeypatch)
    editable = [r for r in requirements if r.editable]
    assert len(editable) == 1 and editable[0].link.file_path == str(PROJECT_ROOT)
    assert editable[0].extras == {"test", "lab"}
    assert {str(r.req) for r in requirements if not r.editable} == {"playwright==1.65.2"}


@pytest.mark.parametrize("lines", [["--no-deps", "-e ."], ["-e .", "--no-deps"], ["--upgrade-strategy eager"]])
def test_conda_pip_section_check_refuses_install_options(tmp_path, monkeypatch, lines):
    """The check can fail: the options that broke ``conda env create`` are refused as pip refuses them."""
    from pip._internal.req.req_file import RequirementsFileParseError

    with pytest.raises(RequirementsFileParseError, match="no such option"):
        parse_as_conda_hands_to_pip(lines, tmp_path, PROJECT_ROOT, monkeypatch)
