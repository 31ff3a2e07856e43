"""Rendering: the report model into Markdown, HTML, JSON and PDF, with charts and a map."""

from __future__ import annotations

from .documents import render_html, render_json, render_markdown, report_json_schema
from .environment import shipped_templates
from .pdf import PdfRenderer, RecordingPdfRenderer, WeasyPrintRenderer

__all__ = [
    "PdfRenderer",
    "RecordingPdfRenderer",
    "WeasyPrintRenderer",
    "render_html",
    "render_json",
    "render_markdown",
    "report_json_schema",
    "shipped_templates",
]
