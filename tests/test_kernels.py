"""Warm kernels: started ahead of need with the stack imported, one notebook each, nothing shared."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers.pipeline import kernels


def notebook(path: Path, *sources: str) -> Path:
    """A parameterized notebook of the given code cells (the first is the parameters cell)."""
    book = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('stage: str = ""  # a parameter')
    parameters.metadata["tags"] = ["parameters"]
    book.cells = [parameters, *(nbformat.v4.new_code_cell(source) for source in sources)]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, path)
    return path


SET = """
import os, sys, helpers
leak = "set by the first stage"
helpers.leaked_attribute = "set by the first stage"
os.environ["COOP_REVIEW_LEAK"] = "set by the first stage"
sys.modules["coop_review_leak"] = sys
print(os.getpid())
"""

LOOK = """
import json, os, sys, helpers
print(json.dumps({
    "pid": os.getpid(),
    "names": sorted(
        name for name in globals()
        if not name.startswith("_")
        and name not in ("In", "Out", "exit", "quit", "get_ipython", "json", "os", "sys", "helpers", "stage")
    ),
    "variable": "leak" in globals(),
    "attribute": hasattr(helpers, "leaked_attribute"),
    "environment": "COOP_REVIEW_LEAK" in os.environ,
    "module": "coop_review_leak" in sys.modules,
    "preloaded": "pandas" in sys.modules and "helpers.publish.review" in sys.modules,
}))
"""


def last_output(path: Path) -> str:
    book = nbformat.read(path, as_version=4)
    return "".join(output.get("text", "") for output in book.cells[-1].outputs).strip()


@pytest.fixture(params=["ipc", "tcp"])
def pool(request, tmp_path):
    if request.param == "ipc" and not kernels.ipc_available():
        pytest.skip("no IPC sockets on this system")
    pool = kernels.KernelPool(request.param, tmp_path)
    yield pool
    pool.close()


def test_a_variable_set_in_one_stage_is_not_visible_in_the_next(pool, tmp_path):
    first, second = notebook(tmp_path / "first.ipynb", SET), notebook(tmp_path / "second.ipynb", LOOK)
    log = tmp_path / "logs" / "first.kernel.log"
    kernels.execute_notebook(
        first,
        tmp_path / "out1.ipynb",
        {"stage": "1"},
        log,
        pool.transport,
        tmp_path,
        pool=pool,
        ahead=[("pandas", "helpers.publish.review")],
    )
    kernels.execute_notebook(
        second,
        tmp_path / "out2.ipynb",
        {"stage": "2"},
        tmp_path / "logs" / "second.kernel.log",
        pool.transport,
        tmp_path,
        pool=pool,
    )
    seen = json.loads(last_output(tmp_path / "out2.ipynb"))
    kernels.execute_notebook(
        second,
        tmp_path / "fresh.ipynb",
        {"stage": "2"},
        tmp_path / "logs" / "fresh.kernel.log",
        pool.transport,
        tmp_path,
    )
    fresh = json.loads(last_output(tmp_path / "fresh.ipynb"))
    assert int(last_output(tmp_path / "out1.ipynb")) != seen["pid"]  # a kernel of its own
    assert (
        not seen["variable"] and seen["names"] == fresh["names"]
    )  # the namespace of a fresh kernel: nothing of the first stage, nothing of the preload
    assert not seen["attribute"] and not seen["module"] and not seen["environment"]  # nor in modules or the environment
    assert seen["preloaded"]  # the stack was imported before the notebook came
    assert pool.started == 2 and not pool._ready  # one kernel each, the second started ahead of need
    assert log.read_text(encoding="utf-8").startswith(f"coop-review: kernel transport {pool.transport}")


def test_the_isolation_check_can_fail(tmp_path):
    """Two notebooks run in one kernel (what kernel reuse would do) are seen to share state."""
    import papermill

    first, second = notebook(tmp_path / "first.ipynb", SET), notebook(tmp_path / "second.ipynb", LOOK)
    shared = kernels.KernelPool(kernels.choose_transport(), tmp_path)
    kernel = shared.take()
    try:
        for source, out in ((first, "out1.ipynb"), (second, "out2.ipynb")):
            papermill.execute_notebook(
                str(source),
                str(tmp_path / out),
                parameters={},
                kernel_name="python3",
                progress_bar=False,
                km=kernel.manager,
            )
    finally:
        shared.discard(kernel)
        shared.close()
    seen = json.loads(last_output(tmp_path / "out2.ipynb"))
    assert seen["variable"] and seen["attribute"] and seen["environment"]


def test_the_first_cell_of_a_warm_kernel_is_execution_1_and_outputs_match_a_fresh_kernel(tmp_path):
    source = notebook(
        tmp_path / "nb.ipynb",
        "import pandas as pd\npd.DataFrame({'a': [1, 2]})",
        "print(sorted(k for k in globals() if not k.startswith('_')))",
    )
    pool = kernels.KernelPool(kernels.choose_transport(), tmp_path)
    try:
        kernels.execute_notebook(
            source, tmp_path / "warm.ipynb", {}, tmp_path / "warm.log", pool.transport, tmp_path, pool=pool
        )
    finally:
        pool.close()
    kernels.execute_notebook(source, tmp_path / "fresh.ipynb", {}, tmp_path / "fresh.log", pool.transport, tmp_path)

    def cells(path: Path) -> list:
        book = nbformat.read(path, as_version=4)
        return [(cell.get("execution_count"), cell.get("outputs")) for cell in book.cells if cell.cell_type == "code"]

    assert cells(tmp_path / "warm.ipynb") == cells(tmp_path / "fresh.ipynb")
    assert cells(tmp_path / "warm.ipynb")[0][0] == 1


def test_spare_kernels_end_with_the_pool(tmp_path):
    import psutil

    pool = kernels.KernelPool(kernels.choose_transport(), tmp_path)
    pool.prestart()
    kernel = pool._ready[0]
    process = psutil.Process(kernel.manager.provisioner.process.pid)
    pool.close()
    assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    assert not pool.folder.exists() and (kernel.socket_dir is None or not kernel.socket_dir.exists())


def test_a_kernel_that_died_while_waiting_is_not_handed_out(tmp_path):
    pool = kernels.KernelPool(kernels.choose_transport(), tmp_path)
    try:
        pool.prestart()
        dead = pool._ready[0]
        dead.manager.provisioner.process.kill()
        dead.manager.provisioner.process.wait()
        fresh = pool.take()
        assert fresh is not dead and pool.started == 2
        pool.discard(fresh)
    finally:
        pool.close()


def test_the_preload_binds_no_name_and_runs_warm_ups(monkeypatch):
    import sys
    import types

    calls = []
    module = types.ModuleType("coop_review_test_warm")
    module.warm = lambda: calls.append("warm")
    monkeypatch.setitem(sys.modules, "coop_review_test_warm", module)
    namespace: dict = {}
    exec(kernels.preload_argument(("json", "coop_review_test_warm:warm")).split("=", 1)[1], namespace)
    assert [name for name in namespace if name != "__builtins__"] == [] and calls == ["warm"]


def module_imported(package: str, name: str) -> str:
    """The module ``from package import name`` imports: ``package.name`` if that is a module, else ``package``."""
    import importlib.util

    try:
        return f"{package}.{name}" if importlib.util.find_spec(f"{package}.{name}") else package
    except ModuleNotFoundError:  # package is a module, name one of its objects
        return package


def test_every_stage_preloads_what_its_notebook_imports():
    """A stage's warm kernel imports every helpers module its notebook imports (a missed one would only be slower)."""
    import re

    from helpers.pipeline.stages import STAGES

    for stage in STAGES:
        source = "\n".join(
            "".join(cell.source) for cell in nbformat.read(stage.source, as_version=4).cells if cell.cell_type == "code"
        )
        imported = set()
        for package, names in re.findall(r"^from (helpers(?:\.\w+)*) import ([\w, ]+)", source, flags=re.M):
            for name in (name.strip() for name in names.split(",")):
                imported.add(module_imported(package, name))
        imported -= {"helpers.paths"}
        assert imported <= {entry.partition(":")[0] for entry in stage.kernel_preload}, stage.notebook
