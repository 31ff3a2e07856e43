"""The words of the incident map in French."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from ...model.report import Incident
from ..maps import MapPoint, MapWords


class FrenchMapWords(MapWords):
    """The French words of the map."""

    legend_new = "nouveau dans la période"
    legend_update = "incident antérieur, mis à jour"
    legend_claims = "chiffre revendiqué seulement (contour, sans taille)"
    legend_region = "localisé à la région seulement"
    legend_capital = "capitale"
    legend_none = "aucun bilan crédible de tués (le plus petit)"
    hemispheres: ClassVar[dict[str, str]] = {"E": "E", "W": "O", "N": "N", "S": "S"}

    def title(self, new: int, updated: int) -> str:
        """'Incidents sur la carte : 2 nouveaux dans la période, 5 antérieurs mis à jour ;
        symboles proportionnels au nombre de tués (estimation basse crédible, jamais une
        revendication)'."""
        parts = []
        if new:
            parts.append(f"{new} nouveau{'x' if new > 1 else ''} dans la période")
        if updated:
            s = "s" if updated > 1 else ""
            parts.append(f"{updated} antérieur{s} mis à jour")
        return (
            "Incidents sur la carte : " + ", ".join(parts) + " ; symboles proportionnels au "
            "nombre de tués (estimation basse crédible, jamais une revendication)"
        )

    def killed(self, value: int) -> str:
        """'10 tués'."""
        return f"{self.words.num(value)} tué{'s' if value > 1 else ''}"

    def figure(self, point: MapPoint) -> str:
        """Ce qui donne la taille du symbole."""
        joint = " + ".join(point.joint)
        if point.claims_only:
            return "chiffre revendiqué seulement"
        if point.floor:
            text = f"{self.killed(point.floor)} (estimation basse crédible)"
            return f"{text}, chiffre commun à {joint}" if joint else text
        if joint:
            return f"tués comptés dans le chiffre commun à {joint}"
        return "aucun bilan crédible de tués"

    def status(self, incident: Incident) -> str:
        """'nouveau' ou 'mise à jour'."""
        return "nouveau" if incident.status == "new" else "mise à jour"

    def alt(
        self, points: Sequence[MapPoint], regions: Sequence[MapPoint], missing: Sequence[Incident],
        capitals: Sequence[str], outlines: bool,
    ) -> str:  # fmt: skip
        """La description de la carte pour les lecteurs d'écran."""
        alt = "Carte des incidents : " + " ; ".join(self._item(p) for p in points)
        if regions:
            alt += ". Régions ombrées, incidents localisés à la région seulement : " + " ; ".join(
                f"{p.region}: {self._item(p)}" for p in regions
            )
        if capitals:
            alt += ". Capitales : " + ", ".join(capitals)
        if missing:
            alt += ". Absents de la carte (sans coordonnées, région inconnue) : " + ", ".join(
                i.location for i in missing
            )
        if not outlines:
            alt += ". Les frontières manquent : seul le quadrillage est tracé"
        return alt + "."
