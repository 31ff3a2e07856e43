"""Key developments: which incidents the report leads with, as facts (words: wording)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from ..model.records import Outcome, SubEventType
from ..model.report import Development, FigureRow, Incident, Period
from ..reconcile.merge import MergedIncident


def key_developments(
    log: Sequence[Incident],
    table: Sequence[FigureRow],
    period: Period,
    novel: frozenset[str] = frozenset(),
) -> list[Development]:
    """The key developments of the period: an overview when more than one incident is
    current, then one per incident, the period's incidents first, then updates, then
    restatements, each most important first (an incident whose only figures are joint ones
    is told with the first incident of the joint figure). ``novel`` holds the ids of
    incidents that are the first in their admin1 region for a month."""
    current = [i for i in log if i.status in _ORDER]
    if not current:
        return [Development(kind="quiet")]
    out = [Development(kind="overview")] if len(current) > 1 else []
    covered_elsewhere = {i for r in table for i in r.incidents[1:]}
    told = {r.incident for r in table}
    for inc in sorted(current, key=lambda i: (_ORDER[i.status], _rank(i, period, i.id in novel))):
        if inc.id not in told and inc.id in covered_elsewhere:
            continue
        out.append(Development(kind="incident", incident=inc.id, novel=inc.id in novel))
    return out


_ORDER = {"new": 0, "update": 1, "restatement": 2}


def _on_base_or_town(inc: Incident) -> bool:
    words = {t.casefold() for t in inc.tags}
    return bool(words & {"base", "camp", "town", "city", "military-base"}) or (
        inc.sub_event_type is SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY
    )


def _rank(inc: Incident, period: Period, novel: bool) -> tuple[int, int, int, int, str]:
    """Most severe first (severity already weighs the killed figure and territory taken);
    events of the period and first incidents in a region for a month rank up, events days
    old rank down; then the killed figure, attacks on bases or towns, the claimed toll."""
    killed_rows = [r for r in inc.figures if r.outcome is Outcome.KILLED]
    killed = max((r.best if r.best is not None else (r.low or 0) for r in killed_rows), default=0)
    claimed = max((s.low or 0 for r in killed_rows for s in r.claimed.statements), default=0)
    recency = 1 if inc.status == "new" else (-1 if (period.start - inc.date).days > 2 else 0)
    weight = inc.severity.rank + recency + (1 if novel else 0)
    return (-weight, -killed, -int(_on_base_or_town(inc)), -claimed, inc.id)


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
    for found in seen.values():
        found.sort()

    def before(key: tuple[str, str], since: dt.date, day: dt.date) -> bool:
        """Some incident at ``key`` on a day from ``since`` to the day before ``day``."""
        found = seen.get(key, [])
        at = bisect.bisect_left(found, since)
        return at < len(found) and found[at] < day

    novel = set()
    for inc in log:
        if inc.status != "new" or not inc.admin1:
            continue
        since = inc.date - dt.timedelta(days=days)
        if before((inc.country, ""), since, inc.date) and not before(
            (inc.country, inc.admin1.casefold()), since, inc.date
        ):
            novel.add(inc.id)
    return frozenset(novel)
