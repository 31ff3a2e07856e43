"""What the report templates receive."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..config import FurnitureConfig
from ..model.report import FigureRow, Flag, Incident, Report
from ..wording import Words
from ..wording.labels import open_lows
from .digest import DIGEST_LIST, chart_scope, make_digest, one_liners, quiet_day
from .maps import unmapped_incidents
from .style import Chart
from .worded import Worded, unwrap, wrap

logger = logging.getLogger(__name__)

Kind = Literal["html", "md", "text"]

@dataclass
class _Lookup:
    """Lookups the templates need across the report (incidents by id, ...)."""

    report: Report
    words: Words
    incidents: dict[str, Incident] = field(init=False)

    def __post_init__(self) -> None:
        self.incidents = {i.id: i for i in self.report.incidents}

    def joint_label(self, row: FigureRow | Worded) -> str:
        """'joint: Tahoua + Dosso' for a figure covering several incidents; '' otherwise."""
        return self.words.joint_label(unwrap(row))

    def place(self, incident_id: str) -> str:
        """'Boulkessi (Mopti, Mali)' for an incident id, or the id if unknown."""
        inc = self.incidents.get(incident_id)
        if inc is None:
            return incident_id
        where = ", ".join(x for x in (inc.admin1, self.words.country(inc.country)) if x)
        return f"{inc.location} ({where})"

    def severity(self, incident: Incident | Worded) -> str:
        """The incident's severity in words: 'major', or 'not yet known' with no figure."""
        return self.words.severity(unwrap(incident))


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
    return [f for f in Flag if f in present]


def used_marks(rows: Iterable[FigureRow]) -> set[str]:
    """The marks the figures table prints, for a legend that explains only those:
    ``contradiction`` (⚠), ``no_figure`` ('no toll given'), ``silent`` (—: a side said
    nothing, or no low, best or high), ``open`` (+: no upper bound) and ``refs`` ([n])."""
    used: set[str] = set()
    for r in rows:
        cells = (r.official, r.claimed, r.independent)
        said = [s for c in cells for s in (*c.statements, *c.superseded)]
        if any(c.contradiction for c in cells):
            used.add("contradiction")
        if any(s.figure is None for s in said):
            used.add("no_figure")
        if (
            any(c.status == "silent" for c in cells)
            or r.low is None
            or (r.best is None and Flag.CLAIMED_ONLY not in r.flags)
            or (r.high is None and not r.high_open)
        ):
            used.add("silent")
        if r.high_open and open_lows(r):  # 'open' in words when no figure gave a number
            used.add("open")
        if any(s.sources for s in said):
            used.add("refs")
    return used


def statuses(report: Report, words: Words) -> list[tuple[str, str, list[Incident]]]:
    """The incident log's groups of full entries: (status, heading, incidents), every
    group but context listed (context incidents are one a line: :func:`one_liners`)."""
    return [
        (s, heading, [i for i in report.incidents if i.status == s])
        for s, heading in words.status_headings.items()
        if s != "context"
    ]


def chart_data_url(chart: Chart) -> str:
    """A chart's SVG as a base64 ``data:`` URL for an ``<img>``."""
    payload = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{payload}"


def report_context(
    report: Report,
    charts: Sequence[Chart],
    words: Words,
    furniture: FurnitureConfig | None = None,
    table_limit: int | None = None,
    *,
    for_pdf: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """What report templates receive (documented in docs/templates.md): the report as
    :class:`~sitrep.render.worded.Worded` views, charts, lookups, flags and marks, and
    the furniture (marking, contacts, next edition, licence, data link).

    With ``for_pdf``, a report with more incidents with news than ``table_limit`` is laid
    out as a digest (:mod:`sitrep.render.digest`): the PDF's layout for a big period. In
    every format, the casualty chart of such a report shows the ``table_limit`` incidents
    that matter most, and ``chart_scope`` says so."""
    the_map = next((c for c in charts if c.name == "map"), None)
    furniture = furniture or FurnitureConfig()
    made = make_digest(report, words, table_limit) if for_pdf else None
    digest, table = made if made is not None else (None, report.table)
    log = [] if digest else [(s, h, wrap(items, words)) for s, h, items in statuses(report, words)]
    return {
        "report": wrap(report, words),
        "words": words,
        "charts": [c for c in charts if c.name != "map"],
        "map_chart": the_map,
        "unmapped": wrap(unmapped_incidents(report), words),
        "lookup": _Lookup(report, words),
        "flags": words.flags,
        "used_flags": used_flags(table),
        "used_marks": used_marks(table),
        "table_rows": [(wrap(r, words), first) for r, first in table_groups(table)],
        "log_groups": log,
        "lines": one_liners(report, words, set(digest.shown) if digest else set(),
                            only_context=digest is None),
        "digest": digest,
        "for_pdf": for_pdf,
        "chart_scope": chart_scope(report, words, table_limit),
        "digest_list": DIGEST_LIST,
        "contradiction_mark": words.contradiction_mark,
        "no_figure": words.no_figure,
        "silent": words.silent,
        "furniture": furniture,
        "marking_meaning": words.marking_meaning(furniture.marking),
        "source_urls": any(s.url for s in report.sources),
        "compact": quiet_day(report),
        **extra,
    }


def where(inc: Incident, words: Words) -> str:
    """District, region and country of an incident, each once: 'Douentza, Mopti, Mali'
    (Timbuktu in Timbuktu region is 'Timbuktu, Mali', not 'Timbuktu, Timbuktu, Mali')."""
    seen = {inc.location.casefold()}
    parts = []
    for name in (inc.admin2, inc.admin1, words.country(inc.country)):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            parts.append(name)
    return ", ".join(parts)


