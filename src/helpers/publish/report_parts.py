"""The parts of the joint report as data: its outline, its issuing bodies, its recipients.

* The outline (``reference/data/report_outline.csv``): one row per element of
  the report, in order — a heading, a prompt for the editor or a *writer*
  (a named piece of the narrative written from the data). ``report`` says
  whether a row belongs to the yearly sơ kết (``interim``), the programme's
  final tổng kết (``final``) or both (``all``). The sentences are catalogue
  keys; the code only fills them.
* The issuing bodies (:func:`issuing_bodies`): the one place the report reads
  the bodies' names, symbols and signature blocks from the data root's
  reference tables, so that dated bodies (after 2025) change one function.
* The recipients (``reference/data/report_recipients.csv``): "Nơi nhận".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.messages import message
from helpers.reference import Reference, read_reference_table

OUTLINE_KINDS = ("heading", "prompt", "writer")
"""What a row of the outline is: a heading, a prompt the editor fills in, or a piece written from the data."""
REPORTS = ("interim", "final", "all")


@dataclass(frozen=True)
class OutlineRow:
    """One element of the report's outline."""

    part: str
    level: int
    kind: str
    key: str
    report: str


def outline(final: bool) -> list[OutlineRow]:
    """The elements of a sơ kết (``final=False``) or a tổng kết (``final=True``), in order.

    Raises:
        ValueError: for a row of the outline table whose kind or report is not known (a maintainer's error).
    """
    wanted = "final" if final else "interim"
    rows = []
    for row in read_reference_table("report_outline.csv"):
        if row["kind"] not in OUTLINE_KINDS or row["report"] not in REPORTS:
            raise ValueError(f"report_outline.csv: unknown kind or report in {row}")
        if row["report"] in (wanted, "all"):
            rows.append(OutlineRow(row["part"], int(row["level"]), row["kind"], row["key"], row["report"]))
    return rows


def recipients(lang: str) -> list[str]:
    """The lines of "Nơi nhận", in order."""
    return [row[f"line_{lang}"] for row in read_reference_table("report_recipients.csv")]


@dataclass(frozen=True)
class Body:
    """An issuing body as the joint report names it and signs for it."""

    code: str
    name: str
    """The name as the narrative writes it at first mention (``Hội Nông dân tỉnh``)."""
    full_name: str
    """The name with the province (``Hội Nông dân tỉnh Ninh Bình``): the header and the opening line."""
    short_name: str
    """The name after the first mention (``Hội Nông dân tỉnh``, ``Hội LHPN tỉnh``)."""
    symbol: str
    """The body's part of the report's number (``BC-LMHTX-HND-…``)."""
    signer_for: str
    signer_title: str


def issuing_bodies(reference: Reference, year: int, lang: str = "vi") -> list[Body]:
    """The bodies that issue the report of ``year``, in the fixed order of ``agencies.csv``.

    Every name the report prints comes from here. A column missing from a
    data root's ``agencies.csv`` falls back on the plain name and the code.
    ``year`` is where dated bodies (valid from, valid to) will choose.
    """
    del year  # the bodies do not change up to 2024; dated bodies will select on it
    bodies = []
    for agency in reference.agencies:
        plain = agency.name_vi if lang == "vi" else agency.name_en
        full = (agency.full_name_vi if lang == "vi" else agency.full_name_en) or plain
        short = (agency.short_vi if lang == "vi" else agency.short_en) or plain
        signer_for = agency.signer_for_vi if lang == "vi" else agency.signer_for_en
        title = agency.signer_title_vi if lang == "vi" else agency.signer_title_en
        bodies.append(Body(agency.code, plain, full, short, agency.doc_symbol or agency.code, signer_for, title))
    return bodies


def join_names(names: list[str], lang: str) -> str:
    """``A, B, C và D`` in the reader's language."""
    if len(names) <= 1:
        return "".join(names)
    return message("docx.list_separator", lang).join(names[:-1]) + message("docx.and", lang) + names[-1]


@dataclass
class Mentions:
    """Which bodies the text has named: the first mention is the full name, later ones the short name.

    One object per document being written (never module state).
    """

    bodies: dict[str, Body]
    named: set[str] = field(default_factory=set)

    def name(self, code: str) -> str:
        """The body's name at this point of the text."""
        body = self.bodies[code]
        if code in self.named:
            return body.short_name
        self.named.add(code)
        return body.name

    def mark_named(self, codes) -> None:
        """Record that the bodies ``codes`` were named in full (e.g. in the opening line)."""
        self.named.update(codes)
