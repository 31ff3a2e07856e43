"""``sitrep explain``: how one incident was merged and its figures reconciled.

The same rules as a report (:class:`sitrep.pipeline.Rules`), applied to every record given,
for the one incident that holds a wanted record; the wording is in
:mod:`sitrep.wording.explain`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from .config import Config
from .errors import UsageError
from .model.records import Record
from .model.report import FigureRow, PossibleDuplicate
from .pipeline import Rules
from .reconcile.duplicates import merge_and_find_duplicates
from .reconcile.figures import figure_rows
from .reconcile.merge import MergedIncident
from .reconcile.sources import number_sources, source_key
from .reconcile.statements import collect_statements

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Explanation:
    """One incident as the pipeline merged it, and its rows of reconciled figures."""

    incident: MergedIncident
    rows: list[FigureRow]
    sources: dict[int, str] = field(default_factory=dict)
    """The names of the sources the rows number."""
    possible: list[PossibleDuplicate] = field(default_factory=list)
    """Pairs with one of the incident's records that matched only in part (not merged)."""


def explain(
    config: Config, records: Sequence[Record], wanted: str, *, as_of: dt.date | None = None
) -> Explanation:
    """How the incident holding record ``wanted`` was merged and its figures reconciled,
    with the configured rules, from every statement reported up to ``as_of``."""
    rules = Rules.from_config(config)
    incidents, possible = merge_and_find_duplicates(records, rules.merge)
    inc = next((i for i in incidents if wanted in {r.id for r in i.records}), None)
    if inc is None:
        raise UsageError(f"no record with id {wanted!r} (see `sitrep validate` for the ids)")
    statements = collect_statements(incidents, as_of=as_of)
    own = [src for r in inc.records for src in r.sources]  # the incident's own sources first
    numbers = number_sources([*own, *(raw.source for raw in statements)])
    mine = [s for s in statements if inc.id in s.incidents]
    names: dict[int, str] = {}
    for src in [*own, *(raw.source for raw in statements)]:
        names.setdefault(numbers[source_key(src)], src.name)
    ids = {r.id for r in inc.records}
    mine_possible = [d for d in possible if {d.a, d.b} & ids]
    return Explanation(inc, figure_rows(mine, numbers, rules.figures), names, mine_possible)
