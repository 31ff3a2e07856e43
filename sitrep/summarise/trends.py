"""This period against earlier ones (ACLED Trendfinder levels)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..model.records import Outcome
from ..model.report import Change, FigureRow, Period, ReportFilter, Trend
from ..reconcile.bounds import FigureRules
from ..reconcile.merge import MergedIncident
from .baseline import PeriodCount, baseline, summarise_incidents
from .totals import total

__all__ = ["PeriodCount", "change_level", "history", "killed_low", "low_activity", "trends"]


def killed_low(rows: Sequence[FigureRow], incident_ids: set[str]) -> int:
    """Conservative killed figure of some incidents, added up as the totals are."""
    mine = [r for r in rows if incident_ids.intersection(r.incidents)]
    return total(mine, Outcome.KILLED, None, None, 0).low


def history(
    incidents: Sequence[MergedIncident],
    period: Period,
    rules: FigureRules,
    periods: int = 30,
    flt: ReportFilter | None = None,
) -> list[PeriodCount]:
    """Incidents and conservative killed figure of the ``periods`` periods before ``period``,
    most recent first, each as known at the end of the current period, counting only the
    incidents that pass the edition's filter (so that an edition compares like with like):
    :func:`~.baseline.baseline` of the incidents' summaries."""
    before = period.start - dt.timedelta(days=1)
    first = period.start - dt.timedelta(days=period.days * periods)
    summaries = summarise_incidents(incidents, period.end, rules, (first, before))
    return baseline(summaries, period, periods, flt)


def change_level(current: float, baseline: float, low_activity: bool = False) -> Change:
    """ACLED's change levels (Trendfinder) for a value against its baseline: more than 25%
    up 'large increase', 10-25% up 'moderate increase', from 25% down to 10% up 'limited
    change', more than 25% down 'large decrease'. Low activity is 'limited change'."""
    if low_activity or current == baseline:
        return Change.LIMITED_CHANGE
    if baseline == 0:
        return Change.LARGE_INCREASE
    change = (current - baseline) / baseline
    if change > 0.25:
        return Change.LARGE_INCREASE
    if change >= 0.10:
        return Change.MODERATE_INCREASE
    if change >= -0.25:
        return Change.LIMITED_CHANGE
    return Change.LARGE_DECREASE


def low_activity(current_incidents: float, baseline_incidents: float) -> bool:
    """ACLED's low-baseline rule: two incidents or fewer on average before, and five or
    fewer now, is too little activity for a percentage to mean anything."""
    return baseline_incidents <= 2 and current_incidents <= 5


def trends(current: PeriodCount, history: Sequence[PeriodCount]) -> list[Trend]:
    """Trends against the previous period and the previous 7 and 30 periods' averages
    (``history[0]`` is the period just before the current one). The low-activity rule
    looks at incidents, for both metrics: a toll is noise when incidents are few."""

    def past(metric: str) -> list[int]:
        return [getattr(p, metric) for p in history]

    def baselines(values: list[int]) -> tuple[int, float, float]:
        return (values[0] if values else 0), sum(values[:7]) / 7, sum(values[:30]) / 30

    quiet = [low_activity(current.incidents, b) for b in baselines(past("incidents"))]
    out = []
    for metric in ("incidents", "killed"):
        now = getattr(current, metric)
        prev, avg7, avg30 = baselines(past(metric))
        out.append(
            Trend(
                metric=metric,
                current=now,
                previous=prev,
                average_7=round(avg7, 2),
                average_30=round(avg30, 2),
                change_previous=change_level(now, prev, quiet[0]),
                change_7=change_level(now, avg7, quiet[1]),
                change_30=change_level(now, avg30, quiet[2]),
            )
        )
    return out


