"""Trend baselines from compact incident summaries.

The baseline of the trends (incidents and the conservative killed figure of each earlier
period) needs, of each earlier incident, only its dates, where it happened, its severity
and its killed rows (group, incidents covered, credible low). :func:`summarise_incidents`
reduces merged incidents to that once; :func:`baseline` counts the earlier periods from the
summaries, for any period length and edition filter. The pipeline caches summaries between
runs (``pipeline/baseline.py``), so a long period's trends need no records at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..model.records import DatePrecision, Group, Outcome
from ..model.report import Period, ReportFilter, Severity
from ..reconcile.bounds import FigureRules
from ..reconcile.figures import figure_rows
from ..reconcile.merge import MergedIncident
from ..reconcile.sources import number_sources
from ..reconcile.statements import AsOf, RawStatement, collect_statements, made_after
from .filters import passes_values
from .period import span_of, spans_in
from .severity import severity
from .totals import low_sum, separate_low


class KilledRow(NamedTuple):
    """A killed row of an incident: its group, the incidents it covers, its credible low."""

    group: Group
    incidents: tuple[str, ...]
    low: int | None


@dataclass(frozen=True)
class PeriodCount:
    """Incidents and conservative killed figure of one earlier period."""

    incidents: int
    killed: int


class IncidentSummary(NamedTuple):
    """What the trends need of one earlier incident, as known at some time (a named tuple:
    a 90-day report reads some 80,000 of them from the cache)."""

    id: str
    day: dt.date
    last_day: dt.date
    precision: DatePrecision
    country: str
    admin1: str | None
    severity: Severity
    killed: tuple[KilledRow, ...]
    latest: dt.date | None
    """The latest day any statement on it was made or published (later ones included):
    the summary holds for any time from then on."""

    def to_json(self) -> list[Any]:
        """The summary as JSON data (the cache's form)."""
        return [
            self.id, self.day.isoformat(), self.last_day.isoformat(), self.precision.value,
            self.country, self.admin1, self.severity.value,
            [[r.group.value, list(r.incidents), r.low] for r in self.killed],
            None if self.latest is None else self.latest.isoformat(),
        ]  # fmt: skip

    @classmethod
    def from_json(cls, data: list[Any]) -> IncidentSummary:
        """A summary back from :meth:`to_json` (enums looked up, not called, and tuples
        made directly: a 90-day report reads some 70,000 of them)."""
        iid, day, last, prec, country, admin1, sev, killed, latest = data
        first = _date(day)
        return _new(cls, (
            iid, first, first if last == day else _date(last), _PRECISION[prec], country,
            admin1, _SEVERITY[sev],
            tuple([_new(KilledRow, (_GROUP[g], tuple(i), low)) for g, i, low in killed]),
            None if latest is None else _date(latest),
        ))  # fmt: skip


_date = dt.date.fromisoformat
_new = tuple.__new__
_PRECISION = {p.value: p for p in DatePrecision}
_SEVERITY = {s.value: s for s in Severity}
_GROUP = {g.value: g for g in Group}


def _said(s: RawStatement) -> dt.date | None:
    days = [d for d in (s.said, s.source.published) if d is not None]
    return max(days, default=None)


def summarise_incidents(
    incidents: Sequence[MergedIncident],
    as_of: AsOf,
    rules: FigureRules,
    between: tuple[dt.date, dt.date] | None = None,
) -> list[IncidentSummary]:
    """The summaries of merged incidents (those whose dates reach into ``between``, if
    given), their figures as known at ``as_of`` (statements made or published later left
    out, as everywhere in a report). A joint figure keeps every incident it covers."""
    if between is not None:
        lo, hi = between
        wanted = {inc.id for inc in incidents if inc.record.last_day >= lo and inc.record.day <= hi}
    else:
        wanted = {inc.id for inc in incidents}
    every = [s for s in collect_statements(incidents) if wanted.intersection(s.incidents)]
    # a summary keeps the killed rows (and the severity they set): only those are reconciled
    known = [s for s in every if s.claim.outcome is Outcome.KILLED
             and not made_after(s.claim.reported, as_of)
             and not made_after(s.source.published, as_of)]  # fmt: skip
    rows = figure_rows(known, number_sources(s.source for s in known), rules)
    rows_of = defaultdict(list)
    for row in rows:
        for i in row.incidents:
            rows_of[i].append(row)
    latest: dict[str, dt.date] = {}
    for s in every:
        said = _said(s)
        for i in s.incidents:
            if said is not None and (i not in latest or said > latest[i]):
                latest[i] = said
    out = []
    for inc in incidents:
        if inc.id not in wanted:
            continue
        rec, mine = inc.record, rows_of[inc.id]
        out.append(IncidentSummary(
            inc.id, rec.day, rec.last_day, rec.date_precision, rec.country, rec.admin1,
            severity(rec, mine),
            tuple(KilledRow(r.group, tuple(r.incidents), r.low)
                  for r in mine if r.outcome is Outcome.KILLED),
            latest.get(inc.id),
        ))  # fmt: skip
    return out


def baseline(
    summaries: Sequence[IncidentSummary],
    period: Period,
    periods: int = 30,
    flt: ReportFilter | None = None,
) -> list[PeriodCount]:
    """Incidents and conservative killed figure of the ``periods`` periods before ``period``,
    most recent first, counting only the incidents that pass the edition's filter (an
    edition compares like with like). An incident counts in an earlier period when it
    certainly falls in it (the rule for "new"); a joint row counts once in a period, and
    never together with the separate figures it overlaps (the totals' rule)."""
    start0 = period.start - dt.timedelta(days=period.days * periods)
    kept = [
        s
        for s in summaries
        if start0 <= s.last_day and s.day < period.start
        and (not flt or flt.is_empty or passes_values(s.country, s.admin1, s.severity, flt))
    ]  # fmt: skip
    # An incident that no joint figure touches adds its own rows' sum to any period it
    # falls in (the rule of low_sum, worked out once); the others are added up by period.
    joint = {i for s in kept for r in s.killed if len(r.incidents) > 1 for i in r.incidents}
    alone = {s.id: separate_low(s.killed) for s in kept if s.id not in joint}
    rows_of = {s.id: s.killed for s in kept if s.id in joint}
    ids_of: list[set[str]] = [set() for _ in range(periods + 1)]
    killed = [0] * (periods + 1)
    start, days = period.start, period.days
    for s in kept:
        if s.precision is DatePrecision.DAY and s.day == s.last_day:
            # most events: one period, found by arithmetic (_earlier_periods' rule)
            k = -(-(start - s.day).days // days)
            ks = [k] if 1 <= k <= periods else []
        else:
            ks = _earlier_periods(s, period, periods)
        for k in ks:
            if s.id not in ids_of[k]:
                ids_of[k].add(s.id)
                killed[k] += alone.get(s.id, 0)
    out = []
    for k in range(1, periods + 1):
        ids = ids_of[k]
        rows = {(r.group, r.incidents): r for i in ids.intersection(rows_of) for r in rows_of[i]}
        out.append(PeriodCount(len(ids), killed[k] + low_sum(list(rows.values()))))
    return out


def _earlier_periods(s: IncidentSummary, period: Period, periods: int) -> list[int]:
    """The earlier periods (1 = the one just before ``period``) an event certainly falls
    in: those its span overlaps, checked by the rule for "new" (``in_period``)."""
    days = period.days
    first, last = span_of(s.day, s.last_day, s.precision)
    exact = s.precision is DatePrecision.DAY
    lowest = max(1, -(-(period.start - last).days // days))
    highest = min(periods, ((period.start - first).days + days - 1) // days)
    out = []
    for k in range(lowest, highest + 1):
        start = period.start - dt.timedelta(days=days * k)
        if spans_in(first, last, exact, start, start + dt.timedelta(days=days - 1)):
            out.append(k)
    return out
