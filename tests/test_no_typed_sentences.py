"""No sentence a user reads is typed in the code: it comes from the message catalogue.

An AST scan over ``src/helpers``. These may not hold a string literal with a
letter in it:

* the problem and action of a :class:`~helpers.errors.FileProblem` or a
  :class:`~helpers.errors.WriteFailure`, and the message of a
  :class:`~helpers.errors.ParameterError` (and of their subclasses in the
  package: ``UnknownForm``, ``TargetsError``, ``StageOutputError`` …);
* every argument of ``print``, of ``say`` (the console callable of the runner
  and the revisions report), and of ``sys.stdout.write`` / ``sys.stderr.write``.

The ``where`` of a FileProblem or WriteFailure is a location (``file › sheet ›
name_vi``), not a sentence, and is not scanned. Formatting around catalogue
messages has no letter (``f"  {line}"``, ``", ".join(…)``) and passes; so do
every argument of a call inside (``message("runner.notes", …)``) and a key of
the catalogue (``TargetsError(where, "targets.bad_period")``). A sentence
first put in a variable is not seen: the scan catches the common slip, not
every one.

Errors that only a maintainer meets stay in English on purpose and are not
scanned: ``AssertionError`` (a broken contract), ``CatalogueError`` (the
catalogue and the formulas disagree), ``FigureLayoutError``, ``ValueError`` of
a wrong argument in code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from helpers.messages import catalogue

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"
USER_ERRORS = {"FileProblem": 1, "WriteFailure": 1, "ParameterError": 0}
"""The errors an analyst reads → the index of the first argument that is words (those before it say where)."""
PRINTERS = {"print", "say"}
OUTPUT_STREAMS = {"stdout", "stderr"}
PRINT_OPTIONS = {"file", "sep", "end", "flush"}
LETTER = re.compile(r"[^\W\d_]")


def _name(node: ast.expr) -> str:
    """The name a call or a base class is written with: ``FileProblem``, ``errors.FileProblem`` → ``FileProblem``."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def user_error_classes(trees: list[ast.Module]) -> dict[str, int]:
    """:data:`USER_ERRORS` and every class of the package derived from one of them (with its base's index)."""
    classes = dict(USER_ERRORS)
    subclasses = [node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grown = True
    while grown:
        grown = False
        for node in subclasses:
            base = next((_name(b) for b in node.bases if _name(b) in classes), None)
            if base and node.name not in classes:
                classes[node.name] = classes[base]
                grown = True
    return classes


def typed_text(node: ast.AST) -> list[str]:
    """The string literals with a letter that make up the value of ``node`` (not those of the calls inside it)."""
    if isinstance(node, ast.Constant):  # a key of the catalogue names a sentence (TargetsError(where, "targets.…"))
        is_text = isinstance(node.value, str) and LETTER.search(node.value) and node.value not in catalogue()
        return [node.value] if is_text else []
    if isinstance(node, ast.Call):  # a call's arguments are its own (message("key", …)); "…".format(…) is typed text
        return typed_text(node.func.value) if isinstance(node.func, ast.Attribute) else []
    if isinstance(node, ast.Attribute | ast.Subscript):  # error.problem, row["name"]: a value, not text
        return typed_text(node.value) if isinstance(node.value, ast.Constant) else []
    if isinstance(node, ast.FormattedValue):  # not its format spec (``:%d/%m/%Y``)
        return typed_text(node.value)
    if isinstance(node, ast.IfExp):  # not its condition
        return typed_text(node.body) + typed_text(node.orelse)
    if isinstance(node, ast.Compare | ast.Lambda):
        return []
    return [text for child in ast.iter_child_nodes(node) for text in typed_text(child)]


def _words_of(call: ast.Call, classes: dict[str, int]) -> list[ast.expr] | None:
    """The arguments of ``call`` that a user reads as words; ``None`` for a call that says nothing to a user."""
    name = _name(call.func)
    if name in classes:
        return call.args[classes[name] :] + [k.value for k in call.keywords if k.arg != "where"]
    stream = call.func.value if isinstance(call.func, ast.Attribute) else None
    is_stream_write = name == "write" and isinstance(stream, ast.Attribute) and stream.attr in OUTPUT_STREAMS
    if (name in PRINTERS and isinstance(call.func, ast.Name)) or is_stream_write:
        return call.args + [k.value for k in call.keywords if k.arg not in PRINT_OPTIONS]
    return None


def scan(sources: dict[str, str]) -> tuple[list[str], int]:
    """Typed sentences in ``sources`` (name → Python text) as ``name:line: 'text'``; and how many calls were scanned."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    classes = user_error_classes(list(trees.values()))
    found, looked_at = [], 0
    for name, tree in trees.items():
        for node in ast.walk(tree):
            words = _words_of(node, classes) if isinstance(node, ast.Call) else None
            if words is None:
                continue
            looked_at += 1
            found += [(name, node.lineno, text) for argument in words for text in typed_text(argument)]
    found.sort(key=lambda slip: slip[:2])  # by file and line (the walk goes level by level)
    return [f"{name}:{line}: {text!r}" for name, line, text in found], looked_at


def package_sources() -> dict[str, str]:
    """Every module of ``src/helpers``, by its path in the package."""
    return {path.relative_to(SRC).as_posix(): path.read_text(encoding="utf-8") for path in sorted(SRC.rglob("*.py"))}


def test_no_error_or_console_line_a_user_reads_is_typed_in_the_code():
    found, looked_at = scan(package_sources())
    assert looked_at > 100  # the scan sees the package's errors and prints (one that sees nothing checks nothing)
    assert found == [], "sentences typed in code instead of message(key): " + "; ".join(found)


SLIPS = '''
from helpers.errors import FileProblem, ParameterError, WriteFailure
from helpers.messages import message


class TargetsError(FileProblem):
    """Built from a catalogue key."""


class SheetProblem(FileProblem):
    """A subclass: its problem and action are scanned too."""


def read(where, value, line, say, error):
    raise FileProblem(where, "cannot read the file", message("sheets.send_again"))
    raise TargetsError(where, "targets.no_such_key")  # not a key: a typed text
    raise ParameterError(f"--jobs {value}: must be 1 or more")
    raise SheetProblem(f"{where} › name_vi", message("sheets.empty_file"), "send it again".upper())
    raise WriteFailure(where=where, problem=error.problem, action="close it in Excel")
    print("Done.")
    say(f"[{value}] " + ("built" if value else message("runner.up_to_date")))
    sys.stderr.write(f"coop-review: {value} is not a year\\n")
'''
FINE = """
def fine(where, value, line, say, row, paths):
    raise FileProblem(f"{where} › name_vi", message("programme.no_name"), message("programme.no_name_action"))
    raise ParameterError(message("blank_form.exists", files=", ".join(value)))
    print(f"  {line}", file=sys.stderr, flush=True)
    print(f"{value:%d/%m/%Y}", row["name"], message("cli.ok") if value == "ok" else "")
    say(f"  {paths.relative_to(where).as_posix()}")
    handle.write(f"coop-review: kernel transport {value}\\n".encode())  # a log file, for maintainers
    raise AssertionError(f"{value} breaks the contract")  # a maintainer's error
    raise TargetsError(where, "targets.no_bound")  # a key of the catalogue
"""


def test_the_scan_sees_typed_sentences_and_passes_catalogue_messages():
    """The scan above can fail: every slip here is found, and nothing in the well-written lines is."""
    found, looked_at = scan({"slips.py": SLIPS, "fine.py": FINE})
    assert [line.split(": ", 1)[1] for line in found] == [
        "'cannot read the file'",
        "'targets.no_such_key'",
        "'--jobs '",
        "': must be 1 or more'",
        "'send it again'",
        "'close it in Excel'",
        "'Done.'",
        "'built'",
        "'coop-review: '",
        "' is not a year\\n'",
    ]
    assert all(line.startswith("slips.py:") for line in found) and looked_at == 8 + 6
