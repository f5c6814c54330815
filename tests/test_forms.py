"""The forms registry (``helpers.read.forms``): one form per code, its description true to the reference tables.

And no module outside ``read/forms`` and ``reference`` tests a code against
``"01"``/``"02"``/``"03"``: what differs between the forms is said in one place.
"""

from __future__ import annotations

import ast
import csv
from collections import defaultdict
from pathlib import Path

import pytest

from helpers.errors import FileProblem, UnknownForm
from helpers.messages import catalogue
from helpers.read.corrections import corrected_form
from helpers.read.forms import ACTIVITIES, FORMS, GROUPS, REGISTER, Form, form_of
from helpers.read.returns import read_table
from helpers.read.sheets import Sheet
from helpers.reference import TEMPLATES, column_labels, load_reference, markers

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"
DATA = SRC / "reference" / "data"
CODES = {"01", "02", "03"}


def test_every_template_has_a_form_and_every_form_a_template():
    assert list(FORMS) == list(TEMPLATES)
    for code in TEMPLATES:
        form = form_of(code)
        assert isinstance(form, Form) and form.code == code
    assert [ACTIVITIES.code, REGISTER.code, GROUPS.code] == ["01", "02", "03"]


def test_an_unknown_code_is_a_located_error_that_lists_the_forms():
    with pytest.raises(UnknownForm) as raised:
        form_of("04", "HND.xlsx › Biểu 04")
    error = raised.value
    assert isinstance(error, FileProblem)  # a year goes on without the file, as with any unusable file
    assert error.where == "HND.xlsx › Biểu 04"
    assert "'04'" in error.problem
    assert all(code in error.action for code in TEMPLATES)
    assert ACTIVITIES.name_vi in error.action
    with pytest.raises(UnknownForm) as raised:
        form_of("1")  # not "01": no guessing
    assert "'1'" in raised.value.where


def test_reading_a_sheet_as_an_unknown_form_names_the_sheet():
    sheet = Sheet(source="HND.xlsx", name="Biểu 04", rows=[["Đơn vị", "Số buổi tập huấn"], ["Nho Quan", 3]])
    with pytest.raises(UnknownForm) as raised:
        read_table(sheet, "04", reference=load_reference(None))
    assert raised.value.where == "HND.xlsx › Biểu 04"


