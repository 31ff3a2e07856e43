"""Casualty counts as people state them: "more than 30", "13", "dozens", "no toll",
"nearly fifty", "une quarantaine", "up to 600", "8-14 (best 10)".

A :class:`Count` keeps the speaker's wording and the bounds it supports. Bounds are
conservative: ``low`` is what the wording guarantees, ``high`` is ``None`` when the
wording sets no upper limit ("more than 30" never becomes "31 to 31"). A range may carry
its own best estimate inside its bounds, as UCDP's low/best/high do ("8-14 (best 10)").
Every form and its bounds is listed in docs/records.md ("Counts").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum


class CountKind(StrEnum):
    """How a figure was stated."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    FEWER_THAN = "fewer_than"
    AT_MOST = "at_most"
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
    "some": 1,
    # French
    "des dizaines": 10,
    "des centaines": 100,
    "plusieurs": 3,
    "de nombreux": 1,
    "de nombreuses": 1,
    "nombreux": 1,
}

# Number words (English and French), for "nearly fifty", "a dozen", "au moins quarante".
_EN_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
             "fourteen fifteen sixteen seventeen eighteen nineteen twenty")  # fmt: skip
_FR_WORDS = ("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
             "quinze seize dix-sept dix-huit dix-neuf vingt")  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_EN_WORDS.split())},
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "a hundred": 100, "one hundred": 100, "a thousand": 1000,
    "one thousand": 1000,
    **{w: i for i, w in enumerate(_FR_WORDS.split())},
    "une": 1, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
    "mille": 1000,
}  # fmt: skip

# Approximate numerals: "a dozen" is about 12, "une quarantaine" about 40.
APPROX_NOUNS: dict[str, int] = {
    "a dozen": 12, "a score": 20, "two dozen": 24,
    "une dizaine": 10, "une douzaine": 12, "une quinzaine": 15, "une vingtaine": 20,
    "une trentaine": 30, "une quarantaine": 40, "une cinquantaine": 50,
    "une soixantaine": 60, "une centaine": 100,
}  # fmt: skip

_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_UNITS = {w: i for w, i in NUMBER_WORDS.items() if 1 <= i <= 9 and w.isascii() and " " not in w}

