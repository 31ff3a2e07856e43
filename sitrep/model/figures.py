"""The figures of a report: statements as speakers made them, the cells of the official,
claimed and independent columns, and the rows of low/best/high with their basis.

Numbers, codes and references only (every word comes from :mod:`sitrep.wording`);
:mod:`sitrep.model.report` builds the report from these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .counts import CountKind, is_specific
from .records import DatePrecision, Group, Outcome, Stance


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class Flag(StrEnum):
    """Why a row of figures deserves a reader's attention."""

    OFFICIAL_CONTRADICTION = "official_contradiction"  # officials gave different figures
    NO_OFFICIAL = "no_official"  # the authorities said nothing at all
    OFFICIAL_NO_FIGURE = "official_no_figure"  # the authorities spoke but gave no toll
    CLAIM_SPREAD = "claim_spread"  # claimed more than N times the credible figure
    CLAIMED_ONLY = "claimed_only"  # only the perpetrator gave a figure
    REVISED = "revised"  # a speaker revised their figure
    PARTY_CLAIM = "party_claim"  # a party to the fighting gave a figure for its enemy's losses


class Figure(_Out):
    """A figure as a speaker stated it: the words as coded and the bounds they support."""

    wording: str = Field(description="The figure exactly as coded: 'more than 30'.")
    kind: CountKind
    low: int
    high: int | None = Field(description="Null when the wording sets no upper bound.")
    approx: str | None = Field(
        default=None, description="The hedge of an 'about' figure as coded: 'nearly', '~'."
    )
    best: int | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The best estimate a range carries within low..high ('8-14 (best 10)', "
        "UCDP's best); absent when the figure carries none.",
    )


class Statement(_Out):
    """One casualty statement as the report shows it."""

    record: str = Field(description="Id of the record the statement was coded in.")
    by: str
    stance: Stance
    wording: str | None = Field(description="The figure exactly as coded.")
    low: int | None
    high: int | None
    reported: dt.date | None
    quote: str | None = None
    sources: list[int] = Field(description="Numbers of the report's sources that carried it.")
    covers: list[str] = Field(
        default_factory=list, description="Other incidents this one figure also covers."
    )
    revised_on: dt.date | None = Field(
        default=None, description="Set when this statement revised the speaker's earlier one."
    )
    kind: CountKind | None = Field(
        default=None, description="How the figure was stated (null: no figure)."
    )
    approx: str | None = Field(default=None, description="The hedge of an 'about' figure.")
    best: int | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The best estimate its range carries ('8-14 (best 10)'); absent when none.",
    )
    previous: Figure | None = Field(
        default=None,
        description="The speaker's earlier figure this statement replaced (null with "
        "revised_on set: the earlier statement gave no figure).",
    )
    date_known: bool = Field(
        default=True,
        description="False: the statement's own date is unknown and `reported` is when it "
        "was first seen (its source's publication date).",
    )
    first_seen: dt.date | None = Field(
        default=None, description="When the statement was first seen (earliest publication)."
    )
    party: bool = Field(
        default=False,
        description="A party to the fighting speaking of its enemy's losses: a party claim.",
    )
    via: list[str] = Field(
        default_factory=list, description="The outlets its sources relayed it from."
    )
    subset: bool = Field(
        default=False,
        exclude_if=lambda value: not value,
        description="The figure counts only part of the group's casualties (absent: false).",
    )

    @property
    def specific(self) -> bool:
        """Whether its figure names a number that can set a floor: not a vague word, an
        upper bound alone or 'at least 1' (False when the speaker gave no figure)."""
        return self.kind is not None and self.low is not None and is_specific(
            self.kind, self.low, self.high)

    @property
    def figure(self) -> Figure | None:
        """The statement's figure, or None when the speaker gave none."""
        if self.kind is None or self.wording is None or self.low is None:
            return None
        return Figure(
            wording=self.wording, kind=self.kind, low=self.low, high=self.high,
            approx=self.approx, best=self.best,
        )


