"""The quality part of the review: the cross-checks, and per file what was read, rejected, approximate or corrected.

Sections 5 and 6 of the review: how far the year's numbers can be trusted.
Each table is in the review's language; a ledger longer than
:data:`REVIEW_TABLE_ROWS` is cut for the review, never silently
(:func:`cut_for_review`): every file keeps its first rows, and the sentence
saying what is left out travels with the table (``attrs[NOT_SHOWN]``) to
:func:`helpers.publish.review_html.styled`. The whole ledger is in its CSV.
"""

from __future__ import annotations

import pandas as pd

from helpers.clean.outputs import REJECT_COLUMNS
from helpers.compute.years import rejected_note
from helpers.messages import message, status_word
from helpers.publish.review_data import YearData, district_name, show_number
from helpers.read.ledger import removed_words
from helpers.read.returns import NON_DATA_KINDS
from helpers.tables import APPROXIMATE, REJECTS


def cross_checks_table(data: YearData) -> pd.DataFrame:
    """The cross-checks with their differences, in the review's language."""
    records = []
    # a build older than the catalogue has no location columns
    located = {"file", "row", "column", "rows_rejected"} <= set(data.cross_checks.columns)
    for row in data.cross_checks.itertuples():
        scope, note = row.scope, "" if pd.isna(row.note) else str(row.note)
        if row.check != "totals_row":
            scope = district_name(row.scope, data.reference, data.lang)
        elif located:
            scope = message("check.totals_scope", data.lang, file=row.file, row=int(row.row), column=row.column)
            note = rejected_note(int(row.rows_rejected), data.lang)
        records.append(
            {
                data.t("check"): message(f"check.{row.check}", data.lang),
                data.t("scope"): scope,
                data.t("value"): show_number(None if pd.isna(row.value) else row.value, lang=data.lang),
                data.t("expected"): show_number(None if pd.isna(row.expected) else row.expected, lang=data.lang),
                data.t("difference"): "" if pd.isna(row.difference) else show_number(row.difference, lang=data.lang),
                data.t("status"): status_word(row.status, data.lang),
                data.t("note"): note,
            }
        )
    return pd.DataFrame(
        records, columns=[data.t(k) for k in ("check", "scope", "value", "expected", "difference", "status", "note")]
    )


LEDGER_SHOWN = (
    "file", "template", "status", "rows_read", "accepted", "rejected", "non_data",
    "ignored_columns", "approximate_values", "totals_disagreements",
)  # fmt: skip
"""The ledger's columns the review shows (each named by ``ledger.<column>`` in the catalogue)."""


def ledger_table(data: YearData) -> pd.DataFrame:
    """Per file: rows read = accepted + rejected + non-data, and the flags."""
    ledger = data.ledger.copy()
    ledger["non_data"] = ledger[list(NON_DATA_KINDS)].sum(axis=1)
    columns = list(LEDGER_SHOWN)
    out = ledger[columns].copy()
    out["template"] = out["template"].map(
        lambda t: (
            message("template.name", data.lang, template=f"{int(t):02d}") if str(t).strip() not in ("", "nan") else ""
        )
    )
    out["status"] = out["status"].map(lambda status: message(f"ledger_status.{status.replace(' ', '_')}", data.lang))
    out.columns = [message(f"ledger.{column}", data.lang) for column in columns]
    return out


def non_data_table(data: YearData) -> pd.DataFrame:
    """Per file: the non-data rows by kind (title, header, totals, footer …)."""
    read = data.ledger[data.ledger["status"] == "read"]
    table = read.set_index("file")[list(NON_DATA_KINDS)]
    return (
        table.rename(columns={kind: message(f"row_kind.{kind}", data.lang) for kind in NON_DATA_KINDS})
        .reset_index()
        .rename(columns={"file": data.t("file")})
    )


REVIEW_TABLE_ROWS = 500
"""The most rows a ledger table shows in the review; the whole table is in its CSV.

A reviewer cannot read 100,000 rejected cells, and pandas' Styler would cut
a table of more than 262,144 cells on its own, silently.
"""
NOT_SHOWN = "not_shown"
"""Key of ``DataFrame.attrs`` holding the sentence that says what a cut table leaves out (:func:`styled` shows it)."""


