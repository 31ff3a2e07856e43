"""The incident map: country outlines from shipped Natural Earth data, and a marker per incident.

Outlines come from ``sitrep/data/admin0.json`` (Natural Earth 1:50m, public domain;
see ``sitrep/data/README.md``); nothing is fetched at run time. The map shows the
countries of the report's incidents and their neighbours, in a plain equirectangular
projection scaled by the cosine of the middle latitude, with a scale bar. Markers are
sized by the credible killed figure (best, else low); incidents whose only figure is
a perpetrator's claim get a hollow marker in the claimed colour, sized by the claim.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
from ..model.records import Outcome, Stance
from ..model.report import Incident, Report
from ..wording import charts as chart_words
from .mapdata import MARGINS, CountryShape, boundaries, extent, fit
from .placement import Box, Placer, overlaps, text_size
from .safe import plain
from .style import (
    INK,
    MUTED,
    STANCE_COLOURS,
    WIDTH_IN,
    Chart,
    figure_svg,
    new_figure,
    svg_style,
)

logger = logging.getLogger(__name__)

_MOVETO, _LINETO, _CLOSEPOLY = 1, 2, 79  # matplotlib.path.Path codes

WATER = "#e4ebf1"
LAND = "#f3f2ee"
LAND_FOCUS = "#ffffff"
BORDER = "#a3abb5"
BORDER_FOCUS = "#5f6975"
MARKER = "#3b4654"
UPDATE = "#ffffff"
def mapped_incidents(report: Report) -> list[Incident]:
    """Incidents of the period (new and updates) that have coordinates."""
    return [
        i
        for i in report.incidents
        if i.status != "context" and i.latitude is not None and i.longitude is not None
    ]


def unmapped_incidents(report: Report) -> list[Incident]:
    """Incidents of the period that cannot be placed on the map (no coordinates)."""
    return [
        i
        for i in report.incidents
        if i.status != "context" and (i.latitude is None or i.longitude is None)
    ]


def killed_value(incident: Incident) -> tuple[float, bool]:
    """The marker's figure: summed credible killed figures; or the claim, if only claims."""
    rows = [r for r in incident.figures if r.outcome is Outcome.KILLED]
    credible = sum(r.estimate_point for r in rows if not r.claimed_only)
    if credible > 0 or not rows:
        return credible, False
    claimed = sum(float(r.high or 0) for r in rows if r.claimed_only)
    return claimed, claimed > 0


def marker_diameter(value: float) -> float:
    """Marker diameter in points: area grows with the number killed, capped."""
    return min(4.5 + 2.6 * math.sqrt(max(value, 0.0)), 34.0)


def draw_map(report: Report) -> Chart | None:
    """The incident map, or None when no incident of the period has coordinates."""
    incidents = mapped_incidents(report)
    if not incidents:
        return None
    with svg_style():
        return _draw_map(report, incidents)


def _draw_map(report: Report, incidents: list[Incident]) -> Chart:
    shapes = boundaries()
    codes = {i.country for i in incidents} | set(report.key_figures.countries)
    focus = [shapes[c] for c in sorted(codes) if c in shapes]
    points = [(float(i.longitude or 0), float(i.latitude or 0)) for i in incidents]
    window, height, k = fit(extent(points, focus), WIDTH_IN)
    x0, x1, y0, y1 = window
    fig = new_figure(WIDTH_IN, height, MARGINS)
    ax = fig.add_subplot()
    ax.set_facecolor(WATER)
    _draw_countries(ax, shapes, window, {c.code for c in focus})
    _graticule(ax, window)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("auto")
    for spine in ax.spines.values():
        spine.set_color(BORDER)
        spine.set_linewidth(0.6)
    pt_x = (WIDTH_IN - MARGINS[0] - MARGINS[1]) * 72 / (x1 - x0)  # points per degree lon
    placer = Placer(window, pt_x, pt_x / k)
    placer.taken.append(_scale_bar(ax, window, k, placer))
    _draw_markers(ax, incidents, placer)
    _country_labels(ax, shapes, {c.code for c in focus}, placer)
    _map_legend(fig)
    missing = unmapped_incidents(report)
    alt = chart_words.map_alt(incidents, missing, outlines=bool(shapes))
    return Chart(
        name="map",
        title=chart_words.MAP_TITLE,
        svg=figure_svg(fig),
        alt=alt,
    )


