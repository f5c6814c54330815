"""The rendered review: the executed review notebook as HTML without code, and the files stage 4 publishes.

The HTML uses the project's ``review`` template (``publish/templates/review``):
nbconvert's lab look without any script from the internet, and print rules for
A4. Markdown cells are the analyst's notes and code cells are hidden: a
reviewer reads only the outputs.
"""

from __future__ import annotations

from pathlib import Path

from helpers.messages import message
from helpers.outputs import write_text

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""nbconvert templates of the project (``review``: the HTML review)."""
WORKBOOK_NAME = "indicators.xlsx"
"""The appendix workbook of a year's review (one language: its sheets carry both)."""


def review_html_name(lang: str) -> str:
    """``review.html`` (Vietnamese) or ``review.<lang>.html``."""
    return "review.html" if lang == "vi" else f"review.{lang}.html"


def draft_report_name(lang: str) -> str:
    """``review.docx`` for the Vietnamese draft, ``review.<lang>.docx`` otherwise."""
    return "review.docx" if lang == "vi" else f"review.{lang}.docx"


def note_name(lang: str) -> str:
    """``ghi-chu-so-lieu.docx``: the internal note on the data behind the draft (``ghi-chu-so-lieu.<lang>.docx``)."""
    return "ghi-chu-so-lieu.docx" if lang == "vi" else f"ghi-chu-so-lieu.{lang}.docx"


def language_of(name: str) -> str:
    """The language of a published file, from its name (``*.en.*``: English; otherwise Vietnamese)."""
    return "en" if ".en." in name else "vi"


def review_files(reports: Path, lang: str) -> list[Path]:
    """The files of a year's reports folder the review stage writes in ``lang`` (beside its executed notebook)."""
    files = [
        reports / review_html_name(lang),
        reports / WORKBOOK_NAME,
        reports / draft_report_name(lang),
        reports / note_name(lang),
    ]
    return files + [path for path in (reports / "figures").glob("*") if language_of(path.name) == lang]


def render_html(executed: Path, target: Path, title: str, lang: str = "vi") -> None:
    """Render an executed notebook to self-contained HTML without code cells or prompts."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="review",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,  # <html lang="vi">: nbconvert takes the language from this trait, not from resources
    )
    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = title
    for cell in notebook.cells:  # papermill gives its injected cell a random id; the HTML must not change with it
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    body, _ = exporter.from_notebook_node(notebook, resources={"language_code": lang})
    write_text(body, target)


def render_review(executed: Path, reports: Path, year: int, lang: str) -> None:
    """Render the executed review notebook of ``year`` to ``reports/review[.<lang>].html``."""
    title = message("runner.review_title", lang, year=year)
    render_html(executed, reports / review_html_name(lang), title, lang)
