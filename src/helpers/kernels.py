"""Jupyter kernels for the stages: a transport the platform has, start-up retries, faults told apart.

* **Transport.** IPC sockets in a private folder where the platform has them
  (Linux, macOS): parallel workers cannot race for a TCP port. On Windows
  pyzmq has no IPC, so kernels talk over TCP on 127.0.0.1; the ports are
  picked free just before the kernel binds them, so two workers can race for
  one, and a kernel that lost the race is started again (papermill #511,
  jupyter_client #487). The environment variable ``COOP_REVIEW_KERNEL_TRANSPORT``
  (``ipc`` or ``tcp``) or the ``transport`` parameter forces a choice (tests
  run the Windows choice on Linux).
* **Faults.** A disk that refuses a write (full, read-only) is a
  :class:`~helpers.errors.WriteFailure`, never "the kernel did not start".
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from helpers.errors import ParameterError, WriteFailure
from helpers.faults import describe, is_write_error, write_failure

TRANSPORT_ENV = "COOP_REVIEW_KERNEL_TRANSPORT"
TRANSPORTS = ("ipc", "tcp")
START_ATTEMPTS = {"ipc": 3, "tcp": 5}
"""Kernel start-ups tried per stage; TCP gets more (a lost port race is the usual cause)."""
RETRY_WAIT = 0.5
"""Seconds before the second start-up; each later one waits that much longer."""
MIN_FREE_BYTES = 1 << 20
"""A folder whose disk has less free space than this is full: a kernel that died there is a write failure."""


def ipc_available(platform: str = sys.platform) -> bool:
    """Whether kernels can talk over IPC sockets here (never on Windows; elsewhere if pyzmq was built with them)."""
    if platform.startswith(("win", "cygwin")):
        return False
    import zmq

    return bool(zmq.has("ipc"))


def choose_transport(requested: str | None = None, platform: str = sys.platform) -> str:
    """The kernel transport: ``requested``, else ``$COOP_REVIEW_KERNEL_TRANSPORT``, else what the platform has.

    Raises:
        ParameterError: an unknown transport, or IPC where the platform has none.
    """
    value = (requested or os.environ.get(TRANSPORT_ENV) or "").strip().lower()
    if not value:
        return "ipc" if ipc_available(platform) else "tcp"
    if value not in TRANSPORTS:
        raise ParameterError(f"kernel transport '{value}' ({TRANSPORT_ENV}): choose one of {', '.join(TRANSPORTS)}")
    if value == "ipc" and not ipc_available(platform):
        raise ParameterError(f"kernel transport 'ipc' ({TRANSPORT_ENV}): this system has no IPC sockets — use tcp, or leave it unset")
    return value


def kernel_manager_class(log: Path, transport: str, socket_dir: Path | None) -> type:
    """A kernel manager class for one stage run.

    * The kernel talks over ``transport``: IPC sockets in ``socket_dir``, or
      TCP on 127.0.0.1.
    * The kernel's own output goes to ``log``, after a first line naming the
      transport: ipykernel's start-up notes and occasional zmq noise at
      shutdown are not for the analyst's terminal.
    """
    from jupyter_client.manager import AsyncKernelManager

    class StageKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = transport
            self.ip = str(socket_dir / "kernel") if transport == "ipc" else "127.0.0.1"

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("wb") as handle:
                handle.write(f"coop-review: kernel transport {self.transport} {self.ip}\n".encode())
                handle.flush()
                kw["stderr"] = handle
                kw["stdout"] = handle
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return StageKernelManager


def full_disk(folders: list[Path]) -> Path | None:
    """The first of ``folders`` whose disk is (nearly) full, if any."""
    for folder in folders:
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        try:
            if shutil.disk_usage(probe).free < MIN_FREE_BYTES:
                return folder
        except OSError:
            continue
    return None


def _runtime_dir() -> Path:
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir())


def execute_notebook(source: Path, output: Path, parameters: dict, kernel_log: Path, transport: str, cwd: Path) -> None:
    """Run a notebook with papermill in a fresh kernel; start the kernel again if it did not come up.

    Raises:
        PapermillExecutionError: a cell of the notebook raised.
        WriteFailure: the disk refused a write (the executed notebook, the
            kernel's connection file or sockets), including a kernel that died
            on a full disk.
        RuntimeError: the kernel did not start, every attempt.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    attempts = START_ATTEMPTS[transport]
    for attempt in range(1, attempts + 1):
        socket_dir = None
        try:
            if transport == "ipc":
                socket_dir = Path(tempfile.mkdtemp(prefix="coop-review-kernel-"))
            papermill.execute_notebook(
                str(source),
                str(output),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                cwd=str(cwd),
                log_output=False,
                # the executed notebook is written once at the end, not after every cell
                # (the review's grows to a megabyte of figures; it lives in staging anyway)
                request_save_on_cell_execute=False,
                kernel_manager_class=kernel_manager_class(kernel_log, transport, socket_dir),
            )
            return
        except (PapermillExecutionError, WriteFailure):
            raise
        except OSError as error:
            if is_write_error(error):
                raise write_failure(error, error.filename or output) from None  # no file named: the executed notebook being saved
            failure: Exception = error
        except (RuntimeError, TimeoutError) as error:  # the kernel did not come up (or lost a port race)
            failure = error
        finally:
            if socket_dir is not None:
                shutil.rmtree(socket_dir, ignore_errors=True)
        full = full_disk([output.parent, kernel_log.parent, _runtime_dir(), Path(tempfile.gettempdir())])
        if full is not None:  # a kernel that cannot write its files dies: say why, not "did not start"
            raise describe(errno.ENOSPC, full) from None
        if attempt == attempts:
            raise RuntimeError(f"the Jupyter kernel did not start ({type(failure).__name__}: {failure}); see {kernel_log}") from None
        time.sleep(RETRY_WAIT * attempt)
