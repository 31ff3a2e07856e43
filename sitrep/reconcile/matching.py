"""Whether two records describe the same event: the pairwise rules of merging (place,
dates, actors, event types, corroboration) and what each record brings to them."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from ..model.fields import normalise_country
from ..model.records import Record
from ..model.report import MergeLink
from .names import distance_km, normalise_name
from .sources import source_key


@dataclass(frozen=True)
class MergeRules:
    """The thresholds of the merge heuristics (from ``[report]`` in sitrep.toml)."""

    name_score: float = 85.0
    radius_km: float = 10.0


# Records with the same place name this far apart are different places of that name.
NAME_CONFLICT_KM = 50.0
# No two points are nearer than their latitudes' distance along a meridian (a little
# under its 111.19 km a degree, for rounding): a bound that needs no trigonometry.
KM_PER_DEGREE = 6371.0 * math.pi / 180 * 0.9999


@dataclass(frozen=True)
class MergeKeys:
    """What merging compares, computed once per record rather than once per pair."""

    record: Record
    first: dt.date
    last: dt.date
    names: frozenset[str]
    location: str
    dataset: str | None = None
    """:func:`dataset` of the record."""

    @classmethod
    def of(cls, record: Record) -> MergeKeys:
        """The keys of one record: its date window, its normalised place names, its
        dataset."""
        # the precision's own uncertainty plus one day (reports of one attack often differ
        # by a day)
        slack = dt.timedelta(days=record.date_precision.uncertainty_days + 1)
        names = frozenset(
            n for n in (normalise_name(x) for x in [record.location, *record.aliases]) if n
        )
        return cls(record, record.day - slack, record.last_day + slack, names,
                   normalise_name(record.location), dataset(record))  # fmt: skip


# The state's forces under the names datasets give them: "Government of Mali" (UCDP),
# "Military Forces of Mali (2021-)" (ACLED), "Niger armed forces", "FAMa".
_STATE_OF = re.compile(
    r"^(?:government|military forces|armed forces|police forces|security forces|army)"
    r"\s+of\s+(?P<of>[a-z .'-]+?)(?:\s*\(.*\))?$"
    r"|^(?P<before>[a-z .'-]+?)\s+(?:armed|military|security|defence|defense) forces$"
)
_STATE_ABBREVIATIONS = {"fama": "MLI", "fds": None, "fan": "NER"}


@lru_cache(maxsize=65536)
def _state(name: str) -> str | None:
    """'state:MLI' when an actor's name is a state's forces or government, else None."""
    text = " ".join(name.casefold().split())
    if text in _STATE_ABBREVIATIONS:
        code = _STATE_ABBREVIATIONS[text]
        return f"state:{code}" if code else None
    m = _STATE_OF.match(text)
    if not m:
        return None
    try:
        return f"state:{normalise_country((m.group('of') or m.group('before')).strip())}"
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _actor_matches(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    if (sa := _state(a)) is not None and sa == _state(b):
        return True
    na, nb = normalise_name(a), normalise_name(b)
    return na in nb or nb in na or fuzz.token_set_ratio(a.casefold(), b.casefold()) >= 80


@lru_cache(maxsize=65536)
def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How alike two records' place names are: the best ``fuzz.ratio`` of a name of each
    (0 when either has none); cached, as records of one place repeat its names."""
    return max((fuzz.ratio(x, y) for x in a for y in b), default=0.0)


def _actors_compatible(a: Record, b: Record) -> bool:
    """The two actors of each record match, in either order: one dataset codes the attacker
    first, another the government (UCDP's side A)."""
    straight = _actor_matches(a.perpetrator, b.perpetrator) and _actor_matches(a.target, b.target)
    crossed = (
        a.perpetrator is not None and a.target is not None
        and b.perpetrator is not None and b.target is not None
        and _actor_matches(a.perpetrator, b.target) and _actor_matches(a.target, b.perpetrator)
    )  # fmt: skip
    return straight or crossed


def dataset(record: Record) -> str | None:
    """The dataset a record was imported from ('acled' for ``acled-MLI9001`` citing the
    ACLED source), or None for a record coded by hand."""
    prefix, sep, _ = record.id.partition("-")
    if not sep or not prefix:
        return None
    prefix = prefix.casefold()
    cited = any(normalise_name(s.name).startswith(prefix) for s in record.sources)
    return prefix if cited else None


