"""The reporting period and where an event falls in it."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TypeVar

from ..model.records import DatePrecision, Record
from ..model.report import Period

Day = TypeVar("Day", dt.date, int)


def make_period(start: dt.date, end: dt.date, timezone: str, lookback_days: int = 30) -> Period:
    """The period from ``start`` to ``end`` (inclusive), with its look-back window."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    return Period(
        start=start,
        end=end,
        timezone=timezone,
        context_start=start - dt.timedelta(days=lookback_days),
    )


def span(record: Record) -> tuple[dt.date, dt.date]:
    """The days the event may fall on: a ``month``-precision event, its calendar month
    (ACLED's time_precision 3); a ``week``-precision one, three days either side."""
    return span_of(record.day, record.last_day, record.date_precision)


def span_of(day: dt.date, last_day: dt.date, precision: DatePrecision) -> tuple[dt.date, dt.date]:
    """:func:`span` of an event's first and last day and date precision."""
    if precision is DatePrecision.MONTH:
        first = day.replace(day=1)
        last = last_day.replace(day=calendar.monthrange(*last_day.timetuple()[:2])[1])
        return first, last
    slack = dt.timedelta(days=precision.uncertainty_days)
    return day - slack, last_day + slack


def in_period(record: Record, start: dt.date, end: dt.date) -> bool:
    """The event certainly falls in the period: its whole date uncertainty lies within it
    (a ``month``-precision event is never placed on a single report day)."""
    first, last = span(record)
    return spans_in(first, last, record.date_precision is DatePrecision.DAY, start, end)


def spans_in(first: Day, last: Day, exact: bool, start: Day, end: Day) -> bool:
    """:func:`in_period` for an event's span (``exact``: dated to the day, so any overlap);
    the days as dates, or all as ordinals."""
    if exact:
        return first <= end and last >= start
    return first >= start and last <= end