def _draw_countries(
    ax: Axes,
    shapes: dict[str, CountryShape],
    window: tuple[float, float, float, float],
    focus: set[str],
) -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath

    x0, x1, y0, y1 = window
    visible = [
        c
        for c in shapes.values()
        if c.bbox[0] <= x1 and c.bbox[2] >= x0 and c.bbox[1] <= y1 and c.bbox[3] >= y0
    ]
    for is_focus in (False, True):
        paths = []
        for c in visible:
            if (c.code in focus) != is_focus:
                continue
            for poly in c.polygons:
                if not overlaps(poly.bbox, (x0, y0, x1, y1)):
                    continue
                verts: list[tuple[float, float]] = []
                kinds: list[int] = []
                for ring in poly.rings:
                    verts += [*ring, ring[0]]
                    kinds += [_MOVETO] + [_LINETO] * (len(ring) - 1)
                    kinds.append(_CLOSEPOLY)
                paths.append(MplPath(verts, kinds))
        ax.add_collection(
            PathCollection(
                paths,
                facecolors=LAND_FOCUS if is_focus else LAND,
                edgecolors=BORDER_FOCUS if is_focus else BORDER,
                linewidths=0.7 if is_focus else 0.4,
                zorder=2 if is_focus else 1,
            )
        )


