"""The contract between stages (helpers.tables): every output named once, checked on write and on read."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from helpers import tables
from helpers.errors import exit_code
from helpers.paths import PROJECT_ROOT
from helpers.tables import STAGE_TABLES, StageOutputError, read_stage_table, write_stage_table

SRC = PROJECT_ROOT / "src" / "helpers"


@pytest.mark.slow
def test_every_output_of_a_built_year_keeps_its_contract(built_review):
    root, _ = built_review
    for year in (2017, 2018):
        folder = root / "data" / "processed" / str(year)
        written = {p.name for p in folder.iterdir() if p.suffix in (".csv", ".parquet")}
        assert written <= set(STAGE_TABLES), sorted(written - set(STAGE_TABLES))  # no output outside the contract
        assert {t.name for t in STAGE_TABLES.values() if t.stage in (1, 3)} <= written
        for name in sorted(written - {tables.INDICATORS}):
            table = read_stage_table(folder, name)
            assert list(table.columns) == tables.columns_of(name)


def ledger_row(**changes) -> dict:
    row = {name: 0 for name in tables.columns_of(tables.LEDGER)}
    row |= {"file": "activities/hnd.xlsx", "template": "01", "agency": "HND", "sheet": "01", "status": "read"}
    row |= {"encoding": "", "was_nfd": False}
    return row | changes


def test_text_columns_stay_text_and_flags_stay_flags(tmp_path):
    """A sheet named 01 is read back as "01", not 1; True/False come back as booleans."""
    folder = tmp_path / "2017"
    folder.mkdir()
    write_stage_table(pd.DataFrame([ledger_row(rows_read=12)]), folder, tables.LEDGER)
    back = read_stage_table(folder, tables.LEDGER)
    assert back.loc[0, "sheet"] == "01" and back.loc[0, "template"] == "01"
    assert back["was_nfd"].dtype == bool and back.loc[0, "rows_read"] == 12


def test_a_table_that_breaks_the_contract_is_never_written(tmp_path):
    missing = pd.DataFrame([ledger_row()]).drop(columns=["warnings"])
    with pytest.raises(AssertionError, match="missing \\['warnings'\\]"):
        write_stage_table(missing, tmp_path, tables.LEDGER)
    wrong_kind = pd.DataFrame([ledger_row(rows_read="twelve")])
    with pytest.raises(AssertionError, match=r"'rows_read' is .*, not whole"):
        write_stage_table(wrong_kind, tmp_path, tables.LEDGER)
    reordered = pd.DataFrame([ledger_row()])[list(reversed(tables.columns_of(tables.LEDGER)))]
    with pytest.raises(AssertionError):
        write_stage_table(reordered, tmp_path, tables.LEDGER)
    assert not (tmp_path / tables.LEDGER).exists()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("file,problem\nx,y\n", "missing ['action', 'severity']"),
        ("file,problem,action,severity\nx,y,z,error\n", None),
    ],
)
def test_a_damaged_output_is_named_with_how_to_rebuild_its_year(tmp_path, text, fragment):
    folder = tmp_path / "processed" / "2017"
    folder.mkdir(parents=True)
    (folder / tables.PROBLEMS).write_text(text, encoding="utf-8")
    if fragment is None:
        assert len(read_stage_table(folder, tables.PROBLEMS)) == 1
        return
    with pytest.raises(StageOutputError) as error:
        read_stage_table(folder, tables.PROBLEMS)
    assert str(folder / tables.PROBLEMS) in str(error.value) and fragment in str(error.value)
    assert "coop-review run 2017 --force" in str(error.value)
    assert exit_code(error.value) == 2


def test_a_damaged_indicators_file_is_a_stage_output_error(tmp_path):
    from helpers.compute.indicators import read_indicators

    path = tmp_path / "2017" / tables.INDICATORS
    path.parent.mkdir()
    path.write_text("year,indicator\n2017,htx_new\n", encoding="utf-8")
    with pytest.raises(StageOutputError, match="coop-review run 2017 --force"):
        read_indicators(path)


def stage_output_literals(tree: ast.AST) -> list[str]:
    """String constants of a module that are exactly a stage output's file name.

    ``read_reference_table("indicators.csv")`` is the indicator catalogue of ``reference/data``, not the stage output.
    """
    catalogue_reads = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "read_reference_table" and node.args
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in STAGE_TABLES
        and id(node) not in catalogue_reads
    ]


def test_stage_output_names_are_spelled_only_in_the_contract():
    """Every module names stage outputs through helpers.tables, never by a string literal of its own."""
    spelled = {
        path.relative_to(SRC).as_posix(): found
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "tables.py" and (found := stage_output_literals(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert spelled == {}


def test_the_literal_scan_finds_a_spelled_name():
    assert stage_output_literals(ast.parse('x = folder / "indicators.csv"')) == ["indicators.csv"]
    assert stage_output_literals(ast.parse('read_reference_table("indicators.csv")')) == []


def test_every_output_belongs_to_a_stage_and_every_kind_is_known():
    for table in STAGE_TABLES.values():
        assert table.stage in (1, 2, 3) and table.about
        assert {kind for _, kind in table.columns} <= set(tables.KINDS)
        assert len(set(table.column_names)) == len(table.column_names)
    assert Path(tables.__file__).name == "tables.py"
