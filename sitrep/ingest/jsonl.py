"""JSON lines: one record a line; lines outside the window are not parsed."""

from __future__ import annotations

import json
import logging
import re

from ..errors import Problem
from .raw import RawRecord, Window, in_window

logger = logging.getLogger(__name__)

_JSON_ID = re.compile(r'\s*\{\s*"id"\s*:\s*"([^"\\]*)"')  # the record's id, written first
_JSON_DATE = re.compile(r'"date"\s*:\s*"(\d{4}-\d{2}-\d{2})')
_JSON_END = re.compile(r'"end_date"\s*:\s*"(\d{4}-\d{2}-\d{2})')


def _outside(line: str, window: Window) -> RawRecord | None:
    """A stand-in for a JSONL line that a cheap look shows to be outside the window
    (parsing JSON costs ten times more than this)."""
    date, rid = _JSON_DATE.search(line), _JSON_ID.match(line)
    if not date or not rid:
        return None  # another layout: parse it
    end = _JSON_END.search(line)
    data = {"id": rid.group(1), "date": date.group(1), "end_date": end and end.group(1)}
    return None if in_window(data, window) else RawRecord(data, "", 0, outside=True)


def _parse_jsonl(
    text: str, name: str, window: Window | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if window and (stand_in := _outside(line, window)):
            stand_in.file, stand_in.line = name, n
            records.append(stand_in)
            continue
        try:
            records.append(RawRecord(json.loads(line), name, n))
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, n, None, None, f"not valid JSON: {exc.msg}"))
    return records, problems

