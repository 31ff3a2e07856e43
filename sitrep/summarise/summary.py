"""The reconciled incidents of a period into a report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..errors import Problem
from ..model.records import Outcome
from ..model.report import (
    DataQuality,
    FigureRow,
    Incident,
    KeyFigures,
    Merge,
    OutcomeView,
    Period,
    Place,
    PossibleDuplicate,
    Report,
    ReportFilter,
    Restated,
    SourceRef,
    Status,
    Total,
)
from ..reconcile.bounds import FigureRules
from ..reconcile.figures import figure_rows
from ..reconcile.merge import MergedIncident
from ..reconcile.outcomes import outcome_views
from ..reconcile.sources import (
    SourceKey,
    SourceNumbers,
    number_keys,
    number_sources,
    source_key,
)
from ..reconcile.statements import AsOf, RawStatement, known_statements, outcomes_after
from .daily import daily_counts
from .developments import first_in_region, key_developments
from .filters import passes
from .headline import new_information, placement, restated, unconfirmed
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
    as_of: dt.datetime | None = None
    """Statements made or published after this are left out (default: the period's end)."""
    possible_duplicates: Sequence[PossibleDuplicate] = ()


def _sources(
    incidents: Sequence[MergedIncident], statements: Sequence[RawStatement]
) -> tuple[SourceNumbers, list[SourceRef]]:
    """The incidents' sources numbered in order of appearance, then those of statements
    that reach them from elsewhere (a joint figure coded on an incident not shown), and
    the report's list."""
    ordered: list[tuple[str, SourceKey]] = [
        (rec.id, source_key(s))
        for inc in incidents
        for rec in inc.records
        for s in sorted(rec.sources, key=lambda s: (s.published or dt.date.min, s.name))
    ]
    ordered += [(s.record, s.carrier) for s in statements]
    numbers = number_keys(key for _, key in ordered)
    records: dict[int, set[str]] = defaultdict(set)
    for record_id, key in ordered:
        records[numbers[key]].add(record_id)
    refs = [
        SourceRef(number=n, name=name, url=url, published=published, records=sorted(records[n]))
        for (name, url, published), n in numbers.items()
    ]
    return numbers, refs


@dataclass
class _Placed:
    """The incidents a report shows and what their statements say, before filtering."""

    statements: list[RawStatement]
    said: dict[str, list[RawStatement]]
    """The statements of each incident (a joint figure's in each it covers)."""
    status: dict[str, Status | None]
    shown: list[MergedIncident]
    places: dict[str, Place]
    period: Period
    as_of: AsOf
    later: int
    """How many statements (figures and outcomes) were made or published after ``as_of``."""

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
        log = []
        for inc in chosen:
            status = self.status[inc.id] or "context"
            log.append(_incident(
                inc, status, rows_of[inc.id], numbers, outcome_views(inc, numbers, self.as_of),
                restated(inc, self.said[inc.id], self.period, numbers)
                if status == "restatement" else None,
            ))  # fmt: skip
        return sources, rows, log

    def before(self, chosen: Sequence[MergedIncident], rules: FigureRules) -> list[FigureRow]:
        """The rows of these incidents as they stood before the period started."""
        ids = {inc.id for inc in chosen}
        start = self.period.start
        known = [s for s in self.statements if ids.intersection(s.incidents)
                 and s.reported is not None and s.reported < start]  # fmt: skip
        return figure_rows(known, number_sources(s.source for s in known), rules)


ORDER = {"new": 0, "update": 1, "restatement": 2, "context": 3}


def _place(incidents: Sequence[MergedIncident], period: Period, as_of: AsOf) -> _Placed:
    statements, later = known_statements(incidents, as_of=as_of)
    per_incident: dict[str, list[RawStatement]] = defaultdict(list)
    for s in statements:
        for i in s.incidents:
            per_incident[i].append(s)
    status = {inc.id: placement(inc, per_incident[inc.id], period, as_of) for inc in incidents}
    order = ORDER
    shown = sorted(
        (inc for inc in incidents if status[inc.id]),
        key=lambda inc: (order[status[inc.id] or "context"], -inc.record.day.toordinal(), inc.id),
    )
    places = {
        inc.id: Place(location=inc.record.location, date=inc.record.day,
                      date_precision=inc.record.date_precision, end_date=inc.record.end_date)
        for inc in incidents
    }  # fmt: skip
    later += outcomes_after(incidents, as_of)
    return _Placed(statements, per_incident, status, shown, places, period, as_of, later)


def _key_figures(
    log: Sequence[Incident], totals: Sequence[Total], before: Sequence[FigureRow]
) -> KeyFigures:
    """The headline's three blocks: the period's incidents and their credible totals, new
    information on earlier incidents, claims no other source confirms. Never added up."""
    killed = [t for t in totals if t.country is None and t.outcome is Outcome.KILLED]
    return KeyFigures(
        incidents=sum(1 for i in log if i.status == "new"),
        updates=sum(1 for i in log if i.status == "update"),
        restatements=sum(1 for i in log if i.status == "restatement"),
        countries=sorted({i.country for i in log if i.status == "new"}),
        killed=[t for t in killed if t.group is not None and t.incidents],
        killed_all=next(t for t in killed if t.group is None),
        new_information=new_information([i for i in log if i.status == "update"], before),
        unconfirmed=unconfirmed([i for i in log if i.status in ("new", "update")]),
    )


def summarise(
    incidents: Sequence[MergedIncident], inputs: SummaryInputs, history: Sequence[PeriodCount] = ()
) -> Report:
    """Build the report of one period from the merged incidents (all those known up to the
    end of the period; earlier ones give context and trends)."""
    period = inputs.period
    as_of: AsOf = inputs.as_of or period.end
    placed = _place(incidents, period, as_of)
    by_id = {inc.id: inc for inc in incidents}
    sources, rows, log = placed.reconcile(placed.shown, inputs.rules)
    if not inputs.filter.is_empty:  # severity needs the rows: filter, then reconcile again
        kept = [by_id[i.id] for i in log if passes(i, inputs.filter)]
        sources, rows, log = placed.reconcile(kept, inputs.rules)
    status = {i.id: i.status for i in log}
    def rank(row: FigureRow) -> int:
        """A row's place: that of the first-placed incident it covers (a joint figure coded
        on an incident not shown still belongs to the incidents it covers)."""
        return min(ORDER[status.get(i, "context")] for i in row.incidents)

    table = sorted((r for r in rows if rank(r) < ORDER["context"]), key=rank)
    new_ids = {i.id for i in log if i.status == "new"}
    # new in the period whatever the edition's filter: a joint figure over a Tahoua and a
    # Dosso attack of the period belongs to a Tahoua edition's total too
    new_anywhere = {i for i, s in placed.status.items() if s == "new"}
    totals = period_totals(
        [r for r in table
         if new_ids.intersection(r.incidents)
         and (new_anywhere.issuperset(r.incidents) or r.incident in new_anywhere)],
        [i for i in log if i.status == "new"],
        {inc.id: inc.record.country for inc in incidents},
    )
    updates = [by_id[i.id] for i in log if i.status == "update"]
    key = _key_figures(log, totals, placed.before(updates, inputs.rules))
    latest = max((s.reported for s in placed.statements if s.reported), default=None)
    kept_ids = {i.id for i in log}
    kept_records = {r for i in log for r in i.records}
    return Report(
        title=inputs.title,
        language=inputs.language,
        filter=inputs.filter,
        period=period,
        generated_at=inputs.generated_at,
        data_as_of=None
        if latest is None
        else dt.datetime.combine(latest, dt.time(23, 59), ZoneInfo(period.timezone)),
        as_of=as_of if isinstance(as_of, dt.datetime) else None,
        later_statements=placed.later,
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
            possible_duplicates=[
                d for d in inputs.possible_duplicates if {d.a, d.b} & kept_records
            ],
            records_loaded=inputs.records_loaded,
        ),
        daily=daily_counts(log, period.end),
    )


def _incident(
    inc: MergedIncident,
    status: Status,
    rows: list[FigureRow],
    numbers: SourceNumbers,
    outcomes: list[OutcomeView],
    restated: Restated | None,
) -> Incident:
    rec = inc.record
    return Incident(
        id=inc.id,
        records=[r.id for r in inc.records],
        status=status,
        **{**rec.event(), "date": rec.day},
        severity=severity(rec, rows),
        sources=sorted({numbers[k] for s in rec.sources if (k := source_key(s)) in numbers}),
        figures=rows,
        outcomes=outcomes,
        restated=restated,
    )
