"""Build sitrep/data/admin0.json, the country outlines the report map draws.

The outlines are Natural Earth 1:50m admin-0 countries (public domain), as packaged in
the npm package ``world-atlas`` 2.0.2 (TopoJSON, ISC licence). This script is run by
hand, once, when the data is to be refreshed; sitrep never fetches map data at run time.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_boundaries.py /tmp/package/countries-50m.json

ISO numeric codes are mapped to alpha-3 with Debian's ``iso-codes`` table
(``/usr/share/iso-codes/json/iso_3166-1.json``). Shared borders are simplified once,
per TopoJSON arc, so neighbouring outlines still meet exactly. Coordinates are
rounded to 0.01 degree and stored as delta-encoded integers (hundredths of a degree).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

ISO_TABLE = Path("/usr/share/iso-codes/json/iso_3166-1.json")
OUT = Path(__file__).resolve().parent.parent / "sitrep" / "data" / "admin0.json"
TOLERANCE = 0.04  # degrees, Douglas-Peucker: about 4 km, under 0.3 mm on an A4 regional map
# Features of Natural Earth without an ISO numeric code, given the codes sitrep uses.
EXTRA_CODES = {"Kosovo": "XKX", "Somaliland": "SOL", "N. Cyprus": "CYN"}


def decode_arcs(topo: dict[str, object]) -> list[list[tuple[float, float]]]:
    """The TopoJSON arcs as absolute (lon, lat) points."""
    transform = topo["transform"]
    assert isinstance(transform, dict)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs: list[list[tuple[float, float]]] = []
    raw = topo["arcs"]
    assert isinstance(raw, list)
    for arc in raw:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker simplification, keeping both ends (iterative)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                dist = math.hypot(px - x1, py - y1)
            else:
                dist = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if dist > worst:
                worst, index = dist, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[int, int]]:
    """A polygon ring from arc indexes (negative: reversed), in hundredths of a degree."""
    out: list[tuple[int, int]] = []
    for index in ring:
        pts = arcs[index] if index >= 0 else arcs[~index][::-1]
        for i, (x, y) in enumerate(pts):
            if out and i == 0:
                continue  # arcs share their end points
            q = (round(x * 100), round(y * 100))
            if not out or out[-1] != q:
                out.append(q)
    return out


def ring_area(ring: list[tuple[int, int]]) -> float:
    """Absolute area of a ring in square hundredths of a degree."""
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def encode(ring: list[tuple[int, int]]) -> list[int]:
    """Delta-encode a ring as a flat list: x0, y0, dx1, dy1, ..."""
    flat: list[int] = []
    px = py = 0
    for x, y in ring:
        flat += [x - px, y - py]
        px, py = x, y
    return flat


def main() -> None:
    """Read the TopoJSON, write sitrep/data/admin0.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    args = parser.parse_args()
    topo = json.loads(args.topojson.read_text(encoding="utf-8"))
    iso = json.loads(ISO_TABLE.read_text(encoding="utf-8"))["3166-1"]
    by_numeric = {c["numeric"]: c for c in iso}
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topo)]

    arc_owners: dict[int, set[str]] = {}
    countries: dict[str, dict[str, object]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom["properties"]["name"]
        entry = by_numeric.get(geom.get("id", ""))
        code = entry["alpha_3"] if entry else EXTRA_CODES.get(name, "~" + name)
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        rings_out: list[list[list[int]]] = []
        xs: list[int] = []
        ys: list[int] = []
        best_area, label = -1.0, (0.0, 0.0)
        for poly in polys:
            rings = [ring_points(r, arcs) for r in poly]
            rings = [r for r in rings if len(r) >= 4]
            if not rings:
                continue
            outer_area = ring_area(rings[0])
            if outer_area < 4:  # smaller than 0.02 x 0.02 degree: invisible on the map
                continue
            if outer_area > best_area:
                bx = [p[0] for p in rings[0]]
                by = [p[1] for p in rings[0]]
                best_area = outer_area
                label = ((min(bx) + max(bx)) / 200, (min(by) + max(by)) / 200)
            rings_out.append([encode(r) for r in rings])
            xs += [p[0] for p in rings[0]]
            ys += [p[1] for p in rings[0]]
            for ring in poly:
                for index in ring:
                    arc_owners.setdefault(index if index >= 0 else ~index, set()).add(code)
        if not rings_out:
            continue
        countries[code] = {
            "name": entry.get("common_name", entry["name"]) if entry else name,
            "bbox": [min(xs) / 100, min(ys) / 100, max(xs) / 100, max(ys) / 100],
            "label": [round(label[0], 2), round(label[1], 2)],
            "neighbours": [],
            "polygons": rings_out,
        }
    neighbours: dict[str, set[str]] = {}
    for owners in arc_owners.values():
        for code in owners:
            neighbours.setdefault(code, set()).update(owners - {code})
    for code, info in countries.items():
        info["neighbours"] = sorted(c for c in neighbours.get(code, ()) if c in countries)
    doc = {
        "about": "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2 "
        f"(ISC). Simplified to {TOLERANCE} degree; coordinates in hundredths of a degree, each "
        "ring delta-encoded as x0, y0, dx1, dy1, ... See README.md.",
        "countries": dict(sorted(countries.items())),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, {len(countries)} countries)")


if __name__ == "__main__":
    main()
