"""``sitrep explain``: how one incident was merged and how its figures were reconciled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .config import Config
from .errors import UsageError
from .model.records import Record
from .reconcile.figures import FigureRules, collect_statements, figure_rows
from .reconcile.merge import MergeRules, merge_records
from .reconcile.sources import number_sources
from .wording.explain import explanation


def explain_incident(
    records: Sequence[Record], wanted: str, config: Config, as_of: dt.date | None = None
) -> str:
    """A plain-text account of one incident: its records, why they were merged, and each
    row of figures with every statement and the basis of low/best/high."""
    rc = config.report
    incidents = merge_records(records, MergeRules(rc.merge_name_score, rc.merge_radius_km))
    inc = next((i for i in incidents if wanted in {r.id for r in i.records}), None)
    if inc is None:
        raise UsageError(f"no record with id {wanted!r} (see `sitrep validate` for the ids)")
    statements = collect_statements(incidents, as_of=as_of)
    own = [src for r in inc.records for src in r.sources]  # the incident's own sources first
    numbers = number_sources([*own, *(raw.source for raw in statements)])
    mine = [s for s in statements if inc.id in s.incidents]
    rows = figure_rows(mine, numbers, FigureRules(rc.claim_spread_factor))
    return explanation(inc, rows)
