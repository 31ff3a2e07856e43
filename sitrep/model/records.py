"""The incident record: what analysts write, strictly validated.

A :class:`Record` is one event as one analyst coded it; its :class:`Claim` objects are
casualty statements, each attributed to a speaker (``by``) and the outlet that carried
it (``source``). The record format is documented in ``docs/records.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from .fields import (
    MAX_LONG_TEXT,
    CountField,
    Day,
    EventDate,
    Ident,
    Latitude,
    Longitude,
    LongText,
    Text,
    Url,
    choice,
    normalise_country,
)


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


class Says(StrEnum):
    """What an outcome statement says happened (an attack's result, not a toll)."""

    SEIZED = "seized"  # the attackers took the position or town
    REPELLED = "repelled"  # the defenders beat the attack off
    WITHDREW = "withdrew"  # the defenders pulled back
    HELD = "held"  # the defenders kept the position
    RETOOK = "retook"  # the defenders took it back
    UNDER_CONTROL = "under_control"  # the situation is under control
    ONGOING = "ongoing"  # fighting goes on
    CLAIMED_ATTACK = "claimed_attack"  # the group claimed responsibility

    @property
    def contradicts(self) -> frozenset[Says]:
        """The statements that cannot be true together with this one."""
        return _CONTRADICTIONS.get(self, frozenset())


_CONTRADICTIONS: dict[Says, frozenset[Says]] = {
    Says.SEIZED: frozenset({Says.REPELLED, Says.HELD}),
    Says.REPELLED: frozenset({Says.SEIZED, Says.WITHDREW}),
    Says.WITHDREW: frozenset({Says.REPELLED, Says.HELD}),
    Says.HELD: frozenset({Says.SEIZED, Says.WITHDREW}),
    Says.UNDER_CONTROL: frozenset({Says.ONGOING}),
    Says.ONGOING: frozenset({Says.UNDER_CONTROL}),
}


class Outcome(StrEnum):
    """What happened to the people counted."""

    KILLED = "killed"
    WOUNDED = "wounded"
    MISSING = "missing"
    ABDUCTED = "abducted"
    ARRESTED = "arrested"


class _Strict(BaseModel):
    # defer_build: a model's validator is built when first used, not on import; a run's
    # chart worker, forked once the models are imported, only unpickles them
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Strict):
    """An outlet or document that carried statements: a wire story, a communique."""

    id: Ident
    name: Text
    url: Url | None = None
    published: Day | None = Field(
        default=None,
        description="When it was published: when its statements were first seen, not when "
        "they were made (that is a statement's `reported`).",
    )
    via: Ident | None = Field(
        default=None,
        description="The id of another source of this record that this one relays "
        "(ClashReport citing Reuters: `via: reuters`).",
    )


_MONTH = re.compile(r"^\d{4}-\d{2}$")


class _Attributed(_Strict):
    """A statement attributed to a speaker, carried by a source, made at a time."""

    source: Ident = Field(description="The id of one of this record's sources.")
    by: Text = Field(description="Who said it: 'FAMa', 'JNIM', 'two security sources'.")
    stance: Annotated[Stance, choice(Stance)]
    reported: EventDate | None = Field(
        default=None,
        description="When the statement was made: a date, a datetime with offset, or a "
        "month (2025-05); null: unknown (the source's `published` says only when it was "
        "first seen).",
    )
    reported_precision: Annotated[DatePrecision, choice(DatePrecision)] = DatePrecision.DAY
    quote: Annotated[str, StringConstraints(max_length=MAX_LONG_TEXT)] | None = None
    party: bool | None = Field(
        default=None,
        description="Whether the speaker is a party to the fighting speaking of its enemy "
        "(a party claim); null: decided from stance and group (docs/methodology.md).",
    )

    @model_validator(mode="before")
    @classmethod
    def _month(cls, data: Any) -> Any:
        """'reported: 2025-05' is the month of May 2025."""
        month = isinstance(data, dict) and isinstance(data.get("reported"), str)
        if month and _MONTH.match(data["reported"]):
            data = {**data, "reported": data["reported"] + "-15"}
            data.setdefault("reported_precision", "month")
        return data

    def said(self) -> tuple[dt.datetime, dt.datetime] | None:
        """When the statement was made, as the earliest and latest moment it may have been
        made (UTC for datetimes, whole days otherwise); None when unknown."""
        return statement_window(self.reported, self.reported_precision)


