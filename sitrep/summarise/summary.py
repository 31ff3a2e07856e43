"""The reconciled incidents of a period into a report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..errors import Problem
from ..model.records import Outcome, Source
from ..model.report import (
    DataQuality,
    FigureRow,
    Incident,
    KeyFigures,
    Merge,
    Period,
    Place,
    Report,
    ReportFilter,
    SourceRef,
    Status,
    Total,
)
from ..reconcile.figures import (
    FigureRules,
    RawStatement,
    collect_statements,
    figure_rows,
    withdraws_nothing,
)
from ..reconcile.merge import MergedIncident
from ..reconcile.sources import SourceNumbers, number_sources, source_key
from .daily import daily_counts
from .developments import first_in_region, key_developments
from .filters import passes
from .period import in_period, span
from .severity import severity
from .totals import period_totals
from .trends import PeriodCount, killed_low, trends


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
    language: str = "en"


def placement(
    inc: MergedIncident, statements: Sequence[RawStatement], period: Period
) -> Status | None:
    """Where an incident goes in the report: new (it happened in the period), update (a
    statement of the period about an older event), context (older, in the look-back) or
    nowhere. Speaking again without a figure is not news."""
    rec = inc.record
    if in_period(rec, period.start, period.end):
        return "new"
    if rec.day > period.end:
        return None
    if any(s.reported and period.start <= s.reported <= period.end
           for s in withdraws_nothing(statements)):  # fmt: skip
        return "update"
    _, last = span(rec)
    if last >= period.context_start:
        return "context"
    return None


def _sources(
    incidents: Sequence[MergedIncident], statements: Sequence[RawStatement]
) -> tuple[SourceNumbers, list[SourceRef]]:
    """The incidents' sources numbered in order of appearance, then those of statements
    that reach them from elsewhere (a joint figure coded on an incident not shown), and
    the report's list."""
    ordered: list[tuple[str, Source]] = [
        (rec.id, s)
        for inc in incidents
        for rec in inc.records
        for s in sorted(rec.sources, key=lambda s: (s.published or dt.date.min, s.name))
    ]
    ordered += [(s.record, s.source) for s in statements]
    numbers = number_sources(s for _, s in ordered)
    records: dict[int, set[str]] = defaultdict(set)
    for record_id, s in ordered:
        records[numbers[source_key(s)]].add(record_id)
    refs = [
        SourceRef(number=n, name=name, url=url, published=published, records=sorted(records[n]))
        for (name, url, published), n in numbers.items()
    ]
    return numbers, refs


@dataclass
class _Placed:
    """The incidents a report shows and what their statements say, before filtering."""

    statements: list[RawStatement]
    status: dict[str, Status | None]
    shown: list[MergedIncident]
    places: dict[str, Place]

    def reconcile(
        self, chosen: Sequence[MergedIncident], rules: FigureRules
    ) -> tuple[list[SourceRef], list[FigureRow], list[Incident]]:
        """Rows and incident log of these incidents, numbering only their sources."""
        ids = {inc.id for inc in chosen}
        mine = [s for s in self.statements if ids.intersection(s.incidents)]
        numbers, sources = _sources(chosen, mine)
        rows = figure_rows(mine, numbers, rules, self.places)
        rows_of: dict[str, list[FigureRow]] = defaultdict(list)
        for row in rows:
            for i in row.incidents:
                rows_of[i].append(row)
        log = [
            _incident(inc, self.status[inc.id] or "context", rows_of[inc.id], numbers)
            for inc in chosen
        ]
        return sources, rows, log


def _place(incidents: Sequence[MergedIncident], period: Period) -> _Placed:
    statements = collect_statements(incidents, as_of=period.end)
    per_incident: dict[str, list[RawStatement]] = defaultdict(list)
    for s in statements:
        for i in s.incidents:
            per_incident[i].append(s)
    status = {inc.id: placement(inc, per_incident[inc.id], period) for inc in incidents}
    order = {"new": 0, "update": 1, "context": 2}
    shown = sorted(
        (inc for inc in incidents if status[inc.id]),
        key=lambda inc: (order[status[inc.id] or "context"], -inc.record.day.toordinal(), inc.id),
    )
    places = {
        inc.id: Place(location=inc.record.location, date=inc.record.day,
                      date_precision=inc.record.date_precision, end_date=inc.record.end_date)
        for inc in incidents
    }  # fmt: skip
    return _Placed(statements, status, shown, places)


def _key_figures(log: Sequence[Incident], totals: Sequence[Total]) -> KeyFigures:
    killed = [t for t in totals if t.country is None and t.outcome is Outcome.KILLED]
    return KeyFigures(
        incidents=sum(1 for i in log if i.status == "new"),
        updates=sum(1 for i in log if i.status == "update"),
        countries=sorted({i.country for i in log if i.status != "context"}),
        killed=[t for t in killed if t.group is not None and t.incidents],
        killed_all=next(t for t in killed if t.group is None),
    )


def summarise(
    incidents: Sequence[MergedIncident], inputs: SummaryInputs, history: Sequence[PeriodCount] = ()
) -> Report:
    """Build the report of one period from the merged incidents (all those known up to the
    end of the period; earlier ones give context and trends)."""
    period = inputs.period
    placed = _place(incidents, period)
    sources, rows, log = placed.reconcile(placed.shown, inputs.rules)
    if not inputs.filter.is_empty:  # severity needs the rows: filter, then reconcile again
        by_id = {inc.id: inc for inc in incidents}
        kept = [by_id[i.id] for i in log if passes(i, inputs.filter)]
        sources, rows, log = placed.reconcile(kept, inputs.rules)
    current_ids = {i.id for i in log if i.status in ("new", "update")}
    table = [r for r in rows if current_ids.intersection(r.incidents)]
    totals = period_totals(table, log, {inc.id: inc.record.country for inc in incidents})
    key = _key_figures(log, totals)
    new_ids = {i.id for i in log if i.status == "new"}
    as_of = max((s.reported for s in placed.statements if s.reported), default=None)
    kept_ids = {i.id for i in log}
    return Report(
        title=inputs.title,
        language=inputs.language,
        filter=inputs.filter,
        period=period,
        generated_at=inputs.generated_at,
        data_as_of=None
        if as_of is None
        else dt.datetime.combine(as_of, dt.time(23, 59), ZoneInfo(period.timezone)),
        key_figures=key,
        key_developments=key_developments(log, table, period, first_in_region(log, incidents)),
        table=table,
        incidents=log,
        totals=totals,
        trends=trends(PeriodCount(len(new_ids), killed_low(table, new_ids)), history)
        if history
        else [],
        sources=sources,
        data_quality=DataQuality(
            problems=list(inputs.problems),
            skipped_records=list(inputs.skipped),
            merges=[
                Merge(incident=inc.id, records=[r.id for r in inc.records], links=inc.reasons)
                for inc in placed.shown
                if len(inc.records) > 1 and inc.id in kept_ids
            ],
            records_loaded=inputs.records_loaded,
        ),
        daily=daily_counts(log, period.end),
    )


def _incident(
    inc: MergedIncident, status: Status, rows: list[FigureRow], numbers: SourceNumbers
) -> Incident:
    rec = inc.record
    return Incident(
        id=inc.id,
        records=[r.id for r in inc.records],
        status=status,
        **{**rec.event(), "date": rec.day},
        severity=severity(rec, rows),
        sources=sorted({numbers[source_key(s)] for s in rec.sources if source_key(s) in numbers}),
        figures=rows,
    )
