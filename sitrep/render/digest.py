"""How much of a report each page shows: the one-line entries, a big period's PDF, and a
quiet day's one page.

Every edition lists context incidents (earlier ones, with no news in the period) one a
line. A PDF whose period holds more incidents with news than ``report.figures_table_limit``
becomes a digest: the key developments and the official-vs-claimed table of the incidents
that matter most (:mod:`sitrep.summarise.ranking`), every other incident one a line, long
lists cut short, and a sentence saying where the rest is (the HTML and JSON editions and
the CSV attached to the PDF).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from ..model.records import DatePrecision
from ..model.report import FigureRow, Incident, Report
from ..summarise.ranking import ranked, tally
from ..wording import Words
from .worded import wrap

DIGEST_LIST = 5
"""A digest's long lists (claims not confirmed, merges, possible duplicates, problems)
show this many items, then say how many more there are and where."""

QUIET_DAY = 1
"""A report with at most this many incidents with news (new, updated or restated) is a
quiet day: set compact (its PDF one page) and its map drawn for the column it gets."""


def quiet_day(report: Report) -> bool:
    """Whether the report is a quiet day (:data:`QUIET_DAY`)."""
    return sum(1 for i in report.incidents if i.status != "context") <= QUIET_DAY


@dataclass(frozen=True)
class Line:
    """One incident on one line: the template writes date, place, type, figure, sources."""

    incident: Any  # a Worded Incident
    date: str
    figure: str
    country: str
    kind: str
    claimed_only: bool = False


@dataclass(frozen=True)
class Digest:
    """What a big period's PDF shows of the report (see the module docstring)."""

    shown: list[str]
    """Ids of the incidents the table shows, most important first."""
    scope: str
    left_out: str
    developments: list[str]
    new_information: list[Any]
    unconfirmed: list[Any]
    more: dict[str, str] = field(default_factory=dict)
    """For each list cut short (unconfirmed, new_information, problems, merges,
    duplicates): how many more there are and where, in words."""


def one_liners(
    report: Report, words: Words, skip: set[str] | frozenset[str] = frozenset(),
    *, only_context: bool,
) -> list[tuple[str, str, int, list[tuple[str, list[Line]]]]]:  # fmt: skip
    """The incidents listed one a line, by status then day: (status, heading, how many,
    [(day, lines)]), oldest day first; with ``only_context``, context incidents only;
    ``skip``: those shown in full elsewhere."""
    wanted = ("context",) if only_context else tuple(words.status_headings)
    groups = []
    for status in wanted:
        items = sorted(
            (i for i in report.incidents if i.status == status and i.id not in skip),
            key=lambda i: (_first_day(i), _FUZZY.index(i.date_precision),
                           i.end_date or i.date, i.country, i.location, i.id),
        )  # fmt: skip
        if items:
            lines = [_line(i, words) for i in items]
            days = [(day, list(same)) for day, same in groupby(lines, key=lambda x: x.date)]
            groups.append((status, words.status_headings[status], len(lines), days))
    return groups


_FUZZY = (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH)


def _first_day(incident: Incident) -> dt.date:
    """The first day an incident's date can mean: a week-precise date ('mid-June') sorts
    with the 11th, a month-precise one with the 1st, so that equal labels group together."""
    day = incident.date
    if incident.date_precision is DatePrecision.MONTH:
        return day.replace(day=1)
    if incident.date_precision is DatePrecision.WEEK:
        return day.replace(day=1 if day.day <= 10 else (11 if day.day <= 20 else 21))
    return day


def _line(incident: Incident, words: Words) -> Line:
    t = tally(incident)
    date = words.incident_date(incident)  # '2 June 2025', '1–2 June 2025', 'mid-June 2025'
    return Line(
        wrap(incident, words),
        date,
        words.tally(t),
        incident.country,
        words.short_type(incident.event_type),
        t.claimed_only,
    )


def _rows_of(table: Sequence[FigureRow], order: dict[str, int]) -> list[FigureRow]:
    """The table rows of the ranked incidents, in their rank (a row's rank is that of the
    best-ranked incident it covers)."""
    chosen = [r for r in table if any(i in order for i in r.incidents)]
    return sorted(chosen, key=lambda r: min(order.get(i, len(order)) for i in r.incidents))


def make_digest(
    report: Report, words: Words, limit: int | None
) -> tuple[Digest, list[FigureRow]] | None:
    """The digest of a big period and its table rows; None when the report is small
    enough to print whole (or ``limit`` is None)."""
    top = ranked(report.incidents)
    if limit is None or len(top) <= limit:
        return None
    shown = [i.id for i in top[:limit]]
    order = {incident_id: n for n, incident_id in enumerate(shown)}
    rows = _rows_of(report.table, order)
    told = set(shown)
    facts = report.key_developments
    sentences = words.developments(report)
    developments = [s for f, s in zip(facts, sentences, strict=True)
                    if f.incident is None or f.incident in told]  # fmt: skip
    kf = report.key_figures
    more: dict[str, str] = {}

    def cut(name: str, items: Sequence[Any], keep: Sequence[Any]) -> list[Any]:
        if len(items) > len(keep):
            more[name] = words.more_elsewhere(len(items) - len(keep))
        return wrap(list(keep), words) or []

    new_information = cut("new_information", kf.new_information,
                          [c for c in kf.new_information if c.incident in told])  # fmt: skip
    unconfirmed = cut("unconfirmed", kf.unconfirmed,
                      [u for u in kf.unconfirmed if u.incident in told][:DIGEST_LIST])  # fmt: skip
    dq = report.data_quality
    for name, items in (("problems", dq.problems), ("merges", dq.merges),
                        ("duplicates", dq.possible_duplicates)):  # fmt: skip
        if len(items) > DIGEST_LIST:
            more[name] = words.more_elsewhere(len(items) - DIGEST_LIST)
    context = sum(1 for i in report.incidents if i.status == "context")
    digest = Digest(
        shown=shown,
        scope=words.table_scope(len(shown), len(top)),
        left_out=words.left_out(len(top) - len(shown), context),
        developments=developments,
        new_information=new_information,
        unconfirmed=unconfirmed,
        more=more,
    )
    return digest, rows


def charted(report: Report, limit: int | None) -> Report:
    """The report as the casualty chart draws it: in a period with more than ``limit``
    incidents with news, only the table rows of the ``limit`` that matter most (a chart of
    a thousand bars reads as nothing); otherwise the report itself."""
    top = ranked(report.incidents)
    if limit is None or len(top) <= limit:
        return report
    order = {i.id: n for n, i in enumerate(top[:limit])}
    return report.model_copy(update={"table": _rows_of(report.table, order)})


def chart_scope(report: Report, words: Words, limit: int | None) -> str:
    """What the casualty chart of a big period shows, in words ('' when it shows all)."""
    top = ranked(report.incidents)
    if limit is None or len(top) <= limit:
        return ""
    return words.chart_scope(limit, len(top))
