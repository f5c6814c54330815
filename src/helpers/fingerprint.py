"""Content hashes: what a build, a cached parse or a revision is made from, as short text.

The build plan compares these to decide what to rebuild; the parse cache and
the revisions log use them to know when a read or a value is of other inputs.
They sit at the foundation so that no stage has to import the build.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path

CODE_DIR = Path(__file__).resolve().parent
"""The helper code: every file of it is part of :func:`code_hash`."""
LIBRARIES = ("pandas", "matplotlib", "papermill", "nbconvert", "pyarrow", "python-calamine", "openpyxl", "numpy")
"""Libraries whose version can change an output: part of the code's fingerprint."""


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes (``absent`` when there is no such file).

    A file that cannot be opened (no permission, held by another program on
    Windows) hashes as ``unreadable: <why>``: what changed is still decided,
    and the reader says what is wrong with the file (``read.sheets.cannot_open``).
    """
    if not path.is_file():
        return "absent"
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as error:
        return f"unreadable: {type(error).__name__} {getattr(error, 'winerror', None) or error.errno}"
    return digest.hexdigest()


def notebook_source_hash(path: Path) -> str:
    """Hash of what a notebook *says*: each cell's kind, source, tags and attachments, in order.

    Outputs, execution counts, cell ids and the metadata JupyterLab writes on
    save (kernel, language, widths, trust) are left out: running a stage
    notebook in JupyterLab and saving it is not a change, and does not rebuild
    the years. A file that is not a notebook's JSON is hashed whole (the run then
    fails on it, and fixing it is a change).
    """
    if not path.is_file():
        return "absent"
    try:
        book = json.loads(path.read_text(encoding="utf-8"))
        cells = [
            {
                "kind": cell["cell_type"],
                "source": "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"],
                "tags": list(cell.get("metadata", {}).get("tags", [])),
                "attachments": cell.get("attachments", {}),
            }
            for cell in book["cells"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        return file_hash(path)
    return hash_parts({"cells": json.dumps(cells, sort_keys=True, ensure_ascii=False)})


def hash_parts(parts: dict[str, str]) -> str:
    """One hash for named parts."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


@functools.cache
def code_hash() -> str:
    """The helper code (Python, reference tables, templates) and the library versions, as one hash."""
    parts = {
        path.relative_to(CODE_DIR).as_posix(): file_hash(path)
        for path in sorted(CODE_DIR.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    for library in LIBRARIES:
        try:
            parts[f"library:{library}"] = metadata.version(library)
        except metadata.PackageNotFoundError:
            parts[f"library:{library}"] = "absent"
    return hash_parts(parts)
