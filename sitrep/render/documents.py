"""The report as Markdown and HTML (the JSON: :mod:`sitrep.render.jsonreport`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from markupsafe import Markup

from ..config import FIGURES_TABLE_LIMIT, FurnitureConfig
from ..errors import RenderError
from ..model.report import Report
from ..wording import Words, words_for
from .context import report_context
from .environment import MdSafe, _render, load_css, report_environment
from .style import Chart

logger = logging.getLogger(__name__)

Kind = Literal["html", "md", "text"]

def render_markdown(
    report: Report,
    charts: Sequence[Chart],
    *,
    stem: str,
    templates: Path | None = None,
    words: Words | None = None,
    furniture: FurnitureConfig | None = None,
    table_limit: int = FIGURES_TABLE_LIMIT,
) -> str:
    """The report as Markdown; charts are linked as ``{stem}-{chart.name}.svg`` beside it.
    The words are those of the report's language unless ``words`` is given; ``furniture``
    (marking, contacts, ...) defaults to none."""
    words = words or words_for(report.language)
    env = report_environment("md", templates, words)
    links = {c.name: MdSafe(quote(f"{stem}-{c.name}.svg")) for c in charts}
    context = report_context(
        report, charts, words, furniture, table_limit, chart_files=links, stem=stem
    )
    return _render(env, "report.md.j2", context)


def render_html(
    report: Report,
    charts: Sequence[Chart],
    *,
    templates: Path | None = None,
    for_pdf: bool = False,
    words: Words | None = None,
    furniture: FurnitureConfig | None = None,
    table_limit: int = FIGURES_TABLE_LIMIT,
) -> str:
    """The report as one standalone HTML page (CSS inlined, charts as ``data:`` images).

    ``for_pdf`` marks the page for print (running header, page numbers): the HTML that
    :class:`WeasyPrintRenderer` turns into the PDF. A PDF of a period with more than
    ``table_limit`` incidents with news is a digest (:mod:`sitrep.render.digest`); the
    HTML edition always holds the whole log.
    """
    words = words or words_for(report.language)
    env = report_environment("html", templates, words)
    css = load_css(templates)
    if "</style" in css.lower():
        raise RenderError("report.css contains '</style': remove it (CSS cannot contain it)")
    context = report_context(
        report, charts, words, furniture, table_limit, css=Markup(css), for_pdf=for_pdf
    )
    return _render(env, "report.html.j2", context)


_TEMPLATES: dict[Kind, tuple[str, ...]] = {
    "md": ("report.md.j2", "_macros.md.j2"),
    "html": ("report.html.j2", "_macros.html.j2"),
}


def compile_templates(language: str, templates: Path | None, formats: set[str]) -> None:
    """Compile the report templates of ``formats`` ahead of their first rendering (they are
    kept for the process: :data:`~sitrep.render.environment.COMPILED`), while something
    else is waited for. A template that does not compile is left for the rendering to
    report."""
    import jinja2

    words = words_for(language)
    kinds: set[Kind] = {"html" if name in ("html", "pdf") else "md" for name in formats
                        if name in ("md", "html", "pdf")}  # fmt: skip
    for kind in sorted(kinds):
        env = report_environment(kind, templates, words)
        for name in _TEMPLATES[kind]:
            try:
                env.get_template(name)
            except jinja2.TemplateError:
                logger.debug("template %s left to compile when rendered", name)
