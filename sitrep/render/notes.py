"""The desk's Markdown (key messages, comment), made inert for the report.

HTML: CommonMark through markdown-it-py with raw HTML off (``<script>`` shows as text) and
its link check (no ``javascript:``, ``vbscript:``, ``file:`` or ``data:`` links); the
result is further limited to an allow-list of tags. Markdown: the text as written, with
``<`` ``>`` ``&`` escaped so no HTML passes through a Markdown viewer.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MD.disable(["image"])  # no remote fetches from a report
_ALLOWED = {"p", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote", "br",
            "h1", "h2", "h3", "h4", "h5", "h6", "hr"}  # fmt: skip
_TAG = re.compile(r"</?([a-zA-Z0-9]+)[^>]*>")


def _allowed(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1).lower() in _ALLOWED else ""


def notes_html(text: str | None) -> Markup:
    """The desk's Markdown as sanitised HTML (empty text: nothing)."""
    if not text or not text.strip():
        return Markup("")
    return Markup(_TAG.sub(_allowed, _MD.render(text)))


def notes_md(text: str | None) -> str:
    """The desk's Markdown for the Markdown report: as written, with HTML made inert."""
    if not text:
        return ""
    inert = text.replace("\r\n", "\n").replace("&", "&amp;").replace("<", "&lt;")
    return inert.replace(">", "&gt;").strip()
