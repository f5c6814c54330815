"""``coop-review check``: read a return file or a year folder as a build would, write nothing, say what is wrong.

An agency runs it before sending a return: it prints the ledger (every row
read is accepted, rejected or non-data), each rejected cell with its reason and
fix, the columns not read, and totals rows that disagree with their rows. The
exit code says whether the return can be sent as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from helpers.errors import FileProblem, ParameterError
from helpers.messages import message

if TYPE_CHECKING:
    from helpers.clean.year import YearClean
    from helpers.read.returns import ReturnRead
    from helpers.reference import Reference


def check_path(path: Path, year_option: str | None = None) -> int:
    """Check a return file or a year folder as ``coop-review check`` does, and print what was found.

    Args:
        path: a return file, or a year folder (``data/raw/2017``).
        year_option: the programme year (``--year``); by default the year folder's name.

    Returns:
        The command's exit code: 0 readable and nothing rejected, 1 some rows
        rejected, 2 some file cannot be used or has no data row.

    Raises:
        ParameterError: a path that does not exist, or a folder without a year.
    """
    from helpers.clean.outputs import check_ledger

    result = _read_for_check(path, year_option)
    _print_check(result)
    check_ledger(result)  # every row accounted for, or a bug: never a silent OK
    return _check_outcome(result)


def _check_outcome(result: YearClean) -> int:
    """Print the problems of a check and its verdict; return the exit code of ``coop-review check``."""
    errors = [p for p in result.problems if p.severity == "error"]
    for problem in result.problems:
        print(message("cli.problem" if problem.severity == "error" else "cli.note", message=problem.message))
    empty = [r.source for r in result.reads if not r.kind_counts()["accepted"] and not r.kind_counts()["rejected"]]
    for source in empty:
        print(message("cli.no_data_row", file=source))
    if errors or empty:
        return 2
    if any(read.rejects for read in result.reads):
        return 1
    disagree = any(not t.agrees for read in result.reads for t in read.totals)
    if disagree or any(p.severity != "error" for p in result.problems):
        print(message("cli.read_with_notes"))
        return 0
    print(message("cli.ok"))
    return 0


def _read_for_check(path: Path, year_option: str | None) -> YearClean:
    """Read a return, or a year folder, for ``check``: with the data root's own tables when it is in ``raw/<year>``."""
    from helpers.clean.year import Problem, YearClean, add_read, clean_year
    from helpers.paths import validate_year
    from helpers.read.forms import form_of
    from helpers.read.returns import read_return
    from helpers.read.sheets import RETURN_SUFFIXES
    from helpers.reference import load_reference

    if not path.exists() and not path.is_symlink():  # a broken link is a return that cannot be opened
        raise ParameterError(message("cli.no_such_path", path=path))
    is_folder = path.is_dir() and path.suffix.lower() not in RETURN_SUFFIXES  # not a folder named like a return
    folder = path if is_folder else path.parent
    year_folder = folder.parent if folder.name == "activities" else folder
    named = year_folder.name.isdigit() and len(year_folder.name) == 4
    year = validate_year(year_option) if year_option else (int(year_folder.name) if named else None)
    # data/raw/<year>: the data root's own district tables, if any; elsewhere the shipped ones
    reference = load_reference(year_folder.parent.parent / "reference" if year_folder.parent.name == "raw" else None)
    if year is not None:
        reference = reference.for_year(year)  # the units valid on 31/12 of the year
    if is_folder:
        if year is None:
            raise ParameterError(message("cli.name_the_year", path=path))
        return clean_year(path, year, reference=reference)
    template = _template_of(path, reference)
    result = YearClean(year=year or 0, reference=reference)
    source = f"activities/{path.name}" if form_of(template).per_agency else path.name
    try:
        agency = reference.resolve_agency(path.name)
        add_read(result, read_return(path, source, template, reference=reference, agency=agency, year=year))
    except FileProblem as problem:
        result.problems.append(Problem(problem.where, problem.problem, problem.action))
    return result


