"""Faults of issue 8 outside the reading rules: links, write failures, orphan workers, long tables, near-misses."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import year_data as conftest_year_data
from helpers.messages import message
from helpers.paths import ProjectPaths


def symlink_or_skip(target: Path, link: Path) -> None:
    """Make a symbolic link, or skip where the system refuses (Windows without the privilege)."""
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"cannot make symbolic links here: {error}")


# -- case 7: linked folders and files are followed when judging what changed ----------------


def test_an_edit_behind_a_linked_activities_folder_rebuilds_the_year(tmp_path):
    from helpers.pipeline.plan import plan_year, write_manifest, year_inputs

    shared = tmp_path / "shared drive" / "activities"
    shared.mkdir(parents=True)
    (shared / "HND.csv").write_text("Đơn vị,Số buổi tập huấn\nH. Kim Sơn,12\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "groups.csv").write_text("Đơn vị,Số THT\nH. Kim Sơn,3\n", encoding="utf-8")
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    year_folder = paths.raw_year(2017)
    year_folder.mkdir(parents=True)
    symlink_or_skip(shared, year_folder / "activities")
    symlink_or_skip(tmp_path / "elsewhere" / "groups.csv", year_folder / "groups.csv")
    symlink_or_skip(year_folder, shared / "loop")  # a loop of links must not hang the walk

    built = year_inputs(paths, 2017, "vi", {})
    assert "raw/activities/HND.csv" in built.stages["1"] and "raw/groups.csv" in built.stages["1"]
    write_manifest(paths.final_processed(2017), built.stages)
    (paths.final_processed(2017) / "indicators.csv").write_text("year\n", encoding="utf-8")
    (paths.final_reports(2017)).mkdir(parents=True)
    (paths.final_reports(2017) / "review.html").write_text("<p>", encoding="utf-8")
    assert plan_year(paths, year_inputs(paths, 2017, "vi", {}), "vi", False).stages == []  # up to date

    (shared / "HND.csv").write_text("Đơn vị,Số buổi tập huấn\nH. Kim Sơn,13\n", encoding="utf-8")
    plan = plan_year(paths, year_inputs(paths, 2017, "vi", {}), "vi", False)
    assert plan.stages == [1, 2, 3, 4] and plan.reasons == ["raw/activities/HND.csv đã thay đổi"]

    (tmp_path / "elsewhere" / "groups.csv").write_text("Đơn vị,Số THT\nH. Kim Sơn,4\n", encoding="utf-8")
    assert "raw/groups.csv đã thay đổi" in plan_year(paths, year_inputs(paths, 2017, "vi", {}), "vi", False).reasons


def test_a_broken_link_counts_as_a_change(tmp_path):
    from helpers.pipeline.plan import BROKEN_LINK, folder_hashes

    target = tmp_path / "HND.xlsx"
    target.write_bytes(b"x")
    (tmp_path / "year").mkdir()
    symlink_or_skip(target, tmp_path / "year" / "HND.xlsx")
    before = folder_hashes(tmp_path / "year", "raw")
    target.unlink()
    after = folder_hashes(tmp_path / "year", "raw")
    assert after == {"raw/HND.xlsx": BROKEN_LINK} and after != before


# -- case 10: a long rejects table is cut for the review, never silently -----------------------


def year_data(rejects, approximate=None, lang="vi"):
    import pandas as pd

    if approximate is None:
        approximate = pd.DataFrame(columns=["file", "sheet", "row", "column", "as_typed", "value"])
    return conftest_year_data(2017, rejects=rejects, approximate=approximate, lang=lang)


def generated_rejects(commune_rows: int, register_rows: int):
    import pandas as pd

    activities = pd.DataFrame(
        {"file": "activities/HND.xlsx", "sheet": "Biểu 01", "row": range(6, 6 + commune_rows), "column": "Đơn vị",
         "value": [f"Xã {i}" for i in range(commune_rows)], "reason": "not a district — write one of the known units"}
    )  # fmt: skip
    register = pd.DataFrame(
        {
            "file": "cooperatives.xlsx",
            "sheet": "Sheet1",
            "row": range(10, 10 + register_rows),
            "column": "Số thành viên",
            "value": "nhiều",
            "reason": "'nhiều' is not a number — type a whole number",
        }
    )
    return pd.concat([activities, register], ignore_index=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_long_rejects_table_shows_its_first_rows_and_says_where_the_rest_are(lang):
    from helpers.publish import review

    data = year_data(generated_rejects(100_000, 20), lang=lang)
    table = review.rejects_table(data)
    html = review.styled(table, data.t("cap_rejects")).to_html()
    assert len(table) == review.REVIEW_TABLE_ROWS
    assert html.count("cooperatives.xlsx") >= 20  # the register's rejects are all there
    assert html.count("<tr>") == review.REVIEW_TABLE_ROWS + 1  # header and every row kept: Styler cut nothing
    assert "trim" not in html  # pandas marks the rows or columns it leaves out with *_trim classes
    more = {"vi": "99.520", "en": "99,520"}[lang]
    assert more in html and "rejects.csv" in html and "activities/HND.xlsx" in html.split("not-shown", 1)[1]


def test_a_short_rejects_table_is_shown_whole():
    from helpers.publish import review

    data = year_data(generated_rejects(30, 3))
    table = review.rejects_table(data)
    assert len(table) == 33 and review.NOT_SHOWN not in table.attrs
    assert "not-shown" not in review.styled(table, "x").to_html()


def test_fair_rows_gives_every_file_a_share():
    import pandas as pd

    from helpers.publish.review import fair_rows

    table = pd.DataFrame({"file": ["a"] * 100 + ["b"] * 3 + ["c"] * 50})
    kept = table[fair_rows(table, 30)]["file"].value_counts().to_dict()
    assert kept == {"a": 14, "b": 3, "c": 13} or kept == {"a": 13, "b": 3, "c": 14}
    assert fair_rows(table, 1000).all()


def test_any_table_too_big_for_the_styler_is_cut_with_a_sentence():
    import pandas as pd

    from helpers.publish import review

    table = pd.DataFrame({"a": range(3_000), "b": 1})
    with pd.option_context(
        "styler.render.max_elements", 2_000
    ):  # pandas' limit is 262,144 cells: the same cut, on a table quick to draw
        html = review.styled(table, "Bảng").to_html()
    assert "trim" not in html and "not-shown" in html and "3.000" in html and "1.000" in html
    assert html.count("<tr>") <= 1_001  # cut to what the limit allows (header row included)


# -- case 11: folders that are almost a year are named, with how to rename them ---------------


def test_near_miss_year_folders_are_found(tmp_path):
    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    for name in ("2017 ", "2017-bis", "Năm 2019", "２０２０", "2018", ".2016-old", "notes", "20170"):
        (paths.raw_root / name).mkdir(parents=True)
    (paths.raw_root / "2021.zip").write_bytes(b"")  # a file, not a folder
    found = {near.path.name: (near.year, near.has_year_folder) for near in paths.near_miss_year_folders()}
    assert found == {
        "2017 ": (2017, False),
        "2017-bis": (2017, False),
        "Năm 2019": (2019, False),
        "２０２０": (2020, False),
    }
    (paths.raw_root / "2017").mkdir()
    notes = {near.path.name: near.note for near in paths.near_miss_year_folders()}
    assert "'2017 '" in notes["2017 "] and "chuyển các báo cáo trong đó sang thư mục kia" in notes["2017 "]
    assert "đổi tên thành '2019'" in notes["Năm 2019"]
    assert paths.available_years() == [2017, 2018]


def test_running_a_year_whose_folder_has_a_trailing_space_names_that_folder(tmp_path):
    from conftest import run_cli

    data = tmp_path / "data"
    (data / "raw" / "2017 ").mkdir(parents=True)
    (data / "raw" / "2016-bis").mkdir()
    result = run_cli("run", "2017", "--data", str(data), "--reports", str(tmp_path / "reports"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    problem = next(line for line in result.stdout.splitlines() if line.startswith("  2017 ›"))
    assert "'2017 '" in problem and "đổi tên thành '2017'" in problem
    from helpers.messages import message

    notes = result.stdout.split(message("runner.notes", count=1), 1)[1]  # in the summary
    assert "'2016-bis'" in notes and "đổi tên thành '2016'" in notes


def test_run_all_names_near_miss_folders(tmp_path):
    from conftest import run_cli

    data = tmp_path / "data"
    (data / "raw" / "Năm 2017").mkdir(parents=True)
    result = run_cli("run", "--all", "--data", str(data), "--reports", str(tmp_path / "reports"))
    assert result.returncode == 2 and "'Năm 2017'" in result.stderr and "đổi tên thành '2017'" in result.stderr
    (data / "raw" / "2017").mkdir()
    (data / "raw" / "2017-bis").mkdir()
    result = run_cli("run", "--all", "--dry-run", "--data", str(data), "--reports", str(tmp_path / "reports"))
    assert result.returncode == 0
    assert "lưu ý: thư mục '2017-bis'" in result.stdout and "lưu ý: thư mục 'Năm 2017'" in result.stdout


# -- case 8: a write refused by the disk is one message, exit 1, the last good outputs untouched ----


def last_good_outputs(root: Path) -> tuple[Path, Path]:
    """A data root with the 2017 sample returns and a last good build of 2017 (made up, small)."""
    import shutil

    from conftest import SAMPLE_RAW

    data, reports = root / "data", root / "reports"
    shutil.copytree(SAMPLE_RAW / "2017", data / "raw" / "2017")
    (data / "processed" / "2017").mkdir(parents=True)
    shutil.copy(
        Path(__file__).parent / "golden" / "2017" / "indicators.csv", data / "processed" / "2017" / "indicators.csv"
    )
    (data / "processed" / "2017" / "rejects.csv").write_text(
        "file,sheet,row,column,value,reason\nold,,,,,\n", encoding="utf-8"
    )
    (reports / "2017" / "figures").mkdir(parents=True)
    (reports / "2017" / "review.html").write_text("<p>the last good review</p>", encoding="utf-8")
    (reports / "2017" / "indicators.xlsx").write_bytes(b"PK old workbook")
    return data, reports


def snapshot(*folders: Path) -> dict[str, bytes]:
    """Every file under ``folders`` with its bytes (to see that nothing changed and nothing was added)."""
    return {
        str(p): p.read_bytes()
        for folder in folders
        if folder.exists()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def refuse_writes(monkeypatch, folder: Path, code: int) -> None:
    """Make every write under ``folder`` fail with errno ``code``, as a read-only folder or full disk does.

    Works as root too (where ``chmod`` would not stop a write). A file opened
    for writing is created empty before the error, as on a full disk.
    """
    import builtins
    import errno as errno_
    import io

    inside = lambda path: isinstance(path, (str, os.PathLike)) and Path(os.path.abspath(path)).is_relative_to(folder)  # noqa: E731
    refused = lambda path: OSError(code, os.strerror(code), os.fspath(path))  # noqa: E731
    real_open, real_os_open, real_mkdir, real_replace = builtins.open, os.open, os.mkdir, os.replace

    def fake_open(file, mode="r", *args, **kwargs):
        if inside(file) and any(c in mode for c in "wax+"):
            if code == errno_.ENOSPC:
                real_open(file, mode, *args, **kwargs).close()
            raise refused(file)
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path, flags, *args, **kwargs):
        if inside(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise refused(path)
        return real_os_open(path, flags, *args, **kwargs)

    def fake_mkdir(path, *args, **kwargs):
        if inside(path):
            raise refused(path)
        return real_mkdir(path, *args, **kwargs)

    def fake_replace(source, target, *args, **kwargs):
        if inside(source) or inside(target):
            raise refused(target)
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)
    monkeypatch.setattr(os, "replace", fake_replace)
    monkeypatch.setattr(os, "rename", fake_replace)


@pytest.mark.parametrize(
    ("code", "words"),
    [(13, "faults.no_permission"), (30, "faults.read_only_disk"), (28, "faults.disk_full")],
    ids=["read-only folder", "read-only disk", "disk full"],
)
def test_a_reports_folder_that_refuses_writes_gives_one_message(tmp_path, monkeypatch, capsys, code, words):
    from helpers.pipeline.cli import main

    data, reports = last_good_outputs(tmp_path)
    before = snapshot(data / "processed", reports)
    refuse_writes(monkeypatch, reports, code)
    assert main(["run", "2017", "-j", "1", "--data", str(data), "--reports", str(reports)]) == 1
    out, err = capsys.readouterr()
    messages = [line for line in err.splitlines() if line.strip()]
    assert len(messages) == 1 and messages[0].startswith(f"coop-review: {reports}: {message(words)} — ")
    assert message(f"{words}_action") in messages[0] and "các kết quả tốt gần nhất được giữ nguyên" in messages[0]
    assert "Traceback" not in out + err and "kernel" not in out + err
    monkeypatch.undo()
    assert snapshot(data / "processed", reports) == before  # nothing changed, nothing added, no empty file
    assert not list((data / "processed").glob(".build-*"))


def fake_stages(monkeypatch, change: dict[str, str]):
    """Replace the stage runs by writing ``change`` (file → text) into the staging folders, as a real run would."""
    from helpers.pipeline import tasks as stage_tasks

    def run_tasks(tasks, *_args, **_kwargs):
        results = []
        for task in tasks:
            paths = ProjectPaths(Path(task.data_root), Path(task.reports_root), task.build_id)
            for name, text in change.items():
                root = paths.staging_processed(task.year) if name.endswith(".csv") else paths.staging_reports(task.year)
                (root / name).write_text(text, encoding="utf-8")
            results.append(stage_tasks.StageResult(task.year, seconds={s: 0.0 for s in task.stages}))
        return results

    monkeypatch.setattr(stage_tasks, "run_tasks", run_tasks)


def hold_open(monkeypatch, held: Path, times: int | None = None) -> list[tuple[str, str]]:
    """Refuse, as Windows does while Excel has a file of it open, to move ``held`` (``times`` times, or always)."""
    from helpers import faults

    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def fake_replace(source, target):
        calls.append((os.fspath(source), os.fspath(target)))
        refused = [c for c in calls if c[0] == os.fspath(held)]
        if os.fspath(source) == os.fspath(held) and (times is None or len(refused) <= times):
            raise PermissionError(
                13, "The process cannot access the file because it is being used by another process", os.fspath(source)
            )
        return real_replace(source, target)

    monkeypatch.setattr(faults.os, "replace", fake_replace)
    monkeypatch.setattr(faults, "REPLACE_WAIT", 0)
    return calls


def test_a_year_folder_held_open_in_excel_is_named_and_the_last_good_outputs_stay_whole(tmp_path, monkeypatch, capsys):
    from helpers import faults
    from helpers.pipeline.cli import main

    data, reports = last_good_outputs(tmp_path)
    before = snapshot(data / "processed", reports)
    fake_stages(
        monkeypatch, {"rejects.csv": "file,sheet,row,column,value,reason\nnew,,,,,\n", "review.html": "<p>new</p>"}
    )
    calls = hold_open(monkeypatch, reports / "2017")
    monkeypatch.setattr(faults, "IS_WINDOWS", True)
    workbook = reports / "2017" / "indicators.xlsx"
    monkeypatch.setattr(faults, "locked_files", lambda folder: [workbook] if folder == reports / "2017" else [])
    assert main(["run", "2017", "-j", "1", "--data", str(data), "--reports", str(reports)]) == 1
    err = capsys.readouterr().err
    assert err.count("coop-review:") == 1 and f"{workbook}: {message('faults.held_open')}" in err
    assert message("faults.held_open_action") in err and "Traceback" not in err
    assert (
        len([c for c in calls if c[0] == str(reports / "2017")]) == faults.REPLACE_ATTEMPTS
    )  # tried again, then gave up
    # the processed folder had already been swapped: it was swapped back, so the year is whole and old
    assert snapshot(data / "processed", reports) == before
    assert not [p for p in (data / "processed").iterdir() if p.name.startswith((".old-", ".build-"))]


def test_a_file_closed_while_the_run_waits_is_replaced(tmp_path, monkeypatch, capsys):
    from helpers.pipeline.cli import main

    data, reports = last_good_outputs(tmp_path)
    fake_stages(
        monkeypatch, {"rejects.csv": "file,sheet,row,column,value,reason\nnew,,,,,\n", "review.html": "<p>new</p>"}
    )
    calls = hold_open(monkeypatch, reports / "2017", times=2)  # closed after the second refusal
    assert main(["run", "2017", "-j", "1", "--data", str(data), "--reports", str(reports)]) == 0
    assert len([c for c in calls if c[0] == str(reports / "2017")]) == 3
    assert (reports / "2017" / "review.html").read_text(encoding="utf-8") == "<p>new</p>"
    assert "new" in (data / "processed" / "2017" / "rejects.csv").read_text(encoding="utf-8")


SITECUSTOMIZE = '''
"""Test fault injection: writes to a path matching $FAKE_FULL_DISK fail as on a full disk (the file is made empty)."""
import builtins, errno, io, os, re

_rx = re.compile(os.environ["FAKE_FULL_DISK"]) if os.environ.get("FAKE_FULL_DISK") else None
if _rx:
    _open, _os_open = builtins.open, os.open

    def _full(path):
        return isinstance(path, (str, os.PathLike)) and _rx.search(os.fspath(path).replace(os.sep, "/"))

    def _fake_open(file, mode="r", *args, **kwargs):
        if _full(file) and any(c in mode for c in "wax+"):
            _open(file, mode, *args, **kwargs).close()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return _open(file, mode, *args, **kwargs)

    def _fake_os_open(path, flags, *args, **kwargs):
        if _full(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            os.close(_os_open(path, flags, *args, **kwargs))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return _os_open(path, flags, *args, **kwargs)

    builtins.open = io.open = _fake_open
    os.open = _fake_os_open
'''


@pytest.mark.slow
@pytest.mark.parametrize(
    ("full", "named"),
    [
        (r"\.build-[^/]+/2018/figures/\.fig[^/]*\.part$", "reports/2018/figures/fig"),
        (r"\.build-[^/]+/2018/04_render_review\.ipynb$", "reports/2018/04_render_review.ipynb"),
    ],
    ids=["a figure, in the kernel", "the executed notebook, in the runner"],
)
def test_a_full_disk_during_stage_4_is_said_so(built_copy, tmp_path, full, named):
    import subprocess
    import sys

    from test_robustness import no_partial_files, outputs

    (built_copy / "reports" / "2018" / "review.html").unlink()  # stage 4 of 2018 will run, alone
    (
        built_copy / "reports" / "2018" / "04_render_review.ipynb"
    ).unlink()  # (not copied to staging: the fault hits papermill's write)
    before = outputs(built_copy, 2018)
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = os.environ | {"PYTHONPATH": str(inject), "FAKE_FULL_DISK": full}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.pipeline.cli",
            "run",
            "2018",
            "-j",
            "1",
            "--data",
            str(built_copy / "data"),
            "--reports",
            str(built_copy / "reports"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    from helpers.pipeline.stages import STAGES

    assert (
        message("runner.stage_start", year=2018, number=4, count=4, stage=STAGES[3].label()) in result.stdout
    )  # the fault came in stage 4
    messages = [line for line in result.stderr.splitlines() if line.strip()]
    full_disk = f"{message('faults.disk_full')} — {message('faults.disk_full_action')}"
    assert len(messages) == 1 and full_disk in messages[0], result.stderr
    assert named in messages[0].replace(os.sep, "/") and ".build-" not in messages[0]
    did_not_start = message("runner.kernel_did_not_start", error="", log="").partition("(")[0]
    assert did_not_start not in result.stdout + result.stderr and "Traceback" not in result.stdout + result.stderr
    assert outputs(built_copy, 2018) == before
    assert no_partial_files(built_copy) == []
    assert not (built_copy / "reports" / ".failed-2018").exists()  # nothing to show there: no empty notebooks
    assert not list((built_copy / "reports").glob(".build-*")) and not list(
        (built_copy / "data" / "processed").glob(".build-*")
    )


def test_a_failed_stage_keeps_no_empty_file(tmp_path):
    from helpers.pipeline.staging import keep_failed

    staged = tmp_path / "staged"
    (staged / "logs").mkdir(parents=True)
    (staged / "01_clean_returns.ipynb").write_text("{}", encoding="utf-8")
    (staged / "04_render_review.ipynb").write_bytes(b"")  # truncated by a full disk
    (staged / "logs" / "04_render_review.kernel.log").write_bytes(b"")
    keep_failed(staged, tmp_path / ".failed-2017")
    kept = sorted(
        p.relative_to(tmp_path / ".failed-2017").as_posix()
        for p in (tmp_path / ".failed-2017").rglob("*")
        if p.is_file()
    )
    assert kept == ["01_clean_returns.ipynb"] and not (tmp_path / ".failed-2017.part").exists()


def test_a_write_failure_inside_a_notebook_cell_is_recognised():
    from helpers.faults import from_cell_error

    failure = from_cell_error(
        "WriteFailure",
        f"/r/.build-1-2/2017/figures/a.png: {message('faults.disk_full', 'en')} — "
        f"{message('faults.disk_full_action', 'en')}",
    )
    assert failure.where == "/r/.build-1-2/2017/figures/a.png" and failure.problem == message("faults.disk_full", "en")
    failure = from_cell_error("OSError", "[Errno 28] No space left on device: '/d/processed/.cache/returns'")
    assert failure.where == "/d/processed/.cache/returns" and failure.problem == message("faults.disk_full")
    assert from_cell_error("OSError", "[Errno 2] No such file or directory: 'x'") is None
    assert from_cell_error("ValueError", "[Errno 28] in a message") is None


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(
    "code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO], ids=["disk full", "read-only", "held open", "other"]
)
def test_a_write_failure_in_a_cell_is_recognised_by_its_form_in_either_language(monkeypatch, lang, code):
    """The kernel raises the message in Vietnamese (the default): it comes back whole, with a Windows path."""
    from helpers import faults

    monkeypatch.setattr(faults, "IS_WINDOWS", True)
    raised = faults.describe(code, r"C:\Users\an\reports\2017\indicators.xlsx", lang)
    failure = faults.from_cell_error("WriteFailure", str(raised))
    assert (failure.where, failure.problem, failure.action) == (raised.where, raised.problem, raised.action)


def test_write_failures_are_vietnamese_by_default_and_no_text_holds_the_separator():
    """``where: problem — action`` is split at the first `` — ``: a catalogue text holding one would cut it wrongly."""
    from helpers.faults import describe
    from helpers.messages import LANGUAGES, catalogue

    keys = [key for key in catalogue() if key.startswith("faults.")]
    assert len(keys) >= 10
    assert [(key, lang) for key in keys for lang in LANGUAGES if " — " in catalogue()[key][lang]] == []
    failure = describe(errno.ENOSPC, "/r/2017")
    assert failure.problem == message("faults.disk_full") == "không ghi được: ổ đĩa đã đầy"
    assert describe(errno.ENOSPC, "/r/2017", "en").problem == "cannot write: the disk is full"


def test_a_full_disk_in_a_cell_on_windows_is_recognised_whatever_the_system_language():
    """Windows says ``[WinError 112]`` in its own language, and Python doubles the backslashes of the file it names."""
    from helpers.faults import from_cell_error

    failure = from_cell_error("OSError", "[WinError 112] Không đủ dung lượng trên đĩa: 'C:\\\\Users\\\\an\\\\a.png'")
    assert failure.where == r"C:\Users\an\a.png" and failure.problem == message("faults.disk_full")
    text = str(OSError(errno.ENOSPC, "Hết dung lượng", r"D:\báo cáo\x.csv"))
    assert from_cell_error("OSError", text).where == r"D:\báo cáo\x.csv"
    assert from_cell_error("OSError", "[WinError 5] Truy cập bị từ chối: 'C:\\\\x'") is None  # maybe a read


# -- case 9: worker processes end when the main process dies, whatever kills it ---------------


def wait_until(condition, what: str, deadline: float = 120):
    """Poll ``condition`` until it holds; the deadline only bounds a failure (a loaded machine just takes longer)."""
    import time

    limit = time.monotonic() + deadline
    while time.monotonic() < limit:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def gone(process) -> bool:
    """A process has ended (a zombie nobody reaps has ended too)."""
    import psutil

    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def command_of(process) -> str:
    """The command line of a process ('' once it has ended)."""
    import psutil

    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def kill_all(processes) -> None:
    import contextlib

    import psutil

    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()


WORKER = """
import os, subprocess, sys, time
from helpers.pipeline.processes import watch_parent

