"""Rendering: the report model into Markdown, HTML, JSON and PDF, with charts and a map.

The format registry (:mod:`sitrep.render.formats`) is imported with the package; the
renderers themselves (Jinja, WeasyPrint, matplotlib) only when first used, so that
commands that render nothing, and ``sitrep --help``, do not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .formats import ATTACHABLE, FORMATS, Format, RenderJob, unknown_formats

if TYPE_CHECKING:
    from .documents import render_html, render_markdown
    from .environment import shipped_templates
    from .jsonreport import render_json, report_json_schema
    from .pdf import PdfRenderer, RecordingPdfRenderer, WeasyPrintRenderer

_LAZY = {
    "render_html": "documents",
    "render_json": "jsonreport",
    "render_markdown": "documents",
    "report_json_schema": "jsonreport",
    "shipped_templates": "environment",
    "PdfRenderer": "pdf",
    "RecordingPdfRenderer": "pdf",
    "WeasyPrintRenderer": "pdf",
}


def __getattr__(name: str) -> Any:
    """The renderers, imported on first access."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "ATTACHABLE",
    "FORMATS",
    "Format",
    "PdfRenderer",
    "RecordingPdfRenderer",
    "RenderJob",
    "WeasyPrintRenderer",
    "render_html",
    "render_json",
    "render_markdown",
    "report_json_schema",
    "shipped_templates",
    "unknown_formats",
]
