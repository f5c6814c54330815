"""Jupyter kernels for the stages: a transport the platform has, start-up retries, faults told apart.

* **Transport.** IPC sockets in a private folder where the platform has them
  (Linux, macOS): parallel workers cannot race for a TCP port. On Windows
  pyzmq has no IPC, so kernels talk over TCP on 127.0.0.1; the ports are
  picked free just before the kernel binds them, so two workers can race for
  one, and a kernel that lost the race is started again (papermill #511,
  jupyter_client #487). The environment variable ``COOP_REVIEW_KERNEL_TRANSPORT``
  (``ipc`` or ``tcp``) or the ``transport`` parameter forces a choice (tests
  run the Windows choice on Linux).
* **Warm kernels.** A :class:`KernelPool` starts a stage's kernel ahead of
  need, while the previous stage runs, with the stack (pandas, matplotlib,
  the helpers) already imported by :func:`preload` — imports only, nothing
  in the notebook's namespace. Each kernel runs exactly one notebook and is
  then discarded, so no state passes from one stage to the next (papermill
  #326, #616: kernel *reuse* would share state; a fresh process per
  notebook does not). Plain processes, no fork: the same on Windows.
* **Faults.** A disk that refuses a write (full, read-only) is a
  :class:`~helpers.errors.WriteFailure`, never "the kernel did not start".

Why this module is long: the three parts share one kernel manager class and
one set of start-up options (transport, preload, history), and the runner
takes both the pool and :func:`execute_notebook` from here; apart, the pool
and the execution would import each other.
"""

from __future__ import annotations

import atexit
import errno
import importlib
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from helpers.errors import ParameterError, WriteFailure
from helpers.faults import describe, is_write_error, write_failure
from helpers.messages import message
from helpers.pipeline.processes import forget_when_orphaned, is_orphaned, remove_when_orphaned

TRANSPORT_ENV = "COOP_REVIEW_KERNEL_TRANSPORT"
TRANSPORTS = ("ipc", "tcp")
START_ATTEMPTS = {"ipc": 3, "tcp": 5}
"""Kernel start-ups tried per stage; TCP gets more (a lost port race is the usual cause)."""
RETRY_WAIT = 0.5
"""Seconds before the second start-up; each later one waits that much longer."""
MIN_FREE_BYTES = 1 << 20
"""A folder whose disk has less free space than this is full: a kernel that died there is a write failure."""
PRELOAD = ("pandas", "IPython.display")
"""Modules every warm kernel imports before it is given a notebook (a stage adds its own: ``Stage.preload``)."""
HISTORY_ARGUMENT = "--HistoryManager.hist_file=:memory:"
"""No IPython history database on disk (what nbclient passes to the kernels it starts itself)."""


def preload(modules: tuple[str, ...] = PRELOAD) -> None:
    """Import ``modules`` into a kernel that has no notebook yet (run by its start-up ``exec_lines``).

    ``module:function`` imports the module and calls ``function()`` (a
    warm-up, such as loading the figures' font). Only ``sys.modules`` and
    such caches change: the notebook's namespace stays empty, and its
    ``import`` lines find the modules loaded, as a second import would. A
    module that fails here fails again, with its traceback, in the cell that
    imports it.
    """
    for entry in modules:
        name, _, function = entry.partition(":")
        module = importlib.import_module(name)
        if function:
            getattr(module, function)()


def preload_argument(modules: tuple[str, ...] = PRELOAD) -> str:
    """The kernel option that runs :func:`preload` of ``modules`` as the kernel starts, before any request.

    IPython runs ``exec_lines`` without storing history (the first cell's
    execution count is still 1), and the one name it binds is deleted.
    """
    return (
        "--IPKernelApp.exec_lines=from helpers.pipeline.kernels import preload as _coop_preload; "
        f"_coop_preload({tuple(modules)!r}); del _coop_preload"
    )


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
        raise ParameterError(
            message(
                "runner.kernel_transport_unknown", value=value, variable=TRANSPORT_ENV, choices=", ".join(TRANSPORTS)
            )
        )
    if value == "ipc" and not ipc_available(platform):
        raise ParameterError(message("runner.kernel_transport_no_ipc", variable=TRANSPORT_ENV))
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


def _keep_log(text: bytes, kernel_log: Path, strict: bool) -> None:
    """Write a pooled kernel's log where the stage's log belongs.

    ``strict``: the notebook ran, so a refused write is the run's failure;
    otherwise the notebook's own error is the one to report, and a log that
    cannot be written is left out.
    """
    from helpers.faults import writing

    try:
        with writing(kernel_log):
            kernel_log.parent.mkdir(parents=True, exist_ok=True)
            kernel_log.write_bytes(text)
    except (WriteFailure, OSError):
        if strict:
            raise


