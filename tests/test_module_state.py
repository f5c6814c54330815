"""No module-level state decides what a run computes: no ``global``, no module-level object mutated later.

The reference tables of a data root used to be chosen by a module global that
whichever call ran last had set; now a :class:`helpers.reference.Reference` is
passed explicitly. These tests keep it so: they read the source of
``src/helpers`` (AST) for a ``global`` statement and for a module-level name
that a function mutates (``X[k] = v``, ``X.attr = v``, ``X.append(…)``,
``X.cache_clear()`` …), and check that every cached function returns
something no caller can change.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib
import re
import textwrap
from pathlib import Path
from types import MappingProxyType

import pytest

from helpers.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "helpers"

MUTATORS = frozenset(
    {
        "append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault", "add",
        "discard", "difference_update", "intersection_update", "symmetric_difference_update", "sort", "reverse",
        "set", "cache_clear", "__setitem__", "__delitem__",
    }
)  # fmt: skip
"""Methods that change the object they are called on (``set`` is ``threading.Event.set``)."""

PROCESS_RESOURCES = {
    "pipeline/kernels.py": {"_pools", "_pools_closed_at_exit"},
    "pipeline/processes.py": {"_LEFT_BEHIND", "_orphaned"},
}
"""The only module-level state allowed, and why: this process's own resources — the Jupyter kernels it
started ahead of need (and whether their clean-up at exit is registered), the folders to remove if it is
orphaned, whether it is ending. They are the process's, not a data root's or a run's: they decide nothing
a run reads, computes or writes."""


def _module_names(tree: ast.Module) -> set[str]:
    """Names bound at module level: assignments, functions, classes (in top-level ``if``/``try``/``with`` too)."""
    names: set[str] = set()
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {n.id for target in node.targets for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            pending += [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)]
    return names


def _local_names(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    """Parameters and names assigned in a function (local unless declared global)."""
    arguments = function.args
    names = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _mutated_name(node: ast.AST) -> str | None:
    """The name whose object ``node`` changes in place, if it is such a statement or call."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
        target = node.func.value
        return target.id if isinstance(target, ast.Name) else None
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = node.targets
    for target in targets:
        if isinstance(target, (ast.Subscript, ast.Attribute)) and isinstance(target.value, ast.Name):
            return target.value.id
    return None


def module_state_findings(source: str) -> list[str]:
    """``global`` statements, and module-level names a function mutates, in a module's source."""
    tree = ast.parse(source)
    found = [
        f"line {node.lineno}: global {', '.join(node.names)}" for node in ast.walk(tree) if isinstance(node, ast.Global)
    ]
    module_names = _module_names(tree)
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        local = _local_names(function)
        for node in ast.walk(function):
            name = _mutated_name(node)
            if name in module_names and name not in local:
                found.append(f"line {node.lineno}: {name} mutated")
    return sorted(set(found), key=lambda text: int(text.split(":")[0].split()[1]))


def _findings_by_module() -> dict[str, list[str]]:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 30  # the package, not an empty folder
    out = {}
    for path in modules:
        findings = module_state_findings(path.read_text(encoding="utf-8"))
        if findings:
            out[path.relative_to(PACKAGE).as_posix()] = findings
    return out


def test_no_global_statement_and_no_module_level_object_mutated_in_the_package():
    findings = _findings_by_module()
    allowed = {
        module: [f for f in found if f.split(": ")[1].removesuffix(" mutated") not in PROCESS_RESOURCES.get(module, ())]
        for module, found in findings.items()
    }
    assert {module: found for module, found in allowed.items() if found} == {}


def test_the_allowed_process_resources_are_still_there():
    """The exceptions are named one by one and exist: an allowance that no longer applies is removed."""
    findings = _findings_by_module()
    for module, names in PROCESS_RESOURCES.items():
        mutated = {f.split(": ")[1].removesuffix(" mutated") for f in findings.get(module, [])}
        assert names <= mutated, (module, names - mutated)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            """
            _folder = None

            def use(folder):
                global _folder
                _folder = folder
            """,
            ["line 5: global _folder"],
        ),
        (
            """
            _seen = {}

            def remember(key, value):
                _seen[key] = value
            """,
            ["line 5: _seen mutated"],
        ),
        (
            """
            import functools

            @functools.cache
            def table():
                return {}

            def use_other(folder):
                table.cache_clear()
            """,
            ["line 9: table mutated"],
        ),
        (
            """
            class State:
                folder = None

            STATE = State()

            def use(folder):
                STATE.folder = folder
                PENDING.append(folder)

            PENDING: list = []
            """,
            ["line 8: STATE mutated", "line 9: PENDING mutated"],
        ),
        (
            """
            ROWS = ("a", "b")

            def read(rows=None):
                rows = list(rows or ROWS)
                rows.append("c")
                seen = {}
                seen["x"] = 1
                return rows, seen
            """,
            [],
        ),
    ],
)
def test_the_module_state_check_finds_what_it_must(source, expected):
    """The check can fail: a global, a dict, a cache cleared and an attribute set are found; locals are not."""
    assert module_state_findings(textwrap.dedent(source)) == expected


