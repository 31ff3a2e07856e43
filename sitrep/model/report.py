"""The report's data model: what reconcile and summarise produce, and render consumes.

Numbers, codes and references only: every word a reader reads is written from these by
:mod:`sitrep.wording`, in the edition's language. The JSON output of ``sitrep generate``
is :class:`Report` serialised, with the worded fields of that language added where the
JSON has always had them (``render/json.py``; documented in ``docs/report-json.md``).
Figures keep the speaker's wording (``wording``) and their bounds (``low``/``high``);
``high`` is ``null`` when the wording sets no upper bound.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import Problem
from .counts import CountKind
from .records import DatePrecision, EventFields, Group, Outcome, Stance


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


class Figure(_Out):
    """A figure as a speaker stated it: the words as coded and the bounds they support."""

    wording: str = Field(description="The figure exactly as coded: 'more than 30'.")
    kind: CountKind
    low: int
    high: int | None = Field(description="Null when the wording sets no upper bound.")
    approx: str | None = Field(
        default=None, description="The hedge of an 'about' figure as coded: 'nearly', '~'."
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
    previous: Figure | None = Field(
        default=None,
        description="The speaker's earlier figure this statement replaced (null with "
        "revised_on set: the earlier statement gave no figure).",
    )

    @property
    def figure(self) -> Figure | None:
        """The statement's figure, or None when the speaker gave none."""
        if self.kind is None or self.wording is None or self.low is None:
            return None
        return Figure(
            wording=self.wording, kind=self.kind, low=self.low, high=self.high, approx=self.approx
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

    rule: Literal["no_figure", "claimed_only", "credible"]
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
    low: int | None = Field(description="Conservative figure credible sources support.")
    best: int | None = Field(description="Best estimate; null when only claims exist.")
    high: int | None = Field(description="Largest figure anyone stated, claims included.")
    high_open: bool = Field(
        default=False, description="The largest statement set no upper bound ('more than 30')."
    )
    flags: list[Flag] = Field(default_factory=list)
    derivation: Basis = Field(description="How low, best and high were chosen.")
    places: list[Place] = Field(
        default_factory=list, description="Place and date of each of the row's incidents."
    )

    @property
    def claimed_only(self) -> bool:
        """Only the perpetrator gave a figure: no credible estimate exists."""
        return self.best is None and (
            Flag.CLAIMED_ONLY in self.flags
            or (self.claimed.status == "figure" and self.low is None)
        )

    @property
    def estimate_point(self) -> float:
        """The size a row gives an incident's map marker: best, else low, else 0."""
        if self.best is not None:
            return float(self.best)
        return float(self.low or 0)


class Period(_Out):
    """The reporting period: whole days in the configured time zone."""

    start: dt.date
    end: dt.date = Field(description="Last day of the period, inclusive.")
    timezone: str
    context_start: dt.date = Field(description="First day of the look-back window.")

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1


Status = Literal["new", "update", "context"]


class _IncidentHead(_Out):
    id: str
    records: list[str]
    status: Status = Field(
        description="new: happened in the period; update: older, with statements reported in "
        "the period; context: older, for background."
    )


class Incident(EventFields, _IncidentHead):
    """One event, possibly merged from several records, with its reconciled figures.

    Its event fields are those of :class:`~sitrep.model.records.EventFields`, as merged."""

    # the JSON output adds worded fields (date_text, country_name): read back, they are ignored
    model_config = ConfigDict(frozen=True, extra="ignore")

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
    incidents: int
    rows: int = Field(default=0, description="Rows of figures added up (0: nobody reported).")
    high_credible: int = Field(
        default=0, description="Sum of the largest figures of officials and independent sources."
    )


class Change(StrEnum):
    """ACLED's change levels (Trendfinder)."""

    LARGE_INCREASE = "large increase"
    MODERATE_INCREASE = "moderate increase"
    LIMITED_CHANGE = "limited change"
    LARGE_DECREASE = "large decrease"


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
    change_previous: Change
    change_7: Change
    change_30: Change


class SourceRef(_Out):
    """A numbered source in the report's source list."""

    number: int
    name: str
    url: str | None = None
    published: dt.date | None = None
    records: list[str]


class MergeLink(_Out):
    """Why two records (or merged incidents) were taken as one event."""

    a: str = Field(description="Id of the first record.")
    b: str = Field(description="Id of the second record.")
    rule: Literal["same_as", "same_name", "alias", "similar_name", "distance"]
    place_a: str
    place_b: str
    day_a: dt.date
    day_b: dt.date
    score: float | None = Field(default=None, description="Name similarity (0-100).")
    km: float | None = Field(default=None, description="Distance between the two places.")
    radius_km: float | None = Field(default=None, description="The merge radius applied.")


class Merge(_Out):
    """Records merged into one incident, and why."""

    incident: str
    records: list[str]
    links: list[MergeLink] = Field(default_factory=list)


class DataQuality(_Out):
    """What the report's reader should know about the data behind it."""

    problems: list[Problem] = Field(default_factory=list)
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


class Development(_Out):
    """One key development, as a fact the wording layer writes a sentence from."""

    kind: Literal["quiet", "overview", "incident"] = Field(
        description="quiet: nothing reported; overview: the count of incidents and the "
        "killed total; incident: what happened in one incident and who said how many."
    )
    incident: str | None = None
    novel: bool = Field(
        default=False, description="The first incident in its admin1 region for a month."
    )


class DayCount(_Out):
    """One day in one country, by incident date: the daily chart's numbers."""

    day: dt.date
    country: str = Field(description="Alpha-3 code.")
    incidents: int = Field(description="Incidents that happened that day in that country.")
    killed_low: int = Field(description="Killed, conservative figure of credible sources.")
    killed_claimed: int = Field(
        description="Killed in figures only claims give (their highest figure), apart."
    )


class EditionNotes(_Out):
    """What the desk adds at the top of an edition: the analyst's key messages and comment
    (Markdown, rendered sanitised), the marking, and whether it was reviewed."""

    key_messages: str = Field(default="", description="Markdown, written on the desk.")
    comment: str = Field(default="", description="Markdown, written on the desk.")
    marking: str | None = Field(
        default=None, description="TLP 2.0 label (TLP:AMBER, ...) or a classification line."
    )
    reviewed: bool = Field(default=True, description="False: a draft sent unreviewed.")
    issue: int = Field(default=1, description="1 for the edition, 2, 3... for corrections.")
    correction_of: dt.date | None = Field(
        default=None, description="The report day an issue corrects (a corrected re-issue)."
    )


class Report(_Out):
    """A whole daily report: everything the templates and the JSON output show."""

    schema_version: Literal[1] = 1
    title: str
    language: str = Field(default="en", description="The language of the edition's words.")
    filter: ReportFilter = ReportFilter()
    period: Period
    generated_at: dt.datetime
    data_as_of: dt.datetime | None = Field(
        description="Latest statement or publication date in the data."
    )
    key_figures: KeyFigures
    key_developments: list[Development] = Field(
        description="The key developments, most important first, as facts."
    )
    table: list[FigureRow] = Field(
        description="Official vs claimed rows for incidents and updates in the period."
    )
    incidents: list[Incident] = Field(description="Incident log: new, updates, then context.")
    totals: list[Total]
    trends: list[Trend] = Field(default_factory=list)
    sources: list[SourceRef]
    data_quality: DataQuality
    daily: list[DayCount] = Field(
        default_factory=list,
        description="The 30 days ending with the period, by incident date and country "
        "(days with an incident only), oldest first.",
    )
    store_revision: int | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The revision of the database store the report was read at (absent: "
        "read from a folder of record files).",
    )
    desk: EditionNotes | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Key messages, comment and marking from the desk (absent: none).",
    )

    def incident(self, incident_id: str) -> Incident | None:
        """The incident with this id, if the report holds it."""
        return next((i for i in self.incidents if i.id == incident_id), None)
