"""Two data roots with different reference tables, used in one process: each gets its own.

Root A has no ``reference/`` folder (the shipped Ninh Bình tables); root B has
its own tables in which Kim Sơn (376) is not a district. The same returns are
read under A, then B, then A again: Kim Sơn is rejected under B only. With the
old module global, whichever root was used last decided for every later read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli, write_csv, write_xlsx
from helpers.clean.outputs import activities_table, groups_table, register_table
from helpers.clean.year import clean_year
from helpers.compute.indicators import compute_indicators
from helpers.errors import FileProblem, exit_code
from helpers.paths import ProjectPaths
from helpers.pipeline.cli import main
from helpers.read.returns import read_return
from helpers.reference import SHIPPED, load_reference, read_reference_table
from test_bad_returns import AGENCIES, YEAR, activity, groups, register

KIM_SON = "376"


def write_year(raw_year: Path) -> Path:
    """Six good returns, naming Kim Sơn and Yên Mô (as ``tests/test_bad_returns.py``)."""
    for agency in AGENCIES:
        write_xlsx(raw_year / "activities" / f"{agency}.xlsx", activity())
    write_xlsx(raw_year / "cooperatives.xlsx", register())
    write_xlsx(raw_year / "groups.xlsx", groups())
    return raw_year


def write_tables(folder: Path, drop_district: str | None = None, extra_agency: tuple[str, str, str] | None = None):
    """A data root's own reference tables: the shipped ones without a district, or with one more agency."""
    tables = {
        "districts.csv": [r for r in read_reference_table("districts.csv") if r["district_code"] != drop_district],
        "district_aliases.csv": [
            r for r in read_reference_table("district_aliases.csv") if r["district_code"] != drop_district
        ],
        "agencies.csv": read_reference_table("agencies.csv"),
    }
    if extra_agency:
        tables["agencies.csv"].append(dict(zip(("agency_code", "name_vi", "name_en"), extra_agency, strict=True)))
    for name, rows in tables.items():
        write_csv(folder / name, [list(rows[0]), *(list(row.values()) for row in rows)])


@pytest.fixture
def roots(tmp_path: Path) -> tuple[ProjectPaths, ProjectPaths]:
    """Root A (shipped tables) and root B (its own tables, without Kim Sơn), with the same returns."""
    a = ProjectPaths.from_roots(tmp_path / "a" / "data", tmp_path / "a" / "reports")
    b = ProjectPaths.from_roots(tmp_path / "b" / "data", tmp_path / "b" / "reports")
    write_year(a.raw_year(YEAR))
    shutil.copytree(a.raw_year(YEAR), b.raw_year(YEAR))
    write_tables(b.reference_dir, drop_district=KIM_SON)
    return a, b


def _districts(paths: ProjectPaths) -> tuple[set[str], set[str]]:
    """Districts of the accepted Biểu 01 rows and of the rejected rows' units, cleaning the root's year."""
    result = clean_year(paths.raw_year(YEAR), YEAR, paths.corrections_file, reference=paths.reference())
    accepted = set(activities_table(result)["district"])
    rejected = {reject.unit for read in result.reads for reject in read.rejects}
    return accepted, rejected


def test_each_root_reads_with_its_own_tables_interleaved(roots):
    a, b = roots
    first, under_b, again = _districts(a), _districts(b), _districts(a)
    assert first == again == ({KIM_SON, "377", "TINH"}, set())
    # under B: the Kim Sơn rows of Biểu 01 and 03, and the two cooperatives of Kim Sơn (Biểu 02), are rejected
    assert under_b == ({"377", "TINH"}, {"Kim Sơn", "HTX số 1", "HTX số 2"})


def test_each_paths_object_reads_its_tables_once(roots):
    a, b = roots
    assert a.reference() is a.reference() and b.reference() is b.reference()
    assert a.reference().fingerprint() == SHIPPED and b.reference().fingerprint() != SHIPPED
    assert KIM_SON in a.reference().district_by_code and KIM_SON not in b.reference().district_by_code
    assert ProjectPaths.from_roots(b.data_root, b.reports_root).reference() == b.reference()  # same tables


def test_the_same_file_read_under_either_table_in_turn(roots):
    a, b = roots
    path = a.raw_year(YEAR) / "activities" / "HND.xlsx"
    reads = [
        read_return(path, "activities/HND.xlsx", "01", reference=paths.reference(), agency="HND", year=YEAR)
        for paths in (b, a, b)
    ]
    assert [[r.row for r in read.rejects] for read in reads] == [[4], [], [4]]
    reason = reads[0].rejects[0].reason  # the units to use instead are B's: Kim Sơn is not one of them
    assert reason.endswith(b.reference().for_year(YEAR).known_units_text(True)) and "Kim Sơn (376)" not in reason
    assert "Kim Sơn (376)" in a.reference().known_units_text(True)