def _alternatives(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


# "twenty-five", "twenty five": the tens and units apart, not their 288 spellings listed (a
# pattern ten times shorter, which compiles ten times faster), tried before the words alone
_WORDS = rf"(?:{_alternatives(_TENS)})[- ](?:{_alternatives(_UNITS)})|{_alternatives(NUMBER_WORDS)}"
_NUM = rf"(\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORDS})"
MORE_THAN_WORDS = ("more than", "over", ">", "plus de")
AT_LEAST_WORDS = ("at least", ">=", "≥", "au moins")
FEWER_THAN_WORDS = ("fewer than", "less than", "<", "moins de")
AT_MOST_WORDS = ("up to", "as many as", "at most", "jusqu'à", "jusqu’à")
ABOUT_WORDS = ("about", "around", "nearly", "approximately", "some", "~", "almost",
               "environ", "près de", "presque", "quelque")  # fmt: skip
# A range's own best estimate (UCDP's low/best/high): "8-14 (best 10)" or "best 10, 8-14".
BEST_WORDS = ("best", "best estimate", "meilleure estimation")


@functools.cache
def _patterns() -> tuple[list[tuple[re.Pattern[str], CountKind]], re.Pattern[str], re.Pattern[str]]:
    """The count patterns, and the two best-estimate ones, compiled on first use (the
    number words make them slow to compile: ``sitrep schema`` and ``--help`` never need
    them)."""
    patterns = [
        (re.compile(rf"^{_NUM}$"), CountKind.EXACT),
        (re.compile(rf"^(?:{_alternatives(MORE_THAN_WORDS)})\s*{_NUM}$"), CountKind.MORE_THAN),
        (re.compile(rf"^(?:{_alternatives(AT_LEAST_WORDS)})\s*{_NUM}$"), CountKind.AT_LEAST),
        (re.compile(rf"^(?:{_alternatives(FEWER_THAN_WORDS)})\s*{_NUM}$"), CountKind.FEWER_THAN),
        (re.compile(rf"^(?:{_alternatives(AT_MOST_WORDS)})\s*{_NUM}$"), CountKind.AT_MOST),
        (re.compile(rf"^({_alternatives(ABOUT_WORDS)})\s*{_NUM}$"), CountKind.ABOUT),
        (re.compile(rf"^(?:between\s+|entre\s+)?{_NUM}\s*(?:-|–|to|and|à|et)\s*{_NUM}$"),
         CountKind.RANGE),
    ]  # fmt: skip
    words = _alternatives(BEST_WORDS)
    after = re.compile(rf"^(.+?)\s*\((?:{words})\s*:?\s*{_NUM}\)$")
    before = re.compile(rf"^(?:{words})\s*:?\s*{_NUM}\s*,\s*(.+)$")
    return patterns, after, before


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
    best: int | None = None  # a range's own best estimate, within low..high

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
        """The single number a reader would quote, when the wording has one: the number
        of an exact or 'about' figure, or the best estimate a range carries."""
        if self.best is not None:
            return self.best
        if self.kind in (CountKind.EXACT, CountKind.ABOUT):
            return self.low
        return None


def is_specific(kind: CountKind, low: int, high: int | None) -> bool:
    """A figure that can set a floor (a row's low and best): not a vague word, not an upper
    bound alone ('up to', 'fewer than'), not 'at least 1' ('some lives were lost')."""
    if kind in (CountKind.VAGUE, CountKind.AT_MOST, CountKind.FEWER_THAN):
        return False
    return not (high is None and low <= 1)


def _int(text: str) -> int:
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    if text[0].isalpha():  # "twenty-five", "twenty five"
        tens, units = re.split(r"[- ]", text, maxsplit=1)
        return _TENS[tens] + _UNITS[units]
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
    if "best" in norm or "meilleure" in norm:  # the common wordings skip these patterns
        if m := _patterns()[1].match(norm):
            return _with_best(text, m.group(1), m.group(2))
        if m := _patterns()[2].match(norm):
            return _with_best(text, m.group(2), m.group(1))
    if norm in ("none", "no one", "nobody", "aucun", "personne"):
        return Count(0, 0, CountKind.EXACT, text)
    if norm in VAGUE_WORDS:
        return Count(VAGUE_WORDS[norm], None, CountKind.VAGUE, text)
    if norm in APPROX_NOUNS:
        return Count(APPROX_NOUNS[norm], APPROX_NOUNS[norm], CountKind.ABOUT, text, approx="about")
    for pattern, kind in _patterns()[0]:
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
            case CountKind.AT_MOST:
                # "up to 600 killed" states that people were killed, at most 600.
                n = _int(m.group(1))
                return Count(min(1, n), n, kind, text)
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


def _with_best(text: str, bounds: str, best: str) -> Count:
    """A range carrying its best estimate ('8-14 (best 10)', 'best 10, 8-14'): the best
    must lie within the range's bounds."""
    try:
        inner = parse_count(bounds)
    except CountSyntaxError:
        inner = None
    n = _int(best)
    if inner is None or inner.kind is not CountKind.RANGE or inner.high is None:
        raise CountSyntaxError(
            f"{text!r}: a best estimate goes with a range around it (expected such as "
            "'8-14 (best 10)')"
        )
    if not inner.low <= n <= inner.high:
        raise CountSyntaxError(
            f"{text!r}: best {n} is outside its range {inner.low}-{inner.high} (expected a "
            "best estimate from low to high, such as '8-14 (best 10)')"
        )
    return Count(inner.low, inner.high, CountKind.RANGE, text, best=n)


def _schema_pattern() -> str:
    number = r"(\d[\d,]*|" + _WORDS + ")"
    prefixes = _alternatives(
        [*MORE_THAN_WORDS, *AT_LEAST_WORDS, *FEWER_THAN_WORDS, *AT_MOST_WORDS, *ABOUT_WORDS]
    )
    fixed = _alternatives([*VAGUE_WORDS, *APPROX_NOUNS, "none", "no one", "nobody", "aucun",
                           "personne"])  # fmt: skip
    span = rf"(between\s+|entre\s+)?{number}\s*(-|–|to|and|à|et)\s*{number}"
    best = rf"({_alternatives(BEST_WORDS)})\s*:?\s*{number}"
    return (
        rf"^\s*(?i:{number}|({prefixes})\s*{number}|{span}(\s*\({best}\))?|"
        rf"{best}\s*,\s*{span}|{fixed})\s*$"
    )


COUNT_JSON_SCHEMA: dict[str, object] = {
    "description": "A casualty figure as stated: an integer, a phrase in the count grammar "
    "(docs/records.md, 'Counts'), or null when the speaker gave no figure.",
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": _schema_pattern()},
        {"type": "null"},
    ],
}
