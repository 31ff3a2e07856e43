"""Field types of incident records: countries, ids, dates, counts, addresses, coordinates,
strictly validated with messages that say what was expected."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

from ..config import REPORT_DATES
from .counts import COUNT_JSON_SCHEMA, GRAMMAR_HELP, Count, parse_count
from .values import shown

# --- countries -----------------------------------------------------------------------


@cache
def _country_index() -> tuple[dict[str, str], dict[str, str]]:
    """Map every accepted spelling (lower case) to alpha-3, and alpha-3 to the short name."""
    lookup: dict[str, str] = {}
    names: dict[str, str] = {}
    text = resources.files("sitrep").joinpath("countries.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        a2, a3, name, common, official = (line.split("\t") + [""] * 5)[:5]
        names[a3] = common or name
        for key in (a2, a3, name, common, official):
            if key:
                lookup[key.lower()] = a3
    return lookup, names


def normalise_country(value: object) -> str:
    """Return the ISO 3166-1 alpha-3 code for a code or English short name."""
    if not isinstance(value, str):
        raise ValueError(
            f"{shown(value)} is not a country (expected a code such as ML, MLI or Mali)"
        )
    lookup, _ = _country_index()
    code = lookup.get(value.strip().lower())
    if code:
        return code
    hint = ""
    from rapidfuzz import fuzz, process

    names = [k for k in lookup if len(k) > 3]
    best = (
        process.extractOne(value.strip().lower(), names, scorer=fuzz.ratio, score_cutoff=75)
        if len(value) <= 100  # no country name is longer; a long text costs time, not hints
        else None
    )
    if best:
        hint = f"; did you mean {country_name(lookup[best[0]])!r}?"
    raise ValueError(
        f"unknown country {shown(value)} (expected an ISO 3166-1 alpha-2 or alpha-3 code or "
        f"English short name, such as ML, MLI or Mali{hint})"
    )


def country_name(alpha3: str) -> str:
    """The English short name of an alpha-3 code ('MLI' -> 'Mali')."""
    return _country_index()[1].get(alpha3, alpha3)


# --- field types ----------------------------------------------------------------------

ID_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$"
Ident = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(description="Letters, digits, '.', '_' and '-', at most 128 characters."),
]
MAX_TEXT = 500
"""Characters in a name, place, title or tag: a line of the report, not a document."""
MAX_LONG_TEXT = 20_000
"""Characters in a summary or a quote: a few pages at most (a 10 MB summary is an error,
not a ten-minute PDF)."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LONG_TEXT)
]


FIRST_DAY, LAST_DAY = REPORT_DATES  # one range for record dates and report days
"""Every date of a record falls in this range (a typo such as 0001-01-01 or 9999-12-31
would otherwise overflow the date arithmetic of a report)."""
MAX_COUNT = 10_000_000
"""The largest figure a count may state (a bigger one is a typo, not a casualty figure)."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?")
_DATE_HELP = (
    "expected a date such as 2025-06-01 or a datetime with offset such as "
    "2025-06-01T05:30:00+00:00"
)


def _in_range(day: dt.date) -> dt.date:
    first = day.date() if isinstance(day, dt.datetime) else day
    if not FIRST_DAY <= first <= LAST_DAY:
        raise ValueError(
            f"{shown(day)} is out of range (expected a date from {FIRST_DAY} to {LAST_DAY})"
        )
    return day


def _from_text(value: str, pattern: re.Pattern[str], help_text: str) -> dt.date:
    """A date (or datetime) written strictly as ISO 8601 text, such as 2025-06-01."""
    if not pattern.fullmatch(value):
        raise ValueError(f"{shown(value)} is not an ISO date ({help_text})")
    try:
        if "T" in value:
            return dt.datetime.fromisoformat(value)
        return dt.date.fromisoformat(value)
    except ValueError as exc:  # 2025-06-31: the right shape, but no such day
        raise ValueError(f"{shown(value)} is not an ISO date: {exc} ({help_text})") from None


def _parse_event_date(value: object) -> dt.date:
    if isinstance(value, str):
        value = _from_text(value, _DATETIME if "T" in value else _DATE, _DATE_HELP)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"datetime {value.isoformat()} has no UTC offset ({_DATE_HELP})")
        return _in_range(value)
    if isinstance(value, dt.date):
        return _in_range(value)
    raise ValueError(f"{shown(value)} is not an ISO date ({_DATE_HELP})")


def _parse_day(value: object) -> dt.date:
    if isinstance(value, str):
        value = _from_text(value, _DATE, "expected a date such as 2025-06-01")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _in_range(value)
    raise ValueError(f"{shown(value)} is not a date (expected a date such as 2025-06-01)")


EventDate = Annotated[
    dt.date,
    PlainValidator(_parse_event_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ]
        }
    ),
]
Day = Annotated[
    dt.date,
    PlainValidator(_parse_day),
    PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A calendar date written YYYY-MM-DD, from 1900 to 2100."""

_LONG_NUMBER = re.compile(r"\d{12}")


def _parse_count_or_none(value: object) -> Count | None:
    if value is None:
        return None
    if not isinstance(value, (int, float, str)) or (isinstance(value, str) and len(value) > 100):
        raise ValueError(f"{shown(value)} is not a count ({GRAMMAR_HELP})")  # not quoted whole
    big = (isinstance(value, int) and value > MAX_COUNT) or (
        isinstance(value, str) and _LONG_NUMBER.search(value.replace(",", ""))
    )
    count = None if big else parse_count(value)
    if count is None or max(count.low, count.high or 0) > MAX_COUNT:
        raise ValueError(f"{shown(value)} is too large (expected a count of at most {MAX_COUNT:,})")
    return count


CountField = Annotated[
    Count | None,
    PlainValidator(_parse_count_or_none),
    PlainSerializer(lambda c: None if c is None else c.text, return_type=str | None),
    WithJsonSchema(COUNT_JSON_SCHEMA),
]

_HOST = re.compile(r"[\w.-]+|\[[0-9A-Fa-f:.]+\]")


def _url(value: object) -> str:
    """An http(s) address that parses as one: a host name, no spaces or control characters."""
    if isinstance(value, str) and len(value) <= 2000 and value.isprintable() and " " not in value:
        try:
            parts = urlsplit(value)
            host = parts.netloc.rpartition("@")[2]
            if parts.port is not None:  # a port out of range raises ValueError
                host = host.rpartition(":")[0]
        except ValueError:  # "http://[::1": an unclosed IPv6 address
            pass
        else:
            if parts.scheme in ("http", "https") and _HOST.fullmatch(host):
                return value
    raise ValueError(f"{shown(value)} is not a web address (expected http:// or https://...)")


Url = Annotated[str, PlainValidator(_url), WithJsonSchema({"type": "string", "format": "uri"})]
Latitude = Annotated[float, Field(ge=-90, le=90, strict=True, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, strict=True, allow_inf_nan=False)]
"""Decimal degrees: numbers only (not ``yes``, not ``"16.77"``), finite, in range."""


def choice(kind: type[StrEnum]) -> BeforeValidator:
    """Only text reaches an enumeration: Python's own error would print a list whole."""
    allowed = ", ".join(repr(member.value) for member in kind)

    def text_only(value: object) -> object:
        if isinstance(value, str):
            return value
        raise ValueError(f"{shown(value)} is not allowed (expected one of: {allowed})")

    return BeforeValidator(text_only)
