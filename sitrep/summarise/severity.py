"""How grave an incident is."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.records import Outcome, Record, SubEventType
from ..model.report import FigureRow, Severity


def severity(record: Record, rows: Sequence[FigureRow]) -> Severity:
    """How grave an incident is: by the killed figure (best, else low), and territory taken;
    a toll with no floor, claimed only by the perpetrator or credible but vague ('many
    dead'), makes it at least moderate, never more."""
    killed_rows = [r for r in rows if r.outcome is Outcome.KILLED]
    killed = max((r.best if r.best is not None else (r.low or 0) for r in killed_rows), default=0)
    no_floor = any(r.best is None and (r.high or r.high_open) for r in killed_rows)
    taken = record.sub_event_type is SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY
    if killed >= 50:
        return Severity.CRITICAL
    if killed >= 10 or taken:
        return Severity.MAJOR
    if killed >= 1 or no_floor:  # a claimed or vague toll alone is no evidence of more
        return Severity.MODERATE
    return Severity.MINOR


