"""The report's data model: what reconcile and summarise produce, and render consumes.

The JSON output of ``sitrep generate`` is :class:`Report` serialised as is, so these
classes are a public interface (documented in ``docs/report-json.md``). Figures keep
their wording (``text``) and their bounds (``low``/``high``); ``high`` is ``null`` when
the wording sets no upper bound.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .records import DatePrecision, EventType, Group, Outcome, Stance, SubEventType


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Flag(StrEnum):
    """Why a row of figures deserves a reader's attention."""

    OFFICIAL_CONTRADICTION = "official_contradiction"  # officials gave different figures
    NO_OFFICIAL = "no_official"  # the authorities said nothing at all
    OFFICIAL_NO_FIGURE = "official_no_figure"  # the authorities spoke but gave no toll
    CLAIM_SPREAD = "claim_spread"  # claimed more than N times the credible figure
    CLAIMED_ONLY = "claimed_only"  # only the perpetrator gave a figure
    REVISED = "revised"  # a speaker revised their figure


class Severity(StrEnum):
    """How grave an incident is, for ranking and for subscribers' minimum-severity filters.

    minor: no one reported killed; moderate: 1-9 killed; major: 10-49 killed or territory
    or a base taken; critical: 50 or more killed (best figure, else the credible lower bound).
    """

    MINOR = "minor"
    MODERATE = "moderate"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for minor up to 3 for critical."""
        return list(Severity).index(self)


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "x"


class ReportFilter(_Out):
    """Which incidents a subscriber's edition of the report covers (empty: everything)."""

    countries: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()
    min_severity: Severity = Severity.MINOR

    @property
    def key(self) -> str:
        """A stable, file-name-safe name for this filter set ('all' when it filters nothing):
        letters, digits and '-' only, whatever the admin1 names hold ('../x' is 'x')."""
        if self.is_empty:
            return "all"
        parts = sorted(_slug(c) for c in self.countries) + sorted(
            _slug(a).lower() for a in self.admin1
        )
        if self.min_severity is not Severity.MINOR:
            parts.append(self.min_severity.value)
        return "-".join(parts)

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every incident through."""
        return not self.countries and not self.admin1 and self.min_severity is Severity.MINOR


class Statement(_Out):
    """One casualty statement as the report shows it."""

    record: str = Field(description="Id of the record the statement was coded in.")
    by: str
    stance: Stance
    text: str | None = Field(description="The figure as a reader expects it; null: no figure.")
    wording: str | None = Field(description="The figure exactly as coded.")
    low: int | None
    high: int | None
    reported: dt.date | None
    quote: str | None = None
    sources: list[int] = Field(description="Numbers of the report's sources that carried it.")
    covers: list[str] = Field(
        default_factory=list, description="Other incidents this one figure also covers."
    )
    revised_from: str | None = Field(
        default=None, description="The speaker's earlier figure this statement replaced."
    )
    revised_on: dt.date | None = None


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


class FigureRow(_Out):
    """The reconciled figures for one incident, casualty group and outcome."""

    incident: str
    incidents: list[str] = Field(
        description="All incidents the row's figure covers (more than one for joint figures)."
    )
    label: str = Field(description="Short place and date label: 'Boulkessi, 1 Jun'.")
    group: Group
    outcome: Outcome
    official: Cell
    claimed: Cell
    independent: Cell
    low: int | None = Field(description="Conservative figure credible sources support.")
    best: int | None = Field(description="Best estimate; null when only claims exist.")
    high: int | None = Field(description="Largest figure anyone stated, claims included.")
    high_open: bool = Field(
        default=False, description="The largest statement set no upper bound ('more than 30')."
    )
    basis: str = Field(description="How low/best/high were chosen, in words.")
    flags: list[Flag] = Field(default_factory=list)


class Period(_Out):
    """The reporting period: whole days in the configured time zone."""

    start: dt.date
    end: dt.date = Field(description="Last day of the period, inclusive.")
    timezone: str
    label: str
    context_start: dt.date = Field(description="First day of the look-back window.")

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1


Status = Literal["new", "update", "context"]


class Incident(_Out):
    """One event, possibly merged from several records, with its reconciled figures."""

    id: str
    records: list[str]
    status: Status = Field(
        description="new: happened in the period; update: older, with statements reported in "
        "the period; context: older, for background."
    )
    date: dt.date
    end_date: dt.date | None = None
    date_precision: DatePrecision
    date_text: str = Field(description="The date as a reader should see it: 'mid-May 2025'.")
    country: str
    country_name: str
    admin1: str | None = None
    admin2: str | None = None
    location: str
    aliases: list[str] = Field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    event_type: EventType
    sub_event_type: SubEventType | None = None
    perpetrator: str | None = None
    target: str | None = None
    title: str | None = None
    summary: str | None = None
    tags: list[str] = Field(default_factory=list)
    severity: Severity = Severity.MINOR
    sources: list[int] = Field(default_factory=list)
    figures: list[FigureRow] = Field(default_factory=list)


class Total(_Out):
    """A period total for one country (or all), group and outcome."""

    country: str | None = Field(description="Alpha-3 code, or null for all countries.")
    group: Group | None = Field(description="Null for all groups.")
    outcome: Outcome
    low: int = Field(description="Conservative sum of credible lower bounds.")
    best: int | None
    high: int | None = Field(
        description="Sum of the largest figures, claims included (for open-ended figures, "
        "their lower bound: then the total is 'high or more')."
    )
    high_open: bool = Field(description="Some figure in the sum has no upper bound.")
    text: str = Field(description="'at least 45 killed; up to 260 including claims'.")
    incidents: int


class Trend(_Out):
    """This period against earlier ones, with ACLED's change levels (Trendfinder).

    Levels: more than 25% up 'large increase', 10-25% up 'moderate increase', from 25% down
    to 10% up 'limited change', more than 25% down 'large decrease'; with two incidents or
    fewer on average before and five or fewer now, 'limited change' (low activity).
    """

    metric: str = Field(description="'incidents' or 'killed' (conservative figure).")
    current: int
    previous: int
    average_7: float = Field(description="Average of the previous 7 periods.")
    average_30: float = Field(description="Average of the previous 30 periods.")
    change_previous: str
    change_7: str
    change_30: str


class SourceRef(_Out):
    """A numbered source in the report's source list."""

    number: int
    name: str
    url: str | None = None
    published: dt.date | None = None
    records: list[str]


