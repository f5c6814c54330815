"""What reading one return gives: the kind of every row, the rejects, the approximate values and the totals checks.

These are plain records: :mod:`helpers.read.rows` fills them while it reads,
:mod:`helpers.read.returns` hands them out, :mod:`helpers.clean.year` writes
them as the year's ledger. ``raw-data.md`` § Nothing is lost is the contract.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from helpers.errors import FileProblem
from helpers.messages import message

ROW_KINDS = (
    "accepted",
    "rejected",
    "title",
    "header",
    "column_numbers",
    "section",
    "totals",
    "blank",
    "note",
    "footer",
)
"""Every row of a return is exactly one of these."""

NON_DATA_KINDS = ROW_KINDS[2:]


def removed_words(row_values: object, lang: str = "vi") -> str:
    """What a rejected row removed: the whole row, and how many values it held (none of them counted).

    A count that is not known (an empty cell of a ledger) or zero says the whole row only.
    """
    if not isinstance(row_values, (int, float)) or row_values != row_values or int(row_values) == 0:
        return message("reject.removed_none", lang)
    if int(row_values) == 1:
        return message("reject.removed_one", lang)
    return message("reject.removed", lang, count=int(row_values))


@dataclass(frozen=True)
class Reject:
    """One bad cell of a rejected row (a row with several bad cells has several)."""

    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str
    unit: str = ""
    """The row as the return names it: the district as typed (Biểu 01/03) or the cooperative's name (Biểu 02)."""
    row_values: int = 0
    """The values the rejected row held (its non-blank cells, the one naming it aside): none of them is counted."""

    @property
    def removed(self) -> str:
        """What the reject removed, as people read it: ``cả dòng — 11 giá trị — không được tính``."""
        return removed_words(self.row_values)

    @property
    def message(self) -> str:
        """``file › sheet › row (unit) › column: reason``, as shown to people."""
        column = f' › "{self.column}"' if self.column else ""
        unit = f" ({self.unit})" if self.unit else ""
        return message(
            "where.reject", file=self.file, sheet=self.sheet, row=self.row, unit=unit, column=column, reason=self.reason
        )


@dataclass(frozen=True)
class ApproximateValue:
    """A value typed as approximate (``trên 1.000``), read as its number."""

    file: str
    sheet: str
    row: int
    column: str
    typed: str
    value: float
    sense: str = "about"
    """``more_than``, ``under`` or ``about`` (:data:`helpers.read.values.SENSES`)."""


@dataclass(frozen=True)
class TotalsCheck:
    """A totals row's cell against the sum of the accepted rows it totals."""

    file: str
    sheet: str
    row: int
    column: str
    field: str
    totals_value: float | None
    rows_sum: float
    rows_summed: int
    rows_rejected: int
    is_approximate: bool
    rejected_rows: tuple[int, ...] = ()
    """Spreadsheet numbers (1-based) of the rejected rows in the totals row's scope."""

    @property
    def difference(self) -> float | None:
        """Totals row minus the sum of rows (``None`` when the totals cell is empty)."""
        return None if self.totals_value is None else self.totals_value - self.rows_sum

    @property
    def agrees(self) -> bool:
        """Whether the totals cell equals the sum (an empty cell checks nothing)."""
        difference = self.difference
        return difference is None or abs(difference) <= 1e-6 * max(1.0, abs(self.rows_sum))


@dataclass
class ReturnRead:
    """What was read from one return file."""

    source: str
    template: str
    agency: str | None
    sheet: str
    encoding: str | None
    was_nfd: bool
    row_kinds: list[str]
    records: list[dict]
    rejects: list[Reject] = field(default_factory=list)
    ignored_columns: list[tuple[str, str, str]] = field(default_factory=list)
    approximate: list[ApproximateValue] = field(default_factory=list)
    totals: list[TotalsCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    corrections: list = field(default_factory=list)  # AppliedCorrection
    correction_problems: list[FileProblem] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    """What makes part of the file unusable (two visible columns for one indicator): errors of the year."""
    parts: list[ReturnRead] = field(default_factory=list)
    """The further sheets of a register split over several visible sheets, each read as its own (in order)."""

    def kind_counts(self) -> dict[str, int]:
        """Rows per kind, every kind present (zero when none)."""
        counts = Counter(self.row_kinds)
        return {kind: counts.get(kind, 0) for kind in ROW_KINDS}
