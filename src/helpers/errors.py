"""The project's exceptions: located, typed and saying what to do."""

from __future__ import annotations


class CoopReviewError(Exception):
    """Base class of the errors this project raises on purpose."""


class FileProblem(CoopReviewError):
    """A return file that cannot be used at all (unreadable, no header, no agency …).

    The message names the file (and sheet or row where known) and says what to
    do. The year's other files are still processed; the run exits with code 2.
    """

    def __init__(self, where: str, problem: str, action: str) -> None:
        super().__init__(f"{where}: {problem} — {action}")
        self.where = where
        self.problem = problem
        self.action = action


class CatalogueError(CoopReviewError):
    """The indicator catalogue and the formulas disagree: a maintainer's error, found before any number is computed."""


class ParameterError(CoopReviewError):
    """A run parameter (year, path) that is refused before any kernel starts."""


class WriteFailure(CoopReviewError):
    """An output that cannot be written: a read-only folder, a full disk, a file open in another program.

    Not a bug and not a data problem: the run stops with this one message
    (exit code 1) and the last good outputs stay as they were. The message
    names the file or folder and says what to do.
    """

    def __init__(self, where: str, problem: str, action: str) -> None:
        super().__init__(f"{where}: {problem} — {action}")
        self.where = where
        self.problem = problem
        self.action = action

    def __reduce__(self):  # crosses process boundaries (worker → runner) intact
        return type(self), (self.where, self.problem, self.action)


class UnknownForm(FileProblem):
    """A form code that no form has (:func:`helpers.read.forms.form_of`): the message lists the forms."""
