"""The map's base layers: countries, region borders, shaded regions, graticule, scale bar
and legend (the incident symbols and labels are drawn by ``maps.py``)."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath
from ..model.records import Stance
from ..wording.maps import MapPoint, MapWords
from .mapdata import CountryShape, Polygon
from .mapsymbols import marker_diameter
from .placement import Box, Placer, overlaps, text_size
from .regions import CountryRegions, Region
from .style import INK, MUTED, STANCE_COLOURS

_MOVETO, _LINETO, _CLOSEPOLY = 1, 2, 79  # matplotlib.path.Path codes
Window = tuple[float, float, float, float]

WATER = "#e4ebf1"
LAND = "#f3f2ee"
LAND_FOCUS = "#ffffff"
BORDER = "#a3abb5"
BORDER_FOCUS = "#5f6975"
REGION_LINE = "#b7bec7"
# the symbols' slate, not the claimed orange: a shaded region holds credible figures too
REGION_FILL = "#cdd5de"  # a light tint of the symbols' slate, under a hatch
REGION_EDGE = "#3b4654"
REGION_TEXT = "#2b2f36"  # 9:1 on the shaded fill (WCAG AA)
COUNTRY_TEXT = "#4a5360"  # the incidents' countries, bold (7.9:1 on white)
NEIGHBOUR_TEXT = MUTED  # others (5.2:1 on their land colour)
MARKER = "#3b4654"
CLAIMED = STANCE_COLOURS[Stance.CLAIMED]
SHAPES = {"new": "o", "update": "s"}
"""Symbol shape by status: a circle for an incident of the period, a square for an update."""


def in_window(bbox: tuple[float, float, float, float], window: Window) -> bool:
    """Whether a bounding box (x0, y0, x1, y1) meets the window (x0, x1, y0, y1)."""
    x0, x1, y0, y1 = window
    return overlaps(bbox, (x0, y0, x1, y1))


def _path(polygons: Sequence[Polygon], window: Window) -> list[MplPath]:
    from matplotlib.path import Path as MplPath

    paths: list[MplPath] = []
    for poly in polygons:
        if not in_window(poly.bbox, window):
            continue
        verts: list[tuple[float, float]] = []
        kinds: list[int] = []
        for ring in poly.rings:
            verts += [*ring, ring[0]]
            kinds += [_MOVETO] + [_LINETO] * (len(ring) - 1) + [_CLOSEPOLY]
        paths.append(MplPath(verts, kinds))
    return paths


def draw_countries(
    ax: Axes, shapes: dict[str, CountryShape], window: Window, focus: set[str]
) -> None:
    """Country outlines: the incidents' countries white with a darker border."""
    from matplotlib.collections import PathCollection

    for is_focus in (False, True):
        paths = []
        for c in shapes.values():
            if (c.code in focus) == is_focus and in_window(c.bbox, window):
                paths += _path(c.polygons, window)
        ax.add_collection(
            PathCollection(
                paths,
                facecolors=LAND_FOCUS if is_focus else LAND,
                edgecolors=BORDER_FOCUS if is_focus else BORDER,
                linewidths=0.8 if is_focus else 0.5,
                zorder=2 if is_focus else 1,
            )
        )


def draw_region_lines(ax: Axes, regions: dict[str, CountryRegions], window: Window) -> None:
    """The borders between first-level regions, thin and dashed."""
    from matplotlib.collections import LineCollection

    x0, x1, y0, y1 = window
    lines = [
        line
        for country in regions.values()
        for line in country.lines
        if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in line)
    ]
    ax.add_collection(
        LineCollection(lines, colors=REGION_LINE, linewidths=0.45, linestyles=(0, (3, 2)),
                       zorder=2.2)
    )  # fmt: skip


def shade_regions(ax: Axes, regions: Sequence[Region], window: Window) -> None:
    """Regions holding an incident known only to the region: tinted and hatched, as one
    compound path (the SVG's hatch pattern is then drawn once, not once per polygon)."""
    import matplotlib as mpl
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath

    paths = [p for r in regions for p in _path(r.polygons, window)]
    if not paths:
        return
    with mpl.rc_context({"hatch.color": REGION_EDGE, "hatch.linewidth": 0.5}):
        ax.add_collection(
            PathCollection([MplPath.make_compound_path(*paths)],
                           facecolors=REGION_FILL, edgecolors=REGION_EDGE,
                           linewidths=0.8, hatch="////", alpha=0.75, zorder=2.4)
        )  # fmt: skip


