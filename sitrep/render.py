"""Rendering: the report model into Markdown, HTML, JSON and PDF.

Templates come from a user folder first (``report.templates`` in sitrep.toml), then
from the templates shipped with sitrep. Record text is data, never markup: HTML
templates autoescape, Markdown templates escape every value through ``finalize``.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jinja2

logger = logging.getLogger(__name__)

Kind = Literal["html", "md", "text"]


def shipped_templates() -> Path:
    """The folder of templates shipped inside the package."""
    return Path(str(resources.files("sitrep.templates")))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(value: Any) -> Any:
    """Escape a value for Markdown so it shows as text: no links, images, HTML or tables."""
    if value is None:
        return ""
    if isinstance(value, jinja2.runtime.Undefined) or isinstance(value, MdSafe):
        return value
    text = str(value).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


class MdSafe(str):
    """Markdown produced by a template or filter, not to be escaped again."""


def make_environment(kind: Kind, user_templates: Path | None = None) -> jinja2.Environment:
    """A Jinja environment for one output kind, with the user's folder before the shipped one.

    ``html`` autoescapes; ``md`` escapes every ``{{ }}`` value for Markdown; ``text`` (plain
    e-mail bodies) escapes nothing.
    """
    folders = [str(user_templates)] if user_templates else []
    folders.append(str(shipped_templates()))
    loader = jinja2.FileSystemLoader(folders)
    env = jinja2.Environment(
        loader=loader,
        autoescape=kind == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape if kind == "md" else None,
    )
    env.filters["md_safe"] = MdSafe
    return env
