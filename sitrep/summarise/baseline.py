"""Trend baselines from compact incident summaries.

The baseline of the trends (incidents and the conservative killed figure of each earlier
period) needs, of each earlier incident, only its dates, where it happened, its severity
and its killed rows (group, incidents covered, credible low). :func:`summarise_incidents`
reduces merged incidents to that once; :func:`baseline` counts the earlier periods from the
summaries, for any period length and edition filter. The pipeline caches summaries between
runs (``pipeline/baseline.py``), so a long period's trends need no records at all: by
column (:class:`Earlier`), with what an incident adds to a period alone worked out before
they are cached.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
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
    """What the trends need of one earlier incident, as known at some time."""

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


@dataclass
class Earlier:
    """Incident summaries by column: the trend cache's form, and what :func:`baseline`
    counts. A 90-day report reads some 70,000 of them, and of most the baseline needs only
    their dates, place, severity and what they add to a period alone (``alone``); their
    killed rows stay JSON text (``killed``), read for the few a joint figure touches."""

    ids: list[str] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    """First days, as ordinals."""
    lasts: list[int] = field(default_factory=list)
    """Last days, as ordinals."""
    precisions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    admin1s: list[str | None] = field(default_factory=list)
    severities: list[str] = field(default_factory=list)
    alone: list[int] = field(default_factory=list)
    """The conservative sum of the incident's own killed rows (:func:`separate_low`)."""
    joint: list[bool] = field(default_factory=list)
    """Whether a killed row of the incident covers other incidents too."""
    killed: list[str] = field(default_factory=list)
    """The killed rows as JSON text: ``[[group, [incident, ...], low], ...]``."""
    latest: list[int | None] = field(default_factory=list)
    """:attr:`IncidentSummary.latest`, as ordinals."""

    @classmethod
    def of(cls, summaries: Iterable[IncidentSummary]) -> Earlier:
        """The summaries by column."""
        out = cls()
        for s in summaries:
            out.ids.append(s.id)
            out.days.append(s.day.toordinal())
            out.lasts.append(s.last_day.toordinal())
            out.precisions.append(s.precision.value)
            out.countries.append(s.country)
            out.admin1s.append(s.admin1)
            out.severities.append(s.severity.value)
            out.alone.append(separate_low(s.killed))
            out.joint.append(any(len(r.incidents) > 1 for r in s.killed))
            out.killed.append(json.dumps([[r.group.value, list(r.incidents), r.low]
                                          for r in s.killed], separators=(",", ":")))  # fmt: skip
            out.latest.append(None if s.latest is None else s.latest.toordinal())
        return out

    @classmethod
    def join(cls, parts: Iterable[Earlier]) -> Earlier:
        """Several months' summaries, in turn."""
        out = cls()
        for part in parts:
            for column in fields(cls):
                getattr(out, column.name).extend(getattr(part, column.name))
        return out

    def to_json(self) -> dict[str, list[Any]]:
        """The columns as JSON data (the cache's form)."""
        return {column.name: getattr(self, column.name) for column in fields(self)}

    @classmethod
    def from_json(cls, data: dict[str, list[Any]]) -> Earlier:
        """The columns back from :meth:`to_json`."""
        return cls(**{column.name: data[column.name] for column in fields(cls)})

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def horizon(self) -> dt.date | None:
        """The latest day any statement on these incidents was made or published."""
        latest = max((d for d in self.latest if d is not None), default=None)
        return None if latest is None else dt.date.fromordinal(latest)

    def rows(self, i: int) -> tuple[KilledRow, ...]:
        """The killed rows of summary ``i``."""
        return tuple(KilledRow(_GROUP[g], tuple(incidents), low)
                     for g, incidents, low in json.loads(self.killed[i]))  # fmt: skip


_DAY = DatePrecision.DAY.value
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
    summaries: Earlier | Sequence[IncidentSummary],
    period: Period,
    periods: int = 30,
    flt: ReportFilter | None = None,
) -> list[PeriodCount]:
    """Incidents and conservative killed figure of the ``periods`` periods before ``period``,
    most recent first, counting only the incidents that pass the edition's filter (an
    edition compares like with like). An incident counts in an earlier period when it
    certainly falls in it (the rule for "new"); a joint row counts once in a period, and
    never together with the separate figures it overlaps (the totals' rule)."""
    e = summaries if isinstance(summaries, Earlier) else Earlier.of(summaries)
    start, days = period.start.toordinal(), period.days
    start0 = start - days * periods
    kept = [i for i, (first, last) in enumerate(zip(e.days, e.lasts, strict=True))
            if start0 <= last and first < start]  # fmt: skip
    if flt and not flt.is_empty:
        kept = [
            i for i in kept
            if passes_values(e.countries[i], e.admin1s[i], _SEVERITY[e.severities[i]], flt)
        ]  # fmt: skip
    # An incident that no joint figure touches adds its own rows' sum to any period it
    # falls in (the rule of low_sum, worked out once); the others are added up by period.
    read = {k: e.rows(k) for k in kept if e.joint[k]}  # the JSON text read once
    joint = {i for rows in read.values() for r in rows if len(r.incidents) > 1
             for i in r.incidents}  # fmt: skip
    alone = {e.ids[k]: e.alone[k] for k in kept if e.ids[k] not in joint}
    rows_of = {e.ids[k]: read[k] if k in read else e.rows(k) for k in kept if e.ids[k] in joint}
    ids_of: list[set[str]] = [set() for _ in range(periods + 1)]
    killed = [0] * (periods + 1)
    for k in kept:
        iid, first, last = e.ids[k], e.days[k], e.lasts[k]
        if first == last and e.precisions[k] == _DAY:
            # most events: one period, found by arithmetic (_earlier_periods' rule)
            n = -(-(start - first) // days)
            ns = [n] if 1 <= n <= periods else []
        else:
            ns = _earlier_periods(dt.date.fromordinal(first), dt.date.fromordinal(last),
                                  _PRECISION[e.precisions[k]], period, periods)  # fmt: skip
        for n in ns:
            if iid not in ids_of[n]:
                ids_of[n].add(iid)
                killed[n] += alone.get(iid, 0)
    out = []
    for n in range(1, periods + 1):
        ids = ids_of[n]
        # Each incident a joint row covers holds a copy of it; copies summarised in different
        # months may differ, and the one kept must not depend on a set's order (which
        # changes from one process to the next): the last incident's, by id.
        rows = {(r.group, r.incidents): r
                for i in sorted(ids.intersection(rows_of)) for r in rows_of[i]}  # fmt: skip
        out.append(PeriodCount(len(ids), killed[n] + low_sum(list(rows.values()))))
    return out


def _earlier_periods(
    day: dt.date, last_day: dt.date, precision: DatePrecision, period: Period, periods: int
) -> list[int]:
    """The earlier periods (1 = the one just before ``period``) an event certainly falls
    in: those its span overlaps, checked by the rule for "new" (``in_period``)."""
    days, start = period.days, period.start.toordinal()
    first, last = (d.toordinal() for d in span_of(day, last_day, precision))
    exact = precision is DatePrecision.DAY
    lowest = max(1, -(-(start - last) // days))
    highest = min(periods, (start - first + days - 1) // days)
    return [
        k
        for k in range(lowest, highest + 1)
        if spans_in(first, last, exact, start - days * k, start - days * (k - 1) - 1)
    ]
