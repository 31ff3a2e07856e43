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
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import Problem
from .figures import Basis as Basis  # the figure models, long imported from here
from .figures import Cell as Cell
from .figures import Figure as Figure
from .figures import FigureRow as FigureRow
from .figures import Flag as Flag
from .figures import Place as Place
from .figures import Statement as Statement
from .filters import ReportFilter as ReportFilter  # long imported from here too
from .filters import Severity as Severity
from .records import DatePrecision, EventFields, Group, Outcome, Says, Stance


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


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


Status = Literal["new", "update", "restatement", "context"]


class _IncidentHead(_Out):
    id: str
    records: list[str]
    status: Status = Field(
        description="new: happened in the period; update: older, with statements made in the "
        "period; restatement: older, with statements first seen in the period but made "
        "earlier or at an unknown date; context: older, for background."
    )


class Restated(_Out):
    """Why an earlier incident is a restatement: who carried its statements again in the
    period, and when they were first made (if known)."""

    sources: list[int] = Field(description="The sources that restated it in the period.")
    names: list[str] = Field(description="Their names.")
    seen: dt.date = Field(description="When it was restated (first seen) in the period.")
    first_said: dt.date | None = Field(description="When first said; null: unknown.")
    first_said_precision: DatePrecision = DatePrecision.DAY


class OutcomeView(_Out):
    """One outcome statement as the report shows it: 'JNIM says it seized the base'."""

    record: str
    by: str
    stance: Stance
    says: Says
    quote: str | None = None
    reported: dt.date | None = Field(description="When it was made (else first seen).")
    date_known: bool = True
    sources: list[int]
    contradicted: bool = Field(
        default=False, description="Another speaker said something that cannot also be true."
    )


class Incident(EventFields, _IncidentHead):
    """One event, possibly merged from several records, with its reconciled figures.

    Its event fields are those of :class:`~sitrep.model.records.EventFields`, as merged."""

    # the JSON output adds worded fields (date_text, country_name): read back, they are ignored
    model_config = ConfigDict(frozen=True, extra="ignore")

    severity: Severity = Severity.MINOR
    sources: list[int] = Field(default_factory=list)
    figures: list[FigureRow] = Field(default_factory=list)
    outcomes: list[OutcomeView] = Field(
        default_factory=list, description="What speakers said happened, earliest first."
    )
    restated: Restated | None = Field(
        default=None, description="Set for a restatement: who restated it, first said when."
    )


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
        default=0, description="Sum of the largest credible figures (no claims, no party claims)."
    )
    credible_rows: int = Field(
        default=0, description="Rows with a credible figure (0: no credible figure at all)."
    )
    vague_rows: int = Field(
        default=0,
        description="Rows whose credible figures are all vague words or bounds ('many', "
        "'up to 10'): no floor, so they add nothing to the total.",
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


class PossibleDuplicate(_Out):
    """Two records that match only in part: never merged silently; confirm with
    ``same_as`` or dismiss with ``not_same_as``."""

    a: str
    b: str
    place_a: str
    place_b: str
    day_a: dt.date
    day_b: dt.date
    reason: Literal["event_type", "sub_event_type", "uncorroborated"] = Field(
        description="event_type/sub_event_type: the kinds of event differ; uncorroborated: "
        "different days with no shared actor, source or nearby coordinates."
    )


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
    possible_duplicates: list[PossibleDuplicate] = Field(default_factory=list)
    records_loaded: int = Field(
        default=0, description="Valid records in the dates the report reads (look-back, trends)."
    )


class FigureChange(_Out):
    """New information on an earlier incident: a row's credible figures before the period
    and now."""

    incident: str
    group: Group
    outcome: Outcome
    before_low: int | None
    before_high: int | None
    before_open: bool = False
    low: int | None
    high: int | None
    high_open: bool = False


class UnconfirmedClaim(_Out):
    """A claim (or party claim) that no other source confirms: listed, never summed."""

    incident: str
    group: Group
    outcome: Outcome
    statement: Statement


class KeyFigures(_Out):
    """The numbers at the top of the report: three blocks never added together."""

    incidents: int = Field(description="Incidents that happened in the period.")
    updates: int = Field(description="Older incidents with statements made in the period.")
    restatements: int = Field(
        default=0, description="Older incidents whose statements in the period are restated."
    )
    countries: list[str]
    killed: list[Total] = Field(
        description="Killed in incidents of the period, all countries, per group (credible)."
    )
    killed_all: Total
    new_information: list[FigureChange] = Field(
        default_factory=list, description="Earlier incidents: credible figures before and now."
    )
    unconfirmed: list[UnconfirmedClaim] = Field(
        default_factory=list, description="Claims no other source confirms (never summed)."
    )


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
        description="The largest killed figure of that day's incidents that only claims give "
        "(a claim's highest figure); claims are never added together."
    )
    claimed_incidents: int = Field(
        default=0, description="How many of that day's incidents only claims give a toll for."
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
    as_of: dt.datetime | None = Field(
        default=None, description="Statements made or published after this are left out."
    )
    later_statements: int = Field(
        default=0, description="Statements in the data made or published after as_of."
    )
    key_figures: KeyFigures
    key_developments: list[Development] = Field(
        description="The key developments, most important first, as facts."
    )
    table: list[FigureRow] = Field(
        description="Official vs claimed rows: incidents of the period, updates, restatements."
    )
    incidents: list[Incident] = Field(
        description="Incident log: new, updates, restatements, then context."
    )
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
