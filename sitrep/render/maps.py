"""The incident map: countries, first-level regions and capitals from shipped Natural Earth
data, and a symbol per incident.

Base data: ``sitrep/data/admin0.json`` and ``admin1.json`` (public domain; see
``sitrep/data/README.md``); nothing is fetched at run time. The window is chosen from the
data (the incidents and shaded regions, with a margin), in a plain equirectangular
projection scaled by the cosine of the middle latitude, with a scale bar. Symbols: a circle
for an incident of the period, a square for an update on an earlier one; their area
grows with the credible killed figure (never a claim, ``mapsymbols.py``); an incident that
only claims give a figure is an outline. An incident known only to its region shades that
region. Labels are placed where they overlap nothing (``placement.py``).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
from ..model.report import Incident, Report
from ..wording.languages import map_words
from ..wording.maps import MapPoint, MapWords
from . import mapbase as base
from .digest import quiet_day
from .mapdata import MARGINS, CountryShape, boundaries, contains, extent, fit, label_spots
from .mapsymbols import legend_values, map_content, marker_diameter
from .placement import Box, Placer, text_size
from .regions import Region, admin1
from .safe import plain
from .style import INK, WIDTH_IN, Chart, figure_svg, new_figure, svg_style

logger = logging.getLogger(__name__)

POINT_LABELS = 30
"""The most incident places a map names."""

QUIET_WIDTH_IN = 2.13
"""A quiet day's map is drawn this wide: the column it gets beside the text on the PDF's one
page (54 mm, ``.pdf.compact #map.aside`` in report.css), so that its words keep their size."""

_LABEL_BOX = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none",
              "alpha": 0.75}  # fmt: skip


@dataclass
class MapLayout:
    """What was drawn where: the window (x0, x1, y0, y1) and each text's box in points."""

    window: tuple[float, float, float, float]
    labels: list[tuple[str, Box]] = field(default_factory=list)


def unmapped_incidents(report: Report) -> list[Incident]:
    """Incidents of the period the map cannot show: no coordinates and no known region."""
    return map_content(report).missing


def draw_map(report: Report) -> Chart | None:
    """The incident map, or None when no incident of the period can be placed."""
    drawn = render_map(report)
    return None if drawn is None else drawn[0]


def render_map(report: Report) -> tuple[Chart, MapLayout] | None:
    """The map and its layout (for tests), or None when nothing can be placed."""
    content = map_content(report)
    if not content.points and not content.regions:
        return None
    words = map_words(report.language)
    width = QUIET_WIDTH_IN if quiet_day(report) else WIDTH_IN
    with svg_style():
        return _draw(report, content.points, content.regions, content.missing, words, width)


def _draw(
    report: Report, points: list[MapPoint], shaded: list[tuple[MapPoint, Region]],
    missing: list[Incident], words: MapWords, width: float,
) -> tuple[Chart, MapLayout]:  # fmt: skip
    regions = [r for _, r in shaded]
    shapes = boundaries()
    xy = [(float(p.incident.longitude or 0), float(p.incident.latitude or 0)) for p in points]
    window, height, k = fit(extent(xy, [r.bbox for r in regions]), width)
    x0, x1, y0, y1 = window
    fig = new_figure(width, height, MARGINS)
    ax = fig.add_subplot()
    ax.set_facecolor(base.WATER)
    focus = {p.incident.country for p in points} | {r.country for r in regions}
    base.draw_countries(ax, shapes, window, focus)
    regions_data = admin1()
    base.draw_region_lines(ax, regions_data, window)
    base.shade_regions(ax, regions, window)
    base.graticule(ax, window, words)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("auto")
    for spine in ax.spines.values():
        spine.set_color(base.BORDER)
        spine.set_linewidth(0.6)
    pt_x = (width - MARGINS[0] - MARGINS[1]) * 72 / (x1 - x0)  # points per degree lon
    placer = Placer(window, pt_x, pt_x / k)
    layout = MapLayout(window)
    placer.taken.append(base.scale_bar(ax, window, k, placer, words))
    _symbols(ax, points, placer)
    capitals = [
        c.capital
        for c in regions_data.values()
        if c.capital and x0 < c.capital.at[0] < x1 and y0 < c.capital.at[1] < y1
    ]
    for cap in capitals:
        ax.plot([cap.at[0]], [cap.at[1]], marker="*", markersize=6.5, color=INK,
                markeredgewidth=0.3, linestyle="none", zorder=5.5)  # fmt: skip
        px, py = placer.to_points(*cap.at)
        placer.markers.append((px, py, 3.5))
        placer.taken.append((px - 3.5, py - 3.5, px + 3.5, py + 3.5))
    _point_labels(ax, points, len(points), placer, layout)
    for i, cap in enumerate(capitals):
        _label_beside(ax, plain(cap.name), len(points) + i, 3.5, 6.6, placer, layout,
                      style="italic")  # fmt: skip
    _region_labels(ax, shaded, placer, layout)
    _country_labels(ax, words, focus, placer, layout)
    sized = [p.floor for p in points if not p.claims_only]
    every = points + [p for p, _ in shaded]
    base.legend(
        fig, words, legend_values(sized),
        updates=any(p.incident.status != "new" for p in every),
        claims=any(p.claims_only for p in points), regions=bool(regions),
        unsized=any(not p.floor and not p.claims_only for p in points),
        capitals=bool(capitals),
    )  # fmt: skip
    new = sum(1 for p in every if p.incident.status == "new")
    alt = words.alt(points, [p for p, _ in shaded], missing, [c.name for c in capitals],
                    outlines=bool(shapes))  # fmt: skip
    chart = Chart(name="map", title=words.title(new, len(every) - new),
                  svg=base.clipped_once(figure_svg(fig)), alt=alt)  # fmt: skip
    return chart, layout