def _runtime_dir() -> Path:
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir())


@dataclass
class WarmKernel:
    """A started kernel that has run no notebook: its manager, its socket folder (IPC) and its log."""

    manager: object
    socket_dir: Path | None
    log: Path


class KernelPool:
    """Kernels started ahead of need, each given to exactly one notebook and then discarded.

    One pool per process that runs stages (a worker, or the runner itself):
    :meth:`prestart` launches a kernel, which imports the stack in its own
    process while the current stage runs; :meth:`take` hands it out (or
    starts one now if none is waiting); :meth:`discard` ends a kernel that
    has run its notebook. Kernels left over are ended by :meth:`close` — at
    the end of a run, when the process exits, or by the worker's watchdog
    (:mod:`helpers.pipeline.processes`) if the run was killed; ipykernel's own parent
    poller ends them too.

    Args:
        transport: ``ipc`` or ``tcp`` (:func:`choose_transport`).
        cwd: the kernels' working folder.
    """

    def __init__(self, transport: str, cwd: Path) -> None:
        self.transport = transport
        self.cwd = cwd
        self.folder = Path(tempfile.mkdtemp(prefix="coop-review-kernels-"))
        remove_when_orphaned(self.folder)  # a worker whose run was killed removes it as it ends
        self._ready: deque[WarmKernel] = deque()
        self._count = 0
        self.started = 0  # kernels launched, for tests and the benchmark

    def _launch(self, modules: tuple[str, ...] = PRELOAD) -> WarmKernel:
        from jupyter_core.utils import run_sync

        if is_orphaned():  # the run is gone and this worker is ending: no new kernel, no new folder
            raise RuntimeError("the run that started this worker has ended")
        self._count += 1
        socket_dir = Path(tempfile.mkdtemp(prefix="coop-review-kernel-")) if self.transport == "ipc" else None
        if socket_dir is not None:
            remove_when_orphaned(socket_dir)
        log = self.folder / f"kernel-{self._count}.log"
        manager = kernel_manager_class(log, self.transport, socket_dir)(kernel_name="python3")
        try:
            run_sync(manager.start_kernel)(
                extra_arguments=[HISTORY_ARGUMENT, preload_argument(modules)], cwd=str(self.cwd)
            )
        except BaseException:
            if socket_dir is not None:
                shutil.rmtree(socket_dir, ignore_errors=True)
                forget_when_orphaned(socket_dir)
            raise
        self.started += 1
        return WarmKernel(manager, socket_dir, log)

    def prestart(self, modules: tuple[str, ...] = PRELOAD) -> None:
        """Launch one kernel for a later :meth:`take` (returns at once; the kernel imports ``modules`` on its own)."""
        self._ready.append(self._launch(modules))

    def keep_ahead(self, upcoming: list[tuple[str, ...]]) -> None:
        """Have a kernel started for each of the next notebooks, ``upcoming`` (what each preloads), in order."""
        for modules in upcoming[len(self._ready) :]:
            self.prestart(modules)

    def take(self, modules: tuple[str, ...] = PRELOAD) -> WarmKernel:
        """A started kernel for one notebook.

        Returns:
            One launched ahead (whatever it preloaded) that is still alive, or
            a new one preloading ``modules``.
        """
        from jupyter_core.utils import run_sync

        while self._ready:
            kernel = self._ready.popleft()
            if run_sync(kernel.manager.is_alive)():
                return kernel
            self.discard(kernel)  # died while waiting (a lost TCP port race): never hand it out
        return self._launch(modules)

    def discard(self, kernel: WarmKernel) -> bytes:
        """End a kernel (it never runs a second notebook); return what it wrote to its log."""
        from jupyter_core.utils import run_sync

        try:
            # its notebook is done and saved: no need to wait for a clean exit
            run_sync(kernel.manager.shutdown_kernel)(now=True)
        except RuntimeError:  # it was not running any more
            pass
        finally:
            if kernel.socket_dir is not None:
                shutil.rmtree(kernel.socket_dir, ignore_errors=True)
                forget_when_orphaned(kernel.socket_dir)
        try:
            text = kernel.log.read_bytes()
        except OSError:
            text = b""
        kernel.log.unlink(missing_ok=True)
        return text

    def close(self) -> None:
        """End the kernels that were started but not used."""
        while self._ready:
            self.discard(self._ready.popleft())
        shutil.rmtree(self.folder, ignore_errors=True)
        forget_when_orphaned(self.folder)


