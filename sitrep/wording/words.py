"""``Words``: everything a reader reads, in one language.

Render and deliver ask a :class:`Words` for every word they show: figures, totals, dates,
labels, flags, sentences. English is the language written here; another language is a
subclass (its grammar) with its catalogue, registered in
:data:`sitrep.wording.languages.LANGUAGES`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..errors import Problem
from ..model.records import Group
from ..model.report import (
    FigureChange,
    FigureRow,
    Flag,
    Incident,
    Merge,
    MergeLink,
    OutcomeView,
    Period,
    PossibleDuplicate,
    Report,
    ReportFilter,
    Severity,
    Statement,
    Total,
    Trend,
    UnconfirmedClaim,
)
from ..summarise.ranking import Tally
from . import counts, digest, figures, furniture, headline, labels, numbers, sentences
from .charts import ChartWords


class Words:
    """The English words of a report (the base every language builds on)."""

    language = "en"
    locale = "en"
    silent = numbers.SILENT
    no_figure = labels.NO_FIGURE
    contradiction_mark = labels.CONTRADICTION_MARK
    flags: dict[Flag, labels.FlagInfo] = labels.FLAGS
    status_headings: dict[str, str] = labels.STATUS_HEADINGS
    chart_words: type[ChartWords] = ChartWords

    # --- numbers and dates --------------------------------------------------------------

    def num(self, value: int | float | None) -> str:
        """'1,234'; an em dash for None."""
        return numbers.fmt_num(value, self.locale)

    def date(self, value: dt.date | None, short: bool = False) -> str:
        """'2 June 2025' ('2 Jun 2025'); empty for None."""
        return numbers.fmt_date(value, short, self.locale)

    def datetime(self, value: dt.datetime | None, timezone: str) -> str:
        """'3 June 2025, 06:00 UTC' in ``timezone``."""
        return numbers.fmt_datetime(value, timezone, self.locale)

    def range(self, low: int | None, high: int | None, high_open: bool = False) -> str:
        """'13–14', '31+'."""
        return labels.fmt_range(low, high, high_open)

    def refs(self, numbers_: Iterable[int]) -> str:
        """'[1, 5]'."""
        return labels.refs(numbers_)

    # --- codes --------------------------------------------------------------------------

    def label(self, code: object) -> str:
        """'State forces', 'Battles'."""
        return labels.label(code)

    def words(self, code: object) -> str:
        """'state forces' (inside a sentence)."""
        return labels.words(code)

    def group(self, group: Group) -> str:
        """'state forces', 'group unknown'."""
        return labels.group_words(group)

    def country(self, code: str) -> str:
        """'Mali' for MLI."""
        return labels.country(code)

    def term(self, code: object) -> str:
        """A status, stance, severity or trend as a word: 'new', 'official' (its code)."""
        return str(getattr(code, "value", code))

    def severity(self, incident: Incident) -> str:
        """'major'; 'not yet known' when nobody has given a figure yet."""
        return furniture.severity_text(incident)

    def marking_meaning(self, marking: str | None) -> str:
        """What a TLP label asks of the reader; empty for a free-text marking."""
        return furniture.marking_meaning(marking)

    def describe_filter(self, flt: ReportFilter) -> str:
        """'Mali, Niger; Ménaka; major incidents and worse' ('' for no filter)."""
        parts: list[str] = []
        if flt.countries:
            parts.append(", ".join(sorted(self.country(c) for c in flt.countries)))
        if flt.admin1:
            parts.append(", ".join(sorted(flt.admin1)))
        if flt.min_severity is not Severity.MINOR:
            parts.append(f"{flt.min_severity.value} incidents and worse")
        return "; ".join(parts)

    # --- figures ------------------------------------------------------------------------

    def statement(self, s: Statement) -> str | None:
        """A statement's figure ('more than 30'); None when it gave none."""
        return counts.statement(s)

    def statement_or_none(self, s: Statement) -> str:
        """A statement's figure, or 'no toll given'."""
        return labels.statement_text(s)

    def revised_from(self, s: Statement) -> str | None:
        """The figure a revision replaced."""
        return counts.revised_from(s)

    def high(self, row: FigureRow) -> str:
        """The row's high column: '31+'."""
        return labels.fmt_high(row)

    def estimate(self, row: FigureRow) -> str:
        """'low 13 · best 14 · high 14'."""
        return labels.estimate_text(row)

    def basis(self, row: FigureRow) -> str:
        """How low/best/high were chosen."""
        return figures.basis_text(row)

    def row_label(self, row: FigureRow) -> str:
        """'Boulkessi, 1 Jun'."""
        return figures.row_label(row, self.locale)

    def joint_label(self, row: FigureRow) -> str:
        """'joint: Tahoua + Dosso' ('' for a single incident)."""
        return figures.joint_label(row)

    def total(self, t: Total) -> str:
        """'at least 146 killed; 347 or more including claims'."""
        return figures.total_text(t)

    def period(self, p: Period) -> str:
        """'27 May – 2 June 2025'."""
        return figures.period_label(p, self.locale)

    def long_period(self, p: Period) -> str:
        """'27 May 2025 – 2 June 2025'."""
        return figures.long_period(p, self.locale)

    def incident_date(self, inc: Incident) -> str:
        """'mid-May 2025'."""
        return figures.date_text(inc.date, inc.date_precision, inc.end_date, self.locale)

    def incident_country(self, inc: Incident) -> str:
        """The incident's country name."""
        return self.country(inc.country)

    def merge_reason(self, link: MergeLink) -> str:
        """'a + b: same place name (Boulkessi / Boulkessi), same date'."""
        return figures.merge_reason(link)

    def merge_reasons(self, merge: Merge) -> list[str]:
        """Why each pair of a merge's records was merged."""
        return [self.merge_reason(link) for link in merge.links]

    def problem(self, p: Problem) -> str:
        """'file:line: record id: field f: message' (messages are English diagnostics)."""
        return str(p)

    # --- restatements, changes, claims, outcomes ----------------------------------------

    def statement_marks(self, s: Statement) -> str:
        """'party claim; via Reuters'."""
        return headline.statement_marks(s)

    def outcome(self, o: OutcomeView) -> str:
        """'JNIM said it seized the position (disputed)'."""
        return headline.outcome_text(o)

    def change(self, c: FigureChange) -> str:
        """'state forces killed: no credible figure before, 31+ now'."""
        return headline.change_text(c)

    def unconfirmed(self, u: UnconfirmedClaim) -> str:
        """'FAMa: 14 armed group killed (party claim)'."""
        return headline.unconfirmed_text(u)

    def restated(self, inc: Incident) -> str | None:
        """'restated by TRT World on 2 June; first said mid-May'."""
        return headline.restated_text(inc.restated)

    def possible_duplicate(self, d: PossibleDuplicate) -> str:
        """Why two records may be one event, and how to decide."""
        return figures.possible_duplicate(d)

    def trend_label(self, t: Trend) -> str:
        """What a trend counts: 'Incidents', 'Killed (credible figures)' (the credible
        figures added up, claims never: not a toll anyone gave)."""
        return labels.TREND_LABELS.get(t.metric) or self.label(t.metric)

    def as_of_note(self, report: Report) -> str | None:
        """Later statements left out, and how to include them."""
        return headline.as_of_note(report)

    # --- sentences ----------------------------------------------------------------------

    def developments(self, report: Report) -> list[str]:
        """The key developments as sentences."""
        return sentences.developments(report)

    # --- charts -------------------------------------------------------------------------

    def charts(self) -> ChartWords:
        """The words of the casualty and daily charts."""
        return self.chart_words(self)

    def chart_texts(self, report: Report, scope: str = "") -> list[dict[str, str]]:
        """Each chart the report draws (the map apart): name, title and text alternative
        (the casualty chart's opened by ``scope``, what a big period's chart leaves out)."""
        return self.charts().texts(report, scope)

    # --- a big period's PDF ---------------------------------------------------------------

    def tally(self, t: Tally) -> str:
        """An incident's figure on its one-line entry: '12–20 killed', 'claimed only'."""
        return self._digest.tally(t, self.range, self.words)

    def short_type(self, code: object) -> str:
        """An event type in a word or two: 'battle', 'on civilians'."""
        return self._digest.SHORT_TYPES.get(str(getattr(code, "value", code)), self.words(code))

    def table_scope(self, shown: int, ranked: int) -> str:
        """What a big period's figures table holds, and in which order."""
        return self._digest.table_scope(shown, ranked, self.num)

    def chart_scope(self, shown: int, ranked: int) -> str:
        """What the casualty chart of a big period shows."""
        return self._digest.chart_scope(shown, ranked, self.num)

    def left_out(self, rest: int, context: int) -> str:
        """Which incidents are one a line, and where the full log is."""
        return self._digest.left_out(rest, context, self.num)

    def more_elsewhere(self, n: int) -> str:
        """'12 more in the HTML and JSON editions and the attached CSV.'"""
        return self._digest.more_elsewhere(n, self.num)

    _digest = digest
