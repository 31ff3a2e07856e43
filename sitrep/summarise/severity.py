"""How grave an incident is."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.records import Outcome, Record, SubEventType
from ..model.report import FigureRow, Severity


def severity(record: Record, rows: Sequence[FigureRow]) -> Severity:
    """How grave an incident is: by the killed figure (best, else low, else what credible
    vague words imply at least), and territory taken; a toll claimed only by the
    perpetrator, or credible but naming no number ('many dead'), makes it at least
    moderate."""
    killed_rows = [r for r in rows if r.outcome is Outcome.KILLED]
    killed = max((_at_least(r) for r in killed_rows), default=0)
    no_floor = any(r.best is None and (r.high or r.high_open) for r in killed_rows)
    taken = record.sub_event_type is SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY
    if killed >= 50:
        return Severity.CRITICAL
    if killed >= 10 or taken:
        return Severity.MAJOR
    if killed >= 1 or no_floor:  # a claimed toll alone is no evidence of more
        return Severity.MODERATE
    return Severity.MINOR


def _at_least(row: FigureRow) -> int:
    """A row's killed figure for severity: its best, else its low; with no floor, what its
    credible words imply at least ('hundreds' 100, 'dozens' 12, 'many' 1, ACLED's
    reading), which ranks an incident and is never printed. Claims never count."""
    if row.best is not None:
        return row.best
    if row.low is not None:
        return row.low
    if not row.no_floor:
        return 0
    return max((s.low or 0 for s in row.credible_statements()), default=0)
