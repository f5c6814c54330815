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
import re
import sys
from pathlib import Path
from typing import NoReturn

from helpers.errors import CoopReviewError, ParameterError, WriteFailure
from helpers.messages import message


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


ARGPARSE_ERRORS = (
    ("argument %(argument_name)s: %(message)s", "cli.arg_argument"),
    ("the following arguments are required: %s", "cli.arg_required"),
    ("unrecognized arguments: %s", "cli.arg_unrecognized"),
    ("invalid choice: %(value)r (choose from %(choices)s)", "cli.arg_invalid_choice"),
    ("invalid int value: %(value)r", "cli.arg_invalid_int"),  # "invalid %(type)s value": int is the only type used
    ("expected one argument", "cli.arg_expected_one"),
    ("ambiguous option: %(option)s could match %(matches)s", "cli.arg_ambiguous"),
    ("ignored explicit argument %r", "cli.arg_ignored_explicit"),
)
"""argparse's errors (its own English, as in ``argparse.py``) → the catalogue key that says them.

A ``%s`` without a name is ``{value}`` in the catalogue. An error argparse may
word otherwise one day keeps its English inside the Vietnamese frame
(``cli.arg_error``); ``tests/test_cli.py`` says so for every error listed here.
"""


def _error_pattern(text: str) -> re.Pattern[str]:
    """A regular expression for one of argparse's error texts: each ``%(name)s`` / ``%s`` a named group."""
    parts = re.split(r"%(?:\((\w+)\))?[sr]", text)
    pattern = re.escape(parts[0])
    for index in range(1, len(parts), 2):
        pattern += f"(?P<{parts[index] or 'value'}>.+?)" + re.escape(parts[index + 1])
    return re.compile(pattern)


_ERROR_PATTERNS = tuple((_error_pattern(text), key) for text, key in ARGPARSE_ERRORS)


def translate_argparse_error(text: str, lang: str = "vi") -> str:
    """One of argparse's error texts in ``lang``; one it does not know, as it is.

    ``argument -j/--jobs: invalid int value: 'x'`` → ``đối số -j/--jobs: 'x' không phải là số nguyên``.
    """
    for pattern, key in _ERROR_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            if "message" in values:  # "argument X: <another of argparse's errors>"
                values["message"] = translate_argparse_error(values["message"], lang)
            return message(key, lang, **values)
    return text


class _Parser(argparse.ArgumentParser):
    """argparse whose errors speak from the catalogue, in Vietnamese; it still exits with 2, as argparse does."""

    def error(self, text: str) -> NoReturn:
        """Print the usage and the error (translated by :func:`translate_argparse_error`), then exit with 2."""
        self.print_usage(sys.stderr)
        self.exit(2, message("cli.arg_error", prog=self.prog, message=translate_argparse_error(text)) + "\n")


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
    parser = _Parser(prog="coop-review", description=message("cli.description"), epilog=message("cli.epilog"), **sub)
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
    # named as the usage shows it, so that a missing or mistyped command is not called by its dest, "command"
    commands.metavar = "{" + ",".join(commands.choices) + "}"
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
    from helpers.paths import ProjectPaths, validate_year
    from helpers.pipeline.runner import print_summary, run_years

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
    from helpers.publish.blank_forms import REGISTER_ROWS, last_register, write_blank_returns
    from helpers.tables import REGISTER

    year = validate_year(args.year)
    paths = ProjectPaths.from_roots(_data_root(args.data))
    out = validate_root(args.out, "--out")
    reference = paths.reference()
    carried = last_register(paths, year, reference)
    written = write_blank_returns(
        year,
        out,
        programme_for(paths, year),
        args.register_rows or REGISTER_ROWS,
        reference=reference,
        carried=carried,
    )
    print(message("cli.template_written", count=len(written), year=year, folder=out / str(year)))
    for path in written:
        print(f"  {path.relative_to(out).as_posix()}")
    register = paths.final_processed(year - 1) / REGISTER
    if carried is not None:
        print(message("cli.template_carried", count=len(carried.rows), last_year=year - 1, path=register))
    else:
        print(message("cli.template_not_carried", last_year=year - 1, path=register))
    print(message("cli.template_next", year=year))
    return 0


def _status(args: argparse.Namespace) -> int:
    from helpers.paths import ProjectPaths
    from helpers.pipeline.status import format_status, year_statuses

    paths = ProjectPaths.from_roots(_data_root(args.data), args.reports)
    statuses = year_statuses(paths)
    print(message("status_cli.heading", data=paths.data_root, reports=paths.reports_root))
    print(format_status(statuses))
    return 0 if statuses and all(s.is_ready for s in statuses) else 1


def _check(args: argparse.Namespace) -> int:
    from helpers.pipeline.check import check_path

    return check_path(Path(args.path), args.year)


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
