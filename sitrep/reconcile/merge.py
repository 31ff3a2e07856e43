"""Merging records coded separately for the same event into incidents."""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

from rapidfuzz import fuzz

from ..model.fields import normalise_country
from ..model.records import Claim, EventFields, Record, Source
from ..model.report import MergeLink
from .names import distance_km, normalise_name
from .sources import source_key

# Fields an incident takes from another of its records when its primary record lacks them.
_GAPS = [name for name, f in EventFields.model_fields.items() if f.default is None]


@dataclass(frozen=True)
class MergeRules:
    """The thresholds of the merge heuristics (from ``[report]`` in sitrep.toml)."""

    name_score: float = 85.0
    radius_km: float = 10.0


# Records with the same place name this far apart are different places of that name.
NAME_CONFLICT_KM = 50.0
# No two points are nearer than their latitudes' distance along a meridian (a little
# under its 111.19 km a degree, for rounding): a bound that needs no trigonometry.
_KM_PER_DEGREE = 6371.0 * math.pi / 180 * 0.9999


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
def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
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


def _match(
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
        and abs(a.latitude - b.latitude) * _KM_PER_DEGREE > max(NAME_CONFLICT_KM, rules.radius_km)
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
        similarity = _similarity(ka.names, kb.names)
        if similarity >= rules.name_score:
            rule, score = "similar_name", similarity
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
    return _link(a, b, rule, **extra), None


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


def _link(
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


@dataclass
class MergedIncident:
    """Records that describe one event; the first of ``records`` is the primary one."""

    records: list[Record]
    reasons: list[MergeLink] = field(default_factory=list)
    apart: list[str] | None = None
    """Primary ids of the incidents this one must never merge with (set by
    :func:`merge_records`; ``not_same_as`` references mapped to the groups that hold them)."""

    @property
    def primary(self) -> Record:
        """The record whose id, place and description the incident takes."""
        return self.records[0]

    @property
    def id(self) -> str:
        """The incident's id: its primary record's id."""
        return self.primary.id

    @cached_property
    def keys(self) -> MergeKeys:
        """What merging compares of the incident (its merged record's keys), made once."""
        return MergeKeys.of(self.record)

    @cached_property
    def record(self) -> Record:
        """The incident as one record: the primary's fields, gaps filled from the others,
        every source and claim kept (source ids prefixed where they would collide)."""
        base = self.primary
        own = {r.id for r in self.records}
        not_same_as = sorted(
            {x for r in self.records for x in r.not_same_as if x not in own}
            | set(self.apart or ())
        )
        if len(self.records) == 1:
            if set(base.not_same_as) >= set(not_same_as):
                return base
            # a record it must stay apart from was merged into another incident: name that
            # incident, so that merging the merged records again keeps them apart
            return base.model_copy(update={"not_same_as": not_same_as})
        update: dict[str, object] = {}
        for name in _GAPS:
            if getattr(base, name) is None:
                for other in self.records[1:]:
                    if getattr(other, name) is not None:
                        update[name] = getattr(other, name)
                        if name == "latitude":
                            update["longitude"] = other.longitude
                        break
        if "latitude" not in update and base.latitude is not None:
            update.pop("longitude", None)
        names = [base.location, *base.aliases]
        for other in self.records[1:]:
            for n in [other.location, *other.aliases]:
                if normalise_name(n) not in {normalise_name(x) for x in names}:
                    names.append(n)
        update["aliases"] = names[1:]
        update["tags"] = sorted({t for r in self.records for t in r.tags})
        sources: list[Source] = []
        claims: list[Claim] = []
        taken: set[str] = set()
        for r in self.records:
            rename = {}
            for s in r.sources:
                sid = s.id if s.id not in taken else f"{r.id}.{s.id}"
                rename[s.id] = sid
                taken.add(sid)
                sources.append(s.model_copy(update={"id": sid}))
            claims += [c.model_copy(update={"source": rename[c.source]}) for c in r.claims]
        update["sources"] = sources
        update["claims"] = claims
        update["same_as"] = None
        update["not_same_as"] = not_same_as
        return base.model_copy(update=update)


def _primary_key(record: Record) -> tuple[int, int, str]:
    precision = ["day", "week", "month"].index(record.date_precision.value)
    return (precision, -(len(record.sources) + len(record.claims)), record.id)


def merge_records(
    records: Sequence[Record], rules: MergeRules | None = None
) -> list[MergedIncident]:
    """Group records that describe the same event; deterministic, order-independent and
    idempotent.

    Each pass compares incidents (at first, single records) pairwise in a canonical order
    (by ids), so the result does not depend on the order of the input. A merged incident
    knows every spelling of its place, so it may match a record that none of its members
    matched alone: passes repeat until nothing more merges, which makes merging the merged
    records again a no-op. ``not_same_as`` is honoured between whole groups.
    """
    return _merge(records, rules or MergeRules())


# A near match of the first round: where possible_duplicates meets the pair (country,
# first day and id of each record), both records' keys, what kept them apart
# (duplicates.py).
Near = tuple[tuple[str, dt.date, str, dt.date, str], MergeKeys, MergeKeys, Partial]


def _merge(
    records: Sequence[Record], rules: MergeRules, near: list[Near] | None = None
) -> list[MergedIncident]:
    units = [MergedIncident([r]) for r in records]
    grown: set[str] | None = None
    while True:
        merged, grown = _merge_pass(units, rules, grown, near if grown is None else None)
        if len(merged) == len(units):
            merged.sort(key=lambda g: (g.primary.day, g.id))
            return merged
        units = merged


def _merge_pass(
    units: Sequence[MergedIncident],
    rules: MergeRules,
    grown: set[str] | None = None,
    near: list[Near] | None = None,
) -> tuple[list[MergedIncident], set[str]]:
    """One round of pairwise merging of incidents, by their merged records, and the ids of
    the incidents it grew. With ``grown`` (the last round's), only pairs with one of those
    are compared: two incidents unchanged since they were last compared compare the same.
    ``near`` collects the pairs that match in place and dates only."""
    units = sorted(units, key=lambda u: u.id)
    ordered = [u.record for u in units]
    keys = [u.keys for u in units]
    index = {r.id: i for i, u in enumerate(units) for r in u.records}
    parent = list(range(len(ordered)))
    reasons: dict[int, list[MergeLink]] = {i: list(u.reasons) for i, u in enumerate(units)}
    forbidden: dict[int, set[int]] = defaultdict(set)
    for i, r in enumerate(ordered):
        for other in r.not_same_as:
            if other in index and index[other] != i:
                forbidden[i].add(index[other])
                forbidden[index[other]].add(i)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members: dict[int, set[int]] = {i: {i} for i in range(len(ordered))}

    def union(i: int, j: int, why: MergeLink, force: bool = False) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        if not force and any(forbidden[m] & members[rj] for m in members[ri]):
            return
        root, child = min(ri, rj), max(ri, rj)
        parent[child] = root
        members[root] |= members.pop(child)
        reasons[root] += reasons.pop(child, [])
        reasons[root].append(why)

    for i, r in enumerate(ordered):
        if r.same_as and r.same_as in index:
            link = _link(r, ordered[index[r.same_as]], "same_as")
            union(i, index[r.same_as], link, force=True)

    # Only records of one country whose date windows overlap can match: sweep by date.
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(ordered):
        by_country[r.country].append(i)
    fresh = [grown is None or u.id in grown for u in units]
    coords = [None if r.latitude is None or r.longitude is None else (r.latitude, r.longitude)
          for r in ordered]  # fmt: skip
    far = max(NAME_CONFLICT_KM, rules.radius_km)
    for ids in by_country.values():
        ids.sort(key=lambda i: (keys[i].first, ordered[i].id))
        grown_at = [pos for pos, i in enumerate(ids) if fresh[i]]
        for pos, i in enumerate(ids):
            end, here = keys[i].last, coords[i]
            # the units after this one, in order: all of them, or (this one unchanged since
            # the last round) the grown ones only
            later = (
                ids[pos + 1 :] if fresh[i]
                else [ids[at] for at in grown_at[bisect.bisect_right(grown_at, pos) :]]
            )  # fmt: skip
            for j in later:
                if keys[j].first > end:
                    break
                there = coords[j]
                close = False
                if here is not None and there is not None:
                    # _match's first tests, without the call: most pairs end here
                    if abs(here[0] - there[0]) * _KM_PER_DEGREE > far:
                        continue
                    a, b = (here, there) if i < j else (there, here)  # in _match's order
                    km = distance_km(*a, *b)
                    if km > far:
                        continue
                    close = km <= rules.radius_km
                ka, kb = keys[min(i, j)], keys[max(i, j)]
                if not (close or ka.names & kb.names
                        or _similarity(ka.names, kb.names) >= rules.name_score):  # fmt: skip
                    continue  # neither near nor alike in name: _match finds no link either
                why, partial = _match(ka, kb, rules)
                if why:
                    union(min(i, j), max(i, j), why)
                elif partial and near is not None:
                    at = (ordered[i].country, keys[i].first, ordered[i].id, keys[j].first,
                          ordered[j].id)  # fmt: skip
                    near.append((at, ka, kb, partial))

    def records_of(unit_ids: set[int]) -> list[Record]:
        return sorted((r for i in unit_ids for r in units[i].records), key=_primary_key)

    primary_of = {root: records_of(ids)[0].id for root, ids in members.items()}
    groups: list[MergedIncident] = []
    grew: set[str] = set()
    for root, unit_ids in members.items():
        apart = {primary_of[find(j)] for i in unit_ids for j in forbidden[i]}
        apart.discard(primary_of[root])
        if len(unit_ids) == 1 and sorted(apart) == (units[root].apart or []):
            # unchanged: the same incident, its merged record and keys already made
            groups.append(units[root])
            continue
        groups.append(
            MergedIncident(
                records_of(unit_ids),
                sorted(reasons.get(root, []), key=lambda x: (x.a, x.b)),
                sorted(apart),
            )
        )
        if len(unit_ids) > 1:
            grew.add(groups[-1].id)
    return groups, grew
