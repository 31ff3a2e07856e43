"""Outcome statements: what speakers said happened, with contradictions flagged."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..model.records import OutcomeStatement, Record
from ..model.report import OutcomeView
from .merge import MergedIncident
from .names import normalise_name
from .sources import SourceNumbers, source_key
from .statements import AsOf, made_after


def outcome_views(
    inc: MergedIncident, numbers: SourceNumbers, as_of: AsOf = None
) -> list[OutcomeView]:
    """The incident's outcome statements known at ``as_of``: one per speaker and thing said
    (several outlets carrying it are its sources), earliest first, each flagged when another
    speaker said something that cannot also be true (JNIM seized, the army repelled)."""
    grouped: dict[tuple[str, str], list[tuple[Record, OutcomeStatement]]] = defaultdict(list)
    for rec in inc.records:
        for o in rec.outcomes:
            published = rec.source(o.source).published
            if made_after(o.reported, as_of) or made_after(published, as_of):
                continue
            grouped[(normalise_name(o.by), o.says.value)].append((rec, o))
    said = {(speaker, says) for speaker, says in grouped}
    out = []
    for (speaker, _), same in grouped.items():
        same.sort(key=lambda x: (x[0].reported(x[1]) or dt.date.max, x[0].id))
        rec, first = same[0]
        carriers = [s for r, o in same for s in (r.source(o.source), r.origin(r.source(o.source)))]
        contradicted = any(
            other != speaker and theirs in {c.value for c in first.says.contradicts}
            for other, theirs in said
        )
        out.append(
            OutcomeView(
                record=rec.id,
                by=first.by,
                stance=first.stance,
                says=first.says,
                quote=next((o.quote for _, o in same if o.quote), None),
                reported=rec.reported(first),
                date_known=any(o.reported is not None for _, o in same),
                sources=sorted({numbers[k] for k in map(source_key, carriers) if k in numbers}),
                contradicted=contradicted,
            )
        )
    out.sort(key=lambda v: (v.reported or dt.date.max, v.by, v.says.value))
    return out