Partial = Literal["event_type", "sub_event_type", "uncorroborated"]
LinkRule = Literal["same_as", "same_name", "alias", "similar_name", "distance"]


def match(
    ka: MergeKeys, kb: MergeKeys, rules: MergeRules
) -> tuple[MergeLink | None, Partial | None]:
    """Why two records describe the same event; or, when the place and dates match but the
    rest does not, why they are only a possible duplicate; (None, None) otherwise.

    A match on place and date needs the same event type (and sub-event type when both are
    given) and, across different days, a corroborating signal: the same actors, a shared
    source, or coordinates within the radius."""
    a, b = ka.record, kb.record
    if a.country != b.country or ka.first > kb.last or kb.first > ka.last:
        return None, None
    if ka.dataset is not None and ka.dataset == kb.dataset:
        return None, None  # the dataset already decided they are two events
    if (
        a.latitude is not None and b.latitude is not None
        and abs(a.latitude - b.latitude) * KM_PER_DEGREE > max(NAME_CONFLICT_KM, rules.radius_km)
    ):  # fmt: skip
        return None, None  # apart, and not near: what the distance below would decide
    km = None
    if a.latitude is not None and b.latitude is not None:
        assert a.longitude is not None and b.longitude is not None
        km = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
    apart = km is not None and km > max(NAME_CONFLICT_KM, rules.radius_km)
    rule: LinkRule | None = None  # the link itself is made once the pair matches
    score = None
    if ka.names & kb.names and not apart:
        rule = "same_name" if ka.location == kb.location else "alias"
    elif not apart and ka.names and kb.names:
        alike = similarity(ka.names, kb.names)
        if alike >= rules.name_score:
            rule, score = "similar_name", alike
    near = km is not None and km <= rules.radius_km
    if rule is None and near and a.event_type is b.event_type:
        # Distance alone: nearby places that differ in name, only for the same kind of
        # event (two towns 11 km apart can each be attacked on the same day).
        rule = "distance"
        near = False  # the distance is the match: it cannot also corroborate it
    # the place decides most pairs, and costs less to compare than the actors
    if rule is None or not _actors_compatible(a, b):
        return None, None
    if a.event_type is not b.event_type:
        return None, "event_type"
    if a.sub_event_type and b.sub_event_type and a.sub_event_type is not b.sub_event_type:
        return None, "sub_event_type"
    same_days = (a.day, a.last_day) == (b.day, b.last_day)
    if not same_days and not (near or _same_actors(a, b) or _shared_source(a, b)):
        return None, "uncorroborated"
    extra = {"km": km, "radius_km": rules.radius_km} if rule == "distance" else {"score": score}
    return link(a, b, rule, **extra), None


def _same_actors(a: Record, b: Record) -> bool:
    """Both records name an actor, and the actors they both name match."""
    pairs = [(x, y) for x, y in ((a.perpetrator, b.perpetrator), (a.target, b.target)) if x and y]
    crossed = [(x, y) for x, y in ((a.perpetrator, b.target), (a.target, b.perpetrator)) if x and y]
    return (bool(pairs) and all(_actor_matches(x, y) for x, y in pairs)) or (
        len(crossed) == 2 and all(_actor_matches(x, y) for x, y in crossed)
    )


def _shared_source(a: Record, b: Record) -> bool:
    """The records cite one outlet in common (by name, address and date)."""
    return bool({source_key(s) for s in a.sources} & {source_key(s) for s in b.sources})


def link(
    a: Record,
    b: Record,
    rule: LinkRule,
    *,
    score: float | None = None,
    km: float | None = None,
    radius_km: float | None = None,
) -> MergeLink:
    return MergeLink(
        a=a.id, b=b.id, rule=rule, place_a=a.location, place_b=b.location, day_a=a.day,
        day_b=b.day, score=score, km=km, radius_km=radius_km,
    )  # fmt: skip


# A near match of the first round: where possible_duplicates meets the pair (country,
# first day and id of each record), both records' keys, what kept them apart
# (duplicates.py).
Near = tuple[tuple[str, dt.date, str, dt.date, str], MergeKeys, MergeKeys, Partial]
