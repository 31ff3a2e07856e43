"""Reconciliation: from many attributed statements to figures a reader can trust.

Two steps, both deterministic and independent of input order:

1. :func:`merge_records` groups records coded separately for the same event into
   incidents (same country, compatible dates, matching place, compatible actors;
   ``same_as``/``not_same_as`` in the data override the heuristics);
2. :func:`figure_rows` turns each incident's claims into rows of figures per casualty
   group and outcome: what officials, the claiming group and independent sources said,
   with revisions, contradictions, and low/best/high.

The policy is written down in ``docs/methodology.md``; this module is that policy.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

from rapidfuzz import fuzz

from .counts import Count
from .models import Claim, Group, Outcome, Record, Source, Stance
from .report import Cell, FigureRow, Flag, Statement

# --- merging -------------------------------------------------------------------------

# Days either side of the stated date an event may fall on, for merging: the precision's
# own uncertainty plus one day (reports of the same attack often differ by a day).
MERGE_SLACK = {"day": 1, "week": 4, "month": 16}


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """Lower case, no accents, letters and digits only: 'Boulkéssi ' -> 'boulkessi'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class MergeRules:
    """The thresholds of the merge heuristics (from ``[report]`` in sitrep.toml)."""

    name_score: float = 85.0
    radius_km: float = 10.0


# Records with the same place name this far apart are different places of that name.
NAME_CONFLICT_KM = 50.0


@dataclass(frozen=True)
class MergeKeys:
    """What merging compares, computed once per record rather than once per pair."""

    record: Record
    first: dt.date
    last: dt.date
    names: frozenset[str]
    location: str

    @classmethod
    def of(cls, record: Record) -> MergeKeys:
        """The keys of one record: its date window and its normalised place names."""
        slack = dt.timedelta(days=MERGE_SLACK[record.date_precision.value])
        names = frozenset(
            n for n in (normalise_name(x) for x in [record.location, *record.aliases]) if n
        )
        return cls(record, record.day - slack, record.last_day + slack, names,
                   normalise_name(record.location))  # fmt: skip


@lru_cache(maxsize=65536)
def _actors_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    na, nb = normalise_name(a), normalise_name(b)
    return na in nb or nb in na or fuzz.token_set_ratio(a.casefold(), b.casefold()) >= 80


def same_event(a: Record, b: Record, rules: MergeRules) -> str | None:
    """Why two records describe the same event, or None when they do not."""
    return _same(MergeKeys.of(a), MergeKeys.of(b), rules)


def _same(ka: MergeKeys, kb: MergeKeys, rules: MergeRules) -> str | None:
    a, b = ka.record, kb.record
    if a.country != b.country or ka.first > kb.last or kb.first > ka.last:
        return None
    if not (
        _actors_compatible(a.perpetrator, b.perpetrator) and _actors_compatible(a.target, b.target)
    ):
        return None
    km = None
    if a.latitude is not None and b.latitude is not None:
        assert a.longitude is not None and b.longitude is not None
        km = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
    apart = km is not None and km > max(NAME_CONFLICT_KM, rules.radius_km)
    when = "same date" if a.day == b.day else f"dates {a.day} and {b.day} within their precision"
    if ka.names & kb.names and not apart:
        how = "same place name" if ka.location == kb.location else "place names match by alias"
        return f"{how} ({a.location} / {b.location}), {when}"
    if not apart and ka.names and kb.names:
        score = max(fuzz.ratio(x, y) for x in ka.names for y in kb.names)
        if score >= rules.name_score:
            return f"similar place names ({a.location} / {b.location}, score {score:.0f}), {when}"
    # Distance alone: nearby places that differ in name, only for the same kind of event
    # (two towns 11 km apart can each be attacked on the same day).
    if km is not None and km <= rules.radius_km and a.event_type is b.event_type:
        return f"{km:.0f} km apart (within {rules.radius_km:g} km), {when}"
    return None


@dataclass
class MergedIncident:
    """Records that describe one event; the first of ``records`` is the primary one."""

    records: list[Record]
    reasons: list[str] = field(default_factory=list)
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
        for name in (
            "admin1",
            "admin2",
            "latitude",
            "longitude",
            "sub_event_type",
            "perpetrator",
            "target",
            "title",
            "summary",
            "end_date",
        ):
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
    rules = rules or MergeRules()
    units = [MergedIncident([r]) for r in records]
    while True:
        merged = _merge_pass(units, rules)
        if len(merged) == len(units):
            merged.sort(key=lambda g: (g.primary.day, g.id))
            return merged
        units = merged


