"""Dates, periods, totals, estimates and the reasoning behind figures, in French."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from ...model.records import DatePrecision, Says, Stance
from ...model.report import (
    FigureChange,
    FigureRow,
    Flag,
    MergeLink,
    OutcomeView,
    Period,
    PossibleDuplicate,
    Restated,
    Statement,
    Total,
    UnconfirmedClaim,
)
from ..figures import credible_said
from ..labels import open_lows
from ..numbers import fmt_num
from . import grammar
from .labels import date, day_month, fmt_range

_WEEK = ("début", "mi", "fin")


def month_year(day: dt.date) -> str:
    """'juin 2025'."""
    return format_date(day, "MMMM y", locale="fr")


def date_text(day: dt.date, precision: DatePrecision, end_date: dt.date | None = None) -> str:
    """'1er juin 2025', 'mi-mai 2025', 'début mai 2025', 'mai 2025', '1er–3 juin 2025'."""
    if precision is DatePrecision.MONTH:
        return month_year(day)
    if precision is DatePrecision.WEEK:
        part = _WEEK[0 if day.day <= 10 else 1 if day.day <= 20 else 2]
        return f"{part}-{month_year(day)}" if part == "mi" else f"{part} {month_year(day)}"
    if end_date and end_date != day:
        if (end_date.year, end_date.month) == (day.year, day.month):
            return f"{day_month(day).split()[0]}–{date(end_date)}"
        return f"{day_month(day)} – {date(end_date)}"
    return date(day)


def period_label(period: Period) -> str:
    """'2 juin 2025', '27 mai – 2 juin 2025'."""
    start, end = period.start, period.end
    if start == end:
        return date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{day_month(start).split()[0]}–{date(end)}"
    if start.year == end.year:
        return f"{day_month(start)} – {date(end)}"
    return f"{date(start)} – {date(end)}"


def long_period(period: Period) -> str:
    """'27 mai 2025 – 2 juin 2025'."""
    if period.start == period.end:
        return date(period.end)
    return f"{date(period.start)} – {date(period.end)}"


def total_text(t: Total) -> str:
    """'au moins 45 tués ; 46 ou plus', 'aucun chiffre crédible', 'personne n’a été signalé tué'."""
    if not t.rows:
        return f"personne n’a été signalé {grammar.participle(t.outcome, False)}"
    if not t.credible_rows and t.vague_rows:
        if t.rows > t.vague_rows:
            return grammar.typo("aucun chiffre crédible précis (chiffres vagues non additionnés ; "
                                "revendications listées à part)")  # fmt: skip
        return "aucun chiffre crédible précis (seulement des chiffres vagues, non additionnés)"
    if not t.credible_rows:
        return "aucun chiffre crédible (seulement des revendications, listées à part)"
    text = f"au moins {fmt_num(t.low, 'fr')} {grammar.participle(t.outcome, True)}"
    high = t.high or 0
    if t.high_open:
        text += f" ; {fmt_num(high, 'fr')} ou plus" if high > (t.low or 0) else (
            " ; aucun chiffre supérieur donné")  # fmt: skip
    elif high > (t.low or 0):
        text += f" ; jusqu’à {fmt_num(high, 'fr')}"
    if t.vague_rows:
        n = t.vague_rows
        text += (f" ; {fmt_num(n, 'fr')} chiffre vague non additionné" if n == 1 else
                 f" ; {fmt_num(n, 'fr')} chiffres vagues non additionnés")  # fmt: skip
    return grammar.typo(text)


def high(row: FigureRow) -> str:
    """The high column: '31+'; 'ouvert' when only vague words or bounds ('many') left it
    open."""
    plus = "+" if row.high_open else ""
    if row.high is not None:
        return f"{fmt_num(row.high, 'fr')}{plus}"
    if not row.high_open:
        return "—"
    lows = open_lows(row)
    return f"{fmt_num(max(lows), 'fr')}+" if lows else "ouvert"


def estimate_text(row: FigureRow) -> str:
    """'bas 13 · meilleur 14 · haut 14'."""
    h = high(row)
    if row.best is not None:
        return f"bas {fmt_num(row.low, 'fr')} · meilleur {fmt_num(row.best, 'fr')} · haut {h}"
    if row.derivation.rule == "party_only":
        return f"aucune estimation crédible (revendication d’une partie seulement) · haut {h}"
    if Flag.CLAIMED_ONLY in row.flags:
        return f"aucune estimation crédible (revendiqué seulement) · haut {h}"
    if row.no_floor:
        return f"ni bas ni meilleur (chiffres vagues seulement) · haut {h}"
    if row.low is not None:
        return f"au moins {fmt_num(row.low, 'fr')} · pas de meilleure estimation · haut {h}"
    return "aucun chiffre"


def basis_text(row: FigureRow) -> str:
    """'bas 13 selon FAMa (13) ; meilleur 14 selon FAMa ; haut 14 selon FAMa'."""
    b = row.derivation
    if b.rule == "no_figure":
        return "aucun chiffre donné"
    top = ("aucun chiffre haut déclaré" if b.high_by is None
           else f"haut {fmt_num(row.high, 'fr')} selon {b.high_by}")  # fmt: skip
    if b.rule == "claimed_only":
        return grammar.typo(f"revendiqué seulement ; {top}")
    if b.rule == "party_only":
        return grammar.typo(
            f"revendications d’une partie seulement, exclues du bas et du meilleur ; {top}")
    if b.rule == "no_floor":
        said = "; ".join(credible_said(row, grammar.statement))
        return grammar.typo(f"ni bas ni meilleur : les chiffres crédibles ne sont que des mots "
                            f"vagues ou des bornes ({said}), qui ne fixent aucun plancher ; "
                            f"{top}")  # fmt: skip
    best = {
        "point": f"meilleur {fmt_num(row.best, 'fr')} selon {b.best_by}",
        "low": "meilleur = bas",
        "no_point": "meilleur = bas (aucun chiffre crédible exact)",
    }[b.best_rule or "no_point"]
    party = ("; revendications d’une partie comptées : une source qui n’est pas partie a donné "
             "un chiffre précis") if b.party_admitted else ""  # fmt: skip
    return grammar.typo(f"bas {fmt_num(row.low, 'fr')} selon {b.low_by} "
                        f"({grammar.figure(b.low_from)}); {best}; {top}{party}")  # fmt: skip


def revised_from(s: Statement) -> str | None:
    """The figure a revision replaced ('aucun chiffre' when there was none)."""
    if s.revised_on is None:
        return None
    return grammar.figure(s.previous) or "aucun chiffre"


SAYS: dict[Says, str] = {
    Says.SEIZED: "les assaillants ont pris la position",
    Says.REPELLED: "l’attaque a été repoussée",
    Says.WITHDREW: "les troupes se sont retirées",
    Says.HELD: "les troupes ont tenu la position",
    Says.RETOOK: "les troupes ont repris la position",
    Says.UNDER_CONTROL: "la situation était sous contrôle",
    Says.ONGOING: "les combats se poursuivaient",
    Says.CLAIMED_ATTACK: "il a mené l’attaque",
}


def said(o: OutcomeView) -> str:
    """'JNIM a dit avoir pris la position', 'selon FAMa, l’attaque a été repoussée'."""
    if o.stance is Stance.CLAIMED and o.says is Says.SEIZED:
        return f"{o.by} a dit avoir pris la position"
    if o.says is Says.CLAIMED_ATTACK:
        return f"{o.by} a revendiqué l’attaque"
    return f"selon {o.by}, {SAYS[o.says]}"


def outcome_text(o: OutcomeView) -> str:
    """'JNIM a dit avoir pris la position (contesté)'."""
    return said(o) + (" (contesté)" if o.contradicted else "")


def said_when(day: dt.date | None, precision: DatePrecision) -> str:
    """'le 2 juin', 'mi-mai', 'en mai 2025', 'à une date inconnue'."""
    if day is None:
        return "à une date inconnue"
    if precision is DatePrecision.DAY:
        return f"le {day_month(day)}"
    text = date_text(day, precision).removesuffix(f" {day.year}")
    return f"en {text}" if precision is DatePrecision.MONTH else text


def restated_text(r: Restated | None) -> str | None:
    """'repris par TRT World le 2 juin ; d’abord annoncé mi-mai'."""
    if r is None:
        return None
    first = said_when(r.first_said, r.first_said_precision) if r.first_said else (
        "à une date inconnue")  # fmt: skip
    return grammar.typo(f"repris par {' et '.join(r.names)} le {day_month(r.seen)}; "
                        f"d’abord annoncé {first}")  # fmt: skip


def change_text(c: FigureChange) -> str:
    """'soldats tués : aucun chiffre crédible avant, 31+ maintenant'."""
    none = "aucun chiffre crédible"
    before = none if c.before_low is None else fmt_range(c.before_low, c.before_high,
                                                        c.before_open)  # fmt: skip
    now = none if c.low is None else fmt_range(c.low, c.high, c.high_open)
    _one, many, feminine = grammar.NOUNS[c.group]
    return grammar.typo(f"{many} {grammar.participle(c.outcome, True, feminine)}: "
                        f"{before} avant, {now} maintenant")  # fmt: skip


PARTY_MARK = "revendication d’une partie"


def unconfirmed_text(u: UnconfirmedClaim) -> str:
    """'FAMa : 14 assaillants tués (revendication d’une partie)'."""
    s = u.statement
    mark = f" ({PARTY_MARK})" if s.party else " (revendication)"
    text = grammar.people_participle(grammar.statement(s) or "", u.group, u.outcome)
    return grammar.typo(f"{s.by}: {text}{mark}")


def statement_marks(s: Statement) -> str:
    """'revendication d’une partie ; via Reuters' or ''."""
    parts = []
    if s.party:
        parts.append(PARTY_MARK)
    if s.via:
        parts.append("via " + " et ".join(s.via))
    if not s.date_known and s.first_seen:
        parts.append("date de la déclaration inconnue")
    return grammar.typo("; ".join(parts))


def possible_duplicate(d: PossibleDuplicate) -> str:
    """Why two records may be one event, and how to decide, in French."""
    why = {
        "event_type": "même lieu et mêmes dates, mais les types d’événement diffèrent",
        "sub_event_type": "même lieu et mêmes dates, mais les sous-types d’événement diffèrent",
        "uncorroborated": "même lieu à des jours différents, sans acteur, source ni "
        "coordonnées proches en commun",
    }[d.reason]
    places = f"{d.place_a}, {d.day_a.isoformat()} / {d.place_b}, {d.day_b.isoformat()}"
    return grammar.typo(f"{d.a} + {d.b} ({places}): {why}; non fusionnés (ajouter same_as "
                        "pour fusionner, not_same_as pour écarter)")  # fmt: skip


def merge_reason(link: MergeLink) -> str:
    """'a + b : même nom de lieu (Boulkessi / Boulkessi), même date'."""
    if link.rule == "same_as":
        why = "same_as dans les données"
    else:
        when = ("même date" if link.day_a == link.day_b
                else f"dates {link.day_a} et {link.day_b} dans leur précision")  # fmt: skip
        names = f"{link.place_a} / {link.place_b}"
        why = {
            "same_name": f"même nom de lieu ({names}), {when}",
            "alias": f"noms de lieu identiques par alias ({names}), {when}",
            "similar_name": f"noms de lieu proches ({names}, score {link.score or 0:.0f}), {when}",
            "distance": f"à {link.km or 0:.0f} km (moins de {link.radius_km or 0:g} km), {when}",
        }[link.rule]
    return grammar.typo(f"{link.a} + {link.b}: {why}")
