"""Validating raw records, independent of any store: every problem of every record."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from ..ingest.raw import RawRecord, join_path
from ..model.fields import ID_PATTERN
from ..model.records import Record, record_problems, record_warnings
from ..model.values import cut, shown

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 50
"""Problems listed for one record (a few bytes of YAML aliases can make thousands)."""
_DANGLING = "no record with id {} in the dataset (expected an existing record id)"

def _loc(parts: Sequence[int | str]) -> str:
    out = ""
    for part in parts:
        out = f"{out}[{part}]" if isinstance(part, int) else join_path(out, str(part))
    return out


def _listed(items: Sequence[str], most: int = 5) -> str:
    """Items joined with commas, the first ``most`` of them and how many more."""
    more = f", and {len(items) - most:,} more" if len(items) > most else ""
    return ", ".join(items[:most]) + more


def _explain(err: dict[str, Any]) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return "missing (this field is required)"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; docs/records.md lists the fields)"
    if kind == "enum":
        expected = str(err["ctx"]["expected"]).replace(" or ", ", ")
        return f"{shown(value)} is not allowed (expected one of: {expected})"
    if kind == "string_pattern_mismatch" and err["ctx"]["pattern"] == ID_PATTERN:
        return (
            f"{shown(value)} is not a valid id (expected letters, digits, '.', '_' and '-', "
            "not starting with '.', at most 128 characters)"
        )
    if kind in ("less_than_equal", "greater_than_equal"):
        side = "at most" if kind == "less_than_equal" else "at least"
        bound = err["ctx"]["le" if kind == "less_than_equal" else "ge"]
        return f"{shown(value)} is out of range (expected {side} {bound})"
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind in ("value_error", "assertion_error"):
        return msg
    return f"{shown(value)} is not valid ({msg[0].lower()}{msg[1:]})"


def _source_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Claims whose ``source`` is not among the record's sources (checked on the raw data,
    so that it is reported together with the record's other problems)."""
    sources = data.get("sources")
    claims = data.get("claims")
    if not isinstance(sources, list) or not isinstance(claims, list):
        return []
    ids = [s.get("id") for s in sources if isinstance(s, dict)]
    known = _listed([cut(i) if isinstance(i, str) else shown(i) for i in ids], 10)
    return [
        (
            f"claims[{i}].source",
            f"{shown(c['source'])} is not one of this record's sources (expected one of: {known})",
        )
        for i, c in enumerate(claims)
        if isinstance(c, dict) and "source" in c and c["source"] not in ids
    ]


def _at_most(found: list[Problem], total: int) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` of the ``total`` problems of one record, and a line
    saying how many more there are."""
    if total <= MAX_PROBLEMS:
        return found
    first = found[0]
    more = f"and {total - MAX_PROBLEMS:,} more problem(s) in this record (fix those listed first)"
    return [*found[:MAX_PROBLEMS], Problem(first.file, first.line, first.record, None, more)]


def with_dangling(
    found: list[Problem],
    dangling: Sequence[tuple[str, str]],
    file: str,
    rid: str | None,
    line_of: Callable[[str], int],
) -> list[Problem]:
    """A record's problems followed by one per reference (field path, id) to no record: at
    most :data:`MAX_PROBLEMS` of them, and a line saying how many more."""
    found = found + [
        Problem(file, line_of(path), rid, path, _DANGLING.format(shown(ref)))
        for path, ref in dangling[: MAX_PROBLEMS + 1]
    ]
    return _at_most(found, len(found) + len(dangling[MAX_PROBLEMS + 1 :]))


def validate_raw(raw: RawRecord) -> tuple[Record | None, list[Problem]]:
    """Validate one raw record; return it, or the problems that prevent it."""
    rid = raw.id
    if not isinstance(raw.data, dict):
        kind = "an empty entry (null)" if raw.data is None else f"a {type(raw.data).__name__}"
        return None, [
            Problem(raw.file, raw.line, rid, None, f"{kind} is not a record (expected a mapping)")
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


def references(data: Any) -> Iterator[tuple[str, str]]:
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

