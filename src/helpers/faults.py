"""Write failures told apart from bugs: a read-only folder, a full disk, a file open in another program.

An ``OSError`` whose errno says the disk refused to write becomes a
:class:`~helpers.errors.WriteFailure` naming the file or folder and saying what
to do. File swaps (``os.replace``) retry for a moment on ``PermissionError``:
on Windows a file open in Excel cannot be replaced, and the analyst may be
closing it right now.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from helpers.errors import WriteFailure
from helpers.messages import message

IS_WINDOWS = os.name == "nt"
"""Chooses the wording of a refused write (a file open in Excel is the usual cause on Windows)."""

DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
READ_ONLY = {errno.EROFS}
NO_PERMISSION = {errno.EACCES, errno.EPERM}
WRITE_ERRNOS = DISK_FULL | READ_ONLY | NO_PERMISSION

REPLACE_ATTEMPTS = 8
"""How many times a refused file swap is tried (about 5 s in all, with :data:`REPLACE_WAIT`)."""
REPLACE_WAIT = 0.15
"""Seconds before the second attempt; each later attempt waits that much longer."""

_ERRNO_TEXT = re.compile(
    r"\[(?P<kind>Errno|WinError) (?P<code>\d+)\](?:[^'\"]*:\s*(?P<filename>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"))?"
)
"""An ``OSError`` as text: its error number, and the file it names as Python quotes it (backslashes doubled)."""
WINDOWS_DISK_FULL = {112: errno.ENOSPC, 39: errno.ENOSPC}
"""Windows error numbers of a full disk (``ERROR_DISK_FULL``, ``ERROR_HANDLE_DISK_FULL``) as errno."""


def is_write_error(error: BaseException) -> bool:
    """Whether ``error`` says the disk refused a write (full, read-only, no permission)."""
    return isinstance(error, OSError) and error.errno in WRITE_ERRNOS


def write_failure(error: OSError, path: str | os.PathLike | None = None) -> WriteFailure:
    """The :class:`WriteFailure` for a refused write of ``path`` (default: the file the error names)."""
    return describe(error.errno, path if path is not None else (error.filename or "?"))


WRITE_PROBLEMS = {"disk_full": DISK_FULL, "read_only_disk": READ_ONLY}
"""Catalogue key (``faults.<key>`` and ``faults.<key>_action``) of each kind of refused write, by errno."""


def describe(code: int | None, path: str | os.PathLike, lang: str = "vi") -> WriteFailure:
    """The message for a write refused with errno ``code``: what happened to ``path``, and what to do.

    Args:
        code: the errno of the refused write (``None`` when unknown).
        path: the file or folder that could not be written.
        lang: the language of the message (Vietnamese by default, like every console line).
    """
    where = os.fspath(path)
    key = next((key for key, codes in WRITE_PROBLEMS.items() if code in codes), None)
    if key is None and code in NO_PERMISSION:
        # on Windows a file open in Excel is the usual cause; elsewhere it is the folder's permissions
        key = "held_open" if IS_WINDOWS else "no_permission"
    if key is not None:
        return WriteFailure(where, message(f"faults.{key}", lang), message(f"faults.{key}_action", lang))
    # the system's own words for an unusual errno (in the system's language)
    reason = os.strerror(code) if code else message("faults.unknown_error", lang)
    return WriteFailure(where, message("faults.other", lang, reason=reason), message("faults.other_action", lang))


def from_cell_error(ename: str, evalue: str) -> WriteFailure | None:
    """The write failure a notebook cell raised, from papermill's ``ename`` and ``evalue``; ``None`` if it was not one.

    A cell raises :class:`WriteFailure` from the project's writers, or a plain
    ``OSError`` (``[Errno 28] No space left on device: '…'``, on Windows also
    ``[WinError 112] …``) from elsewhere. Both are recognised by their form,
    never by their words: a :class:`WriteFailure` is ``where: problem — action``
    in any language (no ``faults.*`` text holds the `` — `` that ends the
    problem), an ``OSError`` by its error number (the system writes its text in
    the system's language).
    """
    if ename == WriteFailure.__name__:
        where, _, rest = evalue.partition(": ")
        problem, _, action = rest.partition(" — ")
        return WriteFailure(where, problem, action)
    match = _ERRNO_TEXT.search(evalue)
    if ename not in ("OSError", "IOError", "ArrowIOError") or not match:
        return None
    code = int(match.group("code"))
    if match.group("kind") == "WinError":
        code = WINDOWS_DISK_FULL.get(code, -1)
    # only errors no read can raise: a PermissionError in a cell may be a return that cannot be read
    if code not in DISK_FULL | READ_ONLY:
        return None
    return describe(code, _filename(match.group("filename")))


def _filename(quoted: str | None) -> str:
    r"""The file an ``OSError`` text names (``'C:\\x'`` as Python writes it → ``C:\x``); ``?`` when it names none."""
    if not quoted:
        return "?"
    try:
        return str(ast.literal_eval(quoted))
    except (ValueError, SyntaxError):
        return quoted[1:-1]


@contextlib.contextmanager
def writing(path: str | os.PathLike) -> Iterator[None]:
    """Turn a refused write inside the block into a :class:`WriteFailure` naming ``path``."""
    try:
        yield
    except OSError as error:
        if is_write_error(error):
            raise write_failure(error, path) from None
        raise


def locked_files(folder: Path) -> list[Path]:
    """Files under ``folder`` that another program holds open against writing (Windows; none elsewhere).

    Opening a file for update is refused on Windows while Excel has it open;
    the file is not changed.
    """
    if not IS_WINDOWS or not folder.exists():
        return []
    candidates = [folder] if folder.is_file() else [p for p in folder.rglob("*") if p.is_file()]
    locked = []
    for path in candidates:
        try:
            with path.open("r+b"):
                pass
        except PermissionError:
            locked.append(path)
        except OSError:
            continue
    return locked


def replace(source: Path, target: Path, sleep: Callable[[float], None] = time.sleep) -> None:
    """``os.replace(source, target)``, retried for a moment on ``PermissionError``, then a clear :class:`WriteFailure`.

    On Windows a file (or a folder holding a file) that Excel has open cannot
    be replaced or moved; the message names that file and says to close it.

    Raises:
        WriteFailure: the swap was refused every time, or the disk refused it.
    """
    for attempt in range(1, REPLACE_ATTEMPTS + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError as error:
            if attempt == REPLACE_ATTEMPTS:
                held = locked_files(source) + locked_files(target)
                raise write_failure(error, ", ".join(map(str, held)) if held else target) from None
            sleep(REPLACE_WAIT * attempt)
        except OSError as error:
            if is_write_error(error):
                raise write_failure(error, target) from None
            raise


def copy_file(source: str, target: str) -> str:
    """``shutil.copy2`` whose refused writes raise :class:`WriteFailure`.

    For ``copytree``, which would otherwise collect them into one error about the whole tree.
    """
    try:
        return shutil.copy2(source, target)
    except OSError as error:
        if is_write_error(error) and os.fspath(error.filename or target) != os.fspath(source):
            raise write_failure(error, target) from None
        raise