def _graticule(ax: Axes, window: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = window
    span = max(x1 - x0, y1 - y0)
    step = 2 if span <= 16 else 5 if span <= 40 else 10
    xticks = [v for v in range(math.ceil(x0 / step) * step, math.floor(x1) + 1, step)]
    yticks = [v for v in range(math.ceil(y0 / step) * step, math.floor(y1) + 1, step)]
    ax.set_xticks(xticks, [_deg(v, "E", "W") for v in xticks])
    ax.set_yticks(yticks, [_deg(v, "N", "S") for v in yticks])
    ax.tick_params(labelsize=6, colors=MUTED, length=2, width=0.5)
    ax.grid(color="#ffffff", linewidth=0.4, alpha=0.8, zorder=2.5)
    ax.set_axisbelow(False)


def _deg(value: int, pos: str, neg: str) -> str:
    if value == 0:
        return "0°"
    return f"{abs(value)}°{pos if value > 0 else neg}"


_LABEL_BOX = {
    "boxstyle": "square,pad=0.12",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.75,
}


def _draw_markers(ax: Axes, incidents: list[Incident], placer: Placer) -> None:
    """Markers, largest first, then labels placed where they overlap nothing placed yet."""
    items: list[tuple[Incident, float, bool, float, float, float, int]] = []
    for inc in incidents:
        value, claimed = killed_value(inc)
        px, py = placer.to_points(float(inc.longitude or 0), float(inc.latitude or 0))
        d = marker_diameter(value)
        items.append((inc, value, claimed, px, py, d, len(items)))
        r = d / 2 + 3  # keep labels clear of other markers
        placer.taken.append((px - r, py - r, px + r, py + r))
        placer.markers.append((px, py, d / 2))
    for inc, _value, claimed, _px, _py, d, _index in sorted(
        items, key=lambda t: (-t[1], t[0].location)
    ):
        face = MARKER if inc.status == "new" else UPDATE
        edge = STANCE_COLOURS[Stance.CLAIMED] if claimed else MARKER
        if claimed:
            face = "none"
        ax.plot(
            [float(inc.longitude or 0)],
            [float(inc.latitude or 0)],
            marker="o",
            markersize=d,
            markerfacecolor=face,
            markeredgecolor=edge,
            alpha=0.85 if face == MARKER else 1.0,
            markeredgewidth=1.2 if claimed or face != MARKER else 0.6,
            linestyle="none",
            zorder=5,
        )
    fs = 7.2

    # Crowded places first: they have the fewest free spots.
    def crowding(item: tuple[Any, ...]) -> float:
        return -sum(1 for o in items if math.hypot(o[3] - item[3], o[4] - item[4]) < 40)

    for inc, _value, _claimed, px, py, d, index in sorted(
        items, key=lambda t: (crowding(t), t[0].location)
    ):
        label = plain(inc.location)
        tw, th = text_size(label, fs)
        found = placer.around(index, d / 2 + 3, tw, th)
        if found is None:
            box, leader = (px + d / 2 + 2, py - th / 2, px + d / 2 + 2 + tw, py + th / 2), False
        else:
            box, leader = found
        placer.taken.append(box)
        if leader:  # the label sits away from its marker
            cx = min(max(px, box[0]), box[2])
            cy = min(max(py, box[1]), box[3])
            ax.plot(
                *zip(placer.to_data(px, py), placer.to_data(cx, cy), strict=True),
                color="#4a5360",
                linewidth=0.6,
                zorder=4.5,
            )
        lx, ly = placer.to_data(box[0] + 1, (box[1] + box[3]) / 2)
        ax.text(
            lx,
            ly,
            label,
            ha="left",
            va="center_baseline",
            fontsize=fs,
            color=INK,
            zorder=6,
            bbox=_LABEL_BOX,
        )


def _country_labels(
    ax: Axes, shapes: dict[str, CountryShape], focus: set[str], placer: Placer
) -> None:
    """Country names at their label points, where they overlap no marker or label."""
    for c in sorted(shapes.values(), key=lambda c: (c.code not in focus, c.code)):
        is_focus = c.code in focus
        fs = 8.0 if is_focus else 6.5
        text = chart_words.country_label(c.code) if not c.code.startswith("~") else c.name.upper()
        tw, th = text_size(text, fs)
        tw *= 1.08 if is_focus else 1.0
        px, py = placer.to_points(*c.label)
        for shift in (0.0, -14.0, 14.0, -28.0, 28.0):
            box = (px - tw / 2, py + shift - th / 2, px + tw / 2, py + shift + th / 2)
            if placer.free(box, margin=8.0):
                placer.taken.append(box)
                lx, ly = placer.to_data(px, py + shift)
                ax.text(
                    lx,
                    ly,
                    text,
                    ha="center",
                    va="center_baseline",
                    zorder=3,
                    fontsize=fs,
                    color="#7b8490" if is_focus else "#9aa2ac",
                    fontweight="bold" if is_focus else "normal",
                )
                break


def _scale_bar(
    ax: Axes, window: tuple[float, float, float, float], k: float, placer: Placer
) -> Box:
    """Draw a scale bar in the lower left corner; return the box it takes (points)."""
    x0, x1, y0, y1 = window
    km_per_deg = 111.32 * k
    target = (x1 - x0) * km_per_deg / 5
    length_km = next((v for v in (1000, 500, 300, 200, 100, 50, 25, 10, 5) if v <= target), 5)
    deg = length_km / km_per_deg
    bx = x0 + (x1 - x0) * 0.03
    by = y0 + (y1 - y0) * 0.05
    ax.plot([bx, bx + deg], [by, by], color=INK, linewidth=1.4, solid_capstyle="butt", zorder=7)
    for x in (bx, bx + deg):
        ax.plot([x, x], [by, by + (y1 - y0) * 0.012], color=INK, linewidth=0.8, zorder=7)
    ax.text(
        bx + deg / 2,
        by + (y1 - y0) * 0.02,
        chart_words.km(length_km),
        ha="center",
        va="bottom",
        fontsize=6.5,
        color=INK,
        zorder=7,
    )
    left, bottom = placer.to_points(bx, by)
    right, _ = placer.to_points(bx + deg, by)
    return (left - 4, bottom - 4, right + 4, bottom + 16)


def _map_legend(fig: Figure) -> None:
    from matplotlib.lines import Line2D

    def dot(
        label: str, face: str, edge: str, size: float = 7, *, width: float | None = None,
        alpha: float | None = None,
    ) -> Line2D:  # fmt: skip
        return Line2D([], [], marker="o", linestyle="none", markersize=size, alpha=alpha,
                      markerfacecolor=face, markeredgecolor=edge, markeredgewidth=width,
                      label=label)  # fmt: skip

    claimed = STANCE_COLOURS[Stance.CLAIMED]
    handles = [
        dot(chart_words.MAP_LEGEND["new"], MARKER, MARKER, alpha=0.85),
        dot(chart_words.MAP_LEGEND["update"], UPDATE, MARKER, width=1.2),
        dot(chart_words.MAP_LEGEND["claimed"], "none", claimed, width=1.2),
    ]
    handles += [
        dot(chart_words.killed_legend(value), "none", MUTED, marker_diameter(value),
            width=0.6)
        for value in (1, 10, 50)
    ]  # fmt: skip
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=6,
        fontsize=6.6,
        frameon=False,
        bbox_to_anchor=(0.5, 0.02 / fig.get_figheight()),
        handletextpad=0.3,
        columnspacing=1.4,
        handleheight=4.6,
        handlelength=4.4,
        borderaxespad=0,
    )
