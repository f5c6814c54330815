"""The contract between stages: every table a stage writes to ``processed/<year>/``, its columns and their kinds.

One place says what each stage hands to the next (the files for people — the
review, workbooks, figures — and the build record ``build.json`` are not
tables between stages): the file name, the stage
that writes it, and each column's name and kind. Writers go through
:func:`write_stage_table`, which refuses a table that breaks the contract (a
bug: the columns or kinds a later stage relies on changed). Readers go through
:func:`read_stage_table`, which checks the file on disk and raises a located
:class:`StageOutputError` (exit 2, "rebuild the year") for a file that was
damaged or written by another version, instead of a ``KeyError`` deep in a
later stage.

Kinds:

* ``text`` — words or codes (read as text even when they look like numbers: sheet ``01``);
* ``number`` — a float, empty when there is no value;
* ``whole`` — an integer, never empty (row numbers, counts of rows);
* ``year`` — an integer year, may be empty;
* ``flag`` — ``True`` / ``False``.

Units over time (``raw-data.md``): a ``district`` column holds the code of a
unit valid on 31 December of the year — a district (``369`` … ``377``) up to
2024, a commune or ward (five digits, ``14428``) after the district level
ended on 1/7/2025 — or ``TINH``/``ALL``. The columns stay the same across the
reform; ``changes.csv`` and ``cumulative.csv`` carry ``territory_changed``
when a comparison spans a change of the units.

Why this module is long: it is the data dictionary of every stage output, one entry per
file with its columns and kinds, read top to bottom; split, the contract would be in two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.errors import FileProblem
from helpers.messages import message
from helpers.outputs import write_csv, write_parquet
from helpers.read.forms import GROUPS, REGISTER
from helpers.read.ledger import ROW_KINDS

KINDS = ("text", "number", "whole", "year", "flag")


@dataclass(frozen=True)
class StageTable:
    """One table a stage writes for the stages after it."""

    name: str
    stage: int
    columns: tuple[tuple[str, str], ...]  # (column, kind), in file order
    about: str

    @property
    def column_names(self) -> list[str]:
        """The columns, in file order."""
        return [name for name, _ in self.columns]

    def kinds(self, kind: str) -> list[str]:
        """The columns of one kind."""
        return [name for name, each in self.columns if each == kind]


class StageOutputError(FileProblem):
    """A stage output on disk that does not keep the contract: damaged, or written by another version."""


def _columns(spec: str) -> tuple[tuple[str, str], ...]:
    """``"a:text b:number"`` → ``(("a", "text"), ("b", "number"))``."""
    pairs = tuple(tuple(item.split(":")) for item in spec.split())
    assert all(kind in KINDS for _, kind in pairs), spec
    return pairs


def _approximate_columns(fields: tuple[str, ...]) -> str:
    """Each number field, then its ``_approximate`` flags, then its ``_approx_sense`` texts (the register's order)."""
    numbers = " ".join(f"{f}:number" for f in fields)
    flags = " ".join(f"{f}_approximate:flag" for f in fields)
    senses = " ".join(f"{f}_approx_sense:text" for f in fields)
    return f"{numbers} {flags} {senses}"


REGISTER_NUMBER_FIELDS = REGISTER.value_fields
"""The numeric fields of the HTX register (Biểu 02), from ``value_fields.csv``."""
GROUP_FIELDS = GROUPS.value_fields
"""The numeric fields of the THT table (Biểu 03), from ``value_fields.csv``."""

_TABLES = (
    StageTable(
        "activities.parquet",
        1,
        _columns(
            "agency:text district:text indicator:text value:number approximate:flag approx_sense:text "
            "source:text row:whole"
        ),
        "accepted rows of Biểu 01: one value per agency, district and indicator",
    ),
    StageTable(
        "register.parquet",
        1,
        _columns(
            "reg_no:text name:text district:text commune:text sector:text founded:text founded_year:year status:text "
            "dissolved:text dissolved_year:year "
            + _approximate_columns(REGISTER_NUMBER_FIELDS)
            + " rating:text source:text row:whole"
        ),
        "accepted rows of Biểu 02: one cooperative each",
    ),
    StageTable(
        "groups.parquet",
        1,
        _columns("district:text " + _approximate_columns(GROUP_FIELDS) + " source:text row:whole"),
        "accepted rows of Biểu 03: THT by district",
    ),
    StageTable("rows.parquet", 1, _columns("file:text sheet:text row:whole kind:text"), "the kind of every row read"),
    StageTable(
        "rejects.csv",
        1,
        _columns("file:text sheet:text row:whole unit:text column:text value:text reason:text row_values:whole"),
        "every rejected row, with the reason and how to fix it",
    ),
    StageTable(
        "ledger.csv",
        1,
        _columns(
            "file:text template:text agency:text sheet:text status:text encoding:text was_nfd:flag rows_read:whole "
            + " ".join(f"{kind}:whole" for kind in ROW_KINDS)
            + " ignored_columns:whole approximate_values:whole totals_rows:whole totals_disagreements:whole"
            " warnings:whole corrections:whole"
        ),
        "one line per file: rows read = accepted + rejected + non-data",
    ),
    StageTable(
        "totals_checks.csv",
        1,
        _columns(
            "file:text sheet:text row:whole column:text field:text totals_value:number rows_sum:number "
            "difference:number rows_summed:whole rows_rejected:whole approximate:flag agrees:flag"
        ),
        "every totals row typed in a return, against the sum of its rows",
    ),
    StageTable(
        "approximate.csv",
        1,
        _columns("file:text sheet:text row:whole column:text typed:text value:number sense:text"),
        "every value typed as approximate (trên, khoảng …)",
    ),
    StageTable(
        "ignored_columns.csv",
        1,
        _columns("file:text sheet:text column:text label:text reason:text"),
        "every column not read, with why",
    ),
    StageTable(
        "corrections_applied.csv",
        1,
        _columns("file:text sheet:text row:whole column:text before:text after:text reason:text"),
        "declared corrections applied, before and after",
    ),
    StageTable(
        "problems.csv",
        1,
        _columns("file:text problem:text action:text severity:text"),
        "files that could not be used, missing returns, warnings",
    ),
    StageTable(
        "indicators.csv",
        2,
        _columns(
            "year:whole indicator:text agency:text district:text value:number unit:text "
            "approximate:flag approx_sense:text"
        ),
        "sections A and B of indicators.md: tidy, one value per indicator, agency and district (the unit of the "
        "year: a district code up to 2024, the commune or ward code, five digits, after 1/7/2025)",
    ),
    StageTable(
        "revisions.csv",
        2,
        _columns(
            "built_at:text indicator:text indicator_name:text agency:text agency_name:text district:text "
            "district_name:text old:text new:text cause:text"
        ),
        "every indicator value that moved when the year was built again, and why (appended, never rewritten)",
    ),
    StageTable(
        "revisions_latest.csv",
        2,
        _columns(
            "built_at:text indicator:text indicator_name:text agency:text agency_name:text district:text "
            "district_name:text old:text new:text cause:text"
        ),
        "the moves of the latest build only",
    ),
    StageTable(
        "changes.csv",
        3,
        _columns(
            "indicator:text year:whole value:number previous_value:number change:number change_pct:number "
            "approximate:flag approx_sense:text previous_approx_sense:text territory_changed:flag"
        ),
        "section C: change on the previous year (territory_changed: the units are not those of the previous year)",
    ),
    StageTable(
        "cumulative.csv",
        3,
        _columns(
            "indicator:text from_year:whole to_year:whole total:number years_reported:whole years_missing:text "
            "approximate:flag approx_sense:text territory_changed:flag"
        ),
        "section C: programme totals since its first year (territory_changed: the years added up are not all of one "
        "territory)",
    ),
    StageTable(
        "cross_checks.csv",
        3,
        _columns(
            "check:text scope:text value:number expected:number difference:number status:text note:text "
            "file:text row:number column:text rows_rejected:number"
        ),
        "section C: the cross-checks across templates and years",
    ),
    StageTable(
        "targets_progress.csv",
        3,
        _columns(
            "indicator:text period:text basis:text target_low:number target_high:number value:number "
            "status:text note:text source:text"
        ),
        "section C: each target and where the year stands",
    ),
)

STAGE_TABLES: dict[str, StageTable] = {table.name: table for table in _TABLES}
"""Every stage output by file name."""

ACTIVITIES, REGISTER, GROUPS, ROWS = "activities.parquet", "register.parquet", "groups.parquet", "rows.parquet"
REJECTS, LEDGER, TOTALS_CHECKS, APPROXIMATE = "rejects.csv", "ledger.csv", "totals_checks.csv", "approximate.csv"
IGNORED_COLUMNS, CORRECTIONS_APPLIED, PROBLEMS = "ignored_columns.csv", "corrections_applied.csv", "problems.csv"
INDICATORS, REVISIONS, REVISIONS_LATEST = "indicators.csv", "revisions.csv", "revisions_latest.csv"
REJECTS_WORKBOOK, REVISIONS_WORKBOOK = "rejects.xlsx", "revisions.xlsx"
"""Files for people beside the stage tables (not part of the contract): the rejects and the revisions as workbooks."""
CHANGES, CUMULATIVE, CROSS_CHECKS, TARGETS_PROGRESS = (
    "changes.csv",
    "cumulative.csv",
    "cross_checks.csv",
    "targets_progress.csv",
)


def outputs_of(stage: int) -> list[str]:
    """The file names a stage writes to ``processed/<year>/``."""
    return [table.name for table in _TABLES if table.stage == stage]


def columns_of(name: str) -> list[str]:
    """The columns of a stage output, in file order."""
    return STAGE_TABLES[name].column_names


_DTYPE_CHECKS = {
    "text": lambda s: pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s),
    "number": lambda s: pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s),
    "whole": pd.api.types.is_integer_dtype,
    "year": pd.api.types.is_integer_dtype,
    "flag": pd.api.types.is_bool_dtype,
}


