"""Summarising: the reconciled incidents of a period into a :class:`~sitrep.report.Report`.

Places incidents in the period (new, update or context), numbers the sources, adds up
totals without inventing precision, compares with earlier periods and writes the key
developments from the data, keeping attribution and hedging.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .errors import Problem
from .models import DatePrecision, Group, Outcome, Record, SubEventType, country_name
from .reconcile import (
    FigureRules,
    MergedIncident,
    RawStatement,
    SourceNumbers,
    collect_statements,
    figure_rows,
    number_sources,
    source_key,
)
from .report import (
    DataQuality,
    FigureRow,
    Incident,
    KeyFigures,
    Merge,
    Period,
    ProblemOut,
    Report,
    ReportFilter,
    Severity,
    SourceRef,
    Status,
    Total,
    Trend,
)
from .sentences import developments
from .totals import total

# Days either side of the stated date that a day- or week-precision event may fall on
# (a month-precision event falls in its calendar month: see _span).
PLACEMENT_SLACK = {DatePrecision.DAY: 0, DatePrecision.WEEK: 3}


def make_period(start: dt.date, end: dt.date, timezone: str, lookback_days: int = 30) -> Period:
    """The period from ``start`` to ``end`` (inclusive), with its look-back window."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    days = (end - start).days + 1
    if days == 1:
        label = f"{start.day} {start:%B %Y}"
    elif start.year == end.year:
        label = f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    else:
        label = f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"
    return Period(
        start=start,
        end=end,
        timezone=timezone,
        label=label,
        context_start=start - dt.timedelta(days=lookback_days),
    )


def date_text(record: Record) -> str:
    """The event date as a reader should see it: '1 June 2025', 'mid-May 2025', 'May 2025'."""
    d = record.day
    if record.date_precision is DatePrecision.MONTH:
        return f"{d:%B %Y}"
    if record.date_precision is DatePrecision.WEEK:
        part = "early" if d.day <= 10 else ("mid" if d.day <= 20 else "late")
        return f"{part}-{d:%B %Y}"
    if record.end_date and record.end_date != d:
        e = record.end_date
        if (e.year, e.month) == (d.year, d.month):
            return f"{d.day}–{e.day} {e:%B %Y}"
        return f"{d.day} {d:%B} – {e.day} {e:%B %Y}"
    return f"{d.day} {d:%B %Y}"


def short_label(record: Record) -> str:
    """'Boulkessi, 1 Jun' (or 'Djibo, mid-May')."""
    d = record.day
    if record.date_precision is DatePrecision.DAY:
        return f"{record.location}, {d.day} {d:%b}"
    return f"{record.location}, {date_text(record).rsplit(' ', 1)[0]}"


def _span(record: Record) -> tuple[dt.date, dt.date]:
    """The days the event may fall on: a ``month``-precision event, its calendar month
    (ACLED's time_precision 3); a ``week``-precision one, three days either side."""
    if record.date_precision is DatePrecision.MONTH:
        first = record.day.replace(day=1)
        last = record.last_day.replace(day=calendar.monthrange(*record.last_day.timetuple()[:2])[1])
        return first, last
    slack = dt.timedelta(days=PLACEMENT_SLACK[record.date_precision])
    return record.day - slack, record.last_day + slack


def in_period(record: Record, start: dt.date, end: dt.date) -> bool:
    """The event certainly falls in the period: its whole date uncertainty lies within it
    (a ``month``-precision event is never placed on a single report day)."""
    first, last = _span(record)
    if record.date_precision is DatePrecision.DAY:
        return first <= end and last >= start
    return first >= start and last <= end


def severity(record: Record, rows: Sequence[FigureRow]) -> Severity:
    """How grave an incident is: by the killed figure (best, else low), and territory taken;
    a toll claimed only by the perpetrator makes it at least moderate, never more."""
    killed_rows = [r for r in rows if r.outcome is Outcome.KILLED]
    killed = max((r.best if r.best is not None else (r.low or 0) for r in killed_rows), default=0)
    claimed_only = any(r.best is None and (r.high or r.high_open) for r in killed_rows)
    taken = record.sub_event_type is SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY
    if killed >= 50:
        return Severity.CRITICAL
    if killed >= 10 or taken:
        return Severity.MAJOR
    if killed >= 1 or claimed_only:  # a claimed toll alone is not evidence of more
        return Severity.MODERATE
    return Severity.MINOR


