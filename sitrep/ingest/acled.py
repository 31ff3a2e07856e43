"""ACLED exports (CSV in its variants, the API's JSON) into records (docs/importing.md).

One record per ``event_id_cnty``, id ``acled-<event_id_cnty>``; ``fatalities`` becomes a
claim by ACLED. The actor-based ("monadic") export, one row per actor, is folded back
into one event from its adjacent rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..model.records import EventType, SubEventType
from .raw import RawRecord
from .tabular import (
    Row,
    RowError,
    country_code,
    csv_rows,
    json_rows,
    parse_day,
    parse_float,
    parse_int,
    record_id,
    slug,
    source_id,
)

logger = logging.getLogger(__name__)

DATASET = "acled"
ACLED_SOURCE = "acled"

# Event types of the exports before 2019 -> (today's event type, sub-event type).
OLD_EVENT_TYPES: dict[str, tuple[EventType, SubEventType | None]] = {
    "battle_no_change_of_territory": (EventType.BATTLES, SubEventType.ARMED_CLASH),
    "battle_government_regains_territory": (
        EventType.BATTLES, SubEventType.GOVERNMENT_REGAINS_TERRITORY),
    "battle_non_state_actor_overtakes_territory": (
        EventType.BATTLES, SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY),
    "remote_violence": (EventType.EXPLOSIONS_REMOTE_VIOLENCE, None),
    "riots_protests": (EventType.PROTESTS, None),
    "violence_against_civilians": (EventType.VIOLENCE_AGAINST_CIVILIANS, None),
    "strategic_development": (EventType.STRATEGIC_DEVELOPMENTS, None),
    "headquarters_or_base_established": (
        EventType.STRATEGIC_DEVELOPMENTS, SubEventType.HEADQUARTERS_OR_BASE_ESTABLISHED),
    "non_violent_transfer_of_territory": (
        EventType.STRATEGIC_DEVELOPMENTS, SubEventType.NON_VIOLENT_TRANSFER_OF_TERRITORY),
}  # fmt: skip

PRECISION = {"1": "day", "2": "week", "3": "month"}


def event_types(event_type: str, sub_event_type: str) -> tuple[str, str | None]:
    """Today's event and sub-event type of ACLED's wording, old or new."""
    key = slug(event_type)
    sub = slug(sub_event_type) or None
    if sub is not None and sub not in SubEventType.__members__.values():
        raise RowError("sub_event_type", f"{sub_event_type!r} is not an ACLED sub-event type")
    if key in EventType.__members__.values():
        return key, sub
    if key in OLD_EVENT_TYPES:
        new, old_sub = OLD_EVENT_TYPES[key]
        return new.value, sub or (old_sub.value if old_sub else None)
    known = ", ".join(e.value for e in EventType)
    raise RowError("event_type", f"{event_type!r} is not an ACLED event type (expected one of "
                                 f"{known}, or a pre-2019 type such as 'Remote violence')")


def split_sources(text: str, taken: set[str]) -> list[dict[str, Any]]:
    """ACLED's ``source`` ('Reuters; AFP') as sources with ids unique in the record."""
    names = dict.fromkeys(n.strip() for n in text.split(";") if n.strip())
    return [{"id": source_id(name, taken), "name": name} for name in names]


def _field(rows: list[Row], name: str, parse: Any, *columns: str) -> Any:
    text = rows[0].get(*columns)
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise RowError(name, str(exc)) from None


def acled_record(rows: list[Row], dataset: str = DATASET) -> RawRecord | Problem:
    """The record of one ACLED event (several rows in the actor-based export)."""
    row = rows[0]
    eid = row.get("event_id_cnty")
    if not eid:
        return row.problem(None, "event_id_cnty", "missing (every ACLED row has an event id)")
    rid = record_id(dataset, eid)
    try:
        data = _event(rows, rid)
    except RowError as exc:
        return row.problem(rid, exc.field, str(exc))
    return RawRecord(data, row.file, row.line)


