"""The Windows choices, forced on Linux: kernel transport, process liveness, files held open, paths."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import faults
from helpers.errors import ParameterError, WriteFailure
from helpers.messages import message
from helpers.pipeline import kernels, processes

SRC = Path(__file__).parents[1] / "src" / "helpers"


# -- kernel transport ----------------------------------------------------------------------------


def test_the_transport_is_what_the_platform_has(monkeypatch):
    import zmq

    monkeypatch.delenv(kernels.TRANSPORT_ENV, raising=False)
    assert kernels.choose_transport(platform="win32") == "tcp"  # pyzmq's Windows wheels have no IPC
    monkeypatch.setattr(zmq, "has", lambda capability: False)
    assert kernels.choose_transport(platform="linux") == "tcp"
    monkeypatch.setattr(zmq, "has", lambda capability: capability == "ipc")
    assert kernels.choose_transport(platform="linux") == "ipc"


def test_the_transport_can_be_forced(monkeypatch):
    monkeypatch.setenv(kernels.TRANSPORT_ENV, "TCP")
    assert kernels.choose_transport(platform="linux") == "tcp"
    assert kernels.choose_transport("ipc", platform="linux") == "ipc"  # the parameter wins
    with pytest.raises(
        ParameterError, match=re.escape(message("runner.kernel_transport_no_ipc", variable=kernels.TRANSPORT_ENV))
    ):
        kernels.choose_transport("ipc", platform="win32")
    monkeypatch.setenv(kernels.TRANSPORT_ENV, "udp")
    unknown = message(
        "runner.kernel_transport_unknown", value="udp", variable=kernels.TRANSPORT_ENV, choices="ipc, tcp"
    )
    with pytest.raises(ParameterError, match=re.escape(unknown)):
        kernels.choose_transport(platform="linux")


class FakePapermill:
    """Stands for ``papermill.execute_notebook``: fails with the given errors, in turn, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.managers: list = []

    def __call__(self, source, output, **kwargs):
        self.managers.append(kwargs["kernel_manager_class"]())
        if self.errors:
            raise self.errors.pop(0)


@pytest.fixture
def fake_papermill(monkeypatch):
    import papermill

    def install(*errors: Exception) -> FakePapermill:
        fake = FakePapermill(*errors)
        monkeypatch.setattr(papermill, "execute_notebook", fake)
        monkeypatch.setattr(kernels, "RETRY_WAIT", 0)
        return fake

    return install


def execute(tmp_path: Path, transport: str = "tcp") -> None:
    kernels.execute_notebook(
        tmp_path / "in.ipynb", tmp_path / "out" / "out.ipynb", {}, tmp_path / "logs" / "k.log", transport, tmp_path
    )


def test_a_tcp_kernel_that_lost_a_port_race_is_started_again(tmp_path, fake_papermill):
    fake = fake_papermill(
        RuntimeError("Kernel died before replying to kernel_info (zmq.error.ZMQError: Address already in use)")
    )
    execute(tmp_path)
    assert len(fake.managers) == 2  # once more, with new ports
    assert all(m.transport == "tcp" and m.ip == "127.0.0.1" for m in fake.managers)


def test_a_kernel_that_never_starts_is_said_so_after_the_retries(tmp_path, fake_papermill):
    fake = fake_papermill(*[RuntimeError("Kernel died before replying to kernel_info")] * 10)
    with pytest.raises(RuntimeError) as raised:
        execute(tmp_path)
    error = "RuntimeError: Kernel died before replying to kernel_info"
    assert str(raised.value).startswith(message("runner.kernel_did_not_start", error=error, log="").removesuffix(" "))
    assert len(fake.managers) == kernels.START_ATTEMPTS["tcp"]


def test_a_kernel_that_died_on_a_full_disk_is_a_full_disk(tmp_path, fake_papermill, monkeypatch):
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(kernels.shutil, "disk_usage", lambda path: usage(10 << 30, 10 << 30, 4096))
    fake = fake_papermill(RuntimeError("Kernel died before replying to kernel_info"))
    with pytest.raises(WriteFailure, match=message("faults.disk_full")):
        execute(tmp_path, "ipc")
    assert len(fake.managers) == 1  # no retry: it would fail the same way


