"""The tables of a cleaned year: built from a :class:`~helpers.clean.year.YearClean`, kept to the contract.

Stage 1 writes them to ``processed/<year>/`` (:data:`CLEAN_OUTPUTS`): the
accepted rows of each form (Parquet), and the ledger, rejects, totals checks,
approximate values, ignored columns, corrections applied and problems (CSV).
Their columns are those of :mod:`helpers.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import tables
from helpers.clean.year import YearClean
from helpers.read.returns import ROW_KINDS
from helpers.tables import read_stage_table, write_stage_table

# the columns of each output are the contract of helpers.tables
ACTIVITY_COLUMNS = tables.columns_of(tables.ACTIVITIES)
REGISTER_COLUMNS = tables.columns_of(tables.REGISTER)
GROUP_FIELDS = tables.GROUP_FIELDS
GROUP_COLUMNS = tables.columns_of(tables.GROUPS)
REJECT_COLUMNS = tables.columns_of(tables.REJECTS)
LEDGER_COLUMNS = tables.columns_of(tables.LEDGER)


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame


def activities_table(result: YearClean) -> pd.DataFrame:
    """Accepted Biểu 01 values, one row per agency × unit × indicator."""
    frame = _frame([r for read in result.read_of("01") for r in read.records], ACTIVITY_COLUMNS)
    return frame.astype({"value": "float64", "approximate": "bool", "approx_sense": "object", "row": "int64"})


def register_table(result: YearClean) -> pd.DataFrame:
    """Accepted Biểu 02 rows, one row per cooperative."""
    frame = _frame([r for read in result.read_of("02") for r in read.records], REGISTER_COLUMNS)
    types = {f: "float64" for f in tables.REGISTER_NUMBER_FIELDS} | {
        f"{f}_approximate": "bool" for f in tables.REGISTER_NUMBER_FIELDS
    }
    types |= {"founded_year": "Int64", "dissolved_year": "Int64", "row": "int64"}
    return frame.astype(types)


def groups_table(result: YearClean) -> pd.DataFrame:
    """Accepted Biểu 03 rows, one row per district."""
    frame = _frame([r for read in result.read_of("03") for r in read.records], GROUP_COLUMNS)
    types = {f: "float64" for f in GROUP_FIELDS} | {f"{f}_approximate": "bool" for f in GROUP_FIELDS} | {"row": "int64"}
    return frame.astype(types)


def rejects_table(result: YearClean) -> pd.DataFrame:
    """Every rejected cell (one line per bad cell of a rejected row)."""
    return _frame([vars(r) for read in result.reads for r in read.rejects], REJECT_COLUMNS).astype({"row": "int64"})


def ledger_table(result: YearClean) -> pd.DataFrame:
    """Per file: rows read and what became of them, plus flags."""
    records = []
    for read in result.reads:
        counts = read.kind_counts()
        records.append(
            {
                "file": read.source,
                "template": read.template,
                "agency": read.agency or "",
                "sheet": read.sheet,
                "status": "read",
                "encoding": read.encoding or "",
                "was_nfd": read.was_nfd,
                "rows_read": len(read.row_kinds),
                **counts,
                "ignored_columns": len(read.ignored_columns),
                "approximate_values": len(read.approximate),
                "totals_rows": len({t.row for t in read.totals}),
                "totals_disagreements": sum(not t.agrees for t in read.totals),
                "warnings": len(read.warnings),
                "corrections": len(read.corrections),
            }
        )
    for problem in result.problems:
        if problem.severity != "error":
            continue
        records.append(
            {
                "file": problem.file,
                "template": result.templates.get(problem.file, ""),
                "agency": result.reference.resolve_agency(Path(problem.file).name) or "",
                "sheet": "",
                "status": "not used",
                "encoding": "",
                "was_nfd": False,
                "rows_read": 0,
                **dict.fromkeys(ROW_KINDS, 0),
                "ignored_columns": 0,
                "approximate_values": 0,
                "totals_rows": 0,
                "totals_disagreements": 0,
                "warnings": 0,
                "corrections": 0,
            }
        )
    return _frame(records, LEDGER_COLUMNS)


def rows_table(result: YearClean) -> pd.DataFrame:
    """The kind of every row of every file read."""
    records = [
        {"file": read.source, "sheet": read.sheet, "row": index + 1, "kind": kind}
        for read in result.reads
        for index, kind in enumerate(read.row_kinds)
    ]
    return _frame(records, tables.columns_of(tables.ROWS)).astype({"row": "int64"})


def totals_table(result: YearClean) -> pd.DataFrame:
    """Every totals-row check, with whether it agrees."""
    records = [
        {
            "file": t.file,
            "sheet": t.sheet,
            "row": t.row,
            "column": t.column,
            "field": t.field,
            "totals_value": t.totals_value,
            "rows_sum": t.rows_sum,
            "difference": t.difference,
            "rows_summed": t.rows_summed,
            "rows_rejected": t.rows_rejected,
            "approximate": t.is_approximate,
            "agrees": t.agrees,
        }
        for read in result.reads
        for t in read.totals
    ]
    return _frame(records, tables.columns_of(tables.TOTALS_CHECKS))


def approximate_table(result: YearClean) -> pd.DataFrame:
    """Every value typed as approximate."""
    return _frame(
        [vars(a) for read in result.reads for a in read.approximate],
        tables.columns_of(tables.APPROXIMATE),
    )


def ignored_columns_table(result: YearClean) -> pd.DataFrame:
    """Every column that was not read, with why."""
    records = [
        {"file": read.source, "sheet": read.sheet, "column": letter, "label": label, "reason": reason}
        for read in result.reads
        for letter, label, reason in read.ignored_columns
    ]
    return _frame(records, tables.columns_of(tables.IGNORED_COLUMNS))


def corrections_table(result: YearClean) -> pd.DataFrame:
    """Every declared correction applied, with the value before and after."""
    records = [vars(c) for read in result.reads for c in read.corrections]
    return _frame(records, tables.columns_of(tables.CORRECTIONS_APPLIED))


def problems_table(result: YearClean) -> pd.DataFrame:
    """Files that could not be used, missing returns and warnings."""
    return _frame([vars(p) for p in result.problems], tables.columns_of(tables.PROBLEMS))


CLEAN_OUTPUTS = {
    tables.ACTIVITIES: activities_table,
    tables.REGISTER: register_table,
    tables.GROUPS: groups_table,
    tables.ROWS: rows_table,
    tables.REJECTS: rejects_table,
    tables.LEDGER: ledger_table,
    tables.TOTALS_CHECKS: totals_table,
    tables.APPROXIMATE: approximate_table,
    tables.IGNORED_COLUMNS: ignored_columns_table,
    tables.CORRECTIONS_APPLIED: corrections_table,
    tables.PROBLEMS: problems_table,
}
"""Output file → the function that builds it from a :class:`YearClean`."""


def write_clean_outputs(result: YearClean, processed_year: Path) -> dict[str, pd.DataFrame]:
    """Write the cleaned tables of a year; return them by file name."""
    tables = {name: build(result) for name, build in CLEAN_OUTPUTS.items()}
    for name, table in tables.items():
        write_stage_table(table, processed_year, name)
    return tables


def check_ledger(result: YearClean) -> None:
    """The invariant of ``raw-data.md``: rows read = accepted + rejected + non-data, per file.

    Raises:
        AssertionError: if a row of some file was lost (a bug, not a data problem).
    """
    for read in result.reads:
        counts = read.kind_counts()
        if sum(counts.values()) != len(read.row_kinds) or set(read.row_kinds) - set(ROW_KINDS):
            raise AssertionError(f"{read.source}: the ledger does not add up: {counts} for {len(read.row_kinds)} rows")
        rejected_rows = {r.row for r in read.rejects}
        if len(rejected_rows) != counts["rejected"]:
            raise AssertionError(
                f"{read.source}: {counts['rejected']} rows rejected but {len(rejected_rows)} in the rejects ledger"
            )


@dataclass(frozen=True)
class CleanTables:
    """The accepted rows of a year, as written by the clean stage."""

    activities: pd.DataFrame
    register: pd.DataFrame
    groups: pd.DataFrame


def load_clean_tables(processed_year: Path) -> CleanTables:
    """Read the accepted rows written by :func:`write_clean_outputs`."""
    return CleanTables(
        activities=read_stage_table(processed_year, tables.ACTIVITIES),
        register=read_stage_table(processed_year, tables.REGISTER),
        groups=read_stage_table(processed_year, tables.GROUPS),
    )
