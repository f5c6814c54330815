"""The project's exceptions: located, typed and saying what to do, and the one rule for exit codes.

Exit codes of ``coop-review`` (:func:`exit_code`):

* **0** — everything given could be used (rows the contract rejects are normal:
  they are in the rejects ledger and the review);
* **2** — something the analyst gives could not be used and says where and what
  to fix: a return file, a table the analyst edits (programme, targets,
  corrections, reference tables), a parameter (:class:`FileProblem`,
  :class:`ParameterError`);
* **1** — not the analyst's to fix in the data: a stage failed (a bug), the disk
  refused a write (:class:`WriteFailure`), the catalogue and the formulas
  disagree (:class:`CatalogueError`).
"""

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


EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNUSABLE = 2


def exit_code(error: BaseException) -> int:
    """The exit code an error ends ``coop-review`` with: 2 for what the analyst can fix, 1 for the rest."""
    return EXIT_UNUSABLE if isinstance(error, FileProblem | ParameterError) else EXIT_FAILED
