"""The words of the casualty chart and the daily chart, in French."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from ..charts import ChartWords
from . import grammar
from .labels import day_month


class FrenchChartWords(ChartWords):
    """The charts in French: CLDR dates and numbers ('2 juin', '1 234'), French spacing."""

    casualty_title = grammar.typo(
        "Personnes tuées par incident : estimation crédible, chiffre le plus haut et déclarations"
    )
    casualty_axis = "personnes tuées"
    casualty_legend: ClassVar[dict[str, str]] = {
        "low": "bas crédible",
        "span": "du bas au meilleur",
        "high": "jusqu’au chiffre le plus haut (→ ouvert)",
        "claimed_only": "revendiqué seulement",
    }
    period_groups: ClassVar[dict[str, str]] = {
        "new": "Nouveaux dans la période",
        "earlier": "Incidents antérieurs",
    }
    claimed = ("{value} revendiqué", "{value} revendiqués")
    claimed_no_figure = "revendiqué"
    up_to = "{text} (jusqu’à {high})"
    vague_only = "chiffres vagues seulement"
    no_floor_label = "jusqu’à {high}"
    casualty_alt = (
        "Graphique en barres des personnes tuées par incident et par groupe. {rows}."
    )
    casualty_alt_row = "{label}, {group} : {value}"
    casualty_alt_group = "{heading} : {rows}"
    no_figure = "aucun chiffre"
    daily_title = grammar.typo(
        "Personnes tuées par jour sur les 30 derniers jours, par pays et date de l’incident : "
        "en haut l’estimation crédible (bas), en bas, à part, les chiffres que seules des "
        "revendications donnent"
    )
    daily_panels: ClassVar[dict[str, str]] = {
        "credible": "Estimation crédible (bas)",
        "claimed": "Revendiqué seulement (non vérifié, jamais additionné)",
        "claimed_legend": "revendiqué seulement",
    }
    daily_none = "aucun"
    daily_alt = (
        "Graphique en barres des personnes tuées par jour du {first} au {last}, par pays. "
        "{countries}."
    )
    daily_alt_days = "Jours avec un bilan : {days}."
    daily_country = ("{country} : {n} incident, {killed} tué (bas crédible)",
                     "{country} : {n} incidents, {killed} tués (bas crédible)")  # fmt: skip
    daily_country_claimed = (", revendications sur {days} jour, non additionnées",
                             ", revendications sur {days} jours, non additionnées")  # fmt: skip
    daily_day = "{day} {country} {killed}"
    daily_day_claimed = (" (revendiqués {claimed})",
                         " (revendiqués, {n} incidents : jusqu’à {claimed})")  # fmt: skip

    def finish(self, text: str) -> str:
        """French spacing: a narrow no-break space before ';' and ':'."""
        return grammar.typo(text)

    def day_label(self, day: dt.date) -> str:
        """'1er juin', '24 mai'."""
        return day_month(day, short=True)
