"""Statements into rows of figures: cells, revisions, contradictions, low/best/high."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..model.counts import Count, CountKind
from ..model.records import Claim, Group, Outcome, Record, Source, Stance, _Attributed
from ..model.report import Basis, Cell, Figure, FigureRow, Flag, Place, Statement
from .merge import MergedIncident
from .names import normalise_name
from .sources import SourceNumbers, source_key


@dataclass(frozen=True)
class RawStatement:
    """A claim placed in its incident, before it is shown."""

    incidents: tuple[str, ...]  # ids of the incidents the figure covers, earliest first
    record: str
    claim: Claim
    source: Source
    reported: dt.date | None
    """The day the statement is dated by: when it was made, else when first seen."""
    origin: Source | None = None
    """The source that ``source`` relays (``via``), if any."""

    @property
    def speaker(self) -> str:
        """Who spoke, normalised, so that revisions by the same speaker can be found."""
        return normalise_name(self.claim.by)

    @property
    def said(self) -> dt.date | None:
        """The day the statement was made, as coded; None when unknown."""
        r = self.claim.reported
        return r.date() if isinstance(r, dt.datetime) else r

    @property
    def first_seen(self) -> dt.date | None:
        """When the statement was first seen: its source's publication date."""
        return self.source.published

    @property
    def voice(self) -> tuple[str, str | None, dt.date | None]:
        """The outlet the statement comes from (what a relay relays, else its carrier)."""
        return source_key(self.origin or self.source)

    @property
    def party(self) -> bool:
        """A party claim (:func:`is_party_claim`)."""
        return is_party_claim(self.claim)


def is_party_claim(claim: Claim) -> bool:
    """A figure a party to the fighting gives for its enemy's losses: the claim's own
    ``party`` when coded; otherwise the authorities (``official``) on the armed group's dead,
    or an armed group (``claimed``) on state or foreign forces' dead."""
    if claim.party is not None:
        return claim.party
    if claim.stance is Stance.OFFICIAL:
        return claim.group is Group.ARMED_GROUP
    if claim.stance is Stance.CLAIMED:
        return claim.group in (Group.STATE_FORCES, Group.FOREIGN_FORCES)
    return False


AsOf = dt.date | dt.datetime | None


def made_after(reported: dt.date | dt.datetime | None, as_of: AsOf) -> bool:
    """Whether a statement time (or publication date) lies after ``as_of``: a date counts
    as its whole day, a datetime as its moment."""
    if as_of is None or reported is None:
        return False
    if isinstance(as_of, dt.datetime):
        if isinstance(reported, dt.datetime):
            return reported > as_of
        return reported > as_of.date()
    day = reported.date() if isinstance(reported, dt.datetime) else reported
    return day > as_of


def _left_out(rec: Record, claim: _Attributed, as_of: AsOf) -> bool:
    return made_after(claim.reported, as_of) or made_after(
        rec.source(claim.source).published, as_of
    )


def collect_statements(
    incidents: Sequence[MergedIncident], as_of: AsOf = None
) -> list[RawStatement]:
    """Every claim of every incident, with joint figures mapped to the incidents they cover.

    Statements made or published after ``as_of`` are left out: a report shows what was
    known then.
    """
    owner = {r.id: inc.id for inc in incidents for r in inc.records}
    day = {inc.id: inc.primary.day for inc in incidents}
    out: list[RawStatement] = []
    for inc in incidents:
        for rec in inc.records:
            for claim in rec.claims:
                if _left_out(rec, claim, as_of):
                    continue
                covered = {inc.id, *(owner[c] for c in claim.covers if c in owner)}
                source = rec.source(claim.source)
                origin = rec.origin(source)
                out.append(
                    RawStatement(
                        tuple(sorted(covered, key=lambda i: (day[i], i))),
                        rec.id,
                        claim,
                        source,
                        rec.reported(claim),
                        None if origin is source else origin,
                    )
                )
    return out


def statements_after(incidents: Sequence[MergedIncident], as_of: AsOf) -> int:
    """How many statements (figures and outcomes) the records hold that were made or
    published after ``as_of``."""
    return sum(
        _left_out(rec, s, as_of)
        for inc in incidents
        for rec in inc.records
        for s in [*rec.claims, *rec.outcomes]
    )


def _span(c: Count, tolerance: float = 0.0) -> tuple[float, float]:
    """The bounds of a count when deciding contradictions: an 'about' figure carries the
    tolerance either side."""
    low, high = float(c.low), math.inf if c.high is None else float(c.high)
    if c.kind is CountKind.ABOUT:
        low, high = low * (1 - tolerance), high * (1 + tolerance)
    return low, high


