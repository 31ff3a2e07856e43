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
    the credible killed figure (low) and the killed that only claims give (their highest
    figure), apart. A joint figure counts once, on its first incident's day."""
    start = end - dt.timedelta(days=days - 1)
    counts: dict[tuple[dt.date, str], list[int]] = defaultdict(lambda: [0, 0])
    credible: dict[tuple[dt.date, str], list[FigureRow]] = defaultdict(list)
    for inc in log:
        if not start <= inc.date <= end:
            continue
        key = (inc.date, inc.country)
        counts[key][0] += 1
        for row in inc.figures:
            if row.outcome is not Outcome.KILLED or row.incident != inc.id:
                continue
            if row.claimed_only:
                counts[key][1] += row.high or 0
            else:
                credible[key].append(row)
    return [
        DayCount(
            day=day,
            country=country,
            incidents=n,
            killed_low=total(credible[(day, country)], Outcome.KILLED, None, None, n).low,
            killed_claimed=claimed,
        )
        for (day, country), (n, claimed) in sorted(counts.items())
    ]