class Cell(_Out):
    """What one side (official, claimed or independent) said about one figure."""

    stance: Stance
    status: Literal["figure", "no_figure", "silent"] = Field(
        description="figure: at least one number; no_figure: spoke without a number; "
        "silent: said nothing."
    )
    statements: list[Statement] = Field(description="Current statements, latest first.")
    superseded: list[Statement] = Field(
        default_factory=list, description="Earlier statements replaced by a revision."
    )
    contradiction: bool = Field(
        default=False, description="Speakers of this side gave figures that cannot all be true."
    )


class Basis(_Out):
    """How a row's low, best and high were chosen (docs/methodology.md)."""

    rule: Literal["no_figure", "claimed_only", "party_only", "no_floor", "credible"] = Field(
        description="no_figure; claimed_only: only claims; party_only: only party claims "
        "(kept out of low/best); no_floor: the credible figures are vague words or bounds "
        "only (no low, no best); credible: low and best from credible figures."
    )
    low_by: str | None = Field(default=None, description="Who stated the figure that sets low.")
    low_from: Figure | None = Field(default=None, description="That figure, as stated.")
    best_rule: Literal["point", "low", "no_point"] | None = Field(
        default=None,
        description="point: the highest credible point figure; low: best equals low; "
        "no_point: no credible exact figure, best equals low.",
    )
    best_by: str | None = None
    high_by: str | None = Field(
        default=None, description="Who stated the largest figure (null: open-ended)."
    )
    party_admitted: bool = Field(
        default=False,
        description="Party claims count as credible here: a non-party source gave a figure.",
    )


class Place(_Out):
    """Where and when an incident of a row happened, for the row's label."""

    location: str
    date: dt.date
    date_precision: DatePrecision
    end_date: dt.date | None = None


class FigureRow(_Out):
    """The reconciled figures for one incident, casualty group and outcome."""

    incident: str
    incidents: list[str] = Field(
        description="All incidents the row's figure covers (more than one for joint figures)."
    )
    group: Group
    outcome: Outcome
    official: Cell
    claimed: Cell
    independent: Cell
    low: int | None = Field(
        description="Conservative figure credible sources support; null when only claims "
        "exist or the credible figures are all vague words or bounds."
    )
    best: int | None = Field(
        description="Best estimate; null when only claims exist or no credible figure is "
        "specific."
    )
    high: int | None = Field(description="Largest figure anyone stated, claims included.")
    high_open: bool = Field(
        default=False, description="The largest statement set no upper bound ('more than 30')."
    )
    credible_high: int | None = Field(
        default=None, description="Largest credible figure (claims and party claims left out)."
    )
    credible_high_open: bool = Field(
        default=False, description="The largest credible statement set no upper bound."
    )
    flags: list[Flag] = Field(default_factory=list)
    derivation: Basis = Field(description="How low, best and high were chosen.")
    places: list[Place] = Field(
        default_factory=list, description="Place and date of each of the row's incidents."
    )

    def credible_statements(self) -> Iterator[Statement]:
        """The row's current credible statements: official and independent, a party's
        only when the row admitted party claims (``derivation.party_admitted``)."""
        for cell in (self.official, self.independent):
            for s in cell.statements:
                if not s.party or self.derivation.party_admitted:
                    yield s

    @property
    def no_floor(self) -> bool:
        """Its credible figures are all vague words or bounds ('many', 'up to 10'): no low
        and no best (rule ``no_floor``)."""
        return self.derivation.rule == "no_floor"

    @property
    def claimed_only(self) -> bool:
        """Only claims (the perpetrator's, or a party's) gave a figure: no credible estimate
        (a row whose credible figures are only vague has no floor, but is not claimed only)."""
        return self.best is None and not self.no_floor and (
            Flag.CLAIMED_ONLY in self.flags
            or (self.claimed.status == "figure" and self.low is None)
        )

    @property
    def estimate_point(self) -> float:
        """The size a row gives an incident's map marker: best, else low, else 0."""
        if self.best is not None:
            return float(self.best)
        return float(self.low or 0)
