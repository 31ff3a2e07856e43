"""The words of the incident map: title, legend, labels, scale bar and text alternative.

:class:`MapWords` is English; :class:`sitrep.wording.french.maps.FrenchMapWords` is French.
``languages.map_words(language)`` gives the one of a language. Places, countries, dates and numbers
come from the language's :class:`~sitrep.wording.words.Words`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..model.report import Incident
from .numbers import fmt_num
from .words import Words


@dataclass(frozen=True)
class MapPoint:
    """An incident as the map shows it: its place, status and the figure it is sized by."""

    incident: Incident
    floor: int
    """The credible killed figure (conservative low); 0 when none."""
    claims_only: bool
    """Only claims give a killed figure: drawn as an outline, not sized by the claim."""
    region: str | None = None
    """The region shaded for an incident without coordinates (its name on the map)."""
    joint: tuple[str, ...] = ()
    """The places of a joint killed figure the incident shares (counted at the first)."""
    vague: bool = False
    """Its credible killed figures are only vague words or bounds ('many'): no floor."""


class MapWords:
    """The English words of the map."""

    legend_new = "new in the period"
    legend_update = "earlier incident, updated"
    legend_claims = "only claims give a figure (outline, not sized)"
    legend_region = "located only to a region"
    legend_capital = "capital"
    legend_none = "no credible killed figure (smallest)"

    def __init__(self, words: Words):
        self.words = words

    def title(self, new: int, updated: int) -> str:
        """'Incidents on the map: 2 new in the period, 5 updated; sized by people killed
        (credible low, never a claim)'."""
        parts = []
        if new:
            parts.append(f"{fmt_num(new)} new in the period")
        if updated:
            parts.append(f"{fmt_num(updated)} earlier, updated")
        return (
            "Incidents on the map: " + ", ".join(parts) + "; symbols sized by people killed "
            "(credible low, never a claim)"
        )

    def killed(self, value: int) -> str:
        """A size-legend entry: '10 killed'."""
        return f"{self.words.num(value)} killed"

    def km(self, length: int) -> str:
        """The scale bar's label: '500 km'."""
        return f"{self.words.num(length)} km"

    hemispheres: ClassVar[dict[str, str]] = {"E": "E", "W": "W", "N": "N", "S": "S"}

    def degrees(self, value: int, axis: str) -> str:
        """A graticule tick: '5°W', '0°', '15°N' (``axis``: 'x' for longitude, 'y')."""
        if value == 0:
            return "0°"
        pos, neg = ("E", "W") if axis == "x" else ("N", "S")
        return f"{abs(value)}°{self.hemispheres[pos if value > 0 else neg]}"

    def country_label(self, code: str) -> str:
        """A country's name as the map prints it: 'MALI'."""
        return self.words.country(code).upper()

    # the text alternative: its parts, with {named} places
    alt_texts: ClassVar[dict[str, str]] = {
        "intro": "Map of incidents: ",
        "regions": ". Shaded regions, incidents located only to a region: ",
        "capitals": ". Capitals shown: ",
        "missing": ". Not on the map (no coordinates, region not found): ",
        "no_outlines": ". Country outlines are missing: gridlines only",
        "separator": "; ",
        "region_item": "{region}: {item}",
        "new": "new",
        "update": "update",
        "claims_only": "only claims give a figure",
        "floor": "{killed} (credible low)",
        "floor_joint": "{killed} (credible low), a joint figure for {joint}",
        "in_joint": "killed counted in the joint figure for {joint}",
        "none": "no credible killed figure",
        "vague": "vague killed figures only, no credible low",
    }

    def figure(self, point: MapPoint) -> str:
        """What a point is sized by, for the text alternative."""
        t = self.alt_texts
        joint = " + ".join(point.joint)
        if point.claims_only:
            return t["claims_only"]
        if point.floor:
            key = "floor_joint" if joint else "floor"
            return t[key].format(killed=self.killed(point.floor), joint=joint)
        if joint:
            return t["in_joint"].format(joint=joint)
        return t["vague"] if point.vague else t["none"]

    def status(self, incident: Incident) -> str:
        """'new' or 'update'."""
        return self.alt_texts["new" if incident.status == "new" else "update"]

    def alt(
        self, points: Sequence[MapPoint], regions: Sequence[MapPoint], missing: Sequence[Incident],
        capitals: Sequence[str], outlines: bool,
    ) -> str:  # fmt: skip
        """A text description of the map for screen readers: what each symbol and shaded
        region stands for, the capitals shown, and what is not on the map."""
        t = self.alt_texts
        alt = t["intro"] + t["separator"].join(self._item(p) for p in points)
        if regions:
            alt += t["regions"] + t["separator"].join(
                t["region_item"].format(region=p.region, item=self._item(p)) for p in regions
            )
        if capitals:
            alt += t["capitals"] + ", ".join(capitals)
        if missing:
            alt += t["missing"] + ", ".join(i.location for i in missing)
        if not outlines:
            alt += t["no_outlines"]
        return alt + "."

    def _item(self, p: MapPoint) -> str:
        inc = p.incident
        return (
            f"{inc.location} ({self.words.country(inc.country)}, "
            f"{self.words.incident_date(inc)}, {self.status(inc)}, {self.figure(p)})"
        )