def contract_breaches(table: pd.DataFrame, name: str) -> list[str]:
    """What in ``table`` breaks the contract of ``name`` (empty: it keeps it)."""
    contract = STAGE_TABLES[name]
    if list(table.columns) != contract.column_names:
        missing = [c for c in contract.column_names if c not in table.columns]
        extra = [c for c in table.columns if c not in contract.column_names]
        return [f"columns {list(table.columns)} are not {contract.column_names} (missing {missing}, extra {extra})"]
    if table.empty:  # no row: no kind to check
        return []
    breaches = []
    for column, kind in contract.columns:
        series = table[column]
        if series.isna().all() and kind != "whole":  # an empty or all-empty column has no kind to check
            continue
        if not _DTYPE_CHECKS[kind](series):
            breaches.append(f"column {column!r} is {series.dtype}, not {kind}")
    return breaches


def check_written(table: pd.DataFrame, name: str) -> None:
    """Refuse to write a stage output that breaks its contract.

    Raises:
        AssertionError: the table breaks the contract (a bug in the stage that built it, not a data problem).
    """
    breaches = contract_breaches(table, name)
    if breaches:
        raise AssertionError(f"{name} breaks the contract of helpers.tables: " + "; ".join(breaches))


def damaged(path: Path, problem: str) -> StageOutputError:
    """The error for a stage output on disk that cannot be used: named, and the way to rebuild it."""
    year = path.parent.name
    return StageOutputError(str(path), message("tables.breach", breaches=problem), message("tables.rebuild", year=year))