def test_indicators_are_by_the_districts_of_the_root(roots):
    a, b = roots
    computed = {}
    for name, paths in (("a", a), ("b", b)):
        result = clean_year(paths.raw_year(YEAR), YEAR, reference=paths.reference())
        tables = (activities_table(result), register_table(result), groups_table(result))
        computed[name] = set(compute_indicators(*tables, YEAR, reference=paths.reference())["district"])
    assert KIM_SON in computed["a"] and KIM_SON not in computed["b"]


def test_check_uses_the_tables_of_the_root_it_checks(roots, capsys):
    """``coop-review check`` of root B, A, B in one process: Kim Sơn is rejected in B only."""
    a, b = roots
    codes = [main(["check", str(paths.raw_year(YEAR))]) for paths in (b, a, b)]
    out = capsys.readouterr().out
    assert codes == [1, 0, 1]
    assert out.count("Kim Sơn") >= 2


def test_status_and_template_use_the_tables_of_the_data_root(tmp_path, capsys):
    """A root whose agencies table has a fifth agency: status misses its return, template writes its form."""
    c = tmp_path / "c" / "data"
    write_year(c / "raw" / str(YEAR))
    write_tables(c / "reference", extra_agency=("HTN", "Hội Thanh niên tỉnh", "Youth Union"))
    plain = tmp_path / "plain" / "data"
    write_year(plain / "raw" / str(YEAR))
    statuses = {}
    for name, root in (("c", c), ("plain", plain), ("c again", c)):
        assert main(["status", "--data", str(root), "--reports", str(root.parent / "reports")]) == 1
        statuses[name] = capsys.readouterr().out
    missing_row = lambda out: next(line for line in out.splitlines() if line.startswith(str(YEAR)))  # noqa: E731
    assert "HTN" in missing_row(statuses["c"]) and "HTN" in missing_row(statuses["c again"])
    assert "HTN" not in missing_row(statuses["plain"])
    assert main(["template", "2023", "--out", str(tmp_path / "forms_c"), "--data", str(c)]) == 0
    assert main(["template", "2023", "--out", str(tmp_path / "forms_plain"), "--data", str(plain)]) == 0
    capsys.readouterr()
    assert (tmp_path / "forms_c" / "2023" / "activities" / "HTN.xlsx").is_file()
    assert not (tmp_path / "forms_plain" / "2023" / "activities" / "HTN.xlsx").exists()


def test_a_conflicting_alias_table_is_refused(tmp_path):
    write_csv(tmp_path / "district_aliases.csv", [["district_code", "alias"], ["376", "Kim Sơn"], ["377", "KIM SON"]])
    with pytest.raises(FileProblem) as error:
        load_reference(tmp_path)
    assert str(tmp_path) in str(error.value) and "chỉ hai địa bàn 376 và 377" in str(error.value)
    assert exit_code(error.value) == 2


@pytest.mark.slow
def test_run_builds_a_root_with_its_own_tables(roots):
    """``coop-review run --data`` of root B: every stage notebook reads with B's tables (Kim Sơn rejected)."""
    _, b = roots
    result = run_cli("run", str(YEAR), "--data", str(b.data_root), "--reports", str(b.reports_root), "-j", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    processed = b.final_processed(YEAR)
    rejects = (processed / "rejects.csv").read_text(encoding="utf-8-sig")
    indicators = (processed / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "Kim Sơn" in rejects and f",{KIM_SON}," not in indicators
    assert "Yên Mô" in (b.final_reports(YEAR) / "review.html").read_text(encoding="utf-8")


def test_the_package_reads_a_data_roots_tables_only_through_a_reference():
    """``read_reference_table`` gives the shipped tables: the package never reads a data root's tables with it."""
    from helpers.paths import PROJECT_ROOT
    from helpers.reference import OVERRIDABLE

    package = PROJECT_ROOT / "src" / "helpers"
    found = [
        f"{path.relative_to(package).as_posix()}: {name}"
        for path in package.rglob("*.py")
        if path.parent.name != "reference"
        for name in OVERRIDABLE
        if f'read_reference_table("{name}")' in path.read_text(encoding="utf-8")
    ]
    assert found == []
    assert 'read_reference_table("districts.csv")' in Path(__file__).read_text(encoding="utf-8")  # the check can match
