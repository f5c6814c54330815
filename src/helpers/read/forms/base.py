"""What a form is: :class:`Form`, its description and the rules its data rows are read by.

A form (``Biểu``) is one of the templates the agencies fill in. Everything
that differs between the forms is said by its :class:`Form` (one module per
form in this package); the reader (:mod:`helpers.read.rows`) asks the form
instead of testing which form it reads. The imports go one way: a form knows
the reader (its rules subclass :class:`~helpers.read.rows.RowRules`); the
reader knows only what it asks of a form (:class:`~helpers.read.rows.FormView`).
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.messages import message
from helpers.read.rows import RowRules
from helpers.read.sheets import template_name
from helpers.reference import ValueField, value_field_table

ROWS_ARE = ("districts", "cooperatives")
"""What one data row of a form is about: a district (Biểu 01, 03) or a cooperative (Biểu 02)."""


@dataclass(frozen=True)
class Form:
    """One form of the returns: what it is called, where it comes from, what its rows are, how they are read.

    Attributes:
        code: ``"01"``, ``"02"`` or ``"03"`` (:data:`helpers.reference.TEMPLATES`, the ledger's ``template``).
        name_key: the key of its name in the message catalogue (``messages.csv``).
        rows_are: what a data row is about, one of :data:`ROWS_ARE`.
        key_field: the field that names a row (the unit, the cooperative's name, the district).
        header_fields: fields whose label marks the header row (``raw-data.md`` § Layout).
        identity_fields: fields only a data row has: a row holding one of them is data, never a
            section or a note.
        file_stem: the file of a once-a-year return (``cooperatives``), or the folder of the
            agencies' files when :attr:`per_agency`.
        per_agency: one file per agency (``activities/<AGENCY>*``), not one file a year.
        allows_province_office: whether the provincial office (``TINH``) may have a row.
        correction_agency: what ``corrections.csv`` writes in its ``agency`` column for this
            form's return when it is not :attr:`per_agency` (``THT``); ``None``: the agency
            codes, or no corrections.
        rules: the form's :class:`RowRules`, made once per file read.
    """

    code: str
    name_key: str
    rows_are: str
    key_field: str
    header_fields: tuple[str, ...]
    identity_fields: tuple[str, ...]
    file_stem: str
    per_agency: bool
    allows_province_office: bool
    rules: type[RowRules]
    correction_agency: str | None = None

    def __post_init__(self) -> None:
        if self.rows_are not in ROWS_ARE:
            raise ValueError(f"Form {self.code}: rows_are must be one of {ROWS_ARE}, not {self.rows_are!r}")

    @property
    def sheet_name(self) -> str:
        """The name of its sheet and of the form in messages: ``Biểu 01``."""
        return template_name(self.code)

    def name(self, lang: str = "vi") -> str:
        """What the form is, in ``lang`` (``Hoạt động phối hợp``)."""
        return message(self.name_key, lang)

    @property
    def name_vi(self) -> str:
        """The Vietnamese name of the form."""
        return self.name("vi")

    @property
    def name_en(self) -> str:
        """The English name of the form."""
        return self.name("en")

    @property
    def value_fields(self) -> tuple[str, ...]:
        """Its numeric fields, in the order of ``value_fields.csv``."""
        return tuple(value_field_table(self.code))

    def value_field(self, name: str) -> ValueField:
        """One numeric field: its unit, whether it counts things, whether it may be negative.

        Raises:
            KeyError: when ``name`` is not a numeric field of the form.
        """
        return value_field_table(self.code)[name]

    @property
    def rows_are_districts(self) -> bool:
        """Whether a data row is a district (one row per district), not a cooperative."""
        return self.rows_are == "districts"
