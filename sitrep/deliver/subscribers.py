"""Subscribers: who receives which edition of the report, read from sitrep.toml or a file.

Subscribers are listed as ``[[subscribers]]`` tables in ``sitrep.toml``, or in the file
named by ``subscribers_file`` (TOML with the same ``[[subscribers]]`` tables, or CSV with
one subscriber a row); both may be used together. The format is documented in
``docs/delivery.md``. Every problem is reported with the file and line it is on, by
:func:`subscriber_problems` (called by ``sitrep validate``).

Subscribers who share a filter set and a language share one edition: :func:`editions`
groups the active subscribers by :class:`~sitrep.model.edition.Edition`, so the report is
generated once per edition, not once per person. A subscriber who names no language gets
``report.language``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..errors import ConfigError, Problem, SitrepError
from ..model.edition import DEFAULT_LANGUAGE, Edition
from ..model.fields import normalise_country
from ..model.filters import ReportFilter, Severity
from ..render.formats import ATTACHABLE
from ..render.safe import has_controls, one_line
from ..store.open import open_store
from .sources import RawEntry, raw_entries

logger = logging.getLogger(__name__)

RECEIVE = ("html", *ATTACHABLE)
"""What a subscriber can receive: the HTML body, and the formats that can be attached."""

DEFAULT_RECEIVE = frozenset({"pdf", "html"})
FIELDS = ("name", "email", "language", "receive", "countries", "admin1", "min_severity", "active")

_EMAIL = re.compile(
    r"^(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$"
)
_LANGUAGE = re.compile(r"^[a-z]{2}(?:-[A-Z]{2})?$")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off", ""}


@dataclass(frozen=True)
class Subscriber:
    """One person on the list, and the edition of the report they receive."""

    email: str
    name: str = ""
    language: str = DEFAULT_LANGUAGE
    receive: frozenset[str] = DEFAULT_RECEIVE
    filter: ReportFilter = field(default_factory=ReportFilter)
    active: bool = True
    where: str = ""

    @property
    def key(self) -> str:
        """The address in lower case: how the delivery ledger knows this subscriber."""
        return self.email.lower()

    @property
    def attachments(self) -> frozenset[str]:
        """The report formats attached to the message ("pdf", "md")."""
        return self.receive & frozenset(ATTACHABLE)

    @property
    def edition(self) -> Edition:
        """The edition this subscriber receives: their filter set in their language."""
        return Edition(self.filter, self.language)


@dataclass(frozen=True)
class Audience:
    """One edition and the active subscribers who receive it."""

    edition: Edition
    subscribers: tuple[Subscriber, ...]

    @property
    def filter(self) -> ReportFilter:
        """The edition's filter set."""
        return self.edition.filter

    @property
    def key(self) -> str:
        """The edition's key ('all', 'MLI', 'MLI.fr')."""
        return self.edition.key


# --- parsing ---------------------------------------------------------------------------


def _as_list(value: Any, field_name: str) -> list[str]:
    """A list of strings from a TOML array or a 'a; b' string (CSV cells)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ValueError(
        f"{value!r} is not a list of names (expected an array of strings, "
        f'such as {field_name} = ["a", "b"], or "a; b" in a CSV cell)'
    )


def check_email(value: Any) -> str:
    """The address, stripped, or ValueError saying what a valid address looks like."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("missing (expected an address such as name@example.org)")
    text = value.strip()
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        raise ValueError(f"{text!r} contains control characters (expected name@example.org)")
    if not _EMAIL.match(text) or len(text) > 254:
        hint = ""
        if "<" in text or " " in text:
            hint = "; give the bare address and put the person's name in 'name'"
        elif not text.isascii():
            hint = "; only ASCII addresses are supported"
        raise ValueError(f"{text!r} is not an e-mail address (expected name@example.org{hint})")
    local = text.split("@", 1)[0]
    if len(local) > 64:
        raise ValueError(f"{text!r} has a local part longer than 64 characters")
    return text


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"{value!r} is not true or false (expected true, false, yes or no)")


