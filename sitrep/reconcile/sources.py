"""Numbering sources: one number per distinct source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..model.records import Source

SourceKey = tuple[str, str | None, dt.date | None]
"""What makes a source one source of the report: name, address and date."""
SourceNumbers = dict[SourceKey, int]


def source_key(source: Source) -> SourceKey:
    """Sources with the same name, address and date are one source in the report."""
    return (source.name.strip(), source.url, source.published)


def number_sources(sources: Iterable[Source]) -> SourceNumbers:
    """Number sources in order of first appearance, one number per distinct source."""
    return number_keys(map(source_key, sources))


def number_keys(keys: Iterable[SourceKey]) -> SourceNumbers:
    """:func:`number_sources` of the sources' keys (:func:`source_key`)."""
    numbers: SourceNumbers = {}
    for key in keys:
        numbers.setdefault(key, len(numbers) + 1)
    return numbers

