"""Records as parsed from a file, before validation, and the dates a load asks for."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)

MAX_DEPTH = 64
"""How deeply lists and mappings may nest in a data file (a record needs four or five)."""
EMPTY = (
    "holds no records: the file is empty or only comments (expected one record or a list of "
    "records; delete the file if it is not needed)"
)
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep (a record needs four or five)"


def join_path(path: str, key: str) -> str:
    """The field path of ``key`` under ``path``: ``claims[0]`` + ``count``; an empty key
    is written ``''`` so that the message still names it."""
    key = key or "''"
    return f"{path}.{key}" if path else key


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and mappings nest more than ``limit`` levels in ``value`` (parsed
    JSON: walked level by level, without recursion)."""
    level: list[Any] = [value] if isinstance(value, (dict, list)) else []
    for _ in range(limit):
        level = [
            item
            for container in level
            for item in (container.values() if isinstance(container, dict) else container)
            if isinstance(item, (dict, list))
        ]
        if not level:
            return False
    return True


@dataclass(slots=True)
class RawRecord:
    """A record as parsed from a file, before validation, with the lines of its fields."""

    data: Any
    file: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    outside: bool = False
    """Outside the dates asked for: its id counts (duplicates, references), it is not
    validated or returned."""

    def line_of(self, path: str) -> int:
        """The line of a field path such as ``claims[1].count`` (or of its nearest parent)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.line

    @property
    def id(self) -> str | None:
        """The record's id, if it has a usable one."""
        rid = self.data.get("id") if isinstance(self.data, dict) else None
        return str(rid) if isinstance(rid, (str, int)) else None



Window = tuple[dt.date, dt.date]
"""First and last day of the records wanted (an event is wanted if it overlaps them)."""


def _iso_day(value: object) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]  # ISO dates compare as strings; cheaper than parsing a million
    return None


def in_window(data: Any, window: Window) -> bool:
    """Whether raw record data may overlap the window (unreadable dates: yes, so that
    validation reports them)."""
    if not isinstance(data, dict):
        return True
    first = _iso_day(data.get("date"))
    if first is None:
        return True
    last = _iso_day(data.get("end_date")) or first
    lo, hi = _iso_window(window)
    return first <= hi and last >= lo


@lru_cache(maxsize=16)
def _iso_window(window: Window) -> tuple[str, str]:
    return window[0].isoformat(), window[1].isoformat()


def _within(raws: Sequence[RawRecord], window: Window) -> list[RawRecord]:
    """The raw records that may overlap the window. The common case (ISO date strings) is
    written out here, since a store may hold a million records and one report wants few."""
    lo, hi = _iso_window(window)
    out = []
    for raw in raws:
        data = raw.data
        if type(data) is dict:
            first = data.get("date")
            last = data.get("end_date") or first
            if type(first) is str and type(last) is str and len(first) >= 10 and len(last) >= 10:
                if first[:10] <= hi and last[:10] >= lo:
                    out.append(raw)
                continue
        if in_window(data, window):
            out.append(raw)
    return out