# --- trends ----------------------------------------------------------------------------


def _killed_low(rows: Sequence[FigureRow], incident_ids: set[str]) -> int:
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
    incidents that pass the edition's filter (so that an edition compares like with like)."""
    days = period.days
    start0 = period.start - dt.timedelta(days=days * periods)
    relevant = [
        inc for inc in incidents if start0 <= inc.record.last_day and inc.record.day < period.start
    ]
    statements = collect_statements(relevant, as_of=period.end)
    numbers = number_sources(s.source for s in statements)  # not shown: any order will do
    rows = figure_rows(statements, numbers, {}, rules)
    if flt and not flt.is_empty:
        rows_of: dict[str, list[FigureRow]] = defaultdict(list)
        for row in rows:
            for i in row.incidents:
                rows_of[i].append(row)
        relevant = [inc for inc in relevant if _record_passes(inc.record, rows_of[inc.id], flt)]
    out = []
    for k in range(1, periods + 1):
        start = period.start - dt.timedelta(days=days * k)
        end = start + dt.timedelta(days=days - 1)
        ids = {inc.id for inc in relevant if in_period(inc.record, start, end)}
        out.append(PeriodCount(len(ids), _killed_low(rows, ids)))
    return out


def change_level(current: float, baseline: float, low_activity: bool = False) -> str:
    """ACLED's change levels (Trendfinder) for a value against its baseline: more than 25%
    up 'large increase', 10-25% up 'moderate increase', from 25% down to 10% up 'limited
    change', more than 25% down 'large decrease'. Low activity is 'limited change'."""
    if low_activity or current == baseline:
        return "limited change"
    if baseline == 0:
        return "large increase"
    change = (current - baseline) / baseline
    if change > 0.25:
        return "large increase"
    if change >= 0.10:
        return "moderate increase"
    if change >= -0.25:
        return "limited change"
    return "large decrease"


def low_activity(current_incidents: float, baseline_incidents: float) -> bool:
    """ACLED's low-baseline rule: two incidents or fewer on average before, and five or
    fewer now, is too little activity for a percentage to mean anything."""
    return baseline_incidents <= 2 and current_incidents <= 5


@dataclass(frozen=True)
class PeriodCount:
    """Incidents and conservative killed figure of one earlier period."""

    incidents: int
    killed: int


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


# --- the report ----------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryInputs:
    """Everything summarise needs besides the incidents."""

    title: str
    period: Period
    generated_at: dt.datetime
    filter: ReportFilter
    problems: Sequence[Problem]
    skipped: Sequence[str]
    records_loaded: int
    rules: FigureRules


def _placed(
    inc: MergedIncident, statements: Sequence[RawStatement], period: Period
) -> Status | None:
    rec = inc.record
    if in_period(rec, period.start, period.end):
        return "new"
    if rec.day > period.end:
        return None
    # A speaker who gave a figure and later spoke without one has said nothing new.
    gave_figure = {
        (s.speaker, s.claim.group, s.claim.outcome) for s in statements if s.claim.count is not None
    }
    news = [
        s
        for s in statements
        if s.claim.count is not None
        or (s.speaker, s.claim.group, s.claim.outcome) not in gave_figure
    ]
    if any(s.reported and period.start <= s.reported <= period.end for s in news):
        return "update"
    _, last = _span(rec)
    if last >= period.context_start:
        return "context"
    return None


def _number_sources(incidents: Sequence[MergedIncident]) -> tuple[SourceNumbers, list[SourceRef]]:
    numbers: SourceNumbers = {}
    refs: dict[int, tuple[str, str | None, dt.date | None, set[str]]] = {}
    for inc in incidents:
        for rec in inc.records:
            for s in sorted(rec.sources, key=lambda s: (s.published or dt.date.min, s.name)):
                key = source_key(s)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    refs[numbers[key]] = (s.name, s.url, s.published, set())
                refs[numbers[key]][3].add(rec.id)
    out = [
        SourceRef(number=n, name=name, url=url, published=pub, records=sorted(recs))
        for n, (name, url, pub, recs) in sorted(refs.items())
    ]
    return numbers, out


