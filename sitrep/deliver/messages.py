"""Composing the e-mail: subject, plain-text and HTML bodies, attachments and headers.

The subject and bodies come from ``templates/email/`` (``subject.txt``, ``body.txt``,
``body.html``), one template per format: their words are behind ``_()`` and translated by
the gettext catalog of the subscriber's language (``sitrep/locale``, as the report's
templates), English (dates too) for a language with no catalog. A user's templates folder
overrides a template by file name, and a language variant there (``body.fr.html``) is
taken as written for subscribers of that language.

Header values built from data (names, titles, place names such as Ménaka) can never add
headers: every control character, CR and LF included, becomes a space before the value
reaches a header, and non-ASCII text is encoded (RFC 2047) by the ``email`` package.
The message is pure ASCII (quoted-printable bodies, base64 attachments), so any server
takes it whether or not it offers 8BITMIME.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import jinja2

from ..config import Config
from ..errors import ConfigError, RenderError
from ..model.edition import DEFAULT_LANGUAGE, Edition
from ..model.report import Report
from ..render.environment import make_environment
from ..render.formats import ATTACHABLE, FORMATS
from ..render.safe import one_line
from ..wording import words_for
from ..wording.catalog import catalog_language, translations
from ..wording.numbers import fmt_date, fmt_num
from .mime import POLICY, Attachment, EncodedPart
from .subscribers import Subscriber, check_email

ENCODED_PARTS = 8
"""Attachment parts a :class:`Composer` keeps encoded (messages go out edition by edition)."""


def header_safe(value: object) -> str:
    """A one-line header value: control characters (CR, LF, ...) become single spaces,
    bidi overrides are dropped (:func:`~sitrep.render.safe.one_line`)."""
    return one_line(value)


def long_date(day: dt.date, language: str = "en") -> str:
    """'2 June 2025' in the language of the e-mail template ('2 juin 2025' in French); a
    language the date library does not know gets English dates."""
    try:
        return fmt_date(day, locale=language.replace("-", "_"))
    except (ValueError, LookupError):  # babel.UnknownLocaleError is a LookupError
        return fmt_date(day)


def number(value: int | None, language: str = "en") -> str:
    """'1,234' in the language of the e-mail template ('1 234' in French); English
    numbers for a language the number library does not know."""
    try:
        return fmt_num(value, locale=language.replace("-", "_"))
    except (ValueError, LookupError):
        return fmt_num(value)


def period_label(report: Report, language: str = "en") -> str:
    """The report's period in words: '2 June 2025', '27 May 2025 – 2 June 2025'."""
    p = report.period
    if p.start == p.end:
        return long_date(p.end, language)
    return f"{long_date(p.start, language)} – {long_date(p.end, language)}"


def ascii_name(text: str) -> str:
    """A file-name-safe ASCII form: 'sitrep-2025-06-02-ménaka' -> 'sitrep-2025-06-02-menaka'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-") or "report"


def attachment_name(report: Report, extension: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The stable file name of an attachment: 'sitrep-2025-06-02.pdf', '...-MLI.fr.pdf'."""
    stem = Edition(report.filter, language).stem(report.period.start, report.period.end)
    return f"{ascii_name(stem)}.{extension.lstrip('.')}"


def report_id(start: dt.date, end: dt.date) -> str:
    """How the ledger names the report of a period: '2025-06-02' or '2025-05-27_2025-06-02'."""
    return str(end) if start == end else f"{start}_{end}"


def message_id(report: str, edition: str, recipient: str, generation: int, domain: str) -> str:
    """A Message-ID that is the same every time this delivery is retried.

    Retries after a failure or an interruption reuse it, so a mail client that gets the
    message twice shows it once; ``--resend`` raises ``generation`` to make a new one.
    ``edition`` is the edition's key, language included ('MLI.fr'), so another language's
    edition of the same report is another message.
    """
    digest = hashlib.sha256(f"{recipient.lower()}\n{generation}".encode()).hexdigest()[:20]
    return f"<sitrep.{ascii_name(report)}.{ascii_name(edition)}.{digest}@{domain}>"


def read_attachments(
    report: Report, files: Mapping[str, Path], language: str = DEFAULT_LANGUAGE
) -> dict[str, Attachment]:
    """The generated files that can be attached (the registry's attachable formats), read
    once per edition."""
    out: dict[str, Attachment] = {}
    for kind in ATTACHABLE:
        path = files.get(kind)
        if path is not None:
            fmt = FORMATS[kind]
            out[kind] = Attachment(attachment_name(report, fmt.suffix, language),
                                   path.read_bytes(), *fmt.mime)  # fmt: skip
    return out


