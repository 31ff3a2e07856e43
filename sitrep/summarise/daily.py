"""The daily series: people killed per day and country over the last 30 days."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from ..model.records import Outcome
from ..model.report import DayCount, FigureRow, Incident
from .totals import total

DAYS = 30
"""How many days the series covers, ending with the period's last day."""


def daily_counts(log: Sequence[Incident], end: dt.date, days: int = DAYS) -> list[DayCount]:
    """Per day and country of the ``days`` days ending ``end``, by incident date: incidents,
    the credible killed figure (low, added up as the totals are) and, apart, the largest
    figure of the incidents that only claims give a toll for (claims are never added
    together). A joint figure counts once, on its first incident's day."""
    start = end - dt.timedelta(days=days - 1)
    counts: dict[tuple[dt.date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    credible: dict[tuple[dt.date, str], list[FigureRow]] = defaultdict(list)
    for inc in log:
        if not start <= inc.date <= end:
            continue
        key = (inc.date, inc.country)
        entry = counts[key]
        entry[0] += 1
        claims = []
        for row in inc.figures:
            if row.outcome is not Outcome.KILLED or row.incident != inc.id:
                continue
            if row.claimed_only:
                claims.append(row.high or 0)
            else:
                credible[key].append(row)
        if claims:  # the largest claim, never a sum of claims
            entry[1] = max(entry[1], *claims)
            entry[2] += 1
    return [
        DayCount(
            day=day,
            country=country,
            incidents=n,
            killed_low=total(credible[(day, country)], Outcome.KILLED, None, None, n).low,
            killed_claimed=claimed,
            claimed_incidents=k,
        )
        for (day, country), (n, claimed, k) in sorted(counts.items())
    ]
