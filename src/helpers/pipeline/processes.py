"""Processes, portably: is a process alive, and worker processes that end with the run.

* Liveness goes through psutil, never ``os.kill(pid, 0)``: on Windows that
  call does not test a process, it sends it Ctrl-C.
* A worker process watches the process that started it and ends itself (and
  the Jupyter kernels it started) as soon as that one is gone, whatever killed
  it: ``kill -9``, the task manager, a crash. Nothing is left running, blocked.
"""

from __future__ import annotations

import os
import shutil
import threading

import psutil

WATCH_INTERVAL = 0.5
"""Seconds between two looks at the parent process from a worker."""
ORPHAN_EXIT_CODE = 70
"""Exit code of a worker that ended because the run that started it was gone."""


def is_running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie waiting to be reaped has exited)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # another user's process: it exists
        return True


def build_is_running(build_id: str) -> bool:
    """Whether the run that owns staging folders of ``build_id`` (``<pid>-<start time>``) is still running.

    A process that started after the build did is not its owner: the pid was
    reused, and the build's run is gone.
    """
    pid_text, _, started_text = build_id.partition("-")
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if not is_running(pid):
        return False
    if pid == os.getpid() or not started_text.isdigit():
        return True
    try:
        return psutil.Process(pid).create_time() <= int(started_text) + 1
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _same_process(pid: int, created: float) -> bool:
    try:
        process = psutil.Process(pid)
        return process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


_LEFT_BEHIND: set[str] = set()
"""Temporary folders of this process (its kernels' logs and sockets) that an orphaned worker removes as it ends."""


def remove_when_orphaned(folder: str | os.PathLike) -> None:
    """Have ``folder`` removed if this process ends because the run that started it is gone."""
    _LEFT_BEHIND.add(os.fspath(folder))


def forget_when_orphaned(folder: str | os.PathLike) -> None:
    """``folder`` was removed already: nothing to do for it any more."""
    _LEFT_BEHIND.discard(os.fspath(folder))


_orphaned = threading.Event()


def is_orphaned() -> bool:
    """Whether this process is ending because the run that started it is gone (start nothing new then)."""
    return _orphaned.is_set()


def _end_orphan() -> None:
    _orphaned.set()  # first: the main thread, seeing its kernels die, must not start others meanwhile
    end_children()
    for folder in list(_LEFT_BEHIND):
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(ORPHAN_EXIT_CODE)  # no cleanup to wait for: the run that would use our result is gone


def end_children() -> None:
    """Kill every process this one started (its Jupyter kernels), and their children."""
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            continue
    psutil.wait_procs(children, timeout=5)


def watch_parent(parent_pid: int, interval: float = WATCH_INTERVAL) -> threading.Thread:
    """Start a thread that ends this process as soon as ``parent_pid`` is gone (the initializer of a worker).

    The parent is known by its pid and its start time, so a new process that
    reuses the pid is not mistaken for it. On POSIX, being adopted by another
    process (``os.getppid()`` changes) also means the parent is gone.
    """
    try:
        created = psutil.Process(parent_pid).create_time()
    except psutil.NoSuchProcess:
        _end_orphan()
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(interval):
            if (os.name != "nt" and os.getppid() != parent_pid) or not _same_process(parent_pid, created):
                _end_orphan()

    thread = threading.Thread(target=watch, name="coop-review parent watchdog", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]  # for tests
    thread.start()
    return thread