watch_parent(os.getppid(), interval=0.05)
kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
with open(sys.argv[1] + ".part", "w") as handle:
    handle.write(f"{os.getpid()} {kernel.pid}")
os.replace(sys.argv[1] + ".part", sys.argv[1])
time.sleep(3600)
"""


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="kill -9 is POSIX")
def test_a_watched_worker_and_its_kernel_end_when_the_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys

    import psutil

    ready = tmp_path / "pids"
    main = "import subprocess, sys; subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]]).wait()"
    parent = subprocess.Popen([sys.executable, "-c", main, WORKER, str(ready)])
    try:
        wait_until(ready.is_file, "the worker started its kernel")
        worker, kernel = (psutil.Process(int(pid)) for pid in ready.read_text().split())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        wait_until(lambda: gone(worker) and gone(kernel), "the worker and its kernel ended")
    finally:
        parent.kill()
        kill_all(
            [
                p
                for p in psutil.process_iter()
                if p.pid in {int(x) for x in (ready.read_text().split() if ready.is_file() else [])}
            ]
        )


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "killpg"), reason="kill -9 is POSIX")
def test_kill_9_of_a_parallel_run_leaves_no_process_behind(built_copy):
    import shutil
    import signal
    import subprocess
    import sys
    import tempfile

    import psutil

    # the run's temporary folders (its kernels' logs and IPC sockets), in a folder of their own;
    # a short path: a socket's path must fit in about 100 characters, which tmp_path may not leave
    temporary = Path(tempfile.mkdtemp(prefix="k9-"))
    command = [
        sys.executable,
        "-m",
        "helpers.pipeline.cli",
        "run",
        "2017",
        "2018",
        "--force",
        "-j",
        "2",
        "--data",
        str(built_copy / "data"),
        "--reports",
        str(built_copy / "reports"),
    ]
    run = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ | {"TMPDIR": str(temporary)}
    )
    main = psutil.Process(run.pid)
    seen: list[psutil.Process] = []
    try:

        def two_workers_with_kernels() -> bool:
            # the workers are the run's own children; a process caught between fork and exec still shows its
            # parent's command line, so a kernel being launched by a worker may look like a worker: count children only
            try:
                seen[:] = main.children(recursive=True)
                workers = [p for p in main.children() if "spawn_main" in command_of(p)]
                return len(workers) == 2 and all(
                    any("ipykernel" in command_of(k) for k in w.children()) for w in workers
                )
            except psutil.Error:
                return False

        wait_until(two_workers_with_kernels, "exactly two workers, each running a stage in a kernel")
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        wait_until(lambda: all(gone(p) for p in seen), "every worker, kernel and helper of the killed run ended")
        wait_until(
            lambda: not list(temporary.glob("coop-review-kernel*")), "the workers removed their kernels' folders"
        )
    finally:
        run.kill()
        kill_all(seen)  # only if the test failed: do not leave them to the next test
        shutil.rmtree(temporary, ignore_errors=True)


def test_a_permission_error_in_a_cell_is_not_taken_for_a_write_failure():
    from helpers.faults import from_cell_error

    assert (
        from_cell_error("PermissionError", "[Errno 13] Permission denied: '/d/raw/2017/HND.xlsx'") is None
    )  # maybe a read


def test_rows_without_a_file_are_counted_when_a_table_is_cut():
    import pandas as pd

    from helpers.publish import review

    rejects = generated_rejects(600, 0)
    rejects.loc[:99, "file"] = None
    assert pd.isna(rejects.loc[0, "file"])
    shown = review.fair_rows(rejects, 500)
    assert shown.sum() == 500 and shown[:100].all()  # the 100 rows without a file are shown, 400 of the others
    table = review.rejects_table(year_data(rejects))
    assert len(table) == 500 and table.attrs[review.NOT_SHOWN].endswith("activities/HND.xlsx 100.")
