"""The forms of the returns, one module each, behind a small registry.

* :mod:`~helpers.read.forms.activities` — Biểu 01, the programme's activities (one file per agency, a row per district);
* :mod:`~helpers.read.forms.register` — Biểu 02, the register of cooperatives (a row per cooperative, in sections);
* :mod:`~helpers.read.forms.groups` — Biểu 03, the cooperative groups (a row per district).

What differs between the forms lives in its :class:`Form` (a frozen
description, with its row rules); the rest of the code asks :func:`form_of`
instead of testing a code (``tests/test_forms.py`` holds that no module does).
"""

from __future__ import annotations

from helpers.errors import UnknownForm
from helpers.messages import message
from helpers.read.forms.activities import ACTIVITIES
from helpers.read.forms.base import Form
from helpers.read.forms.groups import GROUPS
from helpers.read.forms.register import REGISTER
from helpers.read.rows import RowRules

__all__ = ["ACTIVITIES", "FORMS", "GROUPS", "REGISTER", "Form", "RowRules", "form_of"]

FORMS: dict[str, Form] = {form.code: form for form in (ACTIVITIES, REGISTER, GROUPS)}
"""Every form by its code, in the order of the codes."""


def form_of(code: str, where: str | None = None) -> Form:
    """The form of a code (``"01"`` → Biểu 01).

    Args:
        code: the form's code, as in :data:`helpers.reference.TEMPLATES` and the ledger.
        where: where the code comes from, for the message (a file, a sheet, a line); by default the code.

    Raises:
        UnknownForm: when no form has that code; the message lists the forms.
    """
    form = FORMS.get(code)
    if form is None:
        known = ", ".join(f"{f.code} ({f.name_vi})" for f in FORMS.values())
        raise UnknownForm(
            where or message("form.where", code=code),
            message("form.unknown", code=code),
            message("form.unknown_action", known=known),
        )
    return form
