"""``FrenchWords``: the report in French, through the same methods as :class:`Words`."""

from __future__ import annotations

import datetime as dt

from ...model.records import Group
from ...model.report import (
    FigureChange,
    FigureRow,
    Incident,
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
from .. import numbers
from ..furniture import has_killed_figure
from ..words import Words
from . import digest, figures, grammar, labels, sentences
from .charts import FrenchChartWords


class FrenchWords(Words):
    """The French words of a report: French grammar (agreement, 'selon ...', 'a dit avoir
    tué'), CLDR dates and numbers ('2 juin 2025', '1 234'), French labels and flags."""

    language = "fr"
    locale = "fr"
    no_figure = labels.NO_FIGURE
    flags = labels.FLAGS
    _digest = digest
    status_headings = labels.STATUS_HEADINGS
    chart_words = FrenchChartWords

    def date(self, value: dt.date | None, short: bool = False) -> str:
        """'1er juin 2025'."""
        return labels.date(value, short)

    def datetime(self, value: dt.datetime | None, timezone: str) -> str:
        """'3 juin 2025, 06:00 UTC'."""
        return numbers.fmt_datetime(value, timezone, "fr")

    def range(self, low: int | None, high: int | None, high_open: bool = False) -> str:
        """'13–14', '31+'."""
        return labels.fmt_range(low, high, high_open)

    def label(self, code: object) -> str:
        """'Soldats', 'Combats'."""
        return labels.label(code)

    def words(self, code: object) -> str:
        """'forces de l’État', 'tués'."""
        return labels.words(code)

    def group(self, group: Group) -> str:
        """'forces de l’État', 'groupe inconnu'."""
        return labels.words(group)

    def country(self, code: str) -> str:
        """'Tchad' for TCD."""
        return labels.country(code)

    def term(self, code: object) -> str:
        """A status, stance, severity or trend in French: 'nouveau', 'officiel'."""
        return labels.label(code).lower()

    def severity(self, incident: Incident) -> str:
        """'majeure'; 'pas encore connue' with no figure yet."""
        if incident.severity is Severity.MINOR and not has_killed_figure(incident):
            return labels.SEVERITY_UNKNOWN
        return self.term(incident.severity)

    def marking_meaning(self, marking: str | None) -> str:
        """Ce qu'une étiquette TLP demande au lecteur ; vide pour un marquage libre."""
        return labels.TLP_MEANINGS.get(marking or "", "")

    def describe_filter(self, flt: ReportFilter) -> str:
        """'Mali, Niger ; Ménaka ; incidents majeurs et plus graves'."""
        parts: list[str] = []
        if flt.countries:
            parts.append(", ".join(sorted(self.country(c) for c in flt.countries)))
        if flt.admin1:
            parts.append(", ".join(sorted(flt.admin1)))
        if flt.min_severity is not Severity.MINOR:
            parts.append(f"gravité {self.term(flt.min_severity)} et plus")
        return grammar.typo("; ".join(parts))

    def statement(self, s: Statement) -> str | None:
        """'plus de 30'."""
        return grammar.statement(s)

    def statement_or_none(self, s: Statement) -> str:
        """'plus de 30', or 'aucun bilan donné'."""
        return grammar.statement(s) or labels.NO_FIGURE

    def revised_from(self, s: Statement) -> str | None:
        """The figure a revision replaced."""
        return figures.revised_from(s)

    def high(self, row: FigureRow) -> str:
        """'31+'."""
        return figures.high(row)

    def estimate(self, row: FigureRow) -> str:
        """'bas 13 · meilleur 14 · haut 14'."""
        return figures.estimate_text(row)

    def basis(self, row: FigureRow) -> str:
        """How bas/meilleur/haut were chosen."""
        return figures.basis_text(row)

    def row_label(self, row: FigureRow) -> str:
        """'Boulkessi, 1er juin'."""
        if len(row.places) != len(row.incidents):
            return " + ".join(row.incidents)
        out = []
        for p in row.places:
            if p.date_precision.value == "day":
                out.append(f"{p.location}, {labels.day_month(p.date, short=True)}")
            else:
                text = figures.date_text(p.date, p.date_precision, p.end_date)
                out.append(f"{p.location}, {text.rsplit(' ', 1)[0]}")
        return " + ".join(out)

    def joint_label(self, row: FigureRow) -> str:
        """'conjoint : Tahoua + Dosso'."""
        english = super().joint_label(row)
        return grammar.typo("conjoint: " + english.removeprefix("joint: ")) if english else ""

    def total(self, t: Total) -> str:
        """'au moins 146 tués ; 347 ou plus'."""
        return figures.total_text(t)

    def period(self, p: Period) -> str:
        """'27 mai – 2 juin 2025'."""
        return figures.period_label(p)

    def long_period(self, p: Period) -> str:
        """'27 mai 2025 – 2 juin 2025'."""
        return figures.long_period(p)

    def incident_date(self, inc: Incident) -> str:
        """'mi-mai 2025'."""
        return figures.date_text(inc.date, inc.date_precision, inc.end_date)

    def merge_reason(self, link: MergeLink) -> str:
        """'a + b : même nom de lieu (...), même date'."""
        return figures.merge_reason(link)

    def statement_marks(self, s: Statement) -> str:
        """'revendication d’une partie ; via Reuters'."""
        return figures.statement_marks(s)

    def outcome(self, o: OutcomeView) -> str:
        """'JNIM a dit avoir pris la position (contesté)'."""
        return figures.outcome_text(o)

    def change(self, c: FigureChange) -> str:
        """'soldats tués : aucun chiffre crédible avant, 31+ maintenant'."""
        return figures.change_text(c)

    def unconfirmed(self, u: UnconfirmedClaim) -> str:
        """'FAMa : 14 assaillants tués (revendication d’une partie)'."""
        return figures.unconfirmed_text(u)

    def restated(self, inc: Incident) -> str | None:
        """'repris par TRT World le 2 juin ; d’abord annoncé mi-mai'."""
        return figures.restated_text(inc.restated)

    def possible_duplicate(self, d: PossibleDuplicate) -> str:
        """Why two records may be one event, in French."""
        return figures.possible_duplicate(d)

    def trend_label(self, t: Trend) -> str:
        """'Incidents', 'Tués (chiffres crédibles)'."""
        return labels.TREND_LABELS.get(t.metric) or self.label(t.metric)

    def as_of_note(self, report: Report) -> str | None:
        """Later statements left out, in French."""
        return sentences.as_of_note(report)

    def developments(self, report: Report) -> list[str]:
        """The key developments in French."""
        return sentences.developments(report)
