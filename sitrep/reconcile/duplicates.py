"""Possible duplicates: records of different incidents that match in place and dates but
not in the rest, listed for an analyst to confirm or dismiss, never merged silently."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.records import Record
from ..model.report import PossibleDuplicate
from .matching import MergeKeys, MergeRules, Near, Partial, match
from .merge import MergedIncident, _merge


def merge_and_find_duplicates(
    records: Sequence[Record], rules: MergeRules | None = None
) -> tuple[list[MergedIncident], list[PossibleDuplicate]]:
    """:func:`merge_records` and :func:`possible_duplicates` at once: the first round of
    merging compares every pair of records that :func:`possible_duplicates` would compare
    again, and keeps the near matches (the same pairs, in the same order)."""
    near: list[Near] = []
    incidents = _merge(records, rules or MergeRules(), near)
    owner = {r.id: inc.id for inc in incidents for r in inc.records}
    out = []
    for _, ka, kb, partial in sorted(near, key=lambda n: n[0]):
        a, b = ka.record, kb.record
        if owner[a.id] != owner[b.id] and b.id not in a.not_same_as and a.id not in b.not_same_as:
            out.append(_possible(a, b, partial))
    return incidents, out


def possible_duplicates(
    incidents: Sequence[MergedIncident], rules: MergeRules | None = None
) -> list[PossibleDuplicate]:
    """Pairs of records in different incidents that match in place and dates but not in
    the rest (event type, or corroboration across days): never merged silently, listed for
    an analyst to confirm (``same_as``) or dismiss (``not_same_as``)."""
    rules = rules or MergeRules()
    owner = {r.id: inc.id for inc in incidents for r in inc.records}
    keys = sorted((MergeKeys.of(r) for inc in incidents for r in inc.records),
                  key=lambda k: (k.record.country, k.first, k.record.id))  # fmt: skip
    out = []
    for i, ki in enumerate(keys):
        for kj in keys[i + 1 :]:
            if kj.record.country != ki.record.country or kj.first > ki.last:
                break
            ka, kb = (ki, kj) if ki.record.id < kj.record.id else (kj, ki)  # in id order
            a, b = ka.record, kb.record
            if owner[a.id] == owner[b.id] or b.id in a.not_same_as or a.id in b.not_same_as:
                continue
            _, partial = match(ka, kb, rules)
            if partial:
                out.append(_possible(a, b, partial))
    return out


def _possible(a: Record, b: Record, reason: Partial) -> PossibleDuplicate:
    return PossibleDuplicate(a=a.id, b=b.id, place_a=a.location, place_b=b.location,
                             day_a=a.day, day_b=b.day, reason=reason)  # fmt: skip
