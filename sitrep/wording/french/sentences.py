"""Key developments in French: what happened, then who said how many, attributed
('selon deux sources sécuritaires, plus de 30 soldats ont été tués', 'JNIM a dit avoir tué
200 soldats'), with agreement in number and gender."""

from __future__ import annotations

from collections.abc import Sequence

from ...model.records import EventType, Group, Outcome, SubEventType
from ...model.report import Cell, Development, FigureRow, Incident, Report, Statement
from ..headline import silent_party
from ..numbers import fmt_datetime
from ..sentences import Subjects, figure_clauses, subjects
from . import figures, grammar
from .labels import country, day_month

# (verb phrase, phrase without a target); {de} is 'de FAMa' (elided), {target} 'FAMa'
_VERBS: dict[SubEventType, tuple[str, str]] = {
    SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY: ("pris d’assaut des positions {de} à",
                                                       "pris d’assaut des positions à"),
    SubEventType.ARMED_CLASH: ("affronté {target} à", "affronté des forces adverses à"),
    SubEventType.SUICIDE_BOMB: ("commis un attentat-suicide contre {target} à",
                                "commis un attentat-suicide à"),
    SubEventType.REMOTE_EXPLOSIVE_LANDMINE_IED: ("utilisé un engin explosif contre {target} à",
                                                 "utilisé un engin explosif à"),
    SubEventType.SHELLING_ARTILLERY_MISSILE_ATTACK: ("bombardé des positions {de} à",
                                                     "bombardé des positions à"),
    SubEventType.AIR_DRONE_STRIKE: ("mené une frappe aérienne ou de drone à",) * 2,
    SubEventType.ABDUCTION_FORCED_DISAPPEARANCE: ("enlevé des personnes à",) * 2,
    SubEventType.GOVERNMENT_REGAINS_TERRITORY: ("repris le contrôle d’un territoire à",) * 2,
    SubEventType.ATTACK: ("attaqué {target} à", "mené une attaque à"),
}  # fmt: skip

_CLAIM_VERBS = {"killed": "tué", "wounded": "blessé", "missing": "fait disparaître",
                "abducted": "enlevé"}  # fmt: skip


def _said(s: Statement, group: Group, outcome: Outcome) -> str:
    text = grammar.statement(s)
    if text is None:
        return f"{s.by} n’a donné aucun bilan"
    claimed = s.stance.value == "claimed" and outcome is not Outcome.ARRESTED
    own = claimed and group is Group.ARMED_GROUP
    many = grammar.NOUNS[group][1]
    if text == "lourd":
        if claimed and not own:
            return f"{s.by} a dit avoir infligé de lourdes pertes aux {many}"
        return f"{s.by} a fait état de lourdes pertes parmi les {many}"
    if own:
        many_ = grammar.plural(text)
        verb = f"{'ont' if many_ else 'a'} été {grammar.participle(outcome, many_)}"
        return f"{s.by} a dit que {text} de ses combattants {verb}"
    via = f" (via {' et '.join(s.via)})" if s.via else ""
    if s.party and not claimed:
        return (f"selon {s.by}, {grammar.passive(text, group, outcome)} "
                "(revendication d’une partie, non confirmée)")  # fmt: skip
    if claimed:
        return f"{s.by} a dit avoir {_CLAIM_VERBS[outcome.value]} {grammar.people(text, group)}"
    return f"selon {s.by}{via}, {grammar.passive(text, group, outcome)}"


def _cell_clauses(cell: Cell, group: Group, outcome: Outcome) -> list[str]:
    if cell.status == "silent":
        return []
    if cell.contradiction:
        by = {s.by for s in cell.statements}
        texts = [t for t in (grammar.statement(s) for s in cell.statements) if t]
        stated = " et ".join(grammar.people(t, group) for t in texts)
        who = (next(iter(by)) + " a donné" if len(by) == 1
               else "des responsables ont donné" if cell.stance.value == "official"
               else "des sources ont donné")  # fmt: skip
        party = " (revendication d’une partie)" if any(s.party for s in cell.statements) else ""
        agreed = grammar.participle(outcome, True, grammar.NOUNS[group][2])
        return [f"{who} des chiffres contradictoires : {stated} {agreed}{party}"]
    clauses = []
    for s in cell.statements:
        clause = _said(s, group, outcome)
        if s.revised_on:
            before = figures.revised_from(s)
            clause += f" (révisé, auparavant {before}, le {day_month(s.revised_on)})"
        clauses.append(clause)
    return clauses


def row_clauses(row: FigureRow, officials_spoke: bool) -> list[str]:
    """The attributed statements of one row: claimed, then official, then independent."""
    clauses = _cell_clauses(row.claimed, row.group, row.outcome)
    if row.official.status != "silent":
        clauses += _cell_clauses(row.official, row.group, row.outcome)
    elif not officials_spoke and row.outcome is Outcome.KILLED:
        clauses.append("il n’y a eu aucun bilan officiel")
    independent = _cell_clauses(row.independent, row.group, row.outcome)
    if len(row.incidents) > 1 and independent + clauses:
        names = " et ".join(p.location for p in row.places) or " et ".join(row.incidents)
        joint = f"(un seul chiffre pour {names} ensemble)"
        clauses = [c if c.startswith("il n’y a") or "aucun bilan" in c else f"{c} {joint}"
                   for c in clauses]  # fmt: skip
        independent = [f"{c} {joint}" for c in independent]
    return clauses + independent


