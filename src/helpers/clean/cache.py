"""The parse cache of the clean stage: a return read once is not read again while nothing it depends on changed.

A read is kept (pickled) under a key made of the file's bytes, its name,
form and agency, the year, the corrections that apply to it, the data root's
reference tables and the code (:mod:`helpers.fingerprint`). The cache is
pruned to its most recent entries.
"""

from __future__ import annotations

import pickle
import time
from pathlib import Path

from helpers.fingerprint import code_hash, file_hash, hash_parts
from helpers.outputs import atomic_path
from helpers.read.returns import ReturnRead, read_return
from helpers.reference import Reference


def cached_read(
    cache_dir: Path | None,
    path: Path,
    source: str,
    template: str,
    agency: str | None,
    year: int,
    corrections: list,
    reference: Reference,
) -> ReturnRead:
    """:func:`read_return`, or its result for the same file content, reading code and corrections from the cache.

    Parsing spreadsheets is the slow part of cleaning: an unchanged file is never parsed twice.
    """
    if cache_dir is None:
        return read_return(
            path, source, template, reference=reference, agency=agency, year=year, corrections=corrections
        )
    key = hash_parts(
        {
            "file": file_hash(path), "source": source, "template": template, "agency": agency or "", "year": str(year),
            "corrections": repr(corrections), "code": code_hash(), "reference": reference.fingerprint(),
        }
    )  # fmt: skip
    entry = cache_dir / f"{key}.pickle"
    if entry.is_file():
        try:
            with entry.open("rb") as handle:
                return pickle.load(handle)  # our own cache, written below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a damaged entry is simply parsed again
    read = read_return(path, source, template, reference=reference, agency=agency, year=year, corrections=corrections)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(entry) as temporary, temporary.open("wb") as handle:
        pickle.dump(read, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return read


def prune_cache(cache_dir: Path, keep: int = 500) -> None:
    """Keep the most recently used entries of the parse cache."""
    if not cache_dir.is_dir():
        return
    entries = sorted(cache_dir.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    # and writes cut short by a killed run (not the ones another worker is making now)
    stale = [p for p in cache_dir.glob(".*.part") if time.time() - p.stat().st_mtime > 600]
    for entry in entries[keep:] + stale:
        entry.unlink(missing_ok=True)