def _merge_pass(units: Sequence[MergedIncident], rules: MergeRules) -> list[MergedIncident]:
    """One round of pairwise merging of incidents, by their merged records."""
    units = sorted(units, key=lambda u: u.id)
    ordered = [u.record for u in units]
    keys = [MergeKeys.of(r) for r in ordered]
    index = {r.id: i for i, u in enumerate(units) for r in u.records}
    parent = list(range(len(ordered)))
    reasons: dict[int, list[str]] = {i: list(u.reasons) for i, u in enumerate(units)}
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

    def union(i: int, j: int, why: str, force: bool = False) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        if not force and any(forbidden[m] & members[rj] for m in members[ri]):
            return
        root, child = min(ri, rj), max(ri, rj)
        parent[child] = root
        members[root] |= members.pop(child)
        reasons[root] += reasons.pop(child, [])
        reasons[root].append(f"{ordered[i].id} + {ordered[j].id}: {why}")

    for i, r in enumerate(ordered):
        if r.same_as and r.same_as in index:
            union(i, index[r.same_as], "same_as in the data", force=True)

    # Only records of one country whose date windows overlap can match: sweep by date.
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(ordered):
        by_country[r.country].append(i)
    for ids in by_country.values():
        ids.sort(key=lambda i: (keys[i].first, ordered[i].id))
        for pos, i in enumerate(ids):
            end = keys[i].last
            for j in ids[pos + 1 :]:
                if keys[j].first > end:
                    break
                why = _same(keys[min(i, j)], keys[max(i, j)], rules)
                if why:
                    union(min(i, j), max(i, j), why)

    def records_of(unit_ids: set[int]) -> list[Record]:
        return sorted((r for i in unit_ids for r in units[i].records), key=_primary_key)

    primary_of = {root: records_of(ids)[0].id for root, ids in members.items()}
    groups: list[MergedIncident] = []
    for root, unit_ids in members.items():
        apart = {primary_of[find(j)] for i in unit_ids for j in forbidden[i]}
        apart.discard(primary_of[root])
        groups.append(
            MergedIncident(records_of(unit_ids), sorted(reasons.get(root, [])), sorted(apart))
        )
    return groups


# --- figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class RawStatement:
    """A claim placed in its incident, before it is shown."""

    incidents: tuple[str, ...]  # ids of the incidents the figure covers, earliest first
    record: str
    claim: Claim
    source: Source
    reported: dt.date | None

    @property
    def speaker(self) -> str:
        """Who spoke, normalised, so that revisions by the same speaker can be found."""
        return normalise_name(self.claim.by)


def collect_statements(
    incidents: Sequence[MergedIncident], as_of: dt.date | None = None
) -> list[RawStatement]:
    """Every claim of every incident, with joint figures mapped to the incidents they cover.

    Statements reported after ``as_of`` are left out: a report shows what was known then.
    """
    owner = {r.id: inc.id for inc in incidents for r in inc.records}
    day = {inc.id: inc.primary.day for inc in incidents}
    out: list[RawStatement] = []
    for inc in incidents:
        for rec in inc.records:
            for claim in rec.claims:
                reported = rec.reported(claim)
                if as_of and reported and reported > as_of:
                    continue
                covered = {inc.id, *(owner[c] for c in claim.covers if c in owner)}
                out.append(
                    RawStatement(
                        tuple(sorted(covered, key=lambda i: (day[i], i))),
                        rec.id,
                        claim,
                        rec.source(claim.source),
                        reported,
                    )
                )
    return out


def _overlap(a: Count, b: Count) -> bool:
    a_hi = math.inf if a.high is None else a.high
    b_hi = math.inf if b.high is None else b.high
    return a.low <= b_hi and b.low <= a_hi


def _date_key(d: dt.date | None) -> dt.date:
    return d or dt.date.min


SourceNumbers = dict[tuple[str, str | None, dt.date | None], int]


def source_key(source: Source) -> tuple[str, str | None, dt.date | None]:
    """Sources with the same name, address and date are one source in the report."""
    return (source.name.strip(), source.url, source.published)


