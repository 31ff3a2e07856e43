"""``sitrep explain``: how one incident was merged and how its figures were reconciled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .config import Config
from .model.records import Record
from .pipeline import Explanation, explain


def explain_incident(
    records: Sequence[Record], wanted: str, config: Config, as_of: dt.date | None = None
) -> str:
    """A plain-text account of one incident: its records, why they were merged, and each
    row of figures with every statement and the basis of low/best/high."""
    return explanation_text(explain(config, records, wanted, as_of=as_of))


def explanation_text(explanation: Explanation) -> str:
    """The explanation as plain text, one fact a line."""
    inc = explanation.incident
    rec = inc.record
    lines = [f"incident {inc.id}: {rec.location}, {rec.country}, {rec.day}"]
    lines.append(f"records: {', '.join(r.id for r in inc.records)}")
    lines += [f"  merged: {why}" for why in inc.reasons] or ["  (not merged with other records)"]
    for row in explanation.rows:
        head = f"\n{row.group.value} {row.outcome.value}"
        if len(row.incidents) > 1:
            head += f" (joint figure for {', '.join(row.incidents)})"
        lines.append(head)
        for cell in (row.official, row.claimed, row.independent):
            lines.append(
                f"  {cell.stance.value}: {cell.status}"
                + (" (contradictory)" if cell.contradiction else "")
            )
            for st in cell.statements:
                fig = st.text or "no figure"
                extra = f", revised from {st.revised_from}" if st.revised_from else ""
                lines.append(
                    f"    {fig} - {st.by}, reported {st.reported}, record {st.record}{extra}"
                )
            lines += [
                f"    superseded: {st.text or 'no figure'} - {st.by}, {st.reported}"
                for st in cell.superseded
            ]
        low, best, high = (("-" if v is None else str(v)) for v in (row.low, row.best, row.high))
        lines.append(
            f"  low {low}, best {best}, high {high}{' (open-ended)' if row.high_open else ''}"
        )
        lines.append(f"  basis: {row.basis}")
        if row.flags:
            lines.append(f"  flags: {', '.join(f.value for f in row.flags)}")
    return "\n".join(lines)
