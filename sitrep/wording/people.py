"""People counted, in words: '1 soldier', 'more than 30 soldiers', 'dozens of soldiers'."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model.counts import VAGUE_WORDS
from ..model.records import Group

NOUNS: dict[Group, tuple[str, str]] = {
    Group.STATE_FORCES: ("soldier", "soldiers"),
    Group.ARMED_GROUP: ("assailant", "assailants"),
    Group.CIVILIANS: ("civilian", "civilians"),
    Group.FOREIGN_FORCES: ("foreign soldier", "foreign soldiers"),
    Group.UNKNOWN: ("person", "people"),
}



_CARRIED = re.compile(r"^best (\d[\d,]*), (.+)$")


# Cached: a long report counts the same few figures of the same groups thousands of times.
@lru_cache(maxsize=8192)
def people(count_text: str, group: Group) -> str:
    """'1 soldier', '2 soldiers', 'more than 30 soldiers', 'dozens of soldiers', '8-14
    soldiers (best 10)' (a range with its own best estimate)."""
    one, many = NOUNS[group]
    if carried := _CARRIED.match(count_text):
        return f"{people(carried.group(2), group)} (best {carried.group(1)})"
    word = count_text.lower()
    if word in VAGUE_WORDS and word not in ("several", "many", "numerous", "heavy", "some"):
        return f"{word} of {many}"
    if word == "heavy":
        return f"heavy casualties among {many}"
    return f"{count_text} {one if singular(count_text) else many}"


_LAST_NUMBER = re.compile(r"(\d[\d,]*)\s*$")
_RANGE = re.compile(r"\d\s*(?:to|-|–)\s*\d")


@lru_cache(maxsize=8192)
def singular(count_text: str) -> bool:
    """The noun agrees with the number written last: '1 soldier', 'at least 1 soldier',
    'about 1 soldier', but 'fewer than 2 soldiers', '1 to 2 soldiers', '0 soldiers'."""
    last = _LAST_NUMBER.search(count_text)
    return last is not None and last.group(1) == "1" and not _RANGE.search(count_text)


