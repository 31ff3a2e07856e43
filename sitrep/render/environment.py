"""Jinja environments for the report and e-mail templates."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jinja2
import markupsafe

from ..errors import RenderError
from ..wording import Words
from ..wording.catalog import translations
from .context import chart_data_url, where
from .notes import notes_html, notes_md
from .safe import BIDI_CONTROLS, plain
from .worded import unwrapping

logger = logging.getLogger(__name__)

Kind = Literal["html", "md", "text"]



def shipped_templates() -> Path:
    """The folder of templates shipped inside the package."""
    return Path(str(resources.files("sitrep.templates")))


# With [ and ] escaped no link or image can form, so ( ) ! need no escape and text stays
# readable in the raw Markdown.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
_MD_AUTOLINK = re.compile(r"(?i)(?<=\bwww)\.|:(?=//)")


def md_escape(value: Any) -> Any:
    """Escape a value for Markdown so it shows as text: no links, images, HTML or tables.

    Besides Markdown's punctuation, ``://`` and ``www.`` are escaped (``\\://``,
    ``www\\.``) so that GitHub-flavoured Markdown does not turn bare addresses into links.
    """
    if value is None:
        return ""
    if isinstance(value, jinja2.runtime.Undefined | MdSafe):
        return value
    text = str(value).replace("\r", " ").replace("\n", " ")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_AUTOLINK.sub(lambda m: "\\" + m.group(0), text)


class MdSafe(str):
    """Markdown produced by a template or filter, not to be escaped again."""


def safe_value(value: Any) -> Any:
    """Every ``{{ }}`` value of every template, cleaned by :func:`~sitrep.render.safe.plain`
    (control and bidi characters dropped), keeping its kind (markup stays markup)."""
    if isinstance(value, MdSafe | markupsafe.Markup):
        return type(value)(plain(str(value)))
    if isinstance(value, str):
        return plain(value)
    return value


# Anything md_escape or plain would change: a value without any of it (most of a long
# report's 86,000 values: names, dates, numbers) is written as it is, without their six
# passes over it.
_MD_ANYTHING = re.compile(
    f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\\\\`*_{{}}\\[\\]<>#|~]|(?i:www)|://"
)


def _finalize_md(value: Any) -> Any:
    if type(value) is str and _MD_ANYTHING.search(value) is None:
        return value
    if type(value) is int:
        return str(value)
    return md_escape(safe_value(value))


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process and shared by every environment
    made here: an environment is made for each rendering (its filters speak the report's
    language), and compiling the report templates cost more than rendering them.

    A template is found again only under the same file, the same source (its checksum)
    and an environment of the same settings and filter names, which is everything the
    compiled code depends on (the filters themselves are looked up when rendering).
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        """The bucket of ``name`` for this kind of environment."""
        finalize = getattr(environment.finalize, "__qualname__", repr(environment.finalize))
        kind = (
            f"{environment.autoescape}|{finalize}|{getattr(environment, 'newstyle_gettext', '')}"
            f"|{','.join(sorted(environment.filters))}"
        )
        return super().get_bucket(environment, f"{name}|{kind}", filename, source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` if this template was compiled before."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a newly compiled template."""
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        """Forget every compiled template."""
        self._code.clear()


COMPILED = CompiledTemplates()


def make_environment(kind: Kind, user_templates: Path | None = None) -> jinja2.Environment:
    """A Jinja environment for one output kind, with the user's folder before the shipped one.

    ``html`` autoescapes; ``md`` escapes every ``{{ }}`` value for Markdown; ``text`` (plain
    e-mail bodies) escapes nothing. In all three, every value is cleaned of control and
    bidi characters first (:func:`safe_value`).
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
        finalize=_finalize_md if kind == "md" else safe_value,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=COMPILED,
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["md_safe"] = MdSafe
    return env


def report_environment(
    kind: Kind, templates: Path | None, words: Words
) -> jinja2.Environment:
    """The environment of the report templates: filters write in the language of ``words``
    (they take model objects or their :class:`~sitrep.render.worded.Worded` views)."""
    if templates is not None and not templates.is_dir():
        raise RenderError(
            f"template folder {templates} does not exist (fix report.templates in sitrep.toml "
            "or create the folder)"
        )
    env = make_environment(kind, templates)
    # the template strings in the report's language (sitrep/locale, or the user's folder)
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations(words.language, templates), newstyle=True
    )
    filters: dict[str, Callable[..., Any]] = {
        "label": words.label,
        "words": words.words,
        "date": words.date,
        "date_short": lambda d: words.date(d, short=True),
        "num": words.num,
        "range": lambda t: words.range(t.low, t.high, t.high_open),
        "high": words.high,
        "estimate": words.estimate,
        "refs": words.refs,
        "figure": words.statement_or_none,
        "problem": words.problem,
        "country": words.country,
        "term": words.term,
        "data_url": chart_data_url,
        "where": lambda inc: where(inc, words),
    }
    env.filters.update({name: unwrapping(f) for name, f in filters.items()})
    # the desk's Markdown (key messages, comment), made inert
    env.filters["notes"] = (lambda t: MdSafe(notes_md(t))) if kind == "md" else notes_html
    env.globals.update(fmt_datetime=words.datetime, fmt_range=words.range)
    return env


def _render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            f"template {exc.name!r} not found in the user or shipped templates folder "
            f"({', '.join(str(p) for p in env.loader.searchpath)})"  # type: ignore[union-attr]
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(
            f"template {name!r} uses something the report does not have: {exc.message} "
            "(check the names against docs/report-json.md)"
        ) from None


def load_css(templates: Path | None = None) -> str:
    """``report.css``: the user's, if their templates folder has one, else the shipped one."""
    for folder in (templates, shipped_templates()):
        if folder is not None and (folder / "report.css").is_file():
            return (folder / "report.css").read_text(encoding="utf-8")
    raise RenderError(f"report.css not found in {shipped_templates()} (reinstall sitrep)")


