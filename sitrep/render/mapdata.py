"""Map base data: the shipped country outlines, and the window a map shows."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

logger = logging.getLogger(__name__)

PAD_DEG = 0.8
MAX_SPAN_DEG = 45.0
MIN_SPAN_DEG = 4.0
MARGINS = (0.35, 0.12, 0.08, 0.75)  # left, right, top, bottom (in)


@dataclass(frozen=True)
class CountryShape:
    """One country's outline, decoded from the shipped data."""

    code: str
    name: str
    bbox: tuple[float, float, float, float]
    label: tuple[float, float]
    neighbours: tuple[str, ...]
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class Polygon:
    """One polygon: its outer ring, then its holes, with the outer ring's bounding box."""

    rings: tuple[tuple[tuple[float, float], ...], ...]
    bbox: tuple[float, float, float, float]


def _polygon(rings: list[list[int]]) -> Polygon:
    decoded = tuple(_decode(r) for r in rings)
    xs = [p[0] for p in decoded[0]]
    ys = [p[1] for p in decoded[0]]
    return Polygon(decoded, (min(xs), min(ys), max(xs), max(ys)))


def _decode(flat: list[int]) -> tuple[tuple[float, float], ...]:
    points = []
    x = y = 0
    for i in range(0, len(flat), 2):
        x += flat[i]
        y += flat[i + 1]
        points.append((x / 100, y / 100))
    return tuple(points)


@cache
def boundaries() -> dict[str, CountryShape]:
    """The shipped country outlines by alpha-3 code (empty, with a warning, if missing)."""
    try:
        text = resources.files("sitrep").joinpath("data/admin0.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        logger.warning("map base data missing (%s): the map shows gridlines only", exc)
        return {}
    raw: dict[str, Any] = json.loads(text)["countries"]
    return {
        code: CountryShape(
            code=code,
            name=info["name"],
            bbox=(info["bbox"][0], info["bbox"][1], info["bbox"][2], info["bbox"][3]),
            label=(info["label"][0], info["label"][1]),
            neighbours=tuple(info["neighbours"]),
            polygons=tuple(_polygon(poly) for poly in info["polygons"]),
        )
        for code, info in raw.items()
    }



def extent(
    points: list[tuple[float, float]], focus: list[CountryShape]
) -> tuple[float, float, float, float]:
    """The lon/lat window: the focus countries and every point, padded."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    for c in focus:
        xs += [c.bbox[0], c.bbox[2]]
        ys += [c.bbox[1], c.bbox[3]]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if x1 - x0 > MAX_SPAN_DEG or y1 - y0 > MAX_SPAN_DEG:  # a huge country: frame the points
        x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
        y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
        x0, x1, y0, y1 = x0 - 3, x1 + 3, y0 - 3, y1 + 3
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max(x1 - x0, MIN_SPAN_DEG) / 2 + PAD_DEG
    half_h = max(y1 - y0, MIN_SPAN_DEG * 0.6) / 2 + PAD_DEG
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


