"""Validating raw records, independent of any store: every problem of every record."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from ..ingest.raw import RawRecord, Window, _within
from ..model.records import ID_PATTERN, Record, record_problems, record_warnings
from .base import LoadResult

logger = logging.getLogger(__name__)

def _loc(parts: Sequence[int | str]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _explain(err: dict[str, Any]) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return "missing (this field is required)"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; docs/records.md lists the fields)"
    if kind == "enum":
        return f"{value!r} is not allowed (expected one of: {err['ctx']['expected']})".replace(
            " or ", ", "
        )
    if kind == "string_pattern_mismatch" and err["ctx"]["pattern"] == ID_PATTERN:
        return (
            f"{value!r} is not a valid id (expected letters, digits, '.', '_' and '-', "
            "not starting with '.', at most 128 characters)"
        )
    if kind in ("less_than_equal", "greater_than_equal"):
        side = "at most" if kind == "less_than_equal" else "at least"
        bound = err["ctx"]["le" if kind == "less_than_equal" else "ge"]
        return f"{value!r} is out of range (expected {side} {bound})"
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind in ("value_error", "assertion_error"):
        return msg
    shown = repr(value) if not isinstance(value, (dict, list)) else f"a {type(value).__name__}"
    return f"{shown} is not valid ({msg[0].lower()}{msg[1:]})"


def _source_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Claims whose ``source`` is not among the record's sources (checked on the raw data,
    so that it is reported together with the record's other problems)."""
    sources = data.get("sources")
    claims = data.get("claims")
    if not isinstance(sources, list) or not isinstance(claims, list):
        return []
    ids = [s.get("id") for s in sources if isinstance(s, dict)]
    known = ", ".join(str(i) for i in ids)
    return [
        (
            f"claims[{i}].source",
            f"{c['source']!r} is not one of this record's sources (expected one of: {known})",
        )
        for i, c in enumerate(claims)
        if isinstance(c, dict) and "source" in c and c["source"] not in ids
    ]


def validate_raw(raw: RawRecord) -> tuple[Record | None, list[Problem]]:
    """Validate one raw record; return it, or the problems that prevent it."""
    rid = raw.id
    if not isinstance(raw.data, dict):
        kind = type(raw.data).__name__
        return None, [
            Problem(raw.file, raw.line, rid, None, f"a {kind} is not a record (expected a mapping)")
        ]
    found = _source_problems(raw.data)
    record: Record | None = None
    try:
        record = Record.model_validate(raw.data)
    except ValidationError as exc:
        found = [(_loc(err["loc"]), _explain(dict(err))) for err in exc.errors()] + found
    else:
        found += record_problems(record)
    problems = [
        Problem(raw.file, raw.line_of(path), rid, path or None, message) for path, message in found
    ]
    if problems:
        return None, problems
    assert record is not None
    return record, [
        Problem(raw.file, raw.line_of(path), rid, path, message, "warning")
        for path, message in record_warnings(record)
    ]


def validate_records(
    raws: Sequence[RawRecord], *, files: list[Path], window: Window | None = None
) -> LoadResult:
    """Validate raw records one by one (those in ``window``, if given), then the references
    between them. Every id counts for duplicates and references; with a window only the
    ids the window's records use or name are looked up, not a million."""
    wanted = [raw for raw in raws if not raw.outside]
    needed: set[str] | None = None
    if window:
        wanted = _within(wanted, window)
        needed = {rid for raw in wanted if (rid := raw.id)}
        needed.update(ref for raw in wanted for _, ref in _references(raw.data))
    records: list[Record] = []
    problems: list[Problem] = []
    invalid: set[str] = set()
    seen: dict[str, list[RawRecord]] = {}
    for raw in raws:
        data = raw.data
        rid = data.get("id") if type(data) is dict else None
        if type(rid) is not str:
            rid = raw.id
        if rid is not None and (needed is None or rid in needed):
            seen.setdefault(rid, []).append(raw)
    wanted_raws = {id(raw) for raw in wanted}
    for rid, same in seen.items():
        if len(same) > 1 and any(id(r) in wanted_raws for r in same):
            where = ", ".join(f"{r.file}:{r.line}" for r in same)
            for r in same:
                problems.append(
                    Problem(
                        r.file,
                        r.line_of("id"),
                        rid,
                        "id",
                        f"duplicate id, used at {where} (expected ids unique across the dataset)",
                    )
                )
            invalid.add(rid)
    for raw in wanted:
        record, found = validate_raw(raw)
        problems.extend(found)
        if record is None:
            invalid.add(raw.id or f"{raw.file}:{raw.line}")
        elif record.id not in invalid:
            records.append(record)
    # References are checked on the raw data of every record, valid or not, so that one
    # run reports a dangling reference together with the record's other problems.
    known = seen.keys()
    dangling_ids: set[str] = set()
    for raw in wanted:
        for path, ref in _references(raw.data):
            if ref in known:
                continue
            problems.append(
                Problem(
                    raw.file,
                    raw.line_of(path),
                    raw.id,
                    path,
                    f"no record with id {ref!r} in the dataset (expected an existing record id)",
                )
            )
            invalid.add(raw.id or f"{raw.file}:{raw.line}")
            if raw.id:
                dangling_ids.add(raw.id)
    kept = [record for record in records if record.id not in dangling_ids]
    problems.sort(key=lambda p: (p.file, p.line or 0))
    return LoadResult(kept, problems, files, sorted(invalid))


def _references(data: Any) -> Iterator[tuple[str, str]]:
    """The record ids a raw record refers to (``covers``, ``same_as``, ``not_same_as``)."""
    if not isinstance(data, dict):
        return
    claims = data.get("claims")
    for i, claim in enumerate(claims if isinstance(claims, list) else []):
        covers = claim.get("covers") if isinstance(claim, dict) else None
        for j, ref in enumerate(covers if isinstance(covers, list) else []):
            if isinstance(ref, str):
                yield f"claims[{i}].covers[{j}]", ref
    same_as = data.get("same_as")
    if isinstance(same_as, str):
        yield "same_as", same_as
    not_same_as = data.get("not_same_as")
    for j, ref in enumerate(not_same_as if isinstance(not_same_as, list) else []):
        if isinstance(ref, str):
            yield f"not_same_as[{j}]", ref