def _overlap(a: Count, b: Count, tolerance: float = 0.0) -> bool:
    a_lo, a_hi = _span(a, tolerance)
    b_lo, b_hi = _span(b, tolerance)
    return a_lo <= b_hi and b_lo <= a_hi


def _date_key(d: dt.date | None) -> dt.date:
    return d or dt.date.min


def _time(r: RawStatement) -> dt.time | None:
    """The time of day of a statement, when coded (it orders two statements of one day)."""
    rep = r.claim.reported
    return rep.astimezone(dt.UTC).time() if isinstance(rep, dt.datetime) else None


def _figure_key(c: Count | None) -> object:
    return None if c is None else (c.low, c.high, c.kind)


def _statements(raws: list[RawStatement]) -> list[list[RawStatement]]:
    """Raw statements grouped into statements: the same figure from the same speaker, or
    from the same outlet relayed by others (``via``), is one statement with several
    sources, whatever the outlets' dates."""
    parent = list(range(len(raws)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(raws):
        for j in range(i + 1, len(raws)):
            b = raws[j]
            if _figure_key(a.claim.count) != _figure_key(b.claim.count):
                continue
            relayed = (a.origin or b.origin) is not None and a.voice == b.voice
            if a.speaker == b.speaker or relayed:
                parent[find(j)] = find(i)
    groups: dict[int, list[RawStatement]] = defaultdict(list)
    for i, r in enumerate(raws):
        groups[find(i)].append(r)
    out = []
    for same in groups.values():
        # the statement is dated by its earliest known time; its own speaker first
        same.sort(key=lambda r: (r.origin is not None, _date_key(r.reported), r.record,
                                 r.source.id))  # fmt: skip
        out.append(same)
    return out


def _cell(
    stance: Stance, raws: list[RawStatement], numbers: SourceNumbers, tolerance: float = 0.0
) -> tuple[Cell, list[tuple[str, Count, bool]]]:
    """What one side said, and the current figures (speaker, count, party) it gives."""
    by_speaker: dict[str, list[list[RawStatement]]] = defaultdict(list)
    for same in _statements(withdraws_nothing(raws)):
        same.sort(key=lambda r: (_date_key(r.reported), _time(r) or dt.time.max, r.record))
        by_speaker[same[0].speaker].append(same)
    current: list[Statement] = []
    superseded: list[Statement] = []
    figures: list[tuple[str, Count, bool]] = []
    for versions in by_speaker.values():
        versions.sort(key=lambda v: (_date_key(v[0].reported), _time(v[0]) or dt.time.min,
                                     _show_key(v[0])))  # fmt: skip
        latest_date = versions[-1][0].reported
        times = [_time(v[0]) for v in versions if v[0].reported == latest_date]
        last_time = max((t for t in times if t is not None), default=None)
        latest = [v for v in versions if v[0].reported == latest_date
                  and (_time(v[0]) is None or _time(v[0]) == last_time)]  # fmt: skip
        older = [v for v in versions if not any(v is x for x in latest)]
        prior = older[-1][0] if older and latest_date is not None else None
        for v in older if latest_date is not None else []:
            superseded.append(_statement(v, numbers))
        if latest_date is None:  # undated statements cannot revise each other
            latest = versions
        for v in latest:
            revised = {}
            if prior is not None:
                revised = {"previous": _figure(prior.claim.count), "revised_on": v[0].reported}
            current.append(_statement(v, numbers, **revised))
            if v[0].claim.count is not None:
                figures.append((v[0].claim.by, v[0].claim.count, v[0].party))
    current.sort(key=lambda s: (_date_key(s.reported), s.low or 0), reverse=True)
    superseded.sort(key=lambda s: _date_key(s.reported), reverse=True)
    counts = [c for _, c, _ in figures]
    contradiction = any(
        not _overlap(a, b, tolerance) for i, a in enumerate(counts) for b in counts[i + 1 :]
    )
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


def withdraws_nothing(statements: Iterable[RawStatement]) -> list[RawStatement]:
    """The statements less those a speaker made without a figure after giving one: speaking
    again without a figure withdraws nothing, and is neither a revision nor news."""
    by_speaker: dict[tuple[object, ...], list[RawStatement]] = defaultdict(list)
    for s in statements:
        by_speaker[(s.speaker, s.claim.stance, s.claim.group, s.claim.outcome)].append(s)
    kept: list[RawStatement] = []
    for same in by_speaker.values():
        same.sort(key=lambda s: (_date_key(s.reported), _show_key(s)))
        last = max((i for i, s in enumerate(same) if s.claim.count is not None), default=None)
        kept += same if last is None else same[: last + 1] + [
            s for s in same[last + 1 :] if s.claim.count is not None
        ]
    return kept


def _figure(count: Count | None) -> Figure | None:
    if count is None:
        return None
    return Figure.model_construct(
        wording=count.text, kind=count.kind, low=count.low, high=count.high, approx=count.approx
    )


def _statement(same: list[RawStatement], numbers: SourceNumbers, **extra: object) -> Statement:
    first = min(same, key=lambda r: (r.origin is not None, _date_key(r.reported), r.record))
    count = first.claim.count
    quote = next((r.claim.quote for r in same if r.claim.quote), None)
    carriers = [r.origin or r.source for r in same] + [r.source for r in same]
    origins = sorted({r.origin.name for r in same if r.origin is not None})
    said = [r.said for r in same if r.said is not None]
    seen = [r.first_seen for r in same if r.first_seen is not None]
    return Statement.model_construct(
        record=first.record,
        by=first.claim.by,
        stance=first.claim.stance,
        wording=None if count is None else count.text,
        low=None if count is None else count.low,
        high=None if count is None else count.high,
        reported=min(said) if said else first.reported,
        quote=quote,
        sources=sorted({numbers[k] for k in map(source_key, carriers) if k in numbers}),
        date_known=bool(said),
        first_seen=min(seen) if seen else None,
        party=first.party,
        via=origins,
        covers=[i for i in first.incidents if i != first.incidents[0]]
        if len(first.incidents) > 1
        else [],
        kind=None if count is None else count.kind,
        approx=None if count is None else count.approx,
        **extra,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Bounds:
    """low/best/high of one row, and why."""

    low: int | None
    best: int | None
    high: int | None
    high_open: bool
    derivation: Basis
    credible_high: int | None = None
    credible_high_open: bool = False


@dataclass(frozen=True)
class Stated:
    """A current figure of a row, as :func:`bounds` weighs it."""

    stance: Stance
    by: str
    count: Count
    party: bool = False
    subset: bool = False


PartyRule = Literal["corroborated", "never", "always"]


@dataclass(frozen=True)
class FigureRules:
    """The reconciliation's settings (from ``[report]`` in sitrep.toml)."""

    claim_spread_factor: float = 3.0
    about_tolerance: float = 0.10
    """'about N' stands for N ± this fraction when deciding whether figures contradict."""
    party_claims: PartyRule = "corroborated"
    """When a party's figure for its enemy's losses counts as credible: when a source that
    is not a party gives a figure too (corroborated), never, or always."""


def specific(c: Count) -> bool:
    """A figure that can set the floor: not a vague word, not an upper bound alone ('up to',
    'fewer than'), not 'at least 1' ('some lives were lost')."""
    if c.kind in (CountKind.VAGUE, CountKind.AT_MOST, CountKind.FEWER_THAN):
        return False
    return not (c.high is None and c.low <= 1)


def _top(items: Sequence[Stated]) -> tuple[int | None, bool, str | None]:
    """The largest figure stated (high, open-ended, by whom): open-ended when the largest
    statement sets no upper bound, or when a vague word ('hundreds') reaches the largest
    bounded figure ('about 100' gives '100+')."""
    bounded = [(s.count.high, s.by) for s in items if s.count.high is not None]
    opened = [(s.count.low, s.count.kind is CountKind.VAGUE) for s in items if s.count.high is None]
    b_max = max(bounded, default=None)
    o_max = max(opened, default=None)
    if o_max is not None and (b_max is None or o_max[0] > b_max[0]
                              or (o_max[1] and o_max[0] >= b_max[0])):  # fmt: skip
        return None, True, None
    if b_max is None:
        return None, False, None
    return b_max[0], False, b_max[1]


def bounds(
    current: Iterable[Stated | tuple[Stance, str, Count]], rules: FigureRules | None = None
) -> Bounds:
    """The policy of docs/methodology.md ("The floor"), after UCDP's low/best/high:
    low is the lowest specific credible figure (vague words never set or lower it; a subset
    figure only raises it); best the most credible specific figure (the one most other
    credible figures agree with, a point figure before a bound, then the larger); high the
    largest figure anyone stated, and the credible high the largest credible one. Claims
    (stance ``claimed``) are never credible; party claims only as ``rules.party_claims`` says."""
    rules = rules or FigureRules()
    items = [i if isinstance(i, Stated) else Stated(*i) for i in current]
    if not items:
        return Bounds(None, None, None, False, Basis(rule="no_figure"))
    high, high_open, high_by = _top(items)
    fair = [s for s in items if s.stance is not Stance.CLAIMED and not s.party]
    party = [s for s in items if s.stance is not Stance.CLAIMED and s.party]
    admit = rules.party_claims == "always" or (rules.party_claims == "corroborated" and bool(fair))
    credible = fair + (party if admit else [])
    if not credible:
        rule: Literal["claimed_only", "party_only"] = "party_only" if party else "claimed_only"
        return Bounds(None, None, high, high_open, Basis(rule=rule, high_by=high_by))
    c_high, c_open, _ = _top(credible)
    totals = [s for s in credible if not s.subset]
    subsets = [s for s in credible if s.subset]
    pool = [s for s in totals if specific(s.count)] or totals
    floor = min(pool, key=lambda s: (s.count.low, s.by)) if pool else None
    top_subset = max(subsets, key=lambda s: (s.count.low, s.by), default=None)
    low_from = floor
    if top_subset and (floor is None or top_subset.count.low > floor.count.low):
        low_from = top_subset
    assert low_from is not None
    low = low_from.count.low
    best_by: str | None = None
    best_rule: Literal["point", "low", "no_point"] = "no_point"
    best = low
    if pool:
        tol = rules.about_tolerance

        def weight(s: Stated) -> tuple[int, bool, int, str]:
            support = sum(_overlap(s.count, o.count, tol) for o in pool)
            point = s.count.point
            return (support, point is not None, point if point is not None else s.count.low,
                    s.by)  # fmt: skip

        chosen = max(pool, key=weight)
        point = chosen.count.point
        if point is not None and point >= low:
            best, best_rule, best_by = point, "point", chosen.by
        else:
            best = max(low, chosen.count.low)
            has_point = any(s.count.point is not None for s in pool)
            best_rule = "low" if has_point else "no_point"
    if high is not None:
        best = min(best, high)
    basis = Basis(
        rule="credible",
        low_by=low_from.by,
        low_from=_figure(low_from.count),
        best_rule=best_rule,
        best_by=best_by,
        high_by=high_by,
        party_admitted=bool(party) and admit,
    )
    return Bounds(low, best, high, high_open, basis, c_high, c_open)


def figure_rows(
    statements: Sequence[RawStatement],
    numbers: SourceNumbers,
    rules: FigureRules | None = None,
    places: Mapping[str, Place] | None = None,
) -> list[FigureRow]:
    """Rows of reconciled figures: one per incident (or joint set), group and outcome;
    ``places`` gives each incident's place and date for the rows' labels."""
    rules = rules or FigureRules()
    places = places or {}
    rows: dict[tuple[tuple[str, ...], Group, Outcome], list[RawStatement]] = defaultdict(list)
    for s in statements:
        rows[(s.incidents, s.claim.group, s.claim.outcome)].append(s)
    out: list[FigureRow] = []
    for (incidents, group, outcome), raws in rows.items():
        cells: dict[Stance, Cell] = {}
        current: list[Stated] = []
        subset = {(r.claim.by, r.claim.count) for r in raws if r.claim.subset}
        for stance in Stance:
            cells[stance], figures = _cell(
                stance, [r for r in raws if r.claim.stance is stance], numbers,
                rules.about_tolerance,
            )
            current += [Stated(stance, by, c, party, (by, c) in subset)
                        for by, c, party in figures]  # fmt: skip
        b = bounds(current, rules)
        flags: list[Flag] = []
        official = cells[Stance.OFFICIAL]
        if official.contradiction:
            flags.append(Flag.OFFICIAL_CONTRADICTION)
        if official.status == "silent":
            flags.append(Flag.NO_OFFICIAL)
        elif official.status == "no_figure":
            flags.append(Flag.OFFICIAL_NO_FIGURE)
        claimed = [s.count for s in current if s.stance is Stance.CLAIMED or s.party]
        if any(s.party for s in current):
            flags.append(Flag.PARTY_CLAIM)
        if claimed and b.best is None:
            flags.append(Flag.CLAIMED_ONLY)
        reference = b.best
        if claimed and reference is not None:  # a claim of 50 against an official 0 too
            top_claim = max(c.low for c in claimed)
            if top_claim > rules.claim_spread_factor * reference:
                flags.append(Flag.CLAIM_SPREAD)
        if any(cell.superseded for cell in cells.values()):
            flags.append(Flag.REVISED)
        out.append(
            FigureRow.model_construct(
                incident=incidents[0],
                incidents=list(incidents),
                group=group,
                outcome=outcome,
                official=official,
                claimed=cells[Stance.CLAIMED],
                independent=cells[Stance.INDEPENDENT],
                low=b.low,
                best=b.best,
                high=b.high,
                high_open=b.high_open,
                credible_high=b.credible_high,
                credible_high_open=b.credible_high_open,
                flags=flags,
                derivation=b.derivation,
                places=[places[i] for i in incidents if i in places],
            )
        )
    group_order, outcome_order = list(Group), list(Outcome)
    out.sort(
        key=lambda r: (r.incidents, outcome_order.index(r.outcome), group_order.index(r.group))
    )
    return out
