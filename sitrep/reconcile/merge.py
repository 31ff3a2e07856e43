"""Merging records coded separately for the same event into incidents."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..model.records import Claim, EventFields, Record, Source
from ..model.report import MergeLink
from .matching import (
    KM_PER_DEGREE,
    NAME_CONFLICT_KM,
    MergeKeys,
    MergeRules,
    Near,
    link,
    match,
    similarity,
)
from .names import distance_km, normalise_name

# Fields an incident takes from another of its records when its primary record lacks them.
_GAPS = [name for name, f in EventFields.model_fields.items() if f.default is None]


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

    @cached_property
    def id(self) -> str:
        """The incident's id: its primary record's id (asked for 50,000 times in a 90-day
        report: kept, as the records are)."""
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
            union(i, index[r.same_as], link(r, ordered[index[r.same_as]], "same_as"), force=True)

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
                    if abs(here[0] - there[0]) * KM_PER_DEGREE > far:
                        continue
                    a, b = (here, there) if i < j else (there, here)  # in _match's order
                    km = distance_km(*a, *b)
                    if km > far:
                        continue
                    close = km <= rules.radius_km
                ka, kb = keys[min(i, j)], keys[max(i, j)]
                if not (close or ka.names & kb.names
                        or similarity(ka.names, kb.names) >= rules.name_score):  # fmt: skip
                    continue  # neither near nor alike in name: _match finds no link either
                why, partial = match(ka, kb, rules)
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
