"""Subscribers: who receives which edition of the report, read from sitrep.toml or a file.

Subscribers are listed as ``[[subscribers]]`` tables in ``sitrep.toml``, or in the file
named by ``subscribers_file`` (TOML with the same ``[[subscribers]]`` tables, or CSV with
one subscriber a row); both may be used together. The format is documented in
``docs/delivery.md``. Every problem is reported with the file and line it is on, by
:func:`subscriber_problems` (called by ``sitrep validate``).

Subscribers whose filters are the same share one edition: :func:`editions` groups the
active subscribers by :class:`~sitrep.report.ReportFilter`, so the report is generated
once per distinct filter set, not once per person.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ConfigError, Problem
from ..model.records import country_name, normalise_country
from ..model.report import ReportFilter, Severity
from ..store.directory import load_records

logger = logging.getLogger(__name__)

RECEIVE = ("pdf", "html", "md")
"""What a subscriber can receive: PDF attachment, HTML body, Markdown attachment."""

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
    language: str = "en"
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
        return self.receive & {"pdf", "md"}


@dataclass(frozen=True)
class Edition:
    """One filter set and the active subscribers who receive it."""

    filter: ReportFilter
    subscribers: tuple[Subscriber, ...]


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
        if any(ord(c) < 32 and c not in "\t\r\n" for c in value):
            raise ValueError("contains control characters (expected plain text)")
        return " ".join(value.split())  # line breaks become spaces
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
        items = [" ".join(v.split()) for v in _as_list(value, "admin1")]
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


@dataclass(frozen=True)
class _Raw:
    """One subscriber entry as written, with where each field is."""

    file: str
    line: int | None
    data: Mapping[str, Any]
    field_lines: Mapping[str, int]


def _parse(
    raw: _Raw, admin1_names: Collection[str] | None
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
        language=values.get("language", "en"),
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


# --- reading the sources ---------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[")
_SUBSCRIBERS_HEADER = re.compile(r"""^\s*\[\[\s*["']?subscribers["']?\s*\]\]""")
_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")


def _toml_locations(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each ``[[subscribers]]`` table: its header line and the line of each key."""
    blocks: list[tuple[int, dict[str, int]]] = []
    current: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if _SUBSCRIBERS_HEADER.match(line):
            current = {}
            blocks.append((number, current))
        elif _HEADER.match(line):
            current = None
        elif current is not None and (m := _KEY.match(line)):
            current.setdefault(m.group(1), number)
    return blocks


def _raws_from_toml(entries: Any, text: str, display: str) -> tuple[list[_Raw], list[Problem]]:
    if not isinstance(entries, list):
        return [], [
            Problem(
                display,
                None,
                None,
                "subscribers",
                "is not a list of tables (expected [[subscribers]] sections, see docs/delivery.md)",
            )
        ]
    blocks = _toml_locations(text)
    whole = next(
        (i for i, ln in enumerate(text.splitlines(), 1) if re.match(r"\s*subscribers\s*=", ln)),
        None,
    )
    raws: list[_Raw] = []
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        line, fields = blocks[i] if i < len(blocks) else (whole, {})
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    display,
                    line,
                    f"#{i + 1}",
                    None,
                    "is not a table (expected name = ..., email = ...)",
                )
            )
            continue
        raws.append(_Raw(display, line, entry, fields))
    return raws, problems


def _raws_from_csv(text: str, display: str) -> tuple[list[_Raw], list[Problem]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), skipinitialspace=True)
    if not reader.fieldnames or "email" not in [f.strip().lower() for f in reader.fieldnames]:
        return [], [
            Problem(
                display,
                1,
                None,
                None,
                "has no 'email' column (expected a header row "
                "such as name,email,language,receive,countries,admin1,min_severity,active)",
            )
        ]
    raws: list[_Raw] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(
                Problem(display, line, None, None, "has more cells than the header has columns")
            )
            continue
        data = {
            k.strip().lower(): v.strip()
            for k, v in row.items()
            if k and v is not None and v.strip() != ""
        }
        if not data or all(k.startswith("#") for k in data):
            continue
        raws.append(_Raw(display, line, data, {}))
    return raws, problems


def _display(config: Config, path: Path) -> str:
    try:
        return str(path.relative_to(config.root))
    except ValueError:
        return str(path)


def _raw_entries(config: Config) -> tuple[list[_Raw], list[Problem]]:
    raws: list[_Raw] = []
    problems: list[Problem] = []
    if config.subscribers:
        file = config.file
        display = _display(config, file) if file else "sitrep.toml"
        text = file.read_text(encoding="utf-8") if file and file.exists() else ""
        r, p = _raws_from_toml(list(config.subscribers), text, display)
        raws += r
        problems += p
    if config.subscribers_file is not None:
        path = config.path(config.subscribers_file)
        display = _display(config, path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            problems.append(
                Problem(
                    display,
                    None,
                    None,
                    None,
                    f"cannot be read: {why} (check subscribers_file in sitrep.toml; "
                    "save CSV files from spreadsheets as 'CSV UTF-8')",
                )
            )
            return raws, problems
        if path.suffix.lower() == ".csv":
            r, p = _raws_from_csv(text, display)
        elif path.suffix.lower() == ".toml":
            try:
                document = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                return raws, [
                    *problems,
                    Problem(display, None, None, None, f"is not valid TOML: {exc}"),
                ]
            for key in sorted(set(document) - {"subscribers"}):
                line = next(
                    (n for n, ln in enumerate(text.splitlines(), 1) if key in ln), None
                )
                problems.append(
                    Problem(display, line, None, key, "unknown table (expected [[subscribers]])")
                )
            r, p = _raws_from_toml(document.get("subscribers", []), text, display)
        else:
            return raws, [
                *problems,
                Problem(
                    display,
                    None,
                    None,
                    None,
                    "has an unknown format (expected a .toml or .csv file)",
                ),
            ]
        raws += r
        problems += p
    return raws, problems


def _parse_all(
    config: Config, admin1_names: Collection[str] | None
) -> tuple[list[Subscriber], list[Problem]]:
    raws, problems = _raw_entries(config)
    subscribers: list[Subscriber] = []
    seen: dict[str, str] = {}
    for raw in raws:
        subscriber, found = _parse(raw, admin1_names)
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


def _admin1_in_data(config: Config) -> set[str] | None:
    """The admin1 names in the incident data, or None when the data cannot be read."""
    try:

        data = config.path(config.report.data)
        result = load_records(data, follow_links=config.report.follow_links)
    except Exception as exc:  # the data's own problems are validate's business
        logger.debug("admin1 names not checked: %s", exc)
        return None
    if not result.records:
        return None
    return {r.admin1 for r in result.records if r.admin1}


def subscriber_problems(
    config: Config, *, admin1_names: Collection[str] | None = None, check_admin1: bool = True
) -> list[Problem]:
    """Every problem in the subscriber list, each with its file and line.

    Invalid addresses, unknown fields, countries, severities and formats are reported;
    admin1 names are checked against ``admin1_names``, by default the names in the data.
    """
    if admin1_names is None and check_admin1 and _has_admin1_filters(config):
        admin1_names = _admin1_in_data(config)
    return _parse_all(config, admin1_names)[1]


def _has_admin1_filters(config: Config) -> bool:
    if any(s.get("admin1") for s in config.subscribers if isinstance(s, dict)):
        return True
    return config.subscribers_file is not None


def read_subscribers(config: Config) -> tuple[list[Subscriber], list[Problem]]:
    """The valid subscribers (active or not, in file order) and the problems of the others."""
    return _parse_all(config, None)


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
) -> list[Edition]:
    """Active subscribers grouped by filter set, in order of first appearance.

    Filters with the same key (admin1 names differing only in case) are one edition: the key
    names its files, so two editions must never share it. ``only`` limits the result to
    these addresses (case-insensitive).
    """
    wanted = {a.lower() for a in only} if only is not None else None
    groups: dict[str, tuple[ReportFilter, list[Subscriber]]] = {}
    for subscriber in subscribers:
        if not subscriber.active or (wanted is not None and subscriber.key not in wanted):
            continue
        groups.setdefault(subscriber.filter.key, (subscriber.filter, []))[1].append(subscriber)
    return [Edition(f, tuple(subs)) for f, subs in groups.values()]


def describe_filter(
    report_filter: ReportFilter,
    country_names: Mapping[str, str] | None = None,
) -> str:
    """The filter in words for the e-mail: 'Mali, Niger; Ménaka; major and worse' ('' if none)."""

    parts: list[str] = []
    if report_filter.countries:
        names = country_names or {}
        parts.append(
            ", ".join(sorted(names.get(c) or country_name(c) for c in report_filter.countries))
        )
    if report_filter.admin1:
        parts.append(", ".join(sorted(report_filter.admin1)))
    if report_filter.min_severity is not Severity.MINOR:
        parts.append(f"{report_filter.min_severity.value} incidents and worse")
    return "; ".join(parts)


def unknown_addresses(subscribers: Sequence[Subscriber], addresses: Iterable[str]) -> list[str]:
    """The addresses in ``addresses`` that are not active subscribers (for ``--only``)."""
    known = {s.key for s in subscribers if s.active}
    return [a for a in addresses if a.lower() not in known]
