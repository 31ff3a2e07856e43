"""Records on the desk: the record form (fields named by their paths, ``claims[1].count``,
so the store's validation messages land beside them), and the possible duplicates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model.records import Record
from ..model.report import MergeLink
from ..reconcile.merge import MergeRules, merge_records

EVENT_FIELDS = ("id", "date", "country", "admin1", "location", "latitude", "longitude",
                "event_type", "title", "summary")  # fmt: skip
SOURCE_FIELDS = ("id", "name", "url", "published")
CLAIM_FIELDS = ("source", "by", "stance", "group", "outcome", "count")
BLANK_ROWS = 2
NAME_RULES = ("same_name", "alias", "similar_name")
"""Merge reasons that rest on the place name alone: the pairs the desk asks about."""
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+(\.\d+)?$")


def _value(name: str, text: str) -> Any:
    """A form value as the record format has it (numbers as numbers; anything that does not
    parse is passed on as text, for validation to explain)."""
    text = text.strip()
    if name == "count" and _INT.match(text):
        return int(text)
    if name in ("latitude", "longitude") and _FLOAT.match(text):
        return float(text)
    return text


def _rows(form: Mapping[str, str], key: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = []
    i = 0
    while f"{key}[{i}].{fields[0]}" in form:
        row = {f: _value(f, form.get(f"{key}[{i}].{f}", "")) for f in fields}
        if any(v != "" for v in row.values()):
            rows.append({f: v for f, v in row.items() if v != "" or f == "count"})
        i += 1
    for row in rows:
        if key == "claims" and row.get("count") == "":
            row["count"] = None  # the speaker gave no figure
    return rows


def record_from_form(form: Mapping[str, str], kept: Mapping[str, Any]) -> dict[str, Any]:
    """The record document a submitted form describes. Fields the form does not show are
    kept from the stored record (``kept``)."""
    doc: dict[str, Any] = {k: v for k, v in kept.items()
                           if k not in EVENT_FIELDS and k not in ("sources", "claims")}  # fmt: skip
    for name in EVENT_FIELDS:
        value = _value(name, form.get(name, ""))
        if value != "":
            doc[name] = value
    doc["sources"] = _rows(form, "sources", SOURCE_FIELDS)
    doc["claims"] = _rows(form, "claims", CLAIM_FIELDS)
    kept_claims = kept.get("claims", [])
    for i, claim in enumerate(doc["claims"]):  # quote, covers, reported: kept by position
        if i < len(kept_claims):
            claim.update({k: v for k, v in kept_claims[i].items() if k not in CLAIM_FIELDS})
    return doc


def form_values(doc: Mapping[str, Any]) -> dict[str, str]:
    """A record document as form values by path, with blank rows to add sources and claims."""
    values = {k: "" if doc.get(k) is None else str(doc[k]) for k in EVENT_FIELDS}
    for key, fields in (("sources", SOURCE_FIELDS), ("claims", CLAIM_FIELDS)):
        rows = list(doc.get(key) or [])
        for i, row in enumerate([*rows, *({} for _ in range(BLANK_ROWS))]):
            for f in fields:
                value = row.get(f) if isinstance(row, dict) else None
                values[f"{key}[{i}].{f}"] = "" if value is None else str(value)
    return values


def row_count(values: Mapping[str, str], key: str) -> int:
    """How many rows of ``key`` the form shows."""
    return sum(1 for k in values if k.startswith(f"{key}[") and k.endswith(("].id", "].source")))


@dataclass(frozen=True)
class Pair:
    """Two records the merger took as one event on their place names only."""

    link: MergeLink
    a: Record
    b: Record


def possible_duplicates(records: list[Record], rules: MergeRules) -> list[Pair]:
    """The pairs merged on place name alone (same name, alias or similar name) that no
    analyst has decided on yet (neither ``same_as`` nor ``not_same_as`` between them)."""
    by_id = {r.id: r for r in records}
    pairs = []
    for incident in merge_records(records, rules):
        for link in incident.reasons:
            a, b = by_id.get(link.a), by_id.get(link.b)
            if link.rule not in NAME_RULES or a is None or b is None:
                continue
            if b.id in (a.same_as, *a.not_same_as) or a.id in (b.same_as, *b.not_same_as):
                continue
            pairs.append(Pair(link, a, b))
    return pairs


def decide(doc: dict[str, Any], other: str, same: bool) -> dict[str, Any]:
    """Record ``doc`` with the analyst's decision about ``other``: ``same_as`` it, or
    ``not_same_as`` it."""
    doc = dict(doc)
    if same:
        doc["same_as"] = other
        doc["not_same_as"] = [x for x in doc.get("not_same_as", []) if x != other]
    else:
        doc["not_same_as"] = sorted({*doc.get("not_same_as", []), other})
        if doc.get("same_as") == other:
            del doc["same_as"]
    return doc


def in_filter(record: Record, day: dt.date | None, country: str | None) -> bool:
    """Whether a record matches the list's date and country filters."""
    return (day is None or record.day <= day <= record.last_day) and (
        not country or record.country == country.upper()
    )
