"""Codes as words, flags, marks, and the figures of the official-vs-claimed table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model.fields import country_name
from ..model.records import Group
from ..model.report import FigureRow, Flag, Statement
from . import counts
from .numbers import SILENT, fmt_num

_LABELS: dict[str, str] = {
    "state_forces": "State forces",
    "armed_group": "Armed group",
    "foreign_forces": "Foreign forces",
    "unknown": "Group unknown",
    "explosions_remote_violence": "Explosions/remote violence",
    "air_drone_strike": "Air/drone strike",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    "headquarters_or_base_established": "Headquarters or base established",
    "looting_property_destruction": "Looting/property destruction",
}

# A trend's killed figure is the credible figures added up (claims never): said so, as the
# key figures say "killed in the period (credible)", so that it is not read as a toll.
TREND_LABELS = {"incidents": "Incidents", "killed": "Killed (credible figures)"}


@dataclass(frozen=True)
class FlagInfo:
    """How a flag shows: a short tag in the table and a sentence in the legend."""

    tag: str
    meaning: str


FLAGS: dict[Flag, FlagInfo] = {
    Flag.OFFICIAL_CONTRADICTION: FlagInfo(
        "officials differ", "officials gave figures that cannot all be true (⚠ in the cell)"
    ),
    Flag.NO_OFFICIAL: FlagInfo("no official", "the authorities said nothing about this figure"),
    Flag.OFFICIAL_NO_FIGURE: FlagInfo(
        "no official toll", "the authorities spoke but gave no figure"
    ),
    Flag.CLAIM_SPREAD: FlagInfo("claim spread", "a claim is several times the credible figure"),
    Flag.CLAIMED_ONLY: FlagInfo(
        "claimed only", "only claims (the perpetrator's or a party's) gave a figure: no "
        "credible estimate"
    ),
    Flag.REVISED: FlagInfo("revised", "a speaker revised their figure"),
    Flag.PARTY_CLAIM: FlagInfo(
        "party claim", "a party to the fighting gave a figure for its enemy's losses: a claim, "
        "kept out of low and best unless a source that is not a party gives a specific figure "
        "too"
    ),
}

CONTRADICTION_MARK = "⚠"
NO_FIGURE = "no toll given"


def label(value: object) -> str:
    """A code as words: 'state_forces' -> 'State forces', 'battles' -> 'Battles'."""
    raw = str(getattr(value, "value", value))
    return _LABELS.get(raw) or raw.replace("_", " ").capitalize()


def words(value: object) -> str:
    """A code as lower-case words, for use inside a sentence."""
    text = label(value)
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def fmt_range(low: int | None, high: int | None, high_open: bool = False) -> str:
    """'31', '13–14', '190–502+', '31+' ('+': some figure set no upper bound)."""
    plus = "+" if high_open else ""
    if low is None and high is None:
        return SILENT
    if low is None:
        return f"up to {fmt_num(high)}{plus}"
    if high is None or high == low:
        return f"{fmt_num(low)}{plus}"
    return f"{fmt_num(low)}–{fmt_num(high)}{plus}"


def fmt_high(row: FigureRow) -> str:
    """The row's high column: '31+' when the largest statement set no upper bound.

    When ``high`` is null but open-ended, the largest lower bound a specific figure stated
    ('more than 30' gives 31) is shown with a '+'; 'open' when only vague words or bounds
    ('many') left it open: they name no number.
    """
    plus = "+" if row.high_open else ""
    if row.high is not None:
        return f"{fmt_num(row.high)}{plus}"
    if not row.high_open:
        return SILENT
    lows = open_lows(row)
    return f"{fmt_num(max(lows))}+" if lows else "open"


def open_lows(row: FigureRow) -> list[int]:
    """The lower bounds of a row's specific figures, for its open-ended high ('31+')."""
    return [
        s.low
        for c in (row.official, row.claimed, row.independent)
        for s in c.statements
        if s.low is not None and s.specific
    ]


def estimate_text(row: FigureRow) -> str:
    """sitrep's reconciliation of a row in words: 'low 13 · best 14 · high 14'."""
    high = fmt_high(row)
    if row.best is not None:
        return f"low {fmt_num(row.low)} · best {fmt_num(row.best)} · high {high}"
    if row.derivation.rule == "party_only":
        return f"no credible estimate (party claim only) · high {high}"
    if Flag.CLAIMED_ONLY in row.flags:
        return f"no credible estimate (claimed only) · high {high}"
    if row.no_floor:
        return f"no low or best (vague figures only) · high {high}"
    if row.low is not None:
        return f"at least {fmt_num(row.low)} · no best estimate · high {high}"
    return "no figure"


def refs(numbers: Iterable[int]) -> str:
    """Source numbers as a reference: '[1, 5]'; empty when there are none."""
    nums = sorted(set(numbers))
    return f"[{', '.join(str(n) for n in nums)}]" if nums else ""


def statement_text(s: Statement) -> str:
    """The figure of a statement, or 'no toll given'."""
    text = counts.statement(s)
    return text if text is not None else NO_FIGURE


STATUS_HEADINGS: dict[str, str] = {
    "new": "New in the period",
    "update": "New information on earlier incidents",
    "restatement": "Restated: earlier figures repeated in the period, not news",
    "context": "Context",
}


def group_words(group: Group) -> str:
    """'state forces', 'group unknown': a casualty group inside a sentence or a chart."""
    return words(group)




def country(code: str) -> str:
    """A country's English short name ('Mali' for MLI), as in sitrep/countries.tsv."""
    return country_name(code)
