"""The Jinja templates shipped with sitrep (a package only so that they ship in the wheel)."""
