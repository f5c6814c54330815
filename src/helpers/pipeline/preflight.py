"""The tables the analyst edits, checked once before any year is built.

The analyst edits four kinds of table beside the returns: ``programme.csv``
(the programmes and their periods), the targets table each programme names
(``targets.csv``), ``corrections.csv`` (declared corrections of source returns)
and the data root's own reference tables (``reference/*.csv``, read by
:meth:`~helpers.paths.ProjectPaths.reference`). One rule holds
for all of them: a table that cannot be used is a
:class:`~helpers.errors.FileProblem` naming file › row › column and saying what
to fix; the run reports every such problem **before building anything** and
exits with code 2 (:func:`helpers.errors.exit_code`), so the last good outputs
stay as they were and no review is built on half a table.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from helpers.compute.programme import programme_file, read_programmes, targets_file_for
from helpers.compute.targets import read_targets
from helpers.errors import FileProblem
from helpers.paths import ProjectPaths
from helpers.read.corrections import read_corrections


def check_edited_tables(paths: ProjectPaths, years: Iterable[int]) -> list[FileProblem]:
    """Read every table the analyst edits that ``years`` depend on; return what cannot be used.

    Args:
        paths: the data root whose tables are read.
        years: the years about to be built (each may name its own targets table).

    Returns:
        One problem per unusable table, in a fixed order (programme, targets, corrections); empty when all are usable.
    """
    problems: list[FileProblem] = []
    try:
        read_programmes(programme_file(paths))
    except FileProblem as problem:
        return [problem]  # the targets tables are named by the programme table: nothing more can be said
    targets_files: set[Path] = set()
    for year in years:
        try:
            path = targets_file_for(paths, year)
        except FileProblem as problem:
            problems.append(problem)
            continue
        if path is not None:
            targets_files.add(path)
    for path in sorted(targets_files):
        problems += _problems_of(read_targets, path)
    try:
        reference = paths.reference()  # the corrections name districts and agencies of this data root
    except FileProblem as problem:
        return [*problems, problem]
    problems += _problems_of(lambda path: read_corrections(path, reference), paths.corrections_file)
    return _once(problems)


def _problems_of(read, path: Path) -> list[FileProblem]:
    """The problem ``read(path)`` raises, as a list (empty: the table is usable)."""
    try:
        read(path)
    except FileProblem as problem:
        return [problem]
    return []


def _once(problems: list[FileProblem]) -> list[FileProblem]:
    """``problems`` without repeats (two years of one programme name the same missing file)."""
    return list({str(problem): problem for problem in problems}.values())  # the first place of each, in order
