"""Summarising: the reconciled incidents of a period into a :class:`~sitrep.model.report.Report`.

Places incidents in the period (new, update or context), numbers the sources, adds up
totals without inventing precision, compares with earlier periods and picks the key
developments, as structured facts that :mod:`sitrep.wording` puts into words.
"""

from __future__ import annotations

from .period import in_period, make_period
from .summary import SummaryInputs, summarise
from .trends import PeriodCount, change_level, history, low_activity, trends

__all__ = [
    "PeriodCount",
    "SummaryInputs",
    "change_level",
    "history",
    "in_period",
    "low_activity",
    "make_period",
    "summarise",
    "trends",
]
