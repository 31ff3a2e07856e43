"""Statements into rows of figures: cells, revisions, contradictions, low/best/high."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..model.counts import Count
from ..model.records import Claim, Group, Outcome, Source, Stance
from ..model.report import Cell, FigureRow, Flag, Statement
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
