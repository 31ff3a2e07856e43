"""Totals: adding up reconciled figures without inventing precision.

The conservative figure sums what credible sources support, the upper one the largest
credible figures; claims (and party claims kept out of low/best) are never added up: the
report lists them. Vague figures with no floor ('many dead') add nothing: a total counts
their rows apart. Open-ended figures keep the total open, and a joint figure is never
added to the separate figures it overlaps. The words ("at least 146 killed; ...") are
wording's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from ..model.records import Group, Outcome
from ..model.report import FigureRow, Incident, Total


class Linked(Protocol):
    """What the overlap rule needs of a row: its group, the incidents it covers, its low."""

    @property
    def group(self) -> Group: ...
    @property
    def incidents(self) -> Sequence[str]: ...
    @property
    def low(self) -> int | None: ...


R = TypeVar("R", bound=Linked)


def total(
    rows: Sequence[FigureRow],
    outcome: Outcome,
    country: str | None,
    group: Group | None,
    incidents: int,
) -> Total:
    """Add up rows without inventing precision: low sums credible lower bounds; high sums
    the largest credible figures (never a claim) and stays open-ended if any of them is.

    A joint figure ("more than 100 in Tahoua and Dosso") and a figure for one of the
    incidents it covers count the same people: such overlapping rows add up to the larger
    of the joint figure and the sum of the separate ones, never to both. So do, in a total
    of all groups, a figure of unknown group and the other groups' figures of the same
    incident (the unknown may be any of them)."""
    chosen = [r for r in rows if r.outcome is outcome and (group is None or r.group is group)]
    sums = [_sums(cluster) for cluster in _overlapping(chosen, across_groups=group is None)]
    return _added(sums, chosen, outcome, country, group, incidents)


Sums = tuple[int, int | None, int, bool]


def _sums(cluster: Sequence[FigureRow]) -> Sums:
    """What one cluster of overlapping rows adds to a total: low, best (None when no row
    has one), the largest credible figures, and whether one of those is open-ended."""
    low = sum(r.low or 0 for r in _pick(cluster, lambda r: r.low or 0))
    with_best = [r for r in cluster if r.best is not None]
    best = None
    if with_best:
        best = sum(r.best or 0 for r in _pick(with_best, lambda r: r.best or 0))
    tops = _pick(cluster, _high_of)
    high = sum(_high_of(r) for r in tops)
    # a row with no floor (only claims, or only vague figures) adds nothing, openness included
    high_open = any(
        r.low is not None and r.credible_high is None and r.credible_high_open for r in tops
    )
    return low, best, high, high_open


def _added(
    sums: Sequence[Sums],
    chosen: Sequence[FigureRow],
    outcome: Outcome,
    country: str | None,
    group: Group | None,
    incidents: int,
) -> Total:
    """The total of the rows ``chosen``, from the :func:`_sums` of their clusters."""
    bests = [best for _, best, _, _ in sums if best is not None]
    high = sum(high for _, _, high, _ in sums)
    return Total(
        country=country,
        group=group,
        outcome=outcome,
        low=sum(low for low, _, _, _ in sums),
        best=sum(bests) if bests else None,
        high=high,
        high_open=any(high_open for _, _, _, high_open in sums),
        incidents=incidents,
        rows=len(chosen),
        high_credible=high,
        credible_rows=sum(1 for r in chosen if r.low is not None),
        vague_rows=sum(1 for r in chosen if r.no_floor),
    )


def _high_of(row: FigureRow) -> int:
    """The largest credible figure of a row (0 when only claims gave one)."""
    if row.low is None:
        return 0
    if row.credible_high is not None:
        return row.credible_high
    return max(row.low, _open_low(row))


def low_sum(rows: Sequence[Linked]) -> int:
    """The conservative sum of some rows of one outcome, all groups together (the ``low``
    of their :func:`total`): overlapping rows count once, as there."""
    # The rows of an incident that no joint row names form its clusters alone (most rows
    # of a trend period): they add up by the rule for one incident; only the rest need
    # clustering.
    joint = {i for r in rows if len(r.incidents) > 1 for i in r.incidents}
    separate: dict[str, list[Linked]] = {}
    rest = []
    for r in rows:
        if len(r.incidents) == 1 and r.incidents[0] not in joint:
            separate.setdefault(r.incidents[0], []).append(r)
        else:
            rest.append(r)
    return sum(map(separate_low, separate.values())) + sum(
        r.low or 0 for cluster in _overlapping(rest, across_groups=True)
        for r in _pick(cluster, lambda r: r.low or 0)
    )  # fmt: skip


def separate_low(rows: Sequence[Linked]) -> int:
    """The conservative sum of one incident's own rows (no joint figure among them or
    naming the incident), all groups together: :func:`low_sum` of just these rows."""
    # _counted's rule, in one pass: this runs for every incident of a long period's trends
    every = known = 0
    unknown: int | None = None
    any_known = False
    for r in rows:
        low = r.low or 0
        every += low
        if r.group is Group.UNKNOWN:
            unknown = low if unknown is None else max(unknown, low)
        else:
            known, any_known = known + low, True
    if unknown is not None and any_known:
        return max(unknown, known)
    return every


def _overlapping(rows: Sequence[R], across_groups: bool) -> list[list[R]]:
    """Rows of one group that share incidents (through joint figures), clustered; each
    cluster lists its rows latest first. With ``across_groups``, a row of unknown group
    also joins the rows of every group at its incidents. A union-find over (group,
    incident): linear in the rows, where rescanning the clusters for every row was
    quadratic."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first: dict[tuple[Group | None, str], int] = {}
    for i, row in enumerate(rows):
        for incident in row.incidents:
            union(i, first.setdefault((row.group, incident), i))
    if across_groups:
        unknown_at = {
            incident: i
            for i, row in enumerate(rows)
            if row.group is Group.UNKNOWN
            for incident in row.incidents
        }
        for i, row in enumerate(rows):
            for incident in row.incidents:
                if incident in unknown_at:
                    union(i, unknown_at[incident])
    clusters: dict[int, list[R]] = {}
    for i in reversed(range(len(rows))):
        clusters.setdefault(find(i), []).append(rows[i])
    return list(clusters.values())