def fair_rows(table: pd.DataFrame, limit: int, by: str = "file") -> pd.Series:
    """Which rows to show when ``table`` is cut to ``limit`` rows: a mask that keeps every file.

    Each file gets an equal share of the rows (a file with fewer rows gives its
    unused share to the others), its first rows in their order: the register's
    20 rejects stay visible beside an activities file with 100,000.
    """
    keys = table[by].fillna("").astype(str)  # a row without a file is still a row: never dropped from the count
    counts = keys.value_counts(sort=False)
    quota = dict.fromkeys(counts.index, 0)
    remaining, open_files = limit, list(keys.drop_duplicates())
    while remaining > 0 and open_files:
        share = max(1, remaining // len(open_files))
        for file in list(open_files):
            given = min(share, counts[file] - quota[file], remaining)
            quota[file] += given
            remaining -= given
            if quota[file] == counts[file]:
                open_files.remove(file)
            if remaining == 0:
                break
    return keys.groupby(keys, sort=False).cumcount() < keys.map(quota)


def cut_for_review(data: YearData, table: pd.DataFrame, csv_name: str, limit: int = REVIEW_TABLE_ROWS) -> pd.DataFrame:
    """``table`` (a ledger read from ``csv_name``, with a ``file`` column) cut to ``limit`` rows, never silently.

    A cut table keeps the first rows of every file and carries, in
    ``attrs[NOT_SHOWN]``, the sentence saying how many rows are left out, by
    file, and that they are in the CSV.
    """
    if len(table) <= limit:
        return table
    shown = fair_rows(table, limit)
    left_out = table.loc[~shown, "file"].fillna("").astype(str).value_counts(sort=False)

    def show(number: int) -> str:
        return show_number(number, lang=data.lang)

    per_file = "; ".join(f"{file} {show(count)}" for file, count in left_out.items())
    out = table[shown].reset_index(drop=True)
    out.attrs[NOT_SHOWN] = data.t(
        "not_shown",
        shown=show(len(out)),
        total=show(len(table)),
        more=show(len(table) - len(out)),
        csv=csv_name,
        year=data.year,
        per_file=per_file,
    )
    return out


def rejects_table(data: YearData, limit: int = REVIEW_TABLE_ROWS) -> pd.DataFrame:
    """The rejects ledger: at most ``limit`` rows, every file's first rejects among them.

    See :func:`cut_for_review` for how a long ledger is cut.
    """
    names = _columns(data.lang, "file", "sheet", "row", "unit_or_htx", "column", "value", "reason_fix", "removed")
    cut = cut_for_review(data, data.rejects.reindex(columns=REJECT_COLUMNS), REJECTS, limit)
    shown = cut.astype(object)
    shown["row_values"] = [removed_words(count, data.lang) for count in cut["row_values"]]
    return _keep_attrs(cut, shown.set_axis(names, axis=1).fillna(""))


def approximate_table(data: YearData, limit: int = REVIEW_TABLE_ROWS) -> pd.DataFrame:
    """Values typed as approximate, with what they were read as (at most ``limit`` rows, as :func:`rejects_table`)."""
    names = _columns(data.lang, "file", "sheet", "row", "column", "as_typed", "read_as")
    cut = cut_for_review(data, data.approximate, APPROXIMATE, limit)
    senses = cut["sense"] if "sense" in cut else pd.Series("about", index=cut.index)
    out = cut.reindex(columns=["file", "sheet", "row", "column", "typed", "value"]).set_axis(names, axis=1)
    out[names[-1]] = [
        show_number(v, True, lang=data.lang, sense=sense) for v, sense in zip(cut["value"], senses, strict=True)
    ]
    return _keep_attrs(cut, out)


def _columns(lang: str, *keys: str) -> list[str]:
    """Column headings of a ledger table (``column.<key>`` in the catalogue)."""
    return [message(f"column.{key}", lang) for key in keys]


def _keep_attrs(source: pd.DataFrame, target: pd.DataFrame) -> pd.DataFrame:
    """``target`` with the ``attrs`` of ``source``: the sentence of a cut table survives renaming its columns."""
    target.attrs = dict(source.attrs)
    return target


def corrections_table(data: YearData) -> pd.DataFrame:
    """Declared corrections applied to source returns (data/corrections.csv)."""
    names = _columns(data.lang, "file", "sheet", "row", "column", "in_return", "corrected", "reason")
    return data.corrections.set_axis(names, axis=1).fillna("")


def ignored_table(data: YearData) -> pd.DataFrame:
    """Columns that were not read, with why."""
    names = _columns(data.lang, "file", "sheet", "column", "label", "reason")
    return data.ignored.set_axis(names, axis=1).fillna("")
