"""The incident record: what analysts write, strictly validated.

A :class:`Record` is one event as one analyst coded it; its :class:`Claim` objects are
casualty statements, each attributed to a speaker (``by``) and the outlet that carried
it (``source``). The record format is documented in ``docs/records.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

from .counts import COUNT_JSON_SCHEMA, GRAMMAR_HELP, Count, parse_count
from .values import shown


class EventType(StrEnum):
    """ACLED's six event types."""

    BATTLES = "battles"
    EXPLOSIONS_REMOTE_VIOLENCE = "explosions_remote_violence"
    VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians"
    PROTESTS = "protests"
    RIOTS = "riots"
    STRATEGIC_DEVELOPMENTS = "strategic_developments"


class SubEventType(StrEnum):
    """ACLED's 25 sub-event types, in snake_case."""

    ARMED_CLASH = "armed_clash"
    GOVERNMENT_REGAINS_TERRITORY = "government_regains_territory"
    NON_STATE_ACTOR_OVERTAKES_TERRITORY = "non_state_actor_overtakes_territory"
    CHEMICAL_WEAPON = "chemical_weapon"
    AIR_DRONE_STRIKE = "air_drone_strike"
    SUICIDE_BOMB = "suicide_bomb"
    SHELLING_ARTILLERY_MISSILE_ATTACK = "shelling_artillery_missile_attack"
    REMOTE_EXPLOSIVE_LANDMINE_IED = "remote_explosive_landmine_ied"
    GRENADE = "grenade"
    SEXUAL_VIOLENCE = "sexual_violence"
    ATTACK = "attack"
    ABDUCTION_FORCED_DISAPPEARANCE = "abduction_forced_disappearance"
    PEACEFUL_PROTEST = "peaceful_protest"
    PROTEST_WITH_INTERVENTION = "protest_with_intervention"
    EXCESSIVE_FORCE_AGAINST_PROTESTERS = "excessive_force_against_protesters"
    VIOLENT_DEMONSTRATION = "violent_demonstration"
    MOB_VIOLENCE = "mob_violence"
    AGREEMENT = "agreement"
    ARRESTS = "arrests"
    CHANGE_TO_GROUP_ACTIVITY = "change_to_group_activity"
    DISRUPTED_WEAPONS_USE = "disrupted_weapons_use"
    HEADQUARTERS_OR_BASE_ESTABLISHED = "headquarters_or_base_established"
    LOOTING_PROPERTY_DESTRUCTION = "looting_property_destruction"
    NON_VIOLENT_TRANSFER_OF_TERRITORY = "non_violent_transfer_of_territory"
    OTHER = "other"


class DatePrecision(StrEnum):
    """How precisely the date is known (ACLED's time_precision 1, 2, 3)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def uncertainty_days(self) -> int:
        """Days either side of the stated date that the event may really fall on (a
        ``month``-precision event is placed in its calendar month, see summarise)."""
        return {"day": 0, "week": 3, "month": 15}[self.value]


class Stance(StrEnum):
    """Whose voice a statement is: the state, the claiming group, or anyone else."""

    OFFICIAL = "official"
    CLAIMED = "claimed"
    INDEPENDENT = "independent"


class Group(StrEnum):
    """Whose casualties a figure counts."""

    STATE_FORCES = "state_forces"
    ARMED_GROUP = "armed_group"
    CIVILIANS = "civilians"
    FOREIGN_FORCES = "foreign_forces"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    """What happened to the people counted."""

    KILLED = "killed"
    WOUNDED = "wounded"
    MISSING = "missing"
    ABDUCTED = "abducted"
    ARRESTED = "arrested"


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
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
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


def _choice(kind: type[StrEnum]) -> BeforeValidator:
    """Only text reaches an enumeration: Python's own error would print a list whole."""
    allowed = ", ".join(repr(member.value) for member in kind)

    def text_only(value: object) -> object:
        if isinstance(value, str):
            return value
        raise ValueError(f"{shown(value)} is not allowed (expected one of: {allowed})")

    return BeforeValidator(text_only)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """An outlet or document that carried statements: a wire story, a communique."""

    id: Ident
    name: Text
    url: Url | None = None
    published: Day | None = None


