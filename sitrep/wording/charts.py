"""The words of the casualty and daily charts: titles, legends, labels, alt text (the
map's are in ``maps.py``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from ..model.records import Stance
from ..model.report import DayCount, FigureRow
from . import figures
from .labels import country, group_words

CASUALTY_TITLE = "People killed per incident: credible estimate, highest figure and statements"
CASUALTY_AXIS = "people killed"
CASUALTY_LEGEND = {
    "low": "credible low",
    "span": "low to best",
    "high": "up to highest figure (→ open)",
    "claimed_only": "claimed only",
}
STANCES = {s: s.value for s in Stance}
DAILY_TITLE = (
    "People killed per day over the last 30 days, by country and incident date: "
    "credible estimate (low) above, figures only claims give apart below"
)
DAILY_PANELS = {
    "credible": "Credible estimate (low)",
    "claimed": "Claimed only (not verified)",
    "claimed_legend": "claimed only",
}
DAILY_NONE = "none"


def row_label(row: FigureRow) -> str:
    """The row's place label; joint figures name every incident ('joint: Tahoua + Dosso')."""
    return figures.joint_label(row) or figures.row_label(row)


def bar_label(row: FigureRow) -> str:
    """A bar's label: its place, then its casualty group on a second line."""
    return f"{row_label(row)}\n{group_words(row.group)}"


def value_text(row: FigureRow) -> str:
    """The figure printed beside a bar: '31+', '13–14', '5 (claims up to 60)', '200 claimed'."""
    plus = "+" if row.high_open else ""
    if row.claimed_only:
        return f"{row.high}{plus} claimed" if row.high is not None else "claimed"
    low, best = row.low, row.best if row.best is not None else row.low
    if low is None or best is None:
        return ""
    text = f"{low}" if low == best else f"{low}–{best}"
    if row.high is not None and row.high > best:
        return f"{text} (up to {row.high}{plus})"
    return text + plus


def casualty_alt(rows: Sequence[FigureRow]) -> str:
    """A text description of the casualty chart for screen readers."""
    parts = [
        f"{row_label(r)}, {group_words(r.group)}: {value_text(r) or 'no figure'}" for r in rows
    ]
    return "Bar chart of people killed per incident and group. " + "; ".join(parts) + "."


def country_name(code: str) -> str:
    """A country's name in a legend: 'Burkina Faso'."""
    return country(code)


def day_label(day: dt.date) -> str:
    """A tick of the daily chart: '2 Jun'."""
    return f"{day.day} {day:%b}"


def daily_alt(counts: Sequence[DayCount], first: dt.date, last: dt.date) -> str:
    """A text description of the daily chart: totals per country, then each day with a
    toll, credible and claimed apart."""
    per_country: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c in counts:
        totals = per_country[c.country]
        totals[0] += c.incidents
        totals[1] += c.killed_low
        totals[2] += c.killed_claimed
    parts = [
        f"{country(code)}: {n} incident{'s' if n != 1 else ''}, {low} killed (credible low)"
        + (f", {claimed} more claimed" if claimed else "")
        for code, (n, low, claimed) in sorted(per_country.items())
    ]
    days = [
        f"{day_label(c.day)} {country(c.country)} {c.killed_low}"
        + (f" (claimed {c.killed_claimed})" if c.killed_claimed else "")
        for c in counts
        if c.killed_low or c.killed_claimed
    ]
    text = (
        f"Bar chart of people killed per day from {figures_date(first)} to "
        f"{figures_date(last)}, by country. " + "; ".join(parts) + "."
    )
    if days:
        text += " Days with a toll: " + "; ".join(days) + "."
    return text


def figures_date(day: dt.date) -> str:
    """'2 June 2025'."""
    return f"{day.day} {day:%B %Y}"
