"""The report as Markdown, HTML and JSON."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from markupsafe import Markup

from ..errors import RenderError
from ..model.report import Report
from .context import _context
from .environment import MdSafe, _environment, _render, load_css
from .style import Chart

logger = logging.getLogger(__name__)

Kind = Literal["html", "md", "text"]

def render_markdown(
    report: Report, charts: Sequence[Chart], *, stem: str, templates: Path | None = None
) -> str:
    """The report as Markdown; charts are linked as ``{stem}-{chart.name}.svg`` beside it."""
    env = _environment("md", templates)
    links = {c.name: MdSafe(quote(f"{stem}-{c.name}.svg")) for c in charts}
    return _render(env, "report.md.j2", _context(report, charts, chart_files=links, stem=stem))


def render_html(
    report: Report,
    charts: Sequence[Chart],
    *,
    templates: Path | None = None,
    for_pdf: bool = False,
) -> str:
    """The report as one standalone HTML page (CSS inlined, charts as ``data:`` images).

    ``for_pdf`` marks the page for print (running header, page numbers): the HTML that
    :class:`WeasyPrintRenderer` turns into the PDF.
    """
    env = _environment("html", templates)
    css = load_css(templates)
    if "</style" in css.lower():
        raise RenderError("report.css contains '</style': remove it (CSS cannot contain it)")
    context = _context(report, charts, css=Markup(css), for_pdf=for_pdf)
    return _render(env, "report.html.j2", context)


def render_json(report: Report) -> str:
    """The report as JSON: :class:`Report` serialised as is, with sets sorted (stable)."""
    data = report.model_dump(mode="json")
    for key in ("countries", "admin1"):
        data["filter"][key] = sorted(data["filter"][key])
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report (``docs/report.schema.json``)."""
    schema = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/sitrep/sitrep/docs/report.schema.json",
        **schema,
        "title": "sitrep report",
        "description": "The JSON output of sitrep generate (docs/report-json.md).",
    }


