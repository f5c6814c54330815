"""Staging folders: a year is built out of sight and moved into place whole, or not at all.

A run builds each year in ``processed/.build-<pid>-<time>/<year>`` and
``<reports>/.build-<pid>-<time>/<year>``. When the year is complete both
folders are swapped onto ``processed/<year>`` and ``<reports>/<year>``
together: the old ones are moved aside (``.old-<build>-<year>``), the new
ones moved in, and the old ones removed. A swap that is refused half-way (a
file open in Excel on Windows, a folder turned read-only) is undone, so the
last good outputs stay whole; a run killed half-way is repaired by the next
one (:func:`recover_interrupted_builds`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from helpers.errors import WriteFailure
from helpers.faults import copy_file, replace, writing
from helpers.messages import LANGUAGES, message
from helpers.paths import BUILD_PREFIX, ProjectPaths
from helpers.pipeline.plan import MANIFEST
from helpers.pipeline.processes import build_is_running
from helpers.pipeline.stages import STAGES, stage_outputs

OLD_PREFIX = ".old-"


def old_name(final: Path, build_id: str) -> Path:
    """Where ``final`` waits, moved aside, while the new folder of build ``build_id`` is moved in."""
    return final.parent / f"{OLD_PREFIX}{build_id}-{final.name}"


def swap_into_place(pairs: list[tuple[Path, Path]], build_id: str) -> None:
    """Move complete staging folders onto their final places: all of them, or none.

    Args:
        pairs: ``(staged, final)`` folders, e.g. a year's processed and reports folders.
        build_id: the run's build id (names the folders moved aside).

    Raises:
        WriteFailure: a move was refused (after retries); the moves already made are undone.
    """
    done: list[tuple[Path, Path]] = []
    try:
        for _, final in pairs:
            if final.exists():
                replace(final, old_name(final, build_id))
                done.append((final, old_name(final, build_id)))
        for staged, final in pairs:
            replace(staged, final)
            done.append((staged, final))
    except WriteFailure:
        for source, target in reversed(done):
            with contextlib.suppress(OSError):  # if even this is refused, the next run restores the .old folder
                os.replace(target, source)
        raise
    for _, final in pairs:
        shutil.rmtree(old_name(final, build_id), ignore_errors=True)


def copy_tree(source: Path, target: Path, skip_empty: bool = False, ignore: tuple[str, ...] = ()) -> None:
    """``shutil.copytree`` whose refused writes raise :class:`WriteFailure` at once (not collected at the end).

    Args:
        source: the folder to copy.
        target: the new folder (must not exist).
        skip_empty: leave out empty files (a notebook a full disk truncated shows nothing).
        ignore: glob patterns of names left out.
    """
    patterns = shutil.ignore_patterns(*ignore) if ignore else None

    def left_out(folder: str, names: list[str]) -> set[str]:
        skipped = set(patterns(folder, names)) if patterns else set()
        if skip_empty:
            skipped |= {
                name
                for name in names
                if os.path.isfile(os.path.join(folder, name)) and os.path.getsize(os.path.join(folder, name)) == 0
            }
        return skipped

    shutil.copytree(source, target, ignore=left_out, copy_function=copy_file)


def keep_failed(staged_reports: Path, failed: Path) -> None:
    """Keep a failed year's executed notebooks in ``failed`` (``<reports>/.failed-<year>``) to show where it failed.

    Empty files are left out; the copy is made beside and moved into place, so
    ``failed`` is never half-copied.

    Raises:
        WriteFailure: the disk refused the copy (nothing is left of it).
    """
    partial = failed.with_name(failed.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        copy_tree(staged_reports, partial, skip_empty=True)
        shutil.rmtree(failed, ignore_errors=True)
        replace(partial, failed)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def discard(paths: ProjectPaths, year: int) -> None:
    """Drop a year's staging folders (its last good outputs stay)."""
    shutil.rmtree(paths.staging_processed(year), ignore_errors=True)
    shutil.rmtree(paths.staging_reports(year), ignore_errors=True)


def remove_build_folders(paths: ProjectPaths) -> None:
    """Drop the run's staging roots with whatever is left in them."""
    for root in (paths.processed_root, paths.reports_root):
        shutil.rmtree(root / f"{BUILD_PREFIX}{paths.build_id}", ignore_errors=True)


def recover_interrupted_builds(paths: ProjectPaths) -> list[str]:
    """Clean up after a run that was killed: restore folders moved aside, drop stale staging.

    The folders of a run that is still running are left alone.

    Raises:
        WriteFailure: a folder moved aside cannot be moved back (the message says which).
    """
    notes = []
    for root in (paths.processed_root, paths.reports_root):
        if not root.is_dir():
            continue
        for old in sorted(root.glob(f"{OLD_PREFIX}*")):
            build_id, _, name = old.name[len(OLD_PREFIX) :].rpartition("-")
            if build_is_running(build_id) and not build_id.startswith(f"{os.getpid()}-"):
                continue  # another run is swapping this folder right now
            final = root / name
            if not final.exists():
                replace(old, final)
                notes.append(message("runner.restored", path=final))
            else:
                shutil.rmtree(old, ignore_errors=True)
        for staging in sorted(root.glob(f"{BUILD_PREFIX}*")):
            if build_is_running(staging.name[len(BUILD_PREFIX) :]):
                continue
            shutil.rmtree(staging, ignore_errors=True)
            notes.append(message("runner.removed_unfinished", path=staging))
    return notes


def start_year(paths: ProjectPaths, year: int, first_stage: int, lang: str) -> None:
    """Staging folders for a year, holding the outputs of the stages that will not rerun.

    The outputs of the stages from ``first_stage`` on are removed (they will be
    written again), and when the data change (a stage before the review reruns)
    so are the reviews in the other languages, which would be stale.

    Raises:
        WriteFailure: the data or reports folder refuses writes (named, not the hidden staging folder).
    """
    processed, reports = paths.staging_processed(year), paths.staging_reports(year)
    for folder, final, root in (
        (processed, paths.final_processed(year), paths.processed_root),
        (reports, paths.final_reports(year), paths.reports_root),
    ):
        shutil.rmtree(folder, ignore_errors=True)
        try:
            with writing(root):
                if final.is_dir():
                    copy_tree(final, folder, ignore=("logs",))
                else:
                    folder.mkdir(parents=True)
        except WriteFailure as failure:
            raise WriteFailure(str(root), failure.problem, failure.action) from None
    # the record of what the year was built from is written only once the new outputs are in place
    (processed / MANIFEST).unlink(missing_ok=True)
    rerun = [stage for stage in STAGES if stage.number >= first_stage]
    stale = [(stage, lang) for stage in rerun]
    if any(not stage.takes_lang for stage in rerun):  # the data change: a review in another language would be stale
        stale += [(stage, other) for stage in rerun if stage.takes_lang for other in LANGUAGES if other != lang]
    for stage, language in stale:
        for path in stage_outputs(stage, language, reports):
            path.unlink(missing_ok=True)
