"""Records on the desk: the record form (fields named by their paths, ``claims[1].count``,
so the store's validation messages land beside them), and the possible duplicates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model.records import Record
from ..model.report import PossibleDuplicate
from ..reconcile.duplicates import possible_duplicates as partial_matches
from ..reconcile.matching import MergeRules
from ..reconcile.merge import merge_records

EVENT_FIELDS = ("id", "date", "end_date", "date_precision", "country", "admin1", "admin2",
                "location", "aliases", "latitude", "longitude", "event_type",
                "sub_event_type", "perpetrator", "target", "title", "summary",
                "tags")  # fmt: skip
_STATEMENT = ("source", "by", "stance")
_WHEN = ("reported", "reported_precision", "party", "quote")
ROWS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "name", "url", "published", "via"),
    "claims": (*_STATEMENT, "group", "outcome", "count", *_WHEN, "subset", "covers"),
    "outcomes": (*_STATEMENT, "says", *_WHEN),
}
"""The rows of a record the form shows, and their fields (the first one marks a row)."""
BLANK_ROWS = 2
ROW = "row"
"""A hidden field per stored row: its position in the stored record, so that fields the form
does not show stay with their row when rows above it are removed."""
LISTS = frozenset({"aliases", "tags", "covers"})
"""Fields that hold a list, entered as comma-separated values."""
REMOVE = "remove"
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+(\.\d+)?$")
_FLAGS = {"true": True, "false": False}


def _value(name: str, text: str) -> Any:
    """A form value as the record format has it (numbers as numbers, yes/no as booleans;
    anything that does not parse is passed on as text, for validation to explain)."""
    text = text.strip()
    if name in LISTS:
        return [item.strip() for item in text.split(",") if item.strip()] or ""
    if name == "count" and _INT.match(text):
        return int(text)
    if name in ("latitude", "longitude") and _FLOAT.match(text):
        return float(text)
    if name in ("party", "subset") and text in _FLAGS:
        return _FLAGS[text]
    return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _rows(form: Mapping[str, str], key: str, kept: list[Any]) -> list[dict[str, Any]]:
    fields = ROWS[key]
    rows = []
    i = 0
    while f"{key}[{i}].{fields[0]}" in form:
        at = f"{key}[{i}]."
        row = {f: _value(f, form.get(at + f, "")) for f in fields}
        if form.get(at + REMOVE) or all(v == "" for v in row.values()):
            i += 1
            continue
        doc = {f: v for f, v in row.items() if v != "" or f == "count"}
        if doc.get("count") == "":
            doc["count"] = None  # the speaker gave no figure
        stored = form.get(at + ROW, "")
        if stored.isdigit() and int(stored) < len(kept) and isinstance(kept[int(stored)], dict):
            doc.update({k: v for k, v in kept[int(stored)].items() if k not in fields})
        rows.append(doc)
        i += 1
    return rows


def record_from_form(form: Mapping[str, str], kept: Mapping[str, Any]) -> dict[str, Any]:
    """The record document a submitted form describes. Fields the form does not show are
    kept from the stored record (``kept``), a row's by the row it was shown in."""
    doc: dict[str, Any] = {k: v for k, v in kept.items()
                           if k not in EVENT_FIELDS and k not in ROWS}  # fmt: skip
    for name in EVENT_FIELDS:
        value = _value(name, form.get(name, ""))
        if value != "":
            doc[name] = value
    for key in ROWS:
        rows = _rows(form, key, list(kept.get(key) or []))
        if rows or key == "sources" or key in kept:
            doc[key] = rows
    return doc


def form_values(doc: Mapping[str, Any]) -> dict[str, str]:
    """A record document as form values by path, with blank rows to add sources, claims
    and outcome statements."""
    values = {k: _text(doc.get(k)) for k in EVENT_FIELDS}
    for key, fields in ROWS.items():
        rows = list(doc.get(key) or [])
        for i, row in enumerate([*rows, *({} for _ in range(BLANK_ROWS))]):
            for f in fields:
                values[f"{key}[{i}].{f}"] = _text(row.get(f) if isinstance(row, dict) else None)
            values[f"{key}[{i}].{ROW}"] = str(i) if i < len(rows) else ""
    return values


def row_count(values: Mapping[str, str], key: str) -> int:
    """How many rows of ``key`` the form shows."""
    return sum(1 for k in values if k.startswith(f"{key}[") and k.endswith(f"].{ROW}"))


@dataclass(frozen=True)
class Pair:
    """Two records the merger found only partly alike, and why (``match.reason``)."""

    match: PossibleDuplicate
    a: Record
    b: Record


def possible_duplicates(records: list[Record], rules: MergeRules) -> list[Pair]:
    """The merger's possible duplicates: records in different incidents that match in place
    and dates but not in the rest, with neither ``same_as`` nor ``not_same_as`` between
    them (a confirmed pair is one incident, a dismissed one is never listed)."""
    by_id = {r.id: r for r in records}
    return [Pair(d, by_id[d.a], by_id[d.b])
            for d in partial_matches(merge_records(records, rules), rules)]  # fmt: skip


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
