"""Edition filters."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.records import Record
from ..model.report import FigureRow, Incident, ReportFilter, Severity
from .severity import severity


def passes_values(country: str, admin1: str | None, grade: Severity, flt: ReportFilter) -> bool:
    """Whether an event of this country, first-level unit and severity passes a filter."""
    if flt.countries and country not in flt.countries:
        return False
    if flt.admin1 and (admin1 or "").casefold() not in {a.casefold() for a in flt.admin1}:
        return False
    return grade.rank >= flt.min_severity.rank


def record_passes(rec: Record, rows: Sequence[FigureRow], flt: ReportFilter) -> bool:
    """Whether an (earlier) event passes an edition's filter, its severity from ``rows``."""
    return passes_values(rec.country, rec.admin1, severity(rec, rows), flt)


def passes(inc: Incident, flt: ReportFilter) -> bool:
    """Whether an incident of the report passes an edition's filter."""
    return passes_values(inc.country, inc.admin1, inc.severity, flt)


