"""Writing output files: atomically (never a half-written file) and deterministically.

Every table is written to a temporary file beside its target and moved into
place only when complete, so a run killed mid-way leaves the previous output,
not a truncated one. The same table always gives the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from helpers.faults import replace, writing

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` on success.

    The temporary file is removed whatever happens, so a failed write leaves
    no empty or partial file.

    Raises:
        WriteFailure: the disk refused the write (full, read-only) or the
            target stayed open in another program (Excel) through the retries.
    """
    with writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(handle)
    temporary = Path(name)
    try:
        with writing(target):
            yield temporary
            os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for people to read
        replace(temporary, target)  # retries while the target is open in Excel (Windows)
    finally:
        temporary.unlink(missing_ok=True)


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is taken for a formula by Excel and LibreOffice."""
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise_formula(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert with a leading ``'``.

    Plain numbers (``-12``, ``4730.5``) are left alone: they cannot run anything.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def write_csv(table: pd.DataFrame, target: Path) -> None:
    r"""Write a table as UTF-8 CSV with ``.`` decimals and ``\n`` line ends; text cannot run as a formula.

    The file starts with a UTF-8 byte-order mark, so that Excel, opening it with
    a double-click, reads its Vietnamese as UTF-8 instead of the Windows code
    page. pandas skips the mark when it reads the file back; Python's ``csv``
    module needs ``encoding="utf-8-sig"``.
    """
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    with atomic_path(target) as temporary:
        safe.to_csv(temporary, index=False, encoding="utf-8-sig", lineterminator="\n")


def write_parquet(table: pd.DataFrame, target: Path) -> None:
    """Write a table as Parquet (pyarrow, no index)."""
    with atomic_path(target) as temporary:
        table.to_parquet(temporary, index=False, engine="pyarrow")


def write_text(text: str, target: Path) -> None:
    """Write a UTF-8 text file atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")


ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The timestamp given to every member of a written workbook, so bytes depend on content only."""


_DOC_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _normalised_members(source: zipfile.ZipFile, target: zipfile.ZipFile) -> None:
    members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    members = [
        (name, _DOC_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data) if name == "docProps/core.xml" else data)
        for name, data in members
    ]
    for name, data in members:
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        target.writestr(info, data)


def normalise_zip(path: Path) -> None:
    """Rewrite a zip container (xlsx) with fixed member timestamps and document dates, same member order.

    openpyxl stamps the time of saving into ``docProps/core.xml``; it is
    replaced by a fixed date so that the bytes depend on the content only.
    """
    with zipfile.ZipFile(path) as source:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            _normalised_members(source, target)
    path.write_bytes(buffer.getvalue())


def save_workbook(workbook, target: Path) -> None:
    """Save an openpyxl workbook to ``target`` atomically, with the fixed timestamps of :func:`normalise_zip`.

    The workbook is saved and normalised in memory and written to disk once
    (not saved, read back and rewritten).
    """
    saved = io.BytesIO()
    workbook.save(saved)
    normalised = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(normalised, "w", zipfile.ZIP_DEFLATED) as packed:
        _normalised_members(source, packed)
    with atomic_path(target) as temporary:
        temporary.write_bytes(normalised.getvalue())
