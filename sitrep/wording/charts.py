"""The words of the charts: titles, legends, labels, ticks, text alternatives (the map's
are in ``maps.py``).

:class:`ChartWords` holds the casualty and daily charts' words in English, as texts with
``{named}`` places; a language subclasses it with its own texts (``french/charts.py``) and
overrides a method only where its grammar differs. Numbers, dates, places and groups come
from the edition's :class:`~sitrep.wording.words.Words`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import ClassVar, Protocol

from babel import Locale

from ..model.records import Group, Stance
from ..model.report import DayCount, FigureRow, Report
from ..summarise.charted import charted_rows, has_daily_chart, period_incidents
from ..summarise.daily import DAYS
from .numbers import day_month


class Language(Protocol):
    """What the chart words ask of the edition's :class:`~sitrep.wording.words.Words`."""

    locale: str

    def num(self, value: int | float | None) -> str: ...
    def date(self, value: dt.date | None, short: bool = False) -> str: ...
    def country(self, code: str) -> str: ...
    def group(self, group: Group) -> str: ...
    def term(self, code: object) -> str: ...
    def row_label(self, row: FigureRow) -> str: ...
    def joint_label(self, row: FigureRow) -> str: ...


class ChartWords:
    """The words of the casualty chart and the daily chart, in English."""

    casualty_title = "People killed per incident: credible estimate, highest figure and statements"
    casualty_axis = "people killed"
    casualty_legend: ClassVar[dict[str, str]] = {
        "low": "credible low",
        "span": "low to best",
        "high": "up to highest figure (→ open)",
        "claimed_only": "claimed only",
    }
    period_groups: ClassVar[dict[str, str]] = {
        "new": "New in the period",
        "earlier": "Earlier incidents",
    }
    claimed = ("{value} claimed", "{value} claimed")  # CLDR plural forms: one, other
    claimed_no_figure = "claimed"
    up_to = "{text} (up to {high})"
    vague_only = "vague figures only"
    no_floor_label = "up to {high}"
    casualty_alt = "Bar chart of people killed per incident and group. {rows}."
    casualty_alt_row = "{label}, {group}: {value}"
    casualty_alt_group = "{heading}: {rows}"
    no_figure = "no figure"
    daily_title = (
        "People killed per day over the last 30 days, by country and incident date: "
        "credible estimate (low) above, figures only claims give apart below"
    )
    daily_panels: ClassVar[dict[str, str]] = {
        "credible": "Credible estimate (low)",
        "claimed": "Claimed only (not verified, never added)",
        "claimed_legend": "claimed only",
    }
    daily_none = "none"
    daily_alt = (
        "Bar chart of people killed per day from {first} to {last}, by country. {countries}."
    )
    daily_alt_days = "Days with a toll: {days}."
    daily_country = ("{country}: {n} incident, {killed} killed (credible low)",
                     "{country}: {n} incidents, {killed} killed (credible low)")  # fmt: skip
    daily_country_claimed = (", claims on {days} day, not added",
                             ", claims on {days} days, not added")  # fmt: skip
    daily_day = "{day} {country} {killed}"
    daily_day_claimed = (" (claimed {claimed})", " (claimed, {n} incidents: up to {claimed})")
    separator = "; "

    def __init__(self, words: Language) -> None:
        self.words = words

    def finish(self, text: str) -> str:
        """The language's last touch on a text (French spacing before ':' and ';')."""
        return text

    def plural(self, forms: tuple[str, str], n: int) -> str:
        """The form of ``forms`` (one, other) for ``n``, by the language's CLDR rule."""
        return forms[0] if Locale.parse(self.words.locale).plural_form(n) == "one" else forms[1]

    def num(self, value: int | float) -> str:
        """An axis tick or a figure: '1,234' ('1 234' in French)."""
        return self.words.num(round(value) if float(value).is_integer() else value)

    def stance(self, stance: Stance) -> str:
        """A stance in the legend: 'official'."""
        return self.words.term(stance)

    def row_label(self, row: FigureRow) -> str:
        """The row's place label; joint figures name every incident ('joint: Tahoua + Dosso')."""
        return self.words.joint_label(row) or self.words.row_label(row)

    def bar_label(self, row: FigureRow) -> str:
        """A bar's label: its place, then its casualty group on a second line."""
        return f"{self.row_label(row)}\n{self.words.group(row.group)}"

    def value_text(self, row: FigureRow) -> str:
        """The figure printed beside a bar: '31+', '13–14', '5 (up to 60)', '200 claimed';
        'up to 10' beside a row with no floor (no bar, only the whisker)."""
        plus = "+" if row.high_open else ""
        if row.claimed_only:
            if row.high is None:
                return self.claimed_no_figure
            value = self.num(row.high) + plus
            return self.plural(self.claimed, row.high).format(value=value)
        if row.no_floor:  # no bar: the whisker's end, if a number
            return "" if row.high is None else self.no_floor_label.format(high=self.num(row.high))
        low, best = row.low, row.best if row.best is not None else row.low
        if low is None or best is None:
            return ""
        text = self.num(low) if low == best else f"{self.num(low)}–{self.num(best)}"
        if row.high is not None and row.high > best:
            return self.up_to.format(text=text, high=self.num(row.high) + plus)
        return text + plus

    def vague_text(self, row: FigureRow) -> str:
        """A row with no floor, in the text alternative: 'vague figures only', with the
        largest credible figure someone gave ('(up to 10)') and a larger claim apart
        ('; 50 claimed')."""
        text = self.vague_only
        if row.credible_high is not None:
            text = self.up_to.format(text=text, high=self.num(row.credible_high))
        if row.high is not None and row.high > (row.credible_high or 0):
            claim = self.plural(self.claimed, row.high).format(value=self.num(row.high))
            text += self.separator + claim
        return text

    def casualty_text(self, rows: Sequence[FigureRow], new: set[str]) -> str:
        """The casualty chart's text alternative: each bar, in the chart's order, under the
        chart's group headings when it has them."""
        groups = self.row_groups(rows, new)
        parts = []
        for heading, group in groups:
            described = self.separator.join(
                self.casualty_alt_row.format(
                    label=self.row_label(r),
                    group=self.words.group(r.group),
                    value=(self.vague_text(r) if r.no_floor
                           else self.value_text(r) or self.no_figure),
                )
                for r in group
            )
            parts.append(
                self.casualty_alt_group.format(heading=heading, rows=described)
                if heading else described
            )
        return self.finish(self.casualty_alt.format(rows=". ".join(parts)))

    def row_groups(
        self, rows: Sequence[FigureRow], new: set[str]
    ) -> list[tuple[str, list[FigureRow]]]:
        """The chart's rows under their headings: the period's incidents, then earlier ones.
        The first heading is left out ('') when every row is of the period."""
        in_period = [r for r in rows if new.intersection(r.incidents)]
        earlier = [r for r in rows if not new.intersection(r.incidents)]
        if not earlier:
            return [("", in_period)]
        groups = [(self.period_groups["new"], in_period)] if in_period else []
        return [*groups, (self.period_groups["earlier"], earlier)]

    def day_label(self, day: dt.date) -> str:
        """A tick of the daily chart: '2 Jun'."""
        return day_month(day, short=True, locale=self.words.locale)

    def daily_text(self, counts: Sequence[DayCount], first: dt.date, last: dt.date) -> str:
        """The daily chart's text alternative: totals per country, then each day with a
        toll, credible and claimed apart (claims are never added: a day gives its largest)."""
        per_country: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for c in counts:
            totals = per_country[c.country]
            totals[0] += c.incidents
            totals[1] += c.killed_low
            totals[2] += 1 if c.killed_claimed else 0
        parts = [
            self.plural(self.daily_country, n).format(
                country=self.words.country(code), n=self.num(n), killed=self.num(low)
            )
            + (
                self.plural(self.daily_country_claimed, days).format(days=self.num(days))
                if days
                else ""
            )
            for code, (n, low, days) in sorted(per_country.items())
        ]
        days = [self._day(c) for c in counts if c.killed_low or c.killed_claimed]
        text = self.daily_alt.format(
            first=self.words.date(first),
            last=self.words.date(last),
            countries=self.separator.join(parts),
        )
        if days:
            text += " " + self.daily_alt_days.format(days=self.separator.join(days))
        return self.finish(text)

    def _day(self, c: DayCount) -> str:
        """A day with a toll: '2 Jun Mali 3 (claimed 14)'."""
        text = self.daily_day.format(
            day=self.day_label(c.day), country=self.words.country(c.country),
            killed=self.num(c.killed_low),
        )  # fmt: skip
        if c.killed_claimed:
            form = self.daily_day_claimed[0 if c.claimed_incidents <= 1 else 1]
            text += form.format(claimed=self.num(c.killed_claimed), n=self.num(c.claimed_incidents))
        return text

    def texts(self, report: Report, scope: str = "") -> list[dict[str, str]]:
        """Each chart the report draws (the map apart), as its name, title and text
        alternative: what the JSON gives in place of the pictures. ``scope`` (what a big
        period's casualty chart leaves out) opens the casualty chart's text."""
        out = []
        rows = charted_rows(report)
        if rows:
            text = self.casualty_text(rows, period_incidents(report))
            text = f"{scope} {text}" if scope else text
            out.append({"name": "casualties", "title": self.casualty_title, "text": text})
        if has_daily_chart(report):
            end = report.period.end
            first = end - dt.timedelta(days=DAYS - 1)
            text = self.daily_text(report.daily, first, end)
            out.append({"name": "daily", "title": self.daily_title, "text": text})
        return out