def _pick(cluster: Sequence[R], value: Callable[[R], int]) -> list[R]:
    """The rows that count in a cluster: the separate (single-incident) rows together, or
    the one joint row with the larger figure. Among the separate rows of one incident, a
    row of unknown group counts instead of the other groups' rows when it is larger."""
    if len(cluster) == 1 and len(cluster[0].incidents) == 1:  # most clusters: it counts
        return list(cluster)
    singles: list[R] = []
    by_incident: dict[str, list[R]] = {}
    for r in cluster:
        if len(r.incidents) == 1:
            by_incident.setdefault(r.incidents[0], []).append(r)
    for rows in by_incident.values():
        singles.extend(_counted(rows, value))
    joints = [r for r in cluster if len(r.incidents) > 1]
    best_joint = max(joints, key=value, default=None)
    if best_joint is None or sum(value(r) for r in singles) >= value(best_joint):
        return singles
    return [best_joint]


def _counted(rows: Sequence[R], value: Callable[[R], int]) -> Sequence[R]:
    """Of the separate rows of one incident, those that count: a row of unknown group
    instead of the other groups' rows when it is larger."""
    known = [r for r in rows if r.group is not Group.UNKNOWN]
    unknown = max((r for r in rows if r.group is Group.UNKNOWN), key=value, default=None)
    if unknown is not None and known:
        return [unknown] if value(unknown) > sum(map(value, known)) else known
    return rows


def _open_low(row: FigureRow) -> int:
    lows = [s.low for s in row.credible_statements() if s.high is None and s.low is not None]
    return max(lows, default=0)


def period_totals(
    table: Sequence[FigureRow], log: Sequence[Incident], country_of: dict[str, str] | None = None
) -> list[Total]:
    """Totals for all countries and per country. ``country_of`` gives the country of every
    incident, including those a filter left out that share a joint figure with one kept."""
    country_of = {**(country_of or {}), **{i.id: i.country for i in log}}
    shown = {i.id for i in log}
    countries: list[str | None] = [None, *sorted({i.country for i in log if i.status != "context"})]
    # a row counts in a country's totals when all the incidents it covers are in that country
    home: dict[int, str | None] = {}
    chosen: dict[tuple[str | None, Outcome, Group | None], list[FigureRow]] = {}
    for r in table:
        found = {country_of.get(i) for i in r.incidents}
        home[id(r)] = found.pop() if len(found) == 1 else None
        for key_country in {None, home[id(r)]}:
            for key_group in (None, r.group):
                chosen.setdefault((key_country, r.outcome, key_group), []).append(r)
    sums: dict[tuple[str | None, Outcome, Group | None], list[Sums]] = defaultdict(list)
    for (country, outcome, group), rows in chosen.items():
        if country is not None:
            continue
        # The rows of all countries, clustered once: a cluster whose rows are all of one
        # country is a cluster of that country's rows too. Only one that a joint figure
        # across countries ties together is clustered again, per country, without it.
        for cluster in _overlapping(rows, across_groups=group is None):
            added = _sums(cluster)
            sums[(None, outcome, group)].append(added)
            homes = {home[id(r)] for r in cluster}
            if len(homes) == 1:
                if (one := homes.pop()) is not None:
                    sums[(one, outcome, group)].append(added)
                continue
            for one in homes - {None}:
                mine = [r for r in reversed(cluster) if home[id(r)] == one]  # in table order
                sums[(one, outcome, group)] += [
                    _sums(part) for part in _overlapping(mine, across_groups=group is None)
                ]
    out: list[Total] = []
    for country in countries:
        for outcome in Outcome:
            for group in [None, *Group]:
                rows = chosen.get((country, outcome, group), [])
                if not rows and not (
                    country is None and group is None and outcome is Outcome.KILLED
                ):
                    continue
                n = len({i for r in rows for i in r.incidents if i in shown})
                out.append(_added(sums[(country, outcome, group)], rows, outcome, country,
                                  group, n))  # fmt: skip
    return out
