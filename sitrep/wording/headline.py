"""The words of issue 8's additions: restatements, new information, unconfirmed claims,
outcome statements, party claims, relays and the as-of note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..model.records import DatePrecision, Group, Says, Stance
from ..model.report import (
    FigureChange,
    FigureRow,
    Incident,
    OutcomeView,
    Report,
    Restated,
    Statement,
    UnconfirmedClaim,
)
from . import counts
from .figures import date_text
from .labels import fmt_range, group_words
from .numbers import day_month, fmt_datetime, fmt_num
from .people import people

SAYS: dict[Says, str] = {
    Says.SEIZED: "the attackers seized the position",
    Says.REPELLED: "the attack was repelled",
    Says.WITHDREW: "the troops withdrew",
    Says.HELD: "the troops held the position",
    Says.RETOOK: "the troops retook the position",
    Says.UNDER_CONTROL: "the situation was under control",
    Says.ONGOING: "fighting was ongoing",
    Says.CLAIMED_ATTACK: "it carried out the attack",
}
_OWN = {Says.SEIZED: "it seized the position"}  # a claiming group speaks of itself


def _says(o: OutcomeView) -> str:
    if o.stance is Stance.CLAIMED and o.says in _OWN:
        return _OWN[o.says]
    return SAYS[o.says]
PARTY_MARK = "party claim"


def said_when(day: dt.date | None, precision: DatePrecision) -> str:
    """'2 June', 'mid-May', 'May 2025'; 'at an unknown date'."""
    if day is None:
        return "at an unknown date"
    if precision is DatePrecision.DAY:
        return day_month(day)
    return date_text(day, precision).removesuffix(f" {day.year}")


def restated_text(r: Restated | None) -> str | None:
    """'restated by TRT World on 2 June; first said mid-May'."""
    if r is None:
        return None
    first = ("first said " + said_when(r.first_said, r.first_said_precision)
             if r.first_said else "first said at an unknown date")  # fmt: skip
    return f"restated by {' and '.join(r.names)} on {day_month(r.seen)}; {first}"


def outcome_text(o: OutcomeView) -> str:
    """'JNIM said it seized the position (disputed)'."""
    text = f"{o.by} said {_says(o)}"
    return text + (" (disputed)" if o.contradicted else "")


def outcomes_clause(inc: Incident) -> str | None:
    """The incident's outcome statements in one clause, contradictions flagged."""
    if not inc.outcomes:
        return None
    text = "; ".join(f"{o.by} said {_says(o)}" for o in inc.outcomes)
    if any(o.contradicted for o in inc.outcomes):
        text += " (the accounts conflict)"
    return text


def change_text(c: FigureChange) -> str:
    """'state forces killed: no credible figure before, 31+ now'."""
    before = ("no credible figure" if c.before_low is None
              else fmt_range(c.before_low, c.before_high, c.before_open))  # fmt: skip
    now = "no credible figure" if c.low is None else fmt_range(c.low, c.high, c.high_open)
    return f"{group_words(c.group)} {c.outcome.value}: {before} before, {now} now"


def unconfirmed_text(u: UnconfirmedClaim) -> str:
    """'FAMa: 14 assailants killed (party claim)'."""
    s = u.statement
    mark = f" ({PARTY_MARK})" if s.party else " (claim)"
    return f"{s.by}: {people(counts.statement(s) or '', u.group)} {u.outcome.value}{mark}"


def statement_marks(s: Statement) -> str:
    """', party claim; via Reuters' or ''."""
    parts = []
    if s.party:
        parts.append(PARTY_MARK)
    if s.via:
        parts.append("via " + " and ".join(s.via))
    if not s.date_known and s.first_seen:
        parts.append("statement date unknown")
    return "; ".join(parts)


def silent_party(rows: Sequence[FigureRow]) -> str | None:
    """Who gave a figure for its enemy's losses (a party claim) and none for its own: the
    speaker, in every language; None when no party did."""
    for row in rows:
        own = Group.STATE_FORCES if row.group is Group.ARMED_GROUP else Group.ARMED_GROUP
        for cell in (row.official, row.independent):
            for s in cell.statements:
                if not s.party or s.kind is None:
                    continue
                if not any(r.group is own and r.outcome is row.outcome for r in rows):
                    return s.by
    return None


def own_losses_clause(rows: Sequence[FigureRow]) -> str | None:
    """'FAMa gave no figure for its own losses' when a party claimed the enemy's dead and
    said nothing of its own."""
    by = silent_party(rows)
    return None if by is None else f"{by} gave no figure for its own losses"


def as_of_note(report: Report) -> str | None:
    """What an as-of report leaves out, and how to include it."""
    if not report.later_statements or report.as_of is None:
        return None
    when = fmt_datetime(report.as_of, report.period.timezone)
    n = report.later_statements
    return (
        f"{fmt_num(n)} statement{'s' if n != 1 else ''} made or published after {when} "
        f"{'are' if n != 1 else 'is'} left out; run sitrep generate with a later --as-of "
        "(default: now) to include them."
    )