def _value_fields_csv() -> dict[str, list[str]]:
    by_template: dict[str, list[str]] = defaultdict(list)
    with (DATA / "value_fields.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_template[row["template"]].append(row["field"])
    return by_template


def test_each_form_has_the_value_fields_of_value_fields_csv_in_its_order():
    table = _value_fields_csv()
    assert set(table) == set(FORMS)
    for code, form in FORMS.items():
        assert list(form.value_fields) == table[code], code
        for name in form.value_fields:
            assert form.value_field(name).field == name
    assert REGISTER.value_field("profit_mvnd").is_signed
    assert (
        not ACTIVITIES.value_field("training_sessions").is_signed
        and ACTIVITIES.value_field("training_sessions").is_count
    )


def test_each_form_names_fields_its_column_labels_have():
    for code, form in FORMS.items():
        fields = set(column_labels(code).values())
        assert form.key_field in fields, code
        assert set(form.header_fields) <= fields, code
        assert set(form.identity_fields) <= fields, code
        assert form.key_field in form.header_fields, code


def test_each_form_has_its_names_in_the_catalogue_and_its_sheet_name():
    for code, form in FORMS.items():
        assert form.name_key in catalogue()
        assert form.name_vi and form.name_en and form.name_vi != form.name_en
        assert form.sheet_name == f"Biểu {code}"
    assert len({form.name_vi for form in FORMS.values()}) == len(FORMS)


def test_what_each_form_is():
    assert ACTIVITIES.per_agency and not REGISTER.per_agency and not GROUPS.per_agency
    assert [f.rows_are_districts for f in (ACTIVITIES, REGISTER, GROUPS)] == [True, False, True]
    assert [f.allows_province_office for f in (ACTIVITIES, REGISTER, GROUPS)] == [True, False, False]
    assert (REGISTER.file_stem, GROUPS.file_stem) == ("cooperatives", "groups")
    with pytest.raises(ValueError, match="rows_are"):
        Form(
            code="09",
            name_key="form.groups",
            rows_are="communes",
            key_field="district",
            header_fields=("district",),
            identity_fields=(),
            file_stem="x",
            per_agency=False,
            allows_province_office=False,
            rules=GROUPS.rules,
        )


def test_a_correction_names_its_form_by_its_agency():
    assert corrected_form("THT") is GROUPS
    assert corrected_form("HND") is ACTIVITIES
    assert GROUPS.correction_agency == "THT"


def test_the_bullets_of_a_breakdown_are_data():
    bullets = markers("bullet")
    for typed in ("- Nho Quan", "– Kim Sơn", "+ Yên Mô", "• Gia Viễn", "* Hoa Lư", "· Tam Điệp", "  - Nho Quan"):
        assert bullets.matches(typed), typed
    for typed in ("Nho Quan", "Huyện Kim Sơn", 12, None, ""):
        assert not bullets.matches(typed), typed


# -- no code compares a template with a literal code ---------------------------------------


def literal_code_comparisons(source: str) -> list[int]:
    """Lines that compare something with a literal form code (``== "01"``, ``!= "02"``, ``in ("01", "03")``)."""

    def is_code(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return node.value in CODES
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return any(is_code(element) for element in node.elts)
        return False

    def compares_a_code(node: ast.AST) -> bool:
        if isinstance(node, ast.Compare):
            return any(is_code(part) for part in (node.left, *node.comparators))
        return isinstance(node, ast.MatchValue) and is_code(node.value)

    return sorted(node.lineno for node in ast.walk(ast.parse(source)) if compares_a_code(node))


def _modules_that_may_compare(path: Path) -> bool:
    relative = path.relative_to(SRC).as_posix()
    return relative.startswith(("read/forms/", "reference/"))


def test_no_module_outside_the_forms_compares_a_template_with_a_literal_code():
    modules = sorted(SRC.rglob("*.py"))
    assert len(modules) > 40  # the scan sees the package (a scan of nothing checks nothing)
    found = {
        path.relative_to(SRC).as_posix(): lines
        for path in modules
        if not _modules_that_may_compare(path) and (lines := literal_code_comparisons(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"ask helpers.read.forms.form_of(code) instead of comparing with a literal code: {found}"


def test_the_scan_finds_a_comparison_with_a_literal_code():
    source = """
if template == "02":
    pass
x = "01" != form.code
y = code in ("01", "03")
match template:
    case "03":
        pass
z = template == "04" or name == "01x" or value_fields("01")
"""
    assert literal_code_comparisons(source) == [2, 4, 5, 7]


def test_the_scan_would_have_found_the_branches_the_registry_replaced():
    """The reader's branches before the registry, as they were typed."""
    before = (
        'if self.template == "02":\n    pass\n'
        'allows_office = self.template == "01"\n'
        'span = 1 if template != "01" else 2\n'
        'mine = [c for c in x if c.template == template and (template == "03" or c.agency == agency)]\n'
    )
    assert literal_code_comparisons(before) == [1, 3, 4, 5]
    assert _modules_that_may_compare(SRC / "read" / "forms" / "register.py")
    assert not _modules_that_may_compare(SRC / "read" / "returns.py")


# -- the reader's modules stay small ----------------------------------------------------------

READER_MODULES = ("read/returns.py", "read/rows.py", "read/columns.py", "read/layout.py", "read/ledger.py")


def test_the_reader_modules_are_short_or_say_why_not():
    paths = [SRC / name for name in READER_MODULES] + sorted((SRC / "read" / "forms").glob("*.py"))
    assert len(paths) >= 10
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 300:
            docstring = ast.get_docstring(ast.parse(text)) or ""
            assert "Why this module is long:" in docstring, f"{path.name}: over 300 lines; split it or say why"
