"""Parts of the review laid out for an A4 page: tables by district turned, cross-checks by kind.

Each view returns HTML for the review notebook. A table by district with the
41 indicators as rows and eight districts as columns does not fit A4: it is
shown as several narrow tables, districts as rows (:mod:`helpers.publish.print_tables`).
The cross-checks are one table per kind; the totals-row checks list the rows
that disagree and say in one sentence how many agree.
"""

from __future__ import annotations

from helpers.messages import message
from helpers.publish.print_tables import DISTRICT_GROUPS, district_rows_table
from helpers.publish.review_data import YearData
from helpers.publish.review_html import styled
from helpers.publish.review_quality import cross_checks_table

CHECK_KINDS = ("guided_vs_register", "count_flow", "totals_row")


def _html(part) -> str:
    """The HTML of a styled table or of the sentence that stands for an empty one."""
    return part.to_html()


def development_html(data: YearData) -> str:
    """Section 3: one table by district per group of indicators.

    The groups are :data:`helpers.publish.print_tables.DISTRICT_GROUPS`, each narrow enough for A4 portrait.
    """
    parts = []
    for group, indicator_ids in DISTRICT_GROUPS.items():
        table = district_rows_table(data, indicator_ids)
        parts.append(
            _html(
                styled(table, message(f"review.districts_{group}", data.lang), lang=data.lang, css_class="by-district")
            )
        )
    return "".join(parts)


def cross_checks_html(data: YearData) -> str:
    """Section 5: the cross-checks, one table per kind; totals rows that agree are counted, not listed."""
    table = cross_checks_table(data)
    if table.empty:
        return _html(styled(table, data.t("cap_checks"), lang=data.lang, empty=message("review.no_checks", data.lang)))
    kinds = data.cross_checks["check"].reset_index(drop=True)
    status = data.t("status")
    agree = message("status.agree", data.lang)
    parts = [f'<p class="caption"><b>{data.t("cap_checks")}</b></p>']
    for kind in CHECK_KINDS:
        rows = table[kinds == kind].drop(columns=[data.t("check")])
        if rows.empty:
            continue
        caption = message(f"check.{kind}", data.lang)
        if kind == "totals_row":
            agreeing = int((rows[status] == agree).sum())
            rows = rows[rows[status] != agree]
            summary = message("review.totals_agree", data.lang, count=agreeing, total=agreeing + len(rows))
            parts.append(
                _html(
                    styled(
                        rows,
                        f"{caption}. {summary}",
                        status_column=status,
                        lang=data.lang,
                        empty=message("review.no_totals_differ", data.lang),
                        css_class="checks",
                    )
                )
            )
        else:
            parts.append(_html(styled(rows, caption, status_column=status, lang=data.lang, css_class="checks")))
    return "".join(parts)


def show(html_text: str):
    """HTML as a notebook display object."""
    from IPython.display import HTML

    return HTML(html_text)


def development_view(data: YearData):
    """:func:`development_html` for the notebook."""
    return show(development_html(data))


def cross_checks_view(data: YearData):
    """:func:`cross_checks_html` for the notebook."""
    return show(cross_checks_html(data))
