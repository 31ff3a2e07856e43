"""Les mots du PDF d'une longue période : ce que montre son tableau, où est le reste, et le
chiffre d'une ligne d'incident (the French of ``wording/digest.py``)."""

from __future__ import annotations

from collections.abc import Callable

from ...summarise.ranking import Tally

SHOWN_ELSEWHERE = "les éditions HTML et JSON et le fichier CSV joint"


SHORT_TYPES = {
    "battles": "combat",
    "explosions_remote_violence": "explosion",
    "violence_against_civilians": "civils",
    "protests": "manifestation",
    "riots": "émeute",
    "strategic_developments": "stratégique",
}
"""Les types d'événement d'ACLED en un ou deux mots, pour les lignes d'incident."""


def table_scope(shown: int, ranked: int, num: Callable[[int], str]) -> str:
    """Ce que contient le tableau des chiffres d'une longue période, et dans quel ordre."""
    return (
        f"Les {num(shown)} incidents les plus importants, sur les {num(ranked)} qui ont du "
        "nouveau dans la période, les plus graves d'abord : gravité, puis bilan crédible des "
        "tués, puis la plus forte revendication, puis le plus récent."
    )


def chart_scope(shown: int, ranked: int, num: Callable[[int], str]) -> str:
    """Ce que montre le graphique des victimes d'une longue période."""
    return (
        f"Le graphique montre les {num(shown)} incidents les plus importants, sur les "
        f"{num(ranked)} qui ont du nouveau dans la période ; les autres sont dans le "
        "journal des incidents."
    )


def left_out(rest: int, context: int, num: Callable[[int], str]) -> str:
    """Où sont les incidents qui ne sont pas présentés en entier."""
    parts = []
    if rest == 1:
        parts.append("l'autre incident ayant du nouveau dans la période est listé ci-dessous")
    elif rest:
        parts.append(f"les {num(rest)} autres incidents ayant du nouveau dans la période sont "
                     "listés ci-dessous, un par ligne")  # fmt: skip
    if context == 1:
        parts.append("1 incident antérieur sans nouveauté (contexte) est listé sur une ligne")
    elif context:
        parts.append(f"{num(context)} incidents antérieurs sans nouveauté (contexte) sont "
                     "listés un par ligne")  # fmt: skip
    lead = " ; ".join(parts)
    return f"{lead[:1].upper()}{lead[1:]} ; le journal complet figure dans {SHOWN_ELSEWHERE}."


def more_elsewhere(n: int, num: Callable[[int], str]) -> str:
    """'12 autres dans les éditions HTML et JSON et le fichier CSV joint.'"""
    return f"{num(n)} de plus dans {SHOWN_ELSEWHERE}."


def tally(t: Tally, rng: Callable[[int | None, int | None, bool], str],
          words: Callable[[object], str]) -> str:  # fmt: skip
    """'12 tués', '12–20 tués', 'revendiqué' (aucun chiffre crédible), 'chiffre conjoint'."""
    if t.outcome is None:
        return "chiffre conjoint" if t.joint else "aucun chiffre"
    if t.claimed_only:
        return "revendiqué"
    if t.vague:
        return "chiffres vagues seulement"
    return f"{rng(t.low, t.high, t.high_open)} {words(t.outcome)}"
