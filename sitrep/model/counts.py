"""Casualty counts as people state them: "more than 30", "13", "dozens", "no toll".

A :class:`Count` keeps the speaker's wording and the bounds it supports. Bounds are
conservative: ``low`` is what the wording guarantees, ``high`` is ``None`` when the
wording sets no upper limit ("more than 30" never becomes "31 to 31").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class CountKind(StrEnum):
    """How a figure was stated."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    FEWER_THAN = "fewer_than"
    ABOUT = "about"
    RANGE = "range"
    VAGUE = "vague"


# ACLED's conventions for vague quantities (lower bounds); "scores" is two score.
VAGUE_WORDS: dict[str, int] = {
    "tens": 10,
    "dozens": 12,
    "scores": 40,
    "hundreds": 100,
    "several": 3,
    "many": 1,
    "heavy": 1,
    "numerous": 1,
}

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)"
_PATTERNS: list[tuple[re.Pattern[str], CountKind]] = [
    (re.compile(rf"^{_NUM}$"), CountKind.EXACT),
    (re.compile(rf"^(?:>|more than|over)\s*{_NUM}$"), CountKind.MORE_THAN),
    (re.compile(rf"^(?:>=|≥|at least)\s*{_NUM}$"), CountKind.AT_LEAST),
    (re.compile(rf"^(?:<|fewer than|less than)\s*{_NUM}$"), CountKind.FEWER_THAN),
    (re.compile(rf"^(~|about|around|nearly|approximately|some)\s*{_NUM}$"), CountKind.ABOUT),
    (re.compile(rf"^{_NUM}\s*(?:-|–|to)\s*{_NUM}$"), CountKind.RANGE),
]

GRAMMAR_HELP = (
    "expected a whole number, or text such as '30', 'more than 30', '>30', 'at least 30', "
    "'fewer than 10', 'about 30', '30-40', 'dozens', 'many', 'none'"
)


class CountSyntaxError(ValueError):
    """The text is not in the count grammar."""


@dataclass(frozen=True, slots=True)
class Count:
    """A parsed casualty figure: its bounds and the words it was stated in."""

    low: int
    high: int | None
    kind: CountKind
    text: str
    approx: str | None = None  # the hedge of an ABOUT count: "about", "nearly", ...

    @property
    def exact(self) -> bool:
        """True when the figure is one precise number."""
        return self.kind is CountKind.EXACT

    @property
    def open_ended(self) -> bool:
        """True when the wording sets no upper bound."""
        return self.high is None

    @property
    def point(self) -> int | None:
        """The single number a reader would quote, when the wording has one."""
        if self.kind in (CountKind.EXACT, CountKind.ABOUT):
            return self.low
        return None


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def parse_count(value: object) -> Count:
    """Parse an integer or a string in the count grammar; raise CountSyntaxError otherwise."""
    if isinstance(value, bool):
        raise CountSyntaxError(f"{value!r} is not a count ({GRAMMAR_HELP})")
    if isinstance(value, int):
        if value < 0:
            raise CountSyntaxError(f"{value} is negative ({GRAMMAR_HELP})")
        return Count(value, value, CountKind.EXACT, str(value))
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return parse_count(int(value))
    if not isinstance(value, str):
        raise CountSyntaxError(f"{value!r} is not a count ({GRAMMAR_HELP})")
    text = value
    norm = " ".join(value.strip().lower().split())
    if norm in ("none", "no one", "nobody"):
        return Count(0, 0, CountKind.EXACT, text)
    if norm in VAGUE_WORDS:
        return Count(VAGUE_WORDS[norm], None, CountKind.VAGUE, text)
    for pattern, kind in _PATTERNS:
        m = pattern.match(norm)
        if not m:
            continue
        match kind:
            case CountKind.EXACT:
                n = _int(m.group(1))
                return Count(n, n, kind, text)
            case CountKind.MORE_THAN:
                return Count(_int(m.group(1)) + 1, None, kind, text)
            case CountKind.AT_LEAST:
                return Count(_int(m.group(1)), None, kind, text)
            case CountKind.FEWER_THAN:
                n = _int(m.group(1))
                if n == 0:
                    break
                # "fewer than 10 killed" still states that someone was killed.
                return Count(min(1, n - 1), n - 1, kind, text)
            case CountKind.ABOUT:
                n = _int(m.group(2))
                return Count(n, n, kind, text, approx=m.group(1))
            case CountKind.RANGE:
                lo, hi = _int(m.group(1)), _int(m.group(2))
                if lo > hi:
                    raise CountSyntaxError(
                        f"range {text!r} runs backwards (expected the smaller number first)"
                    )
                return Count(lo, hi, kind, text)
    raise CountSyntaxError(f"{text!r} is not a count ({GRAMMAR_HELP})")


COUNT_JSON_SCHEMA: dict[str, object] = {
    "description": "A casualty figure as stated: an integer, a phrase in the count grammar, "
    "or null when the speaker gave no figure.",
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {
            "type": "string",
            "pattern": (
                r"^\s*(?i:\d[\d,]*|(>|>=|≥|<|~|more than|over|at least|fewer than|less than|"
                r"about|around|nearly|approximately|some)\s*\d[\d,]*|\d[\d,]*\s*(-|–|to)\s*\d[\d,]*|"
                r"tens|dozens|scores|hundreds|several|many|heavy|numerous|none|no one|nobody)\s*$"
            ),
        },
        {"type": "null"},
    ],
}
