"""Statements: the claims of merged incidents, placed in the incidents they cover, as
known at a time (as-of), with who is a party to the fighting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..model.records import Claim, Group, Source, Stance, _Attributed
from .merge import MergedIncident
from .names import normalise_name
from .sources import SourceKey, source_key


@dataclass(frozen=True)
class RawStatement:
    """A claim placed in its incident, before it is shown."""

    incidents: tuple[str, ...]  # ids of the incidents the figure covers, earliest first
    record: str
    claim: Claim
    source: Source
    reported: dt.date | None
    """The day the statement is dated by: when it was made, else when first seen."""
    origin: Source | None = None
    """The source that ``source`` relays (``via``), if any."""

    @property
    def speaker(self) -> str:
        """Who spoke, normalised, so that revisions by the same speaker can be found."""
        return normalise_name(self.claim.by)

    @property
    def said(self) -> dt.date | None:
        """The day the statement was made, as coded; None when unknown."""
        r = self.claim.reported
        return r.date() if isinstance(r, dt.datetime) else r

    @property
    def first_seen(self) -> dt.date | None:
        """When the statement was first seen: its source's publication date."""
        return self.source.published

    @property
    def voice(self) -> SourceKey:
        """The outlet the statement comes from (what a relay relays, else its carrier)."""
        return source_key(self.origin or self.source)

    @property
    def carrier(self) -> SourceKey:
        """The outlet that carried the statement (:func:`source_key` of ``source``)."""
        return source_key(self.source)

    @property
    def party(self) -> bool:
        """A party claim (:func:`is_party_claim`)."""
        return is_party_claim(self.claim)


def is_party_claim(claim: Claim) -> bool:
    """A figure a party to the fighting gives for its enemy's losses: the claim's own
    ``party`` when coded; otherwise the authorities (``official``) on the armed group's dead,
    or an armed group (``claimed``) on state or foreign forces' dead."""
    if claim.party is not None:
        return claim.party
    if claim.stance is Stance.OFFICIAL:
        return claim.group is Group.ARMED_GROUP
    if claim.stance is Stance.CLAIMED:
        return claim.group in (Group.STATE_FORCES, Group.FOREIGN_FORCES)
    return False


AsOf = dt.date | dt.datetime | None


def made_after(reported: dt.date | dt.datetime | None, as_of: AsOf) -> bool:
    """Whether a statement time (or publication date) lies after ``as_of``: a date counts
    as its whole day, a datetime as its moment."""
    if as_of is None or reported is None:
        return False
    if isinstance(as_of, dt.datetime):
        if isinstance(reported, dt.datetime):
            return reported > as_of
        return reported > as_of.date()
    day = reported.date() if isinstance(reported, dt.datetime) else reported
    return day > as_of


def _left_out(claim: _Attributed, source: Source, as_of: AsOf) -> bool:
    """Whether a statement carried by ``source`` was made or published after ``as_of``."""
    return made_after(claim.reported, as_of) or made_after(source.published, as_of)


def collect_statements(
    incidents: Sequence[MergedIncident], as_of: AsOf = None
) -> list[RawStatement]:
    """Every claim of every incident, with joint figures mapped to the incidents they cover.

    Statements made or published after ``as_of`` are left out: a report shows what was
    known then.
    """
    return known_statements(incidents, as_of)[0]


def known_statements(
    incidents: Sequence[MergedIncident], as_of: AsOf = None
) -> tuple[list[RawStatement], int]:
    """:func:`collect_statements`, and how many claims it left out as made or published
    after ``as_of``."""
    later = 0
    owner = {r.id: inc.id for inc in incidents for r in inc.records}
    day = {inc.id: inc.primary.day for inc in incidents}
    out: list[RawStatement] = []
    for inc in incidents:
        own = inc.id
        for rec in inc.records:
            for claim in rec.claims:
                source = rec.source(claim.source)
                if _left_out(claim, source, as_of):
                    later += 1
                    continue
                covered: tuple[str, ...] = (own,)
                if claim.covers:  # a joint figure: its incidents, earliest first
                    joint = {own, *(owner[c] for c in claim.covers if c in owner)}
                    covered = tuple(sorted(joint, key=lambda i: (day[i], i)))
                origin = rec.origin(source)
                out.append(
                    RawStatement(
                        covered,
                        rec.id,
                        claim,
                        source,
                        rec.reported(claim),
                        None if origin is source else origin,
                    )
                )
    return out, later


def outcomes_after(incidents: Sequence[MergedIncident], as_of: AsOf) -> int:
    """How many outcome statements the records hold that were made or published after
    ``as_of`` (the claims left out are counted by :func:`known_statements`)."""
    return sum(
        _left_out(o, rec.source(o.source), as_of)
        for inc in incidents
        for rec in inc.records
        for o in rec.outcomes
    )