def statement_window(
    reported: dt.date | None, precision: DatePrecision
) -> tuple[dt.datetime, dt.datetime] | None:
    """The earliest and latest moment of a statement time (naive, in UTC or the day)."""
    if reported is None:
        return None
    if isinstance(reported, dt.datetime):
        moment = reported.astimezone(dt.UTC).replace(tzinfo=None)
        return moment, moment
    if precision is DatePrecision.MONTH:
        first = reported.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    else:
        slack = dt.timedelta(days=precision.uncertainty_days)
        first, last = reported - slack, reported + slack
    return dt.datetime.combine(first, dt.time.min), dt.datetime.combine(last, dt.time.max)


class Claim(_Attributed):
    """One statement, by one speaker, of one casualty figure (or of no figure)."""

    group: Annotated[Group, choice(Group)]
    outcome: Annotated[Outcome, choice(Outcome)]
    count: CountField = Field(description="The figure; null when the speaker gave none.")
    covers: list[Ident] = Field(default_factory=list)
    subset: bool = Field(
        default=False,
        description="The figure counts only some of the group's casualties (funerals of 50 "
        "students): a lower bound for the total, never a contradiction of it.",
    )


class OutcomeStatement(_Attributed):
    """One statement of what happened, attributed: 'JNIM says it seized the base'."""

    says: Annotated[Says, choice(Says)]


class EventFields(_Strict):
    """What an event is: when, where, what kind, by whom. The one declaration of these
    fields: a :class:`Record` has them as coded, an incident as merged."""

    date: EventDate
    end_date: Day | None = None
    date_precision: Annotated[DatePrecision, choice(DatePrecision)] = DatePrecision.DAY
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
    event_type: Annotated[EventType, choice(EventType)]
    sub_event_type: Annotated[SubEventType, choice(SubEventType)] | None = None
    perpetrator: Text | None = None
    target: Text | None = None
    title: Text | None = None
    summary: LongText | None = None
    tags: list[Text] = Field(default_factory=list)


class _RecordId(_Strict):
    id: Ident


class Record(EventFields, _RecordId):
    """One incident as one analyst coded it."""

    sources: list[Source] = Field(min_length=1)
    claims: list[Claim] = Field(default_factory=list)
    outcomes: list[OutcomeStatement] = Field(default_factory=list)
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

    def reported(self, claim: Claim | OutcomeStatement) -> dt.date | None:
        """The day a statement is dated by: when it was made, else when its source was
        published (first seen)."""
        if claim.reported is not None:
            return claim.reported.date() if isinstance(claim.reported, dt.datetime) else (
                claim.reported
            )
        return self.source(claim.source).published

    def origin(self, source: Source) -> Source:
        """The source a statement comes from: the one ``source`` relays, else itself."""
        if source.via is None:
            return source
        return next((s for s in self.sources if s.id == source.via), source)


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
    ids = {s.id for s in record.sources}
    for i, source in enumerate(record.sources):
        if source.via is not None and (source.via == source.id or source.via not in ids):
            others = ", ".join(sorted(ids - {source.id}))
            problems.append((f"sources[{i}].via", f"{source.via!r} is not another source of "
                             f"this record (expected one of: {others})"))  # fmt: skip
    for i, outcome in enumerate(record.outcomes):
        if outcome.source not in ids:
            known = ", ".join(sorted(ids))
            problems.append((f"outcomes[{i}].source", f"{outcome.source!r} is not one of this "
                             f"record's sources (expected one of: {known})"))  # fmt: skip
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


def record_warnings(record: Record) -> list[tuple[str, str]]:
    """Things that are valid but probably not meant, as (field path, message) pairs: a claim
    whose statement date is unknown on a record older than its source (the figure is then
    a restatement, never news of the day the source was published)."""
    warnings: list[tuple[str, str]] = []
    for i, claim in enumerate(record.claims):
        published = record.source(claim.source).published
        if claim.reported is None and claim.count is not None and published and (
            published > record.last_day
        ):
            warnings.append((
                f"claims[{i}].reported",
                f"unknown statement date: {claim.source!r} was published on {published}, "
                f"after the event ({record.last_day}); give `reported` (a date, a month such "
                "as 2025-05, or a date with reported_precision) if the source dates the "
                f"statement, otherwise the figure is a restatement first seen on {published}",
            ))  # fmt: skip
    return warnings


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