def _parse_field(name: str, value: Any, admin1_names: Collection[str] | None) -> Any:
    if name == "email":
        return check_email(value)
    if name == "name":
        if not isinstance(value, str):
            raise ValueError(f'{value!r} is not text (expected a name such as "Aïcha Maïga")')
        return one_line(value)  # control characters and line breaks become spaces
    if name == "language":
        if not isinstance(value, str) or not _LANGUAGE.match(value.strip()):
            raise ValueError(f"{value!r} is not a language code (expected en, fr or pt-BR)")
        return value.strip()
    if name == "receive":
        items = [v.lower() for v in _as_list(value, "receive")]
        bad = [v for v in items if v not in RECEIVE]
        if bad:
            raise ValueError(
                f"unknown {', '.join(map(repr, bad))} (expected some of: {', '.join(RECEIVE)})"
            )
        if not items:
            raise ValueError(f"is empty (expected some of: {', '.join(RECEIVE)})")
        return frozenset(items)
    if name == "countries":
        return frozenset(normalise_country(v) for v in _as_list(value, "countries"))
    if name == "admin1":
        written = _as_list(value, "admin1")
        if any(has_controls(v) for v in written):
            raise ValueError(
                f"{', '.join(map(repr, written))} contains control characters or line breaks "
                "(expected region names as written in the data, such as Ménaka)"
            )
        items = [" ".join(v.split()) for v in written]
        if admin1_names is not None:
            known = {a.casefold(): a for a in admin1_names}
            unknown = [v for v in items if v.casefold() not in known]
            if unknown:
                examples = ", ".join(sorted(known.values())[:8]) or "none in the data"
                raise ValueError(
                    f"unknown admin1 {', '.join(map(repr, unknown))} "
                    f"(not in the incident data; known: {examples})"
                )
            items = [known[v.casefold()] for v in items]
        return frozenset(items)
    if name == "min_severity":
        text = str(value).strip().lower()
        try:
            return Severity(text)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a severity (expected one of: {', '.join(Severity)})"
            ) from None
    if name == "active":
        return _parse_bool(value)
    raise ValueError(f"unknown field (expected one of: {', '.join(FIELDS)})")


