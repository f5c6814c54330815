"""Samples are samples, real data is real: which files of a year are the shipped synthetic samples.

``scripts/make_sample_returns.py`` writes the sample returns of ``data/raw/``
and records each file it wrote, with the sha256 of its bytes, in
``data/raw/sample-files.csv`` (committed beside the samples; ``.gitattributes``
keeps every file of ``data/raw/`` byte for byte, CRLF CSVs included, on every
platform). A year is labelled synthetic when any of its files is a shipped
sample file **byte for byte**, and the label says which files; a file the
analyst added, or changed and saved again, has other bytes and is never
labelled. Nothing else marks data as samples: no marker file, no folder name.

The hashes are looked up in the manifest of the data root's ``raw/`` and in
the repository's own (so that a sample copied to another data root, or to a
test's temporary folder, is still recognised).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from helpers.fingerprint import file_hash
from helpers.messages import message
from helpers.paths import PROJECT_ROOT

SAMPLE_MANIFEST = "sample-files.csv"
"""The record of the shipped sample files, in ``raw/`` beside the year folders: ``path,sha256`` per file."""
SHIPPED_MANIFEST = PROJECT_ROOT / "data" / "raw" / SAMPLE_MANIFEST
"""The repository's record of the samples it ships."""
MANIFEST_COLUMNS = ("path", "sha256")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_year_file(relative: str) -> bool:
    """Whether a file of a year folder (``/``-separated path under it) counts: not hidden, not an Excel lock file."""
    parts = relative.split("/")
    return not any(part.startswith(".") for part in parts) and not parts[-1].startswith("~$")


def year_files(year_folder: Path) -> list[Path]:
    """Every file of a year folder that counts (:func:`is_year_file`), in name order."""
    if not year_folder.is_dir():
        return []
    return sorted(
        path
        for path in year_folder.rglob("*")
        if path.is_file() and is_year_file(path.relative_to(year_folder).as_posix())
    )


def write_sample_manifest(raw_root: Path, years: Iterable[int]) -> Path:
    """Record the files of the sample ``years`` of ``raw_root`` (path relative to it, ``/``-separated; sha256).

    Written with LF line endings and sorted, so the same samples give the same bytes on every platform.
    """
    from helpers.outputs import write_text

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for year in sorted(years):
        for path in year_files(raw_root / str(year)):
            writer.writerow([path.relative_to(raw_root).as_posix(), file_hash(path)])
    target = raw_root / SAMPLE_MANIFEST
    write_text(buffer.getvalue(), target)
    return target


def read_sample_manifest(path: Path) -> dict[str, str]:
    """``path → sha256`` of a manifest; an absent file records nothing, a line without a path and a hash is skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    rows = csv.DictReader(io.StringIO(text, newline=""))
    return {
        row["path"]: row["sha256"].strip().lower()
        for row in rows
        if row.get("path") and _SHA256.match((row.get("sha256") or "").strip().lower())
    }


def sample_hashes(raw_root: Path) -> frozenset[str]:
    """The sha256 of every shipped sample file: the data root's manifest and the repository's."""
    manifests = {raw_root / SAMPLE_MANIFEST, SHIPPED_MANIFEST}
    return frozenset(digest for manifest in manifests for digest in read_sample_manifest(manifest).values())


@dataclass(frozen=True)
class SampleLabel:
    """Which files of a year are shipped sample files.

    Attributes:
        year: the year.
        files: the year's files that are sample files byte for byte (``2017/activities/HND.xlsx``), in order.
        total: how many files the year has.
    """

    year: int
    files: tuple[str, ...] = ()
    total: int = 0

    @property
    def is_sample(self) -> bool:
        """Whether any file of the year is a shipped sample file."""
        return bool(self.files)

    def text(self, prefix: str, lang: str = "vi") -> str:
        """The label in ``lang`` (``{prefix}.sample_all`` or ``{prefix}.sample_some``), empty for real data.

        Args:
            prefix: the catalogue's family of the label: ``review``, ``docx`` or ``index``.
            lang: the reader's language.
        """
        if not self.files:
            return ""
        if len(self.files) == self.total:
            return message(f"{prefix}.sample_all", lang, year=self.year, count=self.total)
        return message(f"{prefix}.sample_some", lang, year=self.year, files=", ".join(self.files))


def label_from_hashes(year: int, hashes: Mapping[str, str], known: frozenset[str]) -> SampleLabel:
    """The label of a year from its files' hashes (``relative path → sha256``), already computed."""
    files = tuple(sorted(name for name, digest in hashes.items() if digest in known))
    return SampleLabel(year, files, len(hashes))


def sample_label(raw_root: Path, year: int) -> SampleLabel:
    """Which files of ``raw_root/<year>/`` are shipped sample files, byte for byte."""
    hashes = {path.relative_to(raw_root).as_posix(): file_hash(path) for path in year_files(raw_root / str(year))}
    return label_from_hashes(year, hashes, sample_hashes(raw_root))
