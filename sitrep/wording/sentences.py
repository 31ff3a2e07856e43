"""Key developments written from the reconciled data.

Every sentence keeps attribution ("JNIM said it killed 40 soldiers; there was no official
toll"), agrees in number ("1 soldier was", "2 soldiers were") and contains no number that
is not in the data: figures come from statements or computed totals, days from dates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model.records import EventType, Group, Outcome, SubEventType
from ..model.report import Cell, Development, FigureRow, Incident, Report, Statement
from . import counts, figures, headline
from .labels import country
from .numbers import day_month, fmt_num
from .people import NOUNS, people, singular

_VERBS: dict[SubEventType, str] = {
    SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY: "overran {target}positions in",
    SubEventType.ARMED_CLASH: "clashed with {target}in",
    SubEventType.SUICIDE_BOMB: "carried out a suicide bombing against {target}in",
    SubEventType.REMOTE_EXPLOSIVE_LANDMINE_IED: "used an explosive device against {target}in",
    SubEventType.SHELLING_ARTILLERY_MISSILE_ATTACK: "shelled {target}positions in",
    SubEventType.AIR_DRONE_STRIKE: "carried out an air or drone strike in",
    SubEventType.ABDUCTION_FORCED_DISAPPEARANCE: "abducted people in",
    SubEventType.GOVERNMENT_REGAINS_TERRITORY: "regained control of territory in",
    SubEventType.ATTACK: "attacked {target}in",
}


def _be(text: str | None) -> str:
    return "was" if text is not None and singular(text) else "were"


def _said(s: Statement, group: Group, outcome: Outcome) -> str:
    """One speaker's statement, attributed: 'two security sources said more than 30 ...'."""
    text = counts.statement(s)
    if text is None:
        return f"{s.by} gave no toll"
    claimed = s.stance.value == "claimed" and outcome is not Outcome.ARRESTED
    own = claimed and group is Group.ARMED_GROUP
    many = "its fighters" if own else NOUNS[group][1]
    if text.lower() == "heavy":  # a degree, not a number: no noun agreement to make
        if claimed and not own:
            return f"{s.by} said it inflicted heavy casualties on {many}"
        return f"{s.by} reported heavy casualties among {many}"
    if own:
        figure = people(text, Group.ARMED_GROUP).replace("assailant", "fighter")
        return f"{s.by} said {figure} of its own {_be(text)} {outcome.value}"
    via = f" (via {' and '.join(s.via)})" if s.via else ""
    if s.party and not claimed:
        return (f"{s.by} said {people(text, group)} {_be(text)} {outcome.value} "
                "(a party claim, not confirmed)")  # fmt: skip
    if claimed:
        verb = {
            "killed": "killed",
            "wounded": "wounded",
            "missing": "left missing",
            "abducted": "abducted",
        }[outcome.value]
        return f"{s.by} said it {verb} {people(text, group)}"
    return f"{s.by}{via} said {people(text, group)} {_be(text)} {outcome.value}"


def _cell_clauses(cell: Cell, group: Group, outcome: Outcome) -> list[str]:
    if cell.status == "silent":
        return []
    if cell.contradiction:
        by = {s.by for s in cell.statements}
        texts = [counts.statement(s) for s in cell.statements]
        stated = " and ".join(people(text, group) for text in texts if text)
        who = (
            next(iter(by)) + " was quoted as giving"
            if len(by) == 1
            else "officials gave"
            if cell.stance.value == "official"
            else "sources gave"
        )
        party = " (a party claim)" if any(s.party for s in cell.statements) else ""
        return [f"{who} conflicting figures of {stated} {outcome.value}{party}"]
    clauses = []
    for s in cell.statements:
        clause = _said(s, group, outcome)
        if s.revised_on:
            clause += f" (revised from {counts.revised_from(s)} on {day_month(s.revised_on)})"
        clauses.append(clause)
    return clauses


def row_clauses(row: FigureRow, officials_spoke: bool) -> list[str]:
    """The attributed statements of one row: claimed, then official, then independent.
    "There was no official toll" only when no official spoke about the incident at all."""
    clauses = _cell_clauses(row.claimed, row.group, row.outcome)
    if row.official.status != "silent":
        clauses += _cell_clauses(row.official, row.group, row.outcome)
    elif not officials_spoke and row.outcome is Outcome.KILLED:
        clauses.append("there was no official toll")
    independent = _cell_clauses(row.independent, row.group, row.outcome)
    if len(row.incidents) > 1 and independent + clauses:
        joint = f"(one figure for {figures.joint_places(row)} together)"
        clauses = [
            c if c.startswith("there was") or "gave no toll" in c else f"{c} {joint}"
            for c in clauses
        ]
        independent = [f"{c} {joint}" for c in independent]
    return clauses + independent