def _print_check(result: YearClean) -> None:
    """The ledger, the rejected rows, the columns not read and the totals that disagree, of a check."""
    import pandas as pd

    from helpers.clean.outputs import ledger_table, rejects_table
    from helpers.read.ledger import removed_words

    with pd.option_context("display.max_colwidth", 200, "display.width", 200, "display.max_rows", 500):
        ledger = ledger_table(result)
        if not ledger.empty:
            print(message("cli.ledger_heading"))
            print(check_ledger_table(ledger).to_string(index=False))
        rejects = rejects_table(result)
        if not rejects.empty:
            rows = len(rejects.drop_duplicates(["file", "sheet", "row"]))
            print("\n" + message("cli.rejects_heading", rows=rows, cells=int(rejects["row"].count())))
            for row in rejects.itertuples():
                column = f' › "{row.column}"' if row.column else ""
                unit = f" ({row.unit})" if row.unit else ""
                where = {"file": row.file, "sheet": row.sheet, "row": row.row, "unit": unit, "column": column}
                reject = message("where.reject", **where, reason=row.reason)
                print("  " + message("cli.reject_line", reject=reject, removed=removed_words(row.row_values)))
    for read in result.reads:
        for letter, label, reason in read.ignored_columns:
            print(message("cli.ignored_column", file=read.source, letter=letter, label=label, reason=reason))
        for line in totals_disagreements(read):
            print(f"  {line}")


CHECK_LEDGER_COLUMNS = ("file", "template", "agency", "sheet", "rows_read", "accepted", "rejected", "non_data")


def check_ledger_table(ledger):
    """The ledger of ``coop-review check``: one line per file, Vietnamese headers, non-data rows added up."""
    from helpers.read.returns import NON_DATA_KINDS

    table = ledger.copy()
    table["non_data"] = table[list(NON_DATA_KINDS)].sum(axis=1)
    table = table[list(CHECK_LEDGER_COLUMNS)]
    headers = {"agency": message("review.agency"), "sheet": message("column.sheet")}
    return table.rename(columns={c: headers.get(c) or message(f"ledger.{c}") for c in CHECK_LEDGER_COLUMNS})


def totals_disagreements(read: ReturnRead) -> list[str]:
    """One line per totals row that disagrees with its rows: once per row when rejected rows explain it."""
    lines = []
    by_row: dict[int, list] = {}
    for check in read.totals:
        if not check.agrees:
            by_row.setdefault(check.row, []).append(check)
    for row, checks in by_row.items():
        rejected = checks[0].rejected_rows
        if rejected:
            rows = ", ".join(map(str, rejected))
            columns = ", ".join(f'"{c.column}"' for c in checks)
            key = "cli.totals_rejected_one" if len(rejected) == 1 else "cli.totals_rejected_many"
            lines.append(message(key, file=read.source, row=row, columns=columns, rows=rows))
            continue
        for check in checks:
            lines.append(
                message(
                    "cli.totals_differ",
                    file=read.source,
                    row=row,
                    column=check.column,
                    totals=check.totals_value,
                    rows_sum=check.rows_sum,
                )
            )
    return lines


def _template_of(path: Path, reference: Reference) -> str:
    """The template of a single return file, from its name (or its folder, ``activities/``).

    Raises:
        FileProblem: when the name says neither an agency of ``reference`` nor a once-a-year return.
    """
    from helpers.clean.year import ACTIVITIES_DIR, SINGLE_RETURNS

    stem = path.stem.lower()
    for template, name in SINGLE_RETURNS.items():
        if stem == name:
            return template
    if path.parent.name == ACTIVITIES_DIR or reference.resolve_agency(path.name):
        return "01"
    raise FileProblem(path.name, message("cli.unknown_template"), message("cli.unknown_template_action"))
