"""Values quoted in messages: cut to a few dozen characters, escaped, never expanded.

A message may be printed on a terminal, e-mailed in a report or written to a log, so it
must not carry a newline (a forged second problem line), a terminal control sequence or a
bidirectional override from the data, nor the expansion of a YAML alias bomb.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..errors import Problem

SHOWN_CHARS = 40
"""How much of a text value a message quotes."""


def escape(text: str) -> str:
    """``text`` with every character that is not printable (newline, tab, NUL, ESC, BEL,
    bidirectional controls, ...) written as a Python escape such as ``\\n`` or ``\\u202e``."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def cut(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` escaped, its first ``limit`` characters only (with "..." when cut)."""
    escaped = escape(text[: limit * 4])
    return escaped if len(escaped) <= limit else escaped[:limit] + "..."


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value as a message quotes it: a short text in quotes, escaped and cut; a number; a
    date; ``a list`` or ``a dict`` for containers, whose contents are never printed."""
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}... ({len(value):,} characters)"
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() <= 64:
            return str(value)
        if value.bit_length() < 14_000:  # str() of 4,300 digits and more raises ValueError
            return f"a number of {len(str(abs(value))):,} digits"
        return "a number of more than 4,000 digits"
    if isinstance(value, dt.date):
        return value.isoformat()
    return f"a {type(value).__name__}"


def clean(problem: Problem) -> Problem:
    """A problem safe to print: its file, record, field and message escaped, and the record
    id and field path cut (an id may be a whole file's worth of text)."""
    return replace(
        problem,
        file=escape(problem.file),
        record=None if problem.record is None else cut(problem.record, 80),
        field=None if problem.field is None else cut(problem.field, 120),
        message=escape(problem.message),
    )