def _circle() -> MplPath:
    """A circle of diameter 1 in four Bézier arcs (matplotlib's has eight: twice the path
    data for 750 symbols, and no visible difference at a symbol's size)."""
    from matplotlib.path import Path as MplPath

    k = 0.5 * 0.5522847498  # the control-point distance of a quarter circle, radius 0.5
    h = 0.5
    verts = [(h, 0), (h, k), (k, h), (0, h), (-k, h), (-h, k), (-h, 0), (-h, -k), (-k, -h),
             (0, -h), (k, -h), (h, -k), (h, 0), (h, 0)]  # fmt: skip
    return MplPath(verts, [MplPath.MOVETO] + [MplPath.CURVE4] * 12 + [MplPath.CLOSEPOLY])


def draw_symbols(ax: Axes, points: Sequence[MapPoint]) -> None:
    """The incident symbols in the given order (later ones on top), as one collection: a
    circle for an incident of the period, a square for an update, with the area of
    :func:`marker_diameter`; an outline in the claimed colour when only claims give a
    figure. One path each in the SVG: a marker per ``plot`` call would be a ``<use>`` each,
    and WeasyPrint draws a ``<use>`` five times slower (1.2 s for a 30-day period's 750)."""
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgba
    from matplotlib.markers import MarkerStyle
    from matplotlib.transforms import IdentityTransform

    square = MarkerStyle(SHAPES["update"])
    unit = {"new": _circle(), "update": square.get_path().transformed(square.get_transform())}
    paths, sizes, faces, edges, widths = [], [], [], [], []
    for p in points:
        kind = "new" if p.incident.status == "new" else "update"
        d = marker_diameter(0 if p.claims_only else p.floor)
        side = d if kind == "new" else d * math.sqrt(math.pi) / 2  # squares: the same area
        paths.append(unit[kind])
        sizes.append(side**2)
        faces.append((0.0, 0.0, 0.0, 0.0) if p.claims_only else to_rgba(MARKER, 0.85))
        edges.append(to_rgba(CLAIMED) if p.claims_only else to_rgba("white", 0.85))
        widths.append(1.3 if p.claims_only else 0.6)
    xy = [(float(p.incident.longitude or 0), float(p.incident.latitude or 0)) for p in points]
    symbols = PathCollection(paths, sizes=sizes, offsets=xy, offset_transform=ax.transData,
                             transform=IdentityTransform(), facecolors=faces, edgecolors=edges,
                             linewidths=widths, zorder=5)  # fmt: skip
    symbols.set_gid(SYMBOLS)
    ax.add_collection(symbols, autolim=False)


SYMBOLS = "incident-symbols"
"""The id of the symbols' group in the map's SVG."""

_CLIP = re.compile(r' clip-path="url\(#[^)"]*\)"')


def clipped_once(svg: str, gid: str = SYMBOLS) -> str:
    """The SVG with the paths of the group ``gid`` clipped by the group instead of each by
    itself. matplotlib writes the axes' clip on every path of a collection, and WeasyPrint
    then clips each of a big period's thousand symbols on its own (about 0.3 s of CPU);
    drawn the same. The SVG is left as it is unless every path of the group has one and the
    same clip."""
    head = f'<g id="{gid}">'
    start = svg.find(head)
    end = svg.find("</g>", start)
    if start == -1 or end == -1:
        return svg
    body = svg[start:end]
    clips = _CLIP.findall(body)
    if not clips or len(set(clips)) != 1 or len(clips) != body.count("<path "):
        return svg
    body = body.replace(clips[0], "").replace(head, f'<g id="{gid}"{clips[0]}>', 1)
    return svg[:start] + body + svg[end:]


def graticule(ax: Axes, window: Window, words: MapWords) -> None:
    """Degree ticks and a light grid."""
    x0, x1, y0, y1 = window
    span = max(x1 - x0, y1 - y0)
    step = 2 if span <= 16 else 5 if span <= 40 else 10
    xticks = list(range(math.ceil(x0 / step) * step, math.floor(x1) + 1, step))
    yticks = list(range(math.ceil(y0 / step) * step, math.floor(y1) + 1, step))
    ax.set_xticks(xticks, [words.degrees(v, "x") for v in xticks])
    ax.set_yticks(yticks, [words.degrees(v, "y") for v in yticks])
    ax.tick_params(labelsize=6, colors=MUTED, length=2, width=0.5)
    ax.grid(color="#ffffff", linewidth=0.4, alpha=0.8, zorder=2.5)
    ax.set_axisbelow(False)