def _place(inc: Incident) -> str:
    where = ", ".join(x for x in (inc.admin1, country(inc.country)) if x and x != inc.location)
    return f"{inc.location} ({where})" if where else inc.location


def opening(inc: Incident) -> str:
    """'Le 1er juin 2025, JNIM a pris d’assaut des positions de FAMa à Boulkessi (Mopti, Mali)'."""
    text = figures.date_text(inc.date, inc.date_precision, inc.end_date)
    if inc.date_precision.value != "day":
        when = f"En {text}" if inc.date_precision.value == "month" else text
    elif inc.end_date and inc.end_date != inc.date:
        when = f"Du {text.replace('–', ' au ', 1)}"
    else:
        when = f"Le {text}"
    if inc.event_type is EventType.STRATEGIC_DEVELOPMENTS and inc.sub_event_type not in _VERBS:
        what = inc.title or "un développement stratégique a été signalé"
        return f"{when}, {what} ({_place(inc)})"
    who, aux = (inc.perpetrator, "a") if inc.perpetrator else ("des assaillants non identifiés",
                                                               "ont")  # fmt: skip
    with_target, without = _VERBS.get(inc.sub_event_type or SubEventType.ATTACK,
                                      _VERBS[SubEventType.ATTACK])  # fmt: skip
    verb = (with_target.format(target=inc.target, de=grammar.elide("de", inc.target))
            if inc.target else without)  # fmt: skip
    return f"{when}, {who} {aux} {verb} {_place(inc)}"


def _outcomes_clause(inc: Incident) -> str | None:
    if not inc.outcomes:
        return None
    text = "; ".join(figures.said(o) for o in inc.outcomes)
    return text + (" (les versions divergent)" if any(o.contradicted for o in inc.outcomes)
                   else "")  # fmt: skip


def own_losses_clause(rows: Sequence[FigureRow]) -> str | None:
    """'FAMa n’a donné aucun chiffre pour ses propres pertes'."""
    by = silent_party(rows)
    return None if by is None else f"{by} n’a donné aucun chiffre pour ses propres pertes"


def incident_sentence(inc: Incident, rows: Sequence[FigureRow], novel: bool = False) -> str:
    """One sentence on an incident: what happened, then who said how many."""
    clauses = figure_clauses(rows, row_clauses)
    text = opening(inc)
    if inc.status == "update":
        text += " (nouvelles informations dans la période)"
    elif inc.status == "restatement":
        text += f" ({figures.restated_text(inc.restated)}; pas une nouvelle)"
    what = _outcomes_clause(inc)
    if what:
        clauses.insert(0, what)
    own = own_losses_clause(rows)
    if own:
        clauses.append(own)
    if novel and inc.admin1:
        clauses.append(f"c’est le premier incident signalé dans la région "
                       f"{grammar.elide('de', inc.admin1)} depuis un mois")  # fmt: skip
    if clauses:
        text += "; " + "; ".join(clauses)
    return grammar.typo(text[0].upper() + text[1:] + ".")


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n <= 1 else many}"


def development(fact: Development, report: Report, found: Subjects | None = None) -> str:
    """One key development in French (``found``: :func:`subjects`, when there are many)."""
    if fact.kind == "quiet":
        period = figures.period_label(report.period)
        return f"Aucun incident n’a été signalé pour la période du {period}."
    key = report.key_figures
    if fact.kind == "overview":
        current = [i for i in report.incidents if i.status == "new"]
        places = sorted({country(i.country) for i in current})
        where = f" ({', '.join(places)})" if places else ""
        text = (f"{_n(key.incidents, 'incident', 'incidents')} dans la période{where} : "
                f"{figures.total_text(key.killed_all)}")  # fmt: skip
        if key.updates:
            text += (f"; nouvelles informations sur "
                     f"{_n(key.updates, 'incident antérieur', 'incidents antérieurs')}")
        if key.restatements:
            r = key.restatements
            text += (f"; {_n(r, 'incident antérieur repris', 'incidents antérieurs repris')}, "
                     "pas une nouvelle")  # fmt: skip
        return grammar.typo(text + " (jamais additionnés).")
    incidents, rows = found or subjects(report)
    inc = incidents.get(fact.incident or "")
    if inc is None:
        raise ValueError(f"key development about {fact.incident!r}, not in the report")
    return incident_sentence(inc, rows.get(inc.id, []), fact.novel)


def developments(report: Report) -> list[str]:
    """The key developments of the report in French, in the order summarise chose."""
    found = subjects(report)
    return [development(fact, report, found) for fact in report.key_developments]


def as_of_note(report: Report) -> str | None:
    """What an as-of report leaves out, and how to include it."""
    if not report.later_statements or report.as_of is None:
        return None
    when = fmt_datetime(report.as_of, report.period.timezone, "fr")
    n = report.later_statements
    s = "s" if n > 1 else ""
    return grammar.typo(
        f"{n} déclaration{s} faite{s} ou publiée{s} après le {when} {'sont' if s else 'est'} "
        f"laissée{s} de côté ; relancez sitrep generate avec un --as-of plus tardif "
        "(par défaut : maintenant) pour les inclure."
    )