class Composer:
    """Builds the messages of one run from the configuration and the email templates."""

    def __init__(self, config: Config) -> None:
        self.config = config
        smtp = config.smtp
        name, addr = parseaddr(header_safe(smtp.sender))
        try:
            check_email(addr)
        except ValueError as exc:
            raise ConfigError(
                f"smtp.sender {smtp.sender!r}: {exc} (write it as 'sitrep <sitrep@example.org>')"
            ) from None
        self.sender = Address(display_name=name, addr_spec=addr)
        reply = parseaddr(header_safe(smtp.reply_to))[1] if smtp.reply_to else addr
        try:
            self.reply_to = Address(addr_spec=check_email(reply))
        except ValueError as exc:
            raise ConfigError(f"smtp.reply_to {smtp.reply_to!r}: {exc}") from None
        self.domain = addr.rsplit("@", 1)[1]
        self._envs: dict[tuple[str, str], jinja2.Environment] = {}
        # per run: chosen templates, each edition's words, its encoded attachment parts
        self._templates: dict[tuple[str, str, str], tuple[jinja2.Template, str]] = {}
        self._shared: dict[tuple[int, str], tuple[Report, dict[str, Any]]] = {}
        self._parts: OrderedDict[Attachment, EncodedPart] = OrderedDict()
        self._headers: dict[tuple[str, str], Any] = {}

    def _env(self, kind: Literal["text", "html"], language: str) -> jinja2.Environment:
        """The environment of one kind whose ``_()`` speaks ``language``."""
        env = self._envs.get((kind, language))
        if env is None:
            templates = self.config.user_templates
            env = make_environment(kind, templates)
            env.install_gettext_translations(  # type: ignore[attr-defined]
                translations(language, templates), newstyle=True
            )
            env.filters["long_date"] = long_date
            env.filters["num"] = lambda value: number(value, language)
            env.filters["country_name"] = words_for().country
            self._envs[(kind, language)] = env
        return env

    def _template(
        self, kind: Literal["text", "html"], name: str, language: str
    ) -> tuple[jinja2.Template, str]:
        """The template for a subscriber's language, and the language it speaks: a variant
        named for the language (``body.fr.html``) as written, else the one template in the
        language of a catalog, else in English. Chosen once a run."""
        key = (kind, name, language)
        if key not in self._templates:
            self._templates[key] = self._select(kind, name, language)
        return self._templates[key]

    def _select(
        self, kind: Literal["text", "html"], name: str, language: str
    ) -> tuple[jinja2.Template, str]:
        stem, ext = name.rsplit(".", 1)
        base = language.split("-")[0]
        templated = catalog_language(language, self.config.user_templates) or "en"
        candidates = [(f"email/{stem}.{language}.{ext}", language),
                      (f"email/{stem}.{base}.{ext}", base),
                      (f"email/{name}", templated)]  # fmt: skip
        try:
            found = self._env(kind, "en").select_template([n for n, _ in candidates])
            speaks = dict(candidates).get(found.name or "", "en")
            return self._env(kind, speaks).get_template(found.name or name), speaks
        except jinja2.TemplateError as exc:
            raise RenderError(f"e-mail template {name}: {exc}") from exc

    def unsubscribe(self, recipient: str) -> str:
        """The List-Unsubscribe target for one recipient (without angle brackets)."""
        target = self.config.smtp.unsubscribe
        if target:
            return header_safe(target.replace("{email}", quote(recipient, safe="@")))
        return (
            f"mailto:{self.reply_to.addr_spec}?subject=unsubscribe%20{quote(recipient, safe='@')}"
        )

    def context(
        self,
        report: Report,
        subscriber: Subscriber,
        attachments: Sequence[Attachment],
        language: str = "en",
    ) -> dict[str, Any]:
        """What the templates see; ``language`` is the template's (month names)."""
        return {
            **self._edition_context(report, language),
            "subscriber": subscriber,
            "name": subscriber.name,
            "attachments": [a.filename for a in attachments],
            "unsubscribe": self.unsubscribe(subscriber.email),
        }

    def _edition_context(self, report: Report, language: str) -> dict[str, Any]:
        """The part of :meth:`context` that is the same for every subscriber of an edition,
        worded once per report and template language."""
        key = (id(report), language)
        hit = self._shared.get(key)
        if hit is not None and hit[0] is report:
            return hit[1]
        lang = language
        figures = report.key_figures
        words = words_for(report.language)
        shared = {
            "report": report,
            "title": report.title,
            "date": period_label(report, lang),
            "edition": words.describe_filter(report.filter),
            "figures": figures,
            "incidents": figures.incidents,
            "updates": figures.updates,
            # the killed figures cover new incidents and updates alike, so does the count
            "reported": figures.incidents + figures.updates,
            "killed_low": figures.killed_all.low,
            "killed_text": words.total(figures.killed_all),
            "countries": [words.country(c) for c in figures.countries],
            "developments": words.developments(report),
            "language": lang,
            "marking": self.config.furniture.marking,
        }
        if len(self._shared) >= ENCODED_PARTS:  # editions are sent one after another
            self._shared.clear()
        self._shared[key] = (report, shared)
        return shared

    def render(
        self, report: Report, subscriber: Subscriber, attachments: Sequence[Attachment]
    ) -> tuple[str, str, str, str]:
        """Subject (one line), plain-text body, HTML body, and the language of the body.

        A subscriber's language is used where it has a catalog (``sitrep/locale``, or
        ``locale/`` in the user's templates folder) or a template of its own
        (``body.fr.html``); elsewhere English, English dates included.
        """
        out: list[str] = []
        body_language = "en"
        kinds: tuple[tuple[Literal["text", "html"], str], ...] = (
            ("text", "subject.txt"), ("text", "body.txt"), ("html", "body.html"))  # fmt: skip
        for kind, name in kinds:
            template, language = self._template(kind, name, subscriber.language)
            if name == "body.txt":
                body_language = language
            try:
                out.append(template.render(self.context(report, subscriber, attachments, language)))
            except jinja2.TemplateError as exc:
                raise RenderError(f"e-mail template {template.name}: {exc}") from exc
        return header_safe(out[0]), out[1], out[2], body_language

    def compose(
        self,
        report: Report,
        subscriber: Subscriber,
        *,
        attachments: Sequence[Attachment],
        message_id: str,
        date: dt.datetime,
    ) -> EmailMessage:
        """The whole message for one subscriber."""
        subject, text, html, language = self.render(report, subscriber, attachments)
        msg = EmailMessage(policy=POLICY)
        msg["Subject"] = self._header("Subject", subject)
        msg["From"] = self._header("From", str(self.sender))
        msg["To"] = Address(display_name=header_safe(subscriber.name), addr_spec=subscriber.email)
        msg["Reply-To"] = self._header("Reply-To", str(self.reply_to))
        msg["Date"] = format_datetime(date.astimezone(dt.UTC).replace(microsecond=0))
        msg["Message-ID"] = message_id
        list_id = f"{header_safe(report.title)} <sitrep.{self.domain}>"
        msg["List-Id"] = self._header("List-Id", list_id)
        unsubscribe = self.unsubscribe(subscriber.email)
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        if unsubscribe.startswith("https:"):
            msg["List-Unsubscribe-Post"] = self._header(
                "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"
            )
        msg["Auto-Submitted"] = self._header("Auto-Submitted", "auto-generated")
        msg.set_content(text, cte="quoted-printable")
        if "html" in subscriber.receive:
            msg.add_alternative(html, subtype="html", cte="quoted-printable")
        for attachment in attachments:  # as add_attachment() does, with the part made once
            if msg.get_content_type() != "multipart/mixed":
                msg.make_mixed()
            msg.attach(self._part(attachment))
        # Set last: set_content() and add_*() move Content-* headers into the parts.
        msg["Content-Language"] = self._header("Content-Language", language)
        return msg

    def _header(self, name: str, value: str) -> Any:
        """The parsed header (``email.headerregistry``) of a value many messages share:
        parsing a header costs more than the rest of setting it."""
        key = (name, value)
        header = self._headers.get(key)
        if header is None:
            if len(self._headers) > 64:
                self._headers.clear()
            header = self._headers[key] = POLICY.header_factory(name, value)
        return header


    def _part(self, attachment: Attachment) -> EncodedPart:
        """The encoded part of ``attachment``, made on first use (the last few kept)."""
        part = self._parts.get(attachment)
        if part is None:
            part = self._parts[attachment] = EncodedPart(attachment)
            if len(self._parts) > ENCODED_PARTS:
                self._parts.popitem(last=False)
        else:
            self._parts.move_to_end(attachment)
        return part
