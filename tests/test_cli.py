"""The coop-review command end to end: papermill stages, exit codes, messages, outputs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import SAMPLE_RAW, activity_rows, run_cli, write_xlsx
from helpers.messages import message

GOLDEN = Path(__file__).parent / "golden"
COMMANDS = "{run,check,template,status}"


def coop_review(*args: str) -> subprocess.CompletedProcess:
    return run_cli(*args)


def copy_year(year: int, data: Path) -> Path:
    target = data / "raw" / str(year)
    shutil.copytree(SAMPLE_RAW / str(year), target)
    return target


@pytest.fixture(scope="module")
def good_run(built_review):
    return built_review


@pytest.mark.slow
def test_run_builds_the_year(good_run):
    root, result = good_run
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    from helpers.pipeline.stages import STAGES

    for stage in (f"{s.number}/4 {s.label()}" for s in STAGES):
        assert stage in result.stdout  # the user sees progress
    processed = root / "data" / "processed" / "2017"
    for name in (
        "indicators.csv",
        "rejects.csv",
        "ledger.csv",
        "activities.parquet",
        "register.parquet",
        "groups.parquet",
    ):
        assert (processed / name).is_file(), name
    assert (processed / "indicators.csv").read_bytes() == (GOLDEN / "2017" / "indicators.csv").read_bytes()
    assert (root / "data" / "processed" / "2018" / "indicators.csv").read_bytes() == (
        GOLDEN / "2018" / "indicators.csv"
    ).read_bytes()
    reports = root / "reports" / "2017"
    for name in (
        "01_clean_returns.ipynb",
        "02_compute_indicators.ipynb",
        "03_compare_years.ipynb",
        "04_render_review.ipynb",
        "review.html",
        "indicators.xlsx",
    ):
        assert (reports / name).is_file(), name


@pytest.mark.slow
def test_review_html_has_no_code_and_shows_the_figures(good_run):
    root, _ = good_run
    html = (root / "reports" / "2017" / "review.html").read_text(encoding="utf-8")
    assert "from helpers" not in html and "review.load_year" not in html  # code cells left out
    assert "Sơ kết năm 2017" in html
    assert "273.219" in html  # a known province figure, Vietnamese number format
    assert "Sổ ghi dữ liệu" in html and "Đối chiếu số liệu" in html
    assert html.count("data:image/png;base64") >= 3
    assert "chỉ có số liệu năm 2017, chưa vẽ biểu đồ qua các năm" in html


@pytest.mark.slow
def test_figures_png_and_svg_print_ready(good_run):
    root, _ = good_run
    figures = root / "reports" / "2017" / "figures"
    stems = sorted(p.stem for p in figures.glob("*.png"))
    # the first year has no figure "over the years" (a chart of one year is no chart)
    assert stems == ["fig1_outputs_by_agency", "fig2_training_by_district", "fig7_data_quality"]
    # 2018 has two years: the figures over the years; it lies in the period of the shipped targets: figure 6
    for stem in ("fig3_htx_over_years", "fig4_rating_mix", "fig5_revenue_profit", "fig6_targets"):
        assert (root / "reports" / "2018" / "figures" / f"{stem}.png").is_file(), stem
    for stem in stems:
        assert (figures / f"{stem}.svg").is_file()
        with Image.open(figures / f"{stem}.png") as image:
            assert round(image.info["dpi"][0]) >= 200


@pytest.mark.slow
def test_unusable_files_exit_2_and_everything_else_is_built(tmp_path):
    year = copy_year(2018, tmp_path / "data")
    (year / "activities" / "hnd_2018.xlsx").write_bytes(b"not a workbook at all" * 10)
    write_xlsx(year / "activities" / "Hoi Phu nu.xlsx", activity_rows([1, "Kim Sơn", 1, 2, 3]))
    result = coop_review("run", "2018", "--data", str(tmp_path / "data"), "--reports", str(tmp_path / "reports"))
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    assert "activities/hnd_2018.xlsx" in output and "không mở được như một bảng tính" in output
    assert "Hoi Phu nu.xlsx" in output and "LMHTX, HND, HCCB, HLHPN" in output
    html = (tmp_path / "reports" / "2018" / "review.html").read_text(encoding="utf-8")
    assert "KHÔNG có trong báo cáo này" in html and "hnd_2018.xlsx" in html
    indicators = (tmp_path / "data" / "processed" / "2018" / "indicators.csv").read_text(encoding="utf-8")
    assert ",LMHTX," in indicators and ",HND," not in indicators


def test_hostile_year_is_refused_before_any_kernel(tmp_path):
    result = coop_review("run", "2017; import os", "--data", str(tmp_path))
    assert result.returncode == 2
    assert "không phải là năm" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "processed").exists()


def test_missing_year_folder_is_reported(tmp_path):
    (tmp_path / "raw").mkdir()
    result = coop_review("run", "2019", "--data", str(tmp_path), "--reports", str(tmp_path / "reports"))
    assert result.returncode == 2
    assert "không có thư mục báo cáo của năm 2019" in result.stdout


def test_check_a_good_file_a_file_with_rejects_and_a_broken_file(tmp_path):
    good = write_xlsx(tmp_path / "2017" / "activities" / "HND.xlsx", activity_rows([1, "Kim Sơn", 1, 2, 3]))
    result = coop_review("check", str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert message("cli.ok") in result.stdout

    rejected = write_xlsx(tmp_path / "2017" / "activities" / "HCCB.xlsx", activity_rows([1, "Kim Sơn", "nhiều", 2, 3]))
    result = coop_review("check", str(rejected))
    assert result.returncode == 1
    assert (
        "activities/HCCB.xlsx › Sheet1 › dòng 5 (Kim Sơn) › \"Số buổi tập huấn\": 'nhiều' không phải là số"
        in result.stdout
    )

    broken = tmp_path / "2017" / "activities" / "LMHTX.xlsx"
    broken.write_bytes(b"")
    result = coop_review("check", str(broken))
    assert result.returncode == 2
    assert message("sheets.empty_file") in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_a_sample_year_folder():
    result = coop_review("check", str(SAMPLE_RAW / "2017"))
    assert result.returncode == 1  # the sample deliberately holds rows the contract rejects
    assert message("cli.ledger_heading") in result.stdout and "cooperatives.xlsx" in result.stdout
    assert "'nhiều' không phải là số" in result.stdout


# -- --version and --help -------------------------------------------------------------------------


def test_version_is_the_installed_package_version():
    import tomllib
    from importlib.metadata import version

    import helpers

    result = coop_review("--version")
    assert result.returncode == 0, result.stderr
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert result.stdout.strip() == f"coop-review {project['version']}" == f"coop-review {version('coop-review')}"
    assert helpers.__version__ == project["version"]


def help_examples() -> list[list[str]]:
    examples = message("cli.epilog").split("ví dụ:")[1].split("mã thoát")[0]
    return [
        line.split("  ")[1].split()[1:] for line in examples.splitlines() if line.strip().startswith("coop-review ")
    ]


def test_help_shows_examples_exit_codes_and_the_vietnamese_guide():
    result = coop_review("--help")
    assert result.returncode == 0
    assert "ví dụ:" in result.stdout and "coop-review check data/raw/2022" in result.stdout
    for code in ("0  mọi tệp đều đọc được", "1  một bước bị lỗi", "2  có tệp không dùng được", "130  bị ngắt"):
        assert code in result.stdout
    assert "mã thoát của check:" in result.stdout and "cách dùng: coop-review" in result.stdout
    assert "Hướng dẫn tiếng Việt: docs/huong-dan.md" in result.stdout
    assert (Path(__file__).parent.parent / "docs" / "huong-dan.md").is_file()


@pytest.mark.parametrize("arguments", help_examples(), ids=" ".join)
def test_every_help_example_is_a_valid_command(arguments):
    from helpers.pipeline.cli import _parser

    assert arguments[0] in ("run", "check")
    _parser().parse_args(arguments)  # argparse exits (code 2) on an option that does not exist


def test_help_example_check_sees_a_wrong_option():
    """The check above can fail: an example with an option that does not exist is refused."""
    from helpers.pipeline.cli import _parser

    with pytest.raises(SystemExit):
        _parser().parse_args(["run", "--every-year"])


def choice_error(name: str, value: str, choices: str) -> str:
    inner = message("cli.arg_invalid_choice", value=value, choices=choices)
    return message("cli.arg_argument", argument_name=name, message=inner)


ARGPARSE_ENGLISH = ("error:", "usage:", "argument", "required", "unrecognized", "invalid", "expected", "ambiguous")
"""Words of argparse's English errors: none is left in what the analyst reads."""
ARGPARSE_CASES = [
    ([], "coop-review", "cli.arg_required", {"value": COMMANDS}),
    (["runn"], "coop-review", None, choice_error(COMMANDS, "'runn'", "'run', 'check', 'template', 'status'")),
    (["run", "--every-year"], "coop-review", "cli.arg_unrecognized", {"value": "--every-year"}),
    (
        ["run", "-j", "x"],
        "coop-review run",
        None,
        message("cli.arg_argument", argument_name="-j/--jobs", message=message("cli.arg_invalid_int", value="'x'")),
    ),
    (["check"], "coop-review check", "cli.arg_required", {"value": "path"}),
    (["template", "2023"], "coop-review template", "cli.arg_required", {"value": "--out"}),
    (["run", "--lang", "fr"], "coop-review run", None, choice_error("--lang", "'fr'", "'vi', 'en'")),
    (
        ["run", "--data"],
        "coop-review run",
        None,
        message("cli.arg_argument", argument_name="--data", message=message("cli.arg_expected_one")),
    ),
    (["run", "--d", "x"], "coop-review run", "cli.arg_ambiguous", {"option": "--d", "matches": "--data, --dry-run"}),
    (
        ["run", "--force=yes"],
        "coop-review run",
        None,
        message(
            "cli.arg_argument", argument_name="--force", message=message("cli.arg_ignored_explicit", value="'yes'")
        ),
    ),
]


