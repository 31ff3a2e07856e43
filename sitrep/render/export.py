"""Reconciled incidents for partners: one row per incident, casualty group and outcome,
with the official, claimed and independent figures, each side's own low/best/high and the
row's (CSV, HXL, JSONL; docs/importing.md, "Export")."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

from ..model.records import EventFields
from ..model.report import Cell, FigureRow, Incident, Report
from ..reconcile.bounds import FigureRules, side_bounds
from ..wording import counts

logger = logging.getLogger(__name__)

EXPORT_FORMATS = ("csv", "hxl", "jsonl")
SIDES = ("official", "claimed", "independent")

# column -> HXL hashtag: numbers under #affected, words under #description and #meta
COLUMNS: dict[str, str] = {
    "incident": "#event+code",
    "records": "#event+code+records",
    "status": "#status",
    "date": "#date+occurred",
    "end_date": "#date+end",
    "date_precision": "#date+precision",
    "country": "#country+code",
    "admin1": "#adm1+name",
    "admin2": "#adm2+name",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "event_type": "#event+type",
    "sub_event_type": "#event+type+sub",
    "perpetrator": "#group+name+first",
    "target": "#group+name+second",
    "group": "#group+affected",
    "outcome": "#impact+type",
    **{
        column: tag
        for side in SIDES
        for column, tag in (
            (side, f"#description+{side}"),
            (f"{side}_low", f"#affected+{side}+low"),
            (f"{side}_best", f"#affected+{side}+best"),
            (f"{side}_high", f"#affected+{side}+high"),
        )
    },
    "low": "#affected+low",
    "best": "#affected+best",
    "high": "#affected+high",
    "high_open": "#meta+high_open",
    "covers": "#event+code+covers",
}


def _stated(cell: Cell) -> str:
    """A cell as the report reads it: 'FAMa: more than 30; UCDP: best 10, 8-14' (no figure:
    the speaker alone)."""
    return "; ".join(
        f"{s.by}: {text}" if (text := counts.statement(s)) else s.by for s in cell.statements
    )


def _statements(cell: Cell) -> list[dict[str, Any]]:
    return [
        {
            "by": s.by,
            "figure": s.wording,
            "low": s.low,
            "best": s.best,
            "high": s.high,
            "reported": s.reported and s.reported.isoformat(),
        }
        for s in cell.statements
    ]


def export_rows(
    report: Report,
    structured: bool = False,
    rules: FigureRules | None = None,
    *,
    context: bool = False,
) -> Iterator[dict[str, Any]]:
    """The rows of the export: incidents of the period (context ones too with ``context``),
    a row per figure row; an incident without figures gives one row with empty figures.
    ``rules``: the report's ``[report]`` settings, for each side's own low/best/high."""
    for incident in report.incidents:
        if incident.status == "context" and not context:
            continue
        rows: list[FigureRow | None] = list(incident.figures) or [None]
        for row in rows:
            yield _row(incident, row, structured, rules)


def _side(cell: Cell, rules: FigureRules | None) -> dict[str, int | None]:
    """One side's own low/best/high: empty when it gave no figure; high empty beside a low
    when its largest figure sets no upper bound."""
    b = side_bounds(cell.statements, rules)
    return {"low": b.low, "best": b.best, "high": b.high}


def _row(
    incident: Incident, row: FigureRow | None, structured: bool, rules: FigureRules | None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "incident": incident.id,
        "records": incident.records if structured else ";".join(incident.records),
        "status": incident.status,
    }
    event = incident.model_dump(mode="json", include={*COLUMNS} & set(EventFields.model_fields))
    out.update({k: event.get(k) for k in COLUMNS if k in event})
    if row is None:
        return out | {k: None for k in COLUMNS if k not in out}
    cells = {"official": row.official, "claimed": row.claimed, "independent": row.independent}
    out.update({
        "group": row.group.value,
        "outcome": row.outcome.value,
        **{k: _statements(c) if structured else _stated(c) for k, c in cells.items()},
        **{f"{k}_{n}": v for k, c in cells.items() for n, v in _side(c, rules).items()},
        "low": row.low, "best": row.best, "high": row.high, "high_open": row.high_open,
        "covers": [i for i in row.incidents if i != incident.id] if structured else
        ";".join(i for i in row.incidents if i != incident.id),
    })  # fmt: skip
    return out


def export_text(
    report: Report, fmt: str, rules: FigureRules | None = None, *, context: bool = False
) -> str:
    """The export of a report as ``csv``, ``hxl`` (CSV with a hashtag row) or ``jsonl``;
    ``context``: context incidents too (the full incident log, as the PDF attaches it)."""
    if fmt == "jsonl":
        rows = export_rows(report, structured=True, rules=rules, context=context)
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    if fmt == "hxl":
        writer.writerow(COLUMNS)
    for r in export_rows(report, rules=rules, context=context):
        writer.writerow({k: "" if v is None else v for k, v in r.items()})
    return buffer.getvalue()
