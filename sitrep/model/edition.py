"""Editions: which incidents (a filter) in which language, and how their files are named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .filters import ReportFilter

DEFAULT_LANGUAGE = "en"
"""The language whose editions keep the plain key and file names ('all', 'sitrep-2025-06-02')."""


@dataclass(frozen=True)
class Edition:
    """One edition of a report: a filter set and a language.

    English keeps the filter's key ("all", "MLI-timbuktu-major"); another language appends
    ".<lang>" ("MLI.fr"). The key names the edition's files, its ledger rows and its
    Message-IDs, so an edition in another language is always a different message.
    """

    filter: ReportFilter = field(default_factory=ReportFilter)
    language: str = DEFAULT_LANGUAGE

    @property
    def key(self) -> str:
        """'all', 'MLI', 'MLI.fr', 'all.pt-BR': file-name safe, unique per edition."""
        base = self.filter.key
        return base if self.language == DEFAULT_LANGUAGE else f"{base}.{self.language}"

    def stem(self, start: dt.date, end: dt.date) -> str:
        """The file stem: 'sitrep-2025-06-02', 'sitrep-2025-05-27_2025-06-02',
        plus '-<filter>' for a filtered edition and '.<lang>' for another language."""
        stem = f"sitrep-{start}" if start == end else f"sitrep-{start}_{end}"
        if not self.filter.is_empty:
            stem += f"-{self.filter.key}"
        return stem if self.language == DEFAULT_LANGUAGE else f"{stem}.{self.language}"