def _parse(
    raw: RawEntry, admin1_names: Collection[str] | None, language: str
) -> tuple[Subscriber | None, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    email = raw.data.get("email")
    record = email.strip() if isinstance(email, str) and email.strip() else None
    record = record or (str(raw.data["name"]) if raw.data.get("name") else None)
    for name in sorted(set(raw.data) | {"email"}, key=lambda n: (n not in FIELDS, n)):
        try:
            values[name] = _parse_field(name, raw.data.get(name), admin1_names)
        except ValueError as exc:
            line = raw.field_lines.get(name, raw.line)
            problems.append(Problem(raw.file, line, record, name, str(exc)))
    if problems:
        return None, problems
    subscriber = Subscriber(
        email=values["email"],
        name=values.get("name", ""),
        language=values.get("language", language),
        receive=values.get("receive", DEFAULT_RECEIVE),
        filter=ReportFilter(
            countries=values.get("countries", frozenset()),
            admin1=values.get("admin1", frozenset()),
            min_severity=values.get("min_severity", Severity.MINOR),
        ),
        active=values.get("active", True),
        where=f"{raw.file}:{raw.line}" if raw.line else raw.file,
    )
    return subscriber, []


def _parse_all(
    config: Config, admin1_names: Collection[str] | None
) -> tuple[list[Subscriber], list[Problem]]:
    raws, problems = raw_entries(config)
    subscribers: list[Subscriber] = []
    seen: dict[str, str] = {}
    for raw in raws:
        subscriber, found = _parse(raw, admin1_names, config.report.language)
        problems += found
        email = raw.data.get("email")
        email = email.strip() if isinstance(email, str) else ""
        key = email.lower()
        where = f"{raw.file}:{raw.line}" if raw.line else raw.file
        if key and key in seen:
            problems.append(Problem(
                raw.file, raw.field_lines.get("email", raw.line), email, "email",
                f"is listed twice (also at {seen[key]}; keep one entry)",
            ))  # fmt: skip
            continue
        if key:
            seen[key] = where
        if subscriber is not None:
            subscribers.append(subscriber)
    return subscribers, problems


def admin1_in_data(config: Config) -> tuple[set[str] | None, list[Problem]]:
    """The admin1 names in the incident data (None when it has none), or the problem that
    kept the data from being read. The records' own problems are ``sitrep validate``'s."""
    data = config.path(config.report.data)
    try:
        result = open_store(config).load()
    except (SitrepError, OSError) as exc:
        why = " ".join(str(exc).split())
        return None, [Problem(
            str(data), None, None, "admin1",
            f"subscribers' admin1 names not checked: the incident data cannot be read ({why}); "
            "check report.data in sitrep.toml",
        )]  # fmt: skip
    names = {r.admin1 for r in result.records if r.admin1}
    return names or None, []


def subscriber_problems(
    config: Config, *, admin1_names: Collection[str] | None = None, check_admin1: bool = True
) -> list[Problem]:
    """Every problem in the subscriber list, each with its file and line.

    Invalid addresses, unknown fields, countries, severities and formats are reported;
    admin1 names are checked against ``admin1_names``, by default the names in the data
    (a problem says so when the data cannot be read).
    """
    trouble: list[Problem] = []
    if admin1_names is None and check_admin1 and _has_admin1_filters(config):
        admin1_names, trouble = admin1_in_data(config)
    return [*trouble, *_parse_all(config, admin1_names)[1]]


def _has_admin1_filters(config: Config) -> bool:
    return any(raw.data.get("admin1") for raw in raw_entries(config)[0])


def read_subscribers(
    config: Config, *, check_admin1: bool = False
) -> tuple[list[Subscriber], list[Problem]]:
    """The valid subscribers (active or not, in file order) and the problems of the others.

    With ``check_admin1``, admin1 filters are checked against the incident data as
    ``sitrep validate`` checks them (``sitrep run`` does, so that an entry ``validate``
    rejects is never sent to); when the data cannot be read they are not checked.
    """
    admin1_names: set[str] | None = None
    if check_admin1 and _has_admin1_filters(config):
        admin1_names, trouble = admin1_in_data(config)
        for problem in trouble:
            logger.warning("%s", problem)
    return _parse_all(config, admin1_names)


def load_subscribers(config: Config, *, strict: bool = False) -> list[Subscriber]:
    """The valid subscribers, active or not, in file order.

    Invalid entries are logged and skipped so one typo does not stop the morning's
    delivery to everyone else (``sitrep validate`` lists them); with ``strict`` they
    raise :class:`ConfigError` instead.
    """
    subscribers, problems = read_subscribers(config)
    if problems and strict:
        raise ConfigError(
            "\n".join(
                [
                    f"{len(problems)} problem(s) in the subscriber list:",
                    *(f"  {p}" for p in problems),
                ]
            )
        )
    for problem in problems:
        logger.warning("subscriber skipped: %s", problem)
    return subscribers


def editions(
    subscribers: Iterable[Subscriber], only: Collection[str] | None = None
) -> list[Audience]:
    """Active subscribers grouped by edition (filter set and language), in order of first
    appearance.

    Editions with the same key (admin1 names differing only in case) are one: the key
    names its files, so two editions must never share it. ``only`` limits the result to
    these addresses (case-insensitive).
    """
    wanted = {a.lower() for a in only} if only is not None else None
    groups: dict[str, tuple[Edition, list[Subscriber]]] = {}
    for subscriber in subscribers:
        if not subscriber.active or (wanted is not None and subscriber.key not in wanted):
            continue
        edition = subscriber.edition
        groups.setdefault(edition.key, (edition, []))[1].append(subscriber)
    return [Audience(e, tuple(subs)) for e, subs in groups.values()]



def unknown_addresses(subscribers: Sequence[Subscriber], addresses: Iterable[str]) -> list[str]:
    """The addresses in ``addresses`` that are not active subscribers (for ``--only``)."""
    known = {s.key for s in subscribers if s.active}
    return [a for a in addresses if a.lower() not in known]
