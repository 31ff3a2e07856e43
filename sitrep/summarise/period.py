"""The reporting period and where an event falls in it."""

from __future__ import annotations

import calendar
import datetime as dt

from ..model.records import DatePrecision, Record
from ..model.report import Period

# Days either side of the stated date that a day- or week-precision event may fall on
# (a month-precision event falls in its calendar month: see _span).
PLACEMENT_SLACK = {DatePrecision.DAY: 0, DatePrecision.WEEK: 3}


def make_period(start: dt.date, end: dt.date, timezone: str, lookback_days: int = 30) -> Period:
    """The period from ``start`` to ``end`` (inclusive), with its look-back window."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    days = (end - start).days + 1
    if days == 1:
        label = f"{start.day} {start:%B %Y}"
    elif start.year == end.year:
        label = f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    else:
        label = f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"
    return Period(
        start=start,
        end=end,
        timezone=timezone,
        label=label,
        context_start=start - dt.timedelta(days=lookback_days),
    )


def date_text(record: Record) -> str:
    """The event date as a reader should see it: '1 June 2025', 'mid-May 2025', 'May 2025'."""
    d = record.day
    if record.date_precision is DatePrecision.MONTH:
        return f"{d:%B %Y}"
    if record.date_precision is DatePrecision.WEEK:
        part = "early" if d.day <= 10 else ("mid" if d.day <= 20 else "late")
        return f"{part}-{d:%B %Y}"
    if record.end_date and record.end_date != d:
        e = record.end_date
        if (e.year, e.month) == (d.year, d.month):
            return f"{d.day}–{e.day} {e:%B %Y}"
        return f"{d.day} {d:%B} – {e.day} {e:%B %Y}"
    return f"{d.day} {d:%B %Y}"


def short_label(record: Record) -> str:
    """'Boulkessi, 1 Jun' (or 'Djibo, mid-May')."""
    d = record.day
    if record.date_precision is DatePrecision.DAY:
        return f"{record.location}, {d.day} {d:%b}"
    return f"{record.location}, {date_text(record).rsplit(' ', 1)[0]}"


def _span(record: Record) -> tuple[dt.date, dt.date]:
    """The days the event may fall on: a ``month``-precision event, its calendar month
    (ACLED's time_precision 3); a ``week``-precision one, three days either side."""
    if record.date_precision is DatePrecision.MONTH:
        first = record.day.replace(day=1)
        last = record.last_day.replace(day=calendar.monthrange(*record.last_day.timetuple()[:2])[1])
        return first, last
    slack = dt.timedelta(days=PLACEMENT_SLACK[record.date_precision])
    return record.day - slack, record.last_day + slack


def in_period(record: Record, start: dt.date, end: dt.date) -> bool:
    """The event certainly falls in the period: its whole date uncertainty lies within it
    (a ``month``-precision event is never placed on a single report day)."""
    first, last = _span(record)
    if record.date_precision is DatePrecision.DAY:
        return first <= end and last >= start
    return first >= start and last <= end


