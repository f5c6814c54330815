r"""Set up the project's environment and run a command in it, on Linux, macOS and Windows alike.

``make`` uses this script; where there is no ``make`` (Windows), call it directly::

    python scripts/bootstrap.py review     # runtime packages only, then: coop-review run --all
    python scripts/bootstrap.py test       # + the test tools, then: python -m pytest
    python scripts/bootstrap.py lab        # + JupyterLab, then: jupyter lab
    python scripts/bootstrap.py setup      # everything (tests and JupyterLab), run nothing
    python scripts/bootstrap.py python FILE.py   # run a script with the project's Python
    python scripts/bootstrap.py lock       # re-resolve requirements/lock.txt (needs the network)

(On Windows: ``py -3.11 scripts\bootstrap.py review``.) Arguments after the
command go to it: ``bootstrap.py test -m "not slow" tests``,
``bootstrap.py review --force``.

The environment is ``.venv/`` beside this folder: created with the Python that
runs this script, pip pinned, and the project installed (editable) with
``requirements/lock.txt`` as constraints, so every install resolves to the same
versions. ``.venv/coop-review-install.json`` records what was installed from
which ``pyproject.toml`` and lock; when either changes, ``.venv/`` is built
again from scratch so that it holds exactly the locked packages. Standard
library only, and no syntax newer than Python 3.7, so that an old Python gets
a clear message instead of a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "lock.txt"
STAMP_NAME = "coop-review-install.json"
MIN_PYTHON = (3, 11)

PIP_PIN = "pip==26.3"
"""The pip that installs the lock (and whose requirement-file parser tests/test_environment.py uses)."""
UV_PIN = "uv==0.13.8"
"""The resolver that wrote requirements/lock.txt (``lock`` only; never installed in .venv)."""
LOCK_ARGS = [
    "pip",
    "compile",
    "pyproject.toml",
    "--extra",
    "test",
    "--extra",
    "lab",
    "--universal",
    "--python-version",
    "3.11",
    "--output-file",
    "requirements/lock.txt",
]
"""``uv`` arguments that resolve the lock: every extra, every platform (Windows' pywinpty and colorama included)."""

EXTRAS = {"review": (), "python": (), "test": ("test",), "lab": ("lab",), "setup": ("test", "lab")}
"""Command → the optional dependency groups of pyproject.toml it needs."""


def scripts_dir(venv: Path, os_name: str = os.name) -> Path:
    """The folder of a virtual environment's programs: ``Scripts`` on Windows, ``bin`` elsewhere."""
    return venv / ("Scripts" if os_name == "nt" else "bin")


def venv_program(venv: Path, name: str, os_name: str = os.name) -> Path:
    """A program of the virtual environment (``python``, ``coop-review``, ``jupyter``), ``.exe`` on Windows."""
    return scripts_dir(venv, os_name) / (name + ".exe" if os_name == "nt" else name)


def fingerprint(root: Path = ROOT) -> str:
    """What the environment is built from: pyproject.toml, the lock and the pip pin (line ends ignored)."""
    digest = hashlib.sha256(PIP_PIN.encode())
    for name in ("pyproject.toml", "requirements/lock.txt"):
        digest.update(b"\0" + (root / name).read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def read_stamp(venv: Path) -> dict | None:
    """What :func:`ensure_environment` installed in ``venv`` (``None``: nothing recorded)."""
    try:
        return json.loads((venv / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def install_command(python: Path, extras: tuple) -> list:
    """The pip command that installs the project with ``extras``, every package pinned by the lock."""
    target = ".[{}]".format(",".join(sorted(extras))) if extras else "."
    return [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        str(LOCK),
        "-e",
        target,
    ]


def _call(command: list) -> None:
    print("+ " + " ".join(command), flush=True)
    code = subprocess.call(command, cwd=str(ROOT))
    if code != 0:
        raise SystemExit(f"coop-review bootstrap: this command failed (exit code {code}); see the messages above")


def ensure_environment(extras: tuple, venv: Path = VENV) -> Path:
    """Make ``venv`` hold the project with ``extras`` at the locked versions; return its Python."""
    python = venv_program(venv, "python")
    wanted = fingerprint()
    stamp = read_stamp(venv)
    kept_extras = []
    if venv.exists() and (stamp is None or stamp.get("fingerprint") != wanted or not python.exists()):
        print(
            f"coop-review bootstrap: {venv.name} was not built from this pyproject.toml and lock: building it again",
            flush=True,
        )
        kept_extras = (stamp or {}).get("extras", [])  # the same extras as before, at the new pins
        shutil.rmtree(venv)
        stamp = None
    if stamp is None:
        _call([sys.executable, "-m", "venv", str(venv)])
        _call([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PIP_PIN])
        stamp = {"fingerprint": wanted, "extras": kept_extras}
    have = set(stamp["extras"])
    if stamp.get("installed") and have >= set(extras):
        return python
    everything = tuple(sorted(have | set(extras)))
    _call(install_command(python, everything))
    stamp.update(extras=list(everything), installed=True)
    (venv / STAMP_NAME).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    return python


def lock() -> int:
    """Resolve requirements/lock.txt again with the pinned uv, in a throw-away environment under build/."""
    tools = ROOT / "build" / "lock-tools"
    uv = venv_program(tools, "uv")
    if not uv.exists():
        _call([sys.executable, "-m", "venv", str(tools)])
        _call(
            [
                str(venv_program(tools, "python")),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                UV_PIN,
            ]
        )
    return subprocess.call([str(uv), *LOCK_ARGS], cwd=str(ROOT))


LAB_OPENS_AT = "--LabApp.default_url=/lab/tree/notebooks"
"""JupyterLab opens with the file browser on ``notebooks/`` (the four stages and ``05_explore.ipynb``)."""


def environment(command: str) -> dict:
    """The environment of a command: for ``lab``, the kernels of ``.venv`` come before a user's own.

    ``.venv`` ships its ``python3`` kernel (ipykernel's, run by the Python that
    runs JupyterLab); ``JUPYTER_PREFER_ENV_PATH`` makes it win over a
    ``python3`` kernel another installation left in the user's Jupyter folder.
    """
    env = dict(os.environ)
    if command == "lab":
        env["JUPYTER_PREFER_ENV_PATH"] = "1"
    return env


def main(argv: list) -> int:
    """Run the command ``argv[0]`` (see the module's docstring) with its arguments, in the project's environment.

    Returns:
        The command's exit code; 2 for an unknown command (the usage is
        printed) or a Python older than the project needs.
    """
    if sys.version_info < MIN_PYTHON:
        print(
            "coop-review needs Python {}.{} or newer; this is {}".format(*MIN_PYTHON, sys.version.split()[0]),
            file=sys.stderr,
        )
        return 2
    if not argv or argv[0] not in (*EXTRAS, "lock"):
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "lock":
        return lock()
    python = ensure_environment(EXTRAS[command])
    programs = {
        "review": [str(venv_program(VENV, "coop-review")), "run", "--all"],
        "test": [str(python), "-m", "pytest"],
        "lab": [str(venv_program(VENV, "jupyter")), "lab", "--notebook-dir=" + str(ROOT), LAB_OPENS_AT],
        "python": [str(python)],
        "setup": None,
    }
    if programs[command] is None:
        return 0
    try:
        return subprocess.call(programs[command] + rest, cwd=str(ROOT), env=environment(command))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