def _place(inc: Incident) -> str:
    where = ", ".join(
        x for x in (inc.admin1, country(inc.country)) if x and x != inc.location
    )
    return f"{inc.location} ({where})" if where else inc.location


def opening(inc: Incident) -> str:
    """'On 1 June 2025, JNIM overran FAMa positions in Boulkessi (Mopti, Mali)'."""
    text = figures.date_text(inc.date, inc.date_precision, inc.end_date)
    when = f"On {text}" if inc.date_precision.value == "day" else f"In {text}"
    who = inc.perpetrator or "unidentified attackers"
    if inc.event_type is EventType.STRATEGIC_DEVELOPMENTS and inc.sub_event_type not in _VERBS:
        return f"{when}, {inc.title or 'a strategic development was reported'} ({_place(inc)})"
    verb = _VERBS.get(inc.sub_event_type or SubEventType.ATTACK, _VERBS[SubEventType.ATTACK])
    target = f"{inc.target} " if inc.target else ""
    if not target and "{target}" in verb:
        verb = (
            verb.replace("{target}positions", "positions")
            .replace("against {target}", "")
            .replace("with {target}", "with opposing forces ")
        )
    return f"{when}, {who} {verb.format(target=target)} {_place(inc)}"


def figure_clauses(
    rows: Sequence[FigureRow], row_clauses: Callable[[FigureRow, bool], list[str]]
) -> list[str]:
    """The clauses of an incident's rows in a language's ``row_clauses``: killed first,
    each clause once; "no official toll" only when no official spoke of the incident."""
    clauses: list[str] = []
    main = [r for r in rows if r.outcome is Outcome.KILLED] + [
        r for r in rows if r.outcome is not Outcome.KILLED
    ]
    officials_spoke = any(r.official.status != "silent" for r in rows)
    for row in main:
        for clause in row_clauses(row, officials_spoke):
            if clause not in clauses:
                clauses.append(clause)
    return clauses


def incident_sentence(inc: Incident, rows: Sequence[FigureRow], novel: bool = False) -> str:
    """One sentence on an incident: what happened, then who said how many."""
    clauses = figure_clauses(rows, row_clauses)
    text = opening(inc)
    if inc.status == "update":
        text += " (new information in this period)"
    elif inc.status == "restatement":
        text += f" ({headline.restated_text(inc.restated)}; not news)"
    what = headline.outcomes_clause(inc)
    if what:
        clauses.insert(0, what)
    own = headline.own_losses_clause(rows)
    if own:
        clauses.append(own)
    if novel and inc.admin1:
        clauses.append(f"it is the first incident reported in {inc.admin1} in the past month")
    if clauses:
        text += "; " + "; ".join(clauses)
    return text[0].upper() + text[1:] + "."


def developments(report: Report) -> list[str]:
    """The key developments of the report as sentences, in the order summarise chose."""
    about = about_incidents(report)
    return [development(fact, report, about) for fact in report.key_developments]


About = dict[str, tuple[Incident, list[FigureRow]]]


def about_incidents(report: Report) -> About:
    """Each incident of the report with its rows of the table, by id: looked up once for
    all the key developments (a long period has thousands)."""
    about: About = {i.id: (i, []) for i in report.incidents}
    for row in report.table:
        if row.incident in about:
            about[row.incident][1].append(row)
    return about


def development(fact: Development, report: Report, about: About) -> str:
    """One key development in words (``about``: :func:`about_incidents` of the report)."""
    if fact.kind == "quiet":
        return f"No incidents were reported for {figures.period_label(report.period)}."
    key = report.key_figures
    if fact.kind == "overview":
        current = [i for i in report.incidents if i.status == "new"]
        places = sorted({country(i.country) for i in current})
        where = f" in {', '.join(places)}" if places else ""
        n = key.incidents
        text = (f"{fmt_num(n)} incident{'s' if n != 1 else ''} in the period{where}: "
                f"{figures.total_text(key.killed_all)}")  # fmt: skip
        if key.updates:
            u = key.updates
            text += f"; new information on {fmt_num(u)} earlier incident{'s' if u != 1 else ''}"
        if key.restatements:
            r = key.restatements
            text += f"; {fmt_num(r)} earlier incident{'s' if r != 1 else ''} restated, not news"
        return text + " (never added together)."
    if fact.incident not in about:
        raise ValueError(f"key development about {fact.incident!r}, not in the report")
    inc, rows = about[fact.incident]
    return incident_sentence(inc, rows, fact.novel)
