"""Reconciliation: from many attributed statements to figures a reader can trust.

Two steps, both deterministic and independent of input order:

1. :func:`merge_records` (:mod:`.merge`) groups records coded separately for the same
   event into incidents (same country, compatible dates, matching place, compatible
   actors; ``same_as``/``not_same_as`` in the data override the heuristics);
2. :func:`figure_rows` (:mod:`.figures`) turns each incident's claims into rows of
   figures per casualty group and outcome: what officials, the claiming group and
   independent sources said, with revisions, contradictions, and low/best/high.

The policy is written down in ``docs/methodology.md``; this package is that policy.
"""

from __future__ import annotations

from .bounds import FigureRules, bounds
from .duplicates import possible_duplicates
from .figures import figure_rows
from .matching import MergeRules
from .merge import MergedIncident, merge_records
from .names import distance_km, normalise_name
from .sources import SourceNumbers, number_sources, source_key
from .statements import RawStatement, collect_statements

__all__ = [
    "FigureRules",
    "MergeRules",
    "MergedIncident",
    "RawStatement",
    "SourceNumbers",
    "bounds",
    "collect_statements",
    "distance_km",
    "figure_rows",
    "merge_records",
    "normalise_name",
    "number_sources",
    "possible_duplicates",
    "source_key",
]
