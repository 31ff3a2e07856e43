"""The reconciled incidents of a period into a report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..errors import Problem
from ..model.records import Outcome, country_name
from ..model.report import (
    DataQuality,
    FigureRow,
    Incident,
    KeyFigures,
    Merge,
    Period,
    ProblemOut,
    Report,
    ReportFilter,
    SourceRef,
    Status,
)
from ..reconcile.figures import FigureRules, RawStatement, collect_statements, figure_rows
from ..reconcile.merge import MergedIncident
from ..reconcile.sources import SourceNumbers, source_key
from ..wording.sentences import developments
from .filters import _passes
from .period import _span, date_text, in_period, short_label
from .severity import severity
from .totals import _totals
from .trends import PeriodCount, _killed_low, trends


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


