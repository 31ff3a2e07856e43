"""Placing text on the map where it overlaps nothing: labels beside their markers."""

from __future__ import annotations

import math

_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
Box = tuple[float, float, float, float]
"""A box in points from the axes' lower left: x0, y0, x1, y1."""


class Placer:
    """Places text boxes (in points from the axes' lower left) where they overlap nothing."""

    def __init__(self, window: tuple[float, float, float, float], pt_x: float, pt_y: float):
        self.x0, self.x1, self.y0, self.y1 = window
        self.pt_x, self.pt_y = pt_x, pt_y
        self.width = (self.x1 - self.x0) * pt_x
        self.height = (self.y1 - self.y0) * pt_y
        self.taken: list[Box] = []
        self.markers: list[tuple[float, float, float]] = []  # x, y, radius (points)

    def to_points(self, lon: float, lat: float) -> tuple[float, float]:
        """A place's position in points."""
        return (lon - self.x0) * self.pt_x, (lat - self.y0) * self.pt_y

    def to_data(self, x: float, y: float) -> tuple[float, float]:
        """A position in points as longitude and latitude."""
        return self.x0 + x / self.pt_x, self.y0 + y / self.pt_y

    def free(self, box: Box, margin: float = 2.0) -> bool:
        """Whether a box lies inside the axes (with a margin) and overlaps nothing taken."""
        inside = (
            box[0] >= margin
            and box[2] <= self.width - margin
            and box[1] >= margin
            and box[3] <= self.height - margin
        )
        return inside and not any(overlaps(box, other) for other in self.taken)

    def around(self, own: int, radius: float, tw: float, th: float) -> tuple[Box, bool] | None:
        """The best free box beside marker ``own``, and whether it needs a leader line.

        Nearer is better, and a box that is nearer another marker than its own is
        penalised, so that a reader pairs each label with the right marker.
        """
        px, py, own_radius = self.markers[own]
        best: tuple[float, Box, bool] | None = None
        for extra in (0.0, 8.0, 16.0, 26.0, 38.0):
            gap = radius + 2 + extra
            for rank, (dx, dy) in enumerate(_DIRECTIONS):
                k = 0.72 if dx and dy else 1.0  # diagonals: keep the corner near the circle
                bx = px + dx * gap * k - (tw if dx < 0 else 0 if dx > 0 else tw / 2)
                by = py + dy * gap * k - (th if dy < 0 else 0 if dy > 0 else th / 2)
                box = (bx, by, bx + tw, by + th)
                if not self.free(box):
                    continue
                mine = distance(box, px, py) - own_radius
                cost = extra * 0.8 + rank * 0.5
                for i, (ox, oy, orad) in enumerate(self.markers):
                    if i != own and distance(box, ox, oy) - orad < mine:
                        cost += 14
                if best is None or cost < best[0]:
                    best = (cost, box, extra > 0)
            if best is not None and best[0] < 4:
                break
        return None if best is None else (best[1], best[2])


def distance(box: Box, x: float, y: float) -> float:
    """Distance from a point to the nearest point of a box."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy)


def text_size(text: str, fontsize: float, bold: bool = False) -> tuple[float, float]:
    """Estimated width and height (points) of a line of DejaVu Sans text (capitals and
    bold are wider)."""
    caps = sum(1 for c in text if c.isupper())
    width = (len(text) - caps) * 0.56 + caps * 0.70
    return width * fontsize * (1.1 if bold else 1.0) + 2, fontsize * 1.25



def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two boxes (x0, y0, x1, y1) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


