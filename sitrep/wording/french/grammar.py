"""French grammar for the report: numbers of people with agreement, participles, elision,
figures in words ('plus de 30', 'des dizaines') and French punctuation spacing."""

from __future__ import annotations

import re
from functools import lru_cache

from ...model.counts import Count, CountKind
from ...model.records import Group, Outcome
from ...model.report import Figure, Statement
from ..numbers import fmt_num

NNBSP = "\u202f"
"""The narrow no-break space French sets before ; : ! ? (and Babel between thousands)."""

# (singular, plural, feminine)
NOUNS: dict[Group, tuple[str, str, bool]] = {
    Group.STATE_FORCES: ("soldat", "soldats", False),
    Group.ARMED_GROUP: ("assaillant", "assaillants", False),
    Group.CIVILIANS: ("civil", "civils", False),
    Group.FOREIGN_FORCES: ("soldat étranger", "soldats étrangers", False),
    Group.UNKNOWN: ("personne", "personnes", True),
}

PARTICIPLES: dict[Outcome, str] = {
    Outcome.KILLED: "tué",
    Outcome.WOUNDED: "blessé",
    Outcome.MISSING: "porté disparu",
    Outcome.ABDUCTED: "enlevé",
    Outcome.ARRESTED: "arrêté",
}

# The speaker's vague words, in French ('dozens' -> 'des dizaines').
VAGUE: dict[str, str] = {
    "tens": "des dizaines", "dozens": "des dizaines", "scores": "des dizaines",
    "hundreds": "des centaines", "several": "plusieurs", "many": "de nombreux",
    "numerous": "de nombreux", "some": "quelques", "heavy": "lourd",
    "des dizaines": "des dizaines", "des centaines": "des centaines",
    "plusieurs": "plusieurs", "de nombreux": "de nombreux", "de nombreuses": "de nombreux",
    "nombreux": "de nombreux",
}  # fmt: skip

BEST_ESTIMATE = "meilleure estimation"
"""How a range's own best estimate is introduced ('best' in English)."""
_ABOUT = (None, "~", "approximately", "some", "environ", "quelque", "about")


def typo(text: str) -> str:
    """French spacing: a narrow no-break space before ; : ! ? (not in '06:00' or 'https:')."""
    return re.sub(r"[ \u202f]?([;:!?])(?=\s|$)", NNBSP + r"\1", text)


def elide(word: str, before: str) -> str:
    """'de' + 'Ansar' -> "d'Ansar"; 'de' + 'FAMa' -> 'de FAMa'."""
    if before[:1] and before[:1].lower() in "aeiouyéèêàâîôûh":
        return word[:-1] + "’" + before
    return f"{word} {before}"


def participle(outcome: Outcome | str, plural: bool, feminine: bool = False) -> str:
    """'tué', 'tués', 'tuées', 'portés disparus'."""
    text = PARTICIPLES[Outcome(outcome)]
    ending = ("e" if feminine else "") + ("s" if plural else "")
    return " ".join(w + ending for w in text.split())


# Cached, as the English figures and people (wording/counts.py, people.py).
@lru_cache(maxsize=8192)
def count_text(kind: CountKind, low: int, high: int | None, wording: str,
               approx: str | None, best: int | None = None) -> str:  # fmt: skip
    """A figure in French words: '30', 'plus de 30', 'au moins 30', '30 à 40', 'des dizaines',
    'meilleure estimation 10, 8 à 14' (a range with its own best estimate)."""
    if best is not None:
        return (f"{BEST_ESTIMATE} {fmt_num(best, 'fr')}, "
                f"{fmt_num(low, 'fr')} à {fmt_num(high, 'fr')}")  # fmt: skip
    match kind:
        case CountKind.EXACT:
            return fmt_num(low, "fr")
        case CountKind.MORE_THAN:
            return f"plus de {fmt_num(low - 1, 'fr')}"
        case CountKind.AT_LEAST:
            return f"au moins {fmt_num(low, 'fr')}"
        case CountKind.FEWER_THAN:
            return f"moins de {fmt_num((high or 0) + 1, 'fr')}"
        case CountKind.AT_MOST:
            return f"jusqu’à {fmt_num(high, 'fr')}"
        case CountKind.ABOUT:
            hedge = "environ" if approx in _ABOUT else "près de"
            return f"{hedge} {fmt_num(low, 'fr')}"
        case CountKind.RANGE:
            return f"{fmt_num(low, 'fr')} à {fmt_num(high, 'fr')}"
        case CountKind.VAGUE:
            word = " ".join(wording.strip().lower().split())
            return VAGUE.get(word, word)
    raise AssertionError(kind)  # pragma: no cover


def count(c: Count) -> str:
    """A parsed count in French words."""
    return count_text(c.kind, c.low, c.high, c.text, c.approx, c.best)


def figure(f: Figure | None) -> str | None:
    """A stated figure in French words; None for no figure."""
    return None if f is None else count_text(f.kind, f.low, f.high, f.wording, f.approx, f.best)


def statement(s: Statement) -> str | None:
    """A statement's figure in French; None when the speaker gave none."""
    if s.kind is None or s.wording is None or s.low is None:  # as Statement.figure
        return None
    return count_text(s.kind, s.low, s.high, s.wording, s.approx, s.best)


_LAST_NUMBER = re.compile(r"(\d[\d\s\u202f\u00a0]*)\s*$")
_RANGE = re.compile(r"\d\s*(?:à|-|–)\s*\d")


@lru_cache(maxsize=8192)
def singular(count_text_: str) -> bool:
    """French takes the singular for 0 and 1: '1 soldat', '0 soldat', but '1 à 2 soldats'."""
    last = _LAST_NUMBER.search(count_text_)
    return last is not None and last.group(1).strip() in ("0", "1") and not _RANGE.search(
        count_text_
    )


def plural(count_text_: str) -> bool:
    """Whether a verb or participle after this count is plural."""
    return not singular(count_text_)


_CARRIED = re.compile(rf"^{BEST_ESTIMATE} (\d[\d\s\u202f\u00a0]*), (.+)$")


@lru_cache(maxsize=8192)
def people(count_text_: str, group: Group) -> str:
    """'1 soldat', 'plus de 30 soldats', 'des dizaines de soldats', 'de nombreuses personnes',
    '8 à 14 soldats (meilleure estimation 10)'."""
    one, many, feminine = NOUNS[group]
    if carried := _CARRIED.match(count_text_):
        return f"{people(carried.group(2), group)} ({BEST_ESTIMATE} {carried.group(1)})"
    word = count_text_.lower()
    if word in ("des dizaines", "des centaines"):
        return f"{word} {elide('de', many)}"
    if word == "de nombreux":
        return f"de nombreu{'ses' if feminine else 'x'} {many}"
    if word == "lourd":
        return f"de lourdes pertes parmi les {many}"
    if word == "quelques" or word == "plusieurs":
        return f"{word} {many}"
    return f"{count_text_} {one if singular(count_text_) else many}"


def people_participle(count_text_: str, group: Group, outcome: Outcome | str) -> str:
    """'plus de 30 soldats tués', '1 personne arrêtée'."""
    agreed = participle(outcome, plural(count_text_), NOUNS[group][2])
    return f"{people(count_text_, group)} {agreed}"


def passive(count_text_: str, group: Group, outcome: Outcome | str) -> str:
    """'plus de 30 soldats ont été tués', '1 personne a été arrêtée'."""
    many = plural(count_text_)
    aux = "ont été" if many else "a été"
    return f"{people(count_text_, group)} {aux} {participle(outcome, many, NOUNS[group][2])}"
