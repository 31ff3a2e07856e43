"""Where an incident goes (new, update, restatement, context) and the headline's blocks:
the period, new information on earlier incidents, claims no other source confirms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..model.records import DatePrecision, Stance, statement_window
from ..model.report import (
    FigureChange,
    FigureRow,
    Incident,
    Period,
    Restated,
    Status,
    UnconfirmedClaim,
)
from ..reconcile.figures import withdraws_nothing
from ..reconcile.merge import MergedIncident
from ..reconcile.sources import SourceNumbers, source_key
from ..reconcile.statements import RawStatement
from .period import in_period, span


def _made_in(claim_time: tuple[dt.datetime, dt.datetime] | None, period: Period) -> bool:
    if claim_time is None:
        return False
    first, last = claim_time
    return period.start <= first.date() and last.date() <= period.end


def _seen_in(published: dt.date | None, period: Period) -> bool:
    return published is not None and period.start <= published <= period.end


def _said_times(
    inc: MergedIncident, statements: Sequence[RawStatement]
) -> list[tuple[tuple[dt.datetime, dt.datetime] | None, dt.date | None]]:
    """(when made, when first seen) of every statement that could be news: figures (less
    those that withdraw nothing) and outcome statements."""
    out = [(s.claim.said(), s.first_seen) for s in withdraws_nothing(statements)]
    for rec in inc.records:
        out += [(o.said(), rec.source(o.source).published) for o in rec.outcomes]
    return out


def placement(
    inc: MergedIncident, statements: Sequence[RawStatement], period: Period,
    as_of: dt.date | dt.datetime | None = None,
) -> Status | None:
    """Where an incident goes: new (it happened in the period), update (an older event
    with a statement *made* in the period), restatement (an older event with a statement
    first *seen* in the period but made earlier or at an unknown date), context (older,
    in the look-back) or nowhere. Speaking again without a figure is not news."""
    rec = inc.record
    if in_period(rec, period.start, period.end):
        return "new"
    if rec.day > period.end:
        return None
    times = _said_times(inc, statements)
    if as_of is not None:
        from ..reconcile.statements import made_after

        times = [(t, seen) for t, seen in times if not made_after(seen, as_of)
                 and not (t and made_after(t[0].date(), as_of))]  # fmt: skip
    if any(_made_in(t, period) for t, _ in times):
        return "update"
    if any(_seen_in(seen, period) for _, seen in times):
        return "restatement"
    _, last = span(rec)
    if last >= period.context_start:
        return "context"
    return None


def restated(
    inc: MergedIncident, statements: Sequence[RawStatement], period: Period,
    numbers: SourceNumbers,
) -> Restated | None:
    """Who restated an incident's statements in the period, and when they were first said."""
    seen = [s for s in statements if _seen_in(s.first_seen, period)]
    outcome_seen = [(rec, o) for rec in inc.records for o in rec.outcomes
                    if _seen_in(rec.source(o.source).published, period)]  # fmt: skip
    if not seen and not outcome_seen:
        return None
    sources = {numbers[k] for s in seen if (k := source_key(s.source)) in numbers}
    sources |= {numbers[k] for rec, o in outcome_seen
                if (k := source_key(rec.source(o.source))) in numbers}  # fmt: skip
    days = [s.first_seen for s in seen if s.first_seen] + [
        p for rec, o in outcome_seen if (p := rec.source(o.source).published)
    ]
    said = [(s.claim.reported, s.claim.reported_precision) for s in seen if s.claim.reported]
    said += [(o.reported, o.reported_precision) for _, o in outcome_seen if o.reported]
    first = min(said, key=lambda x: statement_window(*x) or (dt.datetime.max,) * 2, default=None)
    day = None
    if first is not None:
        day = first[0].date() if isinstance(first[0], dt.datetime) else first[0]
    names = sorted({s.source.name for s in seen} | {rec.source(o.source).name
                                                     for rec, o in outcome_seen})
    return Restated(
        sources=sorted(sources),
        names=names,
        seen=min(days),
        first_said=day,
        first_said_precision=first[1] if first else DatePrecision.DAY,
    )


def _key(row: FigureRow) -> tuple[object, ...]:
    return (tuple(row.incidents), row.group, row.outcome)


def new_information(
    updates: Sequence[Incident], before: Sequence[FigureRow]
) -> list[FigureChange]:
    """For each update, the rows whose credible figures changed: before the period and now.
    A row with no floor (no credible low: only claims, or only vague figures) reads as no
    credible figure, so one that had none before and has none now is left out."""
    was = {_key(r): r for r in before}
    out = []
    for inc in updates:
        for row in inc.figures:
            if row.incident != inc.id:
                continue
            old = was.get(_key(row))
            then = (None, None, False) if old is None or old.low is None else (
                old.low, old.credible_high, old.credible_high_open)
            now = (None, None, False) if row.low is None else (
                row.low, row.credible_high, row.credible_high_open)
            if then != now:
                out.append(FigureChange(
                    incident=inc.id, group=row.group, outcome=row.outcome,
                    before_low=then[0], before_high=then[1], before_open=then[2],
                    low=now[0], high=now[1], high_open=now[2],
                ))  # fmt: skip
    return out


def unconfirmed(incidents: Sequence[Incident]) -> list[UnconfirmedClaim]:
    """Claims (and party claims) that no other source confirms: a row where no speaker who
    is neither claiming nor a party gave a specific figure (a vague 'many' confirms no
    number)."""
    out = []
    for inc in incidents:
        for row in inc.figures:
            if row.incident != inc.id or row.derivation.rule == "credible":
                continue
            for cell in (row.claimed, row.official, row.independent):
                for st in cell.statements:
                    if st.kind is not None and (st.stance is Stance.CLAIMED or st.party):
                        out.append(UnconfirmedClaim(incident=inc.id, group=row.group,
                                                    outcome=row.outcome, statement=st))  # fmt: skip
    return out
