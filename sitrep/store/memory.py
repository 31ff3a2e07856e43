"""Records held in memory: the test double of a store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from ..ingest.raw import RawRecord, Window
from ..model.records import Record
from ..progress import SILENT, Progress
from .base import LoadResult
from .checking import Checked, Checker, check_all, validate_records

logger = logging.getLogger(__name__)

class MemoryStore:
    """Records held in memory (the test double): plain dicts, validated like file records."""

    def __init__(self, records: Iterable[dict[str, Any]], name: str = "<memory>") -> None:
        self.raw = [RawRecord(data, name, i + 1) for i, data in enumerate(records)]
        self.name = name

    def load(self, window: Window | None = None) -> LoadResult:
        """Validate the records as if they came from one file, a record a line."""
        return validate_records(self.raw, files=[], window=window)

    def check(
        self, progress: Progress = SILENT, name: Callable[[Record], str | None] | None = None
    ) -> Checked:
        """Check every record one at a time, as ``sitrep validate`` does a folder's."""
        return check_all(self.raw, Checker(name=name), progress, len(self.raw))
