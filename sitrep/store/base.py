"""The incident store interface and what a load returns."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import Problem
from ..ingest.raw import Window
from ..model.records import Record

logger = logging.getLogger(__name__)


@dataclass
class LoadResult:
    """Valid records, and the problems found in the rest."""

    records: list[Record]
    problems: list[Problem]
    files: list[Path]
    invalid: list[str] = field(default_factory=list)
    """Ids (or file:line) of the records skipped because of problems."""
    notes: list[Problem] = field(default_factory=list)
    """What was left out on purpose and holds no records to lose: hidden files, files that
    are not data files, files holding an empty list. Not problems: they are logged (at
    INFO, shown by every command unless ``--quiet``) and ``validate`` still exits 0."""
    revision: int | None = None
    """The store revision the records were read at (None: a store without revisions)."""


class IncidentStore(Protocol):
    """Where incident records come from."""

    def load(self, window: Window | None = None) -> LoadResult:
        """The records (those overlapping ``window``, if given), validated, with the problems
        of those that are not valid. Ids outside the window still count for duplicates and
        references; ``sitrep validate`` loads without a window and checks everything."""
        ...


@runtime_checkable
class VersionedStore(IncidentStore, Protocol):
    """A store that keeps every revision and can be read as it was at a time."""

    def load(self, window: Window | None = None, as_of: dt.datetime | None = None) -> LoadResult:
        """The records (those overlapping ``window``) as the store held them at ``as_of``
        (default: now); the result names the store revision read."""
        ...

    def revision_at(self, as_of: dt.datetime | None = None) -> int:
        """The store revision at ``as_of`` (default: now)."""
        ...


@runtime_checkable
class FingerprintedStore(IncidentStore, Protocol):
    """A store that can say whether the records of some dates changed: the trends' cache of
    incident summaries is keyed on it (see ``pipeline/baseline.py``)."""

    def fingerprints(
        self, windows: Sequence[Window], as_of: dt.datetime | None = None
    ) -> list[str]:
        """For each window, a string that changes whenever the records overlapping it (as
        the store held them at ``as_of``) change. Asked for all the windows of a report's
        trends at once (up to 91 months): one read, not one a window."""
        ...
