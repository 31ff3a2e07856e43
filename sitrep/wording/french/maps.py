"""The words of the incident map in French."""

from __future__ import annotations

from typing import ClassVar

from ..maps import MapWords


class FrenchMapWords(MapWords):
    """The French words of the map."""

    legend_new = "nouveau dans la période"
    legend_update = "incident antérieur, mis à jour"
    legend_claims = "chiffre revendiqué seulement (contour, sans taille)"
    legend_region = "localisé à la région seulement"
    legend_capital = "capitale"
    legend_none = "sans bilan crédible de tués (le plus petit)"
    hemispheres: ClassVar[dict[str, str]] = {"E": "E", "W": "O", "N": "N", "S": "S"}
    alt_texts: ClassVar[dict[str, str]] = {
        "intro": "Carte des incidents : ",
        "regions": ". Régions ombrées, incidents localisés à la région seulement : ",
        "capitals": ". Capitales : ",
        "missing": ". Absents de la carte (sans coordonnées, région inconnue) : ",
        "no_outlines": ". Les frontières manquent : seul le quadrillage est tracé",
        "separator": " ; ",
        "region_item": "{region} : {item}",
        "new": "nouveau",
        "update": "mise à jour",
        "claims_only": "chiffre revendiqué seulement",
        "floor": "{killed} (estimation basse crédible)",
        "floor_joint": "{killed} (estimation basse crédible), chiffre commun à {joint}",
        "in_joint": "tués comptés dans le chiffre commun à {joint}",
        "none": "aucun bilan crédible de tués",
        "vague": "bilans de tués vagues seulement, sans estimation basse crédible",
    }

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
