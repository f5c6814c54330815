"""``coop-review``: regenerate a year's review, or check a return before sending it.

Usage::

    coop-review run 2017 [2018 …] [--data DIR] [--reports DIR]
    coop-review run --all
    coop-review check data/raw/2017/activities/HND.xlsx
    coop-review check data/raw/2017
    coop-review template 2023 --out DIR [--data DIR]
    coop-review status [--data DIR] [--reports DIR]

Exit codes of ``run``: 0 every file was read (rejected rows are normal and
listed in the ledger); 2 some file could not be used at all (everything else
is still built; the problems are listed at the end); 1 a stage failed, or an
output could not be written (a read-only folder, a full disk, a file open in
Excel: one message says which and what to do).
Exit codes of ``check``: 0 the file(s) can be read and no row is rejected;
1 readable but some rows are rejected; 2 some file cannot be used.
Exit codes of ``status``: 0 every year has all its returns, every file usable
and a current review; 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.errors import CoopReviewError, FileProblem, ParameterError, WriteFailure
from helpers.messages import message

if TYPE_CHECKING:
    from helpers.clean.year import YearClean
    from helpers.read.returns import ReturnRead
    from helpers.reference import Reference


def _utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def _version() -> str:
    """The installed version of the package (``importlib.metadata``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("coop-review")
    except PackageNotFoundError:
        return message("cli.not_installed")


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help with its own words (usage, section titles) from the catalogue."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, message("cli.usage") if prefix is None else prefix)


def _localise(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Section titles and the -h line of ``parser`` in Vietnamese."""
    parser._positionals.title = message("cli.positionals")
    parser._optionals.title = message("cli.options")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = message("cli.help")
    return parser


def _parser() -> argparse.ArgumentParser:
    sub = {"formatter_class": _HelpFormatter}
    parser = argparse.ArgumentParser(
        prog="coop-review", description=message("cli.description"), epilog=message("cli.epilog"), **sub
    )
    parser.add_argument("--version", action="version", version=f"coop-review {_version()}", help=message("cli.version"))
    commands = parser.add_subparsers(dest="command", required=True, title=message("cli.commands"))
    run = commands.add_parser("run", help=message("cli.run_help"), description=message("cli.run_help"), **sub)
    run.add_argument("years", nargs="*", help=message("cli.years_help"))
    run.add_argument("--all", action="store_true", help=message("cli.all_help"))
    run.add_argument("--data", help=message("cli.data_help"))
    run.add_argument("--reports", help=message("cli.reports_help"))
    run.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help=message("cli.jobs_help"))
    run.add_argument("--force", action="store_true", help=message("cli.force_help"))
    run.add_argument("--dry-run", action="store_true", help=message("cli.dry_run_help"))
    run.add_argument("--lang", default="vi", choices=("vi", "en"), help=message("cli.lang_help"))
    check = commands.add_parser("check", help=message("cli.check_help"), description=message("cli.check_help"), **sub)
    check.add_argument("path", help=message("cli.path_help"))
    check.add_argument("--year", help=message("cli.year_help"))
    template = commands.add_parser(
        "template", help=message("cli.template_help"), description=message("cli.template_help"), **sub
    )
    template.add_argument("year", help=message("cli.template_year_help"))
    template.add_argument("--out", required=True, help=message("cli.out_help"))
    template.add_argument("--data", help=message("cli.template_data_help"))
    template.add_argument("--register-rows", type=int, default=None, help=message("cli.register_rows_help"))
    status = commands.add_parser(
        "status", help=message("cli.status_help"), description=message("cli.status_help"), **sub
    )
    status.add_argument("--data", help=message("cli.data_help"))
    status.add_argument("--reports", help=message("cli.reports_help"))
    for each in (parser, run, check, template, status):
        _localise(each)
    return parser


def _data_root(value: str | None) -> str | None:
    from helpers.paths import validate_root

    if value is None:
        return None
    path = validate_root(value, "--data")
    if not path.is_dir():
        raise ParameterError(message("cli.no_data_folder", value=value))
    return str(path.resolve())


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``coop-review``; returns the exit code."""
    _utf8_output()
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "template":
            return _template(args)
        if args.command == "status":
            return _status(args)
        return _check(args)
    except ParameterError as error:
        print(message("cli.error", error=error), file=sys.stderr)
        return 2
    except WriteFailure as error:  # a read-only folder, a full disk, a file open in Excel: not a bug, no traceback
        print(message("cli.write_failure", error=error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(message("cli.interrupted"), file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    from helpers.build.runner import print_summary, run_years
    from helpers.paths import ProjectPaths, validate_year

    paths = ProjectPaths.from_roots(_data_root(args.data), args.reports)
    if args.all and args.years:
        raise ParameterError(message("cli.years_or_all"))
    if args.all:
        years = paths.available_years()
        if not years:
            near = "".join(f"; {folder.note}" for folder in paths.near_miss_year_folders())
            raise ParameterError(
                message("cli.no_year_folders", raw=paths.raw_root, example=paths.raw_root / "<year>", near=near)
            )
    elif args.years:
        years = [validate_year(y) for y in args.years]
    else:
        raise ParameterError(message("cli.which_years"))
    print(
        message("cli.run_heading", years=", ".join(map(str, years)), data=paths.data_root, reports=paths.reports_root)
    )
    from helpers.compute.programme import year_notes

    with_data = set(paths.processed_years()) | {y for y in years if paths.raw_year(y).is_dir()}
    for year in sorted(set(years) & with_data):
        for note in year_notes(paths, year, with_data):  # said once per run, not by every stage
            print(note)
    if args.jobs < 1:
        raise ParameterError(message("cli.jobs_positive"))
    summary = run_years(years, paths, lang=args.lang, jobs=args.jobs, force=args.force, dry_run=args.dry_run)
    if args.dry_run:
        return 0
    print_summary(summary)
    return summary.exit_code


def _template(args: argparse.Namespace) -> int:
    from helpers.compute.programme import programme_for
    from helpers.paths import ProjectPaths, validate_root, validate_year
    from helpers.publish.blank_forms import REGISTER_ROWS, write_blank_returns

    year = validate_year(args.year)
    paths = ProjectPaths.from_roots(_data_root(args.data))
    out = validate_root(args.out, "--out")
    written = write_blank_returns(
        year, out, programme_for(paths, year), args.register_rows or REGISTER_ROWS, reference=paths.reference()
    )
    print(message("cli.template_written", count=len(written), year=year, folder=out / str(year)))
    for path in written:
        print(f"  {path.relative_to(out).as_posix()}")
    print(message("cli.template_next", year=year))
    return 0


def _status(args: argparse.Namespace) -> int:
    from helpers.build.status import format_status, year_statuses
    from helpers.paths import ProjectPaths

    paths = ProjectPaths.from_roots(_data_root(args.data), args.reports)
    statuses = year_statuses(paths)
    print(message("status_cli.heading", data=paths.data_root, reports=paths.reports_root))
    print(format_status(statuses))
    return 0 if statuses and all(s.is_ready for s in statuses) else 1


def _check(args: argparse.Namespace) -> int:
    from helpers.clean.year import check_ledger

    result = _read_for_check(Path(args.path), args.year)
    _print_check(result)
    check_ledger(result)  # every row accounted for, or a bug: never a silent OK
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
    from helpers.reference import load_reference

    if not path.exists():
        raise ParameterError(message("cli.no_such_path", path=path))
    folder = path if path.is_dir() else path.parent
    year_folder = folder.parent if folder.name == "activities" else folder
    named = year_folder.name.isdigit() and len(year_folder.name) == 4
    year = validate_year(year_option) if year_option else (int(year_folder.name) if named else None)
    # data/raw/<year>: the data root's own district tables, if any; elsewhere the shipped ones
    reference = load_reference(year_folder.parent.parent / "reference" if year_folder.parent.name == "raw" else None)
    if path.is_dir():
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

    from helpers.clean.year import ledger_table, rejects_table

    with pd.option_context("display.max_colwidth", 200, "display.width", 200, "display.max_rows", 500):
        ledger = ledger_table(result)
        if not ledger.empty:
            print(message("cli.ledger_heading"))
            print(check_ledger_table(ledger).to_string(index=False))
        rejects = rejects_table(result)
        if not rejects.empty:
            print("\n" + message("cli.rejects_heading", count=int(rejects["row"].count())))
            for row in rejects.itertuples():
                column = f' › "{row.column}"' if row.column else ""
                unit = f" ({row.unit})" if row.unit else ""
                where = {"file": row.file, "sheet": row.sheet, "row": row.row, "unit": unit, "column": column}
                print("  " + message("where.reject", **where, reason=row.reason))
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
    from helpers.clean.year import ACTIVITIES_DIR, SINGLE_RETURNS

    stem = path.stem.lower()
    for template, name in SINGLE_RETURNS.items():
        if stem == name:
            return template
    if path.parent.name == ACTIVITIES_DIR or reference.resolve_agency(path.name):
        return "01"
    raise FileProblem(path.name, message("cli.unknown_template"), message("cli.unknown_template_action"))


def entry_point() -> None:
    """Console-script wrapper: exit with :func:`main`'s code."""
    try:
        code = main()
    except CoopReviewError as error:
        print(message("cli.error", error=error), file=sys.stderr)
        code = 2
    sys.exit(code)


if __name__ == "__main__":
    entry_point()
