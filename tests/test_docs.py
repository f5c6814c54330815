"""The documents people follow: the Vietnamese quick start, the licence, the changelog."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
import unicodedata
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "huong-dan.md"
NUMBER_FILES = ["tests/golden", "tests/data/sample_expectations.json"]
"""Files that change when a number moves: a commit changing them must record it in CHANGELOG.md."""


def code_lines(markdown: str) -> list[str]:
    """The lines of the fenced code blocks: the commands people copy."""
    blocks = re.findall(r"```\w*\n(.*?)```", markdown, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_guide_is_vietnamese_with_diacritics_in_nfc():
    text = GUIDE.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
    for heading in (
        "## 1. Cài đặt",
        "### Lấy thư mục dự án: tệp zip hoặc Git",
        "### Trên Windows",
        "### Trên Linux",
        "## 2. Một năm làm việc",
        "## 3. Tháng 12: gửi biểu mẫu trống",
        "## 4. Thêm năm mới",
        "## 5. Kiểm tra một báo cáo",
        "## 6. Lập báo cáo sơ kết",
        "## 7. Tình hình các năm",
        "## 8. Báo cáo gửi lại và lịch sử điều chỉnh",
        "## 9. Chỉ tiêu",
        "## 10. Đính chính",
        "## 11. Xem kết quả",
        "## 12. Bàn giao và sao lưu",
    ):
        assert heading in text, heading


def test_guide_is_linked_from_the_top_of_the_readme():
    top = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:12]
    assert any("(docs/huong-dan.md)" in line for line in top)


def test_guide_commands_exist():
    """Every command of the guide names a real subcommand, option, make target, script or bootstrap command."""
    from helpers.pipeline.cli import _parser

    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    commands = code_lines(GUIDE.read_text(encoding="utf-8"))
    assert len(commands) >= 15
    for command in commands:
        words = command.split()
        if words[0].endswith("coop-review"):
            if words[1:] not in (["--help"], ["--version"]):
                _parser().parse_args(words[1:])  # exits (2) on an unknown subcommand or option
        elif words[0] == "make":
            assert re.search(rf"(?m)^{words[1]}:", makefile), command
        elif words[:2] == ["py", "-3.11"] and words[2].startswith("scripts\\"):
            assert (PROJECT_ROOT / words[2].replace("\\", "/")).is_file(), command
    for path in re.findall(
        r"(?<![\w\\/])(?:requirements|scripts|data)[\\/][\w.\\/-]+\.(?:py|txt|csv)",
        GUIDE.read_text(encoding="utf-8"),
    ):  # a path from the project folder (not the end of src/helpers/reference/data/…)
        assert (PROJECT_ROOT / path.replace("\\", "/")).is_file() or "2023" in path, path
    bootstrap_commands = {line.split()[3] for line in commands if line.startswith("py -3.11 scripts\\bootstrap.py")}
    assert bootstrap_commands <= {"review", "test", "lab", "setup", "python", "lock"}
    assert {"make review", "py -3.11 scripts\\bootstrap.py review", "conda env create -f environment.yml"} <= set(
        commands
    )


def cli_commands() -> set[str]:
    """The subcommands of ``coop-review``, as its parser knows them."""
    import argparse

    from helpers.pipeline.cli import _parser

    actions = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return set(actions[0].choices)


def named_commands(markdown: str) -> set[str]:
    """Every ``coop-review <command>`` a document names, in prose or in a command (a program of ``.venv`` or not)."""
    return set(re.findall(r"coop-review ([a-z][a-z-]*)\b", markdown))


def test_every_command_the_guide_names_exists_and_the_guide_names_every_command():
    """The guide names only real subcommands, and all of them: template, check, run, status — the yearly cycle."""
    named = named_commands(GUIDE.read_text(encoding="utf-8"))
    commands = cli_commands()
    assert named - commands == set(), f"the guide names commands coop-review does not have: {named - commands}"
    assert commands - named == set(), f"the guide leaves out commands: {commands - named}"
    assert {"template", "check", "run", "status"} <= named


def test_the_command_check_sees_an_unknown_or_missing_command():
    """The check above can fail: a made-up command is found, and a guide without ``status`` misses it."""
    assert named_commands("chạy `coop-review publish 2023` rồi .venv\\Scripts\\coop-review run 2023") == {
        "publish",
        "run",
    }
    assert "publish" not in cli_commands()
    assert cli_commands() - named_commands("coop-review run, coop-review check, coop-review template") == {"status"}


DOCUMENTS = [PROJECT_ROOT / "README.md", PROJECT_ROOT / "CHANGELOG.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
OUTSIDE = (".." + "/shared", "/work" + "/")
"""Spellings of a path outside the repository (the project's shared folder of the team that built it)."""


GENERATED = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis"}
"""Folders that tools write inside the repository's folders (git-ignored): not the repository's files."""


def repository_text_files() -> list[Path]:
    """The files of the repository people and tools read: documents, code, tests, notebooks, scripts, settings."""
    roots = ["docs", "src", "tests", "scripts", "benchmarks", "notebooks", ".ci", "data/raw"]
    files = [PROJECT_ROOT / name for name in ("README.md", "CHANGELOG.md", "Makefile", "pyproject.toml")]
    for root in roots:
        files += [
            p
            for p in (PROJECT_ROOT / root).rglob("*")
            if p.is_file()
            and p.suffix in {".md", ".py", ".ipynb", ".toml", ".csv", ".txt", ".j2", ".html", ""}
            and not any(part.endswith(".egg-info") or part in GENERATED for part in p.parts)
        ]
    return files


def test_no_file_points_outside_the_repository():
    """A clone holds everything its files refer to: no path to a shared folder beside it, or on the build machine."""
    found = [
        f"{path.relative_to(PROJECT_ROOT).as_posix()}: {spelling}"
        for path in repository_text_files()
        for spelling in OUTSIDE
        if spelling in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert found == []


def test_every_link_of_the_documents_is_a_file_of_the_repository():
    """Relative links in README, CHANGELOG and docs/ lead to files (and folders) of the repository."""
    broken = []
    for document in DOCUMENTS:
        for target in re.findall(r"\]\(([^)\s]+)\)", document.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (document.parent / target.split("#")[0]).resolve()
            if not path.exists() or PROJECT_ROOT.resolve() not in path.parents:
                broken.append(f"{document.name}: {target}")
    assert broken == []


def test_the_documents_are_nfc():
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        assert text == unicodedata.normalize("NFC", text), document.name


def test_guide_and_readme_pin_the_same_pip():
    pins = {
        re.search(r"pip==[\d.]+", line)[0]
        for path in (GUIDE, PROJECT_ROOT / "README.md")
        for line in code_lines(path.read_text(encoding="utf-8"))
        if "pip==" in line
    }
    assert len(pins) == 1


def test_licence_is_the_mit_licence_pyproject_declares():
    text = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"] == "MIT"
    assert (
        text.startswith("MIT License")
        and "coop-review contributors" in text
        and 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    )


def test_changelog_has_the_current_version():
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    text = (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Unreleased" in text and re.search(rf"(?m)^## {re.escape(version)}\b", text)


def commits_moving_numbers_without_changelog(root: Path) -> list[str]:
    """Commits since CHANGELOG.md exists that changed a golden file but not CHANGELOG.md."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout

    first = git("log", "--diff-filter=A", "--format=%H", "--", "CHANGELOG.md").split()
    if not first:
        return ["CHANGELOG.md was never committed"]
    missing = []
    for commit in git(
        "log", "--format=%H", f"{first[-1]}..HEAD", "--", *NUMBER_FILES
    ).split():  # the first one holds CHANGELOG.md
        if "CHANGELOG.md" not in git("show", "--name-only", "--format=", commit).split():
            missing.append(git("log", "-1", "--format=%h %s", commit).strip())
    return missing


def test_every_commit_that_moves_a_golden_file_records_it_in_the_changelog():
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: no history to check")
    if (
        subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"], cwd=PROJECT_ROOT, capture_output=True, text=True
        ).stdout.strip()
        == "true"
    ):
        pytest.skip("shallow clone: the history is incomplete")
    assert commits_moving_numbers_without_changelog(PROJECT_ROOT) == []


def test_changelog_check_sees_a_golden_change_without_entry(tmp_path):
    """The check above can fail: a commit that rewrites a golden file alone is reported."""

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "--quiet")
    (tmp_path / "tests" / "golden").mkdir(parents=True)
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n", encoding="utf-8")
    (tmp_path / "tests" / "golden" / "indicators.csv").write_text("value\n1\n", encoding="utf-8")
    git("add", ".")
    git("commit", "--quiet", "-m", "first, with the changelog")
    assert commits_moving_numbers_without_changelog(tmp_path) == []
    (tmp_path / "tests" / "golden" / "indicators.csv").write_text("value\n2\n", encoding="utf-8")
    git("commit", "--quiet", "-am", "a number moved")
    assert commits_moving_numbers_without_changelog(tmp_path) == [commits_log(tmp_path)]


def commits_log(root: Path) -> str:
    return subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_blank_forms_send_the_agencies_to_the_form_filling_guide():
    """The note under every blank form, and the template command's next step, name the guide; the guide exists."""
    from helpers.messages import message

    guide = PROJECT_ROOT / "docs" / "huong-dan-lap-bieu.md"
    assert guide.is_file()
    assert guide.name in message("blank_form.note") and guide.name in message("cli.template_next", year=2023)
    text = guide.read_text(encoding="utf-8")
    for heading in ("## 3. Cách ghi số", "## 4. Biểu 01", "## 5. Biểu 02", "## 6. Biểu 03"):
        assert heading in text, heading
