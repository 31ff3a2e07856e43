"""The reporting period and where an event falls in it."""

from __future__ import annotations

import calendar
import datetime as dt

from ..model.records import DatePrecision, Record
from ..model.report import Period


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
    if record.date_precision is DatePrecision.MONTH:
        first = record.day.replace(day=1)
        last = record.last_day.replace(day=calendar.monthrange(*record.last_day.timetuple()[:2])[1])
        return first, last
    slack = dt.timedelta(days=record.date_precision.uncertainty_days)
    return record.day - slack, record.last_day + slack


def in_period(record: Record, start: dt.date, end: dt.date) -> bool:
    """The event certainly falls in the period: its whole date uncertainty lies within it
    (a ``month``-precision event is never placed on a single report day)."""
    first, last = span(record)
    if record.date_precision is DatePrecision.DAY:
        return first <= end and last >= start
    return first >= start and last <= end


