"""Which incidents matter most: the ranking a big period's PDF shows in full.

A desk reading a period of hundreds of incidents wants the gravest first. The ranking,
most important first (docs/methodology.md, "Big periods"):

1. news before repetition: incidents of the period and updates (new statements on an
   earlier incident) before restatements; context incidents (no news in the period) are
   never ranked;
2. severity (which already weighs the credible killed figure and territory taken);
3. the credible killed figure (best, else the credible lower bound), larger first;
4. the largest claimed killed figure, larger first (a claim ranks, it is never added);
5. recency: the later incident first; then the id, so the order is stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model.records import Outcome
from ..model.report import Incident
from .totals import total

RANKED = ("new", "update", "restatement")
"""The statuses that are news (or repeated news) in the period: the ranked incidents."""


@dataclass(frozen=True)
class Tally:
    """One incident's figure at a glance, for its one-line entry: the first outcome anyone
    put a number on (killed first), the credible total of its rows (``low`` to ``high``,
    groups added as the period totals add them), or ``claimed_only`` when only claims gave
    a figure, ``vague`` when the only credible figures are vague words or bounds (no floor);
    ``joint`` when its only figures are joint ones (shared with other incidents, so not its
    own); ``outcome`` None when nobody gave a figure."""

    outcome: Outcome | None
    low: int | None = None
    high: int | None = None
    high_open: bool = False
    claimed_only: bool = False
    joint: bool = False
    vague: bool = False


def credible_killed(incident: Incident) -> int:
    """The largest credible killed figure of an incident (best, else low; 0 for none)."""
    return max(
        (r.best if r.best is not None else (r.low or 0)
         for r in incident.figures if r.outcome is Outcome.KILLED),
        default=0,
    )  # fmt: skip


def claimed_killed(incident: Incident) -> int:
    """The largest claimed killed figure of an incident (its lower bound; 0 for none)."""
    return max(
        (s.low or 0 for r in incident.figures if r.outcome is Outcome.KILLED
         for s in r.claimed.statements),
        default=0,
    )  # fmt: skip


def rank_key(incident: Incident) -> tuple[int, int, int, int, int, str]:
    """The sort key of :func:`ranked`: smaller is more important."""
    repeated = 1 if incident.status == "restatement" else 0
    return (repeated, -incident.severity.rank, -credible_killed(incident),
            -claimed_killed(incident), -incident.date.toordinal(), incident.id)  # fmt: skip


def ranked(incidents: Sequence[Incident]) -> list[Incident]:
    """The incidents that are news in the period, most important first (module docstring)."""
    return sorted((i for i in incidents if i.status in RANKED), key=rank_key)


def tally(incident: Incident) -> Tally:
    """The incident's figure for a one-line entry (:class:`Tally`)."""
    counted = [r for r in incident.figures
               if r.low is not None or r.high is not None or r.high_open]  # fmt: skip
    own = [r for r in counted if len(r.incidents) == 1]
    if not own:
        return Tally(None, joint=bool(counted))
    outcome = next(o for o in Outcome if any(r.outcome is o for r in own))
    if not any(r.low is not None for r in own if r.outcome is outcome):
        vague = any(r.no_floor for r in own if r.outcome is outcome)
        return Tally(outcome, vague=True) if vague else Tally(outcome, claimed_only=True)
    t = total(own, outcome, None, None, 1)
    return Tally(outcome, t.low, t.high_credible, t.high_open)