_pools: dict[tuple[str, str], KernelPool] = {}


def process_pool(transport: str, cwd: Path) -> KernelPool:
    """This process's :class:`KernelPool` for ``transport`` (made on first use, closed when the process exits)."""
    key = (transport, str(cwd))
    if key not in _pools:
        _pools[key] = KernelPool(transport, cwd)
        if not _pools_closed_at_exit:
            _close_pools_at_exit()
    return _pools[key]


_pools_closed_at_exit: list[bool] = []


def _close_pools_at_exit() -> None:
    import multiprocessing.util

    _pools_closed_at_exit.append(True)
    atexit.register(close_pools)
    # a worker of a process pool leaves through os._exit, which skips atexit: its finalizers still run
    multiprocessing.util.Finalize(None, close_pools, exitpriority=100)


def close_pools() -> None:
    """End every kernel started ahead of need by this process and not used."""
    while _pools:
        _, pool = _pools.popitem()
        pool.close()


def execute_notebook(
    source: Path,
    output: Path,
    parameters: dict,
    kernel_log: Path,
    transport: str,
    cwd: Path,
    pool: KernelPool | None = None,
    preload: tuple[str, ...] = PRELOAD,
    ahead: list[tuple[str, ...]] = (),
) -> None:
    """Run a notebook with papermill in a kernel of its own; start the kernel again if it did not come up.

    Without ``pool``, papermill starts a fresh kernel; with it, the notebook
    gets a warm kernel of the pool (one started ahead of need, the stack
    imported: ``preload`` if none was waiting), which is discarded
    afterwards; while it runs, the kernels of the next notebooks are started,
    one for each entry of ``ahead`` (the modules it preloads).

    Raises:
        PapermillExecutionError: a cell of the notebook raised.
        WriteFailure: the disk refused a write (the executed notebook, the
            kernel's connection file or sockets), including a kernel that died
            on a full disk.
        RuntimeError: the kernel did not start, every attempt.
    """
    attempts = START_ATTEMPTS[transport]
    for attempt in range(1, attempts + 1):
        failure = _run_once(source, output, parameters, kernel_log, transport, cwd, pool, preload, ahead)
        if failure is None:
            return
        full = full_disk([output.parent, kernel_log.parent, _runtime_dir(), Path(tempfile.gettempdir())])
        if full is not None:  # a kernel that cannot write its files dies: say why, not "did not start"
            raise describe(errno.ENOSPC, full) from None
        if attempt == attempts:
            error = f"{type(failure).__name__}: {failure}"
            raise RuntimeError(message("runner.kernel_did_not_start", error=error, log=kernel_log)) from None
        time.sleep(RETRY_WAIT * attempt)


def _run_once(
    source: Path,
    output: Path,
    parameters: dict,
    kernel_log: Path,
    transport: str,
    cwd: Path,
    pool: KernelPool | None,
    preload: tuple[str, ...],
    ahead: list[tuple[str, ...]],
) -> Exception | None:
    """One attempt of :func:`execute_notebook`: its arguments, the same meaning.

    Returns:
        ``None`` when the notebook ran; the error when its kernel did not
        come up (the caller decides whether to try again).

    Raises:
        PapermillExecutionError: a cell of the notebook raised.
        WriteFailure: the disk refused a write.
    """
    socket_dir = None
    kernel = None
    succeeded = False
    try:
        options = {}
        if pool is not None:
            kernel = pool.take(preload)
            options["km"] = kernel.manager  # papermill runs the notebook in it and leaves its shutdown to us
            pool.keep_ahead(list(ahead))
        elif transport == "ipc":
            socket_dir = Path(tempfile.mkdtemp(prefix="coop-review-kernel-"))
        import papermill  # after the kernel was launched: it boots while papermill (≈ 1 s the first time) is imported

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
            **options,
        )
        succeeded = True
        return None
    # (a cell's error, PapermillExecutionError, is neither OSError nor RuntimeError: it passes too)
    except WriteFailure:
        raise
    except OSError as error:
        if is_write_error(error):
            # no file named: the executed notebook being saved
            raise write_failure(error, error.filename or output) from None
        return error
    except (RuntimeError, TimeoutError) as error:  # the kernel did not come up (or lost a port race)
        return error
    finally:
        if socket_dir is not None:
            shutil.rmtree(socket_dir, ignore_errors=True)
        if kernel is not None:
            _keep_log(pool.discard(kernel), kernel_log, strict=succeeded)
