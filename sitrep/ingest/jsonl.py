"""JSON, strictly and boundedly; JSON lines: one record a line, lines outside the window
are not parsed."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import Problem
from .raw import MAX_DEPTH, TOO_DEEP, RawRecord, Window, in_window, too_deep

logger = logging.getLogger(__name__)

_JSON_ID = re.compile(r'\s*\{\s*"id"\s*:\s*"([^"\\]*)"')  # the record's id, written first
_JSON_DATE = re.compile(r'"date"\s*:\s*"(\d{4}-\d{2}-\d{2})')
_JSON_END = re.compile(r'"end_date"\s*:\s*"(\d{4}-\d{2}-\d{2})')
_HUGE_NUMBER = re.compile(r"\d{4300}")
_CONSTANT = re.compile(r"[:\[,]\s*-?(NaN|Infinity)")


class BadJson(ValueError):
    """JSON text that sitrep does not read: the line (if known) and what is wrong."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number in JSON (write a number, or null)")


_DECODER = json.JSONDecoder(parse_constant=_constant)  # once: json.loads(**kw) makes one a call


def _line_of(text: str, pattern: re.Pattern[str]) -> int | None:
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def json_value(text: str) -> Any:
    """The value of JSON text, or :class:`BadJson`: a syntax error, ``NaN``, a number of
    more than 4,300 digits, or lists and mappings nested more than 64 levels deep."""
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise BadJson(exc.lineno, exc.msg) from None
    except RecursionError:
        raise BadJson(None, TOO_DEEP) from None
    except ValueError as exc:  # NaN, or too many digits for Python to convert
        if _HUGE_NUMBER.search(text):
            message = "a number has more than 4,300 digits (no field of a record holds one)"
            raise BadJson(_line_of(text, _HUGE_NUMBER), message) from None
        raise BadJson(_line_of(text, _CONSTANT), str(exc)) from None
    # More brackets than the limit is rare in a record: only then walk the value.
    if text.count("[") + text.count("{") > MAX_DEPTH and too_deep(value):
        raise BadJson(None, TOO_DEEP)
    return value


def line_id(line: str) -> str | None:
    """A JSONL line's record id, read cheaply when the line starts with it, else parsed."""
    found = _JSON_ID.match(line)
    if found:
        return found.group(1)
    try:
        data = json_value(line) if line.strip() else None
    except BadJson:
        return None
    rid = data.get("id") if isinstance(data, dict) else None
    return rid if isinstance(rid, str) else None


def _outside(line: str, window: Window) -> RawRecord | None:
    """A stand-in for a JSONL line that a cheap look shows to be outside the window
    (parsing JSON costs ten times more than this)."""
    date, rid = _JSON_DATE.search(line), _JSON_ID.match(line)
    if not date or not rid:
        return None  # another layout: parse it
    end = _JSON_END.search(line)
    # a million of these may be kept: dates are shared strings (thirty records a day)
    data = {"id": rid.group(1), "date": sys.intern(date.group(1)),
            "end_date": end and sys.intern(end.group(1))}  # fmt: skip
    return None if in_window(data, window) else RawRecord(data, "", 0, outside=True)


def jsonl_items(
    lines: Iterable[str], name: str, window: Window | None = None
) -> Iterator[RawRecord | Problem]:
    """The records of JSON lines (the text of each line, first line 1), one at a time,
    and a problem for each line that is not valid JSON; blank lines are skipped."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if window and (stand_in := _outside(line, window)):
            stand_in.file, stand_in.line = name, n
            yield stand_in
            continue
        try:
            yield RawRecord(json_value(line), name, n)
        except BadJson as exc:
            yield Problem(name, n, None, None, f"not valid JSON: {exc.message}")