def scale_bar(ax: Axes, window: Window, k: float, placer: Placer, words: MapWords) -> Box:
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
    ax.text(bx + deg / 2, by + (y1 - y0) * 0.02, words.km(length_km), ha="center",
            va="bottom", fontsize=6.5, color=INK, zorder=7)  # fmt: skip
    left, bottom = placer.to_points(bx, by)
    right, _ = placer.to_points(bx + deg, by)
    return (left - 4, bottom - 4, right + 4, bottom + 16)


def legend(
    fig: Figure, words: MapWords, sizes: Sequence[int], *, updates: bool, claims: bool,
    unsized: bool, regions: bool, capitals: bool,
) -> None:  # fmt: skip
    """The legend under the map: the symbols drawn, then the sizes fitted to the data."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    biggest = max([marker_diameter(v) for v in sizes] + [7.0]) / 6.6  # in font sizes
    handle = max(2.4, biggest + 0.4)
    # a label wider than a narrow map (a quiet day's, 2.13 in) wraps rather than being cut
    room = fig.get_figwidth() * 72 - (handle + 0.4) * 6.6 - 6
    columns = max(12, int(room / (0.56 * 6.6)))

    def sym(label: str, shape: str = "o", face: str = MARKER, edge: str = MARKER,
            size: float = 7, width: float = 0.6) -> Line2D:  # fmt: skip
        return Line2D([], [], marker=shape, linestyle="none", markersize=size,
                      label=textwrap.fill(label, columns), markerfacecolor=face,
                      markeredgecolor=edge, markeredgewidth=width,
                      alpha=0.85 if face == MARKER else 1.0)  # fmt: skip

    handles: list[object] = [sym(words.legend_new)]
    if updates:
        handles.append(sym(words.legend_update, SHAPES["update"], size=6.2))
    if claims:
        handles.append(sym(words.legend_claims, face="none", edge=CLAIMED, width=1.3))
    if regions:
        region = textwrap.fill(words.legend_region, columns)
        handles.append(Patch(facecolor=REGION_FILL, edgecolor=REGION_EDGE, hatch="////",
                             linewidth=0.8, label=region))  # fmt: skip
    if capitals:
        handles.append(sym(words.legend_capital, "*", INK, INK, size=6.5, width=0.3))
    if unsized:
        handles.append(sym(words.legend_none, size=marker_diameter(0)))
    handles += [
        sym(words.killed(v), face="none", edge=MUTED, size=marker_diameter(v)) for v in sizes
    ]
    drawn = fig.legend(
        handles=handles, loc="lower center", ncol=legend_columns(handles, fig, biggest + 0.4),
        fontsize=6.6,
        frameon=False, bbox_to_anchor=(0.5, 0.02 / fig.get_figheight()), handletextpad=0.4,
        columnspacing=1.2, handleheight=max(2.0, biggest), handlelength=handle,
        borderaxespad=0,
    )  # fmt: skip
    _make_room(fig, drawn)


TICKS_IN = 0.3
"""Room under the map for the degree ticks, above the legend (in)."""


def _make_room(fig: Figure, drawn: Any) -> None:
    """Grow the figure downwards when the legend (large size symbols, many rows) would
    reach the degree ticks: the map keeps its size, the legend moves down with the edge."""
    height = fig.get_figheight()
    bottom = fig.subplotpars.bottom * height
    top = (1 - fig.subplotpars.top) * height
    need = drawn.get_window_extent().height / fig.dpi + TICKS_IN + 0.02
    if need <= bottom:
        return
    grown = height + need - bottom
    fig.set_figheight(grown)
    fig.subplots_adjust(bottom=need / grown, top=1 - top / grown)
    drawn.set_bbox_to_anchor((0.5, 0.02 / grown), transform=fig.transFigure)


def legend_columns(handles: Sequence[Any], fig: Figure, handle_len: float, fs: float = 6.6) -> int:
    """The most columns (4 at most) whose legend fits the figure's width: matplotlib fills
    the columns one after the other (the first ones one entry longer when the entries do
    not divide evenly), each as wide as its longest label."""
    labels = [str(h.get_label()) for h in handles]
    width = fig.get_figwidth() * 72 - 12
    for ncol in range(min(len(labels), 4), 1, -1):
        rows, extra = divmod(len(labels), ncol)
        columns, start = [], 0
        for i in range(ncol):
            end = start + rows + (1 if i < extra else 0)
            columns.append(labels[start:end])
            start = end
        needed = sum(
            max(text_size(t, fs)[0] for t in col) + (max(handle_len, 2.4) + 0.4 + 1.2) * fs
            for col in columns
        )
        if needed <= width:
            return ncol
    return 1
