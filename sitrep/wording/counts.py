"""Figures as a reader expects them: 'more than 30', '30 to 40', 'dozens'."""

from __future__ import annotations

from functools import lru_cache

from ..model.counts import Count, CountKind
from ..model.report import Figure, Statement
from .numbers import fmt_num

# Hedges shown as "about": the symbol, the long word and "some 30".
_ABOUT = (None, "~", "approximately", "some", "environ", "près de", "quelque", "about")


# French vague words in English (the speaker's words stay in the record and the JSON).
_VAGUE_EN = {"des dizaines": "tens", "des centaines": "hundreds", "plusieurs": "several",
             "de nombreux": "numerous", "de nombreuses": "numerous", "nombreux": "numerous"}


# Cached, as people.py's: a 90-day report writes 24,000 figures, 190 of them distinct.
@lru_cache(maxsize=8192)
def count_text(
    kind: CountKind,
    low: int,
    high: int | None,
    wording: str,
    approx: str | None,
    best: int | None = None,
) -> str:
    """The figure in words, from its kind and bounds; vague words are the speaker's own. A
    range with its own best estimate reads 'best 10, 8-14' (UCDP's low/best/high)."""
    if best is not None:
        return f"best {fmt_num(best)}, {fmt_num(low)}-{fmt_num(high)}"
    match kind:
        case CountKind.EXACT:
            return fmt_num(low)
        case CountKind.MORE_THAN:
            return f"more than {fmt_num(low - 1)}"
        case CountKind.AT_LEAST:
            return f"at least {fmt_num(low)}"
        case CountKind.FEWER_THAN:
            return f"fewer than {fmt_num((high or 0) + 1)}"
        case CountKind.AT_MOST:
            return f"up to {fmt_num(high)}"
        case CountKind.ABOUT:
            hedge = "about" if approx in _ABOUT else "nearly" if approx == "presque" else approx
            return f"{hedge} {fmt_num(low)}"
        case CountKind.RANGE:
            return f"{fmt_num(low)} to {fmt_num(high)}"
        case CountKind.VAGUE:
            word = " ".join(wording.strip().lower().split())
            return _VAGUE_EN.get(word, word)
    raise AssertionError(kind)  # pragma: no cover


def count(c: Count) -> str:
    """A parsed count in words."""
    return count_text(c.kind, c.low, c.high, c.text, c.approx, c.best)


def figure(f: Figure | None) -> str | None:
    """A stated figure in words; None for no figure."""
    return None if f is None else count_text(f.kind, f.low, f.high, f.wording, f.approx, f.best)


def statement(s: Statement) -> str | None:
    """A statement's figure in words; None when the speaker gave none."""
    if s.kind is None or s.wording is None or s.low is None:  # as Statement.figure
        return None
    return count_text(s.kind, s.low, s.high, s.wording, s.approx, s.best)


def revised_from(s: Statement) -> str | None:
    """The figure a revision replaced ('no figure' when the earlier statement had none)."""
    if s.revised_on is None:
        return None
    return figure(s.previous) or "no figure"
