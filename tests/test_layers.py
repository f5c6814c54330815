"""Imports point down the floors of the flow (docs/architecture.md): no floor reaches up to a later one."""

from __future__ import annotations

import ast

from helpers.paths import PROJECT_ROOT

SRC = PROJECT_ROOT / "src" / "helpers"
FLOORS = {
    "foundation": 0,  # errors, text, messages, outputs, faults, fingerprint, paths, reference
    "read": 1,
    "tables": 2,
    "clean": 3,
    "compute": 4,
    "publish": 5,
    "pipeline": 6,
    "explore": 7,  # the analyst's questions across years: reads what the build wrote; nothing imports it
}
SUB_PACKAGES = ("read", "clean", "compute", "publish", "pipeline", "explore")
ALLOWED_UPWARD = {
    ("helpers.paths", "helpers.tables"): "processed_years() asks the contract for the indicators file's name",
    (
        "helpers.compute.revisions",
        "helpers.pipeline.plan",
    ): "a revision's cause is what changed in the inputs the build recorded",
}
"""Upward imports that are deliberate (each a late import inside one function), with why."""


def floor_of(module: str) -> str:
    """The floor of a module of helpers: its sub-package, ``tables``, or the foundation."""
    part = module.split(".")[1] if module.count(".") else ""
    return part if part in SUB_PACKAGES or part == "tables" else "foundation"


def upward_imports(modules: dict[str, str]) -> set[tuple[str, str]]:
    """(importer, imported) pairs where a module imports a module of a later floor."""
    found = set()
    for name, source in modules.items():
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("helpers.")):
                continue
            if FLOORS[floor_of(node.module)] > FLOORS[floor_of(name)]:
                found.add((name, node.module))
    return found


def package_modules() -> dict[str, str]:
    modules = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path.read_text(encoding="utf-8")
    return modules


def test_imports_point_down_the_floors():
    assert upward_imports(package_modules()) == set(ALLOWED_UPWARD)


def test_the_floor_check_finds_an_upward_import():
    modules = {
        "helpers.read.rows": "from helpers.pipeline.plan import file_hash\n",
        "helpers.pipeline.x": "import os\n",
    }
    assert upward_imports(modules) == {("helpers.read.rows", "helpers.pipeline.plan")}


LONG = 320
"""About 300 lines: a module longer than this says why at the top of its docstring."""


def long_modules_without_a_reason(modules: dict[str, str]) -> list[str]:
    """Modules over :data:`LONG` lines whose docstring does not say "Why this module is long:"."""
    return sorted(
        name
        for name, source in modules.items()
        if len(source.splitlines()) > LONG
        and "Why this module is long:" not in (ast.get_docstring(ast.parse(source)) or "")
    )


def test_every_long_module_says_why():
    assert long_modules_without_a_reason(package_modules()) == []


def test_the_length_check_finds_a_long_module():
    long = '"""A module."""\n' + "x = 1\n" * (LONG + 1)
    assert long_modules_without_a_reason({"helpers.read.x": long, "helpers.read.y": '"""Short."""\n'}) == [
        "helpers.read.x"
    ]


def inline_styles(modules: dict[str, str]) -> list[str]:
    """Modules whose string constants carry an inline ``style="…"`` attribute (a sheet's rules belong in a file)."""
    return sorted(
        name
        for name, source in modules.items()
        if any(
            isinstance(node, ast.Constant) and isinstance(node.value, str) and 'style="' in node.value
            for node in ast.walk(ast.parse(source))
        )
    )


def test_the_look_of_pages_lives_in_css_files():
    """Colours and layout of the review's pieces and the index page are in ``publish/templates/*/*.css``."""
    assert inline_styles(package_modules()) == []


def test_the_style_check_finds_an_inline_style():
    assert inline_styles({"helpers.publish.x": "html = '<p style=\"color:red\">'\n"}) == ["helpers.publish.x"]


def import_graph(modules: dict[str, str]) -> dict[str, set[str]]:
    """Module → the modules of helpers it imports, ``TYPE_CHECKING`` imports included."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, source in modules.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module in modules and node.module != name:
                graph[name].add(node.module)
    return graph


def import_cycles(modules: dict[str, str]) -> list[list[str]]:
    """Groups of helpers' modules that import each other, each sorted.

    The strongly connected components of more than one module of
    :func:`import_graph` (Tarjan's algorithm; the package is small enough for recursion).
    """
    graph = import_graph(modules)
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def connect(name: str) -> None:
        order[name] = low[name] = len(order)
        stack.append(name)
        for target in sorted(graph[name]):
            if target not in order:
                connect(target)
            if target in stack:
                low[name] = min(low[name], low[target])
        if low[name] == order[name]:
            group = stack[stack.index(name) :]
            del stack[stack.index(name) :]
            if len(group) > 1:
                groups.append(sorted(group))

    for name in sorted(graph):
        if name not in order:
            connect(name)
    return sorted(groups)


def test_no_two_modules_import_each_other():
    assert import_cycles(package_modules()) == []


def test_the_cycle_check_finds_a_type_checking_cycle():
    modules = {
        "helpers.read.rows": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from helpers.read.forms.base import Form\n"
        ),
        "helpers.read.forms.base": "from helpers.read.rows import RowRules\n",
    }
    assert import_cycles(modules) == [["helpers.read.forms.base", "helpers.read.rows"]]
