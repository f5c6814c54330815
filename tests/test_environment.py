"""environment.yml (conda/Binder) and pyproject.toml (pip) list the same packages with the same pins."""

import re
import tomllib

import yaml

from helpers.paths import PROJECT_ROOT


def pip_pins() -> dict[str, str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][0-9A-Za-z.]*)", requirement.strip())
        assert match, f"pyproject.toml: '{requirement}' is not pinned exactly (name==version)"
        pins[match[1].lower().replace("_", "-")] = match[2]
    return pins


def conda_pins() -> dict[str, str]:
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, dict) or entry in ("pip",) or entry.startswith("python="):
            continue
        name, _, version = entry.partition("=")
        pins[name.lower().replace("_", "-")] = version
    return pins


def test_same_packages_same_pins():
    assert conda_pins() == pip_pins()


def test_conda_python_satisfies_requires_python():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = next(e for e in environment["dependencies"] if isinstance(e, str) and e.startswith("python="))
    assert project["requires-python"] == ">=3.11"
    assert tuple(int(p) for p in python.split("=")[1].split(".")) >= (3, 11)


def test_every_pin_says_why():
    text = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in pip_pins():
        line = next(line for line in text.splitlines() if re.search(rf'"{re.escape(name)}==', line, re.IGNORECASE))
        assert "#" in line and len(line.split("#", 1)[1].strip()) > 5, f"pin of {name} has no reason"


def test_harness_detects_a_mismatch(monkeypatch):
    """The check can fail: a different pin on one side is seen."""
    pins = pip_pins()
    pins["pandas"] = "0.0.1"
    assert pins != conda_pins()
