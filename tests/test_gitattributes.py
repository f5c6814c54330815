""".gitattributes pins the line endings of every file compared byte for byte (Git for Windows' autocrlf)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

BYTE_EXACT = [
    "tests/golden",
    "tests/data",
    "data/raw",
    "notebooks",
    "src/helpers/reference/data",
    "data/targets.csv",
    "data/corrections.csv",
    "requirements",
    "pyproject.toml",
    ".ci",
]
"""Compared byte for byte (golden files, sample returns), hashed into build fingerprints, or run by bash."""


def git(*args: str, cwd: Path = PROJECT_ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def repository() -> Path:
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout (e.g. an unpacked archive): no line endings to check")
    return PROJECT_ROOT


def tracked(root: Path, paths: list[str]) -> list[str]:
    return [line for line in git("ls-files", "--", *paths, cwd=root).splitlines() if line]


def unpinned(root: Path, files: list[str]) -> list[str]:
    """Files whose line endings Git may convert: neither ``-text``/binary nor ``eol=lf``."""
    attributes: dict[str, dict[str, str]] = {}
    for line in git("check-attr", "text", "eol", "--", *files, cwd=root).splitlines():
        path, name, value = line.rsplit(": ", 2)
        attributes.setdefault(path, {})[name] = value
    return [path for path in files if not (attributes[path]["text"] == "unset" or attributes[path]["eol"] == "lf")]


def converted_on_checkout(root: Path, target: Path) -> list[str]:
    """Files that a clone with ``core.autocrlf=true`` (Git for Windows' default) checks out with other line ends."""
    subprocess.run(
        ["git", "clone", "--quiet", "-c", "core.autocrlf=true", str(root), str(target)], check=True, capture_output=True
    )
    changed = []
    for line in git("ls-files", "--eol", cwd=target).splitlines():
        index, work, _, path = line.split(maxsplit=3)
        if index.removeprefix("i/") != work.removeprefix("w/"):
            changed.append(path.strip())
    return changed


def test_byte_exact_files_are_pinned(repository):
    files = tracked(repository, BYTE_EXACT)
    assert (
        len(files) > 40
        and any(f.startswith("tests/golden/") for f in files)
        and any(f.startswith("data/raw/") for f in files)
    )
    assert unpinned(repository, files) == []


def test_crlf_sample_return_is_kept_as_it_is(repository):
    """data/raw/2019/groups.csv was typed on Windows: its CRLF must reach the reader as it is."""
    assert git("check-attr", "text", "--", "data/raw/2019/groups.csv").strip().endswith("text: unset")
    assert b"\r\n" in (repository / "data" / "raw" / "2019" / "groups.csv").read_bytes()


def test_a_windows_checkout_changes_no_byte(repository, tmp_path):
    """A clone with core.autocrlf=true (Git for Windows' default) gets every file with the committed bytes."""
    assert converted_on_checkout(repository, tmp_path / "windows-clone") == []


def test_checks_see_a_file_left_unpinned(tmp_path):
    """The checks above can fail: without .gitattributes, a CSV is unpinned and a Windows clone turns it CRLF."""
    source = tmp_path / "source"
    source.mkdir()
    git("init", "--quiet", cwd=source)
    (source / "golden.csv").write_bytes(b"year,value\n2017,4730\n")
    git("add", "golden.csv", cwd=source)
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "x", cwd=source)
    assert unpinned(source, ["golden.csv"]) == ["golden.csv"]
    assert converted_on_checkout(source, tmp_path / "clone") == ["golden.csv"]
