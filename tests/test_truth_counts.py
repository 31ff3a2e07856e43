"""Issue 8, point 7: the count grammar reads 'up to N', number words in English and French,
French approximate numerals and 'some', each with documented bounds."""

from __future__ import annotations

import re

import pytest

from sitrep.model.counts import COUNT_JSON_SCHEMA, CountKind, parse_count
from sitrep.wording.counts import count

PATTERN = next(a["pattern"] for a in COUNT_JSON_SCHEMA["anyOf"] if "pattern" in a)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "words"),
    [
        ("up to 600", CountKind.AT_MOST, 1, 600, "up to 600"),
        ("as many as 40", CountKind.AT_MOST, 1, 40, "up to 40"),
        ("jusqu'à 12", CountKind.AT_MOST, 1, 12, "up to 12"),
        ("nearly fifty", CountKind.ABOUT, 50, 50, "nearly 50"),
        ("a dozen", CountKind.ABOUT, 12, 12, "about 12"),
        ("twenty-five", CountKind.EXACT, 25, 25, "25"),
        ("une quarantaine", CountKind.ABOUT, 40, 40, "about 40"),
        ("plus de 30", CountKind.MORE_THAN, 31, None, "more than 30"),
        ("au moins 40", CountKind.AT_LEAST, 40, None, "at least 40"),
        ("moins de 10", CountKind.FEWER_THAN, 1, 9, "fewer than 10"),
        ("environ 30", CountKind.ABOUT, 30, 30, "about 30"),
        ("des dizaines", CountKind.VAGUE, 10, None, "tens"),
        ("some", CountKind.VAGUE, 1, None, "some"),
        ("between 30 and 40", CountKind.RANGE, 30, 40, "30 to 40"),
        ("entre 30 et 40", CountKind.RANGE, 30, 40, "30 to 40"),
        ("aucun", CountKind.EXACT, 0, 0, "0"),
    ],
)
def test_new_count_forms_and_their_bounds(
    text: str, kind: CountKind, low: int, high: int | None, words: str
) -> None:
    c = parse_count(text)
    assert (c.kind, c.low, c.high) == (kind, low, high)
    assert count(c) == words
    assert re.search(PATTERN, text), "COUNT_JSON_SCHEMA must accept every form parse_count does"