def write_stage_table(table: pd.DataFrame, folder: Path, name: str) -> None:
    """Write a stage output after checking it keeps the contract (:func:`check_written`)."""
    check_written(table, name)
    if name.endswith(".parquet"):
        write_parquet(table, folder / name)
    else:
        write_csv(table, folder / name)


def read_stage_table(folder: Path, name: str) -> pd.DataFrame:
    """Read a stage output and check it against the contract.

    CSV text columns are read as text (never as numbers), empty cells as
    missing; numbers as floats; whole numbers and years as integers; flags as
    booleans.

    Raises:
        StageOutputError: the file is missing, damaged or of another version; the message names it and says to
            rebuild the year.
    """
    path = folder / name
    contract = STAGE_TABLES[name]
    try:
        if name.endswith(".parquet"):
            table = pd.read_parquet(path, engine="pyarrow")
        else:
            table = pd.read_csv(
                path,
                keep_default_na=False,
                na_values=[""],
                dtype={column: str for column in contract.kinds("text")},
                encoding="utf-8-sig",
            )
            table = _typed(table, contract)
    except (OSError, ValueError, KeyError) as error:
        raise damaged(path, str(error)) from None
    breaches = contract_breaches(table, name)
    if breaches:
        raise damaged(path, "; ".join(breaches))
    return table


def _typed(table: pd.DataFrame, contract: StageTable) -> pd.DataFrame:
    """The kinds of a CSV read as text and numbers: flags as booleans, whole numbers and years as integers."""
    for column in contract.kinds("flag"):
        if column in table:
            values = table[column].astype(str).str.lower()
            if not values.isin(["true", "false"]).all():
                raise ValueError(f"column {column!r} holds {sorted(set(values) - {'true', 'false'})}, not True/False")
            table[column] = values.eq("true")
    for column in contract.kinds("whole"):
        if column in table:
            table[column] = table[column].astype("int64")
    for column in contract.kinds("year"):
        if column in table:
            table[column] = table[column].astype("Int64")
    return table
