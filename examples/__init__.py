"""Example datasets shipped with sitrep (a package only so that they ship in the wheel)."""