def _symbols(ax: Axes, points: list[MapPoint], placer: Placer) -> None:
    """Symbols, largest first (drawn under the smaller ones), and their room for labels."""
    for p in points:
        px, py = placer.to_points(float(p.incident.longitude or 0), float(p.incident.latitude or 0))
        d = marker_diameter(0 if p.claims_only else p.floor)
        r = d / 2 + 3  # keep labels clear of other symbols
        placer.taken.append((px - r, py - r, px + r, py + r))
        placer.markers.append((px, py, d / 2))
    base.draw_symbols(ax, sorted(points, key=lambda p: (-p.floor, p.incident.location)))


def _point_labels(
    ax: Axes, points: list[MapPoint], count: int, placer: Placer, layout: MapLayout
) -> None:
    """Incident labels, crowded places first (they have the fewest free spots). A place is
    named once, beside its largest symbol, and at most ``POINT_LABELS`` places are named,
    the largest symbols first (a thousand names read as nothing; the text alternative and
    the log name every incident)."""
    where = placer.markers[:count]
    chosen: list[int] = []
    named: set[str] = set()
    for i in range(count):  # largest symbols first
        name = plain(points[i].incident.location).casefold()
        if name not in named and len(chosen) < POINT_LABELS:
            named.add(name)
            chosen.append(i)

    def crowding(i: int) -> int:
        return -sum(1 for x, y, _ in where if math.hypot(x - where[i][0], y - where[i][1]) < 40)

    for i in sorted(chosen, key=lambda i: (crowding(i), points[i].incident.location)):
        _label_beside(ax, plain(points[i].incident.location), i, where[i][2], 7.2, placer, layout)


def _label_beside(
    ax: Axes, text: str, index: int, radius: float, fs: float, placer: Placer,
    layout: MapLayout, style: str = "normal",
) -> None:  # fmt: skip
    """A label beside marker ``index``, with a leader line when it had to move away; left
    off when no free spot exists (the text alternative still names it)."""
    tw, th = text_size(text, fs)
    found = placer.around(index, radius + 3, tw, th)
    if found is None:
        logger.debug("map label %r left off: no free spot", text)
        return
    box, leader = found
    placer.taken.append(box)
    layout.labels.append((text, box))
    px, py, _ = placer.markers[index]
    if leader:
        cx, cy = min(max(px, box[0]), box[2]), min(max(py, box[1]), box[3])
        ax.plot(*zip(placer.to_data(px, py), placer.to_data(cx, cy), strict=True),
                color="#4a5360", linewidth=0.6, zorder=4.5)  # fmt: skip
    lx, ly = placer.to_data(box[0] + 1, (box[1] + box[3]) / 2)
    ax.text(lx, ly, text, ha="left", va="center_baseline", fontsize=fs, color=INK, zorder=6,
            bbox=_LABEL_BOX, fontstyle=style)  # fmt: skip


def _centred(
    ax: Axes, text: str, at: tuple[float, float], fs: float, placer: Placer, layout: MapLayout,
    *, bold: bool = False, colour: str = INK, style: str = "normal", margin: float = 4.0,
    shifts: tuple[float, ...] = (0.0, -12.0, 12.0, -24.0, 24.0, -36.0, 36.0),
    within: CountryShape | None = None,
) -> bool:  # fmt: skip
    """A label centred on a place, or moved up or down a little, if a free spot exists
    (and, given ``within``, one whose line starts and ends inside that country)."""
    tw, th = text_size(text, fs, bold=bold)
    px, py = placer.to_points(*at)
    for shift in shifts:
        box = (px - tw / 2, py + shift - th / 2, px + tw / 2, py + shift + th / 2)
        ends = [placer.to_data(x, (box[1] + box[3]) / 2) for x in (box[0], box[2])]
        if within is not None and not all(  # both ends of the line inside the country
            any(contains(poly, *end) for poly in within.polygons) for end in ends
        ):
            continue
        if placer.free(box, margin=margin):
            placer.taken.append(box)
            layout.labels.append((text, box))
            lx, ly = placer.to_data(px, py + shift)
            weight = "bold" if bold else "normal"
            ax.text(lx, ly, text, ha="center", va="center_baseline", zorder=3.5, fontsize=fs,
                    color=colour, fontweight=weight, fontstyle=style)  # fmt: skip
            return True
    return False


def _region_labels(
    ax: Axes, shaded: list[tuple[MapPoint, Region]], placer: Placer, layout: MapLayout
) -> None:
    done: set[str] = set()
    for _, region in shaded:
        if region.name not in done:
            done.add(region.name)
            _centred(ax, plain(region.name), region.label, 7.0, placer, layout,
                     colour=base.REGION_TEXT, style="italic", bold=True)  # fmt: skip


def _country_labels(
    ax: Axes, words: MapWords, focus: set[str], placer: Placer, layout: MapLayout
) -> None:
    """Country names where they overlap nothing, inside the window's part of the country."""
    window = (placer.x0, placer.x1, placer.y0, placer.y1)
    for c in sorted(boundaries().values(), key=lambda c: (c.code not in focus, c.code)):
        if not base.in_window(c.bbox, window):
            continue
        is_focus = c.code in focus
        text = words.country_label(c.code) if not c.code.startswith("~") else c.name.upper()
        colour = base.COUNTRY_TEXT if is_focus else base.NEIGHBOUR_TEXT
        fs = 8.0 if is_focus else 6.5
        for spot in label_spots(c, window)[:16]:
            if _centred(ax, plain(text), spot, fs, placer, layout, bold=is_focus, colour=colour,
                        margin=6.0, shifts=(0.0,), within=c):  # fmt: skip
                break