def number_sources(sources: Iterable[Source]) -> SourceNumbers:
    """Number sources in order of first appearance, one number per distinct source."""
    numbers: SourceNumbers = {}
    for source in sources:
        numbers.setdefault(source_key(source), len(numbers) + 1)
    return numbers


def _cell(
    stance: Stance, raws: list[RawStatement], numbers: SourceNumbers
) -> tuple[Cell, list[tuple[str, Count]]]:
    """What one side said, and the current figures (speaker, count) it gives."""
    # One statement carried by several outlets is shown once, with all its sources.
    grouped: dict[tuple[object, ...], list[RawStatement]] = defaultdict(list)
    for r in raws:
        c = r.claim.count
        grouped[(r.speaker, None if c is None else (c.low, c.high, c.kind), r.reported)].append(r)
    by_speaker: dict[str, list[list[RawStatement]]] = defaultdict(list)
    for same in grouped.values():
        by_speaker[same[0].speaker].append(same)
    current: list[Statement] = []
    superseded: list[Statement] = []
    figures: list[tuple[str, Count]] = []
    for versions in by_speaker.values():
        versions.sort(key=lambda v: (_date_key(v[0].reported), _show_key(v[0])))
        # Speaking again without a figure does not withdraw the figure given before.
        while len(versions) > 1 and versions[-1][0].claim.count is None and any(
            v[0].claim.count is not None for v in versions
        ):
            versions.pop()
        latest_date = versions[-1][0].reported
        latest = [v for v in versions if v[0].reported == latest_date]
        older = [v for v in versions if v[0].reported != latest_date]
        prior = older[-1][0] if older and latest_date is not None else None
        for v in older if latest_date is not None else []:
            superseded.append(_statement(v, numbers))
        if latest_date is None:  # undated statements cannot revise each other
            latest = versions
        for v in latest:
            revised = {}
            if prior is not None:
                revised = {
                    "revised_from": _text(prior.claim.count) or "no figure",
                    "revised_on": v[0].reported,
                }
            current.append(_statement(v, numbers, **revised))
            if v[0].claim.count is not None:
                figures.append((v[0].claim.by, v[0].claim.count))
    current.sort(key=lambda s: (_date_key(s.reported), s.low or 0), reverse=True)
    superseded.sort(key=lambda s: _date_key(s.reported), reverse=True)
    counts = [c for _, c in figures]
    contradiction = any(not _overlap(a, b) for i, a in enumerate(counts) for b in counts[i + 1 :])
    status: Literal["figure", "no_figure", "silent"] = (
        "figure" if figures else ("no_figure" if raws else "silent")
    )
    cell = Cell.model_construct(
        stance=stance,
        status=status,
        statements=current,
        superseded=superseded,
        contradiction=contradiction,
    )
    return cell, figures


def _show_key(r: RawStatement) -> tuple[int, str]:
    c = r.claim.count
    return (-1 if c is None else c.low, r.record)


def _text(count: Count | None) -> str | None:
    return None if count is None else count.display()


