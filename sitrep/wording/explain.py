"""``sitrep explain`` in words: how one incident was merged and how its figures were
reconciled, with every statement and the basis of low/best/high."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model.report import FigureRow, PossibleDuplicate
from ..reconcile.merge import MergedIncident
from . import counts, figures


def explanation(
    inc: MergedIncident,
    rows: Sequence[FigureRow],
    sources: Mapping[int, str] | None = None,
    possible: Sequence[PossibleDuplicate] = (),
) -> str:
    """A plain-text account of one incident: its records, why they were merged, the
    records it may duplicate (matched only in part, never merged silently), and each row of
    figures with every statement, the outlets that carried it, and the basis of
    low/best/high."""
    names = sources or {}
    rec = inc.record
    lines = [f"incident {inc.id}: {rec.location}, {rec.country}, {rec.day}"]
    lines.append(f"records: {', '.join(r.id for r in inc.records)}")
    lines += [f"  merged: {figures.merge_reason(link)}" for link in inc.reasons] or [
        "  (not merged with other records)"
    ]
    if possible:
        lines.append("possible duplicates (matched only in part, not merged):")
    for d in possible:
        mine, other = (d.a, d.b) if d.a in {r.id for r in inc.records} else (d.b, d.a)
        lines.append(f"  {figures.possible_duplicate(d)}")
        lines.append(f"    same event: add `same_as: {other}` to record {mine}; different "
                     f"events: add `not_same_as: [{other}]` to record {mine}")  # fmt: skip
    for row in rows:
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
                fig = counts.statement(st) or "no figure"
                previous = counts.revised_from(st)
                extra = f", revised from {previous}" if previous else ""
                party = " (party claim)" if st.party else ""
                when = f"reported {st.reported}" + (
                    "" if st.date_known else " (statement date unknown: first seen then)"
                )
                carried = ", ".join(names.get(n, f"[{n}]") for n in st.sources)
                via = f" (relaying {', '.join(st.via)})" if st.via else ""
                lines.append(f"    {fig} - {st.by}{party}, {when}, record {st.record}, "
                             f"carried by {carried or '-'}{via}{extra}")  # fmt: skip
            lines += [
                f"    superseded: {counts.statement(st) or 'no figure'} - {st.by}, {st.reported}"
                for st in cell.superseded
            ]
        low, best, high = (("-" if v is None else str(v)) for v in (row.low, row.best, row.high))
        lines.append(
            f"  low {low}, best {best}, high {high}{' (open-ended)' if row.high_open else ''}"
        )
        lines.append(f"  basis: {figures.basis_text(row)}")
        if row.flags:
            lines.append(f"  flags: {', '.join(f.value for f in row.flags)}")
    return "\n".join(lines)
