"""Statements into rows of figures: cells, revisions, contradictions, low/best/high."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..model.counts import Count
from ..model.records import Claim, Group, Outcome, Source, Stance
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



def _cell(
    stance: Stance, raws: list[RawStatement], numbers: SourceNumbers
) -> tuple[Cell, list[tuple[str, Count]]]:
    """What one side said, and the current figures (speaker, count) it gives."""
    # One statement carried by several outlets is shown once, with all its sources.
    grouped: dict[tuple[object, ...], list[RawStatement]] = defaultdict(list)
    for r in withdraws_nothing(raws):
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
                revised = {"previous": _figure(prior.claim.count), "revised_on": v[0].reported}
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
    first = same[0]
    count = first.claim.count
    quote = next((r.claim.quote for r in same if r.claim.quote), None)
    return Statement.model_construct(
        record=first.record,
        by=first.claim.by,
        stance=first.claim.stance,
        wording=None if count is None else count.text,
        low=None if count is None else count.low,
        high=None if count is None else count.high,
        reported=first.reported,
        quote=quote,
        sources=sorted({numbers[source_key(r.source)] for r in same}),
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


def bounds(current: Iterable[tuple[Stance, str, Count]]) -> Bounds:
    """The policy of docs/methodology.md: low from credible statements (the highest lower
    bound when they agree, the lowest figure when they contradict), best between, high from
    anyone; claims never set best while another figure exists."""
    items = list(current)
    credible = [(by, c) for stance, by, c in items if stance is not Stance.CLAIMED]
    if not items:
        return Bounds(None, None, None, False, Basis(rule="no_figure"))
    bounded = [c.high for _, _, c in items if c.high is not None]
    opened = [c.low for _, _, c in items if c.high is None]
    bounded_max = max(bounded) if bounded else None
    open_max = max(opened) if opened else None
    if open_max is not None and (bounded_max is None or open_max > bounded_max):
        high, high_open = None, True
    else:
        high, high_open = bounded_max, False
    top = max(items, key=lambda x: (x[2].high if x[2].high is not None else x[2].low, x[2].low))
    high_by = None if high_open else top[1]
    if not credible:
        return Bounds(None, None, high, high_open, Basis(rule="claimed_only", high_by=high_by))
    conflicting = any(
        not _overlap(a, b) for i, (_, a) in enumerate(credible) for _, b in credible[i + 1 :]
    )
    if conflicting:  # credible sources contradict: ACLED's conservative reading, the lowest
        low_by, low_count = min(credible, key=lambda x: (x[1].low, x[0]))
    else:  # consistent: every credible statement holds, so the highest lower bound does
        low_by, low_count = max(credible, key=lambda x: (x[1].low, x[0]))
    low = low_count.low
    points = [(c.point, by) for by, c in credible if c.point is not None]
    best_by: str | None = None
    best_rule: Literal["point", "low", "no_point"] = "no_point"
    if points:
        point, point_by = max(points)
        best = max(low, point)
        best_rule, best_by = ("point", point_by) if best == point else ("low", None)
    else:
        best = low
    if high is not None:
        best = min(best, high)
    basis = Basis(
        rule="credible",
        low_by=low_by,
        low_from=_figure(low_count),
        best_rule=best_rule,
        best_by=best_by,
        high_by=high_by,
    )
    return Bounds(low, best, high, high_open, basis)


@dataclass(frozen=True)
class FigureRules:
    """Thresholds for flags (from ``[report]`` in sitrep.toml)."""

    claim_spread_factor: float = 3.0


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
