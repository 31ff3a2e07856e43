"""The words of a big period's PDF: what its table shows, where the rest is, and the
figure of a one-line entry (English; French in ``french/digest.py``)."""

from __future__ import annotations

from collections.abc import Callable

from ..summarise.ranking import Tally

SHOWN_ELSEWHERE = "the HTML and JSON editions and the attached CSV"


SHORT_TYPES = {
    "battles": "battle",
    "explosions_remote_violence": "explosion",
    "violence_against_civilians": "civilians",
    "protests": "protest",
    "riots": "riot",
    "strategic_developments": "strategic",
}
"""ACLED's event types in a word or two, for one-line entries (the full names head the
incident log and the CSV)."""


def table_scope(shown: int, ranked: int, num: Callable[[int], str]) -> str:
    """What the figures table of a big period holds, and in which order."""
    return (
        f"The {num(shown)} incidents that matter most, of the {num(ranked)} with news in the "
        "period, gravest first: severity, then the credible killed figure, then the largest "
        "claim, then the latest."
    )


def chart_scope(shown: int, ranked: int, num: Callable[[int], str]) -> str:
    """What the casualty chart of a big period shows."""
    return (
        f"The chart shows the {num(shown)} incidents that matter most, of the "
        f"{num(ranked)} with news in the period; the others are in the incident log."
    )


def left_out(rest: int, context: int, num: Callable[[int], str]) -> str:
    """Where the incidents not shown in full are: one a line below, and in full elsewhere."""
    parts = []
    if rest == 1:
        parts.append("the other incident with news in the period is listed on one line below")
    elif rest:
        parts.append(f"the {num(rest)} other incidents with news in the period are listed "
                     "one a line below")  # fmt: skip
    if context == 1:
        parts.append("1 earlier incident without news (context) is listed on one line")
    elif context:
        parts.append(f"{num(context)} earlier incidents without news (context) are listed "
                     "one a line")  # fmt: skip
    lead = "; ".join(parts)
    return f"{lead[:1].upper()}{lead[1:]}; the full log is in {SHOWN_ELSEWHERE}."


def more_elsewhere(n: int, num: Callable[[int], str]) -> str:
    """'12 more in the HTML and JSON editions and the attached CSV.'"""
    return f"{num(n)} more in {SHOWN_ELSEWHERE}."


def tally(t: Tally, rng: Callable[[int | None, int | None, bool], str],
          words: Callable[[object], str]) -> str:  # fmt: skip
    """'12 killed', '12–20 killed', 'claimed only', 'joint figure', 'no figure'."""
    if t.outcome is None:
        return "joint figure" if t.joint else "no figure"
    if t.claimed_only:
        return "claimed only"
    if t.vague:
        return "vague figures only"
    return f"{rng(t.low, t.high, t.high_open)} {words(t.outcome)}"
