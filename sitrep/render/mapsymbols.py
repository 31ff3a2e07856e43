"""What the map draws for each incident: where (a point, or a shaded region), its symbol
size from the credible killed figure only, and a size legend fitted to the data.

A symbol's area grows with the credible low (the conservative figure credible sources
support, added up as the totals and the daily chart add it); a claim never sizes anything.
An incident whose only killed figures are claims is drawn as an outline of the smallest
size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..model.records import Outcome
from ..model.report import Incident, Report
from ..summarise.totals import total
from ..wording.maps import MapPoint
from .regions import Region, match_region

MIN_DIAMETER = 4.5
MAX_DIAMETER = 34.0
_NICE = (1, 2, 5)


@dataclass(frozen=True)
class MapContent:
    """The incidents of the period as the map shows them."""

    points: list[MapPoint]
    """Incidents with coordinates."""
    regions: list[tuple[MapPoint, Region]]
    """Incidents without coordinates whose region is known: drawn as the region shaded."""
    missing: list[Incident]
    """Incidents that cannot be placed (no coordinates, no region matched)."""


def credible_floor(incident: Incident) -> int:
    """The incident's credible killed figure: the conservative lows of its own killed rows,
    claims left out, added up as the totals and the daily series add them (a figure of
    unknown group and the other groups' count once; a joint figure counts at its first
    incident, once)."""
    rows = [
        r
        for r in incident.figures
        if r.outcome is Outcome.KILLED and r.incident == incident.id and not r.claimed_only
    ]
    return total(rows, Outcome.KILLED, None, None, 1).low if rows else 0


def claims_only(incident: Incident) -> bool:
    """Only claims give the incident a killed figure: no credible one at all."""
    rows = [r for r in incident.figures if r.outcome is Outcome.KILLED]
    return (
        bool(rows)
        and all(r.claimed_only or not r.low for r in rows)
        and any(r.claimed_only and (r.high or r.high_open) for r in rows)
        and credible_floor(incident) == 0
    )


def vague_only(incident: Incident) -> bool:
    """The incident's own killed figures include credible ones, all vague words or bounds
    ('many dead'): no floor, so its symbol is the smallest, and its text says why."""
    return any(
        r.outcome is Outcome.KILLED and r.incident == incident.id
        and r.no_floor for r in incident.figures
    ) and credible_floor(incident) == 0  # fmt: skip


def joint_places(incident: Incident) -> tuple[str, ...]:
    """The places of the joint killed figures the incident shares, in the rows' order."""
    places: list[str] = []
    for r in incident.figures:
        if r.outcome is Outcome.KILLED and len(r.incidents) > 1 and not r.claimed_only:
            places += [p.location for p in r.places if p.location not in places]
    return tuple(places)


def map_point(incident: Incident, region: str | None = None) -> MapPoint:
    """An incident with the figure its symbol is sized by."""
    return MapPoint(
        incident, credible_floor(incident), claims_only(incident), region, joint_places(incident),
        vague_only(incident),
    )  # fmt: skip


def map_content(report: Report) -> MapContent:
    """Sort the period's incidents (not context) into points, regions and missing."""
    points, regions, missing = [], [], []
    for inc in report.incidents:
        if inc.status == "context":
            continue
        if inc.latitude is not None and inc.longitude is not None:
            points.append(map_point(inc))
            continue
        region = match_region(inc.country, inc.admin1)
        if region is None:
            missing.append(inc)
        else:
            regions.append((map_point(inc, region.name), region))
    return MapContent(points, regions, missing)


def marker_diameter(value: float) -> float:
    """Symbol diameter in points: the area grows with the number killed, capped."""
    return min(MIN_DIAMETER + 2.6 * math.sqrt(max(value, 0.0)), MAX_DIAMETER)


def nice_values(limit: int) -> list[int]:
    """1, 2, 5, 10, 20, 50, ... up to ``limit``."""
    out: list[int] = []
    scale = 1
    while True:
        for n in _NICE:
            if n * scale > limit:
                return out
            out.append(n * scale)
        scale *= 10


def legend_values(floors: Sequence[int]) -> list[int]:
    """Up to three round values for the size legend spanning the credible figures drawn:
    the largest round values not above the highest and the lowest figures, and one
    between (none when no symbol is sized)."""
    sized = [f for f in floors if f > 0]
    if not sized:
        return []
    nice = nice_values(max(sized))
    top = nice[-1]
    bottom = max(n for n in nice if n <= min(sized))
    if bottom == top:  # one size drawn: give a smaller one to compare it with
        bottom = min(nice, key=lambda n: abs(math.log(n) - math.log(top / 5)))
    middle = min(nice, key=lambda n: abs(math.log(n) - (math.log(bottom) + math.log(top)) / 2))
    return sorted({bottom, middle, top})