def _passes_filter(country: str, admin1: str | None, grade: Severity, flt: ReportFilter) -> bool:
    if flt.countries and country not in flt.countries:
        return False
    if flt.admin1 and (admin1 or "").casefold() not in {a.casefold() for a in flt.admin1}:
        return False
    return grade.rank >= flt.min_severity.rank


def _record_passes(rec: Record, rows: Sequence[FigureRow], flt: ReportFilter) -> bool:
    return _passes_filter(rec.country, rec.admin1, severity(rec, rows), flt)


def _passes(inc: Incident, flt: ReportFilter) -> bool:
    return _passes_filter(inc.country, inc.admin1, inc.severity, flt)


def summarise(
    incidents: Sequence[MergedIncident], inputs: SummaryInputs, history: Sequence[PeriodCount] = ()
) -> Report:
    """Build the report of one period from the merged incidents (all those known up to the
    end of the period; earlier ones give context and trends)."""
    period = inputs.period
    by_id = {inc.id: inc for inc in incidents}
    statements = collect_statements(incidents, as_of=period.end)
    per_incident: dict[str, list[RawStatement]] = defaultdict(list)
    for s in statements:
        for i in s.incidents:
            per_incident[i].append(s)
    status = {inc.id: _placed(inc, per_incident[inc.id], period) for inc in incidents}
    shown = [inc for inc in incidents if status[inc.id]]
    order = {"new": 0, "update": 1, "context": 2}
    shown.sort(
        key=lambda inc: (order[status[inc.id] or "context"], -inc.record.day.toordinal(), inc.id)
    )
    labels = {inc.id: short_label(inc.record) for inc in shown}

    def reconciled(
        chosen: list[MergedIncident],
    ) -> tuple[list[SourceRef], list[FigureRow], list[Incident]]:
        # Rows and incident log of these incidents, numbering only their sources.
        ids = {inc.id for inc in chosen}
        numbers, sources = _number_sources(chosen)
        mine = [s for s in statements if ids.intersection(s.incidents)]
        rows = figure_rows(mine, numbers, labels, inputs.rules)
        return sources, rows, _log(chosen, status, rows, numbers)

    sources, rows, log = reconciled(shown)
    if not inputs.filter.is_empty:  # severity needs the rows: filter, then reconcile again
        sources, rows, log = reconciled([by_id[i.id] for i in log if _passes(i, inputs.filter)])
    kept_ids = {i.id for i in log}
    current_ids = {i.id for i in log if i.status in ("new", "update")}
    table = [r for r in rows if current_ids.intersection(r.incidents)]
    totals = _totals(table, log, {inc.id: inc.record.country for inc in incidents})
    killed_all = next(
        t for t in totals if t.country is None and t.group is None and t.outcome is Outcome.KILLED
    )
    new = [i for i in log if i.status == "new"]
    updates = [i for i in log if i.status == "update"]
    key = KeyFigures(
        incidents=len(new),
        updates=len(updates),
        countries=sorted({i.country for i in log if i.status != "context"}),
        killed=[
            t
            for t in totals
            if t.country is None
            and t.group is not None
            and t.outcome is Outcome.KILLED
            and t.incidents
        ],
        killed_all=killed_all,
    )
    new_ids = {i.id for i in new}
    current = PeriodCount(len(new), _killed_low(table, new_ids))
    as_of = max((s.reported for s in statements if s.reported), default=None)
    return Report(
        title=inputs.title,
        filter=inputs.filter,
        period=period,
        generated_at=inputs.generated_at,
        data_as_of=None
        if as_of is None
        else dt.datetime.combine(as_of, dt.time(23, 59), ZoneInfo(period.timezone)),
        key_figures=key,
        developments=developments(log, table, key, period, first_in_region(log, incidents)),
        table=table,
        incidents=log,
        totals=totals,
        trends=trends(current, history) if history else [],
        sources=sources,
        data_quality=DataQuality(
            problems=[
                ProblemOut(
                    file=p.file, line=p.line, record=p.record, field=p.field, message=p.message
                )
                for p in inputs.problems
            ],
            skipped_records=list(inputs.skipped),
            merges=[
                Merge(incident=inc.id, records=[r.id for r in inc.records], reasons=inc.reasons)
                for inc in shown
                if len(inc.records) > 1 and inc.id in kept_ids
            ],
            records_loaded=inputs.records_loaded,
        ),
    )


