"""What the report templates receive."""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..model.report import FigureRow, Flag, Incident, Report
from ..wording.labels import CONTRADICTION_MARK, FLAGS, NO_FIGURE, SILENT
from .maps import unmapped_incidents
from .style import Chart

logger = logging.getLogger(__name__)

Kind = Literal["html", "md", "text"]

def _strip_region(name: str) -> str:
    return re.sub(r"\s+region$", "", name, flags=re.IGNORECASE)


@dataclass
class _Lookup:
    """Lookups the templates need across the report (incidents by id, ...)."""

    report: Report
    incidents: dict[str, Incident] = field(init=False)

    def __post_init__(self) -> None:
        self.incidents = {i.id: i for i in self.report.incidents}

    def joint_label(self, row: FigureRow) -> str:
        """'joint: Tahoua + Dosso' for a figure covering several incidents; '' otherwise."""
        if len(row.incidents) < 2:
            return ""
        names = [
            _strip_region(self.incidents[i].location) if i in self.incidents else i
            for i in row.incidents
        ]
        return "joint: " + " + ".join(names)

    def place(self, incident_id: str) -> str:
        """'Boulkessi (Mopti, Mali)' for an incident id, or the id if unknown."""
        inc = self.incidents.get(incident_id)
        if inc is None:
            return incident_id
        where = ", ".join(x for x in (inc.admin1, inc.country_name) if x)
        return f"{inc.location} ({where})"


def table_groups(rows: Sequence[FigureRow]) -> list[tuple[FigureRow, bool]]:
    """Rows with a flag: True for the first row of an incident (its label is shown in full)."""
    out = []
    previous = None
    for r in rows:
        key = tuple(r.incidents)
        out.append((r, key != previous))
        previous = key
    return out


def used_flags(rows: Iterable[FigureRow]) -> list[Flag]:
    """Flags that occur in the rows, in legend order."""
    present = {f for r in rows for f in r.flags}
    return [f for f in FLAGS if f in present]


def statuses(report: Report) -> list[tuple[str, str, list[Incident]]]:
    """The incident log's groups: (status, heading, incidents), every group listed."""
    names = {
        "new": "New in the period",
        "update": "Updates on earlier incidents",
        "context": "Context",
    }
    return [
        (s, heading, [i for i in report.incidents if i.status == s]) for s, heading in names.items()
    ]


def chart_data_url(chart: Chart) -> str:
    """A chart's SVG as a base64 ``data:`` URL for an ``<img>``."""
    payload = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{payload}"


def _context(report: Report, charts: Sequence[Chart], **extra: Any) -> dict[str, Any]:
    lookup = _Lookup(report)
    the_map = next((c for c in charts if c.name == "map"), None)

    return {
        "report": report,
        "charts": [c for c in charts if c.name != "map"],
        "map_chart": the_map,
        "unmapped": unmapped_incidents(report),
        "lookup": lookup,
        "flags": FLAGS,
        "used_flags": used_flags(report.table),
        "table_rows": table_groups(report.table),
        "log_groups": statuses(report),
        "contradiction_mark": CONTRADICTION_MARK,
        "no_figure": NO_FIGURE,
        "silent": SILENT,
        **extra,
    }


def where(inc: Incident) -> str:
    """District, region and country of an incident, each once: 'Douentza, Mopti, Mali'
    (Timbuktu in Timbuktu region is 'Timbuktu, Mali', not 'Timbuktu, Timbuktu, Mali')."""
    seen = {inc.location.casefold()}
    parts = []
    for name in (inc.admin2, inc.admin1, inc.country_name):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            parts.append(name)
    return ", ".join(parts)