def test_the_old_reference_global_would_have_been_found():
    """The bug this guards against: the code of ``use_reference_dir``, as it was, fails the check."""
    old = textwrap.dedent(
        """
        import functools
        _override_dir = None

        @functools.cache
        def districts():
            return ()

        def use_reference_dir(folder):
            global _override_dir
            _override_dir = folder
            for cached in (districts,):
                cached.cache_clear()
        """
    )
    assert module_state_findings(old) == ["line 10: global _override_dir"]


# -- cached reads of package data: nothing a caller can change ------------------------------------


def _immutable(value: object, where: str = "result") -> list[str]:
    """The parts of ``value`` that could be changed in place (empty when none)."""
    if value is None or isinstance(value, (str, bytes, int, float, bool, re.Pattern, Path, dt.date)):
        return []
    if isinstance(value, (tuple, frozenset)):
        return [problem for index, item in enumerate(value) for problem in _immutable(item, f"{where}[{index}]")]
    if isinstance(value, MappingProxyType):
        return [problem for key, item in value.items() for problem in _immutable(item, f"{where}[{key!r}]")]
    if dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen:
        problems = [
            problem
            for item in dataclasses.fields(value)
            for problem in _immutable(getattr(value, item.name), f"{where}.{item.name}")
        ]
        extra = {k: v for k, v in vars(value).items() if k not in {f.name for f in dataclasses.fields(value)}}
        return problems + [problem for key, item in extra.items() for problem in _immutable(item, f"{where}.{key}")]
    return [f"{where}: {type(value).__name__}"]


CACHED = {
    ("helpers.reference", "_shipped_reference"): (),
    ("helpers.reference", "column_labels"): ("02",),
    ("helpers.reference", "vocabulary"): ("rating",),
    ("helpers.reference", "markers"): ("totals",),
    ("helpers.reference", "scaled_units"): (),
    ("helpers.reference", "value_field_table"): ("01",),
    ("helpers.reference.units", "type_words"): (),
    ("helpers.reference.catalogue", "catalogue"): (),
    ("helpers.messages", "catalogue"): (),
    ("helpers.read.values", "approximate_prefixes"): (),
    ("helpers.text", "_fold"): ("Huyện Kim Sơn",),
    ("helpers.fingerprint", "code_hash"): (),
    ("helpers.read.labels", "strict_labels"): ("02",),
    ("helpers.read.values", "not_reported_markers"): (),
    ("helpers.text", "_clean_char"): ("\uff12",),
}
"""Every function of the package whose results are cached, and arguments to call it with.

Each reads package data (or hashes the package): nothing changes it while the process runs."""


def _cached_functions() -> set[tuple[str, str]]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(("helpers", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                re.search(r"\b(cache|lru_cache)\b", ast.unparse(decorator)) for decorator in node.decorator_list
            ):  # (a cached_property is the object's own: ProjectPaths.reference())
                found.add((module, node.name))
    return found


def test_every_cached_function_is_listed():
    """A new cache is a decision: it is listed here, and what it returns is checked below."""
    assert _cached_functions() == set(CACHED)


@pytest.mark.parametrize(("module", "name"), sorted(CACHED))
def test_what_a_cache_holds_cannot_be_changed(module, name):
    value = getattr(importlib.import_module(module), name)(*CACHED[(module, name)])
    assert _immutable(value) == []


def test_the_immutability_check_can_fail():
    from helpers.reference import Agency

    assert _immutable({"a": 1}) == ["result: dict"]
    assert _immutable((1, [2])) == ["result[1]: list"]
    assert _immutable(MappingProxyType({"k": {"x": 1}})) == ["result['k']: dict"]
    assert _immutable(Agency("HND", "Hội Nông dân tỉnh", "Farmers' Union")) == []