class Claim(_Strict):
    """One statement, by one speaker, of one casualty figure (or of no figure)."""

    source: Ident = Field(description="The id of one of this record's sources.")
    by: Text = Field(description="Who said it: 'FAMa', 'JNIM', 'two security sources'.")
    stance: Annotated[Stance, _choice(Stance)]
    group: Annotated[Group, _choice(Group)]
    outcome: Annotated[Outcome, _choice(Outcome)]
    count: CountField = Field(description="The figure; null when the speaker gave none.")
    reported: Day | None = None
    quote: str | None = None
    covers: list[Ident] = Field(default_factory=list)


class EventFields(_Strict):
    """What an event is: when, where, what kind, by whom. The one declaration of these
    fields: a :class:`Record` has them as coded, an incident as merged."""

    date: EventDate
    end_date: Day | None = None
    date_precision: Annotated[DatePrecision, _choice(DatePrecision)] = DatePrecision.DAY
    country: Annotated[
        str,
        PlainValidator(normalise_country),
        WithJsonSchema({"type": "string", "description": "ISO 3166-1 code or English name"}),
    ]
    admin1: Text | None = None
    admin2: Text | None = None
    location: Text
    aliases: list[Text] = Field(default_factory=list)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    event_type: Annotated[EventType, _choice(EventType)]
    sub_event_type: Annotated[SubEventType, _choice(SubEventType)] | None = None
    perpetrator: Text | None = None
    target: Text | None = None
    title: Text | None = None
    summary: Text | None = None
    tags: list[Text] = Field(default_factory=list)


class _RecordId(_Strict):
    id: Ident


class Record(EventFields, _RecordId):
    """One incident as one analyst coded it."""

    sources: list[Source] = Field(min_length=1)
    claims: list[Claim] = Field(default_factory=list)
    same_as: Ident | None = None
    not_same_as: list[Ident] = Field(default_factory=list)

    def event(self) -> dict[str, Any]:
        """The event fields as they are (for building an incident from its record)."""
        return {name: getattr(self, name) for name in EventFields.model_fields}

    @property
    def day(self) -> dt.date:
        """The calendar date of the event (a datetime's own local date)."""
        d = self.date
        return d.date() if isinstance(d, dt.datetime) else d

    @property
    def last_day(self) -> dt.date:
        """The last day of the event (its end date, or its date)."""
        return self.end_date or self.day

    def source(self, source_id: str) -> Source:
        """The source with this id (the record has been checked to contain it)."""
        return next(s for s in self.sources if s.id == source_id)

    def reported(self, claim: Claim) -> dt.date | None:
        """When a claim was made: its own date, else its source's publication date."""
        return claim.reported or self.source(claim.source).published


def record_problems(record: Record) -> list[tuple[str, str]]:
    """Checks across fields of one record, as (field path, message) pairs."""
    problems: list[tuple[str, str]] = []
    if (record.latitude is None) != (record.longitude is None):
        missing = "longitude" if record.longitude is None else "latitude"
        problems.append((missing, "missing (give both latitude and longitude, or neither)"))
    if record.end_date and record.end_date < record.day:
        problems.append(
            ("end_date", f"{record.end_date} is before date {record.day} (expected a later date)")
        )
    seen: set[str] = set()
    for i, source in enumerate(record.sources):
        if source.id in seen:
            problems.append(
                (f"sources[{i}].id", f"{source.id!r} is used twice (expected unique source ids)")
            )
        seen.add(source.id)
    # A claim's source missing from the sources is checked by the loader on the raw data.
    for i, claim in enumerate(record.claims):
        for j, other in enumerate(claim.covers):
            if other == record.id:
                problems.append(
                    (f"claims[{i}].covers[{j}]", "names the record itself (expected other records)")
                )
    if record.same_as == record.id:
        problems.append(("same_as", "names the record itself (expected another record's id)"))
    if record.same_as and record.same_as in record.not_same_as:
        problems.append(("not_same_as", f"contradicts same_as: {record.same_as!r}"))
    return problems


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of a data file: one record or a list of records."""
    schema = Record.model_json_schema(mode="validation")
    defs = schema.pop("$defs", {})
    defs["Record"] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/sitrep/sitrep/docs/record.schema.json",
        "title": "sitrep incident records",
        "description": "One incident record or a list of them (docs/records.md).",
        "anyOf": [
            {"$ref": "#/$defs/Record"},
            {"type": "array", "items": {"$ref": "#/$defs/Record"}},
        ],
        "$defs": defs,
    }