def test_saving_the_executed_notebook_on_a_full_disk_is_not_a_kernel_failure(tmp_path, fake_papermill):
    import errno

    fake = fake_papermill(OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(WriteFailure) as raised:
        execute(tmp_path)
    assert raised.value.where == str(tmp_path / "out" / "out.ipynb") and raised.value.problem == message(
        "faults.disk_full"
    )
    assert len(fake.managers) == 1


@pytest.mark.slow
def test_a_real_stage_runs_over_tcp(built_review, tmp_path):
    import shutil

    root, result = built_review
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.copytree(root, tmp_path / "copy", symlinks=True)
    reports = tmp_path / "copy" / "reports"
    (reports / "2018" / "review.html").unlink()  # stage 4 of 2018 runs
    env = os.environ | {kernels.TRANSPORT_ENV: "tcp"}
    run = subprocess.run(
        [sys.executable, "-m", "helpers.pipeline.cli", "run", "2018",
         "--data", str(tmp_path / "copy" / "data"), "--reports", str(reports)],
        capture_output=True, text=True, timeout=900, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    from helpers.pipeline.stages import STAGES

    assert f"4/4 {STAGES[3].label()} xong sau" in run.stdout and (reports / "2018" / "review.html").is_file()
    log = (reports / "2018" / "logs" / "04_render_review.kernel.log").read_text(encoding="utf-8")
    assert log.startswith("coop-review: kernel transport tcp 127.0.0.1")


# -- process liveness ------------------------------------------------------------------------------


@pytest.fixture
def windows_liveness(monkeypatch):
    """The Windows case: ``os.kill(pid, 0)`` must never be called (there it sends Ctrl-C)."""

    def refuse(*args):
        raise AssertionError("os.kill called to test a process: on Windows that sends Ctrl-C")

    monkeypatch.setattr(os, "kill", refuse)
    monkeypatch.setattr(sys, "platform", "win32")


def test_liveness_without_signals(windows_liveness):
    assert processes.is_running(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        assert processes.is_running(child.pid)
    finally:
        child.communicate(b"")  # it ends, and is reaped
    assert not processes.is_running(child.pid)
    assert not processes.is_running(0) and not processes.is_running(-1)


@pytest.mark.skipif(os.name == "nt", reason="zombies are POSIX")
def test_an_ended_child_not_yet_reaped_is_not_running(windows_liveness):
    import time

    import psutil

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        # it has ended once it is a zombie (we have not reaped it): wait for that state
        deadline = time.monotonic() + 120  # bounds a failure only
        while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not processes.is_running(child.pid)
    finally:
        child.wait()


def test_a_build_whose_pid_was_reused_is_not_running(windows_liveness):
    import time

    import psutil

    me = os.getpid()
    assert processes.build_is_running(f"{me}-{int(time.time())}")
    parent = os.getppid()
    assert processes.build_is_running(f"{parent}-{int(time.time())}")  # started after its process: its own
    assert not processes.build_is_running(
        f"{parent}-{int(psutil.Process(parent).create_time()) - 3600}"
    )  # an older run: the pid was reused
    assert not processes.build_is_running("x-1")


def test_recovery_drops_only_the_builds_of_runs_that_are_gone(tmp_path, windows_liveness):
    import time

    import psutil

    from helpers.paths import ProjectPaths
    from helpers.pipeline.staging import recover_interrupted_builds

    paths = ProjectPaths(tmp_path / "data", tmp_path / "reports")
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    parent = os.getppid()
    reused = f"{parent}-{int(psutil.Process(parent).create_time()) - 3600}"
    live = f"{parent}-{int(time.time())}"
    for build in (f"{child.pid}-{int(time.time())}", reused, live):
        (paths.processed_root / f".build-{build}" / "2017").mkdir(parents=True)
    (paths.reports_root / f".old-{child.pid}-1-2017").mkdir(parents=True)  # moved aside by a run killed mid-swap
    (paths.reports_root / f".old-{child.pid}-1-2017" / "review.html").write_text("last good", encoding="utf-8")
    notes = recover_interrupted_builds(paths)
    assert sorted(p.name for p in paths.processed_root.iterdir()) == [f".build-{live}"]
    assert (paths.reports_root / "2017" / "review.html").read_text(encoding="utf-8") == "last good"
    assert len(notes) == 3


def test_no_source_tests_a_process_with_os_kill():
    for path in SRC.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "kill":
                assert not (isinstance(node.func.value, ast.Name) and node.func.value.id == "os"), (
                    f"{path.name}:{node.lineno}: use helpers.pipeline.processes"
                )


# -- a file held open in Excel ---------------------------------------------------------------------


def refuse_replace(monkeypatch, times: int | None) -> list[str]:
    """``os.replace`` refused as on Windows while Excel holds the target (``times`` times, or always)."""
    calls: list[str] = []
    real = os.replace

    def fake(source, target):
        calls.append(os.fspath(target))
        if times is None or len(calls) <= times:
            raise PermissionError(
                13, "The process cannot access the file because it is being used by another process", os.fspath(target)
            )
        return real(source, target)

    monkeypatch.setattr(faults.os, "replace", fake)
    monkeypatch.setattr(faults, "REPLACE_WAIT", 0)
    return calls


def test_an_output_held_open_in_excel_is_named_and_left_as_it_was(tmp_path, monkeypatch):
    import pandas as pd

    from helpers.outputs import write_csv

    target = tmp_path / "rejects.csv"
    target.write_text("the last good table\n", encoding="utf-8")
    monkeypatch.setattr(faults, "IS_WINDOWS", True)
    calls = refuse_replace(monkeypatch, None)
    with pytest.raises(WriteFailure) as raised:
        write_csv(pd.DataFrame({"a": [1]}), target)
    assert str(raised.value).startswith(f"{target}: {message('faults.held_open')} — ")
    assert message("faults.held_open_action") in str(raised.value) and "Excel" in message("faults.held_open_action")
    assert len(calls) == faults.REPLACE_ATTEMPTS
    assert target.read_text(encoding="utf-8") == "the last good table\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rejects.csv"]  # no temporary file left


def test_an_output_closed_while_the_write_waits_is_written(tmp_path, monkeypatch):
    from helpers.outputs import write_text

    target = tmp_path / "index.html"
    target.write_text("old", encoding="utf-8")
    calls = refuse_replace(monkeypatch, 2)  # Excel lets go after two refusals
    write_text("new", target)
    assert len(calls) == 3 and target.read_text(encoding="utf-8") == "new"


def test_the_locked_file_in_a_folder_is_found(tmp_path, monkeypatch):
    (tmp_path / "2017" / "figures").mkdir(parents=True)
    for name in ("review.html", "indicators.xlsx", "figures/a.png"):
        (tmp_path / "2017" / name).write_bytes(b"x")
    assert faults.locked_files(tmp_path / "2017") == []  # not Windows: nothing holds a file
    monkeypatch.setattr(faults, "IS_WINDOWS", True)
    real_open = Path.open

    def excel_holds(self, mode="r", *args, **kwargs):
        if self.name == "indicators.xlsx" and "+" in mode:  # Excel lets others read, not write
            raise PermissionError(13, "being used by another process", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", excel_holds)
    assert faults.locked_files(tmp_path / "2017") == [tmp_path / "2017" / "indicators.xlsx"]
    assert (tmp_path / "2017" / "indicators.xlsx").read_bytes() == b"x"  # looked at, not changed


def test_on_posix_a_refused_write_speaks_of_permissions(monkeypatch):
    import errno

    monkeypatch.setattr(faults, "IS_WINDOWS", False)
    failure = faults.describe(errno.EACCES, "/r/2017")
    assert failure.problem == message("faults.no_permission") and "Excel" not in str(failure)


# -- paths -----------------------------------------------------------------------------------------

PATH_CALLS = {
    "Path",
    "PurePath",
    "open",
    "mkdir",
    "makedirs",
    "join",
    "exists",
    "is_file",
    "is_dir",
    "rmtree",
    "copytree",
    "replace",
    "rename",
}


def path_strings_with_slashes(source: str) -> list[int]:
    """Lines where a path is built from a string holding ``/``: ``Path(f"{root}/x")``, ``root / "a/b"``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        parts = []
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in PATH_CALLS:
                parts = node.args
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            parts = [node.right]
        for part in parts:
            texts = (
                [part.value]
                if isinstance(part, ast.Constant)
                else [v.value for v in getattr(part, "values", []) if isinstance(v, ast.Constant)]
            )
            if any(isinstance(t, str) and "/" in t for t in texts):
                found.append(node.lineno)
    return found


def test_paths_are_never_built_with_slash_strings():
    assert path_strings_with_slashes(
        'from pathlib import Path\nPath(f"{root}/raw")\nroot / "raw/2017"\nroot / "raw" / str(2017)\n'
    ) == [2, 3]
    offenders = {
        path.name: lines
        for path in SRC.glob("*.py")
        if (lines := path_strings_with_slashes(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