def first_in_region(
    log: Sequence[Incident], incidents: Sequence[MergedIncident], days: int = 30
) -> frozenset[str]:
    """New incidents that are the first in their admin1 region for ``days`` days: no other
    known incident there in the days before, while the data does cover the country then
    (so that a gap in the data is not mistaken for calm)."""
    seen: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for merged in incidents:
        rec = merged.record
        seen[(rec.country, "")].append(rec.day)
        if rec.admin1:
            seen[(rec.country, rec.admin1.casefold())].append(rec.day)
    novel = set()
    for inc in log:
        if inc.status != "new" or not inc.admin1:
            continue
        since = inc.date - dt.timedelta(days=days)

        def before(key: tuple[str, str], since: dt.date = since, day: dt.date = inc.date) -> bool:
            return any(since <= d < day for d in seen[key])

        if before((inc.country, "")) and not before((inc.country, inc.admin1.casefold())):
            novel.add(inc.id)
    return frozenset(novel)


def _log(
    incidents: Sequence[MergedIncident],
    status: dict[str, Status | None],
    rows: Sequence[FigureRow],
    numbers: SourceNumbers,
) -> list[Incident]:
    rows_of: dict[str, list[FigureRow]] = defaultdict(list)
    for row in rows:
        for i in row.incidents:
            rows_of[i].append(row)
    return [
        _incident(inc, status[inc.id] or "context", rows_of[inc.id], numbers) for inc in incidents
    ]


def _incident(
    inc: MergedIncident, status: Status, rows: list[FigureRow], numbers: SourceNumbers
) -> Incident:
    rec = inc.record
    return Incident(
        id=inc.id,
        records=[r.id for r in inc.records],
        status=status,
        date=rec.day,
        end_date=rec.end_date,
        date_precision=rec.date_precision,
        date_text=date_text(rec),
        country=rec.country,
        country_name=country_name(rec.country),
        admin1=rec.admin1,
        admin2=rec.admin2,
        location=rec.location,
        aliases=rec.aliases,
        latitude=rec.latitude,
        longitude=rec.longitude,
        event_type=rec.event_type,
        sub_event_type=rec.sub_event_type,
        perpetrator=rec.perpetrator,
        target=rec.target,
        title=rec.title,
        summary=rec.summary,
        tags=rec.tags,
        severity=severity(rec, rows),
        sources=sorted({numbers[source_key(s)] for s in rec.sources if source_key(s) in numbers}),
        figures=rows,
    )


def _totals(
    table: Sequence[FigureRow], log: Sequence[Incident], country_of: dict[str, str] | None = None
) -> list[Total]:
    """Totals for all countries and per country. ``country_of`` gives the country of every
    incident, including those a filter left out that share a joint figure with one kept."""
    country_of = {**(country_of or {}), **{i.id: i.country for i in log}}
    shown = {i.id for i in log}
    out: list[Total] = []
    countries: list[str | None] = [None, *sorted({i.country for i in log if i.status != "context"})]
    for country in countries:
        rows = [
            r
            for r in table
            if country is None or {country_of.get(i) for i in r.incidents} == {country}
        ]
        for outcome in Outcome:
            for group in [None, *Group]:
                chosen = [
                    r for r in rows if r.outcome is outcome and (group is None or r.group is group)
                ]
                if not chosen and not (
                    country is None and group is None and outcome is Outcome.KILLED
                ):
                    continue
                n = len({i for r in chosen for i in r.incidents if i in shown})
                out.append(total(rows, outcome, country, group, n))
    return out