@pytest.mark.parametrize(
    ("arguments", "prog", "key", "expected"), ARGPARSE_CASES, ids=lambda a: " ".join(a) if isinstance(a, list) else None
)
def test_argparse_errors_are_vietnamese_and_exit_2(capsys, arguments, prog, key, expected):
    """The parser's own errors say in Vietnamese what is wrong, under the Vietnamese usage line, and exit with 2."""
    from helpers.pipeline.cli import main

    with pytest.raises(SystemExit) as exited:
        main(arguments)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    said = message(key, **expected) if key else expected
    assert err.startswith(message("cli.usage")) and err.endswith(
        message("cli.arg_error", prog=prog, message=said) + "\n"
    )
    english = [word for word in ARGPARSE_ENGLISH if word in err]
    assert english == []


def test_argparse_errors_in_english_read_as_argparse_wrote_them_and_unknown_ones_pass_through():
    """The table recognises argparse's own wording: its English texts say what argparse says, word for word."""
    from helpers.pipeline.cli import ARGPARSE_ERRORS, translate_argparse_error

    assert translate_argparse_error("something argparse never said") == "something argparse never said"
    assert translate_argparse_error("argument --x: something new") == message(
        "cli.arg_argument", argument_name="--x", message="something new"
    )
    for text, key in ARGPARSE_ERRORS:
        sample = text.replace("%(value)r", "'v'").replace("%r", "'v'")
        for name in ("argument_name", "message", "choices", "option", "matches"):
            sample = sample.replace(f"%({name})s", f"<{name}>")
        sample = sample.replace("%s", "'v'")
        names = {n: f"<{n}>" for n in ("argument_name", "choices", "option", "matches")} | {"value": "'v'"}
        assert translate_argparse_error(sample, "en") == message(key, "en", **names, message="<message>"), key


@pytest.mark.slow
def test_every_stage_notebook_ran_every_cell_without_error(good_run):
    """What nbval checks of each notebook, read off the notebooks the build executed (not a second execution).

    Every code cell of every stage ran, in order, in one kernel from a fresh
    start, with no error output — for each year of the build.
    """
    import nbformat

    from helpers.pipeline.stages import STAGES

    root, result = good_run
    assert result.returncode == 0, result.stdout + result.stderr
    for year in (2017, 2018):
        for stage in STAGES:
            executed = nbformat.read(root / "reports" / str(year) / stage.notebook, as_version=4)
            source = nbformat.read(stage.source, as_version=4)
            code = [cell for cell in executed.cells if cell.cell_type == "code"]
            assert (
                len(code) == len([c for c in source.cells if c.cell_type == "code"]) + 1
            )  # papermill's injected parameters cell too
            assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), (year, stage.notebook)
            assert not [output for cell in code for output in cell.outputs if output.output_type == "error"], (
                year,
                stage.notebook,
            )
            assert not any(cell.metadata.get("papermill", {}).get("exception") for cell in code), (year, stage.notebook)