def _event(rows: list[Row], rid: str) -> dict[str, Any]:
    row = rows[0]
    day = _field(rows, "event_date", parse_day, "event_date")
    if day is None:
        raise RowError("event_date", "missing (expected the event's date)")
    kind, sub = event_types(row.get("event_type"), row.get("sub_event_type"))
    if slug(row.get("event_type")) == "riots_protests" and row.get("inter1") == "5":
        kind = "riots"  # before 2019 one type; ACLED's actor code 5 is rioters, 6 protesters
    precision = row.get("time_precision")
    if precision and precision not in PRECISION:
        raise RowError("time_precision", f"{precision!r} is not 1, 2 or 3")
    fatalities = _field(rows, "fatalities", parse_int, "fatalities")
    published = _field(rows, "timestamp", _timestamp_day, "timestamp")
    actors = _actors(rows)
    taken = {ACLED_SOURCE}
    outlets = split_sources(row.get("source"), taken)
    data: dict[str, Any] = {
        "id": rid,
        "date": day.isoformat(),
        "date_precision": PRECISION.get(precision, "day"),
        "country": country_code(row.get("iso3"), row.get("country")),
        "admin1": row.get("admin1") or None,
        "admin2": row.get("admin2") or None,
        "location": row.get("location") or row.get("admin3", "admin2", "admin1"),
        "latitude": _field(rows, "latitude", parse_float, "latitude"),
        "longitude": _field(rows, "longitude", parse_float, "longitude"),
        "event_type": kind,
        "sub_event_type": sub,
        "perpetrator": actors[0] if actors else None,
        "target": actors[1] if len(actors) > 1 else None,
        "summary": row.get("notes") or None,
        "tags": [t.strip() for t in row.get("tags").split(";") if t.strip()],
        "sources": [
            {"id": ACLED_SOURCE, "name": "ACLED"}
            | ({"published": published.isoformat()} if published else {}),
            *outlets,
        ],
        "claims": [] if fatalities is None else [{
            "source": ACLED_SOURCE, "by": "ACLED", "stance": "independent",
            "group": "unknown", "outcome": "killed", "count": fatalities,
            "quote": "as coded by ACLED",
            # ACLED states its figure when it publishes the row (timestamp)
            **({"reported": published.isoformat()} if published else {}),
        }],
    }  # fmt: skip
    return {k: v for k, v in data.items() if v is not None and v != []}


def _actors(rows: list[Row]) -> list[str]:
    """actor1 and actor2 (dyadic), or the actor of each row (actor-based), in order."""
    names = [rows[0].get("actor1", "actor"), rows[0].get("actor2")]
    names += [r.get("actor1", "actor") for r in rows[1:]]
    return list(dict.fromkeys(n for n in names if n))


def _timestamp_day(text: str) -> dt.date:
    if text.isdigit():
        return dt.datetime.fromtimestamp(int(text), dt.UTC).date()
    return parse_day(text)


def fold_events(rows: Iterable[Row | Problem]) -> Iterator[list[Row] | Problem]:
    """Adjacent rows of one ``event_id_cnty`` as one list (the actor-based export writes
    one row per actor); each row alone in the dyadic export."""
    group: list[Row] = []
    for row in rows:
        if isinstance(row, Problem):
            yield row
            continue
        if group and (row.get("event_id_cnty") != group[0].get("event_id_cnty")
                      or not row.get("event_id_cnty")):  # fmt: skip
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def read_acled(location: str, dataset: str = DATASET) -> Iterator[RawRecord | Problem]:
    """Records from an ACLED CSV export or API JSON (a .json file or an http(s) URL)."""
    rows: Iterable[Row | Problem]
    if location.startswith(("http://", "https://")) or location.lower().endswith(".json"):
        rows = json_rows(location, "data")
    else:
        rows = csv_rows(Path(location), location)
    for item in fold_events(rows):
        yield item if isinstance(item, Problem) else acled_record(item, dataset)
