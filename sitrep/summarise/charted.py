"""What the report's charts show: the rows of the casualty chart, whether there is a daily
chart. The charts (render) and their text alternatives (wording, JSON) both ask here, so a
chart and its description never disagree."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.records import Outcome, Stance
from ..model.report import FigureRow, Report, Statement


def placed_statements(row: FigureRow, placed: bool = True) -> Iterator[tuple[Stance, Statement]]:
    """The statements of a row a chart draws at their number, with their side: those with
    a figure, less (``placed``) a vague word or a bound alone in a row with no floor ('many'
    is not drawn at the number it stands for by convention: nobody said it)."""
    no_floor = placed and row.no_floor
    for cell in (row.official, row.claimed, row.independent):
        for s in cell.statements:
            if s.low is not None and (s.specific or not no_floor):
                yield cell.stance, s


def has_figure(row: FigureRow) -> bool:
    """Whether a row has a number to draw: an estimate or a statement with a figure. A row
    with no floor whose figures are all vague words or bounds ('many') has none: it is
    left out, not drawn at a number nobody said."""
    return row.low is not None or row.high is not None or any(placed_statements(row))


def charted_rows(report: Report) -> list[FigureRow]:
    """Killed rows of the table that have at least one number: the period's incidents
    first, then the updates on earlier ones, each in the table's order."""
    new = period_incidents(report)
    rows = [r for r in report.table if r.outcome is Outcome.KILLED and has_figure(r)]
    return sorted(rows, key=lambda r: not new.intersection(r.incidents))


def period_incidents(report: Report) -> set[str]:
    """The ids of the incidents that happened in the period (status new)."""
    return {i.id for i in report.incidents if i.status == "new"}


def has_daily_chart(report: Report) -> bool:
    """Whether the daily chart is drawn: somebody put a figure on people killed in the 30
    days (a chart of zeros says nothing the key figures do not)."""
    return any(c.killed_low or c.killed_claimed for c in report.daily)