class ProblemOut(_Out):
    """A data problem as listed in the report's data-quality section."""

    file: str
    line: int | None
    record: str | None
    field: str | None
    message: str


class Merge(_Out):
    """Records merged into one incident, and why."""

    incident: str
    records: list[str]
    reasons: list[str]


class DataQuality(_Out):
    """What the report's reader should know about the data behind it."""

    problems: list[ProblemOut] = Field(default_factory=list)
    skipped_records: list[str] = Field(default_factory=list)
    merges: list[Merge] = Field(default_factory=list)
    records_loaded: int = Field(
        default=0, description="Valid records in the dates the report reads (look-back, trends)."
    )


class KeyFigures(_Out):
    """The numbers at the top of the report."""

    incidents: int = Field(description="Incidents that happened in the period.")
    updates: int = Field(description="Older incidents with new statements in the period.")
    countries: list[str]
    killed: list[Total] = Field(description="Killed in the period, all countries, per group.")
    killed_all: Total


class Report(_Out):
    """A whole daily report: everything the templates and the JSON output show."""

    schema_version: Literal[1] = 1
    title: str
    filter: ReportFilter = ReportFilter()
    period: Period
    generated_at: dt.datetime
    data_as_of: dt.datetime | None = Field(
        description="Latest statement or publication date in the data."
    )
    key_figures: KeyFigures
    developments: list[str]
    table: list[FigureRow] = Field(
        description="Official vs claimed rows for incidents and updates in the period."
    )
    incidents: list[Incident] = Field(description="Incident log: new, updates, then context.")
    totals: list[Total]
    trends: list[Trend] = Field(default_factory=list)
    sources: list[SourceRef]
    data_quality: DataQuality
