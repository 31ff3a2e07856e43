"""Codes, flags, headings, countries and the table's figures, in French."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

from babel import Locale
from babel.dates import format_date

from ...model.report import Flag
from ..labels import FlagInfo
from ..numbers import fmt_num

LABELS: dict[str, str] = {
    # casualty groups, as the people counted (the table reads 'Soldats tués')
    "state_forces": "Soldats", "armed_group": "Assaillants", "civilians": "Civils",
    "foreign_forces": "Soldats étrangers", "unknown": "Inconnus",
    # outcomes, as they follow a plural noun
    "killed": "Tués", "wounded": "Blessés", "missing": "Portés disparus",
    "abducted": "Enlevés", "arrested": "Arrêtés",
    # event types
    "battles": "Combats", "explosions_remote_violence": "Explosions/violence à distance",
    "violence_against_civilians": "Violence contre les civils", "protests": "Manifestations",
    "riots": "Émeutes", "strategic_developments": "Développements stratégiques",
    # sub-event types
    "armed_clash": "Affrontement armé",
    "government_regains_territory": "Reprise de territoire par le gouvernement",
    "non_state_actor_overtakes_territory": "Prise de territoire par un acteur non étatique",
    "chemical_weapon": "Arme chimique", "air_drone_strike": "Frappe aérienne/de drone",
    "suicide_bomb": "Attentat-suicide",
    "shelling_artillery_missile_attack": "Bombardement/artillerie/missile",
    "remote_explosive_landmine_ied": "Explosif à distance/mine/EEI", "grenade": "Grenade",
    "sexual_violence": "Violence sexuelle", "attack": "Attaque",
    "abduction_forced_disappearance": "Enlèvement/disparition forcée",
    "peaceful_protest": "Manifestation pacifique",
    "protest_with_intervention": "Manifestation avec intervention",
    "excessive_force_against_protesters": "Force excessive contre des manifestants",
    "violent_demonstration": "Manifestation violente", "mob_violence": "Violence de foule",
    "agreement": "Accord", "arrests": "Arrestations",
    "change_to_group_activity": "Changement d’activité d’un groupe",
    "disrupted_weapons_use": "Usage d’armes empêché",
    "headquarters_or_base_established": "Quartier général ou base établi",
    "looting_property_destruction": "Pillage/destruction de biens",
    "non_violent_transfer_of_territory": "Transfert non violent de territoire",
    "other": "Autre",
    # stances, statuses, severities, trends
    "official": "Officiel", "claimed": "Revendiqué", "independent": "Indépendant",
    "new": "Nouveau", "update": "Mise à jour", "restatement": "Reprise", "context": "Contexte",
    "minor": "Mineure", "moderate": "Modérée", "major": "Majeure", "critical": "Critique",
    "incidents": "Incidents",
    "large increase": "forte hausse", "moderate increase": "hausse modérée",
    "limited change": "changement limité", "moderate decrease": "baisse modérée",
    "large decrease": "forte baisse",
}  # fmt: skip

TREND_LABELS = {"incidents": "Incidents", "killed": "Tués (chiffres crédibles)"}

GROUP_WORDS: dict[str, str] = {
    "state_forces": "forces de l’État", "armed_group": "groupe armé", "civilians": "civils",
    "foreign_forces": "forces étrangères", "unknown": "groupe inconnu",
}

FLAGS: dict[Flag, FlagInfo] = {
    Flag.OFFICIAL_CONTRADICTION: FlagInfo(
        "désaccord",
        "des responsables ont donné des chiffres qui ne peuvent pas tous être vrais "
        "(⚠ dans la cellule)",
    ),
    Flag.NO_OFFICIAL: FlagInfo("sans officiel", "les autorités n’ont rien dit de ce chiffre"),
    Flag.OFFICIAL_NO_FIGURE: FlagInfo(
        "sans bilan", "les autorités se sont exprimées sans donner de chiffre"
    ),
    Flag.CLAIM_SPREAD: FlagInfo(
        "écart", "une revendication vaut plusieurs fois le chiffre crédible"
    ),
    Flag.CLAIMED_ONLY: FlagInfo(
        "revendiqué", "seules des revendications (de l’auteur ou d’une partie) ont "
        "donné un chiffre : aucune estimation crédible"
    ),
    Flag.REVISED: FlagInfo("révisé", "un locuteur a révisé son chiffre"),
    Flag.PARTY_CLAIM: FlagInfo(
        "partie", "une partie aux combats a donné un chiffre pour les "
        "pertes de son ennemi : une revendication, exclue du bas et du meilleur sauf si une "
        "source qui n’est pas partie donne aussi un chiffre précis"
    ),
}

STATUS_HEADINGS: dict[str, str] = {
    "new": "Nouveaux dans la période",
    "update": "Nouvelles informations sur des incidents antérieurs",
    "restatement": "Repris : chiffres antérieurs répétés dans la période, pas une nouvelle",
    "context": "Contexte",
}

NO_FIGURE = "aucun bilan donné"
SEVERITY_UNKNOWN = "pas encore connue"

TLP_MEANINGS = {
    "TLP:CLEAR": "La diffusion n’est pas limitée.",
    "TLP:GREEN": "Diffusion limitée : les destinataires peuvent le partager au sein de leur "
    "communauté.",
    "TLP:AMBER": "Diffusion limitée : les destinataires peuvent le partager, selon le besoin "
    "d’en connaître, au sein de leur organisation et avec ses clients.",
    "TLP:AMBER+STRICT": "Diffusion limitée : les destinataires peuvent le partager, selon le "
    "besoin d’en connaître, au sein de leur organisation seulement.",
    "TLP:RED": "Pour les seuls destinataires nommés : aucune autre diffusion.",
}
"""Ce que chaque étiquette TLP 2.0 demande au lecteur (définitions TLP 2.0 du FIRST, abrégées)."""


def label(value: object) -> str:
    """A code in French words: 'state_forces' -> 'Soldats', 'battles' -> 'Combats'."""
    raw = str(getattr(value, "value", value))
    return LABELS.get(raw) or raw.replace("_", " ").capitalize()


def words(value: object) -> str:
    """A code in lower-case French words, inside a sentence."""
    raw = str(getattr(value, "value", value))
    if raw in GROUP_WORDS:
        return GROUP_WORDS[raw]
    text = label(value)
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


@cache
def _alpha2() -> dict[str, str]:
    text = resources.files("sitrep").joinpath("countries.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {r[1]: r[0] for r in rows if len(r) > 1}


def country(code: str) -> str:
    """A country's French name (CLDR, through Babel): 'Mali', 'Burkina Faso', 'Tchad'."""
    alpha2 = _alpha2().get(code)
    name = Locale.parse("fr").territories.get(alpha2 or "")
    return str(name) if name else code


def date(value: dt.date | None, short: bool = False) -> str:
    """'1er juin 2025', '2 juin 2025' ('2 juin 2025' short too: French months are short)."""
    if value is None:
        return ""
    text = format_date(value, "d MMM y" if short else "d MMMM y", locale="fr")
    return "1er" + text[1:] if value.day == 1 else text


def day_month(value: dt.date, short: bool = False) -> str:
    """'1er juin', '24 mai'."""
    text = format_date(value, "d MMM" if short else "d MMMM", locale="fr")
    return "1er" + text[1:] if value.day == 1 else text


def fmt_range(low: int | None, high: int | None, high_open: bool = False) -> str:
    """'31', '13–14', '31+', 'jusqu’à 40'."""
    plus = "+" if high_open else ""
    if low is None and high is None:
        return "—"
    if low is None:
        return f"jusqu’à {fmt_num(high, 'fr')}{plus}"
    if high is None or high == low:
        return f"{fmt_num(low, 'fr')}{plus}"
    return f"{fmt_num(low, 'fr')}–{fmt_num(high, 'fr')}{plus}"
