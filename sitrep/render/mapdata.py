"""Map base data: the shipped country outlines, and the window a map shows (chosen from
the data: the incidents and shaded regions, with a margin; aspect kept)."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

logger = logging.getLogger(__name__)

PAD_DEG = 1.0
MIN_SPAN_DEG = 6.0
MARGINS = (0.35, 0.12, 0.08, 0.95)  # left, right, top, bottom (in)


@dataclass(frozen=True)
class CountryShape:
    """One country's outline, decoded from the shipped data when first drawn (a map draws
    a dozen of the 234 countries: decoding them all took 0.06 s before every first map)."""

    code: str
    name: str
    bbox: tuple[float, float, float, float]
    label: tuple[float, float]
    neighbours: tuple[str, ...]
    encoded: tuple[list[list[int]], ...] = field(repr=False, compare=False)
    """The polygons' delta-encoded rings, as shipped."""

    @cached_property
    def polygons(self) -> tuple[Polygon, ...]:
        """The outline's polygons, decoded."""
        return tuple(polygon(poly) for poly in self.encoded)


@dataclass(frozen=True)
class Polygon:
    """One polygon: its outer ring, then its holes, with the outer ring's bounding box."""

    rings: tuple[tuple[tuple[float, float], ...], ...]
    bbox: tuple[float, float, float, float]


def polygon(rings: list[list[int]]) -> Polygon:
    """A polygon from its delta-encoded rings (outer first)."""
    decoded = tuple(decode(r) for r in rings)
    xs = [p[0] for p in decoded[0]]
    ys = [p[1] for p in decoded[0]]
    return Polygon(decoded, (min(xs), min(ys), max(xs), max(ys)))


def decode(flat: list[int]) -> tuple[tuple[float, float], ...]:
    """Points from a delta-encoded ring or line (hundredths of a degree)."""
    points = []
    x = y = 0
    for i in range(0, len(flat), 2):
        x += flat[i]
        y += flat[i + 1]
        points.append((x / 100, y / 100))
    return tuple(points)


def shipped_countries(name: str, missing: str) -> dict[str, Any]:
    """The "countries" of a shipped map data file (``sitrep/data/<name>``); empty, with a
    warning saying what the map lacks (``missing``), if the file is not there."""
    try:
        text = resources.files("sitrep").joinpath(f"data/{name}").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        logger.warning("map data %s missing (%s): %s", name, exc, missing)
        return {}
    countries: dict[str, Any] = json.loads(text)["countries"]
    return countries


@cache
def boundaries() -> dict[str, CountryShape]:
    """The shipped country outlines by alpha-3 code (empty, with a warning, if missing)."""
    raw = shipped_countries("admin0.json", "the map shows gridlines only")
    return {
        code: CountryShape(
            code=code,
            name=info["name"],
            bbox=(info["bbox"][0], info["bbox"][1], info["bbox"][2], info["bbox"][3]),
            label=(info["label"][0], info["label"][1]),
            neighbours=tuple(info["neighbours"]),
            encoded=tuple(info["polygons"]),
        )
        for code, info in raw.items()
    }



def extent(
    points: list[tuple[float, float]], boxes: list[tuple[float, float, float, float]]
) -> tuple[float, float, float, float]:
    """The lon/lat window (x0, x1, y0, y1) of the data: every point and every box (x0, y0,
    x1, y1: a shaded region), with a margin, and at least MIN_SPAN_DEG wide."""
    xs = [p[0] for p in points] + [v for b in boxes for v in (b[0], b[2])]
    ys = [p[1] for p in points] + [v for b in boxes for v in (b[1], b[3])]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    pad = max(PAD_DEG, 0.12 * max(x1 - x0, y1 - y0))
    half_w = max(x1 - x0 + 2 * pad, MIN_SPAN_DEG) / 2
    half_h = max(y1 - y0 + 2 * pad, MIN_SPAN_DEG * 0.6) / 2
    return cx - half_w, cx + half_w, max(cy - half_h, -85.0), min(cy + half_h, 85.0)


def fit(
    window: tuple[float, float, float, float], width_in: float
) -> tuple[tuple[float, float, float, float], float, float]:
    """Grow the window so that it fills an axes of the given width; return it with the
    figure height (in) and the x scale factor (cos of the middle latitude)."""
    x0, x1, y0, y1 = window
    k = math.cos(math.radians((y0 + y1) / 2))
    ax_w = width_in - MARGINS[0] - MARGINS[1]
    ratio = (y1 - y0) / ((x1 - x0) * k)  # axes height / width
    ratio = min(max(ratio, 0.45), 0.95)
    ax_h = ax_w * ratio
    want_h_deg = (x1 - x0) * k * ratio
    if want_h_deg > y1 - y0:
        grow = (want_h_deg - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    else:
        want_w_deg = (y1 - y0) / ratio / k
        grow = (want_w_deg - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    return (x0, x1, y0, y1), ax_h + MARGINS[2] + MARGINS[3], k


def contains(poly: Polygon, x: float, y: float) -> bool:
    """Whether a point lies inside a polygon (its outer ring, not in a hole): ray casting."""

    def inside(ring: tuple[tuple[float, float], ...]) -> bool:
        hit = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
        return hit

    return inside(poly.rings[0]) and not any(inside(h) for h in poly.rings[1:])


def label_spots(
    shape: CountryShape, window: tuple[float, float, float, float]
) -> list[tuple[float, float]]:
    """Where a country's name may go inside the window: its label point if visible, then
    points of a grid over its largest visible part that fall inside it, middle first."""
    x0, x1, y0, y1 = window
    visible = []
    for poly in shape.polygons:
        bx0, by0 = max(poly.bbox[0], x0), max(poly.bbox[1], y0)
        bx1, by1 = min(poly.bbox[2], x1), min(poly.bbox[3], y1)
        if bx0 < bx1 and by0 < by1:
            visible.append(((bx1 - bx0) * (by1 - by0), poly, (bx0, by0, bx1, by1)))
    if not visible:
        return []
    _, poly, (bx0, by0, bx1, by1) = max(visible, key=lambda v: v[0])
    spots = [shape.label] if x0 < shape.label[0] < x1 and y0 < shape.label[1] < y1 else []
    cx, cy = (bx0 + bx1) / 2, (by0 + by1) / 2
    grid = [
        (bx0 + (bx1 - bx0) * (i + 0.5) / 7, by0 + (by1 - by0) * (j + 0.5) / 7)
        for i in range(7)
        for j in range(7)
    ]
    grid.sort(key=lambda p: (p[0] - cx) ** 2 + ((p[1] - cy) * 1.5) ** 2)
    return spots + [p for p in grid if contains(poly, *p)]
