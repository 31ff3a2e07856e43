"""First-level regions and capitals of the Sahel and neighbours, and matching a record's
region name to them.

The data is ``sitrep/data/admin1.json`` (Natural Earth admin-1 and populated places,
public domain; see ``sitrep/data/README.md``). Names are matched without regard to
accents, case, punctuation or words such as "region", with the other spellings in
``ALIASES`` and, failing those, a close spelling (Tillabéry, Nassarawa).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from .mapdata import Polygon, decode, polygon, shipped_countries

ALIASES = {
    "MLI": {"tombouctou": "Timbuktu", "segou": "Ségou", "bamako district": "Bamako"},
    "NGA": {"fct": "Federal Capital Territory", "abuja": "Federal Capital Territory",
            "nasarawa": "Nassarawa"},
    "TCD": {"ndjamena": "Ville de N'Djamena"},
    "DZA": {"algiers": "Alger", "tamanrasset": "Tamanghasset"},
}  # fmt: skip
"""Other spellings of a region's name, by country: normalised name -> Natural Earth's."""
_NOISE = re.compile(r"\b(region|province|state|prefecture|wilaya|district|de|du|of|la|le)\b")
MIN_SCORE = 86.0


@dataclass(frozen=True)
class Region:
    """One first-level region: its country, name (Natural Earth's) and outline."""

    country: str
    name: str
    label: tuple[float, float]
    polygons: tuple[Polygon, ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """The region's bounding box: x0, y0, x1, y1."""
        boxes = [p.bbox for p in self.polygons]
        return (
            min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes),
        )  # fmt: skip


@dataclass(frozen=True)
class Capital:
    """A country's capital: its name and position."""

    country: str
    name: str
    at: tuple[float, float]


@dataclass(frozen=True)
class CountryRegions:
    """A country's regions, the borders between them (lines), and its capital."""

    regions: dict[str, Region]
    lines: tuple[tuple[tuple[float, float], ...], ...]
    capital: Capital | None


@cache
def admin1() -> dict[str, CountryRegions]:
    """The shipped regions by country code (empty, with a warning, if missing)."""
    raw = shipped_countries("admin1.json", "the map shows no regions or capitals")
    out = {}
    for code, info in raw.items():
        regions = {
            name: Region(code, name, (r["label"][0], r["label"][1]),
                         tuple(polygon(p) for p in r["polygons"]))
            for name, r in info["regions"].items()
        }  # fmt: skip
        cap = info.get("capital")
        capital = Capital(code, cap["name"], (cap["at"][0], cap["at"][1])) if cap else None
        out[code] = CountryRegions(regions, tuple(decode(line) for line in info["lines"]), capital)
    return out


def normalise(name: str) -> str:
    """A name for matching: no accents, lower case, letters and digits, no 'region of'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(_NOISE.sub(" ", text).split())


@cache
def _index(country: str) -> dict[str, str]:
    regions = admin1().get(country)
    return {normalise(name): name for name in regions.regions} if regions else {}


def match_region(country: str, name: str | None) -> Region | None:
    """The shipped region a record's admin1 names, or None when none matches well."""
    regions = admin1().get(country)
    if not name or regions is None:
        return None
    key = normalise(name)
    index = _index(country)
    found = index.get(key) or ALIASES.get(country, {}).get(key)
    if found is None and key:
        best = process.extractOne(key, list(index), scorer=fuzz.ratio)
        if best is not None and best[1] >= MIN_SCORE:
            found = index[best[0]]
    return regions.regions.get(found) if found else None
