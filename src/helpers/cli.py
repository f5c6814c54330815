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

if TYPE_CHECKING:
    from helpers.returns import ReturnRead


def _utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


EPILOG = """\
examples:
  coop-review run 2022                     build the review of 2022 (reports/2022/review.html)
  coop-review run --all                    every year folder in data/raw/ (only what changed)
  coop-review run --all --dry-run          what would run, and why
  coop-review run 2023 --data ../data-2023  another data folder (it holds raw/2023/)
  coop-review check data/raw/2022/activities/HND.xlsx   check one return before the deadline
  coop-review check data/raw/2022          check a whole year folder

exit codes of run:
  0  every file was read (rejected rows are normal: see rejects.csv / rejects.xlsx)
  1  a stage failed: that year's last good outputs are kept
  2  some file could not be used (everything else is built), or a wrong option
  130  interrupted (Ctrl-C): outputs already complete are kept
exit codes of check:
  0  the file can be read and no row is rejected
  1  readable, but some rows are rejected
  2  the file cannot be used

Hướng dẫn tiếng Việt: docs/huong-dan.md
"""


def _version() -> str:
    """The installed version of the package (``importlib.metadata``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("coop-review")
    except PackageNotFoundError:
        return "unknown (not installed: pip install -e .)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coop-review",
        description="Annual review of the Ninh Bình cooperative-development programme.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"coop-review {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="clean the returns, compute the indicators and render the review of one or more years")
    run.add_argument("years", nargs="*", help="programme years, e.g. 2017 2018")
    run.add_argument("--all", action="store_true", help="every year that has a folder in <data>/raw/")
    run.add_argument("--data", help="folder holding raw/ and processed/ (default ./data)")
    run.add_argument("--reports", help="folder for the rendered reviews (default ./reports)")
    run.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="years built side by side in worker processes (default: the number of cores)")
    run.add_argument("--force", action="store_true", help="rerun every stage of every year, changed or not")
    run.add_argument("--dry-run", action="store_true", help="print what would run and why; change nothing")
    run.add_argument("--lang", default="vi", choices=("vi", "en"), help="language of the review's labels: vi (default) or en (review.en.html, figures *.en.png)")
    check = commands.add_parser("check", help="check one return file, or a year folder, against the contract; builds nothing")
    check.add_argument("path", help="a return file (e.g. data/raw/2017/activities/HND.xlsx) or a year folder")
    check.add_argument("--year", help="the programme year (default: from the folder name)")
    template = commands.add_parser("template", help="write the blank returns (forms) of a year for the agencies: DIR/<year>/activities/<AGENCY>.xlsx, cooperatives.xlsx, groups.xlsx")
    template.add_argument("year", help="the programme year of the forms, e.g. 2023")
    template.add_argument("--out", required=True, help="folder to write <year>/ into (existing returns are never overwritten)")
    template.add_argument("--data", help="data folder whose programme.csv and reference/ tables to use (default ./data)")
    template.add_argument("--register-rows", type=int, default=None, help="empty rows of the HTX register (default 600)")
    status = commands.add_parser("status", help="one table of every year folder: returns in and missing, rejected rows, last build, whether the review is current")
    status.add_argument("--data", help="folder holding raw/ and processed/ (default ./data)")
    status.add_argument("--reports", help="folder of the rendered reviews (default ./reports)")
    return parser


def _data_root(value: str | None) -> str | None:
    from helpers.paths import validate_root

    if value is None:
        return None
    path = validate_root(value, "--data")
    if not path.is_dir():
        raise ParameterError(f"--data {value}: no such folder — give the folder that holds raw/<year>/")
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
        print(f"coop-review: {error}", file=sys.stderr)
        return 2
    except WriteFailure as error:  # a read-only folder, a full disk, a file open in Excel: not a bug, no traceback
        print(f"coop-review: {error}; the last good outputs were left as they were", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("coop-review: interrupted; outputs already complete are kept, the others are unchanged", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    from helpers.paths import ProjectPaths
    from helpers.paths import validate_year
    from helpers.runner import print_summary, run_years

    paths = ProjectPaths.from_roots(_data_root(args.data), args.reports)
    if args.all and args.years:
        raise ParameterError("give years or --all, not both")
    if args.all:
        years = paths.available_years()
        if not years:
            near = "".join(f"; {folder.note}" for folder in paths.near_miss_year_folders())
            raise ParameterError(f"no year folders in {paths.raw_root} — put each year's returns in {paths.raw_root / '<year>'}{near}")
    elif args.years:
        years = [validate_year(y) for y in args.years]
    else:
        raise ParameterError("which years? e.g. 'coop-review run 2017' or 'coop-review run --all'")
    print(f"coop-review: years {', '.join(map(str, years))}; data {paths.data_root}; reports {paths.reports_root}")
    from helpers.programme import year_notes

    with_data = set(paths.processed_years()) | {y for y in years if paths.raw_year(y).is_dir()}
    for year in sorted(set(years) & with_data):
        for note in year_notes(paths, year, with_data):  # said once per run, not by every stage
            print(note)
    if args.jobs < 1:
        raise ParameterError("--jobs must be 1 or more")
    summary = run_years(years, paths, lang=args.lang, jobs=args.jobs, force=args.force, dry_run=args.dry_run)
    if args.dry_run:
        return 0
    print_summary(summary)
    return summary.exit_code


def _template(args: argparse.Namespace) -> int:
    from helpers.blank_forms import REGISTER_ROWS, write_blank_returns
    from helpers.paths import ProjectPaths, validate_root, validate_year
    from helpers.programme import programme_for
    from helpers.reference import use_reference_dir

    year = validate_year(args.year)
    paths = ProjectPaths.from_roots(_data_root(args.data))
    use_reference_dir(paths.reference_dir)
    out = validate_root(args.out, "--out")
    written = write_blank_returns(year, out, programme_for(paths, year), args.register_rows or REGISTER_ROWS)
    print(f"Đã tạo {len(written)} biểu mẫu trống năm {year} trong {out / str(year)}:")
    for path in written:
        print(f"  {path.relative_to(out).as_posix()}")
    print(
        "Gửi mỗi cơ quan biểu của mình; nhận lại thì đặt vào data/raw/"
        f"{year}/ giữ nguyên tên tệp, rồi chạy: coop-review check data/raw/{year}"
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    from helpers.paths import ProjectPaths
    from helpers.status import format_status, year_statuses

    paths = ProjectPaths.from_roots(_data_root(args.data), args.reports)
    statuses = year_statuses(paths)
    print(f"coop-review status: data {paths.data_root}; reports {paths.reports_root}")
    print(format_status(statuses))
    return 0 if statuses and all(s.is_ready for s in statuses) else 1


def _check(args: argparse.Namespace) -> int:
    import pandas as pd

    from helpers.clean import YearClean, add_read, check_ledger, clean_year, ledger_table, rejects_table
    from helpers.reference import resolve_agency
    from helpers.returns import read_return
    from helpers.paths import validate_year

    path = Path(args.path)
    if not path.exists():
        raise ParameterError(f"{path}: no such file or folder")
    folder = path if path.is_dir() else path.parent
    year_folder = folder.parent if folder.name == "activities" else folder
    year = validate_year(args.year) if args.year else (int(year_folder.name) if year_folder.name.isdigit() and len(year_folder.name) == 4 else None)
    from helpers.reference import use_reference_dir

    if year_folder.parent.name == "raw":  # data/raw/<year>: the data root's own district tables, if any
        use_reference_dir(year_folder.parent.parent / "reference")
    if path.is_dir():
        if year is None:
            raise ParameterError(f"{path}: name the year with --year (the folder name is not a year)")
        result = clean_year(path, year)
    else:
        template = _template_of(path)
        result = YearClean(year=year or 0)
        source = f"activities/{path.name}" if template == "01" else path.name
        try:
            add_read(result, read_return(path, source, template, agency=resolve_agency(path.name), year=year))
        except FileProblem as problem:
            from helpers.clean import Problem

            result.problems.append(Problem(problem.where, problem.problem, problem.action))
    with pd.option_context("display.max_colwidth", 200, "display.width", 200, "display.max_rows", 500):
        ledger = ledger_table(result)
        if not ledger.empty:
            print("Ledger (rows read = accepted + rejected + non-data):")
            print(ledger.drop(columns=["status"]).to_string(index=False))
        rejects = rejects_table(result)
        if not rejects.empty:
            print(f"\nRejected rows ({rejects['row'].count()} cells):")
            for row in rejects.itertuples():
                column = f' › "{row.column}"' if row.column else ""
                unit = f" ({row.unit})" if row.unit else ""
                print(f"  {row.file} › {row.sheet} › row {row.row}{unit}{column}: {row.reason}")
    for read in result.reads:
        for letter, label, reason in read.ignored_columns:
            print(f"  ignored column {read.source} › {letter} '{label}': {reason}")
        for line in totals_disagreements(read):
            print(f"  {line}")
    check_ledger(result)  # every row accounted for, or a bug: never a silent OK
    errors = [p for p in result.problems if p.severity == "error"]
    for problem in result.problems:
        print(f"{'PROBLEM' if problem.severity == 'error' else 'note'}: {problem.message}")
    empty = [read.source for read in result.reads if not read.kind_counts()["accepted"] and not read.kind_counts()["rejected"]]
    for source in empty:
        print(f"PROBLEM: {source}: no data row was found under the header — check that the table's rows name their units")
    if errors or empty:
        return 2
    if any(read.rejects for read in result.reads):
        return 1
    if any(not t.agrees for read in result.reads for t in read.totals) or any(p.severity != "error" for p in result.problems):
        print("Read, and no row is rejected; see the notes above before accepting the return.")
        return 0
    print("OK: every row is accounted for (ledger above) and no row is rejected.")
    return 0


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
            noun = "row" if len(rejected) == 1 else "rows"
            lines.append(
                f"totals row {read.source} › row {row} disagrees with the sum of its rows in {columns}: "
                f"{noun} {rows} {'was' if len(rejected) == 1 else 'were'} rejected and {'is' if len(rejected) == 1 else 'are'} not in the sum"
            )
            continue
        for check in checks:
            lines.append(
                f"totals row {read.source} › row {row} › \"{check.column}\": {check.totals_value:g} but the rows add up to {check.rows_sum:g}"
            )
    return lines


def _template_of(path: Path) -> str:
    from helpers.clean import ACTIVITIES_DIR, SINGLE_RETURNS
    from helpers.reference import resolve_agency

    stem = path.stem.lower()
    for template, name in SINGLE_RETURNS.items():
        if stem == name:
            return template
    if path.parent.name == ACTIVITIES_DIR or resolve_agency(path.name):
        return "01"
    raise FileProblem(path.name, "cannot tell which template this file is", "name it cooperatives.*, groups.*, or start its name with an agency code")


def entry_point() -> None:
    """Console-script wrapper: exit with :func:`main`'s code."""
    try:
        code = main()
    except CoopReviewError as error:
        print(f"coop-review: {error}", file=sys.stderr)
        code = 2
    sys.exit(code)


if __name__ == "__main__":
    entry_point()
