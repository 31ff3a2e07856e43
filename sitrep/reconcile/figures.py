"""Statements into rows of figures: cells, revisions, contradictions, low/best/high."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from ..model.counts import Count
from ..model.records import Group, Outcome, Stance
from ..model.report import Cell, FigureRow, Flag, Place, Statement
from .bounds import FigureRules, Stated, bounds, figure_of, overlap
from .sources import SourceNumbers
from .statements import RawStatement


def _date_key(d: dt.date | None) -> dt.date:
    return d or dt.date.min


def _time(r: RawStatement) -> dt.time | None:
    """The time of day of a statement, when coded (it orders two statements of one day)."""
    rep = r.claim.reported
    return rep.astimezone(dt.UTC).time() if isinstance(rep, dt.datetime) else None


def _figure_key(c: Count | None) -> object:
    return None if c is None else (c.low, c.high, c.kind, c.best)


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


_SILENT = {
    stance: Cell.model_construct(stance=stance, status="silent", statements=[], superseded=[],
                                 contradiction=False)
    for stance in Stance
}  # fmt: skip
# Iterating an enum class, or finding a member's index, costs more than a tuple or a dict:
# these run for every row.
_STANCES = tuple(Stance)
_GROUP_RANK = {group: i for i, group in enumerate(Group)}
_OUTCOME_RANK = {outcome: i for i, outcome in enumerate(Outcome)}


def _cell(
    stance: Stance, raws: list[RawStatement], numbers: SourceNumbers, tolerance: float = 0.0
) -> tuple[Cell, list[tuple[str, Count, bool]]]:
    """What one side said, and the current figures (speaker, count, party) it gives."""
    if not raws:  # most rows have a side that said nothing: one (frozen) cell for all
        return _SILENT[stance], []
    if len(raws) == 1:  # the next most common: one statement, which revises nothing
        r = raws[0]
        given = [] if r.claim.count is None else [(r.claim.by, r.claim.count, r.party)]
        return Cell(
            stance=stance,
            status="figure" if given else "no_figure",
            statements=[_statement(raws, numbers)],
            superseded=[],
            contradiction=False,
        ), given
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
                revised = {"previous": figure_of(prior.claim.count), "revised_on": v[0].reported}
            current.append(_statement(v, numbers, **revised))
            if v[0].claim.count is not None:
                figures.append((v[0].claim.by, v[0].claim.count, v[0].party))
    current.sort(key=lambda s: (_date_key(s.reported), s.low or 0), reverse=True)
    superseded.sort(key=lambda s: _date_key(s.reported), reverse=True)
    counts = [c for _, c, _ in figures]
    contradiction = any(
        not overlap(a, b, tolerance) for i, a in enumerate(counts) for b in counts[i + 1 :]
    )
    status: Literal["figure", "no_figure", "silent"] = (
        "figure" if figures else ("no_figure" if raws else "silent")
    )
    cell = Cell(
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


def _statement(same: list[RawStatement], numbers: SourceNumbers, **extra: object) -> Statement:
    first = min(same, key=lambda r: (r.origin is not None, _date_key(r.reported), r.record))
    count = first.claim.count
    quote = next((r.claim.quote for r in same if r.claim.quote), None)
    origins = sorted({r.origin.name for r in same if r.origin is not None})
    said = [d for r in same if (d := r.said) is not None]
    seen = [d for r in same if (d := r.first_seen) is not None]
    return Statement(
        record=first.record,
        by=first.claim.by,
        stance=first.claim.stance,
        wording=None if count is None else count.text,
        low=None if count is None else count.low,
        high=None if count is None else count.high,
        reported=min(said) if said else first.reported,
        quote=quote,
        sources=sorted({numbers[k] for r in same for k in (r.voice, r.carrier) if k in numbers}),
        date_known=bool(said),
        first_seen=min(seen) if seen else None,
        party=first.party,
        via=origins,
        covers=[i for i in first.incidents if i != first.incidents[0]]
        if len(first.incidents) > 1
        else [],
        kind=None if count is None else count.kind,
        approx=None if count is None else count.approx,
        best=None if count is None else count.best,
        subset=any(r.claim.subset for r in same),
        **extra,  # type: ignore[arg-type]
    )


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
        sides: dict[Stance, list[RawStatement]] = {stance: [] for stance in _STANCES}
        for r in raws:
            sides[r.claim.stance].append(r)
        for stance in _STANCES:
            cells[stance], figures = _cell(stance, sides[stance], numbers, rules.about_tolerance)
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
        if claimed and b.derivation.rule in ("claimed_only", "party_only"):
            flags.append(Flag.CLAIMED_ONLY)
        reference = b.best
        if claimed and reference is not None:  # a claim of 50 against an official 0 too
            top_claim = max(c.low for c in claimed)
            if top_claim > rules.claim_spread_factor * reference:
                flags.append(Flag.CLAIM_SPREAD)
        if any(cell.superseded for cell in cells.values()):
            flags.append(Flag.REVISED)
        out.append(
            FigureRow(
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
    out.sort(key=lambda r: (r.incidents, _OUTCOME_RANK[r.outcome], _GROUP_RANK[r.group]))
    return out