def _statement(same: list[RawStatement], numbers: SourceNumbers, **extra: object) -> Statement:
    first = same[0]
    count = first.claim.count
    quote = next((r.claim.quote for r in same if r.claim.quote), None)
    return Statement.model_construct(
        record=first.record,
        by=first.claim.by,
        stance=first.claim.stance,
        text=_text(count),
        wording=None if count is None else count.text,
        low=None if count is None else count.low,
        high=None if count is None else count.high,
        reported=first.reported,
        quote=quote,
        sources=sorted({numbers[source_key(r.source)] for r in same}),
        covers=[i for i in first.incidents if i != first.incidents[0]]
        if len(first.incidents) > 1
        else [],
        **extra,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Bounds:
    """low/best/high of one row, and why."""

    low: int | None
    best: int | None
    high: int | None
    high_open: bool
    basis: str


def bounds(current: Iterable[tuple[Stance, str, Count]]) -> Bounds:
    """The policy of docs/methodology.md: low from credible statements (the highest lower
    bound when they agree, the lowest figure when they contradict), best between, high from
    anyone; claims never set best while another figure exists."""
    items = list(current)
    credible = [(by, c) for stance, by, c in items if stance is not Stance.CLAIMED]
    if not items:
        return Bounds(None, None, None, False, "no figure given")
    bounded = [c.high for _, _, c in items if c.high is not None]
    opened = [c.low for _, _, c in items if c.high is None]
    bounded_max = max(bounded) if bounded else None
    open_max = max(opened) if opened else None
    if open_max is not None and (bounded_max is None or open_max > bounded_max):
        high, high_open = None, True
    else:
        high, high_open = bounded_max, False
    top = max(items, key=lambda x: (x[2].high if x[2].high is not None else x[2].low, x[2].low))
    high_basis = "no upper figure stated" if high_open else f"high {high} from {top[1]}"
    if not credible:
        return Bounds(None, None, high, high_open, f"claimed only; {high_basis}")
    conflicting = any(
        not _overlap(a, b) for i, (_, a) in enumerate(credible) for _, b in credible[i + 1 :]
    )
    if conflicting:  # credible sources contradict: ACLED's conservative reading, the lowest
        low_by, low_count = min(credible, key=lambda x: (x[1].low, x[0]))
    else:  # consistent: every credible statement holds, so the highest lower bound does
        low_by, low_count = max(credible, key=lambda x: (x[1].low, x[0]))
    low = low_count.low
    points = [(c.point, by) for by, c in credible if c.point is not None]
    if points:
        point, point_by = max(points)
        best = max(low, point)
        best_basis = f"best {best} from {point_by}" if best == point else "best = low"
    else:
        best, best_basis = low, "best = low (no exact credible figure)"
    if high is not None:
        best = min(best, high)
    return Bounds(
        low,
        best,
        high,
        high_open,
        f"low {low} from {low_by} ({low_count.display()}); {best_basis}; {high_basis}",
    )


@dataclass(frozen=True)
class FigureRules:
    """Thresholds for flags (from ``[report]`` in sitrep.toml)."""

    claim_spread_factor: float = 3.0


def figure_rows(
    statements: Sequence[RawStatement],
    numbers: SourceNumbers,
    labels: dict[str, str],
    rules: FigureRules | None = None,
) -> list[FigureRow]:
    """Rows of reconciled figures: one per incident (or joint set), group and outcome."""
    rules = rules or FigureRules()
    rows: dict[tuple[tuple[str, ...], Group, Outcome], list[RawStatement]] = defaultdict(list)
    for s in statements:
        rows[(s.incidents, s.claim.group, s.claim.outcome)].append(s)
    out: list[FigureRow] = []
    for (incidents, group, outcome), raws in rows.items():
        cells: dict[Stance, Cell] = {}
        current: list[tuple[Stance, str, Count]] = []
        for stance in Stance:
            cells[stance], figures = _cell(
                stance, [r for r in raws if r.claim.stance is stance], numbers
            )
            current += [(stance, by, c) for by, c in figures]
        b = bounds(current)
        flags: list[Flag] = []
        official = cells[Stance.OFFICIAL]
        if official.contradiction:
            flags.append(Flag.OFFICIAL_CONTRADICTION)
        if official.status == "silent":
            flags.append(Flag.NO_OFFICIAL)
        elif official.status == "no_figure":
            flags.append(Flag.OFFICIAL_NO_FIGURE)
        claimed = [c for stance, _, c in current if stance is Stance.CLAIMED]
        if claimed and b.best is None:
            flags.append(Flag.CLAIMED_ONLY)
        reference = b.best
        if claimed and reference is not None:  # a claim of 50 against an official 0 too
            top_claim = max(c.low for c in claimed)
            if top_claim > rules.claim_spread_factor * reference:
                flags.append(Flag.CLAIM_SPREAD)
        if any(cell.superseded for cell in cells.values()):
            flags.append(Flag.REVISED)
        label = " + ".join(labels.get(i, i) for i in incidents)
        out.append(
            FigureRow.model_construct(
                incident=incidents[0],
                incidents=list(incidents),
                label=label,
                group=group,
                outcome=outcome,
                official=official,
                claimed=cells[Stance.CLAIMED],
                independent=cells[Stance.INDEPENDENT],
                low=b.low,
                best=b.best,
                high=b.high,
                high_open=b.high_open,
                basis=b.basis,
                flags=flags,
            )
        )
    group_order, outcome_order = list(Group), list(Outcome)
    out.sort(
        key=lambda r: (r.incidents, outcome_order.index(r.outcome), group_order.index(r.group))
    )
    return out
