"""low, best and high of a row of figures, and why (docs/methodology.md): the floor vague
words cannot move, party claims kept apart, 'about' with its tolerance."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..model.counts import Count, CountKind, is_specific
from ..model.records import Stance
from ..model.report import Basis, Figure, Statement


def _span(c: Count, tolerance: float = 0.0) -> tuple[float, float]:
    """The bounds of a count when deciding contradictions: an 'about' figure carries the
    tolerance either side."""
    low, high = float(c.low), math.inf if c.high is None else float(c.high)
    if c.kind is CountKind.ABOUT:
        low, high = low * (1 - tolerance), high * (1 + tolerance)
    return low, high


def overlap(a: Count, b: Count, tolerance: float = 0.0) -> bool:
    """Whether two figures can both be true ('about' figures with their tolerance)."""
    a_lo, a_hi = _span(a, tolerance)
    b_lo, b_hi = _span(b, tolerance)
    return a_lo <= b_hi and b_lo <= a_hi



def figure_of(count: Count | None) -> Figure | None:
    """A parsed count as the report model's :class:`Figure` (None for no figure)."""
    if count is None:
        return None
    return Figure(  # validating costs less than pydantic's model_construct
        wording=count.text, kind=count.kind, low=count.low, high=count.high,
        approx=count.approx, best=count.best,
    )



@dataclass(frozen=True)
class Bounds:
    """low/best/high of one row, and why."""

    low: int | None
    best: int | None
    high: int | None
    high_open: bool
    derivation: Basis
    credible_high: int | None = None
    credible_high_open: bool = False


@dataclass(frozen=True)
class Stated:
    """A current figure of a row, as :func:`bounds` weighs it."""

    stance: Stance
    by: str
    count: Count
    party: bool = False
    subset: bool = False


PartyRule = Literal["corroborated", "never", "always"]


@dataclass(frozen=True)
class FigureRules:
    """The reconciliation's settings (from ``[report]`` in sitrep.toml)."""

    claim_spread_factor: float = 3.0
    about_tolerance: float = 0.10
    """'about N' stands for N ± this fraction when deciding whether figures contradict."""
    party_claims: PartyRule = "corroborated"
    """When a party's figure for its enemy's losses counts as credible: when a source that
    is not a party gives a specific figure too (corroborated: not a vague word or a bound
    alone), never, or always."""


def specific(c: Count) -> bool:
    """A figure that can set the floor: not a vague word, not an upper bound alone ('up to',
    'fewer than'), not 'at least 1' ('some lives were lost')."""
    return is_specific(c.kind, c.low, c.high)


def _top(items: Sequence[Stated]) -> tuple[int | None, bool, str | None]:
    """The largest figure stated (high, open-ended, by whom): open-ended when the largest
    statement sets no upper bound, or when a vague word ('hundreds') reaches the largest
    bounded figure ('about 100' gives '100+')."""
    bounded = [(s.count.high, s.by) for s in items if s.count.high is not None]
    opened = [(s.count.low, s.count.kind is CountKind.VAGUE) for s in items if s.count.high is None]
    b_max = max(bounded, default=None)
    o_max = max(opened, default=None)
    if o_max is not None and (b_max is None or o_max[0] > b_max[0]
                              or (o_max[1] and o_max[0] >= b_max[0])):  # fmt: skip
        return None, True, None
    if b_max is None:
        return None, False, None
    return b_max[0], False, b_max[1]


def bounds(
    current: Iterable[Stated | tuple[Stance, str, Count]], rules: FigureRules | None = None
) -> Bounds:
    """The policy of docs/methodology.md ("The floor"), after UCDP's low/best/high:
    low is the lowest specific credible figure (vague words and bare bounds never set or lower
    it; a specific subset figure only raises it); best the most credible specific figure (the
    one most other credible figures agree with, a point figure before a bound, then the
    larger); high the largest figure anyone stated, and the credible high the largest
    credible one. When no credible figure is specific ('many' alone), there is no low and no
    best (rule ``no_floor``). Claims (stance ``claimed``) are never credible; party claims
    only as ``rules.party_claims`` says."""
    rules = rules or FigureRules()
    items = [i if isinstance(i, Stated) else Stated(*i) for i in current]
    if not items:
        return Bounds(None, None, None, False, Basis(rule="no_figure"))
    high, high_open, high_by = _top(items)
    fair = [s for s in items if s.stance is not Stance.CLAIMED and not s.party]
    party = [s for s in items if s.stance is not Stance.CLAIMED and s.party]
    # Corroboration takes a figure that could set a floor itself: "many" beside the army's
    # "14 assailants" would otherwise make the army's claim the row's low and best.
    admit = rules.party_claims == "always" or (
        rules.party_claims == "corroborated" and any(specific(s.count) for s in fair)
    )
    credible = fair + (party if admit else [])
    if not credible:
        rule: Literal["claimed_only", "party_only"] = "party_only" if party else "claimed_only"
        return Bounds(None, None, high, high_open, Basis(rule=rule, high_by=high_by))
    c_high, c_open, _ = _top(credible)
    totals = [s for s in credible if not s.subset]
    subsets = [s for s in credible if s.subset]
    pool = [s for s in totals if specific(s.count)]
    floor = min(pool, key=lambda s: (s.count.low, s.by)) if pool else None
    top_subset = max((s for s in subsets if specific(s.count)),
                     key=lambda s: (s.count.low, s.by), default=None)  # fmt: skip
    low_from = floor
    if top_subset and (floor is None or top_subset.count.low > floor.count.low):
        low_from = top_subset
    if low_from is None:  # only vague words and bounds: nobody gave a floor
        no_floor = Basis(rule="no_floor", high_by=high_by, party_admitted=bool(party) and admit)
        return Bounds(None, None, high, high_open, no_floor, c_high, c_open)
    low = low_from.count.low
    best_by: str | None = None
    best_rule: Literal["point", "low", "no_point"] = "no_point"
    best = low
    if pool:
        tol = rules.about_tolerance

        def weight(s: Stated) -> tuple[int, bool, int, str]:
            support = sum(overlap(s.count, o.count, tol) for o in pool)
            point = s.count.point
            return (support, point is not None, point if point is not None else s.count.low,
                    s.by)  # fmt: skip

        chosen = max(pool, key=weight)
        point = chosen.count.point
        if point is not None and point >= low:
            best, best_rule, best_by = point, "point", chosen.by
        else:
            best = max(low, chosen.count.low)
            has_point = any(s.count.point is not None for s in pool)
            best_rule = "low" if has_point else "no_point"
    if high is not None:
        best = min(best, high)
    basis = Basis(
        rule="credible",
        low_by=low_from.by,
        low_from=figure_of(low_from.count),
        best_rule=best_rule,
        best_by=best_by,
        high_by=high_by,
        party_admitted=bool(party) and admit,
    )
    return Bounds(low, best, high, high_open, basis, c_high, c_open)




def side_bounds(statements: Iterable[Statement], rules: FigureRules | None = None) -> Bounds:
    """One side's own low/best/high (the official, claimed or independent cell of a row):
    its current figures read by the rule of :func:`bounds` as if that side alone had spoken,
    its claims included. A claim's low/best/high stay in its own column: the row's low and
    best never take them."""
    return bounds(
        [Stated(Stance.INDEPENDENT, s.by, c, subset=s.subset) for s in statements
         if (c := _count_of(s)) is not None],
        rules,
    )  # fmt: skip


def _count_of(s: Statement) -> Count | None:
    if s.kind is None or s.low is None or s.wording is None:
        return None
    return Count(s.low, s.high, s.kind, s.wording, s.approx, s.best)
