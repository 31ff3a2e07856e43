"""Which incidents an edition covers: the severity scale and the filter of a subscriber's
edition. Apart from the report model, which the commands that only read records or
subscribers (``sitrep validate``) do not need to import."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    """How grave an incident is, for ranking and for subscribers' minimum-severity filters.

    minor: no one reported killed; moderate: 1-9 killed; major: 10-49 killed or territory
    or a base taken; critical: 50 or more killed (best figure, else the credible lower bound).
    """

    MINOR = "minor"
    MODERATE = "moderate"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for minor up to 3 for critical."""
        return list(Severity).index(self)


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "x"


class ReportFilter(BaseModel):
    """Which incidents a subscriber's edition of the report covers (empty: everything)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    countries: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()
    min_severity: Severity = Severity.MINOR

    @property
    def key(self) -> str:
        """A stable, file-name-safe name for this filter set ('all' when it filters nothing):
        letters, digits and '-' only, whatever the admin1 names hold ('../x' is 'x')."""
        if self.is_empty:
            return "all"
        parts = sorted(_slug(c) for c in self.countries) + sorted(
            _slug(a).lower() for a in self.admin1
        )
        if self.min_severity is not Severity.MINOR:
            parts.append(self.min_severity.value)
        return "-".join(parts)

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every incident through."""
        return not self.countries and not self.admin1 and self.min_severity is Severity.MINOR
